"""What each command does, in order, and what came of it: no printing, no exit statuses.

The CLI parses the options, calls one function here and prints what it returns. Problems in the input
are in the results (the CLI maps them to exit status 1); what makes a command impossible as asked is a
`UsageError` (exit status 2), raised before anything is written.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from rai_xl.core.collection import ChaseRow, Fate, MixedYears, Round, chase_list, sort_out
from rai_xl.core.submission import INVALID, SKIPPED, VALID, Submission
from rai_xl.errors import UsageError
from rai_xl.issues import Issue
from rai_xl.method.catalogue import Catalogue, Country, load_catalogue
from rai_xl.read.intake import Found, die_with_parent, discover, read_all, worker_context
from rai_xl.read.returns import read_return, slim
from rai_xl.write.outputs import (
    PROGRESS_RETURN,
    RECORD,
    RETURN,
    UNREADABLE,
    check_new,
    check_output,
    kept,
    lock_path,
    locked,
    make_folder,
    record_held,
    write_atomically,
)

if TYPE_CHECKING:
    from concurrent.futures import Future

    from rai_xl.core.collection import Note
    from rai_xl.core.previous_round import PreviousRound
    from rai_xl.core.progress_merge import Merged
    from rai_xl.core.progress_return import ProgressReturn, ProgressRow
    from rai_xl.core.report_model import RegionalReport

ROADMAP_YEARS = range(2025, 2031)  # the Roadmap runs 2025-2030
WORKBOOK_SUFFIXES = (".xlsx", ".xls", ".ods")
PROGRESS_RETURNS = "progress returns"  # how the summary lines count Member States' progress reports

Reader = Callable[[list[Found]], Iterable[Submission]]


P = ParamSpec("P")
R = TypeVar("R")


def without_gc_pauses(fn: Callable[P, R]) -> Callable[P, R]:
    """*fn* with Python's cycle collector paused while it runs (and in the processes it starts).

    A consolidation holds some 200,000 objects until its workbook is written (the cells read, the report,
    xlsxwriter's table of cells), and every full collection walks them all, finding nothing: paused, writing the
    regional workbook takes about 13 % less time. Nearly everything is freed by reference counting anyway; the
    few cycles left are collected once the collector resumes."""

    @wraps(fn)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            gc.enable()

    return paused


def check_year(year: int) -> int:
    """*year* if the Roadmap covers it, else UsageError."""
    if year not in ROADMAP_YEARS:
        raise UsageError(f"{year} is outside the Roadmap's years ({ROADMAP_YEARS[0]}-{ROADMAP_YEARS[-1]})")
    return year


def find_returns(paths: Iterable[Path], exclude: Iterable[Path] = ()) -> list[Found]:
    """The files to read under *paths*; UsageError when a path is missing or a folder holds no spreadsheet."""
    return discover(paths, exclude)


def crashed(subs: Iterable[Submission]) -> list[Submission]:
    """The files rai-xl itself failed on (a bug): each already has its one-line verdict."""
    return [s for s in subs if s.internal_error]


# ---------------------------------------------------------------- questionnaire


@dataclass(frozen=True)
class WrittenQuestionnaire:
    path: Path
    prefilled: int | None  # answers pre-filled from the previous round; None when not asked to pre-fill
    previous_year: int = 0


def make_questionnaires(
    catalogue: Catalogue,
    output: Path,
    year: int,
    *,
    country: Country | None = None,
    all_countries: bool = False,
    password: str = "",
    contact: str = "",
    previous: Path | None = None,
    force: bool = False,
) -> list[WrittenQuestionnaire]:
    """Write the questionnaires, each atomically: one per Member State into the folder *output* with
    *all_countries*, else one file (for *country*, or for the respondent to pick the country). With
    *previous*, each is pre-filled with that regional workbook's answers and evidence for its country."""
    from rai_xl.layouts.questionnaire import Prefill
    from rai_xl.read.previous import previous_answers
    from rai_xl.write.questionnaire import file_name, write_questionnaire

    if all_countries and country is not None:
        raise UsageError("use either --country or --all, not both")
    if previous is not None and not (all_countries or country):
        raise UsageError("--previous pre-fills a country's answers: use it with --country or --all")
    last_year, last_answers = 0, dict[str, Prefill]()
    if previous is not None:
        last_year, last_answers = previous_answers(previous, catalogue, year)
    targets: list[tuple[Country | None, Path]]
    if all_countries:
        if output.exists() and not output.is_dir():
            raise UsageError(f"--output {output} is a file; --all writes into a folder")
        if output.suffix.lower() in WORKBOOK_SUFFIXES:
            raise UsageError(
                f"--output {output} looks like a file name; --all writes one workbook per Member State into a folder"
            )
        make_folder(output)
        targets = [(c, output / file_name(c, year)) for c in catalogue.countries]
    else:
        if output.is_dir():
            output = output / file_name(country, year)
        if output.suffix.lower() != ".xlsx":
            raise UsageError(f"--output {output} must end in .xlsx")
        targets = [(country, output)]
    check_new((path for _, path in targets), force, catalogue, [previous] if previous else [])
    written = []
    for chosen, path in targets:
        prefill = None
        if previous is not None and chosen is not None:
            prefill = last_answers.get(chosen.code, Prefill(last_year))

        def write(tmp: Path, chosen: Country | None = chosen, prefill: Prefill | None = prefill) -> None:
            write_questionnaire(
                catalogue, tmp, country=chosen, year=year, password=password, contact=contact, prefill=prefill
            )

        write_atomically(path, write)
        written.append(WrittenQuestionnaire(path, None if prefill is None else len(prefill.answers), last_year))
    return written


# ---------------------------------------------------------------- validate


@dataclass(frozen=True)
class Verdict:
    """One file as `validate` reports it: what it holds, and what consolidate will do with it."""

    submission: Submission  # slim: errors only among its issues
    issues: tuple[Issue, ...]  # every issue of the file
    fate: Fate | None  # None when the round cannot be sorted out (returns of several years, no --year)
    reason: str


@dataclass
class Check:
    """What `validate` found: a verdict per file, the round as consolidate would see it, the chase list."""

    files: list[Verdict]
    round: Round | None
    round_problem: str  # why the round could not be sorted out ('' when it could)
    chase: list[ChaseRow] = field(default_factory=list)  # with a year only
    year: int | None = None
    progress: list[ProgressReturn] = field(default_factory=list)  # progress returns met among the files

    @property
    def problems(self) -> bool:
        """Problems in the input (exit status 1): the round's, or, when it cannot be sorted out, any invalid or
        incomplete file, or a progress return that cannot be used as it is (invalid, with errors, or untouched
        and undated: a dated return with no change is a report). Member States that have not replied are in the
        chase list, not problems."""
        if any(p.status == INVALID or (p.untouched and not p.reported_unchanged) or p.errors for p in self.progress):
            return True
        if self.round is not None:
            return self.round.has_problems
        return any(
            v.submission.status == INVALID or (v.submission.status != SKIPPED and not v.submission.complete)
            for v in self.files
        )

    def counts(self) -> dict[str, int]:
        """{fate: files} in the vocabulary's order (or {status: files} when the round cannot be sorted out),
        then the progress returns."""
        out: dict[str, int] = {}
        if self.round is not None:
            out = {str(k): v for k, v in self.round.counts().items()}
        else:
            for v in self.files:
                out[v.submission.status] = out.get(v.submission.status, 0) + 1
        return _with_progress(out, len(self.progress))


def _with_progress(counts: dict[str, int], progress: int) -> dict[str, int]:
    """*counts*, then the progress returns when there are any."""
    return counts | ({PROGRESS_RETURNS: progress} if progress else {})


@without_gc_pauses
def check(catalogue: Catalogue, paths: Iterable[Path], year: int | None = None, read: Reader | None = None) -> Check:
    """Read and check every return under *paths* and sort out the round as consolidate would."""
    files = find_returns(paths)
    criteria = tuple(c.id for c in catalogue.criteria)
    from rai_xl.read.progress_returns import read_progress

    kept: list[tuple[Submission, tuple[Issue, ...]]] = []
    progress = []
    for s in (read or read_all)(files):
        if s.status == SKIPPED and (p := read_progress(s.path, catalogue)) is not None:
            progress.append(p)  # not a questionnaire: a Member State's progress report, checked as such
            continue
        # each file kept small (its errors, answers packed): memory stays near flat however many files there are
        kept.append((slim(s, criteria), tuple(s.issues)))
    subs = [s for s, _ in kept]
    try:
        rnd: Round | None = sort_out(subs, year)
        problem = ""
    except MixedYears as exc:
        rnd, problem = None, str(exc)
    fates = {id(e.submission): (e.status, e.reason) for e in rnd.entries} if rnd else {}
    verdicts = [Verdict(s, issues, *fates.get(id(s), (None, s.reason()))) for s, issues in kept]
    chase = chase_list(rnd, catalogue) if rnd is not None and year is not None else []
    return Check(verdicts, rnd, problem, chase, year, progress)


# ---------------------------------------------------------------- consolidate


@dataclass
class Consolidation:
    """What `consolidate` did: the round, the workbook written (or why not), and the findings."""

    round: Round
    output: Path
    written: bool
    previous: PreviousRound | None = None
    crashed: list[Submission] = field(default_factory=list)
    report: RegionalReport | None = None  # what the workbook shows (None when --strict wrote nothing)
    discarded: tuple[int, int] | None = None  # (typed entries, rounds of History) of the workbook replaced
    progress: Merged | None = None  # the progress returns merged into the previous round's entries
    progress_said: list[str] = field(default_factory=list)  # one line per progress return, for the terminal
    progress_files: set[Path] = field(default_factory=set)  # the files read that are progress returns

    def counts(self) -> dict[str, int]:
        """{fate: questionnaire returns} in the vocabulary's order, then the progress returns."""
        fates = self.round.counts(leaving_out=self.progress_files)
        return _with_progress({str(k): v for k, v in fates.items()}, len(self.progress_files))

    @property
    def notes(self) -> list[Note]:
        """Findings about the consolidation itself (also on the Issues sheet)."""
        return self.report.notes if self.report else []

    @property
    def problems(self) -> bool:
        return self.round.has_problems or (self.progress is not None and self.progress.has_problems)


@without_gc_pauses
def consolidate(
    catalogue: Catalogue,
    paths: Iterable[Path],
    output: Path,
    *,
    year: int | None = None,
    strict: bool = False,
    force: bool = False,
    fresh: bool = False,
    previous: Path | None = None,
    progress: Iterable[Path] = (),
    read: Reader | None = None,
) -> Consolidation:
    """Read the returns under *paths*, sort out the round, and write the regional workbook to *output*
    (carrying forward *previous*, an earlier regional workbook, when given).

    A regional workbook that holds typed entries or History is never replaced without being read:
    *output* must be the *previous* workbook itself, or *fresh* must say to start the record again.
    Progress returns (met among *paths*, or under *progress*) are merged into *previous*'s entries."""
    paths = list(paths)
    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"--output {output} must end in .xlsx")
    check_output(output)
    with locked(output):  # for the whole run: a second run on this output waits, or is refused
        return _consolidate(catalogue, paths, output, year, strict, force, fresh, previous, list(progress), read)


