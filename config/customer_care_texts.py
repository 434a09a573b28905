"""User-facing strings of the customer action pages (issue 5: action lists, next best product, customer 360, complaints and care); zh and en, merged into the translation table."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {}
