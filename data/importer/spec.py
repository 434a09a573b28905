"""What each import kind looks like: its columns (English and Chinese headers), types, ranges,
codes that must exist, the key that must be unique, and the table its rows go to.

A file's header row may use either language (``outlet_code`` or ``网点代码``), in any order;
headers are matched after trimming spaces and ignoring case. Templates for every kind are in
``data/templates/`` (CSV and Excel) and are generated from these specifications.
"""

from __future__ import annotations

from dataclasses import replace

from data import accounts
from data.importer.account_checks import (
    HOLDING_EXTRACT,
    LOAN_CLASS_WORDS,
    account_checks,
    any_customer_no,
    holding_products,
)
from data.importer.kind import ColumnSpec, ImportKind, outlet_code_column
from data.importer.kinds import BANK_KINDS
from data.importer.org_units import lifecycle_checks
from data.schema import (
    BUSINESS_TYPES,
    INSPECTION_KINDS,
    OUTLET_TYPES,
    SIX_S_ITEMS,
    UNIT_LEVELS,
    UNIT_STATUSES,
    AccountBalance,
    CompetitorOutlet,
    Customer,
    DemandCell,
    Inspection,
    KpiMonthly,
    LobbyHourly,
    LobbyServiceType,
    OrgUnit,
    Target,
)

MONTHLY_KPIS = ImportKind(
    name="monthly_kpis",
    title_zh="网点月度指标",
    title_en="Monthly outlet KPIs",
    table=KpiMonthly.__table__,
    columns=(
        outlet_code_column(
            description_en="Code of an outlet in the registry",
            description_zh="机构登记中的网点代码",
        ),
        ColumnSpec(
            "metric_code",
            "指标代码",
            "text",
            max_length=48,
            reference="base_metric_code",
            example="deposits_personal",
            description_en="Code of a base metric of the catalogue (see README, Metrics)",
            description_zh="指标目录中的基础指标代码",
        ),
        ColumnSpec(
            "month",
            "月份",
            "month",
            example="2026-10",
            description_en="Month, YYYY-MM",
            description_zh="月份，格式 YYYY-MM",
        ),
        ColumnSpec(
            "value",
            "数值",
            "float",
            minimum=-1e15,
            maximum=1e15,
            example="587000000",
            description_en="Value in the metric's unit (RMB, count, minutes, score)",
            description_zh="按指标单位填写（元、笔/户、分钟、分）",
        ),
    ),
    key=("outlet_id", "metric_code", "month"),
    # A value derived from complete account extracts gives way to an imported one, and comes back
    # when the import is deleted (data.accounts).
    replaceable=("source", accounts.SOURCE),
    after_delete=accounts.after_kpi_delete,
)

COMPETITOR_OUTLETS = ImportKind(
    name="competitor_outlets",
    title_zh="他行网点",
    title_en="Competitor outlets",
    table=CompetitorOutlet.__table__,
    columns=(
        ColumnSpec("bank_code", "银行代码", "text", max_length=16, example="ICBC", description_en="Short bank code"),
        ColumnSpec("bank_name_zh", "银行名称", "text", max_length=64, example="中国工商银行"),
        ColumnSpec("bank_name_en", "银行英文名称", "text", max_length=64, example="ICBC"),
        ColumnSpec("name", "网点名称", "text", max_length=100, example="中国工商银行新华支行"),
        ColumnSpec(
            "city_code",
            "城市代码",
            "text",
            max_length=12,
            reference="city_code",
            example="150100",
            description_en="Administrative code of a city of the network",
        ),
        ColumnSpec("lon", "经度", "float", minimum=73.0, maximum=135.5, example="111.7512"),
        ColumnSpec("lat", "纬度", "float", minimum=18.0, maximum=53.6, example="40.8421"),
        ColumnSpec("counters", "柜台数", "int", required=False, minimum=0, maximum=100, example="4"),
        ColumnSpec("opened_on", "开业日期", "date", required=False, example="2012-05-18"),
        ColumnSpec("closed_on", "关闭日期", "date", required=False, example=""),
    ),
    key=("bank_code", "name"),
)

