"""The demo's tables as import files, so that the demo loads through the import pipeline.

Each generated table that has an import kind is written the way a bank would deliver it: codes
instead of database ids (unit codes, customer numbers, employee numbers, product codes, district
codes), raw ID and phone numbers (the pipeline hashes and masks them), CSV in UTF-8, the columns
named as the kind names them (:data:`data.importer.spec.KINDS`).

:func:`import_frame` gives the rows of one import kind; :data:`EXPORTERS` says which kinds the
demo can give. What the demo has no extract for, and what an extract cannot carry, is listed in
:mod:`data.demo.export`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
from pyarrow import csv as pa_csv

CUSTOMER_EXTRACT = "customer_extract"  # key of the generator's raw customer frame (see data.demo.build_tables)

# Which account extract holds the accounts of a product: deposit and loan families by segment,
# every other family in the product-holding extract.
DEPOSIT_FAMILIES = ("demand_deposit", "time_deposit")
AUM_FAMILIES = ("wealth", "fund", "insurance")  # counted in assets under management with deposits
ACCOUNT_KINDS = ("personal_deposits", "corporate_deposits", "personal_loans", "corporate_loans", "product_holdings")

CSV_OPTIONS = pa_csv.WriteOptions(quoting_style="needed")


def _arrow_table(frame: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(frame, preserve_index=False)


def write_csv(frame: pd.DataFrame, path) -> None:
    """Write the rows as a UTF-8 CSV file with a header row: texts quoted, numbers in their
    shortest exact form, dates YYYY-MM-DD, booleans true/false, missing values empty. Written by
    Arrow's CSV writer (a few seconds for millions of rows instead of a minute)."""
    pa_csv.write_csv(_arrow_table(frame), str(path), CSV_OPTIONS)


def _datetimes(values: pd.Series) -> pd.Series:
    """Times as ``YYYY-MM-DD HH:MM:SS`` text (empty where missing), formatted by numpy at once
    (``strftime`` one value at a time takes minutes for the full demo's 25 million)."""
    instants = pd.to_datetime(values).to_numpy().astype("datetime64[s]")
    text = np.datetime_as_string(instants)  # 'YYYY-MM-DDTHH:MM:SS'
    if len(text):
        text.view(np.uint32).reshape(len(text), -1)[:, 10] = ord(" ")
    result = pd.Series(text.astype(object), index=values.index)
    return result.where(~np.isnat(instants), None)


def _unit_codes(tables: dict) -> pd.Series:
    return tables["org_unit"].set_index("id").code


def _customer_numbers(customers: pd.DataFrame) -> pd.Series:
    return customers.set_index("id").customer_no


def _product_codes(tables: dict) -> pd.Series:
    return tables["product"].set_index("id").code


def _org_units(tables: dict, customers: pd.DataFrame) -> pd.DataFrame:
    units = tables["org_unit"].sort_values("id", kind="stable")  # ids follow the file's order
    columns = [
        "code",
        "name_zh",
        "name_en",
        "level",
        "outlet_type",
        "status",
        "city_code",
        "address_zh",
        "address_en",
        "lon",
        "lat",
        "opened_on",
        "closed_on",
        "floor_area_m2",
        "service_area_km2",
        "cash_counters",
        "non_cash_counters",
        "atms",
        "smart_machines",
        "staff_count",
        "build_cost_rmb",
        "monthly_rent_rmb",
        "monthly_running_cost_rmb",
    ]
    frame = units[[c for c in columns if c in units.columns]].copy()
    codes = units.set_index("id").code
    frame.insert(4, "parent_code", units.parent_id.map(codes))
    if "merged_into_id" in units.columns:  # the unit a merged outlet went into (in the same file)
        frame.insert(frame.columns.get_loc("closed_on") + 1, "merged_into_code", units.merged_into_id.map(codes))
    if "district_id" in units.columns:
        district_code = tables["district"].set_index("id").code
        frame.insert(frame.columns.get_loc("city_code") + 1, "district_code", units.district_id.map(district_code))
    return frame


def _unit_events(tables: dict, customers: pd.DataFrame) -> pd.DataFrame:
    """The registry's lifecycle events (opened, planned, closed, merged, renovated), by date (the
    demo numbers them in that order), with unit codes instead of ids."""
    events = tables["org_unit_event"].sort_values(["event_date", "id"], kind="stable")
    codes = _unit_codes(tables)
    return pd.DataFrame(
        {
            "unit_code": events.org_unit_id.map(codes),
            "event_type": events.event_type,
            "event_date": events.event_date,
            "related_unit_code": events.related_unit_id.map(codes),
            "reason": events.reason,
        }
    )


