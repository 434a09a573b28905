"""Reconciliation of the KPI import against the account extracts: the queries on
SQLite and PostgreSQL with hand-made rows and known answers, scope, the comparison's arithmetic,
the page for every role that sees it (and one that does not), its Excel workbook, and the KPI
explorer's note of where each figure came from."""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, func, insert, select, update

from analytics.reconciliation import (
    Tolerance,
    base_codes_of,
    compare,
    figure_sources,
    has_account_figures,
    largest_differences,
    load_tolerance,
    outlet_status,
    summary,
)
from config.roles import ROLE_POLICIES
from config.translations import TEXTS
from data import queries_reconciliation as qr
from data.db import make_engine, upgrade_database
from data.schema import (
    AccountBalance,
    AccountKpiMonthly,
    AppUser,
    Customer,
    ExtractCompletion,
    ImportBatch,
    KpiMonthly,
    OrgUnit,
    Product,
)
from data.scope import ScopeError, scope_for
from tests.apptest_support import log_in, new_app, open_page, visible_text
from tests.conftest import BACKENDS, empty_database
from tests.database_copy import copy_sqlite_database
from tests.network_fixture import MONTHS, load_network
from ui.charts import money_scale
from ui.excel import frames_to_xlsx
from ui.format import format_money
from ui.reconciliation_view import FLAGGED_CELL, ONE_SIDED_CELL, difference_grid, difference_table, export_sheets

MONTH, BEFORE = MONTHS[2], MONTHS[1]
PAGE = "pages/reconciliation.py"
KPI_PAGE = "pages/kpi_explorer.py"
MARKED_AT = dt.datetime(2026, 11, 5, 10, 30)


# --------------------------------------------------------------------------- hand-made rows
#
# The network fixture imports deposits_personal = outlet × 1000 + 2 and deposits_corporate =
# outlet × 1000 + 12 in MONTH (tests/network_fixture.kpi_value). On top of it:
#   outlet 6: accounts give deposits_personal 11,002 (+5,000: within 10,000 + 0.1 %),
#             deposits_corporate 56,012 (+50,000: flagged), a metric only the accounts give,
#             and an imported loans_corporate of 400,000 with no account side;
#   outlet 7: nothing from the accounts (import only);
#   outlet 8: deposits_personal 8,002 from the accounts (agrees), loans_personal 300,000 from the
#             accounts only (also written to kpi_monthly with source "accounts", as the account
#             derivation does where no KPI was imported).
ACCOUNT_KPIS = [
    (6, "deposits_personal", MONTH, 11_002.0, 3),
    (6, "deposits_corporate", MONTH, 56_012.0, 2),
    (6, "daily_average_test", MONTH, 7_777.0, 3),
    (8, "deposits_personal", MONTH, 8_002.0, 4),
    (8, "loans_personal", MONTH, 300_000.0, 1),
    (6, "deposits_personal", BEFORE, 1.0, 1),  # another month: never in MONTH's answers
]


def add_reconciliation_rows(engine) -> None:
    """The rows described above, plus account extracts and completion marks for the coverage."""
    with engine.begin() as connection:
        connection.execute(
            insert(AccountKpiMonthly),
            [dict(zip(("outlet_id", "metric_code", "month", "value", "accounts"), row)) for row in ACCOUNT_KPIS],
        )
        connection.execute(
            insert(KpiMonthly),
            [
                {
                    "outlet_id": 8,
                    "metric_code": "loans_personal",
                    "month": MONTH,
                    "value": 300_000.0,
                    "source": "accounts",
                },
                {"outlet_id": 6, "metric_code": "loans_corporate", "month": MONTH, "value": 400_000.0, "source": None},
            ],
        )
        connection.execute(
            insert(Product),
            [{"id": 901, "code": "DD-P", "name_zh": "活期", "name_en": "Demand", "family": "demand_deposit",
              "segment": "personal", "annual_margin_rate": 0.01}],
        )  # fmt: skip
        connection.execute(
            insert(ImportBatch),
            [
                {"id": batch, "kind": "personal_deposits", "file_name": f"f{batch}.csv", "file_sha256": str(batch) * 64,
                 "uploaded_by": "steward", "uploaded_at": MARKED_AT, "status": "confirmed"}
                for batch in (1, 2)
            ],
        )  # fmt: skip
        accounts = [
            # extract, outlet, customer, account, balance, daily average, batch
            ("personal_deposit", 6, 1, "A1", 1_000.0, 900.0, 1),
            ("personal_deposit", 6, 2, "A2", 2_000.0, None, 2),
            ("corporate_loan", 8, 5, "A3", 5_000_000.0, 4_800_000.0, 1),
            ("personal_loan", 9, 5, "A4", 70.0, None, 1),  # a closed outlet with an extract: still shown
            ("personal_deposit", 7, 3, "A5", 999.0, None, 1),  # the month before: not in MONTH
        ]
        connection.execute(
            insert(AccountBalance),
            [
                {"extract": e, "month": BEFORE if number == "A5" else MONTH, "outlet_id": o, "customer_id": c,
                 "product_id": 901, "account_no": number, "balance_rmb": b, "daily_average_rmb": d,
                 "import_batch_id": batch}
                for e, o, c, number, b, d, batch in accounts
            ],
        )  # fmt: skip
        connection.execute(
            insert(ExtractCompletion),
            [
                {"extract": "personal_deposit", "outlet_id": 6, "month": MONTH, "marked_by": "steward",
                 "marked_at": MARKED_AT},
                {"extract": "corporate_deposit", "outlet_id": 7, "month": MONTH, "marked_by": "steward2",
                 "marked_at": MARKED_AT},
            ],
        )  # fmt: skip


