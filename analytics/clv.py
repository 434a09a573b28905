"""Customer lifetime value: BG/NBD (who is still alive, how often they will transact) and
Gamma-Gamma (how much each transaction is worth), fitted by maximum likelihood.

Models
------
* **BG/NBD** (Fader, Hardie & Lee 2005, "Counting your customers the easy way", *Marketing
  Science* 24(2)): while alive a customer transacts as a Poisson process with rate
  λ ~ Gamma(shape ``r``, rate ``alpha``) per period; after each transaction they drop out for good
  with probability p ~ Beta(``a``, ``b``).
* **Gamma-Gamma** (Fader, Hardie & Lee 2005, "RFM and CLV", *Journal of Marketing Research*
  42(4); Fader & Hardie 2013 note "The Gamma-Gamma model of monetary value"): the value of each
  transaction is Gamma(``p``, ν) with ν ~ Gamma(``q``, ``v``) per customer, independent of the
  transaction process.

Inputs (the usual conventions, as :func:`summary_from_transactions` builds them)
----------------------------------------------------------------------------------
``frequency`` x
    number of *repeat* transactions (periods with a transaction after the first one);
``recency`` t_x
    time from the first to the last transaction, in periods (0 when x = 0);
``T``
    time from the first transaction to the end of observation, in periods;
``monetary_value``
    mean value of the repeat transactions (RMB; 0 when x = 0).

Periods are whatever unit the caller uses (days, weeks); ``alpha`` is in that unit.

Public API (other modules and tests use these names)
----------------------------------------------------
``BetaGeo().fit(frequency, recency, T)`` → self, with ``params_`` = {"r", "alpha", "a", "b"},
``log_likelihood_`` (total), ``converged_``; then
:meth:`BetaGeo.probability_alive`, :meth:`BetaGeo.conditional_expected_transactions` (expected
transactions of a customer in the next ``t`` periods), :meth:`BetaGeo.expected_transactions`
(expected transactions of a new customer in ``t`` periods), :meth:`BetaGeo.log_likelihood`.

``GammaGamma().fit(frequency, monetary_value)`` → self, with ``params_`` = {"p", "q", "v"}; then
:meth:`GammaGamma.conditional_expected_average_value` (RMB per transaction).

:func:`customer_lifetime_value`, :func:`summary_from_transactions`,
:func:`calibration_holdout_summary`, :func:`holdout_comparison`.

Bad input raises ``ValueError`` naming the argument; too little data to fit raises
:class:`InsufficientDataError` (a ``ValueError``); a fit that does not converge sets
``converged_ = False`` and ``message_`` rather than returning NaN parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import OptimizeResult, minimize
from scipy.special import digamma, expit, gammaln, hyp2f1

__all__ = [
    "BetaGeo",
    "EmpiricalValue",
    "FittedModels",
    "GammaGamma",
    "InsufficientDataError",
    "NotFittedError",
    "alive_summary",
    "calibration_holdout_summary",
    "customer_lifetime_value",
    "fit_transaction_models",
    "holdout_comparison",
    "summary_from_transactions",
    "time_since_last_transaction",
    "PERIODS_PER_MONTH",
]

#: Length of one period of each supported ``freq`` in days, and periods per average month.
PERIOD_DAYS = {"D": 1.0, "W": 7.0}
PERIODS_PER_MONTH = {"D": 365.25 / 12.0, "W": 365.25 / 12.0 / 7.0}

#: Fewest customers (and customers with repeat transactions) a fit will accept.
MIN_CUSTOMERS = 30
MIN_REPEATERS = 5


class InsufficientDataError(ValueError):
    """Too few customers (or repeat transactions) to estimate the model."""


class NotFittedError(RuntimeError):
    """A prediction was asked of a model that has not been fitted."""


def _as_float_array(values: ArrayLike, name: str) -> NDArray[np.float64]:
    array = np.asarray(values, dtype=float).ravel()
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite numbers (found NaN or infinity)")
    return array


def _check_rft(frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> tuple[NDArray, NDArray, NDArray]:
    """Validate (frequency, recency, T) and broadcast them to one shape (1-D arrays)."""
    x = _as_float_array(frequency, "frequency")
    t_x = _as_float_array(recency, "recency")
    big_t = _as_float_array(T, "T")
    x, t_x, big_t = np.broadcast_arrays(x, t_x, big_t)
    if np.any(x < 0) or np.any(x != np.round(x)):
        raise ValueError("frequency must be whole numbers ≥ 0 (repeat transactions)")
    if np.any(t_x < 0):
        raise ValueError("recency must be ≥ 0")
    if np.any(big_t < t_x - 1e-9):
        raise ValueError("recency must not exceed T (the last transaction lies inside the observation)")
    if np.any((x == 0) & (t_x > 0)):
        raise ValueError("recency must be 0 for customers with frequency 0")
    if np.any((x > 0) & (big_t <= 0)):
        raise ValueError("T must be > 0 for customers with repeat transactions")
    return x, t_x, big_t


def _unique_rows(*columns: NDArray) -> tuple[list[NDArray], NDArray[np.int64]]:
    """Distinct rows of the columns (in order of first appearance) and each row's index into
    them; hash-based (pandas), so 10⁶ rows take a fraction of a second."""
    frame = pd.DataFrame({str(i): column for i, column in enumerate(columns)})
    inverse = frame.groupby(list(frame.columns), sort=False).ngroup().to_numpy(dtype=np.int64)
    first = np.zeros(int(inverse.max()) + 1 if len(inverse) else 0, dtype=np.int64)
    first[inverse[::-1]] = np.arange(len(inverse))[::-1]  # first occurrence of each group
    return [np.asarray(column)[first] for column in columns], inverse


def _compress(*columns: NDArray, weights: NDArray | None = None) -> tuple[list[NDArray], NDArray]:
    """Unique rows of the columns with their total weight (fits on 10⁶ customers whose
    histories fall on whole periods have only a few thousand distinct rows)."""
    unique, inverse = _unique_rows(*columns)
    w = np.ones(len(inverse)) if weights is None else np.asarray(weights, dtype=float)
    counts = np.bincount(inverse, weights=w, minlength=len(unique[0]) if unique else 0)
    return unique, counts


# --------------------------------------------------------------------------- BG/NBD


def bgnbd_log_likelihood(
    r: float, alpha: float, a: float, b: float, x: NDArray, t_x: NDArray, big_t: NDArray
) -> NDArray[np.float64]:
    """Log-likelihood of each customer under BG/NBD (Fader, Hardie & Lee 2005, eq. 6).

    ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b) − (r+x) ln(α+T)
           + ln[1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)],
    evaluated with log-gamma and log-sum-exp so it stays finite for large x and T.
    """
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + big_t)
    repeat = x > 0
    a4 = np.full_like(a3, -np.inf)
    a4[repeat] = np.log(a) - np.log(b + x[repeat] - 1.0) - (r + x[repeat]) * np.log(alpha + t_x[repeat])
    return a1 + a2 + np.logaddexp(a3, a4)


def _bgnbd_log_likelihood_and_gradient(
    r: float, alpha: float, a: float, b: float, x: NDArray, t_x: NDArray, big_t: NDArray
) -> tuple[NDArray, NDArray]:
    """Per-customer log-likelihood and its gradient with respect to (r, α, a, b), shape (4, n)."""
    a3 = -(r + x) * np.log(alpha + big_t)
    repeat = x > 0
    x_rep = np.where(repeat, x, 1.0)  # keeps b + x − 1 > 0 where the term is switched off
    a4 = np.where(repeat, np.log(a) - np.log(b + x_rep - 1.0) - (r + x) * np.log(alpha + t_x), -np.inf)
    total = np.logaddexp(a3, a4)
    w3, w4 = np.exp(a3 - total), np.exp(a4 - total)
    ll = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + gammaln(a + b) + gammaln(b + x) - gammaln(b)
    ll = ll - gammaln(a + b + x) + total
    psi_ab, psi_abx = digamma(a + b), digamma(a + b + x)
    d_r = digamma(r + x) - digamma(r) + np.log(alpha) - w3 * np.log(alpha + big_t) - w4 * np.log(alpha + t_x)
    d_alpha = r / alpha - w3 * (r + x) / (alpha + big_t) - w4 * (r + x) / (alpha + t_x)
    d_a = psi_ab - psi_abx + w4 / a
    d_b = psi_ab + digamma(b + x) - digamma(b) - psi_abx - w4 / (b + x_rep - 1.0)
    return ll, np.stack([d_r, d_alpha, d_a, d_b])


def _minimise_mean_negative_log_likelihood(
    objective: Callable[[NDArray], tuple[float, NDArray]],
    start: NDArray,
    bounds: list[tuple[float, float]],
    max_iter: int,
    n: float,
) -> tuple[OptimizeResult, float]:
    """The optimiser driver of both models' fits.

    ``objective(log_params)`` gives the mean negative log-likelihood per customer (plus any
    penalty) and its gradient in the log-parameters, or ``(1e300, 0)`` where it is not finite.
    L-BFGS-B within ``bounds`` (at most ``max_iter`` iterations) from ``start``; if it reports
    no success, Nelder-Mead from its end point. Returns the optimiser's result and the total
    log-likelihood over the ``n`` customers (−inf where the objective was not finite).
    """
    result = minimize(
        objective,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": max_iter, "ftol": 1e-11, "gtol": 1e-7},
    )
    if not result.success:  # retry from the end point with a derivative-free method
        result = minimize(
            lambda z: objective(z)[0],
            result.x,
            method="Nelder-Mead",
            options={"maxiter": 4000, "xatol": 1e-7, "fatol": 1e-10},
        )
    log_likelihood = float(-result.fun * n) if result.fun < 1e299 else float("-inf")
    return result, log_likelihood


class BetaGeo:
    """BG/NBD model of repeat transactions, fitted by maximum likelihood.

    Parameters
    ----------
    penalizer : float, default 0
        L2 penalty on the log-parameters (0: plain maximum likelihood).
    max_iter : int, default 500
        Iteration cap of the optimiser.

    Attributes (after ``fit``)
    --------------------------
    params_ : dict
        ``r``, ``alpha`` (periods), ``a``, ``b``.
    log_likelihood_ : float
        Total log-likelihood at the estimate.
    converged_ : bool
        Whether the optimiser reported convergence with finite parameters, none at the search
        bounds (log-parameters within ±12); a fit that is not converged should not be used.
    message_ : str
        The optimiser's message.
    n_customers_ : int

    Example
    -------
    >>> model = BetaGeo().fit(frequency, recency, T)          # doctest: +SKIP
    >>> model.probability_alive(2, 30.43, 38.86)              # doctest: +SKIP
    """

    def __init__(self, penalizer: float = 0.0, max_iter: int = 500) -> None:
        self.penalizer = penalizer
        self.max_iter = max_iter

    def fit(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, weights: ArrayLike | None = None) -> BetaGeo:
        """Estimate r, α, a, b from customers' (frequency, recency, T); ``weights`` counts
        customers per row (for pre-aggregated histograms). Returns self."""
        x, t_x, big_t = _check_rft(frequency, recency, T)
        w = None if weights is None else _as_float_array(weights, "weights")
        if w is not None and (len(w) != len(x) or np.any(w < 0)):
            raise ValueError("weights must be ≥ 0, one per customer row")
        n = float(len(x) if w is None else w.sum())
        repeaters = float(np.sum(x > 0) if w is None else w[x > 0].sum())
        if n < MIN_CUSTOMERS or repeaters < MIN_REPEATERS:
            raise InsufficientDataError(
                f"BG/NBD needs at least {MIN_CUSTOMERS} customers and {MIN_REPEATERS} with repeat "
                f"transactions (got {n:.0f} and {repeaters:.0f})"
            )
        (ux, ut, uT), counts = _compress(x, t_x, big_t, weights=w)
        mean_rate = max(np.average(ux, weights=counts) / max(np.average(uT, weights=counts), 1e-9), 1e-6)
        start = np.log([1.0, 1.0 / mean_rate, 1.0, 1.0])

        def objective(log_params: NDArray) -> tuple[float, NDArray]:
            params = np.exp(log_params)
            ll, gradient = _bgnbd_log_likelihood_and_gradient(*params, ux, ut, uT)
            value = -(counts @ ll) / n + self.penalizer * float(log_params @ log_params)
            jac = -(gradient @ counts) / n * params + 2.0 * self.penalizer * log_params
            if not np.isfinite(value) or not np.all(np.isfinite(jac)):
                return 1e300, np.zeros(4)
            return value, jac

        result, self.log_likelihood_ = _minimise_mean_negative_log_likelihood(
            objective, start, [(-12, 12)] * 4, self.max_iter, n
        )
        r, alpha, a, b = (float(v) for v in np.exp(result.x))
        self.params_ = {"r": r, "alpha": alpha, "a": a, "b": b}
        self.converged_ = bool(result.success and np.all(np.isfinite(result.x)) and np.all(np.abs(result.x) < 11.9))
        self.message_ = str(result.message)
        self.n_customers_ = int(round(n))
        return self

    def in_time_unit(self, periods_per_old_period: float) -> BetaGeo:
        """The same model with time measured in a finer unit: α is a time scale, so a model fitted
        in weeks is used in days with ``periods_per_old_period = 7`` (α × 7; r, a, b unchanged)."""
        r, alpha, a, b = self._params()
        model = BetaGeo.from_params(r, alpha * float(periods_per_old_period), a, b)
        model.converged_ = getattr(self, "converged_", True)
        model.message_ = getattr(self, "message_", "")
        return model

    def _params(self) -> tuple[float, float, float, float]:
        if not hasattr(self, "params_"):
            raise NotFittedError("fit the BetaGeo model (or set params_) before predicting")
        p = self.params_
        return p["r"], p["alpha"], p["a"], p["b"]

    @classmethod
    def from_params(cls, r: float, alpha: float, a: float, b: float) -> BetaGeo:
        """A model with given parameters (e.g. published ones, or a region's fit)."""
        model = cls()
        model.params_ = {"r": float(r), "alpha": float(alpha), "a": float(a), "b": float(b)}
        model.converged_ = True
        model.message_ = "parameters given"
        return model

    def log_likelihood(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> NDArray[np.float64]:
        """Log-likelihood of each customer at the fitted parameters."""
        x, t_x, big_t = _check_rft(frequency, recency, T)
        return bgnbd_log_likelihood(*self._params(), x, t_x, big_t)

    def population_transaction_rate(self, periods: float = 1.0) -> float:
        """Mean transactions of an active customer in ``periods`` periods.

        While alive a customer transacts at rate λ ~ Gamma(r, α) per period, so the population's
        mean rate is E[λ] = r / α per period.

        Parameters
        ----------
        periods : float, default 1
            Length of the interval in the model's periods (e.g. days per month for a model in
            days: :data:`PERIODS_PER_MONTH` ``["D"]``).

        Returns
        -------
        float
            r / α × ``periods`` (transactions).

        Examples
        --------
        >>> BetaGeo.from_params(r=2.0, alpha=10.0, a=1.0, b=3.0).population_transaction_rate(30.0)
        6.0
        """
        r, alpha, _, _ = self._params()
        return r / alpha * float(periods)

    def population_dropout_probability(self) -> float:
        """Mean probability that a customer drops out for good after a transaction.

        Returns
        -------
        float
            E[p] = a / (a + b), p ~ Beta(a, b) (a probability).

        Examples
        --------
        >>> BetaGeo.from_params(r=2.0, alpha=10.0, a=1.0, b=3.0).population_dropout_probability()
        0.25
        """
        _, _, a, b = self._params()
        return a / (a + b)

    def probability_alive(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> NDArray[np.float64]:
        """P(customer still alive at T | x, t_x, T) = 1 / (1 + δ(x>0)·a/(b+x−1)·((α+T)/(α+t_x))^(r+x))."""
        r, alpha, a, b = self._params()
        x, t_x, big_t = _check_rft(frequency, recency, T)
        out = np.ones_like(x)
        repeat = x > 0
        log_odds_dead = (
            np.log(a)
            - np.log(b + x[repeat] - 1.0)
            + (r + x[repeat]) * (np.log(alpha + big_t[repeat]) - np.log(alpha + t_x[repeat]))
        )
        out[repeat] = expit(-log_odds_dead)
        return out

    def expected_transactions(self, t: ArrayLike) -> NDArray[np.float64]:
        """E[X(t)]: expected transactions of a randomly chosen new customer in ``t`` periods (eq. 9).

        (a+b−1)/(a−1) · [1 − (α/(α+t))^r · ₂F₁(r, b; a+b−1; t/(α+t))], with the hypergeometric
        term rewritten by Euler's transformation so it stays accurate for large t.
        """
        r, alpha, a, b = self._params()
        t = _as_float_array(t, "t")
        if np.any(t < 0):
            raise ValueError("t must be ≥ 0")
        z = t / (alpha + t)
        tail = np.exp((a - 1.0) * np.log(alpha / (alpha + t))) * hyp2f1(a + b - 1.0 - r, a - 1.0, a + b - 1.0, z)
        return (a + b - 1.0) / (a - 1.0) * (1.0 - tail)

    def conditional_expected_transactions(
        self, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> NDArray[np.float64]:
        """E[Y(t) | x, t_x, T]: expected transactions in the next ``t`` periods (eq. 10).

        (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive).
        The bracket uses Euler's transformation ((α+T)/(α+T+t))^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z),
        whose parameters stay small however many transactions a customer made.
        """
        r, alpha, a, b = self._params()
        x, t_x, big_t = _check_rft(frequency, recency, T)
        t = _as_float_array(t, "t")
        if np.any(t < 0):
            raise ValueError("t must be ≥ 0")
        t, x, t_x, big_t = np.broadcast_arrays(t, x, t_x, big_t)
        ratio = (alpha + big_t) / (alpha + big_t + t)
        z = t / (alpha + big_t + t)
        tail = np.exp((a - 1.0) * np.log(ratio)) * hyp2f1(a + b - 1.0 - r, a - 1.0, a + b + x - 1.0, z)
        bracket = (a + b + x - 1.0) / (a - 1.0) * (1.0 - tail)
        return bracket * self.probability_alive(x, t_x, big_t)


# --------------------------------------------------------------------------- Gamma-Gamma


def gamma_gamma_log_likelihood(p: float, q: float, v: float, x: NDArray, m: NDArray) -> NDArray[np.float64]:
    """Log density of a customer's mean transaction value m given x transactions (Fader & Hardie 2013):
    ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + (px−1) ln m + px ln x − (px+q) ln(v + x m)."""
    px = p * x
    return (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(v)
        + (px - 1.0) * np.log(m)
        + px * np.log(x)
        - (px + q) * np.log(v + x * m)
    )


class GammaGamma:
    """Gamma-Gamma model of the mean value per transaction, fitted by maximum likelihood.

    Only customers with repeat transactions (frequency > 0) and a positive mean value inform the
    fit; others are left out (and counted in ``n_excluded_``).

    Attributes (after ``fit``): ``params_`` {"p", "q", "v"}, ``log_likelihood_``, ``converged_``,
    ``message_``, ``n_customers_``, ``n_excluded_``.
    """

    def __init__(self, penalizer: float = 0.0, max_iter: int = 500) -> None:
        self.penalizer = penalizer
        self.max_iter = max_iter

    def fit(self, frequency: ArrayLike, monetary_value: ArrayLike, weights: ArrayLike | None = None) -> GammaGamma:
        """Estimate p, q, v (v in RMB) from repeat customers' frequency and mean value. Returns self."""
        x = _as_float_array(frequency, "frequency")
        m = _as_float_array(monetary_value, "monetary_value")
        if len(x) != len(m):
            raise ValueError("frequency and monetary_value must have the same length")
        if np.any(x < 0) or np.any(x != np.round(x)):
            raise ValueError("frequency must be whole numbers ≥ 0")
        w = np.ones(len(x)) if weights is None else _as_float_array(weights, "weights")
        keep = (x > 0) & (m > 0)
        self.n_excluded_ = int(round(w[~keep].sum()))
        x, m, w = x[keep], m[keep], w[keep]
        n = float(w.sum())
        if n < MIN_CUSTOMERS:
            raise InsufficientDataError(
                f"Gamma-Gamma needs at least {MIN_CUSTOMERS} customers with repeat transactions and a "
                f"positive value (got {n:.0f})"
            )
        # Terms that depend on x only are evaluated once per distinct x; terms in m alone are
        # constants; only ln(v + x·m) must be recomputed per customer at each step.
        (x_values,), inverse = _unique_rows(x)
        n_x = np.bincount(inverse, weights=w)
        log_m = np.log(m)
        s_xlogm = float(w @ (x * log_m))
        s_logm = float(w @ log_m)
        s_xlogx = float(w @ (x * np.log(x)))
        wx = w * x
        mean_value = float(np.average(m, weights=w))
        start = np.log([2.0, 3.0, mean_value])

        def objective(log_params: NDArray) -> tuple[float, NDArray]:
            p, q, v = params = np.exp(log_params)
            px = p * x_values
            log_vxm = np.log(v + x * m)
            ll = (
                n_x @ (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(v))
                + p * (s_xlogm + s_xlogx)
                - s_logm
                - p * float(wx @ log_vxm)
                - q * float(w @ log_vxm)
            )
            psi_pxq = digamma(px + q)
            gradient = np.array(
                [
                    n_x @ (x_values * (psi_pxq - digamma(px))) + s_xlogm + s_xlogx - float(wx @ log_vxm),
                    n_x @ (psi_pxq - digamma(q) + np.log(v)) - float(w @ log_vxm),
                    n * q / v - float((p * wx + q * w) @ (1.0 / (v + x * m))),
                ]
            )
            shrink = np.array([1.0, 1.0, 0.0])
            value = -ll / n + self.penalizer * float((shrink * log_params) @ log_params)
            jac = -gradient / n * params + 2.0 * self.penalizer * shrink * log_params
            if not np.isfinite(value) or not np.all(np.isfinite(jac)):
                return 1e300, np.zeros(3)
            return value, jac

        result, self.log_likelihood_ = _minimise_mean_negative_log_likelihood(
            objective, start, [(-12, 12), (-12, 12), (-30, 40)], self.max_iter, n
        )
        p, q, v = (float(value) for value in np.exp(result.x))
        self.params_ = {"p": p, "q": q, "v": v}
        self.converged_ = bool(result.success and np.all(np.isfinite(result.x)) and q > 1.0)
        self.message_ = str(result.message) if q > 1.0 else "q ≤ 1: the mean value per transaction is not finite"
        self.n_customers_ = int(round(n))
        return self

    @classmethod
    def from_params(cls, p: float, q: float, v: float) -> GammaGamma:
        """A model with given parameters (published ones, or a region's fit)."""
        model = cls()
        model.params_ = {"p": float(p), "q": float(q), "v": float(v)}
        model.converged_ = True
        model.message_ = "parameters given"
        return model

    def _params(self) -> tuple[float, float, float]:
        if not hasattr(self, "params_"):
            raise NotFittedError("fit the GammaGamma model (or set params_) before predicting")
        return self.params_["p"], self.params_["q"], self.params_["v"]

    def population_mean_value(self) -> float:
        """E[Z] = p·v / (q − 1): mean value per transaction of a random customer (RMB)."""
        p, q, v = self._params()
        return p * v / (q - 1.0) if q > 1.0 else float("inf")

    def conditional_expected_average_value(
        self, frequency: ArrayLike, monetary_value: ArrayLike
    ) -> NDArray[np.float64]:
        """E[Z | x, m] = (q−1)/(px+q−1) · p v/(q−1) + px/(px+q−1) · m (RMB per transaction).

        A weighted mean of the population mean and the customer's own mean; customers with
        frequency 0 (or no positive value) get the population mean.
        """
        p, q, v = self._params()
        x = _as_float_array(frequency, "frequency")
        m = _as_float_array(monetary_value, "monetary_value")
        x, m = np.broadcast_arrays(x, m)
        x = np.where(m > 0, x, 0.0)
        m = np.where(m > 0, m, 0.0)
        return (p * (v + x * m)) / (p * x + q - 1.0)


class EmpiricalValue:
    """Stand-in for :class:`GammaGamma` when it cannot be fitted: a customer's own mean repeat
    value, or the mean over repeat customers for those without one (RMB per transaction)."""

    def __init__(self, frequency: ArrayLike, monetary_value: ArrayLike) -> None:
        x = _as_float_array(frequency, "frequency")
        m = _as_float_array(monetary_value, "monetary_value")
        usable = (x > 0) & (m > 0)
        self.population_mean = float(m[usable].mean()) if usable.any() else 0.0

    def population_mean_value(self) -> float:
        """Mean repeat value over the customers that have one (RMB)."""
        return self.population_mean

    def conditional_expected_average_value(
        self, frequency: ArrayLike, monetary_value: ArrayLike
    ) -> NDArray[np.float64]:
        """Own mean value where there is one, else the population mean (RMB per transaction)."""
        x = _as_float_array(frequency, "frequency")
        m = _as_float_array(monetary_value, "monetary_value")
        return np.where((x > 0) & (m > 0), m, self.population_mean)


@dataclass(frozen=True)
class FittedModels:
    """What :func:`fit_transaction_models` could fit.

    ``beta_geo``: the BG/NBD model used (``None`` when neither the data nor the fallback could be
    fitted); ``value``: Gamma-Gamma, or :class:`EmpiricalValue` when it could not be fitted;
    ``source``: "own" (fitted on the customers given), "fallback" (parameters from the fallback
    population) or "none"; ``notes``: codes of what went wrong, in order ("too_few",
    "not_converged", "fallback_failed", "value_too_few", "value_not_converged").
    """

    beta_geo: BetaGeo | None
    value: GammaGamma | EmpiricalValue
    source: str
    notes: tuple[str, ...]


def fit_transaction_models(
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,
    monetary_value: ArrayLike,
    fallback=None,
) -> FittedModels:
    """Fit BG/NBD and Gamma-Gamma to customers, falling back when their data cannot carry a fit.

    ``fallback`` (optional) is called only when BG/NBD cannot be fitted on the customers (too
    few, or no convergence) and returns ``(frequency, recency, T, weights, time_factor)`` of a
    larger population (e.g. the region's histogram in weeks), whose fit is converted to the
    customers' time unit by ``BetaGeo.in_time_unit(time_factor)``. Gamma-Gamma is fitted on the
    customers' own values; if that fails their own mean values are used (:class:`EmpiricalValue`).
    Never returns NaN parameters: a model that cannot be had is ``None`` and said so in ``notes``.
    """
    notes: list[str] = []
    beta_geo: BetaGeo | None = None
    source = "none"
    try:
        model = BetaGeo().fit(frequency, recency, T)
        if model.converged_:
            beta_geo, source = model, "own"
        else:
            notes.append("not_converged")
    except InsufficientDataError:
        notes.append("too_few")
    if beta_geo is None and fallback is not None:
        try:
            f, r, big_t, weights, time_factor = fallback()
            model = BetaGeo().fit(f, r, big_t, weights=weights)
            if model.converged_:
                beta_geo, source = model.in_time_unit(time_factor), "fallback"
            else:
                notes.append("fallback_failed")
        except ValueError:  # includes InsufficientDataError
            notes.append("fallback_failed")
    value: GammaGamma | EmpiricalValue
    try:
        fitted = GammaGamma().fit(frequency, monetary_value)
        if fitted.converged_:
            value = fitted
        else:
            notes.append("value_not_converged")
            value = EmpiricalValue(frequency, monetary_value)
    except InsufficientDataError:
        notes.append("value_too_few")
        value = EmpiricalValue(frequency, monetary_value)
    return FittedModels(beta_geo, value, source, tuple(notes))


# --------------------------------------------------------------------------- value over a horizon


def customer_lifetime_value(
    beta_geo: BetaGeo,
    gamma_gamma: GammaGamma | EmpiricalValue,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,
    monetary_value: ArrayLike,
    horizon_months: int = 12,
    annual_discount_rate: float = 0.08,
    periods_per_month: float = PERIODS_PER_MONTH["W"],
    margin: float = 1.0,
) -> NDArray[np.float64]:
    """Discounted value of each customer's expected transactions over the next ``horizon_months``.

    CLV = Σ_{i=1..H} margin · E[Z | x, m] · (E[Y(i·k)] − E[Y((i−1)·k)]) / (1 + d)^i, where k is
    ``periods_per_month`` (the unit of recency and T) and d = (1 + annual rate)^(1/12) − 1 the
    monthly discount rate: each month's expected transactions are valued at the customer's
    expected value per transaction and discounted to today. Units: RMB of transaction value times
    ``margin`` (e.g. 0.01 for a 1 % margin on transaction value).
    """
    if not 1 <= int(horizon_months) <= 600 or int(horizon_months) != horizon_months:
        raise ValueError("horizon_months must be a whole number of months between 1 and 600")
    if not -0.5 < annual_discount_rate < 1.0:
        raise ValueError("annual_discount_rate must lie between -0.5 and 1 (e.g. 0.08 for 8 %)")
    if not periods_per_month > 0:
        raise ValueError("periods_per_month must be > 0")
    x, t_x, big_t = _check_rft(frequency, recency, T)
    value = gamma_gamma.conditional_expected_average_value(x, monetary_value)
    monthly = (1.0 + annual_discount_rate) ** (1.0 / 12.0) - 1.0
    # The transaction part depends only on (x, t_x, T): evaluate it once per distinct history.
    (ux, ut, uT), inverse = _unique_rows(x, t_x, big_t)
    total = np.zeros_like(ux)
    previous = np.zeros_like(ux)
    for month in range(1, int(horizon_months) + 1):
        cumulative = beta_geo.conditional_expected_transactions(month * periods_per_month, ux, ut, uT)
        total += (cumulative - previous) / (1.0 + monthly) ** month
        previous = cumulative
    return margin * value * total[inverse]


def alive_summary(probability_alive: ArrayLike, at_risk_below: float = 0.5) -> tuple[float, float]:
    """Mean probability alive and the share of customers at risk of having left.

    Parameters
    ----------
    probability_alive : array_like
        P(alive) of each customer (:meth:`BetaGeo.probability_alive`).
    at_risk_below : float, default 0.5
        A customer is at risk when P(alive) is below this.

    Returns
    -------
    tuple of float
        Mean P(alive) and the share of customers below ``at_risk_below`` (NaN, NaN without
        customers).

    Examples
    --------
    >>> alive_summary([0.9, 0.6, 0.3, 0.2])
    (0.5, 0.5)
    """
    alive = _as_float_array(probability_alive, "probability_alive")
    if alive.size == 0:
        return float("nan"), float("nan")
    return float(alive.mean()), float((alive < at_risk_below).mean())


def time_since_last_transaction(recency: ArrayLike, T: ArrayLike) -> NDArray:
    """Time from each customer's last transaction to the end of observation.

    Parameters
    ----------
    recency, T : array_like
        t_x and T of the customers, in periods (see the module's input conventions).

    Returns
    -------
    ndarray
        T − t_x, in the same periods (whole numbers stay whole numbers).

    Examples
    --------
    >>> time_since_last_transaction([10, 0], [40, 25]).tolist()
    [30, 25]
    """
    if np.any(_as_float_array(T, "T") < _as_float_array(recency, "recency") - 1e-9):
        raise ValueError("recency must not exceed T (the last transaction lies inside the observation)")
    return np.asarray(T) - np.asarray(recency)


# --------------------------------------------------------------------------- data preparation


def _period_index(dates: pd.Series, freq: str) -> NDArray[np.int64]:
    """Whole periods since 1970-01-01 (days or weeks)."""
    if freq not in PERIOD_DAYS:
        raise ValueError(f"freq must be one of {sorted(PERIOD_DAYS)} (got {freq!r})")
    days = pd.to_datetime(dates).to_numpy(dtype="datetime64[D]").astype(np.int64)
    return np.floor_divide(days, int(PERIOD_DAYS[freq]))


def _summarise(customer: NDArray, period: NDArray, amount: NDArray, end_period: int) -> pd.DataFrame:
    """frequency, recency, T, monetary_value from arrays of one transaction each."""
    codes, customers = pd.factorize(customer, sort=True)
    if len(codes) == 0:
        return pd.DataFrame(
            {"frequency": np.zeros(0, np.int64), "recency": [], "T": [], "monetary_value": []},
            index=pd.Index(customers, name="customer"),
        )
    low = int(period.min())
    span = int(period.max()) - low + 1
    key = codes.astype(np.int64) * span + (period - low)  # one sortable key: customer, then period
    order = np.argsort(key, kind="stable")
    key, amount = key[order], amount[order]
    # one row per customer and period with a transaction (several in one period count once)
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    group_key = key[starts]
    group_amount = np.add.reduceat(amount, starts)
    group_customer = group_key // span
    group_period = group_key % span + low
    cstarts = np.flatnonzero(np.r_[True, group_customer[1:] != group_customer[:-1]])
    periods_per_customer = np.diff(np.append(cstarts, len(starts)))
    first = group_period[cstarts]
    last = group_period[np.append(cstarts[1:], len(starts)) - 1]
    repeat_amount = np.add.reduceat(group_amount, cstarts) - group_amount[cstarts]
    frequency = periods_per_customer - 1
    monetary = np.where(frequency > 0, repeat_amount / np.maximum(frequency, 1), 0.0)
    return pd.DataFrame(
        {
            "frequency": frequency.astype(np.int64),
            "recency": (last - first).astype(float),
            "T": (end_period - first).astype(float),
            "monetary_value": monetary,
        },
        index=pd.Index(customers[group_customer[cstarts]], name="customer"),
    )


def summary_from_transactions(
    df: pd.DataFrame,
    customer_col: str,
    date_col: str,
    amount_col: str | None = None,
    freq: str = "W",
    observation_end=None,
) -> pd.DataFrame:
    """Per-customer (frequency, recency, T, monetary_value) from a transaction log.

    Conventions (as in the models' papers): time is cut into periods of ``freq`` ("D" days or
    "W" weeks, counted from 1970-01-01); several transactions in one period count as one, with
    their amounts summed; the first period is the customer's birth, so ``frequency`` counts the
    *repeat* periods, ``recency`` is last − first period and ``T`` is the period of
    ``observation_end`` (default: the last date in ``df``) − first period; ``monetary_value`` is
    the mean amount of the repeat periods (0 without repeats). Transactions after
    ``observation_end`` are ignored; rows with a missing date or customer are dropped, and with an
    ``amount_col`` so are amounts ≤ 0 or missing (reversals and fees are not purchases). The
    number of dropped rows is in ``result.attrs["dropped_rows"]``. Index: customer id.
    """
    for column in (customer_col, date_col) + ((amount_col,) if amount_col else ()):
        if column not in df.columns:
            raise ValueError(f"column {column!r} is not in the transactions")
    dates = pd.to_datetime(df[date_col], errors="coerce")
    end = dates.max() if observation_end is None else pd.Timestamp(observation_end)
    valid = dates.notna() & df[customer_col].notna() & (dates <= end)
    if amount_col:
        amounts = pd.to_numeric(df[amount_col], errors="coerce")
        valid &= amounts.notna() & (amounts > 0)
        amount = amounts[valid].to_numpy(dtype=float)
    else:
        amount = np.zeros(int(valid.sum()))
    dropped = int((~valid).sum())
    if pd.isna(end):
        frame = pd.DataFrame(columns=["frequency", "recency", "T", "monetary_value"])
    else:
        period = _period_index(dates[valid], freq)
        end_period = int(_period_index(pd.Series([end]), freq)[0])
        frame = _summarise(df.loc[valid, customer_col].to_numpy(), period, amount, end_period)
    frame.index.name = customer_col
    frame.attrs["dropped_rows"] = dropped
    return frame


def calibration_holdout_summary(
    df: pd.DataFrame,
    customer_col: str,
    date_col: str,
    calibration_end,
    observation_end=None,
    amount_col: str | None = None,
    freq: str = "W",
) -> pd.DataFrame:
    """Split a transaction log at ``calibration_end`` for a calibration/holdout check.

    Returns one row per customer whose first transaction is on or before ``calibration_end``:
    ``frequency_cal``, ``recency_cal``, ``T_cal``, ``monetary_value_cal`` (as
    :func:`summary_from_transactions` up to ``calibration_end``), ``frequency_holdout`` (periods
    with a transaction after ``calibration_end`` up to ``observation_end``) and
    ``duration_holdout`` (periods from calibration end to observation end).
    """
    dates = pd.to_datetime(df[date_col], errors="coerce")
    cal_end = pd.Timestamp(calibration_end)
    end = dates.max() if observation_end is None else pd.Timestamp(observation_end)
    if not end > cal_end:
        raise ValueError("observation_end must be after calibration_end")
    calibration = summary_from_transactions(
        df[dates <= cal_end], customer_col, date_col, amount_col, freq=freq, observation_end=cal_end
    ).add_suffix("_cal")
    holdout_rows = df[(dates > cal_end) & (dates <= end)]
    if amount_col:
        holdout_rows = holdout_rows[pd.to_numeric(holdout_rows[amount_col], errors="coerce") > 0]
    holdout_periods = pd.DataFrame(
        {"customer": holdout_rows[customer_col].to_numpy(), "period": _period_index(holdout_rows[date_col], freq)}
    ).drop_duplicates()
    counts = holdout_periods.groupby("customer").size()
    calibration["frequency_holdout"] = counts.reindex(calibration.index).fillna(0).astype(np.int64).to_numpy()
    cal_period = int(_period_index(pd.Series([cal_end]), freq)[0])
    end_period = int(_period_index(pd.Series([end]), freq)[0])
    calibration["duration_holdout"] = float(end_period - cal_period)
    return calibration


@dataclass(frozen=True)
class HoldoutCheck:
    """Model against actual transactions in the holdout period.

    ``by_frequency``: one row per calibration frequency (the last row groups ``max_frequency`` and
    more): ``frequency_cal``, ``customers``, ``actual_mean``, ``predicted_mean``.
    ``actual_total`` / ``predicted_total``: holdout transactions summed over all customers.
    """

    by_frequency: pd.DataFrame
    actual_total: float
    predicted_total: float

    @property
    def relative_error(self) -> float:
        """Predicted ÷ actual holdout transactions − 1 (a share: +0.25 = 25 % too many; NaN
        when nobody transacted in the holdout).

        Examples
        --------
        >>> HoldoutCheck(pd.DataFrame(), actual_total=200.0, predicted_total=250.0).relative_error
        0.25
        """
        if self.actual_total <= 0:
            return float("nan")
        return self.predicted_total / self.actual_total - 1.0


def holdout_comparison(
    beta_geo: BetaGeo,
    frequency_cal: ArrayLike,
    recency_cal: ArrayLike,
    T_cal: ArrayLike,
    frequency_holdout: ArrayLike,
    duration_holdout: ArrayLike,
    max_frequency: int = 7,
) -> HoldoutCheck:
    """Predicted (conditional expectation over the holdout duration) against actual holdout
    transactions, averaged per calibration frequency — the check of Fader, Hardie & Lee (2005,
    Figure 4) that a bank can run on its own data."""
    x, t_x, big_t = _check_rft(frequency_cal, recency_cal, T_cal)
    actual = _as_float_array(frequency_holdout, "frequency_holdout")
    duration = _as_float_array(duration_holdout, "duration_holdout")
    predicted = beta_geo.conditional_expected_transactions(duration, x, t_x, big_t)
    bucket = np.minimum(x, max_frequency).astype(int)
    frame = pd.DataFrame({"frequency_cal": bucket, "actual": actual * np.ones_like(x), "predicted": predicted})
    table = (
        frame.groupby("frequency_cal")
        .agg(customers=("actual", "size"), actual_mean=("actual", "mean"), predicted_mean=("predicted", "mean"))
        .reset_index()
    )
    return HoldoutCheck(table, float(frame.actual.sum()), float(frame.predicted.sum()))
