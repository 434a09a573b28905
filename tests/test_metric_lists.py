"""Metric lists come from the catalogue (config/metrics.py), not from copies in pages and benches.

The KPI explorer's per-product detail is derived from the catalogue by ``breakdown``: known
answers for today's catalogue, and a new fee product that appears without any other change.
Pages and benches are scanned for literal lists of metric codes: one that names a code the
catalogue does not have, or spells out every part of a total (a copy that would miss a new
part), fails."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from bench import bench_performance
from config.metrics import BY_CODE, CATALOGUE, DETAIL_GROUPS, breakdown, components
from config.settings import PROJECT_ROOT

SCANNED = sorted([*(PROJECT_ROOT / "pages").glob("*.py"), *(PROJECT_ROOT / "bench").glob("*.py")])
FEES = [
    "fee_income_wealth",
    "fee_income_insurance",
    "fee_income_fund",
    "fee_income_gold",
    "fee_income_card",
    "fee_income_ebanking",
]


def test_detail_groups_of_todays_catalogue():
    """Amounts only (no daily averages, no shares of a total), each total before its parts."""
    assert DETAIL_GROUPS == {
        "deposits": ("deposits_total", "deposits_personal", "deposits_corporate"),
        "loans": ("loans_total", "loans_personal", "loans_corporate", "loans_npl", "npl_ratio"),
        "income": ("operating_income", "net_interest_income", "fee_income_total", *FEES),
        "channels": ("txn_total", "txn_counter", "txn_smart_machine", "txn_atm", "txn_mobile", "txn_online"),
    }
    assert breakdown("service") == ("avg_wait_minutes", "wait_minutes_total", "customers_served", "complaints")
    assert breakdown("no_such_category") == ()


def test_a_new_fee_product_is_one_catalogue_entry():
    """Adding a base metric to the fee totals puts it in the detail after the other fee products."""

    def with_custody(metric):
        def add(codes):
            return f"{codes},fee_income_custody" if codes and "fee_income_ebanking" in codes.split(",") else codes

        return dataclasses.replace(metric, numerator=add(metric.numerator), denominator=add(metric.denominator))

    custody = dataclasses.replace(BY_CODE["fee_income_gold"], code="fee_income_custody", name_en="Fee income: custody")
    catalogue = (*(with_custody(m) for m in CATALOGUE), custody)
    assert breakdown("income", catalogue) == (
        "operating_income",
        "net_interest_income",
        "fee_income_total",
        *FEES,
        "fee_income_custody",
    )
    assert breakdown("income") == DETAIL_GROUPS["income"]  # the real catalogue is untouched


def test_the_benchmark_reads_what_the_page_reads():
    assert bench_performance.DETAIL_CODES == tuple(code for group in DETAIL_GROUPS.values() for code in group)
    assert bench_performance.ALL_CODES == tuple(BY_CODE)


def literal_code_lists(path: Path) -> list[tuple[int, list[str]]]:
    """(line, strings) of every literal list, tuple or set (and dict keys) naming ≥ 2 catalogue codes."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            items = node.elts
        elif isinstance(node, ast.Dict):
            items = [key for key in node.keys if key is not None]
        else:
            continue
        strings = [item.value for item in items if isinstance(item, ast.Constant) and isinstance(item.value, str)]
        if sum(s in BY_CODE for s in strings) >= 2:
            found.append((node.lineno, strings))
    return found


TOTAL_PARTS = {
    metric.code: set(components(metric)[0])
    for metric in CATALOGUE
    if metric.unit_aggregation == "derived" and not metric.denominator
}


def copied_metric_lists(path: Path) -> list[str]:
    """What is wrong with a module's literal metric lists: codes the catalogue does not have, and
    lists that spell out every part of a total (copies that would miss a new part)."""
    problems = []
    for line, strings in literal_code_lists(path):
        unknown = [s for s in strings if s not in BY_CODE and "_" in s]
        if unknown:
            problems.append(f"{path.name}:{line} names metrics the catalogue does not have: {unknown}")
        copied = [total for total, parts in TOTAL_PARTS.items() if parts <= set(strings)]
        if copied:
            problems.append(f"{path.name}:{line} copies the parts of {copied}; derive them from config.metrics")
    return problems


@pytest.mark.parametrize("path", SCANNED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pages_and_benches_keep_no_metric_list_of_their_own(path):
    assert copied_metric_lists(path) == []


def test_the_scan_finds_a_copied_list_and_a_stale_code(tmp_path):
    page = tmp_path / "page.py"
    page.write_text(
        'CHANNELS = ["txn_counter", "txn_smart_machine", "txn_atm", "txn_mobile", "txn_online"]\n'
        'DEFAULTS = ("deposits_total", "loans_total", "fee_income_old")\n'
        'FINE = ("deposits_total", "txn_counter")\n'
    )
    assert copied_metric_lists(page) == [
        "page.py:1 copies the parts of ['txn_total']; derive them from config.metrics",
        "page.py:2 names metrics the catalogue does not have: ['fee_income_old']",
    ]
