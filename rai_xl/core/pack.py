"""The meeting pack as plain data: what a regional workbook holds (`PackSource`, read by rai_xl.read.pack)
turned into the document the pack's typst template lays out (`build_pack`). No files here.

Scores, tiers, plans and gaps come from the method's own rules (rai_xl.method.scoring, rai_xl.method.planning,
rai_xl.method.words) applied to the answers the workbook records; the workbook's History gives earlier rounds.
Countries are in ASEAN order; nothing is ranked and no score is added up across pillars.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rai_xl import __version__
from rai_xl.core.previous_round import HistoryRow, PreviousRound
from rai_xl.core.progress_return import ProgressRow
from rai_xl.core.text import shown_value
from rai_xl.core.typed import COMPLETED, NOT_APPLICABLE, NOT_STARTED, OTHER_STATUS, STATUSES, Typed, Value
from rai_xl.errors import InputError
from rai_xl.method.catalogue import Catalogue, Country
from rai_xl.method.planning import TIER, PlannedAction, checklist, lost_criteria, plan
from rai_xl.method.scoring import Assessment, PillarScore, assess, possible_scores, tier_for
from rai_xl.method.words import NOT_ANSWERED, PROVISIONAL, not_answered_note, provisional_note, scoring_note, tier_label

GAPS = 5  # at most, the criteria that lost the most points shown on a profile
GAP_LINES = 14  # about how many lines of a profile's page the gaps may take (less what is reported completed)
TITLED = 2  # a gap's actions shown with their titles; the others by ID
QUESTION_LINE, ACTION_LINE = 56, 44  # about how many characters a line of the gaps table's columns holds
DONE = (COMPLETED, NOT_APPLICABLE)  # a milestone in one of these is not due


class PackInputError(InputError):
    """The regional workbook cannot make a pack; the message names the file and what is wrong, in one line."""


@dataclass(frozen=True)
class PackSource:
    """What the pack is made from: a regional workbook as rai_xl.read.pack reads it."""

    name: str  # the file's name
    record: PreviousRound  # History, Answer history and every entry typed on its trackers
    progress: tuple[ProgressRow, ...]  # its `Progress` table
    written_on: date | None  # when rai-xl wrote it (the Overview says so)
    synthetic: bool  # made from the synthetic samples
    returns: str  # what went into the round, in the Overview's words ('' when not found)


@dataclass(frozen=True)
class Standing:
    """One Member State in the pack: its latest round (None when it never replied) and that round's assessment."""

    country: Country
    year: int | None
    assessment: Assessment | None
    rows: tuple[HistoryRow, ...]  # its History, every round


def build_pack(catalogue: Catalogue, source: PackSource, countries: Iterable[Country] = ()) -> dict[str, Any]:
    """The document the template lays out: the meeting pack, or with *countries* their briefs."""
    rec = source.record
    year = rec.year
    standings = [_standing(catalogue, source, c) for c in catalogue.countries]
    replied = [s for s in standings if s.year == year]
    if not replied:
        raise PackInputError(f"{source.name}: its History table holds no scores for its own round ({year}); it is damaged")
    chosen = {c.code for c in countries}
    shown = [s for s in standings if s.year is not None and (not chosen or s.country.code in chosen)]
    for c in countries:
        if not any(s.country.code == c.code for s in shown):
            raise PackInputError(f"{source.name} holds no assessment of {c.name}: no brief can be made for it")
    rounds = sorted({h.year for h in rec.history})
    doc: dict[str, Any] = {
        "meta": _meta(catalogue, source, rounds, [s.country for s in shown] if chosen else []),
        "tiers": [{"name": t.name, "minimum": t.minimum, "band": t.printed_band} for t in catalogue.tiers],
        "thresholds": sorted(t.minimum for t in catalogue.tiers if t.minimum > 0),
        "pillars": [{"number": p.number, "name": p.name} for p in catalogue.pillars],
        "max": max(catalogue.pillar_max(p.number) for p in catalogue.pillars),
        "profiles": [_profile(catalogue, source, s, bool(chosen)) for s in shown],
        "methodology": _methodology(catalogue, source),
    }
    if not chosen:
        doc["overview"] = _overview(catalogue, source, standings)
        doc["criteria"] = _criteria(catalogue, rec, replied)
    return doc


# ---------------------------------------------------------------- each Member State


