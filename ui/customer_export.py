"""The one download button of the customer pages: every Excel export of customer data (lists,
segments, lifetime values, structure tables, complaint logs) writes an audit line when clicked.

The audit line (action ``customer_export``, written by ``data.contacts.audit_export``) names the
user, which export (``what``: the page and table), how many rows it held, whether personal data
was masked (the role's policy) and the root unit of the user's scope. A test checks that the
customer pages call no ``st.download_button`` of their own.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from data.contacts import audit_export
from ui.data_access import app_engine
from ui.session import current_scope

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def customer_download_button(
    label: str,
    data: bytes | Callable[[], bytes],
    *,
    file_name: str,
    key: str,
    what: str,
    rows: int,
    mime: str = XLSX_MIME,
    icon: str | None = ":material/download:",
    container=st,
) -> bool:
    """``st.download_button`` (on ``container``: ``st`` or a column) for an export of customer
    data that writes its ``customer_export`` audit line when clicked: ``what`` the export's name,
    ``rows`` the number of data rows it holds. ``data`` may be a function (built when clicked)."""
    scope = current_scope()
    return container.download_button(
        label,
        data,
        file_name=file_name,
        mime=mime,
        key=key,
        icon=icon,
        on_click=audit_export,
        args=(app_engine(), scope, what, int(rows), not scope.sees_personal_data),
    )
