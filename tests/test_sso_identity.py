"""Single sign-on in the data layer, on SQLite and PostgreSQL: an identity provider's ID-token
claims are mapped to an existing, active BranchScope user (role and scope from the user table),
every decision is audited, and a stale or already used ID token opens no session.

The tests share one fixture network per backend; each makes its own users and reads only its own
audit lines (found by the identity's unique subject)."""

from __future__ import annotations

import datetime as dt
import time
import uuid

import pytest
from sqlalchemy import select, update

from data.auth import (
    SessionStatus,
    SsoStatus,
    check_session,
    create_user,
    open_session,
    sso_log_in,
    sso_username,
)
from data.schema import AppUser, AuditLog
from tests.network_fixture import PASSWORD

ISSUER = "https://idp.bank.example"
CLAIM = "preferred_username"


def new_user(engine, role="executive", scope_unit_id=None, active=True) -> str:
    """A fresh user (unique name) for one test."""
    username = f"sso_{uuid.uuid4().hex[:10]}"
    with engine.begin() as connection:
        create_user(connection, username, "SSO test", PASSWORD, role, scope_unit_id)
        connection.execute(update(AppUser).where(AppUser.username == username).values(is_active=active))
    return username


def claims(value=None, claim=CLAIM, issued=None, **extra) -> dict:
    """ID-token claims as Streamlit's st.user holds them, issued ``issued`` (epoch s; default now),
    with a subject of their own."""
    out = {
        "iss": ISSUER,
        "sub": uuid.uuid4().hex,
        "aud": "branchscope",
        "iat": int(time.time() if issued is None else issued),
    }
    if value is not None:
        out[claim] = value
    return {**out, **extra}


def audit_lines(engine, *identities) -> list[tuple]:
    """(username, action, success, detail) of the SSO audit lines of these identities, oldest first."""
    subjects = {identity["sub"] for identity in identities}
    with engine.connect() as connection:
        rows = connection.execute(
            select(AuditLog.username, AuditLog.action, AuditLog.success, AuditLog.detail)
            .where(AuditLog.action.like("sso_login%"))
            .order_by(AuditLog.id)
        ).all()
    return [tuple(row) for row in rows if row.detail.get("subject") in subjects]


@pytest.mark.parametrize(
    "value, domain, expected",
    [
        ("head6", "", (SsoStatus.OK, "head6")),
        ("  Head6 ", "", (SsoStatus.OK, "head6")),
        ("Zhang.San@Bank.CN", "bank.cn", (SsoStatus.OK, "zhang.san")),
        ("zhang.san@bank.cn", "@bank.cn", (SsoStatus.OK, "zhang.san")),
        ("zhang.san@other.cn", "bank.cn", (SsoStatus.WRONG_DOMAIN, None)),
        ("zhang.san", "bank.cn", (SsoStatus.WRONG_DOMAIN, None)),
        ("@bank.cn", "bank.cn", (SsoStatus.WRONG_DOMAIN, None)),
        ("zhang.san@evil.cn@bank.cn", "bank.cn", (SsoStatus.OK, "zhang.san@evil.cn")),  # no such user name exists
        ("", "", (SsoStatus.MISSING_CLAIM, None)),
        ("   ", "", (SsoStatus.MISSING_CLAIM, None)),
        (None, "", (SsoStatus.MISSING_CLAIM, None)),
        (42, "", (SsoStatus.MISSING_CLAIM, None)),
    ],
)
def test_the_claim_names_a_user_name(value, domain, expected):
    identity = {} if value is None else {"email": value}
    assert sso_username(identity, "email", domain) == expected


def test_a_known_user_logs_in_with_their_role_and_scope_and_it_is_audited(shared_network):
    username = new_user(shared_network, "branch_head", 4)
    identity = claims(username.upper())
    result = sso_log_in(shared_network, identity, CLAIM)
    assert result.status is SsoStatus.OK
    assert (result.user.username, result.user.role, result.user.scope_unit_id) == (username, "branch_head", 4)
    (line,) = audit_lines(shared_network, identity)
    assert line[:3] == (username, "sso_login", True)
    assert line[3] == {"claim": CLAIM, "value": username.upper(), "issuer": ISSUER, "subject": identity["sub"]}
    with shared_network.connect() as connection:
        last = connection.execute(select(AppUser.last_login_at).where(AppUser.username == username)).scalar()
    assert last is not None and dt.datetime.now() - last < dt.timedelta(minutes=1)


def test_the_session_of_a_sign_on_follows_the_database_like_a_password_session(shared_network):
    user = sso_log_in(shared_network, claims(new_user(shared_network, "branch_head", 6)), CLAIM).user
    token = open_session(shared_network, user.id, 12)
    assert check_session(shared_network, token, 30).user == user
    with shared_network.begin() as connection:  # an administrator rescopes, then deactivates the user
        connection.execute(update(AppUser).where(AppUser.id == user.id).values(scope_unit_id=4))
    assert check_session(shared_network, token, 30).user.scope_unit_id == 4
    with shared_network.begin() as connection:
        connection.execute(update(AppUser).where(AppUser.id == user.id).values(is_active=False))
    assert check_session(shared_network, token, 30).status is SessionStatus.INACTIVE


