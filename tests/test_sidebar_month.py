"""The sidebar month: shown only on pages that follow it, and kept while the
user visits a page that does not (each of those says on the page which date it uses)."""

from __future__ import annotations

import pytest

from config.pages import PAGES_WITHOUT_MONTH
from config.roles import ROLE_POLICIES
from config.translations import TEXTS
from tests.apptest_support import log_in

MONTH_LABEL = TEXTS["period_month"]["en"]


def month_selector(at):
    return [box for box in at.selectbox if box.label == MONTH_LABEL]


@pytest.mark.parametrize("page", sorted(set(ROLE_POLICIES["executive"].pages) & PAGES_WITHOUT_MONTH))
def test_pages_that_do_not_follow_the_month_show_no_selector(app, page):
    at = log_in(app, "exec")
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not month_selector(at)


def test_the_chosen_month_is_kept_across_a_page_without_a_selector(app):
    at = log_in(app, "exec")
    at.switch_page("pages/overview.py").run()
    (selector,) = month_selector(at)
    newest = at.session_state["month"]
    chosen = newest.replace(year=newest.year - 1)
    selector.select(chosen).run()
    assert at.session_state["month"] == chosen
    at.switch_page("pages/action_lists.py").run()
    assert not month_selector(at)
    at.switch_page("pages/kpi_explorer.py").run()
    assert not at.exception
    assert at.session_state["month"] == chosen
    assert month_selector(at)[0].value == chosen
