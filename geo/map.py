"""The event map: a folium Map that shows precision honestly, scales to 100,000 events and works offline.

:func:`event_map` draws a located event table (:func:`geo.locate`) with the plugins of
:mod:`geo.plugins`: town-level events as markers (clustered on the client), admin-1 events as their
province, country-level events as the country outline with a counted badge; one layer per event
type; a date-range filter; a legend; a count-per-province layer. The base map is Natural Earth's
country shapes, inlined: no tiles, no network. ``save()`` and the notebook view inline every
script, style sheet and font (:mod:`geo.offline`) and give the same bytes for the same input.

Example::

    >>> from geo import locate, event_map
    >>> m = event_map(locate(events))          # doctest: +SKIP
    >>> m.save("out/map.html")                 # doctest: +SKIP  (self-contained, works offline)
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import folium
import numpy as np
import pandas as pd
from branca.element import Element

from geo.map_payload import map_payload
from geo.offline import OfflineFigure, iframe_html, offline_html
from geo.plugins.event_layer import EventLayer, npm_url
from geo.plugins.fit_view import FitView
from geo.plugins.legend import Legend
from geo.plugins.province_counts import ProvinceCounts
from geo.plugins.time_filter import TimeFilter
from timeline.view import generator_of

TILE_LAYERS: dict[str, dict[str, str]] = {
    "OpenStreetMap": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                      "attribution": "&copy; OpenStreetMap contributors"},
    "CartoDB positron": {"url": "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
                         "attribution": "&copy; OpenStreetMap contributors &copy; CARTO"},
}
"""Online base layers that ``tiles=`` may name; they need network, so none is used by default."""


class EventMap(folium.Map):
    """A folium Map whose page is self-contained and deterministic (see :mod:`geo.offline`).

    Loads only Leaflet (folium's jQuery, Bootstrap and Awesome Markers are not used); anything
    else added to it is inlined from the pinned npm files, or ``save()`` fails naming it.
    """

    default_js = [("leaflet", npm_url("leaflet", "dist/leaflet.js"))]
    default_css = [("leaflet_css", npm_url("leaflet", "dist/leaflet.css"))]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        OfflineFigure().add_child(self)

    def _repr_html_(self, **kwargs) -> str:
        """The offline page in an iframe, for notebooks."""
        return iframe_html(offline_html(self), height="600px" if self.height[1] == "%" else
                           f"{self.height[0]}{self.height[1]}")


def _tiles(tiles) -> list[dict]:
    if tiles is None:
        return []
    if isinstance(tiles, (str, tuple)):
        tiles = [tiles]
    out = []
    for entry in tiles:
        if isinstance(entry, str):
            if entry not in TILE_LAYERS:
                raise ValueError(f"unknown tile layer {entry!r}: name one of {sorted(TILE_LAYERS)} "
                                 "or give (name, url, attribution)")
            out.append({"name": entry, **TILE_LAYERS[entry]})
        else:
            name, url, attribution = entry
            out.append({"name": str(name), "url": str(url), "attribution": str(attribution)})
    return out


def _bounds(data: dict) -> list[list[float]] | None:
    events = data["events"]
    if not events["id"]:
        return None
    first = np.array(events["held"]) == 0  # what is drawn at first
    if not first.any():
        return None
    lat, lon = np.array(events["lat"])[first], np.array(events["lon"])[first]
    kinds = np.array(events["kind"])[first]
    if (kinds >= 2).any():  # regions and countries: their label point and shape extent count too
        pad = np.where(kinds == 3, 4.0, np.where(kinds >= 2, 1.5, 0.0))
    else:
        pad = np.zeros(len(lat))
    south, north = float(np.min(lat - pad)), float(np.max(lat + pad))
    west, east = float(np.min(lon - pad)), float(np.max(lon + pad))
    return [[max(south, -80.0), max(west, -180.0)], [min(north, 85.0), min(east, 180.0)]]


def event_map(
    gdf: pd.DataFrame,
    *,
    show_modalities: Iterable[str] = ("asserted",),
    held_modalities: Iterable[str] = (),
    tiles: str | Sequence | None = None,
    title: str = "Events",
    cluster_radius: int = 60,
    time_filter: bool = True,
    province_counts: bool = True,
    width: str | int = "100%",
    height: str | int = "100%",
) -> EventMap:
    """A folium Map of the located events in ``gdf`` (GeoDataFrame, EPSG:4326, Point geometry;
    or a frame with ``latitude``/``longitude``). Only events whose modality is in
    ``show_modalities`` are drawn; the legend counts the rest and the unlocated ones. Events of
    ``held_modalities`` are in the page but hidden at first (the linked view's timeline shows them).

    ``tiles``: optional online base layers, off by default: a name from :data:`TILE_LAYERS`, a
    ``(name, url, attribution)`` tuple, or a list of them. ``cluster_radius`` in pixels.
    """
    data = map_payload(gdf, show_modalities=show_modalities, held_modalities=held_modalities)
    m = EventMap(location=[20, 0], zoom_start=2, tiles=None, prefer_canvas=True, control_scale=True,
                 world_copy_jump=False, width=width, height=height, min_zoom=1, max_zoom=18)
    m.get_root().header.add_child(Element(f'<meta name="generator" content="{html.escape(generator_of(gdf))}">'),
                                  name="generator")
    EventLayer(data, tiles=_tiles(tiles), cluster_radius=cluster_radius).add_to(m)
    if time_filter:
        TimeFilter().add_to(m)
    Legend(title=title).add_to(m)
    if province_counts:
        ProvinceCounts().add_to(m)
    bounds = _bounds(data)
    if bounds is not None:
        # keep the events clear of the legend (right) and the date filter (bottom left)
        FitView(bounds, max_zoom=7, padding_top_left=(40, 40), padding_bottom_right=(300, 150)).add_to(m)
    return m
