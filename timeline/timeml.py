"""TimeML in and out, and TempEval-3 scoring of the ``timex`` component.

Scoring rules (TempEval-3, task A): only TIMEX3 tags inside ``<TEXT>`` count (the DCT does not);
spans are character offsets in the TEXT content with the tags stripped; a *relaxed* match is a
one-to-one pairing of overlapping spans, a *strict* match an identical span; precision and recall
are pooled over all documents; type and value are compared as exact strings on relaxed matches;
value F1 = relaxed F1 x value accuracy.

Command line (dispatched by ``event-atlas eval timeml``)::

    event-atlas eval timeml ../shared/eval/time/timebank ../shared/eval/time/aquaint --json
    event-atlas eval timeml DIR --predictions out/tml --model rules
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable
from xml.sax.saxutils import escape, quoteattr

TYPES = ("DATE", "TIME", "DURATION", "SET")


@dataclass(frozen=True)
class Timex:
    """One TIMEX3 annotation: character span in the TEXT content, type, value."""

    start: int
    end: int
    type: str
    value: str
    text: str = ""


@dataclass
class TimeMLDoc:
    """A TimeML document: id, DCT value (ISO string or None), TEXT content, gold TIMEX3s."""

    doc_id: str
    dct: str | None
    text: str
    timexes: list[Timex] = field(default_factory=list)
    path: Path | None = None


def _collect(elem: ET.Element, parts: list[str], timexes: list[Timex], pos: int) -> int:
    """Append the text under ``elem`` to ``parts`` and record TIMEX3 offsets; returns the new position."""
    if elem.text:
        parts.append(elem.text)
        pos += len(elem.text)
    for child in elem:
        start = pos
        pos = _collect(child, parts, timexes, pos)
        if child.tag == "TIMEX3":
            timexes.append(Timex(start, pos, child.get("type", ""), child.get("value", "")))
        if child.tail:
            parts.append(child.tail)
            pos += len(child.tail)
    return pos


def read_timeml(path: str | Path) -> TimeMLDoc:
    """Read one TimeML file: DCT from ``<DCT><TIMEX3 value=...>``, TIMEX3s inside ``<TEXT>``.

    Raises ValueError naming the file when it is not well-formed XML or has no TEXT element.
    """
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as err:
        raise ValueError(f"{path}: not well-formed TimeML ({err})") from None
    text_elem = root.find(".//TEXT")
    if text_elem is None:
        raise ValueError(f"{path}: no <TEXT> element")
    dct = None
    dct_timex = root.find(".//DCT/TIMEX3")
    if dct_timex is None:
        dct_timex = next((t for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"), None)
    if dct_timex is not None:
        dct = dct_timex.get("value") or None
    parts: list[str] = []
    timexes: list[Timex] = []
    _collect(text_elem, parts, timexes, 0)
    text = "".join(parts)
    timexes = [Timex(t.start, t.end, t.type, t.value, text[t.start:t.end]) for t in timexes]
    doc_id_elem = root.find(".//DOCID")
    doc_id = (doc_id_elem.text or "").strip() if doc_id_elem is not None and doc_id_elem.text else path.stem
    return TimeMLDoc(doc_id, dct, text, timexes, path)


def iter_timeml(paths: Iterable[str | Path]) -> list[TimeMLDoc]:
    """All ``*.tml`` files under the given files/directories, sorted by path."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(p.glob("*.tml")))
        elif p.is_file():
            files.append(p)
        else:
            raise FileNotFoundError(f"{p}: no such TimeML file or directory")
    return [read_timeml(f) for f in sorted(set(files))]


