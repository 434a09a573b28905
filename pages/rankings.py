"""Rankings and contests (排名与PK赛): league tables of any metric within a peer group, with rank
movement and percentiles; head-to-head contests of two or more outlets over any metrics and
periods, with a radar, small multiples and the difference in each metric.

All figures come from ``data.queries_comparison`` (aggregated in SQL within the user's scope);
ranks, percentiles, differences and radar scores from ``analytics.peers``.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from analytics.peers import bands, head_to_head_differences, percentile_within_peers, radar_scores, rank_with_movement
from config.metrics import BY_CODE, CATALOGUE
from data import queries
from data import queries_comparison as qc
from data import queries_performance as performance
from data.scope import ScopeError
from ui.cards import card_grid
from ui.charts import style_month_axis
from ui.data_access import app_engine, run_query
from ui.excel import frames_to_xlsx
from ui.format import MISSING, format_change, format_compact, format_ratio, format_value
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.metric_axes import metric_axis
from ui.page_entry import enter_through_app
from ui.session import current_scope
from ui.sidebar import focus_unit, month_with_data

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

DEFAULT_PK_METRICS = ("deposits_total", "loans_total", "fee_income_total", "e_channel_rate", "avg_wait_minutes")
PK_MONTHS = 6
COLOURS = ("#2c7fb8", "#d95f0e", "#31a354", "#756bb1", "#e7298a", "#636363", "#a6761d", "#1b9e77")

lang = current_language()
scope = current_scope()
unit = focus_unit()
st.title(t("rank_title"))

months = run_query(queries.kpi_months, unit["id"])
month = month_with_data(months)
outlets = run_query(qc.comparison_outlets, unit["id"])
if outlets.empty or month is None:
    st.caption(name_of(unit))
    st.info(t("rank_no_outlets"))
    st.stop()
st.caption(t("rank_caption", unit=name_of(unit), count=len(outlets), month=month.strftime("%Y-%m")))

metric_names = {m.code: (m.name_zh if lang == "zh" else m.name_en) for m in CATALOGUE}
period_names = {k: t(f"rank_period_{k}") for k in qc.PERIOD_KINDS}
unit_labels = unit_label_map()
# Outlets are keyed on their id and shown by a label that tells outlets of one name apart.
outlet_names = {int(i): unit_labels.get(int(i), n) for i, n in zip(outlets["id"], outlets[f"name_{lang}"])}


def show(code: str, value) -> str:
    return format_value(None if pd.isna(value) else float(value), BY_CODE[code].unit, lang)


def arrow(movement) -> str:
    if pd.isna(movement):
        return MISSING
    movement = int(movement)
    return f"▲ {movement}" if movement > 0 else (f"▼ {-movement}" if movement < 0 else "=")


league_tab, pk_tab = st.tabs([t("rank_tab_league"), t("rank_tab_pk")])

# --------------------------------------------------------------------------- league table
with league_tab:
    controls = st.columns([2, 1, 2, 2])
    code = controls[0].selectbox(t("rank_metric"), list(metric_names), format_func=metric_names.get, key="rank_metric")
    kind = controls[1].selectbox(t("rank_period"), qc.PERIOD_KINDS, format_func=period_names.get, key="rank_period")
    groups = qc.peer_group_list(app_engine(), scope, unit["id"])  # not cached: groups change while one looks
    peer_options = {"all": t("rank_peers_all"), "type": t("rank_peers_type"), "size": t("rank_peers_size")}
    peer_options |= {f"group:{g.id}": t("rank_peers_group", name=g.name) for g in groups.itertuples()}
    if st.session_state.get("rank_peers") not in peer_options:
        st.session_state["rank_peers"] = "all"
    basis = controls[2].selectbox(t("rank_peers"), list(peer_options), format_func=peer_options.get, key="rank_peers")
    outlets = outlets.assign(size_band=bands(outlets["staff_count"].astype(float)))
    chosen = outlets
    if basis == "type":
        types = sorted(outlets["outlet_type"].dropna().unique())
        type_names = {v: t(f"outlet_type_{v}") for v in types}
        if st.session_state.get("rank_peer_type") not in types:
            st.session_state["rank_peer_type"] = types[0]
        kind_value = controls[3].selectbox(
            t("rank_outlet_type"), types, format_func=type_names.get, key="rank_peer_type"
        )
        chosen = outlets[outlets["outlet_type"] == kind_value]
    elif basis == "size":
        sizes = [s for s in ("small", "medium", "large") if s in set(outlets["size_band"].dropna())]
        size_names = {s: t(f"size_band_{s}") for s in sizes}
        if st.session_state.get("rank_peer_size") not in sizes:
            st.session_state["rank_peer_size"] = sizes[0]
        size_value = controls[3].selectbox(t("rank_size_band"), sizes, format_func=size_names.get, key="rank_peer_size")
        chosen = outlets[outlets["size_band"] == size_value]
    elif basis.startswith("group:"):
        try:
            members = qc.peer_group_members(app_engine(), scope, unit["id"], int(basis.split(":")[1]))
        except ScopeError:
            st.error(t("rank_scope_error"))
            st.stop()
        chosen = outlets[outlets["id"].isin(members["id"])]
    if scope.role == "branch_head":
        # Branch heads see no other outlet's figures: their rank among peers (same type in the city
        # branch, or the region when it has too few), the peers' median and the movement instead.
        position = run_query(performance.peer_rank, unit["id"], (code,), month).iloc[0]
        st.markdown(f"**{t('rank_position_title', month=f'{month:%Y-%m}')}**")
        cards = card_grid("rank_position_cards", 3, per_row=3)
        ranked = pd.notna(position["rank"])
        moved = (
            int(position["previous_rank"] - position["rank"])
            if ranked and pd.notna(position["previous_rank"])
            else None
        )
        with cards[0]:
            st.metric(
                t("rank_position_rank"),
                f"{int(position['rank'])} / {int(position['peers'])}" if ranked else MISSING,
                delta=None if not moved else t("rank_position_moved", places=moved),  # unchanged: no badge
                delta_color="normal" if moved else "off",
                delta_arrow="auto" if moved else "off",
            )
        unit_name = BY_CODE[code].unit
        with cards[1]:
            st.metric(
                t("rank_position_value"),
                format_compact(position["value"], unit_name, lang),
                help=show(code, position["value"]),
            )
        with cards[2]:
            st.metric(
                t("rank_position_median"),
                format_compact(position["peer_median"], unit_name, lang),
                help=show(code, position["peer_median"]),
            )
        st.caption(t(f"myoutlet_peers_{position['definition']}") + " " + t("rank_position_note"))
    ids = tuple(int(i) for i in chosen["id"])
    league = run_query(qc.league_table, unit["id"], code, month, kind, ids if basis != "all" else None)
    if league.empty or league["value"].isna().all():
        st.info(t("rank_no_data", period=f"{period_names[kind]} {month:%Y-%m}"))
    else:
        higher = BY_CODE[code].higher_is_better
        league = league.join(rank_with_movement(league["value"], league["previous_value"], higher))
        league["percentile"] = percentile_within_peers(league["value"], None, higher)
        league = league.sort_values(["rank", "code"], na_position="last")
        league["label"] = [outlet_names.get(int(i), n) for i, n in zip(league["id"], league[f"name_{lang}"])]
        shown = league.dropna(subset=["value"])
        value_axis = metric_axis(shown["value"], BY_CODE[code].unit, metric_names[code])
        figure = go.Figure(
            go.Bar(
                y=shown["label"],
                x=value_axis.scale(shown["value"]),
                orientation="h",
                marker_color="#2c7fb8",
                text=[arrow(m) for m in shown["movement"]],
                textposition="outside",
                customdata=[show(code, v) for v in shown["value"]],
                hovertemplate="%{y}: %{customdata}<extra></extra>",
            )
        )
        figure.update_layout(
            title={"text": t("rank_league_chart", metric=metric_names[code], period=period_names[kind])},
            xaxis=value_axis.layout(),
            yaxis={"autorange": "reversed", "title": t("rank_col_outlet")},
            height=max(320, 24 * len(shown) + 140),
            margin={"t": 60},
        )
        st.plotly_chart(figure, key="rank_league_chart")
        table = pd.DataFrame(
            {
                t("rank_col_rank"): league["rank"].map(lambda r: MISSING if pd.isna(r) else str(int(r))),
                t("rank_col_movement"): league["movement"].map(arrow),
                t("rank_col_outlet"): league["label"],
                t("col_parent"): league[f"parent_{lang}"],
                t("col_type"): league["outlet_type"].map(lambda v: t(f"outlet_type_{v}")),
                t("rank_col_value"): [show(code, v) for v in league["value"]],
                t("rank_col_previous_value"): [show(code, v) for v in league["previous_value"]],
                t("rank_col_change"): [
                    format_change(v, p, BY_CODE[code].unit, lang) or MISSING
                    for v, p in zip(league["value"], league["previous_value"])
                ],
                t("rank_col_previous_rank"): league["previous_rank"].map(
                    lambda r: MISSING if pd.isna(r) else str(int(r))
                ),
                t("rank_col_percentile"): league["percentile"].map(lambda p: MISSING if pd.isna(p) else f"{p:.0f}"),
            }
        )
        st.dataframe(table, hide_index=True, width="stretch", key="rank_league_table")
        st.caption(t("rank_movement_note"))
        export = league[["rank", "previous_rank", "movement", "code", "label", f"parent_{lang}"]].copy()
        export[metric_names[code]] = league["value"]
        export[f"{metric_names[code]} ({t('rank_col_previous_value')})"] = league["previous_value"]
        export[t("rank_col_percentile")] = league["percentile"].round(1)
        st.download_button(
            t("rank_download"),
            frames_to_xlsx({t("rank_tab_league"): export}),
            file_name=f"league_{code}_{kind}_{month:%Y%m}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="rank_download",
        )

# --------------------------------------------------------------------------- head-to-head (PK)
with pk_tab:
    if len(outlet_names) < 2:
        st.info(t("rank_pk_single_outlet"))
    else:
        top = st.columns([3, 3])
        if not set(st.session_state.get("rank_pk_outlets") or []) <= set(outlet_names):
            st.session_state["rank_pk_outlets"] = list(outlet_names)[:2]
        st.session_state.setdefault("rank_pk_outlets", list(outlet_names)[:2])
        chosen_ids = top[0].multiselect(
            t("rank_pk_outlets"),
            list(outlet_names),
            format_func=outlet_names.get,
            key="rank_pk_outlets",
            placeholder=t("widget_choose"),
        )
        st.session_state.setdefault("rank_pk_metrics", list(DEFAULT_PK_METRICS))
        codes = top[1].multiselect(
            t("rank_pk_metrics"),
            list(metric_names),
            format_func=metric_names.get,
            key="rank_pk_metrics",
            placeholder=t("widget_choose"),
        )
        lower = st.columns([1, 3])
        pk_kind = lower[0].selectbox(
            t("rank_period"), qc.PERIOD_KINDS, format_func=period_names.get, key="rank_pk_period"
        )
        month_labels = {m: m.strftime("%Y-%m") for m in months}
        if not set(st.session_state.get("rank_pk_months") or []) <= set(months):
            st.session_state["rank_pk_months"] = months[:PK_MONTHS]
        st.session_state.setdefault("rank_pk_months", months[:PK_MONTHS])
        pk_months = lower[1].multiselect(
            t("rank_pk_months"),
            months,
            format_func=month_labels.get,
            key="rank_pk_months",
            placeholder=t("widget_choose"),
        )
        if len(chosen_ids) < 2 or not codes or not pk_months:
            st.info(t("rank_pk_need_two"))
        else:
            pk_months = sorted(pk_months)
            try:
                values = run_query(
                    qc.head_to_head,
                    unit["id"],
                    tuple(int(i) for i in chosen_ids),
                    tuple(codes),
                    tuple(pk_months),
                    pk_kind,
                )
            except ScopeError:
                st.error(t("rank_scope_error"))
                st.stop()
            latest = pk_months[-1]
            wide = (
                values[values["end_month"] == latest]
                .pivot_table(index="outlet_id", columns="metric_code", values="value", dropna=False)
                .reindex(index=[int(i) for i in chosen_ids], columns=codes)
            )
            scores = radar_scores(wide, {c: BY_CODE[c].higher_is_better for c in codes})
            charts = st.columns([2, 3])
            radar = go.Figure()
            for position, outlet_id in enumerate(scores.index):
                row = scores.loc[outlet_id]
                radar.add_trace(
                    go.Scatterpolar(
                        r=[*row.fillna(0).tolist(), row.fillna(0).iloc[0]],
                        theta=[*[metric_names[c] for c in codes], metric_names[codes[0]]],
                        name=outlet_names[outlet_id],
                        line={"color": COLOURS[position % len(COLOURS)]},
                        fill="toself",
                        opacity=0.55,
                    )
                )
            radar.update_layout(
                title={"text": t("rank_pk_radar", month=latest.strftime("%Y-%m"))},
                polar={"radialaxis": {"range": [0, 100], "ticksuffix": ""}},
                legend={"orientation": "h", "y": -0.15},
                height=460,
            )
            charts[0].plotly_chart(radar, key="rank_pk_radar")
            columns = 2 if len(codes) > 1 else 1
            rows = (len(codes) + columns - 1) // columns
            axes = {
                c: metric_axis(values.loc[values["metric_code"] == c, "value"], BY_CODE[c].unit, metric_names[c])
                for c in codes
            }
            multiples = make_subplots(
                rows=rows,
                cols=columns,
                subplot_titles=[axes[c].title for c in codes],
                vertical_spacing=0.12 if rows > 1 else 0.2,
            )
            for index, metric_code in enumerate(codes):
                for position, outlet_id in enumerate(chosen_ids):
                    series = values[(values["metric_code"] == metric_code) & (values["outlet_id"] == outlet_id)]
                    series = series.sort_values("end_month")
                    multiples.add_trace(
                        go.Scatter(
                            x=[pd.Timestamp(m) for m in series["end_month"]],
                            y=axes[metric_code].scale(series["value"]),
                            mode="lines+markers",
                            name=outlet_names[outlet_id],
                            legendgroup=str(outlet_id),
                            showlegend=index == 0,
                            line={"color": COLOURS[position % len(COLOURS)]},
                        ),
                        row=index // columns + 1,
                        col=index % columns + 1,
                    )
                axis = axes[metric_code]
                multiples.update_yaxes(
                    tickformat=axis.tickformat,
                    hoverformat=axis.hoverformat,
                    exponentformat="none",
                    row=index // columns + 1,
                    col=index % columns + 1,
                )
            style_month_axis(multiples, "x")
            multiples.update_layout(
                title={"text": t("rank_pk_small_multiples")},
                height=max(320, 260 * rows),
                legend={"orientation": "h", "y": -0.08},
            )
            charts[1].plotly_chart(multiples, key="rank_pk_multiples")

            reference_options = [int(i) for i in chosen_ids]
            if st.session_state.get("rank_pk_reference") not in reference_options:
                st.session_state["rank_pk_reference"] = reference_options[0]
            reference = st.selectbox(
                t("rank_pk_reference"),
                reference_options,
                format_func={i: outlet_names[i] for i in reference_options}.get,
                key="rank_pk_reference",
            )
            differences = head_to_head_differences(wide, reference)

            def ahead(row) -> str:
                if pd.isna(row.difference) or row.difference == 0:
                    return t("rank_better_tie") if row.difference == 0 else MISSING
                better = (row.difference > 0) == BY_CODE[row.metric_code].higher_is_better
                return t("rank_better_yes") if better else t("rank_better_no")

            st.subheader(t("rank_pk_differences", reference=outlet_names[reference], month=latest.strftime("%Y-%m")))
            difference_table = pd.DataFrame(
                {
                    t("rank_col_outlet"): differences["outlet"].map(outlet_names),
                    t("rank_col_metric"): differences["metric_code"].map(metric_names),
                    t("rank_col_value"): [show(c, v) for c, v in zip(differences["metric_code"], differences["value"])],
                    t("rank_col_reference"): [
                        show(c, v) for c, v in zip(differences["metric_code"], differences["reference_value"])
                    ],
                    t("rank_col_difference"): [
                        (f"{d * 100:+.1f} pp" if lang == "en" else f"{d * 100:+.1f} 个百分点")
                        if BY_CODE[c].unit == "ratio" and pd.notna(d)
                        else ("+" if pd.notna(d) and d > 0 else "") + show(c, d)
                        for c, d in zip(differences["metric_code"], differences["difference"])
                    ],
                    t("rank_col_relative"): differences["relative"].map(
                        lambda r: MISSING if pd.isna(r) else ("+" if r > 0 else "") + format_ratio(r)
                    ),
                    t("rank_col_better"): [ahead(r) for r in differences.itertuples()],
                }
            )
            st.dataframe(difference_table, hide_index=True, width="stretch", key="rank_pk_table")
            export = values.assign(
                outlet=values["outlet_id"].map(outlet_names), metric=values["metric_code"].map(metric_names)
            )[["outlet", "metric", "metric_code", "end_month", "value"]]
            st.download_button(
                t("rank_pk_download"),
                frames_to_xlsx({t("rank_tab_pk"): export, t("rank_col_difference"): differences}),
                file_name=f"pk_{latest:%Y%m}.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                key="rank_pk_download",
            )

with st.expander(t("how_computed")):
    st.markdown(t("rank_how_computed"))
