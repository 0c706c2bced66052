"""Merging across articles: near-duplicate stories, inferred publication times, one row per event.

Three steps, in this order (the order matters, see :func:`infer_publication`)::

    articles = load_articles("data/articles")
    stories = group_stories(articles)                # story_id per article (MinHash LSH)
    articles = infer_publication(articles, stories)  # undated rewrites borrow their story's date
    mentions = ...                                   # run the pipeline with doc._.dct = published
    events = merge_events(mentions, articles, stories)

*Stories* are groups of articles that are rewrites of one report (a wire story and the versions
outlets made of it). *Events* are real-world happenings; one event may be reported by several
stories, and one story reports several events. :func:`merge_events` joins the event mentions of
all articles into one row per event, with every report listed in ``sources``.

Which mentions are one event (:func:`link_mentions`): mentions of one kind with compatible dates,
places, actors and wording; mentions of related kinds (arrests or tear gas at a protest, arson during
an attack, a ceasefire that is agreed: :data:`RELATED_FAMILIES`) only on strong evidence; the merged
row takes its type by vote (:func:`_event_kind`). Modality: asserted reports merge with asserted
ones, plans, threats and conditions (intended, hypothetical) with each other, negations with
negations. An asserted mention joins a plan only within one sentence ("agreed to an immediate
ceasefire"), and the row is then asserted, as ACLED keeps the asserted event; otherwise a threat or a
plan is its own record, apart from the attack that may follow it.

Example::

    >>> stories = group_stories(articles)                       # doctest: +SKIP
    >>> stories.nunique()                                        # doctest: +SKIP
    1
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from datasketch import MinHash, MinHashLSH
from spacy.lang.en.stop_words import STOP_WORDS

from timeline.schema import EVENT_COLUMNS

__all__ = [
    "group_stories", "infer_publication", "link_mentions", "merge_events", "evaluate_merging",
    "mention_keys", "MergeSettings", "load_merging_set", "align_mentions", "articles_without_events",
]

STORY_THRESHOLD = 0.20
"""Jaccard similarity of two long articles' word sets above which they are rewrites of one story.

Short texts need more (:data:`STORY_LENGTH_TERM`). Tuned on paraphrased rewrites (the seed
articles' pairs lie between 0.19 and 0.36, the test set's between 0.23 and 0.48) against
same-topic different-story pairs (GeoVirus outbreak reports: 13 of 26,106 pairs above 0.22)."""
STORY_LENGTH_TERM = 0.28
"""Two articles are linked at ``STORY_THRESHOLD + STORY_LENGTH_TERM / sqrt(n)``, n the smaller
feature set: topic words make up more of a short text, so unrelated short reports on one topic
overlap more (0.26 for 23 features, 0.22 for 220, 0.21 for 1,000)."""
STORY_WINDOW_DAYS = 2
"""Two dated articles more than this many days apart are never rewrites of one story: outlets
rewrite a wire report within a day or two (every dated story of the merging test set spans at most
one day); a report three days later that repeats the names and figures is a follow-up ("new strikes
on the port"), an independent source."""
NUM_PERM = 128
"""MinHash permutations (fixed, with a fixed seed, so story ids are the same on every run)."""
MINHASH_SEED = 1
PUBLICATION_LOOKBACK_DAYS = 3
"""A mention dated only by its article's publication time happened up to this many days before
it: news reports what happened in the last day or two; older events come with a date."""

_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_STEM = 6
_BASIS_RANK = {"explicit": 0, "relative_text": 1, "relative_dct": 2, "inferred": 3, "publication": 4,
               "undated": 5}
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "quarter": 3, "season": 3, "year": 4, "decade": 5}
_DCT_BASES = frozenset({"relative_dct", "publication"})
_BOUND_BASES = frozenset({"publication", "bound"})
"""Bases of a date that only bounds the event from above: the publication day, or the date of the
statement or reaction that tells it ("condemned the attack on Thursday"); the event happened in the
``lookback_days`` up to it."""


# --------------------------------------------------------------------------------------------
# text features


def _words(text: str | None) -> list[str]:
    """Lower-cased words of ``text`` with apostrophes unified; empty for None."""
    if not isinstance(text, str):
        return []
    return [m.group(0).lower().replace("’", "'") for m in _WORD.finditer(text)]


def _stems(text: str | None, stem: int = _STEM) -> set[str]:
    """Content-word stems: stop words and one- or two-letter words dropped, words cut to ``stem``
    letters (a crude stemmer that makes "disarm", "disarming" and "disarmament" one feature)."""
    return {w[:stem] for w in _words(text) if w not in STOP_WORDS and (len(w) > 2 or w.isdigit())}


def article_features(text: str) -> set[str]:
    """The set an article is compared by: content-word stems, plus each capitalised word or number
    once more (tagged ``@``), so the names and figures rewrites keep weigh twice.

    >>> sorted(article_features("Militias left Mosul in 2025."))
    ['2025', '@2025', '@militi', '@mosul', 'left', 'militi', 'mosul']
    """
    out: set[str] = set()
    for m in _WORD.finditer(text or ""):
        word = m.group(0)
        low = word.lower().replace("’", "'")
        if low in STOP_WORDS or (len(low) < 3 and not low.isdigit()) or low.isdigit() and len(low) < 2:
            continue
        out.add(low[:_STEM])
        if word[0].isupper() or word[0].isdigit():
            out.add("@" + low[:_STEM])
    return out


_NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                      "ninety": 90})


def _numbers(sentence: str | None, date_text: str | None = None) -> frozenset:
    """The counts a sentence gives ("three fighters", "40 people", "1,200"), as integers; years,
    and the words of its linked date expression, left out.

    >>> sorted(_numbers("Forty people were held and 3 hurt on June 3", "June 3"))
    [3, 40]
    """
    if not isinstance(sentence, str):
        return frozenset()
    if isinstance(date_text, str) and date_text:
        sentence = sentence.replace(date_text, " ")
    out = set()
    for word in _words(sentence):
        digits = word.replace(",", "")
        if digits.isdigit():
            if not (len(digits) == 4 and 1900 <= int(digits) <= 2100):
                out.add(int(digits))
        elif word in _NUMBER_WORDS:
            out.add(_NUMBER_WORDS[word])
    return frozenset(out)


def _jaccard(a: set, b: set) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _short_hash(text: str, digits: int = 12) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:digits]


def _missing(value) -> bool:
    """True for None, NaN, pandas NA and empty strings."""
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _value(value):
    """``value`` with missing values as None."""
    return None if _missing(value) else value


def _day(value) -> date | None:
    """The date of an ISO 8601 date or date-time string (``2025-04-07T09:34`` -> 2025-04-07)."""
    if _missing(value):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# stories


def _check_articles(articles: pd.DataFrame, needed: tuple[str, ...]) -> None:
    absent = [c for c in needed if c not in articles.columns]
    if absent:
        raise ValueError(f"article table lacks column(s) {', '.join(absent)}")
    ids = articles["article_id"]
    if ids.isna().any():
        raise ValueError("article table has rows without article_id")
    duplicated = sorted(set(ids[ids.duplicated()].astype(str)))
    if duplicated:
        raise ValueError(f"article table repeats article_id {', '.join(duplicated[:5])}")


def group_stories(articles: pd.DataFrame, threshold: float = STORY_THRESHOLD,
                  window_days: int = STORY_WINDOW_DAYS, length_term: float = STORY_LENGTH_TERM) -> pd.Series:
    """The story each article belongs to: ``story-`` + 12 hex digits of a hash of its members' ids.

    Articles are compared by :func:`article_features` of title and text. MinHash LSH (datasketch,
    ``NUM_PERM`` permutations, seed ``MINHASH_SEED``, at half the threshold) proposes candidate
    pairs; a pair is linked when its exact Jaccard similarity is at least
    ``threshold + length_term / sqrt(n)`` (n: the smaller feature set) and no two dated members of
    the resulting story were published more than ``window_days`` apart. An article without a
    publication time that is still alone then joins the article it most resembles when they are at
    least ``threshold`` alike (without a story it could not be dated at all).
    Stories are the connected groups of linked articles (linked most similar pair first).
    Returns a Series named ``story_id`` on ``articles.index``.

    >>> group_stories(articles).groupby(level=0).size()         # doctest: +SKIP
    """
    _check_articles(articles, ("article_id", "text"))
    ids = articles["article_id"].astype(str).tolist()
    titles = articles["title"] if "title" in articles.columns else pd.Series([""] * len(ids))
    texts = [f"{t if isinstance(t, str) else ''}\n{x if isinstance(x, str) else ''}"
             for t, x in zip(titles, articles["text"])]
    published = ([_day(p) for p in articles["published"]] if "published" in articles.columns
                 else [None] * len(ids))
    features = [article_features(t) for t in texts]

    # LSH finds pairs near its threshold only by chance: ask it for half the similarity, then check
    # each candidate pair exactly
    lsh = MinHashLSH(threshold=threshold / 2, num_perm=NUM_PERM)
    signatures = []
    for i, feats in enumerate(features):
        sig = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED)
        sig.update_batch([f.encode("utf-8") for f in sorted(feats)])
        signatures.append(sig)
        if feats:
            lsh.insert(i, sig)

    pairs = []
    for i, feats in enumerate(features):
        if feats:
            pairs.extend((_jaccard(feats, features[j]), i, j) for j in lsh.query(signatures[i]) if j > i)
    parent = list(range(len(ids)))
    span = [(d, d) for d in published]  # earliest and latest publication day of each group

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # most similar pairs first; a link that would make a story span more than window_days is
    # refused, so an undated article cannot chain two stories of different weeks together
    for similarity, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        ri, rj = find(i), find(j)
        needed = threshold + length_term / math.sqrt(max(1, min(len(features[i]), len(features[j]))))
        if similarity < needed or ri == rj:
            continue
        days = [d for d in (*span[ri], *span[rj]) if d is not None]
        if days and (max(days) - min(days)).days > window_days:
            continue
        parent[rj] = ri
        span[ri] = (min(days), max(days)) if days else (None, None)

    # an undated article left alone joins the report it most resembles at the base threshold: it
    # cannot be dated without a story, and its nearest report is its own story's (in every part of
    # the merging test set)
    alone = Counter(find(i) for i in range(len(ids)))
    best: dict[int, tuple[float, int]] = {}
    for similarity, i, j in pairs:
        for own, other in ((i, j), (j, i)):
            if published[own] is None and similarity > best.get(own, (0.0, -1))[0]:
                best[own] = (similarity, other)
    for i, (similarity, j) in sorted(best.items()):
        if alone[find(i)] == 1 and similarity >= threshold and find(i) != find(j):
            parent[find(i)] = find(j)

    members: dict[int, list[str]] = {}
    for i in range(len(ids)):
        members.setdefault(find(i), []).append(ids[i])
    story_of_root = {root: "story-" + _short_hash("\n".join(sorted(m))) for root, m in members.items()}
    return pd.Series([story_of_root[find(i)] for i in range(len(ids))], index=articles.index,
                     name="story_id", dtype=object)


