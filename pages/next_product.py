"""Next best product: per outlet, the products with the largest untapped potential; per product,
how good the model is and what drives it; and for roles that work customer lists (branch heads),
each customer's best products to offer with a plain reason, exportable to Excel.

By default the page reads what the scoring job stored (``python -m jobs.score``: one logistic
regression per product fitted on every customer of the bank, each customer's top products under
both rankings, the potential per outlet and product) through ``data.queries_scores`` and says
which data version it is from. Without stored scores for the current data, or with "fit on this
unit's customers now", one logistic regression per product (``analytics.next_product``) is
fitted on the customers of the focus unit in the page and cached per unit and data version.
Executives and planners see aggregates only (outlets × products), never customer rows.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.action_rules import tier_codes
from analytics.next_product import (
    BASE_FEATURES,
    HOLDS_PREFIX,
    NextProductModel,
    customer_features,
    expected_margin_per_sale,
    holding_shares,
    load_recommendation_policy,
    outlet_potential,
    rank_next_products,
)
from config.settings import load_settings
from data import queries_customer_care, queries_next_product
from data import queries_scores as qs
from ui.cards import metric_cards
from ui.charts import axis_title, money_scale, plain_numbers
from ui.customer_export import customer_download_button
from ui.data_access import app_engine, dataset_info, run_query
from ui.excel import frames_to_xlsx
from ui.format import MISSING, format_count, format_money, format_ratio
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.page_entry import enter_through_app
from ui.session import current_scope
from ui.sidebar import focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

RANKINGS = ("expected_margin", "propensity")
CUSTOMER_ROWS = 200  # customers shown (and exported) with their best products
TOP_PAIRS = 15

lang = current_language()
scope = current_scope()
data_version = dataset_info(load_settings().database_url).get("data_version", "")

unit = focus_unit()
st.title(t("nbp_title"))
st.caption(t("nbp_caption", unit=name_of(unit)))


@st.cache_data(show_spinner=False, max_entries=16)
def fitted_model(unit_id: int, version: str, as_of: dt.date, inputs: pd.DataFrame, catalogue: pd.DataFrame):
    """Features, the fitted per-product models, propensities and the reason shares of a unit."""
    features = customer_features(inputs, as_of, tier_codes(inputs.set_index("customer_id")["aum_rmb"]))
    segments = dict(zip(catalogue["code"], catalogue["segment"]))
    model = NextProductModel().fit(features, segments)
    return features, model, model.propensity(features), holding_shares(features, segments)


fit_here = st.toggle(t("score_fit_here"), value=False, key="nbp_fit_here", help=t("score_fit_here_help"))
# fresh, not cached: a scoring run may finish while the data version stays the same
stored = qs.score_status(app_engine(), scope, unit["id"])
use_stored = stored["current"] and not fit_here
catalogue = run_query(queries_next_product.care_product_catalogue, unit["id"])
products = catalogue.set_index("code")
product_name = products[f"name_{lang}"].to_dict()
policy = load_recommendation_policy()
if use_stored:
    run_id = stored["run_id"]
    models = run_query(qs.score_models, unit["id"], run_id)
    scored = models.get("next_product", {})
    dates = models.get("dates", {}).get("diagnostics", {})  # the dates the scores were computed from
    as_of = dt.date.fromisoformat(dates["last_txn_day"]) if dates.get("last_txn_day") else dt.date.today()
    balance_month = dt.date.fromisoformat(dates["balance_month"]) if dates.get("balance_month") else None
    fits = scored.get("diagnostics", {})
    customers_in_scope = run_query(qs.score_customers_in_scope, unit["id"], run_id)["customers"]
    if not fits.get("products") or customers_in_scope == 0:
        st.warning(t("nbp_cannot_fit") if customers_in_scope else t("nbp_no_customers"))
        st.stop()
    st.caption(t("score_from_job", version=stored["data_version"], finished=f"{stored['finished_at']:%Y-%m-%d %H:%M}"))
    reliable = list(fits["reliable"])
    margin = pd.Series({code: fit["margin_per_sale_rmb"] for code, fit in fits["products"].items()}, dtype=float)
    quality = {
        code: (fit["customers"], fit["holders"], fit["holdout_auc"], pd.Series(fit["coefficients"], dtype=float))
        for code, fit in fits["products"].items()
    }
    skipped = dict(fits.get("skipped", {}))
    potential = run_query(qs.score_outlet_potential, unit["id"], run_id)
else:
    if not stored["current"]:
        st.info(
            t("score_stale", version=stored["last_version"], finished=f"{stored['last_finished_at']:%Y-%m-%d %H:%M}")
            if stored["last_version"]
            else t("score_missing")
        )
    data_dates = run_query(queries_customer_care.care_data_dates, unit["id"])
    as_of = data_dates["last_txn_day"] or dt.date.today()
    balance_month = data_dates["last_balance_month"]
    inputs = run_query(queries_next_product.care_nbp_inputs, unit["id"])
    if inputs.empty or catalogue.empty:
        st.info(t("nbp_no_customers"))
        st.stop()
    with st.spinner(t("nbp_fitting", customers=format_count(len(inputs), lang))):
        try:
            features, model, propensity, shares = fitted_model(unit["id"], data_version, as_of, inputs, catalogue)
        except ValueError:
            st.warning(t("nbp_cannot_fit"))
            st.stop()
    if not model.models_:
        st.warning(t("nbp_cannot_fit"))
        st.stop()
    margin = expected_margin_per_sale(catalogue)
    reliable = model.reliable_codes(policy.min_auc)  # models better than chance: the only advice given
    quality = {
        code: (summary.customers, summary.holders, summary.holdout_auc, model.coefficients_.loc[code])
        for code, summary in model.summaries_.items()
    }
    skipped = dict(model.skipped_)
    customers_in_scope = len(inputs)
    potential = outlet_potential(propensity, margin, inputs.set_index("customer_id")["outlet_id"], reliable)
unreliable = [code for code in quality if code not in reliable]
st.info(
    t(
        "nbp_dates_used",
        month=balance_month.strftime("%Y-%m") if balance_month else "—",
        as_of=as_of.isoformat(),
    )
)

by = st.segmented_control(
    t("nbp_rank_by"),
    RANKINGS,
    default="expected_margin",
    format_func={r: t(f"nbp_rank_{r}") for r in RANKINGS}.get,
    key="nbp_rank_by",
)
by = by or "expected_margin"
measure = "expected_margin_rmb" if by == "expected_margin" else "expected_new_holders"


def shown(value) -> str:
    return format_money(value, lang) if measure == "expected_margin_rmb" else format_count(value, lang)


# --- Untapped potential per outlet --------------------------------------------------------------------
st.subheader(t("nbp_potential_title"))
outlets = run_query(queries_customer_care.care_outlets, unit["id"]).set_index("id")
labels = unit_label_map()
potential = potential.assign(
    outlet=[labels.get(int(o), "") for o in potential["outlet_id"]], product=potential["code"].map(product_name)
)
totals = potential.groupby("product")[["expected_new_holders", "expected_margin_rmb"]].sum().sort_values(measure)
metrics = [
    (t("nbp_metric_customers"), format_count(customers_in_scope, lang)),
    (t("nbp_metric_models"), format_count(len(reliable), lang)),
    (t("nbp_metric_new_holders"), format_count(potential["expected_new_holders"].sum(), lang)),
    (t("nbp_metric_margin"), format_money(potential["expected_margin_rmb"].sum(), lang)),
]
metric_cards(metrics, key="next_product_metrics")
if unreliable:
    st.warning(
        t(
            "nbp_unreliable",
            products="、".join(product_name.get(c, c) for c in unreliable)
            if lang == "zh"
            else ", ".join(product_name.get(c, c) for c in unreliable),
            auc=f"{policy.min_auc:.2f}",
        )
    )
if potential.empty:
    st.info(t("nbp_no_reliable"))
    st.stop()
if measure == "expected_margin_rmb":  # money on axes in 万元/亿元 with the unit in the title
    divisor, money_unit = money_scale(potential.groupby("code")[measure].sum())
    measure_title = axis_title(t("nbp_axis_margin"), money_unit)
else:
    divisor, measure_title = 1.0, t("nbp_unit_expected_new_holders")
if len(outlets) > 1:
    # keyed on the outlet id (outlets may share a name); rows labelled with ui.labels
    grid = potential.pivot_table(index="outlet_id", columns="product", values=measure, aggfunc="sum").fillna(0.0)
    grid = grid.loc[grid.sum(axis=1).sort_values(ascending=False).index[:30], totals.index[::-1]]
    heatmap = go.Figure(
        go.Heatmap(
            z=grid.to_numpy() / divisor,
            x=list(grid.columns),
            y=[labels.get(int(o), str(o)) for o in grid.index],
            colorscale="YlGn",
            colorbar={"title": {"text": measure_title}, "tickformat": ",~f"},
            hovertemplate="%{y} · %{x}<br>%{z:,.2f}<extra></extra>",
        )
    )
    heatmap.update_layout(
        title={"text": t("nbp_heatmap_chart", measure=measure_title)},
        xaxis_title=t("nbp_axis_product"),
        yaxis_title=t("nbp_axis_outlet"),
        yaxis={"autorange": "reversed"},
        height=max(360, 22 * len(grid) + 160),
    )
    st.plotly_chart(heatmap, key="nbp_heatmap")
bars = go.Figure(
    go.Bar(
        x=totals[measure] / divisor, y=list(totals.index), orientation="h", marker_color="#31a354", name=measure_title
    )
)
plain_numbers(bars, "x")
bars.update_layout(
    title={"text": t("nbp_products_chart", unit=name_of(unit))},
    xaxis_title=measure_title,
    yaxis_title=t("nbp_axis_product"),
    height=max(320, 24 * len(totals) + 140),
)
st.plotly_chart(bars, key="nbp_products_chart")
top_pairs = potential.sort_values(measure, ascending=False).head(TOP_PAIRS)
pair_table = pd.DataFrame(
    {
        t("nbp_col_outlet"): top_pairs["outlet"],
        t("nbp_col_product"): top_pairs["product"],
        t("nbp_col_non_holders"): top_pairs["non_holders"].map(lambda v: format_count(v, lang)),
        t("nbp_col_new_holders"): top_pairs["expected_new_holders"].map(lambda v: format_count(v, lang)),
        t("nbp_col_margin"): top_pairs["expected_margin_rmb"].map(lambda v: format_money(v, lang)),
    }
)
st.dataframe(pair_table, hide_index=True, width="stretch", key="nbp_pairs")

# --- Model quality and drivers ------------------------------------------------------------------------
st.subheader(t("nbp_models_title"))


def feature_label(name: str) -> str:
    if name.startswith(HOLDS_PREFIX):
        return t("nbp_feature_holds", product=product_name.get(name[len(HOLDS_PREFIX) :], name))
    if name.startswith("tier_"):
        return t("nbp_feature_tier", tier=t(f"cust_tier_{name[len('tier_') :]}"))
    return t(f"nbp_feature_{name}") if name in BASE_FEATURES else name


quality_rows = []
for code, (fitted_on, holders, auc, coefficients) in quality.items():
    coefficients = coefficients.dropna()
    drivers = coefficients[coefficients > 0].sort_values(ascending=False).head(3)
    auc = float("nan") if auc is None else float(auc)
    quality_rows.append(
        {
            t("nbp_col_product"): product_name.get(code, code),
            t("nbp_col_customers"): format_count(fitted_on, lang),
            t("nbp_col_holders"): format_count(holders, lang),
            t("nbp_col_auc"): MISSING if pd.isna(auc) else f"{auc:.2f}",
            t("nbp_col_reliable"): t("nbp_reliable_yes") if code in reliable else t("nbp_reliable_no"),
            t("nbp_col_margin_per_sale"): format_money(margin.get(code, 0.0), lang),
            t("nbp_col_drivers"): ", ".join(f"{feature_label(name)} ({value:+.2f})" for name, value in drivers.items()),
        }
    )
st.dataframe(pd.DataFrame(quality_rows), hide_index=True, width="stretch", key="nbp_quality")
st.caption(t("nbp_policy_note", auc=f"{policy.min_auc:.2f}", value=format_money(policy.min_expected_margin_rmb, lang)))
if skipped:
    st.caption(
        t(
            "nbp_skipped",
            products=", ".join(f"{product_name.get(c, c)} ({t(f'nbp_skip_{r}')})" for c, r in skipped.items()),
        )
    )

# --- Customers and their best products ------------------------------------------------------------------


def recommendation_reason(row, product: str) -> str:
    """The plain reason of one recommendation: the share of similar customers who hold the
    product, or (when that share would read 0 %) the customer's likeness to its holders."""
    if row["reason"] == "similar_share":
        return t(
            "care_nbp_reason",
            share=format_ratio(row["similar_share"]),
            tier=t(f"cust_tier_{row['tier']}"),
            product=product,
        )
    return t("care_nbp_reason_lookalike", propensity=format_ratio(row["propensity"]), product=product)


