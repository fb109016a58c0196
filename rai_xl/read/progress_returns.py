"""Read a returned progress workbook: who reported, when, and what changed on each milestone.

Read with the bounded reader that reads questionnaires, found by its identity marks and header cells
(rai_xl.entries), never trusted: every Status is checked against the list, every changed Target date
must be a date, every row must be a milestone of the country's plan. Nothing here writes; nothing
typed is converted (values come with their number formats).
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path

from rai_xl.core.progress_return import NO_CHANGES, Change, Field, ProgressReturn, held, same
from rai_xl.core.submission import INVALID
from rai_xl.core.text import parse_year, read_date, shown_value
from rai_xl.core.typed import NOT_STARTED, STATUSES, Typed, Unplaced, Value
from rai_xl.issues import ERROR, Issue, Msg
from rai_xl.layouts import progress as pg
from rai_xl.layouts import tracker as layout
from rai_xl.method.catalogue import Catalogue
from rai_xl.read.cells import cell_text, labelled
from rai_xl.read.entries import Row, read_entries
from rai_xl.read.spreadsheet import Sheet, UnreadableFile, Workbook, column_letters, read_workbook
from rai_xl.read.spreadsheet.files import NotAFile, read_file

IDENTITY_SHEETS = {pg.SHEET_LISTS, pg.SHEET_START}  # the sheets holding copies of a progress workbook's identity


def read_progress(path: Path, catalogue: Catalogue, whole: bool = True, data: bytes | None = None) -> ProgressReturn | None:
    """The progress return at *path* (its bytes *data*, when read already); None when the file is no progress
    workbook (or cannot be read as one). Not *whole*: its identity only (which workbook it was made from), its
    plan not read."""
    try:
        data = read_file(path) if data is None else data
        wb = read_workbook(data, wanted=set(pg.SHEETS) - {pg.SHEET_SUMMARY} if whole else IDENTITY_SHEETS)
    except UnreadableFile:
        return None
    ident, disagree = _identity(wb)
    if ident.get("template_id") != pg.TEMPLATE_ID:
        return None
    ret = ProgressReturn(path, hashlib.sha256(data).hexdigest())
    ret.issues += disagree
    ret.made_from, ret.made_on = ident.get("made_from", ""), ident.get("made_on", "")
    ret.round = parse_year(ident.get("round", ""))
    ret.country = catalogue.country(ident.get("country", ""))
    refusal = _refusal(ident, ret, catalogue)
    if refusal:
        ret.error("", "", "", refusal)
    if any(i.severity == ERROR for i in ret.issues):
        ret.status = INVALID
        return ret
    if not whole:
        return ret
    _reporter(ret, wb.sheet(pg.SHEET_START))
    made = _as_made(wb.sheet(pg.SHEET_AS_MADE))
    plan = wb.sheet(pg.SHEET_PLAN)
    for name, sheet in ((pg.SHEET_AS_MADE, made), (pg.SHEET_PLAN, plan)):
        if sheet is None:
            ret.error(name, "", "", Msg.PROGRESS_MISSING_SHEET.format(sheet=name, expected=", ".join(pg.SHEETS)))
    if made is None or plan is None:
        ret.status = INVALID
    else:
        _plan(ret, plan, made)
    return ret


def _refusal(ident: dict[str, str], ret: ProgressReturn, catalogue: Catalogue) -> str:
    """Why the file's identity makes it unusable ('' when it does not): another schema or methodology,
    or no Member State or round."""
    schema, method = ident.get("schema_version", ""), ident.get("methodology_version", "?")
    if schema != pg.SCHEMA_VERSION:
        return Msg.PROGRESS_SCHEMA.format(found=schema, supported=pg.SCHEMA_VERSION)
    if method != catalogue.version:
        return Msg.PROGRESS_METHODOLOGY.format(found=method, expected=catalogue.version)
    if ret.country is None or ret.round is None:
        return Msg.PROGRESS_NO_IDENTITY.format(country=ident.get("country", ""), round=ident.get("round", ""))
    return ""


def _identity(wb: Workbook) -> tuple[dict[str, str], list[Issue]]:
    """The identity from its first surviving copy (properties, Lists, Start here); where the copies
    disagree on the country or the round, an error (a return for another country or round)."""
    keys = {k for k, _ in pg.IDENTITY}
    copies = [{k[len(pg.PROPERTY_PREFIX) :]: v for k, v in wb.properties.items() if k.startswith(pg.PROPERTY_PREFIX)}]
    lists, start = wb.sheet(pg.SHEET_LISTS), wb.sheet(pg.SHEET_START)
    if lists is not None:
        copies.append(labelled(lists, pg.LISTS_KEY_COLUMN, pg.LISTS_VALUE_COLUMN, {k: k for k in keys}))
    if start is not None:
        copies.append(labelled(start, pg.START_LABEL_COLUMN, pg.START_VALUE_COLUMN, {lb: k for k, lb in pg.IDENTITY}))
    merged: dict[str, str] = {}
    for copy in copies:
        for k, v in copy.items():
            merged.setdefault(k, v)
    issues = []
    for key in ("country", "round"):
        seen = sorted({c[key] for c in copies if key in c})
        if len(seen) > 1:
            shown = " and ".join(f"'{v}'" for v in seen)
            issues.append(Issue(ERROR, "", "", "", Msg.PROGRESS_TWO_IDENTITIES.format(key=key, values=shown)))
    return merged, issues


def _reporter(ret: ProgressReturn, start: Sheet | None) -> None:
    """Who reported and when, from 'Start here' (found by their labels)."""
    if start is None:
        ret.warn(pg.SHEET_START, "", "", Msg.NO_REPORT_DATE_SHEET.format(sheet=pg.SHEET_START))
        return
    for (row, col), cell in start.cells.items():
        if col != pg.START_LABEL_COLUMN or cell.value not in (pg.REPORTED_BY[1], pg.REPORTED_ON[1]):
            continue
        at = (row, pg.START_VALUE_COLUMN)
        ref = f"{column_letters(at[1])}{row}"
        value = start.cells[at].value if at in start.cells else None
        if cell.value == pg.REPORTED_BY[1]:
            ret.reported_by = cell_text(start.cells.get(at))
        elif isinstance(value, datetime):
            ret.reported_on = value.date()
        elif isinstance(value, date):
            ret.reported_on = value
        elif isinstance(value, str) and read_date(value):
            ret.reported_on = read_date(value)
        else:
            found = f"'{cell_text(start.cells.get(at))}' is not a date" if value not in (None, "") else "it is empty"
            ret.warn(pg.SHEET_START, ref, "", Msg.REPORT_DATE.format(found=found))


def _as_made(sheet: Sheet | None) -> dict[str, dict[str, Field]] | None:
    """{milestone: {field: (value, format)}} of the hidden 'As made' sheet (header in row 1)."""
    if sheet is None:
        return None
    heads = {cell_text(c): col for (r, col), c in sheet.cells.items() if r == 1}
    id_col = heads.get(layout.MILESTONE_ID.head)
    out: dict[str, dict[str, Field]] = {}
    for (r, col), c in sorted(sheet.cells.items()):
        if r > 1 and col == id_col and isinstance(c.value, str):
            out[c.value] = {}
            for f in pg.REPORTED:
                cell = sheet.cells.get((r, heads.get(f.head, 0)))
                out[c.value][f.key] = (None, "") if cell is None else (cell.value, cell.format)
    return out


def _plan(ret: ProgressReturn, sheet: Sheet, made: dict[str, dict[str, Field]]) -> None:
    """Each milestone row's reported fields against what was made; rows and columns the plan has no place for."""
    entries = read_entries(sheet, pg.READ, every_row=True)
    assert ret.country is not None
    name = ret.country.name
    if entries is None:
        ret.error(sheet.name, "", "", Msg.NO_PLAN_HEADER.format())
        return
    if entries.identity and entries.identity != ret.country.code:
        another = Msg.OTHER_COUNTRYS_PLAN.format(found=entries.identity, country=name)
        ret.error(sheet.name, f"row {entries.header_row}", "", another)
        return
    id_col = entries.columns.get(layout.MILESTONE_ID.key, 0)
    key_col = entries.columns.get(layout.KEY.key, 0)
    present = {}
    for (r, c), cell in sheet.cells.items():
        if r > entries.header_row and c in (id_col, key_col) and isinstance(cell.value, str):
            mid = cell.value.strip().upper()
            if mid in made and (c == key_col or r not in present):
                present[r] = mid
    seen: dict[str, int] = {}
    rows = {r.number: r for r in entries.rows}
    where = entries.columns | {layout.added_key(head): col for col, head in entries.added.items()}
    for said in entries.said:
        ret.warn(sheet.name, f"row {entries.header_row}", "", said)
    for ref, value, what in entries.stray:
        ret.warn(sheet.name, ref, "", Msg.STRAY_KEPT.format(what=what))
        _keep(ret, sheet.name, ref, "", "", value, "", what)
    for number in sorted(set(present) | set(rows)):
        row = rows.get(number)
        mid = present.get(number, "")
        if mid in seen:  # a copied row: the first is the milestone's
            if row is not None:
                why = Msg.SECOND_ROW.format(milestone=mid, first=seen[mid])
                ret.warn(sheet.name, f"row {number}", mid, why + ": its values are kept as unplaced entries")
                _unplace(ret, sheet.name, row, why)
            continue
        if not mid:
            if row is not None:
                _not_planned(ret, sheet.name, row, name)
            continue
        seen[mid] = number
        _compare(ret, sheet.name, mid, row, made[mid], where, number)
    for mid in made:
        if mid not in seen:
            ret.warn(sheet.name, "", mid, Msg.ROW_MISSING.format(milestone=mid))


