"""Scoped queries of the reconciliation page and the KPI explorer's source note.

- :func:`reconciliation_months`: months with KPIs or account extracts in the unit's subtree.
- :func:`reconciliation_sides`: per outlet and metric of a month, the KPI import's value next to
  the value the complete account extracts give (``account_kpi_monthly``). The comparison itself
  (difference, relative difference, flag above the tolerance) is ``analytics.reconciliation``.
- :func:`extract_coverage`: per account extract and outlet of a month, the accounts loaded, their
  balance sums and whether (by whom, when) a data steward marked the extract complete;
  :func:`extract_batches`: the import batches those accounts came from (a steward marks a batch).
- :func:`kpi_source_counts`: how many outlet-month figures of each metric came from the KPI
  import and how many from the account extracts (``kpi_monthly.source``).

Every public function takes ``(engine, scope, unit_id, ...)``, checks ``unit_id`` against the
caller's scope before reading (``ScopeError`` otherwise) and aggregates in SQL (GROUP BY over
the fact tables, restricted to the outlets of the unit's subtree). Amounts in RMB (元).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Float, Integer, case, cast, func, literal_column, null, or_, select, union
from sqlalchemy.engine import Engine

from data.query_support import scoped_query
from data.query_values import as_date
from data.schema import (
    ACCOUNT_EXTRACTS,
    AccountBalance,
    AccountKpiMonthly,
    ExtractCompletion,
    ImportBatch,
    KpiMonthly,
    OrgUnit,
)
from data.scope import Scope, require_unit_in_scope

# Metrics the account extracts give in any case (balances by family and NPL); others (日均) are
# compared too as soon as ``account_kpi_monthly`` holds any value of them.
ACCOUNT_BASE_CODES = ("deposits_personal", "deposits_corporate", "loans_personal", "loans_corporate", "loans_npl")
IMPORT_SOURCE = "import"  # how a KPI import's figure (``kpi_monthly.source`` NULL) is named here
ACCOUNTS_SOURCE = "accounts"
SOURCE_GROUPS = ("total", "child", "outlet")


def _dates(values) -> list[dt.date | None]:
    return [as_date(v) for v in values]


@scoped_query
def reconciliation_months(engine: Engine, scope: Scope, unit_id: int) -> list[dt.date]:
    """Months (first days), newest first, with imported KPIs, account-derived KPIs, confirmed
    account extracts or completion marks for an outlet of the unit's subtree."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        outlets = select(OrgUnit.id).where(OrgUnit.path.startswith(path), OrgUnit.level == "outlet")
        parts = [
            select(table.month).where(table.outlet_id.in_(outlets)).distinct()
            for table in (KpiMonthly, AccountKpiMonthly, AccountBalance, ExtractCompletion)
        ]
        months = connection.execute(union(*parts)).scalars().all()
    return sorted({as_date(m) for m in months}, reverse=True)


def _reconciled_codes():
    """Metric codes compared: the account extracts' base codes and any code they derived."""
    derived = select(AccountKpiMonthly.metric_code).distinct()
    return or_(KpiMonthly.metric_code.in_(ACCOUNT_BASE_CODES), KpiMonthly.metric_code.in_(derived))


