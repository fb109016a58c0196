"""Shared fixtures: the catalogue, returned questionnaires filled the way a respondent would, and the rounds and
progress workbooks several test modules read. Plain helpers are in tests/helpers.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from rai_xl.method.catalogue import Catalogue, load_catalogue
from rai_xl.write.questionnaire import write_questionnaire
from tests.helpers import (
    RESPONDENT,
    TYPED,
    consolidate,
    consolidated_samples,
    fill,
    first_round,
    run_cli,
    type_into,
)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def opened_parts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The zip members opened (to decompress) from now on in this test, in order."""
    import zipfile

    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(name if isinstance(name, str) else name.filename)
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    return opened


@pytest.fixture
def make_return(tmp_path: Path, catalogue: Catalogue) -> Callable[..., Path]:
    """Write a questionnaire and fill it: make_return(name, country="LA", answers={id: label}, ...)."""

    def make(
        name: str = "return.xlsx",
        country: str | None = "LA",
        year: int = 2026,
        answers: dict[str, str] | None = None,
        evidence: dict[str, str] | None = None,
        respondent: dict[str, str] | None = None,
    ) -> Path:
        path = tmp_path / name
        write_questionnaire(catalogue, path, country=catalogue.country(country) if country else None, year=year)
        fill(path, answers or {}, evidence or {}, {**RESPONDENT, **(respondent or {})})
        return path

    return make


@pytest.fixture(scope="session")
def rounds(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> dict[str, Path]:
    """2026 (KH, LA, SG) consolidated and typed into; then the same year again, and 2027 (LA, SG).

    Once per session: no test changes these files (tests write their outputs under tmp_path, and
    test_record's `edited` adds files of its own names to "base").
    """
    base = tmp_path_factory.mktemp("rounds")
    r2026, r2027, first = first_round(base, catalogue)
    typed = base / "regional-2026-typed.xlsx"
    type_into(first, typed, TYPED)
    again = base / "regional-2026-again.xlsx"
    same = consolidate(r2026, again, "--previous", str(typed))
    assert same.exit_code == 1 and same.exception is not None and isinstance(same.exception, SystemExit)
    nxt = base / "regional-2027.xlsx"
    result = consolidate(r2027, nxt, "--previous", str(again))
    assert result.exit_code == 0 and result.exception is None, result.output
    assert (
        result.output.splitlines()[-1]
        == f"wrote {nxt}: 2 Member State(s) included, round 2027; carried from {again.name} (2026)"
    )
    return {"base": base, "r2026": r2026, "r2027": r2027, "first": first, "typed": typed, "again": again, "next": nxt}


@pytest.fixture(scope="session")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the 2026 regional workbook of the samples and the progress workbooks of LA and TH.

    Once per session: no test changes these files (one checks that writing into the folder is refused).
    """
    root = tmp_path_factory.mktemp("progress")
    consolidated_samples(root)
    for code in ("LA", "TH"):
        assert run_cli("progress", "--previous", root / "regional.xlsx", "--country", code, "--output", root).exit_code == 0
    return root
