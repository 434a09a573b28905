"""The importer's tree rules for an organisation of any depth (org_units kind), on SQLite and
PostgreSQL: a head office above several provinces loads in one file, in any row order; a unit's
parent is of any level above its own (a level may be skipped); the tree has one top unit; outlets are leaves. Every
refusal names its line and column, has a message in Chinese and English and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from config.import_texts import IMPORT_TEXTS
from data.auth import create_user
from data.importer import confirm, stage
from data.schema import OrgUnit
from data.scope import ScopeError, bank_root, require_unit_in_scope, scope_for
from tests.test_importer import table_checksums

HEADER = "code,name_zh,name_en,level,parent_code,outlet_type,city_code,lon,lat\n"
# Rows out of order on purpose: children before their parents.
TREE = HEADER + (
    "O1,甲网点,Outlet A,outlet,S1,sub_office,150100,111.70,40.82\n"
    "S1,甲支行,Sub-branch A,sub_branch,C1,,150100,,\n"
    "C1,甲盟市分行,City A,city_branch,P1,,150100,,\n"
    "P1,甲省分行,Province A,region,HO,,,,\n"
    "HO,总行,Head office,head_office,,,,,\n"
    "P2,乙省分行,Province B,region,HO,,,,\n"
    "C2,乙盟市分行,City B,city_branch,P2,,910100,,\n"
    "S2,乙支行,Sub-branch B,sub_branch,C2,,910100,,\n"
    "O2,乙网点,Outlet B,outlet,S2,community,910100,102.0,33.0\n"
    "O3,丙网点,Outlet C,outlet,S2,community,910100,102.1,33.1\n"
)


@pytest.fixture
def empty_bank(engine):
    with engine.begin() as connection:
        create_user(connection, "steward", "Steward", "Secret#123", "data_steward")
    return engine


def load(engine, content: str):
    return stage(engine, "org_units", content.encode(), "units.csv", "steward")


def test_a_five_level_tree_of_two_provinces_loads_in_one_file(empty_bank):
    result = load(empty_bank, TREE)
    assert result.ok, [(e.row, e.column, e.key) for e in result.errors]
    confirm(empty_bank, result.batch_id, "steward")
    with empty_bank.connect() as connection:
        units = {
            code: (unit_id, path, level)
            for code, unit_id, path, level in connection.execute(
                select(OrgUnit.code, OrgUnit.id, OrgUnit.path, OrgUnit.level)
            ).all()
        }
        root = bank_root(connection)
    ids = {code: unit_id for code, (unit_id, _, _) in units.items()}

    def path(*codes):
        return "/" + "".join(f"{ids[code]}/" for code in codes)

    assert units["HO"][1] == path("HO") and root == (ids["HO"], path("HO"))
    assert units["O1"][1] == path("HO", "P1", "C1", "S1", "O1")
    assert units["O3"][1] == path("HO", "P2", "C2", "S2", "O3")
    # A city executive of the second province sees its outlets and not the first province's.
    with empty_bank.connect() as connection:
        scope = scope_for(connection, "city_exec", "executive", ids["C2"])
        assert require_unit_in_scope(connection, scope, ids["O2"]) == units["O2"][1]
        with pytest.raises(ScopeError):
            require_unit_in_scope(connection, scope, ids["O1"])


@pytest.mark.parametrize(
    "rows, line, column, key",
    [
        # A head office has no parent.
        (
            "HO,总行,Head office,head_office,P9,,,,\nP9,省,P,region,,,,,\n",
            2,
            "parent_code",
            "import_head_office_has_no_parent",
        ),
        # One top unit: a second one in the same file.
        ("HO,总行,Head office,head_office,,,,,\nP1,省,P,region,,,,,\n", 3, "code", "import_second_top_unit"),
        # A sub-branch above a city branch.
        (
            "HO,总行,Head office,head_office,,,,,\nS1,支,S,sub_branch,HO,,150100,,\nC1,市,C,city_branch,S1,,150100,,\n",
            4,
            "parent_code",
            "import_wrong_parent_level",
        ),
        # A province under a province.
        (
            "HO,总行,H,head_office,,,,,\nP1,省,P,region,HO,,,,\nP2,省2,P2,region,P1,,,,\n",
            4,
            "parent_code",
            "import_wrong_parent_level",
        ),
        # An outlet is a leaf: nothing goes under it.
        (
            "HO,总行,H,head_office,,,,,\nP1,省,P,region,HO,,,,\nC1,市,C,city_branch,P1,,150100,,\n"
            "S1,支,S,sub_branch,C1,,150100,,\nO1,点,O,outlet,S1,community,150100,111.7,40.8\n"
            "O2,点2,O2,outlet,O1,community,150100,111.7,40.8\n",
            7,
            "parent_code",
            "import_wrong_parent_level",
        ),
    ],
)
def test_broken_trees_are_refused_with_the_line_and_change_nothing(empty_bank, rows, line, column, key):
    before = table_checksums(empty_bank)
    result = load(empty_bank, HEADER + rows)
    assert [(e.row, e.column, e.key) for e in result.errors] == [(line, column, key)]
    assert table_checksums(empty_bank) == before
    assert IMPORT_TEXTS[key]["zh"] and IMPORT_TEXTS[key]["en"] and IMPORT_TEXTS[key]["zh"] != IMPORT_TEXTS[key]["en"]


@pytest.mark.parametrize("level, parent", [("region", ""), ("head_office", "")])
def test_a_second_top_unit_beside_the_loaded_tree_is_refused(network, level, parent):
    """The fixture's tree starts at a provincial branch (region 1): another top unit is refused
    (several provinces go under one head office)."""
    before = table_checksums(network)
    result = stage(
        network, "org_units", (HEADER + f"X1,另一,Other,{level},{parent},,,,\n").encode(), "u.csv", "steward"
    )
    assert [(e.row, e.column, e.key) for e in result.errors] == [(2, "code", "import_second_top_unit")]
    assert table_checksums(network) == before


def test_a_province_under_a_province_already_loaded_names_the_head_office_rule(network):
    result = stage(network, "org_units", (HEADER + "P2,省,P,region,U1,,,,\n").encode(), "u.csv", "steward")
    assert [(e.row, e.column, e.key) for e in result.errors] == [(2, "parent_code", "import_region_has_no_parent")]


def test_a_head_office_added_above_the_one_province_takes_more_provinces(network):
    """``python -m data.org_tree add-head-office``: the fixture's region gets a head office above
    it (paths prefixed, roll-up rebuilt, audited, users keep their scope), and a second
    province then loads under the head office."""
    from sqlalchemy import func

    from data.kpi_rollup import is_current
    from data.org_tree import TreeError, add_head_office, main
    from data.schema import AuditLog, KpiUnitMonthly

    with network.connect() as connection:
        before = dict(connection.execute(select(OrgUnit.id, OrgUnit.path)).all())
    assert (
        main(["add-head-office", "HO", "总行", "Head office", "--database-url", network.url.render_as_string(False)])
        == 0
    )
    with network.connect() as connection:
        units = {row.id: row for row in connection.execute(select(OrgUnit.__table__)).all()}
        head = next(u for u in units.values() if u.code == "HO")
        assert (head.level, head.parent_id, head.path) == ("head_office", None, f"/{head.id}/")
        assert units[1].parent_id == head.id
        assert {i: units[i].path for i in before} == {i: f"/{head.id}{path}" for i, path in before.items()}
        assert bank_root(connection) == (head.id, f"/{head.id}/")
        assert is_current(connection)
        rolled = (
            connection.execute(
                select(func.sum(KpiUnitMonthly.total))
                .where(KpiUnitMonthly.unit_id.in_([head.id, 1]))
                .group_by(KpiUnitMonthly.unit_id)
            )
            .scalars()
            .all()
        )
        assert len(rolled) == 2 and rolled[0] == pytest.approx(rolled[1])  # one province: same sums
        assert connection.execute(select(AuditLog.action).where(AuditLog.action == "head_office_added")).first()
        region_head = scope_for(connection, "exec_r", "executive", 1)
        assert region_head.root_path == f"/{head.id}/1/"
    with pytest.raises(TreeError):  # the top unit is a head office now: nothing to put above
        add_head_office(network, "admin", "HO2", "总行2", "Head office 2")
    result = stage(
        network,
        "org_units",
        (HEADER + "P2,乙省分行,Province B,region,HO,,,,\nC9,乙市,City B,city_branch,P2,,910100,,\n").encode(),
        "u.csv",
        "steward",
    )
    assert result.ok, [(e.row, e.column, e.key) for e in result.errors]
    confirm(network, result.batch_id, "steward")
    with network.connect() as connection:
        p2 = connection.execute(select(OrgUnit.id, OrgUnit.path).where(OrgUnit.code == "P2")).one()
    assert p2.path == f"/{head.id}/{p2.id}/"


SKIPPING_TREE = HEADER + (
    "HO,总行,Head office,head_office,,,,,\n"
    "P1,甲省分行,Province A,region,HO,,,,\n"
    "C1,甲盟市分行,City A,city_branch,P1,,150100,,\n"
    "S1,甲支行,Sub-branch A,sub_branch,C1,,150100,,\n"
    "O1,甲网点,Outlet A,outlet,S1,sub_office,150100,111.70,40.82\n"
    # A city branch's business department (营业部) straight under the city branch.
    "O2,甲营业部,City A business department,outlet,C1,sub_office,150100,111.71,40.83\n"
    # A provincial business department straight under the province.
    "O3,省营业部,Provincial business department,outlet,P1,sub_office,150100,111.72,40.84\n"
    # A branch managed directly by the head office, with no provincial branch.
    "C9,直属分行,Directly managed branch,city_branch,HO,,910100,,\n"
    "O9,直属网点,Directly managed outlet,outlet,C9,community,910100,102.0,33.0\n"
)


def test_a_tree_that_skips_levels_loads_and_rolls_up_at_every_level(empty_bank):
    """Outlets straight under a city branch or a provincial branch, and a city branch straight
    under the head office: the tree loads, each KPI counts once in every ancestor's total, and a
    city executive's scope holds the outlet under the city branch."""
    import datetime as dt

    from data import queries

    result = load(empty_bank, SKIPPING_TREE)
    assert result.ok, [(e.row, e.column, e.key) for e in result.errors]
    confirm(empty_bank, result.batch_id, "steward")
    kpis = "outlet_code,metric_code,month,value\n" + "".join(
        f"{code},deposits_personal,2026-11,{value}\n"
        for code, value in (("O1", 1), ("O2", 10), ("O3", 100), ("O9", 1000))
    )
    staged = stage(empty_bank, "monthly_kpis", kpis.encode(), "kpis.csv", "steward")
    assert staged.ok, [(e.row, e.column, e.key) for e in staged.errors]
    confirm(empty_bank, staged.batch_id, "steward")
    with empty_bank.connect() as connection:
        ids = dict(connection.execute(select(OrgUnit.code, OrgUnit.id)).all())
        bank = scope_for(connection, "exec", "executive", None)
        city = scope_for(connection, "city_exec", "executive", ids["C1"])
        assert require_unit_in_scope(connection, city, ids["O2"])
        with pytest.raises(ScopeError):
            require_unit_in_scope(connection, city, ids["O3"])
    month = dt.date(2026, 11, 1)

    def total(scope, code):
        frame = queries.headline_kpis(empty_bank, scope, ids[code], month, ["deposits_personal"])
        return frame["value"].iat[0]

    assert total(bank, "HO") == 1111
    assert total(bank, "P1") == 111
    assert total(bank, "C1") == total(city, "C1") == 11
    assert total(bank, "C9") == 1000
    by_child = queries.kpi_by_child(empty_bank, bank, ids["P1"], month, ["deposits_personal"])
    assert dict(zip(by_child["code"], by_child["deposits_personal"])) == {"C1": 11, "O3": 100}
