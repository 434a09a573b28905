"""Exact site selection on a demand × candidate cost matrix: p-median and maximal covering.

Both models take ``cost`` (n_demand, n_candidates), e.g. km or travel minutes from each demand
point to each candidate site, and ``weights`` (n_demand,) >= 0, e.g. households or RMB of deposit
potential. ``fixed`` lists candidate indices forced open (existing branches that stay). Both are
solved to proven optimality with ``scipy.optimize.milp`` / ``linprog`` (HiGHS); when
``time_limit`` (seconds) runs out, the best solution found so far is returned with
``status="time_limit"`` and the relative gap to the best proven bound.

p-median: Benders decomposition of the radius formulation
--------------------------------------------------------
The p-median opens ``p`` sites minimising ``Σ_i w_i min_{j open} c_ij``. The textbook assignment
model has ``n·m`` variables (10 M for 20,000 × 500), far too many. We use the *radius formulation*
(Elloumi 2010; García, Labbé & Marín 2011): with ``D_i^0 < D_i^1 < …`` the distinct distances of
demand point ``i``, its cost is ``D_i^0 + Σ_k (D_i^k − D_i^{k−1}) z_ik`` where ``z_ik = 1`` iff no open
site is strictly closer than ``D_i^k``, i.e. ``z_ik ≥ 1 − Σ_{j: c_ij < D_i^k} y_j``. It is exact and its
LP relaxation equals the classical one, but for small ``p`` every point still needs tens of levels
(≈ 450,000 rows for 20,000 × 500, p = 10: too large for HiGHS in 30 s). So we project the ``z``
out (Benders; Durán, Alès & Elloumi 2023): for any level ``D``, every feasible ``y`` satisfies

    cost_i(y) ≥ D − Σ_j (D − c_ij)⁺ y_j,

with equality at integer ``y`` when ``D`` is ``i``'s nearest open distance; the maximum over ``D``
is exactly the radius formulation's LP value. Summing ``w_i ×`` these over a cluster of demand
points gives one cut on the cluster's cost ``θ_Q``. The algorithm:

1. **Reduction** (exact): drop zero-weight demand points, merge identical cost rows.
2. **Incumbent**: greedy, then best-improvement swap local search (Whitaker's fast interchange).
3. **LP phase**: Kelley's cutting planes on the master ``min Σ_Q θ_Q`` over ``Σ y = p``, ``0 ≤ y ≤ 1``,
   with one aggregated cut per *block* ``Q`` of demand points per round (points sharing the same
   nearest hub, the hubs being the half of the candidates with the most demand nearest to them),
   separated at in-out stabilised points (Ben-Ameur & Neto 2007). The master's LP value is a
   valid lower bound; if it meets the incumbent, we stop: optimal.
4. **Reduced-cost fixing**: with ``LB`` the master LP's value and ``d_j`` the reduced cost of
   ``y_j`` at its optimum, the optimal dual solution stays feasible when ``y_j`` is forced to 1 and
   its value rises by ``d_j``, so every solution with ``j`` open costs at least ``LB + d_j`` (the
   master LP is a relaxation). If that exceeds the incumbent (by more than 1e-9 relative), ``j``
   is in no optimal solution and is closed; likewise a candidate whose bound multiplier proves it
   is in every optimal solution is opened. Closing such candidates keeps every optimal solution.
5. **Multistart**: swap searches over the candidates left open, from random selections drawn in
   proportion to the LP solution (seeded). Greedy + swaps alone stop ~0.3 % above the optimum on
   uniform demand, where the LP gap is ~0.13 %: with that incumbent the fixing closes 127 of 500
   candidates, with the optimum 221. The local optima's cuts go into the master.
6. **Neighbour cuts**: the cuts at the 50 cheapest single swaps of the incumbent go into the
   master (valid for every ``y``, like all Benders cuts). Without them the binary master's rounds
   mostly propose such near-optimal neighbours, whose cost the cut model underestimates: on the
   uniform benchmark one round proves optimality instead of four.
7. **Integer phase**: the master with binary ``y`` and ``Σ θ ≤ incumbent`` is solved by ``milp``;
   its optimum is a lower bound, and infeasibility proves the incumbent optimal. Cuts are added
   at its solution (and at a local-search improvement of it), which are tight there, and the
   master is solved again. Finite: an integer point whose cuts are in the master is never
   re-proposed below its true cost. HiGHS runs it without primal heuristics and strong branching
   (``_MASTER_OPTIONS``): the master is mostly a proof of infeasibility, and these took 90 % of
   its simplex iterations.

Every bound used is valid for the original problem, so ``status="optimal"`` means
``objective ≤ bound · (1 + 1e-7)`` with ``bound`` a proven lower bound.

How hard this is depends on the data. Demand concentrated in towns (as real demand is) has an LP
relaxation that is (nearly) integral, and 10 of 500 over 20,000 points is proven optimal in seconds.
Demand spread uniformly over a square has many near-equivalent solutions and an LP gap of ~0.13 %
with a degenerate LP (82 fractional sites for p = 10), which only branching closes: the uniform
benchmark takes ~20 s on 2 quiet cores (205 s before the multistart, the master options and the
neighbour cuts);
with a time limit the best solution and the proven gap are returned.

Maximal covering (Church & ReVelle 1974)
----------------------------------------
Maximise the weight of demand within ``radius`` of an open site: binary ``y_j``, continuous
``z_s ∈ [0, 1]`` with ``z_s ≤ Σ_{j covers s} y_j`` (integral at the optimum once ``y`` is). Demand
points with identical coverage sets are merged (summing weights), points no candidate covers are
dropped, and points a fixed site covers are counted as covered constants; the coverage matrix is
sparse. 20,000 points × 500 candidates at 5 km typically leave a few thousand rows.
"""

from __future__ import annotations

import contextlib
import functools
import math
import numbers
import time
import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

try:  # installed with scikit-learn, a project dependency
    from threadpoolctl import ThreadpoolController
except ImportError:  # pragma: no cover
    ThreadpoolController = None

__all__ = [
    "OPTIMALITY_TOLERANCE",
    "HuffCaptureResult",
    "SitingResult",
    "covered_weight",
    "huff_capture_value",
    "max_huff_capture",
    "maximal_covering",
    "p_median",
    "p_median_cost",
]

#: Relative gap under which a solution is reported optimal.
OPTIMALITY_TOLERANCE = 1e-7

#: Internal objective scale: the incumbent's cost is mapped to this value, so HiGHS's absolute
#: tolerances (1e-6 objective gap, 1e-7 row feasibility) are ~1e-10 relative.
_OBJECTIVE_SCALE = 1e4

#: HiGHS relative gap for the binary master: effectively exact at the internal objective scale.
_MASTER_GAP = 1e-9

#: The MILPs are asked for a solution better than the incumbent by this relative margin;
#: "infeasible" then proves the incumbent optimal within it.
_CUTOFF_MARGIN = 1e-9

#: scipy.optimize.milp status for a HiGHS solve error.
_HIGHS_SOLVE_ERROR = 4

#: HiGHS options for the binary master, passed verbatim by scipy's ``milp`` to its bundled HiGHS
#: (``_PMedianBenders.solve_milp`` silences scipy's warning about them). The master is solved under a cutoff,
#: mostly to prove that nothing beats the incumbent, so primal heuristics only cost time (half of
#: the LP iterations on the uniform benchmark), and strong branching on its degenerate LP cost
#: another 40 %: pseudo-costs alone branch as well here.
_MASTER_OPTIONS = {
    "mip_heuristic_effort": 0.0,
    "mip_heuristic_run_feasibility_jump": False,
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_root_reduced_cost": False,
    "mip_heuristic_run_zi_round": False,
    "mip_heuristic_run_shifting": False,
    "mip_pscost_minreliable": 0,
}

#: Share of the candidates that are hubs of the Benders blocks (``_cluster_demand``).
_CLUSTER_SHARE = 0.5

#: Local searches started from the LP solution (p-median), and the share of the time limit they may use.
_MULTISTARTS = 30
_MULTISTART_SHARE = 0.25

#: Swap neighbours of the incumbent whose Benders cuts go into the binary master before it is solved.
_NEIGHBOUR_CUTS = 50

#: Elements of one working matrix in the greedy and local search (float64: 512 KiB, stays in cache).
_CHUNK_ELEMENTS = 2**16


