"""Rules that only golden files or LibreOffice used to catch, tested directly: the Summary's tier rule
(a tier from its minimum, so 10.5 is Emerging and 21 Advanced), each criterion's own points behind its
dropdown (Q6 alone reversed), and A4 paper on every sheet a person prints."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from rai_xl.method.catalogue import Catalogue
from rai_xl.write.questionnaire import write_questionnaire
from tests.helpers import ROOT, run_cli

A4 = 9  # the paper size code of A4 in SpreadsheetML


@pytest.fixture(scope="module")
def questionnaire(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("q") / "q.xlsx"
    write_questionnaire(catalogue, path, country=catalogue.country("LA"), year=2026)
    return openpyxl.load_workbook(path)


def test_summary_tier_formula_places_a_pillar_from_each_tiers_minimum(questionnaire: openpyxl.Workbook) -> None:
    ws = questionnaire["Summary"]
    score = "SUM(Criteria!$E$3:$E$12)"
    assert ws["E5"].value == (
        f'=IF(G5>0,"To be checked (see Status)",IF(C5=0,"Not answered",IF({score}>=21,"Advanced",'
        f'IF({score}>=11,"Promising","Emerging"))&IF(C5<10," (provisional)","")))'
    )


def test_only_q6_is_reversed_behind_the_dropdowns(questionnaire: openpyxl.Workbook, catalogue: Catalogue) -> None:
    lists = questionnaire["Lists"]
    labels_and_points = {}
    for c in catalogue.criteria:
        ((sheet, ref),) = questionnaire.defined_names[f"P_Q{c.number:02d}"].destinations
        assert sheet == "Lists"
        points = [cell.value for row in lists[ref.replace("$", "")] for cell in row]
        labels_and_points[c.id] = (c.labels[0], points)
    first_worth = {cid: points[0] for cid, (_, points) in labels_and_points.items()}
    assert [cid for cid, p in first_worth.items() if p != 3] == ["Q6"]
    assert labels_and_points["Q6"] == ("Yes", [0, 1.5, 3])
    assert labels_and_points["Q5"] == ("Yes", [3, 1.5, 0])


def test_every_printed_sheet_is_a4(questionnaire: openpyxl.Workbook, tmp_path: Path) -> None:
    shown = [ws for ws in questionnaire.worksheets if ws.sheet_state == "visible"]
    assert {ws.title: int(ws.page_setup.paperSize) for ws in shown} == dict.fromkeys((ws.title for ws in shown), A4)
    returns = tmp_path / "returns"
    shutil.copytree(ROOT / "samples", returns, ignore=shutil.ignore_patterns("regional-*"))
    out = tmp_path / "regional.xlsx"
    run_cli("consolidate", returns, "--output", out)
    regional = openpyxl.load_workbook(out)
    visible = [ws for ws in regional.worksheets if ws.sheet_state == "visible"]
    assert len(visible) > 20
    assert {ws.title for ws in visible if int(ws.page_setup.paperSize or 0) != A4} == set()
