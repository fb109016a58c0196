"""Writing an output file safely: never over a workbook someone has open or another run is writing, never
over an input or a record, never half-written.

Every workbook rai-xl writes goes through `write_atomically`: it is written to a temporary file beside
the target and renamed into place, so a failure (a full disk, a size limit, Ctrl-C) leaves the old file as
it was and no broken file behind. The temporary file and the lock beside an output carry a name every
reader skips (TEMP_PREFIX); the temporary file is removed when the run is interrupted, and the new file
and its folder are flushed to the disk after the rename, so a power cut cannot leave an empty record. An
output that cannot be written is a usage problem (`OutputError`); `written` lists what this run wrote.
"""

from __future__ import annotations

import os
import signal
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from xlsxwriter.exceptions import FileCreateError

from rai_xl.errors import UsageError
from rai_xl.read.triage import TEMP_PREFIX

if TYPE_CHECKING:
    from rai_xl.method.catalogue import Catalogue

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: the lock is a file made exclusively
    fcntl = None  # type: ignore[assignment]

LOCK_WAIT = 3.0  # seconds a run waits for another run writing the same output before it is refused
written: list[Path] = []  # the files this run has written, in order (said when a later one cannot be)
_held: set[Path] = set()  # the outputs this process holds the lock of


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
    """OutputError when *path* cannot be written: its folder is missing, or the file is open (its lock file
    beside the name given, or beside the file a symbolic link leads to: the one replaced)."""
    if not path.resolve().parent.is_dir():
        raise OutputError(f"cannot write {path}: folder {path.parent} does not exist")
    lock = lock_file(path) or lock_file(path.resolve())
    if lock is not None and path.exists():
        raise OutputError(
            f"{path.name} is open in a spreadsheet program (lock file {lock.name}): close it first, then run again"
        )


def check_new(paths: Iterable[Path], force: bool, catalogue: Catalogue | None = None, inputs: Iterable[Path] = ()) -> None:
    """OutputError when one of *paths* exists and *force* is not given, or cannot be written (check_output);
    or, --force or not, when it is one of the run's *inputs* or a file rai-xl never replaces (`kept`)."""
    read = {p.resolve() for p in inputs}
    for path in paths:
        if path.resolve() in read:
            raise OutputError(
                f"{path} is one of this run's inputs; rai-xl never writes over its input: choose another output"
            )
        if path.exists() and not force:
            raise OutputError(f"{path} already exists; add --force to overwrite it")
        check_output(path)
        if catalogue is not None and path.is_file():
            found = kept(path, catalogue)
            if found.kind:
                raise OutputError(f"{path} {found.why}; --force never replaces it: choose another output")


