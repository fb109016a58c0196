"""Faults and odd values, each made real: a signal sent to the running process, a FIFO, a device, a sparse
file of 3 GB, a read-only folder and a full disk (a mount of their own, in a mount namespace), a second run
holding the lock, a terminal that cannot show Lao. Every test runs rai-xl in its own process, as a user
would, and looks at what it leaves behind."""

from __future__ import annotations

import fcntl
import io
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from rai_xl.issues import Msg
from tests.helpers import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="FIFOs, devices, signals and mounts of Linux")
SAMPLES = ROOT / "samples"
REGIONAL = SAMPLES / "regional-2025.xlsx"
LAO_PROGRESS = "RAI-progress-2025-Lao-PDR.xlsx"
TEMP_PREFIX = ".~rai-xl-"  # rai-xl's temporary files and locks (rai_xl.read.triage.TEMP_PREFIX)
CANNOT_READ = "the file cannot be read ({reason}): check that the path names the saved workbook itself"


def rai(*args: object, env: dict[str, str] | None = None, timeout: float = 120, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rai_xl", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        **kw,
    )


def start(*args: object, **kw) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "rai_xl", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        **kw,
    )


def returns(tmp_path: Path) -> Path:
    """The sample returns (questionnaires and progress returns) in a folder of their own."""
    folder = tmp_path / "returns"
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns("regional-*"))
    return folder


def no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    assert "internal error" not in proc.stderr, proc.stderr


def wait_for(check: Callable[[], bool], seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)


# ---------------------------------------------------------------- 1. inputs and records are never overwritten


def test_consolidate_never_writes_over_a_progress_return_even_with_force(tmp_path: Path) -> None:
    folder = returns(tmp_path)
    target = folder / LAO_PROGRESS
    before = target.read_bytes()
    for extra in ([], ["--progress", target]):
        proc = rai("consolidate", folder, *extra, "--previous", REGIONAL, "--output", target, "--force")
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.strip().splitlines() == [
            f"Error: {target} is a progress return from Lao PDR; rai-xl never writes over a return, --force or not: "
            "choose another output"
        ]
    assert target.read_bytes() == before


@pytest.mark.parametrize("command", ["progress", "questionnaire"])
def test_the_regional_workbook_read_as_previous_is_never_the_output(tmp_path: Path, command: str) -> None:
    reg = tmp_path / "reg.xlsx"
    shutil.copy(REGIONAL, reg)
    extra = ["--year", "2026"] if command == "questionnaire" else []
    proc = rai(command, "--previous", reg, "--country", "LA", *extra, "--output", reg, "--force")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"Error: {reg} is one of this run's inputs; rai-xl never writes over its input: choose another output"
    ]
    assert reg.read_bytes() == REGIONAL.read_bytes()


