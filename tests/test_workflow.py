"""The command line's contract, as one workflow: one vocabulary for files, one rule for exit statuses,
the round for machines, and message codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rai_xl.core.collection import Fate
from rai_xl.issues import Issue, Msg
from rai_xl.method.catalogue import Catalogue
from tests.helpers import ROOT, all_labels, run_cli

SAMPLES = ROOT / "samples"


def _samples(folder: Path, drop: tuple[str, ...] = ()) -> Path:
    """The bundled returns (not the regional workbook), less the countries named in *drop*."""
    folder.mkdir()
    for p in SAMPLES.glob("RAI-readiness-*.xlsx"):
        if not any(name in p.name for name in drop):
            shutil.copy(p, folder / p.name)
    return folder


def test_countries_that_have_not_replied_do_not_change_the_exit_status(tmp_path: Path, make_return, catalogue) -> None:
    """Problems in the input are exit 1; a Member State that has not replied is in the chase list, not a problem."""
    make_return("la.xlsx", "LA", answers=all_labels(catalogue))
    make_return("kh.xlsx", "KH", answers=all_labels(catalogue))
    checked = run_cli("validate", tmp_path, "--year", "2026")
    assert checked.exit_code == 0, checked.output
    assert "Chase list 2026: 2 of 11 Member States replied (18%)" in checked.output
    assert "  Brunei Darussalam: not replied" in checked.output
    assert checked.output.splitlines()[-1] == "2 file(s): 2 included"
    out = tmp_path / "out" / "regional.xlsx"
    out.parent.mkdir()
    made = run_cli("consolidate", tmp_path, "--output", out, "--year", "2026")
    assert made.exit_code == 0, made.output


def test_the_same_problems_give_exit_1_in_validate_and_consolidate(tmp_path: Path, make_return, catalogue) -> None:
    answers = all_labels(catalogue)
    del answers["Q40"]
    make_return("la.xlsx", "LA", answers=answers)  # incomplete: pillar 4 provisional
    assert run_cli("validate", tmp_path).exit_code == 1
    assert run_cli("validate", tmp_path, "--year", "2026").exit_code == 1
    out = tmp_path / "out" / "regional.xlsx"
    out.parent.mkdir()
    assert run_cli("consolidate", tmp_path, "--output", out).exit_code == 1


def test_nine_of_eleven_is_82_percent(tmp_path: Path) -> None:
    returns = _samples(tmp_path / "returns", drop=("Myanmar", "Viet-Nam"))
    result = run_cli("validate", returns, "--year", "2026")
    assert "Chase list 2026: 9 of 11 Member States replied (82%)" in result.output


@pytest.mark.parametrize("command", ["validate", "consolidate", "questionnaire"])
def test_year_0_is_refused_like_any_year_outside_the_roadmap(tmp_path: Path, command: str) -> None:
    args = {
        "validate": ["validate", SAMPLES],
        "consolidate": ["consolidate", SAMPLES, "--output", tmp_path / "r.xlsx"],
        "questionnaire": ["questionnaire", "--country", "LA", "--output", tmp_path / "q.xlsx"],
    }[command]
    result = run_cli(*args, "--year", "0")
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        "Error: Invalid value for '--year': 0 is outside the Roadmap's years (2025-2030)"
    )
    assert list(tmp_path.iterdir()) == []


def test_validate_and_consolidate_say_the_same_word_for_each_file(tmp_path: Path, make_return, catalogue) -> None:
    make_return("a-la.xlsx", "LA", answers=all_labels(catalogue))
    shutil.copy(tmp_path / "a-la.xlsx", tmp_path / "b-la-again.xlsx")
    wrong = all_labels(catalogue)
    wrong["Q3"] = "Maybe"
    make_return("c-kh.xlsx", "KH", answers=wrong)
    make_return("d-id-blank.xlsx", "ID")
    (tmp_path / "~$a-la.xlsx").write_bytes(b"lock")
    checked = run_cli("validate", tmp_path, "--json")
    assert checked.exit_code == 1
    outcomes = {Path(o["file"]).name: (o["status"], o["outcome"]) for o in json.loads(checked.stdout)}
    assert outcomes == {
        "a-la.xlsx": ("valid", "included"),
        "b-la-again.xlsx": ("valid", "superseded"),
        "c-kh.xlsx": ("invalid", "included with answers to fix"),
        "d-id-blank.xlsx": ("valid", "blank"),
        "~$a-la.xlsx": ("skipped", "skipped"),
    }
    text = run_cli("validate", tmp_path).stdout.splitlines()
    assert f"{tmp_path / 'b-la-again.xlsx'} (Lao PDR 2026): superseded: the same as a-la.xlsx; counted once" in text
    assert text[-1] == "5 file(s): 1 included, 1 included with answers to fix, 1 blank, 1 superseded, 1 skipped"
    out = tmp_path / "out" / "regional.xlsx"
    out.parent.mkdir()
    made = run_cli("consolidate", tmp_path, "--output", out)
    assert made.exit_code == 1
    assert made.stdout.splitlines()[0] == text[-1]
    assert f"{tmp_path / 'c-kh.xlsx'}: included with answers to fix: answers not accepted" in made.stderr


def test_round_json_for_machines(tmp_path: Path, make_return, catalogue) -> None:
    returns = tmp_path / "returns"
    returns.mkdir()
    for name in ("la-1.xlsx", "la-2.xlsx"):
        shutil.copy(make_return(name, "LA", answers=all_labels(catalogue)), returns / name)
    report = tmp_path / "round.json"
    result = run_cli("validate", returns, "--year", "2026", "--json", "--round-json", report)
    assert result.exit_code == 0
    assert [o["outcome"] for o in json.loads(result.stdout)] == ["included", "superseded"]  # the per-file list as before
    rnd = json.loads(report.read_text(encoding="utf-8"))
    assert set(rnd) == {"year", "problem", "counts", "files", "chase"}
    assert rnd["year"] == 2026 and rnd["problem"] is None
    assert rnd["counts"] == {"included": 1, "superseded": 1}
    assert rnd["files"][1] == {
        "file": str(returns / "la-2.xlsx"),
        "country": "LA",
        "outcome": "superseded",
        "reason": "the same as la-1.xlsx; counted once",
    }
    assert [(c["country"]["code"], c["state"], c["replied"]) for c in rnd["chase"]][:4] == [
        ("BN", "not replied", False),
        ("KH", "not replied", False),
        ("ID", "not replied", False),
        ("LA", "complete", True),
    ]
    assert rnd["chase"][3]["files"] == ["la-1.xlsx"]
    alone = run_cli("validate", returns, "--round-json", "-")
    assert json.loads(alone.stdout)["counts"] == {"included": 1, "superseded": 1}
    both = run_cli("validate", returns, "--json", "--round-json", "-")
    assert both.exit_code == 2


def test_every_issue_carries_the_code_of_its_message(tmp_path: Path, make_return, catalogue: Catalogue) -> None:
    answers = all_labels(catalogue)
    answers.update({"Q1": "Maybe", "Q3": "yes", "Q4": "=A1"})
    del answers["Q40"]
    make_return("la.xlsx", "LA", answers=answers, respondent={"email": "not an address"})
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "junk.xlsx").write_bytes(b"PK\x03\x04 junk")
    issues = [i for o in json.loads(run_cli("validate", tmp_path, "--json").stdout) for i in o["issues"]]
    codes = [i["code"] for i in issues]
    assert {"NOT_ALLOWED", "ACCEPTED_FIXED", "BLANK", "EMAIL_ODD", "NOT_SPREADSHEET", "UNREADABLE"} <= set(codes)
    assert all(code in Msg.__members__ for code in codes), codes
    assert Issue("error", "", "", "", Msg.NOT_ALLOWED.format(value="x", allowed="y") + "; a hint").code == "NOT_ALLOWED"


def test_fates_are_the_documented_words() -> None:
    assert [str(f) for f in Fate] == [
        "included",
        "included with answers to fix",
        "blank",
        "superseded",
        "conflict",
        "rejected",
        "skipped",
        "other year",
    ]


def test_three_differing_returns_one_undated_conflict(make_return, catalogue: Catalogue) -> None:
    from rai_xl.core.collection import sort_out
    from rai_xl.read.returns import read_return

    subs = []
    for name, when, q in (("a.xlsx", "2026-03-01", "Q1"), ("b.xlsx", "2026-04-01", "Q2"), ("c.xlsx", "", "Q3")):
        answers = all_labels(catalogue)
        answers[q] = "No"
        subs.append(read_return(make_return(name, "LA", answers=answers, respondent={"date_completed": when}), catalogue))
    rnd = sort_out(subs, None)
    assert [e.status for e in rnd.entries] == [Fate.CONFLICT] * 3
    assert rnd.entries[0].reason == (
        "3 returns differ (a.xlsx, b.xlsx, c.xlsx) and a completion date is missing or not a date; "
        "none used until one is removed"
    )
    assert rnd.included == {}


def test_returns_that_differ_only_in_respondent_details_are_a_revision(make_return, catalogue: Catalogue) -> None:
    from rai_xl.core.collection import sort_out
    from rai_xl.read.returns import read_return

    first = make_return("a.xlsx", "LA", answers=all_labels(catalogue), respondent={"date_completed": "2026-03-01"})
    second = make_return(
        "b.xlsx", "LA", answers=all_labels(catalogue), respondent={"date_completed": "2026-03-09", "position": "Deputy"}
    )
    rnd = sort_out([read_return(first, catalogue), read_return(second, catalogue)], None)
    assert [(e.status, e.reason) for e in rnd.entries] == [
        (
            Fate.SUPERSEDED,
            "b.xlsx replaces it (completed 2026-03-09, after 2026-03-01); answers changed: none (other details differ)",
        ),
        (Fate.INCLUDED, ""),
    ]


def test_a_file_named_and_also_inside_a_folder_named_is_read_once(tmp_path: Path, make_return, catalogue) -> None:
    path = make_return("la.xlsx", "LA", answers=all_labels(catalogue))
    result = run_cli("validate", tmp_path, path)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"{path} (Lao PDR 2026): included", "1 file(s): 1 included"]


def test_replacing_a_regional_workbook_without_reading_it_is_refused(tmp_path: Path) -> None:
    """The hint that wiped the record: --force over a regional workbook holding entries or History."""
    returns = _samples(tmp_path / "returns")
    out = tmp_path / "regional-2026.xlsx"
    shutil.copy(SAMPLES / "regional-2025.xlsx", out)  # holds typed entries and a round of History
    before = out.read_bytes()
    again = run_cli("consolidate", returns, "--output", out)
    assert again.exit_code == 2
    assert "--force" not in again.output  # one piece of advice, that works when followed: not --force, then refused
    forced = run_cli("consolidate", returns, "--output", out, "--force")
    assert forced.exit_code == 2
    assert again.output == forced.output
    held = forced.output.strip().removeprefix(f"Error: {out} is a regional workbook holding ").split(":")[0]
    entries, rounds = int(held.split()[0]), int(held.split(" and ")[1].split()[0])
    assert entries > 0 and rounds == 1
    assert forced.output.strip() == (
        f"Error: {out} is a regional workbook holding {held}: add --previous regional-2026.xlsx to carry its entries "
        f"(or --fresh to start the record again, discarding {held})"
    )
    assert out.read_bytes() == before  # nothing written
    carried = run_cli("consolidate", returns, "--output", out, "--previous", out)  # the advice works
    assert carried.exit_code == 1 and "carried from regional-2026.xlsx (2025)" in carried.stdout
    fresh = run_cli("consolidate", returns, "--output", out, "--fresh")
    assert fresh.exit_code == 1
    assert "--fresh: the record was started again; discarded " in fresh.stdout


def test_force_still_replaces_a_workbook_that_holds_no_record(tmp_path: Path) -> None:
    returns = _samples(tmp_path / "returns")
    out = tmp_path / "other.xlsx"
    out.write_bytes(b"not a workbook at all")
    assert run_cli("consolidate", returns, "--output", out, "--force").exit_code == 1  # Thailand is incomplete
    assert out.read_bytes()[:2] == b"PK"


def test_reading_returns_loads_no_writer() -> None:
    """A reader process (validate's workers) never loads xlsxwriter, the report or any writer."""
    import subprocess
    import sys

    writers = (
        "xlsxwriter",
        "rai_xl.write.regional.workbook",
        "rai_xl.write.regional.trackers",
        "rai_xl.write.questionnaire",
        "rai_xl.write.progress",
    )
    probe = (
        "import sys, rai_xl.read.intake, rai_xl.read.returns, rai_xl.read.previous, rai_xl.read.progress_returns;"
        f"print(sorted({{m.split('.')[0] if m.startswith('xlsxwriter') else m"
        f" for m in sys.modules if m.startswith({writers!r})}}))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_terminal_names_a_member_state_without_a_return(tmp_path: Path) -> None:
    returns = _samples(tmp_path / "returns", drop=("Viet-Nam",))
    out = tmp_path / "regional-2026.xlsx"
    result = run_cli("consolidate", returns, "--previous", SAMPLES / "regional-2025.xlsx", "--output", out)
    assert result.exit_code == 1  # Thailand's sample is incomplete
    assert result.stdout.splitlines() == [
        "10 file(s): 10 included",
        "no return for 2026: Viet Nam (its 2025 plan kept)",
        f"wrote {out}: 10 Member State(s) included, round 2026; carried from regional-2025.xlsx (2025)",
    ]


def test_complete_is_a_boolean_in_the_tables_other_tools_read(tmp_path: Path) -> None:
    """TRUE/FALSE cells, not the text 'TRUE' nor the number 1 (which compares equal to True in Python)."""
    import openpyxl

    returns = _samples(tmp_path / "returns")
    out = tmp_path / "regional-2026.xlsx"
    run_cli("consolidate", returns, "--previous", SAMPLES / "regional-2025.xlsx", "--output", out)
    wb = openpyxl.load_workbook(out)
    for name in ("Scores", "History"):
        ws = wb[name]
        col = [c.value for c in ws[1]].index("Complete") + 1
        cells = [ws.cell(r, col) for r in range(2, ws.max_row + 1) if ws.cell(r, col).value is not None]
        assert len(cells) >= 44, name
        assert {(c.data_type, type(c.value)) for c in cells} == {("b", bool)}, name
