"""The writer kit every workbook rai-xl writes goes through: formats, safe text, checked writes."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import CellFormulaTuple, Worksheet

from rai_xl.read.spreadsheet import EXCEL_EPOCH
from rai_xl.write.outputs import checked
from rai_xl.write.packager import TwoCorePackager
from rai_xl.write.styles import NAVY, SHARED

MAX_ROW_HEIGHT = 409  # points: Excel's limit
MAX_URL = 2079  # characters of a hyperlink's address: Excel's limit
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def needs_quote(text: str) -> bool:
    """Whether text a person typed must carry Excel's quote prefix: without it, a cell starting like a
    formula becomes one when someone edits it (F2, Enter) in Excel."""
    return text.startswith(DANGEROUS_START)


TIER_FILL = {"Advanced": "#C6EFCE", "Promising": "#FFEB9C", "Emerging": "#F8CBAD"}  # .get(tier, ""): no tier, no fill
LINE_HEIGHT = 15  # points per line of 11-point text
SMALL_LINE_HEIGHT = 13  # points per line of SMALL_FONT-point text
SMALL_FONT = 10  # the size of small print (a style with "font_size": SMALL_FONT)
FILL_RATIO = 1.0  # characters of ordinary text a column holds per unit of width, with room for word wrap
BAND_RATIO = 0.85  # of FILL_RATIO: what a band's line holds, in bold type and never wider than its columns
POINT_FILL = {3.0: "#C6EFCE", 1.5: "#FFEB9C", 0.0: "#F8CBAD"}
BASE: dict[str, dict[str, Any]] = {
    **SHARED,
    "subtitle": {"font_size": 11, "font_color": "#404040", "text_wrap": True, "valign": "top"},
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
    "subgroup": {"bold": True, "bg_color": "#F2F2F2", "border": 1, "text_wrap": True, "valign": "top"},
    "carried": {
        "bold": True,
        "bg_color": "#FCE4D6",
        "font_color": "#833C0B",
        "border": 1,
        "text_wrap": True,
        "valign": "vcenter",
    },
    "cell": {"text_wrap": True, "valign": "top", "border": 1},
    "bold": {"bold": True, "text_wrap": True, "valign": "top", "border": 1},
    "center": {"align": "center", "valign": "top", "border": 1, "text_wrap": True},
    "score": {"align": "center", "valign": "top", "border": 1, "num_format": "0.0"},
    "changed": {
        "align": "center",
        "valign": "top",
        "num_format": "0.0",
        "bold": True,
        "border": 2,
        "border_color": NAVY,
    },
    "move": {"bold": True, "valign": "vcenter", "border": 1, "text_wrap": True, "font_size": 12},
    "change": {"align": "center", "valign": "top", "border": 1, "num_format": "+0.0;-0.0;0.0", "bold": True},
    "edit": {"text_wrap": True, "valign": "top", "border": 1, "bg_color": "#FFF2CC", "locked": False},
    "edittext": {"text_wrap": True, "valign": "top", "border": 1, "bg_color": "#FFF2CC", "locked": False, "num_format": "@"},
    "key": {"font_color": "#808080", "locked": True},
    "date": {"valign": "top", "border": 1, "bg_color": "#FFF2CC", "locked": False, "num_format": "yyyy-mm-dd"},
    "tabledate": {"text_wrap": True, "valign": "top", "border": 1, "num_format": "yyyy-mm-dd"},
    "mono": {"font_name": "Consolas", "font_size": 8, "valign": "top", "border": 1},
    "muted": {"align": "center", "valign": "top", "border": 1, "font_color": "#808080", "bg_color": "#F2F2F2"},
}


def in_memory_workbook() -> tuple[xlsxwriter.Workbook, io.BytesIO]:
    """A workbook built in memory, to be written in one go from the buffer (a failed write is then a plain
    OSError, with no half-closed zip behind); text is always written as text, never as a formula, link or number."""
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "in_memory": True}
    return _Workbook(buffer, options), buffer


class _Workbook(xlsxwriter.Workbook):
    def _get_packager(self) -> TwoCorePackager:  # xlsxwriter's way to give a workbook another packager
        return TwoCorePackager()


PLAIN = ""  # the style name of a cell with no format of its own (on a hidden sheet); quote-prefixed when needed


class Styles:
    """Formats created once per workbook from one style *table* (a workbook's look: BASE unless given);
    tier and point colours and quote-prefixed text variants."""

    def __init__(self, wb: xlsxwriter.Workbook, table: dict[str, dict[str, Any]] | None = None) -> None:
        self.wb = wb
        self.table = BASE if table is None else table
        self.cache: dict[tuple[str, str, bool, str], Any] = {}
        self.variants: dict[tuple[str, bool, tuple[tuple[str, Any], ...]], Any] = {}

    def __call__(self, name: str, fill: str = "", quote: bool = False, num_format: str = "") -> Any:
        if name == PLAIN and not (fill or quote or num_format):
            return None
        key = (name, fill, quote, num_format)
        if key not in self.cache:
            props = dict(self.table[name]) if name != PLAIN else {}
            if fill:
                props["bg_color"] = fill
            if quote:
                props["quote_prefix"] = True
            if num_format:
                props["num_format"] = num_format
            self.cache[key] = self.wb.add_format(props)
        return self.cache[key]

    def variant(self, name: str, quote: bool = False, **changes: Any) -> Any:
        """Style *name* with some of its properties changed (a band's cell: its own borders, no wrap)."""
        key = (name, quote, tuple(sorted(changes.items())))
        if key not in self.variants:
            props = {k: v for k, v in self.table[name].items() if k not in changes and k != "border"}
            if "border" in self.table[name]:
                props |= dict.fromkeys(("top", "bottom", "left", "right"), self.table[name]["border"])
            props |= changes
            if quote:
                props["quote_prefix"] = True
            self.variants[key] = self.wb.add_format(props)
        return self.variants[key]


class PlainFormulaWorksheet(Worksheet):
    """xlsxwriter's worksheet without its rewriting of Excel 365 function names in formulas, nor its search of
    every formula for a dynamic array function.

    That rewriting runs about 30 regular expressions per formula and made the Checklist table's
    15,000 formulas cost 0.7 s; the search, one more regular expression over each whole formula, was still
    a third of the time xlsxwriter took to take the Checklist's cells. The formulas written here are cell
    references, IF, ISBLANK, INDEX, MATCH, COUNTA, COUNTIF and SUM only: none is a dynamic array function
    or one Excel 365 added (tests/test_golden.py compares every formula written).
    """

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        return formula.removeprefix("=")

    # rai-xl names every cell by its row and column numbers, never "A1": the public writes go straight to
    # xlsxwriter's undecorated ones, without the decorator that reads "A1" references (4 % of writing).
    def write_string(self, row: int, col: int, string: str, cell_format: Any = None) -> int:
        return int(self._write_string(row, col, string, cell_format))

    def write_number(self, row: int, col: int, number: float, cell_format: Any = None) -> int:
        return int(self._write_number(row, col, number, cell_format))

    def write_blank(self, row: int, col: int, blank: Any, cell_format: Any = None) -> int:
        return int(self._write_blank(row, col, blank, cell_format))

    def write_formula(self, row: int, col: int, formula: str, cell_format: Any = None, value: Any = 0) -> int:
        return self._write_formula(row, col, formula, cell_format, value)

    def _write_formula(self, row: int, col: int, formula: str, cell_format: Any = None, value: Any = 0) -> int:
        if not formula or formula.startswith("{"):  # refused, or an array formula: xlsxwriter's own way
            return int(super()._write_formula(row, col, formula, cell_format, value))
        if self._check_dimensions(row, col):
            return -1
        if self.constant_memory and row > self.previous_row:
            self._write_single_row(row)
        self.table[row][col] = CellFormulaTuple(self._prepare_formula(formula), cell_format, value)
        return 0


class SheetWriter:
    """One worksheet: every write checked, user text always written as text (never a formula or link)."""

    def __init__(self, ws: Worksheet, st: Styles) -> None:
        self.ws = ws
        self.st = st
        self.name = ws.name
        self.widths: list[float] = []

    def title(self, value: str) -> None:
        """A sheet to be read: no gridlines, *value* as its title in A1, on a taller first row."""
        sheet_title(self.ws, value, self.st("title", quote=needs_quote(value)))

    def text(self, row: int, col: int, value: str, style: str = "cell", fill: str = "") -> None:
        fmt = self.st(style, fill, quote=needs_quote(value))
        self._check(self.ws.write_string(row, col, value, fmt), "text", row, col)

    def link(self, row: int, col: int, url: str, value: str, style: str = "cell") -> None:
        """Text a person typed, with the hyperlink they put on its cell: the text stays text; a link Excel
        cannot hold (too long, or not an address) leaves the text, the address said in a comment."""
        if not value:
            value = url
        target = f"internal:{url[1:]}" if url.startswith("#") else url
        fmt = self.st(style, quote=needs_quote(value))
        fits = len(target) <= MAX_URL and ":" in target and not any(c in target for c in "\n\r\t")
        if fits and not self.ws.write_url(row, col, target, fmt, value):
            return
        self.text(row, col, value, style)
        self.comment(row, col, f"Link: {url}")

    def number(self, row: int, col: int, value: float, style: str = "score", fill: str = "") -> None:
        self._check(self.ws.write_number(row, col, value, self.st(style, fill)), "number", row, col)

    def blank(self, row: int, col: int, style: str = "cell", fill: str = "") -> None:
        self._check(self.ws.write_blank(row, col, None, self.st(style, fill)), "blank", row, col)

    def _check(self, rc: int | None, what: str, row: int, col: int) -> None:
        if rc:  # 0 or None: written
            checked(rc, f"{what} at {self.name}!R{row + 1}C{col + 1}")

    def value(
        self, row: int, col: int, value: Any, style: str = "cell", date_style: str = "tabledate", num_format: str = ""
    ) -> None:
        """Any value as what it is: text as text, numbers, booleans, dates as dates, (formula, cached value);
        a number or date shown in *num_format* when given."""
        if isinstance(value, tuple):
            formula, cached = value
            fmt = self.st(date_style if isinstance(cached, date) else style, num_format=num_format)
            if isinstance(cached, date):
                cached = _serial(cached)
            self._check(self.ws.write_formula(row, col, formula, fmt, cached), "formula", row, col)
        elif isinstance(value, bool):
            self._check(self.ws.write_boolean(row, col, value, self.st(style)), "boolean", row, col)
        elif isinstance(value, date):
            fmt = self.st(date_style, num_format=num_format)
            self._check(self.ws.write_datetime(row, col, _as_datetime(value), fmt), "date", row, col)
        elif isinstance(value, int | float):
            self._check(self.ws.write_number(row, col, value, self.st(style, num_format=num_format)), "number", row, col)
        elif value is None or value == "":
            self.blank(row, col, style)
        else:
            self.text(row, col, str(value), style)

    def span(self, row: int, first: int, last: int, value: str, style: str = "cell", fill: str = "") -> None:
        """Text across columns first..last (merged when more than one); never a formula."""
        if first == last:
            self.text(row, first, value, style, fill)
            return
        self.merge((row, row), (first, last), value, style, fill)

    def heading(self, row: int, value: str) -> int:
        """A section's heading in column A of *row*; returns the next row."""
        self.text(row, 0, value, "heading")
        return row + 1

    def paragraph(self, row: int, first: int, last: int, value: str, style: str = "cell") -> int:
        """Text across columns first..last, the row tall enough for it to wrap whole; returns the next row."""
        self.span(row, first, last, value, style)
        self.fit(row, [(value, first, last)])
        return row + 1

    def band(self, row: int, first: int, last: int, value: str, style: str) -> int:
        """A heading across columns first..last with no merged cell, so that the rows around it can be sorted
        and filtered: each line of its text in the first cell, unwrapped, showing over the blank cells beside it,
        on as many rows as it needs, the rows bordered as one band; returns the next row."""
        shown = split_lines(value, max(1, int(per_line(sum(self.widths[first : last + 1])) * BAND_RATIO)))
        for i, line in enumerate(shown):
            edges = {"text_wrap": False, "valign": "vcenter", "top": int(i == 0), "bottom": int(i == len(shown) - 1)}
            for col in range(first, last + 1):
                fmt = self.st.variant(
                    style, col == first and needs_quote(line), **edges, left=int(col == first), right=int(col == last)
                )
                if col == first:
                    self._check(self.ws.write_string(row, col, line, fmt), "text", row, col)
                else:
                    self._check(self.ws.write_blank(row, col, None, fmt), "blank", row, col)
            self.height(row, LINE_HEIGHT + 5)
            row += 1
        return row

    def merge(self, rows: tuple[int, int], cols: tuple[int, int], value: str, style: str, fill: str = "") -> None:
        """Text over a block of rows and columns; never a formula."""
        fmt = self.st(style, fill, quote=needs_quote(value))
        checked(self.ws.merge_range(rows[0], cols[0], rows[1], cols[1], "", fmt), f"merge at {self.name}!R{rows[0] + 1}")
        self._check(self.ws.write_string(rows[0], cols[0], value, fmt), "text", rows[0], cols[0])

    def hide_columns(self, first: int, last: int) -> None:
        checked(self.ws.set_column(first, last, None, None, {"hidden": True}), f"hidden columns on {self.name}")

    def chart(self, row: int, col: int, chart: Any, options: dict[str, Any] | None = None) -> None:
        checked(self.ws.insert_chart(row, col, chart, options or {}), f"chart on {self.name}")

    def comment(self, row: int, col: int, value: str) -> None:
        checked(self.ws.write_comment(row, col, value), f"comment at {self.name}!R{row + 1}C{col + 1}")

    def table(self, last_row: int, heads: tuple[str, ...], name: str) -> None:
        """An Excel table (ListObject) from A1 over *heads*, down to *last_row*."""
        options = {"name": name, "columns": [{"header": h} for h in heads], "style": "Table Style Light 9"}
        checked(self.ws.add_table(0, 0, last_row, len(heads) - 1, options), f"table {name}")

    def height(self, row: int, points: float) -> None:
        checked(self.ws.set_row(row, min(points, MAX_ROW_HEIGHT)), f"row height {self.name}!{row + 1}")

    def columns(self, widths: Sequence[float]) -> None:
        self.widths = list(widths)
        for i, w in enumerate(widths):
            self.width(i, i, w)

    def width(self, first: int, last: int, width: float) -> None:
        """Columns first..last *width* wide (a sheet whose columns are not all set by `columns`)."""
        checked(self.ws.set_column(first, last, width), f"column width {self.name}!C{first + 1}")

    def fit(
        self, row: int, cells: Sequence[tuple[str, int, int]], least: int = 1, small: Sequence[tuple[str, int, int]] = ()
    ) -> None:
        """Make *row* tall enough for each (text, first column, last column) to wrap whole, generously: *cells*
        in ordinary type, at least *least* lines of it, and *small* in small print (SMALL_FONT)."""
        need = least
        for text, first, last in cells:
            need = max(need, lines(text, per_line(sum(self.widths[first : last + 1]))))
        points = LINE_HEIGHT * need
        for text, first, last in small:
            points = max(points, SMALL_LINE_HEIGHT * lines(text, per_line(sum(self.widths[first : last + 1]), SMALL_FONT)))
        self.height(row, points + 5)

    def freeze(self, row: int, col: int) -> None:
        """Rows above *row* and columns left of *col* stay in view; the row above *row* (the header) is printed
        on every page."""
        self.ws.freeze_panes(row, col)
        self.ws.repeat_rows(row - 1)

    def formula(self, row: int, col: int, formula: str, cached: Any, style: str = "cell") -> None:
        """A formula with the value it shows as its cache (what a reader without a calculator sees)."""
        self._check(self.ws.write_formula(row, col, formula, self.st(style), cached), "formula", row, col)

    def autofilter(self, first: int, last: int, first_col: int, last_col: int) -> None:
        checked(self.ws.autofilter(first, first_col, last, last_col), f"autofilter on {self.name}")

    def print_only(self, first: int, last: int, first_col: int, last_col: int) -> None:
        """Print only this block of the sheet."""
        checked(self.ws.print_area(first, first_col, last, last_col), f"print area on {self.name}")

    def header(self, row: int, heads: list[str], height: int = 30) -> None:
        for col, head in enumerate(heads):
            self.text(row, col, head, "header")
        self.height(row, height)

    def headers(self, row: int, spans: list[tuple[int, int, str]], height: int = 30) -> None:
        """A header row of (first column, last column, text) spans."""
        for first, last, head in spans:
            self.span(row, first, last, head, "header")
        self.height(row, height)

    def list_validation(self, first: int, last: int, col: int, items: list[str], title: str) -> None:
        """One list validation over rows first..last of *col*."""
        message = f"Choose a {title.lower()} from the list."
        rule = {"validate": "list", "source": items, "error_title": title, "error_message": message}
        validation(self.ws, first, last, col, rule, f"validation on {self.name}")


def sheet_title(ws: Worksheet, value: str, fmt: Any) -> None:
    """No gridlines, *value* as the sheet's title in A1 (in *fmt*), on a taller first row."""
    ws.hide_gridlines(2)
    checked(ws.write_string(0, 0, value, fmt), f"title of {ws.name}")
    checked(ws.set_row(0, 24), f"title row of {ws.name}")


def validation(ws: Worksheet, first: int, last: int, col: int, rule: dict[str, Any], what: str) -> None:
    """A data validation over rows first..last of *col* that stops an entry breaking *rule* (xlsxwriter's
    options); *what* names it should xlsxwriter refuse it."""
    checked(ws.data_validation(first, col, last, col, {**rule, "error_type": "stop"}), what)


def per_line(width: float, font_size: int = 11) -> int:
    """Characters of ordinary text a column *width* wide holds on a line, in *font_size*-point type."""
    return max(1, int(width * FILL_RATIO * 11 / font_size))


def split_lines(text: str, chars_per_line: int) -> list[str]:
    """*text* broken into lines of at most about *chars_per_line* characters, word by word (at its own line
    breaks too); a word longer than a line stays whole on its own."""
    out: list[str] = []
    for part in text.split("\n"):
        line = ""
        for word in part.split(" "):
            if line and len(line) + 1 + len(word) > chars_per_line:
                out.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        out.append(line)
    return out


def lines(text: str, chars_per_line: int) -> int:
    """Wrapped lines *text* needs in a column holding about *chars_per_line* characters (word by word)."""
    if len(text) <= chars_per_line and "\n" not in text:  # most cells: one line, whatever its words
        return 1
    total = 0
    for part in text.split("\n"):
        count, used = 1, 0
        for word in part.split(" "):
            size = len(word)
            if used and used + 1 + size > chars_per_line:
                count, used = count + 1, 0
            used += size + (1 if used else 0)
            while used > chars_per_line:  # a word longer than the line breaks
                count, used = count + 1, used - chars_per_line
        total += count
    return total


def page_setup(ws: Worksheet, title: str, pages_tall: int = 0, portrait: bool = False) -> None:
    """A4 landscape (or portrait), one page wide (at most *pages_tall* pages tall when given), a footer."""
    if portrait:
        ws.set_portrait()
    else:
        ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, pages_tall)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer(f"&L{title}&CPage &P of &N&R&A")


def _as_datetime(value: date) -> datetime:
    return value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)


def _serial(value: date) -> float:
    """Excel's day number of a date (the cached value of a formula that shows one)."""
    delta = _as_datetime(value) - EXCEL_EPOCH
    return delta.days + delta.seconds / 86400
