"""`rai-xl consolidate`: the regional workbook, read back cell by cell with openpyxl."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rai_xl.method.catalogue import Catalogue
from rai_xl.method.planning import plan
from rai_xl.method.scoring import assess
from rai_xl.read.returns import read_return
from rai_xl.write.questionnaire import write_questionnaire
from tests.helpers import (
    ASEAN,
    CHECKLIST_HEADS,
    ISSUE_HEADS,
    KH_POINTS,
    LA_POINTS,
    NAMES,
    SCORES_HEADS,
    SG_POINTS,
    STATUSES,
    SUBMISSION_HEADS,
    TABLES,
    all_text,
    consolidate,
    fill,
    header,
    headings,
    labels_for,
    records,
    run_cli,
    sha,
    status_validation,
    table_rows,
    tier_table,
)

# ---------------------------------------------------------------- helpers


def profile(name: str) -> str:
    """The sheet name of a country's profile (its tracker keeps the country's name)."""
    return f"{name} profile"


# ---------------------------------------------------------------- a known small round


POINTS = {"KH": KH_POINTS, "LA": LA_POINTS, "SG": SG_POINTS}
EXPECTED_SCORES = {
    "KH": [(30, "Advanced", True), (12, "Promising", False), (15, "Promising", True), (21, "Advanced", True)],
    "LA": [(10.5, "Emerging", True), (21, "Advanced", True), (19.5, "Promising", True), (0, "Emerging", True)],
    "SG": [(30, "Advanced", True)] * 4,
}
EVIDENCE = {
    "LA": {"Q1": "Prime Minister's Decree 123/2025 on AI", "Q5": "Draft strategy, not yet adopted"},
    "KH": {"Q13": "Ministry circular, 2024", "Q12": "evidence given although the answer is blank"},
    "SG": {"Q40": "Model AI Governance Framework, 2nd edition"},
}


@pytest.fixture(scope="module")
def round_(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> dict[str, object]:
    """Three returns (Singapore, Lao PDR and an incomplete Cambodia), consolidated once through the CLI."""
    folder = tmp_path_factory.mktemp("returns")
    for code in ("SG", "LA", "KH"):
        path = folder / f"return-{code}.xlsx"
        write_questionnaire(catalogue, path, country=catalogue.country(code), year=2026)
        fill(path, labels_for(catalogue, POINTS[code]), EVIDENCE[code], {"name": f"Respondent {code}"})
    before = {p.name: sha(p) for p in folder.iterdir()}
    out = tmp_path_factory.mktemp("out") / "regional.xlsx"
    result = consolidate(folder, out)
    return {
        "folder": folder,
        "out": out,
        "result": result,
        "before": before,
        "wb": load_workbook(out),
        "values": load_workbook(out, data_only=True),
    }


def test_known_round_exit_status_and_message(round_: dict) -> None:
    result = round_["result"]
    assert result.exit_code == 1, result.output  # Cambodia is incomplete
    assert "3 Member State(s) included, round 2026" in result.output
    assert "return-KH.xlsx: included: incomplete: pillar 2 lacks Q11, Q12" in result.output


def test_inputs_unchanged(round_: dict) -> None:
    folder: Path = round_["folder"]
    assert {p.name: sha(p) for p in folder.iterdir()} == round_["before"]


def test_sheets_in_order_overview_first_and_active(round_: dict) -> None:
    wb: Workbook = round_["wb"]
    assert wb.sheetnames == [
        "Overview",
        "Criteria",
        "Cambodia profile",
        "Lao PDR profile",
        "Singapore profile",
        "Cambodia",
        "Lao PDR",
        "Singapore",
        "Cross-cutting",
        "Submissions",
        "Issues",
        "Methodology",
        "Scores",
        "Answers",
        "Checklist",
        "History",
        "Answer history",
    ]
    assert wb.active.title == "Overview"


def test_named_tables_are_real_excel_tables(round_: dict) -> None:
    wb: Workbook = round_["wb"]
    for name, heads in TABLES.items():
        ws = wb[name]
        assert list(ws.tables) == [name]
        table = ws.tables[name]
        assert table.displayName == name
        assert [c.name for c in table.tableColumns] == heads
        assert [c.value for c in ws[1]] == heads
        assert table.ref.startswith("A1:")
    # no other sheet holds a table
    assert {n for ws in wb.worksheets for n in ws.tables} == set(TABLES)


def test_scores_table_rows(round_: dict) -> None:
    heads, rows = table_rows(round_["wb"]["Scores"], "Scores")
    assert heads == SCORES_HEADS
    expected = [
        [code, NAMES[code], 2026, p, score, tier, complete]
        for code in ("KH", "LA", "SG")  # ASEAN order, not the order the files were read
        for p, (score, tier, complete) in enumerate(EXPECTED_SCORES[code], start=1)
    ]
    assert rows == expected
    assert len(rows) == 12
    assert round_["wb"]["Scores"].tables["Scores"].ref == "A1:G13"


def test_answers_table_rows(round_: dict, catalogue: Catalogue) -> None:
    ws = round_["wb"]["Answers"]
    _, rows = table_rows(ws, "Answers")
    expected = []
    for code in ("KH", "LA", "SG"):
        for i in range(1, 41):
            cid = f"Q{i}"
            pts = POINTS[code].get(cid)
            label = labels_for(catalogue, {cid: pts})[cid] if pts is not None else None
            expected.append([code, cid, label, pts, EVIDENCE[code].get(cid), None])
    assert rows == expected
    assert ws.tables["Answers"].ref == "A1:F121"
    # spot checks of the labels a reader sees: Q6 reversed, a criterion's own middle label, blanks
    by_key = {(r[0], r[1]): r for r in rows}
    assert by_key["LA", "Q6"][2:4] == ["Yes", 0]
    assert by_key["SG", "Q6"][2:4] == ["No", 3]
    assert by_key["LA", "Q4"][2:4] == ["Inconclusive evidence of these elements through available source documents", 1.5]
    assert by_key["KH", "Q11"][2:4] == [None, None]
    assert by_key["KH", "Q12"][2:5] == [None, None, "evidence given although the answer is blank"]
    # an unanswered criterion is blank, not text: the cell is empty in the file
    blank = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "KH" and r[1].value == "Q11")
    assert blank[2].value is None and blank[3].value is None


def expected_checklist(catalogue: Catalogue, code: str) -> list[tuple[str, ...]]:
    """Tier actions of every pillar, then the gap actions ranked by recoverable points, from the catalogue."""
    tiers = [t for _, t, _ in EXPECTED_SCORES[code]]
    lost = {
        cid: catalogue.criterion(cid).max_points - pts
        for cid, pts in POINTS[code].items()
        if pts < catalogue.criterion(cid).max_points
    }
    tier_actions = [a for p, t in enumerate(tiers, start=1) for a in catalogue.targeted_actions(p, t)]
    assert all(catalogue.targeted_actions(p, t) for p, t in enumerate(tiers, start=1))
    chosen = {a.id for a in tier_actions}
    gaps = [a for a in catalogue.actions if a.kind == "targeted" and a.id not in chosen and set(a.criteria) & set(lost)]
    gaps.sort(key=lambda a: -sum(lost.get(q, 0) for q in a.criteria))
    terms = catalogue.terms
    return [
        (code, f"{s.id}.{t.key[0].upper()}{n}", a.id, s.id, t.name, m, basis)
        for basis, actions in (("tier", tier_actions), ("gap", gaps))
        for a in actions
        for s in a.sub_actions
        for t in terms
        for n, m in enumerate(dict(s.milestones).get(t.key, ()), start=1)
    ]


def test_checklist_rows_follow_tiers_then_gaps(round_: dict, catalogue: Catalogue) -> None:
    heads, rows = table_rows(round_["wb"]["Checklist"], "Checklist")
    assert heads == CHECKLIST_HEADS
    got: dict[str, list[tuple]] = {}
    for r in rows:
        got.setdefault(r[0], []).append(tuple(r[:7]))
    assert list(got) == ["KH", "LA", "SG"]
    for code in ("KH", "LA", "SG"):
        expected = expected_checklist(catalogue, code)
        assert got[code] == expected, code
        # the same order as rai_xl.planning.plan gives
        codes = {
            cid: catalogue.criterion(cid).answer_by_label(label).code
            for cid, label in labels_for(catalogue, POINTS[code]).items()
        }
        planned = [pa.action.id for pa in plan(catalogue, assess(catalogue, codes)) if pa.action.sub_actions]
        assert list(dict.fromkeys(r[2] for r in got[code])) == planned
    assert {r[6] for r in got["SG"]} == {"tier"}  # nothing lost, nothing gap-driven
    assert list(dict.fromkeys(r[2] for r in got["SG"])) == [a.id for a in catalogue.actions if a.tier == "Advanced"]
    la_actions = list(dict.fromkeys((r[2], r[6]) for r in got["LA"]))
    # Lao PDR: E1.4, E1.5 (pillar 1 on 10.5 is Emerging), A2.*, P3.*, E4.4, then gaps
    assert la_actions[:2] == [("E1.4", "tier"), ("E1.5", "tier")]
    assert ("P1.3", "gap") in la_actions  # linked to Q4 (partial) and Q34 (none)
    assert {b for _, b in la_actions} == {"tier", "gap"}
    assert len(rows) == sum(len(v) for v in got.values())


CHECKLIST_COLUMNS = ("Action area", "Sub-action", "Term", "Milestone", "Milestone ID", "Status")
TYPED_COLUMNS = ("Status", "Lead agency", "Target date", "Notes")


def test_checklist_typed_columns_are_formulas_to_the_country_sheets(round_: dict) -> None:
    wb: Workbook = round_["wb"]
    values: Workbook = round_["values"]
    ws, cached = wb["Checklist"], values["Checklist"]
    country_heads = {name: header(wb[name], *CHECKLIST_COLUMNS)[1] for name in ("Cambodia", "Lao PDR", "Singapore")}
    seen = 0
    for row in ws.iter_rows(min_row=2):
        code, mid, action, sub, term, milestone, _basis, status, *extra = row
        if code.value is None:
            continue
        assert status.data_type == "f"
        # looked up by the row's key in the tracker's hidden key column, so a sort cannot mislead
        lookup = (
            r"INDEX\('(?P<sheet>[^']+)'!\$(?P<col>[A-Z]+):\$[A-Z]+,"
            r"MATCH\(\"(?P<key>[^\"]+)\",'[^']+'!\$(?P<keys>[A-Z]+):\$[A-Z]+,0\)\)"
        )
        m = re.search(lookup, status.value)
        assert m and status.value == f'=IF(ISBLANK({m[0]}),"",{m[0]})', status.value
        assert m["sheet"] == NAMES[code.value] and m["key"] == mid.value
        assert cached[status.coordinate].value == "Not started"
        target = wb[m["sheet"]]
        cols = country_heads[m["sheet"]]
        keys = column_index_from_string(m["keys"])
        assert target.column_dimensions[m["keys"]].hidden
        (r,) = [c.row for c in target[m["keys"]] if c.value == mid.value]
        assert column_index_from_string(m["col"]) == cols["Status"]
        assert target.cell(r, cols["Status"]).value == "Not started"
        assert target.cell(r, cols["Milestone ID"]).value == mid.value == target.cell(r, keys).value
        assert cols["Milestone ID"] + 1 == cols["Status"]  # beside Status
        assert target.cell(r, cols["Action area"]).value == action.value
        assert target.cell(r, cols["Sub-action"]).value == sub.value
        assert target.cell(r, cols["Term"]).value.split("\n")[0] == term.value
        assert target.cell(r, cols["Milestone"]).value == milestone.value
        assert status_validation(target, target.cell(r, cols["Status"]).coordinate) == STATUSES
        for head, cell in zip(TYPED_COLUMNS[1:], extra, strict=True):
            letter = get_column_letter(cols[head])
            keys_ref = f"'{m['sheet']}'!${m['keys']}:${m['keys']}"
            at = f"INDEX('{m['sheet']}'!${letter}:${letter},MATCH(\"{mid.value}\",{keys_ref},0))"
            assert cell.value == f'=IF(ISBLANK({at}),"",{at})'
            assert cached[cell.coordinate].value in ("", None)  # blank stays blank, never 0
        seen += 1
    assert seen == len(table_rows(ws, "Checklist")[1]) > 100


def test_country_sheet_status_cells_have_the_status_list(round_: dict) -> None:
    wb: Workbook = round_["wb"]
    for name in ("Cambodia", "Lao PDR", "Singapore"):
        ws = wb[name]
        top, cols = header(ws, *CHECKLIST_COLUMNS)
        cells = [ws.cell(r, cols["Status"]) for r in range(top + 1, ws.max_row + 1) if ws.cell(r, cols["Sub-action"]).value]
        assert cells
        for c in cells:
            assert c.value == "Not started"
            assert status_validation(ws, c.coordinate) == STATUSES, (name, c.coordinate)
            assert c.protection.locked is False


SCORE, TIER = "Score (of 30) 2026", "Tier 2026"


def pillar_rows(ws: Worksheet) -> list[dict[str, object]]:
    """The four rows of a country sheet's scores table, {header: value}."""
    return [r for r in records(ws, "Pillar", SCORE, TIER, "Answered", until_blank=True) if isinstance(r["Pillar"], int)]