def infer_publication(articles: pd.DataFrame, stories: pd.Series) -> pd.DataFrame:
    """A copy of ``articles`` where each article without ``published`` borrows its story's date.

    The borrowed value is the (lower) median publication day of the story's dated members, as an
    ISO date (the day only: rewrites appear within hours or days of each other, so the time of day
    would be false precision), with ``published_basis="inferred"``. Articles whose story has no
    dated member keep an empty ``published``. Also adds the ``story_id`` column.

    Run this BEFORE the pipeline: relative dates ("last month") and publication-dated events are
    resolved against ``doc._.dct``, which is the article's ``published``. The extraction flow is
    load -> :func:`group_stories` -> :func:`infer_publication` -> pipeline -> :func:`merge_events`.

    >>> infer_publication(articles, group_stories(articles))[["published", "published_basis"]]  # doctest: +SKIP
    """
    _check_articles(articles, ("article_id", "published"))
    out = articles.copy()
    out["story_id"] = stories.reindex(out.index).astype(object)
    if "published_basis" not in out.columns:
        out["published_basis"] = None
    out["published"] = out["published"].astype(object)
    out["published_basis"] = out["published_basis"].astype(object)
    days = out["published"].map(_day)
    for story, idx in out.groupby("story_id", sort=True).groups.items():
        dated = sorted(d for d in days[idx] if d is not None)
        if not dated:
            continue
        borrowed = dated[(len(dated) - 1) // 2].isoformat()
        for i in idx:
            if _missing(out.at[i, "published"]):
                out.at[i, "published"] = borrowed
                out.at[i, "published_basis"] = "inferred"
    return out


# --------------------------------------------------------------------------------------------
# mentions -> events


@dataclass(frozen=True)
class MergeSettings:
    """Weights and thresholds of :func:`link_mentions` (tuned on ``tests/data/merging``).

    Two mentions of one family (:func:`_family`) and one modality class (:func:`_modality_class`),
    or of related families (:data:`RELATED_FAMILIES`, see :func:`_kind_relation`), with compatible
    dates and places, get the score::

        sentence similarity + actor_weight * actor overlap + place bonus + date bonus
        + same_trigger + same_story (or same_article) - kind penalty - other_numbers + same_numbers

    (similarities in [0, 1]; the kind penalty is ``other_kind`` for related families, else
    ``other_event_type`` or ``other_sub_event_type``; ``other_numbers`` when the sentences of two
    articles give counts and none agree: "40 arrested" and "12 arrested" are two events;
    ``same_numbers`` when the clauses that tell two dated violent events, demonstrations or arrests
    (:func:`_trigger_clause`) give one count of three or more: "killing three dock workers" and
    "three dock workers were killed"; related
    families need sentences ``min_related_text`` alike, or one sentence or story, see
    :func:`_pair_score`) and are mergeable when it reaches ``threshold``, or
    ``threshold_unknown_place`` when a place is unknown (a missing place vetoes nothing, so the
    rest must agree more). Mentions from different stories lose ``no_text_evidence`` when
    sentence, actors and trigger alone give less than ``min_text_evidence``. Clusters join when
    the mean margin (score - threshold) of all their cross pairs is at least ``average_margin``
    (average linkage).
    """

    threshold: float = 0.4
    threshold_unknown_place: float = 0.5
    actor_weight: float = 0.3
    same_place: float = 0.3
    nested_place: float = 0.15
    other_place: float = 0.2
    other_numbers: float = 0.3
    same_numbers: float = 0.3
    both_dated: float = 0.15
    same_trigger: float = 0.1
    same_story: float = 0.2
    same_article: float = 0.5
    other_sub_event_type: float = 0.1
    other_event_type: float = 0.1
    other_kind: float = 0.2
    min_related_text: float = 0.25
    near_date: float = 0.2
    date_slack_days: int = 1
    lookback_days: int = PUBLICATION_LOOKBACK_DAYS
    average_margin: float = -0.2
    min_text_evidence: float = 0.15
    no_text_evidence: float = 0.3


def mention_keys(mentions: pd.DataFrame) -> pd.Series:
    """A stable key per mention: ``article_id@trigger_start``, plus ``:place_start`` when the
    trigger has one mention per coordinated place (``article_id#n`` for the n-th mention of an
    article when the trigger offset is unknown)."""
    keys = []
    seen: Counter = Counter()
    n = len(mentions)
    starts = mentions["trigger_start"] if "trigger_start" in mentions.columns else [None] * n
    places = mentions["place_start"] if "place_start" in mentions.columns else [None] * n
    for article_id, start, place in zip(mentions["article_id"].astype(str), starts, places):
        seen[article_id] += 1
        if _missing(start):
            keys.append(f"{article_id}#{seen[article_id]}")
        else:
            keys.append(f"{article_id}@{int(start)}" + ("" if _missing(place) else f":{int(place)}"))
    return pd.Series(keys, index=mentions.index, name="mention_key", dtype=object)


@dataclass
class _Mention:
    """What the pair test needs of one mention, prepared once."""

    kind: str | None
    modality: str
    event_type: str | None
    sub_event_type: str | None
    article_id: str
    story_id: str | None
    sentence_start: int | None
    sentence_end: int | None
    trigger_start: int | None
    start: date | None
    end: date | None
    basis: str
    geonameid: str | None
    level: str | None
    admin1: str | None
    country: str | None
    place_words: frozenset
    place_names: frozenset
    place_inherited: bool
    article_words: frozenset
    sentence_words: frozenset
    sentence_stems: frozenset
    numbers: frozenset
    actor_stems: frozenset
    trigger_stem: str | None
    trigger_words: frozenset
    object_of_reaction: bool
    reference: bool
    names_stand_off_weapon: bool
    generic_reference: bool
    noun: str | None
    modifiers: frozenset
    place_in_between: bool
    retaliation_object: bool
    opens_new_event: bool
    place_elsewhere: bool
    place_opens_sentence: bool
    told_as_earlier: bool
    named_by_its_day: bool
    quoted: bool
    pronoun_subject: bool
    toll: bool
    clause_numbers: frozenset
    moved_clauses: int
    day_part: int | None
    antecedent: "_Mention | None" = None


_VIOLENCE = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_DEMONSTRATIONS = frozenset({"Protests", "Riots"})


def _family(event_type: str | None, sub_event_type: str | None) -> str | None:
    """Which kinds are one kind for merging: violent event types together (a drone strike that kills
    three fighters is typed as a strike by one outlet and a clash by another), protests and riots
    together, and each kind of strategic development on its own (talks, a ceasefire and an
    agreement reached at the talks are three events)."""
    if event_type in _VIOLENCE:
        return "violence"
    if event_type in _DEMONSTRATIONS:
        return "demonstration"
    return f"{event_type}/{sub_event_type}"


RELATED_FAMILIES: dict[frozenset, str] = {frozenset(pair): link for *pair, link in (
    ("violence", "Strategic developments/Looting/property destruction", "part"),
    ("demonstration", "Strategic developments/Arrests", "part"),
    ("demonstration", "Strategic developments/Demand", "part"),
    ("Strategic developments/Agreement", "Strategic developments/Ceasefire", "part"),
    ("demonstration", "violence", "text"),
)}
"""Pairs of families (:func:`_family`) whose mentions may be one event, but only on strong evidence
(:func:`_pair_score`). ``part``: one is commonly a part of the other, so two mentions in one story
may be one event: arson or looting during an attack, arrests at a demonstration (ACLED's "Protest
with intervention"), the demands a demonstration makes, a ceasefire that is agreed ("agreed to an
immediate ceasefire"). ``text``: only when the sentences say so (one sentence, or alike sentences):
"police fired tear gas at the protesters" is the protest, but a grenade thrown in the same town that
night is not. The events component types such parts of one event apart, and different outlets type
one event differently."""

SECONDARY_FAMILIES = frozenset({"Strategic developments/Looting/property destruction",
                                "Strategic developments/Arrests", "Strategic developments/Demand",
                                "Strategic developments/Ceasefire"})
"""Families that describe a part or consequence of a larger event: in a merged event that also has
other kinds, their mentions count half when the row's type is chosen (:func:`_event_kind`)."""

STAND_OFF_SUB_EVENT_TYPES = frozenset({"Air/drone strike", "Shelling/artillery/missile attack"})
GROUND_SUB_EVENT_TYPES = frozenset({"Armed clash", "Attack", "Abduction/forced disappearance", "Sexual violence",
                                    "Government regains territory", "Non-state actor overtakes territory"})
"""Sub-event types of violence fired from afar and of violence on the ground. ACLED codes one
sub-event type per event, and an air strike or shelling reported in another sentence than an
ambush, an attack or a clash is a separate action, mostly by another actor: the army's drone strike
on the attackers as they withdrew is its own event beside their ambush (:func:`_separate_actions`).
"The police killed two of the attackers" during the attack stays the attack (both on the ground)."""
_STAND_OFF_WORD = re.compile(r"(?:air|(?:air-?)?strikes?|drones?|bomb\w*|shell(?:s|ed|ing)?|missiles?|rockets?|"
                             r"artillery|mortars?|jets?|warplanes?|aircraft|helicopters?|gunships?)")
"""Words that name a weapon fired from afar ("airstrike", "drones", "shelling", "air" of "air
raid"): a ground-typed mention whose sentence names one may be the strike itself ("three were killed
when a drone hit their car"), typed by its verb."""
_TOLL_FAMILIES = frozenset({"violence", "demonstration", "Strategic developments/Arrests"})
"""Families whose counts are tolls (killed, wounded, marchers, arrested): two dated reports of one of
them that give one toll are likely one event (``same_numbers``)."""
_TOLL_WORDS = frozenset({"killed", "dead", "died", "wounded", "injured", "hurt"})
"""Triggers of a casualty toll: with no actor, place or date of its own ("Two crew members were
injured") such a mention is the toll of the event told before it (:func:`_find_antecedents`)."""
_GENERIC_NOUNS = frozenset({"attack", "attacks", "incident", "fighting", "clash", "clashes", "violence", "blast",
                            "explosion", "bombing", "shelling", "strike", "strikes", "raid", "raids", "ambush",
                            "march", "protest", "rally", "demonstration", "kidnapping", "abduction", "assault"})
"""Event nouns that, after a determiner ("the attack", "the fighting", "the march"), refer back to an
event told elsewhere rather than describe one."""
_DETERMINERS = frozenset({"the", "this", "that", "these", "those", "its", "their"})
_NOUN_SUB_EVENT_TYPES = {"kidnapping": "Abduction/forced disappearance", "abduction": "Abduction/forced disappearance",
                         "shelling": "Shelling/artillery/missile attack"}
"""Generic nouns that name one sub-event type ("the kidnapping" is an abduction, whatever else the
article told before it; "the attack" or "the raid" may be a strike or a ground attack)."""


def _noun(trigger: str | None) -> str | None:
    """The trigger's last word without a plural "s" ("raids" and "raid" name one thing).

    >>> _noun("air raids")
    'raid'
    """
    words = _words(trigger)
    return None if not words else words[-1][:-1] if words[-1].endswith("s") and len(words[-1]) > 3 else words[-1]


_UNNAMING_WORDS = frozenset({"first", "second", "third", "last", "latest", "next", "previous", "same", "other",
                             "recent", "new", "deadly", "major", "worst", "biggest", "fierce", "fiercest", "heavy",
                             "renewed", "alleged", "suspected", "apparent", "whole", "entire", "initial"})
"""Words before an event noun that rank or judge it rather than name it ("the first explosion")."""


def _modifiers(sentence: str | None, sentence_start, trigger_start, trigger: str | None) -> frozenset:
    """The word between a determiner and a generic noun that names the event ("the market raid",
    "the prison blast"): such a reference is the event told with that word. Empty otherwise, and
    for words that only rank or judge (:data:`_UNNAMING_WORDS`: "the first explosion").

    >>> sorted(_modifiers("The toll from the market raid rose.", 0, 25, "raid"))
    ['market']
    >>> sorted(_modifiers("Turkey backs the rebel groups fighting Assad.", 0, 30, "fighting"))
    []
    """
    words = _words(trigger)
    if not words or words[-1] not in _GENERIC_NOUNS:
        return frozenset()
    before = _words_before(sentence, sentence_start, trigger_start)[-2:]
    if len(before) < 2 or before[0] not in _DETERMINERS or before[1] in _UNNAMING_WORDS \
            or len(before[1]) < 3 or not before[1].isalpha():
        return frozenset()
    return frozenset(before[1:])


def _generic_reference(sentence: str | None, sentence_start, trigger_start, trigger: str | None) -> bool:
    """Whether the trigger is a generic noun after a determiner ("condemned the attack"): a
    reference back to an event told elsewhere, whatever weapon it used.

    >>> _generic_reference("Baghdad condemned the attack.", 0, 22, "attack")
    True
    """
    words = _words(trigger)
    if not words or words[-1] not in _GENERIC_NOUNS:
        return False
    before = _words_before(sentence, sentence_start, trigger_start)
    return bool(before) and before[-1] in _DETERMINERS


NEAR_DUPLICATE_SENTENCES = 0.5
"""Stem Jaccard similarity above which two sentences are rewrites of one sentence."""


_FIREARM_TRIGGERS = frozenset({"shot", "shoot", "shooting", "shootings", "gunned", "gunfire", "stabbed", "stabbing"})
_EXPLOSIVE_TRIGGERS = frozenset({"bomb", "bombing", "bombings", "blast", "blasts", "explosion", "explosions",
                                 "exploded", "explode", "detonated", "detonate", "grenade", "ied", "landmine", "mine"})


def _weapon(m: _Mention) -> str | None:
    """``"firearm"`` or ``"explosive"`` when the trigger's own words name how the harm was done ("was
    shot", "gunned down"; "the bombing", "exploded"), else None (a toll, "attack", "killed")."""
    words = m.trigger_words
    if words & _FIREARM_TRIGGERS:
        return "firearm"
    if words & _EXPLOSIVE_TRIGGERS:
        return "explosive"
    return None


def _separate_actions(a: _Mention, b: _Mention) -> bool:
    """Whether two asserted violent mentions of different sentences are different actions: one of a
    :data:`STAND_OFF_SUB_EVENT_TYPES` type, the other of a :data:`GROUND_SUB_EVENT_TYPES` type in a
    sentence that names no weapon fired from afar and not a reference back ("condemned the
    attack", :func:`_generic_reference`; "the market raid", :func:`_modifiers`), and the sentences
    are not rewrites of one sentence (stem
    Jaccard below :data:`NEAR_DUPLICATE_SENTENCES`). Threats and plans are left to the other tests:
    "the threat of airstrikes" and "to avoid being targeted" are one threat however each is typed."""
    if a.modality != "asserted" or b.modality != "asserted":
        return False
    weapons = {_weapon(a), _weapon(b)}
    if weapons == {"firearm", "explosive"} and _jaccard(a.sentence_stems, b.sentence_stems) < NEAR_DUPLICATE_SENTENCES:
        return True  # "a councilman was shot outside a mosque" is not the bombing told beside it
    for remote, ground in ((a, b), (b, a)):
        if (remote.sub_event_type in STAND_OFF_SUB_EVENT_TYPES and ground.sub_event_type in GROUND_SUB_EVENT_TYPES
                and not ground.names_stand_off_weapon and not (ground.generic_reference or ground.modifiers)
                and not ground.toll
                and _jaccard(a.sentence_stems, b.sentence_stems) < NEAR_DUPLICATE_SENTENCES):
            return True
    return False


_UNREALISED = frozenset({"intended", "hypothetical"})
_RETALIATION_WORDS = frozenset({"response", "retaliation", "retaliating", "reprisal", "reprisals", "revenge",
                                "avenge", "avenging"})
"""Words that, just before a trigger, make its event what another action answers ("calling the raids
a response to the attack on the vessel"): another event, even of the same kind."""
_REACTION_WORDS = frozenset({"against", "over", "condemn", "condemning", "condemned", "denounce", "denouncing",
                             "denounced", "decry", "decrying", "decried"}) | _RETALIATION_WORDS
"""Words that, just before a trigger, make its event what a protest or statement reacts to ("marched
to protest against the drone strike"), not a part of it."""
_NEW_EVENT_OPENING = re.compile(
    r"(?:(?:(?:a\s+few|several|\d+|an?|[a-z]+)\s+)?(?:hours|days?)\s+(?:later|earlier|after\s[^,]{3,80}(?=,))|"
    r"(?:later|earlier)\s+(?:that|the\s+same|in\s+the)\s+(?:day|morning|afternoon|night|evening)|"
    r"(?:late\s+)?that\s+(?:night|evening)|overnight|the\s+(?:next|following|previous)\s+(?:day|morning|night|evening)|"
    r"(?:later|late|earlier)\s+on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"separately|elsewhere|(?:[^,]{1,40},\s*)?in\s+(?:a\s+separate|another)\s+(?:incident|attack|development))\b",
    re.IGNORECASE)
