"""The synthetic demo network: a regional bank in six real cities of Inner Mongolia.

``generate(engine, scale, seed)`` migrates the database, deletes whatever data it holds (the
audit log and the migrations' reference data are kept) and loads a new network in one
transaction, so a failure leaves the old data in place: it writes the network as a bank's import
files (:mod:`data.demo.export`) and loads that folder through the importer, as a bank's data
goes in. The same seed and scale always give the same data. ``build_demo`` also creates the
demo log-ins and prints one progress line per file. Run it as
``python -m data.demo --scale S --database-url URL``.

What is real: city seats and census populations (data/regions). Everything else is synthetic
and the database says so (``dataset_info.synthetic = true``); see README "Demo data".
"""

from __future__ import annotations

import datetime as dt
import itertools
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.engine import Connection, Engine

from config.metrics import CATALOGUE
from data.bulk import bulk_insert, reset_sequence
from data.db import analyze_tables, upgrade_database
from data.demo.customers import CUSTOMER_COLUMNS, CUSTOMER_RATES, build_customers
from data.demo.export import export_demo
from data.demo.geography import MAX_PROVINCES, build_geography, demo_provinces
from data.demo.import_files import CUSTOMER_EXTRACT
from data.demo.kpis import annual_targets, generate_kpis
from data.demo.network import (
    HUFF_ATTRACTIVENESS_EXPONENT,
    HUFF_DISTANCE_DECAY,
    LAST_MONTH,
    WINDOW_START,
    build_network,
)
from data.demo.parts import CUSTOMER_PARTS, CustomerParts
from data.demo.service import complaints, inspections, lobby_hourly, lobby_service_types
from data.demo.transactions import BGNBD_A, BGNBD_ALPHA, BGNBD_B, BGNBD_R, TXN_START, build_transactions
from data.demo_users import create_demo_users
from data.importer.folder import LoadedFile, load_in_transaction, plan_folder
from data.importer.limits import DEMO_ID_HASH_KEY
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
DEMO_UPLOADER = "demo"  # the import batches' uploader
MIN_SCALE, MAX_SCALE = 0.01, 10.0


def _columns(frame: pd.DataFrame, table) -> pd.DataFrame:
    """The frame's columns that the table has (helper columns dropped)."""
    return frame[[c for c in frame.columns if c in table.c]]


def build_tables(scale: float, seed: int, provinces: int = 1, customers: str = "sample") -> dict[str, pd.DataFrame]:
    """Generate every demo table in memory, keyed by table name (no database needed).

    ``provinces`` 1 is the real province alone (Inner Mongolia, its branch on top of the tree);
    2 … 9 adds that many minus one small synthetic provinces and a head office above them all.
    ``customers`` "sample" (1 in 20 of the KPIs' customers) or "full" (all of them): then the
    holdings, month-end balances and transactions are not in the tables but made a part of the
    customers at a time by the :class:`data.demo.parts.CustomerParts` under ``CUSTOMER_PARTS``.
    """
    if not MIN_SCALE <= scale <= MAX_SCALE:
        raise ValueError(f"scale must be between {MIN_SCALE} and {MAX_SCALE}, got {scale}")
    if not 1 <= provinces <= MAX_PROVINCES:
        raise ValueError(f"provinces must be between 1 and {MAX_PROVINCES}, got {provinces}")
    if customers not in CUSTOMER_RATES:
        raise ValueError(f"customers must be one of {', '.join(CUSTOMER_RATES)}, got {customers!r}")
    full = customers == "full"
    rng = np.random.default_rng(seed)
    cities, districts, grid = build_geography(rng, provinces)
    network = build_network(rng, cities, grid, scale, demo_provinces(provinces))
    outlets = network.units[network.units.level == "outlet"].reset_index(drop=True)
    series = generate_kpis(rng, outlets)
    book = build_customers(
        rng,
        cities,
        grid,
        outlets,
        network.competitors,
        series,
        network.staff,
        network.products,
        CUSTOMER_RATES[customers],
        with_accounts=not full,
    )
    customers_by_outlet = {o: ids.to_numpy() for o, ids in book.customers.groupby("home_outlet_id").id}
    metrics = pd.DataFrame([{**m.__dict__, "display_order": i} for i, m in enumerate(CATALOGUE)])
    if full:
        accounts = {CUSTOMER_PARTS: CustomerParts(seed, book.customers, outlets, network.products)}
    else:
        accounts = {
            Holding.__tablename__: book.holdings,
            BalanceMonthly.__tablename__: book.balances,
            Txn.__tablename__: build_transactions(rng, book.customers, outlets, network.products),
        }
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
        **accounts,
        LobbyHourly.__tablename__: (lobby := lobby_hourly(rng, outlets, series)),
        # Its own stream, so that adding this table left every other demo table as it was.
        LobbyServiceType.__tablename__: lobby_service_types(np.random.default_rng([seed, 7]), outlets, lobby),
        Complaint.__tablename__: complaints(rng, series, customers_by_outlet),
        Inspection.__tablename__: inspections(rng, outlets, series),
    }


