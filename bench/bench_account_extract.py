"""A 1,000,000-row account extract from upload to derived figures, on SQLite and PostgreSQL.

Target: staged, confirmed (customers' month-end balances and holdings derived),
marked complete (the outlets' deposit and 日均 KPIs derived, written to ``kpi_monthly`` and the
KPI roll-up rebuilt) in ≤ 90 s on each backend, in bounded memory. The file is a personal-deposit
extract for the month after the demo's last (so the derived KPIs are new rows) with every
optional column filled (日均, opening, maturity of time deposits, closing of 2 % of accounts),
over the demo's personal customers at their home outlets; it goes through
``data.importer.stage`` / ``confirm`` and ``data.accounts.mark_complete`` in a fresh process
whose peak resident memory (VmHWM) is reported, with the time of every phase.

Usage: ``python -m bench.bench_account_extract [--rows N] [--only sqlite,postgresql] [--scale S]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import select

from bench.run import PostgresSchema, build_demo, machine
from config.settings import PROJECT_ROOT
from data.db import make_engine
from data.schema import Customer, OrgUnit, Product

MONTH = "2026-11"  # the month after the demo's last
PHASES = ("stage", "confirm_insert", "scope", "rows", "balances", "holdings", "outlet_kpis", "kpi_monthly", "rollup")

PROBE = """
import json, os, resource, sys, time
from collections import defaultdict
from data import accounts, kpi_rollup
from data.db import make_engine
from data.importer import confirm, stage

spent = defaultdict(float)

def timed(module, name, phase):
    inner = getattr(module, name)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[phase] += time.perf_counter() - started
    setattr(module, name, wrapper)

for name, phase in (("add_batch_to_scope", "scope"), ("collect_rows", "rows"), ("derive_balances", "balances"),
                    ("derive_holdings", "holdings"), ("derive_account_kpis", "outlet_kpis"),
                    ("write_derived_kpis", "kpi_monthly")):
    timed(accounts, name, phase)
timed(kpi_rollup, "refresh_kpi_rollup", "rollup")
engine = make_engine(sys.argv[1])
content = open(sys.argv[2], "rb").read()
started = time.perf_counter()
result = stage(engine, "personal_deposits", content, "bench.csv", "bench", trusted=True)
assert result.ok, (result.file_error, result.errors[:3])
spent["stage"] = time.perf_counter() - started
before = sum(spent.values())
confirm(engine, result.batch_id, "bench", trusted=True)
confirmed = time.perf_counter() - started
spent["confirm_insert"] = confirmed - spent["stage"] - (sum(spent.values()) - before)
pairs = accounts.mark_complete(engine, result.batch_id, "bench", trusted=True)
total = time.perf_counter() - started
status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines() if ":" in line)
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"rows": result.rows, "pairs": pairs, "confirmed_s": confirmed, "total_s": total,
                  "mark_s": total - confirmed, "phases": dict(spent), "cpu_s": usage.ru_utime + usage.ru_stime,
                  "load": os.getloadavg()[0],
                  "peak_mib": int(status["VmHWM"].split()[0]) / 1024, "file_mib": len(content) / 2**20}))
"""


def write_extract(url: str, rows: int, path: Path) -> None:
    """A personal-deposit extract of ``rows`` accounts of the demo's personal customers, with
    every optional column: 日均 near the balance, opening dates, maturities of time deposits, and
    2 % of accounts closed in the month (balance 0)."""
    engine = make_engine(url)
    with engine.connect() as connection:
        customers = pd.DataFrame(
            connection.execute(
                select(Customer.customer_no, OrgUnit.code)
                .join(OrgUnit, OrgUnit.id == Customer.home_outlet_id)
                .where(Customer.kind == "personal")
            ).all(),
            columns=["customer_no", "outlet_code"],
        )
        products = list(
            connection.execute(select(Product.code).where(Product.code.in_(("DD-P", "TD-P", "LD-P")))).scalars()
        )
    engine.dispose()
    rng = np.random.default_rng(1)
    picks = rng.integers(0, len(customers), rows)
    product = np.asarray(products)[rng.integers(0, len(products), rows)]
    balance = rng.lognormal(np.log(30_000), 1.5, rows).round(2)
    opened = pd.Timestamp("2010-01-01") + pd.to_timedelta(rng.integers(0, 6_000, rows), unit="D")
    term = product != "DD-P"
    matures = (opened + pd.to_timedelta(np.where(term, 365 * rng.integers(1, 6, rows), 0), unit="D")).strftime(
        "%Y-%m-%d"
    )
    closed = rng.random(rows) < 0.02
    frame = pd.DataFrame(
        {
            "month": MONTH,
            "outlet_code": customers.outlet_code.to_numpy()[picks],
            "customer_no": customers.customer_no.to_numpy()[picks],
            "product_code": product,
            "account_no": [f"6222{n:015d}" for n in range(rows)],
            "balance_rmb": np.where(closed, 0.0, balance),
            "daily_average_rmb": (balance * rng.uniform(0.9, 1.1, rows)).round(2),
            "opened_on": opened.strftime("%Y-%m-%d"),
            "matures_on": np.where(term, matures, ""),
            "closed_on": np.where(closed, f"{MONTH}-20", ""),
        }
    )
    frame.to_csv(path, index=False)


def timed_run(url: str, path: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    output = subprocess.run(
        [sys.executable, "-c", PROBE, url, str(path)], capture_output=True, text=True, env=env, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def table_lines(rows: int, results: list[tuple[str, dict]]) -> list[str]:
    """The markdown table of the runs: total, the three steps, each phase, memory."""
    lines = [
        f"\n## A {rows:,}-row account extract from upload to derived figures ({machine()})\n",
        "| backend | file (MiB) | staged + confirmed + marked (s, target ≤ 90) | stage | confirm | mark complete "
        "| importer CPU (s) | load average | peak RSS (MiB) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for backend, result in results:
        lines.append(
            f"| {backend} | {result['file_mib']:.0f} | {result['total_s']:.1f} | {result['phases']['stage']:.1f} | "
            f"{result['confirmed_s'] - result['phases']['stage']:.1f} | {result['mark_s']:.1f} | "
            f"{result['cpu_s']:.1f} | {result['load']:.1f} | {result['peak_mib']:.0f} |"
        )
    lines += ["", "Phases (s): " + ", ".join(PHASES), "", "| backend | " + " | ".join(PHASES) + " |"]
    lines.append("|---" * (len(PHASES) + 1) + "|")
    for backend, result in results:
        lines.append(f"| {backend} | " + " | ".join(f"{result['phases'].get(p, 0.0):.1f}" for p in PHASES) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--only", default="sqlite,postgresql")
    parser.add_argument("--scale", type=float, default=1.0, help="demo scale of the database loaded into")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="branchscope-accounts-"))
    results = []
    try:
        run_backends(args, workdir, results)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("\n".join(table_lines(args.rows, results)))
    return 0


def run_backends(args, workdir: Path, results: list) -> None:
    """Build the demo, write the extract and time it on every backend asked for."""
    for backend in args.only.split(","):
        schema = PostgresSchema() if backend == "postgresql" else None
        url = schema.__enter__() if schema else f"sqlite:///{workdir / 'accounts.sqlite'}"
        try:
            build_demo(url, args.scale)
            extract = workdir / "extract.csv"
            write_extract(url, args.rows, extract)
            result = timed_run(url, extract)
            print(f"{backend}: {json.dumps(result)}", flush=True)
            results.append((backend, result))
        finally:
            if schema:
                schema.__exit__(None, None, None)


if __name__ == "__main__":
    sys.exit(main())
