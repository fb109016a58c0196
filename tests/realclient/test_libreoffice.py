"""Real-client tests: what rai-xl writes, opened, filled, recalculated and saved by LibreOffice."""

from __future__ import annotations

import hashlib
import random
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from rai_xl.core.submission import INVALID, VALID
from rai_xl.issues import ERROR, WARNING, Msg
from rai_xl.layouts import questionnaire as ids
from rai_xl.layouts.questionnaire import Prefill
from rai_xl.method.catalogue import Catalogue
from rai_xl.method.scoring import assess
from rai_xl.read.returns import read_return
from rai_xl.read.spreadsheet import read_workbook
from rai_xl.write.questionnaire import CHECKED_LATER, summary_cells, write_questionnaire

pytestmark = pytest.mark.libreoffice
SUMMARY = [(ids.SHEET_SUMMARY, f"{col}{row}") for row in range(5, 9) for col in "CDEF"]


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> Path:
    path = tmp_path_factory.mktemp("q") / "LA.xlsx"
    write_questionnaire(catalogue, path, country=catalogue.country("LA"), year=2026)
    return path


@pytest.fixture(scope="module")
def cells(blank: Path, catalogue: Catalogue) -> dict[str, str]:
    return read_return(blank, catalogue).answer_cells


def random_answer_sets(catalogue: Catalogue, n: int) -> list[dict[str, str]]:
    """Seeded answer sets {criterion id: answer code}: random, all blank-free, some with blanks, one pillar on 10.5."""
    rng = random.Random(20261121)
    sets = []
    for i in range(n):
        answers = {c.id: rng.choice("YMN") for c in catalogue.criteria}
        if i % 3 == 2:
            for cid in rng.sample(sorted(answers), rng.randint(1, 12)):
                del answers[cid]
        sets.append(answers)
    # pillar 1 on exactly 10.5: Q1, Q2, Q4 Yes (3 each), Q3 partial (1.5), the rest 0 (Q6 is reversed: Yes = 0)
    edge = {f"Q{k}": "N" for k in range(1, 11)}
    edge.update({"Q1": "Y", "Q2": "Y", "Q3": "M", "Q4": "Y", "Q6": "Y"})
    sets.append(edge)
    return sets


def label(catalogue: Catalogue, cid: str, code: str) -> str:
    return next(a.label for a in catalogue.criterion(cid).answers if a.code == code)


def test_live_summary_equals_rai_xl_scoring(libreoffice, blank, cells, catalogue, tmp_path):
    """Type answers as a user would, let LibreOffice recalculate, compare the Summary with rai-xl's scoring."""
    sets = random_answer_sets(catalogue, 12)
    edge = assess(catalogue, sets[-1]).pillars[0]
    assert (edge.score, edge.tier) == (10.5, "Emerging")
    jobs = [
        {
            "input": str(blank),
            "fills": [[ids.SHEET_CRITERIA, cells[cid], label(catalogue, cid, code)] for cid, code in answers.items()],
            "read": SUMMARY,
        }
        for answers in sets
    ]
    results = libreoffice(jobs)
    for answers, result in zip(sets, results, strict=True):
        expected = summary_cells(catalogue, assess(catalogue, answers))
        shown = result["read"]
        for i, (answered, score, tier, status) in enumerate(expected):
            row = 5 + i
            assert int(float(shown[f"Summary!C{row}"])) == answered
            assert float(shown[f"Summary!D{row}"]) == score
            assert shown[f"Summary!E{row}"] == tier
            assert shown[f"Summary!F{row}"] == status


def test_live_summary_agrees_with_rai_xl_on_tidied_answers(libreoffice, blank, cells, catalogue, tmp_path):
    """What rai-xl accepts with tidying, the Summary scores the same; what it cannot tidy, it says is to be checked."""
    answers = {c.id: c.answers[1].label for c in catalogue.criteria}  # partial answers everywhere: 15 per pillar
    typed = {
        "Q1": "Yes.",  # pillar 1: end punctuation, spacing, case, a non-breaking space, spaces around '/'
        "Q2": "  yes ",
        "Q3": "Announced / Upcoming",
        "Q4": "YES;",
        "Q5": "No\u00a0",
        "Q11": "Yes",  # pillar 2: the short form of 'Yes (at least signatory to one)'
        "Q21": "\uff39\uff45\uff53",  # pillar 3: full-width 'Yes', which only rai-xl tidies
        "Q31": "Maybe",  # pillar 4: not an answer at all
        "Q40": "",
    }
    answers |= typed
    fills = [[ids.SHEET_CRITERIA, cells[cid], text] for cid, text in answers.items()]
    (result,) = libreoffice(
        [{"input": str(blank), "fills": fills, "read": SUMMARY, "save": [[str(tmp_path / "t.xlsx"), "xlsx"]]}]
    )
    sub = read_return(tmp_path / "t.xlsx", catalogue)
    assert sorted(i.criterion for i in sub.issues if i.severity == WARNING and i.criterion) == [
        "Q1",
        "Q11",
        "Q2",
        "Q21",
        "Q3",
        "Q4",
        "Q40",
        "Q5",
    ]
    assert [i.criterion for i in sub.issues if i.severity == ERROR] == ["Q31"]
    rai_xl = summary_cells(catalogue, assess(catalogue, sub.answers))
    assert rai_xl == [
        (10, 18, "Promising", "Complete"),
        (10, 16.5, "Promising", "Complete"),
        (10, 16.5, "Promising", "Complete"),  # full-width 'Yes' accepted
        (8, 12, "Promising (provisional)", "2 of 10 unanswered"),  # 'Maybe' refused, Q40 blank
    ]
    shown = [tuple(result["read"][f"Summary!{col}{row}"] for col in "CDEF") for row in range(5, 9)]
    shown = [(int(c), float(d) if d[0].isdigit() else d, e, f) for c, d, e, f in shown]
    assert shown == [
        (10, 18, "Promising", "Complete"),  # as rai-xl
        (10, 16.5, "Promising", "Complete"),
        # not recognised here: neither a score nor a tier that rai-xl could contradict
        (9, "at least 13.5", "To be checked (see Status)", "1 answer" + CHECKED_LATER),
        (8, "at least 12", "To be checked (see Status)", "1 answer" + CHECKED_LATER),
    ]


