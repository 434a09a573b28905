"""Import batches: stage (validate every row, keep a staged batch), confirm, delete.

- :func:`stage` reads the file in chunks and validates each row. If anything is wrong, the
  transaction is rolled back — the database is exactly as before — and the errors come back
  for the row-level report. Otherwise a batch with status ``staged`` holds the converted rows
  in the target's typed staging table (``staging_<table>``, see ``data.schema``) for preview.
- :func:`confirm` moves a staged batch's rows into the target table (each row tagged with
  the batch id) with one ``INSERT ... SELECT``, in one transaction.
- :func:`delete` removes a staged batch's staging rows, or a confirmed batch's rows from the
  target table, in one transaction; the batch stays in the history as ``deleted``.

Keys must be new, unless the batch **restates** (``stage(..., restate=True)``): a correction of
rows loaded earlier. Its rows with a key already in the table replace those rows when it is
confirmed (updated in place, ids kept) and the replaced rows are kept, so that deleting the
restating batch puts them back (see :mod:`data.importer.corrections`). A batch whose rows a
later confirmed batch replaced cannot be deleted before that batch.

Re-importing a file whose SHA-256 matches a staged or confirmed batch is refused. Every
outcome is written to the audit log. Confirming a batch, or deleting a confirmed one, gives the
data a new ``data_version`` so that the app's caches recompute.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Date, DateTime, Integer, and_, func, insert, select, text, update
from sqlalchemy import delete as sql_delete
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from data import kpi_rollup
from data.auth import write_audit
from data.bulk import REBUILD_INDEXES_ROWS, bulk_insert, without_secondary_indexes_and_foreign_keys
from data.db import bump_data_version
from data.importer import corrections
from data.importer.limits import DEMO_ID_HASH_KEY, MIN_ID_HASH_KEY_CHARS, configured_id_hash_key, key_scheme
from data.importer.org_units import finish_org_units
from data.importer.reading import ImportFileError, read_chunks
from data.importer.spec import KINDS, ImportKind
from data.importer.validation import MAX_REPORTED_ERRORS, RowError, finish_validation, load_context, validate_chunk
from data.schema import STAGING_TABLES, AppUser, DatasetInfo, ImportBatch


class BatchError(Exception):
    """A batch cannot be confirmed or deleted in its state (``key`` names the message)."""

    def __init__(self, key: str, **params):
        super().__init__(key, params)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class StageResult:
    """Outcome of staging a file: a batch id, or the errors that stopped it."""

    batch_id: int | None
    rows: int
    errors: list[RowError]
    error_count: int
    file_error: ImportFileError | None = None
    headers: dict[str, str] = field(default_factory=dict)  # column name → its header in the file
    kind: str = ""  # the import kind's name
    restates: bool = False  # staged as a correction of rows loaded earlier
    restated: int = 0  # rows of a restating batch whose key is already in the table (they replace those rows)

    @property
    def ok(self) -> bool:
        return self.batch_id is not None

    def column_label(self, column: str) -> str:
        """A column as the file named it (``网点代码`` when the file used Chinese headers)."""
        return self.headers.get(column, column)


def _staging_frame(batch_id: int, frame: pd.DataFrame, staging) -> pd.DataFrame:
    """The validated rows as staging-table rows of this batch, in the dtypes that load fastest:
    columns without any value are left out (they stay NULL), ids as integers and dates as
    datetime64 instead of Python objects (the bulk loader then converts whole columns at once)."""
    columns = {"batch_id": np.full(len(frame), batch_id, dtype=np.int64)}
    for name in frame.columns:
        if name not in staging.c:
            continue
        values = frame[name]
        missing = values.isna()
        if missing.all():
            continue
        if values.dtype == object:
            values = _typed(values, staging.c[name].type, missing)
        columns[name] = values
    return pd.DataFrame(columns, index=frame.index)


def _typed(values: pd.Series, column_type, missing: pd.Series) -> pd.Series:
    """An object column as integers (nullable where values are missing) or datetime64 when the
    staging column is an integer or a date and its values are; otherwise unchanged."""
    first = values[~missing].iloc[0]
    try:
        if isinstance(column_type, Integer) and isinstance(first, (int, np.integer)):
            return values.astype(np.int64) if not missing.any() else pd.to_numeric(values).astype("Int64")
        if isinstance(column_type, Date) and not isinstance(column_type, DateTime) and type(first) is dt.date:
            codes, distinct = pd.factorize(values)  # few distinct dates: convert each once
            days = np.asarray([*distinct, None], dtype="datetime64[D]")  # the last slot answers code -1 (none)
            return pd.Series(days[codes], index=values.index)
    except (TypeError, ValueError):  # mixed values: the bulk loader converts them one by one
        pass
    return values


def _repeated_keys(connection: Connection, kind: ImportKind, staging, batch_id: int) -> tuple[list[RowError], int]:
    """Rows whose key (all parts present) repeats an earlier row of the same file: one error on
    every repeat, naming the first line with that key (the first ``MAX_REPORTED_ERRORS``), and
    how many there are. Found with one GROUP BY over the staged rows, so memory does not grow
    with the file."""
    keys = [staging.c[name] for name in kind.key]
    firsts = (
        select(*keys, func.min(staging.c.row_number).label("first_row"))
        .where(staging.c.batch_id == batch_id, *(key.is_not(None) for key in keys))
        .group_by(*keys)
        .having(func.count() > 1)
        .subquery()
    )
    repeats = (
        select(staging.c.row_number, firsts.c.first_row)
        .join(firsts, and_(*(key == firsts.c[key.name] for key in keys)))
        .where(staging.c.batch_id == batch_id, staging.c.row_number > firsts.c.first_row)
    )
    rows = connection.execute(repeats.order_by(staging.c.row_number).limit(MAX_REPORTED_ERRORS)).all()
    total = len(rows)
    if total == MAX_REPORTED_ERRORS:
        total = connection.execute(select(func.count()).select_from(repeats.subquery())).scalar_one()
    return [RowError(row, "", "import_duplicate_in_file", {"first_row": first}) for row, first in rows], total


def _already_in_database(
    connection: Connection, kind: ImportKind, staging, batch_id: int
) -> tuple[list[RowError], int]:
    """Rows whose key is already in the table (an import never overwrites data unless it
    restates): one error per line (the first ``MAX_REPORTED_ERRORS``) and how many there are."""
    lines, total = corrections.existing_keys(connection, kind, staging, batch_id)
    return [RowError(line, "", "import_already_in_database", {}) for line in lines], total


def file_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def stage(
    engine: Engine,
    kind_name: str,
    content: bytes,
    file_name: str,
    username: str,
    progress: Callable[[int], None] | None = None,
    trusted: bool = False,
    restate: bool = False,
) -> StageResult:
    """Validate a file and keep it as a staged batch; on any error change nothing.

    ``progress`` is called with the number of rows read so far after each chunk. ``restate``:
    the file corrects rows loaded earlier, so keys already in the table are allowed (counted in
    ``StageResult.restated``; confirming replaces those rows). Raises :class:`BatchError` when
    ``username`` may not import (see :func:`_require_importer`).
    """
    kind = _kind(kind_name)
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            _require_importer(connection, username, trusted)
            result = stage_in_transaction(
                connection, kind.name, content, file_name, username, progress, restate=restate
            )
        except BaseException:
            transaction.rollback()
            raise
        if result.ok:
            transaction.commit()
            return result
        transaction.rollback()
    detail = {"kind": kind.name, "file": file_name}
    if result.file_error is not None:
        _audit(engine, username, "import_refused", False, detail | {"error": result.file_error.key})
    else:
        _audit(engine, username, "import_rejected", False, detail | {"errors": result.error_count})
    return result


def _kind(kind_name: str) -> ImportKind:
    kind = KINDS.get(kind_name)
    if kind is None:
        raise ValueError(f"unknown import kind {kind_name!r}; known: {', '.join(KINDS)}")
    return kind


def _hashes_id_numbers(kind: ImportKind) -> bool:
    return any(column.transform == "hmac_sha256" for column in kind.columns)


def _is_demo_database(connection: Connection) -> bool:
    synthetic = connection.execute(select(DatasetInfo.value).where(DatasetInfo.key == "synthetic")).scalar()
    return synthetic == "true"


def id_hash_key_for(connection: Connection, kind: ImportKind, given: str | None = None) -> str | None:
    """The key of the ID-number hash for a kind that hashes ID numbers (``None`` for the others):
    ``given``, else the configured key (see :mod:`data.importer.limits`), else the published demo
    key, on the demo database only. Anywhere else the import is refused until a key is set."""
    if not _hashes_id_numbers(kind):
        return None
    key = given or configured_id_hash_key()
    if key:
        if len(key) < MIN_ID_HASH_KEY_CHARS:
            raise ImportFileError("import_id_hash_key_too_short", minimum=MIN_ID_HASH_KEY_CHARS)
        return key
    if _is_demo_database(connection):
        return DEMO_ID_HASH_KEY
    raise ImportFileError("import_no_id_hash_key")


def stage_in_transaction(
    connection: Connection,
    kind_name: str,
    content: bytes,
    file_name: str,
    username: str,
    progress: Callable[[int], None] | None = None,
    id_hash_key: str | None = None,
    restate: bool = False,
) -> StageResult:
    """The work of :func:`stage` inside the caller's transaction, which the caller must roll
    back when the result is not ``ok`` (rows may have been written before an error was found).
    Used as is by the demo generator, which loads everything in one transaction (and passes
    the demo's ``id_hash_key``), and by the folder loader."""
    kind = _kind(kind_name)
    digest = file_digest(content)
    headers: dict[str, str] = {}
    try:
        if restate and kind.finish is not None:
            raise ImportFileError("import_restate_not_for_kind")
        key = id_hash_key_for(connection, kind, id_hash_key)
        previous = connection.execute(
            select(ImportBatch.id).where(
                ImportBatch.file_sha256 == digest, ImportBatch.status.in_(("staged", "confirmed"))
            )
        ).scalar()
        if previous is not None:
            raise ImportFileError("import_same_file_again", batch=previous)
        batch_id = connection.execute(
            insert(ImportBatch)
            .values(
                kind=kind.name,
                file_name=file_name[:255],
                file_sha256=digest,
                uploaded_by=username,
                uploaded_at=dt.datetime.now(),
                status="staged",
                row_count=0,
                error_count=0,
                restates=restate,
            )
            .returning(ImportBatch.id)
        ).scalar_one()
        context = load_context(connection, kind, key)
        staging = STAGING_TABLES[kind.table.name]
        errors: list = []
        rows = 0
        for chunk in read_chunks(content, kind, headers):
            frame, chunk_errors = validate_chunk(connection, kind, chunk, context)
            if key is not None:  # which key each hash was made with (data/migrations 0011)
                frame["id_hash_scheme"] = key_scheme(key)
            errors.extend(chunk_errors)
            rows += len(frame)
            # The valid rows are staged even when others were refused (the caller then rolls
            # back), so that keys repeated anywhere in the file are found by the database, in
            # bounded memory; refused rows may hold values that do not fit the typed columns.
            refused = {error.row for error in chunk_errors if error is not None}
            valid = frame[~frame["row_number"].isin(refused)] if refused else frame
            bulk_insert(connection, staging, _staging_frame(batch_id, valid, staging))
            if progress:
                progress(rows)
        errors.extend(finish_validation(kind, context))
        if connection.dialect.name == "postgresql" and rows >= ANALYZE_ROWS:
            # Planner statistics for the staged rows before the checks over them: without them one
            # run nested loops over a million staged rows for minutes (bench/RESULTS.md).
            connection.execute(text(f'ANALYZE "{staging.name}"'))  # our own table name, not user input
        error_count = len(errors)
        for found, count in (
            _repeated_keys(connection, kind, staging, batch_id),
            ([], 0) if restate else _already_in_database(connection, kind, staging, batch_id),
        ):
            errors.extend(found)
            error_count += count
    except ImportFileError as error:
        return StageResult(None, 0, [], 0, error, headers, kind.name)
    if error_count:
        reported = sorted((e for e in errors if e is not None), key=lambda e: (e.row, e.column))
        return StageResult(None, rows, reported, error_count, headers=headers, kind=kind.name)
    restated = corrections.existing_count(connection, kind, staging, batch_id) if restate else 0
    connection.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(row_count=rows))
    detail = {"batch": batch_id, "kind": kind.name, "rows": rows} | ({"restated": restated} if restate else {})
    write_audit(connection, username, "import_staged", True, detail)
    return StageResult(batch_id, rows, [], 0, headers=headers, kind=kind.name, restates=restate, restated=restated)


