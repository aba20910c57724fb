"""The import template: the columns with an example row, as CSV or XLSX."""

from __future__ import annotations

import csv
import io

from personnel.importing.columns import (
    _END_REASONS_VI,
    _POSITIONS_VI,
    _RANKS_VI,
    COLUMNS,
)


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in COLUMNS])
    return "\ufeff".encode() + out.getvalue().encode()  # a BOM, so Excel reads it as UTF-8


def template_xlsx(examples: dict[str, str] | None = None) -> bytes:
    """The import workbook: an empty sheet to fill and a guide. `examples` replaces some columns'
    examples (the view names a commune and a unit the user may write to)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bố trí"
    sheet.append([c.header for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[_letter(index)].width = max(14, len(column.header) + 4)
        # Dates and codes as text, so Excel does not turn 02/01/2019 into 1 February or drop leading zeros.
        for row in range(2, 1001):
            sheet.cell(row=row, column=index).number_format = "@"
    guide = workbook.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Bắt buộc", "Ví dụ", "Ghi chú"])
    notes = {
        "service_number": "Số hiệu CAND; cán bộ đã có trong hệ thống được nhận theo số hiệu",
        "gender": "Nam / Nữ (bắt buộc với cán bộ mới)",
        "rank": ", ".join(_RANKS_VI.values()) + " (bắt buộc với cán bộ mới)",
        "commune": "Mã xã (mã GSO) hoặc tên xã",
        "position": "; ".join(names[0] for names in _POSITIONS_VI.values()),
        "end_reason": "; ".join(names[0] for names in _END_REASONS_VI.values()),
    }
    for c in COLUMNS:
        date_note = "dd/mm/yyyy" if "date" in c.key or c.key == "party_member_since" else ""
        example = (examples or {}).get(c.key, c.example)
        guide.append([c.header, "x" if c.required else "", example, notes.get(c.key, date_note)])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (18, 10, 26, 90), strict=True):
        guide.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
