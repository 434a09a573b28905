"""Demo log-ins, one per role, created after the demo network is loaded (see README).

They share a published password, so they exist only in a database flagged as demo
(``dataset_info.synthetic = true``); :func:`create_demo_users` refuses any other.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from data.auth import create_user
from data.schema import AppUser, DatasetInfo, OrgUnit

DEMO_PASSWORD = "Demo@2026"


def first_unit(connection: Connection, level: str, under_path: str = "/") -> tuple[int, str]:
    """Id and path of the open unit of ``level`` with the smallest code under a path."""
    row = connection.execute(
        select(OrgUnit.id, OrgUnit.path)
        .where(OrgUnit.level == level, OrgUnit.status == "open", OrgUnit.path.startswith(under_path))
        .order_by(OrgUnit.code)
    ).first()
    if row is None:
        raise LookupError(f"no open {level} under {under_path}")
    return row.id, row.path


def create_demo_users(connection: Connection) -> list[tuple[str, str]]:
    """Replace all users with the demo users; return (username, role) pairs.

    ``head_sub`` heads the first sub-branch (its whole subtree); ``head_outlet`` heads one
    outlet of that sub-branch only; ``exec_city`` is an executive of the first city branch (by
    code: Hohhot). On a tree with a head office above several provinces, ``exec_province`` is an
    executive of the first provincial branch (Inner Mongolia); the unscoped roles see the whole
    bank. RuntimeError, nothing changed, unless the database is flagged as demo.
    """
    synthetic = connection.execute(select(DatasetInfo.value).where(DatasetInfo.key == "synthetic")).scalar()
    if synthetic != "true":
        raise RuntimeError("demo log-ins are created only in a database flagged as demo (dataset_info.synthetic)")
    connection.execute(delete(AppUser))
    sub_branch_id, sub_branch_path = first_unit(connection, "sub_branch")
    outlet_id, _ = first_unit(connection, "outlet", sub_branch_path)
    city_id, _ = first_unit(connection, "city_branch")
    users = [
        ("exec", "区域行长 / Regional executive", "executive", None, "zh"),
        ("planner", "渠道规划 / Network planner", "planner", None, "zh"),
        ("head_sub", "支行行长 / Sub-branch head", "branch_head", sub_branch_id, "zh"),
        ("head_outlet", "网点负责人 / Outlet head", "branch_head", outlet_id, "zh"),
        ("steward", "数据管理员 / Data steward", "data_steward", None, "zh"),
        ("admin", "系统管理员 / Administrator", "admin", None, "en"),
        ("auditor", "审计员 / Auditor", "auditor", None, "zh"),
        ("exec_city", "盟市分行行长 / City-branch executive", "executive", city_id, "zh"),
    ]
    has_head_office = connection.execute(
        select(OrgUnit.id).where(OrgUnit.level == "head_office", OrgUnit.parent_id.is_(None))
    ).first()
    if has_head_office is not None:
        province_id, _ = first_unit(connection, "region")
        users.append(("exec_province", "省分行行长 / Provincial executive", "executive", province_id, "zh"))
    for username, display_name, role, unit_id, language in users:
        create_user(connection, username, display_name, DEMO_PASSWORD, role, unit_id, language)
    return [(username, role) for username, _, role, _, _ in users]
