"""Write the consolidated regional workbook shared at ADGSOM meetings."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from rai_xl.catalogue import Catalogue, Country
from rai_xl.consolidate import Round
from rai_xl.planning import GAP, TIER, checklist, lost_criteria, plan
from rai_xl.returns import Submission
from rai_xl.scoring import PillarScore
from rai_xl.styles import NAVY, SHARED

STATUSES = ["Not started", "Planned", "In progress", "Completed", "Not applicable"]
TIER_FILL = {"Advanced": "#C6EFCE", "Promising": "#FFEB9C", "Emerging": "#F8CBAD"}
POINT_FILL = {3.0: "#C6EFCE", 1.5: "#FFEB9C", 0.0: "#F8CBAD"}
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
BASE: dict[str, dict[str, Any]] = {
    **SHARED,
    "subtitle": {"font_size": 11, "font_color": "#404040"},
    "banner": {
        "bold": True,
        "font_color": "#9C0006",
        "bg_color": "#FFC7CE",
        "border": 1,
        "text_wrap": True,
        "valign": "vcenter",
    },
    "heading": {"bold": True, "font_size": 12, "font_color": NAVY, "bottom": 1, "bottom_color": NAVY},
    "group": {
        "bold": True,
        "bg_color": "#D9E1F2",
        "font_color": NAVY,
        "border": 1,
        "text_wrap": True,
        "valign": "vcenter",
    },
    "cell": {"text_wrap": True, "valign": "top", "border": 1},
    "bold": {"bold": True, "text_wrap": True, "valign": "top", "border": 1},
    "center": {"align": "center", "valign": "top", "border": 1, "text_wrap": True},
    "score": {"align": "center", "valign": "top", "border": 1, "num_format": "0.0"},
    "edit": {"text_wrap": True, "valign": "top", "border": 1, "bg_color": "#FFF2CC", "locked": False},
    "date": {"valign": "top", "border": 1, "bg_color": "#FFF2CC", "locked": False, "num_format": "yyyy-mm-dd"},
    "mono": {"font_name": "Consolas", "font_size": 9, "valign": "top", "border": 1},
    "muted": {"align": "center", "valign": "top", "border": 1, "font_color": "#808080", "bg_color": "#F2F2F2"},
}


class Styles:
    """Formats created once per workbook; tier and point colours and quote-prefixed text variants."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.wb = wb
        self.cache: dict[tuple[str, str, bool], Any] = {}

    def __call__(self, name: str, fill: str = "", quote: bool = False) -> Any:
        key = (name, fill, quote)
        if key not in self.cache:
            props = dict(BASE[name])
            if fill:
                props["bg_color"] = fill
            if quote:
                props["quote_prefix"] = True
            self.cache[key] = self.wb.add_format(props)
        return self.cache[key]


def text(ws: Worksheet, st: Styles, row: int, col: int, value: str, style: str = "cell", fill: str = "") -> None:
    """Write *value* as text, never as a formula or link (formula injection)."""
    ws.write_string(row, col, value, st(style, fill, quote=value.startswith(DANGEROUS_START)))


def tier_label(p: PillarScore) -> str:
    return p.tier if p.complete else f"{p.tier} (provisional)"


def _setup(ws: Worksheet, title: str, repeat: int | None = None) -> None:
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer(f"&L{title}&CPage &P of &N&R&A")
    if repeat is not None:
        ws.repeat_rows(repeat)


def _columns(ws: Worksheet, widths: list[float]) -> None:
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)


def _header(ws: Worksheet, st: Styles, row: int, heads: list[str], height: int = 30) -> None:
    for col, head in enumerate(heads):
        ws.write_string(row, col, head, st("header"))
    ws.set_row(row, height)


