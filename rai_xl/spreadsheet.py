"""Read the cells of an untrusted .xlsx or .ods file safely: bounded, read-only, no formulas run.

This is deliberately small: it returns cell values, whether a cell holds a formula, sheet names
and visibility, and document properties. It never trusts the file: sizes are bounded before any
part is decompressed, no XML part may declare entities (defusedxml parses any part with a DTD;
the large parts without one go to the standard library's faster C parser), and the number of
cells kept is capped.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from io import BytesIO
from xml.etree.ElementTree import iterparse as _fast_iterparse
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, iterparse

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ENTRIES = 1000
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 200  # declared uncompressed / compressed size, per entry over 1 MiB
MAX_CELLS = 100_000  # cells kept per workbook; a questionnaire has about 500
MAX_ROW = 10_000  # rows looked at per sheet
MAX_PART_BYTES = 8 * 1024 * 1024  # declared uncompressed size of any one part; a questionnaire's are under 100 KB
MAX_ELEMENTS = 100_000  # XML elements parsed per workbook, kept or not; a questionnaire has about 3,000

S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
OT = "{urn:oasis:names:tc:opendocument:xmlns:"
TABLE, TEXT, OFFICE, META = OT + "table:1.0}", OT + "text:1.0}", OT + "office:1.0}", OT + "meta:1.0}"


class UnreadableFile(Exception):
    """The file is not a spreadsheet rai-xl can read; the message is the one-line reason."""


@dataclass(frozen=True)
class Cell:
    value: str | float | bool | None
    formula: str = ""  # the formula text when the cell holds a formula
    error: bool = False  # an error value such as #REF!


@dataclass
class Sheet:
    name: str
    visible: bool
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)  # (row, col), 1-based


@dataclass
class Workbook:
    format: str  # "xlsx" or "ods"
    sheets: list[Sheet]
    properties: dict[str, str]  # custom document properties

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)


def sniff(data: bytes) -> str:
    """'zip' for a zip container, or raise UnreadableFile naming what the bytes are instead."""
    if not data:
        raise UnreadableFile("the file is empty")
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(
            "this is a legacy .xls workbook or a password-encrypted file; "
            "open it and save it as Excel Workbook (.xlsx) without a password"
        )
    if data.startswith(b"%PDF"):
        raise UnreadableFile("this is a PDF, not a spreadsheet; send the filled .xlsx workbook")
    raise UnreadableFile("this is not an .xlsx or .ods spreadsheet (unknown file content)")


def open_zip(data: bytes) -> zipfile.ZipFile:
    """Open a zip after bounding its size, entry count and declared expansion (zip bombs)."""
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(
            f"the file is {len(data) // 1024 // 1024} MB; a questionnaire is well under {MAX_FILE_BYTES // 1024 // 1024} MB"
        )
    try:
        zf = zipfile.ZipFile(BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnreadableFile(f"the file is damaged (not a readable zip container: {exc})") from None
    if len(infos) > MAX_ENTRIES:
        raise UnreadableFile(f"the file has {len(infos)} parts; a workbook has far fewer")
    if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
        raise UnreadableFile("the file would expand to more than 100 MB (a zip bomb or a huge sheet)")
    big = next((i for i in infos if i.file_size > MAX_PART_BYTES), None)
    if big is not None:
        raise UnreadableFile(
            f"part {big.filename} would expand to {big.file_size // 1024 // 1024} MB; "
            f"the parts of a questionnaire are well under {MAX_PART_BYTES // 1024 // 1024} MB"
        )
    for i in infos:
        if i.file_size > 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise UnreadableFile(f"part {i.filename} expands {i.file_size // max(i.compress_size, 1)}-fold (a zip bomb)")
    return zf


def read_workbook(data: bytes, wanted: Iterable[str] | None = None) -> Workbook:
    """Read the cells of the sheets named in *wanted* (all sheets when None) from xlsx or ods bytes."""
    sniff(data)
    zf = open_zip(data)
    names = set(zf.namelist())
    try:
        if "xl/workbook.xml" in names:
            return _read_xlsx(zf, names, None if wanted is None else set(wanted))
        if "content.xml" in names and _read(zf, "mimetype").startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            return _read_ods(zf, names, None if wanted is None else set(wanted))
    except UnreadableFile:
        raise
    except DefusedXmlException:
        raise UnreadableFile(
            "a part of the file declares XML entities or a DTD (an XML bomb or an external reference); a workbook never does"
        ) from None
    except Exception as exc:  # defusedxml, expat and zipfile errors all mean a damaged or hostile part
        raise UnreadableFile(f"a part of the file is damaged and cannot be read ({type(exc).__name__}: {exc})") from None
    if "EncryptedPackage" in names:
        raise UnreadableFile("the file is password-encrypted; save it again without a password")
    raise UnreadableFile("this zip is not an .xlsx or .ods spreadsheet")


def check_active_content(zf_names: set[str]) -> list[str]:
    """Parts that make a file more than a plain workbook: macros, external links, embedded objects."""
    found = []
    if any(n.endswith("vbaProject.bin") for n in zf_names) or any(n.startswith("Basic/") for n in zf_names):
        found.append("macros")
    if any(n.startswith("xl/externalLinks/") for n in zf_names):
        found.append("external links")
    if any(n.startswith(("xl/embeddings/", "xl/activeX/")) for n in zf_names):
        found.append("embedded objects")
    return found


class _Budget:
    """XML elements a workbook may still make the reader parse: bounds the work on a hostile file."""

    def __init__(self) -> None:
        self.left = MAX_ELEMENTS

    def events(self, events: Iterable) -> Iterator:
        for item in events:
            self.left -= 1
            if self.left < 0:
                raise UnreadableFile(
                    f"the file holds more than {MAX_ELEMENTS} XML elements; a questionnaire holds about 3,000"
                )
            yield item


_CHUNK = 16 * 1024  # what iterparse reads at a time


class _RootReached(Exception):
    pass


def _no_dtd(head: bytes) -> bool:
    """Whether expat reaches the root element in *head* without meeting a DOCTYPE.

    Entities can only be declared, and external resources only referenced, in a DTD, and a DTD can
    only come before the root element: a part that passes holds nothing defusedxml guards against.
    """
    parser = expat.ParserCreate()

    def root(*_: object) -> None:
        raise _RootReached

    def doctype(*_: object) -> None:
        raise ValueError("DOCTYPE")

    parser.StartElementHandler = root
    parser.StartDoctypeDeclHandler = doctype
    try:
        parser.Parse(head, False)
    except _RootReached:
        return True
    except Exception:  # a DOCTYPE or a malformed prolog: defusedxml decides, as it always did
        return False
    return False


class _Replay:
    """A part's stream, giving back first the chunk already read to look at its prolog."""

    def __init__(self, head: bytes, rest) -> None:
        self.head, self.rest = head, rest

    def read(self, size: int = -1) -> bytes:
        if self.head:
            out = self.head if size < 0 else self.head[:size]
            self.head = self.head[len(out) :]
            return out
        return self.rest.read(size)


