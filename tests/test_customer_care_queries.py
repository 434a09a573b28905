"""Customer-care queries and contact logging on SQLite and PostgreSQL, against hand-made data
with known answers: customer 360 facts, search and masking, holdings, channels, complaint log,
care reminders, action-list and next-best-product inputs, and scoped, audited contact logging."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import func, select, update

from data import (
    queries,
    queries_action_lists,
    queries_complaints,
    queries_customer_360,
    queries_customer_care,
    queries_next_product,
)
from data.bulk import bulk_insert, reset_sequence
from data.contacts import ContactError, log_contact
from data.schema import (
    AuditLog,
    BalanceMonthly,
    Complaint,
    Customer,
    CustomerContact,
    Holding,
    Product,
    Staff,
    Txn,
)
from data.scope import ScopeError, scope_for

CARE_MODULES = (
    queries_customer_care,
    queries_customer_360,
    queries_complaints,
    queries_action_lists,
    queries_next_product,
)
CARE_QUERIES = [f for f in queries.SCOPED_QUERIES if f.__module__ in {module.__name__ for module in CARE_MODULES}]


def load_care_data(engine) -> None:
    """Products, a manager, holdings, a second balance month, transactions and complaints on top
    of the fixture network (customers 1, 2 at outlet 6; 3, 4 at outlet 7; 5, 6 at outlet 8)."""
    products = pd.DataFrame(
        [
            (1, "DD-P", "活期", "Demand", "demand_deposit", "personal", 0.018),
            (2, "TD-P", "定期", "Time", "time_deposit", "personal", 0.006),
            (3, "WM", "理财", "Wealth", "wealth", "personal", 0.005),
        ],
        columns=["id", "code", "name_zh", "name_en", "family", "segment", "annual_margin_rate"],
    )
    holdings = pd.DataFrame(
        [
            (1, 1, 1, 500.0, dt.date(2020, 1, 1), None),
            (2, 1, 2, 2000.0, dt.date(2025, 12, 1), dt.date(2026, 12, 1)),
            (3, 2, 1, 100.0, dt.date(2020, 1, 1), None),
            (4, 3, 2, 5000.0, dt.date(2025, 11, 30), dt.date(2026, 11, 30)),
            (5, 5, 3, 300.0, dt.date(2024, 1, 1), None),
        ],
        columns=["id", "customer_id", "product_id", "balance_rmb", "opened_on", "matures_on"],
    )
    txns = pd.DataFrame(
        [
            (1, 1, 6, 1, "atm", dt.datetime(2025, 1, 1, 10), 10.0),  # before the 12-month window
            (2, 1, 6, 1, "counter", dt.datetime(2026, 9, 1, 10), 100.0),
            (3, 1, 6, 1, "mobile", dt.datetime(2026, 9, 1, 15), 50.0),
            (4, 1, 6, 1, "mobile", dt.datetime(2026, 10, 5, 9), 70.0),
            (5, 3, 7, 1, "online", dt.datetime(2026, 10, 10, 20), 20.0),
        ],
        columns=["id", "customer_id", "outlet_id", "product_id", "channel", "txn_at", "amount_rmb"],
    )
    complaints = pd.DataFrame(
        [
            (
                1,
                6,
                1,
                dt.datetime(2026, 10, 2, 9),
                "wait_time",
                "hotline",
                "low",
                "closed",
                dt.datetime(2026, 10, 4, 9),
            ),
            (2, 6, None, dt.datetime(2026, 6, 1, 9), "fees", "onsite", "high", "open", None),
            (3, 8, 5, dt.datetime(2026, 10, 3, 9), "system", "online", "medium", "closed", dt.datetime(2026, 10, 5, 9)),
            (4, 8, None, dt.datetime(2026, 8, 3, 9), "other", "online", "low", "closed", dt.datetime(2026, 8, 4, 9)),
        ],
        columns=[
            "id",
            "outlet_id",
            "customer_id",
            "received_at",
            "category",
            "channel",
            "severity",
            "status",
            "closed_at",
        ],
    )
    complaints["customer_id"] = complaints["customer_id"].astype("Int64")
    with engine.begin() as connection:
        bulk_insert(connection, Product.__table__, products)
        bulk_insert(
            connection,
            Staff.__table__,
            pd.DataFrame(
                [{"id": 1, "employee_no": "E1", "outlet_id": 6, "name": "经理甲", "role": "relationship_manager"}]
            ),
        )
        bulk_insert(connection, Holding.__table__, holdings)
        bulk_insert(
            connection,
            BalanceMonthly.__table__,
            pd.DataFrame(
                [
                    {
                        "customer_id": 1,
                        "month": dt.date(2026, 7, 1),
                        "deposit_rmb": 2000.0,
                        "loan_rmb": 0.0,
                        "aum_rmb": 2000.0,
                    },
                    {
                        "customer_id": 2,
                        "month": dt.date(2026, 7, 1),
                        "deposit_rmb": 1000.0,
                        "loan_rmb": 0.0,
                        "aum_rmb": 1000.0,
                    },
                ]
            ),
        )
        bulk_insert(connection, Txn.__table__, txns)
        bulk_insert(connection, Complaint.__table__, complaints)
        for table in (Product, Staff, Holding, Txn, Complaint):
            reset_sequence(connection, table.__table__)
        connection.execute(
            update(Customer)
            .where(Customer.id == 1)
            .values(birth_year=1976, phone_masked="138****0001", relationship_manager_id=1)
        )
        connection.execute(update(Customer).where(Customer.id == 2).values(birth_year=1986))
        connection.execute(update(Customer).where(Customer.id != 1).values(is_key_customer=False))


@pytest.fixture(scope="module")
def care_network(shared_network):
    load_care_data(shared_network)
    return shared_network


@pytest.fixture
def writable_network(network):
    load_care_data(network)
    return network


def scope_of(engine, username, role, unit_id=None):
    with engine.connect() as connection:
        return scope_for(connection, username, role, unit_id)


def executive(engine):
    return scope_of(engine, "exec", "executive")


def head6(engine):
    return scope_of(engine, "head6", "branch_head", 6)


# --------------------------------------------------------------------------- customer 360


def test_search_by_number_and_name_respects_scope_and_masking(care_network):
    everyone = queries_customer_360.care_customer_search(care_network, executive(care_network), 1, "c00")
    assert list(everyone["customer_no"]) == ["C001", "C006", "C005", "C004", "C003", "C002"]  # key first, then AUM
    assert all(name.startswith("客") and set(name[1:]) == {"*"} for name in everyone["name"])
    own = queries_customer_360.care_customer_search(care_network, head6(care_network), 6, "")
    assert set(own["customer_no"]) == {"C001", "C002"}
    assert set(own["name"]) == {"客户1号", "客户2号"}
    assert list(
        queries_customer_360.care_customer_search(care_network, head6(care_network), 6, "户2")["customer_no"]
    ) == ["C002"]
    # A role without personal data can match only what it sees of a name: the first character.
    assert queries_customer_360.care_customer_search(care_network, executive(care_network), 1, "客户1号").empty
    assert len(queries_customer_360.care_customer_search(care_network, executive(care_network), 1, "客**")) == 6
    keys = queries_customer_360.care_customer_search(care_network, executive(care_network), 1, "", key_only=True)
    assert list(keys["customer_no"]) == ["C001"] and bool(keys["is_key_customer"].iloc[0])
    assert queries_customer_360.care_customer_search(care_network, executive(care_network), 1, "100%_").empty


def test_profile_shows_personal_data_only_to_roles_that_may_see_it(care_network):
    facts = queries_customer_360.care_customer_profile(care_network, head6(care_network), 6, 1)
    assert facts["name"] == "客户1号" and facts["phone_masked"] == "138****0001"
    assert facts["manager_name"] == "经理甲" and facts["birth_year"] == 1976
    assert facts["aum_rmb"] == 1000.0 and facts["balance_month"] == dt.date(2026, 10, 1)
    assert facts["is_key_customer"] is True and facts["outlet_en"] == "Unit 6"
    masked = queries_customer_360.care_customer_profile(care_network, executive(care_network), 1, 1)
    assert masked["name"] == "客***" and masked["phone_masked"] is None and masked["birth_year"] is None


@pytest.mark.parametrize(
    "query",
    [
        queries_customer_360.care_customer_profile,
        queries_customer_360.care_customer_holdings,
        queries_customer_360.care_customer_balances,
        queries_customer_360.care_customer_channels,
        queries_customer_360.care_customer_transaction_days,
        queries_customer_360.care_customer_complaints,
        queries_customer_360.care_customer_contacts,
    ],
    ids=lambda f: f.__name__,
)
@pytest.mark.parametrize("unit_id, customer_id", [(6, 3), (6, 5), (6, 999)])
def test_branch_head_cannot_open_another_outlets_customer(care_network, query, unit_id, customer_id):
    with pytest.raises(ScopeError):
        query(care_network, head6(care_network), unit_id, customer_id)


def test_a_customer_must_live_under_the_unit_asked_about(care_network):
    with pytest.raises(ScopeError):
        # 5 is homed at outlet 8
        queries_customer_360.care_customer_holdings(care_network, executive(care_network), 4, 5)
    assert len(queries_customer_360.care_customer_holdings(care_network, executive(care_network), 3, 5)) == 1


def test_holdings_balances_channels_and_transaction_days_of_one_customer(care_network):
    head = head6(care_network)
    holdings = queries_customer_360.care_customer_holdings(care_network, head, 6, 1).set_index("code")
    assert holdings.loc["TD-P", "balance_rmb"] == 2000.0 and holdings.loc["TD-P", "matures_on"] == dt.date(2026, 12, 1)
    assert holdings.loc["DD-P", "family"] == "demand_deposit"
    balances = queries_customer_360.care_customer_balances(care_network, head, 6, 1)
    assert list(balances["month"]) == [dt.date(2026, 7, 1), dt.date(2026, 10, 1)]
    assert list(balances["aum_rmb"]) == [2000.0, 1000.0]
    channels = queries_customer_360.care_customer_channels(care_network, head, 6, 1)
    assert [tuple(r) for r in channels.itertuples(index=False)] == [
        ("2025-01", "atm", 1, 10.0),
        ("2026-09", "counter", 1, 100.0),
        ("2026-09", "mobile", 1, 50.0),
        ("2026-10", "mobile", 1, 70.0),
    ]
    days = queries_customer_360.care_customer_transaction_days(care_network, head, 6, 1)
    assert list(days["day"]) == [dt.date(2025, 1, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 5)]
    assert list(days["transactions"]) == [1, 2, 1] and list(days["amount_rmb"]) == [10.0, 150.0, 70.0]
    complaints = queries_customer_360.care_customer_complaints(care_network, head, 6, 1)
    assert list(complaints["id"]) == [1] and complaints["status"].iloc[0] == "closed"


# --------------------------------------------------------------------------- complaints and care


def test_complaint_log_window_keeps_open_complaints_and_masks_names(care_network):
    log = queries_complaints.care_complaint_log(
        care_network, executive(care_network), 1, dt.date(2026, 10, 1), dt.date(2026, 10, 31)
    )
    assert list(log["id"]) == [3, 1, 2]  # newest first; 2 is older but still open; 4 is outside
    assert log.set_index("id").loc[1, "name"] == "客***"
    assert pd.isna(log.set_index("id").loc[2, "customer_no"])
    own = queries_complaints.care_complaint_log(care_network, head6(care_network), 6)
    assert list(own["id"]) == [1, 2] and own.set_index("id").loc[1, "name"] == "客户1号"
    with pytest.raises(ScopeError):
        queries_complaints.care_complaint_log(care_network, head6(care_network), 8)


def test_complaint_log_is_as_it_stood_at_the_end_of_the_window(care_network):
    """An earlier month shows the complaints open at that month's end."""
    exec_scope = executive(care_network)
    then = queries_complaints.care_complaint_log(
        care_network, exec_scope, 1, dt.date(2025, 10, 4), dt.date(2026, 10, 3)
    )
    status = then.set_index("id")["status"].to_dict()
    assert status == {3: "open", 1: "open", 2: "open", 4: "closed"}  # 1 and 3 closed on 4 and 5 Oct
    assert then.set_index("id")["closed_at"].isna().to_dict() == {3: True, 1: True, 2: True, 4: False}
    before = queries_complaints.care_complaint_log(
        care_network, exec_scope, 1, dt.date(2025, 6, 1), dt.date(2026, 5, 31)
    )
    assert before.empty  # complaint 2 was received on 1 June, after that window


