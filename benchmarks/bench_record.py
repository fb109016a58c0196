"""Measure `rai-xl consolidate --previous` (the living record) against the 1.5 s bar.

Usage: python benchmarks/bench_record.py [RUNS]   (default 5; from the repository root)

Two measurements, each the median of RUNS runs of the `rai-xl` beside this interpreter:
  1. the 11 samples with --previous samples/regional-2025.xlsx;
  2. the 11 samples' answers as 2030 returns, with --previous a 2030 workbook holding six rounds
     (2025-2030), made here by consolidating each year in turn from the 2025 sample, with the
     sample's entries carried every round.
The files are made in benchmarks/_work/record/ (git-ignored).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from make_samples import fill  # noqa: E402

from rai_xl.method.catalogue import load_catalogue  # noqa: E402
from rai_xl.read.returns import read_return  # noqa: E402
from rai_xl.write.questionnaire import file_name, write_questionnaire  # noqa: E402

WORK = ROOT / "benchmarks" / "_work" / "record"
RAI_XL = str(Path(sys.executable).with_name("rai-xl"))
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # rai-xl runs with bytecode, as users run it


def returns_for(year: int) -> Path:
    """The 11 samples' answers as returns for *year*."""
    folder = WORK / f"returns-{year}"
    if folder.exists():
        return folder
    catalogue = load_catalogue()
    folder.mkdir(parents=True)
    for sample in sorted((ROOT / "samples").glob("*.xlsx")):
        sub = read_return(sample, catalogue)
        if sub.country is None:
            continue  # the regional workbook of 2025
        labels = {
            cid: next(a.label for a in catalogue.criterion(cid).answers if a.code == code)
            for cid, code in sub.answers.items()
        }
        path = folder / file_name(sub.country, year)
        write_questionnaire(catalogue, path, country=sub.country, year=year)
        fill(path, labels, {}, {"name": "Benchmark respondent", "date_completed": f"{year}-04-30"})
    return folder


def consolidate(inputs: Path, previous: Path, output: Path) -> float:
    output.unlink(missing_ok=True)  # a new workbook each time: replacing one would first read it
    start = time.perf_counter()
    done = subprocess.run(
        [RAI_XL, "consolidate", str(inputs), "--previous", str(previous), "--output", str(output)],
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1) or not output.exists():
        sys.exit(f"rai-xl consolidate failed ({done.returncode}): {done.stderr[-500:]}")
    return wall


def six_rounds() -> Path:
    """A 2030 regional workbook holding 2025-2030."""
    previous = ROOT / "samples" / "regional-2025.xlsx"
    for year in range(2026, 2031):
        output = WORK / f"regional-{year}.xlsx"
        consolidate(ROOT / "samples" if year == 2026 else returns_for(year), previous, output)
        previous = output
    return previous


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    shutil.rmtree(WORK / "out", ignore_errors=True)
    (WORK / "out").mkdir(parents=True)
    sample = [
        consolidate(ROOT / "samples", ROOT / "samples" / "regional-2025.xlsx", WORK / "out" / "a.xlsx") for _ in range(runs)
    ]
    last = six_rounds()
    late = [consolidate(returns_for(2030), last, WORK / "out" / "b.xlsx") for _ in range(runs)]
    for what, walls in (
        ("--previous regional-2025.xlsx (1 round)", sample),
        ("--previous regional-2030.xlsx (6 rounds)", late),
    ):
        median = statistics.median(walls)
        verdict = "pass" if median < 1.5 else "FAIL"
        print(f"consolidate 11 returns {what}: {median * 1000:.0f} ms median of {runs}, bar 1.5 s: {verdict}")


if __name__ == "__main__":
    main()
