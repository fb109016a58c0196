"""Small .xlsx and .ods files built by hand, each showing one thing a real writer does.

Used by tests/test_reader.py (exact values) and tests/realclient/test_reader_differential.py
(the same files read by openpyxl / odfpy too). Every file is made here from XML text: nothing
binary is committed.
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_DOC_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
BOOK_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
SST_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
STYLES_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"

ODS_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
}


def zip_parts(parts: dict[str, bytes | str], stored: tuple[str, ...] = ()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data, zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED)
    return out.getvalue()


# ---------------------------------------------------------------- xlsx


def styles_xml(num_fmts: dict[int, str], xf_fmt_ids: list[int], ns: str = MAIN) -> str:
    """A styles part whose cellXfs give style i the number format xf_fmt_ids[i]."""
    fmts = "".join(f'<numFmt numFmtId="{i}" formatCode="{_attr(code)}"/>' for i, code in num_fmts.items())
    xfs = "".join(f'<xf numFmtId="{i}" fontId="0" fillId="0" borderId="0" xfId="0"/>' for i in xf_fmt_ids)
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="{ns}">'
        + (f'<numFmts count="{len(num_fmts)}">{fmts}</numFmts>' if num_fmts else "")
        + '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        + '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        + '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        + f'<cellXfs count="{len(xf_fmt_ids)}">{xfs}</cellXfs>'
        + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        + "</styleSheet>"
    )


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sst_xml(strings: list[str], ns: str = MAIN) -> str:
    items = "".join(s if s.startswith("<si>") else f'<si><t xml:space="preserve">{_text(s)}</t></si>' for s in strings)
    n = len(strings)
    return f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{ns}" count="{n}" uniqueCount="{n}">{items}</sst>'


def sheet_xml(rows: str, ns: str = MAIN) -> str:
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}" xmlns:r="{DOC_REL}">'
    return f"{head}<sheetData>{rows}</sheetData></worksheet>"


@dataclass
class Xlsx:
    """The parts of a small workbook, as names and XML text, to change before zipping."""

    sheets: dict[str, str]  # sheet name -> sheetData rows XML
    shared: list[str] | None = None
    styles: str | None = None
    date1904: bool = False
    properties: dict[str, str] = field(default_factory=dict)
    book_part: str = "xl/workbook.xml"
    sheet_parts: list[str] | None = None  # zip names of the sheets (default xl/worksheets/sheetN.xml)
    sheet_targets: list[str] | None = None  # relationship targets of the sheets (default worksheets/sheetN.xml)
    shared_part: str = "xl/sharedStrings.xml"
    styles_part: str = "xl/styles.xml"
    custom_part: str = "docProps/custom.xml"
    sheet_rel_type: str = DOC_REL + "/worksheet"
    ns: str = MAIN
    rel_ns: str = DOC_REL
    extra: dict[str, bytes | str] = field(default_factory=dict)

    def parts(self) -> dict[str, bytes | str]:
        folder = self.book_part.rsplit("/", 1)[0]
        n = len(self.sheets)
        sheet_parts = self.sheet_parts or [f"{folder}/worksheets/sheet{i + 1}.xml" for i in range(n)]
        targets = self.sheet_targets or [p[len(folder) + 1 :] for p in sheet_parts]
        overrides = [(self.book_part, BOOK_CT)] + [(p, SHEET_CT) for p in sheet_parts]
        rels = [(f"rId{i + 1}", self.sheet_rel_type, t) for i, t in enumerate(targets)]
        parts: dict[str, bytes | str] = {}
        if self.shared is not None:
            parts[self.shared_part] = sst_xml(self.shared, self.ns)
            overrides.append((self.shared_part, SST_CT))
            rels.append(("rIdS", self.rel_ns + "/sharedStrings", _relative(folder, self.shared_part)))
        if self.styles is not None:
            parts[self.styles_part] = self.styles
            overrides.append((self.styles_part, STYLES_CT))
            rels.append(("rIdT", self.rel_ns + "/styles", _relative(folder, self.styles_part)))
        root_rels = [("rId1", self.rel_ns + "/officeDocument", self.book_part)]
        if self.properties:
            props = "".join(
                f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i + 2}" name="{_attr(k)}">'
                f"<vt:lpwstr>{_text(v)}</vt:lpwstr></property>"
                for i, (k, v) in enumerate(self.properties.items())
            )
            parts[self.custom_part] = (
                f'<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="{CUSTOM_NS}" xmlns:vt="{VT}">{props}</Properties>'
            )
            overrides.append((self.custom_part, CUSTOM_CT))
            root_rels.append(("rId2", self.rel_ns + "/custom-properties", self.custom_part))
        sheets = "".join(
            f'<sheet name="{_attr(name)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, name in enumerate(self.sheets)
        )
        pr = '<workbookPr date1904="1"/>' if self.date1904 else "<workbookPr/>"
        parts[self.book_part] = (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{self.ns}" xmlns:r="{self.rel_ns}">'
            f"{pr}<sheets>{sheets}</sheets></workbook>"
        )
        for p, rows in zip(sheet_parts, self.sheets.values(), strict=True):
            parts[p] = sheet_xml(rows, self.ns)
        parts[f"{folder}/_rels/{self.book_part.rsplit('/', 1)[1]}.rels"] = _rels(rels)
        parts["_rels/.rels"] = _rels(root_rels)
        parts["[Content_Types].xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{CT}">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="png" ContentType="image/png"/>'
            + "".join(f'<Override PartName="/{p}" ContentType="{ct}"/>' for p, ct in overrides)
            + "</Types>"
        )
        parts.update(self.extra)
        return parts

    def bytes(self) -> bytes:
        return zip_parts(self.parts())


def _relative(folder: str, part: str) -> str:
    return part[len(folder) + 1 :] if part.startswith(folder + "/") else "/" + part


def _rels(rels: list[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{_attr(target)}"/>' for i, t, target in rels)
    return f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">{body}</Relationships>'


def inline(ref: str | None, text: str, extra: str = "") -> str:
    r = f' r="{ref}"' if ref else ""
    return f'<c{r} t="inlineStr"><is><t xml:space="preserve">{_text(text)}</t>{extra}</is></c>'


def number(ref: str | None, value: float | str, style: int | None = None) -> str:
    r = f' r="{ref}"' if ref else ""
    s = f' s="{style}"' if style is not None else ""
    return f"<c{r}{s}><v>{value}</v></c>"


# ---------------------------------------------------------------- ods


def ods_content(tables: dict[str, str]) -> str:
    xmlns = " ".join(f'xmlns:{k}="{v}"' for k, v in ODS_NS.items())
    body = "".join(f'<table:table table:name="{_attr(name)}">{rows}</table:table>' for name, rows in tables.items())
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {xmlns} office:version="1.3">'
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"
    )


MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "{extra}</manifest:manifest>"
)


def ods_bytes(
    tables: dict[str, str],
    mimetype: str = "application/vnd.oasis.opendocument.spreadsheet",
    manifest_extra: str = "",
    extra: dict[str, bytes | str] | None = None,
) -> bytes:
    parts: dict[str, bytes | str] = {
        "mimetype": mimetype,
        "content.xml": ods_content(tables),
        "META-INF/manifest.xml": MANIFEST.format(extra=manifest_extra),
    }
    parts.update(extra or {})
    return zip_parts(parts, stored=("mimetype",))


def ods_text_cell(*paragraphs: str, attrs: str = "", annotation: str | None = None) -> str:
    note = (
        f"<office:annotation><dc:creator>A. Reviewer</dc:creator><text:p>{_text(annotation)}</text:p></office:annotation>"
        if annotation is not None
        else ""
    )
    body = "".join(f"<text:p>{_text(p)}</text:p>" for p in paragraphs)
    return f'<table:table-cell office:value-type="string" calcext:value-type="string"{attrs}>{note}{body}</table:table-cell>'


# ---------------------------------------------------------------- OLE compound files


def ole_file(streams: list[str]) -> bytes:
    """A minimal OLE compound file whose directory lists *streams* (enough for the reader's scan)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HH", header, 24, 0x3E, 3)  # minor, major version
    struct.pack_into("<HH", header, 28, 0xFFFE, 9)  # byte order, sector shift (512)
    struct.pack_into("<I", header, 48, 0)  # first directory sector
    entries = bytearray()
    for i, (name, kind) in enumerate([("Root Entry", 5)] + [(s, 2) for s in streams]):
        entry = bytearray(128)
        raw = name.encode("utf-16-le") + b"\0\0"
        entry[: len(raw)] = raw
        struct.pack_into("<HB", entry, 64, len(raw), kind)
        entries += entry
        del i
    while len(entries) % 512:
        entries += bytes(128)
    return bytes(header) + bytes(entries) + bytes(512)


# ---------------------------------------------------------------- the shared feature corpus


@dataclass(frozen=True)
class Feature:
    """One hand-made file and the cells rai-xl must read from it: {sheet: {(row, col): value}}."""

    name: str
    data: bytes
    expected: dict[str, dict[tuple[int, int], object]]
    kind: str = "xlsx"
    openpyxl_reads: bool = True  # False where openpyxl cannot open the file or reads it against the standard
    # (openpyxl values are compared as tests/realclient/test_reader_differential.py normalises them:
    # datetimes at midnight as dates, times and durations as fractions of a day)


def date_styles() -> str:
    """Styles 0-7: General, 14 (date), custom date-time, quoted 'days' text, [Red] colour, 22, 46 (elapsed), locale date."""
    return styles_xml(
        {164: "yyyy-mm-dd hh:mm", 165: '0.00" days"', 166: "[Red]0.00", 167: "[$-409]d-mmm-yy;@"},
        [0, 14, 164, 165, 166, 22, 46, 167],
    )


def features() -> list[Feature]:
    out = []
    # cells and rows without r: a cell is the column after the previous one, a row the one after the previous
    rows = (
        '<row r="2">' + inline(None, "a") + inline(None, "b") + inline("E2", "e") + inline(None, "f") + "</row>"
        "<row>" + inline(None, "next row") + "</row>"
        "<row><c><v>7</v></c></row>"
    )
    out.append(
        Feature(
            "no-r-attributes",
            Xlsx({"S": rows}).bytes(),
            {"S": {(2, 1): "a", (2, 2): "b", (2, 5): "e", (2, 6): "f", (3, 1): "next row", (4, 1): 7.0}},
        )
    )
    # dates and numbers by number format
    rows = (
        '<row r="1">'
        + number("A1", 45306, 1)
        + number("B1", 45306.5, 2)
        + number("C1", 45306, 3)
        + number("D1", 45306, 4)
        + number("E1", 20240115, 0)
        + number("F1", 45306.25, 5)
        + number("G1", 1.5, 6)
        + number("H1", 45306, 7)
        + number("I1", 3.25)
        + "</row>"
    )
    out.append(
        Feature(
            "dates-by-number-format",
            Xlsx({"S": rows}, styles=date_styles()).bytes(),
            {
                "S": {
                    (1, 1): date(2024, 1, 15),
                    (1, 2): datetime(2024, 1, 15, 12, 0),
                    (1, 3): 45306.0,
                    (1, 4): 45306.0,
                    (1, 5): 20240115.0,
                    (1, 6): datetime(2024, 1, 15, 6, 0),
                    (1, 7): 1.5,
                    (1, 8): date(2024, 1, 15),
                    (1, 9): 3.25,
                }
            },
        )
    )
    out.append(
        Feature(
            "date1904",
            Xlsx({"S": '<row r="1">' + number("A1", 43844, 1) + "</row>"}, styles=date_styles(), date1904=True).bytes(),
            {"S": {(1, 1): date(2024, 1, 15)}},
        )
    )
    rows = (
        '<row r="1"><c r="A1" t="d"><v>2024-01-15T00:00:00</v></c><c r="B1" t="d"><v>2024-01-15T10:30:00</v></c>'
        '<c r="C1" t="str"><f>A1&amp;"x"</f><v>text result</v></c>'
        '<c r="D1" t="e"><f>NA()</f><v>#N/A</v></c>'
        '<c r="E1" t="b"><v>1</v></c><c r="F1" t="b"><v>0</v></c>'
        '<c r="G1" t="inlineStr"><is><r><t>rich </t></r><r><rPr><b/></rPr><t>text</t></r></is></c>'
        "</row>"
    )
    out.append(
        Feature(
            "cell-types",
            Xlsx({"S": rows}).bytes(),
            {
                "S": {
                    (1, 1): date(2024, 1, 15),
                    (1, 2): datetime(2024, 1, 15, 10, 30),
                    (1, 3): "text result",
                    (1, 4): "#N/A",
                    (1, 5): True,
                    (1, 6): False,
                    (1, 7): "rich text",
                }
            },
        )
    )
    # Excel's _xHHHH_ escapes, in shared and inline strings; phonetic runs are not text
    shared = [
        "line one_x000D_",
        "literal _x005F_x000D_ stays",
        '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si>',
    ]
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
        + inline("D1", "tab_x0009_here")
        + inline("E1", "大阪", '<rPh sb="0" eb="2"><t>オオサカ</t></rPh>')
        + "</row>"
    )
    out.append(
        Feature(
            "escapes-and-phonetics",
            Xlsx({"S": rows}, shared=shared).bytes(),
            {
                "S": {
                    (1, 1): "line one\r",
                    (1, 2): "literal _x000D_ stays",
                    (1, 3): "東京",
                    (1, 4): "tab\there",
                    (1, 5): "大阪",
                }
            },
            openpyxl_reads=False,  # openpyxl leaves _xHHHH_ escapes as they are
        )
    )
    # parts found through relationships, whatever their names and however the targets are written
    cell = '<row r="1">' + inline("A1", "found") + "</row>"
    for label, kw in (
        ("target-case-differs", {"sheet_targets": ["worksheets/Sheet1.XML"]}),
        ("target-absolute", {"sheet_targets": ["/xl/worksheets/sheet1.xml"]}),
        ("target-dot-slash", {"sheet_targets": ["./worksheets/sheet1.xml"]}),
        ("target-dot-dot", {"sheet_targets": ["../xl/worksheets/sheet1.xml"]}),
        ("workbook-elsewhere", {"book_part": "data/book.xml"}),
        ("sheet-rel-type-variant", {"sheet_rel_type": "http://schemas.microsoft.com/office/2006/relationships/xlWorksheet"}),
    ):
        # openpyxl looks parts up case-sensitively: it does not find the first one's sheet
        reads = label != "target-case-differs"
        out.append(Feature(label, Xlsx({"S": cell}, **kw).bytes(), {"S": {(1, 1): "found"}}, openpyxl_reads=reads))
    out.append(
        Feature(
            "parts-by-relationship",
            Xlsx(
                {"S": '<row r="1"><c r="A1" t="s"><v>0</v></c>' + number("B1", 45306, 1) + "</row>"},
                shared=["from strings.xml"],
                shared_part="xl/strings.xml",
                styles=date_styles(),
                styles_part="xl/looks.xml",
                properties={"rai_xl.template_id": "x"},
                custom_part="docProps/props.xml",
            ).bytes(),
            {"S": {(1, 1): "from strings.xml", (1, 2): date(2024, 1, 15)}},
            openpyxl_reads=False,  # openpyxl fails (IndexError): it looks for the styles at xl/styles.xml only
        )
    )
    # ods: comments are not text; repeated rows and columns carry their content
    tables = {
        "T": (
            "<table:table-row>"
            + ods_text_cell("answer", annotation="a reviewer's comment")
            + '<table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="3">'
            "<text:p>3</text:p></table:table-cell>" + ods_text_cell("first line", "second line") + "</table:table-row>"
            '<table:table-row table:number-rows-repeated="3">'
            + ods_text_cell("same")
            + '<table:table-cell table:number-columns-repeated="1020"/></table:table-row>'
            "<table:table-row>"
            '<table:table-cell office:value-type="date" office:date-value="2024-01-15">'
            "<text:p>15/01/24</text:p></table:table-cell>"
            '<table:table-cell office:value-type="date" office:date-value="2024-01-15T10:30:00">'
            "<text:p>x</text:p></table:table-cell>"
            '<table:table-cell office:value-type="boolean" office:boolean-value="true">'
            "<text:p>TRUE</text:p></table:table-cell>"
            '<table:table-cell office:value-type="percentage" office:value="0.25"><text:p>25%</text:p></table:table-cell>'
            '<table:table-cell table:formula="of:=NA()" office:value-type="string" office:string-value="" '
            'calcext:value-type="error"><text:p>#N/A</text:p></table:table-cell>'
            "</table:table-row>"
            '<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/>'
            "</table:table-row>"
        )
    }
    out.append(
        Feature(
            "ods-comments-repeats-dates",
            ods_bytes(tables),
            {
                "T": {
                    (1, 1): "answer",
                    (1, 2): 3.0,
                    (1, 3): 3.0,
                    (1, 4): "first line\nsecond line",
                    (2, 1): "same",
                    (3, 1): "same",
                    (4, 1): "same",
                    (5, 1): date(2024, 1, 15),
                    (5, 2): datetime(2024, 1, 15, 10, 30),
                    (5, 3): True,
                    (5, 4): 0.25,
                    (5, 5): "#N/A",
                }
            },
            kind="ods",
        )
    )
    return out
