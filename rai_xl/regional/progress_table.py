"""The `Progress` table of the regional workbook: every change Member States' progress returns made,
the earlier rounds' first (carried from the previous regional workbook), then this consolidation's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rai_xl.progress import PROGRESS_HEADS, PROGRESS_TABLE
from rai_xl.regional.tables import _not_for_printing
from rai_xl.sheet_kit import Sheet

if TYPE_CHECKING:
    from rai_xl.progress_merge import Merged


def write_progress_table(ws: Sheet, merged: Merged) -> None:
    """One row per change, values as they were typed (dates as dates, text exactly)."""
    rows = merged.earlier + merged.rows
    ws.columns([13, 14, 18, 30, 30, 34, 13])
    ws.table(max(len(rows), 1), PROGRESS_HEADS, PROGRESS_TABLE)
    ws.ws.freeze_panes(1, 0)
    for r, p in enumerate(rows, start=1):
        ws.text(r, 0, p.country)
        ws.text(r, 1, p.milestone_id)
        ws.text(r, 2, p.field)
        for c, (value, fmt) in ((3, p.before), (4, p.after)):
            ws.value(r, c, value, num_format=fmt)
        ws.text(r, 5, p.source)
        ws.value(r, 6, p.reported_on)
    _not_for_printing(ws, len(PROGRESS_HEADS))
