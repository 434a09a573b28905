"""Scoped customer queries for the customer structure, segments and lifetime-value pages (issue 5).

Every public function takes ``(engine, scope, unit_id, ...)``, checks the unit against the
caller's scope first (``ScopeError`` otherwise) and aggregates in SQL:

* value tiers: month-end AUM is turned into a raw tier with a CASE over the caller's thresholds
  and pivoted per customer, then **grouped by outlet and tier path** (the raw tier in each month),
  so the page gets one row per distinct path rather than one per customer; the tier rules with
  a grace period for downgrades (``analytics.customer_value.tier_history``) are applied to the
  paths.
* concentration: AUM percentiles (``NTILE(100)``) with counts and sums per percentile.
* transaction summaries (frequency, recency, T, mean repeat value) per customer, from
  transaction *days* computed in SQL (window function for each customer's first day).
* the customer feature frame for segmentation (one row per customer of the scope, the only
  customer-level read, on demand); customer numbers are masked unless the role may see
  personal data (the bulk-extract rule of ``data.privacy``, the one personal-data policy).

Days are counted from 1970-01-01 on both backends, so differences of them are whole days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Date, Float, Integer, case, cast, distinct, func, literal, literal_column, select, true
from sqlalchemy.engine import Connection, Engine

from data.privacy import mask_customer_no as mask_customer_no  # re-exported: the policy lives in data.privacy
from data.privacy import protect_frame
from data.query_support import scoped_query
from data.query_values import as_date, rows_frame
from data.schema import BalanceMonthly, Customer, Holding, OrgUnit, Txn
from data.scope import Scope, require_unit_in_scope

#: At most this many month-ends go into a tier path (two years).
MAX_TIER_MONTHS = 24
#: Channels that count as digital (self-service and remote) in the channel mix.
DIGITAL_CHANNELS = ("smart_machine", "atm", "mobile", "online")


def _epoch_day(connection: Connection, column):
    """Whole days since 1970-01-01 of a DATE or DATETIME column, on SQLite and PostgreSQL."""
    if connection.dialect.name == "sqlite":
        return cast(func.julianday(func.date(column)) - literal_column("2440587.5"), Integer)
    return cast(column, Date) - literal_column("DATE '1970-01-01'")


def _epoch_day_of(value: dt.date) -> int:
    return (value - dt.date(1970, 1, 1)).days


def _scope_customers(path: str):
    """Customers homed in the subtree at ``path`` (id, customer_no, home outlet)."""
    return (
        select(Customer.id.label("customer_id"), Customer.customer_no, Customer.home_outlet_id)
        .join(OrgUnit, OrgUnit.id == Customer.home_outlet_id)
        .where(OrgUnit.path.startswith(path))
    )


def _scope_customer_ids(path_filter):
    """Ids of the customers homed in the units matching ``path_filter``: filtering fact tables
    with ``customer_id IN (…)`` lets both backends read them through their customer index
    instead of scanning the whole table for a small scope. The customers are found through the
    home-outlet index from the few matching units (a join would scan every customer)."""
    return select(Customer.id).where(Customer.home_outlet_id.in_(select(OrgUnit.id).where(path_filter)))


def _in_subtree(customer_column, path: str):
    """``customer_column`` (a customer id) belongs to a customer homed in the subtree at ``path``.

    For the region (a root path such as "/1/") every customer qualifies, so no filter is added
    and the database can scan the fact table in order instead of looking up each customer."""
    if path.strip("/").count("/") == 0:
        return true()
    return customer_column.in_(_scope_customer_ids(OrgUnit.path.startswith(path)))


def _tier_case(aum, thresholds_rmb: Sequence[float]):
    """Raw tier index of an AUM expression: the number of thresholds it reaches (0 … len)."""
    bounds = sorted(float(v) for v in thresholds_rmb)
    if not bounds:
        return literal(0)
    whens = [
        (aum >= literal(bound, Float), literal(len(bounds) - i, Integer)) for i, bound in enumerate(reversed(bounds))
    ]
    return case(*whens, else_=literal(0, Integer))


def _check_months(months: Sequence[dt.date]) -> list[dt.date]:
    values = sorted({as_date(m) for m in months})
    if not values:
        raise ValueError("at least one month is needed")
    if len(values) > MAX_TIER_MONTHS:
        raise ValueError(f"at most {MAX_TIER_MONTHS} months fit in a tier path")
    return values


@scoped_query
def customer_balance_months(engine: Engine, scope: Scope, unit_id: int) -> list[dt.date]:
    """Month-ends (first days of the months) with balances of the subtree's customers, oldest first."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        months = connection.execute(
            select(BalanceMonthly.month)
            .where(_in_subtree(BalanceMonthly.customer_id, path))
            .distinct()
            .order_by(BalanceMonthly.month)
        ).scalars()
        return [as_date(m) for m in months]


