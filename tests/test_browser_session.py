"""End-to-end sessions in Debian's Chromium: a refresh or a typed address keeps the log-in, a
bookmarked address while logged out leads through the log-in form to that page and unit, and
log-out ends the session for good."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from config.translations import TEXTS
from data.demo_users import DEMO_PASSWORD
from tests.test_browser import RUN_FINISHED, SCREENSHOTS, _log_in, browser, server  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser
NOT_FOUND = "Page not found"


@pytest.fixture(scope="module")
def city(demo_database_url):
    """Id and Chinese name of a city branch (in the executive's scope)."""
    from data.db import make_engine
    from data.schema import OrgUnit

    engine = make_engine(demo_database_url)
    with engine.connect() as connection:
        row = connection.execute(
            select(OrgUnit.id, OrgUnit.name_zh).where(OrgUnit.level == "city_branch").order_by(OrgUnit.code.desc())
        ).first()
    engine.dispose()
    return row.id, row.name_zh


def _settled(page) -> None:
    page.wait_for_timeout(1000)
    page.wait_for_function(RUN_FINISHED, timeout=120_000)


def test_refresh_and_typed_address_keep_the_log_in(browser, server, city):  # noqa: F811
    context = browser.new_context(viewport={"width": 1440, "height": 1200})
    page = context.new_page()
    _log_in(page, server, "exec", "zh")  # a resumed session speaks the user's own language (zh)
    _settled(page)
    assert any(cookie["name"] == "branchscope_session" for cookie in context.cookies())
    unit_id, city_name_zh = city
    page.goto(f"{server}/costs?unit={unit_id}")  # typed or bookmarked: a new Streamlit session
    page.get_by_role("heading", name=TEXTS["cost_title"]["zh"]).wait_for(timeout=60_000)
    page.reload()  # F5
    page.get_by_role("heading", name=TEXTS["cost_title"]["zh"]).wait_for(timeout=60_000)
    _settled(page)
    assert page.get_by_text(NOT_FOUND).count() == 0
    assert page.get_by_label(TEXTS["login_password"]["zh"], exact=True).count() == 0
    assert city_name_zh in page.locator("[data-testid='stSidebar']").inner_text()
    assert f"unit={unit_id}" in page.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "session_after_refresh_zh.png", full_page=True)

    page.get_by_role("button", name=TEXTS["logout"]["zh"]).click()
    page.get_by_label(TEXTS["login_password"]["zh"], exact=True).wait_for(timeout=60_000)
    _settled(page)
    page.reload()  # the old token is dead: the log-in form again
    page.get_by_label(TEXTS["login_username"]["zh"]).wait_for(timeout=60_000)
    _settled(page)
    assert page.get_by_role("heading", name=TEXTS["cost_title"]["zh"]).count() == 0
    context.close()


def test_bookmark_while_logged_out_leads_to_the_page_after_log_in(browser, server, city):  # noqa: F811
    context = browser.new_context(viewport={"width": 1440, "height": 1200})
    page = context.new_page()
    unit_id, _ = city
    page.goto(f"{server}/registry?unit={unit_id}")
    page.get_by_label(TEXTS["login_username"]["zh"]).wait_for(timeout=60_000)
    _settled(page)
    assert page.get_by_text(NOT_FOUND).count() == 0
    page.get_by_label(TEXTS["login_username"]["zh"]).fill("exec")
    page.get_by_label(TEXTS["login_password"]["zh"], exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=TEXTS["login_submit"]["zh"]).click()
    page.get_by_role("heading", name=TEXTS["reg_title"]["zh"]).wait_for(timeout=60_000)
    _settled(page)
    assert "/registry" in page.url and f"unit={unit_id}" in page.url
    assert page.get_by_text(NOT_FOUND).count() == 0
    context.close()
