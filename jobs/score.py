"""The scoring job: every customer's scores for one data version, stored for the customer pages.

    python -m jobs.score --database-url URL [--engine local] [--if-stale]

For the data version in force it computes, over every customer of the bank (the region), with
the same ``analytics`` functions and the same scoped queries the pages use (``jobs.settings``
holds the pages' default settings it scores with):

* the value tier of each month of the balance history (upgrade at once, downgrade after the
  grace period: ``analytics.customer_value.tier_history``), up to the newest 24 month-ends;
* RFM quintile scores and segment, and the behavioural segment (k-means, k chosen by
  silhouette: ``analytics.segmentation``), as the Segments page at the newest month;
* BG/NBD probability alive, expected transaction days and Gamma-Gamma lifetime value over the
  default horizon (``analytics.clv``), as the Lifetime value page at the newest month;
* the action-list inputs, probability alive of the activity model and membership of the four
  lists before contacts (``analytics.action_rules``), with the rules saved for the region or
  the defaults; contacts are applied when a page reads the lists;
* next-best products with propensities (``analytics.next_product``), top 3 under both
  rankings, and the untapped potential per outlet and product;

and stores them, with the fitted parameters, fit diagnostics and the data version, through
``data.queries_scores`` in one transaction (COPY on PostgreSQL). The run is logged in
``score_run`` (start, end, status, rows). Re-running for the same data version replaces the
scores; a run during which the data changed is recorded as superseded and keeps nothing.

Exit codes: 0 scored (or nothing to do with ``--if-stale``), 1 failed (the run says why), 2
bad arguments.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import logging
import math
import sys
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from analytics.action_rules import ActionRules, build_action_lists, probability_alive, tier_codes, wallet_estimates
from analytics.clv import customer_lifetime_value, fit_transaction_models
from analytics.customer_value import apply_tier_rules, raw_tier, rfm_scores
from analytics.next_product import (
    RECOMMENDATION_COLUMNS,
    NextProductModel,
    customer_features,
    expected_margin_per_sale,
    holding_shares,
    load_recommendation_policy,
    outlet_potential,
    rank_next_products,
)
from analytics.segmentation import choose_k, segment_customers
from data import queries_action_lists, queries_customer_care, queries_customers, queries_next_product, queries_scores
from data.db import make_engine
from data.queries_customers import MAX_TIER_MONTHS
from data.scope import Scope, region_root
from jobs import settings

log = logging.getLogger("jobs.score")
ENGINES = ("local",)
JOB_USER = "jobs.score"


@dataclasses.dataclass
class ScoreResult:
    """What a run did: its id, data version, final status, customers scored, rows written and
    the seconds each step took."""

    run_id: int
    data_version: str
    status: str
    customers: int = 0
    rows: int = 0
    seconds: dict[str, float] = dataclasses.field(default_factory=dict)


def job_scope(engine) -> Scope:
    """The job's scope: the whole bank, customer numbers unmasked (it keys scores on customer
    ids and stores no personal data)."""
    with engine.connect() as connection:
        root_id, root_path = region_root(connection)
    return Scope(JOB_USER, "executive", root_id, root_path, sees_personal_data=True)


def _month_end(month: dt.date) -> dt.date:
    return (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()


def _clean(value):
    """A JSON-safe plain value (NaN and infinities become None)."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# --------------------------------------------------------------------------- the parts


def tier_scores(balances: pd.DataFrame, months: list[dt.date]) -> pd.DataFrame:
    """Tier history per customer and month (``score_tier_month`` rows) from month-end AUM
    (customer_id, outlet_id, month, aum_rmb): ``analytics.customer_value`` tier rules with the
    default tiers and grace period; a month without a balance counts as AUM 0, and a customer
    is ``known`` from their first balance on."""
    wide = balances.pivot(index="customer_id", columns="month", values="aum_rmb").reindex(columns=months)
    outlets = balances.groupby("customer_id")["outlet_id"].first().reindex(wide.index)
    raw = np.column_stack([raw_tier(wide[m].to_numpy(), settings.TIERS) for m in months])
    tiers = apply_tier_rules(raw, settings.DOWNGRADE_AFTER_MONTHS)
    known = np.maximum.accumulate(wide.notna().to_numpy(), axis=1)
    n, k = tiers.shape
    return pd.DataFrame(
        {
            "customer_id": np.repeat(wide.index.to_numpy(), k),
            "month": np.tile(np.array(months, dtype=object), n),
            "outlet_id": np.repeat(outlets.to_numpy(), k),
            "tier": tiers.reshape(-1),
            "aum_rmb": wide.to_numpy().reshape(-1),
            "known": known.reshape(-1),
        }
    )


