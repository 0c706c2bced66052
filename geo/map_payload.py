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
from functools import lru_cache
from operator import itemgetter

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.plugins.icons import glyph
from geo.shapes import admin1_regions, containing, countries
from timeline.escaping import safe_url
from timeline.view import event_frame, format_published, lane_key, lane_style, timeline_rows

POINT, NEAR, REGION, COUNTRY, AREA = range(5)
AREA_RADIUS_M = {3: 60_000, 4: 250_000}
"""Radius in metres of the shaded circle drawn for an admin-1 (3) or country-level (4) event whose
shape is not on file: about the size of a typical province or a small country."""
LEVEL_WORDS = {1: "town or exact place", 2: "near a place (district level)", 3: "province (admin-1)",
               4: "country"}
LEVEL_PRECISION = {"point": 1, "admin2": 2, "admin1": 3, "country": 4, "region": 4}
DECIMALS = 4
"""Coordinates are rounded to 4 decimals (about 11 m)."""


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


def _shape_row(name: str, iso: str, approx: bool, geom) -> list:
    label = geom.representative_point() if not geom.is_empty else None
    return [name if isinstance(name, str) else "", iso if isinstance(iso, str) else "", bool(approx), json.loads(shapely.to_geojson(geom)),
            round(label.y, 3) if label else None, round(label.x, 3) if label else None]


@lru_cache(maxsize=65536)
def _published(value: str) -> str:
    return format_published(value)


@lru_cache(maxsize=65536)
def _url(value: str) -> str:
    return safe_url(value) or ""


@lru_cache(maxsize=1)
def _country_rows() -> list[list]:
    """The base map: every country as a shape row (the same for every map)."""
    world = countries()
    return [_shape_row(name, iso, False, geom) for name, iso, geom in
            zip(world["name"].to_numpy(), world["iso_a2"].to_numpy(), world.geometry.to_numpy())]


