"""Event evaluation (``event-atlas eval events``) and the ``event-atlas events FILE`` command.

Two scores:

* **Event type** on the PLOVER gold-standard records (one sentence, one coded event each): the
  PLOVER code of the sentence's main event (:func:`main_event`) against the gold code, with the codes of earlier PLOVER drafts mapped to PLOVER 2021
  (:data:`timeline.taxonomy.LEGACY_PLOVER`). Per-class precision/recall/F1, macro-F1, accuracy.
* **Event location** on the event_location silver sentences (event verb and location spans
  marked): the place spans linked to the marked verb against the gold location spans
  (one-to-one overlap match), P/R/F1, and abstention accuracy on the sentences with no location
  (rules: :func:`evaluate_location`).
* **ACLED sub-event type** (``--acled FILE``, :mod:`timeline.acled_eval`): the main event's
  ACLED type on labelled snippets, with a keyword baseline.

Example::

    event-atlas eval events --json
    event-atlas events sentences.txt --out events.jsonl
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

from timeline.articles import text_record
from timeline.taxonomy import LEGACY_PLOVER, PLOVER_CODES, PLOVER_OF

DEFAULT_DIR = next((p for p in (Path("../shared/eval/events"),
                                 Path(__file__).resolve().parents[2] / "shared" / "eval" / "events") if p.is_dir()),
                   Path("../shared/eval/events"))
"""``../shared/eval/events`` (from the working directory, else from the checkout)."""
PLOVER_FILE = "PLOVER_GSR_CAMEO.json"
LOCATION_FILE = "event_location_silver.json.gz"
NONE = "NONE"


# --------------------------------------------------------------------------------------------
# Pipeline


def events_pipeline(model: str = "auto", places: bool = True):
    """Base model + ``timex`` + ``toponyms`` (each when installed) + ``events``.

    Unlike :func:`timeline.pipeline.build_pipeline` this tolerates a missing ``timex`` or
    ``toponyms`` component, so events can be evaluated on their own.
    """
    from timeline.pipeline import load_language

    nlp = load_language(model)
    for name in ("timex", "toponyms") if places else ("timex",):
        try:
            nlp.add_pipe(name)
        except (ValueError, ImportError) as error:  # component not installed or not loadable
            print(f"event-atlas: no {name!r} component ({str(error).splitlines()[0][:120]}); "
                  "going on without it", file=sys.stderr)
    nlp.add_pipe("events")
    return nlp


# --------------------------------------------------------------------------------------------
# PLOVER event type


def load_plover(path: str | Path) -> list[dict]:
    """Gold records ``{id, text, gold, gold_raw, mode}`` (``gold``: PLOVER 2021 code)."""
    path = Path(path)
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: cannot read PLOVER gold records ({error})") from error
    if not isinstance(records, list):
        raise ValueError(f"{path}: expected a JSON array of PLOVER records")
    out = []
    for record in records:
        code, text = record.get("event"), record.get("text")
        if not text or not code or code == "DOCUMENT":
            continue
        out.append({"id": record.get("id"), "text": text, "gold_raw": code,
                    "gold": LEGACY_PLOVER.get(code, code), "mode": record.get("mode") or None})
    return out


def main_event(doc) -> dict | None:
    """The event of a text a coder would code (ACLED's and PLOVER's one event per snippet): the
    first event by these keys:

    1. the earliest clause: sentences and ``;``-separated clauses in text order (ACLED notes open
       with their event: "JNIM attacked a post ...; 4 soldiers were killed");
    2. the trigger nearest the clause's root (the main verb, not the object of "condemned the
       attack"), plus one level when the event is not asserted (an asserted event outranks an
       intended, hypothetical or negated one at its level or one below); coordinated verbs count as
       one level ("abducted and raped"), and so does the object of a verb that is no event ("carried
       out air strikes", "staged a march");
    3. ACLED's precedence (:data:`timeline.taxonomy.ACLED_PRECEDENCE`, the most specific or
       violent type first: "abducted and raped" is ``Sexual violence``);
    4. the first trigger.

    Without a parse, every trigger is at level 0 and clauses are sentences. None when the doc has
    no event. ``event-atlas events FILE`` writes this choice as each line's ``main_event``.
    """
    from timeline.taxonomy import precedence

    events = doc._.events or []
    if not events:
        return None
    parsed = doc.has_annotation("DEP")
    spans = [doc.char_span(e["trigger_start"], e["trigger_end"], alignment_mode="expand") for e in events]
    trigger_heads = {(s.root if parsed else s[0]).i for s in spans if s is not None}

    def key(event, span):
        if span is None:
            return (event["sentence_start"], 0, 0, precedence(event["sub_event_type"]), event["trigger_start"])
        root = span.root if parsed else span[0]
        sent = root.sent if parsed or doc.has_annotation("SENT_START") else doc[:]
        breaks = [t.i for t in sent if t.text == ";"]
        level = event["modality"] != "asserted"
        if parsed:
            node = root
            while node.head.i != node.i and not any(min(node.i, node.head.i) < b < max(node.i, node.head.i)
                                                    for b in breaks):
                light = node.dep_ == "dobj" and node.head.i not in trigger_heads
                level += node.dep_ != "conj" and not light
                node = node.head
        return (sent.start, sum(1 for b in breaks if b < root.i), level,
                precedence(event["sub_event_type"]), event["trigger_start"])

    return min(zip(events, spans), key=lambda pair: key(*pair))[0]


def per_class_scores(gold: list[str], pred: list[str], classes: Iterable[str]) -> dict[str, dict]:
    """Precision, recall, F1 and support per class (``NONE`` predictions count as misses)."""
    out = {}
    for c in classes:
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[c] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                  "support": tp + fn}
    return out


def evaluate_plover(nlp, path: str | Path) -> dict:
    """Score event typing on the PLOVER gold records (see the module docstring)."""
    records = load_plover(path)
    preds = []
    for record, doc in zip(records, nlp.pipe(r["text"] for r in records)):
        event = main_event(doc)
        preds.append((event or {}).get("plover") or NONE)
    gold = [r["gold"] for r in records]
    classes = [c for c in PLOVER_CODES if c in set(gold)]
    per_class = per_class_scores(gold, preds, classes)
    ours = {code for code in PLOVER_OF.values() if code}
    in_taxonomy = [(g, p) for g, p in zip(gold, preds) if g in ours]
    confusion = Counter(f"{g}->{p}" for g, p in zip(gold, preds) if g != p)
    return {
        "records": len(records),
        "accuracy": round(sum(g == p for g, p in zip(gold, preds)) / len(records), 4) if records else 0.0,
        "accuracy_in_taxonomy": round(sum(g == p for g, p in in_taxonomy) / len(in_taxonomy), 4) if in_taxonomy else 0.0,
        "records_in_taxonomy": len(in_taxonomy),
        "macro_f1": round(sum(s["f1"] for s in per_class.values()) / len(per_class), 4) if per_class else 0.0,
        "no_event": preds.count(NONE),
        "per_class": per_class,
        "top_confusions": dict(sorted(confusion.items(), key=lambda kv: (-kv[1], kv[0]))[:15]),
    }


# --------------------------------------------------------------------------------------------
# Event location


def load_location(path: str | Path) -> list[dict]:
    """Silver sentences ``{text, verbs: [(start, end)], locations: [(start, end)]}``, with character
    offsets rebuilt from the tokens (about 1,100 stored character offsets are wrong)."""
    path = Path(path)
    try:
        with gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8") as f:
            records = json.load(f)
    except (OSError, json.JSONDecodeError, EOFError) as error:
        raise ValueError(f"{path}: cannot read event-location records ({error})") from error
    out = []
    for record in records:
        text = record.get("text") or ""
        offsets = _token_offsets(text, record.get("tokens") or [])
        spans = {"VERB": [], "LOCATION": []}
        for span in record.get("spans") or []:
            if span.get("label") not in spans:
                continue
            i, j = span.get("token_start"), span.get("token_end")
            if i is None or j is None or not (0 <= i <= j < len(offsets)):
                continue
            start, end = offsets[i][0], offsets[j][1]
            if start < end:
                spans[span["label"]].append((start, end))
        if spans["VERB"] and text.strip():
            out.append({"text": text, "verbs": sorted(spans["VERB"]), "locations": sorted(spans["LOCATION"])})
    return out


def _token_offsets(text: str, tokens: list[dict]) -> list[tuple[int, int]]:
    """Character offsets of tokens found in order in ``text`` (the stored ones drift)."""
    offsets, cursor = [], 0
    for token in tokens:
        word = token.get("text", "")
        at = text.find(word, cursor) if word else -1
        if at < 0:  # fall back on the stored offsets
            at = int(token.get("start", cursor))
        offsets.append((at, at + len(word)))
        cursor = at + len(word) if at >= cursor else cursor
    return offsets


def linked_places(nlp, doc, verb: tuple[int, int]) -> list[tuple[int, int]]:
    """Character spans of the places linked to the event whose trigger is at ``verb`` (character
    offsets): see :meth:`timeline.events.EventDetector.places_at`."""
    return nlp.get_pipe("events").places_at(doc, *verb)


def match_spans(predicted: list[tuple[int, int]], gold: list[tuple[int, int]]) -> int:
    """Number of one-to-one overlap matches between predicted and gold character spans (each
    predicted span, in order, takes the first gold span it overlaps that no earlier one took)."""
    taken: set[int] = set()
    for start, end in predicted:
        hit = next((k for k, (gs, ge) in enumerate(gold) if k not in taken and gs < end and start < ge), None)
        if hit is not None:
            taken.add(hit)
    return len(taken)


def evaluate_location(nlp, path: str | Path, limit: int | None = None, offset: int = 0) -> dict:
    """Score event-location linking on the silver sentences ``[offset, offset + limit)``.

    Scoring rules: the prediction for a sentence is the set of place spans linked to its marked
    verb (all coordinated places: "in Mosul and Anbar" is two). A predicted span matches a gold
    location span when they overlap, one-to-one. Precision = matched / predicted spans, recall =
    matched / gold spans, pooled over all sentences (a sentence with several gold places counts
    each); a span predicted on a sentence without a location is a false positive, and abstention
    accuracy is the share of those sentences with no predicted span. ``exact_precision`` counts
    identical spans only.
    """
    records = load_location(path)[offset:][:limit]
    matched = n_pred = n_gold = exact = 0
    abstain_right = no_location = 0
    for record, doc in zip(records, nlp.pipe(r["text"] for r in records)):
        predicted = linked_places(nlp, doc, record["verbs"][0])
        gold = record["locations"]
        n_gold += len(gold)
        n_pred += len(predicted)
        matched += match_spans(predicted, gold)
        exact += sum(1 for p in predicted if p in gold)
        if not gold:
            no_location += 1
            abstain_right += not predicted
    precision = matched / n_pred if n_pred else 0.0
    recall = matched / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "sentences": len(records), "offset": offset, "gold_locations": n_gold, "predicted": n_pred,
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
        "exact_precision": round(exact / n_pred, 4) if n_pred else 0.0,
        "no_location_sentences": no_location,
        "abstention_accuracy": round(abstain_right / no_location, 4) if no_location else 0.0,
    }


# --------------------------------------------------------------------------------------------
# CLI


def _eval_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="event-atlas eval events", description="Score event typing and location.")
    parser.add_argument("--plover", default=str(DEFAULT_DIR / PLOVER_FILE), help="PLOVER gold records (JSON)")
    parser.add_argument("--location", default=str(DEFAULT_DIR / LOCATION_FILE),
                        help="event-location silver sentences (JSON, optionally .gz)")
    parser.add_argument("--model", default="auto", choices=("auto", "rules"),
                        help="auto: the English spaCy model; rules: rules-only pipeline")
    parser.add_argument("--limit", type=int, default=None, help="score only N location sentences")
    parser.add_argument("--offset", type=int, default=0,
                        help="skip the first N location sentences (e.g. --limit 4600 tunes, --offset 4600 confirms)")
    parser.add_argument("--no-places", action="store_true", help="do not add the toponyms component")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--acled", metavar="FILE.jsonl",
                        help="score only ACLED sub-event typing on these snippets (JSON lines with 'text' and "
                             "'sub_event_type'; see timeline.acled_eval), with a keyword baseline")
    return parser


def cli_eval(argv: list[str]) -> int:
    """``event-atlas eval events [--plover FILE] [--location FILE] [--json] [--model auto|rules]``."""
    args = _eval_parser().parse_args(argv)
    from timeline.pipeline import model_name

    if args.acled:
        return _cli_eval_acled(args)
    for label, path in (("PLOVER", args.plover), ("event location", args.location)):
        if not Path(path).is_file():
            print(f"event-atlas: {label} file not found: {path}", file=sys.stderr)
            return 2
    nlp = events_pipeline(args.model, places=not args.no_places)
    try:
        result = {
            "model": model_name(nlp), "components": list(nlp.pipe_names),
            "plover": evaluate_plover(nlp, args.plover),
            "location": evaluate_location(nlp, args.location, args.limit, args.offset),
        }
    except ValueError as error:
        print(f"event-atlas: {error}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2, sort_keys=True) if args.json else format_report(result))
    return 0


def _cli_eval_acled(args) -> int:
    """``eval events --acled FILE``: ACLED sub-event typing and the keyword baseline."""
    from timeline.acled_eval import evaluate_acled, format_acled_report, load_acled
    from timeline.pipeline import model_name

    try:
        load_acled(args.acled)
    except ValueError as error:
        print(f"event-atlas: {error}", file=sys.stderr)
        return 2
    nlp = events_pipeline(args.model, places=not args.no_places)
    result = {"model": model_name(nlp), "components": list(nlp.pipe_names), "acled": evaluate_acled(nlp, args.acled)}
    print(json.dumps(result, indent=2, sort_keys=True) if args.json else
          f"model: {result['model']} ({', '.join(result['components'])})\n\n" + format_acled_report(result["acled"]))
    return 0


def format_report(result: dict) -> str:
    """The figures as a markdown report."""
    plover, location = result["plover"], result["location"]
    lines = [
        f"model: {result['model']} ({', '.join(result['components'])})", "",
        f"PLOVER event type: {plover['records']} records, accuracy {plover['accuracy']:.3f}, "
        f"accuracy on our taxonomy's classes {plover['accuracy_in_taxonomy']:.3f} "
        f"({plover['records_in_taxonomy']} records), macro-F1 {plover['macro_f1']:.3f}, "
        f"no event found {plover['no_event']}", "",
        "| class | precision | recall | F1 | support |", "|---|---|---|---|---|",
    ]
    for code, s in plover["per_class"].items():
        lines.append(f"| {code} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |")
    lines += [
        "", f"Event location: {location['sentences']} sentences, {location['gold_locations']} gold spans, "
        f"{location['predicted']} predicted; P {location['precision']:.3f} R {location['recall']:.3f} "
        f"F1 {location['f1']:.3f}; abstention accuracy {location['abstention_accuracy']:.3f} "
        f"on {location['no_location_sentences']} sentences with no location",
    ]
    return "\n".join(lines)


def read_inputs(path: str | Path) -> Iterator[dict]:
    """Inputs of ``events FILE``: one text per line, or JSON lines with ``text`` (and optional
    ``published``, ``id``). A bad line is not skipped: it comes as an item whose ``error`` names the
    file, the line and the problem (``"in.jsonl:2: not valid JSON ..."``) and whose ``text`` is None.
    Raises ValueError only when the file cannot be opened."""
    path = Path(path)
    try:
        handle = sys.stdin if str(path) == "-" else path.open(encoding="utf-8")
    except OSError as error:
        raise ValueError(f"{path}: cannot open ({error.strerror})") from error
    with handle:
        for number, line in enumerate(handle, 1):
            line = line.rstrip("\n").rstrip("\r")
            item = {"line": number, "id": None, "text": line, "published": None, "error": None}
            if line.lstrip().startswith("{"):
                try:
                    record = text_record(line, f"{path}:{number}")
                    published = record.get("published")
                    if published is not None and not isinstance(published, str):
                        raise ValueError(f"{path}:{number}: 'published' must be an ISO 8601 string")
                except ValueError as error:
                    item.update(text=None, error=str(error))
                else:
                    item.update(id=record.get("id"), text=record["text"], published=published)
            yield item


def extract_lines(nlp, inputs: Iterable[dict]) -> Iterator[dict]:
    """One output record per input, in input order: ``{line, id, published, error, main_event,
    events}``; ``main_event`` is the index in ``events`` of :func:`main_event`'s choice (None with no
    event); an input with an ``error`` (see :func:`read_inputs`) keeps it and has no events."""
    from timeline.events import EVENT_KEYS

    def docs():
        for item in inputs:
            doc = nlp.make_doc(item["text"] or "")
            doc._.dct = item["published"]
            doc._.article_id = item["id"]
            yield doc, item

    for doc, item in nlp.pipe(docs(), as_tuples=True):
        events = doc._.events or []
        main = main_event(doc)
        yield {"line": item["line"], "id": item["id"], "published": item["published"],
               "error": item.get("error"),
               "main_event": next((i for i, e in enumerate(events) if e is main), None),
               "events": [{k: e[k] for k in EVENT_KEYS} for e in events]}


def cli_events(argv: list[str]) -> int:
    """``event-atlas events FILE [--out FILE] [--model auto|rules]``: one JSON line per input."""
    parser = argparse.ArgumentParser(
        prog="event-atlas events",
        description="Events of each input text, one JSON line per input: {line, id, published, error, main_event, events}. "
                    "A bad input line still gets its output line, with 'error' naming the file, line and problem "
                    "and no events (exit status 1); 'error' is null on good lines. "
                    "'main_event' is the index in 'events' of the event a coder would code for the whole text "
                    "(ACLED and PLOVER code one event per snippet), null when there is none: the earliest sentence "
                    "or ';'-clause; in it the trigger nearest the main verb, an asserted event one level above "
                    "an intended, hypothetical or negated one; then ACLED's precedence (most specific or violent "
                    "type first: chemical, suicide, sexual violence, lethal force on protesters, territory, air, "
                    "shelling, explosive, grenade, clash, attack, ...); then the first. Outside scorers should "
                    "use it so that they score the same choice as 'event-atlas eval events'.")
    parser.add_argument("file", help="one text per line, or JSON lines with 'text' (and 'published', 'id'); - for stdin")
    parser.add_argument("--out", help="output file (default: standard output)")
    parser.add_argument("--model", default="auto", help="spaCy model: auto, rules, or a package name")
    parser.add_argument("--no-places", action="store_true", help="do not add the toponyms component")
    args = parser.parse_args(argv)
    if args.file != "-" and not Path(args.file).is_file():
        print(f"event-atlas: input file not found: {args.file}", file=sys.stderr)
        return 2
    nlp = events_pipeline(args.model, places=not args.no_places)
    out = Path(args.out).open("w", encoding="utf-8", newline="\n") if args.out else sys.stdout
    inputs = errors = 0
    try:
        for record in extract_lines(nlp, read_inputs(args.file)):
            out.write(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")
            inputs += 1
            if record["error"]:
                errors += 1
                print(f"event-atlas: {record['error']}", file=sys.stderr)
    except ValueError as error:
        print(f"event-atlas: {error}", file=sys.stderr)
        return 2
    finally:
        if out is not sys.stdout:
            out.close()
    if errors:
        print(f"event-atlas: {errors} of {inputs} input lines had errors (written with an 'error' field "
              "and no events)", file=sys.stderr)
        return 1
    return 0
