"""Money attached to a site decision: yearly cash flows of an outlet, NPV and payback.

Cash flows are yearly, in RMB: year 0 is the one-off build cost (negative); in year ``t = 1 … H``
the outlet earns its margin at maturity times a linear ramp-up ``min(t / ramp_years, 1)`` and
pays its running cost (rent, staff, upkeep) in full:

    CF_0 = −build,   CF_t = margin · min(t / R, 1) − running.

``NPV = Σ_t CF_t / (1 + r)^t``. Payback is the time (years, interpolated within the year) at which
the undiscounted cumulative cash flow first reaches 0; ``inf`` when it never does within the
horizon. The margin at maturity is the net deposits gained times the annual margin per RMB of
deposits (net interest margin on deposits, e.g. 1.5 %).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["cash_flows", "npv", "payback_years", "per_unit_rate", "site_economics"]


def cash_flows(
    build_cost_rmb: ArrayLike,
    annual_margin_rmb: ArrayLike,
    annual_running_cost_rmb: ArrayLike,
    horizon_years: int,
    ramp_years: float = 3.0,
) -> NDArray[np.float64]:
    """Yearly cash flows (n_sites, horizon + 1) in RMB; inputs broadcast over sites."""
    if int(horizon_years) != horizon_years or horizon_years < 1:
        raise ValueError(f"horizon_years must be a positive integer, got {horizon_years!r}")
    if not math.isfinite(ramp_years) or ramp_years <= 0:
        raise ValueError(f"ramp_years must be > 0, got {ramp_years!r}")
    build, margin, running = np.broadcast_arrays(
        np.atleast_1d(np.asarray(build_cost_rmb, dtype=float)),
        np.atleast_1d(np.asarray(annual_margin_rmb, dtype=float)),
        np.atleast_1d(np.asarray(annual_running_cost_rmb, dtype=float)),
    )
    years = np.arange(1, int(horizon_years) + 1)
    ramp = np.minimum(years / ramp_years, 1.0)
    flows = np.empty((build.shape[0], years.shape[0] + 1))
    flows[:, 0] = -build
    flows[:, 1:] = margin[:, None] * ramp[None, :] - running[:, None]
    return flows


def npv(flows: ArrayLike, discount_rate: float) -> NDArray[np.float64]:
    """Net present value (RMB) of yearly flows (n_sites, n_years + 1), year 0 undiscounted."""
    rate = float(discount_rate)
    if not math.isfinite(rate) or rate <= -1:
        raise ValueError(f"discount_rate must be > -1, got {discount_rate!r}")
    matrix = np.atleast_2d(np.asarray(flows, dtype=float))
    factors = (1.0 + rate) ** -np.arange(matrix.shape[1])
    return matrix @ factors


def payback_years(flows: ArrayLike) -> NDArray[np.float64]:
    """Years until the cumulative (undiscounted) cash flow reaches 0, interpolated linearly within
    the year it turns; 0 when nothing is invested; ``inf`` when it never pays back."""
    matrix = np.atleast_2d(np.asarray(flows, dtype=float))
    cumulative = np.cumsum(matrix, axis=1)
    result = np.full(matrix.shape[0], np.inf)
    for row in range(matrix.shape[0]):
        reached = np.flatnonzero(cumulative[row] >= 0)
        if reached.shape[0] == 0:
            continue
        year = int(reached[0])
        if year == 0:
            result[row] = 0.0
            continue
        shortfall = -cumulative[row, year - 1]  # still to recover at the start of the year
        result[row] = year - 1 + shortfall / matrix[row, year]
    return result


def per_unit_rate(total: float, units: float) -> float:
    """``total / units`` (e.g. RMB of deposits per unit of captured demand); 0 when units is 0."""
    return float(total) / float(units) if units > 0 else 0.0


def site_economics(
    captured: ArrayLike,
    net_gain: ArrayLike,
    *,
    deposits_per_unit: float,
    customers_per_unit: float,
    margin_rate: float,
    build_cost_rmb: ArrayLike,
    annual_running_cost_rmb: ArrayLike,
    horizon_years: int = 10,
    ramp_years: float = 3.0,
    discount_rate: float = 0.08,
):
    """Deposits, customers, cash flows, NPV and payback of candidate sites.

    ``captured`` and ``net_gain`` (demand units: captured minus cannibalised from our own outlets)
    per site become deposits (RMB) and customers at maturity with the network's own ratios
    (``deposits_per_unit``, ``customers_per_unit``: our outlets' deposits and customers per unit of
    demand they capture today). The outlet's margin is ``margin_rate`` × the network's net deposit
    gain; cash flows, NPV and payback as in :func:`cash_flows`. Returns a DataFrame with
    ``deposits_rmb``, ``net_deposits_rmb``, ``customers``, ``annual_margin_rmb``, ``build_cost_rmb``,
    ``annual_running_cost_rmb``, ``npv_rmb``, ``payback_years``.
    """
    import pandas as pd

    captured = np.asarray(captured, dtype=float)
    net = np.asarray(net_gain, dtype=float)
    margin = net * deposits_per_unit * margin_rate
    build = np.broadcast_to(np.asarray(build_cost_rmb, dtype=float), captured.shape)
    running = np.broadcast_to(np.asarray(annual_running_cost_rmb, dtype=float), captured.shape)
    flows = cash_flows(build, margin, running, horizon_years, ramp_years)
    return pd.DataFrame(
        {
            "deposits_rmb": captured * deposits_per_unit,
            "net_deposits_rmb": net * deposits_per_unit,
            "customers": captured * customers_per_unit,
            "annual_margin_rmb": margin,
            "build_cost_rmb": build,
            "annual_running_cost_rmb": running,
            "npv_rmb": npv(flows, discount_rate),
            "payback_years": payback_years(flows),
        }
    )
