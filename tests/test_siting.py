"""Site selection (analytics.siting): p-median and maximal covering against brute force.

Every optimum is checked against an independent reference: enumeration of all subsets with
``itertools.combinations`` on small instances, or the textbook (unreduced) MILP formulations on
medium ones.
"""

from __future__ import annotations

import dataclasses
import itertools
import warnings
from types import SimpleNamespace

import numpy as np
import pytest
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

import analytics.siting as siting
from analytics.siting import OPTIMALITY_TOLERANCE, SitingResult, _core, covering, maximal_covering, p_median, pmedian

# --------------------------------------------------------------------------- references


def brute_p_median(cost, weights, p, fixed=()):
    """Minimum of Σ w_i min_{j∈S} c_ij over every S of size p containing ``fixed``."""
    subsets = [s for s in itertools.combinations(range(cost.shape[1]), p) if set(fixed) <= set(s)]
    return min(float(weights @ cost[:, list(s)].min(axis=1)) for s in subsets)


def brute_covering(cost, weights, p, radius, fixed=()):
    subsets = [s for s in itertools.combinations(range(cost.shape[1]), p) if set(fixed) <= set(s)]
    return max(float(weights @ (cost[:, list(s)] <= radius).any(axis=1)) for s in subsets)


def assignment_p_median(cost, weights, p):
    """Textbook p-median MILP (ReVelle & Swain 1970): x_ij ≤ y_j, Σ_j x_ij = 1, Σ y = p."""
    n, m = cost.shape
    n_x = n * m
    rows = np.arange(n_x)
    linking = sparse.csr_array(
        (
            np.concatenate([np.ones(n_x), -np.ones(n_x)]),
            (np.concatenate([rows, rows]), np.concatenate([rows, n_x + rows % m])),
        ),
        shape=(n_x, n_x + m),
    )
    assignment = sparse.csr_array((np.ones(n_x), (rows // m, rows)), shape=(n, n_x + m))
    cardinality = np.concatenate([np.zeros(n_x), np.ones(m)])[None, :]
    result = milp(
        np.concatenate([(weights[:, None] * cost).ravel(), np.zeros(m)]),
        constraints=[
            LinearConstraint(linking, -np.inf, 0),
            LinearConstraint(assignment, 1, 1),
            LinearConstraint(cardinality, p, p),
        ],
        integrality=np.concatenate([np.zeros(n_x), np.ones(m)]),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 1e-10},
    )
    assert result.status == 0
    return result.fun


def random_instance(seed, n=12, m=8):
    """Small instances of three kinds: continuous costs, integer costs (many ties), planar distances."""
    rng = np.random.default_rng(seed)
    kind = seed % 3
    if kind == 0:
        cost = rng.uniform(0, 10, (n, m))
    elif kind == 1:
        cost = rng.integers(0, 5, (n, m)).astype(float)
    else:
        demand, sites = rng.random((n, 2)) * 10, rng.random((m, 2)) * 10
        cost = np.sqrt(((demand[:, None, :] - sites[None, :, :]) ** 2).sum(axis=2))
    weights = rng.integers(0, 5, n).astype(float) if seed % 2 else rng.uniform(0, 3, n)
    return rng, cost, weights


def assert_valid(result, p, fixed=()):
    assert isinstance(result, SitingResult)
    assert len(result.selected) == p == len(set(result.selected))
    assert list(result.selected) == sorted(result.selected)
    assert set(fixed) <= set(result.selected)
    assert result.solve_seconds >= 0


# --------------------------------------------------------------------------- p-median


@pytest.mark.parametrize("seed", range(24))
def test_p_median_equals_brute_force(seed):
    rng, cost, weights = random_instance(seed)
    for p in range(1, 5):
        fixed = sorted(rng.choice(8, size=min(p, seed % 3), replace=False).tolist()) if seed % 4 == 0 else []
        result = p_median(cost, weights, p, fixed=fixed)
        assert_valid(result, p, fixed)
        best = brute_p_median(cost, weights, p, fixed)
        assert result.status == "optimal"
        assert result.objective == pytest.approx(best, rel=1e-9, abs=1e-12)
        assert result.objective == pytest.approx(float(weights @ cost[:, list(result.selected)].min(axis=1)))
        assert result.bound <= result.objective and result.gap <= OPTIMALITY_TOLERANCE


def test_p_median_matches_textbook_formulation_on_a_medium_instance():
    rng = np.random.default_rng(100)
    demand, sites = rng.random((150, 2)) * 50, rng.random((25, 2)) * 50
    cost = np.sqrt(((demand[:, None, :] - sites[None, :, :]) ** 2).sum(axis=2))
    weights = rng.lognormal(0, 0.7, 150)
    for p in (2, 5):
        result = p_median(cost, weights, p)
        assert result.status == "optimal"
        assert result.objective == pytest.approx(assignment_p_median(cost, weights, p), rel=1e-7)


def test_p_median_fixed_sites_are_kept_even_when_poor():
    cost = np.array([[0.0, 9.0, 9.0], [9.0, 0.0, 9.0], [9.0, 9.0, 0.0], [9.0, 9.0, 0.0]])
    weights = np.ones(4)
    assert p_median(cost, weights, 1).selected == (2,)  # serves two points at 0
    forced = p_median(cost, weights, 1, fixed=[0])
    assert forced.selected == (0,) and forced.objective == 27.0 and forced.status == "optimal"
    two = p_median(cost, weights, 2, fixed=[0])
    assert two.selected == (0, 2) and two.objective == 9.0


def test_p_median_all_equal_costs_and_duplicate_candidates():
    flat = p_median(np.full((6, 5), 3.0), np.arange(6.0), 2)
    assert_valid(flat, 2)
    assert flat.objective == 45.0 and flat.status == "optimal"
    # Candidates 1 and 3 are identical; either may be chosen, the optimum value is unique.
    rng = np.random.default_rng(7)
    cost = rng.uniform(0, 10, (10, 5))
    cost[:, 3] = cost[:, 1]
    weights = rng.uniform(1, 2, 10)
    for p in (1, 2, 3):
        result = p_median(cost, weights, p)
        assert_valid(result, p)
        assert result.objective == pytest.approx(brute_p_median(cost, weights, p), rel=1e-12)


def test_p_median_merges_duplicate_demand_rows_exactly():
    _, cost, weights = random_instance(2, n=10, m=7)
    tripled = np.vstack([cost, cost, cost])
    for p in (1, 3):
        result = p_median(tripled, np.concatenate([weights, weights, weights]), p)
        assert result.objective == pytest.approx(3 * brute_p_median(cost, weights, p), rel=1e-9)


def test_p_median_degenerate_cases():
    cost = np.array([[1.0, 2.0, 3.0], [4.0, 1.0, 2.0]])
    everything = p_median(cost, [1.0, 1.0], 3)
    assert everything.selected == (0, 1, 2) and everything.objective == 2.0 and everything.status == "optimal"
    nobody = p_median(cost, [0.0, 0.0], 2, fixed=[2])
    assert nobody.selected == (0, 2) and nobody.objective == 0.0 and nobody.status == "optimal"
    exact_fit = p_median(cost, [1.0, 2.0], 2, fixed=[2, 0])
    assert exact_fit.selected == (0, 2) and exact_fit.objective == 5.0 and exact_fit.gap == 0.0


def test_benders_cuts_are_valid_and_tight_at_integer_points():
    rng, cost, weights = random_instance(5, n=30, m=9)
    solver = pmedian._PMedianBenders(cost, weights, 3, np.empty(0, dtype=np.int64))
    for subset in itertools.combinations(range(9), 3):
        y = np.zeros(9)
        y[list(subset)] = 1.0
        value, coefficients, rhs = solver.cuts_at(y)
        true_cost = float(weights @ cost[:, list(subset)].min(axis=1))
        assert value.sum() == pytest.approx(true_cost, rel=1e-12)  # tight at the point itself
    for _ in range(20):  # a cut built at a fractional point never overestimates any integer point
        fractional = rng.dirichlet(np.ones(9)) * 3
        _, coefficients, rhs = solver.cuts_at(np.clip(fractional, 0, 1))
        for subset in itertools.combinations(range(9), 3):
            y = np.zeros(9)
            y[list(subset)] = 1.0
            assert (rhs - coefficients @ y).sum() <= float(weights @ cost[:, list(subset)].min(axis=1)) + 1e-9


def test_p_median_time_limit_returns_best_found_with_a_valid_bound():
    rng = np.random.default_rng(11)
    demand, sites = rng.random((300, 2)) * 100, rng.random((40, 2)) * 100
    cost = np.sqrt(((demand[:, None, :] - sites[None, :, :]) ** 2).sum(axis=2))
    weights = rng.uniform(1, 5, 300)
    result = p_median(cost, weights, 4, time_limit=1e-9)  # expires before any bound is computed
    assert_valid(result, 4)
    assert result.status == "time_limit"
    assert result.gap > OPTIMALITY_TOLERANCE
    assert result.bound <= result.objective
    assert result.gap == pytest.approx((result.objective - result.bound) / result.objective)
    assert result.bound == pytest.approx(float(weights @ cost.min(axis=1)))  # the trivial bound
    solved = p_median(cost, weights, 4)
    assert solved.status == "optimal"
    assert result.bound <= solved.objective <= result.objective


def optimal_subsets(cost, weights, p, rel=1e-9):
    """Every subset of size p whose cost is the minimum (ties kept), and that minimum."""
    costs = {s: float(weights @ cost[:, list(s)].min(axis=1)) for s in itertools.combinations(range(cost.shape[1]), p)}
    best = min(costs.values())
    return [set(s) for s, c in costs.items() if c <= best * (1 + rel) + 1e-12], best


@pytest.mark.parametrize("seed", range(12))
def test_reduced_cost_fixing_never_removes_an_optimal_candidate(seed):
    # kinds alternate: continuous, integer costs 0..4 (many ties, several optimal subsets), planar
    _, cost, weights = random_instance(seed, n=40, m=10)
    weights = weights + 0.5  # positive weights, so no point is dropped
    for p in (2, 3, 4):
        optima, best_cost = optimal_subsets(cost, weights, p)
        scale = _core.OBJECTIVE_SCALE / best_cost
        incumbent = pmedian._Incumbent(np.asarray(sorted(optima[0])), _core.OBJECTIVE_SCALE, 0.0)
        solver = pmedian._PMedianBenders(cost, weights * scale, p, np.empty(0, dtype=np.int64))
        lp = pmedian._lp_phase(solver, incumbent, _core.Clock(None))
        assert lp is not None and incumbent.lower_bound <= _core.OBJECTIVE_SCALE * (1 + 1e-9)
        solver.fix_by_reduced_costs(lp, incumbent.lower_bound, incumbent.cost)
        closed = set(np.flatnonzero(solver.upper == 0).tolist())
        forced = set(np.flatnonzero(solver.lower == 1).tolist())
        for subset in optima:
            assert not closed & subset, (p, closed, subset)
            assert forced <= subset, (p, forced, subset)
        assert solver.upper.sum() >= p


def test_reduced_cost_fixing_closes_candidates_on_a_loose_instance():
    # Not a vacuous check: the fixing does close candidates here (far-away sites), and the
    # solve that follows still finds the brute-force optimum.
    rng = np.random.default_rng(3)
    demand, sites = rng.random((60, 2)) * 10, np.vstack([rng.random((8, 2)) * 10, rng.random((4, 2)) * 10 + 40])
    cost = np.sqrt(((demand[:, None, :] - sites[None, :, :]) ** 2).sum(axis=2))
    weights = rng.uniform(1, 3, 60)
    optima, best_cost = optimal_subsets(cost, weights, 3)
    scale = _core.OBJECTIVE_SCALE / best_cost
    incumbent = pmedian._Incumbent(np.asarray(sorted(optima[0])), _core.OBJECTIVE_SCALE, 0.0)
    solver = pmedian._PMedianBenders(cost, weights * scale, 3, np.empty(0, dtype=np.int64))
    lp = pmedian._lp_phase(solver, incumbent, _core.Clock(None))
    solver.fix_by_reduced_costs(lp, incumbent.lower_bound, incumbent.cost)
    assert {8, 9, 10, 11} <= set(np.flatnonzero(solver.upper == 0).tolist())
    assert p_median(cost, weights, 3).objective == pytest.approx(best_cost, rel=1e-9)


@pytest.mark.parametrize("n, m, p, seed", [(400, 30, 6, 3), (600, 40, 6, 6), (600, 40, 6, 8)])
def test_p_median_with_fixed_sites_through_the_integer_phase(n, m, p, seed):
    """Instances (found by search) that reach the multistart and the binary master, with fixed
    sites, against brute force over the remaining choices."""
    rng = np.random.default_rng(40 + seed)
    demand, sites = rng.random((n, 2)) * 100, rng.random((m, 2)) * 100
    cost = np.sqrt(((demand[:, None, :] - sites[None, :, :]) ** 2).sum(axis=2))
    weights = rng.lognormal(0, 0.5, n)
    fixed = sorted({int(rng.integers(m)), int(rng.integers(m))})
    calls = []
    real = pmedian._PMedianBenders.solve_milp

    def counting(self, clock, cutoff):
        calls.append(cutoff)
        return real(self, clock, cutoff)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pmedian._PMedianBenders, "solve_milp", counting)
        result = p_median(cost, weights, p, fixed=fixed)
    assert calls, "the instance no longer reaches the binary master"
    assert_valid(result, p, fixed)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(brute_p_median(cost, weights, p, fixed), rel=1e-9)
    assert result.objective == pytest.approx(float(weights @ cost[:, list(result.selected)].min(axis=1)))


def test_p_median_master_options_reach_highs_without_warnings():
    rng = np.random.default_rng(8)
    demand, sites = rng.random((400, 2)) * 50, rng.random((30, 2)) * 50
    cost = np.sqrt(((demand[:, None, :] - sites[None, :, :]) ** 2).sum(axis=2))
    weights = rng.uniform(1, 2, 400)
    solver = pmedian._PMedianBenders(cost, weights, 4, np.empty(0, dtype=np.int64))
    solver.add_cuts_at(pmedian._indicator(np.arange(4), 30), permanent=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # scipy warns about options it passes to HiGHS verbatim
        master = solver.solve_milp(_core.Clock(None), None)
    assert master.status == 0
    assert int(round(master.x[:30].sum())) == 4


def test_p_median_time_limit_mid_solve_keeps_a_valid_bound():
    rng = np.random.default_rng(21)
    demand, sites = rng.random((3000, 2)) * 100, rng.random((150, 2)) * 100
    cost = np.sqrt(((demand[:, None, :] - sites[None, :, :]) ** 2).sum(axis=2))
    weights = rng.lognormal(0, 0.5, 3000)
    limited = p_median(cost, weights, 8, time_limit=0.5)
    assert_valid(limited, 8)
    assert limited.status in ("time_limit", "optimal")
    assert limited.objective == pytest.approx(float(weights @ cost[:, list(limited.selected)].min(axis=1)))
    assert limited.bound <= limited.objective
    assert limited.gap == pytest.approx(max(0.0, limited.objective - limited.bound) / limited.objective)
    assert (limited.status == "optimal") == (limited.gap <= OPTIMALITY_TOLERANCE)
    solved = p_median(cost, weights, 8)
    assert solved.status == "optimal"
    assert limited.bound <= solved.objective * (1 + 1e-9)
    assert solved.objective <= limited.objective * (1 + 1e-12)


# --------------------------------------------------------------------------- maximal covering


@pytest.mark.parametrize("seed", range(24))
def test_maximal_covering_equals_brute_force(seed):
    rng, cost, weights = random_instance(seed)
    radius = float(np.quantile(cost, 0.3))
    for p in range(1, 5):
        fixed = sorted(rng.choice(8, size=min(p, seed % 3), replace=False).tolist()) if seed % 4 == 1 else []
        result = maximal_covering(cost, weights, p, radius, fixed=fixed)
        assert_valid(result, p, fixed)
        best = brute_covering(cost, weights, p, radius, fixed)
        assert result.status == "optimal"
        assert result.objective == pytest.approx(best, rel=1e-9, abs=1e-12)
        assert result.bound >= result.objective and result.gap <= OPTIMALITY_TOLERANCE


def test_maximal_covering_matches_unaggregated_formulation():
    rng = np.random.default_rng(101)
    demand, sites = rng.random((400, 2)) * 30, rng.random((40, 2)) * 30
    cost = np.sqrt(((demand[:, None, :] - sites[None, :, :]) ** 2).sum(axis=2))
    weights = rng.lognormal(0, 0.5, 400)
    covers = sparse.csr_array((cost <= 4.0).astype(float))
    n, m = covers.shape
    coverage = sparse.hstack([-covers, sparse.eye_array(n)], format="csr")  # z_i ≤ Σ_{j covers i} y_j
    reference = milp(
        np.concatenate([np.zeros(m), -weights]),
        constraints=[
            LinearConstraint(coverage, -np.inf, 0),
            LinearConstraint(np.r_[np.ones(m), np.zeros(n)][None, :], 6, 6),
        ],
        integrality=np.r_[np.ones(m), np.zeros(n)],
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 1e-10},
    )
    result = maximal_covering(cost, weights, 6, 4.0)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(-reference.fun, rel=1e-8)


def test_maximal_covering_by_hand():
    # Candidate 0 covers points {0, 1}, candidate 1 covers {1, 2}, candidate 2 covers {3}; point 4
    # is out of everyone's reach (inf). Weights 5, 1, 4, 3, 100.
    inf = np.inf
    cost = np.array([[1.0, 9.0, 9.0], [1.0, 1.0, 9.0], [9.0, 1.0, 9.0], [9.0, 9.0, 1.0], [inf, inf, inf]])
    weights = np.array([5.0, 1.0, 4.0, 3.0, 100.0])
    one = maximal_covering(cost, weights, 1, 2.0)
    assert one.selected == (0,) and one.objective == 6.0  # {0,1} = 6 beats {1,2} = 5 and {3} = 3
    two = maximal_covering(cost, weights, 2, 2.0)
    assert two.selected == (0, 1) and two.objective == 10.0
    forced = maximal_covering(cost, weights, 2, 2.0, fixed=[2])
    assert forced.selected == (0, 2) and forced.objective == 9.0
    assert maximal_covering(cost, weights, 3, 0.5).objective == 0.0


def test_maximal_covering_time_limit_returns_greedy_with_a_valid_bound():
    rng = np.random.default_rng(12)
    demand, sites = rng.random((500, 2)) * 100, rng.random((60, 2)) * 100
    cost = np.sqrt(((demand[:, None, :] - sites[None, :, :]) ** 2).sum(axis=2))
    weights = rng.uniform(1, 5, 500)
    result = maximal_covering(cost, weights, 5, 12.0, time_limit=1e-9)
    assert_valid(result, 5)
    assert result.status == "time_limit" and result.gap > 0
    solved = maximal_covering(cost, weights, 5, 12.0)
    assert result.objective <= solved.objective <= result.bound


def covering_groups(cost, weights, radius):
    """The aggregated sets and weights maximal_covering works on (no fixed sites)."""
    covers = cost <= radius
    rows = (weights > 0) & covers.any(axis=1)
    dense, grouped = covering._coverage_groups(covers[rows], weights[rows])
    return dense, sparse.csc_array(dense.astype(float)), grouped


def all_selections(sets, weights, p, fixed=()):
    m = sets.shape[1]
    for chosen in itertools.combinations(range(m), p):
        if set(fixed) <= set(chosen):
            yield chosen, float(weights @ (sets[:, list(chosen)].sum(axis=1) > 0))


@pytest.mark.parametrize("seed", range(12))
def test_lagrangian_bound_is_an_upper_bound_for_any_multipliers_and_the_lp_value_at_its_duals(seed):
    rng, cost, weights = random_instance(seed, n=14, m=7)
    _, sets, grouped = covering_groups(cost, weights, float(np.quantile(cost, 0.35)))
    p = 1 + seed % 3
    fixed = np.array([seed % 7]) if seed % 4 == 3 and p > 1 else np.empty(0, dtype=np.int64)
    best = max(value for _, value in all_selections(sets, grouped, p, fixed))
    for _ in range(20):
        u = rng.uniform(-1, 4, sets.shape[0])  # negative entries are clipped to 0
        assert covering._lagrangian_bound(sets, grouped, u, fixed, p - len(fixed))[0] >= best - 1e-9
    relaxation = covering._lp_relaxation(sets, grouped, p, fixed, _core.Clock(None))
    y, u = relaxation
    lp_value = float(grouped @ np.minimum(1.0, sets @ y))  # the LP's z at its y
    bound = covering._lagrangian_bound(sets, grouped, u, fixed, p - len(fixed))[0]
    assert bound == pytest.approx(lp_value, rel=1e-7, abs=1e-9)
    assert bound >= best - 1e-9


@pytest.mark.parametrize("seed", range(12))
def test_certificate_exists_exactly_for_lp_optimal_selections_and_proves_the_optimum(seed):
    _, cost, weights = random_instance(seed, n=14, m=7)
    _, sets, grouped = covering_groups(cost, weights, float(np.quantile(cost, 0.35)))
    p = 1 + seed % 3
    none = np.empty(0, dtype=np.int64)
    clock = _core.Clock(None)
    _, lp_duals = covering._lp_relaxation(sets, grouped, p, none, clock)
    lp_value = covering._lagrangian_bound(sets, grouped, lp_duals, none, p)[0]
    for chosen, value in all_selections(sets, grouped, p):
        u = covering._certificate_multipliers(sets, grouped, np.array(chosen), none, clock)
        if value < lp_value * (1 - 1e-7):  # not LP-optimal: no certificate can exist
            assert u is None, chosen
        else:  # an integral LP optimum: complementary slackness gives one
            assert u is not None, chosen
            assert covering._lagrangian_bound(sets, grouped, u, none, p)[0] == pytest.approx(value, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("seed", range(12))
def test_fixing_by_the_bound_never_removes_a_better_selection(seed):
    """Every selection that beats the target keeps out the excluded sites and contains the forced
    ones (brute force over all selections)."""
    _, cost, weights = random_instance(seed, n=16, m=8)
    _, sets, grouped = covering_groups(cost, weights, float(np.quantile(cost, 0.3)))
    p = 2 + seed % 3
    none = np.empty(0, dtype=np.int64)
    _, u = covering._lp_relaxation(sets, grouped, p, none, _core.Clock(None))
    _, h = covering._lagrangian_bound(sets, grouped, u, none, p)
    base = float(np.maximum(grouped - np.maximum(u, 0), 0).sum())
    values = sorted(value for _, value in all_selections(sets, grouped, p))
    for target in (values[len(values) // 2], values[-1] * 0.97, values[-1] * (1 - 1e-9)):
        excluded, forced = covering._fix_by_bound(h, base, none, p, target)
        for chosen, value in all_selections(sets, grouped, p):
            if value >= target:
                assert not set(excluded) & set(chosen), (target, chosen)
                assert set(forced) <= set(chosen), (target, chosen)


@pytest.mark.parametrize("seed", range(8))
def test_maximal_covering_objective_is_the_same_with_and_without_the_bound_reductions(seed, monkeypatch):
    """Certificate, LP bound and fixing against the plain MILP on instances too big for brute force."""
    rng = np.random.default_rng(300 + seed)
    demand, sites = rng.random((600, 2)) * 40, rng.random((40, 2)) * 40
    cost = np.sqrt(((demand[:, None, :] - sites[None, :, :]) ** 2).sum(axis=2))
    weights = np.ones(600) if seed % 2 else rng.lognormal(0, 0.5, 600)
    radius, p = [4.0, 6.0, 8.0, 10.0][seed % 4], 3 + seed % 4
    fixed = [int(seed % 40)] if seed % 3 == 2 else None
    reduced = maximal_covering(cost, weights, p, radius, fixed=fixed)
    monkeypatch.setattr(covering, "_certificate_multipliers", lambda *args: None)
    monkeypatch.setattr(covering, "_lp_relaxation", lambda *args: None)
    plain = maximal_covering(cost, weights, p, radius, fixed=fixed)
    assert reduced.status == plain.status == "optimal"
    assert reduced.objective == pytest.approx(plain.objective, rel=1e-9)
    assert covering.covered_weight(cost, weights, reduced.selected, radius) == pytest.approx(reduced.objective)


# --------------------------------------------------------------------------- HiGHS status mapping


def test_milp_outcome_maps_highs_statuses():
    optimal = SimpleNamespace(status=0, x=np.array([1.0, 0.0, 1.0, 0.3]), fun=-5.0, mip_dual_bound=-5.0, message="")
    status, selected, bound = _core.milp_outcome(optimal, 3)
    assert status == "optimal" and bound == -5.0
    np.testing.assert_array_equal(selected, [0, 2])
    limited = SimpleNamespace(status=1, x=np.array([0.0, 1.0, 0.0]), fun=-3.0, mip_dual_bound=-4.5, message="")
    status, selected, bound = _core.milp_outcome(limited, 3)
    assert status == "time_limit" and bound == -4.5
    np.testing.assert_array_equal(selected, [1])
    nothing = SimpleNamespace(status=1, x=None, fun=None, mip_dual_bound=np.nan, message="Time limit reached")
    assert _core.milp_outcome(nothing, 3) == ("time_limit", None, None)
    beaten = SimpleNamespace(status=2, x=None, fun=None, mip_dual_bound=np.inf, message="infeasible")
    assert _core.milp_outcome(beaten, 3) == ("cutoff", None, None)
    with pytest.raises(RuntimeError, match="HiGHS failed"):
        _core.milp_outcome(SimpleNamespace(status=4, x=None, fun=None, message="Solve error"), 3)


def test_highs_solve_error_on_the_cutoff_row_falls_back_to_the_plain_model(monkeypatch):
    real = covering._covering_milp
    calls = []

    def flaky(sets, weights, p, fixed, cutoff, clock):
        calls.append(cutoff)
        if cutoff is not None:
            return SimpleNamespace(status=4, x=None, fun=None, message="(HiGHS Status 4: Solve error)")
        return real(sets, weights, p, fixed, cutoff, clock)

    monkeypatch.setattr(covering, "_covering_milp", flaky)
    monkeypatch.setattr(covering, "_certificate_multipliers", lambda *args: None)  # straight to the MILP
    monkeypatch.setattr(covering, "_lp_relaxation", lambda *args: None)
    _, cost, weights = random_instance(6)
    radius = float(np.quantile(cost, 0.3))
    result = maximal_covering(cost, weights, 3, radius)
    assert calls[0] is not None and calls[-1] is None
    assert result.status == "optimal"
    assert result.objective == pytest.approx(brute_covering(cost, weights, 3, radius), rel=1e-9)


# --------------------------------------------------------------------------- input checks


@pytest.mark.parametrize("model", ["p_median", "maximal_covering"])
@pytest.mark.parametrize(
    "change, message",
    [
        ({"p": 4}, "p must be between"),
        ({"p": 0}, "p must be between"),
        ({"p": 1.5}, "p must be an integer"),
        ({"p": 1, "fixed": [0, 1]}, "fixed sites"),
        ({"fixed": [0, 0]}, "duplicate"),
        ({"fixed": [3]}, "fixed indices"),
        ({"weights": [1.0, -1.0]}, "weights"),
        ({"weights": [1.0]}, "weights must have shape"),
        ({"cost": [[1.0, np.nan, 2.0], [1.0, 1.0, 1.0]]}, "NaN"),
        ({"cost": [[1.0, -2.0, 2.0], [1.0, 1.0, 1.0]]}, ">= 0"),
        ({"cost": [1.0, 2.0, 3.0]}, "matrix"),
        ({"time_limit": 0.0}, "time_limit"),
    ],
)
def test_bad_input_raises(model, change, message):
    arguments = {"cost": [[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]], "weights": [1.0, 1.0], "p": 2, "fixed": None}
    arguments.update(change)
    if model == "maximal_covering":
        arguments["radius"] = 1.5
    with pytest.raises(ValueError, match=message):
        getattr(siting, model)(**arguments)


def test_model_specific_input_checks():
    with pytest.raises(ValueError, match="finite"):
        p_median([[1.0, np.inf]], [1.0], 1)
    assert maximal_covering([[1.0, np.inf]], [1.0], 1, 2.0).objective == 1.0  # inf = never covers
    with pytest.raises(ValueError, match="radius"):
        maximal_covering([[1.0, 2.0]], [1.0], 1, -1.0)


def test_result_is_frozen():
    result = p_median([[1.0, 2.0]], [1.0], 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.objective = 0.0  # type: ignore[misc]


def test_swap_neighbours_are_the_cheapest_single_swaps_by_brute_force():
    from analytics.siting.pmedian import _swap_neighbours, p_median_cost

    rng = np.random.default_rng(8)
    cost = rng.random((40, 9))
    weights = rng.random(40)
    selected, fixed, allowed = np.array([1, 4, 6]), np.array([4]), np.array([0, 1, 2, 4, 5, 6, 7])  # 3 and 8 closed
    swaps = [
        np.sort(np.where(selected == out, into, selected))
        for out in (1, 6)  # the fixed site 4 never moves
        for into in allowed
        if into not in selected
    ]
    by_cost = sorted(swaps, key=lambda s: p_median_cost(cost, weights, s))
    found = _swap_neighbours(cost, weights, selected, allowed, fixed, 4)
    assert [list(s) for s in found] == [list(s) for s in by_cost[:4]]
    assert len(_swap_neighbours(cost, weights, selected, allowed, fixed, 100)) == len(swaps)
