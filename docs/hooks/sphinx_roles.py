"""mkdocs hook: the analytics docstrings cross-reference with Sphinx roles (``:func:`name```),
which mkdocstrings renders as the role's text before the code. Drop the role text, keep the
code, so the models pages read ":func:`x`" as ``x``."""

from __future__ import annotations

import re

_ROLE = re.compile(r":(?:py:)?(?:mod|func|class|meth|data|attr|obj|exc|const|ref):(?=<code)")


def on_page_content(html: str, **kwargs) -> str:
    return _ROLE.sub("", html)
