"""Returns as officials really send them: one bad file never stops a run, text comes back as typed,
messages stay on one line, and files that are not returns are skipped, not rejected."""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from rai_xl.cli import cli
from rai_xl.core.submission import INVALID, SKIPPED, VALID
from rai_xl.core.text import format_number
from rai_xl.issues import ERROR, NOTE, WARNING, Issue, Msg, one_line
from rai_xl.layouts import questionnaire as ids
from rai_xl.method.catalogue import Catalogue
from rai_xl.read import returns
from rai_xl.read.cells import cell_text
from rai_xl.read.returns import read_return
from rai_xl.read.spreadsheet import Cell
from tests.helpers import all_labels, answer_cell, run_cli, set_cells, set_identity

ANSWERS_SHEET = ids.SHEET_CRITERIA


def _complete(make_return, catalogue: Catalogue, name: str = "return.xlsx", **kw) -> Path:
    return make_return(name, answers=all_labels(catalogue), **kw)


# ---------------------------------------------------------------- 1. one file never stops the run


@pytest.mark.parametrize("year", ["2026²", "２０２６", "٢٠٢٦", "20 26", "2026.0"])
def test_a_year_that_is_not_four_ascii_digits_is_that_files_error(make_return, catalogue: Catalogue, year: str) -> None:
    path = _complete(make_return, catalogue)
    set_identity(path, "year", year)
    sub = read_return(path, catalogue)
    assert sub.status == INVALID and not sub.internal_error
    assert sub.year is None
    year_cell = "B6"  # 'Assessment year' on the Respondent sheet
    assert Issue(ERROR, ids.SHEET_RESPONDENT, year_cell, "", Msg.YEAR_UNREADABLE.format(value=year)) in sub.issues


def test_a_non_ascii_year_does_not_stop_the_other_files(tmp_path: Path, make_return, catalogue: Catalogue) -> None:
    good = _complete(make_return, catalogue, "a-good.xlsx")
    odd = _complete(make_return, catalogue, "b-odd.xlsx", country="KH")
    set_identity(odd, "year", "2026²", where=("properties",))
    result = run_cli("validate", tmp_path, "--json")
    assert result.exit_code == 1
    verdicts = {Path(o["file"]).name: o["status"] for o in json.loads(result.stdout)}
    assert verdicts == {"a-good.xlsx": VALID, "b-odd.xlsx": INVALID}
    assert good.exists()


