"""Build N realistic returned questionnaires for the benchmarks, into benchmarks/_work/corpus-N/.

Usage: python benchmarks/make_corpus.py N [N ...] [--force]

The returns are made from a small set of base files, each saved by a real spreadsheet program:

* the 11 bundled samples (samples/*.xlsx: rai-xl's questionnaire, filled and saved by openpyxl,
  which writes inline strings);
* when LibreOffice is installed (``soffice``), two samples re-saved by LibreOffice Calc as .xlsx
  (shared strings, LibreOffice's own styles and attributes) and one saved as .ods.

Return i starts from base ``i % len(bases)``; its Criteria sheet is then rewritten in place, at
the XML level, with different answers, evidence and comments, the way the program that saved
the base would have stored them (a shared string for a LibreOffice .xlsx, an inline string for
an openpyxl one, text paragraphs for an .ods). The other parts stay byte for byte as the program
wrote them. Rewriting the XML directly builds 1,000 returns in a few seconds, where filling each
one with openpyxl would take minutes.

The answers are varied realistically: every tier, a quarter of returns with a few answers left
blank, and a few returns with the small slips officials make (a label typed in lower case or with
a trailing non-breaking space, which rai-xl accepts with a warning; an answer that is not one of
the three allowed, which makes the return invalid). Evidence ranges from nothing to several lines
of document titles and links, in English and in the region's scripts.

A manifest beside each corpus (corpus-N.json) records how it was made; a corpus whose manifest
still matches is reused, not rebuilt. Every 10th return is read back with rai-xl and checked
against what was written.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from rai_xl.read.spreadsheet import column_number

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work"
SAMPLES = ROOT / "samples"
GENERATOR = 1  # bump when the way returns are made changes: cached corpora are then rebuilt

LO_XLSX = ("Philippines", "Thailand")  # samples re-saved by LibreOffice as .xlsx
LO_ODS = ("Viet-Nam",)  # and as .ods

# Criteria sheet columns (rai_xl.identity.CRITERIA_COLUMNS): ID A, Answer D, Evidence F, Comments G.
ANSWER_COL, EVIDENCE_COL, COMMENTS_COL = 4, 6, 7

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass(frozen=True)
class Base:
    path: Path
    kind: str  # "openpyxl" or "libreoffice"

    @property
    def tag(self) -> str:
        country = self.path.stem.removeprefix("RAI-readiness-2026-")
        return f"{self.kind}-{country}{self.path.suffix}"


# ---------------------------------------------------------------- base files


def _soffice(fmt: str, files: list[Path], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    cmd = [
        "soffice",
        f"-env:UserInstallation=file://{WORK / 'lo-profile'}",
        "--headless",
        "--convert-to",
        fmt,
        "--outdir",
        str(out),
        *map(str, files),
    ]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)


def base_files() -> list[Base]:
    """The samples, plus LibreOffice re-saves of a few of them when soffice is installed (cached)."""
    samples = sorted(SAMPLES.glob("RAI-readiness-*.xlsx"))
    if len(samples) != 11:
        sys.exit(f"expected the 11 sample returns in {SAMPLES}, found {len(samples)}")
    bases = [Base(p, "openpyxl") for p in samples]
    if shutil.which("soffice") is None:
        print("make_corpus: soffice not found; using the openpyxl-saved samples only", file=sys.stderr)
        return bases
    lo = WORK / "bases-libreoffice"
    for fmt, countries in (("xlsx", LO_XLSX), ("ods", LO_ODS)):
        wanted = [SAMPLES / f"RAI-readiness-2026-{c}.xlsx" for c in countries]
        made = [lo / fmt / f"{p.stem}.{fmt}" for p in wanted]
        if not all(
            m.exists() and m.stat().st_mtime >= p.stat().st_mtime and _same_answers(m, p)
            for m, p in zip(made, wanted, strict=True)
        ):
            _soffice(fmt, wanted, lo / fmt)
            bad = [m for m, p in zip(made, wanted, strict=True) if not _same_answers(m, p)]
            if bad:
                sys.exit(f"make_corpus: LibreOffice's {bad[0]} is not the questionnaire it was made from")
        bases.extend(Base(m, "libreoffice") for m in made)
    return bases


def _same_answers(path: Path, source: Path) -> bool:
    """Whether a base reads as the filled questionnaire it was made from: the same answers.

    (A LibreOffice started while its first profile is still being made has written .ods files with
    every sheet empty; such a base would make a corpus whose returns all fail to read.)
    """
    from rai_xl.method.catalogue import load_catalogue
    from rai_xl.read.returns import read_return

    catalogue = load_catalogue()
    return path.exists() and read_return(path, catalogue).answers == read_return(source, catalogue).answers != {}


# ---------------------------------------------------------------- what to write


EVIDENCE_TITLES = (
    "National Artificial Intelligence Strategy 2021–2025",
    "Personal Data Protection Act B.E. 2562 (2019), sections 26–28",
    "Ministerial Regulation on Government Data Governance",
    "Cabinet resolution on the national AI ethics guidelines",
    "Digital Economy Masterplan, chapter 4 (AI and data)",
    "Draft AI governance framework, public consultation version",
    "Annual report of the national cybersecurity agency",
    "Guidelines on the responsible use of generative AI in the public service",
    "Memorandum of understanding with the national university consortium",
    "Budget law 2026, line item for AI research and development",
)
EVIDENCE_LOCAL = (
    "ยุทธศาสตร์ปัญญาประดิษฐ์แห่งชาติ พ.ศ. 2565–2570",
    "Chiến lược quốc gia về nghiên cứu, phát triển và ứng dụng Trí tuệ nhân tạo đến năm 2030",
    "យុទ្ធសាស្ត្រជាតិស្តីពីបញ្ញាសិប្បនិម្មិត",
    "ຍຸດທະສາດປັນຍາປະດິດແຫ່ງຊາດ",
    "Strategi Nasional Kecerdasan Artifisial Indonesia 2020–2045",
    "ပုဂ္ဂိုလ်ရေးအချက်အလက် ကာကွယ်ရေး ဥပဒေ",
    "Pelan Hala Tuju Kecerdasan Buatan Kebangsaan 2021–2025",
)
COMMENTS = (
    "Under review by the ministry; an update is expected next quarter.",
    "Answer agreed at the inter-agency meeting of 12 March.",
    "Partly: the framework covers the public sector only.",
    "See the attached annex for the list of agencies consulted.",
    "Draft law submitted to parliament; not yet passed.",
    "Bộ Khoa học và Công nghệ đang hoàn thiện dự thảo.",
)


def _evidence(rng: random.Random) -> str:
    """One evidence entry: a title, a title and a link, or several lines of them."""
    lines = []
    for _ in range(rng.choice((1, 1, 1, 2, 3, 5))):
        title = rng.choice(EVIDENCE_LOCAL if rng.random() < 0.25 else EVIDENCE_TITLES)
        if rng.random() < 0.5:
            title += f" — https://www.example.gov/docs/{rng.randrange(10**6):06d}.pdf"
        if rng.random() < 0.2:
            title += f" (accessed {rng.randrange(1, 29)} March 2026; p. {rng.randrange(1, 300)})"
        lines.append(title)
    return "\n".join(lines)


@dataclass
class Plan:
    """What one return holds, by criterion id: None for a blank cell."""

    answers: dict[str, str | None]
    evidence: dict[str, str | None]
    comments: dict[str, str | None]
    expected: dict[str, str]  # the answer codes rai-xl should read


def plan_for(catalogue, rng: random.Random) -> Plan:
    lean = rng.choice(((0.6, 0.3, 0.1), (0.3, 0.4, 0.3), (0.1, 0.3, 0.6), (0.34, 0.33, 0.33)))
    evidence_share = rng.choice((0.0, 0.2, 0.5, 0.8, 1.0))
    blank_share = rng.choice((0.0, 0.0, 0.0, 0.05))  # a quarter of returns leave a few answers blank
    answers: dict[str, str | None] = {}
    evidence: dict[str, str | None] = {}
    comments: dict[str, str | None] = {}
    expected: dict[str, str] = {}
    for c in catalogue.criteria:
        if rng.random() < blank_share:
            answers[c.id] = None
        else:
            a = rng.choices(c.answers, weights=lean)[0]
            answers[c.id] = a.label
            expected[c.id] = a.code
        evidence[c.id] = _evidence(rng) if answers[c.id] and rng.random() < evidence_share else None
        comments[c.id] = rng.choice(COMMENTS) if rng.random() < 0.08 else None
    slip = rng.random()
    chosen = rng.choice([c for c in catalogue.criteria if answers[c.id]])
    if slip < 0.04:  # accepted with a warning
        answers[chosen.id] = rng.choice((str(answers[chosen.id]).lower(), f"{answers[chosen.id]}\u00a0"))
    elif slip < 0.06:  # not an allowed answer: the return is invalid
        answers[chosen.id] = "Yes, partially (see comments)"
        del expected[chosen.id]
    return Plan(answers, evidence, comments, expected)


# ---------------------------------------------------------------- xlsx rewriting


ROW_RE = re.compile(r'<row r="(\d+)"([^>]*?)(?:/>|>(.*?)</row>)', re.S)
CELL_RE = re.compile(r'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>.*?</c>)', re.S)
STYLE_RE = re.compile(r'\ss="\d+"')


class SharedStrings:
    """xl/sharedStrings.xml as a LibreOffice- or Excel-saved file has it, to look up and add strings."""

    def __init__(self, xml: str) -> None:
        start = xml.index("<si>") if "<si>" in xml else xml.index("</sst>")
        self.head, self.items = xml[:start], re.findall(r"<si>.*?</si>", xml, re.S)
        self.index: dict[str, int] = {}
        for i, si in enumerate(self.items):
            m = re.fullmatch(r"<si><t(?: xml:space=\"preserve\")?>([^<]*)</t></si>", si)
            if m:
                self.index.setdefault(_unescape(m.group(1)), i)
        self.added_refs = 0

    def ref(self, text: str) -> int:
        self.added_refs += 1
        if text not in self.index:
            self.index[text] = len(self.items)
            self.items.append(f'<si><t xml:space="preserve">{_esc(text)}</t></si>')
        return self.index[text]

    def xml(self) -> str:
        head = re.sub(r'uniqueCount="\d+"', f'uniqueCount="{len(self.items)}"', self.head)
        head = re.sub(r'\scount="(\d+)"', lambda m: f' count="{int(m.group(1)) + self.added_refs}"', head, count=1)
        return head + "".join(self.items) + "</sst>"


def _esc(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _unescape(text: str) -> str:
    return ElementTree.fromstring(f"<x>{text}</x>").text or ""


def _xlsx_cell(ref: str, attrs: str, text: str | None, sst: SharedStrings | None) -> str:
    style = m.group(0) if (m := STYLE_RE.search(attrs)) else ""
    if text is None:
        return f'<c r="{ref}"{style}/>'
    if sst is not None:
        return f'<c r="{ref}"{style} t="s"><v>{sst.ref(text)}</v></c>'
    return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{_esc(text)}</t></is></c>'


def _criteria_part(parts: dict[str, bytes]) -> str:
    book = ElementTree.fromstring(parts["xl/workbook.xml"])
    rels = ElementTree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(REL + "Relationship")}
    for s in book.iter(MAIN + "sheet"):
        if s.get("name") == "Criteria":
            target = targets[s.get(R_ID)]
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    raise ValueError("no Criteria sheet")


def rewrite_xlsx(parts: dict[str, bytes], plan: Plan, rows: dict[str, int]) -> None:
    """Put the plan's answers, evidence and comments into the Criteria sheet of an xlsx, in place."""
    part = _criteria_part(parts)
    sst = SharedStrings(parts["xl/sharedStrings.xml"].decode()) if "xl/sharedStrings.xml" in parts else None
    by_row = {row: cid for cid, row in rows.items()}

    def one_row(m: re.Match[str]) -> str:
        number = int(m.group(1))
        cid = by_row.get(number)
        if cid is None:
            return m.group(0)
        cells = {column_number(c.group(1)): (c.group(0), c.group(3)) for c in CELL_RE.finditer(m.group(3) or "")}
        for col, text in (
            (ANSWER_COL, plan.answers[cid]),
            (EVIDENCE_COL, plan.evidence[cid]),
            (COMMENTS_COL, plan.comments[cid]),
        ):
            attrs = cells.get(col, ("", ""))[1]
            cells[col] = (_xlsx_cell(f"{chr(64 + col)}{number}", attrs, text, sst), "")
        body = "".join(xml for _, (xml, _) in sorted(cells.items()))
        return f'<row r="{number}"{m.group(2)}>{body}</row>'

    parts[part] = ROW_RE.sub(one_row, parts[part].decode()).encode()
    if sst is not None:
        parts["xl/sharedStrings.xml"] = sst.xml().encode()


