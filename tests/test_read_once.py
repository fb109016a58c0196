"""Every file is read once: a workbook is told by its identity before its sheets are searched, and the
previous regional workbook is opened once, its shared strings parsed once."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from rai_xl.cli import cli
from rai_xl.core.submission import SKIPPED
from rai_xl.issues import Msg
from rai_xl.method.catalogue import Catalogue
from rai_xl.read import progress_returns
from rai_xl.read.previous import PreviousError, read_checklist, read_previous, read_record, with_typed_over
from rai_xl.read.progress_returns import read_progress_returns
from rai_xl.read.returns import read_return
from rai_xl.read.spreadsheet import limits, read_workbook
from rai_xl.workflow import _PreviousReading, consolidate
from rai_xl.write.progress import read_source
from tests.helpers import ROOT

SAMPLES = ROOT / "samples"


def _sheets(opened: list[str]) -> list[str]:
    return [p for p in opened if p.startswith("xl/worksheets/sheet")]


def test_a_progress_return_is_told_by_its_identity_before_any_sheet_is_searched(
    catalogue: Catalogue, opened_parts: list[str]
) -> None:
    """A progress workbook has no Criteria sheet: its identity says what it is, so read_return reads only the
    sheets a questionnaire has, never its Progress table looking for a renamed criteria sheet."""
    sub = read_return(SAMPLES / "RAI-progress-2025-Lao-PDR.xlsx", catalogue)
    assert sub.status == SKIPPED
    sheets = _sheets(opened_parts)
    assert len(sheets) == len(set(sheets)) <= 2  # Start here and Lists, each once


def test_a_regional_workbook_among_returns_is_told_by_its_identity(catalogue: Catalogue, opened_parts: list[str]) -> None:
    sub = read_return(SAMPLES / "regional-2025.xlsx", catalogue)
    assert sub.status == SKIPPED and sub.issues[-1].message == Msg.REGIONAL_WORKBOOK.format()
    assert len(_sheets(opened_parts)) == 1  # its Criteria sheet


def test_the_previous_workbook_is_opened_once_its_strings_parsed_once(catalogue: Catalogue, opened_parts: list[str]) -> None:
    held = read_previous(SAMPLES / "regional-2025.xlsx", catalogue)
    assert held.year == 2025 and held.typed and held.history
    assert opened_parts.count("xl/sharedStrings.xml") == 1
    sheets = _sheets(opened_parts)
    assert len(sheets) == len(set(sheets))  # each sheet once


def test_the_previous_workbook_is_read_within_the_bounds_of_a_record(
    catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All its trackers are read in one pass, within one budget of their own: a record holds far more cells
    than a questionnaire (the bound of a return does not apply), and a bound still applies."""
    monkeypatch.setattr(limits, "MAX_CELLS", 500)  # a questionnaire's bound, far under the record's cells
    path = SAMPLES / "regional-2025.xlsx"
    assert read_previous(path, catalogue).typed
    assert read_source(path, catalogue).plans  # progress --previous: its trackers, in the same bounds
    monkeypatch.setattr(limits, "MAX_RECORD_CELLS", 20_000)
    with pytest.raises(PreviousError, match="cannot be read: the file holds more than 20000 cells"):
        read_previous(path, catalogue)
    with pytest.raises(PreviousError, match="cannot be read: the file holds more than 20000 cells"):
        read_source(path, catalogue)  # progress --previous: the same bound, in the same words


