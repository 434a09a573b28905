"""The scoring job (jobs.score) on a small demo, SQLite and PostgreSQL: what it stores equals what
the analytics functions give the pages on the same data; the stored-score queries keep to the
caller's scope; re-running replaces; a run whose data changed keeps nothing; a failure is logged
and leaves the previous scores in place."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, insert, select

from analytics.action_rules import ActionRules, build_action_lists, list_summary, probability_alive, tier_codes
from analytics.clv import customer_lifetime_value, fit_transaction_models
from analytics.customer_value import rfm_scores, tier_structure
from analytics.next_product import (
    NextProductModel,
    customer_features,
    expected_margin_per_sale,
    load_recommendation_policy,
    outlet_potential,
)
from data import queries_action_lists, queries_customer_care, queries_customers, queries_next_product
from data import queries_scores as qs
from data.db import bump_data_version, make_engine, upgrade_database
from data.queries_customers import MAX_TIER_MONTHS
from data.query_values import as_date
from data.schema import CustomerContact, OrgUnit, ScoreCustomer, ScoreRun, ScoreTierMonth
from data.scope import Scope, ScopeError
from jobs import score as job
from jobs import settings
from tests.conftest import BACKENDS, empty_database

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module", params=BACKENDS)
def scored(request, tmp_path_factory):
    """A small demo (scale 0.02) on each backend, scored once; two contacts logged before."""
    from data.demo import generate

    with empty_database(request.param, tmp_path_factory.mktemp("scoring")) as url:
        engine = make_engine(url)
        upgrade_database(engine)
        generate(engine, scale=0.02)
        result = job.score(engine, today=TODAY)
        yield engine, result
        engine.dispose()


def region(engine) -> Scope:
    return job.job_scope(engine)


def executive(engine) -> Scope:
    root = region(engine)
    return Scope("exec", "executive", root.root_unit_id, root.root_path, sees_personal_data=False)


def stored_customers(engine, run_id: int) -> pd.DataFrame:
    with engine.connect() as connection:
        result = connection.execute(
            select(ScoreCustomer.__table__).where(ScoreCustomer.run_id == run_id).order_by(ScoreCustomer.customer_id)
        )
        return pd.DataFrame(result.all(), columns=list(result.keys())).set_index("customer_id")


def test_the_run_is_logged_with_its_data_version_rows_and_models(scored):
    engine, result = scored
    assert result.status == "succeeded" and result.customers > 500
    status = qs.score_status(engine, executive(engine), region(engine).root_unit_id)
    assert status["current"] and status["run_id"] == result.run_id
    with engine.connect() as connection:
        version = qs.current_data_version(connection)
        run = connection.execute(select(ScoreRun.__table__).where(ScoreRun.id == result.run_id)).one()
    assert status["data_version"] == version == run.data_version
    assert run.finished_at >= run.started_at and run.row_count == result.rows and run.customers == result.customers
    models = qs.score_models(engine, executive(engine), region(engine).root_unit_id, result.run_id)
    assert {"bgnbd", "gamma_gamma", "activity_bgnbd", "segmentation", "next_product", "dates"} <= set(models)
    months = qs.score_tier_months(engine, executive(engine), region(engine).root_unit_id, result.run_id)
    with engine.connect() as connection:
        history = sorted(connection.execute(select(ScoreTierMonth.month).distinct()).scalars())
    assert months == [as_date(month) for month in history] and len(months) >= 2
    assert set(models["bgnbd"]["params"]) == {"r", "alpha", "a", "b"}


def test_lifetime_values_equal_the_models_fitted_on_the_same_data(scored):
    engine, result = scored
    scope, root = region(engine), region(engine).root_unit_id
    status = qs.score_status(engine, scope, root)
    end = status["observation_end"]
    summary = queries_customers.customer_transaction_summary(engine, scope, root, end)
    fitted = fit_transaction_models(
        summary.frequency,
        summary.recency_days,
        summary.T_days,
        summary.monetary_value,
        fallback=None,
    )
    f, r, t, m = summary.frequency, summary.recency_days, summary.T_days, summary.monetary_value
    clv = customer_lifetime_value(fitted.beta_geo, fitted.value, f, r, t, m, 12, 0.08, settings.DAYS_PER_MONTH, 1.0)
    ids = queries_action_lists.care_action_inputs(engine, scope, root).set_index("customer_no")["customer_id"]
    stored = stored_customers(engine, result.run_id).loc[summary.customer_no.map(ids)]
    assert stored.p_alive.to_numpy() == pytest.approx(fitted.beta_geo.probability_alive(f, r, t), rel=1e-9)
    assert stored.clv_rmb.to_numpy() == pytest.approx(clv, rel=1e-9)
    headline = qs.score_lifetime_summary(engine, executive(engine), root, result.run_id, 0.5)
    assert headline["customers"] == len(summary)
    assert headline["clv_rmb"] == pytest.approx(float(np.sum(clv)), rel=1e-9)
    assert headline["customers_without_transactions"] == summary.attrs["customers_without_transactions"]
    top = qs.score_top_customers(engine, executive(engine), root, result.run_id, 5)
    assert top.clv_rmb.to_numpy() == pytest.approx(np.sort(clv)[::-1][:5], rel=1e-9)
    assert all("*" in number for number in top.customer_no)  # masked for the executive


def test_tiers_and_migration_equal_the_pages_tier_paths(scored):
    engine, result = scored
    scope, root = region(engine), region(engine).root_unit_id
    months = queries_customers.customer_balance_months(engine, scope, root)[-MAX_TIER_MONTHS:]
    thresholds = tuple(tier.min_aum_rmb for tier in settings.TIERS[1:])
    paths = queries_customers.tier_paths(engine, scope, root, tuple(months), thresholds)
    by_outlet, migration = tier_structure(paths, len(settings.TIERS), settings.DOWNGRADE_AFTER_MONTHS, 0)
    stored = qs.score_tiers_by_outlet(engine, executive(engine), root, result.run_id, months[-1])
    expected = by_outlet.sort_values(["outlet_id", "tier"]).reset_index(drop=True)
    assert stored[["outlet_id", "tier", "customers"]].to_numpy().tolist() == (
        expected[["outlet_id", "tier", "customers"]].to_numpy().tolist()
    )
    assert stored.aum_rmb.to_numpy() == pytest.approx(expected.aum_rmb.to_numpy(), rel=1e-9)
    moves = qs.score_tier_migration(engine, executive(engine), root, result.run_id, months[0], months[-1])
    matrix = np.zeros_like(migration.to_numpy())
    for row in moves.itertuples():
        matrix[row.tier_from, row.tier_to] = row.customers
    assert matrix.tolist() == migration.to_numpy().tolist()


def test_rfm_segments_equal_the_segments_pages(scored):
    engine, result = scored
    scope, root = region(engine), region(engine).root_unit_id
    month = queries_customers.customer_balance_months(engine, scope, root)[-1]
    end = (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
    features = queries_customers.customer_feature_frame(engine, scope, root, month, end - dt.timedelta(days=364), end)
    rfm = rfm_scores(features.days_since_last, features.active_days, features.aum_rmb)
    expected = rfm.segment.value_counts().sort_index()
    stored = qs.score_rfm_segments(engine, executive(engine), root, result.run_id).set_index("segment").customers
    assert stored.sort_index().to_dict() == expected.to_dict()


def test_action_lists_equal_the_rules_with_todays_contacts(scored):
    engine, result = scored
    scope, root = region(engine), region(engine).root_unit_id
    rules = ActionRules()
    inputs = queries_action_lists.care_action_inputs(engine, scope, root, rules.churn_months)
    as_of = queries_customer_care.care_data_dates(engine, scope, root)["last_txn_day"]
    p_alive, _ = probability_alive(inputs, as_of)
    lists = build_action_lists(inputs.assign(p_alive=p_alive.to_numpy()), rules, TODAY, None)
    # contacts: one churn customer met yesterday (cools off), one maintenance customer called today
    churn_member = int(lists.loc[lists.list_kind == "churn", "customer_id"].iloc[0])
    maintained = int(lists.loc[lists.list_kind == "maintenance", "customer_id"].iloc[0])
    home = inputs.set_index("customer_id")["outlet_id"]
    with engine.begin() as connection:
        for customer, outcome, when in (
            (churn_member, "met", dt.datetime(2026, 11, 22, 10)),
            (maintained, "called", dt.datetime(2026, 11, 23, 9)),
        ):
            connection.execute(
                insert(CustomerContact).values(
                    customer_id=customer,
                    outlet_id=int(home[customer]),
                    contacted_at=when,
                    list_kind="churn",
                    outcome=outcome,
                    recorded_by="test",
                )
            )
    try:
        contacts = queries_customer_care.care_last_contacts(engine, scope, root)
        expected = list_summary(build_action_lists(inputs.assign(p_alive=p_alive.to_numpy()), rules, TODAY, contacts))
        stored = qs.score_action_summary(engine, executive(engine), root, result.run_id, TODAY)
        assert len(stored) == len(expected)
        assert stored[["outlet_id", "list_kind", "customers"]].to_numpy().tolist() == (
            expected[["outlet_id", "list_kind", "customers"]].astype({"outlet_id": "int64"}).to_numpy().tolist()
        )
        assert stored.value_rmb.to_numpy() == pytest.approx(expected.value_rmb.to_numpy(), rel=1e-9)
        members = qs.score_action_members(engine, scope, root, result.run_id, TODAY)
        assert churn_member not in set(members.loc[members.list_kind == "churn", "customer_id"])
        assert maintained not in set(members.loc[members.list_kind == "maintenance", "customer_id"])
        churn = members[members.list_kind == "churn"]
        assert churn["rank"].tolist() == list(range(1, len(churn) + 1))
        assert churn.value_rmb.is_monotonic_decreasing
    finally:
        with engine.begin() as connection:
            connection.execute(CustomerContact.__table__.delete().where(CustomerContact.recorded_by == "test"))


def test_next_best_products_equal_the_models_fitted_on_the_same_data(scored):
    engine, result = scored
    scope, root = region(engine), region(engine).root_unit_id
    inputs = queries_next_product.care_nbp_inputs(engine, scope, root)
    catalogue = queries_next_product.care_product_catalogue(engine, scope, root)
    as_of = queries_customer_care.care_data_dates(engine, scope, root)["last_txn_day"]
    features = customer_features(inputs, as_of, tier_codes(inputs.set_index("customer_id")["aum_rmb"]))
    model = NextProductModel().fit(features, dict(zip(catalogue.code, catalogue.segment)))
    reliable = model.reliable_codes(load_recommendation_policy().min_auc)
    potential = outlet_potential(
        model.propensity(features),
        expected_margin_per_sale(catalogue),
        inputs.set_index("customer_id")["outlet_id"],
        reliable,
    )
    stored = qs.score_outlet_potential(engine, executive(engine), root, result.run_id)
    merged = potential.merge(stored, on=["outlet_id", "code"], suffixes=("", "_stored"))
    assert len(merged) == len(potential) == len(stored)
    assert merged.expected_margin_rmb_stored.to_numpy() == pytest.approx(
        merged.expected_margin_rmb.to_numpy(), rel=1e-9
    )
    assert (merged.non_holders_stored == merged.non_holders).all()


def test_a_branch_head_reads_only_own_outlets_scores(scored):
    engine, result = scored
    with engine.connect() as connection:
        outlet, other = (
            connection.execute(
                select(ScoreCustomer.outlet_id).where(ScoreCustomer.run_id == result.run_id).distinct().limit(2)
            )
            .scalars()
            .all()
        )
        path = connection.execute(select(OrgUnit.path).where(OrgUnit.id == outlet)).scalar()
        own = connection.execute(
            select(func.count()).where(ScoreCustomer.run_id == result.run_id, ScoreCustomer.outlet_id == outlet)
        ).scalar()
    head = Scope("head", "branch_head", outlet, path, sees_personal_data=True)
    assert qs.score_customers_in_scope(engine, head, outlet, result.run_id) == {"customers": own}
    assert set(qs.score_tiers_by_outlet(engine, head, outlet, result.run_id, TODAY.replace(day=1)).outlet_id) <= {
        outlet
    }
    assert set(qs.score_outlet_potential(engine, head, outlet, result.run_id).outlet_id) == {outlet}
    assert set(qs.score_action_members(engine, head, outlet, result.run_id, TODAY).outlet_id) <= {outlet}
    assert qs.score_lifetime_summary(engine, head, outlet, result.run_id, 0.5)["customers"] <= own
    for query, arguments in (
        (qs.score_customers_in_scope, (result.run_id,)),
        (qs.score_top_customers, (result.run_id, 10)),
        (qs.score_action_summary, (result.run_id, TODAY)),
        (qs.score_best_products, (result.run_id, "expected_margin", 10)),
    ):
        with pytest.raises(ScopeError):
            query(engine, head, other, *arguments)


def test_the_command_line_does_nothing_when_the_scores_are_current(scored, capsys):
    engine, result = scored
    url = engine.url.render_as_string(hide_password=False)
    assert job.main(["--database-url", url, "--if-stale"]) == 0
    assert "nothing to do" in capsys.readouterr().out
    with engine.connect() as connection:
        assert connection.execute(select(func.max(ScoreRun.id))).scalar() == result.run_id  # no new run


def test_rerunning_replaces_the_scores_and_a_changed_version_keeps_nothing(scored):
    engine, first = scored
    before = stored_customers(engine, first.run_id)
    again = job.score(engine, today=TODAY)
    assert again.status == "succeeded" and again.run_id != first.run_id
    after = stored_customers(engine, again.run_id)
    pd.testing.assert_frame_equal(before.drop(columns="run_id"), after.drop(columns="run_id"))
    with engine.connect() as connection:
        runs = set(connection.execute(select(ScoreCustomer.run_id).distinct()).scalars())
        tier_runs = set(connection.execute(select(ScoreTierMonth.run_id).distinct()).scalars())
    assert runs == tier_runs == {again.run_id}  # one set of scores
    # the data change while a run computes: it is superseded and the scores in force stay
    run_id, _ = qs.start_run(engine, "local", {})
    with engine.begin() as connection:
        bump_data_version(connection, "test")
    assert qs.store_run(engine, run_id, {"score_customer": after.reset_index().drop(columns="run_id")}, {}, None) == (
        "superseded"
    )
    with engine.connect() as connection:
        assert set(connection.execute(select(ScoreCustomer.run_id).distinct()).scalars()) == {again.run_id}
    status = qs.score_status(engine, executive(engine), region(engine).root_unit_id)
    assert not status["current"] and status["last_version"] == again.data_version


def test_a_failed_run_is_logged_and_changes_no_scores(scored, monkeypatch):
    engine, _ = scored
    with engine.connect() as connection:
        kept = set(connection.execute(select(ScoreCustomer.run_id).distinct()).scalars())

    def broken(*args, **kwargs):
        raise RuntimeError("no luck")

    monkeypatch.setattr(job, "product_scores", broken)
    with pytest.raises(RuntimeError):
        job.score(engine, today=TODAY)
    with engine.connect() as connection:
        run = connection.execute(select(ScoreRun.__table__).order_by(ScoreRun.id.desc()).limit(1)).one()
        assert set(connection.execute(select(ScoreCustomer.run_id).distinct()).scalars()) == kept
    assert run.status == "failed" and "no luck" in run.error and run.finished_at is not None


def test_the_command_line_refuses_an_unknown_engine(scored):
    engine, _ = scored
    with pytest.raises(SystemExit) as exit_info:
        job.main(["--database-url", str(engine.url), "--engine", "spark"])
    assert exit_info.value.code == 2
