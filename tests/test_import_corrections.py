"""Corrections on SQLite and PostgreSQL: a restating batch replaces rows loaded earlier (kept, and
put back when it is deleted), the roll-up follows, ids stay, and keys already in the database are
found by SQL over the staged rows."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import func, insert, select

import data.importer.corrections as corrections
import data.importer.pipeline as pipeline
from config.import_texts import import_message
from data.bulk import bulk_insert
from data.importer import BatchError, confirm, delete, history, stage
from data.schema import (
    AccountBalance,
    Customer,
    DatasetInfo,
    ImportBatch,
    ImportSuperseded,
    KpiMonthly,
    KpiUnitMonthly,
    Product,
)
from tests.test_importer import table_checksums

NOVEMBER = dt.date(2026, 11, 1)
KPI_HEADER = "outlet_code,metric_code,month,value\n"
FIRST_KPIS = [
    "U6,deposits_personal,2026-11,1000.5",
    "U7,deposits_personal,2026-11,2000",
    "U8,deposits_personal,2026-11,4000",
]
# U6 re-extracted (+499.75), U7 the same value again, U8's complaints new.
RESTATED_KPIS = ["U6,deposits_personal,2026-11,1500.25", "U7,deposits_personal,2026-11,2000", "U8,complaints,2026-11,3"]


def kpi_file(lines: list[str], note: str = "") -> bytes:
    """A KPI file; ``note`` makes otherwise equal files differ (the same file twice is refused):
    as many spaces after the first header, which the reader trims."""
    return (KPI_HEADER.replace(",", " " * len(note) + ",", 1) + "\n".join(lines) + "\n").encode()


def loaded(engine, lines: list[str], restate: bool = False, note: str = "") -> int:
    """Stage and confirm a KPI file; returns its batch id."""
    result = stage(engine, "monthly_kpis", kpi_file(lines, note), f"kpis{note}.csv", "steward", restate=restate)
    assert result.ok, (result.file_error, result.errors)
    confirm(engine, result.batch_id, "steward")
    return result.batch_id


def november_kpis(engine) -> dict[tuple[int, str], tuple[float, int | None]]:
    """(outlet, metric) → (value, batch id) of November 2026."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(KpiMonthly.outlet_id, KpiMonthly.metric_code, KpiMonthly.value, KpiMonthly.import_batch_id).where(
                KpiMonthly.month == NOVEMBER
            )
        ).all()
    return {(outlet, code): (value, batch) for outlet, code, value, batch in rows}


def rolled_up(engine, unit_id: int, code: str = "deposits_personal") -> float:
    """A unit's November total of ``code`` in the roll-up (which must be current)."""
    with engine.connect() as connection:
        versions = dict(connection.execute(select(DatasetInfo.key, DatasetInfo.value)).all())
        assert versions["kpi_rollup_version"] == versions["data_version"]
        return connection.execute(
            select(KpiUnitMonthly.total).where(
                KpiUnitMonthly.unit_id == unit_id, KpiUnitMonthly.metric_code == code, KpiUnitMonthly.month == NOVEMBER
            )
        ).scalar_one()


def kept_rows(engine, batch_id: int) -> list[tuple]:
    with engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                select(ImportSuperseded.old_batch_id, ImportSuperseded.table_name, ImportSuperseded.row_data)
                .where(ImportSuperseded.batch_id == batch_id)
                .order_by(ImportSuperseded.id)
            ).all()
        ]


def data_version(engine) -> str:
    with engine.connect() as connection:
        return connection.execute(select(DatasetInfo.value).where(DatasetInfo.key == "data_version")).scalar_one()


def test_a_months_kpis_restated_replace_the_values_and_the_rollup_follows(network):
    first = loaded(network, FIRST_KPIS)
    assert rolled_up(network, 1) == 7000.5 and rolled_up(network, 2) == 3000.5
    result = stage(network, "monthly_kpis", kpi_file(RESTATED_KPIS), "again.csv", "steward", restate=True)
    assert result.ok and result.rows == 3 and result.restated == 2
    version = data_version(network)
    assert confirm(network, result.batch_id, "steward") == 3
    second = result.batch_id
    assert november_kpis(network) == {
        (6, "deposits_personal"): (1500.25, second),
        (7, "deposits_personal"): (2000.0, second),
        (8, "deposits_personal"): (4000.0, first),
        (8, "complaints"): (3.0, second),
    }
    # The region's and city A's totals change by exactly the difference at U6 (+499.75).
    assert rolled_up(network, 1) == 7500.25 and rolled_up(network, 2) == 3500.25
    assert rolled_up(network, 3) == 4000.0
    assert data_version(network) != version
    kept = kept_rows(network, second)
    assert [(old, table) for old, table, _ in kept] == [(first, "kpi_monthly"), (first, "kpi_monthly")]
    assert sorted((row["outlet_id"], row["value"], row["import_batch_id"]) for _, _, row in kept) == [
        (6, 1000.5, first),
        (7, 2000.0, first),
    ]
    with network.connect() as connection:
        assert connection.execute(select(ImportBatch.restates).where(ImportBatch.id == second)).scalar_one() is True


