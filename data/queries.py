"""Scoped read queries: the only place the pages get data from.

Every public function takes ``(engine, scope, unit_id, ...)``, checks that ``unit_id`` is
inside the caller's scope before reading anything (``ScopeError`` otherwise), and aggregates in
SQL (GROUP BY over the monthly fact table), returning small pandas DataFrames or dicts.
Derived metrics (totals and ratios) are recomputed from the sums of their base metrics at the
level asked for, never averaged (see ``config/metrics.py``) by ``data.kpi_sums``.

Here: the organisation tree, the overview's KPIs and map, competitors, districts, key
customers and the lobby queries. The registry of scoped queries (``SCOPED_QUERIES``, filled by
the ``@scoped_query`` of every query module on import) lives in ``data.query_support`` and is
re-exported here.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Float, Integer, and_, case, cast, extract, func, literal_column, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased

from data.kpi_rollup import unit_months
from data.kpi_sums import metric_frame
from data.privacy import protect_frame
from data.query_support import SCOPED_QUERIES as SCOPED_QUERIES  # re-exported: ui and the tests read it here
from data.query_support import (
    city_codes,
    previous_month,
    same_month_last_year,
    scoped_query,
)
from data.query_values import as_date
from data.schema import (
    BalanceMonthly,
    CompetitorOutlet,
    Customer,
    District,
    LobbyHourly,
    LobbyServiceType,
    OrgUnit,
)
from data.scope import Scope, require_unit_in_scope
from data.unit_labels import disambiguated_labels

_UNIT_COLUMNS = (
    OrgUnit.id,
    OrgUnit.code,
    OrgUnit.name_zh,
    OrgUnit.name_en,
    OrgUnit.level,
    OrgUnit.path,
    OrgUnit.parent_id,
    OrgUnit.status,
    OrgUnit.city_code,
    OrgUnit.lon,
    OrgUnit.lat,
)


@scoped_query
def unit_info(engine: Engine, scope: Scope, unit_id: int) -> dict:
    """Facts of one unit: id, code, names, level, path, parent, status, city, lon/lat."""
    with engine.connect() as connection:
        require_unit_in_scope(connection, scope, unit_id)
        row = connection.execute(select(*_UNIT_COLUMNS).where(OrgUnit.id == unit_id)).one()
    return dict(row._mapping)


@scoped_query
def breadcrumb(engine: Engine, scope: Scope, unit_id: int) -> list[dict]:
    """The units from the scope's root down to ``unit_id`` (inclusive), for navigation."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        ids = [int(part) for part in path.strip("/").split("/")]
        rows = connection.execute(select(*_UNIT_COLUMNS).where(OrgUnit.id.in_(ids))).all()
    by_id = {row.id: dict(row._mapping) for row in rows}
    return [by_id[i] for i in ids if scope.contains_path(by_id[i]["path"])]


