"""An organisation of any depth and scopes at every level, on SQLite and PostgreSQL.

The demo with three provinces (``generate(..., provinces=3)``): a head office above Inner
Mongolia (real city facts) and two small synthetic provinces. Every role is scoped to a unit of
every level (head office, province, city branch, sub-branch, outlet) and must see exactly that
unit's subtree; figures, rankings and peers are recomputed with pandas from ``kpi_monthly``.
"""

from __future__ import annotations

import datetime as dt
import importlib

import pandas as pd
import pytest
from sqlalchemy import select

from config.metrics import BY_CODE, components
from config.roles import ROLE_POLICIES
from config.settings import PROJECT_ROOT
from data import queries, queries_comparison, queries_performance
from data.db import make_engine
from data.demo import generate
from data.kpi_rollup import is_current
from data.peer_groups import PeerGroupError, create_peer_group
from data.privacy import mask_name
from data.schema import ROLES, AppUser, DatasetInfo, KpiMonthly, KpiUnitMonthly, OrgUnit
from data.scope import Scope, ScopeError, bank_root, require_unit_in_scope, scope_for
from tests.conftest import BACKENDS, empty_database
from tests.tree_support import PROVINCES, SCALE, provinces_sqlite_url

for _module in sorted((PROJECT_ROOT / "data").glob("queries_*.py")):  # every query registers itself
    importlib.import_module(f"data.{_module.stem}")

LEVELS = ("head_office", "region", "city_branch", "sub_branch", "outlet")


@pytest.fixture(scope="module", params=BACKENDS)
def bank(request, tmp_path_factory):
    """The three-province demo (scale 0.01) on each backend, shared by the module's tests."""
    if request.param == "sqlite":
        engine = make_engine(provinces_sqlite_url(tmp_path_factory))
        yield engine
        engine.dispose()
        return
    with empty_database(request.param, tmp_path_factory.mktemp("provinces")) as url:
        engine = make_engine(url)
        generate(engine, scale=SCALE, with_demo_users=True, provinces=PROVINCES)
        yield engine
        engine.dispose()


def units_of(engine) -> pd.DataFrame:
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                OrgUnit.id,
                OrgUnit.code,
                OrgUnit.level,
                OrgUnit.path,
                OrgUnit.parent_id,
                OrgUnit.status,
                OrgUnit.outlet_type,
                OrgUnit.data_origin,
                OrgUnit.name_en,
            )
        ).all()
    return pd.DataFrame(rows, columns=list(rows[0]._mapping)).set_index("id", drop=False)


def kpis_of(engine, month: dt.date | None = None) -> pd.DataFrame:
    with engine.connect() as connection:
        statement = select(KpiMonthly.outlet_id, KpiMonthly.metric_code, KpiMonthly.month, KpiMonthly.value)
        if month is not None:
            statement = statement.where(KpiMonthly.month == month)
        rows = connection.execute(statement).all()
    return pd.DataFrame(rows, columns=["outlet_id", "metric_code", "month", "value"])


def last_month(engine) -> dt.date:
    with engine.connect() as connection:
        return connection.execute(select(KpiMonthly.month).order_by(KpiMonthly.month.desc())).scalars().first()


def first_open(units: pd.DataFrame, level: str, under: str = "/") -> pd.Series:
    """The open unit of ``level`` with the smallest code under a path (the same one every run)."""
    found = units[(units.level == level) & (units.status == "open") & units.path.str.startswith(under)]
    return found.sort_values("code").iloc[0]


def expected(kpis: pd.DataFrame, outlets, code: str) -> float:
    """A metric recomputed from the raw outlet rows: sums of numerator over denominator."""
    rows = kpis[kpis.outlet_id.isin(list(outlets))]
    numerator, denominator = components(BY_CODE[code])
    top = rows.loc[rows.metric_code.isin(numerator), "value"].sum()
    return top if not denominator else top / rows.loc[rows.metric_code.isin(denominator), "value"].sum()


def scope_of(engine, role: str, unit_id: int | None, username: str = "someone") -> Scope:
    with engine.connect() as connection:
        return scope_for(connection, username, role, unit_id)


