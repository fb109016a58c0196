"""The Roadmap as an immutable, validated model, loaded from the TOML files in ``rai_xl/data``."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from itertools import count
from typing import Any

DATA = resources.files("rai_xl") / "data"
TERMS = ("short", "medium", "long")
TERM_INITIAL = {"short": "S", "medium": "M", "long": "L"}
TIER_OF_PREFIX = {"A": "Advanced", "P": "Promising", "E": "Emerging"}


class CatalogueError(ValueError):
    """A data file of the catalogue is missing something or contradicts itself."""


@dataclass(frozen=True)
class Answer:
    code: str  # Y, M or N: the answer's place in Annex Table 3, not its points
    label: str
    points: float


@dataclass(frozen=True)
class Criterion:
    id: str
    number: int
    pillar: int
    question: str
    description: str
    answers: tuple[Answer, ...]
    notes: tuple[str, ...] = ()

    @cached_property
    def labels(self) -> tuple[str, ...]:
        return tuple(a.label for a in self.answers)

    @property
    def max_points(self) -> float:
        return max(a.points for a in self.answers)

    def answer_by_label(self, label: str) -> Answer | None:
        return next((a for a in self.answers if a.label == label), None)

    def scoring_text(self) -> str:
        """'Yes = 3 points; Announced/Upcoming = 1.5 points; No = 0 points'."""
        return "; ".join(f"{a.label} = {_num(a.points)} points" for a in self.answers)


@dataclass(frozen=True)
class Pillar:
    number: int
    name: str
    description: str
    rationale: str = ""
    tier_descriptions: tuple[tuple[str, str], ...] = ()  # (tier name, Table 3 description)

    def tier_description(self, tier: str) -> str:
        return dict(self.tier_descriptions)[tier]


@dataclass(frozen=True)
class Tier:
    name: str
    code: str
    minimum: float
    printed_band: str
    description: str


@dataclass(frozen=True)
class Term:
    key: str
    name: str
    years: str


@dataclass(frozen=True)
class CaseStudy:
    title: str
    country: str


@dataclass(frozen=True)
class Milestone:
    id: str  # "{sub-action id}.{S|M|L}{n}", n its place within the term in source order: stable across releases
    term: str  # short, medium or long
    text: str


@dataclass(frozen=True)
class SubAction:
    id: str
    title: str
    target_areas: tuple[str, ...]
    milestones: tuple[tuple[str, tuple[str, ...]], ...]  # (term key, milestones), in TERMS order
    measures_of_progress: tuple[str, ...]
    criteria: tuple[str, ...]
    case_studies: tuple[CaseStudy, ...]
    source_id: str = ""
    notes: tuple[str, ...] = ()
    retired: tuple[str, ...] = ()  # milestone IDs a revised Roadmap removed: never given to another milestone

    @cached_property
    def milestone_items(self) -> tuple[Milestone, ...]:
        """Every milestone with its ID, by term then source order; retired IDs are skipped, never reused."""
        out = []
        for term, texts in self.milestones:
            numbers = (n for n in count(1) if f"{self.id}.{TERM_INITIAL[term]}{n}" not in self.retired)
            out += [Milestone(f"{self.id}.{TERM_INITIAL[term]}{n}", term, t) for n, t in zip(numbers, texts, strict=False)]
        return tuple(out)


@dataclass(frozen=True)
class Action:
    id: str
    kind: str  # "cross-cutting" or "targeted"
    pillar: int
    tier: str | None
    title: str
    objectives: tuple[str, ...]
    sub_actions: tuple[SubAction, ...]
    priority: bool = False
    notes: tuple[str, ...] = ()

    @property
    def criteria(self) -> tuple[str, ...]:
        """Criteria any of its sub-actions says it can increase the score for, in first-seen order."""
        return tuple(dict.fromkeys(q for s in self.sub_actions for q in s.criteria))


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    order: int
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Every way of writing this country that rai-xl accepts: code, short name, aliases."""
        return (self.code, self.name, *self.aliases)


