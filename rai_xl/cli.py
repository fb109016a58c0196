"""The rai-xl command line: a thin shell over the library. Heavy imports wait until a command runs."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from rai_xl import __version__
from rai_xl.errors import Refusal, UsageError

if TYPE_CHECKING:
    from rai_xl.core.submission import Submission
    from rai_xl.method.catalogue import Catalogue, Country
    from rai_xl.read.intake import Found
    from rai_xl.workflow import Check, Verdict

OK = 0  # exit status: all done
PROBLEMS = 1  # exit status: problems found in the input (what could be made was made)
INTERNAL_ERROR = 3  # exit status: rai-xl itself failed (a bug), never to be mistaken for problems in the input


class InternalError(Exception):
    """rai-xl failed on some input files (a bug); the details are in *report*."""

    def __init__(self, message: str, report: str) -> None:
        super().__init__(message)
        self.report = report


def _save_report(text: str) -> str:
    """Write a crash report where the user can find it and send it on; where it is, or why it could not be
    written (a full temporary folder): the error boundary itself never fails."""
    import tempfile
    import time

    try:
        fd, name = tempfile.mkstemp(prefix=time.strftime("rai-xl-error-%Y%m%d-%H%M%S-"), suffix=".txt")
        with open(fd, "w", encoding="utf-8", errors="replace") as f:
            f.write(f"rai-xl {__version__}, {' '.join(sys.argv)}\n\n{text}")
    except Exception as exc:  # whatever failed, the one line is still said
        why = getattr(exc, "strerror", None) or exc
        return f"none (it could not be saved: {why}; run again with --debug to see it)"
    return f"{name} (or run again with --debug)"


INTERRUPTED = 130  # exit status after Ctrl-C, as the shell gives


class Terminated(KeyboardInterrupt):
    """SIGTERM (or SIGHUP) arrived: the run ends as after Ctrl-C, its temporary files removed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _terminate(signum: int, _frame: object) -> None:
    raise Terminated(signum)


def _written_so_far() -> str:
    """'nothing was written', or what this run wrote before it stopped."""
    from rai_xl.write.outputs import written

    if not written:
        return "nothing was written"
    names = ", ".join(p.name for p in written[:5]) + (", ..." if len(written) > 5 else "")
    return f"{len(written)} file(s) were written before it stopped ({names}); the rest were not"


def _interrupted(exc: KeyboardInterrupt) -> None:
    """One line, then the exit status the shell expects (130 for Ctrl-C, 128 + the signal otherwise). The
    temporary files are gone already (removed as the interruption unwound); workers end with this process."""
    signum = exc.signum if isinstance(exc, Terminated) else 2
    with contextlib.suppress(Exception):
        click.echo(f"rai-xl: {'interrupted' if signum == 2 else 'terminated'}; {_written_so_far()}", err=True)
    _leave(128 + signum)  # at once: not waiting for a worker process still reading a file


class _Cli(click.Group):
    """The command group: an unexpected exception (a bug) becomes one line and exit status 3."""

    def invoke(self, ctx: click.Context) -> Any:
        from rai_xl.write.outputs import written

        written.clear()  # what this command writes (a test runs several in one process)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:
            _interrupted(exc)
            raise  # not reached
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, BrokenPipeError):
            raise
        except Refusal as exc:  # every refusal, mapped to its exit status here and only here
            said = str(exc) + (f"; {_written_so_far()}" if written else "")
            if exc.exit_status == UsageProblem.exit_code:
                raise UsageProblem(said) from None
            click.echo(f"rai-xl: {said}", err=True)
            sys.exit(exc.exit_status)
        except Exception as exc:
            if ctx.meta.get("rai_xl.debug"):
                raise
            _internal_error(exc)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """As click's, with Ctrl-C (KeyboardInterrupt) never turned into click's 'Aborted!' and status 1."""
        try:
            return super().main(*args, **kwargs)
        except click.Abort as exc:
            if isinstance(exc.__context__, KeyboardInterrupt):
                _interrupted(exc.__context__)
            raise


