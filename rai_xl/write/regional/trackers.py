"""The trackers: each Member State's action checklist and the Cross-cutting checklist, kept up to date
during the year and read back by `--previous` (rai_xl.entries, by the layouts of rai_xl.regional.marks).

Columns follow the layout, then the columns a person added (carried with their headers), then a
hidden key column: its header names the tracker, its cells each row's milestone, so renaming the
sheet, sorting the rows or retyping a Milestone ID loses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xlsxwriter.utility import xl_rowcol_to_cell

from rai_xl.core.report_model import CheckLine, RegionalReport, Section
from rai_xl.core.typed import FIELDS, NOT_STARTED, REGIONAL, STATUSES, Typed, Value
from rai_xl.layouts import regional as marks
from rai_xl.layouts import tracker as layout
from rai_xl.method.catalogue import Country
from rai_xl.method.words import NOT_ANSWERED, pillars_note, tier_and_score
from rai_xl.write.kit import SheetWriter

TRACKER_WIDTHS = [7, 9, 10, 14, 62, 12, 14, 22, 12, 30]  # by layout.TRACKER
REGIONAL_WIDTHS = TRACKER_WIDTHS[1:]  # by layout.REGIONAL_TRACKER
ADDED_WIDTH = 16
STATUS_COL = layout.TRACKER.index(layout.STATUS)  # the Status column of a country's tracker (0-based)


@dataclass(frozen=True)
class Placed:
    """Where a tracker put its checklist rows: what the Checklist table's formulas look up."""

    sheet: str
    columns: dict[str, int]  # column key (an added column's by layout.added_key) -> column, 0-based
    lines: list[tuple[CheckLine, int]]  # each line and its row, in checklist order
    body: tuple[int, int]  # the rows below the header, first and last: where the lines are once sorted


def write_tracker(
    ws: SheetWriter, report: RegionalReport, country: Country, sections: tuple[Section, ...], kept_from: int | None = None
) -> Placed:
    """One country's action checklist; *kept_from*: the round of a plan kept for want of a return."""
    columns = _columns(ws, sections, layout.TRACKER, TRACKER_WIDTHS)
    last = columns[layout.KEY.key] - 1  # what a person sees
    ws.title(f"{country.name}: {layout.TRACKER_TITLE} {report.year}")
    how = (
        "For each assessment pillar, the Roadmap's targeted actions for the tier reached, then the actions linked to "
        "the criteria that lost points. Keep Status, Lead agency, Target date and Notes up to date during the year "
        "(the yellow cells): the next consolidation with --previous carries them forward by Milestone ID, with any "
        "column you add. Filter with the arrows in the header row."
    )
    if kept_from is None:
        how += f" Scores and gaps: sheet '{marks.profile_sheet(country.name)}'."
    row = 1
    if kept_from is not None:
        banner = f"No return for {report.year}: the {kept_from} plan and its progress are kept"
        ws.span(row, 0, last, banner, "banner")
        ws.height(row, 22)
        row += 1
        row = _notes(ws, [_last_tiers(report, country)], row, last)
    row = _notes(ws, [how, pillars_note(report.catalogue)], row, last)
    return _checklist(ws, report, sections, row + 1, layout.TRACKER, columns, country.code)


def _last_tiers(report: RegionalReport, country: Country) -> str:
    """'Last known tiers (2026): 1. Name: Emerging (10.5); ...' of a Member State with no return this round."""
    last = report.last_known(country.code)
    if not last:
        return f"No tiers of {country.name} are known from an earlier round."
    by_pillar = {h.pillar: h for h in last}
    year = last[0].year
    shown = [
        f"{p.number}. {p.name}: "
        + (tier_and_score(year, h).split(": ", 1)[1] if (h := by_pillar.get(p.number)) else NOT_ANSWERED)
        for p in report.catalogue.pillars
    ]
    return f"Last known tiers ({year}), by assessment pillar: " + "; ".join(shown) + "."


