"""Writing an output file safely: never over a workbook someone has open, never half-written.

Every workbook rai-xl writes goes through `write_atomically`: it is written to a temporary file beside
the target and renamed into place, so a failure (a full disk, a size limit) leaves the old file as it
was and no broken file behind. An output that cannot be written is a usage problem (`OutputError`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from xlsxwriter.exceptions import FileCreateError

from rai_xl.errors import UsageError


class OutputError(UsageError):
    """The output cannot be written where asked (a usage problem); the message says why, in one line."""


class WriterRefused(RuntimeError):
    """xlsxwriter refused something rai-xl asked of it (it warns and returns a negative code instead of
    raising): a bug in rai-xl, never a problem in the input."""


def checked(rc: int | None, what: str) -> None:
    """Raise WriterRefused when an xlsxwriter call returned a negative code for *what*."""
    if rc is not None and rc < 0:
        raise WriterRefused(f"xlsxwriter refused {what} (code {rc})")


def lock_file(path: Path) -> Path | None:
    """The lock file a spreadsheet program left beside *path* while it has it open, if any.

    Excel writes `~$name` (for long names it drops the name's first two characters: `~$gional.xlsx`);
    LibreOffice writes `.~lock.name#`.
    """
    name = path.name
    for candidate in (f"~${name}", f"~${name[2:]}", f".~lock.{name}#"):
        lock = path.with_name(candidate)
        if lock.exists() or lock.is_symlink():
            return lock
    return None


def check_output(path: Path) -> None:
    """OutputError when *path* cannot be written: its folder is missing, or the file is open."""
    if not path.resolve().parent.is_dir():
        raise OutputError(f"cannot write {path}: folder {path.parent} does not exist")
    lock = lock_file(path)
    if lock is not None and path.exists():
        raise OutputError(
            f"{path.name} is open in a spreadsheet program (lock file {lock.name}): close it first, then run again"
        )


def check_new(paths: Iterable[Path], force: bool) -> None:
    """OutputError when one of *paths* exists and *force* is not given, or cannot be written (check_output)."""
    for path in paths:
        if path.exists() and not force:
            raise OutputError(f"{path} already exists; add --force to overwrite it")
        check_output(path)


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call *write* with a temporary path beside *path*, then rename the result into place."""
    check_output(path)
    target = path.resolve()
    try:
        fd, tmp = tempfile.mkstemp(prefix=".rai-xl-", suffix=path.suffix, dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, _file_mode(target))  # mkstemp makes the file private (0600); a plain save would not
        os.replace(tmp, target)
    except (OSError, FileCreateError) as exc:
        raise OutputError(f"cannot write {path}: {_why(exc)}") from None
    finally:
        Path(tmp).unlink(missing_ok=True)


def _why(exc: BaseException) -> str:
    """The system's reason: xlsxwriter wraps the OSError of a failed write in FileCreateError."""
    cause = exc.args[0] if isinstance(exc, FileCreateError) and exc.args else exc
    return getattr(cause, "strerror", None) or str(cause)


def _file_mode(output: Path) -> int:
    """The permissions *output* would have if written in place: its current ones, or 0666 less the umask."""
    if output.exists():
        return output.stat().st_mode & 0o7777
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
