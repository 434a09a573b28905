"""Stored customer scores: what the scoring job (``python -m jobs.score``) writes, and the scoped
queries through which the customer pages read them.

Writing (the job only; no scope, it scores the whole bank): :func:`start_run` records a run,
:func:`store_run` writes every score table of it in one transaction (COPY on PostgreSQL,
executemany on SQLite via ``data.bulk``) and, when the data version has not changed meanwhile,
drops the rows of every earlier run, so re-running for the same data version replaces;
:func:`fail_run` records an error. Readers see the old scores until the new ones are committed.

Reading: every public query takes ``(engine, scope, unit_id, ...)``, checks ``unit_id`` against
the caller's scope first (``ScopeError`` otherwise) and aggregates in SQL over the customers whose
home outlet (as scored) lies in the unit's subtree. Scores are read only from the run
:func:`score_status` names as current (the newest succeeded run of the data version in force);
customer rows leave with the personal-data policy of ``data.privacy``. Money in RMB, durations in
days, probabilities 0–1.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Float, and_, case, delete, func, insert, literal, literal_column, select, union_all, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import aliased

from analytics.next_product import RECOMMENDATION_COLUMNS
from data.bulk import bulk_insert
from data.privacy import protect_frame
from data.query_support import scoped_query
from data.query_values import as_date, rows_frame
from data.schema import (
    BalanceMonthly,
    Customer,
    CustomerContact,
    DatasetInfo,
    OrgUnit,
    ScoreCustomer,
    ScoreModel,
    ScoreOutletProduct,
    ScoreProduct,
    ScoreRun,
    ScoreTierMonth,
    Staff,
)
from data.scope import Scope, require_unit_in_scope
from data.staff_status import relationship_manager_on

#: The per-run score tables, in the order they are written (and deleted in reverse).
SCORE_TABLES = (ScoreModel, ScoreCustomer, ScoreTierMonth, ScoreProduct, ScoreOutletProduct)
#: Outcomes of a call after which a customer leaves the churn, development and reserve lists for
#: the cool-off days (as ``analytics.action_rules``).
FINAL_OUTCOMES = ("met", "product_sold", "lost")
LIST_KINDS = ("churn", "development", "reserve", "maintenance")
#: Rows from which ``data.bulk`` would rebuild indexes after COPY: never, for the score tables.
KEEP_INDEXES = 2**62
#: Upper bounds of the probability-alive histogram's bins (0.05 wide).
ALIVE_BINS = 20


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def current_data_version(connection: Connection) -> str:
    """The data version in force ("" before any data was loaded)."""
    return connection.execute(select(DatasetInfo.value).where(DatasetInfo.key == "data_version")).scalar() or ""


# --------------------------------------------------------------------------- writing (the job)


def start_run(engine: Engine, engine_name: str, parameters: dict) -> tuple[int, str]:
    """Record a new run (status running) for the data version in force; returns (run id, version).
    Committed at once, so a run that dies leaves its trace."""
    with engine.begin() as connection:
        version = current_data_version(connection)
        run_id = connection.execute(
            insert(ScoreRun)
            .values(
                data_version=version,
                engine=engine_name,
                status="running",
                started_at=_now(),
                customers=0,
                row_count=0,
                parameters=parameters,
            )
            .returning(ScoreRun.id)
        ).scalar_one()
    return int(run_id), version


def store_run(
    engine: Engine,
    run_id: int,
    tables: dict[str, pd.DataFrame],
    models: dict[str, tuple[dict | None, dict | None]],
    observation_end: dt.date | None,
) -> str:
    """Write a run's scores in one transaction and finish it; returns its final status.

    ``tables``: table name → frame (columns named as the table's, without ``run_id``);
    ``models``: model name → (params, diagnostics). When the data version is still the one the
    run started on, the run becomes ``succeeded`` and every other run's score rows are deleted
    (one set of scores is kept; re-running for a version replaces its scores). Otherwise the run
    is ``superseded`` and its rows are not kept (they describe data that is gone).
    """
    by_name = {model.__tablename__: model.__table__ for model in SCORE_TABLES}
    unknown = set(tables) - set(by_name)
    if unknown:
        raise ValueError(f"not score tables: {sorted(unknown)}")
    with engine.begin() as connection:
        run = connection.execute(select(ScoreRun.data_version, ScoreRun.status).where(ScoreRun.id == run_id)).one()
        if run.status != "running":
            raise ValueError(f"run {run_id} is {run.status}, not running")
        if current_data_version(connection) != run.data_version:
            connection.execute(
                update(ScoreRun)
                .where(ScoreRun.id == run_id)
                .values(status="superseded", finished_at=_now(), error="the data changed while the job ran")
            )
            return "superseded"
        for model in reversed(SCORE_TABLES):  # earlier runs' scores (and any of this one)
            connection.execute(delete(model.__table__))
        rows = 0
        model_rows = pd.DataFrame(
            [
                {"name": name, "params": params, "diagnostics": diagnostics}
                for name, (params, diagnostics) in models.items()
            ]
        )
        # indexes kept while loading (never dropped and rebuilt, which would lock the tables
        # against the pages reading the scores in force until the commit)
        if not model_rows.empty:
            rows += bulk_insert(connection, ScoreModel.__table__, model_rows.assign(run_id=run_id), KEEP_INDEXES)
        for name, frame in tables.items():
            rows += bulk_insert(connection, by_name[name], frame.assign(run_id=run_id), KEEP_INDEXES)
        customers = len(tables.get(ScoreCustomer.__tablename__, ()))
        connection.execute(
            update(ScoreRun)
            .where(ScoreRun.id == run_id)
            .values(
                status="succeeded",
                finished_at=_now(),
                customers=customers,
                row_count=rows,
                observation_end=observation_end,
            )
        )
    return "succeeded"


def fail_run(engine: Engine, run_id: int, error: str) -> None:
    """Mark a run failed with ``error`` (its first 2,000 characters); its scores were not kept."""
    with engine.begin() as connection:
        connection.execute(
            update(ScoreRun)
            .where(ScoreRun.id == run_id)
            .values(status="failed", finished_at=_now(), error=str(error)[:2000])
        )


def runs(engine: Engine, limit: int = 20) -> pd.DataFrame:
    """The newest runs (the job's log): id, data_version, engine, status, started_at,
    finished_at, customers, row_count, error. For operators (no customer data)."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                ScoreRun.id,
                ScoreRun.data_version,
                ScoreRun.engine,
                ScoreRun.status,
                ScoreRun.started_at,
                ScoreRun.finished_at,
                ScoreRun.customers,
                ScoreRun.row_count,
                ScoreRun.error,
            )
            .order_by(ScoreRun.id.desc())
            .limit(int(limit))
        ).all()
    return rows_frame(
        rows,
        columns=[
            "id",
            "data_version",
            "engine",
            "status",
            "started_at",
            "finished_at",
            "customers",
            "row_count",
            "error",
        ],
    )


