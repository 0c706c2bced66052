"""The legend (bottom right): each event type with its icon, colour and count (click to hide or
show it), the key to how precision is drawn, and how many events are not on the map and why.

Example::

    >>> Legend(title="Iraq, April 2025").add_to(m)   # after the EventLayer   # doctest: +SKIP
"""

from __future__ import annotations

from branca.element import MacroElement
from folium.template import Template

from geo.plugins._assets import add_asset
from timeline.escaping import json_for_script


class Legend(MacroElement):
    """Legend control; ``title`` is shown as text (never HTML)."""

    _template = Template("""
{% macro script(this, kwargs) %}
    EventAtlas.ready({{ this._parent.get_name() }}).then(function (view) {
        view.legend = new EventAtlas.Legend(view, {{ this.options_json }}).addTo(view.map);
    });
{% endmacro %}
""")

    def __init__(self, *, title: str = "Events", position: str = "bottomright") -> None:
        super().__init__()
        self._name = "Legend"
        self.options_json = json_for_script({"title": str(title), "position": position})

    def render(self, **kwargs) -> None:
        add_asset(self.get_root(), "legend.js")
        super().render(**kwargs)
