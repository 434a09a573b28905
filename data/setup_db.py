"""Make the configured database usable: migrate it, and load the demo network only where it belongs.

``python -m data.setup_db`` (run by ``make run``) migrates the database and builds the demo
network into it only when it holds no rows at all (beyond the migrations' reference data) and
is not flagged as a production database. A database that holds data is only migrated: the demo
is never loaded over a bank's data, and a demo database keeps its data.

``python -m data.setup_db --empty`` prepares a production database: the schema and the
reference data (metric catalogue) through the migrations, no demo rows and no users; it flags
the database as not synthetic, so a later ``setup_db`` never loads the demo (and its shared
log-ins) into it. Next step: ``python -m data.users create-admin NAME``.

Exit codes: 0 ready; 1 ``--empty`` on a database that holds the demo; 2 the database does not answer.
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from config.settings import load_settings
from data.db import DatabaseState, database_state, make_engine, set_dataset_fact, upgrade_database
from data.schema import Base, DatasetInfo, Metric

# Tables the migrations fill (reference data) or that only describe the data: not "data" here.
REFERENCE_TABLES = frozenset({Metric.__tablename__, DatasetInfo.__tablename__})


def tables_with_rows(engine: Engine) -> list[str]:
    """Names of the tables, reference tables excepted, that hold at least one row."""
    with engine.connect() as connection:
        return [
            table.name
            for table in Base.metadata.sorted_tables
            if table.name not in REFERENCE_TABLES
            and connection.execute(select(func.count()).select_from(select(table).limit(1).subquery())).scalar()
        ]


def synthetic_flag(engine: Engine) -> str | None:
    """``dataset_info.synthetic``: "true" for the demo, "false" for a production database, else None."""
    with engine.connect() as connection:
        return connection.execute(select(DatasetInfo.value).where(DatasetInfo.key == "synthetic")).scalar()


def prepare_empty(engine: Engine) -> int:
    """``--empty``: flag a migrated database without data as production; refuse a demo database."""
    if synthetic_flag(engine) == "true":
        print(
            "error: this database holds the demo network; --empty never deletes data. "
            "Point --database-url at a new, empty database.",
            file=sys.stderr,
        )
        return 1
    if not tables_with_rows(engine):
        with engine.begin() as connection:
            set_dataset_fact(connection, "synthetic", "false")
    print(
        "Production database ready: schema and reference data, no demo data.\n"
        "Next: python -m data.users create-admin NAME --database-url URL, then log in as that "
        "administrator, create a data steward and import the bank's files (README, 'Loading your bank's data')."
    )
    return 0


def load_demo_if_empty(engine: Engine) -> None:
    """Build the demo only into a database with no rows at all that is not flagged as production."""
    flag = synthetic_flag(engine)
    if flag == "true":
        print("Database ready (demo data).")
        return
    if flag == "false" or tables_with_rows(engine):
        print(
            "This database holds the bank's data or is flagged as a production database: the demo is "
            "not loaded into it (migrated only). Load data with the import page or python -m data.importer."
        )
        return
    from data.demo import build_demo  # imported here: only needed for an empty database

    print("The database is empty: building the demo network (about two minutes).")
    build_demo(engine)
    print("Database ready.")


def main(argv: list[str] | None = None) -> int:
    """Exit code 0 when the database is ready, 1 when ``--empty`` meets the demo, 2 when unreachable."""
    parser = argparse.ArgumentParser(prog="python -m data.setup_db", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: DATABASE_URL or settings)")
    parser.add_argument(
        "--empty", action="store_true", help="production database: schema and reference data only, no demo"
    )
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url or load_settings().database_url)
    try:
        if database_state(engine) is DatabaseState.UNREACHABLE:
            print(
                f"error: the database at {engine.url.render_as_string(hide_password=True)} does not answer",
                file=sys.stderr,
            )
            return 2
        upgrade_database(engine)
        if args.empty:
            return prepare_empty(engine)
        load_demo_if_empty(engine)
        return 0
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