def test_an_unknown_identity_is_refused_and_audited(shared_network):
    identity = claims("Zhang.San")
    result = sso_log_in(shared_network, identity, CLAIM)
    assert (result.status, result.user, result.username) == (SsoStatus.UNKNOWN_IDENTITY, None, "zhang.san")
    (line,) = audit_lines(shared_network, identity)
    assert line[:3] == ("zhang.san", "sso_login_refused", False)
    assert (line[3]["reason"], line[3]["value"]) == ("unknown_identity", "Zhang.San")


def test_a_disabled_account_is_refused_and_audited(shared_network):
    username = new_user(shared_network, active=False)
    identity = claims(username)
    result = sso_log_in(shared_network, identity, CLAIM)
    assert (result.status, result.user) == (SsoStatus.INACTIVE, None)
    (line,) = audit_lines(shared_network, identity)
    assert line[:3] == (username, "sso_login_refused", False) and line[3]["reason"] == "inactive"


@pytest.mark.parametrize(
    "value, domain, status",
    [(None, "", SsoStatus.MISSING_CLAIM), ("exec@other.cn", "bank.cn", SsoStatus.WRONG_DOMAIN)],
)
def test_an_identity_that_names_no_user_is_refused_and_audited(shared_network, value, domain, status):
    identity = claims(value)
    assert sso_log_in(shared_network, identity, CLAIM, domain).status is status
    (line,) = audit_lines(shared_network, identity)
    assert line[:3] == (None, "sso_login_refused", False) and line[3]["reason"] == status.value


def test_user_names_are_compared_without_case_and_never_ambiguously(shared_network):
    username = new_user(shared_network)
    with shared_network.begin() as connection:  # an older user name that differs only in case
        create_user(connection, username.upper(), "Same name in capitals", PASSWORD, "executive")
    identity = claims(username)
    result = sso_log_in(shared_network, identity, CLAIM)
    assert (result.status, result.user) == (SsoStatus.AMBIGUOUS, None)
    assert audit_lines(shared_network, identity)[0][3]["reason"] == "ambiguous_identity"


def test_the_claim_and_domain_are_configurable(shared_network):
    username = new_user(shared_network)
    identity = claims("someone.else", email=f"{username.upper()}@Bank.cn")
    result = sso_log_in(shared_network, identity, "email", "bank.cn")
    assert result.status is SsoStatus.OK and result.user.username == username
    assert audit_lines(shared_network, identity)[0][3]["value"] == f"{username.upper()}@Bank.cn"


@pytest.mark.parametrize(
    "age_s",
    [301, -120, None],
    ids=["older than sso_max_age_seconds", "issued in the future", "no issue time"],
)
def test_a_stale_token_opens_no_session_and_writes_nothing(shared_network, age_s):
    identity = claims(new_user(shared_network), issued=time.time() - (age_s or 0))
    if age_s is None:
        del identity["iat"]
    assert sso_log_in(shared_network, identity, CLAIM, max_age_seconds=300).status is SsoStatus.NOT_FRESH
    assert audit_lines(shared_network, identity) == []


def test_a_token_opens_one_session_only_and_a_later_sign_on_works(shared_network):
    username = new_user(shared_network)
    first = claims(username, issued=time.time() - 5)
    assert sso_log_in(shared_network, first, CLAIM).status is SsoStatus.OK
    replay = sso_log_in(shared_network, first, CLAIM)  # e.g. the leftover cookie after a log-out
    assert replay.status is SsoStatus.REUSED and replay.user is None
    later = claims(username, issued=time.time() + 2)  # the user signs on again at the IdP
    assert sso_log_in(shared_network, later, CLAIM).status is SsoStatus.OK
    lines = audit_lines(shared_network, first, later)
    assert [line[:3] for line in lines] == [
        (username, "sso_login", True),
        (username, "sso_login_refused", False),
        (username, "sso_login", True),
    ]
    assert lines[1][3]["reason"] == "identity_reused"


def test_a_password_lock_does_not_stop_a_sign_on_and_is_left_alone(shared_network):
    username = new_user(shared_network)
    until = dt.datetime.now().replace(microsecond=0) + dt.timedelta(minutes=15)
    with shared_network.begin() as connection:
        connection.execute(
            update(AppUser).where(AppUser.username == username).values(failed_attempts=5, locked_until=until)
        )
    assert sso_log_in(shared_network, claims(username), CLAIM).status is SsoStatus.OK
    with shared_network.connect() as connection:
        row = connection.execute(
            select(AppUser.failed_attempts, AppUser.locked_until).where(AppUser.username == username)
        ).one()
    assert (row.failed_attempts, row.locked_until) == (5, until)


@pytest.mark.parametrize("claim, max_age", [("", 300), ("  ", 300), (CLAIM, 0)])
def test_a_bad_setting_is_refused_before_anything_is_written(shared_network, claim, max_age):
    identity = claims("exec")
    with pytest.raises(ValueError):
        sso_log_in(shared_network, identity, claim, max_age_seconds=max_age)
    assert audit_lines(shared_network, identity) == []
