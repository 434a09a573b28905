"""Scoped queries of the comparison pages: league tables, head-to-head values, the DEA
input/output matrix, trade-area data for the market potential, and peer groups.

Every public function takes ``(engine, scope, unit_id, ...)``, checks ``unit_id`` against the
caller's scope before reading, and aggregates in SQL (SUM/COUNT per outlet, metric and month over
``kpi_monthly``). Outlet lists passed in (a peer group, the outlets of a head-to-head) must lie in
the unit's subtree, else ``ScopeError``: a branch head cannot name another outlet.

Periods
-------
A period is ``(kind, end_month)`` with kind ``month`` (the month), ``qtd`` (quarter to date),
``ytd`` (year to date) or ``last12`` (the twelve months ending at ``end_month``). A metric over a
period follows its catalogue time aggregation: flows are summed over the months, stocks take the
value of the end month, "mean" metrics the mean of the months; derived metrics (ratios, totals)
are recomputed from their base metrics aggregated that way, never averaged.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection, Engine

from config.metrics import BY_CODE, components
from data.kpi_sums import base_codes, base_sums
from data.query_support import previous_month, scoped_query
from data.schema import CompetitorOutlet, DemandCell, OrgUnit, PeerGroup, PeerGroupMember
from data.scope import Scope, ScopeError, require_unit_in_scope

PERIOD_KINDS = ("month", "qtd", "ytd", "last12")

#: Outlet attributes usable as DEA inputs: name → (columns of org_unit summed, unit).
DEA_ATTRIBUTE_INPUTS: dict[str, tuple[tuple[str, ...], str]] = {
    "staff": (("staff_count",), "count"),
    "counters": (("cash_counters", "non_cash_counters"), "count"),
    "machines": (("atms", "smart_machines"), "count"),
    "floor_area": (("floor_area_m2",), "m2"),
    "premises_cost": (("monthly_rent_rmb", "monthly_running_cost_rmb"), "rmb"),
}
#: KPI metrics usable as DEA inputs (aggregated over the period like any metric).
DEA_KPI_INPUTS = ("operating_cost",)
#: KPI metrics usable as DEA outputs.
DEA_OUTPUTS = (
    "deposits_total",
    "loans_total",
    "fee_income_total",
    "operating_income",
    "txn_total",
    "customers_active",
    "customers_new",
    "customers_vip",
)

_OUTLET_COLUMNS = (
    OrgUnit.id,
    OrgUnit.code,
    OrgUnit.name_zh,
    OrgUnit.name_en,
    OrgUnit.outlet_type,
    OrgUnit.status,
    OrgUnit.parent_id,
    OrgUnit.city_code,
    OrgUnit.district_id,
    OrgUnit.lon,
    OrgUnit.lat,
    OrgUnit.opened_on,
    OrgUnit.staff_count,
    OrgUnit.cash_counters,
    OrgUnit.non_cash_counters,
    OrgUnit.atms,
    OrgUnit.smart_machines,
    OrgUnit.floor_area_m2,
    OrgUnit.monthly_rent_rmb,
    OrgUnit.monthly_running_cost_rmb,
)


def period_months(kind: str, end_month: dt.date) -> list[dt.date]:
    """The months (first days) of period ``kind`` ending at ``end_month``, oldest first."""
    if kind not in PERIOD_KINDS:
        raise ValueError(f"unknown period kind {kind!r}")
    end = end_month.replace(day=1)
    count = {"month": 1, "qtd": (end.month - 1) % 3 + 1, "ytd": end.month, "last12": 12}[kind]
    months = [end]
    while len(months) < count:
        months.append(previous_month(months[-1]))
    return months[::-1]


def _check_outlets(connection: Connection, scope: Scope, path: str, outlet_ids) -> list[int]:
    """The ids as ints; ScopeError unless every one is an outlet inside ``path`` and the scope."""
    ids = sorted({int(i) for i in outlet_ids})
    if not ids:
        return ids
    rows = connection.execute(select(OrgUnit.id, OrgUnit.path, OrgUnit.level).where(OrgUnit.id.in_(ids))).all()
    allowed = {r.id for r in rows if r.level == "outlet" and r.path.startswith(path) and scope.contains_path(r.path)}
    if allowed != set(ids):
        raise ScopeError(f"outlets {sorted(set(ids) - allowed)} are outside the scope of {scope.username}")
    return ids


def _outlets(connection: Connection, path: str, outlet_ids: list[int] | None, statuses=("open",)) -> pd.DataFrame:
    """Outlet facts of the subtree (optionally only ``outlet_ids``), ordered by code."""
    parent = OrgUnit.__table__.alias("parent")
    statement = (
        select(*_OUTLET_COLUMNS, parent.c.name_zh.label("parent_zh"), parent.c.name_en.label("parent_en"))
        .join(parent, parent.c.id == OrgUnit.parent_id)
        .where(OrgUnit.level == "outlet", OrgUnit.path.startswith(path))
        .order_by(OrgUnit.code)
    )
    if statuses:
        statement = statement.where(OrgUnit.status.in_(statuses))
    if outlet_ids is not None:
        statement = statement.where(OrgUnit.id.in_(outlet_ids))
    columns = [c.name for c in _OUTLET_COLUMNS] + ["parent_zh", "parent_en"]
    frame = pd.DataFrame(connection.execute(statement).all(), columns=columns)
    frame["counters"] = frame["cash_counters"].fillna(0) + frame["non_cash_counters"].fillna(0)
    return frame


def _outlet_sums(
    connection: Connection, path: str, months: list[dt.date], codes: set[str], outlet_ids: list[int] | None
) -> pd.DataFrame:
    """SUM and COUNT of base metrics per (outlet_id, metric, month) over the subtree
    (``data.kpi_sums.base_sums`` per outlet), only ``outlet_ids`` when given."""
    frame = base_sums(connection, 0, path, months, codes, "outlet", outlet_ids=outlet_ids)
    frame = frame.rename(columns={"group_id": "outlet_id"})
    return frame.astype({"outlet_id": "int64", "total": "float64", "n": "int64"})


def _time_aggregate(sums: pd.DataFrame, months: list[dt.date], key: str) -> pd.DataFrame:
    """Per (key, base metric): flows summed over ``months``, stocks at the last month, means
    averaged over the months (the value of a month being total / n for "mean" metrics)."""
    if sums.empty:
        return pd.DataFrame(columns=[key, "metric_code", "value"])
    sums = sums.assign(value=sums["total"])
    mean_codes = [c for c in sums["metric_code"].unique() if BY_CODE[c].unit_aggregation == "mean"]
    is_mean = sums["metric_code"].isin(mean_codes)
    sums.loc[is_mean, "value"] = sums.loc[is_mean, "total"] / sums.loc[is_mean, "n"]
    kind = sums["metric_code"].map(lambda c: BY_CODE[c].time_aggregation)
    flows = sums[kind == "flow"].groupby([key, "metric_code"])["value"].sum()
    stocks = sums[(kind == "stock") & (sums["month"] == months[-1])].groupby([key, "metric_code"])["value"].sum()
    means = sums[kind == "mean"].groupby([key, "metric_code"])["value"].mean()
    return pd.concat([flows, stocks, means]).rename("value").reset_index()


def _combine_period(values: pd.DataFrame, codes: list[str], key: str) -> pd.DataFrame:
    """Wide frame (key × metric code) of catalogue metrics from time-aggregated base values."""
    wide = values.pivot_table(index=key, columns="metric_code", values="value", aggfunc="sum")
    result = pd.DataFrame(index=wide.index)
    for code in codes:
        numerator, denominator = components(BY_CODE[code])
        present = [c for c in numerator if c in wide.columns]
        top = wide[present].sum(axis=1, min_count=1) if present else pd.Series(float("nan"), index=wide.index)
        if denominator:
            below_present = [c for c in denominator if c in wide.columns]
            bottom = wide[below_present].sum(axis=1, min_count=1) if below_present else float("nan")
            top = top / (bottom.where(bottom != 0) if isinstance(bottom, pd.Series) else bottom)
        result[code] = top
    return result


def _period_values(
    connection: Connection,
    path: str,
    kind: str,
    end_month: dt.date,
    codes: list[str],
    outlet_ids: list[int] | None = None,
    total: bool = False,
) -> pd.DataFrame:
    """Metrics ``codes`` over the period, one row per outlet (index outlet_id), or one row for
    the whole set of outlets when ``total`` (index 0; sums pooled before any ratio)."""
    months = period_months(kind, end_month)
    sums = _outlet_sums(connection, path, months, base_codes(codes), outlet_ids)
    if total and not sums.empty:
        sums = sums.groupby(["metric_code", "month"], as_index=False)[["total", "n"]].sum().assign(outlet_id=0)
    values = _time_aggregate(sums, months, "outlet_id")
    if values.empty:
        return pd.DataFrame(columns=codes, index=pd.Index([], name="outlet_id"), dtype=float)
    return _combine_period(values, codes, "outlet_id")


_OUTLET_OUTPUT = ["id", "code", "name_zh", "name_en", "outlet_type", "parent_zh", "parent_en"]


@scoped_query
def comparison_outlets(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """Open outlets of the unit's subtree with their facts: id, code, names, outlet_type, parent
    id and names, city_code, district_id, lon/lat, opened_on, staff_count, counters (cash +
    non-cash), cash/non-cash counters, atms, smart_machines, floor_area_m2 (m²), monthly_rent_rmb
    and monthly_running_cost_rmb (RMB per month)."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        return _outlets(connection, path, None)


