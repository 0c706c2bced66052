"""event-atlas, place side: gazetteer, toponyms, resolution, GeoDataFrame and the map.

``locate(events)`` turns the event table into a GeoDataFrame; ``event_map(gdf)`` draws it.
"""

from importlib import import_module

_EXPORTS = {
    "Gazetteer": "geo.gazetteer",
    "locate": "geo.frame",
    "event_map": "geo.map",
    "linked_view": "geo.linked",
    "to_geojson": "geo.frame",
    "to_geopackage": "geo.frame",
    "to_geoparquet": "geo.frame",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'geo' has no attribute {name!r}")
