"""Scoped queries of the service pages: channel diversion and service quality.

Every public function takes ``(engine, scope, unit_id, ...)``, checks ``unit_id`` against the
caller's scope before reading (``ScopeError`` otherwise) and aggregates in SQL. Diversion rates
are never computed here: the queries return the summed transactions of every channel, so a rate
(``analytics.diversion.diversion_rates``) is recomputed from its numerator and denominator at
whatever level was asked for (total, per child unit, per outlet), never averaged.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import case, func, literal_column, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased

from analytics.diversion import E_CHANNELS, diversion_rates, peer_position
from config.metrics import CHANNEL_TXN_CODES
from data.org_tree import area_of
from data.query_support import scoped_query
from data.query_values import as_date, month_start_text
from data.schema import Complaint, Inspection, KpiMonthly, OrgUnit, Product, Target, Txn
from data.scope import Scope, require_unit_in_scope

DIVERSION_GROUPS = ("total", "child", "outlet")
DIVERSION_TARGET_METRIC = "e_channel_rate"


def _channel_sums():
    """SUM of every channel's transactions as its own column (one pass over kpi_monthly)."""
    return [
        func.sum(case((KpiMonthly.metric_code == code, KpiMonthly.value), else_=0.0)).label(code)
        for code in CHANNEL_TXN_CODES
    ]


@scoped_query
def diversion_channel_sums(
    engine: Engine,
    scope: Scope,
    unit_id: int,
    start_month: dt.date | None = None,
    end_month: dt.date | None = None,
    group: str = "total",
) -> pd.DataFrame:
    """Transactions per channel and month in the unit's subtree, summed in SQL.

    ``group``: "total" (the whole subtree, ``group_id`` = ``unit_id``), "child" (per direct child
    unit: an outlet counts in the child whose path prefixes its own) or "outlet" (per outlet).
    Columns: group_id, code, name_zh, name_en, level, outlet_type, month, outlets (outlets with
    data), then one column per channel code of ``config.metrics.CHANNEL_TXN_CODES`` (counts).
    Months are first days, in [start_month, end_month] when given.
    """
    if group not in DIVERSION_GROUPS:
        raise ValueError(f"unknown grouping {group!r}")
    outlet = aliased(OrgUnit, name="outlet")
    child = aliased(OrgUnit, name="child")
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        key = {"total": literal_column(str(int(unit_id))), "child": child.id, "outlet": outlet.id}[group]
        statement = (
            select(
                key.label("group_id"),
                KpiMonthly.month,
                func.count(func.distinct(KpiMonthly.outlet_id)).label("outlets"),
                *_channel_sums(),
            )
            .join(outlet, outlet.id == KpiMonthly.outlet_id)
            .where(outlet.path.startswith(path), KpiMonthly.metric_code.in_(CHANNEL_TXN_CODES))
        )
        if group == "child":
            statement = statement.join(child, outlet.path.startswith(child.path)).where(child.parent_id == unit_id)
        if start_month is not None:
            statement = statement.where(KpiMonthly.month >= start_month)
        if end_month is not None:
            statement = statement.where(KpiMonthly.month <= end_month)
        group_by = [KpiMonthly.month] if group == "total" else [key, KpiMonthly.month]
        rows = connection.execute(statement.group_by(*group_by).order_by(*group_by)).all()
        frame = pd.DataFrame(rows, columns=["group_id", "month", "outlets", *CHANNEL_TXN_CODES])
        ids = sorted({int(i) for i in frame["group_id"]})
        names = pd.DataFrame(
            connection.execute(
                select(OrgUnit.id, OrgUnit.code, OrgUnit.name_zh, OrgUnit.name_en, OrgUnit.level, OrgUnit.outlet_type)
                .where(OrgUnit.id.in_(ids))
                .order_by(OrgUnit.code)
            ).all(),
            columns=["group_id", "code", "name_zh", "name_en", "level", "outlet_type"],
        )
    frame["month"] = [as_date(m) for m in frame["month"]]
    frame = frame.astype({"group_id": "int64", "outlets": "int64"}).astype({c: "float64" for c in CHANNEL_TXN_CODES})
    frame = names.merge(frame, on="group_id", how="right")
    return frame.sort_values(["code", "month"], kind="stable").reset_index(drop=True)


