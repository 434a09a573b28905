"""Scoped queries of the customer-care pages (issue 5, pages 4–7): customer 360, next best product,
action lists, complaints and care reminders.

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
from sqlalchemy import Date, Integer, and_, case, cast, func, literal_column, or_, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import aliased

from analytics.action_rules import age_band
from data.privacy import MASK_CHARACTER, protect_facts, protect_frame
from data.query_support import scoped_query
from data.query_values import as_date, rows_frame
from data.schema import (
    E_CHANNELS,
    AppSetting,
    BalanceMonthly,
    Complaint,
    ComplaintStatusChange,
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
RULES_KEY_PREFIX = "care_action_rules:"  # as data.contacts writes them


# --------------------------------------------------------------------------- helpers


def _day_of(connection: Connection, column):
    """The calendar day of a DATETIME column, in SQL (text on SQLite, DATE on PostgreSQL)."""
    if connection.dialect.name == "sqlite":
        return func.date(column)
    return cast(column, Date)


def _month_key(connection: Connection, column):
    """'YYYY-MM' of a DATE/DATETIME column in SQL; constants inlined so GROUP BY matches SELECT."""
    if connection.dialect.name == "sqlite":
        return func.strftime(literal_column("'%Y-%m'"), column)
    return func.to_char(column, literal_column("'YYYY-MM'"))


def _latest_balance_month(connection: Connection, path: str) -> dt.date | None:
    """Newest month with balances of the subtree's customers (read through the (customer, month)
    key of the scope's customers, not a scan of every balance of the bank)."""
    return as_date(
        connection.execute(
            select(func.max(BalanceMonthly.month)).where(BalanceMonthly.customer_id.in_(_customers_of(path)))
        ).scalar()
    )


