"""Read the cells of an untrusted .xlsx or .ods file safely: bounded, read-only, no formulas run.

This is deliberately small and hand-written: it returns cell values (text, numbers, booleans,
dates), whether a cell holds a formula, sheet names, and document properties. openpyxl is not
used to read returns: it is about 5 times slower on a questionnaire (17-20 ms against 3.3 ms,
even read-only), has no bounds for a hostile file (it builds whatever the file declares), and
does not read .ods at all; one reader for both formats keeps one set of bounds and one set of
messages.

It never trusts the file:

* sizes are bounded before any part is decompressed, counting only the parts it may parse
  (XML parts and relationships): pictures, fonts and thumbnails are never opened, so they
  neither count nor need bounding beyond the zip's entry count and the raw file size;
* no XML part may declare entities (defusedxml parses any part with a DTD; the parts without
  one go to the standard library's faster C parser);
* the work is bounded by what matters: the bytes of XML inflated, the cells with content kept,
  the rows looked at. Empty styled cells (Google Sheets writes 1,000 rows x 26 of them on every
  sheet) cost only their bytes.

It reads what it can and says what it did not: rows past the row bound, a damaged document
properties part, external links and embedded objects (never followed or opened) are findings
(Workbook.findings), not refusals. Macros, encryption and two zip entries with one name are
refused.

Parts are found the way the Open Packaging Conventions say (through relationships, part names
compared case-insensitively), not by fixed names, so files from Excel, LibreOffice, Google
Sheets, Gnumeric and libraries read alike.
"""

from __future__ import annotations

import datetime as dt
import lzma
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from io import BytesIO
from typing import Any
from urllib.parse import unquote
from xml.etree.ElementTree import ParseError, TreeBuilder
from xml.etree.ElementTree import XMLPullParser as _FastPullParser
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

MAX_FILE_BYTES = 200 * 1024 * 1024  # raw file; pictures inside are never decompressed
MAX_ENTRIES = 1000
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # declared, summed over the parts that may be parsed
MAX_CELLS = 100_000  # cells kept per workbook; a questionnaire has about 500
MAX_ROW = 10_000  # rows looked at per sheet
MAX_COLUMN = 1024  # columns of an .ods row read (a repeated cell is spread over them)
MAX_SPACES = 100  # spaces one ODF <text:s text:c="N"/> stands for, at most
MAX_PART_BYTES = 8 * 1024 * 1024  # declared uncompressed size of any one parsed part; a questionnaire's are under 100 KB
MAX_XML_BYTES = 16 * 1024 * 1024  # XML inflated and parsed per workbook; a questionnaire's is under 1 MB
MAX_STRINGS = 100_000  # shared strings kept per workbook; a questionnaire has about 500

S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
STRICT_S = "{http://purl.oclc.org/ooxml/spreadsheetml/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
OT = "{urn:oasis:names:tc:opendocument:xmlns:"
TABLE, TEXT, OFFICE, META = OT + "table:1.0}", OT + "text:1.0}", OT + "office:1.0}", OT + "meta:1.0}"
CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"

ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
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

# What a damaged part raises: the XML parser, and zipfile opening and inflating a member (a bad CRC,
# a broken deflate, bzip2 or lzma stream, a truncated member, an unsupported compression method, a
# local header whose name is not the UTF-8 it claims).
DAMAGED = (
    ParseError,
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    OSError,
    EOFError,
    NotImplementedError,
    UnicodeDecodeError,
)


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


def _mb(size: int) -> str:
    """A size in MB (MiB), rounded to one decimal, honestly: 11.4 MB, not 11 MB."""
    return f"{size / (1024 * 1024):.1f} MB"


# ---------------------------------------------------------------- what the bytes are


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ole_has_stream(data: bytes, name: str) -> bool:
    """Whether an OLE compound file has a directory entry called *name*.

    Directory entries are 128-byte records at 128-byte offsets of the file (sectors are 512 or
    4096 bytes, after a 512-byte header): the UTF-16 name, then at byte 64 its length in bytes
    (terminator included) and at byte 66 the entry type (1 storage, 2 stream, 5 root).
    """
    needle = name.encode("utf-16-le") + b"\0\0"
    start = 512
    for _ in range(10_000):
        at = data.find(needle, start)
        if at < 0:
            return False
        if at % 128 == 0 and len(data) >= at + 68:
            length, kind = struct.unpack_from("<HB", data, at + 64)
            if length == len(needle) and kind in (1, 2):
                return True
        start = at + 1
    return False


