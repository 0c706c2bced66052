"""Stories (MinHash near-duplicates), inferred publication times, event merging and its scoring."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from timeline.merging import (
    align_mentions, articles_without_events, evaluate_merging, group_stories, infer_publication, link_mentions,
    load_merging_set, merge_events, mention_keys,
)
from timeline.schema import EVENT_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
MERGING_SET = ROOT / "tests" / "data" / "merging"


# ------------------------------------------------------------------------------------------
# helpers: hand-made articles and mentions


def article(article_id, text="", published="", outlet="", title="", basis=None):
    return {"article_id": article_id, "path": f"{article_id}.txt", "title": title or article_id.upper(),
            "outlet": outlet or f"Outlet {article_id}", "url": f"https://news.example/{article_id}",
            "published": published, "published_basis": basis or ("metadata" if published else "none"),
            "text": text}


KIRKUK_CITY = {"place_text": "Kirkuk", "place_name": "Kirkuk", "geonameid": "94787", "latitude": 35.47,
               "longitude": 44.39, "geo_precision": 1, "geo_level": "point", "admin1": "Kirkuk", "country": "IQ"}
KIRKUK_PROVINCE = {"place_text": "Kirkuk province", "place_name": "Kirkuk", "geonameid": "98410",
                   "latitude": 35.5, "longitude": 44.3, "geo_precision": 3, "geo_level": "admin1",
                   "admin1": "Kirkuk", "country": "IQ"}
ERBIL = {"place_text": "Erbil", "place_name": "Erbil", "geonameid": "95446", "latitude": 36.19,
         "longitude": 44.01, "geo_precision": 1, "geo_level": "point", "admin1": "Erbil", "country": "IQ"}
NAIROBI = {"place_text": "Nairobi", "place_name": "Nairobi", "geonameid": "184745", "latitude": -1.28,
           "longitude": 36.82, "geo_precision": 1, "geo_level": "point", "admin1": "Nairobi Area", "country": "KE"}
MOMBASA = {"place_text": "Mombasa", "place_name": "Mombasa", "geonameid": "186301", "latitude": -4.05,
           "longitude": 39.67, "geo_precision": 1, "geo_level": "point", "admin1": "Mombasa", "country": "KE"}


def mention(article_id, trigger_start, sentence, place=None, day=None, **extra):
    """One ``doc._.events`` dict plus article_id; a drone strike on ``day`` unless told otherwise."""
    row = {"article_id": article_id, "event_type": "Explosions/Remote violence",
           "sub_event_type": "Air/drone strike", "plover": "ASSAULT", "modality": "asserted",
           "trigger": "drone strike", "trigger_start": trigger_start, "trigger_end": trigger_start + 12,
           "actor1": None, "actor2": None, "sentence": sentence, "sentence_start": trigger_start - 2,
           "date_text": None, "date_start": None, "date_end": None, "date_precision": None,
           "date_modifier": None, "date_value": None, "date_basis": "undated",
           "place_text": None, "place_start": None, "place_end": None, "place_name": None,
           "geonameid": None, "latitude": None, "longitude": None, "geo_precision": None,
           "geo_level": None, "admin1": None, "country": None}
    if day:
        row.update(date_text="on Wednesday", date_start=day, date_end=day, date_precision="day",
                   date_value=day, date_basis="relative_dct")
    row.update(place or {})
    row.update(extra)
    return row


def strike_articles():
    return pd.DataFrame([
        article("wire", "wire text", "2025-03-13T08:10", "Meridian Wire"),
        article("rewrite", "rewrite text", "", "Gulf Ledger"),
        article("local", "local text", "2025-03-14", "Kirkuk Voice"),
        article("erbil", "erbil text", "2025-03-20", "Capital Tribune"),
    ]).assign(story_id=["story-a", "story-a", "story-b", "story-c"])


def strike_mentions():
    return pd.DataFrame([
        mention("wire", 10, "A drone strike hit a militia convoy near Kirkuk on Wednesday, killing three fighters.",
                KIRKUK_CITY, "2025-03-12", actor2="three fighters"),
        mention("rewrite", 30, "Three fighters were killed when a drone struck their convoy outside Kirkuk on Wednesday.",
                KIRKUK_CITY, "2025-03-12", trigger="struck", actor2="Three fighters"),
        mention("local", 50, "The drone strike in Kirkuk province on Wednesday killed three local fighters.",
                KIRKUK_PROVINCE, "2025-03-12", actor2="three local fighters"),
        mention("erbil", 70, "A drone strike hit an open area near Erbil airport on Wednesday, causing no casualties.",
                ERBIL, "2025-03-19"),
    ])


def event_of(events: pd.DataFrame, article_id: str) -> pd.Series:
    rows = events[events["sources"].map(lambda s: article_id in {x["article_id"] for x in json.loads(s)})]
    assert len(rows) == 1, f"{article_id} is in {len(rows)} events"
    return rows.iloc[0]


# ------------------------------------------------------------------------------------------
# stories


def test_seed_articles_form_one_story():
    from timeline.articles import load_articles

    articles = load_articles(ROOT / "data" / "articles")
    stories = group_stories(articles)
    assert len(articles) == 5 and stories.nunique() == 1
    assert re.fullmatch(r"story-[0-9a-f]{12}", stories.iloc[0])


def test_stories_of_the_merging_set_match_gold():
    articles, gold, _ = load_merging_set(MERGING_SET)
    scores = evaluate_merging(group_stories(articles), gold)
    assert scores["precision"] == 1.0 and scores["recall"] >= 0.9, scores


def test_story_ids_are_deterministic_and_independent_of_row_order():
    articles, _, _ = load_merging_set(MERGING_SET)
    first = group_stories(articles)
    shuffled = articles.sample(frac=1, random_state=3)
    again = group_stories(shuffled)
    assert dict(zip(articles["article_id"], first)) == dict(zip(shuffled["article_id"], again))


def test_rewrites_more_than_a_week_apart_are_different_stories():
    text = "Protesters marched through Nairobi against fuel prices and police fired tear gas at them."
    articles = pd.DataFrame([article("a", text, "2025-06-03"), article("b", text, "2025-07-20"),
                             article("c", text, "")])
    stories = group_stories(articles)
    assert stories[0] != stories[1]  # identical text, six weeks apart
    assert stories[2] in (stories[0], stories[1])  # the undated copy joins one, never both


def test_a_follow_up_three_days_later_is_another_story():
    wire = "US aircraft struck the port of Hodeidah on Monday, killing three dock workers and damaging fuel tanks."
    follow_up = "US aircraft struck Hodeidah port again on Thursday; on Monday three dock workers were killed there."
    articles = pd.DataFrame([article("a", wire, "2025-05-06"), article("b", wire, "2025-05-07"),
                             article("c", f"{wire} {follow_up}", "2025-05-09")])
    stories = group_stories(articles)
    assert stories[0] == stories[1] != stories[2]


def test_an_undated_paraphrase_joins_the_report_it_most_resembles():
    wire = ("A suicide bomber blew herself up at a busy fish market in Konduga on Saturday, killing 11 people and "
            "wounding 25, a militia leader said. The woman detonated her explosives near the entrance shortly after "
            "noon, witnesses said. The wounded were taken to Maiduguri.")
    paraphrase = ("An explosion tore through a crowded fish market in northeastern Nigeria on Saturday and left 11 "
                  "dead, a militia commander told reporters. Twenty-five others were wounded and doctors in Maiduguri "
                  "treated them. Police believe a young woman carried the explosives under her clothing.")
    other = "Fighters attacked an army post near Bama on Sunday, and soldiers returned fire for two hours."
    undated = pd.DataFrame([article("a", wire, "2025-08-16", title="Bombing"), article("c", paraphrase, title="Blast"),
                            article("x", other, "2025-08-17", title="Attack")])
    stories = group_stories(undated)
    assert stories[0] == stories[1] != stories[2]  # about 0.21 alike: below the threshold for two dated reports
    dated = undated.assign(published=["2025-08-16", "2025-08-16", "2025-08-17"])
    assert group_stories(dated).nunique() == 3


def test_unrelated_and_empty_articles_stay_alone():
    articles = pd.DataFrame([
        article("a", "Hundreds of traders marched through Mombasa to protest against fuel prices."),
        article("b", "The central bank raised its interest rate by half a point to fight inflation."),
        article("c", ""),
    ])
    assert group_stories(articles).nunique() == 3


def test_duplicate_article_ids_are_an_error():
    articles = pd.DataFrame([article("a", "x"), article("a", "y")])
    with pytest.raises(ValueError, match="repeats article_id a"):
        group_stories(articles)


# ------------------------------------------------------------------------------------------
# inferred publication


def test_undated_article_borrows_its_storys_median_day():
    articles = pd.DataFrame([article("a", published="2025-04-06T22:00"), article("b", published="2025-04-07T09:34"),
                             article("c", published="2025-04-09"), article("d"), article("e")])
    stories = pd.Series(["s1", "s1", "s1", "s1", "s2"])
    out = infer_publication(articles, stories)
    assert out.loc[3, "published"] == "2025-04-07" and out.loc[3, "published_basis"] == "inferred"
    assert out.loc[4, "published"] == "" and out.loc[4, "published_basis"] == "none"  # no dated member
    assert out.loc[1, "published"] == "2025-04-07T09:34" and out.loc[1, "published_basis"] == "metadata"
    assert articles.loc[3, "published"] == ""  # the input is not modified
    assert list(out["story_id"]) == ["s1", "s1", "s1", "s1", "s2"]


# ------------------------------------------------------------------------------------------
# merging


def test_one_strike_reported_three_times_is_one_row_and_the_other_strike_another():
    events = merge_events(strike_mentions(), strike_articles())
    assert len(events) == 2
    kirkuk = event_of(events, "wire")
    assert event_of(events, "rewrite")["event_id"] == kirkuk["event_id"] == event_of(events, "local")["event_id"]
    assert kirkuk["source_count"] == 3
    assert kirkuk["independent_source_count"] == 2  # wire + rewrite are one story
    assert kirkuk["place_name"] == "Kirkuk" and kirkuk["geo_level"] == "point"  # most precise place
    assert event_of(events, "erbil")["source_count"] == 1


def test_sources_are_complete_and_ordered():
    events = merge_events(strike_mentions(), strike_articles())
    sources = json.loads(event_of(events, "wire")["sources"])
    assert [s["article_id"] for s in sources] == ["wire", "local", "rewrite"]  # by published, undated last
    assert set(sources[0]) == {"article_id", "outlet", "published", "sentence", "url", "title"}
    assert sources[0]["outlet"] == "Meridian Wire" and sources[0]["published"] == "2025-03-13T08:10"
    assert sources[2]["sentence"].startswith("Three fighters were killed")
    row = event_of(events, "wire")
    assert row["article_id"] == "wire" and row["sentence"] == sources[0]["sentence"]
    assert row["story_id"] == "story-a"


def test_table_columns_types_and_order():
    events = merge_events(strike_mentions().assign(model="rules-only"), strike_articles())
    assert list(events.columns) == [*EVENT_COLUMNS, "model"]
    assert events["date_start"].tolist() == sorted(events["date_start"].tolist())
    assert all(re.fullmatch(r"ev-[0-9a-f]{12}", e) for e in events["event_id"])
    assert events["source_count"].dtype.kind == "i" and events["latitude"].dtype.kind == "f"


def test_event_ids_and_output_do_not_depend_on_row_order():
    mentions, articles = strike_mentions(), strike_articles()
    first = merge_events(mentions, articles)
    again = merge_events(mentions.iloc[::-1].reset_index(drop=True), articles.iloc[::-1])
    pd.testing.assert_frame_equal(first, again)


def test_same_day_same_kind_in_two_cities_is_two_events():
    articles = pd.DataFrame([article("n", published="2025-06-04"), article("m", published="2025-06-04")])
    protest = {"event_type": "Protests", "sub_event_type": "Peaceful protest", "plover": "PROTEST",
               "trigger": "marched"}
    mentions = pd.DataFrame([
        mention("n", 10, "Thousands marched in Nairobi on Tuesday against fuel prices.", NAIROBI, "2025-06-03", **protest),
        mention("m", 10, "Hundreds marched in Mombasa on Tuesday against fuel prices.", MOMBASA, "2025-06-03", **protest),
    ])
    assert len(merge_events(mentions, articles)) == 2


def test_different_dates_or_modalities_are_not_merged():
    articles = strike_articles()
    mentions = strike_mentions().iloc[:2].copy()
    later = mentions.copy()
    later.loc[1, ["date_start", "date_end"]] = "2025-03-20"  # a week later: another strike
    assert len(merge_events(later, articles)) == 2
    threatened = mentions.copy()
    threatened.loc[1, "modality"] = "intended"
    events = merge_events(threatened, articles)
    assert sorted(events["modality"]) == ["asserted", "intended"]


def test_a_report_without_a_place_must_name_the_other_reports_place():
    protest = {"event_type": "Protests", "sub_event_type": "Peaceful protest", "plover": "PROTEST",
               "trigger": "protest"}
    mentions = pd.DataFrame([
        mention("a", 10, "Farmers drove tractors into the city on Thursday to protest against the trade deal.",
                NAIROBI, "2025-12-18", **protest),
        mention("b", 10, "Farmers drove tractors onto the ring road on Thursday to protest against the trade deal.",
                None, "2025-12-18", **protest),
    ])
    elsewhere = pd.DataFrame([article("a", "Farmers in Nairobi ...", "2025-12-18"),
                              article("b", "Farmers blocked the ring road of Paris ...", "2025-12-18")])
    assert len(merge_events(mentions, elsewhere)) == 2
    same = elsewhere.assign(text=["Farmers in Nairobi ...", "Farmers blocked the ring road of Nairobi ..."])
    assert len(merge_events(mentions, same)) == 1


def test_a_place_counts_as_named_under_any_spelling_the_articles_use():
    hodeidah = {"place_name": "Al Hudaydah", "geonameid": "79415", "geo_level": "point", "geo_precision": 1,
                "admin1": "Al Hudaydah", "country": "YE"}
    articles = pd.DataFrame([article("a", "Strikes on the port ...", "2025-05-06"),
                             article("b", "The port of Hodeidah had been bombed on Monday ...", "2025-05-09")])
    mentions = pd.DataFrame([
        mention("a", 10, "US aircraft struck the port on Monday, killing three dock workers.", hodeidah, "2025-05-05"),
        mention("a", 90, "The strike on Hodeidah killed three dock workers.", {**hodeidah, "place_text": "Hodeidah"},
                "2025-05-05"),
        mention("b", 10, "The port had been bombed on Monday, when three dock workers were killed.", None, "2025-05-05"),
    ])
    assert len(merge_events(mentions.iloc[[0, 2]], articles)) == 2  # "Al Hudaydah" is not in b's text
    assert len(merge_events(mentions, articles)) == 1  # a calls it "Hodeidah", and so does b


def test_counts_in_the_sentence_tell_events_apart():
    articles = pd.DataFrame([article("a", published="2025-06-04"), article("b", published="2025-06-04")])
    arrests = {"event_type": "Strategic developments", "sub_event_type": "Arrests", "plover": "COERCE",
               "trigger": "arrested", "date_basis": "publication", "date_start": "2025-06-01", "date_end": "2025-06-04"}
    mentions = pd.DataFrame([
        mention("a", 10, "Police said they arrested 40 people during the demonstration.", **arrests),
        mention("b", 10, "Police arrested 12 people after the demonstration.", **arrests),
    ])
    assert len(merge_events(mentions, articles)) == 2
    mentions.loc[1, "sentence"] = "Police said forty people were arrested during the demonstration."
    assert len(merge_events(mentions, articles)) == 1


def test_dates_resolved_against_an_inferred_publication_time_are_marked_inferred():
    articles = strike_articles()
    articles.loc[articles["article_id"] == "rewrite", ["published", "published_basis"]] = ["2025-03-13", "inferred"]
    events = merge_events(strike_mentions(), articles)
    sources = json.loads(event_of(events, "rewrite")["sources"])
    assert [s["published"] for s in sources if s["article_id"] == "rewrite"] == [None]
    alone = merge_events(strike_mentions().iloc[[1]], articles)
    assert alone.loc[0, "date_basis"] == "inferred"
    # the merged row takes its date from a member resolved against a printed publication time
    assert event_of(events, "wire")["date_basis"] == "relative_dct"


MOVE = {"event_type": "Strategic developments", "sub_event_type": "Non-violent transfer of territory",
        "plover": "RETREAT", "trigger": "evacuated", "date_basis": "publication",
        "date_start": "2025-04-01", "date_end": "2025-04-07"}
MOSUL = {"place_text": "Mosul", "place_name": "Mosul", "geonameid": "99072", "geo_level": "point",
         "geo_precision": 1, "admin1": "Nineveh", "country": "IQ"}


def test_coordinated_places_stay_apart_and_each_merges_with_its_own_report():
    articles = pd.DataFrame([article("a", published="2025-04-07"), article("b", published="2025-04-07")])
    baghdad = {**MOSUL, "place_text": "Baghdad", "place_name": "Baghdad", "geonameid": "98182", "admin1": "Baghdad"}
    first = "Some groups have evacuated headquarters in cities such as Mosul and Baghdad."
    second = "They started evacuating bases in urban areas like Baghdad and Mosul."
    mentions = pd.DataFrame([
        mention("a", 10, first, {**MOSUL, "place_start": 60}, **MOVE),
        mention("a", 10, first, {**baghdad, "place_start": 70}, **MOVE),
        mention("b", 10, second, {**baghdad, "place_start": 50}, **MOVE),
        mention("b", 10, second, {**MOSUL, "place_start": 62}, **MOVE),
    ])
    events = merge_events(mentions, articles)
    assert sorted(events["place_name"]) == ["Baghdad", "Mosul"]
    assert events["source_count"].tolist() == [2, 2]


def test_an_unresolved_place_named_in_the_other_sentence_counts_as_the_same_place():
    articles = pd.DataFrame([article("a", published="2025-04-07"), article("b", published="2025-04-07")])
    mentions = pd.DataFrame([
        mention("a", 10, "Some groups have evacuated headquarters in cities such as Mosul and Tal Afar.", MOSUL, **MOVE),
        mention("b", 10, "They started evacuating bases in urban areas like Mosul and Tal Afar.",
                {"place_text": "Tal Afar"}, **MOVE),
    ])
    assert len(merge_events(mentions, articles)) == 1


PROTEST = {"event_type": "Protests", "sub_event_type": "Peaceful protest", "plover": "PROTEST", "trigger": "marched"}
ARRESTS = {"event_type": "Strategic developments", "sub_event_type": "Arrests", "plover": "COERCE",
           "trigger": "arrested"}
GRENADE = {"event_type": "Explosions/Remote violence", "sub_event_type": "Grenade", "plover": "ASSAULT",
           "trigger": "threw"}


def test_arrests_at_a_protest_are_part_of_it_but_a_grenade_that_night_is_not():
    articles = pd.DataFrame([article("a", "Protest in Nairobi ...", "2025-06-04"),
                             article("b", "Grenade in Nairobi ...", "2025-06-04")])
    mentions = pd.DataFrame([
        mention("a", 10, "Thousands marched in Nairobi on Tuesday against fuel prices.", NAIROBI, "2025-06-03", **PROTEST),
        mention("a", 80, "Police said 40 people were arrested.", NAIROBI, "2025-06-03", **ARRESTS),
        mention("a", 130, "That night, attackers threw a grenade at a bus office in Nairobi.", NAIROBI, "2025-06-03",
                **GRENADE),
        mention("b", 10, "Attackers threw a grenade at a bus company office in Nairobi on Tuesday night.", NAIROBI,
                "2025-06-03", **GRENADE),
    ])
    events = merge_events(mentions, articles)
    assert len(events) == 2
    protest = events[events["event_type"] == "Protests"].iloc[0]
    assert protest["sub_event_type"] == "Protest with intervention"  # ACLED's code for a protest with arrests
    assert json.loads(protest["sources"])[0]["sentence"].startswith("Thousands marched")
    grenade = events[events["event_type"] == "Explosions/Remote violence"].iloc[0]
    assert grenade["source_count"] == 2


def test_arson_during_an_attack_is_the_attack():
    articles = pd.DataFrame([article("a", published="2025-10-09")])
    looting = {"event_type": "Strategic developments", "sub_event_type": "Looting/property destruction",
               "plover": "COERCE", "trigger": "set fire"}
    mentions = pd.DataFrame([
        mention("a", 10, "Gunmen attacked a checkpoint near Erbil on Wednesday, killing five officers.", ERBIL,
                "2025-10-08", event_type="Battles", sub_event_type="Armed clash", trigger="attacked"),
        mention("a", 90, "They set fire to two police cars before fleeing.", ERBIL, "2025-10-08", **looting),
    ])
    events = merge_events(mentions, articles)
    assert len(events) == 1 and events.loc[0, "event_type"] == "Battles"


def test_a_protest_against_a_strike_is_not_the_strike():
    articles = pd.DataFrame([article("a", published="2025-03-14")])
    sentence = "Hundreds marched in Kirkuk on Thursday to protest against the drone strike."
    mentions = pd.DataFrame([
        mention("a", 10, sentence, KIRKUK_CITY, "2025-03-13", **PROTEST),
        mention("a", 62, sentence, KIRKUK_CITY, "2025-03-13", sentence_start=0),
    ]).assign(sentence_start=0)
    assert len(merge_events(mentions, articles)) == 2


def test_an_agreed_ceasefire_is_one_asserted_agreement_but_a_threat_is_its_own_record():
    articles = pd.DataFrame([article("a", published="2025-10-19")])
    sentence = "The two sides agreed in Doha to an immediate ceasefire on Saturday."
    talks = {"event_type": "Strategic developments", "plover": "AGREE"}
    mentions = pd.DataFrame([
        mention("a", 20, sentence, NAIROBI, "2025-10-18", sub_event_type="Agreement", trigger="agreed", **talks),
        mention("a", 50, sentence, NAIROBI, "2025-10-18", sub_event_type="Ceasefire", trigger="ceasefire",
                modality="intended", **talks),
    ]).assign(sentence_start=0)
    events = merge_events(mentions, articles)
    assert len(events) == 1
    assert events.loc[0, ["sub_event_type", "modality"]].tolist() == ["Agreement", "asserted"]
    threat = "The commander vowed to attack the base in Nairobi."
    mentions = pd.DataFrame([
        mention("a", 14, threat, NAIROBI, "2025-10-18", event_type="Strategic developments",
                sub_event_type="Threat or warning", trigger="vowed"),
        mention("a", 24, threat, NAIROBI, "2025-10-18", event_type="Battles", sub_event_type="Armed clash",
                trigger="attack", modality="intended"),
    ]).assign(sentence_start=0)
    assert sorted(merge_events(mentions, articles)["modality"]) == ["asserted", "intended"]


def test_a_report_dated_after_its_publication_is_a_plan_and_joins_the_other_plans():
    articles = pd.DataFrame([article("a", published="2025-05-13"), article("b", published="2025-05-13")])
    week = {"date_start": "2025-05-19", "date_end": "2025-05-25", "date_precision": "week",
            "date_basis": "relative_dct", "date_text": "next week", **PROTEST, "trigger": "strike"}
    mentions = pd.DataFrame([
        mention("a", 10, "The union announced a 48-hour strike for next week in Nairobi.", NAIROBI, **week),
        mention("b", 10, "Teachers would hold a 48-hour strike next week in Nairobi, the union said.", NAIROBI,
                modality="intended", **week),
    ])
    events = merge_events(mentions, articles)
    assert len(events) == 1 and events.loc[0, "modality"] == "intended" and events.loc[0, "source_count"] == 2
    past = mentions.copy()
    past.loc[1, ["date_start", "date_end"]] = "2025-05-12"
    past.loc[0, ["date_start", "date_end"]] = "2025-05-12"  # a strike that happened and one that was planned
    assert sorted(merge_events(past, articles)["modality"]) == ["asserted", "intended"]


def test_a_follow_up_keeps_the_event_it_measures_time_from_apart():
    articles = pd.DataFrame([article("first", published="2025-09-17"), article("later", published="2025-09-20")])
    attack = {"event_type": "Violence against civilians", "sub_event_type": "Attack", "plover": "ASSAULT"}
    follow_up = "Soldiers clashed with insurgents near Erbil on Friday, three days after the raid that killed four villagers."
    mentions = pd.DataFrame([
        mention("first", 10, "Insurgents raided a village near Erbil on Tuesday, killing four villagers.", ERBIL,
                "2025-09-16", trigger="raided", **attack),
        mention("later", 9, follow_up, ERBIL, "2025-09-19", event_type="Battles", sub_event_type="Armed clash",
                trigger="clashed"),
        mention("later", follow_up.index("raid") + 1, follow_up, ERBIL, "2025-09-19", trigger="raid", **attack),
    ]).assign(sentence_start=[8, 1, 1], date_basis=["relative_dct", "explicit", "explicit"])
    events = merge_events(mentions, articles)
    assert len(events) == 2
    raid = event_of(events, "first")
    assert raid["source_count"] == 2 and raid["date_start"] == "2025-09-16"


KAYES = {"place_text": "Kayes", "place_name": "Kayes", "geonameid": "2455517", "latitude": 14.45,
         "longitude": -11.44, "geo_precision": 1, "geo_level": "point", "admin1": "Kayes", "country": "ML"}
DIEMA = {"place_text": "Diéma", "place_name": "Diéma", "geonameid": "2458881", "latitude": 14.54,
         "longitude": -9.19, "geo_precision": 1, "geo_level": "point", "admin1": "Kayes", "country": "ML"}
KHARKIV = {"place_text": "Kharkiv", "place_name": "Kharkiv", "geonameid": "706483", "latitude": 49.98,
           "longitude": 36.25, "geo_precision": 1, "geo_level": "point", "admin1": "Kharkiv", "country": "UA"}
CLASH = {"event_type": "Battles", "sub_event_type": "Armed clash", "plover": "FIGHT"}
ATTACK = {"event_type": "Violence against civilians", "sub_event_type": "Attack", "plover": "ASSAULT"}
SHELLING = {"sub_event_type": "Shelling/artillery/missile attack"}


def test_an_air_strike_on_the_attackers_is_its_own_event_but_their_killing_on_the_ground_is_the_attack():
    articles = pd.DataFrame([article("a", published="2025-08-15"), article("b", published="2025-08-15")])
    a1 = "Jihadist fighters ambushed a fuel convoy near Kayes on Thursday, killing three drivers."
    a2 = "The army said its drones struck the attackers near Kayes as they withdrew."
    b1 = "Three drivers were killed when jihadists attacked a convoy near Kayes on Thursday."
    b2 = "Army drones later hit the assailants near Kayes, a military statement said."
    day = "2025-08-14"
    mentions = pd.DataFrame([
        mention("a", 20, a1, KAYES, day, trigger="ambushed", **CLASH),
        mention("a", 120, a2, KAYES, day, trigger="drones struck"),
        mention("b", 20, b1, KAYES, day, trigger="attacked", **ATTACK),
        mention("b", 120, b2, KAYES, day, trigger="hit"),
    ]).assign(sentence_start=[0, 100, 0, 100])
    events = merge_events(mentions, articles)
    assert sorted(events["sub_event_type"]) == ["Air/drone strike", "Armed clash"]
    assert events["source_count"].tolist() == [2, 2]
    assert event_of(events[events["sub_event_type"] == "Armed clash"], "b")["event_type"] == "Battles"
    # the defenders' fire during the attack, on the ground, is the attack (one ACLED event)
    police = mention("a", 210, "Police killed two of the attackers near Kayes.", KAYES, day, trigger="killed",
                     sentence_start=200, **ATTACK)
    events = merge_events(pd.concat([mentions, pd.DataFrame([police])], ignore_index=True), articles)
    assert len(events) == 2


def strike_and_attack_reference(sentence: str) -> pd.DataFrame:
    """A drone strike near Kirkuk (sentence at 0) and the word "attack" in ``sentence`` (at 100)."""
    return pd.DataFrame([
        mention("a", 2, "A drone strike hit a convoy near Kirkuk on Wednesday, killing three fighters.",
                KIRKUK_CITY, "2025-03-12", sentence_start=0),
        mention("a", 100 + sentence.index("attack"), sentence, KIRKUK_CITY, "2025-03-12", sentence_start=100,
                trigger="attack", **ATTACK),
    ])


def test_a_generic_reference_to_the_attack_joins_the_strike_it_refers_to():
    articles = pd.DataFrame([article("a", published="2025-03-13")])
    claimed = "Nobody has claimed the attack on the convoy near Kirkuk."
    mentions = strike_and_attack_reference(claimed)
    assert len(merge_events(mentions, articles)) == 1
    # the same words as a ground attack of its own ("gunmen attacked a convoy") stay apart from the strike
    attacked = "Gunmen attacked a convoy near Kirkuk on Wednesday."
    mentions.loc[1, ["sentence", "trigger", "trigger_start"]] = [attacked, "attacked", 107]
    assert len(merge_events(mentions, articles)) == 2


def test_a_follow_up_dates_the_event_it_refers_to_by_its_count_of_days():
    articles = pd.DataFrame([article("first", published="2025-03-15"), article("later", published="2025-03-18")])
    shelled = "Russian artillery shelled the outskirts of Kharkiv on Tuesday, wounding two people."
    came = "It came three days after a missile strike on the city killed five people."
    mentions = pd.DataFrame([
        mention("first", 12, "A Russian missile strike on Kharkiv on Saturday killed five people.", KHARKIV,
                "2025-03-15", trigger="missile strike", sentence_start=0, **SHELLING),
        mention("later", 18, shelled, KHARKIV, "2025-03-18", trigger="shelled", sentence_start=0,
                date_basis="explicit", **SHELLING),
        mention("later", 100 + came.index("missile"), came, {**KHARKIV, "place_text": None}, trigger="missile strike",
                sentence_start=100, **SHELLING),
    ])
    events = merge_events(mentions, articles)
    assert len(events) == 2
    strike = event_of(events, "first")
    assert strike["source_count"] == 2 and strike["date_start"] == "2025-03-15"
    assert event_of(events[events["date_start"] == "2025-03-18"], "later")["source_count"] == 1


def test_a_road_between_two_towns_is_one_place():
    articles = pd.DataFrame([article("a", published="2025-08-15")])
    sentence = "Jihadist fighters ambushed a convoy on the road between Kayes and Diéma on Thursday."
    mentions = pd.DataFrame([
        mention("a", 18, sentence, {**KAYES, "place_start": sentence.index("Kayes")}, "2025-08-14", trigger="ambushed",
                **CLASH),
        mention("a", 18, sentence, {**DIEMA, "place_start": sentence.index("Diéma")}, "2025-08-14", trigger="ambushed",
                **CLASH),
    ]).assign(sentence_start=0)
    assert len(merge_events(mentions, articles)) == 1


GAGNOA = {"place_text": "Gagnoa", "place_name": "Gagnoa", "geonameid": "2288829", "latitude": 6.13,
          "longitude": -5.95, "geo_precision": 1, "geo_level": "point", "admin1": "Goh", "country": "CI"}
MEHAR = {"place_text": "Mehar", "place_name": "Mehar", "geonameid": "1170584", "latitude": 27.18,
         "longitude": 67.82, "geo_precision": 1, "geo_level": "point", "admin1": "Sindh", "country": "PK"}
ARSON = {"event_type": "Strategic developments", "sub_event_type": "Looting/property destruction",
         "plover": "COERCE", "trigger": "set fire"}
RIOT = {"event_type": "Riots", "sub_event_type": "Mob violence", "plover": "PROTEST"}


def test_a_sentence_that_moves_to_a_later_time_tells_another_action():
    articles = pd.DataFrame([article("a", published="2025-10-25T22:15")])
    fought = "Supporters of rival parties fought outside a polling station in Gagnoa on Saturday, leaving two dead."
    fire = "{}a group of men set fire to the home of a ruling party official in Gagnoa."
    day = "2025-10-25"

    def rows(opening):
        sentence = fire.format(opening)
        return pd.DataFrame([
            mention("a", 30, fought, GAGNOA, day, trigger="fought", sentence_start=0, **CLASH),
            mention("a", 200 + sentence.index("set fire"), sentence, GAGNOA, day, sentence_start=200, **ARSON),
        ])

    # arson told with the fighting is a part of it; "later that night" it is the retaliation
    assert len(merge_events(rows("In the melee, "), articles)) == 1
    assert len(merge_events(rows("Later that night, "), articles)) == 2
    assert len(merge_events(rows("GAGNOA — Overnight, "), articles)) == 2
    # a reference back in such a sentence is still the event it refers to
    claimed = "Hours later, the group claimed the attack."
    mentions = strike_and_attack_reference(claimed)
    assert len(merge_events(mentions, pd.DataFrame([article("a", published="2025-03-13")]))) == 1


def test_the_attack_a_strike_answers_is_another_event_even_of_one_kind():
    articles = pd.DataFrame([article("a", published="2025-06-11")])
    sentence = "US warplanes bombed launch sites near Kirkuk, calling the raids a response to the attack on the base."
    mentions = pd.DataFrame([
        mention("a", sentence.index("raids"), sentence, KIRKUK_CITY, "2025-06-10", trigger="raids", **CLASH),
        mention("a", sentence.index("attack"), sentence, KIRKUK_CITY, "2025-06-10", trigger="attack", **ATTACK),
    ]).assign(sentence_start=0)
    assert len(merge_events(mentions, articles)) == 2
    # the same pair without the answer is one event told twice
    told_twice = sentence.replace("a response to", "part of")
    assert len(merge_events(mentions.assign(sentence=told_twice), articles)) == 1


def test_a_place_introduced_as_nearby_is_another_event():
    articles = pd.DataFrame([article("a", published="2025-08-27")])
    blocked = "Hundreds of flood victims blocked the Indus Highway outside Dadu on Wednesday, demanding tents."
    sit_in = "In nearby Mehar, displaced families staged a sit-in outside the relief office the same day."
    day = "2025-08-27"
    highway = {"place_text": "Indus Highway outside Dadu", "place_start": blocked.index("Indus")}
    mentions = pd.DataFrame([
        mention("a", 30, blocked, highway, day, sentence_start=0, **{**PROTEST, "trigger": "blocked"}),
        mention("a", 200 + sit_in.index("staged"), sit_in, {**MEHAR, "place_start": 200 + sit_in.index("Mehar")},
                day, sentence_start=200, **{**PROTEST, "trigger": "staged"}),
    ])
    assert len(merge_events(mentions, articles)) == 2
    # told as the same place's, the sit-in is a part of the blockade
    plain = sit_in.replace("In nearby Mehar", "In Mehar")
    shifted = 200 + plain.index("Mehar")
    assert len(merge_events(mentions.assign(sentence=[blocked, plain], place_start=[highway["place_start"], shifted]),
                            articles)) == 1


KAMPALA = {"place_text": "Kampala", "place_name": "Kampala", "geonameid": "232422", "latitude": 0.32,
           "longitude": 32.58, "geo_precision": 1, "geo_level": "point", "admin1": "Central Region", "country": "UG"}
MUKONO = {"place_text": "Mukono", "place_name": "Mukono", "geonameid": "228853", "latitude": 0.35,
          "longitude": 32.76, "geo_precision": 1, "geo_level": "point", "admin1": "Central Region", "country": "UG"}


def test_what_was_told_before_the_text_moves_to_a_nearby_place_was_not_there():
    articles = pd.DataFrame([article("a", published="2025-11-06T19:30")])
    injured = "Several protesters and two police officers were injured in scuffles near the parliament building."
    dispersed = "In nearby Mukono, police dispersed a smaller march by university students the same afternoon."
    day = "2025-11-06"

    def rows(first, second):
        (s1, t1), (s2, t2) = first, second
        start2 = 200
        return pd.DataFrame([
            mention("a", s1.index(t1), s1, {"place_start": s1.index("Mukono")} | MUKONO if "Mukono" in s1 else None,
                    day if "Mukono" in s1 else None, sentence_start=0, **{**PROTEST, "trigger": t1}),
            mention("a", start2 + s2.index(t2), s2,
                    {**MUKONO, "place_start": start2 + s2.index("Mukono")} if "Mukono" in s2 else None,
                    day if "Mukono" in s2 else None, sentence_start=start2, **{**PROTEST, "trigger": t2}),
        ])

    # the injuries, told before the text moves to Mukono and with no place of their own, are the
    # Kampala march's, not the Mukono march's
    assert len(merge_events(rows((injured, "injured"), (dispersed, "dispersed")), articles)) == 2
    # told after it, they are the Mukono march's
    students = "Several students were injured in scuffles with the police."
    assert len(merge_events(rows((dispersed, "dispersed"), (students, "injured")), articles)) == 1


AZAZ = {"place_text": "Azaz", "place_name": "I‘zāz", "geonameid": "172082", "latitude": 36.59, "longitude": 37.05,
        "geo_precision": 1, "geo_level": "point", "admin1": "Aleppo", "country": "SY"}
AZAZ_DISTRICT = {"place_text": "Azaz", "place_name": "Azaz District", "geonameid": "172081", "latitude": 36.2,
                 "longitude": 37.16, "geo_precision": 2, "geo_level": "admin2", "admin1": "Aleppo", "country": "SY"}
AFRIN_DISTRICT = {"place_text": "Afrin", "place_name": "Afrin District", "geonameid": "174184", "latitude": 36.5,
                  "longitude": 36.86, "geo_precision": 2, "geo_level": "admin2", "admin1": "Aleppo", "country": "SY"}
CAR_BOMB = {"sub_event_type": "Remote explosive/landmine/IED", "trigger": "car bomb"}


def test_a_town_is_inside_the_district_named_after_it():
    articles = pd.DataFrame([article("wire", published="2025-05-18T15:40"), article("other", published="2025-05-18T19:05")])
    day = "2025-05-18"
    wire = "A car bomb exploded at a crowded livestock market in Azaz on Sunday, killing 14 people."
    other = "A car bomb tore through a livestock market in the Syrian border town of {} on Sunday, killing 14 people."

    def rows(district):
        return pd.DataFrame([
            mention("wire", 2, wire, AZAZ, day, sentence_start=0, **CAR_BOMB),
            mention("other", 2, other.format(district["place_text"]), district, day, sentence_start=0, **CAR_BOMB),
        ])

    # "the town of Azaz" resolved to Azaz District by one report and to the town by the other
    assert len(merge_events(rows(AZAZ_DISTRICT), articles)) == 1
    # another district of the province is another place
    assert len(merge_events(rows(AFRIN_DISTRICT), articles)) == 2


BAGHDAD = {"place_text": "Baghdad", "place_name": "Baghdad", "geonameid": "98182", "latitude": 33.34,
           "longitude": 44.4, "geo_precision": 1, "geo_level": "point", "admin1": "Baghdad", "country": "IQ"}
def publication_dated(day: str) -> dict:
    """The date columns of a mention dated only by its article's publication ``day``."""
    return {"date_start": day[:8] + "01", "date_end": day, "date_precision": "month", "date_basis": "publication"}


