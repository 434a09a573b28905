"""The comparison pages under AppTest on the small demo database: every page for every role that
sees it in both languages; a branch head sees only their own outlets (also when session state
names others) and has no DEA page; the DEA page shows what analytics.dea computes on the same
matrix; the PK contest's differences; the bulletin's one-click PDF and Excel; peer groups created
through the page (and refused with a clear message); bad input gives a translated message."""

from __future__ import annotations

import io
import json
import re
import warnings

import pandas as pd
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from analytics.dea import DEASampleSizeWarning, dea
from config.roles import ROLE_POLICIES
from config.translations import TEXTS
from data import queries
from data import queries_comparison as qc
from data.db import make_engine
from data.queries_performance import alert_findings
from data.schema import AppUser, OrgUnit
from data.scope import scope_for
from tests.apptest_support import log_in, visible_text
from tests.database_copy import copy_sqlite_database

PAGES = {
    "rankings": ("pages/rankings.py", "rank_title"),
    "peer_groups": ("pages/peer_groups.py", "peer_title"),
    "efficiency": ("pages/efficiency.py", "dea_title"),
    "bulletin": ("pages/bulletin.py", "bulletin_title"),
}
ROLE_USERS = {"exec": "executive", "planner": "planner", "head_sub": "branch_head", "head_outlet": "branch_head"}
CASES = [(user, page) for user, role in ROLE_USERS.items() for page in PAGES if page in ROLE_POLICIES[role].pages]


