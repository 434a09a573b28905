"""User-facing strings of the service pages (issue 7), zh and en; merged into the translation table."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {}
