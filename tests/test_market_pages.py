"""The map and site-selection pages under AppTest: every role that sees them, both languages,
their controls, bad input, and results equal to the analytics on the same inputs."""

from __future__ import annotations

import json
import re

import pytest

from config.roles import ROLE_POLICIES
from config.translations import TEXTS
from tests.apptest_support import log_in, open_page, visible_text
from tests.test_duplicate_names import same_names_url  # noqa: F401 (fixture: every outlet one name)

MAP_PAGE = "pages/market_map.py"
PLANNING_USERS = ["exec", "planner"]
PLANNING_PAGES = [
    "pages/market_map.py",
    "pages/huff_model.py",
    "pages/candidates.py",
    "pages/scenarios.py",
    "pages/optimisation.py",
]


def fragment(key: str, lang: str) -> str:
    """The longest literal piece of a translated text (placeholders removed)."""
    return max(re.split(r"{\w+}", TEXTS[key][lang]), key=len)


def deck_layers(at) -> dict[str, dict]:
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    return {layer["id"]: layer for layer in spec["layers"]}


def test_planning_pages_are_for_executives_and_planners_and_the_auditor_reads_them():
    """The auditor (read-only) gets the planning pages that write nothing: not Scenarios, which saves."""
    for role, policy in ROLE_POLICIES.items():
        for page in PLANNING_PAGES:
            has = page.removeprefix("pages/").removesuffix(".py") in policy.pages
            reads = role == "auditor" and page != "pages/scenarios.py"
            assert has == (role in ("executive", "planner") or reads), (role, page)


@pytest.mark.parametrize("username", PLANNING_USERS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_market_map_for_each_role(app, username, lang):
    at = open_page(app, username, MAP_PAGE, lang)
    assert at.title[0].value == TEXTS["map_title"][lang]
    text = visible_text(at)
    for key in ("map_competition_title", "map_metric_share"):
        assert TEXTS[key][lang] in text
    layers = deck_layers(at)
    assert {"cells", "outlets", "competitors", "rings"} <= set(layers)
    assert all(m.value not in ("", "—") for m in at.metric)
    assert len(at.get("download_button")) == 1


SELECTED_COLOUR = [230, 85, 13]  # pages/market_map.py: the selected outlet's dot


def highlighted_outlets(at) -> list[int]:
    """Ids of the outlets drawn in the selected outlet's colour on the map."""
    return [int(point["id"]) for point in deck_layers(at)["outlets"]["data"] if point["colour"] == SELECTED_COLOUR]


def detail_heading(at) -> str:
    prefix = TEXTS["map_detail_title"]["en"].split("{", 1)[0]
    return next(h.value for h in at.subheader if h.value.startswith(prefix))


def test_market_map_cell_views_and_outlet_switch(app):
    at = open_page(app, "planner", MAP_PAGE)
    for view in ("none", "population", "income", "businesses", "customers", "share", "travel_time"):
        at.selectbox(key="map_view").set_value(view).run()
        assert not at.exception, view
        assert ("cells" in deck_layers(at)) == (view != "none")
    first = at.selectbox(key="map_outlet").value
    assert highlighted_outlets(at) == [first]
    detail = detail_heading(at)
    # Switch to another outlet: the map highlights it and the detail below is about it.
    outlets = at.selectbox(key="map_outlet")
    other = outlets.options[1]  # options read "code · unique label"
    other_id = next(int(p["id"]) for p in deck_layers(at)["outlets"]["data"] if other.startswith(f"{p['code']} · "))
    outlets.set_value(other_id).run()
    assert not at.exception
    assert at.selectbox(key="map_outlet").value == other_id != first
    assert highlighted_outlets(at) == [other_id]
    assert detail_heading(at) == TEXTS["map_detail_title"]["en"].format(name=other.split(" · ", 1)[1]) != detail
    at.multiselect(key="map_banks").set_value([]).run()
    assert "competitors" not in deck_layers(at)
    at.toggle(key="map_districts").set_value(False).run()
    assert not at.exception


@pytest.mark.parametrize("page", PLANNING_PAGES)
def test_branch_heads_do_not_get_the_planning_pages(app, page):
    # A trade area or share is only right with every outlet of the city in the model, and the
    # bank's other outlets are outside a branch head's scope; so the pages are not theirs.
    at = log_in(app, "head_sub")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page).run()


