"""Read a returned questionnaire, check every answer against the catalogue, and score it."""

from __future__ import annotations

import calendar
import hashlib
import json
import re
import traceback
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO
from pathlib import Path, PurePosixPath

from xlsxwriter.utility import xl_rowcol_to_cell

from rai_xl import identity as ids
from rai_xl.catalogue import Catalogue, Country, Criterion
from rai_xl.issues import ERROR, NOTE, WARNING, Issue, Msg
from rai_xl.scoring import Assessment, PillarScore, assess
from rai_xl.spreadsheet import Cell, Sheet, UnreadableFile, Workbook, read_workbook, spreadsheet_kind

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls", ".xlsb", ".gnumeric", ".fods", ".numbers")
HEADER_SCAN_ROWS = 20
VALID, INVALID, SKIPPED = "valid", "invalid", "skipped"
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
# Numbers in ASCII digits only: str.isdigit() also accepts '²' and other scripts' digits.
YEAR = re.compile(r"[0-9]{4}")
YEAR_FIRST = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?")
NUMBERS_YEAR_LAST = re.compile(r"([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})")
DAY_MONTH_NAME = re.compile(r"([0-9]{1,2})[ -]([A-Za-z]{3,9})\.?[ -]([0-9]{4})")
MONTH_NAME_DAY = re.compile(r"([A-Za-z]{3,9})\.? ([0-9]{1,2}),? ([0-9]{4})")
MONTHS = {name.casefold(): n for n in range(1, 13) for name in (calendar.month_name[n], calendar.month_abbr[n])}
SYSTEM_FILES = {
    ".ds_store": "a macOS folder settings file",
    "thumbs.db": "a Windows thumbnail cache",
    "desktop.ini": "a Windows folder settings file",
}
OTHER_SPREADSHEETS = {  # spreadsheets rai-xl does not read: a return in the wrong format, to be saved again
    ".gnumeric": "a Gnumeric workbook (.gnumeric)",
    ".fods": "a flat OpenDocument spreadsheet (.fods)",
    ".numbers": "an Apple Numbers document (.numbers)",
}
NOT_SPREADSHEET_KINDS = {
    ".csv": "a CSV text file",
    ".tsv": "a tab-separated text file",
    ".txt": "a text file",
    ".docx": "a Word document",
    ".doc": "a Word document",
    ".odt": "a text document",
    ".pdf": "a PDF",
    ".pptx": "a PowerPoint presentation",
    ".zip": "a zip archive",
    ".eml": "an email message",
    ".msg": "an email message",
}


@dataclass
class Submission:
    """What one returned file holds, and what rai-xl made of it."""

    path: Path
    sha256: str = ""
    status: str = VALID  # valid, invalid or skipped
    country: Country | None = None
    year: int | None = None
    respondent: dict[str, str] = field(default_factory=dict)
    template_version: str = ""
    answers: dict[str, str] = field(default_factory=dict)  # criterion id -> answer code
    evidence: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    answer_cells: dict[str, str] = field(default_factory=dict)  # criterion id -> cell, e.g. D5
    issues: list[Issue] = field(default_factory=list)
    assessment: Assessment | None = None
    content_digest: str = ""  # of answers, evidence, comments and respondent details: equal for the same return
    sample: bool = False  # a synthetic sample return (marked by a custom property), not a real submission
    blank: bool = False  # returned with nothing typed: no answers, or a pre-filled form nobody confirmed
    prefilled: bool = False  # a questionnaire written with last round's answers in place
    internal_error: str = ""  # the traceback when rai-xl itself failed on this file (a bug)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def complete(self) -> bool:
        return self.assessment is not None and self.assessment.complete

    @property
    def refused(self) -> list[str]:
        """Criteria whose answer was not accepted (counted as unanswered until it is fixed)."""
        return list(dict.fromkeys(i.criterion for i in self.errors if i.criterion))

    @property
    def completed_on(self) -> date | None:
        """The completion date the respondent entered, if it reads as a date."""
        return read_date(self.respondent.get(ids.DATE_FIELD, ""))

    def reason(self) -> str:
        """The first problem, in one line (empty when there is none)."""
        first = next((i for i in self.issues if i.severity in (ERROR, NOTE)), None) or next(iter(self.issues), None)
        return first.message if first else ""


