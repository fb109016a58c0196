"""Drive a real LibreOffice through UNO: open workbooks, type into cells, recalculate, read, save.

Run with the system Python that has python3-uno (not the project's virtualenv):
    /usr/bin/python3 lo_driver.py JOBS.json RESULTS.json

JOBS.json is a list of jobs: {"input": path, "unprotect": [sheet names], "insert_rows": [[sheet, index, count]],
"fills": [[sheet, "D5", "text"] or [sheet, "D5", "=FORMULA", "formula"] or [sheet, "D5", 3, "number"]],
"ops": [edits made after the fills, in order: ["fill", as a fill], ["rename", sheet, new name],
["insert_rows", sheet, index, count], ["insert_columns", sheet, index, count],
["delete_rows", sheet, index, count], ["copy", sheet, "A9:K9", to sheet, "A300"], ["sort", sheet, "A10:K14", column
index in the range, descending], ["sort_filter", sheet, header text, descending] (the sheet's autofilter range
sorted by the column with that header, as its header's filter arrow does), ["comment", sheet, "J9", text],
["format", sheet, "J9", "0%"]],
"read": [[sheet, "C5"]], "save": [[path, "xlsx"|"ods"|"pdf"|"xls"] or [path, "ods", password]],
"show_only": [sheet names] (every other sheet hidden, so a PDF holds only these), "printed_text": true,
"no_print_titles": true (rows repeated at the top of every printed page are printed once only)}.
Results: one {"read": {...}, "printed": [[sheet, "B3", text], ...]} per job; "printed" lists, with
"printed_text", every non-empty cell a print shows (visible sheets, rows and columns, inside the print
area when one is set), as the cell displays it.
Setting a cell through UNO is what a paste does: it bypasses protection and validation.
"""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue

FILTERS = {"xlsx": "Calc MS Excel 2007 XML", "ods": "calc8", "pdf": "calc_pdf_Export", "xls": "MS Excel 97"}


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def start_office(profile):
    pipe = "raixl" + uuid.uuid4().hex[:8]
    proc = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.time() + 60
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            if time.time() > deadline or proc.poll() is not None:
                raise RuntimeError("LibreOffice did not start") from None
            time.sleep(0.25)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    return proc, desktop


def run_job(desktop, job):
    url = uno.systemPathToFileUrl(os.path.abspath(job["input"]))
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
    try:
        sheets = doc.getSheets()
        for name in job.get("unprotect", []):
            sheets.getByName(name).unprotect(job.get("password", ""))
        for name, index, count in job.get("insert_rows", []):
            sheets.getByName(name).getRows().insertByIndex(index, count)
        for fill in job.get("fills", []):
            run_fill(sheets, fill)
        for op in job.get("ops", []):
            run_op(doc, op)
        doc.calculateAll()
        keep = job.get("show_only")
        if keep:
            for i in range(sheets.getCount()):
                sheet = sheets.getByIndex(i)
                if sheet.getName() in keep:
                    doc.getCurrentController().setActiveSheet(sheet)
            for i in range(sheets.getCount()):
                sheet = sheets.getByIndex(i)
                sheet.IsVisible = sheet.getName() in keep
                if not sheet.IsVisible:
                    sheet.setPrintAreas(())  # a hidden sheet with a print area is still printed
        if job.get("no_print_titles"):
            for i in range(sheets.getCount()):
                sheets.getByIndex(i).setPrintTitleRows(False)
        printed = printed_text(sheets) if job.get("printed_text") else []
        read = {}
        for name, ref in job.get("read", []):
            cell = sheets.getByName(name).getCellRangeByName(ref)
            read[f"{name}!{ref}"] = cell.getString()
        validations = {}
        for name, ref in job.get("read_validation", []):
            v = sheets.getByName(name).getCellRangeByName(ref).Validation
            validations[f"{name}!{ref}"] = [
                int(v.Type.value == "LIST") if hasattr(v.Type, "value") else str(v.Type),
                v.getFormula1(),
                int(v.ShowErrorMessage),
            ]
        for save in job.get("save", []):
            path, fmt = save[:2]
            props = [prop("FilterName", FILTERS[fmt])]
            if len(save) > 2:  # [path, "ods", password]: saved encrypted (LibreOffice 7.4 ignores it for xlsx)
                props.append(prop("Password", save[2]))
            doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(path)), tuple(props))
        return {"read": read, "validation": validations, "printed": printed}
    finally:
        doc.close(True)


def run_fill(sheets, fill):
    name, ref, value = fill[:3]
    kind = fill[3] if len(fill) > 3 else "text"
    cell = sheets.getByName(name).getCellRangeByName(ref)
    if kind == "formula":
        cell.setFormula(value)
    elif kind == "number":
        cell.setValue(value)
    else:
        cell.setString(value)