@scoped_query
def diversion_targets(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """E-channel diversion rate targets (``target`` rows of metric ``e_channel_rate``) of the unit
    and every unit below it: org_unit_id, period_start, period_end, value (a share, 0–1)."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        rows = connection.execute(
            select(Target.org_unit_id, Target.period_start, Target.period_end, Target.value)
            .join(OrgUnit, OrgUnit.id == Target.org_unit_id)
            .where(OrgUnit.path.startswith(path), Target.metric_code == DIVERSION_TARGET_METRIC)
            .order_by(Target.org_unit_id, Target.period_start)
        ).all()
    frame = pd.DataFrame(rows, columns=["org_unit_id", "period_start", "period_end", "value"])
    frame["period_start"] = [as_date(v) for v in frame["period_start"]]
    frame["period_end"] = [as_date(v) for v in frame["period_end"]]
    return frame.astype({"org_unit_id": "int64", "value": "float64"})


@scoped_query
def diversion_peer_position(
    engine: Engine,
    scope: Scope,
    unit_id: int,
    start_month: dt.date,
    end_month: dt.date,
    numerator: tuple[str, ...] = E_CHANNELS,
    denominator: tuple[str, ...] = CHANNEL_TXN_CODES,
) -> dict:
    """Where an outlet's diversion rate (``numerator`` ÷ ``denominator`` channel transactions
    summed over [start_month, end_month]) stands among the outlets of its city branch: only
    what the page shows, never a peer's figures — ``rate`` (its own), ``rank`` (1 = highest;
    None without transactions) and ``count`` of outlets with transactions, and the peers'
    ``p25``, ``median``, ``p75``, ``best`` and ``worst`` rates (shares; NaN when none). For a unit
    above outlet level, the same summary over its own outlets (``rate`` NaN, ``rank`` None).
    ValueError for a channel code outside ``config.metrics.CHANNEL_TXN_CODES``.
    """
    numerator, denominator = list(numerator), list(denominator)
    if not numerator or not denominator or not set(numerator + denominator) <= set(CHANNEL_TXN_CODES):
        raise ValueError(f"channels must be codes of {CHANNEL_TXN_CODES}")
    outlet = aliased(OrgUnit, name="outlet")
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        level = connection.execute(select(OrgUnit.level).where(OrgUnit.id == unit_id)).scalar_one()
        peer_path = path
        if level == "outlet":  # its city branch, found on its own chain of units at any depth
            peer_path = area_of(connection, path, ("city_branch", "sub_branch"))[1]
        rows = connection.execute(
            select(case((outlet.id == unit_id, True), else_=False).label("is_self"), *_channel_sums())
            .join(outlet, outlet.id == KpiMonthly.outlet_id)
            .where(
                outlet.path.startswith(peer_path),
                outlet.level == "outlet",
                KpiMonthly.metric_code.in_(CHANNEL_TXN_CODES),
                KpiMonthly.month >= start_month,
                KpiMonthly.month <= end_month,
            )
            .group_by(outlet.id)
        ).all()
    sums = pd.DataFrame(rows, columns=["is_self", *CHANNEL_TXN_CODES])
    sums = sums.astype({"is_self": bool}).astype({c: "float64" for c in CHANNEL_TXN_CODES})
    position = peer_position(sums, numerator, denominator)
    rates = diversion_rates(sums, numerator, denominator)["rate"].dropna()
    position["worst"] = float(rates.min()) if len(rates) else float("nan")
    return position


@scoped_query
def diversion_counter_mix(
    engine: Engine,
    scope: Scope,
    unit_id: int,
    start: dt.date,
    end: dt.date,
    max_amount_rmb: float = 50_000.0,
) -> pd.DataFrame:
    """Counter transactions of the customer sample in the unit's subtree between ``start`` and
    ``end`` (inclusive days), counted in SQL per outlet, product family, product segment and
    whether the amount is at most ``max_amount_rmb`` (``small``): the mix from which the page
    estimates which counter business smart machines could take. Columns: outlet_id, family
    (None for a transaction without product), segment, small, txns."""
    small = case((Txn.amount_rmb <= float(max_amount_rmb), True), else_=False).label("small")
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        keys = (Txn.outlet_id, Product.family, Product.segment, small)
        rows = connection.execute(
            select(*keys, func.count().label("txns"))
            .join(OrgUnit, OrgUnit.id == Txn.outlet_id)
            .outerjoin(Product, Product.id == Txn.product_id)
            .where(
                OrgUnit.path.startswith(path),
                Txn.channel == "counter",
                Txn.txn_at >= dt.datetime.combine(start, dt.time()),
                Txn.txn_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time()),
            )
            .group_by(*keys)
            .order_by(Txn.outlet_id, Product.family, Product.segment, small)
        ).all()
    frame = pd.DataFrame(rows, columns=["outlet_id", "family", "segment", "small", "txns"])
    return frame.astype({"outlet_id": "int64", "small": bool, "txns": "int64"})


@scoped_query
def txn_sample_period(engine: Engine, scope: Scope, unit_id: int) -> dict:
    """First and last day of counter transactions in the customer sample of the unit's subtree."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        first, last = connection.execute(
            select(func.min(Txn.txn_at), func.max(Txn.txn_at))
            .join(OrgUnit, OrgUnit.id == Txn.outlet_id)
            .where(OrgUnit.path.startswith(path), Txn.channel == "counter")
        ).one()
    return {"first_day": as_date(first), "last_day": as_date(last)}