def catalogue_tier_rule_shown(ws: Worksheet) -> bool:
    return "Tier rule: A pillar reaches a tier only when its score reaches the tier's minimum" in all_text(ws)


def test_country_sheet_scores_and_lost_criteria(round_: dict) -> None:
    ws = round_["wb"]["Lao PDR profile"]
    pillars = pillar_rows(ws)
    assert [(r["Pillar"], r[SCORE], r[TIER]) for r in pillars] == [
        (1, 10.5, "Emerging"),
        (2, 21, "Advanced"),
        (3, 19.5, "Promising"),
        (4, 0, "Emerging"),
    ]
    assert [r["Points to next tier"] for r in pillars] == ["1.5", "top tier", "1.5", "12"]
    assert [r["Answered"] for r in pillars] == ["10 of 10"] * 4
    # no History before this round: the previous-round columns say so, once
    assert [r["Previous tier"] for r in pillars] == ["No earlier round in History for this country", None, None, None]
    assert ws.cell(*header(ws, "Movement")[0:1], 1).value == "Pillar"
    assert catalogue_tier_rule_shown(ws)
    expected_lost = [cid for cid, p in LA_POINTS.items() if p < 3]  # Q6 too: its best answer ("No") is worth 3
    heading = f"Top gaps: the 6 that lost most of the {len(expected_lost)} criteria that lost points, and their actions"
    assert heading in all_text(ws).splitlines()
    lost = records(ws, "ID", "Criterion", "Answer", "Points lost", "Actions in the plan", until_blank=True)
    most = sorted(expected_lost, key=lambda cid: LA_POINTS[cid])[:6]  # most points lost first, then Q order
    assert [r["ID"] for r in lost] == most
    q5 = next(r for r in lost if r["ID"] == "Q5")
    assert (q5["Answer"], q5["Points lost"], q5["Actions in the plan"]) == ("No", 3, "E1.5")
    assert q5["Evidence / source documents"] == "Draft strategy, not yet adopted"
    kh = pillar_rows(round_["wb"]["Cambodia profile"])
    assert kh[1][TIER] == "Promising (provisional)"
    assert kh[1]["Answered"] == "8 of 10 (unanswered: Q11, Q12)"