@dataclass(frozen=True)
class SitingResult:
    """Outcome of a site-selection model.

    Attributes
    ----------
    selected : sorted candidate indices opened (fixed ones included).
    objective : p-median: total weighted cost ``Σ w_i min_{j ∈ selected} c_ij`` (weight × cost
        units, e.g. household-km); maximal covering: total weight within the radius.
    status : ``"optimal"`` (proven within :data:`OPTIMALITY_TOLERANCE`) or ``"time_limit"`` (best
        solution found when the time ran out).
    gap : relative gap ``|objective − bound| / max(|objective|, |bound|)`` (0 when they agree).
    solve_seconds : wall-clock seconds of the whole call.
    bound : best proven bound on the optimum (lower for p-median, upper for maximal covering).
    """

    selected: tuple[int, ...]
    objective: float
    status: str
    gap: float
    solve_seconds: float
    bound: float


class _Clock:
    """Wall-clock deadline for a solve (``time_limit=None`` never expires)."""

    def __init__(self, time_limit: float | None):
        self.start = time.perf_counter()
        self.deadline = math.inf if time_limit is None else self.start + time_limit

    def remaining(self) -> float:
        return self.deadline - time.perf_counter()

    def expired(self) -> bool:
        return self.remaining() <= 0

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def highs_options(self, **options) -> dict:
        """HiGHS options with the remaining time as its time limit."""
        if math.isfinite(self.deadline):
            options["time_limit"] = max(self.remaining(), 1e-3)
        return options


@functools.cache
def _blas_controller():
    return ThreadpoolController() if ThreadpoolController is not None else None


def _one_blas_thread() -> contextlib.AbstractContextManager:
    """Limit BLAS to one thread. The heuristics' products are skinny (a weight vector times a
    chunk, p × chunk × m); threaded OpenBLAS made them 2–4× slower on a 2-core machine."""
    controller = _blas_controller()
    return controller.limit(limits=1, user_api="blas") if controller is not None else contextlib.nullcontext()


# --------------------------------------------------------------------------- validation


def _check_inputs(
    cost: ArrayLike, weights: ArrayLike, p: int, fixed: ArrayLike | None, time_limit: float | None, *, allow_inf: bool
) -> tuple[NDArray[np.float64], NDArray[np.float64], int, NDArray[np.int64]]:
    """Validated (cost, weights, p, fixed) or ValueError naming the argument."""
    matrix = np.asarray(cost, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] == 0 or matrix.shape[1] == 0:
        raise ValueError(f"cost must be a non-empty (n_demand, n_candidates) matrix, got shape {matrix.shape}")
    if np.isnan(matrix).any():
        raise ValueError("cost contains NaN")
    if not allow_inf and not np.isfinite(matrix).all():
        raise ValueError("cost must be finite")
    if (matrix < 0).any():
        raise ValueError("cost must be >= 0 (a distance or travel time)")
    demand = np.asarray(weights, dtype=float)
    if demand.shape != (matrix.shape[0],):
        raise ValueError(f"weights must have shape ({matrix.shape[0]},) to match cost, got {demand.shape}")
    if not np.isfinite(demand).all() or (demand < 0).any():
        raise ValueError("weights must be finite and >= 0")
    n_candidates = matrix.shape[1]
    if isinstance(p, bool) or not isinstance(p, numbers.Integral):
        raise ValueError(f"p must be an integer, got {p!r}")
    if not 1 <= p <= n_candidates:
        raise ValueError(f"p must be between 1 and the number of candidates ({n_candidates}), got {p}")
    forced = _check_fixed(fixed, n_candidates)
    if forced.shape[0] > p:
        raise ValueError(f"{forced.shape[0]} fixed sites but only p = {p} to open")
    if time_limit is not None and (not math.isfinite(time_limit) or time_limit <= 0):
        raise ValueError(f"time_limit must be a positive number of seconds, got {time_limit!r}")
    return matrix, demand, int(p), forced


def _check_fixed(fixed: ArrayLike | None, n_candidates: int) -> NDArray[np.int64]:
    if fixed is None:
        return np.empty(0, dtype=np.int64)
    values = np.asarray(fixed)
    if values.size == 0:
        return np.empty(0, dtype=np.int64)
    if values.ndim != 1 or not np.issubdtype(values.dtype, np.integer):
        raise ValueError("fixed must be a sequence of candidate indices")
    if values.min() < 0 or values.max() >= n_candidates:
        raise ValueError(f"fixed indices must be in [0, {n_candidates})")
    if np.unique(values).shape[0] != values.shape[0]:
        raise ValueError("fixed contains duplicate indices")
    return np.sort(values.astype(np.int64))


def _result(selected, objective: float, bound: float, clock: _Clock, *, maximise: bool) -> SitingResult:
    gap = _relative_gap(objective, bound, maximise=maximise)
    status = "optimal" if gap <= OPTIMALITY_TOLERANCE else "time_limit"
    chosen = tuple(sorted(int(j) for j in selected))
    return SitingResult(chosen, float(objective), status, gap, clock.elapsed(), float(bound))


def _relative_gap(objective: float, bound: float, *, maximise: bool) -> float:
    difference = bound - objective if maximise else objective - bound
    if difference <= 0:
        return 0.0
    return difference / max(abs(objective), abs(bound))


def _pad_selection(selected: NDArray[np.int64], p: int, n_candidates: int) -> NDArray[np.int64]:
    """Complete a selection to exactly ``p`` sites with the lowest-index unused candidates."""
    if selected.shape[0] >= p:
        return selected
    unused = np.setdiff1d(np.arange(n_candidates), selected)
    return np.sort(np.concatenate([selected, unused[: p - selected.shape[0]]]))


# --------------------------------------------------------------------------- p-median: heuristics


def p_median_cost(cost: NDArray, weights: NDArray, selected: ArrayLike) -> float:
    """Total weighted cost ``Σ_i w_i min_{j ∈ selected} c_ij``."""
    return float(weights @ cost[:, np.asarray(selected, dtype=np.int64)].min(axis=1))


