"""Import settings from ``config/defaults.toml`` (block "Data import"), each overridable by the
environment variable ``BRANCHSCOPE_<NAME>``, and the key of the ID-number hash.

The ID-number key is secret: it comes from ``BRANCHSCOPE_ID_HASH_KEY``, else ``id_hash_key`` in
``.streamlit/secrets.toml``, else ``id_hash_key`` in defaults.toml (empty as shipped). The demo
uses :data:`DEMO_ID_HASH_KEY`, which is published and protects nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import tomllib

from config.settings import DEFAULTS_FILE, SECRETS_FILE

DEMO_ID_HASH_KEY = "branchscope-demo-id-hash-key-not-secret"  # documented in the README: the demo only
MIN_ID_HASH_KEY_CHARS = 16
LEGACY_SCHEME = "sha256"  # unkeyed SHA-256 of an ID number, as stored before migration 0011


def _toml(path) -> dict:
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        return tomllib.load(handle)


def import_setting(name: str) -> int:
    """An integer import limit (``xlsx_max_rows`` ...): environment first, then defaults.toml."""
    value = os.environ.get(f"BRANCHSCOPE_{name.upper()}")
    if value is None:
        value = _toml(DEFAULTS_FILE)[name]
    return int(value)


def configured_id_hash_key() -> str:
    """The configured key of the ID-number hash, or "" when none is set."""
    value = os.environ.get("BRANCHSCOPE_ID_HASH_KEY")
    if value is None:
        secrets = _toml(SECRETS_FILE)
        value = secrets.get("id_hash_key") or secrets.get("import", {}).get("id_hash_key")
    if value is None:
        value = _toml(DEFAULTS_FILE).get("id_hash_key", "")
    return str(value).strip()


def key_scheme(key: str) -> str:
    """The scheme label stored next to each hash: ``hmac-sha256:demo`` for the demo key, else
    ``hmac-sha256:`` and 8 hex digits that tell keys apart without revealing them."""
    if key == DEMO_ID_HASH_KEY:
        return "hmac-sha256:demo"
    fingerprint = hmac.new(key.encode("utf-8"), b"branchscope id hash key fingerprint", hashlib.sha256)
    return "hmac-sha256:" + fingerprint.hexdigest()[:8]


def id_hash(key: str, value: str) -> str:
    """The keyed hash of one ID number: HMAC-SHA-256 hex (64 characters)."""
    return hmac.new(key.encode("utf-8"), value.encode("utf-8"), hashlib.sha256).hexdigest()
