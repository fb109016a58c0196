"""Values typed the way people type them (dates, years) and text as a message quotes it: pure text
rules shared by every layer. No files here."""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

from rai_xl.core.typed import Value

# Numbers in ASCII digits only: str.isdigit() also accepts '²' and other scripts' digits.
YEAR = re.compile(r"[0-9]{4}")


YEAR_FIRST = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?")


NUMBERS_YEAR_LAST = re.compile(r"([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})")


DAY_MONTH_NAME = re.compile(r"([0-9]{1,2})[ -]([A-Za-z]{3,9})\.?[ -]([0-9]{4})")


MONTH_NAME_DAY = re.compile(r"([A-Za-z]{3,9})\.? ([0-9]{1,2}),? ([0-9]{4})")


MONTHS = {name.casefold(): n for n in range(1, 13) for name in (calendar.month_name[n], calendar.month_abbr[n])}


def clean(text: str) -> str:
    """The form text is compared in: NFKC, any run of spaces as one, ends stripped.

    For matching answers, headers and names only: text passed on (names, agencies, evidence,
    comments) is never put through it, because NFKC changes Thai and Lao (U+0E33, U+0EB3).
    """
    return " ".join(unicodedata.normalize("NFKC", text).split())  # str.split() splits where \s+ matches


def format_number(value: float) -> str:
    """A number in full, as a person would type it: 20240115, 3.5, 0.0001 (never 2.02401e+07)."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def read_date(text: str) -> date | None:
    """A date as people type it: 2026-03-31 (a time after it is ignored), 2026/03/31, 31/03/2026,
    31.3.2026, 31-Mar-2026, 31 March 2026, March 31, 2026. Numbers with the year last are read only
    when the order cannot be in doubt (a part over 12, or day = month): 03/04/2026 gives None."""
    text = text.strip()
    try:
        if m := YEAR_FIRST.fullmatch(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := NUMBERS_YEAR_LAST.fullmatch(text):
            a, b, year = int(m[1]), int(m[2]), int(m[3])
            if a > 12 or a == b:
                return date(year, b, a)
            return date(year, a, b) if b > 12 else None
        if (m := DAY_MONTH_NAME.fullmatch(text)) and m[2].casefold() in MONTHS:
            return date(int(m[3]), MONTHS[m[2].casefold()], int(m[1]))
        if (m := MONTH_NAME_DAY.fullmatch(text)) and m[1].casefold() in MONTHS:
            return date(int(m[3]), MONTHS[m[1].casefold()], int(m[2]))
    except ValueError:  # 2026-02-30
        return None
    return None


def parse_year(text: str) -> int | None:
    """The year *text* holds (four ASCII digits), or None."""
    text = text.strip()
    return int(text) if YEAR.fullmatch(text) else None


def short(text: str, limit: int = 80) -> str:
    """*text* cut to *limit* characters with an ellipsis, for a message that quotes it."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown_value(v: Value) -> str:
    """A value as a message quotes it: dates ISO, whole numbers without '.0'."""
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == datetime.min.time() else v.isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "" if v is None else str(v)


ERROR_VALUES = ("#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA")


def is_error(v: Value) -> bool:
    """Whether *v* is a spreadsheet's error value (#N/A, #VALUE!; LibreOffice's Err:502)."""
    return isinstance(v, str) and (v.strip() in ERROR_VALUES or re.fullmatch(r"Err:\d{3}", v.strip()) is not None)


def with_formula(value: Value, formula: str, text_field: bool = True) -> Value:
    """What a person typed into a field, kept: *value* as they saw it, plus the *formula* they typed when
    it differs (the formula as text, never to be run again). An error value never stands alone: the
    formula text takes its place, the error said beside it. In a field that is not free text (a Status,
    a Target date: *text_field* False), a value that is neither empty nor an error stands alone."""
    if not formula or formula.lstrip("=").strip() == "":
        return value
    if not text_field and value not in (None, "") and not is_error(value):
        return value
    shown = shown_value(value)
    if value in (None, "") or shown == formula:
        return formula
    if is_error(value):
        return f"{formula} (shows {shown})"
    return f"{shown} (typed as {formula})"
