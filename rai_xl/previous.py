"""Read an earlier regional workbook (`consolidate --previous`): its identity, History and typed checklists.

The workbook may have been edited and saved by Excel, LibreOffice or Google Sheets, so everything is
found by its marks and header cells, never by position, and read with the bounded reader that reads
returns. Nothing here writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from rai_xl import identity as questionnaire_ids
from rai_xl.catalogue import Catalogue
from rai_xl.identity import Prefill
from rai_xl.regional import marks
from rai_xl.report import REGIONAL, HistoryRow, PreviousRound, Typed, TypedRow, Value
from rai_xl.returns import cell_text, parse_year
from rai_xl.spreadsheet import Cell, Sheet, UnreadableFile, Workbook, excel_date, read_workbook, spreadsheet_kind

EXPECTED = "--previous expects a regional workbook written by rai-xl consolidate"
ASCII_NUMBER = re.compile(r"[0-9]+")  # str.isdigit() also accepts '²', which int() refuses
MILESTONE = re.compile(r"[CAPE][1-4]\.\d+\.\d+\.[SML]\d+")
# A workbook written before regional workbooks carried identity marks (schema 0): known by its own text.
LEGACY_TITLE = re.compile(r"ASEAN Responsible AI readiness self-assessment: regional overview (\d{4})")
LEGACY_METHOD = re.compile(r"Methodology version (\S+); catalogue fingerprint ([0-9a-f]+)\.")
LEAD_HEADS = (marks.LEAD, "Lead")  # the Cross-cutting sheet of schema 0 said "Lead"


class PreviousError(ValueError):
    """--previous cannot be used; the message says what the file is and what was expected, in one line."""


def read_previous(path: Path, catalogue: Catalogue) -> PreviousRound:
    """What the regional workbook at *path* holds; PreviousError if it is not one rai-xl can read.
    Whether it can serve a given round is `refuse_later`'s to say."""
    data, ident, prev_year = _open(path)
    name = path.name
    records = _read(data, name, {"History", "Scores", "Answers", marks.SHEET_ANSWER_HISTORY})
    history = _history(records, prev_year)
    findings = []
    if records.sheet("History") is None and ident.get("schema_version", "0") != "0":
        findings.append(f"its History sheet is missing, so rounds before {prev_year} are not carried into History")
    included = {h.code for h in history if h.year == prev_year}
    typed: list[TypedRow] = []
    for code, sheet in _checklists(catalogue):
        # one sheet at a time: the reader bounds the XML it parses per call, and a whole workbook exceeds it
        book = _read(data, name, {sheet})
        if book.sheet(sheet) is None and code in included:
            findings.append(
                f"its checklist sheet '{sheet}' is missing (renamed or deleted), so entries typed on it are not carried"
            )
        typed += _typed_rows(book.sheet(sheet), code, prev_year, catalogue)
    return PreviousRound(
        name,
        prev_year,
        ident.get("methodology_version", ""),
        ident.get("catalogue_fingerprint", ""),
        history,
        _answers(records, catalogue, prev_year),
        tuple(typed),
        tuple(findings),
    )


def previous_answers(path: Path, catalogue: Catalogue, year: int) -> tuple[int, dict[str, Prefill]]:
    """The round of the regional workbook at *path* and, per country code, what its `Answers` table holds
    to pre-fill next round's questionnaire: the answers that are this catalogue's labels, and every
    evidence and comment whatever became of the answer (with the reason an answer is not pre-filled)."""
    data, _, prev_year = _open(path)
    refuse_later(path.name, prev_year, year)
    out: dict[str, Prefill] = {}
    ids = {c.id for c in catalogue.criteria}
    heads = ("Country code", "Criterion", "Answer", "Evidence", *marks.ANSWERS_EXTRA)
    for r in _records(_read(data, path.name, {"Answers"}).sheet("Answers"), *marks.ANSWERS_HEADS):
        code, cid, label, evidence, comments = (_text_of(r.get(k)) for k in heads)
        if not code or cid not in ids:
            continue
        found = out.setdefault(code, Prefill(prev_year))
        if label in catalogue.criterion(cid).labels:
            found.answers[cid] = label
        elif label:
            found.why_not[cid] = f"your {prev_year} answer '{label}' is not one of this questionnaire's answers"
        else:
            found.why_not[cid] = f"no {prev_year} answer was accepted (blank, or not one of the three answers)"
        if evidence:
            found.evidence[cid] = evidence
        if comments:
            found.comments[cid] = comments
    return prev_year, out


def _text_of(v: Value) -> str:
    return "" if v is None else str(v)


