"""What the scoped query modules (``data/queries.py`` and ``data/queries_<area>.py``) share: the
registry of scoped queries, month arithmetic and the cities of a subtree.

Values as the backends return them (dates, month keys, result rows) are made alike in
``data.query_values``; KPI sums come from ``data.kpi_sums``; personal data are protected by the
one policy of ``data.privacy``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.engine import Connection

from data.schema import OrgUnit

#: Every public query function of the query modules, in the order registered (the scope test
#: calls each one; the pages' data access looks them up by name).
SCOPED_QUERIES: list[Callable] = []


def scoped_query(function: Callable) -> Callable:
    """Register a public query function (the scope test calls every registered one).

    Query functions live in ``data/queries.py`` and the ``data/queries_<area>.py`` modules, all
    registering with this decorator; names must be unique across all of them (pages look them
    up by name).
    """
    if any(known.__name__ == function.__name__ for known in SCOPED_QUERIES):
        raise ValueError(f"scoped query {function.__name__!r} is registered twice")
    SCOPED_QUERIES.append(function)
    return function


def previous_month(month: dt.date) -> dt.date:
    """First day of the month before ``month``."""
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def same_month_last_year(month: dt.date) -> dt.date:
    """First day of the same month one year earlier."""
    return month.replace(year=month.year - 1, day=1)


def city_codes(connection: Connection, path: str) -> list[str]:
    """The distinct city codes (administrative codes) of the units in the subtree at ``path``."""
    return (
        connection.execute(
            select(OrgUnit.city_code).distinct().where(OrgUnit.path.startswith(path), OrgUnit.city_code.is_not(None))
        )
        .scalars()
        .all()
    )
