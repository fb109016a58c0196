"""The catalogue, proved against the Roadmap's own text (tests/reference), not against itself.

Every check below reads the reference text and would fail on an empty or invented catalogue.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import re
import shutil
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

import rai_xl.method.catalogue as catalogue_module
from rai_xl.cli import cli
from rai_xl.method.catalogue import Action, Catalogue, CatalogueError, SubAction, _with_fingerprint, load_catalogue
from rai_xl.method.sourcetext import find_pieces, normalise
from tests.helpers import REFERENCE, run_cli

RAW = REFERENCE.read_text(encoding="utf-8")
NORMALISED = normalise(RAW)


def _between(start: str, end: str, text: str = RAW) -> str:
    i = text.index(start)
    return text[i : text.index(end, i)]


ANNEX_TABLE_2 = _between("Annex Table 2.", "Annex Table 3.")
ANNEX_TABLE_3 = _between("Annex Table 3.", "Annex Table 4.")
ANNEX_TABLE_4 = _between("Annex Table 4.", "Source: Access Partnership", RAW[RAW.index("Annex Table 4.") :])
TABLE_2 = _between("Table 2. Overview", "Source:")
TABLE_3 = _between("Table 3. Description", "Source:")
TABLE_4 = _between("Table 4. Overview", "Source:")
TABLE_5 = _between("Table 5. Overview", "Source:")
PRIORITY_LIST = _between("stand out as key priorities for the region", "INTRODUCTION")

TIERS = ("Advanced", "Promising", "Emerging")
TIER_ROWS = {"ADVANCED": "Advanced", "PROMISING": "Promising", "EMERGING": "Emerging"}
PRIORITIES = ("C1.2", "C1.3", "C1.5", "C2.1", "C3.1", "C3.2", "C4.2", "C4.3")

# Table 5, read by eye: targeted pillar -> tier -> action ids
TABLE_5_IDS = {
    1: {"Advanced": ["A1.1", "A1.2"], "Promising": ["P1.3"], "Emerging": ["E1.4", "E1.5"]},
    2: {"Advanced": ["A2.1", "A2.2", "A2.3", "A2.4"], "Promising": ["P2.5", "P2.6"], "Emerging": ["E2.7"]},
    3: {"Advanced": ["A3.1", "A3.2"], "Promising": ["P3.3", "P3.4", "P3.5"], "Emerging": ["E3.6", "E3.7"]},
    4: {"Advanced": ["A4.1", "A4.2"], "Promising": ["P4.3"], "Emerging": ["E4.4"]},
}
CROSS_CUTTING_IDS = {
    1: ["C1.1", "C1.2", "C1.3", "C1.4", "C1.5"],
    2: ["C2.1", "C2.2", "C2.3"],
    3: ["C3.1", "C3.2", "C3.3"],
    4: ["C4.1", "C4.2", "C4.3", "C4.4"],
}
COUNTRIES = [
    ("BN", "Brunei Darussalam"),
    ("KH", "Cambodia"),
    ("ID", "Indonesia"),
    ("LA", "Lao PDR"),
    ("MY", "Malaysia"),
    ("MM", "Myanmar"),
    ("PH", "Philippines"),
    ("SG", "Singapore"),
    ("TH", "Thailand"),
    ("TL", "Timor-Leste"),
    ("VN", "Viet Nam"),
]
INCONCLUSIVE = "Inconclusive evidence of these elements through available source documents"


# --- the reference text, parsed -------------------------------------------------------------------


def _annex_table_3_rows() -> dict[int, tuple[int, str, str]]:
    """{n: (pillar heading above the row, question cell, scoring cell)} for every 'Qn.' row."""
    rows: dict[int, tuple[int, str, str]] = {}
    pillar = 0
    for line in ANNEX_TABLE_3.splitlines():
        heading = re.match(r"ASSESSMENT PILLAR (\d) – ", line)
        if heading:
            pillar = int(heading.group(1))
        row = re.match(r"Q(\d+)\. ", line)
        if row:
            question, scoring = line.split("\t")[:2]
            rows[int(row.group(1))] = (pillar, question, scoring)
    return rows


ANNEX_3_ROWS = _annex_table_3_rows()


def _scoring(cell: str) -> list[tuple[str, float]]:
    """'Yes = 3 points Announced/Upcoming = 1.5 points No = 0 points' -> [(label, points), ...]."""
    text = normalise(cell)
    pairs = re.findall(r"(.+?)\s*=\s*(\d+(?:\.\d+)?) points?(?: |$)", text)
    assert " ".join(f"{label} = {points} points" for label, points in pairs) == re.sub(r"\s*=\s*", " = ", text), text
    return [(label.strip(), float(points)) for label, points in pairs]


def _action_areas() -> dict[str, str]:
    """{action id: raw text from its 'Key Action Area' row to the next one (the last to the conclusion)}."""
    heads = [(m.start(), m.group(1)) for m in re.finditer(r"(?m)^Key Action Area\t([CAPE]\d\.\d+) ", RAW)]
    end = RAW.index("CONCLUSION & NEXT STEPS", heads[-1][0])
    return {aid: RAW[pos : heads[i + 1][0] if i + 1 < len(heads) else end] for i, (pos, aid) in enumerate(heads)}


AREAS = _action_areas()


def _printed_id(s: SubAction) -> str:
    return s.source_id or s.id


def _sub_action_rows(action: Action) -> dict[str, str]:
    """{sub-action id: raw text of its rows}, cut at the printed sub-action IDs that open each row."""
    text = AREAS[action.id]
    starts = []
    for s in action.sub_actions:
        found = [m.start() for m in re.finditer(r"(?m)^(?:<p>)?" + re.escape(_printed_id(s)) + " ", text)]
        assert len(found) == 1, f"{s.id}: printed id {_printed_id(s)!r} opens {len(found)} rows"
        starts.append(found[0])
    assert starts == sorted(starts), f"{action.id}: sub-actions out of printed order"
    ends = [*starts[1:], len(text)]
    return {s.id: text[a:b] for s, a, b in zip(action.sub_actions, starts, ends, strict=True)}


def _linked(text: str) -> list[str]:
    """Every 'Qnn.' printed after the first 'can increase' in *text*, in printed order."""
    i = text.find("can increase")
    return [] if i < 0 else [f"Q{n}" for n in re.findall(r"\bQ(\d+)\.", text[i:])]


def _joined_note(item: str, notes: tuple[str, ...]) -> bool:
    """A note says *item* was joined across a page break, quoting the item's opening words."""
    opening = " ".join(normalise(item).split()[:3])
    return any(opening in n and re.search(r"page break|joined", n) for n in notes)


