"""Translation lookup: ``t("key")`` in the language the user picked (zh or en)."""

from __future__ import annotations

import streamlit as st

from config.settings import load_settings
from config.translations import TEXTS

LANGUAGES = ("zh", "en")
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}


def current_language() -> str:
    """The session's language, or the configured default before the user chooses."""
    return st.session_state.get("lang") or load_settings().default_language


def t(key: str, **values) -> str:
    """Translated text for ``key`` with ``{placeholders}`` filled from ``values``."""
    text = TEXTS[key][current_language()]
    return text.format(**values) if values else text


def name_of(row, prefix: str = "name") -> str:
    """The zh or en name column of a row/dict (``name_zh``/``name_en``) in the session language."""
    return row[f"{prefix}_{current_language()}"]
