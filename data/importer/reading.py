"""Reading an uploaded file in chunks: CSV (UTF-8 or GBK/GB18030) or Excel (.xlsx).

Every cell is read as text (validation converts it), so nothing is ever evaluated: a cell
``=cmd|' /C calc'!A0`` is just the string it looks like. File-level problems raise
:class:`ImportFileError` with a translation key and parameters.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd
from openpyxl import load_workbook

from data.importer.spec import ImportKind

CHUNK_ROWS = 100_000
MAX_LINE_BYTES = 65_536  # a CSV line longer than this is refused
SNIFF_BYTES = 1 << 20
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls and other OLE documents


class ImportFileError(Exception):
    """A problem with the file as a whole (not with one row): ``key`` names the message."""

    def __init__(self, key: str, **params):
        super().__init__(key, params)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class FileFormat:
    """What a file is: ``csv`` (with its text encoding) or ``xlsx``."""

    kind: str
    encoding: str | None = None


def sniff(content: bytes) -> FileFormat:
    """Tell CSV from XLSX and find a CSV's encoding (UTF-8, else GB18030, a superset of GBK)."""
    if not content.strip():
        raise ImportFileError("import_empty_file")
    if content.startswith(XLSX_MAGIC):
        if not zipfile.is_zipfile(io.BytesIO(content)):
            raise ImportFileError("import_not_csv_or_xlsx")
        return FileFormat("xlsx")
    head = content[:SNIFF_BYTES]
    if head.startswith(OLE_MAGIC) or b"\x00" in head:
        raise ImportFileError("import_not_csv_or_xlsx")
    for encoding in ("utf-8-sig", "gb18030"):
        if _decodes(content, encoding):
            return FileFormat("csv", encoding)
    raise ImportFileError("import_bad_encoding")


def _decodes(content: bytes, encoding: str) -> bool:
    """Whether the whole content is valid in ``encoding``, checked slice by slice (no full copy)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(content)
    try:
        for start in range(0, len(content), SNIFF_BYTES):
            decoder.decode(view[start : start + SNIFF_BYTES], final=False)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def header_map(kind: ImportKind, headers: list[str]) -> dict[str, str]:
    """File header → column name, accepting English or Chinese headers; refuses missing/extra ones."""
    accepted = {}
    for column in kind.columns:
        accepted[column.name.lower()] = column.name
        accepted[column.header_zh.lower()] = column.name
    mapping, unknown = {}, []
    for header in headers:
        name = accepted.get(str(header).strip().lower())
        if name is None:
            unknown.append(str(header))
        elif name in mapping.values():
            raise ImportFileError("import_duplicate_column", column=str(header))
        else:
            mapping[header] = name
    if unknown:
        raise ImportFileError("import_unknown_columns", columns=", ".join(unknown))
    missing = [c.name for c in kind.columns if c.required and c.name not in mapping.values()]
    if missing:
        raise ImportFileError("import_missing_columns", columns=", ".join(missing))
    return mapping


def _check_line_lengths(content: bytes) -> None:
    for number, line in enumerate(io.BytesIO(content), start=1):
        if len(line) > MAX_LINE_BYTES:
            raise ImportFileError("import_line_too_long", line=number, limit=MAX_LINE_BYTES)


def _csv_chunks(content: bytes, encoding: str, kind: ImportKind) -> Iterator[pd.DataFrame]:
    _check_line_lengths(content)
    text = io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline="")  # decoded as it is read
    try:
        reader = pd.read_csv(
            text, dtype=str, keep_default_na=False, chunksize=CHUNK_ROWS, skipinitialspace=True, on_bad_lines="error"
        )
        mapping = None
        for chunk in reader:
            if mapping is None:
                mapping = header_map(kind, list(chunk.columns))
            yield chunk.rename(columns=mapping)
        if mapping is None:
            raise ImportFileError("import_no_rows")
    except (pd.errors.ParserError, csv.Error) as error:
        raise ImportFileError("import_malformed_csv", detail=str(error).splitlines()[0][:200]) from error
    except pd.errors.EmptyDataError as error:
        raise ImportFileError("import_empty_file") from error


def _xlsx_chunks(content: bytes, kind: ImportKind) -> Iterator[pd.DataFrame]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds of errors for broken files
        raise ImportFileError("import_not_csv_or_xlsx") from error
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        headers = next(rows, None)
        if headers is None:
            raise ImportFileError("import_empty_file")
        headers = [h for h in headers if h is not None]
        mapping = header_map(kind, headers)
        buffer = []
        for row in rows:
            if all(v is None or str(v).strip() == "" for v in row):
                continue
            buffer.append(["" if v is None else _cell_text(v) for v in row[: len(headers)]])
            if len(buffer) == CHUNK_ROWS:
                yield pd.DataFrame(buffer, columns=headers).rename(columns=mapping)
                buffer = []
        if buffer:
            yield pd.DataFrame(buffer, columns=headers).rename(columns=mapping)
    finally:
        workbook.close()


def _cell_text(value) -> str:
    """An Excel cell as text: dates as ISO dates, whole floats without ``.0``."""
    if hasattr(value, "date") and hasattr(value, "hour"):
        return value.date().isoformat() if (value.hour, value.minute, value.second) == (0, 0, 0) else value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_chunks(content: bytes, kind: ImportKind) -> Iterator[pd.DataFrame]:
    """Text DataFrames of at most CHUNK_ROWS rows with the kind's column names.

    Adds ``row_number``: the line of the row in the file (the header is line 1).
    """
    file_format = sniff(content)
    chunks = (
        _xlsx_chunks(content, kind) if file_format.kind == "xlsx" else _csv_chunks(content, file_format.encoding, kind)
    )
    first_row = 2
    produced = False
    for chunk in chunks:
        if chunk.empty:
            continue
        chunk = chunk.reset_index(drop=True)
        chunk.insert(0, "row_number", range(first_row, first_row + len(chunk)))
        first_row += len(chunk)
        produced = True
        yield chunk
    if not produced:
        raise ImportFileError("import_no_rows")
