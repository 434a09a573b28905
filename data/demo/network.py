"""The demo bank's network: organisation tree, outlets with attributes and lifecycle, competitors,
staff and products, and each outlet's trade-area potential under a Huff model.

Outlet positions follow population (outlets sit where people live and work); the trade-area
potential of an outlet is the income-weighted population it captures under a Huff model with
``HUFF_DISTANCE_DECAY`` and ``HUFF_ATTRACTIVENESS_EXPONENT`` against our own and competitors'
outlets, so that deposits generated from it depend on population, income and competition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.demo.geography import City, Province
from data.demo.names import COMPETITOR_BANKS, OUTLET_SUFFIX, PLACE_STEMS, person_names
from data.staff_status import RELATIONSHIP_MANAGER_ROLES

OUTLETS_AT_SCALE_1 = 200
SYNTHETIC_OUTLETS_PER_CITY_AT_SCALE_1 = 6  # the invented provinces stay small (two cities each)
HEAD_OFFICE = {"code": "H00", "name_zh": "演示银行总行", "name_en": "Demo Bank Head Office"}
HUFF_DISTANCE_DECAY = 2.0  # λ: P ∝ A^α · d^−λ
HUFF_ATTRACTIVENESS_EXPONENT = 1.0  # α
MIN_DISTANCE_KM = 0.35  # about the radius of an H3 resolution-8 cell
WINDOW_START = dt.date(2023, 11, 1)  # first month of the KPI history
LAST_MONTH = dt.date(2026, 10, 1)  # last complete month of the demo data

# type → (probability, floor area m² range, cash counters, non-cash counters, ATMs, smart machines, staff range)
OUTLET_PROFILES = {
    "business_dept": (0.00, (1200, 2000), (5, 7), (3, 4), (4, 6), (4, 6), (35, 45)),
    "wealth_centre": (0.07, (600, 1000), (2, 3), (2, 3), (2, 2), (2, 3), (16, 22)),
    "sub_office": (0.42, (400, 700), (3, 4), (2, 2), (2, 3), (2, 3), (16, 22)),
    "savings_office": (0.22, (200, 400), (2, 3), (1, 1), (1, 2), (1, 2), (9, 13)),
    "community": (0.21, (120, 250), (1, 1), (1, 1), (1, 1), (1, 2), (6, 9)),
    "self_service": (0.08, (40, 80), (0, 0), (0, 0), (2, 4), (1, 2), (0, 0)),
}
# Brand/format multiplier of attractiveness beyond floor area.
TYPE_APPEAL = {
    "business_dept": 1.3,
    "wealth_centre": 1.2,
    "sub_office": 1.0,
    "savings_office": 0.9,
    "community": 0.9,
    "self_service": 0.6,
}
STAFF_COST_RMB = 26_000  # monthly cost per employee incl. social insurance, bonus and allocated overhead
STAFF_ROLES = ("outlet_manager", "lobby_manager", "relationship_manager", "wealth_advisor", "teller")

PRODUCTS = (
    # code, zh, en, family, segment, annual margin per RMB of balance
    ("DD-P", "个人活期存款", "Personal demand deposit", "demand_deposit", "personal", 0.018),
    ("TD-P", "个人定期存款", "Personal time deposit", "time_deposit", "personal", 0.006),
    ("LD-P", "大额存单", "Large-denomination CD", "time_deposit", "personal", 0.004),
    ("DD-C", "单位活期存款", "Corporate demand deposit", "demand_deposit", "corporate", 0.016),
    ("TD-C", "单位定期存款", "Corporate time deposit", "time_deposit", "corporate", 0.005),
    ("ML", "个人住房贷款", "Mortgage", "personal_loan", "personal", 0.012),
    ("CL", "个人消费贷款", "Consumer loan", "personal_loan", "personal", 0.035),
    ("BL", "个人经营贷款", "Small-business owner loan", "personal_loan", "personal", 0.030),
    ("WC", "流动资金贷款", "Working-capital loan", "corporate_loan", "corporate", 0.018),
    ("FL", "固定资产贷款", "Fixed-asset loan", "corporate_loan", "corporate", 0.015),
    ("WM", "理财产品", "Wealth-management product", "wealth", "personal", 0.005),
    ("INS", "代理保险", "Bancassurance", "insurance", "personal", 0.012),
    ("FD", "代销基金", "Mutual funds", "fund", "personal", 0.008),
    ("GD", "贵金属", "Precious metals", "gold", "personal", 0.010),
    ("DC", "借记卡", "Debit card", "card", "personal", 0.0),
    ("CC", "信用卡", "Credit card", "card", "personal", 0.020),
    ("MB", "手机银行", "Mobile banking", "e_banking", "both", 0.0),
    ("CB", "企业网银", "Corporate online banking", "e_banking", "corporate", 0.0),
)


@dataclass
class Network:
    """Everything generated about the network, as DataFrames named like their tables."""

    units: pd.DataFrame  # org_unit rows plus helper columns (x_km, y_km, cell, potential, appeal)
    events: pd.DataFrame
    competitors: pd.DataFrame
    staff: pd.DataFrame
    products: pd.DataFrame


def outlets_per_city(cities: list[City], scale: float) -> list[int]:
    """Outlets per city ∝ urban population^0.9, at least one each, ``200·scale`` in total over
    the real province's cities; a synthetic province's city gets ``6·scale`` (at least 2)."""
    real = [c for c in cities if c.province_code == cities[0].province_code]
    total = max(len(real), round(OUTLETS_AT_SCALE_1 * scale))
    weights = np.array([c.urban_population for c in real]) ** 0.9
    raw = weights / weights.sum() * (total - len(real))
    counts = np.floor(raw).astype(int)
    counts[np.argsort(-(raw - counts))[: total - len(real) - counts.sum()]] += 1
    synthetic = max(2, round(SYNTHETIC_OUTLETS_PER_CITY_AT_SCALE_1 * scale))
    return (counts + 1).tolist() + [synthetic] * (len(cities) - len(real))


def _random_dates(rng: np.random.Generator, start: dt.date, end: dt.date, count: int) -> list[dt.date]:
    days = rng.integers(0, (end - start).days + 1, count)
    return [start + dt.timedelta(days=int(d)) for d in days]


def _place(
    rng: np.random.Generator, grid: pd.DataFrame, count: int, jitter_km: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sample ``count`` distinct cells ∝ residents + 40·businesses; return cell rows and jittered km."""
    weight = (grid.population + 40.0 * grid.businesses).to_numpy() ** 1.1
    rows = rng.choice(len(grid), size=count, replace=False, p=weight / weight.sum())
    x = grid.x_km.to_numpy()[rows] + rng.uniform(-jitter_km, jitter_km, count)
    y = grid.y_km.to_numpy()[rows] + rng.uniform(-jitter_km, jitter_km, count)
    return rows, x, y