"""A sentence opening that moves the telling to another time ("Hours later, US warplanes
bombed...", "Overnight, the house ... was torched", "The next day", "Hours earlier, a grenade ...",
"Later on Thursday, soldiers repelled ...", "Late that night, a drone struck ...")
or says outright that it tells another event ("Separately, ...", "Elsewhere, ...", "In a separate
incident, ...", "On Saturday evening, in a separate attack, ..."): what it tells is another action than the events told before it in the article
(the strike on the attackers, the retaliation, the curfew, a clash in another town)."""
_MOVED_CLAUSE = re.compile(
    r"(?:,\s*(?:and|while|but)|;(?:\s*and)?)\s+(?=[^,;]*?\b(?:(?:hours?|days?)\s+(?:later|earlier)|"
    r"(?:the\s+same|later\s+that|that)\s+(?:day|morning|afternoon|evening|night))\b)", re.IGNORECASE)
"""A clause joined to the sentence before it that tells its own time relative to the first
("..., and the same evening militants opened fire on the camp", "..., and a grenade attack on a shop
hours earlier wounded three"): its action is another event than the first clause's."""
_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]+(?:,[^,—]{1,40})?\s+(?:—|–|--)\s*")
"""A dateline before the first sentence ("GAGNOA, Ivory Coast — ")."""
_ELSEWHERE_WORDS = frozenset({"nearby", "neighbouring", "neighboring"})


def _without_dateline(text: str) -> str:
    """``text`` from its first word after a dateline and opening quotes ("GAGNOA, Ivory Coast — ")."""
    return _DATELINE.sub("", text.strip()).lstrip("\"'“ ")


_PRONOUN_OPENING = re.compile(r"\s*(?:It|They)\s+(?!is\b|was\b|said\b|says\b|added\b)[a-z]")
"""A sentence that opens with a pronoun subject ("It exploded on the road"): it goes on telling the
event of the sentence before it (:func:`_find_antecedents`)."""
_SENTENCE_GAP = 3
"""At most this many characters (spaces, a line break) between a sentence and the one after it."""


_REFERENCE_CUE = re.compile(r"\b(?:(?P<count>\d+|an?|[a-z]+)\s+)?(?P<unit>hours?|days?|weeks?|months?|years?)\s+"
                           r"(?P<direction>after|before|since)\b", re.IGNORECASE)
"""A follow-up's time reference ("on Friday, three days after the raid in which ..."): the events
named after it are earlier (or later) events the sentence measures time from."""


def _reference_offset(sentence: str | None) -> tuple[int, int] | None:
    """Where the event a follow-up cue names lies, in days from the sentence's own date: ``(-3, -3)``
    for "three days after", ``(-1, 0)`` for "hours after", ``(2, 2)`` for "two days before"; None
    for a cue without a count of hours or days ("weeks after").

    >>> _reference_offset("Troops clashed on Friday, three days after the raid.")
    (-3, -3)
    """
    cue = _REFERENCE_CUE.search(sentence) if isinstance(sentence, str) else None
    if cue is None:
        return None
    sign = 1 if cue.group("direction").lower() == "before" else -1
    unit, count = cue.group("unit").lower(), (cue.group("count") or "").lower()
    if unit.startswith("hour"):
        return (0, 1) if sign > 0 else (-1, 0)
    days = 1 if count in ("a", "an") else int(count) if count.isdigit() else _NUMBER_WORDS.get(count)
    if not unit.startswith("day") or days is None:
        return None
    return sign * days, sign * days


def _date_references(prepared: list[_Mention], rows: list[dict]) -> None:
    """Date the events named after a follow-up cue (:data:`_REFERENCE_CUE`) from the cue's count:
    "three days after the missile strike" in a sentence of Tuesday, or right after a sentence dated
    Tuesday ("Russian artillery shelled Kharkiv on Tuesday. It came three days after a missile
    strike"), puts the strike on Saturday, so it can join Saturday's reports and never Tuesday's
    shelling. The sentence's own date is the row's when it is a day; otherwise the last day-dated
    event told before it in the article. Mentions with no such date stay undated. Changes
    ``prepared`` in place."""
    last_day: dict[str, date] = {}
    order = sorted(range(len(rows)), key=lambda i: (prepared[i].article_id, prepared[i].trigger_start or 0))
    for i in order:
        m, row = prepared[i], rows[i]
        if not m.reference:
            if m.start is not None and m.start == m.end and m.basis not in ("publication", "undated"):
                last_day[m.article_id] = m.start
            continue
        own = _day(row.get("date_start"))
        if not (own and row.get("date_precision") == "day" and row.get("date_basis") not in ("publication", "undated")):
            own = last_day.get(m.article_id)
        offset = _reference_offset(row.get("sentence"))
        if own is not None and offset is not None:
            m.start, m.end = own + timedelta(days=offset[0]), own + timedelta(days=offset[1])
            m.basis = "bound" if m.told_as_earlier else "relative_text"  # "six days after they freed the
            # passengers following talks": the talks came before the release


_RESOLVED_BY_ANTECEDENT = ("modality", "start", "end", "basis", "geonameid", "level", "admin1", "country",
                           "place_words", "place_names", "place_inherited")
"""What a reference back takes from its antecedent (:func:`_find_antecedents`)."""


def _quoted(sentence: str | None, sentence_start, trigger_start) -> bool:
    """Whether the trigger stands inside a quotation (""we must fight together," he said"): an open
    quotation mark before it in its sentence.

    >>> _quoted('"We must fight together," the minister said.', 0, 9)
    True
    """
    before = _text_before(sentence, sentence_start, trigger_start)
    return before is not None and (before.count('"') % 2 == 1 or before.count("“") > before.count("”"))


def _antecedent(m: _Mention, before: list[_Mention]) -> _Mention | None:
    """The event a reference back or toll ``m`` refers to, among the mentions told before it in its
    article (``before``, in telling order): for a reference with a modifier ("the market raid"), the
    last mention of its family told in an earlier sentence with that word ("an air raid on a
    market"); for a generic reference, the last mention told with its noun ("the raids": "dawn
    raids"), or none when that mention is of another family (the reference is typed wrong); else the
    last mention of its family that is not what a reaction, retaliation or "after" names, of the
    sub-event type its noun names if any (:data:`_NOUN_SUB_EVENT_TYPES`: "the kidnapping" is the
    abduction, not the grenade attack told after it). A reference that names its own place ("the
    attack on Sumy") refers only to a mention at that place (or within it, or of no known place)."""
    if not m.place_inherited and (m.place_words or m.geonameid is not None):
        before = [c for c in before if _place_relation(m, c) in ("same", "nested", "unknown")]
    family = [c for c in before if c.kind == m.kind]
    if m.modifiers:
        named = [c for c in family if m.modifiers & c.sentence_words and c.sentence_start != m.sentence_start]
        return named[-1] if named else None
    if m.generic_reference:
        named = [c for c in before if c.noun == m.noun]
        if named:
            return named[-1] if named[-1].kind == m.kind else None
    family = [c for c in family if not (c.object_of_reaction or c.retaliation_object or c.told_as_earlier
                                        or c.named_by_its_day)]
    stand_off = m.sub_event_type in STAND_OFF_SUB_EVENT_TYPES
    family = [c for c in family if (c.sub_event_type in STAND_OFF_SUB_EVENT_TYPES) == stand_off] or family
    # "the fighters who carried out the raid": a raid on the ground, not the air strike told before it
    if m.generic_reference and m.noun in _NOUN_SUB_EVENT_TYPES:
        family = [c for c in family if c.sub_event_type == _NOUN_SUB_EVENT_TYPES[m.noun]] or family
    return family[-1] if family else None


