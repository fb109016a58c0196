"""Normalise the Roadmap's PDF-to-text source so catalogue texts can be found in it verbatim."""

from __future__ import annotations

import re

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_TAG = re.compile(r"<[^>]+>")
_LIST_MARK = re.compile(r"(?m)^\s*[-–]\s+")
_BULLETS = re.compile(r"[●•▪◦]")
_SPACE = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT = re.compile(r" ([,.;:])")


def normalise(text: str) -> str:
    """Strip markup, bullets, footnote markers and layout whitespace from *text*."""
    text = _TAG.sub(" ", text)
    text = _LIST_MARK.sub(" ", text)
    text = _BULLETS.sub(" ", text)
    text = text.replace("**", "").replace("*", "")
    text = text.translate({ord(c): None for c in _SUPERSCRIPTS})
    text = text.replace("\u00a0", " ")
    # a removed tag leaves "(DEFA) , the"; no English prose has a space before these marks
    return _SPACE_BEFORE_PUNCT.sub(r"\1", _SPACE.sub(" ", text)).strip()


def find_pieces(needle: str, haystack: str, max_pieces: int = 3) -> list[str] | None:
    """Split *needle* into the fewest pieces (at word boundaries) that each occur in *haystack*.

    Returns None when it cannot be done in *max_pieces*. One piece means verbatim; more mean the
    text was joined across a page break or footnote in the source.
    """
    needle = normalise(needle)
    if needle in haystack:
        return [needle]
    words = needle.split(" ")
    pieces: list[str] = []
    start = 0
    while start < len(words):
        if len(pieces) == max_pieces:
            return None
        end = start
        # extend the piece word by word while it is still found
        while end < len(words) and " ".join(words[start : end + 1]) in haystack:
            end += 1
        if end == start:
            return None
        pieces.append(" ".join(words[start:end]))
        start = end
    return pieces
