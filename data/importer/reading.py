"""Reading an uploaded file in chunks: CSV (UTF-8, GBK/GB18030 or UTF-16) or Excel (.xlsx).

Every cell is read as text (validation converts it), so nothing is ever evaluated: a cell
``=cmd|' /C calc'!A0`` is just the string it looks like. File-level problems raise
:class:`ImportFileError` with a translation key and parameters.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd
from openpyxl import load_workbook

from data.importer.limits import import_setting
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
    """Tell CSV from XLSX and find a CSV's encoding (see :func:`prepare`)."""
    return prepare(content)[0]


def prepare(content: bytes) -> tuple[FileFormat, bytes]:
    """What the file is, and its bytes as read (a UTF-16 file comes back as UTF-8).

    A CSV is decoded strictly: UTF-8 (with or without a byte-order mark), else GB18030 (a
    superset of GBK), or UTF-16 when it starts with a UTF-16 byte-order mark. The decoded text is
    then checked by :func:`_scan_text`. An .xlsx file is checked against the size limits by
    :func:`check_xlsx_bounds` before anything parses it.
    """
    if re.search(rb"\S", content) is None:  # only white space (no copy of a large file, as strip() makes)
        raise ImportFileError("import_empty_file")
    if content.startswith(XLSX_MAGIC):
        if not zipfile.is_zipfile(io.BytesIO(content)):
            raise ImportFileError("import_not_csv_or_xlsx")
        check_xlsx_bounds(content)
        return FileFormat("xlsx"), content
    if content.startswith(OLE_MAGIC):
        raise ImportFileError("import_not_csv_or_xlsx")
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            content = content.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as error:
            raise ImportFileError("import_bad_encoding") from error
    nul = content.find(b"\x00")
    if 0 <= nul < SNIFF_BYTES:
        raise ImportFileError("import_not_csv_or_xlsx")  # a binary file
    if nul >= 0:  # a text file with a NUL byte further down: damaged
        raise ImportFileError("import_nul_byte", line=content.count(b"\n", 0, nul) + 1)
    for encoding in ("utf-8-sig", "gb18030"):
        if _decodes(content, encoding):
            return FileFormat("csv", encoding), content
    raise ImportFileError("import_bad_encoding")


