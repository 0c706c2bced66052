"""The speed-ups of timeline.dates' pattern search must not change what is found: the trigger scan,
the start-pair filter and the lower-case tense cues each agree with the plain version they replace."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import dates

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORDS = ["the", "last", "Three", "years", "ago", "May", "may", "1990s", "1990'sJanuary", "5second", "5sday",
         "10:30", "3pm", "a.m.", "o'clock", "Monday", "mid-", "March", "2020", "12/3/98", "next", "week", "said",
         "will", "WAS", "expected", "ſecond", "İn", "ıt", "Café", "—", "\n\n", ",", "'", "-", "early", "fiscal"]
text_of_words = st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join)
any_text = st.one_of(text_of_words, st.text(max_size=80), st.text(alphabet="ab1s' -:.\nMmayJ", max_size=40))

PLAIN_TOKEN = re.compile(r"[a-z]+|\d+(?:[:/.]\d+)*(?:'?s)?")


def plain_triggers(lower: str) -> list[tuple[int, int, str]]:
    """Every token of the plain tokenisation that is a trigger word or a number."""
    return [(t.start(), t.end(), t.group()) for t in PLAIN_TOKEN.finditer(lower)
            if t.group() in dates._TRIGGER_KINDS or t.group()[0].isdigit()]


def scanned_triggers(lower: str) -> list[tuple[int, int, str]]:
    return [(*t.span(t.lastgroup), t[t.lastgroup]) for t in dates._TRIGGER_SCAN.finditer(lower) if t.lastgroup]


@SETTINGS
@given(text=any_text)
def test_trigger_scan_finds_the_trigger_tokens_of_the_plain_tokenisation(text):
    lower = text.lower()
    assert scanned_triggers(lower) == plain_triggers(lower)


def test_trigger_scan_keeps_the_s_of_a_number_out_of_the_next_word():
    # "1990s" is one token, so "january" after it starts a word; "5second" is "5s" + "econd"
    assert [w for _, _, w in scanned_triggers("in 1990sjanuary and 5second")] == ["1990s", "january", "5s"]


@given(words=st.lists(st.text(alphabet="abcdey", min_size=1, max_size=6), min_size=1, max_size=12),
       probe=st.text(alphabet="abcdey", max_size=7))
def test_trie_pattern_matches_exactly_its_words(words, probe):
    assert (re.fullmatch(dates._trie_pattern(words), probe) is not None) == (probe in words)


@SETTINGS
@given(text=any_text, data=st.data())
def test_a_pattern_never_matches_where_its_start_pairs_rule_it_out(text, data):
    kind, rx = data.draw(st.sampled_from(dates._PATTERNS))
    pairs = dates._START_PAIRS[kind]
    assert pairs is not None  # every pattern of the module is analysed
    for pos in range(len(text)):
        head = text[pos:pos + 2]
        if head.isascii() and head not in pairs:
            assert rx.match(text, pos) is None, (kind, text[pos:])


def test_start_pairs_follow_case_and_optional_parts():
    pairs = dates._start_pairs(re.compile(r"(?:(?i:the)\s+)?May\b"))
    assert {"th", "TH", "tH", "Ma"} <= pairs and "ma" not in pairs and "MA" not in pairs
    assert dates._start_pairs(re.compile(r"a?")) is None  # a match can be shorter than two characters


@SETTINGS
@given(before=any_text, after=any_text)
def test_lower_case_tense_cues_find_what_the_case_insensitive_ones_find(before, after):
    for text in (before, after, before.upper(), after.title()):
        searched, cues = dates._tense_cues(text)
        assert [(m.span(), m.lastgroup) for m in cues] == \
            [(m.span(), m.lastgroup) for m in dates._TENSE_CUES.finditer(text)]
        assert len(searched) == len(text)
