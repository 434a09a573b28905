"""Number formatting for the pages, as in :mod:`config.formatting` (where it lives so that the
reports below ui/ format numbers exactly as the pages do); re-exported here for the pages."""

from __future__ import annotations

from config.formatting import (
    MISSING,
    MONTH_ABBREVIATIONS,
    format_change,
    format_compact,
    format_compact_count,
    format_compact_money,
    format_count,
    format_hour,
    format_money,
    format_ratio,
    format_value,
    month_of_year_label,
)

__all__ = [
    "MISSING",
    "MONTH_ABBREVIATIONS",
    "format_change",
    "format_compact",
    "format_compact_count",
    "format_compact_money",
    "format_count",
    "format_hour",
    "format_money",
    "format_ratio",
    "format_value",
    "month_of_year_label",
]