def _consolidate(
    catalogue: Catalogue,
    paths: list[Path],
    output: Path,
    year: int | None,
    strict: bool,
    force: bool,
    fresh: bool,
    previous: Path | None,
    named: list[Path],
    read: Reader | None,
) -> Consolidation:
    from rai_xl.core.report import build
    from rai_xl.read.previous import refuse_later
    from rai_xl.read.progress_returns import read_progress_returns
    from rai_xl.write.regional.workbook import write_report

    updating = previous is not None and previous.resolve() == output.resolve()  # read first, replaced atomically
    discarded = None
    if output.exists() and not updating:
        there = kept(output, catalogue)
        if there.kind in (RETURN, PROGRESS_RETURN):
            raise UsageError(
                f"{output} {there.why}; rai-xl never writes over a return, --force or not: choose another output"
            )
        if there.kind == UNREADABLE and not fresh:
            raise UsageError(
                f"{output} {there.why}; --force never replaces it: choose another output, or add --fresh to discard it "
                "and start the record again"
            )
        # one piece of advice, that works when followed: --fresh for a workbook holding a record, else --force
        discarded = there.held
        if there.kind == RECORD and not fresh:
            assert discarded is not None
            raise UsageError(
                f"{output} is a regional workbook holding {record_held(*discarded)}: add --previous {output.name} to "
                f"carry its entries (or --fresh to start the record again, discarding {record_held(*discarded)})"
            )
        if not (force or fresh):
            raise UsageError(
                f"{output} already exists; add --previous {output.name} to carry its entries into the new workbook, "
                "or --force to overwrite it"
            )
    if previous is not None and not previous.exists() and not previous.is_symlink():
        raise UsageError(f"--previous {previous} does not exist; it should be an earlier regional workbook")
    if named and previous is None:
        raise UsageError("--progress needs --previous: the regional workbook the progress workbooks were made from")
    # The previous workbook is read in a second process while this one reads the returns (two cores, one wait);
    # a wrong --previous still stops the run before anything is written.
    pending = _PreviousReading(previous) if previous is not None else None
    try:
        files = find_returns(paths, exclude=(output, lock_path(output), *([previous] if previous else [])))
        if output.resolve() in {p.resolve() for p in named}:
            raise UsageError(f"{output} is one of the inputs; choose another output file")
        if output.resolve() in {f.path.resolve() for f in files} or _return_in_folders(output, paths, catalogue):
            raise UsageError(f"{output} is one of the inputs; choose another output file")
    except UsageError:
        if pending is not None:
            pending.future.result()  # a wrong --previous is what to say first
        raise
    subs = list((read or read_all)(files))
    named_files = [f.path for f in find_returns(named)] if named else []
    skipped = [s.path for s in subs if s.status == SKIPPED]
    found = read_progress_returns(skipped, named_files, catalogue, whole=previous is not None)
    earlier, table = pending.result() if pending is not None else (None, ())
    merged, said = _merge_progress(earlier, table, found, catalogue)
    progress_files = {ret.path for ret in found}
    if merged is not None:
        earlier = merged.previous
    rnd = sort_out(subs, year)
    if (
        year is not None
        and rnd.year == year
        and not rnd.included
        and not any(e.submission.year == year for e in rnd.entries)
    ):
        years = sorted({e.submission.year for e in rnd.entries if e.submission.year})
        raise UsageError(f"no return for {year} was found (years found: {', '.join(map(str, years)) or 'none'})")
    this_year = rnd.year or date.today().year
    if earlier is not None:
        refuse_later(earlier.name, earlier.year, this_year)
    done = Consolidation(
        rnd, output, False, previous=earlier, crashed=crashed(subs), discarded=discarded, progress=merged, progress_said=said
    )
    done.progress_files = progress_files
    if strict and (rnd.has_problems or done.crashed):
        return done
    synthetic = any(s.sample for s in rnd.included.values())
    done.report = build(catalogue, rnd, this_year, earlier, merged)
    write_report(done.report, output, synthetic)
    done.written = True
    return done


