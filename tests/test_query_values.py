"""The one conversion of dates as either backend returns them (data/query_values.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, literal, select

from data.query_values import as_date, month_start_text


def test_as_date_takes_every_form_the_drivers_return():
    day = dt.date(2026, 10, 31)
    forms = (day, dt.datetime(2026, 10, 31, 9, 30), "2026-10-31", "2026-10-31 09:30:00")
    assert [as_date(value) for value in forms] == [day] * 4
    assert as_date(None) is None and as_date(float("nan")) is None


def test_month_start_text_on_both_backends(engine):
    with engine.connect() as connection:
        day = literal(dt.date(2026, 10, 31), Date)  # as each backend stores a date
        assert connection.execute(select(month_start_text(connection, day))).scalar() == "2026-10-01"
