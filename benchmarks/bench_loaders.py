"""Loader reliability and speed: throughput against a plain read, the 50 MB article, the hostile
folder, a seeded fuzz run, and publication-time datelines on the TimeML corpora.

    .venv/bin/python -m benchmarks.bench_loaders              # everything (~1 minute on 2 cores)
    .venv/bin/python -m benchmarks.bench_loaders --fuzz 300   # a quick look

Prints a markdown table and writes it to ``benchmarks/sections/loaders.md``, the raw figures to
``benchmarks/results/loaders.json``. The TimeML row is
skipped when ``../shared/eval/time`` is absent.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import tempfile
import time
import tracemalloc
from html import unescape
from pathlib import Path

import pandas as pd

from timeline.articles import STATUSES, Manifest, dateline_from_text, load_articles

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
SECTION = ROOT / "benchmarks" / "sections" / "loaders.md"
DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
SEEDS = ROOT / "data" / "articles"
SUFFIXES = (".txt", ".html", ".json", ".jsonl", ".csv", ".tsv", ".md", ".meta.json", ".bin")
MIB = 2 ** 20
REPEATS = 3
"""Timed runs of the throughput comparison; the best of each is kept (the machine is shared)."""


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def write_txt_corpus(folder: Path, count: int) -> int:
    """``count`` distinct articles built from the seed texts; returns the bytes written."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    total = 0
    for number in range(count):
        text = f"Report {number} on the talks\nPublished: {1 + number % 28} March 2025\n\n" + texts[number % len(texts)]
        total += (folder / f"a{number:05d}.txt").write_text(text, encoding="utf-8")
    return total