def _products(tables: dict, customers: pd.DataFrame) -> pd.DataFrame:
    columns = ["code", "family", "segment", "name_zh", "name_en", "annual_margin_rate"]
    return tables["product"].sort_values("id", kind="stable")[columns]


def _staff(tables: dict, customers: pd.DataFrame) -> pd.DataFrame:
    staff = tables["staff"].sort_values("id", kind="stable")
    return pd.DataFrame(
        {
            "employee_no": staff.employee_no,
            "name": staff.name,
            "outlet_code": staff.outlet_id.map(_unit_codes(tables)),
            "role": staff.role,
            "is_relationship_manager": staff.is_relationship_manager,
            "hired_on": staff.hired_on,
            "left_on": staff.left_on,
        }
    )


def _customers(tables: dict, customers: pd.DataFrame) -> pd.DataFrame:
    employee_no = tables["staff"].set_index("id").employee_no
    frame = customers.sort_values("id", kind="stable")
    return pd.DataFrame(
        {
            "customer_no": frame.customer_no,
            "kind": frame.kind,
            "name": frame.name,
            "id_number": frame.id_number,
            "phone": frame.phone,
            "home_outlet_code": frame.home_outlet_id.map(_unit_codes(tables)),
            "birth_year": frame.birth_year,
            "birth_date": frame.birth_date,
            "gender": frame.gender,
            "industry": frame.industry,
            "opened_on": frame.opened_on,
            "is_key_customer": frame.is_key_customer,
            "home_cell": frame.home_cell,
            "relationship_manager": frame.relationship_manager_id.map(employee_no),
        }
    )


def _monthly_kpis(tables: dict, customers: pd.DataFrame) -> pd.DataFrame:
    frame = tables["kpi_monthly"]
    return pd.DataFrame(
        {
            "outlet_code": frame.outlet_id.map(_unit_codes(tables)),
            "metric_code": frame.metric_code,
            "month": frame.month,
            "value": frame.value,
        }
    )


def _targets(tables: dict, customers: pd.DataFrame) -> pd.DataFrame:
    frame = tables["target"]
    return frame[["metric_code", "period_start", "period_end", "value"]].assign(
        unit_code=frame.org_unit_id.map(_unit_codes(tables))
    )


def _competitor_outlets(tables: dict, customers: pd.DataFrame) -> pd.DataFrame:
    columns = ["bank_code", "bank_name_zh", "bank_name_en", "name", "city_code", "lon", "lat", "counters"]
    return tables["competitor_outlet"].sort_values("id", kind="stable")[[*columns, "opened_on", "closed_on"]]


def _demand_grid(tables: dict, customers: pd.DataFrame) -> pd.DataFrame:
    district_code = tables["district"].set_index("id").code
    frame = tables["demand_cell"]
    columns = ["h3_index", "city_code", "population", "households", "income_index", "businesses"]
    return frame[columns].assign(district_code=frame.district_id.map(district_code))


def _lobby_hourly(tables: dict, customers: pd.DataFrame) -> pd.DataFrame:
    frame = tables["lobby_hourly"]
    columns = ["day", "hour", "arrivals", "counters_open", "mean_service_minutes", "mean_wait_minutes"]
    return frame[columns].assign(outlet_code=frame.outlet_id.map(_unit_codes(tables)))


def _lobby_service_types(tables: dict, customers: pd.DataFrame) -> pd.DataFrame:
    frame = tables["lobby_service_type"]
    columns = ["month", "business_type", "transactions", "service_minutes_total"]
    return frame[columns].assign(
        outlet_code=frame.outlet_id.map(_unit_codes(tables)), month=pd.to_datetime(frame.month).dt.strftime("%Y-%m")
    )


def _inspections(tables: dict, customers: pd.DataFrame) -> pd.DataFrame:
    frame = tables["inspection"]
    columns = ["inspected_on", "kind", "item", "score", "max_score", "note"]
    return frame[columns].assign(outlet_code=frame.outlet_id.map(_unit_codes(tables)))


def transaction_number(ids: pd.Series) -> pd.Series:
    """The serial number (流水号) the demo gives its transaction ``id`` (the generator has none)."""
    return "T" + ids.map("{:012d}".format)


def complaint_number(ids: pd.Series) -> pd.Series:
    """The complaint system's number the demo gives its complaint ``id`` (the generator has none)."""
    return "TS" + ids.map("{:010d}".format)


