"""Nothing typed is lost: the rules that keep what a person typed (formulas, spaces, headers of their own)
on plain data, then each behaviour end to end through a progress return and a tracker."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from rai_xl.read.spreadsheet import Cell, Sheet
from tests.helpers import carried_twice, edited_lao_tracker, run_cli
from tests.helpers import fill_progress as _fill
from tests.helpers import progress_rows as _rows

LINK = '=HYPERLINK("https://example.org/decree-01-2024.pdf","Decree 01/2024")'


@pytest.mark.parametrize(
    ("value", "formula", "text_field", "kept"),
    [
        ("plain", "", True, "plain"),  # no formula: the value as it is
        ("  spaced  ", "", True, "  spaced  "),
        ("#VALUE!", LINK, True, f"{LINK} (shows #VALUE!)"),  # an error value never alone
        ("#N/A", "=NA()", True, "=NA() (shows #N/A)"),
        ("Err:502", "=FOO(", True, "=FOO( (shows Err:502)"),
        ("Decree 01/2024", LINK, True, f"Decree 01/2024 (typed as {LINK})"),  # what was seen and what was typed
        (None, LINK, True, LINK),  # no cached value: the formula's text
        (2.0, "=1+1", True, "2 (typed as =1+1)"),
        (datetime(2027, 6, 30), "=DATE(2027,6,30)", False, datetime(2027, 6, 30)),  # a Target date stays a date
        ("#REF!", "=A0", False, "=A0 (shows #REF!)"),
    ],
)
def test_a_formula_typed_in_a_field_is_kept_beside_its_value(value, formula, text_field, kept) -> None:
    from rai_xl.core.text import with_formula

    assert with_formula(value, formula, text_field) == kept


@pytest.mark.parametrize(
    ("header", "names"),
    [
        ("Notes", "notes"),
        ("notes", "notes"),
        ("Notes (updated monthly)", "notes"),
        ("Lead agency / focal point", "lead"),
        ("Lead agency: focal point", "lead"),
        ("Reason for delay", None),  # a column of the person's own, not the Archive's Reason
        ("Country focal point", None),
        ("Entered in by", None),
        ("Remarks", None),
        ("Milestone ID", "milestone_id"),
        ("Milestone", "milestone"),
    ],
)
def test_a_header_names_a_column_only_when_it_is_that_column(header: str, names: str | None) -> None:
    from rai_xl.read.entries import classify
    from rai_xl.read.previous import LAYOUT

    found = classify(header, LAYOUT)
    assert (found.key if found else None) == names


def _sheet(heads: list[str], *rows: dict[int, Cell]) -> Sheet:
    sheet = Sheet("T", {(3, c): Cell(h) for c, h in enumerate(heads, start=1)})
    for i, row in enumerate(rows):
        sheet.cells |= {(4 + i, c): cell for c, cell in row.items()}
    return sheet


HEADS = ["Milestone ID", "Status", "Lead agency", "Target date", "Notes"]


def test_added_columns_are_a_name_space_of_their_own() -> None:
    """Look-alike, repeated and lower-case key headers: every column kept, the layout's where it is."""
    from rai_xl.read.entries import read_entries
    from rai_xl.read.previous import LAYOUT

    heads = [*HEADS, "notes", "Reason for delay", "Remarks", "Remarks", "lead", "rai-xl key: LA"]
    row = {
        1: Cell("E1.4.1.S1"),
        2: Cell("Planned"),
        3: Cell("MTC"),
        5: Cell("the real notes"),
        6: Cell("added notes"),
        7: Cell("budget cut"),
        8: Cell("first remark"),
        9: Cell("second remark"),
        10: Cell("added lead"),
        11: Cell("evidence pasted over the key"),
    }
    found = read_entries(_sheet(heads, row), LAYOUT)
    assert found is not None
    assert found.columns == {"milestone_id": 1, "status": 2, "lead": 3, "target": 4, "notes": 5, "key": 11}
    assert found.added == {6: "notes", 7: "Reason for delay", 8: "Remarks", 9: "Remarks (2)", 10: "lead"}
    (r,) = found.rows
    assert (r.typed.lead, r.typed.notes, r.key) == ("MTC", "the real notes", "")
    assert r.typed.added == (
        ("notes", "added notes", ""),
        ("Reason for delay", "budget cut", ""),
        ("Remarks", "first remark", ""),
        ("Remarks (2)", "second remark", ""),
        ("lead", "added lead", ""),
    )
    assert r.cells["notes"] == "E4" and r.cells["added:notes"] == "F4"
    assert found.stray == [("K4", "evidence pasted over the key", found.stray[0][2])]
    assert any("Remarks (2)" in s for s in found.said)