@scoped_query
def reconciliation_sides(engine: Engine, scope: Scope, unit_id: int, month: dt.date) -> pd.DataFrame:
    """Both sides of the reconciliation of ``month`` for every outlet of the unit's subtree.

    One row per (outlet, metric) that has a value on at least one side, for the metrics the
    account extracts give (deposits and loans by family, NPL, and every metric found in
    ``account_kpi_monthly`` such as 日均 balances). Columns: outlet_id, code, name_zh, name_en,
    metric_code, month, import_value (RMB; the KPI import's value, ``kpi_monthly`` rows with no
    source; NaN if none), account_value (RMB; from complete account extracts; NaN if none),
    accounts (accounts summed into account_value; 0 if none). Ordered by outlet code and metric.
    """
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        imported = select(
            KpiMonthly.outlet_id.label("outlet_id"),
            KpiMonthly.metric_code.label("metric_code"),
            KpiMonthly.value.label("import_value"),
            cast(null(), Float).label("account_value"),
            cast(null(), Integer).label("accounts"),
        ).where(KpiMonthly.month == month, KpiMonthly.source.is_(None), _reconciled_codes())
        derived = select(
            AccountKpiMonthly.outlet_id,
            AccountKpiMonthly.metric_code,
            cast(null(), Float),
            AccountKpiMonthly.value,
            AccountKpiMonthly.accounts,
        ).where(AccountKpiMonthly.month == month)
        sides = imported.union_all(derived).subquery("sides")
        statement = (
            select(
                sides.c.outlet_id,
                OrgUnit.code,
                OrgUnit.name_zh,
                OrgUnit.name_en,
                sides.c.metric_code,
                func.max(sides.c.import_value).label("import_value"),
                func.max(sides.c.account_value).label("account_value"),
                func.coalesce(func.max(sides.c.accounts), 0).label("accounts"),
            )
            .join(OrgUnit, OrgUnit.id == sides.c.outlet_id)
            .where(OrgUnit.path.startswith(path), OrgUnit.level == "outlet")
            .group_by(sides.c.outlet_id, OrgUnit.code, OrgUnit.name_zh, OrgUnit.name_en, sides.c.metric_code)
            .order_by(OrgUnit.code, sides.c.metric_code)
        )
        rows = connection.execute(statement).all()
    columns = ["outlet_id", "code", "name_zh", "name_en", "metric_code", "import_value", "account_value", "accounts"]
    frame = pd.DataFrame(rows, columns=columns)
    frame.insert(5, "month", [month] * len(frame))
    return frame.astype({"outlet_id": "int64", "import_value": "float64", "account_value": "float64"}).astype(
        {"accounts": "int64"}
    )


@scoped_query
def extract_coverage(engine: Engine, scope: Scope, unit_id: int, month: dt.date) -> pd.DataFrame:
    """Completeness of the account extracts of ``month`` for every outlet of the unit's subtree.

    One row per extract (the four of ``ACCOUNT_EXTRACTS``, and any other, such as the product
    holdings, that has accounts or marks in the month) and outlet that is open or has accounts or
    a completion mark in the month. Columns: extract, outlet_id, code, name_zh, name_en, status
    (the outlet's), month, accounts (confirmed accounts loaded; 0 if none), balance_rmb (sum of
    month-end balances, RMB), daily_average_rmb (sum of the 日均 balances given, RMB; NaN if the
    column was empty), daily_average_accounts (accounts with a 日均 balance), batches (import
    batches the accounts came from), last_batch_id (the newest of them; <NA> if none), complete
    (marked complete), marked_by, marked_at (NaT if not marked).
    """
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        in_subtree = select(OrgUnit.id).where(OrgUnit.path.startswith(path), OrgUnit.level == "outlet")
        loaded = connection.execute(
            select(
                AccountBalance.extract,
                AccountBalance.outlet_id,
                func.count().label("accounts"),
                func.sum(AccountBalance.balance_rmb).label("balance_rmb"),
                func.sum(AccountBalance.daily_average_rmb).label("daily_average_rmb"),
                func.count(AccountBalance.daily_average_rmb).label("daily_average_accounts"),
                func.count(func.distinct(AccountBalance.import_batch_id)).label("batches"),
                func.max(AccountBalance.import_batch_id).label("last_batch_id"),
            )
            .where(AccountBalance.month == month, AccountBalance.outlet_id.in_(in_subtree))
            .group_by(AccountBalance.extract, AccountBalance.outlet_id)
        ).all()
        marks = connection.execute(
            select(
                ExtractCompletion.extract,
                ExtractCompletion.outlet_id,
                ExtractCompletion.marked_by,
                ExtractCompletion.marked_at,
            ).where(ExtractCompletion.month == month, ExtractCompletion.outlet_id.in_(in_subtree))
        ).all()
        outlets = connection.execute(
            select(OrgUnit.id, OrgUnit.code, OrgUnit.name_zh, OrgUnit.name_en, OrgUnit.status)
            .where(OrgUnit.path.startswith(path), OrgUnit.level == "outlet")
            .order_by(OrgUnit.code)
        ).all()
    return _coverage_frame(month, outlets, loaded, marks)