def _standing(catalogue: Catalogue, source: PackSource, country: Country) -> Standing:
    """A Member State's latest round and its assessment, worked out again from the answers recorded; a
    workbook whose History disagrees with its answers is damaged."""
    rec = source.record
    rows = tuple(h for h in rec.history if h.code == country.code)
    years = [h.year for h in rows if h.year <= rec.year]
    if not years:
        return Standing(country, None, None, rows)
    latest = max(years)
    points = rec.answers.get((country.code, latest))
    if not points:
        raise PackInputError(
            f"{source.name}: its Answer history holds no answers of {country.name} for {latest}, "
            "though its History has scores; it is damaged"
        )
    codes = {}
    for c in catalogue.criteria:
        got = points.get(c.id)
        if got is None:
            continue
        answer = next((a for a in c.answers if a.points == got), None)
        if answer is None:
            raise PackInputError(f"{source.name}: {country.name} {latest} {c.id} has {got:g} points, not one of its answers")
        codes[c.id] = answer.code
    assessment = assess(catalogue, codes)
    for p in assessment.pillars:
        h = next((r for r in rows if r.year == latest and r.pillar == p.number), None)
        score = p.score if p.tier is not None else None
        if h is None or h.score != score or h.tier != p.tier:
            said = "no row" if h is None else f"{h.score if h.score is not None else 'no score'} ({h.tier or NOT_ANSWERED})"
            raise PackInputError(
                f"{source.name}: History says {said} for {country.name} pillar {p.number} in {latest}, but its "
                f"answers give {_score(score)} ({p.tier or NOT_ANSWERED}); the workbook is damaged"
            )
    return Standing(country, latest, assessment, rows)


def _profile(catalogue: Catalogue, source: PackSource, s: Standing, brief: bool) -> dict[str, Any]:
    """One Member State's profile (and, for a brief, its plan)."""
    assert s.year is not None and s.assessment is not None
    rec = source.record
    year, a = s.year, s.assessment
    earlier = [h for h in s.rows if h.year < year]
    before_year = max((h.year for h in earlier), default=None)
    planned = plan(catalogue, a)
    lines = _tracker(catalogue, rec, s.country.code, planned)
    completed = _completed(catalogue, source, s.country.code)
    out: dict[str, Any] = {
        "code": s.country.code,
        "name": s.country.name,
        "year": year,
        "replied": year == rec.year,
        "before_year": before_year,
        "pillars": [_pillar(catalogue, p, _row(earlier, before_year, p.number)) for p in a.pillars],
        "trend": [
            {"year": y, "pillars": [_history_cell(_row(s.rows, y, p.number)) for p in catalogue.pillars]}
            for y in sorted({h.year for h in s.rows})
        ],
        "gaps": _gaps(catalogue, a, planned, GAP_LINES - (4 + 2 * len(completed) if completed else 0)),
        "lost": len(lost_criteria(catalogue, a)),
        "progress": _by_status(catalogue, lines),
        "completed": completed,
        "reported": _reported(source, s.country.code),
    }
    if brief:
        out["plan"] = _plan(catalogue, planned, lines)
        out["due"] = _due(catalogue, lines, rec.year)
    return out


def _row(rows: Iterable[HistoryRow], year: int | None, pillar: int) -> HistoryRow | None:
    return next((h for h in rows if h.year == year and h.pillar == pillar), None)


def _pillar(catalogue: Catalogue, p: PillarScore, before: HistoryRow | None) -> dict[str, Any]:
    """A pillar's line: now, before, the change and the movement, and the points to the next tier."""
    score = p.score if p.tier is not None else None
    change = None if before is None or before.score is None or score is None else score - before.score
    rank = [t.name for t in catalogue.tiers]
    movement = ""
    if before is not None and before.tier in rank and p.tier in rank:
        movement = "same" if before.tier == p.tier else "up" if rank.index(p.tier) < rank.index(before.tier) else "down"
    following = ""
    if p.points_to_next_tier is not None and p.tier in rank:
        following = f"{p.points_to_next_tier:g} to {rank[rank.index(p.tier) - 1]}"
    elif p.tier == rank[0]:
        following = "top tier"
    return {
        "number": p.number,
        "now": _cell(score, p.tier, tier_label(p)),
        "before": _history_cell(before) if before is not None else None,
        "change": "" if change is None else f"{change:+g}" if change else "0",
        "movement": movement,
        "next": following,
        "missing": list(p.missing) if p.tier is not None else [],
    }