def _name_key(text: str) -> str:
    """'Lao P.D.R.', 'lao pdr' and 'LAO-PDR' all become 'laopdr'."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


@dataclass(frozen=True)
class Catalogue:
    version: str
    title: str
    source: str
    tier_rule: str
    criteria: tuple[Criterion, ...]
    pillars: tuple[Pillar, ...]
    targeted_pillars: tuple[Pillar, ...]
    cross_cutting_pillars: tuple[Pillar, ...]
    tiers: tuple[Tier, ...]  # highest first
    terms: tuple[Term, ...]
    actions: tuple[Action, ...]
    countries: tuple[Country, ...]
    responsible_parties: tuple[str, ...]
    responsible_parties_note: str
    fingerprint: str = field(default="")

    def criterion(self, criterion_id: str) -> Criterion:
        return self._criteria_by_id[criterion_id]

    def criteria_of(self, pillar: int) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.pillar == pillar)

    def pillar(self, number: int) -> Pillar:
        return self.pillars[number - 1]

    def country(self, code: str) -> Country | None:
        return next((c for c in self.countries if c.code == code), None)

    def find_country(self, text: str) -> Country | None:
        """The Member State *text* names: code, short name or alias, in any case and spacing."""
        return self._countries_by_name.get(_name_key(text))

    def closest_countries(self, text: str, limit: int = 3) -> list[Country]:
        """The Member States whose names look most like *text* (for 'did you mean'): the closest, and
        others only when nearly as close ('Loas' is Lao PDR, not also Timor-Leste's code TLS)."""
        from difflib import SequenceMatcher

        key = _name_key(text)
        likeness = {c: max(SequenceMatcher(None, key, _name_key(n)).ratio() for n in c.names()) for c in self.countries}
        best = max(likeness.values())
        near = [c for c, r in likeness.items() if r >= max(0.5, best - 0.1)]
        return sorted(near, key=lambda c: -likeness[c])[:limit]

    def targeted_actions(self, pillar: int, tier: str) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.kind == "targeted" and a.pillar == pillar and a.tier == tier)

    def cross_cutting_actions(self) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.kind == "cross-cutting")

    def milestone(self, milestone_id: str) -> tuple[Action, SubAction, Milestone] | None:
        """The action, sub-action and milestone of a milestone ID, or None (unknown or retired)."""
        return self._milestones_by_id.get(milestone_id)

    def pillar_max(self, number: int) -> float:
        """The highest score a pillar can reach (30 with ten criteria of 3 points)."""
        return sum(c.max_points for c in self.criteria_of(number))

    def reversed_criteria(self) -> tuple[Criterion, ...]:
        """Criteria whose first answer ("Yes") is not the one worth full points (Q6)."""
        return tuple(c for c in self.criteria if c.answers[0].points < c.max_points)

    @cached_property  # computed once per catalogue (a cached method would hash the whole catalogue per call)
    def _milestones_by_id(self) -> dict[str, tuple[Action, SubAction, Milestone]]:
        return {m.id: (a, s, m) for a in self.actions for s in a.sub_actions for m in s.milestone_items}

    @cached_property
    def _criteria_by_id(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria}

    @cached_property
    def _countries_by_name(self) -> dict[str, Country]:
        """Each name of each Member State (code, short name, aliases), as find_country compares them: the first
        Member State to hold a name keeps it."""
        out: dict[str, Country] = {}
        for c in self.countries:
            for n in c.names():
                out.setdefault(_name_key(n), c)
        return out


def _num(points: float) -> str:
    return f"{points:g}"


def _fail(file: str, where: str, what: str) -> CatalogueError:
    return CatalogueError(f"{file}: {where}: {what}")


def _read(name: str) -> dict[str, Any]:
    path = DATA
    for part in name.split("/"):
        path = path / part
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise _fail(name, "TOML", str(exc)) from None