def _coverage_frame(month: dt.date, outlets, loaded, marks) -> pd.DataFrame:
    """Every extract × outlet that is open or has something in the month, with the loaded sums
    and the completion marks (zero accounts where nothing was loaded)."""
    units = pd.DataFrame(outlets, columns=["outlet_id", "code", "name_zh", "name_en", "status"])
    sums = pd.DataFrame(
        loaded,
        columns=[
            "extract",
            "outlet_id",
            "accounts",
            "balance_rmb",
            "daily_average_rmb",
            "daily_average_accounts",
            "batches",
            "last_batch_id",
        ],
    )
    marked = pd.DataFrame(marks, columns=["extract", "outlet_id", "marked_by", "marked_at"])
    extracts = list(dict.fromkeys([*ACCOUNT_EXTRACTS, *sorted(set(sums["extract"]) | set(marked["extract"]))]))
    grid = units.merge(pd.DataFrame({"extract": extracts}), how="cross")
    frame = grid.merge(sums, on=["extract", "outlet_id"], how="left").merge(
        marked, on=["extract", "outlet_id"], how="left"
    )
    active = set(sums["outlet_id"]) | set(marked["outlet_id"])
    frame = frame[(frame["status"] == "open") | frame["outlet_id"].isin(active)]
    frame = frame.assign(
        month=month,
        accounts=frame["accounts"].fillna(0).astype("int64"),
        balance_rmb=frame["balance_rmb"].fillna(0.0).astype("float64"),
        daily_average_rmb=frame["daily_average_rmb"].astype("float64"),
        daily_average_accounts=frame["daily_average_accounts"].fillna(0).astype("int64"),
        batches=frame["batches"].fillna(0).astype("int64"),
        last_batch_id=frame["last_batch_id"].astype("Int64"),
        complete=frame["marked_by"].notna(),
        marked_at=pd.to_datetime(frame["marked_at"]),
    )
    frame["extract"] = pd.Categorical(frame["extract"], categories=extracts, ordered=True)
    frame = frame.sort_values(["code", "extract"], kind="stable").reset_index(drop=True)
    frame["extract"] = frame["extract"].astype(str)
    return frame[
        [
            "extract",
            "outlet_id",
            "code",
            "name_zh",
            "name_en",
            "status",
            "month",
            "accounts",
            "balance_rmb",
            "daily_average_rmb",
            "daily_average_accounts",
            "batches",
            "last_batch_id",
            "complete",
            "marked_by",
            "marked_at",
        ]
    ]


