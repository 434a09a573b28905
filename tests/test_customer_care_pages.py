"""The four customer-care pages under AppTest on the small demo database: every role that sees a
page, both languages, branch heads limited to their own customers, executives and planners to
aggregates, and a contact logged from the action list appearing on the list and in the database."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from sqlalchemy import delete, func, select, update

from config.roles import ROLE_POLICIES
from config.translations import TEXTS
from data.db import make_engine
from data.schema import AppUser, AuditLog, BalanceMonthly, Customer, CustomerContact, OrgUnit
from tests.apptest_support import log_in, new_app, visible_text
from ui.format import MISSING

pytestmark = pytest.mark.usefixtures("navigation_only_pages")  # also for apps made in a test
PAGES = {
    "action_lists": "pages/action_lists.py",
    "next_product": "pages/next_product.py",
    "customer_360": "pages/customer_360.py",
    "complaints": "pages/complaints.py",
}
TITLES = {
    "action_lists": "act_title",
    "next_product": "nbp_title",
    "customer_360": "c360_title",
    "complaints": "care_title",
}
ROLE_OF = {"exec": "executive", "planner": "planner", "head_sub": "branch_head", "head_outlet": "branch_head"}
CASES = [(user, page) for user in ROLE_OF for page in PAGES if page in ROLE_POLICIES[ROLE_OF[user]].pages]


def open_page(app, username: str, page: str, lang: str = "en"):
    at = log_in(app, username, lang=lang)
    at.switch_page(PAGES[page]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def frames(at) -> list[pd.DataFrame]:
    return [element.value for element in at.dataframe]


def scope_outlets(demo_database_url, username: str) -> dict[int, tuple[str, str]]:
    """Outlets (id → zh and en names) inside a user's scope."""
    with make_engine(demo_database_url).connect() as connection:
        unit_id = connection.execute(select(AppUser.scope_unit_id).where(AppUser.username == username)).scalar()
        path = connection.execute(select(OrgUnit.path).where(OrgUnit.id == unit_id)).scalar()
        rows = connection.execute(
            select(OrgUnit.id, OrgUnit.name_zh, OrgUnit.name_en).where(
                OrgUnit.level == "outlet", OrgUnit.path.startswith(path)
            )
        ).all()
    return {row.id: (row.name_zh, row.name_en) for row in rows}


def test_roles_see_the_pages_they_should():
    assert all(page in ROLE_POLICIES["branch_head"].pages for page in PAGES)
    assert set(PAGES) <= set(ROLE_POLICIES["executive"].pages)
    assert {"action_lists", "next_product"} <= set(ROLE_POLICIES["planner"].pages)
    assert "customer_360" not in ROLE_POLICIES["planner"].pages
    assert not set(PAGES) & set(ROLE_POLICIES["data_steward"].pages + ROLE_POLICIES["admin"].pages)


@pytest.mark.parametrize("username, page", CASES)
def test_every_role_opens_its_customer_pages(app, username, page):
    at = open_page(app, username, page)
    assert at.title[0].value == TEXTS[TITLES[page]]["en"]
    assert not at.error
    charts = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    assert all(chart["layout"]["title"]["text"] for chart in charts)
    if page in ("next_product", "customer_360"):
        assert charts, "charts are missing"
    head = ROLE_OF[username] == "branch_head"
    text = visible_text(at)
    if page == "action_lists":
        assert [m.label for m in at.metric] == [
            TEXTS[f"act_list_{k}"]["en"] for k in ("churn", "development", "reserve", "maintenance")
        ]
        assert (TEXTS["act_aggregates_only"]["en"] in text) != head
        assert bool(at.get("tabs")) == head
    if page == "next_product":
        assert (TEXTS["nbp_aggregates_only"]["en"] in text) != head
        assert all(m.value not in ("", "—") for m in at.metric)
    if page == "customer_360":
        assert (TEXTS["c360_masked_note"]["en"] in text) != head
        assert TEXTS["c360_metric_p_alive"]["en"] in [m.label for m in at.metric]
    if page == "complaints":
        assert TEXTS["care_reminders_title"]["en"] in text
        assert (TEXTS["care_aggregates_only"]["en"] in text) != head or TEXTS["care_no_reminders"]["en"] in text


@pytest.mark.parametrize("page", list(PAGES))
def test_pages_in_chinese(app, page):
    at = open_page(app, "head_outlet", page, "zh")
    assert at.title[0].value == TEXTS[TITLES[page]]["zh"]