@scoped_query
def league_table(
    engine: Engine,
    scope: Scope,
    unit_id: int,
    code: str,
    end_month: dt.date,
    kind: str = "month",
    outlet_ids: tuple[int, ...] | None = None,
) -> pd.DataFrame:
    """One metric for every open outlet of the subtree (or only ``outlet_ids``, e.g. a peer
    group): ``value`` over the period ending at ``end_month`` and ``previous_value`` over the same
    kind of period ending a month earlier, with the outlet's code, names, type and parent names.
    Ranks are computed by ``analytics.peers.rank_with_movement``."""
    if code not in BY_CODE:
        raise ValueError(f"unknown metric {code!r}")
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        ids = _check_outlets(connection, scope, path, outlet_ids) if outlet_ids is not None else None
        outlets = _outlets(connection, path, ids)[_OUTLET_OUTPUT]
        current = _period_values(connection, path, kind, end_month, [code], ids)
        previous = _period_values(connection, path, kind, previous_month(end_month), [code], ids)
    outlets["value"] = outlets["id"].map(current[code]) if code in current else float("nan")
    outlets["previous_value"] = outlets["id"].map(previous[code]) if code in previous else float("nan")
    return outlets.astype({"value": "float64", "previous_value": "float64"})


@scoped_query
def head_to_head(
    engine: Engine,
    scope: Scope,
    unit_id: int,
    outlet_ids: tuple[int, ...],
    codes: tuple[str, ...],
    end_months: tuple[dt.date, ...],
    kind: str = "month",
) -> pd.DataFrame:
    """Values of ``codes`` for the chosen outlets over each period (``kind`` ending at each of
    ``end_months``): long frame outlet_id, end_month, metric_code, value. Every outlet must lie
    in the unit's subtree (ScopeError otherwise)."""
    unknown = [c for c in codes if c not in BY_CODE]
    if unknown:
        raise ValueError(f"unknown metrics {unknown}")
    pieces = []
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        ids = _check_outlets(connection, scope, path, outlet_ids)
        if not ids or not codes:
            return pd.DataFrame(columns=["outlet_id", "end_month", "metric_code", "value"])
        for end in end_months:
            wide = _period_values(connection, path, kind, end, list(codes), ids)
            long = wide.reset_index().melt(id_vars="outlet_id", var_name="metric_code", value_name="value")
            pieces.append(long.assign(end_month=end))
    frame = pd.concat(pieces, ignore_index=True)
    return frame[["outlet_id", "end_month", "metric_code", "value"]].astype({"outlet_id": "int64", "value": "float64"})


