"""Command line for scheduled loads.

    python -m data.importer KIND FILE [--confirm [--complete]] [--restate] [--database-url URL] [--user NAME]
                                      [--lang zh|en]
    python -m data.importer load DIR [--confirm [--complete]] [--restate] [--database-url URL] [--user NAME]
                                     [--lang zh|en]
    python -m data.importer delete BATCH_ID [--database-url URL] [--user NAME]
    python -m data.importer mark-complete BATCH_ID [--database-url URL] [--user NAME] [--lang zh|en]
    python -m data.importer apply-due-changes [--database-url URL] [--user NAME] [--lang zh|en]
    python -m data.importer watch DIR [--interval SECONDS] [--once] [--complete] [--database-url URL]
                                      [--user NAME] [--lang zh|en]

``load DIR`` loads every file of a folder in dependency order in one transaction, all or nothing
(see :mod:`data.importer.folder`); without ``--confirm`` it only checks them (a dry run).
``--restate``: the file (every file of the folder) may restate rows loaded earlier: rows with a
key already in the database replace those rows, which are kept so that deleting the restating
batch puts them back. ``--complete`` (account extracts, with ``--confirm``): the extract holds
every account of its outlets and months, which are marked complete, so that the outlets'
deposit and loan KPIs are derived from it (see :func:`data.accounts.mark_complete`); with
``load`` every account extract of the folder is marked, each in its own transaction after the
folder is committed. ``mark-complete BATCH_ID`` marks a confirmed account extract later.
``apply-due-changes`` applies the customer changes whose effective date has come (run daily).
``watch DIR`` loads every delivery sub-folder of the drop folder ``DIR`` that holds the marker
file ``READY``, each as ``load --confirm`` does, and moves it to ``DIR/done/`` or ``DIR/failed/``
with a ``result.txt`` (see :mod:`data.importer.watch`); ``--once`` processes what is ready and
exits (for cron), otherwise it polls every ``--interval`` seconds (60) until SIGTERM or SIGINT.

Exit codes: 0 done (watch: every ready delivery loaded, or none ready); 1 the file (a file of the
folder; watch: a delivery) or a row was refused (nothing changed; errors on stderr); 2 bad
arguments or the database does not answer.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
import uuid
from pathlib import Path

from config.import_texts import import_message
from config.logging_setup import configure_logging
from config.settings import load_settings
from data.accounts import mark_complete
from data.db import DatabaseState, database_state, make_engine
from data.importer.folder import FolderError, LoadedFile, load_folder, plan_folder
from data.importer.pipeline import BatchError, StageResult, confirm, delete, stage
from data.importer.spec import ACCOUNT_KINDS, KINDS

ACCOUNT_KIND_NAMES = tuple(kind.name for kind in ACCOUNT_KINDS)

MAX_PRINTED_ERRORS = 50
BATCH_COMMANDS = ("delete", "mark-complete")  # commands whose target is a batch id

log = logging.getLogger("data.importer")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m data.importer", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "kind", help=f"one of: {', '.join(KINDS)}, or 'load' (a folder), 'delete' or 'mark-complete' (a batch)"
    )
    parser.add_argument("target", help="the file to import, the folder to load, or the batch id")
    parser.add_argument("--confirm", action="store_true", help="confirm right after staging (load: commit the folder)")
    parser.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: DATABASE_URL or settings)")
    parser.add_argument("--user", default="cli", help="name recorded as the uploader and in the audit log")
    parser.add_argument("--lang", choices=("zh", "en"), default="en", help="language of the messages")
    parser.add_argument(
        "--restate", action="store_true", help="rows whose key is already loaded replace those rows (corrections)"
    )
    parser.add_argument(
        "--complete",
        action="store_true",
        help="account extracts (load: every one of the folder): mark their outlets and months complete after "
        "confirming",
    )
    return parser


def _print_refusal(result: StageResult, file_name: str, lang: str) -> None:
    """A refused file's problem, or its row errors (at most ``MAX_PRINTED_ERRORS``), on stderr."""
    if result.file_error is not None:
        error = result.file_error
        print(f"{file_name}: {import_message(error.key, lang, **error.params)}", file=sys.stderr)
        return
    for error in result.errors[:MAX_PRINTED_ERRORS]:
        column = f" [{result.column_label(error.column)}]" if error.column else ""
        message = import_message(error.key, lang, **error.params)
        print(f"{file_name}:{error.row}{column} {error.value!r}: {message}", file=sys.stderr)


