"""Our exact siting models against spopt (PySAL) on the same instances, in the same run.

spopt is a peer, not a dependency: it runs in a throwaway virtual environment given by
``--spopt-python`` (create one with ``python3 -m venv /tmp/spopt-venv && /tmp/spopt-venv/bin/pip
install spopt``), reading the instance from .npy files and solving with its default CBC solver.
Both sides get the same time limit; the table reports objectives (they must agree when both
prove optimality), solve times and the ratio.

Instances: ``towns`` (clustered demand and candidates, subsampled from ``bench_siting``'s town
layout) or ``uniform`` (exactly ``bench_siting``'s uniform instance, 20,000 × 500, seed 2026:
the size of ``bench_siting``'s p-median and maximal covering targets). ``--models`` picks the
models per size: spopt's p-median has one assignment variable per (point, candidate) pair, so
20,000 × 500 (10 M variables) is out of its reach, while its maximal covering is not.

``wide``: maximal covering only, on ``bench_siting.wide_instance`` (20,000 uniform points × 500
uniform candidates, radius 9.74 km: a disc covers 3 % of the area) for each of ``--seeds``, with
household weights or ``--unit-weights``.

Usage: ``python -m bench.bench_spopt --spopt-python /tmp/spopt-venv/bin/python
[--sizes 2000x100,20000x500] [--layout towns|uniform|wide] [--seeds 1,2,3] [--unit-weights]
[--models p_median,maximal_covering]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from analytics.siting import maximal_covering, p_median
from bench.bench_siting import (
    DEMAND_POINTS,
    SITES,
    WIDE_RADIUS_KM,
    distance_matrix,
    lonlat_uniform,
    towns_layout,
    wide_instance,
)

OPEN, RADIUS_KM = 10, 5.0

SPOPT_PROBE = """
import json, sys, time
import numpy as np, pulp
from spopt.locate import MCLP, PMedian
cost, weights = np.load(sys.argv[1]), np.load(sys.argv[2])
p, radius, limit = int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=limit)
out = {}
for name in sys.argv[6].split(","):
    started = time.perf_counter()
    if name == "p_median":
        model = PMedian.from_cost_matrix(cost, weights, p_facilities=p)
    else:
        model = MCLP.from_cost_matrix(cost, weights, service_radius=radius, p_facilities=p)
    model = model.solve(solver)
    seconds = time.perf_counter() - started
    status = pulp.LpStatus[model.problem.status]
    out[name] = {"seconds": seconds, "objective": pulp.value(model.problem.objective), "status": status}
print(json.dumps(out))
"""


def instance(rng: np.random.Generator, demand: int, sites: int) -> tuple[np.ndarray, np.ndarray]:
    """Clustered demand (towns) and candidate sites; costs in km, household weights."""
    demand_points, site_points = towns_layout(rng)
    demand_points = demand_points[rng.choice(len(demand_points), demand, replace=False)]
    site_points = site_points[rng.choice(len(site_points), sites, replace=False)]
    return distance_matrix(demand_points, site_points), rng.lognormal(5, 0.5, demand)


def uniform_instance(seed: int = 2026) -> tuple[np.ndarray, np.ndarray]:
    """``bench_siting``'s uniform instance: 20,000 points × 500 candidates, the same draws."""
    rng = np.random.default_rng([seed, 3])
    demand, sites = lonlat_uniform(rng, DEMAND_POINTS), lonlat_uniform(rng, SITES)
    cost = distance_matrix(demand, sites)
    return cost, rng.lognormal(5, 0.5, DEMAND_POINTS)


