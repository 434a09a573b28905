"""Comparison queries and peer-group writes on SQLite and PostgreSQL, checked against pandas
computations on the fixture network's raw rows: periods (flows summed, stocks at the end month,
ratios from period sums, "mean" metrics averaged), league tables, head-to-head values, the DEA
matrix, trade-area data, peer groups (role, scope, audit) and scope errors."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from sqlalchemy import func, insert, select, update

from config.metrics import BY_CODE, components
from data import queries_comparison as qc
from data.peer_groups import PeerGroupError, create_peer_group, delete_peer_group, update_peer_group
from data.schema import AuditLog, DemandCell, OrgUnit, PeerGroup, PeerGroupMember
from data.scope import ScopeError, scope_for
from tests.network_fixture import MONTHS, kpi_frame

LAST_YEAR, PREVIOUS, LAST = MONTHS
STAFF = {6: 12, 7: 20, 8: 9}


def scope_of(engine, username, role, unit_id=None):
    with engine.connect() as connection:
        return scope_for(connection, username, role, unit_id)


def expected(outlets, code: str, months: list[dt.date]) -> float:
    """A metric over ``months`` from the raw fixture rows: flows summed, stocks at the last
    month, means averaged, ratios from the sums of their parts; outlets pooled."""
    frame = kpi_frame()
    frame = frame[frame["outlet_id"].isin(list(outlets)) & frame["month"].isin(months)]

    def base(c: str) -> float:
        rows = frame[frame["metric_code"] == c]
        kind = BY_CODE[c].time_aggregation
        if kind == "flow":
            return rows["value"].sum()
        if kind == "stock":
            return rows.loc[rows["month"] == months[-1], "value"].sum()
        return rows.groupby("month")["value"].mean().mean()

    numerator, denominator = components(BY_CODE[code])
    top = sum(base(c) for c in numerator)
    return top / sum(base(c) for c in denominator) if denominator else top


@pytest.fixture(scope="module")
def comparison_network(shared_network):
    """The fixture network with staff and counters on the outlets and a demand cell in each city."""
    with shared_network.begin() as connection:
        for outlet, staff in STAFF.items():
            connection.execute(
                update(OrgUnit)
                .where(OrgUnit.id == outlet)
                .values(
                    staff_count=staff, cash_counters=2, non_cash_counters=outlet - 5, monthly_rent_rmb=1000.0 * outlet
                )
            )
        connection.execute(
            insert(DemandCell),
            [
                {
                    "h3_index": f"88000000000{i}fff",
                    "resolution": 8,
                    "city_code": city,
                    "lon": 111.06,
                    "lat": 40.06,
                    "population": 1000.0,
                    "households": 400.0,
                    "income_index": 1.0,
                    "businesses": 10.0,
                }
                for i, city in enumerate(("150100", "150200"))
            ],
        )
    return shared_network


def test_period_months():
    assert qc.period_months("month", dt.date(2026, 10, 1)) == [dt.date(2026, 10, 1)]
    assert qc.period_months("qtd", dt.date(2026, 11, 1)) == [dt.date(2026, 10, 1), dt.date(2026, 11, 1)]
    assert len(qc.period_months("ytd", dt.date(2026, 10, 1))) == 10
    last12 = qc.period_months("last12", dt.date(2026, 10, 1))
    assert last12[0] == dt.date(2025, 11, 1) and last12[-1] == dt.date(2026, 10, 1) and len(last12) == 12
    with pytest.raises(ValueError):
        qc.period_months("week", dt.date(2026, 10, 1))


@pytest.mark.parametrize(
    "code, kind",
    [
        ("deposits_total", "month"),
        ("txn_total", "ytd"),
        ("e_channel_rate", "ytd"),
        ("e_channel_rate", "month"),
        ("inspection_score", "last12"),
        ("deposits_total", "last12"),
    ],
)
def test_league_table_matches_pandas_for_each_period(comparison_network, code, kind):
    executive = scope_of(comparison_network, "exec", "executive")
    table = qc.league_table(comparison_network, executive, 1, code, LAST, kind).set_index("id")
    assert list(table.index) == [6, 7, 8]  # closed outlet 9 is not ranked
    for outlet in (6, 7, 8):
        assert table.loc[outlet, "value"] == pytest.approx(expected([outlet], code, qc.period_months(kind, LAST)))
        assert table.loc[outlet, "previous_value"] == pytest.approx(
            expected([outlet], code, qc.period_months(kind, PREVIOUS))
        )


def test_league_table_within_a_peer_group_and_unit(comparison_network):
    executive = scope_of(comparison_network, "exec", "executive")
    assert qc.league_table(comparison_network, executive, 1, "deposits_total", LAST, "month", (7, 8))[
        "id"
    ].tolist() == [7, 8]
    assert qc.league_table(comparison_network, executive, 4, "deposits_total", LAST)["id"].tolist() == [6, 7]
    with pytest.raises(ScopeError):  # outlet 8 is not under sub-branch 4
        qc.league_table(comparison_network, executive, 4, "deposits_total", LAST, "month", (6, 8))
    with pytest.raises(ValueError):
        qc.league_table(comparison_network, executive, 1, "no_such_metric", LAST)


def test_a_month_without_data_gives_missing_values(comparison_network):
    executive = scope_of(comparison_network, "exec", "executive")
    table = qc.league_table(comparison_network, executive, 1, "deposits_total", dt.date(2024, 3, 1))
    assert len(table) == 3 and table["value"].isna().all()


def test_head_to_head_values_for_chosen_outlets_and_periods(comparison_network):
    executive = scope_of(comparison_network, "exec", "executive")
    codes = ("deposits_total", "txn_total", "e_channel_rate")
    frame = qc.head_to_head(comparison_network, executive, 1, (6, 8), codes, (PREVIOUS, LAST), "month")
    assert len(frame) == 2 * 3 * 2
    for row in frame.itertuples():
        assert row.value == pytest.approx(expected([row.outlet_id], row.metric_code, [row.end_month]))


def test_branch_head_cannot_name_another_outlet(comparison_network):
    head = scope_of(comparison_network, "head6", "branch_head", 6)
    with pytest.raises(ScopeError):
        qc.head_to_head(comparison_network, head, 6, (6, 7), ("deposits_total",), (LAST,))
    with pytest.raises(ScopeError):
        qc.league_table(comparison_network, head, 6, "deposits_total", LAST, "month", (7,))
    with pytest.raises(ScopeError):
        qc.dea_matrix(comparison_network, head, 6, LAST, "month", ("staff",), ("deposits_total",), (8,))
    own = qc.league_table(comparison_network, head, 6, "deposits_total", LAST)
    assert own["id"].tolist() == [6]


def test_dea_matrix_takes_outlet_facts_and_period_outputs(comparison_network):
    executive = scope_of(comparison_network, "exec", "executive")
    matrix = qc.dea_matrix(
        comparison_network,
        executive,
        1,
        LAST,
        "ytd",
        ("staff", "counters", "floor_area", "premises_cost", "operating_cost"),
        ("deposits_total", "txn_total"),
    ).set_index("id")
    assert matrix["staff"].to_dict() == {k: float(v) for k, v in STAFF.items()}
    assert matrix["counters"].to_dict() == {6: 3.0, 7: 4.0, 8: 5.0}
    assert (matrix["floor_area"] == 300.0).all()
    assert matrix["premises_cost"].isna().all()  # rent recorded but no running cost: unknown, not rent alone
    assert matrix["operating_cost"].isna().all()  # not in the fixture
    assert matrix.loc[8, "txn_total"] == pytest.approx(expected([8], "txn_total", [PREVIOUS, LAST]))
    with pytest.raises(ValueError):
        qc.dea_matrix(comparison_network, executive, 1, LAST, "month", ("bad",), ("deposits_total",))
    with pytest.raises(ValueError):
        qc.dea_matrix(comparison_network, executive, 1, LAST, "month", ("staff",), ("complaints",))


def test_trade_area_data_keeps_other_outlets_anonymous(comparison_network):
    head = scope_of(comparison_network, "head6", "branch_head", 6)
    data = qc.trade_area_data(comparison_network, head, 6)
    assert data["own"]["outlet_id"].tolist() == [6, 0]  # outlet 7 competes, unnamed; city B not included
    assert data["cells"]["city_code"].tolist() == ["150100"]
    assert len(data["competitors"]) == 1
    executive = scope_of(comparison_network, "exec", "executive")
    everything = qc.trade_area_data(comparison_network, executive, 1)
    assert sorted(everything["own"]["outlet_id"]) == [6, 7, 8]
    assert len(everything["cells"]) == 2


# --------------------------------------------------------------------------- peer groups


def _groups(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(PeerGroup)).scalar()


def test_peer_groups_are_created_edited_deleted_and_audited(network):
    executive = scope_of(network, "exec", "executive")
    group_id = create_peer_group(network, executive, "  Hohhot sub-offices ", [6, 7])
    listed = qc.peer_group_list(network, executive, 1)
    assert listed[["name", "members", "created_by"]].values.tolist() == [["Hohhot sub-offices", 2, "exec"]]
    assert qc.peer_group_members(network, executive, 1, group_id)["id"].tolist() == [6, 7]
    update_peer_group(network, executive, group_id, "Mixed", [6, 8])
    assert qc.peer_group_members(network, executive, 1, group_id)["id"].tolist() == [6, 8]
    assert qc.peer_group_list(network, executive, 1)["name"].tolist() == ["Mixed"]
    delete_peer_group(network, executive, group_id)
    assert _groups(network) == 0
    with network.connect() as connection:
        members = connection.execute(select(func.count()).select_from(PeerGroupMember)).scalar()
        actions = connection.execute(select(AuditLog.action).where(AuditLog.action.like("peer_group%"))).scalars().all()
    assert members == 0
    assert actions == ["peer_group_create", "peer_group_update", "peer_group_delete"]


@pytest.mark.parametrize(
    "name, members, key",
    [
        ("", [6, 7], "peer_err_name"),
        ("x" * 101, [6, 7], "peer_err_name"),
        ("Solo", [6], "peer_err_too_few"),
        ("Not outlets", [4, 6], "peer_err_members"),
        ("Unknown", [6, 999], "peer_err_members"),
        ("Junk", ["six", 7], "peer_err_members"),
    ],
)
def test_bad_peer_groups_are_refused_and_change_nothing(network, name, members, key):
    executive = scope_of(network, "exec", "executive")
    with pytest.raises(PeerGroupError) as error:
        create_peer_group(network, executive, name, members)
    assert error.value.key == key
    assert _groups(network) == 0


def test_duplicate_names_and_other_roles_are_refused(network):
    executive = scope_of(network, "exec", "executive")
    create_peer_group(network, executive, "Group", [6, 7])
    with pytest.raises(PeerGroupError) as error:
        create_peer_group(network, executive, "Group", [7, 8])
    assert error.value.key == "peer_err_name_taken"
    head = scope_of(network, "headA1", "branch_head", 4)
    with pytest.raises(PeerGroupError) as error:
        create_peer_group(network, head, "Mine", [6, 7])
    assert error.value.key == "peer_err_role"
    with pytest.raises(PeerGroupError) as error:
        delete_peer_group(network, executive, 12345)
    assert error.value.key == "peer_err_unknown"
    assert _groups(network) == 1


def test_branch_heads_see_only_groups_inside_their_scope(network):
    executive = scope_of(network, "exec", "executive")
    inside = create_peer_group(network, executive, "A1 outlets", [6, 7])
    across = create_peer_group(network, executive, "Across cities", [6, 8])
    head = scope_of(network, "headA1", "branch_head", 4)
    assert qc.peer_group_list(network, head, 4)["id"].tolist() == [inside]
    assert qc.peer_group_members(network, head, 4, inside)["id"].tolist() == [6, 7]
    with pytest.raises(ScopeError):
        qc.peer_group_members(network, head, 4, across)
    assert qc.peer_group_members(network, head, 4, 999).empty
    assert sorted(qc.peer_group_list(network, executive, 1)["id"]) == sorted([inside, across])
    assert qc.peer_group_list(network, executive, 2)["id"].tolist() == [inside]  # city A holds 6 and 7 only
    assert np.array_equal(qc.peer_group_list(network, head, 4)["members"], [2])
