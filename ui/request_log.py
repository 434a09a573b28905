"""The log context of an app run: each Streamlit script run is one request.

``app.py`` calls :func:`begin_run` first thing in every run: it (re)configures logging when the
log settings changed (``config/logging_setup.py``) and starts a new request context in the
run's thread: a new ``request_id`` (32 hex digits), ``session_id`` (the first 16 hex digits of
the SHA-256 of Streamlit's session id: it ties the runs of one browser tab together without
putting a live session id into the logs) and the user known at the start of the run (``user``,
``user_id``, read from where ``ui.session`` keeps them). :func:`page_run` wraps the page: it adds
``page`` (its address name) and writes one INFO line per run, ``page run ok|rerun|stopped|error`` with
``duration_ms`` (milliseconds since :func:`begin_run`) and the user at the end of the run (so the
run that logs a user in names them). Every record of the run (an error with its ``error_id`` and
traceback, a warning of the data layer) carries the same fields. After the page-run line the
request id and page are dropped: a widget's callback, which Streamlit runs before the next run's
script, logs with the session and user only.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import logging
import threading
import time
import uuid
from collections.abc import Iterator

from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

from config.logging_setup import ContextFilter, bind_context, configure_logging, new_context
from config.settings import Settings, load_settings
from ui.session import current_user

log = logging.getLogger("branchscope.request")

_lock = threading.Lock()
_configured: tuple[str, str, str] | None = None
_started: contextvars.ContextVar[float] = contextvars.ContextVar("branchscope_run_started", default=0.0)


def _configure(settings: Settings) -> None:
    """Configure logging once per process, and again only when a log setting changed. Streamlit's
    own console lines (server messages, an error outside the page) get the same format."""
    global _configured  # noqa: PLW0603 - one configuration per process
    wanted = (settings.log_format, settings.log_level, settings.log_file)
    with _lock:
        if wanted == _configured:
            return
        handler = configure_logging(settings)
        for logger in list(logging.root.manager.loggerDict.values()):
            console = getattr(logger, "streamlit_console_handler", None)
            if isinstance(console, logging.Handler):
                console.setFormatter(handler.formatter)
                if not any(isinstance(existing, ContextFilter) for existing in console.filters):
                    console.addFilter(ContextFilter())
        _configured = wanted


def _session_hash() -> str | None:
    ctx = get_script_run_ctx()
    if ctx is None:
        return None
    return hashlib.sha256(ctx.session_id.encode()).hexdigest()[:16]


def _user_fields() -> dict[str, object]:
    user = current_user()
    return {"user": user.username, "user_id": user.id} if user is not None else {"user": None, "user_id": None}


def page_name(navigation) -> str:
    """The page's address name (``overview``, ``login``), also for the default page, whose
    public ``url_path`` is empty (it is served at ``/``)."""
    return getattr(navigation, "_url_path", "") or navigation.url_path or "/"


def begin_run(settings: Settings | None = None) -> str:
    """Start the request of this script run; returns its request id (call first in app.py)."""
    _configure(settings or load_settings())
    request_id = uuid.uuid4().hex
    _started.set(time.perf_counter())
    new_context(request_id=request_id, session_id=_session_hash(), **_user_fields())
    return request_id


@contextlib.contextmanager
def page_run(navigation) -> Iterator[None]:
    """Run the page ``navigation`` (what ``st.navigation`` returned) inside: bind its name and the
    current user, then log the run's outcome and duration. Streamlit's rerun and stop signals pass
    through (outcome ``rerun``, ``stopped``); an exception passes through too (outcome ``error``)."""
    bind_context(page=page_name(navigation), **_user_fields())
    outcome = "ok"
    try:
        yield
    except RerunException:
        outcome = "rerun"
        raise
    except StopException:
        outcome = "stopped"
        raise
    except BaseException:
        outcome = "error"
        raise
    finally:
        if current_user() is not None:
            bind_context(**_user_fields())  # the run that logged a user in names them
        duration_ms = round((time.perf_counter() - _started.get()) * 1000, 1) if _started.get() else None
        log.info("page run %s", outcome, extra={"outcome": outcome, "duration_ms": duration_ms})
        # What runs in this thread before the next run (a widget's callback) keeps the session and
        # user but is no longer part of this request.
        bind_context(request_id=None, page=None)
