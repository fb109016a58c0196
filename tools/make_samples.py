"""Make the bundled synthetic returns in samples/: one filled questionnaire per Member State.

Usage: python tools/make_samples.py [OUTPUT_DIR]   (default: the samples/ folder of the repository)

Every workbook is written by rai-xl's own questionnaire writer and then filled the way a
respondent would, cell by cell, with openpyxl. The answers are synthetic and say so in the
respondent details. They are chosen to cover all three tiers, the 10.5 and 19.5 boundaries,
and one incomplete return (Thailand, two criteria of pillar 3 left blank).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.packaging.custom import StringProperty

from rai_xl.layouts import questionnaire as ids
from rai_xl.method.catalogue import Catalogue, Country, load_catalogue
from rai_xl.write.questionnaire import file_name, write_questionnaire

YEAR = 2026

# Target pillar scores (multiples of 1.5); Thailand leaves Q27 and Q28 blank.
TARGETS = {
    "BN": (19.5, 15, 12, 10.5),
    "KH": (9, 6, 7.5, 4.5),
    "ID": (21, 16.5, 18, 13.5),
    "LA": (7.5, 4.5, 6, 3),
    "MY": (24, 19.5, 21, 16.5),
    "MM": (6, 3, 4.5, 1.5),
    "PH": (22.5, 18, 19.5, 15),
    "SG": (28.5, 25.5, 27, 24),
    "TH": (21, 15, 12, 12),
    "TL": (4.5, 3, 1.5, 0),
    "VN": (16.5, 12, 15, 10.5),
}
BLANK = {"TH": {"Q27", "Q28"}}


def answers_for(catalogue: Catalogue, country: Country, rng: random.Random) -> dict[str, str]:
    """Labels giving each pillar its target score: full marks on some criteria, one partial if needed."""
    out = {}
    for pillar, target in zip(catalogue.pillars, TARGETS[country.code], strict=True):
        criteria = [c for c in catalogue.criteria_of(pillar.number) if c.id not in BLANK.get(country.code, set())]
        full, partial = divmod(round(target * 2), 6)  # in half points: 6 = full marks, 3 = partial
        points = [3.0] * full + [1.5] * (partial // 3) + [0.0] * (len(criteria) - full - partial // 3)
        rng.shuffle(points)
        for c, p in zip(criteria, points, strict=True):
            out[c.id] = next(a.label for a in c.answers if a.points == p)
    return out


def fill(
    path: Path, answers: dict[str, str], evidence: dict[str, str], respondent: dict[str, str], sample: bool = False
) -> None:
    """Type answers, evidence and respondent details into a questionnaire, as a respondent would.

    *sample* marks the file as a synthetic sample (a custom document property), which the regional
    workbook announces in a banner.
    """
    wb = load_workbook(path)
    if sample:
        wb.custom_doc_props.append(StringProperty(name=ids.SAMPLE_PROPERTY, value="synthetic"))
    ws = wb[ids.SHEET_CRITERIA]
    heads = {cell.value: cell.column for cell in ws[1]}
    for row in ws.iter_rows(min_row=2):
        cid = row[heads["ID"] - 1].value
        if cid in answers:
            ws.cell(row[0].row, heads["Answer"]).value = answers[cid]
        if cid in evidence:
            ws.cell(row[0].row, heads["Evidence / source documents"]).value = evidence[cid]
    rs = wb[ids.SHEET_RESPONDENT]
    labels = dict(ids.RESPONDENT_FIELDS)
    for row in rs.iter_rows(min_col=1, max_col=2):
        for key, value in respondent.items():
            if row[0].value == labels[key]:
                row[1].value = value
    wb.save(path)


def make(out_dir: Path) -> list[Path]:
    catalogue = load_catalogue()
    made = []
    for country in catalogue.countries:
        rng = random.Random(f"rai-xl sample {country.code}")
        path = out_dir / file_name(country, YEAR)
        write_questionnaire(catalogue, path, country=country, year=YEAR)
        answers = answers_for(catalogue, country, rng)
        evidence = {
            cid: f"Synthetic sample evidence for {cid} ({country.name}): a made-up document title, not a real source."
            for cid in answers
            if rng.random() < 0.5
        }
        if country.code == "PH":  # text that looks like a formula must stay text all the way through
            evidence["Q1"] = '=HYPERLINK("http://example.org","synthetic: must stay text")'
        fill(
            path,
            answers,
            evidence,
            {
                "agency": f"SYNTHETIC SAMPLE — not a real submission ({country.name})",
                "name": "Synthetic respondent",
                "position": "Sample data for rai-xl",
                "email": "sample@example.org",
                "date_completed": f"{YEAR}-03-31",
            },
            sample=True,
        )
        made.append(path)
    return made


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "samples"
    for p in make(target):
        print(f"wrote {p}")
