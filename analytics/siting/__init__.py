"""Exact site selection on a demand × candidate matrix: three models, one module each.

* :mod:`analytics.siting.pmedian`: p-median, open ``p`` sites minimising the total weighted
  distance to the nearest open site (weight × cost units, e.g. household-km); Benders
  decomposition of the radius formulation.
* :mod:`analytics.siting.covering`: maximal covering, open ``p`` sites maximising the weight within
  a radius of an open site (e.g. households), optionally within a build budget (RMB).
* :mod:`analytics.siting.huff_capture`: maximum Huff capture, open ``p`` sites maximising the
  demand our outlets capture under the Huff model; greedy with its submodularity bound, or exact
  by outer approximation.
* :mod:`analytics.siting._core`: what they share (the result type, the time limit, input checks,
  reading HiGHS's answers).

Every model takes the matrix, e.g. ``cost`` (n_demand, n_candidates) in km or travel minutes from
each demand point to each candidate site, and ``weights`` (n_demand,) >= 0, e.g. households or RMB
of deposit potential; ``fixed`` lists candidate indices forced open (existing branches that stay).
Each is solved to proven optimality with ``scipy.optimize.milp`` / ``linprog`` (HiGHS); when
``time_limit`` (seconds) runs out, the best solution found so far is returned with
``status="time_limit"`` and the relative gap to the best proven bound.

Examples
--------
Three villages of 10, 20 and 30 households, 0/4, 3/1 and 5/2 km from two candidate sites:

>>> from analytics.siting import maximal_covering, p_median
>>> cost = [[0.0, 4.0], [3.0, 1.0], [5.0, 2.0]]
>>> weights = [10.0, 20.0, 30.0]
>>> result = p_median(cost, weights, 1)  # 10·0 + 20·3 + 30·5 = 210 or 10·4 + 20·1 + 30·2 = 120
>>> result.selected, result.objective, result.status
((1,), 120.0, 'optimal')
>>> maximal_covering(cost, weights, 1, radius=3.0).objective  # site 1 covers 20 + 30 households
50.0
"""

from __future__ import annotations

from analytics.siting._core import OPTIMALITY_TOLERANCE, SitingResult
from analytics.siting.covering import covered_weight, maximal_covering
from analytics.siting.huff_capture import MAX_EXACT_PAIRS, HuffCaptureResult, huff_capture_value, max_huff_capture
from analytics.siting.pmedian import p_median, p_median_cost

__all__ = [
    "MAX_EXACT_PAIRS",
    "OPTIMALITY_TOLERANCE",
    "HuffCaptureResult",
    "SitingResult",
    "covered_weight",
    "huff_capture_value",
    "max_huff_capture",
    "maximal_covering",
    "p_median",
    "p_median_cost",
]
