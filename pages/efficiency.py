"""Efficiency (DEA): data envelopment analysis of the outlets on user-chosen inputs and outputs,
CCR or BCC, input or output oriented: scores, reference peers with λ weights, improvement targets
(radial + slacks) phrased as "to reach the frontier, this outlet should …", and the
super-efficiency ranking of the efficient outlets.

Data from ``data.queries_comparison.dea_matrix`` (scoped, aggregated in SQL); all maths in
``analytics.dea``.
"""

from __future__ import annotations

import warnings

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.dea import DEASampleSizeWarning, dea, improvement_targets, super_efficiency, too_few_units
from config.metrics import BY_CODE
from data import queries
from data import queries_comparison as qc
from ui.cards import card_grid
from ui.data_access import run_query
from ui.excel import frames_to_xlsx
from ui.format import MISSING, format_count, format_money, format_ratio, format_value
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.page_entry import enter_through_app
from ui.sidebar import focus_unit, month_with_data

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

DEFAULT_INPUTS = ("staff", "counters", "operating_cost")
DEFAULT_OUTPUTS = ("deposits_total", "loans_total", "fee_income_total")
INPUT_UNITS = {name: unit for name, (_, unit) in qc.DEA_ATTRIBUTE_INPUTS.items()} | {"operating_cost": "rmb"}


