"""Check one hand-transcribed actions/*.toml file against the Roadmap text.

Usage: python tools/check_action_file.py rai_xl/data/actions/FILE.toml [REFERENCE.txt]

Prints every text that is not found verbatim (after normalisation) in the reference, and every
text that is only found in pieces (joined across a page break: it must carry a note saying so).
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from rai_xl.method.sourcetext import find_pieces, normalise

DEFAULT_REF = Path(__file__).resolve().parents[1] / "tests/reference/asean-responsible-ai-roadmap-2025-2030.txt"
ACTION_KEYS = {"id", "kind", "pillar", "tier", "title", "objectives", "notes", "sub_actions"}
SUB_KEYS = {
    "id",
    "source_id",
    "title",
    "target_areas",
    "measures_of_progress",
    "criteria",
    "case_studies",
    "notes",
    "milestones",
}


def main() -> int:
    path = Path(sys.argv[1])
    ref = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_REF
    hay = normalise(ref.read_text(encoding="utf-8"))
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    problems = 0

    def check(where: str, text: str, notes: list[str]) -> None:
        nonlocal problems
        pieces = find_pieces(text, hay)
        if pieces is None:
            problems += 1
            print(f"NOT FOUND  {where}: {text[:100]}")
        elif len(pieces) > 1 and not notes:
            problems += 1
            print(f"PIECES({len(pieces)}) without note  {where}: " + " | ".join(p[:40] for p in pieces))

    n_sub = 0
    for a in data["actions"]:
        extra = set(a) - ACTION_KEYS
        if extra:
            problems += 1
            print(f"unknown keys in {a['id']}: {extra}")
        notes = a.get("notes", [])
        check(f"{a['id']} title", a["title"], notes)
        for i, o in enumerate(a["objectives"]):
            check(f"{a['id']} objective {i + 1}", o, notes)
        for s in a["sub_actions"]:
            n_sub += 1
            extra = set(s) - SUB_KEYS
            if extra:
                problems += 1
                print(f"unknown keys in {s['id']}: {extra}")
            sn = s.get("notes", [])
            check(f"{s['id']} title", s["title"], sn)
            for key in ("target_areas", "measures_of_progress"):
                for i, t in enumerate(s[key]):
                    check(f"{s['id']} {key} {i + 1}", t, sn)
            for term in ("short", "medium", "long"):
                for i, t in enumerate(s["milestones"].get(term, [])):
                    check(f"{s['id']} milestone {term} {i + 1}", t, sn)
            for q in s["criteria"]:
                if not re.fullmatch(r"Q([1-9]|[1-3][0-9]|40)", q):
                    problems += 1
                    print(f"bad criterion id {q} in {s['id']}")
    print(f"{len(data['actions'])} action areas, {n_sub} sub-actions, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