def sniff(data: bytes) -> str:
    """'zip' for a zip container, or raise UnreadableFile naming what the bytes are instead."""
    if not data:
        raise UnreadableFile("the file is empty")
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(_OLE_MAGIC):
        # Excel encrypts an .xlsx into an OLE file with EncryptionInfo and EncryptedPackage streams
        if _ole_has_stream(data, "EncryptedPackage") or _ole_has_stream(data, "EncryptionInfo"):
            raise UnreadableFile(PASSWORD)
        raise UnreadableFile(LEGACY)
    if data.startswith(b"%PDF"):
        raise UnreadableFile("this is a PDF, not a spreadsheet; send the filled .xlsx workbook")
    raise UnreadableFile("this is not an .xlsx or .ods spreadsheet (unknown file content)")


def _parsed(name: str) -> bool:
    """Whether rai-xl may parse the part: XML parts and relationships, never pictures or fonts."""
    return name.lower().endswith((".xml", ".rels"))


def _check_part(info: zipfile.ZipInfo) -> None:
    if info.flag_bits & 0x1:  # a zip entry encrypted with a password
        raise UnreadableFile(PASSWORD)
    if info.file_size > MAX_PART_BYTES:
        raise UnreadableFile(
            f"part {info.filename} would expand to {_mb(info.file_size)}; "
            f"the parts of a questionnaire are well under {MAX_PART_BYTES // 1024 // 1024} MB"
        )


def open_zip(data: bytes) -> zipfile.ZipFile:
    """Open a zip after bounding its size, entry count and the declared expansion of the parts
    rai-xl may parse (zip bombs). Pictures and other media are never decompressed, so their
    sizes are not bounded beyond the file's own."""
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(
            f"the file is {_mb(len(data))}; a questionnaire is well under {MAX_FILE_BYTES // 1024 // 1024} MB"
        )
    try:
        zf = zipfile.ZipFile(BytesIO(data))
        infos = zf.infolist()
    except (*DAMAGED, ValueError, struct.error) as exc:  # a damaged directory: BadZipFile, EOFError, ...
        raise UnreadableFile(f"the file is damaged (not a readable zip container: {exc})") from None
    if len(infos) > MAX_ENTRIES:
        raise UnreadableFile(f"the file has {len(infos)} parts; a workbook has far fewer")
    outside = next((i for i in infos if not 0 <= i.header_offset < len(data)), None)
    if outside is not None:  # (zipfile would seek there: ValueError)
        raise UnreadableFile(
            f"the file is damaged (not a readable zip container: part {_name(outside)} starts outside the file)"
        )
    parsed = [i for i in infos if _parsed(i.filename)]
    if sum(i.file_size for i in parsed) > MAX_UNCOMPRESSED:
        raise UnreadableFile("the file would expand to more than 100 MB (a zip bomb or a huge sheet)")
    for i in parsed:
        _check_part(i)
    return zf


class _Package:
    """A zip's parts, looked up case-insensitively (OPC part names are), each read within bounds."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.parts: dict[str, zipfile.ZipInfo] = {}
        for info in zf.infolist():
            # some Windows tools write xl\worksheets\sheet1.xml; Excel and other readers open such files
            name = _name(info)
            if name.lower() in self.parts:
                raise UnreadableFile(
                    f"the file holds two zip entries named {name}, and programs differ on which one they read, "
                    "so they would show different contents: save it again from the spreadsheet program"
                )
            self.parts[name.lower()] = info

    def find(self, name: str) -> zipfile.ZipInfo | None:
        return self.parts.get(name.lower()) if name else None

    def open(self, info: zipfile.ZipInfo):
        _check_part(info)
        return self.zf.open(info)

    def read(self, info: zipfile.ZipInfo | None, limit: int = MAX_PART_BYTES) -> bytes:
        if info is None:
            return b""
        _check_part(info)
        with self.zf.open(info) as fh:
            return fh.read(limit)


def _kind(pkg: _Package) -> str | None:
    """'xlsx', 'ods' or None, judged from the zip's directory (and the few bytes of an ODF mimetype)."""
    mime = pkg.find("mimetype")
    if mime is not None and mime.file_size <= 200:
        if pkg.read(mime, 200).strip().startswith(ODS_MIME) and pkg.find("content.xml") is not None:
            return "ods"
        return None
    if mime is None and pkg.find("content.xml") is not None and _manifest_type(pkg).startswith(ODS_MIME):
        return "ods"  # Google Docs exports an .ods without its mimetype entry
    if pkg.find("[Content_Types].xml") is None:
        return None
    if pkg.find("xl/workbook.xml") is not None:
        return "xlsx"
    # a workbook part named otherwise: its content type says so (a bytes search, nothing parsed)
    types = pkg.read(pkg.find("[Content_Types].xml"), 64 * 1024)
    return "xlsx" if any(t in types for t in _WORKBOOK_TYPES) else None


