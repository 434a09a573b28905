"""Scoped lobby queries of the Lobby, Staffing and Channel diversion pages: the lobby's load per
outlet, day and hour (``lobby_hourly``) aggregated in SQL by weekday or day type and hour, the
outlets' summary and worst hours, and service minutes by business type (``lobby_service_type``).

Every public function takes ``(engine, scope, unit_id, ...)`` and checks ``unit_id`` against the
caller's scope before reading (``ScopeError`` otherwise). Rows that cannot describe a queue
(negative arrivals, counters or waits, a service time that is missing or not positive) are left
out of every figure and counted by ``lobby_period`` so the pages can say so. Weekdays are
numbered 0 = Monday … 6 = Sunday on both backends; day types are "workday" (Monday–Friday) and
"weekend". Arrivals in customers per hour, service and wait times in minutes; dates in
bank-local time.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Float, Integer, and_, case, cast, extract, func, literal_column, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased

from data.query_support import scoped_query
from data.query_values import as_date
from data.schema import LobbyHourly, LobbyServiceType, OrgUnit
from data.scope import Scope, require_unit_in_scope

LOBBY_DAY_TYPES = ("workday", "weekend")


def _weekday(connection, day_column):
    """Weekday of a DATE column in SQL, 0 = Monday … 6 = Sunday, on SQLite and PostgreSQL.

    Constants are inlined (no bound parameters) so that PostgreSQL sees the same expression in
    SELECT and GROUP BY.
    """
    if connection.dialect.name == "sqlite":
        sunday_first = cast(func.strftime(literal_column("'%w'"), day_column), Integer)
    else:
        sunday_first = cast(extract("dow", day_column), Integer)
    return (sunday_first + literal_column("6")) % literal_column("7")


def _day_type(connection, day_column):
    """ "workday" (Monday–Friday) or "weekend" for a DATE column, in SQL."""
    return case(
        (_weekday(connection, day_column) < literal_column("5"), literal_column("'workday'")),
        else_=literal_column("'weekend'"),
    )


def _valid_lobby_row():
    return and_(
        LobbyHourly.arrivals >= 0,
        LobbyHourly.counters_open >= 0,
        LobbyHourly.mean_service_minutes > 0,
        LobbyHourly.mean_wait_minutes >= 0,
    )


def _lobby_window(statement, start: dt.date | None, end: dt.date | None):
    if start is not None:
        statement = statement.where(LobbyHourly.day >= start)
    if end is not None:
        statement = statement.where(LobbyHourly.day <= end)
    return statement


def _lobby_means():
    """Aggregates of a group of lobby rows: outlet-days observed, summed arrivals, and
    arrival-weighted mean service and wait (plain means where nobody arrived)."""
    arrivals = func.sum(LobbyHourly.arrivals)
    weighted_arrivals = func.nullif(arrivals, 0)
    return (
        func.count().label("days"),
        func.count(func.distinct(LobbyHourly.day)).label("calendar_days"),
        arrivals.label("arrivals"),
        (cast(arrivals, Float) / func.count()).label("mean_arrivals"),
        (cast(func.sum(LobbyHourly.counters_open), Float) / func.count()).label("mean_counters_open"),
        func.coalesce(
            func.sum(LobbyHourly.arrivals * LobbyHourly.mean_service_minutes) / weighted_arrivals,
            func.avg(LobbyHourly.mean_service_minutes),
        ).label("mean_service_minutes"),
        func.coalesce(
            func.sum(LobbyHourly.arrivals * LobbyHourly.mean_wait_minutes) / weighted_arrivals,
            func.avg(LobbyHourly.mean_wait_minutes),
        ).label("mean_wait_minutes"),
    )


_LOBBY_MEAN_COLUMNS = [
    "days",
    "calendar_days",
    "arrivals",
    "mean_arrivals",
    "mean_counters_open",
    "mean_service_minutes",
    "mean_wait_minutes",
]


@scoped_query
def lobby_service_by_type(
    engine: Engine, scope: Scope, unit_id: int, months: int = 3, until: dt.date | None = None
) -> pd.DataFrame:
    """Counter transactions and mean service minutes by business type over the unit's subtree in
    the last ``months`` months that have such data, up to the month of ``until`` when given
    (mean = Σ minutes ÷ Σ transactions, never a mean of outlet means). Columns business_type,
    transactions, service_minutes_total, mean_service_minutes, first_month, last_month; ordered
    by transactions, most first."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        in_scope = (
            select(LobbyServiceType.month)
            .join(OrgUnit, OrgUnit.id == LobbyServiceType.outlet_id)
            .where(OrgUnit.path.startswith(path))
        )
        if until is not None:
            in_scope = in_scope.where(LobbyServiceType.month <= until.replace(day=1))
        recent = (
            connection.execute(in_scope.distinct().order_by(LobbyServiceType.month.desc()).limit(max(1, int(months))))
            .scalars()
            .all()
        )
        rows = connection.execute(
            select(
                LobbyServiceType.business_type,
                func.sum(LobbyServiceType.transactions),
                func.sum(LobbyServiceType.service_minutes_total),
            )
            .join(OrgUnit, OrgUnit.id == LobbyServiceType.outlet_id)
            .where(OrgUnit.path.startswith(path), LobbyServiceType.month.in_(recent))
            .group_by(LobbyServiceType.business_type)
        ).all()
    frame = pd.DataFrame(rows, columns=["business_type", "transactions", "service_minutes_total"])
    frame["transactions"] = frame["transactions"].astype(int)
    frame["service_minutes_total"] = frame["service_minutes_total"].astype(float)
    frame["mean_service_minutes"] = frame["service_minutes_total"] / frame["transactions"].where(
        frame["transactions"] > 0
    )
    months_seen = [as_date(m) for m in recent]
    frame["first_month"] = min(months_seen) if months_seen else None
    frame["last_month"] = max(months_seen) if months_seen else None
    return frame.sort_values("transactions", ascending=False, kind="stable").reset_index(drop=True)


