"""Scoped queries of the performance pages (KPI explorer, My outlet, Alerts): metrics by period
with comparisons and targets, drill-down by child, monthly trends, rank among peers, what lies
behind a gap, and the alert list.

Every public function takes ``(engine, scope, unit_id, ...)``, checks the unit against the scope
first (``ScopeError`` otherwise) and aggregates in SQL: monthly base sums come from
``data.kpi_sums.base_sums`` (GROUP BY metric and month, per child or outlet where asked), months
are combined by each base metric's time aggregation (``analytics.targets.collapse_months``) and
derived metrics are recomputed from their summed components by ``data.kpi_sums.combine``, so
ratios are never averaged. Periods are described in ``analytics.targets`` (month, quarter to
date, year to date, custom; previous period; same period last year).

Targets come from the ``target`` table: for a unit, metric and month the target whose period
covers the month (the shortest one when several do). With it the queries return what
``analytics.targets.assess_targets`` needs: the target, its period, ``base`` (for stock metrics
the value in the month before the target period starts) and ``cumulative`` (for flow metrics
the value from the target's start to the period's end; the period value otherwise).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import aliased

from analytics.alerts import DROP_CODES, AlertThresholds, evaluate_alerts
from analytics.targets import (
    Period,
    add_months,
    assess_targets,
    collapse_periods,
    make_period,
    previous_period,
    same_period_last_year,
    target_kind,
)
from config.metrics import BY_CODE, components
from data.kpi_rollup import unit_months
from data.kpi_sums import base_codes, base_sums, combine, unit_sums
from data.org_tree import area_of
from data.privacy import protect_frame
from data.query_support import scoped_query
from data.query_values import as_date
from data.schema import Alert, AppSetting, BalanceMonthly, Customer, OrgUnit, Target
from data.scope import Scope, require_unit_in_scope

COMPARISON_COLUMNS = ["value", "previous", "last_year"]
TARGET_COLUMNS = ["target", "target_start", "target_end", "base", "cumulative"]
SERIES_CODES = (*DROP_CODES, "avg_wait_minutes", "complaints")  # per-outlet series the rules read
PEER_MIN_OUTLETS = 3  # fewer same-type outlets in the city branch → peers from the whole region
ALERT_SETTING_KEY = "alert_thresholds"


def load_thresholds(connection: Connection) -> AlertThresholds:
    """The alert thresholds stored in ``app_setting`` (key "alert_thresholds") over the defaults;
    a stored value that no longer validates falls back to the defaults."""
    stored = connection.execute(select(AppSetting.value).where(AppSetting.key == ALERT_SETTING_KEY)).scalar()
    try:
        return AlertThresholds.from_dict(stored if isinstance(stored, dict) else None)
    except ValueError:
        return AlertThresholds()


def _combine_many(sums: pd.DataFrame, codes) -> pd.DataFrame:
    """``data.kpi_sums.combine`` for many metrics at once: (group_id, month, metric_code, value).

    The same arithmetic (sum of the numerator's base values ÷ sum of the denominator's; a base
    value is total ÷ n for metrics averaged over outlets; NaN for a zero denominator), done with
    one merge and two group-bys instead of a few pandas steps per metric, because the KPI
    explorer asks for every metric of the catalogue at once.
    """
    membership = pd.DataFrame(
        [
            (code, base, role)
            for code in codes
            for role, parts in zip(("numerator", "denominator"), components(BY_CODE[code]))
            for base in parts
        ],
        columns=["metric_code_out", "metric_code", "role"],
    )
    columns = ["group_id", "month", "metric_code", "value"]
    if sums.empty or membership.empty:
        return pd.DataFrame(columns=columns)
    per_outlet_mean = {code for code in sums["metric_code"].unique() if BY_CODE[code].unit_aggregation == "mean"}
    values = sums.assign(
        value=sums["total"].where(~sums["metric_code"].isin(per_outlet_mean), sums["total"] / sums["n"])
    )
    merged = values[["group_id", "month", "metric_code", "value"]].merge(membership, on="metric_code")
    parts = merged.groupby(["group_id", "month", "metric_code_out", "role"], sort=False)["value"].sum().unstack("role")
    numerator = parts["numerator"] if "numerator" in parts.columns else pd.Series(np.nan, index=parts.index)
    if "denominator" in parts.columns:
        ratio_codes = {code for code in codes if components(BY_CODE[code])[1]}
        is_ratio = parts.index.get_level_values("metric_code_out").isin(ratio_codes)
        denominator = parts["denominator"]
        value = numerator.where(~is_ratio, numerator / denominator.where(denominator != 0))
    else:
        value = numerator
    frame = value.rename("value").reset_index().rename(columns={"metric_code_out": "metric_code"})
    return frame.dropna(subset=["value"]).reindex(columns=columns)


@dataclass(frozen=True)
class _Prefetched:
    """Base sums already read for some months and base codes (``base_sums`` columns), so that
    the alert rules read the outlets' KPIs once for the series and every target period."""

    sums: pd.DataFrame
    months: frozenset
    codes: frozenset

    def covers(self, months, codes) -> bool:
        return set(months) <= self.months and set(codes) <= self.codes


