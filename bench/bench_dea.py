"""Benchmark of data envelopment analysis (analytics.dea); prints markdown, writes nothing.

Instance: 1,000 branches, 4 inputs (staff, floor area m², operating cost, self-service machines),
4 outputs (deposits, loans, transactions, customers). Inputs are lognormal; each output follows its
own Cobb-Douglas frontier in the inputs (returns to scale 0.95), times a lognormal output-mix
factor (branches specialise) and a half-normal radial inefficiency ``exp(−u)``, ``u ~ |N(0, 0.3²)|``.

Measured, same run, same instance:

1. ``dea(inputs, outputs, "ccr", "input")`` with peers, slacks and targets (two-phase, column
   generation). Target: <= 10 s.
2. The straightforward baseline, dense ``linprog(method="highs")`` calls over all units:
   (a) two LPs per unit (the radial LP, then the max-slack LP with the radial factor fixed),
   i.e. the same results as 1; (b) the radial LP only (scores, no slacks or peers).

Scores and maximal slacks are checked to agree (the largest differences are printed). Median of
``--repeats`` runs for ``dea`` and of ``--baseline-repeats`` runs for the slow baselines; no
warm-up run is needed (there are no caches).

Usage: ``python -m bench.bench_dea [--units 1000] [--repeats 3] [--baseline-repeats 1] [--seed 2026]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from analytics.dea import dea
from bench.run import machine

INPUTS = ["staff", "floor_area_m2", "operating_cost", "machines"]
OUTPUTS = ["deposits", "loans", "transactions", "customers"]


def branch_instance(units: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Random but realistic branch data: (inputs, outputs), both (units × 4), all > 0."""
    rng = np.random.default_rng(seed)
    # Inputs: log-means and spreads of a mid-sized Chinese branch (people, m², 10k yuan/yr, ATMs).
    log_mean = np.log([14.0, 600.0, 450.0, 4.0])
    x = np.exp(log_mean + rng.normal(0.0, [0.35, 0.4, 0.35, 0.45], size=(units, 4)))
    # Each output's elasticities w.r.t. the inputs (rows: outputs), each row summing to 0.95.
    elasticity = np.array(
        [
            [0.35, 0.25, 0.25, 0.10],
            [0.45, 0.15, 0.30, 0.05],
            [0.20, 0.15, 0.20, 0.40],
            [0.30, 0.30, 0.15, 0.20],
        ]
    )
    elasticity *= 0.95 / elasticity.sum(axis=1, keepdims=True)
    scale = np.array([3.0e4, 1.5e4, 9.0e4, 6.0e3]) / np.exp(log_mean @ elasticity.T)
    frontier = scale * np.exp(np.log(x) @ elasticity.T)  # (units, 4)
    mix = np.exp(rng.normal(0.0, 0.25, size=(units, 4)))  # specialisation: output mix varies
    mix /= np.exp(np.log(mix).mean(axis=1, keepdims=True))  # keeps the radial level unchanged
    inefficiency = np.abs(rng.normal(0.0, 0.3, size=units))
    y = frontier * mix * np.exp(-inefficiency)[:, None]
    index = pd.Index([f"BR{i:04d}" for i in range(units)], name="branch")
    return pd.DataFrame(x, index=index, columns=INPUTS), pd.DataFrame(y, index=index, columns=OUTPUTS)