def write_timeml(doc: TimeMLDoc, timexes: list[Timex], path: str | Path) -> None:
    """Write ``doc`` as TimeML with ``timexes`` as its TIMEX3 tags (same DCT, same TEXT content)."""
    out = ['<?xml version="1.0" ?>', "<TimeML>", f"<DOCID>{escape(doc.doc_id)}</DOCID>"]
    if doc.dct:
        out.append(f'<DCT><TIMEX3 tid="t0" type="DATE" value={quoteattr(doc.dct)} temporalFunction="false" '
                   f'functionInDocument="CREATION_TIME">{escape(doc.dct)}</TIMEX3></DCT>')
    body, pos = [], 0
    for i, t in enumerate(sorted(timexes, key=lambda t: t.start), start=1):
        if t.start < pos:
            continue
        body.append(escape(doc.text[pos:t.start]))
        body.append(f'<TIMEX3 tid="t{i}" type={quoteattr(t.type)} value={quoteattr(t.value)}>'
                    f"{escape(doc.text[t.start:t.end])}</TIMEX3>")
        pos = t.end
    body.append(escape(doc.text[pos:]))
    out.append("<TEXT>" + "".join(body) + "</TEXT>")
    out.append("</TimeML>")
    Path(path).write_text("\n".join(out) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


def match_relaxed(gold: list[Timex], system: list[Timex]) -> list[tuple[Timex, Timex]]:
    """One-to-one pairs of overlapping spans: each gold span takes the unpaired system span that
    overlaps it most (ties: the earliest)."""
    pairs, used = [], set()
    for g in sorted(gold, key=lambda t: (t.start, t.end)):
        best, best_overlap = None, 0
        for j, s in enumerate(system):
            if j in used:
                continue
            overlap = min(g.end, s.end) - max(g.start, s.start)
            if overlap > best_overlap:
                best, best_overlap = j, overlap
        if best is not None:
            used.add(best)
            pairs.append((g, system[best]))
    return pairs


def _prf(tp: int, n_sys: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(pairs_of_docs: Iterable[tuple[list[Timex], list[Timex]]]) -> dict:
    """TempEval-3 figures over (gold, system) TIMEX3 lists, one pair per document (pooled)."""
    n_gold = n_sys = strict = relaxed = type_ok = value_ok = 0
    per_type = {t: {"gold": 0, "system": 0, "matched_gold": 0, "matched_system": 0, "value_ok": 0, "type_ok": 0}
                for t in TYPES}
    for gold, system in pairs_of_docs:
        n_gold += len(gold)
        n_sys += len(system)
        gold_spans = {(g.start, g.end) for g in gold}
        strict += sum((s.start, s.end) in gold_spans for s in system)
        pairs = match_relaxed(gold, system)
        relaxed += len(pairs)
        for g in gold:
            per_type.setdefault(g.type, dict.fromkeys(per_type["DATE"], 0))["gold"] += 1
        for s in system:
            per_type.setdefault(s.type, dict.fromkeys(per_type["DATE"], 0))["system"] += 1
        for g, s in pairs:
            type_ok += g.type == s.type
            value_ok += g.value == s.value
            per_type[g.type]["matched_gold"] += 1
            per_type[g.type]["type_ok"] += g.type == s.type
            per_type[g.type]["value_ok"] += g.value == s.value
            per_type[s.type]["matched_system"] += 1
    sp, sr, sf = _prf(strict, n_sys, n_gold)
    rp, rr, rf = _prf(relaxed, n_sys, n_gold)
    value_acc = value_ok / relaxed if relaxed else 0.0
    result = {
        "gold": n_gold, "system": n_sys, "strict_matches": strict, "relaxed_matches": relaxed,
        "type_matches": type_ok, "value_matches": value_ok,
        "strict_precision": sp, "strict_recall": sr, "strict_f1": sf,
        "relaxed_precision": rp, "relaxed_recall": rr, "relaxed_f1": rf,
        "type_accuracy": type_ok / relaxed if relaxed else 0.0,
        "value_accuracy": value_acc, "value_f1": rf * value_acc,
        "per_type": {},
    }
    for t, c in sorted(per_type.items()):
        p = c["matched_system"] / c["system"] if c["system"] else 0.0
        r = c["matched_gold"] / c["gold"] if c["gold"] else 0.0
        result["per_type"][t] = {
            "gold": c["gold"], "system": c["system"], "relaxed_precision": p, "relaxed_recall": r,
            "relaxed_f1": 2 * p * r / (p + r) if p + r else 0.0,
            "type_accuracy": c["type_ok"] / c["matched_gold"] if c["matched_gold"] else 0.0,
            "value_accuracy": c["value_ok"] / c["matched_gold"] if c["matched_gold"] else 0.0,
        }
    return result


# --------------------------------------------------------------------------------------------
# Running the pipeline on TimeML
# --------------------------------------------------------------------------------------------


def build_timex_pipeline(model: str = "auto"):
    """Base model (or rules only) plus the ``timex`` component."""
    import timeline.dates  # noqa: F401  (registers the factory)
    from timeline.pipeline import load_language

    nlp = load_language(model)
    nlp.add_pipe("timex")
    return nlp


def annotate_docs(nlp, docs: list[TimeMLDoc], batch_size: int = 32) -> list[list[Timex]]:
    """The pipeline's TIMEX3s for each TimeML document (its DCT set as ``doc._.dct``)."""
    made = []
    for d in docs:
        doc = nlp.make_doc(d.text)
        doc._.dct = d.dct
        doc._.article_id = d.doc_id
        made.append(doc)
    out = []
    for doc in nlp.pipe(made, batch_size=batch_size):
        out.append([Timex(s.start_char, s.end_char, s._.timex["type"], s._.timex["value"], s.text)
                    for s in doc.spans["timex"]])
    return out


def evaluate(paths: Iterable[str | Path], model: str = "auto", predictions: str | Path | None = None) -> dict:
    """Score the ``timex`` component on TimeML files/directories; optionally write its predictions."""
    docs = iter_timeml(paths)
    nlp = build_timex_pipeline(model)
    t0 = time.perf_counter()
    system = annotate_docs(nlp, docs)
    elapsed = time.perf_counter() - t0
    if predictions is not None:
        out_dir = Path(predictions)
        out_dir.mkdir(parents=True, exist_ok=True)
        for d, sys_t in zip(docs, system):
            write_timeml(d, sys_t, out_dir / (d.path.name if d.path else f"{d.doc_id}.tml"))
    result = score((d.timexes, s) for d, s in zip(docs, system))
    words = sum(len(d.text.split()) for d in docs)
    from timeline.pipeline import model_name

    result.update({"documents": len(docs), "words": words, "seconds": elapsed,
                   "docs_per_s": len(docs) / elapsed if elapsed else 0.0,
                   "words_per_s": words / elapsed if elapsed else 0.0, "model": model_name(nlp)})
    return result


def format_table(result: dict) -> str:
    """The figures as a short markdown report."""
    r = result
    lines = [
        f"TimeML: {r['documents']} documents, {r['gold']} gold TIMEX3, {r['system']} system TIMEX3 "
        f"(model: {r['model']})", "",
        "| measure | P | R | F1 |", "|---|---|---|---|",
        f"| strict | {r['strict_precision']:.3f} | {r['strict_recall']:.3f} | {r['strict_f1']:.3f} |",
        f"| relaxed | {r['relaxed_precision']:.3f} | {r['relaxed_recall']:.3f} | {r['relaxed_f1']:.3f} |", "",
        f"type accuracy {r['type_accuracy']:.3f}, value accuracy {r['value_accuracy']:.3f}, "
        f"value F1 {r['value_f1']:.3f}", "",
        "| type | gold | system | relaxed P | relaxed R | relaxed F1 | type acc | value acc |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for t, c in r["per_type"].items():
        lines.append(f"| {t} | {c['gold']} | {c['system']} | {c['relaxed_precision']:.3f} | "
                     f"{c['relaxed_recall']:.3f} | {c['relaxed_f1']:.3f} | {c['type_accuracy']:.3f} | "
                     f"{c['value_accuracy']:.3f} |")
    lines += ["", f"throughput: {r['docs_per_s']:.1f} documents/s, {r['words_per_s']:.0f} words/s "
              f"({r['seconds']:.2f} s, pipeline incl. model)"]
    return "\n".join(lines)


def cli(argv: list[str]) -> int:
    """``event-atlas eval timeml DIR... [--json] [--predictions DIR] [--model auto|rules]``."""
    parser = argparse.ArgumentParser(prog="event-atlas eval timeml",
                                     description="TempEval-3 scores of the timex component on TimeML files")
    parser.add_argument("paths", nargs="+", help="TimeML files or directories of *.tml")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--predictions", metavar="DIR", help="write the system's annotations as TimeML here")
    parser.add_argument("--model", default="auto", help="spaCy model: auto (default), rules, or a package name")
    args = parser.parse_args(argv)
    try:
        result = evaluate(args.paths, model=args.model, predictions=args.predictions)
    except (FileNotFoundError, ValueError, OSError) as err:
        print(f"event-atlas eval timeml: {err}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, sort_keys=True))
    else:
        print(format_table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(cli(sys.argv[1:]))
