"""The full-population demo's accounts and transactions, one part of the customers at a time.

With every customer the KPIs count (≈2.8 million at scale 1) the holdings, month-end balances,
account extract rows (≈70 million) and transactions (≈25 million) do not fit in memory at
once. :class:`CustomerParts` makes them for ``part_customers`` customers at a time (in customer
id order), each part from a random stream of its own (seeded from the demo seed and the part's
number), so that the same seed gives the same data and a part needs nothing from another; the
export writes each part as its own import files (:func:`data.demo.export.export_demo`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.demo.customers import account_part
from data.demo.transactions import build_transactions

PART_CUSTOMERS = 200_000  # customers per part: ≈5 M account rows and ≈1.8 M transactions, ≈2 GB at the peak
CUSTOMER_PARTS = "customer_parts"  # key of the parts in data.demo.build_tables' tables


@dataclass(frozen=True)
class Part:
    """One part: its customers (rows of the generator's customer frame, raw ID numbers included),
    their holdings, month-end balances and transactions (ids continuing the previous part's)."""

    number: int  # 1, 2, …
    customers: pd.DataFrame
    holdings: pd.DataFrame
    balances: pd.DataFrame
    transactions: pd.DataFrame


@dataclass(frozen=True)
class CustomerParts:
    """Iterating gives the :class:`Part` s of ``customers`` in order (made on demand)."""

    seed: int
    customers: pd.DataFrame
    outlets: pd.DataFrame
    products: pd.DataFrame
    part_customers: int = PART_CUSTOMERS

    def __len__(self) -> int:
        return -(-len(self.customers) // self.part_customers)

    def __iter__(self) -> Iterator[Part]:
        next_holding, next_txn = 1, 1
        for number, start in enumerate(range(0, len(self.customers), self.part_customers), start=1):
            rng = np.random.default_rng([self.seed, 101, number])
            people = self.customers.iloc[start : start + self.part_customers].reset_index(drop=True)
            holdings, balances = account_part(rng, people, self.products, next_holding)
            transactions = build_transactions(rng, people, self.outlets, self.products, next_txn)
            next_holding += len(holdings)
            next_txn += len(transactions)
            yield Part(number, people, holdings, balances, transactions)
            del people, holdings, balances, transactions  # not kept while the next part is made
