"""Synthetic geography of the demo region: city outlines, zones (districts) and the H3 demand grid.

Cities sit at their real seat coordinates with their real census populations
(data/regions/inner_mongolia_cities.csv); urban extents, zone boundaries and the demand grid
are synthetic and stored with ``is_synthetic`` so the app labels them as demo data.

Distances are computed on a local flat projection (km east/north of the city seat), which is
accurate to well under 1 % over a city's extent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import h3
import numpy as np
import pandas as pd
from shapely.geometry import MultiPoint, Point, Polygon, mapping
from shapely.ops import voronoi_diagram

CITIES_CSV = Path(__file__).resolve().parent.parent / "regions" / "inner_mongolia_cities.csv"
# The six largest urban economies of the region, where the demo bank has city branches.
DEMO_CITY_CODES = ("150100", "150200", "150600", "150400", "150500", "150700")
# Share of a prefecture's census population living in the urban core the grid covers.
URBAN_SHARE = {"150100": 0.64, "150200": 0.78, "150600": 0.55, "150400": 0.38, "150500": 0.40, "150700": 0.45}
H3_RESOLUTION = 8  # cells of about 0.74 km²
KM_PER_DEGREE_LAT = 111.32
ZONE_ORDINALS_ZH = ("一", "二", "三", "四", "五", "六")


@dataclass(frozen=True)
class City:
    """A demo city: real seat and census population, synthetic urban radius (km)."""

    code: str
    name_zh: str
    name_en: str
    lon: float
    lat: float
    population: int
    urban_population: float
    radius_km: float
    province_code: str = "15"  # the province the city lies in (15: Inner Mongolia)

    def to_km(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Project WGS84 degrees to km east and north of the city seat."""
        x = (np.asarray(lon) - self.lon) * KM_PER_DEGREE_LAT * np.cos(np.radians(self.lat))
        y = (np.asarray(lat) - self.lat) * KM_PER_DEGREE_LAT
        return x, y

    def to_degrees(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Inverse of :meth:`to_km`."""
        lon = self.lon + np.asarray(x) / (KM_PER_DEGREE_LAT * np.cos(np.radians(self.lat)))
        lat = self.lat + np.asarray(y) / KM_PER_DEGREE_LAT
        return lon, lat


def load_cities() -> list[City]:
    """The demo cities, largest urban population first."""
    table = pd.read_csv(CITIES_CSV, dtype={"code": str}).set_index("code")
    cities = []
    for code in DEMO_CITY_CODES:
        row = table.loc[code]
        urban = float(row.population_2020) * URBAN_SHARE[code]
        # Built-up density of roughly 4,500 residents per km² on a disc: r = sqrt(P / (π·4500)).
        radius = float(np.sqrt(urban / (np.pi * 4500.0)))
        cities.append(
            City(code, row.name_zh, row.name_en, row.seat_lon, row.seat_lat, int(row.population_2020), urban, radius)
        )
    return sorted(cities, key=lambda c: -c.urban_population)


# The demo's real province: Inner Mongolia (内蒙古自治区), its cities in data/regions.
REAL_PROVINCE = ("15", "内蒙古自治区分行", "Inner Mongolia Regional Branch")
MAX_PROVINCES = 9  # the real one and up to eight synthetic ones (codes 91 … 98)
# Invented provinces: two small cities each, on a grid of made-up places south of the real
# province (inside China's bounding box, far from Inner Mongolia's seats); no census behind them.
SYNTHETIC_CITY_POPULATIONS = (900_000, 600_000)
SYNTHETIC_URBAN_SHARE = 0.5
SYNTHETIC_PROVINCE_NAMES = (  # (zh, en) stems; the names say "synthetic" (合成) as well
    ("东川", "Dongchuan"),
    ("南岭", "Nanling"),
    ("西江", "Xijiang"),
    ("北原", "Beiyuan"),
    ("云泽", "Yunze"),
    ("青川", "Qingchuan"),
    ("金川", "Jinchuan"),
    ("海屿", "Haiyu"),
)


@dataclass(frozen=True)
class Province:
    """A province of the demo bank: code, names, its cities' codes and whether it is invented."""

    code: str
    name_zh: str
    name_en: str
    city_codes: tuple[str, ...]
    synthetic: bool


def synthetic_province_code(number: int) -> str:
    """Code of the ``number``-th province (2 … MAX_PROVINCES): "91" … "98" (no real province uses 9x)."""
    return f"9{number - 1}"


def synthetic_cities(provinces: int) -> list[City]:
    """The cities of provinces 2 … ``provinces``: two per province, with made-up seats and
    populations (fixed, so no random draw of the real province's data changes)."""
    if not 1 <= provinces <= MAX_PROVINCES:
        raise ValueError(f"provinces must be between 1 and {MAX_PROVINCES}, got {provinces}")
    cities = []
    for number in range(2, provinces + 1):
        code = synthetic_province_code(number)
        stem_zh, stem_en = SYNTHETIC_PROVINCE_NAMES[number - 2]
        base_lon = 102.0 + 5.0 * ((number - 2) % 4)
        base_lat = 33.0 - 4.0 * ((number - 2) // 4)
        for index, population in enumerate(SYNTHETIC_CITY_POPULATIONS):
            urban = population * SYNTHETIC_URBAN_SHARE
            cities.append(
                City(
                    f"{code}{index + 1:02d}00",
                    f"{stem_zh}{'甲乙'[index]}市",
                    f"{stem_en} {'AB'[index]}",
                    base_lon + 1.5 * index,
                    base_lat + 0.8 * index,
                    population,
                    urban,
                    float(np.sqrt(urban / (np.pi * 4500.0))),
                    code,
                )
            )
    return cities


def demo_provinces(provinces: int) -> list[Province]:
    """The demo's provinces: Inner Mongolia (real city facts), then the synthetic ones."""
    code, name_zh, name_en = REAL_PROVINCE
    result = [Province(code, name_zh, name_en, DEMO_CITY_CODES, False)]
    by_province: dict[str, list[str]] = {}
    for city in synthetic_cities(provinces):
        by_province.setdefault(city.province_code, []).append(city.code)
    for number in range(2, provinces + 1):
        code = synthetic_province_code(number)
        stem_zh, stem_en = SYNTHETIC_PROVINCE_NAMES[number - 2]
        result.append(
            Province(
                code,
                f"{stem_zh}省分行（合成）",
                f"{stem_en} Provincial Branch (synthetic)",
                tuple(by_province[code]),
                True,
            )
        )
    return result


def city_outline_km(city: City, rng: np.random.Generator) -> Polygon:
    """An irregular blob around the seat (km coordinates): a circle with a few radial waves."""
    angles = np.linspace(0.0, 2.0 * np.pi, 97)[:-1]
    radius = np.full_like(angles, city.radius_km * 1.15)
    for harmonic in (2, 3, 5):
        radius *= 1.0 + 0.08 * np.sin(harmonic * angles + rng.uniform(0, 2 * np.pi))
    return Polygon(np.column_stack([radius * np.cos(angles), radius * np.sin(angles)]))


def zone_seeds_km(city: City, rng: np.random.Generator) -> np.ndarray:
    """Seeds of the city's zones (km): one central zone and a ring of outer ones."""
    count = int(np.clip(round(city.radius_km / 3.2), 3, 6))
    angles = np.sort(rng.uniform(0, 2 * np.pi, count - 1))
    ring = 0.6 * city.radius_km
    outer = np.column_stack([ring * np.cos(angles), ring * np.sin(angles)])
    return np.vstack([[0.0, 0.0], outer])


def zone_polygons_km(outline: Polygon, seeds: np.ndarray) -> list[Polygon]:
    """Voronoi cells of the seeds clipped to the outline, in the seeds' order."""
    cells = voronoi_diagram(MultiPoint([tuple(s) for s in seeds]), envelope=outline.buffer(50))
    polygons = []
    for seed in seeds:
        cell = next(g for g in cells.geoms if g.contains(Point(seed)))
        polygons.append(cell.intersection(outline))
    return polygons


def nearest_seed(x: np.ndarray, y: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    """Index of the nearest seed of each point: the Voronoi zone the point lies in."""
    d2 = (np.asarray(x)[:, None] - seeds[:, 0]) ** 2 + (np.asarray(y)[:, None] - seeds[:, 1]) ** 2
    return d2.argmin(axis=1)


def polygon_geojson(city: City, polygon: Polygon) -> str:
    """GeoJSON text of a km-coordinate polygon converted to WGS84 degrees."""
    x, y = np.asarray(polygon.exterior.coords).T
    lon, lat = city.to_degrees(x, y)
    ring = Polygon(np.column_stack([np.round(lon, 5), np.round(lat, 5)]))
    return json.dumps(mapping(ring))


def demand_grid(city: City, outline: Polygon, rng: np.random.Generator) -> pd.DataFrame:
    """H3 cells covering the city outline with residents, households, income and businesses.

    Population density falls off exponentially from the centre and from two or three
    sub-centres; income is higher in one sector and near the centre; businesses concentrate
    where density and centrality are high. Population sums to the city's urban population.
    """
    centre = h3.latlng_to_cell(city.lat, city.lon, H3_RESOLUTION)
    rings = int(np.ceil(city.radius_km * 1.5 / 0.8))
    cells = np.array(sorted(h3.grid_disk(centre, rings)))
    latlng = np.array([h3.cell_to_latlng(c) for c in cells])
    lat, lon = latlng[:, 0], latlng[:, 1]
    x, y = city.to_km(lon, lat)
    inside = np.array([outline.contains(Point(px, py)) for px, py in zip(x, y)])
    cells, lon, lat, x, y = cells[inside], lon[inside], lat[inside], x[inside], y[inside]

    distance = np.hypot(x, y)
    density = np.exp(-distance / (0.45 * city.radius_km))
    for _ in range(rng.integers(2, 4)):
        angle = rng.uniform(0, 2 * np.pi)
        sx, sy = 0.55 * city.radius_km * np.cos(angle), 0.55 * city.radius_km * np.sin(angle)
        density += 0.5 * np.exp(-np.hypot(x - sx, y - sy) / (0.2 * city.radius_km))
    density *= rng.lognormal(0.0, 0.35, len(cells))
    population = density / density.sum() * city.urban_population

    rich_angle = rng.uniform(0, 2 * np.pi)
    sector = np.cos(np.arctan2(y, x) - rich_angle)
    income = np.exp(0.25 * sector - 0.3 * distance / city.radius_km + rng.normal(0, 0.12, len(cells)))
    centrality = np.exp(-distance / (0.3 * city.radius_km))
    businesses = population / 1000.0 * 12.0 * (0.4 + 2.0 * centrality) * rng.lognormal(0, 0.3, len(cells))
    return pd.DataFrame(
        {
            "h3_index": cells,
            "resolution": H3_RESOLUTION,
            "city_code": city.code,
            "lon": lon,
            "lat": lat,
            "x_km": x,
            "y_km": y,
            "population": np.round(population, 1),
            "households": np.round(population / rng.uniform(2.5, 2.8), 1),
            "income_index": income,
            "businesses": np.round(businesses, 1),
        }
    )


def build_geography(rng: np.random.Generator, provinces: int = 1) -> tuple[list[City], pd.DataFrame, pd.DataFrame]:
    """Cities, districts (one city outline plus its zones per city) and the demand grid: the
    real province's cities first, then those of the ``provinces - 1`` synthetic ones.

    Income indices are normalised so that the population-weighted regional mean is 1.0.
    Each district row carries ``seeds`` (km) for zone lookups; it is dropped before loading.
    """
    cities = load_cities() + synthetic_cities(provinces)
    districts, grids = [], []
    next_id = 1
    for city in cities:
        outline = city_outline_km(city, rng)
        seeds = zone_seeds_km(city, rng)
        grid = demand_grid(city, outline, rng)
        zone_of_cell = nearest_seed(grid.x_km.to_numpy(), grid.y_km.to_numpy(), seeds)
        city_district_id = next_id
        districts.append(_district_row(next_id, city, "city", city.code, city.name_zh, city.name_en, outline))
        next_id += 1
        zone_ids = []
        for index, polygon in enumerate(zone_polygons_km(outline, seeds)):
            name_zh = f"{city.name_zh}{ZONE_ORDINALS_ZH[index]}片区"
            name_en = f"{city.name_en} Zone {index + 1}"
            row = _district_row(next_id, city, "district", f"{city.code}-{index + 1}", name_zh, name_en, polygon)
            row["population"] = int(grid.population[zone_of_cell == index].sum())
            districts.append(row)
            zone_ids.append(next_id)
            next_id += 1
        districts[city_district_id - 1]["population"] = int(grid.population.sum())
        grid["district_id"] = np.asarray(zone_ids)[zone_of_cell]
        grids.append(grid)
    grid = pd.concat(grids, ignore_index=True)
    grid["income_index"] = grid.income_index / np.average(grid.income_index, weights=grid.population)
    grid["income_index"] = grid.income_index.round(3)
    return cities, pd.DataFrame(districts), grid


def _district_row(identifier: int, city: City, level: str, code: str, name_zh: str, name_en: str, polygon) -> dict:
    return {
        "id": identifier,
        "code": code,
        "name_zh": name_zh,
        "name_en": name_en,
        "city_code": city.code,
        "level": level,
        "population": None,
        "geometry_geojson": polygon_geojson(city, polygon),
        "is_synthetic": True,
    }
