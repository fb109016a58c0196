"""`rai-xl consolidate`: which files a round uses (conflicts, copies, broken and lock files, other years, incomplete
returns) and how the regional workbook lists them; the bundled samples."""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from openpyxl import load_workbook

from rai_xl.method.catalogue import Catalogue
from tests.helpers import (
    ASEAN,
    ISSUE_HEADS,
    KH_POINTS,
    LA_POINTS,
    NAMES,
    SAMPLES,
    SG_POINTS,
    SUBMISSION_HEADS,
    TABLES,
    all_text,
    consolidate,
    labels_for,
    records,
    sha,
    submissions,
    table_rows,
    tier_table,
)

# ---------------------------------------------------------------- cases


def consolidated_here(tmp_path: Path) -> tuple[Result, Path]:
    """The returns made in *tmp_path* consolidated into out/regional.xlsx there: the result and that path."""
    out = tmp_path / "out" / "regional.xlsx"
    out.parent.mkdir()
    return consolidate(tmp_path, out), out


def test_conflict_neither_used(make_return: Callable[..., Path], catalogue: Catalogue, tmp_path: Path) -> None:
    make_return("la-a.xlsx", "LA", answers=labels_for(catalogue, {f"Q{i}": 3 for i in range(1, 41)}))
    make_return("la-b.xlsx", "LA", answers=labels_for(catalogue, {f"Q{i}": 0 for i in range(1, 41)}))
    make_return("sg.xlsx", "SG", answers=labels_for(catalogue, SG_POINTS))
    result, out = consolidated_here(tmp_path)
    assert result.exit_code == 1, result.output
    wb = load_workbook(out)
    assert "Lao PDR" not in wb.sheetnames and "Singapore" in wb.sheetnames
    subs = submissions(wb)
    assert subs["la-a.xlsx"]["Status"] == subs["la-b.xlsx"]["Status"] == "conflict"
    assert "la-a.xlsx" in subs["la-a.xlsx"]["Reason"] and "la-b.xlsx" in subs["la-a.xlsx"]["Reason"]
    assert subs["sg.xlsx"]["Status"] == "included"
    _, scores = table_rows(wb["Scores"], "Scores")
    assert {r[0] for r in scores} == {"SG"}
    _, answers = table_rows(wb["Answers"], "Answers")
    assert {r[0] for r in answers} == {"SG"}
    table = tier_table(wb["Overview"])
    assert table["Lao PDR"] == ["conflict: 2 returns differ (la-a.xlsx, la-b.xlsx)"] + [None] * 7
    assert table["Cambodia"][0] == "not submitted"
    assert "conflicts: 2" in all_text(wb["Overview"])


def test_identical_duplicate_counted_once(make_return: Callable[..., Path], catalogue: Catalogue, tmp_path: Path) -> None:
    first = make_return("a-LA.xlsx", "LA", answers=labels_for(catalogue, LA_POINTS))
    shutil.copy(first, tmp_path / "b-LA-copy.xlsx")
    make_return("c-SG.xlsx", "SG", answers=labels_for(catalogue, SG_POINTS))
    make_return("d-SG-resaved.xlsx", "SG", answers=labels_for(catalogue, SG_POINTS))
    result, out = consolidated_here(tmp_path)
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    statuses = {name: (r["Status"], r["Reason"]) for name, r in submissions(wb).items()}
    assert statuses["a-LA.xlsx"] == ("included", None)
    assert statuses["b-LA-copy.xlsx"] == ("superseded", "the same as a-LA.xlsx; counted once")
    assert statuses["c-SG.xlsx"] == ("included", None)
    assert statuses["d-SG-resaved.xlsx"] == ("superseded", "the same as c-SG.xlsx; counted once")
    _, scores = table_rows(wb["Scores"], "Scores")
    assert [r[0] for r in scores] == ["LA"] * 4 + ["SG"] * 4


def test_broken_file_rejected_others_included(
    make_return: Callable[..., Path], catalogue: Catalogue, tmp_path: Path
) -> None:
    make_return("la.xlsx", "LA", answers=labels_for(catalogue, LA_POINTS))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(os.urandom(4096))
    result, out = consolidated_here(tmp_path)
    assert result.exit_code == 1, result.output
    assert out.exists()
    wb = load_workbook(out)
    subs = submissions(wb)
    assert subs["broken.xlsx"]["Status"] == "rejected"
    reason = subs["broken.xlsx"]["Reason"]
    assert reason and "\n" not in reason and "Traceback" not in reason
    assert subs["broken.xlsx"]["SHA-256"] == sha(broken)
    assert subs["la.xlsx"]["Status"] == "included"
    issues = records(wb["Issues"], *ISSUE_HEADS)
    assert [(r["File"], r["Severity"], r["Message"]) for r in issues] == [("broken.xlsx", "error", reason)]
    assert "rejected: 1" in all_text(wb["Overview"])
    assert tier_table(wb["Overview"])["Lao PDR"][:2] == [10.5, "Emerging"]


