"""Messages and page texts of the import area "accounts" in both languages (merged into the import
messages by :mod:`config.import_texts`; a key may be defined only once)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # Row-level errors of the account extracts (data.importer.account_checks).
    "import_account_opened_after_month": {
        "zh": "开户日期晚于该月月末（{month_end}）：月末明细中的账户不可能在月末之后才开户。",
        "en": "Opened after the month's last day ({month_end}): a month-end extract cannot hold an account "
        "opened later.",
    },
    "import_account_closed_after_month": {
        "zh": "销户日期晚于该月月末（{month_end}）：请在销户当月的明细中填写销户日期。",
        "en": "Closed after the month's last day ({month_end}): give the closing date in the extract of the "
        "month the account closed.",
    },
    "import_account_matures_before_opened": {
        "zh": "到期日期早于开户日期（{opened}）。",
        "en": "Matures before it opened ({opened}).",
    },
    # Completion marks (data.accounts.mark_complete / unmark_complete).
    "accounts_not_an_extract": {
        "zh": "第{batch}批是“{kind}”，不是账户明细，不能标记为完整。",
        "en": "Batch {batch} is {kind}, not an account extract: it cannot be marked complete.",
    },
    "accounts_mark_needs_confirmed": {
        "zh": "第{batch}批状态为“{status}”：只有已确认入库的账户明细才能标记为完整。",
        "en": "Batch {batch} is {status}: only a confirmed account extract can be marked complete.",
    },
    "accounts_not_marked": {
        "zh": "{extract}（网点{outlet}，{month}）未标记为完整。",
        "en": "{extract} of outlet {outlet} for {month} is not marked complete.",
    },
}