def _multi_period_values(
    connection: Connection,
    unit_id: int,
    path: str,
    requests: dict,
    group: str,
    prefetched: _Prefetched | None = None,
) -> dict[str, pd.DataFrame]:
    """Several (codes, period) requests answered from ONE base-sum query (or from
    ``prefetched`` sums of the same grouping when they cover the months and codes): {label:
    frame of (group_id, metric_code, value)}; each period's months are collapsed by time
    aggregation and derived metrics recomputed from the collapsed components (``combine``)."""
    empty = pd.DataFrame(columns=["group_id", "metric_code", "value"])
    result = {label: empty for label in requests}
    wanted = {label: (list(codes), period) for label, (codes, period) in requests.items() if len(codes)}
    if not wanted:
        return result
    months = sorted({m for _, period in wanted.values() for m in period.months()})
    all_codes = sorted({c for codes, _ in wanted.values() for c in codes})
    wanted_base = base_codes(all_codes)
    if prefetched is not None and prefetched.covers(months, wanted_base):
        sums = prefetched.sums
        sums = sums[sums["month"].isin(set(months)) & sums["metric_code"].isin(wanted_base)]
    else:
        sums = unit_sums(connection, unit_id, path, months, wanted_base, group)
    if sums.empty:
        return result
    # Every request's months and base codes as rows, so that one merge picks each request's
    # monthly sums and one pass of group-bys collapses them all (``collapse_periods``).
    labels = list(wanted)
    request_months = pd.DataFrame(
        [(index, month, period.end) for index, (_, period) in enumerate(wanted.values()) for month in period.months()],
        columns=["request", "month", "end"],
    )
    request_codes = pd.DataFrame(
        [(index, code) for index, (codes, _) in enumerate(wanted.values()) for code in sorted(base_codes(codes))],
        columns=["request", "metric_code"],
    )
    rows = sums.merge(request_months, on="month").merge(request_codes, on=["request", "metric_code"])
    collapsed = collapse_periods(rows)
    if collapsed.empty:
        return result
    # A distinct stand-in "month" per request, so that _combine_many keeps the requests apart.
    stand_ins = [dt.date(1, 1, 1) + dt.timedelta(days=index) for index in range(len(labels))]
    collapsed = collapsed.assign(month=collapsed["request"].map(dict(enumerate(stand_ins))))
    collapsed = collapsed.astype({"total": "float64", "n": "float64"})
    combined = _combine_many(collapsed, all_codes)
    by_request = dict(tuple(combined.groupby("month", sort=False)))
    for index, label in enumerate(labels):
        part = by_request.get(stand_ins[index])
        if part is None:
            continue
        part = part[part["metric_code"].isin(wanted[label][0])]
        result[label] = part[["group_id", "metric_code", "value"]].astype({"group_id": "int64", "value": "float64"})
    return result


def _period_values(connection: Connection, unit_id: int, path: str, codes, period: Period, group: str) -> pd.DataFrame:
    """(group_id, metric_code, value) of each metric over the period, grouped as in ``base_sums``."""
    return _multi_period_values(connection, unit_id, path, {"value": (codes, period)}, group)["value"]


def _covering_targets(
    connection: Connection, path: str, codes, as_of: dt.date, unit_ids: list[int] | None = None
) -> pd.DataFrame:
    """Targets of units in the subtree whose period covers month ``as_of`` (shortest first wins):
    columns unit_id, metric_code, target, target_start, target_end (only units in ``unit_ids`` when given)."""
    month_end = add_months(as_of, 1) - dt.timedelta(days=1)
    rows = connection.execute(
        select(Target.org_unit_id, Target.metric_code, Target.value, Target.period_start, Target.period_end)
        .join(OrgUnit, OrgUnit.id == Target.org_unit_id)
        .where(
            OrgUnit.path.startswith(path),
            Target.metric_code.in_(sorted(codes)),
            Target.period_start <= month_end,
            Target.period_end >= as_of,
            *([Target.org_unit_id.in_(unit_ids)] if unit_ids is not None else []),
        )
    ).all()
    frame = pd.DataFrame(rows, columns=["unit_id", "metric_code", "target", "target_start", "target_end"])
    if frame.empty:
        return frame
    frame["target_start"] = frame["target_start"].map(as_date)
    frame["target_end"] = frame["target_end"].map(as_date)
    frame["span"] = [(e - s).days for s, e in zip(frame["target_start"], frame["target_end"])]
    frame = frame.sort_values(["unit_id", "metric_code", "span", "target_start"])
    return frame.drop_duplicates(["unit_id", "metric_code"]).drop(columns="span").reset_index(drop=True)


