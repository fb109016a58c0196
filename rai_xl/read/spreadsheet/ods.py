"""The .ods reader: content.xml's sheets and their cells (repeated rows and columns spread out within
the bounds) and meta.xml's user-defined properties; an encrypted package is refused."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Mapping
from functools import partial
from itertools import chain
from math import isfinite

from rai_xl.read.spreadsheet import limits
from rai_xl.read.spreadsheet.boundedxml import Budget, batches, fromstring, rows_not_read
from rai_xl.read.spreadsheet.container import Package, active_content, properties
from rai_xl.read.spreadsheet.model import PASSWORD, Cell, CellValue, Finding, Sheet, UnreadableFile, Workbook
from rai_xl.read.spreadsheet.values import column_letters, iso_date, ods_time

OT = "{urn:oasis:names:tc:opendocument:xmlns:"
TABLE, TEXT, OFFICE, META = OT + "table:1.0}", OT + "text:1.0}", OT + "office:1.0}", OT + "meta:1.0}"
CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"


_ODS_ENCRYPTED = re.compile(rb"<(?:[\w.-]+:)?encryption-data\b")


def read_ods(pkg: Package, reads: Callable[[str], bool], columns: Mapping[str, frozenset[int]] | None = None) -> Workbook:
    manifest = pkg.find("META-INF/manifest.xml")
    if manifest is not None and _ODS_ENCRYPTED.search(pkg.read(manifest)):
        raise UnreadableFile(PASSWORD)
    findings = active_content(pkg)
    budget = Budget()
    sheets: list[Sheet] = []
    sheet: Sheet | None = None
    keep = False
    row = 0
    depth = 0
    TABLE_T, ROW = TABLE + "table", TABLE + "table-row"
    REPEAT = TABLE + "number-rows-repeated"
    info = pkg.find("content.xml")
    assert info is not None  # package_kind saw it
    with pkg.open(info) as fh:
        for event, el in chain.from_iterable(batches(fh, ("start", "end"), budget)):
            tag = el.tag
            if event == "start":
                if tag == TABLE_T:
                    depth += 1
                if tag == TABLE_T and depth == 1:  # a sheet; a table inside a cell (a subtable) is not
                    name = el.get(TABLE + "name", "")
                    sheet = Sheet(name)
                    sheets.append(sheet)
                    keep = reads(name)
                    only = (columns or {}).get(name)
                    row = 0
                    wide = False
                continue
            if tag == ROW and sheet is not None and depth == 1:
                repeat = _count(el.get(REPEAT))
                if keep:
                    found, cut = _ods_row(el, only)
                    if cut and not wide:
                        wide = True
                        findings.append(
                            Finding(sheet.name, f"columns after column {column_letters(limits.MAX_COLUMN)} were not read")
                        )
                    if found and row + repeat > limits.MAX_ROW:
                        keep = False  # the rest of the sheet is not looked at
                        findings.append(rows_not_read(sheet))
                    if found:
                        for r in range(row + 1, min(row + repeat, limits.MAX_ROW) + 1):
                            budget.keep(len(found))
                            for col, cell in found:
                                sheet.cells[(r, col)] = cell
                row += repeat
                el.clear()
            elif tag == TABLE_T:
                depth -= 1
                if depth == 0:
                    sheet = None
    return Workbook(
        "ods", sheets, properties(pkg.find("meta.xml"), partial(_ods_properties, pkg, budget), findings), findings
    )


def _count(text: str | None) -> int:
    """A repeat count attribute: at least 1; bounded, since only the first rows and columns matter."""
    if not text:
        return 1
    text = text.strip()
    if not (text.isdigit() and text.isascii()):
        return 1
    return 1_000_000_000 if len(text) > 9 else max(1, int(text))


def _ods_row(el, only: frozenset[int] | None = None) -> tuple[list[tuple[int, Cell]], bool]:
    """(column, cell) of the cells with content in one row (in the columns *only*, when given), repeated cells
    spread over their columns; and whether a cell with content lies past MAX_COLUMN (not read)."""
    out: list[tuple[int, Cell]] = []
    col = 0
    cut = False
    cell_tags = (TABLE + "table-cell", TABLE + "covered-table-cell")
    repeat_attr = TABLE + "number-columns-repeated"
    for c in el:
        if c.tag not in cell_tags:
            continue
        repeat = _count(c.get(repeat_attr))
        if len(c) or c.get(OFFICE + "value-type") or c.get(TABLE + "formula"):
            spread = range(col + 1, col + 1 + max(0, min(repeat, limits.MAX_COLUMN - col)))
            if only is not None:
                spread = [k for k in only if k in spread]  # type: ignore[assignment]
            far = col + repeat > limits.MAX_COLUMN  # content past the last column read: said
            cell = _ods_cell(c) if spread or far else None
            if cell is not None:
                out.extend((k, cell) for k in spread)
                cut = cut or far
        col += repeat
    return out, cut


_ODS_SKIP = (OFFICE + "annotation", OFFICE + "annotation-end")


def _ods_text(p) -> str:
    parts = [p.text or ""]
    for child in p:
        tag = child.tag
        if tag == TEXT + "s":
            parts.append(" " * min(_count(child.get(TEXT + "c")), limits.MAX_SPACES))
        elif tag == TEXT + "tab":
            parts.append("\t")
        elif tag == TEXT + "line-break":
            parts.append("\n")
        elif tag in _ODS_SKIP or tag == TEXT + "note":
            pass  # a comment or a note is not the cell's text
        else:
            parts.append(_ods_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _ods_paragraphs(c) -> list[str]:
    """The cell's own paragraphs, in order: not those of a comment (office:annotation) on it."""
    out = []
    for child in c:
        tag = child.tag
        if tag == TEXT + "p" or tag == TEXT + "h":
            out.append(_ods_text(child))
        elif tag == TEXT + "list":
            out.extend(_ods_text(p) for p in child.iter(TEXT + "p"))
    return out


def _ods_cell(c) -> Cell | None:
    kind = c.get(OFFICE + "value-type")
    formula = c.get(TABLE + "formula", "")
    if formula.startswith(("of:", "oooc:", "msoxl:")):
        formula = formula.split(":", 1)[1]
    text = "\n".join(_ods_paragraphs(c))
    value: CellValue
    if c.get(CALCEXT + "value-type") == "error":
        value = text or None
    elif kind in ("float", "percentage", "currency"):
        raw = c.get(OFFICE + "value", "")
        try:
            value = float(raw)
        except ValueError:
            value = text or None
        else:
            if not isfinite(value):  # NaN, INF, 1e999: no number a cell holds; what it shows, as text
                value = text or raw.strip() or None
    elif kind == "boolean":
        value = c.get(OFFICE + "boolean-value", "").strip().lower() in ("true", "1")
    elif kind == "date":
        raw = c.get(OFFICE + "date-value", "")
        value = iso_date(raw) or raw or text or None
    elif kind == "time":
        raw = c.get(OFFICE + "time-value", "")
        found = ods_time(raw)
        value = found if found is not None else (raw or text or None)
    elif kind == "string":
        value = c.get(OFFICE + "string-value", text)
    else:
        value = text or None
    if value is None and not formula:
        return None
    return Cell(value, formula)


def _ods_properties(pkg: Package, budget: Budget, info: zipfile.ZipInfo) -> dict[str, str]:
    root = fromstring(pkg.read(info), budget)
    if root is None:
        return {}
    return {el.get(META + "name", ""): el.text or "" for el in root.iter(META + "user-defined")}
