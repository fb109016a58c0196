"""Write the locked progress workbook a Member State fills (`rai-xl progress`), from a regional workbook.

The plan is each country's tracker as the regional workbook holds it (its rows, in its order), each
milestone pre-filled with what the workbook holds today (the entries `consolidate --previous` would
place on the row). What it held is also kept on a hidden sheet, so the merge can tell a Member State's
change from a coordinator's later edit (rai_xl.progress_merge).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_range_abs, xl_rowcol_to_cell

from rai_xl.core.carry import in_a_cell
from rai_xl.core.progress_return import held
from rai_xl.core.typed import COMPLETED, IN_PROGRESS, NOT_APPLICABLE, NOT_STARTED, PLANNED, STATUSES, Typed
from rai_xl.errors import UsageError
from rai_xl.layouts import kinds
from rai_xl.layouts import progress as pg
from rai_xl.layouts import tracker as layout
from rai_xl.method.catalogue import Catalogue, Country
from rai_xl.read.entries import read_entries
from rai_xl.read.previous import EXPECTED, LAYOUT, PreviousUnreadable, open_regional
from rai_xl.read.spreadsheet import UnreadableFile, read_workbook
from rai_xl.write.kit import SheetWriter, Styles, in_memory_workbook, page_setup, validation
from rai_xl.write.outputs import check_new, checked, make_folder, write_atomically
from rai_xl.write.regional.trackers import quoted

PREFILLED = "#DDEBF7"  # the fill of a cell holding what the regional workbook holds (as the questionnaire's)
STATUS_MEANINGS = (
    (NOT_STARTED, "no work on the milestone has begun."),
    (PLANNED, "decided and scheduled: name the lead agency and a target date."),
    (IN_PROGRESS, "work has begun; say in Notes how far it has come."),
    (COMPLETED, "the milestone is achieved: name the evidence (document, law, programme, link)."),
    (NOT_APPLICABLE, "the milestone does not apply to your country: say why in Notes."),
)
FIRST_ROW = 4  # the Progress sheet's header row (0-based); milestones below it


class ProgressUsage(UsageError):
    """The progress workbooks asked for cannot be written; the message says why, in one line."""


@dataclass(frozen=True)
class Source:
    """What a regional workbook holds for the progress workbooks: its round and each tracker's rows."""

    name: str
    year: int
    plans: dict[str, list[tuple[str, Typed]]]  # country code -> (milestone ID, entries) in tracker order


def read_source(path: Path, catalogue: Catalogue) -> Source:
    """The trackers of the regional workbook at *path* (rai_xl.previous.PreviousError if it is not one):
    each row's milestone (by its hidden key, else its visible Milestone ID) and what was typed on it."""
    data, year, listed = open_regional(path)
    names = {layout.checklist_sheet(c.name): c.code for c in catalogue.countries}
    try:
        wb = read_workbook(data, wanted={n for n in listed if n in names}, record=True)  # all trackers, one budget
    except UnreadableFile as exc:  # e.g. an XML entity bomb in a tracker: refused as every reader path refuses it
        raise PreviousUnreadable(f"--previous {path.name} cannot be read: {exc}; {EXPECTED}", str(exc)) from None
    plans: dict[str, list[tuple[str, Typed]]] = {}
    for sheet in wb.sheets:
        entries = read_entries(sheet, LAYOUT)
        if entries is None:
            continue
        code = entries.identity if catalogue.country(entries.identity) else names[sheet.name]
        typed = {r.number: r.typed for r in entries.rows}
        key, shown = (entries.columns.get(k.key) for k in (layout.KEY, layout.MILESTONE_ID))
        rows: dict[str, Typed] = {}
        for (r, c), cell in sorted(sheet.cells.items()):
            mid = str(cell.value).split(" ")[0].upper() if isinstance(cell.value, str) else ""
            if (
                r > entries.header_row
                and c == (key or shown)
                and layout.MILESTONE_ID_PATTERN.fullmatch(mid)
                and mid not in rows
            ):
                rows[mid] = typed.get(r, Typed())
        plans[code] = list(rows.items())
    return Source(path.name, year, plans)


