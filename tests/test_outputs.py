"""Writing outputs: a full disk or a size limit is a usage problem (exit 2) that leaves nothing broken behind,
and a workbook open in a spreadsheet program is never replaced. The failures are real: a file-size limit
(RLIMIT_FSIZE) on the rai-xl process, as a full disk or a quota gives."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_cli

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file-size limits")
LIMIT = 12_000  # bytes: less than any workbook rai-xl writes


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing the process


def rai_xl_limited(*args: str) -> subprocess.CompletedProcess[str]:
    """rai-xl in its own process, unable to write a file larger than LIMIT bytes."""
    return subprocess.run(
        [sys.executable, "-m", "rai_xl", *args], capture_output=True, text=True, preexec_fn=_limited, cwd=ROOT, timeout=120
    )


def test_questionnaire_that_cannot_be_written_is_a_usage_problem_and_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "q.xlsx"
    proc = rai_xl_limited("questionnaire", "--country", "LA", "--year", "2026", "--output", str(out))
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [f"Error: cannot write {out}: File too large"]
    assert list(tmp_path.iterdir()) == []  # neither a broken q.xlsx nor a temporary file


def test_regional_workbook_that_cannot_be_written_keeps_the_old_one(tmp_path: Path) -> None:
    returns = tmp_path / "returns"
    shutil.copytree(ROOT / "samples", returns, ignore=shutil.ignore_patterns("regional-*"))
    out = tmp_path / "out" / "regional.xlsx"
    out.parent.mkdir()
    out.write_bytes(b"the coordinator's earlier file")
    proc = rai_xl_limited("consolidate", str(returns), "--output", str(out), "--force")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == f"Error: cannot write {out}: File too large"
    assert "internal error" not in proc.stderr
    assert out.read_bytes() == b"the coordinator's earlier file"
    assert [p.name for p in out.parent.iterdir()] == ["regional.xlsx"]


@pytest.mark.parametrize("lock", ["~$regional-2026.xlsx", "~$gional-2026.xlsx", ".~lock.regional-2026.xlsx#"])
def test_a_regional_workbook_open_in_a_spreadsheet_program_is_not_replaced(tmp_path: Path, lock: str) -> None:
    returns = tmp_path / "returns"
    shutil.copytree(ROOT / "samples", returns, ignore=shutil.ignore_patterns("regional-*"))
    out = tmp_path / "regional-2026.xlsx"
    out.write_bytes(b"open in Excel")
    (tmp_path / lock).write_bytes(b"lock")
    for extra in (["--force"], ["--previous", str(out)]):
        result = run_cli("consolidate", returns, "--output", out, *extra)
        assert result.exit_code == 2
        assert result.output.strip().splitlines() == [
            f"Error: regional-2026.xlsx is open in a spreadsheet program (lock file {lock}): close it first, then run again"
        ]
    assert out.read_bytes() == b"open in Excel"


def test_a_questionnaire_open_in_a_spreadsheet_program_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "RAI-readiness-2026-Lao-PDR.xlsx"
    out.write_bytes(b"open")
    (tmp_path / ".~lock.RAI-readiness-2026-Lao-PDR.xlsx#").write_bytes(b"lock")
    result = run_cli("questionnaire", "--country", "LA", "--year", "2026", "--output", out, "--force")
    assert result.exit_code == 2
    assert "is open in a spreadsheet program (lock file .~lock.RAI-readiness-2026-Lao-PDR.xlsx#)" in result.output
    assert out.read_bytes() == b"open"


def test_a_lock_file_without_its_workbook_does_not_stop_a_new_output(tmp_path: Path) -> None:
    """A lock file left behind by a crash, with no workbook beside it, guards nothing."""
    (tmp_path / "~$q.xlsx").write_bytes(b"stale")
    out = tmp_path / "q.xlsx"
    result = run_cli("questionnaire", "--country", "LA", "--year", "2026", "--output", out)
    assert result.exit_code == 0 and out.exists()
