"""``make bench``: every benchmark of bench/, one after the other, each in its own process.

``bench.run`` (the foundation's targets) and the area benchmarks that record themselves append
their sections to bench/RESULTS.md; for the analytics benchmarks that only print (DEA, Erlang C,
Huff and siting, the 1M-row import, the 5M-row transaction import ``bench_import_transactions``,
the 1M-row account extract to derived figures ``bench_account_extract``)
this runner appends what they printed, under a dated
heading. ``bench_servers`` (two app servers on one PostgreSQL database, 20 browser sessions for
10 minutes; it records itself) runs with its defaults and takes about 20 minutes with its demo
build and start-up. ``bench_spopt`` is left out: it needs spopt in a throwaway virtual
environment (see its docstring). Usage: ``python -m bench.all [--skip name,name]`` (e.g.
``--skip bench_servers`` for the short benchmarks only); exit code 1 if any failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys

from config.settings import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "bench" / "RESULTS.md"
NOT_HERE = ("bench_spopt",)


def modules() -> list[str]:
    """Every benchmark module: bench.run first, then bench_*.py by name."""
    found = sorted(path.stem for path in (PROJECT_ROOT / "bench").glob("bench_*.py"))
    return ["run", *(name for name in found if name not in NOT_HERE)]


def records_itself(name: str) -> bool:
    """Whether the module writes to RESULTS.md itself (it names the file)."""
    return "RESULTS" in (PROJECT_ROOT / "bench" / f"{name}.py").read_text(encoding="utf-8")


def run_one(name: str) -> bool:
    """Run ``bench.<name>``; append its output to RESULTS.md unless it records itself."""
    print(f"\n=== bench.{name} ===", flush=True)
    process = subprocess.run(
        [sys.executable, "-m", f"bench.{name}"], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True
    )
    print(process.stdout, flush=True)
    if process.returncode == 0 and not records_itself(name):
        with RESULTS.open("a", encoding="utf-8") as results:
            results.write(
                f"\n## {dt.date.today().isoformat()} — `python -m bench.{name}`\n\n{process.stdout.strip()}\n"
            )
    return process.returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip", default="", help="comma-separated module names to leave out")
    args = parser.parse_args(argv)
    skipped = set(filter(None, args.skip.split(",")))
    failed = [name for name in modules() if name not in skipped and not run_one(name)]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
