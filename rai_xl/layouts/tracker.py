"""The columns of the regional workbook's tracker-like sheets (trackers, Cross-cutting, Archive, Unplaced
entries): defined once, written by rai_xl.regional and read by rai_xl.entries and rai_xl.previous.
Nothing here imports a writer."""

from __future__ import annotations

import re
from dataclasses import dataclass


def checklist_sheet(country_name: str) -> str:
    """The sheet holding a country's action checklist (its tracker): read back by `--previous`.

    Every layout so far keeps the checklist on the sheet named after the country (schema 0 and 1 put
    it under the country's scores; since the meeting pack it has the sheet to itself), so one rule
    reads them all: the header row holding Status, Target date and Notes, found anywhere on it.
    """
    return country_name[:31]


@dataclass(frozen=True)
class Column:
    """One column of a tracker-like sheet: what it is (key), its header, and earlier headers for it."""

    key: str
    head: str
    also: tuple[str, ...] = ()

    def names(self, text: str) -> bool:
        """Whether a header cell names this column: its text, case and spacing aside, is the header, or
        the header then an aside set off by punctuation (so "Lead agency / focal point" and "Notes
        (updated monthly)" are still found, but "Reason for delay" or "Country focal point", headers a
        person gave columns of their own, are not)."""
        shown = " ".join(text.split()).casefold()
        for h in (self.head, *self.also):
            h = h.casefold()
            if shown == h or (shown.startswith(h) and shown[len(h) :].lstrip()[:1] in ASIDE):
                return True
        return False

    def exactly(self, text: str) -> bool:
        """Whether a header cell holds this column's header as rai-xl writes it (spacing at the ends aside)."""
        return text.strip() in (self.head, *self.also)


ASIDE = tuple("/([:-–—,;|")  # what sets an aside off a column's header: "Lead agency / focal point"
# The columns a person added are a name space of their own: their headers never meet the layout's keys
# ("notes" headed by hand is not the Notes column), in the cells and comments of a row.
ADDED = "added:"


def added_key(head: str) -> str:
    """The key of a column a person added, by its header."""
    return ADDED + head


def column_head(key: str) -> str:
    """The header of the column *key* names: the layout's, or the added column's own."""
    return key[len(ADDED) :] if key.startswith(ADDED) else HEADS.get(key, key)


PILLAR = Column("pillar", "Pillar")
ACTION = Column("action", "Action area", ("Action",))
SUB_ACTION = Column("sub_action", "Sub-action")
TERM = Column("term", "Term")
MILESTONE = Column("milestone", "Milestone")
MILESTONE_ID = Column("milestone_id", "Milestone ID")
STATUS = Column("status", "Status")
LEAD = Column("lead", "Lead agency", ("Lead",))  # the Cross-cutting sheet of schema 0 said "Lead"
TARGET = Column("target", "Target date")
NOTES = Column("notes", "Notes")
COUNTRY_CODE = Column("country", "Country code")
COUNTRY = Column("country_name", "Country")
ENTERED = Column("entered", "Entered in")
REASON = Column("reason", "Reason")
# The hidden column of the trackers: its header names the tracker (survives renaming the sheet), its
# cells the row's milestone (survive sorting, and retyping the visible Milestone ID).
KEY = Column("key", "rai-xl key")
MILESTONE_ID_PATTERN = re.compile(
    r"[CAPE][1-4]\.\d+\.\d+\.[SML]\d+"
)  # a Milestone ID as the catalogue makes them, e.g. P1.3.1.S2
TYPED = (STATUS, LEAD, TARGET, NOTES)  # what coordinators keep up to date
SHOWN = (ACTION, SUB_ACTION, TERM, MILESTONE)  # what a row shows of its milestone
TRACKER = (PILLAR, ACTION, SUB_ACTION, TERM, MILESTONE, MILESTONE_ID, *TYPED)  # a Member State's tracker
REGIONAL_TRACKER = (ACTION, SUB_ACTION, TERM, MILESTONE, MILESTONE_ID, *TYPED)  # Cross-cutting
ARCHIVE = (COUNTRY_CODE, COUNTRY, MILESTONE_ID, *SHOWN, *TYPED, ENTERED, REASON)
REGIONAL_KEY = "regional"  # the key header's name for the Cross-cutting tracker


def key_head(code: str) -> str:
    """The header of a tracker's key column: names the tracker by country code (or REGIONAL_KEY)."""
    return f"{KEY.head}: {code or REGIONAL_KEY}"


def row_key(milestone_id: str, entered: int | None) -> str:
    """A tracker row's key: its milestone ID, and the round something was first entered on it."""
    return milestone_id if entered is None else f"{milestone_id} {entered}"


TRACKER_TITLE = "action plan and tracker"  # a tracker's title: "{country}: action plan and tracker {year}"
REGIONAL_TITLE = "Regional checklist"  # the Cross-cutting sheet's title begins so
UNPLACED_TITLE = "Unplaced entries"  # the title (A1) that finds the sheet when it was renamed
ARCHIVE_TITLE = "Archive:"
SHEET_CELL, ROW_TEXT, VALUE = Column("sheet", "Sheet"), Column("row", "Row"), Column("value", "Value")
CELL, COLUMN = Column("cell", "Cell"), Column("column", "Column")
# Resolved: the coordinator's mark (anything typed) that an unplaced entry was dealt with; the next
# consolidation drops the row and says so once (a workbook made before the column is read without it)
RESOLVED = Column("resolved", "Resolved")
UNPLACED = (COUNTRY_CODE, SHEET_CELL, CELL, MILESTONE_ID, ROW_TEXT, COLUMN, VALUE, ENTERED, REASON, RESOLVED)

HEADS = {c.key: c.head for c in (*TRACKER, *ARCHIVE, KEY)}  # column key -> header
