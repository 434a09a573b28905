"""Huff model (analytics.huff): probabilities, captured demand, candidate evaluation, calibration.

Reference values are worked out by hand in the comments (exact fractions where possible) or
recomputed independently from an explicit distance matrix with the plain textbook formula.
"""

from __future__ import annotations

import math
import tracemalloc
from fractions import Fraction

import numpy as np
import pytest
from scipy import sparse

import analytics.huff as huff
from analytics.huff import (
    EARTH_RADIUS_KM,
    calibrate_huff,
    captured_demand,
    evaluate_candidates,
    haversine_km,
    huff_probabilities,
    network_baseline,
)

# --------------------------------------------------------------------------- probabilities, by hand


def test_one_cell_two_outlets_by_hand():
    # λ = 2, α = 1, equal A: weights 1/1² = 1 and 1/2² = 1/4 → 1/(5/4) = 0.8 and (1/4)/(5/4) = 0.2.
    probabilities = huff_probabilities([[1.0, 2.0]], [1.0, 1.0], distance_decay=2.0, attractiveness_exponent=1.0)
    np.testing.assert_allclose(probabilities, [[0.8, 0.2]], rtol=1e-15)


def test_textbook_worked_example():
    # Two neighbourhoods choose among three shopping centres (floor area in 1,000 m², distances in
    # km), λ = 2, α = 1 — the classic Huff worked example, done exactly with fractions:
    #   neighbourhood 1: A/d² = 50/2² = 25/2, 100/4² = 25/4, 200/5² = 8     → total 107/4
    #   neighbourhood 2: A/d² = 50/4² = 25/8, 100/2² = 25,   200/8² = 25/8  → total 125/4
    # P_1 = (50/107, 25/107, 32/107), P_2 = (1/10, 4/5, 1/10).
    # With 3,210 and 1,000 households the centres expect 1,500 + 100, 750 + 800, 960 + 100.
    area = [50.0, 100.0, 200.0]
    distance = [[2.0, 4.0, 5.0], [4.0, 2.0, 8.0]]
    expected = [
        [Fraction(50, 107), Fraction(25, 107), Fraction(32, 107)],
        [Fraction(1, 10), Fraction(4, 5), Fraction(1, 10)],
    ]
    probabilities = huff_probabilities(distance, area, distance_decay=2.0)
    np.testing.assert_allclose(probabilities, np.array(expected, dtype=float), rtol=1e-14)
    households = captured_demand(distance, area, [3210.0, 1000.0], distance_decay=2.0)
    np.testing.assert_allclose(households, [1600.0, 1550.0, 1060.0], rtol=1e-13)


def test_single_row_input_gives_single_row_output():
    np.testing.assert_allclose(huff_probabilities([1.0, 2.0], [1.0, 1.0]), [0.8, 0.2], rtol=1e-15)


def test_rows_sum_to_one_and_are_positive():
    rng = np.random.default_rng(1)
    distances = rng.uniform(0.05, 40.0, size=(200, 17))
    attractiveness = rng.lognormal(0, 1, 17)
    for decay, exponent in [(0.0, 1.0), (1.3, 0.7), (2.0, 1.0), (4.5, 2.0)]:
        probabilities = huff_probabilities(distances, attractiveness, decay, exponent)
        assert probabilities.shape == distances.shape
        assert (probabilities > 0).all()
        np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-14)


def test_zero_decay_is_proportional_to_attractiveness_power():
    attractiveness = np.array([1.0, 2.0, 5.0])
    probabilities = huff_probabilities([[1.0, 7.0, 30.0], [9.0, 0.5, 2.0]], attractiveness, 0.0, 1.5)
    expected = attractiveness**1.5 / (attractiveness**1.5).sum()
    np.testing.assert_allclose(probabilities, [expected, expected], rtol=1e-14)


def test_zero_attractiveness_exponent_depends_on_distance_only():
    # α = 0, λ = 1: weights 1/1, 1/2, 1/4 → 4/7, 2/7, 1/7 whatever the attractiveness.
    probabilities = huff_probabilities([[1.0, 2.0, 4.0]], [9.0, 1.0, 3.0], 1.0, 0.0)
    np.testing.assert_allclose(probabilities, [[4 / 7, 2 / 7, 1 / 7]], rtol=1e-14)