def open_page(app, username: str, page: str, lang: str = "en"):
    at = log_in(app, username, lang=lang)
    at.switch_page(PAGES[page][0]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table_text(at) -> str:
    return "\n".join(frame.value.to_csv() for frame in at.dataframe)


def fragment(key: str, lang: str) -> str:
    return max(re.split(r"{\w+}", TEXTS[key][lang]), key=len)


def plotly_figures(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def user_scope(url: str, username: str):
    engine = make_engine(url)
    with engine.connect() as connection:
        role, unit_id = connection.execute(
            select(AppUser.role, AppUser.scope_unit_id).where(AppUser.username == username)
        ).one()
        scope = scope_for(connection, username, role, unit_id)
    return engine, scope


def outlet_names(url: str, lang: str = "en") -> pd.DataFrame:
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(OrgUnit.id, OrgUnit.name_zh, OrgUnit.name_en, OrgUnit.path).where(OrgUnit.level == "outlet")
        ).all()
    engine.dispose()
    return pd.DataFrame(rows, columns=["id", "name_zh", "name_en", "path"])


@pytest.mark.parametrize("username, page", CASES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_comparison_page_for_every_role_that_sees_it(app, username, page, lang):
    at = open_page(app, username, page, lang)
    assert at.title[0].value == TEXTS[PAGES[page][1]][lang]
    if page in ("rankings", "peer_groups", "efficiency"):
        figures = plotly_figures(at)
        assert figures and all(f["layout"]["title"]["text"] for f in figures)
    if page == "efficiency":
        assert TEXTS["dea_metric_efficient"][lang] in visible_text(at)
    if page == "peer_groups":
        assert TEXTS["peer_class_A"][lang] in visible_text(at)
        assert (TEXTS["peer_read_only"][lang] in visible_text(at)) == (username.startswith("head"))
        if username == "head_outlet":  # one outlet: classes relative to itself say little, and the page says so
            assert fragment("peer_abcd_few", lang) in visible_text(at)


def test_branch_heads_have_no_efficiency_page():
    assert "efficiency" not in ROLE_POLICIES["branch_head"].pages
    for page in ("rankings", "peer_groups", "bulletin"):
        assert page in ROLE_POLICIES["branch_head"].pages


@pytest.mark.parametrize("username", ["head_sub", "head_outlet"])
def test_branch_head_sees_only_their_own_outlets(app, demo_database_url, username):
    engine, scope = user_scope(demo_database_url, username)
    outlets = outlet_names(demo_database_url)
    foreign = outlets[~outlets["path"].str.startswith(scope.root_path)]
    own = outlets[outlets["path"].str.startswith(scope.root_path)]
    app.session_state["rank_pk_outlets"] = foreign["id"].tolist()[:2]  # a forged selection
    at = open_page(app, username, "rankings")
    shown = table_text(at) + visible_text(at)
    assert any(name in shown for name in own["name_en"])
    assert not [name for name in foreign["name_en"] if name in shown]
    if len(own) == 1:
        assert TEXTS["rank_pk_single_outlet"]["en"] in visible_text(at)
    for page in ("peer_groups", "bulletin"):
        at.switch_page(PAGES[page][0]).run()
        assert not at.exception
        shown = table_text(at) + visible_text(at)
        assert not [name for name in foreign["name_en"] if name in shown]
    engine.dispose()


@pytest.mark.parametrize("username", ["head_sub", "head_outlet"])
def test_branch_head_league_shows_their_rank_among_peers_without_other_figures(app, demo_database_url, username):
    from data.queries_performance import peer_rank

    engine, scope = user_scope(demo_database_url, username)
    month = queries.kpi_months(engine, scope, scope.root_unit_id)[0]
    expected = peer_rank(engine, scope, scope.root_unit_id, ("deposits_total",), month).iloc[0]
    engine.dispose()
    at = open_page(app, username, "rankings")
    assert TEXTS["rank_position_title"]["en"].format(month=f"{month:%Y-%m}") in visible_text(at)
    rank = next(m for m in at.metric if m.label == TEXTS["rank_position_rank"]["en"])
    assert rank.value == f"{int(expected['rank'])} / {int(expected['peers'])}"
    if username == "head_outlet":  # peers lie beyond the head's own scope, yet only the rank is shown
        assert int(expected["peers"]) > 1
    median = next(m for m in at.metric if m.label == TEXTS["rank_position_median"]["en"])
    assert median.value != "—"


def test_executives_get_the_whole_league_instead_of_a_position(app):
    at = open_page(app, "exec", "rankings")
    assert not [m for m in at.metric if m.label == TEXTS["rank_position_rank"]["en"]]


def test_branch_head_cannot_open_the_efficiency_page(app):
    at = log_in(app, "head_sub")
    with pytest.raises(Exception):  # noqa: B017 - not in the role's navigation
        at.switch_page(PAGES["efficiency"][0]).run()


def expected_dea(url: str, inputs, outputs, model: str, orientation: str, kind: str = "last12") -> pd.DataFrame:
    engine, scope = user_scope(url, "exec")
    month = queries.kpi_months(engine, scope, 1)[0]
    matrix = qc.dea_matrix(engine, scope, 1, month, kind, tuple(inputs), tuple(outputs))
    values = matrix[[*inputs, *outputs]]
    matrix = matrix[(values > 0).all(axis=1) & values.notna().all(axis=1)].set_index("id")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DEASampleSizeWarning)
        result = dea(matrix[list(inputs)], matrix[list(outputs)], model, orientation)
    engine.dispose()
    return result.assign(name=matrix["name_en"])


@pytest.mark.parametrize("model, orientation", [("ccr", "input"), ("bcc", "output")])
def test_dea_page_shows_the_scores_of_analytics_dea(app, demo_database_url, model, orientation):
    at = open_page(app, "exec", "efficiency")
    at.radio(key="dea_model").set_value(model)
    at.radio(key="dea_orientation").set_value(orientation).run()
    assert not at.exception
    inputs, outputs = ("staff", "counters", "operating_cost"), ("deposits_total", "loans_total", "fee_income_total")
    result = expected_dea(demo_database_url, inputs, outputs, model, orientation)
    table = next(frame.value for frame in at.dataframe if TEXTS["dea_col_peers"]["en"] in frame.value.columns)
    shown = dict(zip(table[TEXTS["rank_col_outlet"]["en"]], table[TEXTS["dea_col_efficiency"]["en"]]))
    assert shown == {name: f"{score:.3f}" for name, score in zip(result["name"], result["efficiency"])}
    efficient = dict(zip(table[TEXTS["rank_col_outlet"]["en"]], table[TEXTS["dea_col_efficient"]["en"]]))
    assert {n for n, e in efficient.items() if e == "yes"} == set(result.loc[result["efficient"], "name"])
    assert TEXTS["dea_too_few"]["en"].split("{")[0] in visible_text(at)  # 9 outlets < 3 × 6
    worst_id = result["efficiency"].idxmin()
    worst = result.loc[worst_id]
    if not worst["efficient"]:
        at.selectbox(key="dea_target_outlet").set_value(worst_id).run()
        assert f"{worst['name']} scores {worst['efficiency']:.3f}. To reach the frontier" in visible_text(at)
    assert len(at.get("download_button")) == 1


def test_dea_page_without_inputs_asks_for_them(app):
    at = open_page(app, "exec", "efficiency", "zh")
    at.multiselect(key="dea_inputs").set_value([]).run()
    assert not at.exception
    assert TEXTS["dea_need_variables"]["zh"] in visible_text(at)


def test_dea_page_names_the_outlets_left_out(app, demo_database_url):
    at = open_page(app, "exec", "efficiency")
    outlets = outlet_names(demo_database_url)
    engine, scope = user_scope(demo_database_url, "exec")
    matrix = qc.dea_matrix(
        engine, scope, 1, queries.kpi_months(engine, scope, 1)[0], "last12", ("staff", "counters"), ("deposits_total",)
    )
    left_out = matrix[
        (matrix[["staff", "counters"]] <= 0).any(axis=1) | matrix[["staff", "counters"]].isna().any(axis=1)
    ]
    assert len(outlets) > 0
    if not left_out.empty:
        assert fragment("dea_excluded", "en") in visible_text(at)
        assert left_out["name_en"].iloc[0] in visible_text(at)
    engine.dispose()


def test_pk_contest_shows_the_difference_in_each_metric(app, demo_database_url):
    at = open_page(app, "exec", "rankings")
    chosen = at.multiselect(key="rank_pk_outlets").value
    assert len(chosen) == 2
    at.multiselect(key="rank_pk_metrics").set_value(["deposits_total", "avg_wait_minutes"]).run()
    assert not at.exception
    engine, scope = user_scope(demo_database_url, "exec")
    month = queries.kpi_months(engine, scope, 1)[0]
    values = qc.head_to_head(engine, scope, 1, tuple(chosen), ("deposits_total",), (month,))
    values = values.set_index("outlet_id")["value"]
    table = next(frame.value for frame in at.dataframe if TEXTS["rank_col_reference"]["en"] in frame.value.columns)
    assert len(table) == 2  # the challenger × two metrics
    relative = table[TEXTS["rank_col_relative"]["en"]].iloc[0]
    expected = (values[chosen[1]] - values[chosen[0]]) / abs(values[chosen[0]])
    assert relative == ("+" if expected > 0 else "") + f"{expected * 100:.1f}%"
    figures = plotly_figures(at)
    assert any(trace["type"] == "scatterpolar" for figure in figures for trace in figure["data"])
    engine.dispose()


def test_pk_needs_two_outlets(app):
    at = open_page(app, "exec", "rankings", "zh")
    first = at.multiselect(key="rank_pk_outlets").value[:1]
    at.multiselect(key="rank_pk_outlets").set_value(first).run()
    assert not at.exception
    assert TEXTS["rank_pk_need_two"]["zh"] in visible_text(at)


def test_league_table_within_outlets_of_one_type(app, demo_database_url):
    at = open_page(app, "exec", "rankings")
    at.selectbox(key="rank_peers").set_value("type").run()
    kind = at.selectbox(key="rank_peer_type").value
    assert not at.exception
    engine, scope = user_scope(demo_database_url, "exec")
    outlets = qc.comparison_outlets(engine, scope, 1)
    table = next(frame.value for frame in at.dataframe if TEXTS["rank_col_percentile"]["en"] in frame.value.columns)
    assert sorted(table[TEXTS["rank_col_outlet"]["en"]]) == sorted(
        outlets.loc[outlets["outlet_type"] == kind, "name_en"]
    )
    engine.dispose()


@pytest.mark.parametrize("username, lang", [("exec", "en"), ("head_outlet", "zh")])
def test_bulletin_is_produced_with_one_click(app, demo_database_url, username, lang):
    at = open_page(app, username, "bulletin", lang)
    at.button(key="bulletin_generate").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert fragment("bulletin_ready", lang) in visible_text(at)
    assert len(at.get("download_button")) == 2  # PDF and Excel (the CI installs a CJK font)
    assert not at.error
    _, files, data = at.session_state["bulletin_files"]
    reader = PdfReader(io.BytesIO(files["pdf"]))
    assert (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)) == pytest.approx(
        (595.28, 841.89), abs=0.1
    )
    text = "\n".join(page.extract_text() for page in reader.pages)
    engine, scope = user_scope(demo_database_url, username)
    own = qc.comparison_outlets(engine, scope, scope.root_unit_id)
    assert all(name in text for name in own[f"name_{lang}"])
    findings = alert_findings(engine, scope, scope.root_unit_id, data.month)
    assert data.alerts is not None and len(data.alerts) == len(findings)  # nothing resolved in the demo
    assert set(data.alerts.iloc[:, 0]) <= set(own[f"name_{lang}"])
    engine.dispose()


