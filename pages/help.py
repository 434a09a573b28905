"""Help (帮助): the user guide offline, for every role.

A table of the pages the user's role has (menu section, page, what it is for), then the guide's
sections for the role (getting started, the role's guide, the guides of the role's pages) with a
section picker, in the session language: the Chinese version where the guide has one, else the
English text with a note. The Markdown is read from ``docs/user-guide/`` (``ui.help_docs``), the
same files the documentation site is built from; nothing is fetched.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from config.pages import PAGE_BY_NAME
from config.roles import ROLE_POLICIES
from ui.help_docs import role_sections
from ui.i18n import current_language, t
from ui.page_entry import enter_through_app
from ui.session import current_user

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

lang = current_language()
user = current_user()
pages = ROLE_POLICIES[user.role].pages

st.title(t("page_help"))
st.caption(t("help_intro"))

st.subheader(t("help_your_pages"))
st.dataframe(
    pd.DataFrame(
        {
            t("help_col_section"): [t(PAGE_BY_NAME[name].section) for name in pages],
            t("help_col_page"): [t(PAGE_BY_NAME[name].title) for name in pages],
            t("help_col_purpose"): [t(f"help_page_{name}") for name in pages],
        }
    ),
    hide_index=True,
    width="stretch",
)

sections = {section.key: section for section in role_sections(user.role, pages, lang)}
if not sections:
    st.error(t("help_missing"))
    st.stop()

key = st.selectbox(
    t("help_section"),
    list(sections),
    format_func=lambda k: sections[k].title,
    index=min(1, len(sections) - 1),  # the role's own guide first
    key="help_section",
)
section = sections[key]
if not section.translated:
    st.info(t("help_english_only"))
st.header(section.title)
st.markdown(section.markdown)
