"""Helpers the test modules share: plain functions and constants (the shared fixtures are in conftest.py).

A test module imports from here, never from another test module.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import shutil
import sys
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
from click.testing import CliRunner, Result
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from rai_xl.cli import cli
from rai_xl.layouts import questionnaire as ids
from rai_xl.method.catalogue import Catalogue
from rai_xl.write.questionnaire import write_questionnaire

if TYPE_CHECKING:
    import pymupdf

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "tests" / "reference" / "asean-responsible-ai-roadmap-2025-2030.txt"
sys.path.insert(0, str(ROOT / "tools"))

from make_samples import fill  # noqa: E402


def labels_for(catalogue: Catalogue, points: dict[str, float]) -> dict[str, str]:
    """{criterion id: label} for {criterion id: points}."""
    return {cid: next(a.label for a in catalogue.criterion(cid).answers if a.points == p) for cid, p in points.items()}


# What an official types on the Respondent sheet (tests override single fields).
RESPONDENT = {
    "agency": "Ministry of Technology and Communications",
    "name": "Test Respondent",
    "position": "Director",
    "email": "respondent@example.gov",
    "date_completed": "2026-03-31",
}


def run_cli(*args: object) -> Result:
    """Run rai-xl as a user would; a crash (any exception other than the exit) fails the test with it.

    CliRunner keeps an uncaught exception in `result.exception`, not in the output: asserting on the
    output alone cannot see a traceback.
    """
    result = CliRunner().invoke(cli, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"rai-xl crashed: {result.exception!r}") from result.exception
    assert result.exit_code in (0, 1, 2), f"exit status {result.exit_code}: {result.output}"
    return result


# ---------------------------------------------------------------- the regional workbook, read back; a known round


SAMPLES = ROOT / "samples"
STATUSES = ["Not started", "Planned", "In progress", "Completed", "Not applicable"]
ASEAN = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN"]
NAMES = {
    "BN": "Brunei Darussalam",
    "KH": "Cambodia",
    "ID": "Indonesia",
    "LA": "Lao PDR",
    "MY": "Malaysia",
    "MM": "Myanmar",
    "PH": "Philippines",
    "SG": "Singapore",
    "TH": "Thailand",
    "TL": "Timor-Leste",
    "VN": "Viet Nam",
}
SCORES_HEADS = ["Country code", "Country", "Year", "Pillar", "Score", "Tier", "Complete"]
ANSWERS_HEADS = ["Country code", "Criterion", "Answer", "Points", "Evidence", "Comments"]
CHECKLIST_HEADS = [
    "Country code",
    "Milestone ID",
    "Action",
    "Sub-action",
    "Term",
    "Milestone",
    "Basis",
    "Status",
    "Lead agency",
    "Target date",
    "Notes",
]
HISTORY_HEADS = SCORES_HEADS
TABLES = {"Scores": SCORES_HEADS, "Answers": ANSWERS_HEADS, "Checklist": CHECKLIST_HEADS, "History": HISTORY_HEADS}


def pillar(number: int, points: list[float | None]) -> dict[str, float]:
    """{criterion id: points} for the ten criteria of a pillar; None leaves a criterion unanswered."""
    assert len(points) == 10
    return {f"Q{10 * (number - 1) + i + 1}": p for i, p in enumerate(points) if p is not None}


def run_consolidate(*args: str) -> Result:
    return run_cli("consolidate", *args)


def consolidate(inputs: list[Path] | Path, output: Path, *extra: str) -> Result:
    paths = [str(p) for p in inputs] if isinstance(inputs, list) else [str(inputs)]
    return run_consolidate(*paths, "--output", str(output), *extra)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table_rows(ws: Worksheet, name: str) -> tuple[list[str], list[list[object]]]:
    """(header cells, data rows) of the Excel table *name* on *ws*, read through the table's own range."""
    assert name in ws.tables, f"no table {name} on {ws.title}: {list(ws.tables)}"
    cells = [[c.value for c in row] for row in ws[ws.tables[name].ref]]
    rows = [r for r in cells[1:] if any(v is not None for v in r)]
    return cells[0], rows


