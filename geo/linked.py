"""The linked view: the timeline and the map side by side in one self-contained page.

The timeline is :class:`timeline.view.Timeline`'s own page, held in a same-origin ``srcdoc``
frame; the map is :func:`geo.map.event_map`. Zooming or panning the timeline filters the map to
the dates in its window; the map's date slider moves the timeline; clicking an event in either
selects it in the other (the map centres, rings and opens it; the timeline focuses it and shows
its sources); the timeline's search, place, actor, report, type and modality filters filter the map
too. ``event-atlas build`` writes it as ``out/index.html``.

Example::

    >>> save_linked_view(gdf, "out/index.html", title="Iraq, April 2025")   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import pandas as pd
from branca.element import Element, MacroElement
from folium.template import Template

from geo.map import event_map
from geo.offline import offline_html
from geo.plugins._assets import add_asset
from timeline.escaping import html_attr, html_text
from timeline.view import Timeline


class TimelineLink(MacroElement):
    """Joins the map to the timeline frame ``#ea-timeline`` (see ``geo/templates/linked.js``)."""

    _template = Template("""
{% macro script(this, kwargs) %}
    EventAtlas.link({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self) -> None:
        super().__init__()
        self._name = "TimelineLink"

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        add_asset(figure, "linked.css")
        add_asset(figure, "linked.js")
        super().render(**kwargs)


def linked_view(gdf: pd.DataFrame, events: pd.DataFrame | None = None, *, title: str = "Events",
                show_modalities: Iterable[str] = ("asserted",), tiles=None) -> str:
    """The linked page as HTML. ``gdf`` is the located event table (drawn on the map); ``events``
    the table for the timeline (default: ``gdf`` without its geometry, so unlocated events are on
    the timeline too when ``gdf`` keeps them)."""
    if events is None:
        events = pd.DataFrame(gdf.drop(columns=[c for c in gdf.columns
                                                if isinstance(gdf[c].dtype, gpd.array.GeometryDtype)]))
    timeline_page = Timeline(events, show_modalities=show_modalities, title=title).to_html()
    # the map holds every modality; the timeline's filters (its modality switch too) choose what it shows
    held = {m for m in gdf.get("modality", pd.Series(dtype=object)).dropna()} - set(show_modalities)
    m = event_map(gdf, show_modalities=show_modalities, held_modalities=sorted(held), title=title, tiles=tiles)
    figure = m.get_root()
    figure.title = html_text(title)
    figure.html.add_child(Element(
        f'<iframe id="ea-timeline" class="ea-linked-timeline" title="{html_attr(title)}: timeline" '
        f'srcdoc="{html_attr(timeline_page)}"></iframe>'), name="ea_timeline_frame", index=0)
    TimelineLink().add_to(m)
    return offline_html(m)


def save_linked_view(gdf: pd.DataFrame, path: str | Path, events: pd.DataFrame | None = None, **options) -> Path:
    """Write :func:`linked_view` to ``path`` (UTF-8) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(linked_view(gdf, events, **options), encoding="utf-8", newline="\n")
    return path
