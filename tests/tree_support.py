"""The three-province demo on SQLite, built once per test session and shared by the tree tests
(``tests/test_tree_scopes.py``, ``tests/test_tree_pages.py``)."""

from __future__ import annotations

from data.db import make_engine

PROVINCES = 3
SCALE = 0.01  # the smallest demo: one outlet per Inner Mongolian city, two per synthetic city


def provinces_sqlite_url(tmp_path_factory) -> str:
    """URL of the three-province demo (with the demo users) in the session's temporary folder,
    built by the first test that asks for it."""
    from data.demo import generate

    path = tmp_path_factory.getbasetemp() / "tree-provinces.sqlite"
    url = f"sqlite:///{path}"
    if not path.exists():
        engine = make_engine(url)
        try:
            generate(engine, scale=SCALE, with_demo_users=True, provinces=PROVINCES)
        except BaseException:
            engine.dispose()
            path.unlink(missing_ok=True)
            raise
        engine.dispose()
    return url
