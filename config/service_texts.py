"""User-facing strings of the service pages (issue 7), zh and en; merged into the translation table."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # Lobby page headline (units in the label keep the values short enough for five columns).
    "lobby_metric_mean_wait_minutes": {"zh": "平均等候（分钟）", "en": "Mean wait (min)"},
    "lobby_metric_p95_wait_minutes": {"zh": "95% 客户等候不超过（分钟）", "en": "95th-percentile wait (min)"},
    "lobby_metric_service_minutes": {"zh": "平均办理时长（分钟）", "en": "Mean service time (min)"},
}
