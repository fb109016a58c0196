"""A Member State's profile (for meetings): scores and tiers beside the previous round, a chart, the top
gaps with their actions and the checklist's progress, printed on at most two pages. Its tracker is
rai_xl.regional.trackers'.
"""

from __future__ import annotations

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from rai_xl.core.report_model import CountryReport, RegionalReport
from rai_xl.core.typed import OTHER_STATUS
from rai_xl.layouts import regional as marks
from rai_xl.method.words import PROVISIONAL, not_answered_note, provisional_note, tier_label
from rai_xl.write.kit import POINT_FILL, TIER_FILL, SheetWriter
from rai_xl.write.regional import reported
from rai_xl.write.regional.overview import MOVEMENT
from rai_xl.write.regional.trackers import STATUS_COL, Placed, cell

# Profile columns: A Pillar | B Assessment pillar | C Previous tier | D Previous score | E Movement | F Score |
# G Tier | H Change | I Points to next tier | J Answered
PROFILE_WIDTHS = [7, 30, 13, 9, 26, 10, 24, 10, 11, 28]
PROFILE_LAST = len(PROFILE_WIDTHS) - 1
TOP_GAPS = 6  # gaps shown on the profile; the Criteria sheet shows every criterion
CHART_COL = 12  # hidden chart data from column M of the profile


# ---------------------------------------------------------------- the profile


def write_profile(
    wb: xlsxwriter.Workbook,
    ws: SheetWriter,
    report: RegionalReport,
    cr: CountryReport,
    placed: Placed,
) -> None:
    """One country's page for meetings; *placed*: where its tracker put its checklist rows (for the progress)."""
    ws.columns(PROFILE_WIDTHS)
    ws.title(f"{cr.country.name}: responsible AI readiness {report.year}")
    row = ws.paragraph(1, 0, PROFILE_LAST, cr.who, "subtitle")
    tracker = marks.checklist_sheet(cr.country.name)
    if cr.errors:
        row = _errors(ws, cr, row + 1)
    row = _scores(ws, report, cr, row + 1)
    row = _trend_chart(wb, ws, report, cr, row + 1)
    row = _gaps(ws, cr, row + 1)
    row = _progress(ws, cr, tracker, placed, row + 1)
    reported.profile_section(ws, report, cr, row + 1, PROFILE_LAST)


def _errors(ws: SheetWriter, cr: CountryReport, row: int) -> int:
    """The answers that were not accepted: criterion, cell and what was found. Returns the next row."""
    row = ws.heading(row, f"Answers not accepted ({len(cr.errors)}): counted as unanswered until the return is fixed")
    ws.headers(row, [(0, 0, "ID"), (1, 1, "Cell"), (2, PROFILE_LAST, "What was found")], 20)
    row += 1
    for issue in cr.errors:
        ws.text(row, 0, issue.criterion, "bold", "#FFC7CE")
        ws.text(row, 1, f"{issue.sheet}!{issue.cell}" if issue.sheet else issue.cell, "cell", "#FFC7CE")
        ws.span(row, 2, PROFILE_LAST, issue.message, "cell", "#FFC7CE")
        ws.fit(row, [(issue.message, 2, PROFILE_LAST), (issue.sheet + issue.cell, 1, 1)])
        row += 1
    return row


