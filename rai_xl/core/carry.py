"""Where each typed entry of an earlier workbook goes in the new one: one pure partition, no files.

Every entry lands in exactly one place: on its row of the plan (placed), under its tracker's
"Carried from" rows (carried: a milestone no longer in the country's plan), on the Archive (a row with
no tracker or no milestone in this catalogue), or, value by value, among the unplaced entries (a row
naming no milestone, a second row disagreeing with the first, what the Archive has no column for).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from rai_xl.core.typed import FIELDS, NOT_STARTED, REGIONAL, Typed, TypedRow, Unplaced, Value
from rai_xl.issues import Msg
from rai_xl.layouts import regional as marks
from rai_xl.layouts.tracker import MILESTONE_ID, added_key, column_head
from rai_xl.method.catalogue import Catalogue


@dataclass
class Partition:
    placed: dict[tuple[str, str], TypedRow] = field(default_factory=dict)  # (country, milestone) -> entry
    carried: dict[str, list[TypedRow]] = field(default_factory=dict)  # country -> rows no longer planned
    archived: list[tuple[TypedRow, str]] = field(default_factory=list)  # rows with no place, and why
    unplaced: list[Unplaced] = field(default_factory=list)
    said: list[str] = field(default_factory=list)  # what was done with entries a person should know of


CELL_LIMIT = 32_767  # characters an Excel cell (or a comment) holds
CONTINUED = " [...] (continued on 'Unplaced entries': {length:,} characters in all)"


def _blank(key: str, v: Value) -> bool:
    return v in (None, "") or (key == "status" and v == NOT_STARTED)


def partition(
    rows: Iterable[TypedRow],
    earlier: Iterable[Unplaced],
    planned: set[tuple[str, str]],
    trackers: set[str],
    catalogue: Catalogue,
    year: int,
    previous_version: str,
) -> Partition:
    """Place *rows* (in reading order: trackers before the Checklist table) in the new workbook, whose
    plan holds *planned* (country, milestone) rows on the trackers of *trackers* (country codes)."""
    part = Partition(unplaced=list(earlier))
    merged: dict[tuple[str, str], TypedRow] = {}
    for read in rows:
        row = _fitted(read, part)
        if not row.milestone_id:
            why = Msg.NOT_A_MILESTONE.format(found=row.found_id) if row.found_id else Msg.NAMES_NO_MILESTONE.format()
            part.unplaced += _values(row, row.typed, Msg.NO_PLACE.format(why=why))
            continue
        if row.found_id:
            retyped = Msg.ID_RETYPED.format(milestone=row.milestone_id)
            part.unplaced.append(_entry(row, MILESTONE_ID.key, row.found_id, "", retyped))
        key = (row.country, row.milestone_id)
        merged[key] = _merge(merged[key], row, part) if key in merged else row
    for key, row in merged.items():
        code, mid = key
        found = catalogue.milestone(mid)
        if key in planned:
            part.placed[key] = row
        elif found is not None and found[0].kind == "targeted" and code in trackers and code != REGIONAL:
            part.carried.setdefault(code, []).append(row)
        else:
            reason = _no_place(row, catalogue, trackers, year, previous_version)
            part.archived.append((row, reason))
            rest = Typed(added=row.typed.added, comments=row.typed.comments)
            part.unplaced += _values(row, rest, Msg.ON_ARCHIVE.format(reason=reason))
    part.unplaced = [piece for u in part.unplaced for piece in _in_parts(u)]
    return part


def _too_long(v: Value) -> bool:
    return isinstance(v, str) and len(v) > CELL_LIMIT


def _start(text: str) -> str:
    """What a cell shows of a text longer than it holds: its start, and where the whole text is."""
    more = CONTINUED.format(length=len(text))
    return text[: CELL_LIMIT - len(more)] + more


def in_a_cell(value: Value) -> Value:
    """*value* as a cell can show it: a text longer than a cell holds is its start and where the whole text is
    (the tracker's row carries the whole text to Unplaced entries)."""
    return _start(str(value)) if _too_long(value) else value


def _fitted(row: TypedRow, part: Partition) -> TypedRow:
    """*row* with each text longer than a cell holds cut to its start and a pointer; the whole text goes to
    Unplaced entries (in parts that each fit a cell), and Issues says so. Nothing is lost."""
    typed = row.typed
    long = [k for k in FIELDS if _too_long(typed.value(k))]
    long_added = [head for head, v, _ in typed.added if _too_long(v)]
    long_comments = [col for col, text in typed.comments if _too_long(text)]
    if not (long or long_added or long_comments):
        return row
    reason = Msg.TOO_LONG.format()
    for k in long:
        part.unplaced.append(_entry(row, k, typed.value(k), typed.format(k), reason))
        typed = typed.with_value(k, in_a_cell(typed.value(k)), typed.format(k))
    for head, v, fmt in typed.added:
        if head in long_added:
            part.unplaced.append(_entry(row, added_key(head), v, fmt, reason))
    for col, text in typed.comments:
        if col in long_comments:
            part.unplaced.append(_entry(row, col, text, "", reason, comment=True))
    typed = replace(
        typed,
        added=tuple((h, in_a_cell(v), f) for h, v, f in typed.added),
        comments=tuple((c, _start(t) if _too_long(t) else t) for c, t in typed.comments),
    )
    where = f"sheet '{row.sheet}' row {row.row}" if row.sheet else row.milestone_id
    part.said.append(Msg.TOO_LONG_CUT.format(where=where, count=len(long) + len(long_added) + len(long_comments)))
    return replace(row, typed=typed)


def _in_parts(u: Unplaced) -> list[Unplaced]:
    """*u*, or when its text is longer than a cell holds, the text in parts that each fit a cell, in order."""
    if not _too_long(u.value):
        return [u]
    text = str(u.value)
    parts = [text[i : i + CELL_LIMIT] for i in range(0, len(text), CELL_LIMIT)]
    return [
        replace(u, value=p, reason=Msg.IN_PARTS.format(reason=u.reason, part=i, parts=len(parts), length=len(text)))
        for i, p in enumerate(parts, start=1)
    ]


def _merge(keeper: TypedRow, other: TypedRow, part: Partition) -> TypedRow:
    """*keeper* with what *other* (a second row with its milestone) adds; a value that disagrees with the
    keeper's is unplaced, naming both rows."""
    where = f"{keeper.sheet} row {keeper.row}"
    if other.sheet == marks.SHEET_CHECKLIST:
        second = Msg.TYPED_OVER.format(table=marks.SHEET_CHECKLIST)
    else:
        second = Msg.SECOND_ROW_AT.format(milestone=other.milestone_id, sheet=other.sheet, row=other.row)
    typed = keeper.typed
    for key in FIELDS:
        mine, theirs = typed.value(key), other.typed.value(key)
        if _blank(key, theirs) or mine == theirs:  # the same value in another format is the same value
            continue
        if _blank(key, mine):
            typed = typed.with_value(key, theirs, other.typed.format(key))
            at = other.cell(key)
            part.said.append(Msg.CARRIED_TO.format(sheet=other.sheet, cell=at, value=theirs, second=second, where=where))
        else:
            reason = Msg.DISAGREES.format(second=second, where=where, kept=mine)
            part.unplaced.append(_entry(other, key, theirs, other.typed.format(key), reason))
    heads = {h for h, _, _ in typed.added}
    added = typed.added + tuple(a for a in other.typed.added if a[0] not in heads)
    for head, v, fmt in other.typed.added:
        if head in heads and (head, v, fmt) not in typed.added:
            reason = Msg.DISAGREES_ADDED.format(second=second, where=where)
            part.unplaced.append(_entry(other, added_key(head), v, fmt, reason))
    said = dict(typed.comments)
    comments = typed.comments + tuple(c for c in other.typed.comments if c[0] not in said)
    for col, text in other.typed.comments:
        if col in said and said[col] != text:
            reason = Msg.DISAGREES_COMMENT.format(second=second, where=where)
            part.unplaced.append(_entry(other, col, text, "", reason, comment=True))
    return replace(keeper, typed=replace(typed, added=added, comments=comments))


def _values(row: TypedRow, typed: Typed, reason: str) -> list[Unplaced]:
    """Each value, added column and comment of *typed* as an unplaced entry of *row*."""
    out = [_entry(row, k, typed.value(k), typed.format(k), reason) for k in FIELDS if not _blank(k, typed.value(k))]
    out += [_entry(row, added_key(head), v, fmt, reason) for head, v, fmt in typed.added]
    out += [_entry(row, col, text, "", reason, comment=True) for col, text in typed.comments]
    return out


def _entry(row: TypedRow, key: str, value: Value, fmt: str, reason: str, comment: bool = False) -> Unplaced:
    """One unplaced value of *row*: of its column *key* (a layout key or an added column's), or a comment on it."""
    ref = row.cell(f"comment:{key}" if comment else key) or (f"row {row.row}" if row.row else "")
    column = f"comment on {column_head(key)}" if comment else column_head(key)
    return Unplaced(
        row.country, row.sheet, ref, row.milestone_id or row.found_id, row.shown[3], column, value, fmt, row.year, reason
    )


def _no_place(row: TypedRow, catalogue: Catalogue, trackers: set[str], year: int, previous_version: str) -> str:
    code, mid = row.country, row.milestone_id
    country = catalogue.country(code)
    name = country.name if country else ("Regional (cross-cutting)" if code == REGIONAL else code)
    if catalogue.milestone(mid) is None:
        reason = Msg.NOT_IN_CATALOGUE.format(milestone=mid, version=catalogue.version)
        if previous_version != catalogue.version:
            reason += Msg.CAME_FROM.format(version=previous_version)
        return reason
    if country is None and code != REGIONAL:
        return Msg.NOT_A_MEMBER_CODE.format(code=code)
    if code not in trackers and code != REGIONAL:
        return Msg.NO_RETURN_INCLUDED.format(country=name, year=year)
    return Msg.NOT_ON_CHECKLIST.format(milestone=mid)
