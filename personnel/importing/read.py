"""Reading a CSV or XLSX file into rows of text, and the dates in them."""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata

from django.utils.translation import gettext as _

from personnel.importing.columns import _FileError


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # NFC whatever the keyboard or the spreadsheet produced (macOS and some IMEs write NFD).
    return unicodedata.normalize("NFC", str(value)).strip()


def read_rows(content: bytes, filename: str) -> list[list[str]]:
    """The file's rows (the header first) as lists of NFC strings."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content)
    if name.endswith((".csv", ".txt")):
        return _read_csv(content)
    raise _FileError(_("Upload a .csv or .xlsx file."))


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")  # with or without a byte-order mark
    except UnicodeDecodeError:
        raise _FileError(_("The CSV file is not UTF-8 text; save it from Excel as “CSV UTF-8”.")) from None
    first_line = text.split("\n", 1)[0]
    # Excel in a Vietnamese locale writes semicolons.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        return [[_text(cell) for cell in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error:  # e.g. a cell longer than the csv module's limit (128 KiB)
        raise _FileError(_("The CSV file cannot be read as a table (for example, a cell is far too long).")) from None


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — openpyxl raises several kinds for a damaged or foreign file
        raise _FileError(_("The file is not a readable XLSX workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        return [[_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(text: str) -> datetime.date:
    match = _DATE.match(text)
    if not match:
        raise ValueError
    day, month, year = (int(g) for g in match.groups())
    return datetime.date(year, month, day)
