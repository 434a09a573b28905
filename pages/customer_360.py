"""Customer 360: find a customer of the focus unit by customer number or (masked) name, key
customers and key enterprises flagged, then one customer's facts, holdings, balance and tier
history, transactions by channel, RFM segment, probability alive, next best products,
complaints and contacts. Personal data (name, phone, address, birth date, relationship manager)
are masked or hidden by role in the data layer (the one policy of data/privacy.py).

Probability alive and next best products come from models fitted on the customers of the
customer's home outlet (cached per outlet and data version). Contacts are read fresh on every run
(directly through the scoped data function, not the cache), because they change while one looks.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.action_rules import customer_rfm, probability_alive, tier_codes
from analytics.customer_value import DEFAULT_TIERS, tier_history
from analytics.next_product import (
    HOLDS_PREFIX,
    NextProductModel,
    customer_features,
    expected_margin_per_sale,
    holding_shares,
    load_recommendation_policy,
    rank_next_products,
)
from config.settings import load_settings
from config.translations import TEXTS
from data import queries_action_lists, queries_customer_360, queries_customer_care, queries_next_product
from data.contacts import CONTACT_LIST_KINDS, ContactError, log_contact, may_log_contacts
from data.schema import CONTACT_OUTCOMES
from data.scope import ScopeError
from ui.charts import axis_title, money_scale, plain_numbers, style_month_axis
from ui.data_access import app_engine, dataset_info, run_query
from ui.format import MISSING, format_count, format_money, format_ratio
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.page_entry import enter_through_app
from ui.session import current_scope
from ui.sidebar import focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

BIG_CUSTOMER_AUM_RMB = 1_000_000.0  # "big customer" (大客户) flag: AUM of at least RMB 1 m
SEARCH_LIMIT = 50
CHANNEL_COLOURS = {
    "counter": "#d95f02",
    "smart_machine": "#7570b3",
    "atm": "#e7298a",
    "mobile": "#1b9e77",
    "online": "#66a61e",
}

lang = current_language()
scope = current_scope()
engine = app_engine()
data_version = dataset_info(load_settings().database_url).get("data_version", "")

unit = focus_unit()
st.title(t("c360_title"))
st.caption(t("c360_caption", unit=name_of(unit)))
if not scope.sees_personal_data:
    st.info(t("c360_masked_note"))


def tier_label(code: str) -> str:
    return t(f"cust_tier_{code}")


def rfm_label(code: str) -> str:
    """The customer-value pages' name of an RFM segment."""
    return t(f"cust_rfm_{code}")


@st.cache_data(show_spinner=False, max_entries=32)
def outlet_activity_models(outlet_id: int, version: str, as_of: dt.date, action_inputs: pd.DataFrame):
    """P(alive) (BG/NBD) and RFM segments of every customer of one outlet, as of the last day
    with transactions."""
    alive, alive_info = probability_alive(action_inputs, as_of)
    alive.index = action_inputs["customer_id"].to_numpy()
    rfm = customer_rfm(action_inputs, as_of)
    rfm.index = action_inputs["customer_id"].to_numpy()
    return alive, alive_info, rfm


@st.cache_data(show_spinner=False, max_entries=64)
def customer_next_products(
    customer_id: int, version: str, as_of: dt.date, nbp_inputs: pd.DataFrame, catalogue: pd.DataFrame
) -> pd.DataFrame:
    """The customer's best three products, from models fitted on their outlet's customers for
    just the products the customer could still buy (fewer fits than the whole catalogue)."""
    tiers = tier_codes(nbp_inputs.set_index("customer_id")["aum_rmb"])
    features = customer_features(nbp_inputs, as_of, tiers)
    kind = features.loc[customer_id, "kind"]
    segments = {
        code: segment
        for code, segment in zip(catalogue["code"], catalogue["segment"])
        if features.loc[customer_id, f"{HOLDS_PREFIX}{code}"] == 0 and segment in ("both", kind)
    }
    if not segments:
        return pd.DataFrame(columns=["customer_id", "rank", "code", "propensity", "expected_margin_rmb", "tier"])
    model = NextProductModel().fit(features, segments)
    shares = holding_shares(features, segments)
    propensity = model.propensity(features.loc[[customer_id]])
    policy = load_recommendation_policy()  # no advice from a model no better than chance
    return rank_next_products(
        propensity,
        expected_margin_per_sale(catalogue),
        features,
        shares,
        3,
        reliable=model.reliable_codes(policy.min_auc),
        min_expected_margin_rmb=policy.min_expected_margin_rmb,
    )


