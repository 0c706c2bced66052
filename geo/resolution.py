"""Candidate ranking: choose the place each toponym of a document refers to.

Each mention's candidates (from :meth:`geo.gazetteer.Gazetteer.candidates`) are scored with

* a prior: log10 population, the level (countries and first-level divisions are the usual sense of
  a bare name), whether the mention is the place's own name or only an alternate name;
* the document's context, found iteratively: the countries and first-level divisions of the other
  mentions (and of demonyms such as "Iraqi"), and the distance to the other resolved points;
* co-location: other names of the document with a likely candidate within 40 km ("Huntsville" and
  "Walker County" are the Texan pair);
* explicit containment: "Mosul, Iraq", "Gainesville, Ga." (the container must contain the place;
  a country after a country name is a list: "Russia, U.S. officials");
* the countries the document names: "London" in an article that names Canada is London, Ontario;
* lists: the items of "Indiana, Ohio, Montana, Wyoming" are peers of one level (the state Wyoming).

Example::

    >>> mentions = [Mention("Mosul", 0, 5), Mention("Iraq", 7, 11)]       # doctest: +SKIP
    >>> mentions[0].container = 1                                          # doctest: +SKIP
    >>> [p.name for p in resolve(mentions, Gazetteer.default())]           # doctest: +SKIP
    ['Mosul', 'Iraq']
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from geo.gazetteer import Gazetteer, Place, normalize

LEVEL_PRIOR = {"country": 2.5, "region": 2.0, "admin1": 1.8, "admin2": 0.0, "point": 0.0}
"""Score added for the level of a candidate (before context)."""
ASSUMED_POPULATION = {"admin2": 30_000, "region": 1_000_000, "point": 0}
"""Population assumed when the sources give none: second-level divisions, curated regions."""
CAPITAL_BONUS = 0.5
"""National capitals are the usual sense of their name ..."""
CAPITAL_OVER_DIVISION = 2.5
"""... and beat a same-named division of their own country ("Washington", "Baghdad", "Tehran")."""
SEAT_OVER_DIVISION = 3.0
"""A town of at least ``SEAT_POPULATION`` that bears the name as its own or in another spelling
("Basrah" for "Basra"; not "New York City" for "New York"), and is not a capital (which
:data:`CAPITAL_OVER_DIVISION` already favours), inside the first-level division of its own name is the usual
sense of a bare name ("a market in Aleppo", "Kharkiv", "Basra"); the division takes this score
instead when the text names it as one ("the Sumy region", "Aleppo province": :attr:`Mention.division`)."""
SEAT_POPULATION = 15_000
NEIGHBOUR_FOCUS = 0.5
"""Share of a country's focus given to its neighbours ("Gaza" in an article about Israel)."""
MAIN_NAME_BONUS = 2.5
EXACT_NAME_BONUS = 0.4
COUNTRY_FOCUS = 3.0
ADMIN1_SUPPORT = 1.5
"""Per other mention in the same first-level division (full weight when that mention resolved there)."""
WEAK_SUPPORT = 0.4
"""... weight when that mention only has a candidate there."""
MAX_SUPPORT = 3.0
SUPPORT_CANDIDATES = 25
NEAR_BONUS = 1.5
NEAR_KM = 100.0
NEAR_REGION_KM = 300.0
FAR_KM = 2500.0
FAR_PENALTY = 1.5
"""Penalty for a candidate farther than ``FAR_KM`` from every other place of the document (spatial
minimality: "Gaza" in an article about Israel and Lebanon is not the Mozambican province)."""
COLOCATED_KM = 40.0
COLOCATED_BONUS = 1.0
"""Per other name of the document with a likely candidate within ``COLOCATED_KM`` of the place (at most
``MAX_COLOCATED`` names): "Huntsville" and "Walker County" are the Texan town and the county it lies
in, not the Alabaman town and county 130 km apart, whatever the current choices."""
MAX_COLOCATED = 2
CONTAINED_BONUS = 6.0
NOT_CONTAINED_PENALTY = 3.0
NAMED_COUNTRY_BONUS = 2.0
"""For the candidates in a country that another mention names as such, when the name has a national
capital or a city of ``BIG_CITY`` people there: "London" in an article that names Canada is London,
Ontario, and "Washington" beside "U.S." is the capital, not the English town. Same-country candidates
all get it, so it never decides between them (a US article naming the US keeps its local reading)."""
BIG_CITY = 100_000
LIST_GAP = 6
"""Mentions at most this many characters apart form a list ("Indiana, Ohio, Montana and Wyoming")."""
LIST_LEVEL_BONUS = 2.0
"""For a candidate of the level of two or more other items of its list of three or more: the items of a
list are peers ("Wyoming" between US states is the state, not the Ohio town)."""
MAX_CANDIDATES = 60
SHORT_COUNTY_PENALTY = 2.0