# ---------------------------------------------------------------- ods rewriting


ODS_ROW_RE = re.compile(r"<table:table-row\b([^>]*?)(?:/>|>(.*?)</table:table-row>)", re.S)
ODS_CELL_RE = re.compile(r"<table:(covered-table-cell|table-cell)\b([^>]*?)(?:/>|>(.*?)</table:\1>)", re.S)
REPEAT_RE = re.compile(r'\stable:number-columns-repeated="(\d+)"')
VALUE_ATTR_RE = re.compile(r'\s(?:office|calcext):(?:value-type|string-value|value)="[^"]*"')


def _odf_line(line: str) -> str:
    """One paragraph of text, with runs of spaces written the ODF way (<text:s/>)."""
    out = _esc(line)
    out = re.sub(r"  +", lambda m: " " + f'<text:s text:c="{len(m.group(0)) - 1}"/>', out)
    if out.startswith(" "):
        out = "<text:s/>" + out[1:]
    return f"<text:p>{out}</text:p>"


def _ods_cell(attrs: str, text: str | None) -> str:
    attrs = VALUE_ATTR_RE.sub("", attrs)
    if text is None:
        return f"<table:table-cell{attrs}/>"
    body = "".join(_odf_line(line) for line in text.split("\n"))
    return f'<table:table-cell{attrs} office:value-type="string" calcext:value-type="string">{body}</table:table-cell>'


