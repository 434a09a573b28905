"""Maximal covering: open ``p`` sites maximising the demand within a radius of an open site.

Model (Church & ReVelle 1974, "The maximal covering location problem", Papers of the Regional
Science Association 32). Given ``cost`` ``c_ij`` (n_demand × n_candidates, km or travel minutes;
``inf`` where a candidate can never cover a point), a ``radius`` in the same unit and ``weights``
``w_i >= 0`` (e.g. households), with binary ``y_j`` (site ``j`` open) and ``z_i ∈ [0, 1]``
(point ``i`` covered):

* objective: maximise the covered weight ``Σ_i w_i z_i``, in the weights' unit (e.g. households);
* constraints: ``z_i ≤ Σ_{j: c_ij ≤ radius} y_j`` (a point counts only if an open site is within
  the radius), ``Σ_j y_j = p``, ``y_j = 1`` for every ``fixed`` candidate; optionally a budget
  ``Σ_j k_j y_j ≤ budget`` on the build costs ``k_j`` (RMB) of the selected sites.

``z`` is integral at the optimum once ``y`` is. Demand points with identical coverage sets are
merged (summing weights), points no candidate covers are dropped, and points a fixed site covers
are counted as covered constants; the coverage matrix is sparse. 20,000 points × 500 candidates
at 5 km typically leave a few thousand rows.

Solution method (without a budget)
----------------------------------
1. A greedy + best-improvement swap incumbent.
2. **Lagrangian bound.** Relaxing ``z_s ≤ Σ_{j∈s} y_j`` with multipliers ``u_s ≥ 0`` bounds the
   covered weight of any selection by ``Σ_s max(0, W_s − u_s) + Σ_{j selected} h_j`` with
   ``h_j = Σ_{s∋j} u_s``, hence of every feasible one by the same constant plus the ``p`` largest
   ``h_j`` (fixed sites always counted). The bound is computed here from ``u``, so it is valid
   whatever solver produced ``u``, and it equals the LP relaxation's value at its optimal duals.
3. **Certificate.** It equals the incumbent's weight exactly when ``u_s = W_s`` on the groups the
   incumbent leaves uncovered, 0 on those it covers twice or more, ``u_s ∈ [0, W_s]`` on those it
   covers once, and its free sites have the largest ``h_j``: a small feasibility LP, feasible
   exactly when the incumbent solves the LP relaxation. Wide-radius uniform instances (a disc
   covering ~3 % of the area) have an integral LP optimum, so this often proves optimality
   without branching.
4. Otherwise the LP relaxation by HiGHS's interior point method (the MILP's dual simplex needed
   ~16,000 degenerate iterations at the root of those instances), its rounded solution improved
   by swaps, and the bound from its duals.
5. **Fixing**: a candidate whose bound with it forced in is below the incumbent is excluded; one
   whose bound without it is below is forced in. The MILP over the candidates left (demand
   re-merged over them) is asked only for a selection beating the incumbent.

With a budget it is solved as one MILP. Solved to proven optimality with HiGHS
(``scipy.optimize.linprog`` / ``milp``); when ``time_limit`` (seconds) runs out, the best
selection found is returned with ``status="time_limit"`` and the relative gap to the proven upper
bound. Measurements: docs/models-performance.md.
"""

from __future__ import annotations

import math

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
    check_budget,
    check_inputs,
    milp_outcome,
    one_blas_thread,
    pad_selection,
    siting_result,
)

__all__ = ["covered_weight", "maximal_covering"]

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
    sets: sparse.csc_array, weights: NDArray, selected: NDArray, fixed: NDArray, clock: Clock
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
    sets: sparse.csc_array, weights: NDArray, p: int, fixed: NDArray, cutoff: float | None, clock: Clock
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
    clock = Clock(time_limit)
    matrix, demand, p, forced = check_inputs(cost, weights, p, fixed, time_limit, allow_inf=True)
    limit = float(radius)
    if not math.isfinite(limit) or limit < 0:
        raise ValueError(f"radius must be finite and >= 0, got {radius!r}")
    costs = check_budget(site_costs, budget, matrix.shape[1], p, forced)
    with one_blas_thread():
        if costs is not None:
            return _solve_covering_with_budget(matrix, demand, p, limit, forced, costs, float(budget), clock)
        return _solve_covering(matrix, demand, p, limit, forced, clock)


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
        return siting_result(np.asarray(chosen), 0.0, 0.0, clock, maximise=True)
    scale = OBJECTIVE_SCALE / total
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
    status, found, bound = milp_outcome(result, m)
    if found is None:
        if status == "cutoff":
            raise ValueError("no selection of p sites fits the budget")
        raise ValueError("the time limit ran out before a selection within the budget was found")
    objective = covered_weight(matrix, demand, found, radius)
    upper = objective if bound is None else max(-bound / scale, objective)
    return siting_result(found, objective, upper, clock, maximise=True)


