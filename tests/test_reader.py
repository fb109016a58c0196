"""The bounded reader (rai_xl/read/spreadsheet/) on small hand-made files: exact values, exact messages."""

from __future__ import annotations

import dataclasses
import io
import math
import random
import warnings
import zipfile
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rai_xl.read import spreadsheet
from rai_xl.read.spreadsheet import (
    PASSWORD,
    Cell,
    Finding,
    Sheet,
    UnreadableFile,
    excel_date,
    is_date_format,
    limits,
    read_workbook,
    spreadsheet_kind,
    xlsx,
)
from rai_xl.read.spreadsheet.boundedxml import _deeper
from tests.reader_features import (
    EXTERNAL_LINK,
    MAIN,
    MANIFEST,
    STRICT_DOC_REL,
    STRICT_MAIN,
    Xlsx,
    date_styles,
    features,
    grid,
    inline,
    number,
    ods_bytes,
    ods_content,
    ods_text_cell,
    ole_file,
    styles_xml,
    zip_parts,
)

FEATURES = {f.name: f for f in features()}


def cells(data: bytes, sheet: str = "S", wanted=None, links: bool = True) -> dict[tuple[int, int], object]:
    wb = read_workbook(data, wanted, links=links)
    return {k: c.value for k, c in wb.sheet(sheet).cells.items()}


def reason(data: bytes) -> str:
    with pytest.raises(UnreadableFile) as exc:
        read_workbook(data)
    return str(exc.value)


@pytest.mark.parametrize("name", sorted(FEATURES))
def test_feature_files_read_exactly(name: str) -> None:
    feature = FEATURES[name]
    wb = read_workbook(feature.data)
    assert wb.format == feature.kind
    for sheet, expected in feature.expected.items():
        got = {k: c.value for k, c in wb.sheet(sheet).cells.items()}
        assert got == expected
        for k, v in expected.items():  # a date is a date, not a datetime at midnight; a float is a float
            assert type(got[k]) is type(v), (k, got[k], v)
    # what it says it did not read: each message exactly (a parser's own words after the given start)
    said = [(f.sheet, f.message[: len(m)]) for f, (_, m) in zip(wb.findings, feature.findings, strict=False)]
    assert (said, len(wb.findings)) == (list(feature.findings), len(feature.findings))
    if feature.formulas:
        first = wb.sheets[0]
        assert {k: c.formula for k, c in first.cells.items() if c.formula} == feature.formulas


# ---------------------------------------------------------------- item 1: pictures are fine


def _with_picture(size: int, seed: int = 1) -> bytes:
    parts = Xlsx({"S": '<row r="1">' + inline("A1", "answer") + "</row>"}).parts()
    parts["xl/media/image1.png"] = random.Random(seed).randbytes(size)
    return zip_parts(parts, stored=("xl/media/image1.png",))


def test_large_pasted_pictures_are_read_and_never_decompressed(opened_parts: list[str]) -> None:
    data = _with_picture(int(11.4 * 1024 * 1024))
    assert len(data) > 11 * 1024 * 1024
    opened = opened_parts
    opened.clear()  # building the file opened its parts
    assert cells(data) == {(1, 1): "answer"}
    assert not [n for n in opened if "media" in n]


def test_pictures_of_zeros_are_not_a_zip_bomb() -> None:
    parts = Xlsx({"S": '<row r="1">' + inline("A1", "answer") + "</row>"}).parts()
    parts["xl/media/image1.png"] = b"\0" * (5 * 1024 * 1024)
    parts["Pictures/screenshot.png"] = b"\0" * (5 * 1024 * 1024)
    assert cells(zip_parts(parts)) == {(1, 1): "answer"}


def test_file_size_message_rounds_honestly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 10 * 1024 * 1024)
    data = _with_picture(int(10.4 * 1024 * 1024))
    assert reason(data) == f"the file is {len(data) / 1024 / 1024:.1f} MB; a questionnaire is well under 10 MB"
    assert reason(data) == "the file is 10.4 MB; a questionnaire is well under 10 MB"


def test_raw_file_cap_is_200_mb() -> None:
    assert limits.MAX_FILE_BYTES == 200 * 1024 * 1024


def test_parsed_part_size_message_rounds_honestly() -> None:
    parts = Xlsx({"S": ""}).parts()
    rng = random.Random(3)
    # compressible text: bounded by its declared size
    text = "".join(rng.choice("abcdefghij") for _ in range(int(9.46 * 1024 * 1024)))
    parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}"><si><t>{text}</t></si></sst>'
    size = len(parts["xl/sharedStrings.xml"])
    assert f"{size / 1024 / 1024:.1f}" == "9.5"
    assert reason(zip_parts(parts)) == (
        "part xl/sharedStrings.xml would expand to 9.5 MB; the parts of a questionnaire are well under 8 MB"
    )


def test_a_part_that_compresses_well_is_read() -> None:
    """10,000 rows alike compress over 200-fold (Gnumeric writes such an .ods): the bytes are bounded, not the ratio."""
    data = Xlsx({"S": ("<row>" + inline(None, "same") + "</row>") * 10_000}).bytes()
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > 200 * info.compress_size
    assert len(cells(data)) == 10_000


def test_oddly_named_part_is_bounded_when_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    """A part the reader opens is bounded even when its name does not end in .xml."""
    x = Xlsx({"S": '<row r="1">' + inline("A1", "x") + "</row>"}, sheet_parts=["xl/worksheets/sheet1.bin"])
    data = x.bytes()
    assert cells(data) == {(1, 1): "x"}
    monkeypatch.setattr(limits, "MAX_PART_BYTES", 100)
    assert reason(data).startswith("part xl/")