def _outlet_types(rng: np.random.Generator, income: np.ndarray) -> np.ndarray:
    """Outlet types: the first is the city's business department; wealth centres in rich cells."""
    names = [t for t in OUTLET_PROFILES if t != "business_dept"]
    base = np.array([OUTLET_PROFILES[t][0] for t in names])
    types = []
    for value in income[1:]:
        p = base.copy()
        p[names.index("wealth_centre")] *= 3.0 if value > 1.15 else 0.3
        types.append(rng.choice(names, p=p / p.sum()))
    return np.array(["business_dept", *types])


def _outlet_attributes(rng: np.random.Generator, types: np.ndarray, rent_level: np.ndarray) -> dict:
    """Floor area, counters, machines, staff and costs (RMB) drawn from each type's profile."""
    columns = {k: [] for k in ("floor_area_m2", "cash_counters", "non_cash_counters", "atms", "smart_machines")}
    columns["staff_count"] = []
    for kind in types:
        _, area, cash, non_cash, atms, smart, staff = OUTLET_PROFILES[kind]
        columns["floor_area_m2"].append(float(round(rng.uniform(*area), -1)))
        for key, bounds in zip(
            ("cash_counters", "non_cash_counters", "atms", "smart_machines"), (cash, non_cash, atms, smart)
        ):
            columns[key].append(int(rng.integers(bounds[0], bounds[1] + 1)))
        columns["staff_count"].append(int(rng.integers(staff[0], staff[1] + 1)))
    area = np.array(columns["floor_area_m2"])
    staff = np.array(columns["staff_count"])
    columns["build_cost_rmb"] = np.round(1_500_000 + area * rng.uniform(6_000, 9_000, len(types)), -3)
    columns["monthly_rent_rmb"] = np.round(area * rent_level, -2)
    columns["monthly_running_cost_rmb"] = np.round(staff * STAFF_COST_RMB + area * 35 + 12_000, -2)
    return columns