def has_current_scores(engine: Engine) -> bool:
    """True when a succeeded run exists for the data version in force (the job's ``--if-stale``)."""
    with engine.connect() as connection:
        return _current_run(connection) is not None


# --------------------------------------------------------------------------- reading (the pages)


def _current_run(connection: Connection):
    version = current_data_version(connection)
    return connection.execute(
        select(ScoreRun.id, ScoreRun.data_version, ScoreRun.finished_at, ScoreRun.observation_end, ScoreRun.parameters)
        .where(ScoreRun.status == "succeeded", ScoreRun.data_version == version)
        .order_by(ScoreRun.id.desc())
        .limit(1)
    ).first()


def _scope_outlets(path: str):
    """Ids of the units in the subtree at ``path`` (scores carry the customer's home outlet)."""
    return select(OrgUnit.id).where(OrgUnit.path.startswith(path))


def _require_run(connection: Connection, scope: Scope, unit_id: int, run_id: int) -> str:
    """Path of the unit (scope-checked). ``run_id`` is the run :func:`score_status` names; a run
    whose scores were replaced has no rows left, so reading it gives empty answers."""
    return require_unit_in_scope(connection, scope, unit_id)


@scoped_query
def score_status(engine: Engine, scope: Scope, unit_id: int) -> dict:
    """Which stored scores the pages may read: ``current`` (bool: a succeeded run of the data
    version in force exists), ``run_id``, ``data_version``, ``finished_at``, ``observation_end``
    and ``parameters`` of that run (None when there is none), and ``last_version`` /
    ``last_finished_at`` of the newest succeeded run of any version (to say how old it is)."""
    with engine.connect() as connection:
        require_unit_in_scope(connection, scope, unit_id)
        run = _current_run(connection)
        last = connection.execute(
            select(ScoreRun.data_version, ScoreRun.finished_at)
            .where(ScoreRun.status == "succeeded")
            .order_by(ScoreRun.id.desc())
            .limit(1)
        ).first()
    return {
        "current": run is not None,
        "run_id": int(run.id) if run else None,
        "data_version": run.data_version if run else None,
        "finished_at": run.finished_at if run else None,
        "observation_end": as_date(run.observation_end) if run else None,
        "parameters": dict(run.parameters or {}) if run else None,
        "last_version": last.data_version if last else None,
        "last_finished_at": last.finished_at if last else None,
    }


