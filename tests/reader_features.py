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
    calamine_reads: bool = True  # the same for python-calamine
    libreoffice_opens: bool = True  # False where LibreOffice cannot open it, so there is no re-saved copy
    findings: tuple[tuple[str, str], ...] = ()  # (sheet, message) of what rai-xl says it did not read
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # of the first sheet
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
            calamine_reads=False,  # calamine drops the space ending a run written without xml:space="preserve"
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
        # calamine finds neither a target with ./ or ../, nor a workbook elsewhere, nor the variant type
        calamine = label in ("target-case-differs", "target-absolute")
        out.append(
            Feature(
                label,
                Xlsx({"S": cell}, **kw).bytes(),
                {"S": {(1, 1): "found"}},
                openpyxl_reads=reads,
                calamine_reads=calamine,
            )
        )
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
            calamine_reads=False,  # so does calamine, for the shared strings
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
    out.extend(issue_15_features())
    return out


def grid(rows: int = 1000, cols: int = 26) -> str:
    """Google Sheets' grid: every cell of rows x cols styled and empty, and no dimension element."""
    letters = [chr(65 + i) for i in range(cols)]
    return "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="1"/>' for c in letters) + "</row>" for r in range(1, rows + 1)
    )


def _in_grid(rows: str, cell: str) -> str:
    """*rows* with their empty cell A1 replaced by *cell*."""
    return rows.replace('<c r="A1" s="1"/>', cell, 1)


ROWS_NOT_READ = "rows after row 10000 were not read (rai-xl reads the first 10000 rows of a sheet)"
EXTERNAL_IGNORED = (
    "the file's external links (to other workbooks) and embedded objects were ignored: rai-xl never follows "
    "a link or opens an object, and a formula pointing at another workbook is not an answer"
)
EXTERNAL_LINK = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><externalLink xmlns="{MAIN}" xmlns:r="{DOC_REL}">'
    '<externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames>'
    '<sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1" t="str"><v>from the other book</v></cell></row>'
    "</sheetData></sheetDataSet></externalBook></externalLink>"
)


def _with_external_link_and_object(x: Xlsx) -> bytes:
    """*x* as Excel saves it after cells were pasted from another workbook and a document inserted."""
    parts = x.parts()
    parts["xl/externalLinks/externalLink1.xml"] = EXTERNAL_LINK
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = _rels(
        [("rId1", DOC_REL + "/externalLinkPath", "file:///C:/Users/official/Documents/Other.xlsx")]
    ).replace('"/>', '" TargetMode="External"/>')
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        "</Relationships>",
        f'<Relationship Id="rIdX" Type="{DOC_REL}/externalLink" Target="externalLinks/externalLink1.xml"/></Relationships>',
    )
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        "</sheets>", '</sheets><externalReferences><externalReference r:id="rIdX"/></externalReferences>'
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        "</Types>",
        '<Override PartName="/xl/externalLinks/externalLink1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/>'
        '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/></Types>',
    )
    parts["xl/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)
    return zip_parts(parts)


def _truncated(xml: str) -> str:
    return xml[: len(xml) // 2]


CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties '
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Questionnaire</dc:title>'
    "<dc:creator>A. Official</dc:creator></cp:coreProperties>"
)
APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties '
    'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>Microsoft Excel</Application></Properties>"
)
ODS_META = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-meta '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3"><office:meta>'
    '<meta:user-defined meta:name="rai_xl.country">LA</meta:user-defined></office:meta></office:document-meta>'
)


def _with_docprops(x: Xlsx, damaged: str) -> bytes:
    """*x* with core and app properties, the part *damaged* (a docProps/ name) cut off halfway."""
    parts = x.parts()
    parts["docProps/core.xml"] = CORE
    parts["docProps/app.xml"] = APP
    parts[damaged] = _truncated(str(parts[damaged]))
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(
        "</Relationships>",
        f'<Relationship Id="rIdC" Type="{PKG_REL[:-13]}/package/2006/relationships/metadata/core-properties" '
        'Target="docProps/core.xml"/>'
        f'<Relationship Id="rIdA" Type="{DOC_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>',
    )
    return zip_parts(parts)


