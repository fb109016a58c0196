"""The Overview (replies and chase list, tier table, movement, distribution, chart, how to print) and Criteria."""

from __future__ import annotations

import math
from datetime import date

import xlsxwriter

from rai_xl.core.previous_round import HistoryRow
from rai_xl.core.report_model import RegionalReport
from rai_xl.layouts import regional as marks
from rai_xl.method.words import (
    NOT_ANSWERED,
    PROVISIONAL,
    not_answered_note,
    points_legend,
    provisional_note,
    tier_and_score,
    tier_label,
)
from rai_xl.write.kit import POINT_FILL, TIER_FILL, SheetWriter
from rai_xl.write.regional import reported

MOVEMENT = {
    "up": ("▲ up", "#C6EFCE"),
    "down": ("▼ down", "#F8CBAD"),
    "same": ("= same tier", ""),
    "first": ("★ first tier", "#DDEBF7"),  # the pillar had no tier in the earlier round (not answered)
}
CHASE_FILL = {"complete": "#C6EFCE", "incomplete": "#FFEB9C", "not replied": "#F2F2F2"}  # else: to act on (red)
# Overview columns: A Member State | then per pillar a score column and a tier column
OVERVIEW_WIDTHS = [20] + [8, 16] * 4  # printed in portrait
LAST = len(OVERVIEW_WIDTHS) - 1
CHART_HEIGHT, ROW_PIXELS = 330, 20  # the chart's height, and a default row's, in pixels


def _pillar_header(ws: SheetWriter, report: RegionalReport, row: int, first: str) -> int:
    """A header row: *first*, then each pillar over two columns. Returns the next row."""
    ws.headers(
        row,
        [(0, 0, first)]
        + [(2 * p.number - 1, 2 * p.number, f"Pillar {p.number}: {p.name}") for p in report.catalogue.pillars],
        47,
    )
    return row + 1


def print_note(report: RegionalReport) -> str:
    """How to make the meeting pack (`rai-xl pack`), or print it and one country's plan, naming this workbook's sheets."""
    profiles = [marks.profile_sheet(cr.country.name) for cr in report.countries]
    last = f"'{profiles[-1]}'" if profiles else f"'{marks.SHEET_CRITERIA}'"
    example = report.countries[0].country.name if report.countries else "Lao PDR"
    pages = 2 + 3 + 2 * len(profiles)
    year = report.year
    return (
        f"The meeting pack, typeset as a PDF (a page per profile, the same on every machine): rai-xl pack "
        f"regional-{year}.xlsx --output pack-{year}.pdf (a Member State's brief: add --country CODE). "
        f"To print the meeting pack from the spreadsheet instead (at most {pages} pages): click the tab "
        f"'{marks.SHEET_OVERVIEW}', Shift+click the tab {last}, then print the selected sheets (Excel: Print Active "
        "Sheets; LibreOffice: Print, Selected sheets). To print one country's action plan: open the tab with its name "
        f"(e.g. '{marks.checklist_sheet(example)}') "
        "and print the active sheet; filter it first with the arrows in its header row to print, say, one pillar. "
        "The tables at the end (Scores, Answers, Checklist, History, Answer history) are for other tools and print "
        "only a one-line note."
    )


