"""Rounds: `consolidate --previous` carries what coordinators typed, keeps History and shows movement."""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import Result
from openpyxl import Workbook, load_workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from rai_xl.core.collection import sort_out
from rai_xl.method.catalogue import Catalogue
from rai_xl.read.returns import read_return
from rai_xl.write.regional.workbook import write_regional_workbook
from tests.helpers import (
    HEADS,
    KH_POINTS,
    LA_2027,
    LA_POINTS,
    NAMES,
    ROOT,
    TYPED,
    UNTOUCHED,
    all_text,
    checklist_row,
    consolidate,
    header,
    headings,
    key_column,
    labels_for,
    make_returns,
    records,
    table_rows,
    typed_on,
)

SAMPLES = ROOT / "samples"


def expected(values: dict[str, object]) -> dict[str, object]:
    return {**UNTOUCHED, **values}


# ---------------------------------------------------------------- the same year again


def test_same_year_every_typed_value_on_its_row(rounds: dict[str, Path]) -> None:
    wb = load_workbook(rounds["again"])
    for sheet, mid, values in TYPED:
        assert typed_on(wb[sheet], mid) == expected(values), (sheet, mid)
    # exactly as typed: text stays text (even "=..."), numbers stay numbers, dates stay dates
    row, cols = checklist_row(wb["Lao PDR"], "E1.4.1.S1")
    notes = wb["Lao PDR"].cell(row, cols["Notes"])
    assert notes.data_type == "s" and notes.value == "=not a formula, keep it"
    assert wb["Lao PDR"].cell(row, cols["Target date"]).is_date
    assert "Archive" not in wb.sheetnames
    assert "Carried from" not in all_text(wb["Lao PDR"])


def test_no_merged_cell_inside_a_filter(rounds: dict[str, Path]) -> None:
    """Excel refuses to sort a range holding merged cells and LibreOffice sorts none of it: no tracker (a
    Member State's, one kept for want of a return, Cross-cutting, the Archive) nor any other sheet has a merged
    cell inside its autofilter range, which runs from the header over every row."""
    for name in ("typed", "next"):
        wb = load_workbook(rounds[name])
        filtered = [ws for ws in wb.worksheets if ws.auto_filter.ref]
        assert {"Lao PDR", "Cambodia", "Cross-cutting"} <= {ws.title for ws in filtered}, name
        for ws in filtered:
            box = CellRange(ws.auto_filter.ref)
            inside = [str(m) for m in ws.merged_cells.ranges if not box.isdisjoint(m)]
            assert inside == [], (name, ws.title, inside)
            if ws.title in ("Lao PDR", "Cambodia", "Cross-cutting"):
                top, _ = header(ws, *HEADS)
                assert (box.min_row, box.min_col, box.max_row) == (top, 1, ws.max_row), (name, ws.title)


def sort_rows(ws: Worksheet, column: str) -> None:
    """Sort a tracker's rows below its header by *column* as a spreadsheet does (ascending, blanks last,
    every cell moving with its row): heading rows, blank in that column, end up below the milestones."""
    top, cols = header(ws, *HEADS)
    width = ws.max_column
    rows = [[(c.value, c.number_format, c.data_type) for c in ws[r][:width]] for r in range(top + 1, ws.max_row + 1)]
    at = cols[column] - 1
    rows.sort(key=lambda cells: (cells[at][0] in (None, ""), str(cells[at][0] or "").casefold()))
    for r, cells in enumerate(rows, start=top + 1):
        for c, (value, fmt, kind) in enumerate(cells, start=1):
            cell = ws.cell(r, c)
            cell.value = value
            cell.number_format = fmt
            if kind == "s" and isinstance(value, str):
                cell.data_type = "s"


