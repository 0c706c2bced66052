"""The ``toponyms`` spaCy component: find place names in a document and resolve them in context.

Recognition combines the statistical entities of the base model (GPE, LOC, FAC) with gazetteer
matching of capitalised word sequences, filtered by context: words inside person, organisation or
outlet names, after a title ("Prime Minister Sudani"), or common words ("March", "Police") are not
places. Demonyms ("Iraqi", "Americans") are not places either; they go to ``doc.spans["demonyms"]``
and count as evidence for their country. In the rules-only pipeline (no NER) only gazetteer matching
runs, with stricter thresholds.

Output: ``doc.spans["toponyms"]`` (sorted, non-overlapping), each with ``span._.place`` (None or the
dict of :meth:`geo.gazetteer.Place.as_dict`); ``doc.spans["demonyms"]`` with ``span._.place`` the
country.

Example::

    >>> nlp = spacy.blank("en"); nlp.add_pipe("sentencizer"); nlp.add_pipe("toponyms")  # doctest: +SKIP
    >>> doc = nlp("Clashes were reported in Mosul, Iraq.")                               # doctest: +SKIP
    >>> [(s.text, s._.place["geo_precision"]) for s in doc.spans["toponyms"]]           # doctest: +SKIP
    [('Mosul', 1), ('Iraq', 4)]
"""

from __future__ import annotations

import operator
import re
from collections import Counter
from itertools import compress
from pathlib import Path

from spacy.attrs import IDX, IS_ALPHA, IS_LOWER, IS_PUNCT, IS_SPACE, IS_TITLE, IS_UPPER, ORTH, SENT_START
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from geo.gazetteer import Gazetteer, Place, index_key, normalize
from geo.resolution import Mention, resolve
from timeline import pipeline

if not Span.has_extension("place"):
    Span.set_extension("place", default=None)

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
NOT_PLACE_LABELS = frozenset({"PERSON", "ORG", "NORP", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "LANGUAGE"})
MAX_NGRAM = 6
CONNECTORS = frozenset({"of", "de", "del", "la", "le", "du", "da", "and", "upon", "on", "the", "-", "al", "el",
                        "ad", "as", "ash", "an", "ar", "at", "az", "bin", "ibn", "abu", "'s", "y", "en", "sur"})
TITLES = frozenset("""mr mrs ms miss dr prof gen general col colonel lt maj major capt captain sgt sheikh
    president minister premier chancellor king queen prince princess lord sir saint pope imam ayatollah cleric
    senator sen rep representative governor gov mayor judge justice secretary ambassador commander chief
    spokesman spokeswoman spokesperson adviser advisor leader officer director chairman ceo coach father
    rev reverend brother sister uncle aunt son daughter wife husband mother""".split())
COMMON_WORDS = frozenset("""january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday police court state states
    city county council government army navy university college school hospital church mosque news times post
    mobile reading bath nice independence liberty union victory justice hope unity progress faith grace joy
    chance mission enterprise commerce industry friendship harmony energy centre center central north south east
    west northern southern eastern western northeast northwest southeast southwest mount lake river island
    beach valley bay park street road avenue square airport station bridge gate tower hill hills sea ocean gulf
    republic kingdom federation province region district area zone border capital town village world earth
    internet media press report reports official officials public national international federal local
    global general security defence defense interior foreign health education commission agency office
    department ministry bureau division parliament congress senate assembly committee party front forces force
    resistance islamic islam christian muslim jewish sunni shiite shia kurdish arab arabs western eastern
    early late new old great big little good best most many much more less very also after before during since
    said says say told tell asked one two three four five six seven eight nine ten first second third last next
    man men woman women people family home house office work business market trade deal talks war peace
    attack attacks strike strikes fire storm flood rain snow ice water oil gas power energy club team
    cup league game games series season final open championship tour race title gold silver bronze
    bank banks fund trust capital group company corp inc ltd co media network channel radio tv television
    miss mass wash ill ore del ind pa mo la va md me ok""".split())
