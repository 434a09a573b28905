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

import datetime as dt
import os
import statistics

from sqlalchemy import select

from analytics.peers import market_potential
from bench.common import executive_view, main_on_demo, median_seconds, timed
from bench.run import machine
from data import queries
from data import queries_comparison as qc
from data.db import make_engine
from data.queries_performance import alert_findings, alert_list
from data.schema import OrgUnit
from reports.bulletin import alert_rows, bulletin_pdf, bulletin_xlsx, collect_bulletin

BULLETIN_TARGET_S = 10.0


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
        region_id, scope, outlets = executive_view(connection)
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
    potential_s = median_seconds(lambda: market_potential(trade["cells"], trade["own"], trade["competitors"]), repeats)
    league_s = median_seconds(
        lambda: qc.league_table(engine, scope, region_id, "deposits_total", month, "ytd"), repeats
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
        f"### Comparison pages: results bulletin — {dt.datetime.now():%Y-%m-%d %H:%M}",
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
    return main_on_demo(__doc__, run, 1.0, argv)


if __name__ == "__main__":
    raise SystemExit(main())
