"""The one personal-data policy (data/privacy.py) with known answers: what each role's scope sees
of a customer's facts and of a frame of customers, the name mask on Chinese and Latin names of
one to many characters, the customer-number mask, and None, NaN and empty values."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from config.roles import ROLE_POLICIES
from data.privacy import (
    HIDDEN_FIELDS,
    PERSONAL_FIELDS,
    mask_customer_no,
    mask_name,
    protect_facts,
    protect_frame,
)
from data.scope import Scope

ROLES = ("executive", "planner", "branch_head", "data_steward", "admin", "auditor")


def scope_of(role: str) -> Scope:
    """A scope with the role's own personal-data flag (from config.roles, not written here)."""
    return Scope(f"user_{role}", role, 1, "/1/", ROLE_POLICIES[role].sees_personal_data)


FACTS = {
    "customer_id": 7,
    "customer_no": "C0012345",
    "name": "张三丰",
    "kind": "personal",
    "phone_masked": "138****5678",
    "address": "呼和浩特市新华路1号",
    "birth_year": 1980,
    "birth_date": dt.date(1980, 5, 17),
    "manager_name": "李四",
    "industry": "construction",
    "aum_rmb": 1_250_000.0,
}

# What a role without personal data sees of FACTS, worked out by hand from the policy: the name's
# first character and two stars, the phone, address, birth year and date and the manager hidden;
# the number (how the customer was found), kind, industry and balances as they are.
MASKED_FACTS = {
    "customer_id": 7,
    "customer_no": "C0012345",
    "name": "张**",
    "kind": "personal",
    "phone_masked": None,
    "address": None,
    "birth_year": None,
    "birth_date": None,
    "manager_name": None,
    "industry": "construction",
    "aum_rmb": 1_250_000.0,
}


def test_only_the_branch_head_sees_personal_data():
    assert {role for role in ROLES if scope_of(role).sees_personal_data} == {"branch_head"}
    assert set(ROLE_POLICIES) == set(ROLES)  # a new role must be added here and decided on


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_facts_of_a_customer_as_the_policy_says(role):
    protected = protect_facts(FACTS, scope_of(role))
    assert protected == (FACTS if role == "branch_head" else MASKED_FACTS)
    assert FACTS["name"] == "张三丰" and FACTS["address"] == "呼和浩特市新华路1号"  # the input is not changed


def test_facts_without_some_personal_fields_get_only_the_ones_they_have():
    assert protect_facts({"name": "王五", "aum_rmb": 3.0}, scope_of("executive")) == {"name": "王*", "aum_rmb": 3.0}
    assert protect_facts({}, scope_of("planner")) == {}


def frame_of_customers() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "customer_no": ["C0012345", "C001", None],
            "name": ["张三丰", "Li", None],
            "phone_masked": ["138****5678", None, "139****0000"],
            "address": ["新华路1号", "", None],
            "birth_year": [1980, 1991, None],
            "aum_rmb": [1.0, 2.0, 3.0],
        },
        index=[10, 20, 30],
    )
    frame.attrs["customers_without_transactions"] = 4
    return frame


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_a_frame_of_customers_as_the_policy_says(role):
    original = frame_of_customers()
    protected = protect_frame(original, scope_of(role))
    if role == "branch_head":
        pd.testing.assert_frame_equal(protected, frame_of_customers())
        return
    assert protected.index.tolist() == [10, 20, 30]
    assert protected.attrs == {"customers_without_transactions": 4}
    assert protected["customer_no"].tolist()[:2] == ["C0012345", "C001"]  # numbers kept in lists
    assert protected["name"].tolist()[:2] == ["张**", "L*"] and pd.isna(protected["name"].iloc[2])
    for column in ("phone_masked", "address", "birth_year"):
        assert protected[column].tolist() == [None, None, None], column
    assert protected["aum_rmb"].tolist() == [1.0, 2.0, 3.0]
    pd.testing.assert_frame_equal(original, frame_of_customers())  # the input is not changed


@pytest.mark.parametrize("role", ROLES)
def test_bulk_extracts_also_mask_customer_numbers(role):
    protected = protect_frame(frame_of_customers(), scope_of(role), mask_customer_numbers=True)
    expected = ["C0012345", "C001"] if role == "branch_head" else ["C0****45", "C***"]
    assert protected["customer_no"].tolist()[:2] == expected and pd.isna(protected["customer_no"].iloc[2])


def test_frames_without_personal_columns_and_empty_frames_pass():
    frame = pd.DataFrame({"outlet_id": [1, 2], "aum_rmb": [5.0, 6.0]})
    pd.testing.assert_frame_equal(protect_frame(frame, scope_of("executive")), frame)
    empty = pd.DataFrame(columns=["customer_no", "name", "phone_masked"])
    assert protect_frame(empty, scope_of("executive"), mask_customer_numbers=True).empty


@pytest.mark.parametrize(
    "name, masked",
    [
        ("李", "李*"),  # one character: kept, and one star so the length is not told
        ("王五", "王*"),
        ("张三丰", "张**"),
        ("欧阳娜娜", "欧***"),
        ("A", "A*"),
        ("Li", "L*"),
        ("John Smith", "J*********"),  # ten characters: the space is hidden too
        ("内蒙古某某建筑有限公司", "内**********"),  # an enterprise's name, eleven characters
    ],
)
def test_name_mask_keeps_the_first_character(name, masked):
    assert mask_name(name) == masked
    assert len(masked) == max(len(name), 2)


def test_name_mask_leaves_missing_and_empty_values():
    assert mask_name(None) is None
    assert mask_name("") == ""
    assert math.isnan(mask_name(float("nan")))


@pytest.mark.parametrize(
    "number, masked",
    [("C0012345", "C0****45"), ("C00123", "C0**23"), ("C0012", "C0*12"), ("C001", "C***"), ("C", "C*"), ("", "")],
)
def test_customer_number_mask(number, masked):
    assert mask_customer_no(number) == masked


def test_customer_number_mask_leaves_missing_values():
    assert mask_customer_no(None) is None
    assert math.isnan(mask_customer_no(float("nan")))


def test_personal_fields_are_the_listed_ones():
    hidden = {"phone_masked", "address", "birth_year", "birth_date", "manager_name", "id_number_hash"}
    assert set(HIDDEN_FIELDS) == hidden
    assert set(PERSONAL_FIELDS) == set(HIDDEN_FIELDS) | {"name", "customer_no"}
