"""Hostile and broken input, built here (nothing downloaded): each gets one clear reason, fast, in bounded memory.

Every file of the corpus is read on its own (one ERROR issue with the expected one-line message, within a
time and a memory bound), and all of them together with one good return (the good one is still valid).
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import random
import re
import tracemalloc
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import pytest
from click.testing import CliRunner
from make_samples import fill
from openpyxl import load_workbook
from openpyxl.styles import PatternFill

from rai_xl.cli import cli
from rai_xl.core.submission import INVALID, SKIPPED, VALID
from rai_xl.issues import ERROR, NOTE, WARNING, Issue, Msg
from rai_xl.layouts import questionnaire as ids
from rai_xl.method.catalogue import Catalogue
from rai_xl.read import spreadsheet
from rai_xl.read.returns import read_return
from rai_xl.read.spreadsheet import limits, xlsx
from rai_xl.write.questionnaire import write_questionnaire
from tests.helpers import RESPONDENT, run_cli
from tests.reader_features import EXTERNAL_IGNORED, EXTERNAL_LINK, ROWS_NOT_READ

# Bounds on the work done per file that do not depend on the machine's speed (timings live in benchmarks/).
DECOMPRESSED_LIMIT = 24 * 1024 * 1024  # bytes inflated from the zip per file
MEMORY_LIMIT = 64 * 1024 * 1024  # tracemalloc peak per file


def inflated_bytes(read: Callable[[], object], monkeypatch: pytest.MonkeyPatch) -> int:
    """Bytes the reader inflates from zip members while *read* runs."""
    total = [0]
    original = zipfile.ZipExtFile.read

    def counting(self, n=-1):
        data = original(self, n)
        total[0] += len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting)
    try:
        read()
    finally:
        monkeypatch.setattr(zipfile.ZipExtFile, "read", original)
    return total[0]


LEGACY = (
    "this is a legacy .xls workbook or a password-encrypted file; "
    "open it and save it as Excel Workbook (.xlsx) without a password"
)
MACROS = (
    "the file contains macros, which rai-xl does not open: save it as Excel Workbook (.xlsx) (File > Save As), "
    "which leaves the macros out"
)
XML_BYTES = "the parts to read hold more than 16 MB of XML; a questionnaire's hold under 1 MB"
XML_BOMB = "a part of the file declares XML entities or a DTD (an XML bomb or an external reference); a workbook never does"


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    message: str  # the exact one-line reason; a prefix when `prefix` is set
    prefix: bool = False


def _zip(parts: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def _with_duplicate(good: bytes, part: str, data: bytes) -> bytes:
    """*good* with a second zip entry named *part* after the first (zipfile warns, and writes it)."""
    out = io.BytesIO(good)
    with warnings.catch_warnings(), zipfile.ZipFile(out, "a") as zf:
        warnings.simplefilter("ignore", UserWarning)  # "Duplicate name"
        zf.writestr(part, data)
    return out.getvalue()


def _rebuild(good: bytes, replace: dict[str, bytes | str] | None = None, add: dict[str, bytes | str] | None = None) -> bytes:
    """A copy of the *good* workbook with parts replaced or added."""
    replace = replace or {}
    parts: dict[str, bytes | str] = {}
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        for info in zf.infolist():
            parts[info.filename] = replace.get(info.filename, zf.read(info.filename))
    parts.update(add or {})
    return _zip(parts)


def _criteria_part(good: bytes) -> str:
    """The zip part holding the Criteria sheet, found through the workbook's relationships."""
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        book = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(r'<sheet [^>]*name="Criteria"[^>]*r:id="(rId\d+)"', book) or re.search(
        r'<sheet [^>]*r:id="(rId\d+)"[^>]*name="Criteria"', book
    )
    assert rid, "Criteria sheet not found in workbook.xml"
    target = re.search(rf'<Relationship [^>]*Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels
    )
    assert target
    path = target.group(1).lstrip("/")
    return path if path.startswith("xl/") else "xl/" + path


