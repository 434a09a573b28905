"""Command line for scheduled loads.

    python -m data.importer KIND FILE [--confirm] [--database-url URL] [--user NAME] [--lang zh|en]
    python -m data.importer delete BATCH_ID [--database-url URL] [--user NAME]

Exit codes: 0 done; 1 the file or a row was refused (nothing changed; errors on stderr);
2 bad arguments or the database does not answer.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from config.import_texts import import_message
from config.settings import load_settings
from data.db import DatabaseState, database_state, make_engine
from data.importer.pipeline import BatchError, confirm, delete, stage
from data.importer.spec import KINDS

MAX_PRINTED_ERRORS = 50


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m data.importer", description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", help=f"one of: {', '.join(KINDS)}, or 'delete'")
    parser.add_argument("target", help="the file to import, or the batch id to delete")
    parser.add_argument("--confirm", action="store_true", help="confirm the batch right after staging it")
    parser.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: DATABASE_URL or settings)")
    parser.add_argument("--user", default="cli", help="name recorded as the uploader and in the audit log")
    parser.add_argument("--lang", choices=("zh", "en"), default="en", help="language of the messages")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.kind != "delete" and args.kind not in KINDS:
        parser.error(f"unknown kind {args.kind!r}; known: {', '.join(KINDS)}")
    engine = make_engine(args.database_url or load_settings().database_url)
    if database_state(engine) in (DatabaseState.UNREACHABLE, DatabaseState.NOT_MIGRATED):
        print(
            f"error: the database at {engine.url.render_as_string(hide_password=True)} is not usable", file=sys.stderr
        )
        return 2
    if args.kind == "delete":
        if not args.target.isdigit():
            parser.error("delete needs a batch id")
        try:
            removed = delete(engine, int(args.target), args.user, trusted=True)
        except BatchError as error:
            print(f"error: {import_message(error.key, args.lang, **error.params)}", file=sys.stderr)
            return 1
        print(f"batch {args.target} deleted: {removed} rows removed")
        return 0
    path = Path(args.target)
    if not path.is_file():
        parser.error(f"no such file: {path}")
    result = stage(engine, args.kind, path.read_bytes(), path.name, args.user, trusted=True)
    if result.file_error is not None:
        error = result.file_error
        print(f"{path.name}: {import_message(error.key, args.lang, **error.params)}", file=sys.stderr)
        return 1
    if not result.ok:
        for error in result.errors[:MAX_PRINTED_ERRORS]:
            column = f" [{result.column_label(error.column)}]" if error.column else ""
            message = import_message(error.key, args.lang, **error.params)
            print(f"{path.name}:{error.row}{column} {error.value!r}: {message}", file=sys.stderr)
        print(f"{path.name}: {result.error_count} errors in {result.rows} rows; nothing imported", file=sys.stderr)
        return 1
    print(f"batch {result.batch_id} staged: {args.kind}, {result.rows} rows from {path.name}")
    if args.confirm:
        added = confirm(engine, result.batch_id, args.user, trusted=True)
        print(f"batch {result.batch_id} confirmed: {added} rows added")
    return 0


if __name__ == "__main__":
    sys.exit(main())
