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

Fitting BG/NBD
--------------
Maximum likelihood by Newton's method with a trust region (scipy ``trust-exact``) on the mean
negative log-likelihood in the log-parameters, with the exact gradient and Hessian
(:class:`_BgnbdLikelihood` derives them). The terms in the Gamma and Beta functions depend on the
frequency alone and are evaluated once per distinct frequency; per customer there remain four
transcendental functions (ln(α+T), ln(α+t_x), one exp and one log), evaluated in cache-sized
blocks. Identical (x, t_x, T) rows are merged first when a sample of the rows shows that merging
pays (histories in whole periods); on continuous recency they are not. Above 80,000 rows a pilot
fit on 20,000 evenly spaced rows gives the start, from which two or three Newton steps on all
rows converge (gradient ≤ 1e-10); L-BFGS-B then Nelder-Mead take over if Newton reports no
success. On 10⁶ customers with all rows distinct this is ~0.5 s of CPU, the same estimates as
``lifetimes`` to ~1e-6 relative (docs/models-performance.md has the measurements).

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
from scipy.special import digamma, expit, gammaln, hyp2f1, polygamma

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


#: Rows sampled for the pilot fit that gives Newton's method its start on large inputs.
PILOT_ROWS = 20_000

#: Sample size and distinct-row share above which exact deduplication of (x, t_x, T) is skipped:
#: on continuous recency it finds (almost) nothing to merge and costs more than it saves.
DEDUP_SAMPLE, DEDUP_MAX_DISTINCT_SHARE = 65_536, 0.5


def _row_codes(*columns: NDArray) -> NDArray[np.int64]:
    """One int64 code per row, equal exactly when the rows are equal (hash-factorised column by
    column, so 10⁶ rows take a few tens of milliseconds)."""
    code = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        values, levels = pd.factorize(column)
        code, _ = pd.factorize(code * np.int64(len(levels) + 1) + values)
        code = code.astype(np.int64)
    return code


def _deduplicate(x: NDArray, t_x: NDArray, big_t: NDArray, w: NDArray) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    """Merge identical (x, t_x, T) rows, summing their weights, when a sample shows that doing so
    pays: at most :data:`DEDUP_MAX_DISTINCT_SHARE` of :data:`DEDUP_SAMPLE` evenly spaced rows are
    distinct (whole-period histories of 10⁶ customers have a few thousand distinct rows; continuous
    recency has as many as customers). Both paths give the same likelihood to rounding."""
    n = len(x)
    if n > DEDUP_SAMPLE:
        step = n // DEDUP_SAMPLE
        sample = slice(0, step * DEDUP_SAMPLE, step)
        distinct = int(_row_codes(x[sample], t_x[sample], big_t[sample]).max()) + 1
        if distinct > DEDUP_MAX_DISTINCT_SHARE * DEDUP_SAMPLE:
            return x, t_x, big_t, w
    code = _row_codes(x, t_x, big_t)
    groups = int(code.max()) + 1 if n else 0
    if groups == n:
        return x, t_x, big_t, w
    first = np.full(groups, n, dtype=np.int64)
    np.minimum.at(first, code, np.arange(n))
    return x[first], t_x[first], big_t[first], np.bincount(code, weights=w, minlength=groups)


#: Newton's stopping rule: the largest gradient component of the mean negative log-likelihood in
#: the log-parameters (≈ relative parameter error × curvature); a stop by rounding is accepted
#: below :data:`NEWTON_ACCEPT_GRADIENT`.
NEWTON_GTOL, NEWTON_ACCEPT_GRADIENT = 1e-10, 1e-7

#: Rows per block of the likelihood's evaluation: a block's temporaries (about twenty arrays of
#: 64 KiB) stay in the processor's cache, so the arithmetic runs at cache rather than memory speed.
BLOCK_ROWS = 8192


