"""Messages and page texts of the import area "customer_changes" in both languages (merged into the import
messages by :mod:`config.import_texts`; a key may be defined only once)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "import_customer_change_nothing": {
        "zh": "该行没有任何变更：地址、手机号、归属网点、客户经理、重点客户、居住网格、行业至少填写一项。",
        "en": "The row changes nothing: give at least one of address, phone, home outlet, relationship manager, "
        "key customer, home cell or industry.",
    },
    "import_customer_change_manager_left": {
        "zh": "该客户经理已于{left_on}离职，不能自{effective_on}起管户。",
        "en": "This relationship manager left on {left_on} and cannot take the customer from {effective_on}.",
    },
    "import_customer_change_not_a_manager": {
        "zh": "该员工不是客户经理（员工信息中“是否客户经理”为否），不能管户。",
        "en": "This employee is not a relationship manager (the staff extract's flag is not set).",
    },
    "import_customer_change_manager_not_hired": {
        "zh": "该员工{hired_on}入职，{effective_on}时尚未入职，不能管户。",
        "en": "This employee was hired on {hired_on} and cannot take customers from {effective_on}.",
    },
    "import_customer_change_outlet_not_open": {
        "zh": "该网点在{effective_on}不营业（尚未开业、已关闭或已撤并），客户不能归属于它。",
        "en": "This outlet does not serve customers on {effective_on} (not yet open, closed or merged).",
    },
    "import_customer_change_too_far_ahead": {
        "zh": "生效日期晚于{latest}（今天起{days}天以后），疑似填写错误。",
        "en": "Effective after {latest} (more than {days} days from today): probably a typing error.",
    },
    "import_customer_change_applied": {
        "zh": "已生效客户信息变更{applied}条；尚有{pending}条待到生效日期。",
        "en": "{applied} customer changes took effect; {pending} wait for their effective date.",
    },
}
