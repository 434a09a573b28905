"""Peer comparison maths with hand-computed answers: ranks and movement, percentiles within peer
groups, equal-count bands, the interim Huff market potential, the A/B/C/D rule, head-to-head
differences, radar scores, bulletin movers, and DEA improvement targets."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from analytics.bulletin import biggest_movers
from analytics.dea import DEASampleSizeWarning, dea, improvement_targets
from analytics.peers import (
    bands,
    classify_abcd,
    head_to_head_differences,
    market_potential,
    percentile_within_peers,
    radar_scores,
    rank_with_movement,
    trade_area_character,
)

# --------------------------------------------------------------------------- ranks and percentiles


def test_ranks_share_the_best_place_on_ties_and_movement_is_places_climbed():
    value = pd.Series([30.0, 10.0, 20.0, 20.0], index=list("abcd"))
    previous = pd.Series([10.0, 30.0, 20.0, np.nan], index=list("abcd"))
    ranks = rank_with_movement(value, previous)
    assert ranks["rank"].tolist() == [1, 4, 2, 2]
    assert ranks["previous_rank"].tolist()[:3] == [3, 1, 2]
    assert ranks["movement"].tolist()[:3] == [2, -3, 0]
    assert np.isnan(ranks.loc["d", "movement"])


def test_ranks_follow_the_metric_direction():
    wait = pd.Series([5.0, 12.0, 8.0])
    ranks = rank_with_movement(wait, wait, higher_is_better=False)
    assert ranks["rank"].tolist() == [1, 3, 2]
    assert ranks["movement"].tolist() == [0, 0, 0]


def test_percentile_counts_worse_peers_and_half_the_ties():
    value = pd.Series([10.0, 20.0, 20.0, 40.0])
    assert percentile_within_peers(value).tolist() == [0.0, 50.0, 50.0, 100.0]
    # Lower is better: 10 is best; a 20 has one worse peer (40) and one tie: (1 + 0.5) / 3.
    assert percentile_within_peers(value, higher_is_better=False).tolist() == [100.0, 50.0, 50.0, 0.0]


def test_percentile_is_within_each_group_and_undefined_for_a_group_of_one():
    value = pd.Series([1.0, 2.0, 3.0, np.nan, 7.0, 5.0, 6.0])
    group = pd.Series(["a", "a", "b", "b", "c", "c", "c"])
    result = percentile_within_peers(value, group)
    assert result[:2].tolist() == [0.0, 100.0]
    assert np.isnan(result[2]) and np.isnan(result[3])  # b has one known value
    assert result[4:].tolist() == [100.0, 0.0, 50.0]


def test_bands_split_into_equal_thirds_lowest_first():
    sizes = pd.Series([5.0, 1.0, 3.0, 2.0, 4.0, 6.0, np.nan])
    result = bands(sizes)
    assert result.tolist()[:6] == ["large", "small", "medium", "small", "medium", "large"]
    assert pd.isna(result.iloc[6])
    assert trade_area_character(pd.Series([100.0, 10.0, 50.0])).tolist() == ["dense", "sparse", "suburban"]


# --------------------------------------------------------------------------- market potential


def _cells(*rows):
    return pd.DataFrame(rows, columns=["city_code", "lon", "lat", "population", "income_index", "businesses"])


def test_potential_is_the_huff_share_of_income_weighted_residents():
    """One cell of 1,000 residents with income index 2 (2,000 income-weighted residents) on the
    equator; our outlet 0.01° east, a competitor 0.02° west: twice as far, so with λ = 2 our
    share is 1 / (1 + 1/4) = 0.8 and the potential 1,600."""
    cells = _cells(("c1", 0.0, 0.0, 1000.0, 2.0, 7.0))
    own = pd.DataFrame({"outlet_id": [5], "lon": [0.01], "lat": [0.0], "city_code": ["c1"]})
    rivals = pd.DataFrame({"lon": [-0.02], "lat": [0.0], "city_code": ["c1"]})
    result = market_potential(cells, own, rivals, radius_km=1.5)
    assert result.loc[5, "potential"] == pytest.approx(1600.0, rel=1e-9)
    assert result.loc[5, "residents"] == 1000.0  # the cell is 1.11 km away
    assert result.loc[5, "income_index"] == pytest.approx(2.0)
    assert result.loc[5, "businesses"] == 7.0
    assert result.loc[5, "competitors"] == 0.0  # 3.3 km away


def test_potential_shares_with_our_other_outlets_and_ignores_other_cities():
    cells = _cells(("c1", 0.0, 0.0, 1000.0, 1.0, 0.0), ("c2", 0.0, 0.0, 5000.0, 1.0, 0.0))
    own = pd.DataFrame(
        {"outlet_id": [5, 0], "lon": [0.01, -0.01], "lat": [0.0, 0.0], "city_code": ["c1", "c1"]}
    )  # outlet 0: one of ours outside the user's scope, competing anonymously at the same distance
    rivals = pd.DataFrame({"lon": [], "lat": [], "city_code": []})
    result = market_potential(cells, own, rivals, radius_km=3.0)
    assert list(result.index) == [5]
    assert result.loc[5, "potential"] == pytest.approx(500.0)
    assert result.loc[5, "own_outlets"] == 1.0 and result.loc[5, "competitors"] == 0.0


# --------------------------------------------------------------------------- A/B/C/D


def test_abcd_classes_from_potential_and_share_medians():
    """Shares 10, 1, 50, 5 (output ÷ potential); medians: potential 5.5, share 7.5. Outlet e has
    no output and is left out of the medians and the classes."""
    output = pd.Series([100.0, 10.0, 50.0, 5.0, 0.0], index=list("abcde"))
    potential = pd.Series([10.0, 10.0, 1.0, 1.0, 8.0], index=list("abcde"))
    result = classify_abcd(output, potential)
    assert result["share"].tolist()[:4] == [10.0, 1.0, 50.0, 5.0]
    assert result.attrs["potential_split"] == 5.5 and result.attrs["share_split"] == 7.5
    assert result["class"].tolist()[:4] == ["A", "B", "C", "D"]
    assert pd.isna(result.loc["e", "class"])


def test_abcd_with_given_splits():
    result = classify_abcd(pd.Series([100.0, 10.0]), pd.Series([10.0, 10.0]), potential_split=20.0, share_split=5.0)
    assert result["class"].tolist() == ["C", "D"]


# --------------------------------------------------------------------------- head-to-head


def test_differences_from_the_reference_outlet():
    values = pd.DataFrame(
        {"deposits_total": [100.0, 150.0, 0.0], "avg_wait_minutes": [10.0, 8.0, 12.0]}, index=[1, 2, 3]
    )
    result = head_to_head_differences(values, 1).set_index(["outlet", "metric_code"])
    assert result.loc[(2, "deposits_total"), "difference"] == 50.0
    assert result.loc[(2, "deposits_total"), "relative"] == 0.5
    assert result.loc[(3, "avg_wait_minutes"), "difference"] == 2.0
    assert result.loc[(3, "deposits_total"), "relative"] == -1.0
    assert 1 not in result.index.get_level_values("outlet")


def test_radar_scores_put_the_best_outlet_at_100_in_either_direction():
    values = pd.DataFrame({"deposits_total": [50.0, 100.0], "avg_wait_minutes": [5.0, 10.0]})
    scores = radar_scores(values, {"deposits_total": True, "avg_wait_minutes": False})
    assert scores["deposits_total"].tolist() == [50.0, 100.0]
    assert scores["avg_wait_minutes"].tolist() == [100.0, 50.0]


# --------------------------------------------------------------------------- bulletin figures


def test_biggest_movers_follow_the_metric_direction():
    table = pd.DataFrame(
        {"value": [110.0, 90.0, 100.0, 130.0, 5.0], "previous_value": [100.0, 100.0, 100.0, 100.0, 0.0]},
        index=list("abcde"),
    )
    up, down = biggest_movers(table, 2)
    assert list(up.index) == ["d", "a"] and list(down.index) == ["b"]
    assert up.loc["d", "relative"] == pytest.approx(0.3)
    up, down = biggest_movers(table, 2, higher_is_better=False)
    assert list(up.index) == ["b"] and list(down.index) == ["d", "a"]


# --------------------------------------------------------------------------- DEA improvement targets


def _solve(inputs, outputs, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DEASampleSizeWarning)
        return dea(inputs, outputs, **options)


def test_improvement_targets_split_radial_contraction_and_slack():
    """Inputs (x1, x2) with one unit output: A (1, 2), C (2, 1), D (4, 2), E (3, 1).
    D contracts radially by θ = 0.5 onto C: staff 4 → 2 and space 2 → 1, no slack. E has θ = 1
    but x1 can still fall from 3 to 2 (C uses (2, 1)): all of that is slack."""
    inputs = pd.DataFrame({"x1": [1.0, 2.0, 4.0, 3.0], "x2": [2.0, 1.0, 2.0, 1.0]}, index=list("ACDE"))
    outputs = pd.DataFrame({"y": [1.0, 1.0, 1.0, 1.0]}, index=list("ACDE"))
    result = _solve(inputs, outputs)
    assert result.loc["D", "efficiency"] == pytest.approx(0.5)
    assert result.loc["E", "efficiency"] == pytest.approx(1.0) and not result.loc["E", "efficient"]
    targets = improvement_targets(result, inputs, outputs).set_index(["unit", "variable"])
    assert set(targets.index.get_level_values("unit")) == {"D", "E"}
    d1 = targets.loc[("D", "x1")]
    assert (d1["actual"], d1["target"], d1["radial"], d1["slack"]) == pytest.approx((4.0, 2.0, -2.0, 0.0))
    e1 = targets.loc[("E", "x1")]
    assert (e1["target"], e1["change"], e1["radial"], e1["slack"]) == pytest.approx((2.0, -1.0, 0.0, -1.0))
    assert ("E", "x2") not in targets.index


def test_output_oriented_targets_raise_outputs():
    inputs = pd.DataFrame({"staff": [2.0, 1.0, 4.0]}, index=list("abc"))
    outputs = pd.DataFrame({"deposits": [2.0, 2.0, 4.0]}, index=list("abc"))
    result = _solve(inputs, outputs, orientation="output")
    targets = improvement_targets(result, inputs, outputs).set_index("unit")
    assert targets.loc["a", "target"] == pytest.approx(4.0) and targets.loc["a", "radial"] == pytest.approx(2.0)
    assert targets.loc["c", "relative"] == pytest.approx(1.0)
    assert (targets["kind"] == "output").all()
