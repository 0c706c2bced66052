"""Pipeline throughput, memory and Dask speed-up, as ratios against raw ``nlp.pipe`` in the same run.

Corpus: the texts of ``../shared/eval`` (geoparsing articles and event-location sentences), every
text an article with the same publication time. Words are whitespace-separated tokens.

    .venv/bin/python -m benchmarks.bench_pipeline                    # everything but the 100k stream
    .venv/bin/python -m benchmarks.bench_pipeline --limit 300        # a quick look
    .venv/bin/python -m benchmarks.bench_pipeline --stream-100k      # only the 100,000-article stream

Dask against one process: the process and every worker first get the same warm-up (the pipeline
loaded and run over the first 8 texts; not timed, nor is the cluster start). Each round then runs
the same texts through both, which one goes first alternating, and the speed-up is the median over
rounds of (1-process wall seconds / Dask wall seconds); the two tables must be equal. The CPU
efficiency (1-process CPU seconds / the Dask client's and workers' CPU seconds) bounds the wall
speed-up on n idle cores at n x efficiency; on a loaded machine wall ratios say little, as Linux's
autogroup scheduling gives a login session one share of the CPU however many processes it runs.

Prints a markdown table and writes ``benchmarks/results/pipeline.json`` (the stream figures go to
``pipeline_stream.json``). Skips (exit 0) when the evaluation corpus is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import statistics
import tempfile
import threading
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pandas as pd
import psutil

from timeline.extract import dask_client, extract_mentions, extract_to_parquet, pipeline_version
from timeline.pipeline import build_pipeline, load_language, model_name

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
RESULTS = ROOT / "benchmarks" / "results"
PUBLISHED = "2020-06-15"
"""Publication time given to every text (the corpora carry none), so relative dates are resolved."""
TARGETS = {"full_vs_raw": 0.8, "dask_speedup": 1.7, "rules_words_per_s": 50_000, "stream_peak_gib": 4.0}
MIB = 2 ** 20


def eval_corpus(eval_dir: Path, limit: int | None = None) -> pd.DataFrame:
    """The article table of the evaluation texts: ``geo/*.jsonl`` articles, then the event-location
    sentences; ``limit`` keeps a seeded random sample of that many (in corpus order)."""
    rows = []
    for path in sorted((eval_dir / "geo").glob("*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                rows.append({"article_id": f"{path.stem}:{record['doc_id']}", "text": record["text"]})
    silver = eval_dir / "events" / "event_location_silver.json.gz"
    with gzip.open(silver, "rt", encoding="utf-8") as handle:
        rows.extend({"article_id": f"silver:{number}", "text": item["text"]}
                    for number, item in enumerate(json.load(handle)))
    if limit is not None and limit < len(rows):
        keep = sorted(random.Random(0).sample(range(len(rows)), limit))
        rows = [rows[number] for number in keep]
    table = pd.DataFrame(rows)
    table["published"] = PUBLISHED
    return table


def words(texts) -> int:
    return sum(len(text.split()) for text in texts)


class PeakMemory:
    """Peak resident memory (bytes) of this process and its children, sampled every 50 ms."""

    def __init__(self, interval: float = 0.05):
        self.interval, self.peak, self.samples = interval, 0, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def current() -> int:
        process = psutil.Process()
        total = process.memory_info().rss
        for child in process.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = self.current()
            self.peak = max(self.peak, rss)
            self.samples.append((time.perf_counter(), rss))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


@contextmanager
def timed(store: dict, key: str):
    """Store the block's wall seconds in ``store[key]`` and this process's CPU seconds in
    ``store[key + "_cpu"]`` (the fair measure of one process on a shared machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    store[key], store[key + "_cpu"] = time.perf_counter() - wall, time.process_time() - cpu


def _cpu_seconds(pids: list[int]) -> float:
    """CPU seconds (user and system, all threads) the processes ``pids`` have used so far."""
    return sum(sum(psutil.Process(pid).cpu_times()[:2]) for pid in pids)


def component_seconds(model: str, texts: list[str]) -> dict[str, float]:
    """CPU seconds each component takes over ``texts`` (one component at a time, in pipeline
    order, batches of 64); ``make_doc`` is the tokenizer."""
    nlp = build_pipeline(model, True)
    seconds: dict[str, float] = {}
    with timed(seconds, "tokenizer"):
        docs = [nlp.make_doc(text) for text in texts]
    for doc in docs:
        doc._.dct = PUBLISHED
    for name, proc in nlp.pipeline:
        with timed(seconds, name):
            docs = list(proc.pipe(docs, batch_size=64)) if hasattr(proc, "pipe") else [proc(doc) for doc in docs]
    return {name[:-4]: value for name, value in seconds.items() if name.endswith("_cpu")}


def peak_rss(kind: str, model: str, table: pd.DataFrame) -> int:
    """Peak resident memory (bytes) of a fresh process that loads ``kind`` (``raw``: the spaCy
    model alone and ``nlp.pipe``; ``full``: :func:`extract_mentions`) and runs it over ``table``."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_peak_rss_child, (kind, model, table))


def _peak_rss_child(kind: str, model: str, table: pd.DataFrame) -> int:
    if kind == "raw":
        for _ in load_language(model).pipe(table["text"], batch_size=64):
            pass
    else:
        extract_mentions(table, model=model, cache=False, progress=False)
    # VmHWM: the peak of this process image (ru_maxrss would include the parent's, kept over exec)
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) * 1024


def run_main(args) -> dict:
    """Tokenizer, raw ``nlp.pipe``, full pipeline, rules-only pipeline and Dask, interleaved over
    ``args.rounds`` slices of the corpus (so that a change in the machine's load hits all alike)."""
    load_start = os.getloadavg()
    table = eval_corpus(args.eval, args.limit)
    texts = table["text"].tolist()
    n_words = words(texts)
    print(f"corpus: {len(table):,} texts, {n_words:,} words", flush=True)
    seconds: dict[str, float] = {}
    options = dict(cache=False, progress=False, batch_size=64)
    blank, raw = load_language("rules"), load_language(args.model)
    warm = table.head(8)
    list(raw.pipe(warm["text"]))
    for model in (args.model, "rules"):
        extract_mentions(warm, model=model, **options)
    local, distributed, dask, rounds = [], [], {}, []
    with dask_client(args.workers) if args.workers else nullcontext() as client:
        if client is not None:
            started = time.perf_counter()
            client.run(extract_mentions, warm, model=args.model, **options)  # each worker: the local warm-up
            extract_mentions(warm, model=args.model, engine="dask", scheduler=client, **options)
            seconds["dask_start"] = time.perf_counter() - started
            worker_pids = list(client.run(os.getpid).values())
        bounds = [round(len(table) * number / args.rounds) for number in range(args.rounds + 1)]
        for number, (start, end) in enumerate(zip(bounds, bounds[1:])):
            part, part_texts = table.iloc[start:end], texts[start:end]
            with timed(step := {}, "tokenizer"):
                for text in part_texts:
                    blank.make_doc(text)
            with timed(step, "raw"):
                for _ in raw.pipe(part_texts, batch_size=64):
                    pass
            engines = ["full", "dask"] if client is not None else ["full"]
            for engine in engines if number % 2 == 0 else engines[::-1]:  # alternate which runs first
                if engine == "full":
                    with timed(step, "full"):
                        local.append(extract_mentions(part, model=args.model, **options))
                else:
                    workers_cpu = _cpu_seconds(worker_pids)
                    with timed(step, "dask"):
                        distributed.append(extract_mentions(part, model=args.model, engine="dask",
                                                            scheduler=client, **options))
                    step["dask_workers_cpu"] = _cpu_seconds(worker_pids) - workers_cpu
            with timed(step, "rules"):  # after "full", whose process caches it would warm on these texts
                extract_mentions(part, model="rules", **options)
            rounds.append(step)
            for key, value in step.items():
                seconds[key] = seconds.get(key, 0.0) + value
            print(f"  texts {start:,}-{end:,}: " + ", ".join(f"{key} {value:.1f} s" for key, value in step.items()
                                                         if not key.endswith("_cpu")), flush=True)
    local_table = pd.concat(local, ignore_index=True)
    if distributed:
        dask = {"workers": args.workers,
                "speedup": statistics.median(step["full"] / step["dask"] for step in rounds),
                "speedup_by_round": [step["full"] / step["dask"] for step in rounds],
                "speedup_total": seconds["full"] / seconds["dask"],
                "cpu_efficiency": seconds["full_cpu"] / (seconds["dask_cpu"] + seconds["dask_workers_cpu"]),
                "identical_to_local": bool(pd.concat(distributed, ignore_index=True).equals(local_table))}
    memory_table = table.head(args.memory_texts)
    memory = {kind: peak_rss(kind, args.model, memory_table) for kind in ("raw", "full")}
    profile_texts = texts[: args.profile_limit]
    components = {"full": component_seconds(args.model, profile_texts),
                  "rules": component_seconds("rules", profile_texts)}
    return {
        "corpus": {"texts": len(table), "words": n_words, "eval_dir": str(args.eval), "limit": args.limit},
        "model": model_name(build_pipeline(args.model, True)),
        "pipeline_version": pipeline_version(args.model, True),
        "machine": f"{os.cpu_count()} cores",
        "rounds": args.rounds,
        "seconds": seconds,
        "words_per_s": {key: n_words / value for key, value in seconds.items()
                        if key not in ("dask_start", "dask_cpu")},
        "mentions": len(local_table),
        "full_vs_raw": seconds["raw_cpu"] / seconds["full_cpu"],
        "full_vs_raw_wall": seconds["raw"] / seconds["full"],
        "rules_vs_tokenizer": seconds["tokenizer_cpu"] / seconds["rules_cpu"],
        "load_average": {"start": load_start, "end": os.getloadavg()},
        "peak_rss_mib": {key: value / MIB for key, value in memory.items()},
        "memory_texts": len(memory_table),
        "dask": dask,
        "component_seconds": {"texts": len(profile_texts), "words": words(profile_texts), **components},
        "targets": TARGETS,
    }


def run_stream(args) -> dict:
    """Replicate the evaluation texts (or a seeded sample of ``args.stream_distinct``) to
    ``args.stream_articles`` articles in a JSON Lines file and stream them into Parquet, sampling
    the memory of this process and its workers. With ``args.stream_cache`` a fresh cache answers
    the repeats, so only the distinct texts go through the pipeline."""
    table = eval_corpus(args.eval, args.stream_distinct)
    records = table.to_dict("records")
    with tempfile.TemporaryDirectory(prefix="event-atlas-bench-") as tmp:
        source = Path(tmp) / "corpus.jsonl"
        n_words = 0
        with source.open("w", encoding="utf-8") as out:
            for number in range(args.stream_articles):
                record = records[number % len(records)]
                n_words += len(record["text"].split())
                out.write(json.dumps({"article_id": f"copy{number // len(records)}:{record['article_id']}",
                                      "text": record["text"], "published": PUBLISHED}) + "\n")
        print(f"stream: {args.stream_articles:,} articles, {n_words:,} words, "
              f"{source.stat().st_size / MIB:.0f} MiB of JSON Lines", flush=True)
        engine = dict(engine="dask", workers=args.stream_workers) if args.stream_workers else dict(engine="local")
        started = time.perf_counter()
        with PeakMemory(interval=0.2) as peak:
            summary = extract_to_parquet(source, Path(tmp) / "out", model=args.stream_model,
                                         cache=Path(tmp) / "cache" if args.stream_cache else False,
                                         progress=args.progress, partition_size=2000, **engine)
        elapsed = time.perf_counter() - started
        tenth = max(1, len(peak.samples) // 10)
        return {
            "articles": args.stream_articles, "distinct_texts": len(table), "words": n_words,
            "processed": summary["processed"], "cached": summary["cached"], "model": summary["model"],
            "engine": engine, "seconds": elapsed, "words_per_s": n_words / elapsed,
            "mentions": summary["mentions"], "partitions": summary["partitions"],
            "peak_rss_gib": peak.peak / 2 ** 30,
            "peak_rss_first_tenth_gib": max(rss for _, rss in peak.samples[:tenth]) / 2 ** 30,
            "peak_rss_last_tenth_gib": max(rss for _, rss in peak.samples[-tenth:]) / 2 ** 30,
            "target_gib": TARGETS["stream_peak_gib"], "machine": f"{os.cpu_count()} cores",
        }


def _ok(value: float, target: float) -> str:
    return "yes" if value >= target else "**no**"


def main_table(result: dict) -> str:
    wps, seconds = result["words_per_s"], result["seconds"]
    rows = [
        ("raw `nlp.pipe` (baseline)", f"{wps['raw_cpu']:,.0f} words/CPU-s ({wps['raw']:,.0f}/s wall)", "",
         "1.00", ""),
        ("full pipeline (dates, places, events, geocoding)",
         f"{wps['full_cpu']:,.0f} words/CPU-s ({wps['full']:,.0f}/s wall)", ">= 0.8x raw",
         f"{result['full_vs_raw']:.2f} (wall {result['full_vs_raw_wall']:.2f})",
         _ok(result["full_vs_raw"], TARGETS["full_vs_raw"])),
        ("rules-only pipeline, 1 process", f"{wps['rules_cpu']:,.0f} words/CPU-s ({wps['rules']:,.0f}/s wall)",
         ">= 50,000 words/s", f"{result['rules_vs_tokenizer']:.2f} of the tokenizer "
                              f"({wps['tokenizer_cpu']:,.0f} words/CPU-s)",
         _ok(wps["rules_cpu"], TARGETS["rules_words_per_s"])),
        (f"peak memory (RSS of a fresh process, {result['memory_texts']:,} texts), full pipeline",
         f"{result['peak_rss_mib']['full']:,.0f} MiB", "",
         f"{result['peak_rss_mib']['full'] / result['peak_rss_mib']['raw']:.2f} "
         f"(raw: {result['peak_rss_mib']['raw']:,.0f} MiB)", ""),
    ]
    if result["dask"]:
        dask = result["dask"]
        by_round = ", ".join(f"{ratio:.2f}" for ratio in dask["speedup_by_round"])
        rows.append((f"Dask, {dask['workers']} local workers, vs 1 process (wall, whole corpus)",
                     f"{wps['dask']:,.0f} words/s (1 process: {wps['full']:,.0f})", ">= 1.7x",
                     f"{dask['speedup_total']:.2f}x (median of the rounds {dask['speedup']:.2f}x; rounds: "
                     f"{by_round}; identical: {dask['identical_to_local']}; "
                     f"cluster start and warm-up {seconds['dask_start']:.1f} s not counted)",
                     _ok(dask["speedup_total"], TARGETS["dask_speedup"])))
        rows.append(("Dask CPU efficiency: 1-process CPU s / (workers' + client's CPU s), same texts",
                     f"{dask['cpu_efficiency']:.2f}", "",
                     f"wall speed-up on {dask['workers']} idle cores is at most "
                     f"{dask['workers'] * dask['cpu_efficiency']:.2f}x", ""))
    load = result["load_average"]
    lines = [f"Corpus: {result['corpus']['texts']:,} texts, {result['corpus']['words']:,} words; model "
             f"{result['model']}; {result['machine']}; load average {load['start'][0]:.1f} at the start, "
             f"{load['end'][0]:.1f} at the end.", "",
             "| what | figure | target | ratio | met |", "|---|---|---|---|---|"]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    profile = result["component_seconds"]
    lines += ["", f"CPU seconds per component ({profile['texts']:,} texts, {profile['words']:,} words):", "",
              "| pipeline | component | CPU s | share | words/CPU-s |", "|---|---|---|---|---|"]
    for pipeline in ("full", "rules"):
        total = sum(profile[pipeline].values())
        lines += [f"| {pipeline} | {name} | {value:.2f} | {value / total:.0%} | {profile['words'] / value:,.0f} |"
                  for name, value in profile[pipeline].items() if value > 0]
    return "\n".join(lines)


def stream_table(result: dict) -> str:
    return "\n".join([
        "| what | figure | target | met |", "|---|---|---|---|",
        f"| {result['articles']:,} articles ({result['words']:,} words) streamed to Parquet, peak memory "
        f"| {result['peak_rss_gib']:.2f} GiB | < 4 GiB | "
        f"{'yes' if result['peak_rss_gib'] < TARGETS['stream_peak_gib'] else '**no**'} |",
        f"| peak memory in the first / last tenth of the run | {result['peak_rss_first_tenth_gib']:.2f} / "
        f"{result['peak_rss_last_tenth_gib']:.2f} GiB | flat | |",
        f"| articles processed / answered by the cache ({result['distinct_texts']:,} distinct texts) | "
        f"{result['processed']:,} / {result['cached']:,} | | |",
        f"| elapsed ({result['model']}, {result['engine']['engine']} engine) | {result['seconds']:,.0f} s, "
        f"{result['articles'] / result['seconds']:,.0f} articles/s (cache answers included) | | |",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="the shared evaluation folder")
    parser.add_argument("--model", default="auto", help="spaCy model of the full pipeline (default: auto)")
    parser.add_argument("--limit", type=int, help="use a seeded sample of this many texts")
    parser.add_argument("--workers", type=int, default=2, help="Dask local workers (0: skip Dask)")
    parser.add_argument("--rounds", type=int, default=3, help="slices of the corpus the steps alternate over")
    parser.add_argument("--memory-texts", type=int, default=2000, help="texts of the peak-memory runs")
    parser.add_argument("--profile-limit", type=int, default=1000, help="texts timed component by component")
    parser.add_argument("--stream-100k", action="store_true", help="run only the streaming memory test")
    parser.add_argument("--stream-articles", type=int, default=100_000)
    parser.add_argument("--stream-model", default="rules", help="model of the streaming test (default: rules)")
    parser.add_argument("--stream-distinct", type=int, help="distinct texts replicated (default: all)")
    parser.add_argument("--stream-cache", action="store_true", help="answer repeated texts from a fresh cache")
    parser.add_argument("--stream-workers", type=int, default=0, help="Dask workers of the streaming test")
    parser.add_argument("--progress", action="store_true", help="progress bar for the streaming test")
    args = parser.parse_args(argv)
    if not (args.eval / "geo").is_dir():
        print(f"skipped: no evaluation corpus at {args.eval}")
        return 0
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.stream_100k:
        result = run_stream(args)
        (RESULTS / "pipeline_stream.json").write_text(json.dumps(result, indent=2) + "\n")
        print(stream_table(result))
    else:
        result = run_main(args)
        (RESULTS / "pipeline.json").write_text(json.dumps(result, indent=2) + "\n")
        print(main_table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
