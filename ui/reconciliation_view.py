"""Tables of the reconciliation page (pages/reconciliation.py): the outlets × metrics grid with its
highlighting, and the Excel sheets. Pure functions of the query results, the unit labels and the
language, so the export's content is tested without running the page."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from config.metrics import BY_CODE
from config.translations import TEXTS
from data.queries_reconciliation import ACCOUNT_BASE_CODES
from ui.format import MISSING, format_money, format_ratio

FLAGGED_CELL = "background-color: #f8d0cc"  # above the tolerance
ONE_SIDED_CELL = "background-color: #fdf1c7"  # one side only
CELL_COLOURS = {"differs": FLAGGED_CELL, "import_only": ONE_SIDED_CELL, "accounts_only": ONE_SIDED_CELL}


def text(key: str, lang: str, **values) -> str:
    """The translation of ``key`` in ``lang`` with placeholders filled."""
    value = TEXTS[key][lang]
    return value.format(**values) if values else value


def metric_name(code: str, lang: str) -> str:
    """The catalogue name of a metric in ``lang`` (the code itself for a metric not in the catalogue)."""
    metric = BY_CODE.get(code)
    if metric is None:
        return code
    return metric.name_zh if lang == "zh" else metric.name_en


def metric_order(codes) -> list[str]:
    """Metric codes in catalogue order (the account base codes first when not in the catalogue)."""
    order = {code: index for index, code in enumerate(BY_CODE)}
    base = {code: index for index, code in enumerate(ACCOUNT_BASE_CODES)}
    return sorted(set(codes), key=lambda c: (order.get(c, len(order) + base.get(c, len(base))), c))


def extract_label(extract: str, lang: str) -> str:
    """The name of an account extract ("对私存款" / "Personal deposits"; the code if unknown)."""
    key = f"recon_extract_{extract}"
    return text(key, lang) if key in TEXTS else extract


def signed_money(value: float, lang: str) -> str:
    """A difference in RMB with its sign: "+12.30 万元", "-850 元"."""
    shown = format_money(value, lang)
    return f"+{shown}" if value > 0 and shown != MISSING else shown


def yes_no(value: bool, lang: str) -> str:
    """ "是"/"否", "yes"/"no"."""
    return text("recon_yes" if value else "recon_no", lang)


def _cell(row, lang: str) -> str:
    if row.status == "differs":
        return signed_money(row.difference, lang)
    if row.status == "match":
        return text("recon_cell_match", lang)
    return text(f"recon_cell_{row.status}", lang)


def difference_table(
    compared: pd.DataFrame, statuses: pd.DataFrame, labels: dict[int, str], lang: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Outlets of ``statuses`` (rows) × metrics (columns): the difference where it is above the
    tolerance, "agrees" within it, "import only" / "accounts only" for one side, "—" for neither,
    after the outlet's code, label and status; and a frame of the same shape with each cell's CSS
    (flagged cells red, one-sided ones yellow)."""
    codes = metric_order(compared["metric_code"])
    names = {code: metric_name(code, lang) for code in codes}
    outlets = statuses.merge(compared.drop_duplicates("outlet_id")[["outlet_id", "code"]], on="outlet_id")
    outlets = outlets.sort_values("code", kind="stable").reset_index(drop=True)
    cells = {(row.outlet_id, row.metric_code): (_cell(row, lang), row.status) for row in compared.itertuples()}
    table = pd.DataFrame(
        {
            text("recon_col_outlet_code", lang): outlets["code"].to_numpy(),
            text("recon_col_outlet", lang): [labels.get(int(i), "") for i in outlets["outlet_id"]],
            text("recon_col_status", lang): [text(f"recon_status_{s}", lang) for s in outlets["status"]],
        }
    )
    colours = pd.DataFrame("", index=table.index, columns=table.columns)
    for code in codes:
        values = [cells.get((i, code), (MISSING, None)) for i in outlets["outlet_id"]]
        table[names[code]] = [value for value, _ in values]
        colours[names[code]] = [CELL_COLOURS.get(status, "") for _, status in values]
    return table, colours


def difference_grid(compared: pd.DataFrame, statuses: pd.DataFrame, labels: dict[int, str], lang: str) -> Styler:
    """:func:`difference_table` with its cells coloured, for ``st.dataframe``."""
    table, colours = difference_table(compared, statuses, labels, lang)
    return table.style.apply(lambda _: colours, axis=None)