def test_branch_head_sees_only_own_customers(app, demo_database_url):
    outlets = scope_outlets(demo_database_url, "head_outlet")
    own_names = {names[1] for names in outlets.values()}
    at = open_page(app, "head_outlet", "customer_360")
    results = frames(at)[0]
    assert len(results) > 0 and set(results[TEXTS["c360_col_outlet"]["en"]]) <= own_names
    # A customer of another outlet cannot be found, even by their exact customer number.
    with make_engine(demo_database_url).connect() as connection:
        foreign = connection.execute(
            select(Customer.customer_no).where(Customer.home_outlet_id.not_in(list(outlets))).order_by(Customer.id)
        ).scalar()
    at.text_input(key="c360_search").input(foreign).run()
    assert not at.exception
    assert TEXTS["c360_no_match"]["en"] in [i.value for i in at.info]
    at.text_input(key="c360_search").input("").run()
    # Next best product: every recommended customer lives at the head's outlet.
    nbp = at.switch_page(PAGES["next_product"]).run()
    assert not nbp.exception
    customers = [f for f in frames(nbp) if TEXTS["nbp_col_reason"]["en"] in f.columns][0]
    assert len(customers) > 0 and set(customers[TEXTS["c360_col_outlet"]["en"]]) <= own_names
    reasons = customers[TEXTS["nbp_col_reason"]["en"]]
    assert (
        reasons.str.contains("of similar customers in tier") | reasons.str.startswith("Resembles the customers")
    ).all()


def test_search_finds_by_number_and_key_flag(app, demo_database_url):
    with make_engine(demo_database_url).connect() as connection:
        number = connection.execute(
            select(Customer.customer_no)
            .where(Customer.home_outlet_id.in_(list(scope_outlets(demo_database_url, "head_sub"))))
            .order_by(Customer.customer_no.desc())
        ).scalar()
    at = open_page(app, "head_sub", "customer_360")
    at.text_input(key="c360_search").input(number).run()
    assert not at.exception
    assert list(frames(at)[0][TEXTS["c360_col_customer_no"]["en"]]) == [number]
    at.text_input(key="c360_search").input("").run()
    at.toggle(key="c360_key_only").set_value(True).run()
    flags = frames(at)[0][TEXTS["c360_col_flags"]["en"]]
    assert len(flags) > 0
    assert flags.str.contains("Key customer|Key enterprise").all()


def test_executive_sees_masked_names_in_customer_360_and_complaints(app):
    at = open_page(app, "exec", "customer_360")
    names = frames(at)[0][TEXTS["c360_col_name"]["en"]]
    assert names.map(lambda n: set(n[1:]) == {"*"}).all()
    care = at.switch_page(PAGES["complaints"]).run()
    assert not care.exception
    log = [f for f in frames(care) if TEXTS["care_col_category"]["en"] in f.columns][0]
    named = log[TEXTS["c360_col_name"]["en"]]
    named = named[named != ""]
    assert len(named) > 0 and named.map(lambda n: set(n[1:]) == {"*"}).all()


def test_contact_logged_from_the_list_is_saved_and_shown(app, demo_database_url):
    engine = make_engine(demo_database_url)
    with engine.begin() as connection:
        connection.execute(delete(CustomerContact))
    at = open_page(app, "head_outlet", "action_lists")
    at.selectbox(key="act_contact_list").set_value("churn").run()
    customer_id = at.selectbox(key="act_contact_customer").value
    at.selectbox(key="act_contact_outcome").set_value("no_answer")
    at.text_input(key="act_contact_note").input("周五再打")
    at.button[[b.label for b in at.button].index(TEXTS["act_log_contact"]["en"])].click().run()
    assert not at.exception
    assert TEXTS["act_contact_saved"]["en"] in [s.value for s in at.success]
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                CustomerContact.customer_id, CustomerContact.outcome, CustomerContact.note, CustomerContact.recorded_by
            )
        ).all()
        audited = connection.execute(
            select(AuditLog.success).where(AuditLog.action == "contact_logged").order_by(AuditLog.id.desc())
        ).scalar()
    assert [tuple(r) for r in rows] == [(customer_id, "no_answer", "周五再打", "head_outlet")] and audited
    churn = [f for f in frames(at) if TEXTS["act_col_last_outcome"]["en"] in f.columns][0]  # tabs in list order
    assert TEXTS["act_outcome_no_answer"]["en"] in set(churn[TEXTS["act_col_last_outcome"]["en"]])
    with engine.begin() as connection:
        connection.execute(delete(CustomerContact))
    engine.dispose()


def test_adjusted_rule_changes_the_list_and_bad_values_are_refused(app):
    at = open_page(app, "head_sub", "action_lists")
    before = {m.label: m.value for m in at.metric}
    at.number_input(key="act_high_value").set_value(5_000_000.0)
    at.button[[b.label for b in at.button].index(TEXTS["act_apply_rules"]["en"])].click().run()
    assert not at.exception
    after = {m.label: m.value for m in at.metric}
    churn = TEXTS["act_list_churn"]["en"]
    assert int(after[churn].replace(",", "")) <= int(before[churn].replace(",", ""))
    assert "RMB 5.0 m" in visible_text(at)
    at.number_input(key="act_reserve_min").set_value(6_000_000.0)
    at.button[[b.label for b in at.button].index(TEXTS["act_apply_rules"]["en"])].click().run()
    assert TEXTS["act_err_rules"]["en"] in [e.value for e in at.error]
    assert not at.exception