def _explode_on(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make rai-xl's own checking fail (a stand-in for a bug) on the file called *name* only."""
    real = returns._check

    def check(sub, wb, catalogue):
        if sub.path.name == name:
            raise ValueError("invalid literal for int() with base 10: '²'")
        return real(sub, wb, catalogue)

    monkeypatch.setattr(returns, "_check", check)


def test_a_bug_on_one_file_is_that_files_verdict(make_return, catalogue: Catalogue, monkeypatch) -> None:
    path = _complete(make_return, catalogue, "bad.xlsx")
    _explode_on("bad.xlsx", monkeypatch)
    sub = read_return(path, catalogue)
    assert sub.status == INVALID and sub.assessment is None
    assert sub.issues == [
        Issue(ERROR, "", "", "", Msg.INTERNAL.format(error="ValueError: invalid literal for int() with base 10: '²'"))
    ]
    assert "Traceback (most recent call last)" in sub.internal_error and "_check" in sub.internal_error


@pytest.mark.parametrize("command", ["validate", "consolidate"])
def test_a_bug_on_one_file_exits_3_after_the_others_are_done(
    tmp_path: Path, make_return, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = tmp_path / "returns"
    folder.mkdir()
    for name, code in (("a.xlsx", "BN"), ("b.xlsx", "KH"), ("c.xlsx", "ID")):
        path = _complete(make_return, catalogue, name, country=code)
        path.rename(folder / name)
    _explode_on("b.xlsx", monkeypatch)
    args = [command, folder] + (["--output", tmp_path / "regional.xlsx"] if command == "consolidate" else [])
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 3 and isinstance(result.exception, SystemExit)
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("rai-xl: internal error")]
    report = Path(re.search(r"Full report: (\S+)", line).group(1))
    assert line == (
        "rai-xl: internal error (failed on 1 file(s): b.xlsx); this is a bug in rai-xl, not a problem in your files. "
        f"Full report: {report} (or run again with --debug)"
    )
    assert report.parent == tmp_path and "ValueError: invalid literal" in report.read_text()
    if command == "validate":
        assert f"{folder / 'a.xlsx'} (Brunei Darussalam 2026): included\n" in result.stdout
        assert f"{folder / 'c.xlsx'} (Indonesia 2026): included\n" in result.stdout
        assert f"{folder / 'b.xlsx'}: rejected: rai-xl failed on this file (ValueError: invalid literal" in result.stdout
    else:
        wb = load_workbook(tmp_path / "regional.xlsx")  # the others were consolidated before the exit
        assert {"Brunei Darussalam", "Indonesia"} <= set(wb.sheetnames)


def test_an_unexpected_exception_is_one_line_exit_3_and_debug_shows_it(
    tmp_path: Path, make_return, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    path = _complete(make_return, catalogue)

    def boom(*_a, **_k):
        raise KeyError("pillar")

    monkeypatch.setattr("rai_xl.shapes.pillars_shape", boom)
    result = CliRunner().invoke(cli, ["score", str(path), "--json"])
    assert result.exit_code == 3 and isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("rai-xl: internal error (KeyError: 'pillar'); this is a bug in rai-xl")
    report = Path(re.search(r"Full report: (\S+)", line).group(1))
    assert "Traceback (most recent call last)" in report.read_text()
    debug = CliRunner().invoke(cli, ["--debug", "score", str(path), "--json"])
    assert isinstance(debug.exception, KeyError)


# ---------------------------------------------------------------- 4. dates and numbers come back as typed


def test_numbers_in_full_and_dates_as_iso() -> None:
    assert format_number(20240115.0) == "20240115"
    assert format_number(3.5) == "3.5"
    assert format_number(0.0001) == "0.0001"
    assert format_number(1e20) == "100000000000000000000"
    assert format_number(-2.0) == "-2"
    assert cell_text(Cell(20240115.0)) == "20240115"
    assert cell_text(Cell(date(2026, 3, 31))) == "2026-03-31"
    assert cell_text(Cell(datetime(2026, 3, 31))) == "2026-03-31"
    assert cell_text(Cell(datetime(2026, 3, 31, 14, 5))) == "2026-03-31 14:05"
    assert cell_text(Cell(True)) == "TRUE"
    assert cell_text(Cell("  as typed  ")) == "as typed"
    assert cell_text(None) == ""


def test_a_date_typed_as_a_date_and_a_number_as_evidence(make_return, catalogue: Catalogue) -> None:
    path = make_return(answers=all_labels(catalogue), respondent={"date_completed": datetime(2026, 3, 31)})
    set_cells(path, ANSWERS_SHEET, {"F3": 20240115, "F4": 12.25})
    sub = read_return(path, catalogue)
    assert sub.status == VALID
    assert sub.respondent["date_completed"] == "2026-03-31"
    assert (sub.evidence["Q1"], sub.evidence["Q2"]) == ("20240115", "12.25")


# ---------------------------------------------------------------- 5. free text exactly as typed

THAI = "กำพล ศรีสุข"  # U+0E33 SARA AM: NFKC would split it in two
LAO = "ສຳນັກງານ ນະວັດຕະກຳ"  # U+0EB3 likewise


def test_thai_lao_and_fullwidth_text_pass_through_unchanged(make_return, catalogue: Catalogue) -> None:
    evidence = {"Q1": f"  {LAO} — ＡＩ法  ", "Q2": "line one\nline two,  two spaces"}
    path = make_return(
        answers=all_labels(catalogue),
        evidence=evidence,
        respondent={"name": f" {THAI} ", "agency": LAO, "position": "Director\u00a0General"},
    )
    sub = read_return(path, catalogue)
    assert sub.respondent["name"] == THAI
    assert sub.respondent["agency"] == LAO
    assert sub.respondent["position"] == "Director\u00a0General"
    assert sub.evidence["Q1"] == f"  {LAO} — ＡＩ法  "  # text carried exactly: spaces at the ends too
    assert sub.evidence["Q2"] == "line one\nline two,  two spaces"


# ---------------------------------------------------------------- 6. one line per message


def test_control_characters_are_shown_escaped() -> None:
    assert one_line("Yes\n(see the attached decree)") == "Yes\\n(see the attached decree)"
    assert one_line("a\r\nb\tc\x07d\u2028e") == "a\\r\\nb\\tc\\u0007d\\u2028e"
    assert one_line(f"{THAI} ok\u00a0") == f"{THAI} ok\u00a0"


def test_a_multi_line_answer_gives_one_line_messages(tmp_path: Path, make_return, catalogue: Catalogue) -> None:
    answers = all_labels(catalogue)
    answers["Q1"] = "Yes\n(see the attached decree)"
    answers["Q2"] = "yes\t"  # accepted with a warning that quotes it
    make_return(answers=answers)
    result = run_cli("validate", tmp_path)
    lines = result.stdout.splitlines()
    assert lines[1] == (
        f"  ERROR: return.xlsx, sheet 'Criteria', cell {answer_cell(1)}, Q1: 'Yes\\n(see the attached decree)' is not one "
        f"of the allowed answers: {'; '.join(repr(x) for x in catalogue.criterion('Q1').labels)}".replace('"', "'")
    )
    assert lines[2] == (
        f"  WARNING: return.xlsx, sheet 'Criteria', cell {answer_cell(2)}, Q2: accepted 'yes\\t' as 'Yes' "
        "(extra or non-breaking spaces removed and letter case corrected)"
    )
    assert len(lines) == 4  # file line, two issues, the summary


# ---------------------------------------------------------------- 8. what is not a return


@pytest.mark.parametrize(
    ("relative", "message"),
    [
        ("._RAI-readiness-2026-Lao-PDR.xlsx", Msg.MAC_METADATA.format()),
        ("__MACOSX/RAI-readiness-2026-Lao-PDR.xlsx", Msg.MAC_METADATA.format()),
        (".~lock.RAI-readiness-2026-Lao-PDR.xlsx#", Msg.LO_LOCK_FILE.format()),
        ("~$RAI-readiness-2026-Lao-PDR.xlsx", Msg.LOCK_FILE.format()),
        (".DS_Store", Msg.SYSTEM_FILE.format(what="a macOS folder settings file")),
        ("Thumbs.db", Msg.SYSTEM_FILE.format(what="a Windows thumbnail cache")),
        ("cover-letter.docx", Msg.NOT_SPREADSHEET.format(what="a Word document")),
        ("answers.csv", Msg.NOT_SPREADSHEET.format(what="a CSV text file")),
    ],
)
def test_non_submissions_in_a_folder_are_skipped_and_do_not_fail_the_run(
    tmp_path: Path, make_return, catalogue: Catalogue, relative: str, message: str
) -> None:
    folder = tmp_path / "returns"
    path = _complete(make_return, catalogue)
    (folder / "__MACOSX").mkdir(parents=True)
    path.rename(folder / path.name)
    junk = folder / relative
    junk.write_bytes((folder / path.name).read_bytes() if relative.endswith(".xlsx") else b"Q1,Yes\n")
    result = run_cli("validate", folder, "--json")
    verdicts = {Path(o["file"]).name: (o["status"], o["issues"]) for o in json.loads(result.stdout)}
    assert verdicts[junk.name] == (SKIPPED, [Issue(NOTE, "", "", "", message).as_dict()])
    assert verdicts[path.name][0] == VALID
    assert result.exit_code == 0
    out = tmp_path / "regional.xlsx"
    consolidated = run_cli("consolidate", folder, "--output", out)
    assert consolidated.exit_code == 0, consolidated.output
    rows = list(load_workbook(out)["Submissions"].iter_rows(values_only=True))
    heads = rows[2]
    listed = {Path(r[0]).name: r[heads.index("Status")] for r in rows[3:] if r[0]}
    assert listed == {path.name: "included", junk.name: "skipped"}


@pytest.mark.parametrize(("name", "what"), [("answers.csv", "a CSV text file"), ("letter.docx", "a Word document")])
def test_a_named_file_that_is_not_a_return_is_a_problem(tmp_path: Path, name: str, what: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"Q1,Yes\n")
    result = run_cli("validate", path)
    assert result.exit_code == 1
    reason = Msg.NAMED_NOT_SPREADSHEET.format(what=what)
    assert result.stdout.splitlines() == [
        f"{path}: rejected: {reason}",
        f"  ERROR: {name}: {reason}",
        "1 file(s): 1 rejected",
    ]


@pytest.mark.parametrize("new_name", ["RAI-readiness-2026-Lao-PDR", "RAI-readiness-2026-Lao-PDR.xlsx.download"])
def test_a_return_saved_without_its_extension_is_read_by_content(
    tmp_path: Path, make_return, catalogue: Catalogue, new_name: str
) -> None:
    path = _complete(make_return, catalogue)
    renamed = path.rename(tmp_path / new_name)
    for named in (True, False):
        sub = read_return(renamed, catalogue, named=named)
        assert sub.status == VALID and sub.complete
        assert sub.issues == [Issue(NOTE, "", "", "", Msg.READ_BY_CONTENT.format(kind="xlsx"))]


def test_a_damaged_return_without_its_extension_is_rejected_for_the_damage(
    tmp_path: Path, make_return, catalogue: Catalogue
) -> None:
    path = _complete(make_return, catalogue)
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp_path / "RAI-readiness.xlsx.download", "w") as out:
        for info in zin.infolist():
            data = zin.read(info)
            out.writestr(info, data[: len(data) // 2] if info.filename.startswith("xl/worksheets/") else data)
    result = run_cli("validate", tmp_path / "RAI-readiness.xlsx.download")
    assert result.exit_code == 1, result.output
    damaged = "a part of the file is damaged and cannot be read (ParseError: "
    verdict, error, count = result.stdout.splitlines()  # the note that it was read by content is in --json
    assert verdict.startswith(f"{tmp_path / 'RAI-readiness.xlsx.download'}: rejected: {damaged}")
    assert error.startswith(f"  ERROR: RAI-readiness.xlsx.download: {damaged}")
    assert count == "1 file(s): 1 rejected"
    sub = read_return(tmp_path / "RAI-readiness.xlsx.download", catalogue, named=True)
    assert [(i.severity, i.code) for i in sub.issues] == [(NOTE, "READ_BY_CONTENT"), (ERROR, "UNREADABLE")]


# ---------------------------------------------------------------- 10. samples are marked, not guessed


def test_only_marked_samples_are_synthetic(tmp_path: Path, make_return, catalogue: Catalogue) -> None:
    real = make_return("real.xlsx", answers=all_labels(catalogue), respondent={"position": "Head, Synthetic Data Unit"})
    assert read_return(real, catalogue).sample is False
    sample = Path(__file__).resolve().parents[1] / "samples" / "RAI-readiness-2026-Lao-PDR.xlsx"
    assert read_return(sample, catalogue).sample is True
    out = tmp_path / "regional.xlsx"
    assert run_cli("consolidate", real, "--output", out).exit_code == 0
    overview = load_workbook(out)["Overview"]
    texts = [str(v) for row in overview.iter_rows(values_only=True) for v in row if v]
    assert not [t for t in texts if t.startswith("Built from SYNTHETIC sample data")]
    samples = Path(__file__).resolve().parents[1] / "samples"
    assert run_cli("consolidate", samples, "--output", tmp_path / "samples.xlsx").exit_code == 1  # Thailand incomplete
    overview = load_workbook(tmp_path / "samples.xlsx")["Overview"]
    texts = [str(v) for row in overview.iter_rows(values_only=True) for v in row if v]
    assert "Built from SYNTHETIC sample data: these are not real assessments of any Member State." in texts


# ---------------------------------------------------------------- checks a mutation must not slip past


def test_criterion_text_changed_only_in_case_is_an_edit(make_return, catalogue: Catalogue) -> None:
    path = _complete(make_return, catalogue)
    c = catalogue.criterion("Q3")
    set_cells(path, ANSWERS_SHEET, {"B5": c.question.upper()})
    sub = read_return(path, catalogue)
    assert sub.status == INVALID
    assert sub.issues == [
        Issue(
            ERROR,
            ANSWERS_SHEET,
            "B5",
            "Q3",
            Msg.TEXT_EDITED.format(found=_short(c.question.upper()), expected=_short(c.question)),
        )
    ]


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def test_an_id_that_is_not_a_criterion_is_reported(make_return, catalogue: Catalogue) -> None:
    path = _complete(make_return, catalogue)
    set_cells(path, ANSWERS_SHEET, {"A46": "Q41", "D46": "Yes"})
    sub = read_return(path, catalogue)
    assert sub.issues == [Issue(ERROR, ANSWERS_SHEET, "A46", "", Msg.UNKNOWN_ID.format(value="Q41"))]


def test_an_added_sheet_is_reported_and_ignored(make_return, catalogue: Catalogue) -> None:
    path = _complete(make_return, catalogue)
    wb = load_workbook(path)
    wb.create_sheet("My notes")["A1"] = "Q1 Maybe"
    wb.save(path)
    sub = read_return(path, catalogue)
    assert sub.status == VALID
    assert sub.issues == [Issue(WARNING, "My notes", "", "", Msg.EXTRA_SHEET.format(sheet="My notes"))]


def test_an_edited_answer_list_is_reported_and_the_catalogue_applies(make_return, catalogue: Catalogue) -> None:
    answers = all_labels(catalogue)
    path = make_return(answers=answers)
    wb = load_workbook(path)
    wb[ids.SHEET_LISTS]["C3"] = "Sort of"  # Q1's second answer
    wb.save(path)
    sub = read_return(path, catalogue)
    assert sub.status == VALID and sub.assessment.pillars[0].score == 30
    assert sub.issues == [Issue(WARNING, ids.SHEET_LISTS, "C2", "Q1", Msg.LISTS_CHANGED.format(criterion="Q1"))]


def test_same_answers_in_different_bytes_count_once_and_different_answers_conflict(
    tmp_path: Path, make_return, catalogue: Catalogue
) -> None:
    from rai_xl.core.collection import Fate, sort_out

    first = _complete(make_return, catalogue, "a.xlsx")
    copy = tmp_path / "b.xlsx"
    wb = load_workbook(first)
    wb.properties.title = "saved again by the official"  # same answers, different bytes
    wb.save(copy)
    subs = [read_return(p, catalogue) for p in (first, copy)]
    assert subs[0].sha256 != subs[1].sha256
    rnd = sort_out(subs, None)
    assert [(e.submission.path.name, e.status, e.reason) for e in rnd.entries] == [
        ("a.xlsx", Fate.INCLUDED, ""),
        ("b.xlsx", Fate.SUPERSEDED, "the same as a.xlsx; counted once"),
    ]
    changed = _complete(make_return, catalogue, "c.xlsx")
    set_cells(changed, ANSWERS_SHEET, {answer_cell(5): "No"})
    rnd = sort_out([*subs, read_return(changed, catalogue)], None)
    assert [e.status for e in rnd.entries] == [Fate.CONFLICT, Fate.SUPERSEDED, Fate.CONFLICT]  # same date: undecided


def test_many_files_read_in_parallel_come_back_in_order(
    tmp_path: Path, make_return, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rai_xl.read import intake

    monkeypatch.setattr(intake, "PARALLEL_FROM", 2)
    big = _complete(make_return, catalogue, "m-big.xlsx")
    files = [big]
    for i in range(7):
        small = tmp_path / f"{chr(97 + i)}-note.txt"
        small.write_text("x")
        files.append(small)
    files.append(_complete(make_return, catalogue, "z-big.xlsx", country="KH"))
    found = [intake.Found(p, False) for p in files]
    assert [s.path for s in intake.read_all(found)] == files


# ---------------------------------------------------------------- issue 11: collecting returns


def test_a_blank_return_is_not_an_assessment(tmp_path: Path, make_return, catalogue: Catalogue) -> None:
    from rai_xl.core.collection import Fate, sort_out

    blank = make_return("blank.xlsx", country="KH")
    full = _complete(make_return, catalogue, "full.xlsx")
    result = run_cli("validate", blank)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{blank} (Cambodia 2026): blank: no answers yet; counted as not submitted",
        f"  WARNING: blank.xlsx, sheet 'Criteria': {Msg.BLANK_RETURN.format(count=40)}",
        "1 file(s): 1 blank",
    ]
    rnd = sort_out([read_return(blank, catalogue), read_return(full, catalogue)], None)
    assert [(e.status, e.reason) for e in rnd.entries] == [
        (Fate.BLANK, "no answers yet; counted as not submitted"),
        (Fate.INCLUDED, ""),
    ]
    assert list(rnd.included) == ["LA"]
    assert [c.code for c in rnd.not_submitted(catalogue)] == ["BN", "KH", "ID", "MY", "MM", "PH", "SG", "TH", "TL", "VN"]
    assert rnd.has_problems


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("2026-03-01", "2026-04-15", "second"),
        ("2026-04-15", "2026-03-01", "first"),
        ("2026-03-01", "2026-03-01", "conflict: equal completion dates"),
        ("2026-03-01", "", "conflict: a completion date is missing or not a date"),
    ],
)
def test_a_revised_return_supersedes_by_completion_date(
    make_return, catalogue: Catalogue, first: str, second: str, expected: str
) -> None:
    from rai_xl.core.collection import Fate, sort_out

    a = _complete(make_return, catalogue, "a.xlsx", respondent={"date_completed": first})
    b = _complete(make_return, catalogue, "b.xlsx", respondent={"date_completed": second})
    set_cells(b, ANSWERS_SHEET, {answer_cell(5): "No", answer_cell(33): "No"})
    rnd = sort_out([read_return(a, catalogue), read_return(b, catalogue)], None)
    got = [(e.status, e.reason) for e in rnd.entries]
    if expected == "second":
        assert got == [
            (Fate.SUPERSEDED, f"b.xlsx replaces it (completed {second}, after {first}); answers changed: Q5, Q33"),
            (Fate.INCLUDED, ""),
        ]
        assert rnd.included["LA"].path == b
    elif expected == "first":
        assert got == [
            (Fate.INCLUDED, ""),
            (Fate.SUPERSEDED, f"a.xlsx replaces it (completed {first}, after {second}); answers changed: Q5, Q33"),
        ]
    else:
        why = expected.removeprefix("conflict: ")
        reason = f"2 returns differ (a.xlsx, b.xlsx) and {why}; none used until one is removed"
        assert got == [(Fate.CONFLICT, reason), (Fate.CONFLICT, reason)]
        assert rnd.included == {} and [s.path for s in rnd.conflicts()["LA"]] == [a, b]


def test_one_wrong_answer_does_not_erase_a_country(tmp_path: Path, make_return, catalogue: Catalogue) -> None:
    from rai_xl.core.collection import Fate, sort_out

    answers = all_labels(catalogue)
    answers["Q1"] = "Maybe"
    answers["Q12"] = "Sort of"
    sub = read_return(make_return(answers=answers), catalogue)
    assert sub.status == INVALID and sub.refused == ["Q1", "Q12"]
    assert [(p.score, p.answered, p.complete) for p in sub.assessment.pillars] == [
        (27.0, 9, False),
        (27.0, 9, False),
        (30.0, 10, True),
        (30.0, 10, True),
    ]
    rnd = sort_out([sub], None)
    assert [(e.status, e.reason) for e in rnd.entries] == [
        (
            Fate.TO_FIX,
            "answers not accepted, counted as unanswered: Q1, Q12; incomplete: pillar 1 lacks Q1, pillar 2 lacks Q12",
        )
    ]
    assert rnd.has_problems
    out = tmp_path / "regional.xlsx"
    assert run_cli("consolidate", tmp_path, "--output", out).exit_code == 1
    assert out.exists()
    strict = run_cli("consolidate", tmp_path / "return.xlsx", "--output", tmp_path / "strict.xlsx", "--strict")
    assert strict.exit_code == 1 and not (tmp_path / "strict.xlsx").exists()


def test_an_error_about_the_file_leaves_it_unscored(make_return, catalogue: Catalogue) -> None:
    path = _complete(make_return, catalogue)
    set_identity(path, "country", "MY", where=("properties", "lists", "start"))  # Respondent still says Lao PDR
    sub = read_return(path, catalogue)
    assert sub.status == INVALID and sub.assessment is None and sub.refused == []


@pytest.mark.parametrize(
    ("details", "expected"),
    [
        ({"email": "kham at mtc.gov.la"}, [("B10", Msg.EMAIL_ODD.format(value="kham at mtc.gov.la"))]),
        ({"email": "kham@mtc"}, [("B10", Msg.EMAIL_ODD.format(value="kham@mtc"))]),
        ({"date_completed": "31/03/2026"}, []),
        ({"date_completed": "31-Mar-2026"}, []),
        ({"date_completed": "03/04/2026"}, [("B11", Msg.DATE_AMBIGUOUS.format(value="03/04/2026"))]),
        ({"date_completed": "end of March"}, [("B11", Msg.DATE_UNREADABLE.format(value="end of March"))]),
        (  # openpyxl writes no cached value, so the cell is empty too
            {"date_completed": "=TODAY()"},
            [
                ("B11", Msg.DETAIL_MISSING.format(label="Date completed (YYYY-MM-DD)")),
                ("B11", Msg.DATE_FORMULA.format(formula="=TODAY()")),
            ],
        ),
        (
            {"date_completed": "2024-12-31"},
            [("B11", Msg.DATE_OUTSIDE.format(value="2024-12-31", year=2026, first="2026-01-01", last="2027-12-31"))],
        ),
        ({"date_completed": datetime(2027, 12, 31)}, []),
        (
            {"agency": "", "name": " "},
            [
                ("B7", Msg.DETAIL_MISSING.format(label="Agency / ministry")),
                ("B8", Msg.DETAIL_MISSING.format(label="Name of respondent")),
            ],
        ),
    ],
)
def test_respondent_details_are_checked_with_warnings(
    make_return, catalogue: Catalogue, details: dict, expected: list
) -> None:
    sub = read_return(_complete(make_return, catalogue, respondent=details), catalogue)
    assert sub.status == VALID
    assert sub.issues == [Issue(WARNING, ids.SHEET_RESPONDENT, cell, "", message) for cell, message in expected]


def test_validate_reports_revisions_conflicts_and_the_chase_list(tmp_path: Path, make_return, catalogue: Catalogue) -> None:
    who = {"name": "Kham", "position": "Director", "agency": "MTC", "email": "kham@mtc.gov.la"}
    _complete(make_return, catalogue, "la-1.xlsx", respondent={**who, "date_completed": "2026-03-01"})
    la2 = _complete(make_return, catalogue, "la-2.xlsx", respondent={**who, "date_completed": "2026-04-01"})
    set_cells(la2, ANSWERS_SHEET, {answer_cell(7): "No"})
    _complete(make_return, catalogue, "kh-1.xlsx", country="KH")
    kh2 = _complete(make_return, catalogue, "kh-2.xlsx", country="KH")
    set_cells(kh2, ANSWERS_SHEET, {answer_cell(2): "No"})
    make_return("id-blank.xlsx", country="ID")
    answers = all_labels(catalogue)
    answers["Q3"] = "Maybe"
    make_return("th.xlsx", country="TH", answers=answers)
    result = run_cli("validate", tmp_path, "--year", "2026")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    start = lines.index("Revised and conflicting returns (2026):")
    contact = "Test Respondent (Director, Ministry of Technology and Communications) <respondent@example.gov>"
    conflict = "conflict: 2 returns differ (kh-1.xlsx, kh-2.xlsx) and equal completion dates; none used until one is removed"
    assert lines[start:] == [
        "Revised and conflicting returns (2026):",
        f"  {tmp_path / 'kh-1.xlsx'}: {conflict}",
        f"  {tmp_path / 'kh-2.xlsx'}: {conflict}",
        f"  {tmp_path / 'la-1.xlsx'}: superseded: la-2.xlsx replaces it (completed 2026-04-01, after 2026-03-01); "
        "answers changed: Q7",
        "Chase list 2026: 3 of 11 Member States replied (27%)",
        "  Brunei Darussalam: not replied",
        f"  Cambodia: conflict; 2 returns differ: keep one; contact: {contact}; completed 2026-03-31, 2026-03-31",
        f"  Indonesia: blank return; the questionnaire came back with no answers; contact: {contact}; completed 2026-03-31",
        "  Lao PDR: complete; contact: Kham (Director, MTC) <kham@mtc.gov.la>; completed 2026-04-01",
        "  Malaysia: not replied",
        "  Myanmar: not replied",
        "  Philippines: not replied",
        "  Singapore: not replied",
        f"  Thailand: answers to fix; answers not accepted: Q3; contact: {contact}; completed 2026-03-31",
        "  Timor-Leste: not replied",
        "  Viet Nam: not replied",
        "6 file(s): 1 included, 1 included with answers to fix, 1 blank, 1 superseded, 2 conflict",
    ]


def test_a_regional_workbook_among_returns_is_skipped_with_advice(catalogue: Catalogue) -> None:
    regional = Path(__file__).resolve().parents[1] / "samples" / "regional-2025.xlsx"
    sub = read_return(regional, catalogue)
    assert sub.status == SKIPPED
    assert sub.issues == [Issue(NOTE, "", "", "", Msg.REGIONAL_WORKBOOK.format())]


# ---------------------------------------------------------------- what officials obviously meant


@pytest.mark.parametrize(
    ("criterion", "typed", "label", "how"),
    [
        ("Q11", "Yes", "Yes (at least signatory to one)", "short form of the answer completed"),
        ("Q1", "Yes.", "Yes", "quotes or end punctuation removed"),
        ("Q1", "YES!", "Yes", "quotes or end punctuation removed and letter case corrected"),
        ("Q1", "\u201cNo\u201d", "No", "quotes or end punctuation removed"),
        ("Q1", "\ufeffYes", "Yes", "invisible characters removed"),
        ("Q1", "Ye\u00ads\u200b", "Yes", "invisible characters removed"),
        ("Q1", "Announced / Upcoming", "Announced/Upcoming", "spaces around '/' removed"),
    ],
)
def test_noise_around_an_answer_is_tidied_and_said(
    make_return, catalogue: Catalogue, criterion: str, typed: str, label: str, how: str
) -> None:
    answers = all_labels(catalogue)
    answers[criterion] = typed
    sub = read_return(make_return(answers=answers), catalogue)
    assert sub.status == VALID
    number = int(criterion[1:])
    assert sub.issues == [
        Issue(
            WARNING,
            ANSWERS_SHEET,
            answer_cell(number),
            criterion,
            Msg.ACCEPTED_FIXED.format(value=typed, label=label, how=how),
        )
    ]
    assert sub.answers[criterion] == catalogue.criterion(criterion).answer_by_label(label).code


def test_a_near_miss_is_refused_with_a_suggestion(make_return, catalogue: Catalogue) -> None:
    answers = all_labels(catalogue)
    answers["Q1"] = "Yess"
    sub = read_return(make_return(answers=answers), catalogue)
    allowed = "; ".join(f"'{x}'" for x in catalogue.criterion("Q1").labels)
    assert sub.errors == [
        Issue(
            ERROR,
            ANSWERS_SHEET,
            answer_cell(1),
            "Q1",
            Msg.NOT_ALLOWED.format(value="Yess", allowed=allowed) + Msg.DID_YOU_MEAN.format(label="Yes"),
        )
    ]


@pytest.mark.parametrize(("typed", "name"), [("Vietnam", "Viet Nam"), ("Laos", "Lao PDR"), ("brunei", "Brunei Darussalam")])
def test_a_country_typed_by_its_usual_name_is_accepted_and_said(
    make_return, catalogue: Catalogue, typed: str, name: str
) -> None:
    path = make_return(country=None, answers=all_labels(catalogue), respondent={"country": typed})
    sub = read_return(path, catalogue)
    assert sub.status == VALID and sub.country.name == name
    assert sub.issues == [
        Issue(WARNING, ids.SHEET_RESPONDENT, "B5", "", Msg.COUNTRY_ACCEPTED.format(value=typed, name=name))
    ]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-03-31", date(2026, 3, 31)),
        ("2026-03-31 14:05", date(2026, 3, 31)),
        ("2026/3/31", date(2026, 3, 31)),
        ("31/03/2026", date(2026, 3, 31)),
        ("31.3.2026", date(2026, 3, 31)),
        ("3/31/2026", date(2026, 3, 31)),
        ("04/04/2026", date(2026, 4, 4)),
        ("31-Mar-2026", date(2026, 3, 31)),
        ("31 March 2026", date(2026, 3, 31)),
        ("March 31, 2026", date(2026, 3, 31)),
        ("03/04/2026", None),  # 3 April or 4 March: not guessed
        ("2026-02-30", None),
        ("２０２６-03-31", None),
        ("soon", None),
    ],
)
def test_completion_dates_as_people_type_them(typed: str, expected: date | None) -> None:
    from rai_xl.core.text import read_date

    assert read_date(typed) == expected