def header(ws: Worksheet, *names: str) -> tuple[int, dict[str, int]]:
    """(row, {header: column}) of the first row holding every one of *names*: layout-proof lookups."""
    for row in ws.iter_rows():
        found = {c.value: c.column for c in row if isinstance(c.value, str)}
        for n in names:  # a header a coordinator reworded ("Lead agency / focal point") is kept as they wrote it
            alike = [text for text in found if text.startswith(f"{n} /")]
            if n not in found and len(alike) == 1:
                found[n] = found[alike[0]]
        if all(n in found for n in names):
            return row[0].row, found
    raise AssertionError(f"no header row with {names} on {ws.title}")


def records(ws: Worksheet, *names: str, until_blank: bool = False) -> list[dict[str, object]]:
    """The rows under the header row holding *names*, as {header: value}."""
    top, cols = header(ws, *names)
    out = []
    for r in range(top + 1, ws.max_row + 1):
        rec = {name: ws.cell(r, col).value for name, col in cols.items()}
        rec = {k: None if v == "" else v for k, v in rec.items()}  # an empty string cell shows as blank
        if all(v is None for v in rec.values()):
            if until_blank:
                break
            continue
        out.append(rec)
    return out


SUBMISSION_HEADS = ("File", "SHA-256", "Status", "Reason")
ISSUE_HEADS = ("File", "Severity", "Sheet", "Cell", "Criterion", "Message")


def submissions(wb: Workbook) -> dict[str, dict[str, object]]:
    """{file name: submission row} from the Submissions sheet."""
    rows = records(wb["Submissions"], *SUBMISSION_HEADS)
    out = {Path(str(r["File"])).name: r for r in rows}
    assert len(out) == len(rows)
    return out


def tier_table(ws: Worksheet) -> dict[str, list[object]]:
    """Overview's tier table: {country name: [B..I]} for the 11 rows under the 'Member State' header."""
    rows = [list(r) for r in ws.iter_rows(max_col=9, values_only=True)]
    top = next(i for i, r in enumerate(rows) if r[0] == "Member State")
    body = rows[top + 1 : top + 12]
    assert [r[0] for r in body] == [NAMES[c] for c in ASEAN]
    return {r[0]: r[1:] for r in body}  # type: ignore[misc]


def headings(ws: Worksheet) -> dict[int, str]:
    """{row: text} of a tracker's headings: bands whose text is in column A, a long one on several rows (each
    row after its first with no top border), read whole."""
    out: dict[int, str] = {}
    first = 0
    for row in ws.iter_rows(min_row=header(ws, "Milestone ID", "Status")[0] + 1):
        values = [c.value for c in row if c.value not in (None, "")]
        if len(values) != 1 or row[0].value in (None, "") or not isinstance(row[0].value, str):
            first = 0
            continue
        if first and row[0].border.top.style is None:  # the band goes on
            out[first] += " " + row[0].value
        else:
            first = row[0].row
            out[first] = row[0].value
    return out


def all_text(ws: Worksheet) -> str:
    return "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def status_validation(ws: Worksheet, coordinate: str) -> list[str] | None:
    """The items of the list validation covering *coordinate*, or None."""
    for dv in ws.data_validations.dataValidation:
        if coordinate in dv.sqref and dv.type == "list":
            return dv.formula1.strip('"').split(",")
    return None


# Lao PDR: complete; pillar 1 on 10.5 (Emerging), 21 (Advanced), 19.5 (Promising), 0 (Emerging).
LA_POINTS = {
    **pillar(1, [3, 3, 3, 1.5, 0, 0, 0, 0, 0, 0]),
    **pillar(2, [3, 3, 3, 3, 3, 3, 3, 0, 0, 0]),
    **pillar(3, [3, 3, 3, 3, 3, 3, 1.5, 0, 0, 0]),
    **pillar(4, [0] * 10),
}
# Cambodia: pillar 2 incomplete (Q11, Q12 blank): 12, provisionally Promising.
KH_POINTS = {
    **pillar(1, [3] * 10),
    **pillar(2, [None, None] + [1.5] * 8),
    **pillar(3, [1.5] * 10),
    **pillar(4, [3] * 7 + [0] * 3),
}
# Singapore: full marks everywhere, so no lost points and no gap actions.
SG_POINTS = {f"Q{i}": 3.0 for i in range(1, 41)}


