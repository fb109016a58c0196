"""Write the locked questionnaire workbook that national officials fill in."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_range_abs, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from rai_xl.layouts import kinds
from rai_xl.layouts import questionnaire as ids
from rai_xl.layouts.questionnaire import Prefill
from rai_xl.method.catalogue import Catalogue, Country
from rai_xl.method.scoring import Assessment, assess
from rai_xl.method.words import NOT_ANSWERED, PROVISIONAL, scoring_note, tier_label
from rai_xl.read.answers import match_answer, short_form
from rai_xl.write.kit import needs_quote, sheet_title, validation
from rai_xl.write.outputs import WriterRefused, checked
from rai_xl.write.styles import NAVY, SHARED

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
    "small": {"text_wrap": True, "valign": "top", "border": 1, "font_size": 10, "font_color": "#404040"},
    "input": {"locked": False, "text_wrap": True, "valign": "top", "border": 1, "bg_color": "#FFF2CC"},
    "prefilled": {"locked": False, "text_wrap": True, "valign": "top", "border": 1, "bg_color": "#DDEBF7"},
    "date_input": {"locked": False, "align": "left", "border": 1, "bg_color": "#FFF2CC", "num_format": "yyyy-mm-dd"},
    "points": {"align": "center", "valign": "top", "border": 1, "num_format": "0.0"},
    "number": {"align": "center", "valign": "vcenter", "border": 1, "num_format": "0.0"},
    "count": {"align": "center", "valign": "vcenter", "border": 1},
    "fixed": {"valign": "top", "border": 1, "bg_color": "#F2F2F2"},
}
LINE_HEIGHT = 15  # points per wrapped line at the default 11 pt font


def _lines(text: str, width: float, font_size: int = 11) -> int:
    """Wrapped lines *text* needs in a column *width* characters wide (a slightly generous estimate)."""
    per_line = max(int(width * 1.1 * 11 / font_size) - 3, 8)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


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
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    fmt = {name: wb.add_format(props) for name, props in STYLES.items()}
    fmt["prefilled_quoted"] = wb.add_format({**STYLES["prefilled"], "quote_prefix": True})  # written only when used
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

    start = wb.add_worksheet(ids.SHEET_START)
    respondent = wb.add_worksheet(ids.SHEET_RESPONDENT)
    criteria = wb.add_worksheet(ids.SHEET_CRITERIA)
    summary = wb.add_worksheet(ids.SHEET_SUMMARY)
    lists = wb.add_worksheet(ids.SHEET_LISTS)

    _write_lists(wb, lists, catalogue, ident)
    _write_start(start, fmt, catalogue, ident, who, contact, prefill)
    _write_respondent(respondent, fmt, country, year)
    answer_rows = _write_criteria(criteria, fmt, catalogue, prefill)
    _write_tidying(lists, catalogue, answer_rows, prefill)
    _write_summary(summary, fmt, catalogue, answer_rows, prefill)

    footer = f"&L{who} {year}&CPage &P of &N&R&A"
    for ws in (start, respondent, criteria, summary):
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 1 if ws is start else 0)  # 'Start here' prints on one page
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
        ws.set_footer(footer)
        ws.protect(password, {"format_columns": True, "format_rows": True})
    lists.protect(password)
    lists.hide()
    start.activate()
    wb.close()


def _write_lists(wb: xlsxwriter.Workbook, ws: Worksheet, catalogue: Catalogue, ident: dict[str, str]) -> None:
    heads = ("Criterion", "Answer code", "Answer", "Points", "Short form", "Member states", "", "Identity", "Value")
    for col, head in enumerate((*heads, "", "Answer typed", "Answer tidied")):
        ws.write_string(0, col, head)
    answer_col = ids.LISTS_ANSWER_COLUMN - 1  # xlsxwriter counts from 0
    short_col = ids.LISTS_SHORT_COLUMN - 1
    for i, c in enumerate(catalogue.criteria):
        first = ids.lists_answer_row(i) - 1
        for j, a in enumerate(c.answers):
            ws.write_string(first + j, answer_col - 2, c.id)
            ws.write_string(first + j, answer_col - 1, a.code)
            ws.write_string(first + j, answer_col, a.label)
            ws.write_number(first + j, answer_col + 1, a.points)
            short = short_form(a.label)
            ws.write_string(first + j, short_col, short if match_answer(c, short)[0] == a.code else a.label)
        n = f"{c.number:02d}"
        for prefix, col in (("L", answer_col), ("P", answer_col + 1), ("S", short_col)):
            checked(
                wb.define_name(f"{prefix}_Q{n}", f"=Lists!{xl_range_abs(first, col, first + 2, col)}"), f"name {prefix}_Q{n}"
            )
    country_col = ids.LISTS_COUNTRY_COLUMN - 1
    for i, country in enumerate(catalogue.countries):
        ws.write_string(1 + i, country_col, country.name)
    countries = xl_range_abs(1, country_col, len(catalogue.countries), country_col)
    checked(wb.define_name("L_COUNTRIES", f"=Lists!{countries}"), "name L_COUNTRIES")
    for i, key in enumerate(ids.KEYS):
        ws.write_string(1 + i, ids.LISTS_IDENTITY_KEY_COLUMN - 1, key)
        ws.write_string(1 + i, ids.LISTS_IDENTITY_VALUE_COLUMN - 1, ident[key])
    ws.set_column(0, 0, 10)
    ws.set_column(2, 2, 60)
    ws.set_column(5, 5, 20)
    ws.set_column(7, 8, 24)
    ws.set_column(10, 11, 30)


def _write_tidying(ws: Worksheet, catalogue: Catalogue, rows: dict[str, int], prefill: Prefill | None) -> None:
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
        ws.write_formula(c.number, col, f"=TRIM({answer})", None, cached)
        ws.write_formula(
            c.number, col + 1, f'=IF({typed}="","",SUBSTITUTE(SUBSTITUTE({cut}," /","/"),"/ ","/"))', None, cached
        )


def _write_start(
    ws: Worksheet, fmt: dict, catalogue: Catalogue, ident: dict[str, str], who: str, contact: str, prefill: Prefill | None
) -> None:
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 100)
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
            "1. On the 'Respondent' sheet, fill in your agency, name, position, email and the date"
            + ("" if ident["country"] else ", and choose your country from the list")
            + ".\n"
            "2. On the 'Criteria' sheet, for each of the 40 criteria, choose one answer from the dropdown in the yellow "
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
    sheet_title(ws, f"ASEAN Responsible AI readiness self-assessment {year}", fmt["title"])
    ws.write_string(1, 0, who, fmt["heading"])
    ws.write_string(1, 1, "", fmt["heading"])
    row = 3
    for title, body in sections:
        ws.write_string(row, 0, title, fmt["label"])
        ws.write_string(row, 1, body, fmt["text"])
        ws.set_row(row, LINE_HEIGHT * _lines(body, 100) + 4)
        row += 1
    row += 1
    ws.write_string(row, 0, "About this file", fmt["heading"])
    ws.write_string(row, 1, "", fmt["heading"])
    row += 1
    for key in ids.KEYS:
        ws.write_string(row, ids.START_LABEL_COLUMN - 1, ids.LABELS[key], fmt["label"])
        ws.write_string(row, ids.START_VALUE_COLUMN - 1, ident[key] or ids.CHOSEN_BY_RESPONDENT, fmt["fixed"])
        row += 1


def _write_respondent(ws: Worksheet, fmt: dict, country: Country | None, year: int) -> None:
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 60)
    sheet_title(ws, "Respondent details", fmt["title"])
    note = (
        "Fill in the yellow cells. The country and year are set by the coordinator."
        if country
        else "Fill in the yellow cells: choose your country from the list first. The year is set by the coordinator."
    )
    ws.merge_range(1, 0, 1, 1, note, fmt["note"])
    ws.write_string(3, 0, "Field", fmt["header"])
    ws.write_string(3, 1, "Value", fmt["header"])
    for i, (key, label) in enumerate(ids.RESPONDENT_FIELDS):
        row = 4 + i
        ws.set_row(row, 20)
        ws.write_string(row, 0, label, fmt["label"])
        if key == "country" and country:
            ws.write_string(row, 1, country.name, fmt["fixed"])
        elif key == "country":
            ws.write_blank(row, 1, None, fmt["input"])
            rule: dict[str, Any] = {
                "validate": "list",
                "source": "=L_COUNTRIES",
                "input_title": "Country",
                "input_message": "Choose your ASEAN Member State from the list.",
                "error_title": "Not a Member State",
                "error_message": "Choose a Member State from the list.",
            }
            validation(ws, row, row, 1, rule, "country dropdown")
        elif key == "year":
            ws.write_string(row, 1, str(year), fmt["fixed"])
        elif key == ids.DATE_FIELD:
            ws.write_blank(row, 1, None, fmt["date_input"])
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
            validation(ws, row, row, 1, rule, "date validation")
        else:
            ws.write_blank(row, 1, None, fmt["input"])


def _write_criteria(ws: Worksheet, fmt: dict, catalogue: Catalogue, prefill: Prefill | None) -> dict[str, int]:
    """Write the criteria rows; return {criterion id: 0-based row}."""
    columns = (*ids.CRITERIA_COLUMNS, (ids.prefill_column(prefill.year), 22)) if prefill else ids.CRITERIA_COLUMNS
    _header(ws, fmt, 0, columns, 22)
    ws.freeze_panes(1, 2)
    ws.repeat_rows(0)
    widths = [w for _, w in columns]
    answer_col, points_col = 3, 4
    rows: dict[str, int] = {}
    row = 1
    for pillar in catalogue.pillars:
        ws.merge_range(row, 0, row, len(widths) - 1, f"Assessment Pillar {pillar.number}: {pillar.name}", fmt["pillar"])
        ws.set_row(row, 20)
        row += 1
        for c in catalogue.criteria_of(pillar.number):
            scoring = "\n".join(f"{a.label} = {a.points:g} points" for a in c.answers)
            ws.write_string(row, 0, c.id, fmt["id"])
            ws.write_string(row, 1, c.question, fmt["cell"])
            ws.write_string(row, 2, scoring, fmt["small"])
            last = prefill.answers.get(c.id, "") if prefill else ""
            _input(ws, row, answer_col, last, fmt)
            n = f"{c.number:02d}"
            typed, tidied = (xl_rowcol_to_cell(c.number, ids.LISTS_TIDY_COLUMN - 1 + k, True, True) for k in (0, 1))
            # = rather than MATCH or COUNTIF, which read ? * ~ as wildcards; UPPER, as = may be case-sensitive
            hit = f"((UPPER(L_Q{n})=UPPER(Lists!{tidied}))+(UPPER(S_Q{n})=UPPER(Lists!{tidied}))>0)"
            cached = c.answer_by_label(last).points if last else ""  # type: ignore[union-attr]
            ws.write_formula(
                row,
                points_col,
                f'=IF(Lists!{typed}="","",IF(SUMPRODUCT(--{hit})=0,"?",SUMPRODUCT({hit}*P_Q{n})))',
                fmt["points"],
                cached,
            )
            _input(ws, row, 5, prefill.evidence.get(c.id, "") if prefill else "", fmt)
            _input(ws, row, 6, prefill.comments.get(c.id, "") if prefill else "", fmt)
            note = ""
            if prefill:
                why = prefill.why_not.get(c.id, f"not answered in {prefill.year}")
                note = f"{last} (confirm or change)" if last else f"Not pre-filled: {why}. Choose an answer."
                ws.write_string(row, len(ids.CRITERIA_COLUMNS), note, fmt["small"])
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
            validation(ws, row, row, answer_col, rule, f"dropdown for {c.id}")
            lines = max(_lines(c.question, widths[1]), max(_lines(label, widths[answer_col]) for label in c.labels), 2)
            small = max(_lines(scoring, widths[2], 10), _lines(note, widths[-1], 10) if note else 0)
            ws.set_row(row, max(LINE_HEIGHT * lines, 13 * small) + 6)
            rows[c.id] = row
            row += 1
    note = (
        "Points are worked out from your answer. '?': this sheet does not recognise the answer as typed; rai-xl "
        "checks every answer when the file comes back and may accept it, tidied (choose from the dropdown to be sure)."
    )
    ws.merge_range(row + 1, 1, row + 1, 6, note, fmt["note"])
    ws.set_row(row + 1, LINE_HEIGHT * _lines(note, sum(widths[1:7])) + 4)
    return rows


def _header(ws: Worksheet, fmt: dict, row: int, columns: Sequence[tuple[str, float]], height: float) -> None:
    """A header row of (head, column width), *height* points tall."""
    for col, (head, width) in enumerate(columns):
        ws.set_column(col, col, width)
        ws.write_string(row, col, head, fmt["header"])
    ws.set_row(row, height)


def _input(ws: Worksheet, row: int, col: int, prefilled: str, fmt: dict) -> None:
    """An input cell: blank, or holding last round's text (as text, never a formula) marked as pre-filled."""
    if prefilled:
        ws.write_string(row, col, prefilled, fmt["prefilled_quoted" if needs_quote(prefilled) else "prefilled"])
    else:
        ws.write_blank(row, col, None, fmt["input"])


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


