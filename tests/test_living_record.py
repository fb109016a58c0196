"""The living record, carried round to round: what it shows of a Member State with no return, headers a
coordinator reworded, conflicts marked resolved, late progress returns, sorted trackers."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from tests.test_consolidate import tier_table
from tests.test_rounds import rounds  # noqa: F401 (a fixture)


def test_a_member_state_without_a_return_shows_its_last_known_tiers(rounds: dict[str, Path]) -> None:  # noqa: F811
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
