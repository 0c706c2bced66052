"""The event map: precision drawn as it is, offline, deterministic, escaped, and counted right."""

from __future__ import annotations

import re

import folium
import pytest

from geo.map import event_map
from geo.map_payload import AREA, COUNTRY, NEAR, POINT, REGION, map_payload
from geo.offline import OfflineError, inline_resources, offline_html, resolve
from map_samples import HOSTILE, SHOWN, event, frame, sample_events

COUNT_JS = """() => {
  const num = sel => Array.from(document.querySelectorAll(sel)).reduce((n, e) => n + parseInt(e.textContent, 10), 0);
  return {clusters: num('.ea-cluster'), markers: document.querySelectorAll('.ea-marker').length,
          badges: num('.ea-badge'), ...EventAtlas.views[0].shapeCounts(),
          polygons: EventAtlas.views[0].groups.filter(g => g.shape.getLayers && g.shape.getLayers()
              .every(l => l instanceof L.Polygon && l.getLatLngs().flat(3).length >= 3)).length};
}"""


def open_map(offline_page, tmp_path, html: str, name: str = "map.html"):
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    record = offline_page()
    record.page.goto(path.as_uri())
    record.page.wait_for_function("window.EventAtlas && EventAtlas.views.length === 1", timeout=20000)
    record.page.wait_for_timeout(300)
    return record


# ---------------------------------------------------------------- data, without a browser


def test_payload_draws_each_precision_as_it_is():
    data = map_payload(sample_events())
    events = data["events"]
    kinds = dict(zip(events["id"], events["kind"]))
    assert len(events["id"]) == SHOWN
    assert kinds["ev-000000000001"] == POINT
    assert kinds["ev-000000000003"] == NEAR
    assert kinds["ev-000000000004"] == REGION
    assert kinds["ev-000000000005"] == COUNTRY
    region = data["regions"][events["shape"][events["id"].index("ev-000000000004")]]
    assert region[0] == "Ninawa" and region[1] == "IQ" and region[3]["type"] in ("Polygon", "MultiPolygon")
    country = data["countries"][events["shape"][events["id"].index("ev-000000000005")]]
    assert country[1] == "IQ"
    assert data["hidden"] == {"unlocated": 1, "modality": {"intended": 1}, "undated": 0}
    # the javascript: url of a source is dropped, the https one kept
    urls = {data["strings"][a[3]] for a in data["articles"]}
    assert urls == {"https://www.reuters.com/world/a", ""}


def test_region_without_a_shape_is_an_area_and_modalities_are_chosen():
    rows = [event(1, "Battles", "Armed clash", 0.0, -30.0, 3, "admin1", "Mid-Atlantic"),  # in the ocean
            event(2, "Battles", "Armed clash", 33.34, 44.40, 1, "point", "Baghdad", modality="intended")]
    data = map_payload(frame(rows), show_modalities=("asserted", "intended"))
    assert data["events"]["kind"] == [AREA, POINT]
    assert data["hidden"]["modality"] == {}


def test_rejects_non_point_geometry():
    gdf = sample_events()
    gdf.loc[0, "geometry"] = gdf.geometry.iloc[0].buffer(1)
    with pytest.raises(ValueError, match="Points"):
        map_payload(gdf)


def test_page_is_self_contained_and_deterministic():
    first = event_map(sample_events()).get_root().render()
    second = event_map(sample_events()).get_root().render()
    assert first == second
    assert not re.search(r"<script[^>]+\bsrc=|<link[^>]+stylesheet", first)
    assert not re.search(r"[0-9a-f]{32}", first), "a random folium id is left"
    assert "tile.openstreetmap.org" not in first


def test_save_and_notebook_view_are_offline(tmp_path):
    m = event_map(sample_events())
    m.save(tmp_path / "map.html")
    saved = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert saved == offline_html(m)
    notebook = m._repr_html_()
    assert notebook.startswith("<iframe srcdoc=") and "cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js" not in notebook
    assert "EventAtlas.create" in notebook


