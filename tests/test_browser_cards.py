"""Headline cards show their whole text in Chromium at 1440, 1024 and 820 px.

A value cut to "1,288.06 …" or "91…" is a value nobody can read. For each page with headline cards
the test measures every text element of every metric card (label, value, change) at the three
window widths: none may be wider than its box (``scrollWidth <= clientWidth``: the browser would
otherwise cut it with an ellipsis), and on the narrower screens the cards wrap to two a row
instead of shrinking four into one row.
"""

from __future__ import annotations

import pytest

from config.translations import TEXTS
from tests.test_browser import RUN_FINISHED, SCREENSHOTS, _log_in, browser, server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
WIDTHS = (1440, 1024, 820)
# Every element inside a metric card whose text the browser had to cut (wider than its box).
CUT_TEXT = """() => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stMetric'] *")]
    .filter(e => e.children.length === 0 && e.innerText && e.innerText.trim())
    .flatMap(e => [e, e.parentElement])
    .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
    .map(e => `${e.innerText.trim()} (${e.scrollWidth} > ${e.clientWidth} px)`)"""
# How many metric cards share the first card's row.
CARDS_PER_ROW = """() => {
    const tops = [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stMetric']")]
        .map(e => e.getBoundingClientRect().top);
    return tops.filter(top => Math.abs(top - tops[0]) < 2).length;
}"""
PAGES = [
    ("exec", "zh", "page_overview", "overview_title"),
    ("exec", "en", "page_overview", "overview_title"),
    ("exec", "zh", "page_kpi_explorer", "kpi_title"),
    ("exec", "en", "page_costs", "cost_title"),
    ("head_outlet", "zh", "page_my_outlet", "myoutlet_title"),
    ("exec", "zh", "page_channel_diversion", "div_title"),
    ("exec", "zh", "page_lobby", "lobby_title"),
    ("exec", "en", "cust_page_structure", "cust_structure_title"),
    ("head_sub", "zh", "care_page", "care_title"),
]


@pytest.mark.parametrize(("username", "lang", "link", "title"), PAGES)
def test_headline_cards_show_their_whole_text_at_every_width(browser, server, username, lang, link, title):  # noqa: F811
    page = browser.new_page(viewport={"width": WIDTHS[0], "height": 1200})
    _log_in(page, server, username, lang)
    page.get_by_role("link", name=TEXTS[link][lang], exact=True).click()
    # .first: clicking the page one is on (a branch head's home) reruns it, and while it reruns the
    # old heading is still there next to the new one.
    page.get_by_role("heading", name=TEXTS[title][lang]).first.wait_for(timeout=60_000)
    page.wait_for_function(RUN_FINISHED, timeout=120_000)
    page.locator("[data-testid='stMain'] [data-testid='stMetric']").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    folder = SCREENSHOTS / "cards"
    folder.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 1200})
        page.wait_for_timeout(800)  # the layout settles after the resize
        page.screenshot(path=folder / f"{link}_{username}_{lang}_{width}.png")
        assert page.evaluate(CUT_TEXT) == [], f"text cut at {width} px"
        if width <= 1024:
            assert page.evaluate(CARDS_PER_ROW) <= 2, f"more than two cards a row at {width} px"
    page.close()