def test_a_lower_case_key_header_before_the_real_one_does_not_take_its_place() -> None:
    from rai_xl.read.entries import read_entries
    from rai_xl.read.previous import LAYOUT

    heads = ["Milestone ID", "Status", "notes", "Lead agency", "Target date", "Notes"]
    found = read_entries(_sheet(heads, {1: Cell("E1.4.1.S1"), 3: Cell("mine"), 6: Cell("real")}), LAYOUT)
    assert found is not None and found.columns["notes"] == 6 and found.added == {3: "notes"}
    assert found.rows[0].typed.notes == "real" and found.rows[0].typed.added == (("notes", "mine", ""),)
    assert any("both name Notes" in s for s in found.said)


def test_formulas_and_spaces_in_typed_cells_are_kept() -> None:
    from rai_xl.read.entries import read_entries
    from rai_xl.read.previous import LAYOUT

    row = {
        1: Cell("E1.4.1.S1"),
        3: Cell("  กระทรวง  "),
        4: Cell("#N/A", "=NA()"),
        5: Cell("#VALUE!", LINK),
    }
    found = read_entries(_sheet(HEADS, row), LAYOUT)
    assert found is not None
    t = found.rows[0].typed
    assert (t.lead, t.target, t.notes) == ("  กระทรวง  ", "=NA() (shows #N/A)", f"{LINK} (shows #VALUE!)")


# ---------------------------------------------------------------- end to end: a progress return


def test_a_progress_return_keeps_every_typed_value(made: Path, tmp_path: Path) -> None:
    src = made / "RAI-progress-2026-Lao-PDR.xlsx"
    wb = openpyxl.load_workbook(src)
    ws = wb["Progress"]
    rows = _rows(ws)
    ids = sorted(rows, key=rows.get)
    a, b, c, d = ids[:4]
    ws.cell(rows[a], 9).value = "Q3 2027"  # a Target date typed as text
    ws.cell(rows[b], 9).value = "31/12/2026"
    ws.cell(rows[c], 10).value = LINK  # a formula in Notes
    ws.cell(rows[c], 11).value = "  ເອກະສານ ຄັ້ງທີ 1  "  # Lao with spaces at both ends
    ws.cell(rows[d], 7).value = "Done"  # not a status of the list
    end = ws.max_row + 1  # a row added under the plan: a milestone of the country's own
    for col, v in ((6, "LA national activity: a new sandbox"), (7, "In progress"), (10, "started in May")):
        ws.cell(end, col).value = v
    wb["Start here"]["B11"] = datetime(2026, 11, 2)
    ret = tmp_path / "LA.xlsx"
    wb.save(ret)
    new, la, heads, at = _merged_lao(made, ret, tmp_path)
    assert la.cell(at[a], heads["Target date"]).value == "Q3 2027"  # kept as typed, on its row
    assert la.cell(at[b], heads["Target date"]).value == "31/12/2026"
    notes = la.cell(at[c], heads["Notes"])
    assert notes.value == LINK and notes.data_type == "s" and notes.quotePrefix  # text, never a formula
    assert la.cell(at[c], heads["Evidence of progress"]).value == "  ເອກະສານ ຄັ້ງທີ 1  "
    unplaced = list(new["Unplaced entries"].iter_rows(values_only=True))
    values = {r[6] for r in unplaced}
    assert {"LA national activity: a new sandbox", "In progress", "started in May", "Done"} <= values
    issues = " ".join(str(v) for r in new["Issues"].iter_rows(values_only=True) for v in r)
    assert "'Q3 2027' is not a date" in issues
    overview = " ".join(str(v) for r in new["Overview"].iter_rows(values_only=True) for v in r if v)
    said = "1 value(s) refused (kept on Unplaced entries), 2 Target date(s) not a date (kept as typed), 1 row(s) added"
    assert said in overview  # what the Overview counts of a return: changes, and what was refused or added


def test_a_dated_return_with_no_change_is_a_report(made: Path, tmp_path: Path) -> None:
    ret = _fill(made / "RAI-progress-2026-Thailand.xlsx", tmp_path / "TH.xlsx", {}, datetime(2026, 11, 3))
    out = tmp_path / "regional.xlsx"
    args = ("consolidate", made / "returns", "--previous", made / "regional.xlsx", "--progress", ret, "--output", out)
    result = run_cli(*args)
    assert f"{ret}: progress return: included: reported on 2026-11-03, no changes" in result.output
    rows = [r for r in openpyxl.load_workbook(out)["Overview"].iter_rows(values_only=True) if r[0] == "Thailand"]
    assert any("reported on 2026-11-03, no changes" in str(r) for r in rows)