def test_day_first_dates_decide_a_revision(make_return, catalogue: Catalogue) -> None:
    from rai_xl.core.collection import Fate, sort_out

    a = _complete(make_return, catalogue, "a.xlsx", respondent={"date_completed": "31/03/2026"})
    b = _complete(make_return, catalogue, "b.xlsx", respondent={"date_completed": "15-Apr-2026"})
    set_cells(b, ANSWERS_SHEET, {answer_cell(9): "No"})
    rnd = sort_out([read_return(a, catalogue), read_return(b, catalogue)], None)
    assert [e.status for e in rnd.entries] == [Fate.SUPERSEDED, Fate.INCLUDED]


# ---------------------------------------------------------------- what a tester found officials doing


def test_an_untouched_prefilled_questionnaire_is_not_a_reply(tmp_path: Path, catalogue: Catalogue) -> None:
    from rai_xl.write.questionnaire import Prefill, write_questionnaire
    from tests.helpers import RESPONDENT
    from tools.make_samples import fill

    path = tmp_path / "sent.xlsx"
    prefill = Prefill(2025, {c.id: c.labels[0] for c in catalogue.criteria}, {})
    write_questionnaire(catalogue, path, country=catalogue.country("LA"), year=2026, prefill=prefill)
    sub = read_return(path, catalogue)
    assert sub.prefilled and sub.blank
    assert sub.issues == [Issue(WARNING, ids.SHEET_RESPONDENT, "", "", Msg.PREFILLED_UNTOUCHED.format())]
    fill(path, {}, {}, {"name": "Kham"})  # one detail is enough to say someone answered it
    answered = read_return(path, catalogue)
    assert answered.prefilled and not answered.blank and answered.complete
    assert [i.code for i in answered.issues] == ["DETAIL_MISSING"] * 3  # agency, email, date: still asked for
    fill(path, {}, {}, RESPONDENT)  # the official confirms by filling in who they are
    confirmed = read_return(path, catalogue)
    assert confirmed.prefilled and not confirmed.blank and confirmed.complete and confirmed.issues == []


