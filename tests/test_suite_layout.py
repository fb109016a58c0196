"""The test suite's own layout: shared helpers live in tests/helpers.py and shared fixtures in conftest.py,
so no test module imports from another test module, or from a conftest."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _is_test_module(name: str) -> bool:
    """tests.test_x, tests.realclient.test_x, tests.conftest, tests.realclient.conftest (and the bare names)."""
    last = name.rsplit(".", 1)[-1]
    return last.startswith("test_") or last == "conftest"


def imports_of_test_modules(source: str, where: str) -> list[str]:
    """Where *source* imports a test module or a conftest, at any depth (function-local imports too)."""
    found = []
    for node in ast.walk(ast.parse(source, filename=where)):
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            names = [module] if node.module else [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found += [f"{where}:{node.lineno}: {n}" for n in names if _is_test_module(n)]
    return found


def test_no_test_module_imports_another_test_module_or_a_conftest() -> None:
    files = sorted(TESTS.rglob("*.py"))
    assert TESTS / "helpers.py" in files and len(files) > 20  # the scan sees the suite
    found = [
        line for f in files for line in imports_of_test_modules(f.read_text(encoding="utf-8"), str(f.relative_to(TESTS)))
    ]
    assert found == []


def test_the_scan_sees_every_form_of_import() -> None:
    """The check itself: each way of importing a test module is caught, and helpers are not."""
    source = (
        "import tests.test_rounds\n"
        "from tests.conftest import run_cli\n"
        "from tests.realclient.test_progress import THAI\n"
        "from . import test_pack\n"
        "def f():\n"
        "    from tests.test_record import rows_of\n"
        "from tests.helpers import run_cli\n"
        "from tests.reader_features import features\n"
    )
    found = imports_of_test_modules(source, "sample.py")
    assert [line.split(": ", 1)[1] for line in found] == [
        "tests.test_rounds",
        "tests.conftest",
        "tests.realclient.test_progress",
        "test_pack",
        "tests.test_record",
    ]
