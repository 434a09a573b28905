"""The drop folder: load each delivery of the nightly extracts as it becomes ready.

    python -m data.importer watch DIR [--interval SECONDS] [--once] [--complete] ...

The bank's nightly job copies one sub-folder per delivery into ``DIR`` (``DIR/2026-11-30/`` with
its files and optionally a ``manifest.csv``, see :mod:`data.importer.folder`) and, when the copy
is finished, writes an empty marker file ``READY`` into that sub-folder. A sub-folder without
``READY`` is never touched: it may still be half-copied.

Each ready sub-folder is first claimed by renaming it to ``DIR/loading/<name>/`` (one rename on
one file system, so two watchers never load the same delivery), its ``READY`` marker is
removed, and it is loaded with :func:`data.importer.folder.load_folder` in one transaction, all
or nothing (``complete``: every account extract of it is then marked complete, as
``load DIR --confirm --complete`` does). It then moves to ``DIR/done/<name>/`` or
``DIR/failed/<name>/`` (``<name>-2``, ``<name>-3``, ... when that name is already there) with a
``result.txt`` holding the loader's messages. A failure also writes an audit line
(:data:`FAILED_ACTION`, detail ``{"folder", "moved_to", "errors"}`` with the first
:data:`AUDITED_ERRORS` messages) that the import page shows the stewards for 7 days. To retry a
failed delivery, fix its files and move it back into ``DIR`` with a new ``READY``.

No Streamlit here: the command line (:mod:`data.importer.__main__`) drives it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine

from config.import_texts import import_message
from data.accounts import mark_complete
from data.auth import write_audit
from data.import_watch_log import FAILED_ACTION
from data.importer.folder import FolderError, LoadedFile, load_folder, plan_folder
from data.importer.pipeline import BatchError, StageResult
from data.importer.spec import ACCOUNT_KINDS

READY_MARKER = "READY"
LOADING, DONE, FAILED = "loading", "done", "failed"
RESULT_FILE = "result.txt"
AUDITED_ERRORS = 5  # messages kept in the audit line's detail
REPORTED_ROW_ERRORS = 50  # row errors of a refused file written to result.txt
ACCOUNT_KIND_NAMES = tuple(kind.name for kind in ACCOUNT_KINDS)

log = logging.getLogger(__name__)


@dataclass
class DropOutcome:
    """What became of one delivery: ``ok`` (loaded and, with ``complete``, marked), where it
    was moved, the messages written to its ``result.txt`` and the errors among them."""

    name: str
    ok: bool
    moved_to: Path
    messages: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def ready_folders(drop: Path) -> list[Path]:
    """The sub-folders of ``drop`` holding the ``READY`` marker, by name (``done``, ``failed``,
    ``loading`` and hidden folders excluded)."""
    return sorted(
        (
            path
            for path in Path(drop).iterdir()
            if path.is_dir()
            and path.name not in (LOADING, DONE, FAILED)
            and not path.name.startswith(".")
            and (path / READY_MARKER).is_file()
        ),
        key=lambda path: path.name,
    )


def _free_destination(parent: Path, name: str) -> Path:
    """``parent/name``, or ``parent/name-2``, ``-3``, ... when that is taken."""
    parent.mkdir(parents=True, exist_ok=True)
    candidate, number = parent / name, 1
    while candidate.exists():
        number += 1
        candidate = parent / f"{name}-{number}"
    return candidate


def _refusal_lines(result: StageResult, file_name: str, lang: str) -> list[str]:
    """A refused file's problem, or its first row errors, one message each (as the CLI prints)."""
    if result.file_error is not None:
        error = result.file_error
        return [f"{file_name}: {import_message(error.key, lang, **error.params)}"]
    lines = []
    for error in result.errors[:REPORTED_ROW_ERRORS]:
        column = f" [{result.column_label(error.column)}]" if error.column else ""
        lines.append(
            f"{file_name}:{error.row}{column} {error.value!r}: {import_message(error.key, lang, **error.params)}"
        )
    lines.append(
        import_message("import_folder_file_errors", lang, file=file_name, errors=result.error_count, rows=result.rows)
    )
    return lines


