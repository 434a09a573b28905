"""Labels that tell organisation units apart when several share a name.

A bank names outlets after streets and neighbourhoods, so the same name recurs: the demo has
five "民族分理处". A chart or picker that shows names alone merges or stacks those outlets. Every
unit therefore gets one label per language that is unique among the units a user can see:

- the name alone when no other unit of the same level in the set has that name;
- "名称（上级支行）" / "Name (parent)" when it does;
- "名称（上级支行 · 代码）" / "Name (parent · code)" when two units of one parent share a name.

Pure pandas: the query ``data.queries.unit_labels`` reads the units, the UI looks labels up.
"""

from __future__ import annotations

import pandas as pd

LANGUAGES = ("zh", "en")


def _with_parent(name: str, parent: str | None, lang: str, code: str | None = None) -> str:
    detail = " · ".join(part for part in (parent, code) if part)
    if not detail:
        return name
    return f"{name}（{detail}）" if lang == "zh" else f"{name} ({detail})"


def disambiguated_labels(units: pd.DataFrame) -> pd.DataFrame:
    """Add ``label_zh`` and ``label_en`` to ``units``.

    ``units`` has columns id, code, level, name_zh, name_en, parent_name_zh, parent_name_en
    (parent names may be missing for the root). Labels are unique within each level of the
    frame; the frame is returned in its order, with the two new columns.
    """
    out = units.copy()
    for lang in LANGUAGES:
        name, parent = out[f"name_{lang}"].astype(str), out[f"parent_name_{lang}"]
        shared = name.groupby([out["level"], name]).transform("size") > 1
        labels = name.copy()
        labels[shared] = [_with_parent(n, p, lang) for n, p in zip(name[shared], parent[shared], strict=True)]
        still = labels.groupby([out["level"], labels]).transform("size") > 1
        labels[still] = [
            _with_parent(n, p, lang, c)
            for n, p, c in zip(name[still], parent[still], out.loc[still, "code"], strict=True)
        ]
        out[f"label_{lang}"] = labels
    return out