# The account extracts: month-end balance of every account. The four of the core banking system
# (deposits and loans, personal and corporate) and the holdings of the other product families
# (wealth management, insurance, funds, gold, cards, e-banking), so that customers' balances,
# assets and holdings come from extracts too (see data.accounts).
EXTRACT_TITLES = {
    "personal_deposit": ("对私存款明细", "Personal deposits"),
    "corporate_deposit": ("对公存款明细", "Corporate deposits"),
    "personal_loan": ("对私贷款明细", "Personal loans"),
    "corporate_loan": ("对公贷款明细", "Corporate loans"),
    HOLDING_EXTRACT: ("理财保险基金等产品持有明细", "Wealth, insurance, fund, gold, card and e-banking holdings"),
}
EXAMPLE_PRODUCTS = {
    "personal_deposit": "DD-P",
    "corporate_deposit": "DD-C",
    "personal_loan": "ML",
    "corporate_loan": "WC",
    HOLDING_EXTRACT: "WM",
}


def _customer_column(extract: str) -> ColumnSpec:
    """The customer number column: of the extract's segment, or any customer for holdings."""
    if extract == HOLDING_EXTRACT:
        return ColumnSpec(
            "customer_no",
            "客户号",
            "text",
            max_length=32,
            reference="any_customer_no",
            target="customer_id",
            example="P0000000001",
            description_en="A customer already loaded (customers import), personal or corporate",
            description_zh="已导入的客户（对私或对公）的客户号（先导入客户信息）",
        )
    segment = extract.split("_")[0]
    return ColumnSpec(
        "customer_no",
        "客户号",
        "text",
        max_length=32,
        reference=f"{segment}_customer_no",
        target="customer_id",
        example="P0000000001" if segment == "personal" else "C0000000001",
        description_en=f"A {segment} customer already loaded (customers import)",
        description_zh=f"已导入的{'对私' if segment == 'personal' else '对公'}客户的客户号（先导入客户信息）",
    )


def _balance_column(extract: str) -> ColumnSpec:
    """The month-end balance: amount owed for loans, market value for holdings."""
    if extract.endswith("_loan"):
        en, zh = "Month-end balance in RMB: the amount owed", "月末贷款余额（欠款余额），元"
    elif extract == HOLDING_EXTRACT:
        en = "Month-end balance or market value in RMB (0 for a card or e-banking contract without one)"
        zh = "月末余额或市值，元（无余额的银行卡、电子银行签约填0）"
    else:
        en, zh = "Month-end balance in RMB", "月末余额，元"
    return ColumnSpec(
        "balance_rmb",
        "余额",
        "float",
        minimum=0,
        maximum=1e13,
        example="58300.25",
        description_en=en,
        description_zh=zh,
    )


def _optional_account_columns(extract: str) -> tuple[ColumnSpec, ...]:
    """The optional columns: 日均 for deposits and loans, 五级分类 for loans, and the account's dates."""
    columns = []
    if extract != HOLDING_EXTRACT:
        columns.append(
            ColumnSpec(
                "daily_average_rmb",
                "日均余额",
                "float",
                required=False,
                minimum=0,
                maximum=1e13,
                example="57120.40",
                description_en="Mean of the month's daily balances in RMB (日均); when every account of an "
                "outlet's complete extract has it, it gives the outlet's daily-average KPI",
                description_zh="当月每日余额的平均值（日均），元；网点完整明细的每个账户都有日均时，"
                "据此得出网点的日均余额指标",
            )
        )
    if extract.endswith("_loan"):
        columns.append(
            ColumnSpec(
                "loan_class",
                "五级分类",
                "text",
                required=False,
                choices=LOAN_CLASS_WORDS,
                example="normal",
                description_en="Five-tier loan classification: normal, special_mention, substandard, doubtful or "
                "loss (or 正常, 关注, 次级, 可疑, 损失); the last three are non-performing",
                description_zh="贷款五级分类：正常 normal、关注 special_mention、次级 substandard、可疑 doubtful、"
                "损失 loss（中文或代码均可）；后三类为不良贷款",
            )
        )
    columns += [
        ColumnSpec(
            "opened_on",
            "开户日期",
            "date",
            required=False,
            example="2019-04-01",
            description_en="Date the account opened (loans: drawn), YYYY-MM-DD, not after the month",
            description_zh="开户日期（贷款为放款日），格式 YYYY-MM-DD，不晚于当月",
        ),
        ColumnSpec(
            "matures_on",
            "到期日期",
            "date",
            required=False,
            example="",
            description_en="Maturity date of a time deposit, loan or product, YYYY-MM-DD (empty: none)",
            description_zh="定期存款、贷款或产品的到期日，格式 YYYY-MM-DD（无则留空）",
        ),
        ColumnSpec(
            "closed_on",
            "销户日期",
            "date",
            required=False,
            example="",
            description_en="Date the account closed in this month, YYYY-MM-DD; a closed account is not held "
            "after the month (empty: open)",
            description_zh="本月销户（结清）的日期，格式 YYYY-MM-DD；销户后不再计为持有（未销户留空）",
        ),
    ]
    return tuple(columns)