def throughput(count: int) -> dict:
    """load_articles on ``count`` .txt files against reading them into a DataFrame by hand (best
    of ``REPEATS`` runs each)."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        size = write_txt_corpus(folder, count)
        baseline = lambda: pd.DataFrame({"text": [p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())]})
        baseline()  # warm the page cache
        base_s = min(timed(baseline)[1] for _ in range(REPEATS))
        load_s = min(timed(load_articles, folder)[1] for _ in range(REPEATS))
        manifest = Manifest()
        frame = load_articles(folder, manifest=manifest)
        assert len(frame) == count and manifest.counts["ok"] == count
    return {"articles": count, "mib": size / MIB, "load_s": load_s, "baseline_s": base_s,
            "articles_per_s": count / load_s, "ratio_vs_plain_read": load_s / base_s,
            "dated": int((frame.published != "").sum())}


def mixed_formats(records: int) -> dict:
    """Seconds per article for JSONL, CSV and HTML inputs of ``records`` articles each."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    out = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        rows = [{"id": f"r{n}", "title": f"Title {n}", "text": texts[n % 5] + f"\n{n}", "date": "2025-04-07"}
                for n in range(records)]
        (folder / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
        pd.DataFrame(rows).to_csv(folder / "table.csv", index=False)
        html_dir = folder / "html"
        html_dir.mkdir()
        for n in range(min(records, 200)):
            paragraphs = "".join(f"<p>{p}</p>" for p in texts[n % 5].split("\n") if p.strip())
            (html_dir / f"p{n}.html").write_text(
                f"<html><head><title>T{n}</title><meta property='article:published_time' content='2025-04-07T09:34'>"
                f"<script>var x={n};</script></head><body><nav>Home</nav><article>{paragraphs}<p>{n}</p></article>"
                "</body></html>", encoding="utf-8")
        for label, source, count in (("jsonl", folder / "feed.jsonl", records), ("csv", folder / "table.csv", records),
                                     ("html", html_dir, min(records, 200))):
            frame, seconds = timed(load_articles, source)
            assert len(frame) == count, label
            out[f"{label}_ms_per_article"] = 1000 * seconds / count
    return out


def huge_article() -> dict:
    """A 50 MB .txt article: load time and peak Python memory against a plain read."""
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "huge.txt"
        block = ("Huge article headline\n\n" + (SEEDS / "000_f0aa297e8a7b2a92.txt").read_text(encoding="utf-8")).encode()
        with path.open("wb") as handle:
            while handle.tell() < 50 * MIB:
                handle.write(block)
        size = path.stat().st_size
        tracemalloc.start()
        data, base_s = timed(path.read_bytes)
        base_peak = tracemalloc.get_traced_memory()[1]
        del data
        tracemalloc.reset_peak()
        manifest = Manifest()
        frame, load_s = timed(load_articles, path, manifest=manifest)
        load_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        entry = manifest.entries[0]
    return {"file_mib": size / MIB, "load_s": load_s, "plain_read_s": base_s, "status": entry.status,
            "kept_bytes": len(frame.text.item().encode()), "peak_mib": load_peak / MIB,
            "plain_read_peak_mib": base_peak / MIB}


def hostile_folder() -> dict:
    """The hostile corpus of tests/test_loader_hostile_inputs.py."""
    spec = importlib.util.spec_from_file_location("hostile_inputs", ROOT / "tests" / "test_loader_hostile_inputs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        expected = module.corpus(folder)
        manifest = Manifest()
        frame, seconds = timed(load_articles, folder, manifest=manifest)
        on_disk = sorted(p.as_posix() for p in folder.iterdir())
        accounted = [e.file for e in manifest] == on_disk
        matched = sum(manifest[(folder / n).as_posix()].status == s for n, (s, _) in expected.items())
    return {"files": len(on_disk), "accounted_once": accounted, "status_as_expected": matched,
            "articles": len(frame), "seconds": seconds, **{s: manifest.counts[s] for s in STATUSES}}


def mutate(rng: random.Random, seed: bytes) -> bytes:
    """A random edit of ``seed``: flips, cuts, inserted junk, repeated slices, or pure noise."""
    data = bytearray(seed)
    for _ in range(rng.randint(1, 8)):
        choice = rng.random()
        position = rng.randrange(len(data) + 1) if data else 0
        if choice < 0.25 and data:
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif choice < 0.45:
            del data[position:position + rng.randint(1, 200)]
        elif choice < 0.7:
            data[position:position] = rng.choice([b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b'"', b"\n", b"<", b"{",
                                                  b"\r", b",", b"---\n", rng.randbytes(rng.randint(1, 64))])
        elif choice < 0.9 and data:
            start = rng.randrange(len(data))
            data[position:position] = data[start:start + rng.randint(1, 500)] * rng.randint(1, 20)
        else:
            data = bytearray(rng.randbytes(rng.randint(0, 4000)))
    return bytes(data)


def fuzz(cases: int, seed: int = 0) -> dict:
    """``cases`` mutated inputs, 25 per folder, across every format; counts what escaped."""
    rng = random.Random(seed)
    texts = [p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))]
    valid = {
        ".txt": texts, ".md": [b"---\ntitle: x\npublished: 2025-04-07\n---\n" + t for t in texts],
        ".html": [b"<html><head><meta charset='utf-8'><title>t</title></head><body><p>" + t + b"</p></body></html>"
                  for t in texts],
        ".json": [json.dumps({"title": "t", "text": t.decode()}).encode() for t in texts],
        ".jsonl": [b"\n".join(json.dumps({"id": str(n), "text": t.decode()}).encode() for n, t in enumerate(texts))],
        ".csv": [pd.DataFrame({"title": ["a"], "text": [t.decode()]}).to_csv(index=False).encode() for t in texts],
        ".tsv": [b"title\ttext\na\t" + t.replace(b"\n", b" ") for t in texts],
        ".meta.json": [b'{"title": "t", "published": "2025-04-07"}'], ".bin": [b"\x00\x01"],
    }
    escaped, files, accounted, statuses = [], 0, 0, dict.fromkeys(STATUSES, 0)
    started = time.perf_counter()
    done = 0
    while done < cases:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            batch = min(25, cases - done)
            for number in range(batch):
                suffix = SUFFIXES[rng.randrange(len(SUFFIXES))]
                (folder / f"f{number:02d}{suffix}").write_bytes(mutate(rng, rng.choice(valid[suffix])))
            manifest = Manifest()
            try:
                load_articles(folder, manifest=manifest)
            except Exception as exc:  # noqa: BLE001 - what the fuzz run is looking for
                escaped.append(f"{type(exc).__name__}: {exc}"[:200])
            files += batch
            accounted += sum(1 for e in manifest if e.status in STATUSES)
            for entry in manifest:
                statuses[entry.status] += 1
            done += batch
    return {"inputs": files, "exceptions": len(escaped), "examples": escaped[:5],
            "accounted_pct": 100 * accounted / files, "seconds": time.perf_counter() - started, **statuses}


