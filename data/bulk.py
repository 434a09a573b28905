"""Fast bulk loading of a DataFrame into a table: COPY on PostgreSQL, executemany on SQLite.

Used by the demo generator and the import pipeline. The caller owns the transaction: pass a
``Connection`` inside ``engine.begin()`` so that a failure leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pyarrow as pa
from pyarrow import csv as pa_csv
from sqlalchemy import JSON, Date, DateTime, Table, text
from sqlalchemy.engine import Connection

CHUNK_ROWS = 50_000
# From this many rows on, PostgreSQL loads faster with indexes and foreign keys rebuilt after COPY.
REBUILD_INDEXES_ROWS = 200_000


def _plain(value):
    """A numpy scalar as the plain Python value drivers understand; other values unchanged."""
    return value.item() if isinstance(value, np.generic) else value


def _column_values(series: pd.Series, python_type: type | None) -> list:
    """Plain Python values of one column (None where missing), cast to what the table column holds.

    Converted a whole column at a time (``tolist`` yields Python ints, floats and datetimes),
    which is what makes loading a million rows take seconds rather than minutes.
    """
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        values = series.dt.date.tolist() if python_type is dt.date else series.dt.to_pydatetime().tolist()
    elif series.dtype == object:
        values = [_plain(v) for v in series.tolist()]
    else:
        values = series.tolist()
    missing = series.isna().to_numpy()
    if missing.any():
        values = [None if absent else v for v, absent in zip(values, missing)]
    if python_type is int and series.dtype.kind in "fO":
        return [None if v is None else int(v) for v in values]
    if python_type is dt.date and series.dtype == object:
        return [v.date() if isinstance(v, dt.datetime) else v for v in values]
    return values


def _sqlite_date_text(series: pd.Series, column_type, processor) -> list | None:
    """A datetime64 column as the ISO text SQLite's DATE or DATETIME column stores, formatted in C.

    Formatting a million dates one by one through the type's bind processor takes seconds;
    numpy formats them at once. Returns None (use the processor) for any other column, or when
    the first value differs from the processor's (a custom storage format, say).
    """
    if not isinstance(column_type, (Date, DateTime)):
        return None
    if series.dtype == object and pd.api.types.infer_dtype(series, skipna=True) in ("date", "datetime"):
        series = pd.to_datetime(series)  # datetime.date objects (naive datetimes) → datetime64
    if not pd.api.types.is_datetime64_dtype(series.dtype):
        return None
    with_time = isinstance(column_type, DateTime)
    instants = series.to_numpy().astype("datetime64[us]" if with_time else "datetime64[D]")
    formatted = np.datetime_as_string(instants)  # 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM:SS.ffffff'
    if with_time and len(formatted):
        formatted.view(np.uint32).reshape(len(formatted), -1)[:, 10] = ord(" ")  # SQLite's format has a space
    missing = np.isnat(instants)
    values = formatted.tolist()
    if missing.any():
        values = [None if absent else value for value, absent in zip(values, missing)]
    first = int(np.argmin(missing)) if len(values) else 0
    if len(values) and not missing[first] and processor(series.iloc[first].to_pydatetime()) != values[first]:
        return None
    return values


def _python_type(column) -> type | None:
    try:
        return column.type.python_type
    except NotImplementedError:
        return None


def _rows(frame: pd.DataFrame, table: Table, columns: list[str]):
    """Yield row tuples of plain Python values, converted column by column (JSON as text)."""
    converted = []
    for column in columns:
        values = _column_values(frame[column], _python_type(table.c[column]))
        if isinstance(table.c[column].type, JSON):
            values = [v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in values]
        converted.append(values)
    return zip(*converted)


def bulk_insert(
    connection: Connection, table: Table, frame: pd.DataFrame, rebuild_indexes_rows: int = REBUILD_INDEXES_ROWS
) -> int:
    """Insert every row of ``frame`` (columns named as the table's) into ``table``.

    Returns the number of rows inserted. Dates may be ``datetime.date`` objects or datetime64;
    JSON columns take dicts and lists, or text that is already JSON.
    On PostgreSQL, loads of at least ``rebuild_indexes_rows`` rows rebuild the table's secondary
    indexes and foreign keys after the COPY instead of maintaining them row by row.
    """
    if frame.empty:
        return 0
    columns = [c for c in frame.columns if c in table.c]
    missing = set(frame.columns) - set(columns)
    if missing:
        raise ValueError(f"columns not in table {table.name}: {sorted(missing)}")
    if connection.dialect.name == "postgresql" and len(frame) >= rebuild_indexes_rows:
        with without_secondary_indexes_and_foreign_keys(connection, table):
            _copy_postgres(connection, table, frame, columns)
    elif connection.dialect.name == "postgresql":
        _copy_postgres(connection, table, frame, columns)
    else:
        _execute_many(connection, table, frame, columns)
    return len(frame)


def _execute_many(connection: Connection, table: Table, frame: pd.DataFrame, columns: list[str]) -> None:
    """One compiled INSERT run over plain tuples (SQLite and other DB-API backends).

    Each column's own SQLAlchemy type converts its values to the backend's storage format
    (dates as ISO text on SQLite, say) exactly as ``connection.execute(table.insert(), ...)``
    would, without that path's per-row compilation overhead.
    """
    dialect = connection.dialect
    compiled = table.insert().compile(dialect=dialect, column_keys=columns)
    order = list(compiled.positiontup) if compiled.positional else columns
    processors = [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in order]
    for start in range(0, len(frame), CHUNK_ROWS):
        chunk = frame.iloc[start : start + CHUNK_ROWS]
        values = []
        for column, processor in zip(order, processors):
            as_text = _sqlite_date_text(chunk[column], table.c[column].type, processor) if processor else None
            if as_text is not None:
                values.append(as_text)
                continue
            plain = _column_values(chunk[column], _python_type(table.c[column]))
            if processor and isinstance(table.c[column].type, JSON):
                values.append([v if isinstance(v, str) else processor(v) for v in plain])  # str: already JSON
            else:
                values.append([processor(v) for v in plain] if processor else plain)
        rows = list(zip(*values))
        if not compiled.positional:
            rows = [dict(zip(order, row)) for row in rows]
        connection.exec_driver_sql(str(compiled), rows)


def _copy_postgres(connection: Connection, table: Table, frame: pd.DataFrame, columns: list[str]) -> None:
    """Stream rows with COPY FROM STDIN (psycopg 3), the fastest path PostgreSQL offers.

    Whole blocks of ``CHUNK_ROWS`` rows go as CSV text formatted by Arrow's C++ writer
    (:func:`_csv_block`), several times faster than psycopg's row-by-row ``write_row``. A frame
    Arrow cannot type (mixed values in one column, say) goes row by row as before.
    """
    raw = connection.connection.driver_connection
    column_list = ", ".join(f'"{c}"' for c in columns)  # names come from our schema, not users
    blocks = _csv_blocks(frame, table, columns)
    with raw.cursor() as cursor:
        if blocks is not None:
            with cursor.copy(f'COPY "{table.name}" ({column_list}) FROM STDIN WITH (FORMAT csv)') as copy:
                for block in blocks:
                    copy.write(block)
            return
        with cursor.copy(f'COPY "{table.name}" ({column_list}) FROM STDIN') as copy:
            for row in _rows(frame, table, columns):
                copy.write_row(row)


def _arrow_column(series: pd.Series, column) -> pa.Array:
    """One column as the Arrow array whose CSV text PostgreSQL reads back as the same value:
    integers without a decimal point, dates as dates, times to the microsecond, JSON as text,
    missing values (None, NaN, NaT) as nulls. Raises ``pa.ArrowException`` or ``TypeError`` for
    values Arrow cannot type (the caller then copies row by row)."""
    python_type = _python_type(column)
    if isinstance(column.type, JSON):
        values = [v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in series.tolist()]
        return pa.array(values, type=pa.string())
    if python_type is int and series.dtype.kind in "fO":
        series = pd.to_numeric(series).astype("Int64")
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        series = series.astype("datetime64[us]")
        if python_type is dt.date:
            return pa.array(series, from_pandas=True).cast(pa.date32())
    array = pa.array(series, from_pandas=True)
    if pa.types.is_timestamp(array.type) and array.type.unit == "ns":
        array = array.cast(pa.timestamp("us"))
    if pa.types.is_null(array.type):
        array = array.cast(pa.string())
    return array


def _csv_blocks(frame: pd.DataFrame, table: Table, columns: list[str]):
    """The frame as CSV text blocks of ``CHUNK_ROWS`` rows (no header) for ``COPY ... (FORMAT csv)``,
    or None when Arrow cannot type a column. Texts are quoted (so an empty text stays empty and a
    null, written unquoted and empty, stays NULL); quotes, commas, tabs, newlines and backslashes
    in texts need no escaping in quoted CSV."""
    try:
        arrays = [_arrow_column(frame[c], table.c[c]) for c in columns]
    except (pa.ArrowException, TypeError, ValueError):
        return None
    arrow = pa.Table.from_arrays(arrays, names=columns)
    options = pa_csv.WriteOptions(include_header=False, quoting_style="needed")

    def blocks():
        for start in range(0, arrow.num_rows, CHUNK_ROWS):
            sink = pa.BufferOutputStream()
            pa_csv.write_csv(arrow.slice(start, CHUNK_ROWS), sink, options)
            yield memoryview(sink.getvalue())

    return blocks()


@contextmanager
def without_secondary_indexes_and_foreign_keys(
    connection: Connection, table: Table, with_indexes: bool = True, unique_indexes: bool = True
):
    """Drop a table's secondary indexes and foreign keys, and recreate them afterwards.

    PostgreSQL's advice for populating a database: building an index once over all rows and
    validating a foreign key with one join is several times faster than maintaining them row
    by row. Everything happens inside the caller's transaction, so a failure restores them.
    ``with_indexes`` False keeps every index (only the foreign keys go: for loads whose later steps
    read through the indexes); ``unique_indexes`` False keeps unique indexes (key checks of
    later batches use them).
    """
    lookup = {"table": table.name}
    indexes = (
        connection.execute(
            text(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
                "AND i.tablename = :table AND i.indexname NOT IN (SELECT conname FROM pg_constraint "
                "WHERE conrelid = CAST(:table AS regclass) AND contype IN ('p', 'u'))"
            ),
            lookup,
        ).all()
        if with_indexes
        else []
    )
    if not unique_indexes:  # filtered here: a condition on indexdef in SQL may be evaluated for every schema's index
        indexes = [(name, definition) for name, definition in indexes if not definition.startswith("CREATE UNIQUE")]
    foreign_keys = connection.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = CAST(:table AS regclass) AND contype = 'f'"
        ),
        lookup,
    ).all()
    # Identifiers below come from the catalogue of our own schema, never from user input.
    for name, _ in foreign_keys:
        connection.execute(text(f'ALTER TABLE "{table.name}" DROP CONSTRAINT "{name}"'))
    for name, _ in indexes:
        connection.execute(text(f'DROP INDEX "{name}"'))
    yield
    for _, definition in indexes:
        connection.execute(text(definition))
    for name, definition in foreign_keys:
        connection.execute(text(f'ALTER TABLE "{table.name}" ADD CONSTRAINT "{name}" {definition}'))


def reset_sequence(connection: Connection, table: Table, column: str = "id") -> None:
    """After inserting explicit ids on PostgreSQL, move the id sequence past the maximum."""
    if connection.dialect.name != "postgresql":
        return
    # Table and column names come from our own schema objects, never from user input.
    sequence = f"pg_get_serial_sequence('{table.name}', '{column}')"
    maximum = f"(SELECT MAX({column}) FROM {table.name})"  # noqa: S608
    connection.execute(text(f"SELECT setval({sequence}, COALESCE({maximum}, 0) + 1, false)"))
