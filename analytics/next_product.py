"""Next best product: which product a customer does not hold yet is most worth offering.

One logistic regression per product (scikit-learn, Newton–Cholesky solver), fitted on the customers
eligible for it (personal products on personal customers, corporate products on corporate customers), predicts
the probability that a customer holds the product from what they already hold, their value tier,
tenure, age and channel use:

    P(holds product k | x) = 1 / (1 + exp(−(β₀ₖ + βₖ · x)))

For a customer who does not hold product k, that probability is the *propensity*: how much they
look like the customers who do. Products are ranked by propensity × expected annual margin of a
sale (RMB per year: the product's margin rate × the mean balance its holders keep), so a likely
but worthless sale does not outrank a plausible valuable one. The model is explainable: the
coefficients are reported in the features' own units (per year of tenure, per product held), and
every recommendation carries a plain reason: the share of similar customers (same kind and tier)
who hold the product.

A model that is no better than chance is not advice: a product whose holdout AUC is below
``RecommendationPolicy.min_auc`` (setting ``nbp_min_auc``) is reported as unreliable and left out
of the recommendations and the outlet potential, and a recommendation worth less than
``min_expected_margin_rmb`` a year (setting ``nbp_min_expected_margin_rmb``) is dropped.

Inputs are pandas frames (see :func:`customer_features`); nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import tomllib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from threadpoolctl import threadpool_limits

from analytics.action_rules import AGE_BAND_YEARS

__all__ = [
    "BASE_FEATURES",
    "HOLDS_PREFIX",
    "NextProductModel",
    "ProductModelSummary",
    "RecommendationPolicy",
    "customer_features",
    "expected_margin_per_sale",
    "holding_shares",
    "load_recommendation_policy",
    "outlet_potential",
    "rank_next_products",
]

HOLDS_PREFIX = "holds_"
# Columns of a recommendation list, one row per customer and recommended product.
RECOMMENDATION_COLUMNS = (
    "customer_id",
    "rank",
    "code",
    "propensity",
    "expected_margin_rmb",
    "tier",
    "kind",
    "similar_share",
    "reason",
)
BASE_FEATURES = ("tenure_years", "age_years", "log_transactions_12m", "e_channel_share")
#: A recommendation's reason quotes the share of similar customers holding the product only when
#: that share is at least this (0.1 %); below it the share would read "0.0 %" and say nothing.
MIN_QUOTED_SHARE = 0.001


@dataclass(frozen=True)
class RecommendationPolicy:
    """When a model's output counts as advice.

    min_auc : a product's model must reach at least this holdout ROC AUC (0.5 is chance) to be
        used for recommendations; products without a holdout AUC are not used either.
    min_expected_margin_rmb : a recommendation must be worth at least this expected annual
        margin (propensity × margin per sale, RMB per year).
    """

    min_auc: float = 0.6
    min_expected_margin_rmb: float = 100.0

    def __post_init__(self) -> None:
        if not 0.0 <= float(self.min_auc) <= 1.0 or math.isnan(float(self.min_auc)):
            raise ValueError("min_auc must be between 0 and 1")
        if not float(self.min_expected_margin_rmb) >= 0.0:
            raise ValueError("min_expected_margin_rmb must not be negative")


def load_recommendation_policy(defaults_file=None) -> RecommendationPolicy:
    """The policy from ``config/defaults.toml`` (``nbp_min_auc``, ``nbp_min_expected_margin_rmb``),
    each overridable by ``BRANCHSCOPE_<NAME>``; missing keys keep the dataclass defaults."""
    if defaults_file is None:
        from config.settings import DEFAULTS_FILE as defaults_file
    values = {}
    if defaults_file.exists():
        with defaults_file.open("rb") as handle:
            values = tomllib.load(handle)
    policy = {}
    for field, key in (("min_auc", "nbp_min_auc"), ("min_expected_margin_rmb", "nbp_min_expected_margin_rmb")):
        value = os.environ.get(f"BRANCHSCOPE_{key.upper()}", values.get(key))
        if value is not None:
            policy[field] = float(value)
    return RecommendationPolicy(**policy)


@dataclass(frozen=True)
class ProductModelSummary:
    """Quality of one product's model: customers it was fitted on, holders among them, and the
    area under the ROC curve on a held-out quarter (NaN when the holdout has one class only)."""

    code: str
    customers: int
    holders: int
    holdout_auc: float


def customer_features(inputs: pd.DataFrame, as_of: dt.date, tiers: pd.Series | None = None) -> pd.DataFrame:
    """The model's explanatory variables per customer (index ``customer_id``).

    ``inputs`` needs customer_id, kind, age_band (start of the ten-year age band), opened_on,
    txn_12m, e_txn_12m and the 0/1
    ``holds_<code>`` columns (as from ``data.queries_next_product.care_nbp_inputs``). ``tiers``
    (index customer_id) gives each customer's value tier label; missing tiers become "none".
    Returns: kind, tier, tenure_years (years since the relationship opened, ≥ 0), age_years
    (the middle of the age band: 35 for 30–39; the personal median where unknown, e.g. for
    companies; the data layer gives bands, not birth years),
    log_transactions_12m (ln(1 + transactions in 12 months)), e_channel_share (share of those on
    e-channels; 0 without transactions) and the ``holds_<code>`` columns.
    """
    frame = inputs.set_index("customer_id")
    opened = pd.to_datetime(frame["opened_on"])
    tenure = ((pd.Timestamp(as_of) - opened).dt.days / 365.25).clip(lower=0).fillna(0.0)
    age = frame["age_band"].astype(float) + AGE_BAND_YEARS / 2
    personal_age = age[frame["kind"] == "personal"]
    age = age.fillna(float(personal_age.median()) if personal_age.notna().any() else 40.0)
    transactions = frame["txn_12m"].astype(float)
    e_share = np.where(transactions > 0, frame["e_txn_12m"].astype(float) / transactions.where(transactions > 0), 0.0)
    tier = tiers.reindex(frame.index).fillna("none").astype(str) if tiers is not None else "none"
    features = pd.DataFrame(
        {
            "kind": frame["kind"].astype(str),
            "tier": tier,
            "tenure_years": tenure.astype(float),
            "age_years": age.astype(float),
            "log_transactions_12m": np.log1p(transactions),
            "e_channel_share": np.asarray(e_share, float),
        },
        index=frame.index,
    )
    holds = [c for c in frame.columns if c.startswith(HOLDS_PREFIX)]
    return features.join(frame[holds].astype(int))


def eligible_customers(features: pd.DataFrame, segment: str) -> pd.Series:
    """True for customers a product of ``segment`` (personal / corporate / both) can be sold to."""
    if segment == "both":
        return pd.Series(True, index=features.index)
    return features["kind"] == segment


class NextProductModel:
    """One logistic regression per product on holdings, tier, tenure, age and channel use.

    Parameters
    ----------
    C : inverse L2 regularisation strength on standardised features (``numpy.inf``: none).
    min_holders : a product needs at least this many holders and non-holders among its eligible
        customers to get a model (otherwise it is listed in ``skipped_``).
    max_train_rows : at most this many eligible customers (a seeded random sample) fit each
        model, so a whole region fits in seconds; every customer is scored.
    holdout_share : share of the fitting rows held out to measure the ROC AUC; the model is the
        one fitted on the other rows (one fit per product, not two). 0: no holdout, fit on all.
    random_state : seed of the sampling and the holdout split.

    Attributes (after ``fit``)
    --------------------------
    models_ : dict code → fitted LogisticRegression (on standardised features).
    feature_names_ : dict code → list of feature names used for that product.
    coefficients_ : DataFrame (product × feature) of coefficients in the features' own units.
    intercepts_ : Series of intercepts in the features' own units.
    summaries_ : dict code → ProductModelSummary.
    skipped_ : dict code → reason ("too_few_holders", "too_few_non_holders", "not_eligible").

    Example
    -------
    >>> model = NextProductModel().fit(features, segments)          # doctest: +SKIP
    >>> propensity = model.propensity(features)                     # doctest: +SKIP
    """

    def __init__(
        self,
        C: float = 1.0,
        min_holders: int = 10,
        max_train_rows: int = 40_000,
        holdout_share: float = 0.25,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.min_holders = min_holders
        self.max_train_rows = max_train_rows
        self.holdout_share = holdout_share
        self.random_state = random_state

    # -- design matrix ---------------------------------------------------------------------------

    @staticmethod
    def _design_all(features: pd.DataFrame, tiers: list[str]) -> tuple[np.ndarray, list[str]]:
        """Numeric design of every product at once (rows of ``features`` × columns) and the
        column names: base features, all holdings, tier dummies (the first tier is the
        reference level); a product's own holding column is left out of its design."""
        holds = [c for c in features.columns if c.startswith(HOLDS_PREFIX)]
        tier = features["tier"].astype(str).to_numpy()
        blocks = [features[list(BASE_FEATURES) + holds].to_numpy(float)]
        blocks += [(tier == name).astype(float)[:, None] for name in tiers[1:]]
        return np.hstack(blocks), list(BASE_FEATURES) + holds + [f"tier_{name}" for name in tiers[1:]]

    def fit(self, features: pd.DataFrame, segments: dict[str, str]) -> NextProductModel:
        """Fit one model per product of ``segments`` (code → personal / corporate / both).

        ``features`` as from :func:`customer_features`; each product's target is its
        ``holds_<code>`` column. Returns self.
        """
        # The design matrices are small (tens of columns): one BLAS thread is fastest, and on a
        # busy server several threads per fit thrash (10x slower measured on 2 shared cores).
        with threadpool_limits(limits=1, user_api="blas"):
            return self._fit(features, segments)

    def _fit(self, features: pd.DataFrame, segments: dict[str, str]) -> NextProductModel:
        missing = [code for code in segments if HOLDS_PREFIX + code not in features]
        if missing:
            raise ValueError(f"features lack the holdings columns of products {missing}")
        if features.empty:
            raise ValueError("no customers to fit the next-best-product models on")
        rng = np.random.default_rng(self.random_state)
        self.tiers_ = sorted(features["tier"].astype(str).unique())
        self.segments_ = dict(segments)
        self.models_: dict[str, LogisticRegression] = {}
        self.feature_names_: dict[str, list[str]] = {}
        self.means_: dict[str, np.ndarray] = {}
        self.scales_: dict[str, np.ndarray] = {}
        self.summaries_: dict[str, ProductModelSummary] = {}
        self.skipped_: dict[str, str] = {}
        coefficients, intercepts = {}, {}
        full, names = self._design_all(features, self.tiers_)
        for code, segment in segments.items():
            rows = np.flatnonzero(eligible_customers(features, segment).to_numpy(bool))
            if len(rows) == 0:
                self.skipped_[code] = "not_eligible"
                continue
            holds = features[HOLDS_PREFIX + code].to_numpy(int)
            target = holds[rows]
            if target.sum() < self.min_holders:
                self.skipped_[code] = "too_few_holders"
                continue
            if len(target) - target.sum() < self.min_holders:
                self.skipped_[code] = "too_few_non_holders"
                continue
            customers, holders = len(rows), int(target.sum())
            if len(rows) > self.max_train_rows:
                sample = np.sort(rng.choice(len(rows), self.max_train_rows, replace=False))
                rows, target = rows[sample], target[sample]
                if min(target.sum(), len(target) - target.sum()) < self.min_holders:
                    self.skipped_[code] = (
                        "too_few_holders" if target.sum() < self.min_holders else "too_few_non_holders"
                    )
                    continue
            columns = [j for j, name in enumerate(names) if name != HOLDS_PREFIX + code]
            x = full[np.ix_(rows, columns)]
            varying = np.ptp(x, axis=0) > 0  # a constant column carries no information
            x = x[:, varying]
            used = [names[j] for j, keep in zip(columns, varying) if keep]
            mean, scale = x.mean(axis=0), x.std(axis=0)
            z = (x - mean) / scale
            auc, model = float("nan"), None
            if self.holdout_share > 0 and len(z) >= 8:
                test = rng.random(len(z)) < self.holdout_share
                if len(np.unique(target[~test])) == 2 and len(np.unique(target[test])) == 2:
                    model = self._regression().fit(z[~test], target[~test])
                    auc = float(roc_auc_score(target[test], model.predict_proba(z[test])[:, 1]))
            if model is None:  # no usable holdout: fit on every row
                model = self._regression().fit(z, target)
            self.models_[code] = model
            self.feature_names_[code] = used
            self.means_[code], self.scales_[code] = mean, scale
            beta = model.coef_[0] / scale
            coefficients[code] = pd.Series(beta, index=used)
            intercepts[code] = float(model.intercept_[0] - (beta * mean).sum())
            self.summaries_[code] = ProductModelSummary(code, customers, holders, auc)
        self.coefficients_ = pd.DataFrame(coefficients).T
        self.intercepts_ = pd.Series(intercepts, dtype=float)
        return self

    def reliable_codes(self, min_auc: float) -> list[str]:
        """Products whose model reached at least ``min_auc`` on the holdout (NaN AUC: unknown,
        so not reliable)."""
        return [
            code
            for code, summary in self.summaries_.items()
            if not math.isnan(summary.holdout_auc) and summary.holdout_auc >= float(min_auc)
        ]

    def _regression(self) -> LogisticRegression:
        # Newton's method with a Cholesky solve: few features, many customers, so each step is a
        # small dense solve; a tight tolerance so that weakly identified (rare) holdings converge.
        return LogisticRegression(C=self.C, solver="newton-cholesky", tol=1e-8, max_iter=200)

    def propensity(self, features: pd.DataFrame) -> pd.DataFrame:
        """P(holds product) for every customer (rows) and modelled product (columns); NaN where
        the customer already holds it or cannot buy it (wrong segment)."""
        if not hasattr(self, "models_"):
            raise RuntimeError("fit the model before asking for propensities")
        with threadpool_limits(limits=1, user_api="blas"):
            return self._propensity(features)

    def _propensity(self, features: pd.DataFrame) -> pd.DataFrame:
        codes = list(self.models_)
        values = np.full((len(features), len(codes)), np.nan)
        full, names = self._design_all(features, self.tiers_)
        position = {name: j for j, name in enumerate(names)}
        zeros = np.zeros((len(features), 1))
        full = np.hstack([full, zeros])  # a column of zeros for features the scored rows lack
        for k, code in enumerate(codes):
            holds = HOLDS_PREFIX + code
            if holds not in features:
                continue
            eligible = eligible_customers(features, self.segments_[code]).to_numpy(bool)
            eligible = eligible & (features[holds].to_numpy() == 0)
            if not eligible.any():
                continue
            columns = [position.get(name, len(names)) for name in self.feature_names_[code]]
            z = (full[np.ix_(np.flatnonzero(eligible), columns)] - self.means_[code]) / self.scales_[code]
            values[eligible, k] = self.models_[code].predict_proba(z)[:, 1]
        return pd.DataFrame(values, index=features.index, columns=codes)


