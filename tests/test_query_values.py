"""The one conversion of dates as either backend returns them (data/query_values.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Date, literal, select

from data.query_values import as_date, month_start_text, rows_frame


def test_as_date_takes_every_form_the_drivers_return():
    day = dt.date(2026, 10, 31)
    forms = (day, dt.datetime(2026, 10, 31, 9, 30), "2026-10-31", "2026-10-31 09:30:00")
    assert [as_date(value) for value in forms] == [day] * 4
    assert as_date(None) is None and as_date(float("nan")) is None


def test_month_start_text_on_both_backends(engine):
    with engine.connect() as connection:
        day = literal(dt.date(2026, 10, 31), Date)  # as each backend stores a date
        assert connection.execute(select(month_start_text(connection, day))).scalar() == "2026-10-01"


def test_rows_frame_of_result_rows_and_of_none(engine):
    with engine.connect() as connection:
        rows = connection.execute(select(literal(7).label("a"), literal("x").label("b"))).all()
    frame = rows_frame(rows, ["id", "code"])
    assert frame.to_dict("records") == [{"id": 7, "code": "x"}]
    empty = rows_frame([], ["id", "code"])
    assert list(empty.columns) == ["id", "code"] and len(empty) == 0
    assert isinstance(empty, pd.DataFrame)
