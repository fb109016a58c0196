"""Progress workbooks filled and saved by a real LibreOffice (.xlsx and .ods), then consolidated."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl

from tests.helpers import BURMESE, KHMER, THAI, consolidated_samples, run_cli, tracker_row
from tests.helpers import progress_rows_in as _rows

LAO = "ກະຊວງເຕັກໂນໂລຊີ ແລະ ການສື່ສານ"


def _serial(d: date) -> int:
    return (d - date(1899, 12, 30)).days


def _tracker(wb: openpyxl.Workbook, sheet: str, mid: str) -> list[object]:
    ws = wb[sheet]
    row = tracker_row(ws, mid)
    return [ws.cell(row, c) for c in (7, 8, 9, 10, 11)]


def test_progress_returns_from_libreoffice_reach_their_rows(libreoffice, tmp_path: Path) -> None:
    regional = consolidated_samples(tmp_path, "regional-2026.xlsx")
    returns = tmp_path / "returns"
    made = tmp_path / "made"
    assert run_cli("progress", "--previous", regional, "--all", "--output", made).exit_code == 0
    # the coordinator edits Lao PDR's tracker after the progress workbooks went out
    wb = openpyxl.load_workbook(regional)
    _tracker(wb, "Lao PDR", "E1.4.1.S2")[0].value = "In progress"
    wb.save(regional)

    la, th, kh, mm = (made / f"RAI-progress-2026-{n}.xlsx" for n in ("Lao-PDR", "Thailand", "Cambodia", "Myanmar"))
    la_rows, th_rows, mm_rows = _rows(la), _rows(th), _rows(mm)
    th_first, th_second = list(th_rows)[:2]
    mm_first = next(iter(mm_rows))
    back = tmp_path / "back"
    back.mkdir()
    reported = ["Start here", "B11", _serial(date(2026, 11, 30)), "number"]
    jobs = [
        {
            "input": str(la),
            "fills": [
                ["Progress", f"G{la_rows['E1.4.1.S1']}", "Completed"],
                ["Progress", f"H{la_rows['E1.4.1.S1']}", LAO],
                ["Progress", f"I{la_rows['E1.4.1.S1']}", _serial(date(2027, 6, 30)), "number"],
                ["Progress", f"K{la_rows['E1.4.1.S1']}", "Decree 12/2026, 50%"],
                ["Progress", f"G{la_rows['E1.4.1.S2']}", "Completed"],
                reported,
            ],
            "save": [[str(back / "LA.xlsx"), "xlsx"]],
        },
        {
            "input": str(th),
            "fills": [
                ["Progress", f"G{th_rows[th_first]}", "Done"],
                ["Progress", f"J{th_rows[th_second]}", THAI],
                reported,
            ],
            "save": [[str(back / "TH.ods"), "ods"]],
        },
        {"input": str(kh), "save": [[str(back / "KH.xlsx"), "xlsx"]]},
        {
            "input": str(mm),
            "fills": [
                ["Progress", f"H{mm_rows[mm_first]}", KHMER],
                ["Progress", f"J{mm_rows[mm_first]}", BURMESE],
                reported,
            ],
            "save": [[str(back / "MM.ods"), "ods"]],
        },
    ]
    libreoffice(jobs)

    validated = run_cli("validate", back)
    assert validated.exit_code == 1
    assert f"{back / 'KH.xlsx'} (Cambodia, progress 2026): progress return: no changes" in validated.output
    assert (
        f"ERROR: TH.ods, sheet 'Progress', cell G{th_rows[th_first]}, {th_first}: Status 'Done' is not a status of "
        "the list; allowed: Not started, Planned, In progress, Completed, Not applicable"
    ) in validated.output

    out = tmp_path / "regional.xlsx"
    result = run_cli("consolidate", returns, "--progress", back, "--previous", regional, "--output", out)
    assert result.exit_code == 1
    assert f"{back / 'LA.xlsx'}: progress return: included: 5 change(s) reported" in result.output
    assert f"{back / 'KH.xlsx'}: progress return: no changes" in result.output
    wb = openpyxl.load_workbook(out)
    cells = _tracker(wb, "Lao PDR", "E1.4.1.S1")
    assert [c.value for c in cells] == ["Completed", LAO, datetime(2027, 6, 30), None, "Decree 12/2026, 50%"]
    conflict = _tracker(wb, "Lao PDR", "E1.4.1.S2")[0]
    assert conflict.value == "In progress" and conflict.comment.text.startswith("Conflict: Lao PDR reported 'Completed'")
    assert _tracker(wb, "Thailand", th_first)[0].value == "Not started"  # a status off the list changes nothing
    assert _tracker(wb, "Thailand", th_second)[3].value == THAI
    assert [c.value for c in _tracker(wb, "Myanmar", mm_first)[1:4:2]] == [KHMER, BURMESE]
    table = list(wb["Progress"].iter_rows(min_row=2, values_only=True))
    on = datetime(2026, 11, 30)
    assert table == [
        ("LA", "E1.4.1.S1", "Status", "Not started", "Completed", "LA.xlsx", on),
        ("LA", "E1.4.1.S1", "Lead agency", None, LAO, "LA.xlsx", on),
        ("LA", "E1.4.1.S1", "Target date", None, datetime(2027, 6, 30), "LA.xlsx", on),
        ("LA", "E1.4.1.S1", "Evidence of progress", None, "Decree 12/2026, 50%", "LA.xlsx", on),
        ("MM", mm_first, "Lead agency", None, KHMER, "MM.ods", on),
        ("MM", mm_first, "Notes", None, BURMESE, "MM.ods", on),
        ("TH", th_second, "Notes", None, THAI, "TH.ods", on),
    ]
    issues = [r for r in wb["Issues"].iter_rows(values_only=True) if r[0] in ("LA.xlsx", "TH.ods")]
    assert any(r[4] == "E1.4.1.S2" and "conflict on Status" in r[5] for r in issues)
    assert any(r[4] == th_first and "Status 'Done' is not a status" in r[5] for r in issues)