def _texts(action: Action) -> list[tuple[str, str, tuple[str, ...]]]:
    """(what, text, notes that may explain it) for every text of an action area that must be in the source."""
    out = [(f"{action.id} objective", o, action.notes) for o in action.objectives]
    for s in action.sub_actions:
        notes = s.notes + action.notes
        out.append((f"{s.id} title", s.title, notes))
        out += [(f"{s.id} target area", t, notes) for t in s.target_areas]
        out += [(f"{s.id} {term} milestone", m, notes) for term, items in s.milestones for m in items]
        out += [(f"{s.id} measure of progress", m, notes) for m in s.measures_of_progress]
    return out


# --- criteria -------------------------------------------------------------------------------------


def test_forty_criteria_in_four_pillars_of_ten(catalogue: Catalogue) -> None:
    assert [c.id for c in catalogue.criteria] == [f"Q{n}" for n in range(1, 41)]
    assert [c.number for c in catalogue.criteria] == list(range(1, 41))
    for k in range(1, 5):
        assert [c.id for c in catalogue.criteria_of(k)] == [f"Q{n}" for n in range(10 * k - 9, 10 * k + 1)]
    # and the Annex prints them so: Qn sits under the heading of pillar (n-1)//10+1
    assert sorted(ANNEX_3_ROWS) == list(range(1, 41))
    for c in catalogue.criteria:
        assert ANNEX_3_ROWS[c.number][0] == c.pillar, c.id


def test_pillar_names_are_the_annex_headings(catalogue: Catalogue) -> None:
    headings = re.findall(r"(?m)^ASSESSMENT PILLAR (\d) – (.+?)\s*$", ANNEX_TABLE_3)
    assert [(int(n), name) for n, name in headings] == [(p.number, p.name.upper()) for p in catalogue.pillars]
    assert [p.name for p in catalogue.pillars] == [
        "Internal Governance Structures and Measures",
        "Human Centricity and Involvement",
        "Risks and Operations Management",
        "Stakeholder Interaction and Communication",
    ]