def write_overview(
    wb: xlsxwriter.Workbook, ws: SheetWriter, report: RegionalReport, synthetic: bool, written_on: date
) -> None:
    cat, year = report.catalogue, report.year
    ws.columns(OVERVIEW_WIDTHS)
    ws.title(f"ASEAN Responsible AI readiness self-assessment: regional overview {year}")
    rounds = report.rounds
    about = (
        f"Written by rai-xl on {written_on.isoformat()} · methodology {cat.version} · {cat.title} · "
        f"rounds in History: {', '.join(map(str, rounds))}"
    )
    row = ws.paragraph(1, 0, LAST, about, "subtitle")
    if synthetic:
        ws.span(
            row, 0, LAST, "Built from SYNTHETIC sample data: these are not real assessments of any Member State.", "banner"
        )
        ws.height(row, 22)
        row += 1
    went_in = f"{report.replied}. {report.went_in}"
    row = ws.paragraph(row, 0, LAST, went_in, "note")
    if report.has_problems:
        problems = (
            "Not every return could be used as it is: see the chase list below and the Submissions and Issues "
            "sheets. Provisional tiers come from pillars with unanswered criteria."
        )
        row = ws.paragraph(row, 0, LAST, problems, "banner")
    row += 1
    top = cat.pillar_max(1)
    row = ws.heading(row, f"Readiness tiers by assessment pillar (score out of {top:g})")
    row = _pillar_header(ws, report, row, "Member State")
    table_top = row
    earlier: list[str] = []  # Member States shown by their last known tiers, and their standing
    for c in cat.countries:
        ws.text(row, 0, c.name, "bold")
        cr = report.country_report(c.code)
        last = report.last_known(c.code) if cr is None else ()
        if cr is None and last:
            _last_known(ws, report, row, c.name, last)
            earlier.append(f"{c.name} ({last[0].year}): {report.standing(c)}")
        elif cr is None:
            standing = report.standing(c)
            ws.paragraph(row, 1, LAST, standing, "muted" if standing == "not submitted" else "banner")
        else:
            for p in cr.assessment.pillars:
                fill = TIER_FILL.get(p.tier or "", "")
                if p.tier is None:
                    ws.text(row, 2 * p.number - 1, "", "score")
                else:
                    ws.number(row, 2 * p.number - 1, p.score, "score", fill)
                ws.text(row, 2 * p.number, tier_label(p), "center", fill)
            ws.fit(row, [(c.name, 0, 0)] + [(tier_label(p), 2 * p.number, 2 * p.number) for p in cr.assessment.pillars])
        row += 1
    if earlier:
        said = (
            f"In grey, marked with their year: the last known tiers of Member States with no usable return for "
            f"{report.year}. " + "; ".join(earlier) + "."
        )
        row = ws.paragraph(row, 0, LAST, said, "note")
    rule = (
        "Tier rule: " + cat.tier_rule + " " + provisional_note() + " " + not_answered_note() + " Countries are "
        "listed in ASEAN order; there is no overall score and no ranking."
    )
    row = ws.paragraph(row, 0, LAST, rule, "note") + 1
    row = _distribution(ws, report, row) + 1
    row = _movements(ws, report, row) + 1
    row = _chase(ws, report, row) + 1
    if report.countries:
        row = _chart(wb, ws, report, table_top, row) + 1
    row = reported.overview_section(ws, report, row, LAST)
    # The meeting pack prints the findings; how to print is for the coordinator, below the print area.
    ws.print_only(0, row - 1, 0, LAST)
    note = print_note(report)
    ws.heading(row, "Printing (for the coordinator: this note is not printed)")
    ws.paragraph(row + 1, 0, LAST, note, "note")


def _last_known(ws: SheetWriter, report: RegionalReport, row: int, name: str, last: tuple[HistoryRow, ...]) -> None:
    """A tier table row of a Member State with no return this round: its latest round's scores and tiers, in
    grey, each tier marked with its year."""
    by_pillar = {h.pillar: h for h in last}
    texts = [(name, 0, 0)]
    for p in report.catalogue.pillars:
        h = by_pillar.get(p.number)
        if h is None or h.score is None:
            ws.text(row, 2 * p.number - 1, "", "muted")
        else:
            ws.number(row, 2 * p.number - 1, h.score, "muted")
        label = f"{tier_label(h) if h else NOT_ANSWERED} ({last[0].year})"
        ws.text(row, 2 * p.number, label, "muted")
        texts.append((label, 2 * p.number, 2 * p.number))
    ws.fit(row, texts)


def _distribution(ws: SheetWriter, report: RegionalReport, row: int) -> int:
    """How many Member States reach each tier per pillar; a pillar with no answer counts as not answered."""
    cat = report.catalogue
    row = ws.heading(row, "Tier distribution per pillar")
    columns = [t.name for t in cat.tiers] + [NOT_ANSWERED.capitalize()]
    ws.headers(row, [(0, 0, "Pillar")] + [(1 + 2 * j, 2 + 2 * j, name) for j, name in enumerate(columns)])
    row += 1
    for p in cat.pillars:
        label = f"{p.number}. {p.name}"
        ws.text(row, 0, label, "bold")
        texts = [(label, 0, 0)]
        for j, tier in enumerate([t.name for t in cat.tiers] + [None]):
            names = [
                cr.country.name + ("*" if tier and not cr.assessment.pillars[p.number - 1].complete else "")
                for cr in report.countries
                if cr.assessment.pillars[p.number - 1].tier == tier
            ]
            text = f"{len(names)}: {', '.join(names)}" if names else "0"
            ws.span(row, 1 + 2 * j, 2 + 2 * j, text, "cell", TIER_FILL.get(tier or "", ""))
            texts.append((text, 1 + 2 * j, 2 + 2 * j))
        ws.fit(row, texts, 2)
        row += 1
    ws.span(row, 0, LAST, f"* {PROVISIONAL} (pillar incomplete)", "note")
    return row + 1


