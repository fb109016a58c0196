"""Read the cells of an untrusted .xlsx or .ods file safely: bounded, read-only, no formulas run.

This is deliberately small and hand-written: it returns cell values (text, numbers, booleans,
dates), whether a cell holds a formula, sheet names, and document properties. openpyxl is not
used to read returns: it is about 5 times slower on a questionnaire (17-20 ms against 3.3 ms,
even read-only), has no bounds for a hostile file (it builds whatever the file declares), and
does not read .ods at all; one reader for both formats keeps one set of bounds and one set of
messages.

It reads what it can and says what it did not: rows past the row bound, a damaged document
properties part, external links and embedded objects (never followed or opened) are findings
(Workbook.findings), not refusals. Macros, encryption and two zip entries with one name are
refused.

One job a module: model.py (what the reader returns), limits.py (the bounds, where tests patch
them), container.py (the file as a zip of parts), boundedxml.py (the budget and bounded XML
parsing), values.py (references, formulas moved, number formats, dates), xlsx.py and ods.py (the
two readers). read_workbook, here, hands the bytes to the right one and says why a file is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from defusedxml import DefusedXmlException

from rai_xl.read.spreadsheet.container import (
    DAMAGED,
    Package,
    damaged,
    not_a_spreadsheet,
    open_zip,
    package_kind,
    sniff,
    spreadsheet_kind,
)
from rai_xl.read.spreadsheet.limits import MAX_ROW
from rai_xl.read.spreadsheet.model import (
    LEGACY,
    MACROS,
    PASSWORD,
    STRICT,
    Cell,
    CellValue,
    Finding,
    Sheet,
    UnreadableFile,
    Workbook,
)
from rai_xl.read.spreadsheet.ods import read_ods
from rai_xl.read.spreadsheet.values import (
    EXCEL_EPOCH,
    cell_name,
    column_letters,
    column_number,
    excel_date,
    is_date_format,
    iso_date,
    shift_formula,
)
from rai_xl.read.spreadsheet.xlsx import Xlsx

__all__ = [
    "EXCEL_EPOCH",
    "LEGACY",
    "MACROS",
    "MAX_ROW",
    "PASSWORD",
    "STRICT",
    "Cell",
    "CellValue",
    "Finding",
    "Sheet",
    "UnreadableFile",
    "Workbook",
    "cell_name",
    "column_letters",
    "column_number",
    "excel_date",
    "is_date_format",
    "iso_date",
    "read_workbook",
    "shift_formula",
    "spreadsheet_kind",
]


def read_workbook(
    data: bytes,
    wanted: Iterable[str] | None = None,
    *,
    record: bool = False,
    values_only: Iterable[str] = (),
    skipped: Iterable[str] = (),
    columns: Mapping[str, Iterable[int]] | None = None,
    links: bool = True,
) -> Workbook:
    """Read the cells of the sheets named in *wanted* (all sheets when None), but not of those in *skipped*,
    from xlsx or ods bytes.

    Every sheet is listed; only the wanted ones have their cells read. Raises UnreadableFile with
    a one-line reason for anything that is not a readable workbook; any other exception is a bug.

    *record*: the file is an earlier regional workbook, read in one pass within the bounds of a record
    (limits.MAX_RECORD_CELLS, MAX_RECORD_XML_BYTES) rather than a return's. *values_only*: sheets (of an
    .xlsx) whose formula cells are not kept, when only what was typed on them is sought. *columns*: {sheet
    name: the numbers of the only columns (1 for A) whose cells are read}, for sheets of which a few columns are
    needed. *links*: whether the hyperlinks of an .xlsx's sheets are read (without them, the rest of a sheet
    after its cells is not parsed).
    """
    try:
        only = {name: frozenset(cols) for name, cols in (columns or {}).items()}
        return _read_workbook(data, wanted, record, frozenset(values_only), frozenset(skipped), only, links)
    except UnreadableFile as exc:
        text = str(exc)
        if text.isprintable():
            raise
        # a sheet or part name from the file may hold line breaks or control characters
        raise UnreadableFile("".join(ch if ch.isprintable() else " " for ch in text)) from None


def _read_workbook(
    data: bytes,
    wanted: Iterable[str] | None,
    record: bool,
    values_only: frozenset[str],
    skipped: frozenset[str],
    columns: dict[str, frozenset[int]],
    links: bool,
) -> Workbook:
    sniff(data)
    zf = open_zip(data)
    want = None if wanted is None else set(wanted)

    def reads(name: str) -> bool:  # whether a sheet's cells are read
        return (want is None or name in want) and name not in skipped

    try:
        pkg = Package(zf)
        kind = package_kind(pkg)
        if kind == "xlsx":
            return Xlsx(pkg, reads, record, values_only, columns, links).read()
        if kind == "ods":
            return read_ods(pkg, reads, columns)
        reason = not_a_spreadsheet(pkg)
    except DefusedXmlException:
        raise UnreadableFile(
            "a part of the file declares XML entities or a DTD (an XML bomb or an external reference); a workbook never does"
        ) from None
    except DAMAGED as exc:
        raise UnreadableFile(f"a part of the file is damaged and cannot be read ({damaged(exc)})") from None
    raise UnreadableFile(reason)
