"""Read what the meeting pack is made from: a regional workbook, with the reader `consolidate --previous`
uses (History, Answer history, every entry typed on its trackers), its `Progress` table and the lines of
its Overview that say when it was written and from what. Nothing here writes."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from rai_xl.core.pack import PackInputError, PackSource
from rai_xl.layouts import regional as marks
from rai_xl.method.catalogue import Catalogue
from rai_xl.read.cells import cell_text
from rai_xl.read.previous import PreviousError, read_record

WRITTEN = re.compile(r"Written by rai-xl on (\d{4})-(\d{2})-(\d{2})")
SYNTHETIC = "SYNTHETIC"
RETURNS = re.compile(r"^\d+ of \d+ Member States replied")
NEEDED = ("History", marks.SHEET_ANSWER_HISTORY)  # the tables a pack cannot be made without


def read_pack_source(path: Path, catalogue: Catalogue) -> PackSource:
    """What the regional workbook at *path* holds for the pack; PackInputError (one line) when it is not
    a regional workbook rai-xl can read, or its tables are missing or damaged."""
    try:
        record = read_record(path, catalogue)
    except PreviousError as exc:
        raise PackInputError(_said(str(exc))) from None
    missing = [n for n in NEEDED if record.workbook.sheet(n) is None]
    if missing:
        raise PackInputError(f"{path.name} has no {' or '.join(repr(n) for n in missing)} table: it was deleted or renamed")
    overview = record.workbook.sheet(marks.SHEET_OVERVIEW)
    texts = [cell_text(c) for (_, col), c in sorted(overview.cells.items()) if col == 1] if overview else []
    written = next((m for t in texts if (m := WRITTEN.match(t))), None)
    return PackSource(
        path.name,
        record.round,
        record.progress,
        date(int(written[1]), int(written[2]), int(written[3])) if written else None,
        any(t.startswith("Built from " + SYNTHETIC) for t in texts),
        next((t for t in texts if RETURNS.match(t)), ""),
    )


def _said(message: str) -> str:
    """The reader's one line, said of the pack's input rather than of --previous."""
    return message.removeprefix("--previous ").replace("--previous expects", "rai-xl pack expects")
