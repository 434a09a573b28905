"""Import kind(s): transactions (being written)."""

from __future__ import annotations

KINDS: tuple = ()
