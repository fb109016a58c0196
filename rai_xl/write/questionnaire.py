"""Write the locked questionnaire workbook that national officials fill in."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_range_abs, xl_rowcol_to_cell

from rai_xl.layouts import kinds
from rai_xl.layouts import questionnaire as ids
from rai_xl.layouts.questionnaire import Prefill
from rai_xl.method.catalogue import Catalogue, Country
from rai_xl.method.scoring import Assessment, assess
from rai_xl.method.words import NOT_ANSWERED, PROVISIONAL, scoring_note, tier_label
from rai_xl.read.answers import match_answer, short_form
from rai_xl.write.kit import PLAIN, SMALL_FONT, SheetWriter, Styles, in_memory_workbook, page_setup, validation
from rai_xl.write.outputs import WriterRefused, checked
from rai_xl.write.styles import NAVY, SHARED

# The questionnaire's look: its one style table, given to the writer kit's Styles.
STYLES: dict[str, dict[str, Any]] = {
    **SHARED,
    "heading": {"bold": True, "font_size": 12, "font_color": NAVY, "top": 1, "top_color": NAVY},
    "text": {"text_wrap": True, "valign": "top"},
    "label": {"bold": True, "valign": "top", "text_wrap": True},
    "pillar": {
        "bold": True,
        "bg_color": "#D9E1F2",
        "font_color": NAVY,
        "font_size": 11,
        "border": 1,
        "valign": "vcenter",
    },
    "id": {"bold": True, "valign": "top", "align": "center", "border": 1},
    "cell": {"text_wrap": True, "valign": "top", "border": 1},
    "small": {"text_wrap": True, "valign": "top", "border": 1, "font_size": SMALL_FONT, "font_color": "#404040"},
    "input": {"locked": False, "text_wrap": True, "valign": "top", "border": 1, "bg_color": "#FFF2CC"},
    "prefilled": {"locked": False, "text_wrap": True, "valign": "top", "border": 1, "bg_color": "#DDEBF7"},
    "date_input": {"locked": False, "align": "left", "border": 1, "bg_color": "#FFF2CC", "num_format": "yyyy-mm-dd"},
    "points": {"align": "center", "valign": "top", "border": 1, "num_format": "0.0"},
    "number": {"align": "center", "valign": "vcenter", "border": 1, "num_format": "0.0"},
    "count": {"align": "center", "valign": "vcenter", "border": 1},
    "fixed": {"valign": "top", "border": 1, "bg_color": "#F2F2F2"},
}


def file_name(country: Country | None, year: int) -> str:
    """The name a coordinator can email as it is, e.g. 'RAI-readiness-2026-Lao-PDR.xlsx'."""
    who = country.name.replace(" ", "-") if country else "blank"
    return f"RAI-readiness-{year}-{who}.xlsx"


def identity_values(catalogue: Catalogue, country: Country | None, year: int) -> dict[str, str]:
    return kinds.identity_values(
        ids.TEMPLATE_ID,
        ids.SCHEMA_VERSION,
        catalogue.version,
        catalogue_fingerprint=catalogue.fingerprint,
        country=country.code if country else "",
        year=str(year),
    )


def summary_cells(catalogue: Catalogue, assessment: Assessment) -> list[tuple[int, float, str, str]]:
    """What the Summary sheet's formulas show for *assessment* when every answer is recognised:
    (answered, score, tier, status)."""
    rows = []
    for p in assessment.pillars:
        if p.tier is None:
            tier, status = NOT_ANSWERED.capitalize(), f"{p.total} of {p.total} unanswered"
        elif p.complete:
            tier, status = p.tier, "Complete"
        else:
            tier, status = tier_label(p), f"{p.total - p.answered} of {p.total} unanswered"
        rows.append((p.answered, p.score, tier, status))
    return rows


# What the Summary shows for a pillar with answers it does not recognise: its tier, and its status after "1 answer".
TO_CHECK = "To be checked (see Status)"
CHECKED_LATER = " marked ?: rai-xl checks each when the file comes back, and may accept it"


def write_questionnaire(
    catalogue: Catalogue,
    path: Path,
    *,
    country: Country | None,
    year: int,
    password: str = "",
    contact: str = "",
    prefill: Prefill | None = None,
) -> None:
    """Write one questionnaire workbook for *country* (None: the respondent picks it) and *year*;
    with *prefill*, last round's answers, evidence and comments stand in the input cells, marked to confirm."""
    wb, buffer = in_memory_workbook()
    st = Styles(wb, STYLES)
    ident = identity_values(catalogue, country, year)
    who = country.name if country else "(country to be selected)"
    # Fixed creation date: the same arguments must give the same bytes.
    wb.set_properties(
        {
            "title": f"ASEAN Responsible AI readiness self-assessment {year}: {who}",
            "subject": catalogue.title,
            "author": "rai-xl",
            "company": "ASEAN",
            "comments": "Responsible AI readiness self-assessment questionnaire written by rai-xl.",
            "created": datetime(year, 1, 1),
        }
    )
    for key in ids.KEYS:
        checked(wb.set_custom_property(ids.PROPERTY_PREFIX + key, ident[key] or ids.NO_VALUE), f"custom property {key}")

    start, respondent, criteria, summary, lists = (SheetWriter(wb.add_worksheet(name), st) for name in ids.SHEETS)

    _write_lists(wb, lists, catalogue, ident)
    _write_start(start, catalogue, ident, who, contact, prefill)
    _write_respondent(respondent, country, year, prefill)
    answer_rows = _write_criteria(criteria, catalogue, prefill)
    _write_tidying(lists, catalogue, answer_rows, prefill)
    _write_summary(summary, catalogue, answer_rows, prefill)

    for sw in (start, respondent, criteria, summary):
        page_setup(sw.ws, f"{who} {year}", 1 if sw is start else 0)  # 'Start here' prints on one page
        sw.ws.protect(password, {"format_columns": True, "format_rows": True})
    lists.ws.protect(password)
    lists.ws.hide()
    start.ws.activate()
    wb.close()
    path.write_bytes(buffer.getvalue())


