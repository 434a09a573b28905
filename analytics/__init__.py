"""BranchScope's models: pure numpy/pandas/scipy, free of Streamlit and SQL.

The public API is one module per model, as in scikit-learn: ``analytics.__all__`` lists them and
each module's own ``__all__`` lists its public names (``from analytics.lobby import plan_hours``).
The modules load lazily on first use (``import analytics`` alone loads none of them, so pages
pay only for the models they use; scipy.optimize alone takes over a second to import).

Examples
--------
>>> import analytics
>>> "queueing" in analytics.__all__
True
>>> # 1 customer a minute, 1 minute each, 2 counters: 1 Erlang on 2 servers waits with P = 1/3
>>> round(float(analytics.queueing.erlang_c(1.0, 1.0, 2)), 6)
0.333333
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = [
    "action_rules",
    "alerts",
    "bulletin",
    "catchment",
    "clv",
    "customer_value",
    "data_quality",
    "dea",
    "diversion",
    "finance",
    "huff",
    "lobby",
    "lobby_simulation",
    "next_product",
    "peers",
    "queueing",
    "reconciliation",
    "scenarios",
    "scoring",
    "segmentation",
    "service_quality",
    "siting",
    "targets",
]


def __getattr__(name: str) -> ModuleType:
    """Import a model module on first access (``analytics.lobby``), PEP 562."""
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