_FILE_ENTRY = re.compile(rb"<(?:[\w.-]+:)?file-entry\b[^>]*>")
_ATTRIBUTE = re.compile(rb"""\s(?:[\w.-]+:)?(full-path|media-type)\s*=\s*["']([^"']*)["']""")


def _manifest_type(pkg: _Package) -> bytes:
    """The media type an ODF manifest gives the document itself (its entry for "/"), b"" if none."""
    manifest = pkg.read(pkg.find("META-INF/manifest.xml"), 64 * 1024)
    for entry in _FILE_ENTRY.findall(manifest):
        attributes = dict(_ATTRIBUTE.findall(entry))
        if attributes.get(b"full-path") == b"/":
            return attributes.get(b"media-type", b"").strip()
    return b""


_WORKBOOK_TYPES = (
    b"spreadsheetml.sheet.main+xml",
    b"spreadsheetml.template.main+xml",
    b"ms-excel.sheet.macroEnabled.main+xml",
    b"ms-excel.template.macroEnabled.main+xml",
)


def spreadsheet_kind(data: bytes) -> str | None:
    """'xlsx' or 'ods' when *data* is one by its content (whatever the file's name), else None.

    Cheap: the zip's directory is read, and an ODF package's 46-byte mimetype (or, when a workbook
    part is not at xl/workbook.xml, the content types, searched as bytes). A .docx or
    .odt, a CSV, a PDF or anything else is None; so is a password-protected .xlsx (an OLE file).
    """
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            if len(zf.infolist()) > MAX_ENTRIES:
                return None
            return _kind(_Package(zf))
    except (UnreadableFile, *DAMAGED, ValueError, struct.error):  # a damaged zip is not recognisably anything
        return None


_OTHER_PARTS = (  # a part that says what an Office file is instead
    ("word/document.xml", "this is a Word document (.docx), not a spreadsheet"),
    ("ppt/presentation.xml", "this is a PowerPoint presentation (.pptx), not a spreadsheet"),
    ("xl/workbook.bin", "this is an Excel Binary Workbook (.xlsb): save it as an ordinary Excel Workbook (.xlsx)"),
)
_OTHER_MIMETYPES = (  # an OpenDocument mimetype that says the same
    ("application/vnd.oasis.opendocument.text", "this is an OpenDocument text document (.odt), not a spreadsheet"),
    ("application/vnd.oasis.opendocument.presentation", "this is an OpenDocument presentation (.odp), not a spreadsheet"),
)


def _not_a_spreadsheet(pkg: _Package) -> str:
    """The one-line reason a zip that is not a workbook is refused: what it is, when that is known."""
    mime = pkg.find("mimetype")
    text = pkg.read(mime, 200).decode("ascii", "replace").strip() if mime is not None and mime.file_size <= 200 else ""
    for prefix, reason in _OTHER_MIMETYPES:
        if text.startswith(prefix):
            return reason
    for part, reason in _OTHER_PARTS:
        if pkg.find(part) is not None:
            return reason
    return "this zip is not an .xlsx or .ods spreadsheet"


def read_workbook(data: bytes, wanted: Iterable[str] | None = None) -> Workbook:
    """Read the cells of the sheets named in *wanted* (all sheets when None) from xlsx or ods bytes.

    Every sheet is listed; only the wanted ones have their cells read. Raises UnreadableFile with
    a one-line reason for anything that is not a readable workbook; any other exception is a bug.
    """
    try:
        return _read_workbook(data, wanted)
    except UnreadableFile as exc:
        text = str(exc)
        if text.isprintable():
            raise
        # a sheet or part name from the file may hold line breaks or control characters
        raise UnreadableFile("".join(ch if ch.isprintable() else " " for ch in text)) from None