@scoped_query
def lobby_period(engine: Engine, scope: Scope, unit_id: int) -> dict:
    """First and last day of lobby data in the unit's subtree, outlets and rows with data, and
    rows left out as invalid (negative counts or waits, service time missing or not positive)."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        row = connection.execute(
            select(
                func.min(LobbyHourly.day),
                func.max(LobbyHourly.day),
                func.count(func.distinct(LobbyHourly.outlet_id)),
                func.count(),
                func.sum(case((_valid_lobby_row(), 0), else_=1)),
            )
            .join(OrgUnit, OrgUnit.id == LobbyHourly.outlet_id)
            .where(OrgUnit.path.startswith(path))
        ).one()
    first, last, outlets, rows, invalid = row

    return {
        "first_day": as_date(first),
        "last_day": as_date(last),
        "outlets": int(outlets or 0),
        "rows": int(rows or 0),
        "invalid_rows": int(invalid or 0),
    }


@scoped_query
def lobby_profile(
    engine: Engine,
    scope: Scope,
    unit_id: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
    per_outlet: bool = False,
    day_grouping: str = "weekday",
) -> pd.DataFrame:
    """Lobby load of the unit's subtree by day and hour of day, aggregated in SQL.

    ``day_grouping`` "weekday" gives a ``weekday`` column (0 = Monday … 6 = Sunday), "day_type"
    a ``day_type`` column ("workday" Monday–Friday, "weekend"). With ``per_outlet`` every outlet
    has its own rows (``outlet_id``); otherwise all outlets are pooled (``outlet_id`` 0) and the
    means are per outlet-hour. Columns: outlet_id, weekday|day_type, hour, days (outlet-days
    with data), calendar_days (distinct dates with data), arrivals (sum), mean_arrivals (per
    outlet-day; arrivals / calendar_days is the pooled outlets' total per day), mean_counters_open,
    mean_service_minutes and mean_wait_minutes (both weighted by arrivals). Only days in
    [start, end] (inclusive) count when given.
    """
    if day_grouping not in ("weekday", "day_type"):
        raise ValueError(f"unknown day grouping {day_grouping!r}")
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        day_key = (
            _weekday(connection, LobbyHourly.day)
            if day_grouping == "weekday"
            else _day_type(connection, LobbyHourly.day)
        ).label(day_grouping)
        outlet_key = LobbyHourly.outlet_id if per_outlet else literal_column("0")
        keys = ([LobbyHourly.outlet_id] if per_outlet else []) + [day_key, LobbyHourly.hour]
        statement = (
            select(outlet_key.label("outlet_id"), day_key, LobbyHourly.hour, *_lobby_means())
            .join(OrgUnit, OrgUnit.id == LobbyHourly.outlet_id)
            .where(OrgUnit.path.startswith(path), _valid_lobby_row())
            .group_by(*keys)
            .order_by(*keys)
        )
        rows = connection.execute(_lobby_window(statement, start, end)).all()
    frame = pd.DataFrame(rows, columns=["outlet_id", day_grouping, "hour", *_LOBBY_MEAN_COLUMNS])
    integer_columns = ["outlet_id", "hour", "days", "calendar_days", "arrivals"]
    integer_columns += ["weekday"] if day_grouping == "weekday" else []
    return frame.astype({c: "int64" for c in integer_columns}).astype({c: "float64" for c in _LOBBY_MEAN_COLUMNS[3:]})


@scoped_query
def lobby_outlet_summary(
    engine: Engine,
    scope: Scope,
    unit_id: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
    wait_threshold_minutes: float = 10.0,
) -> pd.DataFrame:
    """One row per outlet of the subtree that has lobby data in [start, end], for peer comparison.

    Columns: id, code, names, outlet_type, status, parent id and names, counters (cash + non-cash
    counters installed), smart_machines, days (days with data), hours (outlet-hours with data),
    arrivals (sum), mean_daily_arrivals, mean_counters_open, mean_service_minutes and
    mean_wait_minutes (weighted by arrivals), worst_hour_wait_minutes (the highest hourly mean
    wait) and share_hours_over_threshold (share of hours whose mean wait exceeded
    ``wait_threshold_minutes``).
    """
    parent = aliased(OrgUnit, name="parent")
    facts = (
        OrgUnit.id,
        OrgUnit.code,
        OrgUnit.name_zh,
        OrgUnit.name_en,
        OrgUnit.outlet_type,
        OrgUnit.status,
        OrgUnit.parent_id,
        parent.name_zh,
        parent.name_en,
        OrgUnit.cash_counters,
        OrgUnit.non_cash_counters,
        OrgUnit.smart_machines,
    )
    arrivals = func.sum(LobbyHourly.arrivals)
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        statement = (
            select(
                *facts,
                func.count(func.distinct(LobbyHourly.day)).label("days"),
                func.count().label("hours"),
                arrivals.label("arrivals"),
                func.avg(LobbyHourly.counters_open).label("mean_counters_open"),
                func.coalesce(
                    func.sum(LobbyHourly.arrivals * LobbyHourly.mean_service_minutes) / func.nullif(arrivals, 0),
                    func.avg(LobbyHourly.mean_service_minutes),
                ).label("mean_service_minutes"),
                func.coalesce(
                    func.sum(LobbyHourly.arrivals * LobbyHourly.mean_wait_minutes) / func.nullif(arrivals, 0),
                    func.avg(LobbyHourly.mean_wait_minutes),
                ).label("mean_wait_minutes"),
                func.max(LobbyHourly.mean_wait_minutes).label("worst_hour_wait_minutes"),
                (
                    cast(
                        func.sum(case((LobbyHourly.mean_wait_minutes > float(wait_threshold_minutes), 1), else_=0)),
                        Float,
                    )
                    / func.count()
                ).label("share_hours_over_threshold"),
            )
            .join(OrgUnit, OrgUnit.id == LobbyHourly.outlet_id)
            .join(parent, parent.id == OrgUnit.parent_id)
            .where(OrgUnit.path.startswith(path), _valid_lobby_row())
            .group_by(*facts)
            .order_by(OrgUnit.code)
        )
        rows = connection.execute(_lobby_window(statement, start, end)).all()
    columns = [
        "id",
        "code",
        "name_zh",
        "name_en",
        "outlet_type",
        "status",
        "parent_id",
        "parent_zh",
        "parent_en",
        "cash_counters",
        "non_cash_counters",
        "smart_machines",
        "days",
        "hours",
        "arrivals",
        "mean_counters_open",
        "mean_service_minutes",
        "mean_wait_minutes",
        "worst_hour_wait_minutes",
        "share_hours_over_threshold",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame.insert(
        9, "counters", frame.pop("cash_counters").fillna(0).astype(int) + frame.pop("non_cash_counters").fillna(0)
    )
    frame["counters"] = frame["counters"].astype("int64")
    frame["smart_machines"] = frame["smart_machines"].fillna(0).astype("int64")
    frame.insert(frame.columns.get_loc("arrivals") + 1, "mean_daily_arrivals", frame["arrivals"] / frame["days"])
    numeric = [c for c in frame.columns[frame.columns.get_loc("mean_daily_arrivals") :]]
    return frame.astype({c: "float64" for c in numeric})


@scoped_query
def lobby_worst_hours(
    engine: Engine,
    scope: Scope,
    unit_id: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
    limit: int = 10,
) -> pd.DataFrame:
    """The ``limit`` outlet × weekday × hour cells of the subtree with the longest mean wait
    (weighted by arrivals), longest first, with the outlet's code and names and the cell's
    days, mean arrivals, mean counters open and mean service minutes."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        weekday = _weekday(connection, LobbyHourly.day).label("weekday")
        means = _lobby_means()
        wait = means[-1]
        keys = (OrgUnit.id, OrgUnit.code, OrgUnit.name_zh, OrgUnit.name_en, weekday, LobbyHourly.hour)
        statement = (
            select(*keys, *means)
            .join(OrgUnit, OrgUnit.id == LobbyHourly.outlet_id)
            .where(OrgUnit.path.startswith(path), _valid_lobby_row())
            .group_by(*keys)
            .order_by(wait.element.desc(), OrgUnit.code, weekday, LobbyHourly.hour)
            .limit(int(limit))
        )
        rows = connection.execute(_lobby_window(statement, start, end)).all()
    frame = pd.DataFrame(
        rows, columns=["outlet_id", "code", "name_zh", "name_en", "weekday", "hour"] + _LOBBY_MEAN_COLUMNS
    )
    return frame.astype({"outlet_id": "int64", "weekday": "int64", "hour": "int64"}).astype(
        {c: "float64" for c in _LOBBY_MEAN_COLUMNS[3:]}
    )
