"""Decide which returns go into the regional picture: years, duplicates and conflicts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rai_xl.catalogue import Catalogue, Country
from rai_xl.returns import INVALID, SKIPPED, VALID, Submission

INCLUDED, REJECTED, CONFLICT, SUPERSEDED = "included", "rejected", "conflict", "superseded-identical"
OTHER_YEAR = "other year"


class MixedYears(ValueError):
    """Returns for more than one year were given without --year."""


@dataclass(frozen=True)
class Entry:
    submission: Submission
    status: str  # included, rejected, skipped, conflict, superseded-identical, other year
    reason: str


@dataclass
class Round:
    """The returns of one assessment year, sorted out."""

    year: int | None
    entries: list[Entry]
    included: dict[str, Submission] = field(default_factory=dict)  # country code -> submission

    def countries_included(self, catalogue: Catalogue) -> list[Country]:
        return [c for c in catalogue.countries if c.code in self.included]

    def not_submitted(self, catalogue: Catalogue) -> list[Country]:
        held = {e.submission.country.code for e in self.entries if e.submission.country and e.status != SKIPPED}
        return [c for c in catalogue.countries if c.code not in self.included and c.code not in held]

    def count(self, status: str) -> int:
        return sum(e.status == status for e in self.entries)

    @property
    def has_problems(self) -> bool:
        """Anything that stops every return being used as it is (skipped files alone do not count)."""
        return any(e.status in (REJECTED, CONFLICT) for e in self.entries) or any(
            not s.complete for s in self.included.values()
        )


def _same_answers(a: Submission, b: Submission) -> bool:
    return a.sha256 == b.sha256 or (a.answers, a.evidence, a.comments, a.respondent) == (
        b.answers,
        b.evidence,
        b.comments,
        b.respondent,
    )


def sort_out(submissions: list[Submission], year: int | None) -> Round:
    """Apply the year, then set aside duplicates (identical) and conflicts (differing) per country."""
    usable = [s for s in submissions if s.status == VALID and s.country is not None]
    years = sorted({s.year for s in usable if s.year is not None})
    if year is None and len(years) > 1:
        raise MixedYears("returns for several years were found (" + ", ".join(map(str, years)) + "); choose one with --year")
    chosen_year = year if year is not None else (years[0] if years else None)
    entries: dict[int, Entry] = {}
    by_country: dict[str, list[Submission]] = defaultdict(list)
    for i, s in enumerate(submissions):
        if s.status == SKIPPED:
            entries[i] = Entry(s, SKIPPED, s.reason())
        elif s.status == INVALID or s.country is None:
            entries[i] = Entry(s, REJECTED, s.reason() or "no country could be read")
        elif s.year != chosen_year:
            entries[i] = Entry(s, OTHER_YEAR, f"a return for {s.year}; this round is {chosen_year}")
        else:
            by_country[s.country.code].append(s)
    rnd = Round(chosen_year, [])
    index = {id(s): i for i, s in enumerate(submissions)}
    for code, subs in by_country.items():
        first = subs[0]
        if all(_same_answers(first, s) for s in subs[1:]):
            rnd.included[code] = first
            entries[index[id(first)]] = Entry(first, INCLUDED, "" if first.complete else "incomplete: " + _missing(first))
            for s in subs[1:]:
                entries[index[id(s)]] = Entry(s, SUPERSEDED, f"same answers as {first.path.name}; counted once")
        else:
            names = ", ".join(s.path.name for s in subs)
            for s in subs:
                entries[index[id(s)]] = Entry(
                    s,
                    CONFLICT,
                    f"{len(subs)} differing returns for {s.country.name}"  # type: ignore[union-attr]
                    f" {s.year} ({names}): none used until one is removed",
                )
    rnd.entries = [entries[i] for i in range(len(submissions))]
    return rnd


def _missing(s: Submission) -> str:
    assert s.assessment is not None
    return ", ".join(f"pillar {p.number} lacks {', '.join(p.missing)}" for p in s.assessment.pillars if p.missing)
