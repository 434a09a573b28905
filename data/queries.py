"""Scoped read queries: the only place the pages get data from.

Every public function takes ``(engine, scope, unit_id, ...)``, checks that ``unit_id`` is
inside the caller's scope before reading anything (``ScopeError`` otherwise), and aggregates in
SQL (GROUP BY over the monthly fact table), returning small pandas DataFrames or dicts.
Derived metrics (totals and ratios) are recomputed from the sums of their base metrics at the
level asked for, never averaged (see ``config/metrics.py``) by ``data.kpi_sums``.

Here: the organisation tree, the overview's KPIs and map, competitors, districts, key
customers and unit labels (the lobby queries are in ``data.queries_lobby``). The registry of
scoped queries (``SCOPED_QUERIES``, filled by the ``@scoped_query`` of every query module on
import) lives in ``data.query_support`` and is re-exported here.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import func, select
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
from data.schema import (
    BalanceMonthly,
    CompetitorOutlet,
    Customer,
    District,
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
    OrgUnit.data_origin,
)


@scoped_query
def unit_info(engine: Engine, scope: Scope, unit_id: int) -> dict:
    """Facts of one unit: id, code, names, level, path, parent, status, city, lon/lat and
    data_origin (empty, or a demo province's "census" / "synthetic")."""
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
