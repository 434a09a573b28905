"""pydeck maps over our own geometry: an offline basemap of city and district outlines, layers
of outlets and competitors, a class-based colour scale and its legend."""

from __future__ import annotations

import html
import json
import math
import re
import urllib.parse

import numpy as np
import pandas as pd
import pydeck as pdk

# Sequential ramp from "worse" to "better" (light yellow → dark blue), colour-blind safe.
RAMP = [(255, 255, 204), (161, 218, 180), (65, 182, 196), (44, 127, 184), (37, 52, 148)]
NO_DATA = (189, 189, 189)
COMPETITOR_COLOURS = [(215, 48, 39), (244, 109, 67), (153, 112, 171), (140, 81, 10), (231, 41, 138), (102, 102, 102)]
CITY_FILL = [246, 241, 231, 255]
DISTRICT_FILL = [238, 232, 220, 255]
OUTLINE = [170, 160, 140, 255]
MAP_HEIGHT_PX = 520


def class_breaks(values: pd.Series, classes: int = len(RAMP)) -> list[float]:
    """Quantile class limits of the non-missing values: at most ``classes`` classes, and no more
    classes than distinct values (two outlets get two classes, not five)."""
    clean = values.dropna()
    if clean.empty:
        return []
    classes = min(classes, clean.nunique())
    breaks = np.unique(np.quantile(clean, np.linspace(0, 1, classes + 1)))
    return breaks.tolist()


def class_colours(values: pd.Series, breaks: list[float], higher_is_better: bool) -> list[list[int]]:
    """RGB colour per value by class; the dark end of the ramp is always the better end."""
    ramp = RAMP if higher_is_better else RAMP[::-1]
    n_classes = max(len(breaks) - 1, 1)
    palette = [ramp[round(i * (len(ramp) - 1) / max(n_classes - 1, 1))] for i in range(n_classes)]
    colours = []
    for value in values:
        if value is None or (isinstance(value, float) and math.isnan(value)) or not breaks:
            colours.append(list(NO_DATA))
            continue
        index = int(np.searchsorted(breaks[1:-1], value, side="right"))
        colours.append(list(palette[min(index, n_classes - 1)]))
    return colours


def hex_colour(rgb) -> str:
    """ "#rrggbb" for an (r, g, b) triple."""
    red, green, blue = (int(v) for v in rgb[:3])
    return f"#{red:02x}{green:02x}{blue:02x}"


def legend_html(title: str, entries: list[tuple[str, str]], round_swatch: bool = False) -> str:
    """A compact legend: bold title, then a colour swatch and label per entry."""
    radius = "50%" if round_swatch else "2px"
    swatches = "".join(
        f"<span style='white-space:nowrap;margin-right:12px'><span style='display:inline-block;width:12px;"
        f"height:12px;border-radius:{radius};background:{colour};border:1px solid #999;margin-right:4px;"
        f"vertical-align:middle'></span>{label}</span> "
        for colour, label in entries
    )
    return f"<div style='font-size:0.85rem'><b>{title}</b><br/>{swatches}</div>"


def legend_entries(breaks: list[float], higher_is_better: bool, format_value) -> list[tuple[str, str]]:
    """(hex colour, "from – to") for each class, in the same colours as ``class_colours``."""
    if len(breaks) < 2:
        return []
    lows, highs = breaks[:-1], breaks[1:]
    colours = class_colours(pd.Series(lows, dtype=float), breaks, higher_is_better)
    return [
        (hex_colour(colour), f"{format_value(low)} – {format_value(high)}")
        for colour, low, high in zip(colours, lows, highs)
    ]


DECK_WORLD_PX = 512
# The app's own font, then CJK fonts a bank desktop or our Debian image has. Quoted for pydeck.
LABEL_FONTS = '\'"Source Sans", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif\''
DISTRICT_LABEL_ZOOM = 8.0  # a city fills the map from about this zoom on


def view_for(lons: pd.Series, lats: pd.Series, width_px: int = 900, height_px: int = MAP_HEIGHT_PX) -> pdk.ViewState:
    """A view that fits every point, with a margin.

    deck.gl's Web-Mercator world is 512 px wide at zoom 0 (not the 256 px of map tiles), so a
    span of ``s`` degrees fills ``w`` pixels at zoom log2(w·360 / (512·s)).
    """
    lon_span = max(float(lons.max() - lons.min()), 0.02) * 1.3
    lat_span = max(float(lats.max() - lats.min()), 0.02) * 1.3
    zoom_lon = math.log2(width_px * 360 / (DECK_WORLD_PX * lon_span))
    mid_lat = math.radians(float((lats.max() + lats.min()) / 2))
    zoom_lat = math.log2(height_px * 360 * math.cos(mid_lat) / (DECK_WORLD_PX * lat_span))
    return pdk.ViewState(
        longitude=float((lons.max() + lons.min()) / 2),
        latitude=float((lats.max() + lats.min()) / 2),
        zoom=max(min(zoom_lon, zoom_lat, 15), 3),
        pitch=0,
    )


