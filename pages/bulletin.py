"""Results bulletin (简报): one click produces the monthly bulletin of the selected unit as an A4
PDF and as an Excel workbook, in Chinese or English: headline figures, target completion, the
outlet ranking with movement, biggest movers, units compared, outlets behind target and alerts.

Figures come from the scoped queries; completion and movers from ``analytics.bulletin``; the
layout from ``reports.bulletin``. Alerts are what the alert rules (Alerts page) find in the month,
with their status where they have been filed; resolved ones are left out.
"""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from config.metrics import BY_CODE
from config.settings import load_settings
from data import queries
from reports.bulletin import (
    BulletinData,
    BulletinFontError,
    alert_rows,
    bulletin_pdf,
    bulletin_xlsx,
    collect_bulletin,
    headline_table,
    league_display,
)
from ui.data_access import app_engine, dataset_info, run_query
from ui.i18n import LANGUAGE_NAMES, LANGUAGES, current_language, name_of, t
from ui.page_entry import enter_through_app
from ui.sidebar import focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

try:  # the alert rules of the performance pages; the bulletin works without them
    from data.queries_performance import alert_findings, alert_list, alert_settings
except ImportError:  # pragma: no cover - only while that module is missing
    alert_findings = alert_list = alert_settings = None

RANKING_CODES = ("deposits_total", "loans_total", "fee_income_total", "operating_income", "customers_active")

lang = current_language()
unit = focus_unit()
st.title(t("bulletin_title"))
st.caption(t("bulletin_intro"))
months = run_query(queries.kpi_months, unit["id"])
month = st.session_state.get("month")
if not months or month not in months:
    month = months[0] if months else None
if month is None:
    st.info(t("rank_no_outlets"))
    st.stop()

controls = st.columns([1, 2, 2])
st.session_state.setdefault("bulletin_language", lang)
bulletin_lang = controls[0].selectbox(
    t("bulletin_language"), LANGUAGES, format_func=LANGUAGE_NAMES.get, key="bulletin_language"
)
metric_names = {c: (BY_CODE[c].name_zh if lang == "zh" else BY_CODE[c].name_en) for c in RANKING_CODES}
ranking_code = controls[1].selectbox(
    t("bulletin_ranking_metric"), RANKING_CODES, format_func=metric_names.get, key="bulletin_ranking_metric"
)
st.caption(f"{name_of(unit)} · {month:%Y-%m}")


def alerts_for(unit_id: int, in_lang: str, labels: pd.DataFrame) -> pd.DataFrame | None:
    """What the alert rules find in the month (as on the Alerts and My outlet pages) with their
    filed status, resolved ones left out; None when the rules are not available."""
    if alert_findings is None:
        return None
    engine, scope = app_engine(), st.session_state["scope"]
    settings = alert_settings(engine, scope, unit_id)
    findings = run_query(alert_findings, unit_id, month, tuple(sorted(settings.items())))
    filed = alert_list(engine, scope, unit_id, month)  # not cached: statuses change while one looks
    return alert_rows(findings, filed, in_lang, labels)


def gather(in_lang: str) -> BulletinData:
    """Read everything the bulletin shows, within the user's scope."""
    synthetic = dataset_info(load_settings().database_url).get("synthetic") == "true"
    root = st.session_state["scope"].root_unit_id  # outlets labelled as on every other page
    data = collect_bulletin(run_query, unit, month, in_lang, ranking_code, synthetic, label_root=root)
    data.alerts = alerts_for(unit["id"], in_lang, data.labels)
    return data


request = (unit["id"], month, bulletin_lang, ranking_code)
if st.button(t("bulletin_generate"), type="primary", key="bulletin_generate"):
    started = time.perf_counter()
    with st.spinner(t("loading")):
        data = gather(bulletin_lang)
        if data.headline["value"].isna().all():
            st.error(t("bulletin_no_data", month=f"{month:%Y-%m}"))
            st.stop()
        files = {"xlsx": bulletin_xlsx(data), "pdf": None, "error": None}
        try:
            files["pdf"] = bulletin_pdf(data)
        except BulletinFontError as error:
            files["error"] = error.key
    files["seconds"] = time.perf_counter() - started
    st.session_state["bulletin_files"] = (request, files, data)

stored = st.session_state.get("bulletin_files")
if stored is not None and stored[0] == request:
    _, files, data = stored
    st.success(t("bulletin_ready", seconds=f"{files['seconds']:.1f}"))
    if files["error"]:
        st.error(t(files["error"]))
    buttons = st.columns(2)
    stem = f"bulletin_{unit['code']}_{month:%Y%m}_{bulletin_lang}"
    if files["pdf"] is not None:
        buttons[0].download_button(
            t("bulletin_download_pdf"),
            files["pdf"],
            file_name=f"{stem}.pdf",
            mime="application/pdf",
            key="bulletin_pdf",
        )
    buttons[1].download_button(
        t("bulletin_download_xlsx"),
        files["xlsx"],
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="bulletin_xlsx",
    )
    with st.expander(t("bulletin_preview"), expanded=True):
        st.dataframe(headline_table(data), hide_index=True, width="stretch", key="bulletin_preview_headline")
        st.dataframe(league_display(data), hide_index=True, width="stretch", key="bulletin_preview_league")
        if data.alerts is None:
            st.caption(t("bulletin_alerts_unavailable"))