def _audit(engine: Engine, username: str, action: str, success: bool, detail: dict) -> None:
    with engine.begin() as connection:
        write_audit(connection, username, action, success, detail)


IMPORT_ROLES = ("data_steward", "admin")
ANALYZE_ROWS = 10_000  # on PostgreSQL a confirmed batch this large refreshes its table's statistics


def _require_importer(connection: Connection, username: str, trusted: bool) -> None:
    """Only an active data steward or admin may import, whatever page or script asks.

    ``trusted`` is for the command line and the benchmarks, which run with the database's own
    credentials on the server and name the uploader freely.
    """
    if trusted:
        return
    role = connection.execute(
        select(AppUser.role).where(AppUser.username == username, AppUser.is_active.is_(True))
    ).scalar()
    if role not in IMPORT_ROLES:
        raise BatchError("import_not_allowed", user=username)


def _batch(connection: Connection, batch_id: int, lock: bool = True):
    """The batch's row (id, kind, status, ...), locked for the transaction where the backend can."""
    table = ImportBatch.__table__
    statement = select(table).where(table.c.id == batch_id)
    row = connection.execute(statement.with_for_update() if lock else statement).first()
    if row is None:
        raise BatchError("import_no_such_batch", batch=batch_id)
    return row


def _kind_of(batch) -> ImportKind:
    return KINDS[batch.kind]


