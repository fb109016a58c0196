"""Read a returned questionnaire, check every answer against the catalogue, and score it."""

from __future__ import annotations

import hashlib
import json
import traceback
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from rai_xl.core.submission import INVALID, SKIPPED, VALID, Submission
from rai_xl.issues import ERROR, NOTE, WARNING, Issue, Msg
from rai_xl.layouts import kinds
from rai_xl.layouts import questionnaire as ids
from rai_xl.method.catalogue import Catalogue
from rai_xl.method.scoring import Assessment, PillarScore, assess
from rai_xl.read.cells import labelled
from rai_xl.read.criteria_sheet import check_lists, read_criteria, renamed_criteria
from rai_xl.read.respondent import read_respondent
from rai_xl.read.spreadsheet import UnreadableFile, Workbook, read_workbook, spreadsheet_kind
from rai_xl.read.spreadsheet.files import NotAFile, read_file
from rai_xl.read.triage import (
    NOT_SPREADSHEET_KINDS,
    OTHER_SPREADSHEETS,
    SPREADSHEET_SUFFIXES,
    not_a_submission,
    zip_contents,
)

_SHEETS_READ = (ids.SHEET_START, ids.SHEET_RESPONDENT, ids.SHEET_CRITERIA, ids.SHEET_LISTS)
# A return's hyperlinks are not read (a cell's text is what is checked and kept). Of the hidden Lists sheet, only
# the answer labels (checked against the catalogue) and the copy of the identity are read: its other columns
# (points, short forms, Member States, tidied answers) only serve its formulas.
_LISTS_COLUMNS_READ = {
    ids.SHEET_LISTS: (ids.LISTS_ANSWER_COLUMN, ids.LISTS_IDENTITY_KEY_COLUMN, ids.LISTS_IDENTITY_VALUE_COLUMN)
}


def read_return(path: Path, catalogue: Catalogue, data: bytes | None = None, named: bool = False) -> Submission:
    """Read, check and score one returned file. Never raises: problems in the file become issues,
    and a failure of rai-xl itself becomes this file's one-line verdict (and `internal_error`).

    *named*: the file was named on the command line (not met while searching a folder), so a file
    that is not a spreadsheet is a problem rather than something to skip.
    """
    try:
        return _read_return(path, catalogue, data, named)
    except Exception as exc:  # a bug in rai-xl must cost this one file, never the run
        failed = Msg.INTERNAL.format(error=f"{type(exc).__name__}: {exc}")
        return replace(_whole(path, _digest(path, data), INVALID, ERROR, failed), internal_error=traceback.format_exc())


def _read_return(path: Path, catalogue: Catalogue, data: bytes | None, named: bool) -> Submission:
    reason = not_a_submission(path)
    if reason:
        return _whole(path, _digest(path, data), SKIPPED, NOTE, reason)
    if data is None:
        try:
            data = read_file(path)  # a regular file within the size bound, checked before it is opened
        except NotAFile as exc:  # a broken link, a FIFO, a device, no permission
            return _whole(path, "", INVALID, ERROR, Msg.CANNOT_OPEN.format(reason=exc.reason))
        except UnreadableFile as exc:  # too big, said by its size before it is read
            return _whole(path, "", INVALID, ERROR, Msg.UNREADABLE.format(reason=str(exc)))
    sha256 = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    if suffix in OTHER_SPREADSHEETS:
        return _whole(path, sha256, INVALID, ERROR, Msg.OTHER_SPREADSHEET.format(what=OTHER_SPREADSHEETS[suffix]))
    notes = []
    if suffix not in SPREADSHEET_SUFFIXES:
        kind = spreadsheet_kind(data)
        if kind is None:
            what = NOT_SPREADSHEET_KINDS.get(suffix, "not a spreadsheet")
            if suffix == ".zip":
                what = zip_contents(data) or what
            if not named:
                return _whole(path, sha256, SKIPPED, NOTE, Msg.NOT_SPREADSHEET.format(what=what))
            return _whole(path, sha256, INVALID, ERROR, Msg.NAMED_NOT_SPREADSHEET.format(what=what))
        notes.append(Issue(NOTE, "", "", "", Msg.READ_BY_CONTENT.format(kind=kind)))
    try:
        wb = read_workbook(data, wanted=_SHEETS_READ, columns=_LISTS_COLUMNS_READ, links=False)
        # A workbook whose identity is not a questionnaire's (a progress return, a regional workbook, another
        # workbook) is skipped whatever its sheets hold: told by its identity before any sheet is searched for
        # a renamed criteria table, which reads the whole workbook.
        renamed = None
        if wb.sheet(ids.SHEET_CRITERIA) is None and _identity(wb)[0].get("template_id") == ids.TEMPLATE_ID:
            wb, renamed = renamed_criteria(data, wb)
    except UnreadableFile as exc:
        return _whole(path, sha256, INVALID, ERROR, Msg.UNREADABLE.format(reason=str(exc)), notes)
    sub = _check(Submission(path, sha256, issues=notes), wb, catalogue)
    issues = sub.issues
    if renamed is not None and sub.template_version:
        issues = [renamed, *issues]
    if sub.status != SKIPPED:
        issues = [*issues, *(Issue(WARNING, f.sheet, "", "", Msg.NOT_READ.format(what=f.message)) for f in wb.findings)]
    content = json.dumps([sub.answers, sub.evidence, sub.comments, sub.respondent], sort_keys=True, ensure_ascii=False)
    return replace(
        sub,
        issues=issues,
        sample=wb.properties.get(ids.SAMPLE_PROPERTY) == "synthetic",
        content_digest=hashlib.sha256(content.encode()).hexdigest(),
    )


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