def basemap_layers(districts: pd.DataFrame, label_column: str, zoom: float) -> list[pdk.Layer]:
    """City outlines, district outlines and their names drawn from our own geometry.

    District names only from ``DISTRICT_LABEL_ZOOM`` on: below it they would pile up.
    """
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(row.geometry_geojson),
            "properties": {"fill": CITY_FILL if row.level == "city" else DISTRICT_FILL},
        }
        for row in districts.itertuples()
    ]
    outline = pdk.Layer(
        "GeoJsonLayer",
        {"type": "FeatureCollection", "features": features},
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=OUTLINE,
        line_width_min_pixels=1,
        pickable=False,
    )
    levels = ("district", "city") if zoom >= DISTRICT_LABEL_ZOOM else ("city",)
    return [outline, *label_layers(districts[districts["level"].isin(levels)], label_column)]


def label_layers(districts: pd.DataFrame, label_column: str) -> list[pdk.Layer]:
    """District names at their centres (small) and city names above their outlines (large)."""
    layers = []
    for level, size, colour, anchor in (
        ("district", 11, [120, 110, 95, 255], "center"),
        ("city", 15, [60, 55, 50, 255], "bottom"),
    ):
        labels = districts[districts["level"] == level].copy()
        if labels.empty:
            continue
        anchors = [_label_anchor(json.loads(text), anchor) for text in labels["geometry_geojson"]]
        labels["lon"] = [a[0] for a in anchors]
        labels["lat"] = [a[1] for a in anchors]
        labels["label"] = labels[label_column]
        layers.append(
            pdk.Layer(
                "TextLayer",
                labels[["lon", "lat", "label"]],
                id=f"labels_{level}",
                get_position=["lon", "lat"],
                get_text="label",
                get_size=size,
                get_color=colour,
                get_alignment_baseline=f"'{anchor}'",
                font_family=LABEL_FONTS,
                # Glyphs from the labels themselves (CJK included). Quoted: pydeck would turn a
                # bare string into a JavaScript expression.
                character_set="'auto'",
                pickable=False,
            )
        )
    return layers


def _label_anchor(geometry: dict, anchor: str) -> tuple[float, float]:
    """Where a label goes: the polygon's centre, or (``bottom``) just above its northernmost point."""
    lon, lat = _polygon_centre(geometry)
    if anchor == "bottom":
        ring = geometry["coordinates"][0] if geometry["type"] == "Polygon" else geometry["coordinates"][0][0]
        lat = float(np.asarray(ring, dtype=float)[:, 1].max())
    return lon, lat


def _polygon_centre(geometry: dict) -> tuple[float, float]:
    """Mean of the outer ring's vertices: good enough to place a label inside a district."""
    ring = geometry["coordinates"][0] if geometry["type"] == "Polygon" else geometry["coordinates"][0][0]
    points = np.asarray(ring, dtype=float)
    return float(points[:, 0].mean()), float(points[:, 1].mean())


def point_layer(frame: pd.DataFrame, layer_id: str, radius_m: float, min_pixels: float) -> pdk.Layer:
    """Scatterplot of rows with lon, lat, colour (RGB list) and a precomputed tooltip."""
    return pdk.Layer(
        "ScatterplotLayer",
        frame,
        id=layer_id,
        get_position=["lon", "lat"],
        get_fill_color="colour",
        get_line_color=[255, 255, 255],
        get_radius=radius_m,
        radius_min_pixels=min_pixels,
        radius_max_pixels=18,
        stroked=True,
        line_width_min_pixels=1,
        pickable=True,
    )


# A MapLibre style with no sources (a plain paper-coloured background under our own geometry),
# passed as a data: URL so that the browser never fetches Streamlit's default Carto basemap and
# the map works on a closed network.
OFFLINE_STYLE_URL = "data:application/json," + urllib.parse.quote(
    json.dumps(
        {
            "version": 8,
            "sources": {},
            "layers": [{"id": "background", "type": "background", "paint": {"background-color": "#f7f5f0"}}],
        }
    )
)


