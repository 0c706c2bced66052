"""TimeML reading, TempEval-3 scoring and the `eval timeml` command, on a tiny sample written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from timeline.timeml import Timex, cli, match_relaxed, read_timeml, score, write_timeml

SAMPLE = """<?xml version="1.0" ?>
<TimeML>
<DOCID>SAMPLE1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" temporalFunction="false" functionInDocument="CREATION_TIME">19980108</TIMEX3></DCT>
<TEXT>
Stocks <EVENT eid="e1" class="OCCURRENCE">fell</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-01-07">yesterday</TIMEX3> &amp; rose <TIMEX3 tid="t2" type="DATE" value="1997">last year</TIMEX3>. It took <TIMEX3 tid="t3" type="DURATION" value="P3Y">three years</TIMEX3>; talks resume <TIMEX3 tid="t4" type="DATE" value="1998-W03">next week</TIMEX3>.
</TEXT>
</TimeML>
"""


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.tml"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def test_read_offsets_point_at_the_tagged_text(sample):
    doc = read_timeml(sample)
    assert doc.dct == "1998-01-08" and doc.doc_id == "SAMPLE1"
    assert [doc.text[t.start:t.end] for t in doc.timexes] == ["yesterday", "last year", "three years", "next week"]
    assert [t.type for t in doc.timexes] == ["DATE", "DATE", "DURATION", "DATE"]
    assert "&" in doc.text and "<EVENT" not in doc.text  # entities decoded, tags stripped


def test_bad_file_names_the_file(tmp_path):
    bad = tmp_path / "broken.tml"
    bad.write_text("<TimeML><TEXT>unclosed", encoding="utf-8")
    with pytest.raises(ValueError, match="broken.tml"):
        read_timeml(bad)


def test_relaxed_matching_is_one_to_one():
    gold = [Timex(0, 10, "DATE", "1998"), Timex(20, 30, "DATE", "1997")]
    system = [Timex(5, 25, "DATE", "1998")]  # overlaps both: may pair with only one
    assert len(match_relaxed(gold, system)) == 1


def test_score_rules():
    gold = [Timex(0, 9, "DATE", "1998-01-07"), Timex(12, 21, "DATE", "1997"), Timex(30, 41, "DURATION", "P3Y")]
    system = [Timex(0, 9, "DATE", "1998-01-07"),        # strict, right value
              Timex(9, 21, "DATE", "1996"),             # relaxed only, wrong value
              Timex(50, 55, "SET", "P1D")]              # spurious
    r = score([(gold, system)])
    assert (r["strict_matches"], r["relaxed_matches"]) == (1, 2)
    assert r["strict_precision"] == pytest.approx(1 / 3) and r["relaxed_recall"] == pytest.approx(2 / 3)
    assert r["value_accuracy"] == pytest.approx(0.5) and r["type_accuracy"] == pytest.approx(1.0)
    assert r["value_f1"] == pytest.approx(r["relaxed_f1"] * 0.5)
    assert r["per_type"]["DURATION"]["relaxed_recall"] == 0.0


def test_write_then_read_round_trip(sample, tmp_path):
    doc = read_timeml(sample)
    out = tmp_path / "pred.tml"
    write_timeml(doc, doc.timexes, out)
    again = read_timeml(out)
    assert again.text == doc.text and again.dct == doc.dct
    assert [(t.start, t.end, t.type, t.value) for t in again.timexes] == \
        [(t.start, t.end, t.type, t.value) for t in doc.timexes]


def test_cli_scores_and_writes_predictions(sample, tmp_path, capsys):
    pred_dir = tmp_path / "pred"
    assert cli([str(sample), "--json", "--model", "rules", "--predictions", str(pred_dir)]) == 0
    result = json.loads(capsys.readouterr().out)
    for key in ("strict_f1", "relaxed_f1", "value_f1", "value_accuracy", "type_accuracy", "docs_per_s"):
        assert key in result
    assert result["gold"] == 4 and result["relaxed_recall"] == 1.0
    assert result["value_accuracy"] == 1.0
    written = read_timeml(pred_dir / "sample.tml")
    assert written.dct == "1998-01-08" and len(written.timexes) == result["system"]


def test_cli_missing_path_is_a_clear_error(tmp_path, capsys):
    assert cli([str(tmp_path / "nope"), "--model", "rules"]) == 2
    assert "nope" in capsys.readouterr().err


SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "time" / "timebank"


@pytest.mark.slow
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/eval/time/timebank not present")
def test_timebank_relaxed_f1_floor(capsys):
    """A floor well under the measured figure (see benchmarks/sections/dates.md), to catch regressions."""
    assert cli([str(SHARED), "--json", "--model", "rules"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["relaxed_f1"] > 0.85 and result["value_f1"] > 0.65