# --- The tree ------------------------------------------------------------------------------------


def test_a_head_office_sits_above_the_real_and_the_synthetic_provinces(bank):
    units = units_of(bank)
    top = units[units.parent_id.isna()]
    assert list(top.level) == ["head_office"] and list(top.path) == ["/1/"]
    provinces = units[units.level == "region"].sort_values("code")
    assert list(provinces.code) == ["R15", "R91", "R92"]
    assert set(provinces.parent_id) == {1}
    assert list(provinces.data_origin) == ["census", "synthetic", "synthetic"]
    assert all("(synthetic)" in name for name in provinces.name_en[provinces.data_origin == "synthetic"])
    # Every unit of a province carries its flag; depth follows the tree: an outlet is 5 levels down.
    for province in provinces.itertuples():
        subtree = units[units.path.str.startswith(province.path)]
        assert set(subtree.data_origin) == {province.data_origin}
    outlets = units[units.level == "outlet"]
    assert set(outlets.path.str.count("/")) == {6}
    assert not set(outlets.id) & set(units.parent_id.dropna().astype(int))  # outlets are leaves
    # Each synthetic province is small: two cities of two outlets at this scale.
    for code in ("R91", "R92"):
        path = provinces.set_index("code").path[code]
        inside = units[units.path.str.startswith(path)]
        assert (inside.level == "city_branch").sum() == 2 and (inside.level == "outlet").sum() == 4
    with bank.connect() as connection:
        facts = dict(connection.execute(select(DatasetInfo.key, DatasetInfo.value)).all())
        assert bank_root(connection) == (1, "/1/")
    assert facts["provinces"] == "3" and facts["synthetic_provinces"] == "91,92"


def test_the_roll_up_holds_every_level_and_equals_the_outlets_sums(bank):
    """kpi_unit_monthly has the head office, the provinces, cities and sub-branches, each the
    sum of its outlets (pandas), and the queries read it (it is current)."""
    units = units_of(bank)
    month = last_month(bank)
    kpis = kpis_of(bank, month)
    with bank.connect() as connection:
        assert is_current(connection)
        rolled = pd.DataFrame(
            connection.execute(
                select(KpiUnitMonthly.unit_id, KpiUnitMonthly.total).where(
                    KpiUnitMonthly.metric_code == "deposits_personal", KpiUnitMonthly.month == month
                )
            ).all(),
            columns=["unit_id", "total"],
        ).set_index("unit_id")["total"]
    outlet_path = units[units.level == "outlet"].path
    for unit in units[units.level != "outlet"].itertuples():
        inside = outlet_path[outlet_path.str.startswith(unit.path)].index
        want = kpis[kpis.outlet_id.isin(inside) & (kpis.metric_code == "deposits_personal")].value.sum()
        assert rolled.get(unit.id, 0.0) == pytest.approx(want), (unit.level, unit.code)


# --- Scopes at every level, for every role ----------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_scoped_to_a_unit_of_every_level_sees_exactly_its_subtree(bank, role, level):
    units = units_of(bank)
    unit = first_open(units, level, first_open(units, "region", "/1/").path if level != "head_office" else "/")
    scope = scope_of(bank, role, int(unit.id))
    assert (scope.root_unit_id, scope.root_path) == (unit.id, unit.path)
    assert scope.sees_personal_data is ROLE_POLICIES[role].sees_personal_data
    inside = units.path.str.startswith(unit.path)
    with bank.connect() as connection:
        for other in units.itertuples():
            if inside[other.id]:
                assert require_unit_in_scope(connection, scope, other.id) == other.path
            else:
                with pytest.raises(ScopeError):
                    require_unit_in_scope(connection, scope, other.id)
    # What the pages read first: the unit, its children, its outlets on the map.
    assert queries.unit_info(bank, scope, int(unit.id))["path"] == unit.path
    crumbs = queries.breadcrumb(bank, scope, int(unit.id))
    assert [c["id"] for c in crumbs] == [unit.id]  # the scope's root is where the user's tree starts
    month = last_month(bank)
    mapped = queries.outlet_map_data(bank, scope, int(unit.id), month, "deposits_total")
    want = units[inside & (units.level == "outlet") & units.status.isin(["open", "planned"])]
    assert set(mapped.id) == set(want.id)
    labels = queries.unit_labels(bank, scope, int(unit.id))
    assert set(labels.id) == set(units[inside].id)