def write_progress_workbooks(
    catalogue: Catalogue,
    previous: Path,
    countries: list[Country] | None,
    output: Path,
    force: bool = False,
    password: str = "",
    made_on: date | None = None,
) -> list[tuple[Path, int]]:
    """One progress workbook per Member State of *countries* (None: every Member State with a tracker),
    into the folder *output* (or the file *output* for one country); returns (path, milestones) each."""
    source = read_source(previous, catalogue)
    chosen = countries or [c for c in catalogue.countries if c.code in source.plans]
    for c in chosen:
        if c.code not in source.plans:
            raise ProgressUsage(f"{source.name} holds no tracker for {c.name}: no progress workbook can be made for it")
    if countries is not None and len(countries) == 1 and output.suffix:
        if output.suffix.lower() != ".xlsx":
            raise ProgressUsage(f"{output} must end in .xlsx")
        targets = [(chosen[0], output)]
    else:
        if output.exists() and not output.is_dir():
            raise ProgressUsage(f"{output} is a file; several progress workbooks are written into a folder")
        make_folder(output)
        targets = [(c, output / pg.file_name(c.name, source.year)) for c in chosen]
    check_new((path for _, path in targets), force, catalogue, [previous])
    day = made_on or date.today()
    for c, path in targets:

        def write(tmp: Path, country: Country = c) -> None:
            write_progress(catalogue, source, country, tmp, day, password)

        write_atomically(path, write)
    return [(path, len(source.plans[c.code])) for c, path in targets]


def identity_values(catalogue: Catalogue, source: Source, country: Country, made_on: date) -> dict[str, str]:
    return kinds.identity_values(
        pg.TEMPLATE_ID,
        pg.SCHEMA_VERSION,
        catalogue.version,
        country=country.code,
        round=str(source.year),
        made_from=source.name,
        made_on=made_on.isoformat(),
    )


def write_progress(
    catalogue: Catalogue, source: Source, country: Country, path: Path, made_on: date, password: str = ""
) -> None:
    """The progress workbook of *country* at *path*."""
    wb, buffer = in_memory_workbook()
    st = Styles(wb)
    ident = identity_values(catalogue, source, country, made_on)
    wb.set_properties(
        {
            "title": f"ASEAN Responsible AI Roadmap: progress report {source.year}: {country.name}",
            "subject": catalogue.title,
            "author": "rai-xl",
            "comments": "Progress workbook written by rai-xl: the Member State's report on its milestones.",
            "created": datetime(made_on.year, made_on.month, made_on.day),
        }
    )
    for key, _ in pg.IDENTITY:
        checked(wb.set_custom_property(pg.PROPERTY_PREFIX + key, ident[key]), f"custom property {key}")
    sheets = {name: SheetWriter(wb.add_worksheet(name), st) for name in pg.SHEETS}
    rows = source.plans[country.code]
    _lists(wb, sheets[pg.SHEET_LISTS], ident)
    _start(sheets[pg.SHEET_START], catalogue, ident, country, len(rows))
    placed = _plan(sheets[pg.SHEET_PLAN], catalogue, country, source.year, rows)
    _summary(sheets[pg.SHEET_SUMMARY], catalogue, rows, placed)
    _as_made(sheets[pg.SHEET_AS_MADE], rows)
    title = f"{country.name}: progress report {source.year}"
    for name in (pg.SHEET_START, pg.SHEET_PLAN, pg.SHEET_SUMMARY):
        ws = sheets[name].ws
        page_setup(ws, title, 1 if name == pg.SHEET_START else 0, portrait=name == pg.SHEET_START)
        ws.protect(password, {"format_columns": True, "format_rows": True, "autofilter": True})
    for name in (pg.SHEET_LISTS, pg.SHEET_AS_MADE):
        sheets[name].ws.protect(password)
        sheets[name].ws.hide()
    sheets[pg.SHEET_START].ws.activate()
    wb.close()
    path.write_bytes(buffer.getvalue())


