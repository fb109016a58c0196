"""Nothing typed is lost, in a real LibreOffice: progress workbooks filled as officials fill them, and
trackers edited with columns of their own, then every value found in the new regional workbook."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl

from tests.helpers import BURMESE, KHMER, THAI, consolidated_samples, header, run_cli
from tests.helpers import progress_rows_in as _rows

LINK = '=HYPERLINK("https://example.org/decree-01-2024.pdf";"Decree 01/2024")'
ADDED = ("Reason for delay", "Country focal point", "Entered in by", "Remarks", "Remarks", "notes", "lead")


def _row(ws, mid: str) -> int:
    top, cols = header(ws, "Milestone ID", "Status")
    return next(r for r in range(top + 1, ws.max_row + 1) if ws.cell(r, cols["Milestone ID"]).value == mid)


def test_what_officials_and_coordinators_type_in_libreoffice_is_all_kept(libreoffice, tmp_path: Path) -> None:
    regional = consolidated_samples(tmp_path, "regional-2026.xlsx")
    returns = tmp_path / "returns"
    wb = openpyxl.load_workbook(regional)
    la = wb["Lao PDR"]
    _, cols = header(la, "Milestone ID", "Target date")
    la.cell(_row(la, "E1.4.1.S1"), cols["Target date"]).value = "Q3 2027"  # the coordinator's text date
    wb.save(regional)
    made = tmp_path / "made"
    for code in ("LA", "TH"):
        assert run_cli("progress", "--previous", regional, "--country", code, "--output", made).exit_code == 0
    la_made, th_made = made / "RAI-progress-2026-Lao-PDR.xlsx", made / "RAI-progress-2026-Thailand.xlsx"
    rows = _rows(la_made)
    a, b, c = (rows[m] for m in list(rows)[:3])
    assert a == rows["E1.4.1.S1"]
    back = tmp_path / "back"
    back.mkdir()
    reported = ["Start here", "B11", "2026-11-30", "formula"]  # typed as a person types a date
    # regional workbook: the coordinator's columns with look-alike, repeated and lower-case key headers, =NA()
    tracker_ops = []
    wb = openpyxl.load_workbook(regional)
    la = wb["Lao PDR"]
    top, cols = header(la, "Milestone ID", "Status")
    last = max(cols.values())
    target = _row(la, "E1.5.1.S1")
    for i, head in enumerate(ADDED, start=1):
        letter = openpyxl.utils.get_column_letter(last + i)
        tracker_ops += [["fill", "Lao PDR", f"{letter}{top}", head], ["fill", "Lao PDR", f"{letter}{target}", f"v{i}"]]
    notes = openpyxl.utils.get_column_letter(cols["Notes"])
    tracker_ops.append(["fill", "Lao PDR", f"{notes}{target}", "=NA()", "formula"])
    jobs = [
        {
            "input": str(la_made),
            "unprotect": ["Progress"],
            "insert_rows": [["Progress", a, 1]],  # a row under the first milestone (0-based index a: after row a)
            "fills": [
                ["Progress", f"F{a + 1}", "   LA national activity: a sandbox"],
                ["Progress", f"G{a + 1}", "In progress"],
                ["Progress", f"J{a + 1}", "started in May"],
                ["Progress", f"I{a}", "2027-09-30", "formula"],  # a date typed over the pre-filled "Q3 2027"
                ["Progress", f"I{b + 1}", "tháng 12/2026"],  # a text date
                ["Progress", f"J{b + 1}", LINK, "formula"],  # a formula in Notes
                ["Progress", f"H{c + 1}", "  " + THAI],
                ["Progress", f"J{c + 1}", " " + KHMER + " "],
                ["Progress", f"K{c + 1}", "  " + BURMESE],
                reported,
            ],
            "save": [[str(back / "LA.xlsx"), "xlsx"]],
        },
        {"input": str(th_made), "fills": [reported], "save": [[str(back / "TH.xlsx"), "xlsx"]]},  # unchanged, dated
        {"input": str(regional), "ops": tracker_ops, "save": [[str(tmp_path / "edited.xlsx"), "xlsx"]]},
    ]
    libreoffice(jobs)
    out = tmp_path / "regional.xlsx"
    args = ("consolidate", returns, "--progress", back, "--previous", tmp_path / "edited.xlsx", "--output", out)
    result = run_cli(*args)
    assert f"{back / 'TH.xlsx'}: progress return: included: reported on 2026-11-30, no changes" in result.output
    wb = openpyxl.load_workbook(out)
    la = wb["Lao PDR"]
    top, cols = header(la, "Milestone ID", "Status")
    mids = list(rows)
    at = {m: _row(la, m) for m in mids[:3]}
    assert la.cell(at[mids[0]], cols["Target date"]).value == datetime(2027, 9, 30)
    assert la.cell(at[mids[1]], cols["Target date"]).value == "tháng 12/2026"
    shown = la.cell(at[mids[1]], cols["Notes"]).value
    assert "HYPERLINK" in shown and "decree-01-2024.pdf" in shown and "Decree 01/2024" in shown
    assert la.cell(at[mids[2]], cols["Lead agency"]).value == "  " + THAI
    assert la.cell(at[mids[2]], cols["Notes"]).value == " " + KHMER + " "
    assert la.cell(at[mids[2]], cols["Evidence of progress"]).value == "  " + BURMESE
    unplaced = {r[6] for r in wb["Unplaced entries"].iter_rows(values_only=True)}
    assert {"   LA national activity: a sandbox", "In progress", "started in May"} <= unplaced
    heads = [c.value for c in la[top]]
    row = _row(la, "E1.5.1.S1")
    expected = ("Reason for delay", "Country focal point", "Entered in by", "Remarks", "Remarks (2)", "notes", "lead")
    assert [la.cell(row, heads.index(h) + 1).value for h in expected] == [f"v{i}" for i in range(1, 8)]
    assert la.cell(row, cols["Notes"]).value == "=NA() (shows #N/A)"
