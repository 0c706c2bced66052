"""``event-atlas eval geo FILE.jsonl...``: geoparsing scores on corpora in the shared JSONL schema.

A corpus is one JSON document a line: ``{"doc_id", "text", "toponyms": [{"start", "end", "mention",
"lat", "lon", "geonameid", "feature_code", "country", "admin1"}]}`` (``lat``/``lon`` may be null).

Figures (rules of ``../shared/README.md``):

* toponym precision/recall/F1 on spans, exact (same offsets) and overlapping (one-to-one);
* on overlapping matches whose gold toponym has coordinates: acc@161 (share within 161 km), mean and
  median error (km), AUC of the log error curve (0 best, 1 worst); an unresolved prediction counts
  as the largest error (20,039 km);
* E2E@161 = overlap recall x acc@161;
* geonameid accuracy: share of overlap matches whose gold GeoNames id we return (independent of the
  coordinates each gazetteer gives a country or province);
* ``--gold-spans``: resolution alone (the gold spans are resolved in their document's context; tokens
  are cut at the gold offsets first).

Example::

    event-atlas eval geo ../shared/eval/geo/lgl.jsonl --json --predictions lgl.pred.jsonl
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path

from geo.resolution import haversine_km
from timeline.articles import text_record

MAX_ERROR_KM = 20039.0
"""Half the Earth's circumference: the error given to a toponym left unresolved."""
ACC_KM = 161.0


def load_corpus(path: str | Path) -> list[dict]:
    """Documents of a JSONL corpus, checked: each needs ``text`` and a ``toponyms`` list whose offsets
    fall inside the text."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    docs = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            doc = text_record(line, f"{path}:{n}")
            tops = doc.get("toponyms", [])
            if not isinstance(tops, list):
                raise ValueError(f"{path}:{n}: 'toponyms' must be a list")
            for t in tops:
                if not (isinstance(t, dict) and isinstance(t.get("start"), int) and isinstance(t.get("end"), int)
                        and 0 <= t["start"] < t["end"] <= len(doc["text"])):
                    raise ValueError(f"{path}:{n}: toponym {t!r} has no valid start/end offsets in the text")
            doc.setdefault("doc_id", str(n))
            docs.append(doc)
    return docs


def overlap_matches(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index) of overlapping spans, leftmost first."""
    pairs, used = [], set()
    order = sorted(range(len(pred)), key=lambda j: (pred[j]["start"], pred[j]["end"]))
    for i in sorted(range(len(gold)), key=lambda i: (gold[i]["start"], gold[i]["end"])):
        g = gold[i]
        best = None
        for j in order:
            p = pred[j]
            if j in used or p["start"] >= g["end"] or p["end"] <= g["start"]:
                continue
            ov = min(p["end"], g["end"]) - max(p["start"], g["start"])
            if best is None or ov > best[0]:
                best = (ov, j)
        if best:
            used.add(best[1])
            pairs.append((i, best[1]))
    return pairs


def error_km(gold: dict, pred: dict) -> float | None:
    """Distance between a gold and a predicted toponym; None when the gold one has no coordinates."""
    if gold.get("lat") is None or gold.get("lon") is None:
        return None
    if pred.get("lat") is None or pred.get("lon") is None:
        return MAX_ERROR_KM
    return haversine_km(gold["lat"], gold["lon"], pred["lat"], pred["lon"])


def auc(errors: list[float]) -> float:
    """Area under the curve of sorted log errors, scaled to [0, 1] (Gritta et al. 2018; lower is better)."""
    if not errors:
        return float("nan")
    logs = [math.log(e + 1) / math.log(MAX_ERROR_KM + 1) for e in sorted(errors)]
    if len(logs) == 1:
        return logs[0]
    return sum((a + b) / 2 for a, b in zip(logs, logs[1:])) / (len(logs) - 1)


