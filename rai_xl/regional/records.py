"""The record sheets: Archive, Submissions, Issues and Methodology."""

from __future__ import annotations

from rai_xl.regional.marks import ARCHIVE_HEADS, IDENTITY
from rai_xl.report import RegionalReport, scoring_note
from rai_xl.sheet_kit import TIER_FILL, Sheet, lines


def write_archive(ws: Sheet, report: RegionalReport) -> None:
    """Typed checklist rows with no place in this workbook, with their values and the reason."""
    ws.columns([9, 18, 14, 9, 11, 12, 50, 13, 18, 12, 26, 10, 50])
    ws.text(0, 0, "Archive: checklist entries kept from earlier rounds that have no place in this workbook", "heading")
    ws.header(2, list(ARCHIVE_HEADS))
    ws.ws.freeze_panes(3, 0)
    ws.ws.repeat_rows(2)
    for row, a in enumerate(report.archive, start=3):
        r = a.row
        values = [r.country, a.country, r.milestone_id, *r.shown, *(r.typed.status, *r.typed.extra), r.year, a.reason]
        for col, v in enumerate(values):
            ws.value(row, col, v, "edit" if 7 <= col <= 10 else "cell", "date" if col == 9 else "tabledate")
        ws.height(row, 15 * max(2, lines(r.shown[3], 55), lines(a.reason, 55)) + 3)


def write_submissions(ws: Sheet, report: RegionalReport) -> None:
    heads = ["File", "SHA-256", "Country", "Year", "Respondent", "Agency", "Template version", "Status", "Reason"]
    ws.columns([30, 20, 16, 7, 22, 24, 16, 14, 50])
    ws.text(0, 0, "Every file that was read, and what became of it", "heading")
    ws.header(2, heads)
    ws.ws.freeze_panes(3, 1)
    ws.ws.repeat_rows(2)
    for i, values in enumerate(report.submissions, start=3):
        for col, v in enumerate(values):
            ws.text(i, col, v, "mono" if col == 1 else "cell")


def write_issues(ws: Sheet, report: RegionalReport) -> None:
    heads = ["File", "Severity", "Sheet", "Cell", "Criterion", "Message"]
    ws.columns([30, 10, 14, 8, 10, 90])
    ws.text(0, 0, "Every issue found in the returns, and in making this workbook", "heading")
    ws.header(2, heads)
    ws.ws.freeze_panes(3, 1)
    ws.ws.repeat_rows(2)
    row = 3
    for values in report.issues:
        for col, v in enumerate(values):
            ws.text(row, col, v)
        row += 1
    for note in report.notes:
        for col, v in enumerate([note.file, note.severity, "", "", note.criterion, note.message]):
            ws.text(row, col, v)
        ws.height(row, 15 * lines(note.message, 95) + 3)
        row += 1


def write_methodology(ws: Sheet, report: RegionalReport, identity: dict[str, str]) -> None:
    cat = report.catalogue
    ws.columns([22, 70, 60])
    ws.text(0, 0, "Methodology", "title")
    ws.span(
        1,
        0,
        2,
        f"{cat.source}. Methodology version {cat.version}; catalogue fingerprint {cat.fingerprint}.",
        "note",
    )
    ws.height(1, 32)
    row = 3
    ws.text(row, 0, "Tiers", "heading")
    row += 1
    for t in cat.tiers:
        ws.text(row, 0, t.name, "bold", TIER_FILL[t.name])
        ws.text(row, 1, f"From {t.minimum:g} points (printed band: {t.printed_band}). {t.description}")
        ws.height(row, 75)
        row += 1
    ws.span(row, 0, 2, "Tier rule: " + cat.tier_rule)
    ws.height(row, 32)
    row += 1
    ws.span(row, 0, 2, scoring_note(cat))
    ws.height(row, 32)
    row += 1
    ws.text(row, 0, "Indicative timeframe (Table 2): " + "; ".join(f"{t.name} {t.years}" for t in cat.terms), "note")
    row += 2
    ws.header(row, ["ID", "Criterion (Annex Table 3)", "Scoring"], 20)
    row += 1
    for p in cat.pillars:
        ws.span(row, 0, 2, f"Assessment Pillar {p.number}: {p.name}: {p.description}", "group")
        ws.height(row, 45)
        row += 1
        for c in cat.criteria_of(p.number):
            ws.text(row, 0, c.id, "bold")
            ws.text(row, 1, c.question)
            ws.text(row, 2, "\n".join(f"{a.label} = {a.points:g}" for a in c.answers))
            ws.height(row, 15 * max(3, lines(c.question, 72), sum(lines(a.label, 60) for a in c.answers)) + 3)
            row += 1
    row += 1
    ws.text(row, 0, "This workbook (read by rai-xl consolidate --previous)", "heading")
    row += 1
    for key, label in IDENTITY:
        ws.text(row, 0, label, "bold")
        ws.text(row, 1, identity[key])
        row += 1