def _texts(value: Any, file: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(file, where, "expected a list of non-empty strings")
    return tuple(value)


def _text(d: dict[str, Any], key: str, file: str, where: str) -> str:
    value = d.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(file, where, f"'{key}' must be a non-empty string")
    return value


def _load_criteria() -> tuple[Criterion, ...]:
    file = "criteria.toml"
    out = []
    for i, d in enumerate(_read(file)["criteria"], start=1):
        where = f"criterion #{i}"
        if d.get("id") != f"Q{i}":
            raise _fail(file, where, f"expected id Q{i}, found {d.get('id')!r}")
        if d.get("pillar") != (i - 1) // 10 + 1:
            raise _fail(file, d["id"], f"pillar must be {(i - 1) // 10 + 1}")
        raw = d.get("answers", {})
        if list(raw) != ["Y", "M", "N"]:
            raise _fail(file, d["id"], "answers must be exactly Y, M and N")
        answers = tuple(
            Answer(code, _text(a, "label", file, f"{d['id']}.{code}"), float(a["points"])) for code, a in raw.items()
        )
        if sorted(a.points for a in answers) != [0.0, 1.5, 3.0]:
            raise _fail(file, d["id"], "answers must be worth 3, 1.5 and 0 points")
        if len({a.label for a in answers}) != 3:
            raise _fail(file, d["id"], "answer labels must differ")
        out.append(
            Criterion(
                d["id"],
                i,
                d["pillar"],
                _text(d, "question", file, d["id"]),
                _text(d, "description", file, d["id"]),
                answers,
                _texts(d.get("notes", []), file, d["id"]),
            )
        )
    if len(out) != 40:
        raise _fail(file, "criteria", f"expected 40 criteria, found {len(out)}")
    return tuple(out)


def _load_pillars() -> tuple[tuple[Pillar, ...], tuple[Pillar, ...], tuple[Pillar, ...]]:
    file = "pillars.toml"
    d = _read(file)
    groups = []
    for key in ("assessment", "targeted", "cross_cutting"):
        pillars = []
        for i, p in enumerate(d[key], start=1):
            if p.get("number") != i:
                raise _fail(file, f"{key} #{i}", "pillars must be numbered 1-4 in order")
            tiers = tuple((t, p["tiers"][t]) for t in TIER_OF_PREFIX.values()) if key == "assessment" else ()
            pillars.append(
                Pillar(
                    i,
                    _text(p, "name", file, f"{key} {i}"),
                    _text(p, "description", file, f"{key} {i}"),
                    p.get("rationale", ""),
                    tiers,
                )
            )
        if len(pillars) != 4:
            raise _fail(file, key, "expected 4 pillars")
        groups.append(tuple(pillars))
    return groups[0], groups[1], groups[2]


def _load_actions(criterion_ids: set[str], priorities: set[str]) -> tuple[Action, ...]:
    actions = []
    files = sorted(p.name for p in (DATA / "actions").iterdir() if p.name.endswith(".toml"))
    for name in files:
        file = f"actions/{name}"
        for a in _read(file)["actions"]:
            aid = _text(a, "id", file, "action")
            kind = a.get("kind")
            m = re.fullmatch(r"([CAPE])([1-4])\.(\d+)", aid)
            if not m or kind not in ("cross-cutting", "targeted") or (m.group(1) == "C") != (kind == "cross-cutting"):
                raise _fail(file, aid, "id must be C<p>.<n> (cross-cutting) or A/P/E<p>.<n> (targeted)")
            if a.get("pillar") != int(m.group(2)):
                raise _fail(file, aid, f"pillar must be {m.group(2)}")
            tier = TIER_OF_PREFIX.get(m.group(1))
            if a.get("tier") != tier:
                raise _fail(file, aid, f"tier must be {tier!r}")
            subs = []
            for s in a.get("sub_actions", []):
                sid = _text(s, "id", file, aid)
                if not sid.startswith(aid + "."):
                    raise _fail(file, sid, f"sub-action id must start with {aid}.")
                unknown = set(s.get("criteria", [])) - criterion_ids
                if unknown:
                    raise _fail(file, sid, f"unknown criteria {sorted(unknown)}")
                ms = s.get("milestones", {})
                if set(ms) - set(TERMS) or not any(ms.values()):
                    raise _fail(file, sid, "milestones must be short/medium/long lists, not all empty")
                retired = tuple(s.get("retired", []))
                bad = [r for r in retired if not re.fullmatch(re.escape(sid) + r"\.[SML][1-9]\d*", str(r))]
                if bad:
                    raise _fail(file, sid, f"retired milestone IDs must look like {sid}.S1, {sid}.M2: found {bad}")
                subs.append(
                    SubAction(
                        sid,
                        _text(s, "title", file, sid),
                        _texts(s.get("target_areas", []), file, sid),
                        tuple((t, _texts(ms.get(t, []), file, f"{sid} {t}")) for t in TERMS),
                        _texts(s.get("measures_of_progress", []), file, sid),
                        tuple(s.get("criteria", [])),
                        tuple(CaseStudy(c["title"], c.get("country", "")) for c in s.get("case_studies", [])),
                        s.get("source_id", ""),
                        _texts(s.get("notes", []), file, sid),
                        retired,
                    )
                )
            if not subs:
                raise _fail(file, aid, "an action area needs at least one sub-action")
            actions.append(
                Action(
                    aid,
                    kind,
                    a["pillar"],
                    tier,
                    _text(a, "title", file, aid),
                    _texts(a.get("objectives", []), file, aid),
                    tuple(subs),
                    aid in priorities,
                    _texts(a.get("notes", []), file, aid),
                )
            )
    return tuple(sorted(actions, key=_action_order))


def _action_order(a: Action) -> tuple[int, int, int, int]:
    kind, pillar, n = re.fullmatch(r"([CAPE])(\d)\.(\d+)", a.id).groups()  # type: ignore[union-attr]
    return ("CAPE".index(kind) > 0, int(pillar), "CAPE".index(kind), int(n))


@cache
def load_catalogue() -> Catalogue:
    """Load and validate the packaged catalogue (cached: the data is immutable)."""
    try:
        return _load()
    except (KeyError, TypeError, AttributeError) as exc:  # a required key missing or of the wrong kind
        raise CatalogueError(
            f"catalogue data: a required entry is missing or malformed ({type(exc).__name__}: {exc})"
        ) from None


def _load() -> Catalogue:
    meta = _read("methodology.toml")
    criteria = _load_criteria()
    pillars, targeted, crossing = _load_pillars()
    tiers = tuple(
        Tier(t["name"], t["code"], float(t["minimum"]), t["printed_band"], t["description"]) for t in meta["tiers"]
    )
    if [t.name for t in tiers] != list(TIER_OF_PREFIX.values()) or tiers[-1].minimum != 0:
        raise _fail("methodology.toml", "tiers", "expected Advanced, Promising, Emerging (from 0)")
    priorities = set(meta["regional_priorities"])
    actions = _load_actions({c.id for c in criteria}, priorities)
    ids = [a.id for a in actions]
    if len(set(ids)) != len(ids):
        raise _fail("actions", "ids", "duplicate action area id")
    if not priorities <= set(ids):
        raise _fail("methodology.toml", "regional_priorities", f"unknown actions {sorted(priorities - set(ids))}")
    countries = tuple(
        Country(c["code"], c["name"], i, _texts(c.get("aliases", []), "countries.toml", f"{c['code']}.aliases"))
        for i, c in enumerate(_read("countries.toml")["countries"], start=1)
    )
    owners: dict[str, set[str]] = {}
    for c in countries:
        for n in c.names():
            owners.setdefault(_name_key(n), set()).add(c.code)
    clash = sorted(k for k, codes in owners.items() if len(codes) > 1)
    if clash:
        raise _fail("countries.toml", "aliases", f"names shared by two countries: {clash}")
    cat = Catalogue(
        version=meta["version"],
        title=meta["title"],
        source=meta["source"],
        tier_rule=meta["tier_rule"],
        criteria=criteria,
        pillars=pillars,
        targeted_pillars=targeted,
        cross_cutting_pillars=crossing,
        tiers=tiers,
        terms=tuple(Term(t["key"], t["name"], t["years"]) for t in meta["terms"]),
        actions=actions,
        countries=countries,
        responsible_parties=tuple(meta["responsible_parties"]),
        responsible_parties_note=meta["responsible_parties_note"],
    )
    return _with_fingerprint(cat)


def _with_fingerprint(cat: Catalogue) -> Catalogue:
    from dataclasses import asdict, replace

    content = asdict(replace(cat, fingerprint=""))  # the fingerprint of the content, never of an older fingerprint
    for action in content["actions"]:
        for sub in action["sub_actions"]:
            if not sub["retired"]:  # a catalogue with no retired milestone keeps the fingerprint it had before
                del sub["retired"]
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return replace(cat, fingerprint=digest[:16])