@scoped_query
def customer_outlets(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """Outlets in the subtree that have customers: id, code, name_zh, name_en, parent_id, lon, lat,
    customers (count)."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        rows = connection.execute(
            select(
                OrgUnit.id,
                OrgUnit.code,
                OrgUnit.name_zh,
                OrgUnit.name_en,
                OrgUnit.parent_id,
                OrgUnit.lon,
                OrgUnit.lat,
                func.count(Customer.id).label("customers"),
            )
            .join(Customer, Customer.home_outlet_id == OrgUnit.id)
            .where(OrgUnit.path.startswith(path))
            .group_by(
                OrgUnit.id, OrgUnit.code, OrgUnit.name_zh, OrgUnit.name_en, OrgUnit.parent_id, OrgUnit.lon, OrgUnit.lat
            )
            .order_by(OrgUnit.code)
        ).all()
    return rows_frame(rows, columns=["id", "code", "name_zh", "name_en", "parent_id", "lon", "lat", "customers"])


def _tier_path_statement(path_filter, months: list[dt.date], thresholds_rmb: Sequence[float], by_outlet: bool):
    """Per customer: raw tier in each month (NULL if no balance that month) and last-month AUM;
    then counts and AUM per (outlet?, path)."""
    tier = _tier_case(BalanceMonthly.aum_rmb, thresholds_rmb)
    columns = [
        func.max(case((BalanceMonthly.month == month, tier), else_=None)).label(f"t{i}")
        for i, month in enumerate(months)
    ]
    last_aum = func.max(case((BalanceMonthly.month == months[-1], BalanceMonthly.aum_rmb), else_=None))
    per_customer = (
        select(Customer.home_outlet_id.label("outlet_id"), *columns, last_aum.label("aum_last"))
        .join(BalanceMonthly, BalanceMonthly.customer_id == Customer.id)
        .where(Customer.id.in_(_scope_customer_ids(path_filter)), BalanceMonthly.month.in_(months))
        .group_by(Customer.id, Customer.home_outlet_id)
        .subquery()
    )
    path_columns = [
        func.coalesce(per_customer.c[f"t{i}"], literal_column("0")).label(f"t{i}") for i in range(len(months))
    ]
    keys = ([per_customer.c.outlet_id] if by_outlet else []) + path_columns
    return select(
        *keys,
        func.count().label("customers"),
        func.coalesce(func.sum(per_customer.c.aum_last), literal_column("0.0")).label("aum_rmb"),
    ).group_by(*keys)


@scoped_query
def tier_paths(
    engine: Engine, scope: Scope, unit_id: int, months: tuple[dt.date, ...], thresholds_rmb: tuple[float, ...]
) -> pd.DataFrame:
    """Customers and their AUM at the last month, per home outlet and raw tier path.

    ``months``: month-ends (first days) in any order, at most ``MAX_TIER_MONTHS``;
    ``thresholds_rmb``: lower AUM bounds of the tiers above the lowest. Columns ``outlet_id``,
    ``t0`` … ``t{k−1}`` (raw tier in each month, oldest first; 0 when the customer had no balance
    row), ``customers``, ``aum_rmb`` (sum of AUM at the last month, RMB).
    """
    months = _check_months(months)
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        statement = _tier_path_statement(OrgUnit.path.startswith(path), months, thresholds_rmb, by_outlet=True)
        rows = connection.execute(statement).all()
    columns = ["outlet_id"] + [f"t{i}" for i in range(len(months))] + ["customers", "aum_rmb"]
    frame = rows_frame(rows, columns=columns)
    return frame.astype({c: "int64" for c in columns if c != "aum_rmb"}).astype({"aum_rmb": float})


@scoped_query
def peer_tier_paths(
    engine: Engine, scope: Scope, unit_id: int, months: tuple[dt.date, ...], thresholds_rmb: tuple[float, ...]
) -> pd.DataFrame:
    """Tier paths of the unit's peers pooled: the other units with the same parent (their whole
    subtrees), without naming them. Columns ``t0`` … ``t{k−1}``, ``customers``, ``aum_rmb``;
    ``frame.attrs["peer_units"]`` is how many peer units there are. Empty for the region."""
    months = _check_months(months)
    with engine.connect() as connection:
        own_path = require_unit_in_scope(connection, scope, unit_id)
        parent_id = connection.execute(select(OrgUnit.parent_id).where(OrgUnit.id == unit_id)).scalar()
        peer_units, rows = 0, []
        if parent_id is not None:
            parent_path = connection.execute(select(OrgUnit.path).where(OrgUnit.id == parent_id)).scalar()
            peer_units = connection.execute(
                select(func.count()).select_from(OrgUnit).where(OrgUnit.parent_id == parent_id, OrgUnit.id != unit_id)
            ).scalar()
        if peer_units:
            # the parent's subtree without the unit's own: one range condition each, no OR list
            peer_filter = OrgUnit.path.startswith(parent_path) & ~OrgUnit.path.startswith(own_path)
            rows = connection.execute(_tier_path_statement(peer_filter, months, thresholds_rmb, by_outlet=False)).all()
    columns = [f"t{i}" for i in range(len(months))] + ["customers", "aum_rmb"]
    frame = rows_frame(rows, columns=columns).astype({c: "int64" for c in columns if c != "aum_rmb"})
    frame["aum_rmb"] = frame["aum_rmb"].astype(float)
    frame.attrs["peer_units"] = int(peer_units)
    return frame


@scoped_query
def aum_percentiles(engine: Engine, scope: Scope, unit_id: int, month: dt.date) -> pd.DataFrame:
    """Customers of the subtree split into 100 groups of (almost) equal size by AUM at ``month``
    (NTILE(100), poorest first): ``percentile`` (1–100), ``customers``, ``aum_rmb`` (sum),
    ``min_aum_rmb``, ``max_aum_rmb``. Negative AUM counts as 0. With fewer than 100 customers
    each group holds one customer."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        aum = case((BalanceMonthly.aum_rmb > 0, BalanceMonthly.aum_rmb), else_=literal_column("0.0"))
        ranked = (
            select(
                aum.label("aum"),
                func.ntile(100).over(order_by=(aum, BalanceMonthly.customer_id)).label("percentile"),
            )
            .where(
                _in_subtree(BalanceMonthly.customer_id, path),
                BalanceMonthly.month == as_date(month),
            )
            .subquery()
        )
        rows = connection.execute(
            select(
                ranked.c.percentile,
                func.count().label("customers"),
                func.sum(ranked.c.aum),
                func.min(ranked.c.aum),
                func.max(ranked.c.aum),
            )
            .group_by(ranked.c.percentile)
            .order_by(ranked.c.percentile)
        ).all()
    return rows_frame(rows, columns=["percentile", "customers", "aum_rmb", "min_aum_rmb", "max_aum_rmb"]).astype(
        {"aum_rmb": float, "min_aum_rmb": float, "max_aum_rmb": float}
    )