class _BgnbdLikelihood:
    """Total BG/NBD log-likelihood of weighted customer rows with its exact gradient and Hessian.

    Per customer (Fader, Hardie & Lee 2005, eq. 6), with k = r + x, L_T = ln(α+T), L_t = ln(α+t_x):

        ℓ = A(x) + r ln α − k L_T + δ(x>0) · softplus(u),   u = ln a − ln(b+x−1) + k (L_T − L_t),
        A(x) = ln Γ(r+x) − ln Γ(r) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x) + ln Γ(a+b),

    softplus(u) = ln(1 + eᵘ). Everything involving Γ, ψ = Γ'/Γ and ψ' depends on x alone and is
    evaluated once per distinct frequency (a few hundred values for 10⁶ customers), as are
    ln a − ln(b+x−1) and 1/(b+x−1), looked up per row (−∞ and 0 for x = 0, which makes the
    softplus, s and q below exactly 0 for customers without repeats, so they share the blocks).
    Per customer remain two logarithms (ln(α+T), ln(α+t_x)), one exponential and one logarithm
    for the softplus (its derivative, the sigmoid s, comes from the same exp(−|u|)), two
    reciprocals and arithmetic. With q = s(1−s), G = 1/(α+T) − 1/(α+t_x), Δ = L_T − L_t ≥ 0,
    B = b + x − 1, m₁ = (1−s)/(α+T) + s/(α+t_x) and m₂ = (1−s)/(α+T)² + s/(α+t_x)², a
    customer's −k L_T + softplus(u) contributes

        ∂r = −L_T + sΔ,   ∂α = −k m₁,   ∂a = s/a,   ∂b = −s/B,
        ∂rr = qΔ²,   ∂rα = −m₁ + qkΔG,   ∂αα = k m₂ + qk²G²,
        ∂ra = qΔ/a,   ∂rb = −qΔ/B,   ∂αa = qkG/a,   ∂αb = −qkG/B,
        ∂aa = −s²/a²,   ∂ab = −q/(aB),   ∂bb = (q + s)/B²,

    to which the per-frequency terms (ψ and ψ' of A(x)) and r ln α (∂α = r/α, ∂rα = 1/α,
    ∂αα = −r/α²) are added once per frequency or once in all. The fifteen row sums are
    accumulated block by block (:data:`BLOCK_ROWS`), all in float64.
    """

    def __init__(self, x: NDArray, t_x: NDArray, big_t: NDArray, w: NDArray) -> None:
        self.n = float(w.sum())
        self.w = None if bool(np.all(w == 1.0)) else w
        self.x, self.t, self.T = x, t_x, big_t  # not copied: read in blocks
        whole = x.astype(np.intp)
        top = int(whole.max()) if len(whole) else 0
        if top <= 4 * len(whole) + 1024:  # frequencies index their own tables
            self.table_x, self.index = np.arange(top + 1, dtype=float), whole
        else:
            values, self.index = np.unique(whole, return_inverse=True)
            self.table_x = values.astype(float)
        counts = np.bincount(self.index, weights=self.w, minlength=len(self.table_x)).astype(float)
        self.xs, self.n_x = self.table_x[counts > 0], counts[counts > 0]

    def _block_sums(self, lo: int, hi: int, r: float, alpha: float, c_table, inv_table, out: NDArray) -> NDArray:
        """The fifteen weighted row sums of repeat customers lo..hi (see the class docstring)."""
        x, t, big_t, index = self.x[lo:hi], self.t[lo:hi], self.T[lo:hi], self.index[lo:hi]
        rows = out[:, : hi - lo]
        apT, apt = alpha + big_t, alpha + t
        LT = np.log(apT)
        D = LT - np.log(apt)
        k = r + x
        u = c_table[index] + k * D
        e = np.exp(-np.abs(u))
        one_e = 1.0 + e
        np.subtract(np.maximum(u, 0.0) + np.log(one_e), k * LT, out=rows[0])
        f = e / one_e
        s = np.where(u >= 0.0, 1.0 - f, f)  # sigmoid(u)
        q = f * (1.0 - f)
        gT, gt = 1.0 / apT, 1.0 / apt
        G = gT - gt
        sG = s * G
        m1 = gT - sG
        inv_b = inv_table[index]
        qD = q * D
        kG = k * G
        qkG = q * kG
        np.subtract(s * D, LT, out=rows[1])
        np.multiply(k, m1, out=rows[2])
        rows[3] = s
        np.multiply(s, inv_b, out=rows[4])
        np.multiply(qD, D, out=rows[5])
        np.subtract(qD * kG, m1, out=rows[6])
        np.add(k * (gT * gT - sG * (gT + gt)), qkG * kG, out=rows[7])
        rows[8] = qD
        np.multiply(qD, inv_b, out=rows[9])
        rows[10] = qkG
        np.multiply(qkG, inv_b, out=rows[11])
        np.multiply(s, s, out=rows[12])
        np.multiply(q, inv_b, out=rows[13])
        np.multiply((q + s) * inv_b, inv_b, out=rows[14])
        return rows.sum(axis=1) if self.w is None else rows @ self.w[lo:hi]

    def _block_value(self, lo: int, hi: int, r: float, alpha: float, c_table) -> float:
        x, t, big_t, index = self.x[lo:hi], self.t[lo:hi], self.T[lo:hi], self.index[lo:hi]
        LT = np.log(alpha + big_t)
        k = r + x
        u = c_table[index] + k * (LT - np.log(alpha + t))
        row = np.maximum(u, 0.0) + np.log1p(np.exp(-np.abs(u))) - k * LT
        return float(row.sum() if self.w is None else row @ self.w[lo:hi])

    def evaluate(self, theta: NDArray, derivatives: bool = True) -> tuple[float, NDArray | None, NDArray | None]:
        """(total log-likelihood, gradient (4,), Hessian (4, 4)) in (r, α, a, b); without
        ``derivatives`` the log-likelihood alone (gradient and Hessian None)."""
        r, alpha, a, b = (float(v) for v in theta)
        xs, n_x, n = self.xs, self.n_x, self.n
        repeat = self.table_x > 0
        big_b = np.where(repeat, b + self.table_x - 1.0, 1.0)
        # x = 0 has no second term: u = −∞ makes its softplus, s and q exactly 0
        c_table = np.where(repeat, np.log(a) - np.log(big_b), -np.inf)
        inv_table = np.where(repeat, 1.0 / big_b, 0.0)
        A = gammaln(r + xs) - gammaln(r) + gammaln(b + xs) - gammaln(b) - gammaln(a + b + xs) + gammaln(a + b)
        ll = float(n_x @ A) + n * r * np.log(alpha)
        blocks = range(0, len(self.x), BLOCK_ROWS)
        if not derivatives:
            ll += sum(self._block_value(lo, lo + BLOCK_ROWS, r, alpha, c_table) for lo in blocks)
            return ll, None, None
        out = np.empty((15, BLOCK_ROWS))
        S = np.zeros(15)
        for lo in blocks:
            S += self._block_sums(lo, min(lo + BLOCK_ROWS, len(self.x)), r, alpha, c_table, inv_table, out)
        ll += S[0]
        psi_ab, tri_ab = digamma(a + b), polygamma(1, a + b)
        psi_abx, tri_abx = digamma(a + b + xs), polygamma(1, a + b + xs)
        grad = np.array(
            [
                float(n_x @ (digamma(r + xs) - digamma(r))) + n * np.log(alpha) + S[1],
                n * r / alpha - S[2],
                float(n_x @ (psi_ab - psi_abx)) + S[3] / a,
                float(n_x @ (digamma(b + xs) - digamma(b) - psi_abx + psi_ab)) - S[4],
            ]
        )
        shared = float(n_x @ (tri_ab - tri_abx))  # Γ(a+b) terms, in aa, ab and bb alike
        h_rr = float(n_x @ (polygamma(1, r + xs) - polygamma(1, r))) + S[5]
        h_ra = n / alpha + S[6]
        h_aa = -n * r / alpha**2 + S[7]
        h_bb = float(n_x @ (polygamma(1, b + xs) - polygamma(1, b))) + shared + S[14]
        hessian = np.array(
            [
                [h_rr, h_ra, S[8] / a, -S[9]],
                [h_ra, h_aa, S[10] / a, -S[11]],
                [S[8] / a, S[10] / a, shared - S[12] / a**2, shared - S[13] / a],
                [-S[9], -S[11], shared - S[13] / a, h_bb],
            ]
        )
        return ll, grad, hessian


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