def _lists(wb: xlsxwriter.Workbook, ws: SheetWriter, ident: dict[str, str]) -> None:
    col = pg.LISTS_STATUS_COLUMN - 1
    ws.text(0, col, layout.STATUS.head, "header")
    for i, status in enumerate(STATUSES, start=1):
        ws.text(i, col, status)
    checked(wb.define_name("L_STATUS", f"=Lists!{xl_range_abs(1, col, len(STATUSES), col)}"), "name L_STATUS")
    for i, (key, _) in enumerate(pg.IDENTITY, start=1):
        ws.text(i, pg.LISTS_KEY_COLUMN - 1, key)
        ws.text(i, pg.LISTS_VALUE_COLUMN - 1, ident[key])


def _start(ws: SheetWriter, catalogue: Catalogue, ident: dict[str, str], country: Country, milestones: int) -> None:
    ws.columns([34, 88])
    year = ident["round"]
    statuses = "\n".join(f"{s}: {meaning}" for s, meaning in STATUS_MEANINGS)
    sections = [
        (
            "What this is",
            f"{catalogue.title}: {country.name}'s report on the milestones of its action plan. The plan is the one "
            f"the regional workbook of {year} holds for {country.name} ({milestones} milestones), as the regional "
            "coordinator keeps it. Your report goes into the next regional workbook: what you report replaces what "
            "the workbook holds, and every change is listed.",
        ),
        (
            "What to fill",
            "1. Below, fill in who reports and the date of the report.\n"
            f"2. On the '{pg.SHEET_PLAN}' sheet, for each milestone, fill the yellow or blue cells: Status (choose "
            "from the list), Lead agency, Target date (a date, e.g. 2027-06-30), Notes, and Evidence of progress "
            "(documents, laws, programmes, links that show the progress).\n"
            "3. Blue cells hold what the regional workbook holds today: confirm or change. A value you leave as it "
            "is counts as confirmed; a value you clear is cleared.\n"
            "4. Under each sub-action, the Roadmap's measures of progress say what counts as progress.\n"
            f"5. The '{pg.SHEET_SUMMARY}' sheet counts your milestones by status per pillar as you go.",
        ),
        ("What each Status means", statuses),
        (
            "Sending it back",
            "Save the file as it is (Excel .xlsx, or .ods from LibreOffice; from Google Sheets: File > Download > "
            "Microsoft Excel) and email it to the regional coordinator who sent it. A later report from your country "
            "replaces an earlier one (by the date of the report).",
        ),
        (
            "Please do not",
            "rename, add, delete or reorder sheets, or type over the locked cells. To report on something the plan "
            "does not list, add a row at the end of the Progress sheet: the coordinator sees it, but it does not "
            "change the plan. Nothing you report changes a score or a tier.",
        ),
    ]
    ws.title(f"ASEAN Responsible AI Roadmap: progress report {year}")
    ws.span(1, 0, 1, country.name, "heading")
    row = 3
    for title, body in sections:
        ws.text(row, 0, title, "bold")
        row = ws.paragraph(row, 1, 1, body)
    row += 1
    for key, label in (pg.REPORTED_BY, pg.REPORTED_ON):
        ws.text(row, pg.START_LABEL_COLUMN - 1, label, "bold")
        if key == pg.REPORTED_ON[0]:
            ws.blank(row, pg.START_VALUE_COLUMN - 1, "date")
            rule = {
                "validate": "date",
                "criteria": ">",
                "value": date(2024, 12, 31),
                "input_title": "Date of this report",
                "input_message": "Type the date of this report, e.g. 2027-06-30.",
                "error_title": "Not a date",
                "error_message": "Type a date, e.g. 2027-06-30.",
            }
            validation(ws.ws, row, row, 1, rule, "report date validation")
        else:
            ws.blank(row, pg.START_VALUE_COLUMN - 1, "edittext")
        ws.height(row, 20)
        row += 1
    row += 1
    ws.span(row, 0, 1, "About this file", "heading")
    row += 1
    for key, label in pg.IDENTITY:
        ws.text(row, pg.START_LABEL_COLUMN - 1, label, "bold")
        ws.text(row, pg.START_VALUE_COLUMN - 1, ident[key], "muted")
        row += 1


