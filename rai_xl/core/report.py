"""The regional picture, computed once: what the regional workbook shows, as the plain data of
rai_xl.report_model. No files here.

`build` reads a `Round` (this year's returns, sorted out) and, optionally, a `PreviousRound` (what an
earlier regional workbook held) and works out, per country, the assessment, the criteria that lost
points, the planned actions and their checklist rows with milestone IDs, what the coordinator typed
last time, and the movement since the previous round. The writers only lay this out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rai_xl.core.carry import Partition, partition
from rai_xl.core.collection import Fate, Note, Round, chase_list
from rai_xl.core.previous_round import HistoryRow, PreviousRound
from rai_xl.core.report_model import (
    CARRIED,
    ArchiveLine,
    CheckLine,
    CountryReport,
    Group,
    KeptPlan,
    LostLine,
    Movement,
    PillarLine,
    RegionalReport,
    Section,
)
from rai_xl.core.submission import Submission
from rai_xl.core.typed import OTHER_STATUS, REGIONAL, STATUSES, Typed, TypedRow, Unplaced, Value
from rai_xl.issues import NOTE, Issue, Msg
from rai_xl.layouts.progress import SCHEMA_VERSION as PROGRESS_SCHEMA
from rai_xl.method.catalogue import Action, Catalogue, Country, Milestone, SubAction
from rai_xl.method.planning import GAP, TIER, PlannedAction, checklist, lost_criteria, plan
from rai_xl.method.scoring import Assessment, PillarScore, assess
from rai_xl.method.words import PROVISIONAL, tier_label

if TYPE_CHECKING:
    from pathlib import Path

    from rai_xl.core.progress_merge import Merged

CELL_LIMIT = 32_767  # characters an Excel cell can hold


def fit_in_cell(text: str, notes: list[Note], file: str, what: str, criterion: str = "") -> str:
    """*text* cut to what a cell holds, the cut recorded as a warning (never silent)."""
    if len(text) <= CELL_LIMIT:
        return text
    cut = Msg.CELL_CUT.format(what=what, length=len(text), limit=CELL_LIMIT, file=file)
    notes.append(Note.warning(file, cut, criterion))
    return text[:CELL_LIMIT]


def _fitted(texts: dict[str, str], notes: list[Note], file: str, what: str) -> dict[str, str]:
    """The non-empty *texts* by criterion id, each cut to what a cell holds (the cut said)."""
    return {cid: fit_in_cell(text, notes, file, f"{what} {cid}", cid) for cid, text in texts.items() if text}


def build(
    catalogue: Catalogue, rnd: Round, year: int, previous: PreviousRound | None = None, progress: Merged | None = None
) -> RegionalReport:
    """Everything the regional workbook shows, computed once; *progress*: the progress returns merged into
    *previous* (rai_xl.progress_merge), listed as themselves on Submissions and Issues."""
    notes: list[Note] = []
    history = _history(catalogue, rnd, year, previous)
    answers = {k: v for k, v in (previous.answers if previous else {}).items() if k[1] != year}
    for c in rnd.countries_included(catalogue):
        assessment = _assessment(rnd.included[c.code])
        answers[(c.code, year)] = dict(assessment.points)
    included = rnd.countries_included(catalogue)
    kept = _kept(catalogue, rnd, history, answers) if previous is not None else []
    plans = [(c.code, _assessment(rnd.included[c.code])) for c in included] + [(c.code, a) for c, _, a in kept]
    part = _partition(catalogue, year, previous, plans)
    countries = [
        _country(catalogue, c, rnd.included[c.code], year, history, answers, part, previous, notes) for c in included
    ]
    kept_plans = [KeptPlan(c, y, tuple(_sections(catalogue, c, a, year, part))) for c, y, a in kept]
    regional = _regional(catalogue, countries, part)
    archive = [ArchiveLine(row, _name(catalogue, row.country), reason) for row, reason in part.archived]
    movements = [
        Movement(cr.country, p)
        for cr in countries
        for p in cr.pillars
        if p.before is not None and p.movement in ("up", "down", "first")
    ]
    submissions = []
    for e in rnd.entries:
        s = e.submission
        who = [fit_in_cell(s.respondent.get(k, ""), notes, s.path.name, f"the respondent's {k}") for k in ("name", "agency")]
        submissions.append(_listed(s.path, s.sha256, s.country, s.year, who, s.template_version, e.status, e.reason))
    issues = [_issue_row(e.submission.path.name, i) for e in rnd.entries for i in e.submission.issues]
    missing = rnd.not_submitted(catalogue)
    went_in = (
        f"Returns included: {len(rnd.included)} · rejected: {rnd.count(Fate.REJECTED)} · conflicts: "
        f"{rnd.count(Fate.CONFLICT)} · not submitted: {len(missing)}"
        + (f" ({', '.join(c.name for c in missing)})" if missing else "")
    )
    if previous is not None:
        notes += _previous_notes(catalogue, previous, archive, part)
        notes += _kept_notes(previous, year, kept_plans)
        notes += _status_notes(
            previous, [line for cr in countries for line in cr.lines] + [line for k in kept_plans for line in k.lines]
        )
    report = RegionalReport(
        catalogue,
        year,
        went_in,
        rnd.has_problems,
        countries,
        regional,
        archive,
        history,
        answers,
        movements,
        previous,
        kept_plans,
        part.unplaced,
        submissions,
        issues,
        missing,
        notes,
        chase_list(rnd, catalogue),
    )
    if progress is not None:
        _with_progress(report, progress)
    return report


def _with_progress(report: RegionalReport, merged: Merged) -> None:
    """What the Submissions and Issues sheets say of the progress returns (each listed once, as itself)."""
    mine = {str(o.ret.path) for o in merged.outcomes}
    made = f"progress workbook {PROGRESS_SCHEMA}"
    report.submissions = [r for r in report.submissions if r[0] not in mine] + [
        _listed(o.ret.path, o.ret.sha256, o.ret.country, o.ret.round, [o.ret.reported_by, ""], made, o.status, o.reason)
        for o in merged.outcomes
    ]
    names = {o.ret.path.name for o in merged.outcomes}  # the questionnaire reader's "not a questionnaire" goes
    report.issues = [r for r in report.issues if r[0] not in names] + [
        _issue_row(o.ret.path.name, i) for o in merged.outcomes for i in o.ret.issues
    ]
    report.notes += merged.notes
    report.unplaced += merged.unplaced
    report.progress = merged


def _listed(
    path: Path, sha256: str, country: Country | None, year: int | None, who: list[str], made: str, fate: str, reason: str
) -> list[str]:
    """A row of the Submissions sheet: the file, whose it is, who filled it (name, agency), what made it,
    what became of it."""
    return [str(path), sha256, country.name if country else "", str(year or ""), *who, made, fate, reason]


def _issue_row(file: str, i: Issue) -> list[str]:
    """A row of the Issues sheet."""
    return [file, i.severity, i.sheet, i.cell, i.criterion, i.message, i.code]


def _assessment(sub: Submission) -> Assessment:
    assert sub.assessment is not None  # an included return is always scored
    return sub.assessment


def _history(catalogue: Catalogue, rnd: Round, year: int, previous: PreviousRound | None) -> list[HistoryRow]:
    """Every earlier round's rows, with this year's replaced by this consolidation's."""
    rows = [h for h in (previous.history if previous else ()) if h.year != year]
    for c in rnd.countries_included(catalogue):
        for p in _assessment(rnd.included[c.code]).pillars:
            score = p.score if p.tier is not None else None
            rows.append(HistoryRow(c.code, c.name, year, p.number, score, p.tier, p.complete))
    order = {c.code: c.order for c in catalogue.countries}
    return sorted(rows, key=lambda h: (h.year, order.get(h.code, 99), h.code, h.pillar))


