"""The machine-readable shapes rai-xl prints (`score --json`, `validate --json`, `validate --round-json`), in one
place, so that what other tools read is defined once. Each takes what a workflow function returned."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rai_xl.core.progress_return import ProgressReturn
    from rai_xl.core.submission import Submission
    from rai_xl.method.catalogue import Catalogue
    from rai_xl.workflow import Check, Verdict


def score_shape(sub: Submission, catalogue: Catalogue) -> dict[str, Any]:
    """`score --json`: one return's country, year, pillars, criteria and issues."""
    return {
        "file": str(sub.path),
        "status": sub.status,
        "country": {"code": sub.country.code, "name": sub.country.name} if sub.country else None,
        "year": sub.year,
        "complete": sub.complete,
        "pillars": pillars_shape(sub) if sub.assessment is not None else [],
        "criteria": [
            {
                "id": c.id,
                "answer": next((a.label for a in c.answers if a.code == sub.answers.get(c.id)), None),
                "points": sub.assessment.points_for(c.id) if sub.assessment else None,
            }
            for c in catalogue.criteria
        ],
        "issues": [i.as_dict() for i in sub.issues],
    }


def pillars_shape(sub: Submission) -> list[dict[str, Any]]:
    """Each pillar's number, score, tier, answered count and completeness."""
    assert sub.assessment is not None
    return [
        {"number": p.number, "score": p.score, "tier": p.tier, "answered": p.answered, "complete": p.complete}
        for p in sub.assessment.pillars
    ]


def verdict_shape(v: Verdict) -> dict[str, Any]:
    """`validate --json`: what happens to one returned questionnaire."""
    s = v.submission
    return {
        "file": str(s.path),
        "status": s.status,
        "outcome": None if v.fate is None else str(v.fate),
        "country": s.country.code if s.country else None,
        "year": s.year,
        "complete": s.complete,
        "blank": s.blank,
        "issues": [i.as_dict() for i in v.issues],
    }


def progress_shape(ret: ProgressReturn) -> dict[str, object]:
    """`validate --json`: one progress return."""
    return {
        "file": str(ret.path),
        "kind": "progress",
        "status": ret.status,
        "country": ret.country.code if ret.country else None,
        "year": ret.round,
        "blank": ret.untouched,
        "changes": len(ret.changes),
        "issues": [i.as_dict() for i in ret.issues],
    }


def round_shape(found: Check) -> dict[str, Any]:
    """The round for other tools: what happens to each file, and with a year the chase list."""
    return {
        "year": found.round.year if found.round else found.year,
        "problem": found.round_problem or None,
        "counts": found.counts(),
        "files": [
            {
                "file": str(v.submission.path),
                "country": v.submission.country.code if v.submission.country else None,
                "outcome": None if v.fate is None else str(v.fate),
                "reason": v.reason,
            }
            for v in found.files
        ],
        "chase": [
            {
                "country": {"code": r.country.code, "name": r.country.name},
                "state": r.state,
                "replied": r.replied,
                "detail": r.detail,
                "contact": r.contact,
                "completed_on": r.completed_on,
                "files": list(r.files),
            }
            for r in found.chase
        ],
    }
