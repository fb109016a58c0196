"""An answer as an official typed it, matched to the criterion's own labels: what is obviously meant is
accepted and said, anything else is refused with the allowed answers (and a 'did you mean')."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from rai_xl.core.text import clean, short
from rai_xl.issues import ERROR, WARNING, Issue, Msg
from rai_xl.layouts import questionnaire as ids
from rai_xl.method.catalogue import Catalogue, Criterion
from rai_xl.read.spreadsheet import Cell


def match_answer(c: Criterion, value: str) -> tuple[str | None, str]:
    """The answer code *value* obviously means for *c*, and how it was tidied ('' when exact);
    (None, '') when it means none. Tidying only ever removes noise (invisible characters, spacing,
    compatibility forms, quotes and end punctuation, letter case) or completes a label's short form
    ('Yes' for 'Yes (at least signatory to one)'); it never guesses between answers."""
    if value in c.labels:
        return c.answer_by_label(value).code, ""  # type: ignore[union-attr]
    fixes = []
    text = value
    for fix, tidy in TIDYING:
        tidied = tidy(text)
        if tidied != text:
            fixes.append(fix)
            text = tidied
    exact = [a for a in c.answers if a.label.casefold() == text.casefold()]
    short = [a for a in c.answers if short_form(a.label).casefold() == text.casefold()]
    if exact:
        found = exact[0]
        if text != found.label:
            fixes.append("letter case corrected")
    elif len(short) == 1 and len(c.answers) == len({short_form(a.label).casefold() for a in c.answers}):
        found = short[0]
        fixes.append("short form of the answer completed")
    else:
        return None, ""
    return found.code, " and ".join(fixes)


def short_form(label: str) -> str:
    """A label without its closing parenthesis: 'Yes (at least signatory to one)' -> 'Yes'."""
    return re.sub(r"\s*\([^()]*\)$", "", label)


QUOTES = "\"'“”‘’«»`"
# (what a fix is called in the warning, the fix), applied in this order
TIDYING: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("invisible characters removed", lambda t: "".join(ch for ch in t if unicodedata.category(ch) != "Cf")),
    ("extra or non-breaking spaces removed", lambda t: re.sub(r"\s+", " ", t).strip()),
    ("full-width or compatibility characters converted", lambda t: unicodedata.normalize("NFKC", t)),
    ("quotes or end punctuation removed", lambda t: t.strip(QUOTES).rstrip(".!;,").strip(QUOTES).strip()),
    ("spaces around '/' removed", lambda t: re.sub(r"\s*/\s*", "/", t)),
)


def closest_label(c: Criterion, value: str) -> str | None:
    """The allowed answer *value* looks most like, for a 'did you mean' (None when none is close)."""
    from difflib import get_close_matches

    by_key = {a.label.casefold(): a.label for a in c.answers}
    near = get_close_matches(clean(value).casefold(), list(by_key), n=1, cutoff=0.75)
    return by_key[near[0]] if near else None


def check_answer(c: Criterion, cell: Cell | None, ref: str, catalogue: Catalogue) -> tuple[str | None, list[Issue]]:
    """The answer code the cell at *ref* gives criterion *c* (None when it gives none), and what to say of it."""
    sheet = ids.SHEET_CRITERIA
    allowed = "; ".join(f"'{label}'" for label in c.labels)
    if cell is not None and cell.formula:
        return None, [Issue(ERROR, sheet, ref, c.id, Msg.FORMULA.format(formula=cell.formula, allowed=allowed))]
    if cell is None or cell.value is None or (isinstance(cell.value, str) and not clean(cell.value)):
        return None, [Issue(WARNING, sheet, ref, c.id, Msg.BLANK.format(pillar=c.pillar))]
    if not isinstance(cell.value, str):
        shown = f"{cell.value:g}" if isinstance(cell.value, float) else str(cell.value).upper()
        return None, [Issue(ERROR, sheet, ref, c.id, Msg.NOT_TEXT.format(value=shown, allowed=allowed))]
    code, how = match_answer(c, cell.value)
    if code is not None:
        if not how:
            return code, []
        label = next(a.label for a in c.answers if a.code == code)
        return code, [Issue(WARNING, sheet, ref, c.id, Msg.ACCEPTED_FIXED.format(value=cell.value, label=label, how=how))]
    other = next((o.id for o in catalogue.criteria if o.id != c.id and match_answer(o, cell.value)[0]), None)
    if other:
        message = Msg.WRONG_CRITERION.format(value=short(cell.value), other=other, allowed=allowed)
    else:
        near = closest_label(c, cell.value)
        hint = Msg.DID_YOU_MEAN.format(label=near) if near else ""
        message = Msg.NOT_ALLOWED.format(value=short(cell.value), allowed=allowed) + hint
    return None, [Issue(ERROR, sheet, ref, c.id, message)]
