"""The regional workbook holds what it held before rai-xl wrote it faster: every sheet's values, formulas
and cached values, tables, validations, merged ranges, conditional formats and properties, compared with a
summary of the workbook written before (tests/golden/, see tests/workbook_summary.py).

When a change to what the workbook holds is meant, write the summary again and commit it with the change:
    rai-xl consolidate samples/ --previous samples/regional-2025.xlsx --output /tmp/g.xlsx
    python -m tests.workbook_summary /tmp/g.xlsx tests/golden/consolidate-previous-2025.json --today
(from the repository's root; today's date, which the Overview shows, is read as '<today>').
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_cli
from tests.workbook_summary import differences, summary

GOLDEN = ROOT / "tests" / "golden" / "consolidate-previous-2025.json"


def test_consolidation_with_previous_and_progress_returns_writes_the_same_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # the Submissions sheet names each file as it was given
    out = tmp_path / "regional-2026.xlsx"
    result = run_cli("consolidate", "samples", "--previous", "samples/regional-2025.xlsx", "--output", out)
    assert result.exit_code in (0, 1), result.output
    assert "3 progress returns" in result.output
    found = summary(out, today=date.today().isoformat())
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert differences(golden, found) == []
