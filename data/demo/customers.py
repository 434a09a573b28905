"""Customers, their product holdings and month-end balances: a 1-in-20 sample of the KPIs'
customers (``--customers sample``, the default) or all of them (``--customers full``).

Each open outlet gets ``rate`` × its active customers of the last month (:data:`CUSTOMER_RATES`:
``SAMPLE_RATE`` = 0.05, or 1 for the full population). A customer's
home cell is drawn ∝ residents (personal) or businesses (corporate) × the Huff probability that
someone living there banks at that outlet among our outlets, so most customers live near their
outlet. Balances are heavy-tailed (lognormal personal wealth, Pareto corporate deposits) and
scaled so that the customers' balances ÷ ``rate`` equal the outlet's last-month deposits
and loans (with the full population: equal them). Names, phone numbers and ID numbers are
synthetic; ID numbers are stored only as keyed hashes (HMAC-SHA-256 with the demo's published
key) and phone numbers masked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.demo.geography import City
from data.demo.kpis import MONTHS, OutletSeries
from data.demo.names import company_names, person_names
from data.demo.network import LAST_MONTH, WINDOW_START, competitor_appeal, huff_shares, outlet_appeal
from data.importer.limits import DEMO_ID_HASH_KEY, id_hash

SAMPLE_RATE = 0.05
FULL_RATE = 1.0
CUSTOMER_RATES = {"sample": SAMPLE_RATE, "full": FULL_RATE}  # --customers choices → share of the KPIs' customers
CORPORATE_SHARE = 0.04
BALANCE_MONTHS = 12


@dataclass
class CustomerBook:
    """Customers with their holdings and monthly balances, as table-shaped DataFrames."""

    customers: pd.DataFrame  # plus helper columns: aum, deposits, loans, investments
    holdings: pd.DataFrame
    balances: pd.DataFrame


def _sample_sizes(outlets: pd.DataFrame, series: OutletSeries, rate: float = SAMPLE_RATE) -> pd.DataFrame:
    """Personal and corporate customers to generate (``rate`` × the last month's active
    customers, at least one of each) and last-month balances (RMB) of each open outlet."""
    last = {code: series.values[code][:, -1] for code in series.values}
    frame = pd.DataFrame(
        {
            "outlet_id": series.outlet_ids,
            "active": np.nan_to_num(last["customers_active"]),
            "deposits_personal": np.nan_to_num(last["deposits_personal"]),
            "deposits_corporate": np.nan_to_num(last["deposits_corporate"]),
            "loans_personal": np.nan_to_num(last["loans_personal"]),
            "loans_corporate": np.nan_to_num(last["loans_corporate"]),
        }
    )
    frame = frame[(outlets.status == "open").to_numpy() & (frame.active > 0)]
    frame["corporate"] = np.maximum(1, np.round(frame.active * CORPORATE_SHARE * rate)).astype(int)
    frame["personal"] = np.maximum(1, np.round(frame.active * rate) - frame.corporate).astype(int)
    return frame.reset_index(drop=True)


def _home_cells(
    rng: np.random.Generator,
    cities: list[City],
    grid: pd.DataFrame,
    outlets: pd.DataFrame,
    competitors: pd.DataFrame,
    sizes: pd.DataFrame,
) -> pd.DataFrame:
    """Home cell, outlet and kind of every customer.

    Cell i sends customers to our outlet j ∝ its residents (or businesses) × the Huff share of
    j among all banks' outlets, so a cell far from our outlets but close to a competitor sends
    few. Among our own outlets the choice is still Huff with the same λ and α (the Huff model's
    independence from irrelevant alternatives), which is what a calibration on our customers sees.
    """
    parts = []
    open_outlets = outlets[outlets.id.isin(sizes.outlet_id)]
    wanted = sizes.set_index("outlet_id")
    for city in cities:
        own = open_outlets[open_outlets.city_code == city.code]
        if own.empty:
            continue
        cells = grid[grid.city_code == city.code]
        rivals = competitors[(competitors.city_code == city.code) & competitors.closed_on.isna()]
        x = np.concatenate([own.x_km, rivals.x_km])
        y = np.concatenate([own.y_km, rivals.y_km])
        distance = np.hypot(cells.x_km.to_numpy()[:, None] - x, cells.y_km.to_numpy()[:, None] - y)
        appeal = np.concatenate([outlet_appeal(own), competitor_appeal(rivals)])
        choice = huff_shares(distance, appeal)[:, : len(own)]
        for kind, mass in (("personal", cells.population.to_numpy()), ("corporate", cells.businesses.to_numpy())):
            weights = mass[:, None] * choice
            for column, outlet_id in enumerate(own.id):
                count = int(wanted.at[outlet_id, kind])
                p = weights[:, column] / weights[:, column].sum()
                rows = rng.choice(len(cells), size=count, p=p)
                parts.append(
                    pd.DataFrame(
                        {
                            "home_outlet_id": outlet_id,
                            "kind": kind,
                            "home_cell": cells.h3_index.to_numpy()[rows],
                            "city_name": city.name_zh.removesuffix("市"),
                        }
                    )
                )
    return pd.concat(parts, ignore_index=True)


def _scaled(raw: np.ndarray, groups: np.ndarray, group_totals: pd.Series) -> np.ndarray:
    """Scale ``raw`` within each group so that its sum equals the group's total."""
    sums = pd.Series(raw).groupby(groups).transform("sum").to_numpy()
    totals = group_totals.reindex(groups).to_numpy()
    return np.where(sums > 0, raw / np.where(sums > 0, sums, 1) * totals, 0.0)