def _period_comparison(
    connection: Connection,
    unit_id: int,
    path: str,
    codes,
    period: Period,
    group: str,
    group_units: dict,
    compare: bool = True,
    prefetched: _Prefetched | None = None,
    targets: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """value, previous, last_year and the target columns (target, target_start, target_end,
    base, cumulative) per (group_id, metric_code). ``group_units`` maps group_id → the unit
    whose targets apply (the group's own unit). Without ``compare`` previous and last_year are
    left empty (NaN) and not read. ``targets``: the ``_covering_targets`` of the subtree for
    ``period.end`` when the caller has read them already; ``prefetched``: base sums read already."""
    codes = list(codes)
    units = sorted({int(u) for u in group_units.values()})
    # Few units (the unit itself or its children): ask for theirs only; else the whole subtree's.
    wanted = units if len(units) <= 200 else None
    if not codes:
        targets = pd.DataFrame()
    elif targets is None:
        targets = _covering_targets(connection, path, codes, period.end, wanted)
    elif not targets.empty:
        targets = targets[targets["metric_code"].isin(set(codes))]
    if not targets.empty:
        targets = targets[targets["unit_id"].isin(set(group_units.values()))]
    requests = {
        "value": (codes, period),
        "previous": (codes if compare else [], previous_period(period)),
        "last_year": (codes if compare else [], same_period_last_year(period)),
    }
    starts = sorted(set(targets["target_start"])) if not targets.empty else []
    for start in starts:
        target_codes = set(targets.loc[targets["target_start"] == start, "metric_code"])
        stock_codes = sorted(c for c in target_codes if target_kind(BY_CODE[c]) == "stock")
        flow_codes = sorted(c for c in target_codes if target_kind(BY_CODE[c]) == "flow")
        before = add_months(start.replace(day=1), -1)
        requests[("base", start)] = (stock_codes, Period("month", before, before))
        if start.replace(day=1) <= period.end:
            requests[("cumulative", start)] = (flow_codes, Period("custom", start.replace(day=1), period.end))
    answers = _multi_period_values(connection, unit_id, path, requests, group, prefetched)
    keys = pd.concat([answers[label][["group_id", "metric_code"]] for label in COMPARISON_COLUMNS]).drop_duplicates()
    result = keys
    for label in COMPARISON_COLUMNS:
        frame = answers[label].rename(columns={"value": label})
        result = result.merge(frame, on=["group_id", "metric_code"], how="left")
    result = result.astype({c: "float64" for c in COMPARISON_COLUMNS}).reset_index(drop=True)
    result["target"] = np.nan
    result["target_start"] = None
    result["target_end"] = None
    result["base"] = np.nan
    result["cumulative"] = result["value"]
    if targets.empty or result.empty:
        return result
    unit_to_groups: dict[int, list[int]] = {}
    for group_id, unit in group_units.items():
        unit_to_groups.setdefault(int(unit), []).append(int(group_id))
    position = {key: index for index, key in enumerate(zip(result["group_id"], result["metric_code"]))}
    lookups = {
        label: frame.set_index(["group_id", "metric_code"])["value"].to_dict()
        for label, frame in answers.items()
        if isinstance(label, tuple)
    }
    for row in targets.itertuples(index=False):
        kind = target_kind(BY_CODE[row.metric_code])
        for group_id in unit_to_groups.get(int(row.unit_id), []):
            index = position.get((group_id, row.metric_code))
            if index is None:
                continue
            result.at[index, "target"] = float(row.target)
            result.at[index, "target_start"] = row.target_start
            result.at[index, "target_end"] = row.target_end
            if kind == "stock":
                result.at[index, "base"] = lookups[("base", row.target_start)].get((group_id, row.metric_code), np.nan)
            elif kind == "flow":
                cumulative = lookups.get(("cumulative", row.target_start), {})
                result.at[index, "cumulative"] = cumulative.get((group_id, row.metric_code), np.nan)
    return result


@scoped_query
def kpi_period_summary(
    engine: Engine,
    scope: Scope,
    unit_id: int,
    codes: tuple[str, ...],
    kind: str,
    end: dt.date,
    start: dt.date | None = None,
) -> pd.DataFrame:
    """Each metric of ``codes`` for the unit's subtree over a period, with comparisons and target.

    ``kind``/``end``/``start`` define the period (``analytics.targets.make_period``; PeriodError
    for a bad one). One row per metric in the order of ``codes``: metric_code, value (the
    period), previous (previous period), last_year (same period last year), target (the unit's
    own target covering the end month, NaN if none), target_start, target_end, base (stock value
    before the target period), cumulative (flow value from the target start to ``end``),
    months_with_data (months of the period that have any KPI row in the subtree) and the period's
    start and end. Values in the metric's unit (RMB, count, ratio 0–1, minutes, score).
    """
    period = make_period(kind, end, start)
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        table = _period_comparison(connection, unit_id, path, list(codes), period, "total", {0: int(unit_id)})
        in_period = set(period.months())
        months_with_data = sum(m in in_period for m in unit_months(connection, unit_id, path))
    result = pd.DataFrame({"metric_code": list(codes)}).merge(table.drop(columns="group_id"), how="left")
    for column in ("target_start", "target_end"):
        result[column] = result[column].map(lambda v: v if isinstance(v, dt.date) else None)
    result["months_with_data"] = int(months_with_data or 0)
    result["period_start"] = period.start
    result["period_end"] = period.end
    return result


@scoped_query
def kpi_period_by_child(
    engine: Engine,
    scope: Scope,
    unit_id: int,
    codes: tuple[str, ...],
    kind: str,
    end: dt.date,
    start: dt.date | None = None,
) -> pd.DataFrame:
    """The metrics of ``kpi_period_summary`` for each direct child of the unit (long format).

    Columns: id, code, name_zh, name_en, level, outlet_type, status, metric_code, value,
    previous, last_year, target (the child's own target), target_start, target_end, base,
    cumulative. Every child appears (with NaN values when it has no data, e.g. a closed outlet).
    """
    period = make_period(kind, end, start)
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
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
                .where(OrgUnit.parent_id == int(unit_id))
                .order_by(OrgUnit.code)
            ).all(),
            columns=["id", "code", "name_zh", "name_en", "level", "outlet_type", "status"],
        )
        table = _period_comparison(
            connection, unit_id, path, list(codes), period, "child", {int(i): int(i) for i in children["id"]}
        )
    grid = children.merge(pd.DataFrame({"metric_code": list(codes)}), how="cross")
    result = grid.merge(table.rename(columns={"group_id": "id"}), on=["id", "metric_code"], how="left")
    return result.astype({c: "float64" for c in COMPARISON_COLUMNS + ["target", "base", "cumulative"]})


