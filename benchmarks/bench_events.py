"""Event extraction: PLOVER event type, event location, and the cost of the ``events`` component.

    .venv/bin/python -m benchmarks.bench_events                 # everything (location: all 9,199 sentences)
    .venv/bin/python -m benchmarks.bench_events --limit 1000    # a quick look (seeded sample of sentences)

Figures:

* PLOVER gold records (322 sentences): accuracy, accuracy on our taxonomy's classes, macro-F1 and
  per-class F1 of the main event's PLOVER code, for the full and the rules-only pipeline.
* Event-location silver sentences: span P/R/F1 (overlap) of the place linked to the marked verb,
  and abstention accuracy on sentences with no location.
* Speed: words/s of ``nlp.pipe`` with the base model alone and with ``events`` added, same texts,
  same run (ratio = with / without).

Prints a markdown table and writes ``benchmarks/results/events.json``. Skips (exit 0) when
``../shared/eval/events`` is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from pathlib import Path

from timeline.event_eval import LOCATION_FILE, PLOVER_FILE, evaluate_location, evaluate_plover, events_pipeline
from timeline.pipeline import load_language, model_name

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT.parent / "shared" / "eval" / "events"
RESULTS = ROOT / "benchmarks" / "results"
TARGETS = {"plover_accuracy_in_taxonomy": 0.80, "location_f1": 0.75, "abstention_accuracy": 0.80,
           "events_vs_base_speed": 0.9}


def _sample_location(path: Path, limit: int | None, out: Path) -> Path:
    """A seeded sample of ``limit`` silver sentences written to ``out`` (the whole file when None)."""
    if limit is None:
        return path
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        records = json.load(handle)
    keep = sorted(random.Random(0).sample(range(len(records)), min(limit, len(records))))
    out.write_text(json.dumps([records[i] for i in keep]), encoding="utf-8")
    return out


LOCATION_SENTENCES = 9199
"""Sentences in the event-location silver file (its first half tuned the place linker)."""


def _pooled(a: dict, b: dict) -> dict:
    """The location figures of two disjoint slices pooled into one (P, R, F1, abstention)."""
    def count(d, key):
        return d[key] * d["predicted" if key == "precision" else "gold_locations"]
    predicted, gold = a["predicted"] + b["predicted"], a["gold_locations"] + b["gold_locations"]
    precision = (count(a, "precision") + count(b, "precision")) / predicted if predicted else 0.0
    recall = (count(a, "recall") + count(b, "recall")) / gold if gold else 0.0
    no_location = a["no_location_sentences"] + b["no_location_sentences"]
    abstained = (a["abstention_accuracy"] * a["no_location_sentences"] + b["abstention_accuracy"] * b["no_location_sentences"])
    return {"sentences": a["sentences"] + b["sentences"], "gold_locations": gold, "predicted": predicted,
            "precision": round(precision, 4), "recall": round(recall, 4),
            "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
            "no_location_sentences": no_location,
            "abstention_accuracy": round(abstained / no_location, 4) if no_location else 0.0}


def speed(texts: list[str], repeats: int = 2) -> dict:
    """words/s of the base model with and without the ``events`` component (best of ``repeats``)."""
    words = sum(len(t.split()) for t in texts)
    base = load_language("auto")
    with_events = load_language("auto")
    with_events.add_pipe("events")
    timings = {}
    for name, nlp in (("base", base), ("base+events", with_events)):
        list(nlp.pipe(texts[:50]))  # warm up
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            for _doc in nlp.pipe(texts, batch_size=64):
                pass
            best = min(best, time.perf_counter() - start)
        timings[name] = words / best
    return {"words": words, "base_words_per_s": round(timings["base"]),
            "events_words_per_s": round(timings["base+events"]),
            "events_vs_base_speed": round(timings["base+events"] / timings["base"], 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval-dir", default=str(DEFAULT_DIR))
    parser.add_argument("--limit", type=int, default=None, help="location sentences to score (seeded sample)")
    parser.add_argument("--speed-texts", type=int, default=2000, help="silver sentences timed for speed")
    args = parser.parse_args(argv)
    eval_dir = Path(args.eval_dir)
    if not (eval_dir / PLOVER_FILE).is_file() or not (eval_dir / LOCATION_FILE).is_file():
        print(f"bench_events: {eval_dir} has no PLOVER or event-location file; skipped")
        return 0
    RESULTS.mkdir(parents=True, exist_ok=True)
    full = events_pipeline("auto")
    rules = events_pipeline("rules")
    figures: dict = {"model": model_name(full), "components": list(full.pipe_names), "machine": "2 cores",
                     "date": time.strftime("%Y-%m-%d", time.gmtime()), "targets": TARGETS}
    figures["plover_full"] = evaluate_plover(full, eval_dir / PLOVER_FILE)
    figures["plover_rules"] = evaluate_plover(rules, eval_dir / PLOVER_FILE)
    sample = _sample_location(eval_dir / LOCATION_FILE, args.limit, RESULTS / "events_location_sample.json")
    half = (args.limit or LOCATION_SENTENCES) // 2
    # the linker was tuned on the first half of the file; the second half confirms
    figures["location_tune"] = evaluate_location(full, sample, limit=half)
    figures["location_held_out"] = evaluate_location(full, sample, offset=half)
    figures["location_full"] = _pooled(figures["location_tune"], figures["location_held_out"])
    figures["location_limit"] = args.limit
    with gzip.open(eval_dir / LOCATION_FILE, "rt", encoding="utf-8") as handle:
        texts = [r["text"] for r in json.load(handle)]
    texts = [texts[i] for i in sorted(random.Random(1).sample(range(len(texts)), min(args.speed_texts, len(texts))))]
    figures["speed"] = speed(texts)
    (RESULTS / "events.json").write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(table(figures))
    return 0


def table(f: dict) -> str:
    """The figures as a markdown table."""
    pf, pr, loc, sp = f["plover_full"], f["plover_rules"], f["location_full"], f["speed"]
    rows = [
        ("PLOVER accuracy, our taxonomy's classes (full)", pf["accuracy_in_taxonomy"], ">= 0.80"),
        ("PLOVER accuracy, all records (full)", pf["accuracy"], ""),
        ("PLOVER macro-F1 (full)", pf["macro_f1"], "reported"),
        ("PLOVER accuracy (rules only)", pr["accuracy"], ""),
        ("PLOVER macro-F1 (rules only)", pr["macro_f1"], ""),
        ("event location precision", loc["precision"], ""),
        ("event location recall", loc["recall"], ""),
        ("event location F1", loc["f1"], ">= 0.75"),
        ("abstention accuracy (no-location sentences)", loc["abstention_accuracy"], ">= 0.80"),
        ("event location F1, tuning half", f["location_tune"]["f1"], ""),
        ("event location F1, held-out half", f["location_held_out"]["f1"], ">= 0.75"),
        ("abstention accuracy, held-out half", f["location_held_out"]["abstention_accuracy"], ">= 0.80"),
        ("events component speed vs base model", sp["events_vs_base_speed"], ">= 0.9 (cheap)"),
    ]
    lines = [f"model: {f['model']}; components: {', '.join(f['components'])}; {f['machine']}; {f['date']}",
             f"location sentences: {loc['sentences']}; speed corpus: {sp['words']} words, "
             f"base {sp['base_words_per_s']} w/s, with events {sp['events_words_per_s']} w/s", "",
             "| what | figure | target |", "|---|---|---|"]
    lines += [f"| {what} | {value:.3f} | {target} |" for what, value, target in rows]
    lines += ["", "| PLOVER class | P | R | F1 | support |", "|---|---|---|---|---|"]
    lines += [f"| {c} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |"
              for c, s in pf["per_class"].items()]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
