"""Segments: RFM scores with named segments, and behavioural clustering (k-means or a Gaussian
mixture on standardised, log-scaled features, the number of segments chosen by silhouette or
BIC and shown), with a plain profile of each segment, the outlets it lives in and a map of the
H3 cells its customers live in.

Runs on demand (a button) with a progress bar; results are cached per scope, unit, data version
and settings. Features come from ``data.queries_customers.customer_feature_frame``; the models
are ``analytics.segmentation`` and ``analytics.customer_value.rfm_scores``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.customer_value import RFM_SEGMENT_CODES, rfm_scores
from analytics.segmentation import (
    Segmentation,
    choose_k,
    segment_cells,
    segment_customers,
    segment_outlets,
    segment_profiles,
)
from config.settings import load_settings
from data import queries
from data import queries_customers as qc
from data.scope import Scope
from ui import maps
from ui.customer_export import customer_download_button
from ui.data_access import dataset_info, run_query
from ui.excel import frames_to_xlsx
from ui.format import format_count, format_money, format_ratio
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.page_entry import enter_through_app
from ui.session import current_scope
from ui.sidebar import focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

FEATURES = ("aum_rmb", "products", "active_days", "digital_share", "tenure_years", "age_years")
LOG_FEATURES = ("aum_rmb", "products", "active_days")
K_CHOICES = (0, 2, 3, 4, 5, 6, 7, 8)  # 0 = choose from the data
K_MIN, K_MAX = 2, 8
METHODS = ("kmeans", "gmm")
SEGMENT_COLOURS = ["#08519c", "#e6550d", "#31a354", "#756bb1", "#de2d26", "#636363", "#b5a400", "#17becf"]
WINDOW_DAYS = 365


def feature_matrix(features: pd.DataFrame) -> pd.DataFrame:
    """The clustering inputs; a corporate customer's missing age is the scope's median age."""
    frame = features[list(FEATURES)].copy()
    frame["age_years"] = frame["age_years"].fillna(frame["age_years"].median()).fillna(0.0)
    return frame


@st.cache_data(show_spinner=False, max_entries=64)
def segment_for_k(
    scope: Scope, version: str, unit_id: int, month: dt.date, method: str, k: int, _features: pd.DataFrame
) -> Segmentation:
    """One segmentation with ``k`` segments; keyed on everything that determines ``_features``."""
    return segment_customers(
        feature_matrix(_features), method=method, k=k, log_features=LOG_FEATURES, random_state=20261123
    )


lang = current_language()
scope = current_scope()
unit = focus_unit()
version = dataset_info(load_settings().database_url).get("data_version", "")

st.title(t("seg_title"))
st.caption(name_of(unit))
months = run_query(qc.customer_balance_months, unit["id"])
if not months:
    st.info(t("cust_no_balances"))
    st.stop()
# The sidebar month, or the newest month with balances before it (balances start later: say so).
selected = st.session_state.get("month") or months[-1]
month = max([m for m in months if m <= selected], default=None)
if month is None:
    st.info(
        t(
            "cust_month_not_covered",
            month=f"{selected:%Y-%m}",
            first=f"{months[0]:%Y-%m}",
            last=f"{months[-1]:%Y-%m}",
        )
    )
    st.stop()
if month != selected:
    st.warning(t("cust_month_fallback", month=f"{month:%Y-%m}", last=f"{months[-1]:%Y-%m}"))
window_end = (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
window_start = window_end - dt.timedelta(days=WINDOW_DAYS - 1)

with st.form("seg_form"):
    columns = st.columns(3)
    method = columns[0].selectbox(
        t("seg_method"), METHODS, format_func={m: t(f"seg_method_{m}") for m in METHODS}.get, key="seg_method"
    )
    k_choice = columns[1].selectbox(
        t("seg_k"),
        K_CHOICES,
        format_func={k: t("seg_k_auto") if k == 0 else str(k) for k in K_CHOICES}.get,
        key="seg_k",
    )
    columns[2].caption(t("seg_window", start=window_start.isoformat(), end=window_end.isoformat()))
    run = st.form_submit_button(t("seg_run"), type="primary")
settings = (unit["id"], method, int(k_choice), month)
if run:
    st.session_state["seg_settings"] = settings
if st.session_state.get("seg_settings") != settings:
    st.info(t("seg_press_run"))
    with st.expander(t("cust_how_computed")):
        st.markdown(t("seg_method_text", window=WINDOW_DAYS))
    st.stop()

progress = st.progress(0.0, text=t("seg_progress_loading"))
features = run_query(qc.customer_feature_frame, unit["id"], month, window_start, window_end)
if len(features) < K_MAX + 2:
    progress.empty()
    st.warning(t("seg_too_few", count=len(features)))
    st.stop()
candidates = [int(k_choice)] if k_choice else list(range(K_MIN, K_MAX + 1))
results: dict[int, Segmentation] = {}
for step, k in enumerate(candidates):
    progress.progress(0.1 + 0.8 * step / len(candidates), text=t("seg_progress_fitting", k=k))
    results[k] = segment_for_k(scope, version, unit["id"], month, method, k, features)
scores = pd.concat([result.scores for result in results.values()], ignore_index=True)
criterion = "silhouette" if method == "kmeans" else "bic"
chosen = choose_k(scores, criterion) if len(candidates) > 1 else candidates[0]
segmentation = results[chosen]
progress.progress(0.95, text=t("seg_progress_profiles"))
labels = segmentation.labels
matrix = feature_matrix(features)
profiles = segment_profiles(matrix, labels)
where = segment_outlets(labels, features.outlet_id)
cells = segment_cells(labels, features.home_cell)
rfm = rfm_scores(features.days_since_last, features.active_days, features.aum_rmb)
progress.empty()

outlet_names = unit_label_map()  # unique labels where outlets share a name, keyed on the id
feature_names = {feature: t(f"seg_feature_{feature}") for feature in FEATURES}


def segment_name(segment: int) -> str:
    return t("seg_segment", number=int(segment) + 1)


def feature_value(feature: str, value: float) -> str:
    if feature == "aum_rmb":
        return format_money(value, lang)
    if feature == "digital_share":
        return format_ratio(value)
    return f"{value:,.1f}"


# --- RFM ---------------------------------------------------------------------------------------
st.subheader(t("seg_rfm_title"))
rfm_table = (
    pd.DataFrame({"segment": rfm.segment, "aum": features.aum_rmb.to_numpy()})
    .groupby("segment")
    .agg(customers=("aum", "size"), aum=("aum", "sum"))
    .reindex(list(RFM_SEGMENT_CODES))
    .fillna(0)
)
rfm_chart = go.Figure(
    go.Bar(
        x=[t(f"cust_rfm_{code}") for code in rfm_table.index],
        y=rfm_table.customers,
        marker_color="#3182bd",
        customdata=[format_money(v, lang) for v in rfm_table.aum],
        hovertemplate="%{x}: %{y}<br>AUM %{customdata}<extra></extra>",
    )
)
rfm_chart.update_layout(
    title=t("seg_rfm_chart_title"),
    xaxis={"title": t("seg_rfm_segment")},
    yaxis={"title": t("cust_axis_customers")},
    height=380,
)
left, right = st.columns([3, 2])
left.plotly_chart(rfm_chart, width="stretch")
right.dataframe(
    pd.DataFrame(
        {
            t("seg_rfm_segment"): [t(f"cust_rfm_{code}") for code in rfm_table.index],
            t("cust_col_customers"): rfm_table.customers.astype(int).to_numpy(),
            t("cust_col_aum"): [format_money(v, lang) for v in rfm_table.aum],
        }
    ),
    hide_index=True,
    width="stretch",
)
right.caption(t("seg_rfm_explained"))

# --- Clustering --------------------------------------------------------------------------------
st.subheader(t("seg_cluster_title", k=chosen))
score_column = "silhouette" if criterion == "silhouette" else "bic"
score_chart = go.Figure(
    go.Scatter(
        x=scores.k,
        y=scores[score_column],
        mode="lines+markers",
        marker={"size": [14 if k == chosen else 8 for k in scores.k], "color": "#08519c"},
        name=t(f"seg_score_{score_column}"),
    )
)
score_chart.update_layout(
    title=t("seg_score_chart_title", criterion=t(f"seg_score_{score_column}")),
    xaxis={"title": t("seg_k_axis"), "dtick": 1},
    yaxis={"title": t(f"seg_score_{score_column}")},
    height=320,
)
left, right = st.columns([2, 3])
left.plotly_chart(score_chart, width="stretch")
left.caption(t(f"seg_score_{score_column}_explained", k=chosen))
size_chart = go.Figure(
    go.Bar(
        x=[segment_name(s) for s in profiles.segment],
        y=profiles.customers,
        marker_color=[SEGMENT_COLOURS[int(s) % len(SEGMENT_COLOURS)] for s in profiles.segment],
        text=[format_ratio(v) for v in profiles.share],
        textposition="outside",
    )
)
size_chart.update_layout(
    title=t("seg_size_chart_title"), yaxis={"title": t("cust_axis_customers")}, height=320, showlegend=False
)
right.plotly_chart(size_chart, width="stretch")

st.markdown(f"**{t('seg_profiles_title')}**")
for _, profile in profiles.iterrows():
    segment = int(profile.segment)
    traits = [
        t(
            f"seg_trait_{direction}" if statistic == "median" else f"seg_trait_{direction}_mean",
            feature=feature_names[feature],
            value=feature_value(feature, value),
            overall=feature_value(feature, overall),
        )
        for feature, value, overall, direction, statistic in profile.distinguishing
        if feature_value(feature, value) != feature_value(feature, overall)  # shown alike: says nothing
    ] or [t("seg_trait_average")]
    homes = where[where.segment == segment]
    home_text = "、".join(
        f"{outlet_names.get(int(row.outlet_id), str(row.outlet_id))} ({format_ratio(row.share_of_segment)})"
        for _, row in homes.iterrows()
    )
    st.markdown(
        t(
            "seg_profile_line",
            segment=segment_name(segment),
            customers=format_count(profile.customers, lang),
            share=format_ratio(profile.share),
            traits="; ".join(traits),
            outlets=home_text,
        )
    )
median_table = pd.DataFrame({t("seg_segment_col"): [segment_name(s) for s in profiles.segment]})
for feature in FEATURES:
    median_table[feature_names[feature]] = [feature_value(feature, v) for v in profiles[f"median_{feature}"]]
st.dataframe(median_table, hide_index=True, width="stretch")

# --- Map ---------------------------------------------------------------------------------------
st.subheader(t("seg_map_title"))
segment_choices = list(profiles.segment.astype(int))
shown_segment = st.selectbox(
    t("seg_map_segment"),
    segment_choices,
    format_func={s: segment_name(s) for s in segment_choices}.get,
    key="seg_map_segment",
)
mapped = cells[cells.segment == shown_segment].copy()
if mapped.empty:
    st.info(t("seg_map_no_cells"))
else:
    import h3

    mapped["lat"], mapped["lon"] = zip(*(h3.cell_to_latlng(cell) for cell in mapped.h3_index))
    values = mapped.customers.astype(float)
    breaks = maps.class_breaks(values)
    mapped["colour"] = maps.class_colours(values, breaks, True)
    mapped["tooltip"] = [
        t("seg_map_tooltip", customers=format_count(c, lang), share=format_ratio(s))
        for c, s in zip(mapped.customers, mapped.share_of_cell)
    ]
    view = maps.view_for(mapped.lon, mapped.lat)
    districts = run_query(queries.district_outlines, unit["id"])
    layers = maps.basemap_layers(districts, f"name_{lang}", view.zoom) if not districts.empty else []
    layers.append(maps.hexagon_layer(mapped[["h3_index", "colour", "tooltip"]], "segment_cells"))
    st.pydeck_chart(maps.build_deck(layers, view, load_settings().map_style_url), height=maps.MAP_HEIGHT_PX)
    st.markdown(
        maps.legend_html(
            t("seg_map_legend", segment=segment_name(shown_segment)),
            maps.legend_entries(breaks, True, lambda v: format_count(v, lang)),
        ),
        unsafe_allow_html=True,
    )
    with st.expander(t("seg_map_table")):
        st.dataframe(
            mapped[["h3_index", "customers", "share_of_cell"]].rename(
                columns={
                    "h3_index": t("seg_col_cell"),
                    "customers": t("cust_col_customers"),
                    "share_of_cell": t("seg_col_share_of_cell"),
                }
            ),
            hide_index=True,
            width="stretch",
        )

with st.expander(t("cust_how_computed")):
    st.markdown(t("seg_method_text", window=WINDOW_DAYS))

assignments = pd.DataFrame(
    {
        t("cust_clv_col_customer"): features.customer_no.to_numpy(),
        t("cust_clv_col_outlet"): features.outlet_id.map(outlet_names).to_numpy(),
        t("seg_segment_col"): labels.map({s: segment_name(s) for s in labels.unique()}).to_numpy(),
        t("seg_rfm_segment"): rfm.segment.map({c: t(f"cust_rfm_{c}") for c in rfm.segment.unique()}).to_numpy(),
        "RFM": rfm.rfm.to_numpy(),
        **{feature_names[f]: np.round(features[f].to_numpy(dtype=float), 4) for f in FEATURES},
    }
)
if not scope.sees_personal_data:
    st.caption(t("cust_ids_masked"))
export = {t("seg_sheet_customers"): assignments, t("seg_sheet_profiles"): median_table}
customer_download_button(
    t("cust_download_excel"),
    lambda: frames_to_xlsx(export),  # built when clicked, not on every rerun
    file_name=f"customer_segments_{unit['code']}_{month.strftime('%Y-%m')}.xlsx",
    key="seg_download",
    what="segments",
    rows=len(assignments),
    icon=None,
)