# ---------------------------------------------------------------- item 2: dates and numbers


@pytest.mark.parametrize(
    ("code", "is_date"),
    [
        ("yyyy-mm-dd", True),
        ("YYYY\\-MM\\-DD", True),
        ("d/m/yyyy", True),
        ("[$-409]d-mmm-yy;@", True),
        ("[$-th-TH,107]d mmmm bbbb", True),
        ("h:mm AM/PM", True),
        ("hh:mm:ss", True),
        ("0.00", False),
        ("General", False),
        ("#,##0", False),
        ('0.00" days"', False),
        ("[Red]0.00", False),
        ("0.00E+00", False),
        ("\\d0", False),
        ("_d0", False),
        ("@", False),
        ("[h]:mm:ss", False),
        ("[mm]:ss", False),
        ("0;-0;;@", False),
        ('"Year" 0', False),
    ],
)
def test_date_format_codes(code: str, is_date: bool) -> None:
    assert is_date_format(code) is is_date


@pytest.mark.parametrize(
    ("serial", "date1904", "expected"),
    [
        (45306, False, date(2024, 1, 15)),
        (45306.5, False, datetime(2024, 1, 15, 12, 0)),
        (45306.000000001, False, date(2024, 1, 15)),  # under a millisecond: no time of day
        (43844, True, date(2024, 1, 15)),
        (1, False, date(1900, 1, 1)),
        (59, False, date(1900, 2, 28)),
        (61, False, date(1900, 3, 1)),
        (0.5, False, 0.5),  # a time of day without a date stays a number
        (-1, False, -1),
        (3e6, False, 3e6),
    ],
)
def test_excel_serials(serial: float, date1904: bool, expected: object) -> None:
    got = excel_date(serial, date1904)
    assert got == expected
    assert type(got) is type(expected)


def test_booleans_in_every_spelling() -> None:
    rows = '<row r="1">' + "".join(f'<c t="b"><v>{v}</v></c>' for v in ("1", "0", "true", "FALSE", "TRUE", " 1 ")) + "</row>"
    assert cells(Xlsx({"S": rows}).bytes()) == {
        (1, 1): True,
        (1, 2): False,
        (1, 3): True,
        (1, 4): False,
        (1, 5): True,
        (1, 6): True,
    }


def test_number_stays_a_float_without_styles() -> None:
    data = Xlsx({"S": '<row r="1">' + number("A1", 20240115) + number("B1", "1.5E+3") + "</row>"}).bytes()
    assert cells(data) == {(1, 1): 20240115.0, (1, 2): 1500.0}


