"""Multi-criteria suitability (analytics.scoring) and the money of a site (analytics.finance),
against hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analytics.finance import cash_flows, npv, payback_years, per_unit_rate
from analytics.scoring import CriteriaError, Criterion, criterion_scores, suitability

SITES = pd.DataFrame(
    {"population": [100.0, 200.0, 400.0], "competitors": [0.0, 2.0, 4.0], "income": [0.8, 1.0, 1.5]},
    index=["a", "b", "c"],
)
CRITERIA = [
    Criterion("population", 50, "positive"),
    Criterion("competitors", 30, "negative"),
    Criterion("income", 20, "ideal", ideal=1.0),
]


def test_criterion_scores_by_hand():
    # population (more is better): (x − 100) / 300 → 0, 1/3, 1
    # competitors (fewer is better): (4 − x) / 4 → 1, 1/2, 0
    # income (ideal 1.0): gaps 0.2, 0, 0.5; worst gap 0.5 → 1 − gap/0.5 = 0.6, 1, 0
    scores = criterion_scores(SITES, CRITERIA)
    np.testing.assert_allclose(scores["population"], [0, 100 / 3, 100])
    np.testing.assert_allclose(scores["competitors"], [100, 50, 0])
    np.testing.assert_allclose(scores["income"], [60, 100, 0])


def test_weighted_suitability_by_hand():
    # a: 0.5·0 + 0.3·100 + 0.2·60 = 42; b: 0.5·33.3 + 0.3·50 + 0.2·100 = 51.67; c: 50
    total, _ = suitability(SITES, CRITERIA)
    np.testing.assert_allclose(total.to_numpy(), [42.0, 50 / 3 + 35.0, 50.0])
    assert total.idxmax() == "b"


def test_constant_criterion_and_missing_values():
    frame = SITES.assign(flat=5.0, gappy=[1.0, np.nan, 3.0])
    scores = criterion_scores(frame, [Criterion("flat", 50), Criterion("gappy", 50)])
    np.testing.assert_allclose(scores["flat"], [100, 100, 100])
    np.testing.assert_allclose(scores["gappy"], [0, 0, 100])  # a missing value scores 0


@pytest.mark.parametrize(
    "criteria, code",
    [
        ([Criterion("population", 60), Criterion("income", 30)], "weights_total"),
        ([Criterion("population", 100, "ideal")], "missing_ideal"),
        ([Criterion("population", 100, "sideways")], "bad_direction"),
        ([Criterion("nope", 100)], "unknown_column"),
        ([Criterion("population", 50), Criterion("population", 50)], "duplicate"),
        ([Criterion("population", 150), Criterion("income", -50)], "bad_weight"),
        ([], "no_criteria"),
    ],
)
def test_bad_criteria_are_refused_with_a_code(criteria, code):
    with pytest.raises(CriteriaError) as error:
        suitability(SITES, criteria)
    assert error.value.code == code


def test_fifty_thousand_cells_score_quickly_and_stay_in_range():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(rng.random((50_000, 5)), columns=list("abcde"))
    criteria = [
        Criterion(c, 20, d, 0.5 if d == "ideal" else None)
        for c, d in zip("abcde", ["positive", "negative", "ideal", "positive", "negative"])
    ]
    total, scores = suitability(frame, criteria)
    assert total.between(0, 100).all() and scores.shape == (50_000, 5)


# --------------------------------------------------------------------------- finance


def test_cash_flows_npv_and_payback_by_hand():
    # build 1,000,000; margin 600,000 at maturity, ramp 2 years; running 200,000 a year; 5 years:
    # CF = −1,000,000, 600,000·½ − 200,000 = 100,000, then 400,000 × 4
    flows = cash_flows(1_000_000, 600_000, 200_000, horizon_years=5, ramp_years=2)
    np.testing.assert_allclose(flows, [[-1_000_000, 100_000, 400_000, 400_000, 400_000, 400_000]])
    # cumulative −1,000,000, −900,000, −500,000, −100,000, +300,000: turns in year 4 after 100/400
    np.testing.assert_allclose(payback_years(flows), [3.25])
    expected = -1_000_000 + 100_000 / 1.1 + 400_000 / 1.1**2 + 400_000 / 1.1**3 + 400_000 / 1.1**4 + 400_000 / 1.1**5
    np.testing.assert_allclose(npv(flows, 0.10), [expected])
    assert expected == pytest.approx(243_587.43, abs=0.01)


def test_payback_never_and_at_once():
    flows = cash_flows([500_000, 0], [100_000, 100_000], [150_000, 0], horizon_years=3, ramp_years=1)
    result = payback_years(flows)
    assert math.isinf(result[0]) and result[1] == 0.0


def test_vectorised_over_sites_and_bad_arguments():
    flows = cash_flows([1.0, 2.0, 3.0], 1.0, 0.0, horizon_years=2, ramp_years=1)
    assert flows.shape == (3, 3)
    np.testing.assert_allclose(npv(flows, 0.0), [1.0, 0.0, -1.0])
    with pytest.raises(ValueError):
        cash_flows(1, 1, 1, horizon_years=0)
    with pytest.raises(ValueError):
        npv(flows, -1.0)
    assert per_unit_rate(10.0, 4.0) == 2.5 and per_unit_rate(10.0, 0.0) == 0.0


# --------------------------------------------------------------------------- site criteria, uploads, economics

from analytics.finance import site_economics  # noqa: E402
from analytics.huff import EARTH_RADIUS_KM  # noqa: E402
from analytics.scoring import site_criteria, validate_candidate_table  # noqa: E402

KM = 180 / (math.pi * EARTH_RADIUS_KM)  # degrees per km along the equator
GRID = pd.DataFrame(
    {
        "lon": [0.0, 2 * KM, 4 * KM],
        "lat": [0.0, 0.0, 0.0],
        "population": [100.0, 200.0, 300.0],
        "income_index": [1.0, 1.1, 0.9],
        "businesses": [5.0, 6.0, 7.0],
    }
)


def test_site_criteria_by_hand():
    # sites at the first and last cell; competitors 0.5 and 1.5 km east of the origin; our outlet 4 km east
    values = site_criteria(
        np.array([[0.1 * KM, 0.0], [4 * KM, 0.0]]),
        GRID,
        np.array([3.0, 0.0, 8.0]),
        own_lonlat=np.array([[4 * KM, 0.0]]),
        competitor_lonlat=np.array([[0.5 * KM, 0.0], [1.5 * KM, 0.0]]),
        radius_km=1.0,
    )
    assert list(values["population"]) == [100.0, 300.0] and list(values["customers"]) == [3.0, 8.0]
    assert list(values["competitors_nearby"]) == [1.0, 0.0]  # 0.4 km and 1.4 km away from site 1
    np.testing.assert_allclose(values["nearest_own_km"], [3.9, 0.0], atol=1e-6)


@pytest.mark.parametrize(
    "rows, codes",
    [
        ({"name": ["a"], "lon": [0.0]}, {"missing_column"}),
        ({"name": ["a", "b"], "lon": ["x", 0.0], "lat": [0.0, 0.0]}, {"not_a_number"}),
        ({"name": ["a", ""], "lon": [0.0, 2 * KM], "lat": [0.0, 0.0]}, {"empty"}),
        ({"name": ["a"], "lon": [0.0], "lat": [95.0]}, {"out_of_range"}),
        ({"name": ["a"], "lon": [1.0], "lat": [0.0]}, {"outside_region"}),
        ({"name": ["a", "b"], "lon": [KM, KM], "lat": [0.0, 0.0]}, {"duplicate"}),
    ],
)
def test_bad_candidate_lists_are_refused_whole_with_row_errors(rows, codes):
    clean, errors = validate_candidate_table(pd.DataFrame(rows), GRID[["lon", "lat"]].to_numpy())
    assert clean.empty and set(errors["code"]) == codes
    assert (errors["row"] >= 1).all()


def test_a_good_candidate_list_passes_and_rows_are_spreadsheet_rows():
    table = pd.DataFrame({"Name": [" A ", "B"], "LON": [KM, 3 * KM], "lat": ["0", 0.0]})
    clean, errors = validate_candidate_table(table, GRID[["lon", "lat"]].to_numpy())
    assert errors.empty and list(clean["name"]) == ["A", "B"] and clean["lat"].dtype.kind == "f"
    _, errors = validate_candidate_table(
        pd.DataFrame({"name": ["A", "B"], "lon": [KM, "?"], "lat": [0, 0]}), GRID[["lon", "lat"]].to_numpy()
    )
    assert errors["row"].tolist() == [3]  # the header is row 1


def test_site_economics_by_hand():
    # captured 1,000 units, 300 of them from our own outlets; 5,000 RMB and 0.01 customers per unit;
    # margin 2 % of the net deposit gain 700 × 5,000 = 3.5 m → 70,000 a year at maturity
    economics = site_economics(
        [1000.0],
        [700.0],
        deposits_per_unit=5000.0,
        customers_per_unit=0.01,
        margin_rate=0.02,
        build_cost_rmb=100_000.0,
        annual_running_cost_rmb=20_000.0,
        horizon_years=3,
        ramp_years=1.0,
        discount_rate=0.0,
    )
    row = economics.iloc[0]
    assert row["deposits_rmb"] == 5_000_000 and row["net_deposits_rmb"] == 3_500_000 and row["customers"] == 10
    assert row["annual_margin_rmb"] == pytest.approx(70_000)
    assert row["npv_rmb"] == pytest.approx(-100_000 + 3 * 50_000)
    assert row["payback_years"] == pytest.approx(2.0)


# --------------------------------------------------------------------------- network optimisation (analytics.siting)

import itertools  # noqa: E402

from analytics.siting import huff_capture_value, max_huff_capture, maximal_covering  # noqa: E402


def capture_instance(seed, n=30, m=8):
    rng = np.random.default_rng(seed)
    distance = rng.uniform(0.3, 6.0, (n, m))
    attraction = rng.uniform(0.5, 2.0, m) * distance**-2.0
    attraction[distance > 4.5] = 0.0  # beyond the cut-off: no pull
    return attraction, rng.uniform(0.05, 1.0, n), rng.uniform(1, 10, n), rng.uniform(1, 5, m)


def brute_force(value, m, p, fixed=(), costs=None, budget=None):
    best, chosen = -np.inf, None
    for subset in itertools.combinations(range(m), p):
        if not set(fixed) <= set(subset) or (budget is not None and costs[list(subset)].sum() > budget):
            continue
        v = value(subset)
        if v > best:
            best, chosen = v, subset
    return best, chosen


@pytest.mark.parametrize("seed", range(6))
def test_exact_huff_capture_equals_brute_force_and_greedy_keeps_its_guarantee(seed):
    attraction, other, demand, costs = capture_instance(seed)
    best, subset = brute_force(lambda s: huff_capture_value(attraction, other, demand, s), 8, 3)
    exact = max_huff_capture(attraction, other, demand, 3, method="exact")
    assert exact.status == "optimal" and exact.objective == pytest.approx(best, rel=1e-7)
    assert exact.selected == subset
    greedy = max_huff_capture(attraction, other, demand, 3, method="greedy")
    assert greedy.objective >= (1 - 1 / math.e) * best and greedy.bound >= best


@pytest.mark.parametrize("seed", range(4))
def test_huff_capture_with_fixed_sites_and_a_budget_equals_brute_force(seed):
    attraction, other, demand, costs = capture_instance(seed)
    budget = float(np.sort(costs)[:4].sum() + 1.0)
    best, subset = brute_force(
        lambda s: huff_capture_value(attraction, other, demand, s), 8, 4, fixed=(1,), costs=costs, budget=budget
    )
    result = max_huff_capture(attraction, other, demand, 4, fixed=[1], site_costs=costs, budget=budget)
    assert result.objective == pytest.approx(best, rel=1e-7) and 1 in result.selected
    assert costs[list(result.selected)].sum() <= budget + 1e-9


def test_huff_capture_by_hand():
    # one cell, demand 10, competitors' attraction 1; sites pull 1 and 3: opening the second takes 3/4
    result = max_huff_capture([[1.0, 3.0]], [1.0], [10.0], 1)
    assert result.selected == (1,) and result.objective == pytest.approx(7.5)
    both = max_huff_capture([[1.0, 3.0]], [1.0], [10.0], 2)
    assert both.objective == pytest.approx(10 * 4 / 5)


@pytest.mark.parametrize("seed", range(4))
def test_maximal_covering_with_a_budget_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    cost = rng.uniform(0, 10, (40, 9))
    weights = rng.uniform(1, 5, 40)
    costs = rng.uniform(1, 4, 9)
    budget = float(np.sort(costs)[:3].sum() + 1.5)
    best, _ = brute_force(
        lambda s: float(weights @ (cost[:, list(s)] <= 3.0).any(axis=1)), 9, 3, costs=costs, budget=budget
    )
    result = maximal_covering(cost, weights, 3, 3.0, site_costs=costs, budget=budget)
    assert result.status == "optimal" and result.objective == pytest.approx(best)
    assert costs[list(result.selected)].sum() <= budget + 1e-9


def test_an_infeasible_budget_is_refused_clearly():
    attraction, other, demand, costs = capture_instance(0)
    with pytest.raises(ValueError, match="budget"):
        max_huff_capture(attraction, other, demand, 3, site_costs=costs, budget=float(np.sort(costs)[:3].sum()) - 0.1)
    with pytest.raises(ValueError, match="budget"):
        maximal_covering(np.ones((3, 4)), np.ones(3), 2, 1.0, site_costs=np.full(4, 5.0), budget=9.0)
    with pytest.raises(ValueError, match="p must be"):
        max_huff_capture(attraction, other, demand, 9)
