"""Time the progress workbooks against their bars: `rai-xl progress --all` for the 11 Member States, and
`rai-xl consolidate` of the 11 sample returns with 11 progress returns (each under 1.5 s).

Usage: python benchmarks/progress.py [RUNS]   (default 7; every figure is the median of RUNS runs)

Works in benchmarks/_work/progress/: a 2026 regional workbook made from samples/, its 11 progress
workbooks, and 11 returns of them with a few milestones reported on each. The consolidation without
progress returns is timed beside them, so what the progress returns add is plain.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work" / "progress"
sys.path.insert(0, str(ROOT / "tools"))

from make_progress_samples import fill  # noqa: E402  (the tool that fills the sample progress returns)
from openpyxl import load_workbook  # noqa: E402

from rai_xl.layouts import progress as pg  # noqa: E402

RAI_XL = str(Path(sys.executable).parent / "rai-xl")
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # rai-xl runs with bytecode, as users run it
LIMIT = 1.5


def run(*args: object) -> float:
    start = time.perf_counter()
    subprocess.run([RAI_XL, *map(str, args)], capture_output=True, check=False)
    return time.perf_counter() - start


def median(runs: int, *args: object, output: Path | None = None) -> float:
    """The median wall time of *runs* runs of `rai-xl ARGS`; *output* is removed before each (a new workbook
    each time: replacing a regional workbook would first read it)."""
    times = []
    for _ in range(runs):
        if output is not None:
            output.unlink(missing_ok=True)
        times.append(run(*args))
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    shutil.rmtree(WORK, ignore_errors=True)
    returns, made, back = WORK / "returns", WORK / "made", WORK / "back"
    for folder in (returns, made, back):
        folder.mkdir(parents=True)
    for f in (ROOT / "samples").glob("RAI-readiness-2026-*.xlsx"):
        shutil.copy(f, returns)
    regional = WORK / "regional-2026.xlsx"
    run("consolidate", returns, "--output", regional)
    run("progress", "--previous", regional, "--all", "--output", made)
    for path in sorted(made.iterdir()):
        ws = load_workbook(path, read_only=True)[pg.SHEET_PLAN]
        ids = [
            r[0] for r in ws.iter_rows(min_row=5, max_col=1, values_only=True) if r[0] and "." in r[0] and " " not in r[0]
        ]
        values = {mid: {"status": "In progress", "notes": f"reported {i}"} for i, mid in enumerate(ids[:10])}
        fill(path, values, date(2026, 11, 30), "benchmark")
        shutil.copy(path, back)
    out = WORK / "out.xlsx"
    figures = [
        (
            "rai-xl progress --all (11 Member States)",
            median(runs, "progress", "--previous", regional, "--all", "--output", made, "--force"),
        ),
        (
            "consolidate, 11 returns",
            median(runs, "consolidate", returns, "--previous", regional, "--output", out, output=out),
        ),
        (
            "consolidate, 11 returns + 11 progress returns",
            median(runs, "consolidate", returns, "--progress", back, "--previous", regional, "--output", out, output=out),
        ),
    ]
    for name, seconds in figures:
        verdict = "ok" if seconds < LIMIT else "OVER"
        print(f"{name:<50} median {seconds:6.2f} s  (bar {LIMIT} s: {verdict})")


if __name__ == "__main__":
    main()