def _write_lists(wb: xlsxwriter.Workbook, ws: SheetWriter, catalogue: Catalogue, ident: dict[str, str]) -> None:
    heads = ("Criterion", "Answer code", "Answer", "Points", "Short form", "Member states", "", "Identity", "Value")
    for col, head in enumerate((*heads, "", "Answer typed", "Answer tidied")):
        ws.text(0, col, head, PLAIN)
    answer_col = ids.LISTS_ANSWER_COLUMN - 1  # xlsxwriter counts from 0
    short_col = ids.LISTS_SHORT_COLUMN - 1
    for i, c in enumerate(catalogue.criteria):
        first = ids.lists_answer_row(i) - 1
        for j, a in enumerate(c.answers):
            ws.text(first + j, answer_col - 2, c.id, PLAIN)
            ws.text(first + j, answer_col - 1, a.code, PLAIN)
            ws.text(first + j, answer_col, a.label, PLAIN)
            ws.number(first + j, answer_col + 1, a.points, PLAIN)
            short = short_form(a.label)
            ws.text(first + j, short_col, short if match_answer(c, short)[0] == a.code else a.label, PLAIN)
        n = f"{c.number:02d}"
        for prefix, col in (("L", answer_col), ("P", answer_col + 1), ("S", short_col)):
            checked(
                wb.define_name(f"{prefix}_Q{n}", f"=Lists!{xl_range_abs(first, col, first + 2, col)}"), f"name {prefix}_Q{n}"
            )
    country_col = ids.LISTS_COUNTRY_COLUMN - 1
    for i, country in enumerate(catalogue.countries):
        ws.text(1 + i, country_col, country.name, PLAIN)
    countries = xl_range_abs(1, country_col, len(catalogue.countries), country_col)
    checked(wb.define_name("L_COUNTRIES", f"=Lists!{countries}"), "name L_COUNTRIES")
    for i, key in enumerate(ids.KEYS):
        ws.text(1 + i, ids.LISTS_IDENTITY_KEY_COLUMN - 1, key, PLAIN)
        ws.text(1 + i, ids.LISTS_IDENTITY_VALUE_COLUMN - 1, ident[key], PLAIN)
    for first, last, width in ((0, 0, 10), (2, 2, 60), (5, 5, 20), (7, 8, 24), (10, 11, 30)):
        ws.width(first, last, width)