def test_deleting_the_restating_batch_restores_the_old_values_and_batches(network):
    first = loaded(network, FIRST_KPIS)
    before = table_checksums(network)
    second = loaded(network, RESTATED_KPIS, restate=True)
    assert delete(network, second, "steward") == 3  # one row it added, two it restated
    assert november_kpis(network) == {
        (6, "deposits_personal"): (1000.5, first),
        (7, "deposits_personal"): (2000.0, first),
        (8, "deposits_personal"): (4000.0, first),
    }
    assert rolled_up(network, 1) == 7000.5
    assert kept_rows(network, second) == []
    after = table_checksums(network)
    for table in ("kpi_monthly", "kpi_unit_monthly", "import_superseded"):
        assert after[table] == before[table], table


def test_restored_values_are_exact_to_the_last_bit(network):
    """SQLite's JSON keeps 15 digits of a REAL; the kept row must keep all 17."""
    values = ["1234567.8912345678", "0.30000000000000004", "987654321012.3456"]
    lines = [f"U{outlet},deposits_personal,2026-11,{value}" for outlet, value in zip((6, 7, 8), values)]
    first = loaded(network, lines)
    second = loaded(network, [line.replace("2026-11,", "2026-11,1") for line in lines], restate=True)
    assert {key: value for key, (value, _) in november_kpis(network).items()} == {
        (6, "deposits_personal"): float("11234567.8912345678"),
        (7, "deposits_personal"): float("10.30000000000000004"),
        (8, "deposits_personal"): float("1987654321012.3456"),
    }
    delete(network, second, "steward")
    assert november_kpis(network) == {
        (outlet, "deposits_personal"): (float(value), first) for outlet, value in zip((6, 7, 8), values)
    }


def test_without_the_restate_flag_keys_in_the_database_are_refused_by_line(network):
    loaded(network, FIRST_KPIS)
    before = table_checksums(network)
    result = stage(network, "monthly_kpis", kpi_file(RESTATED_KPIS), "again.csv", "steward")
    assert not result.ok and result.error_count == 2
    assert [(e.row, e.column, e.key) for e in result.errors] == [
        (2, "", "import_already_in_database"),
        (3, "", "import_already_in_database"),
    ]
    assert table_checksums(network) == before


def test_many_rows_in_the_database_are_counted_and_the_first_ones_named(network, monkeypatch):
    monkeypatch.setattr(corrections, "MAX_REPORTED_ROWS", 2)
    loaded(network, FIRST_KPIS)
    result = stage(network, "monthly_kpis", kpi_file(FIRST_KPIS, "again"), "again.csv", "steward")
    assert result.error_count == 3 and [e.row for e in result.errors] == [2, 3]


def test_many_repeats_in_the_file_are_counted_and_the_first_ones_named(network, monkeypatch):
    monkeypatch.setattr(pipeline, "MAX_REPORTED_ERRORS", 2)
    lines = ["U6,complaints,2026-11,1"] * 4
    result = stage(network, "monthly_kpis", kpi_file(lines), "repeats.csv", "steward")
    assert result.error_count == 3
    assert [(e.row, e.params) for e in result.errors] == [(3, {"first_row": 2}), (4, {"first_row": 2})]


def test_a_batch_restated_later_cannot_be_deleted_first(network):
    first = loaded(network, FIRST_KPIS)
    second = loaded(network, RESTATED_KPIS, restate=True)
    third = loaded(network, ["U6,deposits_personal,2026-11,1600"], restate=True)
    assert november_kpis(network)[(6, "deposits_personal")] == (1600.0, third)
    with pytest.raises(BatchError) as refused:
        delete(network, first, "steward")
    assert refused.value.key == "import_superseded_delete_later_first"
    assert refused.value.params == {"batch": first, "later": str(second)}
    assert f"delete batch {second} first" in import_message(refused.value.key, "en", **refused.value.params)
    assert f"请先删除第{second}批" in import_message(refused.value.key, "zh", **refused.value.params)
    with pytest.raises(BatchError) as refused:
        delete(network, second, "steward")
    assert refused.value.params == {"batch": second, "later": str(third)}

    batches = history(network).set_index("id")
    assert batches.loc[third, "restates"] == str(second) and batches.loc[second, "restates"] == str(first)
    assert batches.loc[first, "superseded_by"] == str(second) and batches.loc[second, "superseded_by"] == str(third)
    assert batches.loc[third, "superseded_by"] == "" and batches.loc[first, "restates"] == ""
    assert batches["restating"].tolist() == [True, True, False]

    delete(network, third, "steward")
    assert november_kpis(network)[(6, "deposits_personal")] == (1500.25, second)
    delete(network, second, "steward")
    assert november_kpis(network)[(6, "deposits_personal")] == (1000.5, first)
    assert delete(network, first, "steward") == 3
    assert november_kpis(network) == {}
    assert history(network)["superseded_by"].tolist() == ["", "", ""]


