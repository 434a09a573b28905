"""Running the app under Streamlit's AppTest (used by the page tests and the benchmarks)."""

from __future__ import annotations

from pathlib import Path

from streamlit.runtime import pages_manager
from streamlit.testing.v1 import AppTest

from config.settings import PROJECT_ROOT
from data.demo_users import DEMO_PASSWORD

APP = str(PROJECT_ROOT / "app.py")


class PathWithoutLegacyPages(type(Path())):
    """A Path that says a folder named ``pages`` does not exist.

    AppTest resets Streamlit's page manager before every run, and a folder named ``pages/``
    then switches it to the legacy page-directory mode, which runs the last page's file instead
    of app.py. The real server does not do this: st.navigation turns that mode off.
    """

    def exists(self, *args, **kwargs):
        return False if self.name == "pages" else super().exists(*args, **kwargs)


def use_navigation_pages() -> None:
    """Patch Streamlit's page manager so AppTest runs app.py as the real server does."""
    pages_manager.Path = PathWithoutLegacyPages


def new_app(timeout_s: float = 60) -> AppTest:
    """A fresh, not yet run, app session."""
    return AppTest.from_file(APP, default_timeout=timeout_s)


def log_in(at: AppTest, username: str, password: str = DEMO_PASSWORD, lang: str = "en") -> AppTest:
    """Open the log-in page, submit the form and return the app after the resulting run."""
    at.session_state["lang"] = lang
    at.run()
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    at.button[0].click()
    return at.run()


def open_page(app: AppTest, username: str, page: str, lang: str = "en") -> AppTest:
    """Log in as ``username`` and switch to the page file ``page`` (e.g. "pages/lobby.py");
    fails the test if the page raised."""
    at = log_in(app, username, lang=lang)
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def visible_text(at: AppTest) -> str:
    """All text a user reads on the page: titles, headings, markdown, captions, messages and
    metric labels, one element per line."""
    parts = [e.value for e in at.title] + [e.value for e in at.header] + [e.value for e in at.subheader]
    parts += [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += [e.value for e in at.error] + [e.value for e in at.warning] + [e.value for e in at.info]
    parts += [e.value for e in at.success] + [e.label for e in at.metric]
    return "\n".join(str(part) for part in parts)
