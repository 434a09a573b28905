"""Database schema (SQLAlchemy 2.0 declarative). Alembic migrations in data/migrations build it.

Conventions: money in RMB (``*_rmb``), areas in square metres, coordinates WGS84 degrees,
months stored as the first day of the month (``month``), times in UTC-naive local bank time.
Rows loaded by the import pipeline carry ``import_batch_id`` so that a confirmed batch can be
deleted again in one statement; demo and fixture rows leave it empty.
The organisation tree is stored with a materialised ``path`` ("/1/4/17/") so that a subtree
is one indexed ``LIKE 'prefix%'`` filter on both SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from config.codes import CHANNELS, E_CHANNELS, PRODUCT_FAMILIES  # noqa: F401 (shared with the texts; read from here too)

# Values of the enumerated string columns (checked by the import pipeline and the demo).
# The levels of the organisation tree, from the top down (总行, 省/区分行, 盟市分行, 县域支行, 网点). A
# tree may start at a head office or at a provincial branch ("region"): a unit's parent is a unit
# of the level just above its own, so depth follows the tree, and an outlet is always a leaf.
UNIT_LEVELS = ("head_office", "region", "city_branch", "sub_branch", "outlet")
ROOT_LEVELS = ("head_office", "region")  # the levels a tree's one top unit may have
OUTLET_LEVEL = "outlet"  # the leaves: the only units with KPIs, customers and staff
OUTLET_PARENT_LEVELS = ("city_branch", "sub_branch")  # what the registry lets an outlet report to
# Where a unit's data come from (``org_unit.data_origin``): empty for a bank's own master data;
# the demo marks its provinces when it builds several: "census" for the one on real city seats and
# census populations (Inner Mongolia), "synthetic" for the invented ones.
DATA_ORIGINS = ("census", "synthetic")
OUTLET_TYPES = (
    "business_dept",  # 营业部
    "sub_office",  # 分理处
    "savings_office",  # 储蓄所
    "wealth_centre",  # 财富中心
    "community",  # 社区网点
    "self_service",  # 自助银行
)
UNIT_STATUSES = ("planned", "open", "merged", "closed")
EVENT_TYPES = ("planned", "opened", "edited", "relocated", "renovated", "merged", "closed")
ACCOUNT_EXTRACTS = ("personal_deposit", "corporate_deposit", "personal_loan", "corporate_loan")
BUSINESS_TYPES = (  # counter business as queue-ticket systems classify it
    "cash",  # 现金存取
    "transfer",  # 转账汇款
    "account_opening",  # 开户销户
    "card",  # 银行卡业务
    "wealth",  # 理财保险销售
    "loan",  # 贷款业务
    "corporate",  # 对公结算
    "other",  # 其他
)
INSPECTION_KINDS = ("six_s", "mystery_shopper")
SIX_S_ITEMS = ("sort", "set_in_order", "shine", "standardise", "sustain", "safety")
ALERT_STATUSES = ("open", "acknowledged", "resolved")
CONTACT_OUTCOMES = ("called", "met", "product_sold", "no_answer", "lost")
# The five-tier loan classification (五级分类: 正常, 关注, 次级, 可疑, 损失); the last three are
# non-performing.
LOAN_CLASSES = ("normal", "special_mention", "substandard", "doubtful", "loss")
NON_PERFORMING_LOAN_CLASSES = ("substandard", "doubtful", "loss")
COMPLAINT_STATUSES = ("open", "closed")  # a complaint system's "in progress" is still open
ROLES = ("executive", "planner", "branch_head", "data_steward", "admin", "auditor")


class Base(DeclarativeBase):
    """Declarative base of every BranchScope table."""


class OrgUnit(Base):
    """A node of the organisation tree: head office, provincial branch ("region"), city branch,
    sub-branch or outlet (``UNIT_LEVELS``); ``path`` lists the ids from the top unit down."""

    __tablename__ = "org_unit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(16), index=True)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    path: Mapped[str] = mapped_column(String(200), index=True)
    outlet_type: Mapped[str | None] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(12), default="open")
    city_code: Mapped[str | None] = mapped_column(String(12), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"))
    address_zh: Mapped[str | None] = mapped_column(String(200))
    address_en: Mapped[str | None] = mapped_column(String(200))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    opened_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    floor_area_m2: Mapped[float | None] = mapped_column(Float)
    cash_counters: Mapped[int | None] = mapped_column(Integer)
    non_cash_counters: Mapped[int | None] = mapped_column(Integer)
    atms: Mapped[int | None] = mapped_column(Integer)
    smart_machines: Mapped[int | None] = mapped_column(Integer)
    staff_count: Mapped[int | None] = mapped_column(Integer)
    build_cost_rmb: Mapped[float | None] = mapped_column(Float)
    monthly_rent_rmb: Mapped[float | None] = mapped_column(Float)
    monthly_running_cost_rmb: Mapped[float | None] = mapped_column(Float)
    service_area_km2: Mapped[float | None] = mapped_column(Float)
    data_origin: Mapped[str | None] = mapped_column(String(12))  # DATA_ORIGINS, empty for a bank's units


class OrgUnitEvent(Base):
    """Lifecycle event of a unit (``EVENT_TYPES``); a master-data edit is an ``edited`` event."""

    __tablename__ = "org_unit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    # The import batch of an event loaded with the ``unit_events`` kind (empty for the registry's own).
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    event_type: Mapped[str] = mapped_column(String(16))
    event_date: Mapped[dt.date] = mapped_column(Date)
    related_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    # What changed, e.g. {"old_lon": ..., "old_lat": ..., "new_lon": ..., "new_lat": ...} for a
    # relocation or {"cost_rmb": ...} for a renovation.
    detail: Mapped[dict | None] = mapped_column(JSON)


class OrgUnitDocument(Base):
    """A policy or planning document linked to a unit (a URL on the bank's intranet)."""

    __tablename__ = "org_unit_document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(500))
    added_by: Mapped[str | None] = mapped_column(String(64))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Staff(Base):
    """An employee of an outlet (role: teller, lobby_manager, relationship_manager, ...)."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_no: Mapped[str] = mapped_column(String(32), unique=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    hired_on: Mapped[dt.date | None] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)  # last day of employment; None while employed
    is_relationship_manager: Mapped[bool] = mapped_column(Boolean, server_default=false())
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)


class Product(Base):
    """A product the bank sells; ``family`` is one of PRODUCT_FAMILIES."""

    __tablename__ = "product"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    family: Mapped[str] = mapped_column(String(24))
    segment: Mapped[str] = mapped_column(String(12))  # personal / corporate / both
    annual_margin_rate: Mapped[float] = mapped_column(Float)  # margin per RMB of balance per year
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)


class Customer(Base):
    """A personal or corporate customer. Personal identifiers are stored masked or hashed."""

    __tablename__ = "customer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_no: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(12))  # personal / corporate
    name: Mapped[str] = mapped_column(String(100))
    id_number_hash: Mapped[str] = mapped_column(String(64))  # keyed hash (hex) of the ID number
    # How id_number_hash was made: "hmac-sha256:<key fingerprint>" ("hmac-sha256:demo" for the
    # demo's published key), or "sha256" (unkeyed, stored before migration 0011).
    id_hash_scheme: Mapped[str | None] = mapped_column(String(40))
    phone_masked: Mapped[str | None] = mapped_column(String(20))
    home_outlet_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    relationship_manager_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    home_cell: Mapped[str | None] = mapped_column(String(16), index=True)  # H3 cell
    birth_year: Mapped[int | None] = mapped_column(Integer)
    birth_date: Mapped[dt.date | None] = mapped_column(Date)  # personal data, like the year
    gender: Mapped[str | None] = mapped_column(String(1))
    industry: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(200))  # personal data: shown only where phone numbers are
    opened_on: Mapped[dt.date] = mapped_column(Date)
    is_key_customer: Mapped[bool] = mapped_column(Boolean, default=False)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)


class Holding(Base):
    """Current balance of one customer in one product (RMB)."""

    __tablename__ = "holding"
    __table_args__ = (UniqueConstraint("customer_id", "product_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    balance_rmb: Mapped[float] = mapped_column(Float)
    opened_on: Mapped[dt.date | None] = mapped_column(Date)
    matures_on: Mapped[dt.date | None] = mapped_column(Date)


class BalanceMonthly(Base):
    """Month-end balances of one customer (RMB): deposits, loans, assets under management."""

    __tablename__ = "balance_monthly"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    deposit_rmb: Mapped[float] = mapped_column(Float)
    loan_rmb: Mapped[float] = mapped_column(Float)
    aum_rmb: Mapped[float] = mapped_column(Float)


class Txn(Base):
    """A customer transaction at an outlet through a channel (one of CHANNELS).

    ``txn_no`` is the core system's serial number (流水号) of an imported transaction, unique;
    ``business_type`` one of BUSINESS_TYPES when the extract gives it.
    """

    __tablename__ = "txn"
    __table_args__ = (
        Index("ix_txn_outlet_time", "outlet_id", "txn_at"),
        Index("ix_txn_customer_time", "customer_id", "txn_at"),
        Index("ix_txn_txn_no", "txn_no", unique=True),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))
    outlet_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"))
    channel: Mapped[str] = mapped_column(String(16))
    txn_at: Mapped[dt.datetime] = mapped_column(DateTime)
    amount_rmb: Mapped[float] = mapped_column(Float)
    txn_no: Mapped[str | None] = mapped_column(String(40))
    business_type: Mapped[str | None] = mapped_column(String(24))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)


class AccountBalance(Base):
    """Month-end balance of one account, from the core system's four extracts.

    ``extract`` is one of ACCOUNT_EXTRACTS. Balances in RMB, never negative (a loan's balance
    is the amount owed).
    """

    __tablename__ = "account_balance"
    __table_args__ = (
        UniqueConstraint("account_no", "month"),
        Index("ix_account_balance_outlet_month", "outlet_id", "month"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    extract: Mapped[str] = mapped_column(String(24))
    month: Mapped[dt.date] = mapped_column(Date)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    account_no: Mapped[str] = mapped_column(String(40))
    balance_rmb: Mapped[float] = mapped_column(Float)
    daily_average_rmb: Mapped[float | None] = mapped_column(Float)  # 日均: mean of the month's daily balances
    loan_class: Mapped[str | None] = mapped_column(String(16))  # loans: one of LOAN_CLASSES (五级分类)
    opened_on: Mapped[dt.date | None] = mapped_column(Date)
    matures_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)  # closed in the month: not held after it
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)


class ExtractCompletion(Base):
    """A data steward's statement that the account extract ``extract`` (one of ACCOUNT_EXTRACTS)
    of an outlet and month is complete: only then do its sums become the outlet's KPIs."""

    __tablename__ = "extract_completion"

    extract: Mapped[str] = mapped_column(String(24), primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    marked_by: Mapped[str] = mapped_column(String(64))
    marked_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AccountKpiMonthly(Base):
    """An outlet's KPI as the account extracts give it (sum of balances, 日均, NPL), for outlets
    and months whose extract is complete. Derived (rebuilt after every change of the extracts);
    the reconciliation compares it with ``kpi_monthly``."""

    __tablename__ = "account_kpi_monthly"

    outlet_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    metric_code: Mapped[str] = mapped_column(String(48), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    accounts: Mapped[int] = mapped_column(Integer)  # accounts summed


class Metric(Base):
    """Metric catalogue entry: how a KPI is named, measured and aggregated.

    ``unit_aggregation`` says how values of several outlets combine: ``sum``, ``mean`` or
    ``derived`` (recomputed from comma-separated base codes: sum(numerator) / sum(denominator)).
    ``time_aggregation`` says how months combine: ``flow`` (sum), ``stock`` (last month's
    value), ``mean`` or ``derived``.
    """

    __tablename__ = "metric"

    code: Mapped[str] = mapped_column(String(48), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(24))
    unit: Mapped[str] = mapped_column(String(16))  # rmb, count, ratio, minutes, score
    higher_is_better: Mapped[bool] = mapped_column(Boolean)
    unit_aggregation: Mapped[str] = mapped_column(String(12))
    time_aggregation: Mapped[str] = mapped_column(String(12))
    numerator: Mapped[str | None] = mapped_column(Text)
    denominator: Mapped[str | None] = mapped_column(Text)
    display_order: Mapped[int] = mapped_column(Integer)
    description_zh: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)


class KpiMonthly(Base):
    """Value of one catalogue metric for one outlet in one month."""

    __tablename__ = "kpi_monthly"
    __table_args__ = (Index("ix_kpi_monthly_month_metric", "month", "metric_code"),)

    outlet_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    metric_code: Mapped[str] = mapped_column(ForeignKey("metric.code"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    # Where the value came from: None for a KPI import (or the demo), "accounts" for a value
    # derived from complete account extracts (see AccountKpiMonthly).
    source: Mapped[str | None] = mapped_column(String(12))


class KpiUnitMonthly(Base):
    """Roll-up of ``kpi_monthly`` per non-outlet unit (region, city branch, sub-branch), metric
    and month: SUM and COUNT of the values of every outlet of the unit's subtree.

    A cache derived by ``data.kpi_rollup.refresh_kpi_rollup`` (no foreign keys: it is rebuilt
    from ``kpi_monthly`` and ``org_unit`` after every change of them); the queries use it only
    while ``dataset_info`` says it was built for the current data version.
    """

    __tablename__ = "kpi_unit_monthly"

    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    metric_code: Mapped[str] = mapped_column(String(48), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    total: Mapped[float | None] = mapped_column(Float)
    n: Mapped[int] = mapped_column(Integer)


class Target(Base):
    """Target of a metric for a unit over a period [period_start, period_end]."""

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("org_unit_id", "metric_code", "period_start", "period_end"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    metric_code: Mapped[str] = mapped_column(ForeignKey("metric.code"))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)


class CompetitorOutlet(Base):
    """An outlet of another bank."""

    __tablename__ = "competitor_outlet"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    bank_code: Mapped[str] = mapped_column(String(16), index=True)
    bank_name_zh: Mapped[str] = mapped_column(String(64))
    bank_name_en: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    city_code: Mapped[str | None] = mapped_column(String(12), index=True)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    counters: Mapped[int | None] = mapped_column(Integer)
    opened_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)


class District(Base):
    """A city or district outline (GeoJSON polygon, WGS84) used for the offline basemap."""

    __tablename__ = "district"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64))
    city_code: Mapped[str] = mapped_column(String(12), index=True)
    level: Mapped[str] = mapped_column(String(12))  # city / district
    population: Mapped[int | None] = mapped_column(Integer)
    geometry_geojson: Mapped[str] = mapped_column(Text)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=True)


class DemandCell(Base):
    """An H3 cell of the demand grid with its residents, income and businesses."""

    __tablename__ = "demand_cell"

    h3_index: Mapped[str] = mapped_column(String(16), primary_key=True)
    resolution: Mapped[int] = mapped_column(Integer)
    city_code: Mapped[str] = mapped_column(String(12), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"))
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    population: Mapped[float] = mapped_column(Float)
    households: Mapped[float] = mapped_column(Float)
    income_index: Mapped[float] = mapped_column(Float)  # 1.0 = regional average
    businesses: Mapped[float] = mapped_column(Float)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)


class LobbyHourly(Base):
    """Lobby load of an outlet in one hour of one day."""

    __tablename__ = "lobby_hourly"

    outlet_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    hour: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0-23, start of the hour
    arrivals: Mapped[int] = mapped_column(Integer)
    counters_open: Mapped[int] = mapped_column(Integer)
    mean_service_minutes: Mapped[float] = mapped_column(Float)
    mean_wait_minutes: Mapped[float] = mapped_column(Float)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)