def write_regional_workbook(catalogue: Catalogue, rnd: Round, output: Path, synthetic: bool = False) -> None:
    """Write the regional workbook to *output* atomically (a temporary file renamed into place)."""
    output = output.resolve()
    fd, tmp = tempfile.mkstemp(prefix=".rai-xl-", suffix=".xlsx", dir=output.parent)
    os.close(fd)
    try:
        _write(catalogue, rnd, Path(tmp), synthetic)
        os.chmod(tmp, _file_mode(output))  # mkstemp makes the file private (0600); a plain save would not
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _file_mode(output: Path) -> int:
    """The permissions *output* would have if written in place: its current ones, or 0666 less the umask."""
    if output.exists():
        return output.stat().st_mode & 0o7777
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _write(catalogue: Catalogue, rnd: Round, path: Path, synthetic: bool) -> None:
    wb = xlsxwriter.Workbook(
        str(path), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    st = Styles(wb)
    year = rnd.year or date.today().year
    wb.set_properties(
        {
            "title": f"ASEAN Responsible AI readiness: regional workbook {year}",
            "author": "rai-xl",
            "subject": catalogue.title,
        }
    )
    title = f"ASEAN Responsible AI readiness {year}"
    overview = wb.add_worksheet("Overview")
    criteria = wb.add_worksheet("Criteria")
    countries = rnd.countries_included(catalogue)
    country_sheets = {c.code: wb.add_worksheet(c.name[:31]) for c in countries}
    crossing = wb.add_worksheet("Cross-cutting")
    submissions = wb.add_worksheet("Submissions")
    issues = wb.add_worksheet("Issues")
    method = wb.add_worksheet("Methodology")
    scores_ws = wb.add_worksheet("Scores")
    answers_ws = wb.add_worksheet("Answers")
    checklist_ws = wb.add_worksheet("Checklist")

    _overview(wb, overview, st, catalogue, rnd, countries, year, synthetic)
    _criteria(criteria, st, catalogue, rnd, countries)
    status_cells = {
        c.code: _country(country_sheets[c.code], st, catalogue, rnd.included[c.code], c, year) for c in countries
    }
    _cross_cutting(crossing, st, catalogue, rnd, countries)
    _submissions(submissions, st, rnd)
    _issues(issues, st, rnd)
    _methodology(method, st, catalogue)
    _tables(scores_ws, answers_ws, checklist_ws, st, catalogue, rnd, countries, status_cells)
    for ws in wb.worksheets():
        _setup(ws, title)
    overview.activate()
    wb.close()


def _pillar_header(ws: Worksheet, st: Styles, catalogue: Catalogue, row: int, first: str) -> int:
    """A header row: *first*, then each pillar over two columns. Returns the next row."""
    ws.write_string(row, 0, first, st("header"))
    for p in catalogue.pillars:
        ws.merge_range(row, 2 * p.number - 1, row, 2 * p.number, f"Pillar {p.number}: {p.name}", st("header"))
    ws.set_row(row, 32)
    return row + 1


def _overview(
    wb: xlsxwriter.Workbook,
    ws: Worksheet,
    st: Styles,
    catalogue: Catalogue,
    rnd: Round,
    countries: list[Country],
    year: int,
    synthetic: bool,
) -> None:
    _columns(ws, [22] + [9, 24] * 4)
    ws.hide_gridlines(2)
    ws.write_string(0, 0, f"ASEAN Responsible AI readiness self-assessment: regional overview {year}", st("title"))
    ws.set_row(0, 24)
    ws.write_string(
        1,
        0,
        f"Written by rai-xl on {date.today().isoformat()} · methodology {catalogue.version} · "
        f"catalogue {catalogue.fingerprint} · {catalogue.title}",
        st("subtitle"),
    )
    row = 2
    if synthetic:
        ws.merge_range(
            row,
            0,
            row,
            8,
            "Built from SYNTHETIC sample data: these are not real assessments of any Member State.",
            st("banner"),
        )
        ws.set_row(row, 22)
        row += 1
    missing = rnd.not_submitted(catalogue)
    went_in = (
        f"Returns included: {len(rnd.included)} · rejected: {rnd.count('rejected')} · conflicts: "
        f"{rnd.count('conflict')} · not submitted: {len(missing)}"
        + (f" ({', '.join(c.name for c in missing)})" if missing else "")
    )
    ws.merge_range(row, 0, row, 8, went_in, st("note"))
    row += 1
    if rnd.has_problems:
        ws.merge_range(
            row,
            0,
            row,
            8,
            "Not every return could be used as it is: see the Submissions and Issues "
            "sheets. Provisional tiers come from pillars with unanswered criteria.",
            st("banner"),
        )
        ws.set_row(row, 30)
        row += 1
    row += 1
    ws.write_string(row, 0, "Readiness tiers by assessment pillar (score out of 30)", st("heading"))
    row += 1
    row = _pillar_header(ws, st, catalogue, row, "Member State")
    table_top = row
    for c in catalogue.countries:
        text(ws, st, row, 0, c.name, "bold")
        sub = rnd.included.get(c.code)
        if sub is None or sub.assessment is None:
            ws.merge_range(
                row, 1, row, 8, "Not submitted" if c in missing else "No usable return (see Submissions)", st("muted")
            )
        else:
            for p in sub.assessment.pillars:
                ws.write_number(row, 2 * p.number - 1, p.score, st("score", TIER_FILL[p.tier]))
                ws.write_string(row, 2 * p.number, tier_label(p), st("center", TIER_FILL[p.tier]))
        row += 1
    ws.merge_range(
        row,
        0,
        row,
        8,
        "Tier rule: " + catalogue.tier_rule + " 'Provisional': the pillar has unanswered "
        "criteria, so its score may still rise. Countries are listed in ASEAN order; there is no overall "
        "score and no ranking.",
        st("note"),
    )
    ws.set_row(row, 45)
    row += 2
    ws.write_string(row, 0, "Tier distribution per pillar", st("heading"))
    row += 1
    _header(ws, st, row, ["Pillar"] + [""] * 8)
    for j, t in enumerate(catalogue.tiers):
        ws.merge_range(row, 1 + 3 * j if j < 2 else 7, row, 3 + 3 * j if j < 2 else 8, t.name, st("header"))
    row += 1
    for p in catalogue.pillars:
        text(ws, st, row, 0, f"{p.number}. {p.name}", "bold")
        for j, t in enumerate(catalogue.tiers):
            names = [
                c.name + ("*" if not rnd.included[c.code].assessment.pillars[p.number - 1].complete else "")  # type: ignore[union-attr]
                for c in countries
                if rnd.included[c.code].assessment.pillars[p.number - 1].tier == t.name
            ]  # type: ignore[union-attr]
            first, last = (1 + 3 * j, 3 + 3 * j) if j < 2 else (7, 8)
            ws.merge_range(
                row,
                first,
                row,
                last,
                f"{len(names)}: {', '.join(names)}" if names else "0",
                st("cell", TIER_FILL[t.name]),
            )
        ws.set_row(row, 32)
        row += 1
    ws.write_string(row, 0, "* provisional (pillar incomplete)", st("note"))
    row += 2
    ws.write_string(row, 0, "What each tier means, by pillar (Roadmap, Table 3)", st("heading"))
    row += 1
    row = _pillar_header(ws, st, catalogue, row, "Tier")
    for t in catalogue.tiers:
        ws.write_string(row, 0, f"{t.name}\n(from {t.minimum:g} points)", st("bold", TIER_FILL[t.name]))
        for p in catalogue.pillars:
            ws.merge_range(row, 2 * p.number - 1, row, 2 * p.number, p.tier_description(t.name), st("cell"))
        ws.set_row(row, 105)
        row += 1
    row += 1
    if countries:
        # the chart reads a contiguous copy of the included countries' scores in hidden columns K:O
        ws.write_string(table_top - 1, 10, "Chart data")
        for i, c in enumerate(countries):
            ws.write_string(table_top + i, 10, c.name)
            for p in rnd.included[c.code].assessment.pillars:  # type: ignore[union-attr]
                ws.write_number(table_top + i, 10 + p.number, p.score)
        ws.set_column(10, 14, None, None, {"hidden": True})
        last = table_top + len(countries) - 1
        chart = wb.add_chart({"type": "column"})
        for p in catalogue.pillars:
            chart.add_series(
                {
                    "name": f"Pillar {p.number}: {p.name}",
                    "categories": [ws.name, table_top, 10, last, 10],
                    "values": [ws.name, table_top, 10 + p.number, last, 10 + p.number],
                }
            )
        chart.show_hidden_data()
        chart.set_title(
            {
                "name": "Pillar scores by Member State (out of 30; Advanced from 21, Promising from 11)",
                "name_font": {"size": 12},
            }
        )
        chart.set_y_axis({"min": 0, "max": 30, "major_unit": 3, "name": "Score"})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 1150, "height": 400})
        ws.write_string(row, 0, "Pillar scores by Member State", st("heading"))
        ws.insert_chart(row + 1, 0, chart)