def test_question_text_is_annex_table_3_verbatim(catalogue: Catalogue) -> None:
    section = normalise(ANNEX_TABLE_3)
    for c in catalogue.criteria:
        assert normalise(c.question) in section, c.id
        # and it is the whole question cell of the criterion's own row
        assert normalise(ANNEX_3_ROWS[c.number][1]) == f"{c.id}. {normalise(c.question)}", c.id


def test_answers_are_the_labels_and_points_of_the_criterions_own_row(catalogue: Catalogue) -> None:
    for c in catalogue.criteria:
        printed = _scoring(ANNEX_3_ROWS[c.number][2])
        assert len(printed) == 3, c.id
        assert [(normalise(a.label), a.points) for a in c.answers] == printed, c.id
        assert [a.code for a in c.answers] == ["Y", "M", "N"], c.id
        assert sorted(a.points for a in c.answers) == [0.0, 1.5, 3.0], c.id
        assert c.max_points == 3.0


def test_special_labels(catalogue: Catalogue) -> None:
    q6 = catalogue.criterion("Q6")
    assert [(a.label, a.points) for a in q6.answers] == [("Yes", 0.0), (INCONCLUSIVE, 1.5), ("No", 3.0)]
    assert [a.points for a in catalogue.criteria[0].answers] == [3.0, 1.5, 0.0]
    reversed_ = [c.id for c in catalogue.criteria if c.answer_by_label("Yes") and c.answer_by_label("Yes").points == 0]
    assert reversed_ == ["Q6"]
    assert catalogue.criterion("Q11").labels == ("Yes (at least signatory to one)", "Announced/Upcoming", "No")
    assert catalogue.criterion("Q25").labels[1] == (
        "Offers undergraduate/graduate/postgraduate courses on AI, but no specific courses on a responsible approach to AI"
    )
    assert catalogue.criterion("Q31").labels[1] == (
        "Provides AI training opportunities but they are not specific to responsible AI"
    )
    middle = {c.id: c.labels[1] for c in catalogue.criteria}
    announced = {q for q, label in middle.items() if label == "Announced/Upcoming"}
    upcoming = {q for q, label in middle.items() if label == INCONCLUSIVE + "/Upcoming"}
    assert announced == {"Q1", "Q3", "Q9", "Q11", "Q13", "Q35"}
    assert upcoming == {"Q8", "Q10", "Q14", "Q16", "Q17", "Q18", "Q20", "Q26", "Q27", "Q39"}
    assert {q for q, label in middle.items() if label == INCONCLUSIVE} == set(middle) - announced - upcoming - {"Q25", "Q31"}
    # the "/Upcoming" variants are exactly the rows that print one
    printed_upcoming = {f"Q{n}" for n, (_, _, cell) in ANNEX_3_ROWS.items() if "documents/Upcoming" in cell}
    assert printed_upcoming == upcoming
    assert catalogue.criterion("Q1").scoring_text() == "Yes = 3 points; Announced/Upcoming = 1.5 points; No = 0 points"


def test_descriptions_are_annex_table_2(catalogue: Catalogue) -> None:
    section = normalise(ANNEX_TABLE_2)
    joined = []
    for c in catalogue.criteria:
        pieces = find_pieces(c.description, section)
        assert pieces, f"{c.id}: description not in Annex Table 2"
        if len(pieces) > 1:
            assert c.notes, f"{c.id}: description joined from {len(pieces)} pieces without a note"
            assert any("page" in n for n in c.notes), c.id
            joined.append(c.id)
    assert joined == ["Q32"]


# --- action areas ---------------------------------------------------------------------------------


def test_counts(catalogue: Catalogue) -> None:
    assert len(catalogue.actions) == 38
    assert len(catalogue.cross_cutting_actions()) == 15
    assert len([a for a in catalogue.actions if a.kind == "targeted"]) == 23
    assert sum(len(a.sub_actions) for a in catalogue.actions) == 57
    assert sorted(AREAS) == sorted(a.id for a in catalogue.actions)


def test_cross_cutting_ids_are_table_4(catalogue: Catalogue) -> None:
    row = next(line for line in TABLE_4.splitlines() if "C1.1 " in line)
    printed = {k: re.findall(r"\b(C\d\.\d+) ", cell) for k, cell in enumerate(row.split("\t"), start=1)}
    assert printed == CROSS_CUTTING_IDS
    for k, ids in CROSS_CUTTING_IDS.items():
        got = [a.id for a in catalogue.cross_cutting_actions() if a.pillar == k]
        assert got == ids
    assert all(a.tier is None for a in catalogue.cross_cutting_actions())
    assert [a.id for a in catalogue.cross_cutting_actions()] == [i for ids in CROSS_CUTTING_IDS.values() for i in ids]