def _chase(ws: SheetWriter, report: RegionalReport, row: int) -> int:
    """The chase list: every Member State's reply, what is to be done, whom to contact. Returns the next row."""
    row = ws.heading(row, f"Replies: {report.replied}")
    ws.headers(
        row,
        [(0, 0, "Member State"), (1, 2, "State, and what is to be done"), (3, 6, "Contact"), (7, 8, "Completed on, files")],
        32,
    )
    row += 1
    for r in report.chase:
        fill = CHASE_FILL.get(r.state, "#FFC7CE")
        state = r.state + (f": {r.detail}" if r.detail else "")
        when = "\n".join(filter(None, [r.completed_on, *r.files]))
        ws.text(row, 0, r.country.name, "bold")
        ws.span(row, 1, 2, state, "bold", fill)
        ws.span(row, 3, 6, r.contact)
        ws.span(row, 7, 8, when)
        ws.fit(row, [(r.country.name, 0, 0), (state, 1, 2), (r.contact, 3, 6), (when, 7, 8)])
        row += 1
    return row


def _movements(ws: SheetWriter, report: RegionalReport, row: int) -> int:
    """Who moved up or down a tier in which pillar since their previous round. Returns the next row."""
    row = ws.heading(row, "Tier movement since the previous round")
    earlier = [y for y in report.rounds if y < report.year]
    if not earlier:
        ws.span(
            row,
            0,
            8,
            "No earlier round in History: movement is shown from the second round on.",
            "note",
        )
        return row + 1
    if not report.movements:
        ws.span(
            row,
            0,
            LAST,
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
        line, before = m.line, m.line.before
        assert before is not None  # a movement has an earlier round
        label, fill = MOVEMENT[line.movement]
        texts = [
            f"{line.score.number}. {line.name}",
            tier_and_score(before.year, before),
            tier_and_score(report.year, line.score),
            f"{label} ({line.change_text(report.year)})" if line.change_text(report.year) else label,
        ]
        fills = ["", TIER_FILL.get(before.tier or "", ""), TIER_FILL.get(line.score.tier or "", ""), fill]
        ws.text(row, 0, m.country.name, "bold")
        for k, (text, shade) in enumerate(zip(texts, fills, strict=True)):
            ws.span(row, 1 + 2 * k, 2 + 2 * k, text, "bold" if k == 3 else "cell", shade)
        ws.fit(row, [(m.country.name, 0, 0)] + [(t, 1 + 2 * k, 2 + 2 * k) for k, t in enumerate(texts)])
        row += 1
    return row


def _chart(wb: xlsxwriter.Workbook, ws: SheetWriter, report: RegionalReport, table_top: int, row: int) -> int:
    """Column chart of this round's scores, read from a contiguous copy in hidden columns K:O. Returns the
    first row below it."""
    ws.text(table_top - 1, 10, "Chart data")
    for i, cr in enumerate(report.countries):
        ws.text(table_top + i, 10, cr.country.name)
        for score in cr.assessment.pillars:
            if score.tier is not None:  # a pillar with no answer has no bar
                ws.number(table_top + i, 10 + score.number, score.score)
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
    chart.set_size({"width": 820, "height": CHART_HEIGHT})
    ws.heading(row, "Pillar scores by Member State")
    ws.chart(row + 1, 0, chart)
    return row + 2 + math.ceil(CHART_HEIGHT / ROW_PIXELS)


def name_width(name: str) -> int:
    """A column wide enough for a country's name wrapped at its spaces (bold, in a header)."""
    return max(7, max(len(word) for word in name.split()) + 3)


def write_criteria(ws: SheetWriter, report: RegionalReport) -> None:
    cat = report.catalogue
    countries = report.countries
    n = len(countries)
    ws.columns([6, 50] + [name_width(cr.country.name) for cr in countries] + [8, 9, 8, 13, 24])
    ws.text(
        0,
        0,
        f"Points per criterion and Member State ({points_legend(cat)}; blank = unanswered)",
        "heading",
    )
    heads = ["ID", "Criterion"] + [cr.country.name for cr in countries] + ["Full", "Partial", "Zero", "Unanswered"]
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
    ws.header(2, heads, 47)
    ws.freeze(3, 2)
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
                    changed.append(cr.country.name)
            for k, key in enumerate([*sorted((a.points for a in c.answers), reverse=True), None]):
                ws.number(row, 2 + n + k, counts[key], "center")
            ws.text(row, 2 + n + 4, ", ".join(changed))
            ws.fit(row, [(c.question, 1, 1), (", ".join(changed), 2 + n + 4, 2 + n + 4)], 2)
            row += 1
