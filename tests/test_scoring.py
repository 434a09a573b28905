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