def test_styles_read_only_when_a_number_needs_them(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = xlsx.Xlsx._read_number_styles
    monkeypatch.setattr(xlsx.Xlsx, "_read_number_styles", lambda self: calls.append(1) or real(self))
    text_only = Xlsx({"S": '<row r="1">' + inline("A1", "x") + "</row>"}, styles=date_styles()).bytes()
    read_workbook(text_only)
    assert calls == []
    read_workbook(FEATURES["dates-by-number-format"].data)
    assert calls == [1]


def test_styles_parsing_stops_after_cell_formats() -> None:
    # what follows the cell formats is never fed to the parser (chunks are 16 KiB)
    styles = date_styles().replace("</cellXfs>", "</cellXfs><!--" + "x" * 40_000 + "--><broken")
    data = Xlsx({"S": '<row r="1">' + number("A1", 45306, 1) + "</row>"}, styles=styles).bytes()
    assert cells(data) == {(1, 1): date(2024, 1, 15)}


def test_cached_date_styles_follow_the_bytes() -> None:
    a = Xlsx({"S": '<row r="1">' + number("A1", 45306, 1) + "</row>"}, styles=date_styles()).bytes()
    plain = date_styles().replace('numFmtId="14"', 'numFmtId="2"', 1)
    b = Xlsx({"S": '<row r="1">' + number("A1", 45306, 1) + "</row>"}, styles=plain).bytes()
    assert cells(a) == {(1, 1): date(2024, 1, 15)}
    assert cells(b) == {(1, 1): 45306.0}
    assert cells(a) == {(1, 1): date(2024, 1, 15)}


def test_ods_time_is_a_fraction_of_a_day() -> None:
    data = ods_bytes(
        {
            "T": '<table:table-row><table:table-cell office:value-type="time" office:time-value="PT12H30M00S">'
            "<text:p>12:30</text:p></table:table-cell></table:table-row>"
        }
    )
    assert cells(data, "T") == {(1, 1): 12.5 / 24}


# ---------------------------------------------------------------- item 3: legal or common XML


def test_escaped_surrogate_pairs_are_joined() -> None:
    rows = '<row r="1">' + inline("A1", "smile _xD83D__xDE00_") + inline("B1", "alone _xD800_") + "</row>"
    assert cells(Xlsx({"S": rows}).bytes()) == {(1, 1): "smile \U0001f600", (1, 2): "alone \ufffd"}


def test_shared_string_index_out_of_range_is_an_error() -> None:
    rows = '<row r="5"><c r="D5" t="s"><v>999</v></c></row>'
    data = Xlsx({"Criteria": rows}, shared=["x"] * 120).bytes()
    assert reason(data) == "sheet 'Criteria' cell D5 refers to shared string 999, but the file has 120"


def test_shared_string_index_not_a_number_is_an_error() -> None:
    rows = '<row><c><v>1</v></c><c t="s"><v>abc</v></c></row>'
    data = Xlsx({"Criteria": rows}, shared=["x"]).bytes()
    assert reason(data) == "sheet 'Criteria' cell B1 refers to shared string 'abc', but the file has 1"


def test_shared_string_without_a_table_is_an_error() -> None:
    data = Xlsx({"Criteria": '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'}).bytes()
    assert reason(data) == "sheet 'Criteria' cell A1 refers to shared string 0, but the file has 0"


def test_strict_open_xml_is_refused_with_its_own_reason() -> None:
    data = Xlsx({"S": '<row r="1">' + inline("A1", "x") + "</row>"}, ns=STRICT_MAIN, rel_ns=STRICT_DOC_REL).bytes()
    assert spreadsheet_kind(data) == "xlsx"
    assert reason(data) == "saved as Strict Open XML: save it as an ordinary Excel Workbook (.xlsx)"


def test_custom_properties_found_through_the_package_relationships() -> None:
    x = Xlsx({"S": ""}, properties={"rai_xl.country": "LA"}, custom_part="docProps/other.xml")
    assert read_workbook(x.bytes()).properties == {"rai_xl.country": "LA"}
    x = Xlsx({"S": ""}, properties={"rai_xl.country": "LA"})
    parts = x.parts()
    parts["_rels/.rels"] = parts["_rels/.rels"].replace("custom-properties", "nothing-known")
    assert read_workbook(zip_parts(parts)).properties == {"rai_xl.country": "LA"}  # docProps/custom.xml by name


def test_only_wanted_sheets_are_read_but_all_are_listed() -> None:
    data = Xlsx(
        {"A": '<row r="1">' + inline("A1", "a") + "</row>", "B": '<row r="1">' + inline("A1", "b") + "</row>"}
    ).bytes()
    wb = read_workbook(data, wanted=["B"])
    assert [(s.name, len(s.cells)) for s in wb.sheets] == [("A", 0), ("B", 1)]


def test_repeated_ods_row_is_bounded() -> None:
    """A row of content repeated a million times is spread over MAX_ROW rows at most, then the cell cap."""
    rows = '<table:table-row table:number-rows-repeated="1000000">' + ods_text_cell("x") + "</table:table-row>"
    wb = read_workbook(ods_bytes({"T": rows}))
    assert len(wb.sheet("T").cells) == limits.MAX_ROW
    wide = (
        '<table:table-row table:number-rows-repeated="1000000">'
        + ods_text_cell("x", attrs=' table:number-columns-repeated="50"')
        + "</table:table-row>"
    )
    assert reason(ods_bytes({"T": wide})) == (
        f"the file holds more than {limits.MAX_CELLS} cells; a questionnaire holds about 500"
    )


def test_repeated_ods_cells_are_bounded_over_the_whole_file() -> None:
    row = (
        '<table:table-row table:number-rows-repeated="100">'
        + ods_text_cell("x", attrs=' table:number-columns-repeated="100"')
        + "</table:table-row>"
    )
    tables = {f"T{i}": row for i in range(11)}  # 10,000 cells on each of 11 sheets
    expected = f"the file holds more than {limits.MAX_CELLS} cells; a questionnaire holds about 500"
    assert reason(ods_bytes(tables)) == expected


def test_ods_spaces_are_bounded() -> None:
    rows = (
        '<table:table-row><table:table-cell><text:p>a<text:s text:c="999999999"/>b</text:p>'
        "</table:table-cell></table:table-row>"
    )
    assert cells(ods_bytes({"T": rows}), "T") == {(1, 1): "a" + " " * limits.MAX_SPACES + "b"}


def test_ods_table_inside_a_cell_is_not_a_sheet() -> None:
    sub = (
        '<table:table-cell><table:table table:name="inner" table:is-sub-table="true">'
        "<table:table-row>" + ods_text_cell("inner") + "</table:table-row></table:table></table:table-cell>"
    )
    rows = f"<table:table-row>{sub}</table:table-row><table:table-row>{ods_text_cell('after')}</table:table-row>"
    wb = read_workbook(ods_bytes({"T": rows}))
    assert [s.name for s in wb.sheets] == ["T"]
    assert {k: c.value for k, c in wb.sheet("T").cells.items()} == {(2, 1): "after"}


def test_ods_content_is_parsed_once(opened_parts: list[str]) -> None:
    opened = opened_parts
    read_workbook(FEATURES["ods-comments-repeats-dates"].data)
    assert opened.count("content.xml") == 1


# ---------------------------------------------------------------- item 4: encrypted files


def test_password_protected_ods() -> None:
    entry = (
        '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml">'
        '<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" '
        'manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" '
        'manifest:initialisation-vector="AAAA"/></manifest:encryption-data></manifest:file-entry>'
    )
    data = ods_bytes({"T": ""}, manifest_extra=entry)
    assert reason(data) == PASSWORD == "password-protected: ask for a copy saved without a password"


def test_password_protected_xlsx_is_an_ole_file_with_encrypted_package() -> None:
    data = ole_file(["\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"])
    assert reason(data) == "password-protected: ask for a copy saved without a password"
    assert spreadsheet_kind(data) is None


def test_legacy_xls_keeps_its_message() -> None:
    for streams in (["Workbook", "\x05SummaryInformation"], ["Book"], []):
        assert reason(ole_file(streams)) == spreadsheet.LEGACY
    # the name of an encrypted stream as cell text somewhere in an .xls is not a directory entry
    text = "EncryptedPackage".encode("utf-16-le")
    assert reason(ole_file(["Workbook"]) + b"x" + text + b"\0\0" + bytes(200)) == spreadsheet.LEGACY


# ---------------------------------------------------------------- item 5: content sniffing


def test_spreadsheet_kind_by_content() -> None:
    assert spreadsheet_kind(Xlsx({"S": ""}).bytes()) == "xlsx"
    assert spreadsheet_kind(Xlsx({"S": ""}, book_part="data/book.xml").bytes()) == "xlsx"
    assert spreadsheet_kind(ods_bytes({"T": ""})) == "ods"
    assert spreadsheet_kind(_docx()) is None
    assert spreadsheet_kind(ods_bytes({"T": ""}, mimetype="application/vnd.oasis.opendocument.text")) is None
    assert spreadsheet_kind(b"Q1,Yes\nQ2,No\n") is None
    assert spreadsheet_kind(b"") is None
    assert spreadsheet_kind(b"PK\x03\x04 not really a zip") is None
    assert spreadsheet_kind(zip_parts({"readme.txt": "hello"})) is None


def _docx() -> bytes:
    return zip_parts(
        {
            "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
            "word/document.xml": "<document/>",
        }
    )


def test_other_office_documents_are_named() -> None:
    assert reason(_docx()) == "this is a Word document (.docx), not a spreadsheet"
    pptx = zip_parts({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"})
    assert reason(pptx) == "this is a PowerPoint presentation (.pptx), not a spreadsheet"
    odt = ods_bytes({"T": ""}, mimetype="application/vnd.oasis.opendocument.text")
    assert reason(odt) == "this is an OpenDocument text document (.odt), not a spreadsheet"
    xlsb = zip_parts({"[Content_Types].xml": "<Types/>", "xl/workbook.bin": b"\0"})
    assert reason(xlsb) == "this is an Excel Binary Workbook (.xlsb): save it as an ordinary Excel Workbook (.xlsx)"
    assert reason(zip_parts({"readme.txt": "hello"})) == "this zip is not an .xlsx or .ods spreadsheet"


# ---------------------------------------------------------------- item 6: dead code gone


def test_public_shapes() -> None:
    assert [f.name for f in dataclasses.fields(Cell)] == ["value", "formula", "format"]
    assert [f.name for f in dataclasses.fields(Sheet)] == ["name", "cells", "comments", "links"]
    assert Cell("x") == Cell("x", "")


# ---------------------------------------------------------------- never a traceback


def test_names_from_the_file_cannot_break_the_line() -> None:
    parts = Xlsx({"Crit-eria": '<row r="5"><c r="D5" t="s"><v>3</v></c></row>'}, shared=["x"]).parts()
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace("Crit-eria", "Crit&#10;eria")
    data = zip_parts(parts)
    assert read_workbook(data, wanted=[]).sheets[0].name == "Crit\neria"
    assert reason(data) == "sheet 'Crit eria' cell D5 refers to shared string 3, but the file has 1"


def test_zip_of_an_unknown_version_is_damaged() -> None:
    data = bytearray(FEATURES["parts-by-relationship"].data)
    at = data.rindex(b"PK\x01\x02")  # the last central directory entry: "version needed to extract"
    data[at + 6] = 64
    assert reason(bytes(data)) == "the file is damaged (not a readable zip container: zip file version 6.4)"


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(FEATURES)), st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8))
def test_damaged_feature_files_fail_with_one_line(name: str, flips: list[tuple[int, int]]) -> None:
    data = bytearray(FEATURES[name].data)
    for at, byte in flips:
        data[at % len(data)] = byte
    try:
        read_workbook(bytes(data))
    except UnreadableFile as exc:
        assert "\n" not in str(exc)
    spreadsheet_kind(bytes(data))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.text(max_size=40), st.sampled_from(["s", "n", "d", "b", "e", "str", "inlineStr", "zz"]), st.text(max_size=12))