def _plan(ws: SheetWriter, catalogue: Catalogue, country: Country, year: int, rows: list[tuple[str, Typed]]) -> list[int]:
    """The plan: per action and sub-action a heading (with its measures of progress), then its milestones;
    returns the 0-based row of each milestone."""
    heads = [c.head for c in pg.PLAN]
    key_col, last = len(heads), len(heads) - 1
    columns = {c.key: i for i, c in enumerate(pg.PLAN)}
    ws.columns([*pg.PLAN_WIDTHS, 18])
    ws.hide_columns(key_col, key_col)
    ws.title(f"{country.name}: progress on the milestones of the {year} plan")
    note = (
        "Fill the yellow and blue cells (blue: what the regional workbook holds today, confirm or change). Status: "
        f"choose from the list (meanings on '{pg.SHEET_START}'). Target date: a date. Under each sub-action, the "
        "Roadmap's measures of progress, as guidance."
    )
    ws.paragraph(1, 0, last, note, "note")
    ws.header(FIRST_ROW - 1, [*heads, layout.key_head(country.code)])
    ws.freeze(FIRST_ROW, 1)
    terms = {t.key: f"{t.name}\n({t.years})" for t in catalogue.terms}
    row, action, sub, placed = FIRST_ROW, None, None, []
    for mid, typed in rows:
        found = catalogue.milestone(mid)
        if found is None:
            continue  # not in this catalogue: the regional workbook keeps it on its Archive
        a, s, m = found
        if a.id != action:
            action = a.id
            ws.span(row, 0, last, f"Pillar {a.pillar} · {a.id} {a.title}", "group")
            ws.fit(row, [(f"{a.id} {a.title}", 0, last)])
            row += 1
        if s.id != sub:
            sub = s.id
            row = ws.paragraph(row, 0, last, f"{s.id} {s.title}", "subgroup")
            if s.measures_of_progress:
                row = ws.paragraph(row, 0, last, "Measures of progress: " + "; ".join(s.measures_of_progress), "note")
        ws.text(row, columns[layout.MILESTONE_ID.key], m.id, "bold")
        ws.number(row, columns[layout.PILLAR.key], a.pillar, "center")
        ws.text(row, columns[layout.ACTION.key], a.id)
        ws.text(row, columns[layout.SUB_ACTION.key], s.id)
        ws.text(row, columns[layout.TERM.key], terms[m.term])
        ws.text(row, columns[layout.MILESTONE.key], m.text)
        ws.text(row, key_col, m.id, "key")
        for c in pg.REPORTED:
            _reported(ws, row, columns[c.key], c.key, typed)
        texts = [(m.text, columns[layout.MILESTONE.key]), (terms[m.term], columns[layout.TERM.key])]
        texts += [(v, columns[c.key]) for c in pg.REPORTED if isinstance(v := held(typed, c.key)[0], str)]
        ws.fit(row, [(t, c, c) for t, c in texts])
        placed.append(row)
        row += 1
    _validations(ws, placed, columns)
    ws.autofilter(FIRST_ROW - 1, max(row - 1, FIRST_ROW), 0, last)
    return placed


def _reported(ws: SheetWriter, row: int, col: int, key: str, typed: Typed) -> None:
    """A cell the Member State fills, holding what the regional workbook holds (blue when it holds something)."""
    value, fmt = held(typed, key)
    value = in_a_cell(value)  # a text longer than a cell holds (a tracker saved as .ods): its start, said
    shown = value not in (None, "", NOT_STARTED)
    fill = PREFILLED if shown else ""
    if isinstance(value, str):
        # a Target date held as text ("Q3 2027") sits in a date cell, not a text one: a date typed over it
        # is then a date, and text typed stays text
        style = "edit" if key == layout.STATUS.key else "date" if key == layout.TARGET.key else "edittext"
        ws.text(row, col, value, style, fill)
    elif value is None:
        ws.blank(row, col, "date" if key == layout.TARGET.key else "edittext", fill)
    elif isinstance(value, date):
        f = ws.st("date", fill, num_format=fmt)
        at = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
        checked(ws.ws.write_datetime(row, col, at, f), f"date at {ws.name}!R{row + 1}")
    elif isinstance(value, bool):
        checked(ws.ws.write_boolean(row, col, value, ws.st("edit", fill)), f"boolean at {ws.name}!R{row + 1}")
    else:  # a number shown as it was (a year typed as 2027 stays 2027)
        checked(ws.ws.write_number(row, col, value, ws.st("edit", fill, num_format=fmt)), f"number at {ws.name}!R{row + 1}")


