"""User-facing strings of the customer-care pages (issue 5), zh and en; merged into the translation table."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {}