def test_branch_head_saves_rules_for_the_unit(app, demo_database_url):
    from data.schema import AppSetting

    engine = make_engine(demo_database_url)
    at = open_page(app, "head_sub", "action_lists")
    at.number_input(key="act_months").set_value(6)
    at.button[[b.label for b in at.button].index(TEXTS["act_save_rules"]["en"])].click().run()
    assert not at.exception
    assert TEXTS["act_rules_saved"]["en"] in [s.value for s in at.success]
    with engine.connect() as connection:
        unit_id = connection.execute(select(AppUser.scope_unit_id).where(AppUser.username == "head_sub")).scalar()
        stored = connection.execute(
            select(AppSetting.value).where(AppSetting.key == f"care_action_rules:{unit_id}")
        ).scalar()
    assert stored["churn_months"] == 6
    # A fresh session of the outlet head below that sub-branch inherits the saved rules.
    outlet_head = log_in(new_app(180), "head_outlet")
    outlet_head.switch_page(PAGES["action_lists"]).run()
    assert not outlet_head.exception
    assert outlet_head.number_input(key="act_months").value == 6
    with engine.begin() as connection:
        connection.execute(delete(AppSetting).where(AppSetting.key == f"care_action_rules:{unit_id}"))
    engine.dispose()


def test_action_lists_show_assets_in_wan_once_with_phones_for_the_branch_head(app, demo_database_url):
    """AUM in 万元 (not raw yuan), one assets column on the maintenance list, and
    the phone numbers the branch head may see in the lists (the export is built from these tables)."""
    at = open_page(app, "head_outlet", "action_lists")
    lists = [f for f in frames(at) if TEXTS["act_col_reason"]["en"] in f.columns]
    assert len(lists) >= 2
    with make_engine(demo_database_url).connect() as connection:
        stored = dict(connection.execute(select(Customer.customer_no, Customer.phone_masked)).all())
        aum = {
            row.customer_no: row.aum_rmb
            for row in connection.execute(
                select(Customer.customer_no, BalanceMonthly.aum_rmb)
                .join(BalanceMonthly, BalanceMonthly.customer_id == Customer.id)
                .where(BalanceMonthly.month == select(func.max(BalanceMonthly.month)).scalar_subquery())
            )
        }
    for table in lists:
        assets = [c for c in table.columns if "Assets" in c or "AUM" in c]
        assert assets == [TEXTS["act_col_aum_wan"]["en"]], table.columns  # once, in 10k RMB
        phones = table[TEXTS["act_col_phone"]["en"]]
        numbers = table[TEXTS["c360_col_customer_no"]["en"]]
        assert [stored[n] or "" for n in numbers] == list(phones)
        assert phones.str.len().gt(0).any()
        shown = table[TEXTS["act_col_aum_wan"]["en"]]
        assert shown.to_numpy() == pytest.approx([round(aum.get(n, 0.0) / 1e4, 2) for n in numbers], abs=0.006)


def test_customer_360_shows_industry_and_months_in_chinese(app, demo_database_url):
    """Code values translated (no "construction" in the Chinese UI), balances
    in 万元/亿元 with the unit in the axis title, months on a date axis with Chinese ticks."""
    with make_engine(demo_database_url).connect() as connection:
        number, industry = connection.execute(
            select(Customer.customer_no, Customer.industry)
            .where(Customer.industry == "construction")
            .order_by(Customer.id)
        ).first()
    at = open_page(app, "exec", "customer_360", "zh")
    at.text_input(key="c360_search").input(number).run()
    assert not at.exception
    facts = at.table[0].value
    shown = facts.loc[TEXTS["c360_fact_industry"]["zh"]].iloc[0]
    assert shown == TEXTS[f"c360_industry_{industry}"]["zh"] == "建筑业"
    assert "None" not in facts.to_string() and "nan" not in facts.to_string()
    charts = {
        json.loads(c.proto.spec)["layout"]["title"]["text"]: json.loads(c.proto.spec) for c in at.get("plotly_chart")
    }
    balance = charts[TEXTS["c360_balance_chart"]["zh"]]["layout"]
    assert balance["yaxis"]["title"]["text"].endswith(("（万元）", "（亿元）", "（元）"))
    assert balance["xaxis"]["tickformat"] == "%Y年%-m月"


def test_industry_codes_of_the_demo_all_have_translations():
    from data.demo.names import INDUSTRIES

    for code in INDUSTRIES:
        assert TEXTS[f"c360_industry_{code}"]["zh"] != code


