"""xlsxwriter's packager, turning the worksheets into XML on two cores.

When a workbook closes, xlsxwriter turns each worksheet's cells into XML, one sheet after the other: for the
regional workbook (100,000 cells) that is about half the time of writing it. A sheet's XML depends only on the
sheet and on what the workbook settled before (strings, tables, names), and writing it changes nothing the rest
of the package reads but two things: the number of each cell format in the styles part (given here beforehand)
and, on a sheet with hyperlinks, their relationships (added as the XML is written). So where the machine has a
second core and the process can fork, a forked child writes the XML of hyperlink-free sheets holding about half
the cells and sends it back through a pipe, while this process writes the others. The bytes are the same whether
or not a child helps (tests/test_packager.py compares them); when the child cannot deliver, this process writes
its sheets itself.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from contextlib import suppress
from io import StringIO
from typing import Any

from xlsxwriter.packager import Packager

WORTH_IT = 20_000  # cells: below this a fork costs more than it saves


class TwoCorePackager(Packager):
    """A Packager whose worksheets' XML is written by two processes when that saves time."""

    def _write_worksheet_files(self) -> None:
        _number_formats(self.workbook)
        sheets = [ws for ws in self.workbook.worksheets() if not ws.is_chartsheet]
        away = _half(sheets) if _can_fork() else set()
        if not away:
            super()._write_worksheet_files()
            return
        buffers = [StringIO() for _ in sheets]
        for index, buffer in enumerate(buffers, start=1):
            self.filenames.append((buffer, f"xl/worksheets/sheet{index}.xml", False))
        child, pipe = _fork_writer([sheets[i] for i in sorted(away)])
        texts: list[str] | None = None
        try:
            for i, ws in enumerate(sheets):
                if i not in away:
                    _assemble(ws, buffers[i])
            data = _received(pipe)
            _, status = os.waitpid(child, 0)
            child = 0
            texts = _texts(data, len(away)) if status == 0 else None
        finally:
            os.close(pipe)
            if child:  # interrupted: the child is stopped and reaped
                with suppress(OSError):
                    os.kill(child, signal.SIGKILL)
                    os.waitpid(child, 0)
        for n, i in enumerate(sorted(away)):
            if texts is None:
                _assemble(sheets[i], buffers[i])  # the child could not deliver: written here
            else:
                buffers[i].write(texts[n])


def _number_formats(workbook: Any) -> None:
    """Give each cell format its number in the styles part now, in the order the formats were made.

    xlsxwriter numbers a format when a sheet's XML first uses it: in the child, that number would be lost. Its
    default hyperlink format is left to be numbered where a link uses it, as xlsxwriter does, so that a workbook
    without links holds no hyperlink style (links are only on sheets this process writes)."""
    url = workbook.get_default_url_format()
    for cell_format in workbook.formats:
        if cell_format is not url:
            cell_format._get_xf_index()


def _can_fork() -> bool:
    # A fork copies only the calling thread: with another thread alive, a lock it held stays held in the child.
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and threading.active_count() == 1


def _cells(ws: Any) -> int:
    return sum(len(row) for row in ws.table.values())


def _half(sheets: list[Any]) -> set[int]:
    """The sheets (by index) for the child: hyperlink-free ones, largest first, up to half of all cells."""
    sizes = [_cells(ws) for ws in sheets]
    total = sum(sizes)
    if total < WORTH_IT:
        return set()
    away, held = set(), 0
    for i in sorted(range(len(sheets)), key=lambda i: -sizes[i]):
        if not sheets[i].hyperlinks and held + sizes[i] <= total / 2:
            away.add(i)
            held += sizes[i]
    return away


def _assemble(ws: Any, buffer: StringIO) -> None:
    ws._set_xml_writer(buffer)
    ws._assemble_xml_file()


def _fork_writer(sheets: list[Any]) -> tuple[int, int]:
    """A child writing the XML of *sheets* and sending the texts through a pipe: its pid and the pipe's end."""
    read, write = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write)
        return pid, read
    status = 1
    try:  # the child: it never returns, and leaves no trace but the pipe (no atexit, no flushed buffers)
        os.close(read)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it ends the child
        for name in ("SIGTERM", "SIGHUP"):  # not the parent's handlers: the child has nothing to clean up
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_DFL)
        texts = []
        for ws in sheets:
            buffer = StringIO()
            _assemble(ws, buffer)
            texts.append(buffer.getvalue())
        with os.fdopen(write, "wb") as out:
            out.write(pickle.dumps(texts, pickle.HIGHEST_PROTOCOL))
        status = 0
    finally:
        os._exit(status)


def _received(pipe: int) -> bytes:
    """All the child sent, to the end of the pipe."""
    parts = []
    while part := os.read(pipe, 1 << 20):
        parts.append(part)
    return b"".join(parts)


def _texts(data: bytes, expected: int) -> list[str] | None:
    """The texts in *data*, or None when they are not all there."""
    try:
        texts = pickle.loads(data)
    except Exception:
        return None
    return texts if isinstance(texts, list) and len(texts) == expected else None