def _write_tidying(ws: SheetWriter, catalogue: Catalogue, rows: dict[str, int], prefill: Prefill | None) -> None:
    """Per criterion (Lists row 1 + its number), on the hidden Lists sheet, its answer with some of the tidying
    rai-xl does (spacing, one end punctuation mark, spaces around '/'), for the Points formula. Cached as the
    pre-filled answer."""
    col = ids.LISTS_TIDY_COLUMN - 1
    for c in catalogue.criteria:
        answer = f"Criteria!$D${rows[c.id] + 1}"
        for ch in ("_xlfn.UNICHAR(160)", "CHAR(9)", "CHAR(10)", "CHAR(13)"):  # non-breaking space, tab, line breaks
            answer = f'SUBSTITUTE({answer},{ch}," ")'
        typed = xl_rowcol_to_cell(c.number, col)
        cut = f'IF(ISNUMBER(FIND(RIGHT({typed},1),".!;,")),TRIM(LEFT({typed},LEN({typed})-1)),{typed})'
        cached = prefill.answers.get(c.id, "") if prefill else ""
        ws.formula(c.number, col, f"=TRIM({answer})", cached, PLAIN)
        ws.formula(c.number, col + 1, f'=IF({typed}="","",SUBSTITUTE(SUBSTITUTE({cut}," /","/"),"/ ","/"))', cached, PLAIN)


def _write_start(
    ws: SheetWriter, catalogue: Catalogue, ident: dict[str, str], who: str, contact: str, prefill: Prefill | None
) -> None:
    ws.columns([26, 100])
    year = ident["year"]
    tiers = catalogue.tiers
    sections = [
        (
            "What this is",
            f"{catalogue.title}: readiness self-assessment, {year}, for {who}. "
            "The Roadmap assesses each ASEAN Member State's AI ecosystem against 40 criteria in four pillars, places "
            "each pillar in a readiness tier, and links each tier to targeted actions. Your answers are consolidated "
            "with those of the other Member States into the regional workbook shared at ADGSOM and the ASEAN Working "
            "Group on AI Governance. There is no overall score and no ranking of countries.",
        ),
        (
            "How to answer",
            (
                f"1. On the 'Respondent' sheet, your {prefill.year} details are in place (blue cells): confirm or "
                "change them, and type the date you completed this questionnaire.\n"
                if prefill and prefill.respondent
                else "1. On the 'Respondent' sheet, fill in your agency, name, position, email and the date"
                + ("" if ident["country"] else ", and choose your country from the list")
                + ".\n"
            )
            + "2. On the 'Criteria' sheet, for each of the 40 criteria, choose one answer from the dropdown in the yellow "
            "'Answer' cell. Only the three answers listed in 'How it is scored' are accepted.\n"
            "3. In 'Evidence / source documents', name the documents that support the answer (title, issuing body, "
            "date, link). Use 'Comments' for anything else the coordinator should know.\n"
            + (
                f"   Your {prefill.year} answers, evidence and comments are already in place (blue cells): confirm "
                "each one or change it; an answer you leave as it is counts as confirmed. Where an answer is not "
                f"pre-filled, the column 'Your {prefill.year} answer' says why.\n"
                if prefill
                else ""
            )
            + "4. The 'Summary' sheet shows your pillar scores and tiers as you go.\n"
            "5. Save the file as it is (keep the .xlsx format and the sheet names) and email it back.",
        ),
        (
            "What evidence means",
            "Evidence is a published or official document that shows the answer is true: a law, "
            "policy, strategy, regulation, guideline, budget line, agency mandate, programme page or report. "
            "'Inconclusive evidence of these elements through available source documents' is the answer when documents "
            "exist but do not clearly show what the criterion asks for. 'Announced/Upcoming' is the answer when a measure "
            "has been announced but is not yet in place.",
        ),
        (
            "Leaving a criterion blank",
            "If you cannot answer a criterion yet, leave it blank. A blank is not a 'No': the "
            "pillar is shown as incomplete and its tier as provisional until every criterion is answered.",
        ),
        (
            "How scoring works",
            scoring_note(catalogue)
            + " "
            + " ".join(f"{t.name}: {t.printed_band}." for t in tiers)
            + " "
            + catalogue.tier_rule,
        ),
        (
            "Who to contact",
            contact or "The regional coordinator who sent you this workbook: reply to their email with any question.",
        ),
        (
            "Please do not",
            "rename, add, delete or reorder sheets; type over the locked cells; or paste into the Answer "
            "cells from elsewhere (pasting removes the dropdown; rai-xl will still check every answer). Protection "
            "prevents accidents, not determined editing.",
        ),
    ]
    ws.title(f"ASEAN Responsible AI readiness self-assessment {year}")
    ws.text(1, 0, who, "heading")
    ws.text(1, 1, "", "heading")
    row = 3
    for title, body in sections:  # the contact is the coordinator's text: written as text, like any typed
        ws.text(row, 0, title, "label")
        ws.text(row, 1, body, "text")
        ws.fit(row, [(body, 1, 1)])
        row += 1
    row += 1
    ws.text(row, 0, "About this file", "heading")
    ws.text(row, 1, "", "heading")
    row += 1
    for key in ids.KEYS:
        ws.text(row, ids.START_LABEL_COLUMN - 1, ids.LABELS[key], "label")
        ws.text(row, ids.START_VALUE_COLUMN - 1, ident[key] or ids.CHOSEN_BY_RESPONDENT, "fixed")
        row += 1


