"""Single sign-on in the app (AppTest): the identity Streamlit holds after ``st.login``
(``st.user``) becomes a BranchScope session with the user's own role, scope and home page, or a
clear refusal; log-out also signs out of the identity provider; the log-in page offers what is
configured. The browser test against a real OpenID Connect provider is tests/test_sso_browser.py."""

from __future__ import annotations

import time
import tomllib
import uuid

import pytest

from config.settings import PROJECT_ROOT
from config.translations import TEXTS
from tests.apptest_support import log_in
from tests.sso_support import audit, sessions_of, set_active
from ui.sso import REQUIRED_KEYS

AUTH = {  # what .streamlit/secrets.toml holds for st.login (never contacted in these tests)
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-test-cookie-secret",
    "client_id": "branchscope",
    "client_secret": "test-secret",
    "server_metadata_url": "http://localhost:9/.well-known/openid-configuration",
}


def signed_on(at, value: str, lang: str = "en", claim: str = "preferred_username"):
    """The app as Streamlit hands it over right after the provider sent the browser back."""
    at.secrets["auth"] = dict(AUTH)
    at.user = {
        "is_logged_in": True,
        "iss": "http://idp.test",
        "sub": uuid.uuid4().hex,
        "iat": int(time.time()),
        claim: value,
        "name": "Test Person",
    }
    at.session_state["lang"] = lang
    return at.run()


def body(at) -> str:
    return "\n".join(
        [e.value for e in at.title]
        + [e.value for e in at.error]
        + [e.value for e in at.info]
        + [e.value for e in at.warning]
    )


def test_a_known_identity_lands_on_their_home_page_with_their_scope(private_app):
    at, url = private_app
    at = signed_on(at, "Head_Sub")
    assert not at.exception, [e.value for e in at.exception]
    user = at.session_state["user"]
    assert (user.username, user.role) == ("head_sub", "branch_head")
    assert at.session_state["scope"].root_unit_id == user.scope_unit_id  # the user table's scope
    assert at.title[0].value == TEXTS["myoutlet_title"]["en"]  # a branch head's home page
    assert not at.text_input  # no log-in form
    assert sessions_of(url, "head_sub") == 1  # the same server-side session as a password log-in
    ((username, success, detail),) = audit(url, "sso_login")
    assert (username, success, detail["value"], detail["claim"]) == ("head_sub", True, "Head_Sub", "preferred_username")

    set_active(url, "head_sub", False)  # an administrator disables the account: the session ends at once
    at.run()
    assert "user" not in at.session_state
    assert TEXTS["login_session_revoked"]["en"] in body(at)
    assert sessions_of(url, "head_sub") == 0
    assert len(audit(url, "sso_login")) == 1  # the same identity does not log in again


def test_an_unknown_identity_is_refused_with_a_clear_message_and_audited(private_app):
    at, url = private_app
    at = signed_on(at, "zhang.san", lang="zh")
    assert "user" not in at.session_state
    assert TEXTS["login_sso_unknown"]["zh"].format(identity="zhang.san") in body(at)
    ((username, success, detail),) = audit(url, "sso_login_refused")
    assert (username, success, detail["reason"], detail["value"]) == (
        "zhang.san",
        False,
        "unknown_identity",
        "zhang.san",
    )
    at.run()  # a rerun (e.g. the language switch) judges the identity only once
    assert len(audit(url, "sso_login_refused")) == 1
    at.button(key="login_sso_sign_out").click().run()  # pick another account: sign out of the provider
    assert at.user == {"is_logged_in": False}


def test_a_disabled_account_is_refused(private_app):
    at, url = private_app
    set_active(url, "planner", False)
    at = signed_on(at, "planner")
    assert "user" not in at.session_state
    assert TEXTS["login_sso_inactive"]["en"].format(identity="planner") in body(at)
    assert [(u, s, d["reason"]) for u, s, d in audit(url, "sso_login_refused")] == [("planner", False, "inactive")]
    assert sessions_of(url, "planner") == 0


def test_log_out_ends_the_session_and_signs_out_of_the_provider(private_app):
    at, url = private_app
    at = signed_on(at, "exec")
    assert at.session_state["user"].username == "exec"
    at.button(key="logout").click().run()
    assert "user" not in at.session_state
    assert at.user == {"is_logged_in": False}  # st.logout ran
    assert sessions_of(url, "exec") == 0
    assert [(u, s) for u, s, _ in audit(url, "logout")] == [("exec", True)]


def test_without_auth_section_only_the_password_form_is_offered(app):
    app.user = {"is_logged_in": True, "preferred_username": "exec", "iat": int(time.time())}  # ignored
    at = log_in(app, "exec")  # the password form, as before
    assert at.session_state["user"].username == "exec"
    assert not any(button.key == "login_sso" for button in at.button)


@pytest.mark.parametrize("password_login", ["true", "false"])
def test_the_log_in_page_offers_what_is_configured(app, monkeypatch, password_login):
    monkeypatch.setenv("BRANCHSCOPE_PASSWORD_LOGIN", password_login)
    app.secrets["auth"] = dict(AUTH)
    app.user = {"is_logged_in": False}
    at = app.run()
    assert [button.key for button in at.button if button.key == "login_sso"] == ["login_sso"]
    labels = [field.label for field in at.text_input]
    if password_login == "true":
        assert TEXTS["login_password"]["zh"] in labels
    else:
        assert labels == []


def test_passwords_cannot_be_turned_off_without_single_sign_on(app, monkeypatch):
    monkeypatch.setenv("BRANCHSCOPE_PASSWORD_LOGIN", "false")
    at = app.run()
    assert TEXTS["login_password"]["zh"] in [field.label for field in at.text_input]
    assert not any(button.key == "login_sso" for button in at.button)


def test_an_incomplete_auth_section_leaves_single_sign_on_off(app):
    app.secrets["auth"] = {key: value for key, value in AUTH.items() if key != "client_secret"}
    app.user = {"is_logged_in": True, "preferred_username": "exec", "iat": int(time.time())}
    at = app.run()
    assert "user" not in at.session_state
    assert not any(button.key == "login_sso" for button in at.button)
    assert TEXTS["login_password"]["zh"] in [field.label for field in at.text_input]


def test_the_secrets_example_has_every_key_single_sign_on_needs():
    with (PROJECT_ROOT / ".streamlit" / "secrets.toml.example").open("rb") as handle:
        example = tomllib.load(handle)
    assert set(REQUIRED_KEYS) <= set(example["auth"])
    assert example["database"]["url"].startswith("postgresql://")
