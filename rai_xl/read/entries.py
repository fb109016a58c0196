"""Read what people typed on a tracker-like sheet (a tracker, Cross-cutting, the Archive), from cells.

Independent of the writers: the header row is found by what its columns are (rai_xl.regional.marks),
not by their exact text or place, so a retyped header, an inserted or moved column, a sort or a
column a person added all read alike. A column the layout does not know is an added column: its
values are read with its header. Nothing is converted: a value comes with its number format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rai_xl.core.typed import Typed, Value
from rai_xl.issues import Msg
from rai_xl.layouts.tracker import KEY, LEAD, MILESTONE_ID, MILESTONE_ID_PATTERN, NOTES, TYPED, Column, added_key
from rai_xl.read.cells import typed_value
from rai_xl.read.spreadsheet import Cell, Sheet, column_letters

RECOGNISED = 3  # columns of the layout a header row names, at least (one of them typed)


@dataclass(frozen=True)
class Row:
    """One row below the header on which something was typed (or commented)."""

    number: int  # the sheet's row, from 1
    key: str  # the hidden key cell's text, "" without one
    values: dict[str, Value]  # the layout's other columns (milestone ID, action, ...) by key, as found
    typed: Typed
    cells: dict[str, str]  # {layout column key or added column's key: A1 reference} of what was typed


@dataclass(frozen=True)
class Entries:
    sheet: str
    identity: str  # what the key column's header names ("" without a key column)
    header_row: int
    columns: dict[str, int]  # the layout's columns found: key -> column number
    added: dict[int, str]  # columns a person added: column number -> header (a repeated header numbered)
    rows: list[Row]
    missing: tuple[Column, ...]  # typed columns the header row does not name
    stray: list[tuple[str, Value, str]]  # (A1, value, what) typed or commented outside any row
    said: tuple[str, ...] = ()  # what a person should know of the header row: ambiguous or repeated headers
    heads: dict[str, str] = field(default_factory=dict)  # the layout's columns found: key -> header as it reads


def classify(text: str, layout: tuple[Column, ...]) -> Column | None:
    """The layout's column a header text names (the longest name wins: Milestone ID before Milestone)."""
    found = [c for c in (*layout, KEY) if c.names(text)]
    return max(found, key=lambda c: len(c.head), default=None)


def read_entries(sheet: Sheet, layout: tuple[Column, ...], every_row: bool = False) -> Entries | None:
    """The typed rows of a tracker-like *sheet* laid out by *layout*; None when no header row is found.
    *every_row*: a row showing anything besides its Milestone ID and key is a row too (a plan row a
    person added, holding only its milestone's text), not only a row with something typed on it."""
    by_row: dict[int, dict[int, Cell]] = {}
    for (r, c), cell in sheet.cells.items():
        by_row.setdefault(r, {})[c] = cell
    found = _header(sheet.name, by_row, layout)
    if found is None:
        return None
    top, columns, added, identity, said = found
    heads = {key: str(sheet.cells[(top, c)].value) for key, c in columns.items()}
    rows = {r: cells for r, cells in by_row.items() if r > top}
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
        extra, at = [], {}  # at: each value's column, for the references of a row that is kept
        for c, cell in sorted(cells.items()):
            key = by_col.get(c)
            if key in typed_keys:
                typed[key] = (typed_value(cell, key in FREE_TEXT), cell.format)
                at[key] = c
            elif key is not None:
                values[key] = typed_value(cell) if key != KEY.key else cell.value
                at[key] = c
            elif c in added and (cell.value not in (None, "") or cell.formula):
                extra.append((added[c], typed_value(cell), cell.format))
                at[added_key(added[c])] = c
        links = sheet.links
        linked = tuple((_named(c, by_col, added), links[(r, c)]) for c in sorted(cells) if (r, c) in links) if links else ()
        said_on = tuple((_named(c, by_col, added), t) for c, t in sorted(comments.items()))
        for c in comments:
            at.setdefault(f"comment:{_named(c, by_col, added)}", c)
        got = {k: typed.get(k, (None, "")) for k in ("status", "lead", "target", "notes")}
        entry = Typed(
            status=got["status"][0],
            lead=got["lead"][0],
            target=got["target"][0],
            notes=got["notes"][0],
            formats=(got["lead"][1], got["target"][1], got["notes"][1]),
            added=tuple(extra),
            comments=said_on,
            links=linked,
        )
        row_key = values.pop(KEY.key, None)
        key_text = str(row_key).strip() if row_key is not None else ""
        if key_text and not _is_key(key_text):  # something typed or pasted over the hidden key
            ref = f"{column_letters(columns[KEY.key])}{r}"
            stray.append((ref, row_key, "a value in the hidden key column, which holds the row's milestone"))
            key_text = ""
        shows = any(v not in (None, "") for k, v in values.items() if k != MILESTONE_ID.key)
        if entry.entered or (every_row and shows):
            out.append(Row(r, key_text, values, entry, {k: f"{column_letters(c)}{r}" for k, c in at.items()}))
    missing = tuple(c for c in TYPED if c.key not in columns)
    return Entries(sheet.name, identity, top, columns, added, out, missing, stray, said, heads)


