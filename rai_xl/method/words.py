"""The method's own words, stated once from the catalogue: how a tier is labelled (provisional, not
answered), how scoring works, and the notes every workbook prints beside scores and tiers. No files here."""

from __future__ import annotations

from typing import Protocol

from rai_xl.method.catalogue import Catalogue


class Tiered(Protocol):
    """A pillar's result as any round holds it (this round's score, or a row of History)."""

    @property
    def tier(self) -> str | None: ...
    @property
    def score(self) -> float | None: ...
    @property
    def complete(self) -> bool: ...


PROVISIONAL = "provisional"
NOT_ANSWERED = "not answered"  # what a pillar with no answer shows in place of a score and a tier


def tier_label(p: Tiered) -> str:
    """'Promising', 'Promising (provisional)' when the pillar has unanswered criteria, or 'not answered'."""
    if p.tier is None:
        return NOT_ANSWERED
    return p.tier if p.complete else f"{p.tier} ({PROVISIONAL})"


def tier_and_score(year: int, p: Tiered) -> str:
    """'2026: Emerging (10.5)', '2026: Emerging (provisional, 10.5)', or '2026: not answered'."""
    if p.tier is None or p.score is None:
        return f"{year}: {NOT_ANSWERED}"
    return f"{year}: {p.tier} ({'' if p.complete else PROVISIONAL + ', '}{p.score:g})"


def not_answered_note() -> str:
    return f"'{NOT_ANSWERED.capitalize()}': no criterion of the pillar was answered, so it has no score and no tier."


def provisional_note() -> str:
    return f"'{PROVISIONAL.capitalize()}': the pillar has unanswered criteria, so its score may still rise."


def pillars_note(catalogue: Catalogue) -> str:
    """Say once that the action plan's pillars are the Roadmap's targeted-action pillars, not the assessment's."""
    targeted = "; ".join(f"{p.number}. {p.name}" for p in catalogue.targeted_pillars)
    assessed = "; ".join(f"{p.number}. {p.name}" for p in catalogue.pillars)
    return (
        "Two sets of pillars: the Roadmap groups its targeted actions under its own pillars "
        f"({targeted}), which are not the same as the four assessment pillars that are scored ({assessed}). "
        "Action headings name the targeted-action pillar; the Pillar column gives its number."
    )


def points_legend(catalogue: Catalogue) -> str:
    """'3 = full, 1.5 = partial, 0 = none': the points an answer can be worth."""
    points = sorted({a.points for c in catalogue.criteria for a in c.answers}, reverse=True)
    return ", ".join(f"{p:g} = {word}" for p, word in zip(points, ("full", "partial", "none"), strict=True))


def scoring_note(catalogue: Catalogue) -> str:
    """How points and pillar scores work, from the catalogue."""
    reversed_ = ", ".join(c.id for c in catalogue.reversed_criteria())
    points = sorted({a.points for c in catalogue.criteria for a in c.answers}, reverse=True)
    tops = sorted({catalogue.pillar_max(p.number) for p in catalogue.pillars})
    top = "/".join(f"{t:g}" for t in tops)
    return (
        f"Each criterion scores {', '.join(f'{p:g}' for p in points[:-1])} or {points[-1]:g} points"
        + (f" ({reversed_} reversed: its 'No' is worth full points)" if reversed_ else "")
        + f"; a pillar's score is the sum of its criteria (0–{top}). Pillars are not weighted and there is no "
        "composite score. An unanswered criterion is not a 'No': its pillar is incomplete and its tier "
        f"{PROVISIONAL}."
    )