def spopt_times(
    python: str, cost: np.ndarray, weights: np.ndarray, limit: float, models: list[str], radius: float = RADIUS_KM
) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="spopt-"))
    np.save(folder / "cost.npy", cost)
    np.save(folder / "weights.npy", weights)
    arguments = [python, "-c", SPOPT_PROBE, str(folder / "cost.npy"), str(folder / "weights.npy")]
    arguments += [str(OPEN), str(radius), str(limit), ",".join(models)]
    try:
        output = subprocess.run(arguments, capture_output=True, text=True, timeout=limit * 3 + 300, check=True)
    except subprocess.TimeoutExpired:
        return {}
    except subprocess.CalledProcessError as error:  # e.g. spopt refuses a model CBC did not solve in time
        print(f"spopt failed: {error.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return {}
    return json.loads(output.stdout.strip().splitlines()[-1])


def compare_wide(args: argparse.Namespace, lines: list[str]) -> int:
    """Maximal covering with the wide radius (``bench_siting.wide_instance``), one row per seed:
    spopt + CBC first, then ours, on the same arrays in the same run."""
    for seed in (int(value) for value in args.seeds.split(",")):
        cost, weights = wide_instance(seed, args.unit_weights)
        theirs = spopt_times(
            args.spopt_python, cost, weights, args.time_limit, ["maximal_covering"], WIDE_RADIUS_KM
        ).get("maximal_covering")
        started = time.perf_counter()
        ours = maximal_covering(cost, weights, OPEN, WIDE_RADIUS_KM, time_limit=args.time_limit)
        seconds = time.perf_counter() - started
        label = f"maximal_covering, wide radius {WIDE_RADIUS_KM:.2f} km, seed {seed}" + (
            ", weights 1" if args.unit_weights else ""
        )
        if theirs is None:
            lines.append(f"| {label} | {DEMAND_POINTS:,} × {SITES} | {seconds:.2f} {ours.status} | no answer | — | — |")
        else:
            lines.append(
                f"| {label} | {DEMAND_POINTS:,} × {SITES} | {seconds:.2f} {ours.status} | {theirs['seconds']:.1f} "
                f"{theirs['status']} | {ours.objective:,.1f} / {theirs['objective']:,.1f} | "
                f"{theirs['seconds'] / seconds:.1f} |"
            )
        print(lines[-1], flush=True)
    print("\n".join(lines))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spopt-python", required=True)
    parser.add_argument("--sizes", default="2000x100,20000x500")
    parser.add_argument("--time-limit", type=float, default=300.0)
    parser.add_argument("--layout", choices=("towns", "uniform", "wide"), default="towns")
    parser.add_argument("--seeds", default="1,2,3", help="wide layout: instance seeds")
    parser.add_argument("--unit-weights", action="store_true", help="wide layout: all weights 1")
    parser.add_argument("--models", default="p_median,maximal_covering")
    args = parser.parse_args(argv)
    models = args.models.split(",")
    rng = np.random.default_rng(2026)
    lines = [
        "| model | demand × candidates | ours (s, status) | spopt + CBC (s, status) | objective ours / spopt "
        "| spopt ÷ ours |",
        "|---|---|---|---|---|---|",
    ]
    if args.layout == "wide":
        return compare_wide(args, lines)
    for size in args.sizes.split(","):
        demand, sites = (int(v) for v in size.split("x"))
        if args.layout == "uniform":
            if (demand, sites) != (DEMAND_POINTS, SITES):
                parser.error(f"the uniform instance is {DEMAND_POINTS}x{SITES}")
            cost, weights = uniform_instance()
        else:
            cost, weights = instance(rng, demand, sites)
        theirs = spopt_times(args.spopt_python, cost, weights, args.time_limit, models)
        for name in models:
            started = time.perf_counter()
            if name == "p_median":
                ours = p_median(cost, weights, OPEN, time_limit=args.time_limit)
            else:
                ours = maximal_covering(cost, weights, OPEN, RADIUS_KM, time_limit=args.time_limit)
            seconds = time.perf_counter() - started
            other = theirs.get(name)
            if other is None:
                lines.append(f"| {name} | {demand:,} × {sites} | {seconds:.1f} {ours.status} | no answer | — | — |")
                continue
            lines.append(
                f"| {name} | {demand:,} × {sites} | {seconds:.1f} {ours.status} | {other['seconds']:.1f} "
                f"{other['status']} | {ours.objective:,.1f} / {other['objective']:,.1f} | "
                f"{other['seconds'] / seconds:.1f} |"
            )
            print(lines[-1], flush=True)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