def lifetime_scores(engine, scope: Scope, unit_id: int, end: dt.date, ids: pd.Series):
    """BG/NBD and Gamma-Gamma fitted on every customer's transaction days up to ``end`` (with the
    region's weekly histogram as the fallback, as the page); returns (per-customer frame keyed
    on customer_id, models dict)."""
    summary = queries_customers.customer_transaction_summary(engine, scope, unit_id, end)

    def region_histogram():
        histogram = queries_customers.region_transaction_histogram(engine, scope, unit_id, end)
        return histogram.frequency, histogram.recency_weeks, histogram.T_weeks, histogram.customers, 7.0

    fitted = fit_transaction_models(
        summary.frequency, summary.recency_days, summary.T_days, summary.monetary_value, fallback=region_histogram
    )
    frame = pd.DataFrame(
        {
            "customer_id": summary["customer_no"].map(ids).astype("int64"),
            "frequency": summary["frequency"].astype("int64"),
            "recency_days": summary["recency_days"],
            "t_days": summary["T_days"],
            "monetary_value": summary["monetary_value"],
        }
    )
    value_model = fitted.value
    models = {
        "gamma_gamma": (
            _clean(dict(getattr(value_model, "params_", {}))),
            {"kind": type(value_model).__name__, "population_mean_value": value_model.population_mean_value()},
        )
    }
    bgnbd_diagnostics = {"source": fitted.source, "notes": list(fitted.notes), "customers": len(summary)}
    if fitted.beta_geo is None:
        models["bgnbd"] = (None, bgnbd_diagnostics)
        for column in ("p_alive", "expected_txn", "value_each", "clv_rmb"):
            frame[column] = np.nan
        return frame, models
    beta_geo = fitted.beta_geo
    bgnbd_diagnostics |= {
        "converged": bool(getattr(beta_geo, "converged_", True)),
        "rate_per_month": beta_geo.population_transaction_rate(settings.DAYS_PER_MONTH),
        "dropout_probability": beta_geo.population_dropout_probability(),
    }
    models["bgnbd"] = (_clean(dict(beta_geo.params_)), _clean(bgnbd_diagnostics))
    f, r, t = summary.frequency, summary.recency_days, summary.T_days
    frame["p_alive"] = beta_geo.probability_alive(f, r, t)
    frame["expected_txn"] = beta_geo.conditional_expected_transactions(
        settings.CLV_HORIZON_MONTHS * settings.DAYS_PER_MONTH, f, r, t
    )
    frame["value_each"] = value_model.conditional_expected_average_value(f, summary.monetary_value)
    frame["clv_rmb"] = customer_lifetime_value(
        beta_geo,
        value_model,
        f,
        r,
        t,
        summary.monetary_value,
        horizon_months=settings.CLV_HORIZON_MONTHS,
        annual_discount_rate=settings.CLV_ANNUAL_DISCOUNT,
        periods_per_month=settings.DAYS_PER_MONTH,
        margin=settings.CLV_MARGIN,
    )
    return frame, models


