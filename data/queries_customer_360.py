"""Scoped queries of the Customer 360 page: find a customer of the focus unit (search), then one
customer's facts, holdings, balance history, transactions by channel and by day, complaints and
contacts. The page's action flags and next best products come from ``data.queries_action_lists``
and ``data.queries_next_product``; what the customer-care pages share is in
``data.queries_customer_care``.

Every public function takes ``(engine, scope, unit_id, ...)`` and checks ``unit_id`` against the
caller's scope before reading (``ScopeError`` otherwise). Functions about one customer also take
``customer_id`` and refuse a customer whose home outlet is not inside ``unit_id``'s subtree with
the same ``ScopeError`` an unknown customer gets, so probing ids reveals nothing. Personal data
(names, phone numbers, addresses, birth dates, relationship managers) are protected by the one
policy of ``data.privacy`` unless the scope's role may see them. Money in RMB; months are first
days of the month; dates in bank-local time.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import and_, func, literal_column, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased

from data.auth import write_audit
from data.privacy import MASK_CHARACTER, protect_facts, protect_frame
from data.queries_customer_care import (
    day_of,
    in_subtree,
    latest_balance_month,
    month_key,
    require_customer,
    units_of,
)
from data.query_support import scoped_query
from data.query_values import as_date, rows_frame
from data.schema import (
    BalanceMonthly,
    Complaint,
    Customer,
    CustomerContact,
    Holding,
    OrgUnit,
    Product,
    Staff,
    Txn,
)
from data.scope import Scope, ScopeError, require_unit_in_scope
from data.staff_status import relationship_manager_on

SEARCH_LIMIT_MAX = 200
#: The action of the audit line every view of one customer's facts writes.
VIEW_ACTION = "customer_360_view"


_SEARCH_COLUMNS = [
    "customer_id",
    "customer_no",
    "name",
    "kind",
    "is_key_customer",
    "outlet_id",
    "outlet_zh",
    "outlet_en",
    "aum_rmb",
    "deposit_rmb",
    "loan_rmb",
]


@scoped_query
def care_customer_search(
    engine: Engine, scope: Scope, unit_id: int, text: str = "", key_only: bool = False, limit: int = 50
) -> pd.DataFrame:
    """Customers homed in the subtree that match ``text``, key customers first, then by AUM.

    ``text`` matches the start of the customer number, or the name: anywhere in the full name for
    roles that may see personal data; for other roles only the masked name (its first character,
    e.g. "张" or "张**"), so a search cannot confirm a full name the role may not see. Empty
    ``text`` lists the largest customers. ``key_only`` keeps key customers and key enterprises
    (重点客户 / 重点企业). At most ``limit`` (≤ 200) rows with the newest month's balances (RMB).
    """
    text = (text or "").strip()
    limit = max(1, min(int(limit), SEARCH_LIMIT_MAX))
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        last_month = latest_balance_month(connection, path)
        statement = (
            select(
                Customer.id,
                Customer.customer_no,
                Customer.name,
                Customer.kind,
                Customer.is_key_customer,
                OrgUnit.id,
                OrgUnit.name_zh,
                OrgUnit.name_en,
                BalanceMonthly.aum_rmb,
                BalanceMonthly.deposit_rmb,
                BalanceMonthly.loan_rmb,
            )
            .join(OrgUnit, OrgUnit.id == Customer.home_outlet_id)
            .outerjoin(
                BalanceMonthly, and_(BalanceMonthly.customer_id == Customer.id, BalanceMonthly.month == last_month)
            )
            .where(in_subtree(path), Customer.home_outlet_id.in_(units_of(path)))
        )
        if key_only:
            statement = statement.where(Customer.is_key_customer.is_(True))
        if text:
            number_match = Customer.customer_no.startswith(text.upper(), autoescape=True)
            if scope.sees_personal_data:
                name_match = Customer.name.contains(text, autoescape=True)
            else:
                visible = text.rstrip(MASK_CHARACTER)
                name_match = (
                    func.substr(Customer.name, 1, 1) == visible if len(visible) == 1 else literal_column("1") == 0
                )
            statement = statement.where(or_(number_match, name_match))
        statement = statement.order_by(
            Customer.is_key_customer.desc(), func.coalesce(BalanceMonthly.aum_rmb, 0).desc(), Customer.customer_no
        ).limit(limit)
        rows = connection.execute(statement).all()
    frame = rows_frame(rows, columns=_SEARCH_COLUMNS)
    frame["is_key_customer"] = frame["is_key_customer"].astype(bool)
    return protect_frame(frame, scope)


@scoped_query
def care_customer_profile(engine: Engine, scope: Scope, unit_id: int, customer_id: int) -> dict:
    """Facts of one customer homed in the subtree: number, name (masked by role), kind, gender,
    birth year and birth date (both None for roles without personal data), industry, opened on,
    key-customer flag, phone (masked; None for roles without personal data), address (None for
    roles without personal data, or when none is recorded), home outlet id and names,
    relationship manager's name (None unless a current relationship manager: see
    data.staff_status; None for roles without personal data), and the newest month's deposit,
    loan and AUM (RMB) with that month. Personal data are protected by ``data.privacy``.

    Every call is a view of one customer and writes an audit line (``customer_360_view``: user,
    customer id, unit asked about, whether personal data were masked), a refused one too
    (success false) before its ScopeError."""
    manager = aliased(Staff, name="manager")
    # As asked (perhaps no number at all), under keys the audit page's unit filter does not read.
    detail = {"customer_id": str(customer_id)[:20], "asked_unit": str(unit_id)[:20]}
    try:
        with engine.connect() as connection:
            path = require_customer(connection, scope, unit_id, customer_id)
            last_month = latest_balance_month(connection, path)
            row = connection.execute(
                select(
                    Customer.id.label("customer_id"),
                    Customer.customer_no,
                    Customer.name,
                    Customer.kind,
                    Customer.gender,
                    Customer.birth_year,
                    Customer.birth_date,
                    Customer.industry,
                    Customer.opened_on,
                    Customer.is_key_customer,
                    Customer.phone_masked,
                    Customer.address,
                    OrgUnit.id.label("outlet_id"),
                    OrgUnit.code.label("outlet_code"),
                    OrgUnit.name_zh.label("outlet_zh"),
                    OrgUnit.name_en.label("outlet_en"),
                    manager.name.label("manager_name"),
                    BalanceMonthly.deposit_rmb,
                    BalanceMonthly.loan_rmb,
                    BalanceMonthly.aum_rmb,
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
                .where(Customer.id == int(customer_id))
            ).one()
    except ScopeError:  # the refusal is audited in its own transaction, after the read has ended
        with engine.begin() as audit:
            write_audit(audit, scope.username, VIEW_ACTION, False, detail)
        raise
    facts = dict(row._mapping)
    facts["opened_on"] = as_date(facts["opened_on"])
    facts["birth_date"] = as_date(facts["birth_date"])
    facts["is_key_customer"] = bool(facts["is_key_customer"])
    facts["balance_month"] = last_month
    with engine.begin() as audit:
        detail = {"customer_id": int(customer_id), "unit_id": int(unit_id), "masked": not scope.sees_personal_data}
        write_audit(audit, scope.username, VIEW_ACTION, True, detail)
    return protect_facts(facts, scope)


@scoped_query
def care_customer_holdings(engine: Engine, scope: Scope, unit_id: int, customer_id: int) -> pd.DataFrame:
    """Current holdings of one customer: product code, names, family, balance (RMB), opened on,
    matures on and the product's annual margin rate (per RMB of balance), by family and code."""
    with engine.connect() as connection:
        require_customer(connection, scope, unit_id, customer_id)
        rows = connection.execute(
            select(
                Product.code,
                Product.name_zh,
                Product.name_en,
                Product.family,
                Holding.balance_rmb,
                Holding.opened_on,
                Holding.matures_on,
                Product.annual_margin_rate,
            )
            .join(Product, Product.id == Holding.product_id)
            .where(Holding.customer_id == int(customer_id))
            .order_by(Product.family, Product.code)
        ).all()
    frame = rows_frame(
        rows,
        columns=[
            "code",
            "name_zh",
            "name_en",
            "family",
            "balance_rmb",
            "opened_on",
            "matures_on",
            "annual_margin_rate",
        ],
    )
    for column in ("opened_on", "matures_on"):
        frame[column] = frame[column].map(as_date)
    return frame