def confirm(engine: Engine, batch_id: int, username: str, trusted: bool = False) -> int:
    """Move a staged batch into its table in one transaction; returns the rows added."""
    with engine.begin() as connection:
        _require_importer(connection, username, trusted)
        was_current = kpi_rollup.is_current(connection)
        added = confirm_in_transaction(connection, batch_id, username)
        kpi_rollup.after_import(connection, batch_id, was_current)
        return added


def _rebuild_indexes(connection: Connection, table, added: int) -> bool:
    """A large batch (at least ``REBUILD_INDEXES_ROWS`` rows and at least as many as the table
    holds) goes in faster with the secondary indexes (PostgreSQL: and foreign keys) rebuilt once
    after the INSERT than maintained row by row; for a small batch into a big table the rebuild
    over all rows would cost more."""
    if added < REBUILD_INDEXES_ROWS:
        return False
    return connection.execute(select(func.count()).select_from(table)).scalar_one() <= added


@contextmanager
def _without_secondary_indexes(connection: Connection, table):
    """The table's secondary indexes dropped for the block and created again after it
    (PostgreSQL: foreign keys too, see ``data.bulk``; SQLite cannot suspend foreign keys inside a
    transaction, nor drop the indexes of unique constraints). Inside the caller's transaction,
    so a failure restores them."""
    if connection.dialect.name == "postgresql":
        with without_secondary_indexes_and_foreign_keys(connection, table):
            yield
        return
    indexes = connection.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :table AND sql IS NOT NULL"),
        {"table": table.name},
    ).all()
    for name, _ in indexes:
        connection.execute(text(f'DROP INDEX "{name}"'))  # names from the catalogue of our own schema
    yield
    for _, definition in indexes:
        connection.execute(text(definition))