st.subheader(t("nbp_customers_title"))
if not scope.sees_personal_data:
    st.info(t("nbp_aggregates_only"))
else:
    if use_stored:
        ranked = run_query(qs.score_best_products, unit["id"], run_id, by, CUSTOMER_ROWS)
        customers = ranked.drop_duplicates("customer_id").set_index("customer_id")[["customer_no", "name", "outlet_id"]]
    else:
        ranked = rank_next_products(
            propensity,
            margin,
            features,
            shares,
            top_n=3,
            by=by,
            reliable=reliable,
            min_expected_margin_rmb=policy.min_expected_margin_rmb,
        )
        customers = inputs.set_index("customer_id")
    best = ranked[ranked["rank"] == 1].sort_values(
        ["expected_margin_rmb" if by == "expected_margin" else "propensity", "customer_id"],
        ascending=[False, True],
        kind="stable",
    )
    best = best.head(CUSTOMER_ROWS)
    others = (
        ranked[(ranked["rank"] > 1) & ranked["customer_id"].isin(best["customer_id"])]  # the rows shown only
        .groupby("customer_id")["code"]
        .agg(lambda c: ", ".join(product_name.get(x, x) for x in c))
    )
    table = pd.DataFrame(
        {
            t("c360_col_customer_no"): best["customer_id"].map(customers["customer_no"]),
            t("c360_col_name"): best["customer_id"].map(customers["name"]),
            t("c360_col_outlet"): best["customer_id"].map(customers["outlet_id"]).map(lambda o: labels.get(int(o), "")),
            t("c360_metric_tier"): best["tier"].map(lambda c: t(f"cust_tier_{c}")),
            t("nbp_col_product"): best["code"].map(product_name),
            t("nbp_col_propensity"): best["propensity"],
            t("nbp_col_margin"): best["expected_margin_rmb"].round(0),
            t("nbp_col_reason"): [
                recommendation_reason(row, product_name.get(row["code"], row["code"])) for _, row in best.iterrows()
            ],
            t("nbp_col_next"): [others.get(customer, "") for customer in best["customer_id"]],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="nbp_customers",
        column_config={
            t("nbp_col_propensity"): st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0),
            t("nbp_col_margin"): st.column_config.NumberColumn(format="localized"),
        },
    )
    st.caption(t("nbp_customers_caption", count=len(table), limit=CUSTOMER_ROWS))
    customer_download_button(
        t("nbp_download"),
        partial(frames_to_xlsx, {t("nbp_customers_title"): table, t("nbp_potential_title"): pair_table}),
        file_name=f"next_best_product_{unit['code']}_{as_of}.xlsx",
        key="nbp_download",
        what="next_best_product",
        rows=len(table),
    )

with st.expander(t("how_computed")):
    st.markdown(t("nbp_how_computed", as_of=as_of.isoformat()))