class _PreviousReading:
    """The previous regional workbook, read in a worker process while this one reads the returns.

    Its Checklist table (half its cells, and nothing typed but values typed over its formulas) is read by
    whichever process is free first: the worker once it has read the rest, or this one once it has read the
    returns; a lock shared by the two says which (each tries it once, without waiting)."""

    def __init__(self, path: Path) -> None:
        from concurrent.futures import ProcessPoolExecutor  # only when a second process is used: 15 ms to import

        self.path = path
        context = worker_context()
        self.claim = context.Lock()
        pool = ProcessPoolExecutor(1, context, initializer=_previous_worker, initargs=(os.getpid(), self.claim))
        try:
            self.future: Future[tuple[PreviousRound, tuple[ProgressRow, ...], bool]] = pool.submit(_read_previous, path)
        finally:
            pool.shutdown(wait=False)  # the submitted call still runs to its end

    def result(self) -> tuple[PreviousRound, tuple[ProgressRow, ...]]:
        """What the workbook holds, and its Progress table; UsageError when it cannot serve as --previous (the
        worker's reason first: what is wrong with the workbook as a whole)."""
        from rai_xl.read.previous import PreviousError, read_checklist, with_typed_over

        checklist, failure = None, None
        if self.claim.acquire(block=False):
            try:
                checklist = read_checklist(self.path)
            except PreviousError as exc:
                failure = exc
        earlier, table, read_there = self.future.result()
        if failure is not None:  # the rest could be read, the Checklist cannot: why, in one line
            try:
                raise failure
            finally:
                failure = None  # (no cycle through this frame)
        if read_there:
            return earlier, table
        return with_typed_over(earlier, checklist), table