def score(gold_docs: list[list[dict]], pred_docs: list[list[dict]]) -> dict:
    """All figures for parallel lists of gold and predicted toponyms per document."""
    n_gold = sum(len(g) for g in gold_docs)
    n_pred = sum(len(p) for p in pred_docs)
    exact = overlap = 0
    errors: list[float] = []
    same_id = with_id = 0
    for gold, pred in zip(gold_docs, pred_docs):
        spans = {(p["start"], p["end"]) for p in pred}
        exact += sum((g["start"], g["end"]) in spans for g in gold)
        pairs = overlap_matches(gold, pred)
        overlap += len(pairs)
        for i, j in pairs:
            e = error_km(gold[i], pred[j])
            if e is not None:
                errors.append(e)
            if gold[i].get("geonameid"):
                with_id += 1
                same_id += str(pred[j].get("geonameid")) == str(gold[i]["geonameid"])

    def prf(tp: int) -> tuple[float, float, float]:
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    pe, re_, fe = prf(exact)
    po, ro, fo = prf(overlap)
    acc = sum(e <= ACC_KM for e in errors) / len(errors) if errors else float("nan")
    return {
        "documents": len(gold_docs), "gold": n_gold, "predicted": n_pred,
        "precision_exact": pe, "recall_exact": re_, "f1_exact": fe,
        "precision_overlap": po, "recall_overlap": ro, "f1_overlap": fo,
        "resolved_pairs": len(errors), "acc161": acc,
        "mean_km": statistics.fmean(errors) if errors else float("nan"),
        "median_km": statistics.median(errors) if errors else float("nan"),
        "auc": auc(errors), "e2e161": ro * acc if errors else float("nan"),
        "geonameid_accuracy": same_id / with_id if with_id else float("nan"),
    }


def _toponym(span, place: dict | None, country_names) -> dict:
    out = {"start": span.start_char, "end": span.end_char, "mention": span.text,
           "lat": None, "lon": None, "geonameid": None, "feature_code": None, "country": None, "admin1": None}
    if place:
        cc = place.get("country")
        out.update(lat=round(place["latitude"], 5), lon=round(place["longitude"], 5), geonameid=place["geonameid"],
                   feature_code=place["feature_code"], country=country_names(cc), admin1=place.get("admin1"),
                   country_code=cc, geo_precision=place["geo_precision"])
    return out


def split_tokens(doc, offsets: list[int]):
    """``doc`` with every token that an offset (characters) falls inside split there.

    >>> [t.text for t in split_tokens(spacy.blank("en").make_doc("U.S.-led"), [4])]   # doctest: +SKIP
    ['U.S.', '-led']
    """
    cuts = {}
    for token in doc:
        inner = sorted({o - token.idx for o in offsets if token.idx < o < token.idx + len(token.text)})
        if inner:
            cuts[token.i] = inner
    with doc.retokenize() as retokenizer:
        for i, inner in cuts.items():
            token = doc[i]
            edges = [0, *inner, len(token.text)]
            pieces = [token.text[a:b] for a, b in zip(edges, edges[1:])]
            retokenizer.split(token, pieces, heads=[(token, 0)] * len(pieces))
    return doc


def predict(nlp, docs: list[dict], gold_spans: bool = False, demonyms: bool = False) -> list[list[dict]]:
    """Predicted toponyms per document (in the input schema), finding them or resolving the gold spans."""
    from geo.toponyms import resolve_spans

    comp = nlp.get_pipe("toponyms")
    gaz = comp.gazetteer

    def country_names(cc):
        place = gaz.country(cc) if cc else None
        return place.name if place else cc

    out = []
    if gold_spans:    # tokens cut at the gold offsets, so that "U.S." in "U.S.-led" is a span of its own
        texts = (split_tokens(nlp.make_doc(d["text"]), [o for t in d["toponyms"] for o in (t["start"], t["end"])])
                 for d in docs)
    else:
        texts = (d["text"] for d in docs)
    for d, doc in zip(docs, nlp.pipe(texts, batch_size=32)):
        if gold_spans:
            spans = [doc.char_span(t["start"], t["end"], alignment_mode="expand") for t in d["toponyms"]]
            spans = [s for s in spans if s is not None]
            resolve_spans(doc, spans, list(doc.spans["demonyms"]), gaz, keep_overlaps=True)
            found = list(doc.spans["toponyms"])
        else:
            found = list(doc.spans["toponyms"])
            if demonyms:
                found = sorted(found + list(doc.spans["demonyms"]), key=lambda s: s.start_char)
        out.append([_toponym(s, s._.place, country_names) for s in found])
    return out