def holding_shares(features: pd.DataFrame, segments: dict[str, str]) -> pd.DataFrame:
    """Share of customers holding each product among similar customers: those of the same kind
    and tier who can buy it. Index (kind, tier), one column per product (NaN where no customer of
    that kind can buy it). This is the number in a recommendation's reason."""
    rows = {}
    for (kind, tier), group in features.groupby(["kind", "tier"], sort=True):
        shares = {}
        for code, segment in segments.items():
            column = HOLDS_PREFIX + code
            can_buy = segment == "both" or segment == kind
            shares[code] = float(group[column].mean()) if can_buy and column in group else float("nan")
        rows[(kind, tier)] = shares
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index = pd.MultiIndex.from_tuples(frame.index, names=["kind", "tier"])
    return frame


def expected_margin_per_sale(catalogue: pd.DataFrame) -> pd.Series:
    """Expected annual margin of one sale per product code (RMB per year): the product's annual
    margin rate × the mean balance its holders keep (``annual_margin_rate``, ``mean_balance_rmb``
    columns). Products without a balance margin (cards, e-banking) are worth 0 here."""
    margin = catalogue["annual_margin_rate"].astype(float) * catalogue["mean_balance_rmb"].astype(float)
    return pd.Series(margin.to_numpy(), index=catalogue["code"].to_numpy(), dtype=float).clip(lower=0.0)