def _movement(before: HistoryRow | None, now: PillarScore, catalogue: Catalogue) -> str:
    """up, down, same; first: a tier where the earlier round had none (the pillar was not answered)."""
    if before is not None and before.tier is None and now.tier is not None:
        return "first"
    if before is None or now.tier is None or before.tier is None:
        return ""
    rank = [t.name for t in catalogue.tiers]
    if before.tier not in rank or before.tier == now.tier:
        return "same" if before.tier == now.tier else ""
    return "up" if rank.index(now.tier) < rank.index(before.tier) else "down"


def _country(
    catalogue: Catalogue,
    country: Country,
    sub: Submission,
    year: int,
    history: list[HistoryRow],
    answers: dict[tuple[str, int], dict[str, float | None]],
    part: Partition,
    previous: PreviousRound | None,
    notes: list[Note],
) -> CountryReport:
    assessment = _assessment(sub)
    mine = [h for h in history if h.code == country.code]
    earlier = [h for h in mine if h.year < year]
    before_year = max((h.year for h in earlier), default=None)
    old = answers.get((country.code, before_year)) if before_year is not None else None
    now = dict(assessment.points)
    pillars = []
    for p in assessment.pillars:
        before = next((h for h in earlier if h.year == before_year and h.pillar == p.number), None)
        change = None if before is None or before.score is None or p.tier is None else p.score - before.score
        ids = [c.id for c in catalogue.criteria_of(p.number)]
        newly: tuple[tuple[str, float], ...] = ()
        dropped: tuple[tuple[str, float], ...] = ()
        if change is not None and old is not None:
            newly = tuple((q, now[q]) for q in ids if old.get(q) is None and now[q] is not None)  # type: ignore[misc]
            dropped = tuple((q, old[q]) for q in ids if old.get(q) is not None and now[q] is None)  # type: ignore[misc]
        pillars.append(
            PillarLine(
                p,
                catalogue.pillar(p.number).name,
                tier_label(p),
                before,
                change,
                _movement(before, p, catalogue),
                newly,
                dropped,
            )
        )
    evidence = _fitted(sub.evidence, notes, sub.path.name, f"{country.name}: the evidence for")
    comments = _fitted(sub.comments, notes, sub.path.name, f"{country.name}: the comments on")
    planned = plan(catalogue, assessment)
    lost = tuple(
        LostLine(
            catalogue.criterion(cid),
            next(a.label for a in catalogue.criterion(cid).answers if a.code == sub.answers[cid]),
            catalogue.criterion(cid).max_points - lost,
            lost,
            evidence.get(cid, ""),
            tuple(pa.action.id for pa in planned if cid in pa.linked_lost),
        )
        for cid, lost in lost_criteria(catalogue, assessment).items()
    )
    r = sub.respondent
    who = ", ".join(v for v in (r.get("name", ""), r.get("position", ""), r.get("agency", "")) if v)
    line = (
        f"Return: {sub.path.name} · respondent: {who or 'not given'} · completed: {r.get('date_completed') or 'not given'}"
    )
    line = fit_in_cell(line, notes, sub.path.name, f"{country.name}: the respondent details")
    changed = frozenset(cid for cid in now if old is not None and old.get(cid) != now[cid])
    sections = _sections(catalogue, country, assessment, year, part)
    return CountryReport(
        country,
        sub,
        assessment,
        tuple(pillars),
        lost,
        tuple(sections),
        tuple(mine),
        changed,
        evidence,
        comments,
        line,
        tuple(sub.errors),
    )