def test_sorted_trackers_carry_every_value_to_its_row(rounds: dict[str, Path], tmp_path: Path) -> None:
    """Trackers sorted by Status, Lead agency and Target date (heading rows now among and below the milestones)
    still carry every typed value to its milestone, and no heading row is taken for an entry."""
    wb = load_workbook(rounds["typed"])
    before = {sheet: [typed_on(wb[sheet], m) for m in ids_of(wb[sheet])] for sheet in ("Lao PDR", "Cross-cutting")}
    for sheet, column in (("Lao PDR", "Status"), ("Cambodia", "Lead agency"), ("Cross-cutting", "Target date")):
        ws = wb[sheet]
        top, cols = header(ws, *HEADS)
        assert ws.cell(top + 1, cols["Milestone ID"]).value is None  # a heading first
        sort_rows(ws, column)
        assert ws.cell(top + 1, cols["Milestone ID"]).value is not None  # a milestone first, the headings below
        if column == "Status":  # every milestone has one: all the headings go below
            assert ws.cell(ws.max_row, cols["Milestone ID"]).value is None
    top, cols = header(wb["Lao PDR"], *HEADS)
    assert wb["Lao PDR"].cell(top + 1, cols["Status"]).value == "Completed"
    sorted_path, out = tmp_path / "sorted.xlsx", tmp_path / "again.xlsx"
    wb.save(sorted_path)
    result = consolidate(rounds["r2026"], out, "--previous", str(sorted_path))
    assert result.exit_code == 1, result.output  # Cambodia is incomplete
    new = load_workbook(out)
    for sheet, mid, values in TYPED:
        assert typed_on(new[sheet], mid) == expected(values), (sheet, mid)
    for sheet, typed in before.items():
        assert [typed_on(new[sheet], m) for m in ids_of(new[sheet])] == typed, sheet
    assert "Unplaced entries" not in new.sheetnames  # no heading row taken for an entry


def ids_of(ws: Worksheet) -> list[str]:
    """A tracker's Milestone IDs, top to bottom."""
    top, cols = header(ws, *HEADS)
    return [v for r in range(top + 1, ws.max_row + 1) if (v := ws.cell(r, cols["Milestone ID"]).value)]


def test_same_year_checklist_table_shows_the_typed_values(rounds: dict[str, Path]) -> None:
    wb = load_workbook(rounds["again"], data_only=True)
    heads, rows = table_rows(wb["Checklist"], "Checklist")
    by_key = {(r[0], r[1]): dict(zip(heads, r, strict=True)) for r in rows}
    for sheet, mid, values in TYPED:
        if sheet == "Cross-cutting":
            continue  # the Checklist table holds the Member States' checklists
        code = {"Lao PDR": "LA", "Cambodia": "KH"}[sheet]
        got = {h: by_key[code, mid][h] for h in HEADS[1:]}
        assert got == {h: (None if v is None else v) for h, v in expected(values).items()} or got == {
            h: ("" if v is None else v) for h, v in expected(values).items()
        }, (code, mid, got)


def history(code: str, year: int, *pillars: tuple[float, str] | tuple[float, str, bool]) -> list[list[object]]:
    """A country's rows of the History table for one round: (score, tier[, complete]) of pillars 1 to 4."""
    name = {"KH": "Cambodia", "LA": "Lao PDR", "SG": "Singapore"}[code]
    return [[code, name, year, n, p[0], p[1], p[2] if len(p) > 2 else True] for n, p in enumerate(pillars, start=1)]


def test_same_year_history_replaces_the_year(rounds: dict[str, Path]) -> None:
    _, rows = table_rows(load_workbook(rounds["again"])["History"], "History")
    assert rows == [
        *history("KH", 2026, (30, "Advanced"), (12, "Promising", False), (15, "Promising"), (21, "Advanced")),
        *history("LA", 2026, (10.5, "Emerging"), (21, "Advanced"), (19.5, "Promising"), (0, "Emerging")),
        *history("SG", 2026, *[(30, "Advanced")] * 4),
    ]