def test_overview_tier_table(round_: dict, catalogue: Catalogue) -> None:
    ws = round_["wb"]["Overview"]
    table = tier_table(ws)
    for code in ASEAN:
        cells = table[NAMES[code]]
        if code in EXPECTED_SCORES:
            expected = []
            for score, tier, complete in EXPECTED_SCORES[code]:
                expected += [score, tier if complete else f"{tier} (provisional)"]
            assert cells == expected, code
        else:
            assert cells[0] == "not submitted", code
            assert cells[1:] == [None] * 7
    assert table["Cambodia"][3] == "Promising (provisional)"
    text = all_text(ws)
    assert catalogue.tier_rule in text
    assert "10.5 is Emerging" in text
    missing = ", ".join(NAMES[c] for c in ASEAN if c not in POINTS)
    assert f"not submitted: 8 ({missing})" in text
    assert "Returns included: 3 · rejected: 0 · conflicts: 0" in text
    assert "SYNTHETIC" not in text
    assert ws._charts, "the Overview has no chart"


def test_submissions_and_issues(round_: dict, catalogue: Catalogue) -> None:
    folder: Path = round_["folder"]
    cells = read_return(folder / "return-KH.xlsx", catalogue).answer_cells  # where the questionnaire put Q11, Q12
    rows = records(round_["wb"]["Submissions"], *SUBMISSION_HEADS)
    assert [Path(r["File"]).name for r in rows] == ["return-KH.xlsx", "return-LA.xlsx", "return-SG.xlsx"]
    for r, code in zip(rows, ("KH", "LA", "SG"), strict=True):
        assert r["SHA-256"] == sha(folder / Path(r["File"]).name)
        assert r["Country"] == NAMES[code]
        assert r["Year"] in ("2026", 2026)
        assert r["Respondent"] == f"Respondent {code}"
        assert r["Template version"] == "1 / 2025-2030.1"
        assert r["Status"] == "included"
    assert rows[0]["Reason"] == "incomplete: pillar 2 lacks Q11, Q12"
    assert rows[1]["Reason"] is None and rows[2]["Reason"] is None
    issues = [r for r in records(round_["wb"]["Issues"], *ISSUE_HEADS) if r["Sheet"] == "Criteria"]
    blank = "no answer: pillar 2 is incomplete until it is answered"
    assert [[r[h] for h in ISSUE_HEADS] for r in issues] == [
        ["return-KH.xlsx", "warning", "Criteria", cells[cid], cid, blank] for cid in ("Q11", "Q12")
    ]


