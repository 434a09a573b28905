"""The KPI-sum engine: SUM and COUNT of base metrics per (group, metric, month) over a subtree,
and catalogue metrics computed from those sums. The overview, performance, registry and bulletin
queries all read KPIs through here.

Derived metrics (totals and ratios) are recomputed from the sums of their base metrics at the
level asked for, never averaged (see ``config/metrics.py``); "mean" metrics divide the total by
the count of outlets. Values are in each metric's unit (RMB, count, minutes, score).

Sums come from the unit-level roll-up (``data.kpi_rollup``) when it is current and the grouping
allows, and from ``kpi_monthly`` otherwise (:func:`unit_sums`); :func:`base_sums` always reads
``kpi_monthly``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
from sqlalchemy import func, literal_column, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from config.metrics import BY_CODE, MetricDef, components
from data.kpi_rollup import rollup_sums
from data.schema import KpiMonthly, OrgUnit

#: Columns of every base-sum frame: group key, base metric, month (first day), SUM and COUNT.
SUM_COLUMNS = ["group_id", "metric_code", "month", "total", "n"]


def base_codes(codes: Iterable[str]) -> set[str]:
    """The base metrics that catalogue metrics ``codes`` are computed from (themselves for a
    base metric, numerator and denominator components for a derived one)."""
    return {c for code in codes for part in components(BY_CODE[code]) for c in part}


def base_sums(
    connection: Connection,
    unit_id: int,
    path: str,
    months: Iterable[dt.date],
    codes: set[str],
    group: str,
    outlet_ids: Iterable[int] | None = None,
) -> pd.DataFrame:
    """SUM and COUNT of base metrics ``codes`` per (group key, metric, month) over the subtree
    at ``path``, in SQL from ``kpi_monthly`` (columns :data:`SUM_COLUMNS`).

    ``group`` is "total" (one group, key 0), "outlet" (per outlet) or "child" (per direct
    child of the unit: an outlet belongs to the child whose path prefixes its own path). With
    ``outlet_ids`` only those outlets of the subtree count.
    """
    outlet = aliased(OrgUnit, name="outlet")
    child = aliased(OrgUnit, name="child")
    keys = {"total": literal_column("0"), "outlet": outlet.id, "child": child.id}
    if group not in keys:
        raise ValueError(f"unknown grouping {group!r}")
    statement = select(
        keys[group].label("group_id"),
        KpiMonthly.metric_code,
        KpiMonthly.month,
        func.sum(KpiMonthly.value).label("total"),
        func.count(KpiMonthly.value).label("n"),
    ).join(outlet, outlet.id == KpiMonthly.outlet_id)
    if group == "child":
        statement = statement.join(child, outlet.path.startswith(child.path)).where(child.parent_id == unit_id)
    group_by = () if group == "total" else (keys[group],)
    statement = statement.where(
        outlet.path.startswith(path),
        KpiMonthly.metric_code.in_(sorted(codes)),
        KpiMonthly.month.in_(list(months)),
    ).group_by(*group_by, KpiMonthly.metric_code, KpiMonthly.month)
    if outlet_ids is not None:
        statement = statement.where(KpiMonthly.outlet_id.in_([int(i) for i in outlet_ids]))
    frame = pd.DataFrame(connection.execute(statement).all(), columns=SUM_COLUMNS)
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    return frame


def unit_sums(
    connection: Connection, unit_id: int, path: str, months: Iterable[dt.date], codes: set[str], group: str
) -> pd.DataFrame:
    """:func:`base_sums`, answered from the KPI roll-up when it is current and the grouping is
    "total" or "child", from ``kpi_monthly`` otherwise (same columns and values either way)."""
    months = list(months)
    answer = rollup_sums(connection, unit_id, path, months, codes, group)
    return answer if answer is not None else base_sums(connection, unit_id, path, months, codes, group)


def combine(sums: pd.DataFrame, metric: MetricDef) -> pd.DataFrame:
    """Value of ``metric`` per (group_id, month) from base sums (columns :data:`SUM_COLUMNS`):
    the sum of its numerator components ("mean" metrics: each total ÷ its count), divided by the
    sum of its denominator components for a ratio (NaN where that is 0)."""
    numerator_codes, denominator_codes = components(metric)
    sums = sums.assign(value=sums["total"])
    if metric.unit_aggregation == "mean":
        sums["value"] = sums["total"] / sums["n"]
    numerator = sums[sums.metric_code.isin(numerator_codes)].groupby(["group_id", "month"])["value"].sum()
    if not denominator_codes:
        return numerator.rename("value").reset_index()
    denominator = sums[sums.metric_code.isin(denominator_codes)].groupby(["group_id", "month"])["value"].sum()
    ratio = numerator / denominator.where(denominator != 0)
    return ratio.rename("value").reset_index()


def metric_frame(
    connection: Connection, unit_id: int, path: str, months: list[dt.date], codes: list[str], group: str
) -> pd.DataFrame:
    """Long frame (group_id, month, value, metric_code) of catalogue metrics ``codes`` per group
    and month, from :func:`unit_sums` and :func:`combine`."""
    metrics = [BY_CODE[code] for code in codes]
    sums = unit_sums(connection, unit_id, path, months, base_codes(codes), group)
    pieces = [combine(sums, metric).assign(metric_code=metric.code) for metric in metrics]
    return pd.concat(pieces, ignore_index=True) if pieces else pd.DataFrame()