def test_peer_group_created_through_the_page_is_listed_and_used(private_app):
    app, url = private_app
    engine, scope = user_scope(url, "exec")
    ids = qc.comparison_outlets(engine, scope, 1)["id"].tolist()[:2]
    at = open_page(app, "exec", "peer_groups")
    at.text_input(key="peer_group_name").input("Benchmark pair")
    at.multiselect(key="peer_group_members").set_value(ids)
    next(b for b in at.button if b.label == TEXTS["peer_save"]["en"]).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert TEXTS["peer_saved"]["en"].format(name="Benchmark pair") in visible_text(at)
    groups = qc.peer_group_list(engine, scope, 1)
    assert groups["name"].tolist() == ["Benchmark pair"]
    at.switch_page(PAGES["rankings"][0]).run()
    peers = at.selectbox(key="rank_peers")
    assert TEXTS["rank_peers_group"]["en"].format(name="Benchmark pair") in peers.options
    peers.set_value(f"group:{int(groups['id'].iloc[0])}").run()
    assert not at.exception
    table = next(frame.value for frame in at.dataframe if TEXTS["rank_col_percentile"]["en"] in frame.value.columns)
    assert len(table) == 2
    engine.dispose()


def test_a_peer_group_of_one_outlet_is_refused_with_a_message(private_app):
    app, url = private_app
    at = open_page(app, "exec", "peer_groups", "zh")
    engine, scope = user_scope(url, "exec")
    ids = qc.comparison_outlets(engine, scope, 1)["id"].tolist()[:1]
    at.text_input(key="peer_group_name").input("单点")
    at.multiselect(key="peer_group_members").set_value(ids)
    next(b for b in at.button if b.label == TEXTS["peer_save"]["zh"]).click().run()
    assert not at.exception
    assert TEXTS["peer_err_too_few"]["zh"].format(minimum=2) in visible_text(at)
    assert qc.peer_group_list(engine, scope, 1).empty
    engine.dispose()


