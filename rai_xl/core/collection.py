"""Decide which returns go into the regional picture: years, blank returns, revisions and conflicts.

The rules, in order, for the returns of one country and year:
- a return with no answer at all is a blank return: listed, counted as not submitted;
- returns with the same answers, evidence, comments and respondent details count once;
- of returns that differ, the one whose respondent-entered completion date is latest supersedes
  the others (a revision); when the latest date is shared or a date is missing, they conflict and
  none is used until the coordinator removes one.
A return whose only errors are answers that were not accepted is used: those criteria count as
unanswered (their pillars provisional) and the errors are listed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from rai_xl.core.submission import SKIPPED, Submission
from rai_xl.errors import UsageError
from rai_xl.issues import Msg, code_of
from rai_xl.layouts.questionnaire import DATE_FIELD
from rai_xl.method.catalogue import Catalogue, Country

T = TypeVar("T")


class Fate(StrEnum):
    """What consolidate does with a file: the one vocabulary of `validate`, `consolidate` and Submissions."""

    INCLUDED = "included"
    TO_FIX = "included with answers to fix"  # used; the answers not accepted count as unanswered
    BLANK = "blank"
    SUPERSEDED = "superseded"  # a later revision, or the same return again, is used instead
    CONFLICT = "conflict"
    REJECTED = "rejected"
    SKIPPED = "skipped"
    OTHER_YEAR = "other year"


PROBLEMS = (Fate.TO_FIX, Fate.BLANK, Fate.CONFLICT, Fate.REJECTED)  # a return that cannot be used as it is


class MixedYears(UsageError):
    """Returns for more than one year were given without --year."""


@dataclass(frozen=True)
class Entry:
    submission: Submission
    status: Fate
    reason: str


@dataclass
class Round:
    """The returns of one assessment year, sorted out."""

    year: int | None
    entries: list[Entry]
    included: dict[str, Submission] = field(default_factory=dict)  # country code -> submission

    def countries_included(self, catalogue: Catalogue) -> list[Country]:
        return [c for c in catalogue.countries if c.code in self.included]

    def conflicts(self) -> dict[str, list[Submission]]:
        """{country code: the returns in conflict}, for countries with no usable return because of it."""
        out: dict[str, list[Submission]] = defaultdict(list)
        for e in self.entries:
            if e.status == Fate.CONFLICT and e.submission.country:
                out[e.submission.country.code].append(e.submission)
        return dict(out)

    def not_submitted(self, catalogue: Catalogue) -> list[Country]:
        """Member States with no return at all this round (a blank return counts as none)."""
        held = {
            e.submission.country.code
            for e in self.entries
            if e.submission.country and e.status not in (Fate.SKIPPED, Fate.BLANK, Fate.OTHER_YEAR)
        }
        return [c for c in catalogue.countries if c.code not in self.included and c.code not in held]

    def count(self, status: Fate, leaving_out: Collection[Path] = ()) -> int:
        return sum(e.status == status and e.submission.path not in leaving_out for e in self.entries)

    def counts(self, leaving_out: Collection[Path] = ()) -> dict[Fate, int]:
        """{fate: files}, in the vocabulary's order, for the fates that occur (files *leaving_out* not counted)."""
        return {f: n for f in Fate if (n := self.count(f, leaving_out))}

    @property
    def has_problems(self) -> bool:
        """A return that cannot be used as it is: rejected, conflicting, blank, with answers to fix, or
        incomplete (exit status 1). Skipped files, other years' returns and Member States that have not
        replied are listed, not problems in the input."""
        return any(e.status in PROBLEMS for e in self.entries) or any(
            not s.complete or s.errors for s in self.included.values()
        )


def _same_answers(a: Submission, b: Submission) -> bool:
    return a.sha256 == b.sha256 or a.content_digest == b.content_digest


def changed_criteria(old: Submission, new: Submission) -> list[str]:
    """Criteria whose answer differs between two returns, in catalogue order (Q1..Q40)."""
    ids = set(old.answers) | set(new.answers)
    return sorted((q for q in ids if old.answers.get(q) != new.answers.get(q)), key=lambda q: int(q[1:]))


