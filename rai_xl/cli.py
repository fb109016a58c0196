"""The rai-xl command line: a thin shell over the library. Heavy imports wait until a command runs."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from rai_xl import __version__

if TYPE_CHECKING:
    from rai_xl.catalogue import Catalogue, Country
    from rai_xl.intake import Found
    from rai_xl.returns import Submission

PROBLEMS = 1  # exit status: problems found in the input (what could be made was made)
INTERNAL_ERROR = 3  # exit status: rai-xl itself failed (a bug), never to be mistaken for problems in the input


class InternalError(Exception):
    """rai-xl failed on some input files (a bug); the details are in *report*."""

    def __init__(self, message: str, report: str) -> None:
        super().__init__(message)
        self.report = report


def _save_report(text: str) -> Path:
    """Write a crash report where the user can find it and send it on; return its path."""
    import tempfile
    import time

    fd, name = tempfile.mkstemp(prefix=time.strftime("rai-xl-error-%Y%m%d-%H%M%S-"), suffix=".txt")
    with open(fd, "w", encoding="utf-8") as f:
        f.write(f"rai-xl {__version__}, {' '.join(sys.argv)}\n\n{text}")
    return Path(name)


class _Cli(click.Group):
    """The command group: an unexpected exception (a bug) becomes one line and exit status 3."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception as exc:
            import traceback

            if ctx.meta.get("rai_xl.debug"):
                raise
            report = exc.report if isinstance(exc, InternalError) else traceback.format_exc()
            path = _save_report(report)
            what = str(exc) if isinstance(exc, InternalError) else f"{type(exc).__name__}: {exc}"
            click.echo(
                f"rai-xl: internal error ({what}); this is a bug in rai-xl, not a problem in your files. "
                f"Full report: {path} (or run again with --debug)",
                err=True,
            )
            sys.exit(INTERNAL_ERROR)


def _check_internal(subs: list[Submission]) -> None:
    """Raise InternalError if rai-xl failed on any file (each such file already has its one-line verdict)."""
    failed = [s for s in subs if s.internal_error]
    if failed:
        report = "\n\n".join(f"{s.path}:\n{s.internal_error}" for s in failed)
        raise InternalError(f"failed on {len(failed)} file(s): {', '.join(s.path.name for s in failed)}", report)


class BrokenInstallation(click.ClickException):
    """rai-xl's own files are broken (e.g. an edited catalogue): one line, exit status 3, as for a bug."""

    exit_code = INTERNAL_ERROR


class UsageProblem(click.ClickException):
    """A usage error reported in one line ('Error: ...'), exit status 2."""

    exit_code = 2


def _catalogue() -> Catalogue:
    from rai_xl.catalogue import CatalogueError, load_catalogue

    try:
        return load_catalogue()
    except CatalogueError as exc:
        raise BrokenInstallation(f"the packaged catalogue is broken: {exc}") from None


ROADMAP_YEARS = range(2025, 2031)  # the Roadmap runs 2025-2030


def _year(value: int | None) -> int:
    year = value or date.today().year
    if year not in ROADMAP_YEARS:
        raise click.BadParameter(
            f"{year} is outside the Roadmap's years ({ROADMAP_YEARS[0]}-{ROADMAP_YEARS[-1]})", param_hint="'--year'"
        )
    return year