def test_care_reminders_by_hand(care_network):
    exec_scope, head = executive(care_network), head6(care_network)
    maturing = queries_complaints.care_reminder_maturities(
        care_network, exec_scope, 1, dt.date(2026, 11, 23), dt.date(2026, 12, 23)
    )
    assert list(maturing["customer_no"]) == ["C003", "C001"]
    own = queries_complaints.care_reminder_maturities(
        care_network, head, 6, dt.date(2026, 11, 23), dt.date(2026, 12, 23)
    )
    assert list(own["customer_no"]) == ["C001"] and own["balance_rmb"].iloc[0] == 2000.0
    birthdays = queries_complaints.care_reminder_birthdays(care_network, head, 6, 2026, (40, 50))
    assert list(zip(birthdays["customer_no"], birthdays["turns"])) == [("C001", 50), ("C002", 40)]
    assert birthdays["phone_masked"].iloc[0] == "138****0001"
    idle = queries_complaints.care_reminder_idle_vips(care_network, exec_scope, 1, dt.date(2026, 11, 23), 30, 4500.0)
    assert list(idle["customer_no"]) == ["C006", "C005", "C001"]  # key C001 idle since 5 October
    assert idle["phone_masked"].isna().all()
    assert queries_complaints.care_reminder_idle_vips(care_network, exec_scope, 1, dt.date(2026, 10, 20), 30, 4500.0)[
        "customer_no"
    ].tolist() == ["C006", "C005"]


