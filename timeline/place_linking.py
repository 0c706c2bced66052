"""Learned event-place linker: which toponyms of a trigger's sentence are where the event happened.

Candidates are the place spans of the trigger's sentence (``ctx.places``: toponyms, the parser's
GPE/LOC/FAC entities, names beside a place noun) plus the sentence's proper-noun entities that
the small NER model mislabels (ORG, PERSON, NORP, PRODUCT, EVENT, WORK_OF_ART: "Harasta",
"Torkham"), feature ``src=wide``. For each (event trigger, candidate) pair :func:`pair_features`
describes the dependency path between them (dependencies and prepositions on the way up from the
place and down from the trigger, path lengths, the meeting point, a reporting verb in between,
the rule cost :func:`timeline.events.place_link_cost` and the rule linker's rank), their distance
and order, the candidate (entity label, ``geo_precision``/level of ``span._.place``, subject or
modifier of the trigger, coordinated, after a locative preposition, nested in or around another
candidate, nearer or more specific candidates) and the trigger (lemma, part of speech,
dependency). Gradient-boosted decision trees over these features (``data/models/place_linker.json``;
evaluated with numpy, a doc's pairs in one batch) give each pair a probability. :func:`place_candidates` returns the
candidates at or above the model's ``threshold``, best first, then those coordinated with the
best at or above ``coordinated_threshold``: a drop-in replacement for
:func:`timeline.events.place_candidates` on parsed docs (the events component keeps the best and
the places coordinated with it). Without a parse it is the rule linker, unchanged.

The model is trained on the first 4,600 sentences of Halterman's event-location silver corpus
(MIT; ``/work/shared/eval/events/event_location_silver.json.gz``); every training run chooses
both thresholds by 5-fold cross-validation inside them (best span F1 of the whole decision with
abstention accuracy >= :data:`MIN_ABSTENTION`), and the boosting settings (:data:`BOOSTING`) were
chosen the same way; sentences 4,601-9,199 stay held out.
Training needs scikit-learn and the English spaCy model (about 10 minutes on 2 cores); inference
does not need scikit-learn::

    python -m timeline.place_linking train --silver ../shared/eval/events/event_location_silver.json.gz \\
        --out data/models/place_linker.json

Example::

    >>> from timeline.place_linking import place_candidates        # doctest: +SKIP
    >>> place_candidates(head, sent, ctx)  # "evacuated ... in Mosul and Anbar"  # doctest: +SKIP
    [Mosul, Anbar]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Span, Token

from timeline import events as _events

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "models" / "place_linker.json"
"""The shipped model (JSON: ``trees``, ``bias``, ``threshold``, ``coordinated_threshold``, ``settings``,
``cv``, ``provenance``)."""

TUNING_SENTENCES = 4600
"""Silver sentences the model is trained and cross-validated on (the rest is held out)."""

rule_place_candidates = _events.place_candidates
"""The rule linker (dependency-path cost), used without a parse."""

_DIST_BUCKETS = (1, 2, 3, 5, 8, 12, 20)


# --------------------------------------------------------------------------------------------
# Features


def _path(anchor: Token, trigger: Token) -> tuple[list[Token], list[Token], Token] | None:
    """Tokens from ``anchor`` up to (not including) the lowest common ancestor, from ``trigger``
    up to it, and the ancestor; None across sentences (their trees are disjoint)."""
    up = [anchor] + list(anchor.ancestors)
    index = {t.i: n for n, t in enumerate(up)}
    down, node = [], trigger
    while node.i not in index:
        down.append(node)
        if node.head.i == node.i:
            return None
        node = node.head
    return up[:index[node.i]], down, node


def _bucket(value: int) -> str:
    return next((str(b) for b in _DIST_BUCKETS if value <= b), "far")


def _precision(span: Span) -> str:
    place = _events._place(span)
    if place:
        return str(place.get("geo_precision") or "?")
    return "none"


def prev_is_locative(span: Span) -> bool:
    """Whether a locative preposition comes just before the span ("in Mosul", "at the Rafik ...")."""
    doc = span.doc
    prev = doc[span.start - 1].lower_ if span.start > 0 else "<s>"
    prev2 = doc[span.start - 2].lower_ if span.start > 1 else "<s>"
    return prev in _events.LOCATIVE_PREPS or prev2 in ("in", "at", "near") and prev == "the"


def candidate_facts(spans: list[Span]) -> dict:
    """What :func:`pair_features` needs of the candidates alone, whatever the trigger: shared by
    every trigger of a sentence. Relations count only other candidates (other bounds)."""
    toponyms = {(s.start, s.end) for s in spans[0].doc.spans.get("toponyms", [])} if spans else set()
    bounds = [(s.start, s.end) for s in spans]
    others = [[j for j in range(len(spans)) if bounds[j] != bounds[k]] for k in range(len(spans))]
    surrounds = {(k, j): _events._surrounds(spans[k], spans[j]) for k in range(len(spans)) for j in others[k]}
    return {"toponyms": toponyms, "others": others,
            "locative": [prev_is_locative(s) for s in spans],
            "specificity": [_events._specificity(s) for s in spans],
            "coordinated": [any(_events._coordinated(spans[k], spans[j]) for j in others[k]) for k in range(len(spans))],
            "surrounds_other": [any(surrounds[k, j] for j in others[k]) for k in range(len(spans))],
            "surrounded": [any(surrounds[j, k] for j in others[k]) for k in range(len(spans))]}


def sentence_features(head: Token, spans: list[Span], rules: list[Span], shared: dict | None = None) -> list[dict[str, float]]:
    """:func:`pair_features` of every candidate in ``spans``, sharing the work between them
    (``shared``: their :func:`candidate_facts`, computed here when not given)."""
    paths = [_path(s.root, head) for s in spans]
    facts = {**(shared if shared is not None else candidate_facts(spans)), "paths": paths,
             "costs": [_events.place_link_cost(s.root, head) for s in spans],
             "lengths": [len(p[0]) + len(p[1]) if p else 99 for p in paths]}
    return [pair_features(head, s, spans, rules, facts, k) for k, s in enumerate(spans)]


def pair_features(head: Token, span: Span, spans: list[Span], rules: list[Span],
                  facts: dict | None = None, index: int | None = None) -> dict[str, float]:
    """Features of the pair (trigger ``head``, candidate ``span``); ``spans`` are all candidates of
    the sentence, ``rules`` the rule linker's choice, best first (``facts`` and ``index``: shared
    work from :func:`sentence_features`). Names to values (1.0 for indicators). Example:
    ``pair_features(clashed, Mosul, [Mosul], [Mosul])["up_prep=in"] == 1.0`` for "Troops clashed
    in Mosul"."""
    if facts is None:
        return sentence_features(head, spans, rules)[next(k for k, s in enumerate(spans) if s == span)]
    f: dict[str, float] = {"bias": 1.0}
    root = span.root
    doc = span.doc
    cost = facts["costs"][index]
    f[f"cost={min(cost, 4) if cost is not None else 'none'}"] = 1.0
    rank = next((n for n, s in enumerate(rules) if s.start == span.start and s.end == span.end), None)
    f[f"rule_rank={min(rank, 2) if rank is not None else 'none'}"] = 1.0
    path = facts["paths"][index]
    prep1 = "none"
    meet_kind = "none"
    if path is not None:
        up, down, meet = path
        f["up_len"] = min(len(up), 6) / 6
        f["down_len"] = min(len(down), 6) / 6
        f[f"up_len={min(len(up), 5)}"] = 1.0
        f[f"down_len={min(len(down), 4)}"] = 1.0
        for t in up:
            f[f"up_dep={t.dep_}"] = 1.0
            if t.dep_ == "prep":
                f[f"up_prep={t.lower_}"] = 1.0
                if prep1 == "none":
                    prep1 = t.lower_
        for t in down:
            f[f"down_dep={t.dep_}"] = 1.0
        meet_kind = "trigger" if meet.i == head.i else "place" if meet.i == root.i else "other"
        f[f"meet={meet_kind}"] = 1.0
        if meet_kind == "other":
            f[f"meet_pos={meet.pos_}"] = 1.0
            if meet.lemma_.lower() in _events.REPORTING_VERBS:
                f["meet_reporting"] = 1.0
        if any(t.dep_ in ("ccomp", "parataxis") for t in up):
            f["up_ccomp"] = 1.0
        if any(t.dep_ in ("ccomp", "parataxis") for t in down):
            f["down_ccomp"] = 1.0
        if up and up[-1].dep_ in ("nsubj", "nsubjpass", "agent"):
            f[f"up_top={up[-1].dep_}"] = 1.0
        f[f"prep1={prep1}|meet={meet_kind}"] = 1.0
    else:
        f["no_path"] = 1.0
    distance = span.start - head.i if span.start > head.i else head.i - span.end + 1
    after = span.start > head.i
    f["after" if after else "before"] = 1.0
    f[f"dist={_bucket(distance)}|{'after' if after else 'before'}"] = 1.0
    f["log_dist"] = math.log1p(distance) / 3
    # the candidate
    group = "toponym" if (span.start, span.end) in facts["toponyms"] else (
        "ent" if span.label_ in ("GPE", "LOC", "FAC") else "wide" if span.label_ in WIDE_LABELS else "phrase")
    f[f"src={group}"] = 1.0
    if group == "wide":
        last = doc[span.end - 1].lemma_.lower()
        f[f"wide={span.label_}"] = 1.0
        f[f"wide|prev_locative={facts['locative'][index]}"] = 1.0
        f[f"wide|prep1={prep1}"] = 1.0
        if last in _events.PLACE_NOUNS or last in _events.FACILITY_WORDS:
            f["wide|place_word"] = 1.0
    f[f"label={span.label_ or 'none'}"] = 1.0
    f[f"ent={root.ent_type_ or 'none'}"] = 1.0
    precision = _precision(span)
    f[f"prec={precision}"] = 1.0
    place = _events._place(span)
    if place:
        f[f"level={place.get('level')}"] = 1.0
    f[f"root_dep={root.dep_}"] = 1.0
    prev = doc[span.start - 1].lower_ if span.start > 0 else "<s>"
    locative = facts["locative"][index]
    f["prev_locative" if locative else "prev_other"] = 1.0
    if prev in _events.LOCATIVE_PREPS or prev in ("from", "to", "by", "for", "against", "with", "the", ",", "'s"):
        f[f"prev={prev}"] = 1.0
    nxt = doc[span.end].lower_ if span.end < len(doc) else "</s>"
    if nxt in ("'s", "’s", ",", "-based", "and", "city", "province", "forces", "troops", "government", "officials"):
        f[f"next={nxt}"] = 1.0
    f[f"prec={precision}|prev_locative={locative}"] = 1.0
    f[f"prec={precision}|prep1={prep1}"] = 1.0
    f[f"prec={precision}|meet={meet_kind}"] = 1.0
    if root.head.i == head.i:
        f[f"child_of_trigger={root.dep_}"] = 1.0
    if root.dep_ in ("compound", "amod", "poss", "nmod") and root.head.pos_ in ("NOUN", "PROPN"):
        f["modifier"] = 1.0
        f[f"modifier|prec={precision}"] = 1.0
    noun = _events._place_noun_of(span)
    if noun.i != root.i:
        f["named_place_noun"] = 1.0
    if root.conjuncts:
        f["conj"] = 1.0
    other_index = facts["others"][index]
    f[f"n_cands={min(len(spans), 4)}"] = 1.0
    for relation in ("coordinated", "surrounds_other", "surrounded"):
        if facts[relation][index]:
            f[relation] = 1.0
    specificity = facts["specificity"]
    nearer = [k for k in other_index if abs(spans[k].start - head.i) < abs(span.start - head.i)]
    f["nearest" if not nearer else "not_nearest"] = 1.0
    if any(0 < specificity[k] < specificity[index] for k in other_index):
        f["more_specific_exists"] = 1.0
    if any(facts["costs"][k] is not None for k in nearer):
        f["nearer_linked_exists"] = 1.0
    f["shortest_path" if facts["lengths"][index] <= min(facts["lengths"]) else "longer_path"] = 1.0
    if locative and not any(facts["locative"][k] for k in other_index):
        f["only_locative"] = 1.0
    f[f"n_locative={min(sum(facts['locative']), 3)}"] = 1.0
    f[f"n_words={min(len(span.text.split()), 3)}"] = 1.0
    if span.text.isupper() and len(span.text) <= 6:
        f["acronym"] = 1.0  # "AP", "NATO": an organisation more often than a place
    if place:
        f[f"fcode={place.get('feature_code')}"] = 1.0
    if root.dep_ in ("poss", "compound", "nmod", "amod") and root.head.pos_ == "NOUN":
        f[f"owner={root.head.lemma_.lower()}"] = 1.0  # "Syria's border", "the Mosul attack"
    if path is not None and any(t.pos_ in ("VERB", "AUX") for t in path[0][1:]):
        f["up_verb"] = 1.0  # the place is in another clause than where the paths meet
    lo, hi = (head.i + 1, span.start) if after else (span.end, head.i)
    f[f"verbs_between={min(sum(1 for t in doc[lo:hi] if t.pos_ == 'VERB'), 2)}"] = 1.0
    # the trigger
    f[f"trig_lemma={head.lemma_.lower()}"] = 1.0
    f[f"trig_pos={head.pos_}"] = 1.0
    f[f"trig_dep={head.dep_}"] = 1.0
    f[f"trig_pos={head.pos_}|prep1={prep1}"] = 1.0
    if head.lemma_.lower() in _events.TERRITORIAL_VERBS:
        f["trig_territorial"] = 1.0
        f[f"trig_territorial|root_dep={root.dep_}"] = 1.0
    return f


