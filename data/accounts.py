"""What the account extracts give: customers' month-end balances and holdings, and the KPIs of
the outlets and months whose extract a data steward marked complete.

Every derivation is a few set-based SQL statements over ``account_balance`` restricted to a
*scope* — the (customer, month) and (outlet, month) pairs a batch touched — held in temporary
tables (with the scope's account rows, read once), so that the work and the memory do not grow
with anything but the batch.

Rules (hand-checked in tests/test_account_derivation.py):

- **Month-end balances** (``balance_monthly``), per customer and month that any extract has rows
  for: ``deposit_rmb`` = Σ balances of the two deposit extracts, ``loan_rmb`` = Σ balances of the
  two loan extracts, ``aum_rmb`` = deposits + the wealth-management, fund and insurance balances
  of the product-holding extract (as the demo defines assets under management; gold, cards and
  e-banking are held but not counted). A (customer, month) without extract rows keeps what it had
  (the demo's rows); one whose extract rows are all deleted loses its derived row.
- **Holdings** (``holding``), per customer with extract rows: the products of the customer's
  open accounts (no ``closed_on``) in the latest month any extract gives for that customer;
  balance = Σ of those accounts, ``opened_on`` the earliest opening, ``matures_on`` the earliest
  maturity. Customers without extract rows keep their holdings. Load every extract of a month
  before relying on holdings: a month given by one extract only is already the latest.
- **Outlet KPIs** (``account_kpi_monthly``), for each (extract, outlet, month) marked complete
  (``extract_completion``): ``deposits_personal`` / ``deposits_corporate`` / ``loans_personal`` /
  ``loans_corporate`` = Σ balances; their ``*_daily_avg`` (日均) = Σ ``daily_average_rmb`` when
  every row of that extract, outlet and month has one. ``loans_npl`` = Σ balances classed
  substandard, doubtful or loss over personal *and* corporate loans, written when every loan
  extract that has rows for the outlet and month is complete and every one of those loan rows has
  a class (an outlet with personal loans only needs only that extract complete).
- **kpi_monthly**: each derived value is also written there with ``source = 'accounts'`` for keys
  that have no imported KPI row. The KPI import wins: a later import replaces the derived row
  (``MONTHLY_KPIS.replaceable``), and deleting that import writes the derived value back
  (:func:`after_kpi_delete`). The reconciliation compares ``account_kpi_monthly`` with the import.

Deleting a (not restating) account batch also removes the completion marks of the pairs it had
rows for: its outlets' extracts are no longer complete.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Column,
    Date,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    cast,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    text,
    tuple_,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.schema import CreateTable, DropTable

from data import kpi_rollup
from data.auth import write_audit
from data.bulk import REBUILD_INDEXES_ROWS, without_secondary_indexes_and_foreign_keys
from data.db import bump_data_version
from data.schema import (
    NON_PERFORMING_LOAN_CLASSES,
    AccountBalance,
    AccountKpiMonthly,
    BalanceMonthly,
    ExtractCompletion,
    Holding,
    ImportBatch,
    ImportSuperseded,
    KpiMonthly,
    OrgUnit,
    Product,
)

DEPOSIT_EXTRACTS = ("personal_deposit", "corporate_deposit")
LOAN_EXTRACTS = ("personal_loan", "corporate_loan")
HOLDING_EXTRACT = "product_holding"
AUM_FAMILIES = ("wealth", "fund", "insurance")  # with deposits: assets under management, as the demo counts them
BALANCE_METRICS = {
    "personal_deposit": "deposits_personal",
    "corporate_deposit": "deposits_corporate",
    "personal_loan": "loans_personal",
    "corporate_loan": "loans_corporate",
}
DAILY_AVERAGE_METRICS = {extract: f"{code}_daily_avg" for extract, code in BALANCE_METRICS.items()}
NPL_METRIC = "loans_npl"
DERIVED_METRICS = (*BALANCE_METRICS.values(), *DAILY_AVERAGE_METRICS.values(), NPL_METRIC)
SOURCE = "accounts"  # kpi_monthly.source of a derived value
LARGE_SCOPE = 10_000  # (customer, month) pairs from which account_balance's statistics are refreshed first

_SCRATCH = MetaData()
# The pairs a batch touched (temporary tables: private to the connection, dropped after use).
SCOPE_CUSTOMER_MONTHS = Table(
    "account_scope_customer_month",
    _SCRATCH,
    Column("customer_id", Integer, primary_key=True),
    Column("month", Date, primary_key=True),
    prefixes=["TEMPORARY"],
)
SCOPE_OUTLET_MONTHS = Table(
    "account_scope_outlet_month",
    _SCRATCH,
    Column("outlet_id", Integer, primary_key=True),
    Column("month", Date, primary_key=True),
    prefixes=["TEMPORARY"],
)
# Per (extract, outlet, month) of the outlet-months in scope: the sums the KPIs are made of.
SCOPE_SUMS = Table(
    "account_scope_sums",
    _SCRATCH,
    Column("extract", String(24), primary_key=True),
    Column("outlet_id", Integer, primary_key=True),
    Column("month", Date, primary_key=True),
    Column("complete", Integer),
    Column("balance", Float),
    Column("accounts", Integer),
    Column("daily_average", Float),
    Column("with_daily_average", Integer),
    Column("npl", Float),
    Column("with_class", Integer),
    prefixes=["TEMPORARY"],
)
# The account rows of the (customer, month) pairs in scope, read once for balances and holdings.
SCOPE_ROWS = Table(
    "account_scope_rows",
    _SCRATCH,
    Column("customer_id", Integer),
    Column("month", Date),
    Column("extract", String(24)),
    Column("product_id", Integer),
    Column("balance_rmb", Float),
    Column("opened_on", Date),
    Column("matures_on", Date),
    Column("closed_on", Date),
    prefixes=["TEMPORARY"],
)
# The latest month of each customer in scope that still has extract rows; ``in_scope`` = 1 when
# that month is one of the customer's pairs in scope (its rows are in SCOPE_ROWS).
SCOPE_LATEST = Table(
    "account_scope_latest",
    _SCRATCH,
    Column("customer_id", Integer, primary_key=True),
    Column("month", Date),
    Column("in_scope", Integer),
    prefixes=["TEMPORARY"],
)
SCRATCH_TABLES = (SCOPE_CUSTOMER_MONTHS, SCOPE_OUTLET_MONTHS, SCOPE_SUMS, SCOPE_ROWS, SCOPE_LATEST)

ACCOUNTS = AccountBalance.__table__
SUPERSEDED = ImportSuperseded.__table__


# --------------------------------------------------------------------------- scope


def _written(connection: Connection, statement) -> int:
    """Execute an INSERT ... SELECT and return the rows it wrote (SQLAlchemy keeps the count of
    an INSERT only when asked to)."""
    return connection.execute(statement, execution_options={"preserve_rowcount": True}).rowcount


def refresh_statistics(connection: Connection, *tables: Table) -> None:
    """On PostgreSQL, planner statistics for tables that just changed a lot: the scratch tables
    (temporary tables are never analysed by autovacuum) and ``account_balance`` after a large
    batch (the pipeline analyses it only after the confirm's steps). Without them the planner
    takes a million-row table for an empty one and nests loops. SQLite plans by its indexes."""
    if connection.dialect.name == "postgresql":
        for table in tables:
            connection.execute(text(f'ANALYZE "{table.name}"'))  # our own table names, not user input


def open_scope(connection: Connection) -> None:
    """Create the (empty) scope tables for this connection's transaction.

    On PostgreSQL derivations first queue on a lock held until commit (SQLite serialises writers
    already): two account batches confirmed at once (deposits and loans of the same month, say)
    would otherwise each derive a customer's month without the other's uncommitted rows, and the
    later commit would keep half the balance. Keyed on the schema, like the KPI roll-up's lock."""
    if connection.dialect.name == "postgresql":
        key = func.hashtext(func.concat(func.current_schema(), ".", "account_derivation"))
        connection.execute(select(func.pg_advisory_xact_lock(key)))
    for table in SCRATCH_TABLES:
        connection.execute(CreateTable(table, if_not_exists=True))
        connection.execute(delete(table))


def close_scope(connection: Connection) -> None:
    """Drop the scope tables."""
    for table in SCRATCH_TABLES:
        connection.execute(DropTable(table, if_exists=True))


def _add_pairs(connection: Connection, rows) -> None:
    """Add the (customer, month) and (outlet, month) pairs of ``rows`` (a selectable with
    customer_id, outlet_id and month) to the scope, once each."""
    rows = rows.subquery("touched")
    for table, columns in (
        (SCOPE_CUSTOMER_MONTHS, ("customer_id", "month")),
        (SCOPE_OUTLET_MONTHS, ("outlet_id", "month")),
    ):
        new = (
            select(*(rows.c[c] for c in columns))
            .distinct()
            .where(~exists().where(*(table.c[c] == rows.c[c] for c in columns)))
        )
        connection.execute(insert(table).from_select(list(columns), new))


def add_batch_to_scope(connection: Connection, batch_id: int) -> None:
    """Put the pairs of the batch's rows in ``account_balance`` into the scope."""
    rows = select(ACCOUNTS.c.customer_id, ACCOUNTS.c.outlet_id, ACCOUNTS.c.month).where(
        ACCOUNTS.c.import_batch_id == int(batch_id)
    )
    _add_pairs(connection, rows)


def add_outlet_months_to_scope(connection: Connection, pairs: list[tuple[int, dt.date]]) -> None:
    """Put (outlet, month) pairs into the scope (for a change of completion marks)."""
    if pairs:
        connection.execute(
            insert(SCOPE_OUTLET_MONTHS),
            [{"outlet_id": int(outlet), "month": month} for outlet, month in dict.fromkeys(pairs)],
        )


# --------------------------------------------------------------------------- customers


def _scope_customers():
    """The customers in scope, once each."""
    return select(SCOPE_CUSTOMER_MONTHS.c.customer_id).distinct()


def collect_rows(connection: Connection) -> int:
    """Fill :data:`SCOPE_ROWS` with the account rows of the (customer, month) pairs in scope:
    one read of ``account_balance``, of the months in scope only (through the (outlet, month)
    index on SQLite), so that the work does not grow with the months already loaded."""
    a = ACCOUNTS.c
    scope = SCOPE_CUSTOMER_MONTHS.c
    columns = ["customer_id", "month", "extract", "product_id", "balance_rmb", "opened_on", "matures_on", "closed_on"]
    rows = select(*(a[name] for name in columns)).where(
        a.outlet_id.in_(select(OrgUnit.id).where(OrgUnit.level == "outlet")),
        a.month.in_(select(scope.month).distinct()),
        exists().where(scope.customer_id == a.customer_id, scope.month == a.month),
    )
    return _written(connection, insert(SCOPE_ROWS).from_select(columns, rows))


def derive_balances(connection: Connection) -> int:
    """Rebuild ``balance_monthly`` for the (customer, month) pairs in scope from
    :data:`SCOPE_ROWS`; returns rows written."""
    scope = SCOPE_CUSTOMER_MONTHS.c
    table = BalanceMonthly.__table__
    pairs = tuple_(table.c.customer_id, table.c.month).in_(select(scope.customer_id, scope.month))
    connection.execute(delete(table).where(pairs))
    r = SCOPE_ROWS.c
    aum_products = select(Product.id).where(Product.family.in_(AUM_FAMILIES))
    deposit = case((r.extract.in_(DEPOSIT_EXTRACTS), r.balance_rmb), else_=0.0)
    loan = case((r.extract.in_(LOAN_EXTRACTS), r.balance_rmb), else_=0.0)
    invested = case((and_(r.extract == HOLDING_EXTRACT, r.product_id.in_(aum_products)), r.balance_rmb), else_=0.0)
    sums = select(
        r.customer_id, r.month, func.sum(deposit), func.sum(loan), func.sum(deposit) + func.sum(invested)
    ).group_by(r.customer_id, r.month)
    columns = ["customer_id", "month", "deposit_rmb", "loan_rmb", "aum_rmb"]
    return _written(connection, insert(table).from_select(columns, sums))


def newest_month(connection: Connection) -> dt.date | None:
    """The latest month any account extract has rows for (one index look-up per outlet)."""
    a = ACCOUNTS.c
    per_outlet = select(func.max(a.month)).where(a.outlet_id == OrgUnit.id).scalar_subquery()
    statement = select(func.max(per_outlet, type_=Date)).where(OrgUnit.level == "outlet")
    return connection.execute(statement).scalar()


def latest_months(connection: Connection) -> None:
    """Fill :data:`SCOPE_LATEST`: the latest month of every customer in scope that still has
    account rows. A customer with rows in the newest month of all extracts needs no search (the
    usual case: the batch brought that month); the others are looked up by their index."""
    latest = SCOPE_LATEST.c
    newest = newest_month(connection)
    if newest is not None:
        r = SCOPE_ROWS.c
        fast = select(r.customer_id, r.month, literal(1)).where(r.month == newest).distinct()
        connection.execute(insert(SCOPE_LATEST).from_select(["customer_id", "month", "in_scope"], fast))
    a = ACCOUNTS.c
    others = _scope_customers().where(~exists().where(latest.customer_id == SCOPE_CUSTOMER_MONTHS.c.customer_id))
    searched = select(a.customer_id, func.max(a.month), literal(0)).where(a.customer_id.in_(others))
    searched = searched.group_by(a.customer_id)
    connection.execute(insert(SCOPE_LATEST).from_select(["customer_id", "month", "in_scope"], searched))
    scope = SCOPE_CUSTOMER_MONTHS.c
    in_scope = exists().where(scope.customer_id == latest.customer_id, scope.month == latest.month)
    connection.execute(SCOPE_LATEST.update().where(latest.in_scope == 0, in_scope).values(in_scope=1))


def _held(rows):
    """Holdings (customer, product, balance, earliest opening, earliest maturity) of the open
    accounts among ``rows`` (the caller restricts them to each customer's latest month)."""
    return (
        select(
            rows.customer_id,
            rows.product_id,
            func.sum(rows.balance_rmb),
            func.min(rows.opened_on),
            func.min(rows.matures_on),
        )
        .where(rows.closed_on.is_(None))
        .group_by(rows.customer_id, rows.product_id)
    )


def _rebuild_holding_indexes(connection: Connection, scope_rows: int) -> bool:
    """On PostgreSQL, whether the holdings go in faster with the table's secondary index and
    foreign keys rebuilt once afterwards (as the pipeline does for a large first batch): when
    the scope holds at least ``REBUILD_INDEXES_ROWS`` account rows and the holdings left in the
    table are fewer. Checking two foreign keys row by row took 6 of 13 s for 370,000 holdings."""
    if connection.dialect.name != "postgresql" or scope_rows < REBUILD_INDEXES_ROWS:
        return False
    return connection.execute(select(func.count()).select_from(Holding)).scalar_one() <= scope_rows


def derive_holdings(connection: Connection, scope_rows: int = 0) -> int:
    """Rebuild the holdings of the customers in scope from their open accounts in their latest
    month (``scope_rows``: the account rows read for the scope); returns the holdings written."""
    latest_months(connection)
    refresh_statistics(connection, SCOPE_LATEST)
    table = Holding.__table__
    connection.execute(delete(table).where(table.c.customer_id.in_(_scope_customers())))
    columns = ["customer_id", "product_id", "balance_rmb", "opened_on", "matures_on"]
    latest = SCOPE_LATEST.c
    r = SCOPE_ROWS.c
    held = _held(r).join(
        SCOPE_LATEST, and_(latest.customer_id == r.customer_id, latest.month == r.month, latest.in_scope == 1)
    )
    if _rebuild_holding_indexes(connection, scope_rows):
        with without_secondary_indexes_and_foreign_keys(connection, table):
            written = _written(connection, insert(table).from_select(columns, held))
    else:
        written = _written(connection, insert(table).from_select(columns, held))
    outside = select(latest.customer_id).where(latest.in_scope == 0)
    if connection.execute(outside.limit(1)).first() is not None:  # a latest month not in scope: read it
        a = ACCOUNTS.c
        month_of = select(latest.month).where(latest.customer_id == a.customer_id).scalar_subquery()
        held = _held(a).where(a.customer_id.in_(outside), a.month == month_of)
        written += _written(connection, insert(table).from_select(columns, held))
    return written


# --------------------------------------------------------------------------- outlet KPIs


def _collect_sums(connection: Connection) -> None:
    """Fill :data:`SCOPE_SUMS`: per (extract, outlet, month) in scope that is marked complete,
    the balance, the 日均 and the non-performing balance with the counts of rows that have them
    (``complete`` = 1); then, for NPL, a row with ``complete`` = 0 for every loan extract that has
    rows for such an outlet and month without being complete. Only complete extracts are read."""
    a = ACCOUNTS.c
    scope = SCOPE_OUTLET_MONTHS.c
    marked = ExtractCompletion.__table__.c
    complete = (
        select(marked.extract, marked.outlet_id, marked.month)
        .join(SCOPE_OUTLET_MONTHS, and_(scope.outlet_id == marked.outlet_id, scope.month == marked.month))
        .where(marked.extract.in_(tuple(BALANCE_METRICS)))
        .subquery("complete")
    )
    npl = case((a.loan_class.in_(NON_PERFORMING_LOAN_CLASSES), a.balance_rmb), else_=0.0)
    sums = (
        select(
            a.extract,
            a.outlet_id,
            a.month,
            literal(1),
            func.sum(a.balance_rmb),
            func.count(),
            func.sum(a.daily_average_rmb),
            func.count(a.daily_average_rmb),
            func.sum(npl),
            func.count(a.loan_class),
        )
        .join(
            complete,
            and_(complete.c.outlet_id == a.outlet_id, complete.c.month == a.month, complete.c.extract == a.extract),
        )
        .group_by(a.extract, a.outlet_id, a.month)
    )
    columns = [c.name for c in SCOPE_SUMS.columns]
    connection.execute(insert(SCOPE_SUMS).from_select(columns, sums))
    s = SCOPE_SUMS.c
    for extract in LOAN_EXTRACTS:  # a loan extract with rows that is not complete holds the NPL back
        other = SCOPE_SUMS.alias("other")
        missing = (
            select(literal(extract), s.outlet_id, s.month, literal(0), literal(0.0), literal(0))
            .distinct()
            .where(
                s.extract.in_(LOAN_EXTRACTS),
                ~exists().where(other.c.extract == extract, other.c.outlet_id == s.outlet_id, other.c.month == s.month),
                exists().where(a.outlet_id == s.outlet_id, a.month == s.month, a.extract == extract),
            )
        )
        names = ["extract", "outlet_id", "month", "complete", "balance", "accounts"]
        connection.execute(insert(SCOPE_SUMS).from_select(names, missing))


def _metric_of(extract_column, metrics: dict[str, str]):
    return case(*((extract_column == extract, literal(code)) for extract, code in metrics.items()))


def derive_account_kpis(connection: Connection) -> None:
    """Rebuild ``account_kpi_monthly`` for the outlet-months in scope (see the module's rules)."""
    scope = SCOPE_OUTLET_MONTHS
    table = AccountKpiMonthly.__table__
    connection.execute(
        delete(table).where(exists().where(scope.c.outlet_id == table.c.outlet_id, scope.c.month == table.c.month))
    )
    _collect_sums(connection)
    s = SCOPE_SUMS.c
    columns = ["outlet_id", "metric_code", "month", "value", "accounts"]
    balances = select(s.outlet_id, _metric_of(s.extract, BALANCE_METRICS), s.month, s.balance, s.accounts).where(
        s.complete == 1
    )
    averages = select(
        s.outlet_id, _metric_of(s.extract, DAILY_AVERAGE_METRICS), s.month, s.daily_average, s.accounts
    ).where(s.complete == 1, s.with_daily_average == s.accounts)
    npl = (
        select(s.outlet_id, literal(NPL_METRIC), s.month, func.sum(s.npl), func.sum(s.accounts))
        .where(s.extract.in_(LOAN_EXTRACTS))
        .group_by(s.outlet_id, s.month)
        .having(func.min(s.complete) == 1, func.sum(s.with_class) == func.sum(s.accounts))
    )
    for statement in (balances, averages, npl):
        connection.execute(insert(table).from_select(columns, statement))


def _same_key(kpi, other) -> list:
    """Conditions: the two KPI tables' rows have the same (outlet, metric, month)."""
    return [kpi.c[name] == other.c[name] for name in ("outlet_id", "metric_code", "month")]


def write_derived_kpis(connection: Connection, scoped: bool = True) -> int:
    """Bring ``kpi_monthly``'s derived rows (source 'accounts') in line with
    ``account_kpi_monthly`` for the outlet-months in scope (or everywhere, ``scoped=False``):
    derived rows whose value went away or changed are deleted, derived values whose key has no
    row are written (an imported row stays). Returns the rows deleted + written (0: unchanged)."""
    kpi = KpiMonthly.__table__
    derived = AccountKpiMonthly.__table__
    scope = SCOPE_OUTLET_MONTHS
    stale = delete(kpi).where(
        kpi.c.source == SOURCE,
        ~exists().where(*_same_key(kpi, derived), derived.c.value == kpi.c.value),
    )
    fresh = select(derived.c.outlet_id, derived.c.metric_code, derived.c.month, derived.c.value, literal(SOURCE))
    fresh = fresh.where(~exists().where(*_same_key(kpi, derived)))
    if scoped:
        stale = stale.where(exists().where(scope.c.outlet_id == kpi.c.outlet_id, scope.c.month == kpi.c.month))
        fresh = fresh.join(scope, and_(scope.c.outlet_id == derived.c.outlet_id, scope.c.month == derived.c.month))
    changed = connection.execute(stale).rowcount
    columns = ["outlet_id", "metric_code", "month", "value", "source"]
    changed += _written(connection, insert(kpi).from_select(columns, fresh))
    return changed


# --------------------------------------------------------------------------- hooks


def derive(connection: Connection, batch_id: int | None = None) -> int:
    """Derive everything for the scope: balances, holdings, outlet KPIs and their ``kpi_monthly``
    rows; returns the ``kpi_monthly`` rows changed (and notes them for ``batch_id``)."""
    scope_size = connection.execute(select(func.count()).select_from(SCOPE_CUSTOMER_MONTHS)).scalar_one()
    large = (ACCOUNTS,) if scope_size >= LARGE_SCOPE else ()
    refresh_statistics(connection, *large, SCOPE_CUSTOMER_MONTHS, SCOPE_OUTLET_MONTHS)
    scope_rows = collect_rows(connection)
    refresh_statistics(connection, SCOPE_ROWS)
    derive_balances(connection)
    derive_holdings(connection, scope_rows)
    derive_account_kpis(connection)
    changed = write_derived_kpis(connection)
    if changed and batch_id is not None:
        kpi_rollup.note_kpis_changed(connection, batch_id)
    return changed


def _restates(connection: Connection, batch_id: int) -> bool:
    """Whether the batch restates rows of earlier batches (a correction)."""
    return bool(connection.execute(select(ImportBatch.restates).where(ImportBatch.id == int(batch_id))).scalar())


def after_confirm(connection: Connection, batch_id: int) -> None:
    """An account batch was confirmed: derive for every pair its rows (and the rows it restated) touch."""
    open_scope(connection)
    add_batch_to_scope(connection, batch_id)
    if _restates(connection, batch_id):
        add_superseded_to_scope(connection, batch_id)
    derive(connection, batch_id)
    close_scope(connection)


def before_delete(connection: Connection, batch_id: int) -> None:
    """A confirmed account batch is about to be deleted: remember the pairs it touches (and, for
    a batch that restated rows, the pairs of the rows that come back), and take back the
    completion marks of its pairs unless it restated rows."""
    open_scope(connection)
    add_batch_to_scope(connection, batch_id)
    if _restates(connection, batch_id):
        add_superseded_to_scope(connection, batch_id)
    else:
        unmark_batch(connection, batch_id)


def after_delete(connection: Connection, batch_id: int) -> None:
    """The batch's rows are gone: derive again for the pairs :func:`before_delete` remembered."""
    derive(connection, batch_id)
    close_scope(connection)


def _kept(connection: Connection, column):
    """A column of an account row kept by a restating batch (``import_superseded.row_data``, all
    the row's columns as JSON) as the column's type: SQLite reads numbers as numbers and dates as
    the text it stores them as; PostgreSQL casts the text."""
    data = SUPERSEDED.c.row_data
    if connection.dialect.name == "sqlite":
        return func.json_extract(data, f"$.{column.name}")
    return cast(data.op("->>", return_type=String)(literal(column.name, String)), column.type)


def add_superseded_to_scope(connection: Connection, batch_id: int) -> None:
    """Put the pairs of the rows a restating batch replaced (as they were) into the scope: an
    account may have moved to another customer or outlet."""
    ours = and_(SUPERSEDED.c.batch_id == int(batch_id), SUPERSEDED.c.table_name == ACCOUNTS.name)
    rows = select(
        _kept(connection, ACCOUNTS.c.customer_id).label("customer_id"),
        _kept(connection, ACCOUNTS.c.outlet_id).label("outlet_id"),
        _kept(connection, ACCOUNTS.c.month).label("month"),
    ).where(ours)
    _add_pairs(connection, rows)


def after_kpi_delete(connection: Connection, batch_id: int) -> None:
    """A KPI import was deleted: write the derived values back for the keys it freed."""
    write_derived_kpis(connection, scoped=False)


# --------------------------------------------------------------------------- completion


def unmark_batch(connection: Connection, batch_id: int) -> int:
    """Remove the completion marks of the (extract, outlet, month) pairs the batch has rows for."""
    marked = ExtractCompletion.__table__
    pairs = exists().where(
        ACCOUNTS.c.import_batch_id == int(batch_id),
        ACCOUNTS.c.extract == marked.c.extract,
        ACCOUNTS.c.outlet_id == marked.c.outlet_id,
        ACCOUNTS.c.month == marked.c.month,
    )
    return connection.execute(delete(marked).where(pairs)).rowcount


def _rederive_kpis(connection: Connection, pairs: list[tuple[int, dt.date]]) -> int:
    """Derive the outlet KPIs of (outlet, month) pairs; returns the ``kpi_monthly`` rows changed."""
    open_scope(connection)
    add_outlet_months_to_scope(connection, pairs)
    derive_account_kpis(connection)
    changed = write_derived_kpis(connection)
    close_scope(connection)
    return changed


def _finish(connection: Connection, username: str, action: str, detail: dict, changed: int, reason: str) -> None:
    """Audit, new data version, and a roll-up rebuilt when ``kpi_monthly`` changed (restamped otherwise)."""
    was_current = kpi_rollup.is_current(connection)
    bump_data_version(connection, reason)
    kpi_rollup.after_change(connection, bool(changed), was_current)
    write_audit(connection, username, action, True, detail)


def mark_complete(engine: Engine, batch_id: int, username: str, trusted: bool = False) -> int:
    """Mark every (extract, outlet, month) that the confirmed account batch has rows for as
    complete (again, if already marked: by this user, now), derive the outlets' KPIs, audit and
    give the data a new version. Returns the pairs marked. Only an active data steward or admin
    may (``trusted``: the command line and benchmarks); raises ``BatchError`` otherwise, and for
    a batch that is not a confirmed account extract."""
    from data.importer.pipeline import BatchError, _batch, _require_importer

    with engine.begin() as connection:
        _require_importer(connection, username, trusted)
        batch = _batch(connection, batch_id)
        if batch.kind not in {f"{extract}s" for extract in (*BALANCE_METRICS, HOLDING_EXTRACT)}:
            raise BatchError("accounts_not_an_extract", batch=batch_id, kind=batch.kind)
        if batch.status != "confirmed":
            raise BatchError("accounts_mark_needs_confirmed", batch=batch_id, status=batch.status)
        a = ACCOUNTS.c
        pairs = connection.execute(
            select(a.extract, a.outlet_id, a.month).distinct().where(a.import_batch_id == int(batch_id))
        ).all()
        marked = ExtractCompletion.__table__
        unmark_batch(connection, batch_id)
        now = dt.datetime.now()
        if pairs:
            connection.execute(
                insert(marked),
                [
                    {"extract": e, "outlet_id": o, "month": m, "marked_by": username, "marked_at": now}
                    for e, o, m in pairs
                ],
            )
        changed = _rederive_kpis(connection, [(o, m) for _, o, m in pairs])
        detail = {"batch": int(batch_id), "pairs": len(pairs), "kpis_changed": changed}
        _finish(connection, username, "extract_marked_complete", detail, changed, f"complete-{batch_id}")
        return len(pairs)


def unmark_complete(
    engine: Engine, extract: str, outlet_id: int, month: dt.date, username: str, trusted: bool = False
) -> None:
    """Take back the completion mark of one (extract, outlet, month): its derived KPIs go (from
    ``kpi_monthly`` too). Audited, new data version; only stewards and admins (see
    :func:`mark_complete`); raises ``BatchError`` when the pair is not marked."""
    from data.importer.pipeline import BatchError, _require_importer

    with engine.begin() as connection:
        _require_importer(connection, username, trusted)
        marked = ExtractCompletion.__table__
        removed = connection.execute(
            delete(marked).where(
                marked.c.extract == extract, marked.c.outlet_id == int(outlet_id), marked.c.month == month
            )
        ).rowcount
        if not removed:
            raise BatchError("accounts_not_marked", extract=extract, outlet=int(outlet_id), month=month.isoformat())
        changed = _rederive_kpis(connection, [(int(outlet_id), month)])
        detail = {"extract": extract, "outlet": int(outlet_id), "month": month.isoformat(), "kpis_changed": changed}
        _finish(connection, username, "extract_unmarked", detail, changed, "uncomplete")