def _damaged(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def _read_workbook(data: bytes, wanted: Iterable[str] | None) -> Workbook:
    sniff(data)
    zf = open_zip(data)
    want = None if wanted is None else set(wanted)
    try:
        pkg = _Package(zf)
        kind = _kind(pkg)
        if kind == "xlsx":
            return _Xlsx(pkg, want).read()
        if kind == "ods":
            return _read_ods(pkg, want)
        reason = _not_a_spreadsheet(pkg)
    except DefusedXmlException:
        raise UnreadableFile(
            "a part of the file declares XML entities or a DTD (an XML bomb or an external reference); a workbook never does"
        ) from None
    except DAMAGED as exc:
        raise UnreadableFile(f"a part of the file is damaged and cannot be read ({_damaged(exc)})") from None
    raise UnreadableFile(reason)


def _active_content(pkg: _Package) -> list[Finding]:
    """Refuse macros; find external links and embedded objects, which are never followed or opened."""
    names = pkg.parts  # lower case
    if any(n.endswith("vbaproject.bin") or n.startswith("basic/") for n in names):
        raise UnreadableFile(MACROS)
    found = []
    if any(n.startswith("xl/externallinks/") for n in names):
        found.append("external links (to other workbooks)")
    if any(n.startswith(("xl/embeddings/", "xl/activex/")) for n in names):
        found.append("embedded objects")
    if not found:
        return []
    return [
        Finding(
            "",
            f"the file's {' and '.join(found)} were ignored: rai-xl never follows a link or opens an object, "
            "and a formula pointing at another workbook is not an answer",
        )
    ]


# ---------------------------------------------------------------- XML parsing, bounded


class _Budget:
    """What a workbook may still make the reader do: XML bytes parsed, cells and shared strings kept."""

    def __init__(self) -> None:
        self.xml = MAX_XML_BYTES
        self.cells = MAX_CELLS

    def parse(self, size: int) -> None:
        self.xml -= size
        if self.xml < 0:
            raise UnreadableFile(
                f"the parts to read hold more than {MAX_XML_BYTES // 1024 // 1024} MB of XML; "
                "a questionnaire's hold under 1 MB"
            )

    def keep(self, count: int) -> None:
        """Count *count* more cells with content, about to be kept."""
        self.cells -= count
        if self.cells < 0:
            raise self.full()

    @staticmethod
    def full() -> UnreadableFile:
        return UnreadableFile(f"the file holds more than {MAX_CELLS} cells; a questionnaire holds about 500")


_CHUNK = 16 * 1024  # what is fed to the parser at a time


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
    except (expat.ExpatError, ValueError):  # a DOCTYPE or a malformed prolog: defusedxml decides
        return False
    return False


def _batches(fh, events: tuple[str, ...], budget: _Budget) -> Iterator[list[tuple[str, Any]]]:
    """The (event, element) pairs of one part, a list per chunk parsed, its bytes counted against *budget*.

    The standard library's C-accelerated parser reads a part that declares no DTD (every real
    workbook); defusedxml's parser, which refuses entities and external references, reads the
    others. The same bytes are fed in the same chunks either way. The events are taken from the
    parser's queue a chunk at a time (read_events() costs a generator step per element, a third
    of the time of reading a sheet) when the queue is there to take, as in CPython 3.11-3.14.
    """
    head = fh.read(_CHUNK)
    budget.parse(len(head))
    if _no_dtd(head):
        parser: _FastPullParser = _FastPullParser(events=events)  # type: ignore[arg-type]
    else:
        parser = _FastPullParser(events=events, _parser=DefusedXMLParser(target=TreeBuilder()))  # type: ignore[arg-type]
    queue = getattr(parser, "_events_queue", None)
    chunk = head
    done = False
    while not done:
        if chunk:
            parser.feed(chunk)
            chunk = fh.read(_CHUNK)
            budget.parse(len(chunk))
        else:
            parser.close()
            done = True
        if queue is not None:
            batch = list(queue)
            queue.clear()
            if batch and isinstance(batch[-1], Exception):  # XMLPullParser queues a parse error
                raise batch[-1]
        else:  # pragma: no cover - another Python's XMLPullParser
            batch = list(parser.read_events())
        yield batch


def _events(fh, events: tuple[str, ...], budget: _Budget) -> Iterator[tuple[str, Any]]:
    """(event, element) pairs of one part, its bytes counted against *budget*."""
    for batch in _batches(fh, events, budget):
        yield from batch


def _fromstring(data: bytes, budget: _Budget):
    """The root element of a small part (relationships, workbook, properties), within the budget."""
    root = None
    for _, el in _events(BytesIO(data), ("start",), budget):
        if root is None:
            root = el
    return root


# ---------------------------------------------------------------- xlsx


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


_LETTERS = {chr(65 + i): i + 1 for i in range(26)}
_REFS: dict[str, tuple[int, int]] = {}  # cell reference -> (row, column): references repeat across files
_DIGITS = "0123456789"


def column_number(letters: str) -> int:
    """1-based column number of column letters (A = 1, AA = 27)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(col: int) -> str:
    """Column letters of a 1-based column number (1 = A, 27 = AA)."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _ref(ref: str) -> tuple[int, int] | None:
    """(row, column) of an A1 reference, or None when it is not one."""
    found = _REFS.get(ref)
    if found is not None:
        return found
    letters = ref.rstrip(_DIGITS).upper()
    digits = ref[len(letters) :]
    if not (1 <= len(letters) <= 3 and digits.isdigit() and digits.isascii() and len(digits) <= 7):
        return None
    if any(ch not in _LETTERS for ch in letters):
        return None
    found = (int(digits), column_number(letters))
    if len(_REFS) < 20_000:  # a questionnaire has about 1,000 references; bounded for hostile files
        _REFS[ref] = found
    return found


_MAX_COLUMNS, _MAX_ROWS = 16_384, 1_048_576  # XFD1048576, the last cell of a sheet
_FORMULA_PARTS = re.compile(
    r'"(?:[^"]|"")*"'  # a text, left alone
    r"|'(?:[^']|'')*'"  # a quoted sheet name
    r"|\[[^\]]*\]"  # a workbook index [1] or a table column [Evidence]
    r"|(?<![\w.$])(\$?)([A-Z]{1,3})(\$?)([0-9]{1,7})(?![\w(!])"  # a cell: A1, $A1, A$1, $A$1
    r"|(?<![\w.$:])(\$?)([A-Z]{1,3}):(\$?)([A-Z]{1,3})(?![\w(!:])"  # whole columns: A:C
    r"|(?<![\w.$:])(\$?)([0-9]{1,7}):(\$?)([0-9]{1,7})(?![\w(!.:])"  # whole rows: 2:4
)


def shift_formula(text: str, rows: int, cols: int) -> str:
    """A formula as it reads *rows* down and *cols* right of where *text* is written (a shared
    formula filled down or across): relative references move, absolute ($) ones stay, texts and
    sheet names are left alone, and a reference moved off the sheet is #REF!, as in Excel."""

    def column(dollar: str, letters: str) -> str | None:
        n = column_number(letters) + (0 if dollar else cols)
        return dollar + column_letters(n) if 1 <= n <= _MAX_COLUMNS else None

    def row(dollar: str, digits: str) -> str | None:
        n = int(digits) + (0 if dollar else rows)
        return dollar + str(n) if 1 <= n <= _MAX_ROWS else None

    def moved(m: re.Match[str]) -> str:
        g = m.groups()
        if g[1] is not None:
            if column_number(g[1]) > _MAX_COLUMNS:  # past column XFD: a name such as XFE1, not a cell
                return m.group()
            parts = [column(g[0], g[1]), row(g[2], g[3])]
            sep = ""
        elif g[5] is not None:
            parts, sep = [column(g[4], g[5]), column(g[6], g[7])], ":"
        elif g[9] is not None:
            parts, sep = [row(g[8], g[9]), row(g[10], g[11])], ":"
        else:
            return m.group()
        if None in parts:
            return "#REF!"
        return sep.join(p for p in parts if p is not None)

    return _FORMULA_PARTS.sub(moved, text) if rows or cols else text


# Excel stores functions newer than 2007 with a prefix it never shows: _xlfn.XLOOKUP, _xlfn._xlws.SORT
_FUNCTION_PREFIX = re.compile(r'"(?:[^"]|"")*"|_xl(?:fn|ws|udf)\.')


def _formula(f, at: tuple[int, int], masters: dict[str, tuple[str, tuple[int, int]]]) -> str:
    """The formula of a cell's <f> as Excel shows it: "=" and its text, without the prefixes of newer
    functions. Excel stores a formula filled down or copied as one shared formula: the text on its
    first cell (noted in *masters*), only its index on the others."""
    text = f.text or ""
    if f.get("t") == "shared":
        index = f.get("si", "")
        if text:
            masters[index] = (text, at)
        elif index in masters:
            first, (row, col) = masters[index]
            text = shift_formula(first, at[0] - row, at[1] - col)
    if "_xl" in text:
        text = _FUNCTION_PREFIX.sub(lambda m: m.group() if m.group().startswith('"') else "", text)
    return "=" + text


# Built-in number formats that show a date or a time (ECMA-376 18.8.30 and the East Asian ids).
# 46 ([h]:mm:ss) is an elapsed time, a duration, not a point in time: it stays a number.
_DATE_FORMAT_IDS = frozenset({*range(14, 23), *range(27, 37), 45, 47, *range(50, 59)})
# The codes of the built-in number formats a cell may name by id alone (ECMA-376 18.8.30).
_BUILTIN_FORMATS = {
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
}
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]', re.S)
_ELAPSED = re.compile(r"\[(h+|m+|s+)\]", re.I)
_DATE_TOKENS = re.compile(r"[dmyhsb]", re.I)