def test_a_renamed_criteria_sheet_is_found_by_its_table(make_return, catalogue: Catalogue) -> None:
    path = _complete(make_return, catalogue)
    wb = load_workbook(path)
    wb[ANSWERS_SHEET].title = "Criteria (2)"
    wb.save(path)
    sub = read_return(path, catalogue)
    assert sub.status == VALID and sub.complete
    assert sub.issues == [Issue(WARNING, "Criteria (2)", "", "", Msg.CRITERIA_RENAMED.format(sheet="Criteria (2)"))]


def test_the_renamed_criteria_sheet_is_said_before_what_was_found_on_it(make_return, catalogue: Catalogue) -> None:
    answers = {cid: label for cid, label in all_labels(catalogue).items() if cid != "Q1"}
    path = make_return("return.xlsx", answers=answers)
    wb = load_workbook(path)
    wb[ANSWERS_SHEET].title = "Criteria (2)"
    wb.save(path)
    assert [i.code for i in read_return(path, catalogue).issues] == ["CRITERIA_RENAMED", "BLANK"]


def test_a_renamed_evidence_header_is_said_not_silently_dropped(make_return, catalogue: Catalogue) -> None:
    path = _complete(make_return, catalogue, evidence={"Q1": "Decree 12"})
    set_cells(path, ANSWERS_SHEET, {"F1": "Sources"})
    sub = read_return(path, catalogue)
    assert sub.issues == [
        Issue(WARNING, ANSWERS_SHEET, "A1", "", Msg.MISSING_COLUMN.format(column="Evidence / source documents"))
    ]


