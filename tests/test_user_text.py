"""`rai-xl consolidate`: text a person typed (evidence, comments, the respondent's details) is written as text, never
as a formula or a link."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from rai_xl.layouts import questionnaire as ids
from rai_xl.method.catalogue import Catalogue
from rai_xl.read.returns import read_return
from tests.helpers import (
    LA_POINTS,
    consolidate,
    labels_for,
)

# ---------------------------------------------------------------- helpers


def write_text(path: Path, sheet: str, where: Callable[[Worksheet], tuple[int, int]], value: str) -> None:
    """Type *value* into a return as a text cell (an '=...' string stays a string, as a careful client keeps it)."""
    wb = load_workbook(path)
    ws = wb[sheet]
    row, col = where(ws)
    cell = ws.cell(row, col)
    cell.value = value
    cell.data_type = "s"
    wb.save(path)


def criteria_cell(cid: str, header: str) -> Callable[[Worksheet], tuple[int, int]]:
    def where(ws: Worksheet) -> tuple[int, int]:
        heads = {c.value: c.column for c in ws[1]}
        row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[heads["ID"] - 1].value == cid)
        return row, heads[header]

    return where


def respondent_cell(key: str) -> Callable[[Worksheet], tuple[int, int]]:
    label = dict(ids.RESPONDENT_FIELDS)[key]

    def where(ws: Worksheet) -> tuple[int, int]:
        return next(r[0].row for r in ws.iter_rows(max_col=1) if r[0].value == label), 2

    return where


# ---------------------------------------------------------------- formula injection


PAYLOADS = {
    "evidence_eq": '=HYPERLINK("http://evil.example","click")',
    "evidence_plus": "+cmd|' /C calc'!A0",
    "evidence_minus": "-2+3+cmd|' /C calc'!A0",
    "evidence_at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "name": "=1+1+cmd|' /C calc'!A0",
    "agency": "@SUM(9)",
    "position": "-1+2",
    "date": "+2026-03-31",
    "comment": '=WEBSERVICE("http://evil.example")',
}


def test_user_text_written_as_text(make_return: Callable[..., Path], catalogue: Catalogue, tmp_path: Path) -> None:
    points = dict(LA_POINTS)
    path = make_return(
        "la.xlsx",
        "LA",
        answers=labels_for(catalogue, points),
        evidence={
            "Q5": PAYLOADS["evidence_eq"],  # lost points: on the country sheet and in Answers
            "Q7": PAYLOADS["evidence_plus"],
            "Q8": PAYLOADS["evidence_minus"],
            "Q1": PAYLOADS["evidence_at"],  # full points: in Answers only
        },
    )
    write_text(path, ids.SHEET_RESPONDENT, respondent_cell("name"), PAYLOADS["name"])
    write_text(path, ids.SHEET_RESPONDENT, respondent_cell("agency"), PAYLOADS["agency"])
    write_text(path, ids.SHEET_RESPONDENT, respondent_cell("position"), PAYLOADS["position"])
    write_text(path, ids.SHEET_RESPONDENT, respondent_cell("date_completed"), PAYLOADS["date"])
    write_text(path, ids.SHEET_CRITERIA, criteria_cell("Q9", "Comments"), PAYLOADS["comment"])
    sub = read_return(path, catalogue)
    assert sub.evidence["Q5"] == PAYLOADS["evidence_eq"] and sub.respondent["name"] == PAYLOADS["name"]

    out = tmp_path / "out" / "regional.xlsx"
    out.parent.mkdir()
    assert consolidate(tmp_path, out).exit_code == 0

    with zipfile.ZipFile(out) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        formulas = [f for n in sheets for f in re.findall(r"<f[^>]*>(.*?)</f>", z.read(n).decode())]
        assert formulas  # the Checklist Status cells are formulas: the search is looking at the right parts
        shared = {"".join(si.itertext()) for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml"))}
        links = [n for n in z.namelist() if n.endswith(".rels") and b"hyperlink" in z.read(n).lower()]
    for key, payload in PAYLOADS.items():
        core = payload.lstrip("=+-@")[:8]
        assert not any(core in f for f in formulas), (key, [f for f in formulas if core in f])
    assert not links

    wb = load_workbook(out)
    answers = {r[1].value: r[4] for r in wb["Answers"].iter_rows(min_row=2) if r[0].value == "LA"}
    for cid, key in (("Q5", "evidence_eq"), ("Q7", "evidence_plus"), ("Q8", "evidence_minus"), ("Q1", "evidence_at")):
        assert answers[cid].value == PAYLOADS[key]
        assert answers[cid].data_type == "s"
        assert answers[cid].quotePrefix
    country = wb["Lao PDR profile"]
    shown = {c.value: c for row in country.iter_rows() for c in row if isinstance(c.value, str)}
    for key in ("evidence_eq", "evidence_plus"):  # merged cells on the profile
        assert shown[PAYLOADS[key]].data_type == "s" and shown[PAYLOADS[key]].quotePrefix, key
    subs = {c.value: c for row in wb["Submissions"].iter_rows() for c in row if isinstance(c.value, str)}
    for key in ("name", "agency"):
        assert subs[PAYLOADS[key]].data_type == "s" and subs[PAYLOADS[key]].quotePrefix, key
    # every payload that reached the workbook sits in the shared strings, as text
    for key in ("evidence_eq", "evidence_plus", "evidence_minus", "evidence_at", "name", "agency"):
        assert PAYLOADS[key] in shared, key
