"""What the regional workbook shows of Member States' progress reports: the `Progress` table (every change,
the earlier rounds' first, carried from the previous regional workbook), a section of the Overview (milestones
by status per pillar, who reported and when, what changed) and of each profile (its milestones completed
this year); and what Submissions and Issues say of each progress return."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rai_xl.core.report_model import CheckLine, CountryReport, RegionalReport
from rai_xl.core.text import shown_value
from rai_xl.core.typed import COMPLETED, IN_PROGRESS, NOT_STARTED, PLANNED, STATUSES
from rai_xl.layouts import progress as pg
from rai_xl.method.catalogue import Country
from rai_xl.write.kit import SheetWriter
from rai_xl.write.regional.tables import _not_for_printing

if TYPE_CHECKING:
    from rai_xl.core.progress_merge import Merged
    from rai_xl.core.progress_return import ProgressRow


def write_progress_table(ws: SheetWriter, merged: Merged) -> None:
    """One row per change, values as they were typed (dates as dates, text exactly)."""
    rows = merged.earlier + merged.rows
    ws.columns([13, 14, 18, 30, 30, 34, 13])
    ws.table(max(len(rows), 1), pg.PROGRESS_HEADS, pg.PROGRESS_TABLE)
    ws.ws.freeze_panes(1, 0)
    for r, p in enumerate(rows, start=1):
        ws.text(r, 0, p.country)
        ws.text(r, 1, p.milestone_id)
        ws.text(r, 2, p.field)
        for c, (value, fmt) in ((3, p.before), (4, p.after)):
            ws.value(r, c, value, num_format=fmt)
        ws.text(r, 5, p.source)
        ws.value(r, 6, p.reported_on)
    _not_for_printing(ws, len(pg.PROGRESS_HEADS))


SHOWN = (COMPLETED, IN_PROGRESS, PLANNED)  # the statuses the Overview spells out per pillar


def _lines(report: RegionalReport) -> dict[str, tuple[Country, list[CheckLine]]]:
    """Every tracker's checklist lines (included and kept plans), by country code in ASEAN order."""
    held = [(cr.country, cr.lines) for cr in report.countries] + [(k.country, k.lines) for k in report.kept]
    return {c.code: (c, lines) for c, lines in sorted(held, key=lambda h: h[0].order)}


def _counts(lines: list[CheckLine], pillar: int) -> str:
    """'2 completed · 5 in progress · 1 planned (of 40)' for one pillar's milestones."""
    mine = [line.typed.status or NOT_STARTED for line in lines if line.action.pillar == pillar]
    said = [f"{mine.count(s)} {s.lower()}" for s in SHOWN if mine.count(s)]
    other = sum(s not in STATUSES for s in mine)
    said += [f"{other} other"] if other else []
    if not mine:
        return "no milestone"
    return (" · ".join(said) if said else "none started") + f" (of {len(mine)})"