def write_regional(ws: SheetWriter, report: RegionalReport) -> Placed:
    cat = report.catalogue
    columns = _columns(ws, report.regional, layout.REGIONAL_TRACKER, REGIONAL_WIDTHS)
    last = columns[layout.KEY.key] - 1
    first_id, last_id = cat.cross_cutting_actions()[0].id, cat.cross_cutting_actions()[-1].id
    ws.title(f"{layout.REGIONAL_TITLE}: cross-cutting action areas {first_id}–{last_id}")
    priorities = sum(a.priority for a in cat.actions)
    parties = (
        "Responsible parties in the first instance, for every milestone here: "
        + "; ".join(cat.responsible_parties)
        + ". "
        + cat.responsible_parties_note
        + f" ★ = one of the Roadmap's {priorities} key regional priorities. Keep Status, Lead agency, Target date "
        "and Notes up to date (the yellow cells); filter with the arrows in the header row."
    )
    row = _notes(ws, [parties], 1, last)
    return _checklist(ws, report, report.regional, row + 1, layout.REGIONAL_TRACKER, columns, REGIONAL)


def _notes(ws: SheetWriter, texts: list[str], row: int, last: int) -> int:
    for text in texts:
        row = ws.paragraph(row, 0, last, text, "note")
    return row


def _columns(
    ws: SheetWriter,
    sections: list[Section] | tuple[Section, ...],
    columns_of: tuple[layout.Column, ...],
    widths: Sequence[float],
) -> dict[str, int]:
    """{column key (an added column's by layout.added_key): column} of a tracker: the layout's, the added
    ones, the hidden key."""
    lines = [line for s in sections for g in s.groups for line in g.lines]
    added = list(dict.fromkeys(h for line in lines for h, _, _ in line.typed.added))
    columns = {c.key: i for i, c in enumerate(columns_of)}
    columns |= {layout.added_key(h): len(columns_of) + i for i, h in enumerate(added)}
    columns[layout.KEY.key] = key_col = len(columns_of) + len(added)
    ws.columns([*widths, *[ADDED_WIDTH] * len(added), 18])
    ws.hide_columns(key_col, key_col)
    return columns


def _checklist(
    ws: SheetWriter,
    report: RegionalReport,
    sections: list[Section] | tuple[Section, ...],
    row: int,
    columns_of: tuple[layout.Column, ...],
    columns: dict[str, int],
    code: str,
) -> Placed:
    """The header, then per section and action a heading, per sub-action a heading, then its milestones.
    Headings are bands, never merged cells: Excel refuses to sort a range holding merged cells and LibreOffice
    sorts none of it, so with no merged cell below the header a sort by any column (Status, Target date, Lead
    agency) moves whole rows, each heading row too (blank in every column but the first: sorted below the
    milestones, and never read as an entry)."""
    key_col = columns[layout.KEY.key]
    last = key_col - 1  # headings span what a person sees
    # a header the coordinator reworded keeps their words: the column is still found by what it is
    kept = report.previous.headers.get(code, {}) if report.previous is not None else {}
    heads = [kept.get(c.key, c.head) for c in columns_of]
    heads += [layout.column_head(k) for k in columns if k.startswith(layout.ADDED)]
    ws.header(row, [*heads, layout.key_head(code)])
    top = row
    ws.freeze(row + 1, 0)
    placed: list[tuple[CheckLine, int]] = []
    row += 1
    for section in sections:
        carried = section.title.startswith("Carried")
        if section.title:
            row = ws.band(row, 0, last, section.title, "carried" if carried else "group")
        for group in section.groups:
            if group.heading:
                row = ws.band(row, 0, last, group.heading, "carried" if carried else "group")
            shown = None
            for line in group.lines:
                key = (line.sub_action.id, line.reason)
                if key != shown:
                    shown = key
                    title = f"{line.sub_action.id} {line.sub_action.title}"
                    if line.reason:
                        title += f" — no longer in the plan: {line.reason}"
                    row = ws.band(row, 0, last, title, "subgroup")
                _line(ws, report, line, row, columns)
                placed.append((line, row))
                row += 1
    status = columns[layout.STATUS.key]
    if placed:
        ws.list_validation(top + 1, row - 1, status, list(STATUSES), "Status")
    end = max(row - 1, top + 1)
    ws.autofilter(top, end, 0, key_col)
    ws.ws.set_selection(top + 1, status, top + 1, status)
    return Placed(ws.name, columns, placed, (top + 1, end))


