"""A cell as a person sees it, and values typed the way people type them (dates, years): text helpers
shared by every reader. Nothing here knows what kind of workbook a cell came from."""

from __future__ import annotations

from datetime import date, datetime, time

from rai_xl.core.text import format_number
from rai_xl.read.spreadsheet import Cell, Sheet

# Numbers in ASCII digits only: str.isdigit() also accepts '²' and other scripts' digits.


def cell_text(cell: Cell | None) -> str:
    """A cell's value as text: typed text exactly (surrounding whitespace trimmed), numbers in full,
    dates as ISO YYYY-MM-DD (with the time when there is one), TRUE/FALSE."""
    if cell is None or cell.value is None:
        return ""
    value = cell.value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return format_number(value)
    return str(value).strip()


def labelled(sheet: Sheet, label_col: int, value_col: int, labels: dict[str, str]) -> dict[str, str]:
    """{key: the text beside its label} for the labels of *labels* ({label: key}) found in *label_col*."""
    out = {}
    for (row, col), cell in sheet.cells.items():
        if col == label_col and isinstance(cell.value, str) and cell.value in labels:
            out[labels[cell.value]] = cell_text(sheet.cells.get((row, value_col)))
    return out
