"""Scoped queries of the Complaints and care page: the complaint log of the focus unit's outlets
(each complaint as it stood at the end of a day) and the care reminders (milestone and upcoming
birthdays, maturing time deposits, idle VIPs). Each customer's last contact, which the page
shows beside its reminders, is in ``data.queries_customer_care`` with the rest the customer-care
pages share.

Every public function takes ``(engine, scope, unit_id, ...)`` and checks ``unit_id`` against the
caller's scope before reading (``ScopeError`` otherwise). Personal data (names, phone numbers,
birth dates) are protected by the one policy of ``data.privacy`` unless the scope's role may see
them. Money in RMB; dates in bank-local time.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import and_, case, func, literal_column, or_, select
from sqlalchemy.engine import Engine

from data.privacy import protect_frame
from data.queries_customer_care import (
    customers_of,
    in_subtree,
    latest_balance_month,
    units_of,
)
from data.query_support import scoped_query
from data.query_values import as_date, rows_frame
from data.schema import (
    BalanceMonthly,
    Complaint,
    ComplaintStatusChange,
    Customer,
    CustomerContact,
    Holding,
    OrgUnit,
    Product,
    Txn,
)
from data.scope import Scope, require_unit_in_scope


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
            .where(Complaint.outlet_id.in_(units_of(path)))
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
                in_subtree(path),
                Customer.home_outlet_id.in_(units_of(path)),
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
                CustomerContact.customer_id.in_(customers_of(path)),
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
                in_subtree(path),
                Customer.home_outlet_id.in_(units_of(path)),
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
                in_subtree(path),
                Customer.home_outlet_id.in_(units_of(path)),
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
        last_month = latest_balance_month(connection, path)
        last_txn = (
            select(Txn.customer_id, func.max(Txn.txn_at).label("last_txn_at"))
            .where(Txn.customer_id.in_(customers_of(path)))
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
                in_subtree(path),
                or_(Customer.is_key_customer.is_(True), BalanceMonthly.aum_rmb >= float(min_aum_rmb)),
                or_(last_txn.c.last_txn_at.is_(None), last_txn.c.last_txn_at < cutoff),
            )
            .order_by(func.coalesce(BalanceMonthly.aum_rmb, 0).desc(), Customer.customer_no)
        ).all()
    frame = rows_frame(rows, columns=[*_CARE_COLUMNS, "aum_rmb", "last_txn_at", "phone_masked"])
    frame["last_txn_at"] = pd.to_datetime(frame["last_txn_at"])
    frame["is_key_customer"] = frame["is_key_customer"].astype(bool)
    return protect_frame(frame, scope)