def _months_before(month: dt.date, months: int) -> dt.date:
    """First day of the month ``months`` months before ``month``."""
    index = month.year * 12 + month.month - 1 - int(months)
    return dt.date(index // 12, index % 12 + 1, 1)


def _require_customer(connection: Connection, scope: Scope, unit_id: int, customer_id: int) -> str:
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


def _in_subtree(path: str):
    """Customers homed in the subtree with materialised path ``path`` (join OrgUnit on home outlet).

    Together with the filter, queries add ``Customer.home_outlet_id.in_(_units_of(path))`` so that
    the database starts from the subtree's few units and walks the customer and transaction
    indexes, instead of scanning every transaction of the bank.
    """
    return OrgUnit.path.startswith(path)


def _units_of(path: str):
    """Ids of the units in the subtree with materialised path ``path`` (a subquery for IN)."""
    return select(OrgUnit.id).where(OrgUnit.path.startswith(path))


def _customers_of(path: str):
    """Ids of the customers homed in the subtree (a subquery for IN on an indexed customer_id)."""
    return select(Customer.id).where(Customer.home_outlet_id.in_(_units_of(path)))


# --------------------------------------------------------------------------- outlets and dates


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
            .where(_in_subtree(path), Customer.home_outlet_id.in_(_units_of(path)), OrgUnit.level == "outlet")
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
        last_month = _latest_balance_month(connection, path)
        first, last = connection.execute(
            select(func.min(Txn.txn_at), func.max(Txn.txn_at)).where(Txn.customer_id.in_(_customers_of(path)))
        ).one()
    return {"last_balance_month": last_month, "first_txn_day": as_date(first), "last_txn_day": as_date(last)}


# --------------------------------------------------------------------------- customer 360


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
        last_month = _latest_balance_month(connection, path)
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
            .where(_in_subtree(path), Customer.home_outlet_id.in_(_units_of(path)))
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
    loan and AUM (RMB) with that month. Personal data are protected by ``data.privacy``."""
    manager = aliased(Staff, name="manager")
    with engine.connect() as connection:
        path = _require_customer(connection, scope, unit_id, customer_id)
        last_month = _latest_balance_month(connection, path)
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
    facts = dict(row._mapping)
    facts["opened_on"] = as_date(facts["opened_on"])
    facts["birth_date"] = as_date(facts["birth_date"])
    facts["is_key_customer"] = bool(facts["is_key_customer"])
    facts["balance_month"] = last_month
    return protect_facts(facts, scope)


@scoped_query
def care_customer_holdings(engine: Engine, scope: Scope, unit_id: int, customer_id: int) -> pd.DataFrame:
    """Current holdings of one customer: product code, names, family, balance (RMB), opened on,
    matures on and the product's annual margin rate (per RMB of balance), by family and code."""
    with engine.connect() as connection:
        _require_customer(connection, scope, unit_id, customer_id)
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
        _require_customer(connection, scope, unit_id, customer_id)
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
        _require_customer(connection, scope, unit_id, customer_id)
        month = _month_key(connection, Txn.txn_at).label("month")
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
        _require_customer(connection, scope, unit_id, customer_id)
        day = _day_of(connection, Txn.txn_at).label("day")
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
        _require_customer(connection, scope, unit_id, customer_id)
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
        _require_customer(connection, scope, unit_id, customer_id)
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


# --------------------------------------------------------------------------- complaints and care


@scoped_query
def care_complaint_log(
    engine: Engine, scope: Scope, unit_id: int, start: dt.date | None = None, end: dt.date | None = None
) -> pd.DataFrame:
    """Complaints lodged at outlets of the subtree, received in [start, end] (inclusive days;
    complaints still open at the end of ``end`` are listed whatever their date), newest first: id,
    outlet id, code and names, customer number and name (masked by role; empty when anonymous),
    received and closed at, category, channel, severity, status, description.

    The log is as it stood at the end of ``end``: nothing received later is listed, and each
    complaint has the status and closed_at it had then (:func:`_complaint_status_then`: a
    complaint closed after ``end`` is open, one closed before ``end`` and reopened since is
    closed), so an earlier month shows the complaints that were open at that month's end.
    """
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        window = []
        cutoff = None if end is None else dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
        if start is not None:
            window.append(Complaint.received_at >= dt.datetime.combine(start, dt.time()))
        if cutoff is not None:
            window.append(Complaint.received_at < cutoff)
        status, closed_at = (
            (Complaint.status, Complaint.closed_at) if cutoff is None else _complaint_status_then(cutoff)
        )
        statement = (
            select(
                Complaint.id,
                OrgUnit.id,
                OrgUnit.code,
                OrgUnit.name_zh,
                OrgUnit.name_en,
                Customer.customer_no,
                Customer.name,
                Complaint.received_at,
                closed_at,
                Complaint.category,
                Complaint.channel,
                Complaint.severity,
                status,
                Complaint.description,
            )
            .join(OrgUnit, OrgUnit.id == Complaint.outlet_id)
            .outerjoin(Customer, Customer.id == Complaint.customer_id)
            .where(Complaint.outlet_id.in_(_units_of(path)))
            .order_by(Complaint.received_at.desc(), Complaint.id.desc())
        )
        open_then = status != "closed"
        if cutoff is not None:
            open_then = and_(Complaint.received_at < cutoff, open_then)
        if window:
            statement = statement.where(or_(and_(*window), open_then))
        rows = connection.execute(statement).all()
    frame = rows_frame(
        rows,
        columns=[
            "id",
            "outlet_id",
            "outlet_code",
            "outlet_zh",
            "outlet_en",
            "customer_no",
            "name",
            "received_at",
            "closed_at",
            "category",
            "channel",
            "severity",
            "status",
            "description",
        ],
    )
    for column in ("received_at", "closed_at"):
        frame[column] = pd.to_datetime(frame[column])
    return protect_frame(frame, scope)


def _complaint_status_then(cutoff: dt.datetime) -> tuple:
    """SQL expressions of a complaint's status and closed_at as they stood just before
    ``cutoff``. A complaint with status changes (imported from the complaint system) had the
    status of its latest change before then (open before its first change), closed_at that
    change's time when it was a close; one without changes was closed when its closed_at is
    before then (a complaint closed later was open)."""
    change = ComplaintStatusChange
    before = and_(change.complaint_id == Complaint.id, change.changed_at < cutoff)
    last_status = select(change.status).where(before).order_by(change.changed_at.desc()).limit(1).scalar_subquery()
    last_at = select(func.max(change.changed_at)).where(before).scalar_subquery()
    has_changes = select(change.id).where(change.complaint_id == Complaint.id).exists()
    closed_later = and_(Complaint.status == "closed", Complaint.closed_at >= cutoff)
    status = case((has_changes, func.coalesce(last_status, "open")), (closed_later, "open"), else_=Complaint.status)
    closed_at = case(
        (has_changes, case((last_status == "closed", last_at))),
        (and_(Complaint.status == "closed", Complaint.closed_at < cutoff), Complaint.closed_at),
    )
    return status, closed_at


_CARE_COLUMNS = ["customer_id", "customer_no", "name", "kind", "is_key_customer", "outlet_id", "outlet_zh", "outlet_en"]


def _care_columns():
    return (
        Customer.id,
        Customer.customer_no,
        Customer.name,
        Customer.kind,
        Customer.is_key_customer,
        OrgUnit.id,
        OrgUnit.name_zh,
        OrgUnit.name_en,
    )


@scoped_query
def care_reminder_birthdays(
    engine: Engine, scope: Scope, unit_id: int, year: int, ages: tuple[int, ...] = (30, 40, 50, 60, 70, 80)
) -> pd.DataFrame:
    """Personal customers of the subtree without a recorded birth date who turn one of ``ages``
    in ``year`` (only the birth year is known, so the reminder is for the year), with the age they
    turn, their phone (masked; None for roles without personal data) and when they were last
    contacted for care in that year (NaT if not). Customers with a birth date are reminded on
    the day instead (:func:`care_reminder_birthdays_ahead`)."""
    birth_years = [int(year) - int(age) for age in ages]
    since = dt.datetime(int(year), 1, 1)
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        last_care = (
            select(CustomerContact.customer_id, func.max(CustomerContact.contacted_at).label("last_care"))
            .where(CustomerContact.list_kind == "care", CustomerContact.contacted_at >= since)
            .group_by(CustomerContact.customer_id)
            .subquery()
        )
        rows = connection.execute(
            select(*_care_columns(), Customer.birth_year, Customer.phone_masked, last_care.c.last_care)
            .join(OrgUnit, OrgUnit.id == Customer.home_outlet_id)
            .outerjoin(last_care, last_care.c.customer_id == Customer.id)
            .where(
                _in_subtree(path),
                Customer.home_outlet_id.in_(_units_of(path)),
                Customer.kind == "personal",
                Customer.birth_year.in_(birth_years),
                Customer.birth_date.is_(None),
            )
            .order_by(Customer.is_key_customer.desc(), Customer.customer_no)
        ).all()
    frame = rows_frame(rows, columns=[*_CARE_COLUMNS, "birth_year", "phone_masked", "last_care_at"])
    frame["turns"] = (int(year) - frame["birth_year"]).astype("int64")
    frame["last_care_at"] = pd.to_datetime(frame["last_care_at"])
    frame["is_key_customer"] = frame["is_key_customer"].astype(bool)
    if not scope.sees_personal_data:  # counts only: no age of birth (data.privacy hides the year)
        frame["turns"] = None
    return protect_frame(frame, scope)


def _birthday_keys(start: dt.date, days: int) -> dict[str, dt.date]:
    """'MM-DD' of a birth date → the day in [start, start + days) its birthday falls on; a
    29 February birthday falls on 28 February in common years."""
    keys: dict[str, dt.date] = {}
    for offset in range(int(days)):
        day = start + dt.timedelta(days=offset)
        keys[day.strftime("%m-%d")] = day
        if day.month == 2 and day.day == 28 and (day + dt.timedelta(days=1)).month == 3:
            keys["02-29"] = day
    return keys


@scoped_query
def care_reminder_birthdays_ahead(engine: Engine, scope: Scope, unit_id: int, start: dt.date, days: int = 7):
    """Personal customers of the subtree whose birthday falls in the ``days`` days from ``start``
    (``start`` included; 1–31 days), read from their recorded birth date.

    Columns: customer columns (customer_id, customer_no, name masked by role, kind,
    is_key_customer, outlet_id, outlet names), birth_year, birth_date, phone_masked, birthday
    (the date in the window), turns (age on that day) and last_care_at (newest care contact in
    the ``days`` days before ``start`` or since; NaT if none: a care call made once the reminder
    showed marks it done). The day of birth is personal data: for roles that may not see it,
    birth_date and phone are None and birthday is the window's last day (they get counts only).
    Matching is on the month and day in SQL, so it walks the subtree's customers, not every
    customer's dates.
    """
    if not 1 <= int(days) <= 31:
        raise ValueError("days must be between 1 and 31")
    keys = _birthday_keys(start, days)
    since = dt.datetime.combine(start - dt.timedelta(days=int(days)), dt.time())
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        if connection.dialect.name == "sqlite":
            month_day = func.strftime(literal_column("'%m-%d'"), Customer.birth_date)
        else:
            month_day = func.to_char(Customer.birth_date, literal_column("'MM-DD'"))
        last_care = (
            select(CustomerContact.customer_id, func.max(CustomerContact.contacted_at).label("last_care"))
            .where(
                CustomerContact.list_kind == "care",
                CustomerContact.contacted_at >= since,
                CustomerContact.customer_id.in_(_customers_of(path)),
            )
            .group_by(CustomerContact.customer_id)
            .subquery()
        )
        rows = connection.execute(
            select(
                *_care_columns(),
                Customer.birth_year,
                Customer.birth_date,
                Customer.phone_masked,
                last_care.c.last_care,
                month_day,
            )
            .join(OrgUnit, OrgUnit.id == Customer.home_outlet_id)
            .outerjoin(last_care, last_care.c.customer_id == Customer.id)
            .where(
                _in_subtree(path),
                Customer.home_outlet_id.in_(_units_of(path)),
                Customer.kind == "personal",
                Customer.birth_date.is_not(None),
                month_day.in_(list(keys)),
            )
            .order_by(Customer.id)
        ).all()
    frame = rows_frame(
        rows, columns=[*_CARE_COLUMNS, "birth_year", "birth_date", "phone_masked", "last_care_at", "key"]
    )
    frame["birth_date"] = frame["birth_date"].map(as_date)
    frame["birthday"] = frame["key"].map(keys)
    frame["turns"] = [b.year - d.year for b, d in zip(frame["birthday"], frame["birth_date"])]
    frame = frame.drop(columns=["key"]).astype({"turns": "int64"})
    frame["last_care_at"] = pd.to_datetime(frame["last_care_at"])
    frame["is_key_customer"] = frame["is_key_customer"].astype(bool)
    if not scope.sees_personal_data:  # counts only: no age or day of birth (data.privacy hides the dates)
        frame["turns"] = None
        frame["birthday"] = start + dt.timedelta(days=int(days) - 1)
    frame = frame.sort_values(["birthday", "is_key_customer", "customer_no"], ascending=[True, False, True])
    return protect_frame(frame.reset_index(drop=True), scope)


@scoped_query
def care_reminder_maturities(engine: Engine, scope: Scope, unit_id: int, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Time deposits (family ``time_deposit``) of customers of the subtree maturing in
    [start, end]: customer columns, product code and names, balance (RMB), matures on, phone."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        rows = connection.execute(
            select(
                *_care_columns(),
                Product.code,
                Product.name_zh,
                Product.name_en,
                Holding.balance_rmb,
                Holding.matures_on,
                Customer.phone_masked,
            )
            .join(Holding, Holding.customer_id == Customer.id)
            .join(Product, Product.id == Holding.product_id)
            .join(OrgUnit, OrgUnit.id == Customer.home_outlet_id)
            .where(
                _in_subtree(path),
                Customer.home_outlet_id.in_(_units_of(path)),
                Product.family == "time_deposit",
                Holding.matures_on >= start,
                Holding.matures_on <= end,
            )
            .order_by(Holding.matures_on, Holding.balance_rmb.desc())
        ).all()
    frame = rows_frame(
        rows,
        columns=[
            *_CARE_COLUMNS,
            "product_code",
            "product_zh",
            "product_en",
            "balance_rmb",
            "matures_on",
            "phone_masked",
        ],
    )
    frame["matures_on"] = frame["matures_on"].map(as_date)
    frame["is_key_customer"] = frame["is_key_customer"].astype(bool)
    return protect_frame(frame, scope)


@scoped_query
def care_reminder_idle_vips(
    engine: Engine, scope: Scope, unit_id: int, as_of: dt.date, idle_days: int = 90, min_aum_rmb: float = 500_000.0
) -> pd.DataFrame:
    """VIP customers of the subtree (key customers, or newest-month AUM ≥ ``min_aum_rmb``) with
    no transaction in the ``idle_days`` days before ``as_of``: customer columns, AUM (RMB),
    last transaction at (NaT if never) and phone, largest AUM first."""
    cutoff = dt.datetime.combine(as_of - dt.timedelta(days=int(idle_days)), dt.time())
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        last_month = _latest_balance_month(connection, path)
        last_txn = (
            select(Txn.customer_id, func.max(Txn.txn_at).label("last_txn_at"))
            .where(Txn.customer_id.in_(_customers_of(path)))
            .group_by(Txn.customer_id)
            .subquery()
        )
        rows = connection.execute(
            select(*_care_columns(), BalanceMonthly.aum_rmb, last_txn.c.last_txn_at, Customer.phone_masked)
            .join(OrgUnit, OrgUnit.id == Customer.home_outlet_id)
            .outerjoin(
                BalanceMonthly, and_(BalanceMonthly.customer_id == Customer.id, BalanceMonthly.month == last_month)
            )
            .outerjoin(last_txn, last_txn.c.customer_id == Customer.id)
            .where(
                _in_subtree(path),
                or_(Customer.is_key_customer.is_(True), BalanceMonthly.aum_rmb >= float(min_aum_rmb)),
                or_(last_txn.c.last_txn_at.is_(None), last_txn.c.last_txn_at < cutoff),
            )
            .order_by(func.coalesce(BalanceMonthly.aum_rmb, 0).desc(), Customer.customer_no)
        ).all()
    frame = rows_frame(rows, columns=[*_CARE_COLUMNS, "aum_rmb", "last_txn_at", "phone_masked"])
    frame["last_txn_at"] = pd.to_datetime(frame["last_txn_at"])
    frame["is_key_customer"] = frame["is_key_customer"].astype(bool)
    return protect_frame(frame, scope)


# --------------------------------------------------------------------------- action lists and NBP inputs


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
            .where(_in_subtree(path), Customer.home_outlet_id.in_(_units_of(path)))
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
        last_month = _latest_balance_month(connection, path)
        if last_month is None:
            last_month = dt.date.today().replace(day=1)
        then_month = _months_before(last_month, months_back)
        window_end = dt.datetime.combine(_months_before(last_month, -1), dt.time())
        window_start = dt.datetime.combine(_months_before(last_month, 11), dt.time())
        day = _day_of(connection, Txn.txn_at)
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
            .where(Txn.customer_id.in_(_customers_of(path)))
            .group_by(Txn.customer_id)
            .subquery()
        )
        products = (
            select(Holding.customer_id, func.count().label("products"))
            .where(Holding.customer_id.in_(_customers_of(path)))
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
            .where(_in_subtree(path), Customer.home_outlet_id.in_(_units_of(path)))
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
    frame = _birth_year_as_age_band(frame, last_month.year)
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
            .where(Customer.home_outlet_id.in_(_units_of(path)), Customer.phone_masked.is_not(None))
            .order_by(Customer.id)
        ).all()
    return rows_frame(rows, columns=["customer_id", "phone_masked"]).astype({"customer_id": "int64"})


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
            .where(Holding.customer_id.in_(_customers_of(path)))
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