STREET_TYPES = r"(?:Street|St\.|Avenue|Ave\.|Road|Rd\.|Boulevard|Blvd\.|Drive|Dr\.|Lane|Ln\.|Parkway|Pkwy\.|Way|Highway|Hwy\.|Pike|Place|Court|Circle|Square|Plaza|Bridge|Park|Lake|River|Creek|Mountain|Mountains|Island|Islands|Valley|County|Parish|Township|Airport|Air Base|Base)"
PLACE_NOUNS_BEFORE_OF = frozenset("town city village district province region governorate county camp area".split())
"""Nouns whose "of" names a place ("the town of Bir al-Abd"), whatever the statistical model calls the name."""
_DIVISION_NOUN = r"(?:province|governorate|region|oblast|state|prefecture|department)"
DIVISION_WORD = re.compile(r"\s" + _DIVISION_NOUN + "$", re.I)
"""A division word that ends a toponym span ("Anbar province")."""
DIVISION_AFTER = re.compile(r"\s+" + _DIVISION_NOUN + r"\b", re.I)
"""A division word right after a toponym span ("the Sumy region"), which says the place is the division."""
STREET_WORD = re.compile(r"\b" + STREET_TYPES + r"(?!\w)")
STREET = re.compile(r"\b(?:(?:[A-Z][\w'’.-]*|\d+(?:st|nd|rd|th))\s+){1,3}" + STREET_TYPES + r"(?!\w)"
                    r"|\b(?:Highway|Interstate|Route|County Road|State Road|I-|U\.S\.|US|SR|Hwy\.?)\s?\d+\b")
MIN_POPULATION_MATCH = 20_000
"""Single-word gazetteer matches without NER support must be this populous (towns), or a division/country."""
MIN_POPULATION_CONTEXT = 1_000
"""... or this populous when the context says "place" ("in X", "X, <state>")."""
LOCATIVE = frozenset({"in", "at", "near", "from", "to", "into", "outside", "around", "across", "toward",
                      "towards", "of", "via", "through", "throughout", "between", "inside", "and"})


def _is_capitalised(text: str) -> bool:
    """Whether a word starts with a capital letter and has letters ("Mosul", "U.S.", "MOSUL")."""
    return bool(text) and text[0].isupper() and any(c.isalpha() for c in text)


ALPHA, UPPER, TITLE, PUNCT, SPACE, LOWER = (1 << flag for flag in (IS_ALPHA, IS_UPPER, IS_TITLE, IS_PUNCT, IS_SPACE,
                                                                    IS_LOWER))
"""Bits of spaCy's ``Lexeme.flags``: ``is_alpha``, ``is_upper``, ``is_title``, ``is_punct``, ``is_space``,
``is_lower``. Example: ``tokens.flags[i] & ALPHA``."""


class _Words:
    """The text, lower case, :func:`_is_capitalised` and ``Lexeme.flags`` (``ALPHA | UPPER ...``) of
    each word of a vocabulary (by orth id) seen so far, so a document's words are read with one dict
    lookup each (``StringStore`` lookups, ``str`` methods and flag columns of ``Doc.to_array`` per
    token cost more than recognition). Starts afresh after :data:`MAX_WORDS` words."""

    MAX_WORDS = 1 << 20

    def __init__(self, vocab):
        self.vocab = vocab
        self.text: dict[int, str] = {}
        self.lower: dict[int, str] = {}
        self.cap: dict[int, bool] = {}
        self.flags: dict[int, int] = {}

    def add(self, orths: list[int]) -> None:
        """Make sure every word of ``orths`` is known."""
        new = set(orths).difference(self.text)
        if not new:
            return
        if len(self.text) + len(new) > self.MAX_WORDS:
            self.__init__(self.vocab)
            new = set(orths)
        for orth in new:
            lex = self.vocab[orth]
            word = lex.orth_
            self.text[orth] = word
            self.lower[orth] = word.lower()
            self.cap[orth] = word[:1].isupper() and _is_capitalised(word)
            self.flags[orth] = lex.flags


