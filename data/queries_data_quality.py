"""Scoped queries of the data quality view: rows per extract, outlet and month, empty values
of the key columns, customers without accounts and accounts without customers. Counts only: no
personal data leaves here.

Every public function takes ``(engine, scope, unit_id, ...)`` and checks ``unit_id`` against the
caller's scope before reading (``ScopeError`` otherwise); rows are counted in SQL.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import and_, func, literal, select, union_all
from sqlalchemy.engine import Engine

from data.query_support import scoped_query
from data.query_values import as_date, month_start_text
from data.schema import (
    ACCOUNT_EXTRACTS,
    AccountBalance,
    Customer,
    KpiMonthly,
    LobbyHourly,
    LobbyServiceType,
    OrgUnit,
    Txn,
)
from data.scope import Scope, require_unit_in_scope

# Extracts every open outlet delivers every month, by import kind name (complaints and
# inspections are not monthly for every outlet: an outlet without complaints is not a gap).
MONTHLY_SOURCES = (
    *(f"{extract}s" for extract in ACCOUNT_EXTRACTS),
    "monthly_kpis",
    "transactions",
    "lobby_hourly",
    "lobby_service_types",
)
# Columns whose empty share the view shows, per table (and per account extract).
CHECKED_COLUMNS = {
    "customers": (Customer, ("phone_masked", "birth_date", "home_cell", "relationship_manager_id", "address")),
    "transactions": (Txn, ("business_type", "product_id")),
}
ACCOUNT_COLUMNS = ("daily_average_rmb", "opened_on", "matures_on")
LOAN_COLUMNS = ("loan_class",)


def _in_subtree(column, path: str):
    """Rows whose outlet (``column``) lies in the subtree at ``path``."""
    return column.in_(select(OrgUnit.id).where(OrgUnit.path.startswith(path)))


@scoped_query
def quality_extract_rows(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """Rows per monthly source, outlet and month in the unit's subtree (imported KPIs only,
    not those derived from account extracts). Columns: source, outlet_id, month (date), rows."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        parts = [
            select(
                (AccountBalance.extract + literal("s")).label("source"),
                AccountBalance.outlet_id,
                month_start_text(connection, AccountBalance.month).label("month"),
                func.count().label("rows"),
            )
            .where(_in_subtree(AccountBalance.outlet_id, path))
            .group_by(AccountBalance.extract, AccountBalance.outlet_id, AccountBalance.month)
        ]
        for source, outlet, month, condition in (
            ("monthly_kpis", KpiMonthly.outlet_id, KpiMonthly.month, KpiMonthly.source.is_(None)),
            ("transactions", Txn.outlet_id, Txn.txn_at, None),
            ("lobby_hourly", LobbyHourly.outlet_id, LobbyHourly.day, None),
            ("lobby_service_types", LobbyServiceType.outlet_id, LobbyServiceType.month, None),
        ):
            month_text = month_start_text(connection, month)
            statement = select(
                literal(source).label("source"), outlet.label("outlet_id"), month_text.label("month"), func.count()
            ).where(_in_subtree(outlet, path))
            if condition is not None:
                statement = statement.where(condition)
            parts.append(statement.group_by(outlet, month_text))
        rows = connection.execute(union_all(*parts)).all()
    frame = pd.DataFrame(rows, columns=["source", "outlet_id", "month", "rows"])
    frame["month"] = [as_date(value) for value in frame["month"]]
    frame["rows"] = frame["rows"].astype(int)
    return frame


@scoped_query
def quality_outlets(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """Outlets of the unit's subtree with the dates they were open: outlet_id, opened_on, closed_on, status."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        rows = connection.execute(
            select(OrgUnit.id, OrgUnit.opened_on, OrgUnit.closed_on, OrgUnit.status)
            .where(OrgUnit.level == "outlet", OrgUnit.path.startswith(path), OrgUnit.status != "planned")
            .order_by(OrgUnit.id)
        ).all()
    return pd.DataFrame(rows, columns=["outlet_id", "opened_on", "closed_on", "status"])


def _filled_counts(table, outlet_column, columns: tuple[str, ...], path: str, label: str, condition=None):
    """One row (label, rows, filled per column) counting a table's rows in the subtree."""
    statement = select(
        literal(label).label("table"),
        func.count().label("rows"),
        *(func.count(table.c[name]).label(name) for name in columns),
    ).where(_in_subtree(outlet_column, path))
    return statement.where(condition) if condition is not None else statement


@scoped_query
def quality_empty_values(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """Rows and filled values of the key optional columns, per table (account extracts each on
    their own) in the unit's subtree. Columns: table, column, rows, filled."""
    records = []
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        checks = [
            (name, model.__table__, model.home_outlet_id if model is Customer else model.outlet_id, columns, None)
            for name, (model, columns) in CHECKED_COLUMNS.items()
        ]
        for extract in ACCOUNT_EXTRACTS:
            columns = ACCOUNT_COLUMNS + (LOAN_COLUMNS if extract.endswith("loan") else ())
            checks.append(
                (
                    f"{extract}s",
                    AccountBalance.__table__,
                    AccountBalance.outlet_id,
                    columns,
                    AccountBalance.extract == extract,
                )
            )
        for label, table, outlet, columns, condition in checks:
            row = connection.execute(_filled_counts(table, outlet, columns, path, label, condition)).one()
            records += [
                {"table": label, "column": name, "rows": int(row.rows), "filled": int(getattr(row, name))}
                for name in columns
            ]
    return pd.DataFrame(records, columns=["table", "column", "rows", "filled"])


@scoped_query
def quality_unmatched(engine: Engine, scope: Scope, unit_id: int) -> dict[str, int]:
    """Counts in the unit's subtree: ``customers`` (all), ``customers_without_accounts`` (no row in
    any account extract), ``accounts`` (account rows) and ``accounts_without_customers`` (account
    rows whose customer is not loaded: refused by the import, so 0 unless loaded otherwise)."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        in_scope = _in_subtree(Customer.home_outlet_id, path)
        has_account = select(AccountBalance.id).where(AccountBalance.customer_id == Customer.id).exists()
        customers, without = connection.execute(
            select(func.count(), func.count().filter(~has_account)).select_from(Customer).where(in_scope)
        ).one()
        accounts, orphans = connection.execute(
            select(func.count(), func.count().filter(Customer.id.is_(None)))
            .select_from(AccountBalance)
            .outerjoin(Customer, and_(Customer.id == AccountBalance.customer_id))
            .where(_in_subtree(AccountBalance.outlet_id, path))
        ).one()
    return {
        "customers": int(customers),
        "customers_without_accounts": int(without),
        "accounts": int(accounts),
        "accounts_without_customers": int(orphans),
    }
