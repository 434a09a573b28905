"""What the page benchmarks share: where results go, timing, the demo network's facts, and the
command line (build a scaled demo in a throw-away PostgreSQL schema or use ``--database-url``,
print the markdown, append it to bench/RESULTS.md unless ``--no-append``)."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from sqlalchemy import func, select

from bench.run import PostgresSchema
from config.settings import PROJECT_ROOT
from data.db import make_engine
from data.schema import OrgUnit
from data.scope import region_root, scope_for

RESULTS = PROJECT_ROOT / "bench" / "RESULTS.md"


def timed(function: Callable[[], object]) -> tuple[float, object]:
    """Seconds (wall clock) one call of ``function`` took, and what it returned."""
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def median_seconds(function: Callable[[], object], repeats: int) -> float:
    """Median seconds (wall clock) of ``repeats`` calls of ``function``."""
    return statistics.median(timed(function)[0] for _ in range(repeats))


def executive_view(connection):
    """The region's id, the executive's scope and the number of open outlets of the network."""
    region_id, _ = region_root(connection)
    scope = scope_for(connection, "bench", "executive", None)
    outlets = connection.execute(
        select(func.count()).select_from(OrgUnit).where(OrgUnit.level == "outlet", OrgUnit.status == "open")
    ).scalar()
    return region_id, scope, outlets


def main_on_demo(doc: str, run: Callable[[str, int], list[str]], default_scale: float, argv: list[str] | None) -> int:
    """The benchmarks' command line: ``[--scale S] [--database-url URL] [--repeats N] [--no-append]``.

    ``run(url, repeats)`` gives the markdown lines; without ``--database-url`` it runs on a demo
    built at ``--scale`` (default ``default_scale``, outlets × 1) in a throw-away PostgreSQL schema.
    """
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--scale", type=float, default=default_scale)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args(argv)
    if args.database_url:
        lines = run(args.database_url, args.repeats)
    else:
        from data.demo import build_demo

        with PostgresSchema() as url:
            build_demo(make_engine(url), scale=args.scale, quiet=True)
            lines = run(url, args.repeats)
    print("\n".join(lines))
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as results:
            results.write("\n" + "\n".join(lines))
    return 0
