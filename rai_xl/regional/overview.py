"""The Overview (tier table, movement, distribution, chart) and the Criteria sheet."""

from __future__ import annotations

from datetime import date

import xlsxwriter

from rai_xl.report import PROVISIONAL, RegionalReport, points_legend, provisional_note, tier_label
from rai_xl.sheet_kit import POINT_FILL, TIER_FILL, Sheet

MOVEMENT = {"up": ("▲ up", "#C6EFCE"), "down": ("▼ down", "#F8CBAD"), "same": ("= same tier", "")}


def _pillar_header(ws: Sheet, report: RegionalReport, row: int, first: str) -> int:
    """A header row: *first*, then each pillar over two columns. Returns the next row."""
    ws.headers(
        row,
        [(0, 0, first)]
        + [(2 * p.number - 1, 2 * p.number, f"Pillar {p.number}: {p.name}") for p in report.catalogue.pillars],
        32,
    )
    return row + 1


def write_overview(wb: xlsxwriter.Workbook, ws: Sheet, report: RegionalReport, synthetic: bool, written_on: date) -> None:
    cat, year = report.catalogue, report.year
    ws.columns([22] + [9, 24] * 4)
    ws.ws.hide_gridlines(2)
    ws.text(0, 0, f"ASEAN Responsible AI readiness self-assessment: regional overview {year}", "title")
    ws.height(0, 24)
    rounds = report.rounds
    ws.text(
        1,
        0,
        f"Written by rai-xl on {written_on.isoformat()} · methodology {cat.version} · "
        f"catalogue {cat.fingerprint} · {cat.title} · rounds in History: {', '.join(map(str, rounds))}",
        "subtitle",
    )
    row = 2
    if synthetic:
        ws.span(row, 0, 8, "Built from SYNTHETIC sample data: these are not real assessments of any Member State.", "banner")
        ws.height(row, 22)
        row += 1
    ws.span(row, 0, 8, report.went_in, "note")
    row += 1
    if report.has_problems:
        ws.span(
            row,
            0,
            8,
            "Not every return could be used as it is: see the Submissions and Issues "
            "sheets. Provisional tiers come from pillars with unanswered criteria.",
            "banner",
        )
        ws.height(row, 30)
        row += 1
    row += 1
    top = cat.pillar_max(1)
    ws.text(row, 0, f"Readiness tiers by assessment pillar (score out of {top:g})", "heading")
    row += 1
    row = _pillar_header(ws, report, row, "Member State")
    table_top = row
    for c in cat.countries:
        ws.text(row, 0, c.name, "bold")
        cr = report.country_report(c.code)
        if cr is None:
            ws.span(row, 1, 8, "Not submitted" if c in report.missing else "No usable return (see Submissions)", "muted")
        else:
            for p in cr.assessment.pillars:
                ws.number(row, 2 * p.number - 1, p.score, "score", TIER_FILL[p.tier])
                ws.text(row, 2 * p.number, tier_label(p), "center", TIER_FILL[p.tier])
        row += 1
    ws.span(
        row,
        0,
        8,
        "Tier rule: " + cat.tier_rule + " " + provisional_note() + " Countries are listed in ASEAN order; there is "
        "no overall score and no ranking.",
        "note",
    )
    ws.height(row, 45)
    row += 2
    row = _movements(ws, report, row) + 1
    ws.text(row, 0, "Tier distribution per pillar", "heading")
    row += 1
    spans = [(0, 0, "Pillar")] + [(1 + 3 * j, 3 + 3 * j) if j < 2 else (7, 8) for j in range(3)]
    ws.headers(row, [spans[0]] + [(*spans[1 + j], t.name) for j, t in enumerate(cat.tiers)])  # type: ignore[misc]
    row += 1
    for p in cat.pillars:
        ws.text(row, 0, f"{p.number}. {p.name}", "bold")
        for j, t in enumerate(cat.tiers):
            names = [
                cr.country.name + ("*" if not cr.assessment.pillars[p.number - 1].complete else "")
                for cr in report.countries
                if cr.assessment.pillars[p.number - 1].tier == t.name
            ]
            first, last = spans[1 + j]  # type: ignore[misc]
            ws.span(row, first, last, f"{len(names)}: {', '.join(names)}" if names else "0", "cell", TIER_FILL[t.name])
        ws.height(row, 32)
        row += 1
    ws.text(row, 0, f"* {PROVISIONAL} (pillar incomplete)", "note")
    row += 2
    ws.text(row, 0, "What each tier means, by pillar (Roadmap, Table 3)", "heading")
    row += 1
    row = _pillar_header(ws, report, row, "Tier")
    for t in cat.tiers:
        ws.text(row, 0, f"{t.name}\n(from {t.minimum:g} points)", "bold", TIER_FILL[t.name])
        for p in cat.pillars:
            ws.span(row, 2 * p.number - 1, 2 * p.number, p.tier_description(t.name))
        ws.height(row, 105)
        row += 1
    row += 1
    if report.countries:
        _chart(wb, ws, report, table_top, row)