@scoped_query
def dea_matrix(
    engine: Engine,
    scope: Scope,
    unit_id: int,
    end_month: dt.date,
    kind: str,
    input_names: tuple[str, ...],
    output_codes: tuple[str, ...],
    outlet_ids: tuple[int, ...] | None = None,
) -> pd.DataFrame:
    """DEA data for the open outlets of the subtree (or ``outlet_ids``): one row per outlet with
    its code, names, type, then one column per input (``input_names`` from
    ``DEA_ATTRIBUTE_INPUTS``: current outlet facts, sums of their org_unit columns; or from
    ``DEA_KPI_INPUTS``: the metric over the period) and per output metric over the period.
    Values may be missing or zero; the page reports and leaves out such outlets."""
    for name in input_names:
        if name not in DEA_ATTRIBUTE_INPUTS and name not in DEA_KPI_INPUTS:
            raise ValueError(f"unknown DEA input {name!r}")
    for code in output_codes:
        if code not in DEA_OUTPUTS:
            raise ValueError(f"unknown DEA output {code!r}")
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        ids = _check_outlets(connection, scope, path, outlet_ids) if outlet_ids is not None else None
        outlets = _outlets(connection, path, ids)
        kpi_codes = [n for n in input_names if n in DEA_KPI_INPUTS] + list(output_codes)
        values = _period_values(connection, path, kind, end_month, kpi_codes, ids) if kpi_codes else None
    frame = outlets[_OUTLET_OUTPUT].copy()
    for name in input_names:
        if name in DEA_ATTRIBUTE_INPUTS:
            columns = list(DEA_ATTRIBUTE_INPUTS[name][0])
            frame[name] = outlets[columns].astype("float64").sum(axis=1, min_count=len(columns))
        else:
            frame[name] = frame["id"].map(values[name]) if name in values else float("nan")
    for code in output_codes:
        frame[code] = frame["id"].map(values[code]) if code in values else float("nan")
    return frame.astype({c: "float64" for c in [*input_names, *output_codes]})


