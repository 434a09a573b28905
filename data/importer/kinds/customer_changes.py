"""Import kind(s): customer_changes (being written)."""

from __future__ import annotations

KINDS: tuple = ()