PUBLICATION_DATED = publication_dated("2025-03-13")


def test_a_reference_back_is_the_event_told_before_it_with_that_events_place_date_and_modality():
    articles = pd.DataFrame([article("a", published="2025-03-13")])
    condemned = "The government in Baghdad condemned the attack."
    investigating = "Police are investigating whether the attack was carried out by a rival militia."
    mentions = pd.DataFrame([
        mention("a", 2, "A drone strike hit a convoy near Kirkuk on Wednesday, killing three fighters.",
                KIRKUK_CITY, "2025-03-12", sentence_start=0),
        mention("a", 100 + condemned.index("attack"), condemned, {**BAGHDAD, "place_start": 115}, sentence_start=100,
                trigger="attack", **ATTACK, **PUBLICATION_DATED),
        mention("a", 200 + investigating.index("attack"), investigating, sentence_start=200, trigger="attack",
                modality="hypothetical", **ATTACK, **PUBLICATION_DATED),
    ])
    events = merge_events(mentions, articles)
    # Baghdad is where the statement was made; "whether" questions the culprit, not the attack
    assert len(events) == 1 and events.loc[0, "source_count"] == 1
    assert events.loc[0, ["place_name", "date_start", "modality"]].tolist() == ["Kirkuk", "2025-03-12", "asserted"]
    assert merge_events(mentions.iloc[::-1], articles).equals(events)  # row order never matters
    # the fighting, the march: any event noun after "the" refers back to the event of its kind told before
    fought = "Soldiers clashed with rebels near Erbil on Friday, killing four."
    lasted = "The fighting lasted several hours, a military statement said."
    mentions = pd.DataFrame([
        mention("a", 9, fought, ERBIL, "2025-03-07", trigger="clashed", sentence_start=0, **CLASH),
        mention("a", 104, lasted, sentence_start=100, trigger="fighting", **CLASH, **PUBLICATION_DATED),
    ])
    assert len(merge_events(mentions, articles)) == 1
    # a mention of the same words that describes an event of its own stays apart
    mentions.loc[1, ["sentence", "trigger"]] = ["Another fighting lasted several hours near Mosul.", "fighting"]
    mentions.loc[1, "trigger_start"] = 108
    assert len(merge_events(mentions, articles)) == 2


