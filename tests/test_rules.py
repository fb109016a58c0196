"""The pure rules of the core on plain data, table-driven: no workbook is written or read here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from rai_xl.core.collection import newest
from rai_xl.core.previous_round import HistoryRow, PreviousRound
from rai_xl.core.progress_merge import merge
from rai_xl.core.progress_return import NO_CHANGES, Change, ProgressReturn, same
from rai_xl.core.text import clean
from rai_xl.core.typed import NOT_STARTED, Typed, TypedRow, Unplaced, Value
from rai_xl.issues import Msg
from rai_xl.method.catalogue import load_catalogue
from rai_xl.write.kit import needs_quote

LA = load_catalogue().country("LA")
MID = "P1.3.1.S1"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("", None, True),  # a cleared cell read back as "" is still blank: no phantom change
        (None, "", True),
        ("", "", True),
        (date(2027, 3, 31), datetime(2027, 3, 31), True),  # a date at midnight is the date
        (date(2027, 3, 31), datetime(2027, 3, 31, 9, 30), False),
        (3, 3.0, True),
        ("3", 3.0, False),  # text that looks like a number is not the number
        ("Planned", "planned", False),  # text exactly: case counts
        (" Planned", "Planned", False),  # and spaces
        ("Planned", "Planned", True),
        (None, "Planned", False),
    ],
)
def test_same_value(a: Value, b: Value, expected: bool) -> None:
    assert same(a, b) is expected


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('=HYPERLINK("http://x","y")', True),
        ("+66 2 123 4567", True),
        ("-1+2", True),
        ("@SUM(1)", True),
        ("\tindented", True),
        ("\rcarriage", True),
        ("Decree 245", False),
        (" =not a formula", False),
        ("", False),
    ],
)
def test_text_that_could_become_a_formula_is_quote_prefixed(text: str, quoted: bool) -> None:
    assert needs_quote(text) is quoted


def progress_return(changes: list[Change] = [], unplaced: list[Unplaced] = [], **kw: object) -> ProgressReturn:  # noqa: B006
    ret = ProgressReturn(
        Path(kw.pop("name", "RAI-progress-2026-Lao-PDR.xlsx")),  # type: ignore[arg-type]
        sha256=str(kw.pop("sha256", "a")),
        country=LA,
        round=2026,
        made_from="regional-2026.xlsx",
        reported_on=kw.pop("reported_on", date(2027, 5, 1)),  # type: ignore[arg-type]
        changes=list(changes),
        unplaced=list(unplaced),
    )
    assert not kw
    return ret


def previous_round(status: Value) -> PreviousRound:
    row = TypedRow("LA", MID, Typed(status=status), ("P1.3", "P1.3.1", "Short-Term", "a milestone"), 2026)
    return PreviousRound("regional-2026.xlsx", 2026, "1.0", "f", (), {}, (row,))


ADDED_ROW = Unplaced("LA", "Progress", "G9", "", "new activity", "Notes", "a row the country added", "", 2026, "added")


@pytest.mark.parametrize(
    ("changes", "unplaced", "reported_on", "untouched", "fate"),
    [
        ([], [], None, True, NO_CHANGES),  # nothing changed, nothing added, no report date: not a report
        ([], [], date(2027, 5, 1), True, "included"),  # dated and every milestone confirmed: a report of no changes
        ([], [ADDED_ROW], None, False, "included"),  # only rows the Member State added: a report, not "no changes"
        ([Change(MID, "status", (NOT_STARTED, ""), ("Planned", ""), "G5")], [], None, False, "included"),
    ],
)
def test_a_progress_return_is_untouched_only_when_nothing_was_changed_or_added(
    changes: list[Change], unplaced: list[Unplaced], reported_on: date | None, untouched: bool, fate: str
) -> None:
    ret = progress_return(changes, unplaced, reported_on=reported_on)
    assert ret.untouched is untouched
    merged = merge(previous_round(None), [ret])
    assert merged.outcomes[0].status == fate
    assert merged.unplaced == tuple(unplaced)


@pytest.mark.parametrize(
    ("now", "made", "reported", "status_after", "conflict", "change_rows"),
    [
        # the coordinator did not touch the cell: the Member State's value replaces it
        ("Planned", "Planned", "Completed", "Completed", False, 1),
        (None, NOT_STARTED, "In progress", "In progress", False, 1),  # blank Status is Not started
        # the coordinator changed it too, to another value: both kept, a conflict
        ("In progress", "Planned", "Completed", "In progress", True, 0),
        # the coordinator made the same change: no conflict and nothing to merge
        ("Completed", "Planned", "Completed", "Completed", False, 0),
    ],
)
def test_merging_a_reported_status(
    now: Value, made: Value, reported: Value, status_after: Value, conflict: bool, change_rows: int
) -> None:
    ret = progress_return([Change(MID, "status", (made, ""), (reported, ""), "G5")])
    merged = merge(previous_round(now), [ret])
    assert merged.previous.typed[0].typed.status == status_after
    assert bool(merged.conflicts) is conflict
    assert merged.has_problems is conflict  # a conflict alone is a problem in the input (exit status 1)
    assert len(merged.rows) == change_rows
    assert [u.value for u in merged.unplaced] == ([reported] if conflict else [])


@pytest.mark.parametrize(
    ("dates", "digests", "fates"),
    [
        ([date(2027, 5, 1), date(2027, 6, 1)], ["a", "b"], ["superseded", "included"]),  # the later report wins
        ([date(2027, 6, 1), date(2027, 6, 1)], ["a", "b"], ["conflict", "conflict"]),  # equal dates: a conflict
        ([date(2027, 6, 1), None], ["a", "b"], ["conflict", "conflict"]),  # a missing date: a conflict
        ([date(2027, 6, 1), date(2027, 6, 1)], ["a", "a"], ["included", "superseded"]),  # the same file twice: once
    ],
)
def test_of_two_progress_returns_from_one_country(dates: list[date | None], digests: list[str], fates: list[str]) -> None:
    change = Change(MID, "status", (NOT_STARTED, ""), ("Planned", ""), "G5")
    rets = [
        progress_return([change], name=f"r{i}.xlsx", sha256=d, reported_on=when)
        for i, (when, d) in enumerate(zip(dates, digests, strict=True))
    ]
    merged = merge(previous_round(None), rets)
    assert [o.status for o in merged.outcomes] == fates
    assert merged.has_problems is ("conflict" in fates)


@pytest.mark.parametrize(
    ("dates", "chosen"),
    [
        ([date(2026, 3, 1)], 0),  # one version: it, dated or not
        ([None], 0),
        ([date(2026, 3, 1), date(2026, 4, 1)], 1),  # the later date supersedes
        ([date(2026, 4, 1), date(2026, 3, 1), date(2026, 2, 1)], 0),
        ([date(2026, 4, 1), date(2026, 4, 1)], None),  # equal latest dates: undecided, a conflict
        ([date(2026, 3, 1), date(2026, 4, 1), date(2026, 4, 1)], None),
        ([date(2026, 4, 1), date(2026, 4, 1), date(2026, 5, 1)], 2),  # equal dates below the latest do not matter
        ([date(2026, 4, 1), None], None),  # a missing date: undecided
    ],
)
def test_the_newest_of_differing_versions(dates: list[date | None], chosen: int | None) -> None:
    versions = list(range(len(dates)))
    assert newest(versions, lambda i: dates[i]) == chosen


def test_consolidating_a_year_again_replaces_that_years_answers_in_the_history() -> None:
    """A country whose 2026 return dropped out (removed, or now in conflict) keeps no 2026 answers."""
    from rai_xl.core.collection import Round
    from rai_xl.core.report import build

    catalogue = load_catalogue()
    q1 = {"Q1": 3.0}
    answers = {("KH", 2025): q1, ("KH", 2026): q1, ("LA", 2026): q1}
    previous = PreviousRound("regional-2026.xlsx", 2026, catalogue.version, "f", (), answers, ())
    report = build(catalogue, Round(2026, []), 2026, previous)
    assert report.answers == {("KH", 2025): q1}


@pytest.mark.parametrize(
    ("second", "placed", "unplaced"),
    [
        # a second row of one milestone: what it adds is merged, what disagrees is kept on Unplaced entries
        ({"status": NOT_STARTED, "notes": "n"}, ("Planned", "n"), []),  # Not started says nothing: no disagreement
        ({"status": "", "notes": "n"}, ("Planned", "n"), []),
        ({"status": "Completed"}, ("Planned", None), [("G2", "Completed")]),
        ({"status": "Planned"}, ("Planned", None), []),  # the same value: nothing to say
    ],
)
def test_a_second_row_for_one_milestone(second: dict[str, Value], placed: tuple[Value, Value], unplaced: list) -> None:
    from rai_xl.core.carry import partition

    catalogue = load_catalogue()
    mid = "E1.4.1.S1"
    first = TypedRow("LA", mid, Typed(status="Planned"), ("", "", "", ""), 2026, "S", 1, (("status", "G1"),))
    cells = tuple((k, "G2") for k in second)
    other = TypedRow("LA", mid, Typed(**second), ("", "", "", ""), 2026, "S", 2, cells)  # type: ignore[arg-type]
    part = partition([first, other], [], {("LA", mid)}, {"LA"}, catalogue, 2027, catalogue.version)
    row = part.placed[("LA", mid)]
    assert (row.typed.status, row.typed.notes) == placed
    assert [(u.cell, u.value) for u in part.unplaced] == unplaced


def test_a_text_longer_than_a_cell_holds_is_carried_whole() -> None:
    """40,000 characters of Notes (more than Excel's 32,767 a cell): the cell shows the start and where the rest
    is; Unplaced entries holds the whole text in parts that each fit a cell; Issues says so."""
    from rai_xl.core.carry import CELL_LIMIT, partition

    catalogue = load_catalogue()
    mid = "E1.4.1.S1"
    long = ("ບົດບັນທຶກ notes " * 3000)[:40_000]
    added = "x" * 70_000
    typed = Typed(status="Planned", notes=long, added=(("Budget", added, ""),), comments=(("notes", "ok"),))
    row = TypedRow("LA", mid, typed, ("", "", "", "a milestone"), 2026, "Lao PDR", 9, (("notes", "J9"),))
    part = partition([row], [], {("LA", mid)}, {"LA"}, catalogue, 2027, catalogue.version)
    kept = part.placed[("LA", mid)].typed
    assert len(str(kept.notes)) == CELL_LIMIT and str(kept.notes).startswith(long[:30_000])
    assert str(kept.notes).endswith("(continued on 'Unplaced entries': 40,000 characters in all)")
    assert [len(str(v)) for _, v, _ in kept.added] == [CELL_LIMIT]
    assert kept.status == "Planned" and kept.comments == (("notes", "ok"),)
    notes = [u for u in part.unplaced if u.column == "Notes"]
    assert "".join(str(u.value) for u in notes) == long and all(len(str(u.value)) <= CELL_LIMIT for u in notes)
    assert [u.cell for u in notes] == ["J9", "J9"] and "part 2 of 2" in notes[1].reason
    budget = [u for u in part.unplaced if u.column == "Budget"]
    assert "".join(str(u.value) for u in budget) == added and len(budget) == 3
    assert part.said == [
        "sheet 'Lao PDR' row 9: 2 text(s) longer than a cell holds (32,767 characters): each cell shows its start, "
        "the whole text is on 'Unplaced entries'"
    ]


def test_every_refusal_carries_its_exit_status() -> None:
    """One hierarchy, mapped to exit statuses once in the CLI: a usage problem is 2, an input that cannot be
    used is 1 (3 is only ever a bug)."""
    from rai_xl.core.collection import MixedYears
    from rai_xl.core.pack import PackInputError
    from rai_xl.errors import Refusal
    from rai_xl.read.intake import NothingToRead
    from rai_xl.read.previous import PreviousError, PreviousUnreadable
    from rai_xl.write.outputs import OutputError

    statuses = {
        cls.__name__: cls.exit_status
        for cls in (MixedYears, NothingToRead, PreviousError, PreviousUnreadable, OutputError, PackInputError)
        if issubclass(cls, Refusal)
    }
    assert statuses == {
        "MixedYears": 2,
        "NothingToRead": 2,
        "PreviousError": 2,
        "PreviousUnreadable": 2,
        "OutputError": 2,
        "PackInputError": 1,
    }


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (2027.0, "2027"),
        (3.5, "3.5"),
        (0.0001, "0.0001"),
        (20240115.0, "20240115"),
        (1.2345678901234567e20, "123456789012345670000"),  # past 1e15: as typed, not float's binary tail
    ],
)
def test_a_number_as_a_person_typed_it(value: float, shown: str) -> None:
    from rai_xl.core.text import format_number

    assert format_number(value) == shown


@pytest.mark.parametrize(("length", "cut"), [(32_767, False), (32_768, True)])
def test_the_longest_text_a_cell_holds_is_kept_in_its_cell(length: int, cut: bool) -> None:
    from rai_xl.core.carry import partition

    catalogue = load_catalogue()
    mid = "E1.4.1.S1"
    row = TypedRow("LA", mid, Typed(notes="n" * length), ("", "", "", ""), 2026, "Lao PDR", 9, (("notes", "J9"),))
    part = partition([row], [], {("LA", mid)}, {"LA"}, catalogue, 2027, catalogue.version)
    assert (part.placed[("LA", mid)].typed.notes != "n" * length) is cut
    assert bool(part.unplaced) is cut


def test_a_cross_cutting_milestone_typed_on_a_country_tracker_is_archived_not_carried() -> None:
    """Only the country's own targeted actions are carried on its tracker when no longer planned."""
    from rai_xl.core.carry import partition

    catalogue = load_catalogue()
    row = TypedRow("LA", "C1.1.1.S1", Typed(notes="pasted"), ("", "", "", ""), 2026, "Lao PDR", 9, (("notes", "J9"),))
    part = partition([row], [], set(), {"LA"}, catalogue, 2027, catalogue.version)
    assert part.carried == {} and [r.milestone_id for r, _ in part.archived] == ["C1.1.1.S1"]


def test_a_progress_return_merged_with_another_workbook_than_it_was_made_from_is_said() -> None:
    ret = progress_return([Change(MID, "status", (NOT_STARTED, ""), ("Planned", ""), "G5")])
    ret.made_from = "regional-2026-copy.xlsx"
    merged = merge(previous_round(None), [ret])
    assert [n.message for n in merged.notes] == [
        "made from regional-2026-copy.xlsx, merged with regional-2026.xlsx: the regional workbook of the same round"
    ]


@pytest.mark.parametrize(
    ("typed", "compared"),
    [
        ("Partially", "Partially"),
        ("  Partially \n", "Partially"),
        ("Yes,\u00a0fully\t in  force", "Yes, fully in force"),  # a no-break space, a tab, two spaces: one space
        ("Yes\u2003\u3000fully", "Yes fully"),  # an em space and an ideographic space
        ("Ｙｅｓ", "Yes"),  # full-width letters, as some keyboards type them
        ("Q\u2460", "Q1"),  # a circled digit
        ("\x1c\x1dQ1\x1e\x1f", "Q1"),  # separators a paste can bring count as spaces too
        ("", ""),
    ],
)
def test_text_is_compared_in_one_form(typed: str, compared: str) -> None:
    assert clean(typed) == compared


def _merged_notes(now: Value, ret: ProgressReturn) -> list[tuple[str, str]]:
    merged = merge(previous_round(now), [ret], catalogue=load_catalogue())
    return [(n.code, n.message) for n in merged.notes] + [(getattr(u.reason, "code", ""), u.reason) for u in merged.unplaced]


def _built_notes(previous: PreviousRound) -> list[tuple[str, str]]:
    from rai_xl.core.collection import Round
    from rai_xl.core.report import build

    return [(n.code, n.message) for n in build(load_catalogue(), Round(2027, []), 2027, previous).notes]


def _reported(status: str) -> ProgressReturn:
    return progress_return([Change(MID, "status", ("Planned", ""), (status, ""), "G5")])


def _late() -> ProgressReturn:
    ret = progress_return([Change("P9.9.9.S9", "status", (NOT_STARTED, ""), ("Planned", ""), "G5")])
    ret.round = 2025
    return ret


def _other_workbook() -> ProgressReturn:
    ret = progress_return([Change(MID, "status", (NOT_STARTED, ""), ("Planned", ""), "G5")])
    ret.made_from = "regional-2026-copy.xlsx"
    return ret


KH_ROW = TypedRow("KH", "E1.4.1.S1", Typed(status="Done"), ("", "", "", ""), 2026, "Cambodia", 9, (("status", "G9"),))
NO_MILESTONE = TypedRow("LA", "", Typed(notes="ours"), ("", "", "", ""), 2026, "Lao PDR", 12, (("notes", "J12"),), "X9")
KH_2026 = HistoryRow("KH", "Cambodia", 2026, 1, 10.0, "Foundational", True)
KH_ANSWERS: dict[tuple[str, int], dict[str, float | None]] = {("KH", 2026): {"Q1": 3.0}}
HISTORY_GONE = Msg.HISTORY_MISSING.format(year=2025)  # what the reader found, carried into Issues


@pytest.mark.parametrize(
    ("said", "codes"),
    [
        (lambda: _merged_notes("In progress", _reported("Done")), ["CONFLICT_NOTE", "CONFLICT_KEPT"]),
        (lambda: _merged_notes(None, _other_workbook()), ["MADE_FROM_OTHER"]),
        (lambda: _merged_notes(None, _late()), ["LATE_RETURN", "LATE_NOT_HELD"]),
        (
            lambda: _built_notes(PreviousRound("regional-2026.xlsx", 2026, "0.9", "f", (), {}, (), (HISTORY_GONE,))),
            ["PREVIOUS_METHODOLOGY", "PREVIOUS_FINGERPRINT", "HISTORY_MISSING"],
        ),
        (lambda: _built_notes(replace(_previous(), typed=(NO_MILESTONE,))), ["UNPLACED_KEPT"]),
        (
            lambda: _built_notes(replace(_previous(), history=(KH_2026,), answers=KH_ANSWERS, typed=(KH_ROW,))),
            ["PLAN_KEPT", "STATUS_CARRIED"],
        ),
    ],
    ids=["progress-conflict", "other-workbook", "late-return", "other-methodology", "unplaced", "plan-kept"],
)
def test_every_note_knows_its_code(said: Callable[[], list[tuple[str, str]]], codes: list[str]) -> None:
    """What the rules say of a consolidation, each with the code tools match on (the Issues sheet's Code column)."""
    got = said()
    assert [code for code, _ in got] == codes
    assert all(getattr(message, "code", "") == code for code, message in got)


def _previous() -> PreviousRound:
    catalogue = load_catalogue()
    return PreviousRound("regional-2026.xlsx", 2026, catalogue.version, catalogue.fingerprint, (), {}, ())
