"""`rai-xl pack`: the meeting pack typeset as a PDF from the regional workbook, read back with PyMuPDF."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from datetime import date
from pathlib import Path

import openpyxl
import pymupdf
import pytest

from rai_xl.core.pack import tier_rule_short
from rai_xl.method.catalogue import Catalogue
from rai_xl.write.pack import FONTS
from tests.helpers import band_text, checklist_all_row, page_of
from tests.helpers import run_unchecked as run

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def regional(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The regional workbook of the 11 samples, carried from the 2025 sample with its progress returns."""
    out = tmp_path_factory.mktemp("pack") / "regional-2026.xlsx"
    result = run("consolidate", SAMPLES, "--previous", SAMPLES / "regional-2025.xlsx", "--output", out)
    assert result.exit_code == 1, result.output  # the Thailand sample is incomplete on purpose
    return out


@pytest.fixture(scope="session")
def pack(regional: Path) -> Path:
    out = regional.with_name("pack-2026.pdf")
    result = run("pack", regional, "--output", out)
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"wrote .*pack-2026\.pdf: the meeting pack for 2026, \d+ pages\n", result.output)
    return out


@pytest.fixture(scope="session")
def doc(pack: Path) -> pymupdf.Document:
    return pymupdf.open(pack)


def scores(regional: Path) -> list[dict[str, object]]:
    """The rows of the workbook's `Scores` table, by header."""
    ws = openpyxl.load_workbook(regional, read_only=True)["Scores"]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:] if r[0]]


def shows(found: list[str], wanted: list[str]) -> bool:
    """Whether every word of *wanted* is in *found*, and its numbers (the scores) in that order, left to right."""
    it = iter(found)
    numbers = [w for w in wanted if w[0].isdigit()]
    return Counter(wanted) <= Counter(found) and all(any(w == f for f in it) for w in numbers)


def expected(row: dict[str, object]) -> list[str]:
    """What a tier cell shows of a `Scores` row: its score and tier, and '(provisional)' when incomplete."""
    if row["Tier"] in (None, ""):
        return ["not", "answered"]
    return [f"{row['Score']:g}", str(row["Tier"])] + ([] if row["Complete"] else ["(provisional)"])


def test_every_score_tier_and_country_is_on_the_overview_tier_table(
    doc: pymupdf.Document, regional: Path, catalogue: Catalogue
) -> None:
    page = doc[0]
    top = page.search_for("Tier table")[0].y1
    bottom = page.search_for("Tier distribution")[0].y0
    rows = scores(regional)
    anchors = []
    for c in catalogue.countries:  # in ASEAN order, down the table
        hits = [r for r in page.search_for(c.name) if top < r.y0 < bottom and r.x0 < 80]
        assert hits, c.name
        anchors.append((c, hits[0]))
    assert [a[1].y0 for a in anchors] == sorted(a[1].y0 for a in anchors)
    for (c, at), nxt in zip(anchors, [*(a[1].y0 for a in anchors[1:]), bottom], strict=True):
        words = band_text(page, at.y0 - 2, nxt - 2, at.x1)
        mine = sorted((r for r in rows if r["Country code"] == c.code), key=lambda r: r["Pillar"])
        assert len(mine) == 4
        want = [w for r in mine for w in expected(r)]
        assert shows(words, want), (c.name, words, want)


def test_every_score_and_tier_is_on_its_profile(doc: pymupdf.Document, regional: Path, catalogue: Catalogue) -> None:
    rows = scores(regional)
    for c in catalogue.countries:
        page = page_of(doc, f"{c.name}: readiness 2026")
        top = page.search_for("Scores and tiers")[0].y1
        anchors = [page.search_for(f"{p.number}. {p.name}")[0] for p in catalogue.pillars]
        ends = [*(a.y0 for a in anchors[1:]), page.search_for("The tier rule")[0].y0]
        for p, at, end in zip(catalogue.pillars, anchors, ends, strict=True):
            assert at.y0 > top
            row = next(r for r in rows if r["Country code"] == c.code and r["Pillar"] == p.number)
            words = band_text(page, at.y0 - 2, end - 2, 290)
            assert shows(words, expected(row)), (c.name, p.number, words)