@pytest.fixture(scope="module", params=BACKENDS)
def recon_network(request, tmp_path_factory):
    """The fixture network with the rows above, on each backend (read-only tests)."""
    with empty_database(request.param, tmp_path_factory.mktemp("recon")) as url:
        engine = make_engine(url)
        upgrade_database(engine)
        load_network(engine)
        add_reconciliation_rows(engine)
        yield engine
        engine.dispose()


def scope_of(engine, username, role, unit_id=None):
    with engine.connect() as connection:
        return scope_for(connection, username, role, unit_id)


# --------------------------------------------------------------------------- queries


def test_sides_put_the_import_next_to_the_account_extracts(recon_network):
    scope = scope_of(recon_network, "exec", "executive")
    sides = qr.reconciliation_sides(recon_network, scope, 1, MONTH)
    got = {
        (row.outlet_id, row.metric_code): (row.import_value, row.account_value, row.accounts)
        for row in sides.itertuples()
    }
    nan = float("nan")
    expected = {
        (6, "daily_average_test"): (nan, 7_777.0, 3),
        (6, "deposits_corporate"): (6_012.0, 56_012.0, 2),
        (6, "deposits_personal"): (6_002.0, 11_002.0, 3),
        (6, "loans_corporate"): (400_000.0, nan, 0),
        (7, "deposits_corporate"): (7_012.0, nan, 0),
        (7, "deposits_personal"): (7_002.0, nan, 0),
        (8, "deposits_corporate"): (8_012.0, nan, 0),
        (8, "deposits_personal"): (8_002.0, 8_002.0, 4),
        (8, "loans_personal"): (nan, 300_000.0, 1),  # the kpi_monthly copy (source "accounts") is no import
    }
    assert set(got) == set(expected)  # no channel or score metric, no other month
    for key, values in expected.items():
        assert got[key] == pytest.approx(values, nan_ok=True), key
    assert list(sides["code"]) == sorted(sides["code"]) and set(sides["month"]) == {MONTH}
    assert set(sides.loc[sides["outlet_id"] == 6, "name_en"]) == {"Unit 6"}


def test_comparison_of_the_fixture_month(recon_network):
    scope = scope_of(recon_network, "exec", "executive")
    compared = compare(qr.reconciliation_sides(recon_network, scope, 1, MONTH), Tolerance(10_000.0, 0.001))
    row = compared.set_index(["outlet_id", "metric_code"])
    assert row.loc[(6, "deposits_corporate"), "difference"] == pytest.approx(50_000.0)
    assert row.loc[(6, "deposits_corporate"), "relative_difference"] == pytest.approx(50_000.0 / 6_012.0)
    assert row.loc[(6, "deposits_corporate"), "allowed"] == pytest.approx(10_006.012)
    assert row.loc[(6, "deposits_corporate"), "status"] == "differs"
    assert row.loc[(6, "deposits_personal"), "status"] == "match"  # 5,000 ≤ 10,006.002
    assert row.loc[(8, "deposits_personal"), "difference"] == 0.0
    assert row.loc[(8, "loans_personal"), "status"] == "accounts_only"
    assert row.loc[(7, "deposits_personal"), "status"] == "import_only"
    statuses = outlet_status(compared).set_index("outlet_id")
    assert statuses["status"].to_dict() == {6: "differs", 7: "import_only", 8: "match"}
    assert statuses.loc[6, "differing"] == 1 and statuses.loc[6, "metrics"] == 4
    counts = summary(compared)
    assert (counts["outlets"], counts["match"], counts["differs"], counts["one_sided_all"]) == (3, 1, 1, 1)
    assert counts["flagged_rows"] == 1
    largest = largest_differences(compared)
    assert list(zip(largest["outlet_id"], largest["metric_code"])) == [(6, "deposits_corporate")]


def test_a_branch_head_reconciles_only_their_outlets(recon_network):
    head = scope_of(recon_network, "headA1", "branch_head", 4)
    sides = qr.reconciliation_sides(recon_network, head, 4, MONTH)
    assert set(sides["outlet_id"]) == {6, 7}
    assert set(qr.extract_coverage(recon_network, head, 4, MONTH)["outlet_id"]) == {6, 7}
    for query, arguments in (
        (qr.reconciliation_sides, (MONTH,)),
        (qr.extract_coverage, (MONTH,)),
        (qr.extract_batches, (MONTH,)),
        (qr.reconciliation_months, ()),
        (qr.kpi_source_counts, (("loans_personal",), MONTH, MONTH)),
    ):
        with pytest.raises(ScopeError):
            query(recon_network, head, 5, *arguments)
        with pytest.raises(ScopeError):
            query(recon_network, head, 8, *arguments)
    six = scope_of(recon_network, "head6", "branch_head", 6)
    assert set(qr.reconciliation_sides(recon_network, six, 6, MONTH)["outlet_id"]) == {6}