def test_criteria_sheet_points(round_: dict) -> None:
    ws = round_["wb"]["Criteria"]
    # the header names the Member States (an ADGSOM audience may not know KH or LA), then the counts
    assert [c.value for c in ws[3]] == [
        "ID",
        "Criterion",
        "Cambodia",
        "Lao PDR",
        "Singapore",
        "Full",
        "Partial",
        "Zero",
        "Unanswered",
        "Changed since previous round",
    ]
    by_id = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1)}
    assert [k for k in by_id if str(k).startswith("Q")] == [f"Q{i}" for i in range(1, 41)]

    def cells(cid: str) -> list[object]:
        return [ws.cell(by_id[cid], col).value for col in range(3, 10)]

    # Q4: Cambodia full, Lao PDR partial, Singapore full; Q5: Lao PDR none; Q11: Cambodia unanswered
    assert cells("Q4") == [3, 1.5, 3, 2, 1, 0, 0]
    assert cells("Q5") == [3, 0, 3, 2, 0, 1, 0]
    assert cells("Q11") == ["", 3, 3, 2, 0, 0, 1]
    assert [ws.cell(by_id["Q6"], col).value for col in range(3, 6)] == [3, 0, 3]


# ---------------------------------------------------------------- a pillar left blank, conflicts, the chase list


