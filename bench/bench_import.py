"""Import of a 1,000,000-row personal-deposit extract: staged + confirmed, on SQLite and PostgreSQL.

Target: ≤ 60 s from upload to confirmed on each backend, in bounded memory. The file
is written from the demo network's customers (every personal customer gets accounts until the
file has the wanted rows), imported in a fresh process through ``data.importer.stage`` and
``confirm``; the time and that process's peak resident memory (VmHWM) are reported.

Usage: ``python -m bench.bench_import [--rows N] [--only sqlite,postgresql]``.
"""

from __future__ import annotations

import argparse
import json
import os
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

IMPORT_PROBE = """
import json, sys, time
from data.db import make_engine
from data.importer import confirm, stage
engine = make_engine(sys.argv[1])
content = open(sys.argv[2], "rb").read()
started = time.perf_counter()
result = stage(engine, "personal_deposits", content, "bench.csv", "bench", trusted=True)
assert result.ok, (result.file_error, result.errors[:3])
staged = time.perf_counter() - started
confirm(engine, result.batch_id, "bench", trusted=True)
total = time.perf_counter() - started
status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines() if ":" in line)
print(json.dumps({"rows": result.rows, "staged_s": staged, "total_s": total,
                  "peak_mib": int(status["VmHWM"].split()[0]) / 1024, "file_mib": len(content) / 2**20}))
"""


def write_extract(url: str, rows: int, path: Path) -> None:
    """A personal-deposit extract for month 2026-11 with ``rows`` accounts of demo customers."""
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
        products = connection.execute(select(Product.code).where(Product.code.in_(("DD-P", "TD-P", "LD-P")))).scalars()
        products = list(products)
    engine.dispose()
    rng = np.random.default_rng(1)
    picks = rng.integers(0, len(customers), rows)
    frame = pd.DataFrame(
        {
            "month": "2026-11",
            "outlet_code": customers.outlet_code.to_numpy()[picks],
            "customer_no": customers.customer_no.to_numpy()[picks],
            "product_code": np.asarray(products)[rng.integers(0, len(products), rows)],
            "account_no": [f"6222{n:015d}" for n in range(rows)],
            "balance_rmb": rng.lognormal(np.log(30_000), 1.5, rows).round(2),
        }
    )
    frame.to_csv(path, index=False)


def timed_import(url: str, path: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    output = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE, url, str(path)], capture_output=True, text=True, env=env, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--only", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="branchscope-import-"))
    lines = [
        f"\n## Import of a {args.rows:,}-row personal-deposit extract ({machine()})\n",
        "| backend | file (MiB) | staged (s) | staged + confirmed (s, target ≤ 60) | peak RSS of the importer (MiB) |",
        "|---|---|---|---|---|",
    ]
    for backend in args.only.split(","):
        schema = PostgresSchema() if backend == "postgresql" else None
        url = schema.__enter__() if schema else f"sqlite:///{workdir / 'import.sqlite'}"
        try:
            build_demo(url, 1.0)
            extract = workdir / "extract.csv"
            write_extract(url, args.rows, extract)
            result = timed_import(url, extract)
            print(f"{backend}: {result}", flush=True)
            lines.append(
                f"| {backend} | {result['file_mib']:.0f} | {result['staged_s']:.1f} | {result['total_s']:.1f} | "
                f"{result['peak_mib']:.0f} |"
            )
        finally:
            if schema:
                schema.__exit__(None, None, None)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