# ---------------------------------------------------------------- questionnaires: cells and identity, edited as a user would


def answer_row(number: int) -> int:
    """Row of criterion Q<number> in a fresh questionnaire: header, then a heading row before each pillar."""
    return number + 1 + math.ceil(number / 10)


def answer_cell(number: int) -> str:
    return f"D{answer_row(number)}"


def all_labels(catalogue: Catalogue, points: float = 3.0) -> dict[str, str]:
    return labels_for(catalogue, {c.id: points for c in catalogue.criteria})


def set_cells(path: Path, sheet: str, values: dict[str, object]) -> None:
    """Type values into cells of *sheet*, locked or not, as a determined user would."""
    wb = load_workbook(path)
    ws = wb[sheet]
    for ref, value in values.items():
        ws[ref].value = value
    wb.save(path)


def rewrite_zip(path: Path, replace: dict[str, bytes | None]) -> None:
    """Rewrite the zip at *path*, replacing parts (None drops a part)."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in replace:
                data = replace[info.filename]
                if data is not None:
                    dst.writestr(info.filename, data)
            else:
                dst.writestr(info.filename, src.read(info.filename))
    path.write_bytes(out.getvalue())


def set_custom_property(path: Path, key: str, value: str) -> None:
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("docProps/custom.xml").decode()
    pattern = rf'(<property name="{ids.PROPERTY_PREFIX}{key}"[^>]*><vt:lpwstr>)[^<]*(</vt:lpwstr>)'
    new, n = re.subn(pattern, lambda m: m.group(1) + value + m.group(2), xml)
    assert n == 1, f"custom property {key} not found"
    rewrite_zip(path, {"docProps/custom.xml": new.encode()})


def set_identity(path: Path, key: str, value: str, where: Iterable[str] = ("properties", "lists", "start")) -> None:
    """Change one identity key in the chosen copies: custom properties, the Lists sheet, the Start here sheet."""
    where = set(where)
    if where & {"lists", "start"}:
        wb = load_workbook(path)
        if "lists" in where:
            ws = wb[ids.SHEET_LISTS]
            row = next(r for r in range(1, 20) if ws.cell(r, 8).value == key)
            ws.cell(row, 9).value = value
        if "start" in where:
            ws = wb[ids.SHEET_START]
            row = next(r for r in range(1, 60) if ws.cell(r, 1).value == ids.LABELS[key])
            ws.cell(row, 2).value = value
        wb.save(path)
    if "properties" in where:
        set_custom_property(path, key, value)


# ---------------------------------------------------------------- rounds: what coordinators type into trackers


HEADS = ("Milestone ID", "Status", "Lead agency", "Target date", "Notes")


# Lao PDR in 2027: every tier changes (2026: Emerging, Advanced, Promising, Emerging).
LA_2027 = {
    **pillar(1, [3] * 10),  # 30 Advanced
    **pillar(2, [0] * 10),  # 0 Emerging
    **pillar(3, [3] * 10),  # 30 Advanced
    **pillar(4, [3] * 5 + [0] * 5),  # 15 Promising
}


# What coordinators type into the 2026 regional workbook: (sheet, milestone ID, {column: value}).
TYPED = [
    (
        "Lao PDR",
        "E1.4.1.S1",  # 2027: a gap action (Q16-Q20 lose points), so it stays in the plan
        {
            "Status": "In progress",
            "Lead agency": "ກະຊວງເຕັກໂນໂລຊີ ແລະ ການສື່ສານ",
            "Target date": datetime(2026, 6, 30),
            "Notes": "=not a formula, keep it",
        },
    ),
    (
        "Lao PDR",
        "E1.5.1.S1",  # 2027: pillar 1 is Advanced and Q3-Q5 lose nothing: no longer planned
        {"Status": "Completed", "Lead agency": "  MTC  (two spaces)  ", "Target date": "Q3 2026", "Notes": "one\ntwo"},
    ),
    ("Lao PDR", "A2.2.1.S1", {"Notes": "only a note"}),
    ("Lao PDR", "P3.3.1.S1", {"Status": "Planned", "Lead agency": 42}),
    ("Lao PDR", "E4.4.1.S1", {"Status": "Not applicable"}),
    ("Cambodia", "A1.1.1.S1", {"Status": "In progress", "Lead agency": "Ministry of Post and Telecommunications"}),
    ("Cross-cutting", "C1.1.1.S1", {"Status": "Planned", "Lead agency": "สำนักงาน ASEAN", "Notes": "ทดสอบ"}),
    ("Cross-cutting", "C2.1.1.S2", {"Target date": datetime(2027, 1, 15)}),
]


UNTOUCHED = {"Status": "Not started", "Lead agency": None, "Target date": None, "Notes": None}


def checklist_row(ws: Worksheet, milestone_id: str) -> tuple[int, dict[str, int]]:
    top, cols = header(ws, *HEADS)
    rows = [r for r in range(top + 1, ws.max_row + 1) if ws.cell(r, cols["Milestone ID"]).value == milestone_id]
    assert len(rows) == 1, (ws.title, milestone_id, rows)
    return rows[0], cols


def key_column(ws: Worksheet) -> int:
    """The column of a tracker's hidden key (its header begins 'rai-xl key')."""
    top, _ = header(ws, *HEADS)
    return next(c.column for c in ws[top] if str(c.value).startswith("rai-xl key"))


