"""The event table on the map: ``locate(events)`` -> GeoDataFrame, region polygons, file exports.

Example::

    >>> gdf = locate(events)                         # doctest: +SKIP
    >>> gdf.crs.to_epsg(), gdf.geometry.geom_type.unique().tolist()   # doctest: +SKIP
    (4326, ['Point'])
    >>> regions = region_shapes(gdf)                 # polygons of the country/admin-1 events  # doctest: +SKIP
    >>> to_geojson(gdf, "events.geojson")            # doctest: +SKIP
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point, shape

from geo.gazetteer import DATA_DIR, LEVEL_PRECISION, Gazetteer

CRS = "EPSG:4326"
REGION_LEVELS = ("country", "admin1")


def locate(events: pd.DataFrame, gazetteer: Gazetteer | None = None) -> gpd.GeoDataFrame:
    """The events as a GeoDataFrame (EPSG:4326) with every input column plus ``geometry`` (a Point at
    ``longitude``/``latitude``; empty for events without a place).

    Rows with a ``geonameid`` but no coordinates get them (and level/precision) from the gazetteer.
    A country or admin-1 event is still a Point (the label point): check ``geo_precision`` (1 point,
    2 part of a region, 3 admin-1, 4 country) and draw :func:`region_shapes` for the area.
    """
    if not isinstance(events, pd.DataFrame):
        raise TypeError(f"locate() needs a pandas DataFrame of events, got {type(events).__name__}")
    df = events.copy()
    for col in ("latitude", "longitude", "geonameid", "geo_precision", "geo_level"):
        if col not in df.columns:
            df[col] = None
    missing = df["latitude"].isna() & df["geonameid"].notna() & (df["geonameid"].astype(str) != "")
    if missing.any():
        gaz = gazetteer or Gazetteer.default()
        for idx in df.index[missing]:
            place = gaz.get(str(df.at[idx, "geonameid"]))
            if place is None:
                continue
            df.at[idx, "latitude"], df.at[idx, "longitude"] = place.latitude, place.longitude
            if pd.isna(df.at[idx, "geo_level"]) or df.at[idx, "geo_level"] in ("", None):
                df.at[idx, "geo_level"] = place.level
                df.at[idx, "geo_precision"] = LEVEL_PRECISION[place.level]
    lat = pd.to_numeric(df["latitude"], errors="coerce")
    lon = pd.to_numeric(df["longitude"], errors="coerce")
    geometry = [Point(x, y) if pd.notna(x) and pd.notna(y) else None for x, y in zip(lon, lat)]
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geometry, index=df.index, crs=CRS), crs=CRS)


@lru_cache(maxsize=1)
def _shapes() -> dict[str, dict]:
    out = {}
    for fname, level in (("ne_admin0_50m.geojson", "country"), ("ne_admin1_50m.geojson", "admin1")):
        for f in json.loads((DATA_DIR / fname).read_text(encoding="utf-8"))["features"]:
            out[f["properties"]["geonameid"]] = {"level": level, "name": f["properties"]["name"],
                                                 "geometry": f["geometry"]}
    return out


def region_shapes(gdf: pd.DataFrame) -> gpd.GeoDataFrame:
    """Polygons (Natural Earth 50m, simplified) of the country and admin-1 places in ``gdf``, one row
    per place: columns ``geonameid``, ``name``, ``geo_level``, ``event_count``, ``geometry``
    (EPSG:4326), sorted by geonameid. Admin-1 regions outside Natural Earth's 50m set (most
    countries' provinces) have no row: draw an area around their label point instead.
    """
    columns = ["geonameid", "name", "geo_level", "event_count", "geometry"]
    if "geonameid" not in gdf.columns or "geo_level" not in gdf.columns:
        return gpd.GeoDataFrame(columns=columns, geometry="geometry", crs=CRS)
    regions = gdf[gdf["geo_level"].isin(REGION_LEVELS) & gdf["geonameid"].notna()]
    counts = regions.groupby(regions["geonameid"].astype(str)).size()
    shapes = _shapes()
    rows = [{"geonameid": gid, "name": shapes[gid]["name"], "geo_level": shapes[gid]["level"],
             "event_count": int(n), "geometry": shape(shapes[gid]["geometry"])}
            for gid, n in sorted(counts.items()) if gid in shapes]
    return gpd.GeoDataFrame(rows, columns=columns, geometry="geometry", crs=CRS)


def _plain(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Copy with object columns that files cannot hold (lists, dicts) as JSON strings, rows in a stable order."""
    out = gdf.copy()
    for col in out.columns:
        if col != out.geometry.name and out[col].dtype == object:
            out[col] = [json.dumps(v, sort_keys=True) if isinstance(v, (list, dict)) else v for v in out[col]]
    if "event_id" in out.columns:
        out = out.sort_values("event_id", kind="stable")
    return out


def to_geojson(gdf: gpd.GeoDataFrame, path: str | Path, metadata: dict | None = None) -> Path:
    """Write a GeoJSON FeatureCollection (deterministic: sorted rows and keys, no timestamps);
    ``metadata`` (e.g. the generator and model) goes in a top-level ``metadata`` member."""
    path = Path(path)
    data = json.loads(_plain(gdf).to_json(drop_id=True, na="null"))
    if metadata:
        data["metadata"] = metadata
    path.write_text(json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def to_geopackage(gdf: gpd.GeoDataFrame, path: str | Path, layer: str = "events") -> Path:
    """Write a GeoPackage layer (overwrites the file)."""
    path = Path(path)
    path.unlink(missing_ok=True)
    _plain(gdf).to_file(path, layer=layer, driver="GPKG")
    return path


def to_geoparquet(gdf: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write GeoParquet."""
    path = Path(path)
    _plain(gdf).to_parquet(path, index=False)
    return path