def row_of(ws: Worksheet, first: str) -> list[object]:
    """The values B..I of the Overview row whose column A holds *first*."""
    return next([c.value for c in row[1:9]] for row in ws.iter_rows() if row[0].value == first)


def test_a_pillar_left_blank_has_no_score_and_no_tier(
    make_return: Callable[..., Path], catalogue: Catalogue, tmp_path: Path
) -> None:
    la_points = {cid: p for cid, p in LA_POINTS.items() if not 21 <= int(cid[1:]) <= 30}  # pillar 3 untouched
    make_return("la.xlsx", "LA", answers=labels_for(catalogue, la_points))
    make_return("kh.xlsx", "KH", answers=labels_for(catalogue, KH_POINTS))
    make_return("sg.xlsx", "SG", answers=labels_for(catalogue, SG_POINTS))
    out = tmp_path / "out" / "regional.xlsx"
    out.parent.mkdir()
    assert consolidate(tmp_path, out).exit_code == 1
    wb = load_workbook(out)
    overview = wb["Overview"]
    assert tier_table(overview)["Lao PDR"] == [10.5, "Emerging", 21, "Advanced", "", "not answered", 0, "Emerging"]
    top = next(r for r in overview.iter_rows() if r[0].value == "Lao PDR")
    assert top[6].fill.fill_type is None and top[6].value == "not answered"  # no tier, no tier colour
    assert top[8].fill.fgColor.rgb == "FFF8CBAD"  # pillar 4 answered with zeros: Emerging, and coloured so
    # the distribution counts it as not answered, never as Emerging
    heads = row_of(overview, "Pillar")
    assert heads == ["Advanced", None, "Promising", None, "Emerging", None, "Not answered", None]
    pillar3 = f"3. {catalogue.pillar(3).name}"
    assert row_of(overview, pillar3) == ["1: Singapore", None, "1: Cambodia", None, "0", None, "1: Lao PDR", None]
    pillar2 = f"2. {catalogue.pillar(2).name}"
    assert row_of(overview, pillar2) == ["2: Lao PDR, Singapore", None, "1: Cambodia*", None, "0", None, "0", None]
    # Scores and History: no score, no tier, not complete
    for name in ("Scores", "History"):
        _, rows = table_rows(wb[name], name)
        assert [r for r in rows if r[0] == "LA"] == [
            ["LA", "Lao PDR", 2026, 1, 10.5, "Emerging", True],
            ["LA", "Lao PDR", 2026, 2, 21, "Advanced", True],
            ["LA", "Lao PDR", 2026, 3, None, None, False],
            ["LA", "Lao PDR", 2026, 4, 0, "Emerging", True],
        ], name
    # no tier actions for pillar 3 (the gap actions of other pillars' lost points may still be there)
    _, checks = table_rows(wb["Checklist"], "Checklist")
    la_tier_actions = {r[2] for r in checks if r[0] == "LA" and r[6] == "tier"}
    assert la_tier_actions == {
        a.id for p, t in ((1, "Emerging"), (2, "Advanced"), (4, "Emerging")) for a in catalogue.targeted_actions(p, t)
    }
    # the profile
    rows = pillar_rows(wb["Lao PDR profile"])
    assert [(r["Pillar"], r[SCORE], r[TIER], r["Points to next tier"]) for r in rows] == [
        (1, 10.5, "Emerging", "1.5"),
        (2, 21, "Advanced", "top tier"),
        (3, None, "not answered", None),
        (4, 0, "Emerging", "12"),
    ]
    assert rows[2]["Answered"] == "0 of 10 (unanswered: " + ", ".join(f"Q{i}" for i in range(21, 31)) + ")"
    # the cross-cutting evidence counts lost points, never a blank: Cambodia lost points on Q21, Lao PDR left it blank
    c15 = next(a for a in catalogue.actions if a.id == "C1.5")
    assert (
        f"★ C1.5 {c15.title} · Regional evidence: 1 of 3 Member States lost points on Q21"
        in headings(wb["Cross-cutting"]).values()
    )
    # rai-xl score says so too
    result = run_cli("score", tmp_path / "la.xlsx")
    assert result.stdout.splitlines()[3] == f"  Pillar 3 {catalogue.pillar(3).name}: not answered"
    obj = json.loads(run_cli("score", tmp_path / "la.xlsx", "--json").stdout)
    assert obj["pillars"][2] == {"number": 3, "score": 0.0, "tier": None, "answered": 0, "complete": False}