class LobbyServiceType(Base):
    """Counter transactions of an outlet in one month by business type, with their summed
    service time (minutes), as the queue-ticket system reports them."""

    __tablename__ = "lobby_service_type"

    outlet_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    business_type: Mapped[str] = mapped_column(String(24), primary_key=True)  # BUSINESS_TYPES
    transactions: Mapped[int] = mapped_column(Integer)
    service_minutes_total: Mapped[float] = mapped_column(Float)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)


class Complaint(Base):
    """A customer complaint and its handling."""

    __tablename__ = "complaint"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)
    category: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(12))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    description: Mapped[str | None] = mapped_column(Text)
    complaint_no: Mapped[str | None] = mapped_column(String(40), unique=True)  # the complaint system's number
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)


class ComplaintStatusChange(Base):
    """A change of a complaint's status (one of COMPLAINT_STATUSES) at a time, from the
    complaint system; a complaint's ``status`` and ``closed_at`` follow its latest change."""

    __tablename__ = "complaint_status_change"
    __table_args__ = (UniqueConstraint("complaint_id", "changed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)


class CustomerChange(Base):
    """A change of a customer's attributes from an effective date (None: not changed).

    ``previous`` keeps the values the change replaced when it was applied to ``customer``, so
    that deleting its batch restores them.
    """

    __tablename__ = "customer_change"
    __table_args__ = (UniqueConstraint("customer_id", "effective_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    effective_on: Mapped[dt.date] = mapped_column(Date)
    address: Mapped[str | None] = mapped_column(String(200))
    phone_masked: Mapped[str | None] = mapped_column(String(20))
    home_outlet_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    relationship_manager_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    is_key_customer: Mapped[bool | None] = mapped_column(Boolean)
    home_cell: Mapped[str | None] = mapped_column(String(16))
    industry: Mapped[str | None] = mapped_column(String(32))
    previous: Mapped[dict | None] = mapped_column(JSON)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)


class Inspection(Base):
    """One scored item of an on-site inspection (6S) or a mystery-shopper visit of an outlet."""

    __tablename__ = "inspection"
    __table_args__ = (UniqueConstraint("outlet_id", "inspected_on", "kind", "item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    inspected_on: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))  # INSPECTION_KINDS
    item: Mapped[str] = mapped_column(String(48))  # e.g. sort, set_in_order, shine, ... or a shopper item
    score: Mapped[float] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)


class Alert(Base):
    """An alert raised by a rule for an outlet and month, with who owns it and where it stands."""

    __tablename__ = "alert"
    __table_args__ = (UniqueConstraint("outlet_id", "rule", "metric_code", "month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    rule: Mapped[str] = mapped_column(String(32))
    metric_code: Mapped[str] = mapped_column(String(48), default="")
    month: Mapped[dt.date] = mapped_column(Date, index=True)
    severity: Mapped[str] = mapped_column(String(8))
    value: Mapped[float | None] = mapped_column(Float)
    threshold: Mapped[float | None] = mapped_column(Float)
    detail: Mapped[dict | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default="open")  # ALERT_STATUSES
    owner: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class PeerGroup(Base):
    """A user-defined group of outlets compared with each other (rule in ``definition``)."""

    __tablename__ = "peer_group"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    definition: Mapped[dict | None] = mapped_column(JSON)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class PeerGroupMember(Base):
    """An outlet's membership of a user-defined peer group."""

    __tablename__ = "peer_group_member"

    peer_group_id: Mapped[int] = mapped_column(ForeignKey("peer_group.id", ondelete="CASCADE"), primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)


class CustomerContact(Base):
    """A relationship manager's contact with a customer from an action list, and its outcome."""

    __tablename__ = "customer_contact"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    list_kind: Mapped[str] = mapped_column(String(16))  # reserve, development, maintenance, churn, care
    outcome: Mapped[str] = mapped_column(String(16))  # CONTACT_OUTCOMES
    note: Mapped[str | None] = mapped_column(Text)
    contacted_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    recorded_by: Mapped[str] = mapped_column(String(64))


class AppSetting(Base):
    """A user-adjustable setting stored in the database (alert thresholds, action-list rules, ...)."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON)
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AppUser(Base):
    """A user who can log in. ``scope_unit_id`` limits a branch head to a subtree."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    scope_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    language: Mapped[str] = mapped_column(String(4), default="zh")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class UserSession(Base):
    """An open log-in session, found by the SHA-256 of its cookie token (the token itself is
    never stored). Deleting the row ends the session (log-out, time-out, deactivation)."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AuditLog(Base):
    """Who did what and when: logins, imports, exports, scenario changes."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(32))
    success: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[dict | None] = mapped_column(JSON)


class Scenario(Base):
    """A saved what-if site scenario with its parameters and results."""

    __tablename__ = "scenario"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    params: Mapped[dict] = mapped_column(JSON)
    results: Mapped[dict | None] = mapped_column(JSON)


class ImportBatch(Base):
    """One uploaded extract: staged, confirmed, deleted or failed."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(12))
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # A restating batch may replace rows of earlier batches that have the same key (corrections).
    restates: Mapped[bool] = mapped_column(Boolean, server_default=false())


class ImportSuperseded(Base):
    """A row that a restating batch replaced, as it was (``row_data``, JSON of its columns), so
    that deleting the restating batch puts it back; ``old_batch_id`` is the batch it came from."""

    __tablename__ = "import_superseded"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), index=True)
    old_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    table_name: Mapped[str] = mapped_column(String(48))
    row_data: Mapped[dict] = mapped_column(JSON)


class DatasetInfo(Base):
    """Key/value facts about the loaded data: synthetic or not, seed, scale, data version."""

    __tablename__ = "dataset_info"

    key: Mapped[str] = mapped_column(String(48), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


def _staging_table(target: Table, *extra: Column) -> Table:
    """``staging_<table>``: a staged import batch's rows, typed like the target's columns.

    Keyed by (batch_id, row_number: the line in the uploaded file); every data column is
    nullable and unconstrained, because validation has already checked the rows. Confirming a
    batch is one ``INSERT ... SELECT`` from here into the target. ``extra`` columns hold what
    confirming still needs but the target does not store (an org unit's parent code and the code
    of the unit it was merged into).
    """
    columns = [
        Column(column.name, column.type, nullable=True)
        for column in target.columns
        if column.name not in ("id", "import_batch_id")
    ]
    return Table(
        f"staging_{target.name}",
        Base.metadata,
        Column("batch_id", ForeignKey("import_batch.id"), primary_key=True),
        Column("row_number", Integer, primary_key=True),
        *columns,
        *extra,
    )


# Import targets → their staging tables.
STAGING_TABLES: dict[str, Table] = {
    OrgUnit.__tablename__: _staging_table(
        OrgUnit.__table__, Column("parent_code", String(32)), Column("merged_into_code", String(32))
    ),
} | {
    table.name: _staging_table(table)
    for table in (
        OrgUnitEvent.__table__,
        AccountBalance.__table__,
        Product.__table__,
        Staff.__table__,
        Txn.__table__,
        Complaint.__table__,
        ComplaintStatusChange.__table__,
        CustomerChange.__table__,
        KpiMonthly.__table__,
        CompetitorOutlet.__table__,
        Customer.__table__,
        Target.__table__,
        DemandCell.__table__,
        LobbyHourly.__table__,
        LobbyServiceType.__table__,
        Inspection.__table__,
    )
}


# --------------------------------------------------------------------------- stored customer scores
# Written by the scoring job (``python -m jobs.score``, data.queries_scores); read by the customer
# pages through the scoped queries of data.queries_scores. Derived data: no foreign key to the
# customers or units they describe (an import that deletes customers is never blocked by old
# scores; scores of another data version are not read).


class ScoreRun(Base):
    """One run of the scoring job: the data version it scored, when, how it ended.

    ``status``: running / succeeded / failed / superseded (the data changed while it ran);
    ``row_count``: score rows written; ``parameters``: the settings it scored with (tiers, rules,
    horizon …); ``observation_end``: the last day of the newest balance month it scored up to.
    """

    __tablename__ = "score_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    data_version: Mapped[str] = mapped_column(String(80), index=True)
    engine: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(12))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    customers: Mapped[int] = mapped_column(Integer, default=0)
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    observation_end: Mapped[dt.date | None] = mapped_column(Date)
    parameters: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)


class ScoreModel(Base):
    """A model a run fitted (``name``: bgnbd, gamma_gamma, activity_bgnbd, segmentation,
    next_product, …): its fitted parameters and fit diagnostics (JSON)."""

    __tablename__ = "score_model"

    run_id: Mapped[int] = mapped_column(ForeignKey("score_run.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(48), primary_key=True)
    params: Mapped[dict | None] = mapped_column(JSON)
    diagnostics: Mapped[dict | None] = mapped_column(JSON)


class ScoreCustomer(Base):
    """One customer's scores in a run (money RMB, durations days, probabilities 0–1).

    Tier (index into the default tiers) at the newest balance month; RFM quintile scores and
    segment code; behavioural segment (0-based); the BG/NBD inputs and outputs (P(alive),
    expected transaction days and CLV over the run's horizon); the action-list inputs and the
    membership *before contacts* (contacts are applied when a page reads them).
    """

    __tablename__ = "score_customer"
    __table_args__ = (Index("ix_score_customer_run_outlet", "run_id", "outlet_id"),)

    run_id: Mapped[int] = mapped_column(ForeignKey("score_run.id"), primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outlet_id: Mapped[int] = mapped_column(Integer)
    tier: Mapped[int | None] = mapped_column(Integer)
    aum_rmb: Mapped[float | None] = mapped_column(Float)
    rfm_r: Mapped[int | None] = mapped_column(Integer)
    rfm_f: Mapped[int | None] = mapped_column(Integer)
    rfm_m: Mapped[int | None] = mapped_column(Integer)
    rfm_segment: Mapped[str | None] = mapped_column(String(24))
    segment: Mapped[int | None] = mapped_column(Integer)
    frequency: Mapped[int | None] = mapped_column(Integer)
    recency_days: Mapped[float | None] = mapped_column(Float)
    t_days: Mapped[float | None] = mapped_column(Float)
    monetary_value: Mapped[float | None] = mapped_column(Float)
    p_alive: Mapped[float | None] = mapped_column(Float)
    expected_txn: Mapped[float | None] = mapped_column(Float)
    value_each: Mapped[float | None] = mapped_column(Float)
    clv_rmb: Mapped[float | None] = mapped_column(Float)
    act_p_alive: Mapped[float | None] = mapped_column(Float)
    aum_now_rmb: Mapped[float | None] = mapped_column(Float)
    aum_then_rmb: Mapped[float | None] = mapped_column(Float)
    aum_change_share: Mapped[float | None] = mapped_column(Float)
    wallet_rmb: Mapped[float | None] = mapped_column(Float)
    share_of_wallet: Mapped[float | None] = mapped_column(Float)
    products: Mapped[int | None] = mapped_column(Integer)
    high_value: Mapped[bool | None] = mapped_column(Boolean)
    churn_candidate: Mapped[bool | None] = mapped_column(Boolean)
    reason_p_alive: Mapped[bool | None] = mapped_column(Boolean)
    reason_aum_drop: Mapped[bool | None] = mapped_column(Boolean)
    development_candidate: Mapped[bool | None] = mapped_column(Boolean)
    reserve_candidate: Mapped[bool | None] = mapped_column(Boolean)


class ScoreTierMonth(Base):
    """A customer's tier in one month of a run's tier history (upgrade at once, downgrade after
    the grace period); ``aum_rmb`` that month-end (NULL without a balance row); ``known``: the
    customer had a balance row in this or an earlier month of the history."""

    __tablename__ = "score_tier_month"
    __table_args__ = (Index("ix_score_tier_month_run_month_outlet", "run_id", "month", "outlet_id"),)

    run_id: Mapped[int] = mapped_column(ForeignKey("score_run.id"), primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    outlet_id: Mapped[int] = mapped_column(Integer)
    tier: Mapped[int] = mapped_column(Integer)
    aum_rmb: Mapped[float | None] = mapped_column(Float)
    known: Mapped[bool] = mapped_column(Boolean)


class ScoreProduct(Base):
    """A customer's next-best products in a run: ``rank`` 1… under ``ranking`` (expected_margin
    or propensity), with the propensity, the expected annual margin (RMB per year) and the
    reason's inputs."""

    __tablename__ = "score_product"
    __table_args__ = (Index("ix_score_product_run_outlet", "run_id", "outlet_id"),)

    run_id: Mapped[int] = mapped_column(ForeignKey("score_run.id"), primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ranking: Mapped[str] = mapped_column(String(16), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)
    outlet_id: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(32))
    propensity: Mapped[float] = mapped_column(Float)
    expected_margin_rmb: Mapped[float] = mapped_column(Float)
    tier: Mapped[str | None] = mapped_column(String(16))
    kind: Mapped[str | None] = mapped_column(String(12))
    similar_share: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str | None] = mapped_column(String(16))


class ScoreOutletProduct(Base):
    """Untapped potential of one product at one outlet in a run: eligible non-holders, expected
    new holders (sum of their propensities) and expected annual margin (RMB per year)."""

    __tablename__ = "score_outlet_product"

    run_id: Mapped[int] = mapped_column(ForeignKey("score_run.id"), primary_key=True)
    outlet_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    non_holders: Mapped[int] = mapped_column(Integer)
    expected_new_holders: Mapped[float] = mapped_column(Float)
    expected_margin_rmb: Mapped[float] = mapped_column(Float)
