"""Lobby load by hour for the last eight weeks, and individual complaints for the last year.

Hourly arrivals follow the outlet's counter customers of the last month with weekday and
time-of-day profiles (Monday and Friday peaks, 10:00 and 15:00 peaks); the hour's mean wait
comes from the Erlang C formula for the counters open, so the lobby data behave like a real
queue (waits explode as utilisation nears one). Complaints are exactly the monthly KPI counts,
spread over each month.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.queueing import mean_wait, servers_needed_for_mean_wait
from data.demo.kpis import MONTHS, OutletSeries
from data.demo.network import LAST_MONTH

LOBBY_DAYS = 56
OPENING_HOURS = np.arange(9, 17)  # 09:00–16:59
HOUR_PROFILE = np.array([0.10, 0.16, 0.14, 0.10, 0.09, 0.13, 0.15, 0.13])
WEEKDAY_FACTOR = np.array([1.25, 1.0, 0.95, 0.95, 1.1, 0.8, 0.6])  # Monday..Sunday
LUNCH_SLOTS = slice(3, 5)  # 12:00–13:59 in OPENING_HOURS
LUNCH_MAX_LOAD = 0.8  # busy share the remaining counters may carry when one teller goes to lunch
MAX_COUNTER_LOAD = 0.85  # expected busy share of all installed counters beyond which customers are diverted
# Mean counter service minutes by outlet type (wealth centres handle longer advisory business).
SERVICE_MINUTES = {
    "wealth_centre": 8.0,
    "business_dept": 7.0,
    "sub_office": 6.5,
    "savings_office": 6.0,
    "community": 5.5,
}
COMPLAINT_CATEGORIES = {
    "wait_time": ("排队等候时间过长", "Waited too long in the queue"),
    "service_attitude": ("柜员服务态度差", "Unfriendly counter service"),
    "fees": ("对收费有异议", "Disputes a fee"),
    "product": ("理财产品风险揭示不充分", "Product risks not explained"),
    "system": ("系统故障业务无法办理", "System outage, business not done"),
    "machine": ("自助设备吞卡或故障", "Self-service machine fault or retained card"),
    "other": ("其他问题", "Other issue"),
}
CATEGORY_WEIGHTS = np.array([0.30, 0.20, 0.15, 0.10, 0.10, 0.10, 0.05])
COMPLAINT_CHANNELS = ("hotline", "onsite", "online", "regulator")
CHANNEL_WEIGHTS = np.array([0.5, 0.25, 0.15, 0.10])


def lobby_hourly(rng: np.random.Generator, outlets: pd.DataFrame, series: OutletSeries) -> pd.DataFrame:
    """Arrivals, counters open, mean service and mean wait minutes per outlet, day and hour.

    Each outlet staffs its counters hour by hour for the demand it expects, the way branches
    draw up their rota: enough counters for its own mean-wait goal (drawn per outlet, about
    4 minutes, some outlets leaner), at most the counters installed, one fewer over lunch where
    the others can carry the hour, one more when the realised queue builds and a counter is free. Where
    even every installed counter cannot carry the expected demand, the lobby manager sends the
    excess to smart machines (counter load held at :data:`MAX_COUNTER_LOAD` of the installed
    counters), so those hours run hot but stay finite. The realised arrivals are Poisson around
    the expectation, so busy hours still queue (waits from Erlang C for the realised load).
    """
    last_day = (pd.Timestamp(LAST_MONTH) + pd.offsets.MonthEnd(0)).date()
    days = pd.date_range(end=last_day, periods=LOBBY_DAYS, freq="D")
    served = series.values["customers_served"][:, -1]
    counters = (outlets.cash_counters.fillna(0) + outlets.non_cash_counters.fillna(0)).to_numpy().astype(int)
    keep = (outlets.status == "open").to_numpy() & (counters > 0) & ~np.isnan(served)
    frames = []
    for index in np.flatnonzero(keep):
        installed = counters[index]
        open_days = days if outlets.outlet_type.iat[index] == "business_dept" else days[days.day_of_week < 6]
        daily = served[index] / 26.0 * WEEKDAY_FACTOR[open_days.day_of_week] * (1 + 0.15 * (open_days.day >= 28))
        expected = daily[:, None] * HOUR_PROFILE[None, :]
        outlet_service = rng.lognormal(np.log(SERVICE_MINUTES.get(outlets.outlet_type.iat[index], 6.5)), 0.12)
        # The lobby manager diverts what even a full lobby cannot carry.
        expected = np.minimum(expected, MAX_COUNTER_LOAD * installed * 60.0 / outlet_service)
        wait_goal = float(np.clip(rng.lognormal(np.log(4.0), 0.4), 1.5, 12.0))
        rota = np.atleast_1d(servers_needed_for_mean_wait(expected / 60.0, outlet_service, wait_goal))
        counters_open = np.clip(rota.reshape(expected.shape), 1, installed)
        # Lunch rota 12:00–13:59: one teller fewer where the others can still carry the hour.
        lunch_load = expected[:, LUNCH_SLOTS] / 60.0 * outlet_service
        fewer = np.maximum(counters_open[:, LUNCH_SLOTS] - 1, 1)
        counters_open[:, LUNCH_SLOTS] = np.where(
            lunch_load < LUNCH_MAX_LOAD * fewer, fewer, counters_open[:, LUNCH_SLOTS]
        )
        arrivals = rng.poisson(expected)
        service_minutes = outlet_service * rng.lognormal(0, 0.06, arrivals.shape)
        # When the queue builds beyond plan, a back-office teller opens one more counter if there is one.
        busy = arrivals / 60.0 * service_minutes >= 0.95 * counters_open
        counters_open = np.where(busy, np.minimum(counters_open + 1, installed), counters_open)
        frames.append(
            pd.DataFrame(
                {
                    "outlet_id": outlets.id.iat[index],
                    "day": np.repeat(open_days.date, len(OPENING_HOURS)),
                    "hour": np.tile(OPENING_HOURS, len(open_days)),
                    "arrivals": arrivals.ravel(),
                    "counters_open": counters_open.ravel(),
                    "mean_service_minutes": service_minutes.ravel().round(2),
                    "mean_wait_minutes": _hour_wait(rng, arrivals, service_minutes, counters_open).ravel(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _hour_wait(rng, arrivals: np.ndarray, service_minutes: np.ndarray, counters: np.ndarray) -> np.ndarray:
    """Erlang C mean wait (minutes); an overloaded hour's queue builds up, capped at an hour."""
    rate = arrivals / 60.0
    utilisation = rate * service_minutes / counters
    stable = utilisation < 0.97
    wait = np.where(stable, mean_wait(np.where(stable, rate, 0.0), service_minutes, counters), 0.0)
    overloaded = np.minimum(60.0, 20.0 + 60.0 * (utilisation - 0.97))
    wait = np.where(stable, np.minimum(wait, 60.0), overloaded)
    return (wait * rng.lognormal(0, 0.1, wait.shape)).round(2)


