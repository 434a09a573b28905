"""Scoped queries of the Action lists page (储备 / 开拓 / 维护 / 流失): one row of rule inputs per
customer of the focus unit (also read by Customer 360, for the activity models of the customer's
home outlet), the customers' phone numbers for the contact lists, and the unit's saved
action-list rules. Each customer's last contact is in ``data.queries_customer_care`` with the
rest the customer-care pages share.

Every public function takes ``(engine, scope, unit_id, ...)`` and checks ``unit_id`` against the
caller's scope before reading (``ScopeError`` otherwise). Personal data (names, phone numbers,
relationship managers; birth years leave only as age bands) are protected by the one policy of
``data.privacy`` unless the scope's role may see them. Money in RMB; months are first days of
the month; dates in bank-local time.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import and_, case, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased

from data.contacts import RULES_KEY_PREFIX  # the app_setting keys data.contacts writes
from data.privacy import protect_frame
from data.queries_customer_care import (
    birth_year_as_age_band,
    customers_of,
    day_of,
    in_subtree,
    latest_balance_month,
    months_before,
    units_of,
)
from data.query_support import scoped_query
from data.query_values import as_date, rows_frame
from data.schema import (
    E_CHANNELS,
    AppSetting,
    BalanceMonthly,
    Customer,
    Holding,
    OrgUnit,
    Staff,
    Txn,
)
from data.scope import Scope, require_unit_in_scope
from data.staff_status import relationship_manager_on


@scoped_query
def care_action_inputs(engine: Engine, scope: Scope, unit_id: int, months_back: int = 3) -> pd.DataFrame:
    """One row per customer homed in the subtree with what the action-list rules read.

    Columns: customer_id, customer_no, name (masked by role), kind, is_key_customer, outlet_id,
    outlet names, manager_name (None for roles without personal data, and unless a current
    relationship manager: see data.staff_status), age_band (start of the
    ten-year age band in the newest balance month's year; NaN unknown: the rules need no birth
    year, so none leaves the data layer), opened_on,
    aum_now_rmb (newest month), aum_then_rmb (``months_back`` months earlier; NaN if no balance
    then), deposit_rmb, loan_rmb, products (count held), txn_days (distinct days with a
    transaction), first_txn_at, last_txn_at, txn_amount_12m_rmb (transaction amounts in the 12
    months up to the newest balance month's end), txn_12m (their count), e_txn_12m (of which on
    e-channels).
    """
    manager = aliased(Staff, name="manager")
    then_balance = aliased(BalanceMonthly, name="then_balance")
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        last_month = latest_balance_month(connection, path)
        if last_month is None:
            last_month = dt.date.today().replace(day=1)
        then_month = months_before(last_month, months_back)
        window_end = dt.datetime.combine(months_before(last_month, -1), dt.time())
        window_start = dt.datetime.combine(months_before(last_month, 11), dt.time())
        day = day_of(connection, Txn.txn_at)
        in_window = and_(Txn.txn_at >= window_start, Txn.txn_at < window_end)
        activity = (
            select(
                Txn.customer_id,
                func.count(func.distinct(day)).label("txn_days"),
                func.min(Txn.txn_at).label("first_txn_at"),
                func.max(Txn.txn_at).label("last_txn_at"),
                func.sum(case((in_window, Txn.amount_rmb), else_=0.0)).label("amount_12m"),
                func.sum(case((in_window, 1), else_=0)).label("txn_12m"),
                func.sum(case((and_(in_window, Txn.channel.in_(E_CHANNELS)), 1), else_=0)).label("e_txn_12m"),
            )
            .where(Txn.customer_id.in_(customers_of(path)))
            .group_by(Txn.customer_id)
            .subquery()
        )
        products = (
            select(Holding.customer_id, func.count().label("products"))
            .where(Holding.customer_id.in_(customers_of(path)))
            .group_by(Holding.customer_id)
            .subquery()
        )
        rows = connection.execute(
            select(
                Customer.id,
                Customer.customer_no,
                Customer.name,
                Customer.kind,
                Customer.is_key_customer,
                OrgUnit.id,
                OrgUnit.name_zh,
                OrgUnit.name_en,
                manager.name,
                Customer.birth_year,
                Customer.opened_on,
                BalanceMonthly.aum_rmb,
                then_balance.aum_rmb,
                BalanceMonthly.deposit_rmb,
                BalanceMonthly.loan_rmb,
                func.coalesce(products.c.products, 0),
                func.coalesce(activity.c.txn_days, 0),
                activity.c.first_txn_at,
                activity.c.last_txn_at,
                func.coalesce(activity.c.amount_12m, 0.0),
                func.coalesce(activity.c.txn_12m, 0),
                func.coalesce(activity.c.e_txn_12m, 0),
            )
            .join(OrgUnit, OrgUnit.id == Customer.home_outlet_id)
            .outerjoin(
                manager,
                and_(
                    manager.id == Customer.relationship_manager_id,
                    relationship_manager_on(manager, dt.date.today()),
                ),
            )
            .outerjoin(
                BalanceMonthly, and_(BalanceMonthly.customer_id == Customer.id, BalanceMonthly.month == last_month)
            )
            .outerjoin(then_balance, and_(then_balance.customer_id == Customer.id, then_balance.month == then_month))
            .outerjoin(products, products.c.customer_id == Customer.id)
            .outerjoin(activity, activity.c.customer_id == Customer.id)
            .where(in_subtree(path), Customer.home_outlet_id.in_(units_of(path)))
            .order_by(Customer.id)
        ).all()
    columns = [
        "customer_id",
        "customer_no",
        "name",
        "kind",
        "is_key_customer",
        "outlet_id",
        "outlet_zh",
        "outlet_en",
        "manager_name",
        "birth_year",
        "opened_on",
        "aum_now_rmb",
        "aum_then_rmb",
        "deposit_rmb",
        "loan_rmb",
        "products",
        "txn_days",
        "first_txn_at",
        "last_txn_at",
        "txn_amount_12m_rmb",
        "txn_12m",
        "e_txn_12m",
    ]
    frame = rows_frame(rows, columns=columns)
    frame["is_key_customer"] = frame["is_key_customer"].astype(bool)
    frame["opened_on"] = frame["opened_on"].map(as_date)
    for column in ("first_txn_at", "last_txn_at"):
        frame[column] = pd.to_datetime(frame[column])
    frame = frame.astype(
        {
            "aum_now_rmb": "float64",
            "aum_then_rmb": "float64",
            "deposit_rmb": "float64",
            "loan_rmb": "float64",
            "txn_amount_12m_rmb": "float64",
            "products": "int64",
            "txn_days": "int64",
            "txn_12m": "int64",
            "e_txn_12m": "int64",
        }
    )
    frame = birth_year_as_age_band(frame, last_month.year)
    return protect_frame(frame, scope)


@scoped_query
def care_customer_phones(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """Phone numbers (as stored, masked) of the customers homed in the subtree who have one:
    customer_id, phone_masked. Empty for roles that may not see personal data (they get no
    customer rows to call)."""
    if not scope.sees_personal_data:
        with engine.connect() as connection:
            require_unit_in_scope(connection, scope, unit_id)
        return pd.DataFrame({"customer_id": pd.Series(dtype="int64"), "phone_masked": pd.Series(dtype=object)})
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        rows = connection.execute(
            select(Customer.id, Customer.phone_masked)
            .where(Customer.home_outlet_id.in_(units_of(path)), Customer.phone_masked.is_not(None))
            .order_by(Customer.id)
        ).all()
    return rows_frame(rows, columns=["customer_id", "phone_masked"]).astype({"customer_id": "int64"})


@scoped_query
def care_saved_action_rules(engine: Engine, scope: Scope, unit_id: int) -> dict:
    """The action-list rules saved for the unit or, failing that, its nearest ancestor (a
    region's rules apply to every outlet that has none of its own): ``values`` (dict),
    ``unit_id`` they were saved for, ``updated_by``, ``updated_at``; ``{}`` when none is saved."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        chain = [int(part) for part in path.strip("/").split("/")]
        keys = {f"{RULES_KEY_PREFIX}{unit}": depth for depth, unit in enumerate(chain)}
        rows = connection.execute(
            select(AppSetting.key, AppSetting.value, AppSetting.updated_by, AppSetting.updated_at).where(
                AppSetting.key.in_(list(keys))
            )
        ).all()
    if not rows:
        return {}
    row = max(rows, key=lambda r: keys[r.key])
    return {
        "values": dict(row.value),
        "unit_id": int(row.key[len(RULES_KEY_PREFIX) :]),
        "updated_by": row.updated_by,
        "updated_at": row.updated_at,
    }