def test_conflicts_blank_returns_answer_errors_and_the_chase_list(
    make_return: Callable[..., Path], catalogue: Catalogue, tmp_path: Path
) -> None:
    full = {f"Q{i}": 3.0 for i in range(1, 41)}
    make_return("la-a.xlsx", "LA", answers=labels_for(catalogue, full), respondent={"name": "Somphone K."})
    make_return("la-b.xlsx", "LA", answers=labels_for(catalogue, dict.fromkeys(full, 0.0)))
    make_return("kh.xlsx", "KH", answers={}, respondent={"name": "Sokha P.", "email": "sokha@example.gov.kh"})
    make_return("sg.xlsx", "SG", answers=labels_for(catalogue, SG_POINTS), respondent={"name": "Tan W.", "agency": "IMDA"})
    vn = labels_for(catalogue, SG_POINTS) | {"Q3": "Perhaps"}
    make_return("vn.xlsx", "VN", answers=vn, respondent={"name": "Nguyen V."})
    th = {k: v for k, v in labels_for(catalogue, SG_POINTS).items() if k != "Q40"}
    make_return("th.xlsx", "TH", answers=th, respondent={"name": "Somchai T.", "date_completed": "2026-04-02"})
    out = tmp_path / "out" / "regional.xlsx"
    out.parent.mkdir()
    assert consolidate(tmp_path, out).exit_code == 1
    wb = load_workbook(out)
    overview = wb["Overview"]
    table = tier_table(overview)
    # a country in conflict, or with a blank return, keeps its row and says why it has no scores
    assert table["Lao PDR"] == ["conflict: 2 returns differ (la-a.xlsx, la-b.xlsx)"] + [None] * 7
    assert table["Cambodia"] == ["blank return"] + [None] * 7
    assert table["Brunei Darussalam"] == ["not submitted"] + [None] * 7
    assert table["Viet Nam"] == [27, "Advanced (provisional)", 30, "Advanced", 30, "Advanced", 30, "Advanced"]
    # the chase list: the response rate at a glance, then every Member State, whom to contact and when it was completed
    assert "Replies: 4 of 11 Member States replied" in all_text(overview).splitlines()
    chase = records(
        overview, "Member State", "State, and what is to be done", "Contact", "Completed on, files", until_blank=True
    )
    office = "Director, Ministry of Technology and Communications"
    assert [tuple(r.values()) for r in chase] == [
        ("Brunei Darussalam", "not replied", None, None),
        (
            "Cambodia",
            "blank return: the questionnaire came back with no answers",
            f"Sokha P. ({office}) <sokha@example.gov.kh>",
            "2026-03-31\nkh.xlsx",
        ),
        ("Indonesia", "not replied", None, None),
        (
            "Lao PDR",
            "conflict: 2 returns differ: keep one",
            f"Somphone K. ({office}) <respondent@example.gov>; Test Respondent ({office}) <respondent@example.gov>",
            "2026-03-31, 2026-03-31\nla-a.xlsx\nla-b.xlsx",
        ),
        ("Malaysia", "not replied", None, None),
        ("Myanmar", "not replied", None, None),
        ("Philippines", "not replied", None, None),
        ("Singapore", "complete", "Tan W. (Director, IMDA) <respondent@example.gov>", "2026-03-31\nsg.xlsx"),
        (
            "Thailand",
            "incomplete: pillar 4 lacks Q40",
            f"Somchai T. ({office}) <respondent@example.gov>",
            "2026-04-02\nth.xlsx",
        ),
        ("Timor-Leste", "not replied", None, None),
        (
            "Viet Nam",
            "answers to fix: answers not accepted: Q3",
            f"Nguyen V. ({office}) <respondent@example.gov>",
            "2026-03-31\nvn.xlsx",
        ),
    ]
    # the answer that was not accepted: on the country's profile (criterion, cell, what was found) and on Issues
    found = "'Perhaps' is not one of the allowed answers: 'Yes'; 'Announced/Upcoming'; 'No'"
    profile_ws = wb["Viet Nam profile"]
    assert "Answers not accepted (1): counted as unanswered until the return is fixed" in all_text(profile_ws).splitlines()
    errors = records(profile_ws, "ID", "Cell", "What was found", until_blank=True)
    assert errors == [{"ID": "Q3", "Cell": "Criteria!D5", "What was found": found}]
    issues = records(wb["Issues"], *ISSUE_HEADS)
    assert [r for r in issues if r["File"] == "vn.xlsx" and r["Severity"] == "error"] == [
        {
            "File": "vn.xlsx",
            "Severity": "error",
            "Sheet": "Criteria",
            "Cell": "D5",
            "Criterion": "Q3",
            "Message": found,
            "Code": "NOT_ALLOWED",
        }
    ]
    assert "Cambodia profile" not in wb.sheetnames and "Lao PDR" not in wb.sheetnames


