"""Peer groups and classification (对标分组与网点分类): outlets grouped by type, size and
trade-area character (or by user-defined peer groups), each outlet's percentile among its peers,
and the A/B/C/D classification by actual output against market potential, shown as a quadrant
chart with the recommended strategy per class (一点一策). Executives and planners create and edit
the user peer groups here.

Figures from ``data.queries_comparison`` (scoped); potential, bands, percentiles and classes from
``analytics.peers``; writes through ``data.peer_groups`` (role and scope checked, audited).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.peers import (
    CLASSES,
    DEFAULT_RADIUS_KM,
    bands,
    classify_abcd,
    market_potential,
    percentile_within_peers,
    trade_area_character,
)
from config.metrics import BY_CODE, CATALOGUE
from data import queries
from data import queries_comparison as qc
from data.peer_groups import WRITER_ROLES, PeerGroupError, create_peer_group, delete_peer_group, update_peer_group
from data.scope import ScopeError
from ui.cards import card_grid
from ui.data_access import app_engine, run_query
from ui.excel import frames_to_xlsx
from ui.format import MISSING, format_count, format_value
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.page_entry import enter_through_app
from ui.session import current_scope
from ui.sidebar import focus_unit, month_with_data

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

DEFAULT_METRICS = ("deposits_total", "loans_total", "fee_income_total", "e_channel_rate", "avg_wait_minutes")
OUTPUT_CODES = ("deposits_total", "deposits_personal", "loans_total", "operating_income", "fee_income_total")
CLASS_COLOURS = {"A": "#1a9850", "B": "#fdae61", "C": "#2c7fb8", "D": "#d73027"}
NEW_GROUP = 0
MIN_CLASSIFIED = 4  # below this the median splits say little


@st.cache_data(show_spinner=False, max_entries=16)
def potentials(cells: pd.DataFrame, own: pd.DataFrame, competitors: pd.DataFrame) -> pd.DataFrame:
    """Interim market potential and trade-area summary per outlet (cached per data)."""
    return market_potential(cells, own, competitors)


lang = current_language()
scope = current_scope()
unit = focus_unit()
st.title(t("peer_title"))
months = run_query(queries.kpi_months, unit["id"])
month = month_with_data(months)
outlets = run_query(qc.comparison_outlets, unit["id"])
if outlets.empty or month is None:
    st.info(t("rank_no_outlets"))
    st.stop()
st.caption(t("rank_caption", unit=name_of(unit), count=len(outlets), month=month.strftime("%Y-%m")))
metric_names = {m.code: (m.name_zh if lang == "zh" else m.name_en) for m in CATALOGUE}
period_names = {k: t(f"rank_period_{k}") for k in qc.PERIOD_KINDS}
unit_labels = unit_label_map()
# Outlets are keyed on their id and shown by a label that tells outlets of one name apart.
outlet_names = {int(i): unit_labels.get(int(i), n) for i, n in zip(outlets["id"], outlets[f"name_{lang}"])}

trade = run_query(qc.trade_area_data, unit["id"])
if trade["cells"].empty:
    area = pd.DataFrame(
        index=outlets["id"], columns=["potential", "residents", "income_index", "businesses", "competitors"]
    )
else:
    area = potentials(trade["cells"], trade["own"], trade["competitors"])
outlets = outlets.set_index("id")
outlets = outlets.join(area)
outlets["size_band"] = bands(outlets["staff_count"].astype(float))
outlets["character"] = trade_area_character(outlets["residents"].astype(float))
groups = qc.peer_group_list(app_engine(), scope, unit["id"])  # not cached: groups change while one looks


def type_label(value) -> str:
    return t(f"outlet_type_{value}")


def size_label(value) -> str:
    return t(f"size_band_{value}") if isinstance(value, str) else MISSING


def character_label(value) -> str:
    return t(f"peer_character_{value}") if isinstance(value, str) else MISSING


basis_names = {
    "all": t("peer_basis_all"),
    "type": t("peer_basis_type"),
    "size": t("peer_basis_size"),
    "character": t("peer_basis_character"),
    "type_size": t("peer_basis_type_size"),
}
if not groups.empty:
    basis_names["user"] = t("peer_basis_user")
if st.session_state.get("peer_basis") not in basis_names:
    st.session_state["peer_basis"] = "type"
top = st.columns([2, 1])
basis = top[0].selectbox(t("peer_basis"), list(basis_names), format_func=basis_names.get, key="peer_basis")
kind = top[1].selectbox(t("rank_period"), qc.PERIOD_KINDS, format_func=period_names.get, key="peer_period")

if basis == "all":
    outlets["group"] = t("peer_basis_all")
elif basis == "type":
    outlets["group"] = outlets["outlet_type"].map(type_label)
elif basis == "size":
    outlets["group"] = outlets["size_band"].map(size_label)
elif basis == "character":
    outlets["group"] = outlets["character"].map(character_label)
elif basis == "type_size":
    outlets["group"] = outlets["outlet_type"].map(type_label) + " · " + outlets["size_band"].map(size_label)
else:
    outlets["group"] = np.nan
    for group in groups.itertuples():
        try:
            members = qc.peer_group_members(app_engine(), scope, unit["id"], int(group.id))
        except ScopeError:
            continue
        # An outlet in several groups is compared within the first (alphabetical) one.
        unassigned = outlets.index.isin(members["id"]) & outlets["group"].isna()
        outlets.loc[unassigned, "group"] = group.name
outlets["peers"] = outlets.groupby("group")["group"].transform("size")

percentile_tab, abcd_tab, groups_tab = st.tabs([t("peer_tab_percentiles"), t("peer_tab_abcd"), t("peer_tab_groups")])

# --------------------------------------------------------------------------- percentiles
with percentile_tab:
    st.session_state.setdefault("peer_metrics", list(DEFAULT_METRICS))
    codes = st.multiselect(
        t("peer_metrics"),
        list(metric_names),
        format_func=metric_names.get,
        key="peer_metrics",
        placeholder=t("widget_choose"),
    )
    if codes:
        values = run_query(
            qc.head_to_head, unit["id"], tuple(int(i) for i in outlets.index), tuple(codes), (month,), kind
        )
        wide = values.pivot_table(index="outlet_id", columns="metric_code", values="value", dropna=False)
        wide = wide.reindex(index=outlets.index, columns=codes)
        if wide.isna().all().all():
            st.info(t("rank_no_data", period=f"{period_names[kind]} {month:%Y-%m}"))
        else:
            percentiles = pd.DataFrame(
                {c: percentile_within_peers(wide[c], outlets["group"], BY_CODE[c].higher_is_better) for c in codes}
            )
            order = outlets.sort_values(["group", "code"]).index
            heatmap = go.Figure(
                go.Heatmap(
                    z=percentiles.loc[order].to_numpy(float),
                    x=[metric_names[c] for c in codes],
                    y=[f"{outlet_names[i]} · {outlets.loc[i, 'group']}" for i in order],
                    zmin=0,
                    zmax=100,
                    colorscale="RdYlGn",
                    colorbar={"title": {"text": t("peer_axis_percentile")}},
                    texttemplate="%{z:.0f}",
                    hovertemplate="%{y}<br>%{x}: %{z:.0f}<extra></extra>",
                )
            )
            heatmap.update_layout(
                title={"text": t("peer_percentile_chart", period=period_names[kind])},
                yaxis={"autorange": "reversed", "title": t("rank_col_outlet")},
                xaxis_title=t("rank_col_metric"),
                height=max(360, 24 * len(order) + 160),
                margin={"t": 60},
            )
            st.plotly_chart(heatmap, key="peer_percentile_chart")
            table = pd.DataFrame(
                {
                    t("rank_col_outlet"): [outlet_names[i] for i in order],
                    t("peer_col_group"): outlets.loc[order, "group"].to_numpy(),
                    t("peer_col_peers"): outlets.loc[order, "peers"].to_numpy(),
                }
            )
            for c in codes:
                table[metric_names[c]] = [
                    format_value(None if pd.isna(v) else float(v), BY_CODE[c].unit, lang) for v in wide.loc[order, c]
                ]
                table[f"{metric_names[c]} · {t('rank_col_percentile')}"] = [
                    MISSING if pd.isna(p) else f"{p:.0f}" for p in percentiles.loc[order, c]
                ]
            st.dataframe(table, hide_index=True, width="stretch", key="peer_percentile_table")
    st.caption(t("peer_how_computed", radius=DEFAULT_RADIUS_KM))

# --------------------------------------------------------------------------- A/B/C/D
with abcd_tab:
    if trade["cells"].empty:
        st.info(t("peer_no_trade_area"))
    else:
        options = st.columns([2, 1, 1])
        output_names = {c: metric_names[c] for c in OUTPUT_CODES}
        output_code = options[0].selectbox(
            t("peer_output_metric"), OUTPUT_CODES, format_func=output_names.get, key="peer_output_metric"
        )
        split = options[1].selectbox(
            t("peer_split"),
            ("median", "mean"),
            format_func={"median": t("peer_split_median"), "mean": t("peer_split_mean")}.get,
            key="peer_split",
        )
        within = options[2].toggle(t("peer_abcd_within"), value=False, key="peer_abcd_within")
        league = run_query(qc.league_table, unit["id"], output_code, month, kind, None).set_index("id")
        output = league["value"].reindex(outlets.index)

        def classify(members: pd.Index) -> pd.DataFrame:
            sub_output, sub_potential = output[members], outlets.loc[members, "potential"].astype(float)
            if split == "mean":
                valid = (sub_output > 0) & (sub_potential > 0)
                share = sub_output[valid] / sub_potential[valid]
                return classify_abcd(sub_output, sub_potential, sub_potential[valid].mean(), share.mean())
            return classify_abcd(sub_output, sub_potential)

        if within:
            classes = pd.concat([classify(members.index) for _, members in outlets.groupby("group")])
        else:
            classes = classify(outlets.index)
        classes = classes.reindex(outlets.index)
        counts = classes["class"].value_counts()
        for card, label in zip(card_grid("peer_class_cards", len(CLASSES)), CLASSES):
            with card:
                st.metric(t(f"peer_class_{label}"), format_count(int(counts.get(label, 0)), lang))
        classified = classes.dropna(subset=["class"])
        figure = go.Figure()
        for label in CLASSES:
            members = classified[classified["class"] == label]
            figure.add_trace(
                go.Scatter(
                    x=members["potential"],
                    y=members["share"],
                    mode="markers+text",
                    text=[outlet_names[i] for i in members.index],
                    textposition="top center",
                    textfont={"size": 10},
                    marker={"size": 12, "color": CLASS_COLOURS[label], "line": {"width": 1, "color": "#333"}},
                    name=t(f"peer_class_{label}"),
                    customdata=[format_value(float(v), BY_CODE[output_code].unit, lang) for v in members["output"]],
                    hovertemplate="%{text}<br>%{x:,.0f}<br>%{y:.4g}<br>%{customdata}<extra></extra>",
                )
            )
        if not within and not classified.empty:
            figure.add_vline(x=classes.attrs["potential_split"], line_dash="dash", line_color="#555")
            figure.add_hline(y=classes.attrs["share_split"], line_dash="dash", line_color="#555")
        figure.update_layout(
            title={"text": t("peer_abcd_chart", period=period_names[kind])},
            xaxis={"type": "log", "title": t("peer_axis_potential")},
            yaxis={"type": "log", "title": t("peer_axis_share", metric=metric_names[output_code])},
            legend={"orientation": "h", "y": -0.2},
            height=560,
        )
        st.plotly_chart(figure, key="peer_abcd_chart")
        unclassified = int(classes["class"].isna().sum())
        if unclassified:
            st.warning(t("peer_unclassified", count=unclassified))
        if len(classified) < MIN_CLASSIFIED:
            st.info(t("peer_abcd_few", count=len(classified), minimum=MIN_CLASSIFIED))
        st.dataframe(
            pd.DataFrame(
                {
                    t("peer_col_class"): [t(f"peer_class_{c}") for c in CLASSES],
                    t("peer_col_strategy"): [t(f"peer_strategy_{c}") for c in CLASSES],
                }
            ),
            hide_index=True,
            width="stretch",
            key="peer_strategy_table",
        )
        ordered = classes.assign(order=classes["class"].fillna("Z")).sort_values(["order", "potential"]).index
        radius = DEFAULT_RADIUS_KM
        detail = pd.DataFrame(
            {
                t("rank_col_outlet"): [outlet_names[i] for i in ordered],
                t("col_type"): outlets.loc[ordered, "outlet_type"].map(type_label).to_numpy(),
                t("peer_col_group"): outlets.loc[ordered, "group"].to_numpy(),
                t("peer_col_class"): [MISSING if pd.isna(c) else c for c in classes.loc[ordered, "class"]],
                metric_names[output_code]: [
                    format_value(None if pd.isna(v) else float(v), BY_CODE[output_code].unit, lang)
                    for v in classes.loc[ordered, "output"]
                ],
                t("peer_col_potential"): [format_count(v, lang) for v in outlets.loc[ordered, "potential"]],
                t("peer_col_share"): [MISSING if pd.isna(v) else f"{v:,.4g}" for v in classes.loc[ordered, "share"]],
                t("peer_col_residents", radius=radius): [
                    format_count(v, lang) for v in outlets.loc[ordered, "residents"]
                ],
                t("peer_col_income"): [
                    MISSING if pd.isna(v) else f"{v:.2f}" for v in outlets.loc[ordered, "income_index"]
                ],
                t("peer_col_competitors", radius=radius): [
                    format_count(v, lang) for v in outlets.loc[ordered, "competitors"]
                ],
                t("peer_col_businesses", radius=radius): [
                    format_count(v, lang) for v in outlets.loc[ordered, "businesses"]
                ],
                t("peer_col_character"): outlets.loc[ordered, "character"].map(character_label).to_numpy(),
                t("peer_col_strategy"): [
                    MISSING if pd.isna(c) else t(f"peer_strategy_{c}") for c in classes.loc[ordered, "class"]
                ],
            }
        )
        st.dataframe(detail, hide_index=True, width="stretch", key="peer_abcd_table")
        export = outlets.loc[ordered, ["code", "outlet_type", "group", "size_band", "character"]]
        export.insert(1, "label", [outlet_names[i] for i in ordered])
        export = export.join(classes[["output", "potential", "share", "class"]])
        export = export.join(outlets[["residents", "income_index", "businesses", "competitors"]])
        st.download_button(
            t("peer_download"),
            frames_to_xlsx({t("peer_tab_abcd"): export.reset_index()}),
            file_name=f"abcd_{output_code}_{month:%Y%m}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="peer_download",
        )
        with st.expander(t("how_computed")):
            st.markdown(t("peer_potential_note"))

# --------------------------------------------------------------------------- manage groups
with groups_tab:
    st.markdown(f"**{t('peer_groups_list')}**")
    if groups.empty:
        st.caption(t("peer_groups_none"))
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    t("peer_col_name"): groups["name"],
                    t("peer_col_members"): groups["members"],
                    t("peer_col_created_by"): groups["created_by"],
                    t("peer_col_created_at"): groups["created_at"].map(lambda v: str(v)[:16]),
                }
            ),
            hide_index=True,
            width="stretch",
            key="peer_groups_table",
        )
    if scope.role not in WRITER_ROLES:
        st.info(t("peer_read_only"))
    else:
        group_names = {NEW_GROUP: t("peer_new_group")} | dict(zip(groups["id"], groups["name"]))
        if st.session_state.pop("peer_reset", False) or st.session_state.get("peer_edit_group") not in group_names:
            st.session_state["peer_edit_group"] = NEW_GROUP
        editing = st.selectbox(
            t("peer_edit_group"), list(group_names), format_func=group_names.get, key="peer_edit_group"
        )
        if st.session_state.get("peer_form_for") != editing:
            st.session_state["peer_form_for"] = editing
            if editing == NEW_GROUP:
                st.session_state["peer_group_name"] = ""
                st.session_state["peer_group_members"] = []
            else:
                members = qc.peer_group_members(app_engine(), scope, unit["id"], int(editing))
                st.session_state["peer_group_name"] = group_names[editing]
                st.session_state["peer_group_members"] = [int(i) for i in members["id"] if int(i) in outlet_names]
        with st.form("peer_group_form"):
            name = st.text_input(t("peer_group_name"), key="peer_group_name")
            member_ids = st.multiselect(
                t("peer_group_members"),
                list(outlet_names),
                format_func=outlet_names.get,
                key="peer_group_members",
                placeholder=t("widget_choose"),
            )
            buttons = st.columns(2)
            save = buttons[0].form_submit_button(t("peer_save"), type="primary")
            remove = buttons[1].form_submit_button(t("peer_delete"), disabled=editing == NEW_GROUP)
        try:
            if save:
                if editing == NEW_GROUP:
                    definition = {"kind": "manual", "unit_id": int(unit["id"])}
                    create_peer_group(app_engine(), scope, name, member_ids, definition)
                else:
                    update_peer_group(app_engine(), scope, int(editing), name, member_ids)
                st.session_state.pop("peer_form_for", None)
                st.session_state["peer_reset"] = True
                st.session_state["peer_flash"] = t("peer_saved", name=name.strip())
                st.rerun()
            if remove and editing != NEW_GROUP:
                delete_peer_group(app_engine(), scope, int(editing))
                st.session_state.pop("peer_form_for", None)
                st.session_state["peer_reset"] = True
                st.session_state["peer_flash"] = t("peer_deleted")
                st.rerun()
        except PeerGroupError as error:
            st.error(t(error.key, **error.values))
    if "peer_flash" in st.session_state:
        st.success(st.session_state.pop("peer_flash"))
