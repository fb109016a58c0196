"""Write the consolidated regional workbook shared at ADGSOM meetings, from a `RegionalReport`."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rai_xl.core.collection import Note, Round
from rai_xl.core.previous_round import PreviousRound
from rai_xl.core.report import build
from rai_xl.core.report_model import RegionalReport, Section
from rai_xl.layouts import kinds
from rai_xl.layouts import progress as pg
from rai_xl.layouts import regional as marks
from rai_xl.method.catalogue import Catalogue, Country
from rai_xl.write.kit import PlainFormulaWorksheet, SheetWriter, Styles, in_memory_workbook, page_setup
from rai_xl.write.outputs import checked, write_atomically
from rai_xl.write.regional import country, overview, records, reported, tables
from rai_xl.write.regional import trackers as trackers_

if TYPE_CHECKING:
    from rai_xl.core.progress_merge import Merged


def write_regional_workbook(
    catalogue: Catalogue,
    rnd: Round,
    output: Path,
    synthetic: bool = False,
    previous: PreviousRound | None = None,
    year: int | None = None,
    written_on: date | None = None,
    progress: Merged | None = None,
) -> list[Note]:
    """Build the report of *rnd* (carrying forward *previous*, what an earlier regional workbook held:
    rai_xl.previous.read_previous) and write it to *output*; returns the findings to report (text cut to
    fit a cell, differences from the previous workbook), which the Issues sheet lists too."""
    written_on = written_on or date.today()
    report = build(catalogue, rnd, year or rnd.year or written_on.year, previous, progress)
    write_report(report, output, synthetic, written_on)
    return report.notes


def write_report(report: RegionalReport, output: Path, synthetic: bool = False, written_on: date | None = None) -> None:
    """Write the regional workbook of *report* to *output* atomically (OutputError when it cannot be written)."""
    write_atomically(output, lambda tmp: _write(report, tmp, synthetic, written_on or date.today()))


PACK_PAGES = {"overview": 2, "criteria": 3, "profile": 2}  # the most pages each meeting sheet prints on


def _write(report: RegionalReport, path: Path, synthetic: bool, written_on: date) -> None:
    cat = report.catalogue
    wb, buffer = in_memory_workbook()
    st = Styles(wb)
    wb.set_properties(
        {
            "title": f"ASEAN Responsible AI readiness: regional workbook {report.year}",
            "author": "rai-xl",
            "subject": cat.title,
            "created": datetime(written_on.year, written_on.month, written_on.day),
        }
    )
    for key, value in identity(report).items():
        checked(wb.set_custom_property(marks.PROPERTY_PREFIX + key, value), f"custom property {key}")

    def sheet(name: str) -> SheetWriter:
        return SheetWriter(wb.add_worksheet(name, worksheet_class=PlainFormulaWorksheet), st)

    # The meeting pack first (Overview, Criteria, one profile per Member State: contiguous tabs, printed
    # together), then the year's trackers, the records, and the tables other tools read.
    first = sheet(marks.SHEET_OVERVIEW)
    criteria = sheet(marks.SHEET_CRITERIA)
    profiles = [(cr, sheet(marks.profile_sheet(cr.country.name))) for cr in report.countries]
    plans: list[tuple[Country, tuple[Section, ...], int | None]] = [
        (cr.country, cr.sections, None) for cr in report.countries
    ]
    plans += [(k.country, k.sections, k.year) for k in report.kept]
    plans.sort(key=lambda p: p[0].order)
    trackers = [(plan, sheet(marks.checklist_sheet(plan[0].name))) for plan in plans]
    regional = sheet(marks.SHEET_REGIONAL)
    archive = sheet(marks.SHEET_ARCHIVE) if report.archive else None
    unplaced = sheet(marks.SHEET_UNPLACED) if report.unplaced else None
    submissions = sheet(marks.SHEET_SUBMISSIONS)
    issues = sheet(marks.SHEET_ISSUES)
    method = sheet(marks.SHEET_METHODOLOGY)
    table_sheets = {name: sheet(name) for name in marks.TABLE_SHEETS}
    answer_history = sheet(marks.SHEET_ANSWER_HISTORY)
    progress_sheet = sheet(pg.PROGRESS_TABLE) if report.progress else None

    overview.write_overview(wb, first, report, synthetic, written_on)
    overview.write_criteria(criteria, report)
    cells = {plan[0].code: trackers_.write_tracker(ws, report, *plan) for plan, ws in trackers}
    for cr, ws in profiles:
        country.write_profile(wb, ws, report, cr, cells[cr.country.code])
    trackers_.write_regional(regional, report)
    if archive is not None:
        records.write_archive(archive, report)
    if unplaced is not None:
        records.write_unplaced(unplaced, report)
    records.write_submissions(submissions, report)
    records.write_issues(issues, report)
    records.write_methodology(method, report, identity(report))
    tables.write_tables(table_sheets, answer_history, report, cells)
    if report.progress is not None and progress_sheet is not None:
        reported.write_progress_table(progress_sheet, report.progress)
    title = f"ASEAN Responsible AI readiness {report.year}"
    tall = {first.name: PACK_PAGES["overview"], criteria.name: PACK_PAGES["criteria"]}
    tall |= {ws.name: PACK_PAGES["profile"] for _, ws in profiles}
    for ws in wb.worksheets():
        page_setup(ws, title, tall.get(ws.name, 0), portrait=ws is first.ws)
    first.ws.activate()
    wb.close()
    path.write_bytes(buffer.getvalue())


def identity(report: RegionalReport) -> dict[str, str]:
    """The marks that identify this workbook to a later `rai-xl consolidate --previous`."""
    cat = report.catalogue
    return kinds.identity_values(
        marks.TEMPLATE_ID, marks.SCHEMA_VERSION, cat.version, catalogue_fingerprint=cat.fingerprint, year=str(report.year)
    )