@scoped_query
def score_balance_history(engine: Engine, scope: Scope, unit_id: int, months: tuple[dt.date, ...]) -> pd.DataFrame:
    """Month-end AUM of every customer of the subtree with a balance in one of ``months``:
    customer_id, outlet_id (home), month, aum_rmb. The scoring job's tier-history input (one
    row per customer and month with a balance; no personal data)."""
    wanted = sorted({as_date(m) for m in months})
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        rows = connection.execute(
            select(Customer.id, Customer.home_outlet_id, BalanceMonthly.month, BalanceMonthly.aum_rmb)
            .join(BalanceMonthly, BalanceMonthly.customer_id == Customer.id)
            .where(Customer.home_outlet_id.in_(_scope_outlets(path)), BalanceMonthly.month.in_(wanted))
            .order_by(Customer.id, BalanceMonthly.month)
        ).all()
    frame = rows_frame(rows, columns=["customer_id", "outlet_id", "month", "aum_rmb"])
    frame["month"] = frame["month"].map(as_date)
    return frame.astype({"customer_id": "int64", "outlet_id": "int64", "aum_rmb": float})


@scoped_query
def score_models(engine: Engine, scope: Scope, unit_id: int, run_id: int) -> dict:
    """The models of a run: name → {"params": …, "diagnostics": …} (fitted on the whole bank's
    customers: parameters and fit diagnostics, no customer data)."""
    with engine.connect() as connection:
        _require_run(connection, scope, unit_id, run_id)
        rows = connection.execute(
            select(ScoreModel.name, ScoreModel.params, ScoreModel.diagnostics).where(ScoreModel.run_id == int(run_id))
        ).all()
    return {row.name: {"params": row.params or {}, "diagnostics": row.diagnostics or {}} for row in rows}


# --- customer structure


@scoped_query
def score_tier_months(engine: Engine, scope: Scope, unit_id: int, run_id: int) -> list[dt.date]:
    """The months of the run's stored tier history, oldest first (recorded with the run's
    ``tier_history`` model, so no scan of the history)."""
    with engine.connect() as connection:
        _require_run(connection, scope, unit_id, run_id)
        diagnostics = connection.execute(
            select(ScoreModel.diagnostics).where(ScoreModel.run_id == int(run_id), ScoreModel.name == "tier_history")
        ).scalar()
    return [dt.date.fromisoformat(month) for month in (diagnostics or {}).get("months", [])]


def _known_tier_months(path: str, run_id: int, month: dt.date):
    """The run's tier-months at ``month`` of the subtree's customers known by then."""
    return and_(
        ScoreTierMonth.run_id == int(run_id),
        ScoreTierMonth.month == as_date(month),
        ScoreTierMonth.known.is_(True),
        ScoreTierMonth.outlet_id.in_(_scope_outlets(path)),
    )


