"""Read a returned questionnaire, check every answer against the catalogue, and score it."""

from __future__ import annotations

import hashlib
import json
import re
import traceback
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from rai_xl import identity as ids
from rai_xl import kinds
from rai_xl.answers import check_answer
from rai_xl.catalogue import Catalogue, Country
from rai_xl.cells import cell_text, clean, labelled, read_date, short
from rai_xl.issues import ERROR, NOTE, WARNING, Issue, Msg
from rai_xl.respondent import read_respondent
from rai_xl.scoring import Assessment, PillarScore, assess
from rai_xl.spreadsheet import Cell, Sheet, UnreadableFile, Workbook, cell_name, read_workbook, spreadsheet_kind
from rai_xl.triage import (
    NOT_SPREADSHEET_KINDS,
    OTHER_SPREADSHEETS,
    SPREADSHEET_SUFFIXES,
    not_a_submission,
    zip_contents,
)

HEADER_SCAN_ROWS = 20
VALID, INVALID, SKIPPED = "valid", "invalid", "skipped"


@dataclass
class Submission:
    """What one returned file holds, and what rai-xl made of it."""

    path: Path
    sha256: str = ""
    status: str = VALID  # valid, invalid or skipped
    country: Country | None = None
    year: int | None = None
    respondent: dict[str, str] = field(default_factory=dict)
    template_version: str = ""
    answers: dict[str, str] = field(default_factory=dict)  # criterion id -> answer code
    evidence: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    answer_cells: dict[str, str] = field(default_factory=dict)  # criterion id -> cell, e.g. D5
    issues: list[Issue] = field(default_factory=list)
    assessment: Assessment | None = None
    content_digest: str = ""  # of answers, evidence, comments and respondent details: equal for the same return
    sample: bool = False  # a synthetic sample return (marked by a custom property), not a real submission
    blank: bool = False  # returned with nothing typed: no answers, or a pre-filled form nobody confirmed
    prefilled: bool = False  # a questionnaire written with last round's answers in place
    internal_error: str = ""  # the traceback when rai-xl itself failed on this file (a bug)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def complete(self) -> bool:
        return self.assessment is not None and self.assessment.complete

    @property
    def refused(self) -> list[str]:
        """Criteria whose answer was not accepted (counted as unanswered until it is fixed)."""
        return list(dict.fromkeys(i.criterion for i in self.errors if i.criterion))

    @property
    def completed_on(self) -> date | None:
        """The completion date the respondent entered, if it reads as a date."""
        return read_date(self.respondent.get(ids.DATE_FIELD, ""))

    def reason(self) -> str:
        """The first problem, in one line (empty when there is none)."""
        first = next((i for i in self.issues if i.severity in (ERROR, NOTE)), None) or next(iter(self.issues), None)
        return first.message if first else ""


def read_return(path: Path, catalogue: Catalogue, data: bytes | None = None, named: bool = False) -> Submission:
    """Read, check and score one returned file. Never raises: problems in the file become issues,
    and a failure of rai-xl itself becomes this file's one-line verdict (and `internal_error`).

    *named*: the file was named on the command line (not met while searching a folder), so a file
    that is not a spreadsheet is a problem rather than something to skip.
    """
    sub = Submission(path)
    try:
        return _read_return(sub, catalogue, data, named)
    except Exception as exc:  # a bug in rai-xl must cost this one file, never the run
        sub.status = INVALID
        sub.assessment = None
        sub.internal_error = traceback.format_exc()
        sub.issues.append(Issue(ERROR, "", "", "", Msg.INTERNAL.format(error=f"{type(exc).__name__}: {exc}")))
        return sub


