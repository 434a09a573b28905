"""Channel diversion (电子渠道分流率): the share of transactions done on self-service and e-channels
under a definition the user chooses (which channels count, numerator and denominator shown), for
the unit over time and per outlet, against the target and peers; the counter business smart
machines could take; and what that does to the counters needed.

Channel sums come from ``data.queries_service`` (summed in SQL at the level shown); every rate is
recomputed from its numerator and denominator by ``analytics.diversion``, never averaged.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.diversion import (
    COUNTER,
    E_CHANNELS,
    counter_relief,
    definition,
    diversion_rates,
    movable_business,
    movable_shares,
    period_rates,
    rate_after_move,
    target_for,
)
from data import queries_lobby, queries_service
from data.schema import PRODUCT_FAMILIES
from ui.cards import metric_cards
from ui.charts import plain_numbers, style_month_axis
from ui.data_access import run_query
from ui.excel import frames_to_xlsx
from ui.format import MISSING, format_count, format_ratio
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.lobby_window import lobby_window
from ui.page_entry import enter_through_app
from ui.sidebar import focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

PERIOD_MONTHS = (12, 24, 36)
LOBBY_WEEKS = 8
DEFAULT_FAMILIES = ("demand_deposit", "card")
SEGMENTS = ("personal", "corporate")
SAMPLE_MONTHS = 3
TARGET_WAIT, TARGET_LEVEL = 10.0, 0.80

lang = current_language()
unit = focus_unit()
st.title(t("div_title"))
month = st.session_state.get("month")
if month is None:
    st.warning(t("no_kpi_data"))
    st.stop()


def months_before(first: dt.date, count: int) -> dt.date:
    """First day of the month ``count`` months before ``first``."""
    index = first.year * 12 + first.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


def points(value: float) -> str:
    """A difference of two rates in percentage points, sign first, without the unit: "+4.0"."""
    return MISSING if value is None or not np.isfinite(value) else f"{value * 100:+.1f}"


def pp(value: float) -> str:
    if value is None or not np.isfinite(value):
        return MISSING
    return t("div_pp", value=f"{value * 100:+.1f}")


channel_names = {code: t(f"div_channel_{code}") for code in (COUNTER, *E_CHANNELS)}
unit_labels = unit_label_map()


def label_of(unit_id) -> str:
    """Unique label of an outlet or sub-branch (charts and tables are keyed on the id)."""
    return unit_labels.get(int(unit_id), "")


joiner = "、" if lang == "zh" else ", "

# --- Definition and period ---------------------------------------------------------------------
controls = st.columns([3, 2, 1])
channels = controls[0].multiselect(
    t("div_channels"),
    list(E_CHANNELS),
    default=list(E_CHANNELS),
    format_func=channel_names.get,
    key="div_channels",
    help=t("div_channels_help"),
    placeholder=t("widget_choose"),
)
denominator_kind = controls[1].radio(
    t("div_denominator"),
    ("all", "counted"),
    format_func={k: t(f"div_denominator_{k}") for k in ("all", "counted")}.get,
    key="div_denominator",
)
months = controls[2].selectbox(
    t("div_period"),
    PERIOD_MONTHS,
    format_func={m: t("div_period_months", months=m) for m in PERIOD_MONTHS}.get,
    key="div_months",
)
if not channels:
    st.error(t("div_err_no_channel"))
    st.stop()
numerator, denominator = definition(channels, denominator_kind)
standard = set(channels) == set(E_CHANNELS) and denominator_kind == "all"
start = months_before(month, months - 1)
st.caption(
    t(
        "div_caption",
        unit=name_of(unit),
        start=start.strftime("%Y-%m"),
        end=month.strftime("%Y-%m"),
    )
)
st.markdown(
    t(
        "div_definition",
        numerator=joiner.join(channel_names[c] for c in numerator),
        denominator=joiner.join(channel_names[c] for c in denominator),
    )
)

# At least 13 months are read, so that the latest month has its same month of last year.
history = run_query(
    queries_service.diversion_channel_sums, unit["id"], months_before(month, max(months - 1, 12)), month
)
history = diversion_rates(history, numerator, denominator)
monthly = history[history["month"] >= start].reset_index(drop=True)
if monthly.empty:
    st.info(t("div_no_data"))
    st.stop()
targets = run_query(queries_service.diversion_targets, unit["id"])

# --- Target ------------------------------------------------------------------------------------
table_target = target_for(targets, unit["id"], month) if standard else float("nan")
target_columns = st.columns([1, 3])
if np.isfinite(table_target):
    target = table_target
    target_columns[1].caption(t("div_target_from_table", target=format_ratio(target)))
else:
    target_pct = target_columns[0].number_input(
        t("div_user_target"), min_value=0.0, max_value=100.0, value=85.0, step=1.0, key="div_user_target"
    )
    target = target_pct / 100.0
    target_columns[1].caption(t("div_target_user_standard" if standard else "div_target_user_definition"))

# --- Headline ------------------------------------------------------------------------------------
latest = monthly[monthly["month"] == month]
if latest.empty:
    latest = monthly.tail(1)
row = latest.iloc[0]
year_ago = history[history["month"] == months_before(month, 12)]
change = row["rate"] - year_ago["rate"].iloc[0] if len(year_ago) else float("nan")
headline = [
    (t("div_metric_rate", month=row["month"].strftime("%Y-%m")), format_ratio(row["rate"])),
    (t("div_metric_numerator"), format_count(row["numerator"], lang)),
    (t("div_metric_denominator"), format_count(row["denominator"], lang)),
    (t("div_metric_target"), format_ratio(target)),
    (t("div_metric_gap"), points(row["rate"] - target)),  # the unit (百分点 / pp) is in the label
    (t("div_metric_change"), points(change)),
]
metric_cards(headline, key="channel_diversion_headline")

# --- Over time -----------------------------------------------------------------------------------
st.subheader(t("div_trend_title"))
labels = [m.strftime("%Y-%m") for m in monthly["month"]]
month_axis = pd.to_datetime(monthly["month"])  # month ticks in the session language (ui.charts)
trend = go.Figure(
    [
        go.Bar(
            x=month_axis,
            y=monthly["denominator"],
            name=t("div_series_denominator"),
            marker_color="#c6dbef",
            yaxis="y2",
            opacity=0.6,
        ),
        go.Bar(
            x=month_axis, y=monthly["numerator"], name=t("div_series_numerator"), marker_color="#6baed6", yaxis="y2"
        ),
        go.Scatter(
            x=month_axis,
            y=monthly["rate"] * 100,
            name=t("div_series_rate", unit=name_of(unit)),
            mode="lines+markers",
            line={"color": "#08519c", "width": 3},
        ),
    ]
)
rate_series = [monthly["rate"].to_numpy(float) * 100]
if standard and not targets.empty:
    monthly_target = [target_for(targets, unit["id"], m) for m in monthly["month"]]
else:
    monthly_target = [target] * len(monthly)
trend.add_trace(
    go.Scatter(
        x=month_axis,
        y=np.array(monthly_target, float) * 100,
        name=t("div_series_target"),
        mode="lines",
        line={"color": "#d7301f", "dash": "dash", "shape": "hv"},
    )
)
if unit["level"] != "outlet":
    children = run_query(queries_service.diversion_channel_sums, unit["id"], start, month, "child")
    children = diversion_rates(children, numerator, denominator)
    palette = ["#74c476", "#fd8d3c", "#9e9ac8", "#fdd0a2", "#a1d99b", "#bcbddc", "#fc9272", "#969696"]
    for index, (_, rows) in enumerate(children.groupby("group_id", sort=False)):
        if index >= len(palette):
            break
        rate_series.append(rows["rate"].to_numpy(float) * 100)
        trend.add_trace(
            go.Scatter(
                x=pd.to_datetime(rows["month"]),
                y=rows["rate"] * 100,
                name=label_of(rows["group_id"].iloc[0]),
                mode="lines",
                line={"color": palette[index], "width": 1},
            )
        )
shown_rates = np.concatenate([trend_rates for trend_rates in rate_series] + [np.array(monthly_target, float) * 100])
rate_floor = max(0.0, float(np.floor(np.nanmin(shown_rates) / 10) * 10 - 20)) if np.isfinite(shown_rates).any() else 0.0
trend.update_layout(
    title={"text": t("div_trend_chart", unit=name_of(unit))},
    xaxis_title=t("div_axis_month"),
    # Rates in the upper part of the chart, the transaction bars (right axis) in the lower part.
    yaxis={"title": {"text": t("div_axis_rate")}, "range": [rate_floor, 100]},
    yaxis2={
        "title": {"text": t("div_axis_txns")},
        "overlaying": "y",
        "side": "right",
        "showgrid": False,
        "range": [0, float(monthly["denominator"].max()) * 2.2 or 1.0],
        # its own round ticks in whole transactions (not synced to the rate axis, no "500M")
        "tickmode": "auto",
        "nticks": 5,
    },
    barmode="overlay",
    legend={"orientation": "h", "y": -0.25},
    height=440,
)
style_month_axis(trend, "x")
plain_numbers(trend, "y")
trend.update_layout(yaxis2_tickformat=",.0f")
st.plotly_chart(trend, key="div_trend_chart")
monthly_table = pd.DataFrame(
    {
        t("div_col_month"): labels,
        **{channel_names[c]: monthly[c].map(lambda v: format_count(v, lang)) for c in (COUNTER, *E_CHANNELS)},
        t("div_col_numerator"): monthly["numerator"].map(lambda v: format_count(v, lang)),
        t("div_col_denominator"): monthly["denominator"].map(lambda v: format_count(v, lang)),
        t("div_col_rate"): monthly["rate"].map(format_ratio),
    }
)
with st.expander(t("div_monthly_table")):
    st.dataframe(monthly_table, hide_index=True, width="stretch", key="div_monthly_table")

# --- Outlets and peers ---------------------------------------------------------------------------
st.subheader(t("div_outlets_title"))
outlet_sums = run_query(queries_service.diversion_channel_sums, unit["id"], start, month, "outlet")
last_months = months_before(month, 2)
recent = outlet_sums[outlet_sums["month"] >= last_months]
outlet_rates = period_rates(recent, numerator, denominator, ["group_id", "code", "name_zh", "name_en", "outlet_type"])
outlet_rates["target"] = [target_for(targets, i, month) if standard else target for i in outlet_rates["group_id"]]
outlet_rates["target"] = outlet_rates["target"].fillna(target)
outlet_rates["gap"] = outlet_rates["rate"] - outlet_rates["target"]
outlet_rates["label"] = outlet_rates["group_id"].map(label_of)
st.caption(t("div_outlets_caption", start=last_months.strftime("%Y-%m"), end=month.strftime("%Y-%m")))
if unit["level"] == "outlet":
    position = run_query(  # the summary only: no peer's own figures reach the page
        queries_service.diversion_peer_position, unit["id"], last_months, month, tuple(numerator), tuple(denominator)
    )
    peer_metrics = [
        (t("div_peer_rank"), f"{position['rank']} / {position['count']}" if position["rank"] else MISSING),
        (t("div_peer_median"), format_ratio(position["median"])),
        (t("div_peer_p75"), format_ratio(position["p75"])),
        (t("div_peer_best"), format_ratio(position["best"])),
    ]
    metric_cards(peer_metrics, key="channel_diversion_peer_metrics")
    quartiles = [position[k] * 100 for k in ("worst", "p25", "median", "p75", "best")]
    peer_figure = go.Figure(
        [
            go.Box(  # drawn from the peers' quartiles and extremes (no single peer's rate)
                y=[t("div_peer_outlets")],
                lowerfence=[quartiles[0]],
                q1=[quartiles[1]],
                median=[quartiles[2]],
                q3=[quartiles[3]],
                upperfence=[quartiles[4]],
                orientation="h",
                name=t("div_peer_outlets"),
                marker_color="#6baed6",
                hoverinfo="x",
            ),
            go.Scatter(
                x=[position["rate"] * 100],
                y=[t("div_peer_outlets")],
                name=name_of(unit),
                mode="markers",
                marker={"color": "#d7301f", "size": 14, "symbol": "diamond"},
            ),
        ]
    )
    peer_figure.add_vline(
        x=target * 100, line_dash="dash", line_color="#d7301f", annotation_text=t("div_series_target")
    )
    peer_figure.update_layout(
        title={"text": t("div_peer_chart")},
        xaxis_title=t("div_axis_rate"),
        yaxis_title="",
        legend={"orientation": "h", "y": -0.3},
        height=300,
    )
    st.plotly_chart(peer_figure, key="div_peer_chart")
    st.caption(t("div_peer_note"))
else:
    ordered = outlet_rates.sort_values("rate", ascending=True)
    bars = go.Figure(
        go.Bar(
            y=ordered["label"],
            x=ordered["rate"] * 100,
            orientation="h",
            marker_color=np.where(ordered["gap"] >= 0, "#31a354", "#de2d26"),
            name=t("div_series_rate", unit=""),
            customdata=np.stack([ordered["numerator"], ordered["denominator"]], axis=1),
            hovertemplate="%{y}: %{x:.1f}%<br>%{customdata[0]:,.0f} / %{customdata[1]:,.0f}<extra></extra>",
        )
    )
    # The target's label above the plot area, not on the top bar.
    bars.add_vline(
        x=target * 100,
        line_dash="dash",
        line_color="#d7301f",
        annotation_text=t("div_series_target"),
        annotation_position="top",
    )
    bars.update_layout(
        title={"text": t("div_outlets_chart")},
        xaxis_title=t("div_axis_rate"),
        yaxis_title=t("div_axis_outlet"),
        height=max(320, 20 * len(ordered) + 140),
        showlegend=False,
    )
    st.plotly_chart(bars, key="div_outlets_chart")
outlet_table = pd.DataFrame(
    {
        t("col_code"): outlet_rates["code"],
        t("col_name"): outlet_rates["label"],
        t("div_col_numerator"): outlet_rates["numerator"].map(lambda v: format_count(v, lang)),
        t("div_col_denominator"): outlet_rates["denominator"].map(lambda v: format_count(v, lang)),
        t("div_col_rate"): outlet_rates["rate"].map(format_ratio),
        t("div_col_target"): outlet_rates["target"].map(format_ratio),
        t("div_col_gap"): outlet_rates["gap"].map(pp),
    }
)
st.dataframe(outlet_table, hide_index=True, width="stretch", key="div_outlet_table")

# --- Counter business smart machines could take ---------------------------------------------------
st.subheader(t("div_movable_title"))
sample = run_query(queries_service.txn_sample_period, unit["id"])
family_names = {f: t(f"div_family_{f}") for f in PRODUCT_FAMILIES}
segment_names = {s: t(f"div_segment_{s}") for s in SEGMENTS}
movable_controls = st.columns(5)
families = movable_controls[0].multiselect(
    t("div_families"),
    list(PRODUCT_FAMILIES),
    default=list(DEFAULT_FAMILIES),
    format_func=family_names.get,
    key="div_families",
    placeholder=t("widget_choose"),
)
segments = movable_controls[1].multiselect(
    t("div_segments"),
    list(SEGMENTS),
    default=["personal"],
    format_func=segment_names.get,
    key="div_segments",
    placeholder=t("widget_choose"),
)
max_amount = movable_controls[2].number_input(
    t("div_max_amount"), min_value=0.0, max_value=10_000_000.0, value=50_000.0, step=10_000.0, key="div_max_amount"
)
take_up_pct = movable_controls[3].slider(t("div_take_up"), 0, 100, 50, step=5, key="div_take_up")
simple_minutes = movable_controls[4].number_input(
    t("div_simple_minutes"), min_value=0.5, max_value=30.0, value=3.0, step=0.5, key="div_simple_minutes"
)
problems = []
if not families or not segments:
    problems.append(t("div_err_no_family"))
if max_amount <= 0:
    problems.append(t("div_err_amount"))
for message in problems:
    st.error(message)
relief = pd.DataFrame()
movable = pd.DataFrame()
if not problems and sample["last_day"] is None:
    st.info(t("div_no_sample"))
elif not problems:
    sample_end = sample["last_day"]
    sample_start = max(sample["first_day"], months_before(sample_end.replace(day=1), SAMPLE_MONTHS - 1))
    mix = run_query(queries_service.diversion_counter_mix, unit["id"], sample_start, sample_end, float(max_amount))
    last_counter = outlet_sums[outlet_sums["month"] == month].set_index("group_id")[COUNTER]
    moved = movable_business(
        outlet_rates.set_index("group_id")[["code", "label"]],
        movable_shares(mix, families, segments),
        last_counter,
        take_up_pct / 100.0,
    )
    movable = moved.per_outlet
    all_after = rate_after_move(row["numerator"], row["denominator"], moved.movable_txns, numerator, denominator)
    movable_metrics = [
        (t("div_metric_movable_share"), format_ratio(moved.sample_share)),
        (t("div_metric_movable_txns"), format_count(moved.movable_txns, lang)),
        (t("div_metric_counter_txns"), format_count(moved.counter_txns, lang)),
        (t("div_metric_rate_after"), format_ratio(all_after)),
    ]
    metric_cards(movable_metrics, key="channel_diversion_movable_metrics")
    st.caption(
        t(
            "div_movable_caption",
            start=sample_start.isoformat(),
            end=sample_end.isoformat(),
            amount=format_count(max_amount, lang),
            take_up=take_up_pct,
        )
    )

    # Effect on the counters needed (Erlang C on the lobby's hourly load, before and after).
    lobby = run_query(queries_lobby.lobby_period, unit["id"])
    lobby_dates = lobby_window(lobby, month, LOBBY_WEEKS)
    if lobby["last_day"] is None:
        st.info(t("div_no_lobby"))
    elif lobby_dates is None:
        st.info(
            t(
                "lobby_month_not_covered",
                month=f"{month:%Y-%m}",
                first=lobby["first_day"].isoformat(),
                last=lobby["last_day"].isoformat(),
            )
        )
    else:
        lobby_start, lobby_end = lobby_dates
        cells = run_query(queries_lobby.lobby_profile, unit["id"], lobby_start, lobby_end, True, "day_type")
        capacity = run_query(queries_lobby.lobby_outlet_summary, unit["id"], lobby_start, lobby_end).set_index("id")[
            "counters"
        ]
        with st.spinner(t("loading")):
            relief = counter_relief(
                cells, capacity, movable["take_up"].fillna(0.0), float(simple_minutes), TARGET_WAIT, TARGET_LEVEL
            )
        workday = relief[relief["day_type"] == "workday"]
        if workday.empty:
            st.info(t("div_no_lobby"))
        else:
            before, after = workday["counter_hours_before"].sum(), workday["counter_hours_after"].sum()
            relief_metrics = [
                (t("div_metric_counter_hours_before"), format_count(before, lang)),
                (t("div_metric_counter_hours_after"), format_count(after, lang)),
                (t("div_metric_counter_hours_saved"), format_count(before - after, lang)),
                (t("div_metric_peak_after"), format_count(workday["peak_after"].sum(), lang)),
            ]
            metric_cards(relief_metrics, key="channel_diversion_relief_metrics")
            effect = go.Figure(
                [
                    go.Bar(
                        x=workday["outlet_id"].map(label_of),
                        y=workday["counter_hours_before"],
                        name=t("div_series_before"),
                        marker_color="#9ecae1",
                    ),
                    go.Bar(
                        x=workday["outlet_id"].map(label_of),
                        y=workday["counter_hours_after"],
                        name=t("div_series_after"),
                        marker_color="#3182bd",
                    ),
                ]
            )
            effect.update_layout(
                title={"text": t("div_effect_chart", level=int(TARGET_LEVEL * 100), minutes=int(TARGET_WAIT))},
                xaxis_title=t("div_axis_outlet"),
                yaxis_title=t("div_axis_counter_hours"),
                barmode="group",
                legend={"orientation": "h", "y": -0.35},
                height=420,
            )
            plain_numbers(effect, "y")
            st.plotly_chart(effect, key="div_effect_chart")
            st.caption(t("div_lobby_dates", start=lobby_start.isoformat(), end=lobby_end.isoformat()))
            short = int(workday["short_hours_after"].sum())
            if short:
                st.warning(t("div_still_short", hours=format_count(short, lang)))
    movable_table = pd.DataFrame(
        {
            t("col_code"): movable["code"],
            t("col_name"): movable["label"],
            t("div_col_sample_counter"): movable["counter"].map(lambda v: format_count(v, lang)),
            t("div_col_sample_movable"): movable["movable"].map(lambda v: format_count(v, lang)),
            t("div_col_movable_share"): movable["share"].map(format_ratio),
            t("div_col_counter_txns"): movable["counter_txns"].map(lambda v: format_count(v, lang)),
            t("div_col_movable_txns"): movable["movable_txns"].map(lambda v: format_count(v, lang)),
        }
    )
    st.dataframe(movable_table, hide_index=True, width="stretch", key="div_movable_table")

# --- Export and method ----------------------------------------------------------------------------
sheets = {t("div_sheet_monthly"): monthly_table, t("div_sheet_outlets"): outlet_table}
if not movable.empty:
    sheets[t("div_sheet_movable")] = movable_table
st.download_button(
    t("div_download"),
    frames_to_xlsx(sheets),
    file_name=f"channel_diversion_{unit['code']}_{month:%Y%m}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="div_download",
)
with st.expander(t("how_computed")):
    st.markdown(t("div_how_computed", level=int(TARGET_LEVEL * 100), minutes=int(TARGET_WAIT), weeks=LOBBY_WEEKS))