def _plan_sections(
    catalogue: Catalogue,
    country: Country,
    assessment: Assessment,
    planned: list[PlannedAction],
    part: Partition,
) -> list[Section]:
    terms = [t.key for t in catalogue.terms]
    by_basis: dict[str, list[Group]] = {TIER: [], GAP: []}
    for pa in planned:
        a = pa.action
        if pa.basis == TIER:
            why = f"{catalogue.targeted_pillars[a.pillar - 1].name}: {a.tier} tier"
            if not assessment.pillars[a.pillar - 1].complete:
                why += f" ({PROVISIONAL}: pillar incomplete)"
        else:
            why = f"can recover up to {pa.recoverable:g} points ({', '.join(pa.linked_lost)})"
        lines = tuple(
            _line(
                a,
                r.sub_action,
                catalogue.milestone(r.milestone_id)[2],  # type: ignore[index]
                r.basis,
                part.placed.get((country.code, r.milestone_id)),
            )
            for r in checklist([pa], terms)
        )
        by_basis[pa.basis].append(Group(f"{a.id} {a.title} · {why}", lines))
    sections = [Section("", tuple(by_basis[TIER]))]
    if by_basis[GAP]:
        sections.append(
            Section(
                "Actions linked to criteria that lost points, from any tier (ranked by the points they can recover)",
                tuple(by_basis[GAP]),
            )
        )
    return sections


