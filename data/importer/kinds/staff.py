"""Import kind(s): staff (being written)."""

from __future__ import annotations

KINDS: tuple = ()
