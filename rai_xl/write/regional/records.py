"""The record sheets: Archive, Unplaced entries, Submissions, Issues and Methodology."""

from __future__ import annotations

from rai_xl.core.report_model import RegionalReport
from rai_xl.layouts.regional import IDENTITY
from rai_xl.layouts.tracker import ARCHIVE, ARCHIVE_TITLE, LEAD, NOTES, TARGET, TYPED, UNPLACED, UNPLACED_TITLE
from rai_xl.method.words import not_answered_note, pillars_note, scoring_note
from rai_xl.write.kit import TIER_FILL, SheetWriter


def _top(ws: SheetWriter, title: str, heads: list[str], frozen_cols: int = 0, note: str = "") -> None:
    """A record sheet's top: its title in A1 (and a note under it), the header on row 3, frozen (with the
    first *frozen_cols* columns) and repeated on every printed page."""
    ws.heading(0, title)
    if note:
        ws.paragraph(1, 0, len(heads) - 1, note, "note")
    ws.header(2, heads)
    ws.freeze(3, frozen_cols)


def write_archive(ws: SheetWriter, report: RegionalReport) -> None:
    """Typed checklist rows with no place in this workbook, with their values and the reason."""
    ws.columns([9, 18, 14, 9, 11, 14, 50, 14, 18, 12, 26, 10, 50])
    title = f"{ARCHIVE_TITLE} checklist entries kept from earlier rounds that have no place in this workbook"
    _top(ws, title, [c.head for c in ARCHIVE])
    for row, a in enumerate(report.archive, start=3):
        r, t = a.row, a.row.typed
        values = [r.country, a.country, r.milestone_id, *r.shown, t.status, *t.extra, r.year, a.reason]
        formats = dict(zip((LEAD.key, TARGET.key, NOTES.key), t.formats, strict=True))
        for col, (c, v) in enumerate(zip(ARCHIVE, values, strict=True)):
            typed = c in TYPED
            ws.value(row, col, v, "edit" if typed else "cell", "date" if typed else "tabledate", formats.get(c.key, ""))
        ws.fit(row, [(str(v), col, col) for col, v in enumerate(values) if isinstance(v, str)], 2)


def write_unplaced(ws: SheetWriter, report: RegionalReport) -> None:
    """Every typed value that has no row in this workbook, whole, where it was and why; read back and kept
    by the next consolidation until someone moves it."""
    ws.columns([9, 16, 8, 13, 40, 16, 30, 9, 60, 12])
    title = f"{UNPLACED_TITLE}: typed values that have no row in this workbook, kept whole"
    how = (
        "Each value was typed in the previous workbook at the sheet and cell shown, on the row of the milestone "
        "shown, and could not be carried to a row of this one, for the reason given. Copy it where it belongs "
        "(the rows here are kept by the next consolidation too). Once an entry is dealt with, type anything in its "
        "Resolved column (yes, a date, your initials): the next consolidation no longer keeps it, and says so once."
    )
    _top(ws, title, [c.head for c in UNPLACED], note=how)
    ws.autofilter(2, 2 + max(len(report.unplaced), 1), 0, len(UNPLACED) - 1)
    for row, u in enumerate(report.unplaced, start=3):
        texts = [u.country, u.sheet, u.cell, u.milestone, u.row_text, u.column]
        for col, text in enumerate(texts):
            ws.text(row, col, text)
        ws.value(row, len(texts), u.value, "edittext" if isinstance(u.value, str) else "edit", "date", u.format)
        ws.number(row, len(texts) + 1, u.year, "cell")
        ws.text(row, len(texts) + 2, u.reason)
        ws.value(row, len(texts) + 3, None, "edittext")  # Resolved: the coordinator's to type
        shown = [*texts, str(u.value), "", u.reason]
        ws.fit(row, [(t, col, col) for col, t in enumerate(shown)], 1)


