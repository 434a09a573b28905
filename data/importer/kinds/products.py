"""Import kind(s): products (being written)."""

from __future__ import annotations

KINDS: tuple = ()