@scoped_query
def kpi_monthly_series(
    engine: Engine,
    scope: Scope,
    unit_id: int,
    codes: tuple[str, ...],
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """Monthly values of each metric of ``codes`` for the unit's subtree (derived metrics
    recomputed per month), for trend charts: columns month, metric_code, value, oldest month
    first; only months with data in [start, end] (both optional, inclusive)."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        months = [
            m
            for m in unit_months(connection, unit_id, path)
            if (start is None or m >= start) and (end is None or m <= end)
        ]
        sums = unit_sums(connection, unit_id, path, months, base_codes(codes), "total")
    if sums.empty:
        return pd.DataFrame(columns=["month", "metric_code", "value"])
    sums = sums.astype({"total": "float64", "n": "float64"})
    frame = _combine_many(sums, list(codes))[["month", "metric_code", "value"]]
    return frame.sort_values(["metric_code", "month"]).reset_index(drop=True).astype({"value": "float64"})


def _peer_values(connection: Connection, unit: dict, codes, months: list[dt.date]) -> tuple[pd.DataFrame, str]:
    """Per-peer values (group_id, metric_code, month, value) of the unit's peers, and the
    definition used ("type_city", "type_region" or "siblings")."""
    if unit["level"] == "outlet":
        definition = "type_city"
        area_id, area_path = area_of(connection, unit["path"], ("city_branch", "sub_branch"))
        peers_statement = select(OrgUnit.id).where(
            OrgUnit.level == "outlet", OrgUnit.outlet_type == unit["outlet_type"], OrgUnit.status == "open"
        )
        peers = connection.execute(peers_statement.where(OrgUnit.path.startswith(area_path))).scalars().all()
        if len(peers) < PEER_MIN_OUTLETS:
            definition = "type_region"
            area_id, area_path = area_of(connection, unit["path"], ("region",))
            peers = connection.execute(peers_statement.where(OrgUnit.path.startswith(area_path))).scalars().all()
        group = "outlet"
    else:
        definition = "siblings"
        if unit["parent_id"] is None:
            return pd.DataFrame(columns=["group_id", "metric_code", "month", "value"]), definition
        area_id = int(unit["parent_id"])
        area_path = connection.execute(select(OrgUnit.path).where(OrgUnit.id == area_id)).scalar()
        peers = (
            connection.execute(
                select(OrgUnit.id).where(
                    OrgUnit.parent_id == area_id, OrgUnit.level == unit["level"], OrgUnit.status == "open"
                )
            )
            .scalars()
            .all()
        )
        group = "child"
    sums = unit_sums(connection, area_id, area_path, months, base_codes(codes), group)
    sums = sums[sums["group_id"].isin(set(peers) | {int(unit["id"])})].astype({"total": "float64", "n": "float64"})
    pieces = [combine(sums, BY_CODE[code]).assign(metric_code=code) for code in codes] if not sums.empty else []
    frame = pd.concat(pieces, ignore_index=True) if pieces else pd.DataFrame(columns=["group_id", "month", "value"])
    return frame.reindex(columns=["group_id", "metric_code", "month", "value"]), definition


@scoped_query
def peer_rank(engine: Engine, scope: Scope, unit_id: int, codes: tuple[str, ...], month: dt.date) -> pd.DataFrame:
    """The unit's rank among its peers for each metric in ``month`` and the month before.

    Peers of an outlet: open outlets of the same outlet type in the same city branch; when
    fewer than PEER_MIN_OUTLETS (3) such outlets exist (the outlet included), the same type in
    its province (its provincial branch; the top unit in a tree without one). The levels are
    found on the outlet's own chain of units, so the peers are the same at any depth of tree.
    Peers of a unit above outlets (sub-branch, city branch, province): the open units of the same
    level under the same parent. Rank 1 is the best by the metric's direction (ties share the better
    rank); a unit without a value is not ranked. Only the unit's own figures and the peers'
    median are returned, never another unit's values or identity.

    Columns: metric_code, value, rank, peers (units ranked), previous_rank, previous_peers,
    peer_median, definition ("type_city", "type_region" or "siblings").
    """
    previous = add_months(month, -1)
    with engine.connect() as connection:
        require_unit_in_scope(connection, scope, unit_id)
        unit = dict(
            connection.execute(
                select(OrgUnit.id, OrgUnit.level, OrgUnit.path, OrgUnit.parent_id, OrgUnit.outlet_type).where(
                    OrgUnit.id == int(unit_id)
                )
            )
            .one()
            ._mapping
        )
        values, definition = _peer_values(connection, unit, list(codes), [month, previous])
    rows = []
    for code in codes:
        higher = BY_CODE[code].higher_is_better
        entry = {"metric_code": code, "definition": definition}
        for label, when in (("", month), ("previous_", previous)):
            mine = values[(values["metric_code"] == code) & (values["month"] == when)].dropna(subset=["value"])
            ranks = mine.set_index("group_id")["value"].rank(ascending=not higher, method="min")
            own = ranks.get(int(unit_id))
            entry[f"{label}rank"] = float(own) if own is not None else np.nan
            entry[f"{label}peers"] = int(len(ranks))
            if not label:
                own_value = mine.loc[mine["group_id"] == int(unit_id), "value"]
                entry["value"] = float(own_value.iloc[0]) if len(own_value) else np.nan
                entry["peer_median"] = float(mine["value"].median()) if len(mine) else np.nan
        rows.append(entry)
    columns = ["metric_code", "value", "rank", "peers", "previous_rank", "previous_peers", "peer_median", "definition"]
    return pd.DataFrame(rows, columns=columns)


@scoped_query
def component_changes(engine: Engine, scope: Scope, unit_id: int, code: str, end: dt.date) -> pd.DataFrame:
    """What lies behind a metric's position: the change of each of its base components.

    For a stock metric (deposits, loans) each component's balance in ``end`` against the
    balance at the end of the previous year; for flows and levels each component's
    year-to-date value against the same period last year. Columns: metric_code (component),
    value, compare_value, change (value − compare_value, in the component's unit), compare
    ("year_start" or "last_year"), sorted with the largest fall first.
    """
    metric = BY_CODE[code]
    numerator, denominator = components(metric)
    parts = list(dict.fromkeys(numerator + denominator))
    kind = target_kind(metric)
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        if kind == "stock":
            now = Period("month", end, end)
            then = Period("month", add_months(end.replace(month=1), -1), add_months(end.replace(month=1), -1))
            compare = "year_start"
        else:
            now = make_period("ytd", end)
            then = same_period_last_year(now)
            compare = "last_year"
        current = _period_values(connection, unit_id, path, parts, now, "total")
        before = _period_values(connection, unit_id, path, parts, then, "total")
    frame = pd.DataFrame({"metric_code": parts})
    frame["value"] = frame["metric_code"].map(current.set_index("metric_code")["value"]).astype("float64")
    frame["compare_value"] = frame["metric_code"].map(before.set_index("metric_code")["value"]).astype("float64")
    frame["change"] = frame["value"] - frame["compare_value"]
    frame["compare"] = compare
    # Worst first by direction: a fall of a higher-is-better component, a rise of a lower-is-better one.
    direction = frame["metric_code"].map(lambda c: 1.0 if BY_CODE[c].higher_is_better else -1.0)
    frame["_order"] = frame["change"] * direction
    return frame.sort_values("_order", na_position="last").drop(columns="_order").reset_index(drop=True)


@scoped_query
def gap_customers(
    engine: Engine, scope: Scope, unit_id: int, balance: str, end: dt.date, limit: int = 10
) -> pd.DataFrame:
    """Customers homed in the subtree whose deposit or loan balance fell most since the year start.

    ``balance``: "deposit" or "loan". Compares the month-end balance in the latest month on
    record ≤ ``end`` with the balance in December of the previous year (or the earliest month on
    record after it when that is missing). Only falls are listed, largest first, at most
    ``limit``. Columns: customer_no, name (masked unless the role sees personal data), kind,
    outlet_zh, outlet_en, from_month, to_month, balance_from, balance_to, change (RMB), outlet_id
    (the home outlet, to label outlets that share a name apart).
    """
    if balance not in ("deposit", "loan"):
        raise ValueError(f"unknown balance {balance!r}")
    column = BalanceMonthly.deposit_rmb if balance == "deposit" else BalanceMonthly.loan_rmb
    columns = [
        "customer_no",
        "name",
        "kind",
        "outlet_zh",
        "outlet_en",
        "from_month",
        "to_month",
        "balance_from",
        "balance_to",
        "change",
        "outlet_id",
    ]
    year_start = add_months(end.replace(month=1), -1)
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        to_month = connection.execute(
            select(func.max(BalanceMonthly.month)).where(BalanceMonthly.month <= end)
        ).scalar()
        from_month = connection.execute(
            select(func.min(BalanceMonthly.month)).where(BalanceMonthly.month >= year_start)
        ).scalar()
        if to_month is None or from_month is None or as_date(from_month) >= as_date(to_month):
            return pd.DataFrame(columns=columns)
        before = aliased(BalanceMonthly, name="before")
        after = aliased(BalanceMonthly, name="after")
        before_value = getattr(before, column.key)
        after_value = getattr(after, column.key)
        change = (after_value - before_value).label("change")
        rows = connection.execute(
            select(
                Customer.customer_no,
                Customer.name,
                Customer.kind,
                OrgUnit.name_zh,
                OrgUnit.name_en,
                before_value,
                after_value,
                change,
                OrgUnit.id,
            )
            .join(OrgUnit, OrgUnit.id == Customer.home_outlet_id)
            .join(before, (before.customer_id == Customer.id) & (before.month == from_month))
            .join(after, (after.customer_id == Customer.id) & (after.month == to_month))
            .where(OrgUnit.path.startswith(path), after_value < before_value)
            .order_by(change, Customer.customer_no)
            .limit(int(limit))
        ).all()
    frame = pd.DataFrame(
        [tuple(r) for r in rows],
        columns=[
            "customer_no",
            "name",
            "kind",
            "outlet_zh",
            "outlet_en",
            "balance_from",
            "balance_to",
            "change",
            "outlet_id",
        ],
    )
    frame.insert(5, "from_month", as_date(from_month))
    frame.insert(6, "to_month", as_date(to_month))
    return protect_frame(frame[columns], scope)


# --------------------------------------------------------------------------- alert rules (read only)


def _outlet_series(
    connection: Connection, unit_id: int, path: str, months: list[dt.date], prefetched: _Prefetched | None = None
) -> pd.DataFrame:
    """Monthly value of each SERIES_CODES metric per outlet of the subtree: outlet_id,
    metric_code, month, value (derived metrics recomputed per outlet and month)."""
    codes = base_codes(SERIES_CODES)
    if prefetched is not None and prefetched.covers(months, codes):
        sums = prefetched.sums[prefetched.sums["month"].isin(set(months)) & prefetched.sums["metric_code"].isin(codes)]
    else:
        sums = base_sums(connection, unit_id, path, months, codes, "outlet")
    if sums.empty:
        return pd.DataFrame(columns=["outlet_id", "metric_code", "month", "value"])
    sums = sums.astype({"total": "float64", "n": "float64"})
    pieces = [combine(sums, BY_CODE[code]).assign(metric_code=code) for code in SERIES_CODES]
    frame = pd.concat(pieces, ignore_index=True).rename(columns={"group_id": "outlet_id"})
    return frame[["outlet_id", "metric_code", "month", "value"]]


def _outlet_targets(connection: Connection, path: str, month: dt.date) -> pd.DataFrame:
    """The targets covering ``month`` of the outlets of the subtree (``_covering_targets``)."""
    targets = _covering_targets(connection, path, list(BY_CODE), month)
    if targets.empty:
        return targets
    outlets = set(
        connection.execute(select(OrgUnit.id).where(OrgUnit.path.startswith(path), OrgUnit.level == "outlet"))
        .scalars()
        .all()
    )
    return targets[targets["unit_id"].isin(outlets)].reset_index(drop=True)


def _target_months(targets: pd.DataFrame, month: dt.date) -> set[dt.date]:
    """Months the target assessments read: from the month before each target start to ``month``."""
    months = set()
    for start in set(targets["target_start"]) if not targets.empty else ():
        first = add_months(start.replace(day=1), -1)
        months.update(Period("custom", min(first, month), month).months())
    return months


def _target_assessments(
    connection: Connection,
    unit_id: int,
    path: str,
    month: dt.date,
    targets: pd.DataFrame | None = None,
    prefetched: _Prefetched | None = None,
) -> pd.DataFrame:
    """Each outlet's position on each of its targets covering ``month`` (except the wait target,
    which the wait-time rule covers), from the target's start to ``month``. ``targets``: the
    outlets' covering targets (``_outlet_targets``) when read already."""
    if targets is None:
        targets = _outlet_targets(connection, path, month)
    if targets.empty:
        return pd.DataFrame()
    targets = targets[targets["metric_code"] != "avg_wait_minutes"]
    pieces = []
    for start, rows in targets.groupby("target_start"):
        period = Period("custom", start.replace(day=1), month)
        units = {int(i): int(i) for i in rows["unit_id"]}
        table = _period_comparison(
            connection,
            unit_id,
            path,
            sorted(rows["metric_code"].unique()),
            period,
            "outlet",
            units,
            compare=False,
            prefetched=prefetched,
            targets=targets,
        )
        pieces.append(table[table["target_start"] == start])
    if not pieces:
        return pd.DataFrame()
    frame = pd.concat(pieces, ignore_index=True).rename(columns={"value": "actual", "group_id": "outlet_id"})
    frame = frame.dropna(subset=["target"])
    return assess_targets(frame, month) if not frame.empty else frame