def _birth_year_as_age_band(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """Replace the ``birth_year`` column with ``age_band`` (ten-year band start in ``year``)."""
    band = age_band(frame["birth_year"].astype("Float64").astype("float64"), year)
    return frame.drop(columns=["birth_year"]).assign(age_band=band.to_numpy())


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
        last_month = _latest_balance_month(connection, path) or dt.date.today().replace(day=1)
        products = connection.execute(select(Product.id, Product.code).order_by(Product.id)).all()
        window_end = dt.datetime.combine(_months_before(last_month, -1), dt.time())
        window_start = dt.datetime.combine(_months_before(last_month, 11), dt.time())
        activity = (
            select(
                Txn.customer_id,
                func.count().label("txn_12m"),
                func.sum(case((Txn.channel.in_(E_CHANNELS), 1), else_=0)).label("e_txn_12m"),
            )
            .where(Txn.customer_id.in_(_customers_of(path)), Txn.txn_at >= window_start, Txn.txn_at < window_end)
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
            .where(Holding.customer_id.in_(_customers_of(path)))
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
            .where(_in_subtree(path), Customer.home_outlet_id.in_(_units_of(path)))
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
    frame = _birth_year_as_age_band(frame, last_month.year)
    frame = frame.astype(
        {"aum_rmb": "float64", "txn_12m": "int64", "e_txn_12m": "int64", **{c: "int64" for c in holding_columns}}
    )
    return protect_frame(frame, scope)


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