def _reported(row: Row | None) -> dict[str, Field]:
    """The reported fields of a milestone's row (a row with nothing typed on it: every field cleared)."""
    typed = row.typed if row is not None else Typed()
    return {f.key: held(typed, f.key) for f in pg.REPORTED}


def _compare(
    ret: ProgressReturn,
    sheet: str,
    mid: str,
    row: Row | None,
    made: dict[str, Field],
    columns: dict[str, int],
    number: int,
) -> None:
    """The changes on one milestone's row (*columns*: where each field's column is, by key or header)."""
    reported = _reported(row)
    for f in pg.REPORTED:
        value, fmt = reported[f.key]
        if same(value, made[f.key][0]):
            continue
        col = columns.get(f.key) or columns.get(layout.added_key(f.head))
        ref = f"{column_letters(col)}{number}" if col else f"row {number}"
        shown = shown_value(value)
        if f.key == layout.STATUS.key and value not in STATUSES:
            ret.error(sheet, ref, mid, Msg.STATUS_NOT_LISTED.format(value=shown, allowed=", ".join(STATUSES)))
            _keep(ret, sheet, ref, mid, f.head, value, fmt, Msg.STATUS_NOT_USED.format())
            ret.refused += 1
            continue
        if f.key == layout.TARGET.key and value not in (None, "") and not isinstance(value, date | float):
            ret.warn(sheet, ref, mid, Msg.TARGET_NOT_DATE.format(value=shown))  # kept as typed, as the tracker keeps it
            ret.not_dates += 1
        ret.changes.append(Change(mid, f.key, made[f.key], (value, fmt), ref))
    if row is not None:
        rest = [(h, v, f) for h, v, f in row.typed.added if h != pg.EVIDENCE.head]
        for head, v, shown_as in rest:
            at = row.cells.get(layout.added_key(head), f"row {number}")
            _keep(ret, sheet, at, mid, head, v, shown_as, Msg.ADDED_COLUMN.format())
        for commented, text in row.typed.comments:
            _keep(
                ret,
                sheet,
                row.cells.get(f"comment:{commented}", f"row {number}"),
                mid,
                f"comment on {layout.column_head(commented)}",
                text,
                "",
                Msg.PLAN_COMMENT.format(),
            )


