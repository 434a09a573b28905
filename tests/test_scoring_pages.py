"""The customer pages reading the scoring job's stored scores (AppTest, private copy of the small
demo): they say which data version the scores are from, an executive's whole-region figures from
the stored scores equal the same page computing in the app, and without scores for the current
data the pages say how to run the job and compute as before."""

from __future__ import annotations

import pytest

from config.translations import TEXTS
from data.db import bump_data_version, make_engine
from jobs import score as job
from tests.apptest_support import new_app, open_page, visible_text

CLV, LISTS = "pages/lifetime_value.py", "pages/action_lists.py"


@pytest.fixture
def scored_app(private_app):
    """``(app, url)`` on a private demo copy whose scores the job has stored."""
    app, url = private_app
    engine = make_engine(url)
    job.score(engine)
    engine.dispose()
    return app, url


def metric(at, key: str, **values) -> str:
    label = TEXTS[key]["en"].format(**values)
    return next(m.value for m in at.metric if m.label == label)


def test_lifetime_value_from_stored_scores_equals_the_page_fitting_the_region(scored_app):
    app, _ = scored_app
    at = open_page(app, "exec", CLV)
    text = visible_text(at)
    assert "Scores from the scoring job: data version" in text
    stored = [metric(at, "cust_clv_metric_customers"), metric(at, "cust_clv_metric_total_clv", months=12)]
    stored.append(metric(at, "cust_clv_metric_mean_alive"))
    at.toggle(key="cust_clv_fit_here").set_value(True).run()
    assert not at.exception
    assert "Scores from the scoring job" not in visible_text(at)
    computed = [metric(at, "cust_clv_metric_customers"), metric(at, "cust_clv_metric_total_clv", months=12)]
    computed.append(metric(at, "cust_clv_metric_mean_alive"))
    assert stored == computed  # the stored scores are the region's own fit
    customers = at.dataframe[2].value[TEXTS["cust_clv_col_customer"]["en"]]
    assert all("*" in str(number) for number in customers)


def test_lifetime_value_with_other_settings_computes_in_the_page(scored_app):
    app, _ = scored_app
    at = open_page(app, "head_outlet", CLV)
    assert "Scores from the scoring job" in visible_text(at)
    customers = at.dataframe[2].value[TEXTS["cust_clv_col_customer"]["en"]]
    assert not any("*" in str(number) for number in customers)  # the branch head sees numbers
    at.number_input(key="cust_clv_horizon").set_value(24).run()
    assert not at.exception
    assert TEXTS["score_on_demand"]["en"] in visible_text(at)


def test_action_lists_summary_from_stored_scores_equals_the_page_computing_it(scored_app):
    app, url = scored_app
    at = open_page(app, "exec", LISTS)
    assert "Scores from the scoring job" in visible_text(at)
    stored = [m.value for m in at.metric]
    engine = make_engine(url)
    with engine.begin() as connection:  # the scores no longer match the data: computed in the page
        bump_data_version(connection, "test")
    engine.dispose()
    at = open_page(new_app(180), "exec", LISTS)  # a new session: the old one is logged in
    assert TEXTS["score_stale"]["en"].split(",")[0] in visible_text(at)
    assert [m.value for m in at.metric] == stored


def test_without_scores_the_pages_name_the_job(private_app):
    app, _ = private_app
    for page in (CLV, LISTS):
        at = open_page(new_app(180), "exec", page)
        assert "python -m jobs.score" in visible_text(at)


def test_structure_and_next_product_from_stored_scores_equal_the_pages_computing_them(scored_app):
    _, url = scored_app
    pages = ("pages/customer_structure.py", "pages/next_product.py")
    stored = {}
    for page in pages:
        at = open_page(new_app(180), "exec", page)
        assert "Scores from the scoring job" in visible_text(at)
        stored[page] = [(m.label, m.value) for m in at.metric]
    stored_tiers = open_page(new_app(180), "exec", pages[0]).dataframe[0].value
    engine = make_engine(url)
    with engine.begin() as connection:  # the scores no longer match the data: computed in the page
        bump_data_version(connection, "test")
    engine.dispose()
    for page in pages:
        at = open_page(new_app(180), "exec", page)
        assert "Scores from the scoring job" not in visible_text(at)
        assert [(m.label, m.value) for m in at.metric] == stored[page]
    assert open_page(new_app(180), "exec", pages[0]).dataframe[0].value.equals(stored_tiers)