@scoped_query
def score_tiers_by_outlet(engine: Engine, scope: Scope, unit_id: int, run_id: int, month: dt.date) -> pd.DataFrame:
    """Customers and their AUM (sum at ``month``, RMB) per home outlet and stored tier at
    ``month``: outlet_id, tier, customers, aum_rmb. Customers count from their first balance in
    the history on (as the page's tier paths do)."""
    with engine.connect() as connection:
        path = _require_run(connection, scope, unit_id, run_id)
        rows = connection.execute(
            select(
                ScoreTierMonth.outlet_id,
                ScoreTierMonth.tier,
                func.count(),
                func.coalesce(func.sum(ScoreTierMonth.aum_rmb), literal_column("0.0")),
            )
            .where(_known_tier_months(path, run_id, month))
            .group_by(ScoreTierMonth.outlet_id, ScoreTierMonth.tier)
            .order_by(ScoreTierMonth.outlet_id, ScoreTierMonth.tier)
        ).all()
    frame = rows_frame(rows, columns=["outlet_id", "tier", "customers", "aum_rmb"])
    return frame.astype({"outlet_id": "int64", "tier": "int64", "customers": "int64", "aum_rmb": float})


@scoped_query
def score_tier_migration(
    engine: Engine, scope: Scope, unit_id: int, run_id: int, month_from: dt.date, month_to: dt.date
) -> pd.DataFrame:
    """Customers per (stored tier at ``month_from``, stored tier at ``month_to``) among the
    subtree's customers known at ``month_to``: tier_from, tier_to, customers."""
    start = aliased(ScoreTierMonth, name="start")
    with engine.connect() as connection:
        path = _require_run(connection, scope, unit_id, run_id)
        rows = connection.execute(
            select(start.tier, ScoreTierMonth.tier, func.count())
            .join(
                start,
                and_(
                    start.run_id == ScoreTierMonth.run_id,
                    start.customer_id == ScoreTierMonth.customer_id,
                    start.month == as_date(month_from),
                ),
            )
            .where(_known_tier_months(path, run_id, month_to))
            .group_by(start.tier, ScoreTierMonth.tier)
            .order_by(start.tier, ScoreTierMonth.tier)
        ).all()
    return rows_frame(rows, columns=["tier_from", "tier_to", "customers"]).astype("int64")


# --- lifetime value


def _scored_customers(path: str, run_id: int):
    return and_(ScoreCustomer.run_id == int(run_id), ScoreCustomer.outlet_id.in_(_scope_outlets(path)))


@scoped_query
def score_lifetime_summary(engine: Engine, scope: Scope, unit_id: int, run_id: int, at_risk_below: float) -> dict:
    """Headline of the stored lifetime values of the subtree's customers with transactions:
    customers, mean_alive, at_risk_share (P(alive) < ``at_risk_below``), expected_txn (sum of
    expected transaction days over the run's horizon), clv_rmb (sum), and
    customers_without_transactions (the subtree's scored customers without any)."""
    with engine.connect() as connection:
        path = _require_run(connection, scope, unit_id, run_id)
        has_history = ScoreCustomer.frequency.is_not(None)
        row = connection.execute(
            select(
                func.sum(case((has_history, 1), else_=0)),
                func.sum(case((has_history, 0), else_=1)),
                func.avg(case((has_history, ScoreCustomer.p_alive), else_=None)),
                func.sum(case((and_(has_history, ScoreCustomer.p_alive < float(at_risk_below)), 1), else_=0)),
                func.sum(case((has_history, ScoreCustomer.expected_txn), else_=None)),
                func.sum(case((has_history, ScoreCustomer.clv_rmb), else_=None)),
            ).where(_scored_customers(path, run_id))
        ).one()
    customers = int(row[0] or 0)
    return {
        "customers": customers,
        "customers_without_transactions": int(row[1] or 0),
        "mean_alive": float(row[2]) if row[2] is not None else float("nan"),
        "at_risk_share": (int(row[3] or 0) / customers) if customers else float("nan"),
        "expected_txn": float(row[4] or 0.0),
        "clv_rmb": float(row[5] or 0.0),
    }