def _transaction_days(connection: Connection, path: str, end: dt.date, start: dt.date | None = None):
    """One row per customer of the subtree and day with a positive transaction up to ``end``
    (inclusive): customer_id, day (days since 1970), amount (sum of the day), first_day of the
    customer (window minimum)."""
    day = _epoch_day(connection, Txn.txn_at)
    statement = (
        select(Txn.customer_id, day.label("day"), func.sum(Txn.amount_rmb).label("amount"))
        .where(
            _in_subtree(Txn.customer_id, path),
            Txn.amount_rmb > 0,
            Txn.txn_at < end + dt.timedelta(days=1),
        )
        .group_by(Txn.customer_id, day)
    )
    if start is not None:
        statement = statement.where(Txn.txn_at >= start)
    days = statement.subquery()
    return select(
        days.c.customer_id,
        days.c.day,
        days.c.amount,
        func.min(days.c.day).over(partition_by=days.c.customer_id).label("first_day"),
    ).subquery()


def _summary_statement(connection: Connection, path: str, end: dt.date):
    days = _transaction_days(connection, path, end)
    end_day = literal(_epoch_day_of(end), Integer)
    repeats = func.count() - literal_column("1")
    repeat_amount = func.sum(case((days.c.day > days.c.first_day, days.c.amount), else_=literal_column("0.0")))
    return select(
        days.c.customer_id,
        repeats.label("frequency"),
        (func.max(days.c.day) - func.min(days.c.day)).label("recency_days"),
        (end_day - func.min(days.c.day)).label("T_days"),
        case((repeats > 0, repeat_amount / cast(repeats, Float)), else_=literal_column("0.0")).label("monetary_value"),
    ).group_by(days.c.customer_id)


