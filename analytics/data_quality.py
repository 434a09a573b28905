"""Completeness of the loaded extracts (the data quality view of data stewards).

An extract is expected for an outlet and month when the outlet was open at some time in that
month (opened on or before its last day, not closed before its first day). Coverage compares
the expected outlet-months with the ones that have rows; a month in which no outlet has rows,
between a source's first and last month, is a missing month of that source.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

__all__ = [
    "completeness_by_month",
    "coverage",
    "coverage_summary",
    "months_between",
    "null_rates",
    "open_in_month",
]

COVERAGE_COLUMNS = ["source", "outlet_id", "month", "rows", "expected", "missing"]
SUMMARY_COLUMNS = [
    "source",
    "first_month",
    "last_month",
    "months_missing",
    "outlet_months_expected",
    "outlet_months_present",
    "completeness",
    "outlets_missing_last_month",
]


def month_end(month: dt.date) -> dt.date:
    """Last day of the month that starts at ``month``."""
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of every month from ``first``'s to ``last``'s, both included."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


ENDED_STATUSES = ("closed", "merged")


def open_in_month(outlets: pd.DataFrame, month: dt.date) -> pd.Series:
    """Which outlets (rows of ``outlets``: opened_on, closed_on, status; dates None when unknown)
    were open at some time in ``month``. An outlet without an opening date counts as open since
    ever; a closed or merged one without a closing date is never expected (when it closed is
    not known)."""
    opened = pd.to_datetime(outlets["opened_on"])
    closed = pd.to_datetime(outlets["closed_on"])
    started = opened.isna() | (opened <= pd.Timestamp(month_end(month)))
    not_closed = (closed.isna() & ~outlets["status"].isin(ENDED_STATUSES)) | (closed >= pd.Timestamp(month))
    return (started & not_closed).astype(bool)


def coverage(counts: pd.DataFrame, outlets: pd.DataFrame, sources: list[str]) -> pd.DataFrame:
    """Every (source, outlet, month) expected or present, over each source's own months.

    ``counts``: source, outlet_id, month (first day), rows. ``outlets``: outlet_id, opened_on,
    closed_on, status. A source's months run from its first to its last month with rows; a source
    without rows gives nothing. Columns: :data:`COVERAGE_COLUMNS` (``expected``: the outlet was
    open; ``missing``: expected and no rows).
    """
    frames = []
    for source in sources:
        rows = counts[counts["source"] == source]
        if rows.empty:
            continue
        months = months_between(min(rows["month"]), max(rows["month"]))
        present = rows.groupby(["outlet_id", "month"])["rows"].sum()
        for month in months:
            expected = outlets.loc[open_in_month(outlets, month), "outlet_id"]
            ids = sorted(set(expected) | set(rows.loc[rows["month"] == month, "outlet_id"]))
            frame = pd.DataFrame({"source": source, "outlet_id": ids, "month": month})
            frame["rows"] = [int(present.get((outlet, month), 0)) for outlet in ids]
            frame["expected"] = frame["outlet_id"].isin(set(expected))
            frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=COVERAGE_COLUMNS)
    table = pd.concat(frames, ignore_index=True)
    table["missing"] = table["expected"] & (table["rows"] == 0)
    return table[COVERAGE_COLUMNS]


def coverage_summary(table: pd.DataFrame, sources: list[str]) -> pd.DataFrame:
    """One row per source: its months, the months in which no outlet has rows, expected and
    present outlet-months, completeness (present ÷ expected, 0–1) and the outlets expected but
    missing in its last month. Sources without rows are listed with empty figures."""
    records = []
    for source in sources:
        rows = table[table["source"] == source]
        if rows.empty:
            records.append({"source": source, "months_missing": 0, "outlet_months_expected": 0})
            continue
        per_month = rows.groupby("month")["rows"].sum()
        expected = rows[rows["expected"]]
        present = int((expected["rows"] > 0).sum())
        last = max(rows["month"])
        records.append(
            {
                "source": source,
                "first_month": min(rows["month"]),
                "last_month": last,
                "months_missing": int((per_month == 0).sum()),
                "outlet_months_expected": len(expected),
                "outlet_months_present": present,
                "completeness": present / len(expected) if len(expected) else None,
                "outlets_missing_last_month": int(rows.loc[rows["month"] == last, "missing"].sum()),
            }
        )
    return pd.DataFrame(records, columns=SUMMARY_COLUMNS)


def completeness_by_month(table: pd.DataFrame) -> pd.DataFrame:
    """Share (0–1) of the expected outlets that have rows, per source and month, from
    :func:`coverage`'s table. Columns: source, month, present."""
    expected = table[table["expected"]].assign(present=lambda frame: frame["rows"] > 0)
    return expected.groupby(["source", "month"], as_index=False)["present"].mean()


def null_rates(counts: pd.DataFrame) -> pd.DataFrame:
    """Share of empty values per table and column from ``counts`` (table, column, rows, filled):
    adds ``empty`` (rows − filled) and ``empty_rate`` (0–1; NaN for a table without rows)."""
    frame = counts.copy()
    frame["empty"] = frame["rows"] - frame["filled"]
    frame["empty_rate"] = [e / r if r else None for e, r in zip(frame["empty"], frame["rows"])]
    return frame