def _sheet_parts(good: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        return [n for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]


def _billion_laughs() -> str:
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<!DOCTYPE sst [{''.join(entities)}]>\n"
        f'<sst xmlns="{xlsx.S[1:-1]}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )


def _external_entity_workbook(good: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        book = zf.read("xl/workbook.xml").decode()
    body = book.split("?>", 1)[1] if book.startswith("<?xml") else book
    return '<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + body.replace(
        'name="Start here"', 'name="&xxe;"', 1
    )


def _huge_sheet(cells: int) -> bytes:
    """Criteria sheet XML with more than *cells* cells in at most MAX_ROW rows."""
    cols = "ABCDEFGHIJKLMNOP"
    per_row = len(cols)
    rows = cells // per_row + 2
    assert rows <= limits.MAX_ROW
    out = [f'<worksheet xmlns="{xlsx.S[1:-1]}"><sheetData>']
    for r in range(1, rows + 1):
        out.append(f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in cols) + "</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out).encode()


def _empty_cells_sheet(cells: int) -> bytes:
    """A sheet of *cells* formatted but empty cells: nothing is kept, yet everything must be parsed."""
    out = [f'<worksheet xmlns="{xlsx.S[1:-1]}"><sheetData>']
    per_row = 200
    for r in range(1, cells // per_row + 2):
        out.append(f'<row r="{r}">' + "".join(f'<c r="{_letters(c)}{r}" s="1"/>' for c in range(1, per_row + 1)) + "</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out).encode()


def _letters(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _many_shared_strings(count: int) -> bytes:
    items = "".join(f"<si><t>{i}</t></si>" for i in range(count))
    return f'<sst xmlns="{xlsx.S[1:-1]}">{items}</sst>'.encode()


def _long_shared_string(size: int) -> bytes:
    """One shared string of *size* characters."""
    rng = random.Random(7)
    text = bytearray(b"a" * size)
    for _ in range(size // 150):
        text[rng.randrange(size)] = ord("b")
    return f'<sst xmlns="{xlsx.S[1:-1]}"><si><t>'.encode() + bytes(text) + b"</t></si></sst>"


ODS_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


def _ods_table(name: str, rows: int, repeat: int, doctype: bool = False) -> str:
    """content.xml of an .ods with one table: *rows* rows, each one number cell repeated *repeat* times."""
    xmlns = " ".join(f'xmlns:{k}="{v}"' for k, v in ODS_NS.items())
    cell = (
        f'<table:table-cell table:number-columns-repeated="{repeat}" office:value-type="float" office:value="1">'
        f"<text:p>{'&lol9;' if doctype else '1'}</text:p></table:table-cell>"
    )
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    if doctype:
        head += _billion_laughs().split("\n")[1]
    return (
        f"{head}<office:document-content {xmlns}><office:body><office:spreadsheet>"
        f'<table:table table:name="{name}">'
        + f"<table:table-row>{cell}</table:table-row>" * rows
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )


def _ods(content: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _zip_bomb(size: int) -> bytes:
    """A zip whose one entry really holds *size* bytes of zeros (compressed to almost nothing)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                fh.write(chunk)
        zf.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def build_corpus(good: bytes) -> list[Case]:
    rng = random.Random(20260331)
    cases = [
        Case(
            "random-text.xlsx",
            rng.randbytes(3000).hex().encode(),
            "this is not an .xlsx or .ods spreadsheet (unknown file content)",
        ),
        Case("empty.xlsx", b"", "the file is empty"),
        Case("ole-container.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096, LEGACY),
        Case("legacy.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096, LEGACY),
        Case(
            "scan.xlsx",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n",
            ("this is a PDF, not a spreadsheet; send the filled .xlsx workbook"),
        ),
        Case(
            "archive.xlsx",
            _zip({"readme.txt": "hello", "data/report.csv": "a,b\n1,2\n"}),
            ("this zip is not an .xlsx or .ods spreadsheet"),
        ),
        Case("macros.xlsx", _rebuild(good, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 512}), MACROS),
        Case("macros.xlsm", _rebuild(good, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 512}), MACROS),
        Case(
            "zip-bomb.xlsx",
            _zip_bomb(120 * 1024 * 1024),
            ("the file would expand to more than 100 MB (a zip bomb or a huge sheet)"),
        ),
        Case("entity-bomb.xlsx", _rebuild(good, add={"xl/sharedStrings.xml": _billion_laughs()}), XML_BOMB),
        Case("external-entity.xlsx", _rebuild(good, replace={"xl/workbook.xml": _external_entity_workbook(good)}), XML_BOMB),
        Case(
            "huge-sheet.xlsx",
            _rebuild(good, replace={_criteria_part(good): _huge_sheet(limits.MAX_CELLS)}),
            f"the file holds more than {limits.MAX_CELLS} cells; a questionnaire holds about 500",
        ),
        Case(
            "huge-sheet.ods",
            _ods(_ods_table("Criteria", rows=limits.MAX_CELLS // 1000 + 1, repeat=1000)),
            f"the file holds more than {limits.MAX_CELLS} cells; a questionnaire holds about 500",
        ),
        Case("entity-bomb.ods", _ods(_ods_table("Criteria", rows=1, repeat=1, doctype=True)), XML_BOMB),
        Case(
            "empty-cells.xlsx",  # each sheet under the part bound, together over the XML bound
            _rebuild(good, replace={part: _empty_cells_sheet(300_000) for part in _sheet_parts(good)}),
            XML_BYTES,
        ),
        Case(
            "many-strings.xlsx",
            _rebuild(good, add={"xl/sharedStrings.xml": _many_shared_strings(limits.MAX_STRINGS + 1)}),
            f"the file holds more than {limits.MAX_STRINGS} shared strings; a questionnaire holds about 500",
        ),
        Case(
            "long-string.xlsx",
            _rebuild(good, add={"xl/sharedStrings.xml": _long_shared_string(9 * 1024 * 1024)}),
            "part xl/sharedStrings.xml would expand to 9.0 MB; the parts of a questionnaire are well under 8 MB",
        ),
        Case(
            "truncated.xlsx",
            good[: len(good) // 2],
            "the file is damaged (not a readable zip container: File is not a zip file)",
        ),
        Case(
            "malformed-xml.xlsx",
            _rebuild(good, replace={_criteria_part(good): b"<worksheet><sheetData><row r='1'><c r='A1'>"}),
            "a part of the file is damaged and cannot be read (ParseError: ",
            prefix=True,
        ),
        Case(
            "many-parts.xlsx",
            _zip({f"xl/media/p{i}.txt": "" for i in range(limits.MAX_ENTRIES + 1)}),
            (f"the file has {limits.MAX_ENTRIES + 1} parts; a workbook has far fewer"),
        ),
    ]
    part = _criteria_part(good)
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        second = zf.read(part).replace(b"Evidence", b"Other evidence")
    cases.append(
        Case(
            "duplicate-part.xlsx",  # two copies of the Criteria part that differ
            _with_duplicate(good, part, second),
            f"the file holds two zip entries named {part}, and programs differ on which one they read, "
            "so they would show different contents: save it again from the spreadsheet program",
        )
    )
    return cases


@pytest.fixture(scope="module")
def good_bytes(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> bytes:
    path = tmp_path_factory.mktemp("good") / "good.xlsx"
    write_questionnaire(catalogue, path, country=catalogue.country("KH"), year=2026)
    fill(
        path,
        {c.id: c.answers[0].label for c in catalogue.criteria},
        {"Q1": "Evidence"},
        {**RESPONDENT, "name": "A. Official"},
    )
    return path.read_bytes()


@pytest.fixture(scope="module")
def corpus(good_bytes: bytes) -> list[Case]:
    return build_corpus(good_bytes)


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory, corpus: list[Case], good_bytes: bytes) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for case in corpus:
        (folder / case.name).write_bytes(case.data)
    (folder / "RAI-readiness-2026-Cambodia.xlsx").write_bytes(good_bytes)
    (folder / "~$RAI-readiness-2026-Cambodia.xlsx").write_bytes(b"\x0bA. Official" + b"\0" * 150)
    return folder


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _check_reason(issues: list[Issue], case: Case) -> None:
    errors = [i for i in issues if i.severity == ERROR]
    assert len(errors) == 1, issues
    assert issues == errors, issues  # nothing else said about a file that cannot be read
    message = errors[0].message
    assert "\n" not in message
    assert "Traceback" not in message
    if case.prefix:
        assert message.startswith(case.message), message
    else:
        assert message == Msg.UNREADABLE.format(reason=case.message)


def test_a_refused_file_leaves_nothing_held_behind(corpus: list[Case], catalogue: Catalogue, good_bytes: bytes) -> None:
    """rai-xl runs with Python's cycle collector off: a file refused must not leave a cycle holding the frames that
    read it (and with them the whole file's bytes), or a folder of damaged files would fill the memory."""
    with zipfile.ZipFile(io.BytesIO(good_bytes)) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    sheet = "xl/worksheets/sheet3.xml"
    parts[sheet] = parts[sheet].replace(b"</row>", b"</rox>", 1)  # a sheet's XML damaged: its parser's error
    damaged = Case("mismatched-tags.xlsx", _zip(parts), "")
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what a collection finds is kept in gc.garbage, to be looked at
    try:
        held = {}
        for case in [*corpus, damaged]:
            gc.garbage.clear()
            read_return(Path(case.name), catalogue, data=case.data)
            gc.collect()
            frames = [f.f_code.co_name for f in gc.garbage if isinstance(f, FrameType) and "rai_xl" in f.f_code.co_filename]
            if frames:
                held[case.name] = frames
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert held == {}


def test_corpus_is_what_it_claims(corpus: list[Case]) -> None:
    names = [c.name for c in corpus]
    assert len(names) == len(set(names))
    sizes = {c.name: len(c.data) for c in corpus}
    assert sizes["zip-bomb.xlsx"] < 1024 * 1024  # 120 MB of zeros in well under 1 MB
    bomb = zipfile.ZipFile(io.BytesIO(next(c.data for c in corpus if c.name == "zip-bomb.xlsx")))
    assert sum(i.file_size for i in bomb.infolist()) > limits.MAX_UNCOMPRESSED
    assert sizes["huge-sheet.xlsx"] < limits.MAX_FILE_BYTES
    huge = zipfile.ZipFile(io.BytesIO(next(c.data for c in corpus if c.name == "huge-sheet.xlsx")))
    assert sum(i.file_size for i in huge.infolist()) < limits.MAX_UNCOMPRESSED


@pytest.mark.parametrize(
    "name",
    [
        "random-text.xlsx",
        "empty.xlsx",
        "ole-container.xlsx",
        "legacy.xls",
        "scan.xlsx",
        "archive.xlsx",
        "macros.xlsx",
        "macros.xlsm",
        "zip-bomb.xlsx",
        "entity-bomb.xlsx",
        "external-entity.xlsx",
        "huge-sheet.xlsx",
        "huge-sheet.ods",
        "entity-bomb.ods",
        "empty-cells.xlsx",
        "many-strings.xlsx",
        "long-string.xlsx",
        "truncated.xlsx",
        "malformed-xml.xlsx",
        "many-parts.xlsx",
        "duplicate-part.xlsx",
    ],
)
def test_hostile_file_one_clear_reason_fast_and_bounded(
    name: str, corpus: list[Case], corpus_dir: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = next(c for c in corpus if c.name == name)
    path = corpus_dir / name
    before = path.read_bytes()

    sub = read_return(path, catalogue)
    inflated = inflated_bytes(lambda: read_return(path, catalogue), monkeypatch)

    tracemalloc.start()
    try:
        again = read_return(path, catalogue)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert sub.status == INVALID
    assert sub.assessment is None
    assert sub.answers == {}
    _check_reason(sub.issues, case)
    assert again.issues == sub.issues
    assert sub.sha256 == hashlib.sha256(before).hexdigest()
    assert inflated <= DECOMPRESSED_LIMIT, f"{name} inflated {inflated / 2**20:.1f} MiB"
    assert peak < MEMORY_LIMIT, f"{name} peaked at {peak / 2**20:.1f} MiB"
    assert path.read_bytes() == before


def test_lock_file_is_skipped_with_a_note(corpus_dir: Path, catalogue: Catalogue) -> None:
    path = corpus_dir / "~$RAI-readiness-2026-Cambodia.xlsx"
    before = path.read_bytes()
    sub = read_return(path, catalogue)
    assert sub.status == SKIPPED
    assert sub.issues == [Issue(NOTE, "", "", "", Msg.LOCK_FILE.format())]
    assert path.read_bytes() == before


def test_hostile_bytes_through_the_data_argument(corpus: list[Case], catalogue: Catalogue) -> None:
    # read_return(path, catalogue, data) never touches the path when it is given the bytes
    for case in corpus:
        sub = read_return(Path("/nonexistent") / case.name, catalogue, data=case.data)
        assert sub.status == INVALID, case.name
        _check_reason(sub.issues, case)


def test_validate_folder_keeps_going_past_hostile_files(corpus: list[Case], corpus_dir: Path) -> None:
    before = _digest(corpus_dir)
    result = run_cli("validate", str(corpus_dir), "--json")
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    found = {Path(o["file"]).name: o for o in json.loads(result.stdout)}
    assert set(found) == {c.name for c in corpus} | {
        "RAI-readiness-2026-Cambodia.xlsx",
        "~$RAI-readiness-2026-Cambodia.xlsx",
    }

    good = found["RAI-readiness-2026-Cambodia.xlsx"]
    assert (good["status"], good["country"], good["issues"]) == (VALID, "KH", [])
    lock = found["~$RAI-readiness-2026-Cambodia.xlsx"]
    assert lock["status"] == SKIPPED
    assert [i["severity"] for i in lock["issues"]] == [NOTE]
    for case in corpus:
        obj = found[case.name]
        assert obj["status"] == INVALID, case.name
        assert obj["country"] is None
        _check_reason([Issue(**i) for i in obj["issues"]], case)
    assert _digest(corpus_dir) == before


def test_validate_human_output_one_line_per_hostile_file(corpus: list[Case], corpus_dir: Path) -> None:
    result = run_cli("validate", str(corpus_dir))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    for case in corpus:
        mine = [line for line in lines if line.startswith((f"{corpus_dir / case.name}:", f"  ERROR: {case.name}:"))]
        assert len(mine) == 2, (case.name, mine)
        assert mine[0].startswith(f"{corpus_dir / case.name}: rejected: {case.message}")
        assert mine[1].startswith(f"  ERROR: {case.name}: {case.message}")
    n = len(corpus)
    assert lines[-1] == f"{n + 2} file(s): 1 included, {n} rejected, 1 skipped"  # last, where a person reads it
    assert result.stderr == ""


def test_score_hostile_file_exit_1_no_traceback(corpus_dir: Path) -> None:
    for name in ("zip-bomb.xlsx", "entity-bomb.xlsx", "legacy.xls", "empty.xlsx"):
        result = run_cli("score", str(corpus_dir / name), "--json")
        assert result.exit_code == 1, name
        obj = json.loads(result.stdout)
        assert obj["status"] == INVALID
        assert obj["pillars"] == []
        assert [i["severity"] for i in obj["issues"]] == [ERROR]


def test_reader_never_decompresses_a_declared_bomb(corpus: list[Case], opened_parts: list[str]) -> None:
    """The bomb is rejected from the sizes the zip declares, before any part is read."""
    opened = opened_parts
    bomb = next(c for c in corpus if c.name == "zip-bomb.xlsx")
    with pytest.raises(spreadsheet.UnreadableFile):
        spreadsheet.read_workbook(bomb.data, wanted=(ids.SHEET_CRITERIA,))
    assert opened == []


def test_formatted_empty_range_is_not_hostile(
    tmp_path: Path, good_bytes: bytes, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Formatting spread over a big empty range (as spreadsheet users do) stays well inside the bounds."""
    path = tmp_path / "formatted.xlsx"
    path.write_bytes(good_bytes)
    wb = load_workbook(path)
    ws = wb[ids.SHEET_CRITERIA]
    yellow = PatternFill("solid", fgColor="FFFF00")
    for row in range(1, 1001):
        for col in range(8, 27):
            ws.cell(row, col).fill = yellow
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        assert zf.read(_criteria_part(good_bytes)).count(b"<c ") > 19_000
    sub = read_return(path, catalogue)
    with zipfile.ZipFile(path) as zf:
        whole = sum(i.file_size for i in zf.infolist())
    assert inflated_bytes(lambda: read_return(path, catalogue), monkeypatch) <= whole  # no part inflated twice
    assert sub.status == VALID
    assert sub.issues == []


def test_a_return_with_pasted_pictures_is_read(tmp_path: Path, good_bytes: bytes, catalogue: Catalogue) -> None:
    """Screenshots pasted into a return (11.4 MB of them) are never decompressed, so never refused."""
    rng = random.Random(7)
    pictures = {f"xl/media/image{i}.png": rng.randbytes(3_800_000) for i in (1, 2, 3)}
    path = tmp_path / "with-pictures.xlsx"
    path.write_bytes(_rebuild(good_bytes, add=pictures))
    assert path.stat().st_size > 11_400_000
    sub = read_return(path, catalogue)
    assert sub.status == VALID and sub.assessment is not None


# ---------------------------------------------------------------- structures real programs write: read, and said


def _criteria_xml(good: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        return zf.read(_criteria_part(good)).decode()


def _warnings(sub) -> list[tuple[str, str]]:
    return [(i.sheet, i.message) for i in sub.issues if i.severity == WARNING]


def test_external_links_and_embedded_objects_are_ignored_and_said(
    tmp_path: Path, good_bytes: bytes, catalogue: Catalogue
) -> None:
    path = tmp_path / "pasted.xlsx"
    path.write_bytes(
        _rebuild(
            good_bytes,
            add={
                "xl/externalLinks/externalLink1.xml": EXTERNAL_LINK,
                "xl/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0" + bytes(512),
            },
        )
    )
    sub = read_return(path, catalogue)
    assert (sub.status, sub.answers["Q1"]) == (VALID, catalogue.criterion("Q1").answers[0].code)
    assert sub.issues == [Issue(WARNING, "", "", "", Msg.NOT_READ.format(what=EXTERNAL_IGNORED))]


def test_a_google_sheets_grid_on_every_sheet_is_read(tmp_path: Path, good_bytes: bytes, catalogue: Catalogue) -> None:
    """Google writes 1,000 rows x 26 styled empty cells on every sheet: more than 100,000 elements in all."""
    with zipfile.ZipFile(io.BytesIO(good_bytes)) as zf:
        sheets = {p: zf.read(p).decode() for p in _sheet_parts(good_bytes)}
    padded = {}
    for part, xml in sheets.items():
        last = max(int(r) for r in re.findall(r'<row r="(\d+)"', xml))
        grid = "".join(
            f'<row r="{r}">' + "".join(f'<c r="{_letters(c)}{r}" s="1"/>' for c in range(1, 27)) + "</row>"
            for r in range(last + 1, 1001)
        )
        padded[part] = xml.replace("</sheetData>", grid + "</sheetData>")
    assert sum(x.count("<c ") for x in padded.values()) > 100_000
    path = tmp_path / "google.xlsx"
    path.write_bytes(_rebuild(good_bytes, replace=padded))
    sub = read_return(path, catalogue)
    assert (sub.status, sub.issues) == (VALID, [])


def test_a_damaged_properties_part_leaves_the_return_readable(
    tmp_path: Path, good_bytes: bytes, catalogue: Catalogue
) -> None:
    with zipfile.ZipFile(io.BytesIO(good_bytes)) as zf:
        custom = zf.read("docProps/custom.xml")
    path = tmp_path / "damaged-custom.xlsx"
    path.write_bytes(_rebuild(good_bytes, replace={"docProps/custom.xml": custom[: len(custom) // 2]}))
    sub = read_return(path, catalogue)
    assert (sub.status, sub.country.code if sub.country else None) == (VALID, "KH")  # from the hidden sheet and the cells
    [(sheet, message)] = _warnings(sub)
    assert sheet == ""
    assert message.startswith("the document properties part docProps/custom.xml is damaged and was not read (ParseError: ")


def test_formulas_filled_down_read_as_the_official_saw_them(tmp_path: Path, good_bytes: bytes, catalogue: Catalogue) -> None:
    """Evidence typed as a formula and filled down (one shared formula) is its values, each with its own
    formula beside it; an answer that is a filled-down formula is refused naming its own formula."""
    xml = _criteria_xml(good_bytes)
    for row, first in (
        (4, '<f t="shared" ref="F4:F6" si="9">"See "&amp;A4</f>'),
        (5, '<f t="shared" si="9"/>'),
        (6, '<f t="shared" si="9"/>'),
    ):
        xml = xml.replace(
            f'<c r="F{row}" s="8" t="n" />', f'<c r="F{row}" s="8" t="str">{first}<v>See Q{row - 2}</v></c>', 1
        )
    answers = {7: '<f t="shared" ref="D7:D8" si="8">Lists!C14</f>', 8: '<f t="shared" si="8"/>'}
    for row, f in answers.items():
        xml = re.sub(
            rf'<c r="D{row}" s="8" t="inlineStr"><is><t>[^<]*</t></is></c>',
            f'<c r="D{row}" s="8" t="str">{f}<v>Yes</v></c>',
            xml,
        )
    path = tmp_path / "filled-down.xlsx"
    path.write_bytes(_rebuild(good_bytes, replace={_criteria_part(good_bytes): xml}))
    sub = read_return(path, catalogue)
    assert {q: sub.evidence[q] for q in ("Q2", "Q3", "Q4")} == {
        q: f'See {q} (typed as ="See "&A{row})' for q, row in (("Q2", 4), ("Q3", 5), ("Q4", 6))
    }
    formulas = {i.criterion: i.message.split(";")[0] for i in sub.errors}
    assert formulas == {
        "Q5": "the answer cell holds a formula (=Lists!C14)",
        "Q6": "the answer cell holds a formula (=Lists!C15)",
    }


def test_rows_past_the_bound_are_said_on_their_sheet(tmp_path: Path, good_bytes: bytes, catalogue: Catalogue) -> None:
    row = limits.MAX_ROW + 5
    xml = _criteria_xml(good_bytes).replace(
        "</sheetData>", f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>far</t></is></c></row></sheetData>'
    )
    path = tmp_path / "long.xlsx"
    path.write_bytes(_rebuild(good_bytes, replace={_criteria_part(good_bytes): xml}))
    sub = read_return(path, catalogue)
    assert sub.status == VALID
    assert _warnings(sub) == [("Criteria", ROWS_NOT_READ)]


def test_a_bug_in_the_reader_is_a_bug_not_a_damaged_file(
    tmp_path: Path, good_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An AttributeError inside cell reading reaches the per-file guard: exit 3, not 'damaged' and exit 1."""
    path = tmp_path / "good.xlsx"
    path.write_bytes(good_bytes)

    def broken(*_):
        raise AttributeError("'NoneType' object has no attribute 'get'")

    monkeypatch.setattr(xlsx, "Cell", broken)  # every cell kept is made through it
    result = CliRunner().invoke(cli, ["score", str(path), "--json"])
    assert result.exit_code == 3, result.output
    assert isinstance(result.exception, SystemExit)
    [issue] = json.loads(result.stdout)["issues"]
    assert issue["message"] == Msg.INTERNAL.format(error="AttributeError: 'NoneType' object has no attribute 'get'")
    assert "damaged" not in result.output
