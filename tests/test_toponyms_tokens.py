"""The toponyms component's per-document token table (``_Tokens``) agrees with spaCy's own tokens."""

import pytest
import spacy

from geo import toponyms as tp
from timeline.pipeline import doc_text

TEXTS = ["Iraqi forces clashed in Mosul, Iraq.\n\nPrime Minister al-Sudani met envoys in São Paulo's centre.",
         "  U.S. troops  left\tKABUL; the Hague\u00a0and NEW YORK, N.Y. — 3rd St. ",
         "", "Ünïcödé ΑΘΗΝΑ και Θεσσαλονίκη 😀 emoji"]


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@pytest.mark.parametrize("text", TEXTS)
def test_tokens_match_spacy_attributes(nlp, text):
    doc = nlp(text)
    tokens = tp._Tokens(doc, tp._Words(nlp.vocab))
    assert tokens.doc_text == doc.text
    assert tokens.text == [t.text for t in doc] and tokens.lower == [t.text.lower() for t in doc]
    assert tokens.start_char == [t.idx for t in doc] and tokens.end_char == [t.idx + len(t) for t in doc]
    assert tokens.sent_start == [int(t.is_sent_start is True) for t in doc]
    for bit, attr in ((tp.ALPHA, "is_alpha"), (tp.UPPER, "is_upper"), (tp.TITLE, "is_title"),
                      (tp.PUNCT, "is_punct"), (tp.SPACE, "is_space"), (tp.LOWER, "is_lower")):
        assert [bool(f & bit) for f in tokens.flags] == [getattr(t, attr) for t in doc], attr
    assert tokens.capitalised == [t.i for t in doc if tp._is_capitalised(t.text)]
    assert tokens.lower_words == {t.text for t in doc if t.is_lower}
    for start in range(len(doc)):
        assert tokens.span_text(start, len(doc)) == doc[start:].text


def test_word_table_starts_afresh_when_full(nlp, monkeypatch):
    monkeypatch.setattr(tp._Words, "MAX_WORDS", 5)
    words = tp._Words(nlp.vocab)
    for text in TEXTS[:2]:
        tokens = tp._Tokens(nlp(text), words)
        assert tokens.text == [t.text for t in nlp(text)]
        assert set(words.text.values()) == set(tokens.text)     # the other document's words are gone


def test_the_text_a_doc_was_made_from_is_the_text_the_components_read(nlp):
    """``doc_text(doc, text)`` seeds the cache ``extract`` uses; a doc built without it reads
    ``Doc.text`` once. Both resolve alike."""
    comp = tp.ToponymRecognizer(nlp)
    text = "Clashes were reported in Mosul, Iraq, and near Kirkuk. Iraqi officials spoke."
    given, plain = nlp(text), nlp(text)
    assert doc_text(given, text) == doc_text(plain) == plain.text == text
    for doc in (given, plain):
        spans, demonyms = comp.recognize(doc)
        tp.resolve_spans(doc, spans, demonyms, comp.gazetteer)
    assert [(s.text, s._.place) for s in given.spans["toponyms"]] == \
           [(s.text, s._.place) for s in plain.spans["toponyms"]]
    assert [s.text for s in given.spans["toponyms"]] == ["Mosul", "Iraq", "Kirkuk"]