def test_the_checklist_formula_cells_are_not_kept_but_values_typed_over_them_are(catalogue: Catalogue, tmp_path) -> None:
    """The Checklist table's formulas hold nothing typed: read_previous leaves them out, and still carries a
    value typed over one of them."""
    path = tmp_path / "regional-2025.xlsx"
    wb = load_workbook(SAMPLES / "regional-2025.xlsx")
    ws = wb["Checklist"]
    heads = [c.value for c in ws[1]]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, heads.index("Notes") + 1).data_type == "f")
    ws.cell(row, heads.index("Notes") + 1).value = "typed over the formula"
    code, mid = ws.cell(row, heads.index("Country code") + 1).value, ws.cell(row, heads.index("Milestone ID") + 1).value
    wb.save(path)
    sheet = read_workbook(path.read_bytes(), wanted={"Checklist"}, values_only={"Checklist"}).sheet("Checklist")
    assert sheet is not None and not any(c.formula for c in sheet.cells.values())
    over = [t for t in read_previous(path, catalogue).typed if t.sheet == "Checklist"]
    assert [(t.country, t.milestone_id, t.typed.value("notes")) for t in over] == [(code, mid, "typed over the formula")]
    # consolidate reads it in two processes: whichever is free first reads the Checklist table; the same record
    rest = read_record(path, catalogue, checklist=False).round
    assert not [t for t in rest.typed if t.sheet == "Checklist"]
    assert with_typed_over(rest, read_checklist(path)) == read_previous(path, catalogue)
    here = _PreviousReading(path)  # asked at once: this process is free first, the worker still reads the rest
    assert here.result() == (read_previous(path, catalogue), ()) and not here.future.result()[2]
    there = _PreviousReading(path)
    assert there.future.result()[2]  # the worker, done with the rest and free first, read the table too
    assert there.result() == (read_previous(path, catalogue), ())


def test_a_previous_workbook_whose_checklist_cannot_be_read_is_refused_in_one_line(tmp_path: Path) -> None:
    """Read in two processes, a regional workbook whose Checklist sheet is damaged is refused as a whole one would
    be: nothing of it is carried without the values typed over that table."""
    path = tmp_path / "regional-2025.xlsx"
    with zipfile.ZipFile(SAMPLES / "regional-2025.xlsx") as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    book = load_workbook(SAMPLES / "regional-2025.xlsx", read_only=True)
    part = f"xl/worksheets/sheet{book.sheetnames.index('Checklist') + 1}.xml"
    parts[part] = parts[part][: len(parts[part]) // 2]  # cut short, as a failed copy leaves it
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    output = tmp_path / "o.xlsx"
    done = CliRunner().invoke(cli, ["consolidate", str(SAMPLES), "--previous", str(path), "--output", str(output)])
    assert done.exit_code == 2, done.output
    assert f"--previous {path.name} cannot be read: a part of the file is damaged" in done.output
    assert not output.exists()


def test_without_a_previous_workbook_a_progress_returns_plan_is_not_read(
    catalogue: Catalogue, opened_parts: list[str]
) -> None:
    """consolidate without --previous only says which workbook a progress return was made from: its identity is
    read, its plan (by far the most of it) is not."""
    path = SAMPLES / "RAI-progress-2025-Lao-PDR.xlsx"
    [ret] = read_progress_returns([path], [], catalogue, whole=False)
    assert (ret.made_from, ret.country and ret.country.code, ret.changes) == ("regional-2025.xlsx", "LA", [])
    assert len(_sheets(opened_parts)) == 2  # Start here and Lists
    opened_parts.clear()
    assert read_progress_returns([path], [], catalogue)[0].changes  # whole: its plan read, its changes found
    assert len(_sheets(opened_parts)) == 4


def test_consolidate_without_previous_reads_the_progress_returns_identity_only(
    catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    whole: list[bool] = []
    real = progress_returns.read_progress
    monkeypatch.setattr(progress_returns, "read_progress", lambda p, c, w=True: whole.append(w) or real(p, c, w))
    done = consolidate(catalogue, [SAMPLES], tmp_path / "regional.xlsx")
    assert len(done.progress_files) == 3 and whole and not any(whole)


@pytest.mark.parametrize("name", ["regional-2025.xlsx", "RAI-progress-2025-Lao-PDR.xlsx", "RAI-readiness-2026-Lao-PDR.xlsx"])
def test_an_existing_output_is_read_from_disk_once(catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Before an output is replaced, what it holds is read (a return, a progress return, a record): the file's
    bytes once, whichever it turns out to be."""
    from rai_xl.read import previous
    from rai_xl.read.spreadsheet import files
    from rai_xl.write.outputs import kept

    reads: list[Path] = []
    original = files.read_file

    def counted(path: Path) -> bytes:
        reads.append(path)
        return original(path)

    for module in (files, previous, progress_returns):
        monkeypatch.setattr(module, "read_file", counted)
    assert kept(SAMPLES / name, catalogue).kind  # each is one rai-xl never replaces
    assert reads == [SAMPLES / name]
