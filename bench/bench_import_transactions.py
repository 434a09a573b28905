"""Import of a 5,000,000-row transaction extract (交易流水): staged + confirmed, on SQLite and PostgreSQL.

Target: ≤ 5 min from upload to confirmed on each backend, in bounded memory. Each
backend gets a fresh migrated database holding a bank of ``--outlets`` outlets and
``--customers`` customers (10 % corporate) and the demo product shelf, loaded directly; the
extract is written deterministically (seed 13) into a temporary folder, in slices, and imported
in a fresh process through ``data.importer.stage`` and ``confirm``. Reported: the time of each
phase (reading the file, validating the cells, the check of serial numbers already in the
database, writing the staging rows, the check of repeats in the file, confirming), the total,
and that process's peak resident memory (VmHWM), with the load average around the run.

Usage: ``python -m bench.bench_import_transactions [--rows N] [--customers N] [--only sqlite,postgresql]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from bench.run import PostgresSchema, machine
from config.settings import PROJECT_ROOT
from data.bulk import bulk_insert
from data.db import make_engine, upgrade_database
from data.schema import CHANNELS, Customer, OrgUnit, Product

SEED = 13
SLICE_ROWS = 500_000  # rows generated and written at a time (bounds the generator's memory)
FIRST_DAY = np.datetime64("2025-01-01T00:00:00", "s")
DAYS = 669  # 2025-01-01 … 2026-10-31
CHANNEL_SHARES = (0.22, 0.12, 0.10, 0.46, 0.10)  # counter, smart machine, ATM, mobile, online
COUNTER_BUSINESS = np.array(["cash", "transfer", "account_opening", "card", "wealth", "loan", "corporate", "other"])
REVERSAL_SHARE = 0.02

# Runs in a fresh process: the phases are timed by wrapping the pipeline's steps (the pipeline
# itself is not changed), SQL statements of the confirm by the engine's cursor events.
IMPORT_PROBE = """
import json, sys, time
from collections import defaultdict
from sqlalchemy import event
import data.importer.pipeline as pipeline
from data.db import make_engine

spent = defaultdict(float)

def timed(name, function):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - started
    return wrapper

def timed_chunks(function):
    def wrapper(*args, **kwargs):
        chunks = function(*args, **kwargs)
        while True:
            started = time.perf_counter()
            try:
                chunk = next(chunks)
            except StopIteration:
                spent["read"] += time.perf_counter() - started
                return
            spent["read"] += time.perf_counter() - started
            yield chunk
    return wrapper

pipeline._already_in_database = timed("existing", pipeline._already_in_database)
pipeline.validate_chunk = timed("validate", pipeline.validate_chunk)
pipeline.read_chunks = timed_chunks(pipeline.read_chunks)
pipeline.bulk_insert = timed("staging_insert", pipeline.bulk_insert)
pipeline._repeated_keys = timed("repeats", pipeline._repeated_keys)

engine = make_engine(sys.argv[1])
statements = defaultdict(float)

@event.listens_for(engine, "before_cursor_execute")
def _before(connection, cursor, statement, parameters, context, executemany):
    connection.info["started"] = time.perf_counter()

@event.listens_for(engine, "after_cursor_execute")
def _after(connection, cursor, statement, parameters, context, executemany):
    words = " ".join(statement.split()[:3]).upper()
    statements[words] += time.perf_counter() - connection.info.pop("started")

