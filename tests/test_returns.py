"""Exact behaviour of reading, checking and scoring a returned questionnaire (read_return, validate, score)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from make_samples import fill
from openpyxl import Workbook, load_workbook

from rai_xl.core.submission import INVALID, SKIPPED, VALID, Submission
from rai_xl.issues import ERROR, NOTE, WARNING, Issue, Msg, Said
from rai_xl.layouts import questionnaire as ids
from rai_xl.method.catalogue import Catalogue, Criterion
from rai_xl.read.returns import read_return
from tests.helpers import all_labels, answer_cell, answer_row, labels_for, rewrite_zip, run_cli, set_cells, set_identity

CRITERIA = ids.SHEET_CRITERIA
RESPONDENT = ids.SHEET_RESPONDENT

# Points chosen so that pillar 1 sits on 10.5 (Emerging), pillar 2 on 21 (Advanced),
# pillar 3 on 15 (Promising) and pillar 4 on 19.5 (Promising).
POINTS: dict[str, float] = {}
POINTS.update({f"Q{n}": 0.0 for n in range(1, 11)})
POINTS.update({"Q1": 3.0, "Q2": 3.0, "Q3": 3.0, "Q4": 1.5})  # Q6 is reversed: 0 points there is 'Yes'
POINTS.update({f"Q{n}": 3.0 if n <= 17 else 0.0 for n in range(11, 21)})
POINTS.update({f"Q{n}": 1.5 for n in range(21, 31)})
POINTS.update({f"Q{n}": 3.0 if n <= 36 else 0.0 for n in range(31, 41)})
POINTS["Q37"] = 1.5
EXPECTED_PILLARS = [(1, 10.5, "Emerging"), (2, 21.0, "Advanced"), (3, 15.0, "Promising"), (4, 19.5, "Promising")]


# ---------------------------------------------------------------- helpers


def allowed(c: Criterion) -> str:
    return "; ".join(f"'{label}'" for label in c.labels)


def short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def only(issues: list[Issue], severity: str) -> list[Issue]:
    return [i for i in issues if i.severity == severity]


def fingerprint(paths: Iterable[Path]) -> dict[Path, tuple[str, int]]:
    return {p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in paths}


def invoke(*args: str):
    return run_cli(*args)


MakeReturn = Callable[..., Path]


@pytest.fixture
def full_answers(catalogue: Catalogue) -> dict[str, str]:
    return labels_for(catalogue, POINTS)


# ---------------------------------------------------------------- a valid return


def test_valid_return_scores_and_tiers(make_return: MakeReturn, catalogue: Catalogue, full_answers: dict[str, str]) -> None:
    evidence = {"Q1": "National AI Strategy (2024), Ministry of Technology", "Q40": "line one\nline two"}
    path = make_return(answers=full_answers, evidence=evidence)
    sub = read_return(path, catalogue)

    assert sub.status == VALID
    assert sub.issues == []
    assert sub.country is not None and sub.country.code == "LA"
    assert sub.year == 2026
    assert sub.complete is True
    assert sub.assessment is not None
    assert [(p.number, p.score, p.tier) for p in sub.assessment.pillars] == EXPECTED_PILLARS
    assert all(p.answered == 10 and p.complete and p.missing == () for p in sub.assessment.pillars)
    assert [p.points_to_next_tier for p in sub.assessment.pillars] == [1.5, None, 6.0, 1.5]
    expected_codes = {cid: catalogue.criterion(cid).answer_by_label(label).code for cid, label in full_answers.items()}
    assert sub.answers == expected_codes
    assert sub.answers["Q6"] == "Y"  # 0 points on the reversed criterion is 'Yes'
    assert dict(sub.assessment.points) == POINTS
    assert sub.answer_cells == {c.id: answer_cell(c.number) for c in catalogue.criteria}
    assert sub.evidence["Q1"] == evidence["Q1"]
    assert sub.evidence["Q40"] == "line one\nline two"
    assert sub.evidence["Q2"] == ""
    assert sub.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_tier_boundaries_are_exact(make_return: MakeReturn, catalogue: Catalogue) -> None:
    # pillar 1: 19.5 Promising; pillar 2: 10.5 Emerging; pillar 3: 21 Advanced; pillar 4: 0 Emerging
    points = {c.id: 0.0 for c in catalogue.criteria}
    points.update({f"Q{n}": 3.0 for n in range(1, 7)})
    points["Q7"] = 1.5
    points.update({"Q11": 3.0, "Q12": 3.0, "Q13": 3.0, "Q14": 1.5})
    points.update({f"Q{n}": 3.0 for n in range(21, 28)})
    sub = read_return(make_return(answers=labels_for(catalogue, points)), catalogue)
    assert sub.status == VALID
    assert [(p.score, p.tier) for p in sub.assessment.pillars] == [
        (19.5, "Promising"),
        (10.5, "Emerging"),
        (21.0, "Advanced"),
        (0.0, "Emerging"),
    ]


# ---------------------------------------------------------------- obvious typing, accepted with a warning


@pytest.mark.parametrize(
    ("typed", "how"),
    [
        ("yes", "letter case corrected"),
        ("YES", "letter case corrected"),
        ("  Yes  ", "extra or non-breaking spaces removed"),
        ("Yes\u00a0", "extra or non-breaking spaces removed"),
        ("\u00a0yes\u00a0", "extra or non-breaking spaces removed and letter case corrected"),
        ("Yes\u3000", "extra or non-breaking spaces removed"),
        ("\uff39\uff45\uff53", "full-width or compatibility characters converted"),
        ("\uff39\uff25\uff33", "full-width or compatibility characters converted and letter case corrected"),
    ],
)
def test_obvious_typing_accepted_with_warning(make_return: MakeReturn, catalogue: Catalogue, typed: str, how: str) -> None:
    answers = all_labels(catalogue)
    answers["Q3"] = typed
    sub = read_return(make_return(answers=answers), catalogue)
    assert sub.status == VALID
    assert sub.answers["Q3"] == "Y"
    assert sub.issues == [
        Issue(WARNING, CRITERIA, answer_cell(3), "Q3", Msg.ACCEPTED_FIXED.format(value=typed, label="Yes", how=how))
    ]
    assert sub.complete


def test_obvious_typing_of_long_labels(make_return: MakeReturn, catalogue: Catalogue) -> None:
    answers = all_labels(catalogue)
    answers["Q1"] = "announced/upcoming"
    answers["Q11"] = "  YES (at least signatory to one) "
    answers["Q40"] = "no"
    sub = read_return(make_return(answers=answers), catalogue)
    assert sub.status == VALID
    assert (sub.answers["Q1"], sub.answers["Q11"], sub.answers["Q40"]) == ("M", "Y", "N")
    assert sub.issues == [
        Issue(
            WARNING,
            CRITERIA,
            answer_cell(1),
            "Q1",
            Msg.ACCEPTED_FIXED.format(value="announced/upcoming", label="Announced/Upcoming", how="letter case corrected"),
        ),
        Issue(
            WARNING,
            CRITERIA,
            answer_cell(11),
            "Q11",
            Msg.ACCEPTED_FIXED.format(
                value="  YES (at least signatory to one) ",
                label="Yes (at least signatory to one)",
                how="extra or non-breaking spaces removed and letter case corrected",
            ),
        ),
        Issue(
            WARNING,
            CRITERIA,
            answer_cell(40),
            "Q40",
            Msg.ACCEPTED_FIXED.format(value="no", label="No", how="letter case corrected"),
        ),
    ]
    assert [p.score for p in sub.assessment.pillars] == [28.5, 30.0, 30.0, 27.0]


# ---------------------------------------------------------------- errors, each naming sheet, cell and criterion


def _single_error(sub: Submission) -> Issue:
    """The one error of a return; its criterion counts as unanswered and the rest is scored."""
    assert sub.status == INVALID
    assert sub.complete is False
    errors = only(sub.issues, ERROR)
    assert len(errors) == 1, sub.issues
    (error,) = errors
    if error.criterion:
        assert sub.assessment is not None and sub.assessment.points_for(error.criterion) is None
        assert error.criterion not in sub.answers and sub.refused == [error.criterion]
    else:  # a problem with the file as a whole: nothing is scored
        assert sub.assessment is None
    return error


def _one_answer_wrong(make_return: MakeReturn, catalogue: Catalogue, qid: str, typed: object) -> tuple[Issue, Criterion]:
    """The one error of a return answering *typed* to *qid* and every other criterion rightly; that criterion."""
    answers = all_labels(catalogue)
    answers[qid] = typed
    return _single_error(read_return(make_return(answers=answers), catalogue)), catalogue.criterion(qid)


def test_unknown_answer(make_return: MakeReturn, catalogue: Catalogue) -> None:
    error, c = _one_answer_wrong(make_return, catalogue, "Q1", "Maybe")
    assert error == Issue(ERROR, CRITERIA, "D3", "Q1", Msg.NOT_ALLOWED.format(value="Maybe", allowed=allowed(c)))


def test_label_of_another_criterion(make_return: MakeReturn, catalogue: Catalogue) -> None:
    # an answer of Q1 (and others), not of Q2
    error, c = _one_answer_wrong(make_return, catalogue, "Q2", "Announced/Upcoming")
    assert "Announced/Upcoming" not in c.labels
    assert "Announced/Upcoming" in catalogue.criterion("Q1").labels
    assert error == Issue(
        ERROR,
        CRITERIA,
        "D4",
        "Q2",
        Msg.WRONG_CRITERION.format(value="Announced/Upcoming", other="Q1", allowed=allowed(c)),
    )


def test_unique_label_of_another_criterion_names_it(make_return: MakeReturn, catalogue: Catalogue) -> None:
    q31_middle = catalogue.criterion("Q31").answers[1].label
    error, c = _one_answer_wrong(make_return, catalogue, "Q30", q31_middle)
    assert error == Issue(
        ERROR,
        CRITERIA,
        answer_cell(30),
        "Q30",
        Msg.WRONG_CRITERION.format(value=short(q31_middle), other="Q31", allowed=allowed(c)),
    )


@pytest.mark.parametrize(("typed", "shown"), [(3, "3"), (1.5, "1.5"), (True, "TRUE")])
def test_number_or_boolean_typed(make_return: MakeReturn, catalogue: Catalogue, typed: object, shown: str) -> None:
    # openpyxl writes these as a number / boolean cell, as Excel does when 3 is typed
    error, c = _one_answer_wrong(make_return, catalogue, "Q5", typed)
    assert error == Issue(ERROR, CRITERIA, "D7", "Q5", Msg.NOT_TEXT.format(value=shown, allowed=allowed(c)))


@pytest.mark.parametrize(
    "formula",
    [
        "=1+2",  # openpyxl writes a real formula, with no cached value
        '="Yes"',  # a formula giving a valid label is still rejected
    ],
)
def test_formula_in_answer_cell(make_return: MakeReturn, catalogue: Catalogue, formula: str) -> None:
    error, c = _one_answer_wrong(make_return, catalogue, "Q12", formula)
    assert error == Issue(ERROR, CRITERIA, answer_cell(12), "Q12", Msg.FORMULA.format(formula=formula, allowed=allowed(c)))


def test_edited_criterion_text(make_return: MakeReturn, catalogue: Catalogue) -> None:
    path = make_return(answers=all_labels(catalogue))
    set_cells(path, CRITERIA, {"B5": "Does the government have an AI strategy? (edited)"})
    sub = read_return(path, catalogue)
    c = catalogue.criterion("Q3")
    assert _single_error(sub) == Issue(
        ERROR,
        CRITERIA,
        "B5",
        "Q3",
        Msg.TEXT_EDITED.format(found="Does the government have an AI strategy? (edited)", expected=short(c.question)),
    )


def test_criterion_text_with_stray_spaces_is_not_an_edit(make_return: MakeReturn, catalogue: Catalogue) -> None:
    path = make_return(answers=all_labels(catalogue))
    c = catalogue.criterion("Q3")
    set_cells(path, CRITERIA, {"B5": "  " + c.question.replace(" ", "\u00a0", 1) + " "})
    sub = read_return(path, catalogue)
    assert sub.status == VALID
    assert sub.issues == []


def test_several_errors_each_reported(make_return: MakeReturn, catalogue: Catalogue) -> None:
    answers = all_labels(catalogue)
    answers.update({"Q1": "Maybe", "Q2": "Announced/Upcoming", "Q7": 3, "Q8": "=1+2"})
    sub = read_return(make_return(answers=answers), catalogue)
    assert sub.status == INVALID
    assert [(i.severity, i.sheet, i.cell, i.criterion) for i in sub.issues] == [
        (ERROR, CRITERIA, "D3", "Q1"),
        (ERROR, CRITERIA, "D4", "Q2"),
        (ERROR, CRITERIA, "D9", "Q7"),
        (ERROR, CRITERIA, "D10", "Q8"),
    ]


# ---------------------------------------------------------------- blanks


def test_blanks_are_warnings_and_leave_the_pillar_incomplete(make_return: MakeReturn, catalogue: Catalogue) -> None:
    answers = all_labels(catalogue)
    del answers["Q12"], answers["Q15"]
    answers["Q33"] = "   "  # spaces only: blank too
    sub = read_return(make_return(answers=answers), catalogue)
    assert sub.status == VALID
    assert sub.complete is False
    assert sub.issues == [
        Issue(WARNING, CRITERIA, answer_cell(12), "Q12", Msg.BLANK.format(pillar=2)),
        Issue(WARNING, CRITERIA, answer_cell(15), "Q15", Msg.BLANK.format(pillar=2)),
        Issue(WARNING, CRITERIA, answer_cell(33), "Q33", Msg.BLANK.format(pillar=4)),
    ]
    pillars = sub.assessment.pillars
    assert [(p.number, p.score, p.answered, p.complete, p.missing) for p in pillars] == [
        (1, 30.0, 10, True, ()),
        (2, 24.0, 8, False, ("Q12", "Q15")),
        (3, 30.0, 10, True, ()),
        (4, 27.0, 9, False, ("Q33",)),
    ]
    assert pillars[1].tier == "Advanced"  # provisional: the tier the answered points reach
    assert sub.assessment.points_for("Q12") is None
    assert "Q12" not in sub.answers


def test_nothing_answered(make_return: MakeReturn, catalogue: Catalogue) -> None:
    sub = read_return(make_return(), catalogue)
    assert sub.status == VALID and sub.blank is True
    assert sub.complete is False
    assert sub.issues == [Issue(WARNING, CRITERIA, "", "", Msg.BLANK_RETURN.format(count=40))]
    assert [(p.score, p.answered) for p in sub.assessment.pillars] == [(0.0, 0)] * 4


def test_one_answer_is_not_a_blank_return(make_return: MakeReturn, catalogue: Catalogue) -> None:
    sub = read_return(make_return(answers={"Q40": "No"}), catalogue)
    assert sub.blank is False
    assert len(sub.issues) == 39
    assert sub.issues == [
        Issue(WARNING, CRITERIA, answer_cell(c.number), c.id, Msg.BLANK.format(pillar=c.pillar))
        for c in catalogue.criteria[:39]
    ]


# ---------------------------------------------------------------- rows found by ID, not position


def test_inserted_rows_answers_found_by_id(make_return: MakeReturn, catalogue: Catalogue) -> None:
    path = make_return()  # blank questionnaire
    wb = load_workbook(path)
    ws = wb[CRITERIA]
    ws.insert_rows(5, 2)  # two rows pushed in before Q3
    for merged in ws.merged_cells.ranges:  # openpyxl moves the cells but not the merged pillar headings
        if merged.min_row >= 5:
            merged.shift(row_shift=2)
    ws["A5"] = "note"
    ws["B6"] = "a comment row added by the respondent"
    wb.save(path)
    answers = all_labels(catalogue)
    answers["Q3"] = "No"
    fill(path, answers, {"Q3": "moved evidence"}, {})
    sub = read_return(path, catalogue)
    assert sub.status == VALID, sub.issues
    assert sub.issues == []
    assert sub.answer_cells["Q1"] == "D3"
    assert sub.answer_cells["Q2"] == "D4"
    assert sub.answer_cells["Q3"] == "D7"
    assert sub.answer_cells["Q40"] == f"D{answer_row(40) + 2}"
    assert sub.answers["Q3"] == "N"
    assert sub.evidence["Q3"] == "moved evidence"
    assert [p.score for p in sub.assessment.pillars] == [27.0, 30.0, 30.0, 30.0]


def test_moved_row_and_reordered_columns(make_return: MakeReturn, catalogue: Catalogue) -> None:
    path = make_return(answers=all_labels(catalogue))
    wb = load_workbook(path)
    ws = wb[CRITERIA]
    ws.move_range("A3:G3", rows=60)  # Q1's row moved far below the others
    ws["D63"] = "No"
    wb.save(path)
    sub = read_return(path, catalogue)
    assert sub.status == VALID, sub.issues
    assert sub.answer_cells["Q1"] == "D63"
    assert sub.answers["Q1"] == "N"
    # the answer error names the cell the row was moved to
    set_cells(path, CRITERIA, {"D63": "Maybe"})
    sub = read_return(path, catalogue)
    assert _single_error(sub) == Issue(
        ERROR, CRITERIA, "D63", "Q1", Msg.NOT_ALLOWED.format(value="Maybe", allowed=allowed(catalogue.criterion("Q1")))
    )


def test_missing_and_duplicated_rows(make_return: MakeReturn, catalogue: Catalogue) -> None:
    path = make_return(answers=all_labels(catalogue))
    set_cells(path, CRITERIA, {"A3": None, "A60": "Q2"})
    sub = read_return(path, catalogue)
    assert sub.status == INVALID
    assert only(sub.issues, ERROR) == [
        Issue(ERROR, CRITERIA, "A60", "Q2", Msg.DUPLICATE_ROW.format(criterion="Q2", first=4)),
        Issue(ERROR, CRITERIA, "", "Q1", Msg.MISSING_ROW.format(criterion="Q1")),
    ]


# ---------------------------------------------------------------- respondent: country and year


def test_generic_questionnaire_country_chosen(make_return: MakeReturn, catalogue: Catalogue) -> None:
    path = make_return(country=None, answers=all_labels(catalogue), respondent={"country": "Malaysia"})
    sub = read_return(path, catalogue)
    assert sub.status == VALID, sub.issues
    assert sub.issues == []
    assert sub.country is not None and sub.country.code == "MY"
    assert sub.year == 2026
    assert sub.respondent["country"] == "Malaysia"


@pytest.mark.parametrize("typed", [" viet nam ", "VIET\u00a0NAM", "VN", "vn"])
def test_generic_questionnaire_country_any_case_or_code(make_return: MakeReturn, catalogue: Catalogue, typed: str) -> None:
    path = make_return(country=None, answers=all_labels(catalogue), respondent={"country": typed})
    sub = read_return(path, catalogue)
    assert sub.status == VALID, sub.issues
    assert sub.country.code == "VN"


def test_generic_questionnaire_unknown_country(make_return: MakeReturn, catalogue: Catalogue) -> None:
    path = make_return(country=None, answers=all_labels(catalogue), respondent={"country": "Narnia"})
    sub = read_return(path, catalogue)
    names = ", ".join(c.name for c in catalogue.countries)
    assert _single_error(sub) == Issue(
        ERROR, RESPONDENT, "B5", "", Msg.COUNTRY_UNKNOWN.format(value="Narnia", allowed=names)
    )
    assert sub.country is None


def test_generic_questionnaire_country_missing(make_return: MakeReturn, catalogue: Catalogue) -> None:
    sub = read_return(make_return(country=None, answers=all_labels(catalogue)), catalogue)
    assert _single_error(sub) == Issue(ERROR, RESPONDENT, "B5", "", Msg.COUNTRY_MISSING.format())


def test_country_changed_from_the_issued_one(make_return: MakeReturn, catalogue: Catalogue) -> None:
    path = make_return(country="LA", answers=all_labels(catalogue))
    set_cells(path, RESPONDENT, {"B5": "Malaysia"})  # a locked cell, typed over
    sub = read_return(path, catalogue)
    assert _single_error(sub) == Issue(
        ERROR, RESPONDENT, "B5", "", Msg.COUNTRY_MISMATCH.format(value="Malaysia", expected="Lao PDR")
    )


@pytest.mark.parametrize("typed", ["2027", 2027])
def test_year_changed(make_return: MakeReturn, catalogue: Catalogue, typed: object) -> None:
    path = make_return(country="LA", year=2026, answers=all_labels(catalogue))
    set_cells(path, RESPONDENT, {"B6": typed})
    sub = read_return(path, catalogue)
    assert _single_error(sub) == Issue(ERROR, RESPONDENT, "B6", "", Msg.YEAR_MISMATCH.format(value="2027", expected="2026"))
    assert sub.year == 2026  # the issued year


def test_respondent_details_kept(make_return: MakeReturn, catalogue: Catalogue) -> None:
    respondent = {"agency": "Ministry of Technology", "name": "A. Official", "email": "a@example.org"}
    sub = read_return(make_return(answers=all_labels(catalogue), respondent=respondent), catalogue)
    assert sub.status == VALID
    assert {k: sub.respondent[k] for k in respondent} == respondent
    assert sub.respondent["country"] == "Lao PDR"
    assert sub.respondent["year"] == "2026"


# ---------------------------------------------------------------- identity


def test_other_workbook_is_skipped(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "regional-notes.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Overview"
    ws.append(["Country", "Pillar", "Score"])
    ws.append(["Lao PDR", 1, 10.5])
    wb.save(path)
    sub = read_return(path, catalogue)
    assert sub.status == SKIPPED
    assert sub.issues == [Issue(NOTE, "", "", "", Msg.NOT_QUESTIONNAIRE.format(detail=""))]
    assert sub.reason() == Msg.NOT_QUESTIONNAIRE.format(detail="")


def test_other_template_id_is_skipped(make_return: MakeReturn, catalogue: Catalogue) -> None:
    path = make_return(answers=all_labels(catalogue))
    set_identity(path, "template_id", "someone/else")
    sub = read_return(path, catalogue)
    assert sub.status == SKIPPED
    assert sub.issues == [Issue(NOTE, "", "", "", Msg.NOT_QUESTIONNAIRE.format(detail="; template 'someone/else'"))]


def test_other_methodology_version(make_return: MakeReturn, catalogue: Catalogue) -> None:
    path = make_return(answers=all_labels(catalogue))
    set_identity(path, "methodology_version", "2031-2035.1")
    sub = read_return(path, catalogue)
    assert _single_error(sub) == Issue(
        ERROR, "", "", "", Msg.OTHER_METHODOLOGY.format(found="2031-2035.1", expected=catalogue.version)
    )
    assert sub.issues == only(sub.issues, ERROR)


def test_newer_schema(make_return: MakeReturn, catalogue: Catalogue) -> None:
    path = make_return(answers=all_labels(catalogue))
    set_identity(path, "schema_version", "2")
    sub = read_return(path, catalogue)
    assert _single_error(sub) == Issue(ERROR, "", "", "", Msg.NEWER_SCHEMA.format(found="2", supported=ids.SCHEMA_VERSION))
    assert sub.issues == only(sub.issues, ERROR)
    assert sub.template_version == f"2 / {catalogue.version}"


def test_custom_properties_dropped_identity_from_sheets(make_return: MakeReturn, catalogue: Catalogue) -> None:
    path = make_return(answers=all_labels(catalogue))
    rewrite_zip(path, {"docProps/custom.xml": None})
    with zipfile.ZipFile(path) as zf:
        assert "docProps/custom.xml" not in zf.namelist()
    sub = read_return(path, catalogue)
    assert sub.status == VALID
    assert sub.issues == []
    assert sub.country.code == "LA"
    assert sub.template_version == f"{ids.SCHEMA_VERSION} / {catalogue.version}"


def test_identity_only_on_start_sheet(make_return: MakeReturn, catalogue: Catalogue) -> None:
    path = make_return(answers=all_labels(catalogue))
    rewrite_zip(path, {"docProps/custom.xml": None})
    wb = load_workbook(path)
    lists = wb[ids.SHEET_LISTS]
    for row in range(1, 10):
        lists.cell(row, 8).value = None
        lists.cell(row, 9).value = None
    wb.save(path)
    sub = read_return(path, catalogue)
    assert sub.status == VALID, sub.issues
    assert sub.country.code == "LA"


def test_identity_copies_disagree(make_return: MakeReturn, catalogue: Catalogue) -> None:
    path = make_return(answers=all_labels(catalogue))
    set_identity(path, "country", "MY", where=("lists",))
    sub = read_return(path, catalogue)
    assert sub.status == VALID
    assert sub.country.code == "LA"
    assert sub.issues == [
        Issue(
            WARNING,
            "",
            "",
            "",
            Msg.IDENTITY_DISAGREES.format(
                key="country",
                values="document properties 'LA'; Lists sheet 'MY'; Start here sheet 'LA'",
                used="'LA'",
            ),
        )
    ]


def test_fingerprint_differs_is_a_warning(make_return: MakeReturn, catalogue: Catalogue) -> None:
    path = make_return(answers=all_labels(catalogue))
    set_identity(path, "catalogue_fingerprint", "0000000000000000")
    sub = read_return(path, catalogue)
    assert sub.status == VALID
    assert sub.issues == [
        Issue(WARNING, "", "", "", Msg.FINGERPRINT.format(found="0000000000000000", expected=catalogue.fingerprint))
    ]


def test_lock_file_and_other_files_skipped_with_note(tmp_path: Path, catalogue: Catalogue) -> None:
    lock = tmp_path / "~$return.xlsx"
    lock.write_bytes(b"\x0bA. Official" + b"\x00" * 40)
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    assert read_return(lock, catalogue).issues == [Issue(NOTE, "", "", "", Msg.LOCK_FILE.format())]
    assert read_return(lock, catalogue).status == SKIPPED
    assert read_return(notes, catalogue).issues == [Issue(NOTE, "", "", "", Msg.NOT_SPREADSHEET.format(what="a text file"))]
    assert read_return(notes, catalogue).status == SKIPPED


# ---------------------------------------------------------------- command line: score


SCORE_KEYS = {"country", "year", "complete", "pillars", "criteria", "issues"}
EXTRA_SCORE_KEYS = {"file", "status"}  # present beside the documented shape
ISSUE_KEYS = {"severity", "sheet", "cell", "criterion", "message", "code"}


def json_issue(severity: str, cell: str, criterion: str, message: Said, sheet: str = CRITERIA) -> dict[str, str]:
    """An issue as --json gives it, with its message's code."""
    return {
        "severity": severity,
        "sheet": sheet,
        "cell": cell,
        "criterion": criterion,
        "code": message.code,
        "message": message,
    }


