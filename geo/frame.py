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
from collections import Counter
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo import shapes
from geo.gazetteer import LEVEL_PRECISION, Gazetteer, Place
from geo.resolution import Mention, resolve

CRS = "EPSG:4326"
REGION_LEVELS = ("country", "admin1")


GEO_SOURCES = ("given", "geonameid", "place_text")
"""Values of ``geo_source``: how ``locate`` got an event's coordinates (None: no place)."""


def locate(events: pd.DataFrame, gazetteer: Gazetteer | None = None) -> gpd.GeoDataFrame:
    """The events as a GeoDataFrame (EPSG:4326) with every input column plus ``geometry`` (a Point at
    ``longitude``/``latitude``; empty for events without a place) and ``geo_source``, how the place
    was obtained: ``given`` (coordinates in the table), ``geonameid`` (looked up by id), ``place_text``
    (the name resolved here) or None.

    Rows without coordinates are completed from the gazetteer: by ``geonameid`` when there is one,
    else by ``place_text`` (e.g. a table written by ``event-atlas events`` or by hand) with
    :func:`best_place`, inside the row's ``country`` (ISO2 code or name) when one is given and known;
    a name with no candidate in that country stays unlocated. A country or admin-1 event is still a Point (the
    label point): check ``geo_precision`` (1 point, 2 part of a region, 3 admin-1, 4 country) and draw
    :func:`region_shapes` for the area.

    >>> locate(pd.DataFrame({"place_text": ["Mosul"], "country": ["IQ"]}))[["place_name", "geo_source"]]  # doctest: +SKIP
      place_name  geo_source
    0      Mosul  place_text
    """
    if not isinstance(events, pd.DataFrame):
        raise TypeError(f"locate() needs a pandas DataFrame of events, got {type(events).__name__}")
    df = events.copy()
    for col in ("latitude", "longitude", "geonameid", "geo_precision", "geo_level", "place_text", "place_name",
                "admin1", "country"):
        if col not in df.columns:
            df[col] = None
    located = pd.to_numeric(df["latitude"], errors="coerce").notna() & \
        pd.to_numeric(df["longitude"], errors="coerce").notna()
    source = pd.Series([("given" if ok else None) for ok in located], index=df.index, dtype=object)
    by_id = ~located & ~df["geonameid"].map(_blank)
    by_name = ~located & ~by_id & ~df["place_text"].map(_blank)
    if by_id.any() or by_name.any():
        gaz = gazetteer or Gazetteer.default()
        types = pd.api.types      # columns that cannot hold what is filled in become object columns
        df = df.astype({col: object for col in ("geonameid", "geo_level", "place_name", "admin1", "country")
                        if not (types.is_object_dtype(df[col]) or types.is_string_dtype(df[col]))} |
                       {col: object for col in ("latitude", "longitude", "geo_precision")
                        if not (types.is_object_dtype(df[col]) or types.is_numeric_dtype(df[col]))})
        chosen: dict[tuple[str, str | None], Place | None] = {}
        for idx in df.index[by_id | by_name]:
            if by_id[idx]:
                place, how = gaz.get(str(df.at[idx, "geonameid"]).strip()), "geonameid"
            else:
                hint = None if _blank(df.at[idx, "country"]) else str(df.at[idx, "country"]).strip()
                key = (str(df.at[idx, "place_text"]).strip(), hint)
                if key not in chosen:
                    chosen[key] = best_place(gaz, *key)
                place, how = chosen[key], "place_text"
            if place is not None:
                _fill(df, idx, place)
                source[idx] = how
    df["geo_source"] = source
    lat = pd.to_numeric(df["latitude"], errors="coerce")
    lon = pd.to_numeric(df["longitude"], errors="coerce")
    geometry = [Point(x, y) if pd.notna(x) and pd.notna(y) else None for x, y in zip(lon, lat)]
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geometry, index=df.index, crs=CRS), crs=CRS)


