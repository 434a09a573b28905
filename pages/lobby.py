"""Lobby load: arrivals by weekday × hour (heatmap), mean and 95th-percentile wait, service time,
counters open against counters needed, a comparison of peer outlets, and the worst hours of the
user's whole scope.

Everything is aggregated in SQL by ``data.queries_lobby.lobby_*``; the models (the 95th-percentile
wait from the Erlang C waiting-time distribution, counters needed) are in ``analytics.lobby``.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.lobby import (
    counters_needed,
    group_percentiles,
    hourly_means,
    overall_percentile,
    service_range_by_hour,
    weighted_mean,
)
from data import queries, queries_lobby
from ui import lobby_window
from ui.cards import metric_cards
from ui.data_access import run_query
from ui.format import MISSING, format_count, format_hour, format_ratio, format_value
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.lobby_window import DEFAULT_WEEKS, PERIOD_WEEKS, period_label, window_or_stop
from ui.page_entry import enter_through_app
from ui.session import current_scope
from ui.sidebar import focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

WAIT_THRESHOLD_MINUTES = 10.0  # "hours over target" and the lobby page's staffing target
TARGET_LEVEL = 0.80
PERCENTILE = 0.95
ALL = 0  # select-box value for "all outlets of the unit"
WORST_HOURS = 10


# --------------------------------------------------------------------------- cached models


@st.cache_data(show_spinner=False, max_entries=64)
def percentiles_by(cells: pd.DataFrame, key: str) -> pd.Series:
    return group_percentiles(cells, key, PERCENTILE)


@st.cache_data(show_spinner=False, max_entries=64)
def overall_p95(cells: pd.DataFrame) -> float:
    return overall_percentile(cells, PERCENTILE)


@st.cache_data(show_spinner=False, max_entries=64)
def counters_needed_cached(day_cells: pd.DataFrame, capacity: pd.Series) -> pd.DataFrame:
    return counters_needed(day_cells, capacity, WAIT_THRESHOLD_MINUTES, TARGET_LEVEL)


# --------------------------------------------------------------------------- page

lang = current_language()
scope = current_scope()

unit = focus_unit()

st.title(t("lobby_title"))
period = run_query(queries_lobby.lobby_period, unit["id"])
if period["rows"] == 0 or period["last_day"] is None:
    st.caption(name_of(unit))
    st.info(t("lobby_no_data"))
    st.stop()


def weekday_label(weekday: int) -> str:
    return t(f"weekday_{int(weekday)}")


def minutes(value) -> str:
    return format_value(value, "minutes", lang)


labels = unit_label_map()


controls = st.columns([1, 3])
weeks = controls[0].selectbox(
    t("lobby_period"),
    PERIOD_WEEKS,
    index=PERIOD_WEEKS.index(DEFAULT_WEEKS),
    format_func={w: period_label(w) for w in PERIOD_WEEKS}.get,
    key="lobby_weeks",
)
start, end = window_or_stop(period, weeks)

summary = run_query(queries_lobby.lobby_outlet_summary, unit["id"], start, end, WAIT_THRESHOLD_MINUTES)
if summary.empty:
    st.caption(name_of(unit))
    st.info(t("lobby_no_data"))
    st.stop()
names = {int(i): labels[int(i)] for i in summary["id"]}
choices = list(names) if unit["level"] == "outlet" else [ALL, *names]
if st.session_state.get("lobby_outlet") not in choices:
    st.session_state["lobby_outlet"] = choices[0]
selected = controls[1].selectbox(
    t("lobby_outlet"),
    choices,
    format_func={ALL: t("lobby_all_outlets", count=len(names)), **names}.get,  # labels fixed at render time
    key="lobby_outlet",
)
subject_id = unit["id"] if selected == ALL else int(selected)
subject_name = name_of(unit) if selected == ALL else names[subject_id]
st.caption(
    t(
        "lobby_caption",
        unit=subject_name,
        start=start.isoformat(),
        end=end.isoformat(),
        outlets=format_count(len(names) if selected == ALL else 1, lang),
    )
)
if period["invalid_rows"]:
    st.warning(t("lobby_invalid_rows", rows=format_count(period["invalid_rows"], lang)))

with st.spinner(t("loading")):
    profile = run_query(queries_lobby.lobby_profile, subject_id, start, end)
    cells = run_query(queries_lobby.lobby_profile, subject_id, start, end, True)
    day_cells = run_query(queries_lobby.lobby_profile, subject_id, start, end, True, "day_type")
subject = summary if selected == ALL else summary[summary["id"] == subject_id]

# --- Headline figures -----------------------------------------------------------------------
arrivals_total = subject["arrivals"].sum()
mean_wait = weighted_mean(subject["mean_wait_minutes"], subject["arrivals"])
mean_service = weighted_mean(subject["mean_service_minutes"], subject["arrivals"])
over_share = weighted_mean(subject["share_hours_over_threshold"], subject["hours"])
p95_all = overall_p95(cells)
headline = [
    (t("lobby_metric_daily_arrivals"), format_count(arrivals_total / subject["days"].sum(), lang)),
    (t("lobby_metric_mean_wait_minutes"), format_value(mean_wait, "score", lang)),
    (t("lobby_metric_p95_wait_minutes"), format_value(p95_all, "score", lang)),
    (t("lobby_metric_service_minutes"), format_value(mean_service, "score", lang)),
    (t("lobby_metric_hours_over", minutes=int(WAIT_THRESHOLD_MINUTES)), format_ratio(over_share)),
]
metric_cards(headline, key="lobby_headline")

# --- Heatmap of arrivals by weekday × hour -------------------------------------------------
st.subheader(t("lobby_heatmap_title"))
hours = sorted(profile["hour"].unique())
weekdays = sorted(profile["weekday"].unique())
profile = profile.assign(arrivals_per_day=profile["arrivals"] / profile["calendar_days"])
grid = profile.pivot_table(index="weekday", columns="hour", values="arrivals_per_day").reindex(
    index=weekdays, columns=hours
)
heatmap = go.Figure(
    go.Heatmap(
        z=grid.to_numpy(),
        x=[format_hour(h) for h in hours],
        y=[weekday_label(d) for d in weekdays],
        colorscale="YlGnBu",
        colorbar={"title": {"text": t("lobby_unit_customers_per_hour")}},
        texttemplate="%{z:.0f}",
        hovertemplate=f"%{{y}} %{{x}}<br>{t('lobby_arrivals_per_hour')}: %{{z:.1f}}<extra></extra>",
    )
)
heatmap.update_layout(
    title={
        "text": t("lobby_heatmap_chart", subject=subject_name)
        + ("" if selected != ALL else f" — {t('lobby_all_outlets_together', count=len(names))}")
    },
    xaxis_title=t("lobby_axis_hour"),
    yaxis_title=t("lobby_axis_weekday"),
    yaxis={"autorange": "reversed"},
    height=360,
    margin={"t": 60, "b": 40},
)
st.plotly_chart(heatmap, key="lobby_heatmap")
if profile["days"].nunique() > 1:
    thin = profile[profile["days"] < profile.groupby("weekday")["days"].transform("max")]
    if not thin.empty:
        st.caption(t("lobby_missing_hours", cells=format_count(len(thin), lang)))

# --- Wait and service time by hour ------------------------------------------------------------
st.subheader(t("lobby_wait_title"))
by_hour = hourly_means(profile)
by_hour["p95_wait"] = percentiles_by(cells, "hour").reindex(by_hour.index)
wait_columns = st.columns(2)
wait_figure = go.Figure(
    [
        go.Bar(
            x=[format_hour(h) for h in by_hour.index],
            y=by_hour["mean_wait"],
            name=t("lobby_series_mean_wait"),
            marker_color="#2c7fb8",
        ),
        go.Scatter(
            x=[format_hour(h) for h in by_hour.index],
            y=by_hour["p95_wait"],
            name=t("lobby_series_p95_wait"),
            mode="lines+markers",
            line={"color": "#d7301f"},
        ),
    ]
)
# The threshold is a legend entry, not a text annotation on the plot, so it never covers a line.
wait_figure.add_trace(
    go.Scatter(
        x=[format_hour(h) for h in by_hour.index],
        y=[WAIT_THRESHOLD_MINUTES] * len(by_hour),
        name=t("lobby_threshold_line", minutes=int(WAIT_THRESHOLD_MINUTES)),
        mode="lines",
        line={"color": "#666", "dash": "dot", "width": 1},
        hoverinfo="skip",
    )
)
wait_figure.update_layout(
    title={"text": t("lobby_wait_chart")},
    xaxis_title=t("lobby_axis_hour"),
    yaxis_title=t("lobby_axis_minutes"),
    legend={"orientation": "h", "y": -0.25},
    height=380,
)
wait_columns[0].plotly_chart(wait_figure, key="lobby_wait_chart")
service_traces = [
    go.Scatter(
        x=[format_hour(h) for h in by_hour.index],
        y=by_hour["mean_service"],
        name=t("lobby_series_service"),
        mode="lines+markers",
        line={"color": "#41b6c4"},
        showlegend=True,
    )
]
if selected == ALL and len(names) > 1:
    service_range = service_range_by_hour(cells)
    for label, values, dash in (
        (t("lobby_series_service_fastest"), service_range["fastest"], "dot"),
        (t("lobby_series_service_slowest"), service_range["slowest"], "dash"),
    ):
        service_traces.append(
            go.Scatter(
                x=[format_hour(h) for h in values.index],
                y=values,
                name=label,
                mode="lines",
                line={"color": "#225ea8", "dash": dash, "width": 1},
            )
        )
service_figure = go.Figure(service_traces)
service_figure.update_layout(
    title={"text": t("lobby_service_chart")},
    xaxis_title=t("lobby_axis_hour"),
    yaxis_title=t("lobby_axis_minutes"),
    yaxis={"rangemode": "tozero"},
    legend={"orientation": "h", "y": -0.25},
    height=380,
)
wait_columns[1].plotly_chart(service_figure, key="lobby_service_chart")

# --- Service time by business type ------------------------------------------------------------
by_type = run_query(queries_lobby.lobby_service_by_type, subject_id, 3, end)
if by_type.empty:
    st.info(t("lobby_business_type_missing"))
else:
    type_labels = [t(f"business_type_{kind}") for kind in by_type["business_type"]]
    shares = by_type["transactions"] / by_type["transactions"].sum()
    months = t(
        "lobby_service_months",
        first=f"{by_type['first_month'].iat[0]:%Y-%m}",
        last=f"{by_type['last_month'].iat[0]:%Y-%m}",
    )
    type_figure = go.Figure(
        go.Bar(
            x=type_labels,
            y=by_type["mean_service_minutes"],
            marker_color="#225ea8",
            text=[format_ratio(share) for share in shares],
            textposition="outside",
            customdata=by_type["transactions"],
            hovertemplate="%{x}: %{y:.1f} min · %{customdata:,} · %{text}<extra></extra>",
        )
    )
    type_figure.update_layout(
        title={"text": f"{t('lobby_business_type_chart')}<br><sup>{subject_name} · {months}</sup>"},
        xaxis_title=t("lobby_axis_business_type"),
        yaxis_title=t("lobby_axis_minutes"),
        yaxis={"rangemode": "tozero"},
        height=380,
        margin={"t": 80},
    )
    st.plotly_chart(type_figure, key="lobby_business_type_chart")
    st.caption(t("lobby_business_type_caption"))

# --- Counters open vs needed --------------------------------------------------------------------
st.subheader(t("lobby_counters_title"))
day_type = st.segmented_control(
    t("lobby_day_type"),
    queries_lobby.LOBBY_DAY_TYPES,
    default="workday",
    format_func={d: t(f"day_type_{d}") for d in queries_lobby.LOBBY_DAY_TYPES}.get,
    key="lobby_day_type",
)
day_type = day_type or "workday"
capacity = summary.set_index("id")["counters"]
day = day_cells[day_cells["day_type"] == day_type]
if day.empty:
    st.info(t("lobby_no_day_type", day_type=t(f"day_type_{day_type}")))
else:
    needed = counters_needed_cached(day.reset_index(drop=True), capacity)
    per_hour = needed.groupby("hour").agg(
        open=("mean_counters_open", "sum"),
        needed=("needed", "sum"),
        short=("reachable", lambda r: int((~r).sum())),
    )
    installed = float(capacity.reindex(needed["outlet_id"].unique()).sum())
    counters_figure = go.Figure(
        [
            go.Bar(
                x=[format_hour(h) for h in per_hour.index],
                y=per_hour["open"],
                name=t("lobby_series_open"),
                marker_color="#7fcdbb",
            ),
            go.Scatter(
                x=[format_hour(h) for h in per_hour.index],
                y=per_hour["needed"],
                name=t("lobby_series_needed", level=int(TARGET_LEVEL * 100), minutes=int(WAIT_THRESHOLD_MINUTES)),
                mode="lines+markers",
                line={"color": "#253494", "shape": "hvh"},
            ),
            go.Scatter(
                x=[format_hour(h) for h in per_hour.index],
                y=[installed] * len(per_hour),
                name=t("lobby_series_installed"),
                mode="lines",
                line={"color": "#999", "dash": "dash"},
            ),
        ]
    )
    counters_figure.update_layout(
        title={"text": f"{t('lobby_counters_chart')}<br><sup>{subject_name} · {t(f'day_type_{day_type}')}</sup>"},
        xaxis_title=t("lobby_axis_hour"),
        yaxis_title=t("lobby_axis_counters"),
        yaxis={"rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.25},
        height=400,
    )
    st.plotly_chart(counters_figure, key="lobby_counters_chart")
    unreachable = int(per_hour["short"].sum())
    if unreachable:
        st.warning(t("lobby_target_unreachable", cells=format_count(unreachable, lang)))
    st.caption(
        t("lobby_counters_note", level=int(TARGET_LEVEL * 100), minutes=int(WAIT_THRESHOLD_MINUTES))
        + " "
        + t("lobby_staffing_link")
    )

# --- Peer comparison ----------------------------------------------------------------------------
st.subheader(t("lobby_peers_title"))
crumbs = run_query(queries.breadcrumb, unit["id"])
peer_unit = unit if unit["level"] != "outlet" else (crumbs[-2] if len(crumbs) >= 2 else unit)
if peer_unit["id"] == unit["id"]:
    peers, peer_cells = summary, cells if selected == ALL else None
else:
    peers = run_query(queries_lobby.lobby_outlet_summary, peer_unit["id"], start, end, WAIT_THRESHOLD_MINUTES)
    peer_cells = None
if peer_cells is None:
    peer_cells = run_query(queries_lobby.lobby_profile, peer_unit["id"], start, end, True)
highlight = None if selected == ALL else subject_id
if highlight is not None and len(peers) > 1:
    same_type = st.toggle(t("lobby_same_type"), value=False, key="lobby_same_type")
    if same_type:
        kind = peers.loc[peers["id"] == highlight, "outlet_type"].iloc[0]
        peers = peers[peers["outlet_type"] == kind]
st.caption(t("lobby_peers_caption", unit=name_of(peer_unit), count=format_count(len(peers), lang)))
if len(peers) <= 1 and scope.root_unit_id == unit["id"] and unit["level"] == "outlet":
    st.info(t("lobby_peers_scope_note"))
peers = peers.assign(
    p95_wait=peers["id"].map(percentiles_by(peer_cells, "outlet_id")),
    label=[labels.get(int(i), "") for i in peers["id"]],
)
ranked = peers.sort_values(["mean_wait_minutes", "code"], ascending=[False, True]).reset_index(drop=True)
# A chart of every outlet of a city branch would be thousands of pixels tall: the longest and the
# shortest waits (and the selected outlet); the table below has every outlet.
shown, added = lobby_window.top_and_bottom(ranked, lobby_window.PEER_CHART_ENDS, highlight)
peer_note = None
if len(shown) < len(ranked):
    peer_note = t(
        "lobby_peers_top_bottom",
        top=lobby_window.PEER_CHART_ENDS,
        bottom=lobby_window.PEER_CHART_ENDS,
        count=format_count(len(ranked), lang),
        selected=t("lobby_peers_selected_added") if added else "",
    )
ordered = shown.iloc[::-1]  # longest wait at the top
peer_figure = go.Figure(
    [
        go.Bar(
            y=ordered["label"],
            x=ordered["mean_wait_minutes"],
            orientation="h",
            name=t("lobby_series_mean_wait"),
            marker_color=["#d7301f" if i == highlight else "#2c7fb8" for i in ordered["id"]],
        ),
        go.Scatter(
            y=ordered["label"],
            x=ordered["p95_wait"],
            name=t("lobby_series_p95_wait"),
            mode="markers",
            marker={"color": "#252525", "symbol": "line-ns-open", "size": 12, "line": {"width": 2}},
        ),
    ]
)
peer_figure.update_layout(
    title={"text": t("lobby_peers_chart")},
    xaxis_title=t("lobby_axis_minutes"),
    yaxis_title=t("lobby_axis_outlet"),
    legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
    height=max(320, 22 * len(ordered) + 160),
    margin={"t": 90},
)
st.plotly_chart(peer_figure, key="lobby_peers_chart")
if peer_note:
    st.caption(peer_note)
peer_table = pd.DataFrame(
    {
        t("col_code"): peers["code"],
        t("col_name"): peers["label"],
        t("col_type"): peers["outlet_type"].map(lambda v: t(f"outlet_type_{v}")),
        t("col_parent"): peers[f"parent_{lang}"],
        t("lobby_col_counters"): peers["counters"].map(lambda v: format_count(v, lang)),
        t("lobby_col_smart_machines"): peers["smart_machines"].map(lambda v: format_count(v, lang)),
        t("lobby_col_daily_arrivals"): peers["mean_daily_arrivals"].map(lambda v: format_count(v, lang)),
        t("lobby_col_counters_open"): peers["mean_counters_open"].map(lambda v: format_value(v, "score", lang)),
        t("lobby_col_service"): peers["mean_service_minutes"].map(minutes),
        t("lobby_col_mean_wait"): peers["mean_wait_minutes"].map(minutes),
        t("lobby_col_p95_wait"): peers["p95_wait"].map(minutes),
        t("lobby_col_worst_hour"): peers["worst_hour_wait_minutes"].map(minutes),
        t("lobby_col_hours_over", minutes=int(WAIT_THRESHOLD_MINUTES)): peers["share_hours_over_threshold"].map(
            format_ratio
        ),
    }
)
st.dataframe(peer_table, hide_index=True, width="stretch", key="lobby_peer_table")
peer_csv = peers[
    [
        "code",
        "label",
        "outlet_type",
        "counters",
        "smart_machines",
        "days",
        "mean_daily_arrivals",
        "mean_counters_open",
        "mean_service_minutes",
        "mean_wait_minutes",
        "p95_wait",
        "worst_hour_wait_minutes",
        "share_hours_over_threshold",
    ]
]
st.download_button(
    t("lobby_download_peers"),
    lobby_window.lobby_csv(peer_csv),
    file_name=f"lobby_peers_{start}_{end}.csv",
    mime="text/csv",
    key="lobby_download_peers",
)

# --- Worst hours of the whole scope ---------------------------------------------------------------
root = run_query(queries.unit_info, scope.root_unit_id)
st.subheader(t("lobby_worst_title", unit=name_of(root)))
worst = run_query(queries_lobby.lobby_worst_hours, root["id"], start, end, WORST_HOURS)
root_profile = run_query(queries_lobby.lobby_profile, root["id"], start, end)
wait_grid = root_profile.pivot_table(index="weekday", columns="hour", values="mean_wait_minutes")
wait_heatmap = go.Figure(
    go.Heatmap(
        z=wait_grid.to_numpy(),
        x=[format_hour(h) for h in wait_grid.columns],
        y=[weekday_label(d) for d in wait_grid.index],
        colorscale="YlOrRd",
        colorbar={"title": {"text": t("lobby_axis_minutes")}},
        texttemplate="%{z:.0f}",
        hovertemplate=f"%{{y}} %{{x}}<br>{t('lobby_series_mean_wait')}: %{{z:.1f}}<extra></extra>",
    )
)
wait_heatmap.update_layout(
    title={"text": t("lobby_worst_heatmap", unit=name_of(root))},
    xaxis_title=t("lobby_axis_hour"),
    yaxis_title=t("lobby_axis_weekday"),
    yaxis={"autorange": "reversed"},
    height=360,
    margin={"t": 60, "b": 40},
)
st.plotly_chart(wait_heatmap, key="lobby_worst_heatmap")
if worst.empty:
    st.info(t("lobby_no_data"))
else:
    worst = worst.assign(p95=group_percentiles(worst.assign(key=range(len(worst))), "key").to_numpy())
    worst_table = pd.DataFrame(
        {
            t("col_outlet_name"): [labels.get(int(i), "") for i in worst["outlet_id"]],
            t("col_code"): worst["code"],
            t("lobby_col_when"): [
                f"{weekday_label(d)} {format_hour(h)}" for d, h in zip(worst["weekday"], worst["hour"])
            ],
            t("lobby_col_mean_wait"): worst["mean_wait_minutes"].map(minutes),
            t("lobby_col_p95_wait"): worst["p95"].map(minutes),
            t("lobby_col_arrivals"): worst["mean_arrivals"].map(lambda v: format_value(v, "score", lang)),
            t("lobby_col_counters_open"): worst["mean_counters_open"].map(lambda v: format_value(v, "score", lang)),
        }
    )
    st.dataframe(worst_table, hide_index=True, width="stretch", key="lobby_worst_table")
    st.caption(t("lobby_worst_caption", count=WORST_HOURS))

# --- Downloads and method -------------------------------------------------------------------------
heatmap_csv = profile[
    ["weekday", "hour", "days", "mean_arrivals", "mean_counters_open", "mean_service_minutes", "mean_wait_minutes"]
]
st.download_button(
    t("lobby_download_heatmap"),
    lobby_window.lobby_csv(heatmap_csv),
    file_name=f"lobby_profile_{subject_id}_{start}_{end}.csv",
    mime="text/csv",
    key="lobby_download_heatmap",
)
with st.expander(t("how_computed")):
    st.markdown(
        t(
            "lobby_how_computed",
            minutes=int(WAIT_THRESHOLD_MINUTES),
            level=int(TARGET_LEVEL * 100),
            start=start.isoformat(),
            end=end.isoformat(),
        )
    )
    st.caption(MISSING + " " + t("lobby_missing_value_note"))
