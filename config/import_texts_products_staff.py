"""Messages and page texts of the import area "products_staff" in both languages (merged into the import
messages by :mod:`config.import_texts`; a key may be defined only once)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "import_product_family_segment": {
        "zh": "{family} 类产品的客户类别须为 {segment}（账户明细按客户类别匹配贷款产品）。",
        "en": "A {family} product must have the segment {segment} (the account extracts match loans by segment).",
    },
    "import_staff_left_before_hired": {
        "zh": "离职日期早于入职日期（{hired}）。",
        "en": "Left before being hired ({hired}).",
    },
    "import_staff_hired_out_of_range": {
        "zh": "入职日期须在 {earliest} 至今天（{today}）之间。",
        "en": "The hire date must lie between {earliest} and today ({today}).",
    },
    "import_staff_manager_role_unflagged": {
        "zh": "岗位 {role} 是客户经理岗位，“是否客户经理”须为“是”（或改填其他岗位）。",
        "en": "The role {role} is a relationship-manager role: is_relationship_manager must be yes "
        "(or use another role).",
    },
}