def _decodes(content: bytes, encoding: str) -> bool:
    """Whether the whole content is valid in ``encoding``, checked slice by slice (no full copy).

    Raises :class:`ImportFileError` when it decodes but the text breaks the rules of
    :func:`_scan_text`."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(content)
    problem = None
    lines_before = 0
    try:
        for start in range(0, len(content), SNIFF_BYTES):
            piece = decoder.decode(view[start : start + SNIFF_BYTES], final=False)
            if problem is None:
                problem = _scan_text(piece, encoding, lines_before)
            lines_before += piece.count("\n")
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    if problem is not None:
        raise problem
    return True


# Control characters other than tab, line feed and carriage return (C0, DEL).
ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
REFUSED_CATEGORIES = ("Co", "Cn", "Cs")  # private use, unassigned (in Python's Unicode tables), surrogates
COMPATIBILITY_IDEOGRAPHS = ((0xF900, 0xFAFF), (0x2F800, 0x2FA1F))


@functools.lru_cache(maxsize=65_536)
def refused_character(character: str) -> bool:
    """Whether a character cannot be in a bank extract: a control character other than tab and
    line ends, a private-use, surrogate or unassigned code point, or a CJK compatibility
    ideograph (duplicates of unified ideographs that GBK-era converters leave behind)."""
    category = unicodedata.category(character)
    if category == "Cc":
        return character not in "\t\r\n"
    if category in REFUSED_CATEGORIES:
        return True
    code = ord(character)
    return any(low <= code <= high for low, high in COMPATIBILITY_IDEOGRAPHS)


@functools.lru_cache(maxsize=65_536)
def _latin1_lookalike(character: str) -> bool:
    """A character GB18030 makes of a Latin-1 accented letter and the ASCII letter after it
    (two bytes, the second one ASCII: the rare GBK-extension characters such as 黮)."""
    if ord(character) < 0x80:
        return False
    try:
        encoded = character.encode("gb18030")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and encoded[1] < 0x80


def _line_of(piece: str, index: int, lines_before: int) -> int:
    return lines_before + piece.count("\n", 0, index) + 1


def _field_around(piece: str, index: int) -> str:
    """The comma-separated field of ``piece`` around ``index`` (at most 40 characters)."""
    left = max(piece.rfind(separator, 0, index) for separator in ',\n"')
    rights = [position for position in (piece.find(s, index) for s in ',\r\n"') if position >= 0]
    return piece[left + 1 : min(rights, default=len(piece))][:40]


def _scan_text(piece: str, encoding: str, lines_before: int) -> ImportFileError | None:
    """The first refused character of a decoded piece of a CSV (see :func:`refused_character`),
    or, in a file read as GB18030, a rare Chinese character right next to a Latin letter (like
    "M黮ler"): what a Latin-1/Windows-1252 file looks like when read as GBK. ``None`` if fine."""
    if piece.isascii():
        found = ASCII_CONTROLS.search(piece)
        if found is None:
            return None
        index = found.start()
    else:
        characters = set(piece)
        refused = [c for c in characters if refused_character(c)]
        if refused:
            index = min(piece.index(c) for c in refused)
        else:
            if encoding != "gb18030":
                return None
            lookalikes = "".join(re.escape(c) for c in characters if _latin1_lookalike(c))
            if not lookalikes:
                return None
            found = re.search(f"[A-Za-z][{lookalikes}]|[{lookalikes}][A-Za-z]", piece)
            if found is None:
                return None
            line = _line_of(piece, found.start(), lines_before)
            return ImportFileError("import_latin1_as_gbk", line=line, text=_field_around(piece, found.start()))
    code = f"U+{ord(piece[index]):04X}"
    return ImportFileError("import_bad_character", line=_line_of(piece, index, lines_before), code=code)


SHOWN_UNKNOWN_COLUMNS = 5  # unknown columns named in the message; the rest are counted


def header_map(kind: ImportKind, headers: list[str]) -> list[str]:
    """The kind's column name of each file header, in order, accepting English or Chinese
    headers (trimmed, any case); refuses unknown, repeated and missing columns."""
    accepted = {}
    for column in kind.columns:
        accepted[column.name.lower()] = column.name
        accepted[column.header_zh.lower()] = column.name
    names, unknown, seen = [], [], {}
    for header in headers:
        text = str(header).strip()
        name = accepted.get(text.lower())
        if name is None:
            unknown.append(text or '""')
        elif name in seen:
            raise ImportFileError("import_duplicate_column", column=text, first=seen[name])
        else:
            seen[name] = text
        names.append(name)
    if unknown:
        raise _unknown_columns(unknown)
    missing = [c for c in kind.columns if c.required and c.name not in seen]
    if missing:
        columns = ", ".join(f"{c.name} ({c.header_zh})" for c in missing)
        raise ImportFileError("import_missing_columns", columns=columns)
    return names


def _unknown_columns(unknown: list[str]) -> ImportFileError:
    """The first few unknown headers, and how many more there are."""
    shown = ", ".join(name[:40] for name in unknown[:SHOWN_UNKNOWN_COLUMNS])
    more = len(unknown) - SHOWN_UNKNOWN_COLUMNS
    if more > 0:
        return ImportFileError("import_unknown_columns_more", columns=shown, count=len(unknown), more=more)
    return ImportFileError("import_unknown_columns", columns=shown)


def _check_line_lengths(content: bytes) -> None:
    for number, line in enumerate(io.BytesIO(content), start=1):
        if len(line) > MAX_LINE_BYTES:
            raise ImportFileError("import_line_too_long", line=number, limit=MAX_LINE_BYTES)


def _csv_header(content: bytes, encoding: str) -> list[str]:
    """The first record of the CSV, read by the csv module (so that repeated headers stay as they
    are: pandas would rename the second ``account_no`` to ``account_no.1``)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    head = decoder.decode(content[: MAX_LINE_BYTES + 4], final=False)
    try:
        return next(csv.reader(io.StringIO(head), skipinitialspace=True), [])
    except csv.Error as error:
        raise ImportFileError("import_malformed_csv", detail=str(error)[:200]) from error