def test_any_cell_xml_text_reads_or_fails_with_one_line(value: str, kind: str, ref: str) -> None:
    from xml.sax.saxutils import escape, quoteattr

    rows = f'<row><c r={quoteattr(ref)} t={quoteattr(kind)} s="1"><v>{escape(value)}</v></c></row>'
    data = Xlsx({"S": rows}, shared=["a"], styles=date_styles()).bytes()
    try:
        read_workbook(data)
    except UnreadableFile as exc:
        assert "\n" not in str(exc)


def test_non_ascii_digits_in_row_numbers_and_format_ids_are_not_numbers() -> None:
    """'²' passes str.isdigit() but int() refuses it: such a row or style number is ignored, not a crash."""
    from tests.reader_features import Xlsx, number, styles_xml

    rows = '<row r="1">' + number("A1", 1) + '</row><row r="²">' + number(None, 46112, style=1) + "</row>"
    styles = styles_xml({}, [0, 14]).replace('numFmtId="14"', 'numFmtId="1²"')
    wb = read_workbook(Xlsx({"S": rows}, styles=styles).bytes())
    assert wb.sheets[0].cells == {(1, 1): Cell(1.0), (2, 1): Cell(46112.0)}


# ---------------------------------------------------------------- issue 15: structures real files hold


