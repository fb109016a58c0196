"""Run jobs in a real LibreOffice (headless, through UNO with the system Python that has python3-uno)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

DRIVER = Path(__file__).with_name("lo_driver.py")
SYSTEM_PYTHON = "/usr/bin/python3"


def _missing() -> str:
    if shutil.which("soffice") is None:
        return "LibreOffice (soffice) is not installed: apt-get install -y libreoffice-calc-nogui python3-uno"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    if probe.returncode != 0:
        return f"python3-uno is not importable by {SYSTEM_PYTHON}: apt-get install -y python3-uno"
    return ""


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory: pytest.TempPathFactory):
    """A function running a list of driver jobs in one LibreOffice session; see lo_driver.py."""
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the real-client tests must run in CI: {reason}")
        pytest.skip(reason)
    work = tmp_path_factory.mktemp("lo")

    def run(jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        jobs_file, results_file = work / "jobs.json", work / "results.json"
        jobs_file.write_text(json.dumps(jobs))
        proc = subprocess.run(
            [SYSTEM_PYTHON, str(DRIVER), str(jobs_file), str(results_file)], capture_output=True, text=True, timeout=600
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        return json.loads(results_file.read_text())

    return run
