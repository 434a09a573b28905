"""E-channel diversion (电子渠道分流率): rates from summed channel transactions under a configurable
definition, the counter business smart machines could take, and what that does to the counters
needed (Erlang C via :mod:`analytics.lobby`).

A rate is always Σ numerator transactions / Σ denominator transactions over whatever was summed
(an outlet, a sub-branch, a city branch, the region; a month or a period), never an average of
lower-level rates: the inputs are the channel sums of ``data.queries_service``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.lobby import plan_all_outlets

__all__ = [
    "COUNTER",
    "E_CHANNELS",
    "MovableBusiness",
    "counter_relief",
    "definition",
    "diversion_rates",
    "movable_business",
    "movable_shares",
    "period_rates",
    "peer_position",
    "rate_after_move",
    "target_for",
]

COUNTER = "txn_counter"
E_CHANNELS = ("txn_smart_machine", "txn_atm", "txn_mobile", "txn_online")
DENOMINATORS = ("all", "counted")


def definition(channels: Iterable[str], denominator: str = "all") -> tuple[list[str], list[str]]:
    """Numerator and denominator channel codes of a diversion-rate definition.

    ``channels``: the e-channels that count as diverted (a non-empty subset of :data:`E_CHANNELS`).
    ``denominator``: "all" (every channel, the catalogue definition when all four e-channels
    count) or "counted" (counter plus the counted e-channels only). Raises ``ValueError`` for an
    empty or unknown selection.
    """
    chosen = [c for c in E_CHANNELS if c in set(channels)]
    unknown = set(channels) - set(E_CHANNELS)
    if unknown or not chosen:
        raise ValueError(f"the counted channels must be a non-empty subset of {E_CHANNELS}, got {sorted(channels)}")
    if denominator not in DENOMINATORS:
        raise ValueError(f"denominator must be one of {DENOMINATORS}, got {denominator!r}")
    return chosen, [COUNTER, *(E_CHANNELS if denominator == "all" else chosen)]


def diversion_rates(sums: pd.DataFrame, numerator: list[str], denominator: list[str]) -> pd.DataFrame:
    """``sums`` with ``numerator`` and ``denominator`` (transactions) and ``rate`` (a share; NaN
    where the denominator is 0) added, from the summed channel columns of each row."""
    top = sums[numerator].sum(axis=1)
    bottom = sums[denominator].sum(axis=1)
    return sums.assign(numerator=top, denominator=bottom, rate=top / bottom.where(bottom > 0))


def period_rates(sums: pd.DataFrame, numerator: list[str], denominator: list[str], keys: list[str]) -> pd.DataFrame:
    """The rate over a whole period per ``keys`` (e.g. group_id): channel sums added over the months
    first, then numerator ÷ denominator."""
    channels = [COUNTER, *E_CHANNELS]
    summed = sums.groupby(keys, sort=False)[channels].sum().reset_index()
    return diversion_rates(summed, numerator, denominator)


def target_for(targets: pd.DataFrame, unit_id: int, month) -> float:
    """The target rate of ``unit_id`` whose period contains ``month`` (NaN if none)."""
    rows = targets[
        (targets["org_unit_id"] == unit_id) & (targets["period_start"] <= month) & (targets["period_end"] >= month)
    ]
    return float(rows["value"].iloc[-1]) if len(rows) else float("nan")


def peer_position(peers: pd.DataFrame, numerator: list[str], denominator: list[str]) -> dict:
    """Where the row with ``is_self`` stands among ``peers`` (one row of channel sums per outlet):
    its rate, its rank (1 = highest rate) among the outlets with transactions, their count, and
    the peers' quartiles and best rate. NaN/None entries when there is no such row."""
    rates = diversion_rates(peers, numerator, denominator).dropna(subset=["rate"])
    own = rates[rates["is_self"]]
    values = rates["rate"].to_numpy(float)
    result = {
        "count": len(rates),
        "rate": float(own["rate"].iloc[0]) if len(own) else float("nan"),
        "rank": None,
        "p25": float(np.percentile(values, 25)) if len(values) else float("nan"),
        "median": float(np.median(values)) if len(values) else float("nan"),
        "p75": float(np.percentile(values, 75)) if len(values) else float("nan"),
        "best": float(values.max()) if len(values) else float("nan"),
    }
    if len(own):
        result["rank"] = int((values > result["rate"]).sum()) + 1
    return result


