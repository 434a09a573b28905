"""Import batches: stage (validate every row, keep a staged batch), confirm, delete.

- :func:`stage` reads the file in chunks and validates each row. If anything is wrong, the
  transaction is rolled back — the database is exactly as before — and the errors come back
  for the row-level report. Otherwise a batch with status ``staged`` holds the converted rows
  in ``import_staging_row`` for preview.
- :func:`confirm` moves a staged batch's rows into the target table (each row tagged with
  the batch id) in one transaction.
- :func:`delete` removes a staged batch's staging rows, or a confirmed batch's rows from the
  target table, in one transaction; the batch stays in the history as ``deleted``.

Re-importing a file whose SHA-256 matches a staged or confirmed batch is refused. Every
outcome is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import delete as sql_delete
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine

from data.auth import write_audit
from data.bulk import bulk_insert
from data.importer.reading import ImportFileError, read_chunks
from data.importer.spec import KINDS, ImportKind
from data.importer.validation import RowError, load_context, validate_chunk
from data.schema import ImportBatch, ImportStagingRow

CONFIRM_CHUNK_ROWS = 100_000


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

    @property
    def ok(self) -> bool:
        return self.batch_id is not None


def _json_value(value):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def _staging_frame(batch_id: int, frame: pd.DataFrame) -> pd.DataFrame:
    columns = [c for c in frame.columns if c != "row_number"]
    payloads = [
        json.dumps({c: _json_value(v) for c, v in zip(columns, values)}, ensure_ascii=False)
        for values in frame[columns].itertuples(index=False, name=None)
    ]
    return pd.DataFrame(
        {"batch_id": batch_id, "row_number": frame["row_number"].to_numpy(), "payload": payloads, "errors": "[]"}
    )


def file_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def stage(
    engine: Engine,
    kind_name: str,
    content: bytes,
    file_name: str,
    username: str,
    progress: Callable[[int], None] | None = None,
) -> StageResult:
    """Validate a file and keep it as a staged batch; on any error change nothing.

    ``progress`` is called with the number of rows read so far after each chunk.
    """
    kind = KINDS.get(kind_name)
    if kind is None:
        raise ValueError(f"unknown import kind {kind_name!r}; known: {', '.join(KINDS)}")
    digest = file_digest(content)
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
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
                )
                .returning(ImportBatch.id)
            ).scalar_one()
            context = load_context(connection, kind)
            errors: list = []
            rows = 0
            for chunk in read_chunks(content, kind):
                frame, chunk_errors = validate_chunk(connection, kind, chunk, context)
                errors.extend(chunk_errors)
                rows += len(frame)
                if not errors:
                    bulk_insert(connection, ImportStagingRow.__table__, _staging_frame(batch_id, frame))
                if progress:
                    progress(rows)
        except ImportFileError as error:
            transaction.rollback()
            _audit(
                engine, username, "import_refused", False, {"kind": kind.name, "file": file_name, "error": error.key}
            )
            return StageResult(None, 0, [], 0, error)
        except BaseException:
            transaction.rollback()
            raise
        if errors:
            transaction.rollback()
            reported = sorted((e for e in errors if e is not None), key=lambda e: (e.row, e.column))
            _audit(
                engine,
                username,
                "import_rejected",
                False,
                {"kind": kind.name, "file": file_name, "errors": len(errors)},
            )
            return StageResult(None, rows, reported, len(errors))
        connection.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(row_count=rows))
        write_audit(connection, username, "import_staged", True, {"batch": batch_id, "kind": kind.name, "rows": rows})
        transaction.commit()
    return StageResult(batch_id, rows, [], 0)


def _audit(engine: Engine, username: str, action: str, success: bool, detail: dict) -> None:
    with engine.begin() as connection:
        write_audit(connection, username, action, success, detail)


def _batch(connection: Connection, batch_id: int):
    """The batch's row (id, kind, status, ...), locked for the transaction where the backend can."""
    table = ImportBatch.__table__
    row = connection.execute(select(table).where(table.c.id == batch_id).with_for_update()).first()
    if row is None:
        raise BatchError("import_no_such_batch", batch=batch_id)
    return row


