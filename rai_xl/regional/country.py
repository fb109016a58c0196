"""A Member State's sheet (scores, movement, lost points, action checklist) and the Cross-cutting sheet."""

from __future__ import annotations

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from rai_xl.regional.marks import LEAD, MILESTONE_ID, NOTES, STATUS, TARGET
from rai_xl.regional.overview import MOVEMENT
from rai_xl.report import (
    NOT_STARTED,
    STATUSES,
    CheckLine,
    CountryReport,
    RegionalReport,
    Section,
    Typed,
    provisional_note,
)
from rai_xl.sheet_kit import POINT_FILL, TIER_FILL, Sheet, lines

# Country sheet columns: A Pillar | B Action area | C Sub-action | D Sub-action title | E Term | F Milestone |
# G Milestone ID | H Status | I Lead agency | J Target date | K Notes
COUNTRY_WIDTHS = [7, 10, 10, 28, 13, 50, 12, 13, 18, 12, 26]
COUNTRY_HEADS = ["Pillar", "Action area", "Sub-action", "Sub-action title", "Term", "Milestone", MILESTONE_ID]
# Cross-cutting columns: A Action area | B Sub-action | C Term | D Milestone | E Responsible parties | F Milestone ID | ...
REGIONAL_WIDTHS = [9, 34, 13, 52, 26, 12, 13, 18, 12, 24]
REGIONAL_HEADS = ["Action area", "Sub-action", "Term", "Milestone", "Responsible parties", MILESTONE_ID]
TYPED_HEADS = [STATUS, LEAD, TARGET, NOTES]
CHART_COL = 12  # hidden chart data from column M


def _typed(ws: Sheet, row: int, col: int, typed: Typed) -> None:
    """The four cells a coordinator keeps up to date, holding what was typed before, exactly."""
    ws.value(row, col, NOT_STARTED if typed.status in (None, "") else typed.status, "edit")
    for k, v in enumerate(typed.extra, start=1):
        ws.value(row, col + k, v, "edit", "date")


def _term(report: RegionalReport, key: str) -> str:
    t = next(t for t in report.catalogue.terms if t.key == key)
    return f"{t.name}\n({t.years})"


def write_country(
    wb: xlsxwriter.Workbook, ws: Sheet, report: RegionalReport, cr: CountryReport
) -> list[tuple[CheckLine, int]]:
    """Write one country's sheet; return its checklist lines with their rows, in checklist order."""
    ws.columns(COUNTRY_WIDTHS)
    ws.ws.hide_gridlines(2)
    ws.text(0, 0, f"{cr.country.name}: responsible AI readiness {report.year}", "title")
    ws.height(0, 24)
    ws.span(1, 0, 10, cr.who, "subtitle")
    row = _scores(ws, report, cr, 3)
    row = _trend_chart(wb, ws, report, cr, row + 1)
    row = _lost(ws, report, cr, row + 1)
    return _checklist(ws, report, cr, row + 1)


def _scores(ws: Sheet, report: RegionalReport, cr: CountryReport, row: int) -> int:
    """Per pillar: the previous round, the movement, then this round (read left to right: from, change, to)."""
    cat = report.catalogue
    before = next((p.before.year for p in cr.pillars if p.before is not None), None)
    since = f" since {before}" if before else ""
    ws.text(row, 0, f"Scores and tiers {report.year}, and movement{since}", "heading")
    row += 1
    top = cat.pillar_max(1)
    ws.headers(
        row,
        [
            (0, 0, "Pillar"),
            (1, 2, "Assessment pillar"),
            (3, 3, f"Tier {before}" if before else "Previous tier"),
            (4, 4, f"Score {before}" if before else "Previous score"),
            (5, 5, "Movement"),
            (6, 6, f"Score (of {top:g}) {report.year}"),
            (7, 7, f"Tier {report.year}"),
            (8, 8, "Change (points)"),
            (9, 9, "Points to next tier"),
            (10, 10, "Answered"),
        ],
        32,
    )
    row += 1
    first = row
    for line in cr.pillars:
        p = line.score
        fill = TIER_FILL[p.tier]
        ws.number(row, 0, p.number, "center")
        ws.span(row, 1, 2, line.name)
        if line.before is not None:
            was = TIER_FILL.get(line.before.tier, "")
            ws.text(row, 3, line.before.tier, "center", was)
            ws.number(row, 4, line.before.score, "score", was)
            label, mark = MOVEMENT[line.movement] if line.movement else ("", "")
            if line.movement in ("up", "down"):
                label += f": {line.before.tier} → {p.tier}"
            ws.text(row, 5, f"{label} ({line.change:+g} points)" if label else f"{line.change:+g} points", "move", mark)
            ws.number(row, 8, line.change or 0.0, "change")
        ws.number(row, 6, p.score, "score", fill)
        ws.text(row, 7, line.tier, "center", fill)
        ws.text(row, 9, "top tier" if p.points_to_next_tier is None else f"{p.points_to_next_tier:g}", "center")
        answered = f"{p.answered} of {p.total}" + ("" if p.complete else f" (unanswered: {', '.join(p.missing)})")
        ws.text(row, 10, answered, "cell" if p.complete else "bold")
        ws.height(row, 32)
        row += 1
    if before is None:
        ws.merge((first, row - 1), (3, 5), "No earlier round in History for this country", "muted")
        ws.merge((first, row - 1), (8, 8), "", "muted")
    ws.span(row, 0, 10, "Tier rule: " + cat.tier_rule + " " + provisional_note(), "note")
    ws.height(row, 32)
    return row + 1