class _Tokens:
    """The token attributes recognition reads, as plain lists made once per document from
    ``Doc.to_array`` columns and the :class:`_Words` table (making a spaCy ``Token`` object per
    attribute read cost more than the rest of recognition). ``flags``: the words' ``Lexeme.flags``
    (``ALPHA | UPPER ...``); ``capitalised``: indices of the capitalised tokens; ``lower_words``: the
    words written in lower case somewhere in the document; ``start_char``/``end_char``: character
    offsets of each token."""

    __slots__ = ("doc", "doc_text", "n", "text", "lower", "cap", "capitalised", "flags", "sent_start",
                 "start_char", "end_char", "lower_words")

    def __init__(self, doc: Doc, words: _Words):
        self.doc = doc
        self.n = len(doc)
        columns = doc.to_array([ORTH, IDX, SENT_START])
        if self.n:
            columns[:, 2] = columns[:, 2] == 1            # sentence start: 1, else 0 (-1: not a start)
        orth, self.start_char, self.sent_start = columns.T.tolist() if self.n else [[]] * 3
        words.add(orth)
        self.text = text = list(map(words.text.__getitem__, orth))
        self.lower = list(map(words.lower.__getitem__, orth))
        self.cap = list(map(words.cap.__getitem__, orth))
        self.flags = flags = list(map(words.flags.__getitem__, orth))
        self.capitalised = list(compress(range(self.n), self.cap))
        self.end_char = list(map(operator.add, self.start_char, map(len, text)))
        self.doc_text = pipeline.doc_text(doc)
        self.lower_words = frozenset(compress(text, map(LOWER.__and__, flags)))

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text`` without making the span."""
        return self.doc_text[self.start_char[start]:self.end_char[end - 1]]


class ToponymRecognizer:
    """Finds and resolves toponyms; see the module docstring. ``use_ner`` uses the base model's
    entities when present; ``streets`` also marks street and road names (unresolved)."""

    def __init__(self, nlp: Language, name: str = "toponyms", gazetteer: str = "", use_ner: bool = True,
                 streets: bool = True):
        self.name = name
        self._gazetteer_path = gazetteer
        self._gazetteer: Gazetteer | None = None
        self.use_ner = use_ner
        self.streets = streets
        self._words = _Words(nlp.vocab)

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = Gazetteer(self._gazetteer_path) if self._gazetteer_path else Gazetteer.default()
        return self._gazetteer

    @property
    def cache_key(self) -> str:
        """What the results depend on besides the code: the default gazetteer's index key
        (:func:`geo.gazetteer.index_key`, a hash of its data), or a given index file's path, size
        and modification time. ``timeline.extract.pipeline_version`` reads it, so new gazetteer
        data invalidates cached mentions. Example: ``'gazetteer 3f2a9c0d1e2b4a5f'``."""
        if not self._gazetteer_path:
            return f"gazetteer {index_key()}"
        stat = Path(self._gazetteer_path).stat()
        return f"gazetteer {Path(self._gazetteer_path).resolve()} {stat.st_size} {stat.st_mtime_ns}"

    def __call__(self, doc: Doc) -> Doc:
        tokens = _Tokens(doc, self._words)
        spans, demonyms = self._recognize(tokens)
        resolve_spans(doc, spans, demonyms, self.gazetteer)
        return doc

    def pipe(self, docs, batch_size: int = 64):
        for doc in docs:
            yield self(doc)

    # ------------------------------------------------------------------------------ recognition

    def recognize(self, doc: Doc) -> tuple[list[Span], list[Span]]:
        """Candidate toponym spans (non-overlapping, sorted) and demonym spans."""
        return self._recognize(_Tokens(doc, self._words))

    def _recognize(self, tokens: _Tokens) -> tuple[list[Span], list[Span]]:
        gaz = self.gazetteer
        doc = tokens.doc
        n, text, lower, flags = tokens.n, tokens.text, tokens.lower, tokens.flags
        has_ner = self.use_ner and doc.has_annotation("ENT_IOB")
        blocked = [False] * n
        in_org: set[int] = set()
        named: set[int] = set()       # tokens of names that are not places ("American Airlines")
        person_words: set[str] = set()
        ner_places: list[Span] = []
        demonyms: list[Span] = []
        if has_ner:
            for ent in doc.ents:
                if ent.label_ in PLACE_LABELS:
                    ner_places.append(ent)
                elif ent.label_ in NOT_PLACE_LABELS:
                    trimmed = _trim(tokens, ent.start, ent.end)
                    if trimmed is not None and any(p.level in ("country", "admin1") and p.matched == "main"
                                                   for p in gaz.candidates(tokens.span_text(*trimmed))):
                        continue      # "Sri Lanka's former president": the model's PERSON is a country
                    if ent.label_ == "PERSON" and ent.start >= 2 and lower[ent.start - 1] == "of" \
                            and lower[ent.start - 2] in PLACE_NOUNS_BEFORE_OF:
                        continue      # "the town of Bir al-Abd": a name the model took for a person's
                    if ent.label_ == "PERSON" and len(ent) > 1:
                        person_words.update(text[t] for t in range(ent.start, ent.end)
                                            if flags[t] & TITLE and len(text[t]) > 2)
                    # the statistical model often calls a lone town a PERSON ("Alexandria man") and
                    # organisations contain their town ("Mansfield Police Department", "the S.C.
                    # Highway Patrol"): those words stay open to (stricter) gazetteer matching
                    if ent.label_ == "PERSON" and len(ent) == 1:
                        continue
                    if len(ent) == 1 and normalize(text[ent.start]) in gaz.demonyms:
                        continue      # "the Ugandan border town": a demonym the model called ORG
                    if ent.label_ != "NORP":
                        named.update(range(ent.start, ent.end))
                    for t in range(ent.start, ent.end):
                        if ent.label_ == "ORG":
                            in_org.add(t)
                        else:
                            blocked[t] = True
        known = gaz.demonyms
        for i in tokens.capitalised:
            if i in named or normalize(text[i]) not in known:
                continue
            # "South Korean": prefer the two-word demonym
            if i + 1 < n and normalize(f"{text[i]} {text[i + 1]}") in known:
                continue
            start = i
            if i > 0 and flags[i - 1] & ALPHA and lower[i - 1] not in STOP_WORDS \
                    and normalize(f"{text[i - 1]} {text[i]}") in known:
                start -= 1
            demonyms.append(doc[start:i + 1])
        demonym_tokens = {t for s in demonyms for t in range(s.start, s.end)}

        found: list[Span] = []
        for ent in ner_places:
            trimmed = _trim(tokens, ent.start, ent.end)
            if trimmed is None or any(t in demonym_tokens for t in range(*trimmed)):
                continue
            if _looks_like_person(tokens, trimmed[0]):
                continue
            name = tokens.span_text(*trimmed)
            if not gaz.lookup(name) and not STREET_WORD.search(name):
                continue     # "Fakti", "Sudani": not in the gazetteer and not a street or facility
            found.append(doc[trimmed[0]:trimmed[1]])
        found.extend(self._gazetteer_matches(tokens, blocked, demonym_tokens, in_org, person_words))
        if self.streets:
            found.extend(_streets(tokens, blocked))
        if person_words:
            demonym_tokens.update(compress(range(n), map(person_words.__contains__, text)))
        found.extend(_same_name(tokens, filter_spans(found), blocked, demonym_tokens))
        # NER spans first: on overlap prefer the longer span, then the NER one
        return sorted(filter_spans(found), key=lambda s: s.start), demonyms

    def _gazetteer_matches(self, tokens: _Tokens, blocked: list[bool], demonym_tokens: set[int],
                           in_org: set[int], person_words: set[str]) -> list[Span]:
        """Longest capitalised word sequences (with connectors) that name a place and pass :meth:`_accept`."""
        n, text, lower, cap, flags = tokens.n, tokens.text, tokens.lower, tokens.cap, tokens.flags
        ngrams: dict[int, list[tuple[int, str]]] = {}     # start -> [(end, text)] of the names to look up
        for i in tokens.capitalised:
            if blocked[i] or i in demonym_tokens or text[i] in person_words \
                    or lower[i] in ("the", "a", "an") or not flags[i] & ALPHA and "." not in text[i]:
                continue
            ends = ngrams[i] = []
            for j in range(i, min(n, i + MAX_NGRAM)):
                if blocked[j] or flags[j] & SPACE or text[j] in _BREAKS:
                    break
                if j > i and not (cap[j] or lower[j] in CONNECTORS):
                    break
                if cap[j]:
                    ends.append((j + 1, tokens.span_text(i, j + 1)))
        names = [name for ends in ngrams.values() for _, name in ends]
        found = dict(zip(names, self.gazetteer.candidates_many(names)))    # one query per document
        out = []
        free = 0      # the first token after the last match
        for i, ends in ngrams.items():      # in token order
            if i < free:
                continue
            best = None
            for end, name in ends:
                if found[name]:
                    best = (end, found[name])
            if best is not None and self._accept(tokens, i, best[0], best[1], i in in_org):
                out.append(tokens.doc[i:best[0]])
                free = best[0]
        return out

    def _accept(self, tokens: _Tokens, start: int, end: int, cands: tuple[Place, ...], org: bool = False) -> bool:
        """Whether the gazetteer match ``doc[start:end]`` is a place mention; ``org``: it lies in an
        organisation's name.

        Single words must not be common words or parts of names; then countries, divisions, regions
        and towns of ``MIN_POPULATION_MATCH`` pass, smaller places only after "in"/"near"... or
        before ", <container>"."""
        n, text, lower, cap, flags, sent_start = tokens.n, tokens.text, tokens.lower, tokens.cap, tokens.flags, \
            tokens.sent_start
        single = end - start == 1
        if single and (lower[start] in STOP_WORDS or lower[start] in COMMON_WORDS or len(text[start]) < 3):
            return False
        if _looks_like_person(tokens, start):
            return False
        if single and flags[start] & UPPER and len(text[start]) <= 4 and "." not in text[start]:
            # acronyms: only countries ("US", "UK", "UAE")
            return any(p.level == "country" for p in cands)
        prev = start - 1 if start > 0 else None
        nxt = end if end < n else None
        # a hyphenated compound ("Wal-Mart")
        if nxt is not None and text[nxt] == "-" and end + 1 < n and flags[end + 1] & TITLE:
            return False
        # inside a longer capitalised name ("New York Times", "Gaza Health Ministry")
        if nxt is not None and cap[nxt] and flags[nxt] & ALPHA and not sent_start[nxt] and not org:
            return False
        if prev is not None and cap[prev] and flags[prev] & ALPHA and not sent_start[prev] \
                and lower[prev] not in COMMON_WORDS:
            return False
        words = sum(1 for f in flags[start:end] if f & ALPHA)
        # a common word: written in lower case elsewhere in the document ("Reading the report ...")
        if words == 1 and lower[start] in tokens.lower_words:
            return False
        locative = prev is not None and lower[prev] in LOCATIVE
        contained = nxt is not None and text[nxt] == "," and end + 1 < n and \
            bool(self.gazetteer.candidates(text[end + 1]))
        big = any(p.level in ("country", "admin1", "region") and p.matched == "main" for p in cands)
        pop = max((p.population for p in cands if p.matched == "main"), default=0)
        if org:
            return big or pop >= MIN_POPULATION_MATCH
        alt_pop = max((p.population for p in cands), default=0)
        if big or pop >= MIN_POPULATION_MATCH or (words > 1 and alt_pop >= MIN_POPULATION_CONTEXT):
            return True
        if (locative or contained) and pop >= MIN_POPULATION_CONTEXT:
            return True
        return False


_BREAKS = frozenset({",", ";", ":", "(", ")", "\"", "“", "”"})
"""Tokens that end a gazetteer match."""


def _same_name(tokens: _Tokens, spans: list[Span], blocked: list[bool], demonym_tokens: set[int]) -> list[Span]:
    """Other occurrences of the names already taken as places (one sense per discourse): the model
    may tag "Alexandria" a place once and a person elsewhere."""
    text = tokens.text
    names = {tuple(text[s.start:s.end]) for s in spans if len(s) and text[s.start][:1].isupper()}
    if not names:
        return []
    taken = {t for s in spans for t in range(s.start, s.end)}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for name in sorted(names, key=lambda name: (-len(name), name)):    # the longest name first
        by_first.setdefault(name[0], []).append(name)
    out = []
    for i in compress(range(tokens.n), map(by_first.__contains__, text)):
        for name in by_first[text[i]]:
            end = i + len(name)
            if end > tokens.n or tuple(text[i:end]) != name:
                continue
            if any(t in taken or blocked[t] or t in demonym_tokens for t in range(i, end)):
                continue
            if not _looks_like_person(tokens, i):
                out.append(tokens.doc[i:end])
                taken.update(range(i, end))
    return out


def _trim(tokens: _Tokens, start: int, end: int) -> tuple[int, int] | None:
    """Token bounds of the entity ``doc[start:end]`` without a leading "the" and trailing
    possessive/punctuation; None when nothing is left."""
    while start < end and (tokens.lower[start] in ("the", "a", "an") or tokens.flags[start] & PUNCT):
        start += 1
    while end > start and (tokens.flags[end - 1] & PUNCT or tokens.text[end - 1] in ("'s", "’s")):
        end -= 1
    return (start, end) if end > start else None


def _looks_like_person(tokens: _Tokens, start: int) -> bool:
    """Whether the span starting at token ``start`` is (part of) a person's name: after a title
    ("Prime Minister Sudani") or joined to a capitalised name by an Arabic article or "bin"
    ("Mohammed Shia al-Sudani")."""
    i = start - 1
    if i >= 0 and tokens.text[i] == "-":
        i -= 1
    if i >= 0 and tokens.lower[i] in ("al", "el", "bin", "ibn", "abu", "bint"):
        i -= 1
        return i >= 0 and tokens.flags[i] & TITLE and tokens.flags[i] & ALPHA and not tokens.sent_start[i]
    return i >= 0 and tokens.lower[i].rstrip(".") in TITLES


def _streets(tokens: _Tokens, blocked: list[bool]) -> list[Span]:
    """Street and road names ("Haifa Street", "Highway 1"), unresolved."""
    doc = tokens.doc
    out = []
    for m in STREET.finditer(tokens.doc_text):
        span = doc.char_span(m.start(), m.end(), alignment_mode="contract")
        if span is None or len(span) == 0 or any(blocked[t] for t in range(span.start, span.end)):
            continue
        first = tokens.lower[span.start]
        if first in COMMON_WORDS and first not in ("county",) and len(span) <= 2:
            continue
        out.append(span)
    return out


def resolve_spans(doc: Doc, spans: list[Span], demonyms: list[Span], gazetteer: Gazetteer,
                  keep_overlaps: bool = False) -> Doc:
    """Resolve ``spans`` in the context of the document and store them (with ``span._.place``) in
    ``doc.spans["toponyms"]``; demonyms go to ``doc.spans["demonyms"]`` with their country.
    ``keep_overlaps`` keeps demonyms that overlap a toponym span (given spans, as in evaluation)."""
    doc_text = pipeline.doc_text(doc)
    spans = sorted(spans, key=lambda s: (s.start_char, s.end_char))
    mentions = [Mention(doc_text[s.start_char:s.end_char], s.start_char, s.end_char) for s in spans]
    for i, (m, nxt) in enumerate(zip(mentions, mentions[1:])):
        if 0 < nxt.start - m.end <= 4 and doc_text[m.end:nxt.start].strip() in (",", "in"):
            m.container = i + 1
    for m in mentions:
        m.candidates = gazetteer.lookup(m.text)
        m.division = DIVISION_AFTER.match(doc_text, m.end) is not None or DIVISION_WORD.search(m.text) is not None
    countries = Counter()
    for d in demonyms:
        cc = gazetteer.demonyms.get(normalize(doc_text[d.start_char:d.end_char]))
        if cc:
            countries[cc] += 1
            country = gazetteer.country(cc)
            d._.place = country.as_dict() if country else None
    places = resolve(mentions, gazetteer, countries) if mentions else []    # resolve([]) costs ~0.1 ms
    for span, place in zip(spans, places):
        span._.place = place.as_dict() if place else None
    doc.spans["toponyms"] = spans
    if not keep_overlaps:
        taken = {t for s in spans for t in range(s.start, s.end)}
        demonyms = [d for d in demonyms if not any(t in taken for t in range(d.start, d.end))]
    doc.spans["demonyms"] = sorted(demonyms, key=lambda s: s.start)
    return doc


@Language.factory("toponyms", default_config={"gazetteer": "", "use_ner": True, "streets": True})
def make_toponym_recognizer(nlp: Language, name: str, gazetteer: str, use_ner: bool, streets: bool):
    """spaCy factory of :class:`ToponymRecognizer` (``nlp.add_pipe("toponyms")``)."""
    return ToponymRecognizer(nlp, name, gazetteer=gazetteer, use_ner=use_ner, streets=streets)
