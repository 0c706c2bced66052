"""Extraction at scale: the Dask engine gives the local result, the cache skips what it has seen,
streaming writes Parquet partitions, and one bad article never stops a corpus."""

from __future__ import annotations

import json
import os

import pandas as pd
import pyarrow.parquet as pq
import pytest
import spacy
from spacy.language import Language

from conftest import SEED_DIR
from timeline import extract
from timeline.articles import Manifest, load_articles
from timeline.extract import (
    MENTION_COLUMNS, ArticleFailure, MentionCache, article_key, dask_client, extract_events,
    extract_mentions, extract_to_parquet, iter_article_batches, pipeline_version, run_pipeline,
    show_progress,
)

EXTRA_TEXTS = [
    "Gunmen attacked a police checkpoint in Mosul on Tuesday, killing three officers, police said.",
    "Thousands of protesters marched through Baghdad on Friday to demand early elections.",
    "An air strike hit a weapons depot near Aleppo last week, the observatory reported.",
    "The ministry said talks with the rebels would resume in Geneva in March.",
    "Floods displaced 2,000 families in Sindh province, officials said on Monday.",
    "Police arrested 12 people after clashes in Nairobi on 3 May 2024.",
    "Nothing happened here.",
]


@pytest.fixture(scope="module")
def articles() -> pd.DataFrame:
    """The seed articles plus short synthetic reports (some dated), 12 articles."""
    seeds = load_articles(SEED_DIR)
    extra = pd.DataFrame({
        "article_id": [f"x{number:02d}" for number in range(len(EXTRA_TEXTS))],
        "path": [f"extra/x{number:02d}.txt" for number in range(len(EXTRA_TEXTS))],
        "text": EXTRA_TEXTS,
        "published": ["2024-05-06", "", "2025-01-15T08:00", "", "2024-08-26", "2024-05-04", ""],
    })
    return pd.concat([seeds, extra], ignore_index=True).fillna("")


@pytest.fixture(scope="module")
def local_mentions(articles) -> pd.DataFrame:
    return extract_mentions(articles, cache=False, progress=False)


@pytest.fixture(scope="module")
def client():
    """A LocalCluster of 2 worker processes on 127.0.0.1, closed after the module's tests."""
    with dask_client(2) as dask:
        yield dask


def test_mentions_have_the_columns_and_the_article_order(articles, local_mentions):
    assert tuple(local_mentions.columns[:len(MENTION_COLUMNS)]) == MENTION_COLUMNS
    assert len(local_mentions) > len(articles)  # the seeds alone report dozens of events
    order = {article_id: number for number, article_id in enumerate(articles["article_id"])}
    positions = local_mentions["article_id"].map(order)
    assert positions.is_monotonic_increasing
    for _, group in local_mentions.groupby("article_id", sort=False):
        assert group["trigger_start"].is_monotonic_increasing or group["sentence_start"].is_monotonic_increasing
    assert local_mentions.attrs["extraction"] == {"articles": len(articles), "cached": 0,
                                                  "processed": len(articles), "failed": 0}
    assert local_mentions.attrs["model"] and local_mentions.attrs["pipeline_version"].startswith("event-atlas ")


def test_dask_on_a_local_cluster_gives_the_local_mentions(articles, local_mentions, client):
    distributed = extract_mentions(articles, engine="dask", scheduler=client, cache=False, progress=False,
                                   batch_size=2)  # 6 tasks over 2 workers, partitioned unlike local
    pd.testing.assert_frame_equal(distributed, local_mentions)


def test_dask_on_a_local_cluster_gives_the_local_events(articles, client):
    local = extract_events(articles, cache=False, progress=False)
    distributed = extract_events(articles, engine="dask", scheduler=client, cache=False, progress=False,
                                 batch_size=3)
    pd.testing.assert_frame_equal(distributed, local)
    assert len(local) > 0
    assert (local["model"] == local.attrs["model"]).all()


def _worker_setup(dask_worker) -> tuple[bool, str | None]:
    return "profile" in dask_worker.periodic_callbacks, os.environ.get("MALLOC_TRIM_THRESHOLD_")