FREE_TEXT = {LEAD.key, NOTES.key}  # typed columns of free text: a formula typed there is kept beside its value


def _is_key(text: str) -> bool:
    """Whether a key cell holds a row key (rai_xl.layouts.tracker.row_key): a milestone ID, then a round."""
    mid, _, year = text.partition(" ")
    return MILESTONE_ID_PATTERN.fullmatch(mid) is not None and (not year or year.isdigit())


def _named(c: int, by_col: dict[int, str], added: dict[int, str]) -> str:
    """What a row's cells and comments call column *c*: a layout key, an added column's key, or its letters."""
    if c in by_col:
        return by_col[c]
    return added_key(added[c]) if c in added else column_letters(c)


def _header(
    sheet: str, by_row: dict[int, dict[int, Cell]], layout: tuple[Column, ...]
) -> tuple[int, dict[str, int], dict[int, str], str, tuple[str, ...]] | None:
    """(row, {column key: column}, {added column: header}, identity, what is said) of the header row of the
    sheet named *sheet* (its cells *by_row*): the row with the key column's header, else the first naming enough
    of the layout's columns. Where two headers name one column, the one written as rai-xl writes it (else the
    first) is the column and the other a column of its own; a repeated header of an added column is numbered:
    both said."""
    for r in sorted(by_row):
        texts = {c: cell.value for c, cell in by_row[r].items() if isinstance(cell.value, str) and cell.value.strip()}
        if not texts:
            continue
        naming: dict[str, list[int]] = {}
        added: dict[int, str] = {}
        kinds: dict[str, Column] = {}
        for c, text in sorted(texts.items()):
            col = classify(text, layout)
            if col is None:
                added[c] = text
            else:
                naming.setdefault(col.key, []).append(c)
                kinds[col.key] = col
        columns = {}
        said: list[str] = []
        for key, cols in naming.items():
            exact = [c for c in cols if kinds[key].exactly(texts[c])]
            chosen = (exact or cols)[0]
            columns[key] = chosen
            for c in cols:
                if c != chosen:
                    added[c] = texts[c]
                    said.append(
                        Msg.HEADERS_BOTH_NAME.format(
                            sheet=sheet,
                            row=r,
                            first=texts[chosen],
                            first_col=column_letters(chosen),
                            second=texts[c],
                            second_col=column_letters(c),
                            head=kinds[key].head,
                        )
                    )
        known = [k for k in columns if k != KEY.key]
        if KEY.key in columns or (len(known) >= RECOGNISED and any(c.key in columns for c in (*TYPED, MILESTONE_ID))):
            identity = ""
            if KEY.key in columns:
                text = texts[columns[KEY.key]]
                identity = text.split(":", 1)[1].strip() if ":" in text else ""
            return r, columns, _numbered(sheet, r, added, said), identity, tuple(said)
    return None


def _numbered(sheet: str, row: int, added: dict[int, str], said: list[str]) -> dict[int, str]:
    """*added* with a header met again numbered ('Remarks', then 'Remarks (2)'), so each column is kept."""
    out: dict[int, str] = {}
    seen: set[str] = set()
    for c, text in sorted(added.items()):
        head, n = text, 1
        while head.strip().casefold() in seen:
            n += 1
            head = f"{text} ({n})"
        if head != text:
            said.append(Msg.HEADER_AGAIN.format(sheet=sheet, row=row, text=text, col=column_letters(c), head=head))
        seen.add(head.strip().casefold())
        out[c] = head
    return out
