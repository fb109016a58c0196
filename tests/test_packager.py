"""The worksheets' XML written on two cores: the same bytes as on one, whatever the child does."""

from __future__ import annotations

import io
import os
import pickle
import zipfile
from datetime import datetime

import pytest
import xlsxwriter

from rai_xl.write import packager
from rai_xl.write.kit import in_memory_workbook

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform: the XML is written serially"),
    # pytest-xdist's worker keeps a thread: rai-xl itself never forks then (packager._can_fork), these tests do
    pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning"),
]


def _fill(wb: xlsxwriter.Workbook) -> None:
    """Sheets big and small, with what a regional workbook holds: shared strings, formulas with cached values,
    a table, a validation, a comment, merged cells, and hyperlinks (which add relationships as they are written)."""
    wb.set_properties({"created": datetime(2026, 1, 1)})
    bold = wb.add_format({"bold": True})
    for n in range(4):
        ws = wb.add_worksheet(f"Sheet {n}")
        own = wb.add_format({"font_color": ["red", "green", "blue", "navy"][n]})  # numbered where first used
        for r in range(2_000 * (n + 1)):
            ws.write_string(r, 0, f"row {r % 50}", bold if r % 2 else own)
            ws.write_number(r, 1, r * 1.5)
            ws.write_formula(r, 2, f"=B{r + 1}*2", None, r * 3.0)
        ws.data_validation(0, 0, 10, 0, {"validate": "list", "source": ["a", "b"]})
        ws.write_comment(0, 1, f"a comment on sheet {n}")
    linked = wb.add_worksheet("Links")
    linked.merge_range(0, 0, 0, 3, "merged", wb.add_format({"italic": True}))
    for r in range(1, 30_000):  # the largest sheet: the child would take it first, but for its links
        linked.write_string(r, 0, f"text {r}")
    linked.write_url(1, 1, "https://asean.org/", string="ASEAN")
    linked.write_url(2, 1, "internal:'Sheet 0'!A1", string="back")
    tabled = wb.add_worksheet("Table")
    tabled.add_table(0, 0, 3_000, 2, {"name": "Numbers", "columns": [{"header": h} for h in ("A", "B", "C")]})
    for r in range(1, 3_001):
        tabled.write_row(r, 0, [f"k{r}", r, f"v{r % 7}"])


def _parts(serial: bool, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    with monkeypatch.context() as m:
        if serial:
            m.setattr(packager, "WORTH_IT", 10**9)
        wb, buffer = in_memory_workbook()
        _fill(wb)
        wb.close()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_the_xml_written_on_two_cores_is_the_xml_written_on_one(monkeypatch: pytest.MonkeyPatch) -> None:
    forks = []
    fork_writer = packager._fork_writer
    monkeypatch.setattr(packager, "_fork_writer", lambda sheets: forks.append(len(sheets)) or fork_writer(sheets))
    monkeypatch.setattr(packager, "_can_fork", lambda: True)  # whatever threads pytest's plugins keep
    both = _parts(False, monkeypatch)
    assert forks and forks[0] >= 2  # the child wrote sheets: the largest of those without links
    assert both == _parts(True, monkeypatch)
    assert b"https://asean.org/" in both["xl/worksheets/_rels/sheet5.xml.rels"]  # the links' sheet was written here


def test_a_sheet_with_links_is_written_by_this_process() -> None:
    wb = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    _fill(wb)
    sheets = wb.worksheets()
    away = packager._half(sheets)
    assert away and all(not sheets[i].hyperlinks for i in away)
    cells = [packager._cells(ws) for ws in sheets]
    assert sum(cells[i] for i in away) <= sum(cells) / 2
    wb.close()


def test_when_the_child_fails_this_process_writes_its_sheets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packager, "_can_fork", lambda: True)

    def broken(*_: object, **__: object) -> bytes:
        raise OSError("the child cannot send")

    with monkeypatch.context() as m:
        m.setattr(pickle, "dumps", broken)  # in the child only: this process sends nothing
        failed = _parts(False, monkeypatch)
    assert failed == _parts(True, monkeypatch)


def test_what_the_child_sent_is_taken_only_whole() -> None:
    assert packager._texts(pickle.dumps(["<a/>", "<b/>"]), 2) == ["<a/>", "<b/>"]
    assert packager._texts(pickle.dumps(["<a/>"]), 2) is None
    assert packager._texts(pickle.dumps(["<a/>", "<b/>"])[:-3], 2) is None
    assert packager._texts(b"", 2) is None


def test_a_small_workbook_is_written_serially() -> None:
    wb = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    wb.add_worksheet().write_string(0, 0, "one cell")
    assert packager._half(wb.worksheets()) == set()
    wb.close()
