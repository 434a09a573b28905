"""Data layer on SQLite and PostgreSQL: migrations, roll-ups with known answers, scope."""

from __future__ import annotations

import datetime as dt
import importlib

import pandas as pd
import pytest
from sqlalchemy import func, select

from config.metrics import BY_CODE, components
from config.settings import PROJECT_ROOT
from data import queries
from data.db import DatabaseState, database_state, make_engine
from data.schema import BalanceMonthly, Customer, OrgUnit
from data.scope import ScopeError, checked_unit_id, scope_for
from tests.network_fixture import MONTHS, UNITS, kpi_frame, load_network

# Every query module registers its functions in data.queries.SCOPED_QUERIES on import.
for _module in sorted((PROJECT_ROOT / "data").glob("queries_*.py")):
    importlib.import_module(f"data.{_module.stem}")

LAST, PREVIOUS, LAST_YEAR = MONTHS[2], MONTHS[1], MONTHS[0]


def scope_of(engine, username, role, unit_id=None):
    with engine.connect() as connection:
        return scope_for(connection, username, role, unit_id)


def expected_metric(outlets: list[int], code: str, month: dt.date) -> float:
    """The metric recomputed with pandas from the fixture's raw rows (ratios from sums)."""
    frame = kpi_frame()
    frame = frame[frame["outlet_id"].isin(outlets) & (frame["month"] == month)]
    metric = BY_CODE[code]
    numerator, denominator = components(metric)
    if metric.unit_aggregation == "mean":
        return frame.loc[frame["metric_code"] == code, "value"].mean()
    top = frame.loc[frame["metric_code"].isin(numerator), "value"].sum()
    if not denominator:
        return top
    return top / frame.loc[frame["metric_code"].isin(denominator), "value"].sum()


def test_migrations_take_an_empty_database_to_head(database_url):
    engine = make_engine(database_url)
    assert database_state(engine) is DatabaseState.NOT_MIGRATED
    from data.db import upgrade_database

    upgrade_database(engine)
    assert database_state(engine) is DatabaseState.EMPTY
    engine.dispose()


