"""What identifies a regional workbook, and the layout facts its writer and rai_xl.previous share (the
tracker-like sheets' columns are rai_xl.layout's, which readers import without the writers)."""

from __future__ import annotations

from rai_xl.layouts import kinds
from rai_xl.layouts.tracker import MILESTONE_ID, TYPED
from rai_xl.layouts.tracker import checklist_sheet as checklist_sheet  # where a country's tracker is

TEMPLATE_ID = kinds.REGIONAL
SCHEMA_VERSION = "2"  # 2: trackers have a hidden key column
PROPERTY_PREFIX = kinds.PROPERTY_PREFIX
# Identity keys: custom properties (prefixed) and labelled cells on the Methodology sheet (Google Sheets
# drops custom properties; the cells survive every client).
IDENTITY = kinds.identity("catalogue_fingerprint", "year")

SHEET_OVERVIEW = "Overview"
SHEET_CRITERIA = "Criteria"
SHEET_REGIONAL = "Cross-cutting"
SHEET_SUBMISSIONS = "Submissions"
SHEET_ISSUES = "Issues"
SHEET_METHODOLOGY = "Methodology"
SHEET_ARCHIVE = "Archive"
SHEET_UNPLACED = "Unplaced entries"
SHEET_ANSWER_HISTORY = "Answer history"
PROFILE_SUFFIX = " profile"
SHEET_CHECKLIST = "Checklist"  # the table mirroring every tracker row (values typed over its formulas are carried)
TABLE_SHEETS = ("Scores", "Answers", SHEET_CHECKLIST, "History")  # each holds the Excel table of its name


def profile_sheet(country_name: str) -> str:
    """The sheet with a country's scores, chart, gaps and checklist progress (for meetings)."""
    return country_name[: 31 - len(PROFILE_SUFFIX)] + PROFILE_SUFFIX


SCORES_HEADS = ("Country code", "Country", "Year", "Pillar", "Score", "Tier", "Complete")
ANSWERS_HEADS = ("Country code", "Criterion", "Answer", "Points", "Evidence")  # what other tools rely on
ANSWERS_EXTRA = ("Comments",)  # written after them (earlier workbooks lack it)
CHECKLIST_HEADS = (
    "Country code",
    MILESTONE_ID.head,
    "Action",
    "Sub-action",
    "Term",
    "Milestone",
    "Basis",
    *(c.head for c in TYPED),
)
HISTORY_HEADS = SCORES_HEADS
# Who filled each return: the Submissions sheet's row of a file (its name and agency), and the Overview's
# chase list (the contact line 'Name (Position, Agency) <email>' of each Member State's return).
SUBMISSIONS_WHO = ("Country", "Year", "Respondent", "Agency", "Template version", "Status")
CHASE_CONTACT = ("Member State", "Contact")
ANSWER_HISTORY_LEAD = ("Country code", "Country", "Year")  # then one column per criterion, its points