@pytest.mark.parametrize("role", [r for r in ROLES if not ROLE_POLICIES[r].scoped_to_unit])
def test_a_role_without_a_unit_sees_the_whole_bank_from_the_head_office(bank, role):
    scope = scope_of(bank, role, None)
    assert (scope.root_unit_id, scope.root_path) == (1, "/1/")
    assert queries.unit_info(bank, scope, 1)["level"] == "head_office"


def test_a_branch_head_without_a_unit_is_refused(bank):
    with pytest.raises(ScopeError):
        scope_of(bank, "branch_head", None)


def test_the_demo_users_include_a_city_and_a_provincial_executive(bank):
    units = units_of(bank)
    with bank.connect() as connection:
        users = {
            name: (role, unit)
            for name, role, unit in connection.execute(select(AppUser.username, AppUser.role, AppUser.scope_unit_id))
        }
    assert users["exec_city"][0] == "executive" and units.code[users["exec_city"][1]] == "C150100"
    assert users["exec_province"][0] == "executive" and units.code[users["exec_province"][1]] == "R15"
    assert users["exec"] == ("executive", None) and users["auditor"] == ("auditor", None)


def test_an_executive_of_a_city_branch_gets_nothing_of_another_city_through_any_query(bank):
    """Every registered query refuses a unit of another city and of another province."""
    from tests.test_data_layer import EXTRA_ARGUMENTS

    units = units_of(bank)
    city = first_open(units, "city_branch")
    scope = scope_of(bank, "executive", int(city.id))
    other_city = units[(units.level == "city_branch") & (units.id != city.id)].sort_values("code").iloc[0]
    home = first_open(units, "region")
    other_province_outlet = units[(units.level == "outlet") & ~units.path.str.startswith(home.path)].iloc[0]
    for foreign in (int(other_city.id), int(other_province_outlet.id), 1):
        for query in queries.SCOPED_QUERIES:
            with pytest.raises(ScopeError):
                query(bank, scope, foreign, *EXTRA_ARGUMENTS[query.__name__])


def busiest_city(units: pd.DataFrame) -> pd.Series:
    """The city branch with the most open outlets (the first by code among equals)."""
    open_outlets = units[(units.level == "outlet") & (units.status == "open")]
    cities = units[units.level == "city_branch"].sort_values("code")
    counts = [open_outlets.path.str.startswith(path).sum() for path in cities.path]
    return cities.iloc[int(pd.Series(counts).idxmax())]


def test_an_executive_of_a_city_branch_sees_only_that_city(bank):
    units = units_of(bank)
    city = busiest_city(units)
    scope = scope_of(bank, "executive", int(city.id))
    month = last_month(bank)
    kpis = kpis_of(bank, month)
    city_outlets = units[(units.level == "outlet") & units.path.str.startswith(city.path)]
    assert len(city_outlets) >= 2
    headline = queries.headline_kpis(bank, scope, int(city.id), month, ["deposits_total", "e_channel_rate"])
    values = headline.set_index("metric_code")["value"]
    assert values["deposits_total"] == pytest.approx(expected(kpis, city_outlets.id, "deposits_total"))
    assert values["e_channel_rate"] == pytest.approx(expected(kpis, city_outlets.id, "e_channel_rate"))
    league = queries_comparison.league_table(bank, scope, int(city.id), "deposits_total", month)
    assert set(league.id) == set(city_outlets[city_outlets.status == "open"].id)
    customers = queries.key_customers(bank, scope, int(city.id), 500)
    assert set(customers.outlet_id) <= set(city_outlets.id)
    assert list(customers.name) == [mask_name(name) for name in customers.name]  # masked: no personal data