def _write_summary(
    ws: Worksheet, fmt: dict, catalogue: Catalogue, answer_rows: dict[str, int], prefill: Prefill | None
) -> None:
    heads = [
        ("Pillar", 11),
        ("Assessment pillar", 36),
        ("Answered", 11),
        ("Score (of 30)", 13),
        ("Tier", 26),
        ("Status", 42),
        ("Answers to check (?)", 13),
    ]
    sheet_title(ws, "Summary: pillar scores and tiers", fmt["title"])
    note = (
        "Worked out from the Criteria sheet as you answer. " + catalogue.tier_rule + " An answer marked ? is typed "
        "rather than chosen and not recognised here: rai-xl checks every answer when the file comes back and may "
        "accept it, so its pillar's score and tier are to be checked (choose from the dropdown to be sure)."
    )
    ws.merge_range(1, 0, 1, len(heads) - 1, note, fmt["note"])
    ws.set_row(1, LINE_HEIGHT * _lines(note, 130) + 4)
    _header(ws, fmt, 3, heads, 30)
    labels = prefill.answers if prefill else {}
    codes = {q: catalogue.criterion(q).answer_by_label(label).code for q, label in labels.items()}  # type: ignore[union-attr]
    shown = summary_cells(catalogue, assess(catalogue, codes))
    for i, pillar in enumerate(catalogue.pillars):
        row = 4 + i
        ws.set_row(row, 32)
        rows = [answer_rows[c.id] for c in catalogue.criteria_of(pillar.number)]
        rng = f"Criteria!$E${rows[0] + 1}:$E${rows[-1] + 1}"
        answered, score, tier, status = shown[i]
        total = len(rows)
        a_cell, q_cell = xl_rowcol_to_cell(row, 2), xl_rowcol_to_cell(row, 6)
        ws.write_number(row, 0, pillar.number, fmt["count"])
        ws.write_string(row, 1, pillar.name, fmt["cell"])
        ws.write_formula(row, 2, f"=COUNT({rng})", fmt["count"], answered)
        ws.write_formula(row, 3, f'=IF({q_cell}>0,"at least "&SUM({rng}),SUM({rng}))', fmt["number"], score)
        tier_formula = _tier_formula(catalogue, f"SUM({rng})", a_cell, total)
        ws.write_formula(row, 4, f'=IF({q_cell}>0,"{TO_CHECK}",{tier_formula})', fmt["cell"], tier)
        unanswered = f'IF({a_cell}={total},"Complete",({total}-{a_cell})&" of {total} unanswered")'
        checking = f'{q_cell}&IF({q_cell}=1," answer"," answers")&"{CHECKED_LATER}"'
        ws.write_formula(row, 5, f"=IF({q_cell}>0,{checking},{unanswered})", fmt["cell"], status)
        # an exact comparison: COUNTIF would read "?" as a wildcard
        ws.write_formula(row, 6, f'=SUMPRODUCT(--({rng}="?"))', fmt["count"], 0)
    ws.write_string(10, 0, "Tier descriptions (Roadmap, Table 3)", fmt["heading"])
    for j, t in enumerate(catalogue.tiers):
        ws.write_string(11 + j, 0, t.name, fmt["label"])
        ws.merge_range(11 + j, 1, 11 + j, len(heads) - 1, t.description, fmt["text"])
        ws.set_row(11 + j, LINE_HEIGHT * _lines(t.description, 130) + 4)
