"""Behavioural segmentation (analytics.segmentation): recovery of well-separated simulated
clusters, the choice of k, stable labels and plain profiles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.segmentation import segment_customers, segment_profiles


def four_clusters(seed=0, n=400):
    """Four groups on a log scale: AUM around 10 k, 100 k, 1 m and 10 m RMB with distinct product
    counts and digital shares (the truth is the group index, 0 = richest)."""
    rng = np.random.default_rng(seed)
    aum = np.concatenate([rng.lognormal(np.log(v), 0.15, n) for v in (10e6, 1e6, 1e5, 1e4)])
    products = np.concatenate([rng.normal(m, 0.4, n) for m in (7, 2, 5, 1)]).clip(0)
    digital = np.concatenate([rng.normal(m, 0.04, n) for m in (0.2, 0.9, 0.5, 0.1)]).clip(0, 1)
    truth = np.repeat(np.arange(4), n)
    order = rng.permutation(len(truth))
    features = pd.DataFrame({"aum_rmb": aum, "products": products, "digital_share": digital}).iloc[order]
    return features.reset_index(drop=True), truth[order]


def agreement(labels, truth):
    """Share of customers in the majority true group of their segment (purity)."""
    frame = pd.DataFrame({"label": labels, "truth": truth})
    return frame.groupby("label").truth.agg(lambda s: s.value_counts().iloc[0]).sum() / len(frame)


@pytest.mark.parametrize("method", ["kmeans", "gmm"])
def test_recovers_four_well_separated_clusters_and_picks_k_four(method):
    features, truth = four_clusters()
    result = segment_customers(features, method=method, log_features=["aum_rmb"], random_state=1)
    assert result.k == 4
    assert agreement(result.labels.to_numpy(), truth) > 0.99
    # segments are numbered by falling median AUM, which here is the truth's numbering
    assert (result.labels.to_numpy() == truth).mean() > 0.99
    assert list(result.scores.k) == list(range(2, 9))
    column = "silhouette" if method == "kmeans" else "bic"
    best = result.scores.set_index("k")[column]
    assert (best.idxmax() if method == "kmeans" else best.idxmin()) == 4


def test_same_seed_gives_the_same_segments_and_labels_are_stable_across_reruns():
    features, _ = four_clusters(seed=3)
    first = segment_customers(features, log_features=["aum_rmb"], random_state=7)
    again = segment_customers(features, log_features=["aum_rmb"], random_state=7)
    assert first.labels.equals(again.labels)
    other_seed = segment_customers(features, log_features=["aum_rmb"], random_state=99)
    assert (other_seed.labels.to_numpy() == first.labels.to_numpy()).mean() > 0.99


def test_fixed_k_and_progress_reports():
    features, _ = four_clusters(n=100)
    seen = []
    result = segment_customers(features, k=3, progress=seen.append)
    assert result.k == 3 and len(result.scores) == 1 and seen[-1] == 1.0
    assert seen == sorted(seen)


def test_profiles_name_what_distinguishes_each_segment():
    features, truth = four_clusters()
    labels = pd.Series(truth, index=features.index)
    profiles = segment_profiles(features, labels).set_index("segment")
    assert profiles.customers.tolist() == [400] * 4
    assert profiles.share.sum() == pytest.approx(1.0)
    # Segment 1 (1 m AUM, 2 products, 90 % digital) stands out by its digital share.
    feature, segment_median, overall_median, direction, statistic = profiles.loc[1, "distinguishing"][0]
    assert feature == "digital_share" and direction == "higher" and statistic == "median"
    assert segment_median == pytest.approx(0.9, abs=0.02)
    assert profiles.loc[0, "median_aum_rmb"] == pytest.approx(10e6, rel=0.05)


def test_bad_input_is_refused():
    features, _ = four_clusters(n=20)
    with pytest.raises(ValueError, match="method"):
        segment_customers(features, method="dbscan")
    broken = features.copy()
    broken.iloc[0, 0] = np.nan
    with pytest.raises(ValueError, match="finite"):
        segment_customers(broken)
    negative = features.copy()
    negative.iloc[0, 0] = -1
    with pytest.raises(ValueError, match="≥ 0"):
        segment_customers(negative, log_features=["aum_rmb"])
    with pytest.raises(ValueError):
        segment_customers(features.iloc[:2])


def test_a_feature_whose_median_is_zero_everywhere_is_described_by_its_mean():
    """A segment's description never reads "lower (median 0.0 %, overall 0.0 %)". Most customers have no
    digital transactions; segment 1 has fewer digital users than segment 0, so its digital share
    is lower on average while both medians are 0."""
    rng = np.random.default_rng(3)
    n = 500
    digital = np.concatenate(
        [np.where(rng.random(n) < 0.4, rng.uniform(0.3, 1.0, n), 0.0), np.where(rng.random(n) < 0.05, 0.5, 0.0)]
    )
    aum = np.concatenate([rng.lognormal(np.log(1e5), 0.2, n), rng.lognormal(np.log(1e5), 0.2, n)])
    features = pd.DataFrame({"aum_rmb": aum, "digital_share": digital})
    labels = pd.Series(np.repeat([0, 1], n))
    assert features.digital_share.median() == 0.0 and features.digital_share[n:].median() == 0.0
    traits = segment_profiles(features, labels).set_index("segment").loc[1, "distinguishing"]
    digital_traits = [trait for trait in traits if trait[0] == "digital_share"]
    assert len(digital_traits) == 1
    _, value, overall, direction, statistic = digital_traits[0]
    assert statistic == "mean" and direction == "lower"
    assert value == pytest.approx(features.digital_share[n:].mean()) and value < overall
    assert overall == pytest.approx(features.digital_share.mean())
    for _, profile in segment_profiles(features, labels).iterrows():
        for _, value, overall, _, _ in profile.distinguishing:
            assert value != overall