def account_extract(extract: str) -> ImportKind:
    """The import kind of an account extract (``personal_deposit`` ... ``product_holding``).

    After a confirm or delete the customers' month-end balances and holdings are derived again
    (and the KPIs of outlets and months marked complete): see :mod:`data.accounts`.
    """
    title_zh, title_en = EXTRACT_TITLES[extract]
    holdings = extract == HOLDING_EXTRACT
    product_zh = "理财、保险、基金、贵金属、银行卡或电子银行" if holdings else title_zh.removesuffix("明细")
    return ImportKind(
        name=f"{extract}s",
        title_zh=title_zh,
        title_en=title_en,
        table=AccountBalance.__table__,
        columns=(
            ColumnSpec(
                "month",
                "月份",
                "month",
                example="2026-10",
                description_en="Month of the balance, YYYY-MM",
                description_zh="余额所属月份，格式 YYYY-MM",
            ),
            outlet_code_column(
                description_en="Outlet that keeps the account",
                description_zh="开户（管户）网点的代码",
            ),
            _customer_column(extract),
            ColumnSpec(
                "product_code",
                "产品代码",
                "text",
                max_length=32,
                reference=extract,
                target="product_id",
                example=EXAMPLE_PRODUCTS[extract],
                description_en=f"A {extract.replace('_', ' ')} product of the product shelf"
                if extract != HOLDING_EXTRACT
                else "A wealth, insurance, fund, gold, card or e-banking product of the product shelf",
                description_zh=f"产品目录中的{product_zh}产品代码",
            ),
            ColumnSpec("account_no", "账号", "text", max_length=40, example="6222020400012345678"),
            _balance_column(extract),
            *_optional_account_columns(extract),
        ),
        key=("account_no", "month"),
        fixed={"extract": extract},
        checks=account_checks,
        lookups={"any_customer_no": any_customer_no, HOLDING_EXTRACT: holding_products}
        if extract == HOLDING_EXTRACT
        else {},
        after_confirm=accounts.after_confirm,
        before_delete=accounts.before_delete,
        after_delete=accounts.after_delete,
    )


ACCOUNT_KINDS = tuple(account_extract(extract) for extract in EXTRACT_TITLES)


CUSTOMERS = ImportKind(
    name="customers",
    title_zh="客户信息",
    title_en="Customers",
    table=Customer.__table__,
    columns=(
        ColumnSpec("customer_no", "客户号", "text", max_length=32, example="P0000000001"),
        ColumnSpec(
            "kind",
            "客户类型",
            "text",
            choices=("personal", "corporate"),
            example="personal",
            description_en="personal or corporate",
            description_zh="personal（对私）或 corporate（对公）",
        ),
        ColumnSpec("name", "客户名称", "text", max_length=100, example="王伟"),
        ColumnSpec(
            "id_number",
            "证件号码",
            "text",
            max_length=64,
            target="id_number_hash",
            transform="hmac_sha256",
            example="150102198001011234",
            description_en="Stored only as a keyed hash (HMAC-SHA-256), never as written",
            description_zh="仅保存带密钥的摘要（HMAC-SHA-256），不保存原文",
        ),
        ColumnSpec(
            "phone",
            "手机号",
            "text",
            required=False,
            max_length=20,
            target="phone_masked",
            transform="mask_phone",
            example="13812345678",
            description_en="Stored masked (138****5678)",
            description_zh="脱敏保存（138****5678）",
        ),
        ColumnSpec(
            "address",
            "地址",
            "text",
            required=False,
            max_length=200,
            example="呼和浩特市新华东街88号",
            description_en="Personal data: shown only to roles that see personal data (Customer 360)",
            description_zh="个人信息，仅对可查看个人信息的角色显示（客户360）",
        ),
        ColumnSpec(
            "home_outlet_code",
            "归属网点代码",
            "text",
            max_length=32,
            reference="outlet_code",
            target="home_outlet_id",
            example="O150100001",
        ),
        ColumnSpec("birth_year", "出生年份", "int", required=False, minimum=1900, maximum=2026, example="1980"),
        ColumnSpec(
            "birth_date",
            "出生日期",
            "date",
            required=False,
            example="1980-01-01",
            description_en="For birthday reminders by day; the birth year is taken from it when empty",
            description_zh="用于按日期提醒生日；出生年份为空时取自该日期",
        ),
        ColumnSpec("gender", "性别", "text", required=False, choices=("F", "M"), example="M"),
        ColumnSpec("industry", "行业", "text", required=False, max_length=32, example=""),
        ColumnSpec("opened_on", "开户日期", "date", example="2015-06-01"),
        ColumnSpec(
            "is_key_customer",
            "重点客户",
            "bool",
            required=False,
            example="0",
            description_en="1/0, true/false, yes/no, 是/否",
        ),
        ColumnSpec(
            "home_cell",
            "居住网格",
            "text",
            required=False,
            max_length=16,
            example="",
            description_en="H3 cell of the customer's home (for trade areas), if known",
        ),
        ColumnSpec(
            "relationship_manager",
            "客户经理工号",
            "text",
            required=False,
            max_length=32,
            reference="employee_no",
            target="relationship_manager_id",
            example="",
            description_en="Employee number of the customer's relationship manager, if any",
        ),
    ),
    key=("customer_no",),
)

