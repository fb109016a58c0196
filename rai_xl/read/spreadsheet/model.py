"""What the reader returns: a Workbook of sheets, cells, properties and findings, or UnreadableFile with
a one-line reason (the reasons a person is asked to act on are named here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

PASSWORD = "password-protected: ask for a copy saved without a password"
LEGACY = (
    "this is a legacy .xls workbook or a password-encrypted file; "
    "open it and save it as Excel Workbook (.xlsx) without a password"
)
STRICT = "saved as Strict Open XML: save it as an ordinary Excel Workbook (.xlsx)"
MACROS = (
    "the file contains macros, which rai-xl does not open: save it as Excel Workbook (.xlsx) "
    "(File > Save As), which leaves the macros out"
)

CellValue = str | float | bool | dt.date | dt.datetime | None


class UnreadableFile(Exception):
    """The file is not a spreadsheet rai-xl can read; the message is the one-line reason."""


@dataclass(frozen=True)
class Cell:
    """One cell: its value (text, number, boolean, date, date and time, or None) and its formula.

    A date is a datetime.date, or a datetime.datetime when it has a time of day. An error value
    (#N/A, #REF!) is its text. A formula's cached result is the value; the formula is never run.
    """

    value: CellValue
    formula: str = ""  # the formula text, starting with "=", when the cell holds a formula
    format: str = ""  # a number's or date's number format code (.xlsx), "" for General


@dataclass
class Sheet:
    name: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)  # (row, col), 1-based
    comments: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> a comment's text (.xlsx)


@dataclass(frozen=True)
class Finding:
    """Something the reader did not read, or ignored, and says so: one line, about a sheet or ('') the file."""

    sheet: str
    message: str


@dataclass
class Workbook:
    format: str  # "xlsx" or "ods"
    sheets: list[Sheet]
    properties: dict[str, str]  # custom document properties
    findings: list[Finding] = field(default_factory=list)

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)