def test_invariant_to_distance_unit_and_attractiveness_scale():
    rng = np.random.default_rng(2)
    distances, attractiveness = rng.uniform(0.1, 10, (5, 4)), rng.uniform(1, 9, 4)
    base = huff_probabilities(distances, attractiveness, 1.7, 1.2)
    np.testing.assert_allclose(huff_probabilities(distances * 1000, attractiveness * 37, 1.7, 1.2), base, rtol=1e-12)


def test_extreme_values_do_not_overflow():
    # Naively 1e-8^(-50) overflows and 1e8^(-50) underflows to 0; in log space the nearest outlet wins.
    probabilities = huff_probabilities([[1e-8, 1e8, 1.0]], [1e300, 1e-300, 1.0], 50.0, 1.0)
    assert np.isfinite(probabilities).all()
    np.testing.assert_allclose(probabilities, [[1.0, 0.0, 0.0]], atol=1e-300)
    tie = huff_probabilities([[1e-200, 1e-200]], [1.0, 1.0], 3.0)
    np.testing.assert_allclose(tie, [[0.5, 0.5]])


@pytest.mark.parametrize(
    "distances, attractiveness, message",
    [
        ([[1.0, 0.0]], [1.0, 1.0], "strictly positive"),
        ([[1.0, -2.0]], [1.0, 1.0], "strictly positive"),
        ([[1.0, np.nan]], [1.0, 1.0], "finite"),
        ([[1.0, np.inf]], [1.0, 1.0], "finite"),
        ([[1.0, 2.0]], [1.0, 1.0, 1.0], "outlets"),
        ([[1.0, 2.0]], [1.0, 0.0], "attractiveness"),
        ([[1.0, 2.0]], [1.0, -1.0], "attractiveness"),
        ([[[1.0]]], [1.0], "distances"),
    ],
)
def test_bad_input_raises(distances, attractiveness, message):
    with pytest.raises(ValueError, match=message):
        huff_probabilities(distances, attractiveness)


def test_bad_parameters_raise():
    with pytest.raises(ValueError, match="distance_decay"):
        huff_probabilities([[1.0, 2.0]], [1.0, 1.0], distance_decay=-1.0)
    with pytest.raises(ValueError, match="attractiveness_exponent"):
        huff_probabilities([[1.0, 2.0]], [1.0, 1.0], attractiveness_exponent=np.nan)
    with pytest.raises(ValueError, match="demand"):
        captured_demand([[1.0, 2.0]], [1.0, 1.0], [-1.0])
    with pytest.raises(ValueError, match="demand"):
        captured_demand([[1.0, 2.0]], [1.0, 1.0], [1.0, 2.0])


def test_captured_demand_conserves_total():
    rng = np.random.default_rng(3)
    distances, attractiveness, demand = rng.uniform(0.2, 20, (50, 6)), rng.uniform(1, 5, 6), rng.uniform(0, 1e6, 50)
    captured = captured_demand(distances, attractiveness, demand, 1.5, 1.1)
    assert captured.shape == (6,)
    np.testing.assert_allclose(captured.sum(), demand.sum(), rtol=1e-12)
    np.testing.assert_allclose(captured, demand @ huff_probabilities(distances, attractiveness, 1.5, 1.1))


# --------------------------------------------------------------------------- haversine


def test_haversine_known_distances():
    quarter = math.pi * EARTH_RADIUS_KM / 2
    assert haversine_km(0.0, 0.0, 90.0, 0.0) == pytest.approx(quarter, rel=1e-12)
    assert haversine_km(0.0, 0.0, 0.0, 90.0) == pytest.approx(quarter, rel=1e-12)
    assert haversine_km(10.0, 45.0, 10.0, 46.0) == pytest.approx(math.pi * EARTH_RADIUS_KM / 180, rel=1e-12)
    assert haversine_km(116.4, 39.9, 116.4, 39.9) == 0.0
    assert isinstance(haversine_km(1.0, 2.0, 3.0, 4.0), float)


