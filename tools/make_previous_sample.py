"""Make samples/regional-2025.xlsx: a synthetic 2025 regional workbook, as a previous round for the samples.

Usage: python tools/make_previous_sample.py [OUTPUT_FILE]   (default: samples/regional-2025.xlsx)

The 2025 returns are the 2026 samples' answers (tools/make_samples.py's own functions) with as few
answers changed as give the 2025 target scores (so that `rai-xl consolidate samples/ --previous
samples/regional-2025.xlsx` shows tiers moving up and down, and a few changed answers),
consolidated by rai-xl, with checklist entries a coordinator could have kept during 2025 (Status,
Lead agency, Target date, Notes; some in Lao and Thai). The output is the same bytes on every run.
"""

from __future__ import annotations

import os
import random
import re
import sys
import tempfile
import zipfile
from datetime import date
from pathlib import Path

from make_samples import answers_for, fill

from rai_xl.core.collection import sort_out
from rai_xl.core.previous_round import PreviousRound
from rai_xl.core.typed import REGIONAL, Typed, TypedRow
from rai_xl.method.catalogue import Catalogue, Country, load_catalogue
from rai_xl.read.returns import read_return
from rai_xl.write.questionnaire import file_name, write_questionnaire
from rai_xl.write.regional.workbook import write_regional_workbook

YEAR = 2025
WRITTEN = date(2025, 11, 28)
# 2025 pillar scores; against the 2026 samples these move tiers up (most) and down (LA pillar 1, PH pillar 2).
TARGETS_2025 = {
    "BN": (16.5, 15, 9, 10.5),
    "KH": (6, 6, 7.5, 3),
    "ID": (18, 16.5, 18, 9),
    "LA": (12, 4.5, 6, 3),
    "MY": (22.5, 19.5, 18, 16.5),
    "MM": (4.5, 3, 4.5, 0),
    "PH": (22.5, 21, 19.5, 15),
    "SG": (27, 24, 25.5, 21),
    "TH": (19.5, 13.5, 10.5, 12),
    "TL": (3, 1.5, 0, 0),
    "VN": (15, 9, 13.5, 10.5),
}
# What the coordinators typed during 2025: (country code or REGIONAL, milestone ID, status, lead, target, notes).
TYPED_2025 = [
    ("LA", "P1.3.1.S1", "In progress", "ກະຊວງເຕັກໂນໂລຊີ ແລະ ການສື່ສານ", date(2026, 6, 30), "ຮ່າງດຳລັດສະບັບທຳອິດ ສຳເລັດແລ້ວ"),
    ("LA", "P1.3.1.S2", "Planned", "Ministry of Technology and Communications", date(2026, 12, 31), ""),
    ("TH", "E3.6.1.S1", "Completed", "สำนักงานพัฒนาธุรกรรมทางอิเล็กทรอนิกส์ (ETDA)", date(2025, 9, 30), "เผยแพร่แนวปฏิบัติแล้ว"),
    ("TH", "P1.3.1.S1", "In progress", "ETDA", "Q2 2026", "Cabinet approval pending"),
    ("ID", "P1.3.1.S1", "Completed", "Kementerian Komunikasi dan Digital", date(2025, 8, 1), "Task force decree signed"),
    ("VN", "E2.7.1.S1", "Planned", "", None, "=to be confirmed with MIC"),
    (REGIONAL, "C1.2.1.S1", "In progress", "ASEAN Secretariat", date(2026, 3, 31), "Terms of reference circulated"),
    (REGIONAL, "C3.1.1.S1", "", "WG-AI", None, "ບົດລາຍງານ / รายงาน due at ADGSOM"),
]
FIXED_ZIP_TIME = (2025, 11, 28, 0, 0, 0)


def answers_2025(catalogue: Catalogue, country: Country) -> dict[str, str]:
    """The country's 2026 sample answers, moved criterion by criterion (in order) to the 2025 targets."""
    now = answers_for(catalogue, country, random.Random(f"rai-xl sample {country.code}"))  # as make_samples.make
    out = {}
    for pillar, target in zip(catalogue.pillars, TARGETS_2025[country.code], strict=True):
        criteria = catalogue.criteria_of(pillar.number)
        points = {c.id: (c.answer_by_label(now[c.id]).points if c.id in now else 0.0) for c in criteria}  # type: ignore[union-attr]
        for c in criteria:
            gap = target - sum(points.values())
            points[c.id] += max(-points[c.id], min(gap, c.max_points - points[c.id]))
        assert sum(points.values()) == target, (country.code, pillar.number)
        out.update({c.id: next(a.label for a in c.answers if a.points == points[c.id]) for c in criteria})
    return out


def typed_rows() -> tuple[TypedRow, ...]:
    return tuple(
        TypedRow(code, mid, Typed(status or None, lead or None, target, notes or None), ("", "", "", ""), YEAR)
        for code, mid, status, lead, target, notes in TYPED_2025
    )


def normalise(path: Path) -> None:
    """Rewrite a zip with fixed times (and a fixed 'modified' date) so the same content is the same bytes."""
    with zipfile.ZipFile(path) as z:
        parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            if name == "docProps/core.xml":
                stamp = WRITTEN.isoformat() + "T00:00:00Z"
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            z.writestr(zipfile.ZipInfo(name, FIXED_ZIP_TIME), data, zipfile.ZIP_DEFLATED)


def make(output: Path) -> Path:
    catalogue = load_catalogue()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / f"returns-{YEAR}"
        folder.mkdir()
        for country in catalogue.countries:
            path = folder / file_name(country, YEAR)
            write_questionnaire(catalogue, path, country=country, year=YEAR)
            respondent = {
                "agency": f"SYNTHETIC SAMPLE — not a real submission ({country.name})",
                "name": "Synthetic respondent",
                "position": "Sample data for rai-xl",
                "email": "sample@example.org",
                "date_completed": f"{YEAR}-04-30",
            }
            fill(path, answers_2025(catalogue, country), {}, respondent, sample=True)
            normalise(path)
        cwd = Path.cwd()
        os.chdir(tmp)  # the Submissions sheet names the returns by this relative path, the same on every run
        try:
            subs = [read_return(p.relative_to(tmp), catalogue) for p in sorted(folder.iterdir())]
        finally:
            os.chdir(cwd)
    rnd = sort_out(subs, YEAR)
    entered = PreviousRound("typed during 2025", YEAR, catalogue.version, catalogue.fingerprint, (), {}, typed_rows())
    write_regional_workbook(catalogue, rnd, output, synthetic=True, previous=entered, written_on=WRITTEN)
    normalise(output)
    return output


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "samples" / "regional-2025.xlsx"
    print(f"wrote {make(target.resolve())}")
    sys.exit(0)
