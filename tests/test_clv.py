"""BG/NBD and Gamma-Gamma (analytics.clv): published values, independent re-derivations, and
parameter recovery on data simulated from known parameters.

The CDNOW data set the papers use is not available offline, so the published *parameters* are
used as simulation truth and as inputs to the closed forms, and the closed forms are checked
against the paper's worked example (E[Y(39) | x=2, t_x=30.43, T=38.86] = 1.226, Fader, Hardie &
Lee 2005 and Hardie's spreadsheet) and against numerical integration of the individual-level
model over the mixing distributions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, special, stats

from analytics.clv import (
    BetaGeo,
    GammaGamma,
    HoldoutCheck,
    InsufficientDataError,
    NotFittedError,
    alive_summary,
    calibration_holdout_summary,
    customer_lifetime_value,
    holdout_comparison,
    summary_from_transactions,
    time_since_last_transaction,
)

CDNOW = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # Fader, Hardie & Lee 2005, Table 1
CDNOW_GG = {"p": 6.25, "q": 3.74, "v": 15.44}  # Fader, Hardie & Lee 2005 (JMR), Gamma-Gamma on CDNOW
DEMO = {"r": 0.9, "alpha": 24.0, "a": 1.2, "b": 8.8}  # data/demo/transactions.py, per day


def simulate_bgnbd(n, r, alpha, a, b, t_low, t_high, seed):
    """Customers from BG/NBD: first purchase at 0, Poisson(λ) repeats, dropout p after each repeat.

    K ~ Poisson(λT) events happen in (0, T]; the customer survives G ~ Geometric(p) of them, so
    x = min(K, G) are observed, and the last observed one is the x-th of K uniform order
    statistics on (0, T], i.e. T · Beta(x, K − x + 1).
    """
    rng = np.random.default_rng(seed)
    rate = rng.gamma(r, 1.0 / alpha, n)
    dropout = rng.beta(a, b, n)
    big_t = rng.uniform(t_low, t_high, n)
    events = rng.poisson(rate * big_t)
    x = np.minimum(events, rng.geometric(dropout))
    recency = np.where(x > 0, rng.beta(np.maximum(x, 1), events - x + 1) * big_t, 0.0)
    return x, recency, big_t


def simulate_gamma_gamma(n, p, q, v, seed):
    """Repeat customers' (x, mean value): ν ~ Gamma(q, rate v); each value ~ Gamma(p, rate ν), so the
    sum of x values is Gamma(px, rate ν)."""
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 15, n)
    nu = rng.gamma(q, 1.0 / v, n)
    return x, rng.gamma(p * x, 1.0 / nu) / x


def individual_likelihood_integrated(params, x, t_x, big_t):
    """BG/NBD likelihood of one customer by integrating the individual-level likelihood
    L(λ, p) = (1−p)^x λ^x e^(−λT) + δ(x>0) p (1−p)^(x−1) λ^x e^(−λ t_x) (FHL 2005, eq. 3) over
    λ ~ Gamma(r, α) and p ~ Beta(a, b) with scipy's quadrature (no closed form used). λ and p are
    independent, so each term is a product of two one-dimensional integrals."""
    r, alpha, a, b = params["r"], params["alpha"], params["a"], params["b"]

    def over_rate(time):
        return integrate.quad(
            lambda lam: lam**x * np.exp(-lam * time) * stats.gamma.pdf(lam, r, scale=1 / alpha),
            0,
            np.inf,
            epsabs=1e-15,
            limit=400,
        )[0]

    def over_dropout(function):
        return integrate.quad(lambda p: function(p) * stats.beta.pdf(p, a, b), 0, 1, epsabs=1e-15, limit=400)[0]

    value = over_dropout(lambda p: (1 - p) ** x) * over_rate(big_t)
    if x > 0:
        value += over_dropout(lambda p: p * (1 - p) ** (x - 1)) * over_rate(t_x)
    return value


def test_conditional_expectation_matches_fader_hardie_lee_worked_example():
    model = BetaGeo.from_params(**CDNOW)
    assert model.conditional_expected_transactions(39, 2, 30.43, 38.86)[0] == pytest.approx(1.226, abs=5e-4)


def test_probability_alive_matches_the_closed_form_by_hand():
    # 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)) with the CDNOW parameters, x=2, t_x=30.43, T=38.86
    r, alpha, a, b = CDNOW.values()
    by_hand = 1 / (1 + a / (b + 1) * ((alpha + 38.86) / (alpha + 30.43)) ** (r + 2))
    model = BetaGeo.from_params(**CDNOW)
    assert model.probability_alive(2, 30.43, 38.86)[0] == pytest.approx(by_hand, rel=1e-12)
    assert model.probability_alive(0, 0, 38.86)[0] == 1.0


def test_population_rate_and_dropout_in_plain_terms_by_hand():
    # CDNOW in weeks: E[λ] = 0.243 / 4.414 = 0.055052 a week, 0.23938 in a month of 365.25/12/7 = 4.34821 weeks;
    # E[p] = 0.793 / (0.793 + 2.426) = 0.246350.
    model = BetaGeo.from_params(**CDNOW)
    assert model.population_transaction_rate() == pytest.approx(0.055052, abs=1e-6)
    assert model.population_transaction_rate(365.25 / 12 / 7) == pytest.approx(0.23938, abs=1e-5)
    assert model.population_dropout_probability() == pytest.approx(0.246350, abs=1e-6)
    # The demo in days: 0.9 / 24 = 0.0375 a day, × 30.4375 days = 1.1414 a month; 1.2 / 10 = 0.12.
    demo = BetaGeo.from_params(**DEMO)
    assert demo.population_transaction_rate(30.4375) == pytest.approx(1.14140625)
    assert demo.population_dropout_probability() == pytest.approx(0.12)
    # The same model in days after a fit in weeks: α × 7, so the monthly rate does not change.
    assert model.in_time_unit(7).population_transaction_rate(365.25 / 12) == pytest.approx(0.23938, abs=1e-5)
    with pytest.raises(NotFittedError):
        BetaGeo().population_dropout_probability()


def test_alive_summary_and_time_since_last_transaction_by_hand():
    mean_alive, at_risk = alive_summary([0.95, 0.5, 0.49, 0.1, 0.7])
    assert mean_alive == pytest.approx(0.548)  # 2.74 / 5
    assert at_risk == pytest.approx(0.4)  # 0.49 and 0.1 below 0.5; exactly 0.5 is not at risk
    assert alive_summary([0.9, 0.6], at_risk_below=0.7) == pytest.approx((0.75, 0.5))
    assert all(np.isnan(alive_summary([])))
    days = time_since_last_transaction([120, 0, 30], [150, 45, 30])
    assert days.tolist() == [30, 45, 0] and days.dtype.kind == "i"  # whole days stay whole
    with pytest.raises(ValueError):
        time_since_last_transaction([50], [40])


def test_holdout_relative_error_by_hand():
    assert HoldoutCheck(pd.DataFrame(), 400.0, 380.0).relative_error == pytest.approx(-0.05)
    assert HoldoutCheck(pd.DataFrame(), 400.0, 460.0).relative_error == pytest.approx(0.15)
    assert np.isnan(HoldoutCheck(pd.DataFrame(), 0.0, 12.0).relative_error)


@pytest.mark.parametrize("x, t_x, big_t", [(0, 0.0, 38.86), (2, 30.43, 38.86), (7, 12.0, 30.0)])
def test_log_likelihood_equals_integral_of_individual_model(x, t_x, big_t):
    model = BetaGeo.from_params(**CDNOW)
    closed = model.log_likelihood(x, t_x, big_t)[0]
    assert closed == pytest.approx(np.log(individual_likelihood_integrated(CDNOW, x, t_x, big_t)), abs=2e-5)


def test_log_likelihood_matches_beta_function_form():
    # eq. 6 with Beta functions instead of log-gamma: L = B(a,b+x)/B(a,b) Γ(r+x)α^r/(Γ(r)(α+T)^(r+x))
    #   + B(a+1,b+x−1)/B(a,b) Γ(r+x)α^r/(Γ(r)(α+t_x)^(r+x))
    r, alpha, a, b = CDNOW.values()
    x, t_x, big_t = 2, 30.43, 38.86
    g = special.gamma(r + x) * alpha**r / special.gamma(r)
    by_hand = special.beta(a, b + x) / special.beta(a, b) * g / (alpha + big_t) ** (r + x) + special.beta(
        a + 1, b + x - 1
    ) / special.beta(a, b) * g / (alpha + t_x) ** (r + x)
    assert BetaGeo.from_params(**CDNOW).log_likelihood(x, t_x, big_t)[0] == pytest.approx(np.log(by_hand), rel=1e-12)


def test_log_likelihood_stays_finite_for_heavy_customers():
    model = BetaGeo.from_params(**DEMO)
    ll = model.log_likelihood([5000, 20000], [700.0, 729.0], [730.0, 730.0])
    assert np.all(np.isfinite(ll))
    alive = model.conditional_expected_transactions(365, [5000, 20000], [700.0, 729.0], [730.0, 730.0])
    assert np.all(np.isfinite(alive)) and np.all(alive >= 0)


@pytest.mark.parametrize("t", [1.0, 39.0, 78.0, 500.0])
def test_unconditional_expectation_equals_mixture_of_individual_expectations(t):
    # E[X(t) | λ, p] = 1/p − e^(−λpt)/p (FHL 2005, eq. 7), integrated over λ ~ Gamma(r, α) first
    # (E_λ[e^(−λpt)] = (α/(α+pt))^r), then over p ~ Beta(a, b) numerically.
    r, alpha, a, b = CDNOW.values()

    def integrand(p):
        return (1 - (alpha / (alpha + p * t)) ** r) / p * stats.beta.pdf(p, a, b)

    numeric, _ = integrate.quad(integrand, 0, 1, epsabs=1e-12, limit=200)
    assert BetaGeo.from_params(**CDNOW).expected_transactions(t)[0] == pytest.approx(numeric, rel=1e-7)


def test_conditional_expectation_with_zero_horizon_is_zero_and_grows_with_t():
    model = BetaGeo.from_params(**CDNOW)
    values = model.conditional_expected_transactions(np.array([0.0, 10.0, 39.0, 100.0]), 2, 30.43, 38.86)
    assert values[0] == pytest.approx(0.0, abs=1e-12)
    assert np.all(np.diff(values) > 0)


def test_bgnbd_recovers_cdnow_parameters_from_simulated_customers():
    x, recency, big_t = simulate_bgnbd(40_000, **CDNOW, t_low=27.0, t_high=39.0, seed=7)
    model = BetaGeo().fit(x, recency, big_t)
    assert model.converged_
    # Tolerances of a few standard errors at n = 40,000 (a and b are the least precise).
    for key, tolerance in {"r": 0.08, "alpha": 0.12, "a": 0.2, "b": 0.25}.items():
        assert model.params_[key] == pytest.approx(CDNOW[key], rel=tolerance), key
    # The maximum is a maximum: the truth fits no better than the estimate.
    truth = BetaGeo.from_params(**CDNOW).log_likelihood(x, recency, big_t).sum()
    assert model.log_likelihood_ >= truth - 1e-6


def test_bgnbd_recovers_the_demo_parameters_in_days():
    x, recency, big_t = simulate_bgnbd(40_000, **DEMO, t_low=30.0, t_high=730.0, seed=11)
    model = BetaGeo().fit(x, recency, big_t)
    assert model.converged_
    for key, tolerance in {"r": 0.08, "alpha": 0.12, "a": 0.2, "b": 0.25}.items():
        assert model.params_[key] == pytest.approx(DEMO[key], rel=tolerance), key


def test_bgnbd_fit_with_weights_equals_fit_on_repeated_rows():
    x, recency, big_t = simulate_bgnbd(3_000, **CDNOW, t_low=39.0, t_high=39.0, seed=3)
    rounded = np.round(recency)
    rows = pd.DataFrame({"x": x, "t": rounded, "T": 39.0})
    grouped = rows.groupby(["x", "t", "T"]).size().reset_index(name="n")
    plain = BetaGeo().fit(rows.x, rows.t, rows["T"])
    weighted = BetaGeo().fit(grouped.x, grouped.t, grouped["T"], weights=grouped.n)
    for key in CDNOW:
        assert weighted.params_[key] == pytest.approx(plain.params_[key], rel=1e-4)


# lifetimes 0.11.3 ``BetaGeoFitter().fit`` (run in a throwaway venv) on
# simulate_bgnbd(20_000, **CDNOW, t_low=27.0, t_high=39.0, seed=21): the peer's estimate.
LIFETIMES_FIT = {"r": 0.2433716987, "alpha": 4.2735079165, "a": 0.7860786786, "b": 2.5370129120}


def test_bgnbd_fit_equals_lifetimes_on_the_same_customers():
    x, recency, big_t = simulate_bgnbd(20_000, **CDNOW, t_low=27.0, t_high=39.0, seed=21)
    model = BetaGeo().fit(x, recency, big_t)
    assert model.converged_
    for key, value in LIFETIMES_FIT.items():
        assert model.params_[key] == pytest.approx(value, rel=1e-5), key


def test_bgnbd_gradient_and_hessian_equal_finite_differences():
    """The fit's exact derivatives (blocked row sums, per-frequency tables, x = 0 rows in the same
    blocks) against central differences of the plain closed-form log-likelihood."""
    from analytics import clv

    x, recency, big_t = simulate_bgnbd(3_000, **DEMO, t_low=30.0, t_high=400.0, seed=5)
    weights = np.random.default_rng(5).uniform(0.2, 3.0, len(x))
    likelihood = clv._BgnbdLikelihood(x.astype(float), recency, big_t, weights)
    theta = np.array([1.1, 20.0, 0.9, 7.0])

    def plain(params):
        return float(weights @ clv.bgnbd_log_likelihood(*params, x.astype(float), recency, big_t))

    value, gradient, hessian = likelihood.evaluate(theta)
    assert value == pytest.approx(plain(theta), rel=1e-12)
    assert likelihood.evaluate(theta, derivatives=False)[0] == pytest.approx(value, rel=1e-12)
    for i in range(4):
        step = np.zeros(4)
        step[i] = 1e-5 * theta[i]
        numeric = (plain(theta + step) - plain(theta - step)) / (2 * step[i])
        assert gradient[i] == pytest.approx(numeric, rel=1e-6, abs=1e-6 * np.abs(gradient).max()), i
        numeric_row = (likelihood.evaluate(theta + step)[1] - likelihood.evaluate(theta - step)[1]) / (2 * step[i])
        np.testing.assert_allclose(hessian[i], numeric_row, rtol=1e-5, atol=1e-6 * np.abs(hessian).max())
    np.testing.assert_array_equal(hessian, hessian.T)


def test_bgnbd_fit_is_the_same_with_or_without_deduplication_and_the_pilot_start(monkeypatch):
    from analytics import clv

    x, recency, big_t = simulate_bgnbd(30_000, **CDNOW, t_low=30.0, t_high=39.0, seed=23)
    recency, big_t = np.round(recency), np.round(big_t)  # whole weeks: many identical rows
    merged = clv._deduplicate(x.astype(float), recency, big_t, np.ones(len(x)))
    assert len(merged[0]) < len(x) / 5 and merged[3].sum() == len(x)
    reference = BetaGeo().fit(x, recency, big_t)
    monkeypatch.setattr(clv, "_deduplicate", lambda *columns: columns)
    undeduplicated = BetaGeo().fit(x, recency, big_t)
    monkeypatch.setattr(clv, "PILOT_ROWS", 1_000)  # 30,000 rows > 4 × 1,000: a pilot fit first
    piloted = BetaGeo().fit(x, recency, big_t)
    for model in (undeduplicated, piloted):
        assert model.converged_
        for key in CDNOW:
            assert model.params_[key] == pytest.approx(reference.params_[key], rel=1e-7), key
        assert model.log_likelihood_ == pytest.approx(reference.log_likelihood_, rel=1e-10)


def test_deduplication_is_skipped_when_a_sample_shows_distinct_rows():
    from analytics import clv

    n = clv.DEDUP_SAMPLE + 10_000
    x, recency, big_t = simulate_bgnbd(n, **CDNOW, t_low=30.0, t_high=39.0, seed=29)
    columns = (x.astype(float), recency, big_t, np.ones(n))
    assert all(a is b for a, b in zip(clv._deduplicate(*columns), columns))  # continuous: kept as is
    whole = (x.astype(float), np.round(recency), np.round(big_t), np.ones(n))
    merged = clv._deduplicate(*whole)
    assert len(merged[0]) < n / 10 and merged[3].sum() == n
    assert len(pd.DataFrame({"x": merged[0], "t": merged[1], "T": merged[2]}).drop_duplicates()) == len(merged[0])


def test_bgnbd_rejects_bad_input_and_too_little_data():
    with pytest.raises(ValueError, match="recency must not exceed T"):
        BetaGeo().fit([1, 2], [10.0, 50.0], [20.0, 40.0])
    with pytest.raises(ValueError, match="frequency must be whole numbers"):
        BetaGeo().fit([-1], [0.0], [10.0])
    with pytest.raises(ValueError, match="recency must be 0"):
        BetaGeo().fit([0], [3.0], [10.0])
    with pytest.raises(ValueError, match="finite"):
        BetaGeo().fit([1], [np.nan], [10.0])
    with pytest.raises(InsufficientDataError):
        BetaGeo().fit([1] * 10, [2.0] * 10, [10.0] * 10)
    with pytest.raises(InsufficientDataError):  # everyone bought once, nobody came back
        BetaGeo().fit([0] * 100, [0.0] * 100, [10.0] * 100)
    with pytest.raises(NotFittedError):
        BetaGeo().probability_alive(1, 1.0, 2.0)


def test_gamma_gamma_expectations_match_the_published_formula_by_hand():
    model = GammaGamma.from_params(**CDNOW_GG)
    p, q, v = CDNOW_GG.values()
    assert model.population_mean_value() == pytest.approx(6.25 * 15.44 / 2.74, rel=1e-12)  # $35.22
    # x = 2 repeat transactions averaging $40: (q−1)/(px+q−1) · pv/(q−1) + px/(px+q−1) · 40
    weight = p * 2 / (p * 2 + q - 1)
    by_hand = (1 - weight) * p * v / (q - 1) + weight * 40.0
    assert model.conditional_expected_average_value(2, 40.0)[0] == pytest.approx(by_hand, rel=1e-12)
    assert model.conditional_expected_average_value(0, 0.0)[0] == pytest.approx(p * v / (q - 1))


def test_gamma_gamma_log_likelihood_is_a_density_in_the_mean_value():
    # ∫ f(m | x) dm over m > 0 must be 1 for the density of the mean of x values.
    from analytics.clv import gamma_gamma_log_likelihood

    for x in (1, 3, 10):
        total, _ = integrate.quad(
            lambda m, x=x: np.exp(gamma_gamma_log_likelihood(6.25, 3.74, 15.44, np.array([x]), np.array([m]))[0]),
            0,
            np.inf,
            limit=200,
        )
        assert total == pytest.approx(1.0, abs=1e-7)


def test_gamma_gamma_recovers_parameters_from_simulated_values():
    x, mean_value = simulate_gamma_gamma(30_000, **CDNOW_GG, seed=2)
    model = GammaGamma().fit(x, mean_value)
    assert model.converged_
    # p and v trade off against each other (standard error of p ≈ 0.3 at this n, seen over seeds);
    # their combination, the mean value per transaction p·v/(q−1), is estimated tightly.
    for key, tolerance in {"p": 0.12, "q": 0.06, "v": 0.12}.items():
        assert model.params_[key] == pytest.approx(CDNOW_GG[key], rel=tolerance), key
    truth = GammaGamma.from_params(**CDNOW_GG).population_mean_value()
    assert model.population_mean_value() == pytest.approx(truth, rel=0.02)


def test_gamma_gamma_ignores_one_time_and_non_positive_customers():
    x, mean_value = simulate_gamma_gamma(2_000, **CDNOW_GG, seed=9)
    clean = GammaGamma().fit(x, mean_value)
    dirty = GammaGamma().fit(np.r_[x, 0, 3, 2], np.r_[mean_value, 0.0, 0.0, -5.0])
    assert dirty.n_excluded_ == 3
    for key in CDNOW_GG:
        assert dirty.params_[key] == pytest.approx(clean.params_[key], rel=1e-6)


def test_clv_is_the_discounted_sum_of_monthly_expected_transactions_times_value():
    bg = BetaGeo.from_params(**CDNOW)
    gg = GammaGamma.from_params(**CDNOW_GG)
    k = 52 / 12  # weeks per month
    clv = customer_lifetime_value(
        bg, gg, 2, 30.43, 38.86, 40.0, horizon_months=3, annual_discount_rate=0.12, periods_per_month=k
    )[0]
    monthly = 1.12 ** (1 / 12) - 1
    cumulative = [bg.conditional_expected_transactions(i * k, 2, 30.43, 38.86)[0] for i in range(4)]
    value = gg.conditional_expected_average_value(2, 40.0)[0]
    by_hand = sum(value * (cumulative[i] - cumulative[i - 1]) / (1 + monthly) ** i for i in (1, 2, 3))
    assert clv == pytest.approx(by_hand, rel=1e-12)
    # No discount: value × expected transactions over the whole horizon.
    undiscounted = customer_lifetime_value(
        bg, gg, 2, 30.43, 38.86, 40.0, horizon_months=3, annual_discount_rate=0.0, periods_per_month=k
    )[0]
    assert undiscounted == pytest.approx(value * cumulative[3], rel=1e-12)
    with pytest.raises(ValueError, match="horizon_months"):
        customer_lifetime_value(bg, gg, 2, 30.43, 38.86, 40.0, horizon_months=0)


def test_summary_from_transactions_follows_the_repeat_purchase_conventions():
    log = pd.DataFrame(
        {
            "customer": [1, 1, 1, 1, 2, 2, 3],
            "date": pd.to_datetime(
                ["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-29", "2024-01-10", "2024-01-20", "2024-02-05"]
            ),
            "amount": [10.0, 5.0, 20.0, 40.0, 7.0, -3.0, 4.0],
        }
    )
    days = summary_from_transactions(log, "customer", "date", "amount", freq="D", observation_end="2024-02-10")
    # customer 1: two transactions on day 0 count once; repeats on days 14 and 28 worth 20 and 40
    assert days.loc[1].tolist() == [2, 28.0, 40.0, 30.0]
    # customer 2: the refund (−3) is not a purchase, so no repeat
    assert days.loc[2].tolist() == [0, 0.0, 31.0, 0.0]
    assert days.loc[3].tolist() == [0, 0.0, 5.0, 0.0]
    assert days.attrs["dropped_rows"] == 1
    weeks = summary_from_transactions(log, "customer", "date", freq="W", observation_end="2024-02-10")
    # 1970-01-01 was a Thursday, so weeks run Thursday–Wednesday: 2024-01-01 (Mon) and -15, -29
    # fall in three different weeks two apart.
    assert weeks.loc[1, "frequency"] == 2 and weeks.loc[1, "recency"] == 4.0


def test_calibration_holdout_split_counts_holdout_periods():
    log = pd.DataFrame(
        {
            "customer": [1, 1, 1, 1, 2, 3],
            "date": pd.to_datetime(
                ["2024-01-01", "2024-01-05", "2024-02-03", "2024-02-03", "2024-01-10", "2024-02-02"]
            ),
        }
    )
    split = calibration_holdout_summary(log, "customer", "date", "2024-01-31", "2024-02-29", freq="D")
    assert list(split.index) == [1, 2]  # customer 3 was born in the holdout
    assert split.loc[1, ["frequency_cal", "recency_cal", "T_cal", "frequency_holdout"]].tolist() == [1, 4.0, 30.0, 1]
    assert split.loc[2, "frequency_holdout"] == 0
    assert (split.duration_holdout == 29.0).all()


def test_holdout_check_on_simulated_data_predicts_the_holdout_within_sampling_error():
    # Simulate 78 weeks of daily-resolution histories, fit on the first 39, predict the next 39.
    rng = np.random.default_rng(21)
    n = 6_000
    r, alpha, a, b = CDNOW.values()
    rate, dropout = rng.gamma(r, 1 / alpha, n), rng.beta(a, b, n)
    birth = rng.uniform(0, 12, n)
    rows = []
    for i in range(n):
        t = birth[i]
        rows.append((i, t))
        while True:
            t += rng.exponential(1 / rate[i])
            if t > 78:
                break
            rows.append((i, t))
            if rng.random() < dropout[i]:
                break
    log = pd.DataFrame(rows, columns=["customer", "week"])
    log["date"] = pd.Timestamp("2024-01-04") + pd.to_timedelta(log.week * 7, unit="D")
    split = calibration_holdout_summary(log, "customer", "date", "2024-10-03", "2025-07-03", freq="D")
    model = BetaGeo().fit(split.frequency_cal, split.recency_cal, split.T_cal)
    check = holdout_comparison(
        model, split.frequency_cal, split.recency_cal, split.T_cal, split.frequency_holdout, split.duration_holdout
    )
    assert check.predicted_total == pytest.approx(check.actual_total, rel=0.08)
    assert list(check.by_frequency.frequency_cal) == list(range(8))
    assert check.by_frequency.customers.sum() == len(split)


def test_a_scope_too_small_to_fit_takes_the_fallback_parameters_in_its_own_time_unit():
    from analytics.clv import fit_transaction_models

    x, recency, big_t = simulate_bgnbd(20_000, **CDNOW, t_low=30.0, t_high=39.0, seed=13)  # the "region", weeks
    histogram = pd.DataFrame({"x": x, "t": np.floor(recency), "T": np.floor(big_t)}).value_counts().reset_index()
    region_fit = BetaGeo().fit(histogram.x, histogram.t, histogram["T"], weights=histogram["count"])
    calls = []

    def region():
        calls.append(1)
        return histogram.x, histogram.t, histogram["T"], histogram["count"], 7.0

    tiny = fit_transaction_models([2, 0, 1], [30.0, 0.0, 10.0], [60.0, 40.0, 50.0], [20.0, 0.0, 15.0], fallback=region)
    assert tiny.source == "fallback" and calls == [1]
    assert tiny.notes == ("too_few", "value_too_few")
    assert tiny.beta_geo.params_["alpha"] == pytest.approx(7.0 * region_fit.params_["alpha"])  # weeks → days
    assert tiny.beta_geo.params_["r"] == pytest.approx(region_fit.params_["r"])
    # Value: each customer's own mean, or the mean over repeat customers (17.5) for the others.
    assert tiny.value.conditional_expected_average_value([2, 0], [20.0, 0.0]).tolist() == [20.0, 17.5]


def test_a_big_enough_scope_fits_on_its_own_and_never_calls_the_fallback():
    from analytics.clv import fit_transaction_models

    x, recency, big_t = simulate_bgnbd(3_000, **CDNOW, t_low=30.0, t_high=39.0, seed=17)
    _, mean_value = simulate_gamma_gamma(3_000, **CDNOW_GG, seed=17)
    mean_value = np.where(x > 0, mean_value, 0.0)

    def must_not_be_called():
        raise AssertionError("fallback called")

    fitted = fit_transaction_models(x, recency, big_t, mean_value, fallback=must_not_be_called)
    assert fitted.source == "own" and fitted.notes == ()
    assert isinstance(fitted.value, GammaGamma)


def test_everyone_on_one_day_without_a_usable_fallback_gives_no_model_and_says_why():
    from analytics.clv import fit_transaction_models

    def empty_region():
        return [0] * 50, [0.0] * 50, [10.0] * 50, None, 7.0

    fitted = fit_transaction_models([0] * 40, [0.0] * 40, [5.0] * 40, [0.0] * 40, fallback=empty_region)
    assert fitted.beta_geo is None and fitted.source == "none"
    assert fitted.notes == ("too_few", "fallback_failed", "value_too_few")
    assert fitted.value.population_mean_value() == 0.0