RED_SEA = {"place_text": "Red Sea", "place_name": "Red Sea", "geonameid": "supp:red-sea", "latitude": 20.0,
           "longitude": 38.0, "geo_precision": 4, "geo_level": "region", "admin1": None, "country": None}
MOCHA = {"place_text": None, "place_name": "Mocha", "geonameid": "78751", "latitude": 13.32, "longitude": 43.25,
         "geo_precision": 1, "geo_level": "point", "admin1": "Taizz", "country": "YE"}


def test_a_bare_toll_is_the_toll_of_the_event_told_before_it():
    articles = pd.DataFrame([article("a", published="2025-06-10")])
    hit = "A bulk carrier was hit by two drones in the Red Sea on Tuesday, setting a cargo hold on fire."
    injured = "Two crew members were injured and the ship continued to its next port of call."
    mentions = pd.DataFrame([
        mention("a", 20, hit, RED_SEA, "2025-06-10", trigger="hit", sentence_start=0),
        mention("a", 100 + injured.index("injured"), injured, MOCHA, sentence_start=100, trigger="injured",
                actor2="Two crew members", **ATTACK, **publication_dated("2025-06-10")),
    ])
    # a toll with no actor, place or date of its own is the strike's, though typed as a ground attack
    assert len(merge_events(mentions, articles)) == 1
    # a toll told with its own place is another event
    elsewhere = "Separately, two soldiers were killed in Mocha on Tuesday."
    mentions.loc[1, ["sentence", "trigger", "trigger_start", "place_text"]] = [elsewhere, "killed", 128, "Mocha"]
    assert len(merge_events(mentions, articles)) == 2


