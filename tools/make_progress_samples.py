"""Make the sample progress returns: Member States' reports on the 2025 plan, made from samples/regional-2025.xlsx.

Usage: python tools/make_progress_samples.py [OUTPUT_FOLDER]   (default: samples/)

`rai-xl progress` writes each workbook from the synthetic 2025 regional workbook; the reports are then
typed in as officials would (openpyxl stands in for their spreadsheet program): Lao PDR mid-year,
Thailand in July, Indonesia before the meeting, some in Lao and Thai. So `rai-xl consolidate samples/
--previous samples/regional-2025.xlsx` shows progress on the Overview, the profiles and the trackers.
The output is the same bytes on every run.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

from make_previous_sample import normalise
from openpyxl import load_workbook

from rai_xl.layouts import progress as pg
from rai_xl.method.catalogue import load_catalogue
from rai_xl.write.progress import write_progress_workbooks

MADE_ON = date(2026, 1, 15)
COLUMNS = {c.key: i for i, c in enumerate(pg.PLAN, start=1)}  # 1-based, as openpyxl counts
KEY_COLUMN = len(pg.PLAN) + 1
# (country code, reported on, reported by, {milestone: {field: value}})
REPORTS = [
    (
        "LA",
        date(2026, 6, 30),
        "Synthetic official, Ministry of Technology and Communications (sample data)",
        {
            "P1.3.1.S1": {"status": "Completed", "evidence": "ດຳລັດ ວ່າດ້ວຍ ປັນຍາປະດິດ ເລກທີ 245 (ຕົວຢ່າງ)"},
            "P1.3.1.S2": {"status": "In progress", "notes": "Drafting committee meets monthly"},
        },
    ),
    (
        "TH",
        date(2026, 7, 15),
        "Synthetic official, ETDA (sample data)",
        {"P1.3.1.S1": {"status": "Completed", "target": date(2026, 5, 31), "notes": "คณะรัฐมนตรีอนุมัติแล้ว (ตัวอย่าง)"}},
    ),
    (
        "ID",
        date(2026, 11, 20),
        "Synthetic official, Kementerian Komunikasi dan Digital (sample data)",
        {"P1.3.1.S1": {"evidence": "Peraturan Presiden (sample), 2026"}, "P1.3.1.S2": {"status": "Planned"}},
    ),
]


def fill(path: Path, values: dict[str, dict[str, object]], reported_on: date, reported_by: str) -> None:
    """Type a report into a progress workbook, as an official would: {milestone: {field key: value}}."""
    wb = load_workbook(path)
    ws = wb[pg.SHEET_PLAN]
    rows = {ws.cell(r, KEY_COLUMN).value: r for r in range(1, ws.max_row + 1)}
    for mid, fields in values.items():
        for key, value in fields.items():
            ws.cell(rows[mid], COLUMNS[key]).value = value
    start = wb[pg.SHEET_START]
    for (label,) in start.iter_rows(min_col=1, max_col=1):
        if label.value == pg.REPORTED_ON[1]:
            start.cell(label.row, 2).value = datetime(reported_on.year, reported_on.month, reported_on.day)
        elif label.value == pg.REPORTED_BY[1]:
            start.cell(label.row, 2).value = reported_by
    wb.save(path)


def make(out_dir: Path, regional: Path) -> list[Path]:
    catalogue = load_catalogue()
    made = []
    with tempfile.TemporaryDirectory() as tmp:
        countries = [catalogue.country(code) for code, *_ in REPORTS]
        written = write_progress_workbooks(catalogue, regional, countries, Path(tmp), made_on=MADE_ON)  # type: ignore[arg-type]
        for (path, _), (_, on, by, values) in zip(written, REPORTS, strict=True):
            fill(path, values, on, by)
            normalise(path)
            target = out_dir / path.name
            target.write_bytes(path.read_bytes())
            made.append(target)
    return made


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "samples"
    for path in make(folder.resolve(), root / "samples" / "regional-2025.xlsx"):
        print(f"wrote {path}")
