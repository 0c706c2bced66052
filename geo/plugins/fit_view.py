"""The map's first view: the events' bounds, fitted again whenever the map's box changes size until
the reader moves the map. A map laid out at no size (a notebook cell not yet painted, an iframe
still hidden) would otherwise keep the view computed for an empty box: the right centre at the
largest zoom, with the events out of sight.

Example::

    >>> FitView([[12.0, 42.0], [37.0, 48.0]], max_zoom=7).add_to(m)   # doctest: +SKIP
"""

from __future__ import annotations

from branca.element import MacroElement
from folium.template import Template

from timeline.escaping import json_for_script


class FitView(MacroElement):
    """Fit ``bounds`` (``[[south, west], [north, east]]``, degrees) with at most ``max_zoom`` and
    the paddings in pixels, now and on each resize of the map until the reader drags, zooms or
    presses a key in it."""

    _template = Template("""
{% macro script(this, kwargs) %}
    (function (map) {
        var bounds = {{ this.bounds_json }}, options = {{ this.options_json }}, container = map.getContainer();
        function fit() {
            if (container.clientWidth > 0 && container.clientHeight > 0) {
                map.invalidateSize({ animate: false });
                map.fitBounds(bounds, options);
            }
        }
        fit();
        if (typeof ResizeObserver === "undefined") return;
        var observer = new ResizeObserver(fit);
        observer.observe(container);
        ["mousedown", "wheel", "touchstart", "keydown"].forEach(function (name) {
            container.addEventListener(name, function () { observer.disconnect(); }, { once: true });
        });
    })({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, bounds: list[list[float]], *, max_zoom: int = 7, padding_top_left: tuple[int, int] = (0, 0),
                 padding_bottom_right: tuple[int, int] = (0, 0)) -> None:
        super().__init__()
        self._name = "FitView"
        self.bounds_json = json_for_script([[float(v) for v in corner] for corner in bounds])
        self.options_json = json_for_script({"maxZoom": int(max_zoom), "animate": False,
                                             "paddingTopLeft": list(padding_top_left),
                                             "paddingBottomRight": list(padding_bottom_right)})