TARGETS = ImportKind(
    name="targets",
    title_zh="经营目标",
    title_en="Targets",
    table=Target.__table__,
    columns=(
        ColumnSpec(
            "unit_code",
            "机构代码",
            "text",
            max_length=32,
            reference="unit_code",
            target="org_unit_id",
            example="O150100001",
            description_en="Any unit: region, city branch, sub-branch or outlet",
        ),
        ColumnSpec("metric_code", "指标代码", "text", max_length=48, reference="metric_code", example="deposits_total"),
        ColumnSpec("period_start", "开始日期", "date", example="2026-01-01"),
        ColumnSpec("period_end", "结束日期", "date", example="2026-12-31"),
        ColumnSpec("value", "目标值", "float", minimum=-1e15, maximum=1e15, example="750000000"),
    ),
    key=("org_unit_id", "metric_code", "period_start", "period_end"),
)

DEMAND_GRID = ImportKind(
    name="demand_grid",
    title_zh="需求网格",
    title_en="Demand grid",
    table=DemandCell.__table__,
    columns=(
        ColumnSpec(
            "h3_index",
            "H3网格",
            "text",
            max_length=16,
            example="8831aa5081fffff",
            description_en="An H3 cell index, resolution 5 to 12",
        ),
        ColumnSpec("city_code", "城市代码", "text", max_length=12, reference="city_code", example="150100"),
        ColumnSpec("population", "常住人口", "float", minimum=0, maximum=1e7, example="2450"),
        ColumnSpec("households", "户数", "float", minimum=0, maximum=1e7, example="900"),
        ColumnSpec(
            "income_index",
            "收入指数",
            "float",
            minimum=0,
            maximum=100,
            example="1.05",
            description_en="1.0 = regional average",
        ),
        ColumnSpec("businesses", "企业数", "float", minimum=0, maximum=1e6, example="31"),
        ColumnSpec(
            "district_code",
            "区县代码",
            "text",
            required=False,
            max_length=16,
            reference="district_code",
            target="district_id",
            example="",
            description_en="Code of the district the cell lies in, if districts are loaded",
        ),
    ),
    key=("h3_index",),
)

LOBBY_HOURS = ImportKind(
    name="lobby_hourly",
    title_zh="厅堂分时客流",
    title_en="Lobby arrivals by hour",
    table=LobbyHourly.__table__,
    columns=(
        outlet_code_column(),
        ColumnSpec("day", "日期", "date", example="2026-10-12"),
        ColumnSpec("hour", "时段", "int", minimum=0, maximum=23, example="10", description_en="Hour 0 to 23 (start)"),
        ColumnSpec("arrivals", "到店人数", "int", minimum=0, maximum=10_000, example="38"),
        ColumnSpec("counters_open", "开放柜台数", "int", minimum=0, maximum=100, example="5"),
        ColumnSpec("mean_service_minutes", "平均办理时长", "float", minimum=0, maximum=240, example="6.5"),
        ColumnSpec("mean_wait_minutes", "平均等候时长", "float", minimum=0, maximum=600, example="8.2"),
    ),
    key=("outlet_id", "day", "hour"),
)