def _movements(ws: Sheet, report: RegionalReport, row: int) -> int:
    """Who moved up or down a tier in which pillar since their previous round. Returns the next row."""
    ws.text(row, 0, "Tier movement since the previous round", "heading")
    row += 1
    earlier = [y for y in report.rounds if y < report.year]
    if not earlier:
        ws.span(
            row,
            0,
            8,
            "No earlier round in History: the next consolidation with --previous and this workbook will show movement.",
            "note",
        )
        return row + 1
    if not report.movements:
        ws.span(
            row,
            0,
            8,
            f"No Member State moved tier in any pillar since its previous round ({', '.join(map(str, earlier))}).",
            "note",
        )
        return row + 1
    ws.headers(
        row,
        [(0, 0, "Member State"), (1, 2, "Pillar"), (3, 4, "Previous round"), (5, 6, f"{report.year}"), (7, 8, "Movement")],
        22,
    )
    row += 1
    for m in report.movements:
        label, fill = MOVEMENT[m.direction]
        ws.text(row, 0, m.country.name, "bold")
        ws.span(row, 1, 2, f"{m.pillar}. {report.catalogue.pillar(m.pillar).name}")
        ws.span(
            row, 3, 4, f"{m.before.year}: {m.before.tier} ({m.before.score:g})", "cell", TIER_FILL.get(m.before.tier, "")
        )
        ws.span(row, 5, 6, f"{report.year}: {tier_label(m.now)} ({m.now.score:g})", "cell", TIER_FILL[m.now.tier])
        ws.span(row, 7, 8, f"{label} ({m.now.score - m.before.score:+g} points)", "bold", fill)
        ws.height(row, 30)
        row += 1
    return row


def _chart(wb: xlsxwriter.Workbook, ws: Sheet, report: RegionalReport, table_top: int, row: int) -> None:
    """Column chart of this round's scores, read from a contiguous copy in hidden columns K:O."""
    ws.text(table_top - 1, 10, "Chart data")
    for i, cr in enumerate(report.countries):
        ws.text(table_top + i, 10, cr.country.name)
        for p in cr.assessment.pillars:
            ws.number(table_top + i, 10 + p.number, p.score)
    ws.hide_columns(10, 14)
    last = table_top + len(report.countries) - 1
    chart = wb.add_chart({"type": "column"})
    for p in report.catalogue.pillars:
        chart.add_series(
            {
                "name": f"Pillar {p.number}: {p.name}",
                "categories": [ws.name, table_top, 10, last, 10],
                "values": [ws.name, table_top, 10 + p.number, last, 10 + p.number],
            }
        )
    chart.show_hidden_data()
    tiers = report.catalogue.tiers
    chart.set_title(
        {
            "name": f"Pillar scores by Member State, {report.year} (out of {report.catalogue.pillar_max(1):g}; "
            + "; ".join(f"{t.name} from {t.minimum:g}" for t in tiers[:-1])
            + ")",
            "name_font": {"size": 12},
        }
    )
    chart.set_y_axis({"min": 0, "max": report.catalogue.pillar_max(1), "major_unit": 3, "name": "Score"})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 1150, "height": 400})
    ws.text(row, 0, "Pillar scores by Member State", "heading")
    ws.chart(row + 1, 0, chart)


def write_criteria(ws: Sheet, report: RegionalReport) -> None:
    cat = report.catalogue
    countries = report.countries
    n = len(countries)
    ws.columns([6, 60] + [7] * n + [8, 8, 8, 11, 30])
    ws.text(
        0,
        0,
        f"Points per criterion and Member State ({points_legend(cat)}; blank = unanswered)",
        "heading",
    )
    heads = ["ID", "Criterion"] + [cr.country.code for cr in countries] + ["Full", "Partial", "Zero", "Unanswered"]
    heads.append("Changed since previous round")
    earlier = [y for y in report.rounds if y < report.year]
    ws.span(
        1,
        0,
        len(heads) - 1,
        "Bold and boxed, and listed in the last column: the answer changed since the country's previous round."
        if earlier
        else "No earlier round in History to compare answers with.",
        "note",
    )
    ws.header(2, heads)
    for j, cr in enumerate(countries):
        ws.comment(2, 2 + j, cr.country.name)
    ws.ws.freeze_panes(3, 2)
    ws.ws.repeat_rows(2)
    row = 3
    for p in cat.pillars:
        ws.span(row, 0, len(heads) - 1, f"Assessment Pillar {p.number}: {p.name}", "group")
        row += 1
        for c in cat.criteria_of(p.number):
            ws.text(row, 0, c.id, "bold")
            ws.text(row, 1, c.question)
            counts: dict[float | None, int] = {a.points: 0 for a in c.answers} | {None: 0}
            changed = []
            for j, cr in enumerate(countries):
                pts = cr.assessment.points_for(c.id)
                counts[pts] += 1
                style = "changed" if c.id in cr.changed else "score"
                if pts is None:
                    ws.text(row, 2 + j, "", "muted")
                else:
                    ws.number(row, 2 + j, pts, style, POINT_FILL[pts])
                if c.id in cr.changed:
                    changed.append(cr.country.code)
            for k, key in enumerate([*sorted((a.points for a in c.answers), reverse=True), None]):
                ws.number(row, 2 + n + k, counts[key], "center")
            ws.text(row, 2 + n + 4, ", ".join(changed))
            ws.height(row, 15 * max(2, -(-len(c.question) // 62)) + 3)
            row += 1
