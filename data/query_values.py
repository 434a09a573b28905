"""Values as the two backends return them, made alike for the query modules: dates that SQLite
returns as text, and month keys computed in SQL."""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import func, literal_column
from sqlalchemy.engine import Connection


def as_date(value) -> dt.date | None:
    """A DATE/DATETIME value from either backend as a ``date`` (SQLite may return text); None
    (or NaN) stays None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def month_start_text(connection: Connection, column):
    """First day of the month of a DATE/DATETIME column as text YYYY-MM-01, in SQL (SQLite and
    PostgreSQL); constants inlined so that GROUP BY matches SELECT."""
    if connection.dialect.name == "sqlite":
        return func.strftime(literal_column("'%Y-%m-01'"), column)
    return func.to_char(column, literal_column("'YYYY-MM-01'"))
