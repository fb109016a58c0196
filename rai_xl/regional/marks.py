"""What identifies a regional workbook, and the layout facts its writer and rai_xl.previous share."""

from __future__ import annotations

TEMPLATE_ID = "rai-xl/regional-workbook"
SCHEMA_VERSION = "1"
PROPERTY_PREFIX = "rai_xl_"
# Identity keys: custom properties (prefixed) and labelled cells on the Methodology sheet (Google Sheets
# drops custom properties; the cells survive every client).
IDENTITY = (
    ("template_id", "Template"),
    ("schema_version", "Schema version"),
    ("methodology_version", "Methodology version"),
    ("catalogue_fingerprint", "Catalogue fingerprint"),
    ("year", "Assessment year"),
)

SHEET_OVERVIEW = "Overview"
SHEET_CRITERIA = "Criteria"
SHEET_REGIONAL = "Cross-cutting"
SHEET_SUBMISSIONS = "Submissions"
SHEET_ISSUES = "Issues"
SHEET_METHODOLOGY = "Methodology"
SHEET_ARCHIVE = "Archive"
SHEET_ANSWER_HISTORY = "Answer history"
PROFILE_SUFFIX = " profile"


def checklist_sheet(country_name: str) -> str:
    """The sheet holding a country's action checklist (its tracker): read back by `--previous`.

    Every layout so far keeps the checklist on the sheet named after the country (schema 0 and 1 put
    it under the country's scores; since the meeting pack it has the sheet to itself), so one rule
    reads them all: the header row holding Status, Target date and Notes, found anywhere on it.
    """
    return country_name[:31]


def profile_sheet(country_name: str) -> str:
    """The sheet with a country's scores, chart, gaps and checklist progress (for meetings)."""
    return country_name[: 31 - len(PROFILE_SUFFIX)] + PROFILE_SUFFIX


# The typed columns of every checklist (country sheets, Cross-cutting, Archive), found by header.
MILESTONE_ID, STATUS, LEAD, TARGET, NOTES = "Milestone ID", "Status", "Lead agency", "Target date", "Notes"
TYPED = (STATUS, LEAD, TARGET, NOTES)

SCORES_HEADS = ("Country code", "Country", "Year", "Pillar", "Score", "Tier", "Complete")
ANSWERS_HEADS = ("Country code", "Criterion", "Answer", "Points", "Evidence")  # what other tools rely on
ANSWERS_EXTRA = ("Comments",)  # written after them (earlier workbooks lack it)
CHECKLIST_HEADS = (
    "Country code",
    MILESTONE_ID,
    "Action",
    "Sub-action",
    "Term",
    "Milestone",
    "Basis",
    STATUS,
    LEAD,
    TARGET,
    NOTES,
)
HISTORY_HEADS = SCORES_HEADS
ARCHIVE_HEADS = (
    "Country code",
    "Country",
    MILESTONE_ID,
    "Action",
    "Sub-action",
    "Term",
    "Milestone",
    STATUS,
    LEAD,
    TARGET,
    NOTES,
    "Entered in",
    "Reason",
)
ANSWER_HISTORY_LEAD = ("Country code", "Country", "Year")  # then one column per criterion, its points
