"""What-if scenarios: the before/after evaluation (analytics.scenarios) on a tiny hand-made
network with hand-computed Huff shares, and saving scenarios (data.scenarios) with owner, scope
and audit checks on SQLite and PostgreSQL."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from analytics.huff import EARTH_RADIUS_KM
from analytics.scenarios import Action, ScenarioError, apply_actions, closure_flows, evaluate_network, run_scenario
from data.auth import create_user
from data.scenarios import (
    ScenarioPermissionError,
    delete_scenario,
    list_scenarios,
    load_scenario,
    save_scenario,
)
from data.schema import AuditLog
from data.scope import ScopeError, scope_for
from tests.network_fixture import PASSWORD

DEGREES_PER_KM = 180 / (math.pi * EARTH_RADIUS_KM)  # along the equator or a meridian


def km_east(km):
    return (km * DEGREES_PER_KM, 0.0)


def tiny_network() -> pd.DataFrame:
    """One cell at (0, 0); own A 1 km east, own B 2 km west, competitor C 2 km north; all A = 1."""
    rows = [
        ("A", km_east(1.0), True, 100.0),
        ("B", (-2.0 * DEGREES_PER_KM, 0.0), True, 80.0),
        ("C", (0.0, 2.0 * DEGREES_PER_KM), False, 0.0),
    ]
    return pd.DataFrame(
        [
            {
                "key": key,
                "name": key,
                "lon": point[0],
                "lat": point[1],
                "attractiveness": 1.0,
                "own": own,
                "annual_cost_rmb": cost,
                "one_off_cost_rmb": 0.0,
            }
            for key, point, own, cost in rows
        ]
    )


CELL = np.array([[0.0, 0.0]])
DEMAND = np.array([60.0])


def evaluate(network, **kwargs):
    return evaluate_network(network, CELL, DEMAND, np.array([1000.0]), min_distance_km=0.01, **kwargs)


def test_huff_shares_before_by_hand():
    # weights 1/1² = 1, 1/2² = 1/4, 1/4 → P = 4/6, 1/6, 1/6; our share 5/6
    before = evaluate(tiny_network())
    np.testing.assert_allclose(before.probabilities[0], [4 / 6, 1 / 6, 1 / 6], rtol=1e-9)
    assert before.market_share == pytest.approx(5 / 6)
    np.testing.assert_allclose(before.outlets["captured"], [40.0, 10.0, 10.0], rtol=1e-9)
    assert before.annual_cost_rmb == 180.0


def test_closure_reallocates_customers_by_hand():
    # A held 60 · 4/6 = 40. Without A: B and C each 1/4 ÷ 1/2 = 1/2, so 20 go to B and 20 to C,
    # travelling 2 km instead of 1 km.
    network = tiny_network()
    before = evaluate(network)
    after_network, one_off, closed = apply_actions(network, [Action("close", outlet="A")])
    after = evaluate(after_network)
    assert closed == ["A"] and one_off == 0.0 and after.annual_cost_rmb == 80.0
    assert after.market_share == pytest.approx(0.5)
    flows, summary = closure_flows(before, after, "A", DEMAND)
    by_key = flows.set_index("key")["demand"]
    assert by_key["B"] == pytest.approx(20.0) and by_key["C"] == pytest.approx(20.0) and by_key["digital"] == 0
    assert summary["held"] == pytest.approx(40.0)
    assert summary["distance_before_km"] == pytest.approx(1.0, rel=1e-6)
    assert summary["distance_after_km"] == pytest.approx(2.0, rel=1e-6)


def test_digital_retention_keeps_part_of_those_leaving_and_demand_is_conserved():
    network = tiny_network()
    before = evaluate(network)
    after = evaluate(apply_actions(network, [Action("close", outlet="A")])[0])
    flows, summary = closure_flows(before, after, "A", DEMAND, digital_retention=0.25)
    by_key = flows.set_index("key")["demand"]
    assert by_key["C"] == pytest.approx(15.0) and by_key["digital"] == pytest.approx(5.0)
    assert summary["to_own"] + summary["to_competitors"] + summary["to_digital"] == pytest.approx(summary["held"])


def test_closure_on_many_cells_equals_renormalised_before_probabilities():
    # Huff's IIA: without A, every cell's probabilities are the old ones renormalised without A.
    rng = np.random.default_rng(3)
    cells = rng.uniform(-0.05, 0.05, (40, 2))
    demand = rng.uniform(1, 10, 40)
    network = tiny_network().assign(attractiveness=[1.0, 2.0, 1.5])
    before = evaluate_network(network, cells, demand, demand)
    after = evaluate_network(apply_actions(network, [Action("close", outlet="A")])[0], cells, demand, demand)
    flows, summary = closure_flows(before, after, "A", demand)
    p = before.probabilities
    renormalised = p[:, 1:] / p[:, 1:].sum(axis=1, keepdims=True)
    expected = (demand * p[:, 0]) @ renormalised
    by_key = flows.set_index("key")["demand"]
    np.testing.assert_allclose([by_key["B"], by_key["C"]], expected, rtol=1e-9)
    assert summary["held"] == pytest.approx(float(demand @ p[:, 0]))


def test_merge_open_and_relocate():
    network = tiny_network()
    after, one_off, closed = apply_actions(
        network,
        [
            Action("merge", outlet="A", target="B"),
            Action(
                "open", lon=0.0, lat=-DEGREES_PER_KM, attractiveness=1.0, annual_cost_rmb=50.0, one_off_cost_rmb=7.0
            ),
            Action("relocate", outlet="B", lon=0.0, lat=-3 * DEGREES_PER_KM, one_off_cost_rmb=3.0),
        ],
    )
    assert closed == ["A"] and one_off == 10.0
    assert after.set_index("key").loc["B", "attractiveness"] == pytest.approx(math.sqrt(2))
    evaluation = evaluate(after)
    # B √2 at 3 km: √2/9; C 1/4 at 2 km; new 1 at 1 km: 1 → own share (√2/9 + 1) / (√2/9 + 1/4 + 1)
    share = (math.sqrt(2) / 9 + 1) / (math.sqrt(2) / 9 + 0.25 + 1)
    assert evaluation.market_share == pytest.approx(share, rel=1e-6)
    assert evaluation.annual_cost_rmb == 130.0


@pytest.mark.parametrize(
    "action, code",
    [
        (Action("close", outlet="Z"), "unknown_outlet"),
        (Action("close", outlet="C"), "not_own"),
        (Action("merge", outlet="A", target="A"), "merge_self"),
        (Action("open", lon=None, lat=None, attractiveness=1.0), "bad_point"),
        (Action("open", lon=0.0, lat=0.0, attractiveness=0.0), "bad_attractiveness"),
        (Action("demolish", outlet="A"), "bad_kind"),
    ],
)
def test_bad_actions_are_refused(action, code):
    with pytest.raises(ScenarioError) as error:
        apply_actions(tiny_network(), [action])
    assert error.value.code == code


def test_actions_round_trip_through_dicts():
    action = Action("open", lon=1.0, lat=2.0, attractiveness=3.0, annual_cost_rmb=4.0, one_off_cost_rmb=5.0)
    assert Action.from_dict(action.to_dict()) == action


# --------------------------------------------------------------------------- saving (both backends)


def scope_of(engine, username, role, unit_id=None):
    with engine.connect() as connection:
        return scope_for(connection, username, role, unit_id)


@pytest.fixture
def planners(network):
    with network.begin() as connection:
        create_user(connection, "plan1", "Planner 1", PASSWORD, "planner")
        create_user(connection, "plan2", "Planner 2", PASSWORD, "planner")
    return scope_of(network, "plan1", "planner"), scope_of(network, "plan2", "planner")


def test_save_list_load_overwrite_and_delete_with_audit(network, planners):
    mine, theirs = planners
    params = {"actions": [{"kind": "close", "outlet": "6"}]}
    first = save_scenario(network, mine, 2, "Close 6", params, {"share": 0.4})
    other = save_scenario(network, theirs, 1, "Region plan", {"actions": []}, {"share": 0.5})
    again = save_scenario(network, mine, 2, "  Close   6 ", params, {"share": 0.45})  # same owner, same name
    assert again == first
    listed = list_scenarios(network, mine, 1)
    assert set(listed["name"]) == {"Close 6", "Region plan"}
    assert listed.set_index("id").loc[first, "actions"] == 1
    assert set(list_scenarios(network, mine, 2)["name"]) == {"Close 6"}  # only units below city A
    loaded = load_scenario(network, theirs, first)
    assert loaded["owner"] == "plan1" and loaded["results"] == {"share": 0.45} and loaded["params"]["unit_id"] == 2
    with pytest.raises(ScenarioPermissionError):
        delete_scenario(network, theirs, first)  # not the owner
    delete_scenario(network, mine, first)
    assert list(list_scenarios(network, mine, 1)["id"]) == [other]
    with network.connect() as connection:
        actions = connection.execute(select(AuditLog.action, AuditLog.success, AuditLog.username)).all()
    assert actions.count(("scenario_save", True, "plan1")) == 2
    assert ("scenario_delete", False, "plan2") in actions and ("scenario_delete", True, "plan1") in actions


def test_roles_scope_and_names_are_checked(network, planners):
    mine, _ = planners
    scenario_id = save_scenario(network, mine, 6, "Outlet 6", {"actions": []}, {})
    steward = scope_of(network, "steward", "data_steward")
    with pytest.raises(ScenarioPermissionError):
        list_scenarios(network, steward, 1)
    with pytest.raises(ScenarioPermissionError):
        save_scenario(network, steward, 1, "x", {}, {})
    head = scope_of(network, "head6", "branch_head", 6)
    with pytest.raises(ScenarioPermissionError):
        load_scenario(network, head, scenario_id)  # branch heads do not get the scenario pages
    with pytest.raises(ScopeError):
        load_scenario(network, mine, 99_999)
    with pytest.raises(ValueError):
        save_scenario(network, mine, 1, "   ", {}, {})
    with pytest.raises(ValueError):
        save_scenario(network, mine, 1, "x" * 101, {}, {})


def test_run_scenario_before_after_by_hand():
    # close A with 25 % digital retention: B gets 20, C would get 20 of which 5 stay digitally;
    # our demand 50 → 30 at B + 5 digital = 35 of 60; 2 deposits RMB and 0.5 customers per unit
    outcome = run_scenario(
        tiny_network(),
        [Action("close", outlet="A")],
        CELL,
        DEMAND,
        np.array([1000.0]),
        min_distance_km=0.01,
        coverage_km=1.5,
        digital_retention=0.25,
        deposits_per_unit=2.0,
        customers_per_unit=0.5,
    )
    summary = outcome.summary.set_index("metric")
    assert summary.loc["own_demand", "before"] == pytest.approx(50.0)
    assert summary.loc["own_demand", "after"] == pytest.approx(35.0)
    assert summary.loc["market_share", "after"] == pytest.approx(35 / 60)
    assert summary.loc["deposits_rmb", "change"] == pytest.approx(-30.0)
    assert summary.loc["coverage_population", "before"] == 1000.0  # A is within 1.5 km
    assert summary.loc["coverage_population", "after"] == 0.0  # B is 2 km away
    assert summary.loc["annual_cost_rmb", "change"] == -100.0
    flows = outcome.flows.set_index("key")
    assert flows.loc["B", "share"] == pytest.approx(0.5) and flows.loc["digital", "customers"] == pytest.approx(2.5)
    travel = outcome.travel.iloc[0]
    assert travel["to_own"] + travel["to_competitors"] + travel["to_digital"] == pytest.approx(travel["held"])
    assert set(outcome.results()) == set(summary.index)
