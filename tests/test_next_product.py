"""Next best product: parameter recovery of the per-product logistic regressions on data simulated
from a known logistic model, the reason's share against a hand count, ranking by propensity ×
margin, and the per-outlet untapped potential."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analytics.next_product import (
    NextProductModel,
    RecommendationPolicy,
    customer_features,
    expected_margin_per_sale,
    holding_shares,
    load_recommendation_policy,
    outlet_potential,
    rank_next_products,
)

TRUE_INTERCEPT = -1.0
TRUE_COEFFICIENTS = {
    "tenure_years": 0.08,
    "age_years": -0.03,
    "log_transactions_12m": 0.6,
    "e_channel_share": -1.2,
    "holds_CARD": 1.5,
    "tier_gold": 0.9,
}


def simulated_features(n: int, seed: int = 7) -> pd.DataFrame:
    """Customers with random features and a product WM drawn from the known logistic model."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "kind": "personal",
            "tier": rng.choice(np.array(["base", "gold"]), n, p=[0.7, 0.3]),
            "tenure_years": rng.uniform(0, 20, n),
            "age_years": rng.uniform(20, 75, n),
            "log_transactions_12m": np.log1p(rng.poisson(12, n)),
            "e_channel_share": rng.uniform(0, 1, n),
            "holds_CARD": (rng.random(n) < 0.5).astype(int),
        },
        index=pd.Index(np.arange(1, n + 1), name="customer_id"),
    )
    eta = TRUE_INTERCEPT + (frame["tier"] == "gold") * TRUE_COEFFICIENTS["tier_gold"]
    for name, beta in TRUE_COEFFICIENTS.items():
        if name != "tier_gold":
            eta = eta + beta * frame[name]
    frame["holds_WM"] = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    return frame


def test_logistic_model_recovers_the_coefficients_it_was_simulated_from():
    features = simulated_features(40_000)
    model = NextProductModel(C=np.inf, max_train_rows=40_000, holdout_share=0.0).fit(features, {"WM": "personal"})
    fitted = model.coefficients_.loc["WM"]
    # Standard errors at n = 40,000 are about 0.002–0.04 here; allow four of them.
    tolerance = {
        "tenure_years": 0.01,
        "age_years": 0.004,
        "log_transactions_12m": 0.1,
        "e_channel_share": 0.12,
        "holds_CARD": 0.12,
        "tier_gold": 0.12,
    }
    for name, beta in TRUE_COEFFICIENTS.items():
        assert fitted[name] == pytest.approx(beta, abs=tolerance[name]), name
    assert model.intercepts_["WM"] == pytest.approx(TRUE_INTERCEPT, abs=0.35)


def test_propensity_is_the_logistic_formula_and_empty_for_holders():
    features = simulated_features(5_000, seed=3)
    model = NextProductModel(C=np.inf, holdout_share=0.25).fit(features, {"WM": "personal"})
    propensity = model.propensity(features)["WM"]
    holders = features["holds_WM"] == 1
    assert propensity[holders].isna().all() and propensity[~holders].notna().all()
    coefficients = model.coefficients_.loc["WM"]
    design = features.loc[~holders, ["tenure_years", "age_years", "log_transactions_12m", "e_channel_share"]].copy()
    design["holds_CARD"] = features.loc[~holders, "holds_CARD"]
    design["tier_gold"] = (features.loc[~holders, "tier"] == "gold").astype(float)
    eta = model.intercepts_["WM"] + design[coefficients.index].to_numpy(float) @ coefficients.to_numpy(float)
    np.testing.assert_allclose(propensity[~holders].to_numpy(), 1 / (1 + np.exp(-eta)), rtol=1e-9)
    assert 0.6 < model.summaries_["WM"].holdout_auc < 1.0  # the features do predict holding


