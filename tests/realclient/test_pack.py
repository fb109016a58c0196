"""The meeting pack shows what a coordinator typed in LibreOffice after consolidation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import SAMPLES, checklist_all_row
from tests.helpers import run_unchecked as run

pytestmark = pytest.mark.libreoffice


def test_a_status_typed_in_libreoffice_shows_in_the_pack(libreoffice, tmp_path: Path) -> None:
    regional = tmp_path / "regional-2026.xlsx"
    assert run("consolidate", SAMPLES, "--previous", SAMPLES / "regional-2025.xlsx", "--output", regional).exit_code == 1
    saved = tmp_path / "saved" / "regional-2026.xlsx"
    saved.parent.mkdir()
    fills = [["Brunei Darussalam", "G8", "Completed"], ["Brunei Darussalam", "G10", "Planned"]]
    libreoffice([{"input": str(regional), "fills": fills, "save": [[str(saved), "xlsx"]]}])
    out = tmp_path / "pack.pdf"
    result = run("pack", saved, "--output", out)
    assert result.exit_code == 0, result.output
    assert checklist_all_row(out, "Brunei Darussalam") == [365, 1, 0, 1, 0, 0, 367]