def _write_respondent(ws: SheetWriter, country: Country | None, year: int, prefill: Prefill | None) -> None:
    """Who answers; with *prefill* holding last round's details, they stand in their cells (blue, as typed,
    never a formula), marked to confirm or change; the completion date is always typed anew."""
    details = prefill.respondent if prefill else {}
    note = (
        "Fill in the yellow cells. The country and year are set by the coordinator."
        if country
        else "Fill in the yellow cells: choose your country from the list first. The year is set by the coordinator."
    )
    if details:
        assert prefill is not None
        ws.columns([30, 60, 22])
        ws.title("Respondent details")
        note = (
            f"Your {prefill.year} details are in the blue cells: confirm or change each one. Fill in the yellow "
            "cells, and type the date you completed this questionnaire. The country and year are set by the coordinator."
        )
        ws.paragraph(1, 0, 2, note, "note")
        ws.header(3, ["Field", "Value", ids.prefill_details_column(prefill.year)], 15)
    else:
        ws.columns([30, 60])
        ws.title("Respondent details")
        ws.span(1, 0, 1, note, "note")
        ws.text(3, 0, "Field", "header")
        ws.text(3, 1, "Value", "header")
    for i, (key, label) in enumerate(ids.RESPONDENT_FIELDS):
        row = 4 + i
        ws.height(row, 20)
        ws.text(row, 0, label, "label")
        if details.get(key) and key in ids.PREFILLED_DETAILS:
            ws.text(row, 1, details[key], "prefilled")
            ws.text(row, 2, "confirm or change", "small")
            ws.fit(row, [(details[key], 1, 1)])  # as tall as the text needs: 20 points for one line
        elif key == "country" and country:
            ws.text(row, 1, country.name, "fixed")
        elif key == "country":
            ws.blank(row, 1, "input")
            rule: dict[str, Any] = {
                "validate": "list",
                "source": "=L_COUNTRIES",
                "input_title": "Country",
                "input_message": "Choose your ASEAN Member State from the list.",
                "error_title": "Not a Member State",
                "error_message": "Choose a Member State from the list.",
            }
            validation(ws.ws, row, row, 1, rule, "country dropdown")
        elif key == "year":
            ws.text(row, 1, str(year), "fixed")
        elif key == ids.DATE_FIELD:
            ws.blank(row, 1, "date_input")
            rule = {
                "validate": "date",
                "criteria": "between",
                "minimum": date(year, 1, 1),
                "maximum": date(year + 1, 12, 31),
                "input_title": "Date completed",
                "input_message": f"Type the date you completed this questionnaire, e.g. {year}-03-31.",
                "error_title": "Not a date of this round",
                "error_message": f"Type a date between {year}-01-01 and {year + 1}-12-31, e.g. {year}-03-31.",
            }
            validation(ws.ws, row, row, 1, rule, "date validation")
        else:
            ws.blank(row, 1, "input")


