"""Action lists, care reminders and complaint ageing: readable rules a branch can adjust.

The four customer lists of branch-management practice (docs/domain.md: 储备 reserve, 开拓
development, 维护 maintenance, 流失 churn) are built from one row per customer
(``data.queries_action_lists.care_action_inputs`` plus a probability alive from the BG/NBD model
where available) by the rules in :class:`ActionRules`, each of which a user can read as a sentence and change:

* **Churn** (流失): a high-value customer (AUM now or ``churn_months`` ago ≥ ``high_value_aum_rmb``)
  whose probability of still being active fell below ``churn_p_alive_below``, **or** whose AUM
  fell by more than ``churn_aum_drop_share`` over the last ``churn_months`` months. Ranked by
  value at risk = AUM still held (RMB).
* **Development** (开拓): a customer whose share of wallet with us is low, ``aum / wallet`` ≤
  ``development_max_share_of_wallet``, holding at most ``development_max_products`` products,
  with a wallet of at least ``development_min_wallet_rmb``. The wallet is estimated as the
  ``wallet_quantile`` quantile of the AUM of similar customers (same kind and ten-year age band)
  in the scope, the "high-quantile" wallet estimate of Perlich et al. (2007, *High-quantile
  modeling for customer wallet estimation*). Ranked by potential = wallet − AUM (RMB).
* **Reserve** (储备): future VIPs, AUM in [``reserve_min_aum_rmb``, ``high_value_aum_rmb``) and
  grown by at least ``reserve_min_growth_share`` over ``churn_months`` months. Ranked by the
  gap still to close to the high-value threshold, smallest first.
* **Maintenance** (维护): high-value customers not on the churn list whom nobody has contacted for
  ``maintenance_contact_days`` days. Ranked by AUM.

Contact outcomes logged back from the lists (``data.contacts``) feed the next day's lists: a
customer met, sold to or recorded as lost within ``cooloff_days`` leaves the churn, development
and reserve lists for that long; "called" and "no answer" keep them on the list with the outcome
shown. Money in RMB, shares as fractions (0.3 = 30 %), durations in days or months as named.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

__all__ = [
    "AGE_BAND_YEARS",
    "COMPLAINT_AGE_BANDS",
    "COMPLAINT_SLA_DAYS",
    "LIST_KINDS",
    "ActionRules",
    "activity_summary",
    "age_band",
    "build_action_lists",
    "complaint_ageing",
    "complaint_summary",
    "customer_rfm",
    "daily_care_list",
    "list_summary",
    "probability_alive",
    "tier_codes",
    "wallet_estimates",
]

LIST_KINDS = ("churn", "development", "reserve", "maintenance")
FINAL_OUTCOMES = ("met", "product_sold", "lost")
AGE_BAND_YEARS = 10
COMPLAINT_AGE_BANDS = (3, 7, 15, 30)  # upper bounds (days) of the ageing bands; the last is open-ended
COMPLAINT_SLA_DAYS = {"low": 7, "medium": 7, "high": 3}  # days to close before a complaint is overdue


@dataclass(frozen=True)
class ActionRules:
    """Thresholds of the action-list rules (see the module docstring for the sentences)."""

    high_value_aum_rmb: float = 500_000.0
    churn_p_alive_below: float = 0.5
    churn_aum_drop_share: float = 0.3
    churn_months: int = 3
    development_max_products: int = 3
    development_max_share_of_wallet: float = 0.3
    development_min_wallet_rmb: float = 100_000.0
    wallet_quantile: float = 0.9
    reserve_min_aum_rmb: float = 200_000.0
    reserve_min_growth_share: float = 0.1
    maintenance_contact_days: int = 90
    cooloff_days: int = 30

    def __post_init__(self) -> None:
        problems = []
        for name in ("high_value_aum_rmb", "development_min_wallet_rmb", "reserve_min_aum_rmb"):
            if not np.isfinite(getattr(self, name)) or getattr(self, name) < 0:
                problems.append(name)
        for name in (
            "churn_p_alive_below",
            "churn_aum_drop_share",
            "development_max_share_of_wallet",
            "reserve_min_growth_share",
        ):
            if not 0 <= getattr(self, name) <= 1:
                problems.append(name)
        if not 0 < self.wallet_quantile < 1:
            problems.append("wallet_quantile")
        for name in ("churn_months", "development_max_products", "maintenance_contact_days", "cooloff_days"):
            value = getattr(self, name)
            if int(value) != value or value < (1 if name == "churn_months" else 0):
                problems.append(name)
        if self.reserve_min_aum_rmb >= self.high_value_aum_rmb:
            problems.append("reserve_min_aum_rmb")
        if problems:
            raise ValueError(f"invalid action-list rule values: {', '.join(problems)}")

    def as_dict(self) -> dict:
        """The rule values as a plain dict (for saving and for showing)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> ActionRules:
        """Rules from a dict; unknown keys are ignored, missing ones take the defaults."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (values or {}).items() if k in known})


def age_band(birth_year: pd.Series, year: int) -> pd.Series:
    """Start of the ten-year age band (30 for ages 30–39) each customer is in during ``year``;
    NaN where the birth year is unknown. The data layer hands the rules bands, never birth years."""
    age = int(year) - birth_year.astype(float)
    return age // AGE_BAND_YEARS * AGE_BAND_YEARS


def wallet_estimates(customers: pd.DataFrame, quantile: float = 0.9) -> pd.Series:
    """Estimated wallet (RMB) per customer: the ``quantile`` of the newest AUM among customers
    of the same kind and ten-year ``age_band`` (companies and unknown ages: one band each).
    Index as ``customers``."""
    band = customers["age_band"].astype(float).where(customers["kind"] == "personal").fillna(-1)
    aum = customers["aum_now_rmb"].astype(float).fillna(0.0)
    return aum.groupby([customers["kind"], band]).transform(lambda values: values.quantile(quantile))


def _cooling(customers: pd.DataFrame, contacts: pd.DataFrame | None, today: dt.date, days: int) -> pd.Series:
    """True for customers with a final outcome (met, sold, lost) logged within ``days`` days."""
    if contacts is None or contacts.empty:
        return pd.Series(False, index=customers.index)
    recent = contacts[
        contacts["outcome"].isin(FINAL_OUTCOMES)
        & (pd.to_datetime(contacts["contacted_at"]) >= pd.Timestamp(today) - pd.Timedelta(days=int(days)))
    ]
    return customers["customer_id"].isin(recent["customer_id"])


def build_action_lists(
    customers: pd.DataFrame,
    rules: ActionRules,
    today: dt.date,
    contacts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """All four lists in one long frame, each ranked (rank 1 = first to call).

    ``customers``: one row per customer with customer_id, kind, age_band (see ``age_band``), aum_now_rmb,
    aum_then_rmb (``rules.churn_months`` months earlier; NaN if unknown), products and
    optionally p_alive (NaN where the model has no answer: that condition is then not used).
    ``contacts``: the last contact per customer (customer_id, contacted_at, outcome, list_kind).
    ``today`` dates the cool-off and maintenance windows.

    Returns the customers' columns plus list_kind, rank, value_rmb (value at risk for churn,
    potential for development, gap to high value for reserve, AUM for maintenance), reason
    flags (reason_p_alive, reason_aum_drop), aum_change_share, wallet_rmb, share_of_wallet and
    the last contact (last_contacted_at, last_outcome, last_list_kind).
    """
    frame = customers.reset_index(drop=True).copy()
    aum_now = frame["aum_now_rmb"].astype(float).fillna(0.0)
    aum_then = frame["aum_then_rmb"].astype(float)
    p_alive = frame["p_alive"].astype(float) if "p_alive" in frame else pd.Series(np.nan, index=frame.index)
    change = (aum_now - aum_then) / aum_then.where(aum_then > 0)
    frame["aum_change_share"] = change
    frame["wallet_rmb"] = wallet_estimates(frame.assign(aum_now_rmb=aum_now), rules.wallet_quantile)
    frame["share_of_wallet"] = aum_now / frame["wallet_rmb"].where(frame["wallet_rmb"] > 0)
    if contacts is not None and not contacts.empty:
        last = contacts.set_index("customer_id")
        frame["last_contacted_at"] = frame["customer_id"].map(pd.to_datetime(last["contacted_at"]))
        frame["last_outcome"] = frame["customer_id"].map(last["outcome"])
        frame["last_list_kind"] = frame["customer_id"].map(last["list_kind"])
    else:
        frame["last_contacted_at"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
        frame["last_outcome"] = None
        frame["last_list_kind"] = None
    cooling = _cooling(frame, contacts, today, rules.cooloff_days)

    high_value = np.maximum(aum_now, aum_then.fillna(0.0)) >= rules.high_value_aum_rmb
    low_p_alive = (p_alive < rules.churn_p_alive_below).fillna(False)
    dropped = (change < -rules.churn_aum_drop_share).fillna(False)
    churn = high_value & (low_p_alive | dropped) & ~cooling
    frame["reason_p_alive"] = low_p_alive
    frame["reason_aum_drop"] = dropped

    development = (
        (frame["share_of_wallet"] <= rules.development_max_share_of_wallet).fillna(False)
        & (frame["products"] <= rules.development_max_products)
        & (frame["wallet_rmb"] >= rules.development_min_wallet_rmb)
        & ~churn
        & ~cooling
    )
    reserve = (
        (aum_now >= rules.reserve_min_aum_rmb)
        & (aum_now < rules.high_value_aum_rmb)
        & (change >= rules.reserve_min_growth_share).fillna(False)
        & ~churn
        & ~cooling
    )
    stale = frame["last_contacted_at"].isna() | (
        frame["last_contacted_at"] < pd.Timestamp(today) - pd.Timedelta(days=int(rules.maintenance_contact_days))
    )
    maintenance = (aum_now >= rules.high_value_aum_rmb) & ~churn & stale

    parts = []
    for kind, members, value, ascending in (
        ("churn", churn, aum_now, False),
        ("development", development, frame["wallet_rmb"] - aum_now, False),
        ("reserve", reserve, rules.high_value_aum_rmb - aum_now, True),
        ("maintenance", maintenance, aum_now, False),
    ):
        part = frame[members].assign(list_kind=kind, value_rmb=value[members])
        part = part.sort_values(["value_rmb", "customer_id"], ascending=[ascending, True], kind="stable")
        part["rank"] = np.arange(1, len(part) + 1)
        parts.append(part)
    result = pd.concat(parts, ignore_index=True)
    return result


def list_summary(lists: pd.DataFrame, group: str = "outlet_id") -> pd.DataFrame:
    """Customers and value (RMB) per ``group`` and list kind: the aggregate executives see."""
    if lists.empty:
        return pd.DataFrame(columns=[group, "list_kind", "customers", "value_rmb"])
    summary = lists.groupby([group, "list_kind"], sort=True).agg(
        customers=("customer_id", "size"), value_rmb=("value_rmb", "sum")
    )
    return summary.reset_index()


# --------------------------------------------------------------------------- probability alive


def activity_summary(customers: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """BG/NBD inputs in days from each customer's activity (index as ``customers``).

    ``customers`` needs txn_days (distinct days with a transaction), first_txn_at and last_txn_at.
    frequency = repeat transaction days (txn_days − 1), recency = days from the first to the last
    transaction day, T = days from the first transaction day to ``as_of``; all NaN for customers
    who never transacted (the model says nothing about them).
    """
    first = pd.to_datetime(customers["first_txn_at"]).dt.normalize()
    last = pd.to_datetime(customers["last_txn_at"]).dt.normalize()
    active = customers["txn_days"].astype(float) > 0
    frequency = (customers["txn_days"].astype(float) - 1).clip(lower=0).where(active)
    recency = ((last - first).dt.days.astype(float)).where(active)
    age = ((pd.Timestamp(as_of) - first).dt.days.astype(float)).where(active)
    return pd.DataFrame({"frequency": frequency, "recency": recency, "T": np.maximum(age, recency)})


def probability_alive(customers: pd.DataFrame, as_of: dt.date, min_customers: int = 100) -> tuple[pd.Series, dict]:
    """P(alive) per customer from a BG/NBD model (``analytics.clv.BetaGeo``, periods in days)
    fitted on these customers' activity.

    Returns the probabilities (NaN for customers who never transacted, and for everyone when
    fewer than ``min_customers`` customers transacted or the fit did not converge) and a dict:
    fitted (bool), customers (used in the fit), params (r, alpha in days, a, b) or reason
    ("too_few_customers", "not_converged").
    """
    from analytics.clv import BetaGeo  # the lifetime-value page's BG/NBD model

    summary = activity_summary(customers, as_of)
    usable = summary["T"].notna() & (summary["T"] > 0)
    result = pd.Series(np.nan, index=customers.index, dtype=float)
    n = int(usable.sum())
    if n < int(min_customers):
        return result, {"fitted": False, "customers": n, "reason": "too_few_customers"}
    rows = summary[usable]
    try:
        with threadpool_limits(limits=1, user_api="blas"):  # small vectors: threads only add contention
            model = BetaGeo().fit(rows["frequency"].to_numpy(), rows["recency"].to_numpy(), rows["T"].to_numpy())
    except ValueError:
        return result, {"fitted": False, "customers": n, "reason": "too_few_customers"}
    if not model.converged_:
        return result, {"fitted": False, "customers": n, "reason": "not_converged"}
    result[usable] = model.probability_alive(
        rows["frequency"].to_numpy(), rows["recency"].to_numpy(), rows["T"].to_numpy()
    )
    return result, {"fitted": True, "customers": n, "params": dict(model.params_)}


def tier_codes(aum_rmb: pd.Series) -> pd.Series:
    """Value tier code (``analytics.customer_value.DEFAULT_TIERS``: mass, star1 … star5) of each
    AUM by the thresholds alone, index as ``aum_rmb``."""
    from analytics.customer_value import DEFAULT_TIERS, raw_tier

    codes = np.array([tier.code for tier in DEFAULT_TIERS])
    return pd.Series(codes[raw_tier(aum_rmb.to_numpy(float))], index=aum_rmb.index)


def customer_rfm(customers: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """RFM scores and segment (``analytics.customer_value.rfm_scores``) of customers from the
    action-list inputs: recency = days since the last transaction (customers who never
    transacted count as the longest recency + 1), frequency = transactions in 12 months,
    monetary = AUM now (RMB). Index as ``customers``."""
    from analytics.customer_value import rfm_scores

    days = (pd.Timestamp(as_of) - pd.to_datetime(customers["last_txn_at"]).dt.normalize()).dt.days.astype(float)
    recency = days.fillna((days.max() if days.notna().any() else 0.0) + 1.0)
    scores = rfm_scores(
        recency.to_numpy(), customers["txn_12m"].astype(float).to_numpy(), customers["aum_now_rmb"].fillna(0).to_numpy()
    )
    scores.index = customers.index
    return scores


# --------------------------------------------------------------------------- care reminders


def daily_care_list(
    today: dt.date,
    birthdays: pd.DataFrame,
    maturities: pd.DataFrame,
    idle_vips: pd.DataFrame,
    contacts: pd.DataFrame | None = None,
    done_days: int = 7,
) -> pd.DataFrame:
    """Today's care reminders in one list: maturing time deposits (soonest first), idle VIPs,
    then birthdays not yet marked (on the day where the birth date is known, soonest first;
    milestone birthdays of customers with only a birth year at the end); within equal due dates
    key customers first, then the largest amount.

    Inputs as from the ``care_reminder_*`` queries; ``birthdays`` may hold both kinds of rows:
    with a ``birthday`` date (from ``care_reminder_birthdays_ahead``) or without (the year-only
    ``care_reminder_birthdays``). Returns customer columns (customer_id, customer_no, name,
    outlet_id, is_key_customer), reason ("maturity", "idle_vip", "birthday"), due (date:
    maturity date, today for idle VIPs, the birthday, or 31 December for a birthday known by year
    only), amount_rmb (the maturing balance or the AUM; NaN for birthdays), detail (product code,
    idle days or the age turned), on_day (True for a birthday on a known day), days_left (days
    until due) and priority (1 = first).

    ``contacts`` (last contact per customer: customer_id, contacted_at, list_kind) marks a
    reminder done: a care contact within ``done_days`` days removes the customer's maturity and
    idle-VIP reminders (birthdays are marked done by the birthday queries themselves: a care
    contact this year, or since the dated reminder could first show).
    """
    columns = ["customer_id", "customer_no", "name", "outlet_id", "is_key_customer"]
    if contacts is not None and not contacts.empty:
        recent = contacts[
            (contacts["list_kind"] == "care")
            & (pd.to_datetime(contacts["contacted_at"]) >= pd.Timestamp(today) - pd.Timedelta(days=int(done_days)))
        ]["customer_id"]
        maturities = maturities[~maturities["customer_id"].isin(recent)]
        idle_vips = idle_vips[~idle_vips["customer_id"].isin(recent)]
    pieces = []
    if not maturities.empty:
        pieces.append(
            maturities[columns].assign(
                reason="maturity",
                due=maturities["matures_on"].to_numpy(),
                amount_rmb=maturities["balance_rmb"].astype(float).to_numpy(),
                detail=maturities["product_code"].astype(str).to_numpy(),
                order=0,
            )
        )
    if not idle_vips.empty:
        idle_days = (pd.Timestamp(today) - pd.to_datetime(idle_vips["last_txn_at"]).dt.normalize()).dt.days
        pieces.append(
            idle_vips[columns].assign(
                reason="idle_vip",
                due=today,
                amount_rmb=idle_vips["aum_rmb"].astype(float).to_numpy(),
                detail=[str(int(d)) if pd.notna(d) else "" for d in idle_days],
                order=1,
            )
        )
    if not birthdays.empty:
        pending = birthdays[birthdays["last_care_at"].isna()]
        dated = pending["birthday"] if "birthday" in pending else pd.Series(None, index=pending.index, dtype=object)
        year_end = dt.date(today.year, 12, 31)
        pieces.append(
            pending[columns].assign(
                reason="birthday",
                due=[d if isinstance(d, dt.date) and pd.notna(d) else year_end for d in dated],
                amount_rmb=np.nan,
                detail=["" if pd.isna(age) else str(int(age)) for age in pending["turns"]],  # none: counts only
                order=[2 if isinstance(d, dt.date) and pd.notna(d) else 3 for d in dated],
                on_day=[isinstance(d, dt.date) and pd.notna(d) for d in dated],
            )
        )
    if not pieces:
        return pd.DataFrame(
            columns=[*columns, "reason", "due", "amount_rmb", "detail", "on_day", "days_left", "priority"]
        )
    frame = pd.concat(pieces, ignore_index=True)
    frame["on_day"] = frame["on_day"].fillna(False).astype(bool) if "on_day" in frame else False
    frame["days_left"] = [(due - today).days for due in frame["due"]]
    frame = frame.assign(key_first=~frame["is_key_customer"].astype(bool), amount_sort=-frame["amount_rmb"].fillna(0))
    frame = frame.sort_values(
        ["order", "days_left", "key_first", "amount_sort", "customer_no"], kind="stable"
    ).reset_index(drop=True)
    frame["priority"] = np.arange(1, len(frame) + 1)
    return frame.drop(columns=["order", "key_first", "amount_sort"])


# --------------------------------------------------------------------------- complaints


def complaint_ageing(log: pd.DataFrame, as_of: dt.datetime, sla_days: dict[str, int] | None = None) -> pd.DataFrame:
    """Ageing of each complaint: age_days (open: from receipt to ``as_of``; closed: days it took
    to close), age_band (index into ``COMPLAINT_AGE_BANDS``: 0 = ≤ 3 days … 4 = over 30) and
    overdue (open longer, or closed later, than the SLA days of its severity)."""
    sla = {**COMPLAINT_SLA_DAYS, **(sla_days or {})}
    frame = log.copy()
    received = pd.to_datetime(frame["received_at"])
    closed = pd.to_datetime(frame["closed_at"])
    is_open = frame["status"] != "closed"
    end = closed.where(~is_open, pd.Timestamp(as_of))
    frame["age_days"] = ((end - received).dt.total_seconds() / 86400.0).clip(lower=0.0)
    frame["age_band"] = np.searchsorted(np.array(COMPLAINT_AGE_BANDS, float), frame["age_days"].to_numpy(), side="left")
    limit = frame["severity"].map(sla).fillna(max(sla.values())).astype(float)
    frame["overdue"] = frame["age_days"] > limit
    return frame


def complaint_summary(aged: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: received, open, closed, open_overdue, median_days_to_close (closed ones) and
    share_closed_within_sla, from :func:`complaint_ageing`'s output."""
    if aged.empty:
        return pd.DataFrame(
            columns=[
                "outlet_id",
                "received",
                "open",
                "closed",
                "open_overdue",
                "median_days_to_close",
                "share_closed_within_sla",
            ]
        )
    is_open = aged["status"] != "closed"
    frame = aged.assign(
        is_open=is_open,
        is_closed=~is_open,
        open_overdue=is_open & aged["overdue"],
        close_days=aged["age_days"].where(~is_open),
        closed_in_time=(~aged["overdue"]).astype(float).where(~is_open),
    )
    summary = frame.groupby("outlet_id", sort=True).agg(
        received=("id", "size"),
        open=("is_open", "sum"),
        closed=("is_closed", "sum"),
        open_overdue=("open_overdue", "sum"),
        median_days_to_close=("close_days", "median"),
        share_closed_within_sla=("closed_in_time", "mean"),
    )
    return summary.reset_index()