def best_place(gazetteer: Gazetteer, name: str, country: str | None = None) -> Place | None:
    """The usual sense of a place name with no text around it: the candidate the pipeline's ranking
    (:func:`geo.resolution.resolve`: level, population, capitals, own name) picks for the name alone,
    among the places in ``country`` (ISO2 code or country name; an unknown country is no
    constraint). None when nothing matches, and for names with no capital letter ("the market",
    a phrase the event linker found, not a name).

    >>> best_place(Gazetteer.default(), "Georgia", "US").level     # doctest: +SKIP
    'admin1'
    """
    if not any(c.isupper() for c in name):
        return None
    cands = gazetteer.lookup(name)
    code = None
    if country:
        code = country.upper() if len(country) == 2 and gazetteer.country(country.upper()) else next(
            (p.country for p in gazetteer.lookup(country) if p.level == "country"), None)
        if code is not None:
            cands = tuple(p for p in cands if p.country == code)
    if not cands:
        return None
    mention = Mention(name, 0, len(name), candidates=cands)
    return resolve([mention], gazetteer, Counter({code: 1}) if code else None)[0]


def _blank(value) -> bool:
    """Whether a cell holds no value (None, NaN, empty or blank string)."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or bool(pd.isna(value))


def _fill(df: pd.DataFrame, idx, place: Place) -> None:
    """Write a gazetteer place into row ``idx``: coordinates always, the rest where it is blank."""
    df.at[idx, "latitude"], df.at[idx, "longitude"] = place.latitude, place.longitude
    if _blank(df.at[idx, "geo_level"]):
        df.at[idx, "geo_level"] = place.level
        df.at[idx, "geo_precision"] = LEVEL_PRECISION[place.level]
    for col, value in (("geonameid", place.geonameid), ("place_name", place.name), ("admin1", place.admin1),
                       ("country", place.country)):
        if _blank(df.at[idx, col]):
            df.at[idx, col] = value


def region_shapes(gdf: pd.DataFrame) -> gpd.GeoDataFrame:
    """The shapes the map draws for the country and admin-1 places in ``gdf``, one row per place:
    columns ``geonameid``, ``name`` (of the shape), ``geo_level``, ``approx`` (True: the province is
    approximated, see :mod:`geo.shapes`), ``event_count``, ``geometry`` (EPSG:4326), sorted by
    geonameid. A country is found by its ISO2 code (``country``) or else by its label point, an
    admin-1 place by the region holding its label point (``latitude``/``longitude``); places with
    no shape have no row.
    """
    columns = ["geonameid", "name", "geo_level", "approx", "event_count", "geometry"]
    needed = {"geonameid", "geo_level", "latitude", "longitude"}
    if not needed <= set(gdf.columns):
        return gpd.GeoDataFrame(columns=columns, geometry="geometry", crs=CRS)
    regions = gdf[gdf["geo_level"].isin(REGION_LEVELS) & ~gdf["geonameid"].map(_blank)]
    places = pd.DataFrame({"geonameid": regions["geonameid"].astype(str), "geo_level": regions["geo_level"],
                           "country": regions["country"] if "country" in regions else None,
                           "lat": pd.to_numeric(regions["latitude"], errors="coerce"),
                           "lon": pd.to_numeric(regions["longitude"], errors="coerce")})
    counts = places.groupby("geonameid").size()
    places = places.drop_duplicates("geonameid").set_index("geonameid").loc[sorted(counts.index)]
    world, provinces = shapes.countries(), shapes.admin1_regions()
    by_iso = {iso: i for i, iso in enumerate(world["iso_a2"]) if isinstance(iso, str)}
    in_country = shapes.containing(world, places["lat"], places["lon"])
    in_province = shapes.containing(provinces, places["lat"], places["lon"])
    rows = []
    for (gid, place), country_at, province_at in zip(places.iterrows(), in_country, in_province):
        if place["geo_level"] == "country":
            at = by_iso.get(place["country"], country_at) if isinstance(place["country"], str) else country_at
            frame, approx = world, False
        else:
            at = province_at
            frame, approx = provinces, None
        if at < 0:
            continue
        shape_row = frame.iloc[at]
        rows.append({"geonameid": gid, "name": shape_row["name"], "geo_level": place["geo_level"],
                     "approx": bool(shape_row["approx"]) if approx is None else approx,
                     "event_count": int(counts[gid]), "geometry": shape_row.geometry})
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
