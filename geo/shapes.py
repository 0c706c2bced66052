"""Map shapes: country outlines and admin-1 regions, derived from Natural Earth (public domain).

``python -m geo.shapes build NE_DIR`` writes two compact GeoJSON files to ``data/gazetteer/map/``:

- ``countries.geojson``: admin-0 countries (1:50m), simplified to ~2 km, with ``iso_a2`` and ``name``.
- ``admin1.geojson``: one region per admin-1 unit (``adm1_code``, ``name``, ``iso_a2``, ``approx``).
  Natural Earth ships 1:50m province polygons only for the US, Brazil, Canada and Australia; every
  other province is *approximated* (``approx: true``) by the part of its country nearer to the
  province's label points than to any other province's (a Voronoi cell of the 1:10m admin-1 label
  points, clipped to the country). The map says so in its legend and popups.

At run time :func:`countries` and :func:`admin1_regions` read those files (GeoDataFrames, EPSG:4326):
this module is the one reader of region shapes, for the map (:mod:`geo.map_payload`) and for
:func:`geo.frame.region_shapes`; :func:`containing` finds the shape that holds each point.

Example::

    >>> regions = admin1_regions()                          # doctest: +SKIP
    >>> regions.loc[regions.name == "Ninawa", "approx"].item()  # doctest: +SKIP
    True
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPoint

MAP_DIR = Path(__file__).resolve().parents[1] / "data" / "gazetteer" / "map"
COUNTRIES_FILE = MAP_DIR / "countries.geojson"
ADMIN1_FILE = MAP_DIR / "admin1.geojson"
SIMPLIFY_DEGREES = 0.02
"""Douglas-Peucker tolerance in degrees for provinces (~2 km): invisible at province zoom."""
COUNTRY_SIMPLIFY_DEGREES = 0.06
"""Tolerance for country outlines (~6 km): the base map of every page, drawn at world zoom, so
fewer vertices make each page load faster."""
DECIMALS = 3


class MissingShapesError(FileNotFoundError):
    """The derived map shapes are not in ``data/gazetteer/map``."""


def _read(path: Path) -> gpd.GeoDataFrame:
    if not path.is_file():
        raise MissingShapesError(f"map shapes {path} are missing: run `python -m geo.shapes build "
                                 f"../shared/gazetteer/natural-earth`")
    raw = json.loads(path.read_text(encoding="utf-8"))["features"]
    return gpd.GeoDataFrame([{**f["properties"], "geometry": shapely.geometry.shape(f["geometry"])} for f in raw],
                            crs="EPSG:4326")


@lru_cache(maxsize=1)
def countries() -> gpd.GeoDataFrame:
    """Country outlines: columns ``iso_a2``, ``name``, ``geometry`` (EPSG:4326)."""
    return _read(COUNTRIES_FILE)


@lru_cache(maxsize=1)
def admin1_regions() -> gpd.GeoDataFrame:
    """Admin-1 regions: ``adm1_code``, ``name``, ``iso_a2``, ``approx`` (bool), ``geometry``."""
    return _read(ADMIN1_FILE)


def containing(shapes: gpd.GeoDataFrame, lat, lon) -> np.ndarray:
    """Row position in ``shapes`` of the shape holding each point (degrees), -1 if none; a point on
    a shared border gets the first shape (lowest position), so the answer is deterministic.

    >>> containing(countries(), [33.3], [44.4]).tolist() == [countries().index[countries().iso_a2 == "IQ"][0]]  # doctest: +SKIP
    True
    """
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    result = np.full(len(lat), -1, dtype=int)
    ok = ~(np.isnan(lat) | np.isnan(lon))
    if not ok.any():
        return result
    # events repeat places: look each distinct point up once
    where, inverse = np.unique(np.column_stack([lon[ok], lat[ok]]), axis=0, return_inverse=True)
    tree = shapely.STRtree(shapes.geometry.to_numpy())
    point_idx, shape_idx = tree.query(shapely.points(where), predicate="within")
    found = np.full(len(where), -1, dtype=int)
    order = np.lexsort((shape_idx, point_idx))
    point_idx, shape_idx = point_idx[order], shape_idx[order]
    first = np.r_[True, point_idx[1:] != point_idx[:-1]]
    found[point_idx[first]] = shape_idx[first]
    result[np.flatnonzero(ok)] = found[inverse.reshape(-1)]
    return result


def _iso_a2(props: dict) -> str | None:
    for key in ("ISO_A2", "ISO_A2_EH", "WB_A2"):
        value = props.get(key)
        if isinstance(value, str) and len(value) == 2 and value.isalpha():
            return value
    return None


def _round(geom):
    return shapely.set_precision(geom, 10 ** -DECIMALS)


def _write(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Compact, deterministic GeoJSON (sorted rows, rounded coordinates)."""
    features = []
    for row in frame.itertuples(index=False):
        props = {k: getattr(row, k) for k in frame.columns if k != "geometry"}
        features.append({"type": "Feature", "properties": props,
                         "geometry": json.loads(shapely.to_geojson(row.geometry, indent=None))})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                               separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")


