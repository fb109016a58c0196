"""A returned progress workbook as plain data (who reported, when, what changed), the rows of the
`Progress` table, and the value rules the merge uses. No files here."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from rai_xl.core.submission import VALID
from rai_xl.core.typed import NOT_STARTED, Typed, Unplaced, Value
from rai_xl.issues import ERROR, WARNING, Issue
from rai_xl.layouts.progress import EVIDENCE
from rai_xl.layouts.tracker import STATUS
from rai_xl.method.catalogue import Country

Field = tuple[Value, str]  # a reported value and its number format


NO_CHANGES = "no changes"


@dataclass(frozen=True)
class Change:
    """A field the Member State changed: what the progress workbook held when made, and what came back."""

    milestone_id: str
    field: str  # a key of rai_xl.progress.REPORTED
    made: Field
    reported: Field
    cell: str  # A1 on the Progress sheet


@dataclass
class ProgressReturn:
    path: Path
    sha256: str = ""
    status: str = VALID  # valid or invalid (the file as a whole cannot be used)
    country: Country | None = None
    round: int | None = None
    made_from: str = ""
    made_on: str = ""
    reported_by: str = ""
    reported_on: date | None = None
    changes: list[Change] = field(default_factory=list)  # accepted changes, in plan order
    unplaced: list[Unplaced] = field(default_factory=list)  # what the plan has no place for, kept whole
    issues: list[Issue] = field(default_factory=list)

    @property
    def untouched(self) -> bool:
        """Nothing was changed or added: a blank or untouched return ('no changes')."""
        return self.status == VALID and not self.changes and not self.unplaced and not self.errors

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    def error(self, sheet: str, cell: str, milestone: str, message: str) -> None:
        self.issues.append(Issue(ERROR, sheet, cell, milestone, message))

    def warn(self, sheet: str, cell: str, milestone: str, message: str) -> None:
        self.issues.append(Issue(WARNING, sheet, cell, milestone, message))


def same(a: Value, b: Value) -> bool:
    """Whether two cell values are the same value: blank is blank, a date at midnight is the date."""
    a, b = (
        None if v == "" else v.date() if isinstance(v, datetime) and v.time() == datetime.min.time() else v for v in (a, b)
    )
    return (type(a) is type(b) and a == b) or (isinstance(a, float | int) and isinstance(b, float | int) and a == b)


@dataclass(frozen=True)
class ProgressRow:
    """One row of the `Progress` table: a change a Member State's report made to its tracker."""

    country: str
    milestone_id: str
    field: str  # the column's header (Status, Lead agency, Target date, Notes, Evidence of progress)
    before: tuple[Value, str]  # value and number format
    after: tuple[Value, str]
    source: str  # the progress return's file name
    reported_on: date | None


def held(typed: Typed, key: str) -> tuple[Value, str]:
    """(value, number format) of a reported field of a tracker row's entries: Evidence of progress is the
    tracker's column of that header; a Status left blank is Not started."""
    if key == EVIDENCE.key:
        return next(((v, f) for h, v, f in typed.added if h == EVIDENCE.head), (None, ""))
    if key == STATUS.key:
        return (typed.status if typed.status not in (None, "") else NOT_STARTED), ""
    return typed.value(key), typed.format(key)


def with_field(typed: Typed, key: str, value: Value, fmt: str) -> Typed:
    """*typed* with the reported field *key* set to *value* in number format *fmt*."""
    if key != EVIDENCE.key:
        return typed.with_value(key, value, fmt)
    others = tuple(a for a in typed.added if a[0] != EVIDENCE.head)
    return replace(typed, added=others + (((EVIDENCE.head, value, fmt),) if value not in (None, "") else ()))