# --------------------------------------------------------------------------- service quality


def _months(values) -> list[dt.date]:
    return [as_date(v) for v in values]


@scoped_query
def quality_period(engine: Engine, scope: Scope, unit_id: int) -> dict:
    """First and last inspection day and complaint day in the unit's subtree (None when none)."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        inspected = connection.execute(
            select(func.min(Inspection.inspected_on), func.max(Inspection.inspected_on))
            .join(OrgUnit, OrgUnit.id == Inspection.outlet_id)
            .where(OrgUnit.path.startswith(path))
        ).one()
        received = connection.execute(
            select(func.min(Complaint.received_at), func.max(Complaint.received_at))
            .join(OrgUnit, OrgUnit.id == Complaint.outlet_id)
            .where(OrgUnit.path.startswith(path))
        ).one()
    return {
        "first_inspection": as_date(inspected[0]),
        "last_inspection": as_date(inspected[1]),
        "first_complaint": as_date(received[0]),
        "last_complaint": as_date(received[1]),
    }


@scoped_query
def quality_scores(engine: Engine, scope: Scope, unit_id: int, kind: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Inspection points per outlet and month of ``kind`` (``six_s`` or ``mystery_shopper``) between
    ``start`` and ``end`` (inclusive days), summed in SQL. Columns: outlet_id, code, name_zh,
    name_en, month (first day), visits (inspection days), items (items scored), score and
    max_score (points summed), items_losing (items scored below their maximum). The share of the
    maximum is recomputed from the sums at any level, never averaged."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        month = month_start_text(connection, Inspection.inspected_on).label("month")
        keys = (OrgUnit.id, OrgUnit.code, OrgUnit.name_zh, OrgUnit.name_en, month)
        rows = connection.execute(
            select(
                *keys,
                func.count(func.distinct(Inspection.inspected_on)),
                func.count(),
                func.sum(Inspection.score),
                func.sum(Inspection.max_score),
                func.sum(case((Inspection.score < Inspection.max_score, 1), else_=0)),
            )
            .join(OrgUnit, OrgUnit.id == Inspection.outlet_id)
            .where(
                OrgUnit.path.startswith(path),
                Inspection.kind == kind,
                Inspection.inspected_on >= start,
                Inspection.inspected_on <= end,
            )
            .group_by(*keys)
            .order_by(OrgUnit.code, month)
        ).all()
    columns = ["outlet_id", "code", "name_zh", "name_en", "month", "visits", "items", "score", "max_score"]
    frame = pd.DataFrame(rows, columns=[*columns, "items_losing"])
    frame["month"] = _months(frame["month"])
    return frame.astype({"outlet_id": "int64", "visits": "int64", "items": "int64", "items_losing": "int64"}).astype(
        {"score": "float64", "max_score": "float64"}
    )


@scoped_query
def quality_item_losses(
    engine: Engine, scope: Scope, unit_id: int, kind: str, start: dt.date, end: dt.date
) -> pd.DataFrame:
    """Points lost per inspection item of ``kind`` in the unit's subtree between ``start`` and
    ``end``, summed in SQL: item, checks (times scored), checks_losing (times below maximum),
    score, max_score and lost (max_score − score, points)."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        rows = connection.execute(
            select(
                Inspection.item,
                func.count(),
                func.sum(case((Inspection.score < Inspection.max_score, 1), else_=0)),
                func.sum(Inspection.score),
                func.sum(Inspection.max_score),
            )
            .join(OrgUnit, OrgUnit.id == Inspection.outlet_id)
            .where(
                OrgUnit.path.startswith(path),
                Inspection.kind == kind,
                Inspection.inspected_on >= start,
                Inspection.inspected_on <= end,
            )
            .group_by(Inspection.item)
            .order_by(Inspection.item)
        ).all()
    frame = pd.DataFrame(rows, columns=["item", "checks", "checks_losing", "score", "max_score"])
    frame = frame.astype({"checks": "int64", "checks_losing": "int64", "score": "float64", "max_score": "float64"})
    return frame.assign(lost=frame["max_score"] - frame["score"])


