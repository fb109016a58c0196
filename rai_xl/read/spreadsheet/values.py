"""What cell references and stored values mean, in either format: A1 references and column letters, a
formula moved, number formats that show dates, Excel serial dates, ISO dates and ODF durations."""

from __future__ import annotations

import datetime as dt
import re

REFS: dict[str, tuple[int, int]] = {}  # cell reference -> (row, column): references repeat across files
_DIGITS = "0123456789"


def column_number(letters: str) -> int:
    """1-based column number of column letters (A = 1, AA = 27)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(col: int) -> str:
    """Column letters of a 1-based column number (1 = A, 27 = AA)."""
    if 0 < col < len(_LETTERS):
        return _LETTERS[col]
    return _letters(col)


def _letters(col: int) -> str:
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# The columns of nearly every cell, A to ZZ, both ways: their letters by number, their numbers by letters.
_LETTERS = ["", *(_letters(n) for n in range(1, 703))]
COLUMNS: dict[str, int] = {letters: n for n, letters in enumerate(_LETTERS) if letters}


def row_column(ref: str) -> tuple[int, int] | None:
    """(row, column) of an A1 reference, or None when it is not one."""
    found = REFS.get(ref)
    if found is not None:
        return found
    stem = ref.rstrip(_DIGITS)
    digits = ref[len(stem) :]  # ASCII digits only, as stripped
    if not (1 <= len(stem) <= 3 and stem.isascii() and stem.isalpha() and 1 <= len(digits) <= 7):
        return None  # (ASCII first: upper() turns some letters into two, 'ß' into 'SS')
    found = (int(digits), column_number(stem.upper()))
    if len(REFS) < 20_000:  # a questionnaire has about 1,000 references; bounded for hostile files
        REFS[ref] = found
    return found


_MAX_COLUMNS, _MAX_ROWS = 16_384, 1_048_576  # XFD1048576, the last cell of a sheet
_FORMULA_PARTS = re.compile(
    r'"(?:[^"]|"")*"'  # a text, left alone
    r"|'(?:[^']|'')*'"  # a quoted sheet name
    r"|\[[^\]]*\]"  # a workbook index [1] or a table column [Evidence]
    r"|(?<![\w.$])(\$?)([A-Z]{1,3})(\$?)([0-9]{1,7})(?![\w(!])"  # a cell: A1, $A1, A$1, $A$1
    r"|(?<![\w.$:])(\$?)([A-Z]{1,3}):(\$?)([A-Z]{1,3})(?![\w(!:])"  # whole columns: A:C
    r"|(?<![\w.$:])(\$?)([0-9]{1,7}):(\$?)([0-9]{1,7})(?![\w(!.:])"  # whole rows: 2:4
)


def shift_formula(text: str, rows: int, cols: int) -> str:
    """A formula as it reads *rows* down and *cols* right of where *text* is written (a shared
    formula filled down or across): relative references move, absolute ($) ones stay, texts and
    sheet names are left alone, and a reference moved off the sheet is #REF!, as in Excel."""

    def column(dollar: str, letters: str) -> str | None:
        n = column_number(letters) + (0 if dollar else cols)
        return dollar + column_letters(n) if 1 <= n <= _MAX_COLUMNS else None

    def row(dollar: str, digits: str) -> str | None:
        n = int(digits) + (0 if dollar else rows)
        return dollar + str(n) if 1 <= n <= _MAX_ROWS else None

    def moved(m: re.Match[str]) -> str:
        g = m.groups()
        if g[1] is not None:
            if column_number(g[1]) > _MAX_COLUMNS:  # past column XFD: a name such as XFE1, not a cell
                return m.group()
            parts = [column(g[0], g[1]), row(g[2], g[3])]
            sep = ""
        elif g[5] is not None:
            parts, sep = [column(g[4], g[5]), column(g[6], g[7])], ":"
        elif g[9] is not None:
            parts, sep = [row(g[8], g[9]), row(g[10], g[11])], ":"
        else:
            return m.group()
        if None in parts:
            return "#REF!"
        return sep.join(p for p in parts if p is not None)

    return _FORMULA_PARTS.sub(moved, text) if rows or cols else text