def hand_made_customers() -> pd.DataFrame:
    """Ten personal customers in tiers A and B and two companies, with known holdings."""
    rows = [
        # id, kind, tier, holds WM, holds CC, holds WC
        (1, "personal", "A", 1, 0, 0),
        (2, "personal", "A", 1, 1, 0),
        (3, "personal", "A", 0, 1, 0),
        (4, "personal", "A", 1, 1, 0),
        (5, "personal", "A", 0, 0, 0),
        (6, "personal", "B", 0, 1, 0),
        (7, "personal", "B", 0, 0, 0),
        (8, "personal", "B", 1, 0, 0),
        (9, "personal", "B", 0, 0, 0),
        (10, "personal", "B", 0, 1, 0),
        (11, "corporate", "A", 0, 0, 1),
        (12, "corporate", "A", 0, 0, 0),
    ]
    frame = pd.DataFrame(rows, columns=["customer_id", "kind", "tier", "holds_WM", "holds_CC", "holds_WC"])
    return frame.set_index("customer_id")


SEGMENTS = {"WM": "personal", "CC": "personal", "WC": "corporate"}


def test_reason_share_equals_a_hand_count_of_similar_customers():
    shares = holding_shares(hand_made_customers(), SEGMENTS)
    # Tier A personal: customers 1–5, of whom 1, 2 and 4 hold WM → 3/5 = 60 %.
    assert shares.loc[("personal", "A"), "WM"] == pytest.approx(0.6)
    assert shares.loc[("personal", "B"), "WM"] == pytest.approx(0.2)
    assert shares.loc[("personal", "A"), "CC"] == pytest.approx(0.6)
    assert shares.loc[("corporate", "A"), "WC"] == pytest.approx(0.5)
    assert np.isnan(shares.loc[("corporate", "A"), "WM"])  # companies cannot buy a personal product
    assert np.isnan(shares.loc[("personal", "B"), "WC"])


def test_ranking_multiplies_propensity_by_margin_and_carries_the_reason():
    features = hand_made_customers()
    propensity = pd.DataFrame(
        {"WM": [0.5, np.nan], "CC": [0.9, 0.2], "WC": [np.nan, np.nan]},
        index=pd.Index([5, 7], name="customer_id"),
    )
    margin = pd.Series({"WM": 400.0, "CC": 100.0, "WC": 5000.0})
    ranked = rank_next_products(propensity, margin, features, holding_shares(features, SEGMENTS), top_n=2)
    first = ranked[ranked["customer_id"] == 5].set_index("rank")
    # 0.5 × 400 = 200 beats 0.9 × 100 = 90, although CC is the likelier sale.
    assert list(first["code"]) == ["WM", "CC"]
    assert first.loc[1, "expected_margin_rmb"] == pytest.approx(200.0)
    assert first.loc[1, "similar_share"] == pytest.approx(0.6)
    assert first.loc[1, "tier"] == "A"
    by_propensity = rank_next_products(
        propensity, margin, features, holding_shares(features, SEGMENTS), top_n=1, by="propensity"
    )
    assert by_propensity.set_index("customer_id").loc[5, "code"] == "CC"
    assert list(ranked[ranked["customer_id"] == 7]["code"]) == ["CC"]  # holds nothing else it can buy
    with pytest.raises(ValueError):
        rank_next_products(propensity, margin, features, holding_shares(features, SEGMENTS), by="luck")


def test_outlet_potential_sums_propensities_of_non_holders():
    propensity = pd.DataFrame(
        {"WM": [0.5, 0.25, np.nan, 0.1], "CC": [np.nan, 0.5, 0.5, 0.5]},
        index=pd.Index([1, 2, 3, 4], name="customer_id"),
    )
    outlet_of = pd.Series({1: 10, 2: 10, 3: 20, 4: 20})
    potential = outlet_potential(propensity, pd.Series({"WM": 1000.0, "CC": 10.0}), outlet_of)
    table = potential.set_index(["outlet_id", "code"])
    assert table.loc[(10, "WM"), "non_holders"] == 2
    assert table.loc[(10, "WM"), "expected_new_holders"] == pytest.approx(0.75)
    assert table.loc[(10, "WM"), "expected_margin_rmb"] == pytest.approx(750.0)
    assert table.loc[(20, "CC"), "expected_new_holders"] == pytest.approx(1.0)
    assert potential.iloc[0]["code"] == "WM" and potential.iloc[0]["outlet_id"] == 10


