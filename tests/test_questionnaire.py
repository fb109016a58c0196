"""The questionnaire workbook, read back the way other tools and clients see it (openpyxl and the raw zip)."""

from __future__ import annotations

import importlib.util
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
import xlsxwriter.worksheet
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from rai_xl.layouts import questionnaire as ids
from rai_xl.method.catalogue import Catalogue, Country
from rai_xl.method.scoring import assess
from rai_xl.write.outputs import WriterRefused
from rai_xl.write.questionnaire import CHECKED_LATER, file_name, summary_cells, write_questionnaire
from tests.helpers import run_cli

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "workbook_templates"
YEAR = 2026
VISIBLE = (ids.SHEET_START, ids.SHEET_RESPONDENT, ids.SHEET_CRITERIA, ids.SHEET_SUMMARY)
SHEETS = (*VISIBLE, ids.SHEET_LISTS)
HEADERS = ("ID", "Criterion", "How it is scored", "Answer", "Points", "Evidence / source documents", "Comments")
CODES = "BN KH ID LA MY MM PH SG TH TL VN"
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# Which cells a respondent types into; everything else must be locked.
RESPONDENT_INPUTS = ("agency", "name", "position", "email", "date_completed")


# --- fixtures -------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> dict[str | None, Path]:
    """{country code or None: path} for the Lao PDR and the generic (no country) questionnaires."""
    out = tmp_path_factory.mktemp("questionnaires")
    paths: dict[str | None, Path] = {}
    for code in ("LA", None):
        country = catalogue.country(code) if code else None
        paths[code] = out / file_name(country, YEAR)
        write_questionnaire(catalogue, paths[code], country=country, year=YEAR)
    return paths


@pytest.fixture(scope="module")
def books(written: dict[str | None, Path]) -> dict[str | None, Workbook]:
    return {code: openpyxl.load_workbook(path) for code, path in written.items()}


@pytest.fixture(scope="module")
def cached(written: dict[str | None, Path]) -> dict[str | None, Workbook]:
    """The same workbooks as a non-recalculating viewer sees them: cached formula values."""
    return {code: openpyxl.load_workbook(path, data_only=True) for code, path in written.items()}


@pytest.fixture(params=["LA", None], ids=["country", "generic"])
def code(request: pytest.FixtureRequest) -> str | None:
    return request.param


def country_of(catalogue: Catalogue, code: str | None) -> Country | None:
    return catalogue.country(code) if code else None


def header(ws: Worksheet) -> list[str]:
    return [c.value for c in ws[1]]


def criterion_rows(ws: Worksheet) -> dict[str, int]:
    """{criterion id: 1-based row} on the Criteria sheet, found by the ID column (as a reader would)."""
    col = header(ws).index("ID") + 1
    return {ws.cell(r, col).value: r for r in range(2, ws.max_row + 1) if re.fullmatch(r"Q\d+", str(ws.cell(r, col).value))}


def column(ws: Worksheet, name: str) -> int:
    return header(ws).index(name) + 1


def resolve(wb: Workbook, name: str) -> list:
    """The cell values a workbook-scoped defined name points at (one rectangular range on one sheet)."""
    assert name in wb.defined_names, f"{name} is not a workbook-scoped name"
    dests = list(wb.defined_names[name].destinations)
    assert len(dests) == 1
    sheet, ref = dests[0]
    return [cell.value for row in wb[sheet][ref.replace("$", "")] for cell in row]


def sheet_xml(path: Path, index: int) -> ElementTree.Element:
    """Worksheet part number *index* (1-based, the order xlsxwriter writes them: the sheet order)."""
    with zipfile.ZipFile(path) as z:
        return ElementTree.fromstring(z.read(f"xl/worksheets/sheet{index}.xml"))


def identity_block(ws: Worksheet, key_col: int, keys: set[str]) -> dict[str, object]:
    return {
        ws.cell(r, key_col).value: ws.cell(r, key_col + 1).value
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, key_col).value in keys
    }


# --- templates and determinism --------------------------------------------------------------------------------------


def test_same_arguments_give_identical_bytes(tmp_path: Path, catalogue: Catalogue) -> None:
    for country in (None, catalogue.country("LA"), catalogue.country("VN")):
        a, b = tmp_path / "a.xlsx", tmp_path / "sub" / "b.xlsx"
        b.parent.mkdir(exist_ok=True)
        write_questionnaire(catalogue, a, country=country, year=YEAR, password="secret", contact="Jane, ASEAN Secretariat")
        write_questionnaire(catalogue, b, country=country, year=YEAR, password="secret", contact="Jane, ASEAN Secretariat")
        assert a.read_bytes() == b.read_bytes()