def test_lock_file_skipped_without_failing(make_return: Callable[..., Path], catalogue: Catalogue, tmp_path: Path) -> None:
    make_return("la.xlsx", "LA", answers=labels_for(catalogue, LA_POINTS))
    lock = tmp_path / "~$la.xlsx"
    lock.write_bytes(b"\x0bSomeone    " + bytes(150))
    result, out = consolidated_here(tmp_path)
    assert result.exit_code == 0, result.output
    assert "~$la.xlsx: skipped: this is an Excel lock file" in result.output
    wb = load_workbook(out)
    rows = records(wb["Submissions"], *SUBMISSION_HEADS)
    assert [(Path(r["File"]).name, r["Status"]) for r in rows] == [("la.xlsx", "included"), ("~$la.xlsx", "skipped")]
    assert rows[1]["Reason"].startswith("this is an Excel lock file")
    assert rows[1]["SHA-256"] == sha(lock)  # every input file is listed with its SHA-256
    assert rows[0]["SHA-256"] == sha(tmp_path / "la.xlsx")


def test_every_submission_listed_with_its_sha256(
    make_return: Callable[..., Path], catalogue: Catalogue, tmp_path: Path
) -> None:
    files = [
        make_return("a-la.xlsx", "LA", answers=labels_for(catalogue, LA_POINTS)),
        make_return("b-kh-1.xlsx", "KH", answers=labels_for(catalogue, SG_POINTS)),
        make_return("b-kh-2.xlsx", "KH", answers=labels_for(catalogue, KH_POINTS)),
    ]
    shutil.copy(files[0], tmp_path / "c-la-copy.xlsx")
    (tmp_path / "d-broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "~$a-la.xlsx").write_bytes(b"lock")
    (tmp_path / "notes.txt").write_text("cover letter", encoding="utf-8")
    result, out = consolidated_here(tmp_path)
    assert result.exit_code == 1
    got = {name: (r["SHA-256"], r["Status"]) for name, r in submissions(load_workbook(out)).items()}
    assert {name: status for name, (_, status) in got.items()} == {
        "a-la.xlsx": "included",
        "b-kh-1.xlsx": "conflict",
        "b-kh-2.xlsx": "conflict",
        "c-la-copy.xlsx": "superseded",
        "d-broken.xlsx": "rejected",
        "notes.txt": "skipped",
        "~$a-la.xlsx": "skipped",
    }
    for name, (digest, _) in got.items():
        assert digest == sha(tmp_path / name), name


def test_not_submitted_countries_on_overview(make_return: Callable[..., Path], catalogue: Catalogue, tmp_path: Path) -> None:
    make_return("vn.xlsx", "VN", answers=labels_for(catalogue, SG_POINTS))
    result, out = consolidated_here(tmp_path)
    assert result.exit_code == 0
    wb = load_workbook(out)
    table = tier_table(wb["Overview"])
    assert table["Viet Nam"] == [30, "Advanced"] * 4
    for code in ASEAN[:-1]:
        assert table[NAMES[code]][0] == "not submitted"
    assert wb.sheetnames[2:4] == ["Viet Nam profile", "Viet Nam"] and "Lao PDR" not in wb.sheetnames
    assert wb["Overview"]._charts


def test_mixed_years_need_year(make_return: Callable[..., Path], catalogue: Catalogue, tmp_path: Path) -> None:
    make_return("la-2026.xlsx", "LA", year=2026, answers=labels_for(catalogue, LA_POINTS))
    make_return("kh-2027.xlsx", "KH", year=2027, answers=labels_for(catalogue, SG_POINTS))
    result, out = consolidated_here(tmp_path)
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(errors) == 1 and "--year" in errors[0] and "2026, 2027" in errors[0]
    assert not out.exists()

    result = consolidate(tmp_path, out, "--year", "2027")
    assert result.exit_code == 0, result.output
    assert "round 2027" in result.output
    wb = load_workbook(out)
    _, scores = table_rows(wb["Scores"], "Scores")
    assert scores == [["KH", "Cambodia", 2027, p, 30, "Advanced", True] for p in range(1, 5)]
    subs = {name: (r["Status"], r["Reason"]) for name, r in submissions(wb).items()}
    assert subs["kh-2027.xlsx"] == ("included", None)
    assert subs["la-2026.xlsx"] == ("other year", "a return for 2026; this round is 2027")
    assert "Lao PDR" not in wb.sheetnames
    assert "2027" in wb["Overview"]["A1"].value


def test_earlier_regional_workbook_in_the_folder_is_not_an_input(
    make_return: Callable[..., Path], catalogue: Catalogue, tmp_path: Path
) -> None:
    make_return("la.xlsx", "LA", answers=labels_for(catalogue, LA_POINTS))
    out = tmp_path / "regional.xlsx"
    assert consolidate(tmp_path, out).exit_code == 0
    result = consolidate(tmp_path, out, "--fresh")
    assert result.exit_code == 0, result.output
    assert list(submissions(load_workbook(out))) == ["la.xlsx"]


def test_incomplete_return_included_exit_1(make_return: Callable[..., Path], catalogue: Catalogue, tmp_path: Path) -> None:
    make_return("kh.xlsx", "KH", answers=labels_for(catalogue, KH_POINTS))
    result, out = consolidated_here(tmp_path)
    assert result.exit_code == 1
    wb = load_workbook(out)
    cambodia = tier_table(wb["Overview"])["Cambodia"]
    assert cambodia == [30, "Advanced", 12, "Promising (provisional)", 15, "Promising", 21, "Advanced"]
    _, scores = table_rows(wb["Scores"], "Scores")
    assert [r[6] for r in scores] == [True, False, True, True]
    assert "Not every return could be used as it is" in all_text(wb["Overview"])


def test_no_usable_return_still_writes_a_workbook(tmp_path: Path) -> None:
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip at all")
    result, out = consolidated_here(tmp_path)
    assert result.exit_code == 1, result.output
    wb = load_workbook(out)
    assert [s for s in wb.sheetnames if s in NAMES.values()] == []
    for name, heads in TABLES.items():
        got, rows = table_rows(wb[name], name)
        assert got == heads and rows == []
    assert all(v[0] == "not submitted" for v in tier_table(wb["Overview"]).values())  # the broken file names no country


# ---------------------------------------------------------------- the bundled samples


def test_bundled_samples(tmp_path: Path) -> None:
    before = {p.name: sha(p) for p in SAMPLES.iterdir() if p.is_file()}
    out = tmp_path / "regional.xlsx"
    result = consolidate(SAMPLES, out)
    assert result.exit_code == 1, result.output  # Thailand leaves Q27 and Q28 blank
    assert "11 Member State(s) included, round 2026" in result.output
    assert {p.name: sha(p) for p in SAMPLES.iterdir() if p.is_file()} == before
    wb = load_workbook(out)
    assert wb.sheetnames[:2] == ["Overview", "Criteria"]
    assert wb.sheetnames[2:13] == [f"{NAMES[c]} profile" for c in ASEAN]
    assert wb.sheetnames[13:24] == [NAMES[c] for c in ASEAN]
    assert wb.active.title == "Overview"
    overview = wb["Overview"]
    assert "SYNTHETIC" in all_text(overview)
    table = tier_table(overview)
    assert table["Thailand"][4:6] == [12, "Promising (provisional)"]
    assert table["Brunei Darussalam"][6:8] == [10.5, "Emerging"]
    assert table["Brunei Darussalam"][0:2] == [19.5, "Promising"]
    assert table["Malaysia"][4:6] == [21, "Advanced"]
    _, scores = table_rows(wb["Scores"], "Scores")
    assert [r[0] for r in scores] == [c for c in ASEAN for _ in range(4)]
    answers = {(r[0].value, r[1].value): r for r in wb["Answers"].iter_rows(min_row=2)}
    assert len(answers) == 440
    q1 = answers["PH", "Q1"][4]
    assert q1.value == '=HYPERLINK("http://example.org","synthetic: must stay text")'
    assert q1.data_type == "s"
    with zipfile.ZipFile(out) as z:
        for n in z.namelist():
            if n.startswith("xl/worksheets/sheet"):
                assert "HYPERLINK" not in z.read(n).decode()
    statuses = {name: (r["Status"], r["Reason"]) for name, r in submissions(wb).items()}
    returns = {name: status for name, (status, _) in statuses.items() if name.startswith("RAI-readiness-")}
    assert set(returns.values()) == {"included"} and len(returns) == 11
    # samples/ holds the returns and the previous round's regional workbook, which is not a return
    assert statuses["regional-2025.xlsx"] == (
        "skipped",
        "a regional workbook written by rai-xl consolidate, not a return: give it to consolidate with --previous",
    )
    progress = {name: status for name, (status, _) in statuses.items() if name.startswith("RAI-progress-")}
    assert set(progress.values()) == {"skipped"} and len(progress) == 3  # merged only with --previous
    assert len(statuses) == 15