def test_migrations_build_exactly_the_schema_of_the_models(database_url):
    """Alembic's autogenerate finds nothing to add or drop after ``upgrade head``."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from data.db import upgrade_database
    from data.schema import Base

    engine = make_engine(database_url)
    upgrade_database(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_migrations_keep_the_data_of_a_populated_database(database_url):
    """Upgrading a database that holds the first schema's data keeps every row (SQLite batch
    migrations copy tables, which must not trip over foreign keys)."""
    from alembic import command

    from data.db import _alembic_config, upgrade_database

    engine = make_engine(database_url)
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    load_network(engine)  # the fixture uses only first-schema columns

    def counts() -> dict[str, int]:
        with engine.connect() as connection:
            return {t.name: connection.execute(select(func.count()).select_from(t)).scalar() for t in tables}

    tables = (OrgUnit.__table__, Customer.__table__, BalanceMonthly.__table__)
    before = counts()
    upgrade_database(engine)
    assert counts() == before and before["org_unit"] == 9
    assert database_state(engine) is DatabaseState.READY
    engine.dispose()


def test_unreachable_database_is_reported_not_raised():
    engine = make_engine("postgresql://nobody@127.0.0.1:1/none", connect_timeout_s=1)
    assert database_state(engine) is DatabaseState.UNREACHABLE


def test_loaded_database_is_ready(shared_network):
    assert database_state(shared_network) is DatabaseState.READY


@pytest.mark.parametrize("unit_id, outlets", [(1, [6, 7, 8]), (2, [6, 7]), (4, [6, 7]), (3, [8]), (6, [6])])
@pytest.mark.parametrize(
    "code", ["deposits_total", "deposits_personal", "e_channel_rate", "txn_total", "inspection_score"]
)
def test_headline_kpis_equal_pandas_rollup_at_every_level(shared_network, unit_id, outlets, code):
    scope = scope_of(shared_network, "exec", "executive")
    result = queries.headline_kpis(shared_network, scope, unit_id, LAST, [code]).set_index("metric_code").loc[code]
    assert result["value"] == pytest.approx(expected_metric(outlets, code, LAST))
    assert result["previous_month"] == pytest.approx(expected_metric(outlets, code, PREVIOUS))
    # A year ago outlet 9 was still open: it counts in its subtree's total then.
    year_ago_outlets = outlets + [9] if unit_id in (1, 3) else outlets
    assert result["last_year"] == pytest.approx(expected_metric(year_ago_outlets, code, LAST_YEAR))


def test_ratio_is_recomputed_not_averaged(shared_network):
    scope = scope_of(shared_network, "exec", "executive")
    region = queries.headline_kpis(shared_network, scope, 1, LAST, ["e_channel_rate"])["value"].iloc[0]
    per_outlet = [expected_metric([o], "e_channel_rate", LAST) for o in (6, 7, 8)]
    assert region == pytest.approx(expected_metric([6, 7, 8], "e_channel_rate", LAST))
    assert region != pytest.approx(sum(per_outlet) / 3, rel=1e-9)


def test_kpi_by_child_gives_one_row_per_child(shared_network):
    scope = scope_of(shared_network, "exec", "executive")
    children = queries.kpi_by_child(shared_network, scope, 1, LAST, ["deposits_total", "e_channel_rate"]).set_index(
        "id"
    )
    assert list(children.index) == [2, 3]
    assert children.loc[2, "deposits_total"] == pytest.approx(expected_metric([6, 7], "deposits_total", LAST))
    assert children.loc[3, "e_channel_rate"] == pytest.approx(expected_metric([8], "e_channel_rate", LAST))
    outlets = queries.kpi_by_child(shared_network, scope, 5, LAST, ["deposits_total"]).set_index("id")
    assert outlets.loc[8, "deposits_total"] == pytest.approx(expected_metric([8], "deposits_total", LAST))
    assert pd.isna(outlets.loc[9, "deposits_total"])  # closed: no data this month


def test_outlet_map_data_lists_open_outlets_with_values(shared_network):
    scope = scope_of(shared_network, "exec", "executive")
    frame = queries.outlet_map_data(shared_network, scope, 1, LAST, "deposits_personal").set_index("id")
    assert list(frame.index) == [6, 7, 8]
    for outlet in (6, 7, 8):
        assert frame.loc[outlet, "value"] == pytest.approx(expected_metric([outlet], "deposits_personal", LAST))


def test_kpi_months_newest_first(shared_network):
    scope = scope_of(shared_network, "exec", "executive")
    assert queries.kpi_months(shared_network, scope, 1) == sorted(MONTHS, reverse=True)


def test_breadcrumb_stops_at_the_scope_root(shared_network):
    head = scope_of(shared_network, "headA1", "branch_head", 4)
    assert [c["id"] for c in queries.breadcrumb(shared_network, head, 6)] == [4, 6]
    executive = scope_of(shared_network, "exec", "executive")
    assert [c["id"] for c in queries.breadcrumb(shared_network, executive, 6)] == [1, 2, 4, 6]


# Arguments after (engine, scope, unit_id) for every registered query.
# Arguments after (engine, scope, unit_id) for every registered query, in every query module.
EXTRA_ARGUMENTS = {
    "unit_info": (),
    "breadcrumb": (),
    "child_units": (),
    "unit_labels": (),
    "quality_extract_rows": (),
    "quality_outlets": (),
    "quality_empty_values": (),
    "quality_unmatched": (),
    "care_customer_phones": (),
    "kpi_months": (),
    "headline_kpis": (LAST, ["deposits_total"]),
    "kpi_by_child": (LAST, ["deposits_total"]),
    "outlet_map_data": (LAST, "deposits_total"),
    "competitor_outlets": (),
    "district_outlines": (),
    "key_customers": (10,),
    "lobby_period": (),
    "lobby_profile": (),
    "lobby_outlet_summary": (),
    "lobby_worst_hours": (),
    "lobby_service_by_type": (),
    "diversion_channel_sums": (LAST_YEAR, LAST, "outlet"),
    "diversion_targets": (),
    "diversion_peer_position": (LAST_YEAR, LAST),
    "diversion_counter_mix": (LAST_YEAR, LAST),
    "txn_sample_period": (),
    "quality_period": (),
    "quality_scores": ("six_s", LAST_YEAR, LAST),
    "quality_item_losses": ("six_s", LAST_YEAR, LAST),
    "quality_recent_losses": ("six_s", LAST_YEAR, LAST),
    "quality_complaints": (LAST_YEAR, LAST),
    "comparison_outlets": (),
    "league_table": ("deposits_total", LAST),
    "head_to_head": ((6,), ("deposits_total",), (LAST,)),
    "dea_matrix": (LAST, "month", ("staff",), ("deposits_total",)),
    "trade_area_data": (),
    "peer_group_list": (),
    "peer_group_members": (1,),
    "market_demand_cells": (),
    "market_outlets": (),
    "market_customer_cells": (),
    "market_district_totals": (),
    "registry_outlets": (),
    "registry_parents": (),
    "outlet_record": (),
    "change_log": (),
    "cost_breakdown": (LAST,),
    "kpi_period_summary": (("deposits_total",), "month", LAST),
    "kpi_period_by_child": (("deposits_total",), "month", LAST),
    "kpi_monthly_series": (("deposits_total",),),
    "peer_rank": (("deposits_total",), LAST),
    "component_changes": ("deposits_total", LAST),
    "gap_customers": ("deposit", LAST),
    "alert_list": (),
    "alert_settings": (),
    "alert_findings": (LAST,),
    "care_outlets": (),
    "care_data_dates": (),
    "care_customer_search": ("C",),
    "care_customer_profile": (1,),
    "care_customer_holdings": (1,),
    "care_customer_balances": (1,),
    "care_customer_channels": (1,),
    "care_customer_transaction_days": (1,),
    "care_customer_complaints": (1,),
    "care_customer_contacts": (1,),
    "care_complaint_log": (),
    "care_reminder_birthdays": (2026,),
    "care_reminder_birthdays_ahead": (dt.date(2026, 11, 1), 7),
    "care_reminder_maturities": (dt.date(2026, 11, 1), dt.date(2026, 12, 31)),
    "care_reminder_idle_vips": (dt.date(2026, 11, 23),),
    "care_last_contacts": (),
    "care_action_inputs": (),
    "care_product_catalogue": (),
    "care_nbp_inputs": (),
    "care_saved_action_rules": (),
    "customer_balance_months": (),
    "customer_outlets": (),
    "tier_paths": ((LAST,), (50_000.0,)),
    "peer_tier_paths": ((LAST,), (50_000.0,)),
    "aum_percentiles": (LAST,),
    "customer_transaction_summary": (dt.date(2026, 10, 31),),
    "customer_holdout_counts": (dt.date(2026, 6, 30), dt.date(2026, 10, 31)),
    "region_transaction_histogram": (dt.date(2026, 10, 31),),
    "customer_feature_frame": (LAST, dt.date(2025, 11, 1), dt.date(2026, 10, 31)),
    "reconciliation_months": (),
    "reconciliation_sides": (LAST,),
    "extract_coverage": (LAST,),
    "extract_batches": (LAST,),
    "kpi_source_counts": (("deposits_personal",), LAST_YEAR, LAST, "outlet"),
    "score_status": (),
    "score_balance_history": ((LAST,),),
    "score_models": (1,),
    "score_tier_months": (1,),
    "score_tiers_by_outlet": (1, LAST),
    "score_tier_migration": (1, LAST_YEAR, LAST),
    "score_lifetime_summary": (1, 0.5),
    "score_alive_histogram": (1,),
    "score_clv_histogram": (1, (1.0, 10.0, 100.0)),
    "score_top_customers": (1, 10),
    "score_rfm_segments": (1,),
    "score_action_summary": (1, dt.date(2026, 11, 23)),
    "score_action_members": (1, dt.date(2026, 11, 23)),
    "score_outlet_potential": (1,),
    "score_customers_in_scope": (1,),
    "score_best_products": (1, "expected_margin", 10),
}


def test_every_query_function_is_covered_by_the_scope_tests():
    assert {f.__name__ for f in queries.SCOPED_QUERIES} == set(EXTRA_ARGUMENTS)


@pytest.mark.parametrize("query", queries.SCOPED_QUERIES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("foreign_unit", [7, 8, 4, 2, 1, 999])
def test_branch_head_cannot_read_other_units_through_any_query(shared_network, query, foreign_unit):
    head = scope_of(shared_network, "head6", "branch_head", 6)
    with pytest.raises(ScopeError):
        query(shared_network, head, foreign_unit, *EXTRA_ARGUMENTS[query.__name__])


@pytest.mark.parametrize("query", queries.SCOPED_QUERIES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("absurd_unit", [0, -6, 2**31, 10**20, 6.5, float("inf")], ids=str)
def test_an_id_that_cannot_be_a_unit_is_out_of_scope_for_every_query(shared_network, query, absurd_unit):
    """Ids beyond PostgreSQL's integer or SQLite's 64 bits (``?unit=99999999999999999999``) are
    refused like a foreign unit before any SQL, instead of a driver error quoting SQL."""
    executive = scope_of(shared_network, "exec", "executive")
    with pytest.raises(ScopeError):
        query(shared_network, executive, absurd_unit, *EXTRA_ARGUMENTS[query.__name__])


@pytest.mark.parametrize(
    "value, expected",
    [("6", 6), (" 42 ", 42), (6, 6), (6.0, 6), (2**31 - 1, 2**31 - 1), ("2147483647", 2**31 - 1)]
    + [(bad, None) for bad in ["99999999999999999999", "2147483648", "0", "-1", "1e3", "６", "", "abc", None]]
    + [(bad, None) for bad in [True, float("nan"), 1.5, 0, 2**31, [6]]],
    ids=repr,
)
def test_unit_ids_from_urls_are_whole_numbers_within_32_bits(value, expected):
    if expected is None:
        with pytest.raises(ScopeError):
            checked_unit_id(value)
    else:
        assert checked_unit_id(value) == expected


# Columns that name the outlet or unit a row belongs to ("id" is left out: in some results it is a
# competitor's, a complaint's or an alert's id).
OWN_UNIT_COLUMNS = ("outlet_id", "group_id", "unit_id", "org_unit_id")


@pytest.mark.parametrize("query", queries.SCOPED_QUERIES, ids=lambda f: f.__name__)
def test_branch_head_can_read_own_outlet_through_every_query(shared_network, query):
    """A branch head gets an answer about their own outlet from every query (no ScopeError), and
    no row of it belongs to another unit."""
    head = scope_of(shared_network, "head6", "branch_head", 6)
    result = query(shared_network, head, 6, *EXTRA_ARGUMENTS[query.__name__])
    assert isinstance(result, (pd.DataFrame, dict, list)), type(result)
    if isinstance(result, pd.DataFrame):
        for column in OWN_UNIT_COLUMNS:
            if column in result.columns:
                assert set(result[column].dropna().astype(int)) <= {6}, column
    if isinstance(result, dict) and "id" in result and "path" in result:  # a unit's own record
        assert result["id"] == 6


def test_branch_head_sees_only_own_customers_and_kpis(shared_network):
    head = scope_of(shared_network, "head6", "branch_head", 6)
    customers = queries.key_customers(shared_network, head, 6, 100)
    assert set(customers["customer_no"]) == {"C001", "C002"} and set(customers["outlet_id"]) == {6}
    assert set(customers["balance_month"]) == {MONTHS[-1]}
    # As of an earlier month: balances of that month-end or before (the fixture has none then).
    assert len(queries.key_customers(shared_network, head, 6, 100, MONTHS[-1])) == 2
    assert queries.key_customers(shared_network, head, 6, 100, MONTHS[-2]).empty
    headline = queries.headline_kpis(shared_network, head, 6, LAST, ["deposits_total"])
    assert headline["value"].iloc[0] == pytest.approx(expected_metric([6], "deposits_total", LAST))
    with shared_network.connect() as connection:
        assert connection.execute(select(OrgUnit.path).where(OrgUnit.id == 6)).scalar() == UNITS[5][3]


def test_personal_data_is_masked_for_roles_that_may_not_see_it(shared_network):
    executive = scope_of(shared_network, "exec", "executive")
    names = queries.key_customers(shared_network, executive, 1, 100)["name"]
    assert all(name.startswith("客") and set(name[1:]) == {"*"} for name in names)
    head = scope_of(shared_network, "head6", "branch_head", 6)
    assert set(queries.key_customers(shared_network, head, 6, 100)["name"]) == {"客户1号", "客户2号"}


def test_unit_labels_tell_outlets_with_one_name_apart(network):
    """Outlets 6 and 7 (sub-branch 4) and 8 (sub-branch 5) share a name: 8 gets its parent, 6 and
    7 their parent and code; a branch head's labels cover only their own subtree."""
    from sqlalchemy import update

    with network.begin() as connection:
        connection.execute(
            update(OrgUnit).where(OrgUnit.id.in_([6, 7, 8])).values(name_zh="民族分理处", name_en="Minzu Office")
        )
    executive = scope_of(network, "exec", "executive")
    labels = queries.unit_labels(network, executive, 1).set_index("id")
    assert labels.loc[8, "label_zh"] == "民族分理处（机构5）"
    assert labels.loc[6, "label_zh"] == f"民族分理处（机构4 · {labels.loc[6, 'code']}）"
    assert labels.loc[[6, 7, 8], "label_en"].is_unique
    assert labels.loc[4, "label_zh"] == "机构4"
    head = scope_of(network, "head4", "branch_head", 4)
    assert sorted(queries.unit_labels(network, head, 4)["id"]) == [4, 6, 7]