def is_date_format(code: str) -> bool:
    """Whether a number format code shows a date or time: a d, m, y, h, s (or Buddhist-era b)
    outside quoted text, [brackets] and escaped characters. Elapsed times ([h]:mm) are durations."""
    section = code.split(";", 1)[0]
    if _ELAPSED.search(section):
        return False
    return bool(_DATE_TOKENS.search(_FORMAT_NOISE.sub("", section)))


EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system
_EXCEL_1900_EARLY = dt.datetime(1899, 12, 31)  # before the 1900-02-29 that never was
_EXCEL_1904 = dt.datetime(1904, 1, 1)
_MAX_SERIAL = 2_958_466  # 10000-01-01 in the 1900 date system; 1904 serials overflow a little before


def excel_date(serial: float, date1904: bool = False) -> dt.date | dt.datetime | float:
    """The date (or date and time) an Excel serial number stands for in a date-formatted cell.

    1900 system: a serial under 1 is a time of day without a date, and stays a number; serials
    before 1 March 1900 are one day off (Excel's 1900 leap-year bug), as Excel and openpyxl show
    them. 1904 system: serial 0 is 1904-01-01. A serial outside the calendar (before its start,
    after 9999-12-31) is not a date and stays a number.
    """
    if not ((0 if date1904 else 1) <= serial < _MAX_SERIAL):  # NaN and infinity too
        return serial
    day, fraction = divmod(serial, 1)
    base = _EXCEL_1904 if date1904 else _EXCEL_1900_EARLY if serial < 60 else EXCEL_EPOCH
    try:
        value = base + dt.timedelta(days=int(day), milliseconds=round(fraction * 86_400_000))
    except OverflowError:  # past 9999-12-31
        return serial
    if value.time() == dt.time(0):
        return value.date()
    return value


