"""Unit labels for charts, pickers, tables and exports: unique even where names repeat.

Charts group marks by their label, so two outlets called "民族分理处" would become one bar.
Pages key their data on the unit id and show ``unit_label(id)``, which is the name where it is
unambiguous and "名称（上级支行）" / "Name (sub-branch)" where it is not (``data.unit_labels``).
Labels are made over everything the user may see, so one outlet reads the same on every page.
"""

from __future__ import annotations

import pandas as pd

from data import queries
from ui.data_access import run_query
from ui.i18n import current_language
from ui.session import current_scope


def unit_label_map() -> dict[int, str]:
    """Unit id → label in the session language, for every unit in the user's scope (cached)."""
    units = run_query(queries.unit_labels, current_scope().root_unit_id)
    return dict(zip(units["id"].astype(int), units[f"label_{current_language()}"], strict=True))


def unit_label(unit_id: int) -> str:
    """The label of one unit in the user's scope."""
    return unit_label_map()[int(unit_id)]


def with_unit_labels(frame: pd.DataFrame, id_column: str = "id", column: str = "label") -> pd.DataFrame:
    """A copy of ``frame`` with ``column`` holding the label of the unit in ``id_column``."""
    labels = unit_label_map()
    out = frame.copy()
    out[column] = [labels.get(int(unit_id), "") for unit_id in out[id_column]]
    return out