def map_payload(gdf: pd.DataFrame, *, show_modalities: Iterable[str] = ("asserted",),
                held_modalities: Iterable[str] = ()) -> dict:
    """The map's data (see the module docstring). Events of ``held_modalities`` are in the data but
    hidden at first (``held``: 1), for a view that can show them (the linked timeline's switch)."""
    held = set(held_modalities) - set(show_modalities)
    shown = set(show_modalities) | held
    lat_all, lon_all = _points(gdf)
    shapes = [c for c in gdf.columns if isinstance(gdf[c].dtype, gpd.array.GeometryDtype)]
    frame = pd.DataFrame(gdf.drop(columns=shapes))
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
    province = containing(regions, lat, lon)
    country_at = containing(world, lat, lon)
    iso_index = {iso: i for i, iso in enumerate(world.iso_a2) if isinstance(iso, str)}
    lanes = sorted({r["lane"] for r in rows_shown}, key=lane_key)

    n = len(rows_shown)
    # provinces: the regions used, numbered in order of first use
    in_province = (province >= 0) & (precision <= 3)
    used = pd.unique(province[in_province])
    slot_of = np.full(len(regions), -1, dtype=int)
    slot_of[used] = np.arange(len(used))
    region_rows = [_shape_row(name, iso, approx, geom) for name, iso, approx, geom in zip(
        regions["name"].to_numpy()[used], regions["iso_a2"].to_numpy()[used], regions["approx"].to_numpy()[used],
        regions.geometry.to_numpy()[used])]
    province_slot = np.where(in_province, slot_of[np.maximum(province, 0)], -1)
    # how each event is drawn: a point, a province, a country, or a shaded circle
    kind = np.where(precision == 1, POINT, NEAR)
    shape = np.full(n, -1, dtype=int)
    region = (precision == 3) & (province >= 0)
    kind[region], shape[region] = REGION, province_slot[region]
    kind[(precision == 3) & (province < 0)] = AREA
    named = np.array([iso_index.get(r["country"].upper(), -1) for r in rows_shown], dtype=int)
    country = np.where(named >= 0, named, country_at)
    country_level = precision == 4
    kind[country_level & (country >= 0)], shape[country_level & (country >= 0)] = COUNTRY, country[country_level & (country >= 0)]
    kind[country_level & (country < 0)] = AREA

    articles: dict[tuple, int] = {}
    sources, source_sentences = [], []
    for row in rows_shown:
        flat = []
        for source in row["parsed_sources"]:
            key = (source["article_id"], source["outlet"], _published(source["published"]),
                   _url(source["url"]), source["title"])
            flat += [articles.setdefault(key, len(articles)), len(source_sentences)]
            source_sentences.append(source["sentence"])
        sources.append(flat)
    # every text field is an index into one table of distinct strings, numbered in order of first use
    text_fields = {"date": "label", "date_text": "date_text", "place": "place_name", "place_text": "place_text",
                   "admin1": "admin1", "country": "country", "actor1": "actor1", "actor2": "actor2",
                   "trigger": "trigger", "sub_event_type": "sub_event_type", "event_type": "event_type",
                   "modality": "modality", "sentence": "sentence"}
    cells = itemgetter(*text_fields.values())
    texts: dict[str, list[str]] = dict(zip(text_fields, map(list, zip(*map(cells, rows_shown))))) if n else \
        {key: [] for key in text_fields}
    texts["level"] = [LEVEL_WORDS[p] + (f" ({level})" if level and level not in ("point", "admin1", "country", "admin2")
                                        else "") for p, level in zip(precision.tolist(), (r["geo_level"] for r in rows_shown))]
    texts["_sources"] = source_sentences
    texts["_articles"] = [value for key in articles for value in key]
    codes, table = pd.factorize(np.array([""] + [v for values in texts.values() for v in values], dtype=object))
    codes, at = codes.tolist(), 1
    coded: dict[str, list[int]] = {}
    for key, values in texts.items():
        coded[key], at = codes[at:at + len(values)], at + len(values)
    sentence_code = coded.pop("_sources")
    for flat in sources:
        flat[1::2] = [sentence_code[j] for j in flat[1::2]]
    article_codes = coded.pop("_articles")
    lane_index = {lane: i for i, lane in enumerate(lanes)}
    columns = {
        "id": [r["event_id"] for r in rows_shown], "lane": [lane_index[r["lane"]] for r in rows_shown],
        "kind": kind.tolist(), "lat": [round(x, DECIMALS) for x in lat.tolist()],
        "lon": [round(x, DECIMALS) for x in lon.tolist()], "shape": shape.tolist(), "province": province_slot.tolist(),
        "precision": precision.tolist(), "day": [r["first_day"] for r in rows_shown],
        "day_end": [r["end_day"] for r in rows_shown], **coded, "sources": sources,
        "source_count": [int(float(r["source_count"] or len(flat) // 2 or 1)) for r, flat in zip(rows_shown, sources)],
        "held": [int(r["modality"] in held) for r in rows_shown],
    }
    counts = Counter(columns["lane"])
    return {
        "lanes": [[lane, lane_style(lane)["color"], glyph(lane_style(lane).get("icon", "")), counts[i]]
                  for i, lane in enumerate(lanes)],
        "events": columns,
        "regions": region_rows,
        "countries": _country_rows(),
        "articles": [article_codes[k:k + 5] for k in range(0, len(article_codes), 5)],
        "strings": table.tolist(),
        "area_radius_m": AREA_RADIUS_M,
        "hidden": {"unlocated": len(rows) - len(located), "modality": dict(sorted(hidden_modality.items())),
                   "undated": sum(1 for r in rows_shown if r["first_day"] is None)},
        "shown_modalities": sorted(shown - held),
    }


def encode_payload(data: dict) -> str:
    """The payload as base64 of zlib-compressed JSON: 3-5x smaller than the JSON, and pure ASCII
    letters, so it is inert wherever it is embedded. The page decodes it with ``DecompressionStream``."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    return base64.b64encode(zlib.compress(raw, 6)).decode("ascii")
