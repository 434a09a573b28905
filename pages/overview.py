"""Network overview: headline KPIs of the scope, a map of our and competitors' outlets coloured
by a chosen KPI (with the same data as a table), and drill-down into the next level."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from config.metrics import BY_CODE, CATALOGUE
from config.settings import load_settings
from data import queries
from ui import maps
from ui.cards import card_grid, delta_style
from ui.data_access import run_query
from ui.format import format_change, format_compact, format_value
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.page_entry import enter_through_app
from ui.session import current_scope
from ui.sidebar import focus_unit, set_focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

HEADLINE_CODES = ["deposits_total", "loans_total", "fee_income_total", "customers_active"]
CHILD_TABLE_CODES = ["deposits_total", "loans_total", "fee_income_total", "customers_active", "e_channel_rate"]

lang = current_language()
scope = current_scope()

unit = focus_unit()

month = st.session_state.get("month")
st.title(t("overview_title"))
st.caption(t("overview_caption", unit=name_of(unit), month=month.strftime("%Y-%m") if month else "—"))
if month is None:
    st.warning(t("no_kpi_data"))
    st.stop()


def metric_label(code: str) -> str:
    metric = BY_CODE[code]
    return metric.name_zh if lang == "zh" else metric.name_en


# --- Headline KPI cards -------------------------------------------------------------------
headline = run_query(queries.headline_kpis, unit["id"], month, tuple(HEADLINE_CODES)).set_index("metric_code")
for card, code in zip(card_grid("overview_cards", len(HEADLINE_CODES)), HEADLINE_CODES):
    metric = BY_CODE[code]
    row = headline.loc[code]
    month_on_month = format_change(row["value"], row["previous_month"], metric.unit, lang)
    year_on_year = format_change(row["value"], row["last_year"], metric.unit, lang)
    with card:
        st.metric(
            metric_label(code),
            format_compact(row["value"], metric.unit, lang),
            delta=f"{month_on_month} {t('vs_last_month')}" if month_on_month else None,
            help=format_value(row["value"], metric.unit, lang),
            **delta_style(month_on_month, metric.higher_is_better),
        )
        st.caption(f"{t('vs_last_year')}: {year_on_year or '—'}")

# --- Map and table ------------------------------------------------------------------------
st.subheader(t("overview_map_title"))
map_metrics = [m.code for m in CATALOGUE]
controls = st.columns([2, 1, 1])
colour_code = controls[0].selectbox(
    t("overview_colour_by"),
    map_metrics,
    format_func={c: metric_label(c) for c in map_metrics}.get,
    key="overview_colour_by",
)
show_competitors = controls[1].toggle(t("overview_show_competitors"), value=True, key="overview_competitors")
show_planned = controls[2].toggle(t("overview_show_planned"), value=True, key="overview_planned")
colour_metric = BY_CODE[colour_code]

with st.spinner(t("loading")):
    outlets = run_query(queries.outlet_map_data, unit["id"], month, colour_code)
    competitors = run_query(queries.competitor_outlets, unit["id"]) if show_competitors else pd.DataFrame()
    districts = run_query(queries.district_outlines, unit["id"])
if not show_planned:
    outlets = outlets[outlets["status"] != "planned"]
labels = unit_label_map()
outlets = outlets.assign(label=[labels.get(int(i), n) for i, n in zip(outlets["id"], outlets[f"name_{lang}"])])


def fmt(value) -> str:
    return format_value(value, colour_metric.unit, lang)


breaks = maps.class_breaks(outlets.loc[outlets["status"] == "open", "value"])
outlets = outlets.assign(
    colour=maps.class_colours(outlets["value"], breaks, colour_metric.higher_is_better),
    tooltip=[
        f"<b>{row['label']}</b><br/>{t('outlet_type_' + str(row['outlet_type']))} · "
        f"{t('status_' + row['status'])}<br/>{row[f'parent_{lang}']}<br/>"
        f"{metric_label(colour_code)}: {fmt(row['value'])}"
        for _, row in outlets.iterrows()
    ],
)
view = maps.view_for(outlets["lon"], outlets["lat"]) if not outlets.empty else None
layers = maps.basemap_layers(districts, f"name_{lang}", view.zoom) if view and not districts.empty else []
bank_colours: dict[str, list[int]] = {}
if not competitors.empty:
    banks = sorted(competitors["bank_code"].unique())
    bank_colours = {b: list(maps.COMPETITOR_COLOURS[i % len(maps.COMPETITOR_COLOURS)]) for i, b in enumerate(banks)}
    competitors = competitors.assign(
        colour=competitors["bank_code"].map(bank_colours),
        tooltip=[f"<b>{row[f'bank_name_{lang}']}</b><br/>{row['name']}" for _, row in competitors.iterrows()],
    )
    layers.append(maps.point_layer(competitors, "competitors", radius_m=120, min_pixels=2.5))
layers.append(maps.point_layer(outlets, "outlets", radius_m=260, min_pixels=5))

map_tab, table_tab = st.tabs([t("tab_map"), t("tab_table")])
with map_tab:
    if outlets.empty:
        st.info(t("overview_no_outlets"))
    else:
        st.pydeck_chart(maps.build_deck(layers, view, load_settings().map_style_url), height=maps.MAP_HEIGHT_PX)
        legend_columns = st.columns([3, 2])
        direction = t("legend_higher_better") if colour_metric.higher_is_better else t("legend_lower_better")
        entries = maps.legend_entries(breaks, colour_metric.higher_is_better, fmt)
        entries.append((maps.hex_colour(maps.NO_DATA), t("legend_no_data")))
        title = f"{t('legend_our_outlets')}: {metric_label(colour_code)} ({direction})"
        legend_columns[0].markdown(maps.legend_html(title, entries), unsafe_allow_html=True)
        if bank_colours:
            names = competitors.drop_duplicates("bank_code").set_index("bank_code")[f"bank_name_{lang}"]
            entries = [(maps.hex_colour(colour), names[bank]) for bank, colour in bank_colours.items()]
            legend_columns[1].markdown(
                maps.legend_html(t("legend_competitors"), entries, round_swatch=True), unsafe_allow_html=True
            )
        st.caption(t("map_geometry_note"))
with table_tab:
    table = outlets[["code", "label", "outlet_type", "status", f"parent_{lang}", "value", "lon", "lat"]].copy()
    table["outlet_type"] = table["outlet_type"].map(lambda v: t(f"outlet_type_{v}"))
    table["status"] = table["status"].map(lambda v: t(f"status_{v}"))
    table["value"] = table["value"].map(fmt)
    table.columns = [
        t("col_code"),
        t("col_name"),
        t("col_type"),
        t("col_status"),
        t("col_parent"),
        metric_label(colour_code),
        t("col_lon"),
        t("col_lat"),
    ]
    st.dataframe(table, hide_index=True, width="stretch")

# --- Drill-down ---------------------------------------------------------------------------
children = run_query(queries.kpi_by_child, unit["id"], month, tuple(CHILD_TABLE_CODES))
if not children.empty:
    children = children[children["status"] == "open"].reset_index(drop=True)
    st.subheader(t("overview_children_title", level=t(f"level_{children['level'].iloc[0]}")))
    st.caption(t("overview_children_help"))
    child_names = [labels.get(int(i), n) for i, n in zip(children["id"], children[f"name_{lang}"])]
    shown = pd.DataFrame({t("col_code"): children["code"], t("col_name"): child_names})
    for code in CHILD_TABLE_CODES:
        shown[metric_label(code)] = children.get(code, pd.Series(dtype=float)).map(
            lambda v, unit_name=BY_CODE[code].unit: format_value(v, unit_name, lang)
        )
    selection = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=f"children_{unit['id']}",
    )
    if selection.selection.rows:
        set_focus_unit(int(children.loc[selection.selection.rows[0], "id"]))
        st.rerun()

# --- Key customers --------------------------------------------------------------------------
with st.expander(t("overview_key_customers")):
    customers = run_query(queries.key_customers, unit["id"], 20, month)
    if customers.empty:
        st.info(t("overview_no_key_customers"))
    else:
        balance_month = customers["balance_month"].iloc[0]
        customers = pd.DataFrame(
            {
                t("col_customer_no"): customers["customer_no"],
                t("col_name"): customers["name"],
                t("col_kind"): customers["kind"].map(lambda v: t(f"customer_kind_{v}")),
                t("col_outlet"): customers["outlet_id"].map(unit_label_map()),
                t("col_aum"): customers["aum_rmb"].map(lambda v: format_value(v, "rmb", lang)),
            }
        )
        st.caption(t("overview_key_customers_month", month=f"{balance_month:%Y-%m}"))
        st.dataframe(customers, hide_index=True, width="stretch")
        if not scope.sees_personal_data:
            st.caption(t("masked_note"))

# --- How the numbers are computed -------------------------------------------------------------
with st.expander(t("how_computed")):
    st.markdown(t("how_computed_overview", month=month.strftime("%Y-%m")))
    for code in dict.fromkeys(HEADLINE_CODES + CHILD_TABLE_CODES + [colour_code]):
        metric = BY_CODE[code]
        description = metric.description_zh if lang == "zh" else metric.description_en
        st.markdown(f"- **{metric_label(code)}**: {description or t('how_base_metric')}")