def _read_return(sub: Submission, catalogue: Catalogue, data: bytes | None, named: bool) -> Submission:
    path = sub.path
    reason = not_a_submission(path)
    if reason:
        return _skip(_hashed(sub, data), reason)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:  # a broken link, a file another program holds, no permission
            return _refuse(sub, Msg.CANNOT_OPEN.format(reason=exc.strerror or exc))
    sub.sha256 = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    if suffix in OTHER_SPREADSHEETS:
        return _refuse(sub, Msg.OTHER_SPREADSHEET.format(what=OTHER_SPREADSHEETS[suffix]))
    if suffix not in SPREADSHEET_SUFFIXES:
        kind = spreadsheet_kind(data)
        if kind is None:
            what = NOT_SPREADSHEET_KINDS.get(suffix, "not a spreadsheet")
            if suffix == ".zip":
                what = zip_contents(data) or what
            if not named:
                return _skip(sub, Msg.NOT_SPREADSHEET.format(what=what))
            return _refuse(sub, Msg.NAMED_NOT_SPREADSHEET.format(what=what))
        sub.issues.append(Issue(NOTE, "", "", "", Msg.READ_BY_CONTENT.format(kind=kind)))
    try:
        wb = read_workbook(data, wanted=(ids.SHEET_START, ids.SHEET_RESPONDENT, ids.SHEET_CRITERIA, ids.SHEET_LISTS))
        wb, renamed = _renamed_criteria(data, wb)
    except UnreadableFile as exc:
        return _refuse(sub, Msg.UNREADABLE.format(reason=str(exc)))
    sub.sample = wb.properties.get(ids.SAMPLE_PROPERTY) == "synthetic"
    _check(sub, wb, catalogue)
    if renamed is not None and sub.template_version:
        sub.issues.insert(0, renamed)
    if sub.status != SKIPPED:
        sub.issues.extend(Issue(WARNING, f.sheet, "", "", Msg.NOT_READ.format(what=f.message)) for f in wb.findings)
    content = json.dumps([sub.answers, sub.evidence, sub.comments, sub.respondent], sort_keys=True, ensure_ascii=False)
    sub.content_digest = hashlib.sha256(content.encode()).hexdigest()
    return sub


def slim(sub: Submission, criteria: tuple[str, ...]) -> Submission:
    """*sub* without what only its own report needs (warnings, evidence, comments, cells, points per
    criterion), its answers packed in *criteria* order: enough to sort out a round, small enough to
    keep for every file of a large folder."""
    return replace(
        sub,
        issues=[i for i in sub.issues if i.severity in (ERROR, NOTE)],  # what reason() says
        evidence={},
        comments={},
        answer_cells={},
        answers=PackedAnswers(sub.answers, criteria),  # type: ignore[arg-type]
        assessment=Assessment(tuple(_PILLARS.setdefault(p, p) for p in sub.assessment.pillars), ())
        if sub.assessment
        else None,
    )


class PackedAnswers(Mapping[str, str]):
    """{criterion id: answer code} held as one tuple in catalogue order: a tenth of a dict's memory."""

    __slots__ = ("_codes", "_ids")

    def __init__(self, answers: Mapping[str, str], criteria: tuple[str, ...]) -> None:
        self._ids = criteria
        self._codes = tuple(answers.get(q) for q in criteria)

    def __getitem__(self, key: str) -> str:
        code = self._codes[self._ids.index(key)] if key in self._ids else None
        if code is None:
            raise KeyError(key)
        return code

    def __iter__(self) -> Iterator[str]:
        return (q for q, code in zip(self._ids, self._codes, strict=True) if code is not None)

    def __len__(self) -> int:
        return sum(code is not None for code in self._codes)


# Pillar scores are values that recur across returns: slim records share one copy of each.
_PILLARS: dict[PillarScore, PillarScore] = {}


def _hashed(sub: Submission, data: bytes | None) -> Submission:
    """Set the SHA-256 of a file that is skipped, too: every input is listed with it (blank if unreadable)."""
    try:
        if data is None:
            with sub.path.open("rb") as f:
                sub.sha256 = hashlib.file_digest(f, "sha256").hexdigest()
        else:
            sub.sha256 = hashlib.sha256(data).hexdigest()
    except OSError:  # e.g. a lock file Excel holds open on Windows
        pass
    return sub