def test_action_and_nbp_inputs_by_hand(care_network):
    inputs = queries_action_lists.care_action_inputs(care_network, executive(care_network), 1, 3).set_index(
        "customer_no"
    )
    first = inputs.loc["C001"]
    assert first["aum_now_rmb"] == 1000.0 and first["aum_then_rmb"] == 2000.0
    assert first["products"] == 2 and first["txn_days"] == 3
    assert first["txn_12m"] == 3 and first["e_txn_12m"] == 2 and first["txn_amount_12m_rmb"] == 220.0
    assert first["last_txn_at"] == pd.Timestamp("2026-10-05 09:00")
    assert first["manager_name"] is None and first["name"] == "客***"
    assert inputs.loc["C002", "txn_days"] == 0 and pd.isna(inputs.loc["C003", "aum_then_rmb"])
    own = queries_action_lists.care_action_inputs(care_network, head6(care_network), 6, 3)
    assert set(own["customer_no"]) == {"C001", "C002"} and set(own["manager_name"].dropna()) == {"经理甲"}
    # No birth year leaves the data layer for the rules, whatever the role: ten-year age bands in
    # the newest balance month's year (2026: C001 born 1976 is 50, C002 born 1986 is 40).
    assert "birth_year" not in inputs.columns and "birth_year" not in own.columns
    assert inputs.loc["C001", "age_band"] == 50 and inputs.loc["C002", "age_band"] == 40
    assert inputs.loc[["C003", "C004", "C005", "C006"], "age_band"].isna().all()
    nbp = queries_next_product.care_nbp_inputs(care_network, executive(care_network), 1).set_index("customer_no")
    assert [nbp.loc["C001", f"holds_{c}"] for c in ("DD-P", "TD-P", "WM")] == [1, 1, 0]
    assert nbp.loc["C005", "holds_WM"] == 1 and nbp.loc["C004"].filter(like="holds_").sum() == 0
    assert nbp.loc["C001", "txn_12m"] == 3 and nbp.loc["C001", "e_txn_12m"] == 2
    assert "birth_year" not in nbp.columns and nbp.loc["C002", "age_band"] == 40
    catalogue = queries_next_product.care_product_catalogue(care_network, head6(care_network), 6).set_index("code")
    assert catalogue.loc["DD-P", "holders"] == 2 and catalogue.loc["DD-P", "mean_balance_rmb"] == 300.0
    assert catalogue.loc["TD-P", "holders"] == 1 and catalogue.loc["WM", "holders"] == 0


