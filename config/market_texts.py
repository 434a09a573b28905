"""User-facing strings of the map and site-selection pages (issue 6), zh and en; merged into the translation table."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {}