@scoped_query
def trade_area_data(engine: Engine, scope: Scope, unit_id: int) -> dict[str, pd.DataFrame]:
    """Everything the market-potential estimate needs for the cities of the subtree's outlets.

    ``cells``: demand cells (h3_index, city_code, district_id, lon, lat, population, households,
    income_index, businesses); ``competitors``: open outlets of other banks (lon, lat, city_code,
    counters); ``own``: our open outlets in those cities (lon, lat, city_code, and ``outlet_id``
    only for outlets in the subtree, else 0: other outlets enter the competition anonymously).
    """
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        cities = (
            connection.execute(
                select(OrgUnit.city_code)
                .distinct()
                .where(OrgUnit.path.startswith(path), OrgUnit.level == "outlet", OrgUnit.city_code.is_not(None))
            )
            .scalars()
            .all()
        )
        cells = pd.DataFrame(
            connection.execute(
                select(
                    DemandCell.h3_index,
                    DemandCell.city_code,
                    DemandCell.district_id,
                    DemandCell.lon,
                    DemandCell.lat,
                    DemandCell.population,
                    DemandCell.households,
                    DemandCell.income_index,
                    DemandCell.businesses,
                )
                .where(DemandCell.city_code.in_(cities))
                .order_by(DemandCell.h3_index)
            ).all(),
            columns=[
                "h3_index",
                "city_code",
                "district_id",
                "lon",
                "lat",
                "population",
                "households",
                "income_index",
                "businesses",
            ],
        )
        competitors = pd.DataFrame(
            connection.execute(
                select(
                    CompetitorOutlet.lon, CompetitorOutlet.lat, CompetitorOutlet.city_code, CompetitorOutlet.counters
                )
                .where(CompetitorOutlet.city_code.in_(cities), CompetitorOutlet.closed_on.is_(None))
                .order_by(CompetitorOutlet.id)
            ).all(),
            columns=["lon", "lat", "city_code", "counters"],
        )
        own_rows = connection.execute(
            select(OrgUnit.id, OrgUnit.path, OrgUnit.lon, OrgUnit.lat, OrgUnit.city_code)
            .where(
                OrgUnit.level == "outlet",
                OrgUnit.status == "open",
                OrgUnit.city_code.in_(cities),
                OrgUnit.lon.is_not(None),
                OrgUnit.lat.is_not(None),
            )
            .order_by(OrgUnit.id)
        ).all()
    own = pd.DataFrame(
        [(r.id if r.path.startswith(path) else 0, r.lon, r.lat, r.city_code) for r in own_rows],
        columns=["outlet_id", "lon", "lat", "city_code"],
    )
    return {"cells": cells, "competitors": competitors, "own": own.astype({"outlet_id": "int64"})}


@scoped_query
def peer_group_list(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """User peer groups whose members all lie in the unit's subtree (empty groups only for their
    creator): id, name, definition (dict), created_by, created_at, members (count)."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        counts = dict(
            ((r.peer_group_id, (int(r.members), int(r.inside or 0))))
            for r in connection.execute(
                select(
                    PeerGroupMember.peer_group_id,
                    func.count().label("members"),
                    func.sum(case((OrgUnit.path.startswith(path), 1), else_=0)).label("inside"),
                )
                .join(OrgUnit, OrgUnit.id == PeerGroupMember.outlet_id)
                .group_by(PeerGroupMember.peer_group_id)
            ).all()
        )
        groups = connection.execute(
            select(
                PeerGroup.id, PeerGroup.name, PeerGroup.definition, PeerGroup.created_by, PeerGroup.created_at
            ).order_by(PeerGroup.name)
        ).all()
    rows = [(*g, *counts.get(g.id, (0, 0))) for g in groups]
    frame = pd.DataFrame(
        rows, columns=["id", "name", "definition", "created_by", "created_at", "members", "inside"]
    ).astype({"members": "int64", "inside": "int64"})
    visible = (frame["members"] > 0) & (frame["members"] == frame["inside"])
    visible |= (frame["members"] == 0) & (frame["created_by"] == scope.username)
    return frame[visible].drop(columns="inside").reset_index(drop=True)


@scoped_query
def peer_group_members(engine: Engine, scope: Scope, unit_id: int, group_id: int) -> pd.DataFrame:
    """Member outlets of a peer group (id, code, names, outlet_type, status). ScopeError when any
    member lies outside the unit's subtree; an unknown group has no members."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        rows = connection.execute(
            select(OrgUnit.id, OrgUnit.code, OrgUnit.name_zh, OrgUnit.name_en, OrgUnit.outlet_type, OrgUnit.status)
            .join(PeerGroupMember, PeerGroupMember.outlet_id == OrgUnit.id)
            .where(PeerGroupMember.peer_group_id == int(group_id))
            .order_by(OrgUnit.code)
        ).all()
        _check_outlets(connection, scope, path, [r.id for r in rows])
    return pd.DataFrame(rows, columns=["id", "code", "name_zh", "name_en", "outlet_type", "status"])