def _find_antecedents(prepared: list[_Mention]) -> None:
    """Give each generic reference back ("condemned the attack", :func:`_generic_reference`), each
    reference with modifiers ("the market raid", :func:`_modifiers`) and each bare toll ("Two crew
    members were injured", :data:`_TOLL_WORDS`) its antecedent (:func:`_antecedent`) among the
    mentions told before it in its article (in an earlier sentence when the reference is itself
    what a reaction, retaliation or follow-up cue names: "calling the raids a response to the
    attack"), that are themselves descriptions (not a reference or a toll, not in a quotation). News
    writes "the attack" for the event it has just told, so the reference takes that event's
    modality, date and place (its own are the statement's: "The government in Baghdad condemned
    the attack on Thursday"; "whether the attack was carried out by a gang" questions the culprit,
    not the attack), and the pair scores as one sentence in :func:`_pair_score`. Changes
    ``prepared`` in place."""
    told: dict[str, list[_Mention]] = {}
    for m in prepared:
        told.setdefault(m.article_id, []).append(m)
    for mentions in told.values():
        mentions.sort(key=lambda m: (m.sentence_start is None, m.sentence_start or 0, m.trigger_start or 0,
                                     m.kind or "", m.geonameid or "", sorted(m.place_words)))  # a total order
        for m in mentions:
            if m.pronoun_subject and m.place_inherited and not m.reference and m.sentence_start is not None:
                before = [c for c in mentions if c.kind == m.kind and c.sentence_end is not None
                          and 0 <= m.sentence_start - c.sentence_end <= _SENTENCE_GAP
                          and not (c.generic_reference or c.modifiers or c.toll or c.reference or c.quoted)]
                if before:  # "... lobbed a grenade at a police post in nearby Bijbehara. It exploded on the road"
                    _take_antecedent(m, before[-1])
                    continue
            if not (m.generic_reference or m.modifiers or m.toll) or m.sentence_start is None:
                continue
            answered = m.object_of_reaction or m.retaliation_object or m.reference
            moved_on = m.opens_new_event and not answered  # "Hours later, an officer was killed": not
            # a toll of what was told before
            before = [c for c in mentions if c.sentence_start is not None and (
                          c.sentence_start < m.sentence_start and not moved_on
                          or not answered and c.sentence_start == m.sentence_start
                          and c.trigger_start is not None and m.trigger_start is not None
                          and c.trigger_start < m.trigger_start)
                      and not (c.generic_reference or c.modifiers or c.toll or c.reference or c.quoted)]
            antecedent = _antecedent(m, before)
            if antecedent is not None:
                _take_antecedent(m, antecedent)


def _take_antecedent(m: _Mention, antecedent: _Mention) -> None:
    """Make ``antecedent`` the event ``m`` refers to: ``m`` takes its :data:`_RESOLVED_BY_ANTECEDENT` columns."""
    m.antecedent = antecedent
    for column in _RESOLVED_BY_ANTECEDENT:
        setattr(m, column, getattr(antecedent, column))


def _after_reference_cue(sentence: str | None, sentence_start, trigger_start) -> bool:
    """Whether the trigger comes after a :data:`_REFERENCE_CUE` in its sentence.

    >>> _after_reference_cue("Troops clashed on Friday, three days after the raid.", 0, 46)
    True
    """
    if not isinstance(sentence, str) or _missing(sentence_start) or _missing(trigger_start):
        return False
    cue = _REFERENCE_CUE.search(sentence)
    offset = int(trigger_start) - int(sentence_start)
    return cue is not None and cue.end() <= offset < _reference_scope_end(sentence, cue)


def _reference_scope_end(sentence: str, cue: re.Match) -> int:
    """Where what a follow-up cue names ends: at the comma that closes an opening cue phrase ("Hours
    after the church raid, gunmen attacked the police station": the attack is the sentence's own
    event), else at the end of the sentence.

    >>> _reference_scope_end("Hours after the raid, gunmen attacked.", _REFERENCE_CUE.search("Hours after the raid,"))
    20
    """
    opening = _without_dateline(sentence)
    lead = len(sentence) - len(sentence.lstrip()) + len(sentence.strip()) - len(opening)
    comma = sentence.find(",", cue.end())
    return comma if cue.start() == lead and comma >= 0 else len(sentence)


def _text_before(sentence: str | None, sentence_start, start) -> str | None:
    """The sentence's text before document offset ``start`` (None when any is unknown).

    >>> _text_before("They met after Friday's protest.", 0, 24)
    "They met after Friday's "
    """
    if not isinstance(sentence, str) or _missing(sentence_start) or _missing(start):
        return None
    return sentence[:max(0, int(start) - int(sentence_start))]


def _words_before(sentence: str | None, sentence_start, start) -> list[str]:
    """The words of the sentence before document offset ``start`` ([] when any is unknown).

    >>> _words_before("Hundreds marched to protest.", 10, 30)
    ['hundreds', 'marched', 'to']
    """
    text = _text_before(sentence, sentence_start, start)
    return [] if text is None else _words(text)


_CLAUSE_PUNCTUATION = re.compile(r"[,;:()\"“”—–]")
_CLAUSE_WORDS = frozenset({"and", "or", "but", "as", "while", "when", "whereas", "which", "who", "where"})
PHRASE_WORDS = 5
"""How many words before a trigger may belong to the phrase that introduces it ("in retaliation for
Sunday's deadly air raid": the air raid is what the attack answers)."""


def _phrase_before(sentence: str | None, sentence_start, start, limit: int = PHRASE_WORDS) -> list[str]:
    """The last ``limit`` words before document offset ``start`` in the trigger's own phrase: after
    the last comma, bracket, quotation mark or dash and the last clause word ("and", "which" ...).

    >>> _phrase_before("Police fired tear gas and protesters marched against the deadly strike.", 0, 64)
    ['protesters', 'marched', 'against', 'the', 'deadly']
    >>> _phrase_before("In response to the attack, jets bombed the camp.", 0, 32)
    ['jets']
    """
    text = _text_before(sentence, sentence_start, start)
    if text is None:
        return []
    cut = [m.end() for m in _CLAUSE_PUNCTUATION.finditer(text)]
    words = _words(text[cut[-1] if cut else 0:])
    breaks = [n for n, w in enumerate(words) if w in _CLAUSE_WORDS]
    return words[breaks[-1] + 1 if breaks else 0:][-limit:]


def _object_of_reaction(sentence: str | None, sentence_start, trigger_start) -> bool:
    """Whether a word of the phrase before the trigger (:func:`_phrase_before`) is a
    :data:`_REACTION_WORDS` word.

    >>> _object_of_reaction("Hundreds marched to protest against the drone strike.", 0, 40)
    True
    """
    return any(w in _REACTION_WORDS for w in _phrase_before(sentence, sentence_start, trigger_start))


def _retaliation_object(sentence: str | None, sentence_start, trigger_start) -> bool:
    """Whether a word of the phrase before the trigger (:func:`_phrase_before`) is a
    :data:`_RETALIATION_WORDS` word.

    >>> _retaliation_object("US jets bombed launch sites in response to the attack.", 0, 47)
    True
    >>> _retaliation_object("They attacked in retaliation for Sunday's deadly air raid.", 0, 49)
    True
    """
    return any(w in _RETALIATION_WORDS for w in _phrase_before(sentence, sentence_start, trigger_start))


def _opens_new_event(sentence: str | None) -> bool:
    """Whether the sentence opens with a :data:`_NEW_EVENT_OPENING` cue (after a dateline or not).

    >>> _opens_new_event("Hours later, US warplanes bombed drone launch sites.")
    True
    >>> _opens_new_event("Separately, rebels and militiamen exchanged fire near Kayna.")
    True
    """
    if not isinstance(sentence, str):
        return False
    return _NEW_EVENT_OPENING.match(_without_dateline(sentence)) is not None


_DAY_PARTS = {"TMO": 0, "TAF": 1, "TEV": 2, "TNI": 3}
"""TIMEX3 parts of a day ("Saturday morning" is ``2025-10-04TMO``) in order: a morning and an evening
(two parts apart) of one day are two times, so two events (:func:`_pair_score`)."""


def _moved_clauses(sentence: str | None, sentence_start, trigger_start) -> int:
    """How many :data:`_MOVED_CLAUSE` boundaries come before the trigger in its sentence: two
    mentions of one sentence with different counts tell different events.

    >>> s = "Gunmen seized three engineers on Monday, and the same evening militants attacked the camp."
    >>> _moved_clauses(s, 0, s.index("seized")), _moved_clauses(s, 0, s.index("attacked"))
    (0, 1)
    """
    before = _text_before(sentence, sentence_start, trigger_start)
    return 0 if before is None else len(_MOVED_CLAUSE.findall(before))


def _place_elsewhere(sentence: str | None, sentence_start, place_start) -> bool:
    """Whether the place is introduced as another one than the article's ("In nearby Mehar", "in the
    neighbouring town of Ouragahio"): a :data:`_ELSEWHERE_WORDS` word among the four words before it.

    >>> _place_elsewhere("In nearby Mehar, families staged a sit-in.", 0, 10)
    True
    """
    return any(w in _ELSEWHERE_WORDS for w in _words_before(sentence, sentence_start, place_start)[-4:])


_PLACE_OPENING = re.compile(r"(?:in|at|near)(?:\s+the\s+(?:town|city|village|district|province|region)\s+of)?\s*",
                            re.IGNORECASE)
"""The words of a sentence opening that introduce a place ("In Balti, ...", "In the town of Bama, ...")."""


def _place_opens_sentence(sentence: str | None, sentence_start, place_start) -> bool:
    """Whether the sentence opens with its place ("In Balti, Moldova's second city, about 800 people
    rallied ..."): news sets a scene in another place this way, so in one story such a place that
    is not the other mention's (nor nested with it) tells another event (:func:`_told_apart`).

    >>> _place_opens_sentence("In Balti, about 800 people rallied.", 0, 3)
    True
    """
    before = _text_before(sentence, sentence_start, place_start)
    if before is None:
        return False
    return _PLACE_OPENING.fullmatch(_without_dateline(before)) is not None


def _place_in_between(sentence: str | None, sentence_start, place_start) -> bool:
    """Whether the place is one end of a stretch "between X and Y" (the road between two towns):
    the word before it is "between", or "and" with "between" among the eight words before.

    >>> _place_in_between("They ambushed a convoy between Kayes and Diema.", 0, 40)
    True
    """
    before = _words_before(sentence, sentence_start, place_start)
    return bool(before) and (before[-1] == "between" or before[-1] == "and" and "between" in before[-8:])


_TIME_UNITS = frozenset({"hour", "hours", "day", "days", "morning", "afternoon", "evening", "night", "week", "weeks",
                         "month", "months", "year", "years", "midnight", "dawn", "dusk", "sunrise", "sunset", "noon",
                         "nightfall", "daybreak"})
"""Words that make "after"/"following" a time ("shortly after midnight", "the following day"), not
an earlier event."""
_ANTECEDENT_WORDS = frozenset({"after", "following", "since"})
"""Words that, just before a trigger, make its event what the sentence's own event followed ("were
released on Monday following negotiations led by church leaders")."""


_DAY_POSSESSIVE = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|"
                             r"today|week|month|year|night)['’]s(?:\s+\S+)?$", re.IGNORECASE)
"""A day written as the event's owner just before its trigger ("Friday's protest", "last week's
deadly attack"): the sentence refers to an event told elsewhere, not to the one it tells."""


def _named_by_its_day(sentence: str | None, sentence_start, trigger_start) -> bool:
    """Whether the last words before the trigger name it by its day (:data:`_DAY_POSSESSIVE`).

    >>> _named_by_its_day("They met after Friday's protest.", 0, 24)
    True
    """
    text = _text_before(sentence, sentence_start, trigger_start)
    return text is not None and _DAY_POSSESSIVE.search(" ".join(text.split()[-3:])) is not None