def test_targeted_ids_by_pillar_and_tier_are_table_5(catalogue: Catalogue) -> None:
    printed: dict[int, dict[str, list[str]]] = {k: {} for k in range(1, 5)}
    for line in TABLE_5.splitlines():
        cells = line.split("\t")
        if cells[0] in TIER_ROWS:
            for k, cell in enumerate(cells[1:5], start=1):
                printed[k][TIER_ROWS[cells[0]]] = re.findall(r"\b([APE]\d\.\d+) ", cell)
    assert printed == TABLE_5_IDS
    for k, by_tier in TABLE_5_IDS.items():
        for tier, ids in by_tier.items():
            assert [a.id for a in catalogue.targeted_actions(k, tier)] == ids
            assert all(
                a.kind == "targeted" and a.pillar == k and a.tier == tier for a in catalogue.targeted_actions(k, tier)
            )


def test_titles_are_the_key_action_area_rows(catalogue: Catalogue) -> None:
    for a in catalogue.actions:
        head = AREAS[a.id].split("\n", 1)[0].split("\t")[1]
        assert normalise(head) == f"{a.id} {normalise(a.title)}", a.id


def test_sub_actions_are_the_rows_printed_in_each_area(catalogue: Catalogue) -> None:
    for a in catalogue.actions:
        assert a.sub_actions, a.id
        printed = re.findall(r"(?m)^(?:<p>)?(" + re.escape(a.id) + r"(?:\.\d+)?) ", AREAS[a.id])
        assert printed == [_printed_id(s) for s in a.sub_actions], a.id
        assert [s.id for s in a.sub_actions] == [f"{a.id}.{i}" for i in range(1, len(a.sub_actions) + 1)], a.id
        area = normalise(AREAS[a.id])
        for s in a.sub_actions:
            assert f"{_printed_id(s)} {normalise(s.title)}" in area, s.id


def test_c1_4_1_is_the_one_normalised_id(catalogue: Catalogue) -> None:
    renamed = {s.id: s.source_id for a in catalogue.actions for s in a.sub_actions if s.source_id}
    assert renamed == {"C1.4.1": "C1.4"}
    (s,) = next(a for a in catalogue.actions if a.id == "C1.4").sub_actions
    assert any("C1.4" in n and "normalised" in n for n in s.notes)
    assert re.search(r"(?m)^(?:<p>)?C1\.4 Advancing AI Research and Innovation Ecosystem in ASEAN", AREAS["C1.4"])


def test_every_text_is_in_its_action_area(catalogue: Catalogue) -> None:
    """Objectives, target areas, milestones and measures: verbatim, or joined across a noted page break."""
    checked = joined = 0
    for a in catalogue.actions:
        area = normalise(AREAS[a.id])
        for what, text, notes in _texts(a):
            pieces = find_pieces(text, area)
            assert pieces, f"{what} not found in the source: {text[:80]!r}"
            if len(pieces) > 1:
                assert _joined_note(text, notes), f"{what} is joined from {len(pieces)} pieces without a note"
                joined += 1
            checked += 1
    assert checked > 1000
    assert joined == 41


def test_no_empty_lists(catalogue: Catalogue) -> None:
    for a in catalogue.actions:
        assert a.objectives, a.id
        for s in a.sub_actions:
            assert s.target_areas, s.id
            assert s.measures_of_progress, s.id
            assert [t for t, _ in s.milestones] == ["short", "medium", "long"], s.id
            assert any(items for _, items in s.milestones), s.id


def test_each_sub_actions_linked_criteria_are_printed_in_its_row(catalogue: Catalogue) -> None:
    for a in catalogue.actions:
        for sid, text in _sub_action_rows(a).items():
            s = next(x for x in a.sub_actions if x.id == sid)
            assert text.count("can increase") == (1 if s.criteria else 0), sid
            assert _linked(text) == list(s.criteria), sid
            for q in s.criteria:
                assert re.search(rf"\b{q}\. ", text[text.index("can increase") :]), f"{sid}: {q}"


