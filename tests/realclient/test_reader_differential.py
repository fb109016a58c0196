"""rai-xl's reader against independent readers, on files real spreadsheet programs wrote.

The corpus is made here, at test time: rai-xl's questionnaire filled with openpyxl (dates, times,
numbers, booleans, Thai text, non-breaking spaces, several lines), then re-saved by LibreOffice
(.xlsx and .ods) and converted by Gnumeric's ssconvert (.xlsx and .ods); and the hand-made
variants of tests/reader_features.py, as they are and re-saved by both programs. Every cell
rai-xl reads must have the value openpyxl (for .xlsx) or odfpy (for .ods) reads there, and the
value python-calamine reads there (both formats), dates compared as dates and numbers as numbers,
and every cell they read must be one rai-xl reads.

LibreOffice and Gnumeric are required in CI (CI=true) and skipped with a reason elsewhere.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import warnings
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from make_samples import fill
from openpyxl import load_workbook

from rai_xl.core.submission import VALID
from rai_xl.layouts import questionnaire as ids
from rai_xl.method.catalogue import Catalogue
from rai_xl.read.returns import read_return
from rai_xl.read.spreadsheet import LEGACY, MAX_ROW, PASSWORD, UnreadableFile, read_workbook, spreadsheet_kind
from rai_xl.write.questionnaire import write_questionnaire
from tests.reader_features import features

pytestmark = pytest.mark.libreoffice

THAI = "ยุทธศาสตร์ปัญญาประดิษฐ์แห่งชาติ พ.ศ. 2565–2570\nบรรทัดที่สอง: https://www.example.go.th/doc.pdf"
EXTRAS: dict[str, object] = {  # evidence cells of the Criteria sheet, by criterion
    "Q1": THAI,
    "Q2": 20240115,
    "Q3": date(2024, 1, 15),
    "Q4": datetime(2026, 3, 31, 14, 5, 30),
    "Q5": 0.1 + 0.2,
    "Q6": True,
    "Q7": "non-breaking\u00a0space and a trailing one\u00a0",
    "Q8": "three\nlines\nof text",
    "Q9": "tab\there and  two spaces",
    "Q10": -1234.5678,
}


def _gnumeric_missing() -> str:
    if shutil.which("ssconvert") is None:
        return "Gnumeric (ssconvert) is not installed: apt-get install -y gnumeric"
    return ""


@pytest.fixture(scope="module")
def ssconvert():
    """A function converting one file with Gnumeric's ssconvert (required in CI, like LibreOffice)."""
    reason = _gnumeric_missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the real-client tests must run in CI: {reason}")
        pytest.skip(reason)

    def convert(src: Path, dst: Path) -> bool:
        proc = subprocess.run(["ssconvert", str(src), str(dst)], capture_output=True, text=True, timeout=120)
        return proc.returncode == 0 and dst.exists()

    return convert


@pytest.fixture(scope="module")
def answers(catalogue: Catalogue) -> dict[str, str]:
    return {c.id: c.answers[i % 3].label for i, c in enumerate(catalogue.criteria)}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, catalogue: Catalogue, answers, libreoffice, ssconvert) -> dict[str, Path]:
    """{label: path} of every file of the corpus."""
    work = tmp_path_factory.mktemp("differential")
    base = work / "base-openpyxl.xlsx"
    write_questionnaire(catalogue, base, country=catalogue.country("TH"), year=2026)
    fill(
        base,
        answers,
        EXTRAS,
        {"name": "สมชาย ใจดี", "agency": "Ministry of\u00a0Digital Economy", "date_completed": datetime(2026, 3, 31)},
    )
    files = {"questionnaire openpyxl .xlsx": base}
    for f in features():
        path = work / f"{f.name}.{f.kind}"
        path.write_bytes(f.data)
        files[f"{f.name} hand-made .{f.kind}"] = path
    closed = {f"{f.name} hand-made .{f.kind}" for f in features() if not f.libreoffice_opens}
    jobs = []
    for label, src in [(k, v) for k, v in files.items() if k not in closed]:
        stem = label.split(" ")[0]
        save = []
        for fmt in ("xlsx", "ods"):
            out = work / f"{stem}-libreoffice.{fmt}"
            save.append([str(out), fmt])
            files[f"{stem} LibreOffice .{fmt}"] = out
        jobs.append({"input": str(src), "save": save})
    jobs.append(
        {
            "input": str(base),
            "save": [[str(work / "password.ods"), "ods", "secret"], [str(work / "legacy.xls"), "xls"]],
        }
    )
    libreoffice(jobs)
    # Excel's encryption (an OLE file holding EncryptionInfo and EncryptedPackage), by msoffcrypto-tool
    from msoffcrypto.format.ooxml import OOXMLFile

    with files["questionnaire LibreOffice .xlsx"].open("rb") as src, (work / "password.xlsx").open("wb") as dst:
        OOXMLFile(src).encrypt("secret", dst)
    for label, src in [(k, v) for k, v in files.items() if " LibreOffice " not in k]:
        stem = label.split(" ")[0]
        for fmt in ("xlsx", "ods"):
            out = work / f"{stem}-gnumeric.{fmt}"
            if ssconvert(src, out):
                files[f"{stem} Gnumeric .{fmt}"] = out
            else:
                assert not stem.startswith("questionnaire"), f"ssconvert could not convert {src} to .{fmt}"
    files["password msoffcrypto .xlsx"] = work / "password.xlsx"
    files["password LibreOffice .ods"] = work / "password.ods"
    files["legacy LibreOffice .xls"] = work / "legacy.xls"
    return files