def _scores(ws: SheetWriter, report: RegionalReport, cr: CountryReport, row: int) -> int:
    """Per pillar: the previous round, the movement, then this round (read left to right: from, change, to)."""
    cat = report.catalogue
    before = next((p.before.year for p in cr.pillars if p.before is not None), None)
    since = f" since {before}" if before else ""
    row = ws.heading(row, f"Scores and tiers {report.year}, and movement{since}")
    top = cat.pillar_max(1)
    heads = [
        "Pillar",
        "Assessment pillar",
        f"Tier {before}" if before else "Previous tier",
        f"Score {before}" if before else "Previous score",
        "Movement",
        f"Score (of {top:g}) {report.year}",
        f"Tier {report.year}",
        "Change (points)",
        "Points to next tier",
        "Answered",
    ]
    ws.header(row, heads, 47)
    row += 1
    first = row
    for line in cr.pillars:
        p = line.score
        fill = TIER_FILL.get(p.tier or "", "")
        ws.number(row, 0, p.number, "center")
        ws.text(row, 1, line.name)
        movement = ""
        was_tier = ""
        if line.before is not None:
            was = TIER_FILL.get(line.before.tier or "", "")
            was_tier = tier_label(line.before)
            ws.text(row, 2, was_tier, "center", was)
            if line.before.score is None:
                ws.text(row, 3, "", "score", was)
            else:
                ws.number(row, 3, line.before.score, "score", was)
            label, mark = MOVEMENT[line.movement] if line.movement else ("", "")
            if line.movement in ("up", "down", "first"):
                label += f": {was_tier} → {line.tier}"
            if line.change is None:
                movement = label
            else:
                change = line.change_text(report.year)
                movement = f"{label} ({change})" if label else change
                ws.number(row, 7, line.change, "change")
            ws.text(row, 4, movement, "move", mark)
            if line.change is None:
                ws.text(row, 7, "", "change")
        if p.tier is None:
            ws.text(row, 5, "", "score")
            ws.text(row, 8, "", "center")
        else:
            ws.number(row, 5, p.score, "score", fill)
            ws.text(row, 8, "top tier" if p.points_to_next_tier is None else f"{p.points_to_next_tier:g}", "center")
        ws.text(row, 6, line.tier, "center", fill)
        answered = f"{p.answered} of {p.total}" + ("" if p.complete else f" (unanswered: {', '.join(p.missing)})")
        ws.text(row, 9, answered, "cell" if p.complete else "bold")
        ws.fit(row, [(line.name, 1, 1), (was_tier, 2, 2), (movement, 4, 4), (answered, 9, 9), (line.tier, 6, 6)], 2)
        row += 1
    if before is None:
        ws.merge((first, row - 1), (2, 4), "No earlier round in History for this country", "muted")
        ws.merge((first, row - 1), (7, 7), "", "muted")
    note = "Tier rule: " + cat.tier_rule + " " + provisional_note() + " " + not_answered_note()
    return ws.paragraph(row, 0, PROFILE_LAST, note, "note")


def _trend_chart(wb: xlsxwriter.Workbook, ws: SheetWriter, report: RegionalReport, cr: CountryReport, row: int) -> int:
    """A line chart of each pillar's score across every round in History, a provisional score marked
    with a cross (a series of its own: clients differ on per-point formats); data in hidden columns M:U."""
    cat = report.catalogue
    years = sorted({h.year for h in cr.trend})
    n = len(cat.pillars)
    ws.text(0, CHART_COL, "Year")
    for p in cat.pillars:
        ws.text(0, CHART_COL + p.number, f"Pillar {p.number}")
        ws.text(0, CHART_COL + n + p.number, f"Pillar {p.number} {PROVISIONAL}")
    provisional = set()
    for i, year in enumerate(years, start=1):
        ws.text(i, CHART_COL, str(year))
        for h in cr.trend:
            if h.year == year and h.score is not None:
                ws.number(i, CHART_COL + h.pillar, h.score)
                if not h.complete:
                    ws.number(i, CHART_COL + n + h.pillar, h.score)
                    provisional.add(h.pillar)
    ws.hide_columns(CHART_COL, CHART_COL + 2 * n)
    chart = wb.add_chart({"type": "line"})
    categories = [ws.name, 1, CHART_COL, len(years), CHART_COL]
    for p in cat.pillars:
        chart.add_series(
            {
                "name": f"{p.number}. {p.name}",
                "categories": categories,
                "values": [ws.name, 1, CHART_COL + p.number, len(years), CHART_COL + p.number],
                "marker": {"type": "circle", "size": 8},
                "line": {"width": 2.5},
            }
        )
    for p in cat.pillars:
        if p.number in provisional:
            col = CHART_COL + n + p.number
            chart.add_series(
                {
                    "name": f"{PROVISIONAL.capitalize()} (unanswered criteria)",
                    "categories": categories,
                    "values": [ws.name, 1, col, len(years), col],
                    "marker": {"type": "x", "size": 11, "fill": {"color": "#000000"}, "border": {"color": "#000000"}},
                    "line": {"none": True},
                }
            )
    chart.set_legend({"position": "right", "delete_series": list(range(n + 1, n + len(provisional)))})
    chart.show_hidden_data()
    tiers = "; ".join(f"{t.name} from {t.minimum:g}" for t in cat.tiers[:-1])
    chart.set_title({"name": f"{cr.country.name}: pillar scores by round ({tiers})", "name_font": {"size": 11}})
    chart.set_y_axis(
        {
            "min": 0,
            "max": cat.pillar_max(1),
            "major_unit": 3,
            "name": "Score",
            "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
        }
    )
    chart.set_x_axis({"name": "Round"})
    chart.set_size({"width": 1000, "height": 280})
    ws.heading(row, f"Scores across rounds ({', '.join(map(str, years))})")
    ws.chart(row + 1, 0, chart, {"x_offset": 4, "y_offset": 4})
    return row + 16


