"""Import kind(s): complaints (being written)."""

from __future__ import annotations

KINDS: tuple = ()