def test_score_json_shape_and_values(make_return: MakeReturn, catalogue: Catalogue, full_answers: dict[str, str]) -> None:
    path = make_return(answers=full_answers)
    result = invoke("score", path, "--json")
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    assert set(obj) - EXTRA_SCORE_KEYS == SCORE_KEYS
    assert obj["country"] == {"code": "LA", "name": "Lao PDR"}
    assert obj["year"] == 2026
    assert obj["complete"] is True
    assert obj["pillars"] == [
        {"number": n, "score": s, "tier": t, "answered": 10, "complete": True} for n, s, t in EXPECTED_PILLARS
    ]
    assert obj["criteria"] == [
        {"id": c.id, "answer": full_answers[c.id], "points": POINTS[c.id]} for c in catalogue.criteria
    ]
    assert len(obj["criteria"]) == 40
    assert obj["issues"] == []


def test_score_json_incomplete_exit_1(make_return: MakeReturn, catalogue: Catalogue) -> None:
    answers = all_labels(catalogue)
    del answers["Q12"]
    answers["Q3"] = "yes"
    result = invoke("score", make_return(answers=answers), "--json")
    assert result.exit_code == 1
    obj = json.loads(result.stdout)
    assert obj["complete"] is False
    assert obj["pillars"][1] == {"number": 2, "score": 27.0, "tier": "Advanced", "answered": 9, "complete": False}
    assert all(p["complete"] for i, p in enumerate(obj["pillars"]) if i != 1)
    assert obj["criteria"][11] == {"id": "Q12", "answer": None, "points": None}
    assert obj["criteria"][2] == {"id": "Q3", "answer": "Yes", "points": 3.0}
    assert obj["issues"] == [
        json_issue(WARNING, "D5", "Q3", Msg.ACCEPTED_FIXED.format(value="yes", label="Yes", how="letter case corrected")),
        json_issue(WARNING, "D15", "Q12", Msg.BLANK.format(pillar=2)),
    ]