def _load(engine: Engine, folder: Path, username: str, complete: bool, lang: str, outcome: DropOutcome) -> None:
    """Load ``folder`` and fill ``outcome.messages`` / ``outcome.errors``; ``outcome.ok`` False
    on any error."""
    say, fail = outcome.messages.append, outcome.errors.append
    try:
        files = plan_folder(folder)
    except FolderError as error:
        for key, params in error.problems:
            fail(import_message(key, lang, **params))
        fail(import_message("import_folder_refused_nothing_loaded", lang))
        return
    say(import_message("import_folder_plan", lang, count=len(files)))

    done: list[LoadedFile] = []

    def progress(loaded: LoadedFile) -> None:
        done.append(loaded)
        index = len(done)
        say(
            import_message(
                "import_folder_file_done",
                lang,
                index=index,
                total=len(files),
                file=loaded.file.name,
                kind=loaded.file.kind,
                rows=f"{loaded.rows:,}",
                seconds=f"{loaded.seconds:.1f}",
            )
        )

    try:
        result = load_folder(engine, files, username, confirm=True, trusted=True, on_file=progress)
    except BatchError as error:
        fail(import_message(error.key, lang, **error.params))
        return
    if not result.ok:
        for line in _refusal_lines(result.refusal, result.refused.name, lang):
            fail(line)
        fail(import_message("import_folder_file_refused", lang, file=result.refused.name, kind=result.refused.kind))
        return
    say(
        import_message(
            "import_folder_loaded", lang, count=len(files), rows=f"{result.rows:,}", seconds=f"{result.seconds:.1f}"
        )
    )
    outcome.ok = True
    if complete:
        for loaded in result.loaded:
            if loaded.file.kind not in ACCOUNT_KIND_NAMES:
                continue
            try:
                pairs = mark_complete(engine, loaded.batch_id, username, trusted=True)
            except BatchError as error:
                fail(f"{loaded.file.name}: {import_message(error.key, lang, **error.params)}")
                outcome.ok = False
                continue
            say(import_message("import_cli_marked_complete", lang, batch=loaded.batch_id, pairs=pairs))


def _audit_failure(engine: Engine, username: str, outcome: DropOutcome) -> None:
    """The audit line the import page shows: folder, where it went, the first errors."""
    detail = {
        "folder": outcome.name,
        "moved_to": outcome.moved_to.parent.name,
        "errors": outcome.errors[:AUDITED_ERRORS],
    }
    with engine.begin() as connection:
        write_audit(connection, username, FAILED_ACTION, False, detail)


def process_folder(
    engine: Engine, folder: Path, username: str, complete: bool = False, lang: str = "en"
) -> DropOutcome:
    """Claim, load and move one ready delivery ``folder`` (a sub-folder of the drop folder);
    see the module docstring. An unexpected error (the database gone mid-load) fails the
    delivery too: the transaction is rolled back, nothing of it is in the database."""
    drop = folder.parent
    claimed = _free_destination(drop / LOADING, folder.name)
    folder.rename(claimed)
    (claimed / READY_MARKER).unlink(missing_ok=True)
    outcome = DropOutcome(folder.name, ok=False, moved_to=claimed)
    try:
        _load(engine, claimed, username, complete, lang, outcome)
    except Exception as error:  # noqa: BLE001 - any error fails the delivery, recorded below
        outcome.ok = False
        outcome.errors.append(
            import_message("import_watch_unexpected_error", lang, error=f"{type(error).__name__}: {error}")
        )
    outcome.moved_to = _free_destination(drop / (DONE if outcome.ok else FAILED), folder.name)
    claimed.rename(outcome.moved_to)
    key = "import_watch_folder_done" if outcome.ok else "import_watch_folder_failed"
    outcome.messages.append(import_message(key, lang, folder=folder.name, destination=str(outcome.moved_to)))
    lines = [*outcome.messages[:-1], *outcome.errors, outcome.messages[-1]]
    (outcome.moved_to / RESULT_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    if outcome.ok:
        log.info("delivery %s loaded, moved to %s", folder.name, outcome.moved_to)
    else:
        log.error(
            "delivery %s failed, moved to %s: %s",
            folder.name,
            outcome.moved_to,
            " | ".join(outcome.errors[:AUDITED_ERRORS]),
            extra={"delivery": folder.name, "errors": outcome.errors[:AUDITED_ERRORS]},
        )
        try:
            _audit_failure(engine, username, outcome)
        except Exception as error:  # noqa: BLE001 - the database may be what failed
            outcome.errors.append(
                import_message("import_watch_audit_failed", lang, error=f"{type(error).__name__}: {error}")
            )
    return outcome


def run_once(
    engine: Engine,
    drop: Path,
    username: str,
    complete: bool = False,
    lang: str = "en",
    stop: threading.Event | None = None,
    on_outcome: Callable[[DropOutcome], None] | None = None,
) -> list[DropOutcome]:
    """Process every delivery of ``drop`` that is ready now, in name order; stops between
    deliveries when ``stop`` is set. ``on_outcome`` is called after each one."""
    outcomes = []
    for folder in ready_folders(drop):
        if stop is not None and stop.is_set():
            break
        outcome = process_folder(engine, folder, username, complete, lang)
        outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)
    return outcomes


def watch(
    engine: Engine,
    drop: Path,
    username: str,
    interval_s: float,
    stop: threading.Event,
    complete: bool = False,
    lang: str = "en",
    on_outcome: Callable[[DropOutcome], None] | None = None,
    usable: Callable[[], bool] | None = None,
) -> int:
    """Poll ``drop`` every ``interval_s`` seconds until ``stop`` is set; returns the number of
    deliveries that failed. ``usable()`` (the database answers and is migrated) is asked
    before each poll; a poll it refuses is skipped, the deliveries wait for the next one."""
    failed = 0
    while not stop.is_set():
        if usable is None or usable():
            outcomes = run_once(engine, drop, username, complete, lang, stop, on_outcome)
            failed += sum(1 for outcome in outcomes if not outcome.ok)
        stop.wait(interval_s)
    return failed