def rewrite_ods(parts: dict[str, bytes], plan: Plan) -> None:
    """Put the plan's answers, evidence and comments into the Criteria table of an ods, in place."""
    xml = parts["content.xml"].decode()
    start = xml.index('<table:table table:name="Criteria"')
    end = xml.index("</table:table>", start)

    def one_row(m: re.Match[str]) -> str:
        cells = [(c.group(0), c.group(2)) for c in ODS_CELL_RE.finditer(m.group(2) or "")]
        first = re.search(r"<text:p>(Q\d+)</text:p>", cells[0][0]) if cells else None
        if first is None or first.group(1) not in plan.answers:
            return m.group(0)
        cid = first.group(1)
        flat: list[tuple[str, str]] = []  # one (xml, attrs) per column, small repeats expanded
        for cell_xml, attrs in cells:
            rep = REPEAT_RE.search(attrs)
            n = int(rep.group(1)) if rep else 1
            if n > 1 and len(flat) < COMMENTS_COL:  # split off the columns up to G
                single = REPEAT_RE.sub("", attrs)
                one = re.sub(r"^<table:table-cell\b[^>]*?(/?>)", f"<table:table-cell{single}\\1", cell_xml)
                k = min(n, COMMENTS_COL - len(flat))
                flat.extend([(one, single)] * k)
                if n > k:
                    rest = REPEAT_RE.sub(f' table:number-columns-repeated="{n - k}"', cell_xml, count=1)
                    flat.append((rest, attrs))
            else:
                flat.append((cell_xml, attrs))
        while len(flat) < COMMENTS_COL:
            flat.append(("<table:table-cell/>", ""))
        for col, text in (
            (ANSWER_COL, plan.answers[cid]),
            (EVIDENCE_COL, plan.evidence[cid]),
            (COMMENTS_COL, plan.comments[cid]),
        ):
            flat[col - 1] = (_ods_cell(flat[col - 1][1], text), "")
        return f"<table:table-row{m.group(1)}>{''.join(x for x, _ in flat)}</table:table-row>"

    parts["content.xml"] = (xml[:start] + ODS_ROW_RE.sub(one_row, xml[start:end]) + xml[end:]).encode()


