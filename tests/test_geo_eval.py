"""`eval geo`: span matching, distance figures and the command line."""

import json
import math
from pathlib import Path

import pytest

from geo.evaluate import MAX_ERROR_KM, auc, cli, load_corpus, overlap_matches, score

SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval" / "geo"


def top(start, end, lat=None, lon=None, mention="x"):
    return {"start": start, "end": end, "mention": mention, "lat": lat, "lon": lon}


def test_overlap_matching_is_one_to_one():
    gold = [top(0, 5), top(10, 20)]
    pred = [top(0, 3), top(2, 5), top(12, 25), top(30, 35)]
    pairs = overlap_matches(gold, pred)
    assert len(pairs) == 2 and len({j for _, j in pairs}) == 2


def test_score_figures():
    gold = [[top(0, 5, 33.3, 44.4), top(10, 20, 36.3, 43.1), top(30, 40)]]
    pred = [[top(0, 5, 33.3, 44.4), top(12, 20, 15.0, 48.0), top(50, 55)]]
    r = score(gold, pred)
    assert r["precision_exact"] == pytest.approx(1 / 3) and r["recall_exact"] == pytest.approx(1 / 3)
    assert r["recall_overlap"] == pytest.approx(2 / 3)
    assert r["resolved_pairs"] == 2 and r["acc161"] == pytest.approx(0.5)
    assert r["e2e161"] == pytest.approx(2 / 3 * 0.5)
    assert r["median_km"] > 1000 and r["mean_km"] > 1000


def test_unresolved_prediction_counts_as_the_largest_error():
    r = score([[top(0, 4, 10.0, 10.0)]], [[top(0, 4)]])
    assert r["mean_km"] == MAX_ERROR_KM and r["acc161"] == 0


def test_auc_bounds():
    assert auc([0.0, 0.0]) == 0.0
    assert auc([MAX_ERROR_KM, MAX_ERROR_KM]) == pytest.approx(1.0)
    assert 0 < auc([1.0, 100.0, 1000.0]) < 1
    assert math.isnan(auc([]))


def test_bad_corpus_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "abc", "toponyms": [{"start": 2, "end": 9}]}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="bad.jsonl:1"):
        load_corpus(bad)
    assert cli([str(bad), "--model", "rules"]) == 2
    assert "bad.jsonl" in capsys.readouterr().err
    assert cli([str(tmp_path / "missing.jsonl"), "--model", "rules"]) == 2


@pytest.fixture
def corpus(tmp_path):
    text = "Militias attacked a base near Mosul, Iraq, and fighters fled to Syria."
    doc = {"doc_id": "d1", "text": text, "toponyms": [
        {"start": text.index("Mosul"), "end": text.index("Mosul") + 5, "mention": "Mosul", "lat": 36.335,
         "lon": 43.119, "geonameid": "99072", "feature_code": "PPLA", "country": "Iraq", "admin1": "Nineveh"},
        {"start": text.index("Iraq"), "end": text.index("Iraq") + 4, "mention": "Iraq", "lat": 33.0,
         "lon": 44.0, "geonameid": "99237", "feature_code": "PCLI", "country": "Iraq", "admin1": None},
        {"start": text.index("Syria"), "end": text.index("Syria") + 5, "mention": "Syria", "lat": 35.0,
         "lon": 38.0, "geonameid": "163843", "feature_code": "PCLI", "country": "Syria", "admin1": None}]}
    path = tmp_path / "mini.jsonl"
    path.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("gold_spans", [False, True])
def test_cli_json_and_predictions(corpus, tmp_path, capsys, gold_spans):
    out = tmp_path / "pred.jsonl"
    argv = [str(corpus), "--json", "--model", "rules", "--predictions", str(out)]
    assert cli(argv + (["--gold-spans"] if gold_spans else [])) == 0
    figures = json.loads(capsys.readouterr().out)
    r = figures["results"]["mini"]
    assert r["f1_exact"] == pytest.approx(1.0) and r["acc161"] == pytest.approx(1.0)
    line = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert line["doc_id"] == "d1"
    first = line["toponyms"][0]
    assert {"start", "end", "mention", "lat", "lon", "geonameid", "feature_code", "country", "admin1"} <= set(first)
    assert first["mention"] == "Mosul" and first["country"] == "Iraq"


def test_cli_markdown_table(corpus, capsys):
    assert cli([str(corpus), "--model", "rules", "--limit", "1"]) == 0
    assert "| mini | 1 | 3 |" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "tr_news.jsonl").exists(), reason="shared evaluation corpora absent")
def test_tr_news_sample_is_in_the_expected_range(capsys):
    assert cli([str(SHARED / "tr_news.jsonl"), "--json", "--model", "rules", "--limit", "20"]) == 0
    r = json.loads(capsys.readouterr().out)["results"]["tr_news"]
    assert r["f1_overlap"] > 0.6 and r["acc161"] > 0.6


def test_split_tokens_cuts_at_the_offsets():
    import spacy

    from geo.evaluate import split_tokens

    text = "the U.S.-led campaign from LOUISVILLE, KY--(Marketwire)"
    doc = split_tokens(spacy.blank("en").make_doc(text), [4, 8, text.index("KY"), text.index("KY") + 2])
    assert doc.text == text
    assert doc.char_span(4, 8).text == "U.S."
    assert doc.char_span(text.index("KY"), text.index("KY") + 2).text == "KY"


def test_gold_span_inside_a_token_is_resolved_on_its_own(tmp_path, capsys):
    text = "Turkey joined the U.S.-led coalition."
    start = text.index("U.S.")
    doc = {"doc_id": "d1", "text": text, "toponyms": [
        {"start": start, "end": start + 4, "mention": "U.S.", "lat": 39.76, "lon": -98.5, "geonameid": "6252001",
         "feature_code": "PCLI", "country": "United States", "admin1": None}]}
    path = tmp_path / "led.jsonl"
    path.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    assert cli([str(path), "--json", "--model", "rules", "--gold-spans", "--predictions", str(out)]) == 0
    assert json.loads(capsys.readouterr().out)["results"]["led"]["acc161"] == pytest.approx(1.0)
    predicted = json.loads(out.read_text(encoding="utf-8"))["toponyms"][0]
    assert predicted["mention"] == "U.S." and predicted["geonameid"] == "6252001"