@pytest.mark.parametrize(
    ("text", "rows", "cols", "expected"),
    [
        ("A1+B$2*$C3", 3, 1, "B4+C$2*$C6"),  # relative moves, $ stays
        ("SUM($A$1:A1)", 2, 0, "SUM($A$1:A3)"),  # a running total filled down
        ('Sheet1!B2&"A1"', 1, 1, 'Sheet1!C3&"A1"'),  # a text is left alone
        ("'My Sheet'!C3+'A1'!A1", 1, 0, "'My Sheet'!C4+'A1'!A2"),  # quoted sheet names too
        ('"say ""A1"""&A1', 1, 0, '"say ""A1"""&A2'),
        ("LOG10(A1)+ATAN2(B1,C1)", 0, 1, "LOG10(B1)+ATAN2(C1,D1)"),  # function names with digits
        ("SUM(A:A)+SUM($B:C)", 0, 2, "SUM(C:C)+SUM($B:E)"),  # whole columns
        ("SUM(1:1)+SUM(2:$3)", 4, 0, "SUM(5:5)+SUM(6:$3)"),  # whole rows
        ("Table1[Evidence]&[1]Sheet1!A1", 1, 0, "Table1[Evidence]&[1]Sheet1!A2"),
        ("1.5E3+A1", 1, 0, "1.5E3+A2"),
        ("XFE1+A1", 1, 0, "XFE1+A2"),  # past column XFD: a name, not a cell
        ("A1", -1, 0, "#REF!"),  # moved off the sheet
        ("A1", 0, 0, "A1"),
    ],
)
def test_shared_formula_shifted(text: str, rows: int, cols: int, expected: str) -> None:
    assert spreadsheet.shift_formula(text, rows, cols) == expected


def test_formulas_read_as_excel_shows_them_without_newer_functions_prefixes() -> None:
    rows = (
        '<row r="1"><c r="A1" t="str"><f>_xlfn.XLOOKUP(B1,Lists!A:A,Lists!B:B)&amp;"_xlfn.kept"</f><v>x</v></c>'
        '<c r="B1"><f t="shared" ref="B1:B2" si="0">_xlfn._xlws.SORT(C1:C3)</f><v>1</v></c></row>'
        '<row r="2"><c r="B2"><f t="shared" si="0"/><v>2</v></c></row>'
    )
    got = {k: c.formula for k, c in read_workbook(Xlsx({"S": rows}).bytes()).sheets[0].cells.items()}
    assert got == {
        (1, 1): '=XLOOKUP(B1,Lists!A:A,Lists!B:B)&"_xlfn.kept"',
        (1, 2): "=SORT(C1:C3)",
        (2, 2): "=SORT(C2:C4)",
    }


def test_shared_formula_with_an_unknown_index_keeps_the_formula_mark() -> None:
    rows = '<row r="1"><c r="A1"><f t="shared" si="7"/><v>3</v></c></row>'
    assert read_workbook(Xlsx({"S": rows}).bytes()).sheets[0].cells == {(1, 1): Cell(3.0, "=")}


def test_windows_separators_in_an_ods() -> None:
    data = ods_bytes({"T": "<table:table-row>" + ods_text_cell("x") + "</table:table-row>"})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        renamed = zip_parts({n.replace("/", "\\"): zf.read(n) for n in zf.namelist()})
    assert "META-INF\\manifest.xml" in zipfile.ZipFile(io.BytesIO(renamed)).namelist()
    assert cells(renamed, "T") == {(1, 1): "x"}


def _manifest(media_type: str, first: str = "") -> str:
    """A manifest giving the document *media_type*, with the entry *first* before the document's own."""
    manifest = MANIFEST.replace("application/vnd.oasis.opendocument.spreadsheet", media_type).format(extra="")
    return manifest.replace("<manifest:file-entry", first + "<manifest:file-entry", 1)