def _cell(score: float | None, tier: str | None, label: str) -> dict[str, Any]:
    return {
        "score": score,
        "text": _score(score),
        "tier": tier or "",
        "label": label,
        "provisional": PROVISIONAL in label,
    }


def _history_cell(h: HistoryRow | None) -> dict[str, Any] | None:
    return None if h is None else _cell(h.score, h.tier, tier_label(h))


def _score(score: float | None) -> str:
    return "–" if score is None else f"{score:g}"


def _gaps(catalogue: Catalogue, a: Assessment, planned: list[PlannedAction], room: int) -> list[dict[str, Any]]:
    """The criteria that lost the most points (catalogue order breaks ties), each with its planned actions:
    as many as fit in about *room* lines of the profile's table (at least one, at most GAPS)."""
    out: list[dict[str, Any]] = []
    for cid, points in sorted(lost_criteria(catalogue, a).items(), key=lambda kv: -kv[1])[:GAPS]:
        c = catalogue.criterion(cid)
        got = a.points_for(cid)
        linked = [pa.action for pa in planned if cid in pa.linked_lost]
        actions = [f"{x.id} {x.title}" for x in linked[:TITLED]]
        actions += [f"also {', '.join(x.id for x in linked[TITLED:])}"] if linked[TITLED:] else []
        lines = max(_lines(c.question, QUESTION_LINE), sum(_lines(t, ACTION_LINE) for t in actions), 1)
        if out and lines > room:
            break
        room -= lines
        answer = next(x.label for x in c.answers if x.points == got)
        out.append({"id": cid, "question": c.question, "answer": answer, "lost": f"{points:g}", "actions": actions})
    return out


