"""What identifies a rai-xl questionnaire: template id, schema version and the keys of its copies."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rai_xl.layouts import kinds

TEMPLATE_ID = kinds.QUESTIONNAIRE
SCHEMA_VERSION = "1"

# Sheet names and layout facts shared by the writer and the reader.
SHEET_START = "Start here"
SHEET_RESPONDENT = "Respondent"
SHEET_CRITERIA = "Criteria"
SHEET_SUMMARY = "Summary"
SHEET_LISTS = "Lists"
SHEETS = (SHEET_START, SHEET_RESPONDENT, SHEET_CRITERIA, SHEET_SUMMARY, SHEET_LISTS)

# Identity keys, in the order they are written (custom properties, Lists sheet, Start here).
LABELS = dict(kinds.identity("catalogue_fingerprint", "country", "year"))
KEYS = tuple(LABELS)
PROPERTY_PREFIX = kinds.PROPERTY_PREFIX
SAMPLE_PROPERTY = PROPERTY_PREFIX + "sample"  # on synthetic sample returns only (tools/make_samples.py)

# Values written where a copy of the identity has nothing to hold.
NO_VALUE = "-"  # custom property of a questionnaire without a fixed country (properties cannot be empty)
CHOSEN_BY_RESPONDENT = "(chosen by the respondent)"  # the 'Start here' copy of the same

# The hidden Lists sheet (1-based rows and columns, as the reader sees them).
LISTS_ANSWERS_FIRST_ROW = 2  # Q1's three answers, then Q2's, ...: criterion i (0-based) starts at 2 + 3 * i
LISTS_ANSWER_COLUMN = 3  # C: the answer labels behind each dropdown (then D: their points)
LISTS_SHORT_COLUMN = 5  # E: beside each answer, its short form where rai-xl accepts one ('Yes'), else the answer
LISTS_COUNTRY_COLUMN = 6  # F: Member State names behind the country dropdown
LISTS_IDENTITY_KEY_COLUMN = 8  # H: identity key
LISTS_IDENTITY_VALUE_COLUMN = 9  # I: identity value
LISTS_TIDY_COLUMN = 11  # K, L: per criterion (row 2 + index), its answer as typed, spacing and end punctuation tidied
START_LABEL_COLUMN, START_VALUE_COLUMN = 1, 2  # 'Start here': identity label in A, value in B
RESPONDENT_LABEL_COLUMN, RESPONDENT_VALUE_COLUMN = 1, 2  # 'Respondent': field label in A, value in B


def lists_answer_row(index: int) -> int:
    """1-based Lists row of the first answer of the criterion at 0-based *index* in the catalogue."""
    return LISTS_ANSWERS_FIRST_ROW + 3 * index


# Respondent details: (key, label shown in column A of the Respondent sheet).
RESPONDENT_FIELDS = (
    ("country", "Country"),
    ("year", "Assessment year"),
    ("agency", "Agency / ministry"),
    ("name", "Name of respondent"),
    ("position", "Position"),
    ("email", "Email"),
    ("date_completed", "Date completed (YYYY-MM-DD)"),
)
DATE_FIELD = "date_completed"  # a real date cell with a date validation
PREFILLED_DETAILS = ("agency", "name", "position", "email")  # carried to next round's questionnaire (not the date)
REQUIRED_DETAILS = ("agency", "name", "email", DATE_FIELD)  # empty ones are warned about

# Criteria sheet columns: (header, width). `ID` and `Answer` are the contract.
CRITERIA_COLUMNS = (
    ("ID", 6),
    ("Criterion", 58),
    ("How it is scored", 40),
    ("Answer", 36),
    ("Points", 8),
    ("Evidence / source documents", 42),
    ("Comments", 30),
)


ID_HEADER, CRITERION_HEADER, ANSWER_HEADER = CRITERIA_COLUMNS[0][0], CRITERIA_COLUMNS[1][0], CRITERIA_COLUMNS[3][0]
EVIDENCE_HEADER, COMMENTS_HEADER = CRITERIA_COLUMNS[5][0], CRITERIA_COLUMNS[6][0]
PREFILL_HEADER = re.compile(r"your [0-9]{4} answer")  # as the reader sees it (case-folded)


def prefill_details_column(year: int) -> str:
    """Header of the Respondent sheet's column beside details pre-filled from the round of *year*; its presence
    tells the reader the details were pre-filled, so the completion date is what confirms the return."""
    return f"Your {year} details"


PREFILL_DETAILS_HEADER = re.compile(r"your [0-9]{4} details")  # as the reader sees it (case-folded)


def prefill_column(year: int) -> str:
    """Header of the column a pre-filled questionnaire adds after Comments (it marks the questionnaire
    as pre-filled; the reader reads nothing else from it)."""
    return f"Your {year} answer"


@dataclass(frozen=True)
class Prefill:
    """Last round's answers, evidence, comments and respondent details for one country, written in place for
    the official to confirm or change (read from a regional workbook by rai_xl.previous, written by rai_xl.questionnaire)."""

    year: int
    answers: dict[str, str] = field(default_factory=dict)  # criterion id -> answer label
    evidence: dict[str, str] = field(default_factory=dict)  # criterion id -> evidence, whatever the answer's fate
    comments: dict[str, str] = field(default_factory=dict)  # criterion id -> the respondent's comments
    why_not: dict[str, str] = field(default_factory=dict)  # criterion id -> why its answer is not pre-filled
    respondent: dict[str, str] = field(default_factory=dict)  # PREFILLED_DETAILS key -> last return's value