@scoped_query
def score_alive_histogram(engine: Engine, scope: Scope, unit_id: int, run_id: int) -> pd.DataFrame:
    """Customers with transactions per 0.05-wide bin of stored P(alive): bin_start (0, 0.05, …,
    0.95; 1.0 falls in the last bin), customers (every bin, 0 where empty)."""
    with engine.connect() as connection:
        path = _require_run(connection, scope, unit_id, run_id)
        # the bin index is the number of inner bin edges P(alive) reaches (no FLOOR on SQLite)
        index = sum(
            (
                case((ScoreCustomer.p_alive >= literal(edge / ALIVE_BINS, Float), 1), else_=0)
                for edge in range(1, ALIVE_BINS)
            ),
            literal(0),
        )
        rows = connection.execute(
            select(index.label("bin"), func.count())
            .where(_scored_customers(path, run_id), ScoreCustomer.p_alive.is_not(None))
            .group_by(index)
        ).all()
    counts = dict((int(b), int(c)) for b, c in rows)
    return pd.DataFrame(
        {
            "bin_start": [i / ALIVE_BINS for i in range(ALIVE_BINS)],
            "customers": [counts.get(i, 0) for i in range(ALIVE_BINS)],
        }
    )


@scoped_query
def score_clv_histogram(
    engine: Engine, scope: Scope, unit_id: int, run_id: int, edges: tuple[float, ...]
) -> pd.DataFrame:
    """Customers with transactions per stored-CLV bin between consecutive ``edges`` (RMB, rising;
    below the first edge counts in the first bin, from the last edge on in the last):
    bin_start, bin_end, customers."""
    bounds = [float(e) for e in edges]
    if len(bounds) < 2 or any(b <= a for a, b in zip(bounds, bounds[1:])):
        raise ValueError("edges must be at least two rising amounts")
    with engine.connect() as connection:
        path = _require_run(connection, scope, unit_id, run_id)
        reached = [func.sum(case((ScoreCustomer.clv_rmb >= literal(edge, Float), 1), else_=0)) for edge in bounds[1:-1]]
        row = connection.execute(
            select(func.count(), *reached).where(_scored_customers(path, run_id), ScoreCustomer.clv_rmb.is_not(None))
        ).one()
    at_least = [int(row[0] or 0)] + [int(v or 0) for v in row[1:]] + [0]
    return pd.DataFrame(
        {
            "bin_start": bounds[:-1],
            "bin_end": bounds[1:],
            "customers": [at_least[i] - at_least[i + 1] for i in range(len(bounds) - 1)],
        }
    )


@scoped_query
def score_top_customers(engine: Engine, scope: Scope, unit_id: int, run_id: int, limit: int) -> pd.DataFrame:
    """The ``limit`` customers of the subtree with the highest stored CLV: customer_no (masked
    unless the role sees personal data), outlet_id, frequency, recency_days, t_days, p_alive,
    expected_txn, value_each, clv_rmb."""
    with engine.connect() as connection:
        path = _require_run(connection, scope, unit_id, run_id)
        rows = connection.execute(
            select(
                Customer.customer_no,
                ScoreCustomer.outlet_id,
                ScoreCustomer.frequency,
                ScoreCustomer.recency_days,
                ScoreCustomer.t_days,
                ScoreCustomer.p_alive,
                ScoreCustomer.expected_txn,
                ScoreCustomer.value_each,
                ScoreCustomer.clv_rmb,
            )
            .join(Customer, Customer.id == ScoreCustomer.customer_id)
            .where(_scored_customers(path, run_id), ScoreCustomer.clv_rmb.is_not(None))
            .order_by(ScoreCustomer.clv_rmb.desc(), ScoreCustomer.customer_id)
            .limit(int(limit))
        ).all()
    frame = rows_frame(
        rows,
        columns=[
            "customer_no",
            "outlet_id",
            "frequency",
            "recency_days",
            "t_days",
            "p_alive",
            "expected_txn",
            "value_each",
            "clv_rmb",
        ],
    )
    return protect_frame(frame, scope, mask_customer_numbers=True)


# --- segments


@scoped_query
def score_rfm_segments(engine: Engine, scope: Scope, unit_id: int, run_id: int) -> pd.DataFrame:
    """Customers and AUM (RMB, at the scored month) per stored RFM segment code: segment,
    customers, aum_rmb."""
    with engine.connect() as connection:
        path = _require_run(connection, scope, unit_id, run_id)
        rows = connection.execute(
            select(ScoreCustomer.rfm_segment, func.count(), func.coalesce(func.sum(ScoreCustomer.aum_rmb), 0.0))
            .where(_scored_customers(path, run_id), ScoreCustomer.rfm_segment.is_not(None))
            .group_by(ScoreCustomer.rfm_segment)
        ).all()
    return rows_frame(rows, columns=["segment", "customers", "aum_rmb"]).astype(
        {"customers": "int64", "aum_rmb": float}
    )