def sort_out(submissions: list[Submission], year: int | None) -> Round:
    """Apply the year, then set aside blank returns, duplicates, revisions and conflicts per country."""
    usable = [s for s in submissions if s.assessment is not None and s.country is not None]
    years = sorted({s.year for s in usable if s.year is not None})
    if year is None and len(years) > 1:
        raise MixedYears("returns for several years were found (" + ", ".join(map(str, years)) + "); choose one with --year")
    chosen_year = year if year is not None else (years[0] if years else None)
    entries: dict[int, Entry] = {}
    by_country: dict[str, list[Submission]] = defaultdict(list)
    for i, s in enumerate(submissions):
        if s.status == SKIPPED:
            entries[i] = Entry(s, Fate.SKIPPED, s.reason())
        elif s.assessment is None or s.country is None:
            entries[i] = Entry(s, Fate.REJECTED, s.reason() or Msg.NO_COUNTRY_READ.format())
        elif s.year != chosen_year:
            entries[i] = Entry(s, Fate.OTHER_YEAR, Msg.RETURN_OTHER_YEAR.format(year=s.year, round=chosen_year))
        elif s.blank:
            entries[i] = Entry(s, Fate.BLANK, _blank_reason(s))
        else:
            by_country[s.country.code].append(s)
    rnd = Round(chosen_year, [])
    index = {id(s): i for i, s in enumerate(submissions)}
    for code, subs in by_country.items():
        distinct: list[Submission] = []
        for s in subs:
            same = next((d for d in distinct if _same_answers(d, s)), None)
            if same is None:
                distinct.append(s)
            else:
                entries[index[id(s)]] = Entry(s, Fate.SUPERSEDED, Msg.SAME_RETURN.format(file=same.path.name))
        latest = newest(distinct, lambda s: s.completed_on)
        if latest is None:
            names = ", ".join(s.path.name for s in distinct)
            why = Msg.CONFLICT_SAME_DATE if all(s.completed_on for s in distinct) else Msg.CONFLICT_UNDATED
            for s in distinct:
                entries[index[id(s)]] = Entry(s, Fate.CONFLICT, why.format(count=len(distinct), files=names))
            continue
        rnd.included[code] = latest
        entries[index[id(latest)]] = Entry(latest, Fate.TO_FIX if latest.errors else Fate.INCLUDED, _included_reason(latest))
        for s in distinct:
            if s is not latest:
                changed = ", ".join(changed_criteria(s, latest)) or "none (other details differ)"
                revised = Msg.REVISED.format(
                    file=latest.path.name, completed=latest.completed_on, earlier=s.completed_on, changed=changed
                )
                entries[index[id(s)]] = Entry(s, Fate.SUPERSEDED, revised)
    rnd.entries = [entries[i] for i in range(len(submissions))]
    return rnd


def newest(versions: Sequence[T], dated: Callable[[T], date | None]) -> T | None:
    """Of the differing versions of one country's return, the one with the latest date; None when that is
    not decided (a date is missing, or the two latest are equal): a conflict until one is removed."""
    if len(versions) == 1:
        return versions[0]
    dates = [dated(v) for v in versions]
    known = sorted((d, i) for i, d in enumerate(dates) if d is not None)
    if len(known) < len(versions) or known[-1][0] == known[-2][0]:
        return None
    return versions[known[-1][1]]


def _blank_reason(s: Submission) -> str:
    if s.prefilled:
        return Msg.BLANK_PREFILLED.format()
    return Msg.BLANK_NO_ANSWERS.format()


def _included_reason(s: Submission) -> str:
    parts = []
    if s.refused:
        parts.append(Msg.ANSWERS_REFUSED.format(criteria=", ".join(s.refused)))
    if not s.complete:
        parts.append(Msg.INCOMPLETE.format(missing=_missing(s)))
    return "; ".join(parts)


def _missing(s: Submission) -> str:
    assert s.assessment is not None
    return ", ".join(f"pillar {p.number} lacks {', '.join(p.missing)}" for p in s.assessment.pillars if p.missing)


# Where a Member State stands in the round (the chase list)
NOT_REPLIED, ANSWERS_TO_FIX, INCOMPLETE, COMPLETE = "not replied", "answers to fix", "incomplete", "complete"
BLANK, CONFLICT, REJECTED, OTHER_YEAR = "blank return", "conflict", "rejected", "other year"