BAMENDA = {"place_text": "Bamenda", "place_name": "Bamenda", "geonameid": "2234974", "latitude": 5.96,
           "longitude": 10.15, "geo_precision": 1, "geo_level": "point", "admin1": "North-West", "country": "CM"}
TALKS = {"event_type": "Strategic developments", "sub_event_type": "Talks", "plover": "CONSULT"}


def test_a_date_written_for_what_followed_an_event_only_bounds_it():
    articles = pd.DataFrame([article("a", published="2025-02-17"), article("b", published="2025-02-17")])
    met = "Church mediators met the kidnappers' commanders near Bamenda on Saturday to negotiate the release."
    released = ("Eleven bus passengers were released on Monday outside Bamenda following negotiations led by "
                "church leaders.")
    mentions = pd.DataFrame([
        mention("a", 16, met, BAMENDA, "2025-02-15", trigger="met", sentence_start=0, **TALKS),
        mention("b", released.index("negotiations"), released, BAMENDA, "2025-02-17", trigger="negotiations",
                sentence_start=0, date_text="Monday", **TALKS),
    ])
    # Monday is the release's: the negotiations came before it, so they can be Saturday's talks
    assert len(merge_events(mentions, articles)) == 1
    # a date written after the trigger is its own: talks on Monday are two days after Saturday's
    own = "Eleven bus passengers were released outside Bamenda following negotiations on Monday."
    mentions.loc[1, ["sentence", "trigger_start"]] = [own, own.index("negotiations")]
    assert len(merge_events(mentions, articles)) == 2
    # the day a statement was made bounds what it reports in the same way
    said = "Police said on Monday they had met the kidnappers' commanders near Bamenda."
    mentions.loc[1, ["sentence", "trigger", "trigger_start"]] = [said, "met", said.index("met")]
    assert len(merge_events(mentions, articles)) == 1


