"""Customer transactions over the last 24 months, simulated from the BG/NBD model.

Each customer, while alive, transacts as a Poisson process with rate λ ~ Gamma(r, α) per day
and after each transaction drops out with probability p ~ Beta(a, b) (Fader, Hardie & Lee 2005).
The true parameters are recorded in ``dataset_info`` so that the customer-value models can be
checked for parameter recovery on the demo data. Channels follow the network's e-channel trend;
counter, smart-machine and ATM transactions sometimes happen at another outlet of the city.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from data.demo.network import LAST_MONTH

TXN_START = dt.date(2024, 11, 1)
TXN_END = (pd.Timestamp(LAST_MONTH) + pd.offsets.MonthEnd(0) + pd.Timedelta(days=1)).date()  # exclusive
BGNBD_R, BGNBD_ALPHA = 0.9, 24.0  # λ ~ Gamma(shape r, rate α) per day: mean 0.0375 transactions a day
BGNBD_A, BGNBD_B = 1.2, 8.8  # p ~ Beta(a, b): mean dropout probability 0.12 after each transaction
CHANNELS = np.array(["counter", "smart_machine", "atm", "mobile", "online"])
AWAY_FROM_HOME = 0.15  # share of in-branch transactions at another outlet of the city


def bgnbd_counts_and_times(rng: np.random.Generator, birth_day: np.ndarray, horizon_days: float) -> tuple:
    """Simulate BG/NBD transaction times (days since TXN_START) for customers born on ``birth_day``.

    Returns (customer row per transaction, time in days). Given K Poisson events on
    [birth, horizon], their times are uniform order statistics; a customer who drops out after
    their X-th transaction (X ~ Geometric(p)) makes the first min(K, X) of them. The first m order
    statistics of K uniforms are cumsum(E₁..E_m) / (cumsum(E₁..E_m) + Gamma(K + 1 − m)).
    """
    n = len(birth_day)
    rate = rng.gamma(BGNBD_R, 1.0 / BGNBD_ALPHA, n)
    dropout = rng.beta(BGNBD_A, BGNBD_B, n)
    exposure = np.maximum(horizon_days - birth_day, 0.0)
    events = rng.poisson(rate * exposure)
    made = np.minimum(events, rng.geometric(dropout))
    rows = np.repeat(np.arange(n), made)
    gaps = rng.exponential(1.0, len(rows))
    cumulative = np.cumsum(gaps)
    starts = np.concatenate([[0], np.cumsum(made)[:-1]])
    offset = np.repeat(np.concatenate([[0.0], cumulative])[starts], made)
    within = cumulative - offset
    last_sum = np.repeat(within[np.maximum(np.cumsum(made) - 1, 0)], made)
    remainder = np.repeat(rng.gamma(events - made + 1.0, 1.0), made)  # one draw per customer
    fraction = within / (last_sum + remainder)
    return rows, birth_day[rows] + fraction * exposure[rows]


def build_transactions(
    rng: np.random.Generator,
    customers: pd.DataFrame,
    outlets: pd.DataFrame,
    products: pd.DataFrame,
    first_id: int = 1,
) -> pd.DataFrame:
    """Transactions of the customers between TXN_START and the end of the last month, by
    customer and time, numbered from ``first_id`` (the full-population demo makes them for a
    part of the customers at a time)."""
    horizon = float((TXN_END - TXN_START).days)
    opened = pd.to_datetime(customers.opened_on).to_numpy()
    birth = ((opened - np.datetime64(TXN_START)) / np.timedelta64(1, "D")).astype(float).clip(min=0.0)
    rows, day = bgnbd_counts_and_times(rng, birth, horizon)
    n = len(rows)
    personal = (customers.kind == "personal").to_numpy()[rows]
    age = LAST_MONTH.year - customers.birth_year.fillna(1985).to_numpy()[rows]
    e_share = 0.72 + 0.11 * day / horizon + np.clip((45 - age) * 0.004, -0.15, 0.1)
    digital = rng.random(n) < e_share.clip(0.2, 0.98)
    channel = np.where(digital, rng.choice(CHANNELS[1:], n, p=[0.15, 0.18, 0.52, 0.15]), "counter")
    home = customers.home_outlet_id.to_numpy()[rows]
    outlet = _outlet_used(rng, home, channel, outlets)
    hour = np.where(
        np.isin(channel, ["counter", "smart_machine"]),
        rng.integers(9, 17, n),
        rng.choice(np.arange(7, 23), n, p=_evening_profile()),
    )
    seconds = np.floor(day) * 86400 + hour * 3600 + rng.integers(0, 3600, n)
    txn_at = np.datetime64(TXN_START, "s") + seconds.astype("timedelta64[s]")
    code_id = products.set_index("code").id
    investment = rng.choice(code_id[["WM", "FD", "INS"]].to_numpy(), n, p=[0.5, 0.3, 0.2])
    product = np.where(personal, np.where(rng.random(n) < 0.9, code_id["DD-P"], investment), code_id["DD-C"])
    scale = np.where(personal, 600.0 * (customers.aum.to_numpy()[rows] / 30_000).clip(0.05, 200) ** 0.4, 40_000.0)
    amount = (scale * rng.lognormal(0, 1.0, n)).round(2)
    frame = pd.DataFrame(
        {
            "customer_id": customers.id.to_numpy()[rows],
            "outlet_id": outlet,
            "product_id": product,
            "channel": channel,
            "txn_at": txn_at,
            "amount_rmb": amount,
        }
    )
    frame = frame.sort_values(["customer_id", "txn_at"], kind="stable").reset_index(drop=True)
    frame.insert(0, "id", np.arange(first_id, first_id + len(frame)))
    return frame


def _evening_profile() -> np.ndarray:
    """Hour-of-day weights 07:00–22:00 for self-service and digital channels."""
    weights = np.array([2, 4, 6, 7, 7, 6, 6, 6, 6, 6, 7, 8, 8, 7, 5, 3], dtype=float)
    return weights / weights.sum()


def _outlet_used(rng: np.random.Generator, home: np.ndarray, channel: np.ndarray, outlets: pd.DataFrame) -> np.ndarray:
    """The customer's home outlet, or for some in-branch transactions another open outlet of the city."""
    open_outlets = outlets[outlets.status == "open"]
    city_of = outlets.set_index("id").city_code
    by_city = {city: group.id.to_numpy() for city, group in open_outlets.groupby("city_code")}
    away = (channel != "mobile") & (channel != "online") & (rng.random(len(home)) < AWAY_FROM_HOME)
    used = home.copy()
    for index in np.flatnonzero(away):
        choices = by_city[city_of[home[index]]]
        used[index] = choices[rng.integers(0, len(choices))]
    return used