FIELD_COUNT_ERROR = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _csv_chunks(content: bytes, encoding: str, kind: ImportKind, headers_out: dict) -> Iterator[pd.DataFrame]:
    _check_line_lengths(content)
    headers = _csv_header(content, encoding)
    if not headers:
        raise ImportFileError("import_empty_file")
    names = header_map(kind, headers)
    headers_out.update({name: str(header).strip() for name, header in zip(names, headers)})
    positions = [str(i) for i in range(len(headers))]
    text = io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline="")  # decoded as it is read
    try:
        reader = pd.read_csv(
            text,
            header=0,
            names=positions,
            dtype=str,
            keep_default_na=False,
            chunksize=CHUNK_ROWS,
            skipinitialspace=True,
            on_bad_lines="error",
        )
        for chunk in reader:
            if not isinstance(chunk.index, pd.RangeIndex):  # pandas took the extra fields of line 2 as an index
                raise ImportFileError(
                    "import_wrong_field_count", line=2, fields=len(headers) + chunk.index.nlevels, header=len(headers)
                )
            chunk.columns = names
            yield chunk
    except (pd.errors.ParserError, csv.Error) as error:
        found = FIELD_COUNT_ERROR.search(str(error))
        if found is not None:
            expected, line, saw = (int(group) for group in found.groups())
            raise ImportFileError("import_wrong_field_count", line=line, fields=saw, header=expected) from error
        raise ImportFileError("import_malformed_csv", detail=str(error).splitlines()[0][:200]) from error
    except pd.errors.EmptyDataError as error:
        raise ImportFileError("import_empty_file") from error