def test_prefilled_summary_cached_values_are_what_libreoffice_computes(libreoffice, catalogue, tmp_path):
    """A viewer that does not recalculate shows the same Summary as LibreOffice recalculating it."""
    answers = {c.id: c.answers[k % 3].label for k, c in enumerate(catalogue.criteria) if k % 7}
    path = tmp_path / "prefilled.xlsx"
    write_questionnaire(catalogue, path, country=catalogue.country("ID"), year=2027, prefill=Prefill(2026, answers))
    (result,) = libreoffice([{"input": str(path), "read": SUMMARY}])
    cached = load_workbook(path, data_only=True)[ids.SHEET_SUMMARY]
    shown = [tuple(result["read"][f"Summary!{col}{row}"] for col in "CDEF") for row in range(5, 9)]
    kept = [tuple(cached[f"{col}{row}"].value for col in "CDEF") for row in range(5, 9)]
    assert [(float(c), float(d), e, f) for c, d, e, f in shown] == kept
    assert kept[0] == (8, 15, "Promising (provisional)", "2 of 10 unanswered")  # Q1 and Q8 not pre-filled


@pytest.fixture(scope="module")
def lo_saved(libreoffice, blank, cells, catalogue, tmp_path_factory) -> dict[str, Path]:
    """A questionnaire filled in LibreOffice: valid, messy, invalid, blank and formula answers; saved as xlsx and ods."""
    out = tmp_path_factory.mktemp("saved")
    fills = [[ids.SHEET_CRITERIA, cells[c.id], c.answers[0].label] for c in catalogue.criteria]
    fills[2][2] = "yes\u00a0"  # Q3: a non-breaking space and lower case: accepted with a warning
    fills[4][2] = "Maybe"  # Q5: pasted, not allowed
    fills[6][2] = ""  # Q7: blank
    fills[8] = [ids.SHEET_CRITERIA, cells["Q9"], "=1+2", "formula"]  # Q9: a formula
    evidence_col = "F"
    fills.append([ids.SHEET_CRITERIA, cells["Q1"].replace("D", evidence_col), "=cmd|' /C calc'!A0 (as text)"])
    fills.append([ids.SHEET_RESPONDENT, "B7", "Test Agency"])
    jobs = [
        {
            "input": str(blank),
            "fills": fills,
            "save": [[str(out / "filled.xlsx"), "xlsx"], [str(out / "filled.ods"), "ods"]],
        },
        # a moved row: two rows inserted above the criteria (the sheet unprotected first, as a user with the password would)
        {
            "input": str(blank),
            "unprotect": [ids.SHEET_CRITERIA],
            "insert_rows": [[ids.SHEET_CRITERIA, 1, 2]],
            "fills": [[ids.SHEET_CRITERIA, "D5", "Yes"]],
            "save": [[str(out / "moved.xlsx"), "xlsx"]],
        },
    ]
    libreoffice(jobs)
    return {"xlsx": out / "filled.xlsx", "ods": out / "filled.ods", "moved": out / "moved.xlsx"}


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_reader_verdicts_on_libreoffice_saves(lo_saved, catalogue, fmt):
    path = lo_saved[fmt]
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    sub = read_return(path, catalogue)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sub.status == INVALID
    assert sub.country is not None and sub.country.code == "LA" and sub.year == 2026
    found = {(i.severity, i.cell, i.criterion): i.message for i in sub.issues}
    q5 = catalogue.criterion("Q5")
    allowed = "; ".join(f"'{x}'" for x in q5.labels)
    assert found[(ERROR, sub.answer_cells["Q5"], "Q5")] == Msg.NOT_ALLOWED.format(value="Maybe", allowed=allowed)
    q9_allowed = "; ".join(f"'{x}'" for x in catalogue.criterion("Q9").labels)
    assert found[(ERROR, sub.answer_cells["Q9"], "Q9")] == Msg.FORMULA.format(formula="=1+2", allowed=q9_allowed)
    assert found[(WARNING, sub.answer_cells["Q3"], "Q3")] == Msg.ACCEPTED_FIXED.format(
        value="yes\u00a0", label="Yes", how="extra or non-breaking spaces removed and letter case corrected"
    )
    assert found[(WARNING, sub.answer_cells["Q7"], "Q7")] == Msg.BLANK.format(pillar=1)
    assert sub.answers["Q3"] == "Y" and "Q5" not in sub.answers and "Q7" not in sub.answers
    assert sub.evidence["Q1"] == "=cmd|' /C calc'!A0 (as text)"
    assert sub.respondent["agency"] == "Test Agency"
    errors = [i for i in sub.issues if i.severity == ERROR]
    assert len(errors) == 2