GENEVA = {"place_text": "Geneva", "place_name": "Geneva", "geonameid": "2660645", "latitude": 46.2,
          "longitude": 6.14, "geo_precision": 1, "geo_level": "point", "admin1": "Geneva", "country": "CH"}
EL_FASHER = {"place_text": "El Fasher", "place_name": "El Fasher", "geonameid": "379555", "latitude": 13.63,
             "longitude": 25.35, "geo_precision": 1, "geo_level": "point", "admin1": "North Darfur", "country": "SD"}


def test_a_place_written_after_an_earlier_event_cue_is_the_earlier_events():
    articles = pd.DataFrame([article("a", published="2025-02-14")])
    opened = "Delegations of the army and the RSF opened talks in Geneva on Friday under UN mediation."
    began = "The talks began a day after shelling killed 20 civilians in a market in El Fasher."
    mentions = pd.DataFrame([
        mention("a", 42, opened, GENEVA, "2025-02-14", trigger="talks", sentence_start=0, **TALKS),
        mention("a", 104, began, {**EL_FASHER, "place_start": 100 + began.index("El Fasher")}, trigger="talks",
                sentence_start=100, **TALKS, **publication_dated("2025-02-14")),
    ])
    assert len(merge_events(mentions, articles)) == 1
    # written before the cue, the place is the talks' own
    elsewhere = "The talks in El Fasher began a day after shelling killed 20 civilians in a market."
    mentions.loc[1, ["sentence", "place_start"]] = [elsewhere, 100 + elsewhere.index("El Fasher")]
    assert len(merge_events(mentions, articles)) == 2


