"""Headline cards that fit: a grid of bordered cards that shows ``per_row`` cards a row where
there is room, two a row on a narrow main area (a tablet, or a laptop with the sidebar open)
and one on a phone; and the arguments of ``st.metric`` that keep an arrow off a change that
is no change.

``st.columns`` never wraps, so four cards on an 820 px screen cut their values to "91…". The
grid is a keyed ``st.container`` laid out by CSS grid with a container query on the main
area's width (Streamlit puts the key into the element's class as ``st-key-<key>``).
"""

from __future__ import annotations

import re

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

MIN_CARD_REM = 14.5  # the narrowest card that shows "1,288.1 亿元" and "RMB 128.8 bn" in full
GAP_REM = 0.75
_UNCHANGED = re.compile(r"^[+-]?0(\.0+)?(%| |$)")


def card_grid_css(key: str, per_row: int) -> str:
    """The style sheet of the grid ``key``: ``per_row`` columns, two below ``per_row`` cards'
    width, one below two cards' width (widths of the grid's own box, not the window)."""
    wide = per_row * MIN_CARD_REM + (per_row - 1) * GAP_REM
    narrow = 2 * MIN_CARD_REM + GAP_REM
    grid = f".st-key-{key}"
    return (
        "<style>"
        f".st-key-{key}_area {{container-type: inline-size;}}"
        f"{grid} {{display: grid !important; gap: {GAP_REM}rem;"
        f" grid-template-columns: repeat({per_row}, minmax(0, 1fr));}}"
        f"{grid} > div {{width: auto !important; min-width: 0;}}"
        f"@container (max-width: {wide}rem) {{{grid} {{grid-template-columns: repeat(2, minmax(0, 1fr));}}}}"
        f"@container (max-width: {narrow}rem) {{{grid} {{grid-template-columns: minmax(0, 1fr);}}}}"
        "</style>"
    )


def card_grid(key: str, count: int, per_row: int = 4) -> list[DeltaGenerator]:
    """``count`` bordered cards in a grid that wraps (see the module docstring); write into each
    with ``with card:``. ``key`` must be unique on the page."""
    per_row = max(1, min(per_row, count))
    st.html(card_grid_css(key, per_row))
    grid = st.container(key=f"{key}_area").container(key=key, gap=None)
    return [grid.container(border=True) for _ in range(count)]


def is_unchanged(change: str | None) -> bool:
    """True for a change text that shows no change: "+0.0%", "0.0 pp", "+0.0 个百分点", "0"."""
    return change is not None and bool(_UNCHANGED.match(change.strip()))


def delta_style(change: str | None, higher_is_better: bool = True) -> dict:
    """``delta_color`` and ``delta_arrow`` for ``st.metric`` showing ``change``: green up / red
    down by the metric's direction, and grey with no arrow when nothing changed."""
    if change is None or is_unchanged(change):
        return {"delta_color": "off", "delta_arrow": "off"}
    return {"delta_color": "normal" if higher_is_better else "inverse", "delta_arrow": "auto"}


def metric_cards(items: list[tuple[str, str]], key: str, per_row: int | None = None) -> None:
    """Headline figures as ``st.metric`` cards in a wrapping grid: ``items`` are (label, value)
    pairs already formatted (compact, e.g. "34.5 万笔"); ``per_row`` defaults to 4, or 3 for five
    or six cards (two even rows instead of a row of four and a stray one or two)."""
    per_row = per_row or (3 if len(items) in (5, 6) else 4)
    for card, (label, value) in zip(card_grid(key, len(items), per_row), items, strict=True):
        with card:
            st.metric(label, value)