def _mean_objective(likelihood: _BgnbdLikelihood, penalizer: float) -> Callable[[NDArray], tuple[float, NDArray]]:
    """Mean negative log-likelihood per customer plus the L2 penalty, and its gradient, in the
    log-parameters (the form :func:`_minimise_mean_negative_log_likelihood` takes)."""

    def objective(log_params: NDArray) -> tuple[float, NDArray]:
        value, jac, _ = _newton_terms(likelihood, penalizer, log_params)
        if not np.isfinite(value) or not np.all(np.isfinite(jac)):
            return 1e300, np.zeros(4)
        return value, jac

    return objective


def _newton_terms(likelihood: _BgnbdLikelihood, penalizer: float, z: NDArray) -> tuple[float, NDArray, NDArray]:
    """Objective f(z) = −ℓ(eᶻ)/n + penalizer·|z|², its gradient and Hessian in z = ln θ:
    ∇f = −θ∘∇ℓ/n + 2·penalizer·z, ∇²f = −(diag θ ∇²ℓ diag θ + diag(θ∘∇ℓ))/n + 2·penalizer·I."""
    theta = np.exp(z)
    with np.errstate(all="ignore"):
        ll, grad, hess = likelihood.evaluate(theta)
    n = likelihood.n
    value = -ll / n + penalizer * float(z @ z)
    jac = -theta * grad / n + 2.0 * penalizer * z
    hessian = -(theta[:, None] * hess * theta[None, :] + np.diag(theta * grad)) / n + 2.0 * penalizer * np.eye(4)
    return value, jac, hessian


