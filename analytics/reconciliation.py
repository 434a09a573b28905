"""Reconciliation of the KPI import against the account extracts, and the source of KPI figures
(pure: pandas in and out; the inputs come from ``data.queries_reconciliation``).

Comparison (``compare``)
    For an outlet, month and metric the KPI import gives ``import_value`` and the complete account
    extracts give ``account_value`` (both RMB). The difference is ``account_value − import_value``
    (元); the relative difference is that divided by ``|import_value|`` (NaN when the import value
    is 0). A difference is **flagged** when ``|difference| > absolute_rmb + relative × |import_value|``
    (the tolerance of ``numpy.isclose``: a fixed amount for rounding, e.g. a KPI report in 万元,
    plus a share of the figure). Status of a row: ``match`` (both sides, within the tolerance),
    ``differs`` (both sides, flagged), ``import_only`` or ``accounts_only`` (one side).

Outlet-months (``outlet_status``, ``summary``)
    An outlet's month is ``differs`` when any of its metrics differs, else ``match`` when any
    metric has both sides, else ``import_only`` / ``accounts_only`` (``one_sided`` when its
    metrics have one side each but not all the same one).

Sources of a figure (``figure_sources``)
    ``kpi_monthly.source`` says whether an outlet-month value came from the KPI import or was
    derived from account extracts. A figure of the explorer (a metric over a period and a subtree)
    mixes the values of its base components over the outlets, in every month of the period for
    flow and mean metrics, in the period's end month for stock metrics.
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from config.metrics import BY_CODE, components

__all__ = [
    "Tolerance",
    "base_codes_of",
    "compare",
    "figure_sources",
    "has_account_figures",
    "largest_differences",
    "load_tolerance",
    "outlet_status",
    "summary",
]

ROW_STATUSES = ("differs", "match", "import_only", "accounts_only")
OUTLET_STATUSES = ("differs", "match", "import_only", "accounts_only", "one_sided")
SOURCES = ("import", "accounts", "mixed")
SETTING_KEYS = {"absolute_rmb": "reconciliation_tolerance_rmb", "relative": "reconciliation_tolerance_ratio"}


@dataclass(frozen=True)
class Tolerance:
    """How far the two sides may be apart before a difference is flagged.

    absolute_rmb : amount in RMB (元) always allowed (rounding of the KPI report), ≥ 0.
    relative : share of the import value allowed on top (0.001 = 0.1 %), ≥ 0.
    """

    absolute_rmb: float = 10_000.0
    relative: float = 0.001

    def __post_init__(self) -> None:
        for name in ("absolute_rmb", "relative"):
            value = float(getattr(self, name))
            if math.isnan(value) or value < 0 or math.isinf(value):
                raise ValueError(f"{name} must be a finite number ≥ 0")


def load_tolerance(defaults_file=None) -> Tolerance:
    """The tolerance from ``config/defaults.toml`` (``reconciliation_tolerance_rmb``,
    ``reconciliation_tolerance_ratio``), each overridable by ``BRANCHSCOPE_<NAME>``; missing keys
    keep the dataclass defaults."""
    if defaults_file is None:
        from config.settings import DEFAULTS_FILE as defaults_file
    values = {}
    if defaults_file.exists():
        with defaults_file.open("rb") as handle:
            values = tomllib.load(handle)
    tolerance = {}
    for field, key in SETTING_KEYS.items():
        value = os.environ.get(f"BRANCHSCOPE_{key.upper()}", values.get(key))
        if value is not None:
            tolerance[field] = float(value)
    return Tolerance(**tolerance)


def compare(sides: pd.DataFrame, tolerance: Tolerance) -> pd.DataFrame:
    """``sides`` (import_value, account_value per row; NaN where a side is missing) with
    difference (account − import, RMB), relative_difference (difference ÷ |import|; NaN without
    both sides or with an import of 0), allowed (the tolerance for the row, RMB), flagged (bool)
    and status (one of ROW_STATUSES) added."""
    imported = sides["import_value"].astype("float64")
    accounts = sides["account_value"].astype("float64")
    both = imported.notna() & accounts.notna()
    difference = (accounts - imported).where(both)
    relative = difference / imported.abs().where(imported != 0)
    allowed = tolerance.absolute_rmb + tolerance.relative * imported.abs()
    flagged = both & (difference.abs() > allowed)
    status = np.select([flagged, both, imported.notna()], ["differs", "match", "import_only"], default="accounts_only")
    return sides.assign(
        difference=difference,
        relative_difference=relative,
        allowed=allowed.where(both),
        flagged=flagged.astype(bool),
        status=status,
    )


def outlet_status(compared: pd.DataFrame) -> pd.DataFrame:
    """One row per outlet of ``compared`` (the output of :func:`compare` for one month):
    outlet_id, metrics (rows), differing (flagged rows), status (one of OUTLET_STATUSES)."""
    if compared.empty:
        return pd.DataFrame(columns=["outlet_id", "metrics", "differing", "status"])
    counts = pd.crosstab(compared["outlet_id"], compared["status"]).reindex(columns=list(ROW_STATUSES), fill_value=0)
    status = np.select(
        [
            counts["differs"] > 0,
            counts["match"] > 0,
            counts["accounts_only"] == 0,
            counts["import_only"] == 0,
        ],
        ["differs", "match", "import_only", "accounts_only"],
        default="one_sided",
    )
    return pd.DataFrame(
        {
            "outlet_id": counts.index.astype("int64"),
            "metrics": counts.sum(axis=1).to_numpy(),
            "differing": counts["differs"].to_numpy(),
            "status": status,
        }
    ).reset_index(drop=True)


def summary(compared: pd.DataFrame) -> dict[str, int]:
    """Outlets by status (every key of OUTLET_STATUSES, 0 where none), plus ``outlets`` (all),
    ``one_sided_all`` (import only + accounts only + one sided) and ``flagged_rows``."""
    statuses = outlet_status(compared)["status"].value_counts()
    result = {status: int(statuses.get(status, 0)) for status in OUTLET_STATUSES}
    result["outlets"] = int(statuses.sum())
    result["one_sided_all"] = result["import_only"] + result["accounts_only"] + result["one_sided"]
    result["flagged_rows"] = int(compared["flagged"].sum()) if len(compared) else 0
    return result


def largest_differences(compared: pd.DataFrame, count: int = 15) -> pd.DataFrame:
    """The ``count`` flagged rows with the largest |difference| (RMB), largest first."""
    flagged = compared[compared["flagged"]]
    order = flagged["difference"].abs().sort_values(ascending=False, kind="stable").index
    return flagged.loc[order].head(count)


def base_codes_of(codes) -> tuple[str, ...]:
    """The base metric codes that catalogue metrics ``codes`` are computed from, sorted."""
    return tuple(sorted({base for code in codes for part in components(BY_CODE[code]) for base in part}))


def figure_sources(counts: pd.DataFrame, codes, end_month) -> pd.DataFrame:
    """Where each figure of catalogue metrics ``codes`` came from, per group.

    ``counts`` has group_id, metric_code (base codes), month, source ("import"/"accounts") and
    figures (as ``data.queries_reconciliation.kpi_source_counts``). For each group and code:
    import_figures and account_figures (outlet-month values of the metric's base components that
    make up the figure: every month for flow and mean components, ``end_month`` only for stock
    ones) and source ("import", "accounts" or "mixed"; None without any figure).
    """
    columns = ["group_id", "metric_code", "import_figures", "account_figures", "source"]
    membership = pd.DataFrame(
        [
            (code, base, BY_CODE[base].time_aggregation == "stock" if base in BY_CODE else False)
            for code in dict.fromkeys(codes)
            for part in components(BY_CODE[code])
            for base in part
        ],
        columns=["figure_code", "metric_code", "stock"],
    ).drop_duplicates(["figure_code", "metric_code"])
    if counts.empty or membership.empty:
        return pd.DataFrame(columns=columns)
    rows = counts.merge(membership, on="metric_code")
    rows = rows[~rows["stock"] | (rows["month"] == end_month)]
    table = (
        rows.pivot_table(index=["group_id", "figure_code"], columns="source", values="figures", aggfunc="sum")
        .reindex(columns=["import", "accounts"])
        .fillna(0)
        .astype("int64")
    )
    source = np.select(
        [(table["import"] > 0) & (table["accounts"] > 0), table["accounts"] > 0, table["import"] > 0],
        ["mixed", "accounts", "import"],
        default=None,
    )
    result = pd.DataFrame(
        {
            "import_figures": table["import"].to_numpy(),
            "account_figures": table["accounts"].to_numpy(),
            "source": source,
        },
        index=table.index,
    ).reset_index()
    return result.rename(columns={"figure_code": "metric_code"})[columns]


def has_account_figures(counts: pd.DataFrame) -> bool:
    """Whether any figure of ``counts`` came from the account extracts."""
    return bool(len(counts)) and bool((counts["source"] == "accounts").any())
