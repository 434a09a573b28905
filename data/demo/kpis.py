"""Monthly KPIs of every outlet for 36 months, and annual targets for every unit.

Volumes start from each outlet's trade-area potential (income-weighted residents and
businesses it captures under the Huff model), times its type and a lognormal "management"
factor, scaled so that an average outlet matches the calibration figures quoted in the bank
management literature the product was designed from (docs/domain.md; a 2011 sub-branch: RMB
687 m deposits per outlet, 85 % personal; loans 53 % of deposits, 41 % personal; fee income
27 % of operating income; e-channel share 79 %). On top come
outlet-specific growth, seasonality (Spring Festival and the Q1 "开门红" campaign for personal
deposits and fee income, quarter-end peaks for corporate deposits, year-end bonus costs),
AR(1) noise, ramp-up of new outlets, run-down before closure and the transfer of a merged
outlet's business to the outlet it merged into.

All money in RMB per month (flows) or at month end (stocks).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from config.metrics import BASE_CODES, FEE_CODES
from data.demo.network import LAST_MONTH, WINDOW_START

MONTHS = pd.date_range(WINDOW_START, LAST_MONTH, freq="MS").date
PERSONAL_DEPOSITS_PER_OUTLET = 587e6  # 8.225 bn / 14 outlets
CORPORATE_DEPOSITS_PER_OUTLET = 100e6  # 1.396 bn / 14 outlets
PERSONAL_LOANS_TO_DEPOSITS = 0.256  # 2.106 / 8.225
CORPORATE_LOANS_TO_DEPOSITS = 2.09  # 2.924 / 1.396
FEE_INCOME_PER_OUTLET = 66.73e6 / 14 / 12  # monthly
PERSONAL_DEPOSITS_PER_CUSTOMER = 45_000.0
FEE_FAMILY_SHARES = {  # mean share of each fee product (FEE_CODES) in fee income
    "fee_income_wealth": 0.30,
    "fee_income_insurance": 0.20,
    "fee_income_fund": 0.14,
    "fee_income_gold": 0.06,
    "fee_income_card": 0.20,
    "fee_income_ebanking": 0.10,
}
# Month-of-year factors (Jan..Dec).
PERSONAL_DEPOSIT_SEASON = np.array([1.025, 1.03, 1.02, 0.995, 0.99, 0.995, 0.99, 0.99, 0.995, 0.99, 0.99, 1.015])
CORPORATE_DEPOSIT_SEASON = np.array([0.985, 0.98, 1.05, 0.985, 0.98, 1.05, 0.985, 0.98, 1.05, 0.985, 0.98, 1.05])
CAMPAIGN_FEE_SEASON = np.array([1.6, 1.3, 1.5, 0.9, 0.85, 0.9, 0.8, 0.8, 0.85, 0.8, 0.85, 0.85])
NEW_CUSTOMER_SEASON = np.array([1.5, 1.2, 1.4, 0.95, 0.9, 0.9, 0.85, 0.9, 0.9, 0.8, 0.85, 0.85])
COST_SEASON = np.array([0.97, 0.97, 0.97, 0.97, 0.97, 0.97, 0.97, 0.97, 0.97, 0.97, 0.97, 1.33])

TYPE_PERSONAL = {
    "business_dept": 1.6,
    "wealth_centre": 1.5,
    "sub_office": 1.0,
    "savings_office": 0.8,
    "community": 0.55,
    "self_service": 0.2,
}
TYPE_CORPORATE = {
    "business_dept": 3.5,
    "wealth_centre": 0.5,
    "sub_office": 1.1,
    "savings_office": 0.3,
    "community": 0.15,
    "self_service": 0.05,
}
TYPE_FEES = {
    "business_dept": 1.3,
    "wealth_centre": 2.2,
    "sub_office": 1.0,
    "savings_office": 0.8,
    "community": 0.7,
    "self_service": 0.2,
}
TYPE_VIP_SHARE = {
    "business_dept": 0.06,
    "wealth_centre": 0.12,
    "sub_office": 0.045,
    "savings_office": 0.035,
    "community": 0.03,
    "self_service": 0.02,
}


@dataclass
class OutletSeries:
    """Monthly KPI arrays (outlets × months) with NaN where an outlet did not trade."""

    outlet_ids: np.ndarray
    values: dict[str, np.ndarray]

    def frame(self) -> pd.DataFrame:
        """Long ``kpi_monthly`` rows (outlet_id, metric_code, month, value), NaNs dropped."""
        n_outlets, n_months = len(self.outlet_ids), len(MONTHS)
        frames = []
        for code in BASE_CODES:
            values = self.values[code].ravel()
            keep = ~np.isnan(values)
            frames.append(
                pd.DataFrame(
                    {
                        "outlet_id": np.repeat(self.outlet_ids, n_months)[keep],
                        "metric_code": code,
                        "month": np.tile(MONTHS, n_outlets)[keep],
                        "value": values[keep],
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)


def _month_index(day: dt.date | None, default: int) -> int:
    if day is None or pd.isna(day):
        return default
    return (day.year - WINDOW_START.year) * 12 + day.month - WINDOW_START.month


def trading_mask(outlets: pd.DataFrame) -> np.ndarray:
    """True where an outlet traded for the whole or part of a month (opened ≤ month ≤ closed)."""
    t = np.arange(len(MONTHS))
    first = np.array([_month_index(d, 0) for d in outlets.opened_on])
    last = np.array([_month_index(d, len(MONTHS) - 1) for d in outlets.closed_on])
    planned = (outlets.status == "planned").to_numpy()
    return (t >= first[:, None]) & (t <= last[:, None]) & ~planned[:, None]


def size_path(outlets: pd.DataFrame, level: np.ndarray) -> np.ndarray:
    """Relative size over time: ramp-up after opening, run-down before closing, merger transfers.

    ``level`` is each outlet's mature size; an outlet that absorbs a merged one grows by 60 %
    of the merged outlet's size from the merger month on.
    """
    t = np.arange(len(MONTHS))
    opened = np.array([_month_index(d, -10_000) for d in outlets.opened_on])
    closed = np.array([_month_index(d, 10_000) for d in outlets.closed_on])
    age = t - opened[:, None]
    path = 1.0 - np.exp(-(age + 1).clip(min=0) / 9.0)
    path *= 1.0 - 0.12 * np.clip(1.0 - (closed[:, None] - t) / 6.0, 0.0, 1.0)
    position = {unit_id: i for i, unit_id in enumerate(outlets.id)}
    for i, target in enumerate(outlets.merged_into_id):
        if pd.notna(target) and int(target) in position:
            j = position[int(target)]
            path[j] += 0.6 * level[i] / level[j] * (t > closed[i])
    return path


def _ar1_noise(rng: np.random.Generator, shape: tuple[int, int], sigma: float, phi: float = 0.7) -> np.ndarray:
    """Multiplicative AR(1) noise exp(e_t), e_t = φ e_{t−1} + ε_t, stationary standard deviation σ."""
    shocks = rng.normal(0.0, sigma * np.sqrt(1 - phi**2), shape)
    noise = np.empty(shape)
    noise[:, 0] = rng.normal(0.0, sigma, shape[0])
    for t in range(1, shape[1]):
        noise[:, t] = phi * noise[:, t - 1] + shocks[:, t]
    return np.exp(noise)


def _growth(rate: np.ndarray) -> np.ndarray:
    """Compound growth factors (outlets × months) reaching 1.0 in the last month."""
    years_to_end = (np.arange(len(MONTHS)) - (len(MONTHS) - 1)) / 12.0
    return (1.0 + rate[:, None]) ** years_to_end


def _normalise(values: np.ndarray, mean: float) -> np.ndarray:
    return values / values.mean() * mean


def generate_kpis(rng: np.random.Generator, outlets: pd.DataFrame) -> OutletSeries:
    """Monthly values of every base metric of the catalogue for every outlet."""
    n, n_months = len(outlets), len(MONTHS)
    season = np.array([m.month - 1 for m in MONTHS])
    kinds = outlets.outlet_type.to_numpy()
    trading = trading_mask(outlets)
    residents = outlets.potential_residents.fillna(outlets.potential_residents.mean()).to_numpy()
    businesses = outlets.potential_businesses.fillna(outlets.potential_businesses.mean()).to_numpy()

    personal_level = (residents / residents.mean()) ** 0.85 * pd.Series(kinds).map(TYPE_PERSONAL).to_numpy()
    personal_level = _normalise(personal_level * rng.lognormal(0, 0.25, n), PERSONAL_DEPOSITS_PER_OUTLET)
    corporate_level = (businesses / businesses.mean()) ** 0.8 * pd.Series(kinds).map(TYPE_CORPORATE).to_numpy()
    corporate_level = _normalise(corporate_level * rng.lognormal(0, 0.5, n), CORPORATE_DEPOSITS_PER_OUTLET)
    path = size_path(outlets, personal_level + corporate_level)

    v: dict[str, np.ndarray] = {}
    v["deposits_personal"] = (
        personal_level[:, None]
        * path
        * _growth(rng.normal(0.06, 0.04, n))
        * PERSONAL_DEPOSIT_SEASON[season]
        * _ar1_noise(rng, (n, n_months), 0.015)
    )
    v["deposits_corporate"] = (
        corporate_level[:, None]
        * path
        * _growth(rng.normal(0.04, 0.08, n))
        * CORPORATE_DEPOSIT_SEASON[season]
        * _ar1_noise(rng, (n, n_months), 0.05)
    )
    personal_loan_ratio = PERSONAL_LOANS_TO_DEPOSITS * rng.lognormal(0, 0.3, n)
    corporate_loan_ratio = CORPORATE_LOANS_TO_DEPOSITS * rng.lognormal(0, 0.4, n)
    v["loans_personal"] = (
        personal_loan_ratio[:, None] * personal_level[:, None] * path * _growth(rng.normal(0.08, 0.04, n))
    ) * _ar1_noise(rng, (n, n_months), 0.01, phi=0.9)
    v["loans_corporate"] = (
        corporate_loan_ratio[:, None] * corporate_level[:, None] * path * _growth(rng.normal(0.06, 0.06, n))
    ) * _ar1_noise(rng, (n, n_months), 0.03, phi=0.9)
    npl_ratio = rng.lognormal(np.log(0.012), 0.5, n)[:, None] * (1 + 0.08 * _years_from_start())
    v["loans_npl"] = (v["loans_personal"] + v["loans_corporate"]) * npl_ratio

    fee_level = (personal_level + 0.3 * corporate_level) * pd.Series(kinds).map(TYPE_FEES).to_numpy()
    fee_level = _normalise(fee_level * rng.lognormal(0, 0.3, n), FEE_INCOME_PER_OUTLET)
    family_shares = rng.dirichlet(np.array([FEE_FAMILY_SHARES[code] for code in FEE_CODES]) * 40, n)
    for k, code in enumerate(FEE_CODES):
        seasonal = CAMPAIGN_FEE_SEASON[season] if code in ("fee_income_wealth", "fee_income_insurance") else 1.0
        v[code] = (
            (fee_level * family_shares[:, k])[:, None]
            * path
            * _growth(rng.normal(0.05, 0.05, n))
            * seasonal
            * rng.lognormal(0, 0.12, (n, n_months))
        )
    deposits = v["deposits_personal"] + v["deposits_corporate"]
    loans = v["loans_personal"] + v["loans_corporate"]
    v["net_interest_income"] = (deposits * 0.009 + loans * 0.0175) / 12.0 * rng.lognormal(0, 0.03, (n, n_months))
    fees = sum(v[code] for code in FEE_CODES)
    fixed_cost = outlets.monthly_running_cost_rmb.fillna(0).to_numpy() + outlets.monthly_rent_rmb.fillna(0).to_numpy()
    v["operating_cost"] = (fixed_cost[:, None] * COST_SEASON[season] + 0.04 * fees) * rng.lognormal(
        0, 0.05, (n, n_months)
    )

    _customers(rng, v, personal_level, corporate_level, path, kinds, season)
    _channels(rng, v, kinds, n, n_months)
    _service(rng, v, outlets, n, n_months)
    _daily_averages(rng, v)

    for code in v:
        v[code] = np.where(trading, v[code], np.nan)
    missing = set(BASE_CODES) - set(v)
    if missing:
        raise RuntimeError(f"demo KPIs missing for catalogue metrics: {sorted(missing)}")
    return OutletSeries(outlets.id.to_numpy(), {code: v[code] for code in BASE_CODES})


def _daily_averages(rng: np.random.Generator, v: dict[str, np.ndarray]) -> None:
    """日均 of deposits and loans: the mean of a month's daily balances, drawn as the mean of the
    month-end balances before and at the month (the first month: its own) with 1 % noise, from a
    stream of its own (seeded from the demo seed) so that every other draw stays as it was."""
    own = np.random.default_rng([int(rng.bit_generator.seed_seq.entropy), 13])
    for code in ("deposits_personal", "deposits_corporate", "loans_personal", "loans_corporate"):
        stock = v[code]
        before = np.concatenate([stock[:, :1], stock[:, :-1]], axis=1)
        v[f"{code}_daily_avg"] = (before + stock) / 2.0 * own.lognormal(0, 0.01, stock.shape)


def _years_from_start() -> np.ndarray:
    return np.arange(len(MONTHS)) / 12.0


def _customers(rng, v, personal_level, corporate_level, path, kinds, season) -> None:
    """Active, new, lost and VIP customers: a stock updated by monthly inflows and outflows."""
    n, n_months = path.shape
    mature = personal_level / PERSONAL_DEPOSITS_PER_CUSTOMER + corporate_level / 2.5e6
    active = np.empty((n, n_months))
    new = np.empty((n, n_months))
    lost = np.empty((n, n_months))
    new_rate = rng.normal(0.013, 0.003, n).clip(0.004)
    lost_rate = rng.normal(0.009, 0.002, n).clip(0.003)
    previous = mature * path[:, 0] * 0.95
    for t in range(n_months):
        target = mature * path[:, t]
        inflow = previous * new_rate * NEW_CUSTOMER_SEASON[season[t]] + np.maximum(target - previous, 0) * 0.5
        new[:, t] = rng.poisson(np.maximum(inflow, 0))
        lost[:, t] = rng.poisson(previous * lost_rate)
        active[:, t] = np.maximum(previous + new[:, t] - lost[:, t], 0)
        previous = active[:, t]
    v["customers_active"], v["customers_new"], v["customers_lost"] = active, new, lost
    vip_share = pd.Series(kinds).map(TYPE_VIP_SHARE).to_numpy() * rng.lognormal(0, 0.2, n)
    v["customers_vip"] = np.round(active * vip_share[:, None] * (1 + 0.05 * _years_from_start()))


def e_channel_share(rng: np.random.Generator, kinds: np.ndarray, n: int) -> np.ndarray:
    """Share of transactions on e-channels: 72 % three years ago → 83 % now, ± outlet offset."""
    trend = 0.72 + 0.11 * np.linspace(0, 1, len(MONTHS))
    offset = rng.normal(0, 0.035, n)[:, None]
    share = trend + offset + rng.normal(0, 0.008, (n, len(MONTHS)))
    share = np.where((kinds == "self_service")[:, None], 1.0, share)
    return share.clip(0.4, 1.0)


def _channels(rng, v, kinds, n, n_months) -> None:
    """Transactions by channel: about 3.5 per active customer a month, split by the e-channel share."""
    total = v["customers_active"] * rng.lognormal(np.log(3.5), 0.15, n)[:, None]
    e_share = e_channel_share(rng, kinds, n)
    progress = np.linspace(0, 1, n_months)
    split = {
        "txn_mobile": 0.45 + 0.13 * progress,
        "txn_online": 0.20 - 0.08 * progress,
        "txn_atm": 0.20 - 0.05 * progress,
        "txn_smart_machine": 0.15 + 0.0 * progress,
    }
    v["txn_counter"] = np.round(total * (1 - e_share))
    for code, share in split.items():
        v[code] = np.round(total * e_share * share * rng.lognormal(0, 0.04, (n, n_months)))


def _service(rng, v, outlets: pd.DataFrame, n, n_months) -> None:
    """Counter customers, total wait minutes, complaints and the 6S inspection score."""
    counters = (outlets.cash_counters.fillna(0) + outlets.non_cash_counters.fillna(0)).to_numpy()
    served = v["txn_counter"] / 1.5
    load = served / np.maximum(counters, 1)[:, None]
    relative_load = load / np.nanmedian(load[counters > 0]) if (counters > 0).any() else load
    improvement = 1.0 - 0.07 * _years_from_start()
    wait = 11.0 * relative_load**0.8 * improvement * rng.lognormal(0, 0.08, (n, n_months))
    wait = np.where(counters[:, None] > 0, wait.clip(2.0, 45.0), 0.0)
    v["customers_served"] = np.round(served)
    v["wait_minutes_total"] = np.round(v["customers_served"] * wait)
    v["complaints"] = rng.poisson(v["customers_served"] / 6000.0 * (np.maximum(wait, 1) / 10.0) ** 1.2 + 0.3)
    quality = rng.normal(88, 4, n).clip(72, 97)
    score = quality[:, None] + 0.8 * _years_from_start() + rng.normal(0, 2.5, (n, n_months))
    v["inspection_score"] = np.round(score.clip(55, 100), 1)


def annual_targets(series: OutletSeries, tree: pd.DataFrame) -> pd.DataFrame:
    """Annual targets for 2025 and 2026 for every unit, set from the previous year's actuals.

    Stock metrics (deposits, loans, VIP customers) target the December balance; flows (fee
    income, new customers) the year's total; ratios (e-channel rate, average wait) a level.
    Sub-branch, city and region targets of additive metrics are the sums of their outlets'.
    """
    kpis = series.frame()
    kpis["year"] = [m.year for m in kpis.month]
    kpis["is_december"] = [m.month == 12 for m in kpis.month]
    december = kpis[kpis.is_december].pivot_table(index=["outlet_id", "year"], columns="metric_code", values="value")
    totals = kpis.pivot_table(index=["outlet_id", "year"], columns="metric_code", values="value", aggfunc="sum")
    rows = []
    rng = np.random.default_rng(7)
    for year in (2025, 2026):
        base_year = year - 1
        stock = december.xs(base_year, level="year")
        flow = totals.xs(base_year, level="year")
        outlets = stock.index.intersection(flow.index)
        uplift = rng.normal(1.0, 0.02, len(outlets))
        values = {
            "deposits_total": (stock.deposits_personal + stock.deposits_corporate)[outlets] * 1.08 * uplift,
            "loans_total": (stock.loans_personal + stock.loans_corporate)[outlets] * 1.07 * uplift,
            "customers_vip": (stock.customers_vip[outlets] * 1.10).round(),
            "fee_income_total": flow[list(FEE_CODES)].sum(axis=1)[outlets] * 1.10 * uplift,
            "customers_new": (flow.customers_new[outlets] * 1.05).round(),
        }
        for code, per_outlet in values.items():
            rows.append(_rolled_up(tree, per_outlet, code, year))
        for code, level in (("e_channel_rate", 0.85 if year == 2026 else 0.80), ("avg_wait_minutes", 10.0)):
            units = tree.id[tree.level != "outlet"].tolist() + outlets.tolist()
            rows.append(pd.DataFrame({"org_unit_id": units, "metric_code": code, "year": year, "value": level}))
    targets = pd.concat(rows, ignore_index=True)
    targets["period_start"] = [dt.date(y, 1, 1) for y in targets.year]
    targets["period_end"] = [dt.date(y, 12, 31) for y in targets.year]
    targets.insert(0, "id", np.arange(1, len(targets) + 1))
    return targets.drop(columns="year")


def _rolled_up(tree: pd.DataFrame, per_outlet: pd.Series, code: str, year: int) -> pd.DataFrame:
    """Outlet targets plus their sums for every ancestor unit (via the materialised paths)."""
    paths = tree.set_index("id").path
    rows = {int(outlet_id): float(value) for outlet_id, value in per_outlet.items()}
    for outlet_id, value in per_outlet.items():
        for ancestor in paths[int(outlet_id)].strip("/").split("/")[:-1]:
            rows[int(ancestor)] = rows.get(int(ancestor), 0.0) + float(value)
    return pd.DataFrame({"org_unit_id": list(rows), "metric_code": code, "year": year, "value": list(rows.values())})