# ---------------------------------------------------------------- the independent readers


def _norm(value: object) -> object:
    """One comparable form: integers as floats, midnight datetimes as dates, times and durations as
    fractions of a day (how a spreadsheet holds them), empty text as None."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) else value.replace(microsecond=round(value.microsecond, -3))
    if isinstance(value, date):
        return value
    if isinstance(value, time):
        return (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, str):
        return value or None
    return value


def openpyxl_cells(path: Path) -> dict[str, dict[tuple[int, int], object]]:
    with warnings.catch_warnings():  # a hand-made file without a styles part: openpyxl says so
        warnings.filterwarnings("ignore", "Workbook contains no default style", UserWarning)
        wb = load_workbook(path, data_only=True)
    out = {}
    for ws in wb.worksheets:
        found = {}
        for row in ws.iter_rows(max_row=MAX_ROW):
            for c in row:
                v = _norm(c.value)
                if v is not None:
                    found[(c.row, c.column)] = v
        out[ws.title] = found
    return out


def odfpy_cells(path: Path) -> dict[str, dict[tuple[int, int], object]]:
    from odf import teletype
    from odf.namespaces import OFFICENS, TABLENS, TEXTNS
    from odf.opendocument import load
    from odf.table import Table, TableRow

    calcext = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
    cell_names = {(TABLENS, "table-cell"), (TABLENS, "covered-table-cell")}

    def attr(el, ns, name):
        return el.attributes.get((ns, name))

    def value(c):
        kind = attr(c, OFFICENS, "value-type")
        paragraphs = [teletype.extractText(p) for p in c.childNodes if getattr(p, "qname", None) == (TEXTNS, "p")]
        text = "\n".join(paragraphs)
        if attr(c, calcext, "value-type") == "error":
            return text
        if kind in ("float", "percentage", "currency"):
            return float(attr(c, OFFICENS, "value"))
        if kind == "boolean":
            return attr(c, OFFICENS, "boolean-value") == "true"
        if kind == "date":
            return datetime.fromisoformat(attr(c, OFFICENS, "date-value"))
        if kind == "time":
            raw = attr(c, OFFICENS, "time-value")
            h, rest = raw[2:].split("H")
            m, rest = rest.split("M")
            return timedelta(hours=int(h), minutes=int(m), seconds=float(rest.rstrip("S")))
        if kind == "string":
            return attr(c, OFFICENS, "string-value") or text
        return text

    doc = load(str(path))
    out = {}
    for t in doc.getElementsByType(Table):
        found = {}
        row = 0
        for r in t.getElementsByType(TableRow):
            repeat = int(attr(r, TABLENS, "number-rows-repeated") or 1)
            col = 0
            cells = []
            for c in r.childNodes:
                if getattr(c, "qname", None) not in cell_names:
                    continue
                span = int(attr(c, TABLENS, "number-columns-repeated") or 1)
                v = _norm(value(c))
                if v is not None and col < 1024:
                    cells.extend((col + 1 + k, v) for k in range(min(span, 1024 - col)))
                col += span
            for rr in range(row + 1, min(row + repeat, MAX_ROW) + 1):
                for cc, v in cells:
                    found[(rr, cc)] = v
            row += repeat
        out[attr(t, TABLENS, "name")] = found
    return out


ERROR_VALUES = re.compile(r"#(NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A)|Err:\d{3}")  # Excel's, LibreOffice's
ODF_DURATION = re.compile(r"PT(\d+)H(\d+)M(\d+(?:\.\d+)?)S")


def calamine_cells(path: Path) -> dict[str, dict[tuple[int, int], object]]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    out = {}
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=MAX_ROW)
        found = {(r, c): _norm(_duration(v)) for r, row in enumerate(rows, 1) for c, v in enumerate(row, 1)}
        out[name] = {k: v for k, v in found.items() if v is not None}
    return out


def _duration(value: object) -> object:
    """calamine leaves an ODF duration over 24 hours as its text (PT36H00M00S): the fraction of days it is."""
    m = ODF_DURATION.fullmatch(value) if isinstance(value, str) else None
    return timedelta(hours=int(m[1]), minutes=int(m[2]), seconds=float(m[3])) if m else value


def rai_cells(path: Path) -> dict[str, dict[tuple[int, int], object]]:
    wb = read_workbook(path.read_bytes())
    return {s.name: {k: c.value for k, c in s.cells.items()} for s in wb.sheets}


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)
    return type(a) is type(b) and a == b


# Where rai-xl and the reference disagree by design (each case read exactly in tests/test_reader.py):
CALAMINE_DIFFERS = {
    # Gnumeric writes a rich-text run ending in a space without xml:space="preserve", and calamine drops the space
    "cell-types Gnumeric .xlsx",
}
REFERENCE_DIFFERS = {
    # Gnumeric keeps text it could not decode as it was (line one_x000D_) and writes it back unescaped;
    # rai-xl decodes _xHHHH_ as the standard says (a carriage return), openpyxl never decodes it
    "escapes-and-phonetics Gnumeric .xlsx",
    # LibreOffice and Gnumeric keep the 1904 date system, and openpyxl reads serials 0 and 0.5 there as
    # numbers (calamine as times of day), though serial 0 is 1904-01-01 (ECMA-376 Part 1, 18.17.4.1)
    "date1904-limits LibreOffice .xlsx",
    "date1904-limits Gnumeric .xlsx",
}


def assert_reads_like_reference(path: Path, calamine: bool = True) -> dict[str, dict[tuple[int, int], object]]:
    """rai-xl's cells of *path*, checked against openpyxl or odfpy, and against calamine unless told not to."""
    mine = rai_cells(path)
    reference = odfpy_cells(path) if path.suffix == ".ods" else openpyxl_cells(path)
    _assert_same(path, mine, reference, "openpyxl/odfpy")
    # calamine cannot open Gnumeric's .ods ("Expecting 'table-cell', found 'Text...'": it is indented)
    if calamine and not path.name.endswith("-gnumeric.ods"):
        assert_reads_like_calamine(path, mine)
    return mine


