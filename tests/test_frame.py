"""`locate(events)`: coordinates from the table, by GeoNames id, or by resolving `place_text`; region shapes."""

import json

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from geo import shapes
from geo.frame import GEO_SOURCES, best_place, locate, region_shapes
from geo.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.default()


def test_place_text_rows_are_resolved_with_the_country_as_a_hint(gaz):
    events = pd.DataFrame({"event_id": ["a", "b", "c"], "place_text": ["Georgia", "Georgia", "Mosul"],
                           "country": ["US", None, "IQ"], "geonameid": [None, "", None]})
    gdf = locate(events, gaz)
    assert gdf.crs.to_epsg() == 4326
    us, bare, mosul = (gdf.iloc[i] for i in range(3))
    assert (us["geo_level"], us["country"], us["geo_precision"]) == ("admin1", "US", 3)
    assert (bare["geo_level"], bare["country"], bare["geo_precision"]) == ("country", "GE", 4)
    assert (mosul["geo_level"], mosul["country"]) == ("point", "IQ")
    assert mosul.geometry.y == pytest.approx(36.3, abs=0.2) and mosul.geometry.x == pytest.approx(43.1, abs=0.2)
    assert list(gdf["geo_source"]) == ["place_text"] * 3
    assert us["geonameid"] != bare["geonameid"]
    assert us["place_name"] == "Georgia" and us["admin1"] == "Georgia"


def test_country_hint_may_be_a_name_and_excludes_places_elsewhere(gaz):
    events = pd.DataFrame({"place_text": ["Baghdad", "Mosul", "Paris"], "country": ["Iraq", "US", "Kurdistan"]})
    gdf = locate(events, gaz)
    assert gdf.iloc[0]["geo_level"] == "point" and gdf.iloc[0]["country"] == "Iraq"   # the given cell is kept
    assert abs(gdf.iloc[0].geometry.y - 33.3) < 0.3
    assert gdf.iloc[1]["geo_source"] is None and gdf.iloc[1].geometry is None   # no Mosul in the US
    assert gdf.iloc[2]["geo_source"] == "place_text"                             # unknown country: no constraint
    assert best_place(gaz, "Anbar province").level == "admin1"                     # descriptor dropped


def test_how_each_place_was_obtained(gaz):
    mosul = gaz.candidates("Mosul")[0]
    events = pd.DataFrame({"place_text": ["Paris", None, "Nowhere-on-Sea Xq", None],
                           "geonameid": [None, mosul.geonameid, None, None],
                           "latitude": [48.85, np.nan, np.nan, np.nan], "longitude": [2.35, np.nan, np.nan, np.nan]})
    gdf = locate(events, gaz)
    assert list(gdf["geo_source"]) == ["given", "geonameid", None, None]
    assert set(gdf["geo_source"].dropna()) <= set(GEO_SOURCES)
    assert gdf.iloc[0]["place_name"] is None or pd.isna(gdf.iloc[0]["place_name"])   # given rows are untouched
    assert gdf.iloc[1]["latitude"] == mosul.latitude and gdf.iloc[1]["geo_level"] == "point"
    assert gdf.iloc[2].geometry is None and gdf.iloc[3].geometry is None
    assert gdf["latitude"].dtype == np.float64      # numeric columns stay numeric


def test_rows_from_an_events_jsonl_file(gaz, tmp_path):
    path = tmp_path / "events.jsonl"
    rows = [{"event_type": "Battles", "place_text": "Anbar", "geonameid": None, "country": None, "latitude": None},
            {"event_type": "Protests", "place_text": "Yemen", "geonameid": None, "country": None, "latitude": None}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    gdf = locate(pd.read_json(path, lines=True), gaz)
    assert list(gdf["geo_level"]) == ["admin1", "country"]
    assert list(gdf["country"]) == ["IQ", "YE"]
    assert list(gdf["geo_precision"]) == [3, 4]


def test_locate_rejects_non_frames():
    with pytest.raises(TypeError, match="DataFrame"):
        locate([{"place_text": "Mosul"}])


def test_region_shapes_come_from_the_map_shapes(gaz):
    events = pd.DataFrame({"place_text": ["Texas", "Iraq", "Iraq", "Anbar", "Mosul"]})
    regions = region_shapes(locate(events, gaz))
    by_name = {r.name: r for r in regions.itertuples()}
    assert list(regions["geonameid"]) == sorted(regions["geonameid"])
    assert by_name["Iraq"].event_count == 2 and by_name["Iraq"].geo_level == "country"
    assert not by_name["Texas"].approx          # Natural Earth has US states: an exact shape
    place = gaz.candidates("Anbar")[0]
    anbar = regions.set_index("geonameid").loc[place.geonameid]
    assert anbar["approx"] and anbar.geometry.contains(Point(place.longitude, place.latitude))
    assert len(regions) == 3              # Mosul is a point: no shape
    iraq = shapes.countries().set_index("iso_a2").geometry["IQ"]
    assert by_name["Iraq"].geometry.equals(iraq)
    assert regions.crs.to_epsg() == 4326


def test_containing_finds_the_shape_of_each_point():
    world = shapes.countries()
    at = shapes.containing(world, [33.3, np.nan, 0.0], [44.4, 10.0, -30.0])
    assert world.iloc[at[0]]["iso_a2"] == "IQ"
    assert at[1] == -1 and at[2] == -1        # no coordinates; the middle of the Atlantic


def test_phrases_without_a_capital_are_not_taken_for_places(gaz):
    gdf = locate(pd.DataFrame({"place_text": ["the market", "the city", "Mosul"]}), gaz)
    assert list(gdf["geo_source"]) == [None, None, "place_text"]
