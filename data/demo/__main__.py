"""``python -m data.demo --scale S [--seed N] [--provinces P] [--customers sample|full]
[--database-url URL]``: rebuild the demo network (``--provinces`` 2 … 9 adds small synthetic
provinces under a head office; ``--customers full`` every customer the KPIs count instead of the
1-in-20 sample: ≈2.8 million at scale 1, see docs/demo-data.md).

``python -m data.demo --scale S [--seed N] --export DIR`` writes the demo as a bank's import
files and their manifest into DIR instead (no database is touched; see :mod:`data.demo.export`);
``python -m data.importer load DIR --confirm`` loads them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from config.settings import load_settings
from data.db import DatabaseState, database_state, make_engine, upgrade_database
from data.demo import DEFAULT_SEED, MAX_SCALE, MIN_SCALE, build_demo, build_tables
from data.demo.customers import CUSTOMER_RATES
from data.demo.export import NOT_EXPORTED, export_demo, missing_kinds
from data.demo.geography import MAX_PROVINCES
from data.setup_db import synthetic_flag, tables_with_rows


def main(argv: list[str] | None = None) -> int:
    """Exit code 0 on success, 1 when the database holds a bank's data (never replaced) or the
    export folder is not empty, 2 when the arguments are bad or the database does not answer."""
    parser = argparse.ArgumentParser(description="Rebuild the BranchScope demo network (replaces all data).")
    parser.add_argument(
        "--scale", type=float, default=1.0, help=f"network size, 1 = about 200 outlets ({MIN_SCALE}–{MAX_SCALE})"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed; the same seed gives the same data")
    parser.add_argument(
        "--provinces",
        type=int,
        default=1,
        help="provinces: 1 = Inner Mongolia alone (real city facts); 2 … "
        f"{MAX_PROVINCES} adds small synthetic provinces under a head office",
    )
    parser.add_argument(
        "--customers",
        choices=tuple(CUSTOMER_RATES),
        default="sample",
        help="sample: 1 in 20 of the customers the KPIs count (quick, the default); full: all of them",
    )
    parser.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: DATABASE_URL or settings)")
    parser.add_argument(
        "--export", metavar="DIR", default=None, help="write the demo as import files into DIR (no database)"
    )
    args = parser.parse_args(argv)
    if not MIN_SCALE <= args.scale <= MAX_SCALE:
        parser.error(f"--scale must be between {MIN_SCALE} and {MAX_SCALE}")
    if not 1 <= args.provinces <= MAX_PROVINCES:
        parser.error(f"--provinces must be between 1 and {MAX_PROVINCES}")
    if args.export is not None:
        return export(Path(args.export), args.scale, args.seed, args.provinces, args.customers)
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
    build_demo(engine, scale=args.scale, seed=args.seed, provinces=args.provinces, customers=args.customers)
    return 0


def export(folder: Path, scale: float, seed: int, provinces: int = 1, customers: str = "sample") -> int:
    """``--export DIR``: the demo's import files and manifest; exit code 1 when DIR holds files."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        print(f"error: {folder} is not an empty folder; the export writes into an empty or new one", file=sys.stderr)
        return 1
    started = time.perf_counter()
    files = export_demo(folder, build_tables(scale, seed, provinces, customers))
    width = max(len(item.name) for item in files)
    for item in files:
        print(f"  {item.name:<{width}} {item.rows:>10,}")
    print(f"Demo exported to {folder}: {len(files)} files and manifest.csv in {time.perf_counter() - started:.1f} s")
    print(f"(scale {scale}, seed {seed}). Load it with: python -m data.importer load {folder} --confirm")
    print("Not in the files (the demo writes these directly):")
    for table, reason in NOT_EXPORTED.items():
        print(f"  {table}: {reason}")
    for kind in missing_kinds():
        print(f"  {kind}: the demo has no rows of this import kind")
    return 0


def _may_replace(engine) -> bool:
    """True for a demo database, or one with no data (after migrating it) and no production flag."""
    upgrade_database(engine)
    flag = synthetic_flag(engine)
    return flag == "true" or (flag is None and not tables_with_rows(engine))


if __name__ == "__main__":
    sys.exit(main())
