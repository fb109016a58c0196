"""An input file's bytes, read only when it is a regular file within the size bound: its kind and size are
checked before it is opened (a FIFO would block the open and the read for ever, /dev/zero never ends, a
sparse 3 GB file would be read whole before being refused), and again on the open file.

Every reader path (returns, progress returns, --previous) reads through `read_file`, so an input that
cannot be read gets one wording wherever it is named (issues.Msg.CANNOT_OPEN).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from rai_xl.issues import Msg
from rai_xl.read.spreadsheet import limits
from rai_xl.read.spreadsheet.model import UnreadableFile

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def mb(size: int) -> str:
    """A size in MB (MiB) or GB, rounded to one decimal, honestly: 11.4 MB, not 11 MB."""
    if size >= 1024**3:
        return f"{size / 1024**3:.1f} GB"
    return f"{size / (1024 * 1024):.1f} MB"


def too_big(size: int) -> str:
    return f"the file is {mb(size)}; a workbook for rai-xl is well under {limits.MAX_FILE_BYTES // 1024 // 1024} MB"


class NotAFile(UnreadableFile):
    """The path cannot be opened as a file (missing, a broken link, a FIFO, a device, no permission)."""

    def __init__(self, reason: str) -> None:
        super().__init__(Msg.CANNOT_OPEN.format(reason=reason))
        self.reason = reason


def file_kind(mode: int) -> str:
    """What a file of *mode* is when it is not a regular file ('a named pipe (FIFO)'), or ''."""
    if stat.S_ISREG(mode):
        return ""
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def _check(st: os.stat_result) -> None:
    kind = file_kind(st.st_mode)
    if kind:
        raise NotAFile(f"it is {kind}, not a file")
    if st.st_size > limits.MAX_FILE_BYTES:
        raise UnreadableFile(too_big(st.st_size))


def check_file(path: Path) -> None:
    """UnreadableFile (one line, said at once) unless *path* is a regular file within the size bound."""
    try:
        st = os.stat(path)  # follows a symbolic link: what would be read
    except OSError as exc:
        raise NotAFile(exc.strerror or str(exc)) from None
    _check(st)


def read_file(path: Path) -> bytes:
    """The bytes of the regular file at *path*; UnreadableFile (one line) for anything else, or one too big.

    The kind and size are checked before opening, and again on the opened file (it may have been swapped
    in between): opening is non-blocking, so a FIFO put there meanwhile is refused rather than waited on.
    """
    check_file(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise NotAFile(exc.strerror or str(exc)) from None
    with os.fdopen(fd, "rb") as fh:
        try:
            st = os.fstat(fd)
            _check(st)
            data = fh.read(st.st_size + 1)  # (a read of the bound itself would take the bound's memory at once)
            if len(data) > st.st_size:  # it grew meanwhile
                data += fh.read(limits.MAX_FILE_BYTES + 1 - len(data))
        except OSError as exc:
            raise NotAFile(exc.strerror or str(exc)) from None
    if len(data) > limits.MAX_FILE_BYTES:
        raise UnreadableFile(too_big(len(data)))
    return data
