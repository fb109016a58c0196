"""Time rai-xl against the bars it must clear (benchmarks/README.md) and print one table.

Usage: python benchmarks/bench.py [--quick] [--only a,b,c,d,e] [--importtime]

  a  reading + checking + scoring one return (rai_xl.returns.read_return) against the floor of
     merely unzipping it and parsing all its XML parts with the standard library, side by side
     in this process, per file, on benchmarks/_work/corpus-100 (target: within 2x)
  b  `rai-xl validate DIR` as a subprocess on 100, 300 and 1,000 returns: wall time (target
     under 5 s for 1,000) and peak memory (target: flat in the number of files)
  c  `rai-xl consolidate samples/` (the 11 Member States): wall time (target under 1.5 s)
  d  `rai-xl --help` and `rai-xl --version` start-up: wall time (target under 0.3 s); when over,
     or with --importtime, the slowest imports from `python -X importtime`
  e  `rai-xl pack` of the regional workbook of the 11 samples (carried from regional-2025.xlsx with
     its progress returns), side by side with the `consolidate` that makes that workbook, runs
     interleaved (target: the pack takes no longer than the consolidation)

Every figure is the median of several runs (--quick: fewer). The corpora are built by
make_corpus.py on first use and cached under benchmarks/_work/.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import fromstring

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work"
sys.path.insert(0, str(HERE))

import make_corpus  # noqa: E402  (beside this file)

# validate and consolidate run rai-xl as the current directory holds it (before an installed one): run
# from another checkout's root to time that checkout with this script and these corpora. Start-up (d)
# times the installed command.
RAI_XL = [sys.executable, "-m", "rai_xl"]
# rai-xl runs with bytecode, as an installed rai-xl does (pip install writes it): a machine that sets
# PYTHONDONTWRITEBYTECODE would otherwise time the compiling of rai-xl's modules on every run.
BYTECODE = os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None
SCRIPT = str(Path(sys.executable).parent / "rai-xl") if (Path(sys.executable).parent / "rai-xl").exists() else "rai-xl"

# Runs one command in a fresh process and reports its wall time and the peak resident memory of
# the largest process in its tree (getrusage(RUSAGE_CHILDREN) covers every waited-for descendant).
WRAPPER = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
wall = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "rc": rc, "maxrss_kb": ru.ru_maxrss, "cpu": ru.ru_utime + ru.ru_stime}))
"""


@dataclass
class Row:
    what: str
    median: str
    runs: int | str
    target: str = ""
    verdict: str = ""  # a ratio, PASS or FAIL, or a note


ROWS: list[Row] = []


def out(row: Row) -> None:
    ROWS.append(row)
    print(f"  {row.what}: {row.median} ({row.runs} runs) {row.target} {row.verdict}".rstrip(), flush=True)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms" if seconds < 0.1 else f"{seconds:.3f} s"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def cpu_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def own_cpu() -> float:
    """CPU seconds used so far by this process and its waited-for children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def wait_quiet(limit: float) -> float:
    """Wait (up to *limit* s) until other processes use under 0.1 core over 1 s; the cores they used last."""
    deadline = time.monotonic() + limit
    while True:
        b0, t0 = cpu_jiffies()
        time.sleep(1)
        b1, t1 = cpu_jiffies()
        busy = (b1 - b0) / max(t1 - t0, 1) * (os.cpu_count() or 1)
        if busy < 0.1 or time.monotonic() >= deadline:
            return busy


def section(name: str, limit: float, body) -> None:
    """Run one benchmark, after waiting for a quiet machine; note how busy other processes kept it."""
    before = wait_quiet(limit)
    if before >= 0.1:
        print(f"  note: other processes were using {before:.1f} cores before {name}; figures may be slowed")
    b0 = cpu_jiffies()[0]
    c0, w0 = own_cpu(), time.perf_counter()
    body()
    b1 = cpu_jiffies()[0]
    wall = time.perf_counter() - w0
    hz = os.sysconf("SC_CLK_TCK")
    others = max(((b1 - b0) / hz - (own_cpu() - c0)) / wall, 0.0)
    # (the /proc/stat clock counts whole ticks: anything under ~0.05 core is noise)
    out(Row(f"{name}. other processes' load during {name}", f"{others:.2f} cores", 1, "~0", ""))


def run_wrapped(cmd: list[str]) -> dict:
    res = subprocess.run([sys.executable, "-c", WRAPPER, *cmd], capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


# ---------------------------------------------------------------- (a) per-file read vs floor


def floor(data: bytes) -> None:
    """The floor: unzip every part and parse every XML part with the standard library."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.endswith((".xml", ".rels")):
                fromstring(zf.read(name))


