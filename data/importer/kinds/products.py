"""Import kind ``products``: the bank's product catalogue (产品目录).

One row per product: code, family (one of :data:`data.schema.PRODUCT_FAMILIES`), customer segment,
names and the annual margin rate. The catalogue comes first among a bank's own data: the account
extracts, holdings and the product models (next best product, lifetime value) refer to it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.importer.kind import ColumnSpec, ImportKind
from data.importer.validation import RowError
from data.schema import PRODUCT_FAMILIES, Product

SEGMENTS = ("personal", "corporate", "both")
# Margin earned per RMB of balance per year (a rate: 0.012 is 1.2 %). A negative margin is allowed
# for a product sold below its funding cost; above 20 % a year is almost surely a percentage typed
# as a number (1.2 for 1.2 %).
MARGIN_RATE_MIN = -0.05
MARGIN_RATE_MAX = 0.20
# Loan families belong to one segment: the personal-loan extract matches only personal (or
# "both") products and the corporate-loan extract only corporate ones.
FAMILY_SEGMENTS = {"personal_loan": ("personal",), "corporate_loan": ("corporate",)}

FAMILY_NAMES_ZH = {
    "demand_deposit": "活期存款",
    "time_deposit": "定期存款",
    "personal_loan": "个人贷款",
    "corporate_loan": "对公贷款",
    "wealth": "理财",
    "insurance": "代理保险",
    "fund": "代销基金",
    "gold": "贵金属",
    "card": "银行卡",
    "e_banking": "电子银行",
}


def _family_segment(frame: pd.DataFrame, rows: pd.Series, errors: list) -> None:
    """A personal-loan product must be for personal customers, a corporate-loan product for corporate ones."""
    for family, allowed in FAMILY_SEGMENTS.items():
        wrong = (frame["family"] == family) & frame["segment"].notna() & ~frame["segment"].isin(allowed)
        for index in np.flatnonzero(wrong.to_numpy()):
            errors.append(
                RowError(
                    int(rows.iat[index]),
                    "segment",
                    "import_product_family_segment",
                    {"family": family, "segment": allowed[0]},
                    str(frame["segment"].iat[index]),
                )
            )


def _english_name_defaults_to_chinese(frame: pd.DataFrame) -> None:
    """An empty English name takes the Chinese one (the catalogue keeps a name in both languages)."""
    frame["name_en"] = frame["name_en"].where(frame["name_en"].notna(), frame["name_zh"])


def product_checks(frame: pd.DataFrame, rows: pd.Series, errors: list, context) -> None:
    """Checks across columns of a chunk of the product catalogue (see :attr:`ImportKind.checks`)."""
    _family_segment(frame, rows, errors)
    _english_name_defaults_to_chinese(frame)


PRODUCTS = ImportKind(
    name="products",
    title_zh="产品目录",
    title_en="Product catalogue",
    table=Product.__table__,
    columns=(
        ColumnSpec(
            "code",
            "产品代码",
            "text",
            max_length=32,
            example="DD-P",
            description_zh="产品代码，全行唯一（账户明细中的产品代码须与之一致）",
            description_en="Product code, unique in the bank (the account extracts use the same codes)",
        ),
        ColumnSpec(
            "family",
            "产品大类",
            "text",
            choices=PRODUCT_FAMILIES,
            example="demand_deposit",
            description_zh="产品大类："
            + "、".join(f"{family}（{FAMILY_NAMES_ZH[family]}）" for family in PRODUCT_FAMILIES),
            description_en="Product family: " + ", ".join(PRODUCT_FAMILIES),
        ),
        ColumnSpec(
            "segment",
            "客户类别",
            "text",
            choices=SEGMENTS,
            example="personal",
            description_zh="personal（对私）、corporate（对公）或 both（两者）；"
            "个人贷款须为 personal，对公贷款须为 corporate",
            description_en="personal, corporate or both; a personal loan must be personal, a corporate loan corporate",
        ),
        ColumnSpec(
            "name_zh",
            "产品中文名称",
            "text",
            max_length=100,
            example="个人活期存款",
            description_zh="产品中文名称",
            description_en="Product name in Chinese",
        ),
        ColumnSpec(
            "name_en",
            "产品英文名称",
            "text",
            required=False,
            max_length=100,
            example="Personal demand deposit",
            description_zh="产品英文名称，可空（空则用中文名称）",
            description_en="Product name in English, optional (empty: the Chinese name)",
        ),
        ColumnSpec(
            "annual_margin_rate",
            "年化利差率",
            "float",
            minimum=MARGIN_RATE_MIN,
            maximum=MARGIN_RATE_MAX,
            example="0.018",
            description_zh="每元余额每年带来的净收益（利差或费率），填小数：1.2% 填 0.012；"
            f"范围 {MARGIN_RATE_MIN:g} 至 {MARGIN_RATE_MAX:g}",
            description_en="Margin earned per RMB of balance per year, as a fraction: 1.2 % is 0.012; "
            f"{MARGIN_RATE_MIN:g} to {MARGIN_RATE_MAX:g}",
        ),
    ),
    key=("code",),
    checks=product_checks,
)

KINDS: tuple = (PRODUCTS,)