@dataclass(slots=True)
class Mention:
    """A toponym to resolve: its text and character offsets; ``container`` is the index of the mention
    that contains it ("Mosul, Iraq" -> Mosul's container is Iraq), ``weight`` its share of context."""

    text: str
    start: int
    end: int
    container: int | None = None
    candidates: tuple[Place, ...] = field(default_factory=tuple)
    division: bool = False
    """Whether the text calls the place a division ("the Sumy region", "Anbar province")."""


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (mean Earth radius 6371 km).

    >>> round(haversine_km(33.34, 44.40, 36.34, 43.12))
    353
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def prior(place: Place, mention: str) -> float:
    """Context-free score of ``place`` as the referent of the text ``mention``."""
    pop = place.population or ASSUMED_POPULATION.get(place.level, 0)
    score = math.log10(pop + 1) + LEVEL_PRIOR[place.level]
    if place.feature_code == "PPLC":
        score += CAPITAL_BONUS
    if place.matched == "main":
        score += MAIN_NAME_BONUS
        if normalize(place.name) == normalize(mention):
            score += EXACT_NAME_BONUS
    return score


def _spelling_variant(a: str, b: str, edits: int = 2) -> bool:
    """Whether two normalised names differ by at most ``edits`` letters inserted, deleted or changed.

    >>> _spelling_variant("basrah", "basra"), _spelling_variant("new york city", "new york")
    (True, False)
    """
    if abs(len(a) - len(b)) > edits:
        return False
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1] <= edits


def contains(container: Place, place: Place) -> bool:
    """Whether ``container`` (a country, division or region) contains ``place`` by its codes."""
    if container.geonameid == place.geonameid or not container.country:
        return False
    if container.country != place.country:
        return False
    if container.level == "country":
        return True
    if container.level == "admin1":
        return place.level in ("admin2", "point") and place.admin1_code == container.admin1_code
    return False


def _admin1_keys(mention: Mention) -> set[tuple[str, str]]:
    """First-level divisions that the mention's likelier candidates lie in (or are)."""
    ranked = sorted(mention.candidates, key=lambda p: -prior(p, mention.text))[:SUPPORT_CANDIDATES]
    return {(p.country, p.admin1_code) for p in ranked if p.admin1_code and p.level != "country"}


