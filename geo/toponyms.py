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

import re
from collections import Counter
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from geo.gazetteer import Gazetteer, Place, index_key, normalize
from geo.resolution import Mention, resolve

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
STREET_WORD = re.compile(r"\b" + STREET_TYPES + r"(?!\w)")
STREET = re.compile(r"\b(?:(?:[A-Z][\w'’.-]*|\d+(?:st|nd|rd|th))\s+){1,3}" + STREET_TYPES + r"(?!\w)"
                    r"|\b(?:Highway|Interstate|Route|County Road|State Road|I-|U\.S\.|US|SR|Hwy\.?)\s?\d+\b")
MIN_POPULATION_MATCH = 20_000
"""Single-word gazetteer matches without NER support must be this populous (towns), or a division/country."""
MIN_POPULATION_CONTEXT = 1_000
"""... or this populous when the context says "place" ("in X", "X, <state>")."""
LOCATIVE = frozenset({"in", "at", "near", "from", "to", "into", "outside", "around", "across", "toward",
                      "towards", "of", "via", "through", "throughout", "between", "inside", "and"})


def _is_capitalised(token) -> bool:
    """Whether a token starts with a capital letter and has letters ("Mosul", "U.S.", "MOSUL")."""
    text = token.text
    return bool(text) and text[0].isupper() and any(c.isalpha() for c in text)


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
        spans, demonyms = self.recognize(doc)
        resolve_spans(doc, spans, demonyms, self.gazetteer)
        return doc

    def pipe(self, docs, batch_size: int = 64):
        for doc in docs:
            yield self(doc)

    # ------------------------------------------------------------------------------ recognition

    def recognize(self, doc: Doc) -> tuple[list[Span], list[Span]]:
        """Candidate toponym spans (non-overlapping, sorted) and demonym spans."""
        gaz = self.gazetteer
        has_ner = self.use_ner and doc.has_annotation("ENT_IOB")
        blocked = [False] * len(doc)
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
                    trimmed = _trim(ent)
                    if trimmed is not None and any(p.level in ("country", "admin1") and p.matched == "main"
                                                   for p in gaz.candidates(trimmed.text)):
                        continue      # "Sri Lanka's former president": the model's PERSON is a country
                    if ent.label_ == "PERSON" and len(ent) > 1:
                        person_words.update(t.text for t in ent if t.is_title and len(t) > 2)
                    # the statistical model often calls a lone town a PERSON ("Alexandria man") and
                    # organisations contain their town ("Mansfield Police Department", "the S.C.
                    # Highway Patrol"): those words stay open to (stricter) gazetteer matching
                    if ent.label_ == "PERSON" and len(ent) == 1:
                        continue
                    if ent.label_ != "NORP":
                        named.update(range(ent.start, ent.end))
                    for t in range(ent.start, ent.end):
                        if ent.label_ == "ORG":
                            in_org.add(t)
                        else:
                            blocked[t] = True
        for token in doc:
            key = normalize(token.text)
            if key in gaz.demonyms and _is_capitalised(token) and token.i not in named:
                # "South Korean": prefer the two-word demonym
                if token.i + 1 < len(doc) and normalize(f"{token.text} {doc[token.i + 1].text}") in gaz.demonyms:
                    continue
                start = token.i
                prev = doc[token.i - 1] if token.i > 0 else None
                if prev is not None and prev.is_alpha and prev.lower_ not in STOP_WORDS \
                        and normalize(f"{prev.text} {token.text}") in gaz.demonyms:
                    start -= 1
                demonyms.append(doc[start:token.i + 1])
        demonym_tokens = {t for s in demonyms for t in range(s.start, s.end)}

        found: list[Span] = []
        for ent in ner_places:
            span = _trim(ent)
            if span is None or any(t in demonym_tokens for t in range(span.start, span.end)):
                continue
            if _looks_like_person(span):
                continue
            if not _lookup(gaz, span.text) and not STREET_WORD.search(span.text):
                continue     # "Fakti", "Sudani": not in the gazetteer and not a street or facility
            found.append(span)
        found.extend(self._gazetteer_matches(doc, blocked, demonym_tokens, in_org, person_words))
        if self.streets:
            found.extend(_streets(doc, blocked))
        found.extend(_same_name(doc, filter_spans(found), blocked, demonym_tokens | {
            t.i for t in doc if t.text in person_words}))
        # NER spans first: on overlap prefer the longer span, then the NER one
        return sorted(filter_spans(found), key=lambda s: s.start), demonyms

    def _gazetteer_matches(self, doc: Doc, blocked: list[bool], demonym_tokens: set[int], in_org: set[int],
                           person_words: set[str]):
        gaz = self.gazetteer
        n = len(doc)
        i = 0
        out = []
        while i < n:
            tok = doc[i]
            if blocked[i] or i in demonym_tokens or tok.text in person_words or not _is_capitalised(tok) or tok.lower_ in ("the", "a", "an") \
                    or not tok.is_alpha and "." not in tok.text:
                i += 1
                continue
            best = None
            j = i
            while j < n and j - i < MAX_NGRAM:
                t = doc[j]
                if blocked[j] or t.is_space or t.text in (",", ";", ":", "(", ")", "\"", "“", "”"):
                    break
                if j > i and not (_is_capitalised(t) or t.lower_ in CONNECTORS):
                    break
                if _is_capitalised(t):
                    span = doc[i:j + 1]
                    cands = gaz.candidates(span.text)
                    if cands:
                        best = (span, cands)
                j += 1
            if best is None:
                i += 1
                continue
            span, cands = best
            if self._accept(doc, span, cands, span.start in in_org):
                out.append(span)
                i = span.end
            else:
                i += 1
        return out

    def _accept(self, doc: Doc, span: Span, cands: tuple[Place, ...], org: bool = False) -> bool:
        """Whether a gazetteer match is a place mention; ``org``: it lies in an organisation's name.

        Single words must not be common words or parts of names; then countries, divisions, regions
        and towns of ``MIN_POPULATION_MATCH`` pass, smaller places only after "in"/"near"... or
        before ", <container>"."""
        first = doc[span.start]
        words = [t for t in span if t.is_alpha]
        if len(span) == 1 and (first.lower_ in STOP_WORDS or first.lower_ in COMMON_WORDS or len(first.text) < 3):
            return False
        if _looks_like_person(span):
            return False
        if len(span) == 1 and first.is_upper and len(first.text) <= 4 and "." not in first.text:
            # acronyms: only countries ("US", "UK", "UAE")
            return any(p.level == "country" for p in cands)
        prev = doc[span.start - 1] if span.start > 0 else None
        nxt = doc[span.end] if span.end < len(doc) else None
        # a hyphenated compound ("Wal-Mart")
        if nxt is not None and nxt.text == "-" and span.end + 1 < len(doc) and doc[span.end + 1].is_title:
            return False
        # inside a longer capitalised name ("New York Times", "Gaza Health Ministry")
        if nxt is not None and _is_capitalised(nxt) and nxt.is_alpha and not nxt.is_sent_start and not org:
            return False
        if prev is not None and _is_capitalised(prev) and prev.is_alpha and not prev.is_sent_start \
                and prev.lower_ not in COMMON_WORDS:
            return False
        # a common word: written in lower case elsewhere in the document ("Reading the report ...")
        if len(words) == 1 and first.lower_ in _doc_lower_words(doc):
            return False
        locative = prev is not None and prev.lower_ in LOCATIVE
        contained = nxt is not None and nxt.text == "," and span.end + 1 < len(doc) and \
            bool(self.gazetteer.candidates(doc[span.end + 1].text))
        big = any(p.level in ("country", "admin1", "region") and p.matched == "main" for p in cands)
        pop = max((p.population for p in cands if p.matched == "main"), default=0)
        if org:
            return big or pop >= MIN_POPULATION_MATCH
        alt_pop = max((p.population for p in cands), default=0)
        if big or pop >= MIN_POPULATION_MATCH or (len(words) > 1 and alt_pop >= MIN_POPULATION_CONTEXT):
            return True
        if (locative or contained) and pop >= MIN_POPULATION_CONTEXT:
            return True
        return False


