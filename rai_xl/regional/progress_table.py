"""The `Progress` table of the regional workbook: every change Member States' progress returns made,
the earlier rounds' first (carried from the previous regional workbook), then this consolidation's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rai_xl.progress import PROGRESS_HEADS, PROGRESS_TABLE, SCHEMA_VERSION
from rai_xl.regional.tables import _not_for_printing
from rai_xl.report import RegionalReport
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


def amend(report: RegionalReport, merged: Merged) -> None:
    """What the Submissions and Issues sheets say of the progress returns (each listed once, as itself)."""
    mine = {str(o.ret.path) for o in merged.outcomes}
    report.submissions = [r for r in report.submissions if r[0] not in mine] + [
        [
            str(o.ret.path),
            o.ret.sha256,
            o.ret.country.name if o.ret.country else "",
            str(o.ret.round or ""),
            o.ret.reported_by,
            "",
            f"progress workbook {SCHEMA_VERSION}",
            o.status,
            o.reason,
        ]
        for o in merged.outcomes
    ]
    names = {o.ret.path.name for o in merged.outcomes}  # the questionnaire reader's "not a questionnaire" goes
    report.issues = [r for r in report.issues if r[0] not in names] + [
        [o.ret.path.name, i.severity, i.sheet, i.cell, i.criterion, i.message] for o in merged.outcomes for i in o.ret.issues
    ]
    report.notes += merged.notes
