"""Benchmark of the KPI explorer's speed targets; prints markdown and appends to bench/RESULTS.md.

Target: the KPI explorer for the whole region, 36 months × all metrics, on PostgreSQL with a
scaled-up demo (≈1,000 outlets at ``--scale 5``): first render ≤ 1.5 s, drill-down ≤ 0.5 s.

Measured on the same database:

1. The explorer's queries for the region with **every** catalogue metric (``data.queries_performance``,
   called directly, so no cache helps): the period summary with previous period, same period
   last year and target (with the per-product detail, one query as on the page); the children's
   table; the monthly series of all metrics over every month on record (36). "Drill-down" is the
   same for one city branch, the work a click on a child starts. They read the unit-level KPI
   roll-up (``data.kpi_rollup``), which the demo build leaves current; its rebuild — the price
   every KPI import, org-unit import and registry change pays — is timed too.
2. The page itself under Streamlit's AppTest (server side, the browser's drawing not included):
   the executive opens the KPI explorer with every metric selected, caches cleared ("first
   render"), then drills into a city branch through the sidebar (new unit: nothing cached).

A demo database is built in a throw-away PostgreSQL schema at ``--scale`` (its build time is not
measured here) unless ``--database-url`` names an existing one. Median of ``--repeats`` runs.

Usage: ``python -m bench.bench_performance [--scale 5] [--database-url URL] [--repeats 3] [--no-append]``.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time

from sqlalchemy import select, text

from bench.common import executive_view, main_on_demo, median_seconds
from bench.run import machine
from config.metrics import CATALOGUE, DETAIL_GROUPS
from data import kpi_rollup, queries
from data import queries_performance as performance
from data.db import make_engine
from data.schema import OrgUnit

ALL_CODES = tuple(metric.code for metric in CATALOGUE)
DETAIL_CODES = tuple(code for group in DETAIL_GROUPS.values() for code in group)  # the page's detail
FIRST_RENDER_TARGET_S, DRILL_TARGET_S = 1.5, 0.5


def explorer_queries(engine, scope, unit_id: int, month: dt.date) -> None:
    """What the KPI explorer reads for one unit with every metric selected (month period)."""
    summary_codes = tuple(dict.fromkeys([*ALL_CODES, *DETAIL_CODES]))  # the page's one summary query
    performance.kpi_period_summary(engine, scope, unit_id, summary_codes, "month", month, None)
    performance.kpi_period_by_child(engine, scope, unit_id, ALL_CODES, "month", month, None)
    performance.kpi_monthly_series(engine, scope, unit_id, ALL_CODES)
    queries.breadcrumb(engine, scope, unit_id)
    queries.kpi_months(engine, scope, unit_id)


def page_timings(url: str, city_id: int, repeats: int) -> dict[str, float]:
    """First render of the page with every metric (caches cleared) and the drill into a city."""
    import streamlit as st

    from tests.apptest_support import log_in, new_app, use_navigation_pages

    use_navigation_pages()
    os.environ["DATABASE_URL"] = url
    first, drill = [], []
    for _ in range(repeats):
        st.cache_data.clear()
        at = log_in(new_app(300), "exec")
        at.switch_page("pages/kpi_explorer.py").run()
        at.multiselect(key="kpi_metrics").set_value(list(ALL_CODES))
        st.cache_data.clear()
        started = time.perf_counter()
        at.run()
        first.append(time.perf_counter() - started)
        assert not at.exception and len(at.metric) == 4, [e.value for e in at.exception]
        at.sidebar.selectbox(key=f"drill_{at.session_state['focus_unit_id']}").set_value(city_id)
        started = time.perf_counter()
        at.run()
        drill.append(time.perf_counter() - started)
        assert not at.exception and at.session_state["focus_unit_id"] == city_id
    return {"first": statistics.median(first), "drill": statistics.median(drill)}


def analyze(engine) -> None:
    """Refresh PostgreSQL's planner statistics of the tables the explorer reads. A freshly
    bulk-loaded database has none until autovacuum gets to it, and without them the planner
    picks a nested loop over every outlet (137 s instead of 0.85 s for the 36-month roll-up)."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            for table in ("org_unit", "kpi_monthly", "kpi_unit_monthly", "target", "metric"):
                connection.execute(text(f"ANALYZE {table}"))


def rebuild(engine) -> int:
    """Rebuild the KPI roll-up in its own transaction (as a KPI import's confirm does)."""
    with engine.begin() as connection:
        return kpi_rollup.refresh_kpi_rollup(connection)


def run(url: str, repeats: int) -> list[str]:
    load_before = os.getloadavg()[0]
    engine = make_engine(url)
    analyze(engine)
    with engine.connect() as connection:
        region_id, scope, outlets = executive_view(connection)
        city_id = connection.execute(
            select(OrgUnit.id).where(OrgUnit.level == "city_branch").order_by(OrgUnit.code)
        ).scalar()
    with engine.connect() as connection:
        current = kpi_rollup.is_current(connection)
    rebuild_s = median_seconds(lambda: rebuild(engine), repeats)
    months = queries.kpi_months(engine, scope, region_id)
    month = months[0]
    explorer_queries(engine, scope, region_id, month)  # warm the database's own buffers once
    region_s = median_seconds(lambda: explorer_queries(engine, scope, region_id, month), repeats)
    city_s = median_seconds(lambda: explorer_queries(engine, scope, city_id, month), repeats)
    engine.dispose()
    page = page_timings(url, city_id, repeats)

    def verdict(seconds: float, target: float) -> str:
        return "met" if seconds <= target else "**missed**"

    backend = url.split(":", 1)[0]
    return [
        f"### KPI explorer — {dt.datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"Machine: {machine()}. Database: {backend}, demo with {outlets:,} open outlets, "
        f"{len(months)} months, {len(ALL_CODES)} metrics. Median of {repeats} runs. "
        "Planner statistics refreshed with ANALYZE first (see `analyze`). "
        "Command: `python -m bench.bench_performance`. Load average before / after: "
        f"{load_before:.1f} / {os.getloadavg()[0]:.1f}. KPI roll-up (`kpi_unit_monthly`) "
        f"{'current after the demo build' if current else 'NOT current after the build (queries read kpi_monthly)'}; "
        f"its rebuild: {rebuild_s:.2f} s.",
        "",
        "| measurement | seconds | target | |",
        "|---|---:|---:|---|",
        f"| queries, region, every metric (summary, children, detail, 36-month series) | {region_s:.2f} | "
        f"{FIRST_RENDER_TARGET_S} | {verdict(region_s, FIRST_RENDER_TARGET_S)} |",
        f"| queries, drill into a city branch | {city_s:.2f} | {DRILL_TARGET_S} | {verdict(city_s, DRILL_TARGET_S)} |",
        f"| page (AppTest, server side), first render, every metric | {page['first']:.2f} | "
        f"{FIRST_RENDER_TARGET_S} | {verdict(page['first'], FIRST_RENDER_TARGET_S)} |",
        f"| page (AppTest), drill-down into a city branch | {page['drill']:.2f} | {DRILL_TARGET_S} | "
        f"{verdict(page['drill'], DRILL_TARGET_S)} |",
        "",
    ]


def main(argv: list[str] | None = None) -> int:
    return main_on_demo(__doc__, run, 5.0, argv)


if __name__ == "__main__":
    raise SystemExit(main())
