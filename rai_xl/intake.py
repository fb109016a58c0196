"""Find the returned files under the paths a coordinator gives, and read them (in parallel when many)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from rai_xl.catalogue import load_catalogue
from rai_xl.returns import SPREADSHEET_SUFFIXES, Submission, read_return

PARALLEL_FROM = 48  # below this, starting worker processes costs more than it saves


class NothingToRead(ValueError):
    """A path holds no spreadsheet at all."""


def discover(paths: Iterable[Path], exclude: Iterable[Path] = ()) -> list[Path]:
    """Every file named, and every file under every folder named (sorted), except *exclude*."""
    excluded = {p.resolve() for p in exclude}
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.resolve() not in excluded)
            if not any(p.suffix.lower() in SPREADSHEET_SUFFIXES and not p.name.startswith("~$") for p in files):
                raise NothingToRead(f"no spreadsheets (.xlsx or .ods) found in {path}")
            found.extend(files)
        elif path.exists():
            found.append(path)
        else:
            raise NothingToRead(f"{path} does not exist")
    return list(dict.fromkeys(found))


def _read_one(path: Path) -> Submission:
    return read_return(path, load_catalogue())


def read_all(paths: list[Path], progress: Callable[[int], None] | None = None) -> Iterator[Submission]:
    """Read every path, in order; uses the machine's cores when there are many files."""
    workers = min(os.cpu_count() or 1, 8)
    if len(paths) < PARALLEL_FROM or workers < 2:
        for path in paths:
            yield _read_one(path)
            if progress:
                progress(1)
        return
    with ProcessPoolExecutor(workers) as pool:
        for sub in pool.map(_read_one, paths, chunksize=16):
            yield sub
            if progress:
                progress(1)
