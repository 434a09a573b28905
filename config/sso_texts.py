"""User-facing strings of single sign-on on the log-in page, zh and en; merged into the
translation table.

Keys: ``login_sso_`` (the button, the refusals, signing out of the identity provider) and
``login_password_divider`` (the heading over the password form when both are offered).
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "login_sso_button": {"zh": "使用统一身份认证登录", "en": "Log in with single sign-on"},
    "login_sso_caption": {
        "zh": "使用本行统一身份认证（单点登录）账号登录；角色与机构范围由 BranchScope 管理员设定。",
        "en": "Log in with your bank sign-on account; your role and scope are set by a BranchScope administrator.",
    },
    "login_password_divider": {
        "zh": "或使用 BranchScope 本地账号和密码登录",
        "en": "Or log in with a BranchScope user name and password",
    },
    "login_sso_unknown": {
        "zh": "统一身份认证账号“{identity}”在 BranchScope 中没有对应的用户，无法登录。"
        "请联系系统管理员为该用户名开通 BranchScope 账号。",
        "en": "The single sign-on identity “{identity}” has no BranchScope user, so you cannot log in. "
        "Ask an administrator to create a BranchScope user with this name.",
    },
    "login_sso_ambiguous": {
        "zh": "有多个 BranchScope 用户名与统一身份认证账号“{identity}”仅大小写不同，无法确定登录哪个账号。"
        "请联系系统管理员。",
        "en": "Several BranchScope user names differ from the single sign-on identity “{identity}” only in "
        "upper and lower case, so it is not clear which one to log in. Please ask an administrator.",
    },
    "login_sso_inactive": {
        "zh": "统一身份认证账号“{identity}”对应的 BranchScope 账号已停用，无法登录。请联系系统管理员。",
        "en": "The BranchScope account of the single sign-on identity “{identity}” is disabled, so you cannot "
        "log in. Please ask an administrator.",
    },
    "login_sso_missing_claim": {
        "zh": "身份认证服务没有提供用于识别 BranchScope 用户的信息“{claim}”，无法登录。"
        "请联系系统管理员检查单点登录设置。",
        "en": "The identity provider did not send “{claim}”, which names your BranchScope user, so you cannot "
        "log in. Ask an administrator to check the single sign-on settings.",
    },
    "login_sso_wrong_domain": {
        "zh": "统一身份认证账号“{identity}”不属于 {domain} 域，无法登录 BranchScope。",
        "en": "The single sign-on identity “{identity}” is not of the domain {domain}, so it cannot log in to "
        "BranchScope.",
    },
    "login_sso_again": {
        "zh": "这次统一身份认证已用于登录过，请重新点击“使用统一身份认证登录”。",
        "en": "This sign-on has already been used to log in. Please choose “Log in with single sign-on” again.",
    },
    "login_sso_sign_out": {
        "zh": "退出统一身份认证（换一个账号）",
        "en": "Sign out of single sign-on (use another account)",
    },
}