@scoped_query
def quality_recent_losses(
    engine: Engine, scope: Scope, unit_id: int, kind: str, start: dt.date, end: dt.date, limit: int = 200
) -> pd.DataFrame:
    """The most recent inspection items of ``kind`` that lost points (newest first, at most
    ``limit``), with the outlet (outlet_id, code, names), date, item, score, maximum and the
    inspector's note."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        rows = connection.execute(
            select(
                OrgUnit.id,
                OrgUnit.code,
                OrgUnit.name_zh,
                OrgUnit.name_en,
                Inspection.inspected_on,
                Inspection.item,
                Inspection.score,
                Inspection.max_score,
                Inspection.note,
            )
            .join(OrgUnit, OrgUnit.id == Inspection.outlet_id)
            .where(
                OrgUnit.path.startswith(path),
                Inspection.kind == kind,
                Inspection.score < Inspection.max_score,
                Inspection.inspected_on >= start,
                Inspection.inspected_on <= end,
            )
            .order_by(Inspection.inspected_on.desc(), OrgUnit.code, Inspection.item)
            .limit(int(limit))
        ).all()
    frame = pd.DataFrame(
        rows,
        columns=["outlet_id", "code", "name_zh", "name_en", "inspected_on", "item", "score", "max_score", "note"],
    )
    frame["inspected_on"] = [as_date(v) for v in frame["inspected_on"]]
    return frame


@scoped_query
def quality_complaints(engine: Engine, scope: Scope, unit_id: int, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Complaints received between ``start`` and ``end`` (inclusive days) per outlet, month and
    category, counted in SQL: outlet_id, code, name_zh, name_en, month, category, complaints,
    still_open (status open), high (severity high)."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        month = month_start_text(connection, Complaint.received_at).label("month")
        keys = (OrgUnit.id, OrgUnit.code, OrgUnit.name_zh, OrgUnit.name_en, month, Complaint.category)
        rows = connection.execute(
            select(
                *keys,
                func.count(),
                func.sum(case((Complaint.status == "open", 1), else_=0)),
                func.sum(case((Complaint.severity == "high", 1), else_=0)),
            )
            .join(OrgUnit, OrgUnit.id == Complaint.outlet_id)
            .where(
                OrgUnit.path.startswith(path),
                Complaint.received_at >= dt.datetime.combine(start, dt.time()),
                Complaint.received_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time()),
            )
            .group_by(*keys)
            .order_by(OrgUnit.code, month, Complaint.category)
        ).all()
    frame = pd.DataFrame(
        rows,
        columns=["outlet_id", "code", "name_zh", "name_en", "month", "category", "complaints", "still_open", "high"],
    )
    frame["month"] = _months(frame["month"])
    return frame.astype({"outlet_id": "int64", "complaints": "int64", "still_open": "int64", "high": "int64"})
