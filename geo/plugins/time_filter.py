"""A date-range filter: two sliders over a histogram of the event dates (bottom left).

An event is kept when its date interval overlaps the chosen days; undated events only show with
all dates. The linked view drives the same filter from the timeline.

Example::

    >>> TimeFilter().add_to(m)   # after the EventLayer   # doctest: +SKIP
"""

from __future__ import annotations

from branca.element import MacroElement
from folium.template import Template

from geo.plugins._assets import add_asset
from timeline.escaping import json_for_script


class TimeFilter(MacroElement):
    """Date-range slider control; ``bins`` is the number of histogram bars."""

    _template = Template("""
{% macro script(this, kwargs) %}
    EventAtlas.ready({{ this._parent.get_name() }}).then(function (view) {
        view.timeFilter = new EventAtlas.TimeFilter(view, {{ this.options_json }}).addTo(view.map);
    });
{% endmacro %}
""")

    def __init__(self, *, position: str = "bottomleft", bins: int = 60) -> None:
        super().__init__()
        self._name = "TimeFilter"
        self.options_json = json_for_script({"position": position, "bins": int(bins)})

    def render(self, **kwargs) -> None:
        add_asset(self.get_root(), "time_filter.js")
        super().render(**kwargs)