def _refuse(sub: Submission, message: str) -> Submission:
    """A file that is a problem as a whole: invalid, with its one-line reason."""
    return _as_whole(sub, INVALID, ERROR, message)


def _skip(sub: Submission, message: str) -> Submission:
    """A file that is not a return: skipped, with its one-line note."""
    return _as_whole(sub, SKIPPED, NOTE, message)


def _as_whole(sub: Submission, status: str, severity: str, message: str) -> Submission:
    sub.status = status
    sub.issues.append(Issue(severity, "", "", "", message))
    return sub


def _identity(wb: Workbook) -> tuple[dict[str, str], list[Issue]]:
    """Collect every surviving copy of the identity and report where they disagree."""
    copies: dict[str, dict[str, str]] = {}
    props = {k[len(ids.PROPERTY_PREFIX) :]: v for k, v in wb.properties.items() if k.startswith(ids.PROPERTY_PREFIX)}
    if props:
        copies["document properties"] = {k: ("" if v == ids.NO_VALUE else v) for k, v in props.items()}
    lists = wb.sheet(ids.SHEET_LISTS)
    if lists is not None:
        keys = {k: k for k in ids.KEYS}
        copies["Lists sheet"] = labelled(lists, ids.LISTS_IDENTITY_KEY_COLUMN, ids.LISTS_IDENTITY_VALUE_COLUMN, keys)
    start = wb.sheet(ids.SHEET_START)
    if start is not None:
        by_label = labelled(start, ids.START_LABEL_COLUMN, ids.START_VALUE_COLUMN, {v: k for k, v in ids.LABELS.items()})
        copies["Start here sheet"] = {k: ("" if v == ids.CHOSEN_BY_RESPONDENT else v) for k, v in by_label.items()}
    merged: dict[str, str] = {}
    issues = []
    for key in ids.KEYS:
        seen = {where: c[key] for where, c in copies.items() if key in c}
        values = set(seen.values())
        if not values:
            continue
        used = next(iter(seen.values()))  # the first surviving copy, in the order above
        merged[key] = used
        if len(values) > 1:
            shown = "; ".join(f"{w} '{v}'" for w, v in seen.items())
            issues.append(Issue(WARNING, "", "", "", Msg.IDENTITY_DISAGREES.format(key=key, values=shown, used=f"'{used}'")))
    return merged, issues


def _check(sub: Submission, wb: Workbook, catalogue: Catalogue) -> None:
    ident, issues = _identity(wb)
    if ident.get("template_id") != ids.TEMPLATE_ID:
        found = ident.get("template_id")
        if found == kinds.REGIONAL:
            _skip(sub, Msg.REGIONAL_WORKBOOK.format())
        else:
            _skip(sub, Msg.NOT_QUESTIONNAIRE.format(detail=f"; template '{found}'" if found else ""))
        return
    sub.issues.extend(issues)
    sub.template_version = f"{ident.get('schema_version', '?')} / {ident.get('methodology_version', '?')}"
    schema = ident.get("schema_version", "")
    if schema != ids.SCHEMA_VERSION:
        sub.issues.append(
            Issue(ERROR, "", "", "", Msg.NEWER_SCHEMA.format(found=schema or "?", supported=ids.SCHEMA_VERSION))
        )
    elif ident.get("methodology_version") != catalogue.version:
        sub.issues.append(
            Issue(
                ERROR,
                "",
                "",
                "",
                Msg.OTHER_METHODOLOGY.format(found=ident.get("methodology_version", "?"), expected=catalogue.version),
            )
        )
    else:
        if ident.get("catalogue_fingerprint") not in (None, catalogue.fingerprint):
            sub.issues.append(
                Issue(
                    WARNING,
                    "",
                    "",
                    "",
                    Msg.FINGERPRINT.format(found=ident["catalogue_fingerprint"], expected=catalogue.fingerprint),
                )
            )
        respondent = read_respondent(wb.sheet(ids.SHEET_RESPONDENT), catalogue, ident)
        sub.respondent, sub.country, sub.year = respondent.details, respondent.country, respondent.year
        sub.issues.extend(respondent.issues)
        _check_criteria(sub, wb, catalogue)
        _check_lists(sub, wb, catalogue)
        for sheet in wb.sheets:
            if sheet.name not in ids.SHEETS:
                sub.issues.append(Issue(WARNING, sheet.name, "", "", Msg.EXTRA_SHEET.format(sheet=sheet.name)))
    _score(sub, catalogue)