def _write_criteria(ws: SheetWriter, catalogue: Catalogue, prefill: Prefill | None) -> dict[str, int]:
    """Write the criteria rows; return {criterion id: 0-based row}."""
    columns = (*ids.CRITERIA_COLUMNS, (ids.prefill_column(prefill.year), 22)) if prefill else ids.CRITERIA_COLUMNS
    widths = [w for _, w in columns]
    ws.columns(widths)
    ws.header(0, [head for head, _ in columns], 22)
    ws.freeze(1, 2)
    answer_col, points_col = 3, 4
    rows: dict[str, int] = {}
    row = 1
    for pillar in catalogue.pillars:
        ws.span(row, 0, len(widths) - 1, f"Assessment Pillar {pillar.number}: {pillar.name}", "pillar")
        ws.height(row, 20)
        row += 1
        for c in catalogue.criteria_of(pillar.number):
            scoring = "\n".join(f"{a.label} = {a.points:g} points" for a in c.answers)
            ws.text(row, 0, c.id, "id")
            ws.text(row, 1, c.question, "cell")
            ws.text(row, 2, scoring, "small")
            last = prefill.answers.get(c.id, "") if prefill else ""
            _input(ws, row, answer_col, last)
            n = f"{c.number:02d}"
            typed, tidied = (xl_rowcol_to_cell(c.number, ids.LISTS_TIDY_COLUMN - 1 + k, True, True) for k in (0, 1))
            # = rather than MATCH or COUNTIF, which read ? * ~ as wildcards; UPPER, as = may be case-sensitive
            hit = f"((UPPER(L_Q{n})=UPPER(Lists!{tidied}))+(UPPER(S_Q{n})=UPPER(Lists!{tidied}))>0)"
            cached = c.answer_by_label(last).points if last else ""  # type: ignore[union-attr]
            points = f'=IF(Lists!{typed}="","",IF(SUMPRODUCT(--{hit})=0,"?",SUMPRODUCT({hit}*P_Q{n})))'
            ws.formula(row, points_col, points, cached, "points")
            _input(ws, row, 5, prefill.evidence.get(c.id, "") if prefill else "")
            _input(ws, row, 6, prefill.comments.get(c.id, "") if prefill else "")
            note = ""
            if prefill:
                why = prefill.why_not.get(c.id, f"not answered in {prefill.year}")
                note = f"{last} (confirm or change)" if last else f"Not pre-filled: {why}. Choose an answer."
                ws.text(row, len(ids.CRITERIA_COLUMNS), note, "small")
            allowed = "; ".join(c.labels)
            ask = (
                f"Your {prefill.year} answer: keep it to confirm, or choose another. "
                if prefill and last
                else "Choose one of the three answers from the list. "
            )
            rule = {
                "validate": "list",
                "source": f"=L_Q{n}",
                "input_title": f"{c.id}: choose an answer",
                "input_message": _at_most(ask + c.scoring_text() + ".", 255),
                "error_title": f"Not an answer to {c.id}",
                "error_message": _at_most(f"Choose one of: {allowed}.", 255),
            }
            validation(ws.ws, row, row, answer_col, rule, f"dropdown for {c.id}")
            texts = [(c.question, 1, 1), *((label, answer_col, answer_col) for label in c.labels)]
            small = [(scoring, 2, 2), *([(note, len(widths) - 1, len(widths) - 1)] if note else [])]
            ws.fit(row, texts, 2, small)
            rows[c.id] = row
            row += 1
    note = (
        "Points are worked out from your answer. '?': this sheet does not recognise the answer as typed; rai-xl "
        "checks every answer when the file comes back and may accept it, tidied (choose from the dropdown to be sure)."
    )
    ws.paragraph(row + 1, 1, 6, note, "note")
    return rows