def _lagrangian_bound(
    sets: sparse.csc_array, weights: NDArray, u: NDArray, fixed: NDArray, k: int
) -> tuple[float, NDArray]:
    """Upper bound on the covered weight of any ``fixed`` + ``k`` sites, from multipliers ``u``.

    Relaxing z_s ≤ Σ_{j∈s} y_j with multipliers u_s ≥ 0 leaves, for a selection of sites,
    Σ_s max(0, W_s − u_s) + Σ_{j selected} h_j with h_j = Σ_{s∋j} u_s; the fixed sites are in
    every selection and the best k others are the k largest h_j. Valid for every u ≥ 0 (the
    bound is computed here, not taken from a solver), equal to the LP relaxation's value at its
    optimal duals. Returns (bound, h).
    """
    u = np.maximum(u, 0.0)
    h = sets.T @ u
    free = np.ones(h.shape[0], dtype=bool)
    free[fixed] = False
    best = np.sort(h[free])[::-1][:k].sum()
    return float(np.maximum(weights - u, 0.0).sum() + h[fixed].sum() + best), h


def _certificate_multipliers(sets: sparse.csc_array, weights: NDArray, selected: NDArray, fixed: NDArray, clock: Clock):
    """Multipliers u proving ``selected`` optimal through :func:`_lagrangian_bound`, or None.

    The bound equals the covered weight of ``selected`` exactly when u_s = W_s on the groups it
    leaves uncovered, u_s = 0 on those it covers twice or more, u_s ∈ [0, W_s] on those it covers
    once, and its free sites have the largest h_j: a small feasibility LP in the singly covered
    groups' u_s and a threshold μ (h_i ≥ μ for the selected, h_j ≤ μ for the others). It is
    feasible exactly when ``selected`` solves the LP relaxation; then no branching is needed.
    """
    times = np.asarray(sets[:, selected].sum(axis=1)).ravel()
    once = np.flatnonzero(times == 1)
    u = np.where(times == 0, weights, 0.0)
    free = np.setdiff1d(np.arange(sets.shape[1]), fixed)
    chosen = np.isin(free, selected)
    outside = (sets.T @ u)[free]  # h_j from the uncovered groups alone
    share = sets[once][:, free].T.tocsr()  # free site × singly covered group
    sign = np.where(chosen, -1.0, 1.0)  # selected: μ − Σ u ≤ 0; others: Σ u − μ ≤ −outside
    matrix = sparse.hstack([sparse.diags_array(sign) @ share, -sign[:, None]], format="csr")
    result = linprog(
        np.zeros(once.shape[0] + 1),
        A_ub=matrix,
        b_ub=np.where(chosen, 0.0, -outside),
        bounds=[(0.0, w) for w in weights[once]] + [(None, None)],
        method="highs-ds",
        options=clock.highs_options(presolve=True),
    )
    if result.status != 0:
        return None
    u[once] = result.x[:-1]
    return u


def _lp_relaxation(sets: sparse.csc_array, weights: NDArray, p: int, fixed: NDArray, clock: Clock):
    """The LP relaxation by HiGHS's interior point method (with crossover): (y, multipliers u of
    the coverage rows), or None. Interior point solves this large, degenerate LP an order of
    magnitude faster than the dual simplex of a MILP's root."""
    n_sets, m = sets.shape
    lower = np.zeros(m + n_sets)
    lower[fixed] = 1.0
    result = linprog(
        np.concatenate([np.zeros(m), -weights]),
        A_ub=sparse.hstack([-sets, sparse.eye_array(n_sets)], format="csr"),
        b_ub=np.zeros(n_sets),
        A_eq=np.concatenate([np.ones(m), np.zeros(n_sets)])[None, :],
        b_eq=[p],
        bounds=np.column_stack([lower, np.ones(m + n_sets)]),
        method="highs-ipm",
        options=clock.highs_options(),
    )
    if result.status != 0:
        return None
    return result.x[:m], -result.ineqlin.marginals


def _fix_by_bound(h: NDArray, base: float, fixed: NDArray, k: int, target: float) -> tuple[NDArray, NDArray]:
    """Free sites that no selection beating ``target`` contains (excluded) or lacks (forced),
    by :func:`_lagrangian_bound` with one site forced in or out: ``base`` + h_j + the k − 1 best
    others, or ``base`` + the k best others."""
    m = h.shape[0]
    free = np.setdiff1d(np.arange(m), fixed)
    order = free[np.argsort(-h[free], kind="stable")]
    top = h[order]
    rank = np.empty(m, dtype=np.int64)
    rank[order] = np.arange(order.shape[0])
    best_k = top[:k].sum()
    in_top = rank[free] < k
    with_j = np.where(in_top, base + best_k, base + h[free] + top[: k - 1].sum())
    following = top[k] if top.shape[0] > k else 0.0
    without_j = np.where(in_top, base + best_k - h[free] + following, base + best_k)
    return free[with_j < target], free[without_j < target]