HODEIDAH = {"place_text": "Hodeidah", "place_name": "Al Ḩudaydah", "geonameid": "79415", "latitude": 14.8,
            "longitude": 42.95, "geo_precision": 1, "geo_level": "point", "admin1": "Al Hudaydah", "country": "YE"}


def test_a_toll_both_reports_give_is_evidence_they_tell_one_event():
    struck = "US warplanes struck the port of Hodeidah on Monday, killing {} dock workers and damaging fuel tanks."
    bombed = "The port had been bombed on Monday, when {} dock workers were killed."
    fired = "Houthi forces fired a missile at a destroyer off Hodeidah on Wednesday. "

    def merged(first, second):
        articles = pd.DataFrame([article("a", struck.format(first), "2025-05-06"),
                                 article("b", fired + bombed.format(second), "2025-05-09")])
        mentions = pd.DataFrame([
            mention("a", 14, struck.format(first), HODEIDAH, "2025-05-05", trigger="struck", sentence_start=0),
            mention("b", len(fired) + 16, bombed.format(second), None, "2025-05-05", trigger="bombed",
                    sentence_start=len(fired)),
        ])
        return len(merge_events(mentions, articles)) == 1

    # an independent report, worded apart and placed only by "the port", gives the strike's toll
    assert merged("three", "three")
    assert not merged("three", "five")  # tolls that differ: two strikes
    assert not merged("two", "two")  # one or two is too common a count to tell


def test_articles_without_events_are_listed():
    events = merge_events(strike_mentions().iloc[:2], strike_articles())
    assert articles_without_events(events, strike_articles()) == ["erbil", "local"]


def test_empty_mentions_and_bad_input():
    empty = merge_events(pd.DataFrame(columns=["article_id"]), strike_articles())
    assert empty.empty and list(empty.columns) == list(EVENT_COLUMNS)
    with pytest.raises(ValueError, match="missing from the article table: ghost"):
        merge_events(strike_mentions().assign(article_id="ghost"), strike_articles())


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(4)))
def test_linking_is_invariant_under_permutation(order):
    mentions = strike_mentions()
    stories = dict(zip(strike_articles()["article_id"], strike_articles()["story_id"]))
    base = dict(zip(mention_keys(mentions), link_mentions(mentions, stories)))
    shuffled = mentions.iloc[list(order)]
    assert dict(zip(mention_keys(shuffled), link_mentions(shuffled, stories))) == base


# ------------------------------------------------------------------------------------------
# scoring


def test_evaluate_merging_counts_false_and_missed_merges_apart():
    gold = pd.Series(["x", "x", "x", "y", "y"])
    predicted = pd.Series([1, 1, 2, 2, 3])  # x split in two, one x wrongly joined with a y
    scores = evaluate_merging(predicted, gold)
    assert scores["coreferent_pairs"] == 4 and scores["merged_pairs"] == 2 and scores["correct_pairs"] == 1
    assert scores["false_merge_rate"] == 0.5 and scores["missed_merge_rate"] == 0.75
    assert scores["impure_events"] == pytest.approx(1 / 3)


def test_gold_anchors_are_found_and_aligned():
    articles, _, anchors = load_merging_set(MERGING_SET)
    assert anchors["event"].nunique() >= 20 and anchors["article_id"].nunique() == len(articles)
    text = dict(zip(articles["article_id"], articles["text"]))
    first = anchors.iloc[0]
    assert text[first["article_id"]][first["start"]:first["end"]] == "strike"
    m = pd.DataFrame([{"article_id": first["article_id"], "trigger_start": first["start"] - 6,
                       "trigger_end": first["end"], "event_type": "Explosions/Remote violence"},
                      {"article_id": first["article_id"], "trigger_start": 0, "trigger_end": 1, "event_type": None}])
    assert align_mentions(m, anchors).tolist() == [first["event"], None]


@pytest.mark.slow
@pytest.mark.parametrize(("part", "min_f1"), [(".", 0.90), ("holdout", 0.90), ("holdout2", 0.90), ("holdout3", 0.85),
                                            ("holdout4", 0.90), ("holdout5", 0.90), ("holdout6", 0.70),
                                            ("holdout7", 0.85)])
def test_merging_targets_on_the_merging_set(part, min_f1):
    """End to end: the real pipeline on each part of the project's own merging test set keeps false
    merges under the target and merges most coreferent mentions."""
    from timeline.extract import extract_mentions

    articles, _, anchors = load_merging_set(MERGING_SET / part)
    stories = group_stories(articles)
    articles = infer_publication(articles, stories)
    mentions = extract_mentions(articles, cache=False, progress=False)
    mentions["gold"] = align_mentions(mentions, anchors)
    texts = {a: f"{t}\n{x}" for a, t, x in zip(articles["article_id"], articles["title"], articles["text"])}
    mentions["event"] = link_mentions(mentions, dict(zip(articles["article_id"], stories)), texts=texts,
                                      published=dict(zip(articles["article_id"], articles["published"])))
    aligned = mentions[mentions["gold"].notna()]
    scores = evaluate_merging(aligned["event"], aligned["gold"])
    # the false-merge target holds; recall is capped by mentions the events component dates or places
    # wrongly (the F1 >= 0.90 target is tracked in bench_merging); holdout6's recall is capped by
    # mention types and places (see benchmarks/sections/merging.md)
    assert scores["false_merge_rate"] <= 0.02 and scores["f1"] >= min_f1, scores
    events = merge_events(mentions.drop(columns=["gold", "event"]), articles, stories)
    assert articles_without_events(events, articles) == []