LOBBY_SERVICE_TYPES = ImportKind(
    name="lobby_service_types",
    title_zh="分业务类型柜面办理时长",
    title_en="Counter service time by business type",
    table=LobbyServiceType.__table__,
    columns=(
        outlet_code_column(),
        ColumnSpec("month", "月份", "month", example="2026-10", description_en="Month, YYYY-MM"),
        ColumnSpec(
            "business_type",
            "业务类型",
            "text",
            choices=BUSINESS_TYPES,
            example="cash",
            description_en="One of " + ", ".join(BUSINESS_TYPES),
            description_zh="取值：" + "、".join(BUSINESS_TYPES),
        ),
        ColumnSpec("transactions", "笔数", "int", minimum=0, maximum=10_000_000, example="5230"),
        ColumnSpec(
            "service_minutes_total",
            "办理总时长（分钟）",
            "float",
            minimum=0,
            maximum=1e9,
            example="28765.5",
            description_en="Sum of the service times of these transactions, minutes",
        ),
    ),
    key=("outlet_id", "month", "business_type"),
)

# Items a mystery shopper scores (the 6S items are data.schema.SIX_S_ITEMS).
MYSTERY_SHOPPER_ITEMS = (
    "greeting",
    "appearance",
    "queue_guidance",
    "needs_inquiry",
    "product_explanation",
    "risk_disclosure",
    "farewell",
)
INSPECTION_ITEMS: dict[str, tuple[str, ...]] = {"six_s": SIX_S_ITEMS, "mystery_shopper": MYSTERY_SHOPPER_ITEMS}

INSPECTIONS = ImportKind(
    name="inspections",
    title_zh="服务检查（6S现场检查、神秘客户）",
    title_en="Service inspections (6S on-site, mystery shopper)",
    table=Inspection.__table__,
    columns=(
        outlet_code_column(
            description_en="Code of an outlet in the registry",
            description_zh="机构登记中的网点代码",
        ),
        ColumnSpec("inspected_on", "检查日期", "date", example="2026-10-15", description_en="Date of the visit"),
        ColumnSpec(
            "kind",
            "检查类型",
            "text",
            choices=INSPECTION_KINDS,
            example="six_s",
            description_en="six_s (on-site 6S inspection) or mystery_shopper",
            description_zh="six_s（6S现场检查）或 mystery_shopper（神秘客户）",
        ),
        ColumnSpec(
            "item",
            "检查项目",
            "text",
            max_length=48,
            example="shine",
            description_en="6S: " + ", ".join(SIX_S_ITEMS) + "; mystery shopper: " + ", ".join(MYSTERY_SHOPPER_ITEMS),
            description_zh="6S：整理 sort、整顿 set_in_order、清扫 shine、清洁 standardise、素养 sustain、安全 safety；"
            "神秘客户：" + "、".join(MYSTERY_SHOPPER_ITEMS),
        ),
        ColumnSpec(
            "score",
            "得分",
            "float",
            minimum=0,
            maximum=1000,
            example="14.5",
            description_en="Points given, 0 to max_score",
            description_zh="实得分，0 至满分",
        ),
        ColumnSpec(
            "max_score",
            "满分",
            "float",
            minimum=0.5,
            maximum=1000,
            example="16",
            description_en="Points the item is worth",
            description_zh="该项满分",
        ),
        ColumnSpec(
            "note",
            "扣分说明",
            "text",
            required=False,
            max_length=500,
            example="Leaflet rack untidy",
            description_en="Why points were lost (optional)",
            description_zh="扣分原因（可空）",
        ),
    ),
    key=("outlet_id", "inspected_on", "kind", "item"),
)

KINDS: dict[str, ImportKind] = {
    kind.name: kind
    for kind in (
        *ACCOUNT_KINDS,
        CUSTOMERS,
        MONTHLY_KPIS,
        TARGETS,
        COMPETITOR_OUTLETS,
        DEMAND_GRID,
        LOBBY_HOURS,
        LOBBY_SERVICE_TYPES,
        INSPECTIONS,
    )
}

