"""Real client: checklist entries typed and saved in LibreOffice survive `consolidate --previous`."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rai_xl.method.catalogue import Catalogue
from tests.helpers import (
    HEADS,
    KH_POINTS,
    LA_POINTS,
    SAMPLES,
    SG_POINTS,
    UNTOUCHED,
    checklist_row,
    consolidate,
    first_round,
    header,
    key_column,
    last_row,
    make_returns,
    records,
    rows_of,
    table_rows,
    typed_on,
)

pytestmark = pytest.mark.libreoffice
EXCEL_EPOCH = datetime(1899, 12, 30)

# (sheet, milestone ID, {column: value}) typed in LibreOffice; dates are typed as dates (day numbers in a
# date-formatted cell), Lao and Thai text as text.
ENTRIES = [
    (
        "Lao PDR",
        "E1.4.1.S1",
        {
            "Status": "In progress",
            "Lead agency": "ກະຊວງເຕັກໂນໂລຊີ ແລະ ການສື່ສານ",
            "Target date": datetime(2026, 6, 30),
            "Notes": "ຮ່າງດຳລັດ: =not a formula",
        },
    ),
    ("Lao PDR", "E1.5.1.S1", {"Status": "Completed", "Target date": "Q3 2026 (to confirm)"}),
    ("Lao PDR", "A2.2.1.S1", {"Notes": "only a note"}),
    ("Lao PDR", "P3.3.1.S1", {"Status": "Planned", "Lead agency": 42.0}),
    ("Cambodia", "A1.1.1.S1", {"Status": "In progress", "Lead agency": "Ministry of Post and Telecommunications"}),
    ("Singapore", "A1.2.1.S1", {"Status": "Not applicable", "Notes": "Already in place (IMDA)"}),
    (
        "Cross-cutting",
        "C1.1.1.S1",
        {"Status": "Planned", "Lead agency": "สำนักงานพัฒนาธุรกรรมทางอิเล็กทรอนิกส์", "Notes": "ทดสอบภาษาไทย"},
    ),
    ("Cross-cutting", "C4.2.1.S1", {"Target date": datetime(2027, 1, 15), "Notes": "  spaces kept  "}),
]


def expected(values: dict[str, object]) -> dict[str, object]:
    return {**UNTOUCHED, **values}


def fills(path: Path) -> list[list[object]]:
    """The driver's ops typing ENTRIES, at the cells the regional workbook put them."""
    wb = load_workbook(path)
    out: list[list[object]] = []
    for sheet, mid, values in ENTRIES:
        row, cols = checklist_row(wb[sheet], mid)
        for head, value in values.items():
            ref = f"{get_column_letter(cols[head])}{row}"
            if isinstance(value, datetime):  # typed as a date: LibreOffice gives a General cell a date format
                out.append(["fill", sheet, ref, (value - EXCEL_EPOCH).days, "number"])
                out.append(["format", sheet, ref, "YYYY-MM-DD"])
            elif isinstance(value, float):
                out.append(["fill", sheet, ref, value, "number"])
            else:
                out.append(["fill", sheet, ref, value])
    return out


