"""The metric catalogue: every KPI the product knows, how it is measured and aggregated.

Base metrics are stored per outlet and month in ``kpi_monthly``. Derived metrics are never
stored: they are recomputed at every level of the hierarchy from base metrics, as
``sum(numerator codes) / sum(denominator codes)`` (a ratio), or ``sum(numerator codes)`` when
there is no denominator (a total). So a ratio such as the e-channel diversion rate is never an
average of outlet ratios.

Fields of each entry (mirrored in the ``metric`` table):
- ``unit``: rmb, count, ratio, minutes or score;
- ``unit_aggregation``: how outlets combine: ``sum``, ``mean`` or ``derived``;
- ``time_aggregation``: how months combine for base metrics: ``flow`` (sum over the months),
  ``stock`` (value of the last month) or ``mean`` (mean of the months: a daily average (日均)
  over a quarter is the mean of its three monthly daily averages, exact up to the months'
  different lengths);
- ``numerator`` / ``denominator``: comma-separated base metric codes, for derived metrics.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MetricDef:
    """One catalogue entry; see the module docstring for the meaning of the fields."""

    code: str
    name_zh: str
    name_en: str
    category: str
    unit: str
    higher_is_better: bool
    unit_aggregation: str
    time_aggregation: str
    numerator: str | None = None
    denominator: str | None = None
    description_zh: str = ""
    description_en: str = ""


FEE_CODES = (
    "fee_income_wealth",
    "fee_income_insurance",
    "fee_income_fund",
    "fee_income_gold",
    "fee_income_card",
    "fee_income_ebanking",
)
CHANNEL_TXN_CODES = ("txn_counter", "txn_smart_machine", "txn_atm", "txn_mobile", "txn_online")
E_CHANNEL_TXN_CODES = ("txn_smart_machine", "txn_atm", "txn_mobile", "txn_online")


def _base(code, zh, en, category, unit, higher, time_agg, unit_agg="sum", desc_zh="", desc_en=""):
    return MetricDef(code, zh, en, category, unit, higher, unit_agg, time_agg, None, None, desc_zh, desc_en)


def _derived(code, zh, en, category, unit, higher, numerator, denominator=None, desc_zh="", desc_en=""):
    return MetricDef(
        code,
        zh,
        en,
        category,
        unit,
        higher,
        "derived",
        "derived",
        ",".join(numerator),
        ",".join(denominator) if denominator else None,
        desc_zh,
        desc_en,
    )


CATALOGUE: tuple[MetricDef, ...] = (
    # Balances (month-end, RMB).
    _derived(
        "deposits_total",
        "存款余额",
        "Deposits",
        "deposits",
        "rmb",
        True,
        ("deposits_personal", "deposits_corporate"),
        desc_zh="对私存款 + 对公存款，月末余额",
        desc_en="Personal + corporate deposits, month-end balance",
    ),
    _base("deposits_personal", "对私存款余额", "Personal deposits", "deposits", "rmb", True, "stock"),
    _base("deposits_corporate", "对公存款余额", "Corporate deposits", "deposits", "rmb", True, "stock"),
    _derived(
        "loans_total",
        "贷款余额",
        "Loans",
        "loans",
        "rmb",
        True,
        ("loans_personal", "loans_corporate"),
        desc_zh="对私贷款 + 对公贷款，月末余额",
        desc_en="Personal + corporate loans, month-end balance",
    ),
    _base("loans_personal", "对私贷款余额", "Personal loans", "loans", "rmb", True, "stock"),
    _base("loans_corporate", "对公贷款余额", "Corporate loans", "loans", "rmb", True, "stock"),
    _base("loans_npl", "不良贷款余额", "Non-performing loans", "loans", "rmb", False, "stock"),
    _derived(
        "npl_ratio",
        "不良贷款率",
        "NPL ratio",
        "loans",
        "ratio",
        False,
        ("loans_npl",),
        ("loans_personal", "loans_corporate"),
        desc_zh="不良贷款余额 ÷ 贷款余额",
        desc_en="Non-performing loans ÷ loans",
    ),
    # Daily-average balances (日均, RMB): the mean of a month's daily balances; over several months
    # the mean of the monthly values. From the account extracts' daily-average column.
    _derived(
        "deposits_total_daily_avg",
        "存款日均余额",
        "Deposits, daily average",
        "deposits",
        "rmb",
        True,
        ("deposits_personal_daily_avg", "deposits_corporate_daily_avg"),
        desc_zh="对私存款日均 + 对公存款日均",
        desc_en="Personal + corporate deposits, daily average",
    ),
    _base(
        "deposits_personal_daily_avg",
        "对私存款日均余额",
        "Personal deposits, daily average",
        "deposits",
        "rmb",
        True,
        "mean",
        desc_zh="当月每日余额的平均值（日均）",
        desc_en="Mean of the month's daily balances",
    ),
    _base(
        "deposits_corporate_daily_avg",
        "对公存款日均余额",
        "Corporate deposits, daily average",
        "deposits",
        "rmb",
        True,
        "mean",
        desc_zh="当月每日余额的平均值（日均）",
        desc_en="Mean of the month's daily balances",
    ),
    _derived(
        "loans_total_daily_avg",
        "贷款日均余额",
        "Loans, daily average",
        "loans",
        "rmb",
        True,
        ("loans_personal_daily_avg", "loans_corporate_daily_avg"),
        desc_zh="对私贷款日均 + 对公贷款日均",
        desc_en="Personal + corporate loans, daily average",
    ),
    _base(
        "loans_personal_daily_avg",
        "对私贷款日均余额",
        "Personal loans, daily average",
        "loans",
        "rmb",
        True,
        "mean",
        desc_zh="当月每日贷款余额的平均值（日均）",
        desc_en="Mean of the month's daily loan balances",
    ),
    _base(
        "loans_corporate_daily_avg",
        "对公贷款日均余额",
        "Corporate loans, daily average",
        "loans",
        "rmb",
        True,
        "mean",
        desc_zh="当月每日贷款余额的平均值（日均）",
        desc_en="Mean of the month's daily loan balances",
    ),
    # Income and cost (flows per month, RMB).
    _derived(
        "fee_income_total",
        "中间业务收入",
        "Fee income",
        "income",
        "rmb",
        True,
        FEE_CODES,
        desc_zh="理财、保险、基金、贵金属、银行卡、电子银行手续费及佣金收入之和",
        desc_en="Sum of fee and commission income of all product families",
    ),
    _base("fee_income_wealth", "理财中间业务收入", "Fee income: wealth", "income", "rmb", True, "flow"),
    _base("fee_income_insurance", "代理保险收入", "Fee income: insurance", "income", "rmb", True, "flow"),
    _base("fee_income_fund", "代销基金收入", "Fee income: funds", "income", "rmb", True, "flow"),
    _base("fee_income_gold", "贵金属业务收入", "Fee income: gold", "income", "rmb", True, "flow"),
    _base("fee_income_card", "银行卡收入", "Fee income: cards", "income", "rmb", True, "flow"),
    _base("fee_income_ebanking", "电子银行收入", "Fee income: e-banking", "income", "rmb", True, "flow"),
    _base("net_interest_income", "净利息收入", "Net interest income", "income", "rmb", True, "flow"),
    _derived(
        "operating_income",
        "营业收入",
        "Operating income",
        "income",
        "rmb",
        True,
        ("net_interest_income",) + FEE_CODES,
        desc_zh="净利息收入 + 中间业务收入",
        desc_en="Net interest income + fee income",
    ),
    _derived(
        "fee_income_share",
        "中间业务收入占比",
        "Fee income share",
        "income",
        "ratio",
        True,
        FEE_CODES,
        ("net_interest_income",) + FEE_CODES,
        desc_zh="中间业务收入 ÷ 营业收入",
        desc_en="Fee income ÷ operating income",
    ),
    _base("operating_cost", "营业费用", "Operating cost", "cost", "rmb", False, "flow"),
    _derived(
        "cost_income_ratio",
        "成本收入比",
        "Cost-income ratio",
        "cost",
        "ratio",
        False,
        ("operating_cost",),
        ("net_interest_income",) + FEE_CODES,
        desc_zh="营业费用 ÷ 营业收入",
        desc_en="Operating cost ÷ operating income",
    ),
    # Transactions by channel (count per month).
    _derived(
        "txn_total",
        "交易笔数",
        "Transactions",
        "channels",
        "count",
        True,
        CHANNEL_TXN_CODES,
        desc_zh="各渠道交易笔数之和",
        desc_en="Transactions over all channels",
    ),
    _base("txn_counter", "柜面交易笔数", "Counter transactions", "channels", "count", False, "flow"),
    _base("txn_smart_machine", "智能机具交易笔数", "Smart-machine transactions", "channels", "count", True, "flow"),
    _base("txn_atm", "ATM交易笔数", "ATM transactions", "channels", "count", True, "flow"),
    _base("txn_mobile", "手机银行交易笔数", "Mobile-banking transactions", "channels", "count", True, "flow"),
    _base("txn_online", "网上银行交易笔数", "Online-banking transactions", "channels", "count", True, "flow"),
    _derived(
        "e_channel_rate",
        "电子渠道分流率",
        "E-channel diversion rate",
        "channels",
        "ratio",
        True,
        E_CHANNEL_TXN_CODES,
        CHANNEL_TXN_CODES,
        desc_zh="智能机具、ATM、手机银行、网上银行交易笔数 ÷ 全部交易笔数",
        desc_en="Smart-machine, ATM, mobile and online transactions ÷ all transactions",
    ),
    # Customers.
    _base("customers_active", "有效客户数", "Active customers", "customers", "count", True, "stock"),
    _base("customers_new", "新增客户数", "New customers", "customers", "count", True, "flow"),
    _base("customers_lost", "流失客户数", "Lost customers", "customers", "count", False, "flow"),
    _base("customers_vip", "星级客户数", "Star-tier (VIP) customers", "customers", "count", True, "stock"),
    # Service.
    _derived(
        "avg_wait_minutes",
        "平均等候时间",
        "Average wait",
        "service",
        "minutes",
        False,
        ("wait_minutes_total",),
        ("customers_served",),
        desc_zh="客户等候总分钟 ÷ 服务客户数",
        desc_en="Total customer wait minutes ÷ customers served",
    ),
    _base("wait_minutes_total", "客户等候总时长", "Total wait minutes", "service", "minutes", False, "flow"),
    _base("customers_served", "服务客户数", "Customers served at counters", "service", "count", True, "flow"),
    _base("complaints", "客户投诉数", "Complaints", "service", "count", False, "flow"),
    _base(
        "inspection_score",
        "服务检查得分",
        "Service inspection score",
        "service",
        "score",
        True,
        "mean",
        unit_agg="mean",
        desc_zh="6S现场检查得分（0–100）",
        desc_en="6S on-site inspection score (0–100)",
    ),
)

BY_CODE: dict[str, MetricDef] = {metric.code: metric for metric in CATALOGUE}
BASE_CODES: tuple[str, ...] = tuple(m.code for m in CATALOGUE if m.unit_aggregation != "derived")


def components(metric: MetricDef) -> tuple[list[str], list[str]]:
    """Base metric codes of a derived metric's numerator and denominator (empty if none)."""
    numerator = metric.numerator.split(",") if metric.numerator else [metric.code]
    denominator = metric.denominator.split(",") if metric.denominator else []
    return numerator, denominator


