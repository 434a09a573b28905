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


# (threshold, divisor, suffix) from the largest: English shows thousands from ten thousand up.
_COMPACT_STEPS = {
    ("money", "zh"): ((1e8, 1e8, "亿元"), (1e4, 1e4, "万元")),
    ("count", "zh"): ((1e8, 1e8, "亿"), (1e4, 1e4, "万")),
    ("money", "en"): ((1e9, 1e9, "bn"), (1e6, 1e6, "m"), (1e4, 1e3, "k")),
    ("count", "en"): ((1e9, 1e9, "bn"), (1e6, 1e6, "m"), (1e4, 1e3, "k")),
}


def _compact(value: float, kind: str, lang: str) -> str | None:
    """ "1,288.1 亿元"-style text of ``value`` (one decimal), or None below the smallest step.

    A value that would round up to the next unit is shown in it ("1.0 亿元", not "10,000.0 万元").
    """
    steps = _COMPACT_STEPS[(kind, "zh" if lang == "zh" else "en")]
    size = abs(value)
    for index, (threshold, divisor, suffix) in enumerate(steps):
        if index + 1 < len(steps):
            rounds_up = _one_decimal(size / steps[index + 1][1]) * steps[index + 1][1] >= threshold
        else:
            rounds_up = math.floor(size + 0.5) >= threshold  # shown as a whole number below
        if size >= threshold or rounds_up:
            return f"{_one_decimal(value / divisor):,.1f} {suffix}"
    return None


def format_compact_money(value_rmb: float | None, lang: str) -> str:
    """Amount in RMB short enough for a headline card, one decimal: "1,288.1 亿元" / "345.7 万元" /
    "850 元"; "RMB 128.8 bn" / "RMB 34.6 m" / "RMB 45.2 k" / "RMB 850"."""
    if _missing(value_rmb):
        return MISSING
    text = _compact(value_rmb, "money", lang)
    if lang == "zh":
        return text or f"{value_rmb:,.0f} 元"
    return f"RMB {text}" if text else f"RMB {value_rmb:,.0f}"


def format_compact_count(value: float | None, lang: str) -> str:
    """A count short enough for a headline card: "240.5 万" / "1.2 亿" in Chinese, "2.4 m" /
    "45.2 k" in English; below ten thousand the whole number ("9,876")."""
    if _missing(value):
        return MISSING
    return _compact(value, "count", lang) or f"{value:,.0f}"


def format_compact(value: float | None, unit: str, lang: str) -> str:
    """A catalogue metric value for a headline card: amounts and counts compact (one decimal in
    万/亿, k/m/bn), everything else as :func:`format_value`."""
    if unit == "rmb":
        return format_compact_money(value, lang)
    if unit == "count":
        return format_compact_count(value, lang)
    return format_value(value, unit, lang)


def _one_decimal(value: float) -> float:
    """``value`` rounded half away from zero to one decimal (so 12.95 shows as 13.0, not 12.9)."""
    return math.copysign(math.floor(abs(value) * 10 + 0.5) / 10, value)


MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_of_year_label(month: int, lang: str) -> str:
    """A month of the year on an axis: 6 → "6月" / "Jun"."""
    return f"{int(month)}月" if lang == "zh" else MONTH_ABBREVIATIONS[int(month) - 1]


def format_hour(hour: int) -> str:
    """An hour of the day as the start of its slot: 9 → "09:00"."""
    return f"{int(hour):02d}:00"
