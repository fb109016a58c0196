"""Write the committed blank questionnaires in workbook_templates/: one generic, one per Member State.

Usage: python tools/make_templates.py [YEAR]   (default: 2026)

The generic questionnaire has no country (the respondent picks it from a dropdown); the others are
the ones `rai-xl questionnaire --all` writes. File names come from rai_xl.questionnaire.file_name.
The writer is deterministic, so re-running this script with the same YEAR, catalogue and xlsxwriter
gives identical bytes; tests/test_questionnaire.py checks the committed files are in sync.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rai_xl.method.catalogue import Catalogue, load_catalogue  # noqa: E402
from rai_xl.write.questionnaire import file_name, write_questionnaire  # noqa: E402

YEAR = 2026
OUTPUT = ROOT / "workbook_templates"


def make_templates(catalogue: Catalogue, out_dir: Path, year: int = YEAR) -> list[Path]:
    """Write the generic questionnaire and one per Member State into *out_dir*; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for country in (None, *catalogue.countries):
        path = out_dir / file_name(country, year)
        write_questionnaire(catalogue, path, country=country, year=year)
        paths.append(path)
    return paths


def main(argv: list[str]) -> int:
    if len(argv) > 1 or (argv and not argv[0].isdigit()):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    year = int(argv[0]) if argv else YEAR
    for path in make_templates(load_catalogue(), OUTPUT, year):
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