def segment_scores(engine, scope: Scope, unit_id: int, month: dt.date, ids: pd.Series):
    """RFM and behavioural segments as the Segments page computes them at ``month`` (window of
    ``SEGMENT_WINDOW_DAYS`` up to its end, k from ``SEGMENT_K_MIN`` … ``SEGMENT_K_MAX`` by
    silhouette); returns (frame keyed on customer_id, models dict)."""
    window_end = _month_end(month)
    window_start = window_end - dt.timedelta(days=settings.SEGMENT_WINDOW_DAYS - 1)
    features = queries_customers.customer_feature_frame(engine, scope, unit_id, month, window_start, window_end)
    rfm = rfm_scores(features.days_since_last, features.active_days, features.aum_rmb)
    frame = pd.DataFrame(
        {
            "customer_id": features["customer_no"].map(ids).astype("int64").to_numpy(),
            "aum_rmb": features["aum_rmb"].to_numpy(),
            "rfm_r": rfm["r"].to_numpy(),
            "rfm_f": rfm["f"].to_numpy(),
            "rfm_m": rfm["m"].to_numpy(),
            "rfm_segment": rfm["segment"].to_numpy(),
        }
    )
    models: dict = {}
    if len(features) < settings.SEGMENT_K_MAX + 2:
        frame["segment"] = pd.NA
        models["segmentation"] = (None, {"reason": "too_few_customers", "customers": len(features)})
        return frame, models
    matrix = segment_feature_matrix(features)
    results = {
        k: segment_customers(
            matrix,
            method=settings.SEGMENT_METHOD,
            k=k,
            log_features=settings.SEGMENT_LOG_FEATURES,
            random_state=settings.SEGMENT_SEED,
        )
        for k in range(settings.SEGMENT_K_MIN, settings.SEGMENT_K_MAX + 1)
    }
    scores = pd.concat([result.scores for result in results.values()], ignore_index=True)
    chosen = choose_k(scores, "silhouette")
    frame["segment"] = results[chosen].labels.to_numpy()
    models["segmentation"] = (
        {"method": settings.SEGMENT_METHOD, "k": int(chosen), "features": list(settings.SEGMENT_FEATURES)},
        _clean(
            {"scores": scores.to_dict(orient="list"), "window_start": str(window_start), "window_end": str(window_end)}
        ),
    )
    return frame, models


def segment_feature_matrix(features: pd.DataFrame) -> pd.DataFrame:
    """The clustering inputs (as the Segments page): a corporate customer's missing age is the
    scope's median age."""
    frame = features[list(settings.SEGMENT_FEATURES)].copy()
    frame["age_years"] = frame["age_years"].fillna(frame["age_years"].median()).fillna(0.0)
    return frame


def action_scores(inputs: pd.DataFrame, rules: ActionRules, as_of: dt.date, today: dt.date):
    """Probability alive of the activity model, the rule inputs and the four lists' membership
    *before contacts* (``build_action_lists`` without contacts: nobody cooling off, everybody due
    a maintenance call), keyed on customer_id; returns (frame, models dict). Development and
    reserve members are the lists' own (already without churn members); ``high_value`` is AUM
    now at or above the high-value line (the maintenance list's condition besides contacts)."""
    p_alive, info = probability_alive(inputs, as_of)
    lists = build_action_lists(inputs.assign(p_alive=p_alive.to_numpy()), rules, today, None)
    aum_now = inputs["aum_now_rmb"].astype(float).fillna(0.0)
    aum_then = inputs["aum_then_rmb"].astype(float)
    wallet = wallet_estimates(inputs.assign(aum_now_rmb=aum_now), rules.wallet_quantile)
    frame = pd.DataFrame(
        {
            "customer_id": inputs["customer_id"].to_numpy(),
            "outlet_id": inputs["outlet_id"].to_numpy(),
            "act_p_alive": p_alive.to_numpy(),
            "aum_now_rmb": inputs["aum_now_rmb"].to_numpy(),
            "aum_then_rmb": aum_then.to_numpy(),
            "aum_change_share": ((aum_now - aum_then) / aum_then.where(aum_then > 0)).to_numpy(),
            "wallet_rmb": wallet.to_numpy(),
            "share_of_wallet": (aum_now / wallet.where(wallet > 0)).to_numpy(),
            "products": inputs["products"].to_numpy(),
            "high_value": (aum_now >= rules.high_value_aum_rmb).to_numpy(),
        }
    )
    for kind in ("churn", "development", "reserve"):
        frame[f"{kind}_candidate"] = frame["customer_id"].isin(lists.loc[lists["list_kind"] == kind, "customer_id"])
    churn = lists[lists["list_kind"] == "churn"].set_index("customer_id")
    for column in ("reason_p_alive", "reason_aum_drop"):
        frame[column] = frame["customer_id"].map(churn[column]).fillna(False).astype(bool).to_numpy()
    models = {"activity_bgnbd": (_clean(info.get("params")), _clean({k: v for k, v in info.items() if k != "params"}))}
    return frame, models