def evaluate_subtree(
    connection: Connection, scope: Scope, unit_id: int, month: dt.date, thresholds: AlertThresholds
) -> pd.DataFrame:
    """The alerts the rules raise for every outlet of the unit's subtree in ``month``
    (``analytics.alerts.ALERT_COLUMNS``); reads only, scope checked.

    The outlets' KPIs are read once, per outlet and month, for the rules' history and every
    target period together, and their targets once for the target and wait-time rules."""
    path = require_unit_in_scope(connection, scope, unit_id)
    history = max(thresholds.drop_history_months + 1, thresholds.complaint_history_months)
    months = [add_months(month, -i) for i in range(history, -1, -1)]
    targets = _outlet_targets(connection, path, month)
    assessed_codes = set(targets["metric_code"]) - {"avg_wait_minutes"} if not targets.empty else set()
    wanted_months = sorted(set(months) | _target_months(targets, month))
    wanted_codes = base_codes(SERIES_CODES) | base_codes(assessed_codes)
    prefetched = _Prefetched(
        base_sums(connection, unit_id, path, wanted_months, wanted_codes, "outlet"),
        frozenset(wanted_months),
        frozenset(wanted_codes),
    )
    series = _outlet_series(connection, unit_id, path, months, prefetched)
    drops = series[series["metric_code"].isin(DROP_CODES)]
    waits = series[(series["metric_code"] == "avg_wait_minutes") & (series["month"] == month)]
    waits = waits.rename(columns={"value": "avg_wait_minutes"})[["outlet_id", "avg_wait_minutes"]]
    wait_targets = targets[targets["metric_code"] == "avg_wait_minutes"] if not targets.empty else targets
    if not wait_targets.empty:
        waits = waits.merge(
            wait_targets[["unit_id", "target"]].rename(columns={"unit_id": "outlet_id", "target": "target_minutes"}),
            how="left",
        )
    complaints = series[series["metric_code"] == "complaints"].rename(columns={"value": "complaints"})
    assessed = _target_assessments(connection, unit_id, path, month, targets, prefetched)
    return evaluate_alerts(month, thresholds, assessed, drops, waits, complaints[["outlet_id", "month", "complaints"]])