def _windows_separators(data: bytes) -> bytes:
    """The zip *data* with every entry named with backslashes (xl\\worksheets\\sheet1.xml)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zip_parts({name.replace("/", "\\"): zf.read(name) for name in zf.namelist()})


def _without(data: bytes, entry: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zip_parts({name: zf.read(name) for name in zf.namelist() if name != entry})


def issue_15_features() -> list[Feature]:
    """Structures Excel and Google Sheets write every day, which the reader once refused or misread."""
    out = []
    # formulas filled down and across: one shared formula, its text on the first cell only
    shared = (
        '<row r="4">'
        + inline("A4", "doc 4")
        + number("B4", 4)
        + '<c r="F4" t="str"><f t="shared" ref="F4:F6" si="0">$A$1&amp;" "&amp;A4</f><v>Evidence: doc 4</v></c>'
        + '<c r="G4"><f t="shared" ref="G4:I5" si="1">B4*$B$1+Other!B$2</f><v>41</v></c>'
        + '<c r="H4"><f t="shared" si="1"/><v>2</v></c><c r="I4"><f t="shared" si="1"/><v>3</v></c></row>'
        '<row r="5">'
        + inline("A5", "doc 5")
        + number("B5", 5)
        + '<c r="F5" t="str"><f t="shared" si="0"/><v>Evidence: doc 5</v></c>'
        + '<c r="G5"><f t="shared" si="1"/><v>51</v></c><c r="H5"><f t="shared" si="1"/><v>2</v></c>'
        + '<c r="I5"><f t="shared" si="1"/><v>3</v></c></row>'
        '<row r="6">'
        + inline("A6", "doc 6")
        + number("B6", 6)
        + '<c r="F6" t="str"><f t="shared" si="0"/><v>Evidence: doc 6</v></c>'
        + '<c r="G6"><f t="shared" ref="G6:G7" si="2">SUM($B$4:B4)</f><v>4</v></c></row>'
        '<row r="7"><c r="G7"><f t="shared" si="2"/><v>9</v></c></row>'
    )
    rows = '<row r="1">' + inline("A1", "Evidence:") + number("B1", 10) + "</row>" + shared
    other = '<row r="2">' + number("B2", 1) + number("C2", 2) + number("D2", 3) + "</row>"
    out.append(
        Feature(
            "shared-formulas",
            Xlsx({"S": rows, "Other": other}).bytes(),
            {
                "S": {
                    (1, 1): "Evidence:",
                    (1, 2): 10.0,
                    **{(r, 1): f"doc {r}" for r in (4, 5, 6)},
                    **{(r, 2): float(r) for r in (4, 5, 6)},
                    **{(r, 6): f"Evidence: doc {r}" for r in (4, 5, 6)},
                    (4, 7): 41.0,
                    (4, 8): 2.0,
                    (4, 9): 3.0,
                    (5, 7): 51.0,
                    (5, 8): 2.0,
                    (5, 9): 3.0,
                    (6, 7): 4.0,
                    (7, 7): 9.0,
                },
                "Other": {(2, 2): 1.0, (2, 3): 2.0, (2, 4): 3.0},
            },
            formulas={
                (4, 6): '=$A$1&" "&A4',
                (5, 6): '=$A$1&" "&A5',
                (6, 6): '=$A$1&" "&A6',
                (4, 7): "=B4*$B$1+Other!B$2",
                (4, 8): "=C4*$B$1+Other!C$2",
                (4, 9): "=D4*$B$1+Other!D$2",
                (5, 7): "=B5*$B$1+Other!B$2",
                (5, 8): "=C5*$B$1+Other!C$2",
                (5, 9): "=D5*$B$1+Other!D$2",
                (6, 7): "=SUM($B$4:B4)",
                (7, 7): "=SUM($B$4:B5)",
            },
        )
    )
    # Google Sheets' grid on five sheets: 1,000 rows x 26 styled empty cells each
    empty = grid()
    styles = styles_xml({}, [0, 0])
    sheets = {f"Sheet{i}": _in_grid(empty, inline("A1", f"on sheet {i}")) for i in range(1, 6)}
    out.append(
        Feature(
            "google-grid",
            Xlsx(sheets, styles=styles).bytes(),
            {name: {(1, 1): f"on sheet {i}"} for i, name in enumerate(sheets, 1)},
        )
    )
    # zip entries named with Windows separators
    plain = Xlsx({"S": '<row r="1">' + inline("A1", "found") + number("B1", 2) + "</row>"}, shared=["x"])
    out.append(
        Feature(
            "windows-separators",
            _windows_separators(plain.bytes()),
            {"S": {(1, 1): "found", (1, 2): 2.0}},
            openpyxl_reads=False,  # openpyxl finds no xl/sharedStrings.xml (KeyError)
            libreoffice_opens=False,  # nor Gnumeric
        )
    )
    # an .ods without its mimetype entry, as Google Docs exports it
    out.append(
        Feature(
            "ods-no-mimetype",
            _without(ods_bytes({"T": "<table:table-row>" + ods_text_cell("found") + "</table:table-row>"}), "mimetype"),
            {"T": {(1, 1): "found"}},
            kind="ods",
            calamine_reads=False,  # calamine: "'mimetype' file not found in archive"
        )
    )
    # damaged document properties: the cells are intact
    cell = '<row r="1">' + inline("A1", "answer") + "</row>"
    for part in ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"):
        x = Xlsx({"S": cell}, properties={"rai_xl.country": "LA"})
        said = (
            (("", "the document properties part docProps/custom.xml is damaged and was not read (ParseError: "),)
            if part == "docProps/custom.xml"
            else ()
        )
        out.append(
            Feature(
                f"damaged-{part.split('/')[1].split('.')[0]}",
                _with_docprops(x, part),
                {"S": {(1, 1): "answer"}},
                openpyxl_reads=part == "docProps/app.xml",  # openpyxl fails on a damaged core.xml or custom.xml
                findings=said,
            )
        )
    ods = ods_bytes(
        {"T": "<table:table-row>" + ods_text_cell("answer") + "</table:table-row>"},
        extra={"meta.xml": _truncated(ODS_META)},
    )
    out.append(
        Feature(
            "damaged-meta",
            ods,
            {"T": {(1, 1): "answer"}},
            kind="ods",
            findings=(("", "the document properties part meta.xml is damaged and was not read (ParseError: "),),
            libreoffice_opens=False,  # LibreOffice refuses the whole file ("general input/output error")
        )
    )
    # external links and an embedded object: ignored, and said
    x = Xlsx(
        {
            "S": '<row r="1"><c r="A1" t="str"><f>[1]Sheet1!A1</f><v>from the other book</v></c>'
            + inline("B1", "typed")
            + "</row>"
        }
    )
    out.append(
        Feature(
            "external-link-and-object",
            _with_external_link_and_object(x),
            {"S": {(1, 1): "from the other book", (1, 2): "typed"}},
            findings=(("", EXTERNAL_IGNORED),),
            formulas={(1, 1): "=[1]Sheet1!A1"},
        )
    )
    # rows past the row bound: the first 10,000 are read, and the rest said
    rows = "".join(f'<row r="{r}">' + number(f"A{r}", r) + "</row>" for r in range(1, 10_006))
    out.append(
        Feature(
            "rows-past-bound",
            Xlsx({"S": rows}).bytes(),
            {"S": {(r, 1): float(r) for r in range(1, 10_001)}},
            findings=(("S", ROWS_NOT_READ),),
        )
    )
    ods_rows = '<table:table-row table:number-rows-repeated="10005">' + ods_text_cell("x") + "</table:table-row>"
    out.append(
        Feature(
            "ods-rows-past-bound",
            ods_bytes({"T": ods_rows}),
            {"T": {(r, 1): "x" for r in range(1, 10_001)}},
            kind="ods",
            findings=(("T", ROWS_NOT_READ),),
        )
    )
    # the 1904 date system at its ends: serial 0 is 1904-01-01; 2,957,003 is 9999-12-31
    rows = (
        '<row r="1">'
        + number("A1", 0, 1)
        + number("B1", 0.5, 2)
        + number("C1", 2957003, 1)
        + number("D1", 1462, 1)
        + "</row>"
    )
    out.append(
        Feature(
            "date1904-limits",
            Xlsx({"S": rows}, styles=date_styles(), date1904=True).bytes(),
            {
                "S": {
                    (1, 1): date(1904, 1, 1),
                    (1, 2): datetime(1904, 1, 1, 12, 0),
                    (1, 3): date(9999, 12, 31),
                    (1, 4): date(1908, 1, 2),
                }
            },
            # openpyxl reads serials under 1 as numbers and calamine as times of day in the 1904 system too,
            # where serial 0 is 1904-01-01 (ECMA-376 Part 1, 18.17.4.1)
            openpyxl_reads=False,
            calamine_reads=False,
        )
    )
    return out