def rate_after_move(
    numerator_txns: float, denominator_txns: float, moved: float, numerator: list[str], denominator: list[str]
) -> float:
    """The diversion rate after ``moved`` counter transactions go to smart machines: the counter
    loses them (it is always in the denominator), the smart machines gain them (counted where the
    definition counts smart machines). NaN when nothing is left in the denominator."""
    top = numerator_txns + (moved if "txn_smart_machine" in numerator else 0.0)
    bottom = denominator_txns - moved + (moved if "txn_smart_machine" in denominator else 0.0)
    return top / bottom if bottom > 0 else float("nan")


def movable_shares(mix: pd.DataFrame, families: Iterable[str], segments: Iterable[str]) -> pd.DataFrame:
    """Per outlet (index): counter transactions of the sample (``counter``), those a smart machine
    could take (``movable``: product family in ``families``, product segment in ``segments``,
    amount within the machine's limit) and their ``share`` (NaN without counter transactions)."""
    mix = mix.assign(
        movable_txns=np.where(
            mix["family"].isin(list(families)) & mix["segment"].isin(list(segments)) & mix["small"], mix["txns"], 0
        )
    )
    per_outlet = mix.groupby("outlet_id")[["txns", "movable_txns"]].sum()
    counter = per_outlet["txns"].astype(float)
    return pd.DataFrame(
        {
            "counter": counter,
            "movable": per_outlet["movable_txns"].astype(float),
            "share": per_outlet["movable_txns"] / counter.where(counter > 0),
        }
    )


@dataclass(frozen=True)
class MovableBusiness:
    """The counter business smart machines could take, per outlet and in total.

    Attributes
    ----------
    per_outlet : DataFrame
        One row per outlet (the index and columns of ``outlets`` given to
        :func:`movable_business`) with the sample's ``counter``, ``movable`` (transactions) and
        ``share``; ``counter_txns`` (counter transactions of the month), ``take_up`` (share of
        counter transactions that move: movable share × take-up) and ``movable_txns``
        (transactions that move in the month).
    counter_txns : float
        Counter transactions of the month over the outlets (transactions).
    movable_txns : float
        Transactions that move over the outlets (transactions).
    sample_share : float
        Movable share of the whole sample: Σ movable ÷ Σ counter transactions over every
        sampled outlet (NaN without counter transactions).
    """

    per_outlet: pd.DataFrame
    counter_txns: float
    movable_txns: float
    sample_share: float


def movable_business(
    outlets: pd.DataFrame, shares: pd.DataFrame, counter_txns: pd.Series, take_up: float
) -> MovableBusiness:
    """How many of a month's counter transactions smart machines would take.

    Parameters
    ----------
    outlets : DataFrame
        The outlets to report, indexed by outlet id (their columns, e.g. code and label, are kept).
    shares : DataFrame
        :func:`movable_shares` of the transaction sample, by outlet id.
    counter_txns : Series
        Counter transactions of the month by outlet id (transactions).
    take_up : float
        Share of the movable transactions that customers actually move (0-1).

    Returns
    -------
    MovableBusiness
        Per outlet, movable transactions = counter transactions × movable share × take-up
        (NaN where the outlet has no sample or no count); totals over the outlets.

    Examples
    --------
    >>> shares = pd.DataFrame({"counter": [100.0, 50.0], "movable": [40.0, 10.0], "share": [0.4, 0.2]}, index=[1, 2])
    >>> moved = movable_business(pd.DataFrame(index=[1, 2]), shares, pd.Series({1: 1000.0, 2: 500.0}), 0.5)
    >>> moved.per_outlet["movable_txns"].tolist(), moved.movable_txns, round(moved.sample_share, 4)
    ([200.0, 50.0], 250.0, 0.3333)
    """
    per_outlet = outlets.join(shares, how="left")
    per_outlet["counter_txns"] = counter_txns.reindex(per_outlet.index)
    per_outlet["take_up"] = per_outlet["share"] * take_up
    per_outlet["movable_txns"] = per_outlet["counter_txns"] * per_outlet["take_up"]
    sampled = shares["counter"].sum()
    return MovableBusiness(
        per_outlet=per_outlet,
        counter_txns=float(per_outlet["counter_txns"].sum()),
        movable_txns=float(per_outlet["movable_txns"].sum()),
        sample_share=float(shares["movable"].sum() / sampled) if sampled else float("nan"),
    )