def _iterparse(fh, events: tuple[str, ...]) -> Iterator:
    """iterparse over one part: the standard library's C-accelerated parser when the part declares
    no DTD (every real workbook; 2-4 times faster than defusedxml's pure-Python parser), defusedxml's
    otherwise. The same bytes are read in the same chunks, and the events are the same either way."""
    head = fh.read(_CHUNK)
    return (_fast_iterparse if _no_dtd(head) else iterparse)(_Replay(head, fh), events=events)


def _read(zf: zipfile.ZipFile, name: str) -> bytes:
    try:
        return zf.read(name)
    except KeyError:
        return b""


def _active_content_guard(names: set[str]) -> None:
    found = check_active_content(names)
    if found:
        raise UnreadableFile(
            f"the file contains {' and '.join(found)}; rai-xl does not open such files. "
            "Save it as a plain Excel Workbook (.xlsx)"
        )


# ---------------------------------------------------------------- xlsx


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, base = posixpath.split(part)
    data = _read(zf, posixpath.join(folder, "_rels", base + ".rels"))
    if not data:
        return {}
    out = {}
    for rel in fromstring(data).iter(PKG_REL + "Relationship"):
        target = rel.get("Target", "")
        out[rel.get("Id", "")] = (
            target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        )
    return out


def _read_xlsx(zf: zipfile.ZipFile, names: set[str], wanted: set[str] | None) -> Workbook:
    _active_content_guard(names)
    book = fromstring(_read(zf, "xl/workbook.xml"))
    rels = _rels(zf, "xl/workbook.xml")
    budget = _Budget()
    shared = _shared_strings(zf, names, budget)
    sheets = []
    for el in book.iter(S + "sheet"):
        name = el.get("name", "")
        sheet = Sheet(name, el.get("state", "visible") == "visible")
        target = rels.get(el.get(R_ID, ""), "")
        if (wanted is None or name in wanted) and target in names:
            _xlsx_cells(zf, target, shared, sheet, budget)
        sheets.append(sheet)
    return Workbook("xlsx", sheets, _custom_properties(zf))


