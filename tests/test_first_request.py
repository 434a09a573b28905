"""The first request a newly started server gets may ask for a page address (a bookmark, or a tab
the load balancer moved from a stopped server). Streamlit keeps, per process, a mode for apps with
a ``pages/`` folder and no ``st.navigation``; until some session has run app.py, such a request
would run the page file directly, without the log-in check. The page files step back into app.py
(``ui.page_entry``): the visitor gets the log-in page, and after logging in the page asked for."""

from __future__ import annotations

import ast

import pytest

from config.pages import PAGES
from config.settings import PROJECT_ROOT
from config.translations import TEXTS
from data.demo_users import DEMO_PASSWORD
from tests.app_server import app_server
from tests.test_browser import (
    RUN_FINISHED,
    browser,  # noqa: F401  (the module's Chromium)
)


@pytest.mark.browser
@pytest.mark.parametrize("page_name", ["overview", "users"])
def test_a_page_address_as_a_fresh_servers_first_request_gets_the_log_in_page(
    browser,  # noqa: F811
    demo_database_url,
    page_name,
):
    with app_server(demo_database_url, start_seconds=60) as server:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{server}/{page_name}")
        page.get_by_label(TEXTS["login_username"]["zh"]).wait_for(timeout=60_000)
        page.wait_for_function(RUN_FINISHED, timeout=60_000)
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.locator("[data-testid='stSidebarNavLink']").count() == 0  # no list of the page files
        page.get_by_label(TEXTS["login_username"]["zh"]).fill("admin")
        page.get_by_label(TEXTS["login_password"]["zh"], exact=True).fill(DEMO_PASSWORD)
        page.get_by_role("button", name=TEXTS["login_submit"]["zh"]).click()
        page.locator("[data-testid='stSidebarNavLink']").first.wait_for(timeout=60_000)
        page.wait_for_function(RUN_FINISHED, timeout=60_000)
        assert page.locator("[data-testid='stException']").count() == 0
        page.close()


def test_every_page_file_steps_into_the_app_first():
    """Each file under pages/ calls ``enter_through_app()`` before its first other statement."""
    for page in {page.path for page in PAGES} | {"pages/login.py"}:
        tree = ast.parse((PROJECT_ROOT / page).read_text(encoding="utf-8"))
        body = [node for node in tree.body if not isinstance(node, (ast.Import, ast.ImportFrom, ast.Expr))]
        calls = [
            node
            for node in tree.body
            if isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Call)
            and getattr(node.value.func, "id", None) == "enter_through_app"
        ]
        assert calls, f"{page} does not call enter_through_app()"
        first_other = body[0].lineno if body else float("inf")
        assert calls[0].lineno < first_other, f"{page}: enter_through_app() must come before any other statement"