def test_a_broken_link_and_other_spreadsheet_formats_are_problems_not_silence(tmp_path: Path) -> None:
    (tmp_path / "gone.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    (tmp_path / "kh.gnumeric").write_bytes(b"\x1f\x8b gnumeric")
    result = run_cli("validate", tmp_path, "--json")
    assert result.exit_code == 1
    verdicts = {Path(o["file"]).name: (o["status"], [i["message"] for i in o["issues"]]) for o in json.loads(result.stdout)}
    assert verdicts == {
        "gone.xlsx": (INVALID, [Msg.CANNOT_OPEN.format(reason="No such file or directory")]),
        "kh.gnumeric": (INVALID, [Msg.OTHER_SPREADSHEET.format(what="a Gnumeric workbook (.gnumeric)")]),
    }


def test_zipped_returns_are_named_with_advice(tmp_path: Path, make_return, catalogue: Catalogue) -> None:
    import zipfile

    path = _complete(make_return, catalogue)
    folder = tmp_path / "in"
    folder.mkdir()
    with zipfile.ZipFile(folder / "returns.zip", "w") as zf:
        zf.write(path, "returns/RAI-LA.xlsx")
        zf.writestr("__MACOSX/returns/._RAI-LA.xlsx", b"junk")
    result = run_cli("validate", folder)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: no spreadsheets (.xlsx or .ods) found in {folder}; it holds zip archives (returns.zip): unzip them first"
    )
    result = run_cli("validate", folder / "returns.zip")
    assert result.stdout.splitlines()[1] == (
        "  ERROR: returns.zip: "
        + Msg.NAMED_NOT_SPREADSHEET.format(
            what="a zip archive holding 1 workbook(s) (RAI-LA.xlsx): unzip it and give the workbooks to rai-xl"
        )
    )