_ISO = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?)?(?:Z|[+-]\d\d:?\d\d)?")


def iso_date(text: str) -> dt.date | dt.datetime | None:
    """The date (or date and time) of an ISO 8601 text such as 2024-01-15 or 2024-01-15T10:30:00."""
    m = _ISO.fullmatch(text.strip())
    if m is None:
        return None
    y, mo, d, h, mi, s, frac = m.groups()
    try:
        if h is None:
            return dt.date(int(y), int(mo), int(d))
        micro = int((frac or "0")[:6].ljust(6, "0"))
        value = dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), micro)
    except ValueError:
        return None
    return value.date() if value.time() == dt.time(0) else value


def _ods_time(text: str) -> float | None:
    """An ODF duration (PT12H30M00S) as a fraction of a day, as a spreadsheet holds a time."""
    m = re.fullmatch(r"-?P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?", text.strip())
    if m is None:
        return None
    d, h, mi, s = (float(x) if x else 0.0 for x in m.groups())
    value = (d * 86400 + h * 3600 + mi * 60 + s) / 86400
    return -value if text.strip().startswith("-") else value


def cell_name(row: int, col: int) -> str:
    """A1 reference of a 1-based (row, column)."""
    return f"{column_letters(col)}{row}"


# The date styles and number formats of the last few styles parts read, by their exact bytes: the
# returns of one round come from one questionnaire, so most share their styles part byte for byte.
_DATE_STYLES: dict[bytes, tuple[frozenset[str], dict[str, str]]] = {}