def test_inliner_serves_folium_defaults_and_rejects_the_unknown():
    assert resolve("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js") == ("leaflet", "dist/leaflet.js")
    assert resolve("https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css") \
        == ("leaflet.awesome-markers", "dist/leaflet.awesome-markers.css")
    page = inline_resources('<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css"/>')
    assert "url(data:font/woff2;base64," in page and "../webfonts" not in page
    with pytest.raises(OfflineError, match="glyphicons"):
        offline_html(folium.Map())  # folium's default page asks for Bootstrap 3 glyphicons: not pinned
    with pytest.raises(OfflineError, match="major versions differ"):
        resolve("https://unpkg.com/leaflet@0.7.7/dist/leaflet.js")
    with pytest.raises(OfflineError, match="not pinned"):
        inline_resources('<script src="https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js"></script>')
    with pytest.raises(OfflineError):
        inline_resources('<img src="https://example.org/x.png">')


def test_online_tiles_are_named_and_optional():
    assert "tile.openstreetmap.org" in offline_html(event_map(sample_events(), tiles="OpenStreetMap"))
    with pytest.raises(ValueError, match="unknown tile layer"):
        event_map(sample_events(), tiles="Nope")


def test_explore_still_works_on_the_frame():
    assert isinstance(sample_events().explore(), folium.Map)


# ---------------------------------------------------------------- in Chromium, network blocked


@pytest.mark.browser
def test_map_offline_counts_every_located_event(offline_page, tmp_path):
    record = open_map(offline_page, tmp_path, offline_html(event_map(sample_events())))
    counts = record.page.evaluate(COUNT_JS)
    assert record.requests == [] and record.errors == [] and record.dialogs == []
    assert counts["clusters"] + counts["markers"] + counts["badges"] == SHOWN
    assert counts["region"] == 1 and counts["country"] == 1 and counts["area"] == 0
    assert counts["polygons"] == 2  # the province and the country are polygons, not pins
    assert record.page.evaluate("document.fonts.check('12px EventAtlasIcons')")


@pytest.mark.browser
def test_counts_hold_at_100_events_per_place_and_after_filters(offline_page, tmp_path):
    rows = [event(i, ["Battles", "Protests"][i % 2], "x", 33.0 + (i % 10) * 0.3, 44.0 + (i % 7) * 0.3, 1 + (i % 4) // 3 * 2,
                  "point", f"P{i}", dates=(f"2025-0{1 + i % 9}-01", f"2025-0{1 + i % 9}-02", "day")) for i in range(1, 241)]
    record = open_map(offline_page, tmp_path, offline_html(event_map(frame(rows))))
    page = record.page
    total = lambda: sum(page.evaluate(COUNT_JS)[k] for k in ("clusters", "markers", "badges"))
    assert total() == 240
    page.evaluate("EventAtlas.views[0].setRange(20089, 20148)")  # 2025-01-01 .. 2025-03-01 (exclusive)
    page.wait_for_timeout(200)
    expected = sum(1 for i in range(1, 241) if 1 + i % 9 <= 2)
    assert total() == expected == page.evaluate("EventAtlas.views[0].visible.length")
    page.click(".ea-lane >> nth=0")  # hide Battles from the legend
    page.wait_for_timeout(200)
    assert total() == sum(1 for i in range(1, 241) if 1 + i % 9 <= 2 and i % 2 == 1)
    assert record.errors == [] and record.requests == []


@pytest.mark.browser
def test_popups_show_sources_and_hostile_text_stays_text(offline_page, tmp_path):
    record = open_map(offline_page, tmp_path, offline_html(event_map(sample_events())))
    page = record.page
    page.evaluate("EventAtlas.views[0].highlight('ev-000000000008')")
    page.wait_for_selector(".leaflet-popup .ea-popup")
    popup = page.locator(".leaflet-popup .ea-popup")
    text = popup.inner_text()
    assert "Sources (2)" in text and "Reuters" in text and "AP" in text
    assert HOSTILE in text and "</script><script>alert(4)</script>" in text
    hrefs = popup.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert hrefs == ["https://www.reuters.com/world/a"]
    assert page.locator(".ea-highlight").count() == 1
    # the province event opens a list; expanding it shows the hostile sentence as text
    page.evaluate("EventAtlas.views[0].highlight('ev-000000000004')")
    page.wait_for_selector(".ea-list details[open] .ea-evidence")
    assert HOSTILE in page.locator(".ea-list .ea-evidence").inner_text()
    page.mouse.move(10, 10)
    assert page.locator("img[src='x']").count() == 0 and page.locator(".leaflet-popup script").count() == 0
    assert record.dialogs == [] and record.errors == [] and record.requests == []