def test_months_with_kpis_or_extracts_newest_first(recon_network):
    scope = scope_of(recon_network, "exec", "executive")
    assert qr.reconciliation_months(recon_network, scope, 1) == [MONTH, BEFORE, MONTHS[0]]
    head = scope_of(recon_network, "head6", "branch_head", 6)
    assert qr.reconciliation_months(recon_network, head, 6) == [MONTH, BEFORE, MONTHS[0]]


def test_extract_coverage_counts_accounts_sums_and_marks(recon_network):
    scope = scope_of(recon_network, "exec", "executive")
    coverage = qr.extract_coverage(recon_network, scope, 1, MONTH)
    # Open outlets 6, 7, 8 and the closed outlet 9 (it has an extract this month) × 4 extracts.
    assert len(coverage) == 16 and set(coverage["outlet_id"]) == {6, 7, 8, 9}
    assert list(coverage["extract"][:4]) == ["personal_deposit", "corporate_deposit", "personal_loan", "corporate_loan"]
    row = coverage.set_index(["outlet_id", "extract"])
    six = row.loc[(6, "personal_deposit")]
    assert (six["accounts"], six["balance_rmb"], six["daily_average_rmb"]) == (2, 3_000.0, 900.0)
    assert (six["daily_average_accounts"], six["batches"], six["last_batch_id"]) == (1, 2, 2)
    assert six["complete"] and six["marked_by"] == "steward" and six["marked_at"] == MARKED_AT
    seven = row.loc[(7, "corporate_deposit")]  # marked, nothing loaded this month
    assert seven["complete"] and seven["accounts"] == 0 and seven["balance_rmb"] == 0.0
    assert row.loc[(7, "personal_deposit"), "accounts"] == 0  # its accounts are of the month before
    eight = row.loc[(8, "corporate_loan")]
    assert (eight["accounts"], eight["balance_rmb"], eight["daily_average_rmb"]) == (1, 5_000_000.0, 4_800_000.0)
    assert not eight["complete"] and pd.isna(eight["marked_by"])
    assert pd.isna(row.loc[(8, "personal_deposit"), "daily_average_rmb"])
    assert row.loc[(9, "personal_loan"), "accounts"] == 1
    assert int(coverage["accounts"].sum()) == 4 and int(coverage["complete"].sum()) == 2


def test_batches_of_the_month_with_their_unmarked_extracts(recon_network):
    scope = scope_of(recon_network, "exec", "executive")
    batches = qr.extract_batches(recon_network, scope, 1, MONTH)
    assert list(batches["batch_id"]) == [2, 1]  # newest first
    one = batches.set_index("batch_id").loc[1]
    # Batch 1 this month: personal deposits of 6 (marked), corporate loans of 8 and personal loans of 9.
    assert (one["outlets"], one["accounts"], one["unmarked"]) == (3, 3, 2)
    assert one["kind"] == "personal_deposits" and one["file_name"] == "f1.csv" and one["uploaded_by"] == "steward"
    two = batches.set_index("batch_id").loc[2]
    assert (two["outlets"], two["accounts"], two["unmarked"]) == (1, 1, 0)
    head = scope_of(recon_network, "headA1", "branch_head", 4)
    own = qr.extract_batches(recon_network, head, 4, MONTH).set_index("batch_id")
    assert own[["outlets", "accounts", "unmarked"]].to_dict("index") == {
        2: {"outlets": 1, "accounts": 1, "unmarked": 0},
        1: {"outlets": 1, "accounts": 1, "unmarked": 0},
    }
    assert qr.extract_batches(recon_network, scope, 1, MONTHS[0]).empty


@pytest.mark.parametrize(
    "group, expected",
    [
        ("total", {(1, "deposits_personal", "import"): 3, (1, "loans_personal", "accounts"): 1}),
        (
            "child",
            {
                (2, "deposits_personal", "import"): 2,
                (3, "deposits_personal", "import"): 1,
                (3, "loans_personal", "accounts"): 1,
            },
        ),
        (
            "outlet",
            {
                (6, "deposits_personal", "import"): 1,
                (7, "deposits_personal", "import"): 1,
                (8, "deposits_personal", "import"): 1,
                (8, "loans_personal", "accounts"): 1,
            },
        ),
    ],
)
def test_source_counts_of_the_kpi_figures(recon_network, group, expected):
    scope = scope_of(recon_network, "exec", "executive")
    counts = qr.kpi_source_counts(recon_network, scope, 1, ("deposits_personal", "loans_personal"), MONTH, MONTH, group)
    assert {(r.group_id, r.metric_code, r.source): r.figures for r in counts.itertuples()} == expected
    assert set(counts["month"]) == {MONTH}


