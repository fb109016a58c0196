"""What people typed into a regional workbook, as plain data: read by rai_xl.entries and rai_xl.previous,
placed by rai_xl.carry, laid out by the regional writers. No files here."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

Value = str | float | bool | date | datetime | None
NOT_STARTED, PLANNED, IN_PROGRESS, COMPLETED, NOT_APPLICABLE = (
    "Not started",
    "Planned",
    "In progress",
    "Completed",
    "Not applicable",
)
STATUSES = (NOT_STARTED, PLANNED, IN_PROGRESS, COMPLETED, NOT_APPLICABLE)  # a milestone's Status, in this order
OTHER_STATUS = "Other (not a status of the list)"  # how progress counts a typed Status off the list
REGIONAL = ""  # the country code of the regional (cross-cutting) checklist
FIELDS = ("status", "lead", "target", "notes")  # the typed columns, by key (rai_xl.layout.TYPED)


@dataclass(frozen=True)
class Typed:
    """What a person typed on one checklist row, exactly as read: values with their number formats, the
    columns they added (header, value, number format) and their comments ({column key or header: text})."""

    status: Value = None
    lead: Value = None
    target: Value = None
    notes: Value = None
    formats: tuple[str, str, str] = ("", "", "")  # number formats of lead, target and notes ("" General)
    added: tuple[tuple[str, Value, str], ...] = ()
    comments: tuple[tuple[str, str], ...] = ()

    @property
    def entered(self) -> bool:
        return (
            self.status not in (None, "", NOT_STARTED)
            or any(v not in (None, "") for v in self.extra)
            or any(v not in (None, "") for _, v, _ in self.added)
            or bool(self.comments)
        )

    @property
    def extra(self) -> tuple[Value, Value, Value]:
        return (self.lead, self.target, self.notes)

    def value(self, key: str) -> Value:
        return getattr(self, key)

    def format(self, key: str) -> str:
        return "" if key == "status" else self.formats[FIELDS.index(key) - 1]

    def with_value(self, key: str, value: Value, fmt: str) -> Typed:
        """This entry with *key* (a typed column) set to *value* shown in number format *fmt*."""
        if key == "status":
            return replace(self, status=value)
        formats = list(self.formats)
        formats[FIELDS.index(key) - 1] = fmt
        return replace(self, **{key: value}, formats=tuple(formats))  # type: ignore[arg-type]


@dataclass(frozen=True)
class TypedRow:
    """A checklist row of an earlier workbook on which something was entered."""

    country: str  # country code; REGIONAL for the cross-cutting checklist
    milestone_id: str  # "" when the row names no milestone a person could mean
    typed: Typed
    shown: tuple[str, str, str, str]  # action, sub-action, term, milestone as that workbook showed them
    year: int  # the round something was first entered on the row
    sheet: str = ""  # where it was read: sheet, row, and the cells of what was typed ({key or header: A1})
    row: int = 0
    cells: tuple[tuple[str, str], ...] = ()
    found_id: str = ""  # the visible Milestone ID when it is not the row's milestone (retyped, cleared)

    def cell(self, key: str) -> str:
        return dict(self.cells).get(key, "")


@dataclass(frozen=True)
class Unplaced:
    """One typed value (or comment) that has no row in the new workbook, kept whole with the reason."""

    country: str
    sheet: str
    cell: str
    milestone: str  # the row's milestone ID as found
    row_text: str  # what the row showed (its milestone), so a person can find it
    column: str  # the column's header ("comment on Notes" for a comment)
    value: Value
    format: str
    year: int  # the round it was entered in
    reason: str