@pytest.mark.browser
def test_clicking_a_marker_selects_its_event(offline_page, tmp_path):
    record = open_map(offline_page, tmp_path, offline_html(event_map(sample_events())))
    page = record.page
    page.evaluate("""() => { window.picked = [];
        document.addEventListener('eventatlas:select', e => window.picked.push(...e.detail.ids)); }""")
    page.evaluate("() => { EventAtlas.views[0].map.setView([36.335, 43.1189], 9, {animate: false}); }")
    page.wait_for_timeout(300)
    page.click(".ea-marker[data-event-id='ev-000000000002']")
    page.wait_for_selector(".leaflet-popup .ea-popup[data-event-id='ev-000000000002']")
    assert page.evaluate("window.picked") == ["ev-000000000002"]


@pytest.mark.browser
def test_province_counts_layer_counts_the_shown_events(offline_page, tmp_path):
    gdf = sample_events()
    provinces = map_payload(gdf)["events"]["province"]
    expected = {p: provinces.count(p) for p in set(provinces) if p >= 0}
    record = open_map(offline_page, tmp_path, offline_html(event_map(gdf)))
    tooltips = record.page.evaluate("""() => { const v = EventAtlas.views[0];
        v.map.addLayer(v.provinceCounts.layer);
        return v.provinceCounts.layer.getLayers().map(l => l.getTooltip().getContent().textContent); }""")
    assert len(tooltips) == len(expected)
    counts = sorted(int(t.split(": ")[1].split()[0]) for t in tooltips)
    assert counts == sorted(expected.values())
    assert record.errors == []


@pytest.mark.parametrize("writer, suffix", [("to_geojson", "geojson"), ("to_geopackage", "gpkg"),
                                            ("to_geoparquet", "parquet")])
def test_exported_frames_read_back_draw_the_same_map(tmp_path, writer, suffix):
    import geopandas as gpd

    import geo.frame

    gdf = sample_events()
    path = getattr(geo.frame, writer)(gdf, tmp_path / f"events.{suffix}")
    back = gpd.read_file(path) if writer != "to_geoparquet" else gpd.read_parquet(path)
    before, after = map_payload(gdf)["events"], map_payload(back)["events"]
    for key in ("id", "kind", "lat", "lon", "day", "day_end", "shape"):
        assert sorted(zip(before["id"], before[key])) == sorted(zip(after["id"], after[key])), key


@pytest.mark.browser
def test_a_map_laid_out_at_no_size_fits_its_events_once_it_is_shown(offline_page, tmp_path):
    (tmp_path / "map.html").write_text(offline_html(event_map(sample_events())), encoding="utf-8")
    # a notebook cell or tab not yet painted: the map's page loads in a hidden frame, then is shown
    host = tmp_path / "host.html"
    host.write_text('<!DOCTYPE html><html><body><iframe id="view" src="map.html" style="display:none;width:900px;'
                    'height:600px;border:0"></iframe></body></html>', encoding="utf-8")
    record = offline_page()
    record.page.goto(host.as_uri())
    frame = record.page.frame_locator("#view")
    view = next(f for f in record.page.frames if f.url.endswith("map.html"))
    view.wait_for_function("window.EventAtlas && EventAtlas.views.length === 1", timeout=20000)
    record.page.evaluate("document.getElementById('view').style.display = 'block'")
    record.page.wait_for_timeout(800)
    zoom, inside = view.evaluate("""() => { const map = EventAtlas.views[0].map, b = map.getBounds();
        return [map.getZoom(), [[36.34, 43.13], [33.34, 44.40]].every(p => b.contains(p))]; }""")
    assert inside and zoom <= 7, (zoom, inside)  # Mosul and Baghdad in sight, not the empty box's view
    assert frame.locator(".ea-marker, .ea-cluster").count() > 0
    assert record.requests == [] and record.errors == []
