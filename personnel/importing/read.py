"""Reading a CSV or XLSX file into rows of text, and the dates in them, within the upload's bounds.

A file is refused before it is parsed past any bound in settings (IMPORT_MAX_BYTES, IMPORT_MAX_ROWS,
IMPORT_MAX_COLUMNS, IMPORT_MAX_UNPACKED_BYTES): a 5 KB XLSX can declare a million rows of 16,384
columns, or inflate to gigabytes of XML. So an XLSX is never read through the sheet's declared
dimension: its XML is streamed cell by cell, each element dropped once read, and reading stops at the
first value past a bound. Bounds count rows and columns that hold a value: formatted empty cells are
free.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from personnel.importing.columns import _FileError


class _Formula(str):
    """A formula cell with no saved value (the workbook was never opened in Excel): not an empty cell."""

    __slots__ = ()


FORMULA = _Formula("")  # falsy, like an empty cell, but `is FORMULA` tells it apart


@dataclass(frozen=True)
class Limits:
    bytes: int
    rows: int  # under the header
    columns: int
    unpacked: int  # an XLSX's parts, inflated

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(settings.IMPORT_MAX_BYTES, settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS,
                   settings.IMPORT_MAX_UNPACKED_BYTES)

    def too_many_rows(self) -> _FileError:
        return _FileError(_("A file may have at most %(limit)s rows under its header.") % {"limit": _number(self.rows)})

    def too_many_columns(self) -> _FileError:
        return _FileError(_("A file may have at most %(limit)s columns.") % {"limit": _number(self.columns)})


def _number(n: int) -> str:
    return number_format(n, force_grouping=True)


def size_text(n: int) -> str:
    return f"{_number(n // 1024 ** 2)} MB" if n >= 1024 ** 2 else f"{_number(max(1, n // 1024))} KB"


def too_large(limits: Limits) -> _FileError:
    return _FileError(_("The file is larger than %(limit)s; split it into smaller files.") % {"limit": size_text(limits.bytes)})


def read_upload(file, limits: Limits | None = None) -> bytes:
    """The bytes of an upload, an open file or bytes: never more than the limit (refused past it)."""
    limits = limits or Limits.from_settings()
    if isinstance(file, bytes):
        content = file
    else:
        if getattr(file, "size", None) is not None and file.size > limits.bytes:
            raise too_large(limits)
        content = file.read(limits.bytes + 1)
    if len(content) > limits.bytes:
        raise too_large(limits)
    return content


def _text(value) -> str:
    if value is None:
        return ""
    if value is FORMULA:
        return value
    if isinstance(value, datetime.datetime):
        return value.date().strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # NFC whatever the keyboard or the spreadsheet produced (macOS and some IMEs write NFD).
    return unicodedata.normalize("NFC", str(value)).strip()


def read_rows(content: bytes, filename: str) -> list[list[str]]:
    """The file's rows (the header first) as lists of NFC strings; FORMULA for a formula with no saved value."""
    limits = Limits.from_settings()
    content = read_upload(content, limits)
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content, limits)
    if name.endswith((".csv", ".txt")):
        return _read_csv(content, limits)
    raise _FileError(_("Upload a .csv or .xlsx file."))


def _bounded(row: list[str], number: int, limits: Limits) -> list[str]:
    """The row within the bounds, or the refusal: a value past the last column, or any value past the last row."""
    if len(row) > limits.columns:
        if any(str(cell).strip() for cell in row[limits.columns:]):
            raise limits.too_many_columns()
        row = row[:limits.columns]
    if number > limits.rows + 1 and any(row):
        raise limits.too_many_rows()
    return row


def _read_csv(content: bytes, limits: Limits) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")  # with or without a byte-order mark
    except UnicodeDecodeError:
        raise _FileError(_("The CSV file is not UTF-8 text; save it from Excel as “CSV UTF-8”.")) from None
    first_line = text.split("\n", 1)[0]
    # Excel in a Vietnamese locale writes semicolons.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    rows = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            row = _bounded([_text(cell) for cell in cells[:limits.columns]] + cells[limits.columns:], number, limits)
            if number <= limits.rows + 1:
                rows.append(row)
    except csv.Error:  # e.g. a cell longer than the csv module's limit (128 KiB)
        raise _FileError(_("The CSV file cannot be read as a table (for example, a cell is far too long).")) from None
    return rows


def _not_xlsx() -> _FileError:
    return _FileError(_("The file is not a readable XLSX workbook."))


def _read_xlsx(content: bytes, limits: Limits) -> list[list[str]]:
    # The archive's directory says how large each part inflates to, and Python's zipfile never inflates
    # a part past what it declares (it stops there and fails the CRC): so this bound holds before parsing.
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _not_xlsx() from None
    if unpacked > limits.unpacked:
        raise _FileError(_("The workbook unpacks to more than %(limit)s; it is not an ordinary import file.") % {
            "limit": size_text(limits.unpacked)})
    from personnel.importing import xlsx

    try:
        return xlsx.first_sheet_rows(content, limits, _bounded, _text)
    except _FileError:
        raise
    except Exception:  # noqa: BLE001 — openpyxl and the XML parser raise several kinds for a damaged or foreign file
        raise _not_xlsx() from None


_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(text: str) -> datetime.date:
    match = _DATE.match(text)
    if not match:
        raise ValueError
    day, month, year = (int(g) for g in match.groups())
    return datetime.date(year, month, day)