def _newton_fit(likelihood: _BgnbdLikelihood, start: NDArray, model: BetaGeo) -> OptimizeResult:
    """Newton's method with a trust region (scipy's ``trust-exact``, which solves the trust-region
    subproblem exactly and so copes with indefinite Hessians far from the optimum) on the mean
    negative log-likelihood in the log-parameters, exact gradient and Hessian: a handful of
    evaluations from a close start, quadratic convergence near the optimum."""
    cache: dict[bytes, tuple[float, NDArray, NDArray]] = {}

    def terms(z: NDArray) -> tuple[float, NDArray, NDArray]:
        key = np.asarray(z, dtype=float).tobytes()
        if key not in cache:
            cache.clear()
            value, jac, hessian = _newton_terms(likelihood, model.penalizer, z)
            if not (np.isfinite(value) and np.all(np.isfinite(jac)) and np.all(np.isfinite(hessian))):
                value, jac, hessian = np.inf, np.zeros(4), np.eye(4)
            cache[key] = (value, jac, hessian)
        return cache[key]

    result = minimize(
        lambda z: terms(z)[0],
        start,
        jac=lambda z: terms(z)[1],
        hess=lambda z: terms(z)[2],
        method="trust-exact",
        options={"gtol": NEWTON_GTOL, "maxiter": model.max_iter},
    )
    if not result.success and np.isfinite(result.fun) and np.max(np.abs(result.jac)) <= NEWTON_ACCEPT_GRADIENT:
        # at the optimum rounding can make the model "fail to predict improvement"
        result.success = True
        result.message = f"converged: gradient ≤ {NEWTON_ACCEPT_GRADIENT:g}, no improvement left to represent"
    return result


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
        x, t_x, big_t, w = _deduplicate(x, t_x, big_t, np.ones(len(x)) if w is None else w)
        likelihood = _BgnbdLikelihood(x, t_x, big_t, w)
        mean_rate = max(np.average(x, weights=w) / max(np.average(big_t, weights=w), 1e-9), 1e-6)
        start = np.log([1.0, 1.0 / mean_rate, 1.0, 1.0])
        if len(x) > 4 * PILOT_ROWS:  # a pilot fit on evenly spaced rows gives Newton a close start
            pilot = slice(0, None, len(x) // PILOT_ROWS)
            pilot_fit = _newton_fit(_BgnbdLikelihood(x[pilot], t_x[pilot], big_t[pilot], w[pilot]), start, self)
            if pilot_fit.success and np.all(np.abs(pilot_fit.x) < 11.9):
                start = pilot_fit.x
        result = _newton_fit(likelihood, start, self)
        if not result.success:  # the previous first-order driver, from Newton's end point
            result, _ = _minimise_mean_negative_log_likelihood(
                _mean_objective(likelihood, self.penalizer), result.x, [(-12, 12)] * 4, self.max_iter, n
            )
        penalty = self.penalizer * float(result.x @ result.x)
        self.log_likelihood_ = float(-(result.fun - penalty) * n) if result.fun < 1e299 else float("-inf")
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