def _trend_chart(wb: xlsxwriter.Workbook, ws: Sheet, report: RegionalReport, cr: CountryReport, row: int) -> int:
    """A line chart of each pillar's score across every round in History; data in hidden columns M:Q."""
    cat = report.catalogue
    years = sorted({h.year for h in cr.trend})
    ws.text(0, CHART_COL, "Year")
    for p in cat.pillars:
        ws.text(0, CHART_COL + p.number, f"Pillar {p.number}")
    for i, year in enumerate(years, start=1):
        ws.text(i, CHART_COL, str(year))
        for h in cr.trend:
            if h.year == year:
                ws.number(i, CHART_COL + h.pillar, h.score)
    ws.hide_columns(CHART_COL, CHART_COL + 4)
    chart = wb.add_chart({"type": "line"})
    for p in cat.pillars:
        chart.add_series(
            {
                "name": f"{p.number}. {p.name}",
                "categories": [ws.name, 1, CHART_COL, len(years), CHART_COL],
                "values": [ws.name, 1, CHART_COL + p.number, len(years), CHART_COL + p.number],
                "marker": {"type": "circle", "size": 8},
                "line": {"width": 2.5},
            }
        )
    chart.show_hidden_data()
    tiers = "; ".join(f"{t.name} from {t.minimum:g}" for t in cat.tiers[:-1])
    chart.set_title({"name": f"{cr.country.name}: pillar scores by round ({tiers})", "name_font": {"size": 11}})
    top = cat.pillar_max(1)
    chart.set_y_axis(
        {
            "min": 0,
            "max": top,
            "major_unit": 3,
            "name": "Score",
            "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
        }
    )
    chart.set_x_axis({"name": "Round"})
    chart.set_legend({"position": "right"})
    chart.set_size({"width": 1000, "height": 300})
    ws.text(row, 0, f"Scores across rounds ({', '.join(map(str, years))})", "heading")
    ws.chart(row + 1, 0, chart, {"x_offset": 4, "y_offset": 4})
    return row + 17


def _lost(ws: Sheet, report: RegionalReport, cr: CountryReport, row: int) -> int:
    ws.text(row, 0, f"Criteria that lost points ({len(cr.lost)})", "heading")
    row += 1
    ws.headers(
        row,
        [
            (0, 0, "ID"),
            (1, 3, "Criterion"),
            (4, 4, "Points"),
            (5, 5, "Answer"),
            (6, 6, "Lost"),
            (7, 10, "Evidence / source documents"),
        ],
        20,
    )
    row += 1
    for line in cr.lost:
        evidence = line.evidence or "(none given)"
        ws.text(row, 0, line.criterion.id, "bold")
        ws.span(row, 1, 3, line.criterion.question)
        ws.number(row, 4, line.points, "score", POINT_FILL[line.points])
        ws.text(row, 5, line.answer)
        ws.number(row, 6, line.lost, "score")
        ws.span(row, 7, 10, evidence)
        ws.height(row, 15 * max(1, lines(line.criterion.question, 50), lines(line.answer, 54), lines(evidence, 75)) + 4)
        row += 1
    return row


