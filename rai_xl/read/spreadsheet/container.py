"""The file as a container: what the bytes are, the zip opened and its parts read within the size bounds,
which spreadsheet it is (or what instead), its active content, and what a damaged part raises.

Macros, encryption and two zip entries with one name are refused; external links and embedded
objects (never followed or opened), and a damaged document properties part, are findings.
"""

from __future__ import annotations

import lzma
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from io import BytesIO
from xml.etree.ElementTree import ParseError

from rai_xl.read.spreadsheet import limits
from rai_xl.read.spreadsheet.model import LEGACY, MACROS, PASSWORD, Finding, UnreadableFile

ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"

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


def damaged(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def _mb(size: int) -> str:
    """A size in MB (MiB), rounded to one decimal, honestly: 11.4 MB, not 11 MB."""
    return f"{size / (1024 * 1024):.1f} MB"


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
    if info.file_size > limits.MAX_PART_BYTES:
        raise UnreadableFile(
            f"part {info.filename} would expand to {_mb(info.file_size)}; "
            f"the parts of a questionnaire are well under {limits.MAX_PART_BYTES // 1024 // 1024} MB"
        )


def open_zip(data: bytes) -> zipfile.ZipFile:
    """Open a zip after bounding its size, entry count and the declared expansion of the parts
    rai-xl may parse (zip bombs). Pictures and other media are never decompressed, so their
    sizes are not bounded beyond the file's own."""
    if len(data) > limits.MAX_FILE_BYTES:
        raise UnreadableFile(
            f"the file is {_mb(len(data))}; a questionnaire is well under {limits.MAX_FILE_BYTES // 1024 // 1024} MB"
        )
    try:
        zf = zipfile.ZipFile(BytesIO(data))
        infos = zf.infolist()
    except (*DAMAGED, ValueError, struct.error) as exc:  # a damaged directory: BadZipFile, EOFError, ...
        raise UnreadableFile(f"the file is damaged (not a readable zip container: {exc})") from None
    if len(infos) > limits.MAX_ENTRIES:
        raise UnreadableFile(f"the file has {len(infos)} parts; a workbook has far fewer")
    outside = next((i for i in infos if not 0 <= i.header_offset < len(data)), None)
    if outside is not None:  # (zipfile would seek there: ValueError)
        raise UnreadableFile(
            f"the file is damaged (not a readable zip container: part {part_name(outside)} starts outside the file)"
        )
    parsed = [i for i in infos if _parsed(i.filename)]
    if sum(i.file_size for i in parsed) > limits.MAX_UNCOMPRESSED:
        raise UnreadableFile("the file would expand to more than 100 MB (a zip bomb or a huge sheet)")
    for i in parsed:
        _check_part(i)
    return zf


class Package:
    """A zip's parts, looked up case-insensitively (OPC part names are), each read within bounds."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.parts: dict[str, zipfile.ZipInfo] = {}
        for info in zf.infolist():
            # some Windows tools write xl\worksheets\sheet1.xml; Excel and other readers open such files
            name = part_name(info)
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

    def read(self, info: zipfile.ZipInfo | None, limit: int = limits.MAX_PART_BYTES) -> bytes:
        if info is None:
            return b""
        _check_part(info)
        with self.zf.open(info) as fh:
            return fh.read(limit)


def package_kind(pkg: Package) -> str | None:
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


def _manifest_type(pkg: Package) -> bytes:
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
            if len(zf.infolist()) > limits.MAX_ENTRIES:
                return None
            return package_kind(Package(zf))
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


def not_a_spreadsheet(pkg: Package) -> str:
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


def active_content(pkg: Package) -> list[Finding]:
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


def part_name(info: zipfile.ZipInfo) -> str:
    """A part's name, with the "/" separators of a package (some Windows tools write backslashes)."""
    return info.filename.replace("\\", "/")


def properties(
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
            Finding("", f"the document properties part {part_name(info)} is damaged and was not read ({damaged(exc)})")
        )
        return {}
