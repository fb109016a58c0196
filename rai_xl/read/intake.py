"""Find the returned files under the paths a coordinator gives, and read them (in parallel when many)."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from rai_xl.core.submission import Submission
from rai_xl.errors import UsageError
from rai_xl.method.catalogue import load_catalogue
from rai_xl.read.returns import read_return
from rai_xl.read.triage import SPREADSHEET_SUFFIXES, not_a_submission

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

PARALLEL_FROM = 48  # below this, starting worker processes costs more than it saves


class NothingToRead(UsageError):
    """A path holds no spreadsheet at all."""


class Found(NamedTuple):
    path: Path
    named: bool  # named on the command line (True) or met while searching a folder (False)


def discover(paths: Iterable[Path], exclude: Iterable[Path] = ()) -> list[Found]:
    """Every file named, and every file under every folder named (sorted), except *exclude*."""
    excluded = {p.resolve() for p in exclude}
    found: list[Found] = []
    for path in paths:
        if path.is_dir():
            files = [p for p in _walk(path) if p.resolve() not in excluded]
            if not any(p.suffix.lower() in SPREADSHEET_SUFFIXES and not not_a_submission(p) for p in files):
                zips = [p.name for p in files if p.suffix.lower() == ".zip"]
                hint = f"; it holds zip archives ({', '.join(zips)}): unzip them first" if zips else ""
                raise NothingToRead(f"no spreadsheets (.xlsx or .ods) found in {path}{hint}")
            found.extend(Found(p, False) for p in files)
        elif path.exists() or path.is_symlink():  # a broken link named gets its one-line reason, as in a folder
            found.append(Found(path, True))
        else:
            raise NothingToRead(f"{path} does not exist")
    unique: dict[Path, Found] = {}
    for f in found:
        unique.setdefault(f.path, f)  # a file named twice, or named and inside a folder named, is read once
    return list(unique.values())


def _walk(folder: Path) -> list[Path]:
    """Every file under *folder*, sorted. A link to a folder is followed as a folder (each folder once, so a
    link back up ends); a broken link, a FIFO or a device is listed too: each gets its own one-line reason
    rather than vanishing."""
    out: list[Path] = []
    seen: set[str] = set()
    for top, dirs, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(top)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        out.extend(Path(top, n) for n in names)
    return sorted(out)


def _read_one(found: Found) -> Submission:
    return read_return(found.path, load_catalogue(), named=found.named)


def read_all(files: list[Found], progress: Callable[[int], None] | None = None) -> Iterator[Submission]:
    """Read every file, in the order given; uses the machine's cores when there are many files."""
    workers = min(os.cpu_count() or 1, 8)
    if len(files) < PARALLEL_FROM or workers < 2:
        for found in files:
            yield _read_one(found)
            if progress:
                progress(1)
        return
    from concurrent.futures import ProcessPoolExecutor  # only when a second process is used: 15 ms to import

    pool = ProcessPoolExecutor(workers, worker_context(), initializer=die_with_parent, initargs=(os.getpid(),))
    try:
        for sub in pool.map(_read_one, files, chunksize=16):
            yield sub
            if progress:
                progress(1)
    finally:
        pool.shutdown(cancel_futures=True)  # interrupted: the files not yet begun are not read


def worker_context() -> BaseContext:
    """How worker processes start: forked on Linux, as its Python did by default before 3.14 (whose default, a
    fork server, makes a worker the server's child, not rai-xl's: it could not end with rai-xl, see
    die_with_parent); elsewhere as the platform's Python starts them."""
    import multiprocessing

    linux = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if linux else None)


def die_with_parent(parent: int) -> None:
    """A worker process's first act: end when its parent ends, however it ends (SIGKILL too), rather than
    run on, holding the terminal's pipe open (`rai-xl validate ... | tee log` would never end). Ctrl-C is
    the parent's to handle: the worker ignores it and ends with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        import ctypes

        with suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent ended before the line above took effect
        os._exit(1)
    if not sys.platform.startswith("linux"):  # pragma: no cover - elsewhere a thread watches the parent
        import threading

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