def _pipeline(model: str):
    from timeline.pipeline import load_language

    nlp = load_language(model)
    if "toponyms" not in nlp.pipe_names:
        nlp.add_pipe("toponyms")
    return nlp


COLUMNS = (("P exact", "precision_exact"), ("R exact", "recall_exact"), ("F1 exact", "f1_exact"),
           ("P overlap", "precision_overlap"), ("R overlap", "recall_overlap"), ("F1 overlap", "f1_overlap"),
           ("acc@161", "acc161"), ("mean km", "mean_km"), ("median km", "median_km"), ("AUC", "auc"),
           ("E2E@161", "e2e161"), ("id acc", "geonameid_accuracy"))


def markdown(results: dict[str, dict]) -> str:
    """The figures as a markdown table, one row per corpus."""
    head = "| corpus | docs | gold | pred | " + " | ".join(c for c, _ in COLUMNS) + " |"
    lines = [head, "|" + "---|" * (4 + len(COLUMNS))]
    for name, r in results.items():
        cells = []
        for _, key in COLUMNS:
            v = r[key]
            cells.append(f"{v:.0f}" if key.endswith("_km") else f"{v:.3f}")
        lines.append(f"| {name} | {r['documents']} | {r['gold']} | {r['predicted']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def cli(argv: list[str]) -> int:
    """``eval geo FILE.jsonl... [--json] [--predictions FILE] [--gold-spans] [--model auto|rules]
    [--limit N] [--demonyms]``; returns the exit status."""
    ap = argparse.ArgumentParser(prog="event-atlas eval geo", description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", help="corpora in the shared JSONL schema")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    ap.add_argument("--predictions", help="write the predicted toponyms of every document (JSONL)")
    ap.add_argument("--gold-spans", action="store_true", help="resolve the gold spans instead of finding them")
    ap.add_argument("--model", default="auto", help="auto (installed English model), rules, or a model name")
    ap.add_argument("--limit", type=int, default=None, help="first N documents of each file")
    ap.add_argument("--demonyms", action="store_true",
                    help="count demonyms ('Iraqi') as toponyms, as LGL and TR-News annotate them")
    args = ap.parse_args(argv)
    try:
        corpora = {Path(f).stem: load_corpus(f)[: args.limit] for f in args.files}
    except (OSError, ValueError) as exc:
        print(f"event-atlas eval geo: {exc}", file=sys.stderr)
        return 2
    nlp = _pipeline(args.model)
    results: dict[str, dict] = {}
    pred_lines = []
    for name, docs in corpora.items():
        t0 = time.perf_counter()
        preds = predict(nlp, docs, gold_spans=args.gold_spans, demonyms=args.demonyms)
        results[name] = score([d["toponyms"] for d in docs], preds)
        results[name]["seconds"] = round(time.perf_counter() - t0, 2)
        for d, p in zip(docs, preds):
            pred_lines.append(json.dumps({"corpus": d.get("corpus", name), "doc_id": d["doc_id"], "toponyms": p},
                                         ensure_ascii=False, sort_keys=True))
    if args.predictions:
        Path(args.predictions).write_text("\n".join(pred_lines) + "\n", encoding="utf-8")
    meta = {"model": nlp.meta.get("event_atlas_model", "?"), "gold_spans": args.gold_spans,
            "demonyms": args.demonyms}
    if args.json:
        print(json.dumps({"settings": meta, "results": results}, sort_keys=True, allow_nan=True))
    else:
        print(f"geoparsing ({meta['model']}; {'gold spans' if args.gold_spans else 'end to end'}"
              f"{'; demonyms counted' if args.demonyms else ''})\n")
        print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(cli(sys.argv[1:]))