# --- action lists


def _last_contacts(path: str):
    """The newest contact of each customer homed in the subtree (a subquery)."""
    ranked = (
        select(
            CustomerContact.customer_id,
            CustomerContact.contacted_at,
            CustomerContact.outcome,
            func.row_number()
            .over(
                partition_by=CustomerContact.customer_id,
                order_by=(CustomerContact.contacted_at.desc(), CustomerContact.id.desc()),
            )
            .label("position"),
        )
        .join(Customer, Customer.id == CustomerContact.customer_id)
        .where(Customer.home_outlet_id.in_(_scope_outlets(path)))
        .subquery()
    )
    return (
        select(ranked.c.customer_id, ranked.c.contacted_at, ranked.c.outcome).where(ranked.c.position == 1).subquery()
    )


def _list_members(
    path: str, run_id: int, today: dt.date, high_value_rmb: float, cooloff_days: int, maintenance_days: int
):
    """One row per (customer, list) of the subtree: the stored membership before contacts with
    today's contacts applied, as ``analytics.action_rules.build_action_lists`` applies them:
    a final outcome within the cool-off days takes a customer off churn, development and
    reserve; maintenance needs no contact within its days. Columns customer_id, list_kind,
    value_rmb (value at risk, potential, gap to high value, AUM)."""
    contacts = _last_contacts(path)
    now = dt.datetime.combine(as_date(today), dt.time())
    cooling = and_(
        contacts.c.outcome.in_(FINAL_OUTCOMES),
        contacts.c.contacted_at >= now - dt.timedelta(days=int(cooloff_days)),
    )
    not_cooling = ~func.coalesce(cooling, False)
    stale = (contacts.c.contacted_at.is_(None)) | (
        contacts.c.contacted_at < now - dt.timedelta(days=int(maintenance_days))
    )
    churn = and_(ScoreCustomer.churn_candidate.is_(True), not_cooling)
    aum = func.coalesce(ScoreCustomer.aum_now_rmb, 0.0)
    parts = [
        ("churn", churn, aum),
        (
            "development",
            and_(ScoreCustomer.development_candidate.is_(True), not_cooling),
            ScoreCustomer.wallet_rmb - aum,
        ),
        (
            "reserve",
            and_(ScoreCustomer.reserve_candidate.is_(True), not_cooling),
            literal(float(high_value_rmb), Float) - aum,
        ),
        ("maintenance", and_(ScoreCustomer.high_value.is_(True), ~churn, stale), aum),
    ]
    selects = [
        select(
            ScoreCustomer.customer_id,
            ScoreCustomer.outlet_id,
            literal(kind).label("list_kind"),
            value.label("value_rmb"),
        )
        .outerjoin(contacts, contacts.c.customer_id == ScoreCustomer.customer_id)
        .where(_scored_customers(path, run_id), member)
        for kind, member, value in parts
    ]
    return union_all(*selects).subquery()


def _rules_of(parameters: dict) -> dict:
    return dict((parameters or {}).get("action_rules") or {})


@scoped_query
def score_action_summary(engine: Engine, scope: Scope, unit_id: int, run_id: int, today: dt.date) -> pd.DataFrame:
    """Customers and value (RMB) per home outlet and list from the stored action-list membership
    with today's contacts applied: outlet_id, list_kind, customers, value_rmb. The rules are the
    run's (``score_status()["parameters"]["action_rules"]``)."""
    with engine.connect() as connection:
        path = _require_run(connection, scope, unit_id, run_id)
        rules = _rules_of(connection.execute(select(ScoreRun.parameters).where(ScoreRun.id == int(run_id))).scalar())
        rows = []
        if rules:  # a run without rules (none, or replaced) has no lists
            members = _list_members(
                path,
                run_id,
                today,
                rules["high_value_aum_rmb"],
                rules["cooloff_days"],
                rules["maintenance_contact_days"],
            )
            rows = connection.execute(
                select(members.c.outlet_id, members.c.list_kind, func.count(), func.sum(members.c.value_rmb))
                .group_by(members.c.outlet_id, members.c.list_kind)
                .order_by(members.c.outlet_id, members.c.list_kind)
            ).all()
    return rows_frame(rows, columns=["outlet_id", "list_kind", "customers", "value_rmb"]).astype(
        {"outlet_id": "int64", "customers": "int64", "value_rmb": float}
    )