def dataset_facts(scale: float, seed: int, provinces: int = 1, customers: str = "sample") -> dict[str, str]:
    """What ``dataset_info`` records about a demo build (true model parameters included)."""
    invented = [p.code for p in demo_provinces(provinces) if p.synthetic]
    return {
        "synthetic": "true",
        "source": "BranchScope demo generator",
        "region": "Inner Mongolia",
        **({"provinces": str(provinces), "synthetic_provinces": ",".join(invented)} if invented else {}),
        "seed": str(seed),
        "scale": str(scale),
        "first_month": WINDOW_START.isoformat(),
        "last_month": LAST_MONTH.isoformat(),
        "txn_start": TXN_START.isoformat(),
        "customer_sample_rate": str(CUSTOMER_RATES[customers]),
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
    """Delete all data but the audit log and the migrations' reference data (metric catalogue),
    children before parents."""
    kept = {AuditLog.__tablename__, Metric.__tablename__}
    if connection.dialect.name == "postgresql":
        names = ", ".join(t.name for t in Base.metadata.sorted_tables if t.name not in kept)
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))  # our own table names
        return
    connection.execute(update(OrgUnit).values(merged_into_id=None))
    for table in reversed(Base.metadata.sorted_tables):
        if table.name not in kept:
            connection.execute(delete(table))


def _mark_data_origin(connection: Connection, units: pd.DataFrame) -> None:
    """Write ``org_unit.data_origin`` (not in the import files) for the units that have one, by code."""
    if "data_origin" not in units:
        return
    marked = units.loc[units["data_origin"].notna(), ["code", "data_origin"]]
    for origin, codes in marked.groupby("data_origin")["code"]:
        connection.execute(update(OrgUnit).where(OrgUnit.code.in_(codes.tolist())).values(data_origin=origin))


def _rows_per_table(connection: Connection, names) -> dict[str, int]:
    """Rows now in each table of ``names``."""
    tables = Base.metadata.tables
    return {name: connection.execute(select(func.count()).select_from(tables[name])).scalar() for name in names}