def test_previous_equal_to_output_updates_in_place(rounds: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "regional.xlsx"
    shutil.copy(rounds["typed"], target)
    result = consolidate(rounds["r2026"], target, "--previous", str(target))  # no --force needed
    assert result.exit_code == 1, result.output
    assert f"wrote {target}: 3 Member State(s) included, round 2026; carried from regional.xlsx (2026)" in result.output
    wb = load_workbook(target)
    for sheet, mid, values in TYPED:
        assert typed_on(wb[sheet], mid) == expected(values)
    assert [p.name for p in tmp_path.iterdir()] == ["regional.xlsx"]


# ---------------------------------------------------------------- the next year


def test_next_year_values_follow_the_milestone(rounds: dict[str, Path]) -> None:
    wb = load_workbook(rounds["next"])
    la = wb["Lao PDR"]
    for sheet, mid, values in TYPED:
        if sheet == "Cambodia":
            continue  # no 2027 return: see the Archive
        assert typed_on(wb[sheet], mid) == expected(values), (sheet, mid)
    # the rows no longer planned sit, in catalogue order, under their own title with the reason
    top, cols = header(la, *HEADS)
    titles = [r for r in range(top, la.max_row + 1) if str(la.cell(r, 1).value).startswith("Carried from")]
    assert [la.cell(r, 1).value for r in titles] == [
        "Carried from 2026 — no longer in the plan: kept because Status, Lead agency, Target date or Notes were entered"
    ]
    below = [la.cell(r, cols["Milestone ID"]).value for r in range(titles[0] + 1, la.max_row + 1)]
    assert [m for m in below if m] == ["E1.5.1.S1", "A2.2.1.S1", "P3.3.1.S1", "E4.4.1.S1"]
    reasons, heading, bands = {}, "", headings(la)
    for r in range(titles[0] + 1, la.max_row + 1):  # each sub-action heading gives the reason once
        mid = la.cell(r, cols["Milestone ID"]).value
        if mid:
            reasons[mid] = heading.split(" — no longer in the plan: ")[1]
        elif r in bands:
            heading = bands[r]
    assert reasons == {
        "E1.5.1.S1": "pillar 1 is Advanced in 2027; E1.5 is an action for the Emerging tier, "
        "and Q3, Q4, Q5 lose no points now",
        "A2.2.1.S1": "pillar 2 is Emerging in 2027; A2.2 is an action for the Advanced tier, "
        "and Q31, Q32 lose no points now",
        "P3.3.1.S1": "pillar 3 is Advanced in 2027; P3.3 is an action for the Promising tier, "
        "and Q27, Q32, Q28 lose no points now",
        "E4.4.1.S1": "pillar 4 is Promising in 2027; E4.4 is an action for the Emerging tier, and Q32 loses no points now",
    }
    assert all(row < titles[0] for row in [checklist_row(la, "E1.4.1.S1")[0]])  # still planned: above the title


def test_next_year_checklist_table_basis(rounds: dict[str, Path]) -> None:
    _heads, rows = table_rows(load_workbook(rounds["next"], data_only=True)["Checklist"], "Checklist")
    basis = {(r[0], r[1]): r[6] for r in rows}
    assert basis["LA", "E1.4.1.S1"] == "gap"
    for mid in ("E1.5.1.S1", "A2.2.1.S1", "P3.3.1.S1", "E4.4.1.S1"):
        assert basis["LA", mid] == "carried"
    assert set(basis.values()) == {"tier", "gap", "carried"}
    assert {b for (code, _), b in basis.items() if code == "KH"} == {"tier", "gap"}  # its 2026 plan, kept


def test_next_year_keeps_the_plan_of_a_member_state_without_a_return(rounds: dict[str, Path]) -> None:
    """Cambodia sent no 2027 return: its 2026 plan and progress stay on its tracker, and that is said."""
    wb = load_workbook(rounds["next"])
    assert "Archive" not in wb.sheetnames
    kh = wb["Cambodia"]
    assert kh["A2"].value == "No return for 2027: the 2026 plan and its progress are kept"
    assert typed_on(kh, "A1.1.1.S1") == expected(
        {"Status": "In progress", "Lead agency": "Ministry of Post and Telecommunications"}
    )
    assert "Cambodia profile" not in wb.sheetnames  # no 2027 scores to show
    overview = [str(c.value) for row in wb["Overview"].iter_rows() for c in row if c.value]
    said = "Cambodia (2026): not submitted · no return for 2027: the 2026 plan and its progress are kept (sheet 'Cambodia')"
    assert any(said in text for text in overview)
    assert messages_about(rounds["next"], "regional-2026-again.xlsx") == [
        "Cambodia: no return for 2027: the 2026 plan and its progress are kept (its tracker, from the 2026 assessment)"
    ]


def test_archive_is_carried_again_and_returns_when_the_country_does(
    rounds: dict[str, Path], catalogue: Catalogue, tmp_path: Path
) -> None:
    # 2027 again, now with Cambodia's return: the archived row goes back to its place
    folder = tmp_path / "returns"
    shutil.copytree(rounds["r2027"], folder)
    make_returns(folder, catalogue, 2027, {"KH": KH_POINTS})
    out = tmp_path / "regional-2027.xlsx"
    assert consolidate(folder, out, "--previous", str(rounds["next"])).exit_code == 1
    wb = load_workbook(out)
    assert "Archive" not in wb.sheetnames
    assert typed_on(wb["Cambodia"], "A1.1.1.S1") == expected(
        {"Status": "In progress", "Lead agency": "Ministry of Post and Telecommunications"}
    )


def test_next_year_history_holds_both_rounds(rounds: dict[str, Path]) -> None:
    _, rows = table_rows(load_workbook(rounds["next"])["History"], "History")
    _, first = table_rows(load_workbook(rounds["again"])["History"], "History")
    assert rows == [
        *first,
        *history("LA", 2027, (30, "Advanced"), (0, "Emerging"), (30, "Advanced"), (15, "Promising")),
        *history("SG", 2027, *[(30, "Advanced")] * 4),
    ]
    _, scores = table_rows(load_workbook(rounds["next"])["Scores"], "Scores")
    assert scores == rows[12:]


def test_next_year_country_sheet_shows_movement(rounds: dict[str, Path]) -> None:
    ws = load_workbook(rounds["next"])["Lao PDR profile"]
    rows = [
        r
        for r in records(ws, "Pillar", "Tier 2026", "Score 2026", "Movement", "Tier 2027", until_blank=True)
        if isinstance(r["Pillar"], int)
    ]
    assert [
        (r["Tier 2026"], r["Score 2026"], r["Movement"], r["Score (of 30) 2027"], r["Tier 2027"], r["Change (points)"])
        for r in rows
    ] == [
        ("Emerging", 10.5, "▲ up: Emerging → Advanced (+19.5 points)", 30, "Advanced", 19.5),
        ("Advanced", 21, "▼ down: Advanced → Emerging (-21 points)", 0, "Emerging", -21),
        ("Promising", 19.5, "▲ up: Promising → Advanced (+10.5 points)", 30, "Advanced", 10.5),
        ("Emerging", 0, "▲ up: Emerging → Promising (+15 points)", 15, "Promising", 15),
    ]
    assert ws._charts, "no chart of scores across rounds"
    sg = load_workbook(rounds["next"])["Singapore profile"]
    moves = [r["Movement"] for r in records(sg, "Pillar", "Movement", until_blank=True) if isinstance(r["Pillar"], int)]
    assert moves == ["= same tier (+0 points)"] * 4


def test_next_year_overview_movement_table(rounds: dict[str, Path]) -> None:
    ws = load_workbook(rounds["next"])["Overview"]
    rows = records(ws, "Member State", "Previous round", "Movement", until_blank=True)
    assert [(r["Member State"], r["Previous round"], r["2027"], r["Movement"]) for r in rows] == [
        ("Lao PDR", "2026: Emerging (10.5)", "2027: Advanced (30)", "▲ up (+19.5 points)"),
        ("Lao PDR", "2026: Advanced (21)", "2027: Emerging (0)", "▼ down (-21 points)"),
        ("Lao PDR", "2026: Promising (19.5)", "2027: Advanced (30)", "▲ up (+10.5 points)"),
        ("Lao PDR", "2026: Emerging (0)", "2027: Promising (15)", "▲ up (+15 points)"),
    ]


def test_next_year_criteria_marks_changed_answers(rounds: dict[str, Path]) -> None:
    ws = load_workbook(rounds["next"])["Criteria"]
    rows = records(ws, "ID", "Criterion", "Changed since previous round")
    changed = {r["ID"]: r["Changed since previous round"] for r in rows if str(r["ID"]).startswith("Q")}
    expected_la = {cid for cid in LA_2027 if LA_POINTS.get(cid) != LA_2027[cid]}
    assert {cid for cid, v in changed.items() if v} == expected_la
    assert {changed[cid] for cid in expected_la} == {"Lao PDR"}  # Singapore answered the same


# ---------------------------------------------------------------- refusals


def refused(result_output: str, exit_code: int, out: Path, line: str) -> None:
    assert exit_code == 2, result_output
    assert result_output.strip().splitlines()[-1] == line
    assert not out.exists()


def test_previous_refusals(rounds: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    questionnaire = next(rounds["r2026"].iterdir())
    r = consolidate(rounds["r2026"], out, "--previous", str(questionnaire))
    expect = "--previous expects a regional workbook written by rai-xl consolidate"
    refused(
        r.output,
        r.exit_code,
        out,
        f"Error: --previous {questionnaire.name} is a rai-xl questionnaire (a return), not a regional workbook; {expect}",
    )
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a spreadsheet at all")
    r = consolidate(rounds["r2026"], out, "--previous", str(junk))
    refused(
        r.output,
        r.exit_code,
        out,
        "Error: --previous junk.xlsx cannot be read: this is not an .xlsx or .ods spreadsheet "
        f"(unknown file content); {expect}",
    )
    other = tmp_path / "other.xlsx"
    wb = Workbook()
    wb.active["A1"] = "a spreadsheet, but not a regional workbook"
    wb.save(other)
    r = consolidate(rounds["r2026"], out, "--previous", str(other))
    refused(
        r.output,
        r.exit_code,
        out,
        f"Error: --previous other.xlsx is not a rai-xl regional workbook (no regional workbook identity found); {expect}",
    )
    r = consolidate(rounds["r2026"], out, "--previous", str(rounds["next"]))
    refused(
        r.output,
        r.exit_code,
        out,
        "Error: --previous regional-2027.xlsx is the regional workbook for 2027, later than this round (2026); "
        "--previous expects this round's workbook or an earlier one",
    )
    r = consolidate(rounds["r2026"], out, "--previous", str(tmp_path / "missing.xlsx"))
    refused(
        r.output,
        r.exit_code,
        out,
        f"Error: --previous {tmp_path / 'missing.xlsx'} does not exist; it should be an earlier regional workbook",
    )


def test_previous_is_never_an_input(rounds: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    shutil.copytree(rounds["r2026"], folder)
    shutil.copy(rounds["typed"], folder / "regional-2026.xlsx")
    out = tmp_path / "out.xlsx"
    result = consolidate(folder, out, "--previous", str(folder / "regional-2026.xlsx"))
    assert result.exit_code == 1, result.output
    names = [r["File"] for r in records(load_workbook(out)["Submissions"], "File", "Status")]
    assert sorted(Path(str(n)).name for n in names) == sorted(p.name for p in rounds["r2026"].iterdir())


# ---------------------------------------------------------------- other makers and methods


def test_identity_survives_without_custom_properties(rounds: dict[str, Path], tmp_path: Path) -> None:
    """Google Sheets drops custom properties: the Methodology sheet's identity cells are enough."""
    wb = load_workbook(rounds["typed"])
    wb.custom_doc_props.props.clear()
    stripped = tmp_path / "stripped.xlsx"
    wb.save(stripped)
    out = tmp_path / "out.xlsx"
    assert consolidate(rounds["r2026"], out, "--previous", str(stripped)).exit_code == 1
    assert typed_on(load_workbook(out)["Lao PDR"], "E1.4.1.S1")["Status"] == "In progress"


def messages_about(regional: Path, file: str) -> list[str]:
    """The messages of the Issues sheet of *regional* about *file*."""
    rows = records(load_workbook(regional)["Issues"], "File", "Severity", "Message")
    return [r["Message"] for r in rows if r["File"] == file]


def over_edited(wb: Workbook, rounds: dict[str, Path], previous: Path) -> tuple[Result, Path]:
    """*wb* saved at *previous* and given as --previous to the 2026 returns (Cambodia's incomplete: exit
    status 1): the result, and the workbook written beside it (out.xlsx)."""
    wb.save(previous)
    out = previous.parent / "out.xlsx"
    result = consolidate(rounds["r2026"], out, "--previous", str(previous))
    assert result.exit_code == 1, result.output
    return result, out


def test_other_methodology_is_used_and_listed(rounds: dict[str, Path], tmp_path: Path, catalogue: Catalogue) -> None:
    wb = load_workbook(rounds["typed"])
    wb.custom_doc_props.props.clear()
    wb.custom_doc_props.append(StringProperty(name="rai_xl_template_id", value="rai-xl/regional-workbook"))
    for key, value in (
        ("schema_version", "1"),
        ("methodology_version", "2025-2030.0"),
        ("catalogue_fingerprint", "0123456789abcdef"),
        ("year", "2026"),
    ):
        wb.custom_doc_props.append(StringProperty(name=f"rai_xl_{key}", value=value))
    ws = wb["Lao PDR"]
    row, cols = checklist_row(ws, "E1.5.1.S1")
    ws.cell(row, cols["Milestone ID"]).value = "E1.5.1.S99"  # a milestone a revised Roadmap no longer holds
    ws.cell(row, key_column(ws)).value = "E1.5.1.S99 2026"
    result, out = over_edited(wb, rounds, tmp_path / "older.xlsx")
    messages = messages_about(out, "older.xlsx")
    assert messages == [
        f"the previous workbook was made with methodology version 2025-2030.0; this rai-xl holds {catalogue.version}. "
        "Its scores stay in History as recorded; its checklist entries are carried by milestone ID",
        f"the previous workbook's catalogue fingerprint is 0123456789abcdef; this rai-xl's is {catalogue.fingerprint}. "
        "Its checklist entries are carried by milestone ID",
        "1 checklist row(s) with entries name milestones this catalogue does not hold (E1.5.1.S99): "
        "kept on the Archive sheet",
    ]
    assert all(f"older.xlsx: warning: {m}" in result.output for m in messages)
    archive = records(load_workbook(out)["Archive"], "Country code", "Milestone ID", "Reason")
    assert [(r["Country code"], r["Milestone ID"], r["Status"], r["Notes"], r["Reason"]) for r in archive] == [
        (
            "LA",
            "E1.5.1.S99",
            "Completed",
            "one\ntwo",
            f"milestone E1.5.1.S99 is not in this catalogue (methodology {catalogue.version}); "
            "it came from methodology 2025-2030.0",
        )
    ]


def test_history_from_scores_of_a_workbook_before_history(rounds: dict[str, Path], tmp_path: Path) -> None:
    wb = load_workbook(rounds["typed"])
    del wb["History"]
    del wb["Answer history"]
    older = tmp_path / "older.xlsx"
    wb.save(older)
    out = tmp_path / "out.xlsx"
    assert consolidate(rounds["r2027"], out, "--previous", str(older)).exit_code == 0
    _, rows = table_rows(load_workbook(out)["History"], "History")
    _, expected_rows = table_rows(load_workbook(rounds["next"])["History"], "History")
    assert rows == expected_rows
    # answers of 2026 come from its Answers table: changed answers are still marked
    changed = records(load_workbook(out)["Criteria"], "ID", "Changed since previous round")
    assert {r["ID"] for r in changed if r["Changed since previous round"]} == {
        cid for cid in LA_2027 if LA_POINTS.get(cid) != LA_2027[cid]
    }


# ---------------------------------------------------------------- text too long for a cell (issue 9)


def test_long_evidence_is_cut_with_a_warning(make_return, catalogue: Catalogue, tmp_path: Path) -> None:
    path = make_return("la.xlsx", "LA", answers=labels_for(catalogue, LA_POINTS), evidence={"Q5": "short"})
    sub = read_return(path, catalogue)
    long = "Evidence " + "x" * 39_991  # 40,000 characters: an .ods cell holds them, an Excel cell does not
    sub.evidence["Q5"] = long
    out = tmp_path / "regional.xlsx"
    notes = write_regional_workbook(catalogue, sort_out([sub], None), out)
    message = (
        "Lao PDR: the evidence for Q5 is 40,000 characters; the regional workbook shows its first 32,767 "
        "(a cell's limit): read the whole text in la.xlsx"
    )
    assert [(n.file, n.severity, n.criterion, n.message) for n in notes] == [("la.xlsx", "warning", "Q5", message)]
    wb = load_workbook(out)
    issues = [r for r in records(wb["Issues"], "File", "Severity", "Message") if r["Criterion"] == "Q5"]
    assert [(r["File"], r["Severity"], r["Message"]) for r in issues] == [("la.xlsx", "warning", message)]
    answers = {r[1]: r[4] for r in table_rows(wb["Answers"], "Answers")[1]}
    assert answers["Q5"] == long[:32_767]
    lost = next(r for r in records(wb["Lao PDR profile"], "ID", "Criterion", "Points lost") if r["ID"] == "Q5")
    assert lost["Evidence / source documents"] == long[:32_767]
    heights = [d.height or 0 for d in wb["Lao PDR profile"].row_dimensions.values()]
    assert 408 < max(heights) <= 409  # the long row, capped


def test_sheet_kit_refuses_to_truncate(tmp_path: Path) -> None:
    """Every write is checked: text longer than a cell raises instead of being cut silently."""
    import xlsxwriter

    from rai_xl.write.kit import SheetWriter, Styles
    from rai_xl.write.outputs import WriterRefused

    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    ws = SheetWriter(wb.add_worksheet("S"), Styles(wb))
    with pytest.raises(WriterRefused, match=r"xlsxwriter refused text at S!R1C1 \(code -2\)"):
        ws.text(0, 0, "x" * 32_768)
    ws.height(1, 9000)
    assert ws.ws.row_info[1].height == int(409 * 4 / 3)  # xlsxwriter keeps pixels: 409 points
    wb.close()


# ---------------------------------------------------------------- the bundled previous round


def test_bundled_previous_round_shows_movement(tmp_path: Path) -> None:
    out = tmp_path / "regional-2026.xlsx"
    result = consolidate(SAMPLES, out, "--previous", str(SAMPLES / "regional-2025.xlsx"))
    assert result.exit_code == 1, result.output  # Thailand's return is incomplete
    assert result.output.splitlines()[-1].endswith("round 2026; carried from regional-2025.xlsx (2025)")
    wb = load_workbook(out)
    moves = records(wb["Overview"], "Member State", "Previous round", "Movement", until_blank=True)
    assert ("Lao PDR", "▼ down (-4.5 points)") in [(r["Member State"], r["Movement"]) for r in moves]
    assert len(moves) >= 8
    assert typed_on(wb["Lao PDR"], "P1.3.1.S1")["Lead agency"] == "ກະຊວງເຕັກໂນໂລຊີ ແລະ ການສື່ສານ"
    _, history = table_rows(wb["History"], "History")
    assert sorted({r[2] for r in history}) == [2025, 2026] and len(history) == 88


def test_previous_in_the_layout_before_trackers_still_carries(tmp_path: Path) -> None:
    """The 2025 sample as written before the meeting pack: each checklist under its country's scores."""
    legacy = ROOT / "tests" / "legacy" / "regional-2025-layout1.xlsx"
    old = load_workbook(legacy)
    assert "Lao PDR profile" not in old.sheetnames
    assert header(old["Lao PDR"], "Pillar", "Movement")  # scores and checklist on one sheet
    entered = {
        (sheet, mid): typed_on(old[sheet], mid)
        for sheet, mid in (("Lao PDR", "P1.3.1.S1"), ("Thailand", "P1.3.1.S1"), ("Cross-cutting", "C1.2.1.S1"))
    }
    out = tmp_path / "regional-2026.xlsx"
    returns = sorted(SAMPLES.glob("RAI-readiness-2026-*.xlsx"))  # not the progress returns, which change entries
    result = consolidate(returns, out, "--previous", str(legacy))
    assert result.exit_code == 1, result.output  # Thailand's return is incomplete
    wb = load_workbook(out)
    for (sheet, mid), values in entered.items():
        assert values != UNTOUCHED
        assert typed_on(wb[sheet], mid) == values, (sheet, mid)
    assert typed_on(wb["Lao PDR"], "P1.3.1.S1")["Lead agency"] == "ກະຊວງເຕັກໂນໂລຊີ ແລະ ການສື່ສານ"


def test_bundled_previous_round_is_regenerated_identically(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    from make_previous_sample import make

    made = make(tmp_path / "regional-2025.xlsx")
    digest = hashlib.sha256(made.read_bytes()).hexdigest()
    assert digest == hashlib.sha256((SAMPLES / "regional-2025.xlsx").read_bytes()).hexdigest(), (
        "samples/regional-2025.xlsx is out of date: run python tools/make_previous_sample.py"
    )
    assert NAMES["LA"] in load_workbook(made).sheetnames


def test_workbook_from_before_identity_marks_and_milestone_ids(rounds: dict[str, Path], tmp_path: Path) -> None:
    """A regional workbook of the first release: no identity marks, no History, no Milestone ID columns."""
    wb = load_workbook(rounds["typed"])
    wb.custom_doc_props.props.clear()
    for name in ("History", "Answer history"):
        del wb[name]
    method = wb["Methodology"]
    for row in method.iter_rows():
        if row[0].value in ("Template", "Schema version", "Methodology version", "Catalogue fingerprint", "Assessment year"):
            row[0].value = row[1].value = None
    for ws in (wb["Lao PDR"], wb["Cambodia"], wb["Cross-cutting"]):
        top, cols = header(ws, *HEADS)
        ws.cell(top, cols["Milestone ID"]).value = None
        for r in range(top + 1, ws.max_row + 1):
            if ws.cell(r, cols["Milestone ID"]).value is not None:  # merged heading rows hold none
                ws.cell(r, cols["Milestone ID"]).value = None
    cross = wb["Cross-cutting"]
    top, cols = header(cross, "Lead agency", "Status")
    cross.cell(top, cols["Lead agency"]).value = "Lead"  # the first release's heading
    older = tmp_path / "first-release.xlsx"
    wb.save(older)
    out = tmp_path / "out.xlsx"
    result = consolidate(rounds["r2026"], out, "--previous", str(older))
    assert result.exit_code == 1 and "carried from first-release.xlsx (2026)" in result.output
    new = load_workbook(out)
    for sheet, mid, values in TYPED:
        assert typed_on(new[sheet], mid) == expected(values), (sheet, mid)
    _, history = table_rows(new["History"], "History")
    assert [r[:3] for r in history] == [[c, NAMES[c], 2026] for c in ("KH", "LA", "SG") for _ in range(4)]


def test_a_pillar_left_blank_stays_in_history(catalogue: Catalogue, tmp_path: Path) -> None:
    blank3 = {cid: p for cid, p in LA_POINTS.items() if not 21 <= int(cid[1:]) <= 30}
    r2026 = make_returns(tmp_path / "returns-2026", catalogue, 2026, {"LA": blank3})
    r2027 = make_returns(tmp_path / "returns-2027", catalogue, 2027, {"LA": LA_2027})
    first, nxt = tmp_path / "regional-2026.xlsx", tmp_path / "regional-2027.xlsx"
    assert consolidate(r2026, first).exit_code == 1
    assert consolidate(r2027, nxt, "--previous", str(first)).exit_code == 0
    _, history = table_rows(load_workbook(nxt)["History"], "History")
    assert [r[2:] for r in history if r[2] == 2026] == [
        [2026, 1, 10.5, "Emerging", True],
        [2026, 2, 21, "Advanced", True],
        [2026, 3, None, None, False],
        [2026, 4, 0, "Emerging", True],
    ]


def test_what_cannot_be_carried_from_an_edited_previous_is_said(rounds: dict[str, Path], tmp_path: Path) -> None:
    wb = load_workbook(rounds["typed"])
    del wb["Cambodia"]  # a coordinator deleted a tracker
    del wb["History"]
    _, out = over_edited(wb, rounds, tmp_path / "edited.xlsx")
    messages = messages_about(out, "edited.xlsx")
    assert messages == [
        "its History sheet is missing, so rounds before 2026 are not carried into History",
        "its tracker of Cambodia (sheet 'Cambodia') is missing: deleted, or renamed and its key column removed, "
        "so entries typed on it are not carried",
    ]