def test_ods_without_mimetype_is_known_by_its_manifest_only() -> None:
    content = ods_content({"T": "<table:table-row>" + ods_text_cell("x") + "</table:table-row>"})
    ods = zip_parts(
        {"content.xml": content, "META-INF/manifest.xml": _manifest("application/vnd.oasis.opendocument.spreadsheet")}
    )
    assert spreadsheet_kind(ods) == "ods"
    # a text document holding a spreadsheet object: its own entry ("/") says what it is
    sub = (
        '<manifest:file-entry manifest:full-path="Object 1/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    )
    odt = zip_parts(
        {"content.xml": content, "META-INF/manifest.xml": _manifest("application/vnd.oasis.opendocument.text", sub)}
    )
    assert spreadsheet_kind(odt) is None
    assert spreadsheet_kind(zip_parts({"content.xml": content})) is None  # no manifest: nothing says it is one
    assert reason(zip_parts({"content.xml": content})) == "this zip is not an .xlsx or .ods spreadsheet"


def _duplicated(data: bytes, part: str, named: str = "") -> bytes:
    """*data* with a second zip entry holding *part* with a byte more, named *named* (or as *part*)."""
    out = io.BytesIO(data)
    with warnings.catch_warnings(), zipfile.ZipFile(out, "a") as zf:
        warnings.simplefilter("ignore", UserWarning)  # zipfile: "Duplicate name"
        zf.writestr(named or part, zf.read(part) + b" ")
    return out.getvalue()


@pytest.mark.parametrize(
    ("part", "named"),
    [
        ("xl/worksheets/sheet1.xml", ""),
        ("xl/workbook.xml", ""),
        ("xl/sharedStrings.xml", ""),
        ("xl/_rels/workbook.xml.rels", ""),
        ("[Content_Types].xml", ""),
        ("docProps/custom.xml", ""),
        ("xl/media/image1.png", ""),
        ("xl/worksheets/sheet1.xml", "XL/Worksheets/Sheet1.xml"),  # part names are compared case-insensitively
        ("xl/worksheets/sheet1.xml", "xl\\worksheets\\sheet1.xml"),  # and whatever the separator
    ],
)
def test_two_zip_entries_of_one_name_are_refused(part: str, named: str) -> None:
    x = Xlsx({"S": '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'}, shared=["a"], properties={"k": "v"})
    x.extra["xl/media/image1.png"] = b"\x89PNG"
    shown = (named or part).replace("\\", "/")
    assert reason(_duplicated(x.bytes(), part, named)) == (
        f"the file holds two zip entries named {shown}, and programs differ on which one they read, "
        "so they would show different contents: save it again from the spreadsheet program"
    )


def test_two_content_parts_in_an_ods_are_refused() -> None:
    data = _duplicated(ods_bytes({"T": ""}), "content.xml")
    assert reason(data).startswith("the file holds two zip entries named content.xml")


def test_macros_are_refused_with_advice_that_works() -> None:
    xlsm = Xlsx({"S": ""}, extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}).bytes()
    ods = ods_bytes({"T": ""}, extra={"Basic/Standard/Module1.xml": "<module/>"})
    for data in (xlsm, ods):
        assert (
            reason(data)
            == spreadsheet.MACROS
            == (
                "the file contains macros, which rai-xl does not open: save it as Excel Workbook (.xlsx) "
                "(File > Save As), which leaves the macros out"
            )
        )


def test_only_external_links_or_only_objects_are_said_alone() -> None:
    cell = '<row r="1">' + inline("A1", "x") + "</row>"
    links = Xlsx({"S": cell}, extra={"xl/externalLinks/externalLink1.xml": EXTERNAL_LINK}).bytes()
    activex = Xlsx({"S": cell}, extra={"xl/activeX/activeX1.xml": "<ax/>"}).bytes()
    assert [f.message.split(" were ignored")[0] for f in read_workbook(links).findings] == [
        "the file's external links (to other workbooks)"
    ]
    assert [f.message.split(" were ignored")[0] for f in read_workbook(activex).findings] == ["the file's embedded objects"]
    assert read_workbook(Xlsx({"S": cell}).bytes()).findings == []


def test_a_zip_entry_encrypted_with_a_password_is_password_protected() -> None:
    data = bytearray(Xlsx({"S": ""}).bytes())
    at = data.index(b"PK\x01\x02")  # the first central directory entry; its flags at +8
    data[at + 8] |= 1
    assert reason(bytes(data)) == PASSWORD


def test_rows_past_the_bound_stop_the_sheet_but_empty_ones_are_not_said() -> None:
    empty_after = (
        '<row r="1">' + number("A1", 1) + f'</row><row r="{limits.MAX_ROW + 5}"><c r="A{limits.MAX_ROW + 5}" s="1"/></row>'
    )
    wb = read_workbook(Xlsx({"S": empty_after}).bytes())
    assert (wb.sheets[0].cells, wb.findings) == ({(1, 1): Cell(1.0)}, [])
    ods_empty = (
        "<table:table-row>"
        + ods_text_cell("x")
        + '</table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell/></table:table-row>'
    )
    assert read_workbook(ods_bytes({"T": ods_empty})).findings == []


def test_ods_columns_past_the_bound_are_said() -> None:
    row = (
        "<table:table-row>"
        + ods_text_cell("a")
        + f'<table:table-cell table:number-columns-repeated="{limits.MAX_COLUMN + 10}"/>'
        + ods_text_cell("far")
        + "</table:table-row>"
    )
    wb = read_workbook(ods_bytes({"T": row}))
    assert {k: c.value for k, c in wb.sheets[0].cells.items()} == {(1, 1): "a"}
    assert wb.findings == [Finding("T", "columns after column AMJ were not read")]


def test_google_grid_on_many_sheets_reads_and_a_larger_grid_is_cut_off() -> None:
    sheets = {f"S{i}": grid(1000, 26) for i in range(12)}  # 12 sheets of 1,000 x 26 styled empty cells
    data = Xlsx(sheets, styles=styles_xml({}, [0, 0])).bytes()
    assert [len(s.cells) for s in read_workbook(data).sheets] == [0] * 12
    bigger = Xlsx({f"S{i}": grid(4000, 26) for i in range(12)}, styles=styles_xml({}, [0, 0])).bytes()
    assert reason(bigger) == "the parts to read hold more than 16 MB of XML; a questionnaire's hold under 1 MB"
    assert len(read_workbook(bigger, wanted=["S0", "S1"]).sheets) == 12  # the sheets read are what counts