WIDE_LABELS = frozenset({"ORG", "PERSON", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART"})
"""Entity labels the small NER model often gives to place names it does not know ("Harasta" NORP,
"Torkham" ORG, "Kasumbalesa" PERSON): their proper-noun entities are candidates too (feature
``src=wide``), for the model to weigh."""


def sentence_candidates(head: Token, sent: Span, ctx, wide: bool = False) -> list[Span]:
    """The place spans of ``ctx.places`` inside ``sent`` that do not contain the trigger; with
    ``wide``, also the sentence's proper-noun entities of :data:`WIDE_LABELS` that overlap none."""
    spans = [s for s in ctx.places if s.start >= sent.start and s.end <= sent.end and not (s.start <= head.i < s.end)]
    if wide:
        taken = ctx.place_tokens
        spans += [e for e in ctx.ents
                  if e.start >= sent.start and e.end <= sent.end and e.label_ in WIDE_LABELS
                  and not (e.start <= head.i < e.end) and e.root.pos_ == "PROPN"
                  and not any(i in taken for i in range(e.start, e.end))]
        spans.sort(key=lambda s: s.start)
    return spans


# --------------------------------------------------------------------------------------------
# Inference


class PlaceLinker:
    """Gradient-boosted decision trees over :func:`pair_features`: ``trees``, each a nested list
    ``[feature, split, left, right]`` whose leaves are log-odds (a missing feature is 0.0; ``left``
    when the value is <= ``split``), ``bias`` (the prior log-odds) and ``threshold`` (probability at
    or above which a candidate is the event's place). Example: ``PlaceLinker([["in", 0.5, -1.0, 2.0]],
    0.0, 0.5).probability({"in": 1.0})`` is 0.88.

    The trees are evaluated by a :class:`TreeEnsemble`, every candidate of a doc's triggers in one
    batch (:meth:`scored`)."""

    def __init__(self, trees: list, bias: float, threshold: float, wide: bool = False,
                 coordinated_threshold: float | None = None):
        if not all(_valid_tree(t) for t in trees):
            raise ValueError("trees must be [feature name, split, left, right] lists with number leaves")
        self.trees, self.bias, self.threshold, self.wide = trees, float(bias), threshold, wide
        self.coordinated_threshold = threshold if coordinated_threshold is None else min(threshold, coordinated_threshold)
        self.ensemble = TreeEnsemble(trees, self.bias)

    def log_odds(self, features: dict[str, float]) -> float:
        """The bias plus every tree's leaf for one row of features."""
        return float(self.ensemble.log_odds([features])[0])

    @classmethod
    def from_json(cls, path: str | Path) -> "PlaceLinker":
        """Read a model file written by ``train``; ValueError naming the file when it is not one."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(data["trees"], float(data["bias"]), float(data["threshold"]),
                       bool(data.get("wide_candidates", False)), data.get("coordinated_threshold"))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"{path}: not a place-linker model ({error})") from error

    def probability(self, features: dict[str, float]) -> float:
        """P(the candidate is where the event happened), 0..1."""
        return _logistic(self.log_odds(features))

    def scored(self, head: Token, sent: Span, ctx) -> list[tuple[float, Span]]:
        """Every candidate of the trigger's sentence with its probability, best first (ties: nearest).
        The first call for a doc scores the candidates of all its triggers (``ctx.trigger_heads``)
        in one batch and keeps them in ``ctx.place_scores``."""
        key = (head.i, sent.start, sent.end)
        if key not in ctx.place_scores:
            asked = {key: (head, sent)}
            for i in sorted(ctx.trigger_heads):
                token = head.doc[i]
                other = token.sent
                asked.setdefault((i, other.start, other.end), (token, other))
            self._score(ctx, [(k, t, s) for k, (t, s) in asked.items() if k not in ctx.place_scores])
        return ctx.place_scores[key]

    def _score(self, ctx, asked: list[tuple[tuple[int, int, int], Token, Span]]) -> None:
        """Score the candidates of each (key, trigger, sentence) in ``asked`` into ``ctx.place_scores``."""
        rows, spans_of = [], []
        for _, head, sent in asked:
            spans = sentence_candidates(head, sent, ctx, self.wide)
            if spans:
                rules = rule_place_candidates(head, sent, ctx)
                bounds = tuple((s.start, s.end) for s in spans)
                if bounds not in ctx.candidate_facts:
                    ctx.candidate_facts[bounds] = candidate_facts(spans)
                rows += sentence_features(head, spans, rules, ctx.candidate_facts[bounds])
            spans_of.append(spans)
        log_odds = self.ensemble.log_odds(rows).tolist() if rows else []
        start = 0
        for (key, head, _), spans in zip(asked, spans_of):
            out = [(_logistic(z), s) for z, s in zip(log_odds[start:start + len(spans)], spans)]
            start += len(spans)
            ctx.place_scores[key] = sorted(out, key=lambda x: (-x[0], abs(x[1].start - head.i), x[1].start))

    def candidates(self, head: Token, sent: Span, ctx) -> list[Span]:
        """The candidates at or above the threshold, best first, then those below it but at or
        above the coordinated threshold when coordinated with the best ("in Mosul and Anbar"):
        the events component keeps the best and the ones coordinated with it."""
        scored = [(p, s) for p, s in self.scored(head, sent, ctx) if not in_sequenced_clause(s, head)]
        if not scored or scored[0][0] < self.threshold:
            return []
        best = scored[0][1]
        return ([s for p, s in scored if p >= self.threshold]
                + [s for p, s in scored if self.coordinated_threshold <= p < self.threshold and _events._coordinated(best, s)])


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _valid_tree(node, depth: int = 0) -> bool:
    """Whether ``node`` is a number or a ``[feature name, split, left, right]`` tree (depth <= 16)."""
    if isinstance(node, (int, float)) and not isinstance(node, bool):
        return True
    return (isinstance(node, list) and len(node) == 4 and isinstance(node[0], str) and depth < TreeEnsemble.MAX_DEPTH
            and isinstance(node[1], (int, float)) and _valid_tree(node[2], depth + 1) and _valid_tree(node[3], depth + 1))


class TreeEnsemble:
    """Decision trees evaluated many rows at a time with numpy. Each tree (``[feature, split, left,
    right]`` lists, number leaves) is laid out as a complete binary tree of the ensemble's depth (a
    leaf above the bottom is copied down both sides), so a row's node in every tree advances one
    level per step by arithmetic alone (children of node k: 2k+1, 2k+2). A missing feature is 0.0;
    a row goes left when its value is <= the split. The leaves are added to ``bias`` tree by tree, in
    order (a cumulative sum), so each row's sum is the same float whatever the batch.

    >>> TreeEnsemble([["a", 0.5, -1.0, 2.0]], 0.5).log_odds([{"a": 1.0}, {}]).tolist()
    [2.5, -0.5]
    """

    MAX_DEPTH = 16
    """Deepest tree laid out (a complete tree of depth 16 has 65,536 leaves)."""

    def __init__(self, trees: list, bias: float):
        depth = max((_depth(t) for t in trees), default=0)
        if depth > self.MAX_DEPTH:
            raise ValueError(f"trees deeper than {self.MAX_DEPTH} levels: {depth}")
        inner, leaves = 2 ** depth - 1, 2 ** depth
        self.columns: dict[str, int] = {}      # feature name -> column of the row matrix (0: always 0.0)
        self.feature = np.zeros((len(trees), inner), dtype=np.intp)
        self.split = np.ones((len(trees), inner))
        self.leaf = np.zeros((len(trees), leaves))
        for number, tree in enumerate(trees):
            self._lay_out(number, tree, 0, 0, depth)
        self.depth, self.inner, self.bias = depth, inner, float(bias)
        self.feature, self.split, self.leaf = self.feature.ravel(), self.split.ravel(), self.leaf.ravel()
        self.inner_offset = (np.arange(len(trees)) * inner)[None, :]
        self.leaf_offset = (np.arange(len(trees)) * leaves - inner)[None, :]

    def _lay_out(self, number: int, node, k: int, level: int, depth: int) -> None:
        if level == depth:
            self.leaf[number, k - (2 ** depth - 1)] = float(node)
        elif node.__class__ is list:
            name, split, left, right = node
            self.feature[number, k] = self.columns.setdefault(name, len(self.columns) + 1)
            self.split[number, k] = float(split)
            self._lay_out(number, left, 2 * k + 1, level + 1, depth)
            self._lay_out(number, right, 2 * k + 2, level + 1, depth)
        else:   # column 0 (0.0) <= split 1.0: both children carry the leaf
            self._lay_out(number, node, 2 * k + 1, level + 1, depth)
            self._lay_out(number, node, 2 * k + 2, level + 1, depth)

    def log_odds(self, rows: list[dict[str, float]]) -> np.ndarray:
        """The bias plus every tree's leaf, for each row (feature name -> value)."""
        width = len(self.columns) + 1
        matrix = np.zeros((len(rows), width))
        for r, features in enumerate(rows):
            for name, value in features.items():
                column = self.columns.get(name)
                if column is not None:
                    matrix[r, column] = value
        values = matrix.ravel()
        row_start = (np.arange(len(rows)) * width)[:, None]
        node = np.zeros((len(rows), self.inner_offset.shape[1]), dtype=np.intp)
        for _ in range(self.depth):
            at = node + self.inner_offset
            node = 2 * node + 2 - (values[row_start + self.feature[at]] <= self.split[at])
        leaves = self.leaf[node + self.leaf_offset]
        return np.cumsum(np.concatenate([np.full((len(rows), 1), self.bias), leaves], axis=1), axis=1)[:, -1]


def _depth(node) -> int:
    return 1 + max(_depth(node[2]), _depth(node[3])) if node.__class__ is list else 0


SEQUENCE_MARKS = frozenset({"after", "before", "since", "until", "till", "once"})
"""Conjunctions that put a clause's action at another time than the main clause's."""


def in_sequenced_clause(span: Span, head: Token) -> bool:
    """Whether the place is inside a clause that tells another, earlier or later action than the
    trigger's ("The kidnapping came six days after separatists freed passengers near Bamenda"):
    on its way up to the trigger's clause it passes a verb clause marked by a :data:`SEQUENCE_MARKS`
    word that does not contain the trigger."""
    path = _path(span.root, head)
    return path is not None and any(
        t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in SEQUENCE_MARKS for c in t.children)
        for t in path[0])