class _Xlsx:
    """One .xlsx package being read: its relationships, shared strings, date styles and sheets."""

    def __init__(self, pkg: _Package, wanted: set[str] | None) -> None:
        self.pkg = pkg
        self.wanted = wanted
        self.budget = _Budget()
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
        root = _fromstring(self.pkg.read(info), self.budget)
        out = []
        for rel in root.iter() if root is not None else ():
            if not rel.tag.endswith("Relationship") or rel.get("TargetMode", "") == "External":
                continue
            out.append((rel.get("Id", ""), rel.get("Type", ""), _resolve(folder, rel.get("Target", ""))))
        return out

    # -- the workbook

    def read(self) -> Workbook:
        pkg = self.pkg
        self.findings = _active_content(pkg)
        root_rels = self.rels("")
        book_name = next((t for _, typ, t in root_rels if typ.endswith("/officeDocument")), "")
        book_info = pkg.find(book_name) or pkg.find("xl/workbook.xml")
        if book_info is None:
            raise UnreadableFile("this zip is not an .xlsx or .ods spreadsheet")
        book_name = _name(book_info)
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
            if (self.wanted is None or name in self.wanted) and info is not None:
                if shared is None:
                    shared = self._shared_strings(shared_info)
                self._cells(info, shared, sheet)
                self._comments(info.filename, sheet)
        custom = next((t for _, typ, t in root_rels if typ.endswith("/custom-properties")), "")
        info = pkg.find(custom) or pkg.find("docProps/custom.xml")
        return Workbook("xlsx", sheets, _properties(info, self._custom_properties, self.findings), self.findings)

    def _workbook(self, info: zipfile.ZipInfo) -> list[tuple[str, str]]:
        """(name, relationship id) of each sheet, in order; notes the 1904 date system."""
        sheets = []
        with self.pkg.open(info) as fh:
            for event, el in _events(fh, ("start", "end"), self.budget):
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
            for batch in _batches(fh, ("end",), self.budget):
                for el in [el for _, el in batch if el.tag == si]:
                    out.append(_string_item(el, t, r))
                    el.clear()
                if len(out) > MAX_STRINGS:
                    raise UnreadableFile(
                        f"the file holds more than {MAX_STRINGS} shared strings; a questionnaire holds about 500"
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
        for event, el in _events(BytesIO(data), ("start", "end"), self.budget):
            tag = el.tag
            if event == "start":
                if tag == cell_xfs:
                    in_cell_xfs = True
                elif tag == xf and in_cell_xfs:
                    fmt = el.get("numFmtId", "0").strip()
                    code = custom.get(fmt)
                    builtin = int(fmt) if fmt.isdigit() and fmt.isascii() and len(fmt) < 4 else -1
                    if is_date_format(code) if code is not None else builtin in _DATE_FORMAT_IDS:
                        dates.add(str(index))
                    shown = code if code is not None else _BUILTIN_FORMATS.get(builtin, "")
                    if shown and shown.lower() != "general":
                        formats[str(index)] = shown
                    index += 1
            elif tag == num_fmt:
                custom[el.get("numFmtId", "").strip()] = el.get("formatCode", "")
            elif tag == cell_xfs:
                break  # fonts, fills, borders come before; cell styles and colours after
        return frozenset(dates), formats

    # -- cells

    def _cells(self, info: zipfile.ZipInfo, shared: list[str], sheet: Sheet) -> None:
        ROW, C, V, F, IS, T, R = S + "row", S + "c", S + "v", S + "f", S + "is", S + "t", S + "r"
        cells = sheet.cells
        refs = _REFS.get
        styles: tuple[frozenset[str], dict[str, str]] | None = None
        masters: dict[str, tuple[str, tuple[int, int]]] = {}  # shared formulas: index -> (text, first cell)
        room = self.budget.cells  # counted here, not through the budget: a call per cell is 4 % of the read
        row = 0
        with self.pkg.open(info) as fh:
            for batch in _batches(fh, ("end",), self.budget):
                for el in [el for _, el in batch if el.tag == ROW]:
                    # a row without r is the one after the previous row; a cell without r the
                    # column after the previous cell (as Excel and openpyxl read them)
                    r = el.get("r")
                    row = int(r) if r and r.isdigit() and r.isascii() and len(r) <= 7 else row + 1
                    col = 0
                    for c in el:
                        if c.tag != C:
                            continue
                        ref = c.get("r")
                        at = (refs(ref) or _ref(ref)) if ref else None
                        if at is None:
                            col += 1
                            at = (row, col)
                        else:
                            col = at[1]
                        if not len(c):  # a styled empty cell (Google Sheets writes thousands)
                            continue
                        kind = c.get("t")
                        raw = formula = None
                        for child in c:
                            tag = child.tag
                            if tag == V:
                                raw = child.text
                            elif tag == F:
                                formula = _formula(child, at, masters)
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
                                else:
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
                        if at[0] > MAX_ROW:
                            self.findings.append(_rows_not_read(sheet))
                            self.budget.cells = room
                            return
                        room -= 1
                        if room < 0:
                            raise self.budget.full()
                        cells[at] = Cell(value, formula or "", shown)
                    el.clear()
        self.budget.cells = room

    def _comments(self, part: str, sheet: Sheet) -> None:
        """The comments (notes) on the sheet's cells, from its comments part (Excel's threaded
        comments keep a copy there too)."""
        for _, typ, target in self.rels(part):
            info = self.pkg.find(target) if typ.endswith("/comments") else None
            if info is None:
                continue
            comment, text, t, r = S + "comment", S + "text", S + "t", S + "r"
            with self.pkg.open(info) as fh:
                for batch in _batches(fh, ("end",), self.budget):
                    for el in [el for _, el in batch if el.tag == comment]:
                        at = _ref(el.get("ref", ""))
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
        root = _fromstring(self.pkg.read(info), self.budget)
        out = {}
        for prop in root.iter(CUSTOM + "property") if root is not None else ():
            value = next(iter(prop), None)
            out[prop.get("name", "")] = (value.text or "") if value is not None else ""
        return out


def _name(info: zipfile.ZipInfo) -> str:
    """A part's name, with the "/" separators of a package (some Windows tools write backslashes)."""
    return info.filename.replace("\\", "/")


def _rows_not_read(sheet: Sheet) -> Finding:
    return Finding(sheet.name, f"rows after row {MAX_ROW} were not read (rai-xl reads the first {MAX_ROW} rows of a sheet)")


def _properties(
    info: zipfile.ZipInfo | None, read: Callable[[zipfile.ZipInfo], dict[str, str]], findings: list[Finding]
) -> dict[str, str]:
    """The custom document properties *read* from the part *info*. A damaged part is a finding, not a
    damaged file: the identity is also in the hidden sheet and the visible cells."""
    if info is None:
        return {}
    try:
        return read(info)
    except DAMAGED as exc:
        findings.append(
            Finding("", f"the document properties part {_name(info)} is damaged and was not read ({_damaged(exc)})")
        )
        return {}


def _resolve(folder: str, target: str) -> str:
    """The part name a relationship target points to, from the folder of the part that has it."""
    target = unquote(target.strip()).replace("\\", "/")
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    path = posixpath.normpath(posixpath.join(folder, target))
    return "" if path.startswith("../") or path == ".." else path


# ---------------------------------------------------------------- ods


_ODS_ENCRYPTED = re.compile(rb"<(?:[\w.-]+:)?encryption-data\b")


def _read_ods(pkg: _Package, wanted: set[str] | None) -> Workbook:
    manifest = pkg.find("META-INF/manifest.xml")
    if manifest is not None and _ODS_ENCRYPTED.search(pkg.read(manifest)):
        raise UnreadableFile(PASSWORD)
    findings = _active_content(pkg)
    budget = _Budget()
    sheets: list[Sheet] = []
    sheet: Sheet | None = None
    keep = False
    row = 0
    depth = 0
    TABLE_T, ROW = TABLE + "table", TABLE + "table-row"
    REPEAT = TABLE + "number-rows-repeated"
    info = pkg.find("content.xml")
    assert info is not None  # _kind saw it
    with pkg.open(info) as fh:
        for event, el in (item for batch in _batches(fh, ("start", "end"), budget) for item in batch):
            tag = el.tag
            if event == "start":
                if tag == TABLE_T:
                    depth += 1
                if tag == TABLE_T and depth == 1:  # a sheet; a table inside a cell (a subtable) is not
                    name = el.get(TABLE + "name", "")
                    sheet = Sheet(name)
                    sheets.append(sheet)
                    keep = wanted is None or name in wanted
                    row = 0
                    wide = False
                continue
            if tag == ROW and sheet is not None and depth == 1:
                repeat = _count(el.get(REPEAT))
                if keep:
                    found, cut = _ods_row(el)
                    if cut and not wide:
                        wide = True
                        findings.append(
                            Finding(sheet.name, f"columns after column {column_letters(MAX_COLUMN)} were not read")
                        )
                    if found and row + repeat > MAX_ROW:
                        keep = False  # the rest of the sheet is not looked at
                        findings.append(_rows_not_read(sheet))
                    if found:
                        for r in range(row + 1, min(row + repeat, MAX_ROW) + 1):
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
        "ods", sheets, _properties(pkg.find("meta.xml"), partial(_ods_properties, pkg, budget), findings), findings
    )