def build(ne_dir: Path, out_dir: Path = MAP_DIR) -> None:
    """Derive ``countries.geojson`` and ``admin1.geojson`` from the Natural Earth files in ``ne_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    raw = json.loads((ne_dir / "ne_50m_admin_0_countries.json").read_text(encoding="utf-8"))
    rows = [{"iso_a2": _iso_a2(f["properties"]), "name": f["properties"]["NAME"],
             "adm0_a3": f["properties"]["ADM0_A3"], "geometry": shapely.geometry.shape(f["geometry"])}
            for f in raw["features"]]
    world = gpd.GeoDataFrame(rows, crs="EPSG:4326").sort_values("adm0_a3", ignore_index=True)
    full_world = world.copy()
    world["geometry"] = _round(world.geometry.simplify(COUNTRY_SIMPLIFY_DEGREES, preserve_topology=True).buffer(0))
    world = world[~world.geometry.is_empty]
    _write(world[["iso_a2", "name", "geometry"]], out_dir / "countries.geojson")

    exact = gpd.read_file(ne_dir / "ne_50m_admin_1_states_provinces.json")
    exact = gpd.GeoDataFrame({"adm1_code": exact.adm1_code, "name": exact.name, "iso_a2": exact.iso_a2,
                              "approx": False, "geometry": exact.geometry}, crs="EPSG:4326")
    exact_countries = set(exact.iso_a2)
    points = gpd.read_file(ne_dir / "ne_10m_admin_1_label_points.json")
    points = points[(points.featurecla != "Admin-1 aggregation") & ~points.iso_a2.isin(exact_countries)]
    cells = []
    by_a3 = full_world.set_index("adm0_a3").geometry
    for a3, group in points.groupby("sr_adm0_a3", sort=True):
        outline = by_a3.get(a3)
        if outline is None:
            continue
        codes = group.adm1_code.to_numpy()
        if len(set(codes)) == 1:
            parts = {codes[0]: outline}
        else:
            coords = np.column_stack([group.geometry.x, group.geometry.y])
            voronoi = shapely.voronoi_polygons(MultiPoint(coords), extend_to=outline.envelope.buffer(1))
            # voronoi_polygons returns cells in arbitrary order: match each to the point it contains
            cell_list = list(voronoi.geoms)
            tree = shapely.STRtree(cell_list)
            parts = {}
            for code, point in zip(codes, group.geometry):
                hits = tree.query(point, predicate="intersects")
                if len(hits):
                    parts.setdefault(code, []).append(cell_list[hits[0]])
            parts = {code: shapely.union_all(geoms).intersection(outline) for code, geoms in parts.items()}
        first = group.drop_duplicates("adm1_code").set_index("adm1_code")
        for code, geom in sorted(parts.items()):
            if geom.is_empty:
                continue
            name = first.at[code, "name"]
            cells.append({"adm1_code": code, "name": name if isinstance(name, str) and name else code, "iso_a2": first.at[code, "iso_a2"],
                          "approx": True, "geometry": geom})
    approx = gpd.GeoDataFrame(cells, crs="EPSG:4326")
    regions = gpd.GeoDataFrame(
        pd.concat([exact, approx], ignore_index=True), crs="EPSG:4326"
    ).sort_values("adm1_code", ignore_index=True)
    regions["geometry"] = _round(regions.geometry.simplify(SIMPLIFY_DEGREES, preserve_topology=True).buffer(0))
    regions = regions[~regions.geometry.is_empty]
    _write(regions[["adm1_code", "name", "iso_a2", "approx", "geometry"]], out_dir / "admin1.geojson")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "build":
        print("usage: python -m geo.shapes build NATURAL_EARTH_DIR", file=sys.stderr)
        return 2
    build(Path(args[1]))
    for path in (COUNTRIES_FILE, ADMIN1_FILE):
        print(f"shapes: {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
