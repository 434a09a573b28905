"""Benchmark of the counter-staffing maths and the lobby simulation; prints markdown, writes nothing.

1. ``staffing_plan`` for 1,000 outlets × 8 opening hours × 2 day types: arrivals drawn uniformly
   in 5-80 customers an hour, service 6-12 minutes per outlet, target 80 % served within
   10 minutes, at most 12 counters. Target: <= 1 s.
2. ``simulate_lobby`` for one outlet-day (9:00-17:00) with 200 replications, staffed by the plan
   for that outlet. Target: <= 3 s; reports the 95 % CI half-width of the day's mean wait.
3. ``simulate_lobby`` for the fixed busy day of tests/test_queueing.py (30-70 customers an hour,
   8 minutes each, 5-11 counters, 200 replications, seed 42). Target: <= 3 s (the tests check
   that it is right and reproducible, not how long it takes).

Usage: ``python -m bench.bench_queueing [--repeats 5] [--seed 2026]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import time

import numpy as np

from analytics.lobby_simulation import simulate_lobby
from analytics.queueing import UNREACHABLE, mean_wait, service_level, staffing_plan

OUTLETS, HOURS, DAY_TYPES = 1000, 8, 2
TARGET_WAIT_MINUTES, TARGET_LEVEL, MAX_COUNTERS = 10.0, 0.8, 12
REPLICATIONS = 200
# The busy day of tests/test_queueing.py::test_simulation_is_reproducible (per hour, minutes, counters).
FIXED_DAY_RATES = (30.0, 50.0, 70.0, 60.0, 40.0, 55.0, 65.0, 35.0)
FIXED_DAY_SERVICE_MINUTES = 8.0
FIXED_DAY_COUNTERS = (5, 8, 11, 10, 7, 9, 11, 6)
FIXED_DAY_SEED = 42


def timed(function, repeats: int) -> tuple[float, object]:
    """Median wall-clock seconds over ``repeats`` runs after one untimed warm-up run, and its result."""
    result = function()
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per measurement (median reported)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    arrivals = rng.uniform(5, 80, size=(OUTLETS, HOURS, DAY_TYPES))  # customers per hour
    service = rng.uniform(6, 12, size=(OUTLETS, 1, 1))  # minutes, one per outlet
    plan_seconds, plan = timed(
        lambda: staffing_plan(arrivals, service, TARGET_WAIT_MINUTES, TARGET_LEVEL, MAX_COUNTERS), args.repeats
    )
    reachable = plan.counters[plan.reachable]

    # One outlet-day: the first outlet's weekday, staffed per the plan (full lobby where the
    # target is out of reach), so the simulation shows how the plan fares against a day that
    # opens empty and changes by the hour.
    day_rates = arrivals[0, :, 0]
    day_service = float(service[0, 0, 0])
    day_counters = np.where(plan.reachable[0, :, 0], plan.counters[0, :, 0], MAX_COUNTERS)
    sim_seconds, sim = timed(
        lambda: simulate_lobby(
            day_rates, day_service, day_counters, REPLICATIONS, args.seed, target_wait_minutes=TARGET_WAIT_MINUTES
        ),
        args.repeats,
    )

    fixed_seconds, fixed = timed(
        lambda: simulate_lobby(
            np.array(FIXED_DAY_RATES),
            FIXED_DAY_SERVICE_MINUTES,
            np.array(FIXED_DAY_COUNTERS),
            REPLICATIONS,
            FIXED_DAY_SEED,
        ),
        args.repeats,
    )

    cells = OUTLETS * HOURS * DAY_TYPES
    print(f"## Queueing benchmark — {dt.date.today().isoformat()}\n")
    print(
        f"Machine: {os.cpu_count()} CPUs (os.cpu_count), {platform.machine()}, "
        f"Python {platform.python_version()}, numpy {np.__version__}"
    )
    print(f"Median of {args.repeats} runs after a warm-up run; seed {args.seed}.\n")
    print("| measurement | result | target |")
    print("|---|---|---|")
    print(
        f"| staffing_plan, {OUTLETS:,} outlets × {HOURS} h × {DAY_TYPES} day types ({cells:,} cells) "
        f"| {plan_seconds * 1000:.1f} ms | ≤ 1 s |"
    )
    print(
        f"| cells where ≤ {MAX_COUNTERS} counters meet 80 % within 10 min | {plan.reachable.mean():.1%} "
        f"(unreachable = {UNREACHABLE}) | — |"
    )
    print(f"| counters needed where reachable: mean / max | {reachable.mean():.2f} / {reachable.max()} | — |")
    print(
        f"| simulate_lobby, one outlet-day 9:00–17:00, {REPLICATIONS} replications | {sim_seconds * 1000:.0f} ms "
        f"| ≤ 3 s |"
    )
    print(
        f"| simulated mean wait, 95 % CI | {sim.mean_wait:.2f} min "
        f"[{sim.mean_wait_ci[0]:.2f}, {sim.mean_wait_ci[1]:.2f}], half-width {sim.ci_half_width:.2f} min | — |"
    )
    print(
        f"| simulate_lobby, the tests' busy day ({int(sum(FIXED_DAY_RATES))} customers, "
        f"{FIXED_DAY_SERVICE_MINUTES:g} min each), {REPLICATIONS} replications | {fixed_seconds * 1000:.0f} ms "
        f"(mean wait {fixed.mean_wait:.2f} min) | ≤ 3 s |"
    )

    # Per-hour comparison for the simulated day: Erlang C assumes each hour is in steady state;
    # the simulation carries queues across hour boundaries and starts from an empty lobby.
    formula_wait = mean_wait(day_rates / 60, day_service, day_counters)
    formula_level = service_level(day_rates / 60, day_service, day_counters, TARGET_WAIT_MINUTES)
    print(f"\nOutlet 0, weekday, service {day_service:.1f} min: Erlang C (steady state per hour) vs simulation\n")
    print(
        "| hour | arrivals/h | counters | Erlang C mean wait | sim mean wait | sim p95 wait "
        "| Erlang C ≤ 10 min | sim ≤ 10 min |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for h in range(HOURS):
        print(
            f"| {sim.hours[h]}:00 | {day_rates[h]:.1f} | {day_counters[h]} | {formula_wait[h]:.2f} "
            f"| {sim.mean_wait_minutes[h]:.2f} | {sim.p95_wait_minutes[h]:.2f} "
            f"| {formula_level[h]:.1%} | {sim.share_within_target[h]:.1%} |"
        )


if __name__ == "__main__":
    main()