def bench_read(runs: int) -> None:
    from rai_xl.method.catalogue import load_catalogue
    from rai_xl.read.returns import read_return

    corpus = make_corpus.corpus(100)
    files = sorted(corpus.iterdir())
    groups: dict[str, list[tuple[Path, bytes]]] = {}
    for p in files:
        kind = "ods (LibreOffice)" if p.suffix == ".ods" else f"xlsx ({p.name.split('-')[1]})"
        groups.setdefault(kind.replace("libreoffice", "LibreOffice"), []).append((p, p.read_bytes()))
    catalogue = load_catalogue()
    for items in groups.values():  # warm-up: imports, caches, the catalogue's lazy parts
        for p, data in items:
            floor(data)
            read_return(p, catalogue, data)
    per_run: dict[str, list[tuple[float, float]]] = {k: [] for k in groups}
    for _ in range(runs):
        for kind, items in groups.items():
            t0 = time.perf_counter()
            for _p, data in items:
                floor(data)
            t1 = time.perf_counter()
            for p, data in items:
                read_return(p, catalogue, data)
            t2 = time.perf_counter()
            per_run[kind].append((t1 - t0, t2 - t1))
    n = len(files)
    rai = statistics.median(sum(per_run[k][i][1] for k in groups) / n for i in range(runs))
    flo = statistics.median(sum(per_run[k][i][0] for k in groups) / n for i in range(runs))
    print(f"(a) reading one return, on {n} returns of {corpus.name}")
    out(Row("a. read+check+score, per file", ms(rai), runs))
    out(Row("a. floor: unzip + parse all XML, per file", ms(flo), runs))
    out(Row("a. ratio read / floor", f"{rai / flo:.2f}x", runs, "<= 2x", verdict(rai / flo <= 2)))
    for kind, samples in per_run.items():
        k = len(groups[kind])
        r = statistics.median(s[1] for s in samples) / k
        f = statistics.median(s[0] for s in samples) / k
        out(Row(f"a.   {kind}, {k} files: read {ms(r)}, floor {ms(f)}", f"{r / f:.2f}x", runs, "<= 2x", "(detail)"))


# ---------------------------------------------------------------- (b) validate


def tree_peak_rss_kb(cmd: list[str]) -> tuple[int, float]:
    """Run *cmd*, sampling the summed RSS of its whole process tree every 5 ms: (peak KiB, wall)."""

    def children(pid: int) -> list[int]:
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as fh:
                kids = [int(x) for x in fh.read().split()]
        except OSError:
            return []
        return kids + [g for k in kids for g in children(k)]

    def rss_kb(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(rss_kb(p) for p in [proc.pid, *children(proc.pid)]))
        time.sleep(0.005)
    return peak, time.perf_counter() - t


def floor_folder(folder: Path) -> tuple[float, float]:
    """(wall, CPU) seconds to read every file of *folder* and take each to the floor, in this one process."""
    t, c = time.perf_counter(), time.process_time()
    for p in sorted(folder.iterdir()):
        floor(p.read_bytes())
    return time.perf_counter() - t, time.process_time() - c