def run_op(doc, op):
    """One edit a person makes: see the JOBS.json ops above."""
    kind, name = op[0], op[1]
    sheets = doc.getSheets()
    sheet = sheets.getByName(name)
    if kind == "fill":
        run_fill(sheets, op[1:])
    elif kind == "rename":
        sheet.setName(op[2])
    elif kind == "insert_rows":
        sheet.getRows().insertByIndex(op[2], op[3])
    elif kind == "insert_columns":
        sheet.getColumns().insertByIndex(op[2], op[3])
    elif kind == "delete_rows":
        sheet.getRows().removeByIndex(op[2], op[3])
    elif kind == "copy":
        source = sheet.getCellRangeByName(op[2]).getRangeAddress()
        dest = sheets.getByName(op[3]).getCellRangeByName(op[4]).getCellAddress()
        sheet.copyRange(dest, source)
    elif kind == "sort":
        block = sheet.getCellRangeByName(op[2])
        field = uno.createUnoStruct("com.sun.star.table.TableSortField")
        field.Field, field.IsAscending = op[3], not op[4]
        block.sort((prop("SortFields", uno.Any("[]com.sun.star.table.TableSortField", (field,))),))
    elif kind == "sort_filter":
        sort_filter(doc, sheet, op[2], op[3])
    elif kind == "comment":
        at = sheet.getCellRangeByName(op[2]).getCellAddress()
        sheet.getAnnotations().insertNew(at, op[3])
    elif kind == "format":
        formats = doc.getNumberFormats()
        locale = uno.createUnoStruct("com.sun.star.lang.Locale")
        key = formats.queryKey(op[3], locale, False)
        if key == -1:
            key = formats.addNew(op[3], locale)
        sheet.getCellRangeByName(op[2]).NumberFormat = key
    else:
        raise ValueError(f"unknown op {kind}")


def sort_filter(doc, sheet, head, descending):
    """Sort the autofilter range of *sheet* (its header row kept on top) by the column headed *head*."""
    index = sheet.getRangeAddress().Sheet
    ranges = doc.getPropertyValue("UnnamedDatabaseRanges")
    if not ranges.hasByTable(index):
        raise ValueError(f"sheet {sheet.getName()} has no autofilter")
    area = ranges.getByTable(index).getDataArea()
    block = sheet.getCellRangeByPosition(area.StartColumn, area.StartRow, area.EndColumn, area.EndRow)
    heads = block.getDataArray()[0]
    field = uno.createUnoStruct("com.sun.star.table.TableSortField")
    field.Field, field.IsAscending = heads.index(head), not descending
    descriptor = (
        prop("ContainsHeader", True),
        prop("SortFields", uno.Any("[]com.sun.star.table.TableSortField", (field,))),
    )
    block.sort(descriptor)


def printed_text(sheets):
    """[sheet, cell, displayed text] of every non-empty cell a print of the document shows."""
    out = []
    for i in range(sheets.getCount()):
        sheet = sheets.getByIndex(i)
        if not sheet.IsVisible:
            continue
        areas = sheet.getPrintAreas()
        if not areas:
            cursor = sheet.createCursor()
            cursor.gotoEndOfUsedArea(False)
            end = cursor.getRangeAddress()
            areas = [(0, 0, end.EndColumn, end.EndRow)]
        else:
            areas = [(a.StartColumn, a.StartRow, a.EndColumn, a.EndRow) for a in areas]
        columns, rows = sheet.getColumns(), sheet.getRows()
        for c0, r0, c1, r1 in areas:
            block = sheet.getCellRangeByPosition(c0, r0, c1, r1).getDataArray()
            for r, values in enumerate(block):
                if not rows.getByIndex(r0 + r).IsVisible:
                    continue
                for c, value in enumerate(values):
                    if value in ("", None) or not columns.getByIndex(c0 + c).IsVisible:
                        continue
                    cell = sheet.getCellByPosition(c0 + c, r0 + r)
                    text = cell.getString()
                    if text:
                        out.append([sheet.getName(), cell.AbsoluteName.split(".")[-1].replace("$", ""), text])
    return out


def main():
    with open(sys.argv[1]) as fh:
        jobs = json.load(fh)
    with tempfile.TemporaryDirectory() as profile:
        proc, desktop = start_office(profile)
        try:
            results = [run_job(desktop, job) for job in jobs]
        finally:
            with contextlib.suppress(Exception):
                desktop.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    with open(sys.argv[2], "w") as fh:
        json.dump(results, fh)


if __name__ == "__main__":
    main()
