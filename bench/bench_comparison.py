"""Benchmark of the comparison pages; prints markdown and appends to bench/RESULTS.md.

Target: the results bulletin (PDF) for a city branch ≤ 10 s.

Measured on one demo database (PostgreSQL, built in a throw-away schema at ``--scale`` unless
``--database-url`` names an existing one; its build time is not measured):

1. The bulletin of the city branch with the most outlets, as the page makes it after the click:
   collect the figures (scoped queries called directly, so no cache helps), the alert rules'
   findings with their filed status, the A4 PDF (charts, embedded CJK font) and the Excel
   workbook, in Chinese. Reported as the total and its parts.
2. The same for the whole region (the largest bulletin a user can ask for).
3. The peer-groups page's interim market potential (Huff over every demand cell of the region's
   cities, equal attractiveness) for the whole region, and the league table query of one metric.

Median of ``--repeats`` runs.

Usage: ``python -m bench.bench_comparison [--scale 1] [--database-url URL] [--repeats 3] [--no-append]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from collections.abc import Callable

from sqlalchemy import func, select

from analytics.peers import market_potential
from bench.run import PostgresSchema, machine
from config.settings import PROJECT_ROOT
from data import queries
from data import queries_comparison as qc
from data.db import make_engine
from data.queries_performance import alert_findings, alert_list
from data.schema import OrgUnit
from data.scope import region_root, scope_for
from reports.bulletin import alert_rows, bulletin_pdf, bulletin_xlsx, collect_bulletin

RESULTS = PROJECT_ROOT / "bench" / "RESULTS.md"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://root@127.0.0.1:5432/test")
BULLETIN_TARGET_S = 10.0


def timed(function: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def bulletin_parts(engine, scope, unit_id: int, month: dt.date) -> dict[str, float]:
    """Seconds of each step of one bulletin, as the page runs them after the click."""
    unit = queries.unit_info(engine, scope, unit_id)

    def read(query, *args):
        return query(engine, scope, *args)

    collect_s, data = timed(lambda: collect_bulletin(read, unit, month, "zh", "deposits_total", True))

    def alerts():
        findings = alert_findings(engine, scope, unit_id, month)
        return alert_rows(findings, alert_list(engine, scope, unit_id, month), "zh")

    alerts_s, data.alerts = timed(alerts)
    pdf_s, pdf = timed(lambda: bulletin_pdf(data))
    xlsx_s, _ = timed(lambda: bulletin_xlsx(data))
    assert pdf.startswith(b"%PDF")
    return {
        "collect": collect_s,
        "alerts": alerts_s,
        "pdf": pdf_s,
        "xlsx": xlsx_s,
        "total": collect_s + alerts_s + pdf_s + xlsx_s,
        "outlets": float(len(data.league)),
    }


def median_parts(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def run(url: str, repeats: int) -> list[str]:
    load_before = os.getloadavg()[0]
    engine = make_engine(url)
    with engine.connect() as connection:
        region_id, _ = region_root(connection)
        scope = scope_for(connection, "bench", "executive", None)
        outlets = connection.execute(
            select(func.count()).select_from(OrgUnit).where(OrgUnit.level == "outlet", OrgUnit.status == "open")
        ).scalar()
        cities = connection.execute(select(OrgUnit.id, OrgUnit.path).where(OrgUnit.level == "city_branch")).all()
        paths = (
            connection.execute(select(OrgUnit.path).where(OrgUnit.level == "outlet", OrgUnit.status == "open"))
            .scalars()
            .all()
        )
    city_id = max(cities, key=lambda city: sum(path.startswith(city.path) for path in paths)).id
    month = queries.kpi_months(engine, scope, region_id)[0]
    bulletin_parts(engine, scope, city_id, month)  # warm the database's buffers and matplotlib's font cache
    city_runs = median_parts([bulletin_parts(engine, scope, city_id, month) for _ in range(repeats)])
    region_runs = median_parts([bulletin_parts(engine, scope, region_id, month) for _ in range(repeats)])
    trade = qc.trade_area_data(engine, scope, region_id)
    potential_s = statistics.median(
        timed(lambda: market_potential(trade["cells"], trade["own"], trade["competitors"]))[0] for _ in range(repeats)
    )
    league_s = statistics.median(
        timed(lambda: qc.league_table(engine, scope, region_id, "deposits_total", month, "ytd"))[0]
        for _ in range(repeats)
    )
    engine.dispose()

    def verdict(seconds: float) -> str:
        return "met" if seconds <= BULLETIN_TARGET_S else "**missed**"

    def row(label: str, parts: dict[str, float]) -> str:
        return (
            f"| {label} ({parts['outlets']:.0f} outlets) | {parts['collect']:.2f} | {parts['alerts']:.2f} | "
            f"{parts['pdf']:.2f} | {parts['xlsx']:.2f} | {parts['total']:.2f} | {verdict(parts['total'])} |"
        )

    backend = url.split(":", 1)[0]
    return [
        f"### Comparison pages: results bulletin (issue 4) — {dt.datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"Machine: {machine()}. Database: {backend}, demo with {outlets:,} open outlets, "
        f"{len(trade['cells']):,} demand cells. Median of {repeats} runs, seconds. "
        "Command: `python -m bench.bench_comparison`. Target: bulletin PDF for a city branch ≤ "
        f"{BULLETIN_TARGET_S:.0f} s. Load average before / after: {load_before:.1f} / {os.getloadavg()[0]:.1f}.",
        "",
        "| bulletin (zh) | figures | alert rules | PDF (A4, charts) | Excel | total | target |",
        "|---|---:|---:|---:|---:|---:|---|",
        row("largest city branch", city_runs),
        row("whole region", region_runs),
        "",
        f"Market potential (Huff, equal attractiveness) for every outlet of the region: {potential_s:.2f} s; "
        f"year-to-date league table of deposits for the region: {league_s:.2f} s.",
        "",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args(argv)
    if args.database_url:
        lines = run(args.database_url, args.repeats)
    else:
        from data.demo import build_demo

        with PostgresSchema() as url:
            build_demo(make_engine(url), scale=args.scale, quiet=True)
            lines = run(url, args.repeats)
    print("\n".join(lines))
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as results:
            results.write("\n" + "\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
