"""End-to-end: the real app in Debian's Chromium (Playwright, no browser download).

Logs in as two roles, checks that the overview's map and KPI cards render, and saves
screenshots under tests/screenshots/ (git-ignored) for people to look at.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from config.settings import PROJECT_ROOT
from config.translations import TEXTS
from data.demo_users import DEMO_PASSWORD
from tests.app_server import app_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = PROJECT_ROOT / "tests" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-gl=swiftshader",
    "--enable-unsafe-swiftshader",
]

pytestmark = pytest.mark.browser
# The script run has finished: no running icon, and nothing left over from the page before.
RUN_FINISHED = """() => !document.querySelector("[data-testid='stStatusWidgetRunningIcon']")
    && document.querySelectorAll("[data-testid='stMain'] [data-stale='true']").length === 0"""


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (REQUIRE_BROWSER=1) but not installed: apt-get install chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(demo_database_url):
    """The app served by a real Streamlit server on a free local port."""
    with app_server(demo_database_url, start_seconds=60) as url:
        yield url


@pytest.mark.parametrize("username, lang", [("exec", "zh"), ("head_sub", "en")])
def test_log_in_and_see_the_overview(browser, server, username, lang):
    page = browser.new_page(viewport={"width": 1440, "height": 1700})
    page.goto(server)
    page.get_by_label(TEXTS["login_username"]["zh"]).wait_for(timeout=30_000)
    if lang == "en":
        page.get_by_text("English").click()
        page.get_by_label(TEXTS["login_username"]["en"]).wait_for(timeout=30_000)
    page.get_by_label(TEXTS["login_username"][lang]).fill(username)
    page.get_by_label(TEXTS["login_password"][lang], exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=TEXTS["login_submit"][lang]).click()
    page.locator("[data-testid='stSidebarNavLink']").first.wait_for(timeout=60_000)
    page.get_by_role("link", name=TEXTS["page_overview"][lang], exact=True).click()  # branch heads land elsewhere

    page.get_by_role("heading", name=TEXTS["overview_title"][lang]).wait_for(timeout=30_000)
    page.locator("[data-testid='stDeckGlJsonChart']").wait_for(timeout=30_000)
    page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.wait_for(timeout=30_000)
    metrics = page.locator("[data-testid='stMetric']")
    metrics.nth(3).wait_for(timeout=30_000)
    assert metrics.count() == 4
    assert page.locator("[data-testid='stException']").count() == 0
    page.wait_for_timeout(2500)  # let deck.gl draw its first frame before the screenshot
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"overview_{username}_{lang}.png", full_page=True)
    page.close()


def _log_in(page, server: str, username: str, lang: str) -> None:
    page.goto(server)
    page.get_by_label(TEXTS["login_username"]["zh"]).wait_for(timeout=30_000)
    if lang == "en":
        page.get_by_text("English").click()
        page.get_by_label(TEXTS["login_username"]["en"]).wait_for(timeout=30_000)
    page.get_by_label(TEXTS["login_username"][lang]).fill(username)
    page.get_by_label(TEXTS["login_password"][lang], exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=TEXTS["login_submit"][lang]).click()
    page.locator("[data-testid='stSidebarNavLink']").first.wait_for(timeout=60_000)
    page.locator("h1").first.wait_for(timeout=60_000)  # the role's landing page


def test_steward_uploads_competitors_confirms_and_sees_them_on_the_map(browser, server, demo_database_url, tmp_path):
    """Upload a file, see the preview, confirm, and find the new bank on the overview map's legend."""
    from data.db import make_engine
    from data.importer import delete, history

    extract = tmp_path / "rivals.csv"
    extract.write_text(
        "bank_code,bank_name_zh,bank_name_en,name,city_code,lon,lat,counters\n"
        "TSTB,测试银行,Test Bank,测试银行新华支行,150100,111.70,40.82,3\n",
        encoding="utf-8",
    )
    page = browser.new_page(viewport={"width": 1440, "height": 1700})
    _log_in(page, server, "steward", "en")
    page.get_by_role("link", name=TEXTS["page_import"]["en"]).click()
    page.get_by_role("heading", name=TEXTS["import_title"]["en"]).wait_for(timeout=30_000)
    page.get_by_test_id("stMain").get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="Competitor outlets").click()
    page.locator("input[type='file']").set_input_files(str(extract))
    page.get_by_role("button", name=TEXTS["import_validate"]["en"]).click()
    page.get_by_text("all 1 rows are valid", exact=False).wait_for(timeout=30_000)
    page.locator("[data-testid='stDataFrame']:visible").first.wait_for(timeout=30_000)  # the preview
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "import_staged_en.png", full_page=True)
    page.get_by_role("button", name=TEXTS["import_confirm"]["en"]).first.click()
    page.get_by_text("confirmed: 1 rows added").wait_for(timeout=30_000)

    page.get_by_role("link", name=TEXTS["page_overview"]["en"]).click()
    page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.wait_for(timeout=30_000)
    page.get_by_text("Test Bank").first.wait_for(timeout=30_000)  # the competitor legend
    assert page.locator("[data-testid='stException']").count() == 0
    page.wait_for_timeout(2000)
    page.screenshot(path=SCREENSHOTS / "overview_after_import_en.png", full_page=True)
    page.close()

    engine = make_engine(demo_database_url)
    batch_id = int(history(engine).query("file_name == 'rivals.csv'").id.iloc[0])
    delete(engine, batch_id, "steward")  # leave the shared demo database as it was
    engine.dispose()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_registry_outlet_record_and_cost_view(browser, server, lang):
    """The registry's outlet tab draws its map and master data; the cost view draws both charts."""
    page = browser.new_page(viewport={"width": 1440, "height": 1500})
    _log_in(page, server, "exec", lang)
    page.get_by_role("link", name=TEXTS["page_registry"][lang]).click()
    page.get_by_role("heading", name=TEXTS["reg_title"][lang]).wait_for(timeout=30_000)
    page.get_by_role("tab", name=TEXTS["reg_tab_outlet"][lang], exact=True).click()
    page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.wait_for(timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
    page.wait_for_timeout(2500)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"registry_outlet_{lang}.png", full_page=True)
    page.get_by_role("link", name=TEXTS["page_costs"][lang]).click()
    page.get_by_role("heading", name=TEXTS["cost_title"][lang]).wait_for(timeout=30_000)
    page.locator("[data-testid='stPlotlyChart']").nth(1).wait_for(timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
    page.wait_for_timeout(1500)
    page.screenshot(path=SCREENSHOTS / f"costs_{lang}.png", full_page=True)
    page.close()


@pytest.mark.parametrize("username, lang", [("exec", "zh"), ("head_outlet", "en")])
def test_every_page_of_a_role_renders_in_the_browser(browser, server, username, lang):
    """Click through every page in the role's navigation: each shows its title and no exception,
    and leaves a screenshot in tests/screenshots/pages/ for people to look at."""
    from config.roles import ROLE_POLICIES

    role = {"exec": "executive", "head_outlet": "branch_head"}[username]
    page = browser.new_page(viewport={"width": 1440, "height": 1400})
    _log_in(page, server, username, lang)
    links = page.locator("[data-testid='stSidebarNavLink']")
    names = [href.rstrip("/").rsplit("/", 1)[-1] for href in links.evaluate_all("els => els.map(e => e.href)")]
    names[0] = ROLE_POLICIES[role].pages[0]  # the home page's link is the bare address
    assert sorted(names) == sorted(ROLE_POLICIES[role].pages)
    folder = SCREENSHOTS / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    for index, name in enumerate(names):
        links.nth(index).click()
        page.wait_for_timeout(1000)
        page.wait_for_function(RUN_FINISHED, timeout=120_000)
        page.locator("h1").first.wait_for(timeout=60_000)
        page.wait_for_timeout(2500)  # charts and maps draw after the run
        assert page.locator("[data-testid='stException']").count() == 0, name
        page.screenshot(path=folder / f"{index:02d}_{name}_{username}_{lang}.png", full_page=True)
    page.close()


@pytest.mark.parametrize(
    "username, lang, page_key, title_key",
    [
        ("steward", "zh", "page_data_quality", "dq_title"),
        ("steward", "en", "page_data_quality", "dq_title"),
        ("exec", "zh", "page_reconciliation", "recon_title"),
        ("steward", "en", "page_reconciliation", "recon_title"),
    ],
)
def test_data_quality_and_reconciliation_pages_render(browser, server, username, lang, page_key, title_key):
    """The stewards' pages of a bank's own data, in both languages, with charts and no error."""
    page = browser.new_page(viewport={"width": 1440, "height": 1700})
    _log_in(page, server, username, lang)
    page.get_by_role("link", name=TEXTS[page_key][lang], exact=True).click()
    page.locator("h1").filter(has_text=TEXTS[title_key][lang]).first.wait_for(timeout=60_000)
    page.wait_for_function(RUN_FINISHED, timeout=60_000)
    page.wait_for_timeout(1500)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{page_key}_{username}_{lang}.png", full_page=True)
    page.close()
