"""The message catalogue (rai_xl.issues.Msg): every message is used, and its callers fill its placeholders."""

from __future__ import annotations

import ast
import string
from collections import defaultdict
from pathlib import Path

import pytest

import rai_xl
from rai_xl.issues import EXCERPT, Msg, Said

SOURCES = sorted(Path(rai_xl.__file__).parent.rglob("*.py"))


def _fields(msg: Msg) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(msg.value) if name}


def _calls() -> tuple[dict[str, list[tuple[str, set[str]]]], set[str]]:
    """({member: [(where, the keywords it is formatted with)]} of each Msg.X.format(...) call, {members named})."""
    calls: dict[str, list[tuple[str, set[str]]]] = defaultdict(list)
    named = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Msg":
                named.add(node.attr)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
                member = node.func.value
                if isinstance(member, ast.Attribute) and isinstance(member.value, ast.Name) and member.value.id == "Msg":
                    where = f"{path.name}:{node.lineno}"
                    calls[member.attr].append((where, {k.arg for k in node.keywords if k.arg}))
    return calls, named


CALLS, NAMED = _calls()


@pytest.mark.parametrize("msg", list(Msg), ids=lambda m: m.name)
def test_a_message_formats_with_its_placeholders(msg: Msg) -> None:
    """Each placeholder filled (a number where the message formats one), long values cut, the code kept."""
    specs = {name: spec for _, name, spec, _ in string.Formatter().parse(msg.value) if name}
    values = {name: 1234 if spec else "v" * (EXCERPT + 1) for name, spec in specs.items()}
    said = msg.format(**values)
    assert isinstance(said, Said) and said.code == msg.name
    assert "{" not in said and "v" * (EXCERPT // 2 + 1) not in said


@pytest.mark.parametrize("msg", list(Msg), ids=lambda m: m.name)
def test_every_message_is_said_and_its_callers_fill_exactly_its_placeholders(msg: Msg) -> None:
    assert msg.name in NAMED, f"Msg.{msg.name} is never said"
    for where, given in CALLS[msg.name]:
        assert given == _fields(msg), f"{where}: Msg.{msg.name} takes {sorted(_fields(msg))}, given {sorted(given)}"
