"""Tables and maps of the outlet registry page: the outlet list, one outlet's master data, its
timeline in words, a map of where it is and was, and the click-to-pick layer for coordinates."""

from __future__ import annotations

import pandas as pd
import pydeck as pdk

from data.registry import NUMBER_FIELDS
from ui import maps
from ui.format import MISSING, format_count, format_money
from ui.i18n import t

CURRENT_COLOUR = [31, 119, 180]
FORMER_COLOUR = [150, 150, 150]
NEIGHBOUR_COLOUR = [120, 160, 200]
NEIGHBOURHOOD_ZOOM = 13  # about 5 km across the small map: the outlet among its neighbours
PICK_COLOUR = [255, 190, 60, 90]
MONEY_FIELDS = ("build_cost_rmb", "monthly_rent_rmb", "monthly_running_cost_rmb")


def _number(field: str, value, lang: str) -> str:
    if value is None or pd.isna(value):
        return MISSING
    if field in MONEY_FIELDS:
        return format_money(value, lang)
    if NUMBER_FIELDS[field][0]:
        return format_count(value, lang)
    return f"{value:,.1f}"


def registry_table(outlets: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The outlet list as shown and exported: code, name, type, status, parent, district,
    opening date, counters, staff, floor area, build cost and monthly cost (RMB)."""
    return pd.DataFrame(
        {
            t("col_code"): outlets["code"],
            t("col_name"): outlets[f"name_{lang}"],
            t("col_type"): outlets["outlet_type"].map(lambda v: t(f"outlet_type_{v}")),
            t("col_status"): outlets["status"].map(lambda v: t(f"status_{v}")),
            t("col_parent"): outlets[f"parent_name_{lang}"],
            t("reg_field_district_id"): outlets[f"district_name_{lang}"].fillna(MISSING),
            t("reg_field_opened_on"): outlets["opened_on"].map(lambda v: str(v) if v else MISSING),
            t("reg_counters"): outlets["cash_counters"].fillna(0) + outlets["non_cash_counters"].fillna(0),
            t("reg_field_staff_count"): outlets["staff_count"],
            t("reg_field_floor_area_m2"): outlets["floor_area_m2"],
            t("reg_field_build_cost_rmb"): outlets["build_cost_rmb"],
            t("reg_monthly_cost"): outlets["monthly_rent_rmb"].fillna(0)
            + outlets["monthly_running_cost_rmb"].fillna(0),
        }
    )


def master_data_table(record: dict, lang: str) -> pd.DataFrame:
    """One outlet's master data as (field, value) rows, formatted for reading."""
    rows = [
        ("code", record["code"]),
        ("name_zh", record["name_zh"]),
        ("name_en", record["name_en"]),
        ("outlet_type", t(f"outlet_type_{record['outlet_type']}")),
        ("parent_id", f"{record['parent_code']} · {record[f'parent_name_{lang}']}"),
        ("district_id", record[f"district_name_{lang}"] or MISSING),
        ("address_zh", record["address_zh"] or MISSING),
        ("address_en", record["address_en"] or MISSING),
        ("lon", f"{record['lon']:.6f}" if record["lon"] is not None else MISSING),
        ("lat", f"{record['lat']:.6f}" if record["lat"] is not None else MISSING),
        ("opened_on", str(record["opened_on"] or MISSING)),
        ("closed_on", str(record["closed_on"] or MISSING)),
    ]
    rows += [(field, _number(field, record[field], lang)) for field in NUMBER_FIELDS]
    rows.append(("staff_by_role", staff_text(record["staff_by_role"], lang)))
    return pd.DataFrame(
        {t("reg_col_field"): [t(f"reg_field_{field}") for field, _ in rows], t("reg_col_value"): [v for _, v in rows]}
    )


def staff_text(staff_by_role: dict[str, int], lang: str) -> str:
    """ "Teller 4, lobby manager 1" from the staff table's counts by role."""
    if not staff_by_role:
        return MISSING
    return ", ".join(f"{role.replace('_', ' ')} {format_count(n, lang)}" for role, n in sorted(staff_by_role.items()))


def _describe(event: pd.Series, lang: str) -> str:
    """What an event changed, in words (from its detail)."""
    detail = event["detail"] or {}
    kind = event["event_type"]
    if kind == "relocated":
        return t(
            "reg_event_moved",
            old=f"{detail.get('old_lon', 0):.5f}, {detail.get('old_lat', 0):.5f}",
            new=f"{detail.get('new_lon', 0):.5f}, {detail.get('new_lat', 0):.5f}",
        )
    if kind == "renovated":
        return t(
            "reg_event_refit",
            cost=format_money(detail.get("cost_rmb"), lang),
            days=format_count(detail.get("closed_days", 0), lang),
        )
    if kind in ("merged", "closed") and event["related_code"]:
        return t(
            "reg_event_rolled",
            receiver=f"{event['related_code']} · {event[f'related_name_{lang}']}",
            customers=format_count(detail.get("customers", 0), lang),
            staff=format_count(detail.get("staff", 0), lang),
        )
    if kind == "edited":
        return "; ".join(
            f"{t('reg_field_' + field)}: {MISSING if old is None else old} → {MISSING if new is None else new}"
            for field, (old, new) in detail.items()
        )
    return ""


def event_summary(events: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The change log as shown and exported: date, event, outlet, what changed, reason, by."""
    return pd.DataFrame(
        {
            t("reg_col_date"): events["event_date"].map(str),
            t("reg_col_event"): events["event_type"].map(lambda v: t(f"reg_event_{v}")),
            t("col_outlet"): events["code"] + " · " + events[f"name_{lang}"],
            t("reg_col_change"): [_describe(row, lang) for _, row in events.iterrows()],
            t("reg_col_reason"): events["reason"].fillna(""),
            t("reg_col_by"): events["recorded_by"].fillna(MISSING),
        }
    )


def outlet_map(
    record: dict,
    timeline: pd.DataFrame,
    neighbours: pd.DataFrame,
    districts: pd.DataFrame,
    lang: str,
    map_style_url: str,
) -> pdk.Deck | None:
    """Where the outlet is (blue) and was before each relocation (grey, joined by a line), over
    its city's district outlines, with our other open outlets (``neighbours``) as small dots."""
    if record["lon"] is None or record["lat"] is None:
        return None
    points = [
        {
            "lon": record["lon"],
            "lat": record["lat"],
            "colour": CURRENT_COLOUR,
            "tooltip": f"<b>{record[f'name_{lang}']}</b><br/>{t('reg_map_now')}",
        }
    ]
    lines = []
    moves = timeline[(timeline["event_type"] == "relocated") & (timeline["unit_id"] == record["id"])]
    for _, move in moves.iterrows():
        detail = move["detail"] or {}
        old = (detail.get("old_lon"), detail.get("old_lat"))
        if None in old:
            continue
        points.append(
            {
                "lon": old[0],
                "lat": old[1],
                "colour": FORMER_COLOUR,
                "tooltip": f"{t('reg_map_before')} {move['event_date']}",
            }
        )
        lines.append({"path": [list(old), [detail["new_lon"], detail["new_lat"]]]})
    frame = pd.DataFrame(points)
    view = maps.view_for(frame["lon"], frame["lat"], height_px=360)
    view.zoom = min(view.zoom, NEIGHBOURHOOD_ZOOM)
    layers = maps.basemap_layers(districts, f"name_{lang}", view.zoom) if not districts.empty else []
    others = neighbours[(neighbours["id"] != record["id"]) & neighbours["lon"].notna()]
    if not others.empty:
        others = others.assign(
            colour=[NEIGHBOUR_COLOUR] * len(others),
            tooltip=[f"{code} · {name}" for code, name in zip(others["code"], others[f"name_{lang}"])],
        )
        layers.append(maps.point_layer(others[["lon", "lat", "colour", "tooltip"]], "others", 40, 3))
    if lines:
        layers.append(
            pdk.Layer(
                "PathLayer",
                pd.DataFrame(lines),
                id="moves",
                get_path="path",
                get_color=FORMER_COLOUR,
                width_min_pixels=2,
            )
        )
    layers.append(maps.point_layer(frame, "outlet", radius_m=60, min_pixels=7))
    return maps.build_deck(layers, view, map_style_url)


def pick_layer(cells: pd.DataFrame) -> pdk.Layer:
    """The demand grid's H3 cells as faint hexagons a user clicks to take the cell's centre as
    an outlet's coordinates (``h3_index``, ``lon``, ``lat`` columns)."""
    cells = cells.assign(tooltip=[f"{lon:.5f}, {lat:.5f}" for lon, lat in zip(cells["lon"], cells["lat"])])
    return pdk.Layer(
        "H3HexagonLayer",
        cells[["h3_index", "lon", "lat", "tooltip"]],
        id="pick_cells",
        get_hexagon="h3_index",
        get_fill_color=PICK_COLOUR,
        get_line_color=[200, 150, 40],
        line_width_min_pixels=0.5,
        stroked=True,
        filled=True,
        extruded=False,
        pickable=True,
        auto_highlight=True,
    )


def picked_point(selection) -> tuple[float, float] | None:
    """The (lon, lat) of the cell clicked on the pick map, from st.pydeck_chart's selection
    state ({"selection": {"objects": {"pick_cells": [{...}]}}}); None when nothing is picked."""
    try:
        objects = selection["selection"]["objects"].get("pick_cells") or []
    except (KeyError, TypeError, AttributeError):
        return None
    if not objects:
        return None
    cell = objects[0]
    try:
        return round(float(cell["lon"]), 6), round(float(cell["lat"]), 6)
    except (KeyError, TypeError, ValueError):
        return None
