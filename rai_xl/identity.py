"""What identifies a rai-xl questionnaire: template id, schema version and the keys of its copies."""

from __future__ import annotations

TEMPLATE_ID = "rai-xl/readiness-questionnaire"
SCHEMA_VERSION = "1"

# Sheet names and layout facts shared by the writer and the reader.
SHEET_START = "Start here"
SHEET_RESPONDENT = "Respondent"
SHEET_CRITERIA = "Criteria"
SHEET_SUMMARY = "Summary"
SHEET_LISTS = "Lists"

# Identity keys, in the order they are written (custom properties, Lists sheet, Start here).
KEYS = ("template_id", "schema_version", "methodology_version", "catalogue_fingerprint", "country", "year")
LABELS = {
    "template_id": "Template",
    "schema_version": "Schema version",
    "methodology_version": "Methodology version",
    "catalogue_fingerprint": "Catalogue fingerprint",
    "country": "Country code",
    "year": "Assessment year",
}
PROPERTY_PREFIX = "rai_xl_"
SAMPLE_PROPERTY = PROPERTY_PREFIX + "sample"  # on synthetic sample returns only (tools/make_samples.py)

# Respondent details: (key, label shown in column A of the Respondent sheet).
RESPONDENT_FIELDS = (
    ("country", "Country"),
    ("year", "Assessment year"),
    ("agency", "Agency / ministry"),
    ("name", "Name of respondent"),
    ("position", "Position"),
    ("email", "Email"),
    ("date_completed", "Date completed (YYYY-MM-DD)"),
)

# Criteria sheet columns: (header, width). `ID` and `Answer` are the contract.
CRITERIA_COLUMNS = (
    ("ID", 6),
    ("Criterion", 58),
    ("How it is scored", 40),
    ("Answer", 36),
    ("Points", 8),
    ("Evidence / source documents", 42),
    ("Comments", 30),
)