@dataclass(frozen=True)
class ChaseRow:
    """Where one Member State stands in the round, and whom to contact."""

    country: Country
    state: str  # complete, incomplete, answers to fix, conflict, rejected, blank return, other year, not replied
    detail: str
    contact: str  # name, position, agency, email as the return gives them ('' when none)
    completed_on: str  # the respondent's completion date ('' when none)
    files: tuple[str, ...]

    @property
    def replied(self) -> bool:
        return self.state in (COMPLETE, INCOMPLETE, ANSWERS_TO_FIX, CONFLICT, REJECTED)


def chase_list(rnd: Round, catalogue: Catalogue) -> list[ChaseRow]:
    """One row per Member State, in ASEAN order: who replied, who sent a blank or conflicting return,
    who must fix answers, with the contact details and completion dates from the returns."""
    rows = []
    conflicts = rnd.conflicts()
    by_status: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    for e in rnd.entries:
        if e.submission.country:
            by_status[e.status][e.submission.country.code].append(e)
    blank, rejected, other_year = by_status[Fate.BLANK], by_status[Fate.REJECTED], by_status[Fate.OTHER_YEAR]
    for c in catalogue.countries:
        if c.code in rnd.included:
            s = rnd.included[c.code]
            if s.refused:
                state, detail = ANSWERS_TO_FIX, f"answers not accepted: {', '.join(s.refused)}"
            elif not s.complete:
                state, detail = INCOMPLETE, _missing(s)
            else:
                state, detail = COMPLETE, ""
            subs = [s]
        elif c.code in conflicts:
            subs = conflicts[c.code]
            state, detail = CONFLICT, f"{len(subs)} returns differ: keep one"
        elif c.code in blank:
            subs = [e.submission for e in blank[c.code]]
            state = BLANK
            missing = (  # details pre-filled from last round: the completion date is what was left out
                "the date completed" if all(s.respondent.get("name") for s in subs) else "respondent details"
            )
            unconfirmed = f"the pre-filled questionnaire came back without {missing}, so its answers are not confirmed"
            detail = unconfirmed if all(s.prefilled for s in subs) else "the questionnaire came back with no answers"
        elif c.code in rejected:
            subs = [e.submission for e in rejected[c.code]]
            state, detail = REJECTED, "the return cannot be used: " + rejected[c.code][0].reason
        elif c.code in other_year:
            subs = [e.submission for e in other_year[c.code]]
            years = ", ".join(sorted({str(s.year) for s in subs}))
            state, detail = OTHER_YEAR, f"sent the {years} questionnaire, not this round's ({rnd.year})"
        else:
            rows.append(ChaseRow(c, NOT_REPLIED, "", "", "", ()))
            continue
        rows.append(
            ChaseRow(
                c,
                state,
                detail,
                "; ".join(dict.fromkeys(filter(None, (contact(s) for s in subs)))),
                ", ".join(filter(None, (s.respondent.get(DATE_FIELD, "") for s in subs))),
                tuple(s.path.name for s in subs),
            )
        )
    return rows


def contact(s: Submission) -> str:
    """Who filled in a return, as the Respondent sheet gives it: 'Name (Position, Agency) <email>'."""
    return contact_line(s.respondent)


def contact_line(r: dict[str, str]) -> str:
    """The contact line of respondent details *r*: 'Name (Position, Agency) <email>', parts left out when empty."""
    role = ", ".join(filter(None, (r.get("position", ""), r.get("agency", ""))))
    return " ".join(
        filter(None, (r.get("name", ""), f"({role})" if role else "", f"<{r['email']}>" if r.get("email") else ""))
    )


@dataclass(frozen=True)
class Note:
    """A finding about the consolidation itself, for the Issues sheet and the command line."""

    file: str
    severity: str
    criterion: str
    message: str
    code: str = ""  # the Msg name (taken from the message when it was made by Msg.format)

    def __post_init__(self) -> None:
        if not self.code:
            object.__setattr__(self, "code", code_of(self.message))

    @classmethod
    def warning(cls, file: str, message: str, criterion: str = "") -> Note:
        return cls(file, "warning", criterion, message)
