"""Every file is read once: a workbook is told by its identity before its sheets are searched, and the
previous regional workbook is opened once, its shared strings parsed once."""

from __future__ import annotations

from rai_xl.core.submission import SKIPPED
from rai_xl.issues import Msg
from rai_xl.method.catalogue import Catalogue
from rai_xl.read.returns import read_return
from tests.conftest import ROOT

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
