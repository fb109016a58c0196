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

    def __reduce__(self) -> tuple[type[Said], tuple[str, str]]:  # read in a worker process, it keeps its code
        return Said, (str(self), self.code)


def code_of(message: str) -> str:
    """The code of the `Msg` *message* was made from ('' for a text made otherwise)."""
    return getattr(message, "code", "")


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
            object.__setattr__(self, "code", code_of(self.message))
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
    """Every message rai-xl says about a returned workbook and a consolidation. Placeholders are filled by `format`."""

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

    # consolidation: what becomes of a return (rai_xl.core.collection), and notes on the regional workbook
    NO_COUNTRY_READ = "no country could be read"
    RETURN_OTHER_YEAR = "a return for {year}; this round is {round}"
    SAME_RETURN = "the same as {file}; counted once"
    CONFLICT_SAME_DATE = "{count} returns differ ({files}) and equal completion dates; none used until one is removed"
    CONFLICT_UNDATED = (
        "{count} returns differ ({files}) and a completion date is missing or not a date; none used until one is removed"
    )
    REVISED = "{file} replaces it (completed {completed}, after {earlier}); answers changed: {changed}"
    BLANK_PREFILLED = "came back unchanged: the pre-filled answers were not confirmed; counted as not submitted"
    BLANK_NO_ANSWERS = "no answers yet; counted as not submitted"
    ANSWERS_REFUSED = "answers not accepted, counted as unanswered: {criteria}"
    INCOMPLETE = "incomplete: {missing}"
    CELL_CUT = (
        "{what} is {length:,} characters; the regional workbook shows its first {limit:,} (a cell's limit): "
        "read the whole text in {file}"
    )
    PLAN_KEPT = (
        "{country}: no return for {year}: the {kept} plan and its progress are kept (its tracker, from the {kept} "
        "assessment)"
    )
    STATUS_CARRIED = (
        "sheet '{sheet}' cell {cell}: Status '{value}' is not one of the list ({allowed}); it is carried as typed "
        "and counted as '{other}'"
    )
    PREVIOUS_METHODOLOGY = (
        "the previous workbook was made with methodology version {found}; this rai-xl holds {expected}. Its scores "
        "stay in History as recorded; its checklist entries are carried by milestone ID"
    )
    PREVIOUS_FINGERPRINT = (
        "the previous workbook's catalogue fingerprint is {found}; this rai-xl's is {expected}. Its checklist "
        "entries are carried by milestone ID"
    )
    UNKNOWN_MILESTONES = (
        "{count} checklist row(s) with entries name milestones this catalogue does not hold ({milestones}): kept "
        "on the Archive sheet"
    )
    UNPLACED_KEPT = "sheet '{sheet}' cell {cell} ({column}): {value} is kept on the Unplaced entries sheet: {reason}"
    UNPLACED_STILL = (
        "{count} entries unplaced in an earlier round are still kept on the Unplaced entries sheet (type anything "
        "in an entry's Resolved column once it is dealt with)"
    )
    UNPLACED_RESOLVED = (
        "sheet '{sheet}' cell {cell} ({column}): {value} was marked resolved ({mark}) on the Unplaced entries "
        "sheet: it is no longer kept there"
    )

    # carry: what the previous regional workbook holds, and where its entries go (rai_xl.core.carry)
    HISTORY_MISSING = "its History sheet is missing, so rounds before {year} are not carried into History"
    TRACKER_MISSING = (
        "its tracker of {country} (sheet '{sheet}') is missing: deleted, or renamed and its key column removed, "
        "so entries typed on it are not carried"
    )
    REGIONAL_TRACKER_MISSING = (
        "its {sheet} tracker is missing: deleted, or renamed and its key column removed, so entries typed on it "
        "are not carried"
    )
    HEADERS_UNRECOGNISED = (
        "sheet '{sheet}' row {row}: no header cell is recognised as {missing}; the columns not recognised "
        "({heads}) are carried as added columns, with their headers"
    )
    HEADERS_BOTH_NAME = (
        "sheet '{sheet}' row {row}: the headers '{first}' ({first_col}) and '{second}' ({second_col}) both name "
        "{head}: {first_col} is read as {head}, {second_col} as a column of its own"
    )
    HEADER_AGAIN = (
        "sheet '{sheet}' row {row}: the header '{text}' of column {col} is met again: carried as '{head}', so both "
        "columns are kept"
    )
    STRAY = "a comment or value outside any checklist row"
    NO_PLACE = "the row has no place in the plan: {why}"
    NOT_A_MILESTONE = "'{found}' is not a milestone ID of the Roadmap"
    NAMES_NO_MILESTONE = "it names no milestone"
    ID_RETYPED = "the Milestone ID cell was retyped; the row is {milestone} (its key)"
    ON_ARCHIVE = "the row is on the Archive ({reason}), which has no column for it"
    NOT_IN_CATALOGUE = "milestone {milestone} is not in this catalogue (methodology {version})"
    CAME_FROM = "; it came from methodology {version}"
    NOT_A_MEMBER_CODE = "'{code}' is not an ASEAN Member State code"
    NO_RETURN_INCLUDED = "no return from {country} is included in this round ({year})"
    NOT_ON_CHECKLIST = "milestone {milestone} does not belong on this checklist"
    TOO_LONG = "the text is longer than a cell holds: its cell shows the start, the whole text is here"
    TOO_LONG_CUT = (
        "{where}: {count} text(s) longer than a cell holds (32,767 characters): each cell shows its start, the "
        "whole text is on 'Unplaced entries'"
    )
    IN_PARTS = "{reason} (part {part} of {parts} of a text of {length:,} characters)"
    TYPED_OVER = "typed over the {table} table's formula"
    SECOND_ROW_AT = "a second row for {milestone} ({sheet} row {row})"
    CARRIED_TO = "sheet '{sheet}' cell {cell}: {value!r} ({second}) is carried to {where}"
    DISAGREES = "{second} disagrees with {where}, whose {kept!r} is kept on the row"
    DISAGREES_ADDED = "{second} disagrees with {where}, whose value is kept on the row"
    DISAGREES_COMMENT = "{second} disagrees with {where}, whose comment is kept"

    # progress merge: progress returns merged into the previous round's entries (rai_xl.core.progress_merge)
    PROGRESS_NOT_USABLE = "not a usable progress return"
    PROGRESS_OTHER_ROUND = "made from the {round} regional workbook ({made_from}); --previous is {year}'s"
    PROGRESS_NOTHING = "nothing was changed or added: counted as not reported"
    PROGRESS_CONFLICT = (
        "{count} progress returns differ ({files}) and their report dates do not say which is later; none used "
        "until one is removed"
    )
    PROGRESS_UNCHANGED = "reported on {date}, {unchanged}"
    PROGRESS_CHANGES = "{count} change(s) reported"
    PROGRESS_PROBLEMS = "; {count} problem(s) (see Issues)"
    PROGRESS_LATE = (
        "; late: made from the {round} regional workbook, merged into the {year} trackers where its milestones still are"
    )
    PROGRESS_REPLACED = "{file} replaces it (reported on {date}, after {earlier})"
    LATE_RETURN = (
        "a late progress return: made from the {round} regional workbook ({made_from}), merged into the {year} "
        "trackers of {previous}, for the milestones they still hold"
    )
    LATE_GONE = "; {count} change(s) to milestones no longer on the tracker kept on Unplaced entries"
    LATE_NOT_HELD = (
        "reported in {file}{on}, made from the {round} regional workbook; milestone {milestone} is no longer on "
        "{country}'s {year} tracker"
    )
    MADE_FROM_OTHER = "made from {made_from}, merged with {previous}: the regional workbook of the same round"
    CONFLICT_COMMENT = (
        "Conflict: {country} reported '{reported}' in {file}{on}; this cell was '{made}' when its progress "
        "workbook was made and was changed since. Keep one value, then delete this comment."
    )
    CONFLICT_KEPT = (
        "reported in {file}{on}; conflict: {head} was changed in the regional workbook after the progress workbook was made"
    )
    CONFLICT_NOTE = (
        "conflict on {head}: {country} reported '{reported}', the regional workbook now holds '{now}' (it held "
        "'{made}' when the progress workbook was made): both kept (the tracker's value with a comment, the "
        "reported value on 'Unplaced entries') until one is chosen"
    )
    REPORTED_BY = "reported by {country} in {file}: {why}"
    STRAY_KEPT = "{what}: kept as an unplaced entry"
    STATUS_NOT_USED = "a Status not of the list, so not used on the tracker"
    ADDED_COLUMN = "a column added to the plan"
    PLAN_COMMENT = "a comment on the plan"
    ROW_NOT_IN_PLAN = "a row the plan of {country} does not hold"
    NOT_MERGED = (
        "{path}: progress return: skipped: add --previous, the regional workbook it was made from{made}, to merge it"
    )

    def format(self, **values: object) -> Said:  # type: ignore[override]
        """The message, each value quoted at most EXCERPT characters long (a 1 MB cell is not a message); a
        message within it is kept whole (its own values were cut when it was made)."""
        cut = {k: excerpt(v) if isinstance(v, str) and not isinstance(v, Said) else v for k, v in values.items()}
        return Said(self.value.format(**cut), self.name)