def test_committed_templates_are_in_sync(tmp_path: Path, catalogue: Catalogue) -> None:
    spec = importlib.util.spec_from_file_location("make_templates", ROOT / "tools" / "make_templates.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    fresh = tool.make_templates(catalogue, tmp_path, YEAR)
    expected = [file_name(None, YEAR)] + [file_name(c, YEAR) for c in catalogue.countries]
    assert [p.name for p in fresh] == expected
    assert expected[0] == "RAI-readiness-2026-blank.xlsx"
    assert sorted(p.name for p in TEMPLATES.iterdir()) == sorted(expected)
    stale = [p.name for p in fresh if (TEMPLATES / p.name).read_bytes() != p.read_bytes()]
    assert stale == [], "regenerate with: python tools/make_templates.py 2026"


# --- sheets ---------------------------------------------------------------------------------------------------------


def test_sheet_order_and_hidden_protected_lists(books: dict[str | None, Workbook], code: str | None) -> None:
    wb = books[code]
    assert wb.sheetnames == list(SHEETS)
    assert [wb[name].sheet_state for name in VISIBLE] == ["visible"] * 4
    lists = wb[ids.SHEET_LISTS]
    assert lists.sheet_state in ("hidden", "veryHidden")
    assert lists.protection.sheet is True
    assert wb.active.title == ids.SHEET_START


def test_criteria_sheet_rows(books: dict[str | None, Workbook], catalogue: Catalogue, code: str | None) -> None:
    ws = books[code][ids.SHEET_CRITERIA]
    assert tuple(header(ws)) == HEADERS == tuple(h for h, _ in ids.CRITERIA_COLUMNS)
    expected: list[tuple] = []
    for pillar in catalogue.pillars:
        expected.append((f"Assessment Pillar {pillar.number}: {pillar.name}",))
        expected.extend((c.id, c.question) for c in catalogue.criteria_of(pillar.number))
    seen = []
    for r in range(2, 2 + len(expected)):
        first = ws.cell(r, 1).value
        seen.append((first,) if str(first).startswith("Assessment Pillar") else (first, ws.cell(r, 2).value))
    assert seen == expected
    assert [row[0] for row in seen if len(row) == 2] == [f"Q{n}" for n in range(1, 41)]
    headings = sorted(
        (int(m.group(1)), r)
        for r in range(1, ws.max_row + 1)
        if (m := re.match(r"Assessment Pillar (\d):", str(ws.cell(r, 1).value)))
    )
    assert headings == [(1, 2), (2, 13), (3, 24), (4, 35)]
    merged = {str(rng) for rng in ws.merged_cells.ranges}
    assert merged == {f"A{r}:G{r}" for _, r in headings} | {"B47:G47"}  # and the note under the table
    assert ws["B47"].value.startswith("Points are worked out from your answer. '?': this sheet does not recognise")
    # "How it is scored" lists each answer with its points, in the catalogue's order.
    rows = criterion_rows(ws)
    scored = column(ws, "How it is scored")
    for c in catalogue.criteria:
        assert ws.cell(rows[c.id], scored).value == "\n".join(f"{a.label} = {a.points:g} points" for a in c.answers)
    assert ws.cell(rows["Q6"], scored).value.splitlines() == [
        "Yes = 0 points",
        "Inconclusive evidence of these elements through available source documents = 1.5 points",
        "No = 3 points",
    ]


# --- dropdowns ------------------------------------------------------------------------------------------------------


def test_answer_dropdowns_point_at_named_ranges(
    books: dict[str | None, Workbook], written: dict[str | None, Path], catalogue: Catalogue, code: str | None
) -> None:
    wb = books[code]
    ws = wb[ids.SHEET_CRITERIA]
    rows = criterion_rows(ws)
    answer = column(ws, "Answer")
    dvs = ws.data_validations.dataValidation
    assert len(dvs) == 40
    by_cell = {}
    for dv in dvs:
        cells = str(dv.sqref).split()
        assert len(cells) == 1
        by_cell[cells[0]] = dv
    assert set(by_cell) == {ws.cell(rows[c.id], answer).coordinate for c in catalogue.criteria}
    for c in catalogue.criteria:
        dv = by_cell[ws.cell(rows[c.id], answer).coordinate]
        name = f"L_Q{c.number:02d}"
        assert dv.type == "list"
        assert dv.formula1 == name
        assert wb.defined_names[name].localSheetId is None  # workbook scope
        assert wb.defined_names[name].attr_text == f"Lists!$C${3 * c.number - 1}:$C${3 * c.number + 1}"
        sheet, ref = next(iter(wb.defined_names[name].destinations))
        assert sheet == ids.SHEET_LISTS and len(ref.split(":")) == 2
        assert resolve(wb, name) == list(c.labels)
        assert dv.errorStyle in (None, "stop")  # OOXML's default is stop; the raw XML is checked below
        assert dv.showErrorMessage is True and dv.showInputMessage is True
        assert dv.allow_blank is True  # a blank answer is allowed: it means "not answered yet"
        assert not dv.showDropDown  # True would *hide* the in-cell arrow
        assert dv.promptTitle == f"{c.id}: choose an answer"
        assert dv.errorTitle == f"Not an answer to {c.id}"
        assert max(len(dv.promptTitle), len(dv.errorTitle)) <= 32
        assert max(len(dv.prompt), len(dv.error)) <= 255
        assert dv.error == f"Choose one of: {'; '.join(c.labels)}."
        assert dv.prompt.startswith("Choose one of the three answers from the list.")
        for label in c.labels:
            assert label in dv.prompt and label in dv.error
    raw = sheet_xml(written[code], SHEETS.index(ids.SHEET_CRITERIA) + 1).iter(f"{MAIN_NS}dataValidation")
    assert {el.get("errorStyle", "stop") for el in raw} == {"stop"}


def test_no_inline_list_anywhere(
    books: dict[str | None, Workbook], written: dict[str | None, Path], code: str | None
) -> None:
    wb = books[code]
    formulas = [dv.formula1 for ws in wb for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(formulas) == (40 if code else 41)
    assert not [f for f in formulas if f is None or f.startswith('"')]
    for i in range(1, len(SHEETS) + 1):
        raw = [el.text for el in sheet_xml(written[code], i).iter(f"{MAIN_NS}formula1")]
        assert not [f for f in raw if f is None or f.lstrip().startswith('"')]


def test_country_dropdown_only_when_no_country(books: dict[str | None, Workbook], catalogue: Catalogue) -> None:
    assert [dv.type for dv in books["LA"][ids.SHEET_RESPONDENT].data_validations.dataValidation] == ["date"]
    wb = books[None]
    ws = wb[ids.SHEET_RESPONDENT]
    (dv,) = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert str(dv.sqref) == "B5" and ws["A5"].value == "Country"
    assert dv.type == "list" and dv.formula1 == "L_COUNTRIES"
    assert dv.errorStyle in (None, "stop") and dv.showErrorMessage is True and dv.showInputMessage is True
    assert wb.defined_names["L_COUNTRIES"].localSheetId is None
    assert resolve(wb, "L_COUNTRIES") == [c.name for c in catalogue.countries]
    assert resolve(wb, "L_COUNTRIES")[0] == "Brunei Darussalam" and resolve(wb, "L_COUNTRIES")[-1] == "Viet Nam"


# --- protection -----------------------------------------------------------------------------------------------------


def unlocked(ws: Worksheet) -> set[str]:
    return {c.coordinate for row in ws.iter_rows() for c in row if not c.protection.locked}


def test_sheets_are_protected(books: dict[str | None, Workbook], code: str | None) -> None:
    wb = books[code]
    for name in VISIBLE:
        p = wb[name].protection
        assert p.sheet is True, name
        assert p.formatColumns is False, name  # OOXML formatColumns="0": formatting columns is allowed
        assert p.password is None, name  # no password asked for
        assert p.insertRows is True and p.deleteRows is True and p.insertColumns is True, name  # not allowed
    assert wb[ids.SHEET_LISTS].protection.sheet is True
    assert wb[ids.SHEET_LISTS].protection.formatColumns is True


def test_only_respondent_cells_are_unlocked(
    books: dict[str | None, Workbook], catalogue: Catalogue, code: str | None
) -> None:
    wb = books[code]
    ws = wb[ids.SHEET_CRITERIA]
    rows = criterion_rows(ws)
    inputs = {column(ws, h) for h in ("Answer", "Evidence / source documents", "Comments")}
    assert unlocked(ws) == {ws.cell(r, col).coordinate for r in rows.values() for col in inputs}
    for c in catalogue.criteria:
        for h in ("ID", "Criterion", "How it is scored", "Points"):
            assert ws.cell(rows[c.id], column(ws, h)).protection.locked is True
    assert all(cell.protection.locked for cell in ws[1])

    resp = wb[ids.SHEET_RESPONDENT]
    field_rows = {key: 5 + i for i, (key, _) in enumerate(ids.RESPONDENT_FIELDS)}
    assert [resp.cell(r, 1).value for r in field_rows.values()] == [label for _, label in ids.RESPONDENT_FIELDS]
    expected = {f"B{field_rows[k]}" for k in RESPONDENT_INPUTS}
    country_cell = resp.cell(field_rows["country"], 2)
    if code:
        assert country_cell.value == "Lao PDR" and country_cell.protection.locked is True
    else:
        assert country_cell.value is None and country_cell.protection.locked is False
        expected.add(country_cell.coordinate)
    assert unlocked(resp) == expected
    year_cell = resp.cell(field_rows["year"], 2)
    assert year_cell.value == str(YEAR) and year_cell.protection.locked is True

    for name in (ids.SHEET_START, ids.SHEET_SUMMARY, ids.SHEET_LISTS):
        assert unlocked(wb[name]) == set(), name


def test_password_sets_a_hash_on_every_sheet(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "locked.xlsx"
    write_questionnaire(catalogue, path, country=catalogue.country("KH"), year=YEAR, password="secret")
    wb = openpyxl.load_workbook(path)
    # ECMA-376 legacy 16-bit hash of "secret".
    assert {name: wb[name].protection.password for name in SHEETS} == dict.fromkeys(SHEETS, "DAA7")
    assert all(wb[name].protection.sheet for name in SHEETS)


# --- identity -------------------------------------------------------------------------------------------------------


def expected_identity(catalogue: Catalogue, code: str | None) -> dict[str, str]:
    return {
        "template_id": "rai-xl/readiness-questionnaire",
        "schema_version": ids.SCHEMA_VERSION,
        "methodology_version": catalogue.version,
        "catalogue_fingerprint": catalogue.fingerprint,
        "country": code or "",
        "year": "2026",
    }


def test_identity_in_custom_properties(books: dict[str | None, Workbook], catalogue: Catalogue, code: str | None) -> None:
    assert catalogue.version and re.fullmatch(r"[0-9a-f]{16}", catalogue.fingerprint)
    props = [(p.name, p.value) for p in books[code].custom_doc_props.props]
    want = expected_identity(catalogue, code)
    # A text property cannot be empty: no country is written as "-".
    assert props == [("rai_xl_" + k, v or "-") for k, v in want.items()]


def test_identity_on_lists_sheet(books: dict[str | None, Workbook], catalogue: Catalogue, code: str | None) -> None:
    ws = books[code][ids.SHEET_LISTS]
    assert (ws["H1"].value, ws["I1"].value) == ("Identity", "Value")
    rows = [(ws.cell(r, 8).value, ws.cell(r, 9).value) for r in range(2, 2 + len(ids.KEYS))]
    assert rows == list(expected_identity(catalogue, code).items())


def test_identity_visible_and_locked_on_start_here(
    books: dict[str | None, Workbook], catalogue: Catalogue, code: str | None
) -> None:
    ws = books[code][ids.SHEET_START]
    heading = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "About this file")
    block = [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(heading + 1, heading + 1 + len(ids.KEYS))]
    want = expected_identity(catalogue, code)
    assert block == [(ids.LABELS[k], v or "(chosen by the respondent)") for k, v in want.items()]
    assert all(ws.cell(r, 2).protection.locked for r in range(heading + 1, heading + 1 + len(ids.KEYS)))
    assert ws["A1"].value == "ASEAN Responsible AI readiness self-assessment 2026"
    assert ws["A2"].value == ("Lao PDR" if code else "(country to be selected)")


# --- formulas and cached values -------------------------------------------------------------------------------------


def test_summary_cached_values_for_a_blank_questionnaire(
    books: dict[str | None, Workbook], cached: dict[str | None, Workbook], catalogue: Catalogue, code: str | None
) -> None:
    ws, values = books[code][ids.SHEET_SUMMARY], cached[code][ids.SHEET_SUMMARY]
    assert [c.value for c in ws[4]] == [
        "Pillar",
        "Assessment pillar",
        "Answered",
        "Score (of 30)",
        "Tier",
        "Status",
        "Answers to check (?)",
    ]
    blank = summary_cells(catalogue, assess(catalogue, {}))
    assert blank == [(0, 0, "Not answered", "10 of 10 unanswered")] * 4
    shown = [tuple(values.cell(5 + i, col).value for col in range(1, 8)) for i in range(4)]
    assert shown == [(p.number, p.name, *blank[i], 0) for i, p in enumerate(catalogue.pillars)]
    assert all(isinstance(row[3], float | int) and isinstance(row[4], str) for row in shown)
    # The formulas are there (the cached values are not plain values), over each pillar's own Points cells.
    crit = books[code][ids.SHEET_CRITERIA]
    rows, points = criterion_rows(crit), column(crit, "Points")
    for i, p in enumerate(catalogue.pillars):
        ids_ = [c.id for c in catalogue.criteria_of(p.number)]
        rng = f"Criteria!$E${rows[ids_[0]]}:$E${rows[ids_[-1]]}"
        assert points == 5 and [rows[x] for x in ids_] == list(range(rows[ids_[0]], rows[ids_[-1]] + 1))
        r = 5 + i
        assert ws.cell(r, 3).value == f"=COUNT({rng})"
        assert ws.cell(r, 4).value == f'=IF(G{r}>0,"at least "&SUM({rng}),SUM({rng}))'
        assert ws.cell(r, 5).value.startswith(f'=IF(G{r}>0,"To be checked (see Status)",IF(C{r}=0,"Not answered",')
        assert ws.cell(r, 6).value == (
            f'=IF(G{r}>0,G{r}&IF(G{r}=1," answer"," answers")&"{CHECKED_LATER}",'
            f'IF(C{r}=10,"Complete",(10-C{r})&" of 10 unanswered"))'
        )
        assert ws.cell(r, 7).value == f'=SUMPRODUCT(--({rng}="?"))'


def test_points_formulas_have_an_empty_cached_value(
    books: dict[str | None, Workbook], cached: dict[str | None, Workbook], catalogue: Catalogue, code: str | None
) -> None:
    ws, values = books[code][ids.SHEET_CRITERIA], cached[code][ids.SHEET_CRITERIA]
    lists = books[code][ids.SHEET_LISTS]
    rows, points, answer = criterion_rows(ws), column(ws, "Points"), column(ws, "Answer")
    assert (lists["K1"].value, lists["L1"].value) == ("Answer typed", "Answer tidied")
    for c in catalogue.criteria:
        n, cell, k = f"{c.number:02d}", ws.cell(rows[c.id], answer).coordinate, c.number + 1
        hit = f"((UPPER(L_Q{n})=UPPER(Lists!$L${k}))+(UPPER(S_Q{n})=UPPER(Lists!$L${k}))>0)"
        assert ws.cell(rows[c.id], points).value == (
            f'=IF(Lists!$K${k}="","",IF(SUMPRODUCT(--{hit})=0,"?",SUMPRODUCT({hit}*P_Q{n})))'
        )
        spaces = f"Criteria!${cell[0]}${cell[1:]}"
        for ch in ("_xlfn.UNICHAR(160)", "CHAR(9)", "CHAR(10)", "CHAR(13)"):
            spaces = f'SUBSTITUTE({spaces},{ch}," ")'
        assert lists[f"K{k}"].value == f"=TRIM({spaces})"
        cut = f'IF(ISNUMBER(FIND(RIGHT(K{k},1),".!;,")),TRIM(LEFT(K{k},LEN(K{k})-1)),K{k})'
        assert lists[f"L{k}"].value == f'=IF(K{k}="","",SUBSTITUTE(SUBSTITUTE({cut}," /","/"),"/ ","/"))'
        assert resolve(books[code], f"P_Q{n}") == [a.points for a in c.answers]
        assert resolve(books[code], f"L_Q{n}") == list(c.labels)
        # the short forms rai-xl accepts: only Q11's 'Yes (at least signatory to one)' has one
        assert resolve(books[code], f"S_Q{n}") == (["Yes", *c.labels[1:]] if c.id == "Q11" else list(c.labels))
        assert values.cell(rows[c.id], points).value is None


# --- print setup ----------------------------------------------------------------------------------------------------


def test_print_setup(books: dict[str | None, Workbook], code: str | None) -> None:
    wb = books[code]
    who = "Lao PDR" if code else "(country to be selected)"
    for name in VISIBLE:
        ws = wb[name]
        ps = ws.page_setup
        assert ps.orientation == "landscape", name
        assert int(ps.paperSize) == 9, name  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True, name
        assert ps.fitToWidth in (None, 1), name  # absent means 1 in OOXML; xlsxwriter leaves the default out
        if name == "Start here":
            assert ps.fitToHeight in (None, 1), name  # one page: absent means 1
        else:
            assert int(ps.fitToHeight) == 0, name  # as many pages tall as needed
        footer = ws.oddFooter
        assert (footer.left.text, footer.center.text, footer.right.text) == (f"{who} 2026", "Page &P of &N", "&A")
    assert wb[ids.SHEET_CRITERIA].print_title_rows == "$1:$1"


# --- failures of xlsxwriter surface as errors -----------------------------------------------------------------------


@pytest.mark.parametrize("code", ["LA", None], ids=["country", "generic"])
def test_refused_dropdown_raises(
    tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch, code: str | None
) -> None:
    monkeypatch.setattr(xlsxwriter.worksheet.Worksheet, "data_validation", lambda self, *args, **kwargs: -2)
    path = tmp_path / "refused.xlsx"
    with pytest.raises(WriterRefused, match=r"xlsxwriter refused .* \(code -2\)"):
        write_questionnaire(catalogue, path, country=country_of(catalogue, code), year=YEAR)
    assert not path.exists()


def test_every_dropdown_return_code_is_checked(
    tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refuse the n-th data_validation call, for every n: each one must stop the build."""
    original = xlsxwriter.worksheet.Worksheet.data_validation
    calls: list[int] = []
    refuse_at: list[int | None] = [None]

    def patched(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == refuse_at[0]:
            return -2
        return original(self, *args, **kwargs)

    monkeypatch.setattr(xlsxwriter.worksheet.Worksheet, "data_validation", patched)
    write_questionnaire(catalogue, tmp_path / "all.xlsx", country=None, year=YEAR)
    total = len(calls)
    assert total == 42  # 40 answers, the country and the completion date
    for n in range(1, total + 1):
        calls.clear()
        refuse_at[0] = n
        with pytest.raises(WriterRefused):
            write_questionnaire(catalogue, tmp_path / f"refused-{n}.xlsx", country=None, year=YEAR)
        assert not (tmp_path / f"refused-{n}.xlsx").exists()


# --- command line ---------------------------------------------------------------------------------------------------


def run(*args: str):
    return run_cli("questionnaire", *args)


def written_directly(catalogue: Catalogue, tmp_path: Path, code: str) -> bytes:
    path = tmp_path / "direct" / "direct.xlsx"
    path.parent.mkdir(exist_ok=True)
    write_questionnaire(catalogue, path, country=catalogue.country(code), year=YEAR)
    return path.read_bytes()


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("Error")]


def test_cli_one_country(tmp_path: Path, catalogue: Catalogue) -> None:
    out = tmp_path / "X.xlsx"
    result = run("--country", "LA", "--year", "2026", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert out.is_file()
    assert result.stdout == f"wrote {out}\n"
    assert out.read_bytes() == written_directly(catalogue, tmp_path, "LA")  # the CLI adds nothing variable


def test_cli_all_countries(tmp_path: Path, catalogue: Catalogue) -> None:
    out = tmp_path / "questionnaires"
    result = run("--all", "--year", "2026", "--output", str(out))
    assert result.exit_code == 0, result.output
    names = [file_name(c, YEAR) for c in catalogue.countries]
    assert len(names) == 11
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    assert result.stdout.splitlines() == [f"wrote {out / n}" for n in names]
    for n in names:
        props = {p.name: p.value for p in openpyxl.load_workbook(out / n).custom_doc_props.props}
        assert props["rai_xl_country"] == next(c.code for c in catalogue.countries if file_name(c, YEAR) == n)


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("XX", ""),
        ("Phillipines", "did you mean Philippines? "),
        ("Malasia", "did you mean Malaysia? "),
        ("Loas", "did you mean Lao PDR? "),  # not also Timor-Leste, whose code TLS shares two letters
        ("Tiomr", "did you mean Timor-Leste or Myanmar? "),  # two nearly as close: both
    ],
)
def test_cli_unknown_country(tmp_path: Path, typed: str, hint: str) -> None:
    result = run("--country", typed, "--year", "2026", "--output", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 2
    assert error_lines(result.output) == [
        f"Error: Invalid value for '--country': unknown country '{typed}'; {hint}use a code ({CODES}) or a name"
    ]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("LA", "LA"),
        ("la", "LA"),
        ("Lao PDR", "LA"),
        ("Laos", "LA"),
        ("LAO", "LA"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("timor leste", "TL"),
        ("Burma", "MM"),
    ],
)
def test_cli_country_by_name_or_common_form(tmp_path: Path, typed: str, code: str) -> None:
    out = tmp_path / "x.xlsx"
    assert run("--country", typed, "--year", "2026", "--output", str(out)).exit_code == 0
    props = {p.name: p.value for p in openpyxl.load_workbook(out).custom_doc_props.props}
    assert props["rai_xl_country"] == code


def test_cli_all_refuses_an_output_that_looks_like_a_file(tmp_path: Path) -> None:
    result = run("--all", "--year", "2026", "--output", str(tmp_path / "single.xlsx"))
    assert result.exit_code == 2
    assert error_lines(result.output) == [
        f"Error: --output {tmp_path / 'single.xlsx'} looks like a file name; "
        "--all writes one workbook per Member State into a folder"
    ]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("year", ["2024", "2031"])
def test_cli_year_outside_the_roadmap(tmp_path: Path, year: str) -> None:
    result = run("--country", "LA", "--year", year, "--output", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 2
    assert error_lines(result.output) == [
        f"Error: Invalid value for '--year': {year} is outside the Roadmap's years (2025-2030)"
    ]


def test_cli_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    out.write_bytes(b"not mine")
    result = run("--country", "LA", "--year", "2026", "--output", str(out))
    assert result.exit_code == 2
    (line,) = error_lines(result.output)
    assert "already exists" in line and "--force" in line
    assert out.read_bytes() == b"not mine"


def test_cli_force_overwrites(tmp_path: Path, catalogue: Catalogue) -> None:
    out = tmp_path / "x.xlsx"
    out.write_bytes(b"not mine")
    result = run("--country", "LA", "--year", "2026", "--output", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == written_directly(catalogue, tmp_path, "LA")


def test_cli_missing_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "x.xlsx"
    result = run("--country", "LA", "--year", "2026", "--output", str(out))
    assert result.exit_code == 2
    assert error_lines(result.output) == [f"Error: cannot write {out}: folder {out.parent} does not exist"]
    assert not out.parent.exists()


def test_cli_password(tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    result = run("--country", "TL", "--year", "2026", "--output", str(out), "--password", "secret")
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    assert {wb[name].protection.password for name in SHEETS} == {"DAA7"}


@pytest.mark.parametrize("code", ["LA", None])
def test_date_completed_is_a_real_date_cell(books: dict[str | None, Workbook], code: str | None) -> None:
    ws = books[code][ids.SHEET_RESPONDENT]
    row = next(r for r in range(1, 20) if ws.cell(r, 1).value == dict(ids.RESPONDENT_FIELDS)[ids.DATE_FIELD])
    cell = ws.cell(row, 2)
    assert cell.number_format == "yyyy-mm-dd" and cell.protection.locked is False
    (dv,) = [dv for dv in ws.data_validations.dataValidation if dv.type == "date"]
    assert str(dv.sqref) == cell.coordinate
    assert (dv.operator, dv.formula1, dv.formula2) == (None, "46023", "46752")  # 2026-01-01 .. 2027-12-31; None = between
    assert dv.errorStyle in (None, "stop") and dv.showErrorMessage is True and dv.showInputMessage is True
    assert dv.prompt == "Type the date you completed this questionnaire, e.g. 2026-03-31."


@pytest.mark.parametrize("call", ["write_string", "write_blank", "write_number", "write_formula", "set_row", "set_column"])
def test_every_write_of_the_questionnaire_is_checked(
    tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch, call: str
) -> None:
    """The questionnaire writes through the writer kit: any write xlsxwriter refuses stops the build."""
    monkeypatch.setattr(xlsxwriter.worksheet.Worksheet, call, lambda self, *args, **kwargs: -1)
    path = tmp_path / "refused.xlsx"
    with pytest.raises(WriterRefused, match=r"xlsxwriter refused .* \(code -1\)"):
        write_questionnaire(catalogue, path, country=catalogue.country("LA"), year=YEAR)
    assert not path.exists()


def test_the_coordinators_contact_is_written_as_text(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "q.xlsx"
    contact = '=HYPERLINK("mailto:rai@asean.org","RAI desk")'
    write_questionnaire(catalogue, path, country=catalogue.country("LA"), year=YEAR, contact=contact)
    ws = openpyxl.load_workbook(path)[ids.SHEET_START]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == contact)
    assert cell.data_type == "s" and cell.quotePrefix


def test_prefilled_questionnaire_returns_last_rounds_answers_untouched(tmp_path: Path, catalogue: Catalogue) -> None:
    from rai_xl.core.submission import VALID
    from rai_xl.read.returns import read_return
    from rai_xl.write.questionnaire import Prefill
    from tests.helpers import RESPONDENT, labels_for
    from tools.make_samples import fill

    answers = labels_for(catalogue, {c.id: 1.5 for c in catalogue.criteria[:39]})  # Q40 unanswered last round
    evidence = {"Q1": '=HYPERLINK("http://example.org","x")', "Q2": "ສຳນັກງານ decree 12/2025"}
    path = tmp_path / "prefilled.xlsx"
    write_questionnaire(
        catalogue, path, country=catalogue.country("LA"), year=2027, prefill=Prefill(2026, answers, evidence)
    )
    wb = openpyxl.load_workbook(path)
    ws = wb[ids.SHEET_CRITERIA]
    assert ws["H1"].value == "Your 2026 answer"
    assert ws["D3"].value == answers["Q1"] and ws["D3"].fill.fgColor.rgb == "FFDDEBF7"
    assert ws["D3"].protection.locked is False
    assert ws["F3"].value == evidence["Q1"] and ws["F3"].data_type == "s"
    assert ws["F3"].quotePrefix  # so that F2 and Enter in Excel keep it text, not a live formula
    assert ws["F4"].value == evidence["Q2"] and not ws["F4"].quotePrefix
    assert ws["H3"].value == f"{answers['Q1']} (confirm or change)"
    q40 = next(r for r in range(2, 60) if ws.cell(r, 1).value == "Q40")
    assert (
        ws.cell(q40, 4).value is None and ws.cell(q40, 8).value == "Not pre-filled: not answered in 2026. Choose an answer."
    )
    dv = next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref) == "D3")
    assert dv.prompt.startswith("Your 2026 answer: keep it to confirm, or choose another. ")
    start = [c.value for row in wb[ids.SHEET_START].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("Your 2026 answers, evidence and comments are already in place (blue cells)" in t for t in start)
    fill(path, {}, {}, {**RESPONDENT, "date_completed": "2027-03-31"})  # the official only confirms
    sub = read_return(path, catalogue)
    assert sub.status == VALID and sub.year == 2027
    assert {
        cid: next(a.label for a in catalogue.criterion(cid).answers if a.code == code) for cid, code in sub.answers.items()
    } == answers
    assert sub.evidence["Q1"] == evidence["Q1"] and sub.evidence["Q2"] == evidence["Q2"]
    assert [p.score for p in sub.assessment.pillars] == [15.0, 15.0, 15.0, 13.5]


def test_prefilled_respondent_details_are_confirmed_by_the_completion_date(tmp_path: Path, catalogue: Catalogue) -> None:
    from rai_xl.core.submission import VALID
    from rai_xl.read.returns import read_return
    from rai_xl.write.questionnaire import Prefill
    from tests.helpers import labels_for
    from tools.make_samples import fill

    details = {
        "agency": "-MDES (Ministry of Digital Economy and Society)",  # starts like a formula: kept text
        "name": "สมชาย ใจดี",
        "position": "Director",
        "email": "somchai@example.go.th",
    }
    answers = labels_for(catalogue, {c.id: 3.0 for c in catalogue.criteria})
    path = tmp_path / "prefilled.xlsx"
    prefill = Prefill(2026, answers, respondent=details)
    write_questionnaire(catalogue, path, country=catalogue.country("TH"), year=2027, prefill=prefill)
    wb = openpyxl.load_workbook(path)
    ws = wb[ids.SHEET_RESPONDENT]
    rows = {ws.cell(r, 1).value: r for r in range(1, 20) if ws.cell(r, 1).value}
    assert ws.cell(rows["Field"], 3).value == "Your 2026 details"
    labels = dict(ids.RESPONDENT_FIELDS)
    for key, value in details.items():
        cell = ws.cell(rows[labels[key]], 2)
        assert cell.value == value and cell.data_type == "s", key
        assert cell.fill.fgColor.rgb == "FFDDEBF7" and cell.protection.locked is False, key  # blue, to edit
        assert cell.quotePrefix is (key == "agency"), key
        assert ws.cell(rows[labels[key]], 3).value == "confirm or change"
    date_cell = ws.cell(rows[labels[ids.DATE_FIELD]], 2)
    assert date_cell.value is None and date_cell.fill.fgColor.rgb == "FFFFF2CC"  # typed anew
    start = [c.value for row in wb[ids.SHEET_START].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("your 2026 details are in place (blue cells): confirm or change them" in t for t in start)

    untouched = read_return(path, catalogue)  # sent back as it came: nothing is confirmed
    assert untouched.blank and [i.code for i in untouched.issues] == ["PREFILLED_UNDATED"]
    fill(path, {}, {}, {"date_completed": "2027-03-31"})  # the official only confirms
    sub = read_return(path, catalogue)
    assert sub.status == VALID and not sub.blank and sub.complete and sub.issues == []
    assert {k: sub.respondent[k] for k in details} == details
    assert sub.respondent[ids.DATE_FIELD] == "2027-03-31"


@pytest.mark.parametrize(
    ("line", "name", "agency", "found"),
    [
        ("Ana (Director, MICT) <ana@x.gov>", "Ana", "MICT", {"position": "Director", "email": "ana@x.gov"}),
        ("Ana (MICT) <ana@x.gov>", "Ana", "MICT", {"position": "", "email": "ana@x.gov"}),
        ("Ana (Head (AI), Dept, MICT (HQ))", "Ana", "MICT (HQ)", {"position": "Head (AI), Dept", "email": ""}),
        ("Ana <ana@x.gov>", "Ana", "", {"email": "ana@x.gov"}),
        ("(Director) <a@x.gov>", "", "", {"position": "Director", "email": "a@x.gov"}),
        ("Ana (Director, MICT) <a@x.gov> (call first)", "Ana", "MICT", {}),  # edited since
        ("Someone else (Director, MICT)", "Ana", "MICT", {}),  # edited since
        ("Ana (Director, Other) <a@x.gov>", "Ana", "MICT", {}),
    ],
)
def test_position_and_email_are_read_around_the_known_name_and_agency(
    line: str, name: str, agency: str, found: dict[str, str]
) -> None:
    from rai_xl.read.previous import _position_and_email

    assert _position_and_email(line, name, agency) == found


def test_cli_prefills_next_rounds_questionnaires_from_the_regional_workbook(tmp_path: Path, catalogue: Catalogue) -> None:
    from rai_xl.read.previous import previous_answers
    from rai_xl.read.returns import read_return
    from tests.helpers import RESPONDENT
    from tools.make_samples import fill

    previous = Path(__file__).resolve().parents[1] / "samples" / "regional-2025.xlsx"
    out = tmp_path / "2027"
    result = run("--all", "--year", "2027", "--previous", str(previous), "--output", str(out))
    assert result.exit_code == 0
    assert (
        result.stdout.splitlines()[3]
        == f"wrote {out / 'RAI-readiness-2027-Lao-PDR.xlsx'} (pre-filled: 40 answers from 2025)"
    )
    year, answers = previous_answers(previous, catalogue, 2027)
    assert year == 2025
    path = out / "RAI-readiness-2027-Lao-PDR.xlsx"
    fill(path, {}, {}, {**RESPONDENT, "date_completed": "2027-02-01"})
    sub = read_return(path, catalogue)
    labels = {
        cid: next(a.label for a in catalogue.criterion(cid).answers if a.code == code) for cid, code in sub.answers.items()
    }
    assert labels == answers["LA"].answers
    assert sub.year == 2027 and sub.complete
    # who answered in 2025 (Submissions: name, agency; the Overview's contact line: position, email)
    assert answers["LA"].respondent == {
        "name": "Synthetic respondent",
        "agency": "SYNTHETIC SAMPLE — not a real submission (Lao PDR)",
        "position": "Sample data for rai-xl",
        "email": "sample@example.org",
    }
    fill(out / "RAI-readiness-2027-Thailand.xlsx", {}, {}, {"date_completed": "2027-02-01"})  # only confirms
    confirmed = read_return(out / "RAI-readiness-2027-Thailand.xlsx", catalogue)
    assert not confirmed.blank and confirmed.respondent == {
        "country": "Thailand",
        "year": "2027",
        **answers["TH"].respondent,
        "date_completed": "2027-02-01",
    }


def test_cli_previous_needs_a_country_and_a_regional_workbook(tmp_path: Path, make_return) -> None:
    previous = Path(__file__).resolve().parents[1] / "samples" / "regional-2025.xlsx"
    result = run("--year", "2027", "--previous", str(previous), "--output", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 2
    assert error_lines(result.output) == ["Error: --previous pre-fills a country's answers: use it with --country or --all"]
    a_return = make_return("r.xlsx")
    result = run("--country", "LA", "--year", "2027", "--previous", str(a_return), "--output", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 2
    assert error_lines(result.output) == [
        "Error: --previous r.xlsx is a rai-xl questionnaire (a return), not a regional workbook; "
        "--previous expects a regional workbook written by rai-xl consolidate"
    ]
    assert not (tmp_path / "x.xlsx").exists()
