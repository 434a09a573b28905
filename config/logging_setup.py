"""Logging of every BranchScope process (the app, the importer, the health check): one line per
record on stderr or in a file, as JSON or as text, with the context of the request it belongs to.

``configure_logging(settings)`` installs one handler on the root logger, so every library's
records that reach the root (``branchscope``, ``data.*``, SQLAlchemy's warnings, ...) come out
the same way. Settings (``config/defaults.toml``, environment ``BRANCHSCOPE_LOG_*``):

``log_format``  ``json`` (one JSON object per line) or ``text`` (one readable line);
``log_level``   ``DEBUG``, ``INFO``, ``WARNING``, ``ERROR`` or ``CRITICAL``;
``log_file``    a file to append to (reopened when logrotate moves it); empty: stderr.

A JSON line holds ``time`` (UTC, ISO 8601, milliseconds), ``level``, ``logger``, ``message``,
the request context bound with :func:`bind_context` (:data:`CONTEXT_FIELDS`: ``request_id``,
``session_id``, ``user``, ``user_id``, ``page``, ``command``; absent when unknown), any
``extra=`` fields of the call (``error_id``, ...) and, for an exception, ``exception`` (the
traceback as text).

The request context lives in a :class:`contextvars.ContextVar`: each thread (a Streamlit script
run has its own) sees only what was bound in it. No Streamlit here: ``ui/request_log.py`` binds
the context of an app run.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import logging.handlers
import sys
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from pythonjsonlogger.json import JsonFormatter

from config.settings import PROJECT_ROOT, Settings

FORMATS = ("json", "text")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
CONTEXT_FIELDS = ("request_id", "session_id", "user", "user_id", "page", "command")
TEXT_FIELDS = (*CONTEXT_FIELDS, "error_id")  # shown after the message in the text format
# Libraries that log routine steps at INFO: kept at WARNING unless the level is DEBUG.
QUIET_LIBRARIES = ("alembic.runtime.migration",)

_context: contextvars.ContextVar[Mapping[str, object]] = contextvars.ContextVar(
    "branchscope_log_context", default=MappingProxyType({})
)


def new_context(**fields: object) -> None:
    """Start a new request context in this thread: ``fields`` (names of :data:`CONTEXT_FIELDS`)
    replace whatever was bound before; a None value is left out."""
    _context.set(_checked(fields))


def bind_context(**fields: object) -> None:
    """Add or change fields of the current request context; a None value removes the field."""
    merged = {**_context.get(), **fields}
    _context.set(_checked(merged))


def current_context() -> dict[str, object]:
    """The fields bound in this thread's request context."""
    return dict(_context.get())


def _checked(fields: Mapping[str, object]) -> dict[str, object]:
    unknown = set(fields) - set(CONTEXT_FIELDS)
    if unknown:
        raise ValueError(f"unknown log context field(s) {sorted(unknown)}; known: {', '.join(CONTEXT_FIELDS)}")
    return {name: value for name, value in fields.items() if value is not None}


class ContextFilter(logging.Filter):
    """Copies the request context onto every record the handler emits (a field given with
    ``extra=`` in the call wins)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in _context.get().items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True


def _utc_time(record: logging.LogRecord) -> str:
    """The record's time in UTC, ISO 8601 with milliseconds: ``2026-11-30T06:00:01.250Z``."""
    moment = dt.datetime.fromtimestamp(record.created, dt.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonLineFormatter(JsonFormatter):
    """One JSON object per record: time, level, logger, message, then the context and extras."""

    def __init__(self) -> None:
        super().__init__(
            ["asctime", "levelname", "name", "message"],
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger", "exc_info": "exception"},
            json_ensure_ascii=False,
        )

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 - logging's name
        return _utc_time(record)


class TextLineFormatter(logging.Formatter):
    """``time level logger: message [request_id=... user=...]``, then the traceback if any."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 - logging's name
        return _utc_time(record)

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        line = super().formatMessage(record)
        fields = [f"{name}={getattr(record, name)}" for name in TEXT_FIELDS if hasattr(record, name)]
        return f"{line} [{' '.join(fields)}]" if fields else line


class _CurrentStderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record comes (a redirected or captured stream)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self):  # noqa: D102 - StreamHandler's attribute
        return sys.stderr


def _handler(log_file: str) -> logging.Handler:
    if not log_file:
        return _CurrentStderrHandler()
    path = Path(log_file)
    path = path if path.is_absolute() else PROJECT_ROOT / path
    path.parent.mkdir(parents=True, exist_ok=True)
    return logging.handlers.WatchedFileHandler(path, encoding="utf-8")


def configure_logging(settings: Settings, **context: object) -> logging.Handler:
    """Install the BranchScope handler on the root logger (replacing one installed before, so it
    can be called again) with ``settings``' format, level and file; ``context`` starts a new
    request context (e.g. ``command="importer load"``). Raises ValueError for an unknown
    format or level, before anything is changed."""
    log_format = settings.log_format.strip().lower()
    level = settings.log_level.strip().upper()
    if log_format not in FORMATS:
        raise ValueError(f"log_format must be one of {', '.join(FORMATS)}, not {settings.log_format!r}")
    if level not in LEVELS:
        raise ValueError(f"log_level must be one of {', '.join(LEVELS)}, not {settings.log_level!r}")
    handler = _handler(settings.log_file.strip())
    handler.setFormatter(JsonLineFormatter() if log_format == "json" else TextLineFormatter())
    handler.addFilter(ContextFilter())
    handler.branchscope = True  # marks the handler this function installed
    root = logging.getLogger()
    for old in [old for old in root.handlers if getattr(old, "branchscope", False)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
    if context:
        new_context(**context)
    return handler