def assert_reads_like_calamine(path: Path, mine: dict[str, dict[tuple[int, int], object]]) -> None:
    """*mine* against calamine, allowing for where calamine reads against the standard: an error
    value (#N/A, Err:510) is an empty cell, and an .ods text's <text:tab/> is nothing (not a tab)."""
    theirs = calamine_cells(path)
    expected = {}
    for sheet, cells in mine.items():
        kept = {
            k: v
            for k, v in cells.items()
            if not (isinstance(v, str) and ERROR_VALUES.fullmatch(v) and k not in theirs.get(sheet, {}))
        }
        if path.suffix == ".ods":
            kept = {k: v.replace("\t", "") if isinstance(v, str) else v for k, v in kept.items()}
        expected[sheet] = kept
    _assert_same(path, expected, theirs, "calamine")


def _assert_same(path: Path, mine: dict, reference: dict, who: str) -> None:
    assert list(mine) == list(reference), f"sheet names differ ({who})"
    for sheet, ref in reference.items():
        got = {k: _norm(v) for k, v in mine[sheet].items()}
        got = {k: v for k, v in got.items() if v is not None}  # formula cells without a cached value
        differ = {k: (got.get(k), ref.get(k)) for k in set(got) | set(ref) if not _same(got.get(k), ref.get(k))}
        assert differ == {}, f"{path.name}, sheet {sheet!r}: (rai-xl, {who}) differ at {sorted(differ.items())[:8]}"