def make_folder(folder: Path) -> None:
    """The output folder, made when missing; OutputError (one line) when it cannot be (a read-only disk)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write into {folder}: {exc.strerror or exc}") from None


RETURN, PROGRESS_RETURN, RECORD, UNREADABLE = "return", "progress return", "record", "unreadable"


class Kept(NamedTuple):
    kind: str  # RETURN, PROGRESS_RETURN, RECORD, UNREADABLE, or '' (may be replaced)
    why: str  # 'is a progress return from Lao PDR'
    held: tuple[int, int] | None = None  # a regional workbook's (typed entries, rounds of History)


def record_held(entries: int, rounds: int) -> str:
    """'12 entries and 2 rounds of History'."""
    return (
        f"{entries} {'entry' if entries == 1 else 'entries'} and {rounds} {'round' if rounds == 1 else 'rounds'} of History"
    )


def kept(path: Path, catalogue: Catalogue) -> Kept:
    """(kind, why) when the existing file at *path* is one rai-xl never replaces with --force, else ('', ''):
    a returned questionnaire with answers (RETURN), a progress return with changes (PROGRESS_RETURN), a regional
    workbook holding typed entries or History (RECORD), or a workbook rai-xl cannot read, so what it holds
    is unknown (UNREADABLE). A blank questionnaire, an untouched progress workbook, a file that is no
    workbook at all may be replaced."""
    from rai_xl.read.previous import PreviousUnreadable, record_size
    from rai_xl.read.progress_returns import read_progress
    from rai_xl.read.returns import read_return
    from rai_xl.read.spreadsheet import UnreadableFile
    from rai_xl.read.spreadsheet.files import read_file

    try:
        data = read_file(path)
    except UnreadableFile:
        return Kept("", "")  # not a regular file (the rename replaces the name, never writes into it)
    sub = read_return(path, catalogue, data=data)
    if sub.template_version and not sub.blank:
        who = f" from {sub.country.name}" if sub.country else ""
        return Kept(RETURN, f"is a returned questionnaire{who} with answers")
    progress = read_progress(path, catalogue, data=data)
    if progress is not None and not progress.untouched:
        who = f" from {progress.country.name}" if progress.country else ""
        return Kept(PROGRESS_RETURN, f"is a progress return{who}")
    try:
        held = record_size(path, catalogue, data)
    except PreviousUnreadable as exc:
        if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # a workbook (zip or encrypted OLE), unread
            return Kept(UNREADABLE, f"is a workbook rai-xl cannot read ({exc.reason}), so what it holds is unknown")
        return Kept("", "")
    if held is not None and any(held):
        return Kept(RECORD, f"is a regional workbook holding {record_held(*held)}", held)
    return Kept("", "", held)


def lock_path(output: Path) -> Path:
    """The lock rai-xl holds beside *output* while it writes it (beside the file a link leads to)."""
    target = output.resolve()
    return target.with_name(f"{TEMP_PREFIX}lock-{target.name}")


@contextmanager
def locked(path: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the lock beside *path* (TEMP_PREFIX + its name) while the block runs: another rai-xl run writing
    the same output waits up to *wait* seconds (LOCK_WAIT), then is refused (OutputError, one line).
    Held already by this process: nothing more to do."""
    target = path.resolve()
    if target in _held:
        yield
        return
    lock = lock_path(path)
    deadline = time.monotonic() + (LOCK_WAIT if wait is None else wait)
    fd, mine = -1, False
    try:
        while True:
            held = _hold_signals()  # the lock file made and taken, or not made: never left behind by Ctrl-C
            try:
                flags = os.O_RDWR | os.O_CREAT | (os.O_EXCL if fcntl is None else 0)
                fd = os.open(lock, flags, 0o666)
                mine = _locked(fd, lock)
            except FileExistsError:  # pragma: no cover - Windows
                fd = -1
            except OSError as exc:
                raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
            finally:
                _release(held)
            if mine:
                break
            if fd >= 0:
                os.close(fd)
                fd = -1
            if time.monotonic() >= deadline:
                raise OutputError(
                    f"{path} is being written by another rai-xl run (lock {lock.name}): wait for it to end, then run again"
                )
            time.sleep(0.1)
        _held.add(target)
        yield
    finally:
        _held.discard(target)
        if fd >= 0 and (mine or _locked(fd, lock)):  # (interrupted before it was taken: taken now, or left alone)
            with suppress(OSError):
                os.unlink(lock)  # while still locked, so a waiting run then locks a file of its own
        if fd >= 0:
            os.close(fd)


def _locked(fd: int, lock: Path) -> bool:
    """Whether the lock on *fd* was taken, on the file still named *lock* (the run that held it may have
    removed it in between)."""
    if fcntl is None:  # pragma: no cover - Windows: the exclusive creation was the lock
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    try:
        return os.fstat(fd).st_ino == os.stat(lock).st_ino
    except FileNotFoundError:
        return False


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call *write* with a temporary path beside *path*, then rename the result into place and flush both
    the file and its folder to the disk; the lock beside *path* is held meanwhile."""
    check_output(path)
    target = path.resolve()
    with locked(path):
        held = _hold_signals()  # until the temporary file is in the hands of the `finally` that removes it
        try:
            fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix, dir=target.parent)
        except OSError as exc:
            _release(held)
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        try:
            os.close(fd)
            _release(held)
            write(Path(tmp))
            os.chmod(tmp, _file_mode(target))  # mkstemp makes the file private (0600); a plain save would not
            _sync(tmp)
            os.replace(tmp, target)
            _sync(target.parent)
        except (OSError, FileCreateError) as exc:
            raise OutputError(f"cannot write {path}: {_why(exc)}") from None
        finally:
            Path(tmp).unlink(missing_ok=True)  # also when the run is interrupted (Ctrl-C, SIGTERM)
        written.append(path)


_SIGNALS = {getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)}


def _hold_signals() -> set[int] | None:
    """Hold Ctrl-C and SIGTERM back (they wait, pending) while a temporary file is made; what was held before."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)


def _release(held: set[int] | None) -> None:
    if held is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _sync(path: str | Path) -> None:
    """Flush a file, or a folder's entries (POSIX), to the disk."""
    if os.path.isdir(path) and os.name != "posix":  # pragma: no cover - a folder cannot be opened on Windows
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