def _haversine(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """:func:`haversine_km` on arrays (broadcast), operation for operation, so the figures are equal."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi, dlmb = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    root = np.sqrt(h)
    return 2 * 6371.0 * np.arcsin(np.where(root < 1.0, root, 1.0))    # min(1.0, root), NaN -> 1.0 too


class DistanceTable:
    """Distances (km) from each name's candidate places (the rows, in order) to the places chosen so
    far (the columns): each pair is computed once, many at a time, and the table grows as new places
    are chosen; :meth:`effects` gives the far/near tests of :func:`score` for every row at once.

    >>> table = DistanceTable({"huntsville": [HUNTSVILLE_AL, HUNTSVILLE_TX]})        # doctest: +SKIP
    >>> far, near = table.effects({"huntsville": [WALKER_TX]})                         # doctest: +SKIP
    """

    def __init__(self, candidates: dict[str, list[Place]]):
        self.names = list(candidates)
        self.rows = [(n, p) for n in self.names for p in candidates[n]]
        self._name_of_row = np.array([i for i, n in enumerate(self.names) for _ in candidates[n]], dtype=int)
        self._code: dict[str, int] = {}
        self._lat = np.array([p.latitude for _, p in self.rows], dtype=float)[:, None]
        self._lon = np.array([p.longitude for _, p in self.rows], dtype=float)[:, None]
        self._id = np.array([self._code.setdefault(p.geonameid, len(self._code)) for _, p in self.rows], dtype=int)
        self._may_be_far = np.array([p.level != "region" for _, p in self.rows], dtype=bool)
        self._may_be_near = np.array([p.level in ("point", "admin2") for _, p in self.rows], dtype=bool)
        self._col: dict[int, int] = {}
        self._km = np.zeros((len(self.rows), 0))
        self._ground = np.zeros(0, dtype=bool)     # per column: the anchor is not a region
        self._limit = np.zeros(0)                  # per column: the "near" distance of the anchor
        self._anchor_id = np.zeros(0, dtype=int)

    def _add(self, anchors: list[Place]) -> None:
        new = list({id(q): q for q in anchors if id(q) not in self._col}.values())
        if not new:
            return
        for q in new:
            self._col[id(q)] = len(self._col)
        km = _haversine(self._lat, self._lon, np.array([q.latitude for q in new], dtype=float)[None, :],
                        np.array([q.longitude for q in new], dtype=float)[None, :])
        self._km = np.concatenate([self._km, km], axis=1)
        self._ground = np.concatenate([self._ground, np.array([q.level != "region" for q in new], dtype=bool)])
        self._limit = np.concatenate([self._limit, np.array(
            [NEAR_KM if q.level in ("point", "admin2") else NEAR_REGION_KM for q in new], dtype=float)])
        self._anchor_id = np.concatenate([self._anchor_id, np.array(
            [self._code.setdefault(q.geonameid, len(self._code)) for q in new], dtype=int)])

    def effects(self, anchors: dict[str, list[Place]]) -> tuple[np.ndarray, np.ndarray]:
        """For each row (a name's candidate), given each name's anchors (the other names' places):
        whether the place is farther than ``FAR_KM`` from every anchor that is not a region (``far``;
        regions are never far), and whether it is a town or second-level division within ``NEAR_KM`` of
        another anchor (``NEAR_REGION_KM`` of a division or country: ``near``). Two boolean arrays,
        False for a name without anchors."""
        self._add([q for n in self.names for q in anchors.get(n, ())])
        used = np.zeros((len(self.names), len(self._col)), dtype=bool)   # name x column: an anchor of it
        for i, n in enumerate(self.names):
            used[i, [self._col[id(q)] for q in anchors.get(n, ())]] = True
        used_by_row = used[self._name_of_row]
        within = ~(self._km > FAR_KM) & self._ground
        far = self._may_be_far & used.any(axis=1)[self._name_of_row] & ~(used_by_row & within).any(axis=1)
        other = self._id[:, None] != self._anchor_id[None, :]
        near = self._may_be_near & (used_by_row & (self._km < self._limit) & other).any(axis=1)
        return far, near


def distance_effects(places: list[Place], anchors: list[Place]) -> tuple[np.ndarray, np.ndarray]:
    """:meth:`DistanceTable.effects` for one set of places and anchors."""
    return DistanceTable({"": places}).effects({"": anchors})


def _colocated(mentions: list[Mention], texts: list[str]) -> dict[tuple[str, str], int]:
    """(name, geonameid) -> number of other names of the document that have one of their likelier
    candidates (town or second-level division) within ``COLOCATED_KM`` of that place."""
    ranked: dict[str, list[Place]] = {}
    for m, k in zip(mentions, texts):
        if k not in ranked:
            top = sorted(m.candidates, key=lambda p: -prior(p, m.text))[:SUPPORT_CANDIDATES]
            ranked[k] = [p for p in top if p.level in ("point", "admin2")]
    places = [p for ps in ranked.values() for p in ps]
    names = np.array([i for i, ps in enumerate(ranked.values()) for _ in ps], dtype=int)
    lat = np.array([p.latitude for p in places], dtype=float)
    lon = np.array([p.longitude for p in places], dtype=float)
    code: dict[str, int] = {}
    ids = np.array([code.setdefault(p.geonameid, len(code)) for p in places], dtype=int)
    # pairs of places of different names, other places, within a latitude band (cheap), then the distance
    i, j = np.nonzero((np.abs(lat[None, :] - lat[:, None]) < COLOCATED_KM / 111.0)
                      & (names[:, None] != names[None, :]) & (ids[:, None] != ids[None, :]))
    close = _haversine(lat[i], lon[i], lat[j], lon[j]) < COLOCATED_KM
    # per place, the number of distinct other names with a place close by
    count = Counter(a for a, _ in set(zip(i[close].tolist(), names[j[close]].tolist())))
    keys = [k for k, ps in ranked.items() for _ in ps]
    return {(keys[a], p.geonameid): count[a] for a, p in enumerate(places)}


def _context(chosen: list[Place | None], texts: list[str], own: str,
             demonyms: Counter) -> tuple[Counter, list[Place], set[str]]:
    """Country counts, places and the countries named as such, of the mentions with another name than
    ``own`` (a name repeated is no evidence for its own reading)."""
    countries: Counter = Counter(demonyms)
    anchors = []
    named = set()
    for place, text in zip(chosen, texts):
        if place is None or text == own:
            continue
        if place.country:
            countries[place.country] += 1
            if place.level == "country":
                named.add(place.country)
        anchors.append(place)
    return countries, anchors, named


def _big_city(place: Place) -> bool:
    """Whether ``place`` is a national capital or a town of ``BIG_CITY`` people."""
    return place.level == "point" and (place.feature_code == "PPLC" or place.population >= BIG_CITY)


def score(place: Place, mention: Mention, countries: Counter, support: float, anchors: list[Place],
          container: Place | None, neighbours: Counter | None = None,
          effects: tuple[bool, bool] | None = None) -> float:
    """Score of ``place`` for ``mention`` given the document context: ``countries`` (country counts of
    the other mentions and demonyms), ``support`` (how many other mentions point to the place's
    first-level division), ``anchors`` (the other mentions' current places), ``container``.
    ``effects`` is the place's (far, near) from :func:`distance_effects` when already computed for
    many candidates at once."""
    s = prior(place, mention.text)
    total = sum(countries.values())
    if total and place.country:
        focus = countries[place.country] or NEIGHBOUR_FOCUS * (neighbours or {}).get(place.country, 0)
        s += COUNTRY_FOCUS * focus / total
    s += ADMIN1_SUPPORT * min(support, MAX_SUPPORT)
    if effects is None:
        far, near = (bool(flag[0]) for flag in distance_effects([place], anchors))
    else:
        far, near = effects
    if far:
        s -= FAR_PENALTY
    if near:
        s += NEAR_BONUS
    if container is not None:
        s += CONTAINED_BONUS if contains(container, place) else -NOT_CONTAINED_PENALTY
    return s


def resolve(mentions: list[Mention], gazetteer: Gazetteer, demonyms: Counter | None = None,
            rounds: int = 3) -> list[Place | None]:
    """The chosen place of each mention (None when it has no candidate), in document context.

    ``demonyms`` counts countries named by demonyms ("Iraqi" -> IQ) in the document.
    """
    demonyms = demonyms or Counter()
    for m in mentions:
        if not m.candidates:
            m.candidates = gazetteer.candidates(m.text)[:MAX_CANDIDATES]
    if all(len(m.candidates) <= 1 for m in mentions):   # nothing to choose: skip the context
        chosen = [m.candidates[0] if m.candidates else None for m in mentions]
        return [_placed_division(place, chosen, gazetteer) for place in chosen]
    capital_rivals, seats, seat_divisions = {}, {}, {}
    short_counties = {}
    for m in mentions:
        k = normalize(m.text)
        if k not in capital_rivals:
            divisions = {p.country for p in m.candidates if p.level == "admin1"}
            capital_rivals[k] = {p.geonameid for p in m.candidates
                                 if p.feature_code == "PPLC" and p.country in divisions}
            states = {p.country for p in m.candidates if p.level == "admin1" and p.matched == "main"}
            own_divisions = {(p.country, p.admin1_code) for p in m.candidates if p.level == "admin1"}
            seats[k] = {p.geonameid for p in m.candidates if p.level == "point" and p.population >= SEAT_POPULATION
                        and (p.country, p.admin1_code) in own_divisions and p.geonameid not in capital_rivals[k]
                        and (p.matched == "main" or _spelling_variant(normalize(p.name), k))}
            seat_keys = {(p.country, p.admin1_code) for p in m.candidates if p.geonameid in seats[k]}
            seat_divisions[k] = {p.geonameid for p in m.candidates
                                 if p.level == "admin1" and (p.country, p.admin1_code) in seat_keys}
            short_counties[k] = {p.geonameid for p in m.candidates
                                 if p.level == "admin2" and p.matched == "alternate" and p.country in states}
    texts = [normalize(m.text) for m in mentions]
    names_country = {k: any(p.level == "country" and p.matched == "main" for p in m.candidates)
                     for k, m in zip(texts, mentions)}
    keys = {}
    for m in mentions:
        k = normalize(m.text)
        if k not in keys:
            keys[k] = _admin1_keys(m)
    colocated = _colocated(mentions, texts)
    lists = _lists(mentions)
    chosen: list[Place | None] = [
        max(m.candidates, key=lambda p: prior(p, m.text)) if m.candidates else None for m in mentions]
    candidates_of: dict[str, dict[int, Place]] = {}   # name -> its mentions' candidates, once each
    for m, own in zip(mentions, texts):
        for p in m.candidates:
            candidates_of.setdefault(own, {})[id(p)] = p
    candidates_of = {own: list(ps.values()) for own, ps in candidates_of.items()}
    table = DistanceTable(candidates_of)
    for _ in range(rounds):
        chosen_keys: dict[str, set] = {}
        supports: dict[tuple[str, str, str], float] = {}
        for m, place in zip(mentions, chosen):
            if place is not None and place.admin1_code:
                chosen_keys.setdefault(normalize(m.text), set()).add((place.country, place.admin1_code))
        context = {}   # name -> countries, neighbours, places and named countries of the other names
        for own in candidates_of:
            countries, anchors, named = _context(chosen, texts, own, demonyms)
            neighbours: Counter = Counter()
            for cc, n in countries.items():
                for other in gazetteer.neighbours(cc):
                    neighbours[other] += n
            context[own] = countries, neighbours, list({q.geonameid: q for q in anchors}.values()), named
        far, near = table.effects({own: c[2] for own, c in context.items()})
        effects = dict(zip(((own, id(p)) for own, p in table.rows), zip(far.tolist(), near.tolist())))
        new = []
        decided: dict[tuple, Place] = {}   # one decision per name, container and list context
        for i, m in enumerate(mentions):
            if not m.candidates:
                new.append(None)
                continue
            own = texts[i]
            container = chosen[m.container] if m.container is not None else None
            if container is not None and container.level == "country" and names_country[own]:
                container = None      # "Russia, U.S. officials": a list of countries, not "Mosul, Iraq"
            levels = Counter(chosen[j].level for j in lists.get(i, ()) if chosen[j] is not None)
            peer_levels = frozenset(level for level, n in levels.items() if n >= 2)
            memo = (own, container.geonameid if container else None, peer_levels, m.division)
            if memo not in decided:
                countries, neighbours, unique, named = context[own]

                def support(p: Place) -> float:
                    if not p.admin1_code or p.level == "country":
                        return 0.0
                    key = (p.country, p.admin1_code)
                    if (own, *key) not in supports:
                        supports[(own, *key)] = sum(1.0 if key in chosen_keys.get(k, ()) else WEAK_SUPPORT
                                                    for k, ks in keys.items() if k != own and key in ks)
                    return supports[(own, *key)]

                rivals = capital_rivals[own]
                seat_favoured = seat_divisions[own] if m.division else seats[own]
                cities = {p.country for p in m.candidates if p.country in named and _big_city(p)}
                decided[memo] = max(m.candidates, key=lambda p: score(
                    p, m, countries, support(p), unique, container, neighbours, effects[(own, id(p))])
                    + (CAPITAL_OVER_DIVISION if p.geonameid in rivals else 0.0)
                    + (SEAT_OVER_DIVISION if p.geonameid in seat_favoured else 0.0)
                    - (SHORT_COUNTY_PENALTY if p.geonameid in short_counties[own] else 0.0)
                    + (LIST_LEVEL_BONUS if p.level in peer_levels else 0.0)
                    + (NAMED_COUNTRY_BONUS if p.country in cities and p.level != "country" else 0.0)
                    + COLOCATED_BONUS * min(colocated.get((own, p.geonameid), 0), MAX_COLOCATED))
            new.append(decided[memo])
        if new == chosen:
            break
        chosen = new
    return [_placed_division(place, chosen, gazetteer) for place in chosen]


def _lists(mentions: list[Mention]) -> dict[int, list[int]]:
    """Index of each mention in a list of three or more (consecutive mentions at most ``LIST_GAP``
    characters apart) -> the indexes of the other items."""
    out: dict[int, list[int]] = {}
    run = [0]
    for i in range(1, len(mentions) + 1):
        if i < len(mentions) and mentions[i].start - mentions[i - 1].end <= LIST_GAP:
            run.append(i)
            continue
        if len(run) >= 3:
            for j in run:
                out[j] = [k for k in run if k != j]
        run = [i]
    return out


def _placed_division(place: Place | None, chosen: list[Place | None], gazetteer: Gazetteer) -> Place | None:
    """A second-level division whose only known position is its first-level division's (the sources
    give none) takes the middle of the document's towns in that division, when there are some."""
    if place is None or place.level != "admin2" or not place.admin1_code:
        return place
    region = gazetteer.admin1_place(place.country, place.admin1_code)
    if region is None or (round(region.latitude, 3), round(region.longitude, 3)) != \
            (round(place.latitude, 3), round(place.longitude, 3)):
        return place
    towns = [q for q in chosen if q is not None and q.level == "point" and q.country == place.country
             and q.admin1_code == place.admin1_code]
    if not towns:
        return place
    lat = sorted(q.latitude for q in towns)[len(towns) // 2]
    lon = sorted(q.longitude for q in towns)[len(towns) // 2]
    return place._replace(latitude=lat, longitude=lon)