HUFF_PAGE = "pages/huff_model.py"


def demo_calibration(url):
    from analytics import catchment, huff
    from data import queries_market
    from data.db import make_engine
    from data.scope import scope_for

    engine = make_engine(url)
    with engine.connect() as connection:
        scope = scope_for(connection, "exec", "executive", None)
    frames = [query(engine, scope, 1) for query in (queries_market.market_demand_cells, queries_market.market_outlets)]
    customers = queries_market.market_customer_cells(engine, scope, 1)
    engine.dispose()
    data = catchment.calibration_data(*frames, customers, min_distance_km=0.35)
    return huff.calibrate_huff(data.distances, data.attractiveness, data.counts)


@pytest.mark.parametrize("username", PLANNING_USERS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_huff_page_for_each_role_shows_the_fit(app, demo_database_url, username, lang):
    at = open_page(app, username, HUFF_PAGE, lang)
    assert at.title[0].value == TEXTS["huff_title"][lang]
    fit = demo_calibration(demo_database_url)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[TEXTS["huff_metric_lambda"][lang]] == f"{fit.lambda_:.3f}"
    assert metrics[TEXTS["huff_metric_alpha"][lang]] == f"{fit.alpha:.3f}"
    text = visible_text(at)
    assert fragment("huff_demo_truth", lang) in text
    assert len(at.get("plotly_chart")) == 4
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert all(titles)


def test_huff_page_options_and_use_on_the_map(app):
    at = open_page(app, "planner", HUFF_PAGE)
    at.toggle(key="huff_fit_alpha").set_value(False).run()
    assert not at.exception
    assert TEXTS["huff_alpha_fixed"]["en"] in visible_text(at)
    at.selectbox(key="huff_kind").set_value("personal").run()
    assert not at.exception
    at.button(key="huff_use").click().run()
    params = at.session_state["huff_params"]
    assert params["alpha"] == 1.0  # α held at its starting value
    at.switch_page(MAP_PAGE).run()
    assert not at.exception
    assert at.number_input(key="map_lambda").value == pytest.approx(params["lambda"])


CAND_PAGE = "pages/candidates.py"


@pytest.mark.parametrize("username", PLANNING_USERS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_candidate_page_for_each_role(app, username, lang):
    at = open_page(app, username, CAND_PAGE, lang)
    assert at.title[0].value == TEXTS["cand_title"][lang]
    assert "cells" in deck_layers(at)
    table = at.dataframe[-1].value
    assert len(table) == 10
    assert TEXTS["cand_col_npv"][lang] in table.columns and TEXTS["cand_col_payback"][lang] in table.columns
    scores = table[TEXTS["cand_rank_suitability"][lang]]
    assert scores.is_monotonic_decreasing and scores.between(0, 100).all()
    assert len(at.get("download_button")) == 1
    assert not at.error


def test_candidate_weights_must_add_up_to_100(app):
    at = open_page(app, "planner", CAND_PAGE)
    at.number_input(key="cand_w_population").set_value(40.0).run()
    assert TEXTS["cand_err_weights_total"]["en"].format(total="115") in [e.value for e in at.error]
    assert not at.get("download_button")


def test_candidate_points_typed_duplicates_and_outside_region(app, demo_database_url):
    at = open_page(app, "planner", CAND_PAGE)
    at.radio(key="cand_source").set_value("points").run()
    assert TEXTS["cand_no_candidates"]["en"] in visible_text(at)
    lon, lat = at.number_input(key="cand_lon").value, at.number_input(key="cand_lat").value
    at.button(key="cand_add").click().run()
    assert not at.exception and len(at.session_state["cand_points"]) == 1
    table = at.dataframe[-1].value
    assert len(table) == 1 and table.iloc[0][TEXTS["cand_col_site"]["en"]] == "Candidate 1"
    at.number_input(key="cand_lon").set_value(lon).run()
    at.number_input(key="cand_lat").set_value(lat).run()
    at.button(key="cand_add").click().run()  # same coordinates again
    assert len(at.session_state["cand_points"]) == 1
    assert any(TEXTS["cand_err_row_duplicate"]["en"] in e.value for e in at.error)
    at.number_input(key="cand_lon").set_value(100.0).run()
    at.button(key="cand_add").click().run()  # far outside the region
    assert len(at.session_state["cand_points"]) == 1
    assert any(TEXTS["cand_err_row_outside_region"]["en"] in e.value for e in at.error)
    at.selectbox(key="cand_rank_by").set_value("npv_rmb").run()
    assert not at.exception


SCEN_PAGE = "pages/scenarios.py"


@pytest.mark.parametrize("username", PLANNING_USERS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_scenario_page_for_each_role(app, username, lang):
    at = open_page(app, username, SCEN_PAGE, lang)
    assert at.title[0].value == TEXTS["scen_title"][lang]
    assert TEXTS["scen_no_actions"][lang] in visible_text(at)
    labels = [m.label for m in at.metric]
    assert TEXTS["scen_metric_market_share"][lang] in labels
    assert not at.error


def test_scenario_close_merge_open_save_compare_and_delete(app, demo_database_url):
    from sqlalchemy import select

    from data.db import make_engine
    from data.schema import AuditLog, Scenario

    at = open_page(app, "planner", SCEN_PAGE)
    outlets = at.selectbox(key="scen_kind").set_value("close").run().selectbox(key="scen_outlet")
    first, second = outlets.options[0], outlets.options[1]
    at.button(key="scen_add").click().run()
    assert not at.exception and len(at.session_state["scen_actions"]) == 1
    assert TEXTS["scen_flows_title"]["en"] in visible_text(at)
    flows = at.dataframe[-1].value
    shares = flows[TEXTS["scen_col_share"]["en"]].str.rstrip("%").astype(float)
    assert shares.sum() == pytest.approx(100, abs=0.1 * len(shares))  # the closed outlet's demand is conserved
    at.button(key="scen_add").click().run()  # the same outlet cannot close twice
    assert len(at.session_state["scen_actions"]) == 1
    assert TEXTS["scen_err_unknown_outlet"]["en"] in [e.value for e in at.error]
    at.selectbox(key="scen_kind").set_value("open").run()
    at.button(key="scen_add").click().run()
    assert len(at.session_state["scen_actions"]) == 2 and not at.exception
    at.button(key="scen_save").click().run()  # no name
    assert TEXTS["scen_err_name"]["en"] in [e.value for e in at.error]
    at.text_input(key="scen_name").input("Close and open").run()
    at.button(key="scen_save").click().run()
    assert not at.exception
    engine = make_engine(demo_database_url)
    with engine.connect() as connection:
        stored = connection.execute(select(Scenario.id, Scenario.params, Scenario.results)).all()
        audited = connection.execute(select(AuditLog.action).where(AuditLog.username == "planner")).scalars().all()
    engine.dispose()
    assert len(stored) >= 1 and "scenario_save" in audited
    saved = [row for row in stored if len(row.params["actions"]) == 2][0]
    assert saved.results["own_outlets"]["change"] == 0.0  # one closed, one opened
    at.multiselect(key="scen_compare").set_value([saved.id]).run()
    assert "Close and open" in at.dataframe[-1].value.columns
    assert len(at.get("download_button")) == 2
    at.button(key="scen_delete").click().run()
    assert not at.exception
    at.button(key="scen_clear").click().run()
    assert at.session_state["scen_actions"] == []
    assert first != second


def test_undo_and_clear_are_disabled_in_the_run_that_empties_the_scenario(app):
    """The buttons are drawn for what is left after the click, not one run behind: an undo drawn
    enabled over an empty scenario would fail on its next click, and a browser waiting for the
    clear button to turn grey would wait for ever."""
    at = open_page(app, "planner", SCEN_PAGE)
    at.selectbox(key="scen_kind").set_value("close").run()
    at.button(key="scen_add").click().run()
    assert not at.button(key="scen_undo").disabled and not at.button(key="scen_clear").disabled
    at.button(key="scen_undo").click().run()
    assert at.session_state["scen_actions"] == [] and not at.exception
    assert at.button(key="scen_undo").disabled and at.button(key="scen_clear").disabled
    at.button(key="scen_add").click().run()
    at.button(key="scen_clear").click().run()
    assert at.session_state["scen_actions"] == [] and not at.exception
    assert at.button(key="scen_undo").disabled and at.button(key="scen_clear").disabled


OPT_PAGE = "pages/optimisation.py"


def demo_design(url):
    """The optimisation page's inputs with its default settings, rebuilt from the analytics."""
    from analytics import catchment
    from data import queries, queries_market
    from data.db import make_engine
    from data.scope import scope_for

    engine = make_engine(url)
    with engine.connect() as connection:
        scope = scope_for(connection, "exec", "executive", None)
    cells = queries_market.market_demand_cells(engine, scope, 1)
    outlets = queries_market.market_outlets(engine, scope, 1)
    competitors = queries.competitor_outlets(engine, scope, 1)
    engine.dispose()
    trading = outlets[(outlets["status"] == "open") & outlets["lon"].notna()].reset_index(drop=True)
    network = catchment.build_market(cells, trading, competitors, min_distance_km=0.35)
    new_sites = catchment.candidate_cells(
        network.cells[network.cells["in_market"]], trading[["lon", "lat"]].to_numpy(), 40, 0.5
    )
    same = outlets[outlets["outlet_type"] == "sub_office"]
    attractiveness = float(catchment.attractiveness_of_outlets([same["floor_area_m2"].median()], ["sub_office"])[0])
    design = catchment.network_design_inputs(
        network,
        new_sites,
        attractiveness,
        distance_decay=2.0,
        attractiveness_exponent=1.0,
        cutoff_km=8.0,
        min_distance_km=0.35,
    )
    return design, same["build_cost_rmb"].median()


def solve_on_page(at, model, **widgets):
    at.radio(key="opt_model").set_value(model).run()
    for key, value in widgets.items():
        widget = (
            at.toggle(key=key)
            if key == "opt_budget_on"
            else at.number_input(key=key)
            if key != "opt_existing" and key != "opt_method"
            else at.selectbox(key=key)
        )
        widget.set_value(value).run()
    at.button(key="opt_solve").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("username", PLANNING_USERS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_optimisation_page_for_each_role_covering_equals_the_analytics(app, demo_database_url, username, lang):
    from analytics import siting
    from ui.format import format_count

    at = open_page(app, username, OPT_PAGE, lang)
    assert at.title[0].value == TEXTS["opt_title"][lang]
    assert TEXTS["opt_press_solve"][lang] in visible_text(at)
    metrics = solve_on_page(at, "covering")
    design, _ = demo_design(demo_database_url)
    p = len(design.existing) + 3
    expected = siting.maximal_covering(
        design.distance_km, design.cells["population"].to_numpy(), p, 1.5, design.existing
    )
    assert metrics[TEXTS["opt_objective_covering"][lang]] == format_count(expected.objective, lang)
    assert metrics[TEXTS["opt_metric_status"][lang]] == TEXTS["opt_status_optimal"][lang]
    assert len(at.get("download_button")) == 1


@pytest.mark.parametrize("model", ["pmedian", "huff"])
def test_optimisation_page_pmedian_and_huff_equal_the_analytics(app, demo_database_url, model):
    from analytics import siting

    at = open_page(app, "planner", OPT_PAGE)
    design, _ = demo_design(demo_database_url)
    p = len(design.existing) + 3
    metrics = solve_on_page(at, model, opt_existing="may_close")
    if model == "pmedian":
        expected = siting.p_median(design.distance_km, design.cells["population"].to_numpy(), p)
        shown = metrics[TEXTS["opt_objective_pmedian"]["en"]]
        assert shown == TEXTS["opt_person_km"]["en"].format(value=f"{expected.objective:,.0f}")
        assert metrics[TEXTS["opt_metric_status"]["en"]] == TEXTS["opt_status_optimal"]["en"]
    else:
        expected = siting.max_huff_capture(
            design.attraction, design.other, design.cells["demand"].to_numpy(), p, method="greedy"
        )
        assert metrics[TEXTS["opt_objective_huff"]["en"]] == f"{expected.objective:,.0f}"
        assert metrics[TEXTS["opt_metric_status"]["en"]] == TEXTS["opt_status_heuristic"]["en"]
        assert metrics[TEXTS["opt_metric_gap"]["en"]] == f"{expected.gap * 100:.1f}%"
    decisions = at.dataframe[-1].value[TEXTS["opt_col_decision"]["en"]]
    assert (decisions == TEXTS["opt_decision_open"]["en"]).sum() + (
        decisions == TEXTS["opt_decision_keep"]["en"]
    ).sum() == p


def test_optimisation_bad_input_k_and_budget(app, demo_database_url):
    at = open_page(app, "planner", OPT_PAGE)
    at.number_input(key="opt_k").set_value(41).run()
    assert TEXTS["opt_err_k"]["en"].format(k=41, n=40) in [e.value for e in at.error]
    at.number_input(key="opt_k").set_value(2).run()
    _, build_cost = demo_design(demo_database_url)
    metrics = solve_on_page(at, "huff", opt_budget_on=True, opt_budget=float(build_cost) * 1.5)
    assert TEXTS["opt_err_budget"]["en"] in [e.value for e in at.error] and not metrics
    metrics = solve_on_page(at, "huff", opt_budget=float(build_cost) * 2, opt_method="exact", opt_time_limit=5.0)
    status = metrics[TEXTS["opt_metric_status"]["en"]]
    assert status in (TEXTS["opt_status_optimal"]["en"], TEXTS["opt_status_time_limit"]["en"])
    if status == TEXTS["opt_status_time_limit"]["en"]:
        assert any(fragment("opt_not_proven", "en") in w.value for w in at.warning)


# --------------------------------------------------------------------------- tooltips, labels, dates


def test_map_tooltips_are_an_html_template_over_plain_text():
    import pandas as pd
    import pydeck as pdk

    from ui import maps

    frame = pd.DataFrame(
        {
            "lon": [87.6, 87.7],
            "lat": [43.8, 43.9],
            "colour": [[1, 2, 3]] * 2,
            "tooltip": ["<b>锦绣分理处</b><br/>营业部 · 营业中<br/>A &amp; B", "人口: 1,200"],
        }
    )
    deck = maps.build_deck(
        [maps.point_layer(frame, "outlets", 100, 3)], pdk.ViewState(longitude=87.6, latitude=43.8, zoom=9), ""
    )
    spec = json.loads(deck.to_json())
    assert "html" in deck._tooltip and "<b>{tooltip_title}</b>" in deck._tooltip["html"]
    records = spec["layers"][0]["data"]
    assert [(r["tooltip_title"], r["tooltip_body"]) for r in records] == [
        ("锦绣分理处", "营业部 · 营业中\nA & B"),
        ("", "人口: 1,200"),
    ]
    assert maps.tooltip_parts(None) == ("", "")


def deck_tooltip_problems(at) -> list:
    """Tooltips that would show literal tags or an unfilled placeholder, on every map of the page."""
    problems = []
    for chart in at.get("deck_gl_json_chart"):
        tooltip = json.loads(chart.proto.tooltip)
        if "html" not in tooltip:
            problems.append(("no html template", tooltip))
        fields = re.findall(r"{(\w+)}", tooltip.get("html", ""))
        for layer in json.loads(chart.proto.json)["layers"]:
            if not layer.get("pickable") or not isinstance(layer.get("data"), list):
                continue
            for record in layer["data"]:
                texts = [str(record.get(field, "{missing}")) for field in fields]
                if any(re.search(r"<[a-z/]|{missing}", text) for text in texts):
                    problems.append((layer["id"], texts))
                    break
    return problems


@pytest.mark.parametrize("page", ["pages/market_map.py", "pages/candidates.py", "pages/overview.py"])
def test_map_tooltips_render_as_html_not_literal_tags(app, page):
    # every page's map goes through ui.maps.build_deck, which makes the tooltips safe HTML
    at = open_page(app, "planner", page, "zh")
    assert at.get("deck_gl_json_chart")
    assert not deck_tooltip_problems(at)


def test_market_map_tooltips_in_every_cell_view(app):
    at = open_page(app, "planner", MAP_PAGE, "zh")
    for view in ("population", "share", "trade_area", "travel_time"):
        at.selectbox(key="map_view").set_value(view).run()
        assert not deck_tooltip_problems(at), view


def test_planning_pages_state_their_data_dates(app):
    from tests.apptest_support import new_app

    for page in ("pages/market_map.py", "pages/huff_model.py", "pages/candidates.py", "pages/optimisation.py"):
        at = open_page(new_app(180), "planner", page, "zh")
        assert fragment("plan_data_current", "zh") in visible_text(at), page
    at = open_page(app, "planner", SCEN_PAGE, "zh")
    assert f"{at.session_state['month']:%Y-%m}" in visible_text(at)
    at.session_state["month"] = at.session_state["month"].replace(year=at.session_state["month"].year - 1)
    at.run()
    assert f"{at.session_state['month']:%Y-%m}" in visible_text(at)


def test_scenario_pickers_tell_outlets_with_one_name_apart(same_names_url, monkeypatch, navigation_only_pages):  # noqa: F811
    from tests.apptest_support import new_app

    monkeypatch.setenv("DATABASE_URL", same_names_url)
    at = open_page(new_app(180), "planner", SCEN_PAGE, "zh")
    at.selectbox(key="scen_kind").set_value("merge").run()
    for key in ("scen_outlet", "scen_target"):
        options = at.selectbox(key=key).options
        assert len(options) > 1 and len(options) == len(set(options)), (key, options)
    at.selectbox(key="scen_kind").set_value("close").run()
    at.button(key="scen_add").click().run()
    assert not at.exception
    for chart in at.get("plotly_chart"):
        for trace in json.loads(chart.proto.spec)["data"]:
            labels = [v for v in trace.get("y", []) if isinstance(v, str)]
            assert len(labels) == len(set(labels)), labels


def test_scenario_open_action_does_not_double_the_word(app):
    at = open_page(app, "planner", SCEN_PAGE, "zh")
    at.selectbox(key="scen_kind").set_value("open").run()
    at.button(key="scen_add").click().run()
    assert not at.exception
    text = visible_text(at)
    assert "新设" in text and "新设 新设" not in text


def test_optimisation_result_tells_outlets_with_one_name_apart(same_names_url, monkeypatch, navigation_only_pages):  # noqa: F811
    from tests.apptest_support import new_app

    monkeypatch.setenv("DATABASE_URL", same_names_url)
    at = open_page(new_app(180), "planner", OPT_PAGE, "zh")
    solve_on_page(at, "covering", opt_existing="may_close")
    sites = at.dataframe[-1].value[TEXTS["opt_col_site"]["zh"]].tolist()
    ours = [s for s in sites if s.startswith("民族分理处")]
    assert len(ours) > 1 and len(ours) == len(set(ours)), ours


def test_candidate_export_sheets_speak_the_session_language(app, monkeypatch):
    """Both sheets of the candidates workbook have translated names and headers (no raw field
    names such as "site" or "npv_rmb"); the numbers sheet holds the same columns as numbers."""
    import ui.excel

    sheets = {}
    original = ui.excel.frames_to_xlsx

    def capture(frames):
        sheets.update(frames)
        return original(frames)

    monkeypatch.setattr(ui.excel, "frames_to_xlsx", capture)
    open_page(app, "planner", CAND_PAGE, "zh")
    assert list(sheets) == [TEXTS["cand_top_title"]["zh"], TEXTS["cand_export_numbers"]["zh"]]
    shown, numbers = sheets.values()
    assert list(numbers.columns) == list(shown.columns)
    assert not any(column.isascii() for column in numbers.columns), list(numbers.columns)
    assert numbers[TEXTS["cand_col_npv"]["zh"]].dtype.kind == "f"