@scoped_query
def alert_findings(
    engine: Engine, scope: Scope, unit_id: int, month: dt.date, thresholds: tuple | None = None
) -> pd.DataFrame:
    """What the alert rules find for every outlet of the subtree in ``month``, without storing
    anything (``analytics.alerts.ALERT_COLUMNS`` plus the outlet's code and names).

    ``thresholds``: (name, value) pairs of ``AlertThresholds`` (hashable, for the page cache);
    None uses the stored thresholds. ``data.alerts.refresh_alerts`` stores the same findings.
    """
    with engine.connect() as connection:
        settings = AlertThresholds.from_dict(dict(thresholds)) if thresholds else load_thresholds(connection)
        found = evaluate_subtree(connection, scope, unit_id, month, settings)
        names = pd.DataFrame(
            connection.execute(
                select(OrgUnit.id, OrgUnit.code, OrgUnit.name_zh, OrgUnit.name_en).where(
                    OrgUnit.id.in_(sorted({int(i) for i in found["outlet_id"]}))
                )
            ).all(),
            columns=["outlet_id", "code", "name_zh", "name_en"],
        )
    return (
        found.merge(names, on="outlet_id", how="left")
        if not found.empty
        else found.reindex(columns=list(found.columns) + ["code", "name_zh", "name_en"])
    )


