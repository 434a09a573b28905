"""The full-population demo on PostgreSQL: ``python -m data.demo --customers full`` timed by phase.

Builds the demo with every customer the KPIs count (``--customers full``) into a throw-away
PostgreSQL schema through the export and the folder loader, as ``python -m data.demo`` does, and
appends to bench/RESULTS.md: seconds per phase (generate, export, import, finish: KPI roll-up,
demo users, statistics), seconds and rows per imported file, peak RSS of the process, load
average before and after, rows per table. Target at scale 1 (≈2.8 M customers, ≈25 M
transactions): ≤ 20 min, ≤ 6 GB.

Usage: ``python -m bench.bench_full_demo [--scale 1] [--customers full|sample]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import time

from bench.run import RESULTS, PostgresSchema, machine
from data.db import make_engine
from data.demo import DEFAULT_SEED, generate


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(scale: float, customers: str) -> str:
    """Build the demo and return the Markdown section that records it."""
    phases: list[tuple[str, float]] = []
    files: list[tuple[str, int, float]] = []
    load_before = os.getloadavg()
    started = time.perf_counter()
    with PostgresSchema() as url:
        engine = make_engine(url)
        rows = generate(
            engine,
            scale,
            DEFAULT_SEED,
            with_demo_users=True,
            on_file=lambda loaded, number, total: (
                files.append((loaded.file.name, loaded.rows, loaded.seconds)),
                print(
                    f"  [{number}/{total}] {loaded.file.name}: {loaded.rows:,} rows, {loaded.seconds:.1f} s", flush=True
                ),
            ),
            customers=customers,
            on_phase=lambda name, seconds: (
                phases.append((name, seconds)),
                print(f"{name}: {seconds:.1f} s", flush=True),
            ),
        )
        engine.dispose()
    total = time.perf_counter() - started
    load_after = os.getloadavg()
    lines = [
        f"\n## {dt.date.today().isoformat()} — `python -m bench.bench_full_demo --scale {scale} "
        f"--customers {customers}`\n",
        f"Machine: {machine()}. PostgreSQL. Load average (1/5/15 min) before "
        f"{'/'.join(f'{v:.1f}' for v in load_before)}, after {'/'.join(f'{v:.1f}' for v in load_after)} "
        "(the machine is shared with other agents' work).",
        f"Total {total:.0f} s ({total / 60:.1f} min; target at scale 1 with `--customers full`: ≤ 20 min); "
        f"peak RSS {_peak_rss_mib():,.0f} MiB (target ≤ 6 GB).\n",
        "| phase | seconds |",
        "|---|---|",
        *(f"| {name} | {seconds:.1f} |" for name, seconds in phases),
        "\n| file | rows | seconds | rows/s |",
        "|---|---|---|---|",
        *(
            f"| {name} | {count:,} | {seconds:.1f} | {count / max(seconds, 1e-9):,.0f} |"
            for name, count, seconds in files
        ),
        "\nRows per table: " + ", ".join(f"{name} {count:,}" for name, count in rows.items()) + ".",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--customers", choices=("full", "sample"), default="full")
    args = parser.parse_args(argv)
    section = run(args.scale, args.customers)
    print(section)
    with RESULTS.open("a", encoding="utf-8") as results:
        results.write(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