@lru_cache(maxsize=1)
def default_linker() -> PlaceLinker:
    """The shipped model (:data:`MODEL_PATH`), read once."""
    return PlaceLinker.from_json(MODEL_PATH)


def place_candidates(head: Token, sent: Span, ctx) -> list[Span]:
    """The places of the trigger ``head``'s sentence where the event happened, best first: the
    learned linker on a parsed doc, the rule linker (:func:`timeline.events.place_candidates`)
    without a parse. Same signature and contract as the rule linker (``ctx`` is the events
    component's per-doc context, ``ctx.places`` the candidate spans)."""
    if not ctx.parsed:
        return rule_place_candidates(head, sent, ctx)
    return default_linker().candidates(head, sent, ctx)


# --------------------------------------------------------------------------------------------
# Training (scikit-learn, training only)


def training_pairs(docs, records, wide: bool = True, place_labels=("GPE", "LOC", "FAC")) -> list[dict]:
    """One item per silver sentence: ``{features: [...], labels: [...], spans: [(start, end)],
    coordinated: [[i, j], ...] (with the best-first convention of the events component), gold:
    [(start, end)]}`` for the candidates of its first marked verb in a parsed ``doc``."""
    out = []
    for doc, record in zip(docs, records):
        item = {"features": [], "labels": [], "spans": [], "coordinated": [], "gold": record["locations"]}
        out.append(item)
        start, end = record["verbs"][0]
        trigger = doc.char_span(start, end, alignment_mode="expand")
        if trigger is None or not doc.has_annotation("DEP"):
            continue
        ctx = _events._DocContext(doc, True, frozenset(place_labels))
        head = trigger.root
        sent = _events._clause_sentence(doc[head.i:head.i + 1], ctx)
        spans = sentence_candidates(head, sent, ctx, wide)
        rules = rule_place_candidates(head, sent, ctx)
        item["features"] = sentence_features(head, spans, rules)
        for s in spans:
            item["labels"].append(int(any(gs < s.end_char and s.start_char < ge for gs, ge in record["locations"])))
            item["spans"].append((s.start_char, s.end_char))
        item["coordinated"] = [[i, j] for i, a in enumerate(spans) for j, b in enumerate(spans)
                               if i != j and _events._coordinated(a, b)]
        item["distance"] = [abs(s.start - head.i) for s in spans]
    return out


