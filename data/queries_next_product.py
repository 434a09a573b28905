"""Scoped queries of the Next best product page (also read by Customer 360, for the model of the
customer's home outlet): the product catalogue with its holders, and one row of model inputs per
customer of the focus unit (``holds_<code>`` columns and the customer's features).

Every public function takes ``(engine, scope, unit_id, ...)`` and checks ``unit_id`` against the
caller's scope before reading (``ScopeError`` otherwise). Personal data are protected by the one
policy of ``data.privacy`` unless the scope's role may see them. Money in RMB; months are first
days of the month.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Integer, and_, case, cast, func, select
from sqlalchemy.engine import Engine

from data.privacy import protect_frame
from data.queries_customer_care import (
    birth_year_as_age_band,
    customers_of,
    in_subtree,
    latest_balance_month,
    months_before,
    units_of,
)
from data.query_support import scoped_query
from data.query_values import as_date, rows_frame
from data.schema import (
    E_CHANNELS,
    BalanceMonthly,
    Customer,
    Holding,
    OrgUnit,
    Product,
    Txn,
)
from data.scope import Scope, require_unit_in_scope


@scoped_query
def care_product_catalogue(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """Every product with its family, segment (personal/corporate/both), annual margin rate (per
    RMB of balance per year), and in the subtree: holders and mean balance of holders (RMB)."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        held = (
            select(
                Holding.product_id,
                func.count().label("holders"),
                func.avg(Holding.balance_rmb).label("mean_balance"),
            )
            .where(Holding.customer_id.in_(customers_of(path)))
            .group_by(Holding.product_id)
            .subquery()
        )
        rows = connection.execute(
            select(
                Product.id,
                Product.code,
                Product.name_zh,
                Product.name_en,
                Product.family,
                Product.segment,
                Product.annual_margin_rate,
                func.coalesce(held.c.holders, 0),
                func.coalesce(held.c.mean_balance, 0.0),
            )
            .outerjoin(held, held.c.product_id == Product.id)
            .order_by(Product.id)
        ).all()
    frame = rows_frame(
        rows,
        columns=[
            "product_id",
            "code",
            "name_zh",
            "name_en",
            "family",
            "segment",
            "annual_margin_rate",
            "holders",
            "mean_balance_rmb",
        ],
    )
    return frame.astype({"holders": "int64", "mean_balance_rmb": "float64", "annual_margin_rate": "float64"})


@scoped_query
def care_nbp_inputs(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """One row per customer homed in the subtree with the next-best-product model's inputs.

    Columns: customer_id, customer_no, name (masked by role), kind, outlet_id, age_band (start
    of the ten-year age band in the newest balance month's year; NaN unknown), opened_on,
    aum_rmb (newest month; 0 when missing), txn_12m and e_txn_12m (transactions in the 12 months
    up to the newest balance month's end, all and on e-channels), then one 0/1 column
    ``holds_<product code>`` per product (pivoted in SQL).
    """
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        last_month = latest_balance_month(connection, path) or dt.date.today().replace(day=1)
        products = connection.execute(select(Product.id, Product.code).order_by(Product.id)).all()
        window_end = dt.datetime.combine(months_before(last_month, -1), dt.time())
        window_start = dt.datetime.combine(months_before(last_month, 11), dt.time())
        activity = (
            select(
                Txn.customer_id,
                func.count().label("txn_12m"),
                func.sum(case((Txn.channel.in_(E_CHANNELS), 1), else_=0)).label("e_txn_12m"),
            )
            .where(Txn.customer_id.in_(customers_of(path)), Txn.txn_at >= window_start, Txn.txn_at < window_end)
            .group_by(Txn.customer_id)
            .subquery()
        )
        held = (
            select(
                Holding.customer_id,
                *[
                    func.max(case((Holding.product_id == product_id, 1), else_=0)).label(f"holds_{code}")
                    for product_id, code in products
                ],
            )
            .where(Holding.customer_id.in_(customers_of(path)))
            .group_by(Holding.customer_id)
            .subquery()
        )
        holding_columns = [f"holds_{code}" for _, code in products]
        rows = connection.execute(
            select(
                Customer.id,
                Customer.customer_no,
                Customer.name,
                Customer.kind,
                OrgUnit.id,
                Customer.birth_year,
                Customer.opened_on,
                func.coalesce(BalanceMonthly.aum_rmb, 0.0),
                func.coalesce(activity.c.txn_12m, 0),
                func.coalesce(activity.c.e_txn_12m, 0),
                *[cast(func.coalesce(held.c[column], 0), Integer) for column in holding_columns],
            )
            .join(OrgUnit, OrgUnit.id == Customer.home_outlet_id)
            .outerjoin(
                BalanceMonthly, and_(BalanceMonthly.customer_id == Customer.id, BalanceMonthly.month == last_month)
            )
            .outerjoin(activity, activity.c.customer_id == Customer.id)
            .outerjoin(held, held.c.customer_id == Customer.id)
            .where(in_subtree(path), Customer.home_outlet_id.in_(units_of(path)))
            .order_by(Customer.id)
        ).all()
    columns = [
        "customer_id",
        "customer_no",
        "name",
        "kind",
        "outlet_id",
        "birth_year",
        "opened_on",
        "aum_rmb",
        "txn_12m",
        "e_txn_12m",
        *holding_columns,
    ]
    frame = rows_frame(rows, columns=columns)
    frame["opened_on"] = frame["opened_on"].map(as_date)
    frame = birth_year_as_age_band(frame, last_month.year)
    frame = frame.astype(
        {"aum_rmb": "float64", "txn_12m": "int64", "e_txn_12m": "int64", **{c: "int64" for c in holding_columns}}
    )
    return protect_frame(frame, scope)
