"""Scores, tiers and plans: the rules of the method, with exact values and property tests."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rai_xl.method.catalogue import Catalogue, load_catalogue
from rai_xl.method.planning import GAP, TIER, checklist, lost_criteria, plan
from rai_xl.method.scoring import assess, lost_points, points_to_next_tier, possible_scores, tier_for
from tests.helpers import labels_for

CATALOGUE = load_catalogue()  # hypothesis strategies are built at import time
IDS = [c.id for c in CATALOGUE.criteria]
TERMS = ("short", "medium", "long")

# {criterion id: answer code}, any subset of the 40 criteria answered
answer_sets = st.dictionaries(st.sampled_from(IDS), st.sampled_from("YMN"), max_size=40)
complete_answer_sets = st.fixed_dictionaries({q: st.sampled_from("YMN") for q in IDS})


def expected_tier(score: float) -> str:
    return "Advanced" if score >= 21 else "Promising" if score >= 11 else "Emerging"


def expected_to_next(score: float) -> float | None:
    """Scores move in steps of 1.5: the gain to the first score of the next tier that a pillar can have."""
    if score >= 21:
        return None
    target = 21 if score >= 11 else 11
    return math.ceil(target / 1.5) * 1.5 - score


def code_for(catalogue: Catalogue, criterion_id: str, points: float) -> str:
    return next(a.code for a in catalogue.criterion(criterion_id).answers if a.points == points)


def pillar_answers(catalogue: Catalogue, pillar: int, score: float) -> dict[str, str]:
    """Answer every criterion of *pillar* so that it scores exactly *score* (full points first)."""
    out, left = {}, score
    for c in catalogue.criteria_of(pillar):
        points = 3.0 if left >= 3 else 1.5 if left >= 1.5 else 0.0
        out[c.id] = code_for(catalogue, c.id, points)
        left -= points
    assert left == 0
    return out


def points_of(catalogue: Catalogue, answers: dict[str, str]) -> dict[str, float]:
    return {q: catalogue.criterion(q).answers[("Y", "M", "N").index(code)].points for q, code in answers.items()}


# --- assess ---------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(answers=answer_sets)
def test_pillar_scores_are_sums_of_answered_points(answers: dict[str, str]) -> None:
    catalogue = CATALOGUE
    result = assess(catalogue, answers)
    points = points_of(catalogue, answers)
    assert [p.number for p in result.pillars] == [1, 2, 3, 4]
    for p in result.pillars:
        ids = [f"Q{n}" for n in range(10 * p.number - 9, 10 * p.number + 1)]
        answered = [q for q in ids if q in answers]
        score = sum(points[q] for q in answered)
        assert p.score == score
        assert 0 <= p.score <= 30
        assert (p.score / 1.5).is_integer()
        assert p.score <= 3 * len(answered)
        assert p.answered == len(answered)
        assert p.total == 10
        assert p.missing == tuple(q for q in ids if q not in answers)
        assert p.complete == (len(answered) == 10)
        assert p.tier == (expected_tier(score) if answered else None)
        assert p.points_to_next_tier == (expected_to_next(score) if answered else None)
    assert result.complete == (len(answers) == 40)
    assert result.points == tuple((q, points.get(q)) for q in IDS)
    for q in IDS:
        assert result.points_for(q) == points.get(q)


@settings(max_examples=100, deadline=None)
@given(answers=complete_answer_sets)
def test_a_complete_assessment_has_nothing_missing(answers: dict[str, str]) -> None:
    result = assess(CATALOGUE, answers)
    assert result.complete
    assert all(p.complete and p.missing == () and p.answered == 10 for p in result.pillars)
    assert sum(p.score for p in result.pillars) == sum(points_of(CATALOGUE, answers).values())


@pytest.mark.parametrize(
    ("score", "tier", "to_next"),
    [
        (0, "Emerging", 12),
        (9, "Emerging", 3),
        (10.5, "Emerging", 1.5),
        (12, "Promising", 9),
        (19.5, "Promising", 1.5),
        (21, "Advanced", None),
        (22.5, "Advanced", None),
        (30, "Advanced", None),
    ],
)
@pytest.mark.parametrize("pillar", [1, 2, 3, 4])
def test_tier_boundaries(catalogue: Catalogue, pillar: int, score: float, tier: str, to_next: float | None) -> None:
    result = assess(catalogue, pillar_answers(catalogue, pillar, score))
    p = result.pillars[pillar - 1]
    assert (p.score, p.tier, p.points_to_next_tier, p.answered, p.complete) == (score, tier, to_next, 10, True)
    others = [q for q in result.pillars if q.number != pillar]
    assert all((q.score, q.answered, q.complete, q.tier, q.points_to_next_tier) == (0, 0, False, None, None) for q in others)


def test_tier_rule_on_the_printed_bands(catalogue: Catalogue) -> None:
    # the printed bands end at 10 and 20; the rule places everything by the tier's minimum
    assert [tier_for(s, catalogue) for s in (0, 10, 10.5, 11, 20, 20.5, 21, 30)] == [
        "Emerging",
        "Emerging",
        "Emerging",
        "Promising",
        "Promising",
        "Promising",
        "Advanced",
        "Advanced",
    ]
    # scores move in steps of 1.5, so the first Promising score a pillar can have is 12 and 10.5 needs 1.5
    assert [points_to_next_tier(s, catalogue, 1) for s in (0, 10.5, 12, 19.5, 21, 30)] == [12, 1.5, 9, 1.5, None, None]
    reachable = [1.5 * n for n in range(21)]
    assert sorted(possible_scores(catalogue, 2)) == reachable
    assert [s for s in reachable if tier_for(s, catalogue) == "Emerging"] == [1.5 * n for n in range(8)]
    assert [s for s in reachable if tier_for(s, catalogue) == "Promising"] == [1.5 * n for n in range(8, 14)]
    assert [s for s in reachable if tier_for(s, catalogue) == "Advanced"] == [1.5 * n for n in range(14, 21)]


def test_q6_is_reversed(catalogue: Catalogue) -> None:
    assert assess(catalogue, {"Q6": "Y"}).points_for("Q6") == 0
    assert assess(catalogue, {"Q6": "M"}).points_for("Q6") == 1.5
    assert assess(catalogue, {"Q6": "N"}).points_for("Q6") == 3
    assert assess(catalogue, {"Q6": "N"}).pillars[0].score == 3
    # "Yes" everywhere in pillar 1: nine criteria at 3, Q6 at 0
    yes = {c.id: c.answer_by_label("Yes").code for c in catalogue.criteria_of(1)}
    assert assess(catalogue, yes).pillars[0].score == 27
    no = {c.id: c.answer_by_label("No").code for c in catalogue.criteria_of(1)}
    assert assess(catalogue, no).pillars[0].score == 3
    assert labels_for(catalogue, {"Q6": 3.0, "Q1": 3.0}) == {"Q6": "No", "Q1": "Yes"}


def test_unanswered_is_not_no(catalogue: Catalogue) -> None:
    # pillar 1 all full marks except Q6 and Q10 left blank; pillar 2 half answered
    answers = {q: code_for(catalogue, q, 3.0) for q in ["Q1", "Q2", "Q3", "Q4", "Q5", "Q7", "Q8", "Q9"]}
    answers |= {"Q11": "M", "Q12": "M", "Q13": "N", "Q14": "Y", "Q15": "Y"}
    result = assess(catalogue, answers)
    p1, p2, p3, p4 = result.pillars
    assert (p1.score, p1.answered, p1.missing, p1.complete, p1.tier) == (24, 8, ("Q6", "Q10"), False, "Advanced")
    assert (p2.score, p2.answered, p2.missing, p2.complete) == (9, 5, ("Q16", "Q17", "Q18", "Q19", "Q20"), False)
    assert (p2.tier, p2.points_to_next_tier) == ("Emerging", 3)  # 9 + 3 = 12: no pillar can score 11
    assert (p3.answered, p4.answered) == (0, 0)
    assert not result.complete
    assert result.points_for("Q6") is None
    assert result.points_for("Q10") is None
    # answering the blanks "No" is a different assessment: Q6 "No" is worth 3, and nothing is missing
    with_no = assess(catalogue, answers | {"Q6": "N", "Q10": "N"}).pillars[0]
    assert (with_no.score, with_no.answered, with_no.missing, with_no.complete) == (27, 10, (), True)
    # a blank loses nothing that a plan could recover
    assert lost_points(catalogue.criterion("Q10"), None) == 0
    assert lost_points(catalogue.criterion("Q10"), 0) == 3
    assert "Q10" not in lost_criteria(catalogue, result)


def test_all_blank(catalogue: Catalogue) -> None:
    result = assess(catalogue, {})
    for p in result.pillars:
        ids = tuple(f"Q{n}" for n in range(10 * p.number - 9, 10 * p.number + 1))
        assert (p.score, p.answered, p.total, p.missing, p.complete) == (0, 0, 10, ids, False)
        assert (p.tier, p.points_to_next_tier) == (None, None)  # nothing answered: no tier at all
    assert not result.complete
    assert all(points is None for _, points in result.points)
    assert lost_criteria(catalogue, result) == {}
    # nothing answered, nothing lost: no tier actions and no gap actions
    assert plan(catalogue, result) == []


def test_an_unanswered_pillar_has_no_tier_and_no_tier_actions(catalogue: Catalogue) -> None:
    answers = pillar_answers(catalogue, 1, 30) | pillar_answers(catalogue, 2, 30) | pillar_answers(catalogue, 4, 30)
    result = assess(catalogue, answers)
    p3 = result.pillars[2]
    assert (p3.score, p3.answered, p3.tier, p3.points_to_next_tier) == (0, 0, None, None)
    assert [(pa.action.id, pa.basis) for pa in plan(catalogue, result)] == [
        ("A1.1", TIER),
        ("A1.2", TIER),
        ("A2.1", TIER),
        ("A2.2", TIER),
        ("A2.3", TIER),
        ("A2.4", TIER),
        ("A4.1", TIER),
        ("A4.2", TIER),
    ]
    # one answer is enough for a (provisional) tier and its actions
    one = assess(catalogue, answers | {"Q21": "N"}).pillars[2]
    assert (one.score, one.answered, one.tier, one.points_to_next_tier) == (0, 1, "Emerging", 12)


# --- planning -------------------------------------------------------------------------------------


def expected_lost(catalogue: Catalogue, answers: dict[str, str]) -> dict[str, float]:
    return {q: 3.0 - p for q, p in points_of(catalogue, answers).items() if p < 3}


@settings(max_examples=300, deadline=None)
@given(answers=answer_sets)
def test_plan(answers: dict[str, str]) -> None:
    catalogue = CATALOGUE
    result = assess(catalogue, answers)
    lost = expected_lost(catalogue, answers)
    assert lost_criteria(catalogue, result) == lost
    planned = plan(catalogue, result)

    tier_part = [pa for pa in planned if pa.basis == TIER]
    gap_part = [pa for pa in planned if pa.basis == GAP]
    assert planned == tier_part + gap_part
    expected_tier_actions = [
        a for p in result.pillars if p.answered for a in catalogue.targeted_actions(p.number, expected_tier(p.score))
    ]
    assert [pa.action for pa in tier_part] == expected_tier_actions

    ids = [pa.action.id for pa in planned]
    assert len(ids) == len(set(ids))
    tier_ids = {a.id for a in expected_tier_actions}
    candidates = [
        a for a in catalogue.actions if a.kind == "targeted" and a.id not in tier_ids and any(q in lost for q in a.criteria)
    ]
    expected_gaps = sorted(candidates, key=lambda a: -sum(lost.get(q, 0) for q in a.criteria))
    assert [pa.action for pa in gap_part] == expected_gaps
    assert [pa.recoverable for pa in gap_part] == sorted((pa.recoverable for pa in gap_part), reverse=True)
    assert all(pa.action.kind == "targeted" for pa in planned)

    for pa in planned:
        linked = tuple(q for q in pa.action.criteria if q in lost)
        assert pa.linked_lost == linked
        assert pa.recoverable == sum(lost[q] for q in linked)
        if pa.basis == GAP:
            assert pa.recoverable > 0


def test_plan_exact(catalogue: Catalogue) -> None:
    """Everything full marks except Q27 'No' (3 lost) and Q32 the middle answer (1.5 lost)."""
    answers = {q: code_for(catalogue, q, 3.0) for q in IDS} | {"Q27": "N", "Q32": "M"}
    result = assess(catalogue, answers)
    assert [(p.score, p.tier) for p in result.pillars] == [
        (30, "Advanced"),
        (30, "Advanced"),
        (27, "Advanced"),
        (28.5, "Advanced"),
    ]
    assert lost_criteria(catalogue, result) == {"Q27": 3.0, "Q32": 1.5}
    planned = plan(catalogue, result)
    assert [(pa.action.id, pa.basis, pa.recoverable, pa.linked_lost) for pa in planned] == [
        ("A1.1", TIER, 0, ()),
        ("A1.2", TIER, 3.0, ("Q27",)),
        ("A2.1", TIER, 1.5, ("Q32",)),
        ("A2.2", TIER, 1.5, ("Q32",)),
        ("A2.3", TIER, 0, ()),
        ("A2.4", TIER, 1.5, ("Q32",)),
        ("A3.1", TIER, 4.5, ("Q27", "Q32")),
        ("A3.2", TIER, 3.0, ("Q27",)),
        ("A4.1", TIER, 0, ()),
        ("A4.2", TIER, 0, ()),
        ("P3.3", GAP, 4.5, ("Q27", "Q32")),
        ("E3.6", GAP, 3.0, ("Q27",)),
        ("E1.4", GAP, 1.5, ("Q32",)),  # ties keep catalogue order
        ("E2.7", GAP, 1.5, ("Q32",)),
        ("P4.3", GAP, 1.5, ("Q32",)),
        ("E4.4", GAP, 1.5, ("Q32",)),
    ]


def test_plan_for_mixed_tiers(catalogue: Catalogue) -> None:
    answers = pillar_answers(catalogue, 1, 10.5) | pillar_answers(catalogue, 2, 19.5)
    answers |= pillar_answers(catalogue, 3, 21) | pillar_answers(catalogue, 4, 0)
    result = assess(catalogue, answers)
    assert [p.tier for p in result.pillars] == ["Emerging", "Promising", "Advanced", "Emerging"]
    planned = plan(catalogue, result)
    assert [pa.action.id for pa in planned if pa.basis == TIER] == [
        "E1.4",
        "E1.5",
        "P2.5",
        "P2.6",
        "A3.1",
        "A3.2",
        "E4.4",
    ]
    gaps = [pa for pa in planned if pa.basis == GAP]
    assert not {pa.action.id for pa in gaps} & {"E1.4", "E1.5", "P2.5", "P2.6", "A3.1", "A3.2", "E4.4"}
    assert [pa.recoverable for pa in gaps] == sorted((pa.recoverable for pa in gaps), reverse=True)
    lost = lost_criteria(catalogue, result)
    # pillar 4 scored 0 on every criterion: each of its criteria lost all 3 points
    assert all(lost[f"Q{n}"] == 3.0 for n in range(31, 41))
    for pa in planned:
        assert pa.recoverable == sum(lost[q] for q in pa.linked_lost)


@settings(max_examples=50, deadline=None)
@given(answers=answer_sets)
def test_checklist_has_one_row_per_milestone(answers: dict[str, str]) -> None:
    planned = plan(CATALOGUE, assess(CATALOGUE, answers))
    rows = checklist(planned, TERMS)
    expected = [
        (pa.action.id, s.id, term, m, pa.basis, f"{s.id}.{term[0].upper()}{n}")
        for pa in planned
        for s in pa.action.sub_actions
        for term in TERMS
        for n, m in enumerate(dict(s.milestones).get(term, ()), start=1)
    ]
    assert [(r.action.id, r.sub_action.id, r.term, r.milestone, r.basis, r.milestone_id) for r in rows] == expected
    assert len(rows) == sum(len(items) for pa in planned for s in pa.action.sub_actions for _, items in s.milestones)


def test_checklist_exact(catalogue: Catalogue) -> None:
    zero = {k: v for p in (1, 2, 3, 4) for k, v in pillar_answers(catalogue, p, 0).items()}
    planned = [pa for pa in plan(catalogue, assess(catalogue, zero)) if pa.basis == TIER]  # the six Emerging actions
    assert [pa.action.id for pa in planned] == ["E1.4", "E1.5", "E2.7", "E3.6", "E3.7", "E4.4"]
    rows = checklist(planned, [t.key for t in catalogue.terms])
    per_action = {pa.action.id: 0 for pa in planned}
    for r in rows:
        per_action[r.action.id] += 1
    assert per_action == {
        pa.action.id: sum(len(items) for s in pa.action.sub_actions for _, items in s.milestones) for pa in planned
    }
    assert len(rows) == sum(per_action.values())
    assert {r.basis for r in rows} == {TIER}
    first = rows[0]
    e141 = catalogue.targeted_actions(1, "Emerging")[0].sub_actions[0]
    assert (first.action.id, first.sub_action.id, first.term, first.milestone, first.milestone_id) == (
        "E1.4",
        "E1.4.1",
        "short",
        dict(e141.milestones)["short"][0],
        "E1.4.1.S1",
    )
    only_long = checklist(planned, ["long"])
    assert {r.term for r in only_long} == {"long"}
    assert len(only_long) == sum(len(dict(s.milestones).get("long", ())) for pa in planned for s in pa.action.sub_actions)
    assert checklist([], TERMS) == []