def test_no_link_is_lost(catalogue: Catalogue) -> None:
    """Every 'Qnn.' after 'can increase' in each area is in the catalogue, as often as printed."""
    printed_total = 0
    for a in catalogue.actions:
        printed = _linked(AREAS[a.id])
        assert Counter(printed) == Counter(q for s in a.sub_actions for q in s.criteria), a.id
        assert list(a.criteria) == list(dict.fromkeys(printed)), a.id
        printed_total += len(printed)
    assert printed_total == 69
    assert sum(AREAS[a.id].count("can increase") for a in catalogue.actions) == RAW.count("can increase") == 36
    assert sum(1 for a in catalogue.actions for s in a.sub_actions if s.criteria) == 36
    assert [a.id for a in catalogue.cross_cutting_actions() if a.criteria] == ["C1.5", "C4.1"]


def test_known_links(catalogue: Catalogue) -> None:
    by_id = {a.id: a for a in catalogue.actions}
    assert by_id["A1.1"].criteria == ("Q8", "Q9", "Q34")
    assert by_id["E1.4"].criteria == ("Q1", "Q2", "Q16", "Q17", "Q18", "Q19", "Q20", "Q32", "Q34")
    assert by_id["E3.7"].criteria == ("Q12", "Q30", "Q38", "Q29", "Q37", "Q40")
    assert by_id["A4.2"].criteria == ()


def test_regional_priorities(catalogue: Catalogue) -> None:
    assert tuple(a.id for a in catalogue.actions if a.priority) == PRIORITIES
    printed = re.findall(r"(?m)^\d\. \*\*(.+?):\*\*", PRIORITY_LIST)
    assert len(printed) == 8
    by_id = {a.id: a for a in catalogue.actions}
    for aid, title in zip(PRIORITIES, printed, strict=True):
        assert by_id[aid].kind == "cross-cutting"
        assert by_id[aid].title.casefold() == title.casefold(), aid


# --- countries, tiers, terms ----------------------------------------------------------------------


def test_countries_in_asean_order(catalogue: Catalogue) -> None:
    assert [(c.code, c.name) for c in catalogue.countries] == COUNTRIES
    assert [c.order for c in catalogue.countries] == list(range(1, 12))
    assert catalogue.country("TL").name == "Timor-Leste"
    assert catalogue.country("XX") is None
    assert catalogue.find_country("viet nam").code == "VN"


def test_tiers(catalogue: Catalogue) -> None:
    assert [(t.name, t.code, t.minimum) for t in catalogue.tiers] == [
        ("Advanced", "A", 21.0),
        ("Promising", "P", 11.0),
        ("Emerging", "E", 0.0),
    ]
    bands = {}
    for line in TABLE_3.splitlines():
        m = re.match(r"(ADVANCED|PROMISING|EMERGING) (.*?)\t", line)
        if m:
            bands[TIER_ROWS[m.group(1)]] = normalise(m.group(2))
    assert bands == {t.name: f"({t.printed_band})" for t in catalogue.tiers}
    for t in catalogue.tiers:  # the tier descriptions of the 'Readiness assessment' section
        assert find_pieces(t.description, NORMALISED) == [normalise(t.description)], t.name
    assert "10.5 is Emerging" in catalogue.tier_rule
    assert "21 is Advanced" in catalogue.tier_rule


@pytest.mark.parametrize("table", [TABLE_3, ANNEX_TABLE_4], ids=["Table 3", "Annex Table 4"])
def test_tier_descriptions_per_pillar(catalogue: Catalogue, table: str) -> None:
    seen = set()
    for line in table.splitlines():
        cells = line.split("\t")
        tier = TIER_ROWS.get(cells[0].split(" ")[0])
        if tier:
            assert [normalise(c) for c in cells[1:5]] == [p.tier_description(tier) for p in catalogue.pillars]
            seen.add(tier)
    assert seen == set(TIERS)


def test_terms_are_table_2(catalogue: Catalogue) -> None:
    assert [(t.key, t.name, t.years) for t in catalogue.terms] == [
        ("short", "Short-Term", "2025–2026"),
        ("medium", "Medium-Term", "2026–2028"),
        ("long", "Long-Term", "2027–2030"),
    ]
    lines = [line.split("\t") for line in TABLE_2.splitlines() if "\t" in line]
    years = lines[0][1:]
    printed = {}
    for cells in lines[1:]:
        marked = [y for y, c in zip(years, cells[1:], strict=False) if c.strip() == "◆"]
        printed[cells[0]] = f"{marked[0]}–{marked[-1]}"
    assert printed == {t.name.replace("-", " "): t.years for t in catalogue.terms}


