"""Red / amber / green status of a target, shown alike on every page: a coloured word in tables,
a coloured badge on cards, bar colours in charts. No emoji: the Linux desktops some banks run
have no colour-emoji font, and an emoji then shows as an empty box."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from ui.format import MISSING
from ui.i18n import t

RAG_BADGE_COLOURS = {"green": "green", "amber": "orange", "red": "red"}  # Streamlit's named colours
RAG_BAR_COLOURS = {"green": "#1a9850", "amber": "#fdae61", "red": "#d73027"}
RAG_TEXT_COLOURS = {"green": "#1a7f37", "amber": "#a15c00", "red": "#c62828"}  # readable on white


def rag_label(colour) -> str:
    """ "● On target" (the word in the user's language); "—" when the status is unknown."""
    return f"● {t('kpi_rag_' + colour)}" if colour in RAG_BADGE_COLOURS else MISSING


def rag_markdown(colour) -> str:
    """The label coloured for st.markdown / st.caption."""
    return f":{RAG_BADGE_COLOURS[colour]}[{rag_label(colour)}]" if colour in RAG_BADGE_COLOURS else MISSING


def style_rag_column(table: pd.DataFrame, column: str) -> Styler:
    """``table`` for st.dataframe with the text of its RAG ``column`` (made by :func:`rag_label`)
    coloured by status."""
    by_label = {rag_label(colour): hex_colour for colour, hex_colour in RAG_TEXT_COLOURS.items()}
    return table.style.map(lambda value: f"color: {by_label[value]}" if value in by_label else "", subset=[column])