def test_haversine_broadcasts_and_is_symmetric():
    rng = np.random.default_rng(4)
    lon, lat = rng.uniform(100, 120, 5), rng.uniform(20, 40, 5)
    matrix = haversine_km(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
    assert matrix.shape == (5, 5)
    np.testing.assert_allclose(matrix, matrix.T, rtol=1e-12)
    np.testing.assert_allclose(np.diag(matrix), 0.0, atol=1e-9)


def test_chunk_distances_agree_with_haversine_down_to_the_floor():
    # The chunked path gets h = hav(θ) from one matrix product of unit vectors; check it against
    # the textbook haversine from 50 m to 1,000 km (distances under the floor are raised to it).
    rng = np.random.default_rng(14)
    origin = np.array([[116.4, 39.9]])
    bearing, distance_km = rng.uniform(0, 2 * np.pi, 400), np.geomspace(0.05, 1000, 400)
    targets = origin + np.column_stack(
        [distance_km * np.sin(bearing) / (111.32 * np.cos(np.radians(39.9))), distance_km * np.cos(bearing) / 110.57]
    )
    block = np.empty((1, 400))
    floor = 0.1
    huff._log_half_angle_block(
        -0.5 * huff._unit_vectors(origin), huff._unit_vectors(targets), huff._haversine_floor(floor), block
    )
    reference = np.maximum(haversine_km(origin[0, 0], origin[0, 1], targets[:, 0], targets[:, 1]), floor)
    np.testing.assert_allclose(np.exp(block[0] + huff._LOG_DIAMETER), reference, rtol=1e-6)


# --------------------------------------------------------------------------- candidate evaluation


def _points(rng, n):
    """Random (lon, lat) in a ~100 km × 100 km box around Beijing."""
    return np.column_stack([116.0 + rng.random(n) * 1.17, 39.5 + rng.random(n) * 0.9])


def _distance_matrix(a, b):
    return haversine_km(a[:, 0][:, None], a[:, 1][:, None], b[:, 0][None, :], b[:, 1][None, :])


@pytest.fixture
def network():
    rng = np.random.default_rng(5)
    return {
        "cells": _points(rng, 300),
        "demand": rng.uniform(0, 100, 300),
        "outlets": _points(rng, 12),
        "outlet_a": rng.uniform(1, 5, 12),
        "own": rng.random(12) < 0.4,
        "candidates": _points(rng, 9),
        "candidate_a": rng.uniform(1, 5, 9),
    }


def _brute_force_evaluation(net, decay, exponent, cutoff=None):
    """Add each candidate to the explicit distance matrix and difference the captured demand."""
    floor = huff.DEFAULT_MIN_DISTANCE_KM
    to_outlets = np.maximum(_distance_matrix(net["cells"], net["outlets"]), floor)
    to_candidates = np.maximum(_distance_matrix(net["cells"], net["candidates"]), floor)
    rows = []
    for c in range(net["candidates"].shape[0]):
        distances = np.column_stack([to_outlets, to_candidates[:, c]])
        attractiveness = np.append(net["outlet_a"], net["candidate_a"][c])
        utility = exponent * np.log(attractiveness) - decay * np.log(distances)
        if cutoff is not None:
            utility = np.where(distances > cutoff, -np.inf, utility)
        weight = np.exp(utility)
        totals = weight.sum(axis=1, keepdims=True)
        after = np.divide(weight, totals, out=np.zeros_like(weight), where=totals > 0)
        before_weight = weight[:, :-1]
        before_totals = before_weight.sum(axis=1, keepdims=True)
        before = np.divide(before_weight, before_totals, out=np.zeros_like(before_weight), where=before_totals > 0)
        lost = net["demand"] @ (before - after[:, :-1])
        captured = net["demand"] @ after[:, -1]
        rows.append([captured, lost[net["own"]].sum(), lost[~net["own"]].sum()])
    return np.array(rows)


def _evaluate(net, **kwargs):
    return evaluate_candidates(
        net["candidates"],
        net["candidate_a"],
        cell_lonlat=net["cells"],
        demand=net["demand"],
        outlet_lonlat=net["outlets"],
        outlet_attractiveness=net["outlet_a"],
        own=net["own"],
        **kwargs,
    )


@pytest.mark.parametrize("decay, exponent", [(2.0, 1.0), (1.4, 0.8), (0.0, 1.0)])
def test_candidate_evaluation_matches_brute_force(network, decay, exponent):
    result = _evaluate(network, distance_decay=decay, attractiveness_exponent=exponent)
    expected = _brute_force_evaluation(network, decay, exponent)
    np.testing.assert_allclose(result.captured, expected[:, 0], rtol=1e-9)
    np.testing.assert_allclose(result.from_own, expected[:, 1], rtol=1e-9)
    np.testing.assert_allclose(result.from_competitors, expected[:, 2], rtol=1e-9)
    np.testing.assert_allclose(result.from_unserved, 0.0)
    np.testing.assert_allclose(result.net_gain, result.captured - result.from_own)


def test_candidate_evaluation_with_cutoff(network):
    result = _evaluate(network, cutoff_km=15.0)
    expected = _brute_force_evaluation(network, 2.0, 1.0, cutoff=15.0)
    np.testing.assert_allclose(result.captured, expected[:, 0], rtol=1e-9)
    np.testing.assert_allclose(result.from_own, expected[:, 1], rtol=1e-9, atol=1e-9)
    # what the candidate captures beyond what it takes from outlets came from unreached cells
    unserved = expected[:, 0] - expected[:, 1] - expected[:, 2]
    np.testing.assert_allclose(result.from_unserved, unserved, rtol=1e-9, atol=1e-9)
    assert (result.from_unserved > 0).any()


def test_clone_of_sole_own_outlet_takes_half_and_it_is_all_cannibalised():
    # One own outlet; a candidate at the same place with the same attractiveness has the same
    # Huff weight in every cell, so it takes exactly half of every cell's demand, all of it ours.
    rng = np.random.default_rng(6)
    cells, demand = _points(rng, 50), rng.uniform(0, 10, 50)
    site = np.array([[116.5, 39.9]])
    result = evaluate_candidates(
        site,
        2.0,
        cell_lonlat=cells,
        demand=demand,
        outlet_lonlat=site,
        outlet_attractiveness=[2.0],
        own=np.array([True]),
    )
    np.testing.assert_allclose(result.captured, demand.sum() / 2, rtol=1e-12)
    np.testing.assert_allclose(result.from_own, demand.sum() / 2, rtol=1e-12)
    np.testing.assert_allclose(result.from_competitors, 0.0, atol=1e-9)
    np.testing.assert_allclose(result.cannibalisation_rate, 1.0)


def test_greenfield_candidate_takes_everything_in_reach():
    rng = np.random.default_rng(7)
    cells, demand = _points(rng, 80), rng.uniform(0, 10, 80)
    candidate = np.array([[116.6, 39.95]])
    no_outlets = dict(outlet_lonlat=np.empty((0, 2)), outlet_attractiveness=np.empty(0), own=np.empty(0, dtype=bool))
    everything = evaluate_candidates(candidate, 1.0, cell_lonlat=cells, demand=demand, **no_outlets)
    np.testing.assert_allclose(everything.captured, demand.sum(), rtol=1e-12)
    near = evaluate_candidates(candidate, 1.0, cell_lonlat=cells, demand=demand, cutoff_km=20.0, **no_outlets)
    in_reach = _distance_matrix(cells, candidate)[:, 0] <= 20.0
    np.testing.assert_allclose(near.captured, demand[in_reach].sum(), rtol=1e-12)
    np.testing.assert_allclose(near.from_unserved, near.captured)


def test_chunked_evaluation_equals_one_chunk_and_baseline_reuse(network, monkeypatch):
    whole = _evaluate(network)
    monkeypatch.setattr(huff, "_CHUNK_ELEMENTS", 700)  # a couple of rows per chunk
    baseline = network_baseline(network["cells"], network["outlets"], network["outlet_a"], network["own"])
    chunked = _evaluate(network, baseline=baseline)
    np.testing.assert_allclose(chunked.captured, whole.captured, rtol=1e-12)
    np.testing.assert_allclose(chunked.from_own, whole.from_own, rtol=1e-12)
    frame = chunked.to_frame(index=[f"site-{k}" for k in range(9)])
    assert list(frame.columns) == [
        "captured",
        "from_own",
        "from_competitors",
        "from_unserved",
        "net_gain",
        "cannibalisation_rate",
    ]
    assert frame.index[0] == "site-0"
    with pytest.raises(ValueError, match="baseline was computed"):
        _evaluate(network, baseline=baseline, distance_decay=1.0)


def test_candidate_evaluation_memory_does_not_grow_with_candidates():
    # 2,000 candidates × 5,000 cells would be an 80 MB float64 matrix; chunks keep the peak far below.
    rng = np.random.default_rng(8)
    tracemalloc.start()
    try:
        result = evaluate_candidates(
            _points(rng, 2000),
            1.0,
            cell_lonlat=_points(rng, 5000),
            demand=rng.uniform(0, 1, 5000),
            outlet_lonlat=_points(rng, 100),
            outlet_attractiveness=np.ones(100),
            own=np.arange(100) < 30,
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.captured.shape == (2000,)
    assert peak < 16 * 2**20


def test_candidate_evaluation_bad_input(network):
    with pytest.raises(ValueError, match="own"):
        _evaluate({**network, "own": network["own"][:-1]})
    with pytest.raises(ValueError, match="demand"):
        _evaluate({**network, "demand": -network["demand"]})
    with pytest.raises(ValueError, match="latitude"):
        _evaluate({**network, "cells": network["cells"] + [0.0, 60.0]})
    with pytest.raises(ValueError, match="candidate_attractiveness"):
        _evaluate({**network, "candidate_a": np.zeros(9)})
    with pytest.raises(ValueError, match="cutoff_km"):
        _evaluate(network, cutoff_km=0.0)


# --------------------------------------------------------------------------- calibration


def _simulate_choices(seed, n_customers, decay=1.8, exponent=1.2, n_cells=300, n_outlets=25):
    """Customers in random cells choosing outlets by the Huff model with known (λ, α)."""
    rng = np.random.default_rng(seed)
    distances = np.maximum(_distance_matrix(_points(rng, n_cells), _points(rng, n_outlets)), 0.1)
    attractiveness = rng.lognormal(0.0, 0.6, n_outlets)
    probabilities = huff_probabilities(distances, attractiveness, decay, exponent)
    cells = rng.integers(0, n_cells, n_customers)
    cumulative = probabilities.cumsum(axis=1)[cells]
    chosen = (rng.random(n_customers)[:, None] > cumulative).sum(axis=1)
    return distances, attractiveness, cells, np.minimum(chosen, n_outlets - 1)


def test_calibration_recovers_known_parameters():
    distances, attractiveness, cells, chosen = _simulate_choices(9, 30_000)
    fit = calibrate_huff(distances, attractiveness, chosen, cells=cells)
    assert fit.converged
    assert abs(fit.lambda_ - 1.8) < 3 * fit.lambda_se
    assert abs(fit.alpha - 1.2) < 3 * fit.alpha_se
    assert fit.n_customers == 30_000 and fit.n_cells <= 300
    assert fit.log_likelihood > fit.null_log_likelihood
    assert fit.null_log_likelihood == pytest.approx(-30_000 * math.log(25), rel=1e-12)
    assert fit.pseudo_r2 == pytest.approx(1 - fit.log_likelihood / fit.null_log_likelihood)
    assert 0 < fit.pseudo_r2 < 1
    np.testing.assert_allclose(np.sqrt(np.diag(fit.covariance)), [fit.lambda_se, fit.alpha_se])


def test_standard_errors_shrink_with_sample_size():
    fits = []
    for n_customers in (2_000, 50_000):
        distances, attractiveness, cells, chosen = _simulate_choices(10, n_customers)
        fits.append(calibrate_huff(distances, attractiveness, chosen, cells=cells))
    small, large = fits
    # SE ∝ 1/√n: 25× the customers → about 1/5 of the SE.
    assert large.lambda_se < small.lambda_se / 3
    assert large.alpha_se < small.alpha_se / 3


def test_count_matrix_and_weights_give_the_same_fit():
    distances, attractiveness, cells, chosen = _simulate_choices(11, 5_000)
    per_customer = calibrate_huff(distances, attractiveness, chosen, cells=cells)
    counts = sparse.coo_array((np.ones(5_000), (cells, chosen)), shape=distances.shape).tocsr()
    from_counts = calibrate_huff(distances, attractiveness, counts)
    from_dense = calibrate_huff(distances, attractiveness, counts.toarray())
    doubled = calibrate_huff(distances, attractiveness, chosen, np.full(5_000, 2.0), cells=cells)
    for fit in (from_counts, from_dense):
        assert fit.lambda_ == pytest.approx(per_customer.lambda_, rel=1e-8)
        assert fit.alpha == pytest.approx(per_customer.alpha, rel=1e-8)
        assert fit.lambda_se == pytest.approx(per_customer.lambda_se, rel=1e-6)
    # weight 2 = every customer twice: same estimates, log-likelihood doubled, SE / √2
    assert doubled.lambda_ == pytest.approx(per_customer.lambda_, rel=1e-8)
    assert doubled.log_likelihood == pytest.approx(2 * per_customer.log_likelihood, rel=1e-10)
    assert doubled.lambda_se == pytest.approx(per_customer.lambda_se / math.sqrt(2), rel=1e-6)


def test_analytic_gradient_and_hessian_match_finite_differences():
    distances, attractiveness, cells, chosen = _simulate_choices(12, 3_000, n_cells=60, n_outlets=8)
    counts = sparse.coo_array((np.ones(3_000), (cells, chosen)), shape=distances.shape).tocsr()
    active = np.flatnonzero(np.asarray(counts.sum(axis=1)).ravel() > 0)
    model = huff._ConditionalLogit(np.log(distances[active]), np.log(attractiveness), counts[active])
    point, step = np.array([1.5, 0.9]), 1e-5
    _, gradient, hessian = model.evaluate(point)
    for k in range(2):
        shift = np.zeros(2)
        shift[k] = step
        up, down = model.evaluate(point + shift), model.evaluate(point - shift)
        assert gradient[k] == pytest.approx((up[0] - down[0]) / (2 * step), rel=1e-6)
        np.testing.assert_allclose(hessian[:, k], (up[1] - down[1]) / (2 * step), rtol=1e-5)


def test_alpha_can_be_held_fixed_when_not_identified():
    rng = np.random.default_rng(13)
    distances = rng.uniform(0.5, 20, (200, 10))
    probabilities = huff_probabilities(distances, np.ones(10), 2.3)
    chosen = (rng.random((200, 40))[:, :, None] > probabilities.cumsum(axis=1)[:, None, :]).sum(axis=2).ravel()
    cells = np.repeat(np.arange(200), 40)
    with pytest.raises(ValueError, match="not identified"):
        calibrate_huff(distances, np.ones(10), np.minimum(chosen, 9), cells=cells)
    fit = calibrate_huff(distances, np.ones(10), np.minimum(chosen, 9), cells=cells, fit_alpha=False)
    assert abs(fit.lambda_ - 2.3) < 3 * fit.lambda_se
    assert fit.alpha == 1.0 and math.isnan(fit.alpha_se)


def test_calibration_bad_input():
    distances, attractiveness = np.array([[1.0, 2.0], [3.0, 1.0]]), np.array([1.0, 2.0])
    with pytest.raises(ValueError, match="chosen outlet indices"):
        calibrate_huff(distances, attractiveness, np.array([0, 2]))
    with pytest.raises(ValueError, match="cells="):
        calibrate_huff(distances, attractiveness, np.array([0, 1, 1]))
    with pytest.raises(ValueError, match="cells must be in"):
        calibrate_huff(distances, attractiveness, np.array([0, 1, 1]), cells=np.array([0, 1, 5]))
    with pytest.raises(ValueError, match="weights"):
        calibrate_huff(distances, attractiveness, np.array([0, 1]), np.array([1.0, -1.0]))
    with pytest.raises(ValueError, match="no customers"):
        calibrate_huff(distances, attractiveness, np.array([0, 1]), np.array([0.0, 0.0]))
    with pytest.raises(ValueError, match="integer"):
        calibrate_huff(distances, attractiveness, np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match="count matrix"):
        calibrate_huff(distances, attractiveness, np.ones((3, 2)))