ORG_UNITS = ImportKind(
    name="org_units",
    title_zh="机构与网点",
    title_en="Organisation units and outlets",
    table=OrgUnit.__table__,
    columns=(
        ColumnSpec("code", "机构代码", "text", max_length=32, example="O150100901"),
        ColumnSpec("name_zh", "中文名称", "text", max_length=100, example="新华分理处"),
        ColumnSpec("name_en", "英文名称", "text", max_length=100, example="Xinhua Sub-office"),
        ColumnSpec(
            "level",
            "层级",
            "text",
            choices=UNIT_LEVELS,
            example="outlet",
            description_en="head_office, region (provincial branch), city_branch, sub_branch or outlet",
            description_zh="head_office（总行）、region（省/区分行）、city_branch（盟市分行）、sub_branch（支行）"
            "或 outlet（网点）",
        ),
        ColumnSpec(
            "parent_code",
            "上级机构代码",
            "text",
            required=False,
            max_length=32,
            example="S15010001",
            description_en="The unit one level up, already loaded or in the same file (empty for the tree's "
            "one top unit: the head office, or the provincial branch when there is none)",
            description_zh="上一级机构代码，可已入库或在同一文件中（机构树唯一的顶层机构留空：总行，无总行时为省分行）",
        ),
        ColumnSpec(
            "outlet_type",
            "网点类型",
            "text",
            required=False,
            choices=OUTLET_TYPES,
            example="sub_office",
            description_en="Required for outlets: " + ", ".join(OUTLET_TYPES),
        ),
        ColumnSpec("status", "状态", "text", required=False, choices=UNIT_STATUSES, example="open"),
        ColumnSpec("city_code", "城市代码", "text", required=False, max_length=12, example="150100"),
        ColumnSpec(
            "district_code",
            "所属区县代码",
            "text",
            required=False,
            max_length=16,
            reference="district_code",
            target="district_id",
            example="",
            description_en="Code of the district the unit lies in, as in the loaded district outlines "
            "(python -m data.geography load); empty if not known",
            description_zh="机构所在区县的代码，须为已载入的区县轮廓中的代码"
            "（python -m data.geography load）；未知留空",
        ),
        ColumnSpec("address_zh", "中文地址", "text", required=False, max_length=200, example="呼和浩特市新华路1号"),
        ColumnSpec("address_en", "英文地址", "text", required=False, max_length=200, example="1 Xinhua Road, Hohhot"),
        ColumnSpec(
            "lon",
            "经度",
            "float",
            required=False,
            minimum=73.0,
            maximum=135.5,
            example="111.7512",
            description_en="Required for outlets",
        ),
        ColumnSpec(
            "lat",
            "纬度",
            "float",
            required=False,
            minimum=18.0,
            maximum=53.6,
            example="40.8421",
            description_en="Required for outlets",
        ),
        ColumnSpec("opened_on", "开业日期", "date", required=False, example="2012-05-18"),
        ColumnSpec(
            "closed_on",
            "撤并日期",
            "date",
            required=False,
            example="",
            description_en="Date the unit closed or was merged, YYYY-MM-DD, not before it opened; required "
            "for status closed or merged",
            description_zh="撤销或并入其他机构的日期，格式 YYYY-MM-DD，不早于开业日期；状态为 closed 或 merged 时必填",
        ),
        ColumnSpec(
            "merged_into_code",
            "并入机构代码",
            "text",
            required=False,
            max_length=32,
            example="",
            description_en="For status merged only (then required): the code of the unit of the same level it "
            "was merged into, already loaded or in the same file",
            description_zh="仅状态为 merged 时填写（此时必填）：所并入的同一层级机构的代码，可已入库或在同一文件中",
        ),
        ColumnSpec("floor_area_m2", "营业面积", "float", required=False, minimum=0, maximum=100_000, example="520"),
        ColumnSpec(
            "service_area_km2",
            "服务面积",
            "float",
            required=False,
            minimum=0,
            maximum=1e7,
            example="450",
            description_en="Area the unit serves, km² (for coverage and trade-area measures)",
            description_zh="机构服务范围的面积，平方公里（用于覆盖与商圈分析）",
        ),
        ColumnSpec("cash_counters", "现金柜台数", "int", required=False, minimum=0, maximum=100, example="3"),
        ColumnSpec("non_cash_counters", "非现金柜台数", "int", required=False, minimum=0, maximum=100, example="2"),
        ColumnSpec("atms", "ATM数", "int", required=False, minimum=0, maximum=100, example="2"),
        ColumnSpec("smart_machines", "智能机具数", "int", required=False, minimum=0, maximum=100, example="2"),
        ColumnSpec("staff_count", "员工数", "int", required=False, minimum=0, maximum=10_000, example="18"),
        ColumnSpec("build_cost_rmb", "建设成本", "float", required=False, minimum=0, maximum=1e10, example="5200000"),
        ColumnSpec("monthly_rent_rmb", "月租金", "float", required=False, minimum=0, maximum=1e9, example="42000"),
        ColumnSpec(
            "monthly_running_cost_rmb", "月运营成本", "float", required=False, minimum=0, maximum=1e9, example="480000"
        ),
    ),
    key=("code",),
    fixed={"path": "/"},  # the real path is set when the batch is confirmed
    finish="org_units",
    checks=lifecycle_checks,
)

