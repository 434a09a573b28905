"""Action lists (储备 / 开拓 / 维护 / 流失): the churn, development, reserve and maintenance lists of
the focus unit from rules the user reads as sentences and can adjust, ranked by value at risk or
potential; contact outcomes logged back from the list show on the next day's list.

Branch heads get the customer rows, an Excel export for their relationship managers and the
contact form; executives and planners get the same lists as aggregates per outlet (customers and
value), never customer rows. Probability alive comes from a BG/NBD model fitted on the unit's
customers (``analytics.action_rules.probability_alive``), cached per unit and data version.
Contacts are read fresh on every run (directly through the scoped data function, not the cache).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.action_rules import LIST_KINDS, ActionRules, build_action_lists, list_summary, probability_alive
from config.settings import load_settings
from data import queries_action_lists, queries_customer_care
from data import queries_scores as qs
from data.contacts import (
    RULE_EDITOR_ROLES,
    ContactError,
    log_contact,
    may_log_contacts,
    save_action_rules,
)
from data.schema import CONTACT_OUTCOMES
from data.scope import ScopeError
from ui.customer_export import customer_download_button
from ui.data_access import app_engine, dataset_info, run_query
from ui.excel import frames_to_xlsx
from ui.format import format_count, format_money, format_ratio
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.page_entry import enter_through_app
from ui.session import current_scope
from ui.sidebar import focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

LIST_COLOURS = {"churn": "#d7301f", "development": "#2b8cbe", "reserve": "#74c476", "maintenance": "#fd8d3c"}
SHOWN_ROWS = 200  # rows per list on screen and in the contact form (the export has every row)
WAN = 10_000.0  # AUM and values in the lists are shown in 万元 (10,000 RMB)

lang = current_language()
scope = current_scope()
engine = app_engine()
data_version = dataset_info(load_settings().database_url).get("data_version", "")
today = dt.date.today()

unit = focus_unit()
st.title(t("act_title"))
st.caption(t("act_caption", unit=name_of(unit), today=today.isoformat()))


@st.cache_data(show_spinner=False, max_entries=16)
def alive_of(unit_id: int, version: str, as_of: dt.date, inputs: pd.DataFrame) -> tuple[pd.Series, dict]:
    """P(alive) of every customer of a unit from a BG/NBD model fitted on them."""
    return probability_alive(inputs, as_of)


# --- Rules --------------------------------------------------------------------------------------------
RULE_WIDGETS = (
    "act_high_value",
    "act_p_alive",
    "act_drop",
    "act_months",
    "act_max_products",
    "act_sow",
    "act_min_wallet",
    "act_reserve_min",
    "act_growth",
    "act_maintenance_days",
    "act_cooloff",
)
if st.session_state.pop("act_reset_pending", False):
    for widget in RULE_WIDGETS:  # before the widgets exist, so they take the defaults again
        st.session_state.pop(widget, None)
saved = queries_action_lists.care_saved_action_rules(engine, scope, unit["id"])  # fresh: rules change while one looks
saved_rules = ActionRules.from_dict(saved["values"]) if saved else ActionRules()
session_rules = st.session_state.get("act_rules")  # (unit id, rules) tried out in this session
rules: ActionRules = session_rules[1] if session_rules and session_rules[0] == unit["id"] else saved_rules
may_save_rules = scope.role in RULE_EDITOR_ROLES
with st.expander(t("act_rules_title"), expanded=False):
    st.caption(t("act_rules_help") + (" " + t("act_rules_save_help") if may_save_rules else ""))
    if saved:
        st.caption(
            t(
                "act_rules_saved_by",
                unit=name_of(unit) if saved["unit_id"] == unit["id"] else t("act_rules_parent_unit"),
                user=saved["updated_by"] or "",
                when=pd.Timestamp(saved["updated_at"]).strftime("%Y-%m-%d %H:%M"),
            )
        )
    else:
        st.caption(t("act_rules_default"))
    with st.form("act_rules_form"):
        columns = st.columns(3)
        entered = {
            "high_value_aum_rmb": columns[0].number_input(
                t("act_set_high_value"), 0.0, 1e9, rules.high_value_aum_rmb, 50_000.0, key="act_high_value"
            ),
            "churn_p_alive_below": columns[0].number_input(
                t("act_set_p_alive"), 0.0, 1.0, rules.churn_p_alive_below, 0.05, key="act_p_alive"
            ),
            "churn_aum_drop_share": columns[0].number_input(
                t("act_set_drop"), 0.0, 1.0, rules.churn_aum_drop_share, 0.05, key="act_drop"
            ),
            "churn_months": columns[0].number_input(
                t("act_set_months"), 1, 11, rules.churn_months, 1, key="act_months"
            ),
            "development_max_products": columns[1].number_input(
                t("act_set_max_products"), 0, 30, rules.development_max_products, 1, key="act_max_products"
            ),
            "development_max_share_of_wallet": columns[1].number_input(
                t("act_set_share_of_wallet"), 0.0, 1.0, rules.development_max_share_of_wallet, 0.05, key="act_sow"
            ),
            "development_min_wallet_rmb": columns[1].number_input(
                t("act_set_min_wallet"), 0.0, 1e9, rules.development_min_wallet_rmb, 10_000.0, key="act_min_wallet"
            ),
            "reserve_min_aum_rmb": columns[2].number_input(
                t("act_set_reserve_min"), 0.0, 1e9, rules.reserve_min_aum_rmb, 10_000.0, key="act_reserve_min"
            ),
            "reserve_min_growth_share": columns[2].number_input(
                t("act_set_growth"), 0.0, 1.0, rules.reserve_min_growth_share, 0.05, key="act_growth"
            ),
            "maintenance_contact_days": columns[2].number_input(
                t("act_set_maintenance_days"), 0, 3650, rules.maintenance_contact_days, 15, key="act_maintenance_days"
            ),
            "cooloff_days": columns[2].number_input(
                t("act_set_cooloff"), 0, 3650, rules.cooloff_days, 1, key="act_cooloff"
            ),
        }
        buttons = st.columns(3)
        applied = buttons[0].form_submit_button(t("act_apply_rules"))
        stored = buttons[1].form_submit_button(t("act_save_rules"), disabled=not may_save_rules)
        reset = buttons[2].form_submit_button(t("act_reset_rules"))
    if applied or stored:
        try:
            rules = dataclasses.replace(rules, **entered)
        except ValueError:
            st.error(t("act_err_rules"))
        else:
            st.session_state["act_rules"] = (unit["id"], rules)
            if stored:
                try:
                    save_action_rules(engine, scope, unit["id"], rules.as_dict())
                except ContactError as error:
                    st.error(t(error.key, **error.values))
                except ScopeError:
                    st.error(t("act_err_rules_not_allowed"))
                else:
                    st.success(t("act_rules_saved"))
    if reset:
        st.session_state.pop("act_rules", None)
        st.session_state["act_reset_pending"] = True
        st.rerun()
rules_text = {
    "churn": t(
        "act_rule_churn",
        value=format_money(rules.high_value_aum_rmb, lang),
        p=format_ratio(rules.churn_p_alive_below),
        drop=format_ratio(rules.churn_aum_drop_share),
        months=rules.churn_months,
    ),
    "development": t(
        "act_rule_development",
        share=format_ratio(rules.development_max_share_of_wallet),
        products=rules.development_max_products,
        wallet=format_money(rules.development_min_wallet_rmb, lang),
        quantile=int(round(rules.wallet_quantile * 100)),
    ),
    "reserve": t(
        "act_rule_reserve",
        low=format_money(rules.reserve_min_aum_rmb, lang),
        value=format_money(rules.high_value_aum_rmb, lang),
        growth=format_ratio(rules.reserve_min_growth_share),
        months=rules.churn_months,
    ),
    "maintenance": t(
        "act_rule_maintenance", value=format_money(rules.high_value_aum_rmb, lang), days=rules.maintenance_contact_days
    ),
}
st.markdown("\n".join(f"- **{t(f'act_list_{kind}')}**: {rules_text[kind]}" for kind in LIST_KINDS))
st.caption(t("act_cooloff_note", days=rules.cooloff_days))

# --- Lists --------------------------------------------------------------------------------------------


def scored_dates(models: dict) -> dict:
    """The newest balance month and transaction day the stored scores were computed from."""
    dates = models.get("dates", {}).get("diagnostics", {})
    return {
        "last_balance_month": dt.date.fromisoformat(dates["balance_month"]) if dates.get("balance_month") else None,
        "last_txn_day": dt.date.fromisoformat(dates["last_txn_day"]) if dates.get("last_txn_day") else None,
    }


# fresh, not cached: a scoring run may finish while the data version stays the same
stored = qs.score_status(engine, scope, unit["id"])
use_stored = stored["current"] and ActionRules.from_dict(stored["parameters"].get("action_rules")) == rules
if use_stored:
    with st.spinner(t("act_building")):
        models = run_query(qs.score_models, unit["id"], stored["run_id"])
        data_dates = scored_dates(models)  # the dates the scores were computed from
        as_of = data_dates["last_txn_day"] or today
        # contacts change while one looks: the stored lists meet today's contacts uncached
        if scope.sees_personal_data:  # customer rows for the lists, the export and the contact form
            lists = qs.score_action_members(engine, scope, unit["id"], stored["run_id"], today)
            summary = list_summary(lists)
        else:
            summary = qs.score_action_summary(engine, scope, unit["id"], stored["run_id"], today)
        activity = models.get("activity_bgnbd", {})
    if summary.empty and run_query(qs.score_customers_in_scope, unit["id"], stored["run_id"])["customers"] == 0:
        st.info(t("act_no_customers"))
        st.stop()
    st.caption(t("score_from_job", version=stored["data_version"], finished=f"{stored['finished_at']:%Y-%m-%d %H:%M}"))
    alive_info = {"fitted": bool(activity.get("params")), **activity.get("diagnostics", {})}
    alive_info["params"] = activity.get("params")
    alive_info.setdefault("customers", 0)
elif not stored["current"]:
    st.info(
        t("score_stale", version=stored["last_version"], finished=f"{stored['last_finished_at']:%Y-%m-%d %H:%M}")
        if stored["last_version"]
        else t("score_missing")
    )
if not use_stored:
    with st.spinner(t("act_building")):
        inputs = run_query(queries_action_lists.care_action_inputs, unit["id"], rules.churn_months)
        if inputs.empty:
            st.info(t("act_no_customers"))
            st.stop()
        data_dates = run_query(queries_customer_care.care_data_dates, unit["id"])
        as_of = data_dates["last_txn_day"] or today
        p_alive, alive_info = alive_of(unit["id"], data_version, as_of, inputs)
        # fresh: contacts change while one looks
        contacts = queries_customer_care.care_last_contacts(engine, scope, unit["id"])
        lists = build_action_lists(inputs.assign(p_alive=p_alive.to_numpy()), rules, today, contacts)
    summary = list_summary(lists)
if alive_info["fitted"]:
    st.caption(t("act_p_alive_fitted", customers=format_count(alive_info["customers"], lang), as_of=as_of.isoformat()))
else:
    st.warning(t("act_p_alive_not_fitted", customers=format_count(alive_info["customers"], lang)))
# The lists are for calling customers now: they read the newest balances, whatever the sidebar month.
balance_month = data_dates["last_balance_month"]
st.info(
    t(
        "act_dates_used",
        month=balance_month.strftime("%Y-%m") if balance_month else "—",
        as_of=as_of.isoformat(),
        today=today.isoformat(),
    )
)

counts = summary.groupby("list_kind").agg(customers=("customers", "sum"), value=("value_rmb", "sum"))
for column, kind in zip(st.columns(len(LIST_KINDS)), LIST_KINDS):
    with column.container(border=True):
        customers = int(counts["customers"].get(kind, 0))
        st.metric(t(f"act_list_{kind}"), format_count(customers, lang))
        st.caption(t(f"act_value_{kind}", value=format_money(counts["value"].get(kind, 0.0), lang)))

outlets = run_query(queries_customer_care.care_outlets, unit["id"]).set_index("id")
labels = unit_label_map()
summary["outlet"] = [labels.get(int(o), "") for o in summary["outlet_id"]]  # unique labels, keyed on the id
if len(outlets) > 1 and not summary.empty:
    order = summary.groupby("outlet_id")["customers"].sum().sort_values(ascending=False).index
    outlet_axis = [labels.get(int(o), "") for o in order]
    figure = go.Figure(
        [
            go.Bar(
                x=outlet_axis,
                y=part["customers"].to_numpy(),
                name=t(f"act_list_{kind}"),
                marker_color=LIST_COLOURS[kind],
                hovertext=[format_money(v, lang) for v in part["value_rmb"]],
                hovertemplate=f"%{{x}}<br>{t('act_axis_customers')}: %{{y}}<br>{t('act_col_value_plain')}: "
                "%{hovertext}<extra></extra>",
            )
            for kind in LIST_KINDS
            for part in [
                summary[summary["list_kind"] == kind]
                .set_index("outlet_id")[["customers", "value_rmb"]]
                .reindex(order, fill_value=0)
            ]
        ]
    )
    figure.update_layout(
        barmode="group",
        title={"text": t("act_outlets_chart", unit=name_of(unit))},
        xaxis={"title": t("act_axis_outlet"), "type": "category"},
        yaxis_title=t("act_axis_customers"),
        legend={"orientation": "h", "y": -0.35},
        height=420,
    )
    st.plotly_chart(figure, key="act_outlets_chart")
summary_table = pd.DataFrame(
    {
        t("act_axis_outlet"): summary["outlet"],
        t("act_col_list"): summary["list_kind"].map(lambda k: t(f"act_list_{k}")),
        t("act_axis_customers"): summary["customers"],
        t("act_col_value_wan"): (summary["value_rmb"] / WAN).round(2),
    }
)


def reason_of(row) -> str:
    kind = row["list_kind"]
    if kind == "churn":
        parts = []
        if row["reason_p_alive"]:
            parts.append(t("act_reason_p_alive", p=format_ratio(row["p_alive"])))
        if row["reason_aum_drop"]:
            parts.append(t("act_reason_drop", change=format_ratio(row["aum_change_share"]), months=rules.churn_months))
        return "; ".join(parts)
    if kind == "development":
        return t(
            "act_reason_development",
            share=format_ratio(row["share_of_wallet"]),
            wallet=format_money(row["wallet_rmb"], lang),
            products=int(row["products"]),
        )
    if kind == "reserve":
        return t(
            "act_reason_reserve",
            change=format_ratio(row["aum_change_share"]),
            months=rules.churn_months,
            gap=format_money(row["value_rmb"], lang),
        )
    if pd.isna(row["last_contacted_at"]):
        return t("act_reason_never_contacted")
    return t("act_reason_not_contacted", days=(today - pd.Timestamp(row["last_contacted_at"]).date()).days)


def list_table(kind: str, part: pd.DataFrame, phones: pd.Series) -> pd.DataFrame:
    """The list ``kind`` as shown and exported: one row per customer, in rank order; AUM and
    value in 万元; the phone number for roles that may see personal data (``phones``: customer
    id → phone); the maintenance list's value is the AUM itself, so it has no second column."""
    table = pd.DataFrame(
        {
            t("act_col_rank"): part["rank"].to_numpy(),
            t("c360_col_customer_no"): part["customer_no"].to_numpy(),
            t("c360_col_name"): part["name"].to_numpy(),
            t("act_col_phone"): part["customer_id"].map(phones).fillna("").to_numpy(),
            t("c360_col_outlet"): [labels.get(int(o), "") for o in part["outlet_id"]],
            t("act_col_manager"): part["manager_name"].fillna("").to_numpy(),
            t("act_col_aum_wan"): (part["aum_now_rmb"] / WAN).round(2).to_numpy(),
            t("act_col_reason"): [reason_of(row) for _, row in part.iterrows()],
            t("act_col_last_outcome"): part["last_outcome"].map(
                lambda o: t(f"act_outcome_{o}") if isinstance(o, str) else ""
            ),
            t("act_col_contacted_at"): part["last_contacted_at"].map(
                lambda v: pd.Timestamp(v).strftime("%Y-%m-%d") if pd.notna(v) else ""
            ),
        }
    )
    if kind != "maintenance":  # the maintenance list's value is the AUM column itself
        table.insert(
            table.columns.get_loc(t("act_col_aum_wan")) + 1,
            t(f"act_col_value_{kind}_wan"),
            (part["value_rmb"] / WAN).round(2).to_numpy(),
        )
    if not scope.sees_personal_data:
        table = table.drop(columns=[t("act_col_phone")])
    return table