def rank_next_products(
    propensity: pd.DataFrame,
    margin_per_sale_rmb: pd.Series,
    features: pd.DataFrame,
    shares: pd.DataFrame,
    top_n: int = 3,
    by: str = "expected_margin",
    reliable: list[str] | None = None,
    min_expected_margin_rmb: float = 0.0,
) -> pd.DataFrame:
    """The ``top_n`` products each customer does not hold, best first.

    ``by`` "expected_margin" ranks by propensity × margin per sale (RMB per year; ties by
    propensity), "propensity" by propensity alone. Only products in ``reliable`` (all when None)
    and recommendations worth at least ``min_expected_margin_rmb`` a year are kept. Returns one
    row per (customer, product): customer_id, rank (1 = best), code, propensity,
    expected_margin_rmb, tier, kind, similar_share (share of customers of the same kind and tier
    holding the product) and reason ("similar_share" when that share is at least
    ``MIN_QUOTED_SHARE``, else "lookalike": the customer resembles the product's holders).
    """
    if by not in ("expected_margin", "propensity"):
        raise ValueError(f"unknown ranking {by!r}")
    if reliable is not None:
        propensity = propensity[[code for code in propensity.columns if code in set(reliable)]]
    long = propensity.stack().dropna().rename("propensity").reset_index()
    if long.shape[1] != 3 or long.empty:  # no product (column) left to rank
        long = pd.DataFrame({"customer_id": [], "code": [], "propensity": [], "expected_margin_rmb": []})
    else:
        long.columns = ["customer_id", "code", "propensity"]
        long["expected_margin_rmb"] = long["propensity"] * long["code"].map(margin_per_sale_rmb).fillna(0.0)
        long = long[long["expected_margin_rmb"] >= float(min_expected_margin_rmb)]
    if long.empty:
        return pd.DataFrame(columns=list(RECOMMENDATION_COLUMNS))
    keys = ["expected_margin_rmb", "propensity"] if by == "expected_margin" else ["propensity", "expected_margin_rmb"]
    long = long.sort_values(["customer_id", *keys, "code"], ascending=[True, False, False, True], kind="stable")
    long["rank"] = long.groupby("customer_id").cumcount() + 1
    long = long[long["rank"] <= int(top_n)].copy()
    long["tier"] = long["customer_id"].map(features["tier"])
    long["kind"] = long["customer_id"].map(features["kind"])
    lookup = shares.stack().rename("similar_share").reset_index()
    lookup.columns = ["kind", "tier", "code", "similar_share"]
    long = long.merge(lookup, on=["kind", "tier", "code"], how="left")
    long["reason"] = np.where(long["similar_share"].fillna(0.0) >= MIN_QUOTED_SHARE, "similar_share", "lookalike")
    return long[list(RECOMMENDATION_COLUMNS)].reset_index(drop=True)