def refuse_later(name: str, previous_year: int, year: int) -> None:
    """PreviousError when a regional workbook of *previous_year* cannot serve the round of *year*."""
    if previous_year > year:
        raise PreviousError(
            f"--previous {name} is the regional workbook for {previous_year}, later than this round ({year}); "
            "--previous expects this round's workbook or an earlier one"
        )


def _open(path: Path) -> tuple[bytes, dict[str, str], int]:
    """The bytes, identity and round of a regional workbook."""
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PreviousError(f"cannot read --previous {path}: {exc.strerror or exc}") from None
    if spreadsheet_kind(data) == "ods":
        raise PreviousError(
            f"--previous {name} is saved as .ods; rai-xl reads an earlier regional workbook from .xlsx only: "
            "open it and save it as Excel Workbook (.xlsx)"
        )
    wb = _read(data, name, {marks.SHEET_METHODOLOGY, marks.SHEET_OVERVIEW, questionnaire_ids.SHEET_START})
    ident = _identity(wb)
    if ident.get("template_id") != marks.TEMPLATE_ID:
        raise PreviousError(f"--previous {name} is {_what(wb, ident)}; {EXPECTED}")
    schema = ident.get("schema_version", "")
    if not ASCII_NUMBER.fullmatch(schema) or int(schema) > int(marks.SCHEMA_VERSION):
        raise PreviousError(
            f"--previous {name} was written by a newer rai-xl (regional workbook schema {schema or '?'}); "
            f"this rai-xl reads schema {marks.SCHEMA_VERSION}: update rai-xl"
        )
    found = ident.get("year", "")
    prev_year = parse_year(found)
    if prev_year is None:
        raise PreviousError(f"--previous {name} names no assessment year ('{found}'); {EXPECTED}")
    return data, ident, prev_year


def _read(data: bytes, name: str, sheets: set[str]) -> Workbook:
    try:
        return read_workbook(data, wanted=sheets)
    except UnreadableFile as exc:
        raise PreviousError(f"--previous {name} cannot be read: {exc}; {EXPECTED}") from None


def _checklists(catalogue: Catalogue) -> list[tuple[str | None, str]]:
    """(country code, sheet name) of every checklist: country sheets, Cross-cutting, and Archive (code per row)."""
    return [(c.code, marks.checklist_sheet(c.name)) for c in catalogue.countries] + [
        (REGIONAL, marks.SHEET_REGIONAL),
        (None, marks.SHEET_ARCHIVE),
    ]


def _identity(wb: Workbook) -> dict[str, str]:
    """The regional identity: custom properties first, else the labelled cells on the Methodology sheet."""
    props = {k[len(marks.PROPERTY_PREFIX) :]: v for k, v in wb.properties.items() if k.startswith(marks.PROPERTY_PREFIX)}
    if props.get("template_id") == marks.TEMPLATE_ID:
        return props
    sheet = wb.sheet(marks.SHEET_METHODOLOGY)
    labels = {label: key for key, label in marks.IDENTITY}
    cells = {}
    if sheet is not None:
        for (row, col), c in sheet.cells.items():
            if col == 1 and isinstance(c.value, str) and c.value in labels:
                cells[labels[c.value]] = cell_text(sheet.cells.get((row, 2)))
    if cells.get("template_id") == marks.TEMPLATE_ID:
        return cells
    return _legacy_identity(wb) or props


def _legacy_identity(wb: Workbook) -> dict[str, str]:
    """The identity of a regional workbook written before identity marks, read from its own titles."""
    overview, method = wb.sheet(marks.SHEET_OVERVIEW), wb.sheet(marks.SHEET_METHODOLOGY)
    title = LEGACY_TITLE.fullmatch(cell_text(overview.cells.get((1, 1)))) if overview else None
    about = LEGACY_METHOD.search(cell_text(method.cells.get((2, 1)))) if method else None
    if not (title and about):
        return {}
    return {
        "template_id": marks.TEMPLATE_ID,
        "schema_version": "0",
        "methodology_version": about[1],
        "catalogue_fingerprint": about[2],
        "year": title[1],
    }


def _what(wb: Workbook, ident: dict[str, str]) -> str:
    if ident.get("template_id") == questionnaire_ids.TEMPLATE_ID or wb.sheet(questionnaire_ids.SHEET_START):
        return "a rai-xl questionnaire (a return), not a regional workbook"
    return "not a rai-xl regional workbook (no regional workbook identity found)"


def _header(sheet: Sheet, *names: str) -> tuple[int, dict[str, int]] | None:
    """(row, {header: column}) of the first row holding all of *names*."""
    rows: dict[int, dict[str, int]] = {}
    for (row, col), c in sheet.cells.items():
        if isinstance(c.value, str):
            rows.setdefault(row, {}).setdefault(c.value, col)
    for row in sorted(rows):
        if all(n in rows[row] for n in names):
            return row, rows[row]
    return None