def code_text(prefix: str, code) -> str:
    """A stored code value (industry …) in the session language; a value without a translation
    (free text from an import) as it is; nothing stored: "—"."""
    if code is None or (isinstance(code, float) and np.isnan(code)) or str(code).strip() in ("", "None", "nan"):
        return MISSING
    key = f"{prefix}{code}"
    return t(key) if key in TEXTS else str(code)


# --- Search ------------------------------------------------------------------------------------------
controls = st.columns([2, 1])
text = controls[0].text_input(t("c360_search"), key="c360_search", placeholder=t("c360_search_placeholder"))
key_only = controls[1].toggle(t("c360_key_only"), key="c360_key_only")
results = run_query(queries_customer_360.care_customer_search, unit["id"], text.strip(), key_only, SEARCH_LIMIT)
if results.empty:
    st.info(t("c360_no_match"))
    st.stop()


def flags_of(row) -> list[str]:
    flags = []
    if row["is_key_customer"]:
        flags.append(t("c360_flag_key_enterprise" if row["kind"] == "corporate" else "c360_flag_key"))
    if (row["aum_rmb"] or 0) >= BIG_CUSTOMER_AUM_RMB:
        flags.append(t("c360_flag_big"))
    return flags


unit_labels = unit_label_map()
results = results.assign(flags=[" · ".join(flags_of(row)) for _, row in results.iterrows()])
st.dataframe(
    pd.DataFrame(
        {
            t("c360_col_customer_no"): results["customer_no"],
            t("c360_col_name"): results["name"],
            t("c360_col_kind"): results["kind"].map(lambda k: t(f"c360_kind_{k}")),
            t("c360_col_flags"): results["flags"],
            t("c360_col_outlet"): [unit_labels.get(int(o), "") for o in results["outlet_id"]],
            t("c360_col_aum"): results["aum_rmb"].map(lambda v: format_money(v, lang)),
        }
    ),
    hide_index=True,
    width="stretch",
    key="c360_results",
)
st.caption(t("c360_results_caption", count=len(results), limit=SEARCH_LIMIT))
labels = {
    int(row["customer_id"]): f"{row['customer_no']} · {row['name']} · {unit_labels.get(int(row['outlet_id']), '')}"
    + (f" · {row['flags']}" if row["flags"] else "")
    for _, row in results.iterrows()
}
choices = list(labels)
if st.session_state.get("c360_customer") not in choices:
    st.session_state["c360_customer"] = choices[0]
customer_id = st.selectbox(t("c360_customer"), choices, format_func=labels.get, key="c360_customer")

try:
    # A customer opened is read fresh (so the data layer audits the view) and kept for the reruns
    # of the same view (another widget changed), which add no line.
    viewed = (unit["id"], customer_id)
    if st.session_state.get("c360_viewed", (None,))[0] != viewed:
        st.session_state["c360_viewed"] = (viewed, queries_customer_360.care_customer_profile(engine, scope, *viewed))
    facts = st.session_state["c360_viewed"][1]
except ScopeError:
    st.error(t("scope_unit_not_allowed"))
    st.stop()

# --- Facts -------------------------------------------------------------------------------------------
st.header(f"{facts['customer_no']} · {facts['name']}")
flags = flags_of({"is_key_customer": facts["is_key_customer"], "kind": facts["kind"], "aum_rmb": facts["aum_rmb"]})
for flag in flags:
    st.badge(flag, icon=":material/star:", color="orange")
