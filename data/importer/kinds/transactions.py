"""Import kind ``transactions``: the core system's transaction extract (交易流水) into table ``txn``.

One row per transaction: its serial number (流水号, unique in the bank and the key of the
import), the customer (any customer already loaded, personal or corporate), the outlet where
it was booked, the time, the channel, optionally the business type and the product, and the
amount in RMB.

Amounts may be negative or zero. A core-system extract holds reversals (冲正) and refunds as
negative amounts and non-financial business (a password reset at the counter, a balance enquiry
at an ATM) as zero; dropping them would hide real channel use. The pages that read ``txn``
already treat them correctly: the customer-value models (``data.queries_customers``
``customer_transaction_summary`` and ``customer_holdout_counts``, ``analytics.clv``) count only
amounts > 0 as purchases, the RFM and segment features count every transaction for activity
and channel mix but sum only positive amounts, and Customer 360 shows the net amount of each
month and channel.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Connection

from data.importer.kind import ColumnSpec, ImportKind, outlet_code_column
from data.importer.validation import Context, RowError
from data.schema import BUSINESS_TYPES, CHANNELS, Customer, Product, Txn

MAX_AMOUNT_RMB = 1e12  # one transaction: at most RMB 1 trillion either way
CHANNEL_NAMES_ZH = {
    "counter": "柜面",
    "smart_machine": "智能机具",
    "atm": "ATM",
    "mobile": "手机银行",
    "online": "网上银行",
}
BUSINESS_TYPE_NAMES_ZH = {
    "cash": "现金存取",
    "transfer": "转账汇款",
    "account_opening": "开户销户",
    "card": "银行卡业务",
    "wealth": "理财保险销售",
    "loan": "贷款业务",
    "corporate": "对公结算",
    "other": "其他",
}


def _any_customer(connection: Connection) -> dict[str, int]:
    """Customer number → id of every customer, personal or corporate."""
    return dict(connection.execute(select(Customer.customer_no, Customer.id)).all())


def _any_product(connection: Connection) -> dict[str, int]:
    """Product code → id of every product of the shelf."""
    return dict(connection.execute(select(Product.code, Product.id)).all())


def latest_allowed_time(today: dt.date | None = None) -> dt.datetime:
    """The first instant after which a transaction time is refused: the end of today (local
    time of the server). An extract describes the past; a later time is a clock or format error."""
    today = today or dt.date.today()
    return dt.datetime.combine(today + dt.timedelta(days=1), dt.time())


def _checks(frame: pd.DataFrame, rows: pd.Series, errors: list, context: Context) -> None:
    """A transaction may not lie in the future (after today)."""
    limit = latest_allowed_time()
    times = pd.to_datetime(frame["txn_at"], errors="coerce")
    future = (times >= pd.Timestamp(limit)).fillna(False).to_numpy()
    shown = (limit - dt.timedelta(days=1)).date().isoformat()
    for index in np.flatnonzero(future):
        value = times.iat[index].isoformat(sep=" ")
        errors.append(RowError(int(rows.iat[index]), "txn_at", "import_txn_in_future", {"today": shown}, value))


TRANSACTIONS = ImportKind(
    name="transactions",
    title_zh="交易流水",
    title_en="Transactions",
    table=Txn.__table__,
    columns=(
        ColumnSpec(
            "txn_no",
            "流水号",
            "text",
            max_length=40,
            example="2026101200012345",
            description_en="The core system's serial number of the transaction, unique in the bank",
            description_zh="核心系统交易流水号，全行唯一",
        ),
        ColumnSpec(
            "customer_no",
            "客户号",
            "text",
            max_length=32,
            reference="any_customer_no",
            target="customer_id",
            example="P0000000001",
            description_en="A customer already loaded (customers import), personal or corporate",
            description_zh="已导入的客户（对私或对公）的客户号（先导入客户信息）",
        ),
        outlet_code_column(
            description_en="Outlet where the transaction was booked (mobile and online: the account's outlet)",
            description_zh="交易网点代码（手机银行、网上银行交易填账户所属网点）",
        ),
        ColumnSpec(
            "txn_at",
            "交易时间",
            "datetime",
            example="2026-10-12 09:30:00",
            description_en="Date and time, YYYY-MM-DD HH:MM:SS (seconds optional), not after today",
            description_zh="交易日期和时间，格式 YYYY-MM-DD HH:MM:SS（秒可省略），不晚于今天",
        ),
        ColumnSpec(
            "channel",
            "交易渠道",
            "text",
            max_length=16,
            choices=CHANNELS,
            example="counter",
            description_en="One of " + ", ".join(CHANNELS),
            description_zh="取值：" + "、".join(f"{code}（{name}）" for code, name in CHANNEL_NAMES_ZH.items()),
        ),
        ColumnSpec(
            "business_type",
            "业务类型",
            "text",
            required=False,
            max_length=24,
            choices=BUSINESS_TYPES,
            example="cash",
            description_en="Optional, one of " + ", ".join(BUSINESS_TYPES),
            description_zh="可空，取值："
            + "、".join(f"{code}（{name}）" for code, name in BUSINESS_TYPE_NAMES_ZH.items()),
        ),
        ColumnSpec(
            "product_code",
            "产品代码",
            "text",
            required=False,
            max_length=32,
            reference="any_product_code",
            target="product_id",
            example="DD-P",
            description_en="Optional: code of a product of the product shelf",
            description_zh="可空：产品目录中的产品代码",
        ),
        ColumnSpec(
            "amount_rmb",
            "交易金额",
            "float",
            minimum=-MAX_AMOUNT_RMB,
            maximum=MAX_AMOUNT_RMB,
            example="5000.00",
            description_en="Amount in RMB; negative for a reversal or refund, 0 for non-financial business "
            "(only amounts above 0 count as purchases in customer value)",
            description_zh="交易金额，元；冲正、退款为负数，非资金类业务为0（客户价值只计大于0的交易）",
        ),
    ),
    key=("txn_no",),
    checks=_checks,
    lookups={"any_customer_no": _any_customer, "any_product_code": _any_product},
)

KINDS = (TRANSACTIONS,)