def test_the_chase_list_names_unusable_and_wrong_year_returns(tmp_path: Path, make_return, catalogue: Catalogue) -> None:
    _complete(make_return, catalogue, "la.xlsx")
    _complete(make_return, catalogue, "kh-2025.xlsx", country="KH", year=2025)
    mm = _complete(make_return, catalogue, "mm.xlsx", country="MM")
    set_identity(mm, "country", "TH", where=("properties", "lists", "start"))  # issued for Thailand, says Myanmar
    result = run_cli("validate", tmp_path, "--year", "2026")
    lines = result.stdout.splitlines()
    contact = "Test Respondent (Director, Ministry of Technology and Communications) <respondent@example.gov>"
    assert (
        "  Cambodia: other year; sent the 2025 questionnaire, not this round's (2026); "
        + (f"contact: {contact}; completed 2026-03-31")
        in lines
    )
    (thai,) = [line for line in lines if line.startswith("  Thailand:")]
    assert thai.startswith("  Thailand: rejected; the return cannot be used: the country reads 'Myanmar'")
    assert "Chase list 2026: 2 of 11 Member States replied (18%)" in lines


def test_a_wrong_previous_is_refused_before_the_returns_are_read(tmp_path: Path, make_return, catalogue: Catalogue) -> None:
    from tests.reader_features import ods_bytes

    only = _complete(make_return, catalogue, "only.xlsx")
    result = run_cli("consolidate", tmp_path, "--previous", only, "--output", tmp_path / "out.xlsx")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: --previous only.xlsx is a rai-xl questionnaire (a return), not a regional workbook; "
        "--previous expects a regional workbook written by rai-xl consolidate"
    )
    ods = tmp_path / "regional-2025.ods"
    ods.write_bytes(ods_bytes({"Overview": ""}))
    result = run_cli("consolidate", only, "--previous", ods, "--output", tmp_path / "out.xlsx")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: --previous regional-2025.ods is saved as .ods; rai-xl reads an earlier regional workbook from .xlsx "
        "only: open it and save it as Excel Workbook (.xlsx)"
    )
    assert not (tmp_path / "out.xlsx").exists()
