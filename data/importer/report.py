"""The row-level error report of a refused file, as an Excel workbook.

Values from the uploaded file are written as text cells, never as formulas: a cell
``=cmd|' /C calc'!A0`` comes back out as that string, which Excel shows and does not run.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from config.import_texts import import_message
from data.importer.validation import RowError

HEADERS = {
    "zh": ["行号", "列", "内容", "问题"],
    "en": ["line", "column", "value", "problem"],
}


def error_report_xlsx(errors: list[RowError], lang: str = "zh") -> bytes:
    """One row per error: file line, column, the offending value and the message in ``lang``."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "错误 errors" if lang == "zh" else "errors"
    sheet.append(HEADERS[lang])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for error in errors:
        sheet.append([error.row, error.column, None, import_message(error.key, lang, **error.params)])
        value_cell = sheet.cell(row=sheet.max_row, column=3)
        value_cell.value = error.value
        value_cell.data_type = "s"  # text, even when it starts with "=": never a formula
    for column, width in zip("ABCD", (8, 16, 30, 60)):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
