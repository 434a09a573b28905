"""Benchmark of the site-selection core (analytics.huff, analytics.siting); prints markdown, writes nothing.

1. ``evaluate_candidates``: 1,000 candidate sites × 50,000 demand cells × 500 existing outlets
   (150 ours), Huff λ = 2, α = 1, haversine km; without and with a 10 km cut-off.
   Targets: ≤ 2 s and ≤ 2 GB peak memory.
2. ``calibrate_huff`` on 200,000 customers simulated from known (λ, α) = (1.8, 1.2) over
   20,000 cells × 300 outlets (per-customer arrays in, aggregation included). Target: ≤ 10 s.
3. ``p_median`` and ``maximal_covering`` (5 km radius): open 10 of 500 candidates over 20,000
   demand points in a ~100 km square, haversine km, time limit 30 s. Two seeded layouts: demand
   and candidates uniform in the square, and "towns" (75 % of the demand in 12 Gaussian towns of
   2–6 km spread, 60 % of the candidates near them, the rest uniform). Target: proven optimal ≤ 30 s.
3b. ``maximal_covering`` with a wide radius (``--only wide``): 10 of 500 uniform candidates over
   20,000 uniform points in the same box, radius 9.74 km (a disc covers 3 % of the area, each
   point is within reach of ~14 candidates), seeds ``--wide-seeds``, household and unit weights.
   Far harder for a MILP than the 5 km instances: see docs/models-performance.md.
4. Page-level (``--only pages``): the candidate page's suitability over 50,000 cells after a
   change of weights (``analytics.scoring.suitability``, 7 criteria; target ≤ 0.5 s), the criteria
   values of 50,000 sites (``site_criteria``, once per candidate set), and the optimisation page's
   most-Huff-captured-demand model: 10 of 300 candidates over 20,000 cells (10 km pull cut-off),
   greedy with its submodular bound, and exact (outer approximation) within the time limit.

Memory: ``tracemalloc`` peak (numpy arrays) of a separate untimed run, and the process's peak
resident set (``VmHWM``, reset through ``/proc/self/clear_refs`` before each measurement where
Linux allows it).

Usage: ``python -m bench.bench_siting [--repeats 3] [--seed 2026] [--time-limit 30]
[--only huff,calibration,siting,wide,pages] [--wide-seeds 1,2,3]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import time
import tracemalloc
from pathlib import Path

import numpy as np

from analytics.huff import calibrate_huff, evaluate_candidates, haversine_km, huff_probabilities
from analytics.scoring import SITE_CRITERIA, Criterion, site_criteria, suitability
from analytics.siting import max_huff_capture, maximal_covering, p_median

# A ~100 km × 100 km box south-west of Beijing (1° longitude ≈ 85 km, 1° latitude ≈ 111 km here).
LON0, LAT0, LON_SPAN, LAT_SPAN = 116.0, 39.5, 1.17, 0.9
CELLS, OUTLETS, OWN_OUTLETS, CANDIDATES = 50_000, 500, 150, 1_000
CUSTOMERS, CALIBRATION_CELLS, CALIBRATION_OUTLETS = 200_000, 20_000, 300
TRUE_DECAY, TRUE_EXPONENT = 1.8, 1.2
DEMAND_POINTS, SITES, OPEN, RADIUS_KM = 20_000, 500, 10, 5.0
#: Wide-radius maximal covering: a disc of this radius covers 3 % of the box's area
#: (π r² = 0.03 × 99.5 km × 99.9 km), so each point is within reach of ~14 of 500 candidates.
WIDE_AREA_SHARE = 0.03
WIDE_RADIUS_KM = float(np.sqrt(WIDE_AREA_SHARE * (LON_SPAN * 85.0) * (LAT_SPAN * 111.0) / np.pi))


# --------------------------------------------------------------------------- measurement helpers


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS counter of this process (Linux ≥ 4.0); False if not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_rss_mib() -> float:
    """Peak resident set of this process in MiB (``VmHWM``), or nan off Linux."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def timed(function, repeats: int) -> tuple[float, object]:
    """Median wall-clock seconds over ``repeats`` runs and the last result (no warm-up: the calls are long)."""
    seconds, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def traced_peak_mib(function) -> tuple[float, float]:
    """(tracemalloc peak, peak RSS) in MiB of one run of ``function``."""
    reset_peak_rss()
    tracemalloc.start()
    try:
        function()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20, peak_rss_mib()