def _shared_strings(zf: zipfile.ZipFile, names: set[str], budget: _Budget) -> list[str]:
    target = next((n for n in ("xl/sharedStrings.xml", "xl/SharedStrings.xml") if n in names), None)
    if target is None:
        return []
    out = []
    for _, el in budget.events(_iterparse(BytesIO(zf.read(target)), ("end",))):
        if el.tag == S + "si":
            out.append(_string_item(el))
            el.clear()
    return out


def _string_item(si) -> str:
    """Text of a shared-string item: plain <t> or rich-text runs <r><t>, never phonetic <rPh>."""
    parts = []
    for child in si:
        if child.tag == S + "t":
            parts.append(child.text or "")
        elif child.tag == S + "r":
            parts.extend(t.text or "" for t in child.iter(S + "t"))
    return "".join(parts)


_REF = re.compile(r"([A-Z]+)(\d+)")


def column_number(letters: str) -> int:
    """1-based column number of column letters (A = 1, AA = 27)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _xlsx_cells(zf: zipfile.ZipFile, part: str, shared: list[str], sheet: Sheet, budget: _Budget) -> None:
    row = 0
    col = 0
    with zf.open(part) as fh:
        for _, el in budget.events(_iterparse(fh, ("end",))):
            tag = el.tag
            if tag == S + "c":
                ref = el.get("r")
                if ref:
                    m = _REF.fullmatch(ref)
                    if m:
                        col, row = column_number(m.group(1)), int(m.group(2))
                else:
                    col += 1
                if row <= MAX_ROW:
                    cell = _xlsx_cell(el, shared)
                    if cell is not None:
                        if len(sheet.cells) >= MAX_CELLS:
                            raise UnreadableFile(
                                f"sheet '{sheet.name}' holds more than {MAX_CELLS} cells; a questionnaire holds about 500"
                            )
                        sheet.cells[(row, col)] = cell
                el.clear()
            elif tag == S + "row":
                r = el.get("r")
                row = int(r) if r and r.isdigit() else row + 1
                col = 0
                el.clear()


def _xlsx_cell(el, shared: list[str]) -> Cell | None:
    kind = el.get("t", "n")
    f = el.find(S + "f")
    v = el.find(S + "v")
    formula = ("=" + (f.text or "")) if f is not None else ""
    raw = v.text if v is not None else None
    if kind == "inlineStr":
        value: str | float | bool | None = "".join(t.text or "" for t in el.iter(S + "t"))
    elif raw is None:
        value = None
    elif kind == "s":
        i = int(raw)
        value = shared[i] if 0 <= i < len(shared) else None
    elif kind in ("str", "d"):
        value = raw
    elif kind == "b":
        value = raw.strip() == "1"
    elif kind == "e":
        return Cell(raw, formula, error=True)
    else:
        try:
            value = float(raw)
        except ValueError:
            value = raw
    if value is None and not formula:
        return None
    return Cell(value, formula)


def _custom_properties(zf: zipfile.ZipFile) -> dict[str, str]:
    data = _read(zf, "docProps/custom.xml")
    if not data:
        return {}
    out = {}
    for prop in fromstring(data).iter(CUSTOM + "property"):
        value = next(iter(prop), None)
        out[prop.get("name", "")] = (value.text or "") if value is not None else ""
    return out


# ---------------------------------------------------------------- ods


def _read_ods(zf: zipfile.ZipFile, names: set[str], wanted: set[str] | None) -> Workbook:
    _active_content_guard(names)
    budget = _Budget()
    hidden = _ods_hidden_tables(zf, budget)
    sheets: list[Sheet] = []
    sheet: Sheet | None = None
    keep = False
    row = 0
    with zf.open("content.xml") as fh:
        for event, el in budget.events(_iterparse(fh, ("start", "end"))):
            tag = el.tag
            if event == "start":
                if tag == TABLE + "table":
                    name = el.get(TABLE + "name", "")
                    sheet = Sheet(name, el.get(TABLE + "style-name", "") not in hidden)
                    sheets.append(sheet)
                    keep = wanted is None or name in wanted
                    row = 0
                continue
            if tag == TABLE + "table-row" and sheet is not None:
                repeat = min(int(el.get(TABLE + "number-rows-repeated", "1")), MAX_ROW)
                if keep and row < MAX_ROW:
                    _ods_row(el, row + 1, sheet)
                row += repeat
                el.clear()
    return Workbook("ods", sheets, _ods_properties(zf))


def _ods_hidden_tables(zf: zipfile.ZipFile, budget: _Budget) -> set[str]:
    """Style names of tables whose table:display is false (hidden sheets)."""
    hidden = set()
    # automatic styles come first in content.xml: stop reading at their end
    with zf.open("content.xml") as fh:
        for _, el in budget.events(_iterparse(fh, ("end",))):
            if el.tag == OT + "style:1.0}style":
                props = el.find(OT + "style:1.0}table-properties")
                if props is not None and props.get(TABLE + "display") == "false":
                    hidden.add(el.get(OT + "style:1.0}name", ""))
            elif el.tag == OFFICE + "automatic-styles":
                break
    return hidden


def _ods_row(el, row: int, sheet: Sheet) -> None:
    col = 0
    for c in el:
        if c.tag not in (TABLE + "table-cell", TABLE + "covered-table-cell"):
            continue
        repeat = int(c.get(TABLE + "number-columns-repeated", "1"))
        cell = _ods_cell(c)
        if cell is not None:
            for k in range(min(repeat, 1000)):
                if len(sheet.cells) >= MAX_CELLS:
                    raise UnreadableFile(
                        f"sheet '{sheet.name}' holds more than {MAX_CELLS} cells; a questionnaire holds about 500"
                    )
                sheet.cells[(row, col + 1 + k)] = cell
        col += repeat


def _ods_text(p) -> str:
    parts = [p.text or ""]
    for child in p:
        if child.tag == TEXT + "s":
            parts.append(" " * int(child.get(TEXT + "c", "1")))
        elif child.tag == TEXT + "tab":
            parts.append("\t")
        elif child.tag == TEXT + "line-break":
            parts.append("\n")
        else:
            parts.append(_ods_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _ods_cell(c) -> Cell | None:
    kind = c.get(OFFICE + "value-type")
    formula = c.get(TABLE + "formula", "")
    if formula.startswith("of:"):
        formula = formula[3:]
    text = "\n".join(_ods_text(p) for p in c.iter(TEXT + "p"))
    value: str | float | bool | None
    if kind in ("float", "percentage", "currency"):
        value = float(c.get(OFFICE + "value", "0"))
    elif kind == "boolean":
        value = c.get(OFFICE + "boolean-value") == "true"
    elif kind in ("date", "time"):
        value = c.get(OFFICE + "date-value") or c.get(OFFICE + "time-value") or text
    elif kind == "string":
        value = c.get(OFFICE + "string-value", text)
    else:
        value = text or None
    if value is None and not formula:
        return None
    return Cell(
        value,
        formula,
        error=bool(formula) and isinstance(value, str) and value.startswith("#") and value.endswith(("!", "?")),
    )


def _ods_properties(zf: zipfile.ZipFile) -> dict[str, str]:
    data = _read(zf, "meta.xml")
    if not data:
        return {}
    return {el.get(META + "name", ""): el.text or "" for el in fromstring(data).iter(META + "user-defined")}