def _score(sub: Submission, catalogue: Catalogue) -> None:
    """Score what can be used: an error naming a criterion leaves that criterion unanswered (and the
    file invalid until it is fixed); an error naming none (identity, sheets, respondent) leaves the
    whole file unscored."""
    if sub.errors:
        sub.status = INVALID
    if any(not i.criterion for i in sub.errors):
        return
    refused = {i.criterion for i in sub.errors}
    sub.answers = {cid: code for cid, code in sub.answers.items() if cid not in refused}
    blanks = [
        Issue(WARNING, ids.SHEET_CRITERIA, sub.answer_cells.get(c.id, ""), c.id, Msg.BLANK.format(pillar=c.pillar))
        for c in catalogue.criteria
    ]
    if sub.prefilled and not any(sub.respondent.get(k) for k in ids.REQUIRED_DETAILS):
        sub.issues = [i for i in sub.issues if i.code != Msg.DETAIL_MISSING.name]  # one line says it all
        sub.issues.append(Issue(WARNING, ids.SHEET_RESPONDENT, "", "", Msg.PREFILLED_UNTOUCHED.format()))
        sub.blank = True
    elif all(b in sub.issues for b in blanks):  # nothing typed at all: one line, not forty
        sub.issues = [i for i in sub.issues if i not in blanks]
        sub.issues.append(Issue(WARNING, ids.SHEET_CRITERIA, "", "", Msg.BLANK_RETURN.format(count=len(blanks))))
        sub.blank = True
    sub.assessment = assess(catalogue, sub.answers)


def _find_criteria_sheet(wb: Workbook) -> tuple[Sheet | None, int, dict[str, int]]:
    """The criteria sheet, its header row and {header: column}, found by the 'ID' and 'Answer' headers."""
    sheet = wb.sheet(ids.SHEET_CRITERIA)
    if sheet is None:
        return None, 0, {}
    row, heads = _header(sheet)
    return sheet, row, heads


def _header(sheet: Sheet) -> tuple[int, dict[str, int]]:
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


def _renamed_criteria(data: bytes, wb: Workbook) -> tuple[Workbook, Issue | None]:
    """When the 'Criteria' sheet is gone, the sheet that holds the criteria table under another name
    (a copy renamed 'Criteria (2)' by a spreadsheet program), read as the criteria sheet and said."""
    if wb.sheet(ids.SHEET_CRITERIA) is not None or all(s.name in ids.SHEETS for s in wb.sheets):
        return wb, None
    whole = read_workbook(data)
    found = next((s for s in whole.sheets if s.name not in ids.SHEETS and _header(s)[0]), None)
    if found is None:
        return wb, None
    sheets = [replace(s, name=ids.SHEET_CRITERIA) if s is found else s for s in whole.sheets]
    issue = Issue(WARNING, found.name, "", "", Msg.CRITERIA_RENAMED.format(sheet=found.name))
    return replace(whole, sheets=sheets), issue


