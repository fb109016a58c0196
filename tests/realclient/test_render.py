"""Real client: what a person reads is printed whole, and the meeting pack prints short.

The regional workbook (from the samples, with the 2025 round as --previous) and questionnaires (blank,
for one country, and a filled return) are printed to PDF by LibreOffice. Every cell a print shows
(visible sheets, rows and columns, inside the print area) must have all its words in the PDF's text:
a word cut by a narrow column ("Advance d"), a row too short for its wrapped text, or text running into
the next cell loses words, and fails here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from rai_xl.method.catalogue import Catalogue
from rai_xl.write.questionnaire import write_questionnaire
from rai_xl.write.regional.workbook import PACK_PAGES
from tests.helpers import RESPONDENT, ROOT, fill, labels_for, run_cli

pytestmark = pytest.mark.libreoffice
SAMPLES = ROOT / "samples"
WORD_BREAKS = re.compile(r"[\s\-‐–—/]+")  # a line may break at a space, a hyphen or a slash


NO_SPACES = re.compile(r"([\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF])")  # Thai, Lao, Myanmar, Khmer


def words(text: str) -> Counter[str]:
    """The words of *text*; scripts written without spaces (Thai, Lao) break anywhere, so by character."""
    return Counter(w for w in WORD_BREAKS.split(NO_SPACES.sub(r" \1 ", text)) if w)


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])  # type: ignore[index]


FOOTER = re.compile(r"Page \d+ of \d+\s+(\S.*?)\s*$")  # the regional workbook's footer ends with the sheet name


def printed_by_sheet(pdf: Path) -> dict[str, str]:
    """{sheet: its pages' text}, the sheet read from each page's footer; {"": all text} without such footers."""
    pages = pdf_text(pdf).split("\f")
    out: dict[str, str] = {}
    for page in pages:
        lines = [line for line in page.splitlines() if line.strip()]
        found = FOOTER.search(lines[-1]) if lines else None
        if found is None and lines:
            return {"": "\n".join(pages)}
        if found is not None:
            out[found[1]] = out.get(found[1], "") + "\n" + page
    return out


def missing_words(printed: list[list[str]], pdf: Path) -> list[str]:
    """The words a sheet's cells show that its printed pages do not hold as often (a word shown twice must print
    twice), each with how many are missing and the first cells holding it."""
    pages = printed_by_sheet(pdf)
    need: dict[str, Counter[str]] = {}
    for sheet, _, text in printed:
        key = sheet if "" not in pages else ""
        need[key] = need.get(key, Counter()) + words(text)
    out = []
    for key, counts in need.items():
        have = words(pages.get(key, ""))
        for word, n in sorted(counts.items()):
            if have[word] < n:
                cells = [f"{s}!{ref}" for s, ref, text in printed if (key in ("", s)) and word in words(text)]
                out.append(f"{word!r}: {n - have[word]} of {n} missing ({', '.join(cells[:3])})")
    return out


@pytest.fixture(scope="module")
def rendered(libreoffice, tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> dict[str, object]:
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.fail("poppler-utils (pdftotext, pdfinfo) is needed with LibreOffice: apt-get install -y poppler-utils")
    base = tmp_path_factory.mktemp("render")
    regional = base / "regional-2026.xlsx"
    result = run_cli("consolidate", SAMPLES, "--previous", SAMPLES / "regional-2025.xlsx", "--output", regional)
    assert result.exit_code == 1, result.output  # Thailand's sample leaves two criteria blank
    blank, lao = base / "questionnaire.xlsx", base / "questionnaire-lao.xlsx"
    write_questionnaire(catalogue, blank, country=None, year=2026)
    write_questionnaire(catalogue, lao, country=catalogue.country("LA"), year=2026)
    filled = base / "return-thailand.xlsx"
    shutil.copy(SAMPLES / "RAI-readiness-2026-Thailand.xlsx", filled)
    troubled = _troubled_round(base / "troubled", catalogue)
    names = load_workbook(regional, read_only=True).sheetnames
    pack = names[: names.index("Criteria") + 1] + [n for n in names if n.endswith(" profile")]
    books = {
        "regional": regional,
        "troubled": troubled,
        "questionnaire": blank,
        "questionnaire-lao": lao,
        "return": filled,
    }
    # The regional workbook's trackers print 17-21 pages each and are laid out alike: two of them (Lao and
    # Thai text) stand for all; the pack's sheets are checked in the pack's own job.
    trackers = {c.name[:31] for c in catalogue.countries}
    kept_trackers = {"Lao PDR", "Thailand"}
    shown = {
        "regional": [n for n in names if n not in pack and (n not in trackers or n in kept_trackers)],
        "troubled": [n for n in load_workbook(troubled, read_only=True).sheetnames if n not in trackers or n == "Lao PDR"],
    }
    jobs = [
        {"input": str(p), "save": [[str(base / f"{k}.pdf"), "pdf"]], "printed_text": True, "no_print_titles": True}
        | ({"show_only": shown[k]} if k in shown else {})
        for k, p in books.items()
    ]
    jobs.append({"input": str(regional), "show_only": pack, "save": [[str(base / "pack.pdf"), "pdf"]], "printed_text": True})
    results = libreoffice(jobs)
    out: dict[str, object] = {"pack_sheets": pack}
    for (key, _), res in zip([*books.items(), ("pack", regional)], results, strict=True):
        out[key] = (base / f"{key}.pdf", res["printed"])
    return out


def _troubled_round(folder: Path, catalogue: Catalogue) -> Path:
    """A round with what the samples lack: a conflict, a blank return, a refused answer, a pillar left blank."""
    folder.mkdir()
    full = {f"Q{i}": 3.0 for i in range(1, 41)}

    def make(file: str, code: str, answers: dict[str, str], **respondent: str) -> None:
        path = folder / file
        write_questionnaire(catalogue, path, country=catalogue.country(code), year=2026)
        fill(path, answers, {}, {**RESPONDENT, **respondent})

    make("la-a.xlsx", "LA", labels_for(catalogue, full), name="Somphone Keomany")
    make("la-b.xlsx", "LA", labels_for(catalogue, dict.fromkeys(full, 0.0)), name="Somphone Keomany")
    make("kh.xlsx", "KH", {}, name="Sokha Pich", email="sokha.pich@example.gov.kh")
    make("vn.xlsx", "VN", labels_for(catalogue, full) | {"Q3": "Perhaps", "Q12": "=1+1"}, name="Nguyen Van A")
    no_pillar_3 = {k: v for k, v in full.items() if not 21 <= int(k[1:]) <= 30} | {"Q1": 1.5, "Q2": 0.0}
    make("th.xlsx", "TH", labels_for(catalogue, no_pillar_3), name="สมชาย ใจดี", agency="สำนักงานพัฒนาธุรกรรมทางอิเล็กทรอนิกส์")
    for sample in ("Brunei-Darussalam", "Singapore"):
        shutil.copy(SAMPLES / f"RAI-readiness-2026-{sample}.xlsx", folder)
    out = folder.parent / "troubled.xlsx"
    assert run_cli("consolidate", folder, "--output", out).exit_code == 1
    return out


@pytest.mark.parametrize("book", ["regional", "troubled", "questionnaire", "questionnaire-lao", "return"])
def test_every_printed_cell_is_whole_in_the_pdf(rendered: dict[str, object], book: str) -> None:
    pdf, printed = rendered[book]  # type: ignore[misc]
    assert len(printed) > 100  # the driver read the cells a print shows
    assert missing_words(printed, pdf) == []


def test_the_tables_for_other_tools_are_not_printed(rendered: dict[str, object]) -> None:
    _, printed = rendered["regional"]  # type: ignore[misc]
    for name in ("Scores", "Answers", "Checklist", "History", "Answer history", "Progress"):
        rows = {re.sub(r"[A-Z]+", "", ref) for sheet, ref, _ in printed if sheet == name}
        assert rows == {"1"}, name  # the header row only, under a page header saying what the sheet is for
    text = pdf_text(rendered["regional"][0])  # type: ignore[index]
    assert text.count("Not for printing: a machine-readable table for other tools.") == 6  # Progress: the samples


def test_the_meeting_pack_prints_short(rendered: dict[str, object]) -> None:
    pdf, printed = rendered["pack"]  # type: ignore[misc]
    sheets = rendered["pack_sheets"]
    profiles = [s for s in sheets if s.endswith(" profile")]  # type: ignore[union-attr]
    assert sheets[:2] == ["Overview", "Criteria"] and len(profiles) == 11  # type: ignore[index]
    most = PACK_PAGES["overview"] + PACK_PAGES["criteria"] + PACK_PAGES["profile"] * len(profiles)
    assert most == 27
    assert pdf_pages(pdf) <= most
    assert {s for s, _, _ in printed} == set(sheets)  # type: ignore[arg-type]
    assert missing_words(printed, pdf) == []