def test_score_json_invalid_exit_1(make_return: MakeReturn, catalogue: Catalogue) -> None:
    answers = all_labels(catalogue)
    answers["Q1"] = "Maybe"
    result = invoke("score", make_return(answers=answers), "--json")
    assert result.exit_code == 1
    obj = json.loads(result.stdout)
    assert set(obj) - EXTRA_SCORE_KEYS == SCORE_KEYS
    assert obj["complete"] is False
    assert obj["status"] == INVALID
    # the answer not accepted counts as unanswered; everything else is scored
    assert obj["pillars"][0] == {"number": 1, "score": 27.0, "tier": "Advanced", "answered": 9, "complete": False}
    assert [p["score"] for p in obj["pillars"]] == [27.0, 30.0, 30.0, 30.0]
    assert len(obj["criteria"]) == 40
    assert obj["criteria"][0] == {"id": "Q1", "answer": None, "points": None}
    assert obj["criteria"][1] == {"id": "Q2", "answer": "Yes", "points": 3.0}
    assert obj["issues"] == [
        json_issue(ERROR, "D3", "Q1", Msg.NOT_ALLOWED.format(value="Maybe", allowed=allowed(catalogue.criterion("Q1"))))
    ]
    assert all(set(i) == ISSUE_KEYS for i in obj["issues"])