def test_a_restating_batch_with_only_new_keys_adds_them(network):
    result = stage(network, "monthly_kpis", kpi_file(FIRST_KPIS), "kpis.csv", "steward", restate=True)
    assert result.ok and result.restated == 0
    assert confirm(network, result.batch_id, "steward") == 3
    assert len(november_kpis(network)) == 3 and kept_rows(network, result.batch_id) == []
    assert delete(network, result.batch_id, "steward") == 3 and november_kpis(network) == {}


@pytest.fixture
def kpis_replaceable(monkeypatch):
    """The KPI kind with the rule that account-derived KPI rows give way to imported ones."""
    kind = dataclasses.replace(pipeline.KINDS["monthly_kpis"], replaceable=("source", "accounts"))
    monkeypatch.setitem(pipeline.KINDS, "monthly_kpis", kind)


def test_derived_rows_are_replaced_silently_and_not_kept(network, kpis_replaceable):
    with network.begin() as connection:
        connection.execute(
            insert(KpiMonthly),
            [
                {
                    "outlet_id": 6,
                    "metric_code": "deposits_personal",
                    "month": NOVEMBER,
                    "value": 999.0,
                    "source": "accounts",
                },
                {"outlet_id": 7, "metric_code": "deposits_personal", "month": NOVEMBER, "value": 888.0, "source": None},
            ],
        )
    refused = stage(network, "monthly_kpis", kpi_file(FIRST_KPIS[:2]), "kpis.csv", "steward")
    assert [(e.row, e.key) for e in refused.errors] == [(3, "import_already_in_database")]  # U7 only
    result = stage(network, "monthly_kpis", kpi_file(FIRST_KPIS[:1]), "u6.csv", "steward")
    assert result.ok
    confirm(network, result.batch_id, "steward")
    assert november_kpis(network) == {
        (6, "deposits_personal"): (1000.5, result.batch_id),
        (7, "deposits_personal"): (888.0, None),
    }
    with network.connect() as connection:
        assert connection.execute(select(KpiMonthly.source).where(KpiMonthly.outlet_id == 6)).scalar() is None
    assert kept_rows(network, result.batch_id) == []


def test_a_restating_batch_replaces_derived_rows_and_restates_imported_ones(network, kpis_replaceable):
    with network.begin() as connection:
        connection.execute(
            insert(KpiMonthly),
            [
                {
                    "outlet_id": 6,
                    "metric_code": "deposits_personal",
                    "month": NOVEMBER,
                    "value": 999.0,
                    "source": "accounts",
                },
                {"outlet_id": 7, "metric_code": "deposits_personal", "month": NOVEMBER, "value": 888.0, "source": None},
            ],
        )
    result = stage(network, "monthly_kpis", kpi_file(FIRST_KPIS), "kpis.csv", "steward", restate=True)
    assert result.restated == 1
    confirm(network, result.batch_id, "steward")
    assert [row["value"] for _, _, row in kept_rows(network, result.batch_id)] == [888.0]
    delete(network, result.batch_id, "steward")
    assert november_kpis(network) == {(7, "deposits_personal"): (888.0, None)}


CUSTOMER_HEADER = (
    "customer_no,kind,name,id_number,phone,home_outlet_code,birth_year,birth_date,gender,industry,opened_on,"
    "is_key_customer,home_cell,relationship_manager\n"
)


def customer_file(*lines: str) -> bytes:
    return (CUSTOMER_HEADER + "\n".join(lines) + "\n").encode()


