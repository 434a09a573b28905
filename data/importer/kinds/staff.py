"""Import kind ``staff``: the HR extract of the outlets' employees (员工花名册).

One row per employee: employee number, name, outlet, role, whether the employee is a relationship
manager (客户经理), hire date and, for someone who has left, the last day of employment.

How the app reads these facts (:mod:`data.staff_status`): an employee counts as staff of the
outlet on a day unless ``left_on`` lies before that day; a customer's relationship manager is
shown only while that employee is flagged ``is_relationship_manager`` and has not left. ``role``
is free text, shown as it is written, so a bank may use its own job titles (the demo uses
:data:`DEMO_ROLES`); only the roles ``relationship_manager`` and ``wealth_advisor`` mean something
to the app (a relationship manager), so they must come with the flag set.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from data.importer.kind import ColumnSpec, ImportKind
from data.importer.validation import RowError
from data.schema import Staff
from data.staff_status import RELATIONSHIP_MANAGER_ROLES

# The roles of the demo network (data.demo.network.STAFF_ROLES), suggested in the template.
DEMO_ROLES = ("outlet_manager", "lobby_manager", "relationship_manager", "wealth_advisor", "teller")
EARLIEST_HIRE = dt.date(1950, 1, 1)


def _left_before_hired(frame: pd.DataFrame, rows: pd.Series, errors: list) -> None:
    """The last day of employment cannot come before the first."""
    for index, (hired, left) in enumerate(zip(frame["hired_on"], frame["left_on"])):
        if hired is not None and left is not None and left < hired:
            errors.append(
                RowError(
                    int(rows.iat[index]),
                    "left_on",
                    "import_staff_left_before_hired",
                    {"hired": hired.isoformat()},
                    left.isoformat(),
                )
            )


def _hire_date_plausible(frame: pd.DataFrame, rows: pd.Series, errors: list, today: dt.date) -> None:
    """A hire date lies between 1950 and today (an HR extract lists people already hired)."""
    for index, hired in enumerate(frame["hired_on"]):
        if hired is not None and not EARLIEST_HIRE <= hired <= today:
            errors.append(
                RowError(
                    int(rows.iat[index]),
                    "hired_on",
                    "import_staff_hired_out_of_range",
                    {"earliest": EARLIEST_HIRE.isoformat(), "today": today.isoformat()},
                    hired.isoformat(),
                )
            )


def _manager_role_flagged(frame: pd.DataFrame, rows: pd.Series, errors: list) -> None:
    """A relationship-manager role (see :data:`data.staff_status.RELATIONSHIP_MANAGER_ROLES`) with
    the flag unset contradicts itself: the app would take the role for the flag."""
    unflagged = frame["role"].isin(RELATIONSHIP_MANAGER_ROLES) & frame["is_relationship_manager"].eq(False)
    for index in np.flatnonzero(unflagged.to_numpy()):
        errors.append(
            RowError(
                int(rows.iat[index]),
                "is_relationship_manager",
                "import_staff_manager_role_unflagged",
                {"role": frame["role"].iat[index]},
            )
        )


def staff_checks(frame: pd.DataFrame, rows: pd.Series, errors: list, context) -> None:
    """Checks across columns of a chunk of the HR extract (see :attr:`ImportKind.checks`)."""
    _hire_date_plausible(frame, rows, errors, dt.date.today())
    _left_before_hired(frame, rows, errors)
    _manager_role_flagged(frame, rows, errors)


STAFF = ImportKind(
    name="staff",
    title_zh="员工花名册",
    title_en="Staff (HR extract)",
    table=Staff.__table__,
    columns=(
        ColumnSpec(
            "employee_no",
            "员工号",
            "text",
            max_length=32,
            example="E000123",
            description_zh="员工号，全行唯一（客户信息中的客户经理工号须与之一致）",
            description_en="Employee number, unique in the bank (customers name their relationship manager by it)",
        ),
        ColumnSpec(
            "name",
            "姓名",
            "text",
            max_length=64,
            example="李娜",
            description_zh="员工姓名（客户视图和行动清单中显示客户经理姓名）",
            description_en="Employee's name (shown as the relationship manager in Customer 360 and action lists)",
        ),
        ColumnSpec(
            "outlet_code",
            "所属网点代码",
            "text",
            max_length=32,
            reference="outlet_code",
            target="outlet_id",
            example="O150100001",
            description_zh="员工所在网点的代码（机构登记中的网点）",
            description_en="Code of the outlet the employee works at (an outlet of the registry)",
        ),
        ColumnSpec(
            "role",
            "岗位",
            "text",
            max_length=32,
            example="relationship_manager",
            description_zh="岗位名称，按原样显示，可用本行自己的岗位名称；演示数据使用 outlet_manager（网点负责人）、"
            "lobby_manager（大堂经理）、relationship_manager（客户经理）、wealth_advisor（理财经理）、teller（柜员）；"
            "填 relationship_manager 或 wealth_advisor 时“是否客户经理”须为“是”",
            description_en="Job title, shown as written (a bank may use its own titles); the demo uses "
            + ", ".join(DEMO_ROLES)
            + "; relationship_manager and wealth_advisor need is_relationship_manager = yes",
        ),
        ColumnSpec(
            "is_relationship_manager",
            "是否客户经理",
            "bool",
            example="1",
            description_zh="是否客户经理（管户）：1/0、true/false、yes/no 或 是/否；客户的客户经理只在此为“是”"
            "且未离职时显示",
            description_en="Manages customers as a relationship manager: 1/0, true/false, yes/no or 是/否; a "
            "customer's relationship manager is shown only while this is yes and the employee has not left",
        ),
        ColumnSpec(
            "hired_on",
            "入职日期",
            "date",
            example="2018-07-01",
            description_zh=f"入职日期，格式 YYYY-MM-DD，不早于 {EARLIEST_HIRE.isoformat()}、不晚于今天",
            description_en=f"Date hired, YYYY-MM-DD, from {EARLIEST_HIRE.isoformat()} to today",
        ),
        ColumnSpec(
            "left_on",
            "离职日期",
            "date",
            required=False,
            example="",
            description_zh="最后工作日，格式 YYYY-MM-DD，不早于入职日期；在职员工留空。"
            "此日之后不再计为在岗员工或客户经理",
            description_en="Last day of employment, YYYY-MM-DD, not before the hire date; empty while employed. "
            "After it the employee no longer counts as staff or relationship manager",
        ),
    ),
    key=("employee_no",),
    checks=staff_checks,
)

KINDS: tuple = (STAFF,)