@scoped_query
def child_units(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """Direct children of a unit (id, code, names, level, status, lon/lat), ordered by code."""
    with engine.connect() as connection:
        require_unit_in_scope(connection, scope, unit_id)
        rows = connection.execute(
            select(*_UNIT_COLUMNS, OrgUnit.outlet_type).where(OrgUnit.parent_id == unit_id).order_by(OrgUnit.code)
        ).all()
    return pd.DataFrame(rows, columns=[c.name for c in _UNIT_COLUMNS] + ["outlet_type"])


@scoped_query
def kpi_months(engine: Engine, scope: Scope, unit_id: int) -> list[dt.date]:
    """Months (first days) that have KPI data inside the unit's subtree, newest first."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        return unit_months(connection, unit_id, path)[::-1]


@scoped_query
def headline_kpis(engine: Engine, scope: Scope, unit_id: int, month: dt.date, codes: list[str]) -> pd.DataFrame:
    """Each metric of ``codes`` for the unit's subtree: value in ``month``, the month before
    and the same month last year (columns metric_code, value, previous_month, last_year)."""
    months = [month, previous_month(month), same_month_last_year(month)]
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        long = metric_frame(connection, unit_id, path, months, codes, "total")
    wide = long.pivot_table(index="metric_code", columns="month", values="value", aggfunc="sum")
    result = pd.DataFrame({"metric_code": codes})
    for label, when in zip(("value", "previous_month", "last_year"), months):
        values = wide[when] if when in wide.columns else pd.Series(dtype=float)
        result[label] = result["metric_code"].map(values)
    return result


@scoped_query
def kpi_by_child(engine: Engine, scope: Scope, unit_id: int, month: dt.date, codes: list[str]) -> pd.DataFrame:
    """Metrics of ``codes`` in ``month`` for each direct child of the unit (one row per child,
    one column per metric), with the child's id, code, names, level and status."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        long = metric_frame(connection, unit_id, path, [month], codes, "child")
        children = pd.DataFrame(
            connection.execute(
                select(
                    OrgUnit.id,
                    OrgUnit.code,
                    OrgUnit.name_zh,
                    OrgUnit.name_en,
                    OrgUnit.level,
                    OrgUnit.outlet_type,
                    OrgUnit.status,
                )
                .where(OrgUnit.parent_id == unit_id)
                .order_by(OrgUnit.code)
            ).all(),
            columns=["id", "code", "name_zh", "name_en", "level", "outlet_type", "status"],
        )
    wide = long.pivot_table(index="group_id", columns="metric_code", values="value", aggfunc="sum")
    return children.join(wide, on="id") if not children.empty else children


@scoped_query
def outlet_map_data(engine: Engine, scope: Scope, unit_id: int, month: dt.date, code: str) -> pd.DataFrame:
    """Every outlet of the subtree with position, type, status, parent names and the value of
    metric ``code`` in ``month`` (NaN where the outlet has no data, e.g. planned outlets)."""
    parent = aliased(OrgUnit, name="parent")
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        outlets = pd.DataFrame(
            connection.execute(
                select(
                    OrgUnit.id,
                    OrgUnit.code,
                    OrgUnit.name_zh,
                    OrgUnit.name_en,
                    OrgUnit.outlet_type,
                    OrgUnit.status,
                    OrgUnit.lon,
                    OrgUnit.lat,
                    OrgUnit.staff_count,
                    parent.name_zh.label("parent_zh"),
                    parent.name_en.label("parent_en"),
                )
                .join(parent, parent.id == OrgUnit.parent_id)
                .where(
                    OrgUnit.level == "outlet", OrgUnit.path.startswith(path), OrgUnit.status.in_(("open", "planned"))
                )
                .order_by(OrgUnit.code)
            ).all(),
            columns=[
                "id",
                "code",
                "name_zh",
                "name_en",
                "outlet_type",
                "status",
                "lon",
                "lat",
                "staff_count",
                "parent_zh",
                "parent_en",
            ],
        )
        values = metric_frame(connection, unit_id, path, [month], [code], "outlet")
    outlets["value"] = outlets["id"].map(values.set_index("group_id")["value"]) if not values.empty else float("nan")
    return outlets


@scoped_query
def competitor_outlets(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """Open outlets of other banks in the cities where the unit's subtree has outlets."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        cities = city_codes(connection, path)
        rows = connection.execute(
            select(
                CompetitorOutlet.id,
                CompetitorOutlet.bank_code,
                CompetitorOutlet.bank_name_zh,
                CompetitorOutlet.bank_name_en,
                CompetitorOutlet.name,
                CompetitorOutlet.lon,
                CompetitorOutlet.lat,
                CompetitorOutlet.counters,
            )
            .where(CompetitorOutlet.city_code.in_(cities), CompetitorOutlet.closed_on.is_(None))
            .order_by(CompetitorOutlet.id)
        ).all()
    return pd.DataFrame(
        rows, columns=["id", "bank_code", "bank_name_zh", "bank_name_en", "name", "lon", "lat", "counters"]
    )


@scoped_query
def district_outlines(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """City and district outlines (GeoJSON text) of the cities of the unit's subtree."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        cities = city_codes(connection, path)
        rows = connection.execute(
            select(
                District.code,
                District.name_zh,
                District.name_en,
                District.city_code,
                District.level,
                District.population,
                District.geometry_geojson,
            )
            .where(District.city_code.in_(cities))
            .order_by(District.code)
        ).all()
    return pd.DataFrame(
        rows, columns=["code", "name_zh", "name_en", "city_code", "level", "population", "geometry_geojson"]
    )


@scoped_query
def key_customers(
    engine: Engine, scope: Scope, unit_id: int, limit: int = 50, month: dt.date | None = None
) -> pd.DataFrame:
    """Key customers (重点客户) homed in the subtree, largest AUM first, at the newest month-end
    balance not after ``month`` (the newest of all when None): customer_no, name, kind,
    outlet_id, outlet_zh, outlet_en, aum_rmb, balance_month.

    Names are masked unless the scope's role may see personal data.
    """
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        newest = select(func.max(BalanceMonthly.month))
        if month is not None:
            newest = newest.where(BalanceMonthly.month <= month)
        last_month = connection.execute(newest).scalar()
        rows = connection.execute(
            select(
                Customer.customer_no,
                Customer.name,
                Customer.kind,
                OrgUnit.id,
                OrgUnit.name_zh,
                OrgUnit.name_en,
                BalanceMonthly.aum_rmb,
            )
            .join(OrgUnit, OrgUnit.id == Customer.home_outlet_id)
            .join(BalanceMonthly, (BalanceMonthly.customer_id == Customer.id) & (BalanceMonthly.month == last_month))
            .where(OrgUnit.path.startswith(path), Customer.is_key_customer.is_(True))
            .order_by(BalanceMonthly.aum_rmb.desc())
            .limit(int(limit))
        ).all()
    columns = ["customer_no", "name", "kind", "outlet_id", "outlet_zh", "outlet_en", "aum_rmb"]
    frame = pd.DataFrame([tuple(row) for row in rows], columns=columns).assign(balance_month=last_month)
    return protect_frame(frame, scope)


# --------------------------------------------------------------------------- lobby (service)
#
# Lobby load per outlet, day and hour (``lobby_hourly``), aggregated in SQL by weekday or day
# type and hour. Rows that cannot describe a queue (negative arrivals, counters or waits, a
# service time that is missing or not positive) are left out of every figure and counted by
# ``lobby_period`` so the pages can say so. Weekdays are numbered 0 = Monday … 6 = Sunday on
# both backends; day types are "workday" (Monday–Friday) and "weekend".

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


@scoped_query
def unit_labels(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """Every unit in ``unit_id``'s subtree (itself included, closed ones too) with a label per
    language that is unique within its level (see ``data.unit_labels``): id, code, level,
    name_zh, name_en, parent_id, label_zh, label_en."""
    parent = aliased(OrgUnit)
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        rows = connection.execute(
            select(
                OrgUnit.id,
                OrgUnit.code,
                OrgUnit.level,
                OrgUnit.name_zh,
                OrgUnit.name_en,
                OrgUnit.parent_id,
                parent.name_zh.label("parent_name_zh"),
                parent.name_en.label("parent_name_en"),
            )
            .outerjoin(parent, parent.id == OrgUnit.parent_id)
            .where(OrgUnit.path.startswith(path, autoescape=True))
            .order_by(OrgUnit.id)
        ).all()
    columns = ["id", "code", "level", "name_zh", "name_en", "parent_id", "parent_name_zh", "parent_name_en"]
    units = pd.DataFrame([tuple(row) for row in rows], columns=columns)
    return disambiguated_labels(units).drop(columns=["parent_name_zh", "parent_name_en"])
