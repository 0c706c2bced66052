"""The map's data: located events as compact columns, the shapes that show their precision.

:func:`map_payload` turns a located event table (a GeoDataFrame from :func:`geo.locate`, or any
frame with ``latitude``/``longitude``) into one JSON-able dict that the page decodes once:

- ``events``: columns (lists), one entry per located event shown, in timeline order. ``kind`` says
  how the event is drawn: ``0`` a point (town or exact place), ``1`` a point near a place (district),
  ``2`` an admin-1 region, ``3`` a country, ``4`` a shaded circle (a region with no shape on file).
  ``shape`` indexes ``regions`` (kind 2) or ``countries`` (kind 3); ``province`` indexes ``regions``
  for the count-per-province layer (-1: outside every province).
- ``regions`` / ``countries``: ``[name, iso_a2, approx, geometry, label_lat, label_lon]``; regions
  only those used, countries all of them (they are the offline base map).
- ``strings``: one table of distinct strings; text fields are indexes into it.

Days count from 1970-01-01, ``day_end`` exclusive (as in :mod:`timeline.view`).

Example::

    >>> data = map_payload(gdf)                               # doctest: +SKIP
    >>> len(data["events"]["id"]), data["hidden"]["unlocated"]  # doctest: +SKIP
    (12, 3)
"""

from __future__ import annotations

import base64
import json
import math
import zlib
from collections import Counter
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.plugins.icons import glyph
from geo.shapes import admin1_regions, countries
from timeline.escaping import safe_url
from timeline.taxonomy import EVENT_STYLE, UNKNOWN_STYLE, style_of
from timeline.view import UNKNOWN_LANE, event_frame, format_published, timeline_rows

POINT, NEAR, REGION, COUNTRY, AREA = range(5)
AREA_RADIUS_M = {3: 60_000, 4: 250_000}
"""Radius in metres of the shaded circle drawn for an admin-1 (3) or country-level (4) event whose
shape is not on file: about the size of a typical province or a small country."""
LEVEL_WORDS = {1: "town or exact place", 2: "near a place (district level)", 3: "province (admin-1)",
               4: "country"}
LEVEL_PRECISION = {"point": 1, "admin2": 2, "admin1": 3, "country": 4, "region": 4}
DECIMALS = 4
"""Coordinates are rounded to 4 decimals (about 11 m)."""


