"""The offline gazetteer: normalisation, lookups, supplement, cache location."""

import csv

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@pytest.mark.parametrize("name, variants", [
    ("Northern Darfur", ["North Darfur"]), ("South Kordofan", ["Southern Kordofan"]),
    ("Nord Kivu", ["North Kivu"]), ("Sud-Ubangi", ["South Ubangi"]),
    ("Nord-Est", []), ("North", []), ("Norte de Santander", []), ("Southampton", [])])
def test_compass_variants(name, variants):
    assert gz.compass_variants(name) == variants


def test_divisions_answer_to_the_compass_word_news_uses(gaz):
    for news, geonames in [("North Kivu", "Nord Kivu"), ("North Darfur", "Northern Darfur"),
                           ("Southern Kordofan", "Southern Kordofan"), ("South Kordofan", "Southern Kordofan")]:
        assert gaz.candidates(news)[0].name == geonames
        assert gaz.candidates(news)[0].level == "admin1"


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
    assert gaz.get(place.geonameid) == place._replace(matched="main")
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


def _reference_key(name: str) -> str:
    """The key as the general (non-ASCII) path of normalize computes it, with regular expressions."""
    import re
    import unicodedata
    text = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)).lower()
    text = re.sub(r"['`]", "", text).replace(".", "")
    text = re.sub(r"[\s_]+", " ", re.sub(r"[^\w\s]", " ", text)).strip()
    return re.sub(r"^(?:al|el|ad|ar|as|ash|at|az|an|ath|adh|the)[\s-]+(?=\S)", "", text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from("aelthAELTH -_.'`,;:()!?\t\n\x00\x1f\x7f09"), max_size=14))
def test_ascii_fast_path_gives_the_general_key(name):
    assert normalize.__wrapped__(name) == _reference_key(name)


def test_candidates_many_answers_like_candidates(gaz):
    names = ["Mosul", "mosul", "Fakti", "", "Al-Ḩudaydah", "Mosul", "Yemen", "Zzqx Qqz"]
    gaz.clear_cache()
    many = gaz.candidates_many(names)
    gaz.clear_cache()
    assert many == [gaz.candidates(n) for n in names]
    assert many[0] and many[0] == many[1] == many[5] and many[2] == () and many[3] == () and many[7] == ()


def test_lookup_reads_demonyms_and_descriptors(gaz):
    assert [p.country for p in gaz.lookup("Iraqi")] == ["IQ"] and gaz.lookup("Iraqi")[0].level == "country"
    assert gaz.lookup("Anbar province")[0].geonameid == gaz.candidates("Anbar")[0].geonameid
    assert gaz.lookup("Mosul") == gaz.candidates("Mosul")
    assert gaz.lookup("Fakti province") == ()


def test_lookup_rows_keep_rank_order_per_key():
    ranked = [("a", "1", "A", 1.5, 2.5, "PPL", "point", "FR", "11", "Île-de-France", 10, 1),
              ("a", "2", "Aa", -1.0, 0.0, "ADM1", "admin1", "FR", "11", "Île-de-France", 0, 0),
              ("b", "3", "B", 0.0, 0.0, "PCLI", "country", "BE", None, None, 5, 1)]
    rows = dict(gz._lookup_rows(ranked))
    assert list(rows) == ["a", "b"]
    a = [gz.Place(*args) for args in gz.marshal.loads(rows["a"])]
    assert [(p.geonameid, p.matched, p.latitude, p.admin1_code) for p in a] == \
           [("1", "main", 1.5, "11"), ("2", "alternate", -1.0, "11")]
    assert gz.Place(*gz.marshal.loads(rows["b"])[0]).admin1 is None


def test_candidates_many_when_the_memory_cache_starts_afresh(gaz, monkeypatch):
    gaz.clear_cache()
    expected = [gaz.candidates(n) for n in ("Mosul", "Baghdad", "Kirkuk", "Fakti")]
    gaz.clear_cache()
    gaz.candidates_many(["Mosul", "Baghdad"])
    monkeypatch.setattr(gz, "CACHE_KEYS", 3)    # the next fetch overflows the cache and empties it
    assert gaz.candidates_many(["Mosul", "Baghdad", "Kirkuk", "Fakti"]) == expected
    gaz.clear_cache()