_CLAIM: Any = None  # in the worker reading a previous workbook: the lock that says who reads its Checklist table


def _previous_worker(parent: int, claim: Any) -> None:
    global _CLAIM
    die_with_parent(parent)
    _CLAIM = claim


def _read_previous(path: Path) -> tuple[PreviousRound, tuple[ProgressRow, ...], bool]:
    """What the regional workbook at *path* holds, its Progress table, and whether its Checklist table was read
    here (in the worker process of `_PreviousReading`)."""
    from rai_xl.read.previous import read_checklist, read_record, with_typed_over

    record = read_record(path, load_catalogue(), checklist=False)
    if _CLAIM is not None and _CLAIM.acquire(block=False):
        return with_typed_over(record.round, read_checklist(path)), record.progress, True
    return record.round, record.progress, False


def _merge_progress(
    earlier: PreviousRound | None, table: tuple[ProgressRow, ...], found: list[ProgressReturn], catalogue: Catalogue
) -> tuple[Merged | None, list[str]]:
    """The progress returns *found* merged into *earlier* with its Progress *table* (None when neither holds
    any, or without a previous round); one line per progress return for the terminal."""
    from rai_xl.core.progress_merge import merge
    from rai_xl.read.progress_returns import not_merged

    if earlier is None or not (found or table):
        return None, [not_merged(ret) for ret in found]  # met among the returns: listed, not merged
    merged = merge(earlier, found, table, catalogue)
    return merged, [o.line for o in merged.outcomes]


