"""Event typing scored on ACLED-labelled snippets (``event-atlas eval events --acled FILE``).

The setting of CASE 2021 Task 2: one short event description per snippet, one of ACLED's 25
sub-event types per snippet. The system's label for a snippet is the ACLED sub-event type of its
main event (:func:`timeline.event_eval.main_event`; an event-atlas extension counts as the ACLED
type it falls back to, ``Talks`` as ``Other``); a snippet with no event is labelled ``NONE``
(a miss). Scores: accuracy, weighted F1 and macro F1 over the sub-event types of the gold labels,
and a per-class table, next to :func:`keyword_label`, a keyword baseline on the same snippets.

Input: JSON lines ``{"id", "text", "sub_event_type"}`` (``event_type`` optional), e.g.
``tests/data/acled_snippets/dev.jsonl``.

Example::

    event-atlas eval events --acled tests/data/acled_snippets/test.jsonl
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from timeline.articles import text_record
from timeline.taxonomy import ACLED_SUB_EVENT_TYPE_OF, SUB_EVENT_TYPES

NONE = "NONE"

KEYWORDS: dict[str, tuple[str, ...]] = {
    "Armed clash": ("clash", "fight", "battle", "gunfight", "firefight", "exchanged fire"),
    "Government regains territory": ("recapture", "retake", "retook", "regain"),
    "Non-state actor overtakes territory": ("seize", "seized", "captur", "overran", "overrun", "took control"),
    "Chemical weapon": ("chemical", "chlorine", "sarin", "mustard", "toxic gas"),
    "Air/drone strike": ("airstrike", "air strike", "drone", "warplane", "aircraft", "jets"),
    "Suicide bomb": ("suicide",),
    "Shelling/artillery/missile attack": ("shell", "artillery", "mortar", "rocket", "missile"),
    "Remote explosive/landmine/IED": ("ied", "landmine", "mine", "roadside bomb", "car bomb", "explosive device"),
    "Grenade": ("grenade",),
    "Sexual violence": ("rape", "sexual", "sexually"),
    "Attack": ("attack", "kill", "shot", "gunmen", "murder"),
    "Abduction/forced disappearance": ("abduct", "kidnap", "hostage", "disappear"),
    "Peaceful protest": ("protest", "demonstrat", "rally", "rallied", "march", "sit-in", "strike"),
    "Protest with intervention": ("tear gas", "teargas", "dispers", "water cannon"),
    "Excessive force against protesters": ("live fire", "live ammunition", "live rounds"),
    "Violent demonstration": ("riot", "stones", "vandalis", "burning barricades"),
    "Mob violence": ("mob", "lynch", "vigilante"),
    "Agreement": ("agree", "agreement", "deal", "pact", "treaty", "ceasefire"),
    "Arrests": ("arrest", "detain", "apprehend"),
    "Change to group/activity": ("merge", "split", "new leader", "new commander", "defect", "dissolv"),
    "Disrupted weapons use": ("defus", "intercept", "shot down", "cache"),
    "Headquarters or base established": ("headquarters", "set up a base", "established a", "new base"),
    "Looting/property destruction": ("loot", "burn", "destroy", "demolish", "torch", "pillag"),
    "Non-violent transfer of territory": ("withdr", "pulled out", "handed over", "vacat"),
    "Other": ("curfew", "talks", "met"),
}
"""The keyword baseline's lexicon: a few keywords per ACLED sub-event type (matched at the start
of a word, case-insensitive)."""

_KEYWORD_PATTERNS = {sub: [re.compile(r"\b" + re.escape(k), re.IGNORECASE) for k in words]
                     for sub, words in KEYWORDS.items()}


def keyword_label(text: str) -> str:
    """Keyword baseline: the sub-event type with the most distinct keywords of :data:`KEYWORDS` in
    the text (ties: ACLED's order of :data:`~timeline.taxonomy.SUB_EVENT_TYPES`); ``Other`` when
    no keyword occurs.

    >>> keyword_label("Police fired tear gas to disperse the protest.")
    'Protest with intervention'
    """
    hits = {sub: sum(1 for p in patterns if p.search(text)) for sub, patterns in _KEYWORD_PATTERNS.items()}
    best = max(SUB_EVENT_TYPES, key=lambda sub: (hits[sub], -SUB_EVENT_TYPES.index(sub)))
    return best if hits[best] else "Other"


def load_acled(path: str | Path) -> list[dict]:
    """Records ``{id, text, sub_event_type}`` of a JSON-lines file; ValueError naming the file and
    line of a bad record (not JSON, no text, unknown sub-event type)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"{path}: cannot read ACLED snippets ({error})") from error
    out = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        record = text_record(line, f"{path}:{number}")
        if record.get("sub_event_type") not in SUB_EVENT_TYPES:
            raise ValueError(f"{path}:{number}: unknown ACLED sub_event_type {record.get('sub_event_type')!r}")
        out.append({"id": record.get("id"), "text": record["text"], "sub_event_type": record["sub_event_type"]})
    if not out:
        raise ValueError(f"{path}: no snippets")
    return out


