"""A count-per-province choropleth, an overlay in the layer control (off unless ``show``).

Every event with a point or a province inside a province counts there (country-level events do
not); counts follow the type and date filters. Approximate boundaries are drawn dashed.

Example::

    >>> ProvinceCounts(show=True).add_to(m)   # after the EventLayer   # doctest: +SKIP
"""

from __future__ import annotations

from branca.element import MacroElement
from folium.template import Template

from geo.plugins._assets import add_asset
from timeline.escaping import json_for_script


class ProvinceCounts(MacroElement):
    """Province choropleth overlay named ``name`` in the layer control."""

    _template = Template("""
{% macro script(this, kwargs) %}
    EventAtlas.ready({{ this._parent.get_name() }}).then(function (view) {
        view.provinceCounts = new EventAtlas.ProvinceCounts(view, {{ this.options_json }});
    });
{% endmacro %}
""")

    def __init__(self, *, name: str = "Events per province", show: bool = False) -> None:
        super().__init__()
        self._name = "ProvinceCounts"
        self.options_json = json_for_script({"name": str(name), "show": bool(show)})

    def render(self, **kwargs) -> None:
        add_asset(self.get_root(), "province_counts.js")
        super().render(**kwargs)
