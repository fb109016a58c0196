"""What one workbook may make the reader do (the budget of XML bytes parsed and cells kept; the rows past
the row bound, a finding), and its XML parts parsed a chunk at a time within that budget.

No XML part may declare entities (defusedxml parses any part with a DTD; the parts without
one go to the standard library's faster C parser).
"""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from typing import Any
from xml.etree.ElementTree import TreeBuilder
from xml.etree.ElementTree import XMLPullParser as _FastPullParser
from xml.parsers import expat

from defusedxml.ElementTree import DefusedXMLParser

from rai_xl.read.spreadsheet import limits
from rai_xl.read.spreadsheet.model import Finding, Sheet, UnreadableFile


class Budget:
    """What a workbook may still make the reader do: XML bytes parsed, cells and shared strings kept."""

    def __init__(self, record: bool = False) -> None:
        """*record*: the bounds of an earlier regional workbook, read in one pass, rather than a return's."""
        self.record = record
        self.xml = limits.MAX_RECORD_XML_BYTES if record else limits.MAX_XML_BYTES
        self.cells = limits.MAX_RECORD_CELLS if record else limits.MAX_CELLS

    def parse(self, size: int) -> None:
        self.xml -= size
        if self.xml < 0:
            if self.record:
                mb = limits.MAX_RECORD_XML_BYTES // 1024 // 1024
                raise UnreadableFile(f"the parts to read hold more than {mb} MB of XML")
            raise UnreadableFile(
                f"the parts to read hold more than {limits.MAX_XML_BYTES // 1024 // 1024} MB of XML; "
                "a questionnaire's hold under 1 MB"
            )

    def keep(self, count: int) -> None:
        """Count *count* more cells with content, about to be kept."""
        self.cells -= count
        if self.cells < 0:
            raise self.full()

    def full(self) -> UnreadableFile:
        if self.record:
            return UnreadableFile(f"the file holds more than {limits.MAX_RECORD_CELLS} cells")
        return UnreadableFile(f"the file holds more than {limits.MAX_CELLS} cells; a questionnaire holds about 500")


_CHUNK = 16 * 1024  # what is fed to the parser at a time


class _RootReached(Exception):
    pass


def _no_dtd(head: bytes) -> bool:
    """Whether expat reaches the root element in *head* without meeting a DOCTYPE.

    Entities can only be declared, and external resources only referenced, in a DTD, and a DTD can
    only come before the root element: a part that passes holds nothing defusedxml guards against.
    """
    parser = expat.ParserCreate()

    def root(*_: object) -> None:
        raise _RootReached

    def doctype(*_: object) -> None:
        raise ValueError("DOCTYPE")

    parser.StartElementHandler = root
    parser.StartDoctypeDeclHandler = doctype
    try:
        parser.Parse(head, False)
    except _RootReached:
        return True
    except (expat.ExpatError, ValueError):  # a DOCTYPE or a malformed prolog: defusedxml decides
        return False
    return False


def batches(fh, events: tuple[str, ...], budget: Budget, chunk_size: int = _CHUNK) -> Iterator[list[tuple[str, Any]]]:
    """The (event, element) pairs of one part, a list per chunk of *chunk_size* bytes parsed, its bytes counted
    against *budget* (a part read only up to an element near its top is fed in small chunks).

    The standard library's C-accelerated parser reads a part that declares no DTD (every real
    workbook); defusedxml's parser, which refuses entities and external references, reads the
    others. The same bytes are fed in the same chunks either way. The events are taken from the
    parser's queue a chunk at a time (read_events() costs a generator step per element, a third
    of the time of reading a sheet) when the queue is there to take, as in CPython 3.11-3.14.
    """
    head = fh.read(chunk_size)
    budget.parse(len(head))
    if _no_dtd(head):
        parser: _FastPullParser = _FastPullParser(events=events)  # type: ignore[arg-type]
    else:
        parser = _FastPullParser(events=events, _parser=DefusedXMLParser(target=TreeBuilder()))  # type: ignore[arg-type]
    queue = getattr(parser, "_events_queue", None)
    chunk = head
    done = False
    depth, last = 0, b""
    while not done:
        if chunk:
            depth, last = _deeper(depth, last, chunk)
            parser.feed(chunk)
            chunk = fh.read(chunk_size)
            budget.parse(len(chunk))
        else:
            parser.close()
            done = True
        if queue is not None:
            batch = list(queue)
            queue.clear()
            if batch and isinstance(batch[-1], Exception):  # XMLPullParser queues a parse error
                raise batch.pop()  # out of the batch: a batch holding its own error would keep this frame alive
        else:  # pragma: no cover - another Python's XMLPullParser
            batch = list(parser.read_events())
        yield batch


def _deeper(depth: int, last: bytes, chunk: bytes) -> tuple[int, bytes]:
    """The nesting depth after *chunk*, counted from its tags' bytes (C-fast, no parsing), and its last byte.

    A parser keeps every open element, so a cell nested a million elements deep would hold a million
    elements at once: UnreadableFile past limits.MAX_DEPTH. Each '<' opens an element but a '</', which
    closes one, as a '/>' does; a '</' or '/>' split between chunks is told by *last*, the previous chunk's
    last byte. '<' cannot stand unescaped in text or attributes, so the count is the true depth but for the
    declaration, comments and processing instructions (each counts one more: the bound is met sooner)."""
    closing, ends = chunk.count(b"</"), chunk.count(b"/>")
    if last == b"<" and chunk[:1] == b"/":
        closing += 1  # its '<' was counted as opening
    elif last == b"/" and chunk[:1] == b">":
        ends += 1
    depth += chunk.count(b"<") - 2 * closing - ends
    if depth > limits.MAX_DEPTH:
        raise UnreadableFile(
            f"a part of the file nests elements more than {limits.MAX_DEPTH:,} deep; a workbook's nest a few deep"
        )
    return depth, chunk[-1:]


def inflated(fh, budget: Budget) -> None:
    """Inflate the rest of a part that need not be parsed, its bytes counted against *budget*: a damaged part
    is still refused (the zip checks each part's checksum at its end)."""
    while chunk := fh.read(_CHUNK):
        budget.parse(len(chunk))


def events(fh, events: tuple[str, ...], budget: Budget, chunk_size: int = _CHUNK) -> Iterator[tuple[str, Any]]:
    """(event, element) pairs of one part, its bytes counted against *budget*."""
    for batch in batches(fh, events, budget, chunk_size):
        yield from batch


def fromstring(data: bytes, budget: Budget):
    """The root element of a small part (relationships, workbook, properties), within the budget."""
    root = None
    for _, el in events(BytesIO(data), ("start",), budget):
        if root is None:
            root = el
    return root


def rows_not_read(sheet: Sheet) -> Finding:
    return Finding(
        sheet.name,
        f"rows after row {limits.MAX_ROW} were not read (rai-xl reads the first {limits.MAX_ROW} rows of a sheet)",
    )