def bench_validate(runs: int, sizes: tuple[int, ...] = (100, 300, 1000)) -> None:
    print(f"(b) rai-xl validate DIR, {os.cpu_count()} cores")
    peaks = {}
    for n in sizes:
        corpus = make_corpus.corpus(n)
        cmd = [*RAI_XL, "validate", str(corpus)]
        floors, results = [], []
        for _ in range(runs):  # side by side: the floor, then validate
            if n == sizes[-1]:
                floors.append(floor_folder(corpus))
            results.append(run_wrapped(cmd))
        if any(r["rc"] not in (0, 1) for r in results):
            sys.exit(f"rai-xl validate {corpus} failed: exit status {results[0]['rc']}")
        wall = statistics.median(r["wall"] for r in results)
        cpu = statistics.median(r["cpu"] for r in results)
        peak = statistics.median(r["maxrss_kb"] for r in results)
        peaks[n] = peak
        target, ok = ("< 5 s", verdict(wall < 5)) if n == 1000 else ("", f"cpu {cpu:.2f} s")
        if n == 1000:
            ok += f", cpu {cpu:.2f} s"
        out(Row(f"b. validate {n} returns: wall", ms(wall), runs, target, ok))
        if floors:
            flo = statistics.median(f[0] for f in floors)
            flo_cpu = statistics.median(f[1] for f in floors)
            out(
                Row(
                    f"b. floor: read, unzip, parse every part of the {n}, one process",
                    ms(flo),
                    runs,
                    "",
                    f"cpu {flo_cpu:.2f} s",
                )
            )
            out(Row(f"b. ratio validate {n} wall / floor", f"{wall / flo:.2f}x", runs, "<= 2x", verdict(wall / flo <= 2)))
            # what other processes cannot disturb: validate's CPU shared by the cores, against the floor's
            cores = os.cpu_count() or 1
            out(Row(f"b.   validate cpu / {cores} cores / floor cpu", f"{cpu / cores / flo_cpu:.2f}x", runs, "", "(detail)"))
        out(Row(f"b. validate {n} returns: peak RSS, largest process", f"{peak / 1024:.0f} MiB", runs))
        tree, _ = tree_peak_rss_kb(cmd)
        out(Row(f"b. validate {n} returns: peak RSS, whole tree (sampled)", f"{tree / 1024:.0f} MiB", 1))
    growth = peaks[sizes[-1]] / peaks[sizes[0]]
    out(
        Row(
            f"b. memory growth {sizes[0]} -> {sizes[-1]} returns (largest process)",
            f"{growth:.2f}x",
            runs,
            "flat (<= 1.25x)",
            verdict(growth <= 1.25),
        )
    )


# ---------------------------------------------------------------- (c) consolidate


def bench_consolidate(runs: int) -> None:
    print("(c) rai-xl consolidate samples/ (11 Member States)")
    output = WORK / "regional-bench.xlsx"
    WORK.mkdir(exist_ok=True)
    cmd = [*RAI_XL, "consolidate", str(ROOT / "samples"), "--output", str(output)]
    results = []
    for _ in range(runs):
        output.unlink(missing_ok=True)  # a new workbook each time: replacing one would first read it
        results.append(run_wrapped(cmd))
    if any(r["rc"] not in (0, 1) for r in results) or not output.exists():
        sys.exit(f"rai-xl consolidate failed: exit status {results[0]['rc']}")
    wall = statistics.median(r["wall"] for r in results)
    peak = statistics.median(r["maxrss_kb"] for r in results)
    out(Row("c. consolidate 11 returns: wall", ms(wall), runs, "< 1.5 s", verdict(wall < 1.5)))
    out(Row("c. consolidate 11 returns: peak RSS", f"{peak / 1024:.0f} MiB", runs))


# ---------------------------------------------------------------- (e) pack


def bench_pack(runs: int) -> None:
    print("(e) rai-xl pack of the 11 samples' regional workbook, beside the consolidate that makes it")
    WORK.mkdir(exist_ok=True)
    regional, pdf = WORK / "regional-pack-bench.xlsx", WORK / "pack-bench.pdf"
    samples = ROOT / "samples"
    previous = str(samples / "regional-2025.xlsx")
    made = [*RAI_XL, "consolidate", str(samples), "--previous", previous, "--output", str(regional)]
    typeset = [*RAI_XL, "pack", str(regional), "--output", str(pdf), "--force"]
    consolidated, packed = [], []
    for _ in range(runs):  # interleaved, so that both see the same machine
        regional.unlink(missing_ok=True)
        consolidated.append(run_wrapped(made))
        packed.append(run_wrapped(typeset))
    if any(r["rc"] not in (0, 1) for r in consolidated) or any(r["rc"] != 0 for r in packed):
        sys.exit(f"consolidate or pack failed: exit status {consolidated[0]['rc']}, {packed[0]['rc']}")
    c_wall = statistics.median(r["wall"] for r in consolidated)
    p_wall = statistics.median(r["wall"] for r in packed)
    out(Row("e. consolidate 11 returns --previous: wall", ms(c_wall), runs))
    out(Row("e. pack of that workbook: wall", ms(p_wall), runs, "<= consolidate", verdict(p_wall <= c_wall)))
    out(Row("e. pack / consolidate", f"{p_wall / c_wall:.2f}x", runs, "<= 1.00x", verdict(p_wall <= c_wall)))
    out(Row("e. pack: peak RSS", f"{statistics.median(r['maxrss_kb'] for r in packed) / 1024:.0f} MiB", runs))