def baseline_scores(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """CCR input-oriented θ per unit: min θ s.t. Xλ ≤ θ x_o, Yλ ≥ y_o, one dense linprog per unit."""
    n, m = x.shape
    s = y.shape[1]
    lambdas = np.vstack([x.T, -y.T])  # (m + s, n)
    cost = np.r_[1.0, np.zeros(n)]
    scores = np.empty(n)
    for o in range(n):
        a_ub = np.column_stack([np.r_[-x[o], np.zeros(s)], lambdas])
        b_ub = np.r_[np.zeros(m), -y[o]]
        result = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
        scores[o] = result.x[0]
    return scores


def baseline_two_phase(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """θ and maximal slacks (n, m + s) per unit, CCR input-oriented, two dense linprogs per unit.

    Phase 2 maximises Σ s⁻_i/x_io + Σ s⁺_r/y_ro (the default objective of :func:`dea`) subject to
    Xλ + s⁻ = θ* x_o, Yλ − s⁺ = y_o; θ* is loosened by 1e-9 if rounding makes that infeasible.
    """
    n, m = x.shape
    s = y.shape[1]
    theta = baseline_scores(x, y)
    a_eq = np.block([[x.T, np.eye(m), np.zeros((m, s))], [y.T, np.zeros((s, m)), -np.eye(s)]])
    slacks = np.empty((n, m + s))
    for o in range(n):
        cost = np.r_[np.zeros(n), -1.0 / x[o], -1.0 / y[o]]
        for factor in (theta[o], theta[o] * (1 + 1e-9)):
            result = linprog(cost, A_eq=a_eq, b_eq=np.r_[factor * x[o], y[o]], bounds=(0, None), method="highs")
            if result.status == 0:
                break
        slacks[o] = result.x[n:]
    return theta, slacks


def timed(function: Callable[[], object], repeats: int) -> tuple[float, object]:
    """Median wall-clock seconds over ``repeats`` runs, and the last result."""
    seconds = []
    result = None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of dea() (median reported)")
    parser.add_argument("--baseline-repeats", type=int, default=1, help="timed runs of each baseline")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    inputs, outputs = branch_instance(args.units, args.seed)
    x, y = inputs.to_numpy(), outputs.to_numpy()

    fast_seconds, fast = timed(lambda: dea(inputs, outputs, "ccr", "input"), args.repeats)
    scores_seconds, scores = timed(lambda: baseline_scores(x, y), args.baseline_repeats)
    full_seconds, (theta, slacks) = timed(lambda: baseline_two_phase(x, y), args.baseline_repeats)
    fast_slacks = fast[[c for c in fast.columns if c.startswith("slack_")]].to_numpy()
    own = np.hstack([x, y])
    score_gap = max(np.abs(fast["efficiency"].to_numpy() - scores).max(), np.abs(scores - theta).max())
    slack_gap = np.abs((fast_slacks / own).sum(axis=1) - (slacks / own).sum(axis=1)).max()
    weakly = int(((fast["efficiency"] >= 1 - 1e-6) & ~fast["efficient"]).sum())

    print(f"## DEA benchmark — {dt.date.today().isoformat()} ({machine()})\n")
    print(
        f"Instance: {args.units:,} branches × {len(INPUTS)} inputs / {len(OUTPUTS)} outputs, seed {args.seed}; "
        f"{int(fast['efficient'].sum())} efficient, {weakly} weakly efficient, "
        f"{int((fast_slacks.max(axis=1) > 0).sum())} with slacks, mean score {fast['efficiency'].mean():.3f}. "
        f"Median of {args.repeats} runs for dea(), {args.baseline_repeats} for the baselines.\n"
    )
    print("| method | computes | seconds | baseline ÷ this | target |")
    print("|---|---|---|---|---|")
    print(
        f'| `dea(..., "ccr", "input")` (column generation) | scores, max slacks, targets, peers '
        f"| {fast_seconds:.2f} | {full_seconds / fast_seconds:.1f}× (vs 2 LPs/unit), "
        f"{scores_seconds / fast_seconds:.1f}× (vs 1 LP/unit) | ≤ 10 s |"
    )
    print(f"| baseline: 2 linprog/unit over all units | scores, max slacks, peers | {full_seconds:.2f} | 1.0× | — |")
    print(f"| baseline: 1 linprog/unit over all units | scores only | {scores_seconds:.2f} | — | — |")
    print(
        f"\nLargest differences from the baselines: score {score_gap:.1e}, "
        f"relative slack sum Σs⁻/x + Σs⁺/y {slack_gap:.1e}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