def lonlat_uniform(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.column_stack([LON0 + rng.random(n) * LON_SPAN, LAT0 + rng.random(n) * LAT_SPAN])


def distance_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return haversine_km(a[:, 0][:, None], a[:, 1][:, None], b[:, 0][None, :], b[:, 1][None, :])


# --------------------------------------------------------------------------- 1. Huff evaluation


def huff_rows(rng: np.random.Generator, repeats: int) -> list[str]:
    cells = lonlat_uniform(rng, CELLS)
    network = {
        "cell_lonlat": cells,
        "demand": rng.lognormal(10, 1, CELLS),  # RMB of deposit potential per cell
        "outlet_lonlat": lonlat_uniform(rng, OUTLETS),
        "outlet_attractiveness": rng.uniform(200, 2000, OUTLETS),  # floor area, m²
        "own": np.arange(OUTLETS) < OWN_OUTLETS,
    }
    candidates = lonlat_uniform(rng, CANDIDATES)
    rows = []
    for cutoff in (None, 10.0):

        def run(cutoff=cutoff):
            return evaluate_candidates(candidates, 800.0, cutoff_km=cutoff, **network)

        seconds, result = timed(run, repeats)
        traced, rss = traced_peak_mib(run)
        label = "no cut-off" if cutoff is None else f"{cutoff:g} km cut-off"
        rows.append(
            f"| evaluate_candidates {CANDIDATES:,} × {CELLS:,} cells × {OUTLETS:,} outlets, {label} "
            f"| {seconds:.2f} s; peak {traced:.0f} MiB traced, {rss:.0f} MiB RSS; "
            f"median cannibalisation {np.median(result.cannibalisation_rate):.0%} | ≤ 2 s, ≤ 2 GB |"
        )
        print(rows[-1], flush=True)
    return rows


# --------------------------------------------------------------------------- 2. calibration


def calibration_rows(rng: np.random.Generator, repeats: int) -> list[str]:
    distances = np.maximum(
        distance_matrix(lonlat_uniform(rng, CALIBRATION_CELLS), lonlat_uniform(rng, CALIBRATION_OUTLETS)), 0.1
    )
    attractiveness = rng.lognormal(0, 0.6, CALIBRATION_OUTLETS)
    probabilities = huff_probabilities(distances, attractiveness, TRUE_DECAY, TRUE_EXPONENT)
    per_cell = rng.multinomial(CUSTOMERS, np.full(CALIBRATION_CELLS, 1 / CALIBRATION_CELLS))
    counts = rng.multinomial(per_cell, probabilities)
    cell, outlet = np.nonzero(counts)
    cells = np.repeat(cell, counts[cell, outlet])
    chosen = np.repeat(outlet, counts[cell, outlet])
    seconds, fit = timed(lambda: calibrate_huff(distances, attractiveness, chosen, cells=cells), repeats)
    row = (
        f"| calibrate_huff, {CUSTOMERS:,} customers over {CALIBRATION_CELLS:,} cells × {CALIBRATION_OUTLETS} outlets "
        f"| {seconds:.2f} s; λ̂ = {fit.lambda_:.4f} ± {fit.lambda_se:.4f} (true {TRUE_DECAY}), "
        f"α̂ = {fit.alpha:.4f} ± {fit.alpha_se:.4f} (true {TRUE_EXPONENT}), McFadden R² {fit.pseudo_r2:.3f}, "
        f"{fit.iterations} Newton steps | ≤ 10 s |"
    )
    print(row, flush=True)
    return [row]


# --------------------------------------------------------------------------- 3. site selection


def towns_layout(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Demand in 12 Gaussian towns plus a uniform background; candidates mostly near towns."""
    towns = 12
    centres = np.column_stack(
        [LON0 + rng.uniform(0.1, 0.9, towns) * LON_SPAN, LAT0 + rng.uniform(0.1, 0.9, towns) * LAT_SPAN]
    )
    sizes = rng.dirichlet(np.full(towns, 2.0))
    spread_km = rng.uniform(2, 6, towns)
    km_per_degree = np.array([85.0, 111.0])

    def around(count: int, widen: float) -> np.ndarray:
        town = rng.choice(towns, size=count, p=sizes)
        offsets = rng.standard_normal((count, 2)) * (spread_km[town, None] * widen) / km_per_degree
        return centres[town] + offsets

    in_towns = int(DEMAND_POINTS * 0.75)
    demand = np.vstack([around(in_towns, 1.0), lonlat_uniform(rng, DEMAND_POINTS - in_towns)])
    near_towns = int(SITES * 0.6)
    sites = np.vstack([around(near_towns, 1.5), lonlat_uniform(rng, SITES - near_towns)])
    return demand, sites


def siting_rows(rng: np.random.Generator, time_limit: float) -> list[str]:
    rows = []
    for layout in ("uniform", "towns"):
        if layout == "uniform":
            demand, sites = lonlat_uniform(rng, DEMAND_POINTS), lonlat_uniform(rng, SITES)
        else:
            demand, sites = towns_layout(rng)
        cost = distance_matrix(demand, sites)  # km
        households = rng.lognormal(5, 0.5, DEMAND_POINTS)
        for name in ("p_median", "maximal_covering"):
            reset_peak_rss()
            if name == "p_median":
                result = p_median(cost, households, OPEN, time_limit=time_limit)
            else:
                result = maximal_covering(cost, households, OPEN, RADIUS_KM, time_limit=time_limit)
            unit = "household-km" if name == "p_median" else f"households within {RADIUS_KM:g} km"
            rows.append(
                f"| {name}, {OPEN} of {SITES} over {DEMAND_POINTS:,} points, {layout} "
                f"| {result.solve_seconds:.1f} s, {result.status}, gap {result.gap:.3%}; "
                f"objective {result.objective:,.0f} {unit}; peak RSS {peak_rss_mib():.0f} MiB; "
                f"load average {os.getloadavg()[0]:.1f} "
                f"| optimal ≤ {time_limit:g} s |"
            )
            print(rows[-1], flush=True)
    return rows


def wide_instance(seed: int, unit_weights: bool) -> tuple[np.ndarray, np.ndarray]:
    """20,000 uniform points × 500 uniform candidates (haversine km) of seed ``seed``, with
    household weights (lognormal) or all weights 1: the instance of :data:`WIDE_RADIUS_KM`."""
    rng = np.random.default_rng([seed, 7])
    demand, sites = lonlat_uniform(rng, DEMAND_POINTS), lonlat_uniform(rng, SITES)
    weights = np.ones(DEMAND_POINTS) if unit_weights else rng.lognormal(5, 0.5, DEMAND_POINTS)
    return distance_matrix(demand, sites), weights


def wide_rows(seeds: list[int], time_limit: float) -> list[str]:
    """Maximal covering with the wide radius on uniform instances of several seeds."""
    rows = []
    for seed in seeds:
        for unit in (False, True):
            cost, weights = wide_instance(seed, unit)
            started, cpu = time.perf_counter(), time.process_time()
            result = maximal_covering(cost, weights, OPEN, WIDE_RADIUS_KM, time_limit=time_limit)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            kind = "weights 1" if unit else "household weights"
            rows.append(
                f"| maximal_covering, {OPEN} of {SITES} over {DEMAND_POINTS:,} uniform points, radius "
                f"{WIDE_RADIUS_KM:.2f} km ({WIDE_AREA_SHARE:.0%} of the area), seed {seed}, {kind} "
                f"| {seconds:.2f} s (CPU {cpu:.2f} s), {result.status}, gap {result.gap:.1e}; objective "
                f"{result.objective:,.1f}; load average {os.getloadavg()[0]:.1f} | optimal ≤ {time_limit:g} s |"
            )
            print(rows[-1], flush=True)
    return rows


def page_rows(rng: np.random.Generator, repeats: int, time_limit: float) -> list[str]:
    """Suitability after a change of weights, site criteria, and the maximum-capture model."""
    import pandas as pd

    rows = []
    cells = pd.DataFrame(lonlat_uniform(rng, CELLS), columns=["lon", "lat"])
    cells["population"] = rng.lognormal(7, 1, CELLS)
    cells["income_index"] = rng.lognormal(0, 0.2, CELLS)
    cells["businesses"] = rng.poisson(20, CELLS).astype(float)
    customers = rng.poisson(3, CELLS).astype(float)
    own, rivals = lonlat_uniform(rng, OWN_OUTLETS), lonlat_uniform(rng, OUTLETS - OWN_OUTLETS)
    seconds, values = timed(lambda: site_criteria(cells[["lon", "lat"]].to_numpy(), cells, customers, own, rivals), 1)
    rows.append(
        f"| site criteria of {CELLS:,} sites (cell values, competitors within 1 km, km to nearest own) "
        f"| {seconds:.2f} s | once per candidate set |"
    )
    print(rows[-1], flush=True)
    values["net_gain"] = rng.lognormal(8, 1, CELLS)
    weights = [[25, 15, 15, 10, 10, 10, 15], [10, 10, 10, 10, 20, 20, 20]]
    criteria_sets = [
        [
            Criterion(name, w, direction, 2.0 if direction == "ideal" else None)
            for (name, (direction, _)), w in zip(SITE_CRITERIA.items(), weight)
        ]
        for weight in weights
    ]
    seconds, _ = timed(lambda: [suitability(values, criteria) for criteria in criteria_sets], repeats)
    rows.append(
        f"| suitability of {CELLS:,} cells after a change of weights (7 criteria) "
        f"| {seconds / 2 * 1000:.0f} ms | ≤ 0.5 s |"
    )
    print(rows[-1], flush=True)

    n_cells, n_sites, p = 20_000, 300, 10
    cell_points, sites = lonlat_uniform(rng, n_cells), lonlat_uniform(rng, n_sites)
    distance = np.maximum(distance_matrix(cell_points, sites), 0.35)
    attraction = np.where(distance <= 10.0, rng.uniform(1, 3, n_sites) * distance**-2.0, 0.0)
    rival_distance = np.maximum(distance_matrix(cell_points, lonlat_uniform(rng, 200)), 0.35)
    other = (2.0 * rival_distance**-2.0).sum(axis=1)
    demand = rng.lognormal(7, 1, n_cells)
    from scipy import sparse

    pulls = sparse.csr_array(attraction)
    for method in ("greedy", "exact"):
        result = max_huff_capture(pulls, other, demand, p, method=method, time_limit=time_limit)
        rows.append(
            f"| max captured Huff demand, {p} of {n_sites} over {n_cells:,} cells ({pulls.nnz:,} pairs), {method} "
            f"| {result.solve_seconds:.1f} s, {result.status}, gap {result.gap:.3%} | — |"
        )
        print(rows[-1], flush=True)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per Huff/calibration measurement")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per siting model")
    parser.add_argument("--only", default="huff,calibration,siting,wide,pages")
    parser.add_argument("--wide-seeds", default="1,2,3", help="seeds of the wide-radius covering instances")
    args = parser.parse_args(argv)
    parts = set(args.only.split(","))

    print(f"## Site-selection benchmark — {dt.date.today().isoformat()}\n")
    print(
        f"Machine: {os.cpu_count()} CPUs (os.cpu_count), {platform.machine()}, "
        f"Python {platform.python_version()}, numpy {np.__version__}; seed {args.seed}; "
        f"median of {args.repeats} runs for timings marked so; load average at start "
        f"{' / '.join(f'{v:.2f}' for v in os.getloadavg())} (1 / 5 / 15 min: the machine may be shared).\n",
        flush=True,
    )
    print("| measurement | result | target |")
    print("|---|---|---|", flush=True)
    # each helper prints its rows as soon as they are measured
    # each section has its own random stream, so --only does not change the instances
    if "huff" in parts:
        huff_rows(np.random.default_rng([args.seed, 1]), args.repeats)
    if "calibration" in parts:
        calibration_rows(np.random.default_rng([args.seed, 2]), args.repeats)
    if "siting" in parts:
        siting_rows(np.random.default_rng([args.seed, 3]), args.time_limit)
    if "wide" in parts:
        wide_rows([int(seed) for seed in args.wide_seeds.split(",")], args.time_limit)
    if "pages" in parts:
        page_rows(np.random.default_rng([args.seed, 4]), args.repeats, args.time_limit)


if __name__ == "__main__":
    main()
