"""The machine-readable Excel tables: Scores, Answers, Checklist and History; and the Answer history sheet."""

from __future__ import annotations

from datetime import date
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from rai_xl.core.report_model import RegionalReport
from rai_xl.core.typed import NOT_STARTED, Value
from rai_xl.layouts import regional as marks
from rai_xl.layouts import tracker as layout
from rai_xl.write.kit import SheetWriter, needs_quote
from rai_xl.write.regional.trackers import Placed, quoted

NOT_FOR_PRINTING = (
    "Not for printing: a machine-readable table for other tools. Printing the workbook prints its header row "
    "only; the meeting pack is the Overview, Criteria and profile sheets."
)


def _table(ws: SheetWriter, name: str, heads: tuple[str, ...], rows: list[list[Any]], widths: list[float]) -> None:
    ws.columns(widths)
    ws.table(max(len(rows), 1), heads, name)
    ws.ws.freeze_panes(1, 0)
    write_string, write_formula = ws.ws.write_string, ws.ws.write_formula
    plain = ws.st("cell")
    shown_in: dict[str, Any] = {}  # number format -> the format of a formula's cell showing a value in it
    # Text and formulas (nearly every cell) straight to xlsxwriter with formats found once, as ws.value writes
    # them (text that could be taken for a formula quote-prefixed); anything else through ws.value.
    for r, values in enumerate(rows, start=1):
        for c, v in enumerate(values):
            if type(v) is str and v:
                if write_string(r, c, v, ws.st("cell", quote=True) if needs_quote(v) else plain):
                    ws.value(r, c, v)  # refused: ws.value says why
            elif type(v) is tuple and not isinstance(v[1], date):  # (formula, cached value, number format)
                fmt = shown_in.get(v[2])
                if fmt is None:
                    fmt = shown_in[v[2]] = ws.st("cell", num_format=v[2])
                if write_formula(r, c, v[0], fmt, v[1]):
                    ws.value(r, c, v[:2], num_format=v[2])  # refused: ws.value says why
            elif isinstance(v, tuple):
                ws.value(r, c, v[:2], num_format=v[2])
            else:
                ws.value(r, c, v)
    _not_for_printing(ws, len(heads))


def _not_for_printing(ws: SheetWriter, columns: int) -> None:
    """Printing the sheet prints its header row only, under a page header saying what the sheet is for."""
    ws.print_only(0, 0, 0, columns - 1)
    ws.ws.set_header("&L" + NOT_FOR_PRINTING)


def _lookups(where: Placed) -> dict[str, tuple[str, str]]:
    """Per typed column of the tracker *where*: the text of a formula showing that column's cell on a row,
    before and after the row's key."""
    sheet = quoted(where.sheet)
    key_col = xl_col_to_name(where.columns[layout.KEY.key], True)
    out = {}
    for c in layout.TYPED:
        col = xl_col_to_name(where.columns[c.key], True)
        at = (f'INDEX({sheet}!{col}:{col},MATCH("', f'",{sheet}!{key_col}:{key_col},0))')
        out[c.key] = at
    return out


def _looked_up(at: tuple[str, str], key: str, value: Value, fmt: str = "") -> tuple[str, Value, str]:
    """A formula showing a tracker's cell, found by the row's key (so a sort cannot mislead; blank stays
    blank, not 0), with the value it shows as its cache and that value's number format."""
    found = at[0] + key + at[1]
    return ("=IF(ISBLANK(" + found + '),"",' + found + ")", "" if value is None else value, fmt)


def write_tables(
    sheets: dict[str, SheetWriter],
    answer_history: SheetWriter,
    report: RegionalReport,
    placed: dict[str, Placed],
) -> None:
    """The tables; *placed*: where each Member State's tracker put its rows (by country code)."""
    cat = report.catalogue
    terms = {t.key: t.name for t in cat.terms}
    scores, answers, checks = [], [], []
    for cr in report.countries:
        c = cr.country
        for p in cr.assessment.pillars:
            score = None if p.tier is None else p.score  # a pillar with no answer has no score and no tier
            scores.append([c.code, c.name, report.year, p.number, score, p.tier, p.complete])
        for cr_ in cat.criteria:
            answers.append(
                [
                    c.code,
                    cr_.id,
                    cr.answer(cr_),
                    cr.assessment.points_for(cr_.id),
                    cr.evidence.get(cr_.id) or None,
                    cr.comments.get(cr_.id) or None,
                ]
            )
    for code, where in placed.items():
        at = _lookups(where)
        for line, _ in where.lines:
            t, key = line.typed, layout.row_key(line.milestone.id, line.entered)
            checks.append(
                [
                    code,
                    line.milestone.id,
                    line.action.id,
                    line.sub_action.id,
                    terms[line.milestone.term],
                    line.milestone.text,
                    line.basis,
                    _looked_up(at[layout.STATUS.key], key, NOT_STARTED if t.status in (None, "") else t.status),
                    *(_looked_up(at[c.key], key, t.value(c.key), t.format(c.key)) for c in layout.TYPED[1:]),
                ]
            )
    history = [[h.code, h.country, h.year, h.pillar, h.score, h.tier, h.complete] for h in report.history]
    _table(sheets["Scores"], "Scores", marks.SCORES_HEADS, scores, [13, 20, 8, 8, 8, 12, 10])
    heads = marks.ANSWERS_HEADS + marks.ANSWERS_EXTRA
    _table(sheets["Answers"], "Answers", heads, answers, [13, 10, 50, 8, 60, 40])
    _table(
        sheets[marks.SHEET_CHECKLIST],
        marks.SHEET_CHECKLIST,
        marks.CHECKLIST_HEADS,
        checks,
        [13, 13, 9, 11, 13, 80, 9, 13, 18, 12, 26],
    )
    _table(sheets["History"], "History", marks.HISTORY_HEADS, history, [13, 20, 8, 8, 8, 12, 10])
    _answer_history(answer_history, report)


def _answer_history(ws: SheetWriter, report: RegionalReport) -> None:
    """Each round's points per criterion, so the next consolidation can mark changed answers."""
    cat = report.catalogue
    ids = [c.id for c in cat.criteria]
    ws.columns([13, 20, 8] + [5] * len(ids))
    ws.header(0, list(marks.ANSWER_HISTORY_LEAD) + ids, 20)
    ws.ws.freeze_panes(1, 3)
    _not_for_printing(ws, 3 + len(ids))
    order = {c.code: c.order for c in cat.countries}
    keys = sorted(report.answers, key=lambda k: (k[1], order.get(k[0], 99), k[0]))
    for row, (code, year) in enumerate(keys, start=1):
        country = cat.country(code)
        ws.text(row, 0, code)
        ws.text(row, 1, country.name if country else code)
        ws.number(row, 2, year, "cell")
        for col, cid in enumerate(ids, start=3):
            ws.value(row, col, report.answers[(code, year)].get(cid))
