"""KPI explorer, My outlet and Alerts under Streamlit's AppTest, for every role that sees them, in
both languages: content, periods and bad periods, the breadcrumb, the branch head's landing page,
alert status changes and thresholds by role, and a branch head asking for another outlet.

The pages run on a copy of the demo database, because the Alerts page files alerts and the
tests change their status."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy import select

from config.translations import TEXTS
from data.db import make_engine
from data.schema import Alert, AppSetting, AppUser, OrgUnit
from tests.apptest_support import log_in, new_app, open_page, visible_text
from tests.database_copy import copy_sqlite_database

pytestmark = pytest.mark.usefixtures("navigation_only_pages")  # also for apps made in a test
KPI_PAGE, MY_OUTLET_PAGE, ALERTS_PAGE = "pages/kpi_explorer.py", "pages/my_outlet.py", "pages/alerts.py"
TIMEOUT_S = 120


@pytest.fixture(scope="module")
def perf_demo_url(demo_database_url, tmp_path_factory):
    """A copy of the session's demo database for this module (the Alerts page writes)."""
    return copy_sqlite_database(demo_database_url, tmp_path_factory.mktemp("perf_demo") / "demo.sqlite")


@pytest.fixture
def app(perf_demo_url, monkeypatch, navigation_only_pages):
    """The app on this module's copy of the demo database (the Alerts page files alerts)."""
    monkeypatch.setenv("DATABASE_URL", perf_demo_url)
    return new_app(TIMEOUT_S)


def fragment(key: str, lang: str) -> str:
    """The longest literal piece of a translated text (placeholders removed)."""
    return max(re.split(r"{\w+}", TEXTS[key][lang]), key=len)


