"""The offline gazetteer: normalisation, lookups, supplement, cache location."""

import csv

import pytest

from geo import gazetteer as gz
from geo.gazetteer import Gazetteer, normalize


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.default()


@pytest.mark.parametrize("raw, key", [
    ("Al-Ḩudaydah", "hudaydah"), ("U.S.", "us"), ("Sana’a", "sanaa"), ("  São   Paulo ", "sao paulo"),
    ("the Hague", "hague"), ("Deir ez-Zor", "deir ez zor"), ("Ain al-Asad", "ain al asad")])
def test_normalize(raw, key):
    assert normalize(raw) == key


def test_levels_of_well_known_places(gaz):
    assert (gaz.candidates("Mosul")[0].level, gaz.candidates("Mosul")[0].country) == ("point", "IQ")
    anbar = gaz.candidates("Anbar")[0]
    assert (anbar.level, anbar.country, anbar.geo_precision) == ("admin1", "IQ", 3)
    yemen = gaz.candidates("Yemen")[0]
    assert (yemen.level, yemen.country, yemen.geo_precision) == ("country", "YE", 4)
    assert gaz.candidates("Syria")[0].country == "SY"


def test_spelling_variants_find_the_same_place(gaz):
    city = gaz.candidates("Hodeidah")[0]
    assert (city.level, city.country) == ("point", "YE")
    for name in ("Al Hudaydah", "al-Ḩudaydah", "Hudaydah"):
        assert city.geonameid in {p.geonameid for p in gaz.candidates(name)}
    assert gaz.candidates("Salahuddin")[0].geonameid == gaz.candidates("Salah ad Din")[0].geonameid


def test_supplement_places(gaz):
    jurf = gaz.candidates("Jurf al-Sakhar")[0]
    assert jurf.geonameid.startswith("supp:") and jurf.country == "IQ"
    assert 32 < jurf.latitude < 34 and 43 < jurf.longitude < 45
    assert gaz.candidates("al-Tanf")[0].country == "SY"
    assert gaz.candidates("Ain al-Asad air base")[0].level == "point"


def test_non_places_have_no_candidates(gaz):
    for name in ("Fakti", "Reuters", "Sudani"):
        assert gaz.candidates(name) == ()


def test_get_round_trip_and_contract_dict(gaz):
    place = gaz.candidates("Baghdad")[0]
    assert gaz.get(place.geonameid) == place.__class__(*[getattr(place, f) for f in place.__slots__[:-1]])
    d = place.as_dict()
    assert set(d) == {"geonameid", "name", "latitude", "longitude", "feature_code", "level", "geo_precision",
                      "admin1", "country"}
    assert gaz.get("no-such-id") is None


def test_demonyms_map_to_countries(gaz):
    assert gaz.demonyms["iraqi"] == "IQ"
    assert gaz.demonyms["americans"] == "US"
    assert "IQ" in gaz.neighbours("SY")


def test_every_supplement_row_names_its_source():
    with (gz.DATA_DIR / "supplement.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if not r["kind"].startswith("#")]
    assert rows and all(r["source"].strip() for r in rows)
    assert {r["kind"] for r in rows} <= {"alias", "place", "coords"}


def test_cache_dir_honours_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("EVENT_ATLAS_CACHE", str(tmp_path))
    assert gz.cache_dir() == tmp_path
    assert gz.index_path().parent == tmp_path


def test_index_key_follows_the_sources(tmp_path):
    for path in gz.source_files():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    before = gz.index_key(tmp_path)
    with (tmp_path / "supplement.csv").open("a", encoding="utf-8") as fh:
        fh.write("place,supp:test,Testplace,,1.0,2.0,PPL,point,,,0,test\n")
    assert gz.index_key(tmp_path) != before


def test_missing_index_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="gazetteer index"):
        Gazetteer(tmp_path / "nothing.sqlite")
