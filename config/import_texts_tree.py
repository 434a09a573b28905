"""Import messages of the organisation tree's levels (org_units kind): the head office, and the
one top unit a tree has, in both languages (merged into the import messages by
:mod:`config.import_texts`; a key may be defined only once)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "import_head_office_has_no_parent": {
        "zh": "总行（head_office）是机构树的顶层，不能有上级机构。",
        "en": "A head office (head_office) is the top of the tree and has no parent unit.",
    },
    "import_second_top_unit": {
        "zh": "机构树只能有一个顶层机构，已有 {top}：请填写本机构的上级机构代码。多个省分行须置于同一总行之下"
        "（总行与各省分行在同一文件中导入）。",
        "en": "The tree has one top unit, and {top} is already one: give this unit its parent's code. "
        "Several provincial branches go under one head office (load the head office with them in one file).",
    },
}