def _line(ws: SheetWriter, report: RegionalReport, line: CheckLine, row: int, columns: dict[str, int]) -> None:
    a, s, m = line.action, line.sub_action, line.milestone
    term = _term(report, m.term)
    if layout.PILLAR.key in columns:  # a country's tracker starts with the pillar
        ws.number(row, columns[layout.PILLAR.key], a.pillar, "center")
    for key, text, style in (
        (layout.ACTION.key, a.id, "cell"),
        (layout.SUB_ACTION.key, s.id, "cell"),
        (layout.TERM.key, term, "cell"),
        (layout.MILESTONE.key, m.text, "cell"),
        (layout.MILESTONE_ID.key, m.id, "bold"),
    ):
        ws.text(row, columns[key], text, style)
    ws.text(row, columns[layout.KEY.key], layout.row_key(m.id, line.entered), "key")
    _typed(ws, row, columns, line.typed)
    texts = [(term, columns[layout.TERM.key]), (m.text, columns[layout.MILESTONE.key])]
    extra = zip(("lead", "target", "notes"), line.typed.extra, strict=True)
    texts += [(v, columns[k]) for k, v in extra if isinstance(v, str)]
    ws.fit(row, [(t, c, c) for t, c in texts])


def _typed(ws: SheetWriter, row: int, columns: dict[str, int], typed: Typed) -> None:
    """The cells a person keeps up to date, holding what was typed before exactly, in its number format.
    Lead agency and Notes are text cells (what is typed stays text: 50% stays 50%, 0012 stays 0012);
    Target date is General, so a typed date becomes a date and a typed year stays a year."""
    ws.value(row, columns[layout.STATUS.key], NOT_STARTED if typed.status in (None, "") else typed.status, "edit")
    for key, v, fmt in zip(("lead", "target", "notes"), typed.extra, typed.formats, strict=True):
        _entry(ws, row, columns[key], v, fmt, "edit" if key == "target" else "edittext")
    for head, v, fmt in typed.added:
        _entry(ws, row, columns[layout.added_key(head)], v, fmt, "edittext")
    for col, url in typed.links:
        if col in columns and col != layout.STATUS.key:
            v = typed.value(col) if col in FIELDS else next((a[1] for a in typed.added if layout.added_key(a[0]) == col), "")
            style = "edit" if col == layout.TARGET.key else "edittext"
            if isinstance(v, str) and v:
                ws.link(row, columns[col], url, v, style)
    for col, text in typed.comments:
        ws.comment(row, columns.get(col, columns[layout.MILESTONE_ID.key]), text)


def _entry(ws: SheetWriter, row: int, col: int, value: Value, fmt: str, style: str) -> None:
    if isinstance(value, str | type(None)):
        ws.value(row, col, value, style)
    else:  # a number, date or boolean: shown as it was
        ws.value(row, col, value, "edit", "date", fmt)


def _term(report: RegionalReport, key: str) -> str:
    t = next(t for t in report.catalogue.terms if t.key == key)
    return f"{t.name}\n({t.years})"


def cell(sheet: str, row: int, col: int) -> str:
    """An absolute reference to a cell of *sheet*, e.g. 'Lao PDR'!$H$20."""
    return f"{quoted(sheet)}!{xl_rowcol_to_cell(row, col, True, True)}"


def quoted(sheet: str) -> str:
    """A sheet name as a formula names it: 'Lao PDR'."""
    return "'" + sheet.replace("'", "''") + "'"