def cell_name(row: int, col: int) -> str:
    """A1 reference of a 1-based (row, column)."""
    return xl_rowcol_to_cell(row - 1, col - 1)


def clean(text: str) -> str:
    """The form text is compared in: NFKC, any run of spaces as one, ends stripped.

    For matching answers, headers and names only: text passed on (names, agencies, evidence,
    comments) is never put through it, because NFKC changes Thai and Lao (U+0E33, U+0EB3).
    """
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def format_number(value: float) -> str:
    """A number in full, as a person would type it: 20240115, 3.5, 0.0001 (never 2.02401e+07)."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def cell_text(cell: Cell | None) -> str:
    """A cell's value as text: typed text exactly (surrounding whitespace trimmed), numbers in full,
    dates as ISO YYYY-MM-DD (with the time when there is one), TRUE/FALSE."""
    if cell is None or cell.value is None:
        return ""
    value = cell.value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return format_number(value)
    return str(value).strip()


def read_date(text: str) -> date | None:
    """A date as people type it: 2026-03-31 (a time after it is ignored), 2026/03/31, 31/03/2026,
    31.3.2026, 31-Mar-2026, 31 March 2026, March 31, 2026. Numbers with the year last are read only
    when the order cannot be in doubt (a part over 12, or day = month): 03/04/2026 gives None."""
    text = text.strip()
    try:
        if m := YEAR_FIRST.fullmatch(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := NUMBERS_YEAR_LAST.fullmatch(text):
            a, b, year = int(m[1]), int(m[2]), int(m[3])
            if a > 12 or a == b:
                return date(year, b, a)
            return date(year, a, b) if b > 12 else None
        if (m := DAY_MONTH_NAME.fullmatch(text)) and m[2].casefold() in MONTHS:
            return date(int(m[3]), MONTHS[m[2].casefold()], int(m[1]))
        if (m := MONTH_NAME_DAY.fullmatch(text)) and m[1].casefold() in MONTHS:
            return date(int(m[3]), MONTHS[m[1].casefold()], int(m[2]))
    except ValueError:  # 2026-02-30
        return None
    return None


def parse_year(text: str) -> int | None:
    """The year *text* holds (four ASCII digits), or None."""
    text = text.strip()
    return int(text) if YEAR.fullmatch(text) else None


def read_return(path: Path, catalogue: Catalogue, data: bytes | None = None, named: bool = False) -> Submission:
    """Read, check and score one returned file. Never raises: problems in the file become issues,
    and a failure of rai-xl itself becomes this file's one-line verdict (and `internal_error`).

    *named*: the file was named on the command line (not met while searching a folder), so a file
    that is not a spreadsheet is a problem rather than something to skip.
    """
    sub = Submission(path)
    try:
        return _read_return(sub, catalogue, data, named)
    except Exception as exc:  # a bug in rai-xl must cost this one file, never the run
        sub.status = INVALID
        sub.assessment = None
        sub.internal_error = traceback.format_exc()
        sub.issues.append(Issue(ERROR, "", "", "", Msg.INTERNAL.format(error=f"{type(exc).__name__}: {exc}")))
        return sub


def not_a_submission(path: Path) -> str:
    """Why a file met in a folder is plainly not a return (lock files, system metadata), or ''."""
    name = path.name
    if name.startswith("~$"):
        return Msg.LOCK_FILE.format()
    if name.startswith(".~lock.") and name.endswith("#"):
        return Msg.LO_LOCK_FILE.format()
    if name.startswith("._") or "__MACOSX" in path.parts:
        return Msg.MAC_METADATA.format()
    if name.casefold() in SYSTEM_FILES:
        return Msg.SYSTEM_FILE.format(what=SYSTEM_FILES[name.casefold()])
    return ""


def _read_return(sub: Submission, catalogue: Catalogue, data: bytes | None, named: bool) -> Submission:
    path = sub.path
    reason = not_a_submission(path)
    if reason:
        return _skip(_hashed(sub, data), reason)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:  # a broken link, a file another program holds, no permission
            return _refuse(sub, Msg.CANNOT_OPEN.format(reason=exc.strerror or exc))
    sub.sha256 = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    if suffix in OTHER_SPREADSHEETS:
        return _refuse(sub, Msg.OTHER_SPREADSHEET.format(what=OTHER_SPREADSHEETS[suffix]))
    if suffix not in SPREADSHEET_SUFFIXES:
        kind = spreadsheet_kind(data)
        if kind is None:
            what = NOT_SPREADSHEET_KINDS.get(suffix, "not a spreadsheet")
            if suffix == ".zip":
                what = _zip_contents(data) or what
            if not named:
                return _skip(sub, Msg.NOT_SPREADSHEET.format(what=what))
            return _refuse(sub, Msg.NAMED_NOT_SPREADSHEET.format(what=what))
        sub.issues.append(Issue(NOTE, "", "", "", Msg.READ_BY_CONTENT.format(kind=kind)))
    try:
        wb = read_workbook(data, wanted=(ids.SHEET_START, ids.SHEET_RESPONDENT, ids.SHEET_CRITERIA, ids.SHEET_LISTS))
        wb, renamed = _renamed_criteria(data, wb)
    except UnreadableFile as exc:
        return _refuse(sub, Msg.UNREADABLE.format(reason=str(exc)))
    sub.sample = wb.properties.get(ids.SAMPLE_PROPERTY) == "synthetic"
    _check(sub, wb, catalogue)
    if renamed is not None and sub.template_version:
        sub.issues.insert(0, renamed)
    content = json.dumps([sub.answers, sub.evidence, sub.comments, sub.respondent], sort_keys=True, ensure_ascii=False)
    sub.content_digest = hashlib.sha256(content.encode()).hexdigest()
    return sub


def slim(sub: Submission, criteria: tuple[str, ...]) -> Submission:
    """*sub* without what only its own report needs (warnings, evidence, comments, cells, points per
    criterion), its answers packed in *criteria* order: enough to sort out a round, small enough to
    keep for every file of a large folder."""
    return replace(
        sub,
        issues=[i for i in sub.issues if i.severity == ERROR],
        evidence={},
        comments={},
        answer_cells={},
        answers=PackedAnswers(sub.answers, criteria),  # type: ignore[arg-type]
        assessment=Assessment(tuple(_PILLARS.setdefault(p, p) for p in sub.assessment.pillars), ())
        if sub.assessment
        else None,
    )


class PackedAnswers(Mapping[str, str]):
    """{criterion id: answer code} held as one tuple in catalogue order: a tenth of a dict's memory."""

    __slots__ = ("_codes", "_ids")

    def __init__(self, answers: Mapping[str, str], criteria: tuple[str, ...]) -> None:
        self._ids = criteria
        self._codes = tuple(answers.get(q) for q in criteria)

    def __getitem__(self, key: str) -> str:
        code = self._codes[self._ids.index(key)] if key in self._ids else None
        if code is None:
            raise KeyError(key)
        return code

    def __iter__(self) -> Iterator[str]:
        return (q for q, code in zip(self._ids, self._codes, strict=True) if code is not None)

    def __len__(self) -> int:
        return sum(code is not None for code in self._codes)


