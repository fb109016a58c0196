"""Which files are returns at all: lock files, system metadata, other documents and other spreadsheets,
each with the reason a person is told. No file is opened as a workbook here."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path, PurePosixPath

from rai_xl.issues import Msg

TEMP_PREFIX = ".~rai-xl-"  # rai-xl's temporary files and locks beside an output: every reader skips them
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls", ".xlsb", ".gnumeric", ".fods", ".numbers")
SYSTEM_FILES = {
    ".ds_store": "a macOS folder settings file",
    "thumbs.db": "a Windows thumbnail cache",
    "desktop.ini": "a Windows folder settings file",
}
OTHER_SPREADSHEETS = {  # spreadsheets rai-xl does not read: a return in the wrong format, to be saved again
    ".gnumeric": "a Gnumeric workbook (.gnumeric)",
    ".fods": "a flat OpenDocument spreadsheet (.fods)",
    ".numbers": "an Apple Numbers document (.numbers)",
}
NOT_SPREADSHEET_KINDS = {
    ".csv": "a CSV text file",
    ".tsv": "a tab-separated text file",
    ".txt": "a text file",
    ".docx": "a Word document",
    ".doc": "a Word document",
    ".odt": "a text document",
    ".pdf": "a PDF",
    ".pptx": "a PowerPoint presentation",
    ".zip": "a zip archive",
    ".eml": "an email message",
    ".msg": "an email message",
}


def not_a_submission(path: Path) -> str:
    """Why a file met in a folder is plainly not a return (lock files, system metadata), or ''."""
    name = path.name
    if name.startswith("~$"):
        return Msg.LOCK_FILE.format()
    if name.startswith(".~lock.") and name.endswith("#"):
        return Msg.LO_LOCK_FILE.format()
    if name.startswith(TEMP_PREFIX):
        return Msg.RAI_XL_TEMP.format()
    if name.startswith("._") or "__MACOSX" in path.parts:
        return Msg.MAC_METADATA.format()
    if name.casefold() in SYSTEM_FILES:
        return Msg.SYSTEM_FILE.format(what=SYSTEM_FILES[name.casefold()])
    return ""


def zip_contents(data: bytes) -> str:
    """'a zip archive holding 2 workbook(s) (a.xlsx, b.xlsx): unzip it ...', or '' when it holds none."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            names = [
                PurePosixPath(n).name
                for n in zf.namelist()
                if n.lower().endswith((".xlsx", ".ods")) and not n.startswith("__MACOSX/")
            ]
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return ""
    if not names:
        return ""
    return (
        f"a zip archive holding {len(names)} workbook(s) ({', '.join(names[:5])}): unzip it and give the workbooks to rai-xl"
    )