def test_the_pack_is_at_most_30_pages_a_profile_a_page_criteria_landscape(
    doc: pymupdf.Document, catalogue: Catalogue
) -> None:
    assert doc.page_count <= 30
    for c in catalogue.countries:
        at = page_of(doc, f"{c.name}: readiness 2026").number
        following = doc[at + 1].get_text()
        assert "readiness 2026" in following or "Methodology" in following, f"{c.name}'s profile runs over a page"
    criteria = [p for p in doc if "Criteria, pillar" in p.get_text()]
    assert len(criteria) == 4 and all(p.rect.width > p.rect.height for p in criteria)
    assert "●" in criteria[0].get_text()  # answers changed since 2025 are marked


def test_the_tier_rule_is_printed(doc: pymupdf.Document, catalogue: Catalogue) -> None:
    text = " ".join(" ".join(p.get_text().split()) for p in doc)
    assert catalogue.tier_rule in text
    assert tier_rule_short(catalogue) == (
        "Advanced from 21 points, Promising from 11, Emerging below 11: 10.5 Emerging, 19.5 Promising and 21 Advanced"
    )
    assert tier_rule_short(catalogue) in text


def test_type_is_at_least_8_pt_and_inside_the_page(doc: pymupdf.Document) -> None:
    sizes = []
    for page in doc:
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    if not span["text"].strip():
                        continue
                    sizes.append(span["size"])
                    box = pymupdf.Rect(span["bbox"])
                    assert box in pymupdf.Rect(
                        page.rect.x0 - 0.5, page.rect.y0 - 0.5, page.rect.x1 + 0.5, page.rect.y1 + 0.5
                    ), (page.number, span["text"], box)
    assert min(sizes) >= 8 - 0.01


def test_the_fonts_embedded_are_the_shipped_ones(doc: pymupdf.Document) -> None:
    shipped = {f.stem for f in FONTS.glob("*.ttf")}
    used = {name.split("+", 1)[-1] for page in doc for (_, ext, _, name, *_) in page.get_fonts() if ext != "n/a"}
    assert used and used <= shipped, used - shipped
    assert {"NotoSans-Regular", "NotoSans-Bold", "NotoSansSymbols2-Regular"} <= used  # ● ▲ ▼ from the symbols font
    assert all(ext != "n/a" for page in doc for (_, ext, *_) in page.get_fonts())  # every font embedded


def test_metadata_and_two_runs_give_the_same_bytes(pack: Path, regional: Path, doc: pymupdf.Document) -> None:
    again = pack.with_name("again.pdf")
    assert run("pack", regional, "--output", again).exit_code == 0
    assert again.read_bytes() == pack.read_bytes()
    meta = doc.metadata
    assert meta["title"] == "ASEAN Responsible AI readiness 2026: Meeting pack"
    assert meta["author"] and meta["creationDate"].startswith("D:2026")  # the workbook's date, not the clock
    assert b"/Lang (en-GB)" in pack.read_bytes() or b"en-GB" in pack.read_bytes()


def test_a_brief(regional: Path, catalogue: Catalogue) -> None:
    out = regional.with_name("brief-LA.pdf")
    result = run("pack", regional, "--country", "Laos", "--output", out)
    assert result.exit_code == 0, result.output
    assert "the brief of Lao PDR for 2026" in result.output
    brief = pymupdf.open(out)
    text = " ".join(p.get_text() for p in brief)
    assert brief.page_count <= 4
    assert (
        "Lao PDR: readiness 2026" in text and "Lao PDR: the action plan" in text and "Milestones due by 2027-12-31" in text
    )
    assert not any(f"{c.name}: readiness" in text for c in catalogue.countries if c.code != "LA")
    assert brief.metadata["title"] == "ASEAN Responsible AI readiness 2026: Lao PDR: country brief"