def _told_as_earlier(sentence: str | None, sentence_start, trigger_start) -> bool:
    """Whether one of the three words before the trigger is an :data:`_ANTECEDENT_WORDS` word: the
    event is told as what the sentence's own event came after.

    >>> _told_as_earlier("Eleven passengers were released following negotiations.", 0, 42)
    True
    >>> _told_as_earlier("The following day, troops attacked the camp.", 0, 26)
    False
    >>> _told_as_earlier("They came after midnight and set fire to two cars.", 0, 34)
    False
    """
    before = _words_before(sentence, sentence_start, trigger_start)[-3:]
    return any(w in _ANTECEDENT_WORDS and not _TIME_UNITS.intersection(before[n + 1:])
               and not {"and", "or", "but", "then"}.intersection(before[n + 1:]) for n, w in enumerate(before))


def _date_before_trigger(sentence: str | None, sentence_start, trigger_start, date_text: str | None) -> bool:
    """Whether the linked date expression is written before the trigger in its sentence ("marched on
    Thursday to protest against the drone strike": Thursday dates the march).

    >>> _date_before_trigger("Hundreds marched on Thursday against the strike.", 0, 41, "Thursday")
    True
    """
    if not isinstance(sentence, str) or not isinstance(date_text, str) or not date_text \
            or _missing(sentence_start) or _missing(trigger_start):
        return False
    found = sentence.find(date_text)
    return 0 <= found < int(trigger_start) - int(sentence_start)


_EARLIER_EVENT_CUE = re.compile(_REFERENCE_CUE.pattern + r"|\b(?:" + "|".join(sorted(_ANTECEDENT_WORDS)) + r")\b",
                                re.IGNORECASE)
"""A follow-up cue or a bare "after", "following" or "since": what comes after it is an earlier event."""


_SPEECH_WORDS = frozenset({"said", "says", "told", "announced", "reported", "stated", "added", "confirmed",
                           "claimed", "acknowledged", "admitted", "disclosed", "revealed"})
"""Verbs of a statement: a date right after one ("said on Friday") dates the statement."""


def _date_of_statement(sentence: str | None, sentence_start, trigger_start, date_text: str | None) -> bool:
    """Whether the linked date expression dates a statement that tells the event ("police said on
    Friday they had detained 112 protesters"): it is written before the trigger, right after a
    :data:`_SPEECH_WORDS` word.

    >>> _date_of_statement("Police said on Friday they had detained 112 people.", 0, 31, "Friday")
    True
    """
    if not _date_before_trigger(sentence, sentence_start, trigger_start, date_text):
        return False
    before = _words(sentence[:sentence.find(date_text)])
    return any(w in _SPEECH_WORDS for w in before[-2:])


_CLAUSE_BREAK = re.compile(_EARLIER_EVENT_CUE.pattern + r"|\b(?:" + "|".join(sorted(_REACTION_WORDS)) + r")\b",
                           re.IGNORECASE)
"""Where a sentence turns to another event: a follow-up cue, "after", "following" or "since", or a
reaction word ("marched against the strike that killed three")."""


def _trigger_clause(sentence: str | None, sentence_start, trigger_start) -> str | None:
    """The part of the sentence that tells the trigger's event: from the last :data:`_CLAUSE_BREAK`
    before the trigger to the next one after it (the whole sentence when an offset is unknown).

    >>> _trigger_clause("The blast came a day after a car bomb killed 14 people.", 0, 4)
    'The blast came '
    """
    if not isinstance(sentence, str) or _missing(sentence_start) or _missing(trigger_start):
        return sentence
    at = int(trigger_start) - int(sentence_start)
    start, end = 0, len(sentence)
    for cue in _CLAUSE_BREAK.finditer(sentence):
        if cue.end() <= at:
            start = cue.end()
        elif cue.start() > at:
            end = cue.start()
            break
    return sentence[start:end]


def _dated_by_another_event(row) -> bool:
    """Whether the mention's linked date is that of another event its sentence tells, which it came
    before or on: the march that protests against it or the release that followed it, when the date
    is written before the trigger ("marched on Thursday against the drone strike", "were released on
    Monday following negotiations"), or the statement that reports it ("police said on Friday they
    had detained 112 protesters"). Such a date only bounds the event from above."""
    sentence, sentence_start, trigger_start = row.get("sentence"), row.get("sentence_start"), row.get("trigger_start")
    date_text = row.get("date_text")
    answered = (_object_of_reaction(sentence, sentence_start, trigger_start)
                or _told_as_earlier(sentence, sentence_start, trigger_start))
    return (answered and _date_before_cue(sentence, sentence_start, trigger_start, date_text)
            or _date_of_statement(sentence, sentence_start, trigger_start, date_text))


_ANSWER_CUE = re.compile(r"\b(?:" + "|".join(sorted(_REACTION_WORDS | _ANTECEDENT_WORDS)) + r")\b", re.IGNORECASE)
"""A reaction or "after" word: what follows it is an event the sentence's own event answers or follows."""


def _date_before_cue(sentence: str | None, sentence_start, trigger_start, date_text: str | None) -> bool:
    """Whether the linked date expression is written before the reaction or "after" word that
    introduces the trigger ("marched on Thursday against the drone strike"; not "agreed a ceasefire
    after Thursday's clash", where Thursday is the clash's own date).

    >>> _date_before_cue("Hundreds marched on Thursday against the strike.", 0, 41, "Thursday")
    True
    >>> _date_before_cue("They agreed a truce after Thursday's clash.", 0, 37, "Thursday")
    False
    """
    if not _date_before_trigger(sentence, sentence_start, trigger_start, date_text):
        return False
    cues = list(_ANSWER_CUE.finditer(sentence[:int(trigger_start) - int(sentence_start)]))
    return bool(cues) and sentence.find(date_text) + len(date_text) <= cues[-1].start()


def _place_after_reference_cue(sentence: str | None, sentence_start, trigger_start, place_start) -> bool:
    """Whether the trigger comes before a follow-up cue and its place after it ("The talks began a
    day after shelling killed 20 civilians in El Fasher"): the place is the earlier event's.

    >>> _place_after_reference_cue("The talks began a day after shelling hit El Fasher.", 0, 4, 40)
    True
    """
    if not isinstance(sentence, str) or _missing(sentence_start) or _missing(trigger_start) or _missing(place_start):
        return False
    trigger, place = int(trigger_start) - int(sentence_start), int(place_start) - int(sentence_start)
    return any(trigger < c.start() and place >= c.end() for c in _EARLIER_EVENT_CUE.finditer(sentence))


def _modality_class(modality: str | None, start: date | None, published: date | None) -> str:
    """``asserted``, ``unrealised`` (intended or hypothetical: plans, threats and conditions, which
    outlets word with different certainty) or ``negated``. A report cannot assert that something
    happened after it was published: an asserted mention dated wholly after its article's
    publication day ("the union announced a strike next week") is unrealised."""
    modality = modality or "asserted"
    if modality in _UNREALISED:
        return "unrealised"
    if modality == "asserted" and start is not None and published is not None and start > published:
        return "unrealised"
    return modality


def _block_of(family: str | None) -> str | None:
    """The family that stands for every family linked to ``family`` by :data:`RELATED_FAMILIES`
    (directly or through others): mentions are only compared within one block."""
    seen, todo = {family}, [family]
    while todo:
        current = todo.pop()
        for pair in sorted(RELATED_FAMILIES, key=sorted):
            if current in pair:
                for other in pair - seen:
                    seen.add(other)
                    todo.append(other)
    return min(seen, key=str)


def _prepare(row, story_id: str | None, article_words: frozenset = frozenset(),
             published: date | None = None, aliases: frozenset = frozenset()) -> _Mention:
    basis = row.get("date_basis") or "undated"
    start, end = _day(row.get("date_start")), _day(row.get("date_end"))
    if start and not end:
        end = start
    if end and not start:
        start = end
    sentence, sentence_start, trigger_start = row.get("sentence"), row.get("sentence_start"), row.get("trigger_start")
    reaction = _object_of_reaction(sentence, sentence_start, trigger_start)
    reference = _after_reference_cue(sentence, sentence_start, trigger_start)
    generic = _generic_reference(sentence, sentence_start, trigger_start, row.get("trigger"))
    if reference:
        start = end = None  # the sentence's date is the follow-up's, not this earlier event's
    if start is None:
        basis = "undated"
    if start is not None and basis != "publication" and _dated_by_another_event(row):
        basis = "bound"
    own_place = not _place_after_reference_cue(sentence, sentence_start, trigger_start, row.get("place_start"))
    # "The talks began a day after shelling killed 20 civilians in El Fasher": the place is the shelling's
    actors = " ".join(str(row.get(c)) for c in ("actor1", "actor2") if not _missing(row.get(c)))
    trigger = _words(row.get("trigger"))
    event_type = _value(row.get("event_type"))
    return _Mention(
        kind=_family(event_type, _value(row.get("sub_event_type"))),
        modality=_modality_class(_value(row.get("modality")), start, published),
        event_type=event_type, sub_event_type=_value(row.get("sub_event_type")),
        article_id=str(row["article_id"]), story_id=story_id,
        sentence_start=None if _missing(row.get("sentence_start")) else int(row.get("sentence_start")),
        sentence_end=None if _missing(sentence_start) or not isinstance(sentence, str)
        else int(sentence_start) + len(sentence),
        trigger_start=None if _missing(row.get("trigger_start")) else int(row.get("trigger_start")),
        start=start, end=end, basis=basis,
        geonameid=None if _missing(row.get("geonameid")) or not own_place else str(row.get("geonameid")),
        level=_value(row.get("geo_level")) if own_place else None,
        admin1=_value(row.get("admin1")) if own_place else None,
        country=_value(row.get("country")) if own_place else None,
        place_words=frozenset(w for col in ("place_text", "place_name") for w in _words(row.get(col)) if own_place),
        place_names=(aliases | frozenset(w for col in ("place_text", "place_name") for w in _words(row.get(col)))
                     if own_place else frozenset()),
        place_inherited=_missing(row.get("place_text")) or reaction or not own_place,
        article_words=article_words,
        sentence_words=frozenset(_words(row.get("sentence"))),
        sentence_stems=frozenset(_stems(row.get("sentence"))),
        numbers=_numbers(sentence, row.get("date_text")),
        clause_numbers=_numbers(_trigger_clause(sentence, sentence_start, trigger_start), row.get("date_text")),
        moved_clauses=_moved_clauses(sentence, sentence_start, trigger_start),
        day_part=_DAY_PARTS.get(str(row.get("date_value"))[10:]) if start is not None else None,
        actor_stems=frozenset(_stems(actors, 5)),
        trigger_stem=trigger[-1][:5] if trigger else None,
        trigger_words=frozenset(trigger),
        object_of_reaction=reaction,
        reference=reference,
        names_stand_off_weapon=any(_STAND_OFF_WORD.fullmatch(w) for w in _words(row.get("sentence"))),
        place_in_between=_place_in_between(row.get("sentence"), row.get("sentence_start"), row.get("place_start")),
        retaliation_object=_retaliation_object(row.get("sentence"), row.get("sentence_start"), row.get("trigger_start")),
        opens_new_event=_opens_new_event(row.get("sentence")),
        place_elsewhere=_place_elsewhere(row.get("sentence"), row.get("sentence_start"), row.get("place_start")),
        place_opens_sentence=_place_opens_sentence(row.get("sentence"), row.get("sentence_start"), row.get("place_start")),
        generic_reference=generic,
        noun=_noun(row.get("trigger")),
        modifiers=frozenset() if generic else _modifiers(sentence, sentence_start, trigger_start, row.get("trigger")),
        told_as_earlier=_told_as_earlier(sentence, sentence_start, trigger_start),
        named_by_its_day=_named_by_its_day(sentence, sentence_start, trigger_start),
        quoted=_quoted(sentence, sentence_start, trigger_start),
        pronoun_subject=_PRONOUN_OPENING.match(sentence or "") is not None,
        toll=bool(trigger) and trigger[-1] in _TOLL_WORDS and all(
            _missing(row.get(c)) for c in ("actor1", "place_text", "date_text")),
    )