# Built-in number formats that show a date or a time (ECMA-376 18.8.30 and the East Asian ids).
# 46 ([h]:mm:ss) is an elapsed time, a duration, not a point in time: it stays a number.
DATE_FORMAT_IDS = frozenset({*range(14, 23), *range(27, 37), 45, 47, *range(50, 59)})
# The codes of the built-in number formats a cell may name by id alone (ECMA-376 18.8.30).
BUILTIN_FORMATS = {
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
}
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]', re.S)
_ELAPSED = re.compile(r"\[(h+|m+|s+)\]", re.I)
_DATE_TOKENS = re.compile(r"[dmyhsb]", re.I)


def is_date_format(code: str) -> bool:
    """Whether a number format code shows a date or time: a d, m, y, h, s (or Buddhist-era b)
    outside quoted text, [brackets] and escaped characters. Elapsed times ([h]:mm) are durations."""
    section = code.split(";", 1)[0]
    if _ELAPSED.search(section):
        return False
    return bool(_DATE_TOKENS.search(_FORMAT_NOISE.sub("", section)))


EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system
_EXCEL_1900_EARLY = dt.datetime(1899, 12, 31)  # before the 1900-02-29 that never was
_EXCEL_1904 = dt.datetime(1904, 1, 1)
_MAX_SERIAL = 2_958_466  # 10000-01-01 in the 1900 date system; 1904 serials overflow a little before


def excel_date(serial: float, date1904: bool = False) -> dt.date | dt.datetime | float:
    """The date (or date and time) an Excel serial number stands for in a date-formatted cell.

    1900 system: a serial under 1 is a time of day without a date, and stays a number; serials
    before 1 March 1900 are one day off (Excel's 1900 leap-year bug), as Excel and openpyxl show
    them. 1904 system: serial 0 is 1904-01-01. A serial outside the calendar (before its start,
    after 9999-12-31) is not a date and stays a number.
    """
    if not ((0 if date1904 else 1) <= serial < _MAX_SERIAL):  # NaN and infinity too
        return serial
    day, fraction = divmod(serial, 1)
    base = _EXCEL_1904 if date1904 else _EXCEL_1900_EARLY if serial < 60 else EXCEL_EPOCH
    try:
        value = base + dt.timedelta(days=int(day), milliseconds=round(fraction * 86_400_000))
    except OverflowError:  # past 9999-12-31
        return serial
    if value.time() == dt.time(0):
        return value.date()
    return value


_ISO = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?)?(?:Z|[+-]\d\d:?\d\d)?")


def iso_date(text: str) -> dt.date | dt.datetime | None:
    """The date (or date and time) of an ISO 8601 text such as 2024-01-15 or 2024-01-15T10:30:00."""
    m = _ISO.fullmatch(text.strip())
    if m is None:
        return None
    y, mo, d, h, mi, s, frac = m.groups()
    try:
        if h is None:
            return dt.date(int(y), int(mo), int(d))
        micro = int((frac or "0")[:6].ljust(6, "0"))
        value = dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), micro)
    except ValueError:
        return None
    return value.date() if value.time() == dt.time(0) else value


def ods_time(text: str) -> float | None:
    """An ODF duration (PT12H30M00S) as a fraction of a day, as a spreadsheet holds a time."""
    m = re.fullmatch(r"-?P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?", text.strip())
    if m is None:
        return None
    d, h, mi, s = (float(x) if x else 0.0 for x in m.groups())
    value = (d * 86400 + h * 3600 + mi * 60 + s) / 86400
    return -value if text.strip().startswith("-") else value


def cell_name(row: int, col: int) -> str:
    """A1 reference of a 1-based (row, column)."""
    return f"{column_letters(col)}{row}"