def _checklist(ws: Sheet, report: RegionalReport, cr: CountryReport, row: int) -> list[tuple[CheckLine, int]]:
    ws.text(row, 0, "Action checklist", "heading")
    ws.span(
        row + 1,
        0,
        10,
        "For each pillar, the Roadmap's targeted actions for the tier reached, then the actions linked to the "
        "criteria that lost points. Keep Status, Lead agency, Target date and Notes up to date during the year: "
        "the next consolidation with --previous carries them forward by Milestone ID.",
        "note",
    )
    ws.height(row + 1, 30)
    row += 2
    ws.header(row, COUNTRY_HEADS + TYPED_HEADS)
    ws.ws.freeze_panes(row + 1, 0)
    ws.ws.repeat_rows(row)
    first = row + 1
    placed: list[tuple[CheckLine, int]] = []
    row += 1
    for section in cr.sections:
        row = _section_title(ws, section, row, 10)
        for group in section.groups:
            if group.heading:
                ws.span(row, 0, 10, group.heading, "carried" if section.title.startswith("Carried") else "group")
                ws.height(row, 30)
                row += 1
            for line in group.lines:
                _country_line(ws, report, line, row)
                placed.append((line, row))
                row += 1
    if placed:
        ws.list_validation(first, row - 1, 7, list(STATUSES), "Status")
    return placed


def _section_title(ws: Sheet, section: Section, row: int, last: int) -> int:
    if not section.title:
        return row
    ws.span(row, 0, last, section.title, "carried" if section.title.startswith("Carried") else "group")
    ws.height(row, 30)
    return row + 1


def _country_line(ws: Sheet, report: RegionalReport, line: CheckLine, row: int) -> None:
    a, s, m = line.action, line.sub_action, line.milestone
    ws.number(row, 0, a.pillar, "center")
    ws.text(row, 1, a.id)
    ws.text(row, 2, s.id)
    title = s.title + (f"\n\nNo longer in the plan: {line.reason}" if line.reason else "")
    ws.text(row, 3, title)
    ws.text(row, 4, _term(report, m.term))
    ws.text(row, 5, m.text)
    ws.text(row, 6, m.id, "bold")
    _typed(ws, row, 7, line.typed)
    notes = str(line.typed.notes or "")
    ws.height(row, 15 * max(2, lines(m.text, 55), lines(title, 30), lines(notes, 28)) + 3)


def write_regional(ws: Sheet, report: RegionalReport) -> None:
    cat = report.catalogue
    ws.columns(REGIONAL_WIDTHS)
    ws.ws.hide_gridlines(2)
    first_id, last_id = cat.cross_cutting_actions()[0].id, cat.cross_cutting_actions()[-1].id
    ws.text(0, 0, f"Regional checklist: cross-cutting action areas {first_id}–{last_id}", "title")
    ws.height(0, 24)
    priorities = sum(a.priority for a in cat.actions)
    ws.span(
        1,
        0,
        9,
        "Responsible parties in the first instance: "
        + "; ".join(cat.responsible_parties)
        + ". "
        + cat.responsible_parties_note
        + f" ★ = one of the Roadmap's {priorities} key regional priorities.",
        "note",
    )
    ws.height(1, 32)
    ws.header(3, REGIONAL_HEADS + TYPED_HEADS)
    ws.ws.freeze_panes(4, 0)
    ws.ws.repeat_rows(3)
    parties = "; ".join(cat.responsible_parties)
    row = 4
    for section in report.regional:
        row = _section_title(ws, section, row, 9)
        for group in section.groups:
            ws.span(row, 0, 9, group.heading, "bold", "#EDEDED")
            ws.height(row, 30)
            row += 1
            for line in group.lines:
                s, m = line.sub_action, line.milestone
                ws.text(row, 0, line.action.id)
                ws.text(row, 1, f"{s.id} {s.title}")
                ws.text(row, 2, _term(report, m.term))
                ws.text(row, 3, m.text)
                ws.text(row, 4, parties)
                ws.text(row, 5, m.id, "bold")
                _typed(ws, row, 6, line.typed)
                notes = str(line.typed.notes or "")
                ws.height(row, 15 * max(2, lines(m.text, 55), lines(s.title, 32), lines(notes, 26)) + 3)
                row += 1
    ws.list_validation(4, row - 1, 6, list(STATUSES), "Status")


def cell(sheet: str, row: int, col: int) -> str:
    """An absolute reference to a cell of *sheet*, e.g. 'Lao PDR'!$H$20."""
    quoted = sheet.replace("'", "''")
    return f"'{quoted}'!{xl_rowcol_to_cell(row, col, True, True)}"
