"""Candidate ranking: choose the place each toponym of a document refers to.

Each mention's candidates (from :meth:`geo.gazetteer.Gazetteer.candidates`) are scored with

* a prior: log10 population, the level (countries and first-level divisions are the usual sense of
  a bare name), whether the mention is the place's own name or only an alternate name;
* the document's context, found iteratively: the countries and first-level divisions of the other
  mentions (and of demonyms such as "Iraqi"), and the distance to the other resolved points;
* explicit containment: "Mosul, Iraq", "Gainesville, Ga." (the container must contain the place).

Example::

    >>> mentions = [Mention("Mosul", 0, 5), Mention("Iraq", 7, 11)]       # doctest: +SKIP
    >>> mentions[0].container = 1                                          # doctest: +SKIP
    >>> [p.name for p in resolve(mentions, Gazetteer.default())]           # doctest: +SKIP
    ['Mosul', 'Iraq']
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field, replace

from geo.gazetteer import Gazetteer, Place, normalize

LEVEL_PRIOR = {"country": 2.5, "region": 2.0, "admin1": 1.8, "admin2": 0.0, "point": 0.0}
"""Score added for the level of a candidate (before context)."""
ASSUMED_POPULATION = {"admin2": 30_000, "region": 1_000_000, "point": 0}
"""Population assumed when the sources give none: second-level divisions, curated regions."""
CAPITAL_BONUS = 0.5
"""National capitals are the usual sense of their name ..."""
CAPITAL_OVER_DIVISION = 2.5
"""... and beat a same-named division of their own country ("Washington", "Baghdad", "Tehran")."""
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
NEAR_KM = 150.0
NEAR_REGION_KM = 300.0
FAR_KM = 2500.0
FAR_PENALTY = 1.5
"""Penalty for a candidate farther than ``FAR_KM`` from every other place of the document (spatial
minimality: "Gaza" in an article about Israel and Lebanon is not the Mozambican province)."""
CONTAINED_BONUS = 6.0
NOT_CONTAINED_PENALTY = 3.0
MAX_CANDIDATES = 60


@dataclass(slots=True)
class Mention:
    """A toponym to resolve: its text and character offsets; ``container`` is the index of the mention
    that contains it ("Mosul, Iraq" -> Mosul's container is Iraq), ``weight`` its share of context."""

    text: str
    start: int
    end: int
    container: int | None = None
    candidates: tuple[Place, ...] = field(default_factory=tuple)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (mean Earth radius 6371 km).

    >>> round(haversine_km(33.34, 44.40, 36.34, 43.12))
    350
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


def _context(chosen: list[Place | None], texts: list[str], own: str, demonyms: Counter) -> tuple[Counter, list[Place]]:
    """Country counts and places of the mentions with another name than ``own`` (a name repeated
    is no evidence for its own reading)."""
    countries: Counter = Counter(demonyms)
    anchors = []
    for place, text in zip(chosen, texts):
        if place is None or text == own:
            continue
        if place.country:
            countries[place.country] += 1
        anchors.append(place)
    return countries, anchors


def score(place: Place, mention: Mention, countries: Counter, support: float, anchors: list[Place],
          container: Place | None, neighbours: Counter | None = None) -> float:
    """Score of ``place`` for ``mention`` given the document context: ``countries`` (country counts of
    the other mentions and demonyms), ``support`` (how many other mentions point to the place's
    first-level division), ``anchors`` (the other mentions' current places), ``container``."""
    s = prior(place, mention.text)
    total = sum(countries.values())
    if total and place.country:
        focus = countries[place.country] or NEIGHBOUR_FOCUS * (neighbours or {}).get(place.country, 0)
        s += COUNTRY_FOCUS * focus / total
    s += ADMIN1_SUPPORT * min(support, MAX_SUPPORT)
    if anchors and place.level != "region" and all(
            haversine_km(place.latitude, place.longitude, q.latitude, q.longitude) > FAR_KM
            for q in anchors if q.level != "region"):
        s -= FAR_PENALTY
    if place.level in ("point", "admin2") and anchors:
        for q in anchors:
            if q.geonameid == place.geonameid:
                continue
            limit = NEAR_KM if q.level in ("point", "admin2") else NEAR_REGION_KM
            if haversine_km(place.latitude, place.longitude, q.latitude, q.longitude) < limit:
                s += NEAR_BONUS
                break
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
    capital_rivals = {}
    for m in mentions:
        k = normalize(m.text)
        if k not in capital_rivals:
            divisions = {p.country for p in m.candidates if p.level == "admin1"}
            capital_rivals[k] = {p.geonameid for p in m.candidates
                                 if p.feature_code == "PPLC" and p.country in divisions}
    texts = [normalize(m.text) for m in mentions]
    keys = {}
    for m in mentions:
        k = normalize(m.text)
        if k not in keys:
            keys[k] = _admin1_keys(m)
    chosen: list[Place | None] = [
        max(m.candidates, key=lambda p: prior(p, m.text)) if m.candidates else None for m in mentions]
    for _ in range(rounds):
        chosen_keys: dict[str, set] = {}
        for m, place in zip(mentions, chosen):
            if place is not None and place.admin1_code:
                chosen_keys.setdefault(normalize(m.text), set()).add((place.country, place.admin1_code))
        new = []
        decided: dict[tuple[str, str | None], Place] = {}   # one decision per name and container
        for i, m in enumerate(mentions):
            if not m.candidates:
                new.append(None)
                continue
            own = texts[i]
            container = chosen[m.container] if m.container is not None else None
            memo = (own, container.geonameid if container else None)
            if memo not in decided:
                countries, anchors = _context(chosen, texts, own, demonyms)
                neighbours: Counter = Counter()
                for cc, n in countries.items():
                    for other in gazetteer.neighbours(cc):
                        neighbours[other] += n
                unique = list({q.geonameid: q for q in anchors}.values())

                def support(p: Place) -> float:
                    if not p.admin1_code or p.level == "country":
                        return 0.0
                    key = (p.country, p.admin1_code)
                    return sum(1.0 if key in chosen_keys.get(k, ()) else WEAK_SUPPORT
                               for k, ks in keys.items() if k != own and key in ks)

                rivals = capital_rivals[own]
                decided[memo] = max(m.candidates, key=lambda p: score(
                    p, m, countries, support(p), unique, container, neighbours)
                    + (CAPITAL_OVER_DIVISION if p.geonameid in rivals else 0.0))
            new.append(decided[memo])
        if new == chosen:
            break
        chosen = new
    return [_placed_division(place, chosen, gazetteer) for place in chosen]


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
    return replace(place, latitude=lat, longitude=lon)