def _column_number(letters: str) -> int:
    """Spreadsheet column letters as a number (A = 1, XFD = 16384)."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="(?:[A-Z]+\d+:)?([A-Z]{1,3})(\d+)"')
XML_HEAD_BYTES = 8192


def xlsx_limits() -> dict[str, int]:
    """The Excel limits of config/defaults.toml (``xlsx_max_*``), environment overrides applied."""
    return {
        name: import_setting(f"xlsx_max_{name}") for name in ("uncompressed_mib", "shared_strings", "rows", "columns")
    }


def check_xlsx_bounds(content: bytes) -> None:
    """Refuse a workbook too big to parse, before openpyxl loads it, from its zip directory (the
    unpacked size of every part), its shared strings (the ``uniqueCount``/``count`` attribute,
    else the ``<si>`` elements counted while streaming) and the dimension of its sheets."""
    limits = xlsx_limits()
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > limits["uncompressed_mib"] * 2**20:
                raise ImportFileError(
                    "import_xlsx_too_big", size=f"{unpacked / 2**20:,.0f}", limit=f"{limits['uncompressed_mib']:,}"
                )
            names = archive.namelist()
            strings = next((n for n in names if n.lower() == "xl/sharedstrings.xml"), None)
            if strings is not None:
                count = _shared_strings(archive, strings, limits["shared_strings"])
                if count > limits["shared_strings"]:
                    raise ImportFileError(
                        "import_xlsx_too_many_strings", count=f"{count:,}", limit=f"{limits['shared_strings']:,}"
                    )
            for name in names:
                if name.lower().startswith("xl/worksheets/") and name.lower().endswith(".xml"):
                    _check_dimension(archive, name, limits["rows"], limits["columns"])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError) as error:
        raise ImportFileError("import_not_csv_or_xlsx") from error


def _shared_strings(archive: zipfile.ZipFile, name: str, limit: int) -> int:
    """The workbook's distinct texts: the declared count if above ``limit``, else the ``<si>``
    elements counted while streaming (stops as soon as there are more than ``limit``)."""
    with archive.open(name) as stream:
        head = stream.read(XML_HEAD_BYTES)
        declared = re.search(rb'<(?:\w+:)?sst\b[^>]*?\buniqueCount="(\d+)"', head) or re.search(
            rb'<(?:\w+:)?sst\b[^>]*?\bcount="(\d+)"', head
        )
        if declared is not None and int(declared.group(1)) > limit:
            return int(declared.group(1))
        count, tail, block = 0, b"", head
        while block:
            text = tail + block
            count += len(SHARED_STRING.findall(text)) - len(SHARED_STRING.findall(tail))
            if count > limit:
                return count
            tail, block = text[-16:], stream.read(1 << 20)
        return count


def _check_dimension(archive: zipfile.ZipFile, name: str, max_rows: int, max_columns: int) -> None:
    with archive.open(name) as stream:
        found = DIMENSION.search(stream.read(XML_HEAD_BYTES))
    if found is None:
        return  # no dimension: the rows are counted while they are read
    columns, rows = _column_number(found.group(1).decode()), int(found.group(2))
    if rows > max_rows or columns > max_columns:
        raise _sheet_too_large(f"{rows:,}", columns)


def _sheet_too_large(rows: str, columns: int) -> ImportFileError:
    limits = xlsx_limits()
    return ImportFileError(
        "import_xlsx_too_large_sheet",
        rows=rows,
        columns=f"{columns:,}",
        max_rows=f"{limits['rows']:,}",
        max_columns=f"{limits['columns']:,}",
    )


def _xlsx_chunks(content: bytes, kind: ImportKind, headers_out: dict) -> Iterator[pd.DataFrame]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds of errors for broken files
        raise ImportFileError("import_not_csv_or_xlsx") from error
    limits = xlsx_limits()
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        headers = next(rows, None)
        if headers is None:
            raise ImportFileError("import_empty_file")
        if len(headers) > limits["columns"]:
            raise _sheet_too_large("?", len(headers))
        headers = ["" if h is None else _cell_text(h).strip() for h in headers]
        while headers and headers[-1] == "":
            headers.pop()  # empty cells after the last header
        names = header_map(kind, headers)
        headers_out.update(dict(zip(names, headers)))
        buffer = []
        for line, row in enumerate(rows, start=2):
            if line > limits["rows"] or len(row) > limits["columns"]:
                raise _sheet_too_large(f"{line:,}+", len(row))
            texts = ["" if v is None else _cell_text(v) for v in row]
            filled = [i for i, v in enumerate(texts) if v.strip() != ""]
            if not filled:
                continue
            if filled[-1] >= len(headers):
                raise ImportFileError("import_wrong_field_count", line=line, fields=filled[-1] + 1, header=len(headers))
            buffer.append(texts[: len(headers)] + [""] * (len(headers) - len(texts)))
            if len(buffer) == CHUNK_ROWS:
                yield pd.DataFrame(buffer, columns=names)
                buffer = []
        if buffer:
            yield pd.DataFrame(buffer, columns=names)
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


def read_chunks(content: bytes, kind: ImportKind, headers_out: dict | None = None) -> Iterator[pd.DataFrame]:
    """Text DataFrames of at most CHUNK_ROWS rows with the kind's column names.

    Adds ``row_number``: the line of the row in the file (the header is line 1). ``headers_out``,
    when given, receives each column's header as the file spells it (column name → header), so
    that messages can name the columns the way the user wrote them.
    """
    headers_out = {} if headers_out is None else headers_out
    file_format, content = prepare(content)
    chunks = (
        _xlsx_chunks(content, kind, headers_out)
        if file_format.kind == "xlsx"
        else _csv_chunks(content, file_format.encoding, kind, headers_out)
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
