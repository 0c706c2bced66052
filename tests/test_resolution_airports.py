"""Airport rows for the gazetteer (geo.airports): names, aliases and the supplement's CSV format."""

import csv

import pytest

from geo.airports import COLUMNS, airport_rows, derive
from geo.gazetteer import normalize


def airport(iata, name, city, country="GB", subd="England", icao="XXXX"):
    return {"iata": iata, "icao": icao, "name": name, "city": city, "subd": subd, "country": country,
            "lat": 51.47, "lon": -0.46}


AIRPORTS = {
    "LHR": airport("LHR", "London Heathrow Airport", "London"),
    "LGW": airport("LGW", "London Gatwick Airport", "London"),
    "YYZ": airport("YYZ", "Toronto Pearson International Airport", "Mississauga", country="CA", subd="Ontario"),
    "YTZ": airport("YTZ", "Billy Bishop Toronto City Airport", "Toronto", country="CA", subd="Ontario"),
    "YYF": airport("YYF", "Churchill Falls Airport", "Churchill", country="CA", subd="Labrador"),
    "AAA": airport("AAA", "Springfield Branson Airport", "Springfield", country="US", subd="Missouri"),
    "BBB": airport("BBB", "Joplin Branson Airport", "Joplin", country="US", subd="Missouri"),
    "ASB": airport("ASB", "Ain Assad Air Base", "Ain", country="IQ", subd="Anbar"),
    "": airport("", "Private Strip Airport", "Nowhere"),
}


def by_code(rows):
    return {r["geonameid"]: r for r in rows}


def test_rows_have_the_supplement_format_and_only_iata_airports():
    rows = airport_rows(AIRPORTS, {("GB", normalize("England")): "ENG"})
    assert all(list(r) == list(COLUMNS) for r in rows)
    assert [r["geonameid"] for r in rows] == sorted(f"iata:{c}" for c in AIRPORTS if c)
    lhr = by_code(rows)["iata:LHR"]
    assert (lhr["kind"], lhr["level"], lhr["feature_code"], lhr["admin1"]) == ("place", "point", "AIRP", "ENG")
    assert by_code(rows)["iata:ASB"]["feature_code"] == "AIRB"
    assert by_code(rows)["iata:YYZ"]["admin1"] == ""        # no division of that name known


def test_aliases_drop_the_city_and_keep_unambiguous_bare_names():
    rows = by_code(airport_rows(AIRPORTS, towns={("CA", "toronto"): 2_600_000}))
    lhr = rows["iata:LHR"]["aliases"].split("|")
    assert {"Heathrow", "Heathrow Airport", "London Heathrow", "LHR Airport"} <= set(lhr)
    # the city is cut when it is an airport city of the country or a big town
    assert "Pearson International Airport" in rows["iata:YYZ"]["aliases"].split("|")
    # no bare generic word ("Falls") and no bare name two airports share ("Branson")
    assert "Falls" not in rows["iata:YYF"]["aliases"].split("|")
    assert "Branson" not in rows["iata:AAA"]["aliases"].split("|")
    assert "Branson Airport" in rows["iata:AAA"]["aliases"].split("|")


def test_no_bare_alias_that_names_a_known_place():
    rows = by_code(airport_rows(AIRPORTS, is_place=lambda name, country: name == "Gatwick"))
    assert "Gatwick" not in rows["iata:LGW"]["aliases"].split("|")
    assert "Gatwick Airport" in rows["iata:LGW"]["aliases"].split("|")
    assert "Heathrow" in rows["iata:LHR"]["aliases"].split("|")


def test_derive_writes_a_csv_the_gazetteer_can_read(tmp_path):
    pytest.importorskip("airportsdata")
    from geo.gazetteer import DATA_DIR

    (tmp_path / "admin1.tsv").write_bytes((DATA_DIR / "admin1.tsv").read_bytes())
    path = derive(tmp_path)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) > 5000 and all(r["geonameid"].startswith("iata:") for r in rows)
    heathrow = next(r for r in rows if r["geonameid"] == "iata:LHR")
    assert "Heathrow" in heathrow["aliases"].split("|") and heathrow["admin1"] == "ENG"
    assert abs(float(heathrow["latitude"]) - 51.47) < 0.05
