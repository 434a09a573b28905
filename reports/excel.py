"""Excel exports of the pages' and the reports' tables: one workbook, one sheet per table.

Every page that offers "export to Excel" goes through :func:`frames_to_xlsx`, so all exports
share the same safety and layout: text is written as text cells, never as formulas (a customer
name ``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0`` comes out as that string, which Excel shows and
does not run); numbers stay numbers; headers are bold and frozen; columns are sized to their
content.
"""

from __future__ import annotations

import datetime as dt
import io
import math

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

MAX_SHEET_NAME = 31  # Excel's limit
INVALID_SHEET_CHARACTERS = str.maketrans({character: "_" for character in "[]:*?/\\"})
MAX_COLUMN_WIDTH = 60


def _cell_value(value):
    """A value openpyxl can write: NaN/None → empty, numpy scalars → Python, others unchanged."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalar
        return value.item()
    return value


def _sheet_title(name: str, taken: set[str]) -> str:
    """``name`` made a valid, unique Excel sheet title."""
    title = (name.translate(INVALID_SHEET_CHARACTERS) or "sheet")[:MAX_SHEET_NAME]
    candidate, number = title, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate, number = title[: MAX_SHEET_NAME - len(suffix)] + suffix, number + 1
    taken.add(candidate.lower())
    return candidate


def frames_to_xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    """A workbook with one sheet per ``{sheet name: table}``; the tables' columns become headers.

    Strings are always stored as text cells; dates and numbers keep their types.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for name, frame in (sheets or {"sheet": pd.DataFrame()}).items():
        sheet = workbook.create_sheet(_sheet_title(str(name), taken))
        headers = [str(column) for column in frame.columns]
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.data_type = "s"
        widths = [len(header) for header in headers]
        for row_number, row in enumerate(frame.itertuples(index=False, name=None), start=2):
            for column_number, raw in enumerate(row, start=1):
                value = _cell_value(raw)
                cell = sheet.cell(row=row_number, column=column_number)
                if isinstance(value, str):
                    cell.value = value
                    cell.data_type = "s"  # never a formula, even when it starts with "="
                else:
                    cell.value = value
                    if isinstance(value, dt.datetime):
                        cell.number_format = "yyyy-mm-dd hh:mm"
                    elif isinstance(value, dt.date):
                        cell.number_format = "yyyy-mm-dd"
                shown = len(str(value)) if value is not None else 0
                widths[column_number - 1] = max(widths[column_number - 1], shown)
        for column_number, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column_number)].width = min(width + 2, MAX_COLUMN_WIDTH)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
