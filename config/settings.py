"""Application settings: defaults from ``config/defaults.toml``, overridden by the environment.

Precedence for the database URL (first found wins):
1. the ``DATABASE_URL`` environment variable;
2. ``[database] url`` in ``.streamlit/secrets.toml``;
3. ``database_url`` in ``config/defaults.toml`` (an embedded SQLite file under ``var/``).

Every other setting ``name`` in defaults.toml can be overridden by ``BRANCHSCOPE_<NAME>``
(upper case) in the environment.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULTS_FILE = PROJECT_ROOT / "config" / "defaults.toml"
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"


@dataclass(frozen=True)
class Settings:
    """Resolved settings; see ``config/defaults.toml`` for what each one means."""

    database_url: str
    session_timeout_minutes: int
    max_failed_logins: int
    lockout_minutes: int
    default_language: str
    map_style_url: str
    cache_ttl_seconds: int
    sso_claim: str
    sso_claim_domain: str
    sso_max_age_seconds: int
    password_login: bool
    log_format: str
    log_level: str
    log_file: str


def _sqlite_url_relative_to_project(url: str) -> str:
    """Make ``sqlite:///var/x.db`` point inside the project whatever the working folder is."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        return prefix + str(PROJECT_ROOT / url[len(prefix) :])
    return url


def _secrets_database_url() -> str | None:
    if not SECRETS_FILE.exists():
        return None
    with SECRETS_FILE.open("rb") as handle:
        secrets = tomllib.load(handle)
    return secrets.get("database", {}).get("url")


def load_settings() -> Settings:
    """Read defaults, then apply secrets.toml and environment overrides."""
    with DEFAULTS_FILE.open("rb") as handle:
        values = tomllib.load(handle)
    for field in fields(Settings):
        env_value = os.environ.get(f"BRANCHSCOPE_{field.name.upper()}")
        if env_value is not None:
            values[field.name] = env_value
    database_url = os.environ.get("DATABASE_URL") or _secrets_database_url() or values["database_url"]
    values["database_url"] = _sqlite_url_relative_to_project(database_url)
    kwargs = {}
    for field in fields(Settings):
        caster = {"int": int, "bool": _boolean}.get(field.type, str)
        kwargs[field.name] = caster(values[field.name])
    return Settings(**kwargs)


def _boolean(value: bool | str) -> bool:
    """A yes/no setting: a TOML boolean, or true/false, 1/0, yes/no, on/off from the environment."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise ValueError(f"expected true or false, got {value!r}")