def _transactions(tables: dict, customers: pd.DataFrame) -> pd.DataFrame:
    frame = tables["txn"].sort_values("id", kind="stable")
    return pd.DataFrame(
        {
            "txn_no": transaction_number(frame.id),
            "customer_no": frame.customer_id.map(_customer_numbers(customers)),
            "outlet_code": frame.outlet_id.map(_unit_codes(tables)),
            "txn_at": _datetimes(frame.txn_at),
            "channel": frame.channel,
            "product_code": frame.product_id.map(_product_codes(tables)),
            "amount_rmb": frame.amount_rmb,
        }
    )


def _complaints(tables: dict, customers: pd.DataFrame) -> pd.DataFrame:
    frame = tables["complaint"].sort_values("id", kind="stable")
    return pd.DataFrame(
        {
            "complaint_no": complaint_number(frame.id),
            "outlet_code": frame.outlet_id.map(_unit_codes(tables)),
            "customer_no": frame.customer_id.map(_customer_numbers(customers)),
            "received_at": _datetimes(frame.received_at),
            "category": frame.category,
            "channel": frame.channel,
            "severity": frame.severity,
            "description": frame.description,
        }
    )


def _complaint_status_changes(tables: dict, customers: pd.DataFrame) -> pd.DataFrame:
    """One change per closed complaint: closed at its ``closed_at`` (the others stay open)."""
    frame = tables["complaint"].sort_values("id", kind="stable")
    closed = frame[frame.status == "closed"]
    return pd.DataFrame(
        {
            "complaint_no": complaint_number(closed.id),
            "status": "closed",
            "changed_at": _datetimes(closed.closed_at),
        }
    )


def _labels(ids: pd.Series, labels: pd.Series) -> pd.Categorical:
    """``ids`` as the categorical of their labels (``labels``: id → unique label; missing ids
    give missing values). Cheap for millions of rows: no string is copied per row."""
    return pd.Categorical.from_codes(labels.index.get_indexer(ids), categories=labels.to_numpy())


def account_rows(tables: dict, customers: pd.DataFrame) -> pd.DataFrame:
    """Every account's month-end balance, one row per held product, customer and month of
    ``balance_monthly``, such that the extracts give back the demo's figures:

    - deposits: the month's ``deposit_rmb`` split over the customer's deposit products in
      proportion to their holdings (the cent left by rounding goes to the largest one), so that
      the deposit accounts sum to ``deposit_rmb``;
    - loans: the customer's loan account carries the month's ``loan_rmb``;
    - wealth, funds, insurance: ``aum_rmb − deposit_rmb`` split the same way;
    - gold, cards, e-banking: the holding's balance, in the last month only (the demo has no
      history for them and they count in no balance).

    Accounts are numbered ``<product code>-<customer no>`` (one account per product and customer
    in the demo). Opening and maturity dates are given from the month the account was opened.
    Columns: extract kind, month, outlet_code, customer_no, product_code, account_no (text
    columns as categoricals), balance_rmb, opened_on, matures_on; sorted by extract, month,
    customer and product.
    """
    products = tables["product"].set_index("id")
    holdings = tables["holding"].reset_index(drop=True).rename_axis("holding").reset_index()
    holdings["family"] = holdings.product_id.map(products.family)
    kind = customers.set_index("id").kind
    holdings["extract"] = pd.Categorical(
        _extract_of(holdings.family, holdings.customer_id.map(kind)), categories=ACCOUNT_KINDS
    )
    balances = tables["balance_monthly"].assign(month=lambda f: pd.to_datetime(f.month))
    deposit = holdings.family.isin(DEPOSIT_FAMILIES)
    loan = holdings.family.str.endswith("_loan")
    invested = holdings.family.isin(AUM_FAMILIES)
    columns = ["holding", "customer_id", "product_id", "extract", "month", "balance_rmb"]
    held = holdings[["holding", "customer_id", "product_id", "extract", "balance_rmb"]]
    parts = [
        _split(held[deposit], balances, balances.deposit_rmb)[columns],
        _split(held[loan], balances, balances.loan_rmb)[columns],
        _split(held[invested], balances, balances.aum_rmb - balances.deposit_rmb)[columns],
        held[~(deposit | loan | invested)].assign(month=balances.month.max())[columns],
    ]
    rows = pd.concat(parts, ignore_index=True)
    rows = rows[rows.balance_rmb.notna()].sort_values(["extract", "month", "customer_id", "product_id"], kind="stable")
    held = rows.holding.to_numpy()
    opened = pd.to_datetime(holdings.opened_on).to_numpy()[held]
    month_ends = (rows.month + pd.offsets.MonthBegin(1)).to_numpy()
    known = ~pd.isna(opened) & (opened < month_ends)  # opened by the month's end
    numbers = _customer_numbers(customers)
    product_codes = holdings.product_id.map(products.code)
    account_numbers = product_codes + "-" + holdings.customer_id.map(numbers)
    month_codes, month_values = pd.factorize(rows.month)
    return pd.DataFrame(
        {
            "extract": rows.extract.to_numpy(),
            "month": pd.Categorical.from_codes(month_codes, categories=month_values.strftime("%Y-%m")),
            "outlet_code": _labels(rows.customer_id.map(customers.set_index("id").home_outlet_id), _unit_codes(tables)),
            "customer_no": _labels(rows.customer_id, numbers),
            "product_code": _labels(rows.product_id, products.code),
            "account_no": pd.Categorical.from_codes(held, categories=account_numbers.to_numpy()),
            "balance_rmb": rows.balance_rmb.to_numpy(),
            "opened_on": np.where(known, holdings.opened_on.to_numpy(dtype=object)[held], None),
            "matures_on": np.where(known, holdings.matures_on.to_numpy(dtype=object)[held], None),
        }
    )


