"""Draft rai_xl/data/criteria.toml from Annex Tables 2 and 3 of the Roadmap text.

Usage: python tools/extract_criteria.py REFERENCE.txt > rai_xl/data/criteria.toml

The output is a starting point that was then reviewed by hand; the data file is the source of
truth. Question text comes from Annex Table 3, descriptions from Annex Table 2 (where Table 2
merges one description across several criteria, each criterion carries it with a note).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from rai_xl.method.sourcetext import normalise

ROW = re.compile(r"^(?:<p>)?Q(\d+)\.\s")
ANSWER = re.compile(r"\s*(.+?)\s*=\s*(3|1\.5|0) points")
CODES = ("Y", "M", "N")


def table_rows(lines: list[str]) -> dict[int, tuple[str, str]]:
    """Map criterion number to (first cell, second cell) for rows starting with 'Qn.'."""
    rows: dict[int, tuple[str, str]] = {}
    for line in lines:
        m = ROW.match(line)
        if m:
            cells = line.split("\t")
            rows[int(m.group(1))] = (normalise(cells[0]), normalise(cells[1]) if len(cells) > 1 else "")
    return rows


def main() -> None:
    lines = Path(sys.argv[1]).read_text(encoding="utf-8").splitlines()
    t2 = next(i for i, s in enumerate(lines) if s.startswith("Annex Table 2."))
    t3 = next(i for i, s in enumerate(lines) if s.startswith("Annex Table 3."))
    t4 = next(i for i, s in enumerate(lines) if s.startswith("Annex Table 4."))
    described = table_rows(lines[t2:t3])
    scored = table_rows(lines[t3:t4])
    print("# The 40 assessment criteria. Question: Annex Table 3. Description: Annex Table 2.")
    print("# Answers: Annex Table 3, in printed order; code Y/M/N names the answer's place, not its points.")
    last_description = ""
    for n in range(1, 41):
        question = re.sub(r"^Q\d+\.\s*", "", scored[n][0])
        description = described.get(n, ("", ""))[1]
        notes = []
        if not description:
            description = last_description
            notes.append("Annex Table 2 prints one description for this criterion and the one(s) before it (merged cell).")
        last_description = description
        print("\n[[criteria]]")
        print(f'id = "Q{n}"')
        print(f"pillar = {(n - 1) // 10 + 1}")
        print(f"question = {json.dumps(question, ensure_ascii=False)}")
        print(f"description = {json.dumps(description, ensure_ascii=False)}")
        if notes:
            print(f"notes = {json.dumps(notes, ensure_ascii=False)}")
        for code, (label, points) in zip(CODES, ANSWER.findall(scored[n][1]), strict=True):
            print(f"answers.{code} = {{ label = {json.dumps(label.strip(), ensure_ascii=False)}, points = {points} }}")


if __name__ == "__main__":
    main()
