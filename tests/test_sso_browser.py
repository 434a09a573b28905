"""Single sign-on end to end: the real app in Debian's Chromium logs in through a local OpenID
Connect provider (``oidc-provider-mock``, started here on a free loopback port) with
Streamlit's own ``st.login``.

A known identity lands on its BranchScope home page with its own scope and logs out of both;
an identity without a BranchScope user and one whose account is disabled are refused with the
page's message, and every decision is in the audit log.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from config.translations import TEXTS
from data.db import make_engine
from data.schema import AppUser, OrgUnit
from tests.app_server import app_server, free_port
from tests.database_copy import copy_sqlite_database
from tests.sso_support import audit, sessions_of, set_active
from tests.test_browser import RUN_FINISHED, SCREENSHOTS, browser  # noqa: F401 - fixture

pytestmark = pytest.mark.browser

# Identities the provider knows (its log-in page offers one button per subject).
IDENTITIES = {
    "idp-head-sub": {"preferred_username": "Head_Sub", "name": "Sub-branch head"},
    "idp-unknown": {"preferred_username": "zhang.san", "name": "Not a BranchScope user"},
    "idp-disabled": {"preferred_username": "planner", "name": "Disabled in BranchScope"},
}


@pytest.fixture(scope="module")
def provider():
    """A local OpenID Connect provider; its discovery URL."""
    oidc_provider_mock = pytest.importorskip("oidc_provider_mock")
    users = [oidc_provider_mock.User(sub=sub, claims=claims) for sub, claims in IDENTITIES.items()]
    with oidc_provider_mock.run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}/.well-known/openid-configuration"


@pytest.fixture(scope="module")
def database(demo_database_url, tmp_path_factory):
    """A private copy of the demo database in which the planner's account is disabled."""
    url = copy_sqlite_database(demo_database_url, tmp_path_factory.mktemp("sso") / "demo.sqlite")
    set_active(url, "planner", False)
    return url


@pytest.fixture(scope="module")
def sso_server(provider, database, tmp_path_factory):
    """The app with single sign-on configured in its own secrets file, on a free local port."""
    port = free_port()  # the redirect address names it before the server starts
    url = f"http://127.0.0.1:{port}"
    secrets = tmp_path_factory.mktemp("secrets") / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        'cookie_secret = "sso-browser-test-cookie-secret-0123456789"\n'
        'client_id = "branchscope"\n'
        'client_secret = "any-secret-the-mock-accepts"\n'
        f'server_metadata_url = "{provider}"\n',
        encoding="utf-8",
    )
    with app_server(database, port=port, options=("--secrets.files", str(secrets)), start_seconds=60) as served:
        yield served


def _settled(page) -> None:
    page.wait_for_timeout(1000)
    page.wait_for_function(RUN_FINISHED, timeout=120_000)


def _sign_on(page, server: str, subject: str) -> None:
    """Open the app, choose single sign-on, and pick ``subject`` on the provider's page."""
    page.goto(server)
    page.get_by_role("button", name=TEXTS["login_sso_button"]["zh"]).click(timeout=60_000)
    page.get_by_role("button", name=subject, exact=True).click(timeout=60_000)  # the provider's log-in page


def test_a_known_identity_lands_on_its_home_page_with_its_scope_and_logs_out_of_both(
    browser,  # noqa: F811
    sso_server,
    database,
):
    engine = make_engine(database)
    with engine.connect() as connection:
        scope_name = connection.execute(
            select(OrgUnit.name_zh)
            .join(AppUser, AppUser.scope_unit_id == OrgUnit.id)
            .where(AppUser.username == "head_sub")
        ).scalar()
    engine.dispose()
    context = browser.new_context(viewport={"width": 1440, "height": 1200})
    page = context.new_page()
    _sign_on(page, sso_server, "idp-head-sub")
    page.get_by_role("heading", name=TEXTS["myoutlet_title"]["zh"]).wait_for(timeout=60_000)  # a branch head's home
    _settled(page)
    sidebar = page.locator("[data-testid='stSidebar']").inner_text()
    assert "head_sub" in sidebar and scope_name in sidebar
    assert page.locator("[data-testid='stException']").count() == 0
    assert any(cookie["name"] == "branchscope_session" for cookie in context.cookies())
    assert sessions_of(database, "head_sub") == 1
    assert [(user, ok, detail["value"]) for user, ok, detail in audit(database, "sso_login")] == [
        ("head_sub", True, "Head_Sub")
    ]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "sso_home_head_sub_zh.png", full_page=True)

    page.reload()  # a refresh keeps the log-in (the session cookie), as after a password log-in
    page.get_by_role("heading", name=TEXTS["myoutlet_title"]["zh"]).wait_for(timeout=60_000)
    _settled(page)
    assert len(audit(database, "sso_login")) == 1

    page.get_by_role("button", name=TEXTS["logout"]["zh"]).click()
    page.get_by_role("button", name="End session").click(timeout=60_000)  # the provider's end-session page
    page.get_by_role("button", name=TEXTS["login_sso_button"]["zh"]).wait_for(timeout=60_000)
    _settled(page)
    assert sessions_of(database, "head_sub") == 0
    assert not any(cookie["name"] == "_streamlit_user" for cookie in context.cookies())
    assert [user for user, _, _ in audit(database, "logout")] == ["head_sub"]
    context.close()


@pytest.mark.parametrize(
    "subject, username, text_key, reason",
    [
        ("idp-unknown", "zhang.san", "login_sso_unknown", "unknown_identity"),
        ("idp-disabled", "planner", "login_sso_inactive", "inactive"),
    ],
)
def test_an_identity_without_an_active_user_is_refused_and_audited(
    browser,  # noqa: F811
    sso_server,
    database,
    subject,
    username,
    text_key,
    reason,
):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    identity = IDENTITIES[subject]["preferred_username"]
    _sign_on(page, sso_server, subject)
    page.get_by_text(TEXTS[text_key]["zh"].format(identity=identity)).wait_for(timeout=60_000)
    page.get_by_label(TEXTS["login_password"]["zh"], exact=True).wait_for(timeout=60_000)  # passwords still offered
    _settled(page)
    assert page.get_by_role("button", name=TEXTS["logout"]["zh"]).count() == 0  # not logged in
    assert sessions_of(database, username) == 0
    refused = [(user, ok, detail["reason"]) for user, ok, detail in audit(database, "sso_login_refused")]
    assert (username, False, reason) in refused
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"sso_refused_{reason}_zh.png", full_page=True)
    context.close()