def _greedy(cost: NDArray, weights: NDArray, p: int, fixed: NDArray) -> NDArray[np.int64]:
    """Add the site that lowers the cost most, ``p − len(fixed)`` times, starting from ``fixed``."""
    current = cost[:, fixed].min(axis=1) if fixed.shape[0] else np.full(cost.shape[0], np.inf)
    chosen = list(fixed)
    step = max(1, _CHUNK_ELEMENTS // cost.shape[1])
    while len(chosen) < p:
        totals = np.zeros(cost.shape[1])
        for start in range(0, cost.shape[0], step):
            rows = slice(start, start + step)
            totals += weights[rows] @ np.minimum(cost[rows], current[rows, None])
        totals[chosen] = np.inf
        best = int(np.argmin(totals))
        chosen.append(best)
        current = np.minimum(current, cost[:, best])
    return np.sort(np.asarray(chosen, dtype=np.int64))


def _swap_costs(cost: NDArray, weights: NDArray, selected: NDArray) -> NDArray:
    """(len(selected), n_candidates) total cost after swapping out selected[r] for candidate j.

    Whitaker's fast interchange: with ``d1``/``d2`` each point's nearest and second-nearest open
    cost, ``cost(r → j) = Σ_i w_i min(c_ij, d1_i) + Σ_{i: nearest is r} w_i [min(c_ij, d2_i) − min(c_ij, d1_i)]``.
    """
    open_costs = cost[:, selected]
    if selected.shape[0] > 1:
        two = np.argpartition(open_costs, 1, axis=1)[:, :2]
        first = np.take_along_axis(open_costs, two, axis=1)
        swap = first[:, 0] > first[:, 1]
        nearest = np.where(swap, two[:, 1], two[:, 0])
        d1, d2 = first.min(axis=1), first.max(axis=1)
    else:
        nearest = np.zeros(cost.shape[0], dtype=np.int64)
        d1, d2 = open_costs[:, 0], np.full(cost.shape[0], np.inf)
    totals = np.zeros((selected.shape[0], cost.shape[1]))
    add_cost = np.zeros(cost.shape[1])
    step = max(1, _CHUNK_ELEMENTS // cost.shape[1])
    for start in range(0, cost.shape[0], step):
        rows = slice(start, start + step)
        block = cost[rows]
        with_first = np.minimum(block, d1[rows, None])
        add_cost += weights[rows] @ with_first
        loss = np.minimum(block, d2[rows, None])
        loss -= with_first
        owner = np.zeros((block.shape[0], selected.shape[0]), dtype=block.dtype)
        owner[np.arange(block.shape[0]), nearest[rows]] = weights[rows]
        totals += owner.T @ loss
    totals += add_cost
    return totals


def _local_search(
    cost: NDArray, weights: NDArray, selected: NDArray, fixed: NDArray, clock: _Clock, tolerance: float = 1e-12
) -> NDArray:
    """Best-improvement swaps (never moving a fixed site) until no swap lowers the cost by more
    than the relative ``tolerance`` (above float32 rounding when ``cost`` is float32)."""
    selected = np.sort(selected)
    current = p_median_cost(cost, weights, selected)
    movable = ~np.isin(selected, fixed)
    if not movable.any() or selected.shape[0] == cost.shape[1]:
        return selected
    while not clock.expired():
        totals = _swap_costs(cost, weights, selected)
        totals[~movable] = np.inf
        totals[:, selected] = np.inf
        r, j = np.unravel_index(int(np.argmin(totals)), totals.shape)
        if not totals[r, j] < current * (1 - tolerance):
            break
        selected = selected.copy()
        selected[r] = j
        order = np.argsort(selected)
        selected, movable = selected[order], movable[order]
        current = p_median_cost(cost, weights, selected)
    return selected


def _multistart(
    cost: NDArray,
    weights: NDArray,
    p: int,
    fixed: NDArray,
    allowed: NDArray,
    lp_y: NDArray,
    starts: int,
    clock: _Clock,
) -> list[NDArray[np.int64]]:
    """Local optima of swap searches over the ``allowed`` candidates, started from random
    selections drawn with probability ∝ the LP solution (seeded: the same call gives the same
    starts). Greedy + swaps alone stop ~0.3 % above the optimum on uniform demand; a handful of
    LP-guided starts usually reach it, which is what the reduced-cost fixing needs."""
    free = np.setdiff1d(allowed, fixed)
    slots = p - fixed.shape[0]
    if slots == 0 or free.shape[0] <= slots:
        return []
    # float32 halves the memory traffic of the swap evaluations; the search is only a heuristic
    # (every solution it returns is re-costed in float64 by the caller)
    sub = np.ascontiguousarray(cost[:, allowed], dtype=np.float32)
    sub_weights = weights.astype(np.float32)
    local_fixed = np.searchsorted(allowed, fixed)
    local_free = np.searchsorted(allowed, free)
    chance = np.clip(lp_y[free], 0.0, 1.0) + 1e-3
    chance /= chance.sum()
    rng = np.random.default_rng(starts)
    budget = _Clock(max(clock.remaining() * _MULTISTART_SHARE, 1e-3) if math.isfinite(clock.deadline) else None)
    found = []
    for _ in range(starts):
        if budget.expired() or clock.expired():
            break
        start = np.concatenate([local_fixed, rng.choice(local_free, size=slots, replace=False, p=chance)])
        found.append(allowed[_local_search(sub, sub_weights, start, local_fixed, budget, tolerance=1e-5)])
    return found


# --------------------------------------------------------------------------- p-median: Benders


class _CutPool:
    """Benders cuts ``θ_Q + Σ_j a_Qj y_j ≥ b_Q`` with the cluster ``Q`` each belongs to."""

    def __init__(self, n_candidates: int, n_clusters: int):
        self.n_candidates, self.n_clusters = n_candidates, n_clusters
        self.coefficients = sparse.csr_array((0, n_candidates))
        self.rhs = np.empty(0)
        self.cluster = np.empty(0, dtype=np.int64)
        self.permanent = np.empty(0, dtype=bool)

    def __len__(self) -> int:
        return self.rhs.shape[0]

    def add(self, coefficients: sparse.csr_array, rhs: NDArray, cluster: NDArray, *, permanent: bool) -> None:
        self.coefficients = sparse.vstack([self.coefficients, coefficients], format="csr")
        self.rhs = np.concatenate([self.rhs, rhs])
        self.cluster = np.concatenate([self.cluster, cluster])
        self.permanent = np.concatenate([self.permanent, np.full(rhs.shape[0], permanent)])

    def keep(self, mask: NDArray[np.bool_]) -> None:
        mask = mask | self.permanent
        self.coefficients = self.coefficients[np.flatnonzero(mask)]
        self.rhs, self.cluster, self.permanent = self.rhs[mask], self.cluster[mask], self.permanent[mask]

    def model_values(self, y: NDArray, floor: NDArray) -> NDArray:
        """Per-cluster value of the cut model at ``y``: max over its cuts, at least ``floor``."""
        values = floor.copy()
        if len(self):
            np.maximum.at(values, self.cluster, self.rhs - self.coefficients @ y)
        return values

    def matrix(self) -> sparse.csr_array:
        """Rows ``[a_Q | e_Q]`` over the variables ``(y, θ)``."""
        rows = len(self)
        theta = sparse.csr_array((np.ones(rows), (np.arange(rows), self.cluster)), shape=(rows, self.n_clusters))
        return sparse.hstack([self.coefficients, theta], format="csr")


def _cluster_demand(cost: NDArray, weights: NDArray, order: NDArray) -> NDArray[np.int64]:
    """Benders blocks: demand points grouped by their nearest *hub*, the hubs being the
    :data:`_CLUSTER_SHARE` of the candidates with the most weight nearest to them.

    Any grouping is exact (a block's cut is a sum of valid per-point cuts); it only trades the
    cut model's strength against the master's size. One block per candidate made the masters
    ~1.3× slower on the uniform benchmark than one per hub with half the candidates as hubs."""
    m = cost.shape[1]
    hubs = max(1, math.ceil(m * _CLUSTER_SHARE))
    if hubs >= m:
        nearest = order[:, 0]
    else:
        served = np.bincount(order[:, 0], weights=weights, minlength=m)
        chosen = np.sort(np.argsort(-served, kind="stable")[:hubs])
        nearest = chosen[np.argmin(cost[:, chosen], axis=1)]
    _, cluster = np.unique(nearest, return_inverse=True)
    return cluster.ravel()


class _PMedianBenders:
    """Benders reformulation of the radius formulation, with clusters of demand points as blocks."""

    def __init__(self, cost: NDArray, weights: NDArray, p: int, fixed: NDArray):
        self.cost, self.weights, self.p = cost, weights, p
        self.n, self.m = cost.shape
        self.order = np.argsort(cost, axis=1, kind="stable").astype(np.int32)
        self.sorted_cost = np.take_along_axis(cost, self.order, axis=1)
        self.cluster = _cluster_demand(cost, weights, self.order)
        self.n_clusters = int(self.cluster.max()) + 1
        self.theta_floor = np.bincount(
            self.cluster, weights=weights * self.sorted_cost[:, 0], minlength=self.n_clusters
        )
        self.lower = np.zeros(self.m)
        self.lower[fixed] = 1.0
        self.upper = np.ones(self.m)
        self.pool = _CutPool(self.m, self.n_clusters)

    # ---- separation

    def cuts_at(self, y: NDArray) -> tuple[NDArray, sparse.csr_array, NDArray]:
        """Per-cluster cost ``F_Q(y)`` and the cuts tight at ``y`` (one per cluster)."""
        width = min(self.m, 32)
        while True:
            cumulative = np.cumsum(y[self.order[:, :width]], axis=1)
            if width == self.m or (cumulative[:, -1] >= 1 - 1e-9).all():
                break
            width = min(self.m, 2 * width)
        reached = cumulative >= 1 - 1e-9
        level = np.where(reached.any(axis=1), reached.argmax(axis=1), width - 1)
        radius = self.sorted_cost[np.arange(self.n), level]  # D_i*: any level gives a valid cut
        rows, positions = np.nonzero(np.arange(width)[None, :] < level[:, None])
        values = self.weights[rows] * (radius[rows] - self.sorted_cost[rows, positions])
        columns = self.order[rows, positions]
        coefficients = sparse.csr_array(  # duplicates (same cluster and candidate) are summed
            (values, (self.cluster[rows], columns)), shape=(self.n_clusters, self.m)
        )
        rhs = np.bincount(self.cluster, weights=self.weights * radius, minlength=self.n_clusters)
        return rhs - coefficients @ y, coefficients, rhs

    def add_cuts_at(self, y: NDArray, *, permanent: bool) -> tuple[float, int]:
        """Add the cuts at ``y`` for clusters the cut model underestimates there.

        Returns ``F(y)`` (the radius formulation's value at ``y``) and the number of cuts added.
        """
        values, coefficients, rhs = self.cuts_at(y)
        model = self.pool.model_values(y, self.theta_floor)
        loose = np.flatnonzero(values > model + 1e-9 * max(1.0, float(np.abs(values).max())))
        if loose.shape[0]:
            self.pool.add(coefficients[loose], rhs[loose], loose, permanent=permanent)
        return float(values.sum()), int(loose.shape[0])

    def add_cuts_at_many(self, points: list[NDArray], *, permanent: bool) -> int:
        """Add the cuts at each of ``points`` that the current cut model underestimates there,
        in one batch (one stack of the pool instead of one per point); returns the cuts added."""
        blocks, rhs_parts, clusters = [], [], []
        for y in points:
            values, coefficients, rhs = self.cuts_at(y)
            model = self.pool.model_values(y, self.theta_floor)
            loose = np.flatnonzero(values > model + 1e-9 * max(1.0, float(np.abs(values).max())))
            if loose.shape[0]:
                blocks.append(coefficients[loose])
                rhs_parts.append(rhs[loose])
                clusters.append(loose)
        if blocks:
            self.pool.add(
                sparse.vstack(blocks, format="csr"),
                np.concatenate(rhs_parts),
                np.concatenate(clusters),
                permanent=permanent,
            )
        return int(sum(part.shape[0] for part in rhs_parts))

    # ---- master problems

    def _master_arrays(self):
        objective = np.concatenate([np.zeros(self.m), np.ones(self.n_clusters)])
        lower = np.concatenate([self.lower, self.theta_floor])
        upper = np.concatenate([self.upper, np.full(self.n_clusters, np.inf)])
        cardinality = np.concatenate([np.ones(self.m), np.zeros(self.n_clusters)])[None, :]
        return objective, lower, upper, cardinality

    def solve_lp(self, clock: _Clock):
        objective, lower, upper, cardinality = self._master_arrays()
        has_cuts = len(self.pool) > 0
        return linprog(
            objective,
            A_ub=-self.pool.matrix() if has_cuts else None,
            b_ub=-self.pool.rhs if has_cuts else None,
            A_eq=cardinality,
            b_eq=[self.p],
            bounds=np.column_stack([lower, upper]),
            method="highs",
            options=clock.highs_options(),
        )

    def solve_milp(self, clock: _Clock, cutoff: float | None):
        """Binary master restricted to ``Σ θ ≤ cutoff``: infeasible means no solution beats it."""
        objective, lower, upper, cardinality = self._master_arrays()
        constraints = [LinearConstraint(cardinality, self.p, self.p)]
        if cutoff is not None:
            constraints.append(LinearConstraint(objective[None, :], -np.inf, cutoff))
        if len(self.pool):
            constraints.append(LinearConstraint(self.pool.matrix(), self.pool.rhs, np.inf))
        integrality = np.concatenate([np.ones(self.m), np.zeros(self.n_clusters)])
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Unrecognized options detected", category=RuntimeWarning)
            return milp(
                objective,
                constraints=constraints,
                integrality=integrality,
                bounds=Bounds(lower, upper),
                options=clock.highs_options(mip_rel_gap=_MASTER_GAP, **_MASTER_OPTIONS),
            )

    # ---- reduced-cost fixing

    def fix_by_reduced_costs(self, lp, lower_bound: float, incumbent: float) -> None:
        """Close candidates whose reduced cost proves them absent from every optimal solution,
        and open those whose upper-bound multiplier proves them present in every one."""
        slack = incumbent - lower_bound + 1e-9 * abs(incumbent)
        raise_if_opened = lp.lower.marginals[: self.m]
        raise_if_closed = -lp.upper.marginals[: self.m]
        close = (raise_if_opened > slack) & (self.lower == 0) & (self.upper > 0)
        if self.upper.sum() - close.sum() >= self.p:
            self.upper[close] = 0.0
        force = (raise_if_closed > slack) & (self.upper == 1) & (self.lower == 0)
        if self.lower.sum() + force.sum() <= self.p:
            self.lower[force] = 1.0


@dataclass
class _Incumbent:
    selected: NDArray[np.int64]
    cost: float  # scaled units
    lower_bound: float  # scaled units

    def offer(self, selected: NDArray, cost: float) -> None:
        if cost < self.cost:
            self.selected, self.cost = np.sort(selected), cost

    def closed(self) -> bool:
        return self.cost - self.lower_bound <= OPTIMALITY_TOLERANCE * abs(self.cost)


def _indicator(selected: NDArray, m: int) -> NDArray:
    y = np.zeros(m)
    y[selected] = 1.0
    return y


def _lp_phase(solver: _PMedianBenders, best: _Incumbent, clock: _Clock, max_rounds: int = 200):
    """Kelley cutting planes with in-out stabilisation; returns the last LP solution (or None)."""
    core = _indicator(best.selected, solver.m)
    separation = core
    lp, lp_upper, stalled = None, math.inf, 0
    history: list[float] = []
    for _ in range(max_rounds):
        if clock.expired():
            break
        value, _ = solver.add_cuts_at(separation, permanent=False)
        lp_upper = min(lp_upper, value)  # F is the LP objective, so F(any feasible y) bounds LP*
        result = solver.solve_lp(clock)
        if result.status != 0:
            break
        lp = result
        if result.fun > best.lower_bound + 1e-12 * abs(best.cost):
            best.lower_bound, stalled = result.fun, 0
        else:
            stalled += 1
        history.append(result.fun)
        converged = lp_upper - result.fun <= 1e-7 * abs(lp_upper)
        # the tail of Kelley's method crawls; the integer phase makes better use of the time
        crawling = len(history) > 5 and history[-1] - history[-6] <= 1e-5 * abs(best.cost)
        if best.closed() or converged or crawling:
            break
        # drop cuts that are slack and carry no dual weight at this LP optimum
        tight = result.ineqlin.residual <= 1e-9 * max(1.0, abs(lp_upper))
        solver.pool.keep(tight | (result.ineqlin.marginals != 0))
        master_y = np.clip(result.x[: solver.m], 0.0, 1.0)
        core = 0.5 * (core + master_y)
        separation = master_y if stalled >= 3 else 0.5 * (master_y + core)
    return lp


def _integer_phase(solver: _PMedianBenders, best: _Incumbent, clock: _Clock, cost: NDArray, weights: NDArray):
    """Solve the binary master, add cuts at its solution, repeat until the bound meets the incumbent."""
    fixed = np.flatnonzero(solver.lower == 1)
    allowed = np.flatnonzero(solver.upper > 0)  # the swap search never needs the closed candidates
    sub = np.ascontiguousarray(cost[:, allowed])
    local_fixed = np.searchsorted(allowed, fixed)
    while not best.closed() and not clock.expired():
        cutoff = best.cost * (1 - _CUTOFF_MARGIN)
        result = solver.solve_milp(clock, cutoff)
        if result.status == _HIGHS_SOLVE_ERROR:  # HiGHS sometimes trips over the cutoff row
            cutoff = math.inf
            result = solver.solve_milp(clock, None)
        if result.status == 2:  # no integer point has a cut-model value below the cutoff
            best.lower_bound = max(best.lower_bound, cutoff)
            break
        if result.status not in (0, 1):
            raise RuntimeError(f"HiGHS failed on the p-median master problem: {result.message}")
        bound = getattr(result, "mip_dual_bound", None)
        if bound is not None and np.isfinite(bound):
            # points the cutoff excludes have a model value, hence a cost, above the cutoff
            best.lower_bound = max(best.lower_bound, min(float(bound), cutoff))
        if result.x is None:
            break
        before = best.cost
        candidate = np.flatnonzero(result.x[: solver.m] > 0.5)
        value, added = solver.add_cuts_at(_indicator(candidate, solver.m), permanent=True)
        best.offer(candidate, value)
        if best.closed() or clock.expired():
            break
        improved = allowed[_local_search(sub, weights, np.searchsorted(allowed, candidate), local_fixed, clock)]
        if not np.array_equal(improved, candidate):
            improved_value, more = solver.add_cuts_at(_indicator(improved, solver.m), permanent=True)
            best.offer(improved, improved_value)
            added += more
        if added == 0 and not best.cost < before:
            # The cut model is exact at the master's optimum, so that optimum is the true cost of an
            # integer point (≥ the incumbent); only rounding can leave a gap here.
            break


def _swap_neighbours(cost: NDArray, weights: NDArray, selected: NDArray, allowed: NDArray, fixed: NDArray, count: int):
    """The ``count`` cheapest selections one swap away from ``selected`` (never moving a fixed
    site, only to ``allowed`` candidates), cheapest first."""
    totals = _swap_costs(cost, weights, selected)
    totals[np.isin(selected, fixed)] = np.inf
    blocked = np.ones(cost.shape[1], dtype=bool)
    blocked[allowed] = False
    blocked[selected] = True
    totals[:, blocked] = np.inf
    count = min(count, int(np.isfinite(totals).sum()))
    flat = np.argpartition(totals, count - 1, axis=None)[:count] if count else np.empty(0, dtype=np.int64)
    flat = flat[np.argsort(totals.ravel()[flat])]
    neighbours = []
    for r, j in zip(*np.unravel_index(flat, totals.shape)):
        swapped = selected.copy()
        swapped[r] = j
        neighbours.append(np.sort(swapped))
    return neighbours


def _reduce_demand(cost: NDArray, weights: NDArray) -> tuple[NDArray, NDArray]:
    """Drop zero-weight rows and merge identical cost rows (summing their weights): exact."""
    keep = weights > 0
    rows, demand = cost[keep], weights[keep]
    if rows.shape[0] < 2:
        return rows, demand
    fingerprint = rows @ np.random.default_rng(0).random(rows.shape[1])
    if np.unique(fingerprint).shape[0] == rows.shape[0]:  # distinct fingerprints: no duplicate rows
        return rows, demand
    unique_rows, inverse = np.unique(rows, axis=0, return_inverse=True)
    if unique_rows.shape[0] == rows.shape[0]:
        return rows, demand
    return unique_rows, np.bincount(inverse.ravel(), weights=demand)


def p_median(
    cost: ArrayLike,
    weights: ArrayLike,
    p: int,
    fixed: ArrayLike | None = None,
    time_limit: float | None = None,
) -> SitingResult:
    """Open ``p`` candidate sites minimising total weighted cost to the nearest open site.

    Parameters
    ----------
    cost : (n_demand, n_candidates) >= 0, finite; e.g. km or travel minutes.
    weights : (n_demand,) >= 0; e.g. households or RMB of deposit potential.
    p : number of sites to open, ``len(fixed) <= p <= n_candidates``.
    fixed : candidate indices that must be open (e.g. branches that stay).
    time_limit : seconds; ``None`` solves to optimality.

    Returns
    -------
    :class:`SitingResult` with ``objective = Σ_i w_i min_{j ∈ selected} c_ij`` and ``bound`` a
    proven lower bound. See the module docstring for the method.
    """
    clock = _Clock(time_limit)
    matrix, demand, p, forced = _check_inputs(cost, weights, p, fixed, time_limit, allow_inf=False)
    with _one_blas_thread():
        return _solve_p_median(matrix, demand, p, forced, clock)


def _solve_p_median(matrix: NDArray, demand: NDArray, p: int, forced: NDArray, clock: _Clock) -> SitingResult:
    """Reduction, incumbent, Benders LP phase, reduced-cost fixing, integer phase (module docstring)."""
    reduced_cost, reduced_weights = _reduce_demand(matrix, demand)
    if reduced_weights.shape[0] == 0:  # nothing to serve: any p sites are optimal
        selected = _pad_selection(forced, p, matrix.shape[1])
        return _result(selected, 0.0, 0.0, clock, maximise=False)
    selected = _greedy(reduced_cost, reduced_weights, p, forced)
    selected = _local_search(reduced_cost, reduced_weights, selected, forced, clock)
    incumbent_cost = p_median_cost(reduced_cost, reduced_weights, selected)
    trivial_bound = float(reduced_weights @ reduced_cost.min(axis=1))
    if p == forced.shape[0] or p == matrix.shape[1]:  # nothing to choose
        objective = p_median_cost(matrix, demand, selected)
        return _result(selected, objective, objective, clock, maximise=False)
    if incumbent_cost <= trivial_bound:  # every point is at its nearest candidate
        return _result(selected, p_median_cost(matrix, demand, selected), trivial_bound, clock, maximise=False)

    scale = _OBJECTIVE_SCALE / incumbent_cost
    scaled_weights = reduced_weights * scale
    best = _Incumbent(selected, _OBJECTIVE_SCALE, trivial_bound * scale)
    solver = _PMedianBenders(reduced_cost, scaled_weights, p, forced)
    lp = _lp_phase(solver, best, clock)
    if lp is not None and not best.closed():
        solver.fix_by_reduced_costs(lp, best.lower_bound, best.cost)
        # two rounds of starts: the first usually finds a better incumbent, which fixes more
        # candidates, so the second searches fewer
        for starts in (_MULTISTARTS // 5, _MULTISTARTS - _MULTISTARTS // 5):
            allowed = np.flatnonzero(solver.upper > 0)
            before = best.cost
            y_lp = lp.x[: solver.m]
            for found in _multistart(reduced_cost, scaled_weights, p, forced, allowed, y_lp, starts, clock):
                value, _ = solver.add_cuts_at(_indicator(found, solver.m), permanent=True)
                best.offer(found, value)
            if best.closed():
                break
            if best.cost < before:
                solver.fix_by_reduced_costs(lp, best.lower_bound, best.cost)
    if not best.closed():
        # The binary master's rounds mostly propose near-optimal points next to the incumbent whose
        # cost the cut model underestimates; cuts there up front (valid for every y) let the first
        # master prove the incumbent optimal instead of four.
        allowed = np.flatnonzero(solver.upper > 0)
        neighbours = _swap_neighbours(reduced_cost, scaled_weights, best.selected, allowed, forced, _NEIGHBOUR_CUTS)
        solver.add_cuts_at_many([_indicator(y, solver.m) for y in neighbours], permanent=True)
        _integer_phase(solver, best, clock, reduced_cost, scaled_weights)
    objective = p_median_cost(matrix, demand, best.selected)
    bound = min(best.lower_bound / scale, objective)
    return _result(best.selected, objective, bound, clock, maximise=False)


# --------------------------------------------------------------------------- maximal covering


def _coverage_groups(covers: NDArray[np.bool_], weights: NDArray) -> tuple[NDArray[np.bool_], NDArray]:
    """Merge demand points with identical coverage sets: (distinct sets, summed weights)."""
    packed = np.packbits(covers, axis=1)
    unique_rows, inverse = np.unique(packed, axis=0, return_inverse=True)
    grouped = np.bincount(inverse.ravel(), weights=weights, minlength=unique_rows.shape[0])
    return np.unpackbits(unique_rows, axis=1, count=covers.shape[1]).astype(bool), grouped


def _greedy_cover(sets: sparse.csc_array, weights: NDArray, p: int, fixed: NDArray) -> NDArray[np.int64]:
    """Repeatedly open the site covering the most still-uncovered weight."""
    chosen = list(fixed)
    uncovered = weights * (sets[:, fixed].sum(axis=1) == 0) if fixed.shape[0] else weights.copy()
    while len(chosen) < p:
        gains = sets.T @ uncovered
        gains[chosen] = -1.0
        best = int(np.argmax(gains))
        chosen.append(best)
        uncovered[sets[:, [best]].toarray().ravel() > 0] = 0.0
    return np.sort(np.asarray(chosen, dtype=np.int64))


def _cover_value(sets: sparse.csc_array, weights: NDArray, selected: NDArray) -> float:
    return float(weights @ (sets[:, selected].sum(axis=1) > 0))


def _swap_cover(
    sets: sparse.csc_array, weights: NDArray, selected: NDArray, fixed: NDArray, clock: _Clock
) -> NDArray[np.int64]:
    """Best-improvement swaps (never moving a fixed site) until no swap covers more weight."""
    selected = np.sort(selected)
    movable = np.flatnonzero(~np.isin(selected, fixed))
    tolerance = 1e-12 * float(weights.sum())
    while movable.shape[0] and not clock.expired():
        times_covered = sets[:, selected].sum(axis=1)
        gain_if_added = sets.T @ (weights * (times_covered == 0))
        best_delta, move = tolerance, None
        for r in movable:
            only_by_r = weights * ((times_covered == 1) & (sets[:, [selected[r]]].toarray().ravel() > 0))
            delta = gain_if_added + sets.T @ only_by_r - only_by_r.sum()  # swap selected[r] for each j
            delta[selected] = -np.inf
            j = int(np.argmax(delta))
            if delta[j] > best_delta:
                best_delta, move = float(delta[j]), (r, j)
        if move is None:
            break
        selected = selected.copy()
        selected[move[0]] = move[1]
        selected.sort()
        movable = np.flatnonzero(~np.isin(selected, fixed))
    return selected


def _covering_milp(
    sets: sparse.csc_array, weights: NDArray, p: int, fixed: NDArray, cutoff: float | None, clock: _Clock
):
    """max Σ W_s z_s  s.t.  z_s ≤ Σ_{j ∈ s} y_j,  Σ y = p,  Σ W_s z_s ≥ cutoff,  y binary,  0 ≤ z ≤ 1."""
    n_sets, m = sets.shape
    coverage = sparse.hstack([-sets, sparse.eye_array(n_sets)], format="csr")
    cardinality = np.concatenate([np.ones(m), np.zeros(n_sets)])[None, :]
    covered = np.concatenate([np.zeros(m), weights])
    lower = np.zeros(m + n_sets)
    lower[fixed] = 1.0
    constraints = [LinearConstraint(coverage, -np.inf, 0.0), LinearConstraint(cardinality, p, p)]
    if cutoff is not None:
        constraints.append(LinearConstraint(covered[None, :], cutoff, np.inf))
    return milp(
        -covered,
        constraints=constraints,
        integrality=np.concatenate([np.ones(m), np.zeros(n_sets)]),
        bounds=Bounds(lower, 1.0),
        options=clock.highs_options(mip_rel_gap=1e-9),
    )


def _milp_outcome(result, n_candidates: int) -> tuple[str, NDArray[np.int64] | None, float | None]:
    """Map a HiGHS result to (status, selected candidates or None, dual bound or None).

    HiGHS status 0 is "optimal"; 1 is "time_limit" (time, iteration or node limit), with or without
    a feasible solution (``x`` is None then); 2, infeasible, is "cutoff": the objective cutoff
    constraint excludes every solution, i.e. none beats the incumbent. Anything else is a solver
    failure (RuntimeError).
    """
    statuses = {0: "optimal", 1: "time_limit", 2: "cutoff"}
    if result.status not in statuses:
        raise RuntimeError(f"HiGHS failed: {result.message}")
    x = getattr(result, "x", None)
    selected = None if x is None else np.flatnonzero(np.asarray(x)[:n_candidates] > 0.5)
    bound = getattr(result, "mip_dual_bound", None)
    if bound is None or not np.isfinite(bound):
        bound = None
    return statuses[result.status], selected, None if result.status == 2 else bound


def covered_weight(cost: NDArray, weights: NDArray, selected: ArrayLike, radius: float) -> float:
    """Total weight of demand points within ``radius`` of at least one selected site."""
    chosen = np.asarray(selected, dtype=np.int64)
    return float(weights @ (cost[:, chosen] <= radius).any(axis=1))


def maximal_covering(
    cost: ArrayLike,
    weights: ArrayLike,
    p: int,
    radius: float,
    fixed: ArrayLike | None = None,
    time_limit: float | None = None,
    site_costs: ArrayLike | None = None,
    budget: float | None = None,
) -> SitingResult:
    """Open ``p`` candidate sites maximising the weight of demand within ``radius`` of one.

    Parameters
    ----------
    cost : (n_demand, n_candidates) >= 0; ``inf`` marks pairs that can never cover. Same unit as
        ``radius`` (km or minutes).
    weights : (n_demand,) >= 0.
    p, fixed, time_limit : as in :func:`p_median`.
    radius : coverage radius; a point is covered when ``cost <= radius``.
    site_costs, budget : optional build cost of each candidate (RMB, >= 0) and a budget on the
        total build cost of the selected sites (fixed sites included: give existing outlets cost 0).
        With a budget the model is solved as one MILP (the greedy incumbent ignores costs).

    Returns
    -------
    :class:`SitingResult` with ``objective`` the covered weight and ``bound`` a proven upper bound.

    Raises
    ------
    ValueError
        On bad input, or ``"budget"`` in the message when no ``p`` sites fit the budget.
    """
    clock = _Clock(time_limit)
    matrix, demand, p, forced = _check_inputs(cost, weights, p, fixed, time_limit, allow_inf=True)
    limit = float(radius)
    if not math.isfinite(limit) or limit < 0:
        raise ValueError(f"radius must be finite and >= 0, got {radius!r}")
    costs = _check_budget(site_costs, budget, matrix.shape[1], p, forced)
    with _one_blas_thread():
        if costs is not None:
            return _solve_covering_with_budget(matrix, demand, p, limit, forced, costs, float(budget), clock)
        return _solve_covering(matrix, demand, p, limit, forced, clock)


def _check_budget(
    site_costs: ArrayLike | None, budget: float | None, n_candidates: int, p: int, forced: NDArray
) -> NDArray | None:
    """Validated site costs (None without a budget); ValueError when no selection fits the budget."""
    if budget is None and site_costs is None:
        return None
    if budget is None or site_costs is None:
        raise ValueError("a budget needs site_costs, and site_costs need a budget")
    costs = np.asarray(site_costs, dtype=float)
    if costs.shape != (n_candidates,) or not np.isfinite(costs).all() or (costs < 0).any():
        raise ValueError(f"site_costs must be {n_candidates} finite values >= 0")
    limit = float(budget)
    if not math.isfinite(limit) or limit < 0:
        raise ValueError(f"budget must be finite and >= 0, got {budget!r}")
    free = np.setdiff1d(np.arange(n_candidates), forced)
    cheapest = float(costs[forced].sum() + np.sort(costs[free])[: p - forced.shape[0]].sum())
    if cheapest > limit * (1 + 1e-12):
        raise ValueError(f"budget {limit:g} is below the cheapest selection of {p} sites ({cheapest:g})")
    return costs


def _solve_covering_with_budget(
    matrix: NDArray, demand: NDArray, p: int, radius: float, forced: NDArray, costs: NDArray, budget: float, clock
) -> SitingResult:
    """max Σ W_s z_s s.t. z_s ≤ Σ_{j ∈ s} y_j, Σ y = p, Σ c_j y_j ≤ budget, y binary."""
    covers = matrix <= radius
    rows = (demand > 0) & covers.any(axis=1)
    dense_sets, grouped = _coverage_groups(covers[rows], demand[rows])
    total = float(grouped.sum())
    if total == 0:
        chosen = forced.tolist()
        for j in np.argsort(costs, kind="stable"):
            if len(chosen) < p and j not in chosen:
                chosen.append(int(j))
        return _result(np.asarray(chosen), 0.0, 0.0, clock, maximise=True)
    scale = _OBJECTIVE_SCALE / total
    sets = sparse.csc_array(dense_sets.astype(float))
    n_sets, m = sets.shape
    coverage = sparse.hstack([-sets, sparse.eye_array(n_sets)], format="csr")
    cardinality = np.concatenate([np.ones(m), np.zeros(n_sets)])[None, :]
    spend = np.concatenate([costs, np.zeros(n_sets)])[None, :]
    lower = np.zeros(m + n_sets)
    lower[forced] = 1.0
    result = milp(
        -np.concatenate([np.zeros(m), grouped * scale]),
        constraints=[
            LinearConstraint(coverage, -np.inf, 0.0),
            LinearConstraint(cardinality, p, p),
            LinearConstraint(spend, -np.inf, budget),
        ],
        integrality=np.concatenate([np.ones(m), np.zeros(n_sets)]),
        bounds=Bounds(lower, 1.0),
        options=clock.highs_options(mip_rel_gap=1e-9),
    )
    status, found, bound = _milp_outcome(result, m)
    if found is None:
        if status == "cutoff":
            raise ValueError("no selection of p sites fits the budget")
        raise ValueError("the time limit ran out before a selection within the budget was found")
    objective = covered_weight(matrix, demand, found, radius)
    upper = objective if bound is None else max(-bound / scale, objective)
    return _result(found, objective, upper, clock, maximise=True)


def _solve_covering(
    matrix: NDArray, demand: NDArray, p: int, radius: float, forced: NDArray, clock: _Clock
) -> SitingResult:
    """Reduction, greedy + swap incumbent, then the MILP restricted to beating the incumbent."""
    covers = matrix <= radius
    covered_by_fixed = covers[:, forced].any(axis=1)
    open_rows = (demand > 0) & covers.any(axis=1) & ~covered_by_fixed
    constant = float(demand[covered_by_fixed].sum())
    dense_sets, grouped = _coverage_groups(covers[open_rows], demand[open_rows])
    total = float(grouped.sum())
    if p == forced.shape[0] or p == matrix.shape[1] or total == 0:  # nothing to choose, or to gain
        selected = _pad_selection(forced, p, matrix.shape[1])
        objective = covered_weight(matrix, demand, selected, radius)
        return _result(selected, objective, objective, clock, maximise=True)
    scale = _OBJECTIVE_SCALE / total
    weights = grouped * scale
    sets = sparse.csc_array(dense_sets.astype(float))
    selected = _swap_cover(sets, weights, _greedy_cover(sets, weights, p, forced), forced, clock)
    incumbent = _cover_value(sets, weights, selected)
    upper_bound = _OBJECTIVE_SCALE  # everything coverable
    if incumbent < upper_bound * (1 - OPTIMALITY_TOLERANCE) and not clock.expired():
        cutoff = incumbent * (1 + _CUTOFF_MARGIN)
        result = _covering_milp(sets, weights, p, forced, cutoff, clock)
        if result.status == _HIGHS_SOLVE_ERROR:  # HiGHS sometimes trips over the cutoff row
            cutoff = incumbent
            result = _covering_milp(sets, weights, p, forced, None, clock)
        status, found, bound = _milp_outcome(result, sets.shape[1])
        if found is not None and _cover_value(sets, weights, found) > incumbent:
            selected = found
        if status == "cutoff":
            upper_bound = cutoff
        elif bound is not None:  # solutions below the cutoff are excluded but are below it anyway
            upper_bound = min(upper_bound, max(-bound, cutoff))
    objective = covered_weight(matrix, demand, selected, radius)
    return _result(selected, objective, max(constant + upper_bound / scale, objective), clock, maximise=True)


# --------------------------------------------------------------------------- maximum captured Huff demand
#
# Open p of m candidate sites to maximise the demand our outlets capture under the Huff model:
#
#     f(S) = Σ_i D_i · W_i(S) / (C_i + W_i(S)),    W_i(S) = Σ_{j ∈ S} w_ij,
#
# with w_ij = A_j^α d_ij^(−λ) the attraction of candidate j in cell i and C_i > 0 the attraction of
# everything we do not choose (competitors, outlets of ours that stay regardless). t ↦ t / (C + t)
# is concave and increasing, so f is monotone submodular and the greedy algorithm is within
# (1 − 1/e) ≈ 63 % of the optimum (Nemhauser, Wolsey & Fisher 1978); in practice much closer.
#
# Exact: a linear MILP solved by outer approximation. Each cell's captured demand D_i·g(W_i) with
# g(t) = t / (C_i + t) is concave in the linear expression W_i(y) = Σ_j w_ij y_j, so the tangents
# η_i ≤ D_i [g(a) + g'(a)(W_i(y) − a)] are valid everywhere and exact at W_i(y) = a. The master
# (max Σ η_i over binary y with Σ y = p) is an upper bound; tangents are added at its solution until
# the bound meets the best true value. (We first tried the MNL linearisation of Haase & Müller
# 2014; its LP bound was 4× the optimum on the demo and it did not close in 10 minutes.)


@dataclass(frozen=True)
class HuffCaptureResult:
    """Outcome of :func:`max_huff_capture`: like :class:`SitingResult`, plus the method used and,
    for the greedy method, its guaranteed fraction of the optimum (``bound`` = objective / 0.632)."""

    selected: tuple[int, ...]
    objective: float
    status: str
    gap: float
    solve_seconds: float
    bound: float
    method: str


def huff_capture_value(attraction: ArrayLike, other: ArrayLike, demand: ArrayLike, selected: ArrayLike) -> float:
    """``Σ_i D_i W_i / (C_i + W_i)`` for the selected candidate columns of ``attraction``."""
    w = sparse.csc_array(attraction) if sparse.issparse(attraction) else np.asarray(attraction, dtype=float)
    chosen = np.asarray(selected, dtype=np.int64)
    total = np.asarray(w[:, chosen].sum(axis=1)).ravel() if chosen.shape[0] else np.zeros(w.shape[0])
    c = np.asarray(other, dtype=float)
    return float(np.asarray(demand, dtype=float) @ (total / (c + total)))


def _check_capture_inputs(attraction, other, demand, p, fixed, site_costs, budget):
    w = sparse.csc_array(attraction, dtype=float)
    n, m = w.shape
    c = np.asarray(other, dtype=float)
    d = np.asarray(demand, dtype=float)
    if c.shape != (n,) or d.shape != (n,):
        raise ValueError(f"other and demand must have shape ({n},)")
    if not np.isfinite(c).all() or (c <= 0).any():
        raise ValueError("other (the attraction of everything else in each cell) must be finite and > 0")
    if not np.isfinite(d).all() or (d < 0).any():
        raise ValueError("demand must be finite and >= 0")
    if not np.isfinite(w.data).all() or (w.data < 0).any():
        raise ValueError("attraction must be finite and >= 0")
    if isinstance(p, bool) or not isinstance(p, numbers.Integral) or not 1 <= p <= m:
        raise ValueError(f"p must be an integer between 1 and the number of candidates ({m}), got {p!r}")
    forced = _check_fixed(fixed, m)
    if forced.shape[0] > p:
        raise ValueError(f"{forced.shape[0]} fixed sites but only p = {p} to open")
    costs = _check_budget(site_costs, budget, m, int(p), forced)
    return w, c, d, int(p), forced, costs


def _greedy_capture(w: sparse.csc_array, c: NDArray, d: NDArray, p: int, forced: NDArray, costs, budget):
    chosen = list(forced)
    total = np.asarray(w[:, forced].sum(axis=1)).ravel() if forced.shape[0] else np.zeros(w.shape[0])
    spent = float(costs[forced].sum()) if costs is not None else 0.0
    while len(chosen) < p:
        current = d * total / (c + total)
        # gain of adding j: Σ_i D_i [(W+w_ij)/(C+W+w_ij) − W/(C+W)], over the nonzeros of column j
        coo = w.tocoo()
        rows, cols, vals = coo.row, coo.col, coo.data
        after = d[rows] * (total[rows] + vals) / (c[rows] + total[rows] + vals)
        gains = np.bincount(cols, weights=after - current[rows], minlength=w.shape[1])
        gains[chosen] = -np.inf
        if costs is not None:
            remaining = p - len(chosen) - 1
            free = np.setdiff1d(np.arange(w.shape[1]), chosen)
            for j in np.flatnonzero(np.isfinite(gains)):
                rest = np.sort(costs[np.setdiff1d(free, [j])])[:remaining].sum()
                if spent + costs[j] + rest > budget * (1 + 1e-12):
                    gains[j] = -np.inf
        best = int(np.argmax(gains))
        if not np.isfinite(gains[best]):
            raise ValueError("no selection of p sites fits the budget")
        chosen.append(best)
        total = total + w[:, [best]].toarray().ravel()
        if costs is not None:
            spent += float(costs[best])
    return np.sort(np.asarray(chosen, dtype=np.int64))


def _submodular_bound(w, c: NDArray, d: NDArray, greedy: NDArray, free_slots: int, value: float) -> float:
    """Upper bound on the optimum from submodularity (Nemhauser, Wolsey & Fisher 1978):
    ``f(S*) ≤ f(G) + Σ of the largest (p − |fixed|) marginal gains ρ_j(G)``, and ``f(G) / (1 − 1/e)``."""
    total = np.asarray(w[:, greedy].sum(axis=1)).ravel()
    coo = w.tocoo()
    current = d * total / (c + total)
    after = d[coo.row] * (total[coo.row] + coo.data) / (c[coo.row] + total[coo.row] + coo.data)
    gains = np.bincount(coo.col, weights=after - current[coo.row], minlength=w.shape[1])
    gains[greedy] = 0.0
    top = np.sort(np.maximum(gains, 0.0))[::-1][: max(free_slots, 0)].sum()
    return float(min(value + top, value / (1 - 1 / math.e)))


#: Relative gap under which the maximum-capture model is reported optimal (its master MILPs are
#: solved to a tenth of it).
_CAPTURE_GAP = 1e-6

#: Largest number of (cell, site) pairs the exact linearisation is attempted on.
MAX_EXACT_PAIRS = 400_000


def max_huff_capture(
    attraction: ArrayLike,
    other: ArrayLike,
    demand: ArrayLike,
    p: int,
    fixed: ArrayLike | None = None,
    *,
    method: str = "exact",
    time_limit: float | None = None,
    site_costs: ArrayLike | None = None,
    budget: float | None = None,
) -> HuffCaptureResult:
    """Open ``p`` sites maximising the Huff-captured demand (section comment above).

    Parameters
    ----------
    attraction : (n_cells, n_candidates) ``w_ij >= 0``, dense or scipy.sparse (zeros: no pull).
    other : (n_cells,) ``C_i > 0``, the attraction of all outlets not being chosen.
    demand : (n_cells,) ``D_i >= 0`` in any unit; the objective is in that unit.
    p, fixed, time_limit, site_costs, budget : as in :func:`maximal_covering`.
    method : ``"greedy"`` (guarantee 1 − 1/e, bound from the largest marginal gains; with a budget
        it skips unaffordable sites and the guarantee no longer holds) or ``"exact"`` (outer
        approximation, started from the greedy solution; refused above :data:`MAX_EXACT_PAIRS`
        positive pairs).

    Returns
    -------
    :class:`HuffCaptureResult`; for ``exact``, ``bound`` is HiGHS's proven upper bound.
    """
    clock = _Clock(time_limit)
    if time_limit is not None and (not math.isfinite(time_limit) or time_limit <= 0):
        raise ValueError(f"time_limit must be a positive number of seconds, got {time_limit!r}")
    w, c, d, p, forced, costs = _check_capture_inputs(attraction, other, demand, p, fixed, site_costs, budget)
    if method not in ("greedy", "exact"):
        raise ValueError(f"method must be 'greedy' or 'exact', got {method!r}")
    greedy = _greedy_capture(w, c, d, p, forced, costs, budget)
    greedy_value = huff_capture_value(w, c, d, greedy)
    if method == "greedy":
        bound = _submodular_bound(w, c, d, greedy, p - forced.shape[0], greedy_value) if costs is None else math.inf
        gap = _relative_gap(greedy_value, bound, maximise=True) if math.isfinite(bound) else 1.0
        chosen = tuple(int(j) for j in greedy)
        return HuffCaptureResult(chosen, greedy_value, "heuristic", gap, clock.elapsed(), bound, "greedy")
    if w.nnz > MAX_EXACT_PAIRS:
        raise ValueError(f"too large for the exact model: {w.nnz} pairs (at most {MAX_EXACT_PAIRS})")
    return _exact_capture(w, c, d, p, forced, costs, budget, greedy, greedy_value, clock)


def _exact_capture(w, c, d, p, forced, costs, budget, greedy, greedy_value, clock) -> HuffCaptureResult:
    """Outer approximation: each cell's captured demand D_i·g(W_i), g(t) = t / (C_i + t), is a
    concave function of the linear W_i(y) = Σ_j w_ij y_j, so every tangent
    ``D_i g(W_i(y)) ≤ D_i [g(a) + g'(a)(W_i(y) − a)]`` is valid for all y and exact at W_i(y) = a.
    Cells are grouped into clusters (by their strongest candidate) and the master MILP has one
    variable η_Q per cluster, bounded by sums of its cells' tangents; it is an upper bound, and
    tangents are added at its solution until the bound meets the best true value (finite: at a
    master solution whose tangents are in, the model value is the true value)."""
    rows_all = sparse.csr_array(w)
    active = np.flatnonzero((d > 0) & (np.diff(rows_all.indptr) > 0))
    cells = rows_all[active]
    n, m = cells.shape
    demand, other = d[active], c[active]
    total_demand = float(demand.sum())
    if n == 0 or total_demand == 0:
        chosen = tuple(int(j) for j in greedy)
        return HuffCaptureResult(chosen, greedy_value, "optimal", 0.0, clock.elapsed(), greedy_value, "exact")
    scale = _OBJECTIVE_SCALE / total_demand
    demand_scaled = demand * scale
    strongest = np.asarray(cells.argmax(axis=1)).ravel()
    _, cluster = np.unique(strongest, return_inverse=True)
    cluster = cluster.ravel()
    n_clusters = int(cluster.max()) + 1
    membership = sparse.csr_array((np.ones(n), (cluster, np.arange(n))), shape=(n_clusters, n))

    def pull(selection: NDArray) -> NDArray:
        return np.asarray(cells[:, selection].sum(axis=1)).ravel() if selection.shape[0] else np.zeros(n)

    cut_rows: list[sparse.csr_array] = []
    cut_rhs: list[NDArray] = []

    def add_cuts(points: NDArray, which: NDArray) -> None:
        """One aggregated cut per cluster in ``which``: η_Q ≤ Σ_{i∈Q} D_i [g(a_i) + g'(a_i)(W_i(y) − a_i)]."""
        slope = other / (other + points) ** 2
        level = points / (other + points)
        per_cell = sparse.diags_array(demand_scaled * slope) @ cells  # (n, m)
        coefficients = (membership @ per_cell)[which]
        rhs = (membership @ (demand_scaled * (level - slope * points)))[which]
        eta = sparse.csr_array(
            (np.ones(which.shape[0]), (np.arange(which.shape[0]), which)), shape=(which.shape[0], n_clusters)
        )
        cut_rows.append(sparse.hstack([-coefficients, eta], format="csr"))
        cut_rhs.append(rhs)

    everything = np.arange(n_clusters)
    add_cuts(pull(greedy), everything)
    for factor in (0.25, 1.0, 4.0):
        add_cuts(factor * other, everything)
    best_selected, best_value = greedy, greedy_value * scale
    bound = math.inf
    cardinality = LinearConstraint(np.concatenate([np.ones(m), np.zeros(n_clusters)])[None, :], p, p)
    lower = np.zeros(m + n_clusters)
    lower[forced] = 1.0
    upper = np.concatenate([np.ones(m), membership @ demand_scaled])
    integrality = np.concatenate([np.ones(m), np.zeros(n_clusters)])
    objective = np.concatenate([np.zeros(m), -np.ones(n_clusters)])
    status = "time_limit"
    while not clock.expired():
        constraints = [
            LinearConstraint(sparse.vstack(cut_rows, format="csr"), -np.inf, np.concatenate(cut_rhs)),
            cardinality,
        ]
        if costs is not None:
            constraints.append(
                LinearConstraint(np.concatenate([costs, np.zeros(n_clusters)])[None, :], -np.inf, budget)
            )
        result = milp(
            objective,
            constraints=constraints,
            integrality=integrality,
            bounds=Bounds(lower, upper),
            options=clock.highs_options(mip_rel_gap=_CAPTURE_GAP / 10),
        )
        if result.status not in (0, 1) or result.x is None:
            if result.status == 2:
                raise ValueError("no selection of p sites fits the budget")
            break
        dual = getattr(result, "mip_dual_bound", None)
        master_bound = -float(dual) if dual is not None and np.isfinite(dual) else -float(result.fun)
        bound = min(bound, master_bound)  # HiGHS's dual bound is valid even when the time ran out
        selected = np.flatnonzero(result.x[:m] > 0.5)
        total = pull(selected)
        true = membership @ (demand_scaled * total / (other + total))
        if true.sum() > best_value:
            best_selected, best_value = selected, float(true.sum())
        if bound - best_value <= _CAPTURE_GAP * max(abs(bound), 1.0):
            break
        loose = np.flatnonzero(result.x[m:] > true + 1e-9 * max(1.0, float(true.max(initial=0.0))))
        if loose.shape[0] == 0:
            if result.status == 0:  # the model is exact at its own optimum: nothing better exists
                bound = best_value
            break
        add_cuts(total, loose)
    value = huff_capture_value(w, c, d, best_selected)
    upper_bound = max(bound / scale, value) if math.isfinite(bound) else math.inf
    gap = _relative_gap(value, upper_bound, maximise=True) if math.isfinite(upper_bound) else 1.0
    status = "optimal" if gap <= _CAPTURE_GAP else "time_limit"
    chosen = tuple(sorted(int(j) for j in best_selected))
    return HuffCaptureResult(chosen, value, status, gap, clock.elapsed(), upper_bound, "exact")