def _internal_error(exc: Exception) -> None:
    """One line naming the bug and where its report is, then exit status 3; never raises anything else."""
    try:
        import traceback

        report = exc.report if isinstance(exc, InternalError) else traceback.format_exc()
        where = _save_report(report)
        what = str(exc) if isinstance(exc, InternalError) else f"{type(exc).__name__}: {exc}"
        click.echo(
            one_line_short(
                f"rai-xl: internal error ({what}); this is a bug in rai-xl, not a problem in your files. "
                f"Full report: {where}"
            ),
            err=True,
        )
    except Exception:  # the boundary never raises; the status still says "a bug"
        pass
    sys.exit(INTERNAL_ERROR)


def one_line_short(text: str, limit: int = 2000) -> str:
    """*text* on one line, at most *limit* characters (a message quoting a huge value stays readable)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else f"{text[: limit - 40]}... ({len(text):,} characters in all)"


def _check_internal(subs: list[Submission]) -> None:
    """Raise InternalError if rai-xl failed on any file (each such file already has its one-line verdict)."""
    if subs:
        report = "\n\n".join(f"{s.path}:\n{s.internal_error}" for s in subs)
        raise InternalError(f"failed on {len(subs)} file(s): {', '.join(s.path.name for s in subs)}", report)


class BrokenInstallation(click.ClickException):
    """rai-xl's own files are broken (e.g. an edited catalogue): one line, exit status 3, as for a bug."""

    exit_code = INTERNAL_ERROR


class UsageProblem(click.ClickException):
    """A usage error reported in one line ('Error: ...'), exit status 2."""

    exit_code = 2


def _catalogue() -> Catalogue:
    from rai_xl.method.catalogue import CatalogueError, load_catalogue

    try:
        return load_catalogue()
    except CatalogueError as exc:
        raise BrokenInstallation(f"the packaged catalogue is broken: {exc}") from None


def _year(value: int | None) -> int:
    """--year as given (0 is a year like any other, and refused), or this year."""
    from rai_xl.workflow import check_year

    try:
        return check_year(date.today().year if value is None else value)
    except UsageError as exc:
        raise click.BadParameter(str(exc), param_hint="'--year'") from None


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
      5. rai-xl pack regional.xlsx --output pack.pdf  the meeting pack, typeset (PDF)
      6. rai-xl progress --previous regional.xlsx --all --output progress/
                                                      Member States report their own progress;
                                                      consolidate --progress merges what comes back

    Exit status: 0 success, 1 problems found in the input (what could be made is still made),
    2 usage error, 3 internal error (a bug in rai-xl: one line, and the full report saved to a file).
    """
    ctx.meta["rai_xl.debug"] = debug


def _output(help: str, dir_okay: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The --output option every writing command has (-o, required)."""
    return click.option("--output", "-o", required=True, type=click.Path(path_type=Path, dir_okay=dir_okay), help=help)