def _same_name(doc: Doc, spans: list[Span], blocked: list[bool], demonym_tokens: set[int]) -> list[Span]:
    """Other occurrences of the names already taken as places (one sense per discourse): the model
    may tag "Alexandria" a place once and a person elsewhere."""
    names = {tuple(t.text for t in s) for s in spans if len(s) and s[0].text[:1].isupper()}
    if not names:
        return []
    taken = {t for s in spans for t in range(s.start, s.end)}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for name in names:
        by_first.setdefault(name[0], []).append(name)
    out = []
    for tok in doc:
        for name in by_first.get(tok.text, ()):
            end = tok.i + len(name)
            if end > len(doc) or tuple(t.text for t in doc[tok.i:end]) != name:
                continue
            if any(t in taken or blocked[t] or t in demonym_tokens for t in range(tok.i, end)):
                continue
            span = doc[tok.i:end]
            if not _looks_like_person(span):
                out.append(span)
                taken.update(range(tok.i, end))
    return out


def _doc_lower_words(doc: Doc) -> frozenset[str]:
    cached = doc.user_data.get("_toponyms_lower")
    if cached is None:
        cached = frozenset(t.text for t in doc if t.is_lower)
        doc.user_data["_toponyms_lower"] = cached
    return cached


def _trim(span: Span) -> Span | None:
    """Drop a leading "the" and trailing possessive/punctuation from an entity span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].text in ("'s", "’s")):
        end -= 1
    return doc[start:end] if end > start else None


def _looks_like_person(span: Span) -> bool:
    """Whether a span is (part of) a person's name: after a title ("Prime Minister Sudani") or joined
    to a capitalised name by an Arabic article or "bin" ("Mohammed Shia al-Sudani")."""
    doc = span.doc
    i = span.start - 1
    if i >= 0 and doc[i].text == "-":
        i -= 1
    joined = i >= 0 and i < span.start and doc[i].lower_ in ("al", "el", "bin", "ibn", "abu", "bint")
    if joined:
        i -= 1
        return i >= 0 and doc[i].is_title and doc[i].is_alpha and not doc[i].is_sent_start
    return i >= 0 and doc[i].lower_.rstrip(".") in TITLES


def _streets(doc: Doc, blocked: list[bool]) -> list[Span]:
    out = []
    for m in STREET.finditer(doc.text):
        span = doc.char_span(m.start(), m.end(), alignment_mode="contract")
        if span is None or len(span) == 0 or any(blocked[t] for t in range(span.start, span.end)):
            continue
        if span[0].lower_ in COMMON_WORDS and span[0].lower_ not in ("county",) and len(span) <= 2:
            continue
        out.append(span)
    return out


def resolve_spans(doc: Doc, spans: list[Span], demonyms: list[Span], gazetteer: Gazetteer,
                  keep_overlaps: bool = False) -> Doc:
    """Resolve ``spans`` in the context of the document and store them (with ``span._.place``) in
    ``doc.spans["toponyms"]``; demonyms go to ``doc.spans["demonyms"]`` with their country.
    ``keep_overlaps`` keeps demonyms that overlap a toponym span (given spans, as in evaluation)."""
    spans = sorted(spans, key=lambda s: (s.start_char, s.end_char))
    mentions = [Mention(s.text, s.start_char, s.end_char) for s in spans]
    text = doc.text
    for i, s in enumerate(spans[:-1]):
        between = text[s.end_char:spans[i + 1].start_char]
        if between.strip() in (",", "in") and len(between) <= 4:
            mentions[i].container = i + 1
    for m in mentions:
        m.candidates = _lookup(gazetteer, m.text)
    countries = Counter()
    for d in demonyms:
        cc = gazetteer.demonyms.get(normalize(d.text))
        if cc:
            countries[cc] += 1
            country = gazetteer.country(cc)
            d._.place = country.as_dict() if country else None
    places = resolve(mentions, gazetteer, countries)
    for span, place in zip(spans, places):
        span._.place = place.as_dict() if place else None
    doc.spans["toponyms"] = spans
    if not keep_overlaps:
        taken = {t for s in spans for t in range(s.start, s.end)}
        demonyms = [d for d in demonyms if not any(t in taken for t in range(d.start, d.end))]
    doc.spans["demonyms"] = sorted(demonyms, key=lambda s: s.start)
    return doc


_DESCRIPTORS = re.compile(r"\s+(province|governorate|region|city|county|district|state|area|town|village|"
                          r"oblast|prefecture|municipality|capital)$", re.I)


def _lookup(gazetteer: Gazetteer, text: str) -> tuple[Place, ...]:
    """Candidates of a mention; a demonym stands for its country ("Iraqi"); falls back to the text
    without a descriptor ("Anbar province")."""
    cc = gazetteer.demonyms.get(normalize(text))
    if cc and gazetteer.country(cc):
        return (gazetteer.country(cc),)
    cands = gazetteer.candidates(text)
    if not cands:
        shorter = _DESCRIPTORS.sub("", text)
        if shorter != text:
            cands = gazetteer.candidates(shorter)
    return cands


@Language.factory("toponyms", default_config={"gazetteer": "", "use_ner": True, "streets": True})
def make_toponym_recognizer(nlp: Language, name: str, gazetteer: str, use_ner: bool, streets: bool):
    """spaCy factory of :class:`ToponymRecognizer` (``nlp.add_pipe("toponyms")``)."""
    return ToponymRecognizer(nlp, name, gazetteer=gazetteer, use_ner=use_ner, streets=streets)