def test_care_queries_are_registered_for_the_scope_tests():
    assert len(CARE_QUERIES) >= 18
    assert all(f.__name__.startswith("care_") for f in CARE_QUERIES)


# --------------------------------------------------------------------------- contacts


def contact_count(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(CustomerContact)).scalar()


def audit_rows(engine) -> list:
    with engine.connect() as connection:
        return connection.execute(
            select(AuditLog.username, AuditLog.success, AuditLog.detail)
            .where(AuditLog.action == "contact_logged")
            .order_by(AuditLog.id)
        ).all()


def test_branch_head_logs_a_contact_and_the_next_list_shows_it(writable_network):
    head = head6(writable_network)
    first = log_contact(writable_network, head, 1, "churn", "no_answer", contacted_at=dt.datetime(2026, 11, 20, 10))
    second = log_contact(writable_network, head, 1, "churn", "met", "  约了下周面谈 ")
    assert second > first
    last = queries_customer_care.care_last_contacts(writable_network, head, 6)
    assert list(last["customer_id"]) == [1]
    assert last["outcome"].iloc[0] == "met" and last["recorded_by"].iloc[0] == "head6"
    history = queries_customer_360.care_customer_contacts(writable_network, head, 6, 1)
    assert list(history["outcome"]) == ["met", "no_answer"] and history["note"].iloc[0] == "约了下周面谈"
    with writable_network.connect() as connection:
        outlet = connection.execute(select(CustomerContact.outlet_id).where(CustomerContact.id == second)).scalar()
    assert outlet == 6
    assert [(user, ok) for user, ok, _ in audit_rows(writable_network)] == [("head6", True), ("head6", True)]


