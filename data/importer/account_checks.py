"""Checks across the columns of the account extracts (see ``data.importer.spec.account_extract``)
and the code lookups of the product-holding extract.

An account row describes the account at the end of its month: it cannot have opened, or closed,
after that month ended; it cannot close or mature before it opened. The five-tier loan class
(五级分类) may be written as its code (``normal`` …) or its Chinese name (正常 …); it is stored
as the code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Connection

from data.importer.validation import PRODUCT_FAMILIES_OF_EXTRACT, RowError
from data.schema import LOAN_CLASSES, Customer, Product

# 五级分类: code → Chinese name, in order of risk.
LOAN_CLASS_NAMES_ZH = dict(zip(LOAN_CLASSES, ("正常", "关注", "次级", "可疑", "损失")))
LOAN_CLASS_WORDS = (*LOAN_CLASSES, *LOAN_CLASS_NAMES_ZH.values())
HOLDING_EXTRACT = "product_holding"


def _timestamps(values: pd.Series) -> pd.Series:
    """Dates (or None) as datetime64 (NaT where missing), for vectorised comparisons."""
    return pd.to_datetime(values, errors="coerce")


def _flag(errors: list, rows: pd.Series, mask: np.ndarray, column: str, key: str, values: pd.Series, **params):
    """One RowError per row where ``mask`` holds, showing the row's value of ``column``;
    ``params`` are Series whose value at the row becomes the message parameter (as ISO text)."""
    for index in np.flatnonzero(mask):
        taken = {name: pd.Timestamp(value.iat[index]).date().isoformat() for name, value in params.items()}
        errors.append(RowError(int(rows.iat[index]), column, key, taken, values.iat[index].isoformat()))


def _dates_in_order(frame: pd.DataFrame, rows: pd.Series, errors: list) -> None:
    """Opened and closed no later than the month's last day; closed and matures not before opened."""
    month_end = _timestamps(frame["month"]) + pd.offsets.MonthEnd(0)
    opened = _timestamps(frame["opened_on"])
    closed = _timestamps(frame["closed_on"])
    matures = _timestamps(frame["matures_on"])
    _flag(errors, rows, (opened > month_end).to_numpy(), "opened_on", "import_account_opened_after_month",
          frame["opened_on"], month_end=month_end)  # fmt: skip
    _flag(errors, rows, (closed > month_end).to_numpy(), "closed_on", "import_account_closed_after_month",
          frame["closed_on"], month_end=month_end)  # fmt: skip
    _flag(errors, rows, (closed < opened).to_numpy(), "closed_on", "import_closed_before_opened",
          frame["closed_on"], opened=opened)  # fmt: skip
    _flag(errors, rows, (matures < opened).to_numpy(), "matures_on", "import_account_matures_before_opened",
          frame["matures_on"], opened=opened)  # fmt: skip


def _loan_class_codes(frame: pd.DataFrame) -> None:
    """A loan class written in Chinese (正常 …) becomes its code (normal …)."""
    if "loan_class" in frame:
        codes = {name: code for code, name in LOAN_CLASS_NAMES_ZH.items()}
        frame["loan_class"] = frame["loan_class"].replace(codes).astype(object)


def account_checks(frame: pd.DataFrame, rows: pd.Series, errors: list, context) -> None:
    """Checks across the columns of a chunk of an account extract (see :attr:`ImportKind.checks`)."""
    _dates_in_order(frame, rows, errors)
    _loan_class_codes(frame)


def any_customer_no(connection: Connection) -> dict:
    """Customer number → id, personal and corporate (the product-holding extract holds both)."""
    return dict(connection.execute(select(Customer.customer_no, Customer.id)).all())


def holding_products(connection: Connection) -> dict:
    """Product code → id of the products the product-holding extract lists (wealth, insurance,
    funds, gold, cards, e-banking), for either segment."""
    families = PRODUCT_FAMILIES_OF_EXTRACT[HOLDING_EXTRACT]
    return dict(connection.execute(select(Product.code, Product.id).where(Product.family.in_(families))).all())