def test_score_human_output(make_return: MakeReturn, catalogue: Catalogue, full_answers: dict[str, str]) -> None:
    path = make_return(answers=full_answers)
    result = invoke("score", path)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"{path}: Lao PDR 2026"
    assert lines[1] == f"  Pillar 1 {catalogue.pillar(1).name}: 10.5/30, Emerging, 1.5 to next tier"
    assert lines[2] == f"  Pillar 2 {catalogue.pillar(2).name}: 21/30, Advanced"


def test_score_human_output_invalid(make_return: MakeReturn, catalogue: Catalogue) -> None:
    answers = all_labels(catalogue)
    answers["Q9"] = "Maybe"
    path = make_return(answers=answers)
    result = invoke("score", path)
    assert result.exit_code == 1
    c = catalogue.criterion("Q9")
    expected = f"  ERROR: {path.name}, sheet 'Criteria', cell D11, Q9: " + Msg.NOT_ALLOWED.format(
        value="Maybe", allowed=allowed(c)
    )
    assert expected in result.stdout.splitlines()


def test_score_missing_file_is_usage_error(tmp_path: Path) -> None:
    result = invoke("score", tmp_path / "nope.xlsx")
    assert result.exit_code == 2


# ---------------------------------------------------------------- command line: validate


def test_validate_json_one_object_per_file(tmp_path: Path, make_return: MakeReturn, catalogue: Catalogue) -> None:
    good = make_return("good.xlsx", answers=all_labels(catalogue))
    answers = all_labels(catalogue)
    answers["Q1"] = "Maybe"
    bad = make_return("bad.xlsx", country="MY", answers=answers)
    lock = tmp_path / "~$good.xlsx"
    lock.write_bytes(b"\x0bA. Official" + b"\x00" * 40)
    result = invoke("validate", tmp_path, "--json")
    assert result.exit_code == 1
    objs = json.loads(result.stdout)
    assert [(Path(o["file"]).name, o["status"], o["country"]) for o in objs] == [
        ("bad.xlsx", INVALID, "MY"),
        ("good.xlsx", VALID, "LA"),
        ("~$good.xlsx", SKIPPED, None),
    ]
    assert all(set(o) == {"file", "status", "outcome", "country", "year", "complete", "blank", "issues"} for o in objs)
    assert [o["outcome"] for o in objs] == ["included with answers to fix", "included", "skipped"]
    assert [(o["year"], o["complete"]) for o in objs] == [(2026, False), (2026, True), (None, False)]
    assert objs[0]["issues"] == [
        json_issue(ERROR, "D3", "Q1", Msg.NOT_ALLOWED.format(value="Maybe", allowed=allowed(catalogue.criterion("Q1"))))
    ]
    assert objs[1]["issues"] == []
    assert objs[2]["issues"] == [json_issue(NOTE, "", "", Msg.LOCK_FILE.format(), sheet="")]
    assert Path(objs[1]["file"]) == good
    assert bad.exists()