def test_restated_customers_keep_their_ids_and_the_rows_that_refer_to_them(network):
    from data.demo.network import build_products

    with network.begin() as connection:
        bulk_insert(connection, Product.__table__, build_products())
    wang = "P9000000001,personal,王伟,150102198001011234,13812345678,U6,1980,1980-01-01,M,,2015-06-01,0,,"
    first = stage(network, "customers", customer_file(wang), "customers.csv", "steward")
    assert first.ok, first.errors
    confirm(network, first.batch_id, "steward")
    accounts = "月份,网点代码,客户号,产品代码,账号,余额\n2026-10,U6,P9000000001,DD-P,6222000000000001,58300.25\n"
    extract = stage(network, "personal_deposits", accounts.encode(), "accounts.csv", "steward")
    assert extract.ok, extract.errors
    confirm(network, extract.batch_id, "steward")

    def customers() -> dict[str, tuple]:
        with network.connect() as connection:
            rows = connection.execute(
                select(
                    Customer.customer_no,
                    Customer.id,
                    Customer.name,
                    Customer.home_outlet_id,
                    Customer.is_key_customer,
                    Customer.import_batch_id,
                ).where(Customer.customer_no.like("P9%"))
            ).all()
        return {row[0]: tuple(row[1:]) for row in rows}

    def account_holder() -> tuple:
        with network.connect() as connection:
            return tuple(
                connection.execute(
                    select(Customer.customer_no, Customer.name).join(
                        AccountBalance, AccountBalance.customer_id == Customer.id
                    )
                ).one()
            )

    (wang_id, *_) = customers()["P9000000001"]
    corrected = wang.replace("王伟", "王伟民").replace(",U6,", ",U7,").replace(",0,,", ",1,,")
    new = "P9000000002,personal,李娜,150102199002021234,13912345678,U8,1990,,F,,2020-03-01,0,,"
    second = stage(network, "customers", customer_file(corrected, new), "corrected.csv", "steward", restate=True)
    assert second.ok and second.restated == 1, second.errors
    confirm(network, second.batch_id, "steward")
    after = customers()
    assert after["P9000000001"] == (wang_id, "王伟民", 7, True, second.batch_id)
    assert after["P9000000002"][1:] == ("李娜", 8, False, second.batch_id)
    assert account_holder() == ("P9000000001", "王伟民")

    assert delete(network, second.batch_id, "steward") == 2
    assert customers() == {"P9000000001": (wang_id, "王伟", 6, False, first.batch_id)}
    assert account_holder() == ("P9000000001", "王伟")


def test_organisation_units_cannot_be_restated(network):
    content = "code,name_zh,name_en,level,parent_code,outlet_type,city_code,lon,lat\n"
    content += "U6,甲,A,outlet,U4,sub_office,150100,111.7,40.8\n"
    result = stage(network, "org_units", content.encode(), "units.csv", "steward", restate=True)
    assert result.file_error is not None and result.file_error.key == "import_restate_not_for_kind"


def test_a_restatement_killed_half_way_changes_nothing(network, monkeypatch):
    loaded(network, FIRST_KPIS)
    result = stage(network, "monthly_kpis", kpi_file(RESTATED_KPIS), "again.csv", "steward", restate=True)
    before = table_checksums(network)

    def dying(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(pipeline, "write_audit", dying)  # after the rows are kept, updated and inserted
    with pytest.raises(RuntimeError, match="killed"):
        confirm(network, result.batch_id, "steward")
    assert table_checksums(network) == before
    monkeypatch.undo()
    confirm(network, result.batch_id, "steward")
    before = table_checksums(network)
    monkeypatch.setattr(pipeline, "write_audit", dying)
    with pytest.raises(RuntimeError, match="killed"):
        delete(network, result.batch_id, "steward")
    assert table_checksums(network) == before


def test_staging_finds_keys_in_the_database_with_one_query_whatever_the_size(network):
    """Set-based: the statements a stage runs do not grow with the number of keys (the check
    used to ask the database once per 500 keys)."""
    from sqlalchemy import event

    def statements_for(rows: int) -> int:
        lines = [
            f"P8{n:09d},personal,客户{n},1501021980010{n % 10000:05d},,U6,1980,,,,2015-06-01,0,," for n in range(rows)
        ]
        count = {"n": 0}

        def counted(*args):
            count["n"] += 1

        event.listen(network, "before_cursor_execute", counted)
        try:
            result = stage(network, "customers", customer_file(*lines), f"n{rows}.csv", "steward")
        finally:
            event.remove(network, "before_cursor_execute", counted)
        assert result.ok, result.errors[:3]
        return count["n"]

    assert statements_for(600) == statements_for(1500)


def test_history_frame_has_the_correction_columns(network):
    frame = history(network)
    assert list(frame.columns) == pipeline.HISTORY_COLUMNS
    assert isinstance(frame, pd.DataFrame) and frame.empty
    with network.connect() as connection:
        assert connection.execute(select(func.count()).select_from(ImportSuperseded)).scalar_one() == 0