# ---------------------------------------------------------------- the corpus


def _criteria_rows(base: Path, catalogue) -> dict[str, int]:
    from rai_xl.read.returns import read_return

    sub = read_return(base, catalogue)
    return {cid: int(re.sub(r"^[A-Z]+", "", ref)) for cid, ref in sub.answer_cells.items()}


def _write(base: Path, out: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, parts[info.filename])


def _manifest(n: int, bases: list[Base]) -> dict:
    return {
        "generator": GENERATOR,
        "n": n,
        "bases": {b.tag: hashlib.sha256(b.path.read_bytes()).hexdigest() for b in bases},
    }


def corpus(n: int, force: bool = False) -> Path:
    """benchmarks/_work/corpus-N with N returns, built now unless an up-to-date one is there."""
    from rai_xl.method.catalogue import load_catalogue

    out = WORK / f"corpus-{n}"
    stamp = WORK / f"corpus-{n}.json"
    bases = base_files()
    manifest = _manifest(n, bases)
    fresh = not force and stamp.exists() and json.loads(stamp.read_text()) == manifest and out.is_dir()
    if fresh and len([p for p in out.iterdir() if p.is_file()]) == n:
        return out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    stamp.unlink(missing_ok=True)
    catalogue = load_catalogue()
    loaded = []
    for b in bases:
        with zipfile.ZipFile(b.path) as zf:
            parts = {i.filename: zf.read(i) for i in zf.infolist()}
        rows = {} if b.path.suffix == ".ods" else _criteria_rows(b.path, catalogue)
        loaded.append((b, parts, rows))
    plans = {}
    for i in range(n):
        b, parts, rows = loaded[i % len(loaded)]
        rng = random.Random(f"rai-xl corpus {i}")
        plan = plan_for(catalogue, rng)
        mine = dict(parts)
        if b.path.suffix == ".ods":
            rewrite_ods(mine, plan)
        else:
            rewrite_xlsx(mine, plan, rows)
        path = out / f"{i:04d}-{b.tag}"
        _write(b.path, path, mine)
        plans[path] = plan
    check(plans, catalogue)
    stamp.write_text(json.dumps(manifest, indent=1))
    return out


def check(plans: dict[Path, Plan], catalogue) -> None:
    """Read back every 10th return with rai-xl: the answers and evidence must be what was written."""
    from rai_xl.read.returns import read_return

    for k, (path, plan) in enumerate(plans.items()):
        if k % 10:
            continue
        sub = read_return(path, catalogue)
        evidence = {cid: text or "" for cid, text in plan.evidence.items()}
        if sub.answers != plan.expected or sub.evidence != evidence:
            raise SystemExit(f"make_corpus: {path} does not read back as written: {sub.reason()}")


def main(argv: list[str]) -> None:
    force = "--force" in argv
    sizes = [int(a) for a in argv if a != "--force"]
    if not sizes:
        sys.exit(__doc__.split("\n\n")[1])
    for n in sizes:
        path = corpus(n, force)
        kinds: dict[str, int] = {}
        for p in path.iterdir():
            key = f"{p.name.split('-')[1]} {p.suffix}"
            kinds[key] = kinds.get(key, 0) + 1
        print(f"{path}: {n} returns ({', '.join(f'{v} {k}' for k, v in sorted(kinds.items()))})")


if __name__ == "__main__":
    main(sys.argv[1:])