def _date_relation(a: _Mention, b: _Mention, lookback: int, slack: int) -> str | None:
    """``"both"`` (two dated intervals that overlap), ``"weak"`` (one publication-dated or undated,
    compatible), ``"near"`` (two dated intervals at most ``slack`` days apart: a date expression
    linked to the neighbouring event, "condemned on Thursday the strike of Wednesday") or None
    (incompatible). A publication-dated mention happened in the ``lookback`` days up to the
    publication day (the end of its interval)."""
    if a.basis == "undated" or b.basis == "undated":
        return "weak"

    def interval(m: _Mention) -> tuple[date, date]:
        if m.basis in _BOUND_BASES:
            return m.end - timedelta(days=lookback), m.end
        return m.start, m.end

    (s1, e1), (s2, e2) = interval(a), interval(b)
    gap = max((s1 - e2).days, (s2 - e1).days)
    bound = a.basis in _BOUND_BASES or b.basis in _BOUND_BASES
    if gap > 0:
        return "near" if gap <= slack and not bound else None
    return "weak" if bound else "both"


def _named_in(m: _Mention, words: frozenset) -> bool:
    """Whether a word of the place text or gazetteer name of ``m``'s place, or of any spelling the
    articles use for it (:func:`_place_aliases`), occurs in ``words``."""
    return any(w in words for w in m.place_names if len(w) > 2)


def _place_aliases(rows: list[dict]) -> dict[str, frozenset]:
    """The words of every place text the mentions give for each GeoNames id: a mention whose place
    is only its article's ("the port", resolved to "Al Ḩudaydah") is named "Hodeidah" elsewhere.

    >>> sorted(_place_aliases([{"geonameid": "79415", "place_text": "Hodeidah port"}])["79415"])
    ['hodeidah', 'port']
    """
    out: dict[str, set] = {}
    for row in rows:
        if not _missing(row.get("geonameid")) and not _missing(row.get("place_text")):
            out.setdefault(str(row["geonameid"]), set()).update(_words(row["place_text"]))
    return {g: frozenset(w) for g, w in sorted(out.items())}


_ADMIN_WORDS = frozenset({"district", "county", "department", "municipality", "prefecture", "province",
                          "region", "governorate", "sub-district", "subdistrict", "territory", "raion",
                          "rayon", "city"})
"""Words of a division's name that say what kind of division it is ("Azaz District")."""


def _named_after(division_words: frozenset, town_names: frozenset) -> bool:
    """Whether a second-level division (the words of its place text and name) is named after a
    town it contains, its seat: the division's words without :data:`_ADMIN_WORDS` are among the
    town's names and spellings ("Azaz District" and the town the articles call "Azaz", which the
    gazetteer spells "I‘zāz").

    >>> _named_after(frozenset({"azaz", "district"}), frozenset({"azaz", "i‘zāz"}))
    True
    """
    core = division_words - _ADMIN_WORDS
    return bool(core) and core <= town_names


def _place_relation(a: _Mention, b: _Mention) -> str | None:
    """``"same"``, ``"nested"`` (one is the admin-1 region or country containing the other, or a
    second-level division named after the town it contains, :func:`_named_after`),
    ``"unknown"`` (a place is unknown or unresolved; but None when the mention without a place
    comes from an independent report whose article never names the other's place),
    ``"differ"`` (two different places, but one of them only the article's place, not written in
    the mention's clause, or one end of a stretch "between X and Y", or both in one country and
    reported by rewrites of one story, where a
    differing place is more likely a linking slip: "condemned the strike near Kirkuk" puts the
    condemnation in Kirkuk) or None (two different places written in the mentions' clauses).

    An unresolved place also counts as the same when its name occurs in the other's evidence
    sentence. Two resolved places are never the same by that test: the events component gives
    each coordinated place its own mention ("evacuated Mosul and Anbar": one in Mosul, one in Anbar),
    and those must stay apart."""
    if not a.place_words and a.geonameid is None or not b.place_words and b.geonameid is None:
        known, other = (b, a) if not a.place_words and a.geonameid is None else (a, b)
        if (known.place_words and other.article_words and other.story_id != known.story_id
                and not _named_in(known, other.article_words)):
            return None  # an independent report that never names the place is about another place
        return "unknown"
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return "same"
    if any(x.place_in_between and y.place_words and y.place_words <= x.sentence_words for x, y in ((a, b), (b, a))):
        return "same"  # the other end of a stretch: "ambushed a convoy between Kayes and Diema" reaches Diema
    if a.place_words and a.place_words == b.place_words:
        return "same"
    if a.geonameid is None or b.geonameid is None:
        if any(x.place_words and x.place_words <= y.sentence_words for x, y in ((a, b), (b, a))):
            return "same"
        return "unknown"
    for outer, inner in ((a, b), (b, a)):
        if outer.country is None or outer.country != inner.country:
            continue
        if outer.level == "country":
            return "nested"
        if outer.level == "admin1" and outer.admin1 is not None and outer.admin1 == inner.admin1:
            return "nested"
        if (outer.level == "admin2" and inner.level == "point" and outer.admin1 is not None
                and outer.admin1 == inner.admin1 and _named_after(outer.place_words, inner.place_names)):
            return "nested"
    same_story = a.story_id is not None and a.story_id == b.story_id and a.country == b.country
    stretch = a.place_in_between or b.place_in_between  # "the road between Kayes and Diema" reaches Diema
    return "differ" if a.place_inherited or b.place_inherited or same_story or stretch else None


def _kind_relation(a: _Mention, b: _Mention, same_sentence: bool) -> str | None:
    """``"same"`` (one family and modality class), ``"part"`` or ``"text"`` (families linked by
    :data:`RELATED_FAMILIES`, one modality class, or an asserted and an unrealised mention of one
    sentence: "agreed to an immediate ceasefire" is one agreement, and ACLED keeps the asserted
    event), ``"distant"`` (families only linked through others: arrests and tear gas at one
    protest) or None (never one event: a threat and the attack that may follow are two records;
    a protest and the strike it protests against)."""
    if same_sentence and (a.reference != b.reference or a.retaliation_object != b.retaliation_object
                          or a.generic_reference and b.generic_reference and a.noun != b.noun):
        return None  # "clashed on Friday, three days after the raid": the raid is another event; so is
        # the attack that "raids in response to the attack" answer, even of the same kind
    if a.kind == b.kind:
        return "same" if a.modality == b.modality else None
    if same_sentence and (a.object_of_reaction or b.object_of_reaction):
        return None  # "marched to protest against the drone strike": the strike is what is protested
    link = RELATED_FAMILIES.get(frozenset((a.kind, b.kind)))
    if link is None:
        return "distant" if a.modality == b.modality else None
    if a.modality == b.modality:
        return link
    if {a.modality, b.modality} == {"asserted", "unrealised"}:
        return link if same_sentence else "distant"
    return None


def _told_apart(a: _Mention, b: _Mention, place: str | None) -> bool:
    """Whether one story tells the two mentions as different events: in one article, the later one's
    sentence opens with a move to another time or event (:data:`_NEW_EVENT_OPENING`: "Hours later, US
    warplanes bombed...", "Separately, ...") and is not a reference back ("Hours later, the group
    claimed the attack"), or the
    later one's place is introduced as another place ("In nearby Mukono, police dispersed a march")
    and the earlier one writes no place of its own (it is about the place told before); or, in
    one story, one mention's place is introduced as another place ("In nearby Mehar, families staged
    a sit-in") and the other mention names a place that is not the same (``place``, from
    :func:`_place_relation`), or one mention's sentence opens with its place ("In Balti, 800 people
    rallied") and the other's place is known to differ."""
    if a.article_id == b.article_id and None not in (a.sentence_start, b.sentence_start) \
            and a.sentence_start != b.sentence_start:
        later, earlier = (a, b) if a.sentence_start > b.sentence_start else (b, a)
        if later.opens_new_event and not (later.generic_reference or later.object_of_reaction or later.reference):
            return True
        if later.place_elsewhere and earlier.place_inherited:
            return True  # "Several were injured in scuffles. In nearby Mukono, police dispersed a march":
            # what was told before the text moved elsewhere, without a place of its own, was not there
    same_story = a.article_id == b.article_id or a.story_id is not None and a.story_id == b.story_id
    named = all(m.place_words or m.geonameid is not None for m in (a, b))
    return same_story and named and (place not in ("same", "nested") and (a.place_elsewhere or b.place_elsewhere)
                                     or place == "differ" and (a.place_opens_sentence or b.place_opens_sentence))


def _pair_score(a: _Mention, b: _Mention, settings: MergeSettings) -> float | None:
    """The merge score of two mentions minus the threshold that applies (so a pair is mergeable at
    0 or more), or None when they cannot be one event (kinds, modalities, dates or places differ).

    Mentions of related kinds (:func:`_kind_relation`) need strong evidence and lose ``other_kind``:
    no differing places, and one sentence, sentences at least ``min_related_text`` alike, or (for
    ``part`` links) one story and overlapping dates of their own ("Kirkuk police said on Friday they
    had arrested two men" is no part of Thursday's march there). Without it, and for ``distant`` kinds, the pair is *neutral*: it
    scores ``average_margin``, so it never merges two mentions itself and neither helps nor blocks
    the join of two clusters that other pairs link."""
    for reference, other in ((a, b), (b, a)):
        told = reference.antecedent
        if told is not None and told is not other and told.article_id == other.article_id \
                and _pair_score(told, other, settings) is None:
            return None  # a reference back is its antecedent's event: "the market raid" cannot join
            # the attack its article tells apart from the raid
    same_sentence = (a.article_id == b.article_id and a.sentence_start is not None
                     and a.sentence_start == b.sentence_start)
    if same_sentence and a.moved_clauses != b.moved_clauses:
        return None  # "seized three engineers, and the same evening militants attacked the camp"
    kinds = _kind_relation(a, b, same_sentence)
    anaphora = a.antecedent is b or b.antecedent is a  # one event, however each is typed
    if kinds is None or not (same_sentence or anaphora) and _separate_actions(a, b):
        return None  # an air strike on the attackers is another event than their ambush
    if (not anaphora and a.day_part is not None and b.day_part is not None and a.start == b.start
            and abs(a.day_part - b.day_part) >= 2):
        return None  # "gunmen shot four traders on Saturday morning" and "on Saturday evening ... killed two"
    dates = _date_relation(a, b, settings.lookback_days, settings.date_slack_days)
    if dates is None or dates == "near" and a.article_id == b.article_id and not anaphora \
            and a.start == a.end and b.start == b.end:
        return None  # one article dating two actions on different days ("gathered on Saturday to
        # demand the release of students detained during Friday's protest") tells two events
    if (a.article_id == b.article_id and a.trigger_start is not None and a.trigger_start == b.trigger_start
            and (a.geonameid, a.place_words) != (b.geonameid, b.place_words)
            and not (a.place_in_between and b.place_in_between)):
        return None  # one trigger, coordinated places ("evacuated Mosul and Anbar"): one event per place,
        # but "on the road between Kayes and Diema" is one place
    place = _place_relation(a, b)
    if place is None or kinds != "same" and place == "differ" or _told_apart(a, b, place):
        return None
    similarity = 1.0 if same_sentence or anaphora else _jaccard(a.sentence_stems, b.sentence_stems)
    same_story = a.story_id is not None and a.story_id == b.story_id
    if kinds == "distant" or kinds != "same" and similarity < settings.min_related_text and not (
            kinds == "part" and same_story and dates == "both"):
        return settings.average_margin
    score = similarity
    if a.actor_stems and b.actor_stems:
        overlap = len(a.actor_stems & b.actor_stems) / min(len(a.actor_stems), len(b.actor_stems))
        score += settings.actor_weight * overlap
    score += settings.same_trigger if a.trigger_stem and a.trigger_stem == b.trigger_stem else 0.0
    if score < settings.min_text_evidence and (a.story_id is None or a.story_id != b.story_id):
        # independent reports must say something alike, not just share a day and a town
        score -= settings.no_text_evidence
    score += {"same": settings.same_place, "nested": settings.nested_place,
              "differ": -settings.other_place}.get(place, 0.0)
    score += {"both": settings.both_dated, "near": -settings.near_date}.get(dates, 0.0)
    if a.numbers and b.numbers and not a.numbers & b.numbers and a.article_id != b.article_id:
        score -= settings.other_numbers
    elif (any(n >= 3 for n in a.clause_numbers & b.clause_numbers) and a.article_id != b.article_id
          and a.kind in _TOLL_FAMILIES and b.kind in _TOLL_FAMILIES and "undated" not in (a.basis, b.basis)):
        score += settings.same_numbers  # "killing three dock workers", "three dock workers were killed"
    if a.article_id == b.article_id and (kinds != "text" or same_sentence):
        score += settings.same_article
    elif same_story:
        score += settings.same_story
    if kinds != "same":
        score -= settings.other_kind
    elif a.event_type != b.event_type:
        score -= settings.other_event_type
    elif a.sub_event_type and b.sub_event_type and a.sub_event_type != b.sub_event_type:
        score -= settings.other_sub_event_type
    return score - (settings.threshold if place in ("same", "nested") else settings.threshold_unknown_place)