@st.cache_data(show_spinner=False, max_entries=32)
def solve(inputs: pd.DataFrame, outputs: pd.DataFrame, model: str, orientation: str):
    """DEA scores, improvement targets and super-efficiency for one matrix (cached)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DEASampleSizeWarning)
        result = dea(inputs, outputs, model, orientation)
        supers = super_efficiency(inputs, outputs, model, orientation)
    return result, improvement_targets(result, inputs, outputs), supers


lang = current_language()
unit = focus_unit()
st.title(t("dea_title"))
months = run_query(queries.kpi_months, unit["id"])
month = month_with_data(months)
if month is None:
    st.info(t("rank_no_outlets"))
    st.stop()

input_names = {n: t(f"dea_input_{n}") for n in (*qc.DEA_ATTRIBUTE_INPUTS, *qc.DEA_KPI_INPUTS)}
output_names = {c: (BY_CODE[c].name_zh if lang == "zh" else BY_CODE[c].name_en) for c in qc.DEA_OUTPUTS}
variable_names = input_names | output_names
period_names = {k: t(f"rank_period_{k}") for k in qc.PERIOD_KINDS}

controls = st.columns([3, 3])
st.session_state.setdefault("dea_inputs", list(DEFAULT_INPUTS))
st.session_state.setdefault("dea_outputs", list(DEFAULT_OUTPUTS))
chosen_inputs = controls[0].multiselect(
    t("dea_inputs"), list(input_names), format_func=input_names.get, key="dea_inputs", placeholder=t("widget_choose")
)
chosen_outputs = controls[1].multiselect(
    t("dea_outputs"),
    list(output_names),
    format_func=output_names.get,
    key="dea_outputs",
    placeholder=t("widget_choose"),
)
options = st.columns(3)
model = options[0].radio(
    t("dea_model"), ("ccr", "bcc"), format_func={m: t(f"dea_model_{m}") for m in ("ccr", "bcc")}.get, key="dea_model"
)
orientation = options[1].radio(
    t("dea_orientation"),
    ("input", "output"),
    format_func={o: t(f"dea_orientation_{o}") for o in ("input", "output")}.get,
    key="dea_orientation",
)
st.session_state.setdefault("dea_period", "last12")
kind = options[2].selectbox(t("rank_period"), qc.PERIOD_KINDS, format_func=period_names.get, key="dea_period")
st.caption(f"{name_of(unit)} · {period_names[kind]} · {month:%Y-%m}")
if not chosen_inputs or not chosen_outputs:
    st.info(t("dea_need_variables"))
    st.stop()

matrix = run_query(qc.dea_matrix, unit["id"], month, kind, tuple(chosen_inputs), tuple(chosen_outputs))
variables = [*chosen_inputs, *chosen_outputs]
values = matrix[variables]
complete = values.notna().all(axis=1) & (values > 0).all(axis=1)
excluded = matrix[~complete]
if not excluded.empty:
    st.warning(
        t(
            "dea_excluded",
            count=len(excluded),
            names=("、" if lang == "zh" else ", ").join(
                unit_label_map().get(int(i), n) for i, n in zip(excluded["id"], excluded[f"name_{lang}"])
            ),
        )
    )
data = matrix[complete].set_index("id")
if len(data) < 2:
    st.error(t("dea_need_two"))
    st.stop()
if too_few_units(len(data), len(chosen_inputs), len(chosen_outputs)):
    st.warning(t("dea_too_few", n=len(data), minimum=3 * (len(chosen_inputs) + len(chosen_outputs))))
unit_labels = unit_label_map()
# Outlets are keyed on their id and shown by a label that tells outlets of one name apart.
names = {int(i): unit_labels.get(int(i), n) for i, n in data[f"name_{lang}"].items()}
with st.spinner(t("loading")):
    try:
        result, targets, supers = solve(data[chosen_inputs], data[chosen_outputs], model, orientation)
    except (ValueError, RuntimeError) as error:
        st.error(t("dea_error", reason=str(error)))
        st.stop()


def show(variable: str, value) -> str:
    unit_name = INPUT_UNITS.get(variable) or BY_CODE[variable].unit
    if pd.isna(value):
        return MISSING
    if unit_name == "rmb":
        return format_money(float(value), lang)
    if unit_name == "m2":
        return f"{value:,.0f} m²"
    return (
        format_value(float(value), unit_name, lang) if unit_name in ("ratio", "minutes") else format_count(value, lang)
    )


def score(value) -> str:
    return MISSING if pd.isna(value) else f"{value:.3f}"


efficient = result["efficient"]
headline = [
    (t("dea_metric_units"), format_count(len(result), lang)),
    (t("dea_metric_efficient"), format_count(int(efficient.sum()), lang)),
    (t("dea_metric_mean"), score(result["efficiency"].mean())),
    (t("dea_metric_median"), score(result["efficiency"].median())),
]
for card, (label, value) in zip(card_grid("dea_cards", len(headline)), headline):
    with card:
        st.metric(label, value)

ordered = result.sort_values("efficiency")
figure = go.Figure(
    go.Bar(
        y=[names[i] for i in ordered.index],
        x=ordered["efficiency"],
        orientation="h",
        marker_color=["#1a9850" if e else "#2c7fb8" for e in ordered["efficient"]],
        hovertemplate="%{y}: %{x:.3f}<extra></extra>",
    )
)
figure.add_vline(
    x=1.0,
    line_dash="dot",
    line_color="#1a9850",
    annotation_text=t("dea_series_efficient"),
    annotation_position="top",  # above the plot, never across the bars
)
figure.update_layout(
    title={
        "text": t("dea_scores_chart", model=t(f"dea_model_{model}"), orientation=t(f"dea_orientation_{orientation}"))
    },
    xaxis={"title": t("dea_axis_efficiency"), "range": [0, 1.05]},
    yaxis_title=t("rank_col_outlet"),
    height=max(320, 22 * len(ordered) + 140),
    margin={"t": 80},
)
st.plotly_chart(figure, key="dea_scores_chart")


def peer_text(lambdas: dict) -> str:
    return (
        "、".join(f"{names[p]} ({w:.2f})" for p, w in lambdas.items())
        if lang == "zh"
        else ", ".join(f"{names[p]} ({w:.2f})" for p, w in lambdas.items())
    )


super_rank = supers.where(result["efficient"]).rank(ascending=False, method="min")
table = pd.DataFrame(
    {
        t("rank_col_outlet"): [names[i] for i in result.index],
        t("col_type"): [t(f"outlet_type_{data.loc[i, 'outlet_type']}") for i in result.index],
        t("dea_col_efficiency"): result["efficiency"].map(score),
        t("dea_col_efficient"): result["efficient"].map(lambda e: t("dea_yes") if e else t("dea_no")),
        t("dea_col_peers"): [
            MISSING if e else peer_text(lam) for e, lam in zip(result["efficient"], result["lambdas"])
        ],
        t("dea_col_super"): supers.map(score),
    }
)
st.dataframe(table, hide_index=True, width="stretch", key="dea_table")

# --- Improvement targets --------------------------------------------------------------------------
st.subheader(t("dea_targets_title"))
inefficient = [i for i in result.sort_values("efficiency").index if not result.loc[i, "efficient"]]
choices = inefficient or list(result.index)
if st.session_state.get("dea_target_outlet") not in choices:
    st.session_state["dea_target_outlet"] = choices[0]
subject = st.selectbox(
    t("dea_target_outlet"), choices, format_func={i: names[i] for i in choices}.get, key="dea_target_outlet"
)
rows = targets[targets["unit"] == subject]
if result.loc[subject, "efficient"] or rows.empty:
    st.success(t("dea_target_efficient", outlet=names[subject]))
else:
    lines = [t("dea_target_intro", outlet=names[subject], score=score(result.loc[subject, "efficiency"]))]
    for row in rows.itertuples():
        lines.append(
            "- "
            + t(
                "dea_target_reduce" if row.change < 0 else "dea_target_raise",
                variable=variable_names[row.variable],
                actual=show(row.variable, row.actual),
                target=show(row.variable, row.target),
                relative=("+" if row.relative > 0 else "") + format_ratio(row.relative),
                radial=show(row.variable, abs(row.radial)),
                slack=show(row.variable, abs(row.slack)),
            )
        )
    lines.append(t("dea_target_peers", peers=peer_text(result.loc[subject, "lambdas"])))
    st.markdown("\n".join(lines))

with st.expander(t("dea_targets_table")):
    target_table = pd.DataFrame(
        {
            t("rank_col_outlet"): targets["unit"].map(names),
            t("dea_col_variable"): targets["variable"].map(variable_names),
            t("dea_col_kind"): targets["kind"].map(lambda k: t(f"dea_kind_{k}")),
            t("dea_col_actual"): [show(v, a) for v, a in zip(targets["variable"], targets["actual"])],
            t("dea_col_target"): [show(v, a) for v, a in zip(targets["variable"], targets["target"])],
            t("dea_col_relative"): targets["relative"].map(lambda r: ("+" if r > 0 else "") + format_ratio(r)),
        }
    )
    st.dataframe(target_table, hide_index=True, width="stretch", key="dea_targets_table")

# --- Super-efficiency ranking -----------------------------------------------------------------------
st.subheader(t("dea_super_title"))
ranked = supers[result["efficient"]].sort_values(ascending=False, na_position="last")
if ranked.empty:
    st.info(t("dea_none_efficient"))
else:
    st.dataframe(
        pd.DataFrame(
            {
                t("dea_col_super_rank"): super_rank[ranked.index].map(lambda r: MISSING if pd.isna(r) else str(int(r))),
                t("rank_col_outlet"): [names[i] for i in ranked.index],
                t("dea_col_super"): ranked.map(score),
            }
        ),
        hide_index=True,
        width="stretch",
        key="dea_super_table",
    )
st.caption(t("dea_super_note"))

export = pd.DataFrame({"code": data["code"], "outlet": [names[int(i)] for i in data.index]}, index=data.index)
export = export.join(data[variables]).join(result[["efficiency", "efficient"]]).join(supers)
export["peers"] = [peer_text(lam) for lam in result["lambdas"]]
st.download_button(
    t("dea_download"),
    frames_to_xlsx(
        {
            t("dea_title")[:31]: export.reset_index(drop=True),
            t("dea_targets_title"): targets.assign(unit=targets["unit"].map(names)),
        }
    ),
    file_name=f"dea_{model}_{orientation}_{month:%Y%m}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="dea_download",
)
with st.expander(t("how_computed")):
    st.markdown(t("dea_how_computed"))
