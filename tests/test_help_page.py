"""The Help page (pages/help.py): the user guide of docs/user-guide/ offline, for every role, in
the session language, and the rules of ui.help_docs that choose and prepare its sections."""

from __future__ import annotations

import pytest

from config.pages import PAGE_BY_NAME, PAGES
from config.roles import ROLE_POLICIES
from config.translations import TEXTS
from tests.apptest_support import open_page, visible_text
from ui.help_docs import GUIDE_FOLDER, PAGE_GUIDES, for_streamlit, load_section, role_sections, section_keys

# One demo log-in per role (data/demo_users.py).
USER_OF_ROLE = {
    "executive": "exec",
    "planner": "planner",
    "branch_head": "head_outlet",
    "data_steward": "steward",
    "admin": "admin",
    "auditor": "auditor",
}


def first_heading(path) -> str:
    return path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# ").strip()


# --------------------------------------------------------------------------- the guide's rules


def test_every_role_has_the_page_and_a_guide_in_both_languages():
    assert set(USER_OF_ROLE) == set(ROLE_POLICIES)
    for role, policy in ROLE_POLICIES.items():
        assert "help" in policy.pages, role
        assert (GUIDE_FOLDER / "roles" / f"{role}.md").is_file(), role
        assert (GUIDE_FOLDER / "zh" / "roles" / f"{role}.md").is_file(), role
    assert (GUIDE_FOLDER / "index.md").is_file() and (GUIDE_FOLDER / "zh" / "index.md").is_file()


def test_every_page_has_its_line_in_both_languages_and_the_page_guides_name_real_pages():
    for page in PAGES:
        text = TEXTS[f"help_page_{page.name}"]
        assert set(text) == {"zh", "en"} and all(text.values()), page.name
    for key, names in PAGE_GUIDES.items():
        assert (GUIDE_FOLDER / f"{key}.md").is_file(), key
        assert set(names) <= set(PAGE_BY_NAME), key
    described = {name for names in PAGE_GUIDES.values() for name in names}
    # Pages without a page guide are described in the getting-started and role guides.
    assert set(PAGE_BY_NAME) - described == {"overview", "users", "audit_log", "help"}


def test_the_sections_of_a_role_follow_its_pages():
    steward = ROLE_POLICIES["data_steward"].pages
    assert section_keys("data_steward", steward) == ["index", "roles/data_steward", "pages/data"]
    assert section_keys("auditor", ["audit_log", "help"]) == ["index", "roles/auditor"]
    head = section_keys("branch_head", ROLE_POLICIES["branch_head"].pages)
    assert head[:2] == ["index", "roles/branch_head"] and "pages/planning" not in head
    assert "pages/customer-actions" in head and "pages/performance" in head


def test_links_to_guide_files_become_text_and_web_links_stay():
    markdown = (
        "<!-- generated -->\nSee [Security](../security.md#roles) and [the guide](roles/admin.md), "
        "or [Streamlit](https://streamlit.io)."
    )
    assert for_streamlit(markdown) == "See Security and the guide, or [Streamlit](https://streamlit.io)."


def test_a_section_without_a_translation_is_english_with_the_flag(tmp_path):
    (tmp_path / "zh" / "roles").mkdir(parents=True)
    (tmp_path / "index.md").write_text("# Getting started\n\nHello [there](x.md).\n", encoding="utf-8")
    (tmp_path / "zh" / "index.md").write_text("# 入门\n\n你好。\n", encoding="utf-8")
    (tmp_path / "roles").mkdir()
    (tmp_path / "roles" / "planner.md").write_text("# Planners\n\nPlan.\n", encoding="utf-8")
    zh = load_section("index", "zh", tmp_path)
    assert (zh.title, zh.markdown, zh.translated) == ("入门", "你好。", True)
    en = load_section("index", "en", tmp_path)
    assert (en.title, en.markdown, en.translated) == ("Getting started", "Hello there.", True)
    fallback = load_section("roles/planner", "zh", tmp_path)
    assert (fallback.title, fallback.translated) == ("Planners", False)
    # A missing file is left out (the planner's page guides are not in this folder).
    keys = [s.key for s in role_sections("planner", ROLE_POLICIES["planner"].pages, "zh", tmp_path)]
    assert keys == ["index", "roles/planner"]


# --------------------------------------------------------------------------- the page, every role


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("role", sorted(USER_OF_ROLE))
def test_the_help_page_opens_for_every_role_on_its_own_guide(app, role, lang):
    at = open_page(app, USER_OF_ROLE[role], "pages/help.py", lang)
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == TEXTS["page_help"][lang]
    assert TEXTS["page_not_for_role"][lang] not in visible_text(at)
    # The table of the role's pages: one row per page, with what it is for.
    table = at.dataframe[0].value
    pages = ROLE_POLICIES[role].pages
    assert list(table[TEXTS["help_col_page"][lang]]) == [TEXTS[PAGE_BY_NAME[n].title][lang] for n in pages]
    assert list(table[TEXTS["help_col_purpose"][lang]]) == [TEXTS[f"help_page_{n}"][lang] for n in pages]
    # The role's own guide is shown first, in the session language (every role guide is translated).
    picker = at.selectbox(key="help_section")
    assert picker.value == f"roles/{role}"
    folder = GUIDE_FOLDER / "zh" if lang == "zh" else GUIDE_FOLDER
    assert at.header[-1].value == first_heading(folder / "roles" / f"{role}.md")
    assert TEXTS["help_english_only"][lang] not in visible_text(at)
    assert picker.options[0] == first_heading(folder / "index.md")


def test_every_section_of_a_branch_head_opens_and_an_english_only_one_says_so(app):
    at = open_page(app, "head_outlet", "pages/help.py", "zh")
    keys = section_keys("branch_head", ROLE_POLICIES["branch_head"].pages)
    for key in keys:
        at.selectbox(key="help_section").set_value(key).run()
        assert not at.exception, (key, [e.value for e in at.exception])
        translated = (GUIDE_FOLDER / "zh" / f"{key}.md").is_file()
        shown = GUIDE_FOLDER / "zh" / f"{key}.md" if translated else GUIDE_FOLDER / f"{key}.md"
        assert at.header[-1].value == first_heading(shown), key
        assert (TEXTS["help_english_only"]["zh"] in visible_text(at)) is (not translated), key
    # The guide's Markdown is on the page, with the links to other guide files as plain text.
    at.selectbox(key="help_section").set_value("pages/customer-actions").run()
    body = "\n".join(m.value for m in at.markdown)
    assert "**Action lists**" in body and "](" not in body.replace("](https://", "")
