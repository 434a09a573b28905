"""The analytics package's public API: every model module listed in ``analytics.__all__`` and
loaded lazily, each module's ``__all__`` naming what it has, no Streamlit or SQL below the pages,
and the docstring examples of the analytics run as tests."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import subprocess
import sys

import pytest

import analytics
from config.settings import PROJECT_ROOT

MODULES = sorted(analytics.__all__)


def test_every_analytics_module_is_listed():
    assert sorted(m.name for m in pkgutil.iter_modules(analytics.__path__)) == MODULES


@pytest.mark.parametrize("name", MODULES)
def test_each_public_name_exists_and_modules_load_on_first_use(name):
    module = getattr(analytics, name)  # loads on first use
    assert module is importlib.import_module(f"analytics.{name}")
    assert [n for n in getattr(module, "__all__", []) if not hasattr(module, n)] == []


def test_unknown_names_are_attribute_errors():
    with pytest.raises(AttributeError):
        analytics.no_such_model  # noqa: B018


def run_python(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout


def test_importing_the_package_loads_no_model_and_the_models_load_no_app_layer():
    loaded = run_python("import sys, analytics; print(sorted(m for m in sys.modules if m.startswith('analytics.')))")
    assert loaded.strip() == "[]"
    layers = ("streamlit", "sqlalchemy", "data", "ui", "pages", "reports")
    loaded = run_python(
        "import importlib, sys, analytics\n"
        "for name in analytics.__all__: importlib.import_module('analytics.' + name)\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(layers)!r}))"
    )
    assert loaded.strip() == "[]"


@pytest.mark.parametrize("name", ["", *MODULES])
def test_docstring_examples_give_what_they_show(name):
    module = importlib.import_module(f"analytics.{name}" if name else "analytics")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.failed == 0