def _digest(path: Path, data: bytes | None) -> str:
    """The SHA-256 of a file that is not read as a return, too: every input is listed with it (blank if unreadable)."""
    try:
        return hashlib.sha256(read_file(path) if data is None else data).hexdigest()
    except (OSError, UnreadableFile):  # e.g. a lock file Excel holds open on Windows, a FIFO
        return ""


def _whole(path: Path, sha256: str, status: str, severity: str, message: str, before: Sequence[Issue] = ()) -> Submission:
    """A file that is a problem, or not a return, as a whole: its status and its one-line reason."""
    return Submission(path, sha256, status, issues=[*before, Issue(severity, "", "", "", message)])


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


def _check(sub: Submission, wb: Workbook, catalogue: Catalogue) -> Submission:
    """*sub* (its path, digest and notes so far) completed with what *wb* holds: identity, respondent,
    criteria, and the score of what can be used."""
    ident, disagreements = _identity(wb)
    if ident.get("template_id") != ids.TEMPLATE_ID:
        found = ident.get("template_id")
        if found == kinds.REGIONAL:
            return _whole(sub.path, sub.sha256, SKIPPED, NOTE, Msg.REGIONAL_WORKBOOK.format(), sub.issues)
        detail = f"; template '{found}'" if found else ""
        return _whole(sub.path, sub.sha256, SKIPPED, NOTE, Msg.NOT_QUESTIONNAIRE.format(detail=detail), sub.issues)
    issues = [*sub.issues, *disagreements]
    version = f"{ident.get('schema_version', '?')} / {ident.get('methodology_version', '?')}"
    sub = replace(sub, template_version=version)
    refusal = _version_refusal(ident, catalogue)
    if refusal is not None:
        return replace(sub, status=INVALID, issues=[*issues, refusal])
    found_print = ident.get("catalogue_fingerprint")
    if found_print not in (None, catalogue.fingerprint):
        issues.append(Issue(WARNING, "", "", "", Msg.FINGERPRINT.format(found=found_print, expected=catalogue.fingerprint)))
    respondent = read_respondent(wb.sheet(ids.SHEET_RESPONDENT), catalogue, ident)
    table = read_criteria(wb, catalogue)
    issues += [*respondent.issues, *table.issues, *check_lists(wb, catalogue)]
    issues += [
        Issue(WARNING, s.name, "", "", Msg.EXTRA_SHEET.format(sheet=s.name)) for s in wb.sheets if s.name not in ids.SHEETS
    ]
    sub = replace(
        sub,
        respondent=respondent.details,
        country=respondent.country,
        year=respondent.year,
        evidence=table.evidence,
        comments=table.comments,
        answer_cells=table.answer_cells,
        prefilled=table.prefilled,
    )
    return _scored(sub, table.answers, issues, catalogue, respondent.prefilled)


def _version_refusal(ident: dict[str, str], catalogue: Catalogue) -> Issue | None:
    """The error when the file was made by another schema or for another methodology version."""
    schema = ident.get("schema_version", "")
    if schema != ids.SCHEMA_VERSION:
        return Issue(ERROR, "", "", "", Msg.NEWER_SCHEMA.format(found=schema or "?", supported=ids.SCHEMA_VERSION))
    method = ident.get("methodology_version", "?")
    if method != catalogue.version:
        return Issue(ERROR, "", "", "", Msg.OTHER_METHODOLOGY.format(found=method, expected=catalogue.version))
    return None


def _scored(
    sub: Submission, answers: dict[str, str], issues: list[Issue], catalogue: Catalogue, details_prefilled: bool = False
) -> Submission:
    """*sub* with its *issues* and the score of what can be used: an error naming a criterion leaves
    that criterion unanswered (and the file invalid until it is fixed); an error naming none
    (identity, sheets, respondent) leaves the whole file unscored. A pre-filled questionnaire is confirmed by
    a respondent detail typed in it: the completion date when the other details were pre-filled too."""
    errors = [i for i in issues if i.severity == ERROR]
    status = INVALID if errors else VALID
    if any(not i.criterion for i in errors):
        return replace(sub, status=status, answers=answers, issues=issues)
    refused = {i.criterion for i in errors}
    answers = {cid: code for cid, code in answers.items() if cid not in refused}
    blank = True
    confirming = (ids.DATE_FIELD,) if details_prefilled else ids.REQUIRED_DETAILS
    if sub.prefilled and not any(sub.respondent.get(k) for k in confirming):
        issues = [i for i in issues if i.code != Msg.DETAIL_MISSING.name]  # one line says it all
        untouched = Msg.PREFILLED_UNDATED if details_prefilled else Msg.PREFILLED_UNTOUCHED
        issues.append(Issue(WARNING, ids.SHEET_RESPONDENT, "", "", untouched.format()))
    elif {i.criterion for i in issues if i.code == Msg.BLANK.name} >= {c.id for c in catalogue.criteria}:
        issues = [i for i in issues if i.code != Msg.BLANK.name]  # nothing typed at all: one line, not forty
        issues.append(Issue(WARNING, ids.SHEET_CRITERIA, "", "", Msg.BLANK_RETURN.format(count=len(catalogue.criteria))))
    else:
        blank = False
    return replace(sub, status=status, answers=answers, issues=issues, blank=blank, assessment=assess(catalogue, answers))
