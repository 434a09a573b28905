"""Messages and page texts of the import area "transactions" in both languages (merged into the import
messages by :mod:`config.import_texts`; a key may be defined only once)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "import_txn_in_future": {
        "zh": "交易时间晚于今天（{today}）：交易流水只能包含已发生的交易，请检查时间或系统时钟。",
        "en": "The transaction time is after today ({today}): an extract holds only past transactions. "
        "Check the time or the system clock.",
    },
}