def test_source_counts_over_a_period_and_a_bad_grouping(recon_network):
    scope = scope_of(recon_network, "exec", "executive")
    counts = qr.kpi_source_counts(recon_network, scope, 1, ("deposits_personal",), MONTHS[0], MONTH)
    assert counts.groupby("month")["figures"].sum().to_dict() == {MONTHS[0]: 4, BEFORE: 3, MONTH: 3}
    with pytest.raises(ValueError):
        qr.kpi_source_counts(recon_network, scope, 1, ("deposits_personal",), MONTH, MONTH, "district")


# --------------------------------------------------------------------------- pure arithmetic


def sides_frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["outlet_id", "code", "metric_code", "month", "import_value", "account_value"])


def test_tolerance_is_absolute_plus_relative_and_strict():
    sides = sides_frame(
        [
            (1, "A", "m1", MONTH, 1_000_000.0, 1_011_000.0),  # allowed 10,000 + 1,000 = 11,000: not above
            (1, "A", "m2", MONTH, 1_000_000.0, 988_999.0),  # -11,001: above
            (2, "B", "m1", MONTH, 0.0, 500.0),  # import 0: no relative difference, within 10,000
            (2, "B", "m2", MONTH, float("nan"), float("nan")),
        ]
    )
    compared = compare(sides, Tolerance(10_000.0, 0.001))
    assert list(compared["flagged"]) == [False, True, False, False]
    assert list(compared["status"]) == ["match", "differs", "match", "accounts_only"]
    assert compared["relative_difference"].iloc[0] == pytest.approx(0.011)
    assert pd.isna(compared["relative_difference"].iloc[2])
    strict = compare(sides, Tolerance(0.0, 0.0))
    assert list(strict["flagged"]) == [True, True, True, False]


def test_an_outlet_with_one_side_per_metric_is_one_sided():
    sides = sides_frame(
        [(1, "A", "m1", MONTH, 5.0, float("nan")), (1, "A", "m2", MONTH, float("nan"), 5.0)]
        + [(2, "B", "m1", MONTH, float("nan"), 5.0)]
    )
    statuses = outlet_status(compare(sides, Tolerance()))
    assert statuses.set_index("outlet_id")["status"].to_dict() == {1: "one_sided", 2: "accounts_only"}
    counts = summary(compare(sides, Tolerance()))
    assert (counts["one_sided"], counts["accounts_only"], counts["one_sided_all"]) == (1, 1, 2)
    assert summary(compare(sides.iloc[0:0], Tolerance()))["outlets"] == 0


@pytest.mark.parametrize("bad", [{"absolute_rmb": -1.0}, {"relative": float("nan")}, {"relative": float("inf")}])
def test_a_tolerance_cannot_be_negative_or_undefined(bad):
    with pytest.raises(ValueError):
        Tolerance(**bad)


def test_tolerance_from_the_defaults_file_and_the_environment(tmp_path, monkeypatch):
    defaults = tmp_path / "defaults.toml"
    defaults.write_text("reconciliation_tolerance_rmb = 5000\nreconciliation_tolerance_ratio = 0.002\n")
    assert load_tolerance(defaults) == Tolerance(5_000.0, 0.002)
    monkeypatch.setenv("BRANCHSCOPE_RECONCILIATION_TOLERANCE_RMB", "0")
    assert load_tolerance(defaults) == Tolerance(0.0, 0.002)
    assert load_tolerance(tmp_path / "missing.toml") == Tolerance(0.0, 0.001)
    monkeypatch.delenv("BRANCHSCOPE_RECONCILIATION_TOLERANCE_RMB")
    assert load_tolerance() == Tolerance(10_000.0, 0.001)  # as shipped in config/defaults.toml


def test_figure_sources_follow_the_components_and_stock_months():
    counts = pd.DataFrame(
        [
            (1, "deposits_personal", BEFORE, "accounts", 2),  # a stock: only the end month counts
            (1, "deposits_personal", MONTH, "import", 3),
            (1, "deposits_corporate", MONTH, "import", 3),
            (1, "loans_personal", MONTH, "accounts", 1),
            (1, "loans_corporate", MONTH, "import", 2),
            (1, "txn_counter", BEFORE, "accounts", 1),  # a flow: every month counts
            (1, "txn_counter", MONTH, "import", 4),
        ],
        columns=["group_id", "metric_code", "month", "source", "figures"],
    )
    codes = ["deposits_total", "loans_total", "loans_personal", "txn_counter", "e_channel_rate"]
    sources = figure_sources(counts, codes, MONTH).set_index("metric_code")
    assert sources["source"].to_dict() == {
        "deposits_total": "import",
        "loans_total": "mixed",
        "loans_personal": "accounts",
        "txn_counter": "mixed",
        "e_channel_rate": "mixed",
    }
    assert (sources.loc["loans_total", "import_figures"], sources.loc["loans_total", "account_figures"]) == (2, 1)
    assert sources.loc["e_channel_rate", "import_figures"] == 4  # txn_counter is its only component here
    assert has_account_figures(counts) and not has_account_figures(counts[counts["source"] == "import"])
    assert base_codes_of(["deposits_total", "npl_ratio"]) == (
        "deposits_corporate",
        "deposits_personal",
        "loans_corporate",
        "loans_npl",
        "loans_personal",
    )
    assert figure_sources(counts.iloc[0:0], codes, MONTH).empty


