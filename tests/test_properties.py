"""Property tests (hypothesis): arbitrary bytes and text never break the loaders or the escaping
helpers; only the documented errors are raised. (The date normaliser's properties live with
timeline.dates.)"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.articles import (
    STATUSES, Manifest, dateline_from_text, decode_bytes, find_publication_time, load_articles,
    normalize_published, outlet_from_text, split_front_matter, title_from_text,
)
from timeline.escaping import html_attr, html_text, json_for_script, safe_url
from timeline.schema import ARTICLE_COLUMNS

SCALE = float(os.environ.get("EVENT_ATLAS_FUZZ_SCALE", "1"))
"""Multiplies the number of examples: ``EVENT_ATLAS_FUZZ_SCALE=20 pytest tests/test_properties.py``."""
SETTINGS = settings(max_examples=int(150 * SCALE), deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=int(40 * SCALE), deadline=None, suppress_health_check=[HealthCheck.too_slow])
SUFFIXES = [".txt", ".html", ".json", ".jsonl", ".csv", ".tsv", ".md", ".meta.json", ".bin"]
ISO = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?")

text_like = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=400),
    st.lists(st.sampled_from(["Published:", "Apr", "7,", "2025", "09:34", "\n", "Read more on", "News",
                              "---", "title:", "<p>", "</p>", "<script>", "{", "}", '"text":', ",", "©"]),
             max_size=40).map(" ".join),
)
bytes_like = st.one_of(
    st.binary(max_size=3000),
    text_like.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.tuples(st.sampled_from(["cp1252", "cp1256", "latin-1", "utf-16", "utf-8-sig"]), st.text(max_size=300))
    .map(lambda p: p[1].encode(p[0], "replace")),
)


def check_table(articles, manifest, files):
    assert tuple(articles.columns) == ARTICLE_COLUMNS
    assert not articles.isna().any().any()
    assert len(manifest) == files
    assert manifest.articles_read == len(articles)
    assert list(articles.article_id) == sorted(articles.article_id)
    assert articles.article_id.is_unique
    for entry in manifest:
        assert entry.status in STATUSES
        if entry.status != "ok":
            assert entry.reason
    for value, basis in zip(articles.published, articles.published_basis):
        assert (value == "") == (basis == "none")
        assert value == "" or ISO.fullmatch(value)


@SLOW
@given(content=bytes_like, suffix=st.sampled_from(SUFFIXES))
def test_any_bytes_in_any_format_give_a_table_and_one_manifest_entry(content, suffix):
    folder = Path(tempfile.mkdtemp(prefix="prop-"))
    try:
        (folder / f"input{suffix}").write_bytes(content)
        manifest = Manifest()
        check_table(load_articles(folder, manifest=manifest), manifest, 1)
    finally:
        shutil.rmtree(folder)


@SLOW
@given(records=st.lists(st.one_of(
    st.dictionaries(st.sampled_from(["text", "title", "id", "date", "source", "url", "body", "x"]),
                    st.one_of(st.text(max_size=60), st.integers(), st.floats(), st.none(), st.booleans(),
                              st.lists(st.text(max_size=10), max_size=3),
                              st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2))),
    st.text(max_size=30), st.integers()), max_size=8),
    broken=st.lists(st.text(max_size=30), max_size=3))
def test_any_jsonl_and_csv_records(records, broken):
    folder = Path(tempfile.mkdtemp(prefix="prop-"))
    try:
        lines = [json.dumps(r) for r in records] + broken
        (folder / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
        (folder / "feed.json").write_text(json.dumps(records), encoding="utf-8")
        import csv
        import io
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["id", "title", "text"])
        for record in records:
            if isinstance(record, dict):
                writer.writerow([str(record.get(k, "")) for k in ("id", "title", "text")])
        (folder / "table.csv").write_text(buffer.getvalue() + "\n".join(broken), encoding="utf-8",
                                          errors="surrogatepass")
        manifest = Manifest()
        check_table(load_articles(folder, manifest=manifest), manifest, 3)
    finally:
        shutil.rmtree(folder)


@SETTINGS
@given(data=st.binary(max_size=5000))
def test_decode_bytes_never_raises_and_round_trips_utf8(data):
    text, encoding = decode_bytes(data)
    assert isinstance(text, str) and encoding
    try:
        original = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and "\x00" not in original:
        assert text == original.lstrip("\ufeff") or text == original


@SETTINGS
@given(text=text_like)
def test_text_detectors_never_raise_and_return_the_documented_shapes(text):
    published = dateline_from_text(text)
    assert published is None or ISO.fullmatch(published)
    found = find_publication_time(text)
    assert found is None or (ISO.fullmatch(found.value) and 0 <= found.start < found.end <= len(text))
    title, outlet = title_from_text(text), outlet_from_text(text)
    assert isinstance(title, str) and "\n" not in title and len(title) <= 200
    assert isinstance(outlet, str) and "\n" not in outlet and len(outlet) <= 60
    meta, body = split_front_matter(text)
    assert isinstance(meta, dict) and isinstance(body, str)


@SETTINGS
@given(value=st.one_of(text_like, st.integers(), st.floats(), st.none(), st.booleans(), st.dates(), st.datetimes(),
                       st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)))
def test_normalize_published_gives_iso_or_none(value):
    result = normalize_published(value)
    assert result is None or ISO.fullmatch(result)
    if result:
        date.fromisoformat(result[:10])


@SETTINGS
@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
       hour=st.integers(0, 23), minute=st.integers(0, 59),
       style=st.sampled_from(["{d:%b} {d.day}, {d.year} {h:02d}:{m:02d}", "{d.day} {d:%B} {d.year}",
                              "{d:%Y-%m-%d}T{h:02d}:{m:02d}:00Z", "{d:%A}, {d:%B} {d.day}, {d.year}",
                              "{d:%d.%m.%Y} {h:02d}:{m:02d}"]))
def test_printed_dates_round_trip(day, hour, minute, style):
    printed = style.format(d=day, h=hour, m=minute)
    expected = day.isoformat() + (f"T{hour:02d}:{minute:02d}" if "{h" in style else "")
    assert normalize_published(printed) == expected
    assert dateline_from_text(f"Some headline for the story\n{printed}\nBody text.") == expected


@SETTINGS
@given(value=st.one_of(st.text(), st.integers(), st.none(), st.floats()))
def test_escaping_helpers_output_has_no_markup(value):
    for escaped in (html_text(value), html_attr(value)):
        assert not set("<>\"'") & set(escaped)
    url = safe_url(value)
    assert url is None or (re.match(r"(?i)https?://", url) and not re.search(r"[\s\"'<>`\\]", url))


@SETTINGS
@given(value=st.recursive(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                                    st.none(), st.booleans()),
                          lambda children: st.one_of(st.lists(children, max_size=4),
                                                     st.dictionaries(st.text(max_size=8), children, max_size=4)),
                          max_leaves=20))
def test_json_for_script_round_trips_and_cannot_close_a_script(value):
    encoded = json_for_script(value)
    assert not re.search(r"[<>&\u2028\u2029]", encoded)
    assert json.loads(encoded) == value
