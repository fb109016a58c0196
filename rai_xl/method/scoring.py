"""Scores and tiers: pure functions of the catalogue and a set of answers. No files here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from rai_xl.method.catalogue import Catalogue, Criterion


@dataclass(frozen=True)
class PillarScore:
    number: int
    score: float  # sum of the points of the answered criteria
    answered: int
    total: int
    tier: str | None  # the tier the score reaches (provisional when incomplete); None when nothing is answered
    missing: tuple[str, ...]  # criteria without an answer
    points_to_next_tier: float | None  # the smallest reachable gain; None in the top tier and when nothing is answered

    @property
    def complete(self) -> bool:
        return self.answered == self.total


@dataclass(frozen=True)
class Assessment:
    pillars: tuple[PillarScore, ...]
    points: tuple[tuple[str, float | None], ...]  # (criterion id, points or None when unanswered)

    @property
    def complete(self) -> bool:
        return all(p.complete for p in self.pillars)

    def points_for(self, criterion_id: str) -> float | None:
        return dict(self.points)[criterion_id]


def tier_for(score: float, catalogue: Catalogue) -> str:
    """The highest tier whose minimum the score reaches (10.5 is Emerging, 21 is Advanced)."""
    return next(t.name for t in catalogue.tiers if score >= t.minimum)


def possible_scores(catalogue: Catalogue, pillar: int) -> frozenset[float]:
    """Every score a pillar can have, from its criteria's point values (0, 1.5, 3, ... 30)."""
    return _possible(tuple(tuple(a.points for a in c.answers) for c in catalogue.criteria_of(pillar)))


@cache
def _possible(points: tuple[tuple[float, ...], ...]) -> frozenset[float]:
    """Every sum of one point value per criterion, from each criterion's (*points*)."""
    sums = {0.0}
    for values in points:
        sums = {s + v for s in sums for v in values}
    return frozenset(sums)


def points_to_next_tier(score: float, catalogue: Catalogue, pillar: int) -> float | None:
    """The smallest gain that reaches the next tier up: 10.5 needs 1.5 (to 12), not 0.5, as no pillar
    can score 11. None in the top tier (or when no score of the pillar reaches the next tier)."""
    above = [t.minimum for t in catalogue.tiers if t.minimum > score]
    reach = [s for s in possible_scores(catalogue, pillar) if above and s >= min(above)]
    return min(reach) - score if reach else None


def lost_points(criterion: Criterion, points: float | None) -> float:
    """Points a criterion's answer fell short of the maximum (an unanswered criterion loses none)."""
    return 0.0 if points is None else criterion.max_points - points


def assess(catalogue: Catalogue, answers: Mapping[str, str]) -> Assessment:
    """Score answers given as {criterion id: answer code (Y/M/N)}; absent ids are unanswered."""
    points: dict[str, float | None] = {}
    for c in catalogue.criteria:
        code = answers.get(c.id)
        points[c.id] = None if code is None else next(a.points for a in c.answers if a.code == code)
    pillars = []
    for p in catalogue.pillars:
        ids = [c.id for c in catalogue.criteria_of(p.number)]
        given = [points[i] for i in ids if points[i] is not None]
        score = float(sum(given))  # type: ignore[arg-type]
        scored = bool(given)
        pillars.append(
            PillarScore(
                number=p.number,
                score=score,
                answered=len(given),
                total=len(ids),
                tier=tier_for(score, catalogue) if scored else None,
                missing=tuple(i for i in ids if points[i] is None),
                points_to_next_tier=points_to_next_tier(score, catalogue, p.number) if scored else None,
            )
        )
    return Assessment(tuple(pillars), tuple(points.items()))
