"""Benchmark of the scoring job (``python -m jobs.score``) and of the customer pages that read its
stored scores. Appends to bench/RESULTS.md.

On a demo database (``--database-url``, or one built at ``--scale`` in a new PostgreSQL schema of
``--postgres-url``): first render of each changed page for an executive (the whole region) with
caches cleared and no stored scores (the pages compute in the app process), then the scoring job
in its own process (wall time and peak memory from ``getrusage`` of the child), then the same
first renders reading the stored scores. AppTest, server-side, median of ``--repeats``.

Usage: ``python -m bench.bench_scoring [--scale 1] [--database-url URL] [--postgres-url URL]
[--repeats 1] [--no-append]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import time
import uuid

from sqlalchemy import delete, func, select, text

from bench.run import machine
from config.settings import PROJECT_ROOT
from data.db import make_engine, upgrade_database
from data.queries_scores import SCORE_TABLES
from data.schema import Customer, ScoreRun

RESULTS = PROJECT_ROOT / "bench" / "RESULTS.md"
PAGES = {
    "customer_structure": "pages/customer_structure.py",
    "lifetime_value": "pages/lifetime_value.py",
    "action_lists": "pages/action_lists.py",
    "next_product": "pages/next_product.py",
}
USER = "exec"


def first_renders(url: str, repeats: int) -> dict[str, float]:
    """Median first render (s) of each page for the executive, Streamlit caches cleared."""
    import streamlit as st

    from tests.apptest_support import log_in, new_app, use_navigation_pages

    use_navigation_pages()
    os.environ["DATABASE_URL"] = url
    warm_up = log_in(new_app(900), USER)  # imports the pages' modules once, as a running server has
    for path in PAGES.values():
        warm_up.switch_page(path).run()
    results = {}
    for page, path in PAGES.items():
        times = []
        for _ in range(repeats):
            st.cache_data.clear()
            at = log_in(new_app(900), USER)
            st.cache_data.clear()
            started = time.perf_counter()
            at.switch_page(path).run()
            times.append(time.perf_counter() - started)
            assert not at.exception, [e.value for e in at.exception]
        results[page] = statistics.median(times)
    return results


def run_job(url: str) -> tuple[float, float, str]:
    """Wall seconds and peak RSS (MiB) of ``python -m jobs.score`` in a child process, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    process = subprocess.run(
        [sys.executable, "-m", "jobs.score", "--database-url", url],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if process.returncode != 0:
        raise RuntimeError(f"the scoring job failed:\n{process.stdout}")
    return seconds, max(peak, before) / 1024.0, process.stdout


def build_demo(postgres_url: str, scale: float) -> str:
    """A demo at ``scale`` in a new schema of the PostgreSQL database; returns its URL."""
    from data.demo import generate

    schema = f"bench_scoring_{uuid.uuid4().hex[:8]}"
    admin = make_engine(postgres_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    separator = "&" if "?" in postgres_url else "?"
    url = f"{postgres_url}{separator}options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    upgrade_database(engine)
    generate(engine, scale=scale, with_demo_users=True)
    engine.dispose()
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database-url")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("TEST_POSTGRES_URL", "postgresql://root@127.0.0.1:5432/test")
    )
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args(argv)
    header = machine()
    url = args.database_url or build_demo(args.postgres_url, args.scale)
    try:
        return measure(url, args, header)
    finally:
        if args.database_url is None:  # the schema this run built
            schema = url.rsplit("%3D", 1)[-1]
            admin = make_engine(args.postgres_url)
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def measure(url: str, args, header: str) -> int:
    """Renders without scores, the job, renders with scores; prints and appends the section."""
    engine = make_engine(url)
    upgrade_database(engine)
    with engine.begin() as connection:  # start without stored scores: the pages compute in the app
        for model in reversed(SCORE_TABLES):
            connection.execute(delete(model.__table__))
        connection.execute(delete(ScoreRun))
        customers = connection.execute(select(func.count(Customer.id))).scalar()
        backend = connection.dialect.name
    engine.dispose()
    before = first_renders(url, args.repeats)
    seconds, peak_mib, output = run_job(url)
    after = first_renders(url, args.repeats)
    lines = [
        f"## Scoring job and the pages reading its scores — {dt.date.today().isoformat()}",
        "",
        f"Machine: {header}. Database: {backend}, {customers:,} customers. Executive (whole region), first "
        f"render with caches cleared, median of {args.repeats}.",
        "",
        f"Scoring job (`python -m jobs.score`, local engine): {seconds:.1f} s, peak memory {peak_mib:,.0f} MiB.",
        "",
        "```",
        *[line for line in output.splitlines() if line.startswith("run ") or line.startswith("  ")],
        "```",
        "",
        "| page | first render, computed in the app (s) | first render from stored scores (s) |",
        "|---|---|---|",
        *[f"| {page} | {before[page]:.2f} | {after[page]:.2f} |" for page in PAGES],
        "",
        f"Load average at the end: {os.getloadavg()[0]:.1f}.",
    ]
    text_out = "\n".join(lines) + "\n"
    print(text_out)
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text_out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