def test_branch_head_cannot_log_for_another_outlets_customer(writable_network):
    with pytest.raises(ScopeError):
        log_contact(writable_network, head6(writable_network), 3, "churn", "called")
    with pytest.raises(ScopeError):
        log_contact(writable_network, head6(writable_network), 999, "churn", "called")
    assert contact_count(writable_network) == 0
    refused = audit_rows(writable_network)
    assert [(user, ok, detail["refused"]) for user, ok, detail in refused] == [
        ("head6", False, "scope"),
        ("head6", False, "scope"),
    ]
    sub_branch_head = scope_of(writable_network, "headA1", "branch_head", 4)
    log_contact(writable_network, sub_branch_head, 3, "maintenance", "called")
    assert contact_count(writable_network) == 1


def test_roles_without_customer_lists_cannot_log_contacts(writable_network):
    with pytest.raises(ScopeError):
        log_contact(writable_network, executive(writable_network), 1, "churn", "called")
    assert contact_count(writable_network) == 0
    assert audit_rows(writable_network)[-1][2]["refused"] == "role"


@pytest.mark.parametrize(
    "list_kind, outcome, note, when, key",
    [
        ("vip", "called", None, None, "care_err_list_kind"),
        ("churn", "maybe", None, None, "care_err_outcome"),
        ("churn", "called", "x" * 501, None, "care_err_note_too_long"),
        ("churn", "called", None, dt.datetime.now() + dt.timedelta(days=1), "care_err_future"),
    ],
)
def test_bad_contact_input_is_refused_and_writes_nothing(writable_network, list_kind, outcome, note, when, key):
    with pytest.raises(ContactError) as error:
        log_contact(writable_network, head6(writable_network), 1, list_kind, outcome, note, when)
    assert error.value.key == key
    assert contact_count(writable_network) == 0