def _load(engine, folder: Path, args) -> int:
    """``load DIR``: the folder's files in dependency order, one transaction, all or nothing."""
    lang = args.lang
    try:
        files = plan_folder(folder)
    except FolderError as error:
        for key, params in error.problems:
            print(import_message(key, lang, **params), file=sys.stderr)
        print(import_message("import_folder_refused_nothing_loaded", lang), file=sys.stderr)
        return 1
    print(import_message("import_folder_plan", lang, count=len(files)), flush=True)
    done: list[LoadedFile] = []

    def progress(loaded: LoadedFile) -> None:
        index = len(done) + 1
        done.append(loaded)
        line = import_message(
            "import_folder_file_done",
            lang,
            index=index,
            total=len(files),
            file=loaded.file.name,
            kind=loaded.file.kind,
            rows=f"{loaded.rows:,}",
            seconds=f"{loaded.seconds:.1f}",
        )
        print(line, flush=True)
        if loaded.restated:
            print(f"  {import_message('import_restated_rows', lang, rows=f'{loaded.restated:,}')}", flush=True)

    try:
        outcome = load_folder(
            engine, files, args.user, confirm=args.confirm, trusted=True, on_file=progress, restate=args.restate
        )
    except BatchError as error:
        print(f"error: {import_message(error.key, lang, **error.params)}", file=sys.stderr)
        return 1
    if not outcome.ok:
        refused, result = outcome.refused, outcome.refusal
        _print_refusal(result, refused.name, lang)
        if result.file_error is None:
            print(
                import_message(
                    "import_folder_file_errors", lang, file=refused.name, errors=result.error_count, rows=result.rows
                ),
                file=sys.stderr,
            )
        print(import_message("import_folder_file_refused", lang, file=refused.name, kind=refused.kind), file=sys.stderr)
        return 1
    if outcome.committed:
        message = import_message(
            "import_folder_loaded", lang, count=len(files), rows=f"{outcome.rows:,}", seconds=f"{outcome.seconds:.1f}"
        )
    else:
        message = import_message("import_folder_all_valid", lang, count=len(files), rows=f"{outcome.rows:,}")
    print(message)
    if outcome.committed and args.complete:
        for loaded in outcome.loaded:
            if loaded.file.kind in ACCOUNT_KIND_NAMES:
                _mark_complete(engine, loaded.batch_id, args)
    return 0


def _mark_complete(engine, batch_id: int, args) -> int:
    """Mark a confirmed account extract complete; 1 (message on stderr) when it may not be."""
    try:
        pairs = mark_complete(engine, batch_id, args.user, trusted=True)
    except BatchError as error:
        print(f"error: {import_message(error.key, args.lang, **error.params)}", file=sys.stderr)
        return 1
    print(import_message("import_cli_marked_complete", args.lang, batch=batch_id, pairs=pairs), flush=True)
    return 0


def _delete(engine, target: str, args) -> int:
    try:
        removed = delete(engine, int(target), args.user, trusted=True)
    except BatchError as error:
        print(f"error: {import_message(error.key, args.lang, **error.params)}", file=sys.stderr)
        return 1
    print(f"batch {target} deleted: {removed} rows removed")
    return 0


def _import_file(engine, path: Path, args) -> int:
    """``KIND FILE``: stage one file, and confirm it with ``--confirm``."""
    result = stage(engine, args.kind, path.read_bytes(), path.name, args.user, trusted=True, restate=args.restate)
    if not result.ok:
        _print_refusal(result, path.name, args.lang)
        if result.file_error is None:
            print(f"{path.name}: {result.error_count} errors in {result.rows} rows; nothing imported", file=sys.stderr)
        return 1
    print(f"batch {result.batch_id} staged: {args.kind}, {result.rows} rows from {path.name}")
    if args.restate:
        key = "import_restated_rows" if result.restated else "import_restate_no_rows"
        print(import_message(key, args.lang, rows=result.restated))
    if args.confirm:
        added = confirm(engine, result.batch_id, args.user, trusted=True)
        print(f"batch {result.batch_id} confirmed: {added} rows added")
    if args.complete:
        return _mark_complete(engine, result.batch_id, args)
    return 0


def _watch_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m data.importer watch", description="Load the ready deliveries of a drop folder."
    )
    parser.add_argument("folder", help="the drop folder: one sub-folder per delivery, each with a READY marker")
    parser.add_argument("--interval", type=float, default=60.0, help="seconds between polls (default 60)")
    parser.add_argument("--once", action="store_true", help="process what is ready now and exit (for cron)")
    parser.add_argument(
        "--complete", action="store_true", help="mark the account extracts of each delivery complete after loading"
    )
    parser.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: DATABASE_URL or settings)")
    parser.add_argument("--user", default="drop-folder", help="name recorded as the uploader and in the audit log")
    parser.add_argument("--lang", choices=("zh", "en"), default="en", help="language of the messages")
    return parser


