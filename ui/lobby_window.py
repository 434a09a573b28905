"""The dates the lobby pages (lobby, staffing, the counter effect on channel diversion) show.

The sidebar month applies: the window ends at the end of the selected month (or on the last
day of lobby data in that month) and goes back the chosen number of weeks. A month the lobby
data does not reach gets a message naming the dates the data covers, never an empty chart.
"""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd
import streamlit as st

from ui.i18n import t

PERIOD_WEEKS = (4, 8, 13, 26, 0)  # 0 = all the data up to the end of the selected month
DEFAULT_WEEKS = 8
PEER_CHART_ENDS = 10  # the lobby peer chart shows this many longest and shortest waits


def month_end(month: dt.date) -> dt.date:
    """Last day of the month of ``month``."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def lobby_window(period: dict, month: dt.date | None, weeks: int) -> tuple[dt.date, dt.date] | None:
    """(first day, last day) of lobby data shown for the selected ``month`` and ``weeks``
    (0 = all data up to the month's end); None when the lobby data (``period``: first_day,
    last_day from ``data.queries_lobby.lobby_period``) has no day in or before that month, or ends
    before the month starts."""
    first, last = period["first_day"], period["last_day"]
    if first is None or last is None:
        return None
    if month is None:
        end = last
    else:
        start_of_month, end_of_month = month.replace(day=1), month_end(month)
        if end_of_month < first or start_of_month > last:
            return None
        end = min(end_of_month, last)
    start = first if weeks == 0 else max(first, end - dt.timedelta(days=7 * int(weeks) - 1))
    return start, end


def period_label(weeks: int) -> str:
    """Select-box text of a period choice."""
    return t("lobby_window_all") if weeks == 0 else t("lobby_window_weeks", weeks=weeks)


def window_or_stop(period: dict, weeks: int) -> tuple[dt.date, dt.date]:
    """The window of the sidebar month; when the lobby data does not cover that month, a
    message with the dates it covers, and the page stops."""
    month = st.session_state.get("month")
    window = lobby_window(period, month, weeks)
    if window is None:
        st.warning(
            t(
                "lobby_month_not_covered",
                month=f"{month:%Y-%m}" if month else "",
                first=period["first_day"].isoformat(),
                last=period["last_day"].isoformat(),
            )
        )
        st.stop()
    return window


def top_and_bottom(ranked: pd.DataFrame, ends: int, keep_id: int | None = None) -> tuple[pd.DataFrame, bool]:
    """The first and last ``ends`` rows of ``ranked`` (all rows when there are at most
    2 × ``ends``), plus the row whose ``id`` is ``keep_id`` wherever it ranks; and whether that
    row had to be added. Keeps a chart of a city branch's outlets under ~700 px."""
    if len(ranked) <= 2 * ends:
        return ranked, False
    position = pd.Series(range(len(ranked)), index=ranked.index)
    keep = (position < ends) | (position >= len(ranked) - ends)
    chosen = ranked["id"] == keep_id
    added = bool((chosen & ~keep).any())
    return ranked[keep | chosen], added


# Columns of the lobby pages' CSV downloads: translation key of the header (minutes in the header,
# numbers left as numbers), and the columns whose codes are translated (weekday, day type, type).
CSV_HEADERS = {
    "code": "col_code",
    "label": "col_name",
    "outlet_type": "col_type",
    "weekday": "lobby_axis_weekday",
    "day_type": "lobby_day_type",
    "hour": "lobby_axis_hour",
    "days": "lobby_csv_days",
    "counters": "lobby_col_counters",
    "capacity": "lobby_col_counters",
    "smart_machines": "lobby_col_smart_machines",
    "mean_daily_arrivals": "lobby_col_daily_arrivals",
    "mean_arrivals": "lobby_col_arrivals",
    "mean_counters_open": "lobby_col_counters_open",
    "mean_service_minutes": "lobby_csv_service_minutes",
    "mean_wait_minutes": "lobby_csv_wait_minutes",
    "p95_wait": "lobby_csv_p95_minutes",
    "worst_hour_wait_minutes": "lobby_csv_worst_minutes",
    "share_hours_over_threshold": "lobby_csv_share_over",
    "needed": "staffing_col_needed",
    "planned": "lobby_csv_planned",
    "wait_with_plan": "lobby_csv_wait_plan_minutes",
}
CSV_CODES = {"weekday": "weekday_{}", "day_type": "day_type_{}", "outlet_type": "outlet_type_{}"}


def lobby_csv(frame: pd.DataFrame) -> bytes:
    """A lobby table as CSV for Excel (UTF-8 with BOM): headers in the session language, codes
    (weekday, day type, outlet type) translated, numbers rounded to 3 decimals."""
    out = frame.copy()
    for column, key in CSV_CODES.items():
        if column in out:
            out[column] = [t(key.format(int(v) if column == "weekday" else v)) for v in out[column]]
    out = out.round(3).rename(columns={c: t(k) for c, k in CSV_HEADERS.items() if c in out})
    return out.to_csv(index=False).encode("utf-8-sig")