def overview_section(ws: SheetWriter, report: RegionalReport, row: int, last: int) -> int:
    """The Overview's progress: milestones by status per pillar, who reported and when, what changed.
    Written only when progress reports were merged (or a Progress table carried). Returns the next row."""
    merged = report.progress
    if merged is None:
        return row
    cat = report.catalogue
    row = ws.heading(row, "Progress on the action plans (milestones by status per pillar)")
    ws.headers(
        row, [(0, 0, "Member State")] + [(2 * p.number - 1, 2 * p.number, f"Pillar {p.number}") for p in cat.pillars], 22
    )
    row += 1
    for c, lines in _lines(report).values():
        texts = [(_counts(lines, p.number), 2 * p.number - 1, 2 * p.number) for p in cat.pillars]
        ws.text(row, 0, c.name, "bold")
        for text, first, end in texts:
            ws.span(row, first, end, text)
        ws.fit(row, [(c.name, 0, 0), *texts])
        row += 1
    row = ws.heading(row + 1, "Progress reports from Member States")
    ws.headers(
        row, [(0, 0, "Member State"), (1, 2, "Reported"), (3, 6, "Changed since the last consolidation"), (7, 8, "File")], 22
    )
    row += 1
    used = {o.ret.country.code: o.ret for o in merged.outcomes if o.status == "included" and o.ret.country}
    for c in cat.countries:
        ret = used.get(c.code)
        changes = [r for r in merged.rows if r.country == c.code]
        conflicts = [k for k in merged.conflicts if k[0] == c.code]
        before = max((r for r in merged.earlier if r.country == c.code and r.reported_on), key=_on, default=None)
        if ret is None and before is not None:  # reported before the last consolidation
            when, what, file = shown_value(before.reported_on), "no change", before.source
        elif ret is None:
            when, what, file = "no progress report", "", ""
        else:
            when = ", ".join(filter(None, (ret.reported_on.isoformat() if ret.reported_on else "no date", ret.reported_by)))
            what = _changed(changes) + (f"; {len(conflicts)} conflict(s) with the coordinator's edits" if conflicts else "")
            file = ret.path.name
        ws.text(row, 0, c.name, "bold")
        ws.span(row, 1, 2, when, "cell" if file else "muted")
        ws.span(row, 3, 6, what, "banner" if conflicts else "cell")
        ws.span(row, 7, 8, file)
        ws.fit(row, [(c.name, 0, 0), (when, 1, 2), (what, 3, 6), (file, 7, 8)])
        row += 1
    note = f"Every change is listed in the '{pg.PROGRESS_TABLE}' table; a conflict is kept on the tracker and on Issues."
    ws.span(row, 0, last, note, "note")
    return row + 2


def _on(row: ProgressRow) -> date:
    assert row.reported_on is not None
    return row.reported_on


def _changed(rows: list[ProgressRow]) -> str:
    """'4 changes on 2 milestones (2 now Completed)', or 'no change'."""
    if not rows:
        return "no change"
    done = sum(r.field == "Status" and r.after[0] == COMPLETED for r in rows)
    text = f"{len(rows)} change(s) on {len({r.milestone_id for r in rows})} milestone(s)"
    return text + (f" ({done} now {COMPLETED})" if done else "")


def profile_section(ws: SheetWriter, report: RegionalReport, cr: CountryReport, row: int, last: int) -> int:
    """The profile's progress: the country's last report and its milestones completed this year."""
    merged = report.progress
    if merged is None:
        return row
    code = cr.country.code
    ret = next(
        (o.ret for o in merged.outcomes if o.status == "included" and o.ret.country and o.ret.country.code == code), None
    )
    row = ws.heading(row, f"Progress reported by {cr.country.name}")
    said = (
        f"Last report: {ret.reported_on.isoformat() if ret.reported_on else 'no date'} ({ret.path.name}); "
        + _changed([r for r in merged.rows if r.country == code])
        if ret
        else "No progress report in this consolidation."
    )
    row = ws.paragraph(row, 0, last, said, "note")
    done = [
        r
        for r in (*merged.earlier, *merged.rows)
        if r.country == code
        and r.field == "Status"
        and r.after[0] == COMPLETED
        and r.reported_on
        and r.reported_on.year == report.year
    ]
    ws.headers(row, [(0, 1, "Milestone"), (2, last - 2, f"Completed in {report.year}"), (last - 1, last, "Reported on")], 20)
    row += 1
    texts = {line.milestone.id: line.milestone.text for line in cr.lines}
    if not done:
        ws.span(row, 0, last, f"No milestone reported completed in {report.year}.", "muted")
        return row + 1
    for r in done:
        text = texts.get(r.milestone_id, "")
        ws.span(row, 0, 1, r.milestone_id, "bold")
        ws.span(row, 2, last - 2, text)
        ws.span(row, last - 1, last, shown_value(r.reported_on))
        ws.fit(row, [(text, 2, last - 2)])
        row += 1
    return row
