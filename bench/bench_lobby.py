"""Benchmark of the lobby pages' speed targets on a demo database; appends to bench/RESULTS.md.

1. Staffing plan for every outlet of the region, every opening hour, both day types, as the staffing
   page computes it: the per-outlet × day type × hour aggregates from SQL
   (``data.queries_lobby.lobby_profile``) and the outlets' installed counters
   (``lobby_outlet_summary``), then ``analytics.lobby.plan_all_outlets`` (80 % served within
   10 minutes). Target: <= 1 s, SQL included.
2. The simulation beside the formula for one outlet-day, as the page runs it: the busiest outlet's
   workday (``hourly_inputs`` → ``plan_hours``), staffed with the planned counters, simulated with
   the page's default replications (500) and exponential service, next to Erlang C
   (``formula_day``). Target: <= 3 s, with the 95 % confidence interval of the day's mean wait.

By default a demo database is built at ``--scale`` in a temporary SQLite file (its build time is
not measured here; ``python -m bench.run`` measures it); ``--database-url`` uses an existing one.
Median of ``--repeats`` runs after one warm-up run.

Usage: ``python -m bench.bench_lobby [--scale 1] [--database-url URL] [--repeats 5] [--no-append]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from analytics.lobby import formula_day, hourly_inputs, plan_all_outlets, plan_hours
from analytics.lobby_simulation import simulate_lobby
from bench.run import machine
from config.settings import PROJECT_ROOT
from data import queries_lobby
from data.db import make_engine
from data.scope import region_root, scope_for

RESULTS = PROJECT_ROOT / "bench" / "RESULTS.md"
TARGET_WAIT, TARGET_LEVEL, MAX_MEAN_WAIT = 10.0, 0.8, 5.0
REPLICATIONS = 500  # the staffing page's default (pages/staffing.py DEFAULT_REPLICATIONS)
SEED = 20261123
WEEKS = 8  # the pages' default period


def timed(function: Callable[[], object], repeats: int) -> tuple[float, object]:
    """Median wall-clock seconds over ``repeats`` runs after one untimed warm-up run, and the result."""
    result = function()
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def run(database_url: str, repeats: int) -> list[str]:
    """The measurements as markdown lines."""
    engine = make_engine(database_url)
    with engine.connect() as connection:
        root_id, _ = region_root(connection)
        scope = scope_for(connection, "bench", "executive", None)
    period = queries_lobby.lobby_period(engine, scope, root_id)
    end = period["last_day"]
    start = max(period["first_day"], end - dt.timedelta(days=7 * WEEKS - 1))

    def whole_plan() -> pd.DataFrame:
        outlets = queries_lobby.lobby_outlet_summary(engine, scope, root_id, start, end).set_index("id")
        cells = queries_lobby.lobby_profile(engine, scope, root_id, start, end, True, "day_type")
        return plan_all_outlets(cells, outlets["counters"], "level", TARGET_WAIT, TARGET_LEVEL, MAX_MEAN_WAIT)

    plan_seconds, plan = timed(whole_plan, repeats)
    cells = queries_lobby.lobby_profile(engine, scope, root_id, start, end, True, "day_type")
    outlets = queries_lobby.lobby_outlet_summary(engine, scope, root_id, start, end).set_index("id")
    model_seconds, _ = timed(
        lambda: plan_all_outlets(cells, outlets["counters"], "level", TARGET_WAIT, TARGET_LEVEL, MAX_MEAN_WAIT),
        repeats,
    )
    unreachable = int((plan["needed"] < 0).sum())

    # The busiest outlet's workday, as the staffing page simulates it.
    busiest = int(outlets["mean_daily_arrivals"].idxmax())
    day = queries_lobby.lobby_profile(engine, scope, busiest, start, end, False, "day_type")
    day = day[day["day_type"] == "workday"]
    hourly, _ = hourly_inputs(day)
    hourly = hourly.assign(added=False)
    hour_plan = plan_hours(
        hourly, "level", TARGET_WAIT, TARGET_LEVEL, MAX_MEAN_WAIT, int(outlets.loc[busiest, "counters"])
    )
    rates = hour_plan["arrivals"].to_numpy(float)
    service = hour_plan["service"].to_numpy(float)
    counters = np.maximum(hour_plan["planned"].to_numpy(int), 1)
    sim_seconds, sim = timed(
        lambda: simulate_lobby(
            rates,
            service,
            counters,
            REPLICATIONS,
            SEED,
            target_wait_minutes=TARGET_WAIT,
            opening_hour=int(hour_plan["hour"].iloc[0]),
        ),
        repeats,
    )
    formula = formula_day(rates, service, counters, TARGET_WAIT)
    low, high = sim.mean_wait_ci
    engine.dispose()
    backend = database_url.split(":", 1)[0]
    return [
        f"## {dt.date.today().isoformat()} — lobby benchmark (`python -m bench.bench_lobby`, {backend})",
        "",
        f"Machine: {machine()}. Demo data {start} … {end} ({WEEKS} weeks); median of {repeats} runs after a warm-up.",
        "",
        "| measurement | result | target |",
        "|---|---|---|",
        f"| staffing plan, {plan['outlet_id'].nunique():,} outlets × hours × 2 day types ({len(plan):,} cells; "
        f"80 % within 10 min), SQL included | {plan_seconds:.3f} s (model alone {model_seconds * 1000:.1f} ms; "
        f"{unreachable} cells out of the lobby's reach) | ≤ 1 s |",
        f"| simulation of the busiest outlet's workday ({outlets.loc[busiest, 'code']}, "
        f"{rates.sum():,.0f} customers, {len(rates)} h, planned counters), {sim.replications} replications "
        f"| {sim_seconds:.3f} s; mean wait {sim.mean_wait:.2f} min, 95 % CI {low:.2f}–{high:.2f} "
        f"(± {sim.ci_half_width:.2f}); Erlang C {formula.day_wait_minutes:.2f} min | ≤ 3 s |",
        "",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="demo scale when no --database-url is given")
    parser.add_argument("--database-url", default=None, help="an existing database with lobby data")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-append", action="store_true", help="print only, do not append to RESULTS.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url
        if url is None:
            from data.demo import generate

            url = f"sqlite:///{Path(folder) / 'bench_lobby.sqlite'}"
            print(f"building the demo at scale {args.scale:g} …", flush=True)
            engine = make_engine(url)
            generate(engine, scale=args.scale)
            engine.dispose()
        lines = run(url, args.repeats)
    text = "\n".join(lines)
    print(text)
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as results:
            results.write("\n" + text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
