"""Customer structure, segments and lifetime value pages under AppTest: every role that can see
them in both languages, a branch head limited to their own customers, masking of
customer numbers by role, and bad input."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest
from sqlalchemy import func, select

from config.roles import ROLE_POLICIES
from config.translations import TEXTS
from data.db import make_engine
from data.schema import AppUser, Customer, OrgUnit
from tests.apptest_support import open_page, visible_text

STRUCTURE, SEGMENTS, CLV = "pages/customer_structure.py", "pages/segments.py", "pages/lifetime_value.py"
PAGE_USERS = ["exec", "planner", "head_outlet"]


def decoded(values) -> list:
    """A plotly array as a list (plotly sends numpy arrays as typed base64 buffers)."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"])).tolist()
    return list(values)


def plotly_titles(at) -> list[str]:
    return [json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in at.get("plotly_chart")]


def customers_of(database_url: str, username: str) -> tuple[int, int]:
    """(customers homed in the user's scope, customers in the region)."""
    engine = make_engine(database_url)
    with engine.connect() as connection:
        unit_id = connection.execute(select(AppUser.scope_unit_id).where(AppUser.username == username)).scalar()
        total = connection.execute(select(func.count(Customer.id))).scalar()
        if unit_id is None:
            return total, total
        path = connection.execute(select(OrgUnit.path).where(OrgUnit.id == unit_id)).scalar()
        own = connection.execute(
            select(func.count(Customer.id))
            .join(OrgUnit, OrgUnit.id == Customer.home_outlet_id)
            .where(OrgUnit.path.startswith(path))
        ).scalar()
    engine.dispose()
    return own, total


def metric_value(at, key: str, lang: str) -> str:
    return next(m.value for m in at.metric if m.label == TEXTS[key][lang])


def test_customer_pages_are_in_the_navigation_of_the_roles_that_use_them():
    for role in ("executive", "planner", "branch_head"):
        assert {"customer_structure", "segments", "lifetime_value"} <= set(ROLE_POLICIES[role].pages)
    for role in ("data_steward", "admin"):
        assert not {"customer_structure", "segments", "lifetime_value"} & set(ROLE_POLICIES[role].pages)


