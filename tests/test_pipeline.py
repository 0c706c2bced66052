"""Model loading: the English model when installed, else the rules-only pipeline, named either way."""

from __future__ import annotations

import importlib.util
import logging

import pytest

from timeline.pipeline import MODEL_PACKAGES, load_language, model_name


def test_auto_loads_an_installed_model_and_names_it():
    installed = [name for name in MODEL_PACKAGES if importlib.util.find_spec(name)]
    if not installed:
        pytest.skip("no English spaCy model installed")
    nlp = load_language("auto")
    assert model_name(nlp).startswith(installed[0] + " ")
    assert "ner" in nlp.pipe_names and "parser" in nlp.pipe_names


def test_auto_falls_back_to_rules_only_with_one_warning(monkeypatch, caplog):
    monkeypatch.setattr("timeline.pipeline.MODEL_PACKAGES", ("no_such_model_package",))
    with caplog.at_level(logging.WARNING, logger="timeline.pipeline"):
        nlp = load_language("auto")
    assert nlp.pipe_names == ["sentencizer", "paragraph_breaks"]
    assert model_name(nlp).startswith("rules-only")
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "\n" not in warnings[0].getMessage()


def test_a_named_model_that_is_missing_is_an_error():
    with pytest.raises(OSError, match="not installed"):
        load_language("no_such_model_package")


def test_rules_only_splits_sentences():
    doc = load_language("rules")("Militias left Mosul. Airstrikes hit Yemen.")
    assert len(list(doc.sents)) == 2


@pytest.mark.parametrize("model", ["auto", "rules"])
def test_a_blank_line_always_ends_a_sentence(model):
    doc = load_language(model)("Last news in Fakti\n\nIraqi militias backed by Iran are ready to disarm.")
    assert [s.text.strip() for s in doc.sents][:2] == ["Last news in Fakti", "Iraqi militias backed by Iran are ready to disarm."]