def typed_on(ws: Worksheet, milestone_id: str) -> dict[str, object]:
    row, cols = checklist_row(ws, milestone_id)
    return {h: ws.cell(row, cols[h]).value for h in HEADS[1:]}


def type_into(path: Path, out: Path, entries: list[tuple[str, str, dict[str, object]]]) -> None:
    """Type into a regional workbook's checklists as a coordinator would, and save it."""
    wb = load_workbook(path)
    for sheet, mid, values in entries:
        ws = wb[sheet]
        row, cols = checklist_row(ws, mid)
        for head, value in values.items():
            cell = ws.cell(row, cols[head])
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # text, even when it starts with "="
    wb.save(out)


def make_returns(folder: Path, catalogue: Catalogue, year: int, points: dict[str, dict[str, float]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for code, pts in points.items():
        path = folder / f"return-{code}-{year}.xlsx"
        write_questionnaire(catalogue, path, country=catalogue.country(code), year=year)
        fill(path, labels_for(catalogue, pts), {}, {"name": f"Respondent {code}"})
    return folder


def first_round(base: Path, catalogue: Catalogue) -> tuple[Path, Path, Path]:
    """(the 2026 returns of KH, LA and SG, the 2027 returns of LA and SG, the 2026 regional workbook) in *base*."""
    r2026 = make_returns(base / "returns-2026", catalogue, 2026, {"KH": KH_POINTS, "LA": LA_POINTS, "SG": SG_POINTS})
    r2027 = make_returns(base / "returns-2027", catalogue, 2027, {"LA": LA_2027, "SG": SG_POINTS})
    first = base / "regional-2026.xlsx"
    assert consolidate(r2026, first).exit_code == 1  # Cambodia is incomplete
    return r2026, r2027, first


def rows_of(ws: Worksheet, milestone_id: str) -> list[int]:
    """The rows of a tracker whose visible Milestone ID is *milestone_id*."""
    top, cols = header(ws, *HEADS)
    return [r for r in range(top + 1, ws.max_row + 1) if ws.cell(r, cols["Milestone ID"]).value == milestone_id]


def last_row(ws: Worksheet) -> int:
    return max(c.row for row in ws.iter_rows() for c in row if c.value is not None)


def set_text(ws: Worksheet, row: int, col: int, value: str) -> None:
    cell = ws.cell(row, col)
    cell.value = value
    cell.data_type = "s"


# ---------------------------------------------------------------- progress workbooks


def tracker_row(ws: Worksheet, milestone_id: str) -> int:
    """The row of *milestone_id* on a tracker as rai-xl writes it (Milestone ID in column F)."""
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 6).value == milestone_id)


