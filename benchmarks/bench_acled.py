"""ACLED sub-event typing on the synthetic snippets (CASE 2021 Task 2 setting), with PLOVER as a guard.

    .venv/bin/python -m benchmarks.bench_acled

Figures, for each file of ``tests/data/acled_snippets`` (dev: tuned on; test: held out, read once
after tuning; test2: written apart from the code, measured clean once, then read for issue #5):
accuracy, weighted F1 and macro F1 of the main event's ACLED sub-event type, for the full and the
rules-only pipeline, next to the keyword baseline (``timeline.acled_eval.keyword_label``); and the
PLOVER accuracy of the main event (the typing must not cost it), skipped when
``../shared/eval/events`` is absent.

Prints a markdown table and writes ``benchmarks/results/acled.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

from timeline.acled_eval import evaluate_acled
from timeline.event_eval import PLOVER_FILE, evaluate_plover, events_pipeline
from timeline.pipeline import model_name

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "acled_snippets"
PLOVER = ROOT.parent / "shared" / "eval" / "events" / PLOVER_FILE
RESULTS = ROOT / "benchmarks" / "results"
TARGETS = {"test_weighted_f1": 0.75, "plover_accuracy": 0.835}
KEYS = ("accuracy", "weighted_f1", "macro_f1", "no_event")


def main() -> int:
    results: dict = {"targets": TARGETS}
    rows = []
    for model in ("auto", "rules"):
        nlp = events_pipeline(model, places=False)
        results.setdefault("model", {})[model] = model_name(nlp)
        for half in ("dev", "test", "test2"):
            scored = evaluate_acled(nlp, DATA / f"{half}.jsonl")
            system = {k: scored["system"][k] for k in KEYS}
            results[f"{model}_{half}"] = {**system, "per_class": scored["system"]["per_class"]}
            rows.append((f"{half} ({scored['system']['snippets']}), {'full' if model == 'auto' else 'rules-only'} pipeline",
                         system))
            if model == "auto":
                baseline = {k: scored["keyword_baseline"][k] for k in KEYS if k in scored["keyword_baseline"]}
                results[f"keyword_{half}"] = baseline
                rows.append((f"{half}, keyword baseline", {**baseline, "no_event": "-"}))
        if model == "auto" and PLOVER.is_file():
            plover = evaluate_plover(nlp, PLOVER)
            results["plover_accuracy"] = plover["accuracy"]
            results["plover_macro_f1"] = plover["macro_f1"]
    print("| snippets, classifier | accuracy | weighted F1 | macro F1 | no event |")
    print("|---|---|---|---|---|")
    for label, s in rows:
        print(f"| {label} | {s['accuracy']:.3f} | {s['weighted_f1']:.3f} | {s['macro_f1']:.3f} | {s['no_event']} |")
    if "plover_accuracy" in results:
        print(f"\nPLOVER accuracy of the main event: {results['plover_accuracy']:.3f} (guard: >= {TARGETS['plover_accuracy']}), "
              f"macro F1 {results['plover_macro_f1']:.3f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "acled.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
