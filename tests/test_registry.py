"""The outlet registry's data layer on SQLite and PostgreSQL: create/edit with validation, the
lifecycle (relocate keeps the old place, merge rolls customers/KPIs/targets from the merger
month), documents, roles, the change log and the cost view, with hand-computed answers."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import func, insert, select

from data import queries_registry as registry_queries
from data.auth import create_user
from data.registry import (
    RegistryError,
    add_document,
    check_outlet_fields,
    close_outlet,
    create_outlet,
    merge_outlet,
    open_outlet,
    relocate_outlet,
    remove_document,
    renovate_outlet,
    update_outlet,
)
from data.schema import AuditLog, Customer, DatasetInfo, KpiMonthly, OrgUnit, OrgUnitEvent, Staff, Target
from data.scope import ScopeError, scope_for
from tests.network_fixture import MONTHS, kpi_value

TODAY = dt.date(2026, 11, 23)
NEW_OUTLET = {
    "code": "N100",
    "name_zh": "新城社区网点",
    "name_en": "New Town community outlet",
    "outlet_type": "community",
    "parent_id": 4,
    "address_zh": "新城大街1号",
    "lon": 111.1,
    "lat": 40.05,
    "opened_on": dt.date(2026, 11, 2),
    "floor_area_m2": 180,
    "cash_counters": 1,
    "non_cash_counters": 2,
    "build_cost_rmb": 1_200_000,
    "monthly_rent_rmb": 25_000,
}


def _snapshot(engine) -> tuple:
    """Row counts and contents that a refused change must leave as they were."""
    with engine.connect() as connection:
        units = connection.execute(select(OrgUnit.__table__).order_by(OrgUnit.id)).all()
        events = connection.execute(select(func.count()).select_from(OrgUnitEvent)).scalar()
        version = connection.execute(select(DatasetInfo.value).where(DatasetInfo.key == "data_version")).scalar()
    return units, events, version


def _scope(engine, username, role, unit=None):
    with engine.connect() as connection:
        return scope_for(connection, username, role, unit)


def _add_user(engine, username, role, unit=None):
    with engine.begin() as connection:
        create_user(connection, username, username, "Secret#123", role, unit)


# --- Validation without the database ---------------------------------------------------------


def test_field_checks_name_every_problem_at_once():
    values, problems = check_outlet_fields(
        {
            "code": "bad code!",
            "name_zh": " ",
            "name_en": "=HYPERLINK(1)",
            "outlet_type": "casino",
            "lon": 200,
            "lat": "north",
            "opened_on": "2026-13-01",
            "floor_area_m2": -5,
            "cash_counters": 1.5,
            "build_cost_rmb": "lots",
        },
        TODAY,
        planned=False,
    )
    assert {(name, key) for name, key, _ in problems} == {
        ("code", "reg_err_code"),
        ("name_zh", "reg_err_required"),
        ("name_en", "reg_err_formula"),
        ("outlet_type", "reg_err_type"),
        ("lon", "reg_err_range"),
        ("lat", "reg_err_number"),
        ("opened_on", "reg_err_date"),
        ("floor_area_m2", "reg_err_range"),
        ("cash_counters", "reg_err_integer"),
        ("build_cost_rmb", "reg_err_number"),
    }
    assert values == {}


def test_opening_dates_depend_on_planned_or_open():
    future = {"opened_on": dt.date(2027, 3, 1)}
    assert check_outlet_fields(future, TODAY, planned=False)[1][0][1] == "reg_err_future_date"
    assert check_outlet_fields(future, TODAY, planned=True) == ({"opened_on": dt.date(2027, 3, 1)}, [])
    assert check_outlet_fields({"opened_on": TODAY}, TODAY, planned=True)[1][0][1] == "reg_err_planned_date"
    assert check_outlet_fields({"opened_on": "2060-01-01"}, TODAY, planned=True)[1][0][1] == "reg_err_planned_date"


# A float NaN is an empty cell (pandas, the page's data editor) and means "blank"; the text "nan" is not.
@pytest.mark.parametrize("bad", [float("inf"), float("-inf"), "inf", "-Infinity", "1e400", "nan", 10**400])
@pytest.mark.parametrize("name", ["floor_area_m2", "cash_counters", "build_cost_rmb", "lon", "lat"])
def test_numbers_that_are_not_finite_get_a_field_message(name, bad):
    """inf, 1e400 and nan raised OverflowError/ValueError instead of a RegistryError problem."""
    fields = {"lon": 111.1, "lat": 40.05} | {name: bad}
    values, problems = check_outlet_fields(fields, TODAY, planned=False)
    assert [(field, key) for field, key, _ in problems] == [(name, "reg_err_finite")]
    assert name not in values


@pytest.mark.parametrize(
    "cost, days, field",
    [
        (float("inf"), 0, "cost_rmb"),
        ("1e400", 0, "cost_rmb"),
        (1000, float("inf"), "closed_days"),
        (1000, float("nan"), "closed_days"),
    ],
)
def test_renovation_refuses_numbers_that_are_not_finite(network, cost, days, field):
    before = _snapshot(network)
    with pytest.raises(RegistryError) as error:
        renovate_outlet(network, "exec", 8, TODAY, cost, days, today=TODAY)
    assert [problem[0] for problem in error.value.problems] == [field]
    assert _snapshot(network) == before


@pytest.mark.parametrize("absurd", [2**31, 10**20, float("inf"), -1])
def test_ids_beyond_32_bits_are_unknown_units_not_driver_errors(network, absurd):
    before = _snapshot(network)
    with pytest.raises(RegistryError) as error:
        update_outlet(network, "exec", absurd, {"floor_area_m2": 100}, today=TODAY)
    assert error.value.problems[0][:2] == ("unit", "reg_err_unknown_outlet")
    with pytest.raises(RegistryError) as error:
        update_outlet(network, "exec", 6, {"parent_id": absurd}, today=TODAY)
    assert error.value.problems[0][:2] == ("parent_id", "reg_err_parent")
    with pytest.raises(RegistryError) as error:
        merge_outlet(network, "exec", 7, absurd, dt.date(2026, 10, 15), today=TODAY)
    assert error.value.problems[0][:2] == ("receiver", "reg_err_receiver")
    with pytest.raises(RegistryError) as error:
        remove_document(network, "exec", absurd)
    assert error.value.problems[0][:2] == ("document", "reg_err_unknown_document")
    assert _snapshot(network) == before


def test_blank_optional_numbers_become_empty_and_integers_stay_integers():
    values, problems = check_outlet_fields({"atms": "", "staff_count": 12.0, "service_area_km2": None}, TODAY, False)
    assert problems == [] and values == {"atms": None, "staff_count": 12, "service_area_km2": None}
    assert isinstance(values["staff_count"], int)


# --- Create and edit -------------------------------------------------------------------------


def test_create_outlet_builds_path_city_district_event_and_audit(network):
    unit_id = create_outlet(network, "exec", NEW_OUTLET, today=TODAY)
    with network.connect() as connection:
        row = connection.execute(select(OrgUnit.__table__).where(OrgUnit.id == unit_id)).one()
        event = connection.execute(select(OrgUnitEvent.__table__).where(OrgUnitEvent.org_unit_id == unit_id)).one()
        audit = connection.execute(select(AuditLog.action).where(AuditLog.action == "outlet_created")).all()
    assert (row.level, row.path, row.city_code, row.status) == ("outlet", f"/1/2/4/{unit_id}/", "150100", "open")
    assert row.district_id == 1  # (111.1, 40.05) lies inside the fixture polygon; city 150100's district is D1
    assert (row.build_cost_rmb, row.cash_counters) == (1_200_000, 1)
    assert (event.event_type, event.event_date, event.recorded_by) == ("opened", dt.date(2026, 11, 2), "exec")
    assert len(audit) == 1
    exec_scope = _scope(network, "exec", "executive")
    assert unit_id in set(registry_queries.registry_outlets(network, exec_scope, 4)["id"])


def test_planned_outlet_opens_later(network):
    unit_id = create_outlet(
        network, "exec", NEW_OUTLET | {"status": "planned", "opened_on": dt.date(2027, 5, 1)}, today=TODAY
    )
    with pytest.raises(RegistryError) as error:
        relocate_outlet(network, "exec", unit_id, TODAY, 111.12, 40.06, today=TODAY)
    assert error.value.problems[0][1] == "reg_err_not_open"
    open_outlet(network, "exec", unit_id, dt.date(2026, 11, 20), today=TODAY)
    with network.connect() as connection:
        row = connection.execute(select(OrgUnit.status, OrgUnit.opened_on).where(OrgUnit.id == unit_id)).one()
        types = connection.execute(
            select(OrgUnitEvent.event_type).where(OrgUnitEvent.org_unit_id == unit_id).order_by(OrgUnitEvent.id)
        ).scalars()
        assert list(types) == ["planned", "opened"]
    assert tuple(row) == ("open", dt.date(2026, 11, 20))


@pytest.mark.parametrize(
    "change, field, key",
    [
        ({"code": "U6"}, "code", "reg_err_code_taken"),
        ({"parent_id": 6}, "parent_id", "reg_err_parent"),  # an outlet cannot be a parent
        ({"parent_id": 999}, "parent_id", "reg_err_parent"),
        ({"lat": 60}, "lat", "reg_err_range"),
        ({"opened_on": dt.date(2027, 1, 1)}, "opened_on", "reg_err_future_date"),
    ],
)
def test_bad_new_outlets_change_nothing(network, change, field, key):
    before = _snapshot(network)
    with pytest.raises(RegistryError) as error:
        create_outlet(network, "exec", NEW_OUTLET | change, today=TODAY)
    assert (field, key) in {(name, problem) for name, problem, _ in error.value.problems}
    assert _snapshot(network) == before


@pytest.mark.parametrize("username, role", [("head6", None), ("steward", None), ("nobody", None)])
def test_only_executives_planners_and_admins_may_change_the_registry(network, username, role):
    before = _snapshot(network)
    with pytest.raises(RegistryError) as error:
        create_outlet(network, username, NEW_OUTLET, today=TODAY)
    assert error.value.problems[0][1] == "reg_err_not_allowed"
    with pytest.raises(RegistryError):
        update_outlet(network, username, 6, {"name_en": "Mine now"}, today=TODAY)
    assert _snapshot(network) == before


def test_planner_and_admin_may_edit(network):
    _add_user(network, "plan", "planner")
    _add_user(network, "root", "admin")
    with network.connect() as connection:
        before = connection.execute(select(OrgUnit.staff_count).where(OrgUnit.id == 6)).scalar_one()
    assert before not in (9, 10)
    assert update_outlet(network, "plan", 6, {"staff_count": 9}, today=TODAY) == {"staff_count": [before, 9]}
    assert update_outlet(network, "root", 6, {"staff_count": 10}, today=TODAY) == {"staff_count": [9, 10]}
    with network.connect() as connection:
        after = connection.execute(select(OrgUnit.staff_count).where(OrgUnit.id == 6)).scalar_one()
        edits = connection.execute(
            select(AuditLog.username, AuditLog.detail).where(AuditLog.action == "outlet_edited").order_by(AuditLog.id)
        ).all()
        events = connection.execute(
            select(OrgUnitEvent.recorded_by)
            .where(OrgUnitEvent.org_unit_id == 6, OrgUnitEvent.event_type == "edited")
            .order_by(OrgUnitEvent.id)
        ).scalars()
        assert list(events) == ["plan", "root"]
    assert after == 10
    assert [(username, detail["changes"]) for username, detail in edits] == [
        ("plan", {"staff_count": [before, 9]}),
        ("root", {"staff_count": [9, 10]}),
    ]


def test_edit_records_old_and_new_values_and_moves_path_with_the_parent(network):
    changes = update_outlet(network, "exec", 7, {"name_en": "Unit 7 renamed", "parent_id": 5, "atms": 3}, today=TODAY)
    assert changes == {"name_en": ["Unit 7", "Unit 7 renamed"], "parent_id": [4, 5], "atms": [None, 3]}
    with network.connect() as connection:
        row = connection.execute(select(OrgUnit.path, OrgUnit.city_code).where(OrgUnit.id == 7)).one()
        detail = connection.execute(
            select(OrgUnitEvent.detail).where(OrgUnitEvent.org_unit_id == 7, OrgUnitEvent.event_type == "edited")
        ).scalar_one()
    assert tuple(row) == ("/1/3/5/7/", "150200")
    assert detail["name_en"] == ["Unit 7", "Unit 7 renamed"]
    before = _snapshot(network)
    assert update_outlet(network, "exec", 7, {"atms": 3}, today=TODAY) == {}  # no change, nothing written
    assert _snapshot(network) == before


def test_coordinates_change_only_by_relocation(network):
    with pytest.raises(RegistryError) as error:
        update_outlet(network, "exec", 6, {"lon": 111.5}, today=TODAY)
    assert error.value.problems[0][1] == "reg_err_use_relocate"


# --- Lifecycle -------------------------------------------------------------------------------


def test_relocation_keeps_the_old_place_in_history(network):
    relocate_outlet(network, "exec", 6, dt.date(2026, 10, 5), 111.15, 40.1, "新址2号", "New address 2", "lease", TODAY)
    with network.connect() as connection:
        row = connection.execute(select(OrgUnit.lon, OrgUnit.lat, OrgUnit.address_zh).where(OrgUnit.id == 6)).one()
        event = connection.execute(select(OrgUnitEvent.__table__).where(OrgUnitEvent.event_type == "relocated")).one()
    assert tuple(row) == (111.15, 40.1, "新址2号")
    assert (event.detail["old_lon"], event.detail["old_lat"]) == (111.06, 40.06)
    assert (event.detail["new_lon"], event.detail["new_lat"]) == (111.15, 40.1)
    assert (event.event_date, event.reason) == (dt.date(2026, 10, 5), "lease")


def test_relocating_to_the_same_place_or_in_the_future_is_refused(network):
    before = _snapshot(network)
    for on, lon, lat, key in [
        (TODAY, 111.06, 40.06, "reg_err_same_place"),
        (dt.date(2027, 1, 1), 111.2, 40.1, "reg_err_future_date"),
        ("not a date", 111.2, 40.1, "reg_err_date"),
    ]:
        with pytest.raises(RegistryError) as error:
            relocate_outlet(network, "exec", 6, on, lon, lat, today=TODAY)
        assert error.value.problems[0][1] == key
    assert _snapshot(network) == before


def test_renovation_records_cost_and_days_shut(network):
    renovate_outlet(network, "exec", 8, dt.date(2026, 6, 30), 350_000, 20, "6S", TODAY)
    with network.connect() as connection:
        detail = connection.execute(
            select(OrgUnitEvent.detail).where(OrgUnitEvent.event_type == "renovated")
        ).scalar_one()
    assert detail == {"cost_rmb": 350_000.0, "closed_days": 20}
    with pytest.raises(RegistryError) as error:
        renovate_outlet(network, "exec", 8, TODAY, -1, 0, today=TODAY)
    assert error.value.problems[0][0] == "cost_rmb"


def _kpi(engine, outlet_id, code, month):
    with engine.connect() as connection:
        return connection.execute(
            select(KpiMonthly.value).where(
                KpiMonthly.outlet_id == outlet_id, KpiMonthly.metric_code == code, KpiMonthly.month == month
            )
        ).scalar()


def test_merge_rolls_customers_staff_kpis_and_targets_from_the_merger_month(network):
    with network.begin() as connection:
        connection.execute(
            insert(Staff),
            [{"employee_no": "E1", "outlet_id": 7, "name": "甲", "role": "teller"}],
        )
        connection.execute(
            insert(Target),
            [
                # 7's October target rolls into 6's (added); its 2025 target stays.
                {"org_unit_id": 7, "metric_code": "deposits_personal", "period_start": MONTHS[2],
                 "period_end": MONTHS[2], "value": 100.0},
                {"org_unit_id": 6, "metric_code": "deposits_personal", "period_start": MONTHS[2],
                 "period_end": MONTHS[2], "value": 50.0},
                {"org_unit_id": 7, "metric_code": "txn_counter", "period_start": MONTHS[2],
                 "period_end": MONTHS[2], "value": 7.0},
                {"org_unit_id": 7, "metric_code": "deposits_personal", "period_start": MONTHS[0],
                 "period_end": MONTHS[0], "value": 30.0},
            ],
        )  # fmt: skip
    counts = merge_outlet(network, "exec", 7, 6, dt.date(2026, 10, 15), "consolidation", TODAY)
    assert counts["customers"] == 2 and counts["staff"] == 1 and counts["targets"] == 2
    # October (the merger month) rolls: values added for summed metrics, the mean score is 6's own.
    october = MONTHS[2]
    assert _kpi(network, 6, "deposits_personal", october) == kpi_value(6, "deposits_personal", october) + kpi_value(
        7, "deposits_personal", october
    )
    assert _kpi(network, 6, "inspection_score", october) == kpi_value(6, "inspection_score", october)
    assert _kpi(network, 7, "deposits_personal", october) is None
    # September and earlier stay with the merged outlet: history kept.
    assert _kpi(network, 7, "deposits_personal", MONTHS[1]) == kpi_value(7, "deposits_personal", MONTHS[1])
    assert _kpi(network, 6, "deposits_personal", MONTHS[1]) == kpi_value(6, "deposits_personal", MONTHS[1])
    with network.connect() as connection:
        assert connection.execute(select(func.count()).where(Customer.home_outlet_id == 7)).scalar() == 0
        row = connection.execute(
            select(OrgUnit.status, OrgUnit.merged_into_id, OrgUnit.closed_on).where(OrgUnit.id == 7)
        ).one()
        targets = dict(
            connection.execute(
                select(Target.metric_code, Target.value).where(Target.org_unit_id == 6, Target.period_start == october)
            ).all()
        )
        old_target = connection.execute(select(Target.org_unit_id).where(Target.period_start == MONTHS[0])).scalar()
    assert tuple(row) == ("merged", 6, dt.date(2026, 10, 15))
    assert targets == {"deposits_personal": 150.0, "txn_counter": 7.0}
    assert old_target == 7
    # The receiver's timeline shows the merger too (as the related unit).
    log = registry_queries.change_log(network, _scope(network, "exec", "executive"), 6)
    merged = log[log.event_type == "merged"].iloc[0]
    assert (merged.unit_id, merged.related_code) == (7, "U6")


@pytest.mark.parametrize(
    "receiver, key", [(None, "reg_err_receiver_required"), (7, "reg_err_receiver_self"), (9, "reg_err_receiver")]
)
def test_bad_merges_change_nothing(network, receiver, key):
    before = _snapshot(network)
    with pytest.raises(RegistryError) as error:
        merge_outlet(network, "exec", 7, receiver, dt.date(2026, 10, 15), today=TODAY)
    assert error.value.problems[0][1] == key
    assert _snapshot(network) == before


def test_closing_an_outlet_with_customers_needs_a_receiver(network):
    with pytest.raises(RegistryError) as error:
        close_outlet(network, "exec", 8, dt.date(2026, 11, 1), today=TODAY)
    assert error.value.problems[0][1] == "reg_err_receiver_required"
    counts = close_outlet(network, "exec", 8, dt.date(2026, 11, 1), receiver_id=6, reason="low footfall", today=TODAY)
    assert counts == {"customers": 2, "staff": 0}
    with network.connect() as connection:
        row = connection.execute(select(OrgUnit.status, OrgUnit.closed_on).where(OrgUnit.id == 8)).one()
    assert tuple(row) == ("closed", dt.date(2026, 11, 1))
    assert _kpi(network, 8, "deposits_personal", MONTHS[2]) == kpi_value(8, "deposits_personal", MONTHS[2])
    with pytest.raises(RegistryError) as error:
        close_outlet(network, "exec", 8, dt.date(2026, 11, 2), receiver_id=6, today=TODAY)
    assert error.value.problems[0][1] == "reg_err_not_open"


def test_every_change_is_audited_and_bumps_the_data_version(network):
    versions = [_snapshot(network)[2]]
    renovate_outlet(network, "exec", 6, TODAY, 1000, today=TODAY)
    versions.append(_snapshot(network)[2])
    document_id = add_document(network, "exec", 6, "网点管理办法", "https://intranet.bank/policies/outlets.pdf")
    versions.append(_snapshot(network)[2])
    remove_document(network, "exec", document_id)
    versions.append(_snapshot(network)[2])
    assert len(set(versions)) == 4
    with network.connect() as connection:
        actions = connection.execute(select(AuditLog.action).order_by(AuditLog.id)).scalars().all()
    assert actions[-3:] == ["outlet_renovated", "document_added", "document_removed"]


@pytest.mark.parametrize(
    "title, url",
    [("", "https://a.b/c"), ("Policy", "javascript:alert(1)"), ("Policy", "https://"), ("Policy", "http://a b")],
)
def test_bad_document_links_are_refused(network, title, url):
    before = _snapshot(network)
    with pytest.raises(RegistryError):
        add_document(network, "exec", 6, title, url)
    assert _snapshot(network) == before


# --- Reading, scope and the cost view --------------------------------------------------------


def test_branch_head_reads_only_their_outlet(network):
    head = _scope(network, "head6", "branch_head", 6)
    record = registry_queries.outlet_record(network, head, 6)
    assert record["code"] == "U6" and record["parent_code"] == "U4" and record["documents"] == []
    assert list(registry_queries.registry_outlets(network, head, 6)["id"]) == [6]
    for query, args in [
        (registry_queries.outlet_record, ()),
        (registry_queries.registry_outlets, ()),
        (registry_queries.change_log, ()),
        (registry_queries.cost_breakdown, (MONTHS[2],)),
    ]:
        with pytest.raises(ScopeError):
            query(network, head, 7, *args)


def test_outlet_record_lists_staff_by_role_and_documents(network):
    with network.begin() as connection:
        connection.execute(
            insert(Staff),
            [
                {"employee_no": f"E{i}", "outlet_id": 6, "name": "x", "role": role}
                for i, role in enumerate(["teller", "teller", "lobby_manager"])
            ],
        )
    add_document(network, "exec", 6, "选址报告", "file:///share/plans/u6.pdf")
    record = registry_queries.outlet_record(network, _scope(network, "exec", "executive"), 6)
    assert record["staff_by_role"] == {"teller": 2, "lobby_manager": 1}
    assert [d["title"] for d in record["documents"]] == ["选址报告"]
    assert registry_queries.outlet_record(network, _scope(network, "exec", "executive"), 4) == {}


def test_cost_view_sums_costs_and_recomputes_ratios_per_child(network):
    months = [dt.date(2025, 11, 1) + pd.DateOffset(months=i) for i in range(12)]
    months = [m.date() for m in months]
    rows = []
    for outlet, cost, interest, fee, customers in [
        (6, 10.0, 30.0, 10.0, 4),
        (7, 20.0, 20.0, 0.0, 6),
        (8, 5.0, 5.0, 5.0, 1),
    ]:
        for month in months:
            rows += [
                {"outlet_id": outlet, "metric_code": "operating_cost", "month": month, "value": cost},
                {"outlet_id": outlet, "metric_code": "net_interest_income", "month": month, "value": interest},
                {"outlet_id": outlet, "metric_code": "fee_income_card", "month": month, "value": fee},
                {"outlet_id": outlet, "metric_code": "customers_active", "month": month, "value": customers},
            ]
    # A month before the window must not count.
    rows.append({"outlet_id": 6, "metric_code": "operating_cost", "month": dt.date(2025, 10, 1), "value": 999.0})
    with network.begin() as connection:
        connection.execute(insert(KpiMonthly), rows)
        for outlet, build, rent, running in [(6, 1000.0, 10.0, 5.0), (7, 2000.0, 20.0, None), (9, 500.0, 7.0, 7.0)]:
            connection.execute(
                OrgUnit.__table__.update()
                .where(OrgUnit.id == outlet)
                .values(build_cost_rmb=build, monthly_rent_rmb=rent, monthly_running_cost_rmb=running)
            )
    executive = _scope(network, "exec", "executive")
    region = registry_queries.cost_breakdown(network, executive, 1, months[-1]).set_index("id")
    # City A (2) = outlets 6 and 7; city B (3) = 8 (open) and 9 (closed: build cost counts, running not).
    assert region.loc[2, "outlets_open"] == 2 and region.loc[3, "outlets_open"] == 1
    assert region.loc[2, "build_cost_rmb"] == 3000.0 and region.loc[3, "build_cost_rmb"] == 500.0
    assert region.loc[2, "annual_running_cost_rmb"] == 12 * (15.0 + 20.0)
    assert region.loc[3, "annual_running_cost_rmb"] == 0.0
    assert region.loc[2, "operating_cost_rmb"] == 12 * 30.0
    assert region.loc[2, "cost_income_ratio"] == pytest.approx((12 * 30.0) / (12 * 60.0))  # not mean(0.25, 1.0)
    assert region.loc[2, "cost_per_customer_rmb"] == pytest.approx(360.0 / 10)
    outlet = registry_queries.cost_breakdown(network, executive, 6, months[-1])
    assert list(outlet["id"]) == [6]
    assert outlet.loc[0, "cost_income_ratio"] == pytest.approx(120.0 / 480.0)


def test_an_edit_started_from_values_someone_changed_meanwhile_is_refused(network):
    """Two editors opened the same outlet (no staff count recorded). The first records 5 staff; the
    second, still looking at the old values, records 7: refused with the value it has now, nothing
    written. Changing the name instead goes through and keeps the first editor's staff count."""
    with network.connect() as connection:
        staff, name = connection.execute(select(OrgUnit.staff_count, OrgUnit.name_en).where(OrgUnit.id == 6)).one()
    assert staff is None
    update_outlet(network, "exec", 6, {"staff_count": 5}, today=TODAY, expected={"staff_count": None})
    before = _snapshot(network)
    with pytest.raises(RegistryError) as error:
        update_outlet(network, "exec", 6, {"staff_count": 7}, today=TODAY, expected={"staff_count": None})
    assert error.value.problems == [("staff_count", "reg_err_changed_meanwhile", {"current": 5})]
    assert _snapshot(network) == before
    assert update_outlet(
        network, "exec", 6, {"name_en": "Unit 6 renamed"}, today=TODAY, expected={"name_en": name}
    ) == {"name_en": [name, "Unit 6 renamed"]}
    with network.connect() as connection:
        assert connection.execute(select(OrgUnit.staff_count).where(OrgUnit.id == 6)).scalar_one() == 5


@pytest.mark.parametrize(
    "a, b, same",
    [
        (None, "", True),
        ("  text ", "text", True),
        (3, 3.0, True),
        (dt.date(2020, 5, 1), "2020-05-01", True),
        (2.5, 2.5000001, True),
        (2.5, 2.51, False),
        (None, 0, False),
        ("a", "b", False),
    ],
)
def test_field_values_compare_across_the_forms_they_come_in(a, b, same):
    from data.registry import same_field_value

    assert same_field_value(a, b) is same
