"""Make the configured database usable: migrate it, and load the demo network if it is empty.

``python -m data.setup_db`` (run by ``make run``) never overwrites loaded data: a database that
already holds data is only migrated to the newest schema.
"""

from __future__ import annotations

import argparse
import sys

from config.settings import load_settings
from data.db import DatabaseState, database_state, make_engine, upgrade_database


def main(argv: list[str] | None = None) -> int:
    """Exit code 0 when the database is ready, 2 when it cannot be reached."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=load_settings().database_url)
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url)
    state = database_state(engine)
    if state is DatabaseState.UNREACHABLE:
        print(
            f"error: the database at {engine.url.render_as_string(hide_password=True)} does not answer", file=sys.stderr
        )
        return 2
    upgrade_database(engine)
    if database_state(engine) is DatabaseState.EMPTY:
        from data.demo import build_demo  # imported here: only needed for an empty database

        print("The database is empty: building the demo network (about a minute).")
        build_demo(engine)
    print("Database ready.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
