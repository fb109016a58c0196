"""What the meeting and the coordinator read: movement, counts, words, the official's own Summary, the pre-fill."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from rai_xl.core.collection import BLANK, chase_list, sort_out
from rai_xl.method.catalogue import Catalogue
from rai_xl.read.returns import read_return
from rai_xl.write.questionnaire import Prefill, write_questionnaire
from tests.helpers import RESPONDENT, ROOT, fill, labels_for, records, run_cli


def test_an_untouched_prefilled_return_is_said_to_be_unconfirmed(tmp_path: Path, catalogue: Catalogue) -> None:
    sent = tmp_path / "RAI-readiness-2027-Indonesia.xlsx"
    write_questionnaire(
        catalogue, sent, country=catalogue.country("ID"), year=2027, prefill=Prefill(2026, {"Q1": "Yes"}, {})
    )
    blank = tmp_path / "RAI-readiness-2027-Lao-PDR.xlsx"
    write_questionnaire(catalogue, blank, country=catalogue.country("LA"), year=2027)
    rnd = sort_out([read_return(sent, catalogue), read_return(blank, catalogue)], 2027)
    rows = {r.country.code: (r.state, r.detail) for r in chase_list(rnd, catalogue)}
    assert rows["ID"] == (
        BLANK,
        "the pre-filled questionnaire came back without respondent details, so its answers are not confirmed",
    )
    assert rows["LA"] == (BLANK, "the questionnaire came back with no answers")


# ---------------------------------------------------------------- movement from a provisional tier

P = (
    {f"Q{n}": 1.5 for n in range(1, 11)}
    | {f"Q{n}": 3.0 for n in range(21, 31)}
    | {f"Q{n}": 1.5 for n in range(31, 40)}
    | {"Q40": 0.0}  # 2027 leaves it blank: no points either way
)
ID_2026 = P | {f"Q{n}": 1.5 for n in range(11, 18)} | {"Q18": 0.0, "Q19": 0.0}  # Q20 blank: pillar 2 10.5, provisional
ID_2027 = (
    {q: v for q, v in P.items() if q not in ("Q21", "Q40")}
    | {f"Q{n}": 1.5 for n in range(11, 18)}
    | {"Q18": 3.0, "Q19": 0.0, "Q20": 1.5}
)


def _return(folder: Path, catalogue: Catalogue, year: int, points: dict[str, float]) -> None:
    folder.mkdir(exist_ok=True)
    path = folder / f"RAI-readiness-{year}-Indonesia.xlsx"
    write_questionnaire(catalogue, path, country=catalogue.country("ID"), year=year)
    fill(path, labels_for(catalogue, points), {}, RESPONDENT | {"date_completed": f"{year}-03-31"})


@pytest.fixture(scope="module")
def two_rounds(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> Workbook:
    base = tmp_path_factory.mktemp("meeting")
    _return(base / "2026", catalogue, 2026, ID_2026)
    _return(base / "2027", catalogue, 2027, ID_2027)
    first, second = base / "regional-2026.xlsx", base / "regional-2027.xlsx"
    assert run_cli("consolidate", base / "2026", "--output", first).exit_code == 1  # Q20 unanswered
    assert run_cli("consolidate", base / "2027", "--output", second, "--previous", first).exit_code == 1  # Q21
    return load_workbook(second)


def test_profile_chart_marks_provisional_scores(two_rounds: Workbook) -> None:
    ws = two_rounds["Indonesia profile"]
    (chart,) = ws._charts
    # pillar 2 in 2026, 3 and 4 in 2027
    assert [s.tx.v for s in chart.series][4:] == ["Provisional (unanswered criteria)"] * 3
    assert [[c.value for c in r] for r in ws["M2:U3"]] == [
        ["2026", 15, 10.5, 30, 13.5, None, 10.5, None, None],
        ["2027", 15, 15, 27, 13.5, None, None, 27, 13.5],
    ]
    assert [(e.idx, e.delete) for e in chart.legend.legendEntry] == [(5, True), (6, True)]  # one legend entry says it


def test_overview_movement_says_provisional_and_how_much_is_new_answers(two_rounds: Workbook) -> None:
    rows = records(two_rounds["Overview"], "Member State", "Previous round", "Movement", until_blank=True)
    assert [(r["Member State"], r["Pillar"], r["Previous round"], r["2027"], r["Movement"]) for r in rows] == [
        (
            "Indonesia",
            "2. Human Centricity and Involvement",
            "2026: Emerging (provisional, 10.5)",
            "2027: Promising (15)",
            "▲ up (+4.5 points, of which +1.5 from Q20, unanswered in 2026)",
        )
    ]


def test_profile_movement_says_provisional_and_how_much_is_new_answers(two_rounds: Workbook) -> None:
    rows = [
        r
        for r in records(two_rounds["Indonesia profile"], "Pillar", "Tier 2026", "Movement", "Tier 2027", until_blank=True)
        if isinstance(r["Pillar"], int)
    ]
    assert [(r["Tier 2026"], r["Movement"], r["Tier 2027"], r["Change (points)"]) for r in rows] == [
        ("Promising", "= same tier (+0 points)", "Promising", 0),
        (
            "Emerging (provisional)",
            "▲ up: Emerging (provisional) → Promising (+4.5 points, of which +1.5 from Q20, unanswered in 2026)",
            "Promising",
            4.5,
        ),
        ("Advanced", "= same tier (-3 points, of which -3 from Q21, unanswered in 2027)", "Advanced (provisional)", -3),
        ("Promising", "= same tier (+0 points, of which 0 from Q40, unanswered in 2027)", "Promising (provisional)", 0),
    ]


# ---------------------------------------------------------------- the printed pack


def test_the_printed_overview_holds_findings_not_instructions(tmp_path: Path, catalogue: Catalogue) -> None:
    out = tmp_path / "regional-2026.xlsx"
    assert run_cli("consolidate", ROOT / "samples", "--output", out).exit_code == 1  # Thailand is incomplete
    ws = load_workbook(out)["Overview"]
    area, last_row = ws.print_area.rsplit("$", 1)
    assert area == "'Overview'!$A$1:$I"
    last = int(last_row)
    printed = [str(c.value) for r in ws.iter_rows(max_row=last) for c in r if c.value is not None]
    below = [str(c.value) for r in ws.iter_rows(min_row=last + 1) for c in r[:9] if c.value is not None]
    assert not [t for t in printed if "Shift+click" in t or "--previous" in t or catalogue.fingerprint in t]
    assert "No earlier round in History: movement is shown from the second round on." in printed
    assert below[0] == "Printing (for the coordinator: this note is not printed)"
    assert below[1].startswith(
        "The meeting pack, typeset as a PDF (a page per profile, the same on every machine): rai-xl pack"
    )
    assert "To print the meeting pack from the spreadsheet instead (at most 27 pages): click the tab 'Overview'" in below[1]
    assert ws._charts[0].anchor.to.row < last  # the chart prints, whole


# ---------------------------------------------------------------- next round's pre-fill


def test_prefill_carries_evidence_and_comments_whatever_the_answers_fate(tmp_path: Path, catalogue: Catalogue) -> None:
    folder = tmp_path / "2026"
    folder.mkdir()
    path = folder / "RAI-readiness-2026-Indonesia.xlsx"
    write_questionnaire(catalogue, path, country=catalogue.country("ID"), year=2026)
    answers = labels_for(catalogue, {c.id: 1.5 for c in catalogue.criteria if c.id != "Q20"}) | {"Q4": "Perhaps"}
    fill(path, answers, {"Q4": "Perpres 2024 (draft)", "Q20": "Draft guideline"}, RESPONDENT)
    wb = load_workbook(path)
    ws = wb["Criteria"]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    ws.cell(rows["Q4"], 7).value = "Awaiting the President's signature"
    wb.save(path)
    regional = tmp_path / "regional-2026.xlsx"
    assert run_cli("consolidate", folder, "--output", regional).exit_code == 1  # Q4 not accepted, Q20 blank
    wb = load_workbook(regional)
    table = wb["Answers"]
    q6 = next(r for r in range(2, table.max_row + 1) if table.cell(r, 2).value == "Q6")
    table.cell(q6, 3).value = "Yes, in the wording of an earlier Roadmap"  # an answer this catalogue does not hold
    wb.save(regional)
    sent = tmp_path / "RAI-readiness-2027-Indonesia.xlsx"
    result = run_cli("questionnaire", "--country", "ID", "--year", "2027", "--previous", regional, "--output", sent)
    assert result.output == f"wrote {sent} (pre-filled: 37 answers from 2026)\n"
    ws = load_workbook(sent)["Criteria"]
    why = "Not pre-filled: no 2026 answer was accepted (blank, or not one of the three answers). Choose an answer."
    assert [[ws[f"{col}{rows[q]}"].value for col in "DFGH"] for q in ("Q4", "Q20", "Q6", "Q5")] == [
        [None, "Perpres 2024 (draft)", "Awaiting the President's signature", why],
        [None, "Draft guideline", None, why],
        [
            None,
            None,
            None,
            "Not pre-filled: your 2026 answer 'Yes, in the wording of an earlier Roadmap' is not one of this "
            "questionnaire's answers. Choose an answer.",
        ],
        [answers["Q5"], None, None, f"{answers['Q5']} (confirm or change)"],
    ]
    assert ws[f"F{rows['Q4']}"].fill.fgColor.rgb == ws[f"G{rows['Q4']}"].fill.fgColor.rgb == "FFDDEBF7"  # pre-filled
    # what a viewer that does not recalculate shows: the pre-filled answers' points and pillars
    cached = load_workbook(sent, data_only=True)
    assert [cached["Criteria"][f"E{rows[q]}"].value for q in ("Q4", "Q5", "Q6", "Q20")] == [None, 1.5, None, None]
    assert [tuple(c.value for c in row) for row in cached["Summary"]["C5:G8"]] == [
        (8, 12, "Promising (provisional)", "2 of 10 unanswered", 0),
        (9, 13.5, "Promising (provisional)", "1 of 10 unanswered", 0),
        (10, 15, "Promising", "Complete", 0),
        (10, 15, "Promising", "Complete", 0),
    ]