def test_questionnaire_all_force_never_overwrites_filled_returns(tmp_path: Path) -> None:
    folder = returns(tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    proc = rai("questionnaire", "--all", "--year", "2026", "--output", folder, "--force")
    assert proc.returncode == 2, proc.stderr
    assert re.fullmatch(
        r"Error: .*RAI-readiness-2026-Brunei-Darussalam.xlsx is a returned questionnaire from Brunei Darussalam "
        r"with answers; --force never replaces it: choose another output",
        proc.stderr.strip(),
    )
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    # blank questionnaires are what --force is for
    blank = tmp_path / "blank"
    assert rai("questionnaire", "--all", "--year", "2026", "--output", blank).returncode == 0
    proc = rai("questionnaire", "--all", "--year", "2026", "--output", blank, "--force")
    assert proc.returncode == 0, proc.stderr


def _entity_bomb(xlsx: bytes, part: str) -> bytes:
    """*xlsx* with an XML entity bomb declared at the top of *part*."""
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(f'<!ENTITY a{i} "{"&a;" * 10}">' for i in range(1, 5))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                root = re.match(rb"\s*<([\w:]+)", body)
                assert root
                data = b'<?xml version="1.0"?><!DOCTYPE ' + root.group(1) + b" [" + entities.encode() + b"]>" + body
            zout.writestr(info, data)
    return out.getvalue()


def _tracker_part(xlsx: bytes, sheet: str) -> str:
    """The zip part holding *sheet*, through the workbook's relationships (attributes in any order)."""

    def attrs(tag: str) -> dict[str, str]:
        return dict(re.findall(r'([\w:]+)="([^"]*)"', tag))

    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        book = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rid = next(a["r:id"] for t in re.findall(r"<sheet [^>]*>", book) if (a := attrs(t))["name"] == sheet)
    target = next(a["Target"] for t in re.findall(r"<Relationship [^>]*>", rels) if (a := attrs(t))["Id"] == rid)
    return "xl/" + target.lstrip("/").removeprefix("xl/")


def _a_tracker(xlsx: bytes) -> str:
    """Lao PDR's tracker (its profile is another sheet)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        book = zf.read("xl/workbook.xml").decode()
    assert '<sheet name="Lao PDR"' in book
    return "Lao PDR"


@pytest.mark.parametrize("kind", ["encrypted", "entity bomb"])
def test_a_regional_workbook_rai_xl_cannot_read_is_never_replaced_by_force(tmp_path: Path, kind: str) -> None:
    folder = returns(tmp_path)
    out = tmp_path / "regional.xlsx"
    good = REGIONAL.read_bytes()
    if kind == "encrypted":  # as Excel encrypts: an OLE container (its streams are not looked at further here)
        out.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    else:
        out.write_bytes(_entity_bomb(good, _tracker_part(good, _a_tracker(good))))
    before = out.read_bytes()
    proc = rai("consolidate", folder, "--output", out, "--force")
    assert proc.returncode == 2, proc.stderr
    line = proc.stderr.strip()
    assert line.startswith(f"Error: {out} is a workbook rai-xl cannot read (")
    assert line.endswith(
        "so what it holds is unknown; --force never replaces it: choose another output, or add --fresh to discard it "
        "and start the record again"
    )
    assert out.read_bytes() == before
    proc = rai("consolidate", folder, "--output", out, "--fresh")
    assert proc.returncode == 1, proc.stderr  # the Thailand sample is incomplete
    assert out.read_bytes() != before


# ---------------------------------------------------------------- 2. one run at a time; the guard; durable


def _lock(out: Path) -> Path:
    return out.with_name(f"{TEMP_PREFIX}lock-{out.name}")


def test_a_second_run_on_one_output_is_refused_in_one_line(tmp_path: Path) -> None:
    folder = returns(tmp_path)
    out = tmp_path / "regional.xlsx"
    with open(_lock(out), "w") as held:  # another run holds the lock, as rai-xl does
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        began = time.monotonic()
        proc = rai("consolidate", folder, "--output", out)
        assert time.monotonic() - began < 30
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"Error: {out} is being written by another rai-xl run (lock {_lock(out).name}): wait for it to end, then run again"
    ]
    assert not out.exists()


def test_two_consolidations_at_once_never_silently_replace_each_other(tmp_path: Path) -> None:
    folder = returns(tmp_path)
    out = tmp_path / "regional.xlsx"
    args = ("consolidate", folder, "--output", out, "--force")
    runs = [start(*args), start(*args)]
    ends = [(p.returncode, err) for p in runs for _, err in [p.communicate(timeout=120)]]
    assert sorted(rc for rc, _ in ends) == [1, 2], ends  # one wrote (1: the Thailand sample), one was refused
    refused = next(err for rc, err in ends if rc == 2)
    assert "being written by another rai-xl run" in refused or "regional workbook holding" in refused
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_the_open_workbook_guard_looks_beside_the_file_a_link_leads_to(tmp_path: Path) -> None:
    folder = returns(tmp_path)
    shared = tmp_path / "shared"
    shared.mkdir()
    real = shared / "regional.xlsx"
    real.write_bytes(b"open in Excel")
    (shared / "~$regional.xlsx").write_bytes(b"lock")
    link = tmp_path / "regional.xlsx"
    link.symlink_to(real)
    proc = rai("consolidate", folder, "--output", link, "--force")
    assert proc.returncode == 2, proc.stderr
    assert "is open in a spreadsheet program (lock file ~$regional.xlsx)" in proc.stderr
    assert real.read_bytes() == b"open in Excel"


def test_the_new_file_and_its_folder_are_flushed_to_the_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rai_xl.write import outputs

    synced: list[str] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(outputs.os, "fsync", spy)
    out = tmp_path / "a.txt"
    outputs.write_atomically(out, lambda tmp: tmp.write_text("x"))
    assert len(synced) == 2
    assert Path(synced[0]).name.startswith(TEMP_PREFIX)  # the file, before the rename
    assert synced[1] == str(tmp_path)  # its folder, after


# ---------------------------------------------------------------- 3. interrupted runs


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_the_writes_leaves_no_temporary_file(tmp_path: Path, signum: int) -> None:
    out = tmp_path / "q"
    proc = start("questionnaire", "--all", "--year", "2026", "--output", out)
    wait_for(lambda: out.is_dir() and any(p.name.startswith(TEMP_PREFIX) for p in out.iterdir()))
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum, err
    word = "interrupted" if signum == signal.SIGINT else "terminated"
    assert re.fullmatch(
        rf"rai-xl: {word}; (nothing was written|\d+ file\(s\) were written before it stopped \(.*\); the rest were not)",
        err.strip(),
    ), err
    assert not [p.name for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_ctrl_c_is_status_130_and_one_line(tmp_path: Path) -> None:
    folder = returns(tmp_path)
    out = tmp_path / "regional.xlsx"
    proc = start("consolidate", folder, "--previous", REGIONAL, "--output", out)
    wait_for(lambda: _lock(out).exists())  # running: past its imports, holding the lock
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.strip().splitlines() == ["rai-xl: interrupted; nothing was written"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["returns"]


def test_what_a_killed_run_left_is_skipped_by_every_reader_with_a_note(tmp_path: Path) -> None:
    folder = returns(tmp_path)
    left = folder / f"{TEMP_PREFIX}k2j4h1.xlsx"  # SIGKILL cannot be caught: this is what it leaves
    shutil.copy(folder / "RAI-readiness-2026-Lao-PDR.xlsx", left)
    proc = rai("validate", folder, "--json")
    verdict = next(o for o in json.loads(proc.stdout) if Path(o["file"]) == left)
    assert verdict["status"] == "skipped"
    assert [i["message"] for i in verdict["issues"]] == [Msg["RAI_XL_TEMP"].format()]


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(t) for t in text]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.parametrize("how", ["validate", "consolidate --previous"])
def test_worker_processes_end_with_their_parent(tmp_path: Path, how: str) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(10):
        for p in SAMPLES.glob("RAI-readiness-*.xlsx"):
            shutil.copy(p, folder / f"{i}-{p.name}")
    if how == "validate":
        args: tuple[object, ...] = ("validate", folder)
    else:
        args = ("consolidate", folder, "--previous", REGIONAL, "--output", tmp_path / "r.xlsx")
    proc = start(*args)
    wait_for(lambda: bool(_children(proc.pid)))
    workers = _children(proc.pid)
    proc.kill()
    proc.wait(30)
    for pipe in (proc.stdout, proc.stderr):
        assert pipe is not None
        pipe.close()
    end = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < end:
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers), "a worker outlived its parent"


def _caught_writing(out: Path) -> tuple[subprocess.Popen[str], list[int]] | None:
    """consolidate of the samples caught while the child writing half its sheets' XML is alive (without
    --previous it starts no other process); None when it ended before it was seen."""
    proc = start("consolidate", SAMPLES, "--output", out)
    while proc.poll() is None:
        try:
            children = _children(proc.pid)
        except FileNotFoundError:
            continue
        if children:
            return proc, children
        time.sleep(0.002)
    proc.communicate()
    out.unlink(missing_ok=True)
    return None


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGKILL])
def test_a_run_stopped_while_its_sheets_are_written_on_two_cores_leaves_nothing(tmp_path: Path, signum: int) -> None:
    """Ctrl-C while the forked child writes half the regional workbook's XML: the child is ended with its
    parent, the run is status 130 in one line, and no temporary file or output is left. Killed outright, the
    parent leaves the child nothing to write to: it ends too."""
    out = tmp_path / "regional.xlsx"
    caught = next(filter(None, (_caught_writing(out) for _ in range(20))), None)
    assert caught is not None, "the child writing the XML was never seen"
    proc, children = caught
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == (130 if signum == signal.SIGINT else -signal.SIGKILL)
    if signum == signal.SIGINT:
        assert err.strip().splitlines() == ["rai-xl: interrupted; nothing was written"]
        assert sorted(p.name for p in tmp_path.iterdir()) == []  # no output, no temporary file, no lock
    end = time.monotonic() + 10
    while any(_alive(c) for c in children) and time.monotonic() < end:
        time.sleep(0.05)
    assert not any(_alive(c) for c in children), "the child outlived its parent"


# ---------------------------------------------------------------- 4. only regular files are read


def _not_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    fifo = tmp_path / "fifo.xlsx"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.xlsx"
    zero.symlink_to("/dev/zero")
    sparse = tmp_path / "sparse.xlsx"
    with open(sparse, "wb") as f:
        f.truncate(3 * 1024**3)  # 3 GB, taking no room on the disk
    return {
        "fifo": (fifo, "it is a named pipe (FIFO), not a file"),
        "device": (zero, "it is a device, not a file"),
        "sparse": (sparse, "the file is 3.0 GB; a workbook for rai-xl is well under 200 MB"),
    }


@pytest.mark.parametrize("kind", ["fifo", "device", "sparse"])
def test_what_is_not_a_regular_file_is_refused_at_once_in_every_command(tmp_path: Path, kind: str) -> None:
    path, why = _not_files(tmp_path)[kind]
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copy(SAMPLES / "RAI-readiness-2026-Lao-PDR.xlsx", folder)
    os.rename(path, folder / path.name) if kind != "device" else (folder / path.name).symlink_to("/dev/zero")
    path = folder / path.name
    out = tmp_path / "out"
    commands = [
        ("validate", path),
        ("validate", folder),
        ("score", path),
        ("consolidate", folder, "--output", out / "a.xlsx"),
        ("consolidate", SAMPLES, "--previous", path, "--output", out / "b.xlsx"),
        ("consolidate", SAMPLES, "--previous", REGIONAL, "--progress", path, "--output", out / "c.xlsx"),
        ("questionnaire", "--country", "LA", "--year", "2026", "--previous", path, "--output", out / "q.xlsx"),
        ("progress", "--previous", path, "--country", "LA", "--output", out / "p.xlsx"),
    ]
    out.mkdir()
    for args in commands:
        began = time.monotonic()
        proc = rai(*args, timeout=60)
        assert time.monotonic() - began < 20, args
        no_traceback(proc)
        assert proc.returncode in (1, 2), (args, proc.stderr)
        said = [line for line in (proc.stdout + proc.stderr).splitlines() if why in line]
        assert said, (args, proc.stdout, proc.stderr)
        assert all(len(line) < 400 for line in said)


def test_one_wording_for_an_input_that_cannot_be_read(tmp_path: Path) -> None:
    from rai_xl.read.spreadsheet.files import NotAFile
    from rai_xl.read.triage import TEMP_PREFIX as prefix

    assert str(NotAFile("why")) == Msg.CANNOT_OPEN.format(reason="why") == CANNOT_READ.format(reason="why")
    assert prefix == TEMP_PREFIX
    missing = tmp_path / "missing.xlsx"
    said = CANNOT_READ.format(reason="No such file or directory")
    for command in (["progress", "--country", "LA"], ["questionnaire", "--country", "LA", "--year", "2026"]):
        proc = rai(*command, "--previous", missing, "--output", tmp_path / "x.xlsx")
        assert proc.returncode == 2
        assert proc.stderr.strip().splitlines() == [f"Error: --previous {missing}: {said}"]
    link = tmp_path / "gone.xlsx"
    link.symlink_to(missing)
    proc = rai("validate", link)
    assert f"{link}: rejected: {said}" in proc.stdout.splitlines()
    proc = rai("consolidate", SAMPLES, "--previous", REGIONAL, "--progress", link, "--output", tmp_path / "r.xlsx")
    assert f"{link}: progress return: rejected: {said}" in proc.stderr.splitlines()


def test_a_link_to_a_folder_among_the_returns_is_followed_as_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(SAMPLES / "RAI-readiness-2026-Lao-PDR.xlsx", elsewhere)
    (folder / "lao").symlink_to(elsewhere, target_is_directory=True)
    (elsewhere / "loop").symlink_to(folder, target_is_directory=True)  # and back: each folder is read once
    proc = rai("validate", folder, "--json")
    files = [(Path(o["file"]).name, o["outcome"]) for o in json.loads(proc.stdout)]
    assert files == [("RAI-readiness-2026-Lao-PDR.xlsx", "included")], proc.stdout


# ---------------------------------------------------------------- 5. a read-only folder, a disk that fills


def in_own_mount(tmp_path: Path, mount: str, *args: object, python_args: bool = False) -> subprocess.CompletedProcess[str]:
    """rai-xl run with *mount* ('ro': tmp_path/ro read-only; 'full': tmp_path/full a 200 KB file system) in a
    mount namespace of its own: real for root too, which a chmod would not stop."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not installed")
    target = tmp_path / mount
    target.mkdir(exist_ok=True)
    how = f"mount --bind {target} {target} && mount -o remount,ro,bind {target}"
    if mount == "full":
        how = f"mount -t tmpfs -o size=200k tmpfs {target}"
    probe = subprocess.run(["unshare", "-m", "sh", "-c", how], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a mount namespace here: {probe.stderr.decode().strip()}")
    words = (sys.executable, *map(str, args)) if python_args else (sys.executable, "-m", "rai_xl", *map(str, args))
    command = " ".join(shlex.quote(a) for a in words)
    return subprocess.run(["unshare", "-m", "sh", "-c", f"{how} && {command}"], capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize("command", ["questionnaire", "progress"])
def test_all_under_a_read_only_folder_is_status_2_in_one_line(tmp_path: Path, command: str) -> None:
    args = ["--year", "2026"] if command == "questionnaire" else ["--previous", REGIONAL]
    for out in (tmp_path / "ro", tmp_path / "ro" / "new"):
        proc = in_own_mount(tmp_path, "ro", command, "--all", *args, "--output", out)
        no_traceback(proc)
        assert proc.returncode == 2, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
        assert "Read-only file system" in proc.stderr


def test_a_disk_that_fills_part_way_says_what_was_written(tmp_path: Path) -> None:
    proc = in_own_mount(tmp_path, "full", "questionnaire", "--all", "--year", "2026", "--output", tmp_path / "full")
    no_traceback(proc)
    assert proc.returncode == 2, proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert "No space left on device" in line
    assert re.search(r"; \d+ file\(s\) were written before it stopped \(RAI-readiness-2026-.*\); the rest were not$", line)


# ---------------------------------------------------------------- 6. values at Excel's edges


def _set_cell(xlsx: bytes, part: str, ref: str, cell_xml: str) -> bytes:
    """*xlsx* with the cell *ref* of *part* replaced by *cell_xml* (added to its row when it is not there)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:
                text = data.decode()
                cell = re.compile(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', re.S)
                if cell.search(text):
                    text = cell.sub(lambda _: cell_xml, text, count=1)
                else:
                    row = re.sub(r"\D", "", ref)
                    text = re.sub(rf'(<row r="{row}"[^>]*>)', lambda m: m.group(1) + cell_xml, text, count=1)
                data = text.encode()
            zout.writestr(info, data)
    return out.getvalue()


def _lead_agency(xlsx: bytes, sheet: str) -> str:
    """The cell of the first Lead agency below the header of a tracker-like *sheet* (via openpyxl)."""
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx), read_only=True)[sheet]
    for row in ws.iter_rows(max_row=40):
        for c in row:
            if c.value == "Lead agency":
                return f"{c.column_letter}{c.row + 2}"
    raise AssertionError("no Lead agency header")


@pytest.mark.parametrize("raw", ["NaN", "INF", "-Infinity", "1e999"])
def test_a_number_no_cell_can_hold_is_read_as_its_text(tmp_path: Path, raw: str) -> None:
    good = REGIONAL.read_bytes()
    sheet = _a_tracker(good)
    ref = _lead_agency(good, sheet)
    prev = tmp_path / "regional-2025.xlsx"
    prev.write_bytes(_set_cell(good, _tracker_part(good, sheet), ref, f'<c r="{ref}"><v>{raw}</v></c>'))
    folder = returns(tmp_path)
    proc = rai("consolidate", folder, "--previous", prev, "--output", tmp_path / "r.xlsx")
    no_traceback(proc)
    assert proc.returncode == 1, proc.stderr
    proc = rai("progress", "--previous", prev, "--country", "LA", "--output", tmp_path / "p.xlsx")
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    from rai_xl.read.spreadsheet import read_workbook

    cell = read_workbook(prev.read_bytes(), {sheet}).sheet(sheet).cells  # type: ignore[union-attr]
    assert raw in [c.value for c in cell.values()]


def test_a_value_of_1_mb_is_quoted_as_a_short_excerpt(tmp_path: Path) -> None:
    folder = tmp_path / "progress"
    folder.mkdir()
    ret = folder / LAO_PROGRESS
    good = (SAMPLES / LAO_PROGRESS).read_bytes()
    sheet, ref = "Progress", "G9"  # the Status of P1.3.1.S2
    huge = "Completed " + "x" * 1_000_000
    cell = f'<c r="{ref}" t="inlineStr"><is><t>{huge}</t></is></c>'
    ret.write_bytes(_set_cell(good, _tracker_part(good, sheet), ref, cell))
    proc = rai("validate", folder)
    no_traceback(proc)
    assert max(map(len, proc.stdout.splitlines())) < 1000
    assert "(1,000,010 characters)" in proc.stdout
    proc = rai("consolidate", SAMPLES, "--previous", REGIONAL, "--progress", folder, "--output", tmp_path / "r.xlsx")
    no_traceback(proc)
    assert proc.returncode in (1, 2), proc.stderr
    assert max(map(len, (proc.stdout + proc.stderr).splitlines())) < 1000


def test_an_entity_bomb_in_progress_previous_is_refused_as_in_returns(tmp_path: Path) -> None:
    good = REGIONAL.read_bytes()
    prev = tmp_path / "regional-2025.xlsx"
    prev.write_bytes(_entity_bomb(good, _tracker_part(good, _a_tracker(good))))
    proc = rai("progress", "--previous", prev, "--all", "--output", tmp_path / "p")
    no_traceback(proc)
    assert proc.returncode == 2, proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert "declares XML entities or a DTD" in line


def test_an_entity_bomb_on_the_progress_sheet_of_previous_is_refused_not_taken_as_no_table(tmp_path: Path) -> None:
    folder = tmp_path / "reg"
    folder.mkdir()
    first = tmp_path / "regional-2026.xlsx"  # a record whose Progress table holds the Member States' changes
    proc = rai("consolidate", returns(tmp_path), "--previous", REGIONAL, "--output", first)
    assert proc.returncode == 1, proc.stderr
    good = first.read_bytes()
    bombed = folder / "regional-2026.xlsx"
    bombed.write_bytes(_entity_bomb(good, _tracker_part(good, "Progress")))
    proc = rai("consolidate", SAMPLES, "--previous", bombed, "--output", tmp_path / "next.xlsx")
    no_traceback(proc)
    assert proc.returncode == 2, proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert "declares XML entities or a DTD" in line
    assert not (tmp_path / "next.xlsx").exists()


def test_a_cell_nested_a_million_deep_is_refused_in_bounded_memory() -> None:
    import tracemalloc

    from rai_xl.read.spreadsheet import UnreadableFile, read_workbook

    good = (SAMPLES / "RAI-readiness-2026-Lao-PDR.xlsx").read_bytes()
    deep = '<row r="999"><c r="A999" t="inlineStr"><is>' + "<r>" * 10**6 + "</r>" * 10**6 + "</is></c></row></sheetData>"
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    data = _set_part(good, "xl/worksheets/sheet1.xml", sheet.replace("</sheetData>", deep))
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableFile, match="nests elements more than 10,000 deep"):
            read_workbook(data)
        assert tracemalloc.get_traced_memory()[1] < 32 * 1024 * 1024
    finally:
        tracemalloc.stop()


def _set_part(xlsx: bytes, part: str, text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, text.encode() if info.filename == part else zin.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------- 7. any terminal; the error boundary


def test_a_terminal_that_cannot_show_lao_never_fails_the_output(make_return, tmp_path: Path) -> None:
    path = make_return("lao.xlsx", respondent={"name": "ສົມສັກ ພົມມະວົງ"})
    env = {"PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0"}
    proc = rai("validate", path.parent, "--year", "2026", env=env)
    no_traceback(proc)
    assert proc.returncode == 1, proc.stderr  # a blank return
    assert "Chase list 2026" in proc.stdout
    exact = rai("validate", path.parent, "--json", env=env)
    assert exact.returncode == 1, exact.stderr
    assert "ສົມສັກ" not in exact.stdout  # escaped, as the terminal cannot show it, and read back exact
    assert json.loads(exact.stdout) == json.loads(rai("validate", path.parent, "--json").stdout)


def test_when_the_crash_report_cannot_be_written_the_boundary_still_holds(tmp_path: Path) -> None:
    """A bug, and the temporary folder read-only (a real mount): one line, status 3, no traceback."""
    code = (
        "import sys, tempfile, rai_xl.workflow as w\n"
        "def boom(*a, **k): raise RuntimeError('a bug')\n"
        "w.check = boom\n"
        f"tempfile.tempdir = {str(tmp_path / 'ro')!r}\n"
        "from rai_xl.cli import main\n"
        f"sys.argv = ['rai-xl', 'validate', {str(SAMPLES)!r}]\n"
        "main()\n"
    )
    proc = in_own_mount(tmp_path, "ro", "-c", code, python_args=True)
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("rai-xl: internal error (RuntimeError: a bug); this is a bug in rai-xl")
    assert line.endswith(
        "Full report: none (it could not be saved: Read-only file system; run again with --debug to see it)"
    )


def test_a_command_leaves_with_its_status_and_all_it_printed(tmp_path: Path) -> None:
    """rai-xl leaves without tearing the interpreter down (rai_xl.cli.main): what it printed to a pipe, which
    Python writes in blocks, is flushed first, whole, and the status is the command's."""
    validated = rai("validate", SAMPLES, "--json")
    assert validated.returncode == 1, validated.stderr  # the sample Thailand return is incomplete on purpose
    found = json.loads(validated.stdout)
    assert [f.get("outcome") for f in found].count("included") == 11
    assert [Path(f["file"]).name for f in found if f["status"] == "skipped"] == ["regional-2025.xlsx"]
    out = tmp_path / "regional.xlsx"
    made = rai("consolidate", SAMPLES, "--output", out)
    assert made.returncode == 1
    assert made.stdout.splitlines()[-1] == f"wrote {out}: 11 Member State(s) included, round 2026"
    asked = rai("score", SAMPLES / "RAI-readiness-2026-Lao-PDR.xlsx", "--json")
    assert (asked.returncode, json.loads(asked.stdout)["country"]["code"]) == (0, "LA")
    # and what was written to standard output without click (which flushes each line itself)
    probe = "import sys; from rai_xl.cli import _leave; sys.stdout.write('held in the buffer'); _leave(None)"
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as most machines run it
    left = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env=buffered)
    assert (left.returncode, left.stdout) == (0, "held in the buffer")


@pytest.mark.parametrize("method", ["forkserver", "spawn"])
def test_workers_start_and_end_with_rai_xl_whatever_pythons_default(tmp_path: Path, method: str) -> None:
    """Python 3.14 starts worker processes from a fork server by default on Linux (others spawn them): rai-xl's
    workers (the previous workbook read beside the returns, returns read in parallel) still work and end with it."""
    folder = tmp_path / "returns"
    folder.mkdir()
    for i in range(48):  # enough to be read in parallel
        shutil.copy(SAMPLES / "RAI-readiness-2026-Lao-PDR.xlsx", folder / f"copy-{i:02}.xlsx")
    out = tmp_path / "regional.xlsx"
    driver = (
        f"import multiprocessing, sys; multiprocessing.set_start_method({method!r}); "
        "from rai_xl.cli import main; sys.argv = ['rai-xl', *sys.argv[1:]]; main()"
    )
    made = subprocess.run(
        [sys.executable, "-c", driver, "consolidate", str(SAMPLES), "--previous", str(REGIONAL), "--output", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert made.returncode == 1, made.stderr  # the sample Thailand return is incomplete on purpose
    assert "carried from regional-2025.xlsx (2025)" in made.stdout
    checked = subprocess.run(
        [sys.executable, "-c", driver, "validate", str(folder)], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert checked.returncode == 0, checked.stderr  # 48 copies of one return: counted once
    assert checked.stdout.splitlines()[-1] == "48 file(s): 1 included, 47 superseded"
