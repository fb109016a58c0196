"""Read the criteria table of a return: the sheet found by its headers, each criterion's row checked
against the catalogue, its answer, evidence and comments taken as typed."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rai_xl.core.text import clean, short
from rai_xl.issues import ERROR, WARNING, Issue, Msg
from rai_xl.layouts import questionnaire as ids
from rai_xl.method.catalogue import Catalogue
from rai_xl.read.answers import check_answer
from rai_xl.read.cells import cell_text, typed_text
from rai_xl.read.spreadsheet import Cell, Sheet, Workbook, cell_name, read_workbook

HEADER_SCAN_ROWS = 20
_CRITERION_ID = re.compile(r"Q\d+", re.IGNORECASE)


@dataclass(frozen=True)
class CriteriaTable:
    """What the criteria sheet holds, by criterion id (answer codes; evidence and comments as typed;
    the answer's cell, e.g. D5), and what is wrong with it. *prefilled*: written with last round's
    answers in place (a pre-fill column is there)."""

    answers: dict[str, str]
    evidence: dict[str, str]
    comments: dict[str, str]
    answer_cells: dict[str, str]
    prefilled: bool
    issues: list[Issue]


def header(sheet: Sheet) -> tuple[int, dict[str, int]]:
    """The row naming the columns 'ID' and 'Answer' in the first rows of *sheet*, and {header: column}."""
    for row in range(1, HEADER_SCAN_ROWS + 1):
        heads = {
            clean(str(c.value)).casefold(): col
            for (r, col), c in sheet.cells.items()
            if r == row and isinstance(c.value, str)
        }
        if ids.ID_HEADER.casefold() in heads and ids.ANSWER_HEADER.casefold() in heads:
            return row, heads
    return 0, {}


def renamed_criteria(data: bytes, wb: Workbook) -> tuple[Workbook, Issue | None]:
    """When the 'Criteria' sheet is gone, the sheet that holds the criteria table under another name
    (a copy renamed 'Criteria (2)' by a spreadsheet program), read as the criteria sheet and said."""
    if wb.sheet(ids.SHEET_CRITERIA) is not None or all(s.name in ids.SHEETS for s in wb.sheets):
        return wb, None
    whole = read_workbook(data)
    found = next((s for s in whole.sheets if s.name not in ids.SHEETS and header(s)[0]), None)
    if found is None:
        return wb, None
    sheets = [replace(s, name=ids.SHEET_CRITERIA) if s is found else s for s in whole.sheets]
    issue = Issue(WARNING, found.name, "", "", Msg.CRITERIA_RENAMED.format(sheet=found.name))
    return replace(whole, sheets=sheets), issue


def read_criteria(wb: Workbook, catalogue: Catalogue) -> CriteriaTable:
    """Every criterion's row of the criteria sheet, checked: its ID, its text, its answer."""
    name = ids.SHEET_CRITERIA
    sheet = wb.sheet(name)
    if sheet is None:
        expected = ", ".join((ids.SHEET_RESPONDENT, ids.SHEET_CRITERIA))
        return _unread(Issue(ERROR, name, "", "", Msg.MISSING_SHEET.format(sheet=name, expected=expected)))
    header_row, heads = header(sheet)
    if not header_row:
        return _unread(Issue(ERROR, name, "", "", Msg.NO_HEADER.format(rows=HEADER_SCAN_ROWS)))
    answers: dict[str, str] = {}
    evidence: dict[str, str] = {}
    comments: dict[str, str] = {}
    answer_cells: dict[str, str] = {}
    issues = []
    id_col, answer_col = heads[ids.ID_HEADER.casefold()], heads[ids.ANSWER_HEADER.casefold()]
    text_col = heads.get(ids.CRITERION_HEADER.casefold())
    evidence_col = heads.get(ids.EVIDENCE_HEADER.casefold())
    comments_col = heads.get(ids.COMMENTS_HEADER.casefold())
    for column, found in ((ids.EVIDENCE_HEADER, evidence_col), (ids.COMMENTS_HEADER, comments_col)):
        if found is None:
            issues.append(Issue(WARNING, name, cell_name(header_row, 1), "", Msg.MISSING_COLUMN.format(column=column)))
    rows, row_issues = _criterion_rows(sheet, header_row, id_col, catalogue)
    issues += row_issues
    for c in catalogue.criteria:
        if c.id not in rows:
            issues.append(Issue(ERROR, name, "", c.id, Msg.MISSING_ROW.format(criterion=c.id)))
            continue
        row = rows[c.id]
        if text_col:
            typed = cell_text(sheet.cells.get((row, text_col)))
            if typed != c.question and clean(typed) != clean(c.question):
                edited = Msg.TEXT_EDITED.format(found=short(typed), expected=short(c.question))
                issues.append(Issue(ERROR, name, cell_name(row, text_col), c.id, edited))
        answer_cells[c.id] = cell_name(row, answer_col)
        code, said = check_answer(c, sheet.cells.get((row, answer_col)), cell_name(row, answer_col), catalogue)
        if code is not None:
            answers[c.id] = code
        issues += said
        if evidence_col:
            evidence[c.id] = _free_text(sheet.cells.get((row, evidence_col)))
        if comments_col:
            comments[c.id] = _free_text(sheet.cells.get((row, comments_col)))
    prefilled = any(ids.PREFILL_HEADER.fullmatch(h) for h in heads)
    return CriteriaTable(answers, evidence, comments, answer_cells, prefilled, issues)


def _unread(issue: Issue) -> CriteriaTable:
    """The table of a criteria sheet that cannot be read: nothing but *issue*."""
    return CriteriaTable({}, {}, {}, {}, False, [issue])


def _criterion_rows(sheet: Sheet, header_row: int, id_col: int, catalogue: Catalogue) -> tuple[dict[str, int], list[Issue]]:
    """{criterion id: its row} from the ID column, and the IDs that are unknown or repeated."""
    known = {c.id for c in catalogue.criteria}
    rows: dict[str, int] = {}
    issues = []
    for (row, col), cell in sorted(sheet.cells.items()):
        if col != id_col or row <= header_row or not isinstance(cell.value, str):
            continue
        value = clean(cell.value)
        if not _CRITERION_ID.fullmatch(value):
            continue
        cid = value.upper()
        if cid not in known:
            issues.append(Issue(ERROR, sheet.name, cell_name(row, col), "", Msg.UNKNOWN_ID.format(value=value)))
        elif cid in rows:
            again = Msg.DUPLICATE_ROW.format(criterion=cid, first=rows[cid])
            issues.append(Issue(ERROR, sheet.name, cell_name(row, col), cid, again))
        else:
            rows[cid] = row
    return rows, issues


def _free_text(cell: Cell | None) -> str:
    """Evidence and comments exactly as the official typed them (spaces at the ends kept) and saw them:
    a formula's value with the formula's text beside it (never run), its text alone when the file keeps
    no value or an error value."""
    return typed_text(cell)


def check_lists(wb: Workbook, catalogue: Catalogue) -> list[Issue]:
    """A warning for each criterion whose answer labels on the hidden Lists sheet were changed."""
    lists = wb.sheet(ids.SHEET_LISTS)
    if lists is None:
        return []
    col = ids.LISTS_ANSWER_COLUMN
    issues = []
    for i, c in enumerate(catalogue.criteria):
        first = ids.lists_answer_row(i)
        found = tuple(cell_text(lists.cells.get((first + j, col))) for j in range(3))
        if found != c.labels:
            issues.append(
                Issue(WARNING, ids.SHEET_LISTS, cell_name(first, col), c.id, Msg.LISTS_CHANGED.format(criterion=c.id))
            )
    return issues