# ---------------------------------------------------------------- (d) start-up


def import_offenders(args: list[str], top: int = 10) -> list[tuple[int, int, str]]:
    """(cumulative us, self us, module) of the slowest imports while running `rai-xl ARGS`."""
    code = f"import sys; sys.argv = ['rai-xl', *{args!r}]; from rai_xl.cli import main; main()"
    res = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True)
    rows = []
    for line in res.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            self_us, cum_us, name = (x.strip() for x in line[len("import time:") :].split("|"))
            rows.append((int(cum_us), int(self_us), name))
    return sorted(rows, reverse=True)[:top]


def bench_startup(runs: int, show_imports: bool) -> None:
    print("(d) start-up")
    slow = []
    for args in (["--help"], ["--version"]):
        results = [run_wrapped([SCRIPT, *args]) for _ in range(runs)]
        wall = statistics.median(r["wall"] for r in results)
        out(Row(f"d. rai-xl {args[0]}", ms(wall), runs, "< 0.3 s", verdict(wall < 0.3)))
        if wall >= 0.3 or show_imports:
            slow.append(args)
    for args in slow:
        print(f"  slowest imports for rai-xl {args[0]} (python -X importtime; cumulative, self):")
        for cum, own, name in import_offenders(args):
            print(f"    {cum / 1000:7.1f} ms {own / 1000:7.1f} ms  {name}")


# ---------------------------------------------------------------- main


def table() -> str:
    heads = ("what", "median", "runs", "target", "ratio / pass")
    cells = [heads] + [(r.what, r.median, str(r.runs), r.target, r.verdict) for r in ROWS]
    widths = [max(len(c[i]) for c in cells) for i in range(len(heads))]
    lines = [" | ".join(c[i].ljust(widths[i]) for i in range(len(heads))).rstrip() for c in cells]
    lines.insert(1, "-|-".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer runs per figure")
    ap.add_argument("--only", default="a,b,c,d,e", help="which benchmarks, e.g. a,d (default: all)")
    ap.add_argument("--importtime", action="store_true", help="always show the slowest imports in (d)")
    ap.add_argument(
        "--wait-quiet",
        type=float,
        default=120,
        metavar="S",
        help="before each benchmark, wait up to S seconds for other processes to leave the cores idle (default 120)",
    )
    opts = ap.parse_args()
    only = set(opts.only.split(","))
    from rai_xl import __version__

    sha = hashlib.sha256(b"".join(p.read_bytes() for p in sorted((ROOT / "rai_xl").rglob("*.py")))).hexdigest()[:12]
    print(
        f"rai-xl {__version__} (sources {sha}), Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}"
        f"{', quick' if opts.quick else ''}"
    )
    print(f"rai-xl runs with bytecode, as users run it{' (PYTHONDONTWRITEBYTECODE unset for it)' if BYTECODE else ''}")
    if shutil.which("soffice") is None:
        print("note: LibreOffice (soffice) not found; the corpora hold openpyxl-saved returns only")
    q = opts.quick
    wait = opts.wait_quiet
    if "a" in only:
        section("a", wait, lambda: bench_read(5 if q else 15))
    if "b" in only:
        section("b", wait, lambda: bench_validate(2 if q else 5))
    if "c" in only:
        section("c", wait, lambda: bench_consolidate(3 if q else 7))
    if "d" in only:
        section("d", wait, lambda: bench_startup(5 if q else 15, opts.importtime))
    if "e" in only:
        section("e", wait, lambda: bench_pack(3 if q else 7))
    print()
    print(table())


if __name__ == "__main__":
    main()
