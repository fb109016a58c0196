"""Read an earlier regional workbook (`consolidate --previous`): its identity, History and typed checklists.

The workbook may have been edited and saved by Excel, LibreOffice or Google Sheets, so everything is
found by its marks and header cells, never by position, and read with the bounded reader that reads
returns. Nothing here writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from rai_xl.core.collection import contact_line
from rai_xl.core.previous_round import HistoryRow, PreviousRound
from rai_xl.core.progress_return import ProgressRow
from rai_xl.core.text import parse_year, shown_value
from rai_xl.core.typed import REGIONAL, Typed, TypedRow, Unplaced, Value
from rai_xl.errors import UsageError
from rai_xl.issues import Msg
from rai_xl.layouts import progress as pg
from rai_xl.layouts import questionnaire as questionnaire_ids
from rai_xl.layouts import regional as marks
from rai_xl.layouts import tracker as layout
from rai_xl.layouts.questionnaire import Prefill
from rai_xl.method.catalogue import Catalogue
from rai_xl.read.cells import cell_text
from rai_xl.read.entries import Entries, read_entries
from rai_xl.read.spreadsheet import Cell, Sheet, UnreadableFile, Workbook, column_letters, read_workbook, spreadsheet_kind
from rai_xl.read.spreadsheet.files import read_file

EXPECTED = "--previous expects a regional workbook written by rai-xl consolidate"
ASCII_NUMBER = re.compile(r"[0-9]+")  # str.isdigit() also accepts '²', which int() refuses
# A workbook written before regional workbooks carried identity marks (schema 0): known by its own text.
LEGACY_TITLE = re.compile(r"ASEAN Responsible AI readiness self-assessment: regional overview (\d{4})")
LEGACY_METHOD = re.compile(r"Methodology version (\S+); catalogue fingerprint ([0-9a-f]+)\.")
IDENTITY_SHEETS = (marks.SHEET_METHODOLOGY, marks.SHEET_OVERVIEW, questionnaire_ids.SHEET_START)
OLDER = ("Scores", "Answers")  # read for History and Answer history when a workbook made before them lacks them
ARCHIVE = "archive"  # what _whose says of the Archive, whose rows name their countries
# Every tracker-like sheet is read by one layout: a tracker's columns and the Archive's.
CHECKLIST = marks.SHEET_CHECKLIST
LAYOUT = (*layout.TRACKER, layout.COUNTRY_CODE, layout.COUNTRY, layout.ENTERED, layout.REASON)
READ_ONLY = (
    marks.SHEET_OVERVIEW,
    marks.SHEET_CRITERIA,
    marks.SHEET_SUBMISSIONS,
    marks.SHEET_ISSUES,
    marks.SHEET_METHODOLOGY,
    marks.SHEET_ANSWER_HISTORY,
    *marks.TABLE_SHEETS,
)
_STRAY = Msg.STRAY.format()


class PreviousError(UsageError):
    """--previous cannot be used; the message says what the file is and what was expected, in one line."""


class PreviousUnreadable(PreviousError):
    """The workbook cannot be read at all (not a file, encrypted, Strict Open XML, past the reader's bounds):
    what it holds is unknown, so it is never taken to hold nothing. *reason*: the reader's, alone."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


@dataclass(frozen=True)
class Record:
    """A regional workbook read once: what it holds, its `Progress` table, and its sheets by name."""

    round: PreviousRound
    progress: tuple[ProgressRow, ...]
    workbook: Workbook


def read_previous(path: Path, catalogue: Catalogue, data: bytes | None = None) -> PreviousRound:
    """What the regional workbook at *path* (its bytes *data*, when read already) holds; PreviousError if it is
    not one rai-xl can read. Whether it can serve a given round is `refuse_later`'s to say."""
    return read_record(path, catalogue, data=data).round


def read_record(path: Path, catalogue: Catalogue, checklist: bool = True, data: bytes | None = None) -> Record:
    """The regional workbook at *path*, read once: every sheet in one pass (its shared strings parsed once,
    all its trackers within one budget, a record's), the Checklist table's formula cells left out (they hold
    nothing typed). PreviousError if it is not one rai-xl can read. Without *checklist*, the Checklist table is
    not read: the values typed over it are `with_typed_over`'s to add (consolidate reads it meanwhile)."""
    skipped = () if checklist else (CHECKLIST,)
    wb = _read(_bytes(path, data), path.name, None, values_only={CHECKLIST}, skipped=skipped)
    return Record(_round(path.name, wb, catalogue), _progress_table(wb.sheet(pg.PROGRESS_TABLE)), wb)


def read_checklist(path: Path) -> Sheet | None:
    """The Checklist table of the regional workbook at *path*, its formula cells left out (PreviousError when
    it cannot be read)."""
    return _read(_bytes(path), path.name, {CHECKLIST}, values_only={CHECKLIST}).sheet(CHECKLIST)


def with_typed_over(previous: PreviousRound, checklist: Sheet | None) -> PreviousRound:
    """*previous*, read without its Checklist table, with the values typed over that table's formulas."""
    return replace(previous, typed=previous.typed + tuple(_typed_over(checklist, previous.year)))


def _round(name: str, wb: Workbook, catalogue: Catalogue) -> PreviousRound:
    """What a regional workbook holds: History, answers, and every entry typed on its trackers."""
    ident, prev_year = _identified(name, wb)
    listed = [sheet.name for sheet in wb.sheets]
    candidates = _candidates(listed, catalogue)
    # a workbook made before History and Answer history: their rounds are read from its Scores and Answers
    older = not {"History", marks.SHEET_ANSWER_HISTORY} <= set(listed)
    records = wb if older else replace(wb, sheets=[s for s in wb.sheets if s.name not in OLDER])
    history = _history(records, prev_year)
    findings: list[str] = []
    if records.sheet("History") is None and ident.get("schema_version", "0") != "0":
        findings.append(Msg.HISTORY_MISSING.format(year=prev_year))
    typed: list[TypedRow] = []
    unplaced: list[Unplaced] = []
    resolved: list[tuple[Unplaced, str]] = []
    found: set[str] = set()
    headers: dict[str, dict[str, str]] = {}
    for sheet_name in candidates:
        sheet = wb.sheet(sheet_name)
        if sheet is None:
            continue
        if _is_unplaced(sheet):
            for entry, mark in _unplaced(sheet, prev_year):
                if mark:
                    resolved.append((entry, mark))
                else:
                    unplaced.append(entry)
            continue
        entries = read_entries(sheet, LAYOUT)
        code = _whose(sheet, entries, catalogue)
        if entries is None or code is None:
            continue
        found.add(code)
        headers[code] = reworded(entries)
        typed += _typed_rows(entries, code, prev_year, catalogue)
        unplaced += [
            Unplaced(code or "", sheet.name, ref, "", "", what, v, "", prev_year, _STRAY) for ref, v, what in entries.stray
        ]
        findings += _unrecognised(entries)
    for code in sorted({h.code for h in history if h.year == prev_year} - found):
        country = catalogue.country(code)
        if country is not None:
            findings.append(Msg.TRACKER_MISSING.format(country=country.name, sheet=marks.checklist_sheet(country.name)))
    if REGIONAL not in found:
        findings.append(Msg.REGIONAL_TRACKER_MISSING.format(sheet=marks.SHEET_REGIONAL))
    checklist = wb.sheet(CHECKLIST)
    return PreviousRound(
        name,
        prev_year,
        ident.get("methodology_version", ""),
        ident.get("catalogue_fingerprint", ""),
        history,
        _answers(records, catalogue, prev_year),
        tuple(typed + _typed_over(checklist, prev_year)),
        tuple(findings),
        tuple(unplaced),
        headers,
        tuple(resolved),
    )


def record_size(path: Path, catalogue: Catalogue, data: bytes | None = None) -> tuple[int, int] | None:
    """(typed entries, rounds of History) of the regional workbook at *path*; None when it is not a rai-xl
    regional workbook (then nothing of a record would be lost by replacing it). PreviousUnreadable when it
    cannot be read at all: what it holds is unknown, never taken as nothing.
    An entry is a checklist row with something typed on it (however many cells), or an unplaced value."""
    try:
        held = read_previous(path, catalogue, data)
    except PreviousUnreadable:
        raise
    except PreviousError:
        return None
    rows = {(t.country, t.milestone_id or f"{t.sheet}!{t.row}") for t in held.typed}
    return len(rows) + len(held.unplaced), len({h.year for h in held.history})


def previous_answers(path: Path, catalogue: Catalogue, year: int) -> tuple[int, dict[str, Prefill]]:
    """The round of the regional workbook at *path* and, per country code, what its `Answers` table holds
    to pre-fill next round's questionnaire: the answers that are this catalogue's labels, and every
    evidence and comment whatever became of the answer (with the reason an answer is not pre-filled)."""
    wb = _read(_bytes(path), path.name, {*IDENTITY_SHEETS, "Answers", marks.SHEET_SUBMISSIONS, marks.SHEET_OVERVIEW})
    _, prev_year = _identified(path.name, wb)
    refuse_later(path.name, prev_year, year)
    out: dict[str, Prefill] = {}
    ids = {c.id for c in catalogue.criteria}
    heads = ("Country code", "Criterion", "Answer", "Evidence", *marks.ANSWERS_EXTRA)
    for r in _records(wb.sheet("Answers"), *marks.ANSWERS_HEADS):
        code, cid, label, evidence, comments = (shown_value(r.get(k)) for k in heads)
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
    for code, details in _respondents(wb, catalogue, prev_year).items():
        out.setdefault(code, Prefill(prev_year)).respondent.update(details)
    return prev_year, out


def _respondents(wb: Workbook, catalogue: Catalogue, year: int) -> dict[str, dict[str, str]]:
    """Per country code, who filled its return included in the round of *year*: name and agency from the
    Submissions sheet, position and email from the contact line of the Overview's chase list (read around the
    known name and agency; left out when the line does not read so)."""
    codes = {c.name: c.code for c in catalogue.countries}
    out: dict[str, dict[str, str]] = {}
    country, year_head, who, agency, made, status = marks.SUBMISSIONS_WHO
    for r in _records(wb.sheet(marks.SHEET_SUBMISSIONS), *marks.SUBMISSIONS_WHO):
        code = codes.get(shown_value(r[country]))
        questionnaire = not shown_value(r[made]).startswith("progress")  # a progress workbook lists its reporter
        if code and shown_value(r[year_head]) == str(year) and shown_value(r[status]) == "included" and questionnaire:
            out.setdefault(code, {"name": shown_value(r[who]), "agency": shown_value(r[agency])})
    member, contact = marks.CHASE_CONTACT
    seen: set[str] = set()
    for r in _records(wb.sheet(marks.SHEET_OVERVIEW), *marks.CHASE_CONTACT):
        code = codes.get(shown_value(r[member]))
        if code in out and code not in seen:  # the chase list comes first, one row per Member State
            seen.add(code)
            out[code].update(_position_and_email(shown_value(r[contact]), out[code]["name"], out[code]["agency"]))
    return {code: {k: v for k, v in details.items() if v} for code, details in out.items()}


def _position_and_email(line: str, name: str, agency: str) -> dict[str, str]:
    """Position and email from a chase list's contact line 'Name (Position, Agency) <email>' whose name and
    agency are known; {} when the line does not read so (edited, or several returns' lines joined)."""
    if not line.startswith(name):
        return {}
    rest, email = line[len(name) :].strip(" "), ""
    if rest.endswith(">") and "<" in rest:
        rest, email = rest[: rest.rindex("<")].rstrip(" "), rest[rest.rindex("<") + 1 : -1]
    if not rest:
        return {"email": email}
    if not (rest.startswith("(") and rest.endswith(")")):
        return {}
    role = rest[1:-1]
    if agency and role == agency:
        role = ""
    elif agency and role.endswith(f", {agency}"):
        role = role[: -len(agency) - 2]
    elif agency:
        return {}
    found = {"position": role, "email": email}
    return found if contact_line({"name": name, "agency": agency, **found}) == line else {}  # read as written


def open_regional(path: Path) -> tuple[bytes, int, list[str]]:
    """The bytes, round and sheet names of the regional workbook at *path*; PreviousError if it is not one."""
    data, _, year, listed = _open(path)
    return data, year, listed


def refuse_later(name: str, previous_year: int, year: int) -> None:
    """PreviousError when a regional workbook of *previous_year* cannot serve the round of *year*."""
    if previous_year > year:
        raise PreviousError(
            f"--previous {name} is the regional workbook for {previous_year}, later than this round ({year}); "
            "--previous expects this round's workbook or an earlier one"
        )


def _open(path: Path) -> tuple[bytes, dict[str, str], int, list[str]]:
    """The bytes, identity, round and sheet names of a regional workbook."""
    data = _bytes(path)
    wb = _read(data, path.name, IDENTITY_SHEETS)
    ident, prev_year = _identified(path.name, wb)
    return data, ident, prev_year, [sheet.name for sheet in wb.sheets]


def _bytes(path: Path, data: bytes | None = None) -> bytes:
    """The bytes of the file at *path* (*data*, when read already), which must be an .xlsx."""
    if data is None:
        try:
            data = read_file(path)  # a regular file within the size bound, checked before it is opened
        except UnreadableFile as exc:
            raise PreviousUnreadable(f"--previous {path}: {exc}", str(exc)) from None
    if spreadsheet_kind(data) == "ods":
        raise PreviousError(
            f"--previous {path.name} is saved as .ods; rai-xl reads an earlier regional workbook from .xlsx only: "
            "open it and save it as Excel Workbook (.xlsx)"
        )
    return data


def _identified(name: str, wb: Workbook) -> tuple[dict[str, str], int]:
    """The identity and round of the regional workbook *wb* (read with at least IDENTITY_SHEETS)."""
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
    return ident, prev_year


def _read(
    data: bytes, name: str, sheets: Iterable[str] | None, values_only: Iterable[str] = (), skipped: Iterable[str] = ()
) -> Workbook:
    """The sheets named (all when None) but the *skipped*, within the bounds of a record."""
    try:
        return read_workbook(data, wanted=sheets, record=True, values_only=values_only, skipped=skipped)
    except UnreadableFile as exc:
        raise PreviousUnreadable(f"--previous {name} cannot be read: {exc}; {EXPECTED}", str(exc)) from None


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
    wanted = set(names)
    found: dict[int, set[str]] = {}
    for (row, _), c in sheet.cells.items():  # first the rows holding the names, looking at no other cell
        if c.value in wanted:
            found.setdefault(row, set()).add(c.value)  # type: ignore[arg-type]
    rows = [row for row, held in found.items() if len(held) == len(wanted)]
    if not rows:
        return None
    top = min(rows)
    heads: dict[str, int] = {}
    for (row, col), c in sheet.cells.items():
        if row == top and isinstance(c.value, str):
            heads.setdefault(c.value, col)
    return top, heads


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
    return None if cell is None else cell.value


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
            tier = shown_value(r["Tier"]) or None  # a pillar with no answer has no score and no tier
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


def _candidates(listed: list[str], catalogue: Catalogue) -> list[str]:
    """The sheets that may hold typed entries: every sheet but those rai-xl writes for reading only."""
    others = {*READ_ONLY, *(marks.profile_sheet(c.name) for c in catalogue.countries)}
    return [n for n in listed if n not in others]


def _title(sheet: Sheet) -> str:
    return cell_text(sheet.cells.get((1, 1)))


def _is_unplaced(sheet: Sheet) -> bool:
    return sheet.name == marks.SHEET_UNPLACED or _title(sheet).startswith(layout.UNPLACED_TITLE)


def _whose(sheet: Sheet, entries: Entries | None, catalogue: Catalogue) -> str | None:
    """The country code of a tracker (REGIONAL for Cross-cutting, "" -> None for none), ARCHIVE for the
    Archive: by the key column's header, else the sheet's name, else its title."""
    if entries is None:
        return None
    if entries.identity:
        if entries.identity == layout.REGIONAL_KEY:
            return REGIONAL
        return entries.identity if catalogue.country(entries.identity) else None
    title = _title(sheet)
    if sheet.name == marks.SHEET_ARCHIVE or title.startswith(layout.ARCHIVE_TITLE):
        return ARCHIVE
    if sheet.name == marks.SHEET_REGIONAL or title.startswith(layout.REGIONAL_TITLE):
        return REGIONAL
    for c in catalogue.countries:
        if sheet.name == marks.checklist_sheet(c.name) or title.startswith(f"{c.name}: {layout.TRACKER_TITLE}"):
            return c.code
    return None


def _typed_rows(entries: Entries, code: str, year: int, catalogue: Catalogue) -> list[TypedRow]:
    """The rows of one checklist on which something was entered (*code* ARCHIVE: a code per row).

    A row's milestone is its key's, else its visible Milestone ID in any case, else the milestone of
    its sub-action and milestone text (workbooks before Milestone IDs); "" when none is found."""
    ids = {(s.id, m.text): m.id for a in catalogue.actions for s in a.sub_actions for m in s.milestone_items}
    out = []
    for r in entries.rows:
        v = r.values
        key_id, _, key_year = r.key.partition(" ")
        shown_id = shown_value(v.get(layout.MILESTONE_ID.key)).strip()
        if layout.MILESTONE_ID_PATTERN.fullmatch(key_id):
            mid = key_id
        elif layout.MILESTONE_ID_PATTERN.fullmatch(shown_id.upper()):
            mid = shown_id.upper()
        else:
            sub = shown_value(v.get(layout.SUB_ACTION.key)).split(" ", 1)[0]
            mid = ids.get((sub, shown_value(v.get(layout.MILESTONE.key))), "")
        found_id = shown_id if shown_id and shown_id.upper() != mid else ""
        entered = _number(v.get(layout.ENTERED.key)) or (_number(key_year) if key_year else None)
        country = shown_value(v.get(layout.COUNTRY_CODE.key)).strip() if code == ARCHIVE else code
        shown = tuple(shown_value(v.get(c.key)) for c in layout.SHOWN)
        out.append(
            TypedRow(
                country,
                mid,
                r.typed,
                shown,  # type: ignore[arg-type]
                int(entered) if entered else year,
                entries.sheet,
                r.number,
                tuple(r.cells.items()),
                found_id,
            )
        )
    return out


def reworded(entries: Entries) -> dict[str, str]:
    """{column key: header} of the layout's columns whose header a person reworded ("Lead agency / focal point")."""
    columns = {c.key: c for c in LAYOUT}
    return {k: h for k, h in entries.heads.items() if k in columns and h.strip() and not columns[k].exactly(h)}


def _unrecognised(entries: Entries) -> list[str]:
    """What a person is told about a header row whose typed columns are not all found."""
    if not entries.missing:
        return []
    heads = ", ".join(f"'{h}'" for h in entries.added.values()) or "none"
    missing = ", ".join(c.head for c in entries.missing)
    return [Msg.HEADERS_UNRECOGNISED.format(sheet=entries.sheet, row=entries.header_row, missing=missing, heads=heads)]


def _typed_over(sheet: Sheet | None, year: int) -> list[TypedRow]:
    """Values typed over the `Checklist` table's formulas, as entries of their country and milestone."""
    found = _header(sheet, *marks.CHECKLIST_HEADS) if sheet is not None else None
    if sheet is None or found is None:
        return []
    top, cols = found
    code_col, id_col = cols["Country code"], cols[layout.MILESTONE_ID.head]
    typed_cols = {cols[c.head] for c in layout.TYPED}
    out = []
    for row in sorted({r for r, c in sheet.cells if r > top and c in typed_cols}):  # rows with something typed
        typed, cells = Typed(), []
        for c in layout.TYPED:
            cell = sheet.cells.get((row, cols[c.head]))
            if cell is not None and not cell.formula and cell.value not in (None, ""):
                typed = typed.with_value(c.key, cell.value, cell.format)
                cells.append((c.key, f"{column_letters(cols[c.head])}{row}"))
        mid = cell_text(sheet.cells.get((row, id_col))).strip()
        if typed.entered and layout.MILESTONE_ID_PATTERN.fullmatch(mid):
            code = cell_text(sheet.cells.get((row, code_col))).strip()
            out.append(TypedRow(code, mid, typed, ("", "", "", ""), year, sheet.name, row, tuple(cells)))
    return out


def _unplaced(sheet: Sheet, year: int) -> list[tuple[Unplaced, str]]:
    """The entries an earlier round could not place, as they are, each with what was typed in its Resolved
    column ("" when nothing: the entry is carried again)."""
    found = _header(sheet, *(c.head for c in layout.UNPLACED if c != layout.RESOLVED))
    if found is None:
        return []
    top, cols = found
    out = []
    for row in range(top + 1, max(r for r, _ in sheet.cells) + 1):
        at = {c.key: sheet.cells.get((row, cols[c.head])) for c in layout.UNPLACED if c.head in cols}
        value = at[layout.VALUE.key]
        if value is None or value.value in (None, ""):
            continue
        text = {k: cell_text(c) for k, c in at.items()}
        entered = _number(text[layout.ENTERED.key])
        mark = text.get(layout.RESOLVED.key, "").strip()
        out.append(
            (
                Unplaced(
                    country=text[layout.COUNTRY_CODE.key],
                    sheet=text[layout.SHEET_CELL.key],
                    cell=text[layout.CELL.key],
                    milestone=text[layout.MILESTONE_ID.key],
                    row_text=text[layout.ROW_TEXT.key],
                    column=text[layout.COLUMN.key],
                    value=value.value,
                    format=value.format,
                    year=int(entered) if entered else year,
                    reason=text[layout.REASON.key],
                ),
                mark,
            )
        )
    return out


def _progress_table(sheet: Sheet | None) -> tuple[ProgressRow, ...]:
    """The rows of a regional workbook's `Progress` table (found by its header cells), to carry them; empty
    when it has none."""
    if sheet is None:
        return ()
    heads = {cell_text(c): col for (r, col), c in sheet.cells.items() if r == 1}
    if any(h not in heads for h in pg.PROGRESS_HEADS):
        return ()
    out = []
    for r in sorted({r for r, _ in sheet.cells if r > 1}):
        at = [sheet.cells.get((r, heads[h])) for h in pg.PROGRESS_HEADS]
        code, mid, head, before, after, source, on = at
        if not cell_text(code) or not cell_text(mid):
            continue
        day = on.value if on is not None else None
        out.append(
            ProgressRow(
                cell_text(code),
                cell_text(mid),
                cell_text(head),
                (before.value, before.format) if before else (None, ""),
                (after.value, after.format) if after else (None, ""),
                cell_text(source),
                day.date() if isinstance(day, datetime) else day if isinstance(day, date) else None,
            )
        )
    return tuple(out)