def outlet_potential(
    propensity: pd.DataFrame,
    margin_per_sale_rmb: pd.Series,
    outlet_of: pd.Series,
    reliable: list[str] | None = None,
) -> pd.DataFrame:
    """Untapped potential per outlet and product, from every eligible non-holder's propensity.

    ``outlet_of`` maps customer_id → outlet id; only products in ``reliable`` (all when None)
    count. Returns outlet_id, code, non_holders (eligible customers without the product),
    expected_new_holders (sum of their propensities) and expected_margin_rmb (that × margin per
    sale, RMB per year), largest margin first.
    """
    if reliable is not None:
        propensity = propensity[[code for code in propensity.columns if code in set(reliable)]]
    if propensity.shape[1] == 0 or propensity.isna().all().all():
        return pd.DataFrame(
            {
                "outlet_id": pd.Series(dtype="int64"),
                "code": pd.Series(dtype=object),
                "non_holders": pd.Series(dtype="int64"),
                "expected_new_holders": pd.Series(dtype=float),
                "expected_margin_rmb": pd.Series(dtype=float),
            }
        )
    long = propensity.stack().dropna().rename("propensity").reset_index()
    long.columns = ["customer_id", "code", "propensity"]
    long["outlet_id"] = long["customer_id"].map(outlet_of)
    grouped = long.groupby(["outlet_id", "code"], sort=True)["propensity"].agg(["size", "sum"]).reset_index()
    grouped.columns = ["outlet_id", "code", "non_holders", "expected_new_holders"]
    grouped["expected_margin_rmb"] = grouped["expected_new_holders"] * grouped["code"].map(margin_per_sale_rmb).fillna(
        0.0
    )
    return grouped.sort_values(
        ["expected_margin_rmb", "expected_new_holders"], ascending=False, kind="stable"
    ).reset_index(drop=True)
