"""timeline.articles: formats, metadata, publication times and the manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from timeline.articles import (
    ArticleLoadError, Manifest, dateline_from_text, decode_bytes, find_publication_time, iter_articles,
    load_articles, normalize_published, outlet_from_text, split_front_matter, title_from_text,
)
from timeline.schema import ARTICLE_COLUMNS

SEEDS = Path(__file__).resolve().parents[1] / "data" / "articles"
BODY = ("Gunmen attacked a police checkpoint in Mosul on Thursday, killing five officers, "
        "officials said.\n\nThe attack was the deadliest in the province this year.\n")


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# -- the seed corpus ------------------------------------------------------------------------------

def test_seed_articles_load_with_printed_metadata_only():
    manifest = Manifest()
    articles = load_articles(SEEDS, manifest=manifest)
    assert tuple(articles.columns) == ARTICLE_COLUMNS
    assert list(articles.article_id) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert manifest.counts == {"ok": 5, "partial": 0, "error": 0, "skipped": 0}
    dated = articles[articles.published != ""]
    assert list(dated.article_id) == ["002_84a02b2ef8a36d7a"]
    assert dated.published.item() == "2025-04-07T09:34"
    assert dated.published_basis.item() == "dateline"
    assert set(articles.loc[articles.published == "", "published_basis"]) == {"none"}
    assert articles.set_index("article_id").outlet.to_dict()["002_84a02b2ef8a36d7a"] == "Fakti"
    assert (articles.outlet != "").sum() == 1  # nobody else names an outlet explicitly
    assert articles.url.eq("").all()
    titles = articles.set_index("article_id").title
    assert titles["004_3097d9dd1710322f"].startswith("Iran-backed militias in Iraq are ready to disarm")
    assert titles["002_84a02b2ef8a36d7a"].startswith("Iraqi militias backed by Iran are ready")
    assert titles["003_f83e6cffe9371ba4"] == ""  # starts straight with the body
    for path in SEEDS.glob("*.txt"):  # text unchanged
        assert articles.set_index("article_id").text[path.stem] == path.read_text(encoding="utf-8")
    assert not articles.isna().any().any()


def test_manifest_json_and_summary(tmp_path):
    manifest = Manifest()
    load_articles(SEEDS, manifest=manifest)
    written = json.loads(manifest.to_json(tmp_path / "out" / "manifest.json").read_text())
    assert written["summary"] == {"files": 5, "articles": 5, "ok": 5, "partial": 0, "error": 0, "skipped": 0}
    assert [f["file"] for f in written["files"]] == sorted(f["file"] for f in written["files"])
    first = written["files"][0]
    assert first["status"] == "ok" and first["articles"] == 1 and len(first["sha256"]) == 64
    assert first["encoding"] == "utf-8"
    assert manifest.articles_read == 5 and not manifest.any_errors
    assert manifest.summary().startswith("5 articles from 5 files: 5 ok, 0 partial, 0 error, 0 skipped")


# -- formats ------------------------------------------------------------------------------------

def test_front_matter_and_sidecar_metadata(tmp_path):
    write(tmp_path, "a.txt", "---\ntitle: \"Checkpoint attack\"\noutlet: Example Times\n"
          "url: https://example.org/a\npublished: 2025-03-02T08:15:00Z\n---\n" + BODY)
    write(tmp_path, "b.txt", "Headline of b in the text\n\n" + BODY)
    write(tmp_path, "b.meta.json", json.dumps({"Source": {"name": "Wire"}, "link": "https://w.example/b",
                                                "publishedAt": "Mon, 03 Mar 2025 10:00:00 GMT"}))
    manifest = Manifest()
    articles = load_articles(tmp_path, manifest=manifest).set_index("article_id")
    a, b = articles.loc["a"], articles.loc["b"]
    assert (a.title, a.outlet, a.url, a.published, a.published_basis) == (
        "Checkpoint attack", "Example Times", "https://example.org/a", "2025-03-02T08:15", "metadata")
    assert a.text == BODY  # front matter removed
    assert (b.title, b.outlet, b.url, b.published) == (
        "Headline of b in the text", "Wire", "https://w.example/b", "2025-03-03T10:00")
    assert manifest[str((tmp_path / "b.meta.json").as_posix())].reason.startswith("metadata for")
    assert len(manifest) == 3


def test_jsonl_records_keep_their_ids_or_get_stem_line(tmp_path):
    lines = [json.dumps({"id": "r-1", "headline": "One", "text": BODY, "date": "2025-01-02"}),
             "",
             json.dumps({"content": BODY, "source": "Agency", "url": "https://x.example/2"}),
             json.dumps({"body": ["Para one about Mosul.", "Para two."], "published_at": 1743932040})]
    write(tmp_path, "feed.jsonl", "\n".join(lines) + "\n")
    articles = load_articles(tmp_path / "feed.jsonl").set_index("article_id")
    assert list(articles.index) == ["feed:3", "feed:4", "r-1"]
    assert articles.loc["r-1", "title"] == "One" and articles.loc["r-1", "published"] == "2025-01-02"
    assert articles.loc["feed:3", "outlet"] == "Agency"
    assert articles.loc["feed:4", "text"] == "Para one about Mosul.\n\nPara two."
    assert articles.loc["feed:4", "published"] == "2025-04-06T09:34"  # epoch seconds, UTC


def test_json_list_object_and_wrapper(tmp_path):
    write(tmp_path, "one.json", json.dumps({"title": "Single", "text": BODY}))
    write(tmp_path, "many.json", json.dumps([{"text": BODY}, {"text": BODY + "x"}]))
    write(tmp_path, "wrapped.json", json.dumps({"status": "ok", "articles": [{"article_id": 7, "text": BODY + "y"}]}))
    articles = load_articles(tmp_path)
    assert sorted(articles.article_id) == ["7", "many:1", "many:2", "one"]


def test_csv_and_tsv_with_a_text_column(tmp_path):
    import csv, io
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["Title", "Text", "Date"], ["A, b", BODY, "2025-02-03"], []])
    write(tmp_path, "t.csv", buffer.getvalue())
    write(tmp_path, "t2.tsv", "headline\tcontent\nX\tA long enough text about Basra.\n")
    articles = load_articles(tmp_path).set_index("article_id")
    assert articles.loc["t:2", "title"] == "A, b" and articles.loc["t:2", "published"] == "2025-02-03"
    assert articles.loc["t:2", "text"] == BODY
    assert articles.loc["t2:2", "text"] == "A long enough text about Basra."


def test_html_main_text_and_meta(tmp_path):
    html = ("<html><head><meta charset='utf-8'><title>Page title | Site</title>"
            "<meta property='og:site_name' content='Example News'>"
            "<meta property='article:published_time' content='2025-04-07T09:34:00+03:00'>"
            "<link rel='canonical' href='https://example.org/story'>"
            "<script>window.evil = 'SCRIPTBODY'</script><style>.x{color:red} STYLEBODY</style></head>"
            "<body><nav>Home | World | Sports</nav><article><h1>Militias agree to disarm</h1>"
            + "".join(f"<p>{s}</p>" for s in BODY.split("\n\n")) + "</article></body></html>")
    write(tmp_path, "page.html", html)
    row = load_articles(tmp_path).iloc[0]
    assert "Gunmen attacked a police checkpoint" in row.text
    assert "SCRIPTBODY" not in row.text and "STYLEBODY" not in row.text
    assert (row.outlet, row.url, row.published, row.published_basis) == (
        "Example News", "https://example.org/story", "2025-04-07T09:34", "html-meta")
    assert row.title == "Militias agree to disarm"


def test_sources_folder_file_glob_list(tmp_path):
    for name in ("x.txt", "y.txt", "sub/z.txt"):
        write(tmp_path, name, f"Headline words of {name}\n\n" + BODY)
    assert len(load_articles(tmp_path)) == 3
    assert len(load_articles(tmp_path / "x.txt")) == 1
    assert list(load_articles(str(tmp_path / "*.txt")).article_id) == ["x", "y"]
    assert len(load_articles([tmp_path / "x.txt", tmp_path / "sub"])) == 2
    with pytest.raises(FileNotFoundError, match="no such"):
        load_articles(tmp_path / "missing")


def test_clashing_ids_become_paths(tmp_path):
    write(tmp_path, "a/same.txt", "One headline for this article\n\n" + BODY)
    write(tmp_path, "b/same.txt", "Another headline for that article\n\n" + BODY)
    manifest = Manifest()
    ids = list(load_articles(tmp_path, manifest=manifest).article_id)
    assert len(set(ids)) == 2 and ids == sorted(ids)
    assert any("renamed" in w for e in manifest for w in e.warnings)
    assert sorted(load_articles(tmp_path).article_id) == ids  # stable


def test_iter_articles_streams_the_loaders_ids_manifest_and_duplicates(tmp_path):
    write(tmp_path, "a/same.txt", "One headline for this article\n\n" + BODY)
    write(tmp_path, "b/same.txt", "Another headline for that article\n\n" + BODY)
    write(tmp_path, "c/copy.txt", "One headline for this article\n\n" + BODY)  # a duplicate, batches later
    write(tmp_path, "d.jsonl", "".join(json.dumps(record) + "\n" for record in (
        {"id": "same", "text": BODY}, {"text": "A second " + BODY}, {"title": "no text"}, {"id": "same", "text": "x"})))
    loaded_manifest, streamed_manifest = Manifest(), Manifest()
    loaded = load_articles(tmp_path, manifest=loaded_manifest)
    batches = list(iter_articles(tmp_path, manifest=streamed_manifest, batch_size=1))
    assert [len(batch) for batch in batches] == [1] * len(loaded) and len(loaded) == 5
    assert all(tuple(batch.columns) == ARTICLE_COLUMNS for batch in batches)
    streamed = pd.concat(batches, ignore_index=True)
    assert streamed["article_id"].is_unique
    assert sorted(streamed["article_id"]) == list(loaded["article_id"])
    assert streamed_manifest.to_dict() == loaded_manifest.to_dict()
    copy = streamed_manifest[(tmp_path / "c/copy.txt").as_posix()]
    assert copy.status == "skipped" and copy.duplicate_of == (tmp_path / "a/same.txt").as_posix()
    assert streamed_manifest[(tmp_path / "d.jsonl").as_posix()].status == "partial"
    with pytest.raises(FileNotFoundError):
        iter_articles(tmp_path / "missing")


# -- publication times ----------------------------------------------------------------------------

def test_user_published_names_articles_or_fills_the_gaps(tmp_path):
    write(tmp_path, "a.txt", "Headline words here now\nPublished: 1 March 2025\n\n" + BODY)
    write(tmp_path, "b.txt", "Headline words here now\n\n" + BODY)
    articles = load_articles(tmp_path, published={"b.txt": "2025-03-09"}).set_index("article_id")
    assert articles.loc["a", ["published", "published_basis"]].tolist() == ["2025-03-01", "dateline"]
    assert articles.loc["b", ["published", "published_basis"]].tolist() == ["2025-03-09", "user"]
    default = load_articles(tmp_path, published="2025-03-10 14:00").set_index("article_id")
    assert default.loc["a", ["published", "published_basis"]].tolist() == ["2025-03-01", "dateline"]
    assert default.loc["b", ["published", "published_basis"]].tolist() == ["2025-03-10T14:00", "user"]
    with pytest.raises(ValueError, match="not a date"):
        load_articles(tmp_path, published="next tuesday")


@pytest.mark.parametrize(("text", "expected"), [
    ("Title of the story here\nApr 7, 2025 09:34 144\nBody.", "2025-04-07T09:34"),
    ("Title of the story here\nPublished: 7 April 2025\nBody.", "2025-04-07"),
    ("Headline words go here\nBy Jane Doe | April 7, 2025 9:34 PM EDT\n", "2025-04-07T21:34"),
    ("Headline words go here\n07.04.2025 09:34\n", "2025-04-07T09:34"),
    ("Headline words go here\n09:34, 7 April 2025\n", "2025-04-07T09:34"),
    ("Headline words go here\nUpdated April 9, 2025\nPublished April 7, 2025\n", "2025-04-07"),
    ("Headline words go here\nMonday, April 7th, 2025 at 9:34 a.m.\n", "2025-04-07T09:34"),
    ("Headline words go here\n2025-04-07T09:34:00Z\n", "2025-04-07T09:34"),
    ("Headline words go here\n4/27/2025\n", "2025-04-27"),
    ("Headline words go here\nThe attack on 7 April 2025 killed five people.\n", None),
    ("Headline words go here\nOn April 7, 2025, gunmen stormed the building\n", None),
    ("Headline words go here\n04/07/2025\n", None),  # April 7 or 4 July: not guessed
    ("Headline words go here\nApril 7\n", None),  # no year: not invented
    ("Headline words go here\nFebruary 30, 2025\n", None),
    ("", None),
])
def test_dateline(text, expected):
    assert dateline_from_text(text) == expected


def test_dateline_far_down_needs_a_keyword():
    filler = "\n".join(f"Paragraph {i} says something about the talks in Baghdad." for i in range(40))
    assert dateline_from_text(filler + "\nApril 7, 2025\n") is None
    assert dateline_from_text(filler + "\nPublished on April 7, 2025\n") == "2025-04-07"


@pytest.mark.parametrize(("value", "expected"), [
    ("2025-04-07", "2025-04-07"), ("2025-04-07T09:34:59.123+03:00", "2025-04-07T09:34"),
    ("Mon, 07 Apr 2025 09:34:00 GMT", "2025-04-07T09:34"), ("7 April 2025", "2025-04-07"),
    (1743932040, "2025-04-06T09:34"), (1743932040000, "2025-04-06T09:34"), ("1743932040", "2025-04-06T09:34"),
    ("2025", None), ("April 2025", None), ("yesterday", None), ("", None), (None, None), (True, None),
    (float("nan"), None), ({"a": 1}, None), ("2025-13-01", None),
])
def test_normalize_published(value, expected):
    assert normalize_published(value) == expected


@pytest.mark.parametrize(("published", "kept", "warning"), [
    ("2150-01-01", "", "outside 1900-2100"),
    ("1850-06-01", "", "outside 1900-2100"),
    ("1900-01-01", "1900-01-01", "implausible"),
    ("2090-05-05", "2090-05-05", "implausible"),
    ("2025-04-07", "2025-04-07", None),
])
def test_implausible_dates_are_flagged_without_the_clock(tmp_path, published, kept, warning):
    write(tmp_path, "a.txt", f"---\npublished: {published}\n---\nHeadline words here\n\n{BODY}")
    manifest = Manifest()
    row = load_articles(tmp_path, manifest=manifest).iloc[0]
    assert row.published == kept
    warnings = manifest[(tmp_path / "a.txt").as_posix()].warnings
    if warning:
        assert any(warning in w for w in warnings)
    else:
        assert not any("publication time" in w for w in warnings)


def test_no_date_is_said_not_invented(tmp_path):
    write(tmp_path, "a.txt", "Headline words here now\n\n" + BODY)
    manifest = Manifest()
    row = load_articles(tmp_path, manifest=manifest).iloc[0]
    assert (row.published, row.published_basis) == ("", "none")
    assert any("no publication time" in w for w in manifest.entries[0].warnings)


def test_find_publication_time_reports_position():
    found = find_publication_time("Posted: Apr 7, 2025 09:34 by staff")
    assert (found.value, found.start) == ("2025-04-07T09:34", 8)


# -- title and outlet -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Latest news in Fakti\n\nHeadline", "Fakti"),
    ("Body text.\n\nRead more on BBC News", "BBC News"),
    ("Body.\nThis article first appeared on The Conversation.", "The Conversation"),
    ("Body.\n© 2025 The Washington Post. All rights reserved.", "The Washington Post"),
    ("Body.\nSource: Al Jazeera", "Al Jazeera"),
    ("World News\n\nHeadline about things", ""),
    ("Body.\n\nRead more", ""),
    ("Body.\nRead more on this topic in our archive", ""),
    ("With Post wires", ""),
    ("", ""),
])
def test_outlet_only_when_named_explicitly(text, expected):
    assert outlet_from_text(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("World News\n\nMilitias ready to disarm after US threats\n\nSeveral groups ...", "Militias ready to disarm after US threats"),
    ("Advertisement\nShare\nMilitias agree to disarm in Iraq\nBody.", "Militias agree to disarm in Iraq"),
    ("Several militias have agreed to disarm. The move follows threats from Washington.", ""),
    ("Apr 7, 2025 09:34\nMilitias agree to disarm in Iraq", "Militias agree to disarm in Iraq"),
    ("", ""),
])
def test_title_from_text(text, expected):
    assert title_from_text(text) == expected


def test_front_matter_needs_a_closing_line():
    assert split_front_matter("---\ntitle: x\n") == ({}, "---\ntitle: x\n")
    assert split_front_matter("--- not front matter\nx") == ({}, "--- not front matter\nx")


# -- encodings ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("encoding", "text"), [
    ("cp1252", "Militias “ready” to disarm – café naïve résumé façade"),
    ("cp1256", "قالت مصادر عراقية إن الفصائل المسلحة مستعدة لنزع السلاح"),
    ("latin-1", "Garçon à la crème brûlée, très élégant"),
    ("cp1251", "Иракские ополченцы готовы разоружиться"),
    ("utf-8", "Plain ASCII and ünïcödé"),
    ("utf-8-sig", "With a BOM: ünïcödé"),
    ("utf-16", "UTF-16 with its BOM: ünïcödé"),
    ("utf-16-le", "UTF-16 without a BOM, little-endian text"),
])
def test_decode_bytes_recovers_the_text(encoding, text):
    assert decode_bytes(text.encode(encoding))[0] == text


def test_strict_raises_after_recording_everything(tmp_path):
    write(tmp_path, "good.txt", "Headline words here now\n\n" + BODY)
    write(tmp_path, "empty.txt", "")
    manifest = Manifest()
    with pytest.raises(ArticleLoadError, match="empty.txt"):
        load_articles(tmp_path, manifest=manifest, strict=True)
    assert len(manifest) == 2 and manifest.any_errors


def test_summary_escapes_control_characters_in_file_names(tmp_path):
    write(tmp_path, "evil\x1b[31mname\u202e.txt", "")
    manifest = Manifest()
    load_articles(tmp_path, manifest=manifest)
    summary = manifest.summary()
    assert "\x1b" not in summary and "\u202e" not in summary and "\\x1b[31m" in summary


def test_reading_again_replaces_the_entry(tmp_path):
    write(tmp_path, "a.jsonl", json.dumps({"id": "x", "text": BODY}) + "\n{broken\n")
    manifest = Manifest()
    load_articles(tmp_path, manifest=manifest)
    write(tmp_path, "a.jsonl", json.dumps({"id": "x", "text": BODY}) + "\n")
    load_articles(tmp_path, manifest=manifest)
    entry = manifest.entries[0]
    assert (len(manifest), entry.status, entry.reason, entry.article_ids) == (1, "ok", "", ["x"])
