"""Several files of one kind in a row (the full demo's parts, a bank's monthly files): on
PostgreSQL the folder loader drops the target table's foreign keys (and, for a kind no later
step reads through them, its non-unique indexes) before the first file and restores them after
the last. The files load as before, the keys and indexes are back, and a refused file in the
run still leaves the database as it was."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, text

from data.importer.__main__ import main as cli
from data.schema import KpiMonthly
from tests.test_importer import table_checksums

KPIS_OCTOBER = "outlet_code,metric_code,month,value\nU6,deposits_personal,2026-12,500000\n"
KPIS_NOVEMBER = (
    "outlet_code,metric_code,month,value\nU6,deposits_personal,2027-01,510000\nU6,customers_active,2027-01,7\n"
)
BAD_KPIS = "outlet_code,metric_code,month,value\nU6,deposits_personal,2027-02,lots\n"


def _write(folder, files: dict[str, str]):
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def _keys_and_indexes(engine, table: str):
    """Foreign keys and index names of ``table`` (PostgreSQL catalogue; SQLite: its indexes)."""
    with engine.connect() as connection:
        if engine.dialect.name != "postgresql":
            return connection.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :t ORDER BY name"),
                {"t": table},
            ).all()
        keys = connection.execute(
            text(
                "SELECT conname FROM pg_constraint WHERE conrelid = CAST(:t AS regclass) AND contype = 'f' ORDER BY 1"
            ),
            {"t": table},
        ).all()
        indexes = connection.execute(
            text("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = :t ORDER BY 1"),
            {"t": table},
        ).all()
        return keys, indexes


def _url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_a_run_of_files_of_one_kind_loads_and_restores_keys_and_indexes(network, tmp_path, capsys):
    before = {table: _keys_and_indexes(network, table) for table in ("kpi_monthly", "txn")}
    folder = _write(tmp_path / "runs", {"monthly_kpis_001.csv": KPIS_OCTOBER, "monthly_kpis_002.csv": KPIS_NOVEMBER})
    assert cli(["load", str(folder), "--database-url", _url(network), "--confirm"]) == 0
    assert "2 files loaded in one transaction (3 rows)" in capsys.readouterr().out
    with network.connect() as connection:
        loaded = connection.execute(
            select(func.count()).select_from(KpiMonthly).where(KpiMonthly.month >= dt.date(2026, 12, 1))
        ).scalar()
    assert loaded == 3
    assert {table: _keys_and_indexes(network, table) for table in ("kpi_monthly", "txn")} == before


def test_a_refused_file_in_a_run_changes_nothing(network, tmp_path, capsys):
    before = table_checksums(network)
    structure = _keys_and_indexes(network, "kpi_monthly")
    folder = _write(
        tmp_path / "runs",
        {"monthly_kpis_001.csv": KPIS_OCTOBER, "monthly_kpis_002.csv": KPIS_NOVEMBER, "monthly_kpis_003.csv": BAD_KPIS},
    )
    assert cli(["load", str(folder), "--database-url", _url(network), "--confirm"]) == 1
    assert "monthly_kpis_003.csv (monthly_kpis) was refused" in capsys.readouterr().err
    assert table_checksums(network) == before
    assert _keys_and_indexes(network, "kpi_monthly") == structure