@scoped_query
def care_customer_balances(engine: Engine, scope: Scope, unit_id: int, customer_id: int) -> pd.DataFrame:
    """Month-end deposit, loan and AUM balances (RMB) of one customer, oldest month first."""
    with engine.connect() as connection:
        require_customer(connection, scope, unit_id, customer_id)
        rows = connection.execute(
            select(BalanceMonthly.month, BalanceMonthly.deposit_rmb, BalanceMonthly.loan_rmb, BalanceMonthly.aum_rmb)
            .where(BalanceMonthly.customer_id == int(customer_id))
            .order_by(BalanceMonthly.month)
        ).all()
    frame = rows_frame(rows, columns=["month", "deposit_rmb", "loan_rmb", "aum_rmb"])
    frame["month"] = frame["month"].map(as_date)
    return frame


@scoped_query
def care_customer_channels(engine: Engine, scope: Scope, unit_id: int, customer_id: int) -> pd.DataFrame:
    """Transactions of one customer per month ('YYYY-MM') and channel: count and amount (RMB)."""
    with engine.connect() as connection:
        require_customer(connection, scope, unit_id, customer_id)
        month = month_key(connection, Txn.txn_at).label("month")
        rows = connection.execute(
            select(month, Txn.channel, func.count().label("transactions"), func.sum(Txn.amount_rmb).label("amount"))
            .where(Txn.customer_id == int(customer_id))
            .group_by(month, Txn.channel)
            .order_by(month, Txn.channel)
        ).all()
    frame = rows_frame(rows, columns=["month", "channel", "transactions", "amount_rmb"])
    return frame.astype({"transactions": "int64", "amount_rmb": "float64"})


