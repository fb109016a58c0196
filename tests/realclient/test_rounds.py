"""Real client: checklist entries typed and saved in LibreOffice survive `consolidate --previous`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from rai_xl.catalogue import Catalogue
from tests.test_consolidate import KH_POINTS, LA_POINTS, SG_POINTS, consolidate, table_rows
from tests.test_rounds import LA_2027, UNTOUCHED, checklist_row, make_returns, typed_on

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
    """The driver's fills for ENTRIES, at the cells the regional workbook put them."""
    wb = load_workbook(path)
    out: list[list[object]] = []
    for sheet, mid, values in ENTRIES:
        row, cols = checklist_row(wb[sheet], mid)
        for head, value in values.items():
            ref = f"{get_column_letter(cols[head])}{row}"
            if isinstance(value, datetime):
                out.append([sheet, ref, (value - EXCEL_EPOCH).days, "number"])
            elif isinstance(value, float):
                out.append([sheet, ref, value, "number"])
            else:
                out.append([sheet, ref, value])
    return out


@pytest.fixture(scope="module")
def lo_rounds(libreoffice, tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("lo-rounds")
    r2026 = make_returns(base / "returns-2026", catalogue, 2026, {"KH": KH_POINTS, "LA": LA_POINTS, "SG": SG_POINTS})
    r2027 = make_returns(base / "returns-2027", catalogue, 2027, {"LA": LA_2027, "SG": SG_POINTS})
    first = base / "regional-2026.xlsx"
    assert consolidate(r2026, first).exit_code == 1  # Cambodia is incomplete
    saved = base / "regional-2026-lo.xlsx"
    libreoffice([{"input": str(first), "fills": fills(first), "save": [[str(saved), "xlsx"]]}])
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
        if sheet == "Cambodia":  # no 2027 return: kept on the Archive
            archived = [r for r in wb["Archive"].iter_rows(values_only=True) if r[2] == mid]
            assert [(r[0], r[7], r[8]) for r in archived] == [("KH", values["Status"], values["Lead agency"])]
            continue
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