def _previous(help: str, required: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The --previous option: a regional workbook."""
    # whether it exists and can be read is said by rai-xl itself, in the words used for every input
    return click.option("--previous", required=required, type=click.Path(path_type=Path, dir_okay=False), help=help)


_FORCE = click.option("--force", is_flag=True, help="Overwrite existing files.")


@cli.command()
@click.option(
    "--country",
    metavar="COUNTRY",
    help="Member State, by code (BN KH ID LA MY MM PH SG TH TL VN) or name ('Lao PDR', 'Laos', 'Viet Nam'). "
    "Without it (and without --all) the respondent picks the country from a dropdown.",
)
@click.option("--all", "all_countries", is_flag=True, help="Write one workbook per Member State into the --output folder.")
@click.option("--year", type=int, help="Assessment year (default: this year).")
@_output("The .xlsx file to write (a folder with --all).")
@click.option(
    "--password",
    default="",
    help="Sheet-protection password. Protection prevents accidents, "
    "not determined editing: rai-xl checks every answer when the file comes back anyway.",
)
@click.option("--contact", default="", help="Who officials should contact with questions (shown on 'Start here').")
@_previous(
    "Last round's regional workbook: each country's answers, evidence and comments are written in place, "
    "marked 'confirm or change' (still checked when the return comes back)."
)
@_FORCE
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
    from rai_xl.workflow import make_questionnaires

    cat = _catalogue()
    year = _year(year)
    chosen = _country(cat, country) if country else None
    for w in make_questionnaires(
        cat,
        output,
        year,
        country=chosen,
        all_countries=all_countries,
        password=password,
        contact=contact,
        previous=previous,
        force=force,
    ):
        if w.prefilled is None:
            click.echo(f"wrote {w.path}")
        elif w.prefilled:
            click.echo(f"wrote {w.path} (pre-filled: {w.prefilled} answers from {w.previous_year})")
        else:
            click.echo(f"wrote {w.path} (not pre-filled: {previous.name if previous else ''} holds no answers for it)")


def _reader(files: list[Found]) -> Iterator[Submission]:
    """Read returns one by one, with a progress bar on a terminal when there are many."""
    from rai_xl.read.intake import read_all

    if len(files) > 20 and sys.stderr.isatty():
        with click.progressbar(length=len(files), label="Reading returns", file=sys.stderr) as bar:
            yield from read_all(files, bar.update)
    else:
        yield from read_all(files)


def _counts(counts: dict[str, int]) -> str:
    """'9 included, 1 blank, 1 skipped'."""
    return ", ".join(f"{n} {word}" for word, n in counts.items()) or "none"


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a JSON list: one object per file found (file, status, outcome, country, year, complete, blank, issues).",
)
@click.option(
    "--year",
    type=int,
    help="The round being collected: adds the chase list (who has not replied, blank or conflicting returns, "
    "answers to fix, contacts and completion dates).",
)
@click.option(
    "--round-json",
    "round_json",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Also write the round as one JSON object to this file ('-' for standard output, without --json): "
    "every file's outcome, revisions and conflicts, counts, and with --year the chase list.",
)
def validate(paths: tuple[Path, ...], as_json: bool, year: int | None, round_json: Path | None) -> None:
    """Check returned workbooks (files or folders) and list every problem.

    One line per file saying what consolidate will do with it (included, included with answers to
    fix, blank, superseded, conflict, rejected, skipped, other year), then one line per problem
    naming file, sheet, cell, criterion, the value found and the allowed answers: precise enough to
    paste into an email to the official. Then revised returns (the later completion date
    supersedes) and conflicts; with --year, the chase list. The last line counts the files by
    outcome.

    Exit status 1 when a return cannot be used as it is (rejected, conflicting, blank, answers to
    fix, or incomplete), as for consolidate; Member States that have not replied are listed in the
    chase list and do not change the exit status.

    \b
    Examples:
      rai-xl validate returns/
      rai-xl validate returns/ --year 2026      with the chase list for the 2026 round
      rai-xl validate returns/*.xlsx --json > report.json
      rai-xl validate returns/ --year 2026 --round-json round.json
    """
    from rai_xl.issues import one_line
    from rai_xl.read.progress_returns import verdict
    from rai_xl.shapes import progress_shape, round_shape, verdict_shape
    from rai_xl.workflow import check

    if as_json and str(round_json) == "-":
        raise UsageProblem("--round-json - writes to standard output, which --json already uses: give a file name")
    cat = _catalogue()
    if year is not None:
        year = _year(year)
    found = check(cat, paths, year, _reader)
    to_stdout = round_json is not None and str(round_json) == "-"  # then the round is all that stdout holds
    if as_json:
        objs = [verdict_shape(v) for v in found.files] + [progress_shape(p) for p in found.progress]
        click.echo(_json(objs))
    elif not to_stdout:
        for v in found.files:
            _say_verdict(v)
        for p in found.progress:
            click.echo(one_line(verdict(p)))
            for i in p.issues:
                click.echo("  " + i.line(p.path.name))
    _say_round(found, err=as_json or to_stdout)
    if round_json is not None:
        shape = round_shape(found)
        if to_stdout:
            click.echo(_json(shape))
        else:
            from rai_xl.write.outputs import write_atomically

            text = json.dumps(shape, indent=2, ensure_ascii=False)
            write_atomically(round_json, lambda tmp: _write_text(tmp, text + "\n"))
    if not (as_json or to_stdout):
        click.echo(f"{len(found.files)} file(s): {_counts(found.counts())}")
    _check_internal([v.submission for v in found.files if v.submission.internal_error])
    sys.exit(PROBLEMS if found.problems else OK)  # the files read still held: see main()


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _say_verdict(v: Verdict) -> None:
    from rai_xl.core.submission import SKIPPED
    from rai_xl.issues import NOTE, one_line

    s = v.submission
    who = f" ({s.country.name} {s.year})" if s.country else ""
    what = str(v.fate) if v.fate is not None else s.status
    if v.fate is None and s.status != SKIPPED and not s.complete:
        what += " but incomplete"
    reason = v.reason if v.fate is not None else (s.reason() if s.status == SKIPPED else "")
    click.echo(one_line(f"{s.path}{who}: {what}" + (f": {reason}" if reason else "")))
    for i in v.issues:
        if i.severity != NOTE:
            click.echo("  " + i.line(s.path.name))


def _say_round(found: Check, err: bool) -> None:
    """Revisions, conflicts and (with a year) the chase list."""
    from rai_xl.core.collection import Fate
    from rai_xl.issues import one_line

    def say(text: str) -> None:
        click.echo(one_line(text), err=err)

    if found.round is None:
        say(f"Round: {found.round_problem}")
        return
    revisions = [v for v in found.files if v.fate in (Fate.SUPERSEDED, Fate.CONFLICT)]
    if revisions:
        say(f"Revised and conflicting returns ({found.round.year}):")
        for v in revisions:
            say(f"  {v.submission.path}: {v.fate}: {v.reason}")
    if not found.chase:
        return
    replied = [r for r in found.chase if r.replied]
    say(
        f"Chase list {found.year}: {len(replied)} of {len(found.chase)} Member States replied "
        f"({_percent(len(replied), len(found.chase))})"
    )
    for r in found.chase:
        facts = [
            r.detail,
            f"contact: {r.contact}" if r.contact else "",
            f"completed {r.completed_on}" if r.completed_on else "",
        ]
        say(f"  {r.country.name}: {r.state}" + "".join(f"; {f}" for f in facts if f))


def _percent(part: int, whole: int) -> str:
    """'82%' for 9 of 11: rounded to the nearest whole percent."""
    return f"{round(100 * part / whole)}%"


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
    from rai_xl.shapes import score_shape
    from rai_xl.workflow import score as run

    cat = _catalogue()
    done = run(cat, file)
    sub = done.submission
    scored = sub.assessment is not None  # answers not accepted count as unanswered; the rest is scored
    if as_json:
        click.echo(_json(score_shape(sub, cat)))
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
                top = cat.pillar_max(p.number)
                click.echo(f"  Pillar {p.number} {cat.pillar(p.number).name}: {p.score:g}/{top:g}, {tier}{nxt}")
        else:
            click.echo("  not scored: the file has errors (below)")
        for i in sub.issues:
            click.echo("  " + i.line(file.name))
    _check_internal([sub] if sub.internal_error else [])
    if done.problems:
        sys.exit(PROBLEMS)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_output("The regional workbook to write (.xlsx).", dir_okay=False)
@click.option("--year", type=int, help="The assessment year to consolidate (needed when returns span several years).")
@click.option("--strict", is_flag=True, help="Write nothing if any return was rejected, conflicting or incomplete.")
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite an existing output file (not a regional workbook holding entries or History: "
    "give it as --previous, or use --fresh).",
)
@click.option(
    "--fresh",
    is_flag=True,
    help="Start the record again: replace an existing regional workbook without carrying its entries "
    "and History forward (what is discarded is said).",
)
@_previous(
    "An earlier regional workbook (this year's or an earlier year's, edited or not): its checklist entries "
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
    fresh: bool,
    previous: Path | None,
    progress_paths: tuple[Path, ...],
) -> None:
    """Consolidate returned workbooks into the regional workbook for ADGSOM.

    Reads every return under PATHS, uses the valid ones, and writes the regional workbook:
    tier table and chart, criteria across countries, one sheet per Member State with its action
    checklist, the cross-cutting checklist, submissions, issues, methodology, and the tables
    Scores, Answers and Checklist. Each file's outcome is one of: included, included with answers
    to fix, blank, superseded, conflict, rejected, skipped, other year. Two differing returns for
    one country are a conflict: neither is used until one is removed.

    Exit status 1 when a return cannot be used as it is (rejected, conflicting, blank, answers to
    fix, or incomplete): the workbook is still written, and says so. Member States that have not
    replied are shown, and do not change the exit status.

    With --previous, the Status, Lead agency, Target date and Notes entered in an earlier regional
    workbook are carried to the same country and milestone ID (rows no longer planned are kept
    under "Carried from YEAR", unknown milestones on an Archive sheet), its History of rounds is
    kept, and each country sheet shows the movement since the previous round.

    \b
    Examples:
      rai-xl consolidate samples/ --output regional-2026.xlsx
      rai-xl consolidate returns/ --previous regional-2026.xlsx --output regional-2026.xlsx
    """
    from rai_xl.core.collection import Fate
    from rai_xl.issues import one_line
    from rai_xl.workflow import consolidate as run
    from rai_xl.workflow import record_held

    if year is not None:
        year = _year(year)
    done = run(
        _catalogue(),
        paths,
        output,
        year=year,
        strict=strict,
        force=force,
        fresh=fresh,
        previous=previous,
        progress=progress_paths,
        read=_reader,
    )
    rnd = done.round
    for e in rnd.entries:
        if e.submission.path in done.progress_files:
            continue  # a progress return: said below, as itself
        if e.status != Fate.INCLUDED or e.reason:
            click.echo(one_line(f"{e.submission.path}: {e.status}" + (f": {e.reason}" if e.reason else "")), err=True)
    for line in done.progress_said:
        click.echo(one_line(line), err=True)
    if not done.written:
        click.echo("--strict: not writing the regional workbook because of the problems above", err=True)
    for note in done.notes:
        click.echo(f"{note.file}: {note.severity}: {note.message}", err=True)
    click.echo(f"{len(rnd.entries)} file(s): {_counts(done.counts())}")
    if done.report is not None and done.report.no_return:
        click.echo(one_line(done.report.no_return))
    if done.written and done.discarded and any(done.discarded):
        click.echo(f"--fresh: the record was started again; discarded {record_held(*done.discarded)} of {output.name}")
    if done.written:
        earlier = done.previous
        carried = f"; carried from {earlier.name} ({earlier.year})" if earlier else ""
        click.echo(f"wrote {output}: {len(rnd.included)} Member State(s) included, round {rnd.year}{carried}")
    _check_internal(done.crashed)  # the workbook holds every other return; a bug on one file still ends in status 3
    sys.exit(PROBLEMS if done.problems else OK)  # the round still held: see main()


@cli.command()
@_previous("The regional workbook whose trackers hold the plans (as written by consolidate, edited or not).", required=True)
@click.option("--country", metavar="COUNTRY", help="One Member State, by code or name.")
@click.option("--all", "all_countries", is_flag=True, help="One workbook per Member State with a tracker.")
@_output("The .xlsx file, or a folder.")
@click.option("--password", default="", help="Sheet-protection password (prevents accidents, not determined editing).")
@_FORCE
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
    from rai_xl.workflow import make_progress

    cat = _catalogue()
    if all_countries == bool(country):
        raise UsageProblem("use --country or --all (one of them)")
    done = make_progress(cat, previous, [_country(cat, country)] if country else None, output, force, password)
    for path, milestones in done.written:
        click.echo(f"wrote {path} ({milestones} milestones)")


@cli.command()
@click.argument("regional", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--country",
    "countries",
    multiple=True,
    metavar="COUNTRY",
    help="Write this Member State's brief (its profile and its plan) instead of the pack; repeat for several.",
)
@_output("The .pdf file to write.", dir_okay=False)
@_FORCE
def pack(regional: Path, countries: tuple[str, ...], output: Path, force: bool) -> None:
    """Typeset the meeting pack of a regional workbook as a PDF.

    The pack: the Overview (who replied, the tier table, distribution, a chart with the tier
    thresholds, movement, progress reported), Criteria (a heat map of points, answers changed since
    the previous round marked), one profile per Member State, and the Methodology. It is made from
    the regional workbook as it is now, so what coordinators typed during the year shows. The same
    workbook always gives the same PDF.

    \b
    Examples:
      rai-xl pack regional-2026.xlsx --output pack-2026.pdf
      rai-xl pack regional-2026.xlsx --country LA --output brief-2026-Lao-PDR.pdf
    """
    from rai_xl.workflow import make_pack

    cat = _catalogue()
    chosen = [_country(cat, c) for c in countries]
    made = make_pack(cat, regional, output, chosen, force)
    what = f"the brief of {', '.join(c.name for c in made.countries)}" if made.countries else "the meeting pack"
    click.echo(f"wrote {made.output}: {what} for {made.year}, {made.pages} pages")


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
    from rai_xl.method.export import as_csv, as_json, as_text

    cat = _catalogue()
    out = {"text": as_text, "json": as_json, "csv": as_csv}[fmt](cat)
    click.echo(out, nl=not out.endswith("\n"))


def _tolerant_streams() -> None:
    """Output never fails on a script the terminal cannot show (a cp1252 console and Lao text): such
    characters are replaced on the terminal; files and --json keep the text exact."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]


def _unraisable(what: Any) -> None:
    """An OSError met while Python cleans up after a failed write (a full disk: xlsxwriter's half-written zip
    closed again when collected) has been said already, in one line: no traceback for it."""
    if isinstance(what.exc_value, OSError):
        return
    sys.__unraisablehook__(what)


def _json(obj: object) -> str:
    """*obj* as JSON: the text as it is, or escaped (\\uXXXX, the same text) where standard output cannot show it."""
    text = json.dumps(obj, indent=2, ensure_ascii=False)
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return json.dumps(obj, indent=2)
    return text


def main() -> None:
    """Entry point: run the CLI; a broken pipe (e.g. `| head`) ends quietly; SIGTERM and SIGHUP end it as
    Ctrl-C does (its temporary files removed, one line).

    A command ends by its exit status (SystemExit), everything it writes written, closed and committed by then,
    its temporary files and locks gone: the process then leaves at once, its output flushed, without freeing
    one by one the objects it still holds (a consolidation's 200,000: a tenth of a second). For the same reason
    Python's cycle collector never runs: resumed after a consolidation, its first pass would walk all those
    objects (40 ms) just before the process leaves."""
    gc.disable()
    _tolerant_streams()
    sys.unraisablehook = _unraisable
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _terminate)
    try:
        cli()
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except SystemExit as exc:
        _leave(exc.code)


def _leave(code: object) -> NoReturn:
    """Exit with *code* as sys.exit would (None is 0, text is said and 1), without tearing the interpreter down."""
    if code is not None and not isinstance(code, int):
        with contextlib.suppress(Exception):
            print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a reader that stopped reading (`| head`), a closed stream
            stream.flush()
    os._exit(code or 0)
