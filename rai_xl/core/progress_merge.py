"""Merge Member States' progress returns into the entries of the previous regional workbook: pure, no files.

Per milestone and field, three values: as the progress workbook was made, as the Member State
reported it, as the regional workbook holds it now. The Member State's change replaces the regional
value; where the coordinator also changed the field after the workbook was made, neither is dropped:
the tracker keeps the coordinator's value with a comment naming the reported one, the reported value
is kept whole among the unplaced entries, and Issues says so. Of two returns from one country, the
later report date supersedes; equal or missing dates are a conflict (neither used), as for returns.
Nothing here touches a score, a tier or the plan: rows a country added are unplaced entries.

A late return (made from an earlier round's regional workbook, arriving after the next one was written)
is merged the same way into the current trackers, for the milestones they still hold (planned, or kept
with what was typed on them); a change to a milestone they no longer hold is kept among the unplaced
entries, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from rai_xl.core.carry import in_a_cell
from rai_xl.core.collection import Fate, Note, newest
from rai_xl.core.previous_round import PreviousRound
from rai_xl.core.progress_return import NO_CHANGES, ProgressReturn, ProgressRow, held, same, with_field
from rai_xl.core.submission import VALID
from rai_xl.core.text import shown_value
from rai_xl.core.typed import Typed, TypedRow, Unplaced
from rai_xl.issues import Msg
from rai_xl.layouts import progress as pg
from rai_xl.layouts.tracker import added_key
from rai_xl.method.catalogue import Catalogue
from rai_xl.method.planning import checklist, plan
from rai_xl.method.scoring import assess


@dataclass(frozen=True)
class Outcome:
    ret: ProgressReturn
    status: str  # included, superseded, conflict, rejected, other year, no changes
    reason: str

    @property
    def line(self) -> str:
        """What the command line says of the return, in one line."""
        return f"{self.ret.path}: progress return: {self.status}: {self.reason}"


@dataclass(frozen=True)
class Merged:
    previous: PreviousRound  # its entries with the Member States' values in place
    unplaced: tuple[Unplaced, ...]  # what the plans have no place for: rows a country added, conflicting values
    earlier: tuple[ProgressRow, ...]  # the Progress table of the previous regional workbook, carried
    rows: tuple[ProgressRow, ...]  # the changes made now
    outcomes: tuple[Outcome, ...]
    conflicts: tuple[tuple[str, str, str], ...]  # (country code, milestone ID, field) of each conflict
    notes: tuple[Note, ...]  # the conflicts, for the Issues sheet and the command line

    @property
    def paths(self) -> set[Path]:
        return {o.ret.path for o in self.outcomes}

    @property
    def has_problems(self) -> bool:
        return bool(self.conflicts) or any(o.status in (Fate.CONFLICT, Fate.REJECTED) or o.ret.errors for o in self.outcomes)


def merge(
    previous: PreviousRound,
    returns: list[ProgressReturn],
    earlier: tuple[ProgressRow, ...] = (),
    catalogue: Catalogue | None = None,
) -> Merged:
    """*previous* with *returns* merged in (see the module's rules); *earlier*: its Progress table. With the
    *catalogue*, a late return (of an earlier round) is merged for the milestones the trackers still hold."""
    outcomes = _sort_out(previous.year, returns, catalogue is not None)
    index: dict[tuple[str, str], int] = {}
    typed = list(previous.typed)
    for i, row in enumerate(typed):
        index.setdefault((row.country, row.milestone_id), i)  # the first row of a milestone is the one placed
    rows: list[ProgressRow] = []
    unplaced: list[Unplaced] = []
    notes: list[Note] = []
    conflicts: list[tuple[str, str, str]] = []
    for o in outcomes:
        ret = o.ret
        if o.status != Fate.INCLUDED:
            continue  # the Submissions sheet and the command line say why
        assert ret.country is not None
        code = ret.country.code
        holds = _held(catalogue, previous, code) if catalogue is not None and ret.round != previous.year else None
        if holds is not None:
            gone = [ch for ch in ret.changes if ch.milestone_id not in holds]
            said = Msg.LATE_RETURN.format(
                round=ret.round, made_from=ret.made_from, year=previous.year, previous=previous.name
            )
            if gone:
                said += Msg.LATE_GONE.format(count=len(gone))
            notes.append(Note(ret.path.name, "note", "", said))
        elif ret.made_from != previous.name:
            said = Msg.MADE_FROM_OTHER.format(made_from=ret.made_from, previous=previous.name)
            notes.append(Note(ret.path.name, "note", "", said))
        unplaced += _fresh(previous.unplaced, ret.unplaced)
        for ch in ret.changes:
            key = (code, ch.milestone_id)
            if holds is not None and ch.milestone_id not in holds:
                head = pg.FIELD_HEADS[ch.field]
                why = Msg.LATE_NOT_HELD.format(
                    file=ret.path.name,
                    on=_on(ret),
                    round=ret.round,
                    milestone=ch.milestone_id,
                    country=ret.country.name,
                    year=previous.year,
                )
                late = Unplaced(code, pg.SHEET_PLAN, ch.cell, ch.milestone_id, "", head, *ch.reported, ret.round or 0, why)
                unplaced += _fresh(previous.unplaced, [late])
                continue
            if key not in index:
                index[key] = len(typed)
                typed.append(TypedRow(code, ch.milestone_id, Typed(), ("", "", "", ""), previous.year, ret.path.name))
            row = typed[index[key]]
            now = held(row.typed, ch.field)
            head = pg.FIELD_HEADS[ch.field]
            if same(now[0], ch.made[0]):
                typed[index[key]] = replace(row, typed=with_field(row.typed, ch.field, *ch.reported))
                before, after = ((in_a_cell(v), f) for v, f in (now, ch.reported))
                rows.append(ProgressRow(code, ch.milestone_id, head, before, after, ret.path.name, ret.reported_on))
            elif not same(now[0], ch.reported[0]):
                conflicts.append((code, ch.milestone_id, head))
                said = Msg.CONFLICT_COMMENT.format(
                    country=ret.country.name,
                    reported=shown_value(ch.reported[0]),
                    file=ret.path.name,
                    on=_on(ret),
                    made=shown_value(ch.made[0]),
                )
                typed[index[key]] = replace(row, typed=_commented(row.typed, ch.field, said))
                kept = Unplaced(
                    code,
                    pg.SHEET_PLAN,
                    ch.cell,
                    ch.milestone_id,
                    "",
                    head,
                    *ch.reported,
                    ret.round or 0,
                    Msg.CONFLICT_KEPT.format(file=ret.path.name, on=_on(ret), head=head),
                )
                unplaced += _fresh(previous.unplaced, [kept])
                notes.append(
                    Note.warning(
                        ret.path.name,
                        Msg.CONFLICT_NOTE.format(
                            head=head,
                            country=ret.country.name,
                            reported=shown_value(ch.reported[0]),
                            now=shown_value(now[0]),
                            made=shown_value(ch.made[0]),
                        ),
                        ch.milestone_id,
                    )
                )
    merged = replace(previous, typed=tuple(typed))
    return Merged(merged, tuple(unplaced), earlier, tuple(rows), tuple(outcomes), tuple(conflicts), tuple(notes))


def _fresh(kept: tuple[Unplaced, ...], new: list[Unplaced]) -> list[Unplaced]:
    """*new* less what the previous workbook already keeps (the same return consolidated again)."""
    known = {(u.country, u.sheet, u.cell, u.milestone, u.column, u.reason): u.value for u in kept}
    out = []
    for u in new:
        key = (u.country, u.sheet, u.cell, u.milestone, u.column, u.reason)
        if key not in known or not same(known[key], u.value):
            out.append(u)
    return out


def _on(ret: ProgressReturn) -> str:
    return f" (reported on {ret.reported_on.isoformat()})" if ret.reported_on else ""


def _commented(typed: Typed, key: str, text: str) -> Typed:
    """*typed* with *text* added to the comment on the field's cell (once)."""
    col = added_key(pg.EVIDENCE.head) if key == pg.EVIDENCE.key else key
    said = dict(typed.comments)
    if text in said.get(col, ""):
        return typed
    said[col] = f"{said[col]}\n\n{text}" if said.get(col) else text
    return replace(typed, comments=tuple(said.items()))


def _held(catalogue: Catalogue, previous: PreviousRound, code: str) -> set[str]:
    """The milestones on a country's tracker in *previous*: its plan (from its latest answers up to that
    round), and the rows kept because something was typed on them."""
    held = {r.milestone_id for r in previous.typed if r.country == code and r.milestone_id}
    years = [y for c, y in previous.answers if c == code and y <= previous.year]
    if years:
        points = previous.answers[(code, max(years))]
        codes = {
            c.id: next(a.code for a in c.answers if a.points == points[c.id])
            for c in catalogue.criteria
            if points.get(c.id) is not None
        }
        terms = [t.key for t in catalogue.terms]
        held |= {r.milestone_id for r in checklist(plan(catalogue, assess(catalogue, codes)), terms)}
    return held


def _sort_out(year: int, returns: list[ProgressReturn], late: bool = False) -> list[Outcome]:
    """What happens to each return: one per country is included, the latest report date winning; *late*:
    a return of an earlier round is merged too (said in its reason)."""
    out: dict[int, Outcome] = {}
    by_country: dict[str, list[int]] = {}
    for i, ret in enumerate(returns):
        if ret.status != VALID or ret.country is None:
            why = ret.errors[0].message if ret.errors else Msg.PROGRESS_NOT_USABLE.format()
            out[i] = Outcome(ret, Fate.REJECTED, why)
        elif ret.round != year and not (late and ret.round is not None and ret.round < year):
            why = Msg.PROGRESS_OTHER_ROUND.format(round=ret.round, made_from=ret.made_from, year=year)
            out[i] = Outcome(ret, Fate.OTHER_YEAR, why)
        elif ret.untouched and not ret.reported_unchanged:
            out[i] = Outcome(ret, NO_CHANGES, Msg.PROGRESS_NOTHING.format())
        else:
            by_country.setdefault(ret.country.code, []).append(i)
    for ids in by_country.values():
        distinct = sorted({returns[i].sha256: i for i in reversed(ids)}.values())  # the first of identical files
        keep = newest(distinct, lambda i: returns[i].reported_on)
        if keep is None:
            names = ", ".join(returns[i].path.name for i in distinct)
            conflict = Msg.PROGRESS_CONFLICT.format(count=len(distinct), files=names)
            for i in ids:
                out[i] = Outcome(returns[i], Fate.CONFLICT, conflict)
            continue
        latest = returns[keep]
        if latest.reported_unchanged:
            assert latest.reported_on is not None
            said = Msg.PROGRESS_UNCHANGED.format(date=latest.reported_on.isoformat(), unchanged=NO_CHANGES)
        else:
            said = Msg.PROGRESS_CHANGES.format(count=len(latest.changes))
            if latest.errors:
                said += Msg.PROGRESS_PROBLEMS.format(count=len(latest.errors))
            if latest.round != year:
                said += Msg.PROGRESS_LATE.format(round=latest.round, year=year)
        out[keep] = Outcome(latest, Fate.INCLUDED, said)
        for i in ids:
            if i != keep and returns[i].sha256 == latest.sha256:
                out[i] = Outcome(returns[i], Fate.SUPERSEDED, Msg.SAME_RETURN.format(file=latest.path.name))
            elif i != keep:
                replaced = Msg.PROGRESS_REPLACED.format(
                    file=latest.path.name, date=_iso(latest.reported_on), earlier=_iso(returns[i].reported_on)
                )
                out[i] = Outcome(returns[i], Fate.SUPERSEDED, replaced)
    return [out[i] for i in range(len(returns))]


def _iso(d: date | None) -> str:
    return d.isoformat() if d else "no date"