def test_validate_all_valid_exit_0(tmp_path: Path, make_return: MakeReturn, catalogue: Catalogue) -> None:
    make_return("a.xlsx", country="LA", answers=all_labels(catalogue))
    make_return("b.xlsx", country="MY", answers=all_labels(catalogue, 0.0))
    (tmp_path / "~$a.xlsx").write_bytes(b"lock")
    result = invoke("validate", tmp_path, "--json")
    assert result.exit_code == 0, result.output
    assert [o["status"] for o in json.loads(result.stdout)] == [VALID, VALID, SKIPPED]


def test_validate_incomplete_exit_1(tmp_path: Path, make_return: MakeReturn, catalogue: Catalogue) -> None:
    answers = all_labels(catalogue)
    del answers["Q40"]
    make_return("a.xlsx", answers=answers)
    result = invoke("validate", tmp_path, "--json")
    assert result.exit_code == 1
    (obj,) = json.loads(result.stdout)
    assert obj["status"] == VALID
    assert obj["issues"] == [json_issue(WARNING, answer_cell(40), "Q40", Msg.BLANK.format(pillar=4))]


def test_validate_several_paths(tmp_path: Path, make_return: MakeReturn, catalogue: Catalogue) -> None:
    a = make_return("a.xlsx", answers=all_labels(catalogue))
    b = make_return("b.xlsx", country="SG", answers=all_labels(catalogue))
    result = invoke("validate", b, a, "--json")
    assert result.exit_code == 0
    assert [Path(o["file"]) for o in json.loads(result.stdout)] == [b, a]


