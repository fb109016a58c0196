"""Draft rai_xl/data/pillars.toml from the Roadmap text (reviewed by hand afterwards).

Usage: python tools/extract_pillars.py REFERENCE.txt > rai_xl/data/pillars.toml
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from rai_xl.method.sourcetext import normalise


def q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def main() -> None:
    text = Path(sys.argv[1]).read_text(encoding="utf-8")
    lines = text.splitlines()
    # "- **Assessment Pillar k – Name:** description" in the section READINESS ASSESSMENT (first list)
    assess = re.findall(r"^- \*\*Assessment Pillar (\d) – (.+?):\*\* (.+)$", text, re.M)[:4]
    t1 = lines.index("Annex Table 1. Description and rationale of assessment pillars for responsible AI readiness")
    rationale = {}
    for i in range(t1, t1 + 12):
        m = re.match(r"ASSESSMENT PILLAR (\d) – ", lines[i])
        if m:
            rationale[int(m.group(1))] = normalise(lines[i + 1])
    t3 = next(i for i, s in enumerate(lines) if s.startswith("Table 3. Description of readiness tiers"))
    tiers = {}
    for line in lines[t3 : t3 + 12]:
        m = re.match(r"(ADVANCED|PROMISING|EMERGING) ", line)
        if m:
            tiers[m.group(1).title()] = [normalise(c) for c in line.split("\t")[1:5]]
    targeted = re.findall(r"^\d\. \*\*Targeted Pillar (\d): (.+?)\*\* – (.+)$", text, re.M)
    crossing = re.findall(r"^\d\. \*\*Cross-Cutting Pillar (\d): (.+?)\*\* – (.+)$", text, re.M)
    print("# Pillars. Assessment pillars: names and descriptions from 'Readiness assessment for")
    print("# targeted actions', rationale from Annex Table 1, tier descriptions from Table 3.")
    print("# Targeted and cross-cutting pillars: the numbered lists that open their roadmaps.")
    for number, name, description in assess:
        k = int(number)
        print("\n[[assessment]]")
        print(f"number = {k}\nname = {q(name)}\ndescription = {q(normalise(description))}")
        print(f"rationale = {q(rationale[k])}")
        print("[assessment.tiers]")
        for tier in ("Advanced", "Promising", "Emerging"):
            print(f"{tier} = {q(tiers[tier][k - 1])}")
    for table, found in (("targeted", targeted), ("cross_cutting", crossing)):
        for number, name, description in found:
            print(f"\n[[{table}]]")
            print(f"number = {int(number)}\nname = {q(name)}\ndescription = {q(normalise(description))}")


if __name__ == "__main__":
    main()
