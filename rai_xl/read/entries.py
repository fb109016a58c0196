"""Read what people typed on a tracker-like sheet (a tracker, Cross-cutting, the Archive), from cells.

Independent of the writers: the header row is found by what its columns are (rai_xl.regional.marks),
not by their exact text or place, so a retyped header, an inserted or moved column, a sort or a
column a person added all read alike. A column the layout does not know is an added column: its
values are read with its header. Nothing is converted: a value comes with its number format.
"""

from __future__ import annotations

from dataclasses import dataclass

from rai_xl.core.typed import Typed, Value
from rai_xl.layouts.tracker import KEY, MILESTONE_ID, TYPED, Column
from rai_xl.read.spreadsheet import Cell, Sheet, column_letters

RECOGNISED = 3  # columns of the layout a header row names, at least (one of them typed)


@dataclass(frozen=True)
class Row:
    """One row below the header on which something was typed (or commented)."""

    number: int  # the sheet's row, from 1
    key: str  # the hidden key cell's text, "" without one
    values: dict[str, Value]  # the layout's other columns (milestone ID, action, ...) by key, as found
    typed: Typed
    cells: dict[str, str]  # {typed column key or added header: A1 reference} of what was typed


@dataclass(frozen=True)
class Entries:
    sheet: str
    identity: str  # what the key column's header names ("" without a key column)
    header_row: int
    columns: dict[str, int]  # the layout's columns found: key -> column number
    added: dict[int, str]  # columns a person added: column number -> header
    rows: list[Row]
    missing: tuple[Column, ...]  # typed columns the header row does not name
    stray: list[tuple[str, Value, str]]  # (A1, value, what) typed or commented outside any row


def classify(text: str, layout: tuple[Column, ...]) -> Column | None:
    """The layout's column a header text names (the longest name wins: Milestone ID before Milestone)."""
    found = [c for c in (*layout, KEY) if c.names(text)]
    return max(found, key=lambda c: len(c.head), default=None)


def read_entries(sheet: Sheet, layout: tuple[Column, ...]) -> Entries | None:
    """The typed rows of a tracker-like *sheet* laid out by *layout*; None when no header row is found."""
    found = _header(sheet, layout)
    if found is None:
        return None
    top, columns, added, identity = found
    rows: dict[int, dict[int, Cell]] = {}
    for (r, c), cell in sheet.cells.items():
        if r > top:
            rows.setdefault(r, {})[c] = cell
    notes: dict[int, dict[int, str]] = {}
    stray: list[tuple[str, Value, str]] = []
    for (r, c), text in sheet.comments.items():
        if r > top:
            notes.setdefault(r, {})[c] = text
        else:
            stray.append((f"{column_letters(c)}{r}", text, "a comment above the header row"))
    by_col = {col: key for key, col in columns.items()}
    last = max(columns.values())
    typed_keys = {c.key for c in TYPED}
    out = []
    for r in sorted(set(rows) | set(notes)):
        cells, comments = rows.get(r, {}), notes.get(r, {})
        for c, cell in cells.items():
            if c > last and c not in added and cell.value not in (None, ""):
                added[c] = f"Column {column_letters(c)}"  # values with no header: a column all the same
        values: dict[str, Value] = {}
        typed: dict[str, tuple[Value, str]] = {}
        extra, refs = [], {}
        for c, cell in sorted(cells.items()):
            key = by_col.get(c)
            if key in typed_keys:
                typed[key] = (cell.value, cell.format)
                refs[key] = f"{column_letters(c)}{r}"
            elif key is not None:
                values[key] = cell.value
                refs[key] = f"{column_letters(c)}{r}"
            elif c in added and cell.value not in (None, ""):
                extra.append((added[c], cell.value, cell.format))
                refs[added[c]] = f"{column_letters(c)}{r}"
        said = tuple(
            (by_col.get(c) or added.get(c) or f"Column {column_letters(c)}", t) for c, t in sorted(comments.items())
        )
        for c in comments:
            refs.setdefault(f"comment:{by_col.get(c) or added.get(c) or column_letters(c)}", f"{column_letters(c)}{r}")
        got = {k: typed.get(k, (None, "")) for k in ("status", "lead", "target", "notes")}
        entry = Typed(
            status=got["status"][0],
            lead=got["lead"][0],
            target=got["target"][0],
            notes=got["notes"][0],
            formats=(got["lead"][1], got["target"][1], got["notes"][1]),
            added=tuple(extra),
            comments=said,
        )
        if entry.entered:
            row_key = values.pop(KEY.key, None)
            out.append(Row(r, str(row_key).strip() if row_key is not None else "", values, entry, refs))
    missing = tuple(c for c in TYPED if c.key not in columns)
    return Entries(sheet.name, identity, top, columns, added, out, missing, stray)


def _header(sheet: Sheet, layout: tuple[Column, ...]) -> tuple[int, dict[str, int], dict[int, str], str] | None:
    """(row, {column key: column}, {added column: header}, identity) of the header row: the row with the
    key column's header, else the first naming enough of the layout's columns."""
    texts: dict[int, dict[int, str]] = {}
    for (r, c), cell in sheet.cells.items():
        if isinstance(cell.value, str) and cell.value.strip():
            texts.setdefault(r, {})[c] = cell.value
    for r in sorted(texts):
        columns: dict[str, int] = {}
        added: dict[int, str] = {}
        identity = ""
        for c, text in sorted(texts[r].items()):
            col = classify(text, layout)
            if col is KEY:
                identity = text.split(":", 1)[1].strip() if ":" in text else ""
            if col is None or col.key in columns:
                added[c] = text
            else:
                columns[col.key] = c
        known = [k for k in columns if k != KEY.key]
        if KEY.key in columns or (len(known) >= RECOGNISED and any(c.key in columns for c in (*TYPED, MILESTONE_ID))):
            return r, columns, added, identity
    return None
