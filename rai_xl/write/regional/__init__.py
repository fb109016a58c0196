"""The regional workbook's writers (workbook.py puts them together) and its layout facts (marks.py, which
readers import: this package loads nothing else on import)."""