def _solve_covering(
    matrix: NDArray, demand: NDArray, p: int, radius: float, forced: NDArray, clock: Clock
) -> SitingResult:
    """Reduction, greedy + swap incumbent, a certificate or the LP relaxation's bound, fixing by
    that bound, then the MILP over the remaining candidates restricted to beating the incumbent."""
    covers = matrix <= radius
    covered_by_fixed = covers[:, forced].any(axis=1)
    open_rows = (demand > 0) & covers.any(axis=1) & ~covered_by_fixed
    constant = float(demand[covered_by_fixed].sum())
    dense_sets, grouped = _coverage_groups(covers[open_rows], demand[open_rows])
    total = float(grouped.sum())
    if p == forced.shape[0] or p == matrix.shape[1] or total == 0:  # nothing to choose, or to gain
        selected = pad_selection(forced, p, matrix.shape[1])
        objective = covered_weight(matrix, demand, selected, radius)
        return siting_result(selected, objective, objective, clock, maximise=True)
    scale = OBJECTIVE_SCALE / total
    weights = grouped * scale
    sets = sparse.csc_array(dense_sets.astype(float))
    k = p - forced.shape[0]
    selected = _swap_cover(sets, weights, _greedy_cover(sets, weights, p, forced), forced, clock)
    incumbent = _cover_value(sets, weights, selected)
    upper_bound = OBJECTIVE_SCALE  # everything coverable

    def done() -> SitingResult:
        objective = covered_weight(matrix, demand, selected, radius)
        bound = max(constant + upper_bound / scale, objective)
        return siting_result(selected, objective, bound, clock, maximise=True)

    def proven() -> bool:
        return upper_bound <= incumbent * (1 + OPTIMALITY_TOLERANCE)

    if proven() or clock.expired():
        return done()
    # 1. is the incumbent already the LP relaxation's optimum? (a small LP says so)
    u = _certificate_multipliers(sets, weights, selected, forced, clock)
    if u is not None:
        upper_bound = min(upper_bound, _lagrangian_bound(sets, weights, u, forced, k)[0])
        if proven() or clock.expired():
            return done()
    # 2. the LP relaxation: a bound, a rounded selection, and multipliers for fixing
    relaxation = None if clock.expired() else _lp_relaxation(sets, weights, p, forced, clock)
    free = np.setdiff1d(np.arange(sets.shape[1]), forced)
    keep = np.arange(sets.shape[1])
    if relaxation is not None:
        y, u = relaxation
        rounded = np.sort(np.concatenate([forced, free[np.argsort(-y[free], kind="stable")[:k]]]))
        if _cover_value(sets, weights, rounded) > incumbent:
            selected = _swap_cover(sets, weights, rounded, forced, clock)
            incumbent = _cover_value(sets, weights, selected)
        bound, h = _lagrangian_bound(sets, weights, u, forced, k)
        upper_bound = min(upper_bound, bound)
        if proven() or clock.expired():
            return done()
        target = incumbent * (1 + CUTOFF_MARGIN)
        excluded, forced_in = _fix_by_bound(
            h, float(np.maximum(weights - np.maximum(u, 0), 0).sum()), forced, k, target
        )
        keep = np.setdiff1d(keep, excluded)
        if forced.shape[0] + forced_in.shape[0] >= p or keep.shape[0] <= p:
            # every selection beating the target is fixed (or none exists): the incumbent stands
            # unless that one selection is better
            only = np.union1d(forced, forced_in) if keep.shape[0] > p else keep
            if only.shape[0] == p and _cover_value(sets, weights, only) > incumbent:
                selected, incumbent = only, _cover_value(sets, weights, only)
            upper_bound = min(upper_bound, max(target, incumbent))
            return done()
        forced = np.union1d(forced, forced_in)
    # 3. the MILP over the candidates left, asked for a selection beating the incumbent
    positions = np.searchsorted(keep, forced)
    sub_sets, sub_weights = _coverage_groups(dense_sets[:, keep], weights)
    reachable = sub_sets.any(axis=1)
    sub = sparse.csc_array(sub_sets[reachable].astype(float))
    sub_weights = sub_weights[reachable]
    cutoff = incumbent * (1 + CUTOFF_MARGIN)
    result = _covering_milp(sub, sub_weights, p, positions, cutoff, clock)
    if result.status == HIGHS_SOLVE_ERROR:  # HiGHS sometimes trips over the cutoff row
        cutoff = incumbent
        result = _covering_milp(sub, sub_weights, p, positions, None, clock)
    status, found, milp_bound = milp_outcome(result, keep.shape[0])
    if found is not None and _cover_value(sets, weights, keep[found]) > incumbent:
        selected = keep[found]
        incumbent = _cover_value(sets, weights, selected)
    if status == "cutoff":
        upper_bound = min(upper_bound, cutoff)
    elif milp_bound is not None:  # solutions below the cutoff are excluded but are below it anyway
        upper_bound = min(upper_bound, max(-milp_bound, cutoff))
    return done()
