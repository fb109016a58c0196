"""Issues found in a returned workbook, and the one place their wording lives."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass
from enum import StrEnum

ERROR, WARNING, NOTE = "error", "warning", "note"
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str) -> str:
    """*text* on one line: line breaks, tabs and other control characters shown escaped (\\n, \\u0007)."""
    if text.isprintable():
        return text
    return "".join(
        _ESCAPES.get(ch) or (f"\\u{ord(ch):04x}" if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch) for ch in text
    )


EXCERPT = 300  # characters of a value a message quotes, at most


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """*text*, or when longer than *limit* its start and its length: 'Completed, and then ... (1,000,187 characters)'."""
    if len(text) <= limit:
        return text
    return f"{text[: limit // 2].rstrip()}... ({len(text):,} characters)"


class Said(str):
    """A message's text, knowing the code of the `Msg` it was made from (what tools and tests match on)."""

    code: str

    def __new__(cls, text: str, code: str) -> Said:
        said = super().__new__(cls, text)
        said.code = code
        return said

    def __add__(self, more: str) -> Said:  # a message with a hint after it keeps its code
        return Said(str(self) + more, self.code)


@dataclass(frozen=True)
class Issue:
    severity: str  # error: the file cannot be used as it is; warning: used, but look; note: for information
    sheet: str
    cell: str
    criterion: str
    message: str
    code: str = ""  # the Msg name, e.g. NOT_ALLOWED (taken from the message when it was made by Msg.format)

    def __post_init__(self) -> None:
        if not self.code:
            object.__setattr__(self, "code", getattr(self.message, "code", ""))
        # every message is one line, whatever the file held (values are quoted in messages)
        object.__setattr__(self, "message", one_line(str(self.message)))

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def line(self, file: str) -> str:
        """One line naming file, sheet, cell and criterion, fit to paste into an email."""
        where = [one_line(file)]
        if self.sheet:
            where.append(f"sheet '{self.sheet}'")
        if self.cell:
            where.append(f"cell {self.cell}")
        if self.criterion:
            where.append(self.criterion)
        return f"{self.severity.upper()}: {', '.join(where)}: {self.message}"


