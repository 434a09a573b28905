"""What the customer-care pages share: the scoped queries more than one of them reads (the outlets
that have customers, the dates the customer data reach, each customer's last contact) and the
SQL building blocks of all their queries (the units and customers of a subtree, a customer
checked against the scope, day and month keys, the newest balance month, months back, age bands).

Each page has its own query module besides: ``data.queries_customer_360`` (Customer 360),
``data.queries_next_product`` (Next best product), ``data.queries_action_lists`` (Action lists)
and ``data.queries_complaints`` (Complaints and care).

Every public query takes ``(engine, scope, unit_id, ...)`` and checks ``unit_id`` against the
caller's scope before reading (``ScopeError`` otherwise). Functions about one customer also take
``customer_id`` and refuse a customer whose home outlet is not inside ``unit_id``'s subtree with
the same ``ScopeError`` an unknown customer gets (``require_customer``), so probing ids reveals
nothing. Personal data (names, phone numbers, addresses, birth dates, relationship managers) are
protected by the one policy of ``data.privacy`` unless the scope's role may see them. Money in
RMB; months are first days of the month; dates in bank-local time.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Date, cast, func, literal_column, select
from sqlalchemy.engine import Connection, Engine

from analytics.action_rules import age_band
from data.query_support import scoped_query
from data.query_values import as_date, rows_frame
from data.schema import (
    BalanceMonthly,
    Customer,
    CustomerContact,
    OrgUnit,
    Txn,
)
from data.scope import Scope, ScopeError, require_unit_in_scope


def day_of(connection: Connection, column):
    """The calendar day of a DATETIME column, in SQL (text on SQLite, DATE on PostgreSQL)."""
    if connection.dialect.name == "sqlite":
        return func.date(column)
    return cast(column, Date)


def month_key(connection: Connection, column):
    """'YYYY-MM' of a DATE/DATETIME column in SQL; constants inlined so GROUP BY matches SELECT."""
    if connection.dialect.name == "sqlite":
        return func.strftime(literal_column("'%Y-%m'"), column)
    return func.to_char(column, literal_column("'YYYY-MM'"))


def latest_balance_month(connection: Connection, path: str) -> dt.date | None:
    """Newest month with balances of the subtree's customers (read through the (customer, month)
    key of the scope's customers, not a scan of every balance of the bank)."""
    return as_date(
        connection.execute(
            select(func.max(BalanceMonthly.month)).where(BalanceMonthly.customer_id.in_(customers_of(path)))
        ).scalar()
    )


def months_before(month: dt.date, months: int) -> dt.date:
    """First day of the month ``months`` months before ``month``."""
    index = month.year * 12 + month.month - 1 - int(months)
    return dt.date(index // 12, index % 12 + 1, 1)


def require_customer(connection: Connection, scope: Scope, unit_id: int, customer_id: int) -> str:
    """Path of ``unit_id`` if it is in scope and ``customer_id`` is homed in its subtree, else ScopeError."""
    path = require_unit_in_scope(connection, scope, unit_id)
    home_path = connection.execute(
        select(OrgUnit.path)
        .join(Customer, Customer.home_outlet_id == OrgUnit.id)
        .where(Customer.id == int(customer_id))
    ).scalar()
    if home_path is None or not home_path.startswith(path) or not scope.contains_path(home_path):
        raise ScopeError(f"customer {customer_id} is outside the scope of {scope.username}")
    return path


def in_subtree(path: str):
    """Customers homed in the subtree with materialised path ``path`` (join OrgUnit on home outlet).

    Together with the filter, queries add ``Customer.home_outlet_id.in_(units_of(path))`` so that
    the database starts from the subtree's few units and walks the customer and transaction
    indexes, instead of scanning every transaction of the bank.
    """
    return OrgUnit.path.startswith(path)


def units_of(path: str):
    """Ids of the units in the subtree with materialised path ``path`` (a subquery for IN)."""
    return select(OrgUnit.id).where(OrgUnit.path.startswith(path))


def customers_of(path: str):
    """Ids of the customers homed in the subtree (a subquery for IN on an indexed customer_id)."""
    return select(Customer.id).where(Customer.home_outlet_id.in_(units_of(path)))


def birth_year_as_age_band(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """Replace the ``birth_year`` column with ``age_band`` (ten-year band start in ``year``)."""
    band = age_band(frame["birth_year"].astype("Float64").astype("float64"), year)
    return frame.drop(columns=["birth_year"]).assign(age_band=band.to_numpy())


@scoped_query
def care_outlets(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """Outlets of the unit's subtree that have customers homed there: id, code, name_zh, name_en,
    status, customers (count), ordered by code."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        rows = connection.execute(
            select(
                OrgUnit.id,
                OrgUnit.code,
                OrgUnit.name_zh,
                OrgUnit.name_en,
                OrgUnit.status,
                func.count(Customer.id).label("customers"),
            )
            .join(Customer, Customer.home_outlet_id == OrgUnit.id)
            .where(in_subtree(path), Customer.home_outlet_id.in_(units_of(path)), OrgUnit.level == "outlet")
            .group_by(OrgUnit.id, OrgUnit.code, OrgUnit.name_zh, OrgUnit.name_en, OrgUnit.status)
            .order_by(OrgUnit.code)
        ).all()
    return rows_frame(rows, columns=["id", "code", "name_zh", "name_en", "status", "customers"])


@scoped_query
def care_data_dates(engine: Engine, scope: Scope, unit_id: int) -> dict:
    """Dates the customer data of the subtree reach: ``last_balance_month`` (first day of the
    newest month-end balance), ``first_txn_day`` and ``last_txn_day`` (None when there is none)."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        last_month = latest_balance_month(connection, path)
        first, last = connection.execute(
            select(func.min(Txn.txn_at), func.max(Txn.txn_at)).where(Txn.customer_id.in_(customers_of(path)))
        ).one()
    return {"last_balance_month": last_month, "first_txn_day": as_date(first), "last_txn_day": as_date(last)}


@scoped_query
def care_last_contacts(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """The newest logged contact of every customer of the subtree who has one: customer id,
    contacted at, list, outcome, recorded by."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        ranked = (
            select(
                CustomerContact.customer_id,
                CustomerContact.contacted_at,
                CustomerContact.list_kind,
                CustomerContact.outcome,
                CustomerContact.recorded_by,
                func.row_number()
                .over(
                    partition_by=CustomerContact.customer_id,
                    order_by=(CustomerContact.contacted_at.desc(), CustomerContact.id.desc()),
                )
                .label("position"),
            )
            .join(Customer, Customer.id == CustomerContact.customer_id)
            .join(OrgUnit, OrgUnit.id == Customer.home_outlet_id)
            .where(in_subtree(path), Customer.home_outlet_id.in_(units_of(path)))
            .subquery()
        )
        rows = connection.execute(
            select(
                ranked.c.customer_id, ranked.c.contacted_at, ranked.c.list_kind, ranked.c.outcome, ranked.c.recorded_by
            )
            .where(ranked.c.position == 1)
            .order_by(ranked.c.customer_id)
        ).all()
    frame = rows_frame(rows, columns=["customer_id", "contacted_at", "list_kind", "outcome", "recorded_by"])
    frame["contacted_at"] = pd.to_datetime(frame["contacted_at"])
    return frame
