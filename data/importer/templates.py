"""Import templates made from the kind specifications, so that they never drift from the validator.

Each kind gets ``<kind>.csv`` (English headers, UTF-8 with a byte-order mark so that Excel
opens Chinese text correctly, one example row) and ``<kind>.xlsx`` (Chinese headers on the
first sheet, every column described in Chinese on a second sheet "列说明"). The files in
``data/templates/`` are written by ``python -m data.importer.templates``; a test checks that
they match.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from data.importer.spec import KINDS, ImportKind

TEMPLATE_FOLDER = Path(__file__).resolve().parent.parent / "templates"
TYPE_NAMES = {
    "text": ("文本", "text"),
    "float": ("数字", "number"),
    "int": ("整数", "whole number"),
    "bool": ("是/否", "yes/no"),
    "date": ("日期 YYYY-MM-DD", "date YYYY-MM-DD"),
    "datetime": ("时间 YYYY-MM-DD HH:MM:SS", "time YYYY-MM-DD HH:MM:SS"),
    "month": ("月份 YYYY-MM", "month YYYY-MM"),
}


def template_csv(kind: ImportKind, lang: str = "en") -> bytes:
    """Header row (English or Chinese) and one example row, UTF-8 with BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name if lang == "en" else c.header_zh for c in kind.columns])
    writer.writerow([c.example for c in kind.columns])
    return buffer.getvalue().encode("utf-8-sig")


NOTES_HEADERS = {
    "zh": ["列名", "英文列名", "类型", "必填", "取值范围", "说明", "示例"],
    "en": ["column", "Chinese header", "type", "required", "limits", "description", "example"],
}


def column_notes(kind: ImportKind, lang: str = "zh") -> list[list[str]]:
    """One row per column in ``lang`` (see :data:`NOTES_HEADERS`): the header in that language,
    the other language's header, type, required, range, description and example."""
    rows = []
    for column in kind.columns:
        type_zh, type_en = TYPE_NAMES[column.kind]
        limits = []
        if column.minimum is not None:
            limits.append(f"≥ {column.minimum:g}")
        if column.maximum is not None:
            limits.append(f"≤ {column.maximum:g}")
        if column.kind == "text":
            limits.append(f"≤ {column.max_length} 个字符" if lang == "zh" else f"≤ {column.max_length} chars")
        if lang == "zh":
            first, other, kind_name, required = (
                column.header_zh,
                column.name,
                type_zh,
                "是" if column.required else "否",
            )
            description = column.description_zh
        else:
            first, other, kind_name, required = (
                column.name,
                column.header_zh,
                type_en,
                "yes" if column.required else "no",
            )
            description = column.description_en
        rows.append([first, other, kind_name, required, ", ".join(limits), description, column.example])
    return rows


def template_xlsx(kind: ImportKind) -> bytes:
    """Excel template: Chinese headers and an example row, then a sheet describing the columns in Chinese."""
    workbook = Workbook()
    data = workbook.active
    data.title = kind.title_zh[:31]
    data.append([c.header_zh for c in kind.columns])
    data.append([c.example for c in kind.columns])  # written as text: nothing is a formula
    for cell in data[1]:
        cell.font = Font(bold=True)
    notes = workbook.create_sheet("列说明")
    notes.append(NOTES_HEADERS["zh"])
    for row in column_notes(kind, "zh"):
        notes.append(row)
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (16, 22, 14, 6, 22, 48, 20)):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cells(content: bytes) -> list[list[tuple]]:
    """Every sheet's cell values of a workbook (what a template says, without its timestamps)."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [[tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets]


def _unchanged(path: Path, content: bytes) -> bool:
    if not path.exists():
        return False
    if path.suffix == ".xlsx":  # a workbook saved again differs in its timestamps only
        return _cells(path.read_bytes()) == _cells(content)
    return path.read_bytes() == content


def write_all(folder: Path = TEMPLATE_FOLDER) -> list[Path]:
    """Write every kind's CSV and Excel template into ``folder`` where it changed; returns those written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS.values():
        for path, content in (
            (folder / f"{kind.name}.csv", template_csv(kind)),
            (folder / f"{kind.name}.xlsx", template_xlsx(kind)),
        ):
            if not _unchanged(path, content):
                path.write_bytes(content)
                written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_all():
        print(written_path.relative_to(TEMPLATE_FOLDER.parent.parent))
    sys.exit(0)