def detail_sheet(compared: pd.DataFrame, labels: dict[int, str], lang: str) -> pd.DataFrame:
    """Every compared outlet × metric with both sides, difference, relative difference, tolerance,
    flag and status (amounts in RMB as numbers)."""
    ordered = compared.sort_values(["code", "metric_code"], kind="stable")
    return pd.DataFrame(
        {
            text("recon_col_month", lang): [f"{m:%Y-%m}" for m in ordered["month"]],
            text("recon_col_outlet_code", lang): ordered["code"].to_numpy(),
            text("recon_col_outlet", lang): [labels.get(int(i), "") for i in ordered["outlet_id"]],
            text("recon_col_metric_code", lang): ordered["metric_code"].to_numpy(),
            text("recon_col_metric", lang): [metric_name(c, lang) for c in ordered["metric_code"]],
            text("recon_col_import", lang): ordered["import_value"].to_numpy(),
            text("recon_col_accounts", lang): ordered["account_value"].to_numpy(),
            text("recon_col_account_count", lang): ordered["accounts"].to_numpy(),
            text("recon_col_difference", lang): ordered["difference"].to_numpy(),
            text("recon_col_relative", lang): ordered["relative_difference"].to_numpy(),
            text("recon_col_allowed", lang): ordered["allowed"].to_numpy(),
            text("recon_col_flagged", lang): [yes_no(f, lang) for f in ordered["flagged"]],
            text("recon_col_status", lang): [text(f"recon_status_{s}", lang) for s in ordered["status"]],
        }
    )


def outlet_sheet(statuses: pd.DataFrame, compared: pd.DataFrame, labels: dict[int, str], lang: str) -> pd.DataFrame:
    """One row per outlet: code, label, metrics compared, metrics differing, status."""
    codes = compared.drop_duplicates("outlet_id").set_index("outlet_id")["code"]
    ordered = statuses.assign(code=statuses["outlet_id"].map(codes)).sort_values("code", kind="stable")
    return pd.DataFrame(
        {
            text("recon_col_outlet_code", lang): ordered["code"].to_numpy(),
            text("recon_col_outlet", lang): [labels.get(int(i), "") for i in ordered["outlet_id"]],
            text("recon_col_metrics", lang): ordered["metrics"].to_numpy(),
            text("recon_col_differing", lang): ordered["differing"].to_numpy(),
            text("recon_col_status", lang): [text(f"recon_status_{s}", lang) for s in ordered["status"]],
        }
    )


def coverage_sheet(coverage: pd.DataFrame, labels: dict[int, str], lang: str, for_export: bool) -> pd.DataFrame:
    """The completeness of each outlet's extracts: amounts as numbers (RMB) for the export, or
    formatted (万元/亿元) for the page."""
    money = (lambda v: v) if for_export else (lambda v: format_money(v, lang))
    balance_key = "recon_col_balance_rmb" if for_export else "recon_col_balance"
    average_key = "recon_col_daily_average_rmb" if for_export else "recon_col_daily_average"
    return pd.DataFrame(
        {
            text("recon_col_month", lang): [f"{m:%Y-%m}" for m in coverage["month"]],
            text("recon_col_outlet_code", lang): coverage["code"].to_numpy(),
            text("recon_col_outlet", lang): [labels.get(int(i), "") for i in coverage["outlet_id"]],
            text("recon_col_extract", lang): [extract_label(e, lang) for e in coverage["extract"]],
            text("recon_col_account_count", lang): coverage["accounts"].to_numpy(),
            text(balance_key, lang): [money(v) for v in coverage["balance_rmb"]],
            text(average_key, lang): [money(v) for v in coverage["daily_average_rmb"]],
            text("recon_col_daily_average_accounts", lang): coverage["daily_average_accounts"].to_numpy(),
            text("recon_col_batch", lang): [None if pd.isna(b) else int(b) for b in coverage["last_batch_id"]],
            text("recon_col_complete", lang): [yes_no(c, lang) for c in coverage["complete"]],
            text("recon_col_marked_by", lang): coverage["marked_by"].fillna("").to_numpy(),
            text("recon_col_marked_at", lang): [
                "" if pd.isna(m) else f"{m:%Y-%m-%d %H:%M}" for m in coverage["marked_at"]
            ],
        }
    )


def export_sheets(
    compared: pd.DataFrame, statuses: pd.DataFrame, coverage: pd.DataFrame, labels: dict[int, str], lang: str
) -> dict[str, pd.DataFrame]:
    """The workbook of the page: reconciliation detail, outlets, extract completeness."""
    return {
        text("recon_sheet_detail", lang): detail_sheet(compared, labels, lang),
        text("recon_sheet_outlets", lang): outlet_sheet(statuses, compared, labels, lang),
        text("recon_sheet_coverage", lang): coverage_sheet(coverage, labels, lang, for_export=True),
    }


def tolerance_texts(absolute_rmb: float, relative: float, lang: str) -> dict[str, str]:
    """The tolerance as shown in captions: {"absolute": "1.00 万元", "relative": "0.1%"}."""
    return {"absolute": format_money(absolute_rmb, lang), "relative": format_ratio(relative)}