if not scope.sees_personal_data:
    st.subheader(t("act_summary_title"))
    st.dataframe(
        summary_table,
        hide_index=True,
        width="stretch",
        key="act_summary",
        column_config={t("act_col_value_wan"): st.column_config.NumberColumn(format="localized")},
    )
    st.info(t("act_aggregates_only"))
    customer_download_button(
        t("act_download_summary"),
        partial(frames_to_xlsx, {t("act_summary_title"): summary_table}),  # built when clicked
        file_name=f"action_lists_summary_{unit['code']}_{today}.xlsx",
        key="act_download_summary",
        what="action_lists_summary",
        rows=len(summary_table),
    )
else:
    phones = run_query(queries_action_lists.care_customer_phones, unit["id"]).set_index("customer_id")["phone_masked"]
    tables = {kind: list_table(kind, lists[lists["list_kind"] == kind], phones) for kind in LIST_KINDS}
    exported_rows = sum(len(table) for table in tables.values())
    customer_download_button(
        t("act_download"),
        partial(frames_to_xlsx, {t(f"act_list_{kind}"): tables[kind] for kind in LIST_KINDS}),  # built when clicked
        file_name=f"action_lists_{unit['code']}_{today}.xlsx",
        key="act_download",
        what="action_lists",
        rows=exported_rows,
    )
    flash = st.session_state.pop("act_flash", None)
    if flash:
        st.success(t(flash))
    for tab, kind in zip(st.tabs([t(f"act_list_{kind}") for kind in LIST_KINDS]), LIST_KINDS):
        with tab:
            st.caption(rules_text[kind])
            table = tables[kind]
            if table.empty:
                st.info(t("act_list_empty"))
                continue
            st.dataframe(
                table.head(SHOWN_ROWS),
                hide_index=True,
                width="stretch",
                key=f"act_table_{kind}",
                column_config={
                    column: st.column_config.NumberColumn(format="localized")
                    for column in table.columns
                    if pd.api.types.is_numeric_dtype(table[column]) and column != t("act_col_rank")
                },
            )
            if len(table) > SHOWN_ROWS:
                st.caption(t("act_more_rows", shown=SHOWN_ROWS, total=format_count(len(table), lang)))

    if may_log_contacts(scope.role):
        st.subheader(t("act_contact_title"))
        kind = st.selectbox(
            t("act_col_list"),
            LIST_KINDS,
            format_func={k: t(f"act_list_{k}") for k in LIST_KINDS}.get,
            key="act_contact_list",
        )
        members = lists[lists["list_kind"] == kind].head(SHOWN_ROWS)
        if members.empty:
            st.info(t("act_list_empty"))
        else:
            labels = {
                int(row["customer_id"]): f"{int(row['rank'])}. {row['customer_no']} · {row['name']}"
                for _, row in members.iterrows()
            }
            with st.form("act_contact_form", clear_on_submit=True):
                customer_id = st.selectbox(
                    t("c360_customer"), list(labels), format_func=labels.get, key="act_contact_customer"
                )
                outcome = st.selectbox(
                    t("act_col_outcome"),
                    CONTACT_OUTCOMES,
                    format_func={o: t(f"act_outcome_{o}") for o in CONTACT_OUTCOMES}.get,
                    key="act_contact_outcome",
                )
                note = st.text_input(t("act_col_note"), key="act_contact_note")
                if st.form_submit_button(t("act_log_contact")):
                    try:
                        log_contact(engine, scope, int(customer_id), kind, outcome, note)
                    except ContactError as error:
                        st.error(t(error.key, **error.values))
                    except ScopeError:
                        st.error(t("act_err_not_allowed"))
                    else:
                        st.session_state["act_flash"] = "act_contact_saved"
                        st.rerun()

with st.expander(t("how_computed")):
    st.markdown(t("act_how_computed", today=today.isoformat(), as_of=as_of.isoformat()))
    if alive_info["fitted"]:
        params = alive_info["params"]
        st.caption(
            t(
                "act_bgnbd_params",
                r=f"{params['r']:.3f}",
                alpha=f"{params['alpha']:.2f}",
                a=f"{params['a']:.3f}",
                b=f"{params['b']:.3f}",
            )
        )
    st.caption(t("act_missing_note"))
