"""Messages and page texts of the import area "complaints" in both languages (merged into the import
messages by :mod:`config.import_texts`; a key may be defined only once)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "import_change_before_received": {
        "zh": "状态变更时间早于该投诉的受理时间（{received}）。",
        "en": "The status changes before the complaint was received ({received}).",
    },
    # Columns of a staged complaints batch's preview that are not the file's own columns.
    "import_field_status": {"zh": "状态", "en": "Status"},
    "import_field_closed_at": {"zh": "办结时间", "en": "Closed at"},
}