def decide(item: dict, probabilities: list[float], threshold: float,
           coordinated_threshold: float | None = None) -> list[tuple[int, int]]:
    """The spans the events component would link for one item: the best candidate at or above
    ``threshold`` and the candidates coordinated with it at or above ``coordinated_threshold``
    (default: ``threshold``)."""
    low = threshold if coordinated_threshold is None else min(threshold, coordinated_threshold)
    order = sorted(range(len(probabilities)),
                   key=lambda i: (-probabilities[i], item["distance"][i], item["spans"][i]))
    if not order or probabilities[order[0]] < threshold:
        return []
    coordinated = {(i, j) for i, j in item["coordinated"]}
    first = order[0]
    return [item["spans"][i] for i in order
            if i == first or (first, i) in coordinated and probabilities[i] >= low]


def score(items: list[dict], predictions: list[list[tuple[int, int]]]) -> dict:
    """Pooled P/R/F1 and abstention accuracy, by the rules of :func:`timeline.event_eval.evaluate_location`."""
    from timeline.event_eval import match_spans

    matched = n_pred = n_gold = right = empty = 0
    for item, predicted in zip(items, predictions):
        n_gold += len(item["gold"])
        n_pred += len(predicted)
        matched += match_spans(predicted, item["gold"])
        if not item["gold"]:
            empty += 1
            right += not predicted
    p = matched / n_pred if n_pred else 0.0
    r = matched / n_gold if n_gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
            "abstention_accuracy": round(right / empty, 4) if empty else 0.0}