def _gaps(ws: SheetWriter, cr: CountryReport, row: int) -> int:
    """The criteria that lost most points, with the actions of the plan linked to them. Returns the next row."""
    top = cr.top_gaps(TOP_GAPS)
    shown = f"the {len(top)} that lost most" if len(cr.lost) > len(top) else "all"
    row = ws.heading(row, f"Top gaps: {shown} of the {len(cr.lost)} criteria that lost points, and their actions")
    if not top:
        ws.span(row, 0, PROFILE_LAST, "No answered criterion lost points.", "note")
        return row + 1
    ws.headers(
        row,
        [
            (0, 0, "ID"),
            (1, 3, "Criterion"),
            (4, 4, "Answer"),
            (5, 5, "Points lost"),
            (6, 6, "Actions in the plan"),
            (7, PROFILE_LAST, "Evidence / source documents"),
        ],
        32,
    )
    row += 1
    for line in top:
        evidence = line.evidence or "(none given)"
        actions = ", ".join(line.actions) or "none linked"
        ws.text(row, 0, line.criterion.id, "bold")
        ws.span(row, 1, 3, line.criterion.question)
        ws.text(row, 4, line.answer, "cell", POINT_FILL[line.points])
        ws.number(row, 5, line.lost, "score")
        ws.text(row, 6, actions)
        ws.span(row, 7, PROFILE_LAST, evidence)
        ws.fit(
            row,
            [(line.criterion.question, 1, 3), (line.answer, 4, 4), (actions, 6, 6), (evidence, 7, PROFILE_LAST)],
            2,
        )
        row += 1
    return row


def _progress(ws: SheetWriter, cr: CountryReport, tracker: str, placed: Placed, row: int) -> int:
    """Checklist rows by status, counted live from the tracker (cached with what this workbook holds), over
    every row below its header: a sort moves the milestones anywhere there (heading rows have no Status)."""
    row = ws.heading(row, f"Action checklist progress (the plan and its tracker: sheet '{tracker}')")
    ws.headers(row, [(0, 1, "Status"), (2, 2, "Milestones")], 20)
    row += 1
    counts = cr.progress()
    top, end = (cell(tracker, r, STATUS_COL) for r in placed.body)
    span = f"{top}:{end.split('!')[1]}" if placed.lines else ""
    first = row
    for status, n in counts.items():
        ws.span(row, 0, 1, status, "bold")
        if span and status == OTHER_STATUS:  # whatever else the Status column holds
            listed = f"{xl_rowcol_to_cell(first, 2)}:{xl_rowcol_to_cell(row - 1, 2)}"
            ws.formula(row, 2, f"=COUNTA({span})-SUM({listed})", n, "center")
        elif span:
            ws.formula(row, 2, f'=COUNTIF({span},"{_quote(status)}")', n, "center")
        else:
            ws.number(row, 2, n, "center")
        row += 1
    ws.span(row, 0, 1, "All milestones in the plan", "bold")
    ws.number(row, 2, len(placed.lines), "center")
    return row + 1


def _quote(text: str) -> str:
    return text.replace('"', '""')
