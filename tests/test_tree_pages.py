"""Pages for users scoped below the whole bank, and on a tree of several provinces (AppTest).

A city-branch executive (demo user ``exec_city``) lands on their city, sees only it on the
overview, rankings and KPI explorer, and is told a unit of another city is outside their scope.
On the three-province demo an unscoped executive lands on the head office, whose drill-down lists
the provinces, and a synthetic province says what it is.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from config.translations import TEXTS
from data.db import make_engine
from data.schema import OrgUnit
from tests.apptest_support import log_in, new_app
from tests.tree_support import provinces_sqlite_url

PAGES = ("pages/overview.py", "pages/rankings.py", "pages/kpi_explorer.py")


def unit_rows(database_url: str) -> dict[str, tuple[int, str, str]]:
    """code → (id, path, English name) of every unit."""
    engine = make_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(select(OrgUnit.code, OrgUnit.id, OrgUnit.path, OrgUnit.name_en)).all()
    engine.dispose()
    return {code: (unit_id, path, name) for code, unit_id, path, name in rows}


def open_page(at, page: str):
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", PAGES)
def test_a_city_branch_executive_sees_their_city_on_every_page(app, demo_database_url, page):
    units = unit_rows(demo_database_url)
    city_id, city_path, city_name = units["C150100"]
    at = log_in(app, "exec_city")
    assert not at.exception, [e.value for e in at.exception]
    scope = at.session_state["scope"]
    assert (scope.role, scope.root_unit_id, scope.root_path) == ("executive", city_id, city_path)
    at = open_page(at, page)
    assert at.session_state["focus_unit_id"] == city_id
    assert " › ".join([city_name]) in [c.value for c in at.sidebar.caption]  # the breadcrumb starts at the city
    if page == "pages/overview.py":
        assert at.caption[0].value.startswith(city_name)
        shown = set(at.dataframe[0].value.iloc[:, 0])  # the map's table: outlet codes
        inside = {code for code, (_, path, _) in units.items() if code.startswith("O") and path.startswith(city_path)}
        assert shown and shown <= inside


def test_a_city_branch_executive_asking_for_another_city_is_told_and_stays_home(app, demo_database_url):
    units = unit_rows(demo_database_url)
    city_id = units["C150100"][0]
    other_id = units["C150200"][0]
    at = log_in(app, "exec_city")
    at.query_params["unit"] = str(other_id)
    at = open_page(at, "pages/overview.py")
    assert TEXTS["scope_unit_not_allowed"]["en"] in [e.value for e in at.error]
    assert at.session_state["focus_unit_id"] == city_id


@pytest.fixture(scope="module")
def provinces_url(tmp_path_factory):
    """The three-province demo on SQLite (shared with tests/test_tree_scopes.py)."""
    return provinces_sqlite_url(tmp_path_factory)


@pytest.fixture
def provinces_app(provinces_url, monkeypatch, navigation_only_pages):
    monkeypatch.setenv("DATABASE_URL", provinces_url)
    return new_app(180)


def test_an_unscoped_executive_starts_at_the_head_office_and_drills_into_provinces(provinces_app, provinces_url):
    units = unit_rows(provinces_url)
    at = log_in(provinces_app, "exec")
    at = open_page(at, "pages/overview.py")
    assert at.session_state["focus_unit_id"] == units["H00"][0]
    assert at.caption[0].value.startswith(units["H00"][2])
    level = TEXTS["level_region"]["en"]
    assert TEXTS["overview_children_title"]["en"].format(level=level) in [s.value for s in at.subheader]
    tables = [set(table.value.iloc[:, 0]) for table in at.dataframe]  # map table, drill-down, key customers
    assert {"R15", "R91", "R92"} in tables


def test_a_synthetic_province_says_so_and_the_real_one_names_its_census(provinces_app, provinces_url):
    units = unit_rows(provinces_url)
    at = log_in(provinces_app, "exec")
    at.query_params["unit"] = str(units["R91"][0])
    at = open_page(at, "pages/overview.py")
    captions = [c.value for c in at.sidebar.caption]
    assert TEXTS["origin_synthetic_help"]["en"] in captions
    at.query_params["unit"] = str(units["R15"][0])
    at = open_page(at, "pages/overview.py")
    captions = [c.value for c in at.sidebar.caption]
    assert TEXTS["origin_census_help"]["en"] in captions and TEXTS["origin_synthetic_help"]["en"] not in captions


@pytest.mark.parametrize("page", PAGES)
def test_a_provincial_executive_sees_their_province_only(provinces_app, provinces_url, page):
    units = unit_rows(provinces_url)
    province_id, province_path, province_name = units["R15"]
    at = log_in(provinces_app, "exec_province")
    scope = at.session_state["scope"]
    assert (scope.root_unit_id, scope.root_path) == (province_id, province_path)
    at.query_params["unit"] = str(units["R91"][0])  # another province
    at = open_page(at, page)
    assert TEXTS["scope_unit_not_allowed"]["en"] in [e.value for e in at.error]
    assert at.session_state["focus_unit_id"] == province_id


def test_every_page_of_an_executive_opens_at_the_head_office_and_in_a_synthetic_province(provinces_app, provinces_url):
    """Each page of the executive's menu runs without an error on a five-level tree, at the head
    office and at a synthetic province's city branch."""
    from config.roles import ROLE_POLICIES

    units = unit_rows(provinces_url)
    at = log_in(provinces_app, "exec")
    crashed = []
    for unit_code in ("H00", "C910100"):
        for name in ROLE_POLICIES["executive"].pages:
            at.query_params["unit"] = str(units[unit_code][0])
            at.switch_page(f"pages/{name}.py").run()
            if at.exception:
                crashed.append((unit_code, name, [e.value for e in at.exception][:1]))
            elif at.session_state["focus_unit_id"] != units[unit_code][0]:
                crashed.append((unit_code, name, "focus moved"))
    assert crashed == []