# --------------------------------------------------------------------------- tables and the workbook


def test_the_workbook_holds_the_detail_the_outlets_and_the_coverage(recon_network):
    scope = scope_of(recon_network, "exec", "executive")
    compared = compare(qr.reconciliation_sides(recon_network, scope, 1, MONTH), Tolerance(10_000.0, 0.001))
    coverage = qr.extract_coverage(recon_network, scope, 1, MONTH)
    labels = {6: "Outlet six", 7: "Outlet seven", 8: "Outlet eight", 9: "Outlet nine"}
    sheets = export_sheets(compared, outlet_status(compared), coverage, labels, "en")
    workbook = load_workbook(io.BytesIO(frames_to_xlsx(sheets)))
    assert workbook.sheetnames == ["Reconciliation", "Outlets", "Extract completeness"]
    detail = list(workbook["Reconciliation"].values)
    header = detail[0]
    assert header[:6] == ("Month", "Outlet code", "Outlet", "Metric code", "Metric", "KPI import (RMB)")
    by_key = {(r[1], r[3]): dict(zip(header, r)) for r in detail[1:]}
    flagged = by_key[("U6", "deposits_corporate")]
    assert flagged["KPI import (RMB)"] == 6_012.0 and flagged["Account extracts (RMB)"] == 56_012.0
    assert flagged["Difference (RMB)"] == 50_000.0 and flagged["Above tolerance"] == "yes"
    assert flagged["Status"] == "Differs" and flagged["Outlet"] == "Outlet six" and flagged["Accounts"] == 2
    assert by_key[("U7", "deposits_personal")]["Account extracts (RMB)"] is None
    assert by_key[("U8", "loans_personal")]["Status"] == "Account extracts only"
    assert len(detail) == 1 + 9
    outlets = list(workbook["Outlets"].values)
    assert [r[0] for r in outlets[1:]] == ["U6", "U7", "U8"]
    assert [r[-1] for r in outlets[1:]] == ["Differs", "KPI import only", "Reconciled"]
    completeness = list(workbook["Extract completeness"].values)
    columns = completeness[0]
    rows = [dict(zip(columns, r)) for r in completeness[1:]]
    six = next(r for r in rows if r["Outlet code"] == "U6" and r["Extract"] == "Personal deposits")
    assert six["Month-end balance (RMB)"] == 3_000.0 and six["Marked complete"] == "yes"
    assert six["Marked by"] == "steward" and six["Marked at"] == "2026-11-05 10:30" and six["Latest batch"] == 2
    assert len(rows) == 16
    chinese = export_sheets(compared, outlet_status(compared), coverage, labels, "zh")
    assert list(chinese) == ["对账明细", "网点汇总", "明细完整性"]


def test_the_grid_highlights_flagged_and_one_sided_cells(recon_network):
    scope = scope_of(recon_network, "exec", "executive")
    compared = compare(qr.reconciliation_sides(recon_network, scope, 1, MONTH), Tolerance(10_000.0, 0.001))
    statuses = outlet_status(compared)
    table, colours = difference_table(compared, statuses, {6: "Six", 7: "Seven", 8: "Eight"}, "zh")
    assert list(table["网点"]) == ["Six", "Seven", "Eight"]
    assert table.loc[0, "对公存款余额"] == "+5.00 万元"
    assert table.loc[0, "对私存款余额"] == "一致" and table.loc[1, "对私存款余额"] == "仅指标导入"
    assert table.loc[2, "对私贷款余额"] == "仅账户明细" and table.loc[1, "对私贷款余额"] == "—"
    cells = colours.to_numpy().ravel().tolist()
    assert cells.count(FLAGGED_CELL) == 1 and colours.loc[0, "对公存款余额"] == FLAGGED_CELL
    assert cells.count(ONE_SIDED_CELL) == 6  # outlet 6: loans_corporate, the test metric; 7 ×2; 8 ×2
    assert colours.loc[1, "对私存款余额"] == ONE_SIDED_CELL and colours.loc[0, "对私存款余额"] == ""
    only_flagged = difference_table(compared, statuses[statuses["status"] == "differs"], {}, "zh")[0]
    assert list(only_flagged["网点代码"]) == ["U6"]
    assert "#f8d0cc" in difference_grid(compared, statuses, {}, "en").to_html()


# --------------------------------------------------------------------------- the pages


