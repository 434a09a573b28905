"""Lobby load by hour for the last eight weeks and counter service time by business type,
individual complaints and service inspections (6S,
mystery shopper) for the last year.

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
from data.schema import BUSINESS_TYPES

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
# Counter business mix (share of transactions) and relative service time of each business type
# (data.schema.BUSINESS_TYPES order): cash is quick, account opening, wealth sales and loans slow.
BUSINESS_MIX = np.array([0.38, 0.20, 0.06, 0.12, 0.07, 0.04, 0.08, 0.05])
BUSINESS_MIX_BY_TYPE = {
    "wealth_centre": np.array([0.20, 0.15, 0.06, 0.10, 0.30, 0.07, 0.05, 0.07]),
    "business_dept": np.array([0.30, 0.20, 0.06, 0.10, 0.08, 0.06, 0.15, 0.05]),
    "community": np.array([0.48, 0.18, 0.05, 0.14, 0.05, 0.02, 0.02, 0.06]),
}
BUSINESS_RELATIVE_MINUTES = np.array([0.6, 0.9, 2.6, 1.1, 2.8, 3.0, 1.8, 1.0])
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


def lobby_service_types(rng: np.random.Generator, outlets: pd.DataFrame, hourly: pd.DataFrame) -> pd.DataFrame:
    """Counter transactions and summed service minutes per outlet, month and business type.

    Each outlet-month's counter customers (the lobby's arrivals) are split over the business
    types by the outlet type's mix (varied per outlet), and its summed service time (Σ arrivals ×
    mean service minutes of every hour) over the types in proportion to their relative times, so
    the types add up exactly to the lobby's totals.
    """
    lobby = hourly.assign(
        month=pd.to_datetime(hourly["day"]).dt.to_period("M").dt.to_timestamp().dt.date,
        minutes=hourly["arrivals"] * hourly["mean_service_minutes"],
    )
    totals = lobby.groupby(["outlet_id", "month"], as_index=False)[["arrivals", "minutes"]].sum()
    kinds = outlets.set_index("id")["outlet_type"]
    mix_of = {}
    rows = []
    for outlet_id, month, arrivals, minutes in totals.itertuples(index=False):
        if outlet_id not in mix_of:
            base = BUSINESS_MIX_BY_TYPE.get(kinds.get(outlet_id), BUSINESS_MIX)
            mix_of[outlet_id] = rng.dirichlet(base * 60)
        counts = rng.multinomial(int(arrivals), mix_of[outlet_id])
        weights = counts * BUSINESS_RELATIVE_MINUTES
        shares = weights / weights.sum() if weights.sum() > 0 else np.zeros_like(weights)
        for business_type, count, share in zip(BUSINESS_TYPES, counts, shares):
            rows.append((outlet_id, month, business_type, int(count), float(minutes * share)))
    frame = pd.DataFrame(rows, columns=["outlet_id", "month", "business_type", "transactions", "service_minutes_total"])
    return frame[frame["transactions"] > 0].reset_index(drop=True)


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


# Points each 6S item is worth (sum 100, the scale of the inspection_score KPI), and what an
# inspector writes when an item loses points (zh / en, like the complaint descriptions).
SIX_S_MAX_SCORES = {
    "sort": 15.0,
    "set_in_order": 15.0,
    "shine": 15.0,
    "standardise": 15.0,
    "sustain": 20.0,
    "safety": 20.0,
}
SIX_S_NOTES = {
    "sort": "柜台内堆放与业务无关的物品 / Items unrelated to business kept at the counter",
    "set_in_order": "宣传折页摆放凌乱 / Leaflet rack untidy",
    "shine": "自助设备屏幕和台面不洁 / Self-service screens and desks not clean",
    "standardise": "功能分区标识不统一 / Zone signs not to standard",
    "sustain": "员工着装或服务用语不规范 / Dress code or service phrases not followed",
    "safety": "消防通道有杂物，应急预案未上墙 / Fire exit obstructed, emergency plan not posted",
}
MYSTERY_SHOPPER_MAX_SCORE = 10.0
MYSTERY_SHOPPER_NOTES = {
    "greeting": "客户进门无人迎候 / Nobody greeted the customer",
    "appearance": "柜员仪容仪表不整 / Teller's appearance not to standard",
    "queue_guidance": "大堂经理未引导分流 / Lobby manager did not guide the queue",
    "needs_inquiry": "未询问客户需求 / Customer's needs not asked",
    "product_explanation": "产品介绍不清楚 / Product not explained clearly",
    "risk_disclosure": "理财产品风险揭示不充分 / Product risks not disclosed",
    "farewell": "办理完毕无送别用语 / No farewell",
}
INSPECTION_MONTHS = 12


def inspections(rng: np.random.Generator, outlets: pd.DataFrame, series: OutletSeries) -> pd.DataFrame:
    """6S on-site inspections and mystery-shopper visits of the last twelve months.

    Every outlet that traded in a month gets one 6S inspection that month whose six item scores
    add up to the month's ``inspection_score`` KPI (points lost on a few items, mostly the
    outlet's own weak ones), and a mystery-shopper visit every quarter whose seven items
    (10 points each) follow the outlet's service quality. Items that lost points carry a note.
    """
    scores = series.values["inspection_score"][:, -INSPECTION_MONTHS:]
    months = pd.to_datetime(np.asarray(MONTHS[-INSPECTION_MONTHS:]))
    six_s = list(SIX_S_MAX_SCORES)
    maxima = np.array([SIX_S_MAX_SCORES[item] for item in six_s])
    shopper_items = list(MYSTERY_SHOPPER_NOTES)
    rows = []
    for index, outlet_id in enumerate(series.outlet_ids):
        weakness = rng.dirichlet(np.full(len(six_s), 2.0))  # where this outlet tends to lose points
        for month_index, month in enumerate(months):
            score = scores[index, month_index]
            if np.isnan(score):
                continue
            day = (month + pd.Timedelta(days=int(rng.integers(2, 26)))).date()
            lost = _spread_points(100.0 - score, _losing_items(rng, 100.0 - score, weakness, maxima), maxima)
            for item, maximum, points_lost in zip(six_s, maxima, lost):
                rows.append((outlet_id, day, "six_s", item, round(maximum - points_lost, 1), maximum, points_lost))
            if month_index % 3 == 2:  # one mystery-shopper visit a quarter
                visit = (month + pd.Timedelta(days=int(rng.integers(2, 26)))).date()
                if visit == day:
                    visit = (pd.Timestamp(visit) + pd.Timedelta(days=1)).date()
                quality = (score - 55.0) / 45.0  # 0 … 1
                for item in shopper_items:
                    points = np.clip(rng.normal(6.5 + 3.2 * quality, 1.0), 2.0, MYSTERY_SHOPPER_MAX_SCORE)
                    points = round(float(np.round(points * 2) / 2), 1)
                    rows.append(
                        (outlet_id, visit, "mystery_shopper", item, points, MYSTERY_SHOPPER_MAX_SCORE, 10.0 - points)
                    )
    frame = pd.DataFrame(rows, columns=["outlet_id", "inspected_on", "kind", "item", "score", "max_score", "lost"])
    notes = {**SIX_S_NOTES, **MYSTERY_SHOPPER_NOTES}
    frame["note"] = np.where(frame["lost"] > 0.05, frame["item"].map(notes), None)
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return frame.drop(columns="lost")


def _losing_items(rng: np.random.Generator, lost: float, weakness: np.ndarray, maxima: np.ndarray) -> np.ndarray:
    """Weights over the items of one inspection: points are lost on a few items (more when more
    points are lost), drawn by the outlet's ``weakness``; zero weight elsewhere. Enough items are
    chosen for their maxima to hold ``lost``."""
    count = int(np.clip(1 + rng.poisson(lost / 6.0), 1, len(maxima)))
    order = rng.choice(len(maxima), size=len(maxima), replace=False, p=weakness)
    chosen = order[:count]
    while maxima[chosen].sum() < lost and len(chosen) < len(maxima):
        chosen = order[: len(chosen) + 1]
    weights = np.zeros(len(maxima))
    weights[chosen] = weakness[chosen] * rng.uniform(0.5, 1.5, len(chosen))
    return weights


def _spread_points(lost: float, weights: np.ndarray, maxima: np.ndarray) -> np.ndarray:
    """``lost`` points (one decimal) spread over items in proportion to ``weights``, no item losing
    more than it is worth, the parts adding up exactly to ``lost``."""
    lost = round(max(lost, 0.0), 1)
    parts = np.zeros_like(maxima)
    remaining = lost
    open_items = np.ones(len(maxima), bool)
    while remaining > 1e-9 and open_items.any():
        share = np.where(open_items, weights, 0.0)
        if share.sum() <= 0:  # the weighted items are full: spread the rest over the others
            share = np.where(open_items, maxima, 0.0)
        share = share / share.sum()
        parts = np.minimum(parts + remaining * share, maxima)
        open_items = parts < maxima - 1e-9
        remaining = lost - parts.sum()
    parts = np.round(parts, 1)
    residual = round(lost - parts.sum(), 1)
    room = np.flatnonzero((parts + residual <= maxima) & (parts + residual >= 0))
    if residual and len(room):
        parts[room[np.argmax(parts[room])]] += residual
    return np.round(parts, 1)