MIN_ABSTENTION = 0.82
"""Abstention accuracy the threshold must keep in cross-validation (target 0.80, with a margin)."""


def best_threshold(items: list[dict], probabilities: list[list[float]]) -> tuple[float, float, dict]:
    """The threshold (0.05 ... 0.95 by 0.01) and coordinated threshold (0.1, 0.2, 0.3 or the same)
    with the best F1 at abstention accuracy >= :data:`MIN_ABSTENTION`."""
    best = (0.5, 0.5, {"f1": -1.0})
    for k in range(5, 96):
        t = k / 100
        for low in sorted({0.1, 0.2, 0.3, t}):
            figures = score(items, [decide(i, p, t, low) for i, p in zip(items, probabilities)])
            if figures["abstention_accuracy"] >= MIN_ABSTENTION and figures["f1"] > best[2]["f1"]:
                best = (t, min(low, t), figures)
    return best


BOOSTING = {"n_estimators": 400, "max_depth": 6, "learning_rate": 0.05, "subsample": 0.8, "min_samples_leaf": 5}
"""Settings of the gradient boosting (scikit-learn's ``GradientBoostingClassifier``), chosen by 5-fold
cross-validation on sentences 1-4,600 (span F1 at abstention >= 0.82): depth 4 with 300 trees 0.757,
depth 5 with 200 trees 0.771, depth 6 with 150 trees 0.770 and with 400 0.776, depth 8 with 300
0.779 (not worth a larger file), logistic regression 0.750, all before the features from
``n_locative`` to ``verbs_between`` were added (depth 6 with 400 trees: 0.783 with them). Deep trees
let the candidate's kind, preposition and path weigh differently for each trigger."""


