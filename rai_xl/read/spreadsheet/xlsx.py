"""The .xlsx reader: the workbook part, relationships, shared strings, number styles, each wanted
sheet's cells and comments, and the custom document properties.

Parts are found the way the Open Packaging Conventions say (through relationships, part names
compared case-insensitively), not by fixed names, so files from Excel, LibreOffice, Google
Sheets, Gnumeric and libraries read alike.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import replace
from io import BytesIO
from math import isfinite
from urllib.parse import unquote

from rai_xl.read.spreadsheet import limits
from rai_xl.read.spreadsheet.boundedxml import Budget, batches, events, fromstring, inflated, rows_not_read
from rai_xl.read.spreadsheet.container import Package, active_content, part_name, properties
from rai_xl.read.spreadsheet.model import STRICT, Cell, CellValue, Finding, Sheet, UnreadableFile, Workbook
from rai_xl.read.spreadsheet.values import (
    BUILTIN_FORMATS,
    COLUMNS,
    DATE_FORMAT_IDS,
    REFS,
    cell_name,
    excel_date,
    is_date_format,
    iso_date,
    row_column,
    shift_formula,
)

S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
STRICT_S = "{http://purl.oclc.org/ooxml/spreadsheetml/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    """Decode Excel's _xHHHH_ escapes (ST_Xstring): _x000D_ is a carriage return, and _x005F_
    an underscore, so _x005F_x000D_ is the literal text _x000D_. Surrogate pairs are joined."""
    out = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if any("\ud800" <= ch <= "\udfff" for ch in out):
        out = out.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return out


def _string_item(si, t_tag: str, r_tag: str) -> str:
    """Text of a shared or inline string: plain <t> or rich-text runs <r><t>, never phonetic <rPh>."""
    if len(si) == 1 and si[0].tag == t_tag:  # the usual case: one plain <t>
        text = si[0].text or ""
        return _unescape(text) if "_x" in text else text
    parts = []
    for child in si:
        tag = child.tag
        if tag == t_tag:
            parts.append(child.text or "")
        elif tag == r_tag:
            parts.extend(t.text or "" for t in child.iter(t_tag))
    text = "".join(parts)
    return _unescape(text) if "_x" in text else text


# Excel stores functions newer than 2007 with a prefix it never shows: _xlfn.XLOOKUP, _xlfn._xlws.SORT
_FUNCTION_PREFIX = re.compile(r'"(?:[^"]|"")*"|_xl(?:fn|ws|udf)\.')


def _formula(
    f, at: tuple[int, int], masters: dict[str, tuple[str, tuple[int, int]]], pending: dict[tuple[int, int], str]
) -> str:
    """The formula of a cell's <f> as Excel shows it: "=" and its text, without the prefixes of newer
    functions. Excel stores a formula filled down or copied as one shared formula: the text on its
    master cell (noted in *masters*), only its index on the others; a cell met before its master (or
    naming none yet) is noted in *pending*, to be given its text when the sheet has been read."""
    text = f.text or ""
    if f.get("t") == "shared":
        index = f.get("si", "")
        if text.strip():  # a master: an empty or blank <f> of a child never replaces it
            masters[index] = (text, at)
        elif index in masters:
            text = _moved(masters[index], at)
        else:
            pending[at] = index
            text = ""
    return _shown_formula(text)


def _moved(master: tuple[str, tuple[int, int]], at: tuple[int, int]) -> str:
    """A shared formula's master text as it reads at *at*."""
    first, (row, col) = master
    return shift_formula(first, at[0] - row, at[1] - col)


def _shown_formula(text: str) -> str:
    if "_xl" in text:
        text = _FUNCTION_PREFIX.sub(lambda m: m.group() if m.group().startswith('"') else "", text)
    return "=" + text


# The date styles and number formats of the last few styles parts read, by their exact bytes: the
# returns of one round come from one questionnaire, so most share their styles part byte for byte.
_DATE_STYLES: dict[bytes, tuple[frozenset[str], dict[str, str]]] = {}