@scoped_query
def score_action_members(engine: Engine, scope: Scope, unit_id: int, run_id: int, today: dt.date) -> pd.DataFrame:
    """The customers of the four lists, ranked as ``build_action_lists`` ranks them (rank 1 =
    first to call: churn and development by value, largest first; reserve by the gap, smallest
    first; maintenance by AUM), with what the lists show: customer_id, customer_no, name, kind,
    outlet_id, manager_name (current relationship manager), list_kind, rank, value_rmb,
    aum_now_rmb, products, p_alive, reason_p_alive, reason_aum_drop, aum_change_share,
    wallet_rmb, share_of_wallet, last_contacted_at, last_outcome. Names and managers follow the
    personal-data policy (roles without it get masked names and no manager)."""
    manager = aliased(Staff, name="manager")
    with engine.connect() as connection:
        path = _require_run(connection, scope, unit_id, run_id)
        rules = _rules_of(connection.execute(select(ScoreRun.parameters).where(ScoreRun.id == int(run_id))).scalar())
        members = _list_members(
            path,
            run_id,
            today,
            rules.get("high_value_aum_rmb", 0.0),
            rules.get("cooloff_days", 0),
            rules.get("maintenance_contact_days", 0),
        )
        contacts = _last_contacts(path)
        ascending = members.c.list_kind == "reserve"
        order_value = case((ascending, members.c.value_rmb), else_=-members.c.value_rmb)
        rank = func.row_number().over(partition_by=members.c.list_kind, order_by=(order_value, members.c.customer_id))
        rows = connection.execute(
            select(
                members.c.customer_id,
                Customer.customer_no,
                Customer.name,
                Customer.kind,
                members.c.outlet_id,
                manager.name,
                members.c.list_kind,
                rank,
                members.c.value_rmb,
                ScoreCustomer.aum_now_rmb,
                ScoreCustomer.products,
                ScoreCustomer.act_p_alive,
                ScoreCustomer.reason_p_alive,
                ScoreCustomer.reason_aum_drop,
                ScoreCustomer.aum_change_share,
                ScoreCustomer.wallet_rmb,
                ScoreCustomer.share_of_wallet,
                contacts.c.contacted_at,
                contacts.c.outcome,
            )
            .join(
                ScoreCustomer,
                and_(ScoreCustomer.run_id == int(run_id), ScoreCustomer.customer_id == members.c.customer_id),
            )
            .join(Customer, Customer.id == members.c.customer_id)
            .outerjoin(
                manager,
                and_(manager.id == Customer.relationship_manager_id, relationship_manager_on(manager, dt.date.today())),
            )
            .outerjoin(contacts, contacts.c.customer_id == members.c.customer_id)
            .order_by(members.c.list_kind, rank)
        ).all()
    columns = [
        "customer_id",
        "customer_no",
        "name",
        "kind",
        "outlet_id",
        "manager_name",
        "list_kind",
        "rank",
        "value_rmb",
        "aum_now_rmb",
        "products",
        "p_alive",
        "reason_p_alive",
        "reason_aum_drop",
        "aum_change_share",
        "wallet_rmb",
        "share_of_wallet",
        "last_contacted_at",
        "last_outcome",
    ]
    frame = rows_frame(rows, columns=columns)
    frame = frame.astype(
        {
            "customer_id": "int64",
            "outlet_id": "int64",
            "rank": "int64",
            "value_rmb": float,
            "aum_now_rmb": float,
            "p_alive": float,
            "aum_change_share": float,
            "wallet_rmb": float,
            "share_of_wallet": float,
        }
    )
    for column in ("reason_p_alive", "reason_aum_drop"):
        frame[column] = frame[column].fillna(False).astype(bool)
    frame["last_contacted_at"] = pd.to_datetime(frame["last_contacted_at"])
    return protect_frame(frame, scope)