def test_a_progress_workbooks_target_date_takes_a_date_over_a_text_date(made: Path, tmp_path: Path) -> None:
    """A Target date pre-filled as text is no text cell, and its validation lets a date or text in."""
    edited_lao_tracker(made, tmp_path / "edited.xlsx", "E1.4.1.S2", {9: "Q3 2027"})
    assert (
        run_cli("progress", "--previous", tmp_path / "edited.xlsx", "--country", "LA", "--output", tmp_path).exit_code == 0
    )
    made_wb = openpyxl.load_workbook(tmp_path / "RAI-progress-2026-Lao-PDR.xlsx")
    plan = made_wb["Progress"]
    cell = plan.cell(_rows(plan)["E1.4.1.S2"], 9)
    assert cell.value == "Q3 2027" and cell.number_format != "@"
    (target,) = [v for v in plan.data_validations.dataValidation if "I" in str(v.sqref)]
    assert target.type in (None, "any") and target.prompt


def test_spaces_of_evidence_are_carried_exactly() -> None:
    from rai_xl.read.criteria_sheet import _free_text

    assert _free_text(Cell("  ພາສາລາວ  ")) == "  ພາສາລາວ  "
    assert _free_text(Cell("#VALUE!", LINK)) == f"{LINK} (shows #VALUE!)"


# ---------------------------------------------------------------- end to end: a tracker edited by hand

ADDED_HEADS = ("Reason for delay", "Country focal point", "Entered in by", "Remarks", "Remarks", "notes", "lead")


def test_added_columns_formulas_and_spaces_on_trackers_are_carried(rounds: dict[str, Path], tmp_path: Path) -> None:
    from tests.helpers import HEADS as TRACKER_HEADS
    from tests.helpers import header, key_column, rows_of, set_text

    wb = openpyxl.load_workbook(rounds["typed"])
    la = wb["Lao PDR"]
    top, cols = header(la, *TRACKER_HEADS)
    key = key_column(la)
    (row,) = rows_of(la, "E1.4.1.S1")
    for i, head in enumerate(ADDED_HEADS, start=1):
        set_text(la, top, key + i, head)
        set_text(la, row, key + i, f"value {i}")
    la.cell(row, cols["Notes"]).value = "=NA()"  # a formula typed in Notes
    set_text(la, row, cols["Lead agency"], "  ກະຊວງ  ")  # spaces at both ends
    (linked,) = rows_of(la, "E4.4.1.S1")
    set_text(la, linked, cols["Notes"], "Decree 245")
    la.cell(linked, cols["Notes"]).hyperlink = "https://example.org/decree-245.pdf"
    cross = wb["Cross-cutting"]
    top_x, _ = header(cross, *TRACKER_HEADS)
    (c11,) = rows_of(cross, "C1.1.1.S1")
    set_text(cross, top_x, key_column(cross) + 1, "Budget")
    set_text(cross, c11, key_column(cross) + 1, "USD 5,000")
    before = tmp_path / "before.xlsx"
    wb.save(before)
    after, again = carried_twice(rounds["r2026"], before, tmp_path)
    for path in (after, again):
        new = openpyxl.load_workbook(path)
        la = new["Lao PDR"]
        top, cols = header(la, *TRACKER_HEADS)
        heads = [c.value for c in la[top]]
        (row,) = rows_of(la, "E1.4.1.S1")
        shown = {h: la.cell(row, heads.index(h) + 1).value for h in heads if h}
        expected = ("Reason for delay", "Country focal point", "Entered in by", "Remarks", "Remarks (2)", "notes", "lead")
        assert [shown[h] for h in expected] == [f"value {i}" for i in range(1, 8)], path
        notes = la.cell(row, cols["Notes"])
        assert notes.value == "=NA()" and notes.data_type == "s"
        assert la.cell(row, cols["Lead agency"]).value == "  ກະຊວງ  "
        (linked,) = rows_of(la, "E4.4.1.S1")
        decree = la.cell(linked, cols["Notes"])
        assert (decree.value, decree.hyperlink.target) == ("Decree 245", "https://example.org/decree-245.pdf")
        assert heads.count("Notes") == 1 and not any(str(h).startswith("Column ") for h in heads if h)
        cross = new["Cross-cutting"]
        top_x, _ = header(cross, *TRACKER_HEADS)
        heads_x = [c.value for c in cross[top_x]]
        (c11,) = rows_of(cross, "C1.1.1.S1")
        assert cross.cell(c11, heads_x.index("Budget") + 1).value == "USD 5,000"