def write_submissions(ws: SheetWriter, report: RegionalReport) -> None:
    heads = ["File", "SHA-256", "Country", "Year", "Respondent", "Agency", "Template version", "Status", "Reason"]
    ws.columns([30, 56, 14, 7, 16, 18, 12, 13, 40])
    _top(ws, "Every file that was read, and what became of it", heads, frozen_cols=1)
    for i, values in enumerate(report.submissions, start=3):
        for col, v in enumerate(values):
            ws.text(i, col, v, "mono" if col == 1 else "cell")  # SHA-256: 64 digits in a small monospace font
        ws.fit(i, [(v, col, col) for col, v in enumerate(values) if col != 1], 2)


def write_issues(ws: SheetWriter, report: RegionalReport) -> None:
    heads = ["File", "Severity", "Sheet", "Cell", "Criterion", "Message", "Code"]
    ws.columns([30, 10, 14, 8, 10, 90, 22])
    _top(ws, "Every issue found in the returns, and in making this workbook", heads, frozen_cols=1)
    row = 3
    for values in report.issues + [[n.file, n.severity, "", "", n.criterion, n.message, n.code] for n in report.notes]:
        for col, v in enumerate(values):
            ws.text(row, col, v)
        ws.fit(row, [(v, col, col) for col, v in enumerate(values)])
        row += 1


def write_methodology(ws: SheetWriter, report: RegionalReport, identity: dict[str, str]) -> None:
    cat = report.catalogue
    ws.columns([22, 70, 60])
    about = f"{cat.source}. Methodology version {cat.version}; catalogue fingerprint {cat.fingerprint}."
    ws.text(0, 0, "Methodology", "title")
    ws.paragraph(1, 0, 2, about, "note")
    row = 3
    row = ws.heading(row, "Tiers")
    for t in cat.tiers:
        text = f"From {t.minimum:g} points (printed band: {t.printed_band}). {t.description}"
        ws.text(row, 0, t.name, "bold", TIER_FILL[t.name])
        row = ws.paragraph(row, 1, 2, text)
    for text in (
        "Tier rule: " + cat.tier_rule,
        scoring_note(cat),
        not_answered_note(),
        "Indicative timeframe (Table 2): " + "; ".join(f"{t.name} {t.years}" for t in cat.terms),
        pillars_note(cat),
    ):
        row = ws.paragraph(row, 0, 2, text)
    row = ws.heading(row + 1, "What each tier means, by assessment pillar (Roadmap, Table 3)")
    for p in cat.pillars:
        ws.span(row, 0, 2, f"Assessment Pillar {p.number}: {p.name}", "group")
        ws.height(row, 20)
        row += 1
        for t in cat.tiers:
            text = p.tier_description(t.name)
            ws.text(row, 0, f"{t.name}\n(from {t.minimum:g} points)", "bold", TIER_FILL[t.name])
            ws.span(row, 1, 2, text)
            ws.fit(row, [(text, 1, 2)], 2)
            row += 1
    row += 1
    ws.header(row, ["ID", "Criterion (Annex Table 3)", "Scoring"], 20)
    row += 1
    for p in cat.pillars:
        heading = f"Assessment Pillar {p.number}: {p.name}: {p.description}"
        row = ws.paragraph(row, 0, 2, heading, "group")
        for c in cat.criteria_of(p.number):
            scoring = "\n".join(f"{a.label} = {a.points:g}" for a in c.answers)
            ws.text(row, 0, c.id, "bold")
            ws.text(row, 1, c.question)
            ws.text(row, 2, scoring)
            ws.fit(row, [(c.question, 1, 1), (scoring, 2, 2)], 3)
            row += 1
    row = ws.heading(row + 1, "This workbook (read by rai-xl consolidate --previous)")
    for key, label in IDENTITY:
        ws.text(row, 0, label, "bold")
        ws.text(row, 1, identity[key])
        row += 1