# --- next best product


@scoped_query
def score_outlet_potential(engine: Engine, scope: Scope, unit_id: int, run_id: int) -> pd.DataFrame:
    """Stored untapped potential per outlet of the subtree and product: outlet_id, code,
    non_holders, expected_new_holders, expected_margin_rmb (RMB per year), largest margin first."""
    with engine.connect() as connection:
        path = _require_run(connection, scope, unit_id, run_id)
        rows = connection.execute(
            select(
                ScoreOutletProduct.outlet_id,
                ScoreOutletProduct.code,
                ScoreOutletProduct.non_holders,
                ScoreOutletProduct.expected_new_holders,
                ScoreOutletProduct.expected_margin_rmb,
            )
            .where(ScoreOutletProduct.run_id == int(run_id), ScoreOutletProduct.outlet_id.in_(_scope_outlets(path)))
            .order_by(
                ScoreOutletProduct.expected_margin_rmb.desc(),
                ScoreOutletProduct.expected_new_holders.desc(),
                ScoreOutletProduct.outlet_id,
                ScoreOutletProduct.code,
            )
        ).all()
    return rows_frame(
        rows, columns=["outlet_id", "code", "non_holders", "expected_new_holders", "expected_margin_rmb"]
    ).astype(
        {"outlet_id": "int64", "non_holders": "int64", "expected_new_holders": float, "expected_margin_rmb": float}
    )


@scoped_query
def score_customers_in_scope(engine: Engine, scope: Scope, unit_id: int, run_id: int) -> dict:
    """How many scored customers are homed in the subtree: ``{"customers": n}``."""
    with engine.connect() as connection:
        path = _require_run(connection, scope, unit_id, run_id)
        count = connection.execute(select(func.count()).where(_scored_customers(path, run_id))).scalar()
    return {"customers": int(count or 0)}


@scoped_query
def score_best_products(
    engine: Engine, scope: Scope, unit_id: int, run_id: int, ranking: str, limit: int
) -> pd.DataFrame:
    """The stored recommendations of the ``limit`` customers of the subtree whose best product
    (rank 1 under ``ranking``: expected_margin or propensity) scores highest, every rank of
    theirs: customer_id, customer_no, name, outlet_id, rank, code, propensity,
    expected_margin_rmb, tier, kind, similar_share, reason. Names and numbers as the
    personal-data policy allows."""
    if ranking not in ("expected_margin", "propensity"):
        raise ValueError(f"unknown ranking {ranking!r}")
    measure = ScoreProduct.expected_margin_rmb if ranking == "expected_margin" else ScoreProduct.propensity
    with engine.connect() as connection:
        path = _require_run(connection, scope, unit_id, run_id)
        best = (
            select(ScoreProduct.customer_id)
            .where(
                ScoreProduct.run_id == int(run_id),
                ScoreProduct.ranking == ranking,
                ScoreProduct.rank == 1,
                ScoreProduct.outlet_id.in_(_scope_outlets(path)),
            )
            .order_by(measure.desc(), ScoreProduct.customer_id)
            .limit(int(limit))
            .subquery()
        )
        rows = connection.execute(
            select(
                Customer.customer_no,
                Customer.name,
                ScoreProduct.outlet_id,
                *(getattr(ScoreProduct, name) for name in RECOMMENDATION_COLUMNS),
            )
            .join(best, best.c.customer_id == ScoreProduct.customer_id)
            .join(Customer, Customer.id == ScoreProduct.customer_id)
            .where(ScoreProduct.run_id == int(run_id), ScoreProduct.ranking == ranking)
            .order_by(ScoreProduct.customer_id, ScoreProduct.rank)
        ).all()
    frame = rows_frame(
        rows,
        columns=["customer_no", "name", "outlet_id", *RECOMMENDATION_COLUMNS],
    ).astype({"customer_id": "int64", "outlet_id": "int64", "rank": "int64", "propensity": float})
    frame["expected_margin_rmb"] = frame["expected_margin_rmb"].astype(float)
    frame["similar_share"] = frame["similar_share"].astype(float)
    return protect_frame(frame, scope, mask_customer_numbers=True)
