"""Service quality: the inspections import kind (good rows land exactly, bad rows change nothing),
the quality queries on SQLite and PostgreSQL against hand-computed sums, shares recomputed from
points at every level, the demo's inspections (loaded through the pipeline, 6S totals equal to the
inspection_score KPI), and the page under AppTest for every role that sees it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select

from analytics.service_quality import complaint_matrix, item_ranking, monthly_shares, outlet_standing, score_share
from config.translations import TEXTS
from data import queries_service
from data.bulk import bulk_insert
from data.db import make_engine
from data.importer import confirm, stage
from data.importer.spec import INSPECTION_ITEMS, KINDS
from data.schema import Complaint, ImportBatch, Inspection, KpiMonthly, OrgUnit
from data.scope import ScopeError, scope_for
from tests.apptest_support import log_in
from tests.test_importer import table_checksums

HEADER = "outlet_code,inspected_on,kind,item,score,max_score,note\n"
# Outlet 6: two 6S visits (Sept: 13 + 15 of 30; Oct: 20 of 20) and one mystery-shopper item;
# outlet 7: one 6S visit (Oct: 10 + 9 of 20); outlet 8: one 6S visit (Oct: 4 of 10).
GOOD = (
    HEADER + "U6,2026-09-10,six_s,sort,13,15,Counter cluttered\n"
    "U6,2026-09-10,six_s,safety,15,15,\n"
    "U6,2026-10-12,six_s,sort,10,10,\n"
    "U6,2026-10-12,six_s,shine,10,10,\n"
    "U6,2026-10-20,mystery_shopper,greeting,6.5,10,Nobody greeted\n"
    "U7,2026-10-05,six_s,sort,10,10,\n"
    "U7,2026-10-05,six_s,safety,9,10,Fire exit blocked\n"
    "U8,2026-10-07,six_s,shine,4,10,Dirty screens\n"
)
START, END = dt.date(2026, 9, 1), dt.date(2026, 10, 31)


def scope_of(engine, username, role, unit_id=None):
    with engine.connect() as connection:
        return scope_for(connection, username, role, unit_id)


@pytest.fixture(scope="module")
def quality_network(shared_network):
    """The fixture network with the GOOD inspections imported and confirmed, and four complaints."""
    result = stage(shared_network, "inspections", GOOD.encode(), "inspections.csv", "steward")
    assert result.ok, result.errors
    confirm(shared_network, result.batch_id, "steward")
    complaints = pd.DataFrame(
        [
            (1, 6, dt.datetime(2026, 9, 3, 10), "wait_time", "open", "high"),
            (2, 6, dt.datetime(2026, 10, 3, 10), "wait_time", "closed", "low"),
            (3, 6, dt.datetime(2026, 10, 9, 10), "fees", "closed", "low"),
            (4, 8, dt.datetime(2026, 10, 31, 23), "machine", "open", "medium"),
            (5, 8, dt.datetime(2026, 11, 1, 0), "machine", "open", "medium"),  # after END
        ],
        columns=["id", "outlet_id", "received_at", "category", "status", "severity"],
    ).assign(channel="hotline")
    with shared_network.begin() as connection:
        bulk_insert(connection, Complaint.__table__, complaints)
    return shared_network


# --------------------------------------------------------------------------- import kind


def test_inspection_kind_names_its_items_and_key():
    kind = KINDS["inspections"]
    assert kind.table is Inspection.__table__
    assert kind.key == ("outlet_id", "inspected_on", "kind", "item")
    assert INSPECTION_ITEMS["six_s"] == ("sort", "set_in_order", "shine", "standardise", "sustain", "safety")


def test_good_inspections_land_exactly(quality_network):
    with quality_network.connect() as connection:
        rows = connection.execute(
            select(Inspection.outlet_id, Inspection.kind, Inspection.item, Inspection.score, Inspection.max_score)
            .where(Inspection.import_batch_id.is_not(None))
            .order_by(Inspection.id)
        ).all()
        notes = connection.execute(select(Inspection.note).order_by(Inspection.id)).scalars().all()
        batches = connection.execute(select(func.count()).select_from(ImportBatch)).scalar()
    assert len(rows) == 8 and batches == 1
    assert rows[0] == (6, "six_s", "sort", 13.0, 15.0)
    assert rows[4] == (6, "mystery_shopper", "greeting", 6.5, 10.0)
    assert notes[0] == "Counter cluttered" and notes[1] is None


@pytest.mark.parametrize(
    "line, column, key",
    [
        ("U99,2026-10-01,six_s,sort,10,15,", "outlet_code", "import_unknown_code"),
        ("U6,2026-10-01,six_s,sort,16,15,", "score", "import_score_above_max"),
        ("U6,2026-10-01,six_s,sort,-1,15,", "score", "import_below_minimum"),
        ("U6,2026-10-01,six_s,greeting,5,10,", "item", "import_unknown_item"),
        ("U6,2026-10-01,mystery_shopper,shine,5,10,", "item", "import_unknown_item"),
        ("U6,2026-10-01,audit,sort,5,10,", "kind", "import_bad_choice"),
        ("U6,2026-13-01,six_s,sort,5,10,", "inspected_on", "import_no_such_date"),
        ("U6,2026-10-01,six_s,sort,5,0,", "max_score", "import_below_minimum"),
        ("U6,2026-10-01,six_s,sort,5,10,=HYPERLINK(1)", "note", "import_formula_text"),
        ("U6,2026-09-10,six_s,sort,13,15,", "", "import_already_in_database"),
    ],
)
def test_bad_inspection_rows_are_refused_and_change_nothing(network, line, column, key):
    if key == "import_already_in_database":
        first = stage(network, "inspections", (HEADER + line + "\n").encode(), "first.csv", "steward")
        confirm(network, first.batch_id, "steward")
        line += "again"  # a different file (another note), the same key
    before = table_checksums(network)
    result = stage(network, "inspections", f"{HEADER}{line}\n".encode(), "bad.csv", "steward")
    assert not result.ok
    assert [(e.column, e.key) for e in result.errors][0] == (column, key)
    assert table_checksums(network) == before


def test_duplicate_inspection_items_in_one_file_are_refused(network):
    content = HEADER + "U6,2026-10-01,six_s,sort,5,10,\nU6,2026-10-01,six_s,sort,6,10,\n"
    result = stage(network, "inspections", content.encode(), "dup.csv", "steward")
    assert [(e.row, e.key) for e in result.errors] == [(3, "import_duplicate_in_file")]


# --------------------------------------------------------------------------- queries


@pytest.mark.parametrize(
    "unit_id, score, maximum",
    [
        (1, 13 + 15 + 10 + 10 + 10 + 9 + 4, 30 + 20 + 20 + 10),
        (2, 13 + 15 + 20 + 19, 30 + 20 + 20),
        (6, 48, 50),
        (8, 4, 10),
    ],
)
def test_scores_are_summed_and_shares_recomputed_at_every_level(quality_network, unit_id, score, maximum):
    scope = scope_of(quality_network, "exec", "executive")
    scores = queries_service.quality_scores(quality_network, scope, unit_id, "six_s", START, END)
    assert scores["score"].sum() == pytest.approx(score)
    assert scores["max_score"].sum() == pytest.approx(maximum)
    assert score_share(scores["score"].sum(), scores["max_score"].sum()) == pytest.approx(score / maximum)


def test_monthly_shares_and_outlet_standing_by_hand(quality_network):
    scope = scope_of(quality_network, "exec", "executive")
    scores = queries_service.quality_scores(quality_network, scope, 1, "six_s", START, END)
    by_month = monthly_shares(scores).set_index("month")
    october = by_month.loc[dt.date(2026, 10, 1)]
    assert october["share"] == pytest.approx((20 + 19 + 4) / (20 + 20 + 10))  # not the mean of 1.0, 0.95, 0.4
    assert october["share"] != pytest.approx(np.mean([1.0, 0.95, 0.4]))
    assert october["worst"] == pytest.approx(0.4) and october["best"] == pytest.approx(1.0)
    assert by_month.loc[dt.date(2026, 9, 1), "outlets"] == 1
    standing = outlet_standing(scores).set_index("outlet_id")
    assert list(standing.index) == [8, 7, 6]  # lowest period share first
    assert standing.loc[6, "share"] == pytest.approx(48 / 50)
    assert standing.loc[6, "latest"] == 1.0 and standing.loc[6, "previous"] == pytest.approx(28 / 30)
    assert standing.loc[6, "change"] == pytest.approx(1 - 28 / 30)
    assert np.isnan(standing.loc[8, "change"])  # one visit only
    assert standing.loc[6, "losing_per_visit"] == pytest.approx(0.5)  # 1 item lost in 2 visits


def test_item_losses_and_recent_notes(quality_network):
    scope = scope_of(quality_network, "exec", "executive")
    losses = queries_service.quality_item_losses(quality_network, scope, 1, "six_s", START, END)
    ranking = item_ranking(losses).set_index("item")
    assert ranking.loc["shine", "lost"] == pytest.approx(6) and ranking.loc["shine", "lost_share"] == pytest.approx(0.3)
    assert ranking.loc["sort", "checks"] == 3 and ranking.loc["sort", "checks_losing"] == 1
    assert ranking.index[0] == "shine"
    notes = queries_service.quality_recent_losses(quality_network, scope, 1, "six_s", START, END)
    assert list(notes["code"]) == ["U8", "U7", "U6"]  # newest first
    assert list(notes["note"]) == ["Dirty screens", "Fire exit blocked", "Counter cluttered"]
    shopper = queries_service.quality_scores(quality_network, scope, 1, "mystery_shopper", START, END)
    assert shopper["score"].sum() == 6.5 and shopper["max_score"].sum() == 10


def test_complaints_by_outlet_and_category(quality_network):
    scope = scope_of(quality_network, "exec", "executive")
    complaints = queries_service.quality_complaints(quality_network, scope, 1, START, END)
    assert complaints["complaints"].sum() == 4  # the one received after END is left out
    matrix = complaint_matrix(complaints).reset_index().set_index("outlet_id")
    assert matrix.loc[6, "wait_time"] == 2 and matrix.loc[6, "fees"] == 1 and matrix.loc[6, "total"] == 3
    assert matrix.loc[8, "machine"] == 1 and matrix.loc[8, "wait_time"] == 0
    assert complaints.loc[complaints["outlet_id"] == 6, "still_open"].sum() == 1
    period = queries_service.quality_period(quality_network, scope, 6)
    assert period["first_inspection"] == dt.date(2026, 9, 10) and period["last_complaint"] == dt.date(2026, 10, 9)


@pytest.mark.parametrize(
    "query, extra",
    [
        (queries_service.quality_period, ()),
        (queries_service.quality_scores, ("six_s", START, END)),
        (queries_service.quality_item_losses, ("six_s", START, END)),
        (queries_service.quality_recent_losses, ("six_s", START, END)),
        (queries_service.quality_complaints, (START, END)),
    ],
)
def test_branch_head_sees_only_their_outlet(quality_network, query, extra):
    head = scope_of(quality_network, "head6", "branch_head", 6)
    for foreign in (7, 8, 4, 1):
        with pytest.raises(ScopeError):
            query(quality_network, head, foreign, *extra)
    query(quality_network, head, 6, *extra)
    own = queries_service.quality_scores(quality_network, head, 6, "six_s", START, END)
    assert set(own["outlet_id"]) == {6}


# --------------------------------------------------------------------------- demo data


def test_demo_inspections_come_through_the_pipeline_and_match_the_kpi(demo_database_url):
    engine = make_engine(demo_database_url)
    with engine.connect() as connection:
        batches = connection.execute(
            select(func.count()).select_from(ImportBatch).where(ImportBatch.kind == "inspections")
        ).scalar()
        unbatched = connection.execute(
            select(func.count()).select_from(Inspection).where(Inspection.import_batch_id.is_(None))
        ).scalar()
        six_s = pd.DataFrame(
            connection.execute(
                select(
                    Inspection.outlet_id,
                    Inspection.inspected_on,
                    Inspection.item,
                    Inspection.score,
                    Inspection.max_score,
                ).where(Inspection.kind == "six_s")
            ).all(),
            columns=["outlet_id", "inspected_on", "item", "score", "max_score"],
        )
        kpi = pd.DataFrame(
            connection.execute(
                select(KpiMonthly.outlet_id, KpiMonthly.month, KpiMonthly.value).where(
                    KpiMonthly.metric_code == "inspection_score"
                )
            ).all(),
            columns=["outlet_id", "month", "value"],
        )
        outlets = set(connection.execute(select(OrgUnit.id).where(OrgUnit.level == "outlet")).scalars())
    engine.dispose()
    assert batches == 1 and unbatched == 0
    assert set(six_s["outlet_id"]) <= outlets
    assert (six_s["score"] >= 0).all() and (six_s["score"] <= six_s["max_score"]).all()
    assert set(six_s["item"]) == set(INSPECTION_ITEMS["six_s"])
    visits = six_s.groupby(["outlet_id", "inspected_on"]).agg(total=("score", "sum"), maximum=("max_score", "sum"))
    assert (visits["maximum"] == 100).all()
    visits = visits.reset_index()
    visits["month"] = pd.to_datetime(visits["inspected_on"]).dt.to_period("M").dt.to_timestamp().dt.date
    kpi["month"] = pd.to_datetime(kpi["month"]).dt.date
    joined = visits.merge(kpi, on=["outlet_id", "month"])
    assert len(joined) == len(visits) > 0
    np.testing.assert_allclose(joined["total"], joined["value"], atol=1e-6)


# --------------------------------------------------------------------------- page (AppTest)

PAGE = "pages/service_quality.py"


def open_page(app, username: str, lang: str = "en"):
    at = log_in(app, username, lang=lang)
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("username", ["exec", "planner", "head_sub", "head_outlet"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_quality_page_for_each_role(app, username, lang):
    at = open_page(app, username, lang)
    assert at.title[0].value == TEXTS["qual_title"][lang]
    labels = [m.label for m in at.metric]
    assert TEXTS["qual_metric_share"][lang] in labels
    assert all(m.value not in ("", "—") for m in at.metric)
    subheaders = [s.value for s in at.subheader]
    for key in ("qual_trend_title", "qual_outlets_title", "qual_items_title", "qual_complaints_title"):
        assert TEXTS[key][lang] in subheaders
    outlets = at.dataframe[0].value
    if username == "head_outlet":
        assert len(outlets) == 1
    elif username == "head_sub":
        assert 1 < len(outlets) < 20
    else:
        assert len(outlets) > 5
    items = at.dataframe[1].value
    assert set(items.iloc[:, 0]) == {TEXTS[f"qual_item_{i}"][lang] for i in INSPECTION_ITEMS["six_s"]}
    assert len(at.get("download_button")) == 1


def test_quality_page_mystery_shopper_and_short_period(app):
    at = open_page(app, "exec")
    at.segmented_control(key="qual_kind").set_value("mystery_shopper").run()
    assert not at.exception
    items = at.dataframe[1].value
    assert set(items.iloc[:, 0]) == {TEXTS[f"qual_item_{i}"]["en"] for i in INSPECTION_ITEMS["mystery_shopper"]}
    at.selectbox(key="qual_months").set_value(3).run()
    assert not at.exception and not at.error


def test_quality_page_follows_the_sidebar_month(app):
    import json

    at = open_page(app, "exec", "zh")
    month = at.session_state["month"]
    earlier = (pd.Timestamp(month) - pd.DateOffset(months=4)).date().replace(day=1)
    at.session_state["month"] = earlier
    at.run()
    assert not at.exception
    month_end = (pd.Timestamp(earlier) + pd.offsets.MonthEnd(0)).date()
    assert f"至 {month_end.isoformat()}" in " ".join(c.value for c in at.caption)
    trend = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert trend["layout"]["xaxis"]["tickformat"] == "%Y年%-m月"
    assert max(pd.Timestamp(x) for x in trend["data"][-1]["x"]) <= pd.Timestamp(earlier)
    # A month before any inspection or complaint: said with the dates the data cover, no chart.
    at.session_state["month"] = dt.date(month.year - 2, month.month, 1)  # the demo's KPIs go back 3 years
    at.run()
    assert not at.exception
    assert at.session_state["month"] == dt.date(month.year - 2, month.month, 1)
    assert TEXTS["qual_month_not_covered"]["zh"].split("{")[0] in " ".join(w.value for w in at.warning)
    assert not at.get("plotly_chart")