def damaged(regional: Path, tmp: Path) -> Path:
    """The regional workbook with one History score changed, as a careless edit would."""
    wb = openpyxl.load_workbook(regional)
    ws = wb["History"]
    ws.cell(ws.max_row, 5).value = 29.5
    out = tmp / "damaged.xlsx"
    wb.save(out)
    return out


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda r, t: SAMPLES / "RAI-readiness-2026-Lao-PDR.xlsx", "is a rai-xl questionnaire (a return), not a regional"),
        (lambda r, t: (t / "notes.xlsx").write_bytes(b"not a workbook") and t / "notes.xlsx", "cannot be read"),
        (damaged, "the workbook is damaged"),
    ],
)
def test_bad_input_is_one_line_exit_1_and_no_pdf(regional: Path, tmp_path: Path, make, said: str) -> None:
    source = make(regional, tmp_path)
    out = tmp_path / "pack.pdf"
    result = run("pack", source, "--output", out)
    assert result.exit_code == 1, result.output
    assert said in result.output and source.name in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert not out.exists() and not list(tmp_path.glob(".rai-xl-*"))


def test_usage_errors_exit_2(regional: Path, pack: Path) -> None:
    assert run("pack", regional, "--output", regional.with_suffix(".docx")).exit_code == 2
    assert run("pack", regional, "--output", pack).exit_code == 2  # exists: --force to replace it
    result = run("pack", regional, "--output", regional, "--force")
    assert result.exit_code == 2 and "must end in .pdf" in result.output


def test_a_status_typed_after_consolidation_shows_in_checklist_progress(regional: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(regional)
    ws = wb["Brunei Darussalam"]
    assert ws["F8"].value == "P1.3.1.S1" and ws["G5"].value == "Status"
    ws["G8"] = "Completed"
    ws["G9"] = "In progress"
    edited = tmp_path / "regional-2026.xlsx"
    wb.save(edited)
    out = tmp_path / "pack.pdf"
    assert run("pack", edited, "--output", out).exit_code == 0
    assert checklist_all_row(out, "Brunei Darussalam") == [365, 0, 1, 1, 0, 0, 367]


def test_pages_render_to_png(pack: Path, tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftoppm must run in CI: apt-get install -y poppler-utils")
        pytest.skip("pdftoppm is not installed: apt-get install -y poppler-utils")
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "8", str(pack), str(tmp_path / "p")], check=True)
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == 8 and all(p.stat().st_size > 2000 for p in pngs)


SCRIPTS = {
    "MM": "ဒစ်ဂျစ်တယ်စီးပွားရေးဝန်ကြီးဌာန",
    "KH": "ក្រសួងប្រៃសណីយ៍និងទូរគមនាគមន៍",
    "TH": "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
    "LA": "ກະຊວງເຕັກໂນໂລຊີ ແລະ ການສື່ສານ",
    "VN": "Bộ Khoa học và Công nghệ",
}


def test_a_brief_in_every_script(regional: Path, tmp_path: Path) -> None:
    """Lead agencies typed in Burmese, Khmer, Thai, Lao and Vietnamese are set in the shipped fonts; Thai,
    Lao and Vietnamese stay searchable."""
    wb = openpyxl.load_workbook(regional)
    ws = wb["Myanmar"]
    heads = {c.value: c.column for c in ws[5] if c.value}
    rows = [r for r in range(6, ws.max_row + 1) if ws.cell(r, heads["Milestone ID"]).value][: len(SCRIPTS)]
    for r, text in zip(rows, SCRIPTS.values(), strict=True):
        ws.cell(r, heads["Lead agency"]).value = text
        ws.cell(r, heads["Target date"]).value = date(2027, 3, 1)
    edited = tmp_path / "regional-2026.xlsx"
    wb.save(edited)
    out = tmp_path / "brief.pdf"
    assert run("pack", edited, "--country", "MM", "--output", out).exit_code == 0
    brief = pymupdf.open(out)
    text = "".join(p.get_text().replace("\n", "") for p in brief)
    for code in ("TH", "LA", "VN"):
        assert SCRIPTS[code].replace(" ", "") in text.replace(" ", ""), code
    used = {name.split("+", 1)[-1] for p in brief for (_, _, _, name, *_) in p.get_fonts()}
    assert {"NotoSansMyanmar-Regular", "NotoSansKhmer-Regular", "NotoSansThai-Regular", "NotoSansLao-Regular"} <= used