# ---------------------------------------------------------------- the tests


def _labels(corpus: dict[str, Path], kind: str) -> list[str]:
    return [k for k in corpus if k.startswith(kind)]


def test_questionnaire_from_every_client_reads_like_the_reference(corpus, answers, catalogue) -> None:
    labels = _labels(corpus, "questionnaire")
    assert labels == [
        "questionnaire openpyxl .xlsx",
        "questionnaire LibreOffice .xlsx",
        "questionnaire LibreOffice .ods",
        "questionnaire Gnumeric .xlsx",
        "questionnaire Gnumeric .ods",
    ]
    for label in labels:
        path = corpus[label]
        mine = assert_reads_like_reference(path)
        sub = read_return(path, catalogue)
        assert sub.status == VALID, (label, sub.reason())
        assert sub.answers == {c.id: c.answers[i % 3].code for i, c in enumerate(catalogue.criteria)}, label
        criteria = mine[ids.SHEET_CRITERIA]
        evidence = {cid: criteria[(int(ref[1:]), 6)] for cid, ref in sub.answer_cells.items() if cid in EXTRAS}
        assert evidence == {
            "Q1": THAI,
            "Q2": 20240115.0,
            "Q3": date(2024, 1, 15),
            "Q4": datetime(2026, 3, 31, 14, 5, 30),
            "Q5": 0.3,  # openpyxl writes 16 significant digits
            "Q6": True,
            "Q7": EXTRAS["Q7"],
            "Q8": "three\nlines\nof text",
            "Q9": "tab\there and  two spaces",
            "Q10": -1234.5678,
        }, label
        respondent = mine[ids.SHEET_RESPONDENT]
        assert date(2026, 3, 31) in respondent.values(), label
        assert "สมชาย ใจดี" in respondent.values(), label


@pytest.mark.parametrize("feature", [f.name for f in features()])
def test_hand_made_variants_read_like_the_reference_through_every_client(corpus, feature: str) -> None:
    made = next(f for f in features() if f.name == feature)
    if made.openpyxl_reads:
        assert f"{feature} hand-made .{made.kind}" in corpus
    labels = [k for k in corpus if k.startswith(feature + " ")]
    if made.libreoffice_opens:
        assert f"{feature} LibreOffice .xlsx" in labels and f"{feature} LibreOffice .ods" in labels
    for label in labels:
        path = corpus[label]
        hand_made = "hand-made" in label
        if (hand_made and not made.openpyxl_reads) or label in REFERENCE_DIFFERS:
            if not hand_made or not made.calamine_reads:
                continue  # no reference reads it as the standard says: exact values in test_reader.py
            assert_reads_like_calamine(path, rai_cells(path))
            continue
        assert_reads_like_reference(path, calamine=label not in CALAMINE_DIFFERS and (not hand_made or made.calamine_reads))
    # (what the programs themselves make of the variants differs: LibreOffice cannot find a sheet whose
    # target starts with ./ or whose relationship type is not the usual one, Gnumeric drops cells
    # without r and sheets whose target differs in case; both readers then agree on what is left)


def test_password_protected_and_legacy_files(corpus) -> None:
    for label in ("password msoffcrypto .xlsx", "password LibreOffice .ods"):
        data = corpus[label].read_bytes()
        with pytest.raises(UnreadableFile) as exc:
            read_workbook(data)
        assert str(exc.value) == PASSWORD == "password-protected: ask for a copy saved without a password", label
    assert spreadsheet_kind(corpus["password msoffcrypto .xlsx"].read_bytes()) is None
    assert spreadsheet_kind(corpus["password LibreOffice .ods"].read_bytes()) == "ods"
    with pytest.raises(UnreadableFile) as exc:
        read_workbook(corpus["legacy LibreOffice .xls"].read_bytes())
    assert str(exc.value) == LEGACY
    assert spreadsheet_kind(corpus["legacy LibreOffice .xls"].read_bytes()) is None


def test_every_client_file_is_recognised_by_content(corpus) -> None:
    for label, path in corpus.items():
        if label.startswith(("password", "legacy")):
            continue
        assert spreadsheet_kind(path.read_bytes()) == path.suffix[1:], label
