"""The living record, carried round to round: what it shows of a Member State with no return, headers a
coordinator reworded, conflicts marked resolved, late progress returns, sorted trackers."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from tests.helpers import carried_twice, tier_table


def test_a_member_state_without_a_return_shows_its_last_known_tiers(rounds: dict[str, Path]) -> None:
    """Cambodia sent no 2027 return: the Overview's tier table and its tracker show its 2026 tiers, marked 2026."""
    wb = load_workbook(rounds["next"])
    table = tier_table(wb["Overview"])
    assert table["Cambodia"] == [
        30,
        "Advanced (2026)",
        12,
        "Promising (provisional) (2026)",
        15,
        "Promising (2026)",
        21,
        "Advanced (2026)",
    ]
    assert table["Brunei Darussalam"][0] == "not submitted"  # no round known: nothing to show
    kh = wb["Cambodia"]
    assert kh["A2"].value == "No return for 2027: the 2026 plan and its progress are kept"
    assert kh["A3"].value.startswith("Last known tiers (2026), by assessment pillar: 1. ")
    assert "Advanced (30)" in kh["A3"].value and "Promising (provisional, 12)" in kh["A3"].value


def test_a_header_the_coordinator_reworded_is_kept(rounds: dict[str, Path], tmp_path: Path) -> None:
    """'Lead agency / focal point' typed over 'Lead agency' stays so, round after round, and its column is
    still Lead agency: its values are carried on their rows."""
    from tests.helpers import HEADS, header, set_text, typed_on

    wb = load_workbook(rounds["typed"])
    for name, head in (("Lao PDR", "Lead agency / focal point"), ("Cross-cutting", "Notes (updated monthly)")):
        top, cols = header(wb[name], *HEADS)
        set_text(wb[name], top, cols[head.split(" / ")[0].split(" (")[0]], head)
    before = tmp_path / "before.xlsx"
    wb.save(before)
    after, again = carried_twice(rounds["r2026"], before, tmp_path)
    for path in (after, again):
        new = load_workbook(path)
        la_top, la_cols = header(new["Lao PDR"], "Milestone ID", "Status", "Lead agency / focal point", "Notes")
        x_top, x_cols = header(new["Cross-cutting"], "Milestone ID", "Status", "Lead agency", "Notes (updated monthly)")
        assert "Lead agency" not in la_cols and "Notes" not in x_cols, path
        la = new["Lao PDR"]
        row = next(r for r in range(la_top + 1, la.max_row + 1) if la.cell(r, la_cols["Milestone ID"]).value == "E1.4.1.S1")
        assert la.cell(row, la_cols["Lead agency / focal point"]).value == "ກະຊວງເຕັກໂນໂລຊີ ແລະ ການສື່ສານ"
        x = new["Cross-cutting"]
        row = next(r for r in range(x_top + 1, x.max_row + 1) if x.cell(r, x_cols["Milestone ID"]).value == "C1.1.1.S1")
        assert x.cell(row, x_cols["Notes (updated monthly)"]).value == "ทดสอบ"
        assert typed_on(new["Cambodia"], "A1.1.1.S1")["Lead agency"] == "Ministry of Post and Telecommunications"


def test_an_unplaced_entry_marked_resolved_is_dropped_and_said_once(rounds: dict[str, Path], tmp_path: Path) -> None:
    """Anything typed in an entry's Resolved column: the next round no longer keeps it nor warns of it, and
    Issues says once that it was resolved; an entry not marked is kept."""
    from tests.helpers import all_text, consolidate, header, key_column, rows_of, set_text

    wb = load_workbook(rounds["typed"])
    la = wb["Lao PDR"]
    for mid, text in (("E1.4.1.S1", "pasted over the key, settled"), ("A2.2.1.S1", "pasted over the key, pending")):
        (row,) = rows_of(la, mid)
        set_text(la, row, key_column(la), text)
    before = tmp_path / "before.xlsx"
    wb.save(before)
    first, second, third = (tmp_path / f"{n}.xlsx" for n in ("first", "second", "third"))
    consolidate(rounds["r2026"], first, "--previous", str(before))
    wb = load_workbook(first)
    ws = wb["Unplaced entries"]
    top, cols = header(ws, "Value", "Reason", "Resolved")
    (done,) = [r for r in range(top + 1, ws.max_row + 1) if ws.cell(r, cols["Value"]).value.endswith("settled")]
    ws.cell(done, cols["Resolved"]).value = "yes, moved to Notes"
    wb.save(first)
    result = consolidate(rounds["r2026"], second, "--previous", str(first))
    assert "marked resolved ('yes, moved to Notes')" in result.output
    new = load_workbook(second)
    values = all_text(new["Unplaced entries"])
    assert "pasted over the key, pending" in values and "settled" not in values
    issues = all_text(new["Issues"])
    assert "'pasted over the key, settled' was marked resolved ('yes, moved to Notes')" in issues
    result = consolidate(rounds["r2026"], third, "--previous", str(second))
    assert "settled" not in result.output and "settled" not in all_text(load_workbook(third)["Issues"])
    assert "pasted over the key, pending" in all_text(load_workbook(third)["Unplaced entries"])


