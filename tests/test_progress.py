"""Progress workbooks: written from a regional workbook, filled, read back, merged into the trackers."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl

from tests.helpers import edited_lao_tracker, records, run_cli, tracker_row
from tests.helpers import fill_progress as _fill
from tests.helpers import progress_rows as _rows

SAMPLES = Path(__file__).parent.parent / "samples"
THAI = "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"
LAO = "ກະຊວງເຕັກໂນໂລຊີ ແລະ ການສື່ສານ"


IDENTITY_LABELS = (
    "Template", "Schema version", "Methodology version", "Country code", "Round (assessment year)",
    "Made from regional workbook", "Made on",
)  # fmt: skip


def test_progress_workbook_holds_the_plan_identity_and_locks(made: Path) -> None:
    wb = openpyxl.load_workbook(made / "RAI-progress-2026-Lao-PDR.xlsx")
    assert wb.sheetnames == ["Start here", "Progress", "Summary", "Lists", "As made"]
    assert [wb[n].sheet_state for n in wb.sheetnames] == ["visible"] * 3 + ["hidden"] * 2
    assert all(wb[n].protection.sheet for n in wb.sheetnames)
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props["rai_xl_template_id"] == "rai-xl/progress-workbook"
    assert (props["rai_xl_country"], props["rai_xl_round"], props["rai_xl_made_from"]) == ("LA", "2026", "regional.xlsx")
    start = wb["Start here"]
    labels = {start.cell(r, 1).value: start.cell(r, 2).value for r in range(1, start.max_row + 1)}
    made_on = labels["Made on"]
    assert {k: v for k, v in labels.items() if k in IDENTITY_LABELS} == {
        "Template": "rai-xl/progress-workbook", "Schema version": "1", "Methodology version": "2025-2030.1",
        "Country code": "LA", "Round (assessment year)": "2026", "Made from regional workbook": "regional.xlsx",
        "Made on": made_on,
    }  # fmt: skip
    assert date.fromisoformat(made_on)
    ws = wb["Progress"]
    assert [ws.cell(4, c).value for c in range(1, 13)] == [
        "Milestone ID", "Pillar", "Action area", "Sub-action", "Term", "Milestone", "Status", "Lead agency",
        "Target date", "Notes", "Evidence of progress", "rai-xl key: LA",
    ]  # fmt: skip
    row = _rows(ws)["E1.4.1.S1"]
    assert [ws.cell(row, c).value for c in (1, 2, 3, 4, 7)] == ["E1.4.1.S1", 1, "E1.4", "E1.4.1", "Not started"]
    assert ws.cell(row, 7).protection.locked is False and ws.cell(row, 6).protection.locked is True
    assert ws.cell(row - 1, 1).value.startswith("Measures of progress: ")
    status = next(v for v in ws.data_validations.dataValidation if "G" in str(v.sqref))
    assert status.formula1 == "L_STATUS" and status.errorStyle in (None, "stop")
    assert [wb["Lists"].cell(r, 1).value for r in range(2, 7)] == [
        "Not started", "Planned", "In progress", "Completed", "Not applicable",
    ]  # fmt: skip
    summary = wb["Summary"]
    assert summary["C5"].value.startswith("=COUNTIF(") and summary["D4"].value == "Not started"


def test_prefilled_with_what_the_tracker_holds(made: Path, tmp_path: Path) -> None:
    edited_lao_tracker(made, tmp_path / "edited.xlsx", "E1.4.1.S1", {7: "Planned", 8: LAO, 9: 2027})
    out = tmp_path / "LA.xlsx"
    assert run_cli("progress", "--previous", tmp_path / "edited.xlsx", "--country", "Laos", "--output", out).exit_code == 0
    p = openpyxl.load_workbook(out)["Progress"]
    r = _rows(p)["E1.4.1.S1"]
    assert (p.cell(r, 7).value, p.cell(r, 8).value, p.cell(r, 9).value) == ("Planned", LAO, 2027)
    assert p.cell(r, 7).fill.fgColor.rgb == "FFDDEBF7"  # pre-filled: confirm or change
    made_sheet = openpyxl.load_workbook(out)["As made"]
    found = next(r for r in range(2, made_sheet.max_row + 1) if made_sheet.cell(r, 1).value == "E1.4.1.S1")
    assert [made_sheet.cell(found, c).value for c in (2, 3, 4)] == ["Planned", LAO, 2027]


def test_a_report_lands_on_its_rows_and_in_the_progress_table(made: Path, tmp_path: Path) -> None:
    src = made / "RAI-progress-2026-Thailand.xlsx"
    mid = next(iter(_rows(openpyxl.load_workbook(src)["Progress"])))
    values = {mid: {7: "Completed", 8: THAI, 9: datetime(2027, 3, 31), 11: "50%"}}
    ret = _fill(src, tmp_path / "TH.xlsx", values, datetime(2026, 12, 15))
    sent = ret.read_bytes()
    out = tmp_path / "regional.xlsx"
    result = run_cli(
        "consolidate", made / "returns", "--previous", made / "regional.xlsx", "--progress", ret, "--output", out
    )
    assert f"{ret}: progress return: included: 4 change(s) reported" in result.output
    wb = openpyxl.load_workbook(out)
    ws = wb["Thailand"]
    heads = [ws.cell(r, 6).value for r in range(1, ws.max_row + 1)].index("Milestone ID") + 1
    row = tracker_row(ws, mid)
    assert ws.cell(heads, 11).value == "Evidence of progress"
    assert [ws.cell(row, c).value for c in (7, 8, 9, 11)] == ["Completed", THAI, datetime(2027, 3, 31), "50%"]
    table = [list(r) for r in wb["Progress"].iter_rows(values_only=True)]
    assert table == [
        ["Country code", "Milestone ID", "Field", "Before", "After", "Source", "Reported on"],
        ["TH", mid, "Status", "Not started", "Completed", "TH.xlsx", datetime(2026, 12, 15)],
        ["TH", mid, "Lead agency", None, THAI, "TH.xlsx", datetime(2026, 12, 15)],
        ["TH", mid, "Target date", None, datetime(2027, 3, 31), "TH.xlsx", datetime(2026, 12, 15)],
        ["TH", mid, "Evidence of progress", None, "50%", "TH.xlsx", datetime(2026, 12, 15)],
    ]
    before = openpyxl.load_workbook(made / "regional.xlsx")
    for table_sheet in ("Scores", "Answers", "History"):  # a progress return changes no score, tier or answer
        assert list(wb[table_sheet].values) == list(before[table_sheet].values)
    assert ret.read_bytes() == sent  # input files are never modified
    # the next consolidation carries the table; the same return given again changes nothing more
    again = run_cli("consolidate", made / "returns", ret, "--previous", out, "--output", out)
    assert f"{ret}: progress return: included: 4 change(s) reported" in again.output
    assert [list(r) for r in openpyxl.load_workbook(out)["Progress"].iter_rows(values_only=True)] == table
    run_cli("consolidate", made / "returns", "--previous", out, "--output", out)
    wb = openpyxl.load_workbook(out)
    assert [list(r) for r in wb["Progress"].iter_rows(values_only=True)] == table
    shown = [r[:9] for r in wb["Overview"].iter_rows(values_only=True) if r[0] == "Thailand" and r[7] == "TH.xlsx"]
    assert shown == [("Thailand", "2026-12-15", None, "no change", None, None, None, "TH.xlsx", None)]


def test_a_coordinator_edit_after_the_workbook_was_made_is_a_conflict(made: Path, tmp_path: Path) -> None:
    edited_lao_tracker(made, tmp_path / "edited.xlsx", "E1.4.1.S2", {7: "In progress"})
    ret = _fill(
        made / "RAI-progress-2026-Lao-PDR.xlsx", tmp_path / "LA.xlsx", {"E1.4.1.S2": {7: "Completed"}}, datetime(2026, 11, 1)
    )
    out = tmp_path / "regional.xlsx"
    result = run_cli("consolidate", made / "returns", ret, "--previous", tmp_path / "edited.xlsx", "--output", out)
    assert result.exit_code == 1
    wb = openpyxl.load_workbook(out)
    ws = wb["Lao PDR"]
    row = tracker_row(ws, "E1.4.1.S2")
    assert ws.cell(row, 7).value == "In progress"
    assert ws.cell(row, 7).comment.text == (
        "Conflict: Lao PDR reported 'Completed' in LA.xlsx (reported on 2026-11-01); this cell was 'Not started' "
        "when its progress workbook was made and was changed since. Keep one value, then delete this comment."
    )
    conflict = "conflict on Status: Lao PDR reported 'Completed', the regional workbook now holds 'In progress'"
    issues = records(wb["Issues"], "File", "Severity", "Message", "Code")
    assert [r["Code"] for r in issues if str(r["Message"]).startswith(conflict)] == ["CONFLICT_NOTE"]
    unplaced = [r for r in wb["Unplaced entries"].iter_rows(values_only=True) if "E1.4.1.S2" in r]
    assert unplaced and "Completed" in unplaced[0]
    assert list(wb["Progress"].iter_rows(values_only=True))[1:] == []  # no change was made
    # consolidated again with the same return: the conflict is shown once, until it is resolved
    run_cli("consolidate", made / "returns", ret, "--previous", out, "--output", out)
    wb = openpyxl.load_workbook(out)
    assert wb["Lao PDR"].cell(row, 7).comment.text.count("Conflict:") == 1
    assert len([r for r in wb["Unplaced entries"].iter_rows(values_only=True) if "E1.4.1.S2" in r]) == 1


def test_validate_names_every_problem_in_one_line(made: Path, tmp_path: Path) -> None:
    ret = _fill(
        made / "RAI-progress-2026-Lao-PDR.xlsx",
        tmp_path / "LA.xlsx",
        {"E1.4.1.S1": {7: "Done"}, "E1.4.1.S2": {9: "next year"}, "X9.9.9.S1": {10: "ours"}},
        None,
    )
    shutil.copy(made / "RAI-progress-2026-Thailand.xlsx", tmp_path)
    result = run_cli("validate", tmp_path)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        lines[0] == f"{ret} (Lao PDR, progress 2026): progress return: 1 change(s), 2 value(s) not in the plan, 2 error(s)"
    )
    assert lines[1] == (
        "  WARNING: LA.xlsx, sheet 'Start here', cell B11: Reported on: it is empty; a later report of the same "
        "country cannot be told from this one: type the date of the report, e.g. 2027-06-30"
    )
    assert lines[2] == (
        "  ERROR: LA.xlsx, sheet 'Progress', cell G8, E1.4.1.S1: Status 'Done' is not a status of the list; allowed: "
        "Not started, Planned, In progress, Completed, Not applicable; the value is kept as an unplaced entry"
    )
    assert lines[3] == (
        "  WARNING: LA.xlsx, sheet 'Progress', cell I9, E1.4.1.S2: Target date 'next year' is not a date: kept as typed "
        "on its row; a date reads better, e.g. 2027-06-30"
    )
    assert lines[4].startswith("  ERROR: LA.xlsx, sheet 'Progress', cell A") and lines[4].endswith(
        "X9.9.9.S1: milestone ID 'X9.9.9.S1' is not in Lao PDR's plan; the row is kept as an unplaced entry"
    )
    untouched = tmp_path / "RAI-progress-2026-Thailand.xlsx"
    assert (
        f"{untouched} (Thailand, progress 2026): progress return: no changes (nothing was changed or added: not a report)"
        in lines
    )
    as_json = json.loads(run_cli("validate", ret, "--json").stdout)
    assert [(i["severity"], i["cell"], i["code"]) for i in as_json[0]["issues"]] == [
        ("warning", "B11", "REPORT_DATE"),
        ("error", "G8", "STATUS_NOT_LISTED"),
        ("warning", "I9", "TARGET_NOT_DATE"),
        ("error", lines[4].split("cell ")[1].split(",")[0], "NOT_IN_PLAN"),
    ]


def test_a_return_whose_round_is_not_a_year_is_refused(made: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(made / "RAI-progress-2026-Lao-PDR.xlsx")
    next(p for p in wb.custom_doc_props.props if p.name == "rai_xl_round").value = "twenty-six"
    lists, start = wb["Lists"], wb["Start here"]
    next(c for c in lists["H"] if c.value == "round").offset(0, 1).value = "twenty-six"
    next(c for c in start["A"] if c.value == "Round (assessment year)").offset(0, 1).value = "twenty-six"
    wb.save(tmp_path / "LA.xlsx")
    result = run_cli("validate", tmp_path / "LA.xlsx")
    assert result.exit_code == 1
    assert result.output.splitlines()[1] == (
        "  ERROR: LA.xlsx: names no Member State or round (country 'LA', round 'twenty-six')"
    )


def test_the_later_report_supersedes_and_a_return_for_another_country_is_refused(made: Path, tmp_path: Path) -> None:
    src = made / "RAI-progress-2026-Lao-PDR.xlsx"
    early = _fill(src, tmp_path / "early.xlsx", {"E1.4.1.S1": {7: "Planned"}}, datetime(2026, 6, 30))
    late = _fill(src, tmp_path / "late.xlsx", {"E1.4.1.S1": {7: "Completed"}}, datetime(2026, 11, 30))
    wb = openpyxl.load_workbook(src)
    wb["Start here"]["B17"] = "KH"  # the visible Country code retyped (a sheet unprotected and edited)
    wb.save(tmp_path / "other.xlsx")
    out = tmp_path / "regional.xlsx"
    result = run_cli(
        "consolidate", made / "returns", "--progress", tmp_path, "--previous", made / "regional.xlsx", "--output", out
    )
    assert (
        f"{early}: progress return: superseded: late.xlsx replaces it (reported on 2026-11-30, after 2026-06-30)"
        in result.output
    )
    assert f"{late}: progress return: included: 1 change(s) reported" in result.output
    assert (
        f"{tmp_path / 'other.xlsx'}: progress return: rejected: the file's identity names two values for country: "
        "'KH' and 'LA'; a progress return belongs to one Member State and one round: send the original"
    ) in result.output
    rows = list(openpyxl.load_workbook(out)["Progress"].iter_rows(values_only=True))
    assert rows[1][:5] == ("LA", "E1.4.1.S1", "Status", "Not started", "Completed")


def test_progress_returns_need_the_regional_workbook_they_were_made_from(made: Path, tmp_path: Path) -> None:
    result = run_cli("consolidate", made / "returns", "--progress", made / "RAI-progress-2026-Lao-PDR.xlsx",
                     "--output", tmp_path / "r.xlsx")  # fmt: skip
    assert result.exit_code == 2
    assert "Error: --progress needs --previous: the regional workbook the progress workbooks were made from" in result.output
    shutil.copy(made / "RAI-progress-2026-Lao-PDR.xlsx", tmp_path)  # among the returns: listed, not merged
    result = run_cli("consolidate", made / "returns", tmp_path, "--output", tmp_path / "r.xlsx")
    assert result.exit_code == 1  # the Thailand sample is incomplete
    assert (
        f"{tmp_path / 'RAI-progress-2026-Lao-PDR.xlsx'}: progress return: skipped: add --previous, the regional "
        "workbook it was made from (regional.xlsx), to merge it"
    ) in result.output


def test_cleared_values_copied_and_added_rows(made: Path, tmp_path: Path) -> None:
    edited_lao_tracker(made, tmp_path / "regional-2026.xlsx", "E1.4.1.S1", {8: LAO, 9: 2027})
    src = tmp_path / "LA-made.xlsx"
    run_cli("progress", "--previous", tmp_path / "regional-2026.xlsx", "--country", "LA", "--output", src)
    filled = _fill(src, tmp_path / "LA.xlsx", {"E1.4.1.S1": {8: None}, "X9.9.9.S1": {10: "ours"}}, datetime(2026, 7, 1))
    wb = openpyxl.load_workbook(filled)
    p = wb["Progress"]
    copy = p.max_row + 1
    p.cell(copy, 1).value, p.cell(copy, 7).value, p.cell(copy, 12).value = "E1.4.1.S2", "Completed", "E1.4.1.S2"
    wb.save(filled)
    out = tmp_path / "out.xlsx"
    result = run_cli("consolidate", made / "returns", filled, "--previous", tmp_path / "regional-2026.xlsx", "--output", out)
    assert f"{filled}: progress return: included: 1 change(s) reported; 1 problem(s) (see Issues)" in result.output
    wb = openpyxl.load_workbook(out)
    assert list(wb["Progress"].iter_rows(min_row=2, values_only=True)) == [
        ("LA", "E1.4.1.S1", "Lead agency", LAO, None, "LA.xlsx", datetime(2026, 7, 1))
    ]
    ws = wb["Lao PDR"]
    s1, s2 = tracker_row(ws, "E1.4.1.S1"), tracker_row(ws, "E1.4.1.S2")
    assert (ws.cell(s1, 8).value, ws.cell(s1, 9).value) == (None, 2027)  # cleared; the year kept as typed
    assert ws.cell(s2, 7).value == "Not started"  # the copied row changes nothing
    unplaced = {(r[3], r[5], r[6], r[8]) for r in wb["Unplaced entries"].iter_rows(values_only=True) if r[0] == "LA"}
    assert (
        "X9.9.9.S1",
        "Notes",
        "ours",
        "reported by Lao PDR in LA.xlsx: a row the plan of Lao PDR does not hold",
    ) in unplaced
    assert any(r[:3] == ("E1.4.1.S2", "Status", "Completed") and "a second row for E1.4.1.S2" in r[3] for r in unplaced)


def test_a_return_for_another_round_is_not_merged(made: Path, tmp_path: Path) -> None:
    ret = _fill(made / "RAI-progress-2026-Lao-PDR.xlsx", tmp_path / "LA.xlsx", {"E1.4.1.S1": {7: "Planned"}}, None)
    out = tmp_path / "out.xlsx"
    result = run_cli(
        "consolidate", made / "returns", "--progress", ret, "--previous", SAMPLES / "regional-2025.xlsx", "--output", out
    )
    assert (
        f"{ret}: progress return: other year: made from the 2026 regional workbook (regional.xlsx); --previous is 2025's"
    ) in result.output
    assert list(openpyxl.load_workbook(out)["Progress"].iter_rows(min_row=2, values_only=True)) == []


def test_progress_usage_errors(made: Path, tmp_path: Path) -> None:
    regional = made / "regional.xlsx"
    both = run_cli("progress", "--previous", regional, "--all", "--country", "LA", "--output", tmp_path)
    assert (both.exit_code, both.output.splitlines()[-1]) == (2, "Error: use --country or --all (one of them)")
    questionnaire = SAMPLES / "RAI-readiness-2026-Lao-PDR.xlsx"
    wrong = run_cli("progress", "--previous", questionnaire, "--all", "--output", tmp_path)
    assert wrong.exit_code == 2
    assert wrong.output.splitlines()[-1] == (
        "Error: --previous RAI-readiness-2026-Lao-PDR.xlsx is a rai-xl questionnaire (a return), not a regional "
        "workbook; --previous expects a regional workbook written by rai-xl consolidate"
    )
    again = run_cli("progress", "--previous", regional, "--country", "LA", "--output", made)
    assert again.exit_code == 2
    assert (
        again.output.splitlines()[-1]
        == f"Error: {made / 'RAI-progress-2026-Lao-PDR.xlsx'} already exists; add --force to overwrite it"
    )
    ods = run_cli("progress", "--previous", regional, "--country", "LA", "--output", tmp_path / "LA.ods")
    assert ods.output.splitlines()[-1] == f"Error: {tmp_path / 'LA.ods'} must end in .xlsx"


def test_copies_conflicts_and_a_return_without_its_properties(made: Path, tmp_path: Path) -> None:
    src = made / "RAI-progress-2026-Lao-PDR.xlsx"
    a = _fill(src, tmp_path / "a.xlsx", {"E1.4.1.S1": {7: "Planned"}}, datetime(2026, 6, 30))
    shutil.copy(a, tmp_path / "a-copy.xlsx")
    th = made / "RAI-progress-2026-Thailand.xlsx"
    mid = next(iter(_rows(openpyxl.load_workbook(th)["Progress"])))
    b = _fill(th, tmp_path / "b.xlsx", {mid: {7: "Planned"}}, datetime(2026, 6, 30))
    c = _fill(th, tmp_path / "c.xlsx", {mid: {7: "Completed"}}, datetime(2026, 6, 30))
    # Google Sheets drops custom document properties: the Lists and 'Start here' copies still say what it is
    with zipfile.ZipFile(a) as z:
        parts = {n: z.read(n) for n in z.namelist() if n != "docProps/custom.xml"}
    parts["[Content_Types].xml"] = re.sub(
        rb'<Override PartName="/docProps/custom.xml"[^>]*/>', b"", parts["[Content_Types].xml"]
    )
    parts["_rels/.rels"] = re.sub(rb'<Relationship [^>]*Target="docProps/custom.xml"/>', b"", parts["_rels/.rels"])
    google = tmp_path / "google" / "a.xlsx"
    google.parent.mkdir()
    with zipfile.ZipFile(google, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    assert (
        run_cli("validate", google).output.splitlines()[0]
        == f"{google} (Lao PDR, progress 2026): progress return: 1 change(s)"
    )
    out = tmp_path / "out.xlsx"
    named = [x for f in (a, tmp_path / "a-copy.xlsx", b, c) for x in ("--progress", f)]
    result = run_cli("consolidate", made / "returns", *named, "--previous", made / "regional.xlsx", "--output", out)
    assert f"{tmp_path / 'a-copy.xlsx'}: progress return: superseded: the same as a.xlsx; counted once" in result.output
    assert (
        f"{b}: progress return: conflict: 2 progress returns differ (b.xlsx, c.xlsx) and their report dates do not "
        "say which is later; none used until one is removed"
    ) in result.output
    rows = list(openpyxl.load_workbook(out)["Progress"].iter_rows(min_row=2, values_only=True))
    assert [r[:5] for r in rows] == [("LA", "E1.4.1.S1", "Status", "Not started", "Planned")]


def test_an_untouched_progress_return_alone_is_a_problem_for_validate(made: Path, tmp_path: Path) -> None:
    """Nothing else in the folder is wrong (a complete return, an untouched progress workbook): the exit status
    is 1 because of the untouched return alone, and 0 once the return is reported (dated)."""
    shutil.copy(SAMPLES / "RAI-readiness-2026-Lao-PDR.xlsx", tmp_path)
    shutil.copy(made / "RAI-progress-2026-Lao-PDR.xlsx", tmp_path)
    assert run_cli("validate", tmp_path / "RAI-readiness-2026-Lao-PDR.xlsx").exit_code == 0  # the return is fine
    result = run_cli("validate", tmp_path)
    assert result.exit_code == 1
    assert "progress return: no changes (nothing was changed or added: not a report)" in result.output
    dated = _fill(
        made / "RAI-progress-2026-Lao-PDR.xlsx", tmp_path / "RAI-progress-2026-Lao-PDR.xlsx", {}, datetime(2026, 11, 2)
    )
    assert run_cli("validate", dated).exit_code == 0
