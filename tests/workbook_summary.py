"""A summary of everything a written workbook holds for a reader: every sheet's cells (value or formula, and
the cached value a reader without a calculator sees), tables, data validations, merged ranges, conditional
formats, defined names and custom properties. Compared with a golden summary (tests/golden/), so a change
in what rai-xl writes fails a test, while a faster way of writing the same workbook passes.

A cell that holds nothing (no value, no formula) is left out: an empty styled cell and a missing one read
the same. Cells are summarised per sheet and column as a digest and a count, so the golden file is small;
a difference names the sheet and column, and `python -m tests.workbook_summary OLD.xlsx NEW.xlsx` lists the
cells that differ.

Usage: python -m tests.workbook_summary WORKBOOK.xlsx [OUT.json] [--today]   (writes the summary; --today:
       today's date, where a cell shows it, read as '<today>')
       python -m tests.workbook_summary A.xlsx B.xlsx --cells       (the cells that differ)
"""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

# Stamped with the day of writing; never compared.
UNSTABLE_PROPERTIES = {"created", "modified", "lastModifiedBy", "lastPrinted"}


def _plain(v: Any) -> Any:
    if isinstance(v, datetime | date | time):
        return v.isoformat()
    if isinstance(v, bool | int | float | str) or v is None:
        return v
    return str(v)


def cells(path: Path, today: str = "") -> dict[str, dict[str, list[Any]]]:
    """{sheet: {cell reference: [value or formula, cached value]}} of every cell a reader sees something in;
    *today* (ISO date), where a cell shows it, is read as '<today>'."""
    formulas = load_workbook(path)
    cached = load_workbook(path, data_only=True)
    out: dict[str, dict[str, list[Any]]] = {}
    for ws in formulas.worksheets:
        shown = cached[ws.title]
        sheet: dict[str, list[Any]] = {}
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if v is None or v == "":
                    continue
                if hasattr(v, "text"):  # an array formula
                    v = f"{{{v.text}}}"
                cache = _plain(shown[c.coordinate].value)
                entry = [_plain(v), cache]
                if today:
                    entry = [e.replace(today, "<today>") if isinstance(e, str) else e for e in entry]
                sheet[c.coordinate] = entry
        out[ws.title] = sheet
    return out


def _column(ref: str) -> str:
    return ref.rstrip("0123456789")


def summary(path: Path, today: str = "") -> dict[str, Any]:
    """The summary of the workbook at *path* (see the module's docstring)."""
    wb = load_workbook(path)
    sheets: dict[str, Any] = {}
    for title, held in cells(path, today).items():
        ws = wb[title]
        by_column: dict[str, list[Any]] = {}
        for ref, entry in held.items():
            by_column.setdefault(_column(ref), []).append([ref, *entry])
        sheets[title] = {
            "columns": {
                col: [len(rows), hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()[:16]]
                for col, rows in sorted(by_column.items(), key=lambda kv: (len(kv[0]), kv[0]))
            },
            "tables": sorted(
                [t.name, t.ref, [c.name for c in t.tableColumns], bool(t.autoFilter)] for t in ws.tables.values()
            ),
            "validations": sorted(
                [
                    str(dv.sqref),
                    dv.type,
                    dv.operator,
                    dv.formula1,
                    dv.formula2,
                    bool(dv.allow_blank),
                    bool(dv.showDropDown),
                    bool(dv.showErrorMessage),
                    dv.errorStyle,
                    dv.errorTitle,
                    dv.error,
                    dv.promptTitle,
                    dv.prompt,
                ]
                for dv in ws.data_validations.dataValidation
            ),
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "conditional": sorted(
                [str(rng.sqref), rule.type, rule.operator, list(rule.formula or [])]
                for rng in ws.conditional_formatting
                for rule in rng.rules
            ),
            "freeze": ws.freeze_panes,
            "state": ws.sheet_state,
        }
    custom = {p.name: _plain(p.value) for p in wb.custom_doc_props.props}
    return {
        "sheets": list(wb.sheetnames),
        "defined_names": sorted([n, str(d.attr_text)] for n, d in wb.defined_names.items()),
        "custom_properties": custom,
        "core_properties": {
            k: _plain(getattr(wb.properties, k))
            for k in ("title", "subject", "creator", "keywords", "description", "category")
            if k not in UNSTABLE_PROPERTIES
        },
        "by_sheet": sheets,
    }


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What differs between two summaries, one line each (sheet and column for cells)."""
    keys = ("sheets", "defined_names", "custom_properties", "core_properties")
    out = [f"{k}: {old[k]!r} != {new[k]!r}" for k in keys if old[k] != new[k]]
    for title in sorted(set(old["by_sheet"]) | set(new["by_sheet"])):
        a, b = old["by_sheet"].get(title), new["by_sheet"].get(title)
        if a is None or b is None:
            out.append(f"sheet '{title}' only in the {'new' if a is None else 'old'} workbook")
            continue
        for col in sorted(set(a["columns"]) | set(b["columns"])):
            if a["columns"].get(col) != b["columns"].get(col):
                out.append(f"sheet '{title}' column {col}: {a['columns'].get(col)} != {b['columns'].get(col)}")
        for key in a:
            if key != "columns" and a[key] != b.get(key):
                out.append(f"sheet '{title}' {key}: {a[key]!r} != {b.get(key)!r}")
    return out


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if "--cells" in sys.argv:
        a, b = cells(Path(args[0])), cells(Path(args[1]))
        for title in a:
            for ref in sorted(set(a[title]) | set(b.get(title, {}))):
                if a[title].get(ref) != b.get(title, {}).get(ref):
                    print(f"{title}!{ref}: {a[title].get(ref)} -> {b.get(title, {}).get(ref)}")
        return
    today = date.today().isoformat() if "--today" in sys.argv else ""
    text = json.dumps(summary(Path(args[0]), today), indent=1, ensure_ascii=False, sort_keys=True)
    if len(args) > 1:
        Path(args[1]).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)


if __name__ == "__main__":
    main()