def test_a_late_progress_return_is_merged_into_the_current_trackers(rounds: dict[str, Path], tmp_path: Path) -> None:
    """Lao PDR's progress workbook made from the 2026 workbook comes back after the 2027 one was written:
    merged into the 2027 tracker where its milestones still are, the rest kept on Unplaced entries, said."""
    from datetime import datetime

    from tests.helpers import all_text, run_cli, typed_on
    from tests.helpers import fill_progress as _fill
    from tests.helpers import progress_rows as _rows

    assert run_cli("progress", "--previous", rounds["again"], "--country", "LA", "--output", tmp_path).exit_code == 0
    made = tmp_path / "RAI-progress-2026-Lao-PDR.xlsx"
    on_2027 = set(_tracker_ids(load_workbook(rounds["next"])["Lao PDR"]))
    gone = next(mid for mid in _rows(load_workbook(made)["Progress"]) if mid not in on_2027)
    values = {"E1.4.1.S1": {7: "Completed", 10: "late but done"}, gone: {10: "a note on a milestone gone"}}
    (tmp_path / "late").mkdir()
    ret = _fill(made, tmp_path / "late" / "LA.xlsx", values, datetime(2027, 2, 1))
    out = tmp_path / "regional-2027.xlsx"
    result = run_cli("consolidate", rounds["r2027"], "--previous", rounds["next"], "--progress", ret, "--output", out)
    assert result.exit_code == 0, result.output
    assert (
        f"{ret}: progress return: included: 3 change(s) reported; late: made from the 2026 regional workbook"
        in result.output
    )
    assert "a late progress return: made from the 2026 regional workbook" in result.output
    wb = load_workbook(out)
    assert typed_on(wb["Lao PDR"], "E1.4.1.S1")["Status"] == "Completed"
    assert typed_on(wb["Lao PDR"], "E1.4.1.S1")["Notes"] == "late but done"
    unplaced = all_text(wb["Unplaced entries"])
    assert (
        "a note on a milestone gone" in unplaced and f"milestone {gone} is no longer on Lao PDR's 2027 tracker" in unplaced
    )
    progress = [r for r in wb["Progress"].iter_rows(values_only=True) if r[0] == "LA"]
    assert ("LA", "E1.4.1.S1", "Status", "In progress", "Completed") in [r[:5] for r in progress]


def _tracker_ids(ws) -> list[str]:
    from tests.helpers import header

    top, cols = header(ws, "Milestone ID", "Status")
    return [
        ws.cell(r, cols["Milestone ID"]).value
        for r in range(top + 1, ws.max_row + 1)
        if ws.cell(r, cols["Milestone ID"]).value
    ]


def test_respondent_details_typed_as_a_formula_keep_the_formula_beside_the_value(catalogue) -> None:
    """Name, agency and contact typed as formulas: the value seen and the formula typed, as evidence is kept."""
    from rai_xl.layouts import questionnaire as ids
    from rai_xl.read.respondent import read_respondent
    from rai_xl.read.spreadsheet import Cell, Sheet

    link = '=HYPERLINK("mailto:somsak@example.la","somsak@example.la")'
    typed = {
        "name": Cell("Somsak P.", '=CONCATENATE("Somsak"," P.")'),
        "agency": Cell("#NAME?", "=MTC_NAME"),
        "email": Cell("somsak@example.la", link),
        "position": Cell("Director"),
        "country": Cell("Lao PDR"),
    }
    labels = dict(ids.RESPONDENT_FIELDS)
    cells = {}
    for row, (key, cell) in enumerate(typed.items(), start=2):
        cells[(row, ids.RESPONDENT_LABEL_COLUMN)] = Cell(labels[key])
        cells[(row, ids.RESPONDENT_VALUE_COLUMN)] = cell
    got = read_respondent(Sheet(ids.SHEET_RESPONDENT, cells), catalogue, {"country": "LA", "year": "2026"}).details
    assert got["name"] == """Somsak P. (typed as =CONCATENATE("Somsak"," P."))"""
    assert got["agency"] == "=MTC_NAME (shows #NAME?)"  # an error value never alone
    assert got["email"] == f"somsak@example.la (typed as {link})"
    assert got["position"] == "Director"


def test_a_visible_id_retyped_to_another_milestone_loses_to_the_hidden_key(rounds: dict[str, Path], tmp_path: Path) -> None:
    """The visible Milestone ID of E1.4.1.S1's row retyped to E1.4.1.S2 (a real milestone of the same plan): the
    row is still E1.4.1.S1 by its hidden key, so its Status and Notes stay there and E1.4.1.S2 keeps nothing;
    the retyped ID is kept on Unplaced entries."""
    from openpyxl import load_workbook

    from tests.helpers import HEADS, consolidate, header, records, rows_of, set_text, typed_on

    wb = load_workbook(rounds["typed"])
    la = wb["Lao PDR"]
    before = typed_on(la, "E1.4.1.S1")
    (row,) = rows_of(la, "E1.4.1.S1")
    _, cols = header(la, *HEADS)
    set_text(la, row, cols["Milestone ID"], "E1.4.1.S2")
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    out = tmp_path / "again.xlsx"
    assert consolidate(rounds["r2026"], out, "--previous", str(edited)).exit_code == 1  # Cambodia is incomplete
    new = load_workbook(out)["Lao PDR"]
    assert typed_on(new, "E1.4.1.S1") == before
    assert typed_on(new, "E1.4.1.S2")["Status"] == "Not started" and typed_on(new, "E1.4.1.S2")["Notes"] is None
    kept = records(load_workbook(out)["Unplaced entries"], "Milestone ID", "Value", "Reason")
    assert any(r["Value"] == "E1.4.1.S2" and "its key" in str(r["Reason"]) for r in kept)