def test_trackers_say_once_which_pillars_their_headings_name(round_: dict, catalogue: Catalogue) -> None:
    wb: Workbook = round_["wb"]
    targeted = "; ".join(f"{p.number}. {p.name}" for p in catalogue.targeted_pillars)
    assessed = "; ".join(f"{p.number}. {p.name}" for p in catalogue.pillars)
    note = (
        f"Two sets of pillars: the Roadmap groups its targeted actions under its own pillars ({targeted}), which are "
        f"not the same as the four assessment pillars that are scored ({assessed}). Action headings name the "
        "targeted-action pillar; the Pillar column gives its number."
    )
    assert targeted != assessed
    for name in ("Cambodia", "Lao PDR", "Singapore", "Methodology"):
        assert all_text(wb[name]).splitlines().count(note) == 1, name
    # the headings: the targeted-action pillar's name, the tier, and the provisional mark of an incomplete pillar
    kh = list(headings(wb["Cambodia"]).values())
    p25 = next(a for a in catalogue.actions if a.id == "P2.5")
    assert f"P2.5 {p25.title} · {catalogue.targeted_pillars[1].name}: Promising tier (provisional: pillar incomplete)" in kh
    p35 = next(a for a in catalogue.actions if a.id == "P3.5")
    assert f"P3.5 {p35.title} · {catalogue.targeted_pillars[2].name}: Promising tier" in kh
    # sub-action titles are headings, once each, not repeated on every milestone row
    sub = p25.sub_actions[0]
    assert kh.count(f"{sub.id} {sub.title}") == 1


def test_cross_cutting_status_cells_have_the_status_list(round_: dict) -> None:
    ws = round_["wb"]["Cross-cutting"]
    top, cols = header(ws, "Action area", "Sub-action", "Milestone ID", "Status")
    cells = [ws.cell(r, cols["Status"]) for r in range(top + 1, ws.max_row + 1) if ws.cell(r, cols["Milestone ID"]).value]
    assert len(cells) > 40
    assert cols["Status"] == cols["Milestone ID"] + 1
    for c in cells:
        assert c.value == "Not started"
        assert status_validation(ws, c.coordinate) == STATUSES, c.coordinate
        assert c.protection.locked is False
    assert ws.auto_filter.ref == f"A{top}:J{ws.max_row}"  # J: the hidden key column, sorted with the rows


