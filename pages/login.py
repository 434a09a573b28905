"""Log-in screen: single sign-on through the bank's identity provider when configured, and the
user name and password form when local passwords are on, with a clear message for every way
either can fail."""

from __future__ import annotations

import streamlit as st

from config.settings import load_settings
from data.auth import PASSWORD_MAX_BYTES, LoginStatus, authenticate
from ui.data_access import app_engine, dataset_info
from ui.i18n import t
from ui.page_entry import enter_through_app
from ui.session import start_session
from ui.sidebar import render_language_switch
from ui.sso import passwords_offered, render_sso_login, sso_configured

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

settings = load_settings()
render_language_switch()

st.title(t("app_title"))
st.caption(t("app_tagline"))
with_sso, with_passwords = sso_configured(), passwords_offered(settings)
if with_passwords and dataset_info(settings.database_url).get("synthetic") == "true":
    st.info(t("login_demo_hint"))

flash = st.session_state.pop("flash", None)
if flash:
    st.warning(t(flash))


def _password_form(primary: bool) -> None:
    """User name and password; the button is the page's primary one unless single sign-on is shown."""
    with st.form("login"):
        username = st.text_input(t("login_username"), key="login_username")
        password = st.text_input(t("login_password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("login_submit"), type="primary" if primary else "secondary")
    if not submitted:
        return
    if not username.strip() or not password:
        st.error(t("login_missing"))
        return
    result = authenticate(app_engine(), username, password, settings.max_failed_logins, settings.lockout_minutes)
    if result.status is LoginStatus.OK:
        start_session(result.user)
        st.rerun()  # the same address now runs the page it names (or the role's home page)
    elif result.status is LoginStatus.INACTIVE:
        st.error(t("login_inactive"))  # only ever said after the right password
    elif result.status is LoginStatus.PASSWORD_TOO_LONG:
        st.error(t("login_password_too_long", max_bytes=PASSWORD_MAX_BYTES))
    else:
        # Unknown user, wrong password and locked account get the same words (and take the
        # same time): the form does not tell which accounts exist or are locked.
        st.error(t("login_failed"))


if with_sso:
    render_sso_login()
if with_sso and with_passwords:
    st.subheader(t("login_password_divider"), divider="gray")
if with_passwords:
    _password_form(primary=not with_sso)