def _names(rng: np.random.Generator, types: np.ndarray) -> tuple[list[str], list[str], list[int]]:
    """Outlet names from distinct place stems plus the type's suffix; returns the stems used."""
    stems = rng.choice(len(PLACE_STEMS), size=len(types), replace=len(types) > len(PLACE_STEMS))
    zh, en = [], []
    seen: dict[str, int] = {}
    for stem, kind in zip(stems, types):
        stem_zh, stem_en = PLACE_STEMS[stem]
        seen[stem_zh] = seen.get(stem_zh, 0) + 1
        ordinal_zh, ordinal_en = ("", "") if seen[stem_zh] == 1 else (f"第{seen[stem_zh]}", f" No. {seen[stem_zh]}")
        zh.append(f"{stem_zh}{ordinal_zh}{OUTLET_SUFFIX[kind][0]}")
        en.append(f"{stem_en}{ordinal_en} {OUTLET_SUFFIX[kind][1]}")
    return zh, en, stems.tolist()


def _city_outlets(rng: np.random.Generator, city: City, grid: pd.DataFrame, count: int) -> pd.DataFrame:
    """Outlets of one city, ordered so that the business department comes first."""
    rows, x, y = _place(rng, grid, count, jitter_km=0.25)
    centre = int(np.argmin(np.hypot(grid.x_km, grid.y_km) - 0.002 * grid.businesses))
    rows[0], x[0], y[0] = centre, grid.x_km.iat[centre], grid.y_km.iat[centre]
    income = grid.income_index.to_numpy()[rows]
    types = _outlet_types(rng, income)
    distance = np.hypot(x, y)
    rent_level = 110.0 * np.exp(-distance / city.radius_km) * income
    name_zh, name_en, stems = _names(rng, types)
    lon, lat = city.to_degrees(x, y)
    frame = pd.DataFrame(
        {
            "level": "outlet",
            "outlet_type": types,
            "city_code": city.code,
            "district_id": grid.district_id.to_numpy()[rows],
            "cell": grid.h3_index.to_numpy()[rows],
            "name_zh": name_zh,
            "name_en": name_en,
            "stem": stems,
            "lon": np.round(lon, 6),
            "lat": np.round(lat, 6),
            "x_km": x,
            "y_km": y,
            "angle": np.arctan2(y, x),
            **_outlet_attributes(rng, types, rent_level),
        }
    )
    address_number = rng.integers(1, 300, count)
    frame["address_zh"] = [f"{city.name_zh}{PLACE_STEMS[s][0]}路{n}号" for s, n in zip(stems, address_number)]
    frame["address_en"] = [f"{n} {PLACE_STEMS[s][1]} Road, {city.name_en}" for s, n in zip(stems, address_number)]
    return frame


def _sub_branch_groups(outlets: pd.DataFrame) -> np.ndarray:
    """Group a city's outlets into sectors around the centre, about nine outlets per sub-branch."""
    groups = max(1, round(len(outlets) / 9))
    order = np.argsort(outlets.angle.to_numpy(), kind="stable")
    group = np.empty(len(outlets), dtype=int)
    group[order] = np.arange(len(outlets)) * groups // len(outlets)
    return group