def test_the_local_cluster_runs_without_profiler_or_dask_heap_trimming(client):
    """Workers of the cluster dask_client starts: no stack sampling for the dashboard that is not
    started, and the heap trimming of the environment (glibc's by default), not Dask's 64 KiB."""
    assert set(client.run(_worker_setup).values()) == {(False, os.environ.get("MALLOC_TRIM_THRESHOLD_"))}


@pytest.mark.filterwarnings("ignore:Port 8787 is already in use")
def test_a_new_cluster_is_started_and_closed_when_no_scheduler_is_given(articles, local_mentions):
    subset = articles.tail(4)
    distributed = extract_mentions(subset, engine="dask", workers=1, cache=False, progress=False)
    expected = local_mentions[local_mentions["article_id"].isin(subset["article_id"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(distributed, expected)


def test_the_cache_processes_only_new_articles(articles, local_mentions, tmp_path, monkeypatch):
    processed: list[str] = []
    real = extract.run_pipeline

    def counting(nlp, records, **options):
        processed.extend(article_id for article_id, _, _ in records)
        return real(nlp, records, **options)

    monkeypatch.setattr(extract, "run_pipeline", counting)
    first = extract_mentions(articles.head(9), cache=tmp_path, progress=False)
    assert sorted(processed) == sorted(articles["article_id"].head(9))
    processed.clear()
    second = extract_mentions(articles, cache=tmp_path, progress=False)
    assert sorted(processed) == sorted(articles["article_id"].tail(3))
    assert second.attrs["extraction"] == {"articles": 12, "cached": 9, "processed": 3, "failed": 0}
    pd.testing.assert_frame_equal(second, local_mentions)
    assert first["article_id"].isin(articles["article_id"].head(9)).all()
    processed.clear()
    edited = articles.copy()
    edited.loc[edited.index[-1], "text"] += " Police said two more people were killed in Sindh."
    edited.loc[edited.index[0], "published"] = "2025-04-08"
    extract_mentions(edited, cache=tmp_path, progress=False)
    assert sorted(processed) == sorted([edited["article_id"].iloc[0], edited["article_id"].iloc[-1]])


def test_the_cache_honours_the_environment_and_can_be_turned_off(articles, tmp_path, monkeypatch):
    monkeypatch.setenv("EVENT_ATLAS_CACHE", str(tmp_path / "env-cache"))
    extract_mentions(articles.tail(2), progress=False)
    with MentionCache(tmp_path / "env-cache") as cache:
        assert len(cache) == 2
    again = extract_mentions(articles.tail(2), progress=False)
    assert again.attrs["extraction"]["cached"] == 2
    off = extract_mentions(articles.tail(2), cache=False, progress=False)
    assert off.attrs["extraction"]["cached"] == 0


def test_the_cache_key_depends_on_text_publication_time_and_pipeline_version():
    version = pipeline_version("rules", True)
    key = article_key(version, "Police said.", "2025-04-07")
    assert key == article_key(version, "Police said.", "2025-04-07")
    assert len({key, article_key(version, "Police said!", "2025-04-07"),
                article_key(version, "Police said.", None), article_key(version + "x", "Police said.", "2025-04-07"),
                article_key(version, "Police said.", "2025-04-08")}) == 5
    assert version != pipeline_version("rules", False)


def test_streaming_writes_parquet_partitions_equal_to_the_whole_table(articles, tmp_path):
    source = tmp_path / "corpus.jsonl"
    with source.open("w", encoding="utf-8") as out:
        for row in articles.itertuples():
            out.write(json.dumps({"id": row.article_id, "text": row.text, "published": row.published}) + "\n")
    summary = extract_to_parquet(source, tmp_path / "out", model="rules", cache=False, progress=False,
                                 partition_size=5)
    parts = sorted((tmp_path / "out" / "mentions").glob("part-*.parquet"))
    assert [part.name for part in parts] == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    streamed = pd.read_parquet(tmp_path / "out" / "mentions")
    whole = extract_mentions(articles, model="rules", cache=False, progress=False)
    assert summary["articles"] == len(articles) and summary["mentions"] == len(whole) == len(streamed)
    assert streamed["article_id"].tolist() == whole["article_id"].tolist()
    assert streamed["trigger"].tolist() == whole["trigger"].tolist()
    assert streamed["latitude"].fillna(999).tolist() == whole["latitude"].fillna(999).tolist()
    meta = pq.read_table(tmp_path / "out" / "articles")
    assert "text" not in meta.column_names and meta.num_rows == len(articles)
    first = (tmp_path / "out" / "mentions" / "part-00000.parquet").read_bytes()
    extract_to_parquet(source, tmp_path / "out", model="rules", cache=False, progress=False, partition_size=5)
    assert (tmp_path / "out" / "mentions" / "part-00000.parquet").read_bytes() == first


def test_article_batches_stream_jsonl_and_csv_and_name_bad_lines(tmp_path):
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text("".join(json.dumps({"text": f"Report {n}."}) + "\n" for n in range(7)), encoding="utf-8")
    assert [len(batch) for batch in iter_article_batches(jsonl, 3)] == [3, 3, 1]
    assert next(iter_article_batches(jsonl, 3))["article_id"].tolist() == ["a:1", "a:2", "a:3"]
    csv = tmp_path / "b.csv"
    pd.DataFrame({"article_id": ["p", "q"], "text": ["One, two.", "Three"]}).to_csv(csv, index=False)
    assert [batch["article_id"].tolist() for batch in iter_article_batches(csv, 1)] == [["p"], ["q"]]
    seeds = [batch["article_id"].tolist() for batch in iter_article_batches(SEED_DIR, 2)]
    assert [len(batch) for batch in seeds] == [2, 2, 1]
    assert sum(seeds, []) == load_articles(SEED_DIR)["article_id"].tolist()
    twins = tmp_path / "twins"
    for name in ("x.txt", "y.txt"):
        (twins / name).parent.mkdir(exist_ok=True)
        (twins / name).write_text("Police said gunmen attacked a checkpoint in Mosul.", encoding="utf-8")
    manifest = Manifest()
    assert [batch["article_id"].tolist() for batch in iter_article_batches(twins, 1, manifest=manifest)] == [["x"]]
    assert manifest[(twins / "y.txt").as_posix()].duplicate_of == (twins / "x.txt").as_posix()


def test_pipeline_version_follows_the_gazetteer_data(monkeypatch):
    import geo.toponyms
    from timeline.pipeline import build_pipeline

    pipeline_version.cache_clear()
    before = pipeline_version("rules", True)
    monkeypatch.setattr(geo.toponyms, "index_key", lambda: "other-gazetteer-data")
    pipeline_version.cache_clear()
    try:
        assert build_pipeline("rules", True).get_pipe("toponyms").cache_key == "gazetteer other-gazetteer-data"
        assert pipeline_version("rules", True) != before
    finally:
        pipeline_version.cache_clear()


def test_streaming_records_bad_records_and_urls_as_the_loader_does(tmp_path):
    source = tmp_path / "mixed.jsonl"
    source.write_text("".join([
        json.dumps({"text": "Gunmen attacked a checkpoint in Mosul.", "url": "javascript:alert(1)"}) + "\n",
        json.dumps({"title": "a record without text"}) + "\n",
        '{"text": broken\n',
        json.dumps({"id": "last", "text": "Protesters marched in Baghdad.", "url": "https://example.org/a b"}) + "\n",
    ]), encoding="utf-8")
    loaded_manifest, streamed_manifest = Manifest(), Manifest()
    loaded = load_articles(source, manifest=loaded_manifest)
    summary = extract_to_parquet(source, tmp_path / "out", model="rules", cache=False, progress=False,
                                 partition_size=1, manifest=streamed_manifest)
    assert streamed_manifest.to_dict() == loaded_manifest.to_dict()
    entry = streamed_manifest[source.as_posix()]
    assert entry.status == "partial" and "record 2: no text" in entry.reason and "line 3: invalid JSON" in entry.reason
    meta = pd.read_parquet(tmp_path / "out" / "articles")
    assert summary["articles"] == len(meta) == 2 and summary["partitions"] == 2
    assert sorted(meta["article_id"]) == loaded["article_id"].tolist() == ["last", "mixed:1"]
    assert sorted(meta["url"].fillna("")) == sorted(loaded["url"]) == ["", "https://example.org/a%20b"]


@Language.component("test_events_or_fail")
def _events_or_fail(doc):
    if "BOOM" in doc.text:
        raise RuntimeError("bad input")
    if "SLOW" in doc.text:
        import time

        time.sleep(1.0)
    doc._.events = [{"trigger": token.text, "trigger_start": token.idx} for token in doc if token.text == "attack"]
    return doc


def test_a_failing_or_slow_article_is_recorded_not_fatal():
    nlp = spacy.blank("en")
    nlp.add_pipe("test_events_or_fail")
    if not spacy.tokens.Doc.has_extension("events"):
        spacy.tokens.Doc.set_extension("events", default=None)
    records = [("a", "An attack.", None), ("b", "BOOM attack", None), ("c", "attack attack", "2025-01-01")]
    results = run_pipeline(nlp, records, batch_size=8)
    assert isinstance(results[1], ArticleFailure) and "bad input" in results[1].message
    assert [json.loads(results[0]), json.loads(results[2])] == [
        [{"trigger": "attack", "trigger_start": 3}],
        [{"trigger": "attack", "trigger_start": 0}, {"trigger": "attack", "trigger_start": 7}]]
    slow = run_pipeline(nlp, [("d", "SLOW attack", None), ("e", "attack", None)], time_budget=0.2)
    assert isinstance(slow[0], ArticleFailure) and "time budget" in slow[0].message
    assert json.loads(slow[1]) == [{"trigger": "attack", "trigger_start": 0}]


def test_a_failed_article_marks_its_file_partial_in_the_manifest(articles, monkeypatch):
    def failing(nlp, records, **options):
        return [ArticleFailure("the 'events' component failed: boom") if article_id == "x01" else
                json.dumps([]) for article_id, _, _ in records]

    monkeypatch.setattr(extract, "run_pipeline", failing)
    manifest = Manifest()
    manifest.add("extra/x01.txt", articles=1)
    mentions = extract_mentions(articles.tail(7), model="rules", cache=False, progress=False, manifest=manifest)
    assert mentions.attrs["extraction"]["failed"] == 1
    assert manifest["extra/x01.txt"].status == "partial"
    assert any("x01" in warning and "boom" in warning for warning in manifest["extra/x01.txt"].warnings)


def test_progress_is_quiet_in_ci_and_when_asked(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert show_progress(None) is False
    assert show_progress(True) is True
    monkeypatch.delenv("CI")
    assert show_progress(False) is False


def test_unknown_engine_and_missing_columns_are_clear_errors(articles):
    with pytest.raises(ValueError, match="unknown engine 'spark'"):
        extract_mentions(articles, engine="spark", cache=False)
    with pytest.raises(ValueError, match="no text column"):
        extract_mentions(pd.DataFrame({"article_id": ["a"]}), cache=False)


def test_balanced_chunks_keep_order_and_cut_long_texts_finer():
    from timeline.extract import balanced_chunks

    records = [(f"long-{n}", "x" * 1000, None) for n in range(10)] + [(f"short-{n}", "y" * 10, None) for n in range(100)]
    chunks = list(balanced_chunks(records, 64, parts=8))
    assert [r for chunk in chunks for r in chunk] == records            # every record once, in order
    assert all(len(chunk) <= 64 for chunk in chunks)
    sizes = [sum(len(text) for _, text, _ in chunk) for chunk in chunks]
    assert max(sizes) <= 2 * sum(sizes) / 8                             # no chunk far above its share
    assert len(chunks[0]) < len(chunks[-1])                             # long articles: fewer per chunk