def _return_in_folders(output: Path, paths: list[Path], catalogue: Catalogue) -> bool:
    """Whether *output* is an existing returned questionnaire inside a folder being read.

    Discovery leaves the output out of the folders (an earlier regional workbook is not an input),
    but --force must not overwrite an official's return.
    """
    target = output.resolve()
    inside = any(p.is_dir() and target.is_relative_to(p.resolve()) for p in paths)
    return inside and output.is_file() and bool(read_return(output, catalogue).template_version)


# ---------------------------------------------------------------- pack


@dataclass(frozen=True)
class Scored:
    """What `score` made of one returned file."""

    submission: Submission

    @property
    def problems(self) -> bool:
        """The return cannot be used as it is: rejected, with answers to fix, or incomplete."""
        return self.submission.status != VALID or not self.submission.complete


def score(catalogue: Catalogue, path: Path) -> Scored:
    """Read, check and score the one returned file at *path* (named on the command line)."""
    return Scored(read_return(path, catalogue, named=True))


@dataclass(frozen=True)
class WrittenProgress:
    """What `progress` wrote: each progress workbook and the milestones it holds."""

    written: list[tuple[Path, int]]
    problems = False  # a regional workbook that cannot be used is a usage problem, refused before writing


def make_progress(
    catalogue: Catalogue, previous: Path, countries: list[Country] | None, output: Path, force: bool, password: str
) -> WrittenProgress:
    """One locked progress workbook per Member State of *countries* (None: every one with a tracker in the
    regional workbook *previous*), into the folder (or file) *output*."""
    from rai_xl.write.progress import write_progress_workbooks

    return WrittenProgress(write_progress_workbooks(catalogue, previous, countries, output, force, password))


@dataclass(frozen=True)
class Pack:
    """What `pack` wrote: the PDF, its pages, the round, and the Member States of a brief (none: the pack)."""

    output: Path
    pages: int
    year: int
    countries: tuple[Country, ...] = ()
    problems = False  # a workbook that cannot make a pack is refused (exit status 1) before anything is written


def make_pack(
    catalogue: Catalogue, regional: Path, output: Path, countries: Iterable[Country] = (), force: bool = False
) -> Pack:
    """Typeset the meeting pack (or, with *countries*, their briefs) of the regional workbook at *regional*
    into the PDF *output*, atomically. UsageError when *output* cannot be written as asked;
    rai_xl.core.pack.PackInputError when the workbook cannot make a pack (nothing is written then)."""
    from rai_xl.core.pack import build_pack
    from rai_xl.read.pack import read_pack_source
    from rai_xl.write.pack import write_pack

    chosen = tuple(dict.fromkeys(countries))
    if output.suffix.lower() != ".pdf":
        raise UsageError(f"--output {output} must end in .pdf")
    if output.exists() and output.resolve() == regional.resolve():
        raise UsageError(f"{output} is the regional workbook the pack is made from; choose another output file")
    check_new([output], force)
    if output.is_file() and not output.read_bytes()[:5] == b"%PDF-":
        raise UsageError(f"{output} is not a PDF; rai-xl replaces only a PDF it could have written")
    source = read_pack_source(regional, catalogue)
    document = build_pack(catalogue, source, chosen)
    pages = write_pack(document, output)
    return Pack(output, pages, source.record.year, chosen)