@pytest.mark.parametrize("level", ["head_office", "region", "city_branch", "sub_branch"])
def test_children_figures_at_every_level_are_the_sums_of_their_outlets(bank, level):
    """The overview's and explorer's drill-down (kpi_by_child) at each level above outlets."""
    units = units_of(bank)
    unit = first_open(units, level)
    month = last_month(bank)
    kpis = kpis_of(bank, month)
    scope = scope_of(bank, "executive", None)
    children = queries.kpi_by_child(bank, scope, int(unit.id), month, ["deposits_total", "cost_income_ratio"])
    assert set(children.id) == set(units[units.parent_id == unit.id].id)
    outlet_path = units[units.level == "outlet"].path
    for child in children.itertuples():
        inside = outlet_path[outlet_path.str.startswith(units.path[child.id])].index
        if kpis.outlet_id.isin(inside).any():
            assert child.deposits_total == pytest.approx(expected(kpis, inside, "deposits_total"))
            assert child.cost_income_ratio == pytest.approx(expected(kpis, inside, "cost_income_ratio"))


def test_provinces_rank_among_provinces_and_outlets_among_their_citys_outlets(bank):
    """peer_rank at two depths of a five-level tree: a province's peers are the other provinces
    (siblings under the head office); an outlet's are the same type in its city branch, or in
    its province when the city has too few: never the whole bank."""
    units = units_of(bank)
    month = last_month(bank)
    kpis = kpis_of(bank, month)
    scope = scope_of(bank, "planner", None)
    province = first_open(units, "region")
    rank = queries_performance.peer_rank(bank, scope, int(province.id), ("deposits_total",), month).iloc[0]
    totals = {
        p.id: expected(kpis, units[(units.level == "outlet") & units.path.str.startswith(p.path)].id, "deposits_total")
        for p in units[units.level == "region"].itertuples()
    }
    assert rank["definition"] == "siblings" and rank["peers"] == 3
    assert rank["rank"] == 1 + sum(value > totals[province.id] for value in totals.values())
    for outlet in units[(units.level == "outlet") & (units.status == "open")].itertuples():
        rank = queries_performance.peer_rank(bank, scope, int(outlet.id), ("deposits_total",), month).iloc[0]
        same_type = units[
            (units.level == "outlet") & (units.status == "open") & (units.outlet_type == outlet.outlet_type)
        ]
        city_path = "/".join(outlet.path.split("/")[:4]) + "/"
        province_path = "/".join(outlet.path.split("/")[:3]) + "/"
        area = city_path if rank["definition"] == "type_city" else province_path
        assert rank["definition"] in ("type_city", "type_region")
        peers = same_type[same_type.path.str.startswith(area)]
        if rank["definition"] == "type_city":
            assert len(peers) >= 3
        ranked = kpis[kpis.outlet_id.isin(peers.id) & (kpis.metric_code.isin(components(BY_CODE["deposits_total"])[0]))]
        assert rank["peers"] == ranked.outlet_id.nunique(), outlet.code


def test_a_city_executive_builds_peer_groups_of_their_city_only(bank):
    units = units_of(bank)
    city = busiest_city(units)
    scope = scope_of(bank, "executive", int(city.id), "exec_city")
    open_outlets = units[(units.level == "outlet") & (units.status == "open")]
    mine = open_outlets[open_outlets.path.str.startswith(city.path)].id.tolist()[:2]
    foreign = open_outlets[~open_outlets.path.str.startswith(city.path)].id.tolist()[:1]
    group = create_peer_group(bank, scope, f"tree-{uuid_suffix()}", mine)
    assert set(queries_comparison.peer_group_members(bank, scope, int(city.id), group).id) == set(mine)
    with pytest.raises(PeerGroupError):
        create_peer_group(bank, scope, f"tree-{uuid_suffix()}", mine + foreign)
    whole = scope_of(bank, "executive", None)
    across = create_peer_group(bank, whole, f"tree-{uuid_suffix()}", mine[:1] + foreign)
    listed = queries_comparison.peer_group_list(bank, scope, int(city.id))
    assert group in set(listed.id) and across not in set(listed.id)  # a group reaching beyond is not shown


def uuid_suffix() -> str:
    import uuid

    return uuid.uuid4().hex[:8]
