"""Typeset the meeting pack (`rai-xl pack`) as a PDF with typst, from the plain data of rai_xl.core.pack.

The layout is the typst template shipped as package data (rai_xl/data/pack/pack.typ); the data goes in as
JSON; the fonts are the ones shipped beside the template, and only those (no system font, no font built
into typst), so the same workbook gives the same bytes on every machine.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import typst

from rai_xl.write.kit import POINT_FILL, TIER_FILL
from rai_xl.write.outputs import write_atomically

HERE = Path(__file__).resolve().parents[1] / "data" / "pack"
TEMPLATE = HERE / "pack.typ"
FONTS = HERE / "fonts"
TIER_BAR = {"Advanced": "#4E9A5B", "Promising": "#E3B43C", "Emerging": "#D9774B"}  # the charts' stronger shades
PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")  # a page object of the PDF typst writes (uncompressed dictionaries)
POINTS_LEGEND = "3 full, 1.5 partial, 0 none"


@cache
def shipped_fonts() -> typst.Fonts:
    """The fonts the pack may use: the shipped ones only."""
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(FONTS)])


def typeset(document: dict[str, Any]) -> bytes:
    """The PDF of *document* (rai_xl.core.pack.build_pack's result)."""
    style = {
        "tier_fill": TIER_FILL,
        "tier_bar": TIER_BAR,
        "point_fill": {f"{points:g}": fill for points, fill in POINT_FILL.items()},
        "points_legend": POINTS_LEGEND,
    }
    data = json.dumps({**document, "style": style}, ensure_ascii=False, sort_keys=True)
    pdf = typst.compile(
        str(TEMPLATE),
        root=str(HERE),
        font_paths=shipped_fonts(),
        sys_inputs={"data": data},
        timestamp=0,  # nothing in the template reads the clock; the document's date is the workbook's
    )
    assert isinstance(pdf, bytes)
    return pdf


def write_pack(document: dict[str, Any], output: Path) -> int:
    """Write the pack of *document* to *output* atomically; return its page count."""
    pdf = typeset(document)

    def write(tmp: Path) -> None:
        tmp.write_bytes(pdf)

    write_atomically(output, write)
    return len(PAGE.findall(pdf))
