"""Value tiers with hysteresis, tier migration, concentration and RFM (analytics.customer_value),
on hand-made data whose answers are worked out in the comments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.customer_value import (
    DEFAULT_TIERS,
    RFM_SEGMENT_CODES,
    concentration,
    lorenz_curve,
    migration_matrix,
    migration_summary,
    raw_tier,
    rfm_scores,
    tier_history,
    tiers_from_thresholds,
    top_share,
)

K = 1_000.0


def history(*rows, downgrade_after_months=3):
    frame = pd.DataFrame([[value * K for value in row] for row in rows])
    return tier_history(frame, DEFAULT_TIERS, downgrade_after_months).to_numpy().tolist()


def test_raw_tiers_follow_the_star_thresholds_with_lower_bounds_inclusive():
    # mass < 50 k ≤ star1 < 200 k ≤ star2 < 500 k ≤ star3 < 1 m ≤ star4 < 6 m ≤ star5
    aum = [-5, 0, 49_999.99, 50_000, 199_999, 200_000, 500_000, 999_999, 1_000_000, 6_000_000, np.nan]
    assert raw_tier(aum).tolist() == [0, 0, 0, 1, 1, 2, 3, 3, 4, 5, 0]


def test_upgrade_happens_in_the_first_month_above_the_threshold():
    assert history([10, 60, 250, 600]) == [[0, 1, 2, 3]]


def test_downgrade_only_after_three_consecutive_months_below():
    # star1 (60 k), then three months at 40 k: still star1 for months 1 and 2, mass in month 3.
    assert history([60, 40, 40, 40, 40]) == [[1, 1, 1, 0, 0]]


def test_a_month_back_at_the_tier_resets_the_downgrade_count():
    # 40, 40 (two months below), 60 (back), 40, 40: never three in a row, so star1 throughout.
    assert history([60, 40, 40, 60, 40, 40]) == [[1, 1, 1, 1, 1, 1]]


def test_downgrade_lands_on_the_tier_sustained_over_the_window():
    # star3 (600 k), then 300 k, 100 k, 250 k: three months below star3; the lowest raw tier over
    # those months is star1 (100 k), so the customer drops to star1, not to star2.
    assert history([600, 300, 100, 250]) == [[3, 3, 3, 1]]


def test_upgrade_during_a_downgrade_run_takes_effect_at_once():
    assert history([250, 100, 100, 600]) == [[2, 2, 2, 3]]


def test_plain_month_end_rule_when_downgrade_after_one_month():
    assert history([60, 40, 60, 10], downgrade_after_months=1) == [[1, 0, 1, 0]]


def test_custom_thresholds_and_bad_thresholds():
    tiers = tiers_from_thresholds([100_000, 1_000_000], codes=["basic", "gold", "private"])
    assert [t.code for t in tiers] == ["basic", "gold", "private"]
    assert raw_tier([99_999, 100_000, 2_000_000], tiers).tolist() == [0, 1, 2]
    with pytest.raises(ValueError, match="rise strictly"):
        tiers_from_thresholds([200_000, 100_000])
    with pytest.raises(ValueError, match="positive"):
        tiers_from_thresholds([-1])


def test_migration_matrix_counts_moves_up_and_down():
    before = [0, 0, 1, 1, 2, 2, 2]
    after = [0, 1, 1, 0, 2, 2, 1]
    matrix = migration_matrix(before, after, n_tiers=3)
    assert matrix.to_numpy().tolist() == [[1, 1, 0], [1, 1, 0], [0, 1, 2]]
    summary = migration_summary(matrix)
    assert (summary["up"], summary["same"], summary["down"]) == (1.0, 4.0, 2.0)
    assert summary["down_share"] == pytest.approx(2 / 7)
    with pytest.raises(ValueError):
        migration_matrix([0, 3], [0, 1], n_tiers=3)


def test_top_shares_and_gini_on_hand_made_data():
    # 99 customers with 1 and one with 101: total 200; the top 1 % (one customer) holds 101/200,
    # the top 10 % (ten customers) 110/200.
    values = np.r_[np.ones(99), 101.0]
    result = concentration(values)
    assert result["top1_share"] == pytest.approx(0.505)
    assert result["top10_share"] == pytest.approx(0.55)
    # Gini = Σ(2i − n − 1)·v_i / (n Σv) with v sorted ascending:
    # (Σ_{i=1..99}(2i−101) + 99·101) / (100·200) = (−99 + 9999) / 20000 = 0.495
    assert result["gini"] == pytest.approx(0.495)
    assert concentration(np.full(50, 7.0))["gini"] == pytest.approx(0.0)
    assert concentration([])["top1_share"] == 0.0


def test_top_share_counts_a_fractional_customer_pro_rata():
    # 10 customers 1..10 (total 55): the top 15 % is customer 10 and half of customer 9 → 14.5/55
    assert top_share(np.arange(1, 11), 0.15) == pytest.approx(14.5 / 55)


def test_lorenz_curve_points():
    curve = lorenz_curve([3.0, 1.0, 0.0, -2.0])  # negatives count as 0; sorted 0, 0, 1, 3
    assert curve.customer_share.tolist() == [0, 0.25, 0.5, 0.75, 1.0]
    assert curve.value_share.tolist() == [0, 0, 0, 0.25, 1.0]
    grid = lorenz_curve(np.arange(1000.0), points=11)
    assert len(grid) == 11 and grid.value_share.iloc[-1] == pytest.approx(1.0)
    assert np.all(np.diff(grid.value_share) >= 0)


def test_rfm_quintiles_and_named_segments():
    # Ten customers: recency 0..9 days (lower is better), frequency and money 0..9 (higher is better)
    # → two customers per quintile.
    scores = rfm_scores(np.arange(10), np.arange(10), np.arange(10))
    assert scores.r.tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert scores.f.tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert scores.rfm.iloc[0] == "511"
    # R5 F1 → new; R4 F2 → potential loyalists; R3 F3 → need attention; R2 F4 → at risk;
    # R1 F5 → cannot lose
    assert (
        scores.segment.tolist()
        == ["new"] * 2 + ["potential_loyalists"] * 2 + ["need_attention"] * 2 + ["at_risk"] * 2 + ["cannot_lose"] * 2
    )
    best = rfm_scores([0, 5, 5, 5, 5], [9, 1, 1, 1, 1], [9, 1, 1, 1, 1])
    assert best.segment.iloc[0] == "champions"


def test_every_recency_frequency_cell_has_a_named_segment():
    r, f = np.meshgrid(np.arange(25) // 5, np.arange(25) % 5)
    scores = rfm_scores(-r.ravel(), f.ravel(), np.zeros(625))
    assert set(scores.segment) <= set(RFM_SEGMENT_CODES)
    assert set(scores.segment) == set(RFM_SEGMENT_CODES)


def test_rfm_rejects_mismatched_or_missing_input():
    with pytest.raises(ValueError, match="one entry per customer"):
        rfm_scores([1, 2], [1], [1, 2])
    with pytest.raises(ValueError, match="finite"):
        rfm_scores([1, np.nan], [1, 2], [1, 2])