def _criteria(ws: Worksheet, st: Styles, catalogue: Catalogue, rnd: Round, countries: list[Country]) -> None:
    n = len(countries)
    _columns(ws, [6, 60] + [7] * n + [8, 8, 8, 11])
    ws.write_string(
        0,
        0,
        "Points per criterion and Member State (3 = full, 1.5 = partial, 0 = none; blank = unanswered)",
        st("heading"),
    )
    heads = ["ID", "Criterion"] + [c.code for c in countries] + ["Full", "Partial", "Zero", "Unanswered"]
    _header(ws, st, 2, heads)
    for j, c in enumerate(countries):
        ws.write_comment(2, 2 + j, c.name)
    ws.freeze_panes(3, 2)
    ws.repeat_rows(2)
    row = 3
    for p in catalogue.pillars:
        ws.merge_range(row, 0, row, len(heads) - 1, f"Assessment Pillar {p.number}: {p.name}", st("group"))
        row += 1
        for cr in catalogue.criteria_of(p.number):
            ws.write_string(row, 0, cr.id, st("bold"))
            ws.write_string(row, 1, cr.question, st("cell"))
            counts = {3.0: 0, 1.5: 0, 0.0: 0, None: 0}
            for j, c in enumerate(countries):
                pts = rnd.included[c.code].assessment.points_for(cr.id)  # type: ignore[union-attr]
                counts[pts] += 1
                if pts is None:
                    ws.write_string(row, 2 + j, "", st("muted"))
                else:
                    ws.write_number(row, 2 + j, pts, st("score", POINT_FILL[pts]))
            for k, key in enumerate((3.0, 1.5, 0.0, None)):
                ws.write_number(row, 2 + n + k, counts[key], st("center"))
            ws.set_row(row, 15 * max(2, -(-len(cr.question) // 62)) + 3)
            row += 1


def _pillar_table(ws: Worksheet, st: Styles, catalogue: Catalogue, sub: Submission, row: int) -> int:
    _header(
        ws,
        st,
        row,
        ["Pillar", "Assessment pillar", "Score (of 30)", "Tier", "Answered", "Points to next tier", "Status"],
        30,
    )
    row += 1
    for p in sub.assessment.pillars:  # type: ignore[union-attr]
        fill = TIER_FILL[p.tier]
        ws.write_number(row, 0, p.number, st("center"))
        ws.write_string(row, 1, catalogue.pillar(p.number).name, st("cell"))
        ws.write_number(row, 2, p.score, st("score", fill))
        ws.write_string(row, 3, tier_label(p), st("center", fill))
        ws.write_string(row, 4, f"{p.answered} of {p.total}", st("center"))
        nxt = "top tier" if p.points_to_next_tier is None else f"{p.points_to_next_tier:g}"
        ws.write_string(row, 5, nxt, st("center"))
        ws.write_string(row, 6, "Complete" if p.complete else "Unanswered: " + ", ".join(p.missing), st("cell"))
        ws.set_row(row, 32)
        row += 1
    return row


def _span(ws: Worksheet, row: int, first: int, last: int, value: str, fmt: Any) -> None:
    """Write text across columns first..last (merged when more than one); never a formula."""
    if first == last:
        ws.write_string(row, first, value, fmt)
    else:
        ws.merge_range(row, first, row, last, "", fmt)
        ws.write_string(row, first, value, fmt)


def _country(ws: Worksheet, st: Styles, catalogue: Catalogue, sub: Submission, country: Country, year: int) -> list[str]:
    """Write one country's sheet; return its checklist's Status cells, in checklist order."""
    assert sub.assessment is not None
    _columns(ws, [8, 30, 12, 30, 12, 52, 13, 18, 12, 24])
    ws.hide_gridlines(2)
    ws.write_string(0, 0, f"{country.name}: responsible AI readiness {year}", st("title"))
    ws.set_row(0, 24)
    who = ", ".join(
        v
        for v in (sub.respondent.get("name", ""), sub.respondent.get("position", ""), sub.respondent.get("agency", ""))
        if v
    )
    ws.merge_range(
        1,
        0,
        1,
        9,
        f"Return: {sub.path.name} · respondent: {who or 'not given'}"
        f" · completed: {sub.respondent.get('date_completed') or 'not given'}",
        st("subtitle", quote=who.startswith(DANGEROUS_START)),
    )
    row = 3
    ws.write_string(row, 0, "Scores and tiers", st("heading"))
    row = _pillar_table(ws, st, catalogue, sub, row + 1) + 1
    lost = lost_criteria(catalogue, sub.assessment)
    ws.write_string(row, 0, f"Criteria that lost points ({len(lost)})", st("heading"))
    row += 1
    # columns: A ID | B:D criterion | E points | F answer | G lost | H:J evidence
    ws.set_row(row, 20)
    for first, last, head in (
        (0, 0, "ID"),
        (1, 3, "Criterion"),
        (4, 4, "Points"),
        (5, 5, "Answer"),
        (6, 6, "Lost"),
        (7, 9, "Evidence / source documents"),
    ):
        _span(ws, row, first, last, head, st("header"))
    row += 1
    for cid in lost:
        cr = catalogue.criterion(cid)
        answer = next(a for a in cr.answers if a.code == sub.answers[cid])
        evidence = sub.evidence.get(cid, "") or "(none given)"
        ws.write_string(row, 0, cid, st("bold"))
        _span(ws, row, 1, 3, cr.question, st("cell"))
        ws.write_number(row, 4, answer.points, st("score", POINT_FILL[answer.points]))
        ws.write_string(row, 5, answer.label, st("cell"))
        ws.write_number(row, 6, lost[cid], st("score"))
        _span(ws, row, 7, 9, evidence, st("cell", quote=evidence.startswith(DANGEROUS_START)))
        ws.set_row(row, 15 * max(1, -(-len(cr.question) // 74), -(-len(answer.label) // 54), -(-len(evidence) // 56)) + 4)
        row += 1
    row += 1
    ws.write_string(row, 0, "Action checklist", st("heading"))
    ws.write_string(
        row + 1,
        0,
        "For each pillar, the Roadmap's targeted actions for the tier reached, then the actions "
        "linked to the criteria that lost points. Keep Status, Lead agency, Target date and Notes up to "
        "date during the year.",
        st("note"),
    )
    row += 2
    heads = [
        "Pillar",
        "Action area",
        "Sub-action",
        "Sub-action title",
        "Term",
        "Milestone",
        "Status",
        "Lead agency",
        "Target date",
        "Notes",
    ]
    _header(ws, st, row, heads)
    ws.freeze_panes(row + 1, 0)
    ws.repeat_rows(row)
    first_checklist_row = row + 1
    status_cells: list[str] = []
    planned = plan(catalogue, sub.assessment)
    terms = {t.key: f"{t.name}\n({t.years})" for t in catalogue.terms}
    row += 1
    shown_gap_heading = False
    for pa in planned:
        if pa.basis == GAP and not shown_gap_heading:
            ws.merge_range(
                row,
                0,
                row,
                9,
                "Actions linked to criteria that lost points, from any tier (ranked by the points they can recover)",
                st("group"),
            )
            ws.set_row(row, 22)
            row += 1
            shown_gap_heading = True
        a = pa.action
        why = (
            f"{catalogue.targeted_pillars[a.pillar - 1].name}: {a.tier} tier"
            if pa.basis == TIER
            else f"can recover up to {pa.recoverable:g} points ({', '.join(pa.linked_lost)})"
        )
        pillar_score = sub.assessment.pillars[a.pillar - 1]
        if pa.basis == TIER and not pillar_score.complete:
            why += " (provisional: pillar incomplete)"
        ws.merge_range(row, 0, row, 9, f"{a.id} {a.title} · {why}", st("group"))
        ws.set_row(row, 30)
        row += 1
        for r in checklist([pa], (t.key for t in catalogue.terms)):
            ws.write_number(row, 0, a.pillar, st("center"))
            ws.write_string(row, 1, a.id, st("cell"))
            ws.write_string(row, 2, r.sub_action.id, st("cell"))
            ws.write_string(row, 3, r.sub_action.title, st("cell"))
            ws.write_string(row, 4, terms[r.term], st("cell"))
            ws.write_string(row, 5, r.milestone, st("cell"))
            ws.write_string(row, 6, STATUSES[0], st("edit"))
            ws.write_blank(row, 7, None, st("edit"))
            ws.write_blank(row, 8, None, st("date"))
            ws.write_blank(row, 9, None, st("edit"))
            ws.set_row(row, 15 * max(2, -(-len(r.milestone) // 55), -(-len(r.sub_action.title) // 30)) + 3)
            status_cells.append(f"'{ws.name}'!{xl_rowcol_to_cell(row, 6, True, True)}")
            row += 1
    if status_cells:
        _status_dropdown(ws, first_checklist_row, row - 1, 6)
    return status_cells


def _cross_cutting(ws: Worksheet, st: Styles, catalogue: Catalogue, rnd: Round, countries: list[Country]) -> None:
    _columns(ws, [9, 34, 12, 52, 26, 13, 18, 12, 24])
    ws.hide_gridlines(2)
    ws.write_string(0, 0, "Regional checklist: cross-cutting action areas C1.1–C4.4", st("title"))
    ws.set_row(0, 24)
    ws.merge_range(
        1,
        0,
        1,
        8,
        "Responsible parties in the first instance: "
        + "; ".join(catalogue.responsible_parties)
        + ". "
        + catalogue.responsible_parties_note
        + " ★ = one of the Roadmap's eight key regional "
        "priorities.",
        st("note"),
    )
    ws.set_row(1, 32)
    heads = [
        "Action area",
        "Sub-action",
        "Term",
        "Milestone",
        "Responsible parties",
        "Status",
        "Lead",
        "Target date",
        "Notes",
    ]
    _header(ws, st, 3, heads)
    ws.freeze_panes(4, 0)
    ws.repeat_rows(3)
    terms = {t.key: f"{t.name}\n({t.years})" for t in catalogue.terms}
    row = 4
    for k, cp in enumerate(catalogue.cross_cutting_pillars, start=1):
        ws.merge_range(row, 0, row, 8, f"Cross-cutting pillar {k}: {cp.name}", st("group"))
        row += 1
        for a in catalogue.cross_cutting_actions():
            if a.pillar != k:
                continue
            evidence = ""
            if a.criteria and countries:
                parts = []
                for q in a.criteria:
                    given = [rnd.included[c.code].assessment.points_for(q) for c in countries]  # type: ignore[union-attr]
                    short = sum(1 for p in given if p is not None and p < 3)
                    parts.append(f"{short} of {len(countries)} Member States lost points on {q}")
                evidence = " · Regional evidence: " + "; ".join(parts)
            star = "★ " if a.priority else ""
            ws.merge_range(row, 0, row, 8, f"{star}{a.id} {a.title}{evidence}", st("bold", "#EDEDED"))
            ws.set_row(row, 30)
            row += 1
            for s in a.sub_actions:
                for term in (t.key for t in catalogue.terms):
                    for m in s.milestones_for(term):
                        ws.write_string(row, 0, a.id, st("cell"))
                        ws.write_string(row, 1, f"{s.id} {s.title}", st("cell"))
                        ws.write_string(row, 2, terms[term], st("cell"))
                        ws.write_string(row, 3, m, st("cell"))
                        ws.write_string(row, 4, "; ".join(catalogue.responsible_parties), st("cell"))
                        ws.write_string(row, 5, STATUSES[0], st("edit"))
                        ws.write_blank(row, 6, None, st("edit"))
                        ws.write_blank(row, 7, None, st("date"))
                        ws.write_blank(row, 8, None, st("edit"))
                        ws.set_row(row, 15 * max(2, -(-len(m) // 55), -(-len(s.title) // 32)) + 3)
                        row += 1
    _status_dropdown(ws, 4, row - 1, 5)


def _status_dropdown(ws: Worksheet, first: int, last: int, col: int) -> None:
    """One list validation over a checklist's Status column (heading rows in it are merged text)."""
    ws.data_validation(
        first,
        col,
        last,
        col,
        {
            "validate": "list",
            "source": STATUSES,
            "error_type": "stop",
            "error_title": "Status",
            "error_message": "Choose a status from the list.",
        },
    )


def _submissions(ws: Worksheet, st: Styles, rnd: Round) -> None:
    heads = ["File", "SHA-256", "Country", "Year", "Respondent", "Agency", "Template version", "Status", "Reason"]
    _columns(ws, [30, 20, 16, 7, 22, 24, 16, 14, 50])
    ws.write_string(0, 0, "Every file that was read, and what became of it", st("heading"))
    _header(ws, st, 2, heads)
    ws.freeze_panes(3, 1)
    ws.repeat_rows(2)
    for i, e in enumerate(rnd.entries, start=3):
        s = e.submission
        values = [
            str(s.path),
            s.sha256,
            s.country.name if s.country else "",
            str(s.year or ""),
            s.respondent.get("name", ""),
            s.respondent.get("agency", ""),
            s.template_version,
            e.status,
            e.reason,
        ]
        for col, v in enumerate(values):
            text(ws, st, i, col, v, "mono" if col == 1 else "cell")


def _issues(ws: Worksheet, st: Styles, rnd: Round) -> None:
    heads = ["File", "Severity", "Sheet", "Cell", "Criterion", "Message"]
    _columns(ws, [30, 10, 14, 8, 10, 90])
    ws.write_string(0, 0, "Every issue found in the returns", st("heading"))
    _header(ws, st, 2, heads)
    ws.freeze_panes(3, 1)
    ws.repeat_rows(2)
    row = 3
    for e in rnd.entries:
        for issue in e.submission.issues:
            for col, v in enumerate(
                [e.submission.path.name, issue.severity, issue.sheet, issue.cell, issue.criterion, issue.message]
            ):
                text(ws, st, row, col, v)
            row += 1


def _methodology(ws: Worksheet, st: Styles, catalogue: Catalogue) -> None:
    _columns(ws, [8, 70, 60])
    ws.write_string(0, 0, "Methodology", st("title"))
    ws.merge_range(
        1,
        0,
        1,
        2,
        f"{catalogue.source}. Methodology version {catalogue.version}; catalogue fingerprint {catalogue.fingerprint}.",
        st("note"),
    )
    ws.set_row(1, 32)
    row = 3
    ws.write_string(row, 0, "Tiers", st("heading"))
    row += 1
    for t in catalogue.tiers:
        ws.write_string(row, 0, t.name, st("bold", TIER_FILL[t.name]))
        ws.write_string(row, 1, f"From {t.minimum:g} points (printed band: {t.printed_band}). {t.description}", st("cell"))
        ws.set_row(row, 75)
        row += 1
    ws.merge_range(row, 0, row, 2, "Tier rule: " + catalogue.tier_rule, st("cell"))
    ws.set_row(row, 32)
    row += 1
    ws.merge_range(
        row,
        0,
        row,
        2,
        "Each criterion scores 3, 1.5 or 0 points (Q6 is reversed); a pillar's score is the "
        "sum of its ten criteria (0–30). Pillars are not weighted and there is no composite score. An "
        "unanswered criterion is not a 'No': its pillar is incomplete and its tier provisional.",
        st("cell"),
    )
    ws.set_row(row, 32)
    row += 1
    ws.write_string(
        row,
        0,
        "Indicative timeframe (Table 2): " + "; ".join(f"{t.name} {t.years}" for t in catalogue.terms),
        st("note"),
    )
    row += 2
    _header(ws, st, row, ["ID", "Criterion (Annex Table 3)", "Scoring"], 20)
    row += 1
    for p in catalogue.pillars:
        ws.merge_range(row, 0, row, 2, f"Assessment Pillar {p.number}: {p.name}: {p.description}", st("group"))
        ws.set_row(row, 45)
        row += 1
        for cr in catalogue.criteria_of(p.number):
            ws.write_string(row, 0, cr.id, st("bold"))
            ws.write_string(row, 1, cr.question, st("cell"))
            ws.write_string(row, 2, "\n".join(f"{a.label} = {a.points:g}" for a in cr.answers), st("cell"))
            ws.set_row(
                row,
                15 * max(3, -(-len(cr.question) // 72), 1 + max(-(-len(a.label) // 60) for a in cr.answers) + 2) + 3,
            )
            row += 1


def _table(ws: Worksheet, st: Styles, name: str, heads: list[str], rows: list[list[Any]], widths: list[float]) -> None:
    _columns(ws, widths)
    last_row = max(len(rows), 1)
    ws.add_table(
        0,
        0,
        last_row,
        len(heads) - 1,
        {"name": name, "columns": [{"header": h} for h in heads], "style": "Table Style Light 9"},
    )
    ws.freeze_panes(1, 0)
    ws.repeat_rows(0)
    for r, values in enumerate(rows, start=1):
        for c, v in enumerate(values):
            if isinstance(v, tuple):  # (formula, cached value)
                ws.write_formula(r, c, v[0], st("cell"), v[1])
            elif isinstance(v, bool):
                ws.write_boolean(r, c, v, st("cell"))
            elif isinstance(v, int | float):
                ws.write_number(r, c, v, st("cell"))
            elif v is None:
                ws.write_blank(r, c, None, st("cell"))
            else:
                text(ws, st, r, c, v)


def _tables(
    scores_ws: Worksheet,
    answers_ws: Worksheet,
    checklist_ws: Worksheet,
    st: Styles,
    catalogue: Catalogue,
    rnd: Round,
    countries: list[Country],
    status_cells: dict[str, list[str]],
) -> None:
    scores, answers, checks = [], [], []
    term_names = {t.key: t.name for t in catalogue.terms}
    for c in countries:
        sub = rnd.included[c.code]
        assert sub.assessment is not None
        for p in sub.assessment.pillars:
            scores.append([c.code, c.name, sub.year, p.number, p.score, p.tier, p.complete])
        for cr in catalogue.criteria:
            code = sub.answers.get(cr.id)
            label = next((a.label for a in cr.answers if a.code == code), None)
            answers.append([c.code, cr.id, label, sub.assessment.points_for(cr.id), sub.evidence.get(cr.id) or None])
        rows = checklist(plan(catalogue, sub.assessment), term_names)
        for r, ref in zip(rows, status_cells[c.code], strict=True):
            checks.append(
                [
                    c.code,
                    r.action.id,
                    r.sub_action.id,
                    term_names[r.term],
                    r.milestone,
                    r.basis,
                    (f"={ref}", STATUSES[0]),
                ]
            )
    _table(
        scores_ws,
        st,
        "Scores",
        ["Country code", "Country", "Year", "Pillar", "Score", "Tier", "Complete"],
        scores,
        [13, 20, 8, 8, 8, 12, 10],
    )
    _table(
        answers_ws,
        st,
        "Answers",
        ["Country code", "Criterion", "Answer", "Points", "Evidence"],
        answers,
        [13, 10, 50, 8, 60],
    )
    _table(
        checklist_ws,
        st,
        "Checklist",
        ["Country code", "Action", "Sub-action", "Term", "Milestone", "Basis", "Status"],
        checks,
        [13, 9, 11, 13, 80, 8, 13],
    )
