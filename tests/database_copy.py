"""Private copies of a test's SQLite database, taken consistently while others have it open."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def copy_sqlite_database(url: str, target: Path) -> str:
    """Copy the SQLite database at ``url`` (``sqlite:///path``) to ``target``; return the copy's URL.

    SQLite's online backup reads one consistent snapshot, including transactions still in the
    write-ahead log that a plain file copy of the main file would miss or tear (the shared demo
    database is open in other connections of the session while tests copy it)."""
    source = sqlite3.connect(url.removeprefix("sqlite:///"))
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return f"sqlite:///{target}"