def acled_label(event: dict | None) -> str:
    """ACLED sub-event type of an event (extensions fall back to their ACLED type); ``NONE`` for
    no event."""
    if not event:
        return NONE
    return ACLED_SUB_EVENT_TYPE_OF.get(event["sub_event_type"], NONE)


def scores(gold: list[str], pred: list[str]) -> dict:
    """Accuracy, weighted F1, macro F1 (over the gold classes) and the per-class table."""
    from timeline.event_eval import per_class_scores

    classes = [c for c in SUB_EVENT_TYPES if c in set(gold)]
    per_class = per_class_scores(gold, pred, classes)
    total = sum(s["support"] for s in per_class.values())
    return {
        "snippets": len(gold),
        "accuracy": round(sum(g == p for g, p in zip(gold, pred)) / len(gold), 4) if gold else 0.0,
        "weighted_f1": round(sum(s["f1"] * s["support"] for s in per_class.values()) / total, 4) if total else 0.0,
        "macro_f1": round(sum(s["f1"] for s in per_class.values()) / len(per_class), 4) if per_class else 0.0,
        "no_event": pred.count(NONE),
        "per_class": per_class,
    }


def evaluate_acled(nlp, path: str | Path) -> dict:
    """Score the main event's ACLED sub-event type and the keyword baseline on one snippet file."""
    from timeline.event_eval import main_event

    records = load_acled(path)
    gold = [r["sub_event_type"] for r in records]
    system = [acled_label(main_event(doc)) for doc in nlp.pipe(r["text"] for r in records)]
    baseline = [keyword_label(r["text"]) for r in records]
    confusion = Counter(f"{g} -> {p}" for g, p in zip(gold, system) if g != p)
    return {
        "file": str(path),
        "system": scores(gold, system),
        "keyword_baseline": scores(gold, baseline),
        "top_confusions": dict(sorted(confusion.items(), key=lambda kv: (-kv[1], kv[0]))[:15]),
        "errors": [{"id": r["id"], "gold": g, "predicted": p} for r, g, p in zip(records, gold, system) if g != p],
    }


def format_acled_report(result: dict) -> str:
    """The figures as a markdown report: headline figures, then the per-class table."""
    system, baseline = result["system"], result["keyword_baseline"]
    lines = [
        f"ACLED sub-event type: {system['snippets']} snippets ({result['file']})", "",
        "| classifier | accuracy | weighted F1 | macro F1 | no event |", "|---|---|---|---|---|",
        f"| event-atlas (main event) | {system['accuracy']:.3f} | {system['weighted_f1']:.3f} | "
        f"{system['macro_f1']:.3f} | {system['no_event']} |",
        f"| keyword baseline | {baseline['accuracy']:.3f} | {baseline['weighted_f1']:.3f} | "
        f"{baseline['macro_f1']:.3f} | - |", "",
        "| sub-event type | P | R | F1 | support | baseline F1 |", "|---|---|---|---|---|---|",
    ]
    for sub, s in system["per_class"].items():
        lines.append(f"| {sub} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} | "
                     f"{baseline['per_class'][sub]['f1']:.3f} |")
    return "\n".join(lines)
