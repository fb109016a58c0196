"""The bounds of what an untrusted file may make the reader do, defined once: the other modules read them
from here when they check them (limits.MAX_CELLS), so a test patches a bound here, not on the package.

The reader never trusts the file:

* sizes are bounded before any part is decompressed, counting only the parts it may parse
  (XML parts and relationships): pictures, fonts and thumbnails are never opened, so they
  neither count nor need bounding beyond the zip's entry count and the raw file size;
* the work is bounded by what matters: the bytes of XML inflated, the cells with content kept,
  the rows looked at. Empty styled cells (Google Sheets writes 1,000 rows x 26 of them on every
  sheet) cost only their bytes.
"""

MAX_FILE_BYTES = 200 * 1024 * 1024  # raw file; pictures inside are never decompressed
MAX_ENTRIES = 1000
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # declared, summed over the parts that may be parsed
MAX_CELLS = 100_000  # cells kept per workbook; a questionnaire has about 500
MAX_ROW = 10_000  # rows looked at per sheet
MAX_COLUMN = 1024  # columns of an .ods row read (a repeated cell is spread over them)
MAX_SPACES = 100  # spaces one ODF <text:s text:c="N"/> stands for, at most
MAX_PART_BYTES = 8 * 1024 * 1024  # declared uncompressed size of any one parsed part; a questionnaire's are under 100 KB
MAX_XML_BYTES = 16 * 1024 * 1024  # XML inflated and parsed per workbook; a questionnaire's is under 1 MB
MAX_DEPTH = 10_000  # elements open at once in a part (a parser keeps each); a workbook's nest under 20 deep
MAX_STRINGS = 100_000  # shared strings kept per workbook; a questionnaire has about 500
# An earlier regional workbook (consolidate --previous, progress --previous) is read in one pass, all its trackers
# within one budget: a record of several rounds holds far more than a questionnaire (the 2025 sample about 80,000
# cells and 7 MB of XML), so it has bounds of its own.
MAX_RECORD_CELLS = 500_000
MAX_RECORD_XML_BYTES = 96 * 1024 * 1024