class Msg(StrEnum):
    """Every message rai-xl says about a returned workbook. Placeholders are filled by `format`."""

    UNREADABLE = "{reason}"
    NOT_READ = "{what}"  # what the reader ignored or did not read, in its words (rows past its bound, ...)
    LOCK_FILE = "this is an Excel lock file (~$...), left while a workbook is open; it holds no answers"
    LO_LOCK_FILE = "this is a LibreOffice lock file (.~lock...#), left while a workbook is open; it holds no answers"
    RAI_XL_TEMP = (
        "this is a file rai-xl writes beside an output while it works (a temporary copy or its lock; one left "
        "after an interrupted run may be deleted); not a return"
    )
    MAC_METADATA = "this is macOS metadata (._ file or __MACOSX folder), made when a Mac copies or zips files; not a return"
    SYSTEM_FILE = "this is {what}, not a return"
    NOT_SPREADSHEET = "{what}, not a spreadsheet (.xlsx or .ods)"
    NAMED_NOT_SPREADSHEET = "{what}, not a returned questionnaire: expected the filled .xlsx (or .ods) workbook"
    READ_BY_CONTENT = "the file name has no spreadsheet extension; read as .{kind} by its content"
    INTERNAL = "rai-xl failed on this file ({error}): a bug in rai-xl, not a problem in the file; please report it"
    REGIONAL_WORKBOOK = (
        "a regional workbook written by rai-xl consolidate, not a return: give it to consolidate with --previous"
    )
    NOT_QUESTIONNAIRE = "not a rai-xl questionnaire (no template identity found{detail})"
    NEWER_SCHEMA = (
        "made by a newer rai-xl (questionnaire schema {found}); this rai-xl reads schema {supported}: update rai-xl"
    )
    OTHER_METHODOLOGY = (
        "issued for methodology version {found}, but this rai-xl holds version {expected}: "
        "score it with the rai-xl release that issued it"
    )
    FINGERPRINT = (
        "catalogue fingerprint {found} differs from this rai-xl's {expected}; answers are checked against this catalogue"
    )
    IDENTITY_DISAGREES = "identity copies disagree on {key}: {values}; using {used}"
    MISSING_SHEET = "sheet '{sheet}' is missing; expected the sheets {expected}"
    CRITERIA_RENAMED = "the criteria were read from sheet '{sheet}': the sheet 'Criteria' is missing (rename it back)"
    NO_HEADER = "no header row naming the columns 'ID' and 'Answer' in the first {rows} rows"
    MISSING_COLUMN = "the header row has no '{column}' column, so nothing of it is read (restore the header)"
    PREFILLED_UNTOUCHED = (
        "no respondent details were entered in this pre-filled questionnaire, so its pre-filled answers are not "
        "confirmed: counted as not returned"
    )
    PREFILLED_UNDATED = (
        "no completion date was entered in this pre-filled questionnaire, so its pre-filled answers and respondent "
        "details are not confirmed: counted as not returned"
    )
    CANNOT_OPEN = "the file cannot be read ({reason}): check that the path names the saved workbook itself"
    OTHER_SPREADSHEET = "{what}, which rai-xl does not read: open it and save it as Excel Workbook (.xlsx)"
    MISSING_ROW = "no row with ID {criterion} on the criteria sheet; the 40 criteria rows must all be kept"
    DUPLICATE_ROW = "{criterion} appears again (first at row {first}); keep one row per criterion"
    UNKNOWN_ID = "'{value}' in the ID column is not a criterion of the questionnaire (Q1 to Q40)"
    TEXT_EDITED = "the criterion text was changed (found '{found}'); it must read '{expected}'"
    BLANK = "no answer: pillar {pillar} is incomplete until it is answered"
    BLANK_RETURN = "no answers yet: all {count} criteria are blank (a blank return is not an assessment)"
    FORMULA = "the answer cell holds a formula ({formula}); choose one of: {allowed}"
    NOT_TEXT = "the answer {value} is not one of the allowed answers: {allowed}"
    WRONG_CRITERION = "'{value}' is an answer to {other}, not to this criterion; choose one of: {allowed}"
    NOT_ALLOWED = "'{value}' is not one of the allowed answers: {allowed}"
    DID_YOU_MEAN = "; did you mean '{label}'?"
    ACCEPTED_FIXED = "accepted '{value}' as '{label}' ({how})"
    COUNTRY_MISSING = "no country given; choose the Member State from the list"
    COUNTRY_UNKNOWN = "'{value}' is not a Member State name or code rai-xl knows; choose one of: {allowed}"
    COUNTRY_ACCEPTED = "accepted '{value}' as '{name}'"
    COUNTRY_MISMATCH = "the country reads '{value}', but this workbook was issued for {expected}"
    YEAR_MISMATCH = "the year reads '{value}', but this workbook was issued for {expected}"
    YEAR_UNREADABLE = "the assessment year reads '{value}'; expected a year such as 2026 (four digits 0-9)"
    DETAIL_MISSING = "'{label}' is empty; please fill it in so the coordinator can follow up"
    EMAIL_ODD = "'{value}' does not look like an email address (expected name@agency.gov.xx)"
    DATE_UNREADABLE = "the completion date '{value}' is not a date; type it as YYYY-MM-DD, e.g. 2026-03-31"
    DATE_AMBIGUOUS = "the completion date '{value}' could be read day-first or month-first; type it as YYYY-MM-DD"
    DATE_FORMULA = (
        "the completion date is a formula ({formula}), which changes whenever the file is recalculated; type the date"
    )
    DATE_OUTSIDE = "the completion date {value} is outside the {year} round ({first} to {last})"
    EXTRA_SHEET = "unexpected sheet '{sheet}' (ignored)"
    LISTS_CHANGED = (
        "the answer list for {criterion} was edited in the hidden Lists sheet (ignored: the catalogue's answers apply)"
    )

    # progress returns (rai_xl.progress_returns)
    PROGRESS_SCHEMA = "made by another rai-xl (progress schema '{found}'); this rai-xl reads schema {supported}"
    PROGRESS_METHODOLOGY = "made for methodology {found}; this rai-xl holds {expected}"
    PROGRESS_NO_IDENTITY = "names no Member State or round (country '{country}', round '{round}')"
    PROGRESS_TWO_IDENTITIES = (
        "the file's identity names two values for {key}: {values}; "
        "a progress return belongs to one Member State and one round: send the original"
    )
    NOT_PROGRESS = (
        "not a rai-xl progress workbook (no progress identity found): expected a return "
        "of a workbook written by rai-xl progress"
    )
    PROGRESS_MISSING_SHEET = "sheet '{sheet}' is missing; expected the sheets {expected}"
    NO_REPORT_DATE_SHEET = "sheet '{sheet}' is missing, so the report has no date"
    REPORT_DATE = (
        "Reported on: {found}; a later report of the same country cannot "
        "be told from this one: type the date of the report, e.g. 2027-06-30"
    )
    NO_PLAN_HEADER = "no header row naming Milestone ID, Status, Lead agency, Target date and Notes"
    OTHER_COUNTRYS_PLAN = "the plan is the plan of '{found}', not of {country}: a return for another country"
    SECOND_ROW = "a second row for {milestone} (first at row {first})"  # the warning adds what becomes of it
    ROW_MISSING = "the row of {milestone} is missing from the plan: nothing of it is changed"
    STATUS_NOT_LISTED = (
        "Status '{value}' is not a status of the list; allowed: {allowed}; the value is kept as an unplaced entry"
    )
    TARGET_NOT_DATE = "Target date '{value}' is not a date: kept as typed on its row; a date reads better, e.g. 2027-06-30"
    NOT_IN_PLAN = "milestone ID '{milestone}' is not in {country}'s plan; the row is kept as an unplaced entry"
    NO_MILESTONE = "row {row} names no milestone; its values are kept as unplaced entries"

    def format(self, **values: object) -> Said:  # type: ignore[override]
        """The message, each value quoted at most EXCERPT characters long (a 1 MB cell is not a message)."""
        return Said(self.value.format(**{k: excerpt(v) if isinstance(v, str) else v for k, v in values.items()}), self.name)