def counter_relief(
    cells: pd.DataFrame,
    capacity: pd.Series,
    divert_share: pd.Series,
    simple_minutes: float,
    target_wait: float,
    target_level: float,
) -> pd.DataFrame:
    """Counters needed per outlet × day type before and after smart machines take a share of the
    counter customers (Erlang C, "``target_level`` served within ``target_wait`` minutes").

    ``cells``: per-outlet × day type × hour lobby aggregates (``lobby_profile(per_outlet=True,
    day_grouping="day_type")``); ``capacity``: installed counters by outlet id; ``divert_share``:
    share of counter customers moved, by outlet id (missing = 0), each a simple transaction of
    ``simple_minutes``. As in :func:`analytics.lobby.apply_what_if`, the outlet-hour's arrivals
    become λ·(1 − x) and the remaining mean service (S − x·s)/(1 − x) (x is capped so that at
    least half a minute of service remains). Returns per outlet and day type: ``counter_hours``
    needed before and after (sum over hours of counters needed, the installed counters where the
    target is out of reach), ``peak`` before and after, ``short_hours`` before and after (hours
    whose target even every installed counter cannot meet) and the ``share`` applied.
    """
    columns = [
        "outlet_id",
        "day_type",
        "share",
        "counter_hours_before",
        "counter_hours_after",
        "peak_before",
        "peak_after",
        "short_hours_before",
        "short_hours_after",
    ]
    cells = cells[cells["mean_service_minutes"] > 0].reset_index(drop=True)
    if cells.empty:
        return pd.DataFrame(columns=columns)
    share = cells["outlet_id"].map(divert_share).fillna(0.0).clip(0.0, 0.95).to_numpy(float)
    service = cells["mean_service_minutes"].to_numpy(float)
    most = np.clip((service - 0.5) / max(simple_minutes, 1e-9), 0.0, 0.95)
    share = np.minimum(share, most)
    after = cells.assign(
        mean_arrivals=cells["mean_arrivals"] * (1.0 - share),
        mean_service_minutes=(service - share * simple_minutes) / (1.0 - share),
    )
    frames = {}
    for label, frame in (("before", cells), ("after", after)):
        plan = plan_all_outlets(frame, capacity, "level", target_wait, target_level, 0.0)
        unreachable = plan["needed"] < 0
        plan = plan.assign(
            counters=np.where(unreachable, plan["capacity"], plan["needed"]), short=unreachable.astype(int)
        )
        frames[label] = plan.groupby(["outlet_id", "day_type"]).agg(
            counter_hours=("counters", "sum"), peak=("counters", "max"), short_hours=("short", "sum")
        )
    result = frames["before"].add_suffix("_before").join(frames["after"].add_suffix("_after")).reset_index()
    shares = pd.Series(share).groupby([cells["outlet_id"], cells["day_type"]]).max()
    result["share"] = shares.reindex(pd.MultiIndex.from_frame(result[["outlet_id", "day_type"]])).to_numpy()
    return result[columns]
