"""`rai-xl consolidate`: the output file: --strict writes nothing, an existing file needs --force, an input is never
overwritten, and the write is atomic with the usual permissions."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

import rai_xl.write.regional.workbook
from rai_xl.core.collection import sort_out
from rai_xl.method.catalogue import Catalogue
from rai_xl.read.returns import read_return
from tests.helpers import (
    KH_POINTS,
    LA_POINTS,
    SG_POINTS,
    consolidate,
    labels_for,
    sha,
)
from tests.helpers import run_consolidate as run


def test_strict_writes_nothing(make_return: Callable[..., Path], catalogue: Catalogue, tmp_path: Path) -> None:
    make_return("kh.xlsx", "KH", answers=labels_for(catalogue, KH_POINTS))  # incomplete
    out = tmp_path / "out" / "regional.xlsx"
    out.parent.mkdir()
    result = consolidate(tmp_path, out, "--strict")
    assert result.exit_code == 1
    assert "--strict" in result.output
    assert not out.exists()
    assert list(out.parent.iterdir()) == []


def test_strict_without_problems_writes(make_return: Callable[..., Path], catalogue: Catalogue, tmp_path: Path) -> None:
    make_return("la.xlsx", "LA", answers=labels_for(catalogue, LA_POINTS))
    out = tmp_path / "out" / "regional.xlsx"
    out.parent.mkdir()
    assert consolidate(tmp_path, out, "--strict").exit_code == 0
    assert out.exists()


def test_existing_output_needs_force(make_return: Callable[..., Path], catalogue: Catalogue, tmp_path: Path) -> None:
    make_return("la.xlsx", "LA", answers=labels_for(catalogue, LA_POINTS))
    out = tmp_path / "out" / "regional.xlsx"
    out.parent.mkdir()
    out.write_bytes(b"an earlier workbook")
    result = consolidate(tmp_path, out)
    assert result.exit_code == 2
    assert "--force" in result.output
    assert out.read_bytes() == b"an earlier workbook"
    result = consolidate(tmp_path, out, "--force")
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames[0] == "Overview"


def test_output_equal_to_an_input(make_return: Callable[..., Path], catalogue: Catalogue, tmp_path: Path) -> None:
    la = make_return("la.xlsx", "LA", answers=labels_for(catalogue, LA_POINTS))
    kh = make_return("kh.xlsx", "KH", answers=labels_for(catalogue, SG_POINTS))
    before = {p: sha(p) for p in (la, kh)}
    for extra in ((), ("--force",)):
        result = run(str(la), str(kh), "--output", str(la), *extra)
        assert result.exit_code == 2, (extra, result.output)
        result = run(str(tmp_path), "--output", str(kh), *extra)
        assert result.exit_code == 2, (extra, result.output)
    assert {p: sha(p) for p in (la, kh)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kh.xlsx", "la.xlsx"]


# ---------------------------------------------------------------- atomic write


def test_library_write_failure_of_any_kind_cleans_up(
    make_return: Callable[..., Path], catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_return("la.xlsx", "LA", answers=labels_for(catalogue, LA_POINTS))
    rnd = sort_out([read_return(path, catalogue)], None)
    out = tmp_path / "out" / "regional.xlsx"
    out.parent.mkdir()

    def boom(report: object, path: Path, synthetic: bool, written_on: object) -> None:
        path.write_bytes(b"partial")
        raise RuntimeError("interrupted")

    monkeypatch.setattr(rai_xl.write.regional.workbook, "_write", boom)
    with pytest.raises(RuntimeError, match="interrupted"):
        rai_xl.write.regional.workbook.write_regional_workbook(catalogue, rnd, out)
    assert list(out.parent.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_written_file_is_not_private(make_return: Callable[..., Path], catalogue: Catalogue, tmp_path: Path) -> None:
    """The temporary file behind the atomic write must not leave the workbook readable by its owner only."""
    make_return("la.xlsx", "LA", answers=labels_for(catalogue, LA_POINTS))
    out = tmp_path / "out" / "regional.xlsx"
    out.parent.mkdir()
    mask = os.umask(0o022)
    try:
        assert consolidate(tmp_path, out).exit_code == 0
        assert out.stat().st_mode & 0o777 == 0o644
        out.chmod(0o640)  # an overwrite keeps the mode the coordinator gave the file
        assert consolidate(tmp_path, out, "--fresh").exit_code == 0
        assert out.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(mask)