def test_damaged_member_data_in_a_properties_part_is_a_finding() -> None:
    """Not only truncated XML: a properties member whose compressed bytes are broken (a bad CRC)."""
    x = Xlsx({"S": '<row r="1">' + inline("A1", "answer") + "</row>"}, properties={"rai_xl.country": "LA"})
    data = bytearray(x.bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("docProps/custom.xml")
    at = info.header_offset + 30 + len(info.filename) + len(info.extra) + info.compress_size // 2
    data[at] ^= 0xFF
    wb = read_workbook(bytes(data))
    assert {k: c.value for k, c in wb.sheets[0].cells.items()} == {(1, 1): "answer"}
    assert wb.properties == {}
    [finding] = wb.findings
    assert finding.message.startswith("the document properties part docProps/custom.xml is damaged and was not read (")


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (0, date(1904, 1, 1)),
        (0.25, datetime(1904, 1, 1, 6, 0)),
        (2957003, date(9999, 12, 31)),
        (2957003.5, datetime(9999, 12, 31, 12, 0)),
        (2957003.9999999999, 2957003.9999999999),  # rounds to 10000-01-01: not a date
        (2957004, 2957004),
        (2958465, 2958465),
        (-1, -1),
    ],
)
def test_1904_serials_at_the_ends_of_the_calendar(serial: float, expected: object) -> None:
    got = excel_date(serial, True)
    assert (got, type(got)) == (expected, type(expected))


def test_serials_that_are_no_numbers_stay_numbers() -> None:
    for date1904 in (False, True):
        assert math.isnan(excel_date(math.nan, date1904))
        assert excel_date(math.inf, date1904) == math.inf
        assert excel_date(2958465.9999999999, date1904) == 2958465.9999999999
    assert excel_date(2958465, False) == date(9999, 12, 31)
    rows = '<row r="1">' + number("A1", "NaN", 1) + number("B1", "INF", 1) + "</row>"
    # no number a cell can hold, so no date either: read as the cell shows it, as text (issue 25)
    found = cells(Xlsx({"S": rows}, styles=date_styles(), date1904=True).bytes())
    assert (found[(1, 1)], found[(1, 2)]) == ("NaN", "INF")


def test_a_directory_pointing_outside_the_file_is_damaged() -> None:
    data = bytearray(Xlsx({"S": ""}).bytes())
    at = data.index(b"PK\x01\x02")  # the first central directory entry; its local header's offset at +42
    name = bytes(data[at + 46 : at + 46 + int.from_bytes(data[at + 28 : at + 30], "little")]).decode()
    data[at + 42 : at + 46] = (len(data) + 10).to_bytes(4, "little")
    assert reason(bytes(data)) == f"the file is damaged (not a readable zip container: part {name} starts outside the file)"


def test_a_shared_formula_with_nested_calls_and_array_forms_moves_to_every_child() -> None:
    """A dynamic-array CHOOSECOLS master (nested calls, commas, an array constant, a spill reference) filled
    down and across: each child reads as the master moved, also a child written before its master, and a
    blank <f> of a child never takes the master's place."""
    master = '_xlfn.CHOOSECOLS(_xlfn.FILTER($A$2:$D$9,($B$2:$B$9=B2)*(C2&gt;0),""),1,{2,3})+SUM(_xlfn.ANCHORARRAY(D2))'
    rows = (
        '<row r="1"><c r="F1"><f t="shared" si="0"/><v>0</v></c></row>'  # filled up: before its master
        f'<row r="2"><c r="F2" cm="1"><f t="shared" ref="F1:G3" si="0">{master}</f><v>1</v></c>'
        '<c r="G2"><f t="shared" si="0"> </f><v>2</v></c></row>'
        '<row r="3"><c r="F3"><f t="shared" si="0"/><v>3</v></c><c r="G3"><f t="shared" si="0"/><v>4</v></c></row>'
    )
    got = {k: c.formula for k, c in read_workbook(Xlsx({"S": rows}).bytes()).sheets[0].cells.items()}

    def at(b: str, c: str, d: str) -> str:
        return f'=CHOOSECOLS(FILTER($A$2:$D$9,($B$2:$B$9={b})*({c}>0),""),1,{{2,3}})+SUM(ANCHORARRAY({d}))'

    assert got == {
        (1, 6): at("B1", "C1", "D1"),
        (2, 6): at("B2", "C2", "D2"),
        (2, 7): at("C2", "D2", "E2"),
        (3, 6): at("B3", "C3", "D3"),
        (3, 7): at("C3", "D3", "E3"),
    }


@pytest.mark.parametrize(
    ("xml", "depth"),
    [
        (b"<a><b/><c>x</c></a>", 0),
        (b'<a><b r="1"/><b r="2" /></a>', 0),
        (b"<a><b><c>", 3),
        (b'<?xml version="1.0"?><a><b/></a>', 1),  # the declaration counts one: the bound is met sooner, never later
        (b"<a><!-- a note --></a>", 1),
        (b"<a>1 &lt; 2</a>", 0),
    ],
)
def test_the_nesting_depth_is_counted_from_the_bytes_wherever_the_chunks_split(xml: bytes, depth: int) -> None:
    for size in range(1, len(xml) + 1):
        found, last = 0, b""
        for at in range(0, len(xml), size):
            found, last = _deeper(found, last, xml[at : at + size])
        assert found == depth, size