def test_printing_the_pack_and_one_plan(round_: dict) -> None:
    wb: Workbook = round_["wb"]
    values: Workbook = round_["values"]
    # the meeting sheets fit their pages: Overview 2 (portrait), Criteria 3, each profile 2; all one page wide
    for name, tall in [("Overview", 2), ("Criteria", 3)] + [
        (f"{n} profile", 2) for n in ("Cambodia", "Lao PDR", "Singapore")
    ]:
        setup = wb[name].page_setup
        assert (setup.fitToWidth or 1, setup.fitToHeight, wb[name].sheet_properties.pageSetUpPr.fitToPage) == (1, tall, True)
    assert wb["Overview"].page_setup.orientation == "portrait"
    note = (
        "To print the meeting pack from the spreadsheet instead (at most 11 pages): click the tab 'Overview', "
        "Shift+click the tab 'Singapore "
        "profile', then print the selected sheets (Excel: Print Active Sheets; LibreOffice: Print, Selected sheets). "
        "To print one country's action plan: open the tab with its name (e.g. 'Cambodia') and print the active sheet; "
        "filter it first with the arrows in its header row to print, say, one pillar. The tables at the end (Scores, "
        "Answers, Checklist, History, Answer history) are for other tools and print only a one-line note."
    )
    assert any(
        line.endswith(note) and line.startswith("The meeting pack, typeset as a PDF")
        for line in all_text(wb["Overview"]).splitlines()
    )
    # each tracker: filterable from its header row, which repeats on every printed page
    for name in ("Cambodia", "Lao PDR", "Singapore"):
        ws = wb[name]
        top, _ = header(ws, *CHECKLIST_COLUMNS)
        assert ws.auto_filter.ref == f"A{top}:K{ws.max_row}"  # K: the hidden key column, sorted with the rows
        assert ws.print_title_rows == f"${top}:${top}"
    # the tables other tools read print their header row only, under a page header saying why
    for name, heads in [*TABLES.items(), ("Answer history", [None] * 43)]:
        ws = wb[name]
        assert ws.print_area == f"'{name}'!$A$1:${get_column_letter(len(heads))}$1", name
        assert ws.oddHeader.left.text.startswith("Not for printing: a machine-readable table for other tools."), name
    # the profile counts the tracker's statuses live, with the count cached
    ws, cached = wb["Lao PDR profile"], values["Lao PDR profile"]
    _, checks = table_rows(wb["Checklist"], "Checklist")
    rows = records(ws, "Status", "Milestones", until_blank=True)
    la = sum(r[0] == "LA" for r in checks)
    assert [(r["Status"], r["Milestones"]) for r in records(cached, "Status", "Milestones", until_blank=True)] == [
        ("Not started", la),
        ("Planned", 0),
        ("In progress", 0),
        ("Completed", 0),
        ("Not applicable", 0),
        ("Other (not a status of the list)", 0),
        ("All milestones in the plan", la),
    ]
    tracker, cols = header(wb["Lao PDR"], *CHECKLIST_COLUMNS)
    status = get_column_letter(cols["Status"])
    # every row below the header: a sort may move a milestone to any of them (headings have no Status)
    span = f"'Lao PDR'!${status}${tracker + 1}:${status}${wb['Lao PDR'].max_row}"
    assert rows[1]["Milestones"] == f'=COUNTIF({span},"Planned")'


def test_the_respondents_comments_reach_the_answers_table(tmp_path: Path, make_return, catalogue: Catalogue) -> None:
    from tests.helpers import set_cells

    path = make_return("la.xlsx", answers=labels_for(catalogue, {c.id: 3.0 for c in catalogue.criteria}))
    set_cells(path, "Criteria", {"G3": "ສຳນັກງານ: the decree is being translated"})
    out = tmp_path / "regional.xlsx"
    assert consolidate([path], out).exit_code == 0
    _, rows = table_rows(load_workbook(out)["Answers"], "Answers")
    assert rows[0] == ["LA", "Q1", "Yes", 3, None, "ສຳນັກງານ: the decree is being translated"]
