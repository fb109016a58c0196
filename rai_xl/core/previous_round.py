"""What an earlier regional workbook held, as plain data (read by rai_xl.read.previous)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rai_xl.core.typed import TypedRow, Unplaced


@dataclass(frozen=True)
class HistoryRow:
    code: str
    country: str
    year: int
    pillar: int
    score: float | None  # None (and tier None) for a pillar with no answer
    tier: str | None
    complete: bool


@dataclass(frozen=True)
class PreviousRound:
    """What an earlier regional workbook holds (see rai_xl.previous)."""

    name: str
    year: int
    version: str
    fingerprint: str
    history: tuple[HistoryRow, ...]
    answers: dict[tuple[str, int], dict[str, float | None]]  # (country code, year) -> {criterion: points}
    typed: tuple[TypedRow, ...]
    findings: tuple[str, ...] = ()  # what could not be carried from it, for the Issues sheet
    unplaced: tuple[Unplaced, ...] = ()  # entries it could not place, carried again
    # headers a coordinator reworded on a tracker, kept: {country code (REGIONAL too): {column key: header}}
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    resolved: tuple[tuple[Unplaced, str], ...] = ()  # unplaced entries marked resolved, and the mark: dropped