# ---------------------------------------------------------------- what the record shows


@pytest.mark.parametrize(
    ("before", "now", "movement"),
    [
        (None, "Advanced", ""),  # no earlier round
        ("", "Advanced", "first"),  # not answered, then a tier: a first tier
        ("", None, ""),
        ("Emerging", "Advanced", "up"),
        ("Advanced", "Promising", "down"),
        ("Promising", "Promising", "same"),
        ("Promising", None, ""),
    ],
)
def test_a_pillars_first_tier_is_a_movement(catalogue, before: str | None, now: str | None, movement: str) -> None:
    from rai_xl.core.previous_round import HistoryRow
    from rai_xl.core.report import _movement
    from rai_xl.method.scoring import PillarScore

    was = None if before is None else HistoryRow("LA", "Lao PDR", 2026, 1, 22.5 if before else None, before or None, True)
    score = PillarScore(1, 22.5 if now else 0, 10 if now else 0, 10, now, (), None)
    assert _movement(was, score, catalogue) == movement


def test_notes_longer_than_a_cell_holds_are_carried_whole(made: Path, tmp_path: Path) -> None:
    """A Notes of 40,000 characters in a progress return: the tracker shows its start, Unplaced entries the
    whole text in parts; never a crash (it was exit status 3)."""
    src = made / "RAI-progress-2026-Lao-PDR.xlsx"
    wb = openpyxl.load_workbook(src)
    ws = wb["Progress"]
    rows = _rows(ws)
    first = min(rows, key=rows.get)
    long = ("ບົດບັນທຶກ ກອງປະຊຸມ " * 3000)[:40_000]
    ws.cell(rows[first], 10).value = "LONG-TEXT-HERE"  # openpyxl cuts what it writes to 32,767: put it in after
    wb["Start here"]["B11"] = datetime(2026, 11, 2)
    saved, ret = tmp_path / "saved.xlsx", tmp_path / "LA.xlsx"
    wb.save(saved)
    with zipfile.ZipFile(saved) as z, zipfile.ZipFile(ret, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            out.writestr(info, z.read(info).replace(b"LONG-TEXT-HERE", long.encode()))
    new, la, heads, at = _merged_lao(made, ret, tmp_path)
    shown = la.cell(at[first], heads["Notes"]).value
    assert shown.startswith(long[:30_000]) and shown.endswith("40,000 characters in all)")
    parts = [r[6] for r in new["Unplaced entries"].iter_rows(values_only=True) if r[3] == first and r[5] == "Notes"]
    assert "".join(parts) == long
    issues = " ".join(str(v) for r in new["Issues"].iter_rows(values_only=True) for v in r)
    assert "text(s) longer than a cell holds" in issues


def test_a_row_added_with_only_its_description_is_kept(made: Path, tmp_path: Path) -> None:
    """A row a Member State adds to its progress workbook holding nothing but a milestone text (no Status, no
    Notes) is still what a person typed: it goes whole to Unplaced entries."""
    wb = openpyxl.load_workbook(made / "RAI-progress-2026-Lao-PDR.xlsx")
    ws = wb["Progress"]
    end = ws.max_row + 1
    ws.cell(end, 6).value = "LA activity: a regional sandbox with Cambodia (described only)"
    wb["Start here"]["B11"] = datetime(2026, 11, 2)
    ret = tmp_path / "LA.xlsx"
    wb.save(ret)
    out = tmp_path / "regional.xlsx"
    args = ("consolidate", made / "returns", "--previous", made / "regional.xlsx", "--progress", ret, "--output", out)
    assert run_cli(*args).exit_code in (0, 1)
    values = {r[6] for r in openpyxl.load_workbook(out)["Unplaced entries"].iter_rows(values_only=True)}
    assert "LA activity: a regional sandbox with Cambodia (described only)" in values


def _merged_lao(made: Path, ret: Path, tmp_path: Path) -> tuple[openpyxl.Workbook, Worksheet, dict, dict]:
    """The regional workbook *ret* was merged into, its Lao PDR tracker, {header: column}, {milestone: row}."""
    out = tmp_path / "regional.xlsx"
    args = ("consolidate", made / "returns", "--previous", made / "regional.xlsx", "--progress", ret, "--output", out)
    result = run_cli(*args)
    assert result.exit_code in (0, 1), result.output
    new = openpyxl.load_workbook(out)
    la = new["Lao PDR"]
    heads = {la.cell(r, c).value: c for r in range(1, 20) for c in range(1, 20) if la.cell(r, c).value}
    at = {la.cell(r, heads["Milestone ID"]).value: r for r in range(1, la.max_row + 1)}
    return new, la, heads, at