# ------------------------------------------------------------------------------------------
# one article that tells two events of one kind (designed on holdout8's wrong merges)


ABDUCTION = {"event_type": "Violence against civilians", "sub_event_type": "Abduction/forced disappearance",
             "plover": "ASSAULT"}
PUBLISHED = {"date_start": "2025-08-01", "date_end": "2025-08-25", "date_precision": "month",
             "date_basis": "publication"}


def told(article_id, sentences, specs):
    """Mentions of one article: ``specs`` are (sentence number, trigger, fields); offsets from the text."""
    starts = [sum(len(s) + 1 for s in sentences[:n]) for n in range(len(sentences))]
    return pd.DataFrame([
        mention(article_id, starts[n] + sentences[n].index(trigger), sentences[n], trigger=trigger,
                sentence_start=starts[n], **fields)
        for n, trigger, fields in specs])


def events_of(mentions: pd.DataFrame) -> list[set]:
    """The merged events as sets of triggers (``n:trigger``)."""
    linked = link_mentions(mentions, {a: "story" for a in mentions["article_id"]})
    names = [f"{s}:{t}" for s, t in zip(mentions["sentence_start"], mentions["trigger"])]
    return sorted(({n for n, e in zip(names, linked) if e == event} for event in set(linked)), key=sorted)


def test_an_event_named_in_retaliation_stays_apart_even_after_adjectives():
    sentence = ("Rebels attacked a police post outside Kidal on Tuesday in retaliation for Monday's deadly "
                "drone strike on a wedding.")
    mentions = told("a", [sentence], [
        (0, "attacked", {**CLASH, "date_text": "on Tuesday", "date_start": "2025-08-26", "date_end": "2025-08-26",
                         "date_precision": "day", "date_basis": "relative_dct"}),
        (0, "drone strike", {"date_text": "Monday's", "date_start": "2025-08-25", "date_end": "2025-08-25",
                             "date_precision": "day", "date_basis": "relative_dct"}),
    ])
    assert len(events_of(mentions)) == 2


def test_a_sentence_opening_separately_tells_another_event():
    sentences = ["Fighting between rebels and militiamen in Kirkuk province killed nine fighters on Tuesday.",
                 "Separately, rebels and militiamen exchanged fire near Kirkuk on Tuesday evening."]
    day = {"date_start": "2025-10-14", "date_end": "2025-10-14", "date_precision": "day",
           "date_basis": "relative_dct", "date_text": "on Tuesday"}
    mentions = told("a", sentences, [(0, "Fighting", {**CLASH, **KIRKUK_PROVINCE, **day}),
                                     (1, "exchanged fire", {**CLASH, **KIRKUK_CITY, **day})])
    assert len(events_of(mentions)) == 2
    # without the opening the two sentences tell one clash, the second placing it more precisely
    mentions.loc[1, "sentence"] = sentences[1].replace("Separately, rebels", "Rebels")
    assert len(events_of(mentions)) == 1


def test_a_reference_with_a_modifier_is_the_event_told_with_that_word():
    sentences = ["Rebels attacked an army post outside Lashio on Monday in retaliation for Sunday's deadly air "
                 "raid on a market, the group said.",
                 "The military said its troops had repelled the assault.",
                 "The death toll from the market raid rose to 13, a rescue worker said."]
    mentions = told("a", sentences, [
        (0, "attacked", {**CLASH, "place_text": "Lashio", "date_text": "on Monday", "date_start": "2025-08-25",
                         "date_end": "2025-08-25", "date_precision": "day", "date_basis": "relative_dct"}),
        (0, "air raid", {"date_text": "Sunday's", "date_start": "2025-08-24", "date_end": "2025-08-24",
                         "date_precision": "day", "date_basis": "relative_dct"}),
        (1, "repelled", {**CLASH, **PUBLISHED}),
        (2, "raid", {**CLASH, **PUBLISHED}),
    ])
    starts = [0, 0, len(sentences[0]) + 1, len(sentences[0]) + len(sentences[1]) + 2]
    assert sorted(map(sorted, events_of(mentions))) == sorted([sorted({f"{starts[0]}:attacked", f"{starts[2]}:repelled"}),
                                                             sorted({f"{starts[1]}:air raid", f"{starts[3]}:raid"})])


def test_a_reference_is_the_event_told_with_its_noun():
    sentences = ["Police arrested 18 suspects in dawn raids across the city on Wednesday.",
                 "Hours later, a car bomb exploded outside the prison.",
                 "Officials did not say whether the blast was linked to the raids."]
    mentions = told("a", sentences, [
        (0, "raids", {**ATTACK, **KIRKUK_CITY, "date_text": "on Wednesday", "date_start": "2025-08-20",
                      "date_end": "2025-08-20", "date_precision": "day", "date_basis": "relative_dct"}),
        (1, "car bomb", {**KIRKUK_CITY, **PUBLISHED, "place_text": None}),
        (2, "blast", {**KIRKUK_CITY, **PUBLISHED, "place_text": None, "modality": "hypothetical"}),
        (2, "raids", {**KIRKUK_CITY, **PUBLISHED, "place_text": None, "modality": "hypothetical"}),
    ])
    events = events_of(mentions)
    assert len(events) == 2
    assert {len(e) for e in events} == {2} and any({t.split(":")[1] for t in e} == {"raids"} for e in events)


def test_the_kidnapping_is_the_abduction_not_the_grenade_told_between():
    sentences = ["Gunmen abducted 27 bus passengers outside Bahir Dar on Friday, police said.",
                 "Hours earlier, a hand grenade thrown into a cafe in Bahir Dar wounded three people.",
                 "Police said on Saturday they had arrested four men suspected of taking part in the kidnapping."]
    town = {"place_text": "Bahir Dar"}
    mentions = told("a", sentences, [
        (0, "abducted", {**ABDUCTION, **town, "date_text": "on Friday", "date_start": "2025-06-13",
                         "date_end": "2025-06-13", "date_precision": "day", "date_basis": "relative_dct"}),
        (1, "grenade", {**{k: v for k, v in GRENADE.items() if k != "trigger"}, **town, **PUBLISHED}),
        (2, "kidnapping", {**ABDUCTION, "date_text": "on Saturday", "date_start": "2025-06-14",
                           "date_end": "2025-06-14", "date_precision": "day", "date_basis": "relative_dct"}),
    ])
    events = events_of(mentions)
    assert len(events) == 2 and any({t.split(":")[1] for t in e} == {"abducted", "kidnapping"} for e in events)


def _on(day: str, text: str) -> dict:
    return {"date_text": text, "date_start": day, "date_end": day, "date_precision": "day", "date_basis": "relative_dct"}


MARCH = {k: v for k, v in PROTEST.items() if k != "trigger"}


def test_one_article_dating_two_actions_on_different_days_tells_two_events():
    sentences = ["Hundreds rallied in Nairobi on Saturday to demand the release of students held since the march.",
                 "On Friday, students held a march in Nairobi that police broke up with tear gas."]
    mentions = told("a", sentences, [
        (0, "rallied", {**MARCH, **NAIROBI, **_on("2025-09-20", "on Saturday")}),
        (1, "march", {**MARCH, **NAIROBI, **_on("2025-09-19", "on Friday")}),
    ])
    assert len(events_of(mentions)) == 2
    other = told("b", ["Police broke up a march in Nairobi on Friday."],
                 [(0, "march", {**MARCH, **NAIROBI, **_on("2025-09-20", "on Friday")})])
    mentions = pd.concat([mentions.iloc[[1]], other], ignore_index=True)
    assert len(events_of(mentions)) == 1  # across outlets a day apart is still the reporting slack


def test_earlier_the_same_day_opens_another_event():
    sentences = ["Gunmen attacked a bus outside Kirkuk on Monday, killing three passengers.",
                 "Earlier the same day, gunmen attacked a checkpoint outside Kirkuk."]
    mentions = told("a", sentences, [
        (0, "attacked", {**ATTACK, **KIRKUK_CITY, **_on("2025-09-15", "on Monday")}),
        (1, "attacked", {**ATTACK, **_on("2025-09-15", "Earlier the same day")}),
    ])
    assert len(events_of(mentions)) == 2


