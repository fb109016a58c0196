"""The regional picture as plain data: the values `rai_xl.report.build` returns and the writers
lay out, and what an earlier regional workbook held (`PreviousRound`). No files here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rai_xl.core.collection import BLANK, CONFLICT, NOT_REPLIED, ChaseRow, Note
from rai_xl.core.previous_round import HistoryRow, PreviousRound
from rai_xl.core.submission import Submission
from rai_xl.core.typed import NOT_STARTED, OTHER_STATUS, STATUSES, Typed, TypedRow, Unplaced
from rai_xl.issues import Issue
from rai_xl.layouts.tracker import checklist_sheet
from rai_xl.method.catalogue import Action, Catalogue, Country, Criterion, Milestone, SubAction
from rai_xl.method.scoring import Assessment, PillarScore

if TYPE_CHECKING:
    from rai_xl.core.progress_merge import Merged

CARRIED = "carried"  # the Basis of a row kept only because the coordinator typed on it
# ---------------------------------------------------------------- what an earlier workbook held


# ---------------------------------------------------------------- the report


@dataclass(frozen=True)
class PillarLine:
    score: PillarScore
    name: str
    tier: str  # tier_label
    before: HistoryRow | None  # the latest earlier round
    change: float | None
    movement: str  # up, down, same, first (a tier where the earlier round had none); "" without an earlier round
    newly_answered: tuple[tuple[str, float], ...] = ()  # (criterion, points now): unanswered in the earlier round
    newly_unanswered: tuple[tuple[str, float], ...] = ()  # (criterion, points then): answered then, not now

    def change_text(self, year: int) -> str:
        """'+4.5 points, of which +1.5 from Q20, unanswered in 2026': how much of the change is criteria
        answered in one of the two rounds only ('' when there is no change to show)."""
        if self.change is None or self.before is None:
            return ""
        parts = [
            f"{_signed(sign * sum(p for _, p in found))} from {', '.join(q for q, _ in found)}, unanswered in {when}"
            for found, sign, when in ((self.newly_answered, 1, self.before.year), (self.newly_unanswered, -1, year))
            if found
        ]
        return f"{self.change:+g} points" + (", of which " + " and ".join(parts) if parts else "")


def _signed(points: float) -> str:
    """'+1.5', '-3', and '0' for no points either way."""
    return f"{points:+g}" if points else "0"


@dataclass(frozen=True)
class LostLine:
    criterion: Criterion
    answer: str
    points: float
    lost: float
    evidence: str
    actions: tuple[str, ...] = ()  # the planned actions linked to the criterion


@dataclass(frozen=True)
class CheckLine:
    action: Action
    sub_action: SubAction
    milestone: Milestone
    basis: str  # tier, gap, carried (or "" on the regional checklist)
    typed: Typed
    reason: str = ""  # why a carried row is no longer in the plan
    source: TypedRow | None = None  # where its entries were read, and the round they were entered in

    @property
    def entered(self) -> int | None:
        return self.source.year if self.source is not None else None


@dataclass(frozen=True)
class Group:
    heading: str
    lines: tuple[CheckLine, ...]


@dataclass(frozen=True)
class Section:
    title: str  # "" for the first, untitled section
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class KeptPlan:
    """The plan of a Member State with no return this round, as its latest round made it, with its progress."""

    country: Country
    year: int  # the round the plan comes from
    sections: tuple[Section, ...]

    @property
    def lines(self) -> list[CheckLine]:
        return [line for s in self.sections for g in s.groups for line in g.lines]


@dataclass(frozen=True)
class ArchiveLine:
    row: TypedRow
    country: str  # name, or "Regional (cross-cutting)"
    reason: str


@dataclass(frozen=True)
class CountryReport:
    country: Country
    submission: Submission
    assessment: Assessment
    pillars: tuple[PillarLine, ...]
    lost: tuple[LostLine, ...]
    sections: tuple[Section, ...]
    trend: tuple[HistoryRow, ...]  # every round of this country, by year
    changed: frozenset[str]  # criteria whose answer changed since the previous round
    evidence: dict[str, str]  # criterion id -> evidence, cut to what a cell holds
    comments: dict[str, str]  # criterion id -> the respondent's comments, cut to what a cell holds
    who: str  # the return and its respondent, in one line
    errors: tuple[Issue, ...] = ()  # answers not accepted (those criteria count as unanswered)

    def answer(self, criterion: Criterion) -> str | None:
        """The label of the country's answer, or None when unanswered."""
        code = self.submission.answers.get(criterion.id)
        return next((a.label for a in criterion.answers if a.code == code), None)

    @property
    def lines(self) -> list[CheckLine]:
        return [line for s in self.sections for g in s.groups for line in g.lines]

    def top_gaps(self, n: int) -> list[LostLine]:
        """The *n* criteria that lost the most points (catalogue order breaks ties)."""
        return sorted(self.lost, key=lambda line: -line.lost)[:n]

    def progress(self) -> dict[str, int]:
        """{status: checklist rows} for every status of the list, and OTHER_STATUS for a typed one off it."""
        return progress(self.lines)


