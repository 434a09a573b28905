"""The one personal-data policy of BranchScope: which fields of a customer are personal, how each
is protected for a role that may not see personal data, and the functions every query module
applies to what it returns.

A role sees personal data when its policy says so (``config.roles``: today only the branch
head, for the customers of their own subtree); the scope carries the flag
(``Scope.sees_personal_data``). For every other role:

* **names** (``name``: customer names) are masked, the first character kept and the rest starred
  (张三丰 → 张**, 王五 → 王*, 李 → 李*, John Smith → J*********), so that a customer can be told
  apart in a list without being identified;
* **hidden fields** are replaced by None: the phone number (``phone_masked``, stored already
  masked as 138****5678 but still personal), the postal ``address``, the ``birth_year`` and
  ``birth_date``, the relationship manager's name (``manager_name``: it names a person and
  points at the customer) and the ID-number hash (``id_number_hash``);
* **customer numbers** (``customer_no``) are pseudonymous keys: they stay readable where a user
  finds and acts on one customer (Customer 360, the care lists, key customers), and are masked
  (first two and last two characters kept, C0012345 → C0****45) in bulk customer-level extracts
  for modelling (segments, lifetime value), where no one needs to find a customer again.

Values a query derives from personal fields (a customer's age on a birthday, a birthday's day)
are hidden by that query, next to where it derives them. Nothing here reads the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:  # the policy needs only the scope's flag
    from data.scope import Scope

#: The character that replaces hidden characters of a masked value.
MASK_CHARACTER = "*"
#: Fields whose value is masked (first character kept) for roles without personal data.
MASKED_NAME_FIELDS: tuple[str, ...] = ("name",)
#: Fields whose value is replaced by None for roles without personal data.
HIDDEN_FIELDS: tuple[str, ...] = (
    "phone_masked",
    "address",
    "birth_year",
    "birth_date",
    "manager_name",
    "id_number_hash",
)
#: The customer-number field, masked in bulk extracts (``mask_customer_numbers=True``).
CUSTOMER_NUMBER_FIELD = "customer_no"
#: Every field the policy treats as personal.
PERSONAL_FIELDS: tuple[str, ...] = (*MASKED_NAME_FIELDS, *HIDDEN_FIELDS, CUSTOMER_NUMBER_FIELD)


def mask_name(name: Any) -> Any:
    """A name with its first character kept and every other character starred (张三丰 → 张**,
    张三 → 张*); a one-character name keeps it and gets one star (李 → 李*), so that its
    length is not told either. Anything that is not a non-empty string (None, NaN, "") is
    returned as it is: there is nothing to hide."""
    if not isinstance(name, str) or not name:
        return name
    return name[:1] + MASK_CHARACTER * max(len(name) - 1, 1)


def mask_customer_no(customer_no: Any) -> Any:
    """A customer number with its first two and last two characters kept (C0012345 →
    C0****45); one of four characters or fewer keeps only its first (C001 → C***). None, NaN
    and "" are returned as they are."""
    if customer_no is None or (isinstance(customer_no, float) and pd.isna(customer_no)):
        return customer_no
    text = str(customer_no)
    if not text:
        return text
    if len(text) <= 4:
        return text[:1] + MASK_CHARACTER * max(len(text) - 1, 1)
    return text[:2] + MASK_CHARACTER * (len(text) - 4) + text[-2:]


def protect_frame(frame: pd.DataFrame, scope: Scope, *, mask_customer_numbers: bool = False) -> pd.DataFrame:
    """``frame`` as ``scope``'s role may see it: unchanged for a role that sees personal data;
    otherwise names masked, hidden fields (:data:`HIDDEN_FIELDS`) set to None and, with
    ``mask_customer_numbers`` (bulk extracts), customer numbers masked. Columns the frame lacks
    are skipped; missing values stay missing (None may come back as NaN); the rows, their order,
    the index and ``frame.attrs`` are kept. Returns a new frame for a role without personal data
    (the given one is not changed) and ``frame`` itself otherwise."""
    if scope.sees_personal_data:
        return frame
    protected = frame.copy()
    for column in MASKED_NAME_FIELDS:
        if column in protected:
            protected[column] = protected[column].map(mask_name)
    for column in HIDDEN_FIELDS:
        if column in protected:
            protected[column] = None
    if mask_customer_numbers and CUSTOMER_NUMBER_FIELD in protected:
        protected[CUSTOMER_NUMBER_FIELD] = protected[CUSTOMER_NUMBER_FIELD].map(mask_customer_no)
    return protected


def protect_facts(facts: Mapping[str, Any], scope: Scope) -> dict[str, Any]:
    """The facts of one customer (a field → value dict, as Customer 360 shows them) as
    ``scope``'s role may see them: a copy, unchanged for a role that sees personal data;
    otherwise the name masked and the hidden fields (:data:`HIDDEN_FIELDS`) None. The customer
    number stays: the user found the customer by it."""
    protected = dict(facts)
    if scope.sees_personal_data:
        return protected
    for field in MASKED_NAME_FIELDS:
        if field in protected:
            protected[field] = mask_name(protected[field])
    for field in HIDDEN_FIELDS:
        if field in protected:
            protected[field] = None
    return protected
