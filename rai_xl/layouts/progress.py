"""What identifies a progress workbook, and the layout facts its writer and its reader share.

A progress workbook is written by `rai-xl progress` from a regional workbook for one Member State,
filled by its officials and read back by rai_xl.progress_returns. Its identity sits where the
questionnaire's does (custom properties, the hidden Lists sheet's columns H:I, 'Start here' A:B), so
every reader of rai-xl files recognises it by the same marks and never takes it for a questionnaire.
"""

from __future__ import annotations

from rai_xl.layouts import kinds
from rai_xl.layouts import questionnaire as questionnaire_ids
from rai_xl.layouts import tracker as layout

TEMPLATE_ID = kinds.PROGRESS
SCHEMA_VERSION = "1"
PROPERTY_PREFIX = kinds.PROPERTY_PREFIX

SHEET_START = questionnaire_ids.SHEET_START
SHEET_PLAN = "Progress"
SHEET_SUMMARY = "Summary"
SHEET_LISTS = questionnaire_ids.SHEET_LISTS
SHEET_AS_MADE = "As made"  # hidden: what the regional workbook held for each milestone when this was made
SHEETS = (SHEET_START, SHEET_PLAN, SHEET_SUMMARY, SHEET_LISTS, SHEET_AS_MADE)

# Identity: (key, label on 'Start here'), written as custom properties, on Lists (H:I) and on 'Start here' (A:B).
IDENTITY = kinds.identity("country", "round", "made_from", "made_on")
LISTS_STATUS_COLUMN = 1  # A: the statuses behind the Status dropdown (1-based, as the reader sees it)
LISTS_KEY_COLUMN = questionnaire_ids.LISTS_IDENTITY_KEY_COLUMN
LISTS_VALUE_COLUMN = questionnaire_ids.LISTS_IDENTITY_VALUE_COLUMN
START_LABEL_COLUMN, START_VALUE_COLUMN = questionnaire_ids.START_LABEL_COLUMN, questionnaire_ids.START_VALUE_COLUMN

# What the officials fill on 'Start here' besides the plan: (key, label in column A).
REPORTED_BY = ("reported_by", "Reported by (name, agency, email)")
REPORTED_ON = ("reported_on", "Reported on (date)")

EVIDENCE = layout.Column("evidence", "Evidence of progress")  # carried onto the tracker as a column of its name
REPORTED = (*layout.TYPED, EVIDENCE)  # what a Member State reports, per milestone
PLAN = (layout.MILESTONE_ID, layout.PILLAR, *layout.SHOWN, *REPORTED)  # the Progress sheet, then a hidden key column
PLAN_WIDTHS = (13, 7, 9, 10, 13, 46, 14, 20, 12, 28, 28)
# Read back by rai_xl.entries: Evidence of progress is not a typed column of the layout, so it comes as
# a column of its header, exactly as a tracker carries a column a person added.
READ = (layout.MILESTONE_ID, layout.PILLAR, *layout.SHOWN, *layout.TYPED)
AS_MADE = (layout.MILESTONE_ID, *REPORTED)  # the hidden 'As made' sheet, header in row 1
FIELD_HEADS = {c.key: c.head for c in REPORTED}  # the Progress table's Field column

# The regional workbook's `Progress` table (on a sheet of its name): every change progress returns made.
PROGRESS_TABLE = "Progress"
PROGRESS_HEADS = ("Country code", "Milestone ID", "Field", "Before", "After", "Source", "Reported on")


def file_name(country_name: str, year: int) -> str:
    """'RAI-progress-2026-Lao-PDR.xlsx': the name a coordinator can email as it is."""
    return f"RAI-progress-{year}-{country_name.replace(' ', '-')}.xlsx"