def demo_outlets(url: str) -> tuple[int, int]:
    """The demo's outlet of ``head_outlet`` and an outlet outside ``head_sub``'s sub-branch."""
    with make_engine(url).connect() as connection:
        own = connection.execute(select(AppUser.scope_unit_id).where(AppUser.username == "head_outlet")).scalar()
        sub = connection.execute(select(AppUser.scope_unit_id).where(AppUser.username == "head_sub")).scalar()
        sub_path = connection.execute(select(OrgUnit.path).where(OrgUnit.id == sub)).scalar()
        other = connection.execute(
            select(OrgUnit.id)
            .where(OrgUnit.level == "outlet", OrgUnit.status == "open", ~OrgUnit.path.startswith(sub_path))
            .order_by(OrgUnit.code)
        ).scalar()
    return own, other


def add_demo_account_kpis(url: str) -> dict:
    """In the newest month: the head_outlet's outlet gets account figures (personal deposits 5 % +
    1,000,000 元 above the import: flagged; corporate deposits equal); another outlet's personal
    deposits come from the accounts (kpi_monthly.source "accounts"). The demo's own account
    extracts of that month are taken out first, so that the month holds the one account loaded
    here (the demo's extracts are not marked complete and give no account KPIs)."""
    own, other = demo_outlets(url)
    engine = make_engine(url)
    with engine.begin() as connection:
        month = connection.execute(select(KpiMonthly.month).order_by(KpiMonthly.month.desc())).scalars().first()
        month = month if isinstance(month, dt.date) else dt.date.fromisoformat(str(month)[:10])
        values = dict(
            connection.execute(
                select(KpiMonthly.metric_code, KpiMonthly.value).where(
                    KpiMonthly.outlet_id == own,
                    KpiMonthly.month == month,
                    KpiMonthly.metric_code.in_(("deposits_personal", "deposits_corporate")),
                )
            ).all()
        )
        difference = round(values["deposits_personal"] * 0.05) + 1_000_000.0
        connection.execute(delete(AccountBalance).where(AccountBalance.month == month))
        connection.execute(
            insert(AccountKpiMonthly),
            [
                {"outlet_id": own, "metric_code": "deposits_personal", "month": month,
                 "value": values["deposits_personal"] + difference, "accounts": 10},
                {"outlet_id": own, "metric_code": "deposits_corporate", "month": month,
                 "value": values["deposits_corporate"], "accounts": 5},
            ],
        )  # fmt: skip
        connection.execute(
            update(KpiMonthly)
            .where(KpiMonthly.outlet_id == other, KpiMonthly.month == month)
            .where(KpiMonthly.metric_code == "deposits_personal")
            .values(source="accounts")
        )
        customer = connection.execute(select(Customer.id).where(Customer.home_outlet_id == own)).scalars().first()
        product = connection.execute(select(Product.id).order_by(Product.id)).scalars().first()
        batch = connection.execute(select(func.max(ImportBatch.id))).scalar() + 1
        connection.execute(
            insert(ImportBatch),
            [{"id": batch, "kind": "personal_deposits", "file_name": "personal_deposits.csv",
              "file_sha256": "e" * 64, "uploaded_by": "steward", "uploaded_at": dt.datetime(2026, 11, 3, 9, 0),
              "status": "confirmed", "row_count": 1}],
        )  # fmt: skip
        connection.execute(
            insert(AccountBalance),
            [{"extract": "personal_deposit", "month": month, "outlet_id": own, "customer_id": customer,
              "product_id": product, "account_no": "RECON-1", "balance_rmb": 123_456.0, "daily_average_rmb": None,
              "import_batch_id": batch}],
        )  # fmt: skip
    engine.dispose()
    return {"own": own, "other": other, "month": month, "difference": difference, "batch": batch}


@pytest.fixture(scope="module")
def recon_demo(demo_database_url, tmp_path_factory):
    """A copy of the demo database with account figures in its newest month."""
    url = copy_sqlite_database(demo_database_url, tmp_path_factory.mktemp("recon_demo") / "demo.sqlite")
    return url, add_demo_account_kpis(url)


@pytest.fixture
def recon_app(recon_demo, monkeypatch, navigation_only_pages):
    monkeypatch.setenv("DATABASE_URL", recon_demo[0])
    return new_app(180)


def layout_data(at) -> list[dict]:
    return json.loads(at.get("plotly_chart")[0].proto.spec)["data"]


def chart_titles(at) -> list[str]:
    return [json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in at.get("plotly_chart")]


def test_the_page_is_for_stewards_executives_heads_and_admins_not_planners():
    for role in ("executive", "branch_head", "data_steward", "admin"):
        assert "reconciliation" in ROLE_POLICIES[role].pages
    assert "reconciliation" not in ROLE_POLICIES["planner"].pages