@scoped_query
def customer_transaction_summary(engine: Engine, scope: Scope, unit_id: int, observation_end: dt.date) -> pd.DataFrame:
    """BG/NBD inputs per customer of the subtree, from transaction days up to ``observation_end``.

    Columns: ``customer_no`` (masked unless the role sees personal data), ``outlet_id`` (home),
    ``frequency`` (days with a transaction after the first), ``recency_days`` (first to last such
    day), ``T_days`` (first day to ``observation_end``), ``monetary_value`` (mean amount of the
    repeat days, RMB; 0 without repeats). Reversals (amount ≤ 0) are not transactions.
    ``frame.attrs["customers_without_transactions"]`` counts the scope's customers with none.
    """
    end = as_date(observation_end)
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        summary = _summary_statement(connection, path, end).subquery()
        rows = connection.execute(
            select(
                Customer.customer_no,
                Customer.home_outlet_id,
                summary.c.frequency,
                summary.c.recency_days,
                summary.c.T_days,
                summary.c.monetary_value,
            )
            .join(summary, summary.c.customer_id == Customer.id)
            .order_by(Customer.id)
        ).all()
        total = connection.execute(select(func.count()).select_from(_scope_customers(path).subquery())).scalar()
    frame = rows_frame(
        rows, columns=["customer_no", "outlet_id", "frequency", "recency_days", "T_days", "monetary_value"]
    ).astype({"frequency": "int64", "recency_days": float, "T_days": float, "monetary_value": float})
    frame.attrs["customers_without_transactions"] = int(total) - len(frame)
    return protect_frame(frame, scope, mask_customer_numbers=True)