def _top_rows(cities: list[City], provinces: list[Province]) -> tuple[list[dict], dict[str, int], int]:
    """The units above the sub-branches: with one province its branch is the top of the tree
    (id 1); with several, a head office (id 1) above the provinces' branches. Returns the rows,
    the city branch id of each city code and the next free id."""
    several = len(provinces) > 1
    rows, city_ids = [], {}
    next_id = 1
    if several:
        rows.append({"id": 1, **HEAD_OFFICE, "level": "head_office", "parent_id": None, "path": "/1/"})
        next_id = 2
    for province in provinces:
        origin = ("synthetic" if province.synthetic else "census") if several else None
        province_id = next_id
        province_path = f"/1/{province_id}/" if several else "/1/"
        rows.append(
            {
                "id": province_id,
                "code": "R15" if province.code == "15" else f"R{province.code}",
                "name_zh": "内蒙古区域总部" if not several else province.name_zh,
                "name_en": "Inner Mongolia Region" if not several else province.name_en,
                "level": "region",
                "parent_id": 1 if several else None,
                "path": province_path,
                "data_origin": origin,
            }
        )
        next_id += 1
        for city in (c for c in cities if c.code in province.city_codes):  # in the cities' order
            city_ids[city.code] = next_id
            rows.append(
                {
                    "id": next_id,
                    "code": f"C{city.code}",
                    "name_zh": f"{city.name_zh.removesuffix('市')}分行",
                    "name_en": f"{city.name_en} Branch",
                    "level": "city_branch",
                    "parent_id": province_id,
                    "path": f"{province_path}{next_id}/",
                    "city_code": city.code,
                    "lon": city.lon,
                    "lat": city.lat,
                    "data_origin": origin,
                }
            )
            next_id += 1
    if several:
        rows[0]["data_origin"] = None  # the head office is the demo bank's, in no province
    return rows, city_ids, next_id


def build_tree(
    rng: np.random.Generator,
    cities: list[City],
    grid: pd.DataFrame,
    scale: float,
    provinces: list[Province] | None = None,
) -> pd.DataFrame:
    """The whole organisation tree with ids, codes, paths and outlet attributes: one province
    (its branch on top: region → city branches → sub-branches → outlets) or several under a head
    office (head office → provinces → …). ``data_origin`` marks each unit of a several-province
    tree as on real city facts ("census") or invented ("synthetic")."""
    if provinces is None:
        provinces = [Province("15", "", "", tuple(c.code for c in cities), False)]
    rows, city_ids, next_id = _top_rows(cities, provinces)
    origin_of_city = {r["city_code"]: r["data_origin"] for r in rows if r["level"] == "city_branch"}
    path_of_city = {r["city_code"]: r["path"] for r in rows if r["level"] == "city_branch"}
    units = [pd.DataFrame(rows)]
    for city, count in zip(cities, outlets_per_city(cities, scale)):
        outlets = _city_outlets(rng, city, grid[grid.city_code == city.code].reset_index(drop=True), count)
        outlets["group"] = _sub_branch_groups(outlets)
        outlets["data_origin"] = origin_of_city[city.code]
        city_path = path_of_city[city.code]
        for group, members in outlets.groupby("group", sort=True):
            sub_id = next_id
            next_id += 1
            leader = members.sort_values("floor_area_m2", ascending=False).iloc[0]
            stem_zh, stem_en = PLACE_STEMS[leader.stem]
            sub = {
                "id": sub_id,
                "code": f"S{city.code}{group + 1:02d}",
                "name_zh": f"{city.name_zh.removesuffix('市')}{stem_zh}支行",
                "name_en": f"{city.name_en} {stem_en} Sub-branch",
                "level": "sub_branch",
                "parent_id": city_ids[city.code],
                "path": f"{city_path}{sub_id}/",
                "city_code": city.code,
                "lon": float(members.lon.mean()),
                "lat": float(members.lat.mean()),
                "data_origin": origin_of_city[city.code],
            }
            members = members.copy()
            members["id"] = np.arange(next_id, next_id + len(members))
            next_id += len(members)
            members["parent_id"] = sub_id
            members["path"] = [f"{sub['path']}{i}/" for i in members.id]
            units.append(pd.DataFrame([sub]))
            units.append(members)
    tree = pd.concat(units, ignore_index=True)
    outlet = tree.level == "outlet"
    sequence = tree[outlet].groupby("city_code").cumcount() + 1
    tree.loc[outlet, "code"] = "O" + tree.loc[outlet, "city_code"] + sequence.map("{:03d}".format)
    tree["status"] = "open"
    tree["opened_on"] = tree["closed_on"] = None
    tree["merged_into_id"] = pd.array([pd.NA] * len(tree), dtype="Int64")
    return tree.drop(columns=["group", "stem"])


