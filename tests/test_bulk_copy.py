"""data.bulk's block COPY on PostgreSQL (CSV blocks written by Arrow): every value comes back
exactly as given, texts with quotes, commas, tabs, newlines, backslashes and Chinese included,
an empty text stays empty and a missing value is NULL. The row-by-row path stays for frames
Arrow cannot type. SQLite takes the same frame through executemany."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    select,
)

from data import bulk
from data.db import make_engine
from tests.conftest import empty_database

TEXTS = [
    "plain",
    "",
    'quote " inside, and a comma',
    "tab\there",
    "new\nline and\r\ncarriage return",
    "back\\slash \\N \\. and \\t",
    "中文：营业网点（呼和浩特）",
    "\\.",
    "trailing space ",
    None,
]


def _table() -> Table:
    return Table(
        "bulk_copy_probe",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("label", String(200)),
        Column("amount", Float),
        Column("money", Numeric(18, 2)),
        Column("count", BigInteger),
        Column("day", Date),
        Column("at", DateTime),
        Column("flag", Boolean),
        Column("extra", JSON),
    )


def _frame() -> pd.DataFrame:
    n = len(TEXTS)
    return pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "label": pd.Series(TEXTS, dtype=object),
            "amount": [0.1, 1234567.89, 1e20, -5e-324, np.nan, 1 / 3, 2.5, -0.0, 7.0, 123456789.123],
            "money": [1.25, -3.5, 0.0, 99.99, None, 10.0, 1e10, 0.01, 2.0, 3.0],
            "count": pd.array([1, None, 3, 0, -7, 2**40, 5, 6, None, 9], dtype="Int64"),
            "day": [dt.date(2024, 1, 31), None, *[dt.date(2000 + i, 2, 29 if i % 4 == 0 else 28) for i in range(8)]],
            "at": pd.to_datetime(["2024-11-01 09:30:15.123456", None, *["2026-10-31 23:59:59"] * 8], format="ISO8601"),
            "flag": [True, False, None, True, False, True, False, True, False, True],
            "extra": [{"k": "值\t\n\\"}, None, [1, 2], "[]", {"a": None}, {}, [], {"b": 1.5}, "{}", None],
        }
    )


@pytest.fixture(params=["postgresql", "sqlite"])
def probe(request, tmp_path):
    with empty_database(request.param, tmp_path) as url:
        engine = make_engine(url)
        table = _table()
        table.metadata.create_all(engine)
        yield engine, table
        engine.dispose()


def _read(engine, table) -> pd.DataFrame:
    """The rows as given back by the driver (object columns: no pandas conversion of None)."""
    with engine.connect() as connection:
        rows = connection.execute(select(table).order_by(table.c.id)).all()
    return pd.DataFrame(rows, columns=[c.name for c in table.columns], dtype=object)


def test_every_value_comes_back_exactly(probe):
    engine, table = probe
    frame = _frame()
    with engine.begin() as connection:
        assert bulk.bulk_insert(connection, table, frame) == len(frame)
    back = _read(engine, table)
    assert back.label.tolist() == TEXTS  # '' stays '', None stays NULL
    assert [None if pd.isna(v) else v for v in back.amount] == [None if pd.isna(v) else v for v in frame.amount]
    assert [None if v is None else float(v) for v in back.money] == [None if pd.isna(v) else v for v in frame.money]
    assert [None if pd.isna(v) else int(v) for v in back["count"]] == [1, None, 3, 0, -7, 2**40, 5, 6, None, 9]
    assert [None if pd.isna(v) else v for v in back.day] == frame.day.tolist()
    assert back["at"].iloc[0] == dt.datetime(2024, 11, 1, 9, 30, 15, 123456)
    assert pd.isna(back["at"].iloc[1]) and back["at"].iloc[9] == dt.datetime(2026, 10, 31, 23, 59, 59)
    assert [None if v is None else bool(v) for v in back.flag] == frame.flag.tolist()
    expected_json = [{"k": "值\t\n\\"}, None, [1, 2], [], {"a": None}, {}, [], {"b": 1.5}, {}, None]
    assert back.extra.tolist() == expected_json


def test_postgres_copies_whole_blocks(tmp_path, monkeypatch):
    """The block path is the one taken (the row-by-row writer is not called), over several blocks."""
    with empty_database("postgresql", tmp_path) as url:
        engine = make_engine(url)
        table = _table()
        table.metadata.create_all(engine)
        monkeypatch.setattr(bulk, "CHUNK_ROWS", 3)
        monkeypatch.setattr(bulk, "_rows", lambda *args: pytest.fail("row-by-row COPY used"))
        frame = _frame()
        with engine.begin() as connection:
            bulk.bulk_insert(connection, table, frame)
        assert _read(engine, table).label.tolist() == TEXTS
        engine.dispose()


def test_postgres_falls_back_to_rows_for_mixed_columns(tmp_path):
    """A column Arrow cannot type (text and numbers mixed) still loads, row by row."""
    with empty_database("postgresql", tmp_path) as url:
        engine = make_engine(url)
        table = _table()
        table.metadata.create_all(engine)
        frame = pd.DataFrame({"id": [1, 2, 3], "label": pd.Series(["a\tb", 5, None], dtype=object)})
        assert bulk._csv_blocks(frame, table, ["id", "label"]) is None
        with engine.begin() as connection:
            bulk.bulk_insert(connection, table, frame)
        assert _read(engine, table).label.tolist() == ["a\tb", "5", None]
        engine.dispose()


def test_a_refused_value_changes_nothing(tmp_path):
    """A value the column refuses (a text too long) fails the COPY inside the caller's
    transaction: no row of the frame is left."""
    with empty_database("postgresql", tmp_path) as url:
        engine = make_engine(url)
        table = _table()
        table.metadata.create_all(engine)
        frame = pd.DataFrame({"id": [1, 2], "label": ["fine", "x" * 201]})
        with pytest.raises(Exception, match="too long"):
            with engine.begin() as connection:
                bulk.bulk_insert(connection, table, frame)
        assert _read(engine, table).empty
        engine.dispose()
