"""CSV and XLSX export of exactly the rows a table shows after filtering (every page, not one).

A cell whose text begins with = + - @ (after any spaces, tabs or line breaks) would be read as a
formula by a spreadsheet ("CSV injection", OWASP); such text is prefixed with an apostrophe.
`is_formula` is that rule, for every export (lists, the review's workbook) and for the forms and the
import that refuse such text (kontum_posts.lib.clean). Numbers and dates are written as they are;
yes/no values as the words, never True/False.

Every file is named by export_filename (what, where, the day; ASCII) and every workbook sheet is written
by add_sheet (frozen header, dates dd/mm/yyyy, columns wide enough): the lists, the national table and the
pilot review's figures alike.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext

from kontum_posts.lib.vntext import fold

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
    """Streamed CSV (UTF-8 with a byte-order mark, so Excel reads the diacritics right); `filename` with
    its extension (export_filename)."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"
        for row in rows:
            yield writer.writerow([_csv_value(v) for v in row])

    return _attachment(StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8"), filename)


_SLUG_SEPARATORS = re.compile(r"[^a-z0-9]+")
# Widths are read from the header and the first rows: enough to size the columns, without holding a
# national export in memory twice.
_WIDTH_SAMPLE = 200
_DATE_WIDTH = 12  # "23/04/2019" with a margin: never "#####"


def export_filename(*parts: str, day: datetime.date, ext: str) -> str:
    """`can-bo_tinh-kon-tum_2019-04-23.xlsx`: what, where, the day. Vietnamese words folded to ASCII (every
    browser and OS keeps such a name as it is), words joined by "-", parts by "_"."""
    slugs = [_SLUG_SEPARATORS.sub("-", fold(part)).strip("-") for part in parts]
    return "_".join([*(s for s in slugs if s), day.isoformat()]) + f".{ext}"


def sheet_name(title: str) -> str:
    """A worksheet title Excel accepts: at most 31 characters, none of [ ] : * ? / \\."""
    return (re.sub(r"[\[\]:*?/\\]", " ", force_str(title)).strip() or "Data")[:31]


def _width(value) -> int:
    if isinstance(value, datetime.date):
        return _DATE_WIDTH
    if value is None:
        return 0
    return max((len(line) for line in str(value).splitlines()), default=0)


def _header_width(value) -> int:
    # A header wraps (see add_sheet): its longest word must fit, not the whole label.
    return max((len(word) for word in str(value or "").split()), default=0)


def column_widths(header: Sequence, rows: Iterable[Sequence]) -> list[int]:
    widths = [_header_width(h) for h in header]
    for row in rows:
        for i, value in enumerate(row[:len(widths)]):
            widths[i] = max(widths[i], _width(neutralise(value)))
    return [min(max(w + 2, 6), 60) for w in widths]


def new_workbook():
    from openpyxl import Workbook

    return Workbook(write_only=True)


def add_sheet(workbook, title: str, rows: Iterable[Sequence], widths: Sequence[int] | None = None) -> None:
    """One sheet of every workbook the app writes (lists, the national table, the pilot review): the first
    row a bold, wrapped, frozen header; dates as dd/mm/yyyy; columns wide enough for their values (given, or
    read from the first rows); every cell through neutralise()."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    rows = iter(rows)
    header = list(next(rows, []))
    if widths is None:
        sample = list(itertools.islice(rows, _WIDTH_SAMPLE))
        widths = column_widths(header, sample)
        rows = itertools.chain(sample, rows)
    sheet = workbook.create_sheet(title=sheet_name(title))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    bold, wrapped = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def cell(value, head: bool = False):
        value = neutralise(value)
        out = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str) and value.startswith("'"):
            # openpyxl reads "=…" as a formula; the apostrophe already stops that, and
            # marking the cell as text keeps it so when the file is re-saved.
            out.data_type = "s"
        if isinstance(value, datetime.date):
            out.number_format = "DD/MM/YYYY"
        if head:
            out.font, out.alignment = bold, wrapped
        return out

    sheet.append([cell(v, head=True) for v in header])
    for row in rows:
        sheet.append([cell(v) for v in row])


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(rows: Iterable[Sequence], sheet_title: str = "Data", notes: Sequence[tuple] = ()) -> bytes:
    """A table on one sheet; `notes`, (label, value) pairs saying what the file holds (the day, the place, the
    filters), on a second sheet."""
    workbook = new_workbook()
    add_sheet(workbook, sheet_title, rows)
    if notes:
        add_sheet(workbook, gettext("About this file"), [(gettext("Item"), gettext("Value")), *notes])
    return workbook_bytes(workbook)


def csv_lines(rows: Iterable[Sequence], notes: Sequence[tuple] = ()) -> Iterator[Sequence]:
    """The table, then (after an empty line) the notes: a CSV has one sheet."""
    yield from rows
    if notes:
        yield []
        yield from notes


def _attachment(response, filename: str):
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def xlsx_response(rows: Iterable[Sequence], filename: str, sheet_title: str = "Data",
                  notes: Sequence[tuple] = ()) -> HttpResponse:
    """`filename` with its extension (export_filename)."""
    return _attachment(HttpResponse(xlsx_bytes(rows, sheet_title, notes), content_type=XLSX_TYPE), filename)


def table_export(table, fmt: str, *, what: str, place: str, day: datetime.date, sheet_title: str,
                 notes: Sequence[tuple] = ()) -> HttpResponse:
    """Export a django-tables2 table, all its (filtered, ordered) rows, headers first, named
    `<what>_<place>_<day>.<fmt>` (`what` a Vietnamese word: files are named in the documents' language)."""
    rows = table.as_values()
    filename = export_filename(what, place, day=day, ext=fmt)
    if fmt == "xlsx":
        return xlsx_response(rows, filename, sheet_title=sheet_title, notes=notes)
    return csv_response(csv_lines(rows, notes), filename)
