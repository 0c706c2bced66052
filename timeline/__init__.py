"""event-atlas, text side: articles, dates, events, merging and the timeline view.

Notebook flow::

    from timeline import load_articles, extract_events, Timeline
    from geo import locate, event_map
    articles = load_articles("data/articles")
    events = extract_events(articles)          # one row per real-world event
    gdf = locate(events)                       # GeoDataFrame, EPSG:4326
    Timeline(events).save("timeline.html"); event_map(gdf).save("map.html")
"""

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "load_articles": "timeline.articles",
    "Manifest": "timeline.articles",
    "iter_articles": "timeline.articles",
    "extract_events": "timeline.extract",
    "merge_events": "timeline.merging",
    "Timeline": "timeline.view",
    "build_pipeline": "timeline.pipeline",
    "EVENT_COLUMNS": "timeline.schema",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'timeline' has no attribute {name!r}")
