"""Data import (数据导入) for data stewards and administrators: templates, upload with row-level
validation (optionally as a correction that restates rows loaded earlier), staged batch preview,
confirm (an account extract may be marked complete for its outlets and months) or delete, and the
import history with which batch restated which; a warning lists the drop-folder deliveries that
failed in the last 7 days (``data.import_watch_log``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from config.import_texts import import_message
from data.accounts import mark_complete
from data.import_watch_log import drop_folder_failures
from data.importer import KINDS, BatchError, confirm, delete, history, preview, stage
from data.importer.report import error_report_xlsx, preview_table
from data.importer.spec import ACCOUNT_KINDS
from data.importer.templates import NOTES_HEADERS, column_notes, template_csv, template_xlsx
from ui.data_access import app_engine, dataset_info
from ui.i18n import current_language, t
from ui.page_entry import enter_through_app
from ui.session import current_scope, current_user

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

SHOWN_ERRORS = 200
FAILURE_DAYS = 7  # how long a failed drop-folder delivery is shown
lang = current_language()
user = current_user()
engine = app_engine()


def message(key: str, params: dict) -> str:
    return import_message(key, lang, **params)


def is_account_extract(kind_name: str) -> bool:
    """Kinds whose confirmed batch may be marked complete for its outlets and months."""
    return kind_name in {kind.name for kind in ACCOUNT_KINDS} or kind_name.endswith(("_deposits", "_loans"))


def after_change(text: str) -> None:
    """Data changed: refresh the data version the caches are keyed on and say what happened."""
    dataset_info.clear()
    st.session_state["import_flash"] = text


def show_result(result) -> None:
    if result.file_error is not None:
        st.error(message(result.file_error.key, result.file_error.params))
        return
    if not result.ok:
        st.error(t("import_rejected_summary", errors=f"{result.error_count:,}", rows=f"{result.rows:,}"))
        errors = pd.DataFrame(
            {
                t("import_error_line"): [e.row for e in result.errors[:SHOWN_ERRORS]],
                t("import_error_column"): [result.column_label(e.column) for e in result.errors[:SHOWN_ERRORS]],
                t("import_error_value"): [e.value for e in result.errors[:SHOWN_ERRORS]],
                t("import_error_problem"): [message(e.key, e.params) for e in result.errors[:SHOWN_ERRORS]],
            }
        )
        st.dataframe(errors, hide_index=True, width="stretch")
        st.download_button(
            t("import_error_report"),
            error_report_xlsx(result.errors, lang, result.headers),
            file_name="import_errors.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        return
    st.success(t("import_staged_summary", batch=result.batch_id, rows=f"{result.rows:,}"))
    if result.restates:
        restated = f"{result.restated:,}"
        st.info(t("import_restated_rows", rows=restated) if result.restated else t("import_restate_no_rows"))
    st.caption(t("import_preview"))
    staged = preview_table(preview(engine, result.batch_id), KINDS[result.kind], lang)
    st.dataframe(staged, hide_index=True, width="stretch")
    complete = False
    if is_account_extract(result.kind):
        complete = st.checkbox(
            t("import_extract_complete_check"), help=t("import_extract_complete_help"), key="import_extract_complete"
        )
    left, right = st.columns(2)
    if left.button(t("import_confirm"), type="primary", key="import_confirm_staged"):
        summary = None
        if result.restates and result.restated:
            summary = ("import_confirmed_restated_summary", {"restated": f"{result.restated:,}"})
        run_action(confirm, result.batch_id, "import_confirmed_summary", summary, mark=complete)
    if right.button(t("import_delete"), key="import_delete_staged"):
        run_action(delete, result.batch_id, "import_deleted_summary")


def run_action(action, batch_id: int, summary_key: str, summary=None, mark: bool = False) -> None:
    """Confirm or delete a batch and say what happened; ``summary`` = (key, extra parameters)
    replaces ``summary_key``; ``mark``: after the confirm, mark the account extract complete
    (a refusal of the mark is shown; the confirm stands)."""
    try:
        rows = action(engine, batch_id, user.username)
    except BatchError as error:
        st.error(message(error.key, error.params))
        return
    if mark:
        try:
            mark_complete(engine, batch_id, user.username)
        except BatchError as error:
            st.session_state["import_flash_error"] = message(error.key, error.params)
    st.session_state.pop("import_result", None)
    key, extra = summary or (summary_key, {})
    after_change(t(key, batch=batch_id, rows=f"{rows:,}", **extra))
    st.rerun()


st.title(t("import_title"))
st.caption(t("import_caption"))
flash = st.session_state.pop("import_flash", None)
if flash:
    st.success(flash)
flash_error = st.session_state.pop("import_flash_error", None)
if flash_error:
    st.error(flash_error)

failures = drop_folder_failures(engine, current_scope(), days=FAILURE_DAYS)
if not failures.empty:
    lines = [t("import_watch_failures_title", days=FAILURE_DAYS, count=len(failures))]
    for row in failures.itertuples():
        errors = " · ".join(row.errors) or "—"
        lines.append(
            f"- {t('import_watch_failure_line', at=f'{row.at:%Y-%m-%d %H:%M}', folder=row.folder, errors=errors)}"
        )
    st.warning("\n".join(lines))

upload_tab, history_tab = st.tabs([t("import_tab_upload"), t("import_tab_history")])

with upload_tab:
    titles = {name: kind.title_zh if lang == "zh" else kind.title_en for name, kind in KINDS.items()}
    kind_name = st.selectbox(t("import_kind"), list(KINDS), format_func=titles.get, key="import_kind")
    kind = KINDS[kind_name]
    with st.expander(t("import_columns_title")):
        notes = pd.DataFrame(column_notes(kind, lang), columns=NOTES_HEADERS[lang])
        st.dataframe(notes, hide_index=True, width="stretch")
        buttons = st.columns(3)
        buttons[0].download_button(
            t("import_template_csv_en"), template_csv(kind, "en"), f"{kind_name}.csv", "text/csv"
        )
        buttons[1].download_button(
            t("import_template_csv_zh"), template_csv(kind, "zh"), f"{kind_name}_zh.csv", "text/csv"
        )
        buttons[2].download_button(
            t("import_template_xlsx"),
            template_xlsx(kind),
            f"{kind_name}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    upload = st.file_uploader(t("import_file"), type=["csv", "xlsx"], key="import_file")
    restate = st.checkbox(t("import_restate_check"), help=t("import_restate_help"), key="import_restate")
    if restate:
        st.caption(t("import_restate_help"))
    if upload is not None and st.button(t("import_validate"), type="primary", key="import_validate"):
        content = upload.getvalue()
        expected_rows = max(content.count(b"\n") - 1, 1)
        bar = st.progress(0.0)

        def progress(rows: int) -> None:
            bar.progress(min(rows / expected_rows, 1.0), text=t("import_rows_read", rows=f"{rows:,}"))

        try:
            st.session_state["import_result"] = stage(
                engine, kind_name, content, upload.name, user.username, progress, restate=restate
            )
        except BatchError as error:
            st.session_state.pop("import_result", None)
            st.error(message(error.key, error.params))
        bar.empty()
    result = st.session_state.get("import_result")
    if result is not None:
        show_result(result)

with history_tab:
    batches = history(engine)
    if batches.empty:
        st.info(t("import_history_empty"))
    else:
        mark = t("import_restating_mark")
        table = batches.assign(
            kind=[titles.get(k, k) + (mark if r else "") for k, r in zip(batches["kind"], batches["restating"])],
            status=batches["status"].map(lambda s: t(f"import_status_{s}")),
        )[["id", "kind", "file_name", "uploaded_by", "uploaded_at", "status", "rows", "restates", "superseded_by"]]
        names = ("id", "kind", "file", "by", "at", "status", "rows", "restates", "superseded_by")
        table.columns = [t(f"import_col_{c}") for c in names]
        st.dataframe(table, hide_index=True, width="stretch")
        open_batches = batches[batches["status"].isin(["staged", "confirmed"])]
        if not open_batches.empty:
            labels = {
                row.id: " · ".join(
                    [str(row.id), titles.get(row.kind, row.kind), row.file_name, t(f"import_status_{row.status}")]
                )
                for row in open_batches.itertuples()
            }
            batch_id = st.selectbox(t("import_batch_pick"), list(labels), format_func=labels.get, key="import_batch")
            status = open_batches.set_index("id").at[batch_id, "status"]
            picked_kind = open_batches.set_index("id").at[batch_id, "kind"]
            complete = False
            if status == "staged" and is_account_extract(picked_kind):
                complete = st.checkbox(
                    t("import_extract_complete_check"),
                    help=t("import_extract_complete_help"),
                    key="import_extract_complete_history",
                )
            left, right = st.columns(2)
            if status == "staged" and left.button(t("import_confirm"), key="import_confirm_history"):
                run_action(confirm, batch_id, "import_confirmed_summary", mark=complete)
            sure = right.checkbox(t("import_delete_check"), key="import_delete_sure")
            if right.button(t("import_delete"), disabled=not sure, key="import_delete_history"):
                run_action(delete, batch_id, "import_deleted_summary")