def assign_lifecycle(rng: np.random.Generator, tree: pd.DataFrame) -> pd.DataFrame:
    """Opening dates, and a few recently opened, closed, merged and planned outlets (with events)."""
    outlets = tree.index[tree.level == "outlet"]
    n = len(outlets)
    tree.loc[outlets, "opened_on"] = _random_dates(rng, dt.date(1996, 1, 1), dt.date(2022, 12, 31), n)
    candidates = rng.permutation([i for i in outlets if tree.at[i, "outlet_type"] != "business_dept"])
    counts = {status: round(n * rate) for status, rate in (("planned", 0.03), ("closed", 0.03), ("merged", 0.02))}
    counts["new"] = round(n * 0.06)
    chosen, start = {}, 0
    for status, count in counts.items():
        chosen[status] = candidates[start : start + count]
        start += count
    events = []
    for i in chosen["new"]:
        tree.at[i, "opened_on"] = _random_dates(rng, dt.date(2024, 1, 1), dt.date(2026, 4, 30), 1)[0]
    for i in chosen["closed"]:
        tree.at[i, "status"] = "closed"
        tree.at[i, "closed_on"] = _month_end(_random_dates(rng, dt.date(2024, 3, 1), dt.date(2026, 6, 30), 1)[0])
        events.append((tree.at[i, "id"], "closed", tree.at[i, "closed_on"], None, "low footfall / 客流不足"))
    for i in chosen["merged"]:
        siblings = tree.index[
            (tree.parent_id == tree.at[i, "parent_id"])
            & (tree.index != i)
            & ~tree.index.isin(np.concatenate([chosen["closed"], chosen["merged"], chosen["planned"]]))
        ]
        if len(siblings) == 0:
            continue
        nearest = siblings[
            np.argmin(np.hypot(tree.x_km[siblings] - tree.at[i, "x_km"], tree.y_km[siblings] - tree.at[i, "y_km"]))
        ]
        tree.at[i, "status"] = "merged"
        tree.at[i, "closed_on"] = _month_end(_random_dates(rng, dt.date(2024, 3, 1), dt.date(2026, 6, 30), 1)[0])
        tree.at[i, "merged_into_id"] = tree.at[nearest, "id"]
        events.append(
            (tree.at[i, "id"], "merged", tree.at[i, "closed_on"], tree.at[nearest, "id"], "overlapping trade areas")
        )
    for i in chosen["planned"]:
        tree.at[i, "status"] = "planned"
        tree.at[i, "opened_on"] = None
        tree.loc[i, ["staff_count"]] = 0
        events.append((tree.at[i, "id"], "planned", dt.date(2026, 9, 15), None, "new residential area / 新建住宅区"))
    for i in outlets:
        if tree.at[i, "status"] != "planned":
            events.append((tree.at[i, "id"], "opened", tree.at[i, "opened_on"], None, None))
    renovated = rng.choice(outlets, size=round(n * 0.05), replace=False)
    for i in renovated:
        if tree.at[i, "status"] == "open":
            date = _random_dates(rng, dt.date(2023, 11, 1), dt.date(2026, 8, 31), 1)[0]
            events.append((tree.at[i, "id"], "renovated", date, None, "6S upgrade / 6S改造"))
    event_frame = pd.DataFrame(events, columns=["org_unit_id", "event_type", "event_date", "related_unit_id", "reason"])
    event_frame = event_frame.sort_values(["event_date", "org_unit_id"], kind="stable").reset_index(drop=True)
    event_frame.insert(0, "id", np.arange(1, len(event_frame) + 1))
    event_frame["recorded_by"] = "demo"
    return event_frame


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def build_competitors(
    rng: np.random.Generator, cities: list[City], grid: pd.DataFrame, tree: pd.DataFrame
) -> pd.DataFrame:
    """About 1.6 competitor outlets per own outlet in each city, split by the five banks' shares."""
    frames = []
    for city in cities:
        own = int(((tree.city_code == city.code) & (tree.level == "outlet")).sum())
        count = max(5, round(1.6 * own))
        city_grid = grid[grid.city_code == city.code].reset_index(drop=True)
        _, x, y = _place(rng, city_grid, count, jitter_km=0.3)
        lon, lat = city.to_degrees(x, y)
        shares = np.array([share for *_, share in COMPETITOR_BANKS])
        bank = rng.choice(len(COMPETITOR_BANKS), size=count, p=shares / shares.sum())
        frames.append(
            pd.DataFrame(
                {
                    "bank_code": [COMPETITOR_BANKS[b][0] for b in bank],
                    "bank_name_zh": [COMPETITOR_BANKS[b][1] for b in bank],
                    "bank_name_en": [COMPETITOR_BANKS[b][2] for b in bank],
                    "city_code": city.code,
                    "lon": np.round(lon, 6),
                    "lat": np.round(lat, 6),
                    "x_km": x,
                    "y_km": y,
                    "counters": rng.integers(2, 9, count),
                    "opened_on": _random_dates(rng, dt.date(1990, 1, 1), dt.date(2024, 6, 30), count),
                }
            )
        )
    competitors = pd.concat(frames, ignore_index=True)
    competitors.insert(0, "id", np.arange(1, len(competitors) + 1))
    stems = rng.integers(0, len(PLACE_STEMS), len(competitors))
    competitors["name"] = [f"{zh}{PLACE_STEMS[s][0]}支行" for zh, s in zip(competitors.bank_name_zh, stems)]
    repeat = competitors.groupby(["bank_code", "name"]).cumcount()  # a bank's outlet names are unique
    competitors["name"] = [n if r == 0 else f"{n[:-2]}第{r + 1}支行" for n, r in zip(competitors.name, repeat)]
    closed = rng.random(len(competitors)) < 0.03
    competitors["closed_on"] = [
        _random_dates(rng, dt.date(2024, 1, 1), dt.date(2026, 6, 30), 1)[0] if c else None for c in closed
    ]
    return competitors