@pytest.mark.parametrize("username", PAGE_USERS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_structure_page_for_each_role(app, demo_database_url, username, lang):
    at = open_page(app, username, STRUCTURE, lang)
    assert at.title[0].value == TEXTS["cust_structure_title"][lang]
    text = visible_text(at)
    for key in ("cust_tiers_title", "cust_per_outlet_title", "cust_concentration_title"):
        assert TEXTS[key][lang] in text
    titles = plotly_titles(at)
    assert len(titles) == 4 and all(titles)  # tiers, per outlet, migration, Lorenz
    own, total = customers_of(demo_database_url, username)
    shown = metric_value(at, "cust_metric_customers", lang).replace(",", "")
    if lang == "en":
        assert int(shown) == own
    if username == "head_outlet":
        assert own < total
        outlet_table = at.dataframe[1].value
        assert len(outlet_table) == 1  # only their own outlet
    assert len(at.get("download_button")) == 1
    assert not at.error


def test_structure_page_bad_thresholds_fall_back_to_the_defaults(app):
    at = open_page(app, "exec", STRUCTURE)
    before = metric_value(at, "cust_metric_high_tier_share", "en")
    at.number_input(key="cust_threshold_star2").set_value(3.0).run()  # 3万 below star1's 5万: not rising
    assert not at.exception
    assert at.error[0].value == TEXTS["cust_bad_thresholds"]["en"]
    assert metric_value(at, "cust_metric_high_tier_share", "en") == before


def test_structure_page_longer_grace_period_keeps_more_customers_in_their_tier(app):
    at = open_page(app, "exec", STRUCTURE)
    down_share = float(at.dataframe[2].value.iloc[2, 1].rstrip("%"))
    at.number_input(key="cust_downgrade_after").set_value(1).run()
    assert not at.exception
    assert float(at.dataframe[2].value.iloc[2, 1].rstrip("%")) >= down_share


@pytest.mark.parametrize("username", PAGE_USERS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lifetime_value_page_for_each_role(app, username, lang):
    at = open_page(app, username, CLV, lang)
    assert at.title[0].value == TEXTS["cust_clv_title"][lang]
    text = visible_text(at)
    for key in ("cust_clv_params_title", "cust_clv_alive_title", "cust_clv_holdout_title"):
        assert TEXTS[key][lang] in text
    assert all(m.value not in ("", "—", "nan", "NaN") for m in at.metric)
    titles = plotly_titles(at)
    assert len(titles) == 2 and all(titles)  # P(alive) and lifetime value; the check runs on demand
    customers = at.dataframe[2].value[TEXTS["cust_clv_col_customer"][lang]]
    masked = all("*" in str(number) for number in customers)
    assert masked == (username != "head_outlet")  # only the branch head may see customer numbers


def test_lifetime_value_page_rejects_nothing_and_changes_with_the_horizon(app):
    at = open_page(app, "head_outlet", CLV)
    short = metric_value(at, "cust_clv_metric_customers", "en")
    at.number_input(key="cust_clv_horizon").set_value(24).run()
    assert not at.exception
    assert metric_value(at, "cust_clv_metric_customers", "en") == short
    labels = [m.label for m in at.metric]
    assert TEXTS["cust_clv_metric_total_clv"]["en"].format(months=24) in labels


@pytest.mark.parametrize("username", PAGE_USERS)
def test_segments_page_runs_on_demand_for_each_role(app, demo_database_url, username):
    at = open_page(app, username, SEGMENTS)
    assert TEXTS["seg_press_run"]["en"] in visible_text(at)
    assert not at.get("plotly_chart")
    at.selectbox(key="seg_k").set_value(3)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    text = visible_text(at)
    assert TEXTS["seg_rfm_title"]["en"] in text
    assert TEXTS["seg_cluster_title"]["en"].format(k=3) in text
    assert text.count("- **Segment ") == 3  # one profile line per segment
    assert len(at.get("deck_gl_json_chart")) == 1
    assert len(plotly_titles(at)) == 3
    rfm_customers = at.dataframe[0].value[TEXTS["cust_col_customers"]["en"]].sum()
    assert rfm_customers == customers_of(demo_database_url, username)[0]  # every customer of the scope, no more


def test_segments_page_chooses_k_and_shows_the_scores_in_chinese(app):
    at = open_page(app, "exec", SEGMENTS, "zh")
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    score_chart = json.loads(at.get("plotly_chart")[1].proto.spec)
    assert decoded(score_chart["data"][0]["x"]) == list(range(2, 9))  # every k tried is shown
    chosen = int(re.search(r"行为聚类：(\d+) 个细分", visible_text(at)).group(1))
    assert 2 <= chosen <= 8
    assert visible_text(at).count("- **细分 ") == chosen


def test_model_check_compares_predicted_and_actual_holdout_transactions(app):
    at = open_page(app, "head_outlet", CLV)
    at.toggle(key="cust_clv_run_check").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(plotly_titles(at)) == 3
    actual = float(metric_value(at, "cust_clv_actual_total", "en").replace(",", ""))
    predicted = float(metric_value(at, "cust_clv_model_total", "en").replace(",", ""))
    assert actual > 0 and 0.5 < predicted / actual < 1.5  # the model is in the right range on the demo


def test_structure_page_compares_migration_with_peer_units_on_demand(app):
    at = open_page(app, "head_outlet", STRUCTURE)
    assert set(at.dataframe[2].value.iloc[:, 2]) == {"—"}
    at.toggle(key="cust_compare_peers").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    peers = at.dataframe[2].value.iloc[:, 2]
    assert all(value.endswith("%") for value in peers)
    assert sum(float(value.rstrip("%")) for value in peers) == pytest.approx(100.0, abs=0.2)


def test_structure_page_follows_the_sidebar_month(app, demo_database_url):
    """The balances are those at the end of the month chosen in the sidebar."""
    from data.schema import BalanceMonthly, KpiMonthly
    from ui.format import format_money

    engine = make_engine(demo_database_url)
    with engine.connect() as connection:
        balance_months = set(connection.execute(select(BalanceMonthly.month).distinct()).scalars())
        kpi_months = set(connection.execute(select(KpiMonthly.month).distinct()).scalars())
        months = sorted(balance_months & kpi_months)
        earlier = months[-4]
        aum = dict(
            connection.execute(
                select(BalanceMonthly.month, func.sum(BalanceMonthly.aum_rmb))
                .where(BalanceMonthly.month.in_([earlier, months[-1]]))
                .group_by(BalanceMonthly.month)
            ).all()
        )
    engine.dispose()
    at = open_page(app, "exec", STRUCTURE)
    at.session_state["month"] = months[-1]
    at.run()
    assert metric_value(at, "cust_metric_aum", "en") == format_money(aum[months[-1]], "en")
    at.session_state["month"] = earlier
    at.run()
    assert not at.exception
    assert aum[earlier] != aum[months[-1]]
    assert metric_value(at, "cust_metric_aum", "en") == format_money(aum[earlier], "en")
    assert f"{earlier:%b %Y}" in " ".join(plotly_titles(at))  # Lorenz curve of that month-end