def product_scores(engine, scope: Scope, unit_id: int, as_of: dt.date):
    """Next-best products as the Next best product page fits them on the whole bank; returns
    (per-customer recommendations frame, per-outlet potential frame, models dict)."""
    inputs = queries_next_product.care_nbp_inputs(engine, scope, unit_id)
    catalogue = queries_next_product.care_product_catalogue(engine, scope, unit_id)
    empty = pd.DataFrame()
    if inputs.empty or catalogue.empty:
        return empty, empty, {"next_product": (None, {"reason": "no_customers"})}
    features = customer_features(inputs, as_of, tier_codes(inputs.set_index("customer_id")["aum_rmb"]))
    segments = dict(zip(catalogue["code"], catalogue["segment"]))
    try:
        model = NextProductModel().fit(features, segments)
    except ValueError as error:
        return empty, empty, {"next_product": (None, {"reason": "cannot_fit", "error": str(error)})}
    propensity = model.propensity(features)
    shares = holding_shares(features, segments)
    margin = expected_margin_per_sale(catalogue)
    policy = load_recommendation_policy()
    reliable = model.reliable_codes(policy.min_auc)
    ranked = pd.concat(
        [
            rank_next_products(
                propensity,
                margin,
                features,
                shares,
                top_n=settings.PRODUCT_TOP_N,
                by=ranking,
                reliable=reliable,
                min_expected_margin_rmb=policy.min_expected_margin_rmb,
            ).assign(ranking=ranking)
            for ranking in settings.PRODUCT_RANKINGS
        ],
        ignore_index=True,
    )
    outlet_of = inputs.set_index("customer_id")["outlet_id"]
    ranked["outlet_id"] = ranked["customer_id"].map(outlet_of)
    ranked = ranked.astype({"customer_id": "int64", "rank": "int64", "outlet_id": "int64"})
    potential = outlet_potential(propensity, margin, outlet_of, reliable)
    summaries = {
        code: {
            "customers": int(summary.customers),
            "holders": int(summary.holders),
            "holdout_auc": summary.holdout_auc,
            "reliable": code in reliable,
            "margin_per_sale_rmb": float(margin.get(code, 0.0)),
            "coefficients": model.coefficients_.loc[code].dropna().to_dict(),
        }
        for code, summary in model.summaries_.items()
    }
    diagnostics = {
        "products": summaries,
        "skipped": dict(model.skipped_),
        "reliable": list(reliable),
        "min_auc": policy.min_auc,
        "min_expected_margin_rmb": policy.min_expected_margin_rmb,
        "customers": len(inputs),
    }
    return ranked, potential, {"next_product": ({"rankings": list(settings.PRODUCT_RANKINGS)}, _clean(diagnostics))}


# --------------------------------------------------------------------------- the run


