"""Messages and page texts of the import area "units": the lifecycle columns of the org_units
kind and the registry's events (unit_events), in both languages (merged into the import messages
by :mod:`config.import_texts`; a key may be defined only once)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "import_closed_on_required": {
        "zh": "状态为 {status} 的机构须填写撤并日期。",
        "en": "A unit with status {status} needs the date it closed (closed_on).",
    },
    "import_merged_into_required": {
        "zh": "状态为 merged 的机构须填写并入机构代码。",
        "en": "A merged unit needs the code of the unit it was merged into (merged_into_code).",
    },
    "import_merged_into_not_merged": {
        "zh": "只有状态为 merged 的机构才能填写并入机构代码。",
        "en": "Only a unit with status merged has a unit it was merged into.",
    },
    "import_merged_into_itself": {
        "zh": "机构不能并入自身。",
        "en": "A unit cannot be merged into itself.",
    },
    "import_merged_into_wrong_level": {
        "zh": "并入的机构须与本机构同一层级（{level}）。",
        "en": "The unit merged into must have the merged unit's level ({level}).",
    },
    "import_merged_into_unknown": {
        "zh": "并入机构代码既不在本文件中，也不在已导入的机构中。",
        "en": "The unit merged into is neither in this file nor among the units already loaded.",
    },
    "import_related_unit_is_itself": {
        "zh": "相关机构不能是该机构自身。",
        "en": "The related unit cannot be the unit itself.",
    },
    "import_merged_event_needs_related": {
        "zh": "合并（merged）记录须填写并入的机构代码（相关机构代码）。",
        "en": "A merged event needs the unit merged into (related_unit_code).",
    },
    # Columns of a staged batch's preview that are not the file's own columns.
    "import_field_merged_into_id": {"zh": "并入机构（ID）", "en": "Merged into (ID)"},
    "import_field_recorded_by": {"zh": "记录人", "en": "Recorded by"},
    "import_field_detail": {"zh": "变更明细", "en": "Detail"},
}
