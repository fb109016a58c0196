"""What the meeting and the coordinator read: movement, counts, words, the official's own Summary, the pre-fill."""

from __future__ import annotations

from pathlib import Path

from rai_xl.catalogue import Catalogue
from rai_xl.consolidate import BLANK, chase_list, sort_out
from rai_xl.questionnaire import Prefill, write_questionnaire
from rai_xl.returns import read_return


def test_an_untouched_prefilled_return_is_said_to_be_unconfirmed(tmp_path: Path, catalogue: Catalogue) -> None:
    sent = tmp_path / "RAI-readiness-2027-Indonesia.xlsx"
    write_questionnaire(
        catalogue, sent, country=catalogue.country("ID"), year=2027, prefill=Prefill(2026, {"Q1": "Yes"}, {})
    )
    blank = tmp_path / "RAI-readiness-2027-Lao-PDR.xlsx"
    write_questionnaire(catalogue, blank, country=catalogue.country("LA"), year=2027)
    rnd = sort_out([read_return(sent, catalogue), read_return(blank, catalogue)], 2027)
    rows = {r.country.code: (r.state, r.detail) for r in chase_list(rnd, catalogue)}
    assert rows["ID"] == (
        BLANK,
        "the pre-filled questionnaire came back without respondent details, so its answers are not confirmed",
    )
    assert rows["LA"] == (BLANK, "the questionnaire came back with no answers")
