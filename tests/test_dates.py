"""The timex component and the normaliser: recognition, TIMEX3 values, intervals against the DCT."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.dates import annotate_text, resolve_relative_date

DCT = "2025-04-07T09:34"  # a Monday


@pytest.mark.parametrize("text, value, start, end, gran, mod", [
    ("since mid-January", "2025-01", "2025-01-11", "2025-04-07", "month", "MID"),
    ("last month", "2025-03", "2025-03-01", "2025-03-31", "month", None),
    ("about 18 months ago", "2023-10", "2023-10-01", "2023-10-31", "month", "APPROX"),
    ("last year", "2024", "2024-01-01", "2024-12-31", "year", None),
    ("this week", "2025-W15", "2025-04-07", "2025-04-13", "week", None),
    ("early next year", "2026", "2026-01-01", None, "year", "START"),
    ("the third quarter of 2024", "2024-Q3", "2024-07-01", "2024-09-30", "quarter", None),
    ("Aug. 7, 1998", "1998-08-07", "1998-08-07", "1998-08-07", "day", None),
    ("the 1990s", "199", "1990-01-01", "1999-12-31", "decade", None),
    ("yesterday", "2025-04-06", "2025-04-06", "2025-04-06", "day", None),
    ("last summer", "2024-SU", "2024-06-01", "2024-08-31", "season", None),
])
def test_dates_resolve_against_the_dct(text, value, start, end, gran, mod):
    r = resolve_relative_date(text, DCT)
    assert r is not None and r["type"] == "DATE"
    assert (r["value"], r["start"], r["granularity"], r["modifier"]) == (value, start, gran, mod)
    if end is not None:
        assert r["end"] == end


def test_weekday_follows_tense():
    past = resolve_relative_date("on Thursday", DCT, tense="past")
    future = resolve_relative_date("on Thursday", DCT, tense="future")
    assert past["value"] == "2025-04-03" and future["value"] == "2025-04-10"
    assert past["text"] == "Thursday"  # the preposition is not part of the expression


def test_bare_month_year_from_tense():
    assert resolve_relative_date("in November", DCT, tense="past")["value"] == "2024-11"
    assert resolve_relative_date("in November", DCT, tense="future")["value"] == "2025-11"
    assert resolve_relative_date("in February", DCT, tense="past")["value"] == "2025-02"


def test_durations_are_not_dates():
    r = resolve_relative_date("three years", DCT)
    assert (r["type"], r["value"], r["basis"]) == ("DURATION", "P3Y", "undated")
    assert r["start"] is None and r["end"] is None
    nxt = resolve_relative_date("the next few months", DCT)
    assert nxt["type"] == "DURATION" and nxt["value"] == "PXM"
    assert nxt["start"] == "2025-04-07" and nxt["end"] > "2025-04-07"  # future
    past = resolve_relative_date("in the past few weeks", DCT)
    assert past["end"] == "2025-04-07" and past["start"] < "2025-04-07"


def test_sets_times_and_references():
    assert resolve_relative_date("every day", DCT)["type"] == "SET"
    assert resolve_relative_date("annually", DCT)["value"] == "P1Y"
    t = resolve_relative_date("10 a.m. Friday", DCT, tense="past")
    assert (t["type"], t["value"]) == ("TIME", "2025-04-04T10:00")
    assert resolve_relative_date("now", DCT)["value"] == "PRESENT_REF"
    assert resolve_relative_date("recently", DCT)["value"] == "PAST_REF"


def test_ambiguous_words_are_not_dates():
    assert resolve_relative_date("You may go.", DCT) is None
    assert resolve_relative_date("They march on the capital.", DCT) is None
    assert resolve_relative_date("the 6-year-old boy", DCT) is None
    assert resolve_relative_date("1,998 people", DCT) is None


def test_unknown_dct_leaves_relative_dates_undated():
    r = resolve_relative_date("last month", None)
    assert r["basis"] == "undated" and r["start"] is None
    explicit = resolve_relative_date("March 3, 2020", None)
    assert explicit["value"] == "2020-03-03" and explicit["basis"] == "explicit"


def test_relative_to_a_date_in_the_text():
    found = annotate_text("Profit fell in the third quarter. A year earlier, it rose.", "1989-11-02")
    values = [t["value"] for _, _, t in found]
    assert values == ["1989-Q3", "1988-Q3"]
    assert found[1][2]["basis"] == "relative_text"


def test_spans_are_sorted_and_disjoint():
    text = "On Friday, Jan. 3, 2025, and again last week and in the past two years, prices rose 5% a year."
    found = annotate_text(text, DCT)
    assert [text[s:e] for s, e, _ in found] == ["Friday, Jan. 3, 2025", "last week", "the past two years", "a year"]
    assert all(e1 <= s2 for (_, e1, _), (s2, _, _) in zip(found, found[1:]))


# -- the spaCy component -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def rules_nlp():
    import timeline.dates  # noqa: F401
    from timeline.pipeline import load_language

    nlp = load_language("rules")
    nlp.add_pipe("timex")
    return nlp


def test_component_writes_spans_and_contract(rules_nlp):
    doc = rules_nlp.make_doc("Militias said on Thursday they have been ready since mid-January. "
                             "They will meet next week.")
    doc._.dct = DCT
    doc = rules_nlp(doc)
    spans = doc.spans["timex"]
    assert [s.text for s in spans] == ["Thursday", "mid-January", "next week"]
    keys = {"type", "value", "start", "end", "granularity", "modifier", "basis"}
    for s in spans:
        assert set(s._.timex) == keys
        assert s._.timex["start"] <= s._.timex["end"]
    assert spans[0]._.timex["value"] == "2025-04-03"
    assert spans[1]._.timex["end"] == "2025-04-07"
    assert spans[2]._.timex["value"] == "2025-W16"


def test_component_without_dct(rules_nlp):
    doc = rules_nlp.make_doc("Talks resumed last week, on 12 March 2024.")
    doc = rules_nlp(doc)  # doc._.dct stays None
    by_text = {s.text: s._.timex for s in doc.spans["timex"]}
    assert by_text["last week"]["basis"] == "undated"
    assert by_text["12 March 2024"]["value"] == "2024-03-12"


# -- properties ----------------------------------------------------------------------------------

_NUMBERS = st.sampled_from(["a", "one", "two", "three", "five", "ten", "18", "24", "a few", "several"])
_UNITS = st.sampled_from(["day", "week", "month", "year", "decade"])
_GRAN = {"day": "day", "week": "week", "month": "month", "year": "year", "decade": "decade"}
_MONTHS = st.sampled_from(["January", "February", "March", "April", "June", "July", "August", "September",
                           "October", "November", "December"])


@st.composite
def relative_phrases(draw):
    """(phrase, expected granularity) from a small grammar of relative expressions."""
    unit = draw(_UNITS)
    kind = draw(st.sampled_from(["ago", "lastnext", "month", "premod", "anchored"]))
    if kind == "ago":
        num = draw(_NUMBERS)
        if num in ("a few", "several"):
            num = "two"
        plural = "" if num in ("a", "one") else "s"
        approx = draw(st.sampled_from(["", "about ", "nearly "]))
        return f"{approx}{num} {unit}{plural} ago", _GRAN[unit]
    if kind == "lastnext":
        rel = draw(st.sampled_from(["last", "next", "this"]))
        unit = "week" if unit == "day" else unit  # "last day" is not a relative date
        return f"{rel} {unit}", _GRAN[unit]
    if kind == "month":
        pre = draw(st.sampled_from(["in ", "early ", "mid-", "late ", "since ", "last "]))
        return f"{pre}{draw(_MONTHS)}", "month"
    if kind == "anchored":
        month, day = draw(_MONTHS), draw(st.integers(1, 28))
        form = draw(st.sampled_from(["month_rel_year", "rel_month_day", "week_of", "the_year"]))
        if form == "month_rel_year":
            return f"in {month} {draw(st.sampled_from(['last', 'this', 'next']))} year", "month"
        if form == "rel_month_day":
            return f"{draw(st.sampled_from(['last', 'next']))} {month} {day}", "day"
        if form == "week_of":
            return f"the week of {month} {day}", "week"
        return f"for the {draw(st.sampled_from(['', 'full ', 'whole ']))}year", "year"
    pre = draw(st.sampled_from(["early", "late", "the end of", "the beginning of"]))
    rel = draw(st.sampled_from(["last", "next", "this"]))
    u = draw(st.sampled_from(["year", "month", "week"]))
    return f"{pre} {rel} {u}", _GRAN[u]


_DCTS = st.datetimes(min_value=__import__("datetime").datetime(1800, 1, 1),
                     max_value=__import__("datetime").datetime(2200, 12, 31))


@settings(max_examples=300, deadline=None)
@given(phrase=relative_phrases(), dct=_DCTS, tense=st.sampled_from([None, "past", "present", "future"]))
def test_relative_phrases_give_ordered_intervals(phrase, dct, tense):
    text, gran = phrase
    r = resolve_relative_date(text, dct.isoformat(timespec="minutes"), tense=tense)
    assert r is not None, text
    assert r["granularity"] == gran, (text, r)
    assert r["start"] is not None and r["end"] is not None
    assert date.fromisoformat(r["start"]) <= date.fromisoformat(r["end"])
    assert abs(date.fromisoformat(r["start"]) - dct.date()) < timedelta(days=366 * 250)  # at most 24 decades


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300), dct=st.one_of(st.none(), _DCTS.map(lambda d: d.isoformat())))
def test_arbitrary_text_never_raises(text, dct):
    for s, e, t in annotate_text(text, dct):
        assert 0 <= s < e <= len(text)
        assert t["type"] in ("DATE", "TIME", "DURATION", "SET")
        if t["start"] and t["end"]:
            assert t["start"] <= t["end"]


def test_narrative_dates_follow_the_story_not_the_dct():
    text = ("The war began in 1939. In 1940 the armies met again. By 1941 the front had moved east. "
            "In June, the offensive started, and the previous year had been quiet.")
    found = {text[s:e]: t for s, e, t in annotate_text(text, "2009-12-19")}
    assert found["June"]["value"] == "1941-06" and found["June"]["basis"] == "relative_text"
    assert found["the previous year"]["value"] == "1940"
    # news with a few past years keeps resolving against the DCT
    news = "NATO was founded in 1949. Members met on Tuesday and will meet again in April."
    found = {news[s:e]: t for s, e, t in annotate_text(news, "1999-03-12")}
    assert found["April"]["value"] == "1999-04" and found["Tuesday"]["value"] == "1999-03-09"


def test_month_with_a_relative_year_is_one_expression():
    text = "In June last year the talks failed; in January this year they resumed."
    found = {text[s:e]: t["value"] for s, e, t in annotate_text(text, DCT)}
    assert found == {"June last year": "2024-06", "January this year": "2025-01"}


def test_last_month_day_is_before_the_dct():
    assert resolve_relative_date("last April 20", DCT)["value"] == "2024-04-20"
    assert resolve_relative_date("last April 2", DCT)["value"] == "2025-04-02"
    assert resolve_relative_date("next April 2", DCT)["value"] == "2026-04-02"
    # a preposition before the month does not cut the day off
    assert resolve_relative_date("since Jan. 13", DCT)["value"] == "2025-01-13"


def test_the_week_of_a_date_is_that_week():
    r = resolve_relative_date("a hearing the week of March 6", "2000-02-24")
    assert (r["value"], r["start"], r["end"], r["granularity"]) == ("2000-W10", "2000-03-06", "2000-03-12", "week")


def test_the_year_of_a_report():
    text = "For the year ended Sept. 30, profit rose. Sales for the full year were flat, up from the year before."
    found = {text[s:e]: t for s, e, t in annotate_text(text, "1989-11-02")}
    assert (found["the year"]["type"], found["the year"]["value"]) == ("DURATION", "P1Y")  # anchored by its end
    assert found["the full year"]["value"] == "1989"
    assert "the year before" not in found and all("before" not in k for k in found)
    assert resolve_relative_date("delayed earlier in the year", "1989-10-26")["value"] == "1989"
    assert resolve_relative_date("named Man of the Year", "1989-10-26") is None


def test_years_in_words():
    assert resolve_relative_date("convicted in nineteen ninety-one", DCT)["value"] == "1991"
    assert resolve_relative_date("by the year two thousand", DCT)["value"] == "2000"
    r = resolve_relative_date("January nineteen ninety-seven", DCT)
    assert (r["value"], r["text"]) == ("1997-01", "January nineteen ninety-seven")
    assert resolve_relative_date("nineteen people were hurt", DCT) is None
    assert resolve_relative_date("two thousand years", DCT) is None or \
        resolve_relative_date("two thousand years", DCT)["type"] == "DURATION"


def test_year_after_a_hyphenated_prefix():
    assert resolve_relative_date("began to fall apart in mid-1996", DCT)["value"] == "1996"
    assert resolve_relative_date("began to fall apart in mid-1996", DCT)["text"] == "mid-1996"  # "fall" is a verb
    assert resolve_relative_date("the 1990-1996 period", DCT) is None or \
        resolve_relative_date("the 1990-1996 period", DCT)["value"] != "1996"


def test_tense_cues_for_weekdays():
    # "Until Thursday, they had not...": the clause is past, so the last Thursday
    assert resolve_relative_date("Until Thursday, they had not called him.", DCT)["value"] == "2025-04-03"
    assert resolve_relative_date("He will stay until Thursday.", DCT)["value"] == "2025-04-10"
    assert resolve_relative_date("Trading is to resume Thursday.", DCT)["value"] == "2025-04-10"
    assert resolve_relative_date("Since Thursday, shares have gained 4%.", DCT)["value"] == "2025-04-03"
    assert resolve_relative_date("The day is this coming Sunday.", DCT)["value"] == "2025-04-13"
    # an -ed adjective is no past-tense verb; "effective" points forward
    text = "The dividend would be paid on a still unspecified date in January."
    assert resolve_relative_date(text, "1989-10-30")["value"] == "1990-01"
    assert resolve_relative_date("The company created an office, effective Feb. 1.", "1989-10-26")["value"] == "1990-02-01"


def test_financial_periods():
    text = "Profit rose in the third quarter. The latest period had a gain; last year's quarter did not."
    found = {text[s:e]: t["value"] for s, e, t in annotate_text(text, "1989-10-26")}
    assert found["The latest period"] == "1989-Q3" and found["last year's quarter"] == "1988-Q3"
    assert resolve_relative_date("in the next two quarters", DCT)["value"] == "P2Q"
    assert resolve_relative_date("Iraq imports three-quarters of its food", DCT) is None
    assert resolve_relative_date("in the near term", DCT)["value"] == "FUTURE_REF"
    ago = "Profit rose in the third quarter, up from the quarter a year ago and the corresponding period last year."
    found = {ago[s:e]: t["value"] for s, e, t in annotate_text(ago, "1989-10-26")}
    assert found["the quarter a year ago"] == "1988-Q3" and found["the corresponding period last year"] == "1988-Q3"
    assert resolve_relative_date("the period", "1989-10-26") is None  # a bare "period" is no date


def test_the_fall_of_a_regime_is_not_a_season():
    assert resolve_relative_date("after the fall of President Bashar al-Assad's regime", "2025-04-07") is None
    assert resolve_relative_date("in the fall of 2024", "2025-04-07")["value"] == "2024-FA"


def test_bare_month_near_the_new_year_follows_the_tense():
    # written on Dec 30: a past-tense January is last January, a future one the next
    assert resolve_relative_date("The plant closed in January.", "2024-12-30")["value"] == "2024-01"
    assert resolve_relative_date("The plant will close in January.", "2024-12-30")["value"] == "2025-01"
    # "since March" lies behind the DCT whatever the rest of the clause says
    text = "The carrier has been on patrol since March and was scheduled to return."
    assert resolve_relative_date(text, "1990-08-13")["value"] == "1990-03"
    # a deadline a day before the DCT is still this year's, even in a future-tense clause
    assert resolve_relative_date("They will repatriate the child by Jan. 14.", "2000-01-15")["value"] == "2000-01-14"
    # "last February" written in March is a year back ("last month" would be this February)
    assert resolve_relative_date("Two helicopters crashed last February.", "1998-03-01")["value"] == "1997-02"
    assert resolve_relative_date("It crashed last January.", "1998-06-01")["value"] == "1998-01"


def test_future_cues_without_a_copula():
    assert resolve_relative_date("The talks, set to resume Monday in Belfast.", "1998-03-22")["value"] == "1998-03-23"
    text = "Protesters were planning to rally on Saturday."
    assert resolve_relative_date(text, "2000-01-07")["value"] == "2000-01-08"


def test_year_end_and_decade_words():
    r = resolve_relative_date("to complete the deal by year-end", "1989-11-02")
    assert (r["value"], r["modifier"], r["end"]) == ("1989", "END", "1989-12-31")
    assert resolve_relative_date("The change is since year-end.", "1989-10-30")["value"] == "1988"
    assert resolve_relative_date("expected to close around year end", "1989-10-30")["modifier"] == "APPROX"
    assert resolve_relative_date("numbers dropping through the nineties", "1998-03-03")["value"] == "199"
    assert resolve_relative_date("in the late sixties", "1998-03-03")["modifier"] == "END"


def test_anchored_durations_in_news():
    # TimeML: "later"/"earlier" is a signal; "three days" is a duration anchored on another event
    text = "The gap closes slowly. Three days later, the index recovered."
    (s, e, t), = annotate_text(text, "1989-10-30")
    assert (text[s:e], t["type"], t["value"]) == ("Three days", "DURATION", "P3D")
    assert t["start"] == t["end"]  # still the day it points to, for the timeline
    assert resolve_relative_date("A few days later, it sold.", "1989-10-30")["value"] == "PXD"
    # a year earlier is a date, not a duration
    assert resolve_relative_date("up from $3 a year earlier", "1989-10-30")["type"] == "DATE"


def test_earnings_periods():
    text = "For the nine months, net rose to $5 from $4 a year earlier."
    found = {text[s:e]: t["value"] for s, e, t in annotate_text(text, "1989-10-26")}
    assert found["a year earlier"] == "1988"  # the year to date, not a quarter
    assert resolve_relative_date("In the quarter ended July 31, sales fell.", "1989-10-30")["value"] == "1989-Q2"
    assert resolve_relative_date("earnings for the last half of 1989", "1989-10-26")["value"] == "1989-H2"
    text = "In March, it received an offer. The following month, it put itself up for sale."
    found = {text[s:e]: t["value"] for s, e, t in annotate_text(text, "1989-10-27")}
    assert found["The following month"] == "1989-04"
    text = "The index closed on Friday, Oct. 27, down 4.5% from the previous Friday."
    found = {text[s:e]: t["value"] for s, e, t in annotate_text(text, "1989-10-30")}
    assert found["the previous Friday"] == "1989-10-20"


def test_narrative_months_take_the_year_of_the_story():
    text = ("The war began in 1939. In 1940 the armies met again. In 1944 the front moved. "
            "In December, the last offensive started. On 21 September, talks failed.")
    found = {text[s:e]: t["value"] for s, e, t in annotate_text(text, "2009-12-19")}
    assert found["December"] == "1944-12"
    assert found["21 September"] == "1944-09-21"  # nearest to the story's date, not the next one
    ranges = "Eastern Theater 1861-1863. The war went on."
    assert [t["value"] for _, _, t in annotate_text(ranges, None)] == ["1861", "1863"]


def test_generic_and_title_uses_are_not_dates():
    assert resolve_relative_date("the case is for today's youth what", "2000-01-07") is None
    assert resolve_relative_date("the people of tomorrow", "2000-01-07") is None
    assert resolve_relative_date('Baker said on ABC\'s "This Week With David Brinkley" that', "1991-02-25") is None
    assert resolve_relative_date("from the film High Noon", "1999-03-12") is None
    assert resolve_relative_date("in today's editions", "1989-10-26")["value"] == "1989-10-26"


def test_holiday_weeks_seasons_in_words_and_clock_words():
    assert resolve_relative_date("during Easter week", "2000-04-17")["value"] == "2000-W16"
    r = resolve_relative_date("the level we saw in the winter of nineteen ninety-four", "1998-02-23")
    assert (r["value"], r["text"]) == ("1994-WI", "the winter of nineteen ninety-four")
    assert resolve_relative_date("he will leave at 4 in the morning", "2000-04-05")["value"] == "2000-04-05T04:00"
    assert resolve_relative_date("at eight in the evening", "2000-04-05")["value"] == "2000-04-05T20:00"
    assert resolve_relative_date("at 50% of the then current price", "1989-10-26")["value"] == "PAST_REF"
    assert resolve_relative_date("the first time in years", "1989-10-26")["value"] == "PXY"
    assert resolve_relative_date("to sell in the weeks ahead", "1989-10-26")["text"] == "the weeks ahead"