def _check_criteria(sub: Submission, wb: Workbook, catalogue: Catalogue) -> None:
    sheet, header_row, heads = _find_criteria_sheet(wb)
    name = ids.SHEET_CRITERIA
    if sheet is None:
        sub.issues.append(
            Issue(
                ERROR,
                name,
                "",
                "",
                Msg.MISSING_SHEET.format(sheet=name, expected=", ".join((ids.SHEET_RESPONDENT, ids.SHEET_CRITERIA))),
            )
        )
        return
    if not header_row:
        sub.issues.append(Issue(ERROR, name, "", "", Msg.NO_HEADER.format(rows=HEADER_SCAN_ROWS)))
        return
    id_col, answer_col = heads[ids.ID_HEADER.casefold()], heads[ids.ANSWER_HEADER.casefold()]
    text_col = heads.get(ids.CRITERION_HEADER.casefold())
    evidence_col = heads.get(ids.EVIDENCE_HEADER.casefold())
    comments_col = heads.get(ids.COMMENTS_HEADER.casefold())
    for column, found in ((ids.EVIDENCE_HEADER, evidence_col), (ids.COMMENTS_HEADER, comments_col)):
        if found is None:
            sub.issues.append(Issue(WARNING, name, cell_name(header_row, 1), "", Msg.MISSING_COLUMN.format(column=column)))
    sub.prefilled = any(ids.PREFILL_HEADER.fullmatch(h) for h in heads)
    rows: dict[str, int] = {}
    for (row, col), cell in sorted(sheet.cells.items()):
        if col != id_col or row <= header_row or not isinstance(cell.value, str):
            continue
        value = clean(cell.value)
        if not re.fullmatch(r"Q\d+", value, re.IGNORECASE):
            continue
        if value.upper() not in {c.id for c in catalogue.criteria}:
            sub.issues.append(Issue(ERROR, name, cell_name(row, col), "", Msg.UNKNOWN_ID.format(value=value)))
        elif value.upper() in rows:
            sub.issues.append(
                Issue(
                    ERROR,
                    name,
                    cell_name(row, col),
                    value.upper(),
                    Msg.DUPLICATE_ROW.format(criterion=value.upper(), first=rows[value.upper()]),
                )
            )
        else:
            rows[value.upper()] = row
    for c in catalogue.criteria:
        if c.id not in rows:
            sub.issues.append(Issue(ERROR, name, "", c.id, Msg.MISSING_ROW.format(criterion=c.id)))
            continue
        row = rows[c.id]
        if text_col:
            typed = cell_text(sheet.cells.get((row, text_col)))
            if clean(typed) != clean(c.question):
                sub.issues.append(
                    Issue(
                        ERROR,
                        name,
                        cell_name(row, text_col),
                        c.id,
                        Msg.TEXT_EDITED.format(found=short(typed), expected=short(c.question)),
                    )
                )
        sub.answer_cells[c.id] = cell_name(row, answer_col)
        code, said = check_answer(c, sheet.cells.get((row, answer_col)), cell_name(row, answer_col), catalogue)
        if code is not None:
            sub.answers[c.id] = code
        sub.issues.extend(said)
        if evidence_col:
            sub.evidence[c.id] = _free_text(sheet.cells.get((row, evidence_col)))
        if comments_col:
            sub.comments[c.id] = _free_text(sheet.cells.get((row, comments_col)))


def _free_text(cell: Cell | None) -> str:
    """Evidence and comments as the official typed them, or saw them: a formula's value (the formula
    is never run), or its text when the file keeps no value."""
    if cell is None:
        return ""
    if cell.formula and cell.value is None:
        return cell.formula
    return cell_text(cell)


def _check_lists(sub: Submission, wb: Workbook, catalogue: Catalogue) -> None:
    lists = wb.sheet(ids.SHEET_LISTS)
    if lists is None:
        return
    col = ids.LISTS_ANSWER_COLUMN
    for i, c in enumerate(catalogue.criteria):
        first = ids.lists_answer_row(i)
        found = tuple(cell_text(lists.cells.get((first + j, col))) for j in range(3))
        if found != c.labels:
            sub.issues.append(
                Issue(WARNING, ids.SHEET_LISTS, cell_name(first, col), c.id, Msg.LISTS_CHANGED.format(criterion=c.id))
            )
