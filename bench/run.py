"""Benchmarks of the app's foundations (demo build, network overview, memory); ``make bench``
runs them and appends to bench/RESULTS.md.

1. ``make demo`` at the default scale on SQLite and PostgreSQL (export as import files, then load
   them through the importer): seconds and rows per table.
2. Network overview for the regional executive on the default demo, on SQLite and PostgreSQL:
   first render (cold caches) and warm rerun, measured server-side with AppTest (the time of
   the script run that produces the page; the browser's drawing is not included).
3. Peak memory of the app process rendering the overview at two demo scales, to show that
   headline KPIs come from SQL aggregates and memory does not grow with transaction rows.

Usage: ``python -m bench.run [--only demo,overview,memory] [--scales 0.5,2]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import text

from config.settings import PROJECT_ROOT
from data.db import make_engine

RESULTS = PROJECT_ROOT / "bench" / "RESULTS.md"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://root@127.0.0.1:5432/test")


def machine() -> str:
    """One line naming the machine: cores, CPU model, memory, Python."""
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {cpu}, {memory_gib:.0f} GiB, Python {platform.python_version()}"


class PostgresSchema:
    """A throw-away schema in the PostgreSQL test database, dropped on exit."""

    def __enter__(self) -> str:
        self.name = f"bench_{uuid.uuid4().hex[:10]}"
        self.admin = make_engine(POSTGRES_URL)
        with self.admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{self.name}"'))
        separator = "&" if "?" in POSTGRES_URL else "?"
        return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{self.name}"

    def __exit__(self, *exc) -> None:
        with self.admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{self.name}" CASCADE'))
        self.admin.dispose()


def build_demo(url: str, scale: float) -> tuple[float, dict[str, int]]:
    """Build the demo network with its users; return (seconds, rows per table)."""
    from data.demo import build_demo as build

    engine = make_engine(url)
    started = time.perf_counter()
    rows = build(engine, scale=scale, quiet=True)
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds, rows


def overview_timings(url: str, trials: int = 3) -> dict[str, float]:
    """Median first-render (caches cleared) and warm-rerun seconds of the overview page."""
    import streamlit as st

    from tests.apptest_support import log_in, new_app, use_navigation_pages

    use_navigation_pages()
    os.environ["DATABASE_URL"] = url
    first, warm = [], []
    for _ in range(trials):
        st.cache_data.clear()
        st.cache_resource.clear()
        at = new_app()
        log_in(at, "exec")  # the run right after log-in renders the overview cold
        st.cache_data.clear()
        started = time.perf_counter()
        at.run()
        first.append(time.perf_counter() - started)
        assert not at.exception and len(at.metric) == 4, "overview did not render"
        started = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - started)
    return {"first_render_s": statistics.median(first), "warm_rerun_s": statistics.median(warm)}


MEMORY_PROBE = """
import json, os, sys
from tests.apptest_support import log_in, new_app, use_navigation_pages
use_navigation_pages()
os.environ["DATABASE_URL"] = sys.argv[1]
at = new_app()
log_in(at, "exec")
at.run()
assert not at.exception and len(at.metric) == 4
# VmHWM (peak resident set of this process image). Not getrusage's ru_maxrss: on Linux that is
# inherited through fork + exec, so it would report the benchmark parent's own peak.
status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines() if ":" in line)
print(json.dumps({"peak_rss_mib": int(status["VmHWM"].split()[0]) / 1024}))
"""


def overview_peak_memory(url: str) -> float:
    """Peak resident memory (MiB) of a fresh process that logs in and renders the overview."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    output = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, url], capture_output=True, text=True, env=env, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])["peak_rss_mib"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="demo,overview,memory")
    parser.add_argument("--scales", default="0.5,2", help="two demo scales for the memory check")
    args = parser.parse_args(argv)
    parts = set(args.only.split(","))
    lines = [f"\n## {dt.date.today().isoformat()} — `make bench` ({machine()})\n"]
    workdir = Path(tempfile.mkdtemp(prefix="branchscope-bench-"))

    if parts & {"demo", "overview"}:
        lines.append(
            "| backend | demo build through export + import (s, target ≤ 120 on SQLite) "
            "| overview first render (s, ≤ 2) | warm rerun (s, ≤ 0.3) |"
        )
        lines.append("|---|---|---|---|")
        rows_report = ""
        for backend in ("sqlite", "postgresql"):
            schema = PostgresSchema() if backend == "postgresql" else None
            url = schema.__enter__() if schema else f"sqlite:///{workdir / 'demo.sqlite'}"
            try:
                seconds, rows = build_demo(url, 1.0)
                print(f"{backend}: demo built in {seconds:.1f} s", flush=True)
                timings = overview_timings(url) if "overview" in parts else {}
                print(f"{backend}: overview {timings}", flush=True)
                lines.append(
                    f"| {backend} | {seconds:.1f} | {timings.get('first_render_s', float('nan')):.2f} | "
                    f"{timings.get('warm_rerun_s', float('nan')):.3f} |"
                )
                if backend == "sqlite":
                    rows_report = ", ".join(f"{table} {count:,}" for table, count in rows.items())
            finally:
                if schema:
                    schema.__exit__(None, None, None)
        lines.append(f"\nRows per table at scale 1: {rows_report}.\n")

    if "memory" in parts:
        lines.append("| demo scale | transactions | overview peak RSS of the app process (MiB) |")
        lines.append("|---|---|---|")
        for scale in (float(s) for s in args.scales.split(",")):
            url = f"sqlite:///{workdir / f'demo-{scale}.sqlite'}"
            _, rows = build_demo(url, scale)
            peak = overview_peak_memory(url)
            print(f"scale {scale}: {rows['txn']:,} transactions, peak {peak:.0f} MiB", flush=True)
            lines.append(f"| {scale:g} | {rows['txn']:,} | {peak:.0f} |")

    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
