"""p-median: open ``p`` sites minimising the total weighted distance to the nearest open site.

Model (Hakimi 1964, "Optimum locations of switching centers and the absolute centers and medians
of a graph", Operations Research 12; ReVelle & Swain 1970, "Central facilities location",
Geographical Analysis 2). Given ``cost`` ``c_ij`` (n_demand × n_candidates, e.g. km or travel
minutes from demand point ``i`` to candidate ``j``) and ``weights`` ``w_i >= 0`` (e.g. households or
RMB of deposit potential), choose a set ``S`` of candidates:

* objective: minimise ``Σ_i w_i min_{j ∈ S} c_ij``, in weight × cost units (e.g. household-km);
* constraints: exactly ``p`` sites open (``|S| = p``), every ``fixed`` candidate open (existing
  branches that stay); each demand point is served by its nearest open site.

Solved to proven optimality with ``scipy.optimize.milp`` / ``linprog`` (HiGHS); when
``time_limit`` (seconds) runs out, the best solution found so far is returned with
``status="time_limit"`` and the relative gap to the best proven lower bound.

Benders decomposition of the radius formulation
-----------------------------------------------
The textbook assignment model (one variable per demand point and candidate) has ``n·m``
variables (10 M for 20,000 × 500), far too many. We use the *radius formulation*
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
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from analytics.siting._core import (
    CUTOFF_MARGIN,
    HIGHS_SOLVE_ERROR,
    OBJECTIVE_SCALE,
    OPTIMALITY_TOLERANCE,
    Clock,
    SitingResult,
    check_inputs,
    one_blas_thread,
    pad_selection,
    siting_result,
)

__all__ = ["p_median", "p_median_cost"]

#: HiGHS relative gap for the binary master: effectively exact at the internal objective scale.
_MASTER_GAP = 1e-9

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
    cost: NDArray, weights: NDArray, selected: NDArray, fixed: NDArray, clock: Clock, tolerance: float = 1e-12
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
    clock: Clock,
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
    budget = Clock(max(clock.remaining() * _MULTISTART_SHARE, 1e-3) if math.isfinite(clock.deadline) else None)
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

    def solve_lp(self, clock: Clock):
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

    def solve_milp(self, clock: Clock, cutoff: float | None):
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


def _lp_phase(solver: _PMedianBenders, best: _Incumbent, clock: Clock, max_rounds: int = 200):
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


def _integer_phase(solver: _PMedianBenders, best: _Incumbent, clock: Clock, cost: NDArray, weights: NDArray):
    """Solve the binary master, add cuts at its solution, repeat until the bound meets the incumbent."""
    fixed = np.flatnonzero(solver.lower == 1)
    allowed = np.flatnonzero(solver.upper > 0)  # the swap search never needs the closed candidates
    sub = np.ascontiguousarray(cost[:, allowed])
    local_fixed = np.searchsorted(allowed, fixed)
    while not best.closed() and not clock.expired():
        cutoff = best.cost * (1 - CUTOFF_MARGIN)
        result = solver.solve_milp(clock, cutoff)
        if result.status == HIGHS_SOLVE_ERROR:  # HiGHS sometimes trips over the cutoff row
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
    clock = Clock(time_limit)
    matrix, demand, p, forced = check_inputs(cost, weights, p, fixed, time_limit, allow_inf=False)
    with one_blas_thread():
        return _solve_p_median(matrix, demand, p, forced, clock)


def _solve_p_median(matrix: NDArray, demand: NDArray, p: int, forced: NDArray, clock: Clock) -> SitingResult:
    """Reduction, incumbent, Benders LP phase, reduced-cost fixing, integer phase (module docstring)."""
    reduced_cost, reduced_weights = _reduce_demand(matrix, demand)
    if reduced_weights.shape[0] == 0:  # nothing to serve: any p sites are optimal
        selected = pad_selection(forced, p, matrix.shape[1])
        return siting_result(selected, 0.0, 0.0, clock, maximise=False)
    selected = _greedy(reduced_cost, reduced_weights, p, forced)
    selected = _local_search(reduced_cost, reduced_weights, selected, forced, clock)
    incumbent_cost = p_median_cost(reduced_cost, reduced_weights, selected)
    trivial_bound = float(reduced_weights @ reduced_cost.min(axis=1))
    if p == forced.shape[0] or p == matrix.shape[1]:  # nothing to choose
        objective = p_median_cost(matrix, demand, selected)
        return siting_result(selected, objective, objective, clock, maximise=False)
    if incumbent_cost <= trivial_bound:  # every point is at its nearest candidate
        return siting_result(selected, p_median_cost(matrix, demand, selected), trivial_bound, clock, maximise=False)

    scale = OBJECTIVE_SCALE / incumbent_cost
    scaled_weights = reduced_weights * scale
    best = _Incumbent(selected, OBJECTIVE_SCALE, trivial_bound * scale)
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
    return siting_result(best.selected, objective, bound, clock, maximise=False)