# Pillar scores are values that recur across returns: slim records share one copy of each.
_PILLARS: dict[PillarScore, PillarScore] = {}


def _hashed(sub: Submission, data: bytes | None) -> Submission:
    """Set the SHA-256 of a file that is skipped, too: every input is listed with it (blank if unreadable)."""
    try:
        if data is None:
            with sub.path.open("rb") as f:
                sub.sha256 = hashlib.file_digest(f, "sha256").hexdigest()
        else:
            sub.sha256 = hashlib.sha256(data).hexdigest()
    except OSError:  # e.g. a lock file Excel holds open on Windows
        pass
    return sub


def _refuse(sub: Submission, message: str) -> Submission:
    """A file that is a problem as a whole: invalid, with its one-line reason."""
    sub.status = INVALID
    sub.issues.append(Issue(ERROR, "", "", "", message))
    return sub


def _zip_contents(data: bytes) -> str:
    """'a zip archive holding 2 workbook(s) (a.xlsx, b.xlsx): unzip it ...', or '' when it holds none."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            names = [
                PurePosixPath(n).name
                for n in zf.namelist()
                if n.lower().endswith((".xlsx", ".ods")) and not n.startswith("__MACOSX/")
            ]
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return ""
    if not names:
        return ""
    return (
        f"a zip archive holding {len(names)} workbook(s) ({', '.join(names[:5])}): unzip it and give the workbooks to rai-xl"
    )


def _skip(sub: Submission, message: str) -> Submission:
    sub.status = SKIPPED
    sub.issues.append(Issue(NOTE, "", "", "", message))
    return sub


def _identity(wb: Workbook) -> tuple[dict[str, str], list[Issue]]:
    """Collect every surviving copy of the identity and report where they disagree."""
    copies: dict[str, dict[str, str]] = {}
    props = {k[len(ids.PROPERTY_PREFIX) :]: v for k, v in wb.properties.items() if k.startswith(ids.PROPERTY_PREFIX)}
    if props:
        copies["document properties"] = {k: ("" if v == ids.NO_VALUE else v) for k, v in props.items()}
    lists = wb.sheet(ids.SHEET_LISTS)
    if lists is not None:
        copies["Lists sheet"] = _key_values(
            lists, ids.LISTS_IDENTITY_KEY_COLUMN, ids.LISTS_IDENTITY_VALUE_COLUMN, set(ids.KEYS)
        )
    start = wb.sheet(ids.SHEET_START)
    if start is not None:
        by_label = _key_values(start, ids.START_LABEL_COLUMN, ids.START_VALUE_COLUMN, set(ids.LABELS.values()))
        keys = {v: k for k, v in ids.LABELS.items()}
        copies["Start here sheet"] = {keys[k]: ("" if v == ids.CHOSEN_BY_RESPONDENT else v) for k, v in by_label.items()}
    merged: dict[str, str] = {}
    issues = []
    for key in ids.KEYS:
        seen = {where: c[key] for where, c in copies.items() if key in c}
        values = set(seen.values())
        if not values:
            continue
        used = next(iter(seen.values()))  # the first surviving copy, in the order above
        merged[key] = used
        if len(values) > 1:
            shown = "; ".join(f"{w} '{v}'" for w, v in seen.items())
            issues.append(Issue(WARNING, "", "", "", Msg.IDENTITY_DISAGREES.format(key=key, values=shown, used=f"'{used}'")))
    return merged, issues


def _key_values(sheet: Sheet, key_col: int, value_col: int, keys: set[str]) -> dict[str, str]:
    out = {}
    for (row, col), cell in sheet.cells.items():
        if col == key_col and isinstance(cell.value, str) and cell.value in keys:
            out[cell.value] = cell_text(sheet.cells.get((row, value_col)))
    return out


def _check(sub: Submission, wb: Workbook, catalogue: Catalogue) -> None:
    ident, issues = _identity(wb)
    if ident.get("template_id") != ids.TEMPLATE_ID:
        from rai_xl.regional.marks import TEMPLATE_ID as REGIONAL  # only here: the writer is not needed to read

        found = ident.get("template_id")
        if found == REGIONAL:
            _skip(sub, Msg.REGIONAL_WORKBOOK.format())
        else:
            _skip(sub, Msg.NOT_QUESTIONNAIRE.format(detail=f"; template '{found}'" if found else ""))
        return
    sub.issues.extend(issues)
    sub.template_version = f"{ident.get('schema_version', '?')} / {ident.get('methodology_version', '?')}"
    schema = ident.get("schema_version", "")
    if schema != ids.SCHEMA_VERSION:
        sub.issues.append(
            Issue(ERROR, "", "", "", Msg.NEWER_SCHEMA.format(found=schema or "?", supported=ids.SCHEMA_VERSION))
        )
    elif ident.get("methodology_version") != catalogue.version:
        sub.issues.append(
            Issue(
                ERROR,
                "",
                "",
                "",
                Msg.OTHER_METHODOLOGY.format(found=ident.get("methodology_version", "?"), expected=catalogue.version),
            )
        )
    else:
        if ident.get("catalogue_fingerprint") not in (None, catalogue.fingerprint):
            sub.issues.append(
                Issue(
                    WARNING,
                    "",
                    "",
                    "",
                    Msg.FINGERPRINT.format(found=ident["catalogue_fingerprint"], expected=catalogue.fingerprint),
                )
            )
        _check_respondent(sub, wb, catalogue, ident)
        _check_criteria(sub, wb, catalogue)
        _check_lists(sub, wb, catalogue)
        for sheet in wb.sheets:
            if sheet.name not in ids.SHEETS:
                sub.issues.append(Issue(WARNING, sheet.name, "", "", Msg.EXTRA_SHEET.format(sheet=sheet.name)))
    _score(sub, catalogue)


def _score(sub: Submission, catalogue: Catalogue) -> None:
    """Score what can be used: an error naming a criterion leaves that criterion unanswered (and the
    file invalid until it is fixed); an error naming none (identity, sheets, respondent) leaves the
    whole file unscored."""
    if sub.errors:
        sub.status = INVALID
    if any(not i.criterion for i in sub.errors):
        return
    refused = {i.criterion for i in sub.errors}
    sub.answers = {cid: code for cid, code in sub.answers.items() if cid not in refused}
    blanks = [
        Issue(WARNING, ids.SHEET_CRITERIA, sub.answer_cells.get(c.id, ""), c.id, Msg.BLANK.format(pillar=c.pillar))
        for c in catalogue.criteria
    ]
    if sub.prefilled and not any(sub.respondent.get(k) for k in ids.REQUIRED_DETAILS):
        labels = dict(ids.RESPONDENT_FIELDS)
        empty = {Msg.DETAIL_MISSING.format(label=labels[k]) for k in ids.REQUIRED_DETAILS}
        sub.issues = [i for i in sub.issues if i.message not in empty]  # one line says it all
        sub.issues.append(Issue(WARNING, ids.SHEET_RESPONDENT, "", "", Msg.PREFILLED_UNTOUCHED.format()))
        sub.blank = True
    elif all(b in sub.issues for b in blanks):  # nothing typed at all: one line, not forty
        sub.issues = [i for i in sub.issues if i not in blanks]
        sub.issues.append(Issue(WARNING, ids.SHEET_CRITERIA, "", "", Msg.BLANK_RETURN.format(count=len(blanks))))
        sub.blank = True
    sub.assessment = assess(catalogue, sub.answers)


def _check_respondent(sub: Submission, wb: Workbook, catalogue: Catalogue, ident: dict[str, str]) -> None:
    sheet = wb.sheet(ids.SHEET_RESPONDENT)
    issued_country = catalogue.country(ident.get("country", ""))
    issued_year = ident.get("year", "")
    if sheet is None:
        sub.issues.append(
            Issue(
                ERROR,
                ids.SHEET_RESPONDENT,
                "",
                "",
                Msg.MISSING_SHEET.format(
                    sheet=ids.SHEET_RESPONDENT, expected=", ".join((ids.SHEET_RESPONDENT, ids.SHEET_CRITERIA))
                ),
            )
        )
        sub.country = issued_country
        sub.year = parse_year(issued_year)
        return
    labels = {label: key for key, label in ids.RESPONDENT_FIELDS}
    where: dict[str, str] = {}
    date_formula = ""
    value_col = ids.RESPONDENT_VALUE_COLUMN
    for (row, col), cell in sheet.cells.items():
        if col == ids.RESPONDENT_LABEL_COLUMN and isinstance(cell.value, str) and cell.value.strip() in labels:
            key = labels[cell.value.strip()]
            value_cell = sheet.cells.get((row, value_col))
            sub.respondent[key] = cell_text(value_cell)
            where[key] = cell_name(row, value_col)
            if key == ids.DATE_FIELD and value_cell is not None:
                date_formula = value_cell.formula

    def error(cell: str, message: str) -> None:
        sub.issues.append(Issue(ERROR, ids.SHEET_RESPONDENT, cell, "", message))

    value = sub.respondent.get("country", "")
    cell = where.get("country", "")
    found = catalogue.find_country(value)
    if found is not None and value not in (found.name, found.code):
        sub.issues.append(
            Issue(WARNING, ids.SHEET_RESPONDENT, cell, "", Msg.COUNTRY_ACCEPTED.format(value=value, name=found.name))
        )
    if not value:
        if issued_country:
            sub.country = issued_country
        else:
            error(cell, Msg.COUNTRY_MISSING.format())
    elif found is None:
        error(cell, Msg.COUNTRY_UNKNOWN.format(value=value, allowed=", ".join(c.name for c in catalogue.countries)))
    elif issued_country and found != issued_country:
        error(cell, Msg.COUNTRY_MISMATCH.format(value=value, expected=issued_country.name))
        sub.country = issued_country  # whose return it is, for the chase list; nothing of it is scored
    else:
        sub.country = found
    year = sub.respondent.get("year", "") or issued_year
    if issued_year and year != issued_year:
        error(where.get("year", ""), Msg.YEAR_MISMATCH.format(value=year, expected=issued_year))
    sub.year = parse_year(issued_year or year)
    if sub.year is None:
        error(where.get("year", ""), Msg.YEAR_UNREADABLE.format(value=issued_year or year))
    _check_details(sub, where, date_formula)


def _check_details(sub: Submission, where: dict[str, str], formula: str) -> None:
    """Respondent details a coordinator needs to reply: warnings naming the cell, never a rejection."""

    def warn(key: str, message: str) -> None:
        sub.issues.append(Issue(WARNING, ids.SHEET_RESPONDENT, where.get(key, ""), "", message))

    labels = dict(ids.RESPONDENT_FIELDS)
    for key in ids.REQUIRED_DETAILS:
        if key in where and not sub.respondent.get(key):
            warn(key, Msg.DETAIL_MISSING.format(label=labels[key]))
    email = sub.respondent.get("email", "")
    if email and not EMAIL.fullmatch(email):
        warn("email", Msg.EMAIL_ODD.format(value=email))
    completed = sub.respondent.get(ids.DATE_FIELD, "")
    if formula:
        warn(ids.DATE_FIELD, Msg.DATE_FORMULA.format(formula=formula))
    if completed and sub.year is not None:
        first, last = date(sub.year, 1, 1), date(sub.year + 1, 12, 31)
        if sub.completed_on is None and NUMBERS_YEAR_LAST.fullmatch(completed):
            warn(ids.DATE_FIELD, Msg.DATE_AMBIGUOUS.format(value=completed))
        elif sub.completed_on is None:
            warn(ids.DATE_FIELD, Msg.DATE_UNREADABLE.format(value=completed))
        elif not first <= sub.completed_on <= last:
            warn(ids.DATE_FIELD, Msg.DATE_OUTSIDE.format(value=completed, year=sub.year, first=first, last=last))


def _find_criteria_sheet(wb: Workbook) -> tuple[Sheet | None, int, dict[str, int]]:
    """The criteria sheet, its header row and {header: column}, found by the 'ID' and 'Answer' headers."""
    sheet = wb.sheet(ids.SHEET_CRITERIA)
    if sheet is None:
        return None, 0, {}
    row, heads = _header(sheet)
    return sheet, row, heads


def _header(sheet: Sheet) -> tuple[int, dict[str, int]]:
    """The row naming the columns 'ID' and 'Answer' in the first rows of *sheet*, and {header: column}."""
    for row in range(1, HEADER_SCAN_ROWS + 1):
        heads = {
            clean(str(c.value)).casefold(): col
            for (r, col), c in sheet.cells.items()
            if r == row and isinstance(c.value, str)
        }
        if "id" in heads and "answer" in heads:
            return row, heads
    return 0, {}


def _renamed_criteria(data: bytes, wb: Workbook) -> tuple[Workbook, Issue | None]:
    """When the 'Criteria' sheet is gone, the sheet that holds the criteria table under another name
    (a copy renamed 'Criteria (2)' by a spreadsheet program), read as the criteria sheet and said."""
    if wb.sheet(ids.SHEET_CRITERIA) is not None or all(s.name in ids.SHEETS for s in wb.sheets):
        return wb, None
    whole = read_workbook(data)
    found = next((s for s in whole.sheets if s.name not in ids.SHEETS and _header(s)[0]), None)
    if found is None:
        return wb, None
    sheets = [replace(s, name=ids.SHEET_CRITERIA) if s is found else s for s in whole.sheets]
    issue = Issue(WARNING, found.name, "", "", Msg.CRITERIA_RENAMED.format(sheet=found.name))
    return replace(whole, sheets=sheets), issue


def _check_criteria(sub: Submission, wb: Workbook, catalogue: Catalogue) -> None:
    sheet, header_row, heads = _find_criteria_sheet(wb)
    name = ids.SHEET_CRITERIA
    if sheet is None:
        sub.issues.append(
            Issue(
                ERROR,
                name,
                "",
                "",
                Msg.MISSING_SHEET.format(sheet=name, expected=", ".join((ids.SHEET_RESPONDENT, ids.SHEET_CRITERIA))),
            )
        )
        return
    if not header_row:
        sub.issues.append(Issue(ERROR, name, "", "", Msg.NO_HEADER.format(rows=HEADER_SCAN_ROWS)))
        return
    id_col, answer_col = heads["id"], heads["answer"]
    text_col = heads.get("criterion")
    evidence_col = heads.get(ids.EVIDENCE_HEADER.casefold())
    comments_col = heads.get(ids.COMMENTS_HEADER.casefold())
    for column, found in ((ids.EVIDENCE_HEADER, evidence_col), (ids.COMMENTS_HEADER, comments_col)):
        if found is None:
            sub.issues.append(Issue(WARNING, name, cell_name(header_row, 1), "", Msg.MISSING_COLUMN.format(column=column)))
    sub.prefilled = any(ids.PREFILL_HEADER.fullmatch(h) for h in heads)
    rows: dict[str, int] = {}
    for (row, col), cell in sorted(sheet.cells.items()):
        if col != id_col or row <= header_row or not isinstance(cell.value, str):
            continue
        value = clean(cell.value)
        if not re.fullmatch(r"Q\d+", value, re.IGNORECASE):
            continue
        if value.upper() not in {c.id for c in catalogue.criteria}:
            sub.issues.append(Issue(ERROR, name, cell_name(row, col), "", Msg.UNKNOWN_ID.format(value=value)))
        elif value.upper() in rows:
            sub.issues.append(
                Issue(
                    ERROR,
                    name,
                    cell_name(row, col),
                    value.upper(),
                    Msg.DUPLICATE_ROW.format(criterion=value.upper(), first=rows[value.upper()]),
                )
            )
        else:
            rows[value.upper()] = row
    for c in catalogue.criteria:
        row = rows.get(c.id)
        if row is None:
            sub.issues.append(Issue(ERROR, name, "", c.id, Msg.MISSING_ROW.format(criterion=c.id)))
            continue
        if text_col:
            found = cell_text(sheet.cells.get((row, text_col)))
            if clean(found) != clean(c.question):
                sub.issues.append(
                    Issue(
                        ERROR,
                        name,
                        cell_name(row, text_col),
                        c.id,
                        Msg.TEXT_EDITED.format(found=_short(found), expected=_short(c.question)),
                    )
                )
        sub.answer_cells[c.id] = cell_name(row, answer_col)
        _check_answer(sub, c, sheet.cells.get((row, answer_col)), cell_name(row, answer_col), catalogue)
        if evidence_col:
            sub.evidence[c.id] = _free_text(sheet.cells.get((row, evidence_col)))
        if comments_col:
            sub.comments[c.id] = _free_text(sheet.cells.get((row, comments_col)))


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _free_text(cell: Cell | None) -> str:
    """Evidence and comments as the official typed them (a formula is kept as its text, never run)."""
    if cell is None:
        return ""
    if cell.formula:
        return cell.formula
    return cell_text(cell)


def match_answer(c: Criterion, value: str) -> tuple[str | None, str]:
    """The answer code *value* obviously means for *c*, and how it was tidied ('' when exact);
    (None, '') when it means none. Tidying only ever removes noise (invisible characters, spacing,
    compatibility forms, quotes and end punctuation, letter case) or completes a label's short form
    ('Yes' for 'Yes (at least signatory to one)'); it never guesses between answers."""
    if value in c.labels:
        return c.answer_by_label(value).code, ""  # type: ignore[union-attr]
    fixes = []
    text = value
    for fix, tidy in TIDYING:
        tidied = tidy(text)
        if tidied != text:
            fixes.append(fix)
            text = tidied
    exact = [a for a in c.answers if a.label.casefold() == text.casefold()]
    short = [a for a in c.answers if short_form(a.label).casefold() == text.casefold()]
    if exact:
        found = exact[0]
        if text != found.label:
            fixes.append("letter case corrected")
    elif len(short) == 1 and len(c.answers) == len({short_form(a.label).casefold() for a in c.answers}):
        found = short[0]
        fixes.append("short form of the answer completed")
    else:
        return None, ""
    return found.code, " and ".join(fixes)


def short_form(label: str) -> str:
    """A label without its closing parenthesis: 'Yes (at least signatory to one)' -> 'Yes'."""
    return re.sub(r"\s*\([^()]*\)$", "", label)


QUOTES = "\"'“”‘’«»`"
# (what a fix is called in the warning, the fix), applied in this order
TIDYING: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("invisible characters removed", lambda t: "".join(ch for ch in t if unicodedata.category(ch) != "Cf")),
    ("extra or non-breaking spaces removed", lambda t: re.sub(r"\s+", " ", t).strip()),
    ("full-width or compatibility characters converted", lambda t: unicodedata.normalize("NFKC", t)),
    ("quotes or end punctuation removed", lambda t: t.strip(QUOTES).rstrip(".!;,").strip(QUOTES).strip()),
    ("spaces around '/' removed", lambda t: re.sub(r"\s*/\s*", "/", t)),
)


def closest_label(c: Criterion, value: str) -> str | None:
    """The allowed answer *value* looks most like, for a 'did you mean' (None when none is close)."""
    from difflib import get_close_matches

    by_key = {a.label.casefold(): a.label for a in c.answers}
    near = get_close_matches(clean(value).casefold(), list(by_key), n=1, cutoff=0.75)
    return by_key[near[0]] if near else None


def _check_answer(sub: Submission, c: Criterion, cell: Cell | None, ref: str, catalogue: Catalogue) -> None:
    sheet = ids.SHEET_CRITERIA
    allowed = "; ".join(f"'{label}'" for label in c.labels)
    if cell is not None and cell.formula:
        sub.issues.append(Issue(ERROR, sheet, ref, c.id, Msg.FORMULA.format(formula=cell.formula, allowed=allowed)))
        return
    if cell is None or cell.value is None or (isinstance(cell.value, str) and not clean(cell.value)):
        sub.issues.append(Issue(WARNING, sheet, ref, c.id, Msg.BLANK.format(pillar=c.pillar)))
        return
    if not isinstance(cell.value, str):
        shown = f"{cell.value:g}" if isinstance(cell.value, float) else str(cell.value).upper()
        sub.issues.append(Issue(ERROR, sheet, ref, c.id, Msg.NOT_TEXT.format(value=shown, allowed=allowed)))
        return
    code, how = match_answer(c, cell.value)
    if code is not None:
        sub.answers[c.id] = code
        if how:
            label = next(a.label for a in c.answers if a.code == code)
            sub.issues.append(
                Issue(WARNING, sheet, ref, c.id, Msg.ACCEPTED_FIXED.format(value=cell.value, label=label, how=how))
            )
        return
    other = next((o.id for o in catalogue.criteria if o.id != c.id and match_answer(o, cell.value)[0]), None)
    if other:
        sub.issues.append(
            Issue(
                ERROR,
                sheet,
                ref,
                c.id,
                Msg.WRONG_CRITERION.format(value=_short(cell.value), other=other, allowed=allowed),
            )
        )
    else:
        near = closest_label(c, cell.value)
        hint = Msg.DID_YOU_MEAN.format(label=near) if near else ""
        sub.issues.append(
            Issue(ERROR, sheet, ref, c.id, Msg.NOT_ALLOWED.format(value=_short(cell.value), allowed=allowed) + hint)
        )


def _check_lists(sub: Submission, wb: Workbook, catalogue: Catalogue) -> None:
    lists = wb.sheet(ids.SHEET_LISTS)
    if lists is None:
        return
    col = ids.LISTS_ANSWER_COLUMN
    for i, c in enumerate(catalogue.criteria):
        first = ids.lists_answer_row(i)
        found = tuple(cell_text(lists.cells.get((first + j, col))) for j in range(3))
        if found != c.labels:
            sub.issues.append(
                Issue(WARNING, ids.SHEET_LISTS, cell_name(first, col), c.id, Msg.LISTS_CHANGED.format(criterion=c.id))
            )