# The tree first (everything else refers to it), then the bank's master data and other extracts.
KINDS = {ORG_UNITS.name: ORG_UNITS, **{kind.name: kind for kind in BANK_KINDS}, **KINDS}

# Descriptions of the columns whose specification above gives none, by kind and column (the
# column sheet of every template describes every column in both languages): (zh, en).
DESCRIPTIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("org_units", "code"): ("机构代码，全行唯一", "Unit code, unique in the bank"),
    ("org_units", "name_zh"): ("机构中文名称", "Name in Chinese"),
    ("org_units", "name_en"): ("机构英文名称", "Name in English"),
    ("org_units", "outlet_type"): ("网点必填：" + "、".join(OUTLET_TYPES), ""),
    ("org_units", "status"): (
        "状态：" + "、".join(UNIT_STATUSES) + "（空则为 open；closed、merged 须填撤并日期，merged 须填并入机构代码）",
        "One of " + ", ".join(UNIT_STATUSES) + " (empty: open; closed and merged need closed_on, merged also "
        "merged_into_code)",
    ),
    ("org_units", "city_code"): ("所在城市的行政区划代码", "Administrative code of the unit's city"),
    ("org_units", "address_zh"): ("中文地址", "Address in Chinese"),
    ("org_units", "address_en"): ("英文地址", "Address in English"),
    ("org_units", "lon"): ("经度（WGS-84），网点必填", ""),
    ("org_units", "lat"): ("纬度（WGS-84），网点必填", ""),
    ("org_units", "opened_on"): ("开业日期，格式 YYYY-MM-DD", "Opening date, YYYY-MM-DD"),
    ("org_units", "floor_area_m2"): ("营业面积，平方米", "Floor area, m²"),
    ("org_units", "cash_counters"): ("现金柜台数", "Cash counters"),
    ("org_units", "non_cash_counters"): ("非现金柜台数", "Non-cash counters"),
    ("org_units", "atms"): ("自动柜员机台数", "ATMs"),
    ("org_units", "smart_machines"): ("智能柜台等智能机具台数", "Smart teller machines"),
    ("org_units", "staff_count"): ("员工人数", "Staff"),
    ("org_units", "build_cost_rmb"): ("建设（装修）成本，元", "Build-out cost, RMB"),
    ("org_units", "monthly_rent_rmb"): ("月租金，元", "Monthly rent, RMB"),
    ("org_units", "monthly_running_cost_rmb"): ("月运营成本（不含租金），元", "Monthly running cost without rent, RMB"),
    ("*", "account_no"): ("账号，同一月份内不重复", "Account number, once per month"),
    ("customers", "customer_no"): ("客户号，全行唯一", "Customer number, unique in the bank"),
    ("customers", "name"): ("客户姓名或企业名称", "Name of the person or company"),
    ("customers", "home_outlet_code"): ("客户归属网点的代码", "Code of the customer's home outlet"),
    ("customers", "birth_year"): ("出生年份（对私客户，可空）", "Year of birth (personal customers, optional)"),
    ("customers", "gender"): ("性别：F（女）或 M（男），可空", "F or M, optional"),
    ("customers", "industry"): ("对公客户所属行业，可空", "Industry of a corporate customer, optional"),
    ("customers", "opened_on"): ("开户日期，格式 YYYY-MM-DD", "Date the customer opened, YYYY-MM-DD"),
    ("customers", "is_key_customer"): ("是否重点客户：1/0、true/false、yes/no 或 是/否", ""),
    ("customers", "home_cell"): ("客户居住地的H3网格编号（用于商圈分析），可空", ""),
    ("customers", "relationship_manager"): ("客户经理的员工号，可空", ""),
    ("targets", "unit_code"): ("任一机构：区域、分行、支行或网点", ""),
    ("targets", "metric_code"): ("指标目录中的指标代码", "Code of a metric of the catalogue"),
    ("targets", "period_start"): ("目标期开始日期，格式 YYYY-MM-DD", "First day of the period, YYYY-MM-DD"),
    ("targets", "period_end"): ("目标期结束日期，不早于开始日期", "Last day of the period, not before its start"),
    ("targets", "value"): ("目标值，按指标单位填写", "Target in the metric's unit"),
    ("competitor_outlets", "bank_code"): ("银行简码", ""),
    ("competitor_outlets", "bank_name_zh"): ("银行中文名称", "Bank name in Chinese"),
    ("competitor_outlets", "bank_name_en"): ("银行英文名称", "Bank name in English"),
    ("competitor_outlets", "name"): ("他行网点名称", "Name of the competitor's outlet"),
    ("competitor_outlets", "city_code"): ("本行网点所在城市的行政区划代码", ""),
    ("competitor_outlets", "lon"): ("经度（WGS-84）", "Longitude (WGS-84)"),
    ("competitor_outlets", "lat"): ("纬度（WGS-84）", "Latitude (WGS-84)"),
    ("competitor_outlets", "counters"): ("柜台数，可空", "Counters, optional"),
    ("competitor_outlets", "opened_on"): ("开业日期，格式 YYYY-MM-DD，可空", "Opening date, YYYY-MM-DD, optional"),
    ("competitor_outlets", "closed_on"): (
        "关闭日期，不早于开业日期，可空",
        "Closing date, not before opening, optional",
    ),
    ("demand_grid", "h3_index"): ("H3网格编号（分辨率5至12）", ""),
    ("demand_grid", "city_code"): ("网格所在城市的行政区划代码", "Administrative code of the cell's city"),
    ("demand_grid", "population"): ("网格内常住人口", "Residents in the cell"),
    ("demand_grid", "households"): ("网格内户数", "Households in the cell"),
    ("demand_grid", "income_index"): ("收入指数，1.0 为全区平均", ""),
    ("demand_grid", "businesses"): ("网格内企业数", "Businesses in the cell"),
    ("demand_grid", "district_code"): ("网格所在区县代码（已导入区县时），可空", ""),
    ("lobby_hourly", "outlet_code"): ("机构登记中的网点代码", "Code of an outlet in the registry"),
    ("lobby_hourly", "day"): ("日期，格式 YYYY-MM-DD", "Day, YYYY-MM-DD"),
    ("lobby_hourly", "hour"): ("时段开始的小时，0 至 23", ""),
    ("lobby_hourly", "arrivals"): ("该时段到店客户数", "Customers who arrived in the hour"),
    ("lobby_hourly", "counters_open"): ("该时段开放的柜台数", "Counters open in the hour"),
    ("lobby_hourly", "mean_service_minutes"): ("平均办理时长，分钟", "Mean service time, minutes"),
    ("lobby_hourly", "mean_wait_minutes"): ("平均等候时长，分钟", "Mean waiting time, minutes"),
    ("lobby_service_types", "outlet_code"): ("机构登记中的网点代码", "Code of an outlet in the registry"),
    ("lobby_service_types", "month"): ("月份，格式 YYYY-MM", ""),
    ("lobby_service_types", "transactions"): ("该类业务的办理笔数", "Transactions of this business type"),
    ("lobby_service_types", "service_minutes_total"): ("这些业务的办理时长合计，分钟", ""),
    ("inspections", "inspected_on"): ("检查日期，格式 YYYY-MM-DD", ""),
}


def _described(kind: ImportKind) -> ImportKind:
    """The kind with every column described in both languages (from :data:`DESCRIPTIONS` where
    the specification gives no description)."""
    columns = []
    for column in kind.columns:
        zh, en = DESCRIPTIONS.get((kind.name, column.name)) or DESCRIPTIONS.get(("*", column.name), ("", ""))
        columns.append(
            replace(column, description_zh=column.description_zh or zh, description_en=column.description_en or en)
        )
    return replace(kind, columns=tuple(columns))


KINDS = {name: _described(kind) for name, kind in KINDS.items()}