@scoped_query
def customer_holdout_counts(
    engine: Engine, scope: Scope, unit_id: int, calibration_end: dt.date, observation_end: dt.date
) -> pd.DataFrame:
    """Days with a positive transaction after ``calibration_end`` up to ``observation_end``
    (inclusive) per customer of the subtree who transacted on or before ``calibration_end``:
    ``customer_no`` (masked as in ``customer_transaction_summary``), ``frequency_holdout``.
    Customers without holdout transactions are listed with 0."""
    cal_end, end = as_date(calibration_end), as_date(observation_end)
    if not end > cal_end:
        raise ValueError("observation_end must be after calibration_end")
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        day = _epoch_day(connection, Txn.txn_at)
        holdout = (
            select(Txn.customer_id, func.count(distinct(day)).label("days"))
            .where(
                _in_subtree(Txn.customer_id, path),
                Txn.amount_rmb > 0,
                Txn.txn_at >= cal_end + dt.timedelta(days=1),
                Txn.txn_at < end + dt.timedelta(days=1),
            )
            .group_by(Txn.customer_id)
            .subquery()
        )
        calibrated = (
            select(Txn.customer_id)
            .where(
                _in_subtree(Txn.customer_id, path),
                Txn.amount_rmb > 0,
                Txn.txn_at < cal_end + dt.timedelta(days=1),
            )
            .group_by(Txn.customer_id)
            .subquery()
        )
        rows = connection.execute(
            select(Customer.customer_no, func.coalesce(holdout.c.days, literal_column("0")))
            .join(calibrated, calibrated.c.customer_id == Customer.id)
            .outerjoin(holdout, holdout.c.customer_id == Customer.id)
            .order_by(Customer.id)
        ).all()
    frame = rows_frame(rows, columns=["customer_no", "frequency_holdout"]).astype({"frequency_holdout": "int64"})
    return protect_frame(frame, scope, mask_customer_numbers=True)


@scoped_query
def region_transaction_histogram(engine: Engine, scope: Scope, unit_id: int, observation_end: dt.date) -> pd.DataFrame:
    """The whole region's BG/NBD inputs as a histogram, for a fallback fit when a scope is too
    small: ``frequency``, ``recency_weeks``, ``T_weeks`` (whole weeks, rounded down) and
    ``customers``. Only counts leave the database (no customer and no outlet is identified), so a
    branch head may read it for their own unit."""
    end = as_date(observation_end)
    with engine.connect() as connection:
        require_unit_in_scope(connection, scope, unit_id)
        root = connection.execute(select(OrgUnit.path).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.id)).scalar()
        summary = _summary_statement(connection, root, end).subquery()
        week = literal_column("7")
        # whole weeks rounded down, the same on both backends (PostgreSQL would round a cast)
        recency_weeks = cast((summary.c.recency_days - summary.c.recency_days % week) / week, Integer)
        t_weeks = cast((summary.c.T_days - summary.c.T_days % week) / week, Integer)
        rows = connection.execute(
            select(summary.c.frequency, recency_weeks, t_weeks, func.count())
            .group_by(summary.c.frequency, recency_weeks, t_weeks)
            .order_by(summary.c.frequency, recency_weeks, t_weeks)
        ).all()
    return rows_frame(rows, columns=["frequency", "recency_weeks", "T_weeks", "customers"]).astype("int64")


