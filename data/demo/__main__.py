"""``python -m data.demo --scale S [--seed N] [--database-url URL]``: rebuild the demo network."""

from __future__ import annotations

import argparse
import sys

from config.settings import load_settings
from data.db import DatabaseState, database_state, make_engine, upgrade_database
from data.demo import DEFAULT_SEED, MAX_SCALE, MIN_SCALE, build_demo
from data.setup_db import synthetic_flag, tables_with_rows


def main(argv: list[str] | None = None) -> int:
    """Exit code 0 on success, 1 when the database holds a bank's data (never replaced), 2 when
    the arguments are bad or the database does not answer."""
    parser = argparse.ArgumentParser(description="Rebuild the BranchScope demo network (replaces all data).")
    parser.add_argument(
        "--scale", type=float, default=1.0, help=f"network size, 1 = about 200 outlets ({MIN_SCALE}–{MAX_SCALE})"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed; the same seed gives the same data")
    parser.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: DATABASE_URL or settings)")
    args = parser.parse_args(argv)
    if not MIN_SCALE <= args.scale <= MAX_SCALE:
        parser.error(f"--scale must be between {MIN_SCALE} and {MAX_SCALE}")
    engine = make_engine(args.database_url or load_settings().database_url)
    if database_state(engine) is DatabaseState.UNREACHABLE:
        print(
            f"error: the database at {engine.url.render_as_string(hide_password=True)} does not answer", file=sys.stderr
        )
        return 2
    if not _may_replace(engine):
        print(
            "error: this database holds the bank's data or is flagged as a production database; "
            "the demo replaces all data and is only built into an empty or a demo database",
            file=sys.stderr,
        )
        return 1
    build_demo(engine, scale=args.scale, seed=args.seed)
    return 0


def _may_replace(engine) -> bool:
    """True for a demo database, or one with no data (after migrating it) and no production flag."""
    upgrade_database(engine)
    flag = synthetic_flag(engine)
    return flag == "true" or (flag is None and not tables_with_rows(engine))


if __name__ == "__main__":
    sys.exit(main())