# --- fingerprint and validation -------------------------------------------------------------------


def test_fingerprint_is_stable(catalogue: Catalogue) -> None:
    first, second = load_catalogue.__wrapped__(), load_catalogue.__wrapped__()
    assert first == second == catalogue
    assert first.fingerprint == second.fingerprint == catalogue.fingerprint
    assert re.fullmatch(r"[0-9a-f]{16}", catalogue.fingerprint)
    assert _with_fingerprint(dataclasses.replace(catalogue, fingerprint="")).fingerprint == catalogue.fingerprint


def test_fingerprint_changes_with_the_data(catalogue: Catalogue) -> None:
    def refingerprint(**changes: object) -> str:
        return _with_fingerprint(dataclasses.replace(catalogue, fingerprint="", **changes)).fingerprint

    q1 = catalogue.criteria[0]
    reworded = dataclasses.replace(q1, question=q1.question + " ")
    repointed = dataclasses.replace(q1, answers=(dataclasses.replace(q1.answers[0], points=2.5), *q1.answers[1:]))
    first = catalogue.actions[0]
    sub = dataclasses.replace(first.sub_actions[0], criteria=("Q1",))
    relinked = dataclasses.replace(first, sub_actions=(sub, *first.sub_actions[1:]))
    tiers = (dataclasses.replace(catalogue.tiers[0], minimum=20.0), *catalogue.tiers[1:])
    prints = {
        refingerprint(criteria=(reworded, *catalogue.criteria[1:])),
        refingerprint(criteria=(repointed, *catalogue.criteria[1:])),
        refingerprint(actions=(relinked, *catalogue.actions[1:])),
        refingerprint(tiers=tiers),
        refingerprint(countries=catalogue.countries[:-1]),
    }
    assert len(prints) == 5
    assert catalogue.fingerprint not in prints


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the packaged data directory that the loader reads instead."""
    copy = tmp_path / "data"
    shutil.copytree(Path(str(catalogue_module.DATA)), copy)
    monkeypatch.setattr(catalogue_module, "DATA", copy)
    return copy


def test_the_copy_loads_as_the_original(data_copy: Path, catalogue: Catalogue) -> None:
    assert load_catalogue.__wrapped__() == catalogue


BREAKS = [
    (
        "criteria.toml",
        'answers.N = { label = "No", points = 3 }',
        'answers.N = { label = "No", points = 1.5 }',
        "Q6: answers must be worth 3, 1.5 and 0 points",
    ),
    ("criteria.toml", 'id = "Q7"', 'id = "Q70"', "criterion #7: expected id Q7, found 'Q70'"),
    (
        "criteria.toml",
        'label = "Offers undergraduate/graduate/postgraduate courses on AI, but no',
        'label = " ", was = "',
        "Q25.M: 'label' must be a non-empty string",
    ),
    ("criteria.toml", 'label = "Yes (at least signatory to one)"', 'label = "No"', "Q11: answer labels must differ"),
    ("criteria.toml", "[[criteria]]", "[[criteria", "TOML"),
    ("pillars.toml", "number = 2", "number = 3", "assessment #2: pillars must be numbered 1-4 in order"),
    ("methodology.toml", '"C4.3"]', '"C4.9"]', "regional_priorities: unknown actions ['C4.9']"),
    ("methodology.toml", "minimum = 0", "minimum = 1", "tiers: expected Advanced, Promising, Emerging"),
    ("actions/targeted_1.toml", 'criteria = ["Q27"]', 'criteria = ["Q41"]', "A1.2.1: unknown criteria ['Q41']"),
    ("actions/targeted_1.toml", 'tier = "Advanced"', 'tier = "Emerging"', "A1.1: tier must be 'Advanced'"),
    ("actions/targeted_1.toml", "short = [", "later = [", "A1.1.1: milestones must be short/medium/long lists"),
    ("actions/cross_cutting_1.toml", 'id = "C1.4.1"', 'id = "C1.5.1"', "C1.5.1: sub-action id must start with C1.4."),
    ("actions/targeted_4.toml", 'kind = "targeted"', 'kind = "cross-cutting"', "id must be C<p>.<n> (cross-cutting)"),
    ("actions/targeted_4.toml", "[[actions]]", "[[actions]", "TOML"),
]


@pytest.mark.parametrize(("file", "old", "new", "message"), BREAKS, ids=[f"{b[0]}:{b[3][:30]}" for b in BREAKS])
def test_a_broken_data_file_is_named(data_copy: Path, file: str, old: str, new: str, message: str) -> None:
    path = data_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue.__wrapped__()
    assert str(caught.value).startswith(f"{file}: ")
    assert message in str(caught.value)


def test_a_broken_catalogue_is_one_line_from_the_cli(data_copy: Path) -> None:
    path = data_copy / "criteria.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('id = "Q7"', 'id = "Q8"', 1), encoding="utf-8")
    load_catalogue.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["catalogue"])
    finally:
        load_catalogue.cache_clear()
    assert result.exit_code == 3  # rai-xl's own data is broken, not the input
    assert result.output.strip().splitlines() == [
        "Error: the packaged catalogue is broken: criteria.toml: criterion #7: expected id Q7, found 'Q8'"
    ]


# --- rai-xl catalogue -----------------------------------------------------------------------------


def _run(*args: str) -> str:
    result = run_cli("catalogue", *args)
    assert result.exit_code == 0, result.output
    return result.output


def test_catalogue_json(catalogue: Catalogue) -> None:
    data = json.loads(_run("--format", "json"))
    assert len(data["criteria"]) == 40
    assert len(data["actions"]) == 38
    assert sum(len(a["sub_actions"]) for a in data["actions"]) == 57
    for c, item in zip(catalogue.criteria, data["criteria"], strict=True):
        assert {"id", "pillar", "text", "options"} <= set(item)
        assert (item["id"], item["pillar"], item["text"]) == (c.id, c.pillar, c.question)
        assert [(o["label"], o["points"]) for o in item["options"]] == [(a.label, a.points) for a in c.answers]
    assert data["criteria"][5]["options"][0] == {"code": "Y", "label": "Yes", "points": 0.0}
    for a, item in zip(catalogue.actions, data["actions"], strict=True):
        assert {"id", "kind", "pillar", "tier", "title", "criteria", "sub_actions"} <= set(item)
        assert (item["id"], item["kind"], item["pillar"], item["tier"], item["title"]) == (
            a.id,
            a.kind,
            a.pillar,
            a.tier,
            a.title,
        )
        assert item["criteria"] == list(a.criteria)
        if a.kind == "cross-cutting":
            assert item["tier"] is None
        else:
            assert item["tier"] in TIERS
        for s, sub in zip(a.sub_actions, item["sub_actions"], strict=True):
            assert (sub["id"], sub["title"]) == (s.id, s.title)
            assert sub["milestones"] == [
                {"id": f"{s.id}.{term[0].upper()}{n}", "term": term, "text": text}
                for term in ("short", "medium", "long")
                for n, text in enumerate(dict(s.milestones).get(term, ()), start=1)
            ]
            assert sub["retired_milestones"] == []
    assert [a["id"] for a in data["actions"] if a["kind"] == "cross-cutting"] == [
        i for v in CROSS_CUTTING_IDS.values() for i in v
    ]
    assert data["methodology"]["fingerprint"] == catalogue.fingerprint
    assert [c["code"] for c in data["countries"]] == [code for code, _ in COUNTRIES]


def test_catalogue_csv_has_one_row_per_milestone(catalogue: Catalogue) -> None:
    rows = list(csv.DictReader(io.StringIO(_run("--format", "csv"))))
    milestones = [
        (a.id, s.id, term, m)
        for a in catalogue.actions
        for s in a.sub_actions
        for term, items in s.milestones
        for m in items
    ]
    assert len(rows) == len(milestones) == 594
    assert [(r["action"], r["sub_action"], r["term"], r["milestone"]) for r in rows] == milestones
    assert [r["milestone_id"] for r in rows] == [
        m.id for a in catalogue.actions for s in a.sub_actions for m in s.milestone_items
    ]
    p131 = [r for r in rows if r["sub_action"] == "P1.3.1" and r["term"] == "short"]
    assert [r["milestone_id"] for r in p131][:2] == ["P1.3.1.S1", "P1.3.1.S2"]
    assert {r["tier"] for r in rows if r["kind"] == "cross-cutting"} == {""}
    assert {r["action"] for r in rows if r["priority"] == "yes"} == set(PRIORITIES)


def test_catalogue_text_names_every_criterion(catalogue: Catalogue) -> None:
    out = _run()
    for c in catalogue.criteria:
        assert re.search(rf"(?m)^\s+{c.id}  {re.escape(c.question)}$", out), c.id
    for a in catalogue.actions:
        assert f"{a.id:<5} {a.title}" in out, a.id
        for s in a.sub_actions:
            for m in s.milestone_items:
                assert re.search(rf"(?m)^\s+{re.escape(m.id)}\s+{re.escape(m.text)}$", out), m.id
    assert catalogue.tier_rule in out


# --- milestone IDs --------------------------------------------------------------------------------

# A digest of every (milestone ID, text) pair: a milestone ID is a promise kept across releases.
MILESTONE_DIGEST = "50141e9bdc7f4065"


def _milestones(cat: Catalogue) -> list[tuple[str, str, str]]:
    return [(m.id, m.term, m.text) for a in cat.actions for s in a.sub_actions for m in s.milestone_items]


def test_milestone_ids_are_unique_and_pinned(catalogue: Catalogue) -> None:
    items = _milestones(catalogue)
    ids = [i for i, _, _ in items]
    assert len(ids) == len(set(ids)) == 594
    for a in catalogue.actions:
        for s in a.sub_actions:
            for term, texts in s.milestones:
                expected = [f"{s.id}.{term[0].upper()}{n}" for n in range(1, len(texts) + 1)]
                assert [m.id for m in s.milestone_items if m.term == term] == expected
    assert catalogue.milestone("P1.3.1.S2")[2].text.startswith("Draft and finalize the legislative framework")
    assert catalogue.milestone("C1.4.1.L1")[1].id == "C1.4.1"
    assert catalogue.milestone("P1.3.1.S99") is None
    digest = hashlib.sha256(json.dumps(items, ensure_ascii=False).encode()).hexdigest()[:16]
    assert digest == MILESTONE_DIGEST


def _toml(value: object) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _reformat(text: str) -> str:
    """The same TOML, laid out differently: arrays on one line, keys reordered and re-spaced, a comment added."""
    out = ["# reformatted: same data, another layout", ""]
    for action in tomllib.loads(text)["actions"]:
        out.append("[[actions]]")
        out += [f"{k}   =   {_toml(v)}" for k, v in reversed(action.items()) if k != "sub_actions"]
        for sub in action.get("sub_actions", []):
            out += ["", "[[ actions.sub_actions ]]"] + [f"{k}={_toml(v)}" for k, v in sub.items()]
        out.append("")
    return "\n".join(out)


def test_milestone_ids_survive_reformatting(data_copy: Path, catalogue: Catalogue) -> None:
    for path in sorted((data_copy / "actions").glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        path.write_text(_reformat(text), encoding="utf-8")
        assert path.read_text(encoding="utf-8") != text
    reloaded = load_catalogue.__wrapped__()
    assert _milestones(reloaded) == _milestones(catalogue)
    assert reloaded.fingerprint == catalogue.fingerprint


def test_a_retired_milestone_id_is_never_reused(data_copy: Path, catalogue: Catalogue) -> None:
    path = next(p for p in (data_copy / "actions").glob("*.toml") if 'id = "P1.3.1"' in p.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    first = catalogue.milestone("P1.3.1.S1")[2].text
    # a revised Roadmap drops P1.3.1's first short-term milestone: its ID is retired, the others keep theirs
    text = text.replace(json.dumps(first, ensure_ascii=False) + ",", "", 1)
    assert first not in text
    text = text.replace('id = "P1.3.1"', 'id = "P1.3.1"\nretired = ["P1.3.1.S1"]', 1)
    path.write_text(text, encoding="utf-8")
    revised = load_catalogue.__wrapped__()
    assert revised.milestone("P1.3.1.S1") is None
    assert revised.milestone("P1.3.1.S2")[2] == catalogue.milestone("P1.3.1.S2")[2]
    assert [m.id for m in revised.milestone("P1.3.1.S2")[1].milestone_items][:2] == ["P1.3.1.S2", "P1.3.1.S3"]
    assert revised.fingerprint != catalogue.fingerprint
    path.write_text(text.replace('retired = ["P1.3.1.S1"]', 'retired = ["P1.3.2.S1"]'), encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"P1.3.1: retired milestone IDs must look like P1.3.1.S1"):
        load_catalogue.__wrapped__()