holdings = run_query(queries_customer_360.care_customer_holdings, unit["id"], customer_id)
outlet_id = int(facts["outlet_id"])
with st.spinner(t("c360_models_running")):
    as_of = run_query(queries_customer_care.care_data_dates, outlet_id)["last_txn_day"] or dt.date.today()
    alive, alive_info, rfm = outlet_activity_models(
        outlet_id, data_version, as_of, run_query(queries_action_lists.care_action_inputs, outlet_id)
    )
    ranked = customer_next_products(
        customer_id,
        data_version,
        as_of,
        run_query(queries_next_product.care_nbp_inputs, outlet_id),
        run_query(queries_next_product.care_product_catalogue, outlet_id),
    )
p_alive = alive.get(customer_id, np.nan)
tier = tier_codes(pd.Series([facts["aum_rmb"] or 0.0])).iloc[0]
headline = [
    (t("c360_metric_aum"), format_money(facts["aum_rmb"], lang)),
    (t("c360_metric_deposits"), format_money(facts["deposit_rmb"], lang)),
    (t("c360_metric_loans"), format_money(facts["loan_rmb"], lang)),
    (t("c360_metric_products"), format_count(len(holdings), lang)),
    (t("c360_metric_tier"), tier_label(tier)),
    (t("c360_metric_p_alive"), format_ratio(p_alive)),
]
for column, (label, value) in zip(st.columns(3) + st.columns(3), headline):  # 3 a row: values fit
    with column.container(border=True):
        st.metric(label, value)
if not alive_info["fitted"]:
    st.caption(t("c360_p_alive_missing", customers=alive_info["customers"]))
elif np.isnan(p_alive):
    st.caption(t("c360_p_alive_no_transactions"))

today = dt.date.today()
born = facts.get("birth_date")
if born:  # whole years on the day; the birth year alone gives this year's age
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
else:
    age = today.year - facts["birth_year"] if facts["birth_year"] else None
tenure_years = (dt.date.today() - facts["opened_on"]).days / 365.25 if facts["opened_on"] else None
segment = rfm.loc[customer_id, "segment"] if customer_id in rfm.index else None
rows = [
    (t("c360_fact_kind"), t(f"c360_kind_{facts['kind']}")),
    (t("c360_fact_outlet"), unit_labels.get(int(facts["outlet_id"]), facts[f"outlet_{lang}"])),
    (t("c360_fact_manager"), facts["manager_name"] or MISSING),
    (t("c360_fact_phone"), facts["phone_masked"] or MISSING),
    (t("c360_fact_address"), facts["address"] or MISSING),
    (t("c360_fact_age"), str(age) if age is not None else MISSING),
    (t("c360_fact_birth_date"), born.isoformat() if born else MISSING),
    (t("c360_fact_industry"), code_text("c360_industry_", facts["industry"])),
    (t("c360_fact_opened"), facts["opened_on"].isoformat() if facts["opened_on"] else MISSING),
    (t("c360_fact_tenure"), f"{tenure_years:.1f}" if tenure_years is not None else MISSING),
    (
        t("c360_fact_segment"),
        f"{rfm_label(segment)} (RFM {rfm.loc[customer_id, 'rfm']})" if segment is not None else MISSING,
    ),
]
st.table(pd.DataFrame(rows, columns=[t("c360_col_fact"), t("c360_col_value")]).set_index(t("c360_col_fact")))

# --- Holdings ----------------------------------------------------------------------------------------
st.subheader(t("c360_holdings_title"))
if holdings.empty:
    st.info(t("c360_no_holdings"))
else:
    st.dataframe(
        pd.DataFrame(
            {
                t("c360_col_product"): holdings[f"name_{lang}"],
                t("c360_col_family"): holdings["family"].map(lambda f: t(f"care_family_{f}")),
                t("c360_col_balance"): holdings["balance_rmb"].map(lambda v: format_money(v, lang)),
                t("c360_col_opened"): holdings["opened_on"].map(lambda d: d.isoformat() if d else MISSING),
                t("c360_col_matures"): holdings["matures_on"].map(lambda d: d.isoformat() if d else MISSING),
            }
        ),
        hide_index=True,
        width="stretch",
        key="c360_holdings",
    )

# --- Balance and tier history -----------------------------------------------------------------------
balances = run_query(queries_customer_360.care_customer_balances, unit["id"], customer_id)
history_columns = st.columns(2)
if balances.empty:
    history_columns[0].info(t("c360_no_balances"))