class Xlsx:
    """One .xlsx package being read: its relationships, shared strings, date styles and sheets."""

    def __init__(
        self,
        pkg: Package,
        reads: Callable[[str], bool],
        record: bool = False,
        values_only: frozenset[str] = frozenset(),
        columns: Mapping[str, frozenset[int]] | None = None,
        links: bool = True,
    ) -> None:
        self.pkg = pkg
        self.reads = reads  # whether a sheet's cells are read, by its name
        self.budget = Budget(record)
        self.values_only = values_only  # sheets whose formula cells are not kept (only what was typed is sought)
        self.columns = columns or {}  # {sheet: the only columns whose cells are read}
        self.with_links = links  # whether hyperlinks are read: without them, a sheet is parsed up to the end of its cells
        self.date1904 = False
        self._styles: tuple[frozenset[str], dict[str, str]] | None = None
        self.styles_part: zipfile.ZipInfo | None = None
        self.findings: list[Finding] = []

    # -- relationships

    def rels(self, part: str) -> list[tuple[str, str, str]]:
        """(id, type, resolved target part name) of the relationships of *part* ('' for the package)."""
        folder, base = posixpath.split(part)
        info = self.pkg.find(posixpath.join(folder, "_rels", base + ".rels"))
        if info is None:
            return []
        root = fromstring(self.pkg.read(info), self.budget)
        out = []
        for rel in root.iter() if root is not None else ():
            if not rel.tag.endswith("Relationship") or rel.get("TargetMode", "") == "External":
                continue
            out.append((rel.get("Id", ""), rel.get("Type", ""), _resolve(folder, rel.get("Target", ""))))
        return out

    # -- the workbook

    def read(self) -> Workbook:
        pkg = self.pkg
        self.findings = active_content(pkg)
        root_rels = self.rels("")
        book_name = next((t for _, typ, t in root_rels if typ.endswith("/officeDocument")), "")
        book_info = pkg.find(book_name) or pkg.find("xl/workbook.xml")
        if book_info is None:
            raise UnreadableFile("this zip is not an .xlsx or .ods spreadsheet")
        book_name = part_name(book_info)
        sheets_listed = self._workbook(book_info)
        rels = self.rels(book_name)
        by_id = {rid: target for rid, _, target in rels}
        shared_part = next((t for _, typ, t in rels if typ.endswith("/sharedStrings")), "")
        shared_info = pkg.find(shared_part) or pkg.find(posixpath.join(posixpath.dirname(book_name), "sharedStrings.xml"))
        self.styles_part = pkg.find(next((t for _, typ, t in rels if typ.endswith("/styles")), "")) or pkg.find(
            posixpath.join(posixpath.dirname(book_name), "styles.xml")
        )
        shared: list[str] | None = None
        sheets = []
        for name, rid in sheets_listed:
            sheet = Sheet(name)
            sheets.append(sheet)
            info = pkg.find(by_id.get(rid, ""))
            if self.reads(name) and info is not None:
                if shared is None:
                    shared = self._shared_strings(shared_info)
                self._cells(info, shared, sheet, name in self.values_only, self.columns.get(name))
                self._comments(info.filename, sheet)
        custom = next((t for _, typ, t in root_rels if typ.endswith("/custom-properties")), "")
        info = pkg.find(custom) or pkg.find("docProps/custom.xml")
        return Workbook("xlsx", sheets, properties(info, self._custom_properties, self.findings), self.findings)

    def _workbook(self, info: zipfile.ZipInfo) -> list[tuple[str, str]]:
        """(name, relationship id) of each sheet, in order; notes the 1904 date system."""
        sheets = []
        with self.pkg.open(info) as fh:
            # the sheets are listed near the top, before the defined names (a questionnaire has 160): small chunks
            for event, el in events(fh, ("start", "end"), self.budget, chunk_size=2048):
                tag = el.tag
                if event == "start":
                    if tag.startswith(STRICT_S):
                        raise UnreadableFile(STRICT)
                    continue
                if tag == S + "sheet":
                    sheets.append((el.get("name", ""), el.get(R_ID, "")))
                elif tag == S + "workbookPr":
                    self.date1904 = el.get("date1904", "").strip().lower() in ("1", "true")
                elif tag == S + "sheets":
                    break  # the defined names and the rest are not needed
        return sheets

    def _shared_strings(self, info: zipfile.ZipInfo | None) -> list[str]:
        if info is None:
            return []
        out = []
        si, t, r = S + "si", S + "t", S + "r"
        with self.pkg.open(info) as fh:
            for batch in batches(fh, ("end",), self.budget):
                for el in [el for _, el in batch if el.tag == si]:
                    out.append(_string_item(el, t, r))
                    el.clear()
                if len(out) > limits.MAX_STRINGS:
                    raise UnreadableFile(
                        f"the file holds more than {limits.MAX_STRINGS} shared strings; a questionnaire holds about 500"
                    )
        return out

    # -- number formats

    def number_styles(self) -> tuple[frozenset[str], dict[str, str]]:
        """The cell style indexes (the c element's s attribute, as text) whose number format is a date,
        and {style index: number format code} of the styles that are not General."""
        if self._styles is None:
            self._styles = self._read_number_styles()
        return self._styles

    def _read_number_styles(self) -> tuple[frozenset[str], dict[str, str]]:
        if self.styles_part is None:
            return frozenset(), {}
        data = self.pkg.read(self.styles_part)
        found = _DATE_STYLES.get(data)
        if found is None:
            found = self._parse_date_styles(data)
            if len(data) <= 256 * 1024:  # a styles part is 5-30 KB; a huge one is not kept
                if len(_DATE_STYLES) >= 16:
                    del _DATE_STYLES[next(iter(_DATE_STYLES))]
                _DATE_STYLES[data] = found
        return found

    def _parse_date_styles(self, data: bytes) -> tuple[frozenset[str], dict[str, str]]:
        custom: dict[str, str] = {}
        dates = set()
        formats = {}
        in_cell_xfs = False
        index = 0
        num_fmt, xf, cell_xfs = S + "numFmt", S + "xf", S + "cellXfs"
        for event, el in events(BytesIO(data), ("start", "end"), self.budget):
            tag = el.tag
            if event == "start":
                if tag == cell_xfs:
                    in_cell_xfs = True
                elif tag == xf and in_cell_xfs:
                    fmt = el.get("numFmtId", "0").strip()
                    code = custom.get(fmt)
                    builtin = int(fmt) if fmt.isdigit() and fmt.isascii() and len(fmt) < 4 else -1
                    if is_date_format(code) if code is not None else builtin in DATE_FORMAT_IDS:
                        dates.add(str(index))
                    shown = code if code is not None else BUILTIN_FORMATS.get(builtin, "")
                    if shown and shown.lower() != "general":
                        formats[str(index)] = shown
                    index += 1
            elif tag == num_fmt:
                custom[el.get("numFmtId", "").strip()] = el.get("formatCode", "")
            elif tag == cell_xfs:
                break  # fonts, fills, borders come before; cell styles and colours after
        return frozenset(dates), formats

    # -- cells

    def _cells(
        self,
        info: zipfile.ZipInfo,
        shared: list[str],
        sheet: Sheet,
        values_only: bool = False,
        columns: frozenset[int] | None = None,
    ) -> None:
        ROW, C, V, F, IS, T, R = S + "row", S + "c", S + "v", S + "f", S + "is", S + "t", S + "r"
        LINK, DATA = S + "hyperlink", S + "sheetData"
        links: dict[tuple[int, int], str] = {}
        cells = sheet.cells
        refs = REFS.get
        styles: tuple[frozenset[str], dict[str, str]] | None = None
        masters: dict[str, tuple[str, tuple[int, int]]] = {}  # shared formulas: index -> (text, master cell)
        pending: dict[tuple[int, int], str] = {}  # shared-formula cells met before their master: cell -> index
        room = self.budget.cells  # counted here, not through the budget: a call per cell is 4 % of the read
        row = 0
        ended = False  # the cells are read, and the rest of the sheet (its validations, formatting, links) is not
        with self.pkg.open(info) as fh:
            wanted = (ROW, LINK) if self.with_links else (ROW, DATA)
            for batch in batches(fh, ("end",), self.budget):
                for el in [el for _, el in batch if el.tag in wanted]:  # one pass over the batch for all
                    if el.tag == DATA:
                        ended = True
                        continue
                    if el.tag == LINK:
                        at = row_column(el.get("ref", "").split(":")[0])
                        if at is not None:
                            found = el.get(R_ID, "")
                            place = el.get("location", "")
                            links[at] = f"rel:{found}" if found else f"#{place}" if place else ""
                        continue
                    # a row without r is the one after the previous row; a cell without r the
                    # column after the previous cell (as Excel and openpyxl read them)
                    r = el.get("r")
                    row = int(r) if r and r.isdigit() and r.isascii() and len(r) <= 7 else row + 1
                    digits = str(row)  # how the references of the row's cells end
                    col = 0
                    for c in el:
                        if c.tag != C:
                            continue
                        ref = c.get("r")
                        at = refs(ref) if ref else None
                        if at is None and ref:  # not yet met: read as its column's letters, then the row's number
                            letters = ref[: -len(digits)] if ref.endswith(digits) else ""
                            at = (row, COLUMNS[letters]) if letters in COLUMNS else row_column(ref)
                        if at is None:
                            col += 1
                            at = (row, col)
                        else:
                            col = at[1]
                        if not len(c):  # a styled empty cell (Google Sheets writes thousands)
                            continue
                        if columns is not None and col not in columns:
                            continue
                        kind = c.get("t")
                        raw = formula = None
                        for child in c:
                            tag = child.tag
                            if tag == V:
                                raw = child.text
                            elif tag == F:
                                if values_only:  # no formula of this sheet is kept, so none is needed
                                    formula = ""
                                    break
                                formula = _formula(child, at, masters, pending)
                        if formula == "":  # a formula cell of a values-only sheet: not kept
                            continue
                        value: CellValue
                        shown = ""
                        if kind is None or kind == "n":
                            if raw is None:
                                value = None
                            else:
                                try:
                                    value = float(raw)
                                except ValueError:
                                    value = raw
                                if isinstance(value, float) and not isfinite(value):
                                    value = raw.strip()  # NaN, INF, 1e999: no number a cell holds; its text
                                elif isinstance(value, float):
                                    if styles is None:
                                        styles = self.number_styles()
                                    style = c.get("s") or "0"
                                    shown = styles[1].get(style, "")
                                    if style in styles[0]:
                                        value = excel_date(value, self.date1904)
                        elif kind == "s":
                            value = self._shared(raw, shared, sheet, at) if raw is not None else None
                        elif kind == "inlineStr":
                            inline = c.find(IS)
                            value = _string_item(inline, T, R) if inline is not None else None
                        elif kind == "str":
                            value = (_unescape(raw) if "_x" in raw else raw) if raw is not None else None
                        elif kind == "b":
                            value = None if raw is None else raw.strip().lower() in ("1", "true")
                        elif kind == "d":
                            value = None if raw is None else (iso_date(raw) or raw)
                        else:  # "e", an error value such as #N/A, and anything unknown: its text
                            value = raw
                        if value is None and formula is None:
                            continue
                        if at[0] > limits.MAX_ROW:
                            self.findings.append(rows_not_read(sheet))
                            self.budget.cells = room
                            return
                        room -= 1
                        if room < 0:
                            raise self.budget.full()
                        cells[at] = Cell(value, formula or "", shown)
                    el.clear()
                if ended:
                    inflated(fh, self.budget)
                    break
        self.budget.cells = room
        for at, index in pending.items():
            if index in masters and at in cells:
                cells[at] = replace(cells[at], formula=_shown_formula(_moved(masters[index], at)))
        if links:
            sheet.links = self._links(info.filename, links)

    def _links(self, part: str, found: dict[tuple[int, int], str]) -> dict[tuple[int, int], str]:
        """The addresses of the sheet's hyperlinks: an external target of its relationships, or a place in the
        workbook ('#Sheet!A1')."""
        folder, base = posixpath.split(part)
        info = self.pkg.find(posixpath.join(folder, "_rels", base + ".rels"))
        root = fromstring(self.pkg.read(info), self.budget) if info is not None else None
        targets = {r.get("Id", ""): r.get("Target", "") for r in (root.iter() if root is not None else ())}
        out = {}
        for at, ref in found.items():
            url = targets.get(ref[4:], "") if ref.startswith("rel:") else ref
            if url:
                out[at] = url
        return out

    def _comments(self, part: str, sheet: Sheet) -> None:
        """The comments (notes) on the sheet's cells, from its comments part (Excel's threaded
        comments keep a copy there too)."""
        for _, typ, target in self.rels(part):
            info = self.pkg.find(target) if typ.endswith("/comments") else None
            if info is None:
                continue
            comment, text, t, r = S + "comment", S + "text", S + "t", S + "r"
            with self.pkg.open(info) as fh:
                for batch in batches(fh, ("end",), self.budget):
                    for el in [el for _, el in batch if el.tag == comment]:
                        at = row_column(el.get("ref", ""))
                        body = el.find(text)
                        if at is not None and body is not None:
                            sheet.comments[at] = _string_item(body, t, r)
                        el.clear()

    def _shared(self, raw: str, shared: list[str], sheet: Sheet, at: tuple[int, int]) -> str:
        text = raw.strip()
        if text.isdigit() and text.isascii():
            i = int(text)
            if i < len(shared):
                return shared[i]
            shown = str(i)
        else:
            shown = f"'{text[:20]}'"
        raise UnreadableFile(
            f"sheet '{sheet.name}' cell {cell_name(*at)} refers to shared string {shown}, but the file has {len(shared)}"
        )

    def _custom_properties(self, info: zipfile.ZipInfo) -> dict[str, str]:
        root = fromstring(self.pkg.read(info), self.budget)
        out = {}
        for prop in root.iter(CUSTOM + "property") if root is not None else ():
            value = next(iter(prop), None)
            out[prop.get("name", "")] = (value.text or "") if value is not None else ""
        return out


def _resolve(folder: str, target: str) -> str:
    """The part name a relationship target points to, from the folder of the part that has it."""
    target = unquote(target.strip()).replace("\\", "/")
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    path = posixpath.normpath(posixpath.join(folder, target))
    return "" if path.startswith("../") or path == ".." else path