def _not_planned(ret: ProgressReturn, sheet: str, row: Row, name: str) -> None:
    """A row naming a milestone the plan does not hold (an error), or none (a warning): its values unplaced."""
    shown = shown_value(row.values.get(layout.MILESTONE_ID.key))
    if shown:
        ref = row.cells.get(layout.MILESTONE_ID.key, f"row {row.number}")
        ret.error(sheet, ref, shown, Msg.NOT_IN_PLAN.format(milestone=shown, country=name))
    else:
        ret.warn(sheet, f"row {row.number}", "", Msg.NO_MILESTONE.format(row=row.number))
    ret.added_rows += 1
    _unplace(ret, sheet, row, Msg.ROW_NOT_IN_PLAN.format(country=name))


def _unplace(ret: ProgressReturn, sheet: str, row: Row, why: str) -> None:
    """Every value of *row*, whole, as an unplaced entry with *why*: what it shows of its milestone (a
    milestone's text a person typed on a row they added), what was typed, added columns, comments."""
    shown = shown_value(row.values.get(layout.MILESTONE_ID.key))
    text = shown_value(row.values.get(layout.MILESTONE.key))
    t = row.typed
    for c in pg.READ:
        v = row.values.get(c.key) if c.key in row.values else t.value(c.key) if c in layout.TYPED else None
        if v not in (None, "", NOT_STARTED) and c is not layout.MILESTONE_ID:
            fmt = t.format(c.key) if c in layout.TYPED else ""
            _keep(ret, sheet, row.cells.get(c.key, ""), shown, c.head, v, fmt, why, text)
    for head, v, f in t.added:
        _keep(ret, sheet, row.cells.get(layout.added_key(head), ""), shown, head, v, f, why, text)
    for commented, said in t.comments:
        at = row.cells.get(f"comment:{commented}", "")
        _keep(ret, sheet, at, shown, f"comment on {layout.column_head(commented)}", said, "", why, text)


