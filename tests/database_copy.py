"""Private copies of a test's SQLite database, taken consistently while others have it open."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def copy_sqlite_database(url: str, target: Path) -> str:
    """Copy the SQLite database at ``url`` (``sqlite:///path``) to ``target``; return the copy's URL.

    SQLite's online backup reads one consistent snapshot, including transactions still in the
    write-ahead log that a plain file copy of the main file would miss or tear (the shared demo
    database is open in other connections of the session while tests copy it). The copy starts
    with nobody logged in: the shared database collects the log-in sessions of every test that
    used it, which a test counting its own user's sessions must not see."""
    source = sqlite3.connect(url.removeprefix("sqlite:///"))
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        with copy:
            copy.execute("DELETE FROM user_session")
    finally:
        copy.close()
        source.close()
    return f"sqlite:///{target}"