@pytest.fixture(scope="module")
def lo_rounds(libreoffice, tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("lo-rounds")
    r2026, r2027, first = first_round(base, catalogue)
    saved = base / "regional-2026-lo.xlsx"
    libreoffice([{"input": str(first), "ops": fills(first), "save": [[str(saved), "xlsx"]]}])
    again = base / "regional-2026-again.xlsx"
    result = consolidate(r2026, again, "--previous", str(saved))
    assert result.exit_code == 1, result.output
    nxt = base / "regional-2027.xlsx"
    result = consolidate(r2027, nxt, "--previous", str(again))
    assert result.exit_code == 0 and result.exception is None, result.output
    return {"saved": saved, "again": again, "next": nxt}


def test_libreoffice_typed_values_same_year(lo_rounds: dict[str, Path]) -> None:
    wb = load_workbook(lo_rounds["again"])
    for sheet, mid, values in ENTRIES:
        assert typed_on(wb[sheet], mid) == expected(values), (sheet, mid)


def test_libreoffice_typed_values_next_year(lo_rounds: dict[str, Path]) -> None:
    wb = load_workbook(lo_rounds["next"])
    for sheet, mid, values in ENTRIES:
        # Cambodia sent no 2027 return: its 2026 plan is kept, with what was typed on it
        assert typed_on(wb[sheet], mid) == expected(values), (sheet, mid)
    checklist = {(r[0], r[1]): r[6] for r in table_rows(wb["Checklist"], "Checklist")[1]}
    assert [checklist["LA", m] for m in ("E1.4.1.S1", "E1.5.1.S1", "A2.2.1.S1", "P3.3.1.S1")] == [
        "gap",
        "carried",
        "carried",
        "carried",
    ]


def test_libreoffice_history_exact_for_both_rounds(lo_rounds: dict[str, Path]) -> None:
    _, first = table_rows(load_workbook(lo_rounds["again"])["History"], "History")
    _, both = table_rows(load_workbook(lo_rounds["next"])["History"], "History")
    round_2026 = [
        [code, name, 2026, p, score, tier, complete]
        for code, name, rows in (
            (
                "KH",
                "Cambodia",
                [(30, "Advanced", True), (12, "Promising", False), (15, "Promising", True), (21, "Advanced", True)],
            ),
            (
                "LA",
                "Lao PDR",
                [(10.5, "Emerging", True), (21, "Advanced", True), (19.5, "Promising", True), (0, "Emerging", True)],
            ),
            ("SG", "Singapore", [(30, "Advanced", True)] * 4),
        )
        for p, (score, tier, complete) in enumerate(rows, start=1)
    ]
    round_2027 = [
        ["LA", "Lao PDR", 2027, 1, 30, "Advanced", True],
        ["LA", "Lao PDR", 2027, 2, 0, "Emerging", True],
        ["LA", "Lao PDR", 2027, 3, 30, "Advanced", True],
        ["LA", "Lao PDR", 2027, 4, 15, "Promising", True],
    ] + [["SG", "Singapore", 2027, p, 30, "Advanced", True] for p in range(1, 5)]
    assert first == round_2026
    assert both == round_2026 + round_2027


# ---------------------------------------------------------------- what coordinators do to the workbook (issue 14)


def ref(col: int, row: int) -> str:
    return f"{get_column_letter(col)}{row}"


def edits(path: Path) -> tuple[list[list[object]], dict[str, object]]:
    """LibreOffice ops making the edits of the living-record acceptance list on *path*, and what to expect."""
    wb = load_workbook(path)
    la, kh = wb["Lao PDR"], wb["Cambodia"]
    top, cols = header(la, *HEADS)
    key = key_column(la)
    (e141,) = rows_of(la, "E1.4.1.S1")
    block = [e141]
    while str(la.cell(block[-1] + 1, cols["Milestone ID"]).value or "").startswith("E1.4.1."):
        block.append(block[-1] + 1)
    (e151,), (a221,), (p331,) = rows_of(la, "E1.5.1.S1"), rows_of(la, "A2.2.1.S1"), rows_of(la, "P3.3.1.S1")
    shared = next(
        m
        for m in (la.cell(r, cols["Milestone ID"]).value for r in range(top + 1, la.max_row + 1))
        if m and m[0] in "AP" and rows_of(kh, m)
    )
    (la_shared,), (kh_shared,) = rows_of(la, shared), rows_of(kh, shared)
    kh_top, kh_cols = header(kh, *HEADS)
    end = last_row(la)
    (sg_row,) = rows_of(wb["Singapore"], "A1.2.1.S1")
    table = wb["Checklist"]
    heads, _ = table_rows(table, "Checklist")
    checklist_rows = {(table.cell(r, 1).value, table.cell(r, 2).value): r for r in range(2, table.max_row + 1)}
    over = checklist_rows[("LA", "P3.3.1.S1")]
    typed = {"E1.5.1.S1", "A2.2.1.S1", "P3.3.1.S1", shared}
    deleted_row = next(
        r for r in range(block[-1] + 1, la.max_row + 1) if la.cell(r, cols["Milestone ID"]).value not in (None, *typed)
    )
    deleted = la.cell(deleted_row, cols["Milestone ID"]).value
    gone = deleted_row  # 0-based index of the row, one lower after the insertion above it
    budget = p331 + 1 - (deleted_row < p331)  # P3.3.1.S1's row after the insertion and the deletion
    c = cols.__getitem__
    ops: list[list[object]] = [
        ["fill", "Lao PDR", ref(c("Status"), e141), "In progress"],
        ["fill", "Lao PDR", ref(c("Lead agency"), e141), "ກະຊວງເຕັກໂນໂລຊີ ແລະ ການສື່ສານ"],
        ["fill", "Lao PDR", ref(c("Target date"), e141), (datetime(2026, 6, 30) - EXCEL_EPOCH).days, "number"],
        ["format", "Lao PDR", ref(c("Target date"), e141), "YYYY-MM-DD"],  # as typing a date does
        ["comment", "Lao PDR", ref(c("Notes"), e141), "checked by MTC"],
        ["fill", "Lao PDR", ref(c("Target date"), e151), 2027, "number"],  # a year
        ["fill", "Lao PDR", ref(c("Notes"), a221), "50%"],  # typed in a text cell
        ["fill", "Lao PDR", ref(c("Lead agency"), p331), "MTC"],
        ["fill", "Lao PDR", ref(c("Status"), la_shared), "Planned"],
        ["fill", "Cambodia", ref(kh_cols["Status"], kh_shared), "Completed"],
        ["fill", "Cambodia", ref(kh_cols["Notes"], kh_shared), "KH note"],
        ["fill", "Cambodia", ref(kh_cols["Lead agency"], kh_top), "Lead agency / focal point"],
        ["fill", "Singapore", ref(c("Status"), sg_row), "Done"],
        ["fill", "Checklist", ref(heads.index("Notes") + 1, over), "typed in the table"],
        # a row pasted from Cambodia's tracker under Lao PDR's table
        ["copy", "Cambodia", f"A{kh_shared}:{get_column_letter(key)}{kh_shared}", "Lao PDR", f"A{end + 2}"],
        # sort the E1.4.1 milestones by Milestone text, descending: keys move with their rows
        ["sort", "Lao PDR", f"A{block[0]}:{get_column_letter(key)}{block[-1]}", c("Milestone") - 1, True],
        # a row inserted inside the table (after the block's first row), with a note and no milestone ID
        ["insert_rows", "Lao PDR", block[0], 1],
        ["fill", "Lao PDR", ref(c("Notes"), block[0] + 1), "inserted row note"],
        # a row no one typed on deleted (one lower now)
        ["delete_rows", "Lao PDR", gone, 1],
        # a column inserted before the key, headed Budget, with a percentage
        ["insert_columns", "Lao PDR", key - 1, 1],
        ["fill", "Lao PDR", ref(key, top), "Budget"],
        ["fill", "Lao PDR", ref(key, budget), 0.5, "number"],
        ["format", "Lao PDR", ref(key, budget), "0%"],
        ["rename", "Singapore", "SG plan"],
    ]
    cells = {
        "E1.4.1.S1 status": f"H{checklist_rows[('LA', 'E1.4.1.S1')]}",
        "shared status": f"H{checklist_rows[('LA', shared)]}",
    }
    return ops, {"shared": shared, "deleted": deleted, "cells": cells}


@pytest.fixture(scope="module")
def lo_edited(libreoffice, tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> dict[str, object]:
    base = tmp_path_factory.mktemp("lo-edited")
    r2026 = make_returns(base / "returns", catalogue, 2026, {"KH": KH_POINTS, "LA": LA_POINTS, "SG": SG_POINTS})
    first = base / "regional-2026.xlsx"
    assert consolidate(r2026, first).exit_code == 1
    ops, facts = edits(first)
    saved = base / "regional-2026-lo.xlsx"
    read = [["Checklist", at] for at in facts["cells"].values()]  # type: ignore[attr-defined]
    (result,) = libreoffice([{"input": str(first), "ops": ops, "read": read, "save": [[str(saved), "xlsx"]]}])
    shown = {what: result["read"][f"Checklist!{at}"] for what, at in facts["cells"].items()}  # type: ignore[attr-defined]
    out = base / "regional-2026-again.xlsx"
    run = consolidate(r2026, out, "--previous", str(saved))
    assert run.exit_code == 1, run.output
    gnumeric = base / "regional-2026-gnumeric.xlsx"
    subprocess.run(["ssconvert", str(saved), str(gnumeric)], check=True, capture_output=True)
    out_g = base / "regional-2026-gnumeric-again.xlsx"
    run = consolidate(r2026, out_g, "--previous", str(gnumeric))
    assert run.exit_code == 1, run.output
    return {"saved": saved, "out": out, "gnumeric": out_g, "shown": shown, **facts}


def test_libreoffice_recalculates_the_checklist_table_right_after_a_sort(lo_edited: dict[str, object]) -> None:
    assert lo_edited["shown"] == {"E1.4.1.S1 status": "In progress", "shared status": "Planned"}


@pytest.mark.parametrize("via", ["out", "gnumeric"])
def test_every_value_edited_in_libreoffice_is_in_its_place(lo_edited: dict[str, object], via: str) -> None:
    """Sorted, rows inserted and deleted, a column added, a tracker renamed, a header retyped, a row pasted
    from another tracker, a comment, the Checklist table typed over, a year and a percentage: and once more
    after a Gnumeric round trip of the edited workbook."""
    path = lo_edited[via]
    wb = load_workbook(path)  # type: ignore[arg-type]
    la, kh, sg = wb["Lao PDR"], wb["Cambodia"], wb["Singapore"]
    shared = str(lo_edited["shared"])
    assert typed_on(la, "E1.4.1.S1") == expected(
        {"Status": "In progress", "Lead agency": "ກະຊວງເຕັກໂນໂລຊີ ແລະ ການສື່ສານ", "Target date": datetime(2026, 6, 30)}
    )
    _, cols = header(la, *HEADS, "Budget")
    (e141,) = rows_of(la, "E1.4.1.S1")
    assert la.cell(e141, cols["Notes"]).comment.text.strip() == "checked by MTC"
    year = la.cell(rows_of(la, "E1.5.1.S1")[0], cols["Target date"])
    assert (year.value, year.is_date) == (2027, False)
    assert typed_on(la, "A2.2.1.S1")["Notes"] == "50%"
    assert typed_on(la, "P3.3.1.S1") == expected({"Lead agency": "MTC", "Notes": "typed in the table"})
    (p331,) = rows_of(la, "P3.3.1.S1")
    budget = la.cell(p331, cols["Budget"])
    assert (budget.value, budget.number_format) == (0.5, "0%")
    assert typed_on(la, shared) == expected({"Status": "Planned", "Notes": "KH note"})
    assert typed_on(kh, shared) == expected({"Status": "Completed", "Notes": "KH note"})
    top, kh_cols = header(kh, *HEADS)
    assert kh.cell(top, kh_cols["Lead agency"]).value == "Lead agency / focal point"  # the header as retyped, kept
    assert typed_on(sg, "A1.2.1.S1")["Status"] == "Done"
    assert typed_on(la, str(lo_edited["deleted"])) == UNTOUCHED
    rows = records(wb["Unplaced entries"], "Sheet", "Cell", "Value", "Reason")
    assert sorted((r["Sheet"], r["Value"]) for r in rows) == [("Lao PDR", "Completed"), ("Lao PDR", "inserted row note")]


# ---------------------------------------------------------------- a whole tracker sorted by a column

# (sheet, column its filter arrow sorts by, descending)
SORTS = [("Lao PDR", "Status", False), ("Thailand", "Target date", True), ("Cross-cutting", "Lead agency", False)]


def milestones(ws: Worksheet) -> list[str]:
    """The Milestone IDs of a tracker, top to bottom."""
    top, cols = header(ws, *HEADS)
    ids = (ws.cell(r, cols["Milestone ID"]).value for r in range(top + 1, ws.max_row + 1))
    return [i for i in ids if i]


def sorted_typing(path: Path) -> tuple[list[list[object]], list[tuple[str, str, dict[str, object]]]]:
    """The driver's ops typing values on the trackers of SORTS (rows from the top, middle and bottom, so the
    sort moves them), then sorting each tracker by its column; and what was typed."""
    wb = load_workbook(path)
    typed: list[tuple[str, str, dict[str, object]]] = []
    for sheet, _, _ in SORTS:
        ids = milestones(wb[sheet])
        typed += [
            (sheet, ids[-1], {"Status": "Completed", "Lead agency": "Zeta office", "Target date": datetime(2026, 3, 31)}),
            (sheet, ids[len(ids) // 2], {"Status": "In progress", "Lead agency": "ກະຊວງເຕັກໂນໂລຊີ", "Notes": "ທົດສອບ"}),
            (sheet, ids[2], {"Status": "Planned", "Target date": "Q3 2027", "Notes": "  spaces kept  "}),
            (sheet, ids[5], {"Lead agency": "Alpha agency", "Target date": datetime(2027, 12, 1), "Notes": "ทดสอบ"}),
        ]
    ops: list[list[object]] = []
    for sheet, mid, values in typed:
        row, cols = checklist_row(wb[sheet], mid)
        for head, value in values.items():
            at = f"{get_column_letter(cols[head])}{row}"
            if isinstance(value, datetime):  # typed as a date: a day number in a date-formatted cell
                ops += [["fill", sheet, at, (value - EXCEL_EPOCH).days, "number"], ["format", sheet, at, "YYYY-MM-DD"]]
            else:
                ops.append(["fill", sheet, at, value])
    ops += [["sort_filter", sheet, column, descending] for sheet, column, descending in SORTS]
    return ops, typed


@pytest.fixture(scope="module")
def lo_sorted(libreoffice, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The samples consolidated with the bundled previous round; values typed on three trackers, each sorted
    in LibreOffice by its filter's column and saved; consolidated again with --previous."""
    base = tmp_path_factory.mktemp("lo-sorted")
    first = base / "regional-2026.xlsx"
    result = consolidate(SAMPLES, first, "--previous", str(SAMPLES / "regional-2025.xlsx"))
    assert result.exit_code == 1, result.output  # Thailand's return is incomplete
    ops, typed = sorted_typing(first)
    saved = base / "regional-2026-sorted.xlsx"
    libreoffice([{"input": str(first), "ops": ops, "save": [[str(saved), "xlsx"]]}])
    again = base / "regional-2026-again.xlsx"
    readiness = sorted(SAMPLES.glob("RAI-readiness-2026-*.xlsx"))  # the progress returns were merged already
    result = consolidate(readiness, again, "--previous", str(saved))
    assert result.exit_code == 1, result.output
    return {"first": first, "saved": saved, "again": again, "typed": typed}  # type: ignore[dict-item]


def test_libreoffice_sorts_a_whole_tracker_by_a_column_keeping_its_filter(lo_sorted: dict[str, Path]) -> None:
    """Sorted by Status, Target date or Lead agency with the header's filter: the rows move (heading rows,
    with nothing in the column, go below), the filter stays over the header and every row."""
    first, saved = load_workbook(lo_sorted["first"]), load_workbook(lo_sorted["saved"])
    for sheet, column, _ in SORTS:
        ws = saved[sheet]
        top, cols = header(ws, *HEADS)
        assert ws.auto_filter.ref == first[sheet].auto_filter.ref, sheet
        assert ws.auto_filter.ref.startswith(f"A{top}:") and ws.auto_filter.ref.endswith(str(ws.max_row)), sheet
        assert milestones(ws) != milestones(first[sheet]), f"{sheet} was not sorted"
        shown = [ws.cell(r, cols[column]).value for r in range(top + 1, ws.max_row + 1)]
        filled = [v not in (None, "") for v in shown]
        assert filled == sorted(filled, reverse=True), f"{sheet}: an empty {column} above a filled one"
        if column == "Status":
            statuses = [v for v in shown if v]
            assert statuses == sorted(statuses, key=str.casefold) and statuses[0] == "Completed"


def test_every_value_typed_on_a_sorted_tracker_is_on_its_row(lo_sorted: dict[str, Path]) -> None:
    """After the sort and `consolidate --previous`, every milestone of each sorted tracker holds what it held
    before plus what was typed on it, and heading rows (now among the milestones) are not entries."""
    first, again = load_workbook(lo_sorted["first"]), load_workbook(lo_sorted["again"])
    typed = {(sheet, mid): values for sheet, mid, values in lo_sorted["typed"]}  # type: ignore[attr-defined]
    for sheet, _, _ in SORTS:
        ids = milestones(first[sheet])
        assert sorted(milestones(again[sheet])) == sorted(ids), sheet
        for mid in ids:
            want = {**typed_on(first[sheet], mid), **typed.get((sheet, mid), {})}
            assert typed_on(again[sheet], mid) == want, (sheet, mid)
    sheets = {s for s, _, _ in SORTS}
    unplaced = [
        [r for r in records(wb["Unplaced entries"], "Sheet", "Cell", "Value") if r["Sheet"] in sheets]
        if "Unplaced entries" in wb.sheetnames
        else []
        for wb in (first, again)
    ]
    assert unplaced[1] == unplaced[0]  # nothing new: no heading row read as an entry
