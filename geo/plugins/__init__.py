"""The map's view features, one small module each (folium's plugin style: a template plus its data).

- :mod:`.icons`: the Font Awesome glyphs of the event types, font inlined.
- :mod:`.event_layer`: the events, drawn at their precision (points clustered, regions, countries).
- :mod:`.time_filter`: a date-range slider with a histogram.
- :mod:`.legend`: types, counts, the precision key and what is not on the map.
- :mod:`.fit_view`: the first view on the events, fitted again when the map's box changes size.
"""
