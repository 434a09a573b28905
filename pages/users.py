"""User administration (admin role): the list of users, a form to create one, and per-user
actions (reset password, role and scope, unlock, deactivate or reactivate).

Every change goes through ``data.users``, which checks in the database that the caller is an
admin, validates the input and writes the audit log. A refused request shows its translated
message and changes nothing. Nothing here is cached: the list is read fresh on every run.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from data import users as user_admin
from data.schema import ROLES
from data.users import UserAdminError
from ui.data_access import app_engine
from ui.format import MISSING
from ui.i18n import LANGUAGE_NAMES, LANGUAGES, name_of, t
from ui.page_entry import enter_through_app
from ui.session import current_user, end_session

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

CREATE_KEYS = (
    "users_new_username",
    "users_new_display_name",
    "users_new_password",
    "users_new_password_confirm",
    "users_new_role",
    "users_new_scope",
    "users_new_language",
)

engine = app_engine()
actor = current_user().username
now = dt.datetime.now()


def show_error(error: UserAdminError) -> None:
    st.error(t(error.key, **error.values))


def succeeded(key: str, **values) -> None:
    """Remember the success message for the next run and rerun, so the table shows the change."""
    st.session_state["users_flash"] = (key, values)
    st.rerun()


def format_time(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else MISSING


def is_locked(user: dict) -> bool:
    return user["locked_until"] is not None and user["locked_until"] > now


def role_label(role: str) -> str:
    return t(f"role_{role}")


# Select boxes get dicts' .get as format_func: labels fixed when the page renders.
role_labels = {role: role_label(role) for role in ROLES}


st.title(t("users_title"))
st.caption(t("users_caption"))
flash = st.session_state.pop("users_flash", None)
if flash:
    st.success(t(flash[0], **flash[1]))

try:
    users = user_admin.list_users(engine, actor)
    units = user_admin.scope_units(engine, actor)
except UserAdminError as error:
    show_error(error)
    st.stop()

unit_labels = {
    unit["id"]: f"{unit['code']} · {name_of(unit)} ({t('level_' + unit['level'])}"
    + (f", {t('status_' + unit['status'])})" if unit["status"] != "open" else ")")
    for unit in units
}
scope_options: list[int | None] = [None, *unit_labels]
scope_labels = {None: t("users_scope_none"), **unit_labels}


def user_scope_text(user: dict) -> str:
    if user["scope_unit_id"] is None:
        return MISSING
    return f"{user['scope_code']} · {name_of(user, 'scope_name')}"


# --- The list of users --------------------------------------------------------------------------
st.subheader(t("users_list_title"))
table = pd.DataFrame(
    {
        t("col_username"): [u["username"] for u in users],
        t("col_display_name"): [u["display_name"] for u in users],
        t("col_role"): [role_label(u["role"]) for u in users],
        t("col_scope_unit"): [user_scope_text(u) for u in users],
        t("col_language"): [LANGUAGE_NAMES.get(u["language"], u["language"]) for u in users],
        t("col_active"): [bool(u["is_active"]) for u in users],
        t("col_locked_until"): [format_time(u["locked_until"]) if is_locked(u) else MISSING for u in users],
        t("col_last_login"): [format_time(u["last_login_at"]) for u in users],
    }
)
st.dataframe(table, hide_index=True, width="stretch")

# --- Create a user ----------------------------------------------------------------------------
st.subheader(t("users_create_title"))
if st.session_state.pop("users_create_reset", False):
    for widget_key in CREATE_KEYS:  # an empty form after a success (before the widgets exist)
        st.session_state.pop(widget_key, None)
with st.form("users_create"):
    left, right = st.columns(2)
    new_username = left.text_input(t("users_field_username"), help=t("users_field_username_help"), key=CREATE_KEYS[0])
    new_display_name = right.text_input(t("users_field_display_name"), key=CREATE_KEYS[1])
    new_password = left.text_input(
        t("users_field_password"), type="password", help=t("users_field_password_help"), key=CREATE_KEYS[2]
    )
    new_confirm = right.text_input(t("users_field_password_confirm"), type="password", key=CREATE_KEYS[3])
    new_role = left.selectbox(t("users_field_role"), ROLES, format_func=role_labels.get, key=CREATE_KEYS[4])
    new_scope = right.selectbox(
        t("users_field_scope"),
        scope_options,
        format_func=scope_labels.get,
        help=t("users_field_scope_help"),
        key=CREATE_KEYS[5],
    )
    new_language = left.selectbox(
        t("users_field_language"), LANGUAGES, format_func=LANGUAGE_NAMES.get, key=CREATE_KEYS[6]
    )
    create = st.form_submit_button(t("users_create_submit"), type="primary")
if create:
    if new_password != new_confirm:
        st.error(t("users_err_password_mismatch"))
    else:
        try:
            user_admin.create_user(
                engine, actor, new_username, new_display_name, new_password, new_role, new_scope, new_language
            )
        except UserAdminError as error:
            show_error(error)
        else:
            st.session_state["users_create_reset"] = True
            succeeded("users_created", username=new_username.strip())

# --- Manage one user ----------------------------------------------------------------------------
st.subheader(t("users_actions_title"))
by_name = {u["username"]: u for u in users}
selected = st.selectbox(
    t("users_select_user"),
    list(by_name),
    format_func={name: f"{name} · {u['display_name']}" for name, u in by_name.items()}.get,
    key="users_selected",
)
user = by_name[selected]
uid = user["id"]
st.caption(
    t(
        "users_state_line",
        role=role_label(user["role"]),
        scope=user_scope_text(user),
        state=t("users_state_active") if user["is_active"] else t("users_state_inactive"),
    )
)
password_tab, role_tab, lock_tab, active_tab = st.tabs(
    [t("users_tab_password"), t("users_tab_role"), t("users_tab_lock"), t("users_tab_active")]
)

with password_tab:
    with st.form(f"users_reset_form_{uid}", clear_on_submit=True):
        password = st.text_input(
            t("users_field_new_password"),
            type="password",
            help=t("users_field_password_help"),
            key=f"users_reset_password_{uid}",
        )
        confirm = st.text_input(t("users_field_password_confirm"), type="password", key=f"users_reset_confirm_{uid}")
        reset = st.form_submit_button(t("users_reset_submit"))
    if reset:
        if password != confirm:
            st.error(t("users_err_password_mismatch"))
        else:
            try:
                user_admin.reset_password(engine, actor, user["username"], password)
            except UserAdminError as error:
                show_error(error)
            else:
                succeeded("users_password_reset_done", username=user["username"])

with role_tab:
    with st.form(f"users_role_form_{uid}"):
        role = st.selectbox(
            t("users_field_role"),
            ROLES,
            index=ROLES.index(user["role"]) if user["role"] in ROLES else 0,
            format_func=role_labels.get,
            key=f"users_role_{uid}",
        )
        scope = st.selectbox(
            t("users_field_scope"),
            scope_options,
            index=scope_options.index(user["scope_unit_id"]) if user["scope_unit_id"] in scope_options else 0,
            format_func=scope_labels.get,
            help=t("users_field_scope_help"),
            key=f"users_scope_{uid}",
        )
        change_role = st.form_submit_button(t("users_role_submit"))
    if change_role:
        try:
            user_admin.set_role(engine, actor, user["username"], role, scope)
        except UserAdminError as error:
            show_error(error)
        else:
            if user["username"] == actor and role != "admin":
                # No longer an admin: log in again to get the new role's pages.
                end_session("logout")
                st.session_state["flash"] = "users_own_role_changed"
                st.rerun()
            succeeded("users_role_changed", username=user["username"], role=role_label(role))

with lock_tab:
    if is_locked(user):
        st.warning(
            t("users_lock_state_locked", until=format_time(user["locked_until"]), failed=user["failed_attempts"])
        )
    else:
        st.info(t("users_lock_state_unlocked", failed=user["failed_attempts"]))
    with st.form(f"users_unlock_form_{uid}"):
        unlock = st.form_submit_button(t("users_unlock_submit"))
    if unlock:
        try:
            user_admin.unlock_user(engine, actor, user["username"])
        except UserAdminError as error:
            show_error(error)
        else:
            succeeded("users_unlocked", username=user["username"])

with active_tab:
    if user["is_active"]:
        with st.form(f"users_deactivate_form_{uid}"):
            confirmed = st.checkbox(
                t("users_deactivate_confirm", username=user["username"]), key=f"users_deactivate_confirm_{uid}"
            )
            deactivate = st.form_submit_button(t("users_deactivate_submit"))
        if deactivate:
            if not confirmed:
                st.error(t("users_err_confirm_required"))
            else:
                try:
                    user_admin.deactivate_user(engine, actor, user["username"])
                except UserAdminError as error:
                    show_error(error)
                else:
                    succeeded("users_deactivated", username=user["username"])
    else:
        st.info(t("users_reactivate_note"))
        with st.form(f"users_reactivate_form_{uid}"):
            reactivate = st.form_submit_button(t("users_reactivate_submit"))
        if reactivate:
            try:
                user_admin.reactivate_user(engine, actor, user["username"])
            except UserAdminError as error:
                show_error(error)
            else:
                succeeded("users_reactivated", username=user["username"])