def generate(
    engine: Engine,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    with_demo_users: bool = False,
    on_file: Callable[[LoadedFile, int, int], None] | None = None,
    provinces: int = 1,
    customers: str = "sample",
    on_phase: Callable[[str, float], None] | None = None,
) -> dict[str, int]:
    """Replace the database's data with a new demo network; returns rows per table.

    The demo goes in the way a bank's data does: :func:`data.demo.export.export_demo` writes it
    as import files into a temporary folder, and the folder loader stages and confirms every file
    (:func:`data.importer.folder.load_in_transaction`), so every row but the reference data
    (district outlines, the metric catalogue of the migrations) passed the importer's checks.
    All in one transaction: a failure leaves the old data in place. ``on_file(loaded, number,
    total)`` is called after each file (the progress display of ``build_demo``). With
    ``with_demo_users`` the demo log-ins are created in the same transaction. ``provinces``: see
    :func:`build_tables`; the units' ``data_origin`` (real or synthetic province), which the
    import files do not carry, is written after the load. ``customers``: "sample" or "full"
    (see :func:`build_tables`). ``on_phase(name, seconds)`` is told how long generating,
    exporting and loading took (the benchmark's phases).
    """
    phase = _Phases(on_phase)
    tables = build_tables(scale, seed, provinces, customers)
    phase("generate")
    upgrade_database(engine)
    facts = dataset_facts(scale, seed, provinces, customers)
    with tempfile.TemporaryDirectory(prefix="branchscope-demo-") as folder:
        export_demo(Path(folder), tables)
        files = plan_folder(Path(folder))
        names = [name for name in tables if name in Base.metadata.tables]
        if CUSTOMER_PARTS in tables:
            names += [Holding.__tablename__, BalanceMonthly.__tablename__, Txn.__tablename__]
        districts, units = tables[District.__tablename__], tables[OrgUnit.__tablename__]
        del tables  # the generated frames (millions of customers in the full demo) are in the files now
        phase("export")
        numbers = itertools.count(1)
        with engine.begin() as connection:
            _clear(connection)
            bulk_insert(connection, District.__table__, districts)  # reference geography
            reset_sequence(connection, District.__table__)
            outcome = load_in_transaction(
                connection,
                files,
                DEMO_UPLOADER,
                on_file=None if on_file is None else lambda loaded: on_file(loaded, next(numbers), len(files)),
                id_hash_key=DEMO_ID_HASH_KEY,
            )
            if not outcome.ok:
                refusal = outcome.refusal
                problems = refusal.file_error or [(e.row, e.column, e.key) for e in refusal.errors[:5]]
                raise RuntimeError(f"the demo's file {outcome.refused.name} was refused: {problems}")
            phase("import")
            _mark_data_origin(connection, units)
            connection.execute(delete(DatasetInfo))  # the imports left a data version; the facts replace it
            bulk_insert(
                connection, DatasetInfo.__table__, pd.DataFrame({"key": list(facts), "value": list(facts.values())})
            )
            refresh_kpi_rollup(connection)  # the KPI roll-up of the explorer, built for this data version
            rows = _rows_per_table(connection, names)
            if with_demo_users:
                rows["app_user"] = len(create_demo_users(connection))
            # Planner statistics for the new rows: without them PostgreSQL plans the KPI roll-ups
            # as if the tables were empty (measured: 137 s instead of 0.85 s right after a load).
            analyze_tables(connection)
            phase("finish")
    return rows


class _Phases:
    """Calls ``report(name, seconds since the previous phase)`` when a phase ends (if given)."""

    def __init__(self, report: Callable[[str, float], None] | None):
        self.report, self.started = report, time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        if self.report is not None:
            self.report(name, now - self.started)
        self.started = now


def _print_progress(loaded: LoadedFile, number: int, total: int) -> None:
    """One line per loaded file: ``[6/20] 06_personal_deposits.csv: 2,501,060 rows, 40.0 s``."""
    print(f"  [{number}/{total}] {loaded.file.name}: {loaded.rows:,} rows, {loaded.seconds:.1f} s", flush=True)


def build_demo(
    engine: Engine,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    quiet: bool = False,
    provinces: int = 1,
    customers: str = "sample",
) -> dict[str, int]:
    """``generate`` with the demo log-ins; prints rows per table and the time taken unless ``quiet``."""
    started = time.perf_counter()
    if not quiet:
        print(
            f"Building the demo network (scale {scale}, customers: {customers}): generating its import files, "
            "then loading them",
            flush=True,
        )
    progress = None if quiet else _print_progress
    phases = None if quiet else (lambda name, seconds: print(f"  {name}: {seconds:.1f} s", flush=True))
    rows = generate(
        engine,
        scale,
        seed,
        with_demo_users=True,
        on_file=progress,
        provinces=provinces,
        customers=customers,
        on_phase=phases,
    )
    if not quiet:
        width = max(len(name) for name in rows)
        for name, count in rows.items():
            print(f"  {name:<{width}} {count:>10,}")
        print(f"Demo network built in {time.perf_counter() - started:.1f} s (scale {scale}, seed {seed}).")
    return rows
