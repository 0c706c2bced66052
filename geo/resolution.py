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
from dataclasses import dataclass, field

from geo.gazetteer import Gazetteer, Place, normalize

LEVEL_PRIOR = {"country": 2.5, "region": 2.0, "admin1": 1.8, "admin2": 0.0, "point": 0.0}
"""Score added for the level of a candidate (before context)."""
ASSUMED_POPULATION = {"admin2": 30_000, "region": 1_000_000, "point": 0}
"""Population assumed when the sources give none: second-level divisions, curated regions."""
CAPITAL_BONUS = 2.5
"""National capitals ("Washington", "Baghdad") over same-named divisions."""
NEIGHBOUR_FOCUS = 0.5
"""Share of a country's focus given to its neighbours ("Gaza" in an article about Israel)."""
MAIN_NAME_BONUS = 2.0
EXACT_NAME_BONUS = 0.4
COUNTRY_FOCUS = 3.0
ADMIN1_FOCUS = 2.0
NEAR_BONUS = 1.5
NEAR_KM = 150.0
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


def _context(chosen: list[Place | None], skip: int, demonyms: Counter) -> tuple[Counter, Counter, list[Place]]:
    countries: Counter = Counter(demonyms)
    admin1s: Counter = Counter()
    points = []
    for i, place in enumerate(chosen):
        if place is None or i == skip:
            continue
        if place.country:
            countries[place.country] += 1
        if place.level in ("admin1", "admin2", "point") and place.admin1_code:
            admin1s[(place.country, place.admin1_code)] += 1
        if place.level in ("point", "admin2"):
            points.append(place)
    return countries, admin1s, points


def score(place: Place, mention: Mention, countries: Counter, admin1s: Counter, points: list[Place],
          container: Place | None, neighbours: Counter | None = None) -> float:
    """Score of ``place`` for ``mention`` given the document context."""
    s = prior(place, mention.text)
    total = sum(countries.values())
    if total and place.country:
        focus = countries[place.country] or NEIGHBOUR_FOCUS * (neighbours or {}).get(place.country, 0)
        s += COUNTRY_FOCUS * focus / total
    if place.level in ("point", "admin2") and admin1s[(place.country, place.admin1_code)]:
        s += ADMIN1_FOCUS
    if place.level in ("point", "admin2") and points:
        if any(haversine_km(place.latitude, place.longitude, q.latitude, q.longitude) < NEAR_KM
               for q in points if q.geonameid != place.geonameid):
            s += NEAR_BONUS
    if container is not None:
        s += CONTAINED_BONUS if contains(container, place) else -NOT_CONTAINED_PENALTY
    return s


def resolve(mentions: list[Mention], gazetteer: Gazetteer, demonyms: Counter | None = None,
            rounds: int = 2) -> list[Place | None]:
    """The chosen place of each mention (None when it has no candidate), in document context.

    ``demonyms`` counts countries named by demonyms ("Iraqi" -> IQ) in the document.
    """
    demonyms = demonyms or Counter()
    for m in mentions:
        if not m.candidates:
            m.candidates = gazetteer.candidates(m.text)[:MAX_CANDIDATES]
    chosen: list[Place | None] = [
        max(m.candidates, key=lambda p: prior(p, m.text)) if m.candidates else None for m in mentions]
    for _ in range(rounds):
        new = []
        for i, m in enumerate(mentions):
            if not m.candidates:
                new.append(None)
                continue
            countries, admin1s, points = _context(chosen, i, demonyms)
            neighbours: Counter = Counter()
            for cc, n in countries.items():
                for other in gazetteer.neighbours(cc):
                    neighbours[other] += n
            container = chosen[m.container] if m.container is not None else None
            new.append(max(m.candidates,
                           key=lambda p: score(p, m, countries, admin1s, points, container, neighbours)))
        if new == chosen:
            break
        chosen = new
    return chosen