def _kind_of(batch) -> ImportKind:
    return KINDS[batch.kind]


def confirm(engine: Engine, batch_id: int, username: str) -> int:
    """Move a staged batch into its table in one transaction; returns the rows added."""
    with engine.begin() as connection:
        batch = _batch(connection, batch_id)
        if batch.status != "staged":
            raise BatchError("import_not_staged", batch=batch_id, status=batch.status)
        kind = _kind_of(batch)
        added, last_row = 0, 0
        while True:
            payloads = connection.execute(
                select(ImportStagingRow.row_number, ImportStagingRow.payload)
                .where(ImportStagingRow.batch_id == batch_id, ImportStagingRow.row_number > last_row)
                .order_by(ImportStagingRow.row_number)
                .limit(CONFIRM_CHUNK_ROWS)
            ).all()
            if not payloads:
                break
            last_row = payloads[-1][0]
            records = [p if isinstance(p, dict) else json.loads(p) for _, p in payloads]
            frame = _typed(kind, pd.DataFrame.from_records(records))
            frame["import_batch_id"] = batch_id
            added += bulk_insert(connection, kind.table, frame)
        connection.execute(sql_delete(ImportStagingRow).where(ImportStagingRow.batch_id == batch_id))
        connection.execute(
            update(ImportBatch)
            .where(ImportBatch.id == batch_id)
            .values(status="confirmed", confirmed_at=dt.datetime.now())
        )
        write_audit(connection, username, "import_confirmed", True, {"batch": batch_id, "rows": added})
    return added


def _typed(kind: ImportKind, frame: pd.DataFrame) -> pd.DataFrame:
    """Staged JSON values back to the table's types (dates from ISO text)."""
    for column in kind.columns:
        name = column.target_column
        if column.kind in ("date", "month") and name in frame:
            frame[name] = [dt.date.fromisoformat(v) if isinstance(v, str) and v else None for v in frame[name]]
    return frame


def delete(engine: Engine, batch_id: int, username: str) -> int:
    """Remove a staged or confirmed batch's rows in one transaction; returns the rows removed."""
    with engine.begin() as connection:
        batch = _batch(connection, batch_id)
        if batch.status == "staged":
            removed = connection.execute(
                sql_delete(ImportStagingRow).where(ImportStagingRow.batch_id == batch_id)
            ).rowcount
        elif batch.status == "confirmed":
            table = _kind_of(batch).table
            removed = connection.execute(sql_delete(table).where(table.c.import_batch_id == batch_id)).rowcount
        else:
            raise BatchError("import_not_deletable", batch=batch_id, status=batch.status)
        connection.execute(
            update(ImportBatch).where(ImportBatch.id == batch_id).values(status="deleted", deleted_at=dt.datetime.now())
        )
        write_audit(connection, username, "import_deleted", True, {"batch": batch_id, "rows": removed})
    return removed


def preview(engine: Engine, batch_id: int, limit: int = 50) -> pd.DataFrame:
    """The first rows of a staged batch, as they will be stored."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(ImportStagingRow.row_number, ImportStagingRow.payload)
            .where(ImportStagingRow.batch_id == batch_id)
            .order_by(ImportStagingRow.row_number)
            .limit(int(limit))
        ).all()
    records = [{"row_number": n, **(p if isinstance(p, dict) else json.loads(p))} for n, p in rows]
    return pd.DataFrame.from_records(records)


def history(engine: Engine, limit: int = 200) -> pd.DataFrame:
    """The latest batches: who, when, file, kind, rows, status."""
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
            )
            .order_by(ImportBatch.id.desc())
            .limit(int(limit))
        ).all()
    return pd.DataFrame(
        rows,
        columns=[
            "id",
            "kind",
            "file_name",
            "uploaded_by",
            "uploaded_at",
            "status",
            "rows",
            "confirmed_at",
            "deleted_at",
        ],
    )
