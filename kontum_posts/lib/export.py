"""CSV and XLSX export of exactly the rows a table shows after filtering (every page, not one).

A cell whose text begins with = + - @ (after any spaces, tabs or line breaks) would be read as a
formula by a spreadsheet ("CSV injection", OWASP); such text is prefixed with an apostrophe.
`is_formula` is that rule, for every export (lists, the review's workbook) and for the forms and the
import that refuse such text (kontum_posts.lib.clean). Numbers and dates are written as they are;
yes/no values as the words, never True/False.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.translation import gettext

_FORMULA = re.compile(r"^\s*[=+\-@]")
# Characters XML 1.0 cannot carry (C0 controls but tab and line breaks, lone surrogates) and Unicode's
# noncharacters (U+FDD0–U+FDEF, U+xFFFE and U+xFFFF of every plane). One in a cell makes the whole XLSX
# unreadable; the forms and the import refuse them (lib.clean), and every export drops any left.
NOT_TEXT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
    + "]"
)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def is_formula(text: str) -> bool:
    """A spreadsheet would run this text as a formula (leading whitespace is skipped by some of them)."""
    return bool(_FORMULA.match(text))


def neutralise(value):
    """Text that a spreadsheet would take for a formula gets a leading apostrophe; yes/no become words;
    other values pass."""
    if value is None:
        return None  # an empty cell (csv writes "")
    if isinstance(value, bool):
        # Yes/no columns read as words in the user's language, not Python's True/False.
        return gettext("yes") if value else gettext("no")
    if isinstance(value, Promise):
        value = force_str(value)
    if isinstance(value, str):
        value = NOT_TEXT.sub("", value)
    if isinstance(value, str) and is_formula(value):
        return "'" + value
    return value


def _csv_value(value):
    value = neutralise(value)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return value


class _Echo:
    def write(self, value):
        return value


def csv_response(rows: Iterable[Sequence], filename: str) -> StreamingHttpResponse:
    """Streamed CSV (UTF-8 with a byte-order mark, so Excel reads the diacritics right)."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"
        for row in rows:
            yield writer.writerow([_csv_value(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_bytes(rows: Iterable[Sequence], sheet_title: str = "Data") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    for i, row in enumerate(rows):
        cells = []
        for value in row:
            value = neutralise(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str) and value.startswith("'"):
                # openpyxl reads "=…" as a formula; the apostrophe already stops that, and
                # marking the cell as text keeps it so when the file is re-saved.
                cell.data_type = "s"
            if isinstance(value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
            if i == 0:
                cell.font = Font(bold=True)
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(rows: Iterable[Sequence], filename: str, sheet_title: str = "Data") -> HttpResponse:
    response = HttpResponse(xlsx_bytes(rows, sheet_title), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def table_export(table, fmt: str, filename: str) -> HttpResponse:
    """Export a django-tables2 table, all its (filtered, ordered) rows, headers first."""
    rows = table.as_values()
    if fmt == "xlsx":
        return xlsx_response(rows, filename, sheet_title=filename)
    return csv_response(rows, filename)