def huff_shares(distance_km: np.ndarray, appeal: np.ndarray) -> np.ndarray:
    """Huff choice probabilities (cells × outlets) with the demo's λ and α; rows sum to 1."""
    utility = appeal**HUFF_ATTRACTIVENESS_EXPONENT * np.maximum(distance_km, MIN_DISTANCE_KM) ** -HUFF_DISTANCE_DECAY
    return utility / utility.sum(axis=1, keepdims=True)


def outlet_appeal(tree: pd.DataFrame) -> pd.Series:
    """Attractiveness of own outlets: √(floor area / 100 m²) times the type's appeal.

    The square root keeps a 1,500 m² business department about three times as attractive as a
    150 m² community outlet, not ten times: size matters, but with diminishing returns.
    """
    return np.sqrt(tree.floor_area_m2 / 100.0) * tree.outlet_type.map(TYPE_APPEAL)


def competitor_appeal(competitors: pd.DataFrame) -> pd.Series:
    """Attractiveness of competitor outlets on the same scale (about 120 m² per counter)."""
    return np.sqrt(competitors.counters * 1.2)


def trade_area_potential(
    cities: list[City], grid: pd.DataFrame, tree: pd.DataFrame, competitors: pd.DataFrame
) -> pd.DataFrame:
    """Per own outlet: income-weighted residents and businesses captured under the Huff model.

    Computed per city against the own outlets that traded during the KPI window (open, closed
    and merged; planned ones get no potential) and the competitors open today. Returns columns
    ``potential_residents`` (income-weighted persons), ``potential_businesses`` and
    ``service_area_km2`` (area of the cells where it is the most likely own outlet), indexed
    like ``tree``.
    """
    result = pd.DataFrame(index=tree.index, columns=["potential_residents", "potential_businesses", "service_area_km2"])
    for city in cities:
        own = tree[(tree.city_code == city.code) & (tree.level == "outlet") & (tree.status != "planned")]
        rivals = competitors[(competitors.city_code == city.code) & competitors.closed_on.isna()]
        cells = grid[grid.city_code == city.code]
        ox = np.concatenate([own.x_km, rivals.x_km])
        oy = np.concatenate([own.y_km, rivals.y_km])
        distance = np.hypot(cells.x_km.to_numpy()[:, None] - ox, cells.y_km.to_numpy()[:, None] - oy)
        appeal = np.concatenate([outlet_appeal(own), competitor_appeal(rivals)])
        shares = huff_shares(distance, appeal)[:, : len(own)]
        weighted = (cells.population * cells.income_index).to_numpy()
        result.loc[own.index, "potential_residents"] = weighted @ shares
        result.loc[own.index, "potential_businesses"] = cells.businesses.to_numpy() @ shares
        primary = np.bincount(shares.argmax(axis=1), minlength=len(own)) * 0.737
        result.loc[own.index, "service_area_km2"] = primary
    return result.astype(float)