def complaints(
    rng: np.random.Generator, series: OutletSeries, customers_by_outlet: dict[int, np.ndarray]
) -> pd.DataFrame:
    """One row per complaint of the last twelve months, matching the monthly KPI counts."""
    counts = np.nan_to_num(series.values["complaints"][:, -12:]).astype(int)
    outlet_index, month_index = np.nonzero(counts)
    repeats = counts[outlet_index, month_index]
    outlet_ids = np.repeat(series.outlet_ids[outlet_index], repeats)
    starts = pd.to_datetime(np.repeat(np.asarray(MONTHS[-12:])[month_index], repeats))
    n = len(outlet_ids)
    received = starts + pd.to_timedelta(rng.uniform(0, 28 * 24 * 3600, n).round(), unit="s")
    category = rng.choice(len(COMPLAINT_CATEGORIES), size=n, p=CATEGORY_WEIGHTS)
    severity = rng.choice(np.array(["low", "medium", "high"]), size=n, p=[0.6, 0.3, 0.1])
    days_to_close = rng.exponential(3.0, n) * np.where(severity == "high", 3.0, 1.0)
    closed_at = received + pd.to_timedelta((days_to_close * 86400).round(), unit="s")
    cutoff = pd.Timestamp(LAST_MONTH) + pd.offsets.MonthEnd(0) + pd.Timedelta(days=1)
    still_open = closed_at >= cutoff
    keys = list(COMPLAINT_CATEGORIES)
    customer_ids = [
        int(rng.choice(customers_by_outlet[o])) if o in customers_by_outlet and rng.random() < 0.6 else None
        for o in outlet_ids
    ]
    frame = pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "outlet_id": outlet_ids,
            "customer_id": pd.array(customer_ids, dtype="Int64"),
            "received_at": received,
            "category": [keys[c] for c in category],
            "channel": rng.choice(np.array(COMPLAINT_CHANNELS), size=n, p=CHANNEL_WEIGHTS),
            "severity": severity,
            "status": np.where(still_open, "open", "closed"),
            "closed_at": closed_at.where(~still_open),
            "description": [" / ".join(COMPLAINT_CATEGORIES[keys[c]]) for c in category],
        }
    )
    return frame.sort_values("received_at", kind="stable").assign(id=lambda f: np.arange(1, len(f) + 1))