@scoped_query
def customer_feature_frame(
    engine: Engine, scope: Scope, unit_id: int, month: dt.date, window_start: dt.date, window_end: dt.date
) -> pd.DataFrame:
    """One row per customer of the subtree with the behavioural features used by RFM and
    segmentation (aggregated per customer in SQL):

    ``customer_no`` (masked unless the role sees personal data), ``outlet_id``, ``kind``,
    ``home_cell`` (H3), ``aum_rmb`` (at ``month``; 0 without a balance row), ``products``
    (holdings with a positive balance), ``transactions`` (in the window), ``active_days``
    (days with a transaction in the window), ``amount_rmb`` (positive amounts in the window),
    ``digital_share`` (share of the window's transactions on self-service and remote channels;
    0 without transactions), ``days_since_last`` (from the last transaction to ``window_end``;
    the window length + 1 without any), ``tenure_years`` (from opening to ``window_end``) and
    ``age_years`` (personal customers; NULL for corporate ones). The window is
    [``window_start``, ``window_end``], both inclusive.
    """
    month, start, end = as_date(month), as_date(window_start), as_date(window_end)
    if not end >= start:
        raise ValueError("window_end must not be before window_start")
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        in_scope = OrgUnit.path.startswith(path)
        day = _epoch_day(connection, Txn.txn_at)
        txn = (
            select(
                Txn.customer_id,
                func.count().label("transactions"),
                func.count(distinct(day)).label("active_days"),
                func.sum(case((Txn.amount_rmb > 0, Txn.amount_rmb), else_=literal_column("0.0"))).label("amount"),
                func.sum(
                    case((Txn.channel.in_(DIGITAL_CHANNELS), literal_column("1")), else_=literal_column("0"))
                ).label("digital"),
                func.max(day).label("last_day"),
            )
            .where(
                _in_subtree(Txn.customer_id, path),
                Txn.txn_at >= start,
                Txn.txn_at < end + dt.timedelta(days=1),
            )
            .group_by(Txn.customer_id)
            .subquery()
        )
        held = (
            select(Holding.customer_id, func.count().label("products"))
            .where(_in_subtree(Holding.customer_id, path), Holding.balance_rmb > 0)
            .group_by(Holding.customer_id)
            .subquery()
        )
        balance = (
            select(BalanceMonthly.customer_id, BalanceMonthly.aum_rmb)
            .where(_in_subtree(BalanceMonthly.customer_id, path), BalanceMonthly.month == month)
            .subquery()
        )
        rows = connection.execute(
            select(
                Customer.customer_no,
                Customer.home_outlet_id,
                Customer.kind,
                Customer.home_cell,
                func.coalesce(balance.c.aum_rmb, literal_column("0.0")),
                func.coalesce(held.c.products, literal_column("0")),
                func.coalesce(txn.c.transactions, literal_column("0")),
                func.coalesce(txn.c.active_days, literal_column("0")),
                func.coalesce(txn.c.amount, literal_column("0.0")),
                func.coalesce(txn.c.digital, literal_column("0")),
                txn.c.last_day,
                Customer.opened_on,
                Customer.birth_year,
            )
            .join(OrgUnit, OrgUnit.id == Customer.home_outlet_id)
            .outerjoin(balance, balance.c.customer_id == Customer.id)
            .outerjoin(held, held.c.customer_id == Customer.id)
            .outerjoin(txn, txn.c.customer_id == Customer.id)
            .where(in_scope)
            .order_by(Customer.id)
        ).all()
    frame = rows_frame(
        rows,
        columns=[
            "customer_no",
            "outlet_id",
            "kind",
            "home_cell",
            "aum_rmb",
            "products",
            "transactions",
            "active_days",
            "amount_rmb",
            "digital",
            "last_day",
            "opened_on",
            "birth_year",
        ],
    )
    end_day = _epoch_day_of(end)
    window_days = (end - start).days + 1
    frame = frame.astype({"aum_rmb": float, "products": "int64", "transactions": "int64", "active_days": "int64"})
    frame["amount_rmb"] = frame["amount_rmb"].astype(float)
    frame["digital_share"] = (
        frame["digital"].astype(float) / frame["transactions"].where(frame["transactions"] > 0)
    ).fillna(0.0)
    last_day = pd.to_numeric(frame["last_day"], errors="coerce")
    frame["days_since_last"] = (end_day - last_day).fillna(window_days + 1).astype(float)
    opened = pd.to_datetime(frame["opened_on"].map(as_date))
    frame["tenure_years"] = ((pd.Timestamp(end) - opened).dt.days / 365.25).clip(lower=0.0).astype(float)
    birth_year = pd.to_numeric(frame["birth_year"], errors="coerce")
    frame["age_years"] = (end.year - birth_year).where(frame["kind"] == "personal").astype(float)
    frame = frame.drop(columns=["digital", "last_day", "opened_on", "birth_year"])
    return protect_frame(frame, scope, mask_customer_numbers=True)
