"""Chart conventions shared by every page: money on axes in 万元/亿元 (zh) or RMB m/bn (en)
with the unit in the axis title, month ticks in the session language, and plotly's SI
suffixes (k, M, B) never shown to a Chinese reader.

Plotly cannot format ticks in 万/亿 itself, so amounts are divided before plotting
(``money_scale``) and the unit goes into the axis title.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ui.i18n import current_language


def largest_magnitude(values: Iterable[float | None]) -> float:
    """The largest absolute value, ignoring missing ones; 0 when there is none."""
    array = np.abs(np.asarray([v for v in values if v is not None], dtype=float))
    return float(np.nanmax(array)) if array.size and not np.all(np.isnan(array)) else 0.0


def money_scale(values: Iterable[float], lang: str | None = None) -> tuple[float, str]:
    """Divisor and unit for showing amounts in RMB on an axis: (1e8, "亿元"), (1e4, "万元"),
    (1, "元") in Chinese; (1e9, "RMB bn"), (1e6, "RMB m"), (1e3, "RMB k"), (1, "RMB") in English.

    Chosen by the largest absolute value so tick labels stay short (at most 4 digits before
    the decimal point in 万元, any number of 亿元).
    """
    lang = lang or current_language()
    largest = largest_magnitude(values)
    if lang == "zh":
        if largest >= 1e8:
            return 1e8, "亿元"
        if largest >= 1e4:
            return 1e4, "万元"
        return 1.0, "元"
    if largest >= 1e9:
        return 1e9, "RMB bn"
    if largest >= 1e6:
        return 1e6, "RMB m"
    if largest >= 1e4:
        return 1e3, "RMB k"
    return 1.0, "RMB"


def axis_title(title: str, unit: str) -> str:
    """ "存款余额（亿元）" / "Deposits (RMB bn)"."""
    return f"{title}（{unit}）" if current_language() == "zh" else f"{title} ({unit})"


def month_tick_format(lang: str | None = None) -> str:
    """d3 time format of month ticks: "2026年6月" in Chinese, "Jun 2026" in English."""
    return "%Y年%-m月" if (lang or current_language()) == "zh" else "%b %Y"


def style_month_axis(figure, axis: str = "x") -> None:
    """Month ticks and hover labels of a date axis in the session language."""
    fmt = month_tick_format()
    getattr(figure, f"update_{axis}axes")(tickformat=fmt, hoverformat=fmt)


def plain_numbers(figure, axis: str = "y") -> None:
    """Thousands separators and no SI suffixes (k, M, B) on a numeric axis."""
    getattr(figure, f"update_{axis}axes")(tickformat=",~f", exponentformat="none")