def test_a_care_contact_marks_the_birthday_done(writable_network):
    head = head6(writable_network)
    log_contact(writable_network, head, 1, "care", "called", contacted_at=dt.datetime(2026, 3, 1, 9))
    birthdays = queries_complaints.care_reminder_birthdays(writable_network, head, 6, 2026, (50,)).set_index(
        "customer_no"
    )
    assert birthdays.loc["C001", "last_care_at"] == pd.Timestamp("2026-03-01 09:00")
    assert pd.isna(
        queries_complaints.care_reminder_birthdays(writable_network, head, 6, 2027, (51,))["last_care_at"]
    ).all()


def test_contact_tables_start_empty_on_the_fixture(care_network):
    assert queries_customer_care.care_last_contacts(care_network, executive(care_network), 1).empty


def test_exports_of_customer_lists_are_audited(writable_network):
    from data.contacts import audit_export

    audit_export(writable_network, head6(writable_network), "action_lists", 42, False)
    with writable_network.connect() as connection:
        row = connection.execute(
            select(AuditLog.username, AuditLog.success, AuditLog.detail).where(AuditLog.action == "customer_export")
        ).one()
    assert row.username == "head6" and row.success
    assert row.detail == {"what": "action_lists", "rows": 42, "masked": False, "scope_unit_id": 6}


def test_saved_rules_apply_to_the_unit_and_its_subtree(writable_network):
    from analytics.action_rules import ActionRules
    from data.contacts import save_action_rules

    assert queries_action_lists.care_saved_action_rules(writable_network, head6(writable_network), 6) == {}
    save_action_rules(writable_network, executive(writable_network), 1, {"churn_months": 6})
    inherited = queries_action_lists.care_saved_action_rules(writable_network, head6(writable_network), 6)
    assert inherited["unit_id"] == 1 and inherited["values"]["churn_months"] == 6
    assert inherited["updated_by"] == "exec"
    own = save_action_rules(writable_network, head6(writable_network), 6, {"high_value_aum_rmb": 300_000.0})
    assert own == ActionRules(high_value_aum_rmb=300_000.0)
    saved = queries_action_lists.care_saved_action_rules(writable_network, head6(writable_network), 6)
    assert saved["unit_id"] == 6 and ActionRules.from_dict(saved["values"]) == own  # the outlet's own rules win
    assert (
        queries_action_lists.care_saved_action_rules(writable_network, executive(writable_network), 7)["unit_id"] == 1
    )
    with writable_network.connect() as connection:
        audited = connection.execute(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "action_rules_saved")
        ).scalar()
    assert audited == 2


def test_rules_are_saved_only_in_scope_by_roles_that_work_lists_and_when_valid(writable_network):
    from data.contacts import save_action_rules

    with pytest.raises(ScopeError):
        save_action_rules(writable_network, head6(writable_network), 7, {"churn_months": 6})
    with pytest.raises(ScopeError):
        save_action_rules(writable_network, scope_of(writable_network, "steward", "data_steward"), 1, {})
    with pytest.raises(ContactError) as error:
        save_action_rules(writable_network, head6(writable_network), 6, {"churn_p_alive_below": 2.0})
    assert error.value.key == "act_err_rules"
    assert queries_action_lists.care_saved_action_rules(writable_network, executive(writable_network), 6) == {}


def test_customer_phones_only_for_roles_with_personal_data(care_network):
    """The action-list export carries phone numbers for the branch head."""
    phones = queries_action_lists.care_customer_phones(care_network, head6(care_network), 6)
    assert [tuple(row) for row in phones.itertuples(index=False)] == [(1, "138****0001")]
    assert queries_action_lists.care_customer_phones(care_network, executive(care_network), 1).empty
    with pytest.raises(ScopeError):
        queries_action_lists.care_customer_phones(care_network, head6(care_network), 8)