else:
    months = pd.to_datetime(balances["month"]).tolist()  # a date axis: month ticks in the session language
    divisor, money_unit = money_scale(balances[["aum_rmb", "deposit_rmb", "loan_rmb"]].to_numpy().ravel())
    balance_figure = go.Figure(
        [
            go.Scatter(x=months, y=balances["aum_rmb"] / divisor, name=t("c360_series_aum"), line={"color": "#08519c"}),
            go.Scatter(
                x=months,
                y=balances["deposit_rmb"] / divisor,
                name=t("c360_series_deposits"),
                line={"color": "#6baed6"},
            ),
            go.Scatter(
                x=months,
                y=balances["loan_rmb"] / divisor,
                name=t("c360_series_loans"),
                line={"color": "#de2d26", "dash": "dot"},
            ),
        ]
    )
    balance_figure.update_layout(
        title={"text": t("c360_balance_chart")},
        xaxis_title=t("c360_axis_month"),
        yaxis_title=axis_title(t("c360_axis_balance"), money_unit),
        legend={"orientation": "h", "y": -0.25},
        height=360,
    )
    style_month_axis(balance_figure, "x")
    plain_numbers(balance_figure, "y")
    history_columns[0].plotly_chart(balance_figure, key="c360_balance_chart")
    tiers = tier_history(balances.set_index("month")[["aum_rmb"]].T)
    tier_index = tiers.iloc[0].to_numpy(int)
    tier_figure = go.Figure(
        go.Scatter(
            x=months,
            y=tier_index,
            mode="lines+markers",
            line={"shape": "hv", "color": "#756bb1"},
            name=t("c360_series_tier"),
            hovertext=[tier_label(DEFAULT_TIERS[i].code) for i in tier_index],
        )
    )
    tier_figure.update_layout(
        title={"text": t("c360_tier_chart")},
        xaxis_title=t("c360_axis_month"),
        yaxis={
            "title": t("c360_axis_tier"),
            "tickvals": list(range(len(DEFAULT_TIERS))),
            "ticktext": [tier_label(tier.code) for tier in DEFAULT_TIERS],
            "range": [-0.5, len(DEFAULT_TIERS) - 0.5],
        },
        showlegend=False,
        height=360,
    )
    style_month_axis(tier_figure, "x")
    history_columns[1].plotly_chart(tier_figure, key="c360_tier_chart")
    history_columns[1].caption(t("c360_tier_note"))

# --- Transactions by channel -----------------------------------------------------------------------
st.subheader(t("c360_channels_title"))
channels = run_query(queries_customer_360.care_customer_channels, unit["id"], customer_id)
if channels.empty:
    st.info(t("c360_no_transactions"))
else:
    grid = channels.pivot_table(index="month", columns="channel", values="transactions", aggfunc="sum").fillna(0)
    channel_figure = go.Figure(
        [
            go.Bar(
                x=pd.to_datetime([f"{m}-01" for m in grid.index]).tolist(),
                y=grid[channel],
                name=t(f"care_channel_{channel}"),
                marker_color=CHANNEL_COLOURS.get(channel, "#999"),
            )
            for channel in grid.columns
        ]
    )
    channel_figure.update_layout(
        barmode="stack",
        title={"text": t("c360_channel_chart")},
        xaxis_title=t("c360_axis_month"),
        yaxis_title=t("c360_axis_transactions"),
        legend={"orientation": "h", "y": -0.25},
        height=360,
    )
    style_month_axis(channel_figure, "x")
    plain_numbers(channel_figure, "y")
    st.plotly_chart(channel_figure, key="c360_channel_chart")
    totals = channels.groupby("channel")["transactions"].sum()
    e_share = totals.drop("counter", errors="ignore").sum() / totals.sum()
    st.caption(t("c360_e_share", share=format_ratio(e_share), transactions=format_count(totals.sum(), lang)))

# --- Next best products ------------------------------------------------------------------------------
st.subheader(t("c360_nbp_title"))
mine = ranked[ranked["customer_id"] == customer_id]
if mine.empty:
    st.info(t("c360_nbp_none"))