@scoped_query
def alert_list(
    engine: Engine,
    scope: Scope,
    unit_id: int,
    month: dt.date | None = None,
    statuses: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Alerts of the outlets in the unit's subtree, newest month first, high severity first.

    Optional filters: ``month`` (one month) and ``statuses``. Columns: id, outlet_id, code,
    name_zh, name_en, rule, metric_code, month, severity, value, threshold, detail, status,
    owner, updated_at. Pages read this directly (not cached): alerts change while one looks.
    """
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        statement = (
            select(
                Alert.id,
                Alert.outlet_id,
                OrgUnit.code,
                OrgUnit.name_zh,
                OrgUnit.name_en,
                Alert.rule,
                Alert.metric_code,
                Alert.month,
                Alert.severity,
                Alert.value,
                Alert.threshold,
                Alert.detail,
                Alert.status,
                Alert.owner,
                Alert.updated_at,
            )
            .join(OrgUnit, OrgUnit.id == Alert.outlet_id)
            .where(OrgUnit.path.startswith(path))
        )
        if month is not None:
            statement = statement.where(Alert.month == month)
        if statuses:
            statement = statement.where(Alert.status.in_(list(statuses)))
        rows = connection.execute(statement).all()
    columns = [
        "id",
        "outlet_id",
        "code",
        "name_zh",
        "name_en",
        "rule",
        "metric_code",
        "month",
        "severity",
        "value",
        "threshold",
        "detail",
        "status",
        "owner",
        "updated_at",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    if frame.empty:
        return frame
    frame["month"] = frame["month"].map(as_date)
    frame["_severity"] = frame["severity"].map({"high": 0, "medium": 1}).fillna(2)
    frame = frame.sort_values(
        ["month", "_severity", "code", "rule", "metric_code"], ascending=[False, True, True, True, True]
    )
    return frame.drop(columns="_severity").reset_index(drop=True)


@scoped_query
def alert_settings(engine: Engine, scope: Scope, unit_id: int) -> dict:
    """The alert thresholds in force (``analytics.alerts.AlertThresholds`` as a dict): the stored
    ``app_setting`` "alert_thresholds" over the defaults. The same for every unit; scoped so that
    a page reads it like any other figure."""
    with engine.connect() as connection:
        require_unit_in_scope(connection, scope, unit_id)
        return load_thresholds(connection).to_dict()
