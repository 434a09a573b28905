"""M/M/c (Erlang C) formulas for an outlet lobby: one queue, ``c`` counters, Poisson arrivals,
exponential service. Used to size counters per outlet, hour and day type.

Units: ``arrival_rate`` and ``mean_service_time`` must use the same time unit (e.g. customers
per minute and minutes); waits come back in the unit of ``mean_service_time``. The vectorised
:func:`staffing_plan` takes the units the bank reports in (customers per hour, minutes).

All scalar functions broadcast over numpy arrays (any shapes numpy can broadcast), so a whole
region's outlets × hours × day types are evaluated in one call. Scalar inputs give Python
floats/ints back.

Conventions, applied everywhere:

* **Unstable system** (offered load ``a = λ·S ≥ c``): the queue grows without bound, so
  :func:`erlang_c` returns 1.0 (everyone waits), :func:`mean_wait` returns ``inf`` and
  :func:`service_level` returns 0.0 (the share served within any finite target tends to 0).
  Staffing searches only ever return ``c > a``.
* **Zero arrivals** (``λ = 0``): nobody arrives, so nobody waits: ``erlang_c = 0``,
  ``mean_wait = 0``, ``service_level = 1`` for any number of counters (even 0), and
  0 counters are needed.
* **Bad input** (NaN/inf, negative arrival rate, zero or negative service time, negative
  target, service-level target outside the open interval (0, 1), negative or fractional
  counters) raises ``ValueError`` naming the argument.
* **Unreachable target** (no ``c ≤ max_servers`` meets it): the scalar searches raise
  :class:`TargetUnreachable` carrying the best achievable value; :func:`staffing_plan`
  never raises for it and marks such cells with ``UNREACHABLE`` (-1) and ``reachable=False``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "UNREACHABLE",
    "StaffingPlan",
    "TargetUnreachable",
    "erlang_b",
    "erlang_c",
    "mean_wait",
    "servers_needed",
    "servers_needed_for_mean_wait",
    "service_level",
    "staffing_plan",
]

#: Sentinel in :attr:`StaffingPlan.counters` for a cell whose target the lobby cannot meet.
UNREACHABLE = -1


class TargetUnreachable(Exception):
    """No number of counters up to ``max_servers`` meets the target.

    Attributes
    ----------
    max_servers : int
        The capacity that was searched (counters the lobby can hold).
    best_service_level : float or ndarray or None
        Service level with ``max_servers`` counters (the best achievable, since the service
        level rises with ``c``); set by :func:`servers_needed`.
    best_mean_wait : float or ndarray or None
        Mean wait with ``max_servers`` counters (the best achievable); set by
        :func:`servers_needed_for_mean_wait`.
    """

    def __init__(
        self,
        message: str,
        *,
        max_servers: int,
        best_service_level: float | NDArray[np.float64] | None = None,
        best_mean_wait: float | NDArray[np.float64] | None = None,
    ) -> None:
        super().__init__(message)
        self.max_servers = max_servers
        self.best_service_level = best_service_level
        self.best_mean_wait = best_mean_wait


# --------------------------------------------------------------------------- validation


def _location(mask: NDArray[np.bool_]) -> str:
    """' at index (i, j)' of the first True cell for arrays, '' for scalars."""
    if mask.ndim == 0:
        return ""
    return f" at index {tuple(int(i) for i in np.argwhere(mask)[0])}"


def _float_array(name: str, value: ArrayLike) -> NDArray[np.float64]:
    """``value`` as a float array, rejecting non-numbers, NaN and infinities by name."""
    try:
        if value is None:  # np.asarray(None, dtype=float) would silently give NaN
            raise TypeError
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a number or an array of numbers; got {value!r}") from error
    bad = ~np.isfinite(array)
    if bad.any():
        raise ValueError(f"{name} must be finite; got {array[bad].flat[0]}{_location(bad)}")
    return array


def _check(name: str, array: NDArray[np.float64], bad: NDArray[np.bool_], rule: str) -> None:
    if bad.any():
        raise ValueError(f"{name} must be {rule}; got {array[bad].flat[0]}{_location(bad)}")


def _arrival_rate(value: ArrayLike, name: str = "arrival_rate") -> NDArray[np.float64]:
    array = _float_array(name, value)
    _check(name, array, array < 0, ">= 0")
    return array


def _service_time(value: ArrayLike, name: str = "mean_service_time") -> NDArray[np.float64]:
    array = _float_array(name, value)
    _check(name, array, array <= 0, "> 0")
    return array


def _target_wait(value: ArrayLike, name: str = "target_wait") -> NDArray[np.float64]:
    array = _float_array(name, value)
    _check(name, array, array < 0, ">= 0")
    return array


def _target_level(value: ArrayLike, name: str = "target_service_level") -> NDArray[np.float64]:
    array = _float_array(name, value)
    _check(name, array, (array <= 0) | (array >= 1), "strictly between 0 and 1")
    return array


def _servers(value: ArrayLike, name: str = "servers") -> NDArray[np.int64]:
    """Counter counts: whole numbers >= 0 (3.0 is accepted as 3, 2.5 is not)."""
    array = _float_array(name, value)
    _check(name, array, array < 0, ">= 0")
    _check(name, array, array != np.round(array), "a whole number")
    return array.astype(np.int64)


def _result(array: NDArray, scalar: bool) -> float | NDArray:
    """Python float for scalar inputs, the array otherwise."""
    return float(array) if scalar else array


# --------------------------------------------------------------------------- core maths


def _erlang_b(offered_load: NDArray[np.float64], servers: NDArray[np.int64]) -> NDArray[np.float64]:
    """Erlang B by the recursion B(0)=1, B(k)=a·B(k-1)/(k + a·B(k-1)).

    Each step is a ratio of numbers in [0, k + a], so nothing overflows for any load; a cell
    stops updating once k reaches its own ``servers``. Cost: max(servers) array operations.
    """
    offered_load, servers = np.broadcast_arrays(offered_load, servers)
    blocking = np.ones(offered_load.shape)
    top = int(servers.max(initial=0))
    for k in range(1, top + 1):
        step = offered_load * blocking
        blocking = np.where(k <= servers, step / (k + step), blocking)
    return blocking


def _c_from_b(
    offered_load: NDArray[np.float64], servers: NDArray[np.int64], blocking: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Erlang C from Erlang B: C = B / (1 − ρ(1 − B)), ρ = a/c; 1 if a >= c, 0 if a = 0."""
    stable = offered_load < servers
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = offered_load / servers
        wait_probability = blocking / (1.0 - rho * (1.0 - blocking))
    wait_probability = np.where(stable, wait_probability, 1.0)
    return np.where(offered_load == 0, 0.0, wait_probability)


