"""What tells the kinds of workbook rai-xl writes apart, in one place: the template ids in their identity
marks and the prefix of their custom document properties. Light on purpose: readers of every kind import it
without loading any writer."""

PROPERTY_PREFIX = "rai_xl_"  # custom document properties rai-xl writes: rai_xl_template_id, rai_xl_year, ...
QUESTIONNAIRE = "rai-xl/readiness-questionnaire"
REGIONAL = "rai-xl/regional-workbook"
PROGRESS = "rai-xl/progress-workbook"

# The labels of identity keys where a workbook shows them (Start here, Methodology); each kind of workbook
# carries the first three and those of the others it needs.
IDENTITY_LABELS = {
    "template_id": "Template",
    "schema_version": "Schema version",
    "methodology_version": "Methodology version",
    "catalogue_fingerprint": "Catalogue fingerprint",
    "country": "Country code",
    "year": "Assessment year",
    "round": "Round (assessment year)",
    "made_from": "Made from regional workbook",
    "made_on": "Made on",
}


COMMON_KEYS = ("template_id", "schema_version", "methodology_version")  # every kind carries these first


def identity_values(template: str, schema: str, methodology: str, **more: str) -> dict[str, str]:
    """The identity a workbook carries: the three keys every kind has, then *more*, in that order."""
    return dict(zip(COMMON_KEYS, (template, schema, methodology), strict=True), **more)


def identity(*keys: str) -> tuple[tuple[str, str], ...]:
    """(key, label) of the identity keys of a kind of workbook: the three every kind has, then *keys*."""
    return tuple((k, IDENTITY_LABELS[k]) for k in (*COMMON_KEYS, *keys))