def _input(ws: SheetWriter, row: int, col: int, prefilled: str) -> None:
    """An input cell: blank, or holding last round's text (as text, never a formula) marked as pre-filled."""
    if prefilled:
        ws.text(row, col, prefilled, "prefilled")
    else:
        ws.blank(row, col, "input")


def _at_most(text: str, limit: int) -> str:
    if len(text) > limit:
        raise WriterRefused(f"message over {limit} characters: {text[:60]}...")
    return text


def _tier_formula(catalogue: Catalogue, score: str, answered: str, total: int) -> str:
    tiers = list(catalogue.tiers)
    expr = f'"{tiers[-1].name}"'
    for t in reversed(tiers[:-1]):
        expr = f'IF({score}>={t.minimum:g},"{t.name}",{expr})'
    none, provisional = NOT_ANSWERED.capitalize(), f" ({PROVISIONAL})"
    return f'IF({answered}=0,"{none}",{expr}&IF({answered}<{total},"{provisional}",""))'


def _write_summary(ws: SheetWriter, catalogue: Catalogue, answer_rows: dict[str, int], prefill: Prefill | None) -> None:
    heads = [
        ("Pillar", 11),
        ("Assessment pillar", 36),
        ("Answered", 11),
        ("Score (of 30)", 13),
        ("Tier", 26),
        ("Status", 42),
        ("Answers to check (?)", 13),
    ]
    ws.columns([w for _, w in heads])
    ws.title("Summary: pillar scores and tiers")
    note = (
        "Worked out from the Criteria sheet as you answer. " + catalogue.tier_rule + " An answer marked ? is typed "
        "rather than chosen and not recognised here: rai-xl checks every answer when the file comes back and may "
        "accept it, so its pillar's score and tier are to be checked (choose from the dropdown to be sure)."
    )
    ws.paragraph(1, 0, len(heads) - 1, note, "note")
    ws.header(3, [head for head, _ in heads], 30)
    labels = prefill.answers if prefill else {}
    codes = {q: catalogue.criterion(q).answer_by_label(label).code for q, label in labels.items()}  # type: ignore[union-attr]
    shown = summary_cells(catalogue, assess(catalogue, codes))
    for i, pillar in enumerate(catalogue.pillars):
        row = 4 + i
        ws.height(row, 32)
        rows = [answer_rows[c.id] for c in catalogue.criteria_of(pillar.number)]
        rng = f"Criteria!$E${rows[0] + 1}:$E${rows[-1] + 1}"
        answered, score, tier, status = shown[i]
        total = len(rows)
        a_cell, q_cell = xl_rowcol_to_cell(row, 2), xl_rowcol_to_cell(row, 6)
        ws.number(row, 0, pillar.number, "count")
        ws.text(row, 1, pillar.name, "cell")
        ws.formula(row, 2, f"=COUNT({rng})", answered, "count")
        ws.formula(row, 3, f'=IF({q_cell}>0,"at least "&SUM({rng}),SUM({rng}))', score, "number")
        tier_formula = _tier_formula(catalogue, f"SUM({rng})", a_cell, total)
        ws.formula(row, 4, f'=IF({q_cell}>0,"{TO_CHECK}",{tier_formula})', tier, "cell")
        unanswered = f'IF({a_cell}={total},"Complete",({total}-{a_cell})&" of {total} unanswered")'
        checking = f'{q_cell}&IF({q_cell}=1," answer"," answers")&"{CHECKED_LATER}"'
        ws.formula(row, 5, f"=IF({q_cell}>0,{checking},{unanswered})", status, "cell")
        # an exact comparison: COUNTIF would read "?" as a wildcard
        ws.formula(row, 6, f'=SUMPRODUCT(--({rng}="?"))', 0, "count")
    ws.text(10, 0, "Tier descriptions (Roadmap, Table 3)", "heading")
    for j, t in enumerate(catalogue.tiers):
        ws.text(11 + j, 0, t.name, "label")
        ws.paragraph(11 + j, 1, len(heads) - 1, t.description, "text")
