"""The events layer: points clustered on the client (supercluster), admin-1 events as their
province, country-level events as the country outline with a counted badge, popups with the date
and its precision, place and level, actors, evidence and every source; a layer control with one
entry per event type (shared colours and icons with the timeline).

The data is embedded once, compressed (:func:`geo.map_payload.encode_payload`), in a non-script
data block (the JavaScript parser never sees it); one marker exists only for what is on screen, so
100,000 events cost a few MB, not one ``L.marker`` each.

Example::

    >>> EventLayer(map_payload(gdf)).add_to(folium.Map(tiles=None))   # doctest: +SKIP
"""

from __future__ import annotations

from branca.element import Figure
from folium.elements import JSCSSMixin
from folium.template import Template

from geo.map_payload import encode_payload
from geo.plugins._assets import add_asset
from geo.plugins.icons import icon_font_css
from timeline.escaping import json_for_script
from timeline.vendor import pins


def npm_url(package: str, file: str) -> str:
    """The jsDelivr address of a pinned npm file (what the page would load online; inlined offline)."""
    return f"https://cdn.jsdelivr.net/npm/{package}@{pins()[package]['version']}/{file}"


class EventLayer(JSCSSMixin):
    """The events of :func:`geo.map_payload.map_payload` on a folium Map.

    ``tiles`` are optional online base layers ``[{"name", "url", "attribution"}]`` offered in the
    layer control (the offline country shapes stay the default); ``cluster_radius`` is in pixels.
    """

    _template = Template("""
{% macro html(this, kwargs) %}
<script type="application/octet-stream" id="{{ this.get_name() }}_data">{{ this.payload }}</script>
{% endmacro %}
{% macro script(this, kwargs) %}
    EventAtlas.create({{ this._parent.get_name() }},
        document.getElementById("{{ this.get_name() }}_data").textContent, {{ this.options_json }});
{% endmacro %}
""")
    default_js = [("supercluster", npm_url("supercluster", "dist/supercluster.min.js"))]

    def __init__(self, data: dict, *, tiles: list[dict] | None = None, cluster_radius: int = 60,
                 collapsed_control: bool = True) -> None:
        super().__init__()
        self._name = "EventLayer"
        self.data = data
        self.payload = encode_payload(data)
        self.options_json = json_for_script({"tiles": tiles or [], "cluster_radius": int(cluster_radius),
                                             "collapsed_control": bool(collapsed_control)})

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        assert isinstance(figure, Figure), "EventLayer must be on a Map inside a Figure"
        add_asset(figure, "event_layer.css", icon_font_css())
        add_asset(figure, "event_layer.js")
        super().render(**kwargs)