def timeml_datelines(eval_dir: Path) -> dict | None:
    """Dateline detection on TimeML documents (title, header and text with tags removed) against
    their creation time: how often a date is found, and how often it is the right day."""
    folder = eval_dir / "time"
    files = sorted(folder.glob("timebank/*.tml")) + sorted(folder.glob("aquaint/*.tml"))
    if not files:
        return None
    found = right = 0
    for path in files:
        raw = path.read_text(encoding="utf-8")
        dct = re.search(r'<DCT>.*?value="(\d{4}-\d{2}-\d{2})', raw, re.S)
        body = re.sub(r"<DCT>.*?</DCT>|<DOCID>.*?</DOCID>", "", raw, flags=re.S)
        text = unescape(re.sub(r"<[^>]+>", "", body))
        value = dateline_from_text(text)
        if value:
            found += 1
            right += bool(dct) and value[:10] == dct.group(1)
    return {"documents": len(files), "dated": found, "right_day": right,
            "precision": right / found if found else 0.0, "coverage": found / len(files)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000, help=".txt articles for the throughput run")
    parser.add_argument("--fuzz", type=int, default=2000, help="fuzzed inputs")
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="the shared evaluation folder")
    args = parser.parse_args(argv)

    results = {"throughput": throughput(args.articles), "formats": mixed_formats(500), "huge": huge_article(),
               "hostile": hostile_folder(), "fuzz": fuzz(args.fuzz), "timeml_datelines": timeml_datelines(args.eval)}
    t, h, host, fz, tm = (results[k] for k in ("throughput", "huge", "hostile", "fuzz", "timeml_datelines"))
    rows = [
        ("load .txt articles", f"{t['articles_per_s']:,.0f} articles/s ({t['articles']:,} files, {t['mib']:.1f} MiB)",
         ">= 200 articles/s", f"{t['ratio_vs_plain_read']:.1f}x the time of a plain read_text"),
        ("JSONL / CSV / HTML", " / ".join(f"{results['formats'][k]:.2f}" for k in
                                          ("jsonl_ms_per_article", "csv_ms_per_article", "html_ms_per_article"))
         + " ms per article", "", "HTML: trafilatura extraction"),
        ("50 MB .txt article", f"{h['load_s']:.2f} s, {h['status']}, kept {h['kept_bytes']:,} bytes, "
                               f"peak {h['peak_mib']:.1f} MiB", "<= 5 s, peak <= 16 MiB",
         f"plain read {h['plain_read_s']:.2f} s, peak {h['plain_read_peak_mib']:.1f} MiB"),
        ("hostile folder", f"{host['files']} files, {host['status_as_expected']} with the expected status, "
                           f"each once in the manifest: {host['accounted_once']}, {host['seconds']:.1f} s",
         "all", ""),
        ("fuzzed inputs (seeded mutations)", f"{fz['inputs']:,} inputs, {fz['exceptions']} exceptions, "
                                             f"{fz['accounted_pct']:.0f}% in the manifest ({fz['ok']} ok, "
                                             f"{fz['partial']} partial, {fz['error']} error, {fz['skipped']} skipped)",
         "0 exceptions, 100%", ""),
    ]
    if tm:
        rows.append(("datelines, TimeML header+text", f"{tm['dated']}/{tm['documents']} documents dated, "
                                                      f"{tm['right_day']} on the annotated creation day "
                                                      f"(precision {tm['precision']:.2f})", "precision >= 0.95",
                     "undated rather than guessed (08/07/1998 is not read)"))
    day = time.strftime("%Y-%m-%d")
    table = ["| what | figure | target | baseline / ratio | date | machine |", "|---|---|---|---|---|---|"]
    table += [f"| {what} | {figure} | {target} | {baseline} | {day} | 2 cores |" for what, figure, target, baseline in rows]
    print("\n".join(table))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "loaders.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    SECTION.write_text("## Loaders and reliability\n\n`python -m benchmarks.bench_loaders`: loading speed against a plain "
                       "read, the 50 MB article, the hostile folder of `tests/test_loader_hostile_inputs.py`, a seeded "
                       "mutation fuzz over every format, and printed datelines on the TimeML corpora. Details in "
                       "RELIABILITY.md.\n\n" + "\n".join(table) + "\n", encoding="utf-8")
    if fz["exceptions"]:
        print("exceptions escaped the loaders:", *fz["examples"], sep="\n  ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