class _Strings:
    """A table of distinct strings; index 0 is the empty string."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {"": 0}

    def __call__(self, text: str) -> int:
        return self.index.setdefault(text, len(self.index))


def lane_style(lane: str) -> dict[str, str]:
    """Colour and icon of a lane (the timeline's lanes: event type or extension kind)."""
    style = style_of(lane if lane != UNKNOWN_LANE else "", lane)
    return style if style.get("color", "").startswith("#") else UNKNOWN_STYLE


def _lane_order(lane: str) -> tuple:
    order = list(EVENT_STYLE)
    return (order.index(lane) if lane in order else len(order), lane == UNKNOWN_LANE, lane)


def _points(gdf: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(lat, lon) arrays; NaN where the event has no place."""
    geometry = gdf.geometry if isinstance(gdf, gpd.GeoDataFrame) and gdf.geometry.name in gdf else None
    if geometry is not None:
        if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
            geometry = geometry.to_crs("EPSG:4326")
        empty = geometry.isna() | geometry.is_empty
        if not (geometry[~empty].geom_type == "Point").all():
            raise ValueError("event_map: the GeoDataFrame's geometry must be Points (one place per event)")
        lon = np.where(empty, np.nan, shapely.get_x(geometry.where(~empty, None).to_numpy()))
        lat = np.where(empty, np.nan, shapely.get_y(geometry.where(~empty, None).to_numpy()))
        return lat.astype(float), lon.astype(float)
    if {"latitude", "longitude"} <= set(gdf.columns):
        return (pd.to_numeric(gdf["latitude"], errors="coerce").to_numpy(float),
                pd.to_numeric(gdf["longitude"], errors="coerce").to_numpy(float))
    raise ValueError("event_map needs a GeoDataFrame with Point geometry (geo.locate) or latitude/longitude columns")


def _precision(row: dict) -> int:
    try:
        value = int(float(row["geo_precision"]))
    except ValueError:
        value = LEVEL_PRECISION.get(row["geo_level"], 1)
    return min(max(value, 1), 4)


def _contains(shapes: gpd.GeoDataFrame, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Index (row position in ``shapes``) of the shape holding each point, -1 if none."""
    result = np.full(len(lat), -1, dtype=int)
    ok = ~(np.isnan(lat) | np.isnan(lon))
    if not ok.any():
        return result
    points = shapely.points(lon[ok], lat[ok])
    tree = shapely.STRtree(shapes.geometry.to_numpy())
    point_idx, shape_idx = tree.query(points, predicate="within")
    found = np.full(len(points), -1, dtype=int)
    # a point on a shared border falls in two shapes: keep the first (lowest index), deterministic
    order = np.lexsort((shape_idx, point_idx))
    point_idx, shape_idx = point_idx[order], shape_idx[order]
    first = np.r_[True, point_idx[1:] != point_idx[:-1]]
    found[point_idx[first]] = shape_idx[first]
    result[np.flatnonzero(ok)] = found
    return result


def _shape_row(name: str, iso: str, approx: bool, geom) -> list:
    label = geom.representative_point() if not geom.is_empty else None
    return [name if isinstance(name, str) else "", iso if isinstance(iso, str) else "", bool(approx), json.loads(shapely.to_geojson(geom)),
            round(label.y, 3) if label else None, round(label.x, 3) if label else None]


def map_payload(gdf: pd.DataFrame, *, show_modalities: Iterable[str] = ("asserted",)) -> dict:
    """The map's data (see the module docstring)."""
    shown = set(show_modalities)
    lat_all, lon_all = _points(gdf)
    shapes = [c for c in gdf.columns if isinstance(gdf[c].dtype, gpd.array.GeometryDtype)]
    frame = pd.DataFrame(gdf.drop(columns=shapes))
    for column in ("date_start", "date_end"):
        # GeoJSON / GeoPackage readers turn ISO dates into datetimes: back to ISO text
        if column in frame.columns and pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].dt.strftime("%Y-%m-%d").astype(object).where(frame[column].notna(), "")
    frame = event_frame(frame)
    frame["_lat"], frame["_lon"] = lat_all, lon_all
    rows = timeline_rows(frame)
    located = [r for r in rows if not (math.isnan(r["_lat"]) or math.isnan(r["_lon"]))]
    hidden_modality = Counter(r["modality"] for r in located if r["modality"] not in shown)
    rows_shown = [r for r in located if r["modality"] in shown]

    lat = np.array([r["_lat"] for r in rows_shown], dtype=float)
    lon = np.array([r["_lon"] for r in rows_shown], dtype=float)
    precision = np.array([_precision(r) for r in rows_shown], dtype=int)
    regions, world = admin1_regions(), countries()
    province = _contains(regions, lat, lon)
    country_at = _contains(world, lat, lon)
    iso_index = {iso: i for i, iso in enumerate(world.iso_a2) if isinstance(iso, str)}

    strings = _Strings()
    region_index: dict[int, int] = {}
    region_rows: list[list] = []

    def region_slot(i: int) -> int:
        if i not in region_index:
            region_index[i] = len(region_rows)
            row = regions.iloc[i]
            region_rows.append(_shape_row(row["name"], row["iso_a2"], row["approx"], row.geometry))
        return region_index[i]

    lanes = sorted({r["lane"] for r in rows_shown}, key=_lane_order)
    lane_index = {lane: i for i, lane in enumerate(lanes)}
    articles: dict[tuple, int] = {}
    columns: dict[str, list] = {key: [] for key in (
        "id", "lane", "kind", "lat", "lon", "shape", "province", "precision", "day", "day_end", "date", "date_text",
        "place", "place_text", "level", "admin1", "country", "actor1", "actor2", "trigger", "sub_event_type",
        "event_type", "modality", "sentence", "sources", "source_count")}
    for k, row in enumerate(rows_shown):
        p = int(precision[k])
        kind, shape = (POINT if p == 1 else NEAR), -1
        if p == 3:
            if province[k] >= 0:
                kind, shape = REGION, region_slot(int(province[k]))
            else:
                kind = AREA
        elif p == 4:
            where = iso_index.get(row["country"].upper(), country_at[k])
            kind, shape = (COUNTRY, int(where)) if where >= 0 else (AREA, -1)
        flat_sources = []
        for source in row["parsed_sources"]:
            key = (source["article_id"], source["outlet"], format_published(source["published"]),
                   safe_url(source["url"]) or "", source["title"])
            flat_sources += [articles.setdefault(key, len(articles)), strings(source["sentence"])]
        level = LEVEL_WORDS[p] + (f" ({row['geo_level']})" if row["geo_level"] and row["geo_level"] not in
                                  ("point", "admin1", "country", "admin2") else "")
        values = {
            "id": row["event_id"], "lane": lane_index[row["lane"]], "kind": kind,
            "lat": round(float(lat[k]), DECIMALS), "lon": round(float(lon[k]), DECIMALS), "shape": shape,
            "province": region_slot(int(province[k])) if province[k] >= 0 and p <= 3 else -1,
            "precision": p, "day": row["first_day"], "day_end": row["end_day"], "date": strings(row["label"]),
            "date_text": strings(row["date_text"]),
            "place": strings(row["place_name"]), "place_text": strings(row["place_text"]), "level": strings(level),
            "admin1": strings(row["admin1"]), "country": strings(row["country"]),
            "actor1": strings(row["actor1"]), "actor2": strings(row["actor2"]), "trigger": strings(row["trigger"]),
            "sub_event_type": strings(row["sub_event_type"]), "event_type": strings(row["event_type"]),
            "modality": strings(row["modality"]), "sentence": strings(row["sentence"]),
            "sources": flat_sources, "source_count": int(float(row["source_count"] or len(flat_sources) // 2 or 1)),
        }
        for key, value in values.items():
            columns[key].append(value)
    country_rows = [_shape_row(row["name"], row["iso_a2"], False, row.geometry) for _, row in world.iterrows()]
    counts = Counter(columns["lane"])
    return {
        "lanes": [[lane, lane_style(lane)["color"], glyph(lane_style(lane).get("icon", "")), counts[i]]
                  for i, lane in enumerate(lanes)],
        "events": columns,
        "regions": region_rows,
        "countries": country_rows,
        "articles": [[strings(value) for value in key] for key in articles],
        "strings": list(strings.index),
        "area_radius_m": AREA_RADIUS_M,
        "hidden": {"unlocated": len(rows) - len(located), "modality": dict(sorted(hidden_modality.items())),
                   "undated": sum(1 for r in rows_shown if r["first_day"] is None)},
        "shown_modalities": sorted(shown),
    }


def encode_payload(data: dict) -> str:
    """The payload as base64 of zlib-compressed JSON: 3-5x smaller than the JSON, and pure ASCII
    letters, so it is inert wherever it is embedded. The page decodes it with ``DecompressionStream``."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    return base64.b64encode(zlib.compress(raw, 9)).decode("ascii")
