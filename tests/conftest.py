"""Shared fixtures: the catalogue, and returned questionnaires filled the way a respondent would."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rai_xl.cli import cli
from rai_xl.method.catalogue import Catalogue, load_catalogue
from rai_xl.write.questionnaire import write_questionnaire

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "tests" / "reference" / "asean-responsible-ai-roadmap-2025-2030.txt"
sys.path.insert(0, str(ROOT / "tools"))

from make_samples import fill  # noqa: E402


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


def labels_for(catalogue: Catalogue, points: dict[str, float]) -> dict[str, str]:
    """{criterion id: label} for {criterion id: points}."""
    return {cid: next(a.label for a in catalogue.criterion(cid).answers if a.points == p) for cid, p in points.items()}


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


# What an official types on the Respondent sheet (tests override single fields).
RESPONDENT = {
    "agency": "Ministry of Technology and Communications",
    "name": "Test Respondent",
    "position": "Director",
    "email": "respondent@example.gov",
    "date_completed": "2026-03-31",
}


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


def run_cli(*args: object) -> Result:
    """Run rai-xl as a user would; a crash (any exception other than the exit) fails the test with it.

    CliRunner keeps an uncaught exception in `result.exception`, not in the output: asserting on the
    output alone cannot see a traceback.
    """
    result = CliRunner().invoke(cli, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"rai-xl crashed: {result.exception!r}") from result.exception
    assert result.exit_code in (0, 1, 2), f"exit status {result.exit_code}: {result.output}"
    return result