def test_margin_per_sale_is_rate_times_mean_holder_balance():
    catalogue = pd.DataFrame(
        {"code": ["WM", "DC"], "annual_margin_rate": [0.005, 0.0], "mean_balance_rmb": [100_000.0, 0.0]}
    )
    margin = expected_margin_per_sale(catalogue)
    assert margin["WM"] == pytest.approx(500.0) and margin["DC"] == 0.0


def test_features_from_query_columns():
    inputs = pd.DataFrame(
        {
            "customer_id": [1, 2],
            "kind": ["personal", "corporate"],
            "age_band": [50.0, np.nan],  # born 1976: 50 in 2026
            "opened_on": [dt.date(2016, 10, 31), dt.date(2026, 12, 1)],
            "txn_12m": [9, 0],
            "e_txn_12m": [3, 0],
            "holds_WM": [1, 0],
        }
    )
    features = customer_features(inputs, dt.date(2026, 10, 31), pd.Series({1: "gold"}))
    assert features.loc[1, "tenure_years"] == pytest.approx(3652 / 365.25)
    assert features.loc[2, "tenure_years"] == 0.0  # opened after the as-of date
    assert features.loc[1, "age_years"] == 55 and features.loc[2, "age_years"] == 55  # band middle; personal median
    assert features.loc[1, "log_transactions_12m"] == pytest.approx(np.log(10))
    assert features.loc[1, "e_channel_share"] == pytest.approx(1 / 3) and features.loc[2, "e_channel_share"] == 0
    assert list(features["tier"]) == ["gold", "none"]


def test_products_with_too_few_holders_are_skipped_not_fitted():
    features = hand_made_customers().assign(
        tenure_years=1.0, age_years=40.0, log_transactions_12m=1.0, e_channel_share=0.5
    )
    model = NextProductModel(min_holders=3, holdout_share=0.0).fit(features, SEGMENTS)
    assert model.skipped_ == {"WC": "too_few_holders"}
    assert set(model.models_) == {"WM", "CC"}
    assert "WC" not in model.propensity(features)
    with pytest.raises(ValueError):
        NextProductModel().fit(features, {"GD": "personal"})


def test_sampling_large_scopes_keeps_the_fit_well_defined():
    features = simulated_features(3_000, seed=5)
    features["holds_RARE"] = 0
    features.loc[features.index[:12], "holds_RARE"] = 1  # 12 holders: most samples of 500 have none
    features["age_years"] = features["age_years"].where(features.index > 2_990, 40.0)  # nearly constant
    model = NextProductModel(max_train_rows=500, min_holders=5, holdout_share=0.0).fit(
        features, {"WM": "personal", "RARE": "personal"}
    )
    assert model.skipped_ == {"RARE": "too_few_holders"}
    assert np.isfinite(model.coefficients_.loc["WM"].dropna()).all()
    assert model.propensity(features)["WM"].dropna().between(0, 1).all()