content = open(sys.argv[2], "rb").read()
started = time.perf_counter()
result = pipeline.stage(engine, "transactions", content, "bench.csv", "bench", trusted=True)
assert result.ok, (result.file_error, result.errors[:3], result.error_count)
staged = time.perf_counter() - started
confirm_statements_before = dict(statements)
pipeline.confirm(engine, result.batch_id, "bench", trusted=True)
total = time.perf_counter() - started
confirm_sql = {k: v - confirm_statements_before.get(k, 0.0) for k, v in statements.items()}
status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines() if ":" in line)
print(json.dumps({
    "rows": result.rows, "staged_s": staged, "confirm_s": total - staged, "total_s": total,
    "phases_s": dict(spent),
    "confirm_sql_s": {k: round(v, 2) for k, v in sorted(confirm_sql.items(), key=lambda kv: -kv[1]) if v >= 0.05},
    "peak_mib": int(status["VmHWM"].split()[0]) / 1024, "file_mib": len(content) / 2**20,
}))
"""


def load_bank(url: str, outlets: int, customers: int) -> None:
    """A migrated database with a region, one city branch, ``outlets`` outlets under 10 sub-branches,
    the demo product shelf and ``customers`` customers (every tenth corporate)."""
    from data.demo.network import build_products

    engine = make_engine(url)
    upgrade_database(engine)
    units = [(1, None, "region", "/1/"), (2, 1, "city_branch", "/1/2/")]
    units += [(3 + s, 2, "sub_branch", f"/1/2/{3 + s}/") for s in range(10)]
    first_outlet = 3 + 10
    units += [
        (first_outlet + o, 3 + o % 10, "outlet", f"/1/2/{3 + o % 10}/{first_outlet + o}/") for o in range(outlets)
    ]
    tree = pd.DataFrame(units, columns=["id", "parent_id", "level", "path"])
    tree = tree.assign(
        code=[f"B{i:05d}" for i in tree.id],
        name_zh=[f"网点{i}" for i in tree.id],
        name_en=[f"Unit {i}" for i in tree.id],
        status="open",
        city_code="150100",
        outlet_type=np.where(tree.level == "outlet", "sub_office", None),
        lon=111.7,
        lat=40.8,
    )
    rng = np.random.default_rng(SEED)
    corporate = np.arange(customers) % 10 == 9
    people = pd.DataFrame(
        {
            "id": np.arange(1, customers + 1),
            "customer_no": [f"{'C' if c else 'P'}{i:010d}" for i, c in enumerate(corporate, start=1)],
            "kind": np.where(corporate, "corporate", "personal"),
            "name": "客户",
            "id_number_hash": "0" * 64,
            "home_outlet_id": first_outlet + rng.integers(0, outlets, customers),
            "opened_on": dt.date(2015, 1, 1),
            "is_key_customer": False,
        }
    )
    with engine.begin() as connection:
        bulk_insert(connection, OrgUnit.__table__, tree)
        bulk_insert(connection, Product.__table__, build_products())
        bulk_insert(connection, Customer.__table__, people)
    engine.dispose()


def extract_slice(rng: np.random.Generator, start: int, rows: int, bank: pd.DataFrame) -> pd.DataFrame:
    """Rows ``start`` … ``start + rows − 1`` of the extract: customers drawn at random, in-branch
    channels mostly at the home outlet, counter business typed, 2 % reversals."""
    picks = rng.integers(0, len(bank), rows)
    channel = np.asarray(CHANNELS)[rng.choice(len(CHANNELS), rows, p=CHANNEL_SHARES)]
    seconds = rng.integers(0, DAYS * 86_400, rows)
    at = np.datetime_as_string(FIRST_DAY + seconds.astype("timedelta64[s]"), unit="s")
    personal = bank.personal.to_numpy()[picks]
    amount = rng.lognormal(np.log(np.where(personal, 800.0, 40_000.0)), 1.2).round(2)
    amount = np.where(rng.random(rows) < REVERSAL_SHARE, -amount, amount)
    away = rng.random(rows) < 0.1
    outlet = np.where(
        away, bank.outlet_code.to_numpy()[rng.integers(0, len(bank), rows)], bank.outlet_code.to_numpy()[picks]
    )
    return pd.DataFrame(
        {
            "txn_no": np.char.add("2026", np.char.zfill(np.arange(start, start + rows).astype(str), 12)),
            "customer_no": bank.customer_no.to_numpy()[picks],
            "outlet_code": outlet,
            "txn_at": np.char.replace(at, "T", " "),
            "channel": channel,
            "business_type": np.where(channel == "counter", COUNTER_BUSINESS[rng.integers(0, 8, rows)], ""),
            "product_code": np.where(rng.random(rows) < 0.7, np.where(personal, "DD-P", "DD-C"), ""),
            "amount_rmb": amount,
        }
    )


def write_extract(url: str, rows: int, path: Path) -> None:
    """The extract, written slice by slice (same bytes for the same rows and bank)."""
    from sqlalchemy import select

    engine = make_engine(url)
    with engine.connect() as connection:
        bank = pd.DataFrame(
            connection.execute(
                select(Customer.customer_no, Customer.kind, OrgUnit.code)
                .join(OrgUnit, OrgUnit.id == Customer.home_outlet_id)
                .order_by(Customer.id)
            ).all(),
            columns=["customer_no", "kind", "outlet_code"],
        )
    engine.dispose()
    bank["personal"] = bank.kind == "personal"
    rng = np.random.default_rng(SEED)
    with path.open("w", encoding="utf-8", newline="") as handle:
        for start in range(0, rows, SLICE_ROWS):
            frame = extract_slice(rng, start, min(SLICE_ROWS, rows - start), bank)
            frame.to_csv(handle, index=False, header=start == 0, lineterminator="\n")


def timed_import(url: str, path: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    output = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE, url, str(path)], capture_output=True, text=True, env=env, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def phase_line(result: dict) -> str:
    phases = result["phases_s"]
    parts = [
        f"{name} {phases.get(name, 0.0):.1f}" for name in ("read", "validate", "existing", "staging_insert", "repeats")
    ]
    return ", ".join(parts) + f", confirm {result['confirm_s']:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--customers", type=int, default=150_000)
    parser.add_argument("--outlets", type=int, default=200)
    parser.add_argument("--only", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="branchscope-txn-import-"))
    lines = [
        f"\n## Import of a {args.rows:,}-row transaction extract ({machine()})\n",
        f"{dt.date.today().isoformat()}, `python -m bench.bench_import_transactions --rows {args.rows}`; "
        f"{args.customers:,} customers, {args.outlets} outlets, empty `txn` table.\n",
        "| backend | file (MiB) | staged (s) | staged + confirmed (s, target ≤ 300) | peak RSS (MiB) "
        "| load before / after | phases (s): read, validate, existing keys, staging insert, repeats, confirm |",
        "|---|---|---|---|---|---|---|",
    ]
    try:
        for backend in args.only.split(","):
            schema = PostgresSchema() if backend == "postgresql" else None
            url = schema.__enter__() if schema else f"sqlite:///{workdir / 'import.sqlite'}"
            try:
                load_bank(url, args.outlets, args.customers)
                extract = workdir / "transactions.csv"
                if not extract.exists():
                    write_extract(url, args.rows, extract)
                load_before = os.getloadavg()[0]
                result = timed_import(url, extract)
                load_after = os.getloadavg()[0]
                print(f"{backend}: {json.dumps(result)}", flush=True)
                lines.append(
                    f"| {backend} | {result['file_mib']:.0f} | {result['staged_s']:.1f} | {result['total_s']:.1f} | "
                    f"{result['peak_mib']:.0f} | {load_before:.1f} / {load_after:.1f} | {phase_line(result)} |"
                )
            finally:
                if schema:
                    schema.__exit__(None, None, None)
    finally:
        for leftover in workdir.iterdir():
            leftover.unlink()
        workdir.rmdir()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