@scoped_query
def care_customer_transaction_days(engine: Engine, scope: Scope, unit_id: int, customer_id: int) -> pd.DataFrame:
    """One customer's transactions per calendar day: day (date), transactions, amount (RMB);
    the input of the customer-value models' summary (frequency, recency, age, spend)."""
    with engine.connect() as connection:
        require_customer(connection, scope, unit_id, customer_id)
        day = day_of(connection, Txn.txn_at).label("day")
        rows = connection.execute(
            select(day, func.count().label("transactions"), func.sum(Txn.amount_rmb).label("amount"))
            .where(Txn.customer_id == int(customer_id))
            .group_by(day)
            .order_by(day)
        ).all()
    frame = rows_frame(rows, columns=["day", "transactions", "amount_rmb"])
    frame["day"] = frame["day"].map(as_date)
    return frame.astype({"transactions": "int64", "amount_rmb": "float64"})


@scoped_query
def care_customer_complaints(engine: Engine, scope: Scope, unit_id: int, customer_id: int) -> pd.DataFrame:
    """Complaints of one customer, newest first: id, outlet names, received and closed at,
    category, channel, severity, status."""
    with engine.connect() as connection:
        require_customer(connection, scope, unit_id, customer_id)
        rows = connection.execute(
            select(
                Complaint.id,
                OrgUnit.name_zh,
                OrgUnit.name_en,
                Complaint.received_at,
                Complaint.closed_at,
                Complaint.category,
                Complaint.channel,
                Complaint.severity,
                Complaint.status,
            )
            .join(OrgUnit, OrgUnit.id == Complaint.outlet_id)
            .where(Complaint.customer_id == int(customer_id))
            .order_by(Complaint.received_at.desc())
        ).all()
    return rows_frame(
        rows,
        columns=[
            "id",
            "outlet_zh",
            "outlet_en",
            "received_at",
            "closed_at",
            "category",
            "channel",
            "severity",
            "status",
        ],
    )


@scoped_query
def care_customer_contacts(engine: Engine, scope: Scope, unit_id: int, customer_id: int) -> pd.DataFrame:
    """Logged contacts with one customer, newest first: contacted at, list, outcome, note, by whom."""
    with engine.connect() as connection:
        require_customer(connection, scope, unit_id, customer_id)
        rows = connection.execute(
            select(
                CustomerContact.contacted_at,
                CustomerContact.list_kind,
                CustomerContact.outcome,
                CustomerContact.note,
                CustomerContact.recorded_by,
            )
            .where(CustomerContact.customer_id == int(customer_id))
            .order_by(CustomerContact.contacted_at.desc(), CustomerContact.id.desc())
        ).all()
    return rows_frame(rows, columns=["contacted_at", "list_kind", "outcome", "note", "recorded_by"])