def predictable_and_noise(n: int = 6_000, seed: int = 11) -> pd.DataFrame:
    """Customers holding WM by a strong logistic rule on tenure and transactions, and NOISE by a
    coin flip that no feature explains."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "kind": "personal",
            "tier": "base",
            "tenure_years": rng.uniform(0, 20, n),
            "age_years": rng.uniform(20, 75, n),
            "log_transactions_12m": np.log1p(rng.poisson(12, n)),
            "e_channel_share": rng.uniform(0, 1, n),
        },
        index=pd.Index(np.arange(1, n + 1), name="customer_id"),
    )
    eta = -6.0 + 0.4 * frame["tenure_years"] + 1.0 * frame["log_transactions_12m"]
    frame["holds_WM"] = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    frame["holds_NOISE"] = (rng.random(n) < 0.3).astype(int)
    return frame


def test_a_model_no_better_than_chance_is_marked_unreliable_and_never_recommended():
    """A model no better than chance gives no advice: the noise product's holdout AUC is about
    0.5, under the threshold, so it is left out of the recommendations and the outlet potential;
    the predictable one stays."""
    features = predictable_and_noise()
    segments = {"WM": "personal", "NOISE": "personal"}
    model = NextProductModel().fit(features, segments)
    auc = {code: summary.holdout_auc for code, summary in model.summaries_.items()}
    assert auc["WM"] > 0.85 and abs(auc["NOISE"] - 0.5) < 0.06
    policy = RecommendationPolicy(min_auc=0.6, min_expected_margin_rmb=0.0)
    reliable = model.reliable_codes(policy.min_auc)
    assert reliable == ["WM"]
    propensity = model.propensity(features)
    margin = pd.Series({"WM": 1000.0, "NOISE": 1000.0})
    shares = holding_shares(features, segments)
    ranked = rank_next_products(propensity, margin, features, shares, top_n=2, reliable=reliable)
    assert set(ranked["code"]) == {"WM"} and len(ranked) == int((features["holds_WM"] == 0).sum())
    unfiltered = rank_next_products(propensity, margin, features, shares, top_n=2)
    assert "NOISE" in set(unfiltered["code"])  # without the policy the noise model would be advice
    potential = outlet_potential(propensity, margin, pd.Series(1, index=features.index), reliable=reliable)
    assert list(potential["code"]) == ["WM"]
    assert outlet_potential(propensity, margin, pd.Series(1, index=features.index), reliable=[]).empty


def test_recommendations_under_the_minimum_expected_value_are_dropped_and_reasons_never_say_zero():
    features = predictable_and_noise()
    model = NextProductModel().fit(features, {"WM": "personal"})
    propensity = model.propensity(features)
    margin = pd.Series({"WM": 200.0})
    shares = holding_shares(features, {"WM": "personal"})
    ranked = rank_next_products(propensity, margin, features, shares, min_expected_margin_rmb=50.0)
    assert len(ranked) and (ranked["expected_margin_rmb"] >= 50.0).all()
    assert int((propensity["WM"] * 200.0 >= 50.0).sum()) == len(ranked)
    # No similar customer holds it: the reason is the likeness to holders, not "0.0 % hold it".
    none_hold = shares.copy()
    none_hold["WM"] = 0.0
    ranked = rank_next_products(propensity, margin, features, none_hold)
    assert set(ranked["reason"]) == {"lookalike"}
    assert set(rank_next_products(propensity, margin, features, shares)["reason"]) == {"similar_share"}


def test_recommendation_policy_comes_from_the_settings(tmp_path, monkeypatch):
    defaults = tmp_path / "defaults.toml"
    defaults.write_text("nbp_min_auc = 0.65\nnbp_min_expected_margin_rmb = 300\n")
    assert load_recommendation_policy(defaults) == RecommendationPolicy(0.65, 300.0)
    monkeypatch.setenv("BRANCHSCOPE_NBP_MIN_AUC", "0.7")
    assert load_recommendation_policy(defaults).min_auc == 0.7
    monkeypatch.setenv("BRANCHSCOPE_NBP_MIN_AUC", "1.5")
    with pytest.raises(ValueError):
        load_recommendation_policy(defaults)
    monkeypatch.delenv("BRANCHSCOPE_NBP_MIN_AUC")
    shipped = load_recommendation_policy()  # config/defaults.toml states both
    assert (shipped.min_auc, shipped.min_expected_margin_rmb) == (0.6, 100.0)
    from config.settings import DEFAULTS_FILE

    assert "nbp_min_auc" in DEFAULTS_FILE.read_text() and "nbp_min_expected_margin_rmb" in DEFAULTS_FILE.read_text()


def test_no_reliable_product_gives_an_empty_ranking():
    features = predictable_and_noise(2_000)
    model = NextProductModel().fit(features, {"NOISE": "personal"})
    propensity = model.propensity(features)
    shares = holding_shares(features, {"NOISE": "personal"})
    ranked = rank_next_products(propensity, pd.Series({"NOISE": 1.0}), features, shares, reliable=[])
    assert ranked.empty and "reason" in ranked.columns
