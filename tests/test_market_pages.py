"""The map and site-selection pages under AppTest: every role that sees them, both languages,
their controls, bad input, and results equal to the analytics on the same inputs."""

from __future__ import annotations

import json
import re

import pytest

from config.roles import ROLE_POLICIES
from config.translations import TEXTS
from tests.apptest_support import PathWithoutLegacyPages, log_in, new_app

MAP_PAGE = "pages/market_map.py"
PLANNING_USERS = ["exec", "planner"]


@pytest.fixture
def app(demo_database_url, monkeypatch):
    from streamlit.runtime import pages_manager

    monkeypatch.setattr(pages_manager, "Path", PathWithoutLegacyPages)
    monkeypatch.setenv("DATABASE_URL", demo_database_url)
    return new_app(120)


def visible_text(at) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.title]
    parts += [e.value for e in at.error] + [e.value for e in at.warning] + [e.value for e in at.info]
    parts += [e.label for e in at.metric] + [e.value for e in at.subheader] + [e.value for e in at.success]
    return "\n".join(str(p) for p in parts)


def fragment(key: str, lang: str) -> str:
    """The longest literal piece of a translated text (placeholders removed)."""
    return max(re.split(r"{\w+}", TEXTS[key][lang]), key=len)


def open_page(app, username: str, page: str, lang: str = "en"):
    at = log_in(app, username, lang=lang)
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def deck_layers(at) -> dict[str, dict]:
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    return {layer["id"]: layer for layer in spec["layers"]}


def test_planning_pages_are_for_executives_and_planners_only():
    for role, policy in ROLE_POLICIES.items():
        has = "market_map" in policy.pages
        assert has == (role in ("executive", "planner")), role


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


def test_market_map_cell_views_and_outlet_switch(app):
    at = open_page(app, "planner", MAP_PAGE)
    for view in ("none", "population", "income", "businesses", "customers", "share", "travel_time"):
        at.selectbox(key="map_view").set_value(view).run()
        assert not at.exception, view
        assert ("cells" in deck_layers(at)) == (view != "none")
    outlets = at.selectbox(key="map_outlet")
    outlets.set_value(outlets.options and at.selectbox(key="map_outlet").value).run()
    at.multiselect(key="map_banks").set_value([]).run()
    assert "competitors" not in deck_layers(at)
    at.toggle(key="map_districts").set_value(False).run()
    assert not at.exception


def test_branch_head_cannot_open_the_market_map(app):
    at = log_in(app, "head_outlet")
    with pytest.raises(Exception):
        at.switch_page(MAP_PAGE).run()
