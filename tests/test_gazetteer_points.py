"""Coordinates of countries and first-level divisions: GeoNames' own country points where we have them,
admin-1 points that fall inside the region the map draws for them."""

import csv
import math

import pytest

from geo import gazetteer as gz
from geo import shapes
from geo.gazetteer import Gazetteer, normalize


def _rows(name: str) -> list[dict]:
    with (gz.DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _km(lat1, lon1, lat2, lon2) -> float:
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.default()


def test_country_points_are_valid_and_cite_a_source():
    rows = _rows("country_points.tsv")
    known = {r["iso2"] for r in _rows("countries.tsv")}
    assert len(rows) > 150
    assert len({r["iso2"] for r in rows}) == len(rows)
    for r in rows:
        assert r["iso2"] in known, r
        assert -90 <= float(r["latitude"]) <= 90 and -180 <= float(r["longitude"]) <= 180, r
        assert r["source"].strip(), r


def test_derived_countries_use_the_geonames_points():
    points = {r["iso2"]: (float(r["latitude"]), float(r["longitude"])) for r in _rows("country_points.tsv")}
    for r in _rows("countries.tsv"):
        if r["iso2"] in points:
            assert (float(r["latitude"]), float(r["longitude"])) == pytest.approx(points[r["iso2"]], abs=1e-4), r


def test_index_country_coordinates_are_not_overridden(gaz):
    """No supplement row may move a country away from its GeoNames point at build time."""
    points = {r["iso2"]: (float(r["latitude"]), float(r["longitude"])) for r in _rows("country_points.tsv")}
    for iso in ("CA", "AU", "CD", "DE", "US", "IN"):
        place = gaz.country(iso)
        assert _km(place.latitude, place.longitude, *points[iso]) < 1, (iso, place)
    canada = gaz.country("CA")
    assert _km(canada.latitude, canada.longitude, 60.10867, -113.64258) < 1


def test_admin1_points_fall_in_the_region_the_map_draws():
    """A region is drawn from the shape holding its point: each division with a real polygon
    (not approximated) must land in its own region."""
    regions = shapes.admin1_regions()
    exact = regions[~regions["approx"].astype(bool)]
    countries = set(exact["iso_a2"].dropna())
    rows = [r for r in _rows("admin1.tsv") if r["country"] in countries]
    assert len(rows) > 50
    at = shapes.containing(exact, [float(r["latitude"]) for r in rows], [float(r["longitude"]) for r in rows])
    misplaced = [r["name"] for r, i in zip(rows, at) if i < 0 or exact.iloc[i]["iso_a2"] != r["country"]]
    assert not misplaced
    same_name = sum(normalize(exact.iloc[i]["name"]) == normalize(r["name"]) for r, i in zip(rows, at))
    assert same_name >= 0.95 * len(rows)