# Streamlit HTML-escapes every value it puts into a tooltip's html template, so markup inside a
# value shows as literal tags ("<b>锦绣分理处</b><br/>…"). The markup is therefore in the template,
# and each picked object carries plain text: a bold title and a body whose lines are kept by
# ``white-space: pre-line``.
TOOLTIP = {
    "html": "<b>{tooltip_title}</b><div>{tooltip_body}</div>",
    "style": {"fontSize": "12px", "whiteSpace": "pre-line", "maxWidth": "320px"},
}
_LINE_BREAK = re.compile(r"<br\s*/?>|\n", re.IGNORECASE)
_BOLD = re.compile(r"^\s*<b>(.*?)</b>\s*$", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[a-z][a-z0-9]*(\s[^<>]*)?/?>", re.IGNORECASE)


def tooltip_parts(tooltip) -> tuple[str, str]:
    """(title, body) in plain text of a tooltip written as "<b>title</b><br/>line<br/>line" (or as
    plain text with newlines): a bold first line is the title, the other lines the body, tags
    removed and entities decoded (Streamlit escapes the text again when it shows it)."""
    if tooltip is None or (isinstance(tooltip, float) and math.isnan(tooltip)):
        return "", ""
    lines = [line for line in _LINE_BREAK.split(str(tooltip)) if line.strip()]
    title = ""
    if lines and (bold := _BOLD.match(lines[0])):
        title, lines = bold.group(1), lines[1:]

    def plain(text: str) -> str:
        return html.unescape(_TAG.sub("", text)).strip()

    return plain(title), "\n".join(plain(line) for line in lines)


def _plain_tooltips(records) -> None:
    """Give every picked object plain-text ``tooltip_title`` and ``tooltip_body`` (from its
    ``tooltip``), so that no placeholder of the template is left unfilled."""
    for record in records:
        if isinstance(record, dict):
            target = record["properties"] if isinstance(record.get("properties"), dict) else record
            if "tooltip" in target or "tooltip_title" not in target:  # a deck built twice keeps its text
                title, body = tooltip_parts(target.pop("tooltip", None))
                target["tooltip_title"], target["tooltip_body"] = title, body


def build_deck(layers: list[pdk.Layer], view: pdk.ViewState, map_style_url: str) -> pdk.Deck:
    """A deck with the given layers; no tiles or other downloads unless a style URL is configured.

    Tooltips: each row's ``tooltip`` ("<b>title</b><br/>line…" or plain text) is rendered as HTML
    from the deck's template (:data:`TOOLTIP`), never shown as literal tags.
    """
    for layer in layers:
        data = getattr(layer, "data", None)
        if not getattr(layer, "pickable", False) or data is None:
            continue
        if isinstance(data, dict) and "features" in data:
            _plain_tooltips(data["features"])
        elif isinstance(data, list):
            _plain_tooltips(data)
    return pdk.Deck(
        layers=layers,
        initial_view_state=view,
        map_provider="carto" if map_style_url else None,
        map_style=map_style_url or OFFLINE_STYLE_URL,
        tooltip=TOOLTIP,
    )


# --------------------------------------------------------------------------- layers of the map and
# site-selection pages: H3 demand cells, rings around a point, a ramp for any value


def value_colours(values: pd.Series, breaks: list[float], ramp: list[tuple[int, int, int]] | None = None) -> list:
    """RGB per value by class on ``ramp`` (default :data:`RAMP`, light = low); NaN gets NO_DATA."""
    palette = ramp or RAMP
    n_classes = max(len(breaks) - 1, 1)
    chosen = [palette[round(i * (len(palette) - 1) / max(n_classes - 1, 1))] for i in range(n_classes)]
    colours = []
    for value in values:
        if value is None or (isinstance(value, float) and math.isnan(value)) or not breaks:
            colours.append(list(NO_DATA))
            continue
        index = int(np.searchsorted(breaks[1:-1], value, side="right"))
        colours.append(list(chosen[min(index, n_classes - 1)]))
    return colours


def hexagon_layer(frame: pd.DataFrame, layer_id: str, opacity: float = 0.55, pickable: bool = True) -> pdk.Layer:
    """H3 cells (column ``h3_index``) filled with ``colour`` (RGB list), with a precomputed
    ``tooltip``; drawn flat under the outlet layers."""
    return pdk.Layer(
        "H3HexagonLayer",
        frame,
        id=layer_id,
        get_hexagon="h3_index",
        get_fill_color="colour",
        filled=True,
        stroked=False,
        extruded=False,
        opacity=opacity,
        pickable=pickable,
    )


def circle_ring(lon: float, lat: float, radius_km: float, vertices: int = 72) -> list[list[float]]:
    """A closed ring of (lon, lat) degrees at ``radius_km`` around a point (spherical offsets)."""
    angular = radius_km / 6371.0088
    bearings = np.linspace(0, 2 * math.pi, vertices + 1)
    phi, lam = math.radians(lat), math.radians(lon)
    lat2 = np.arcsin(math.sin(phi) * np.cos(angular) + math.cos(phi) * np.sin(angular) * np.cos(bearings))
    lon2 = lam + np.arctan2(
        np.sin(bearings) * np.sin(angular) * math.cos(phi), np.cos(angular) - math.sin(phi) * np.sin(lat2)
    )
    return np.column_stack([np.degrees(lon2), np.degrees(lat2)]).tolist()


def ring_layer(lon: float, lat: float, radii_km: list[float], labels: list[str], layer_id: str = "rings") -> pdk.Layer:
    """Outlined circles of the given radii around a point (no fill), with a tooltip per ring."""
    frame = pd.DataFrame(
        {"path": [circle_ring(lon, lat, r) for r in radii_km], "tooltip": labels, "radius_km": radii_km}
    )
    return pdk.Layer(
        "PathLayer",
        frame,
        id=layer_id,
        get_path="path",
        get_color=[60, 60, 60, 200],
        width_min_pixels=1.5,
        pickable=True,
    )