def _birth_dates(rng: np.random.Generator, birth_year: np.ndarray, personal: np.ndarray) -> list:
    """A uniform day of each personal customer's birth year (None for companies), drawn from a
    stream of its own (seeded from the demo seed) so that every other draw stays as it was."""
    days_rng = np.random.default_rng([int(rng.bit_generator.seed_seq.entropy), 11])
    first = (birth_year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    length = ((birth_year - 1969).astype("datetime64[Y]").astype("datetime64[D]") - first).astype(int)  # 365 or 366
    offset = (days_rng.random(len(birth_year)) * length).astype(int).astype("timedelta64[D]")
    dates = (first + offset).astype(object)
    return [d if p else None for d, p in zip(dates, personal)]


def _identity(rng: np.random.Generator, people: pd.DataFrame) -> pd.DataFrame:
    """Names, birth years, genders, hashed ID numbers, masked phones and opening dates."""
    n = len(people)
    personal = (people.kind == "personal").to_numpy()
    names = person_names(rng, n)
    corporate_names, industries = company_names(rng, people.city_name.to_numpy())
    people["name"] = np.where(personal, names, corporate_names)
    people["industry"] = np.where(personal, None, industries)
    birth_year = np.clip(np.round(rng.normal(1980, 14, n)), 1940, 2007).astype(int)
    people["birth_year"] = pd.Series(birth_year).where(personal).astype("Int64")
    people["birth_date"] = _birth_dates(rng, birth_year, personal)
    people["gender"] = np.where(personal, rng.choice(np.array(["F", "M"]), n), None)
    serial = rng.integers(0, 10**8, n)
    # Made-up ID and phone numbers: the import pipeline stores only the hash and the masked form.
    people["id_number"] = [f"D{k:09d}{s:08d}" for k, s in enumerate(serial)]
    # What the import stores: HMAC-SHA-256 with the demo's published key (data.importer.limits).
    people["id_number_hash"] = [id_hash(DEMO_ID_HASH_KEY, v) for v in people["id_number"]]
    prefix = rng.choice(np.array(["138", "139", "150", "151", "186", "189", "135", "177"]), n)
    people["phone"] = [f"{p}{s:08d}" for p, s in zip(prefix, serial)]
    people["phone_masked"] = [f"{p}****{s % 10_000:04d}" for p, s in zip(prefix, serial)]
    recent = rng.random(n) < 0.3
    old_days = rng.integers(0, (WINDOW_START - dt.date(1998, 1, 1)).days, n)
    new_days = rng.integers(0, (LAST_MONTH - WINDOW_START).days + 30, n)
    people["opened_on"] = [
        WINDOW_START + dt.timedelta(days=int(d)) if r else dt.date(1998, 1, 1) + dt.timedelta(days=int(o))
        for r, d, o in zip(recent, new_days, old_days)
    ]
    return people


def _balances(
    rng: np.random.Generator, people: pd.DataFrame, sizes: pd.DataFrame, rate: float = SAMPLE_RATE
) -> pd.DataFrame:
    """Deposits, loans and investments (RMB) scaled to ``rate`` × the outlets' last-month KPIs."""
    n = len(people)
    personal = (people.kind == "personal").to_numpy()
    outlet = people.home_outlet_id.to_numpy()
    totals = sizes.set_index("outlet_id")
    wealth = rng.lognormal(np.log(30_000), 1.5, n)
    corporate_deposits = (rng.pareto(1.1, n) + 1.0) * 300_000
    raw_deposits = np.where(personal, wealth, corporate_deposits)
    deposits = np.where(
        personal,
        _scaled(np.where(personal, raw_deposits, 0), outlet, totals.deposits_personal * rate),
        _scaled(np.where(personal, 0, raw_deposits), outlet, totals.deposits_corporate * rate),
    )
    age = LAST_MONTH.year - people.birth_year.fillna(1980).to_numpy()
    borrows = np.where(personal, rng.random(n) < np.where((age >= 25) & (age <= 55), 0.18, 0.06), rng.random(n) < 0.45)
    raw_loans = borrows * np.where(personal, rng.lognormal(np.log(300_000), 0.8, n), rng.lognormal(np.log(5e6), 1.2, n))
    loans = np.where(
        personal,
        _scaled(np.where(personal, raw_loans, 0), outlet, totals.loans_personal * rate),
        _scaled(np.where(personal, 0, raw_loans), outlet, totals.loans_corporate * rate),
    )
    invests = personal & (rng.random(n) < np.clip(0.05 + 0.4 * np.log10(np.maximum(deposits, 1) / 30_000), 0.02, 0.7))
    investments = invests * deposits * rng.uniform(0.2, 1.2, n)
    people["deposits"] = deposits.round(2)
    people["loans"] = loans.round(2)
    people["investments"] = investments.round(2)
    people["aum"] = (deposits + investments).round(2)
    return people


def _key_customers_and_managers(rng: np.random.Generator, people: pd.DataFrame, staff: pd.DataFrame) -> None:
    """Flag the top 1 % personal (by assets) and top 10 % corporate customers of each outlet as key
    customers and give them, and every corporate customer, a relationship manager."""
    rank = people.groupby(["home_outlet_id", "kind"]).aum.rank(ascending=False, pct=True)
    personal = people.kind == "personal"
    people["is_key_customer"] = (personal & (rank <= 0.01)) | (~personal & (rank <= 0.10))
    managers = (
        staff[staff.role.isin(["relationship_manager", "wealth_advisor"])].groupby("outlet_id").id.apply(np.array)
    )
    needs = (people.is_key_customer | ~personal).to_numpy()
    people["relationship_manager_id"] = pd.array(
        [
            int(rng.choice(managers[o])) if need and o in managers.index else None
            for o, need in zip(people.home_outlet_id, needs)
        ],
        dtype="Int64",
    )


def _holdings(rng: np.random.Generator, people: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    """Product holdings: deposits split into demand/time, loans by type, investments by family."""
    n = len(people)
    code_id = products.set_index("code").id
    personal = (people.kind == "personal").to_numpy()
    deposits, loans, investments = people.deposits.to_numpy(), people.loans.to_numpy(), people.investments.to_numpy()
    has_time = rng.random(n) < np.where(personal, 0.6, 0.4)
    demand_share = np.where(has_time, rng.beta(2, 3, n), 1.0)
    big_cd = personal & has_time & (deposits > 300_000) & (rng.random(n) < 0.4)
    loan_kind = rng.choice(np.array(["ML", "CL", "BL"]), n, p=[0.6, 0.25, 0.15])
    corporate_loan_kind = rng.choice(np.array(["WC", "FL"]), n, p=[0.65, 0.35])
    invest_split = rng.dirichlet([3.0, 1.5, 1.0], n)
    plan = [
        ("DD-P", personal, deposits * demand_share),
        ("TD-P", personal & has_time, deposits * (1 - demand_share) * np.where(big_cd, 0.5, 1.0)),
        ("LD-P", big_cd, deposits * (1 - demand_share) * 0.5),
        ("DD-C", ~personal, deposits * demand_share),
        ("TD-C", ~personal & has_time, deposits * (1 - demand_share)),
        ("WM", investments > 0, investments * invest_split[:, 0]),
        ("FD", investments > 0, investments * invest_split[:, 1]),
        ("INS", investments > 0, investments * invest_split[:, 2]),
        ("GD", personal & (rng.random(n) < 0.03), rng.lognormal(np.log(20_000), 0.7, n)),
        ("DC", personal & (rng.random(n) < 0.9), np.zeros(n)),
        ("CC", personal & (rng.random(n) < 0.3), np.zeros(n)),
        ("MB", rng.random(n) < np.where(personal, 0.72, 0.0), np.zeros(n)),
        ("CB", ~personal & (rng.random(n) < 0.85), np.zeros(n)),
    ]
    plan += [(kind, personal & (loans > 0) & (loan_kind == kind), loans) for kind in ("ML", "CL", "BL")]
    plan += [(kind, ~personal & (loans > 0) & (corporate_loan_kind == kind), loans) for kind in ("WC", "FL")]
    frames = []
    for code, holds, balance in plan:
        rows = np.flatnonzero(holds)
        frames.append(pd.DataFrame({"row": rows, "product_id": code_id[code], "balance_rmb": balance[rows].round(2)}))
    holdings = pd.concat(frames, ignore_index=True).sort_values(["row", "product_id"], kind="stable")
    opened = pd.to_datetime(people.opened_on.to_numpy()[holdings.row.to_numpy()])
    span = (pd.Timestamp(LAST_MONTH) - opened).days.to_numpy().clip(min=0)
    holdings["opened_on"] = (opened + pd.to_timedelta(np.floor(rng.random(len(holdings)) * span), unit="D")).date
    term_years = np.where(
        holdings.product_id.isin(code_id[["TD-P", "LD-P", "TD-C"]]), rng.integers(1, 4, len(holdings)), 0
    )
    term_years = np.where(
        holdings.product_id.isin(code_id[["ML", "CL", "BL", "WC", "FL"]]),
        rng.integers(1, 21, len(holdings)),
        term_years,
    )
    matures = pd.to_datetime(holdings.opened_on) + pd.to_timedelta(term_years * 365, unit="D")
    holdings["matures_on"] = np.where(term_years > 0, matures.dt.date, None)
    holdings["customer_id"] = people.id.to_numpy()[holdings.row.to_numpy()]
    holdings.insert(0, "id", np.arange(1, len(holdings) + 1))
    return holdings.drop(columns="row")


def _monthly_balances(rng: np.random.Generator, people: pd.DataFrame) -> pd.DataFrame:
    """Month-end deposits, loans and assets of the last 12 months, ending at today's balances."""
    n = len(people)
    months = MONTHS[-BALANCE_MONTHS:]
    back = np.arange(BALANCE_MONTHS)[::-1] / 12.0  # years before the last month
    growth = rng.normal(0.05, 0.15, n)
    drift = np.exp(-growth[:, None] * back + rng.normal(0, 0.05, (n, BALANCE_MONTHS)))
    drift[:, -1] = 1.0
    opened = np.array([(d.year - months[0].year) * 12 + d.month - months[0].month for d in people.opened_on])
    exists = np.arange(BALANCE_MONTHS)[None, :] >= opened[:, None]
    rows, columns = np.nonzero(exists)
    amortisation = 1.0 + 0.05 * back[columns]
    return pd.DataFrame(
        {
            "customer_id": people.id.to_numpy()[rows],
            "month": np.asarray(months)[columns],
            "deposit_rmb": (people.deposits.to_numpy()[rows] * drift[rows, columns]).round(2),
            "loan_rmb": (people.loans.to_numpy()[rows] * amortisation).round(2),
            "aum_rmb": (people.aum.to_numpy()[rows] * drift[rows, columns]).round(2),
        }
    )


def build_customers(
    rng: np.random.Generator,
    cities: list[City],
    grid: pd.DataFrame,
    outlets: pd.DataFrame,
    competitors: pd.DataFrame,
    series: OutletSeries,
    staff: pd.DataFrame,
    products: pd.DataFrame,
    rate: float = SAMPLE_RATE,
    with_accounts: bool = True,
) -> CustomerBook:
    """The customers (``rate`` × the KPIs' active customers) with identities, balances,
    key-customer flags, holdings and history. Without ``with_accounts`` holdings and balances
    are left empty: :func:`account_part` makes them for a part of the customers at a time."""
    sizes = _sample_sizes(outlets, series, rate)
    people = _home_cells(rng, cities, grid, outlets, competitors, sizes)
    people.insert(0, "id", np.arange(1, len(people) + 1))
    prefix = np.where(people.kind.to_numpy() == "personal", "P", "C")
    people["customer_no"] = pd.Series(prefix, dtype=object) + people.id.map("{:010d}".format).to_numpy()
    people = _identity(rng, people)
    people = _balances(rng, people, sizes, rate)
    _key_customers_and_managers(rng, people, staff)
    if not with_accounts:
        return CustomerBook(people, pd.DataFrame(), pd.DataFrame())
    holdings = _holdings(rng, people, products)
    balances = _monthly_balances(rng, people)
    return CustomerBook(people, holdings, balances)


def account_part(
    rng: np.random.Generator, people: pd.DataFrame, products: pd.DataFrame, first_holding_id: int = 1
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Holdings (ids from ``first_holding_id``) and month-end balances of a part of the customers
    (rows of :func:`build_customers`' frame): what the full-population demo makes one part at a
    time to keep memory bounded."""
    holdings = _holdings(rng, people.reset_index(drop=True), products)
    holdings["id"] += first_holding_id - 1
    return holdings, _monthly_balances(rng, people.reset_index(drop=True))


CUSTOMER_COLUMNS = (
    "id",
    "customer_no",
    "kind",
    "name",
    "id_number_hash",
    "phone_masked",
    "home_outlet_id",
    "relationship_manager_id",
    "home_cell",
    "birth_year",
    "birth_date",
    "gender",
    "industry",
    "opened_on",
    "is_key_customer",
)
