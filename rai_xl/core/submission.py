"""A returned questionnaire as plain data: what one file holds, and what rai-xl made of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rai_xl.core.text import read_date
from rai_xl.issues import ERROR, NOTE, Issue
from rai_xl.layouts import questionnaire as ids
from rai_xl.method.catalogue import Country
from rai_xl.method.scoring import Assessment

VALID, INVALID, SKIPPED = "valid", "invalid", "skipped"


@dataclass
class Submission:
    """What one returned file holds, and what rai-xl made of it."""

    path: Path
    sha256: str = ""
    status: str = VALID  # valid, invalid or skipped
    country: Country | None = None
    year: int | None = None
    respondent: dict[str, str] = field(default_factory=dict)
    template_version: str = ""
    answers: dict[str, str] = field(default_factory=dict)  # criterion id -> answer code
    evidence: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    answer_cells: dict[str, str] = field(default_factory=dict)  # criterion id -> cell, e.g. D5
    issues: list[Issue] = field(default_factory=list)
    assessment: Assessment | None = None
    content_digest: str = ""  # of answers, evidence, comments and respondent details: equal for the same return
    sample: bool = False  # a synthetic sample return (marked by a custom property), not a real submission
    blank: bool = False  # returned with nothing typed: no answers, or a pre-filled form nobody confirmed
    prefilled: bool = False  # a questionnaire written with last round's answers in place
    internal_error: str = ""  # the traceback when rai-xl itself failed on this file (a bug)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def complete(self) -> bool:
        return self.assessment is not None and self.assessment.complete

    @property
    def refused(self) -> list[str]:
        """Criteria whose answer was not accepted (counted as unanswered until it is fixed)."""
        return list(dict.fromkeys(i.criterion for i in self.errors if i.criterion))

    @property
    def completed_on(self) -> date | None:
        """The completion date the respondent entered, if it reads as a date."""
        return read_date(self.respondent.get(ids.DATE_FIELD, ""))

    def reason(self) -> str:
        """The first error, in one line; else the first note, else the first issue (empty when there is none)."""
        first = next(iter(self.errors + [i for i in self.issues if i.severity == NOTE] + self.issues), None)
        return first.message if first else ""