def _count(text: str | None) -> int:
    """A repeat count attribute: at least 1; bounded, since only the first rows and columns matter."""
    if not text:
        return 1
    text = text.strip()
    if not (text.isdigit() and text.isascii()):
        return 1
    return 1_000_000_000 if len(text) > 9 else max(1, int(text))


def _ods_row(el) -> tuple[list[tuple[int, Cell]], bool]:
    """(column, cell) of the cells with content in one row, repeated cells spread over their columns;
    and whether a cell with content lies past MAX_COLUMN (not read)."""
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
            cell = _ods_cell(c)
            if cell is not None:
                out.extend((col + 1 + k, cell) for k in range(max(0, min(repeat, MAX_COLUMN - col))))
                cut = cut or col + repeat > MAX_COLUMN
        col += repeat
    return out, cut


_ODS_SKIP = (OFFICE + "annotation", OFFICE + "annotation-end")


def _ods_text(p) -> str:
    parts = [p.text or ""]
    for child in p:
        tag = child.tag
        if tag == TEXT + "s":
            parts.append(" " * min(_count(child.get(TEXT + "c")), MAX_SPACES))
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
        try:
            value = float(c.get(OFFICE + "value", ""))
        except ValueError:
            value = text or None
    elif kind == "boolean":
        value = c.get(OFFICE + "boolean-value", "").strip().lower() in ("true", "1")
    elif kind == "date":
        raw = c.get(OFFICE + "date-value", "")
        value = iso_date(raw) or raw or text or None
    elif kind == "time":
        raw = c.get(OFFICE + "time-value", "")
        found = _ods_time(raw)
        value = found if found is not None else (raw or text or None)
    elif kind == "string":
        value = c.get(OFFICE + "string-value", text)
    else:
        value = text or None
    if value is None and not formula:
        return None
    return Cell(value, formula)


def _ods_properties(pkg: _Package, budget: _Budget, info: zipfile.ZipInfo) -> dict[str, str]:
    root = _fromstring(pkg.read(info), budget)
    if root is None:
        return {}
    return {el.get(META + "name", ""): el.text or "" for el in root.iter(META + "user-defined")}