def _extract_of(family: pd.Series, customer_kind: pd.Series) -> np.ndarray:
    """The account extract kind of each holding (by its product's family and the customer's kind)."""
    deposit = family.isin(DEPOSIT_FAMILIES)
    loan = family.str.endswith("_loan")
    return np.select(
        [deposit, loan],
        [customer_kind + "_deposits", customer_kind + "_loans"],
        default="product_holdings",
    )


def _split(holdings: pd.DataFrame, balances: pd.DataFrame, totals: pd.Series) -> pd.DataFrame:
    """Each month's ``totals`` (per balance row) shared over the customer's ``holdings`` in
    proportion to their balances, in whole cents summing exactly to the total (the rounding
    remainder goes to the customer's largest holding; equal shares when all holdings are 0)."""
    monthly = pd.DataFrame(
        {
            "customer_id": balances.customer_id.to_numpy(),
            "month": balances.month.to_numpy(),
            "total_cents": np.round(totals.to_numpy() * 100),
            "balance_row": np.arange(len(balances)),  # one group per customer and month
        }
    )
    rows = holdings.rename(columns={"balance_rmb": "weight"}).merge(monthly, on="customer_id")
    group = rows.balance_row
    weight_sum = rows.weight.groupby(group).transform("sum").to_numpy()
    count = rows.weight.groupby(group).transform("size").to_numpy()
    share = np.where(weight_sum > 0, rows.weight.to_numpy() / np.where(weight_sum > 0, weight_sum, 1), 1 / count)
    cents = pd.Series(np.round(rows.total_cents.to_numpy() * share), index=rows.index)
    remainder = rows.total_cents - cents.groupby(group).transform("sum")
    largest = rows.weight.groupby(group).rank(method="first", ascending=False) == 1
    cents = cents + remainder.where(largest, 0)
    return rows.drop(columns=["weight", "total_cents", "balance_row"]).assign(balance_rmb=cents / 100)


def account_extracts(tables: dict, customers: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The rows of :func:`account_rows` by account extract kind (every kind of
    :data:`ACCOUNT_KINDS`, empty where the demo has no account of it)."""
    rows = account_rows(tables, customers)
    return {kind: rows[rows.extract == kind].drop(columns="extract").reset_index(drop=True) for kind in ACCOUNT_KINDS}


# Import kind → the function that gives its rows from the demo's tables and raw customer frame
# (the account extracts come all five at once from :func:`account_extracts`).
EXPORTERS: dict[str, Callable[[dict, pd.DataFrame], pd.DataFrame]] = {
    "org_units": _org_units,
    "unit_events": _unit_events,
    "products": _products,
    "staff": _staff,
    "customers": _customers,
    "transactions": _transactions,
    "complaints": _complaints,
    "complaint_status_changes": _complaint_status_changes,
    "monthly_kpis": _monthly_kpis,
    "targets": _targets,
    "competitor_outlets": _competitor_outlets,
    "demand_grid": _demand_grid,
    "lobby_hourly": _lobby_hourly,
    "lobby_service_types": _lobby_service_types,
    "inspections": _inspections,
}


def import_frame(kind: str, tables: dict[str, pd.DataFrame], customers: pd.DataFrame) -> pd.DataFrame:
    """The rows of import kind ``kind`` from the generated ``tables``; ``customers`` is the
    generator's full customer frame (with raw ID and phone numbers)."""
    if kind in ACCOUNT_KINDS:
        return account_extracts(tables, customers)[kind]
    return EXPORTERS[kind](tables, customers)


def exported_kinds() -> tuple[str, ...]:
    """Every import kind the demo gives rows for."""
    return (*EXPORTERS, *ACCOUNT_KINDS)
