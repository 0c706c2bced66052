"""Broken, hostile, encoded and huge inputs: the batch survives and the manifest accounts for
every file (generated into a temporary folder by the tests)."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest

import timeline.articles as articles_module
from timeline.articles import Manifest, TimeBudgetExceeded, load_articles, time_budget
from timeline.schema import ARTICLE_COLUMNS

BODY = ("Gunmen attacked a police checkpoint in Mosul on Thursday, killing five officers, officials said. "
        "The attack was the deadliest in the province this year.\n")
ARABIC = "قالت مصادر عراقية إن الفصائل المسلحة مستعدة لنزع السلاح لتجنب الصراع مع الولايات المتحدة.\n"
HUGE_BYTES = 50 * 1024 * 1024


def corpus(folder: Path) -> dict[str, tuple[str, str]]:
    """Write the hostile corpus; returns ``{file name: (expected status, reason or warning fragment)}``."""
    files: dict[str, tuple[bytes, str, str]] = {
        "empty.txt": (b"", "error", "empty file"),
        "blank.txt": (b" \n\t\n  \r\n", "error", "no text"),
        "image.txt": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "error", "binary file (PNG)"),
        "noise.txt": (random.Random(7).randbytes(20_000), "error", "binary"),
        "cp1252.txt": (("Headline “quoted” – café\n\n" + BODY).encode("cp1252"), "ok", ""),
        "cp1256.txt": (("عنوان الخبر عن الفصائل المسلحة\n\n" + ARABIC * 3).encode("cp1256"), "ok", ""),
        "latin1.txt": (("Garçon à la crème brûlée headline\n\n" + BODY).encode("latin-1"), "ok", ""),
        "utf8-bom.txt": (("\ufeffHeadline with a byte order mark\n\n" + BODY).encode("utf-8"), "ok", ""),
        "utf16-bom.txt": (("Headline in UTF-16 with BOM\n\n" + BODY).encode("utf-16"), "ok", ""),
        "bom-then-cp1252.txt": (b"\xef\xbb\xbf" + ("Mixed café headline here\n\n" + BODY).encode("cp1252"),
                                "ok", ""),
        "crlf.txt": (("Windows line ends headline\r\n\r\n" + BODY).encode("utf-8").replace(b"\n", b"\r\n"), "ok", ""),
        "nul-inside.txt": (("Headline with a NUL\x00 inside\n\n" + BODY).encode("utf-8"), "ok", ""),
        "scripts.html": (("<html><head><script>window.__xss=1; var SECRET='SCRIPTTEXT'</script>"
                          "<style>body{background:url(http://evil.example/x.png)} STYLETEXT</style></head>"
                          "<body onload='window.__xss=2'><article><h1>Hostile page headline</h1>"
                          f"<p>{BODY}</p><p>{BODY.upper()}</p><script>document.write('INLINESCRIPT')</script>"
                          "</article></body></html>").encode(), "ok", ""),
        "broken.html": (f"<html><body><div><p>Unclosed <b>bold <div>{BODY} <table><tr><td>cell".encode(), "ok", ""),
        "deep.html": (("<div>" * 50_000 + BODY + "</div>" * 10).encode(), "ok", ""),
        "declared-cp1256.html": ((f'<html><head><meta charset="windows-1256"></head><body><p>{ARABIC * 3}</p>'
                                  "</body></html>").encode("cp1256"), "ok", ""),
        "records.jsonl": ("\n".join([json.dumps({"id": "r1", "text": BODY}), '{"id": "r2", "text": "unterminated',
                                     json.dumps({"id": "r3", "text": BODY + "More."}), "[1, 2]",
                                     json.dumps({"id": "r4", "title": "no text"}),
                                     json.dumps({"id": "r5", "text": BODY + "Again."})]).encode(),
                          "partial", "line 2: invalid JSON"),
        "invalid.json": (b'{"text": "unterminated', "error", "invalid JSON"),
        "nested.json": (b"[" * 100_000 + b"]" * 100_000, "error", ""),
        "scalar.json": (b"42", "error", "no article"),
        "no-text-column.csv": (b"a,b,c\n1,2,3\n", "error", "no text column"),
        "nul.csv": (b"title,text\nA,\x00" + BODY.encode() + b"\n", "ok", ""),
        "only-header.csv": (b"title,text\n", "error", "no records"),
        "future.txt": (b"Headline of a future article\nPublished: 12 March 2150\n\n" + BODY.encode(), "ok",
                       "outside 1900-2100"),
        "far-future.txt": (b"Headline of a later article\nPublished: 5 May 2090\n\n" + BODY.encode(), "ok", "implausible"),
        "old.txt": (b"Headline of an old article\nPublished: 1 January 1900\n\n" + BODY.encode(), "ok", "implausible"),
        "undated.txt": (b"Headline without any date\n\n" + BODY.encode(), "ok", "no publication time"),
        "duplicate-of-cp1252.txt": (("Headline “quoted” – café\n\n" + BODY).encode("cp1252"), "skipped", "duplicate of"),
        "report.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "skipped", "unsupported file type"),
        "orphan.meta.json": (b'{"title": "nobody"}', "skipped", "no article"),
        "with-meta.txt": (b"Headline in the text itself\n\n" + BODY.encode(), "ok", "sidecar"),
        "with-meta.meta.json": (b'{"title": "broken', "error", "unreadable metadata"),
        ".DS_Store": (b"\x00\x00\x00\x01Bud1", "skipped", "unsupported"),
        "no-extension": (BODY.encode(), "skipped", "unsupported"),
    }
    for name, (content, _, _) in files.items():
        (folder / name).write_bytes(content)
    with (folder / "huge.txt").open("wb") as handle:  # 50 MB
        block = ("Huge article headline line\n\n" + BODY * 2000).encode()
        while handle.tell() < HUGE_BYTES:
            handle.write(block)
    expected = {name: (status, note) for name, (_, status, note) in files.items()}
    expected["huge.txt"] = ("partial", "cut to")
    return expected


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    expected = corpus(folder)
    manifest = Manifest()
    articles = load_articles(folder, manifest=manifest)
    return folder, expected, manifest, articles


def test_every_input_file_is_in_the_manifest_exactly_once(loaded):
    folder, expected, manifest, articles = loaded
    on_disk = sorted(p.as_posix() for p in folder.iterdir() if p.is_file())
    assert [entry.file for entry in manifest] == on_disk
    assert len(on_disk) == len(expected)
    assert manifest.articles_read == len(articles)
    assert sorted(articles.article_id) == sorted(i for e in manifest for i in e.article_ids)


def test_each_file_gets_its_status_and_a_clear_reason(loaded):
    folder, expected, manifest, _ = loaded
    wrong = {}
    for name, (status, note) in expected.items():
        entry = manifest[(folder / name).as_posix()]
        said = entry.reason + " | " + " | ".join(entry.warnings)
        if entry.status != status or note not in said:
            wrong[name] = (entry.status, said)
        if status in ("error", "skipped", "partial"):
            assert entry.reason, name
    assert wrong == {}


def test_what_was_kept_is_right(loaded):
    folder, _, manifest, articles = loaded
    table = articles.set_index("article_id")
    assert tuple(articles.columns) == ARTICLE_COLUMNS and not articles.isna().any().any()
    assert table.loc["cp1252", "title"] == "Headline “quoted” – café"
    assert ARABIC.strip() in table.loc["cp1256", "text"]
    assert manifest[(folder / "cp1256.txt").as_posix()].encoding == "cp1256"
    assert table.loc["bom-then-cp1252", "title"] == "Mixed café headline here"
    assert table.loc["latin1", "title"] == "Garçon à la crème brûlée headline"
    assert table.loc["utf8-bom", "title"] == "Headline with a byte order mark"
    assert table.loc["utf16-bom", "title"] == "Headline in UTF-16 with BOM"
    assert "\r" not in table.loc["crlf", "text"] and "\x00" not in table.loc["nul-inside", "text"]
    assert ARABIC.strip() in table.loc["declared-cp1256", "text"]
    for hidden in ("SCRIPTTEXT", "STYLETEXT", "INLINESCRIPT", "__xss"):
        assert hidden not in table.loc["scripts", "text"]
    assert "Gunmen attacked" in table.loc["scripts", "text"]
    assert "Gunmen attacked" in table.loc["broken", "text"]
    assert sorted(i for i in table.index if i.startswith("r")) == ["r1", "r3", "r5"]
    assert table.loc["future", "published"] == "" and table.loc["future", "published_basis"] == "none"
    assert table.loc["far-future", "published"] == "2090-05-05"
    assert table.loc["old", "published"] == "1900-01-01"
    assert table.loc["undated", "published_basis"] == "none"
    assert table.loc["with-meta", "title"] == "Headline in the text itself"
    huge = table.loc["huge", "text"]
    assert len(huge.encode()) <= articles_module.DEFAULT_MAX_BYTES
    assert huge.startswith("Huge article headline line")
    assert manifest[(folder / "huge.txt").as_posix()].bytes >= HUGE_BYTES
    assert "duplicate-of-cp1252" not in table.index


def test_manifest_file_is_written_and_complete(loaded, tmp_path):
    folder, expected, manifest, _ = loaded
    data = json.loads(manifest.to_json(tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert data["summary"]["files"] == len(expected)
    assert sum(data["summary"][s] for s in ("ok", "partial", "error", "skipped")) == len(expected)
    assert "error" in manifest.summary() and manifest.any_errors


def test_nothing_readable_gives_an_empty_table_not_a_crash(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02" * 100)
    manifest = Manifest()
    articles = load_articles(tmp_path, manifest=manifest)
    assert articles.empty and tuple(articles.columns) == ARTICLE_COLUMNS
    assert manifest.articles_read == 0 and manifest.counts["error"] == 2


def test_max_bytes_cuts_at_a_character_boundary(tmp_path):
    (tmp_path / "a.txt").write_text("Заголовок статьи здесь\n\n" + "Мосул " * 1000, encoding="utf-8")
    manifest = Manifest()
    text = load_articles(tmp_path, manifest=manifest, max_bytes=1001).text.item()
    assert len(text.encode()) <= 1001 and "\ufffd" not in text and text.startswith("Заголовок")
    assert manifest.entries[0].status == "partial" and "max_bytes" in manifest.entries[0].reason


def test_record_text_over_max_bytes_is_cut_and_recorded(tmp_path):
    (tmp_path / "r.jsonl").write_text(json.dumps({"id": "big", "text": "word " * 1000}) + "\n" +
                                      json.dumps({"id": "small", "text": "word"}) + "\n", encoding="utf-8")
    manifest = Manifest()
    articles = load_articles(tmp_path, manifest=manifest, max_bytes=100).set_index("article_id")
    assert len(articles.loc["big", "text"]) <= 100 and articles.loc["small", "text"] == "word"
    assert "big: text cut" in manifest.entries[0].reason


def test_time_budget_stops_a_slow_file_and_the_rest_still_loads(tmp_path, monkeypatch):
    (tmp_path / "slow.html").write_text("<p>slow page text</p>")
    (tmp_path / "fine.txt").write_text("Fine headline for the article\n\n" + BODY)

    def stuck(html, url=None):
        while True:
            pass

    monkeypatch.setattr(articles_module, "extract_html", stuck)
    manifest = Manifest()
    started = time.perf_counter()
    articles = load_articles(tmp_path, manifest=manifest, time_budget_s=0.5)
    assert time.perf_counter() - started < 10
    assert list(articles.article_id) == ["fine"]
    slow = manifest[(tmp_path / "slow.html").as_posix()]
    assert slow.status == "error" and "time budget of 0.5 s exceeded" in slow.reason


def test_time_budget_interrupts_a_catastrophic_regex():
    import re

    started = time.perf_counter()
    with pytest.raises(TimeBudgetExceeded):
        with time_budget(0.3, "regex"):
            re.match(r"(a+)+$", "a" * 40 + "b")
    assert time.perf_counter() - started < 5


def test_time_budget_is_cooperative_off_the_main_thread():
    import threading

    outcome = []

    def work():
        with time_budget(0.2, "thread work") as deadline:
            try:
                while True:
                    deadline.check()
            except TimeBudgetExceeded as exc:
                outcome.append(str(exc))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(5)
    assert outcome and "thread work" in outcome[0]


def test_time_budget_leaves_an_outer_timer_alone():
    import signal

    with time_budget(30, "outer"):
        with time_budget(0.1, "inner") as inner:
            time.sleep(0.2)
            assert inner.expired
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 20
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_time_budget_applies_to_each_record_not_the_whole_file(tmp_path, monkeypatch):
    lines = [json.dumps({"id": "slow", "html": "<p>STUCK</p>"})] + [
        json.dumps({"id": f"r{n}", "text": f"Record {n}: {BODY}"}) for n in range(5)]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    real = articles_module.extract_html

    def stuck_on_marker(html, url=None):
        while "STUCK" in html:
            pass
        return real(html, url)

    monkeypatch.setattr(articles_module, "extract_html", stuck_on_marker)
    manifest = Manifest()
    articles = load_articles(tmp_path, manifest=manifest, time_budget_s=0.5)
    assert sorted(articles.article_id) == [f"r{n}" for n in range(5)]
    entry = manifest.entries[0]
    assert entry.status == "partial" and "record 1: time budget of 0.5 s exceeded" in entry.reason


def test_jsonl_is_streamed_and_lines_in_another_encoding_are_read(tmp_path):
    good = json.dumps({"id": "a", "text": "Café in Mosul " + BODY}, ensure_ascii=False).encode("utf-8")
    other = json.dumps({"id": "b", "text": "Crème brûlée in Basra " + BODY}, ensure_ascii=False).encode("cp1252")
    (tmp_path / "mixed.jsonl").write_bytes(good + b"\n" + other + b"\n")
    (tmp_path / "wide.jsonl").write_bytes((json.dumps({"id": "c", "text": "UTF-16 line " + BODY}) + "\n"
                                           + json.dumps({"id": "d", "text": "second"}) + "\n").encode("utf-16"))
    manifest = Manifest()
    table = load_articles(tmp_path, manifest=manifest).set_index("article_id")
    assert table.loc["b", "text"].startswith("Crème brûlée in Basra")
    assert table.loc["a", "text"].startswith("Café in Mosul")
    assert any("line 2: not utf-8, read as cp1252" in w for w in manifest.entries[0].warnings)
    assert sorted(table.index) == ["a", "b", "c", "d"]