def _line(a: Action, s: SubAction, m: Milestone, basis: str, row: TypedRow | None, reason: str = "") -> CheckLine:
    return CheckLine(a, s, m, basis, row.typed if row else Typed(), reason, row)


def _sections(catalogue: Catalogue, country: Country, assessment: Assessment, year: int, part: Partition) -> list[Section]:
    """A country's checklist: its plan, then the rows carried because something was typed on them."""
    sections = _plan_sections(catalogue, country, assessment, plan(catalogue, assessment), part)
    return sections + _carried(catalogue, country, assessment, year, part.carried.get(country.code, []))


def _carried(
    catalogue: Catalogue, country: Country, assessment: Assessment, year: int, rows: list[TypedRow]
) -> list[Section]:
    """Typed rows of this country whose milestone is no longer in its plan, by the round they were entered
    in, in catalogue order."""
    lost = lost_criteria(catalogue, assessment)
    order = _milestone_order(catalogue)
    by_year: dict[int, list[CheckLine]] = {}
    for row in sorted(rows, key=lambda r: order[r.milestone_id]):
        action, sub, milestone = catalogue.milestone(row.milestone_id)  # type: ignore[misc]
        now = assessment.pillars[action.pillar - 1]
        reason = (
            f"pillar {action.pillar} is {tier_label(now)} in {year}; {action.id} is an action for the {action.tier} tier"
        )
        if action.criteria and not set(action.criteria) & set(lost):
            verb = "lose" if len(action.criteria) > 1 else "loses"
            reason += f", and {', '.join(action.criteria)} {verb} no points now"
        by_year.setdefault(row.year, []).append(_line(action, sub, milestone, CARRIED, row, reason))
    return [
        Section(
            f"Carried from {y} — no longer in the plan: kept because Status, Lead agency, Target date or Notes were entered",
            (Group("", tuple(lines)),),
        )
        for y, lines in sorted(by_year.items())
    ]


def _milestone_order(catalogue: Catalogue) -> dict[str, int]:
    ids = [m.id for a in catalogue.actions for s in a.sub_actions for m in s.milestone_items]
    return {m: i for i, m in enumerate(ids)}


def _regional(catalogue: Catalogue, countries: list[CountryReport], part: Partition) -> list[Section]:
    """The cross-cutting checklist by cross-cutting pillar, with the regional evidence of linked criteria."""
    sections = []
    for k, cp in enumerate(catalogue.cross_cutting_pillars, start=1):
        groups = []
        for a in catalogue.cross_cutting_actions():
            if a.pillar != k:
                continue
            evidence = ""
            if a.criteria and countries:
                parts = []
                for q in a.criteria:
                    short = sum(1 for cr in countries if any(line.criterion.id == q for line in cr.lost))
                    parts.append(f"{short} of {len(countries)} Member States lost points on {q}")
                evidence = " · Regional evidence: " + "; ".join(parts)
            star = "★ " if a.priority else ""
            lines = tuple(
                _line(a, s, m, "", part.placed.get((REGIONAL, m.id))) for s in a.sub_actions for m in s.milestone_items
            )
            groups.append(Group(f"{star}{a.id} {a.title}{evidence}", lines))
        sections.append(Section(f"Cross-cutting pillar {k}: {cp.name}", tuple(groups)))
    return sections


