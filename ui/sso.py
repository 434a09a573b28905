"""Single sign-on through the bank's OpenID Connect provider with Streamlit's own ``st.login``.

Streamlit runs the whole OpenID Connect exchange (``/auth/login`` → the provider →
``/oauth2callback``) from the ``[auth]`` section of ``.streamlit/secrets.toml`` and then holds
the ID token's claims in ``st.user``. This module only decides who that is in BranchScope
(``data.auth.sso_log_in``: one claim names an existing, active user; role and scope come from the
user table) and opens the same revocable server-side session as a password log-in
(``ui.session.start_session``), so from then on the log-in follows the database exactly as a
password log-in does. Without an ``[auth]`` section nothing here is shown or run.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import streamlit as st

from config.settings import Settings
from data.auth import SsoStatus, sso_log_in
from ui.data_access import app_engine
from ui.i18n import t
from ui.session import start_session

log = logging.getLogger("branchscope.sso")

# What st.login needs in [auth] (one provider, Streamlit's "default" one).
REQUIRED_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
# The log-in page's message for each refusal (translation key).
_REFUSAL_TEXT = {
    SsoStatus.UNKNOWN_IDENTITY: "login_sso_unknown",
    SsoStatus.AMBIGUOUS: "login_sso_ambiguous",
    SsoStatus.INACTIVE: "login_sso_inactive",
    SsoStatus.MISSING_CLAIM: "login_sso_missing_claim",
    SsoStatus.WRONG_DOMAIN: "login_sso_wrong_domain",
    SsoStatus.REUSED: "login_sso_again",
}


def _auth_section() -> Mapping | None:
    """The ``[auth]`` section of the secrets, or None (no secrets file, or no such section)."""
    if not st.secrets.load_if_toml_exists():
        return None
    section = st.secrets.get("auth")
    return section if isinstance(section, Mapping) and section else None


def sso_configured() -> bool:
    """True when ``[auth]`` has everything ``st.login`` needs; an incomplete one is logged and ignored."""
    section = _auth_section()
    if section is None:
        return False
    missing = [key for key in REQUIRED_KEYS if not section.get(key)]
    if missing:
        log.warning("single sign-on is off: [auth] in secrets.toml lacks %s", ", ".join(missing))
        return False
    return True


def passwords_offered(settings: Settings) -> bool:
    """Whether the log-in page shows the password form: always without single sign-on."""
    return settings.password_login or not sso_configured()


def sign_on(settings: Settings) -> None:
    """Turn the identity the provider sent back (``st.user``) into a BranchScope log-in.

    Called before the navigation while nobody is logged in. Each identity is judged once per
    Streamlit session (reruns add no audit lines); a refusal is kept for the log-in page.
    """
    if not sso_configured():
        return
    identity = st.user.to_dict()
    if not identity.get("is_logged_in"):
        return
    key = (identity.get("iss"), identity.get("sub"), identity.get("iat"))
    if st.session_state.get("sso_judged") == key:
        return
    st.session_state["sso_judged"] = key
    result = sso_log_in(
        app_engine(), identity, settings.sso_claim, settings.sso_claim_domain, settings.sso_max_age_seconds
    )
    if result.status is SsoStatus.OK:
        st.session_state.pop("sso_refusal", None)
        start_session(result.user)
    elif result.status in _REFUSAL_TEXT:
        values = {
            "identity": str(identity.get(settings.sso_claim, "")),
            "claim": settings.sso_claim,
            "domain": settings.sso_claim_domain,
        }
        st.session_state["sso_refusal"] = (_REFUSAL_TEXT[result.status], values)


def render_sso_login() -> None:
    """The log-in page's single sign-on part: why the last identity was refused (with a way to
    sign out of the provider and pick another account), and the log-in button."""
    st.caption(t("login_sso_caption"))
    refusal = st.session_state.get("sso_refusal")
    if refusal:
        text_key, values = refusal
        show = st.info if text_key == "login_sso_again" else st.error
        show(t(text_key, **values))
    st.button(t("login_sso_button"), type="primary", on_click=st.login, key="login_sso", icon=":material/badge:")
    if refusal and st.user.to_dict().get("is_logged_in"):
        st.button(t("login_sso_sign_out"), on_click=st.logout, key="login_sso_sign_out")
