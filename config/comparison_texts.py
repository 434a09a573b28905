"""User-facing strings of the comparison pages (issue 4: rankings and PK, peer groups, DEA, bulletin); zh and en, merged into the translation table."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {}