def _kept(
    catalogue: Catalogue, rnd: Round, history: list[HistoryRow], answers: dict[tuple[str, int], dict[str, float | None]]
) -> list[tuple[Country, int, Assessment]]:
    """(country, its latest round, that round's assessment) of each Member State with no return this
    round whose latest answers are known: its plan is kept."""
    out = []
    for c in catalogue.countries:
        years = [h.year for h in history if h.code == c.code]
        if not years or c.code in rnd.included:
            continue
        latest = max(years)
        points = answers.get((c.code, latest))
        if points:
            codes = {
                criterion.id: next(a.code for a in criterion.answers if a.points == points[criterion.id])
                for criterion in catalogue.criteria
                if points.get(criterion.id) is not None
            }
            out.append((c, latest, assess(catalogue, codes)))
    return out


def _partition(
    catalogue: Catalogue, year: int, previous: PreviousRound | None, plans: list[tuple[str, Assessment]]
) -> Partition:
    """Where every entry of *previous* goes, given each tracker's plan: (country code, assessment)."""
    if previous is None:
        return Partition()
    terms = [t.key for t in catalogue.terms]
    planned = {(code, r.milestone_id) for code, a in plans for r in checklist(plan(catalogue, a), terms)}
    planned |= {
        (REGIONAL, m.id) for a in catalogue.cross_cutting_actions() for s in a.sub_actions for m in s.milestone_items
    }
    trackers = {code for code, _ in plans}
    return partition(previous.typed, previous.unplaced, planned, trackers, catalogue, year, previous.version)


def _name(catalogue: Catalogue, code: str) -> str:
    country = catalogue.country(code)
    return country.name if country else ("Regional (cross-cutting)" if code == REGIONAL else code)


def _kept_notes(previous: PreviousRound, year: int, kept: list[KeptPlan]) -> list[Note]:
    return [Note.warning(previous.name, Msg.PLAN_KEPT.format(country=k.country.name, year=year, kept=k.year)) for k in kept]


def _status_notes(previous: PreviousRound, lines: list[CheckLine]) -> list[Note]:
    """A warning for each carried Status that is not one of the list: kept as typed, counted as other."""
    return [
        Note.warning(
            previous.name,
            Msg.STATUS_CARRIED.format(
                sheet=line.source.sheet,
                cell=line.source.cell("status"),
                value=line.typed.status,
                allowed=", ".join(STATUSES),
                other=OTHER_STATUS,
            ),
        )
        for line in lines
        if line.source is not None and line.typed.status not in (None, "", *STATUSES)
    ]


def _previous_notes(
    catalogue: Catalogue, previous: PreviousRound, archive: list[ArchiveLine], part: Partition
) -> list[Note]:
    said: list[str] = []
    if previous.version != catalogue.version:
        said.append(Msg.PREVIOUS_METHODOLOGY.format(found=previous.version, expected=catalogue.version))
    if previous.fingerprint != catalogue.fingerprint:
        found = previous.fingerprint or "missing"
        said.append(Msg.PREVIOUS_FINGERPRINT.format(found=found, expected=catalogue.fingerprint))
    said += previous.findings
    unknown = [a.row.milestone_id for a in archive if catalogue.milestone(a.row.milestone_id) is None]
    if unknown:
        said.append(Msg.UNKNOWN_MILESTONES.format(count=len(unknown), milestones=", ".join(unknown)))
    said += part.said
    earlier = set(previous.unplaced)
    fresh = [u for u in part.unplaced if u not in earlier]
    said += [
        Msg.UNPLACED_KEPT.format(sheet=u.sheet, cell=u.cell, column=_column(u), value=_shown(u.value), reason=u.reason)
        for u in fresh
    ]
    if len(part.unplaced) > len(fresh):
        said.append(Msg.UNPLACED_STILL.format(count=len(part.unplaced) - len(fresh)))
    done = [
        Msg.UNPLACED_RESOLVED.format(sheet=u.sheet, cell=u.cell, column=_column(u), value=_shown(u.value), mark=_shown(mark))
        for u, mark in previous.resolved
    ]
    return [Note.warning(previous.name, message) for message in said] + [Note(previous.name, NOTE, "", m) for m in done]


def _column(u: Unplaced) -> str:
    """An unplaced entry's column, and its milestone when it names one."""
    return f"{u.column}, {u.milestone}" if u.milestone else u.column


def _shown(value: Value) -> str:
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")
