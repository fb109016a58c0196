"""The machine-readable Excel tables: Scores, Answers, Checklist and History; and the Answer history sheet."""

from __future__ import annotations

from typing import Any

from rai_xl.regional import marks
from rai_xl.regional.country import STATUS_COL, cell
from rai_xl.report import NOT_STARTED, CheckLine, RegionalReport
from rai_xl.sheet_kit import Sheet

NOT_FOR_PRINTING = (
    "Not for printing: a machine-readable table for other tools. Printing the workbook prints its header row "
    "only; the meeting pack is the Overview, Criteria and profile sheets."
)


def _table(ws: Sheet, name: str, heads: tuple[str, ...], rows: list[list[Any]], widths: list[float]) -> None:
    ws.columns(widths)
    ws.table(max(len(rows), 1), heads, name)
    ws.ws.freeze_panes(1, 0)
    for r, values in enumerate(rows, start=1):
        for c, v in enumerate(values):
            ws.value(r, c, v)
    _not_for_printing(ws, len(heads))


def _not_for_printing(ws: Sheet, columns: int) -> None:
    """Printing the sheet prints its header row only, under a page header saying what the sheet is for."""
    ws.print_only(0, 0, 0, columns - 1)
    ws.ws.set_header("&L" + NOT_FOR_PRINTING)


def _linked(sheet: str, row: int, col: int, value: Any) -> tuple[str, Any]:
    """A formula showing a typed cell (blank stays blank, not 0), with the value it shows as its cache."""
    ref = cell(sheet, row, col)
    return (f'=IF(ISBLANK({ref}),"",{ref})', "" if value is None else value)


def write_tables(
    sheets: dict[str, Sheet],
    answer_history: Sheet,
    report: RegionalReport,
    placed: dict[str, list[tuple[CheckLine, int]]],
) -> None:
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
        sheet = marks.checklist_sheet(c.name)
        for line, row in placed[c.code]:
            t = line.typed
            status = NOT_STARTED if t.status in (None, "") else t.status
            col = STATUS_COL
            checks.append(
                [
                    c.code,
                    line.milestone.id,
                    line.action.id,
                    line.sub_action.id,
                    terms[line.milestone.term],
                    line.milestone.text,
                    line.basis,
                    (f"={cell(sheet, row, col)}", status),
                    *(_linked(sheet, row, col + k, v) for k, v in enumerate(t.extra, start=1)),
                ]
            )
    history = [[h.code, h.country, h.year, h.pillar, h.score, h.tier, h.complete] for h in report.history]
    _table(sheets["Scores"], "Scores", marks.SCORES_HEADS, scores, [13, 20, 8, 8, 8, 12, 10])
    heads = marks.ANSWERS_HEADS + marks.ANSWERS_EXTRA
    _table(sheets["Answers"], "Answers", heads, answers, [13, 10, 50, 8, 60, 40])
    _table(sheets["Checklist"], "Checklist", marks.CHECKLIST_HEADS, checks, [13, 13, 9, 11, 13, 80, 9, 13, 18, 12, 26])
    _table(sheets["History"], "History", marks.HISTORY_HEADS, history, [13, 20, 8, 8, 8, 12, 10])
    _answer_history(answer_history, report)


def _answer_history(ws: Sheet, report: RegionalReport) -> None:
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
