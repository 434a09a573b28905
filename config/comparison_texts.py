"""User-facing strings of the comparison pages (issue 4), zh and en; merged into the translation table."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {}
