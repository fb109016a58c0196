"""Time rai-xl side by side with a baseline checkout, in one run, and print medians and ratios per case.

Usage: python benchmarks/compare.py --baseline DIR [--baseline-python PY] [--runs N] [--only CASES]

  DIR   a checkout of the baseline commit (e.g. `git worktree add --detach /tmp/base 4624464`) with rai-xl
        installed in a Python of its own: PY, by default DIR/.venv/bin/python; its `rai-xl` script (beside
        PY) is what runs, so the baseline's code comes from that installation.
  The current tree runs as the `rai-xl` beside this interpreter (from the repository root: .venv/bin/python).

Cases (all of them by default; --only takes their letters):
  c   consolidate samples/ (the 11 Member States)
  p   consolidate samples/ --previous samples/regional-2025.xlsx (and its 3 progress returns)
  g   consolidate of the 11 samples with 11 progress returns (--progress) and --previous a 2026 workbook
  s   consolidate of the 11 samples' answers as 2030 returns, --previous a 2030 workbook of six rounds
  v   validate a folder of 1,000 returns (benchmarks/_work/corpus-1000): wall and CPU of the process tree

Runs of the baseline and of the current tree alternate (which goes first alternates too), so the load other
processes put on the machine falls on both alike; each figure is the median of N runs (default 9, 5 for v).
Both run with bytecode, as an installed rai-xl does: PYTHONDONTWRITEBYTECODE is removed from their
environment and each is run once, untimed, before the timed runs (which writes and then uses its .pyc).

The inputs are made once, by the baseline's rai-xl (so both read the same files, as that rai-xl writes
them), under benchmarks/_work/compare/ (git-ignored); every output is removed before each run.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work" / "compare"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tools"))

BARS = {"c": 0.65, "p": 0.65, "g": 0.7, "s": 0.7, "v": 0.8}
NAMES = {
    "c": "consolidate samples/ (11 returns)",
    "p": "consolidate samples/ --previous regional-2025.xlsx",
    "g": "consolidate 11 returns + 11 progress returns, --previous",
    "s": "consolidate 11 returns, --previous six-round 2030 workbook",
    "v": "validate 1,000 returns",
}


def env() -> dict[str, str]:
    """The environment of the timed runs: with bytecode, as users run rai-xl."""
    e = dict(os.environ)
    e.pop("PYTHONDONTWRITEBYTECODE", None)
    return e


def cpu_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


class Side:
    """One rai-xl to time: its name and its `rai-xl` script."""

    def __init__(self, name: str, python: Path) -> None:
        self.name = name
        self.script = str(python.parent / "rai-xl")
        if not Path(self.script).exists():
            sys.exit(f"no rai-xl beside {python}: install the checkout into it (pip install DIR)")

    def run(self, args: list[str], check_output: Path | None = None) -> tuple[float, float]:
        """(wall, CPU of the whole process tree) of `rai-xl ARGS`."""
        if check_output is not None:
            check_output.unlink(missing_ok=True)  # a new workbook each time: replacing one would first read it
        cpu0, t0 = children_cpu(), time.perf_counter()
        done = subprocess.run(
            [self.script, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env(), cwd=WORK, check=False
        )
        wall, cpu = time.perf_counter() - t0, children_cpu() - cpu0
        if done.returncode not in (0, 1) or (check_output is not None and not check_output.exists()):
            sys.exit(f"{self.name}: rai-xl {' '.join(args)} failed ({done.returncode}): {done.stderr[-800:]!r}")
        return wall, cpu


def prepare(cases: str, base: Side) -> dict[str, tuple[list[str], Path | None]]:
    """The arguments (and the output to remove first) of each case, its inputs made by *base* when missing."""
    WORK.mkdir(parents=True, exist_ok=True)
    out = WORK / "out.xlsx"
    samples = str(ROOT / "samples")
    todo: dict[str, tuple[list[str], Path | None]] = {}
    if "c" in cases:
        todo["c"] = (["consolidate", samples, "--output", str(out)], out)
    if "p" in cases:
        todo["p"] = (["consolidate", samples, "--previous", f"{samples}/regional-2025.xlsx", "--output", str(out)], out)
    if "g" in cases:
        returns, regional, back = progress_inputs(base)
        todo["g"] = (
            ["consolidate", str(returns), "--progress", str(back), "--previous", str(regional), "--output", str(out)],
            out,
        )
    if "s" in cases:
        returns, regional = six_rounds(base)
        todo["s"] = (["consolidate", str(returns), "--previous", str(regional), "--output", str(out)], out)
    if "v" in cases:
        import make_corpus

        folder = make_corpus.corpus(1000)
        todo["v"] = (["validate", str(folder)], None)
    return todo


def progress_inputs(base: Side) -> tuple[Path, Path, Path]:
    """11 returns, their 2026 regional workbook, and 11 progress returns made from it with 10 milestones reported each."""
    from make_progress_samples import fill
    from openpyxl import load_workbook

    from rai_xl.layouts import progress as pg

    folder = WORK / "progress"
    returns, made, back, regional = folder / "returns", folder / "made", folder / "back", folder / "regional-2026.xlsx"
    if back.exists() and len(list(back.glob("*.xlsx"))) == 11:
        return returns, regional, back
    shutil.rmtree(folder, ignore_errors=True)
    for f in (returns, made, back):
        f.mkdir(parents=True)
    for f in (ROOT / "samples").glob("RAI-readiness-2026-*.xlsx"):
        shutil.copy(f, returns)
    base.run(["consolidate", str(returns), "--output", str(regional)], regional)
    base.run(["progress", "--previous", str(regional), "--all", "--output", str(made)])
    for path in sorted(made.iterdir()):
        ws = load_workbook(path, read_only=True)[pg.SHEET_PLAN]
        ids = [
            r[0] for r in ws.iter_rows(min_row=5, max_col=1, values_only=True) if r[0] and "." in r[0] and " " not in r[0]
        ]
        fill(
            path,
            {mid: {"status": "In progress", "notes": f"reported {i}"} for i, mid in enumerate(ids[:10])},
            date(2026, 11, 30),
            "benchmark",
        )
        shutil.copy(path, back)
    return returns, regional, back


def six_rounds(base: Side) -> tuple[Path, Path]:
    """The 11 samples' answers as 2030 returns, and a 2030 workbook holding 2025-2030 (each year consolidated
    in turn from the 2025 sample, its entries carried every round)."""
    import bench_record

    bench_record.WORK = WORK / "record"
    previous = ROOT / "samples" / "regional-2025.xlsx"
    last = WORK / "record" / "regional-2030.xlsx"
    (WORK / "record").mkdir(parents=True, exist_ok=True)
    if not last.exists():
        for year in range(2026, 2031):
            output = WORK / "record" / f"regional-{year}.xlsx"
            inputs = ROOT / "samples" if year == 2026 else bench_record.returns_for(year)
            base.run(["consolidate", str(inputs), "--previous", str(previous), "--output", str(output)], output)
            previous = output
    return bench_record.returns_for(2030), last


def measure(sides: list[Side], args: list[str], output: Path | None, runs: int) -> dict[str, list[tuple[float, float]]]:
    for side in sides:  # untimed: writes the bytecode, warms the file cache
        side.run(args, output)
    times: dict[str, list[tuple[float, float]]] = {s.name: [] for s in sides}
    for i in range(runs):
        for side in sides if i % 2 == 0 else sides[::-1]:
            times[side.name].append(side.run(args, output))
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--baseline", type=Path, required=True, help="a checkout of the baseline commit")
    ap.add_argument("--baseline-python", type=Path, help="its Python, with it installed (default DIR/.venv/bin/python)")
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--only", default="cpgsv")
    args = ap.parse_args()
    base_python = args.baseline_python or args.baseline / ".venv" / "bin" / "python"
    base, current = Side("baseline", base_python), Side("current", Path(sys.executable))
    commit = subprocess.run(
        ["git", "-C", str(args.baseline), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "rai_xl"], capture_output=True, text=True)
    print(f"baseline: {args.baseline} at {commit.stdout.strip()} ({base.script})")
    changed = " + uncommitted changes" if dirty.stdout.strip() else ""
    print(f"current:  {ROOT} at {head.stdout.strip()}{changed} ({current.script})")
    print(f"{os.cpu_count()} cores; both run with bytecode (PYTHONDONTWRITEBYTECODE unset, one untimed run each first)")
    todo = prepare(args.only, base)
    rows = []
    for case, (cmd, output) in todo.items():
        runs = max(3, args.runs // 2 + 1) if case == "v" else args.runs
        load0, (b0, t0), w0 = os.getloadavg()[0], cpu_jiffies(), time.perf_counter()
        times = measure([base, current], cmd, output, runs)
        b1, t1 = cpu_jiffies()
        wall = time.perf_counter() - w0
        ours = sum(sum(w for w, _ in v) for v in times.values())  # roughly: our children's wall on one core
        machine = (b1 - b0) / max(t1 - t0, 1) * (os.cpu_count() or 1)
        med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in times.items()}
        (bw, bc), (cw, cc) = med["baseline"], med["current"]
        key = cc / bc if case == "v" else cw / bw  # validate's bar is its CPU; consolidate's its wall time
        bar = BARS[case]
        verdict = "PASS" if key <= bar else "FAIL"
        line = (
            f"{case}. {NAMES[case]:<58} baseline {bw:6.3f} s (cpu {bc:6.3f})  current {cw:6.3f} s (cpu {cc:6.3f})  "
            f"ratio {cw / bw:.2f} wall, {cc / bc:.2f} cpu  bar {'cpu' if case == 'v' else 'wall'} <= {bar}: {verdict}  "
            f"[{runs} runs each; machine busy {machine:.2f} cores (ours ~{min(ours / wall, 2):.2f}); loadavg {load0:.2f}]"
        )
        rows.append(line)
        print(line, flush=True)
    print("\nuptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