def progress(lines: list[CheckLine]) -> dict[str, int]:
    """{status: checklist rows} for every status of the list, then OTHER_STATUS (so they add up)."""
    out = dict.fromkeys((*STATUSES, OTHER_STATUS), 0)
    for line in lines:
        status = line.typed.status
        out[NOT_STARTED if status in (None, "") else status if status in STATUSES else OTHER_STATUS] += 1  # type: ignore[index]
    return out


@dataclass(frozen=True)
class Movement:
    country: Country
    line: PillarLine  # with an earlier round, and a movement up or down, or a first tier


@dataclass
class RegionalReport:
    catalogue: Catalogue
    year: int
    went_in: str  # what went into this round, in one line
    has_problems: bool  # not every return could be used as it is
    countries: list[CountryReport]
    regional: list[Section]  # the cross-cutting checklist
    archive: list[ArchiveLine]
    history: list[HistoryRow]
    answers: dict[tuple[str, int], dict[str, float | None]]
    movements: list[Movement]
    previous: PreviousRound | None
    kept: list[KeptPlan]  # Member States with no return this round whose plan is kept
    unplaced: list[Unplaced]  # typed entries with no row in this workbook, kept whole
    submissions: list[list[str]]  # every file read: file, SHA-256, country, year, respondent, agency, ...
    issues: list[list[str]]  # every issue found in the returns: file, severity, sheet, cell, criterion, message, code
    missing: list[Country]  # Member States with no return at all
    notes: list[Note] = field(default_factory=list)
    chase: list[ChaseRow] = field(default_factory=list)  # one row per Member State, in ASEAN order
    progress: Merged | None = None  # the progress returns merged (rai_xl.progress_merge), shown when given

    @property
    def replied(self) -> str:
        """'9 of 11 Member States replied' (a blank return is no reply)."""
        return f"{sum(r.replied for r in self.chase)} of {len(self.chase)} Member States replied"

    def standing(self, country: Country) -> str:
        """What the tier table says of a Member State with no usable return (and of its kept plan)."""
        kept = next((k for k in self.kept if k.country.code == country.code), None)
        if kept is None:
            return self._standing(country)
        return (
            f"{self._standing(country)} · no return for {self.year}: the {kept.year} plan and its progress are "
            f"kept (sheet '{checklist_sheet(country.name)}')"
        )

    def _standing(self, country: Country) -> str:
        row = next((r for r in self.chase if r.country.code == country.code), None)
        if row is not None and row.state == CONFLICT:
            return f"conflict: {len(row.files)} returns differ ({', '.join(row.files)})"
        if row is not None and row.state == BLANK:
            return BLANK
        if country in self.missing or (row is not None and row.state == NOT_REPLIED):
            return "not submitted"
        return "no usable return (see Submissions)"

    def last_known(self, code: str) -> tuple[HistoryRow, ...]:
        """The pillars of a Member State's latest round in History before this one, by pillar (none when it
        never replied): what the record shows of a Member State with no return this round."""
        years = [h.year for h in self.history if h.code == code and h.year < self.year]
        if not years:
            return ()
        latest = max(years)
        return tuple(sorted((h for h in self.history if h.code == code and h.year == latest), key=lambda h: h.pillar))

    @property
    def no_return(self) -> str:
        """What the command line says of the kept plans: '' when there are none."""
        if not self.kept:
            return ""
        return f"no return for {self.year}: " + ", ".join(f"{k.country.name} (its {k.year} plan kept)" for k in self.kept)

    @property
    def rounds(self) -> list[int]:
        return sorted({h.year for h in self.history})

    def country_report(self, code: str) -> CountryReport | None:
        return next((c for c in self.countries if c.country.code == code), None)
