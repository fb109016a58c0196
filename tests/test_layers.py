"""The package's layers, kept by import: each room imports only the rooms below it, and nothing loops.

  method, layouts   the Roadmap as data and its rules; the sheets, columns and identity of each workbook
  core              the plain data model and the pure rules over it (no files)
  read              everything that opens a file
  write             everything that writes one
  workflow, cli     sequence a run; parse options and print

`issues` (the message catalogue) and `errors` sit beside them all and import nothing of rai-xl.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "rai_xl"
LEAVES = {"rai_xl.issues", "rai_xl.errors", "rai_xl"}  # rai_xl itself only gives __version__

# What each room may import from rai-xl (besides itself and the leaves).
MAY_IMPORT = {
    "method": set(),
    "layouts": set(),
    "core": {"method", "layouts"},
    "read": {"method", "layouts", "core"},
    "write": {"method", "layouts", "core", "read"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every rai_xl module *path* imports, anywhere in the file (TYPE_CHECKING blocks and functions too)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("rai_xl")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("rai_xl"):
            for a in node.names:  # `from rai_xl.layouts import kinds` imports the module rai_xl.layouts.kinds
                sub = f"{node.module}.{a.name}"
                out.add(sub if (PACKAGE.parent / sub.replace(".", "/")).with_suffix(".py").exists() else node.module)
    return out


def graph() -> dict[str, set[str]]:
    return {module_name(p): imported(p) for p in PACKAGE.rglob("*.py")}


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in MAY_IMPORT else module


def test_every_module_sits_in_a_room_or_is_a_known_top_module() -> None:
    top = {m for m in graph() if room(m) == m}
    assert top == {
        "rai_xl",
        "rai_xl.__main__",
        "rai_xl.cli",
        "rai_xl.workflow",
        "rai_xl.shapes",
        "rai_xl.issues",
        "rai_xl.errors",
    }


@pytest.mark.parametrize("layer", sorted(MAY_IMPORT))
def test_a_room_imports_only_the_rooms_below_it(layer: str) -> None:
    allowed = MAY_IMPORT[layer] | {layer}
    wrong = sorted(
        f"{m} imports {i}"
        for m, deps in graph().items()
        if room(m) == layer
        for i in deps
        if i not in LEAVES and room(i) not in allowed
    )
    assert wrong == []


def test_the_leaves_import_nothing_of_rai_xl() -> None:
    g = graph()
    assert {m: g[m] for m in ("rai_xl.issues", "rai_xl.errors")} == {"rai_xl.issues": set(), "rai_xl.errors": set()}


def test_no_import_circles() -> None:
    g = graph()
    circles = []
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for d in sorted(g.get(m, ())):
            if state.get(d) == 1:
                circles.append(" -> ".join([*path[path.index(d) :], d]))
            elif d not in state:
                visit(d, [*path, d])
        state[m] = 2

    for m in sorted(g):
        if m not in state:
            visit(m, [m])
    assert circles == []


def loaded(*modules: str) -> list[str]:
    """The rai_xl and xlsxwriter modules a fresh interpreter holds after importing *modules*."""
    probe = f"import sys, importlib; [importlib.import_module(m) for m in {modules!r}]; print(*sorted(sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    return [m for m in out if m.startswith(("rai_xl.", "xlsxwriter"))]


def test_the_core_and_the_method_load_no_reader_no_writer_and_no_xlsxwriter() -> None:
    modules = sorted(m for m in graph() if room(m) in ("core", "method"))
    assert [m for m in loaded(*modules) if m.startswith(("rai_xl.read", "rai_xl.write", "xlsxwriter"))] == []


def test_the_readers_load_no_writer() -> None:
    modules = sorted(m for m in graph() if room(m) == "read")
    assert [m for m in loaded(*modules) if m.startswith(("rai_xl.write", "xlsxwriter"))] == []


def test_the_layouts_load_only_layouts() -> None:
    modules = sorted(m for m in graph() if room(m) == "layouts")
    assert [m for m in loaded(*modules) if not m.startswith("rai_xl.layouts")] == []
