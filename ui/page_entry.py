"""Every page is entered through app.py (log-in, scope, navigation), never run on its own.

Streamlit decides once per server process whether the app is an old-style multipage app (a
``pages/`` folder next to the main script, no ``st.navigation``): the class attribute
``PagesManager.uses_pages_directory`` starts as "is there a ``pages/`` folder" and turns False
the first time a script calls ``st.navigation``. Until then, a request for a page address (the
first request of a newly started server may be one: a bookmark, or a tab the load balancer moved
from a stopped server) runs that page's file directly, without app.py's log-in check, beside a
sidebar listing every file of the folder. Each page file calls :func:`enter_through_app` first:
in that mode it switches the mode off and reruns, and the rerun runs app.py, which serves the
page asked for once the visitor has logged in.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def enter_through_app() -> None:
    """Rerun through app.py when Streamlit started this page file without it; else nothing."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False  # what app.py's st.navigation call would set
        st.rerun()