def test_complaints_follow_the_sidebar_month(app, demo_database_url):
    """The complaint log is as it stood at the end of the sidebar month: received
    in the 365 days up to then, or still open then."""
    import datetime as dt

    from data.schema import Complaint, KpiMonthly

    with make_engine(demo_database_url).connect() as connection:
        months = sorted(connection.execute(select(KpiMonthly.month).distinct()).scalars())
        complaints = pd.DataFrame(
            connection.execute(select(Complaint.received_at, Complaint.closed_at, Complaint.status)).all(),
            columns=["received_at", "closed_at", "status"],
        )
    complaints = complaints.assign(
        received_at=pd.to_datetime(complaints.received_at), closed_at=pd.to_datetime(complaints.closed_at)
    )

    def expected(month: dt.date) -> tuple[int, int]:
        end = min((pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date(), dt.date.today())
        cutoff = pd.Timestamp(end + dt.timedelta(days=1))
        start = pd.Timestamp(end - dt.timedelta(days=364))
        received = complaints.received_at < cutoff
        open_then = received & (
            (complaints.status != "closed") | complaints.closed_at.isna() | (complaints.closed_at >= cutoff)
        )
        listed = (received & (complaints.received_at >= start)) | open_then
        return int(listed.sum()), int(open_then.sum())

    at = open_page(app, "exec", "complaints")
    earlier = months[-7]
    at.session_state["month"] = earlier
    at.run()
    assert not at.exception
    received, still_open = expected(earlier)
    assert (received, still_open) != expected(months[-1])
    shown = {m.label: m.value for m in at.metric}
    assert shown[TEXTS["care_metric_received"]["en"]].replace(",", "") == str(received)
    assert shown[TEXTS["care_metric_open"]["en"]].replace(",", "") == str(still_open)
    assert TEXTS["care_reminders_today_note"]["en"].format(today=dt.date.today().isoformat()) in visible_text(at)


def test_next_product_gives_no_advice_from_unreliable_models(app):
    """A product whose holdout AUC is under the threshold is marked not reliable
    and recommended to nobody; no recommendation is worth under the minimum; no "0.0 %" reason."""
    from analytics.next_product import load_recommendation_policy

    policy = load_recommendation_policy()
    at = open_page(app, "head_outlet", "next_product")
    quality = [f for f in frames(at) if TEXTS["nbp_col_auc"]["en"] in f.columns][0]
    auc = pd.to_numeric(quality[TEXTS["nbp_col_auc"]["en"]], errors="coerce")
    reliable = quality[TEXTS["nbp_col_reliable"]["en"]] == TEXTS["nbp_reliable_yes"]["en"]
    assert (reliable == (auc >= policy.min_auc)).all()
    unreliable = set(quality.loc[~reliable, TEXTS["nbp_col_product"]["en"]])
    customers = [f for f in frames(at) if TEXTS["nbp_col_reason"]["en"] in f.columns]
    if customers:
        table = customers[0]
        assert not unreliable & set(table[TEXTS["nbp_col_product"]["en"]])
        assert (table[TEXTS["nbp_col_margin"]["en"]] >= policy.min_expected_margin_rmb - 0.5).all()
        assert not table[TEXTS["nbp_col_reason"]["en"]].str.contains(r"\b0\.0 ?%").any()
    if unreliable:
        expected = TEXTS["nbp_unreliable"]["en"].format(auc=f"{policy.min_auc:.2f}", products="")
        assert any(w.value.startswith(expected.rstrip(".")) for w in at.warning)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_customer_360_shows_the_address_only_to_roles_that_see_personal_data(private_app, lang):
    """A customer's address (set here on a private copy of the demo) is a fact the branch head
    sees; the executive (no personal data) gets "—" in its place and the address nowhere."""
    app, url = private_app
    address = "呼和浩特市新华路1号 1 Xinhua Road"
    outlets = scope_outlets(url, "head_outlet")
    with make_engine(url).begin() as connection:
        customer_id, number = connection.execute(
            select(Customer.id, Customer.customer_no)
            .where(Customer.home_outlet_id.in_(list(outlets)))
            .order_by(Customer.id)
        ).first()
        connection.execute(update(Customer).where(Customer.id == customer_id).values(address=address))
    label = TEXTS["c360_fact_address"][lang]
    for at, sees in ((app, True), (new_app(180), False)):
        at = open_page(at, "head_outlet" if sees else "exec", "customer_360", lang)
        at.text_input(key="c360_search").input(number).run()
        assert not at.exception
        facts = at.table[0].value
        assert facts.loc[label].iloc[0] == (address if sees else MISSING)
        shown = visible_text(at) + "".join(table.value.to_string() for table in at.table)
        shown += "".join(frame.to_string() for frame in frames(at))
        assert (address in shown) == sees
