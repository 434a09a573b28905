"""Fast bulk loading of a DataFrame into a table: COPY on PostgreSQL, executemany on SQLite.

Used by the demo generator and the import pipeline. The caller owns the transaction: pass a
``Connection`` inside ``engine.begin()`` so that a failure leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
from sqlalchemy import Table, text
from sqlalchemy.engine import Connection

CHUNK_ROWS = 50_000


def _python_value(value):
    """Convert numpy/pandas scalars to plain Python values the drivers understand."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if value is pd.NaT:
        return None
    return value


def _column_values(series: pd.Series, python_type: type | None) -> list:
    """Plain Python values of one column, cast to what the table column holds."""
    values = [_python_value(v) for v in series.tolist()]
    if python_type is int:
        return [None if v is None else int(v) for v in values]
    if python_type is dt.date:
        return [v.date() if isinstance(v, dt.datetime) else v for v in values]
    return values


def _python_type(column) -> type | None:
    try:
        return column.type.python_type
    except NotImplementedError:
        return None


def _rows(frame: pd.DataFrame, table: Table, columns: list[str]):
    """Yield row tuples of plain Python values, converted column by column."""
    converted = [_column_values(frame[c], _python_type(table.c[c])) for c in columns]
    return zip(*converted)


def bulk_insert(connection: Connection, table: Table, frame: pd.DataFrame) -> int:
    """Insert every row of ``frame`` (columns named as the table's) into ``table``.

    Returns the number of rows inserted. Dates may be ``datetime.date`` objects or datetime64.
    """
    if frame.empty:
        return 0
    columns = [c for c in frame.columns if c in table.c]
    missing = set(frame.columns) - set(columns)
    if missing:
        raise ValueError(f"columns not in table {table.name}: {sorted(missing)}")
    if connection.dialect.name == "postgresql":
        _copy_postgres(connection, table, frame, columns)
    else:
        for start in range(0, len(frame), CHUNK_ROWS):
            chunk = frame.iloc[start : start + CHUNK_ROWS]
            connection.execute(table.insert(), [dict(zip(columns, row)) for row in _rows(chunk, table, columns)])
    return len(frame)


def _copy_postgres(connection: Connection, table: Table, frame: pd.DataFrame, columns: list[str]) -> None:
    """Stream rows with COPY FROM STDIN (psycopg 3), the fastest path PostgreSQL offers."""
    raw = connection.connection.driver_connection
    column_list = ", ".join(f'"{c}"' for c in columns)  # names come from our schema, not users
    with raw.cursor() as cursor:
        with cursor.copy(f'COPY "{table.name}" ({column_list}) FROM STDIN') as copy:
            for row in _rows(frame, table, columns):
                copy.write_row(row)


def reset_sequence(connection: Connection, table: Table, column: str = "id") -> None:
    """After inserting explicit ids on PostgreSQL, move the id sequence past the maximum."""
    if connection.dialect.name != "postgresql":
        return
    # Table and column names come from our own schema objects, never from user input.
    sequence = f"pg_get_serial_sequence('{table.name}', '{column}')"
    maximum = f"(SELECT MAX({column}) FROM {table.name})"  # noqa: S608
    connection.execute(text(f"SELECT setval({sequence}, COALESCE({maximum}, 0) + 1, false)"))