def score(
    engine,
    engine_name: str = "local",
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> ScoreResult:
    """Score every customer for the data version in force and store the scores (see the module
    docstring). ``today`` dates nothing stored but the log (contacts are applied on reading);
    ``progress`` is called with the name of each step as it starts."""
    if engine_name not in ENGINES:
        raise ValueError(f"unknown engine {engine_name!r} (available: {', '.join(ENGINES)})")
    today = today or dt.date.today()
    say = progress or (lambda step: log.info("scoring: %s", step))
    scope = job_scope(engine)
    unit_id = scope.root_unit_id
    saved = queries_action_lists.care_saved_action_rules(engine, scope, unit_id)
    rules = ActionRules.from_dict(saved["values"]) if saved else ActionRules()
    parameters = {
        "tiers_rmb": [tier.min_aum_rmb for tier in settings.TIERS],
        "downgrade_after_months": settings.DOWNGRADE_AFTER_MONTHS,
        "clv_horizon_months": settings.CLV_HORIZON_MONTHS,
        "clv_annual_discount": settings.CLV_ANNUAL_DISCOUNT,
        "clv_margin": settings.CLV_MARGIN,
        "segment_method": settings.SEGMENT_METHOD,
        "action_rules": rules.as_dict(),
        "action_rules_unit_id": saved.get("unit_id") if saved else None,
    }
    run_id, version = queries_scores.start_run(engine, engine_name, _clean(parameters))
    result = ScoreResult(run_id, version, "running")
    clock = time.perf_counter()

    def step(name: str):
        nonlocal clock
        now = time.perf_counter()
        result.seconds[step.current] = round(now - clock, 2)
        clock, step.current = now, name
        say(name)

    step.current = "balance months"
    try:
        tables, models = _compute(engine, scope, unit_id, rules, today, step)
        step("write")
        end = models.pop("_observation_end")[0]
        result.status = queries_scores.store_run(engine, run_id, tables, models, end)
        step("done")
        result.seconds.pop("done", None)
    except Exception as error:
        queries_scores.fail_run(engine, run_id, f"{type(error).__name__}: {error}")
        raise
    result.customers = len(tables.get("score_customer", ()))
    result.rows = sum(len(frame) for frame in tables.values()) + len(models)
    return result


def _compute(engine, scope: Scope, unit_id: int, rules: ActionRules, today: dt.date, step) -> tuple[dict, dict]:
    """Every score table's rows and the models, computed from the database's current data."""
    months = queries_customers.customer_balance_months(engine, scope, unit_id)
    step("action-list inputs")
    inputs = queries_action_lists.care_action_inputs(engine, scope, unit_id, rules.churn_months)
    ids = inputs.set_index("customer_no")["customer_id"]
    dates = queries_customer_care.care_data_dates(engine, scope, unit_id)
    as_of = dates["last_txn_day"] or today
    tables: dict[str, pd.DataFrame] = {}
    models: dict = {}
    if inputs.empty or not months:
        models["_observation_end"] = (None, None)
        return {"score_customer": pd.DataFrame()}, models
    history_months = months[-MAX_TIER_MONTHS:]
    newest = months[-1]
    end = _month_end(newest)
    models["_observation_end"] = (end, None)

    step("tier history")
    balances = queries_scores.score_balance_history(engine, scope, unit_id, tuple(history_months))
    tiers = tier_scores(balances, history_months)
    tables["score_tier_month"] = tiers
    models["tier_history"] = (
        {
            "tiers_rmb": [tier.min_aum_rmb for tier in settings.TIERS],
            "downgrade_after_months": settings.DOWNGRADE_AFTER_MONTHS,
        },
        {"months": [month.isoformat() for month in history_months], "customers": int(tiers["customer_id"].nunique())},
    )

    step("lifetime value")
    lifetime, lifetime_models = lifetime_scores(engine, scope, unit_id, end, ids)
    models |= lifetime_models

    step("segments")
    segments, segment_models = segment_scores(engine, scope, unit_id, newest, ids)
    models |= segment_models

    step("action lists")
    actions, action_models = action_scores(inputs, rules, as_of, today)
    models |= action_models

    step("next best product")
    products, potential, product_models = product_scores(engine, scope, unit_id, as_of)
    models |= product_models
    if not products.empty:
        tables["score_product"] = products[["outlet_id", "ranking", *RECOMMENDATION_COLUMNS]]
    if not potential.empty:
        tables["score_outlet_product"] = potential[
            ["outlet_id", "code", "non_holders", "expected_new_holders", "expected_margin_rmb"]
        ]

    newest_tier = tiers.loc[tiers["month"] == newest, ["customer_id", "tier"]]
    customers = (
        actions.merge(newest_tier, on="customer_id", how="left")
        .merge(lifetime, on="customer_id", how="left")
        .merge(segments, on="customer_id", how="left")
    )
    customers["tier"] = customers["tier"].astype("Int64")
    customers["frequency"] = customers["frequency"].astype("Int64")
    customers["segment"] = customers["segment"].astype("Int64")
    for column in ("rfm_r", "rfm_f", "rfm_m"):
        customers[column] = customers[column].astype("Int64")
    tables["score_customer"] = customers
    models["dates"] = (
        None,
        {
            "balance_month": str(newest),
            "observation_end": str(end),
            "last_txn_day": str(as_of),
            "scored_on": str(today),
        },
    )
    return tables, models


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m jobs.score", description="Score every customer for the current data version and store it."
    )
    parser.add_argument("--database-url", help="database URL (default: the app's configured database)")
    parser.add_argument("--engine", default="local", choices=ENGINES, help="where to compute (local: this process)")
    parser.add_argument(
        "--if-stale", action="store_true", help="do nothing when scores for the current data version exist"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if args.database_url is None:
        from config.settings import load_settings

        args.database_url = load_settings().database_url
    engine = make_engine(args.database_url)
    if args.if_stale and queries_scores.has_current_scores(engine):
        print("scores for the current data version exist: nothing to do")
        return 0
    started = time.perf_counter()
    try:
        result = score(engine, args.engine, progress=lambda name: print(f"[scoring] {name}", flush=True))
    except Exception as error:  # recorded in score_run by score()
        print(f"scoring failed: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(
        f"run {result.run_id} {result.status}: data version {result.data_version}, {result.customers:,} customers, "
        f"{result.rows:,} rows, {time.perf_counter() - started:.1f} s"
    )
    for name, seconds in result.seconds.items():
        print(f"  {name}: {seconds:.1f} s")
    return 0 if result.status == "succeeded" else 1


if __name__ == "__main__":
    sys.exit(main())
