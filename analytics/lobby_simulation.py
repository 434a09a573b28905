"""Discrete-event simulation of one outlet-day's lobby: a single FIFO queue served by counters.

It checks what the Erlang C formulas (``analytics.queueing``) cannot: arrivals that change by
the hour, a day that starts with an empty lobby, counters opened and closed at hour
boundaries, service times that are not exponential, and customers who give up.

Model
-----
* **Clock**: minutes since opening; hour ``h`` covers [60·h, 60·(h+1)). The lobby admits
  arrivals during the ``H`` opening hours only.
* **Arrivals**: non-stationary Poisson, piecewise constant by hour: the count in hour ``h`` is
  Poisson(λ_h) and, given the count, the times are uniform in the hour (this is exactly a
  Poisson process with that rate, so no thinning is needed).
* **Service**: exponential with the hour's mean (by the customer's arrival hour) when
  ``service_cv == 1``; otherwise lognormal with that mean and coefficient of variation
  (``service_cv = 0`` gives fixed service times).
* **Queue discipline**: one FIFO queue; the customer at its head takes the counter that can
  start serving them first (lowest counter number on ties).
* **Counters changing at hour boundaries**: counters are numbered 0, 1, ...; counter ``j`` is
  staffed during hour ``h`` when ``j < counters_per_hour[h]``. A counter only *starts* a
  service while staffed; a service still running when the counter's hour ends is finished
  (nobody is sent back to the queue) and the counter closes afterwards. Counters added at a
  boundary start serving the queue at once.
* **Closing time**: doors close after the last hour; customers already in the lobby are served
  by the last hour's counters (``counters_per_hour[-1]`` must therefore be >= 1 if anyone can
  arrive).
* **Abandonment** (optional): each customer's patience is exponential with mean
  ``abandonment_patience_minutes``; a customer whose counter would become free only after
  their patience runs out leaves unserved at arrival + patience and occupies no counter.

Because service is FIFO, each customer's start time depends only on the customers before
them; the simulation therefore walks through customers in arrival order, one step per
customer, and does each step for all replications at once with numpy (the replications are
padded to the same length with "no customer" slots).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats

__all__ = ["LobbySimulation", "counter_schedule", "fifo_start_times", "simulate_lobby"]

MINUTES_PER_HOUR = 60.0


@dataclass(frozen=True)
class LobbySimulation:
    """Results of :func:`simulate_lobby`. Per-hour arrays have shape (H,), by arrival hour.

    Attributes
    ----------
    hours : ndarray of int
        Clock hour at which each opening hour starts (e.g. 9 ... 16).
    arrivals : ndarray of float
        Mean number of arrivals in the hour per replication.
    mean_wait_minutes : ndarray of float
        Mean wait, in minutes, of the customers who reached a counter (NaN if none did).
    p95_wait_minutes : ndarray of float
        95th percentile of the same waits, pooled over replications, in minutes.
    share_within_target : ndarray of float
        Share of *all* arrivals served within ``target_wait_minutes`` (those who abandon count
        as not served within the target).
    abandonment_share : ndarray of float
        Share of arrivals who left unserved (0 without abandonment).
    target_wait_minutes : float
        The wait target used for ``share_within_target``.
    replications : int
        Number of independent simulated days.
    warmup_hours : int
        Opening hours whose arrivals are left out of the day-level figures below.
    replication_mean_waits : ndarray of float, shape (replications,)
        Each replication's own mean wait in minutes over served customers after the warm-up
        (NaN for a day in which nobody was served), to show the day-to-day spread.
    mean_wait : float
        Mean wait in minutes of all customers served after the warm-up, pooled over
        replications (customer-weighted, like Erlang C's mean wait). Not the mean of
        ``replication_mean_waits``, which would under-weight busy days.
    mean_wait_ci : tuple of float
        95 % Student-t confidence interval of ``mean_wait`` across replications (ratio
        estimator, delta method), in minutes.
    share_within_target_overall : float
        Share of all arrivals after the warm-up served within the target.
    """

    hours: NDArray[np.int64]
    arrivals: NDArray[np.float64]
    mean_wait_minutes: NDArray[np.float64]
    p95_wait_minutes: NDArray[np.float64]
    share_within_target: NDArray[np.float64]
    abandonment_share: NDArray[np.float64]
    target_wait_minutes: float
    replications: int
    warmup_hours: int
    replication_mean_waits: NDArray[np.float64]
    mean_wait: float
    mean_wait_ci: tuple[float, float]
    share_within_target_overall: float

    @property
    def ci_half_width(self) -> float:
        """Half-width of the 95 % confidence interval of ``mean_wait``, in minutes."""
        return (self.mean_wait_ci[1] - self.mean_wait_ci[0]) / 2.0

    @property
    def abandonment_share_overall(self) -> float:
        """Share of the day's arrivals who left unserved, every hour weighted by its arrivals.

        Returns
        -------
        float
            Σ abandonment share × arrivals / Σ arrivals (a share in [0, 1]; 0 when nobody
            arrives; hours without a share, NaN, count as none abandoning).
        """
        weighted = np.nansum(self.abandonment_share * self.arrivals)
        return float(weighted / max(self.arrivals.sum(), 1e-9))

    def to_frame(self) -> pd.DataFrame:
        """One row per opening hour, for tables and charts."""
        return pd.DataFrame(
            {
                "hour": self.hours,
                "arrivals": self.arrivals,
                "mean_wait_minutes": self.mean_wait_minutes,
                "p95_wait_minutes": self.p95_wait_minutes,
                "share_within_target": self.share_within_target,
                "abandonment_share": self.abandonment_share,
            }
        )


# --------------------------------------------------------------------------- engine


def counter_schedule(counters_per_hour: ArrayLike) -> NDArray[np.float64]:
    """Earliest minute at which each counter may start a service, looked up by hour.

    Parameters
    ----------
    counters_per_hour : array_like of int, shape (H,)
        Counters staffed in each opening hour.

    Returns
    -------
    ndarray, shape (K, H + 1)
        ``table[j, h]`` is the start of hour ``h`` (minutes) if counter ``j`` is staffed in
        hour ``h``, else the start of the next hour in which it is, else ``inf``. Column ``H``
        stands for "after closing", staffed like the last hour. K = max(counters_per_hour).
        A customer who could take counter ``j`` at time ``t`` (in hour ``h``) starts at
        ``max(t, table[j, h])``: one lookup covers both "staffed now" and "wait for it".
    """
    counters = np.asarray(counters_per_hour, dtype=np.int64)
    hours = counters.size
    staffed = np.arange(counters.max(initial=0))[:, None] < np.append(counters, counters[-1])[None, :]
    table = np.full(staffed.shape, np.inf)
    next_start = np.full(staffed.shape[0], np.inf)
    # Walk hours backwards so each column knows the next staffed hour of every counter.
    for h in range(hours, -1, -1):
        next_start = np.where(staffed[:, h], h * MINUTES_PER_HOUR, next_start)
        table[:, h] = next_start
    return table


def fifo_start_times(
    arrivals: NDArray[np.float64],
    services: NDArray[np.float64],
    schedule: NDArray[np.float64],
    patience: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    """Service start times of a FIFO multi-counter queue, for many replications at once.

    Parameters
    ----------
    arrivals : ndarray, shape (R, N)
        Arrival minutes since opening, sorted along each row; ``inf`` pads rows with fewer
        customers.
    services : ndarray, shape (R, N)
        Service minutes of each customer.
    schedule : ndarray, shape (K, H + 1)
        From :func:`counter_schedule`.
    patience : ndarray, shape (R, N), optional
        Minutes each customer is willing to wait; ``None`` for infinite patience.

    Returns
    -------
    ndarray, shape (R, N)
        Minute each customer starts service; NaN for a customer who abandons, ``inf`` for
        padding slots.
    """
    reps, customers = arrivals.shape
    counters, columns = schedule.shape
    closing = (columns - 1) * MINUTES_PER_HOUR
    free = np.zeros((reps, counters))  # minute each counter finishes its current service
    rows = np.arange(reps)
    columns_k = np.arange(counters)[None, :]
    starts = np.full((reps, customers), np.inf)
    for i in range(customers):
        arrival = arrivals[:, i]
        ready = np.maximum(free, arrival[:, None])
        # Hour index of the moment each counter could take the customer; ``ready >= closing``
        # maps to the "after closing" column. Padding (inf) is clipped to keep the index valid.
        hour = (np.minimum(ready, closing) // MINUTES_PER_HOUR).astype(np.intp)
        candidate = np.maximum(ready, schedule[columns_k, hour])
        best = candidate.argmin(axis=1)
        start = candidate[rows, best]
        taken = np.isfinite(start)
        if patience is not None:
            with np.errstate(invalid="ignore"):  # inf - inf in padding slots, excluded by ``taken``
                gave_up = taken & (start - arrival > patience[:, i])
            start = np.where(gave_up, np.nan, start)
            taken &= ~gave_up
        free[rows[taken], best[taken]] = start[taken] + services[taken, i]
        starts[:, i] = start
    return starts


# --------------------------------------------------------------------------- validation


def _vector(name: str, value: ArrayLike, hours: int | None) -> NDArray[np.float64]:
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numbers; got {value!r}") from error
    if hours is None:
        if array.ndim != 1 or array.size == 0:
            raise ValueError(f"{name} must be a non-empty 1-D array (one value per opening hour)")
    elif array.ndim == 0:
        array = np.full(hours, float(array))
    elif array.shape != (hours,):
        raise ValueError(f"{name} must be a number or have shape ({hours},); got shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must be finite; got {array}")
    return array


def _positive_number(name: str, value: float, *, allow_zero: bool = False) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a number; got {value!r}") from error
    if not np.isfinite(number) or number < 0 or (number == 0 and not allow_zero):
        raise ValueError(f"{name} must be finite and {'>= 0' if allow_zero else '> 0'}; got {value!r}")
    return number


# --------------------------------------------------------------------------- public entry


def simulate_lobby(
    arrival_rates_per_hour: ArrayLike,
    mean_service_minutes: ArrayLike,
    counters_per_hour: ArrayLike,
    replications: int,
    seed: int | np.random.Generator | None,
    abandonment_patience_minutes: float | None = None,
    service_cv: float = 1.0,
    *,
    target_wait_minutes: float = 10.0,
    opening_hour: int = 9,
    warmup_hours: int = 0,
) -> LobbySimulation:
    """Simulate ``replications`` independent days of one outlet's lobby (see the module docstring).

    Parameters
    ----------
    arrival_rates_per_hour : array_like, shape (H,)
        Mean arrivals per hour in each opening hour, >= 0 (e.g. 8 values for 9:00-17:00).
    mean_service_minutes : float or array_like, shape (H,)
        Mean service time in minutes, > 0, by the customer's arrival hour.
    counters_per_hour : int or array_like of int, shape (H,)
        Counters staffed in each hour, >= 0; the last hour needs >= 1 if anyone can arrive.
    replications : int
        Independent days to simulate, >= 2 (the confidence interval needs two).
    seed : int, numpy Generator or None
        Seed for reproducible results. Arrivals and service times are drawn before patience,
        so runs with and without abandonment on the same seed see the same customers.
    abandonment_patience_minutes : float, optional
        Mean patience in minutes (exponential); ``None`` means nobody leaves.
    service_cv : float
        Coefficient of variation of service times, >= 0: 1 gives exponential service (the
        M/M/c assumption), any other value lognormal service.
    target_wait_minutes : float
        Wait target for the share served within target, minutes, >= 0.
    opening_hour : int
        Clock hour of opening, only used to label the hours.
    warmup_hours : int
        Leading hours whose arrivals are simulated but left out of the day-level mean wait,
        its confidence interval and the overall share (use it to approximate steady state).

    Returns
    -------
    LobbySimulation
        Per-hour mean and 95th-percentile wait, share within target, abandonment share, and
        the day-level mean wait with its 95 % t-interval across replications.
    """
    rates = _vector("arrival_rates_per_hour", arrival_rates_per_hour, None)
    if (rates < 0).any():
        raise ValueError(f"arrival_rates_per_hour must be >= 0; got {rates}")
    hours = rates.size
    service_means = _vector("mean_service_minutes", mean_service_minutes, hours)
    if (service_means <= 0).any():
        raise ValueError(f"mean_service_minutes must be > 0; got {service_means}")
    counters = _vector("counters_per_hour", counters_per_hour, hours)
    if (counters < 0).any() or (counters != np.round(counters)).any():
        raise ValueError(f"counters_per_hour must be whole numbers >= 0; got {counters}")
    counters = counters.astype(np.int64)
    if rates.any() and counters[-1] == 0:
        raise ValueError(
            "counters_per_hour[-1] must be >= 1: customers still in the lobby at closing are "
            "served by the last hour's counters"
        )
    if isinstance(replications, bool) or not isinstance(replications, int | np.integer) or replications < 2:
        raise ValueError(f"replications must be an integer >= 2; got {replications!r}")
    if abandonment_patience_minutes is not None:
        patience_mean = _positive_number("abandonment_patience_minutes", abandonment_patience_minutes)
    cv = _positive_number("service_cv", service_cv, allow_zero=True)
    target = _positive_number("target_wait_minutes", target_wait_minutes, allow_zero=True)
    if not isinstance(warmup_hours, int | np.integer) or not 0 <= warmup_hours < hours:
        raise ValueError(f"warmup_hours must be an integer in [0, {hours}); got {warmup_hours!r}")
    rng = np.random.default_rng(seed)
    reps = int(replications)

    # Arrivals: Poisson counts per (replication, hour), uniform times within the hour, then
    # packed into a (reps, n_max) matrix padded with inf and sorted per replication.
    counts = rng.poisson(rates, size=(reps, hours))
    per_rep = counts.sum(axis=1)
    n_max = int(per_rep.max(initial=0))
    flat_counts = counts.ravel()
    hour_of = np.repeat(np.tile(np.arange(hours), reps), flat_counts)
    rep_of = np.repeat(np.repeat(np.arange(reps), hours), flat_counts)
    position = np.arange(hour_of.size) - np.repeat(np.cumsum(per_rep) - per_rep, per_rep)
    arrivals = np.full((reps, n_max), np.inf)
    arrivals[rep_of, position] = (hour_of + rng.random(hour_of.size)) * MINUTES_PER_HOUR
    arrivals.sort(axis=1)
    present = np.isfinite(arrivals)
    arrival_hour = np.where(present, np.minimum(arrivals, hours * MINUTES_PER_HOUR - 1) // MINUTES_PER_HOUR, 0)
    arrival_hour = arrival_hour.astype(np.intp)

    # Service times by arrival hour; unit-mean draws scaled by the hour's mean.
    if cv == 1.0:
        unit = rng.exponential(1.0, size=arrivals.shape)
    else:
        sigma = np.sqrt(np.log1p(cv * cv))
        unit = rng.lognormal(mean=-0.5 * sigma * sigma, sigma=sigma, size=arrivals.shape)
    services = unit * service_means[arrival_hour]
    patience = None
    if abandonment_patience_minutes is not None:
        patience = rng.exponential(patience_mean, size=arrivals.shape)

    starts = fifo_start_times(arrivals, services, counter_schedule(counters), patience)
    served = present & np.isfinite(starts)
    with np.errstate(invalid="ignore"):  # inf - inf in padding slots; masked out just below
        waits = np.where(served, starts - arrivals, np.nan)
    within = served & (waits <= target)

    # Per-hour figures pooled over replications (bincount over arrival hour).
    hour_present = np.where(present, arrival_hour, hours)  # padding goes to a dropped bin
    arrived = np.bincount(hour_present.ravel(), minlength=hours + 1)[:hours].astype(float)
    served_n = np.bincount(hour_present[served], minlength=hours + 1)[:hours].astype(float)
    wait_sum = np.bincount(hour_present[served], weights=waits[served], minlength=hours + 1)[:hours]
    within_n = np.bincount(hour_present[within], minlength=hours + 1)[:hours].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_by_hour = wait_sum / served_n
        share_by_hour = within_n / arrived
        abandon_by_hour = (arrived - served_n) / arrived
    p95 = np.full(hours, np.nan)
    served_hours, served_waits = hour_present[served], waits[served]
    for h in range(hours):
        sample = served_waits[served_hours == h]
        if sample.size:
            p95[h] = np.percentile(sample, 95)

    # Day-level mean wait = total wait / customers served, pooled over replications (the same
    # customer-weighted average as the per-hour figures and as Erlang C's mean wait). The mean of
    # each day's own average would be biased low: busy days have both more customers and longer
    # waits but would count once each. Its 95 % interval is the t-interval of this ratio
    # estimator across replications (delta method on the per-replication totals), valid because
    # replications are independent while customers within a day are not.
    counted = arrival_hour >= warmup_hours
    served_after = served & counted
    rep_wait = np.where(served_after, waits, 0.0).sum(axis=1)
    rep_served = served_after.sum(axis=1).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        rep_means = rep_wait / rep_served
    total_served = rep_served.sum()
    if total_served > 0:
        centre = float(rep_wait.sum() / total_served)
        residual = rep_wait - centre * rep_served
        std_error = residual.std(ddof=1) / (np.sqrt(reps) * rep_served.mean())
        half = float(stats.t.ppf(0.975, reps - 1) * std_error)
        ci = (centre - half, centre + half)
    else:
        centre, ci = float("nan"), (float("nan"), float("nan"))
    arrived_after = (present & counted).sum()
    overall_share = float((within & counted).sum() / arrived_after) if arrived_after else float("nan")

    return LobbySimulation(
        hours=opening_hour + np.arange(hours),
        arrivals=arrived / reps,
        mean_wait_minutes=mean_by_hour,
        p95_wait_minutes=p95,
        share_within_target=share_by_hour,
        abandonment_share=abandon_by_hour,
        target_wait_minutes=target,
        replications=reps,
        warmup_hours=int(warmup_hours),
        replication_mean_waits=rep_means,
        mean_wait=centre,
        mean_wait_ci=ci,
        share_within_target_overall=overall_share,
    )
