"""The row-level error report of a refused file, as an Excel workbook, and the staged preview as shown.

Values from the uploaded file are written as text cells, never as formulas: a cell
``=cmd|' /C calc'!A0`` comes back out as that string, which Excel shows and does not run.
"""

from __future__ import annotations

import io
import math

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from config.import_texts import IMPORT_TEXTS, import_message
from data.importer.spec import ImportKind
from data.importer.validation import RowError

HEADERS = {
    "zh": ["行号", "列", "内容", "问题"],
    "en": ["line", "column", "value", "problem"],
}


def error_report_xlsx(errors: list[RowError], lang: str = "zh", headers: dict[str, str] | None = None) -> bytes:
    """One row per error: file line, column (as the file's header named it, from ``headers``:
    column name → header), the offending value and the message in ``lang``."""
    headers = headers or {}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "错误 errors" if lang == "zh" else "errors"
    sheet.append(HEADERS[lang])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for error in errors:
        column = headers.get(error.column, error.column)
        sheet.append([error.row, column, None, import_message(error.key, lang, **error.params)])
        value_cell = sheet.cell(row=sheet.max_row, column=3)
        value_cell.value = error.value
        value_cell.data_type = "s"  # text, even when it starts with "=": never a formula
    for column, width in zip("ABCD", (8, 16, 30, 60)):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HIDDEN_PREVIEW_COLUMNS = ("path",)  # an org unit's path is a placeholder until the batch is confirmed


def column_labels(kind: ImportKind, columns: list[str], lang: str) -> dict[str, str]:
    """Labels of a staged batch's columns in ``lang``: the kind's headers (Chinese in zh, the
    column name in words in en; "(ID)" where a code was turned into the id that is stored), and
    the translated names of the columns the pipeline adds (line, resolution ...)."""
    labels = {}
    for spec in kind.columns:
        label = spec.header_zh if lang == "zh" else spec.name.replace("_", " ").capitalize()
        if spec.reference and spec.target_column != spec.name:
            label += "（ID）" if lang == "zh" else " (ID)"
        labels[spec.target_column] = label
    for column in columns:
        key = f"import_field_{column}"
        if column not in labels:
            labels[column] = import_message(key, lang) if key in IMPORT_TEXTS else column
    return labels


def _cell(value, lang: str) -> str:
    """A stored value as shown in the preview: empty for a missing value, never "None"/"nan"."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def preview_table(frame: pd.DataFrame, kind: ImportKind, lang: str) -> pd.DataFrame:
    """A staged batch's preview (:func:`data.importer.pipeline.preview`) for the page: columns
    named in the user's language, every cell as text, missing values empty."""
    shown = frame.drop(columns=[c for c in HIDDEN_PREVIEW_COLUMNS if c in frame.columns])
    labels = column_labels(kind, list(shown.columns), lang)
    table = pd.DataFrame({labels[c]: [_cell(v, lang) for v in shown[c].astype(object)] for c in shown.columns})
    return table