@scoped_query
def extract_batches(engine: Engine, scope: Scope, unit_id: int, month: dt.date) -> pd.DataFrame:
    """The confirmed import batches with accounts of ``month`` at outlets of the unit's subtree,
    newest first: batch_id, kind, file_name, uploaded_by, uploaded_at, outlets (of the subtree the
    batch has accounts for in the month), accounts (those accounts), unmarked (its (extract,
    outlet) pairs of the month and subtree without a completion mark). Marking a batch complete
    marks every pair it has rows for (``data.accounts.mark_complete``)."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        in_subtree = select(OrgUnit.id).where(OrgUnit.path.startswith(path), OrgUnit.level == "outlet")
        pairs = (
            select(
                AccountBalance.import_batch_id.label("batch_id"),
                AccountBalance.extract,
                AccountBalance.outlet_id,
                func.count().label("accounts"),
            )
            .where(
                AccountBalance.month == month,
                AccountBalance.outlet_id.in_(in_subtree),
                AccountBalance.import_batch_id.is_not(None),
            )
            .group_by(AccountBalance.import_batch_id, AccountBalance.extract, AccountBalance.outlet_id)
            .subquery("pairs")
        )
        marked = (
            select(ExtractCompletion.extract)
            .where(
                ExtractCompletion.extract == pairs.c.extract,
                ExtractCompletion.outlet_id == pairs.c.outlet_id,
                ExtractCompletion.month == month,
            )
            .exists()
        )
        b = ImportBatch
        batch = (b.id, b.kind, b.file_name, b.uploaded_by, b.uploaded_at)
        rows = connection.execute(
            select(
                *batch,
                func.count(func.distinct(pairs.c.outlet_id)).label("outlets"),
                func.sum(pairs.c.accounts).label("accounts"),
                func.sum(case((marked, 0), else_=1)).label("unmarked"),
            )
            .join(pairs, pairs.c.batch_id == ImportBatch.id)
            .where(ImportBatch.status == "confirmed")
            .group_by(*batch)
            .order_by(ImportBatch.id.desc())
        ).all()
    columns = ["batch_id", "kind", "file_name", "uploaded_by", "uploaded_at", "outlets", "accounts", "unmarked"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"batch_id": "int64", "outlets": "int64", "accounts": "int64", "unmarked": "int64"})


def _per_child(connection, unit_id: int, path: str, per_outlet: pd.DataFrame) -> pd.DataFrame:
    """Counts per outlet summed to the unit's direct child whose subtree holds the outlet (the
    child is the path component after the unit's own: "/1/4/17/" under "/1/" → 4)."""
    depth = path.strip("/").count("/") + 1
    outlets = connection.execute(
        select(OrgUnit.id, OrgUnit.path).where(OrgUnit.path.startswith(path), OrgUnit.level == "outlet")
    ).all()
    child_of = {
        int(outlet_id): int(parts[depth])
        for outlet_id, outlet_path in outlets
        if len(parts := outlet_path.strip("/").split("/")) > depth
    }
    frame = per_outlet.assign(group_id=per_outlet["group_id"].map(child_of)).dropna(subset=["group_id"])
    return frame.groupby(["group_id", "metric_code", "month", "source"], as_index=False)["figures"].sum()


@scoped_query
def kpi_source_counts(
    engine: Engine,
    scope: Scope,
    unit_id: int,
    codes: tuple[str, ...],
    start_month: dt.date,
    end_month: dt.date,
    group: str = "total",
) -> pd.DataFrame:
    """Where the KPI figures of base metrics ``codes`` in [start_month, end_month] came from.

    ``group``: "total" (the whole subtree, group_id = unit_id), "child" (per direct child unit)
    or "outlet" (per outlet). Columns: group_id, metric_code, month, source ("import" for a KPI
    import's or the demo's figure, "accounts" for one derived from complete account extracts),
    figures (outlet-month values counted). Only combinations with figures are returned.
    """
    if group not in SOURCE_GROUPS:
        raise ValueError(f"unknown grouping {group!r}")
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        key = literal_column(str(int(unit_id))) if group == "total" else KpiMonthly.outlet_id
        # An inline constant (not a bound parameter), so that GROUP BY repeats the same expression.
        source = func.coalesce(KpiMonthly.source, literal_column(f"'{IMPORT_SOURCE}'")).label("source")
        group_by = [KpiMonthly.metric_code, KpiMonthly.month, source]
        if group != "total":
            group_by.insert(0, key)
        statement = (
            select(key.label("group_id"), KpiMonthly.metric_code, KpiMonthly.month, source, func.count().label("n"))
            .join(OrgUnit, OrgUnit.id == KpiMonthly.outlet_id)
            .where(
                OrgUnit.path.startswith(path),
                KpiMonthly.metric_code.in_(sorted(set(codes))),
                KpiMonthly.month >= start_month,
                KpiMonthly.month <= end_month,
            )
            .group_by(*group_by)
        )
        frame = pd.DataFrame(
            connection.execute(statement).all(), columns=["group_id", "metric_code", "month", "source", "figures"]
        )
        if group == "child":
            frame = _per_child(connection, unit_id, path, frame)
    frame["month"] = _dates(frame["month"])
    frame = frame.sort_values(["group_id", "metric_code", "month", "source"], kind="stable").reset_index(drop=True)
    return frame.astype({"group_id": "int64", "figures": "int64"})
