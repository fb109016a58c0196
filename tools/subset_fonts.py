"""Make the fonts the meeting pack ships (rai_xl/data/pack/fonts/) from the Noto fonts, subset with fontTools.

Usage: python tools/subset_fonts.py SOURCE_DIR

SOURCE_DIR holds the Noto TrueType files, e.g. Debian's fonts-noto-core extracted:

    apt-get download fonts-noto-core && dpkg-deb -x fonts-noto-core_*.deb noto
    python tools/subset_fonts.py noto/usr/share/fonts/truetype/noto

fontTools (`pip install fonttools`) is needed here only, never when rai-xl runs. Each font keeps every
OpenType layout feature (Thai, Lao, Khmer and Burmese are shaped by them) and drops hinting (PDFs do
not use it). Their licence, the SIL Open Font License 1.1, is rai_xl/data/pack/fonts/OFL.txt.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

OUT = Path(__file__).resolve().parents[1] / "rai_xl/data/pack/fonts"
LATIN = (
    "U+0000-024F,U+0259,U+02B0-02FF,U+0300-036F,U+1E00-1EFF,U+2000-206F,U+20A0-20CF,U+2100-214F,"
    "U+2190-2199,U+2212,U+2215,U+25CC,U+FB00-FB06,U+FEFF,U+FFFD"
)
PUNCT = "U+0020-002F,U+003A-0040,U+005B-0060,U+007B-007E,U+00A0,U+00B7,U+2010-2027,U+25CC"
# (source file, unicodes kept): Latin with Vietnamese, then one font per script of Southeast Asia, then the
# marks the text fonts lack (▲ ▼ ★ ● from Symbols 2; → − ≤ ≥ from Math).
FONTS = (
    ("NotoSans-Regular.ttf", LATIN),
    ("NotoSans-Bold.ttf", LATIN),
    *(
        (f"NotoSans{script}-{weight}.ttf", f"{block},{PUNCT}")
        for script, block in (
            ("Thai", "U+0E00-0E7F"),
            ("Lao", "U+0E80-0EFF"),
            ("Khmer", "U+1780-17FF,U+19E0-19FF"),
            ("Myanmar", "U+1000-109F,U+A9E0-A9FF,U+AA60-AA7F"),
        )
        for weight in ("Regular", "Bold")
    ),
    ("NotoSansSymbols2-Regular.ttf", "U+25A0-25FF,U+2605,U+2713,U+2717"),
    ("NotoSansMath-Regular.ttf", "U+2190-2199,U+2212,U+2264,U+2265"),
)


def subset_font(source: Path, unicodes: str, target: Path) -> None:
    """*source* cut to *unicodes* (every layout feature kept, no hinting), written to *target*."""
    options = subset.Options()
    options.layout_features = ["*"]
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["DSIG"]
    font = TTFont(source)
    sub = subset.Subsetter(options)
    sub.populate(unicodes=subset.parse_unicodes(unicodes))
    sub.subset(font)
    font.save(target)


def main(source_dir: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, unicodes in FONTS:
        target = OUT / name
        subset_font(Path(source_dir) / name, unicodes, target)
        total += target.stat().st_size
        print(f"{target.name}: {target.stat().st_size:,} bytes")
    print(f"total {total:,} bytes")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
