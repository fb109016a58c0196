"""The Respondent sheet: who answered, for which Member State and year, and the details a coordinator
needs to reply (missing or odd details are warnings, never a rejection)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from rai_xl.core.text import NUMBERS_YEAR_LAST, parse_year, read_date
from rai_xl.issues import ERROR, WARNING, Issue, Msg
from rai_xl.layouts import questionnaire as ids
from rai_xl.method.catalogue import Catalogue, Country
from rai_xl.read.cells import cell_text, typed_text
from rai_xl.read.spreadsheet import Sheet, cell_name

FREE_TEXT = ("agency", "name", "position", "email")  # details typed as free text (rai_xl.read.cells.typed_text)
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


@dataclass
class Respondent:
    """What the Respondent sheet says, with the issues found in it."""

    details: dict[str, str] = field(default_factory=dict)  # field key -> the value as the official typed it
    country: Country | None = None  # whose return it is (the issued country when the sheet disagrees)
    year: int | None = None
    issues: list[Issue] = field(default_factory=list)
    prefilled: bool = False  # the sheet was written with last round's details in place (to confirm or change)


def read_respondent(sheet: Sheet | None, catalogue: Catalogue, ident: dict[str, str]) -> Respondent:
    """The respondent details of the Respondent *sheet* (None when missing), checked against the
    identity *ident* the questionnaire was issued with."""
    out = Respondent()
    issued_country = catalogue.country(ident.get("country", ""))
    issued_year = ident.get("year", "")
    if sheet is None:
        message = Msg.MISSING_SHEET.format(
            sheet=ids.SHEET_RESPONDENT, expected=", ".join((ids.SHEET_RESPONDENT, ids.SHEET_CRITERIA))
        )
        out.issues.append(Issue(ERROR, ids.SHEET_RESPONDENT, "", "", message))
        out.country, out.year = issued_country, parse_year(issued_year)
        return out
    labels = {label: key for key, label in ids.RESPONDENT_FIELDS}
    where: dict[str, str] = {}
    date_formula = ""
    value_col = ids.RESPONDENT_VALUE_COLUMN
    for (row, col), cell in sheet.cells.items():
        if col == ids.RESPONDENT_LABEL_COLUMN and isinstance(cell.value, str) and cell.value.strip() in labels:
            key = labels[cell.value.strip()]
            value_cell = sheet.cells.get((row, value_col))
            typed_formula = value_cell is not None and value_cell.formula and key in FREE_TEXT
            # a formula typed in a detail: what the official saw, with the formula's text beside it (never run)
            out.details[key] = typed_text(value_cell) if typed_formula else cell_text(value_cell)
            where[key] = cell_name(row, value_col)
            if key == ids.DATE_FIELD and value_cell is not None:
                date_formula = value_cell.formula
        elif col == ids.RESPONDENT_VALUE_COLUMN + 1 and isinstance(cell.value, str):
            out.prefilled = out.prefilled or bool(ids.PREFILL_DETAILS_HEADER.fullmatch(cell.value.strip().casefold()))

    def error(cell: str, message: str) -> None:
        out.issues.append(Issue(ERROR, ids.SHEET_RESPONDENT, cell, "", message))

    value = out.details.get("country", "")
    at = where.get("country", "")
    found = catalogue.find_country(value)
    if found is not None and value not in (found.name, found.code):
        out.issues.append(
            Issue(WARNING, ids.SHEET_RESPONDENT, at, "", Msg.COUNTRY_ACCEPTED.format(value=value, name=found.name))
        )
    if not value:
        if issued_country:
            out.country = issued_country
        else:
            error(at, Msg.COUNTRY_MISSING.format())
    elif found is None:
        error(at, Msg.COUNTRY_UNKNOWN.format(value=value, allowed=", ".join(c.name for c in catalogue.countries)))
    elif issued_country and found != issued_country:
        error(at, Msg.COUNTRY_MISMATCH.format(value=value, expected=issued_country.name))
        out.country = issued_country  # whose return it is, for the chase list; nothing of it is scored
    else:
        out.country = found
    year = out.details.get("year", "") or issued_year
    if issued_year and year != issued_year:
        error(where.get("year", ""), Msg.YEAR_MISMATCH.format(value=year, expected=issued_year))
    out.year = parse_year(issued_year or year)
    if out.year is None:
        error(where.get("year", ""), Msg.YEAR_UNREADABLE.format(value=issued_year or year))
    _check_details(out, where, date_formula)
    return out


def _check_details(out: Respondent, where: dict[str, str], formula: str) -> None:
    """Respondent details a coordinator needs to reply: warnings naming the cell, never a rejection."""

    def warn(key: str, message: str) -> None:
        out.issues.append(Issue(WARNING, ids.SHEET_RESPONDENT, where.get(key, ""), "", message))

    labels = dict(ids.RESPONDENT_FIELDS)
    for key in ids.REQUIRED_DETAILS:
        if key in where and not out.details.get(key):
            warn(key, Msg.DETAIL_MISSING.format(label=labels[key]))
    email = out.details.get("email", "")
    if email and not EMAIL.fullmatch(email):
        warn("email", Msg.EMAIL_ODD.format(value=email))
    completed = out.details.get(ids.DATE_FIELD, "")
    completed_on = read_date(completed)
    if formula:
        warn(ids.DATE_FIELD, Msg.DATE_FORMULA.format(formula=formula))
    if completed and out.year is not None:
        first, last = date(out.year, 1, 1), date(out.year + 1, 12, 31)
        if completed_on is None and NUMBERS_YEAR_LAST.fullmatch(completed):
            warn(ids.DATE_FIELD, Msg.DATE_AMBIGUOUS.format(value=completed))
        elif completed_on is None:
            warn(ids.DATE_FIELD, Msg.DATE_UNREADABLE.format(value=completed))
        elif not first <= completed_on <= last:
            warn(ids.DATE_FIELD, Msg.DATE_OUTSIDE.format(value=completed, year=out.year, first=first, last=last))