def _date_candidates(block: list[int], prepared: list[_Mention], settings: MergeSettings):
    """The pairs of ``block`` whose dates may be compatible, by a sweep over intervals sorted by
    start (undated mentions pair with everything): about n log n + pairs instead of n squared."""
    undated = [i for i in block if prepared[i].basis == "undated"]
    dated = []
    for i in block:
        m = prepared[i]
        if m.basis == "undated":
            continue
        start = m.end - timedelta(days=settings.lookback_days) if m.basis in _BOUND_BASES else m.start
        dated.append((start.toordinal(), m.end.toordinal() + settings.date_slack_days, i))
    dated.sort()
    for x, (_, end, i) in enumerate(dated):
        for start, _, j in dated[x + 1:]:
            if start > end:
                break
            yield i, j
    position = {i: x for x, i in enumerate(undated)}
    for x, i in enumerate(undated):
        for j in block:
            if j != i and position.get(j, len(undated)) > x:
                yield i, j


def link_mentions(mentions: pd.DataFrame, stories: dict | None = None,
                  settings: MergeSettings | None = None, texts: dict | None = None,
                  published: dict | None = None) -> pd.Series:
    """The event each mention belongs to: ``ev-`` + 12 hex digits of a hash of the sorted keys
    (:func:`mention_keys`) of the event's mentions, on ``mentions.index``.

    ``stories`` maps article ids to story ids (rewrites of one story more likely report one event);
    ``texts`` maps article ids to their title and text (to see whether a report names a place).
    ``published`` maps article ids to their (possibly inferred) publication time: an asserted
    mention dated after it is a plan (:func:`_modality_class`). Mentions are compared within
    blocks of related families (:func:`_block_of`); a pair is mergeable when its
    :func:`_pair_score` is 0 or more. Clusters grow from the best-scoring
    mergeable pairs down; two clusters join only when no cross pair is incompatible (dates or
    places differ) and the cross pairs' mean score is at least ``average_margin``, so one vague
    mention cannot chain two different events together.
    """
    settings = settings or MergeSettings()
    stories = stories or {}
    keys = mention_keys(mentions).tolist()
    rows = mentions.to_dict("records")
    words = {a: frozenset(_words(t)) for a, t in (texts or {}).items()}
    days = {str(a): _day(d) for a, d in (published or {}).items()}
    aliases = _place_aliases(rows)
    prepared = [_prepare(r, stories.get(str(r["article_id"])), words.get(str(r["article_id"]), frozenset()),
                         days.get(str(r["article_id"])),
                         aliases.get(str(r["geonameid"]), frozenset()) if not _missing(r.get("geonameid")) else frozenset())
                for r in rows]
    _date_references(prepared, rows)
    _find_antecedents(prepared)
    blocks: dict[str | None, list[int]] = {}
    for i in sorted(range(len(rows)), key=keys.__getitem__):
        blocks.setdefault(_block_of(prepared[i].kind), []).append(i)

    cluster_of = list(range(len(rows)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(rows))}
    # scores in millionths, so sums do not depend on the order they were added in
    margin = round(settings.average_margin * 1e6)
    for block in blocks.values():
        # cross[a][b] = [sum, count] of the scored pairs between clusters a and b; a pair that
        # cannot merge is never scored, so count < |a| * |b| means a veto
        cross: dict[int, dict[int, list[int]]] = {}
        edges = []
        for i, j in _date_candidates(block, prepared, settings):
            score = _pair_score(prepared[i], prepared[j], settings)
            if score is None:
                continue
            micro = round(score * 1e6)
            cross.setdefault(i, {})[j] = [micro, 1]
            cross.setdefault(j, {})[i] = [micro, 1]
            if micro >= 0:
                edges.append((-micro, keys[i], keys[j], i, j))
        for *_, i, j in sorted(edges):
            ci, cj = cluster_of[i], cluster_of[j]
            if ci == cj:
                continue
            total, count = cross[ci][cj]
            if count < len(members[ci]) * len(members[cj]) or total < margin * count:
                continue
            for p in members[cj]:
                cluster_of[p] = ci
            members[ci].extend(members.pop(cj))
            for other, (total, count) in cross.pop(cj).items():
                del cross[other][cj]
                if other == ci:
                    continue
                stats = cross[ci].setdefault(other, [0, 0])
                stats[0] += total
                stats[1] += count
                cross[other][ci] = stats

    event_of = {c: "ev-" + _short_hash("\n".join(sorted(keys[p] for p in m))) for c, m in members.items()}
    return pd.Series([event_of[cluster_of[i]] for i in range(len(rows))], index=mentions.index,
                     name="event_id", dtype=object)


def _source_order(published: str | None, article_id: str) -> tuple:
    """Sources come in publication order, undated ones last, ties by article id."""
    return (published is None, published or "", article_id)


def _offset(value) -> int:
    return -1 if _missing(value) else int(value)


def _refers_back(row) -> bool:
    """Whether a mention row is a generic reference back (:func:`_generic_reference`)."""
    return _generic_reference(row.get("sentence"), row.get("sentence_start"), row.get("trigger_start"),
                              row.get("trigger"))


def _representative_date(members: list[dict]) -> dict:
    """The date columns of the member with the best date: members named after a follow-up reference
    ("three days after the raid"), dated by another event (:func:`_dated_by_another_event`) or
    referring back ("condemned the attack on Thursday") last, as their date is another event's or the
    statement's; then the most reliable basis (explicit, then resolved in the text, against a
    printed publication time, against an inferred one, publication-dated, undated), the finest
    precision, the narrowest interval and the first source. Among publication-dated members, the
    earliest report's date."""
    def rank(row) -> tuple:
        start, end = _day(row["date_start"]), _day(row["date_end"])
        width = (end - start).days if start and end else 10 ** 6
        if row["date_basis"] in ("publication", "inferred") and not _value(row["date_text"]):
            width = (end or date.max).toordinal()
        reference = (_after_reference_cue(row.get("sentence"), row.get("sentence_start"), row.get("trigger_start"))
                     or _dated_by_another_event(row) or _refers_back(row))
        return (reference, _BASIS_RANK.get(row["date_basis"], 5), _PRECISION_RANK.get(row["date_precision"], 9),
                width, row["_order"])
    best = min(members, key=rank)
    return {c: _value(best.get(c)) for c in ("date_start", "date_end", "date_precision", "date_modifier",
                                             "date_value", "date_text", "date_basis")}


_PLACE_COLUMNS = ("place_text", "place_name", "latitude", "longitude", "geo_precision", "geo_level",
                  "admin1", "country", "geonameid")


def _representative_place(members: list[dict]) -> dict:
    """The place columns of the member with the most precise resolved place (lowest
    ``geo_precision``), ties going to the place most members name, then to the first source;
    with no resolved place, the first member's place text. Generic references back ("The government
    in Baghdad condemned the attack") give a place only when no other member has one."""
    resolved = [r for r in members if not _missing(r.get("geonameid"))]
    resolved = [r for r in resolved if not _refers_back(r)] or resolved
    if not resolved:
        named = [r for r in members if not _missing(r.get("place_text"))]
        return {c: (named[0]["place_text"] if named and c == "place_text" else None) for c in _PLACE_COLUMNS}
    counts = Counter(str(r["geonameid"]) for r in resolved)
    best = min(resolved, key=lambda r: (r.get("geo_precision") if not _missing(r.get("geo_precision")) else 9,
                                        -counts[str(r["geonameid"])], r["_order"]))
    return {c: _value(best.get(c)) for c in _PLACE_COLUMNS}


_VOTE = {"asserted": 2, "unrealised": 1, "negated": 1}


def _event_kind(members: list[dict]) -> dict:
    """``event_type``, ``sub_event_type``, ``plover`` and ``modality`` of a merged event, by a
    weighted vote of its members (ties to the first source's).

    The row is asserted when any member is (ACLED keeps the asserted event: "agreed to an
    immediate ceasefire" is an asserted agreement), else unrealised (``intended`` unless every member
    says ``hypothetical``; an asserted mention dated after its publication is ``intended``), else
    negated. Only members of that modality vote; the kinds of :data:`SECONDARY_FAMILIES` (arrests,
    looting, demands, a ceasefire agreed) count half, so an attack with arson is an attack and a
    march with arrests a protest. A protest with arrests or violence among its members is a
    "Protest with intervention", as ACLED codes it.

    >>> _event_kind([{"event_type": "Protests", "sub_event_type": "Peaceful protest", "plover": "PROTEST",
    ...               "modality": "asserted", "_modality": "asserted", "_order": 0},
    ...              {"event_type": "Strategic developments", "sub_event_type": "Arrests", "plover": "COERCE",
    ...               "modality": "asserted", "_modality": "asserted", "_order": 1}])["sub_event_type"]
    'Protest with intervention'
    """
    best = max(_VOTE.get(r["_modality"], 0) for r in members)
    voters = [r for r in members if _VOTE.get(r["_modality"], 0) == best]
    modality = voters[0]["_modality"]
    if modality == "unrealised":
        modality = "hypothetical" if all(r["modality"] == "hypothetical" for r in voters) else "intended"

    def weight(r) -> float:
        return 0.5 if _family(_value(r["event_type"]), _value(r["sub_event_type"])) in SECONDARY_FAMILIES else 1.0

    def winner(rows: list[dict], column: str):
        totals: dict = {}
        for r in rows:
            if not _missing(r.get(column)):
                totals[r[column]] = totals.get(r[column], 0.0) + weight(r)
        if not totals:
            return None
        return min((r for r in rows if r.get(column) in totals), key=lambda r: (-totals[r[column]], r["_order"]))[column]

    event_type = winner(voters, "event_type")
    typed = [r for r in voters if r.get("event_type") == event_type] or voters
    sub_event_type = winner(typed, "sub_event_type")
    plover = winner([r for r in typed if r.get("sub_event_type") == sub_event_type] or typed, "plover")
    if event_type == "Protests" and sub_event_type == "Peaceful protest" and any(
            _family(r.get("event_type"), r.get("sub_event_type")) in ("violence", "Strategic developments/Arrests")
            for r in voters):
        sub_event_type = "Protest with intervention"
    return {"event_type": event_type, "sub_event_type": sub_event_type, "plover": plover, "modality": modality}


