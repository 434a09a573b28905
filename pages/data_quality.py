"""Data quality (数据质量) for data stewards and administrators: how complete each monthly
extract is by outlet and month (months with no file at all, open outlets without a file), the
share of empty values in the key optional columns, customers without accounts and accounts
without customers, and where every table's rows come from.

Counts from ``data.queries_data_quality`` (scoped to the sidebar unit); coverage and rates from
``analytics.data_quality``.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.data_quality import completeness_by_month, coverage, coverage_summary, null_rates
from data import queries_data_quality as quality
from data.importer.spec import KINDS
from data.provenance import TABLE_ORIGINS
from ui.cards import metric_cards
from ui.charts import style_month_axis
from ui.data_access import run_query
from ui.excel import frames_to_xlsx
from ui.format import MISSING, format_count, format_ratio
from ui.i18n import current_language, t
from ui.labels import unit_label_map
from ui.page_entry import enter_through_app
from ui.sidebar import focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

SOURCES = list(quality.MONTHLY_SOURCES)
lang = current_language()
unit = focus_unit()


def source_title(source: str) -> str:
    """The import kind's title in the session language."""
    kind = KINDS[source]
    return kind.title_zh if lang == "zh" else kind.title_en


def loaded_counts(column: str) -> list[str]:
    """A summary column's counts with thousands separators, "—" for the sources not loaded."""
    return [
        format_count(value, lang) if pd.notna(first) else MISSING
        for value, first in zip(summary[column], summary["first_month"])
    ]


def month_text(month) -> str:
    return MISSING if month is None or pd.isna(month) else month.strftime("%Y-%m")


st.title(t("dq_title"))
st.caption(t("dq_caption"))

table = coverage(
    run_query(quality.quality_extract_rows, unit["id"]), run_query(quality.quality_outlets, unit["id"]), SOURCES
)
summary = coverage_summary(table, SOURCES)
unmatched = run_query(quality.quality_unmatched, unit["id"])
loaded = summary[summary["outlet_months_expected"] > 0]
expected, present = loaded["outlet_months_expected"].sum(), loaded["outlet_months_present"].sum()
metric_cards(
    [
        (t("dq_card_sources"), f"{len(loaded)} / {len(SOURCES)}"),
        (t("dq_card_completeness"), format_ratio(present / expected) if expected else MISSING),
        (t("dq_card_outlets_missing"), format_count(loaded["outlets_missing_last_month"].sum(), lang)),
        (t("dq_card_customers_without_accounts"), format_count(unmatched["customers_without_accounts"], lang)),
        (t("dq_card_accounts_without_customers"), format_count(unmatched["accounts_without_customers"], lang)),
    ],
    key="dq_cards",
)

st.subheader(t("dq_coverage_title"))
shown = pd.DataFrame(
    {
        t("dq_col_source"): [source_title(s) for s in summary["source"]],
        t("dq_col_first_month"): [month_text(m) for m in summary["first_month"]],
        t("dq_col_last_month"): [month_text(m) for m in summary["last_month"]],
        t("dq_col_months_missing"): loaded_counts("months_missing"),
        t("dq_col_expected"): loaded_counts("outlet_months_expected"),
        t("dq_col_present"): loaded_counts("outlet_months_present"),
        t("dq_col_completeness"): [None if pd.isna(v) else v * 100 for v in summary["completeness"]],
        t("dq_col_missing_last"): loaded_counts("outlets_missing_last_month"),
    }
)
st.dataframe(
    shown,
    hide_index=True,
    use_container_width=True,
    column_config={
        t("dq_col_completeness"): st.column_config.ProgressColumn(format="%.1f%%", min_value=0, max_value=100)
    },
)
if loaded.empty:
    st.info(t("dq_nothing_loaded"))
else:
    by_month = completeness_by_month(table)
    figure = go.Figure()
    for source, rows in by_month.groupby("source"):
        figure.add_trace(
            go.Scatter(
                x=pd.to_datetime(rows["month"]),
                y=rows["present"] * 100,
                mode="lines+markers",
                name=source_title(source),
                hovertemplate="%{y:.1f}%<extra>" + source_title(source) + "</extra>",
            )
        )
    figure.update_layout(
        title=t("dq_chart_title"),
        yaxis_title=t("dq_chart_y"),
        yaxis_range=[0, 105],
        legend_title_text=t("dq_col_source"),
        height=380,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    style_month_axis(figure)
    st.plotly_chart(figure, use_container_width=True)

    st.subheader(t("dq_gaps_title"))
    labels = unit_label_map()
    gaps = table[table["missing"]].copy()
    source = st.selectbox(t("dq_col_source"), list(loaded["source"]), format_func=source_title, key="dq_source")
    months = sorted(gaps.loc[gaps["source"] == source, "month"].unique(), reverse=True)
    if not months:
        st.success(t("dq_no_gaps", source=source_title(source)))
    else:
        month = st.selectbox(t("dq_month"), months, format_func=month_text, key="dq_gap_month")
        missing = gaps[(gaps["source"] == source) & (gaps["month"] == month)]
        st.caption(t("dq_gaps_caption", count=len(missing), month=month_text(month)))
        st.dataframe(
            pd.DataFrame({t("dq_col_outlet"): [labels.get(int(o), str(o)) for o in missing["outlet_id"]]}),
            hide_index=True,
            use_container_width=True,
        )
    all_gaps = pd.DataFrame(
        {
            t("dq_col_source"): [source_title(s) for s in gaps["source"]],
            t("dq_month"): [month_text(m) for m in gaps["month"]],
            t("dq_col_outlet"): [labels.get(int(o), str(o)) for o in gaps["outlet_id"]],
        }
    )
    st.download_button(
        t("dq_download"),
        frames_to_xlsx({t("dq_coverage_title"): shown, t("dq_gaps_title"): all_gaps}),
        file_name="data_quality.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="dq_download",
    )

st.subheader(t("dq_empty_title"))
empty = null_rates(run_query(quality.quality_empty_values, unit["id"]))
empty = empty[empty["rows"] > 0]
if empty.empty:
    st.info(t("dq_empty_none"))
else:
    st.dataframe(
        pd.DataFrame(
            {
                t("dq_col_table"): [source_title(name) for name in empty["table"]],
                t("dq_col_column"): [t(f"dq_column_{column}") for column in empty["column"]],
                t("dq_col_rows"): empty["rows"],
                t("dq_col_empty"): empty["empty"],
                t("dq_col_empty_rate"): empty["empty_rate"] * 100,
            }
        ),
        hide_index=True,
        use_container_width=True,
        column_config={
            t("dq_col_empty_rate"): st.column_config.ProgressColumn(format="%.1f%%", min_value=0, max_value=100)
        },
    )
st.caption(
    t(
        "dq_unmatched_caption",
        customers=format_count(unmatched["customers"], lang),
        accounts=format_count(unmatched["accounts"], lang),
    )
)

with st.expander(t("dq_origins_title")):
    origins = [(kind.table.name, t("dq_origin_import", kind=source_title(name))) for name, kind in KINDS.items()]
    origins += [
        (name, provenance.how_zh if lang == "zh" else provenance.how_en)
        for name, (_, provenance) in TABLE_ORIGINS.items()
    ]
    st.dataframe(
        pd.DataFrame(origins, columns=[t("dq_col_table"), t("dq_col_origin")]),
        hide_index=True,
        use_container_width=True,
    )