def _lines(text: str, width: int) -> int:
    """About how many lines *text* takes in a column of *width* characters."""
    return -(-len(text) // width)


Line = tuple[str, int, Typed]  # (milestone ID, targeted pillar, what was typed on it)


def _tracker(catalogue: Catalogue, rec: PreviousRound, code: str, planned: list[PlannedAction]) -> list[Line]:
    """The tracker's rows as the workbook holds them: the plan's milestones, then the rows carried because
    something was typed on them; each with what was typed (its tracker's row before the `Checklist` table's)."""
    typed: dict[str, Typed] = {}
    for t in rec.typed:
        if t.country == code and t.milestone_id and t.milestone_id not in typed:
            typed[t.milestone_id] = t.typed
    ids = [r.milestone_id for r in checklist(planned, [t.key for t in catalogue.terms])]
    ids += [m for m in typed if m not in set(ids) and catalogue.milestone(m) is not None]
    out = []
    for mid in dict.fromkeys(ids):
        action = catalogue.milestone(mid)[0]  # type: ignore[index]
        out.append((mid, action.pillar, typed.get(mid, Typed())))
    return out


def _status(t: Typed) -> str:
    status = t.status
    return NOT_STARTED if status in (None, "") else str(status) if status in STATUSES else OTHER_STATUS


def _by_status(catalogue: Catalogue, lines: list[Line]) -> dict[str, Any]:
    """Milestones by status per targeted-action pillar, and in all."""
    statuses = [*STATUSES, OTHER_STATUS]
    rows = []
    for p in catalogue.targeted_pillars:
        mine = [_status(t) for _, k, t in lines if k == p.number]
        rows.append({"pillar": p.number, "name": p.name, "counts": [mine.count(s) for s in statuses], "total": len(mine)})
    every = [_status(t) for _, _, t in lines]
    return {"statuses": statuses, "rows": rows, "counts": [every.count(s) for s in statuses], "total": len(every)}


def _completed(catalogue: Catalogue, source: PackSource, code: str) -> list[dict[str, str]]:
    """The milestones the Member State reported completed in the round's year (the `Progress` table)."""
    year = source.record.year
    out = []
    for r in source.progress:
        if (
            r.country == code
            and r.field == "Status"
            and r.after[0] == COMPLETED
            and r.reported_on is not None
            and r.reported_on.year == year
        ):
            found = catalogue.milestone(r.milestone_id)
            out.append({"id": r.milestone_id, "text": found[2].text if found else "", "on": r.reported_on.isoformat()})
    return out


def _reported(source: PackSource, code: str) -> dict[str, Any] | None:
    """The Member State's latest progress report: when, from which file, how many changes, how many now Completed."""
    mine = [r for r in source.progress if r.country == code]
    if not mine:
        return None
    latest = max(mine, key=lambda r: (r.reported_on or date.min, r.source))
    rows = [r for r in mine if r.source == latest.source]
    return {
        "on": latest.reported_on.isoformat() if latest.reported_on else "no date",
        "file": latest.source,
        "changes": len(rows),
        "milestones": len({r.milestone_id for r in rows}),
        "completed": sum(r.field == "Status" and r.after[0] == COMPLETED for r in rows),
    }


def _plan(catalogue: Catalogue, planned: list[PlannedAction], lines: list[Line]) -> list[dict[str, Any]]:
    """A brief's plan: each planned action (tier actions by pillar, then gap actions) with its milestones by status."""
    statuses = [*STATUSES, OTHER_STATUS]
    typed = {mid: t for mid, _, t in lines}
    out = []
    for pa in planned:
        a = pa.action
        mine = [_status(typed.get(m.id, Typed())) for s in a.sub_actions for m in s.milestone_items]
        why = (
            f"{a.tier} tier" if pa.basis == TIER else f"can recover {pa.recoverable:g} points ({', '.join(pa.linked_lost)})"
        )
        out.append(
            {
                "pillar": a.pillar,
                "id": a.id,
                "title": a.title,
                "basis": pa.basis,
                "why": why,
                "counts": [mine.count(s) for s in statuses],
                "total": len(mine),
            }
        )
    return out


def _due(catalogue: Catalogue, lines: list[Line], year: int) -> dict[str, Any]:
    """A brief's milestones due by the end of next year: those with a target date by then, not yet completed
    (or set aside); and how many short-term milestones still have no target date."""
    end = date(year + 1, 12, 31)
    rows, undated = [], 0
    for mid, _, t in lines:
        if _status(t) in DONE:
            continue
        when = _date(t.target)
        found = catalogue.milestone(mid)
        assert found is not None
        if when is None:
            undated += found[2].term == catalogue.terms[0].key
            continue
        if when <= end:
            rows.append(
                {
                    "id": mid,
                    "text": found[2].text,
                    "status": _status(t),
                    "lead": shown_value(t.lead),
                    "target": when.isoformat(),
                    "order": when.isoformat(),
                }
            )
    rows.sort(key=lambda r: r["order"])
    short = catalogue.terms[0]
    return {"by": end.isoformat(), "rows": rows, "undated": undated, "short": f"{short.name} ({short.years})"}


def _date(v: Value) -> date | None:
    if isinstance(v, datetime):
        return v.date()
    return v if isinstance(v, date) else None


# ---------------------------------------------------------------- the region


def _meta(catalogue: Catalogue, source: PackSource, rounds: list[int], brief: list[Country]) -> dict[str, Any]:
    year = source.record.year
    what = f"{', '.join(c.name for c in brief)}: country brief" if brief else "Meeting pack"
    return {
        "title": f"ASEAN Responsible AI readiness {year}: {what}",
        "year": year,
        "brief": bool(brief),
        "rounds": rounds,
        "file": source.name,
        "written_on": source.written_on.isoformat() if source.written_on else "",
        "date": [source.written_on.year, source.written_on.month, source.written_on.day] if source.written_on else None,
        "synthetic": source.synthetic,
        "returns": source.returns,
        "roadmap": catalogue.title,
        "version": catalogue.version,
        "made_by": f"rai-xl {__version__}",
        "author": "ASEAN Working Group on AI Governance (rai-xl)",
    }


def _overview(catalogue: Catalogue, source: PackSource, standings: list[Standing]) -> dict[str, Any]:
    """Who replied, the tier table, the distribution, the movement and the progress reported."""
    year = source.record.year
    table = []
    for s in standings:
        cells = [_history_cell(_row(s.rows, s.year, p.number)) if s.year else None for p in catalogue.pillars]
        table.append({"code": s.country.code, "name": s.country.name, "year": s.year, "cells": cells})
    distribution = []
    for p in catalogue.pillars:
        now = [_row(s.rows, year, p.number) for s in standings if s.year == year]
        counts = [sum(h is not None and h.tier == t.name for h in now) for t in catalogue.tiers]
        provisional = [sum(h is not None and h.tier == t.name and not h.complete for h in now) for t in catalogue.tiers]
        distribution.append(
            {
                "pillar": p.number,
                "counts": counts,
                "provisional": provisional,
                "not_answered": sum(h is None or h.tier is None for h in now),
            }
        )
    movement = []
    for s in standings:
        if s.year != year or s.assessment is None:
            continue
        earlier = [h for h in s.rows if h.year < year]
        before_year = max((h.year for h in earlier), default=None)
        for score in s.assessment.pillars:
            line = _pillar(catalogue, score, _row(earlier, before_year, score.number))
            if line["movement"] in ("up", "down"):
                movement.append({"name": s.country.name, "before_year": before_year, **line})
    return {
        "replied": [s.country.name for s in standings if s.year == year],
        "missing": [
            {
                "name": s.country.name,
                "last": s.year,
                "tiers": [
                    tier_label(h) if (h := _row(s.rows, s.year, p.number)) else NOT_ANSWERED for p in catalogue.pillars
                ]
                if s.year
                else [],
            }
            for s in standings
            if s.year != year
        ],
        "table": table,
        "distribution": distribution,
        "movement": movement,
        "progress": _progress_overview(catalogue, source, standings),
    }


def _progress_overview(catalogue: Catalogue, source: PackSource, standings: list[Standing]) -> list[dict[str, Any]]:
    """Per Member State with a tracker: its milestones by status, and its latest progress report."""
    out = []
    for s in standings:
        if s.assessment is None:
            continue
        lines = _tracker(catalogue, source.record, s.country.code, plan(catalogue, s.assessment))
        counts = _by_status(catalogue, lines)
        out.append(
            {
                "name": s.country.name,
                "counts": counts["counts"],
                "total": counts["total"],
                "reported": _reported(source, s.country.code),
            }
        )
    return out


def _criteria(catalogue: Catalogue, rec: PreviousRound, replied: list[Standing]) -> dict[str, Any]:
    """The heat map, a pillar at a time: each criterion's points per Member State, marked where the answer
    changed since that Member State's previous round."""
    out = []
    for p in catalogue.pillars:
        rows = []
        for c in catalogue.criteria_of(p.number):
            cells = []
            for s in replied:
                now = rec.answers[(s.country.code, rec.year)].get(c.id)
                years = [h.year for h in s.rows if h.year < rec.year]
                before = rec.answers.get((s.country.code, max(years))) if years else None
                changed = before is not None and before.get(c.id) != now
                cells.append({"points": now, "text": _score(now), "changed": changed})
            rows.append({"id": c.id, "question": c.question, "cells": cells})
        out.append({"pillar": p.number, "name": p.name, "rows": rows})
    return {"countries": [s.country.name for s in replied], "pillars": out}


def tier_rule_short(catalogue: Catalogue) -> str:
    """'Advanced from 21 points, Promising from 11, Emerging below 11: 10.5 is Emerging, 19.5 Promising and
    21 Advanced', the examples placed by the rule itself (rai_xl.method.scoring.tier_for)."""
    minima = sorted((t.minimum for t in catalogue.tiers if t.minimum > 0), reverse=True)
    named = [f"{t.name} from {t.minimum:g}" for t in catalogue.tiers if t.minimum > 0]
    lowest = catalogue.tiers[-1].name
    scores = sorted(possible_scores(catalogue, catalogue.pillars[0].number))
    examples = sorted({max(x for x in scores if x < m) for m in minima} | {minima[0]})
    placed = [f"{s:g} {tier_for(s, catalogue)}" for s in examples]
    return (
        f"{named[0]} points, {', '.join(named[1:])}, {lowest} below {minima[-1]:g}: "
        f"{', '.join(placed[:-1])} and {placed[-1]}"
    )


def _methodology(catalogue: Catalogue, source: PackSource) -> dict[str, Any]:
    rounds = sorted({h.year for h in source.record.history})
    return {
        "pillars": [{"number": p.number, "name": p.name, "description": p.description} for p in catalogue.pillars],
        "scoring": scoring_note(catalogue),
        "tier_rule": catalogue.tier_rule,
        "rule": tier_rule_short(catalogue),
        "tiers": [
            {"name": t.name, "band": t.printed_band, "minimum": f"{t.minimum:g}", "description": t.description}
            for t in catalogue.tiers
        ],
        "provisional": provisional_note(),
        "not_answered": not_answered_note(),
        "source": catalogue.source,
        "made_from": f"{source.name} (round {source.record.year}"
        + (f", written by rai-xl on {source.written_on.isoformat()}" if source.written_on else "")
        + f"); methodology {catalogue.version}; rounds in History: {', '.join(map(str, rounds))}.",
    }