def confirm_in_transaction(connection: Connection, batch_id: int, username: str) -> int:
    """The work of :func:`confirm` inside the caller's transaction. Rows of the table that the
    kind's ``replaceable`` rule covers and that the batch brings again are deleted first; a
    restating batch then replaces the rows whose key it brings (see
    :func:`data.importer.corrections.restate_rows`) and adds the others. Returns the rows the
    batch wrote (added and restated)."""
    batch = _batch(connection, batch_id)
    if batch.status != "staged":
        raise BatchError("import_not_staged", batch=batch_id, status=batch.status)
    kind = _kind_of(batch)
    table = kind.table
    staging = STAGING_TABLES[table.name]
    columns = [c.name for c in staging.columns if c.name in table.c]
    rows = select(*(staging.c[c] for c in columns), staging.c.batch_id).where(staging.c.batch_id == batch_id)
    staged = connection.execute(select(func.count()).select_from(staging).where(staging.c.batch_id == batch_id))
    staged = staged.scalar_one()
    corrections.delete_replaceable(connection, kind, staging, batch_id)
    restated = 0
    if batch.restates:
        restated = corrections.restate_rows(connection, kind, staging, batch_id)
        if restated:
            rows = rows.where(corrections.new_rows_only(kind, table, staging))
    statement = insert(table).from_select([*columns, "import_batch_id"], rows.order_by(staging.c.row_number))
    if not restated and _rebuild_indexes(connection, table, staged):
        with _without_secondary_indexes(connection, table):
            connection.execute(statement)
    else:
        connection.execute(statement)
    if kind.finish == "org_units":
        finish_org_units(connection, batch_id, staging)
    if kind.after_confirm is not None:
        kind.after_confirm(connection, batch_id)
    connection.execute(sql_delete(staging).where(staging.c.batch_id == batch_id))
    connection.execute(
        update(ImportBatch).where(ImportBatch.id == batch_id).values(status="confirmed", confirmed_at=dt.datetime.now())
    )
    if connection.dialect.name == "postgresql" and staged >= ANALYZE_ROWS:  # planner statistics for the new rows
        connection.execute(text(f'ANALYZE "{table.name}"'))  # our own table name, not user input
    bump_data_version(connection, f"confirmed-{batch_id}")
    detail = {"batch": batch_id, "rows": staged} | ({"restated": restated} if batch.restates else {})
    write_audit(connection, username, "import_confirmed", True, detail)
    return staged


