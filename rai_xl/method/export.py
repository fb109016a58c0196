"""The catalogue as text for people, and as JSON or CSV for other tools."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import Any

from rai_xl.method.catalogue import Action, Catalogue


def _action(a: Action) -> dict[str, Any]:
    return {
        "id": a.id,
        "kind": a.kind,
        "pillar": a.pillar,
        "tier": a.tier,
        "title": a.title,
        "priority": a.priority,
        "objectives": list(a.objectives),
        "criteria": list(a.criteria),
        "notes": list(a.notes),
        "sub_actions": [
            {
                "id": s.id,
                "source_id": s.source_id or s.id,
                "title": s.title,
                "target_areas": list(s.target_areas),
                "milestones": [asdict(m) for m in s.milestone_items],
                "retired_milestones": list(s.retired),
                "measures_of_progress": list(s.measures_of_progress),
                "criteria": list(s.criteria),
                "case_studies": [asdict(c) for c in s.case_studies],
                "notes": list(s.notes),
            }
            for s in a.sub_actions
        ],
    }


def as_dict(cat: Catalogue) -> dict[str, Any]:
    """Everything the catalogue holds, for `rai-xl catalogue --format json`: methodology, tiers, terms,
    pillars, criteria, actions and countries (other tools read these keys: keep them stable)."""
    return {
        "methodology": {
            "title": cat.title,
            "version": cat.version,
            "fingerprint": cat.fingerprint,
            "source": cat.source,
            "tier_rule": cat.tier_rule,
            "responsible_parties": list(cat.responsible_parties),
            "responsible_parties_note": cat.responsible_parties_note,
        },
        "tiers": [asdict(t) for t in cat.tiers],
        "terms": [asdict(t) for t in cat.terms],
        "pillars": [
            {
                "number": p.number,
                "name": p.name,
                "description": p.description,
                "rationale": p.rationale,
                "tiers": dict(p.tier_descriptions),
            }
            for p in cat.pillars
        ],
        "targeted_pillars": [
            {"number": p.number, "name": p.name, "description": p.description} for p in cat.targeted_pillars
        ],
        "cross_cutting_pillars": [
            {"number": p.number, "name": p.name, "description": p.description} for p in cat.cross_cutting_pillars
        ],
        "countries": [asdict(c) for c in cat.countries],
        "criteria": [
            {
                "id": c.id,
                "pillar": c.pillar,
                "text": c.question,
                "description": c.description,
                "options": [{"code": a.code, "label": a.label, "points": a.points} for a in c.answers],
                "notes": list(c.notes),
            }
            for c in cat.criteria
        ],
        "actions": [_action(a) for a in cat.actions],
    }


def as_json(cat: Catalogue) -> str:
    return json.dumps(as_dict(cat), indent=2, ensure_ascii=False)


def as_csv(cat: Catalogue) -> str:
    """One row per milestone of every action (the shape a spreadsheet filter wants)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            "action",
            "kind",
            "pillar",
            "tier",
            "action_title",
            "priority",
            "sub_action",
            "sub_action_title",
            "milestone_id",
            "term",
            "milestone",
            "criteria",
        ]
    )
    for a in cat.actions:
        for s in a.sub_actions:
            for m in s.milestone_items:
                w.writerow(
                    [
                        a.id,
                        a.kind,
                        a.pillar,
                        a.tier or "",
                        a.title,
                        "yes" if a.priority else "",
                        s.id,
                        s.title,
                        m.id,
                        m.term,
                        m.text,
                        " ".join(s.criteria),
                    ]
                )
    return buf.getvalue()


def _sub_action_lines(a: Action, indent: str) -> list[str]:
    """Each sub-action's title, then its milestones with their IDs."""
    out = []
    for s in a.sub_actions:
        out.append(f"{indent}{s.id:<7} {s.title}")
        out.extend(f"{indent}  {m.id:<12} {m.text}" for m in s.milestone_items)
    return out


def as_text(cat: Catalogue) -> str:
    """Criteria by pillar, then actions by pillar and tier, for reading in a terminal."""
    out = [
        f"{cat.title} — methodology {cat.version} (catalogue {cat.fingerprint})",
        "",
        "TIER RULE: " + cat.tier_rule,
        "",
    ]
    for p in cat.pillars:
        out.append(f"ASSESSMENT PILLAR {p.number}: {p.name.upper()}")
        for c in cat.criteria_of(p.number):
            out.append(f"  {c.id:>4}  {c.question}")
            out.append("        " + c.scoring_text())
        out.append("")
    out.append("CROSS-CUTTING ACTION AREAS (regional; ★ key regional priority)")
    for a in cat.cross_cutting_actions():
        out.append(f"  {'★' if a.priority else ' '} {a.id:<5} {a.title}")
        out.extend(_sub_action_lines(a, "          "))
    out.append("")
    for p in cat.targeted_pillars:
        out.append(f"TARGETED PILLAR {p.number}: {p.name.upper()}")
        for t in cat.tiers:
            for a in cat.targeted_actions(p.number, t.name):
                linked = f"  [criteria: {' '.join(a.criteria)}]" if a.criteria else ""
                out.append(f"  {t.name:<9} {a.id:<5} {a.title}{linked}")
                out.extend(_sub_action_lines(a, "            "))
        out.append("")
    return "\n".join(out)