def _level_from_c(
    wait_probability: NDArray[np.float64],
    offered_load: NDArray[np.float64],
    servers: NDArray[np.int64],
    service_time: NDArray[np.float64],
    target_wait: NDArray[np.float64],
) -> NDArray[np.float64]:
    """P(wait <= t) = 1 − C·exp(−(c − a)·t/S); 0 if unstable, 1 if nobody arrives."""
    with np.errstate(over="ignore", invalid="ignore"):
        level = 1.0 - wait_probability * np.exp(-(servers - offered_load) * target_wait / service_time)
    level = np.where(offered_load < servers, level, 0.0)
    return np.where(offered_load == 0, 1.0, level)


def _wait_from_c(
    wait_probability: NDArray[np.float64],
    offered_load: NDArray[np.float64],
    servers: NDArray[np.int64],
    service_time: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Mean wait in queue W = C·S/(c − a); inf if unstable, 0 if nobody arrives."""
    with np.errstate(divide="ignore", invalid="ignore"):
        wait = wait_probability * service_time / (servers - offered_load)
    wait = np.where(offered_load < servers, wait, np.inf)
    return np.where(offered_load == 0, 0.0, wait)


# --------------------------------------------------------------------------- public formulas


def erlang_b(offered_load: ArrayLike, servers: ArrayLike) -> float | NDArray[np.float64]:
    """Erlang B blocking probability of an M/M/c/c loss system.

    Parameters
    ----------
    offered_load : float or array_like
        Offered load ``a = λ·S`` in Erlangs, >= 0.
    servers : int or array_like
        Number of servers ``c``, whole number >= 0. Broadcast against ``offered_load``.

    Returns
    -------
    float or ndarray
        B(c, a) in [0, 1]; 1 for ``c = 0``.
    """
    load = _arrival_rate(offered_load, "offered_load")
    counters = _servers(servers)
    return _result(_erlang_b(load, counters), load.ndim == 0 and counters.ndim == 0)


def erlang_c(arrival_rate: ArrayLike, mean_service_time: ArrayLike, servers: ArrayLike) -> float | NDArray[np.float64]:
    """Probability that an arrival has to wait (Erlang C) in an M/M/c queue.

    Parameters
    ----------
    arrival_rate : float or array_like
        Arrivals per unit time (λ), >= 0.
    mean_service_time : float or array_like
        Mean service time S in the same time unit, > 0.
    servers : int or array_like
        Counters ``c``, whole number >= 0. All three broadcast together.

    Returns
    -------
    float or ndarray
        P(wait > 0). 1.0 when the system is unstable (``a = λ·S >= c``); 0.0 when ``λ = 0``.

    Notes
    -----
    Computed from Erlang B by its recursion (no factorials or powers), then
    ``C = B / (1 − ρ(1 − B))`` with ``ρ = a/c``; stable for loads in the thousands.
    """
    rate = _arrival_rate(arrival_rate)
    service = _service_time(mean_service_time)
    counters = _servers(servers)
    load = rate * service
    wait_probability = _c_from_b(load, counters, _erlang_b(load, counters))
    return _result(wait_probability, rate.ndim == service.ndim == counters.ndim == 0)


def service_level(
    arrival_rate: ArrayLike, mean_service_time: ArrayLike, servers: ArrayLike, target_wait: ArrayLike
) -> float | NDArray[np.float64]:
    """Share of arrivals whose wait is at most ``target_wait`` in an M/M/c queue.

    Parameters
    ----------
    arrival_rate, mean_service_time, servers
        As for :func:`erlang_c`.
    target_wait : float or array_like
        Wait target, >= 0, in the unit of ``mean_service_time``. 0 gives the share served
        at once (1 − C).

    Returns
    -------
    float or ndarray
        ``1 − C·exp(−(c − a)·target_wait/S)``; 0.0 when unstable (``a >= c``), 1.0 when ``λ = 0``.
    """
    rate = _arrival_rate(arrival_rate)
    service = _service_time(mean_service_time)
    counters = _servers(servers)
    target = _target_wait(target_wait)
    load = rate * service
    wait_probability = _c_from_b(load, counters, _erlang_b(load, counters))
    level = _level_from_c(wait_probability, load, counters, service, target)
    return _result(level, rate.ndim == service.ndim == counters.ndim == target.ndim == 0)


def mean_wait(arrival_rate: ArrayLike, mean_service_time: ArrayLike, servers: ArrayLike) -> float | NDArray[np.float64]:
    """Mean wait in the queue (before reaching a counter) of an M/M/c queue.

    Parameters
    ----------
    arrival_rate, mean_service_time, servers
        As for :func:`erlang_c`.

    Returns
    -------
    float or ndarray
        ``C·S/(c − a)`` in the unit of ``mean_service_time``, averaged over all arrivals
        (those served at once count as 0); ``inf`` when unstable, 0.0 when ``λ = 0``.
    """
    rate = _arrival_rate(arrival_rate)
    service = _service_time(mean_service_time)
    counters = _servers(servers)
    load = rate * service
    wait_probability = _c_from_b(load, counters, _erlang_b(load, counters))
    wait = _wait_from_c(wait_probability, load, counters, service)
    return _result(wait, rate.ndim == service.ndim == counters.ndim == 0)


# --------------------------------------------------------------------------- staffing searches


def _search(
    load: NDArray[np.float64],
    meets,
    max_servers: NDArray[np.int64] | None,
) -> NDArray[np.int64]:
    """Smallest c per cell with ``meets(c, C(c))`` true; ``UNREACHABLE`` past ``max_servers``.

    Runs the Erlang B recursion once, c = 1, 2, ..., over whole arrays (one numpy pass per c,
    never a Python loop over cells). Criteria are monotone in c, so the first hit is minimal.
    Without ``max_servers`` it stops when every cell is met, which always happens because the
    service level tends to 1 and the mean wait to 0 as c grows.
    """
    needed = np.where(load == 0, 0, UNREACHABLE).astype(np.int64)
    pending = needed == UNREACHABLE
    if max_servers is not None:
        max_servers = np.broadcast_to(max_servers, load.shape)
        limit = int(max_servers.max(initial=0))
    blocking = np.ones(load.shape)
    c = 0
    while pending.any():
        c += 1
        if max_servers is not None:
            pending &= c <= max_servers
            if c > limit or not pending.any():
                break
        step = load * blocking
        blocking = step / (c + step)
        counters = np.full(load.shape, c, dtype=np.int64)
        hit = pending & meets(c, _c_from_b(load, counters, blocking))
        needed[hit] = c
        pending &= ~hit
    return needed


def _plan_arrays(
    rate: NDArray[np.float64],
    service: NDArray[np.float64],
    target: NDArray[np.float64],
    level: NDArray[np.float64],
    max_servers: NDArray[np.int64] | None,
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    rate, service, target, level = np.broadcast_arrays(rate, service, target, level)
    load = rate * service

    def meets(c: int, wait_probability: NDArray[np.float64]) -> NDArray[np.bool_]:
        return _level_from_c(wait_probability, load, np.int64(c), service, target) >= level

    return _search(load, meets, max_servers), load


def servers_needed(
    arrival_rate: ArrayLike,
    mean_service_time: ArrayLike,
    target_wait: ArrayLike,
    target_service_level: ArrayLike,
    max_servers: int | None = None,
) -> int | NDArray[np.int64]:
    """Fewest counters so that at least ``target_service_level`` of arrivals wait <= ``target_wait``.

    Parameters
    ----------
    arrival_rate : float or array_like
        Arrivals per unit time, >= 0.
    mean_service_time : float or array_like
        Mean service time in the same unit, > 0.
    target_wait : float or array_like
        Wait target in the unit of ``mean_service_time``, >= 0.
    target_service_level : float or array_like
        Required share, strictly between 0 and 1 (e.g. 0.8 for "80 % within 10 minutes").
    max_servers : int, optional
        Counters the lobby can hold. ``None`` searches without limit.

    Returns
    -------
    int or ndarray of int
        The smallest ``c`` with ``service_level(...) >= target_service_level``; always
        ``c > a`` (a stable queue), and 0 when ``arrival_rate`` is 0.

    Raises
    ------
    TargetUnreachable
        If some cell needs more than ``max_servers``; ``best_service_level`` holds the level
        reached with ``max_servers`` counters.
    ValueError
        On bad input (see the module docstring).
    """
    rate = _arrival_rate(arrival_rate)
    service = _service_time(mean_service_time)
    target = _target_wait(target_wait)
    level = _target_level(target_service_level)
    limit = None if max_servers is None else _servers(max_servers, "max_servers")
    scalar = rate.ndim == service.ndim == target.ndim == level.ndim == 0
    needed, _ = _plan_arrays(rate, service, target, level, limit)
    if (needed == UNREACHABLE).any():
        best = service_level(arrival_rate, mean_service_time, limit, target_wait)
        raise TargetUnreachable(
            f"no number of counters up to max_servers={int(limit.max())} reaches a service level of "
            f"{float(level.flat[0]) if level.ndim == 0 else 'the target'}"
            + (f"; the best achievable is {best:.4f}" if scalar else ""),
            max_servers=int(limit.max()),
            best_service_level=best,
        )
    return int(needed) if scalar else needed


def servers_needed_for_mean_wait(
    arrival_rate: ArrayLike,
    mean_service_time: ArrayLike,
    max_mean_wait: ArrayLike,
    max_servers: int | None = None,
) -> int | NDArray[np.int64]:
    """Fewest counters so that the mean wait (:func:`mean_wait`) is at most ``max_mean_wait``.

    Parameters
    ----------
    arrival_rate, mean_service_time
        As for :func:`servers_needed`.
    max_mean_wait : float or array_like
        Largest acceptable mean wait, > 0, in the unit of ``mean_service_time`` (0 could only
        be met with infinitely many counters).
    max_servers : int, optional
        Counters the lobby can hold. ``None`` searches without limit.

    Returns
    -------
    int or ndarray of int
        The smallest ``c > a`` meeting the target; 0 when ``arrival_rate`` is 0.

    Raises
    ------
    TargetUnreachable
        If some cell needs more than ``max_servers``; ``best_mean_wait`` holds the mean wait
        with ``max_servers`` counters.
    ValueError
        On bad input.
    """
    rate = _arrival_rate(arrival_rate)
    service = _service_time(mean_service_time)
    target = _float_array("max_mean_wait", max_mean_wait)
    _check("max_mean_wait", target, target <= 0, "> 0")
    limit = None if max_servers is None else _servers(max_servers, "max_servers")
    scalar = rate.ndim == service.ndim == target.ndim == 0
    rate, service, target = np.broadcast_arrays(rate, service, target)
    load = rate * service

    def meets(c: int, wait_probability: NDArray[np.float64]) -> NDArray[np.bool_]:
        return _wait_from_c(wait_probability, load, np.int64(c), service) <= target

    needed = _search(load, meets, limit)
    if (needed == UNREACHABLE).any():
        best = mean_wait(arrival_rate, mean_service_time, limit)
        raise TargetUnreachable(
            f"no number of counters up to max_servers={int(limit.max())} brings the mean wait down to "
            f"{float(target.flat[0]) if scalar else 'the target'}"
            + (f"; the best achievable is {best:.4g}" if scalar else ""),
            max_servers=int(limit.max()),
            best_mean_wait=best,
        )
    return int(needed) if scalar else needed


# --------------------------------------------------------------------------- vectorised plan


@dataclass(frozen=True)
class StaffingPlan:
    """Counters per cell (e.g. outlet × hour × day type) and the service they give.

    All arrays share the broadcast shape of :func:`staffing_plan`'s inputs.

    Attributes
    ----------
    counters : ndarray of int
        Fewest counters meeting the target; 0 where nobody arrives; ``UNREACHABLE`` (-1)
        where even ``max_servers`` counters cannot meet it.
    reachable : ndarray of bool
        ``counters != UNREACHABLE``.
    service_level : ndarray of float
        Share of arrivals waiting <= the target with ``counters`` counters; where the
        target is unreachable, the best achievable level (with ``max_servers``).
    mean_wait_minutes : ndarray of float
        Mean wait in minutes with the same counters (``inf`` if even ``max_servers`` is unstable).
    offered_load : ndarray of float
        Offered load in Erlangs (arrivals per minute × service minutes): the average number
        of busy counters, and the lower bound any plan must exceed.
    """

    counters: NDArray[np.int64]
    reachable: NDArray[np.bool_]
    service_level: NDArray[np.float64]
    mean_wait_minutes: NDArray[np.float64]
    offered_load: NDArray[np.float64]


def staffing_plan(
    arrivals_per_hour: ArrayLike,
    mean_service_minutes: ArrayLike,
    target_wait_minutes: ArrayLike,
    target_service_level: ArrayLike,
    max_servers: ArrayLike,
) -> StaffingPlan:
    """Counters needed in every cell, vectorised (one numpy pass per counter count, not per cell).

    Parameters
    ----------
    arrivals_per_hour : array_like
        Mean arrivals per hour, >= 0, any shape, e.g. (outlets, 8 hours, 2 day types).
    mean_service_minutes : array_like
        Mean service time in minutes, > 0, broadcastable to ``arrivals_per_hour``
        (e.g. shape (outlets, 1, 1) for one value per outlet).
    target_wait_minutes : float or array_like
        Wait target in minutes, >= 0 (e.g. 10).
    target_service_level : float or array_like
        Required share of arrivals served within the target, in (0, 1) (e.g. 0.8).
    max_servers : int or array_like
        Counters the lobby can hold, whole number >= 0; broadcastable (one per outlet).

    Returns
    -------
    StaffingPlan
        Counters (``UNREACHABLE`` = -1 where the lobby's capacity cannot meet the target;
        never raises for that), the service level and mean wait (minutes) they give, and the
        offered load.
    """
    rate = _arrival_rate(arrivals_per_hour, "arrivals_per_hour")
    service = _service_time(mean_service_minutes, "mean_service_minutes")
    target = _target_wait(target_wait_minutes, "target_wait_minutes")
    level = _target_level(target_service_level)
    limit = _servers(max_servers, "max_servers")
    # Minutes throughout: λ per minute × S minutes = Erlangs; waits then come out in minutes.
    per_minute = rate / 60.0
    counters, load = _plan_arrays(per_minute, service, target, level, limit)
    shape = counters.shape
    reachable = counters != UNREACHABLE
    evaluated = np.where(reachable, counters, np.broadcast_to(limit, shape))
    service_b, target_b = np.broadcast_to(service, shape), np.broadcast_to(target, shape)
    wait_probability = _c_from_b(load, evaluated, _erlang_b(load, evaluated))
    return StaffingPlan(
        counters=counters,
        reachable=reachable,
        service_level=_level_from_c(wait_probability, load, evaluated, service_b, target_b),
        mean_wait_minutes=_wait_from_c(wait_probability, load, evaluated, service_b),
        offered_load=load,
    )