def _most_common(members: list[dict], column: str) -> object:
    """The most frequent non-missing value of ``column``, ties to the first source's."""
    present = [r for r in members if not _missing(r.get(column))]
    if not present:
        return None
    counts = Counter(r[column] for r in present)
    return min(present, key=lambda r: (-counts[r[column]], r["_order"]))[column]


def merge_events(mentions: pd.DataFrame, articles: pd.DataFrame, stories: pd.Series | None = None,
                 settings: MergeSettings | None = None) -> pd.DataFrame:
    """One row per real-world event from one row per event mention.

    ``mentions`` holds the dicts of ``doc._.events`` plus ``article_id``; ``articles`` is the article
    table (after :func:`infer_publication`, so inferred publication times are known); ``stories``
    is :func:`group_stories`'s result (default: the ``story_id`` column of ``articles``, else
    computed). Returns EVENT_COLUMNS (plus ``model`` when the mentions have it), rows sorted by
    (date_start, event_type, place_name, event_id), undated rows last.

    - Mentions whose date was resolved against an inferred publication time get
      ``date_basis="inferred"``.
    - ``sources``: one entry per article, ``{article_id, outlet, published, sentence, url, title}``
      sorted by (published, article_id), ``published`` empty when it was only inferred, ``sentence``
      the article's first evidence sentence for the event; ``source_count`` counts them and
      ``independent_source_count`` counts their stories (rewrites of one wire story count once).
    - Representative values: kind, PLOVER code and modality by weighted vote (:func:`_event_kind`:
      asserted members outvote plans, arrests count half beside a protest, a protest with arrests or
      violence is a "Protest with intervention"); date from the member with the most
      reliable, most precise date (:func:`_representative_date`); place from the member with the
      most precise place (:func:`_representative_place`); actors by majority; trigger, sentence,
      article_id and story_id from the first source.

    >>> merge_events(mentions, articles, stories)[["event_type", "source_count"]]   # doctest: +SKIP
    """
    _check_articles(articles, ("article_id",))
    extras = [c for c in ("model",) if c in mentions.columns]
    columns = list(EVENT_COLUMNS) + extras
    if mentions.empty:
        return pd.DataFrame(columns=columns)
    if "article_id" not in mentions.columns:
        raise ValueError("mention table lacks column article_id")
    article_rows = {str(r["article_id"]): r for r in articles.to_dict("records")}
    unknown = sorted(set(mentions["article_id"].astype(str)) - set(article_rows))
    if unknown:
        raise ValueError(f"mentions name article(s) missing from the article table: {', '.join(unknown[:5])}")
    if stories is None:
        stories = articles["story_id"] if "story_id" in articles.columns else group_stories(articles)
    story_of = {str(a): _value(s) for a, s in zip(articles["article_id"], stories.reindex(articles.index))}

    def field(article_id: str, column: str):
        return _value(article_rows[article_id].get(column))

    inferred = {a for a, r in article_rows.items() if r.get("published_basis") == "inferred"}

    def shown(article_id: str):
        return None if article_id in inferred else field(article_id, "published")

    m = pd.DataFrame(mentions, copy=True)
    m.attrs = {}
    m = m.reset_index(drop=True)
    m["article_id"] = m["article_id"].astype(str)
    texts = {a: f"{field(a, 'title') or ''}\n{field(a, 'text') or ''}" for a in set(m["article_id"])}
    published = {a: field(a, "published") for a in set(m["article_id"])}
    event_ids = link_mentions(m, story_of, settings, texts, published).tolist()
    records = m.to_dict("records")
    order_keys = [_source_order(shown(r["article_id"]), r["article_id"])
                  + (_offset(r.get("sentence_start")), _offset(r.get("trigger_start"))) for r in records]
    rank = {key: n for n, key in enumerate(sorted(set(order_keys)))}
    groups: dict[str, list[dict]] = {}
    for record, event_id, key in zip(records, event_ids, order_keys):
        for column in EVENT_COLUMNS:
            record.setdefault(column, None)
        if record["article_id"] in inferred and record["date_basis"] in _DCT_BASES:
            record["date_basis"] = "inferred"
        record["_modality"] = _modality_class(_value(record["modality"]), _day(record["date_start"]),
                                              _day(published[record["article_id"]]))
        record["_order"] = rank[key]
        groups.setdefault(event_id, []).append(record)

    rows = []
    for event_id in sorted(groups):
        members = sorted(groups[event_id], key=lambda r: r["_order"])
        first = members[0]
        sources: dict[str, dict] = {}
        for r in members:
            sources.setdefault(r["article_id"], {
                "article_id": r["article_id"], "outlet": field(r["article_id"], "outlet"),
                "published": shown(r["article_id"]), "sentence": _value(r["sentence"]),
                "url": field(r["article_id"], "url"), "title": field(r["article_id"], "title")})
        ordered = sorted(sources.values(), key=lambda s: _source_order(s["published"], s["article_id"]))
        row = {
            "event_id": event_id,
            **_event_kind(members),
            **_representative_date(members),
            **_representative_place(members),
            "actor1": _most_common(members, "actor1"),
            "actor2": _most_common(members, "actor2"),
            "trigger": _value(first["trigger"]), "sentence": _value(first["sentence"]),
            "article_id": first["article_id"],
            "sources": json.dumps(ordered, ensure_ascii=False, sort_keys=True),
            "source_count": len(ordered),
            "independent_source_count": len({story_of.get(s["article_id"]) or s["article_id"] for s in ordered}),
            "story_id": story_of.get(first["article_id"]),
        }
        for column in extras:
            row[column] = _most_common(members, column)
        rows.append(row)
    rows.sort(key=lambda r: (r["date_start"] is None, r["date_start"] or "", r["event_type"] or "",
                             r["place_name"] or "", r["event_id"]))
    events = pd.DataFrame(rows, columns=columns).astype(object)
    for column in ("latitude", "longitude"):
        events[column] = pd.to_numeric(events[column], errors="coerce").astype(float)
    for column in ("source_count", "independent_source_count"):
        events[column] = events[column].astype(int)
    return events


def articles_without_events(events: pd.DataFrame, articles: pd.DataFrame) -> list[str]:
    """Ids of the articles that no event's ``sources`` names, sorted: each belongs in the manifest
    as having no events, so that every input article is accounted for.

    >>> articles_without_events(merge_events(mentions, articles), articles)   # doctest: +SKIP
    ['004_3097d9dd1710322f']
    """
    named = {s["article_id"] for sources in events["sources"] for s in json.loads(sources)}
    return sorted(set(articles["article_id"].astype(str)) - named)


# --------------------------------------------------------------------------------------------
# evaluation


def evaluate_merging(predicted: pd.Series, gold: pd.Series) -> dict:
    """Pairwise merge scores of ``predicted`` event ids against ``gold`` ones (both Series on the
    same index: one item per mention, aligned to gold).

    A pair of items is *merged* when they share a predicted id and *coreferent* when they share a
    gold id. Precision, recall and F1 are over merged vs coreferent pairs;
    ``false_merge_rate`` = wrongly merged pairs / merged pairs (1 - precision) and
    ``missed_merge_rate`` = coreferent pairs not merged / coreferent pairs (1 - recall) are
    reported apart, plus ``impure_events`` (share of predicted events joining two gold events).

    >>> evaluate_merging(pd.Series(["a", "a", "b"]), pd.Series([1, 1, 1]))["recall"]
    0.3333333333333333
    """
    if not predicted.index.equals(gold.index):
        raise ValueError("predicted and gold must share one index")
    pred = pd.factorize(predicted.astype(str))[0]
    true = pd.factorize(gold.astype(str))[0]

    def pairs(labels: np.ndarray) -> int:
        counts = np.bincount(labels) if len(labels) else np.array([], dtype=int)
        return int((counts * (counts - 1) // 2).sum())

    joint = pd.Series(list(zip(pred, true))).value_counts().to_numpy()
    both = int((joint * (joint - 1) // 2).sum())
    merged, coreferent = pairs(pred), pairs(true)
    precision = both / merged if merged else 1.0
    recall = both / coreferent if coreferent else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    impure = pd.Series(true).groupby(pred).nunique()
    return {
        "items": len(pred), "gold_events": int(len(set(true))), "predicted_events": int(len(set(pred))),
        "merged_pairs": merged, "coreferent_pairs": coreferent, "correct_pairs": both,
        "precision": precision, "recall": recall, "f1": f1,
        "false_merge_rate": (merged - both) / merged if merged else 0.0,
        "missed_merge_rate": (coreferent - both) / coreferent if coreferent else 0.0,
        "impure_events": float((impure > 1).mean()) if len(impure) else 0.0,
    }


_ANCHOR = re.compile(r"\[([^\]]+)\]")


def load_merging_set(directory) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    """A merging test set: ``(articles, gold_stories, gold_anchors)`` from ``directory`` holding
    ``articles/*.txt`` (front matter and body, read with :func:`timeline.articles.load_articles`) and
    ``gold.json`` (``stories``: lists of article ids; ``events``: ``{id, event_type, anchors:
    {article_id: ["phrase with the [event words]", ...]}}``).

    ``gold_stories`` is the gold story of each article (on ``articles.index``); ``gold_anchors`` has
    one row per anchor: ``article_id, event, event_type, start, end`` (character offsets of the
    bracketed words in the article text). An anchor that is not found exactly once is an error.
    """
    from pathlib import Path

    from timeline.articles import load_articles

    directory = Path(directory)
    articles = load_articles(directory / "articles")
    gold = json.loads((directory / "gold.json").read_text(encoding="utf-8"))
    story_of = {a: f"gold-{n}" for n, members in enumerate(gold["stories"]) for a in members}
    unassigned = sorted(set(articles["article_id"]) - set(story_of))
    if unassigned:
        raise ValueError(f"{directory / 'gold.json'}: articles in no story: {', '.join(unassigned)}")
    text_of = dict(zip(articles["article_id"], articles["text"]))
    rows = []
    for event in gold["events"]:
        for article_id, phrases in event["anchors"].items():
            text = text_of.get(article_id)
            if text is None:
                raise ValueError(f"{directory / 'gold.json'}: event {event['id']} names unknown "
                                 f"article {article_id}")
            for phrase in phrases:
                plain = _ANCHOR.sub(r"\1", phrase)
                found = text.find(plain)
                marked = _ANCHOR.search(phrase)
                if found < 0 or text.find(plain, found + 1) >= 0 or marked is None:
                    raise ValueError(f"{directory / 'gold.json'}: anchor {phrase!r} of {event['id']} is not "
                                     f"found exactly once in {article_id} (or has no [brackets])")
                start = found + len(_ANCHOR.sub(r"\1", phrase[:marked.start()]))
                rows.append({"article_id": article_id, "event": event["id"], "event_type": event.get("event_type"),
                             "start": start, "end": start + len(marked.group(1))})
    stories = articles["article_id"].map(story_of).rename("story_id")
    return articles, stories, pd.DataFrame(rows, columns=["article_id", "event", "event_type", "start", "end"])


def align_mentions(mentions: pd.DataFrame, anchors: pd.DataFrame) -> pd.Series:
    """The gold event of each mention (None when it matches no anchor): the event whose anchor in
    the same article overlaps the mention's trigger; when several do, the one of the mention's
    event type, then the first."""
    by_article = {a: g.to_dict("records") for a, g in anchors.groupby("article_id")}
    out = []
    for row in mentions.to_dict("records"):
        start, end = row.get("trigger_start"), row.get("trigger_end")
        candidates = [] if _missing(start) or _missing(end) else by_article.get(str(row["article_id"]), [])
        hits = [a for a in candidates if a["start"] < int(end) and int(start) < a["end"]]
        hits.sort(key=lambda a: (a["event_type"] != row.get("event_type"), a["start"]))
        out.append(hits[0]["event"] if hits else None)
    return pd.Series(out, index=mentions.index, name="gold_event", dtype=object)