def _country(cat: Catalogue, text: str) -> Country:
    """The Member State a coordinator named: code, name or a common form ('Laos', 'LAO', 'Vietnam')."""
    found = cat.find_country(text)
    if found is None:
        near = cat.closest_countries(text)
        hint = f"did you mean {' or '.join(c.name for c in near)}? " if near else ""
        raise click.BadParameter(
            f"unknown country '{text}'; {hint}use a code ({' '.join(c.code for c in cat.countries)}) or a name",
            param_hint="'--country'",
        )
    return found


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="rai-xl")
@click.option("--debug", is_flag=True, help="On an internal error, show the full traceback instead of saving it to a file.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """ASEAN Responsible AI Roadmap (2025–2030) readiness self-assessment, in Excel.

    \b
    The workflow:
      1. rai-xl questionnaire --all --output out/     one locked workbook per Member State
      2. officials fill them in Excel, LibreOffice or Google Sheets and email them back
      3. rai-xl validate returns/                     precise fix-up requests, per file and cell
         rai-xl score returns/RAI-readiness-2026-Lao-PDR.xlsx
      4. rai-xl consolidate returns/ --output regional.xlsx
                                                      the regional workbook for ADGSOM
      5. rai-xl progress --previous regional.xlsx --all --output progress/
                                                      Member States report their own progress;
                                                      consolidate --progress merges what comes back

    Exit status: 0 success, 1 problems found in the input (what could be made is still made),
    2 usage error, 3 internal error (a bug in rai-xl: one line, and the full report saved to a file).
    """
    ctx.meta["rai_xl.debug"] = debug


@cli.command()
@click.option(
    "--country",
    metavar="COUNTRY",
    help="Member State, by code (BN KH ID LA MY MM PH SG TH TL VN) or name ('Lao PDR', 'Laos', 'Viet Nam'). "
    "Without it (and without --all) the respondent picks the country from a dropdown.",
)
@click.option("--all", "all_countries", is_flag=True, help="Write one workbook per Member State into the --output folder.")
@click.option("--year", type=int, help="Assessment year (default: this year).")
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(path_type=Path),
    help="The .xlsx file to write (a folder with --all).",
)
@click.option(
    "--password",
    default="",
    help="Sheet-protection password. Protection prevents accidents, "
    "not determined editing: rai-xl checks every answer when the file comes back anyway.",
)
@click.option("--contact", default="", help="Who officials should contact with questions (shown on 'Start here').")
@click.option(
    "--previous",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Last round's regional workbook: each country's answers and evidence are written in place, "
    "marked 'confirm or change' (still checked when the return comes back).",
)
@click.option("--force", is_flag=True, help="Overwrite existing files.")
def questionnaire(
    country: str | None,
    all_countries: bool,
    year: int | None,
    output: Path,
    password: str,
    contact: str,
    previous: Path | None,
    force: bool,
) -> None:
    """Write the locked questionnaire workbook(s) officials fill in.

    Each workbook has a 'Start here' sheet, respondent details, the 40 criteria with a dropdown
    of each criterion's three answers, and a live summary of pillar scores and tiers.

    \b
    Examples:
      rai-xl questionnaire --country LA --year 2026 --output RAI-2026-Lao-PDR.xlsx
      rai-xl questionnaire --all --year 2026 --output questionnaires/
      rai-xl questionnaire --all --year 2027 --previous regional-2026.xlsx --output questionnaires-2027/
    """
    from rai_xl.previous import PreviousError, previous_answers
    from rai_xl.questionnaire import Prefill, file_name, write_questionnaire

    cat = _catalogue()
    year = _year(year)
    if all_countries and country:
        raise UsageProblem("use either --country or --all, not both")
    if previous is not None and not (all_countries or country):
        raise UsageProblem("--previous pre-fills a country's answers: use it with --country or --all")
    last_year, last_answers = 0, {}
    if previous is not None:
        try:
            last_year, last_answers = previous_answers(previous, cat, year)
        except PreviousError as exc:
            raise UsageProblem(str(exc)) from None
    if all_countries:
        if output.exists() and not output.is_dir():
            raise click.BadParameter(f"{output} is a file; --all writes into a folder", param_hint="'--output'")
        if output.suffix.lower() in (".xlsx", ".xls", ".ods"):
            raise click.BadParameter(
                f"{output} looks like a file name; --all writes one workbook per Member State into a folder",
                param_hint="'--output'",
            )
        output.mkdir(parents=True, exist_ok=True)
        targets = [(c, output / file_name(c, year)) for c in cat.countries]
    else:
        chosen = _country(cat, country) if country else None
        if output.is_dir():
            output = output / file_name(chosen, year)
        if output.suffix.lower() != ".xlsx":
            raise click.BadParameter(f"{output} must end in .xlsx", param_hint="'--output'")
        targets = [(chosen, output)]
    for _, path in targets:
        if path.exists() and not force:
            raise UsageProblem(f"{path} already exists; add --force to overwrite it")
        if not path.parent.is_dir():
            raise UsageProblem(f"cannot write {path}: folder {path.parent} does not exist")
    for chosen, path in targets:
        prefill = None
        if previous is not None and chosen is not None:
            found = last_answers.get(chosen.code, {})
            prefill = Prefill(last_year, {q: a for q, (a, _) in found.items()}, {q: e for q, (_, e) in found.items() if e})
        try:
            write_questionnaire(cat, path, country=chosen, year=year, password=password, contact=contact, prefill=prefill)
        except OSError as exc:
            raise UsageProblem(f"cannot write {path}: {exc.strerror or exc}") from None
        if prefill is None:
            click.echo(f"wrote {path}")
        elif prefill.answers:
            click.echo(f"wrote {path} (pre-filled: {len(prefill.answers)} answers from {last_year})")
        else:
            click.echo(f"wrote {path} (not pre-filled: {previous.name} holds no answers for it)")


def _discover(paths: tuple[Path, ...], exclude: tuple[Path, ...] = ()) -> list[Found]:
    from rai_xl.intake import NothingToRead, discover

    try:
        return discover(paths, exclude)
    except NothingToRead as exc:
        raise UsageProblem(str(exc)) from None


def _stream(files: list[Found]) -> Iterator[Submission]:
    """Read returns one by one, with a progress bar on a terminal when there are many."""
    from rai_xl.intake import read_all

    if len(files) > 20 and sys.stderr.isatty():
        with click.progressbar(length=len(files), label="Reading returns", file=sys.stderr) as bar:
            yield from read_all(files, bar.update)
    else:
        yield from read_all(files)


def _read(files: list[Found]) -> list[Submission]:
    return list(_stream(files))


def _pillars_json(sub: Submission) -> list[dict[str, Any]]:
    assert sub.assessment is not None
    return [
        {"number": p.number, "score": p.score, "tier": p.tier, "answered": p.answered, "complete": p.complete}
        for p in sub.assessment.pillars
    ]


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list: one object per file found.")
@click.option(
    "--year",
    type=int,
    help="The round being collected: adds the chase list (who has not replied, blank or conflicting returns, "
    "answers to fix, contacts and completion dates).",
)
def validate(paths: tuple[Path, ...], as_json: bool, year: int | None) -> None:
    """Check returned workbooks (files or folders) and list every problem.

    One line per file, then one line per problem naming file, sheet, cell, criterion, the value
    found and the allowed answers: precise enough to paste into an email to the official.
    Then the round as consolidate would see it: revised returns (the later completion date
    supersedes) and conflicts; with --year, the chase list. Exit status 1 when any file is invalid
    or incomplete, or returns conflict.

    \b
    Examples:
      rai-xl validate returns/
      rai-xl validate returns/ --year 2026      with the chase list for the 2026 round
      rai-xl validate returns/*.xlsx --json > report.json
    """
    from rai_xl.issues import ERROR, NOTE, one_line
    from rai_xl.progress_returns import as_dict, read_progress, verdict
    from rai_xl.returns import INVALID, SKIPPED, VALID, slim

    if year is not None:
        year = _year(year)
    files = _discover(paths)
    criteria = tuple(c.id for c in _catalogue().criteria)
    counts = {VALID: 0, INVALID: 0, SKIPPED: 0}
    problems = False
    crashed: list[Submission] = []
    usable: list[Submission] = []  # slim copies of the returns that name a country: enough to sort out the round
    if as_json:
        click.echo("[")
    # one file at a time, as it is read: memory stays flat however many files there are
    for n, s in enumerate(_stream(files)):
        if s.status == SKIPPED and (p := read_progress(s.path, _catalogue())) is not None:  # a progress return
            counts[p.status] += 1
            problems = problems or p.status == INVALID or p.untouched or bool(p.errors)
            if as_json:
                text = json.dumps(as_dict(p), indent=2, ensure_ascii=False)
                click.echo(("" if n == 0 else ",\n") + "\n".join("  " + line for line in text.splitlines()), nl=False)
            else:
                click.echo(one_line(verdict(p)))
                for i in p.issues:
                    click.echo("  " + i.line(p.path.name))
            continue
        counts[s.status] += 1
        problems = problems or s.status == INVALID or (s.status != SKIPPED and not s.complete)
        if s.internal_error:
            crashed.append(s)
        if s.country is not None:  # rejected returns too: the chase list says whose return cannot be used
            usable.append(slim(s, criteria))
        if as_json:
            obj = {
                "file": str(s.path),
                "status": s.status,
                "country": s.country.code if s.country else None,
                "year": s.year,
                "complete": s.complete,
                "blank": s.blank,
                "issues": [i.as_dict() for i in s.issues],
            }
            text = json.dumps(obj, indent=2, ensure_ascii=False)
            click.echo(("" if n == 0 else ",\n") + "\n".join("  " + line for line in text.splitlines()), nl=False)
            continue
        who = f" ({s.country.name} {s.year})" if s.country else ""
        n_err = sum(i.severity == ERROR for i in s.issues)
        state = s.status if s.status != VALID or s.complete else "valid but incomplete"
        if s.blank:
            state = "blank return (no answers yet)"
        elif s.status == SKIPPED:
            state = s.reason()
        click.echo(one_line(f"{s.path}{who}: {state}") + (f", {n_err} error(s)" if n_err else ""))
        for i in s.issues:
            if i.severity != NOTE:
                click.echo("  " + i.line(s.path.name))
    if as_json:
        click.echo("\n]")
    problems = _report_round(usable, year, err=as_json) or problems
    if not as_json:
        click.echo(f"{len(files)} file(s): {counts[VALID]} valid, {counts[INVALID]} invalid, {counts[SKIPPED]} skipped")
    _check_internal(crashed)
    if problems:
        sys.exit(PROBLEMS)


def _report_round(usable: list[Submission], year: int | None, err: bool) -> bool:
    """Print revisions, conflicts and (with *year*) the chase list; whether there is a conflict or a gap."""
    from rai_xl.consolidate import CONFLICT, DUPLICATE, NOT_REPLIED, SUPERSEDED, MixedYears, chase_list, sort_out
    from rai_xl.issues import one_line

    def say(text: str) -> None:
        click.echo(one_line(text), err=err)

    try:
        rnd = sort_out(usable, year)
    except MixedYears as exc:
        say(f"Round: {exc}")
        return False
    revisions = [e for e in rnd.entries if e.status in (SUPERSEDED, DUPLICATE, CONFLICT)]
    if revisions:
        say(f"Revised and conflicting returns ({rnd.year}):")
        for e in revisions:
            say(f"  {e.submission.path}: {e.status}: {e.reason}")
    if year is None:
        return bool(rnd.conflicts())
    rows = chase_list(rnd, _catalogue())
    replied = [r for r in rows if r.replied]
    say(f"Chase list {year}: {len(replied)} of {len(rows)} Member States replied ({100 * len(replied) // len(rows)}%)")
    for r in rows:
        facts = [
            r.detail,
            f"contact: {r.contact}" if r.contact else "",
            f"completed {r.completed_on}" if r.completed_on else "",
        ]
        say(f"  {r.country.name}: {r.state}" + "".join(f"; {f}" for f in facts if f))
    return bool(rnd.conflicts()) or any(r.state == NOT_REPLIED for r in rows)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (country, year, pillars, criteria, issues).")
def score(file: Path, as_json: bool) -> None:
    """Score one returned workbook: pillar scores, tiers, completeness and issues.

    Tiers: Advanced from 21 points, Promising from 11, Emerging below (10.5 is Emerging).
    A pillar with unanswered criteria is incomplete and its tier provisional.

    \b
    Example:
      rai-xl score returns/RAI-readiness-2026-Lao-PDR.xlsx --json
    """
    from rai_xl.issues import one_line
    from rai_xl.returns import VALID, read_return

    cat = _catalogue()
    sub = read_return(file, cat, named=True)
    scored = sub.assessment is not None  # answers not accepted count as unanswered; the rest is scored
    if as_json:
        obj = {
            "file": str(file),
            "status": sub.status,
            "country": {"code": sub.country.code, "name": sub.country.name} if sub.country else None,
            "year": sub.year,
            "complete": sub.complete,
            "pillars": _pillars_json(sub) if scored else [],
            "criteria": [
                {
                    "id": c.id,
                    "answer": next((a.label for a in c.answers if a.code == sub.answers.get(c.id)), None),
                    "points": sub.assessment.points_for(c.id) if scored else None,
                }  # type: ignore[union-attr]
                for c in cat.criteria
            ],
            "issues": [i.as_dict() for i in sub.issues],
        }
        click.echo(json.dumps(obj, indent=2, ensure_ascii=False))
    else:
        who = f"{sub.country.name} {sub.year}" if sub.country else "unknown country"
        click.echo(one_line(f"{file}: {who}"))
        if scored:
            for p in sub.assessment.pillars:  # type: ignore[union-attr]
                if p.tier is None:
                    click.echo(f"  Pillar {p.number} {cat.pillar(p.number).name}: not answered")
                    continue
                tier = p.tier if p.complete else f"{p.tier} (provisional: {', '.join(p.missing)} unanswered)"
                nxt = "" if p.points_to_next_tier is None else f", {p.points_to_next_tier:g} to next tier"
                click.echo(f"  Pillar {p.number} {cat.pillar(p.number).name}: {p.score:g}/30, {tier}{nxt}")
        else:
            click.echo("  not scored: the file has errors (below)")
        for i in sub.issues:
            click.echo("  " + i.line(file.name))
    _check_internal([sub])
    if sub.status != VALID or not sub.complete:
        sys.exit(PROBLEMS)


def _return_in_folders(output: Path, paths: tuple[Path, ...], cat: Catalogue) -> bool:
    """Whether *output* is an existing returned questionnaire inside a folder being read.

    Discovery leaves the output out of the folders (an earlier regional workbook is not an input),
    but --force must not overwrite an official's return.
    """
    from rai_xl.returns import read_return

    target = output.resolve()
    inside = any(p.is_dir() and target.is_relative_to(p.resolve()) for p in paths)
    return inside and output.is_file() and bool(read_return(output, cat).template_version)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The regional workbook to write (.xlsx).",
)
@click.option("--year", type=int, help="The assessment year to consolidate (needed when returns span several years).")
@click.option("--strict", is_flag=True, help="Write nothing if any return was rejected, conflicting or incomplete.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option(
    "--previous",
    type=click.Path(path_type=Path, dir_okay=False),
    help="An earlier regional workbook (this year's or an earlier year's, edited or not): its checklist entries "
    "and History are carried forward. May be the --output file itself.",
)
@click.option(
    "--progress",
    "progress_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Progress returns (files or folders) to merge into the trackers; those among PATHS are found anyway. "
    "Needs --previous: the regional workbook they were made from.",
)
def consolidate(
    paths: tuple[Path, ...],
    output: Path,
    year: int | None,
    strict: bool,
    force: bool,
    previous: Path | None,
    progress_paths: tuple[Path, ...],
) -> None:
    """Consolidate returned workbooks into the regional workbook for ADGSOM.

    Reads every return under PATHS, uses the valid ones, and writes the regional workbook:
    tier table and chart, criteria across countries, one sheet per Member State with its action
    checklist, the cross-cutting checklist, submissions, issues, methodology, and the tables
    Scores, Answers and Checklist. Two differing returns for one country are a conflict: neither
    is used until one is removed. Exit status 1 when any return was rejected, conflicting or
    incomplete (the workbook is still written, and says so).

    With --previous, the Status, Lead agency, Target date and Notes entered in an earlier regional
    workbook are carried to the same country and milestone ID (rows no longer planned are kept
    under "Carried from YEAR", unknown milestones on an Archive sheet), its History of rounds is
    kept, and each country sheet shows the movement since the previous round.

    \b
    Examples:
      rai-xl consolidate samples/ --output regional-2026.xlsx
      rai-xl consolidate returns/ --previous regional-2026.xlsx --output regional-2026.xlsx
    """
    from rai_xl.consolidate import MixedYears, sort_out
    from rai_xl.issues import one_line
    from rai_xl.previous import PreviousError, read_previous, refuse_later
    from rai_xl.regional import write_regional_workbook

    cat = _catalogue()
    if output.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"{output} must end in .xlsx", param_hint="'--output'")
    updating = previous is not None and previous.resolve() == output.resolve()  # read first, replaced atomically
    if output.exists() and not force and not updating:
        raise UsageProblem(f"{output} already exists; add --force to overwrite it")
    if not output.resolve().parent.is_dir():
        raise UsageProblem(f"cannot write {output}: folder {output.parent} does not exist")
    if previous is not None and not previous.is_file():
        raise UsageProblem(f"--previous {previous} does not exist; it should be an earlier regional workbook")
    try:  # read before the returns, so a wrong --previous costs nothing
        earlier = read_previous(previous, cat) if previous is not None else None
    except PreviousError as exc:
        raise UsageProblem(str(exc)) from None
    files = _discover(paths, exclude=(output, *([previous] if previous else [])))
    if output.resolve() in {f.path.resolve() for f in files} or _return_in_folders(output, paths, cat):
        raise UsageProblem(f"{output} is one of the inputs; choose another output file")
    subs = _read(files)
    merged = _progress(previous, earlier, subs, progress_paths, cat)
    if merged is not None:
        earlier = merged.previous
    try:
        rnd = sort_out(subs, year)
    except MixedYears as exc:
        raise UsageProblem(str(exc)) from None
    if (
        year is not None
        and rnd.year == year
        and not rnd.included
        and not any(e.submission.year == year for e in rnd.entries)
    ):
        found = sorted({e.submission.year for e in rnd.entries if e.submission.year})
        raise UsageProblem(f"no return for {year} was found (years found: {', '.join(map(str, found)) or 'none'})")
    this_year = rnd.year or date.today().year
    if earlier is not None:
        try:
            refuse_later(earlier.name, earlier.year, this_year)
        except PreviousError as exc:
            raise UsageProblem(str(exc)) from None
    for e in rnd.entries:
        if merged is not None and e.submission.path in merged.paths:
            continue  # a progress return: said below, as itself
        if e.status not in ("included",) or e.reason:
            click.echo(one_line(f"{e.submission.path}: {e.status}" + (f": {e.reason}" if e.reason else "")), err=True)
    if strict and (rnd.has_problems or any(s.internal_error for s in subs)):
        click.echo("--strict: not writing the regional workbook because of the problems above", err=True)
        _check_internal(subs)
        sys.exit(PROBLEMS)
    synthetic = any(s.sample for s in rnd.included.values())
    try:
        notes = write_regional_workbook(
            cat, rnd, output, synthetic=synthetic, previous=earlier, year=this_year, progress=merged
        )
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from None
    for note in notes:
        click.echo(f"{note.file}: {note.severity}: {note.message}", err=True)
    carried = f"; carried from {earlier.name} ({earlier.year})" if earlier else ""
    click.echo(f"wrote {output}: {len(rnd.included)} Member State(s) included, round {rnd.year}{carried}")
    _check_internal(subs)  # the workbook holds every other return; a bug on one file still ends in status 3
    if rnd.has_problems or (merged is not None and merged.has_problems):
        sys.exit(PROBLEMS)


def _progress(previous: Path | None, earlier: Any, subs: list[Submission], named: tuple[Path, ...], cat: Catalogue) -> Any:
    """The progress returns among the files read and under *named*, merged into *earlier* with the Progress
    table of *previous* (None: neither holds any)."""
    from rai_xl.progress_merge import merge
    from rai_xl.progress_returns import not_merged, read_progress_returns, read_progress_table

    if named and earlier is None:
        raise UsageProblem("--progress needs --previous: the regional workbook the progress workbooks were made from")
    found = read_progress_returns([s.path for s in subs if s.status == "skipped"], _paths(named), cat)
    table = read_progress_table(previous) if previous is not None else ()
    if earlier is None or not (found or table):
        for ret in found:  # met among the returns: listed, not merged
            click.echo(not_merged(ret), err=True)
        return None
    merged = merge(earlier, found, table)
    for o in merged.outcomes:
        click.echo(o.line, err=True)
    return merged


def _paths(named: tuple[Path, ...]) -> list[Path]:
    return [f.path for f in _discover(named)] if named else []


@cli.command()
@click.option(
    "--previous",
    required=True,
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="The regional workbook whose trackers hold the plans (as written by consolidate, edited or not).",
)
@click.option("--country", metavar="COUNTRY", help="One Member State, by code or name.")
@click.option("--all", "all_countries", is_flag=True, help="One workbook per Member State with a tracker.")
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path), help="The .xlsx file, or a folder.")
@click.option("--password", default="", help="Sheet-protection password (prevents accidents, not determined editing).")
@click.option("--force", is_flag=True, help="Overwrite existing files.")
def progress(previous: Path, country: str | None, all_countries: bool, output: Path, password: str, force: bool) -> None:
    """Write the locked progress workbook(s) Member States fill to report on their milestones.

    Each holds the country's plan as its tracker in the regional workbook holds it, pre-filled with
    what the workbook holds today (Status, Lead agency, Target date, Notes, Evidence of progress), to
    confirm or change. The returns go back into `consolidate` with the same --previous.

    \b
    Examples:
      rai-xl progress --previous regional-2026.xlsx --all --output progress-2026/
      rai-xl progress --previous regional-2026.xlsx --country LA --output RAI-progress-2026-Lao-PDR.xlsx
    """
    from rai_xl.previous import PreviousError
    from rai_xl.progress_writer import ProgressUsage, write_progress_workbooks

    cat = _catalogue()
    if all_countries == bool(country):
        raise UsageProblem("use --country or --all (one of them)")
    try:
        written = write_progress_workbooks(
            cat, previous, [_country(cat, country)] if country else None, output, force, password
        )
    except (PreviousError, ProgressUsage) as exc:
        raise UsageProblem(str(exc)) from None
    except OSError as exc:
        raise UsageProblem(f"cannot write {output}: {exc.strerror or exc}") from None
    for path, milestones in written:
        click.echo(f"wrote {path} ({milestones} milestones)")


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="text for people; json (everything) or csv (one row per milestone) for other tools.",
)
def catalogue(fmt: str) -> None:
    """Show the Roadmap as rai-xl holds it: criteria by pillar, actions by pillar and tier.

    \b
    Examples:
      rai-xl catalogue | less
      rai-xl catalogue --format json > roadmap.json
    """
    from rai_xl.catalogue_export import as_csv, as_json, as_text

    cat = _catalogue()
    out = {"text": as_text, "json": as_json, "csv": as_csv}[fmt](cat)
    click.echo(out, nl=not out.endswith("\n"))


def main() -> None:
    """Entry point: run the CLI; a broken pipe (e.g. `| head`) ends quietly."""
    try:
        cli()
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
