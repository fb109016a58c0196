"""Turn scores into plans: the targeted actions of each tier and the actions linked to lost points."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rai_xl.method.catalogue import Action, Catalogue, SubAction
from rai_xl.method.scoring import Assessment, lost_points

TIER, GAP = "tier", "gap"


@dataclass(frozen=True)
class PlannedAction:
    action: Action
    basis: str  # "tier": the action of the country's tier in that pillar; "gap": linked to lost points
    recoverable: float  # points lost on the criteria the action is linked to
    linked_lost: tuple[str, ...]  # those criteria


@dataclass(frozen=True)
class ChecklistRow:
    action: Action
    sub_action: SubAction
    term: str  # short, medium or long
    milestone: str
    basis: str
    milestone_id: str


def lost_criteria(catalogue: Catalogue, assessment: Assessment) -> dict[str, float]:
    """{criterion id: points lost} for every answered criterion that fell short of full points."""
    out = {}
    for c in catalogue.criteria:
        lost = lost_points(c, assessment.points_for(c.id))
        if lost:
            out[c.id] = lost
    return out


def plan(catalogue: Catalogue, assessment: Assessment) -> list[PlannedAction]:
    """The tier actions of every answered pillar, then gap actions ranked by the points they can recover."""
    lost = lost_criteria(catalogue, assessment)
    planned: list[PlannedAction] = []
    for p in assessment.pillars:
        if p.tier is None:  # a pillar with no answer has no tier, so no tier actions
            continue
        for a in catalogue.targeted_actions(p.number, p.tier):
            linked = tuple(q for q in a.criteria if q in lost)
            planned.append(PlannedAction(a, TIER, sum(lost[q] for q in linked), linked))
    chosen = {pa.action.id for pa in planned}
    gaps = []
    for a in catalogue.actions:
        if a.kind != "targeted" or a.id in chosen:
            continue
        linked = tuple(q for q in a.criteria if q in lost)
        if linked:
            gaps.append(PlannedAction(a, GAP, sum(lost[q] for q in linked), linked))
    gaps.sort(key=lambda pa: -pa.recoverable)  # stable: catalogue order breaks ties
    return planned + gaps


def checklist(planned: Iterable[PlannedAction], terms: Iterable[str]) -> list[ChecklistRow]:
    """One row per milestone of every planned action, by sub-action and then term."""
    terms = tuple(terms)
    return [
        ChecklistRow(pa.action, s, term, m.text, pa.basis, m.id)
        for pa in planned
        for s in pa.action.sub_actions
        for term in terms
        for m in s.milestone_items
        if m.term == term
    ]