def build_staff(rng: np.random.Generator, tree: pd.DataFrame) -> pd.DataFrame:
    """Staff of every open outlet by role: one manager, lobby managers, RMs, wealth advisors, tellers."""
    rows = []
    staffed = tree[(tree.level == "outlet") & (tree.status == "open") & (tree.staff_count > 0)]
    for unit in staffed.itertuples():
        n = int(unit.staff_count)
        lobby = 1 + (n >= 15)
        rms = max(1, n // 6)
        advisors = max(0, n // 8) + (unit.outlet_type == "wealth_centre") * 2
        tellers = max(0, n - 1 - lobby - rms - advisors)
        roles = ["outlet_manager"] + ["lobby_manager"] * lobby + ["relationship_manager"] * rms
        roles += ["wealth_advisor"] * advisors + ["teller"] * tellers
        for role in roles[:n]:
            rows.append((unit.id, role))
    staff = pd.DataFrame(rows, columns=["outlet_id", "role"])
    staff.insert(0, "id", np.arange(1, len(staff) + 1))
    staff["employee_no"] = [f"E{i:06d}" for i in staff.id]
    staff["name"] = person_names(rng, len(staff))
    staff["hired_on"] = _random_dates(rng, dt.date(1998, 1, 1), dt.date(2026, 6, 30), len(staff))
    staff["left_on"] = None  # everyone is still employed
    staff["is_relationship_manager"] = staff.role.isin(RELATIONSHIP_MANAGER_ROLES)  # the customers' managers
    return staff


def build_products() -> pd.DataFrame:
    """The product shelf (codes, names, families, annual margin rates)."""
    frame = pd.DataFrame(PRODUCTS, columns=["code", "name_zh", "name_en", "family", "segment", "annual_margin_rate"])
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return frame


def build_network(
    rng: np.random.Generator,
    cities: list[City],
    grid: pd.DataFrame,
    scale: float,
    provinces: list[Province] | None = None,
) -> Network:
    """Tree, lifecycle, competitors, trade-area potentials, staff and products."""
    tree = build_tree(rng, cities, grid, scale, provinces)
    events = assign_lifecycle(rng, tree)
    competitors = build_competitors(rng, cities, grid, tree)
    tree = tree.join(trade_area_potential(cities, grid, tree, competitors))
    tree["service_area_km2"] = tree.service_area_km2.round(2)
    staff = build_staff(rng, tree)
    return Network(tree, events, competitors, staff, build_products())