def _watch(argv: list[str]) -> int:
    """``watch DIR``: the drop folder (see :mod:`data.importer.watch`). Exit codes: 0 every ready
    delivery loaded (or none ready), 1 at least one failed, 2 bad arguments or the database
    is not usable."""
    import signal
    import threading

    from data.importer import watch

    parser = _watch_parser()
    args = parser.parse_args(argv)
    lang = args.lang
    drop = Path(args.folder)
    if not drop.is_dir():
        parser.error(import_message("import_watch_no_folder", lang, folder=args.folder))
    if not args.interval > 0:
        parser.error(import_message("import_watch_bad_interval", lang))
    engine = make_engine(args.database_url or load_settings().database_url)
    url = engine.url.render_as_string(hide_password=True)

    def usable() -> bool:
        if database_state(engine) in (DatabaseState.UNREACHABLE, DatabaseState.NOT_MIGRATED):
            print(import_message("import_watch_database_unusable", lang, url=url), file=sys.stderr, flush=True)
            return False
        return True

    def report(outcome: watch.DropOutcome) -> None:
        for line in outcome.messages[:-1]:
            print(line, flush=True)
        for line in outcome.errors:
            print(line, file=sys.stderr, flush=True)
        print(outcome.messages[-1], file=sys.stdout if outcome.ok else sys.stderr, flush=True)

    stop = threading.Event()
    handlers = {}
    if threading.current_thread() is threading.main_thread():
        for number in (signal.SIGTERM, signal.SIGINT):
            handlers[number] = signal.signal(number, lambda *_: stop.set())
    try:
        if not usable():
            return 2
        if args.once:
            outcomes = watch.run_once(engine, drop, args.user, args.complete, lang, stop, report)
            failed = sum(1 for outcome in outcomes if not outcome.ok)
            if outcomes:
                print(import_message("import_watch_summary", lang, loaded=len(outcomes) - failed, failed=failed))
            else:
                print(import_message("import_watch_none_ready", lang, folder=str(drop)))
            return 1 if failed else 0
        print(import_message("import_watch_started", lang, folder=str(drop), interval=f"{args.interval:g}"), flush=True)
        counts = {"loaded": 0, "failed": 0}

        def count(outcome: watch.DropOutcome) -> None:
            report(outcome)
            counts["loaded" if outcome.ok else "failed"] += 1

        watch.watch(engine, drop, args.user, args.interval, stop, args.complete, lang, count, usable)
        print(import_message("import_watch_stopped", lang, **counts))
        return 1 if counts["failed"] else 0
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    """Run the command; its outcome is also logged (``config/logging_setup.py``): INFO when it
    exits 0, ERROR otherwise, with the exit code and seconds taken."""
    argv = sys.argv[1:] if argv is None else argv
    command = f"importer {argv[0]}" if argv else "importer"
    configure_logging(load_settings(), command=command, request_id=uuid.uuid4().hex)
    started = time.perf_counter()
    code = _run(argv)
    level = logging.INFO if code == 0 else logging.ERROR
    log.log(level, "%s ended with exit code %d after %.1f s", command, code, time.perf_counter() - started)
    return code


def _run(argv: list[str]) -> int:
    if argv[:1] == ["watch"]:  # the drop folder of the nightly extracts
        return _watch(argv[1:])
    if argv[:1] == ["apply-due-changes"]:  # the daily job of customer changes dated in the future
        from data.importer.kinds.customer_changes import main as customer_changes_main

        return customer_changes_main(["apply-due", *argv[1:]])
    parser = _parser()
    args = parser.parse_args(argv)
    if args.kind not in (*BATCH_COMMANDS, "load") and args.kind not in KINDS:
        parser.error(f"unknown kind {args.kind!r}; known: {', '.join(KINDS)}")
    if args.kind in BATCH_COMMANDS and not args.target.isdigit():
        parser.error(f"{args.kind} needs a batch id")
    if args.kind == "load" and not Path(args.target).is_dir():
        parser.error(f"no such folder: {args.target}")
    if args.kind not in (*BATCH_COMMANDS, "load") and not Path(args.target).is_file():
        parser.error(f"no such file: {args.target}")
    if args.complete and (args.kind not in (*ACCOUNT_KIND_NAMES, "load") or not args.confirm):
        parser.error(
            import_message("import_cli_complete_needs_extract", args.lang, kinds=", ".join(ACCOUNT_KIND_NAMES))
        )
    engine = make_engine(args.database_url or load_settings().database_url)
    try:
        if database_state(engine) in (DatabaseState.UNREACHABLE, DatabaseState.NOT_MIGRATED):
            print(
                f"error: the database at {engine.url.render_as_string(hide_password=True)} is not usable",
                file=sys.stderr,
            )
            return 2
        if args.kind == "delete":
            return _delete(engine, args.target, args)
        if args.kind == "mark-complete":
            return _mark_complete(engine, int(args.target), args)
        if args.kind == "load":
            return _load(engine, Path(args.target), args)
        return _import_file(engine, Path(args.target), args)
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