def fit(items: list[dict], folds: int = 5, settings: dict | None = None) -> tuple[dict, dict]:
    """Cross-validate (folds of whole sentences, in order) the thresholds of gradient-boosted trees
    with ``settings`` (default :data:`BOOSTING`); refit on all items. Returns the model dict and the
    CV figures."""
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.feature_extraction import DictVectorizer

    settings = dict(BOOSTING if settings is None else settings)

    def train(subset):
        rows = [f for item in subset for f in item["features"]]
        labels = [y for item in subset for y in item["labels"]]
        vectorizer = DictVectorizer(sort=True)
        model = GradientBoostingClassifier(**settings, random_state=0)
        model.fit(vectorizer.fit_transform(rows), np.array(labels))
        return vectorizer, model

    fold_of = [n * folds // len(items) for n in range(len(items))]
    probabilities: list[list[float]] = [[] for _ in items]
    for k in range(folds):
        vectorizer, model = train([item for item, fk in zip(items, fold_of) if fk != k])
        for n in (n for n, fk in enumerate(fold_of) if fk == k and items[n]["features"]):
            probabilities[n] = list(model.predict_proba(vectorizer.transform(items[n]["features"]))[:, 1])
    threshold, low, figures = best_threshold(items, probabilities)
    print(f"{settings}: thresholds {threshold}, {low}: {figures}", file=sys.stderr)
    vectorizer, model = train(items)
    names = [str(n) for n in vectorizer.get_feature_names_out()]
    rate = settings["learning_rate"]
    trees = [export_tree(estimator.tree_, names, rate) for estimator in model.estimators_[:, 0]]
    prior = float(model.init_.class_prior_[1])
    bias = round(math.log(prior / (1 - prior)), 6)
    rows = [f for item in items[:300] for f in item["features"]]
    exported = PlaceLinker(trees, bias, threshold)
    expected = model.predict_proba(vectorizer.transform(rows))[:, 1]
    gap = max(abs(exported.probability(f) - p) for f, p in zip(rows, expected))
    if gap > 1e-4:
        raise RuntimeError(f"exported trees disagree with scikit-learn by {gap:.5f}")
    model_dict = {"trees": trees, "bias": bias, "threshold": threshold, "coordinated_threshold": low,
                  "settings": settings}
    return model_dict, {**figures, "threshold": threshold, "coordinated_threshold": low}


def export_tree(tree, names: list[str], scale: float, node: int = 0):
    """A fitted scikit-learn regression tree (``estimator.tree_``) as the nested lists of
    :class:`PlaceLinker`, leaves multiplied by ``scale`` (the learning rate). scikit-learn tests
    a value in single precision and may split right at one (``log_dist`` 0.8283022046): the split is
    moved half-way to the next single-precision number, so that a double-precision feature goes
    the same way."""

    left, right = int(tree.children_left[node]), int(tree.children_right[node])
    if left < 0:
        return round(float(tree.value[node][0][0]) * scale, 6)
    split = float(tree.threshold[node])
    low = np.float32(split)
    if float(low) > split:
        low = np.nextafter(low, np.float32(-np.inf))
    split = (float(low) + float(np.nextafter(low, np.float32(np.inf)))) / 2
    return [names[int(tree.feature[node])], split,
            export_tree(tree, names, scale, left), export_tree(tree, names, scale, right)]


def build_model(items: list[dict], pipeline: str) -> dict:
    """The model file's content for items made by :func:`training_pairs` (``wide=True``) from
    the first ``len(items)`` silver sentences run through ``pipeline``."""
    model, cv = fit(items)
    model["features"] = "timeline.place_linking.pair_features"
    model["wide_candidates"] = True
    model["cv"] = {k: cv[k] for k in ("precision", "recall", "f1", "abstention_accuracy")}
    model["provenance"] = {
        "data": "event_location_silver.json.gz: Halterman, 'Geolocating political events in text' (MIT licence)",
        "trained_on": f"silver sentences 1-{len(items)} (load_location order); the rest held out",
        "pipeline": pipeline,
        "command": "python -m timeline.place_linking train --silver PATH --out data/models/place_linker.json",
    }
    return model


def model_text(model: dict) -> str:
    """The model file's text: the fields as indented JSON, then ``trees``, one compact tree a line."""
    head = json.dumps({k: v for k, v in model.items() if k != "trees"}, indent=1, sort_keys=True)
    trees = ",\n".join("  " + json.dumps(tree, separators=(",", ":")) for tree in model["trees"])
    return head[:-2] + ',\n "trees": [\n' + trees + "\n ]\n}\n"


def train_command(argv: list[str]) -> int:
    """``python -m timeline.place_linking train --silver PATH --out FILE``."""
    parser = argparse.ArgumentParser(prog="python -m timeline.place_linking train",
                                     description="Train the event-place linker on silver sentences 1-4,600.")
    parser.add_argument("--silver", required=True, help="event_location_silver.json.gz (Halterman, MIT)")
    parser.add_argument("--out", default=str(MODEL_PATH), help="model file to write (JSON)")
    parser.add_argument("--sentences", type=int, default=TUNING_SENTENCES, help="train on the first N sentences")
    args = parser.parse_args(argv)
    from timeline.event_eval import events_pipeline, load_location

    try:
        records = load_location(args.silver)[:args.sentences]
    except ValueError as error:
        print(f"place_linking: {error}", file=sys.stderr)
        return 2
    nlp = events_pipeline("auto")
    items = training_pairs(nlp.pipe(r["text"] for r in records), records, wide=True)
    pipeline = f"{nlp.meta.get('lang')}_{nlp.meta.get('name')} {nlp.meta.get('version')} + {', '.join(nlp.pipe_names[-3:])}"
    model = build_model(items, pipeline)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(model_text(model), encoding="utf-8")
    print(f"wrote {out}: {len(model['trees'])} trees, threshold {model['threshold']}; CV {model['cv']}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] != "train":
        print("usage: python -m timeline.place_linking train --silver PATH --out FILE", file=sys.stderr)
        return 2
    return train_command(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