def test_validate_human_output(tmp_path: Path, make_return: MakeReturn, catalogue: Catalogue) -> None:
    answers = all_labels(catalogue)
    answers.update({"Q1": "Maybe", "Q3": "yes"})
    path = make_return("bad.xlsx", answers=answers)
    (tmp_path / "~$bad.xlsx").write_bytes(b"lock")
    result = invoke("validate", tmp_path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    c1 = catalogue.criterion("Q1")
    assert lines == [
        f"{path} (Lao PDR 2026): included with answers to fix: answers not accepted, counted as unanswered: Q1; "
        "incomplete: pillar 1 lacks Q1",
        "  ERROR: bad.xlsx, sheet 'Criteria', cell D3, Q1: " + Msg.NOT_ALLOWED.format(value="Maybe", allowed=allowed(c1)),
        "  WARNING: bad.xlsx, sheet 'Criteria', cell D5, Q3: "
        + Msg.ACCEPTED_FIXED.format(value="yes", label="Yes", how="letter case corrected"),
        f"{tmp_path / '~$bad.xlsx'}: skipped: {Msg.LOCK_FILE.format()}",
        "2 file(s): 1 included with answers to fix, 1 skipped",
    ]
    assert result.stderr == ""


def test_validate_human_output_respondent_issue(tmp_path: Path, make_return: MakeReturn, catalogue: Catalogue) -> None:
    path = make_return("r.xlsx", answers=all_labels(catalogue))
    set_cells(path, RESPONDENT, {"B5": "Malaysia"})
    result = invoke("validate", path)
    assert result.exit_code == 1
    line = "  ERROR: r.xlsx, sheet 'Respondent', cell B5: " + Msg.COUNTRY_MISMATCH.format(
        value="Malaysia", expected="Lao PDR"
    )
    assert line in result.stdout.splitlines()


@pytest.mark.parametrize("content", [None, "notes.txt"])
def test_validate_folder_without_spreadsheets_is_usage_error(tmp_path: Path, content: str | None) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    if content:
        (folder / content).write_text("not a spreadsheet")
    for args in (("validate", folder), ("validate", folder, "--json")):
        result = invoke(*args)
        assert result.exit_code == 2
        assert result.stdout == ""
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
        assert errors == [f"Error: no spreadsheets (.xlsx or .ods) found in {folder}"]


def test_validate_missing_path_is_usage_error(tmp_path: Path) -> None:
    result = invoke("validate", tmp_path / "nope")
    assert result.exit_code == 2
    assert [line for line in result.stderr.splitlines() if line.startswith("Error")] == [
        f"Error: {tmp_path / 'nope'} does not exist"
    ]


def test_validate_without_paths_is_usage_error() -> None:
    assert invoke("validate").exit_code == 2


# ---------------------------------------------------------------- inputs are never modified


def test_inputs_never_modified(tmp_path: Path, make_return: MakeReturn, catalogue: Catalogue) -> None:
    answers = all_labels(catalogue)
    answers.update({"Q1": "Maybe", "Q3": " yes", "Q4": "=1+2"})
    del answers["Q20"]
    files = [
        make_return("a.xlsx", answers=all_labels(catalogue)),
        make_return("b.xlsx", answers=answers),
        make_return("c.xlsx", country=None, answers=all_labels(catalogue), respondent={"country": "Narnia"}),
    ]
    (tmp_path / "~$a.xlsx").write_bytes(b"lock")
    (tmp_path / "notes.txt").write_text("notes")
    inputs = sorted(p for p in tmp_path.iterdir() if p.is_file())
    before = fingerprint(inputs)
    for f in files:
        read_return(f, catalogue)
        invoke("score", f, "--json")
        invoke("score", f)
    invoke("validate", tmp_path, "--json")
    invoke("validate", tmp_path)
    invoke("validate", *files)
    assert fingerprint(inputs) == before
    assert sorted(p for p in tmp_path.iterdir() if p.is_file()) == inputs  # nothing written beside them
