"""Hand-made located event tables for the map tests (no pipeline, no gazetteer needed)."""

from __future__ import annotations

import json

import geopandas as gpd
from shapely.geometry import Point

HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def source(article_id: str, sentence: str, outlet: str = "Reuters", url: str = "https://www.reuters.com/world/a",
           title: str = "Iraqi militias ready to disarm") -> dict:
    return {"article_id": article_id, "outlet": outlet, "published": "2025-04-07T09:34", "sentence": sentence,
            "url": url, "title": title}


def event(n: int, event_type: str, sub: str, lat, lon, precision, level: str, place: str, *, admin1: str = "",
          country: str = "IQ", dates=("2025-04-07", "2025-04-07", "day"), modality: str = "asserted",
          sentence: str = "Gunmen attacked a checkpoint.", actor1: str = "Kataib Hezbollah",
          sources: list | None = None) -> dict:
    sources = sources if sources is not None else [
        source("a1", sentence),
        source("a2", sentence + " (rewritten)", outlet="AP", url="javascript:alert(3)", title="Rewrite"),
    ]
    return dict(event_id=f"ev-{n:012x}", event_type=event_type, sub_event_type=sub, plover="ASSAULT",
                modality=modality, date_start=dates[0], date_end=dates[1], date_precision=dates[2], date_modifier="",
                date_value=dates[0], date_text="on Monday", date_basis="explicit" if dates[0] else "undated",
                place_text=place, place_name=place, latitude=lat, longitude=lon, geo_precision=precision,
                geo_level=level, admin1=admin1, country=country, geonameid="98182", actor1=actor1,
                actor2="Iraqi army", trigger="attacked", sentence=sentence, article_id="a1",
                sources=json.dumps(sources), source_count=len(sources), independent_source_count=1, story_id="s1")


def frame(rows: list[dict]) -> gpd.GeoDataFrame:
    geometry = [Point(r["longitude"], r["latitude"]) if r["latitude"] is not None else None for r in rows]
    return gpd.GeoDataFrame(rows, geometry=geometry, crs="EPSG:4326")


def sample_events() -> gpd.GeoDataFrame:
    """8 events: 3 towns (2 at Baghdad), 1 near a town, 1 province (Ninawa), 1 country (Iraq),
    1 intended (hidden by default), 1 without a place; hostile text in a sentence, a place and an actor."""
    return frame([
        event(1, "Battles", "Armed clash", 33.3406, 44.4009, 1, "point", "Baghdad", admin1="Baghdad"),
        event(2, "Explosions/Remote violence", "Air/drone strike", 36.335, 43.1189, 1, "point", "Mosul",
              admin1="Ninawa", dates=("2025-03-01", "2025-03-31", "month")),
        event(3, "Strategic developments", "Disarmament", 30.5085, 47.7804, 2, "admin2", "Basra district",
              admin1="Al-Basrah", dates=("2025-01-11", "2025-04-07", "month")),
        event(4, "Protests", "Peaceful protest", 36.0, 42.5, 3, "admin1", "Nineveh", admin1="Ninawa",
              sentence=HOSTILE + " Protesters marched in Nineveh.", dates=("2025-04-05", "2025-04-05", "day")),
        event(5, "Strategic developments", "Talks", 33.0, 44.0, 4, "country", "Iraq",
              dates=("2025-04-06", "2025-04-06", "day")),
        event(6, "Battles", "Armed clash", 33.3406, 44.4009, 1, "point", "Baghdad", modality="intended"),
        event(7, "Battles", "Armed clash", None, None, None, "", "Somewhere"),
        event(8, "Riots", "Mob violence", 33.35, 44.41, 1, "point", "Baghdad " + HOSTILE, admin1="Baghdad",
              actor1="</script><script>alert(4)</script>", dates=("2025-02-10", "2025-02-10", "day")),
    ])


SHOWN = 6  # located and asserted