def _records(sheet: Sheet | None, *names: str) -> Iterator[dict[str, Value]]:
    """{header: value} for every row under the header row holding *names*."""
    if sheet is None:
        return
    found = _header(sheet, *names)
    if found is None:
        return
    top, cols = found
    last = max((r for r, _ in sheet.cells), default=top)
    for row in range(top + 1, last + 1):
        rec = {h: _value(sheet.cells.get((row, col))) for h, col in cols.items()}
        if any(v not in (None, "") for v in rec.values()):
            yield rec


def _value(cell: Cell | None) -> Value:
    return None if cell is None else cell.value  # type: ignore[return-value]


def _number(v: Value) -> float | None:
    if isinstance(v, bool) or v in (None, ""):
        return None
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _history(wb: Workbook, year: int) -> tuple[HistoryRow, ...]:
    """The History table; from a workbook made before History existed, its Scores (that round only)."""
    out = []
    for name in ("History", "Scores"):
        for r in _records(wb.sheet(name), *marks.HISTORY_HEADS):
            y, pillar, score = _number(r["Year"]), _number(r["Pillar"]), _number(r["Score"])
            if y is None or pillar is None or not r["Country code"]:
                continue
            complete = r["Complete"] in (True, 1.0) or str(r["Complete"]).upper() in ("TRUE", "1")
            tier = _text_of(r["Tier"]) or None  # a pillar with no answer has no score and no tier
            out.append(HistoryRow(str(r["Country code"]), str(r["Country"]), int(y), int(pillar), score, tier, complete))
        if out:
            break
    return tuple(out)


def _answers(wb: Workbook, catalogue: Catalogue, year: int) -> dict[tuple[str, int], dict[str, float | None]]:
    """Each round's points per criterion (Answer history), else the Answers table of the workbook's own round."""
    ids = [c.id for c in catalogue.criteria]
    out: dict[tuple[str, int], dict[str, float | None]] = {}
    for r in _records(wb.sheet(marks.SHEET_ANSWER_HISTORY), *marks.ANSWER_HISTORY_LEAD):
        y = _number(r["Year"])
        if y is not None and r["Country code"]:
            out[(str(r["Country code"]), int(y))] = {cid: _number(r.get(cid)) for cid in ids}
    if not out:
        for r in _records(wb.sheet("Answers"), *marks.ANSWERS_HEADS):
            out.setdefault((str(r["Country code"]), year), {})[str(r["Criterion"])] = _number(r["Points"])
    return out


def _typed_rows(sheet: Sheet | None, code: str | None, year: int, catalogue: Catalogue) -> list[TypedRow]:
    """The rows of one checklist on which something was entered (*code* None: the Archive, a code per row)."""
    if sheet is None:
        return []
    found = _header(sheet, marks.STATUS, marks.TARGET, marks.NOTES)
    if found is None:
        return []
    heads = found[1]
    lead = next((h for h in LEAD_HEADS if h in heads), marks.LEAD)
    legacy = marks.MILESTONE_ID not in heads  # schema 0: the ID follows from sub-action and milestone text
    ids = {(s.id, m.text): m.id for a in catalogue.actions for s in a.sub_actions for m in s.milestone_items}
    out = []
    for r in _records(sheet, marks.STATUS, marks.TARGET, marks.NOTES):
        if legacy:
            sub = str(r.get("Sub-action") or "").split(" ", 1)[0]
            mid: Value = ids.get((sub, str(r.get("Milestone") or "")))
        else:
            mid = r[marks.MILESTONE_ID]
        if not isinstance(mid, str) or not MILESTONE.fullmatch(mid.strip()):
            continue
        typed = Typed(r[marks.STATUS], r.get(lead), _date(r[marks.TARGET]), r[marks.NOTES])
        if not typed.entered:
            continue
        country = code if code is not None else str(r.get("Country code") or "")
        names = ("Action" if code is None else "Action area", "Sub-action", "Term", "Milestone")
        shown = tuple(str(r.get(h) or "") for h in names)
        entered = _number(r.get("Entered in")) if code is None else None
        out.append(TypedRow(country, mid.strip(), typed, shown, int(entered) if entered else year))  # type: ignore[arg-type]
    return out


def _date(v: Value) -> Value:
    """A Target date as a date: the reader gives a date, or an Excel day number when the cell lost its
    date format."""
    if isinstance(v, datetime):
        return v.date() if v.time() == datetime.min.time() else v
    if isinstance(v, float):
        return excel_date(v)
    return v
