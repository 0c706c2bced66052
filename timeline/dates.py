"""Temporal expressions: find them, type them (TIMEX3) and resolve them against the publication time.

The ``timex`` spaCy component writes ``doc.spans["timex"]`` (sorted, non-overlapping) and, on each
span, ``span._.timex``::

    {"type": "DATE", "value": "2025-03", "start": "2025-03-01", "end": "2025-03-31",
     "granularity": "month", "modifier": None, "basis": "relative_dct"}

Recognition is a set of compiled regular expressions over the document text (they stand on their
own in the rules-only pipeline); with a statistical model, its DATE/TIME entities that the patterns
missed are added when the normaliser can read them. Normalisation is rule based, against
``doc._.dct`` (ISO 8601 or None), the verb tense around the expression (news leans to the past) and
the last date mentioned in the text (for "a year earlier", "the next day"). Explicit date strings
the rules cannot decompose go to ``dateparser`` (cached, English only).

Pure API, no spaCy needed::

    >>> resolve_relative_date("last month", "2025-04-07")["value"]
    '2025-03'
    >>> resolve_relative_date("about 18 months ago", "2025-04-07")["modifier"]
    'APPROX'
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import lru_cache, partial
from typing import Any, Callable, Iterable, Iterator

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from timeline.pipeline import doc_text  # (importing the module also registers Doc._.dct)

if not Span.has_extension("timex"):
    Span.set_extension("timex", default=None)

SPAN_KEY = "timex"
TYPES = ("DATE", "TIME", "DURATION", "SET")
GRANULARITIES = ("day", "week", "month", "quarter", "season", "year", "decade")

# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

MONTHS = {
    "january": 1, "jan.": 1, "february": 2, "feb.": 2, "march": 3, "mar.": 3, "april": 4, "apr.": 4,
    "may": 5, "june": 6, "jun.": 6, "july": 7, "jul.": 7, "august": 8, "aug.": 8, "september": 9,
    "sept.": 9, "sep.": 9, "sept": 9, "october": 10, "oct.": 10, "november": 11, "nov.": 11,
    "december": 12, "dec.": 12,
}
WEEKDAYS = {"monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
            "sunday": 7}
_UNITS = {"ones": 1, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
          "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
          "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
            "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
            "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "1st": 1, "2nd": 2, "3rd": 3,
            "4th": 4}
VAGUE_NUMBERS = ("a few", "few", "several", "a couple of", "couple of", "many", "some", "a number of",
                 "dozens of", "hundreds of", "thousands of", "a dozen", "various", "the next few",
                 "a couple", "numerous")
UNIT_CODES = {  # unit -> (TIMEX3 letter, time part?, granularity)
    "second": ("S", True, "day"), "minute": ("M", True, "day"), "hour": ("H", True, "day"),
    "day": ("D", False, "day"), "night": ("D", False, "day"), "week": ("W", False, "week"),
    "weekend": ("D", False, "day"), "fortnight": ("W", False, "week"),
    "month": ("M", False, "month"), "quarter": ("Q", False, "quarter"),
    "year": ("Y", False, "year"), "decade": ("E", False, "decade"), "century": ("C", False, "decade"),
    "millennium": ("L", False, "decade"),
}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI",
                "overnight": "NI", "midday": "MI"}

# --------------------------------------------------------------------------------------------
# Patterns (regular expressions over the raw text; each has a normaliser below)
# --------------------------------------------------------------------------------------------

_CI = "(?i:{})".format
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.?|Sep\.|Oct\.|Nov\.|Dec\.)")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)"
_YEAR = (r"(?<![\d$.,'])(?:(?<=\d{4}-)|(?<!\d-))(?:1[5-9]\d\d|20\d\d)"  # a year, also either end of "1861-1865"
         r"(?![\d%]|,\d|\.\d|s\b|-(?!(?:1[5-9]|20)\d\d(?![\d-]))\d)")
_NUMWORD = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six"
            r"|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
            r"|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a hundred|one hundred|hundred)")
_NUM = (r"(?:(?<![\d,.])(?:\d{1,3}(?:,\d{3})+|\d{1,3})(?:\.\d+)?(?: 1/2)?(?![\d,]\d)|" + _NUMWORD + r"(?: and a half)?|an?(?: half)?|a few|few|several"
        r"|(?:a )?couple(?: of)?|many|some|a number of|dozens of|hundreds of|thousands of|a dozen"
        r"|numerous)")
_UNIT = r"(?:second|minute|hour|day|night|weekend|week|fortnight|month|quarter|year|decade|centur(?:y|ies)|millenni(?:um|a))"
_PREMOD = (r"(?:(?:the\s+)?(?:very\s+)?(?:early|late|mid|middle|earlier|later)[- ]?(?:in\s+)?|"
           r"(?:the\s+)?(?:beginning|start|middle|end|close|turn|first\s+half|second\s+half|rest|remainder|dawn)\s+of\s+(?:the\s+)?)")
_APPROX = r"(?:about|around|approximately|roughly|nearly|almost|some|more\s+than|less\s+than|at\s+least|over|under|up\s+to|just|only|barely|well\s+over|close\s+to|no\s+more\s+than|fewer\s+than)"
_TZ = r"(?:\s+(?:EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET|local\s+time))?"
_CLOCK = (r"(?:(?:\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|a\.m|p\.m|am\b|pm\b)|\d{1,2}:\d\d(?!\d)|"
          r"(?:" + _NUMWORD + r"|\d{1,2})\s+(?:o'clock|in\s+the\s+(?:morning|afternoon|evening))|\bnoon\b|\bmidnight\b|"
          r"\bmidday\b))")

_PATTERN_SPECS: list[tuple[str, str]] = [
    # explicit calendar dates
    ("mdy", r"(?:(?P<wd>" + _WEEKDAY + r"),?\s+)?(?:(?P<rel>" + _CI(r"last|this|next|the\s+week\s+of")
     + r")\s+)?(?P<pre>" + _CI(_PREMOD) + r")?(?P<mon>" + _MONTH
     + r")\s+(?P<day>" + _DAYNUM + r")(?:(?:,\s*|\s+)(?P<year>" + _YEAR + r"))?"),
    ("dmy", r"(?:(?P<wd>" + _WEEKDAY + r"),?\s+)?(?:the\s+)?(?P<day>" + _DAYNUM + r")\s+(?:of\s+)?(?P<mon>"
     + _MONTH + r")(?:,?\s+(?P<year>" + _YEAR + r"))?"),
    ("my", r"(?P<pre>" + _CI(_PREMOD) + r")?(?P<mon>" + _MONTH + r"),?\s+(?:of\s+)?(?P<year>" + _YEAR + r")"),
    ("month", r"(?:(?P<rel>" + _CI(r"last|next|this|early|late|since") + r")\s+)?(?P<pre>" + _CI(_PREMOD)
     + r")?(?P<mon>" + _MONTH + r")(?![\w-])(?:,?\s+(?P<yrel>" + _CI(r"this|last|next") + r")\s+" + _CI("year")
     + r"(?![\w-]))?"),
    ("iso", r"(?<![\d/-])(?P<year>(?:1[89]|20)\d\d)-(?P<mon>[01]\d)-(?P<day>[0-3]\d)(?:T(?P<hh>\d\d):(?P<mm>\d\d))?(?![\d-])"),
    ("slash", r"(?<![\d/])(?P<mon>1[0-2]|0?[1-9])/(?P<day>[12]\d|3[01]|0?[1-9])/(?P<year>(?:19|20)?\d\d)(?![\d/])"),
    # years, decades, centuries
    ("wordyear", r"(?:(?P<mon>" + _MONTH + r"),?\s+|" + _CI(r"(?:the\s+)?(?P<season>spring|summer|fall|autumn|winter)\s+of\s+")
     + r")?" + _CI(r"(?P<yr>the\s+year\s+)?(?P<w>(?P<cent>nineteen|eighteen)[- ]"
                 r"(?:hundred(?:\s+and)?[- ])?(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
                 r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|"
                 r"fifteen|sixteen|seventeen|eighteen|nineteen|oh[- ](?:one|two|three|four|five|six|seven|eight|nine))|"
                 r"two\s+thousand(?:(?:\s+and)?[- ](?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                 r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen))?)(?![\w-])")),
    ("year", _CI(r"(?:(?P<fiscal>fiscal|calendar|model|the\s+year|the\s+fiscal\s+year|fiscal\s+year)\s+)?(?P<pre>"
                 + _PREMOD + r")?") + r"(?P<year>" + _YEAR + r")"),
    ("decade", _CI(r"(?:the\s+)?(?P<pre>" + _PREMOD + r")?(?:(?P<dec>(?:1[5-9]|20)\d0)'?s|'(?P<dec2>\d0)s)\b|"
                   r"(?P<the>the\s+)(?P<pre2>early\s+|mid-?\s*|late\s+)?(?P<decw>twenties|thirties|forties|fifties|"
                   r"sixties|seventies|eighties|nineties)(?![\w-])")),
    ("century", _CI(r"(?:the\s+)?(?P<pre>" + _PREMOD + r")?(?P<cent>\d{1,2}(?:st|nd|rd|th)|first|second|"
                    r"third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
                    r"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
                    r"twenty-first|(?P<crel>this|last|next|past|previous|current))[- ]century\b")),
    # quarters and halves
    ("quarter", _CI(r"(?:(?P<the>the|this|its|their|that)\s+|(?P<yposs>last|next|this)\s+year's\s+)?"
                    r"(?:(?P<rel>latest|last|current|past|previous|final|same|"
                    r"year-earlier|year-ago|comparable|corresponding|next|recent|coming|just-ended|just-completed|"
                    r"fiscal|seasonally\s+slow)\s+)?(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[- ]"
                    r"(?:fiscal[- ])?)?(?P<qh>quarter|half|period)(?![\w-])(?:\s+of\s+(?:fiscal\s+)?(?P<year>" + _YEAR
                    + r")|,?\s+(?P<year2>" + _YEAR + r")|\s+of\s+(?P<yrel>this|last|next)\s+year|"
                    r"\s+of\s+(?:the\s+)?(?P<ythe>year|fiscal\s+year)|"
                    r"(?P<ago>\s+a\s+year\s+(?:ago|earlier)|\s+last\s+year))?")),
    ("yearperiod", _CI(r"the\s+(?P<year>" + _YEAR + r")\s+(?:(?P<ord>first|second|third|fourth)[- ])?(?P<what>quarter|"
                       r"period|half|fiscal\s+year|year|nine\s+months|six\s+months)(?![\w-])")),
    ("yearago", _CI(r"(?:the\s+)?year-(?:earlier|ago)(?:\s+(?P<what>quarter|period|nine\s+months|six\s+months|"
                    r"first\s+half|half|month|week|year))?")),
    # relative to the DCT
    ("rel", _CI(r"(?:(?P<pre>" + _PREMOD + r")\s*)?(?:the\s+)?(?P<rel>last|this|next|past|coming|previous|current|"
                r"following|preceding|same|that|prior)\s+(?:fiscal\s+)?(?P<unit>week|weekend|month|year|decade|century|"
                r"spring|summer|fall|autumn|winter)(?![\w-])")),
    ("premod_unit", _CI(r"(?P<pre>" + _PREMOD + r")\s*(?:the\s+)?(?P<unit>week|month|year|decade|century)(?![\w-])")),
    ("the_unit", _CI(r"(?P<t>the\s+(?:(?P<adj>full|whole|entire|fiscal|calendar)\s+)?(?P<unit>week|weekend|year))"
                     r"(?![\w-])(?P<ended>\s+(?:that\s+)?(?:ended|ending|ends|to\s+date)\b)?")),
    ("yearend", _CI(r"(?:(?P<approx>around|about|near|toward|towards)\s+)?(?:the\s+)?(?:year[- ]?end|year's\s+end)"
                    r"(?![\w-])")),
    ("ago", _CI(r"(?:(?P<approx>" + _APPROX + r")\s+)?(?P<num>" + _NUM + r")[- ]+(?P<unit>" + _UNIT
                + r")s?(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|later|from\s+now|hence)(?![\w-])")),
    ("dayword", _CI(r"(?:(?P<pre>earlier|later|early|late)\s+)?(?P<w>today|yesterday|tomorrow|tonight)"
                    r"(?:(?:'s)?\s+(?P<part>morning|afternoon|evening|night))?(?![\w-])")),
    ("daybefore", _CI(r"the\s+day\s+(?P<dir>before|after)\s+(?P<w>yesterday|tomorrow)")),
    ("relday", _CI(r"(?:the\s+)?(?P<rel>following|next|previous|preceding|same|prior)\s+(?P<unit>day|morning|"
                   r"afternoon|evening|night)(?![\w-])")),
    ("partday", _CI(r"(?P<rel>this|last|yesterday|tomorrow|early\s+this|later\s+this|earlier\s+this|mid-?|early|late)"
                    r"\s*(?P<part>morning|afternoon|evening|night)(?![\w-])(?:\s+(?P<day>yesterday|today|tomorrow))?")),
    ("weekday", r"(?:(?P<rel>" + _CI(r"the\s+(?:previous|preceding|following)|last|next|this\s+coming|this|coming|"
                                     r"early|late|earlier|later|on|since|until|by|from")
     + r")\s+)?(?P<wd>" + _WEEKDAY + r")(?:(?:'s)?\s+(?P<part>" + _CI(r"morning|afternoon|evening|night")
     + r"))?(?![\w-])"),
    ("weekdays", r"(?P<wd>" + _WEEKDAY + r")s\b"),
    ("time", _CI(r"(?:(?P<approx>about|around|approximately|at\s+about|shortly\s+after|shortly\s+before|"
                 r"just\s+after|just\s+before)\s+)?(?P<clock>" + _CLOCK + r")" + _TZ)
     + r"(?:,?\s+(?:on\s+)?(?P<day>" + _WEEKDAY + r"|" + _CI(r"today|yesterday|tomorrow|tonight") + r")"
     r"(?:,?\s+(?P<mon>" + _MONTH + r")\s+(?P<mday>" + _DAYNUM + r"))?|,?\s+(?P<mon2>" + _MONTH
     + r")\s+(?P<mday2>" + _DAYNUM + r"))?"),
    ("holiday", r"(?P<h>Christmas(?:\s+Eve|\s+Day)?|Thanksgiving(?:\s+Day)?|New\s+Year's(?:\s+Eve|\s+Day)?|"
     r"Easter(?:\s+Sunday)?|Halloween|Independence\s+Day|Memorial\s+Day|Labor\s+Day|Valentine's\s+Day|"
     r"Veterans\s+Day|Boxing\s+Day|New\s+Year(?:'s)?)(?P<week>\s+week)?(?:,?\s+(?P<year>" + _YEAR + r"))?(?![\w-])"),
    ("season", _CI(r"(?:(?P<rel>last|this|next|early|late|the|mid-?)\s+)?(?:(?P<rel2>early|late|mid-?)\s*)?"
                   r"(?P<season>spring|summer|fall|autumn|winter)(?![\w-])(?:\s+(?:of\s+)?(?P<year>" + _YEAR + r"))?")),
    # durations
    ("duration", _CI(r"(?:(?P<det>the|a|an|its|their|his|her)\s+)?(?:(?P<mods>(?:(?:past|last|next|first|final|"
                     r"coming|previous|recent|following|additional|ensuing|preceding|same|latest|" + _APPROX
                     + r")\s+)+))?(?P<num>" + _NUM + r")(?:\s+(?:more|additional|full|straight|consecutive|"
                     r"long|trading|working|business))?[- ]+(?P<unit>" + _UNIT + r")(?P<pl>s)?(?![\w])"
                     r"(?!-old|\s+old\b)(?:-long)?(?:\s+or\s+so)?(?:\s+(?:or|to)\s+(?:" + _NUM + r")\s+(?:" + _UNIT + r")s?)?")),
    ("vague", _CI(r"(?:(?P<det>the|these|those)\s+)?(?P<mod>past|last|next|coming|recent|few|several|many|"
                  r"early|following|ensuing|subsequent|previous|upcoming)\s+(?:(?:few|several|many|couple\s+of)\s+)?"
                  r"(?P<unit>second|minute|hour|day|week|month|quarter|year|decade|centurie)s(?![\w-])(?:\s+ahead)?")),
    ("bare_plural", _CI(r"(?:(?<=for\s)|(?<=within\s)|(?<=time\sin\s)|"
                        r"(?P<the>the\s+)(?=(?:day|week|month|year)s\s+ahead\b))(?P<unit>second|minute|hour|day|week|month|year|decade|centurie)s(?:\s+or\s+"
                        r"(?:day|week|month|year|decade)s)?(?![\w-])(?:\s+ahead\b)?")),
    ("set", _CI(r"(?:every|each|per)\s+(?:other\s+)?(?:(?P<num>" + _NUM + r")\s+)?(?P<unit>" + _UNIT
                + r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|"
                r"august|september|october|november|december|spring|summer|fall|autumn|winter)s?(?![\w-])")),
    ("setadv", _CI(r"(?P<adv>daily|weekly|monthly|annually|yearly|hourly|nightly|biweekly|"
                   r"semiannually|semi-annually|bimonthly)(?![\w-])")),
    ("rate", _CI(r"(?:once|twice|three\s+times|\d+\s+times|times|million|billion|percent|dollars|cents|tons|"
                 r"barrels|\d)\s+(?P<t>a\s+(?P<unit>year|month|week|day|quarter))(?![\w-])"
                 r"(?!\s+(?:ago|earlier|later|before|after|or|and|from))")),
    ("generic", _CI(r"\b(?P<g>then[- ]current|right\s+now|just\s+now|now|currently|current(?=\s+(?!account|affairs|events|"
                    r"of|and|or|in|to)[a-z]+)|recently|recent(?=\s+(?!years|months|weeks|days|decades|quarters|"
                    r"and|or|past)[A-Za-z]+)|the\s+past(?!\s+(?:\d|few|several|couple|" + _NUMWORD
                    + r"|week|month|year|decade|day|quarter|centur|summer|winter|spring|fall|autumn|weekend))|"
                    r"the\s+(?:near\s+|distant\s+)?future|the\s+(?:near|short|long)\s+term|future(?=\s+(?!tense)[a-z]+)|nowadays|lately|"
                    r"these\s+days|at\s+present|presently|formerly)(?![\w-])")),
]

_KIND_PRIORITY = {k: i for i, (k, _) in enumerate(_PATTERN_SPECS)}
_KIND_PRIORITY["rate"] = -1  # "a year" after an amount is a SET, not a duration
_PATTERNS = [(kind, re.compile(rx)) for kind, rx in _PATTERN_SPECS]

_CUE_WORDS = frozenset("in since until till by of during through from before after early late mid last next "
                       "this between and to or on throughout into around about".split())
_AMBIGUOUS_MONTHS = frozenset({"may", "march"})
_AMBIGUOUS_SEASONS = frozenset({"fall", "spring"})
_PREV_WORD = re.compile(r"([A-Za-z'-]+)\W*$")
_SPACES = re.compile(r"\s+")
_FOUR_DIGITS = re.compile(r"\d{4}")

# --------------------------------------------------------------------------------------------
# Calendar helpers
# --------------------------------------------------------------------------------------------


def _parse_dct(dct: str | date | None) -> datetime | None:
    """A DCT as a naive datetime ('2025-04-07T09:34', '2025-04-07', '19980108', date) or None."""
    if dct is None or dct == "":
        return None
    if isinstance(dct, datetime):
        return dct.replace(tzinfo=None)
    if isinstance(dct, date):
        return datetime(dct.year, dct.month, dct.day)
    return _parse_dct_text(str(dct))


@lru_cache(maxsize=1024)
def _parse_dct_text(dct: str) -> datetime | None:
    """:func:`_parse_dct` of a string (cached: a corpus has few distinct publication times)."""
    text = dct.strip().replace("Z", "+00:00")
    for candidate in (text, text[:19], text[:16], text[:10]):
        try:
            return datetime.fromisoformat(candidate).replace(tzinfo=None)
        except ValueError:
            continue
    return None


def _month_add(year: int, month: int, k: int) -> tuple[int, int]:
    n = year * 12 + (month - 1) + k
    return n // 12, n % 12 + 1


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _clamp_year(year: int) -> int:
    return min(max(year, 1), 9999)


class _Period:
    """A calendar unit: granularity, TIMEX3 value and inclusive [start, end] dates."""

    __slots__ = ("gran", "value", "start", "end")

    def __init__(self, gran: str, value: str, start: date, end: date):
        self.gran, self.value, self.start, self.end = gran, value, start, end


def _day(d: date) -> _Period:
    return _Period("day", d.isoformat(), d, d)


def _month(year: int, month: int) -> _Period:
    year = _clamp_year(year)
    return _Period("month", f"{year:04d}-{month:02d}", date(year, month, 1), date(year, month, _last_day(year, month)))


def _year(year: int) -> _Period:
    year = _clamp_year(year)
    return _Period("year", f"{year:04d}", date(year, 1, 1), date(year, 12, 31))


def _quarter(year: int, q: int) -> _Period:
    year = _clamp_year(year)
    m0 = 3 * (q - 1) + 1
    return _Period("quarter", f"{year:04d}-Q{q}", date(year, m0, 1), date(year, m0 + 2, _last_day(year, m0 + 2)))


def _half(year: int, h: int) -> _Period:
    year = _clamp_year(year)
    m0 = 6 * (h - 1) + 1
    return _Period("quarter", f"{year:04d}-H{h}", date(year, m0, 1), date(year, m0 + 5, _last_day(year, m0 + 5)))


def _week(d: date) -> _Period:
    iso = d.isocalendar()
    monday = d - timedelta(days=iso[2] - 1)
    return _Period("week", f"{iso[0]:04d}-W{iso[1]:02d}", monday, monday + timedelta(days=6))


def _weekend(d: date) -> _Period:
    iso = d.isocalendar()
    saturday = d - timedelta(days=iso[2] - 1) + timedelta(days=5)
    return _Period("day", f"{iso[0]:04d}-W{iso[1]:02d}-WE", saturday, saturday + timedelta(days=1))


def _season(year: int, code: str) -> _Period:
    year = _clamp_year(year)
    m0, m1 = SEASON_MONTHS[code]
    if code == "WI":  # winter 1998 = Dec 1998 - Feb 1999
        y1 = _clamp_year(year + 1)
        return _Period("season", f"{year:04d}-WI", date(year, 12, 1), date(y1, 2, _last_day(y1, 2)))
    return _Period("season", f"{year:04d}-{code}", date(year, m0, 1), date(year, m1, _last_day(year, m1)))


def _decade(decade_start: int) -> _Period:
    y = _clamp_year(decade_start)
    return _Period("decade", f"{y // 10:03d}", date(y, 1, 1), date(_clamp_year(y + 9), 12, 31))


def _century(first_year: int) -> _Period:
    y = _clamp_year(first_year)
    return _Period("decade", f"{y // 100:02d}", date(y, 1, 1), date(_clamp_year(y + 99), 12, 31))


def _shift(p: _Period, k: int) -> _Period:
    """The period ``k`` units of its own granularity later (earlier when negative)."""
    v = p.value
    if p.gran == "day":
        if v.endswith("-WE"):
            return _weekend(p.start + timedelta(weeks=k))
        return _day(p.start + timedelta(days=k))
    if p.gran == "week":
        return _week(p.start + timedelta(weeks=k))
    if p.gran == "month":
        return _month(*_month_add(p.start.year, p.start.month, k))
    if p.gran == "quarter":
        if "-H" in v:
            n = p.start.year * 2 + (int(v[-1]) - 1) + k
            return _half(n // 2, n % 2 + 1)
        n = p.start.year * 4 + (int(v[-1]) - 1) + k
        return _quarter(n // 4, n % 4 + 1)
    if p.gran == "season":
        return _season(p.start.year + k, v[-2:])  # same season k years later (k=±1 in practice)
    if p.gran == "year":
        return _year(p.start.year + k)
    if p.gran == "decade":
        if len(v) == 2:
            return _century(p.start.year + 100 * k)
        return _decade(p.start.year + 10 * k)
    return p


def _with_year_shift(p: _Period, years: int) -> _Period:
    """The same calendar unit ``years`` years earlier/later ("a year earlier" of 1989-Q3 is 1988-Q3)."""
    g = p.gran
    if g == "day":
        y = p.start.year + years
        return _day(date(_clamp_year(y), p.start.month, min(p.start.day, _last_day(_clamp_year(y), p.start.month))))
    if g == "week":
        return _week(p.start + timedelta(weeks=52 * years))
    if g == "month":
        return _month(p.start.year + years, p.start.month)
    if g == "quarter":
        return _half(p.start.year + years, int(p.value[-1])) if "-H" in p.value else _quarter(p.start.year + years, int(p.value[-1]))
    if g == "season":
        return _season(p.start.year + years, p.value[-2:])
    return _year(p.start.year + years)


def _apply_modifier(p: _Period, mod: str | None) -> tuple[date, date]:
    """Narrow [start, end] to the first, middle or last third for START/MID/END."""
    if mod not in ("START", "MID", "END"):
        return p.start, p.end
    total = (p.end - p.start).days + 1
    if p.gran == "month":
        cuts = (10, 20)
    else:
        cuts = (total // 3, (2 * total) // 3)
    if total < 3:
        return p.start, p.end
    if mod == "START":
        return p.start, p.start + timedelta(days=cuts[0] - 1)
    if mod == "MID":
        return p.start + timedelta(days=cuts[0]), p.start + timedelta(days=cuts[1] - 1)
    return p.start + timedelta(days=cuts[1]), p.end


# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------


class _Context:
    """What a normaliser knows: DCT, tense near the expression, last date in the text, the word before.

    ``tense`` may be given as a function, called when a normaliser first reads it (finding the tense
    costs more than most normalisers, and most never ask)."""

    __slots__ = ("dct", "_tense", "ref", "prev", "next")

    def __init__(self, dct: datetime | None, tense: str | Callable[[], str | None] | None = None,
                 ref: _Period | None = None, prev: str = "", next_: str = ""):
        self.dct, self._tense, self.ref, self.prev, self.next = dct, tense, ref, prev, next_

    @property
    def tense(self) -> str | None:
        if callable(self._tense):
            self._tense = self._tense()
        return self._tense


def _number(text: str) -> float | None:
    """'18' -> 18, 'eighteen' -> 18, 'twenty-four' -> 24, 'a' -> 1, 'several' -> None (vague)."""
    t = text.lower().strip().replace("-", " ")
    t = _SPACES.sub(" ", t)
    half = 0.0
    if t.endswith(" and a half"):
        t, half = t[: -len(" and a half")], 0.5
    if t.endswith(" 1/2"):
        t, half = t[:-4], 0.5
    if t in ("a half", "an half", "half a", "half"):
        return 0.5
    try:
        return float(t.replace(",", "")) + half
    except ValueError:
        pass
    if t in _UNITS:
        return _UNITS[t] + half
    parts = t.split()
    if parts and parts[0] in _TENS:
        return _TENS[parts[0]] + (_UNITS.get(parts[1], 0) if len(parts) > 1 else 0) + half
    if t in ("a hundred", "one hundred", "hundred"):
        return 100 + half
    if t == "a dozen":
        return 12
    if t in ("a couple", "a couple of", "couple of", "couple"):
        return 2
    return None


def _unit_name(text: str) -> str:
    u = text.lower()
    if u.startswith("centur"):
        return "century"
    if u.startswith("millenni"):
        return "millennium"
    return u[:-1] if u.endswith("s") and u[:-1] in UNIT_CODES else u


def _duration_value(n: float | None, unit: str) -> str:
    letter, timepart, _ = UNIT_CODES[unit]
    prefix = "PT" if timepart else "P"
    if unit == "weekend":
        return "P2D" if n in (None, 1) else "PXD"
    if unit == "fortnight":
        n = None if n is None else n * 2
    if unit == "century":
        n, letter = (None if n is None else n * 100), "Y"
    if unit == "millennium":
        n, letter = (None if n is None else n * 1000), "Y"
    if n is None:
        return f"{prefix}X{letter}"
    if n != int(n):  # 1.5 years -> P1Y6M, 2.5 hours -> PT2H30M
        whole = int(n)
        sub = {"Y": ("M", 12), "D": ("H", 24), "H": ("M", 60), "W": ("D", 7), "M": ("D", 30)}.get(letter)
        if sub:
            frac = round((n - whole) * sub[1])
            pre = "PT" if timepart or letter == "D" else "P"
            head = f"{whole}{letter}" if whole else ""
            if letter == "D":
                return f"P{head}T{frac}H" if head else f"PT{frac}H"
            return f"{pre}{head}{frac}{sub[0]}"
    return f"{prefix}{int(n)}{letter}"


def _modifier(pre: str | None) -> str | None:
    if not pre:
        return None
    p = pre.lower()
    if "early" in p or "beginning" in p or "start" in p or "dawn" in p or "first half" in p:
        return "START"
    if "mid" in p or "middle" in p:
        return "MID"
    if "late" in p or "end" in p or "close" in p or "second half" in p or "turn" in p:
        return "END"
    return None


def _choose_year(month: int, ctx: _Context, day: int | None = None) -> int:
    """Year of a bare month or month-day: the occurrence nearest the DCT, except that the future
    tense takes the next one and the past tense the last one unless the next is within weeks (and,
    for a bare month, in the DCT's year)."""
    d = ctx.dct.date()
    candidates = []
    for year in (d.year - 1, d.year, d.year + 1):
        y = _clamp_year(year)
        if day is None:
            lo, hi = date(y, month, 1), date(y, month, _last_day(y, month))
        else:
            lo = hi = date(y, month, min(day, _last_day(y, month)))
        gap = 0 if lo <= d <= hi else min(abs((lo - d).days), abs((hi - d).days))
        candidates.append((gap, y, lo > d, hi < d))
    if ctx.tense == "future":  # a day just before the DCT still counts (reports lag their events)
        candidates = [c for c in candidates if not c[3] or (day is not None and c[0] <= 3)] or candidates
    elif ctx.tense == "past":  # a later date only when close (a past-tense report of plans); a bare
        # month not across the new year ("closed in January" written on Dec 30 is last January)
        candidates = [c for c in candidates if not c[2] or (c[0] <= 75 if day is not None else
                                                             c[0] <= 62 and c[1] == d.year)] or candidates
    return min(candidates)[1]


def _since_is_past(ctx: _Context, rel: str = "") -> _Context:
    """The context with past tense when "since" leads the expression ("since March" is behind us)."""
    if rel == "since" or ctx.prev.lower() == "since":
        return _Context(ctx.dct, "past", ctx.ref, ctx.prev, ctx.next)
    return ctx


def _weekday_date(wd: int, ctx: _Context, rel: str | None) -> date:
    d = ctx.dct.date()
    delta = wd - d.isoweekday()
    rel = _SPACES.sub(" ", (rel or "").lower())
    if rel in ("coming", "this coming"):
        return d + timedelta(days=delta if delta > 0 else delta + 7)
    if rel == "next":
        return d + timedelta(days=delta + 7 if delta <= 0 else delta)
    if rel == "last":
        return d + timedelta(days=delta - 7 if delta >= 0 else delta)
    if rel == "this":
        return d + timedelta(days=delta)
    if delta == 0:
        return d
    future = rel != "since" and (ctx.tense == "future" or (rel in ("until", "by") and ctx.tense != "past"))
    if future:
        return d + timedelta(days=delta if delta > 0 else delta + 7)
    return d + timedelta(days=delta if delta < 0 else delta - 7)


def _result(type_: str, value: str, period: _Period | None = None, mod: str | None = None,
            basis: str = "explicit", start: date | None = None, end: date | None = None,
            gran: str | None = None) -> dict:
    if period is not None:
        s, e = _apply_modifier(period, mod)
        start, end, gran = start or s, end or e, gran or period.gran
    return {"type": type_, "value": value, "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None, "granularity": gran, "modifier": mod, "basis": basis}


def _date_result(period: _Period, mod: str | None, basis: str) -> dict:
    return _result("DATE", period.value, period, mod, basis)


def _undated(type_: str, value: str, gran: str | None = None, mod: str | None = None) -> dict:
    return _result(type_, value, None, mod, "undated", gran=gran)


def _norm_mdy(m: re.Match, ctx: _Context) -> dict | None:
    mon = MONTHS.get(m["mon"].lower())
    day = int(re.match(r"\d+", m["day"]).group())
    if mon is None:
        return None
    mod = _modifier(m.groupdict().get("pre"))
    rel = _SPACES.sub(" ", (m.groupdict().get("rel") or "").lower())
    if m["year"]:
        year, basis = int(m["year"]), "explicit"
    elif ctx.dct is not None:
        d = ctx.dct.date()
        if rel in ("last", "next"):  # "last Oct. 23": the latest one before the DCT
            year = d.year
            if rel == "last" and (mon, day) >= (d.month, d.day):
                year -= 1
            elif rel == "next" and (mon, day) <= (d.month, d.day):
                year += 1
        else:
            year = _choose_year(mon, _since_is_past(ctx, rel), day)
        basis = "relative_dct"
    else:
        return _undated("DATE", f"XXXX-{mon:02d}-{day:02d}", "day", mod)
    if day > _last_day(year, mon):
        return None
    if rel == "the week of":
        return _date_result(_week(date(year, mon, day)), None, basis)
    return _date_result(_day(date(year, mon, day)), mod, basis)


def _norm_month(m: re.Match, ctx: _Context) -> dict | None:
    mon = MONTHS.get(m["mon"].lower())
    if mon is None:
        return None
    rel = (m.groupdict().get("rel") or "").lower()
    pre = m.groupdict().get("pre")
    if m["mon"].lower() in _AMBIGUOUS_MONTHS and not rel and not pre and ctx.prev.lower() not in _CUE_WORDS:
        return None
    mod = _modifier(pre) or _modifier(rel if rel in ("early", "late") else None)
    if m.groupdict().get("year"):
        return _date_result(_month(int(m["year"]), mon), mod, "explicit")
    if ctx.dct is None:
        return _undated("DATE", f"XXXX-{mon:02d}", "month", mod)
    d = ctx.dct
    if m.groupdict().get("yrel"):  # "in June last year"
        year = d.year + {"last": -1, "this": 0, "next": 1}[m["yrel"].lower()]
        return _date_result(_month(year, mon), mod, "relative_dct")
    if rel == "last":  # "last February" written in February or March: a year back ("last month" otherwise)
        year = d.year if mon < d.month - 1 else d.year - 1
    elif rel == "next":
        year = d.year if mon > d.month else d.year + 1
    elif rel == "this":
        year = d.year
    else:
        tense = "future" if ctx.prev.lower() in ("until", "till", "by", "through") and ctx.tense != "past" else ctx.tense
        year = _choose_year(mon, _since_is_past(_Context(d, tense, prev=ctx.prev), rel))
    res = _date_result(_month(year, mon), mod, "relative_dct")
    if rel == "since" or ctx.prev.lower() == "since":  # "since mid-January": up to the DCT
        res["end"] = max(d.date(), date.fromisoformat(res["start"])).isoformat()
    return res


def _norm_iso(m: re.Match, ctx: _Context) -> dict | None:
    year, mon, day = int(m["year"]), int(m["mon"]), int(m["day"])
    if len(m["year"]) == 2:
        year += 1900 if year > 30 else 2000
    if not (1 <= mon <= 12 and 1 <= day <= _last_day(year, mon)):
        return None
    p = _day(date(year, mon, day))
    if m.groupdict().get("hh"):
        return _result("TIME", f"{p.value}T{m['hh']}:{m['mm']}", p, None, "explicit")
    return _date_result(p, None, "explicit")


def _norm_year(m: re.Match, ctx: _Context) -> dict | None:
    year = int(m["year"])
    fiscal, pre = m["fiscal"], m["pre"]
    if not fiscal and not pre:  # a bare number: accept only plausible years in running text
        if ctx.prev.lower() in ("no.", "number", "flight", "route", "page", "room", "chapter", "article",
                                "resolution", "model", "version", "pp."):
            return None
        if re.match(r"\s*(?:%|percent|people|men|women|troops|soldiers|feet|meters|miles|km|tons|points|"
                    r"votes|shares|workers|jobs|cars|dollars|yen|barrels|units|employees|members|acres)\b",
                    ctx.next, re.I):
            return None
    return _date_result(_year(year), _modifier(pre), "explicit")


def _word_year(words: str) -> int | None:
    """'nineteen ninety-six' -> 1996, 'eighteen hundred and twelve' -> 1812, 'two thousand one' -> 2001."""
    t = re.sub(r"[\s-]+", " ", words.lower()).replace(" and ", " ").replace(" hundred", "").replace(" oh ", " ")
    if t.startswith("two thousand"):
        rest = t[len("two thousand"):].strip()
        return 2000 + (int(_number(rest) or 0) if rest else 0)
    head, _, rest = t.partition(" ")
    n = _number(rest)
    return _UNITS[head] * 100 + int(n) if n is not None and n < 100 else None


def _norm_wordyear(m: re.Match, ctx: _Context) -> dict | None:
    """A year in words ("nineteen ninety-six", "the year two thousand"), optionally after a month."""
    year = _word_year(m["w"])
    if year is None:
        return None
    if not (m["yr"] or m["mon"] or m["season"] or m["cent"]) and ctx.prev.lower() not in _CUE_WORDS:
        return None  # "two thousand" alone is a number
    if re.match(r"\s*(?:years?|people|dollars|percent|men|women|troops|miles|points|times)\b", ctx.next, re.I):
        return None
    key = (m["mon"] or "").lower()
    mon = MONTHS.get(key) or MONTHS.get(key + ".")
    if m["season"]:  # "the winter of nineteen ninety-four"
        return _date_result(_season(year, SEASONS[m["season"].lower()]), None, "explicit")
    if mon:
        return _date_result(_month(year, mon), None, "explicit")
    return _date_result(_year(year), None, "explicit")


_DECADE_WORDS = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60, "seventies": 70,
                 "eighties": 80, "nineties": 90}


def _norm_decade(m: re.Match, ctx: _Context) -> dict | None:
    """ "the 1990s", "the '80s", "the nineties" (the latest such decade before the DCT)."""
    if m["dec"]:
        start = int(m["dec"])
    elif m["decw"]:
        base = ctx.dct.year if ctx.dct is not None else 1999
        start = base // 100 * 100 + _DECADE_WORDS[m["decw"].lower()]
        if start > base:
            start -= 100
        return _date_result(_decade(start), _modifier(m["pre2"]), "relative_dct" if ctx.dct else "undated")
    else:
        two = int(m["dec2"])
        base = ctx.dct.year if ctx.dct is not None else 1999
        start = base // 100 * 100 + two
        if start > base:
            start -= 100
    return _date_result(_decade(start), _modifier(m["pre"]), "explicit")


def _norm_century(m: re.Match, ctx: _Context) -> dict | None:
    c = m["cent"].lower()
    mod = _modifier(m["pre"])
    if m["crel"]:
        if ctx.dct is None:
            return _undated("DATE", "XX", "decade", mod)
        base = ctx.dct.year // 100 * 100
        k = {"last": -1, "previous": -1, "past": -1, "next": 1}.get(c, 0)
        return _date_result(_century(base + 100 * k), mod, "relative_dct")
    n = ORDINALS.get(c) or int(re.match(r"\d+", c).group()) if re.match(r"\d", c) or c in ORDINALS else None
    if not n:
        return None
    return _date_result(_century((n - 1) * 100), mod, "explicit")


def _recent_quarter(d: datetime) -> _Period:
    """The quarter news of date ``d`` reports on: the last completed one."""
    return _shift(_quarter(d.year, (d.month - 1) // 3 + 1), -1)


_QUARTER_ENDED = re.compile(r"\s+(?:that\s+)?(?:ended|ending|ends)\s+(?P<mon>" + _MONTH + r")\s+(?P<day>\d{1,2})\b"
                            r"(?:,\s+(?P<year>(?:19|20)\d\d))?")


def _norm_quarter(m: re.Match, ctx: _Context) -> dict | None:
    the, rel, ordw, qh = m["the"], (m["rel"] or "").lower(), m["ord"], m["qh"].lower()
    if not (the or rel or ordw or m["yposs"]):
        return None
    if rel == "seasonally slow":
        rel = ""
    if qh == "period":  # "the latest period" of an earnings report: the latest quarter
        if ordw or not (rel == "latest" or (m["ago"] and rel in ("", "same", "comparable", "corresponding"))):
            return None
        qh = "quarter"
    if m["ago"]:  # "the (third) quarter a year ago", "the first half a year ago": the reported quarter, a year back
        rel = "year-ago"
    if m["yposs"] and not ordw:  # "last year's quarter": the reported quarter a year before
        if ctx.dct is None:
            return _undated("DATE", "XXXX-QX", "quarter")
        base = ctx.ref if ctx.ref is not None and ctx.ref.gran == "quarter" else _recent_quarter(ctx.dct)
        shift = {"last": -1, "next": 1}.get(m["yposs"].lower(), 0)
        return _date_result(_with_year_shift(base, shift), None, "relative_text" if ctx.ref else "relative_dct")
    n = ORDINALS.get(ordw.lower()) if ordw else None
    is_half = qh == "half"
    if rel in ("last", "final") and not n and (m["year"] or m["year2"]):  # "the last half of 1989"
        n = 2 if is_half else 4
    if n and n > (2 if is_half else 4):
        return None
    if is_half and not n:
        return None
    make = _half if is_half else _quarter
    year_text = m["year"] or m["year2"]
    ended = _QUARTER_ENDED.match(ctx.next)
    if ended and not n and not is_half and ctx.dct is not None and MONTHS.get(ended["mon"].lower()):
        # "the quarter ended July 31": the calendar quarter that holds most of the three months
        mon, day = MONTHS[ended["mon"].lower()], int(ended["day"])
        year = int(ended["year"]) if ended["year"] else _choose_year(mon, _Context(ctx.dct, "past"), day)
        last = date(year, mon, min(day, _last_day(year, mon))) - timedelta(days=45)
        return _date_result(_quarter(last.year, (last.month - 1) // 3 + 1), None, "relative_dct")
    if n and year_text:
        return _date_result(make(int(year_text), n), None, "explicit")
    if ctx.dct is None:
        return _undated("DATE", f"XXXX-{'H' if is_half else 'Q'}{n or 'X'}", "quarter")
    d = ctx.dct
    cur = _half(d.year, (d.month - 1) // 6 + 1) if is_half else _quarter(d.year, (d.month - 1) // 3 + 1)
    if n:
        yrel = (m["yrel"] or m["yposs"] or "").lower()
        if yrel:
            year = d.year + {"last": -1, "next": 1}.get(yrel, 0)
        else:
            cur_n = int(cur.value[-1])
            if rel in ("next", "coming"):
                year = d.year if n > cur_n else d.year + 1
            elif n <= cur_n or ctx.tense == "future":
                year = d.year
            else:
                year = d.year - 1
        p = make(year, n)
        if rel in ("year-earlier", "year-ago"):
            p = _with_year_shift(p, -1)
        return _date_result(p, None, "relative_dct")
    if rel in ("next", "coming"):
        return _date_result(_shift(cur, 1), None, "relative_dct")
    if rel in ("current", "this") or the == "this":
        return _date_result(cur, None, "relative_dct")
    if rel in ("year-earlier", "year-ago", "comparable"):
        base = ctx.ref if ctx.ref is not None and ctx.ref.gran == "quarter" else (cur if is_half else _recent_quarter(d))
        return _date_result(_with_year_shift(base, -1), None, "relative_text" if ctx.ref else "relative_dct")
    if ctx.ref is not None and ctx.ref.gran == "quarter" and rel in ("", "same"):
        return _date_result(ctx.ref, None, "relative_text")
    return _date_result(_recent_quarter(d) if not is_half else _shift(cur, -1), None, "relative_dct")


def _norm_yearperiod(m: re.Match, ctx: _Context) -> dict | None:
    year, what = int(m["year"]), _SPACES.sub(" ", m["what"].lower())
    n = ORDINALS.get((m["ord"] or "").lower())
    if what in ("quarter", "half") and n:
        return _date_result((_half if what == "half" else _quarter)(year, n), None, "explicit")
    if what in ("quarter", "period", "half"):
        ref = ctx.ref if ctx.ref is not None and ctx.ref.gran == "quarter" else \
            (_recent_quarter(ctx.dct) if ctx.dct is not None else None)
        if ref is not None:
            return _date_result(_with_year_shift(ref, year - ref.start.year), None, "relative_text")
    if "months" in what:
        return _undated("DURATION", "P9M" if "nine" in what else "P6M", "month")
    return _date_result(_year(year), None, "explicit")


def _norm_yearago(m: re.Match, ctx: _Context) -> dict | None:
    what = (m["what"] or "").lower()
    if "months" in what:
        return _undated("DURATION", "P9M" if "nine" in what else "P6M", "month")
    if ctx.dct is None:
        return _undated("DATE", "XXXX", "year")
    ref = _as_quarter(ctx.ref) or ctx.ref
    if ref is None or ref.gran not in ("quarter", "month", "day", "week", "season"):
        ref = _recent_quarter(ctx.dct) if what in ("quarter", "period") else _year(ctx.dct.year)
        basis = "relative_dct"
    else:
        basis = "relative_text"
    return _date_result(_with_year_shift(ref, -1), None, basis)


def _dct_unit(unit: str, d: datetime) -> _Period:
    if unit == "week":
        return _week(d.date())
    if unit == "weekend":
        return _weekend(d.date())
    if unit == "month":
        return _month(d.year, d.month)
    if unit == "year":
        return _year(d.year)
    if unit == "decade":
        return _decade(d.year // 10 * 10)
    if unit == "century":
        return _century(d.year // 100 * 100)
    if unit == "quarter":
        return _quarter(d.year, (d.month - 1) // 3 + 1)
    return _day(d.date())


def _season_of(d: date) -> _Period:
    m = d.month
    if m == 12:
        return _season(d.year, "WI")
    if m <= 2:
        return _season(d.year - 1, "WI")
    return _season(d.year, {3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU"}.get(m, "FA"))


def _norm_rel(m: re.Match, ctx: _Context) -> dict | None:
    rel, unit = m["rel"].lower(), m["unit"].lower()
    quoted = m.string[:m.start()].rstrip(" ").endswith(('"', "\u201c", "`"))
    if quoted and m["rel"][0].isupper() and m["unit"][0].isupper():
        return None  # '"This Week" With David Brinkley': a title
    mod = _modifier(m["pre"])
    whole = m.group(0).lower()
    if rel in ("past", "last") and whole.lstrip().startswith("the") and unit not in SEASONS and unit != "year":
        # "the past month", "the last decade": a duration back from the DCT ("the past year" is
        # last year, as "last year": TimeBank's reading)
        res = _norm_duration_parts(None, 1.0, unit, ctx, "past", False)
        return res
    if unit in SEASONS:
        code = SEASONS[unit]
        if ctx.dct is None:
            return _undated("DATE", f"XXXX-{code}", "season", mod)
        cur = _season_of(ctx.dct.date())
        this = _season(cur.start.year if code != "WI" or cur.value.endswith("WI") else ctx.dct.year - (1 if ctx.dct.month <= 2 else 0), code) \
            if code == "WI" else _season(ctx.dct.year, code)
        if rel in ("last", "past", "previous", "prior"):
            p = this if this.end < ctx.dct.date() else _shift(this, -1)
        elif rel in ("next", "coming", "following"):
            p = this if this.start > ctx.dct.date() else _shift(this, 1)
        else:
            p = this
        return _date_result(p, mod, "relative_dct")
    if ctx.dct is None:
        return _undated("DATE", {"week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX",
                                 "year": "XXXX", "decade": "XXX", "century": "XX"}[unit],
                        UNIT_CODES[unit][2], mod)
    base = _dct_unit(unit, ctx.dct)
    k = {"last": -1, "past": -1, "previous": -1, "prior": -1, "preceding": -1, "next": 1, "coming": 1,
         "following": 1}.get(rel, 0)
    if rel in ("following", "preceding", "same", "that") and ctx.ref is not None:
        ref_unit = _ref_as(unit, ctx.ref)
        if ref_unit is not None:
            return _date_result(_shift(ref_unit, k), mod, "relative_text")
    if unit == "weekend" and rel == "this":
        k = 0
    return _date_result(_shift(base, k), mod, "relative_dct")


def _ref_as(unit: str, ref: _Period) -> _Period | None:
    d = datetime(ref.start.year, ref.start.month, ref.start.day)
    if UNIT_CODES[unit][2] in ("year", "decade") or ref.gran in ("day", "week", "month") or unit == ref.gran:
        return _dct_unit(unit, d)
    return None


def _norm_premod_unit(m: re.Match, ctx: _Context) -> dict | None:
    unit, mod = m["unit"].lower(), _modifier(m["pre"])
    pre = m["pre"].lower()
    if "rest" in pre or "remainder" in pre:
        if ctx.dct is None:
            return _undated("DURATION", f"P{UNIT_CODES[unit][0]}X", UNIT_CODES[unit][2])
        p = _dct_unit(unit, ctx.dct)
        return _result("DATE", p.value, p, None, "relative_dct", start=ctx.dct.date())
    if re.match(r"(?:earlier|later)\s+in\b", pre):  # "earlier in the year": the year itself
        mod = None
    elif mod is None and not re.search(r"\b(?:end|beginning|start|middle|turn|close)\b", pre):
        return None  # "earlier the year" etc.: not a phrase
    if ctx.dct is None:
        return _undated("DATE", "XXXX", UNIT_CODES[unit][2], mod)
    p = _ref_as(unit, ctx.ref) if ctx.ref is not None else None
    return _date_result(p or _dct_unit(unit, ctx.dct), mod, "relative_dct")


def _norm_the_unit(m: re.Match, ctx: _Context) -> dict | None:
    unit = m["unit"].lower()
    if unit == "year":
        if m["unit"] == "Year":
            return None  # "Man of the Year", "the Year III": a title
        # "for the year ended June 30": a year-long duration anchored by its end; otherwise
        # "(for) the (full) year" of a report is the current year
        if m["ended"]:
            return _undated("DURATION", "P1Y", "year")
        if re.match(r"\s*(?:before|after|earlier|later|in\s+which|when)\b", ctx.next, re.I):
            return None  # "the year before": anaphora this rule does not resolve
        if ctx.dct is None:
            return _undated("DATE", "XXXX", "year")
        return _date_result(_year(ctx.dct.year), None, "relative_dct")
    if m["adj"]:
        return None
    if ctx.dct is None:
        return _undated("DATE", "XXXX-WXX" + ("-WE" if unit == "weekend" else ""), UNIT_CODES[unit][2])
    d = ctx.dct.date()
    if unit == "weekend":
        p = _weekend(d)
        if p.start > d and ctx.tense != "future":
            p = _shift(p, -1)
        return _date_result(p, None, "relative_dct")
    return _date_result(_week(d), None, "relative_dct")


def _norm_yearend(m: re.Match, ctx: _Context) -> dict | None:
    """ "by year-end", "around year end": the end of the DCT's year (of the year before after
    "since"), as "the end of the year" (value the year, modifier END)."""
    if ctx.dct is None:
        return _undated("DATE", "XXXX", "year", "END")
    res = _date_result(_year(ctx.dct.year - (1 if ctx.prev.lower() == "since" else 0)), "END", "relative_dct")
    if m["approx"]:  # "around year end": the last third of the year, the modifier says it is vague
        res["modifier"] = "APPROX"
    return res


def _as_quarter(ref: _Period | None) -> _Period | None:
    """A quarter reference, or the quarter a quarter's last day closes ("the quarter ended Sept. 30")."""
    if ref is None:
        return None
    if ref.gran == "quarter":
        return ref
    if ref.gran == "day" and (ref.start.month, ref.start.day) in ((3, 31), (6, 30), (9, 30), (12, 31), (9, 29), (6, 29)):
        return _quarter(ref.start.year, (ref.start.month - 1) // 3 + 1)
    return None


def _norm_ago(m: re.Match, ctx: _Context) -> dict | None:
    n = _number(m["num"])
    unit = _unit_name(m["unit"])
    direction = _SPACES.sub(" ", m["dir"].lower())
    approx = m["approx"]
    mod = "APPROX" if approx or n is None or "or so" in m.group(0).lower() else None
    sign = -1 if direction in ("ago", "earlier") else 1
    if ctx.dct is None:
        return _undated("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", None, mod)
    if n is None:
        return _result("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", None, mod, "relative_dct",
                       start=None if sign < 0 else ctx.dct.date(), end=ctx.dct.date() if sign < 0 else None)
    quarter_ref = _as_quarter(ctx.ref)
    if unit == "year" and n == int(n) and quarter_ref is not None:  # "up from $5 million a year earlier"
        return _date_result(_with_year_shift(quarter_ref, sign * int(n)), mod, "relative_text")
    use_ref = direction in ("earlier", "later") and ctx.ref is not None and unit not in ("year", "decade")
    anchor = ctx.ref.start if use_ref else ctx.dct.date()
    basis = "relative_text" if use_ref else "relative_dct"
    k = sign * n
    if unit in ("second", "minute", "hour"):
        secs = {"second": 1, "minute": 60, "hour": 3600}[unit] * k
        base = datetime(anchor.year, anchor.month, anchor.day, ctx.dct.hour, ctx.dct.minute) if not use_ref \
            else datetime(anchor.year, anchor.month, anchor.day)
        t = base + timedelta(seconds=secs)
        return _result("TIME", t.strftime("%Y-%m-%dT%H:%M"), _day(t.date()), mod, basis)
    if unit in ("day", "night"):
        return _date_result(_day(anchor + timedelta(days=k)), mod, basis)
    if unit in ("week", "fortnight", "weekend"):
        return _date_result(_week(anchor + timedelta(weeks=k * (2 if unit == "fortnight" else 1))), mod, basis)
    if unit == "month":
        if k != int(k):
            k = round(k)
        return _date_result(_month(*_month_add(anchor.year, anchor.month, int(k))), mod, basis)
    if unit == "quarter":
        return _date_result(_shift(_quarter(anchor.year, (anchor.month - 1) // 3 + 1), int(k)), mod, basis)
    if unit == "year":
        if k != int(k):
            y, mo = _month_add(anchor.year, anchor.month, round(k * 12))
            return _date_result(_month(y, mo), mod, basis)
        return _date_result(_year(anchor.year + int(k)), mod, basis)
    if unit == "decade":
        return _date_result(_decade((anchor.year + int(10 * k)) // 10 * 10), mod, basis)
    if unit in ("century", "millennium"):
        return _date_result(_century((anchor.year + int(100 * k)) // 100 * 100), mod, basis)
    return None


_GENERIC_POSSESSOR = re.compile(r"(?i)'s\s+(?:(?:young|modern|fast-changing|changing|global|personal|"
                                r"high-tech)\s+)?(?:world|youth|young|society|generations?|children|kids|"
                                r"teenagers|students|consumers|computers|standards|technology|culture)\b")


def _norm_dayword(m: re.Match, ctx: _Context) -> dict | None:
    w, part, pre = m["w"].lower(), (m["part"] or "").lower(), (m["pre"] or "").lower()
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[w]
    if w in ("today", "tomorrow") and not part and _GENERIC_POSSESSOR.match(ctx.next):
        return None  # "today's youth", "tomorrow's world": nowadays, not a day
    if w == "tomorrow" and not part and ctx.prev.lower() == "of":
        return None  # "the people of tomorrow"
    if ctx.dct is None:
        if w == "today":
            return _undated("DATE", "PRESENT_REF", "day")
        return _undated("TIME" if w == "tonight" or part else "DATE", "XXXX-XX-XX", "day")
    d = ctx.dct.date() + timedelta(days=offset)
    p = _day(d)
    if w == "tonight" or part:
        code = PARTS_OF_DAY.get(part or "night")
        return _result("TIME", f"{p.value}T{code}", p, None, "relative_dct")
    mod = {"early": "START", "late": "END"}.get(pre)
    return _date_result(p, mod, "relative_dct")


def _norm_daybefore(m: re.Match, ctx: _Context) -> dict | None:
    if ctx.dct is None:
        return _undated("DATE", "XXXX-XX-XX", "day")
    k = {"before": -1, "after": 1}[m["dir"].lower()] + {"yesterday": -1, "tomorrow": 1}[m["w"].lower()]
    return _date_result(_day(ctx.dct.date() + timedelta(days=k)), None, "relative_dct")


def _norm_relday(m: re.Match, ctx: _Context) -> dict | None:
    rel, unit = m["rel"].lower(), m["unit"].lower()
    anchor = ctx.ref.start if ctx.ref is not None and ctx.ref.gran == "day" else None
    basis = "relative_text"
    if anchor is None:
        if ctx.dct is None:
            return _undated("DATE", "XXXX-XX-XX", "day")
        anchor, basis = ctx.dct.date(), "relative_dct"
    k = {"following": 1, "next": 1, "previous": -1, "preceding": -1, "prior": -1}.get(rel, 0)
    p = _day(anchor + timedelta(days=k))
    if unit != "day":
        return _result("TIME", f"{p.value}T{PARTS_OF_DAY[unit]}", p, None, basis)
    return _date_result(p, None, basis)


def _norm_partday(m: re.Match, ctx: _Context) -> dict | None:
    rel, part = _SPACES.sub(" ", m["rel"].lower()), m["part"].lower()
    if ctx.dct is None:
        return _undated("TIME", f"XXXX-XX-XXT{PARTS_OF_DAY[part]}", "day")
    k = {"last": -1, "yesterday": -1, "tomorrow": 1}.get(rel, 0)
    if m["day"]:
        k = {"yesterday": -1, "tomorrow": 1}.get(m["day"].lower(), 0)
    p = _day(ctx.dct.date() + timedelta(days=k))
    return _result("TIME", f"{p.value}T{PARTS_OF_DAY[part]}", p, None, "relative_dct")


def _norm_weekday(m: re.Match, ctx: _Context) -> dict | None:
    wd = WEEKDAYS[m["wd"].lower()]
    rel = (m["rel"] or "").lower()
    part = (m["part"] or "").lower()
    if ctx.dct is None:
        value = f"XXXX-WXX-{wd}"
        return _undated("TIME" if part else "DATE", value + (f"T{PARTS_OF_DAY[part]}" if part else ""), "day")
    basis = "relative_dct"
    if rel.startswith("the "):  # "the previous Friday": the one before the day last mentioned
        anchor, basis = (ctx.ref.start, "relative_text") if ctx.ref is not None and ctx.ref.gran == "day" \
            else (ctx.dct.date(), "relative_dct")
        step = -1 if rel.split()[-1] in ("previous", "preceding") else 1
        d = anchor + timedelta(days=step)
        while d.isoweekday() != wd:
            d += timedelta(days=step)
    else:
        d = _weekday_date(wd, ctx, rel)
    p = _day(d)
    mod = {"early": "START", "late": "END"}.get(rel)
    if part:
        return _result("TIME", f"{p.value}T{PARTS_OF_DAY[part]}", p, None, basis)
    return _date_result(p, mod, basis)


def _norm_weekdays(m: re.Match, ctx: _Context) -> dict | None:
    return _undated("SET", f"XXXX-WXX-{WEEKDAYS[m['wd'].lower()]}", "day")


def _clock(text: str) -> tuple[int, int] | None:
    t = text.lower().replace(" ", "")
    if "noon" in t or "midday" in t:
        return 12, 0
    if "midnight" in t:
        return 24, 0
    mm = re.match(r"(\d{1,2})(?::(\d\d))?", t)
    if mm:
        h, mi = int(mm.group(1)), int(mm.group(2) or 0)
    else:
        word = re.match(r"([a-z-]+?)(?:o'clock|inthe)", t)
        n = _number(word.group(1)) if word else None
        if n is None:
            return None
        h, mi = int(n), 0
    if ("p" in t and "m" in t[t.find("p"):] or t.endswith(("afternoon", "evening"))) and h < 12:
        h += 12
    if ("a.m" in t or t.endswith("am")) and h == 12:
        h = 0
    if h > 24 or mi > 59:
        return None
    return h, mi


def _norm_time(m: re.Match, ctx: _Context) -> dict | None:
    hm = _clock(m["clock"])
    if hm is None:
        return None
    clock = m["clock"].lower()
    if ":" in clock and not re.search(r"[ap]\.?m|o'clock", clock) and not m["day"] and not m["mon2"]:
        # "10:30" alone could be a score or a Bible verse: need a cue
        if ctx.prev.lower() not in ("at", "by", "until", "before", "after", "around", "about", "since"):
            return None
    mod = "APPROX" if m["approx"] and re.match(r"(?i)about|around|approx|at about", m["approx"]) else None
    mon = m["mon"] or m["mon2"]
    mday = m["mday"] or m["mday2"]
    day_word = (m["day"] or "").lower()
    if clock in ("noon", "midday") and ctx.prev.lower() == "high":
        return None  # "high noon": a showdown
    hhmm = f"{hm[0]:02d}:{hm[1]:02d}"
    if ctx.dct is None:
        return _undated("TIME", f"XXXX-XX-XXT{hhmm}", "day", mod)
    if mon and mday and MONTHS.get(mon.lower()):
        mo = MONTHS[mon.lower()]
        dy = int(re.match(r"\d+", mday).group())
        y = _choose_year(mo, ctx, dy)
        if dy > _last_day(y, mo):
            return None
        d = date(y, mo, dy)
    elif day_word in WEEKDAYS:
        d = _weekday_date(WEEKDAYS[day_word], ctx, None)
    elif day_word:
        d = ctx.dct.date() + timedelta(days={"yesterday": -1, "tomorrow": 1}.get(day_word, 0))
    else:
        d = ctx.ref.start if ctx.ref is not None and ctx.ref.gran == "day" else ctx.dct.date()
    p = _day(d)
    return _result("TIME", f"{p.value}T{hhmm}", p, mod, "relative_dct")


def _easter(year: int) -> date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = ((h + l_ - 7 * m + 114) % 31) + 1
    return date(year, month, day)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    if n > 0:
        return first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))
    last = date(year, month, _last_day(year, month))
    return last - timedelta(days=(last.isoweekday() - weekday) % 7)


_HOLIDAYS: dict[str, Callable[[int], date]] = {
    "christmas": lambda y: date(y, 12, 25), "christmas day": lambda y: date(y, 12, 25),
    "christmas eve": lambda y: date(y, 12, 24), "new year's eve": lambda y: date(y, 12, 31),
    "new year's day": lambda y: date(y, 1, 1), "new year's": lambda y: date(y, 1, 1),
    "new year": lambda y: date(y, 1, 1), "halloween": lambda y: date(y, 10, 31),
    "independence day": lambda y: date(y, 7, 4), "valentine's day": lambda y: date(y, 2, 14),
    "veterans day": lambda y: date(y, 11, 11), "boxing day": lambda y: date(y, 12, 26),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 4, 4), "thanksgiving day": lambda y: _nth_weekday(y, 11, 4, 4),
    "memorial day": lambda y: _nth_weekday(y, 5, 1, -1), "labor day": lambda y: _nth_weekday(y, 9, 1, 1),
    "easter": _easter, "easter sunday": _easter,
}


def _norm_holiday(m: re.Match, ctx: _Context) -> dict | None:
    name = _SPACES.sub(" ", m["h"].lower())
    fn = _HOLIDAYS.get(name)
    if fn is None:
        return None
    unit = _week if m["week"] else _day  # "Easter week": the week of Easter Sunday
    if m["year"]:
        return _date_result(unit(fn(int(m["year"]))), None, "explicit")
    if ctx.dct is None:
        return _undated("DATE", "XXXX-WXX", "week") if m["week"] else _undated("DATE", "XXXX-XX-XX", "day")
    d = ctx.dct.date()
    this = fn(d.year)
    if ctx.tense == "future":
        day = this if this >= d else fn(d.year + 1)
    else:
        day = this if this <= d + timedelta(days=31) else fn(d.year - 1)
    return _date_result(unit(day), None, "relative_dct")


def _norm_season(m: re.Match, ctx: _Context) -> dict | None:
    season = m["season"].lower()
    rel = (m["rel"] or "").lower().rstrip("-")
    rel2 = (m["rel2"] or "").lower().rstrip("-")
    if season in _AMBIGUOUS_SEASONS and not rel and not m["year"] and (
            ctx.prev.lower() not in _CUE_WORDS or ctx.prev.lower() in ("to", "and", "or")):
        return None  # "to fall", "rise and fall": the verb or noun
    if season in _AMBIGUOUS_SEASONS and not m["year"] and re.match(r"\s+of\s+(?!\d)", ctx.next):
        return None  # "the fall of Kabul", "the spring of discontent": a collapse, not a season
    if not rel and not rel2 and not m["year"] and ctx.prev.lower() not in _CUE_WORDS:
        return None
    code = SEASONS[season]
    mod = _modifier(rel2 or (rel if rel in ("early", "late", "mid") else None))
    if m["year"]:
        return _date_result(_season(int(m["year"]), code), mod, "explicit")
    if ctx.dct is None:
        return _undated("DATE", f"XXXX-{code}", "season", mod)
    d = ctx.dct.date()
    this = _season(d.year if code != "WI" or d.month == 12 else d.year - 1, code)
    if rel == "last":
        p = this if this.end < d else _shift(this, -1)
    elif rel == "next":
        p = this if this.start > d else _shift(this, 1)
    elif rel == "this":
        p = this
    elif ctx.tense == "future":
        p = this if this.end >= d else _shift(this, 1)
    else:
        p = this if this.start <= d else _shift(this, -1)
    return _date_result(p, mod, "relative_dct")


def _norm_duration_parts(det: str | None, n: float | None, unit: str, ctx: _Context, anchor_dir: str | None,
                         approx: bool) -> dict:
    value = _duration_value(n, unit)
    gran = UNIT_CODES[unit][2]
    mod = "APPROX" if approx else None
    if anchor_dir is None or ctx.dct is None:
        return _undated("DURATION", value, gran, mod)
    d = ctx.dct.date()
    k = n if n is not None else 3  # "the past few weeks": about three
    days = {"second": 0, "minute": 0, "hour": 0, "day": 1, "night": 1, "weekend": 2, "week": 7,
            "fortnight": 14, "month": 30.44, "quarter": 91.3, "year": 365.25, "decade": 3652.5,
            "century": 36525, "millennium": 365250}[unit] * k
    span = timedelta(days=round(days))
    if anchor_dir == "past":
        return _result("DURATION", value, None, mod, "relative_dct", start=d - span, end=d, gran=gran)
    return _result("DURATION", value, None, mod, "relative_dct", start=d, end=d + span, gran=gran)


_PAST_MODS = {"past", "last", "previous", "preceding", "recent"}
_FUTURE_MODS = {"next", "coming", "following", "ensuing", "upcoming", "subsequent"}


def _norm_duration(m: re.Match, ctx: _Context) -> dict | None:
    unit = _unit_name(m["unit"])
    num = m["num"].lower()
    n = _number(num)
    mods = set(re.findall(r"[a-z]+", (m["mods"] or "").lower()))
    if num in ("a", "an") and unit in ("second", "minute") and not mods and not m["det"]:
        return None  # "wait a minute"
    if unit == "quarter" and n is not None and not m["pl"] and num in ("a", "an", "one"):
        return None  # "a quarter of the ..."
    if unit == "quarter" and re.search(r"\w[- ]quarters$", m.group(0)) and re.match(r"\s+of\b", ctx.next):
        return None  # "three-quarters of its food": a fraction
    if unit == "night" and n is None:
        return None
    approx = bool(mods & {"about", "around", "approximately", "roughly", "nearly", "almost", "some"}) or \
        "or so" in m.group(0).lower() or " or " in m.group(0).lower() or " to " in m.group(0).lower()
    anchor = "past" if mods & _PAST_MODS else ("future" if mods & _FUTURE_MODS else None)
    return _norm_duration_parts(m["det"], n, unit, ctx, anchor, approx)


def _norm_vague(m: re.Match, ctx: _Context) -> dict | None:
    unit = _unit_name(m["unit"] + "s")
    mod = m["mod"].lower()
    if mod == "recent" and unit in ("year", "decade") and not m["det"]:
        return _result("DATE", "PAST_REF", None, None, "relative_dct",
                       end=ctx.dct.date() if ctx.dct else None) if ctx.dct else _undated("DATE", "PAST_REF")
    anchor = "past" if mod in _PAST_MODS else ("future" if mod in _FUTURE_MODS or "ahead" in m.group(0) else None)
    return _norm_duration_parts(m["det"], None, unit, ctx, anchor, False)


def _norm_bare_plural(m: re.Match, ctx: _Context) -> dict | None:
    return _undated("DURATION", _duration_value(None, _unit_name(m["unit"] + "s")),
                    UNIT_CODES[_unit_name(m["unit"] + "s")][2])


def _norm_set(m: re.Match, ctx: _Context) -> dict | None:
    unit = m["unit"].lower()
    if unit in WEEKDAYS:
        return _undated("SET", f"XXXX-WXX-{WEEKDAYS[unit]}", "day")
    if unit in MONTHS:
        return _undated("SET", f"XXXX-{MONTHS[unit]:02d}", "month")
    if unit in SEASONS:
        return _undated("SET", f"XXXX-{SEASONS[unit]}", "season")
    unit = _unit_name(unit)
    n = _number(m["num"]) if m["num"] else 1
    if "other" in m.group(0).lower():
        n = (n or 1) * 2
    return _undated("SET", _duration_value(n, unit), UNIT_CODES[unit][2])


_SET_ADVERBS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
                "hourly": "PT1H", "nightly": "P1D", "biweekly": "P2W",
                "semiannually": "P6M", "semi-annually": "P6M", "bimonthly": "P2M"}


def _norm_setadv(m: re.Match, ctx: _Context) -> dict | None:
    v = _SET_ADVERBS[m["adv"].lower()]
    return _undated("SET", v, {"D": "day", "W": "week", "M": "month", "Y": "year", "H": "day"}[v[-1]])


def _norm_rate(m: re.Match, ctx: _Context) -> dict | None:
    unit = m["unit"].lower()
    return _undated("SET", _duration_value(1, unit), UNIT_CODES[unit][2])


_GENERIC = {"then current": "PAST_REF", "then-current": "PAST_REF",
            "now": "PRESENT_REF", "right now": "PRESENT_REF", "just now": "PRESENT_REF",
            "currently": "PRESENT_REF", "current": "PRESENT_REF", "nowadays": "PRESENT_REF",
            "these days": "PRESENT_REF", "at present": "PRESENT_REF", "presently": "PRESENT_REF",
            "the moment": "PRESENT_REF", "recently": "PAST_REF", "recent": "PAST_REF", "lately": "PAST_REF",
            "the past": "PAST_REF", "formerly": "PAST_REF", "previously": "PAST_REF", "earlier": "PAST_REF",
            "soon": "FUTURE_REF"}


def _norm_generic(m: re.Match, ctx: _Context) -> dict | None:
    g = _SPACES.sub(" ", m["g"].lower())
    value = _GENERIC.get(g) or ("FUTURE_REF" if g.endswith(("future", "term")) else None)
    if value is None:
        return None
    if ctx.dct is None:
        return _undated("DATE", value)
    d = ctx.dct.date()
    if value == "PRESENT_REF":
        return _result("DATE", value, _day(d), None, "relative_dct")
    if value == "PAST_REF":
        return _result("DATE", value, None, None, "relative_dct", end=d)
    return _result("DATE", value, None, None, "relative_dct", start=d)


_NORMALISERS: dict[str, Callable[[re.Match, _Context], dict | None]] = {
    "mdy": _norm_mdy, "dmy": _norm_mdy, "my": _norm_month, "month": _norm_month, "iso": _norm_iso,
    "slash": _norm_iso, "year": _norm_year, "wordyear": _norm_wordyear, "decade": _norm_decade, "century": _norm_century,
    "quarter": _norm_quarter, "yearperiod": _norm_yearperiod, "yearago": _norm_yearago, "rel": _norm_rel, "premod_unit": _norm_premod_unit,
    "the_unit": _norm_the_unit, "yearend": _norm_yearend, "ago": _norm_ago, "dayword": _norm_dayword,
    "daybefore": _norm_daybefore, "relday": _norm_relday, "partday": _norm_partday, "weekday": _norm_weekday, "weekdays": _norm_weekdays,
    "time": _norm_time, "holiday": _norm_holiday, "season": _norm_season, "duration": _norm_duration,
    "vague": _norm_vague, "bare_plural": _norm_bare_plural, "set": _norm_set, "setadv": _norm_setadv,
    "rate": _norm_rate, "generic": _norm_generic,
}
assert set(_NORMALISERS) == {k for k, _ in _PATTERN_SPECS}

# --------------------------------------------------------------------------------------------
# Recognition over a text
# --------------------------------------------------------------------------------------------

_LEADING_PREPS = re.compile(r"(?i)^(?:on|since|until|till|by|from|in|at|during|through|for)\s+")


# Trigger words (lower case): one scan of the lower-cased text finds them; each pattern is then
# tried only at the few word starts just before a trigger of its class.
_UNIT_KINDS = ("rel", "premod_unit", "the_unit", "duration", "vague", "bare_plural", "relday", "yearago",
               "daybefore", "set", "rate", "quarter", "century", "ago")
_TRIGGER_WORDS: dict[tuple[str, ...], str] = {  # kinds to try -> their trigger words
    ("weekday", "weekdays", "time", "set", "mdy", "dmy"):
        "monday tuesday wednesday thursday friday saturday sunday",
    ("dayword", "daybefore", "time"): "today yesterday tomorrow tonight",
    ("mdy", "dmy", "my", "month", "set", "time"):
        "january february march april may june july august september october november december "
        "jan feb mar apr jun jul aug sept sep oct nov dec",
    ("partday", "relday", "duration", "weekday", "dayword", "time"): "morning afternoon evening night overnight",
    ("season", "rel", "set"): "spring summer fall autumn winter",
    ("setadv",): "daily weekly monthly annually yearly hourly nightly biweekly semiannually semi-annually bimonthly",
    _UNIT_KINDS: "second minute hour day week weekend weekends fortnight month quarter half year decade centur millenni",
    ("ago",): "ago earlier later hence",
    ("yearend",): "year yearend",
    ("decade",): "0s 0's twenties thirties forties fifties sixties seventies eighties nineties",
    ("quarter",): "period",
    ("wordyear",): "nineteen eighteen thousand",
    ("time",): "a.m a.m. p.m am pm noon midnight midday o'clock",
    ("holiday",): "christmas thanksgiving new easter halloween independence memorial labor valentine's veterans boxing",
    ("set",): "every each per",
    ("generic",): "now currently current recently recent past future nowadays lately these present presently formerly "
                  "term",
}
_TRIGGER_KINDS: dict[str, tuple[str, ...]] = {}
for _kinds, _words in _TRIGGER_WORDS.items():
    for _w in _words.split():
        _TRIGGER_KINDS[_w] = tuple(dict.fromkeys(_TRIGGER_KINDS.get(_w, ()) + _kinds))
for _w in ("seconds minutes hours days weeks fortnights months quarters halves years decades centuries century "
           "millennium millennia nights mornings evenings afternoons mondays tuesdays wednesdays thursdays "
           "fridays saturdays sundays").split():
    _stem = _w[:-1] if _w.endswith("s") and _w[:-1] in _TRIGGER_KINDS else {"halves": "half", "centuries": "centur",
                                                                           "century": "centur"}.get(_w, _w[:6])
    _TRIGGER_KINDS.setdefault(_w, _TRIGGER_KINDS.get(_stem, _UNIT_KINDS))
# Which unit words each unit pattern can hold (a speed-up only: a pattern is not tried at a unit
# word that its match could not contain, e.g. "the_unit" at "months"; "second" and "half" come
# from "the second half of", ordinals and "a half")
_PLURAL_UNITS = {"seconds", "minutes", "hours", "days", "weeks", "months", "quarters", "years", "decades", "centuries"}
_UNIT_WORDS_IN = {
    "rel": {"week", "weekend", "month", "year", "decade", "century", "second", "half"},
    "premod_unit": {"week", "month", "year", "decade", "century", "second", "half"},
    "the_unit": {"week", "weekend", "year"}, "yearend": {"year", "yearend"},
    "vague": _PLURAL_UNITS, "bare_plural": _PLURAL_UNITS - {"quarters"},
    "relday": {"day"}, "daybefore": {"day"}, "rate": {"year", "month", "week", "day", "quarter"},
    "yearago": {"year", "quarter", "months", "half", "month", "week"},
    "quarter": {"quarter", "half", "period", "year", "second"}, "century": {"century", "second", "half"},
}
for _w in set(_TRIGGER_WORDS[_UNIT_KINDS].split()) | _PLURAL_UNITS | {"weekends", "fortnights", "halves", "century",
                                                                       "millennium", "millennia", "yearend"}:
    if _w in _TRIGGER_KINDS:
        _TRIGGER_KINDS[_w] = tuple(k for k in _TRIGGER_KINDS[_w] if k not in _UNIT_WORDS_IN or _w in _UNIT_WORDS_IN[k])


def _trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching exactly ``words``, written as a trie (the regex engine then tries
    one branch per letter instead of every word).

    >>> _trie_pattern(["year", "years", "yearend", "day"])
    '(?:day|year(?:end|s)?)'
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branches(node: dict) -> str:
        alternatives = [re.escape(char) + branches(child) for char, child in sorted(node.items()) if char]
        if not alternatives:
            return ""
        group = "(?:" + "|".join(alternatives) + ")"
        return group + "?" if "" in node else group if len(alternatives) > 1 else alternatives[0]

    return "(?:" + "|".join(re.escape(char) + branches(child) for char, child in sorted(trie.items())) + ")"


_TRIGGER_WORD = _trie_pattern(word for word in _TRIGGER_KINDS if word.isalpha()) + r"(?![a-z])"
_TRIGGER_SCAN = re.compile(r"(?:[^a-z\d]++|(?!" + _TRIGGER_WORD + r")[a-z]++)*+(?:(?P<word>" + _TRIGGER_WORD
                           + r")|(?P<number>\d+(?:[:/.]\d+)*(?:'?s)?))?")
r"""Over lower-cased text, the next token of ``[a-z]+|\d+(?:[:/.]\d+)*(?:'?s)?`` that is a trigger word
or a number (group ``word`` or ``number``; neither at the end), the other words skipped inside the scan."""
_TIME_TRIGGER = re.compile(r"\d\s*[ap]\.?m\b|\d\s+o'clock")
_LOOKBACK = {  # how many words a match may start before its trigger word
    "mdy": 6, "dmy": 4, "my": 6, "month": 6, "iso": 0, "slash": 0, "year": 7, "wordyear": 4, "decade": 6, "century": 7,
    "quarter": 5, "yearago": 1, "yearperiod": 1, "rel": 8, "premod_unit": 7, "the_unit": 2, "yearend": 2, "ago": 8, "dayword": 1,
    "daybefore": 2, "relday": 2, "partday": 3, "weekday": 3, "weekdays": 0, "time": 8, "holiday": 0,
    "season": 8, "duration": 8, "vague": 5, "bare_plural": 1, "set": 4, "setadv": 0, "rate": 2,
    "generic": 2,
}
assert set(_LOOKBACK) == set(_NORMALISERS) and all(k in _NORMALISERS for ks in _TRIGGER_KINDS.values() for k in ks)
_RX = dict(_PATTERNS)
_WINDOW_BEFORE, _WINDOW_AFTER = 80, 90
_WORD_START = re.compile(r"(?<![\w'])[\w']")


# Patterns whose month, weekday or holiday name is case sensitive: a lower-case trigger ("may",
# "march", "new") cannot be inside their match, so they are not tried there (a speed-up only).
_CASED_KINDS = frozenset({"mdy", "dmy", "my", "month", "weekday", "weekdays", "holiday", "time"})
_UNCASED_KINDS = {w: tuple(k for k in _TRIGGER_KINDS[w] if k not in _CASED_KINDS)
                  for w in (_TRIGGER_WORDS[("mdy", "dmy", "my", "month", "set", "time")] + " "
                            + _TRIGGER_WORDS[("weekday", "weekdays", "time", "set", "mdy", "dmy")] + " "
                            + _TRIGGER_WORDS[("holiday",)]).split()}
_CLOCK_HINT = re.compile(r"\d|o'clock|noon|midnight|midday|in\s+the\s+(?:morning|afternoon|evening)")

_YEAR_KINDS = ("year", "iso", "my", "mdy", "dmy", "season", "quarter", "yearperiod")


# The first two characters each pattern's matches can start with (a speed-up only: a word start whose
# two ASCII characters are not among them is not tried; non-ASCII ones always are). Read from the
# patterns' parse trees; single characters are classified by ``re`` itself.
_ASCII = [chr(code) for code in range(128)]
_CATEGORY_CLASSES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
                     "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}


@lru_cache(maxsize=None)
def _ascii_matching(char_class: str, ignorecase: bool) -> frozenset[str]:
    """The ASCII characters a one-character pattern (``"a"``, ``"[^a-z\\d]"``) matches."""
    rx = re.compile(char_class, re.IGNORECASE if ignorecase else 0)
    return frozenset(c for c in _ASCII if rx.fullmatch(c))


def _class_pattern(items: list) -> str:
    """A parsed character class (``IN`` items) written back as a pattern: ``"[^a-z\\d]"``."""
    parts = []
    for op, av in items:
        if op.name == "NEGATE":
            parts.insert(0, "^")
        elif op.name == "LITERAL":
            parts.append(re.escape(chr(av)))
        elif op.name == "RANGE":
            parts.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op.name == "CATEGORY":
            parts.append(_CATEGORY_CLASSES[av.name])
        else:
            raise ValueError(op)
    return f"[{''.join(parts)}]"


def _join(heads: set[str], tails: set[str]) -> set[str]:
    """The first two characters of a head followed by a tail."""
    short = [head for head in heads if len(head) < 2]
    if not short:
        return heads
    return {head for head in heads if len(head) == 2} | {(head + tail)[:2] for head in short for tail in tails}


def _prefixes(items: list, ignorecase: bool) -> set[str]:
    """The first (up to) two ASCII characters of the strings a parsed pattern sequence matches."""
    out = {""}
    for op, av in items:
        if all(len(head) == 2 for head in out):
            break
        out = _join(out, _node_prefixes(op.name, av, ignorecase))
    return out


def _node_prefixes(op: str, av: Any, ignorecase: bool) -> set[str]:
    """:func:`_prefixes` of one parsed node (op name and argument); ValueError for one not read here."""
    if op == "LITERAL":
        return set(_ascii_matching(re.escape(chr(av)), ignorecase))
    if op == "NOT_LITERAL":
        return set(_ascii_matching(f"[^{re.escape(chr(av))}]", ignorecase))
    if op == "ANY":
        return set(_ascii_matching(".", False))
    if op == "IN":
        return set(_ascii_matching(_class_pattern(av), ignorecase))
    if op == "BRANCH":
        return set().union(*(_prefixes(alternative, ignorecase) for alternative in av[1]))
    if op == "SUBPATTERN":
        _, add_flags, del_flags, items = av
        return _prefixes(items, (ignorecase or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE)
    if op == "ATOMIC_GROUP":
        return _prefixes(av, ignorecase)
    if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, items = av
        once = _prefixes(items, ignorecase)
        return set().union(*[{""}, once, _join(once, once)][min(low, 2):min(high, 2) + 1])
    if op in ("AT", "ASSERT", "ASSERT_NOT"):
        return {""}  # zero width
    raise ValueError(op)


def _start_pairs(rx: re.Pattern) -> frozenset[str] | None:
    """The two ASCII characters every match of ``rx`` that starts with two ASCII characters starts
    with; None when unknown (a match may be shorter, or the pattern uses a construct not read here).

    >>> sorted(_start_pairs(re.compile("(?i:no)w|then")))
    ['NO', 'No', 'nO', 'no', 'th']
    """
    try:
        from re import _parser  # the parser behind re.compile (Python >= 3.11)

        pairs = _prefixes(_parser.parse(rx.pattern, rx.flags).data, bool(rx.flags & re.IGNORECASE))
    except (ImportError, AttributeError, ValueError, KeyError):
        return None
    return frozenset(pairs) if all(len(pair) == 2 for pair in pairs) else None


_START_PAIRS = {kind: _start_pairs(rx) for kind, rx in _PATTERNS}


def _number_trigger(word: str) -> tuple[str, ...] | None:
    """Kinds to try at a number token: a year, a decade ("1990s"), a clock time or a slash date."""
    if ":" in word:
        return ("time",)
    if "/" in word:
        return ("slash",)
    if word.endswith("s"):
        return ("decade",) if word.rstrip("'s").endswith("0") else None
    if len(word) >= 4 and word[0] in "12" and word[:4].isdigit():
        return _YEAR_KINDS
    return None


def find_candidates(text: str) -> list[tuple[int, int, str, re.Match]]:
    """All pattern matches in ``text`` as (start, end, kind, match), longest first among overlaps.

    One scan finds trigger words (a month, a unit, "ago"...); each pattern of the trigger's class is
    tried at the word starts shortly before it, and kept when its match covers the trigger.
    """
    lower = text.lower()
    if len(lower) != len(text):  # a few non-ASCII letters change length when lower-cased
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    n = len(text)
    found: dict[tuple[int, int, str], re.Match] = {}
    tried: set[tuple[str, int]] = set()
    hits = []
    get = _TRIGGER_KINDS.get
    for t in _TRIGGER_SCAN.finditer(lower):
        word = t["word"]
        if word is not None:
            kinds = get(word)
        else:
            word = t["number"]
            if word is None:
                continue
            kinds = get(word) or _number_trigger(word)
            if kinds is None:
                continue
        ts, te = t.span(t.lastgroup)
        if word in _UNCASED_KINDS and text[ts].islower():
            kinds = _UNCASED_KINDS[word]  # "may", "march", "new": the capitalised patterns cannot match
        hits.append((ts, te, kinds))
    hits += [(*t.span(), ("time",)) for t in _TIME_TRIGGER.finditer(lower)]
    ascii_text = text.isascii()
    for ts, te, kinds in hits:
        endpos = min(n, te + _WINDOW_AFTER)
        starts = list(map(re.Match.start, _WORD_START.finditer(text, max(0, ts - _WINDOW_BEFORE), ts + 1)))
        for kind in kinds:
            rx = _RX[kind]
            positions = starts[-1 - _LOOKBACK[kind]:]
            if kind == "time" and not _CLOCK_HINT.search(lower, positions[0], endpos):
                continue  # every clock time holds a digit, "noon", "midnight", "o'clock"...
            pairs = _START_PAIRS[kind]
            for pos in positions:
                head = text[pos:pos + 2]
                if pairs is not None and head not in pairs and (ascii_text or head.isascii()):
                    continue  # the pattern cannot start here
                if (kind, pos) in tried:
                    continue
                m = rx.match(text, pos, endpos)
                if m is not None and m.end() >= te and m.end() > m.start():
                    tried.add((kind, pos))
                    found.setdefault((m.start(), m.end(), kind), m)
                    break
    ordered = [(s, e, kind, m) for (s, e, kind), m in found.items()]
    ordered.sort(key=lambda c: (-(c[1] - c[0]), _KIND_PRIORITY[c[2]], c[0]))
    return ordered


def _trim(text: str, start: int, end: int, m: re.Match) -> tuple[int, int]:
    """Span of the expression proper: the ``t`` group when present, without a leading preposition
    (kept in the match for the normaliser) and without trailing spaces/commas."""
    if "t" in m.re.groupindex and m.group("t") is not None:
        start, end = m.span("t")
    lead = _LEADING_PREPS.match(text[start:end])
    if lead and start + lead.end() < end:
        start += lead.end()
    while end > start and text[end - 1] in " ,\n\t":
        end -= 1
    return start, end


class _Found:
    """A chosen match and the shorter matches inside it, tried in turn if its normaliser declines."""

    __slots__ = ("start", "end", "kind", "match", "alternatives")

    def __init__(self, start: int, end: int, kind: str, match: re.Match):
        self.start, self.end, self.kind, self.match = start, end, kind, match
        self.alternatives: list[_Found] = []


def select_spans(text: str) -> list[_Found]:
    """Non-overlapping matches, longest first, in text order (each with its nested alternatives)."""
    chosen: list[_Found] = []
    trimmed = [(*_trim(text, s, e, m), kind, m) for s, e, kind, m in find_candidates(text)]
    trimmed.sort(key=lambda c: (-(c[1] - c[0]), _KIND_PRIORITY[c[2]], c[0]))  # longest expression first
    for s2, e2, kind, m in trimmed:
        if e2 <= s2:
            continue
        overlapping = [c for c in chosen if s2 < c.end and c.start < e2]
        if not overlapping:
            chosen.append(_Found(s2, e2, kind, m))
        elif len(overlapping) == 1 and overlapping[0].start <= s2 and e2 <= overlapping[0].end:
            overlapping[0].alternatives.append(_Found(s2, e2, kind, m))
    chosen.sort(key=lambda f: f.start)
    return chosen


def _neighbours(text: str, start: int, end: int) -> tuple[str, str]:
    pm = _PREV_WORD.search(text, max(0, start - 30), start)
    return (pm.group(1) if pm else ""), text[end:end + 24]


_TENSE_CUES = re.compile(
    r"(?i)\b(?P<future>(?:will|'ll|shall|won't|wo|would)(?:\s+not)?(?:\s+(?:be|have|have\s+been))?\s+[a-z]+|effective|will|'ll|shall|won't|wo|would|(?:is|are|am|was|were)\s+(?:going|due|scheduled|expected|set|likely|planning|preparing|about)\s+to|"
    r"(?:is|are)\s+to\s+[a-z]+|(?:set|poised|slated)\s+to\s+[a-z]+|plans?\s+to|planned\s+to|planning\s+to|intends?\s+to|aims?\s+to|scheduled|expected|"
    r"as\s+soon\s+as|(?<=.)until)\b|"
    r"\b(?P<past>was|were|had|did|said|told|met|went|came|took|made|left|began|fell|rose|saw|gave|got|held|"
    r"won|lost|sold|paid|spent|hit|struck|sent|led|fought|broke|built|bought|brought|chose|ran|grew|knew|"
    r"thought|found|became|kept|put|set|shot|fled|flew|wrote|spoke|stood|agreed|[a-z]{2,}ed)\b|"
    r"\b(?P<present>is|are|am|has|have|does|do)\b")
_TENSE_CUES_LOWER = re.compile(_TENSE_CUES.pattern.removeprefix("(?i)"))
"""The same cues, case sensitive, for lower-cased ASCII text (about 3x faster than ``(?i)``)."""
_NOT_PAST = frozenset({"expected", "scheduled", "planned", "proposed", "needed", "based", "related", "limited",
                       "united", "speed", "need", "indeed", "proceed", "succeed", "exceed", "feed", "seed",
                       "embed", "bed", "red", "hundred"})


_DETERMINER_BEFORE = re.compile(r"(?i)\b(?:a|an|the|its|their|his|her|our|this|that|still|newly|previously)\s+$")


def _is_adjective(text: str, m: re.Match) -> bool:
    """Whether an -ed cue is a participle used as an adjective ("a still unspecified date")."""
    return m.group().lower().endswith("ed") and _DETERMINER_BEFORE.search(text, max(0, m.start() - 16), m.start()) \
        is not None


def _tense_cues(text: str) -> tuple[str, Iterator[re.Match]]:
    """The text searched and its tense cues in order: ASCII text is lower-cased for the case-sensitive
    copy of the cues (same matches; other text keeps ``(?i)``, whose Unicode case folding differs)."""
    if text.isascii():
        text = text.lower()
        return text, _TENSE_CUES_LOWER.finditer(text)
    return text, _TENSE_CUES.finditer(text)


def _tense_from_text(before: str, after: str) -> str | None:
    """Rough tense of the clause around an expression from the nearest tense cue in its words:
    'future' (will, plans to...), 'past' (was, said, -ed...), 'present' (is, has...) or None."""
    best, best_dist = None, 10 ** 6
    before, cues_before = _tense_cues(before)
    for m in reversed(list(cues_before)):  # the last cue before the expression is the nearest
        if m.lastgroup == "past" and (m.group().lower() in _NOT_PAST or _is_adjective(before, m)):
            continue
        if len(before) - m.end() <= best_dist:
            best, best_dist = m.lastgroup, len(before) - m.end()
        break
    after, cues_after = _tense_cues(after)
    for m in cues_after:
        if 2 * m.start() >= best_dist:  # a cue after the expression counts at twice its distance
            break
        if m.lastgroup == "past" and (m.group().lower() in _NOT_PAST or _is_adjective(after, m)):
            continue
        best, best_dist = m.lastgroup, 2 * m.start()
        break
    return best


def _period_from(res: dict) -> _Period | None:
    """A result's calendar unit, to anchor later "a year earlier", "the next day"."""
    if res["type"] not in ("DATE", "TIME") or not res["start"] or not res["end"] or res["granularity"] is None:
        return None
    v = res["value"]
    if not _FOUR_DIGITS.match(v):
        return None
    start = date.fromisoformat(res["start"])
    g = res["granularity"]
    if res["type"] == "TIME" or g == "day":
        return _day(start) if not v.endswith("WE") else _weekend(start)
    if g == "week":
        return _week(start)
    if g == "month":
        return _month(int(v[:4]), int(v[5:7])) if re.match(r"\d{4}-\d\d$", v) else None
    if g == "quarter":
        if re.match(r"\d{4}-Q[1-4]$", v):
            return _quarter(int(v[:4]), int(v[-1]))
        if re.match(r"\d{4}-H[12]$", v):
            return _half(int(v[:4]), int(v[-1]))
        return None
    if g == "season":
        return _season(int(v[:4]), v[-2:]) if re.match(r"\d{4}-(SP|SU|FA|WI)$", v) else None
    if g == "year":
        return _year(int(v[:4])) if re.match(r"\d{4}$", v) else None
    return None


def annotate_text(text: str, dct: str | date | None = None,
                  tense_of: Callable[[int, int], str | None] | None = None) -> list[tuple[int, int, dict]]:
    """Find and resolve every time expression in ``text``: [(char_start, char_end, timex dict)].

    ``tense_of(start, end)`` gives the tense around a span ('past', 'present', 'future' or None);
    by default it is read from the words of the clause. It is called only for the expressions whose
    normaliser asks for the tense (a bare month or weekday, not "June 5, 2020").

    >>> [(text, t["value"]) for s, e, t in annotate_text("He left last week.", "1998-01-08")
    ...  for text in ["He left last week."[s:e]]]
    [('last week', '1998-W01')]
    """
    dctime = _parse_dct(dct)
    found = select_spans(text)
    narrative = _is_narrative(found, dctime)
    out: list[tuple[int, int, dict]] = []
    ref: _Period | None = None
    if tense_of is None:
        tense_of = partial(_tense_around, text)
    for f in found:
        anchor, basis_override = dctime, None
        tense: Callable[[], str | None] | None = partial(tense_of, f.start, f.end)
        if narrative and ref is not None and _follows_narrative(f):
            # a narrative (history, a story told with its own dates): resolve against the last date
            # mentioned rather than the publication time; a bare month or day takes the year that puts
            # it nearest that date (the clause's tense says nothing about the story's time line)
            mid = ref.start + (ref.end - ref.start) / 2  # "In 1944 ... in December": December 1944
            anchor = datetime(mid.year, mid.month, mid.day)
            tense, basis_override = None, "relative_text"
        ctx = _Context(anchor, tense, ref)  # one per expression: its tense is found once, if asked for
        res = None
        for option in [f, *f.alternatives]:
            ctx.prev, ctx.next = _neighbours(text, option.start, option.end)
            try:
                res = _NORMALISERS[option.kind](option.match, ctx)
            except (ValueError, OverflowError, KeyError, TypeError, AttributeError):
                res = None
            if res is not None:
                f = option
                break
        if res is None:
            continue
        if res["start"] and res["end"] and res["start"] > res["end"]:
            res["start"], res["end"] = res["end"], res["start"]
        if basis_override and res["basis"] == "relative_dct":
            res["basis"] = basis_override
        end = f.end
        if not narrative and _is_anchored_duration(f, res):
            # TimeML (news): "three days later" is the duration "three days" and the signal "later";
            # the interval stays the day it points to
            unit = _unit_name(f.match["unit"])
            res = {**res, "type": "DURATION", "value": _duration_value(_number(f.match["num"]), unit)}
            end = len(text[:f.match.start("dir")].rstrip())
        out.append((f.start, end, res))
        if _is_year_to_date(f, res) and anchor is not None:
            ref = _year(anchor.year)  # "for the nine months ... a year earlier": the year, not a quarter
        elif res["basis"] == "explicit" or (res["basis"] == "relative_dct" and res["granularity"] in ("day", "quarter")) \
                or (not narrative and res["basis"] == "relative_dct" and res["granularity"] == "month") \
                or (narrative and res["basis"] == "relative_text" and res["granularity"] in ("day", "month")):
            p = _period_from(res)
            if p is not None:
                ref = p
    return out


def _tense_around(text: str, start: int, end: int) -> str | None:
    """Tense of the words around ``text[start:end]``, within its sentence (at most 120 characters
    before and 80 after)."""
    lo = max(text.rfind(". ", max(0, start - 120), start), text.rfind("\n", max(0, start - 120), start), start - 120)
    hi = text.find(". ", end, end + 80)
    return _tense_from_text(text[lo + 1:start], text[end:hi if hi >= 0 else end + 80])


def _is_anchored_duration(f: _Found, res: dict) -> bool:
    """Whether ``f`` is "three days later", "an hour earlier": in news (TimeML) a duration of days
    or less plus a signal word, anchored on another event."""
    return f.kind == "ago" and f.match["dir"].lower() in ("later", "earlier") and res["type"] in ("DATE", "TIME") \
        and _unit_name(f.match["unit"]) in ("second", "minute", "hour", "day", "night")


def _is_year_to_date(f: _Found, res: dict) -> bool:
    """Whether ``f`` is the cumulative period of an earnings report: "the (first) nine months"."""
    return f.kind == "duration" and res["value"] in ("P6M", "P9M") and bool(f.match["det"] or f.match["mods"])


def _follows_narrative(f: _Found) -> bool:
    """Whether an expression takes its year from the story's last date in a narrative: year-less
    calendar dates ("in April", "June 10", "the summer") and anaphora ("the previous year")."""
    if f.kind in ("mdy", "dmy", "month", "season", "holiday"):
        g = f.match.groupdict()
        return not g.get("year") and (g.get("rel") or "").lower() not in ("last", "next", "this")
    if f.kind == "rel":
        return f.match["rel"].lower() in ("following", "previous", "preceding", "same", "that", "prior")
    if f.kind == "the_unit":
        return f.match["unit"].lower() == "year"
    return f.kind in ("relday", "premod_unit")


def _is_narrative(found: list[_Found], dct: datetime | None) -> bool:
    """True when the text tells its own chronology: no DCT but explicit years, or at least three
    explicit years, two thirds of them more than a year from the DCT, and (almost) no deictic
    expression such as "yesterday", "Friday" or "last week" (histories, not news)."""
    years = []
    for f in found:
        y = f.match.groupdict().get("year")
        if y and f.kind in ("year", "mdy", "dmy", "my", "iso"):
            years.append(int(y) if len(y) == 4 else None)
    years = [y for y in years if y is not None]
    if not years:
        return False
    if dct is None:
        return True
    deictic = sum(f.kind in ("weekday", "dayword", "partday") or
                  (f.kind == "rel" and f.match["rel"].lower() in ("last", "this", "next", "past", "coming"))
                  for f in found)
    near = sum(abs(y - dct.year) <= 1 for y in years)
    return len(years) >= 3 and near < len(years) / 3 and deictic <= max(1, len(years) // 8)


def resolve_relative_date(text: str, dct: str | date | None, tense: str | None = None) -> dict | None:
    """Resolve one time expression against a publication time (DCT); None if ``text`` holds none.

    Returns the timex dict of the longest expression found in ``text`` (keys type, value, start, end,
    granularity, modifier, basis) plus ``text``, the expression itself.

    >>> r = resolve_relative_date("since mid-January", "2025-04-07")
    >>> (r["value"], r["start"], r["end"], r["granularity"], r["modifier"])
    ('2025-01', '2025-01-11', '2025-04-07', 'month', 'MID')
    """
    if not isinstance(text, str):
        raise TypeError(f"resolve_relative_date: text must be a str, not {type(text).__name__}")
    found = annotate_text(text, dct, (lambda s, e: tense) if tense is not None else None)
    if not found:
        return None
    s, e, res = max(found, key=lambda f: (f[1] - f[0], -f[0]))
    return {**res, "text": text[s:e]}


# --------------------------------------------------------------------------------------------
# dateparser fallback for explicit strings the patterns cannot decompose (model entities)
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _dateparser_explicit(text: str, dct_iso: str | None) -> str | None:
    """An explicit day date (ISO) read by dateparser from ``text``, or None."""
    if not re.search(r"\d", text) or not re.search(r"[A-Za-z]{3}|\d[/.-]\d", text):
        return None
    import dateparser  # imported lazily: it is slow to import

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month", "year"],
                                "RETURN_AS_TIMEZONE_AWARE": False}
    if dct_iso:
        base = _parse_dct(dct_iso)
        if base is not None:
            settings["RELATIVE_BASE"] = base
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception:  # dateparser raises many kinds on odd input
        return None
    return parsed.date().isoformat() if parsed else None


# --------------------------------------------------------------------------------------------
# The spaCy component
# --------------------------------------------------------------------------------------------

class TimexRecognizer:
    """spaCy component: ``doc.spans["timex"]`` and ``span._.timex`` (see the module docstring).

    ``use_entities``: also consider the model's DATE/TIME entities the patterns missed (kept only
    when the normaliser or dateparser can read them).
    """

    def __init__(self, nlp: Language, name: str = "timex", use_entities: bool = True, span_key: str = SPAN_KEY):
        self.name = name
        self.use_entities = use_entities
        self.span_key = span_key

    def __call__(self, doc: Doc) -> Doc:
        dct = doc._.dct
        text = doc_text(doc)
        spans, taken = [], []
        for s, e, res in annotate_text(text, dct, _ClauseTense(doc, text)):
            span = doc.char_span(s, e, label=res["type"], alignment_mode="expand")
            if span is None or any(span.start < te and ts < span.end for ts, te in taken):
                continue
            taken.append((span.start, span.end))
            spans.append((span, res))
        if self.use_entities:
            for ent in doc.ents:  # none without an entity recogniser
                if ent.label_ not in ("DATE", "TIME") or any(ent.start < te and ts < ent.end for ts, te in taken):
                    continue
                res = self._from_entity(ent, dct)
                if res is not None:
                    taken.append((ent.start, ent.end))
                    spans.append((Span(doc, ent.start, ent.end, label=res["type"]), res))
        spans.sort(key=lambda sr: sr[0].start)
        for span, res in spans:
            span._.timex = res
        doc.spans[self.span_key] = [span for span, _ in spans]
        return doc

    @staticmethod
    def _from_entity(ent: Span, dct: str | None) -> dict | None:
        iso = _dateparser_explicit(ent.text, dct)
        if iso is None:
            return None
        p = _day(date.fromisoformat(iso))
        return _date_result(p, None, "explicit")

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)


class _ClauseTense:
    """``tense_of(start, end)`` of :func:`annotate_text` in a Doc: cue words in the expression's sentence,
    else (with a tagger) the nearest verb's tag. Sentence starts are read at the first expression that
    asks (many docs have none), as bytes searched in C: no Token objects per word."""

    def __init__(self, doc: Doc, text: str):
        self.doc, self.text = doc, text
        self.sent_starts: bytes | None = None
        self.has_tags: bool | None = None

    def __call__(self, start: int, end: int) -> str | None:
        doc = self.doc
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        if self.has_tags is None:
            self.has_tags = doc.has_annotation("TAG")
            if doc.has_annotation("SENT_START"):
                self.sent_starts = (doc.to_array(SENT_START) == 1).tobytes()
        first, last = _sentence_bounds_of(span.start, span.end, len(doc), self.sent_starts)
        last_token = doc[last - 1]
        tense = _tense_from_text(self.text[doc[first].idx:start], self.text[end:last_token.idx + len(last_token)])
        if tense is None and self.has_tags:  # no cue word: the nearest verb's POS tag
            tense = _tense_from_tags(doc, span, first, last)
        return tense


def _sentence_bounds_of(start: int, end: int, n_tokens: int, sent_starts: bytes | None,
                        reach: int = 40) -> tuple[int, int]:
    """Token bounds of the sentence around tokens [start, end) (at most ``reach`` tokens each side),
    from ``sent_starts`` (byte i is 1 where token i starts a sentence) or None (no sentences)."""
    lo, hi = max(0, start - reach), min(n_tokens, end + reach)
    if sent_starts is None:
        return lo, hi
    first, last = sent_starts.rfind(1, lo + 1, start + 1), sent_starts.find(1, end, hi)
    return (first if first >= 0 else lo), (last if last >= 0 else hi)


_FUTURE_MODALS = frozenset({"will", "'ll", "shall", "wo", "ll", "would"})


def _tense_from_tags(doc: Doc, span: Span, start: int, end: int) -> str | None:
    """Tense of the clause around ``span`` (its sentence: tokens [start, end)) from the nearest
    verb's POS tag: 'future' (will/shall, be going to), 'past' (VBD, had/has + VBN), 'present'
    (VBZ/VBP) or None."""
    best, best_dist = None, 10 ** 6
    for tok in doc[start:end]:
        if span.start <= tok.i < span.end:
            continue
        tag, low = tok.tag_, tok.lower_
        if tag == "MD":
            tense = "future" if low in _FUTURE_MODALS else None
        elif tag == "VBD":
            tense = "past"
        elif tag in ("VBZ", "VBP"):
            tense = "present"
        elif tag == "VBG" and low == "going" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            tense = "future"
        else:
            continue
        if tense is None:
            continue
        dist = span.start - tok.i if tok.i < span.start else (tok.i - span.end + 1) * 1.5
        if dist < best_dist:
            best, best_dist = tense, dist
    return best


@Language.factory("timex", default_config={"use_entities": True, "span_key": SPAN_KEY})
def make_timex(nlp: Language, name: str, use_entities: bool, span_key: str) -> TimexRecognizer:
    """Factory of the ``timex`` component (entry point ``timex = timeline.dates:make_timex``)."""
    return TimexRecognizer(nlp, name, use_entities=use_entities, span_key=span_key)