def _validations(ws: SheetWriter, placed: list[int], columns: dict[str, int]) -> None:
    if not placed:
        return
    first, last = placed[0], placed[-1]
    status, target = columns[layout.STATUS.key], columns[layout.TARGET.key]
    rules = (
        (
            status,
            {
                "validate": "list",
                "source": "=L_STATUS",
                "input_title": "Status",
                "input_message": "Choose the milestone's status from the list (meanings on 'Start here').",
                "error_title": "Not a status",
                "error_message": "Choose one of: " + ", ".join(STATUSES) + ".",
            },
        ),
        (
            target,
            {  # any value: a date, or the text the tracker holds ("Q3 2027"), kept as typed
                "validate": "any",
                "input_title": "Target date",
                "input_message": "Type the date the milestone is to be reached, e.g. 2027-06-30 "
                "(text such as 'Q3 2027' is kept as typed).",
            },
        ),
    )
    for col, rule in rules:
        validation(ws.ws, first, last, col, rule, f"validation on {ws.name}")
    ws.ws.set_selection(first, status, first, status)


def _summary(ws: SheetWriter, catalogue: Catalogue, rows: list[tuple[str, Typed]], placed: list[int]) -> None:
    """Milestones by status per pillar, counted live from the Progress sheet (with correct cached values)."""
    heads = ["Pillar", "Targeted pillar", "Milestones", *STATUSES, "Other"]
    ws.columns([8, 40, 11] + [12] * (len(STATUSES) + 1))
    ws.title("Summary: milestones by status per pillar")
    note = f"Counted from the '{pg.SHEET_PLAN}' sheet as you fill it. 'Other' counts a Status that is not on the list."
    ws.span(1, 0, len(heads) - 1, note, "note")
    ws.header(3, heads)
    sheet = quoted(pg.SHEET_PLAN)
    columns = {c.key: i for i, c in enumerate(pg.PLAN)}
    span = (placed[0], placed[-1]) if placed else (FIRST_ROW, FIRST_ROW)

    def rng(key: str) -> str:
        return f"{sheet}!{xl_range_abs(span[0], columns[key], span[1], columns[key])}"

    pillars = {mid: found[0].pillar for mid, _ in rows if (found := catalogue.milestone(mid))}
    for i, p in enumerate(catalogue.targeted_pillars):
        row = 4 + i
        mine = [held(t, layout.STATUS.key)[0] for mid, t in rows if pillars.get(mid) == p.number]
        ws.number(row, 0, p.number, "center")
        ws.text(row, 1, p.name)
        ws.formula(row, 2, f"=COUNTIF({rng(layout.PILLAR.key)},{p.number})", len(mine), "center")
        for j, status in enumerate(STATUSES, start=3):
            formula = f'=COUNTIFS({rng(layout.PILLAR.key)},{p.number},{rng(layout.STATUS.key)},"{status}")'
            ws.formula(row, j, formula, mine.count(status), "center")
        first, end = xl_rowcol_to_cell(row, 3), xl_rowcol_to_cell(row, 2 + len(STATUSES))
        other = sum(s not in STATUSES for s in mine)
        ws.formula(row, 3 + len(STATUSES), f"={xl_rowcol_to_cell(row, 2)}-SUM({first}:{end})", other, "center")
        ws.height(row, 20)


def _as_made(ws: SheetWriter, rows: list[tuple[str, Typed]]) -> None:
    """What the regional workbook held for each milestone when this workbook was made (hidden, locked)."""
    ws.columns([13, 14, 20, 12, 28, 28])
    ws.header(0, [c.head for c in pg.AS_MADE])
    for r, (mid, typed) in enumerate(rows, start=1):
        ws.text(r, 0, mid)
        for c, field in enumerate(pg.REPORTED, start=1):
            value, fmt = held(typed, field.key)
            ws.value(r, c, in_a_cell(value), "cell", "tabledate", fmt)