# The categories the KPI explorer breaks down into their amounts (its per-product detail tabs).
DETAIL_CATEGORIES: tuple[str, ...] = ("deposits", "loans", "income", "channels")


def _is_time_average(metric: MetricDef, by_code: dict[str, MetricDef]) -> bool:
    """Whether every base part of the metric is averaged over months (日均 balances, scores)."""
    numerator, denominator = components(metric)
    return all(by_code[code].time_aggregation == "mean" for code in numerator + denominator)


def _is_share(metric: MetricDef) -> bool:
    """Whether the metric is a share of a total: a ratio whose numerator codes are among its
    denominator codes (fee income share, e-channel diversion rate)."""
    numerator, denominator = components(metric)
    return bool(denominator) and set(numerator) <= set(denominator)


def breakdown(category: str, catalogue: tuple[MetricDef, ...] = CATALOGUE) -> tuple[str, ...]:
    """Metric codes of one category's amounts, in the order the KPI explorer's detail lists them.

    Every metric of the category except averages over time (daily-average balances in RMB) and
    shares of a total (ratios whose numerator is part of their denominator: the detail shows
    shares itself). Each total (a derived metric without denominator) comes
    before its parts, and a sub-total among the parts takes the place of its first part and is
    followed by its own parts (operating income, net interest income, fee income, the six fee
    products); the totals with the most parts first, then the category's other metrics in
    catalogue order. So a new base metric of the category, or a new part of a total, appears
    without any other change.
    """
    by_code = {metric.code: metric for metric in catalogue}
    chosen = [m for m in catalogue if m.category == category and not _is_time_average(m, by_code) and not _is_share(m)]
    chosen_codes = {m.code for m in chosen}
    parts_of = {m.code: components(m)[0] for m in chosen if m.unit_aggregation == "derived" and not m.denominator}
    totals = sorted(parts_of, key=lambda code: -len(parts_of[code]))  # stable: catalogue order among equals
    ordered: list[str] = []

    def emit(code: str) -> None:
        if code in ordered or code not in chosen_codes:
            return
        ordered.append(code)
        for part in parts_of.get(code, []):
            subtotal = next(
                (
                    other
                    for other in totals
                    if other not in ordered and part in parts_of[other] and set(parts_of[other]) < set(parts_of[code])
                ),
                None,
            )
            emit(subtotal or part)

    for code in [*totals, *(m.code for m in chosen)]:
        emit(code)
    return tuple(ordered)


# The KPI explorer's per-product detail: each detail category's amounts (see ``breakdown``).
DETAIL_GROUPS: dict[str, tuple[str, ...]] = {category: breakdown(category) for category in DETAIL_CATEGORIES}
