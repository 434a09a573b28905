"""The user guide (``docs/user-guide/``) as the Help page shows it: which sections a role sees,
in which order, in which language, and the Markdown made fit for ``st.markdown``.

The guide is the same Markdown the documentation site is built from. A section is one file:
``index.md`` (getting started), ``roles/<role>.md`` (one per role) and ``pages/<group>.md`` (one
per group of pages). The Chinese version of a section is the same path under ``zh/``; a section
without one is shown in English with a note. Links to other Markdown files of the guide become
plain text in the app (the app has no such addresses); links to web addresses stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from config.settings import PROJECT_ROOT

GUIDE_FOLDER = PROJECT_ROOT / "docs" / "user-guide"
TRANSLATED_FOLDER = "zh"

# The page guides in menu order, each with the app pages (config/pages.py names) it describes:
# a role sees a page guide when it has at least one of its pages.
PAGE_GUIDES: dict[str, tuple[str, ...]] = {
    "pages/performance": ("my_outlet", "kpi_explorer", "alerts"),
    "pages/registry": ("registry", "costs"),
    "pages/service": ("lobby", "staffing", "channel_diversion", "service_quality"),
    "pages/comparison": ("rankings", "peer_groups", "efficiency", "bulletin"),
    "pages/planning": ("market_map", "huff_model", "candidates", "scenarios", "optimisation"),
    "pages/customers": ("customer_structure", "segments", "lifetime_value"),
    "pages/customer-actions": ("action_lists", "next_product", "customer_360", "complaints"),
    "pages/data": ("data_import", "data_quality", "reconciliation"),
}

_LOCAL_LINK = re.compile(r"\[([^\]]+)\]\((?!https?://|mailto:)[^)]*\)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class GuideSection:
    """One section of the guide in the language it is shown in.

    ``key`` is its path under ``docs/user-guide/`` without ``.md`` (e.g. ``roles/executive``);
    ``translated`` is False when the Chinese reader gets the English text.
    """

    key: str
    title: str
    markdown: str
    translated: bool


def section_keys(role: str, pages: tuple[str, ...] | list[str]) -> list[str]:
    """The sections a role sees, in order: getting started, the role's own guide, then the page
    guides of the pages the role has (``pages``: its page names)."""
    keys = ["index", f"roles/{role}"]
    keys += [key for key, described in PAGE_GUIDES.items() if set(described) & set(pages)]
    return keys


def _source(key: str, lang: str, folder: Path) -> tuple[Path, bool]:
    """The file of section ``key`` for ``lang`` and whether it is in that language."""
    english = folder / f"{key}.md"
    if lang == "zh":
        chinese = folder / TRANSLATED_FOLDER / f"{key}.md"
        if chinese.is_file():
            return chinese, True
        return english, False
    return english, True


def for_streamlit(markdown: str) -> str:
    """The Markdown without comments, with links to other files of the guide as plain text."""
    return _LOCAL_LINK.sub(r"\1", _COMMENT.sub("", markdown)).strip()


def load_section(key: str, lang: str, folder: Path = GUIDE_FOLDER) -> GuideSection:
    """Section ``key`` in ``lang`` (zh or en); raises FileNotFoundError when the guide lacks it.

    The title is the file's first ``# `` heading, which is taken out of the body (the page
    shows it in the section picker instead)."""
    path, translated = _source(key, lang, folder)
    text = for_streamlit(path.read_text(encoding="utf-8"))
    lines = text.splitlines()
    title = key
    if lines and lines[0].startswith("# "):
        title = lines[0][2:].strip()
        lines = lines[1:]
    return GuideSection(key, title, "\n".join(lines).strip(), translated)


def role_sections(role: str, pages: tuple[str, ...] | list[str], lang: str, folder: Path = GUIDE_FOLDER):
    """Every section a role sees (see :func:`section_keys`), loaded in ``lang``; sections whose
    file is missing are left out."""
    sections = []
    for key in section_keys(role, pages):
        try:
            sections.append(load_section(key, lang, folder))
        except FileNotFoundError:
            continue
    return sections