def test_abcd_classes_split_within_groups_and_by_mean(app):
    at = open_page(app, "exec", "peer_groups")
    at.selectbox(key="peer_split").set_value("mean")
    at.toggle(key="peer_abcd_within").set_value(True).run()
    assert not at.exception
    counts = [m for m in at.metric if m.label in {TEXTS[f"peer_class_{c}"]["en"] for c in "ABCD"}]
    assert len(counts) == 4


# --------------------------------------------------------------------------- month, axes


@pytest.fixture(scope="module")
def city_without_last_month(demo_database_url, tmp_path_factory):
    """A copy of the demo database where one city branch has no KPI rows in the latest month (the
    region still has them): (url, city id, latest month)."""

    from sqlalchemy import delete, func

    from data.schema import KpiMonthly, KpiUnitMonthly

    url = copy_sqlite_database(demo_database_url, tmp_path_factory.mktemp("city_gap") / "demo.sqlite")
    engine = make_engine(url)
    with engine.begin() as connection:
        latest = connection.execute(select(func.max(KpiMonthly.month))).scalar()
        city_id, path = connection.execute(
            select(OrgUnit.id, OrgUnit.path).where(OrgUnit.level == "city_branch").order_by(OrgUnit.code)
        ).first()
        subtree = select(OrgUnit.id).where(OrgUnit.path.startswith(path))
        connection.execute(delete(KpiMonthly).where(KpiMonthly.month == latest, KpiMonthly.outlet_id.in_(subtree)))
        connection.execute(
            delete(KpiUnitMonthly).where(KpiUnitMonthly.month == latest, KpiUnitMonthly.unit_id.in_(subtree))
        )
    engine.dispose()
    return url, city_id, latest


@pytest.mark.parametrize("page", ["rankings", "peer_groups", "efficiency"])
def test_a_month_the_unit_has_no_data_for_is_said_with_the_months_shown(
    page, city_without_last_month, monkeypatch, navigation_only_pages
):
    from tests.apptest_support import new_app

    url, city_id, latest = city_without_last_month
    monkeypatch.setenv("DATABASE_URL", url)
    at = log_in(new_app(180), "exec", lang="zh")
    assert not at.exception and not at.error, ([e.value for e in at.exception], [e.value for e in at.error])
    assert at.session_state["month"] == latest  # the region has the month
    at.query_params["unit"] = str(city_id)
    at.switch_page(PAGES[page][0]).run()
    assert not at.exception, [e.value for e in at.exception]
    warnings_shown = [w.value for w in at.warning]
    assert any(f"所选月份 {latest:%Y-%m}" in w and "本页显示" in w for w in warnings_shown), warnings_shown


def test_league_and_pk_axes_in_wan_yi_with_chinese_months(app):
    at = open_page(app, "exec", "rankings", "zh")
    figures = {f["layout"]["title"]["text"]: f for f in plotly_figures(at)}
    league = next(f for title, f in figures.items() if title.startswith("存款余额排行"))
    assert league["layout"]["xaxis"]["title"]["text"] in ("存款余额（亿元）", "存款余额（万元）")
    assert league["layout"]["xaxis"]["exponentformat"] == "none"  # no "30B"
    multiples = figures[TEXTS["rank_pk_small_multiples"]["zh"]]  # the PK tab's default contest
    assert multiples["layout"]["xaxis"]["tickformat"] == "%Y年%-m月"
    used = {"yaxis" + trace.get("yaxis", "y")[1:] for trace in multiples["data"]}
    assert all(multiples["layout"][axis].get("exponentformat") == "none" for axis in used)
