"""The value axis of a catalogue metric: amounts in 亿元/万元 (RMB bn/m), counts in 万/亿 in
Chinese, ratios in %, the unit in the axis title and never an SI suffix ("30B", "500M", "-290k")
on the ticks. Pages divide their values by ``divisor`` before plotting."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ui.charts import axis_title, largest_magnitude, money_scale
from ui.i18n import current_language, t

PLAIN_TICKS = ",~f"  # thousands separators, no SI suffix, no trailing zeros


@dataclass(frozen=True)
class MetricAxis:
    """How to plot one metric: divide by ``divisor``; ``title`` names the unit; ``tickformat``
    and ``hoverformat`` are d3 formats of the divided values."""

    divisor: float
    title: str
    tickformat: str
    hoverformat: str

    def layout(self) -> dict:
        """Plotly axis settings (title, tick and hover formats, no exponent suffixes)."""
        return {
            "title": {"text": self.title},
            "tickformat": self.tickformat,
            "hoverformat": self.hoverformat,
            "exponentformat": "none",
        }

    def scale(self, values) -> list:
        """``values`` divided for plotting (missing values stay missing)."""
        return [None if v is None or v != v else float(v) / self.divisor for v in values]


def _count_scale(values: Iterable[float], lang: str) -> tuple[float, str]:
    largest = largest_magnitude(values)
    if lang == "zh":
        if largest >= 1e8:
            return 1e8, "亿"
        if largest >= 1e4:
            return 1e4, "万"
    return 1.0, ""


def metric_axis(values: Iterable[float], unit: str, title: str | None = None) -> MetricAxis:
    """The axis of a metric of catalogue ``unit`` (rmb, count, ratio, minutes, score) for
    ``values``; ``title`` defaults to the unit's generic name ("金额", "数量", …)."""
    lang = current_language()
    values = list(values)
    if unit == "rmb":
        divisor, unit_text = money_scale([v for v in values if v is not None], lang)
        return MetricAxis(divisor, axis_title(title or t("axis_amount"), unit_text), PLAIN_TICKS, ",.2f")
    if unit == "ratio":
        return MetricAxis(1.0, title or t("kpi_axis_ratio"), ".1%", ".1%")
    if unit == "count":
        divisor, unit_text = _count_scale(values, lang)
        name = title or t("kpi_axis_count")
        shown = axis_title(name, unit_text) if unit_text else name
        return MetricAxis(divisor, shown, PLAIN_TICKS, ",.2f" if divisor > 1 else ",.0f")
    if unit == "minutes":
        return MetricAxis(1.0, axis_title(title, t("kpi_axis_minutes")) if title else t("kpi_axis_minutes"),
                          PLAIN_TICKS, ",.1f")  # fmt: skip
    return MetricAxis(1.0, title or t("kpi_axis_score"), PLAIN_TICKS, ",.1f")