def test_an_event_named_by_its_day_is_no_antecedent_of_the_next_reference():
    sentences = ["Hundreds gathered in Nairobi on Saturday to demand the release of students held after Friday's march.",
                 "The rally was peaceful."]
    mentions = told("a", sentences, [
        (0, "gathered", {**MARCH, **NAIROBI, **_on("2025-09-20", "on Saturday")}),
        (0, "march", {**MARCH, **_on("2025-09-19", "Friday's")}),
        (1, "rally", {**MARCH, **PUBLISHED}),
    ])
    assert {frozenset(t.split(":")[1] for t in e) for e in events_of(mentions)} == {
        frozenset({"gathered", "rally"}), frozenset({"march"})}


GBOKO = {"place_text": "Gboko", "place_name": "Gboko", "geonameid": "2341374", "latitude": 7.32, "longitude": 9.0,
         "geo_precision": 1, "geo_level": "point", "admin1": "Benue", "country": "NG"}
CHISINAU = {"place_text": "Chisinau", "place_name": "Chisinau", "geonameid": "618426", "latitude": 47.0,
            "longitude": 28.86, "geo_precision": 1, "geo_level": "point", "admin1": "Chisinau", "country": "MD"}
BALTI = {"place_text": "Balti", "place_name": "Bălţi", "geonameid": "618605", "latitude": 47.76, "longitude": 27.93,
         "geo_precision": 1, "geo_level": "point", "admin1": "Balti", "country": "MD"}


def test_what_follows_an_opening_hours_after_the_raid_is_another_event():
    sentences = ["Gunmen raided a church in Gboko on Sunday and abducted 14 worshippers.",
                 "Hours after the church raid, an officer was killed when gunmen attacked the town's police station."]
    day = _on("2025-10-12", "on Sunday")
    mentions = told("a", sentences, [(0, "raided", {**ATTACK, **GBOKO, **day}),
                                     (0, "abducted", {**ABDUCTION, **GBOKO, **day}),
                                     (1, "raid", {**ATTACK, **GBOKO, **PUBLISHED, "place_text": None}),
                                     (1, "killed", {**CLASH, **GBOKO, **PUBLISHED, "place_text": None}),
                                     (1, "attacked", {**CLASH, **GBOKO, **PUBLISHED, "place_text": None})])
    events = events_of(mentions)
    assert len(events) == 2
    assert any({t.split(":")[1] for t in e} == {"killed", "attacked"} for e in events)
    # told without the opening, the toll is the raid's
    plain = sentences[1].replace("Hours after the church raid, an", "An")
    assert _after_the_opening_is_one_event(mentions, plain)


def _after_the_opening_is_one_event(mentions, plain):
    rest = mentions[mentions["trigger"] != "raid"].copy()
    rest.loc[rest["trigger"] == "killed", "sentence"] = plain
    rest.loc[rest["trigger"] == "attacked", "sentence"] = plain
    return len(events_of(rest)) < 3


def test_a_sentence_opening_with_another_town_tells_another_event():
    sentences = ["Police used pepper spray and detained 23 people after a protest in Chisinau on Thursday.",
                 "In Balti, Moldova's second city, about 800 people rallied peacefully on Thursday evening."]
    day = _on("2025-03-27", "on Thursday")
    mentions = told("a", sentences, [
        (0, "protest", {**MARCH, **CHISINAU, **day, "place_start": sentences[0].index("Chisinau")}),
        (1, "rallied", {**MARCH, **BALTI, **day, "place_start": len(sentences[0]) + 1 + 3})])
    assert len(events_of(mentions)) == 2


def test_a_pronoun_sentence_goes_on_with_the_event_told_just_before():
    sentences = ["Militants threw a grenade into a market in Anantnag on Sunday, wounding 11 people.",
                 "Later the same day, attackers lobbed a grenade at a police post in nearby Bijbehara.",
                 "It exploded on the road, causing no casualties."]
    town = {"place_text": "Anantnag", "place_name": "Anantnag", "geonameid": "1278667", "geo_level": "point",
            "admin1": "Jammu and Kashmir", "country": "IN"}
    nearby = {"place_text": "Bijbehara", "place_name": "Bijbehara", "geonameid": "1275822", "geo_level": "point",
              "admin1": "Jammu and Kashmir", "country": "IN"}
    day = _on("2025-06-15", "on Sunday")
    grenade = {k: v for k, v in GRENADE.items() if k != "trigger"}
    mentions = told("a", sentences, [
        (0, "grenade", {**grenade, **town, **day}),
        (1, "grenade", {**grenade, **nearby, **PUBLISHED,
                        "place_start": len(sentences[0]) + 1 + sentences[1].index("Bijbehara")}),
        (2, "exploded", {**grenade, **town, **PUBLISHED, "place_text": None})])
    events = events_of(mentions)
    assert len(events) == 2 and any(len(e) == 2 and any(t.endswith("exploded") for t in e) for e in events)


def test_a_shooting_is_not_the_bombing_told_beside_it():
    mukalla = {"place_text": "Mukalla", "place_name": "Mukalla", "geonameid": "78754", "geo_level": "point",
               "admin1": "Hadramawt", "country": "YE"}
    day = _on("2025-10-12", "on Sunday")
    bombing = told("a", ["A motorcycle bomb exploded at a checkpoint in Mukalla on Sunday, killing three soldiers."],
                   [(0, "exploded", {**ATTACK, **mukalla, **day})])
    shooting = told("b", ["Police were investigating the killing of a councilman who was shot outside a mosque in "
                          "Mukalla on Sunday."], [(0, "shot", {**ATTACK, **mukalla, **day})])
    assert len(events_of(pd.concat([bombing, shooting], ignore_index=True))) == 2
    # told with a word that names no weapon, the killing may be the bombing's
    plain = shooting.assign(trigger="killing", trigger_start=shooting["sentence"][0].index("killing"))
    assert len(events_of(pd.concat([bombing, plain], ignore_index=True))) == 1


def test_a_clause_with_its_own_later_time_tells_another_event_in_the_same_sentence():
    sentence = ("Gunmen seized four aid workers near Kirkuk on Monday, and the same evening militants "
                "opened fire on a police post in the town.")
    monday = {"date_text": "on Monday", "date_start": "2025-12-08", "date_end": "2025-12-08",
              "date_precision": "day", "date_basis": "relative_dct"}
    mentions = told("a", [sentence], [(0, "seized", {**ATTACK, **KIRKUK_CITY, **monday}),
                                      (0, "opened fire", {**ATTACK, **KIRKUK_CITY, **monday})])
    assert len(events_of(mentions)) == 2
    # the same two clauses without a time of their own tell one attack
    mentions["sentence"] = sentence.replace("the same evening ", "")
    mentions.loc[1, "trigger_start"] = mentions.loc[1, "sentence"].index("opened fire")
    assert len(events_of(mentions)) == 1


def test_a_morning_and_an_evening_of_one_day_are_two_events():
    sentences = ["Gunmen shot dead four traders at the market in Kirkuk on Saturday morning.",
                 "Gunmen killed two mourners at a funeral in Kirkuk on Saturday evening."]

    def day(part):
        return {"date_text": f"on Saturday {part}", "date_start": "2025-10-04", "date_end": "2025-10-04",
                "date_precision": "day", "date_basis": "relative_dct", "date_value": f"2025-10-04T{part[:2].upper()}"}
    mentions = told("a", sentences, [(0, "shot", {**ATTACK, **KIRKUK_CITY, **day("morning")}),
                                     (1, "killed", {**ATTACK, **KIRKUK_CITY, **day("evening")})])
    assert len(events_of(mentions)) == 2
    # next parts of a day may be one event, told by two reports of one story
    other = told("b", ["Gunmen shot dead four traders at the Kirkuk market on Saturday afternoon."],
                 [(0, "shot", {**ATTACK, **KIRKUK_CITY, **day("afternoon")})])
    assert len(events_of(pd.concat([mentions.iloc[:1], other], ignore_index=True))) == 1


def test_an_opening_time_then_in_a_separate_attack_tells_another_event():
    sentences = ["Gunmen shot dead four traders at the market in Kirkuk on Saturday, police said.",
                 "On Saturday evening, in a separate attack, gunmen killed two men at a funeral in Kirkuk."]
    saturday = {"date_text": "on Saturday", "date_start": "2025-10-04", "date_end": "2025-10-04",
                "date_precision": "day", "date_basis": "relative_dct"}
    mentions = told("a", sentences, [(0, "shot", {**ATTACK, **KIRKUK_CITY, **saturday}),
                                     (1, "killed", {**ATTACK, **KIRKUK_CITY, **saturday})])
    assert len(events_of(mentions)) == 2