def test_nesting_past_the_bound_is_refused_at_its_first_chunk_past_it() -> None:
    assert _deeper(0, b"", b"<r>" * limits.MAX_DEPTH)[0] == limits.MAX_DEPTH
    with pytest.raises(UnreadableFile, match="nests elements more than 10,000 deep"):
        _deeper(limits.MAX_DEPTH, b">", b"<r>")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            Xlsx(
                {
                    "S": '<row r="1">'
                    + inline("A1", "a")
                    + inline(None, "b")  # no reference: the column after A
                    + inline("C1", "c")
                    + number("D1", 4)
                    + "</row>"
                }
            ).bytes(),
            {(1, 2): "b", (1, 4): 4.0},
            id="xlsx",
        ),
        pytest.param(
            ods_bytes(
                {
                    "S": "<table:table-row>"
                    + ods_text_cell("a")
                    + ods_text_cell("b", attrs=' table:number-columns-repeated="2"')  # B and C
                    + ods_text_cell("d")
                    + "</table:table-row>"
                }
            ),
            {(1, 2): "b", (1, 4): "d"},
            id="ods",
        ),
    ],
)
def test_only_the_columns_asked_for_are_read(data: bytes, expected: dict) -> None:
    wb = read_workbook(data, columns={"S": [2, 4]})
    assert {k: c.value for k, c in wb.sheet("S").cells.items()} == expected
    assert len(read_workbook(data).sheet("S").cells) == 4  # without columns, every cell


def test_content_past_the_last_column_is_said_whichever_columns_are_read() -> None:
    far = (
        "<table:table-row>"
        + '<table:table-cell table:number-columns-repeated="1100"/>'
        + ods_text_cell("typed far right")
        + "</table:table-row>"
    )
    data = ods_bytes({"S": far})
    said = [Finding("S", "columns after column AMJ were not read")]
    assert read_workbook(data).findings == said
    assert read_workbook(data, columns={"S": [3]}).findings == said


def test_without_links_a_sheet_is_parsed_up_to_the_end_of_its_cells() -> None:
    """What follows a sheet's cells (validations, formatting, links) is not parsed when links are not read; it is
    still inflated, so a part damaged there is still refused, by its checksum."""
    parts = Xlsx({"S": '<row r="1">' + inline("A1", "a") + "</row>"}).parts()
    sheet = "xl/worksheets/sheet1.xml"
    tail = '<mergeCells count="3000">' + '<mergeCell ref="A1:B1"/>' * 3000 + "</mergeCells>"  # past the first chunk
    parts[sheet] = str(parts[sheet]).replace("</sheetData>", "</sheetData>" + tail)
    broken = zip_parts({**parts, sheet: str(parts[sheet]).replace("</mergeCells>", "")})  # not well-formed after the cells
    assert cells(broken, wanted=None, links=False) == {(1, 1): "a"}
    assert reason(broken).startswith("a part of the file is damaged and cannot be read")
    stored = zip_parts(parts, stored=(sheet,))
    flipped = stored.replace(b'ref="A1:B1"', b'ref="A1:B2"', 1)  # the bytes as stored: only the checksum tells
    assert cells(stored, links=False) == {(1, 1): "a"}
    with pytest.raises(UnreadableFile, match=r"^a part of the file is damaged and cannot be read"):
        read_workbook(flipped, links=False)


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("A1", (1, 1)),
        ("c5", (5, 3)),
        ("AA10", (10, 27)),
        ("XFD1048576", (1_048_576, 16_384)),
        ("B0012", (12, 2)),
        ("AAAA1", None),  # four letters
        ("A12345678", None),  # eight digits
        ("A", None),
        ("12", None),
        ("A1B", None),
        (" A1", None),
        ("A-1", None),
        ("Ä1", None),
        ("ß1", None),  # not column SS
        ("\ufb001", None),  # the ligature ff is not column FF
        ("A\u0661", None),  # an Arabic-Indic digit is no row number
    ],
)
def test_cell_references(ref: str, expected: tuple[int, int] | None) -> None:
    from rai_xl.read.spreadsheet.values import REFS, row_column

    REFS.pop(ref, None)
    assert row_column(ref) == expected
    assert row_column(ref) == expected  # and again, as remembered


def test_a_cell_is_where_its_own_reference_says() -> None:
    """A cell's reference names its place, whatever its row element says; a row without a usable number is the
    one after the previous row; a cell without a usable reference, the column after the previous cell."""
    rows = (
        '<row r="5">' + inline("B15", "below") + "</row>"
        '<row r="13">' + inline("AB3", "above") + "</row>"
        '<row r="007">' + inline("C7", "padded") + "</row>"
        '<row r="x">' + inline("D9", "lettered row") + "</row>"
        "<row>" + inline("e10", "lower case") + "</row>"
        '<row r="12">' + inline("AA12", "wide") + inline("A12B", "no reference") + inline("XFD12", "last") + "</row>"
    )
    assert cells(Xlsx({"S": rows}).bytes()) == {
        (15, 2): "below",
        (3, 28): "above",
        (7, 3): "padded",
        (9, 4): "lettered row",
        (10, 5): "lower case",
        (12, 27): "wide",
        (12, 28): "no reference",
        (12, 16_384): "last",
    }


def test_the_sheets_are_listed_wherever_the_workbook_part_lists_them() -> None:
    """The workbook part is read in small chunks up to its list of sheets, however far down that list is."""
    parts = Xlsx({"First": '<row r="1">' + inline("A1", "a") + "</row>", "Second": ""}).parts()
    views = "<bookViews>" + '<workbookView xWindow="0" yWindow="0"/>' * 500 + "</bookViews>"  # 20 KB before the list
    parts["xl/workbook.xml"] = str(parts["xl/workbook.xml"]).replace("<sheets>", views + "<sheets>")
    wb = read_workbook(zip_parts(parts))
    assert [s.name for s in wb.sheets] == ["First", "Second"]
    assert wb.sheet("First").cells[(1, 1)].value == "a"