@pytest.mark.parametrize("username", ["exec", "head_sub", "head_outlet", "steward", "admin"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reconciliation_page_for_each_role(recon_app, recon_demo, username, lang):
    at = open_page(recon_app, username, PAGE, lang)
    assert at.title[0].value == TEXTS["recon_title"][lang]
    text = visible_text(at)
    assert TEXTS["recon_card_differs"][lang] in text
    cards = {m.label: m.value for m in at.metric}
    assert cards[TEXTS["recon_card_differs"][lang]] == "1"  # every role here sees the head_outlet's outlet
    grid = at.dataframe[0].value
    assert TEXTS["recon_col_status"][lang] in grid.columns
    assert (grid[TEXTS["recon_col_status"][lang]] == TEXTS["recon_status_differs"][lang]).sum() == 1
    difference = recon_demo[1]["difference"]
    assert f"+{format_money(difference, lang)}" in grid.to_numpy().ravel().tolist()
    assert chart_titles(at) == [TEXTS["recon_chart_title"][lang].format(month=f"{recon_demo[1]['month']:%Y-%m}")]
    layout = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    divisor, unit = money_scale([difference], lang)
    assert layout["xaxis"]["title"]["text"] == (f"差异（{unit}）" if lang == "zh" else f"Difference ({unit})")
    bars = [bar for bar in layout_data(at) if bar["x"]]
    assert len(bars) == 1 and bars[0]["x"][0] == pytest.approx(difference / divisor)
    assert len(at.get("download_button")) == 1
    coverage = at.dataframe[1].value
    assert TEXTS["recon_col_complete"][lang] in coverage.columns
    own_label_rows = coverage[coverage[TEXTS["recon_col_account_count"][lang]] > 0]
    assert len(own_label_rows) == 1  # the one account loaded, for the head_outlet's outlet
    if username == "head_outlet":
        assert set(grid[TEXTS["recon_col_outlet_code"][lang]]) == {grid[TEXTS["recon_col_outlet_code"][lang]].iloc[0]}
    marks = username in ("steward", "admin")
    assert (TEXTS["recon_mark_steward_only"][lang] in text) == (not marks)
    assert (TEXTS["recon_mark_title"][lang] in text) == marks


def test_a_branch_head_sees_only_their_outlets_on_the_page(recon_app, recon_demo):
    at = open_page(recon_app, "head_outlet", PAGE)
    grid = at.dataframe[0].value
    assert len(grid) == 1  # the other outlet's account figure is not theirs
    with make_engine(recon_demo[0]).connect() as connection:
        own_code = connection.execute(select(OrgUnit.code).where(OrgUnit.id == recon_demo[1]["own"])).scalar()
    assert list(grid["Outlet code"]) == [own_code]


def test_a_planner_does_not_get_the_page(recon_app):
    """At the page's address a planner's navigation has only the "not for your role" stand-in."""
    at = log_in(recon_app, "planner")
    registered = {info.get("url_pathname"): (key, info) for key, info in at._registered_pages.items()}
    page_hash, info = registered["reconciliation"]
    assert not info.get("script_path")  # a stand-in, not pages/reconciliation.py
    at._page_hash = page_hash  # as a bookmarked address would (AppTest switches by file only)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert TEXTS["recon_title"]["en"] not in visible_text(at)
    assert TEXTS["page_not_for_role"]["en"] in visible_text(at)
    with pytest.raises(ValueError):
        at.switch_page(PAGE)  # the page file is not among the planner's pages


def test_the_explorer_names_the_source_when_account_figures_exist(recon_app):
    at = open_page(recon_app, "exec", KPI_PAGE, "zh")
    summary_table = at.dataframe[0].value
    column = TEXTS["kpisrc_col_source"]["zh"]
    assert column in summary_table.columns
    assert list(summary_table[column])[0] == TEXTS["kpisrc_mixed"]["zh"]  # deposits_total: both sources
    text = visible_text(at)
    assert TEXTS["kpisrc_legend"]["zh"] in text
    assert TEXTS["kpisrc_mixed_notice"]["zh"].split("：")[1][:8] in text
    drill = at.dataframe[1].value
    assert column in drill.columns and TEXTS["kpisrc_mixed"]["zh"] in set(drill[column])


def test_the_explorer_on_import_only_data_is_unchanged(app):
    at = open_page(app, "exec", KPI_PAGE, "zh")
    assert TEXTS["kpisrc_col_source"]["zh"] not in at.dataframe[0].value.columns
    assert TEXTS["kpisrc_legend"]["zh"] not in visible_text(at)


def test_a_steward_marks_a_batch_complete_and_takes_a_mark_back(
    recon_demo, tmp_path, monkeypatch, navigation_only_pages
):
    """Marking the batch derives the outlet's personal deposits from its one account (123,456 元),
    which then differs from the import; unmarking takes the derived value away again."""
    url, facts = copy_sqlite_database(recon_demo[0], tmp_path / "demo.sqlite"), recon_demo[1]
    monkeypatch.setenv("DATABASE_URL", url)
    at = open_page(new_app(180), "steward", PAGE)
    picker = next(box for box in at.selectbox if box.label == TEXTS["recon_mark_pick"]["en"])
    assert picker.value == facts["batch"]
    next(b for b in at.button if b.label == TEXTS["recon_mark_button"]["en"]).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert TEXTS["recon_marked"]["en"].format(count=1) in visible_text(at)
    engine = make_engine(url)
    with engine.connect() as connection:
        marks = connection.execute(
            select(ExtractCompletion.extract, ExtractCompletion.outlet_id, ExtractCompletion.marked_by)
        ).all()
        derived = connection.execute(
            select(AccountKpiMonthly.value).where(
                AccountKpiMonthly.outlet_id == facts["own"], AccountKpiMonthly.metric_code == "deposits_personal"
            )
        ).scalar()
    assert marks == [("personal_deposit", facts["own"], "steward")]
    assert derived == pytest.approx(123_456.0)
    coverage = at.dataframe[1].value
    complete = coverage[coverage[TEXTS["recon_col_complete"]["en"]] == "yes"]
    assert list(complete[TEXTS["recon_col_marked_by"]["en"]]) == ["steward"]
    unmark = next(m for m in at.multiselect if m.label == TEXTS["recon_unmark_pick"]["en"])
    unmark.set_value([("personal_deposit", facts["own"])])
    next(b for b in at.button if b.label == TEXTS["recon_unmark_button"]["en"]).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert TEXTS["recon_unmarked"]["en"].format(count=1) in visible_text(at)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(ExtractCompletion)).scalar() == 0
    engine.dispose()


# --------------------------------------------------------------------------- through the import path

DEPOSIT_HEADER = "month,outlet_code,customer_no,product_code,account_no,balance_rmb,daily_average_rmb"


def test_extracts_loaded_and_marked_complete_reconcile_against_the_import(network):
    """Personal deposits of October 2026 loaded through the importer and marked complete by the
    steward (data.accounts): outlet 6's accounts sum to its imported 6,002 元, outlet 7's to 20,000
    元 more than its 7,002; outlet 6 gives every account a 日均, so its daily average comes from the
    accounts only."""
    from data.accounts import mark_complete
    from data.bulk import bulk_insert
    from data.demo.network import build_products
    from data.importer import BatchError, confirm, stage

    with network.begin() as connection:
        bulk_insert(connection, Product.__table__, build_products())
    lines = [
        "2026-10,U6,C001,DD-P,A1,2000,1900",
        "2026-10,U6,C002,DD-P,A2,4002,4100",
        "2026-10,U7,C003,DD-P,A3,20000,",
        "2026-10,U7,C004,DD-P,A4,7002,",
    ]
    staged = stage(network, "personal_deposits", "\n".join([DEPOSIT_HEADER, *lines]).encode(), "p.csv", "steward")
    assert staged.ok, staged.errors
    confirm(network, staged.batch_id, "steward")
    exec_scope = scope_of(network, "exec", "executive")
    before = qr.reconciliation_sides(network, exec_scope, 1, MONTH)
    assert before["account_value"].isna().all()  # loaded, not yet marked complete
    batches = qr.extract_batches(network, exec_scope, 1, MONTH)
    assert batches[["batch_id", "outlets", "accounts", "unmarked"]].values.tolist() == [[staged.batch_id, 2, 4, 2]]
    with pytest.raises(BatchError):
        mark_complete(network, staged.batch_id, "exec")  # only stewards and admins mark
    assert mark_complete(network, staged.batch_id, "steward") == 2

    compared = compare(qr.reconciliation_sides(network, exec_scope, 1, MONTH), load_tolerance())
    rows = compared.set_index(["outlet_id", "metric_code"])
    assert rows.loc[(6, "deposits_personal"), ["import_value", "account_value", "accounts"]].tolist() == [
        6_002.0,
        6_002.0,
        2,
    ]
    assert rows.loc[(6, "deposits_personal"), "status"] == "match"
    assert rows.loc[(7, "deposits_personal"), "difference"] == pytest.approx(20_000.0)
    assert rows.loc[(7, "deposits_personal"), "status"] == "differs"
    assert rows.loc[(6, "deposits_personal_daily_avg"), "account_value"] == pytest.approx(6_000.0)
    assert rows.loc[(6, "deposits_personal_daily_avg"), "status"] == "accounts_only"
    assert (7, "deposits_personal_daily_avg") not in rows.index  # outlet 7 has accounts without 日均
    assert outlet_status(compared).set_index("outlet_id")["status"].to_dict() == {
        6: "match",
        7: "differs",
        8: "import_only",
    }
    coverage = qr.extract_coverage(network, exec_scope, 1, MONTH).set_index(["outlet_id", "extract"])
    assert coverage.loc[(7, "personal_deposit"), ["accounts", "balance_rmb", "complete", "marked_by"]].tolist() == [
        2,
        27_002.0,
        True,
        "steward",
    ]
    assert qr.extract_batches(network, exec_scope, 1, MONTH)["unmarked"].tolist() == [0]
    counts = qr.kpi_source_counts(
        network, exec_scope, 1, ("deposits_personal", "deposits_personal_daily_avg"), MONTH, MONTH
    )
    assert {(r.metric_code, r.source): r.figures for r in counts.itertuples()} == {
        ("deposits_personal", "import"): 3,  # the import wins where it exists
        ("deposits_personal_daily_avg", "accounts"): 1,
    }
