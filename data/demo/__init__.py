"""The synthetic demo network: a regional bank in six real cities of Inner Mongolia.

``generate(engine, scale, seed)`` migrates the database, deletes whatever data it holds (the
audit log is kept) and loads a new network in one transaction, so a failure leaves the old data
in place. The same seed and scale always give the same data. ``build_demo`` also creates the
demo log-ins. Run it as ``python -m data.demo --scale S --database-url URL``.

What is real: city seats and census populations (data/regions). Everything else is synthetic
and the database says so (``dataset_info.synthetic = true``); see README "Demo data".
"""

from __future__ import annotations

import datetime as dt
import time
import uuid

import numpy as np
import pandas as pd
from sqlalchemy import delete, select, text, update
from sqlalchemy.engine import Connection, Engine

from config.metrics import CATALOGUE
from data.bulk import bulk_insert, reset_sequence
from data.db import analyze_tables, upgrade_database
from data.demo.customers import CUSTOMER_COLUMNS, SAMPLE_RATE, build_customers
from data.demo.geography import build_geography
from data.demo.import_files import IMPORTED_TABLES, import_file
from data.demo.kpis import annual_targets, generate_kpis
from data.demo.network import (
    HUFF_ATTRACTIVENESS_EXPONENT,
    HUFF_DISTANCE_DECAY,
    LAST_MONTH,
    WINDOW_START,
    build_network,
)
from data.demo.service import complaints, inspections, lobby_hourly, lobby_service_types
from data.demo.transactions import BGNBD_A, BGNBD_ALPHA, BGNBD_B, BGNBD_R, TXN_START, build_transactions
from data.demo_users import create_demo_users
from data.importer.limits import DEMO_ID_HASH_KEY
from data.importer.pipeline import confirm_in_transaction, stage_in_transaction
from data.kpi_rollup import refresh_kpi_rollup
from data.schema import (
    AuditLog,
    BalanceMonthly,
    Base,
    CompetitorOutlet,
    Complaint,
    Customer,
    DatasetInfo,
    DemandCell,
    District,
    Holding,
    Inspection,
    KpiMonthly,
    LobbyHourly,
    LobbyServiceType,
    Metric,
    OrgUnit,
    OrgUnitEvent,
    Product,
    Staff,
    Target,
    Txn,
)

DEFAULT_SEED = 20261123
CUSTOMER_EXTRACT = "customer_extract"  # not a table: the customer file's source
MIN_SCALE, MAX_SCALE = 0.01, 10.0


def _columns(frame: pd.DataFrame, table) -> pd.DataFrame:
    """The frame's columns that the table has (helper columns dropped)."""
    return frame[[c for c in frame.columns if c in table.c]]


def build_tables(scale: float, seed: int) -> dict[str, pd.DataFrame]:
    """Generate every demo table in memory, keyed by table name (no database needed)."""
    if not MIN_SCALE <= scale <= MAX_SCALE:
        raise ValueError(f"scale must be between {MIN_SCALE} and {MAX_SCALE}, got {scale}")
    rng = np.random.default_rng(seed)
    cities, districts, grid = build_geography(rng)
    network = build_network(rng, cities, grid, scale)
    outlets = network.units[network.units.level == "outlet"].reset_index(drop=True)
    series = generate_kpis(rng, outlets)
    book = build_customers(rng, cities, grid, outlets, network.competitors, series, network.staff, network.products)
    customers_by_outlet = {o: ids.to_numpy() for o, ids in book.customers.groupby("home_outlet_id").id}
    metrics = pd.DataFrame([{**m.__dict__, "display_order": i} for i, m in enumerate(CATALOGUE)])
    return {
        District.__tablename__: districts,
        OrgUnit.__tablename__: _columns(network.units, OrgUnit.__table__),
        OrgUnitEvent.__tablename__: network.events,
        Product.__tablename__: network.products,
        Staff.__tablename__: network.staff,
        CompetitorOutlet.__tablename__: _columns(network.competitors, CompetitorOutlet.__table__),
        DemandCell.__tablename__: _columns(grid, DemandCell.__table__),
        Metric.__tablename__: metrics,
        KpiMonthly.__tablename__: series.frame(),
        Target.__tablename__: annual_targets(series, network.units),
        Customer.__tablename__: book.customers[list(CUSTOMER_COLUMNS)],
        CUSTOMER_EXTRACT: book.customers,  # with the raw ID and phone numbers the import hashes and masks
        Holding.__tablename__: book.holdings,
        BalanceMonthly.__tablename__: book.balances,
        Txn.__tablename__: build_transactions(rng, book.customers, outlets, network.products),
        LobbyHourly.__tablename__: (lobby := lobby_hourly(rng, outlets, series)),
        # Its own stream, so that adding this table left every other demo table as it was.
        LobbyServiceType.__tablename__: lobby_service_types(np.random.default_rng([seed, 7]), outlets, lobby),
        Complaint.__tablename__: complaints(rng, series, customers_by_outlet),
        Inspection.__tablename__: inspections(rng, outlets, series),
    }