else:
    catalogue = run_query(queries_next_product.care_product_catalogue, outlet_id).set_index("code")
    for _, row in mine.iterrows():
        product = catalogue.loc[row["code"], f"name_{lang}"]
        st.markdown(
            t(
                "c360_nbp_line",
                rank=int(row["rank"]),
                product=product,
                propensity=format_ratio(row["propensity"]),
                margin=format_money(row["expected_margin_rmb"], lang),
            )
        )
        if row["reason"] == "similar_share":
            reason = t(
                "care_nbp_reason",
                share=format_ratio(row["similar_share"]),
                tier=tier_label(row["tier"]),
                product=product,
            )
        else:  # no similar customer holds it: never "0.0 % of similar customers hold it"
            reason = t("care_nbp_reason_lookalike", propensity=format_ratio(row["propensity"]), product=product)
        st.caption(reason)

# --- Complaints and contacts -----------------------------------------------------------------------
complaint_column, contact_column = st.columns(2)
complaint_column.subheader(t("c360_complaints_title"))
complaints = run_query(queries_customer_360.care_customer_complaints, unit["id"], customer_id)
if complaints.empty:
    complaint_column.info(t("c360_no_complaints"))
else:
    complaint_column.dataframe(
        pd.DataFrame(
            {
                t("care_col_received"): complaints["received_at"].map(lambda v: pd.Timestamp(v).strftime("%Y-%m-%d")),
                t("care_col_category"): complaints["category"].map(lambda c: t(f"care_category_{c}")),
                t("care_col_severity"): complaints["severity"].map(lambda s: t(f"care_severity_{s}")),
                t("care_col_status"): complaints["status"].map(lambda s: t(f"care_status_{s}")),
            }
        ),
        hide_index=True,
        width="stretch",
        key="c360_complaints",
    )
contact_column.subheader(t("c360_contacts_title"))
# fresh: changes while one looks
contacts = queries_customer_360.care_customer_contacts(engine, scope, unit["id"], customer_id)
if contacts.empty:
    contact_column.info(t("c360_no_contacts"))
else:
    contact_column.dataframe(
        pd.DataFrame(
            {
                t("act_col_contacted_at"): contacts["contacted_at"].map(
                    lambda v: pd.Timestamp(v).strftime("%Y-%m-%d %H:%M")
                ),
                t("act_col_list"): contacts["list_kind"].map(lambda k: t(f"act_list_{k}")),
                t("act_col_outcome"): contacts["outcome"].map(lambda o: t(f"act_outcome_{o}")),
                t("act_col_note"): contacts["note"].fillna(""),
                t("act_col_recorded_by"): contacts["recorded_by"],
            }
        ),
        hide_index=True,
        width="stretch",
        key="c360_contacts",
    )
flash = st.session_state.pop("c360_flash", None)
if flash:
    contact_column.success(t(flash))
if may_log_contacts(scope.role):
    with contact_column.form("c360_contact_form", clear_on_submit=True):
        list_kind = st.selectbox(
            t("act_col_list"),
            CONTACT_LIST_KINDS,
            format_func={k: t(f"act_list_{k}") for k in CONTACT_LIST_KINDS}.get,
            key="c360_contact_list",
        )
        outcome = st.selectbox(
            t("act_col_outcome"),
            CONTACT_OUTCOMES,
            format_func={o: t(f"act_outcome_{o}") for o in CONTACT_OUTCOMES}.get,
            key="c360_contact_outcome",
        )
        note = st.text_input(t("act_col_note"), key="c360_contact_note")
        if st.form_submit_button(t("act_log_contact")):
            try:
                log_contact(engine, scope, customer_id, list_kind, outcome, note)
            except ContactError as error:
                st.error(t(error.key, **error.values))
            except ScopeError:
                st.error(t("act_err_not_allowed"))
            else:
                st.session_state["c360_flash"] = "act_contact_saved"
                st.rerun()

with st.expander(t("how_computed")):
    st.markdown(t("c360_how_computed", big=format_money(BIG_CUSTOMER_AUM_RMB, lang)))
