"""Streaming the first sheet of an XLSX, cell by cell, without trusting what the file declares.

openpyxl's own read-only sheet pads every row to the declared dimension and every missing row up to
it, and holds a whole row's (and the shared strings') XML elements until their end: a small file can
make that gigabytes. Here the XML is parsed as a stream and every element is dropped from the tree
once read, so memory follows the rows kept, never the file's claims. openpyxl still reads the
workbook, the styles (which numbers are dates) and each cell's value: its parser is a private
module, so pyproject.toml bounds openpyxl and tests/personnel/test_import_bounds.py exercises it.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._reader import CELL_TAG, FORMULA_TAG, ROW_TAG, WorkSheetParser
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from personnel.importing.read import FORMULA, Limits, _not_xlsx

_STRING_TAG = f"{{{SHEET_MAIN_NS}}}si"
_MAX_ELEMENTS_IN_A_CELL = 1000  # a cell's value, formula and rich-text runs; far more is not a spreadsheet typed by hand


def _stream(source, unit_tag: str):
    """(event, element, parent) for each start of a `unit_tag` element and each end of any element; every element
    outside a unit is dropped from its parent once it ends, and each unit once the caller has read it."""
    stack = []
    inside = 0  # elements open or read inside the current unit
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            stack.append(element)
            if inside or element.tag == unit_tag:
                inside += 1
                if inside > _MAX_ELEMENTS_IN_A_CELL:
                    raise _not_xlsx()
            if element.tag in (unit_tag, ROW_TAG):
                yield "start", element, None
            continue
        stack.pop()
        parent = stack[-1] if stack else None
        if element.tag == unit_tag:
            inside = 0
            yield "end", element, parent
        elif inside:
            continue  # part of a unit: read with it
        elif element.tag == ROW_TAG:
            yield "end", element, parent
        if parent is not None:
            parent.remove(element)  # the last child: the earlier ones are gone already


class _Reader(ExcelReader):
    """openpyxl's workbook reader (read-only, cached values) with the shared strings streamed."""

    def read_strings(self):
        part = self.package.find(SHARED_STRINGS)
        self.shared_strings = []
        if part is None:
            return
        with self.archive.open(part.PartName[1:]) as source:
            for event, element, _parent in _stream(source, _STRING_TAG):
                if event == "end":
                    self.shared_strings.append(Text.from_tree(element).content.replace("x005F_", ""))


def first_sheet_rows(content: bytes, limits: Limits, bounded: Callable, text: Callable) -> list[list[str]]:
    """The first sheet's rows (the header first), each `bounded` and its cells passed through `text`."""
    reader = _Reader(io.BytesIO(content), read_only=True, data_only=True)
    try:
        reader.read()
        workbook = reader.wb
        sheet = workbook.worksheets[0]
        # A bound on every cell read, empty or not: within rows × columns a file cannot make reading slow either.
        budget = (limits.rows + 1) * limits.columns + 10_000
        rows: list[list[str]] = []
        with reader.archive.open(sheet._worksheet_path) as source:
            parser = WorkSheetParser(source, reader.shared_strings, data_only=True, epoch=workbook.epoch,
                                     date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)
            number, cells = 0, {}
            for event, element, _parent in _stream(source, CELL_TAG):
                if element.tag == ROW_TAG:
                    if event == "start":
                        number = int(element.get("r") or number + 1)
                        parser.row_counter, parser.col_counter, cells = number, 0, {}
                        continue
                    width = max(cells, default=0)
                    row = bounded([cells.get(i, "") for i in range(1, width + 1)], number, limits)
                    if number <= limits.rows + 1:
                        rows.extend([] for _ in range(number - 1 - len(rows)))  # rows the file leaves out
                        rows.append(row)
                    continue
                if event == "start":
                    continue
                budget -= 1
                if budget < 0:
                    raise limits.too_many_rows()
                if len(element) == 0:  # no value, formula or text: only its place counts (for cells without one)
                    place = element.get("r")
                    parser.col_counter = coordinate_to_tuple(place)[1] if place else parser.col_counter + 1
                    continue
                cell = parser.parse_cell(element)
                value = cell["value"]
                if value is None and element.find(FORMULA_TAG) is not None:
                    value = FORMULA
                if value is None:
                    continue
                if cell["column"] > limits.columns:
                    if str(value).strip():
                        raise limits.too_many_columns()
                    continue
                cells[cell["column"]] = text(value)
        return rows
    finally:
        reader.archive.close()