def dataset_facts(scale: float, seed: int) -> dict[str, str]:
    """What ``dataset_info`` records about a demo build (true model parameters included)."""
    return {
        "synthetic": "true",
        "source": "BranchScope demo generator",
        "region": "Inner Mongolia",
        "seed": str(seed),
        "scale": str(scale),
        "first_month": WINDOW_START.isoformat(),
        "last_month": LAST_MONTH.isoformat(),
        "txn_start": TXN_START.isoformat(),
        "customer_sample_rate": str(SAMPLE_RATE),
        "huff_lambda": str(HUFF_DISTANCE_DECAY),
        "huff_alpha": str(HUFF_ATTRACTIVENESS_EXPONENT),
        "bgnbd_r": str(BGNBD_R),
        "bgnbd_alpha_per_day": str(BGNBD_ALPHA),
        "bgnbd_a": str(BGNBD_A),
        "bgnbd_b": str(BGNBD_B),
        "generated_at": dt.datetime.now().isoformat(timespec="seconds"),
        "data_version": f"demo-{seed}-{scale}-{uuid.uuid4().hex[:12]}",
    }


def _clear(connection: Connection) -> None:
    """Delete all data but the audit log, children before parents."""
    if connection.dialect.name == "postgresql":
        names = ", ".join(t.name for t in Base.metadata.sorted_tables if t.name != AuditLog.__tablename__)
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))  # our own table names
        return
    connection.execute(update(OrgUnit).values(merged_into_id=None))
    for table in reversed(Base.metadata.sorted_tables):
        if table.name != AuditLog.__tablename__:
            connection.execute(delete(table))


def _import(connection: Connection, table: str, tables: dict[str, pd.DataFrame]) -> int:
    """Load one generated table through the import pipeline (stage, then confirm)."""
    kind = IMPORTED_TABLES[table]
    content = import_file(table, tables, tables[CUSTOMER_EXTRACT])
    result = stage_in_transaction(connection, kind, content, f"demo_{kind}.csv", "demo", id_hash_key=DEMO_ID_HASH_KEY)
    if not result.ok:
        problems = result.file_error or [(e.row, e.column, e.key) for e in result.errors[:5]]
        raise RuntimeError(f"the demo's {kind} file was refused: {problems}")
    return confirm_in_transaction(connection, result.batch_id, "demo")


def _load(connection: Connection, tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Insert the tables in dependency order; returns rows per table.

    Master data (tree, products, staff, catalogue) goes in directly; the extracts a bank would
    deliver go through the import pipeline. Customers get their ids from the database there,
    so the generator's customer ids are mapped to them in the tables that refer to customers.
    """
    rows = {}
    units = tables[OrgUnit.__tablename__]
    direct = [t for t in Base.metadata.sorted_tables if t.name in tables and t.name not in IMPORTED_TABLES]
    for table in [t for t in direct if "customer_id" not in t.c]:  # master data first
        frame = tables[table.name]
        if table is OrgUnit.__table__:
            frame = frame.drop(columns="merged_into_id")  # set below: it may point at a later row
        rows[table.name] = bulk_insert(connection, table, frame)
        if "id" in table.c and "id" in frame.columns:
            reset_sequence(connection, table)
    for name in IMPORTED_TABLES:  # then the extracts, through the import pipeline
        rows[name] = _import(connection, name, tables)
    customers = tables[Customer.__tablename__]
    loaded = dict(connection.execute(select(Customer.customer_no, Customer.id)).all())
    customer_ids = customers.set_index("id").customer_no.map(loaded)
    for table in [t for t in direct if "customer_id" in t.c]:  # then what refers to customers
        frame = tables[table.name]
        frame = frame.assign(customer_id=frame.customer_id.map(customer_ids).astype("Int64"))
        rows[table.name] = bulk_insert(connection, table, frame)
        if "id" in table.c and "id" in frame.columns:
            reset_sequence(connection, table)
    for unit_id, target in units.loc[units.merged_into_id.notna(), ["id", "merged_into_id"]].itertuples(index=False):
        connection.execute(update(OrgUnit).where(OrgUnit.id == int(unit_id)).values(merged_into_id=int(target)))
    return rows


def generate(
    engine: Engine, scale: float = 1.0, seed: int = DEFAULT_SEED, with_demo_users: bool = False
) -> dict[str, int]:
    """Replace the database's data with a new demo network; returns rows per table.

    With ``with_demo_users`` the demo log-ins are created in the same transaction.
    """
    tables = build_tables(scale, seed)
    upgrade_database(engine)
    facts = dataset_facts(scale, seed)
    with engine.begin() as connection:
        _clear(connection)
        rows = _load(connection, tables)
        connection.execute(delete(DatasetInfo))  # the imports left a data version; the facts replace it
        bulk_insert(
            connection, DatasetInfo.__table__, pd.DataFrame({"key": list(facts), "value": list(facts.values())})
        )
        refresh_kpi_rollup(connection)  # the KPI roll-up of the explorer, built for this data version
        if with_demo_users:
            rows["app_user"] = len(create_demo_users(connection))
        # Planner statistics for the new rows: without them PostgreSQL plans the KPI roll-ups
        # as if the tables were empty (measured: 137 s instead of 0.85 s right after a load).
        analyze_tables(connection)
    return rows


def build_demo(engine: Engine, scale: float = 1.0, seed: int = DEFAULT_SEED, quiet: bool = False) -> dict[str, int]:
    """``generate`` with the demo log-ins; prints rows per table and the time taken unless ``quiet``."""
    started = time.perf_counter()
    rows = generate(engine, scale, seed, with_demo_users=True)
    if not quiet:
        width = max(len(name) for name in rows)
        for name, count in rows.items():
            print(f"  {name:<{width}} {count:>10,}")
        print(f"Demo network built in {time.perf_counter() - started:.1f} s (scale {scale}, seed {seed}).")
    return rows
