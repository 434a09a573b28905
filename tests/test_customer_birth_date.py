"""Customer birth dates (migration 0009): birthday reminders on the day in SQL on SQLite and
PostgreSQL (window across the year end, 29 February in common and leap years, a care contact
marking it done, masking for roles without personal data), the year-only milestone list for
customers without a date, the merged care list, the customer import (birth year taken from the
date, inconsistent or impossible dates refused) and the demo's birth dates."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select, update

from analytics.action_rules import daily_care_list
from data import queries_complaints, queries_customer_360
from data.contacts import log_contact
from data.importer import confirm, stage
from data.schema import Customer
from data.scope import scope_for

# Fixture network: customers C001, C002 at outlet 6; C003, C004 at 7; C005, C006 at 8.
BIRTHS = {
    1: (1976, dt.date(1976, 12, 30)),
    2: (1986, dt.date(1986, 1, 2)),
    3: (1996, dt.date(1996, 2, 29)),
    4: (1990, dt.date(1990, 12, 29)),
    5: (1966, None),  # birth year only
    6: (1991, dt.date(1991, 6, 15)),
}


def scope_of(engine, username, role, unit_id=None):
    with engine.connect() as connection:
        return scope_for(connection, username, role, unit_id)


@pytest.fixture
def born(network):
    with network.begin() as connection:
        for customer_id, (year, day) in BIRTHS.items():
            connection.execute(
                update(Customer).where(Customer.id == customer_id).values(birth_year=year, birth_date=day)
            )
        connection.execute(update(Customer).where(Customer.id == 1).values(phone_masked="138****0001"))
    return network


def test_birthdays_in_a_window_across_the_year_end_in_date_order(born):
    head_sub = scope_of(born, "planner", "branch_head", 1)  # whole region, with personal data
    # 28 Dec – 3 Jan
    ahead = queries_complaints.care_reminder_birthdays_ahead(born, head_sub, 1, dt.date(2026, 12, 28), 7)
    assert list(ahead["customer_no"]) == ["C004", "C001", "C002"]
    assert list(ahead["birthday"]) == [dt.date(2026, 12, 29), dt.date(2026, 12, 30), dt.date(2027, 1, 2)]
    assert list(ahead["turns"]) == [36, 50, 41]
    assert ahead.set_index("customer_no").loc["C001", "phone_masked"] == "138****0001"
    assert ahead["last_care_at"].isna().all()
    # The window is [start, start + days): 3 January is the 7th day, 4 January is not.
    assert (
        list(
            queries_complaints.care_reminder_birthdays_ahead(born, head_sub, 1, dt.date(2026, 12, 31), 2)["customer_no"]
        )
        == []
    )
    with pytest.raises(ValueError):
        queries_complaints.care_reminder_birthdays_ahead(born, head_sub, 1, dt.date(2026, 12, 28), 40)


def test_29_february_birthdays_fall_on_28_february_in_common_years(born):
    head = scope_of(born, "planner", "branch_head", 1)
    common = queries_complaints.care_reminder_birthdays_ahead(born, head, 1, dt.date(2027, 2, 26), 3)
    assert list(zip(common["customer_no"], common["birthday"], common["turns"])) == [("C003", dt.date(2027, 2, 28), 31)]
    leap = queries_complaints.care_reminder_birthdays_ahead(born, head, 1, dt.date(2028, 2, 27), 3)
    assert list(zip(leap["customer_no"], leap["birthday"])) == [("C003", dt.date(2028, 2, 29))]
    assert queries_complaints.care_reminder_birthdays_ahead(
        born, head, 1, dt.date(2028, 2, 26), 3
    ).empty  # 26–28 Feb 2028


def test_branch_head_sees_own_customers_and_executives_no_day_of_birth(born):
    head6 = scope_of(born, "head6", "branch_head", 6)
    own = queries_complaints.care_reminder_birthdays_ahead(born, head6, 6, dt.date(2026, 12, 28), 7)
    assert list(own["customer_no"]) == ["C001", "C002"]
    assert own["birth_date"].tolist() == [dt.date(1976, 12, 30), dt.date(1986, 1, 2)]
    executive = scope_of(born, "exec", "executive")
    masked = queries_complaints.care_reminder_birthdays_ahead(born, executive, 1, dt.date(2026, 12, 28), 7)
    assert sorted(masked["customer_no"]) == ["C001", "C002", "C004"]
    assert masked["birth_date"].isna().all() and masked["phone_masked"].isna().all()
    assert masked["birth_year"].isna().all() and masked["turns"].isna().all()  # counts only: no age either
    assert set(masked["birthday"]) == {dt.date(2027, 1, 3)}  # the window's last day, not the birthday
    assert all(name.startswith("客") and set(name[1:]) == {"*"} for name in masked["name"])
    profile = queries_customer_360.care_customer_profile(born, executive, 1, 1)
    assert profile["birth_date"] is None and profile["birth_year"] is None
    assert queries_customer_360.care_customer_profile(born, head6, 6, 1)["birth_date"] == dt.date(1976, 12, 30)


def test_a_care_contact_since_the_reminder_showed_marks_the_birthday_done(born):
    head6 = scope_of(born, "head6", "branch_head", 6)
    log_contact(born, head6, 1, "care", "called", contacted_at=dt.datetime(2025, 12, 20, 9))
    log_contact(born, head6, 2, "care", "called", contacted_at=dt.datetime(2025, 12, 27, 9))
    # A 7-day window from 28 December counts care contacts since 21 December.
    ahead = queries_complaints.care_reminder_birthdays_ahead(born, head6, 6, dt.date(2025, 12, 28), 7).set_index(
        "customer_no"
    )
    assert pd.isna(ahead.loc["C001", "last_care_at"])
    assert ahead.loc["C002", "last_care_at"] == pd.Timestamp("2025-12-27 09:00")
    # Still done on 1 January (since 25 December); with a 2-day window it only showed from 1 January.
    later = queries_complaints.care_reminder_birthdays_ahead(born, head6, 6, dt.date(2026, 1, 1), 7).set_index(
        "customer_no"
    )
    assert list(later.index) == ["C002"] and later.loc["C002", "last_care_at"] == pd.Timestamp("2025-12-27 09:00")
    assert (
        queries_complaints.care_reminder_birthdays_ahead(born, head6, 6, dt.date(2026, 1, 1), 2)["last_care_at"]
        .isna()
        .all()
    )


def test_year_only_milestones_leave_out_customers_with_a_birth_date(born):
    executive = scope_of(born, "exec", "executive")
    by_year = queries_complaints.care_reminder_birthdays(born, executive, 1, 2026, (50, 60))
    assert list(by_year["customer_no"]) == ["C005"]  # C001 turns 50 too, but is reminded on the day
    assert by_year["turns"].isna().all() and by_year["birth_year"].isna().all()  # an executive gets counts only


def test_the_care_list_puts_dated_birthdays_in_date_order_before_year_only_milestones():
    columns = ["customer_id", "customer_no", "name", "outlet_id", "is_key_customer"]
    birthdays = pd.DataFrame(
        [
            (1, "C001", "甲", 6, False, dt.date(2026, 12, 30), 50, pd.NaT),
            (2, "C002", "乙", 6, True, dt.date(2026, 12, 30), 41, pd.NaT),
            (3, "C003", "丙", 7, True, dt.date(2026, 12, 29), 36, pd.NaT),
            (4, "C004", "丁", 7, True, dt.date(2026, 12, 29), 31, pd.Timestamp("2026-12-27 9:00")),  # done
        ],
        columns=[*columns, "birthday", "turns", "last_care_at"],
    )
    year_only = pd.DataFrame([(5, "C005", "戊", 8, True, 60, pd.NaT)], columns=[*columns, "turns", "last_care_at"])
    empty = pd.DataFrame(columns=[*columns, "matures_on", "balance_rmb", "product_code", "aum_rmb", "last_txn_at"])
    care_list = daily_care_list(
        dt.date(2026, 12, 28), pd.concat([birthdays, year_only], ignore_index=True), empty, empty
    )
    assert list(care_list["customer_no"]) == ["C003", "C002", "C001", "C005"]  # by day, key customers first
    assert list(care_list["days_left"]) == [1, 2, 2, 3]
    assert list(care_list["due"]) == [dt.date(2026, 12, 29), dt.date(2026, 12, 30), dt.date(2026, 12, 30)] + [
        dt.date(2026, 12, 31)
    ]
    assert list(care_list["on_day"]) == [True, True, True, False]
    assert list(care_list["detail"]) == ["36", "41", "50", "60"] and list(care_list["priority"]) == [1, 2, 3, 4]


HEADER = "customer_no,kind,name,id_number,home_outlet_code,birth_year,birth_date,opened_on\n"


def test_import_takes_the_birth_year_from_the_date_and_keeps_the_date(network):
    content = HEADER + "P901,personal,张三,1501,U6,,1980-02-29,2015-06-01\n"
    content += "P902,personal,李四,1502,U6,1975,,2015-06-01\n"
    result = stage(network, "customers", content.encode(), "customers.csv", "steward")
    assert result.ok, [(e.row, e.column, e.key) for e in result.errors]
    confirm(network, result.batch_id, "steward")
    with network.connect() as connection:
        rows = connection.execute(
            select(Customer.customer_no, Customer.birth_year, Customer.birth_date)
            .where(Customer.customer_no.in_(["P901", "P902"]))
            .order_by(Customer.customer_no)
        ).all()
    assert [tuple(r) for r in rows] == [("P901", 1980, dt.date(1980, 2, 29)), ("P902", 1975, None)]


@pytest.mark.parametrize(
    "line, key",
    [
        ("P903,personal,王五,1503,U6,1981,1980-05-01,2015-06-01", "import_birth_year_mismatch"),
        ("P903,personal,王五,1503,U6,,2999-01-01,2015-06-01", "import_birth_date_out_of_range"),
        ("P903,personal,王五,1503,U6,,1850-01-01,2015-06-01", "import_birth_date_out_of_range"),
        ("P903,personal,王五,1503,U6,,1980-02-30,2015-06-01", "import_no_such_date"),
    ],
)
def test_import_refuses_inconsistent_or_impossible_birth_dates(network, line, key):
    result = stage(network, "customers", (HEADER + line + "\n").encode(), "customers.csv", "steward")
    assert not result.ok
    assert [(e.row, e.column, e.key) for e in result.errors] == [(2, "birth_date", key)]


def test_demo_personal_customers_have_a_birth_date_in_their_birth_year(demo_database_url):
    from data.db import make_engine

    engine = make_engine(demo_database_url)
    with engine.connect() as connection:
        rows = pd.DataFrame(
            connection.execute(select(Customer.kind, Customer.birth_year, Customer.birth_date)).all(),
            columns=["kind", "birth_year", "birth_date"],
        )
    engine.dispose()
    personal = rows[rows["kind"] == "personal"]
    assert len(personal) > 100 and personal["birth_date"].notna().all()
    dates = pd.to_datetime(personal["birth_date"])
    assert (dates.dt.year == personal["birth_year"].astype(int)).all()
    assert rows.loc[rows["kind"] == "corporate", "birth_date"].isna().all()
    # Spread over the year: every month holds some birthdays, none more than twice its share.
    share = dates.dt.month.value_counts(normalize=True)
    assert len(share) == 12 and share.max() < 2 / 12 and np.isclose(share.sum(), 1.0)
