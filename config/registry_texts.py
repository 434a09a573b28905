"""User-facing strings of the outlet registry pages (issue 3), zh and en; merged into the translation table."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {}