def delete(engine: Engine, batch_id: int, username: str, trusted: bool = False) -> int:
    """Remove a staged or confirmed batch's rows in one transaction; returns the rows removed
    (for a restating batch: the rows it added, plus those it restated, which get their earlier
    values back). Refused while a later confirmed batch restates rows of this one."""
    with engine.begin() as connection:
        _require_importer(connection, username, trusted)
        batch = _batch(connection, batch_id)
        kind = _kind_of(batch)
        table = kind.table
        restored = 0
        if batch.status == "staged":
            staging = STAGING_TABLES[table.name]
            removed = connection.execute(sql_delete(staging).where(staging.c.batch_id == batch_id)).rowcount
        elif batch.status == "confirmed":
            later = corrections.later_restatements(connection, batch_id)
            if later:
                raise BatchError("import_superseded_delete_later_first", batch=batch_id, later=_batch_list(later))
            if kind.before_delete is not None:
                kind.before_delete(connection, batch_id)
            if batch.restates:
                restored = corrections.restore_rows(connection, kind, batch_id)
            try:
                removed = connection.execute(sql_delete(table).where(table.c.import_batch_id == batch_id)).rowcount
            except IntegrityError as error:  # other data refers to these rows; the transaction rolls back
                raise BatchError("import_batch_in_use", batch=batch_id) from error
            removed += restored
            if kind.after_delete is not None:
                kind.after_delete(connection, batch_id)
        else:
            raise BatchError("import_not_deletable", batch=batch_id, status=batch.status)
        connection.execute(
            update(ImportBatch).where(ImportBatch.id == batch_id).values(status="deleted", deleted_at=dt.datetime.now())
        )
        if batch.status == "confirmed":
            was_current = kpi_rollup.is_current(connection)
            bump_data_version(connection, f"deleted-{batch_id}")
            kpi_rollup.after_import(connection, batch_id, was_current)
        detail = {"batch": batch_id, "rows": removed} | ({"restored": restored} if batch.restates else {})
        write_audit(connection, username, "import_deleted", True, detail)
    return removed


def _batch_list(batch_ids: list[int]) -> str:
    return ", ".join(str(b) for b in batch_ids)


def preview(engine: Engine, batch_id: int, limit: int = 50) -> pd.DataFrame:
    """The first rows of a staged batch, as they will be stored (ids, not codes)."""
    with engine.connect() as connection:
        batch = _batch(connection, batch_id, lock=False)
        staging = STAGING_TABLES[_kind_of(batch).table.name]
        rows = connection.execute(
            select(staging).where(staging.c.batch_id == batch_id).order_by(staging.c.row_number).limit(int(limit))
        ).all()
    columns = [c.name for c in staging.columns]
    return pd.DataFrame(rows, columns=columns).drop(columns="batch_id")


HISTORY_COLUMNS = [
    "id",
    "kind",
    "file_name",
    "uploaded_by",
    "uploaded_at",
    "status",
    "rows",
    "confirmed_at",
    "deleted_at",
    "restating",
    "restates",
    "superseded_by",
]


def history(engine: Engine, limit: int = 200) -> pd.DataFrame:
    """The latest batches: who, when, file, kind, rows, status; ``restating`` (the batch was
    staged as a correction), ``restates`` (the batches whose rows it replaced, e.g. "3, 5") and
    ``superseded_by`` (the confirmed batches that replaced rows of it), empty where none."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                ImportBatch.id,
                ImportBatch.kind,
                ImportBatch.file_name,
                ImportBatch.uploaded_by,
                ImportBatch.uploaded_at,
                ImportBatch.status,
                ImportBatch.row_count,
                ImportBatch.confirmed_at,
                ImportBatch.deleted_at,
                ImportBatch.restates,
            )
            .order_by(ImportBatch.id.desc())
            .limit(int(limit))
        ).all()
        links = corrections.restatement_links(connection, [row.id for row in rows])
    restates: dict[int, list[int]] = {}
    superseded_by: dict[int, list[int]] = {}
    for newer, older in links:
        restates.setdefault(newer, []).append(older)
        superseded_by.setdefault(older, []).append(newer)
    frame = pd.DataFrame(rows, columns=HISTORY_COLUMNS[:10])
    frame["restating"] = frame["restating"].fillna(False).astype(bool)
    frame["restates"] = [_batch_list(restates.get(int(b), [])) for b in frame["id"]]
    frame["superseded_by"] = [_batch_list(superseded_by.get(int(b), [])) for b in frame["id"]]
    return frame