def assert_no_exception(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def chart_titles(at) -> list[str]:
    return [json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in at.get("plotly_chart")]


def unit_of(url: str, username: str) -> int:
    with make_engine(url).connect() as connection:
        return connection.execute(select(AppUser.scope_unit_id).where(AppUser.username == username)).scalar()


def other_city(url: str) -> int:
    with make_engine(url).connect() as connection:
        return connection.execute(
            select(OrgUnit.id).where(OrgUnit.level == "city_branch").order_by(OrgUnit.code.desc())
        ).scalar()


# --------------------------------------------------------------------------- KPI explorer


@pytest.mark.parametrize("username", ["exec", "planner", "head_sub", "head_outlet"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_kpi_explorer_for_each_role(app, username, lang):
    at = open_page(app, username, KPI_PAGE, lang)
    assert at.title[0].value == TEXTS["kpi_title"][lang]
    text = visible_text(at)
    for key in ("kpi_summary_title", "kpi_detail_title", "kpi_trend_title"):
        assert TEXTS[key][lang] in text
    assert len(at.metric) == 4 and all(m.value not in ("", "—") for m in at.metric)
    titles = chart_titles(at)
    assert all(titles)
    has_children = username != "head_outlet"  # an outlet has nothing to drill into
    assert len(titles) == (4 if has_children else 3)
    assert (TEXTS["kpi_drill_title"][lang].split("{")[0] in text) == has_children
    assert len(at.get("download_button")) == (4 if has_children else 3)
    summary = at.dataframe[0].value
    assert TEXTS["kpi_col_attainment"][lang] in summary.columns and len(summary) == 4


def test_kpi_explorer_periods_and_a_bad_custom_period(app):
    at = open_page(app, "exec", KPI_PAGE)
    month = at.session_state["month"]
    kind = next(w for w in at.get("segmented_control") if w.key == "kpi_period_kind")
    kind.set_value("quarter").run()
    assert_no_exception(at)
    quarter_start = dt.date(month.year, (month.month - 1) // 3 * 3 + 1, 1)
    expected = month.strftime("%Y-%m") if quarter_start == month else f"{quarter_start:%Y-%m} – {month:%Y-%m}"
    assert expected in visible_text(at)
    next(w for w in at.get("segmented_control") if w.key == "kpi_period_kind").set_value("ytd").run()
    assert_no_exception(at)
    assert f"{month.year}-01 – {month:%Y-%m}" in visible_text(at)
    next(w for w in at.get("segmented_control") if w.key == "kpi_period_kind").set_value("custom").run()
    assert_no_exception(at)
    months = at.selectbox(key="kpi_custom_start").options
    at.selectbox(key="kpi_custom_start").set_value(month)
    earliest = dt.date.fromisoformat(min(at.selectbox(key="kpi_custom_end").options) + "-01")
    at.selectbox(key="kpi_custom_end").set_value(earliest).run()
    assert_no_exception(at)
    assert at.error[0].value == TEXTS["kpi_err_custom_order"]["en"]
    assert len(at.get("plotly_chart")) == 0, "nothing is shown for a bad period"
    assert months


def test_kpi_explorer_with_metrics_without_targets(app):
    at = open_page(app, "exec", KPI_PAGE)
    at.multiselect(key="kpi_metrics").set_value(["deposits_total", "inspection_score", "npl_ratio"]).run()
    assert_no_exception(at)
    summary = at.dataframe[0].value
    assert list(summary[TEXTS["kpi_col_rag"]["en"]])[1:] == ["—", "—"]  # no target: no status


def test_kpi_explorer_with_no_metrics_asks_for_one(app):
    at = open_page(app, "planner", KPI_PAGE, "zh")
    at.multiselect(key="kpi_metrics").set_value([]).run()
    assert_no_exception(at)
    assert TEXTS["kpi_pick_metrics"]["zh"] in [i.value for i in at.info]


def test_breadcrumb_goes_back_up_the_tree(app, perf_demo_url):
    at = open_page(app, "exec", KPI_PAGE)
    region = at.session_state["focus_unit_id"]
    city = other_city(perf_demo_url)
    at.sidebar.selectbox(key=f"drill_{region}").set_value(city).run()
    assert_no_exception(at)
    assert at.session_state["focus_unit_id"] == city
    assert TEXTS["kpi_drill_title"]["en"].format(level=TEXTS["level_sub_branch"]["en"]) in visible_text(at)
    at.button(key=f"kpi_crumb_{region}").click().run()
    assert_no_exception(at)
    assert at.session_state["focus_unit_id"] == region


# --------------------------------------------------------------------------- My outlet


@pytest.mark.parametrize("username", ["head_sub", "head_outlet"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_my_outlet_is_the_branch_heads_landing_page(app, username, lang):
    at = log_in(app, username, lang=lang)
    assert_no_exception(at)
    assert at.title[0].value == TEXTS["myoutlet_title"][lang]
    text = visible_text(at)
    for key in ("myoutlet_targets_title", "myoutlet_todate_title", "myoutlet_rank_title", "myoutlet_gaps_title"):
        assert TEXTS[key][lang] in text
    assert TEXTS["myoutlet_alerts_title"][lang] in text
    labels = {m.label for m in at.metric}
    assert labels & {TEXTS[f"myoutlet_completion_{kind}"][lang] for kind in ("flow", "stock", "level")}
    assert all(m.value not in ("", "—") for m in at.metric)
    assert [fragment("myoutlet_attainment_chart", lang) in title for title in chart_titles(at)] == [True]
    assert len(at.get("download_button")) == 1  # targets, month/YTD, ranks and gaps in one workbook
    rank_header = TEXTS["myoutlet_col_rank"][lang]
    rank_tables = [d.value for d in at.dataframe if rank_header in d.value.columns]
    assert rank_tables and all(re.fullmatch(r"\d+ / \d+|—", v) for v in rank_tables[0][rank_header])
    peer_notes = [TEXTS[f"myoutlet_peers_{d}"][lang] for d in ("type_city", "type_region", "siblings")]
    assert any(note in text for note in peer_notes)


def test_my_outlet_writes_nothing(app, perf_demo_url):
    with make_engine(perf_demo_url).connect() as connection:
        before = connection.execute(select(Alert.id)).all()
    at = log_in(app, "head_outlet")
    assert_no_exception(at)
    with make_engine(perf_demo_url).connect() as connection:
        assert connection.execute(select(Alert.id)).all() == before


# --------------------------------------------------------------------------- Alerts


@pytest.mark.parametrize("username", ["exec", "planner", "head_outlet"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_alerts_page_for_each_role(app, username, lang, perf_demo_url):
    at = open_page(app, username, ALERTS_PAGE, lang)
    assert at.title[0].value == TEXTS["alert_title"][lang]
    labels = [m.label for m in at.metric]
    assert TEXTS["alert_count_shown"][lang] in labels
    with make_engine(perf_demo_url).connect() as connection:
        filed = connection.execute(select(Alert.outlet_id)).scalars().all()
    assert filed, "the demo month raises alerts"
    if username == "head_outlet":
        outlet = unit_of(perf_demo_url, "head_outlet")
        shown = int(at.metric[0].value)
        assert shown <= sum(1 for o in filed if o == outlet)
        assert at.button(key="FormSubmitter:alert_settings_form-" + TEXTS["alert_settings_save"][lang]).disabled
    if int(at.metric[0].value):
        table = at.dataframe[0].value
        assert TEXTS["alert_col_owner"][lang] in table.columns and TEXTS["alert_col_status"][lang] in table.columns
        assert len(at.get("download_button")) == 1


def test_status_and_owner_change_from_the_page(app, perf_demo_url):
    at = open_page(app, "planner", ALERTS_PAGE)
    chosen = at.selectbox(key="alert_edit_id").value
    at.selectbox(key=f"alert_edit_status_{chosen}").set_value("acknowledged")
    at.text_input(key=f"alert_edit_owner_{chosen}").input("Wang Fang")
    at.button(key="FormSubmitter:alert_edit_form-" + TEXTS["alert_edit_save"]["en"]).click().run()
    assert_no_exception(at)
    assert TEXTS["alert_edit_saved"]["en"] in [s.value for s in at.success]
    with make_engine(perf_demo_url).connect() as connection:
        row = connection.execute(select(Alert.status, Alert.owner).where(Alert.id == chosen)).one()
    assert tuple(row) == ("acknowledged", "Wang Fang")


def test_planner_saves_thresholds_and_a_branch_head_cannot(app, perf_demo_url):
    at = open_page(app, "planner", ALERTS_PAGE)
    at.number_input(key="alert_set_drop_sigma").set_value(3.0)
    at.button(key="FormSubmitter:alert_settings_form-" + TEXTS["alert_settings_save"]["en"]).click().run()
    assert_no_exception(at)
    assert TEXTS["alert_settings_saved"]["en"] in [s.value for s in at.success]
    with make_engine(perf_demo_url).connect() as connection:
        stored = connection.execute(select(AppSetting.value).where(AppSetting.key == "alert_thresholds")).scalar()
    assert stored["drop_sigma"] == 3.0
    head = open_page(new_app(TIMEOUT_S), "head_outlet", ALERTS_PAGE)
    assert head.number_input(key="alert_set_drop_sigma").value == 3.0
    assert head.number_input(key="alert_set_drop_sigma").disabled
    assert TEXTS["alert_settings_read_only"]["en"] in visible_text(head)


# --------------------------------------------------------------------------- scope


@pytest.mark.parametrize("page", [KPI_PAGE, MY_OUTLET_PAGE, ALERTS_PAGE])
def test_branch_head_asking_for_another_unit_gets_the_scope_message(app, perf_demo_url, page):
    at = log_in(app, "head_outlet")
    own = at.session_state["scope"].root_unit_id
    at.query_params["unit"] = str(other_city(perf_demo_url))
    at.switch_page(page).run()
    assert_no_exception(at)
    assert TEXTS["scope_unit_not_allowed"]["en"] in [e.value for e in at.error]
    assert at.session_state["focus_unit_id"] == own
    assert at.query_params["unit"] in (str(own), [str(own)])


# --------------------------------------------------------------------------- looks and language


def figures(at) -> list[dict]:
    """The page's plotly figures."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def annotations_inside_the_plot(figure: dict) -> list[str]:
    """Texts of annotations drawn over the plot area (not above it), where they cover bars and lines."""
    return [
        a.get("text", "")
        for a in figure.get("layout", {}).get("annotations", [])
        if not (a.get("yanchor") == "bottom" and float(a.get("y", 0)) >= 1)
    ]


def test_kpi_explorer_charts_in_wan_yi_with_chinese_months_and_no_annotation_on_the_line(app):
    at = open_page(app, "exec", KPI_PAGE, "zh")
    charts = {f["layout"]["title"]["text"]: f for f in figures(at)}
    drill = next(f for title, f in charts.items() if title.startswith("存款余额："))
    assert drill["layout"]["yaxis"]["title"]["text"] in ("存款余额（亿元）", "存款余额（万元）")
    assert drill["layout"]["yaxis"]["exponentformat"] == "none"  # no "30B", "500M"
    trend = next(f for title, f in charts.items() if "月度趋势" in title)
    assert trend["layout"]["xaxis"]["tickformat"] == "%Y年%-m月"  # not "Nov 2025"
    assert trend["layout"]["yaxis"]["exponentformat"] == "none"
    assert annotations_inside_the_plot(trend) == []  # "所选期间" sits above the plot, not on the line
    season = next(f for title, f in charts.items() if "季节性" in title)
    assert season["layout"]["xaxis"]["ticktext"] == [f"{m}月" for m in range(1, 13)]
    fees = next(f for title, f in charts.items() if title.startswith("中间业务收入"))
    assert fees["layout"]["yaxis"]["title"]["text"].endswith(("（亿元）", "（万元）", "（元）"))


def test_kpi_explorer_of_an_outlet_points_to_no_table_below(app):
    at = open_page(app, "head_outlet", KPI_PAGE, "zh")
    text = visible_text(at)
    assert TEXTS["kpi_drill_title"]["zh"].split("{")[0] not in text  # an outlet has no children table
    assert "点击下表" not in text and TEXTS["kpi_caption_down"]["zh"] not in text
    at = open_page(new_app(TIMEOUT_S), "exec", KPI_PAGE, "zh")
    assert TEXTS["kpi_caption_down"]["zh"] in visible_text(at)  # where the table is, it says so


def test_headline_cards_are_compact_and_keep_the_full_value_in_the_tooltip(app):
    at = open_page(app, "exec", KPI_PAGE, "zh")
    deposits = next(m for m in at.metric if m.label == "存款余额")
    assert re.fullmatch(r"-?[\d,]+\.\d (亿元|万元)", deposits.value), deposits.value  # one decimal
    assert re.fullmatch(r"-?[\d,]+\.\d\d (亿元|万元)", deposits.proto.help), deposits.proto.help


def test_my_outlet_target_cards_have_no_arrow_on_attainment(app):
    at = log_in(app, "head_outlet", lang="zh")
    assert_no_exception(at)
    completion = {TEXTS[f"myoutlet_completion_{kind}"]["zh"] for kind in ("flow", "stock", "level")}
    cards = [m for m in at.metric if m.label in completion]
    assert cards
    # Attainment is a level, not a change: "达成率 79.1%" with an up arrow read as a rise.
    assert all(m.proto.direction == m.proto.MetricDirection.NONE for m in cards)
    assert all(annotations_inside_the_plot(f) == [] for f in figures(at))  # "100%" above the bars
