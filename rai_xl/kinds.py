"""What tells the kinds of workbook rai-xl writes apart, in one place: the template ids in their identity
marks and the prefix of their custom document properties. Light on purpose: readers of every kind import it
without loading any writer."""

PROPERTY_PREFIX = "rai_xl_"  # custom document properties rai-xl writes: rai_xl_template_id, rai_xl_year, ...
QUESTIONNAIRE = "rai-xl/readiness-questionnaire"
REGIONAL = "rai-xl/regional-workbook"
