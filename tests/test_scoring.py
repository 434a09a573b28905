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