def edited_lao_tracker(made: Path, path: Path, milestone_id: str, values: dict[int, object]) -> Path:
    """The regional workbook in *made* with *values* ({column: value}) typed on Lao PDR's row of *milestone_id*,
    saved at *path*."""
    wb = openpyxl.load_workbook(made / "regional.xlsx")
    row = tracker_row(wb["Lao PDR"], milestone_id)
    for col, value in values.items():
        wb["Lao PDR"].cell(row, col).value = value
    wb.save(path)
    return path


def progress_rows(ws: Worksheet) -> dict[str, int]:
    """{milestone ID: row} of the Progress sheet (by its hidden key column, L)."""
    return {ws.cell(r, 12).value: r for r in range(6, ws.max_row + 1) if ws.cell(r, 12).value}


def fill_progress(src: Path, dest: Path, values: dict[str, dict[int, object]], on: datetime | None) -> Path:
    """A filled return: {milestone: {column: value}} on the Progress sheet, the report date on 'Start here'."""
    wb = openpyxl.load_workbook(src)
    ws = wb["Progress"]
    rows = progress_rows(ws)
    for mid, cells in values.items():
        row = rows.get(mid, ws.max_row + 1)
        if mid not in rows:
            ws.cell(row, 1).value = mid
        for col, v in cells.items():
            ws.cell(row, col).value = v
    if on is not None:
        wb["Start here"]["B11"] = on
    wb.save(dest)
    return dest


# Agencies typed in LibreOffice, in the scripts that need complex text layout (tests/realclient).
THAI = "สำนักงานพัฒนารัฐบาลดิจิทัล"
KHMER = "ក្រសួងប្រៃសណីយ៍ និងទូរគមនាគមន៍"
BURMESE = "ပို့ဆောင်ရေးနှင့် ဆက်သွယ်ရေးဝန်ကြီးဌာန\nစီမံကိန်း"


def progress_rows_in(path: Path) -> dict[str, int]:
    """{milestone ID: row} of a progress workbook's Progress sheet (its hidden key column, L)."""
    ws = openpyxl.load_workbook(path)["Progress"]
    return {ws.cell(r, 12).value: r for r in range(6, ws.max_row + 1) if ws.cell(r, 12).value}


# ---------------------------------------------------------------- the meeting pack (PDF)


def run_unchecked(*args: str) -> Result:
    """Run rai-xl and give CliRunner's result as it is: no check of the exit status or of a crash."""
    return CliRunner().invoke(cli, [str(a) for a in args])


def page_of(doc: pymupdf.Document, heading: str) -> pymupdf.Page:
    found = [p for p in doc if heading in p.get_text()]
    assert found, heading
    return found[0]


def band_text(page: pymupdf.Page, top: float, bottom: float, left: float) -> list[str]:
    """The words of a table row: between *top* and *bottom*, right of *left*, in reading order."""
    words = [w for w in page.get_text("words") if top <= (w[1] + w[3]) / 2 < bottom and w[0] > left]
    return [w[4] for w in sorted(words, key=lambda w: (round(w[0] / 4), w[1]))]


def checklist_all_row(pdf: Path, country: str) -> list[int]:
    """The 'All' row of a profile's checklist progress: milestones by status, then all."""
    import pymupdf

    page = page_of(pymupdf.open(pdf), f"{country}: readiness 2026")
    head = page.search_for("Action checklist")[0]
    at = next(r for r in page.search_for("All") if r.y0 > head.y1 + 20 and r.x0 < 80)
    return [int(w) for w in band_text(page, at.y0 - 2, at.y1 + 2, at.x1)]


def consolidated_samples(folder: Path, name: str = "regional.xlsx") -> Path:
    """The 2026 regional workbook *name* of the bundled samples' returns, made in *folder* (returns in 'returns')."""
    returns = folder / "returns"
    returns.mkdir()
    for f in SAMPLES.glob("RAI-readiness-2026-*.xlsx"):
        shutil.copy(f, returns)
    regional = folder / name
    run_cli("consolidate", returns, "--output", regional)
    return regional


def carried_twice(returns: Path, before: Path, folder: Path) -> tuple[Path, Path]:
    """*before* carried into a new workbook of the same round, and that one into another: (after, again)."""
    after, again = folder / "after.xlsx", folder / "again.xlsx"
    consolidate(returns, after, "--previous", str(before))
    consolidate(returns, again, "--previous", str(after))
    return after, again
