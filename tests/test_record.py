"""The living record: whatever coordinators do to the regional workbook between consolidations, nothing
they typed is lost. Each test is one class of edit (made here with openpyxl; tests/realclient makes them
in LibreOffice and Gnumeric)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.utils import column_index_from_string, get_column_letter

from rai_xl.method.catalogue import Catalogue
from rai_xl.read.previous import record_size
from tests.helpers import (
    HEADS,
    UNTOUCHED,
    consolidate,
    header,
    key_column,
    last_row,
    records,
    rows_of,
    set_text,
    table_rows,
    typed_on,
)

UNPLACED = ("Country code", "Sheet", "Cell", "Milestone ID", "Row", "Column", "Value", "Entered in", "Reason")


def edit(path: Path, out: Path) -> None:
    """What coordinators did to the typed 2026 workbook during the year, one class of edit each."""
    wb = load_workbook(path)
    la = wb["Lao PDR"]
    top, cols = header(la, *HEADS)
    key = key_column(la)
    # a sort: E1.4.1.S1 (typed) and E1.4.1.S2 (not) swap rows, key and all
    (a,), (b,) = rows_of(la, "E1.4.1.S1"), rows_of(la, "E1.4.1.S2")
    for col in range(1, key + 1):
        upper, lower = la.cell(a, col), la.cell(b, col)
        for attr in ("_value", "data_type", "number_format"):  # as is: text starting with "=" stays text
            was = getattr(upper, attr)
            setattr(upper, attr, getattr(lower, attr))
            setattr(lower, attr, was)
    # the visible Milestone ID overwritten, retyped in lower case (and its key lost), cleared
    set_text(la, rows_of(la, "E1.5.1.S1")[0], cols["Milestone ID"], "see row above")
    (lower,) = rows_of(la, "A2.2.1.S1")
    set_text(la, lower, cols["Milestone ID"], "a2.2.1.s1")
    la.cell(lower, key).value = None
    set_text(la, lower, cols["Milestone"], "(shortened)")  # so only the visible ID finds the row
    la.cell(rows_of(la, "P3.3.1.S1")[0], cols["Milestone ID"]).value = None
    # rows added under the table: one with no ID, one with the country's own ID, one pasted from another tracker
    end = last_row(la)
    set_text(la, end + 1, cols["Lead agency"], "MTC focal point")
    set_text(la, end + 1, cols["Notes"], "national pilot, no Roadmap ID")
    set_text(la, end + 2, cols["Milestone ID"], "LA-NAT-1")
    set_text(la, end + 2, cols["Notes"], "own milestone")
    for col, value in ((cols["Milestone ID"], "E1.4.1.S1"), (cols["Status"], "Planned"), (cols["Notes"], "pasted")):
        set_text(la, end + 3, col, value)
    # a column added beside the table, with a header and values
    set_text(la, top, key + 1, "Budget")
    set_text(la, rows_of(la, "E1.4.1.S1")[0], key + 1, "USD 20,000")
    la.cell(rows_of(la, "E4.4.1.S1")[0], key + 1).value = 5000
    # comments: on a typed cell, and on a heading row
    la.cell(rows_of(la, "E1.4.1.S1")[0], cols["Notes"]).comment = Comment("checked by MTC", "coordinator")
    la.cell(top + 1, 1).comment = Comment("ask about pillar 1", "coordinator")
    # Cambodia: header cells retyped
    kh = wb["Cambodia"]
    top_kh, cols_kh = header(kh, *HEADS)
    set_text(kh, top_kh, cols_kh["Lead agency"], "Lead agency / focal point")
    set_text(kh, top_kh, cols_kh["Notes"], "Notes (updated monthly)")
    # Singapore: the tracker renamed, and a Status off the list pasted in
    sg = wb["Singapore"]
    sg.title = "SG plan"
    set_text(sg, 1, 1, "Singapore: national AI plan")  # its title too: only the key column names it
    _, cols_sg = header(sg, *HEADS)
    set_text(sg, rows_of(sg, "A1.2.1.S1")[0], cols_sg["Status"], "Done")
    # Cross-cutting: a year in Target date, a percentage in Notes, a date in a date format of its own
    cross = wb["Cross-cutting"]
    _, cols_x = header(cross, *HEADS)
    (c11,) = rows_of(cross, "C1.1.1.S1")
    cross.cell(c11, cols_x["Target date"]).value = 2027
    cross.cell(c11, cols_x["Notes"]).value = 0.5
    cross.cell(c11, cols_x["Notes"]).number_format = "0%"
    (c21,) = rows_of(cross, "C2.1.1.S2")
    cross.cell(c21, cols_x["Target date"]).number_format = "dd/mm/yyyy"
    # the Checklist table typed over: a value the tracker lacks, and one that disagrees with it
    table = wb["Checklist"]
    heads, _ = table_rows(table, "Checklist")
    for r in range(2, table.max_row + 1):
        code, mid = table.cell(r, 1).value, table.cell(r, 2).value
        if (code, mid) == ("LA", "E4.4.1.S1"):
            set_text(table, r, heads.index("Lead agency") + 1, "typed in the table")
        if (code, mid) == ("LA", "E1.4.1.S1"):
            set_text(table, r, heads.index("Status") + 1, "Completed")
    wb.save(out)


@pytest.fixture(scope="module")
def edited(rounds: dict[str, Path]) -> dict[str, Path]:
    base = rounds["base"]
    before = base / "regional-2026-edited.xlsx"
    edit(rounds["typed"], before)
    after = base / "regional-2026-after-edits.xlsx"
    result = consolidate(rounds["r2026"], after, "--previous", str(before))
    assert result.exit_code == 1, result.output  # Cambodia's return is incomplete
    again = base / "regional-2026-after-edits-again.xlsx"
    assert consolidate(rounds["r2026"], again, "--previous", str(after)).exit_code == 1
    return {"before": before, "after": after, "again": again}


def unplaced(path: Path) -> list[tuple[object, ...]]:
    rows = records(load_workbook(path)["Unplaced entries"], *UNPLACED)
    return [tuple(r[h] for h in UNPLACED) for r in rows]


def issues(path: Path) -> list[str]:
    return [str(r["Message"]) for r in records(load_workbook(path)["Issues"], "File", "Severity", "Message")]


# ---------------------------------------------------------------- 2. values come back as typed


def test_a_year_stays_a_year_and_a_percentage_a_percentage(edited: dict[str, Path]) -> None:
    ws = load_workbook(edited["after"])["Cross-cutting"]
    _, cols = header(ws, *HEADS)
    (c11,) = rows_of(ws, "C1.1.1.S1")
    target, notes = ws.cell(c11, cols["Target date"]), ws.cell(c11, cols["Notes"])
    assert (target.value, target.is_date, target.number_format) == (2027, False, "General")
    assert (notes.value, notes.number_format) == (0.5, "0%")
    (c21,) = rows_of(ws, "C2.1.1.S2")
    when = ws.cell(c21, cols["Target date"])
    assert (when.value, when.number_format) == (datetime(2027, 1, 15), "dd/mm/yyyy")


def test_input_cells_keep_what_is_typed(edited: dict[str, Path]) -> None:
    """Lead agency and Notes are text cells (50% typed stays the text 50%); Target date is General (a year
    stays a number, a typed date becomes a date), never a date format that turns 2027 into 1905."""
    ws = load_workbook(edited["after"])["Singapore"]
    _, cols = header(ws, *HEADS)
    (row,) = rows_of(ws, "A1.1.1.S1")
    formats = {h: ws.cell(row, cols[h]).number_format for h in ("Lead agency", "Target date", "Notes")}
    assert formats == {"Lead agency": "@", "Target date": "General", "Notes": "@"}


# ---------------------------------------------------------------- 3. entries that cannot be placed


def test_a_sorted_tracker_keeps_every_value_on_its_milestone(edited: dict[str, Path]) -> None:
    la = load_workbook(edited["after"])["Lao PDR"]
    assert typed_on(la, "E1.4.1.S1")["Lead agency"] == "ກະຊວງເຕັກໂນໂລຊີ ແລະ ການສື່ສານ"
    assert typed_on(la, "E1.4.1.S2") == UNTOUCHED


def test_a_retyped_or_cleared_milestone_id_still_finds_its_row(edited: dict[str, Path]) -> None:
    la = load_workbook(edited["after"])["Lao PDR"]
    assert typed_on(la, "E1.5.1.S1")["Status"] == "Completed"  # ID overwritten: by its key
    assert typed_on(la, "A2.2.1.S1")["Notes"] == "only a note"  # lower case, key lost: by the visible ID
    assert typed_on(la, "P3.3.1.S1")["Lead agency"] == 42  # ID cleared: by its key
    assert ("LA", "Lao PDR", f"F{rows_of(load_workbook(edited['before'])['Lao PDR'], 'see row above')[0]}") == (
        "LA",
        "Lao PDR",
        next(u[2] for u in unplaced(edited["after"]) if u[6] == "see row above"),
    )


def test_rows_added_by_hand_go_to_unplaced_entries_named_on_issues(edited: dict[str, Path]) -> None:
    before = load_workbook(edited["before"])["Lao PDR"]
    (own,) = rows_of(before, "LA-NAT-1")
    _, cols = header(before, *HEADS)
    got = [
        u for u in unplaced(edited["after"]) if u[6] in ("MTC focal point", "national pilot, no Roadmap ID", "own milestone")
    ]
    lead, notes = get_column_letter(cols["Lead agency"]), get_column_letter(cols["Notes"])
    no_place = "the row has no place in the plan: "
    assert got == [
        (
            "LA",
            "Lao PDR",
            f"{lead}{own - 1}",
            None,
            None,
            "Lead agency",
            "MTC focal point",
            2026,
            no_place + "it names no milestone",
        ),
        (
            "LA",
            "Lao PDR",
            f"{notes}{own - 1}",
            None,
            None,
            "Notes",
            "national pilot, no Roadmap ID",
            2026,
            no_place + "it names no milestone",
        ),
        (
            "LA",
            "Lao PDR",
            f"{notes}{own}",
            "LA-NAT-1",
            None,
            "Notes",
            "own milestone",
            2026,
            no_place + "'LA-NAT-1' is not a milestone ID of the Roadmap",
        ),
    ]
    said = issues(edited["after"])
    assert (
        f"sheet 'Lao PDR' cell {notes}{own} (Notes, LA-NAT-1): 'own milestone' is kept on the Unplaced entries sheet: "
        f"{no_place}'LA-NAT-1' is not a milestone ID of the Roadmap"
    ) in said


def test_two_rows_with_one_milestone_keep_both_values(edited: dict[str, Path]) -> None:
    la = load_workbook(edited["after"])["Lao PDR"]
    assert typed_on(la, "E1.4.1.S1")["Status"] == "In progress"  # the first row's, kept on the row
    before = load_workbook(edited["before"])["Lao PDR"]
    first, second = rows_of(before, "E1.4.1.S1")
    got = {u[6]: u[8] for u in unplaced(edited["after"]) if u[3] == "E1.4.1.S1"}
    theirs = f"a second row for E1.4.1.S1 (Lao PDR row {second}) disagrees with Lao PDR row {first}"
    assert got["Planned"] == f"{theirs}, whose 'In progress' is kept on the row"
    assert got["pasted"] == f"{theirs}, whose '=not a formula, keep it' is kept on the row"
    # typed over the Checklist table: disagrees with the tracker, so kept aside too
    assert got["Completed"] == (
        f"typed over the Checklist table's formula disagrees with Lao PDR row {first}, "
        "whose 'In progress' is kept on the row"
    )


def test_a_value_typed_over_the_checklist_table_reaches_its_tracker(edited: dict[str, Path]) -> None:
    la = load_workbook(edited["after"])["Lao PDR"]
    assert typed_on(la, "E4.4.1.S1")["Lead agency"] == "typed in the table"
    said = [m for m in issues(edited["after"]) if "'typed in the table'" in m]
    assert len(said) == 1 and said[0].startswith("sheet 'Checklist' cell ")
    assert said[0].endswith(
        "'typed in the table' (typed over the Checklist table's formula) is carried to Lao PDR row "
        + str(rows_of(load_workbook(edited["before"])["Lao PDR"], "E4.4.1.S1")[0])
    )


def test_retyped_headers_are_still_read(edited: dict[str, Path]) -> None:
    kh = load_workbook(edited["after"])["Cambodia"]
    top, cols = header(kh, "Milestone ID", "Lead agency / focal point", "Notes (updated monthly)")  # the words kept
    (row,) = [r for r in range(top + 1, kh.max_row + 1) if kh.cell(r, cols["Milestone ID"]).value == "A1.1.1.S1"]
    assert kh.cell(row, cols["Lead agency / focal point"]).value == "Ministry of Post and Telecommunications"


def test_a_renamed_tracker_is_found_by_its_key(edited: dict[str, Path]) -> None:
    sg = load_workbook(edited["after"])["Singapore"]
    assert typed_on(sg, "A1.2.1.S1")["Status"] == "Done"
    assert not any("missing" in m for m in issues(edited["after"]))


def test_an_added_column_is_carried_with_its_header(edited: dict[str, Path]) -> None:
    for name in ("after", "again"):
        la = load_workbook(edited[name])["Lao PDR"]
        top, cols = header(la, *HEADS, "Budget")
        assert cols["Budget"] == cols["Notes"] + 1, name
        by_id = {
            la.cell(r, cols["Milestone ID"]).value: la.cell(r, cols["Budget"]).value for r in range(top + 1, la.max_row + 1)
        }
        assert (by_id["E1.4.1.S1"], by_id["E4.4.1.S1"], by_id["E1.4.1.S2"]) == ("USD 20,000", 5000, None), name
        assert la.column_dimensions[get_column_letter(key_column(la))].hidden


def test_comments_are_carried(edited: dict[str, Path]) -> None:
    for name in ("after", "again"):
        la = load_workbook(edited[name])["Lao PDR"]
        _, cols = header(la, *HEADS)
        (row,) = rows_of(la, "E1.4.1.S1")
        assert la.cell(row, cols["Notes"]).comment.text == "checked by MTC", name
    assert ("comment on Pillar", "ask about pillar 1") in [(u[5], u[6]) for u in unplaced(edited["after"])]


def test_unplaced_entries_are_kept_round_after_round(edited: dict[str, Path]) -> None:
    assert unplaced(edited["again"]) == unplaced(edited["after"])
    assert len(unplaced(edited["after"])) == 8
    assert f"{len(unplaced(edited['after']))} entries unplaced in an earlier round are still kept" in " ".join(
        issues(edited["again"])
    )


def test_a_header_that_cannot_be_recognised_is_said(rounds: dict[str, Path], tmp_path: Path) -> None:
    wb = load_workbook(rounds["typed"])
    ws = wb["Lao PDR"]
    top, cols = header(ws, *HEADS)
    set_text(ws, top, cols["Lead agency"], "Responsible")
    edited_path = tmp_path / "edited.xlsx"
    wb.save(edited_path)
    out = tmp_path / "out.xlsx"
    assert consolidate(rounds["r2026"], out, "--previous", str(edited_path)).exit_code == 1
    assert (
        f"sheet 'Lao PDR' row {top}: no header cell is recognised as Lead agency; the columns not recognised "
        "('Responsible') are carried as added columns, with their headers"
    ) in issues(out)
    la = load_workbook(out)["Lao PDR"]
    top, cols = header(la, *HEADS, "Responsible")
    (row,) = rows_of(la, "E1.4.1.S1")
    assert la.cell(row, cols["Responsible"]).value == "ກະຊວງເຕັກໂນໂລຊີ ແລະ ການສື່ສານ"


# ---------------------------------------------------------------- 4. the Checklist table after a sort


def test_the_checklist_table_looks_rows_up_by_key_so_a_sort_cannot_mislead(edited: dict[str, Path]) -> None:
    """Evaluate the table's lookups on the sorted tracker: each finds its own milestone's row."""
    wb = load_workbook(edited["before"])
    table = wb["Checklist"]
    heads, _ = table_rows(table, "Checklist")
    lookup = re.compile(r"INDEX\('([^']+)'!\$([A-Z]+):\$[A-Z]+,MATCH\(\"([^\"]+)\",'[^']+'!\$([A-Z]+):\$[A-Z]+,0\)\)")
    for r in range(2, table.max_row + 1):
        if (table.cell(r, 1).value, table.cell(r, 2).value) != ("LA", "E1.4.1.S1"):
            continue
        sheet, col, key, keys = lookup.search(table.cell(r, heads.index("Lead agency") + 1).value).groups()
        ws = wb[sheet]
        (found,) = [c.row for c in ws[keys] if c.value == key]
        assert ws[f"{col}{found}"].value == "ກະຊວງເຕັກໂນໂລຊີ ແລະ ການສື່ສານ"
        assert column_index_from_string(keys) == key_column(ws)


# ---------------------------------------------------------------- 5. the round an entry was entered in


def test_a_same_year_rerun_keeps_the_round_entries_were_entered_in(rounds: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "regional-2027.xlsx"
    assert consolidate(rounds["r2027"], out, "--previous", str(rounds["next"])).exit_code == 0
    la = load_workbook(out)["Lao PDR"]
    titles = [c.value for c in la["A"] if str(c.value).startswith("Carried from")]
    assert [t.split(" — ")[0] for t in titles] == ["Carried from 2026"]


# ---------------------------------------------------------------- 7. a Status off the list


def test_a_status_off_the_list_is_counted_as_other_and_said(edited: dict[str, Path]) -> None:
    wb = load_workbook(edited["after"])
    before = load_workbook(edited["before"])["SG plan"]
    _, cols = header(before, *HEADS)
    cell = f"{get_column_letter(cols['Status'])}{rows_of(before, 'A1.2.1.S1')[0]}"
    assert (
        f"sheet 'SG plan' cell {cell}: Status 'Done' is not one of the list (Not started, Planned, In progress, "
        "Completed, Not applicable); it is carried as typed and counted as 'Other (not a status of the list)'"
    ) in issues(edited["after"])
    values = load_workbook(edited["after"], data_only=True)["Singapore profile"]
    counts = {r["Status"]: r["Milestones"] for r in records(values, "Status", "Milestones", until_blank=True)}
    assert counts["Other (not a status of the list)"] == 1
    assert sum(v for k, v in counts.items() if k != "All milestones in the plan") == counts["All milestones in the plan"]
    formula = {
        r["Status"]: r["Milestones"] for r in records(wb["Singapore profile"], "Status", "Milestones", until_blank=True)
    }
    assert str(formula["Other (not a status of the list)"]).startswith("=COUNTA(")


# ---------------------------------------------------------------- what the lead's guards need


def test_record_size(rounds: dict[str, Path], edited: dict[str, Path], catalogue: Catalogue) -> None:
    assert record_size(rounds["first"], catalogue) == (0, 1)
    assert record_size(rounds["typed"], catalogue) == (8, 1)
    assert record_size(rounds["next"], catalogue) == (8, 2)  # Cambodia's entry too, on its kept plan
    assert record_size(next(rounds["r2026"].iterdir()), catalogue) is None  # a questionnaire
    # the edited workbook: those 8 rows, Singapore's "Done", two rows added by hand and a commented heading
    # (the pasted row and the Checklist typed over name rows already counted)
    assert record_size(edited["before"], catalogue) == (12, 1)


# ---------------------------------------------------------------- the pieces: reader, entries, partition


def test_the_reader_gives_number_formats_and_comments(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from rai_xl.read.spreadsheet import Cell, read_workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "T"
    ws["A1"], ws["A2"], ws["A3"], ws["A4"], ws["A5"] = 0.5, 0.125, 2027, datetime(2026, 6, 30), "50%"
    ws["A1"].number_format, ws["A2"].number_format, ws["A4"].number_format = "0%", "0.00%", "dd/mm/yyyy"
    ws["B1"].comment = Comment("line one\nline two", "someone")
    path = tmp_path / "t.xlsx"
    wb.save(path)
    sheet = read_workbook(path.read_bytes()).sheets[0]
    assert [sheet.cells[(r, 1)] for r in range(1, 6)] == [
        Cell(0.5, "", "0%"),
        Cell(0.125, "", "0.00%"),
        Cell(2027.0),
        Cell(datetime(2026, 6, 30).date(), "", "dd/mm/yyyy"),
        Cell("50%"),
    ]
    assert sheet.comments == {(1, 2): "line one\nline two"}


def test_entries_are_read_by_what_the_columns_are() -> None:
    from rai_xl.layouts.tracker import TRACKER
    from rai_xl.read.entries import read_entries
    from rai_xl.read.spreadsheet import Cell, Sheet

    heads = ["Milestone ID", "STATUS ", "Lead agency / focal point", "Notes (monthly)", "Budget"]
    sheet = Sheet("X", {(3, c): Cell(h) for c, h in enumerate(heads, start=2)}, {(1, 1): "a note on the title"})
    sheet.cells |= {(4, 2): Cell("E1.4.1.S1"), (4, 3): Cell("Done"), (4, 6): Cell(5.0, "", "0%"), (4, 8): Cell("x")}
    sheet.comments[(4, 5)] = "why"
    found = read_entries(sheet, TRACKER)
    assert found is not None
    assert (found.header_row, found.columns) == (3, {"milestone_id": 2, "status": 3, "lead": 4, "notes": 5})
    assert found.added == {6: "Budget", 8: "Column H"}
    assert [c.head for c in found.missing] == ["Target date"]
    (row,) = found.rows
    assert (row.number, row.values, row.typed.status) == (4, {"milestone_id": "E1.4.1.S1"}, "Done")
    assert row.typed.added == (("Budget", 5.0, "0%"), ("Column H", "x", ""))
    assert row.typed.comments == (("notes", "why"),)
    assert found.stray == [("A1", "a note on the title", "a comment above the header row")]


def test_the_partition_puts_every_entry_in_one_place(catalogue: Catalogue) -> None:
    from rai_xl.core.carry import partition
    from rai_xl.core.typed import Typed, TypedRow

    def row(code: str, mid: str, n: int, **typed: object) -> TypedRow:
        cells = tuple((k, f"G{n}") for k in typed)
        return TypedRow(code, mid, Typed(**typed), ("", "", "", ""), 2026, "S", n, cells)  # type: ignore[arg-type]

    rows = [
        row("LA", "E1.4.1.S1", 1, status="Planned"),  # planned
        row("LA", "E1.4.1.S1", 2, status="Completed", notes="n"),  # a second row: notes merged, status unplaced
        row("LA", "A1.1.1.S1", 3, lead="L"),  # targeted, not planned: carried
        row("LA", "E1.4.1.S99", 4, lead="L"),  # not in the catalogue: archived
        row("KH", "A1.1.1.S1", 5, lead="L"),  # no tracker: archived
        row("LA", "", 6, notes="own row"),  # no milestone: unplaced
    ]
    part = partition(rows, [], {("LA", "E1.4.1.S1")}, {"LA"}, catalogue, 2027, catalogue.version)
    assert {k: (r.typed.status, r.typed.notes) for k, r in part.placed.items()} == {("LA", "E1.4.1.S1"): ("Planned", "n")}
    assert [r.milestone_id for r in part.carried["LA"]] == ["A1.1.1.S1"]
    assert [(r.country, r.milestone_id) for r, _ in part.archived] == [("LA", "E1.4.1.S99"), ("KH", "A1.1.1.S1")]
    assert [(u.cell, u.value) for u in part.unplaced] == [("G2", "Completed"), ("G6", "own row")]
    assert part.said == ["sheet 'S' cell G2: 'n' (a second row for E1.4.1.S1 (S row 2)) is carried to S row 1"]


def test_the_checklist_table_pasted_as_values_changes_nothing(rounds: dict[str, Path], tmp_path: Path) -> None:
    """Someone turned the table's formulas into their values: the same values as the trackers', so
    nothing is unplaced and nothing is said."""
    wb, cached = load_workbook(rounds["again"]), load_workbook(rounds["again"], data_only=True)  # made by rai-xl: cached
    assert cached["Checklist"]["H2"].value == "In progress"
    for row in wb["Checklist"].iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":
                cell.value = cached["Checklist"][cell.coordinate].value
                if isinstance(cell.value, datetime):
                    cell.number_format = "d mmm yyyy"  # shown otherwise, the same date
    pasted = tmp_path / "pasted.xlsx"
    wb.save(pasted)
    out = tmp_path / "out.xlsx"
    assert consolidate(rounds["r2026"], out, "--previous", str(pasted)).exit_code == 1
    assert "Unplaced entries" not in load_workbook(out).sheetnames
    assert not any("Checklist" in m for m in issues(out))