def test_moved_rows_are_found_by_id(lo_saved, catalogue):
    sub = read_return(lo_saved["moved"], catalogue)
    assert sub.status == VALID
    assert sub.answer_cells["Q1"] == "D5"  # was D3: two rows were inserted above it
    assert sub.answers == {"Q1": "Y"}


def test_libreoffice_keeps_dropdowns_names_and_identity_in_xlsx(lo_saved, catalogue):
    wb = load_workbook(lo_saved["xlsx"])
    ws = wb[ids.SHEET_CRITERIA]
    formulas = sorted(dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list")
    assert formulas == sorted(f"L_Q{n:02d}" for n in range(1, 41))
    assert "L_Q40" in wb.defined_names and "P_Q01" in wb.defined_names
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props["rai_xl_template_id"] == ids.TEMPLATE_ID
    assert props["rai_xl_catalogue_fingerprint"] == catalogue.fingerprint
    assert wb[ids.SHEET_LISTS].sheet_state != "visible"
    assert ws.protection.sheet


def test_libreoffice_keeps_dropdowns_names_and_identity_in_ods(lo_saved, catalogue):
    with zipfile.ZipFile(lo_saved["ods"]) as zf:
        content = zf.read("content.xml").decode()
        meta = zf.read("meta.xml").decode()
    for n in (1, 25, 40):
        assert f'table:name="L_Q{n:02d}"' in content
    assert content.count("<table:content-validation ") >= 40
    assert "cell-content-is-in-list(L_Q01)" in content
    assert f'meta:name="rai_xl_template_id">{ids.TEMPLATE_ID}<' in meta or (
        'meta:name="rai_xl_template_id"' in meta and ids.TEMPLATE_ID in meta
    )


def test_fast_reader_matches_openpyxl_on_libreoffice_files(lo_saved):
    """The lean cell reader sees what openpyxl (the careful, general reader) sees, value by value."""
    for key in ("xlsx", "moved"):
        path = lo_saved[key]
        ours = read_workbook(path.read_bytes())
        theirs = load_workbook(path)
        for sheet in ours.sheets:
            ws = theirs[sheet.name]
            expected = {}
            for row in ws.iter_rows():
                for c in row:
                    if c.value is None:
                        continue
                    if c.data_type == "f":  # openpyxl shows the stored form: _xlfn.UNICHAR where Excel shows UNICHAR
                        expected[(c.row, c.column)] = ("f", re.sub(r"_xl(?:fn|ws)\.", "", str(c.value)))
                    elif isinstance(c.value, str):
                        expected[(c.row, c.column)] = ("s", c.value)
                    else:
                        expected[(c.row, c.column)] = ("n", float(c.value))
            got = {}
            for pos, cell in sheet.cells.items():
                if cell.formula:
                    got[pos] = ("f", cell.formula)
                elif isinstance(cell.value, str):
                    got[pos] = ("s", cell.value)
                elif cell.value is not None:
                    got[pos] = ("n", float(cell.value))
            assert got == expected, sheet.name


def test_regional_workbook_survives_libreoffice(libreoffice, tmp_path):
    from tests.helpers import run_cli

    samples = Path(__file__).resolve().parents[2] / "samples"
    regional = tmp_path / "regional.xlsx"
    result = run_cli("consolidate", samples, "--output", regional)
    assert result.exit_code == 1, result.output  # Thailand's sample is incomplete by design
    saved, pdf = tmp_path / "regional-lo.xlsx", tmp_path / "regional.pdf"
    libreoffice([{"input": str(regional), "save": [[str(saved), "xlsx"], [str(pdf), "pdf"]]}])
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 50_000
    wb = load_workbook(saved)
    assert wb.sheetnames[0] == "Overview"
    ws = wb["Singapore"]
    statuses = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert statuses and '"Not started,Planned,In progress,Completed,Not applicable"' in {dv.formula1 for dv in statuses}
    tables = {name for sheet in wb.worksheets for name in sheet.tables}
    assert {"Scores", "Answers", "Checklist"} <= tables
