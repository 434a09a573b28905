"""Benchmark of the customer-care pages (action lists, next best product, customer 360, complaints
and care) against their target for a branch head's scope: every page ≤ 1.5 s first render. Appends to bench/RESULTS.md.

For each user (``head_outlet``: one outlet; ``head_sub``: a sub-branch; ``exec``: the whole
region, for reference) and each page it can see: first render with Streamlit's caches cleared
(queries, BG/NBD and next-best-product fits included) and a warm rerun, measured server-side with
AppTest (median of ``--repeats``), plus the number of customers in the user's scope. The load
average of the machine is recorded with the figures, because the machine is shared.

By default a demo database is built at ``--scale`` in a temporary SQLite file (its build time is
not measured here); ``--database-url`` uses an existing one.

Usage: ``python -m bench.bench_customer_care [--scale 1] [--database-url URL] [--repeats 3] [--users a,b]
[--no-append]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from bench.run import machine
from config.settings import PROJECT_ROOT
from data.db import make_engine
from data.schema import AppUser, Customer, DatasetInfo, OrgUnit

RESULTS = PROJECT_ROOT / "bench" / "RESULTS.md"
PAGES = {
    "action_lists": "pages/action_lists.py",
    "next_product": "pages/next_product.py",
    "customer_360": "pages/customer_360.py",
    "complaints": "pages/complaints.py",
}
USERS = ("head_outlet", "head_sub", "exec")
TARGET_S = 1.5


def dataset_scale(url: str) -> str:
    """The demo scale recorded in ``dataset_info`` ("?" for a bank's own data)."""
    engine = make_engine(url)
    with engine.connect() as connection:
        value = connection.execute(select(DatasetInfo.value).where(DatasetInfo.key == "scale")).scalar()
    engine.dispose()
    return value or "?"


def scope_customers(url: str, username: str) -> int:
    """Customers homed in the user's scope."""
    engine = make_engine(url)
    with engine.connect() as connection:
        unit_id = connection.execute(select(AppUser.scope_unit_id).where(AppUser.username == username)).scalar()
        path = connection.execute(select(OrgUnit.path).where(OrgUnit.id == unit_id)).scalar() if unit_id else "/"
        count = connection.execute(
            select(func.count())
            .select_from(Customer)
            .join(OrgUnit, OrgUnit.id == Customer.home_outlet_id)
            .where(OrgUnit.path.startswith(path))
        ).scalar()
    engine.dispose()
    return int(count)


def page_timings(url: str, username: str, repeats: int) -> dict[str, tuple[float, float]]:
    """Median (first render, warm rerun) seconds of every customer-care page the user sees. The
    first render clears Streamlit's caches after the log-in, so queries and model fits are
    included; the pages' modules are imported once before (a running server has them)."""
    import streamlit as st

    from config.roles import ROLE_POLICIES
    from tests.apptest_support import log_in, new_app, use_navigation_pages

    use_navigation_pages()
    os.environ["DATABASE_URL"] = url
    warm_up = log_in(new_app(600), username)  # imports the pages' modules once, as a running server has
    for page, path in PAGES.items():
        if page in ROLE_POLICIES[warm_up.session_state["user"].role].pages:
            warm_up.switch_page(path).run()
    results = {}
    for page, path in PAGES.items():
        first, warm = [], []
        for _ in range(repeats):
            st.cache_data.clear()
            at = log_in(new_app(600), username)
            if page not in ROLE_POLICIES[at.session_state["user"].role].pages:
                break
            st.cache_data.clear()
            started = time.perf_counter()
            at.switch_page(path).run()
            first.append(time.perf_counter() - started)
            assert not at.exception, [e.value for e in at.exception]
            started = time.perf_counter()
            at.switch_page(path).run()
            warm.append(time.perf_counter() - started)
        if first:
            results[page] = (statistics.median(first), statistics.median(warm))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database-url")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-append", action="store_true")
    parser.add_argument("--users", default=",".join(USERS), help="comma-separated demo users to measure")
    args = parser.parse_args(argv)
    header = machine()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url
        if url is None:
            from data.demo import generate

            url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
            engine = make_engine(url)
            generate(engine, scale=args.scale, with_demo_users=True)
            engine.dispose()
        lines = [
            f"## Customer action pages (lists, next product, Customer 360, complaints) — {dt.date.today().isoformat()}",
            "",
            f"Machine: {header}. Database: demo scale {dataset_scale(url)}"
            f" (SQLite). Median of {args.repeats} runs; first render with caches cleared. Target for a branch "
            f"head's scope: ≤ {TARGET_S} s.",
            "",
            "| user | customers in scope | page | first render (s) | warm rerun (s) |",
            "|---|---|---|---|---|",
        ]
        for username in [u for u in args.users.split(",") if u]:
            customers = scope_customers(url, username)
            for page, (first, warm) in page_timings(url, username, args.repeats).items():
                lines.append(f"| {username} | {customers:,} | {page} | {first:.2f} | {warm:.2f} |")
                print(lines[-1], flush=True)
        lines.append(f"\nLoad average at the end: {os.getloadavg()[0]:.1f}.\n")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
