"""Every table a page reads can be filled on a bank's own database: each table
a query in ``data/queries*.py`` reads has an import kind or a documented origin in
``data/provenance.py``."""

from __future__ import annotations

import ast
from pathlib import Path

import data.schema as schema
from config.settings import PROJECT_ROOT
from data.importer.spec import KINDS
from data.provenance import TABLE_ORIGINS

MODELS = {
    name: model.__tablename__
    for name, model in vars(schema).items()
    if isinstance(model, type) and issubclass(model, schema.Base) and hasattr(model, "__tablename__")
}


def tables_read_by(path: Path) -> set[str]:
    """Tables whose model a module names (the queries build their SQL from the models only)."""
    names = {node.id for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(node, ast.Name)}
    return {MODELS[name] for name in names if name in MODELS}


def query_modules() -> list[Path]:
    """The modules whose SQL the pages read: the query modules and the KPI sums they share."""
    data = PROJECT_ROOT / "data"
    return sorted([*data.glob("queries*.py"), data / "kpi_sums.py", data / "query_support.py"])


def test_the_scan_finds_the_tables_of_the_queries():
    """The scan itself works: the main tables are found in the modules known to read them."""
    assert {"org_unit"} <= tables_read_by(PROJECT_ROOT / "data" / "queries.py")
    assert {"kpi_monthly", "org_unit"} <= tables_read_by(PROJECT_ROOT / "data" / "kpi_sums.py")
    assert {"customer", "txn", "holding"} <= tables_read_by(PROJECT_ROOT / "data" / "queries_customers.py")
    assert len(query_modules()) >= 8


def test_every_table_a_query_reads_has_an_import_kind_or_a_documented_origin():
    imported = {kind.table.name for kind in KINDS.values()}
    read = set().union(*(tables_read_by(path) for path in query_modules()))
    missing = sorted(read - imported - set(TABLE_ORIGINS))
    assert not missing, f"tables read by the queries with no import kind and no entry in data/provenance.py: {missing}"


def test_documented_origins_name_real_tables_and_do_not_shadow_import_kinds():
    tables = set(schema.Base.metadata.tables)
    assert set(TABLE_ORIGINS) <= tables
    imported = {kind.table.name for kind in KINDS.values()}
    assert not set(TABLE_ORIGINS) & imported, "a table with an import kind needs no other origin"
    for origin, provenance in TABLE_ORIGINS.values():
        assert origin in ("derived", "reference", "in_app")
        assert provenance.how_zh and provenance.how_en