def _keep(
    ret: ProgressReturn, sheet: str, cell: str, mid: str, column: str, value: Value, fmt: str, why: str, row_text: str = ""
) -> None:
    assert ret.country is not None and ret.round is not None
    reason = Msg.REPORTED_BY.format(country=ret.country.name, file=ret.path.name, why=why)
    ret.unplaced.append(Unplaced(ret.country.code, sheet, cell, mid, row_text, column, value, fmt, ret.round, reason))


def read_progress_returns(
    found: list[Path], named: list[Path], catalogue: Catalogue, whole: bool = True
) -> list[ProgressReturn]:
    """The progress returns among *found* (files met among the returns that are no questionnaire) and
    *named* (given as progress returns: one that is not a progress workbook is rejected, saying so). Not
    *whole*: their identity only, for want of a regional workbook to merge them into."""
    out = [r for p in found if (r := read_progress(p, catalogue, whole)) is not None]
    known = {r.path.resolve() for r in out}
    for path in (p for p in named if p.resolve() not in known):  # a file met among the returns and named: once
        try:
            ret = read_progress(path, catalogue, data=read_file(path))
        except NotAFile as exc:  # said as for a return or --previous that cannot be read
            ret = _refused(path, Msg.CANNOT_OPEN.format(reason=exc.reason))
        except UnreadableFile as exc:
            ret = _refused(path, Msg.UNREADABLE.format(reason=str(exc)))
        out.append(_refused(path, Msg.NOT_PROGRESS.format()) if ret is None else ret)
    return out


def _refused(path: Path, why: str) -> ProgressReturn:
    """A file named as a progress return that cannot be used as one: rejected, saying *why*."""
    ret = ProgressReturn(path, status=INVALID)
    ret.error("", "", "", why)
    return ret


def not_merged(ret: ProgressReturn) -> str:
    """What consolidate says of a progress return met among the returns without --previous."""
    return Msg.NOT_MERGED.format(path=str(ret.path), made=f" ({ret.made_from})" if ret.made_from else "")


def verdict(ret: ProgressReturn) -> str:
    """What validate says of a progress return, in one line (then its issues, one line each)."""
    who = f" ({ret.country.name}, progress {ret.round})" if ret.country else ""
    if ret.status == INVALID:
        state = "invalid progress return"
    elif ret.reported_unchanged:
        assert ret.reported_on is not None
        state = f"progress return: reported on {ret.reported_on.isoformat()}, {NO_CHANGES}"
    elif ret.untouched:
        state = f"progress return: {NO_CHANGES} (nothing was changed or added: not a report)"
    else:
        outside = f", {len(ret.unplaced)} value(s) not in the plan" if ret.unplaced else ""
        state = f"progress return: {len(ret.changes)} change(s){outside}"
    errors = len(ret.errors)
    return f"{ret.path}{who}: {state}" + (f", {errors} error(s)" if errors else "")
