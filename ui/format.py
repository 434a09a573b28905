"""Number formatting for people: RMB in 万/亿 for Chinese, thousands separators and m/bn for
English, ratios as percentages, changes as % or percentage points. Missing values show "—"."""

from __future__ import annotations

import math

MISSING = "—"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_money(value_rmb: float | None, lang: str) -> str:
    """Amount in RMB: "9.62 亿元" / "3,456.70 万元" / "850 元"; "RMB 9.62 bn" / "RMB 34.6 m"."""
    if _missing(value_rmb):
        return MISSING
    size = abs(value_rmb)
    if lang == "zh":
        if size >= 1e8:
            return f"{value_rmb / 1e8:,.2f} 亿元"
        if size >= 1e4:
            return f"{value_rmb / 1e4:,.2f} 万元"
        return f"{value_rmb:,.0f} 元"
    if size >= 1e9:
        return f"RMB {value_rmb / 1e9:,.2f} bn"
    if size >= 1e6:
        return f"RMB {value_rmb / 1e6:,.1f} m"
    return f"RMB {value_rmb:,.0f}"


def format_count(value: float | None, lang: str) -> str:
    """A count: "240.51 万" above ten thousand in Chinese, "2,405,123" in English."""
    if _missing(value):
        return MISSING
    if lang == "zh" and abs(value) >= 1e8:
        return f"{value / 1e8:,.2f} 亿"
    if lang == "zh" and abs(value) >= 1e4:
        return f"{value / 1e4:,.2f} 万"
    return f"{value:,.0f}"


def format_ratio(value: float | None) -> str:
    """A share as a percentage with one decimal: 0.791 → "79.1%"."""
    return MISSING if _missing(value) else f"{value * 100:.1f}%"


def format_value(value: float | None, unit: str, lang: str) -> str:
    """Format a catalogue metric value by its unit (rmb, count, ratio, minutes, score)."""
    if unit == "rmb":
        return format_money(value, lang)
    if unit == "ratio":
        return format_ratio(value)
    if _missing(value):
        return MISSING
    if unit == "minutes":
        return f"{value:,.1f} 分钟" if lang == "zh" else f"{value:,.1f} min"
    if unit == "score":
        return f"{value:,.1f}"
    return format_count(value, lang)


def format_change(current: float | None, previous: float | None, unit: str, lang: str) -> str | None:
    """Change from ``previous`` to ``current``: relative (%) for amounts and counts, in
    percentage points for ratios; None when either side is missing or previous is zero."""
    if _missing(current) or _missing(previous):
        return None
    if unit == "ratio":
        points = _no_negative_zero((current - previous) * 100)
        return f"{points:+.1f} 个百分点" if lang == "zh" else f"{points:+.1f} pp"
    if previous == 0:
        return None
    return f"{_no_negative_zero((current / previous - 1) * 100):+.1f}%"


def _no_negative_zero(value: float) -> float:
    """0.0 for anything that rounds to zero at one decimal, so no "-0.0%" is shown."""
    return 0.0 if round(value, 1) == 0 else value


def format_hour(hour: int) -> str:
    """An hour of the day as the start of its slot: 9 → "09:00"."""
    return f"{int(hour):02d}:00"
