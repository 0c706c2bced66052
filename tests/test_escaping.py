"""timeline.escaping: every hostile string stays inert text in every HTML context."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from timeline.escaping import html_attr, html_text, json_for_script, safe_url

HOSTILE = json.loads((Path(__file__).parent / "hostile_strings.json").read_text(encoding="utf-8"))
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def test_corpus_has_at_least_50_distinct_entries():
    assert len(set(HOSTILE)) >= 50


class Collect(HTMLParser):
    """Records start tags, attributes and text, as a browser's tokenizer would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self.attrs = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def parse(markup: str) -> Collect:
    parser = Collect()
    parser.feed(markup)
    parser.close()
    return parser


@pytest.mark.parametrize("value", HOSTILE)
def test_html_text_round_trips_as_text_only(value):
    escaped = html_text(value)
    assert not set("<>\"'") & set(escaped)
    parsed = parse(f"<p>{escaped}</p>")
    assert parsed.tags == ["p"]
    assert "".join(parsed.text) == CONTROL.sub("", value)


@pytest.mark.parametrize("value", HOSTILE)
def test_html_attr_stays_inside_its_attribute(value):
    for quote in ('"', "'"):
        parsed = parse(f"<span title={quote}{html_attr(value)}{quote}>x</span>")
        assert parsed.tags == ["span"]
        assert parsed.attrs == [("title", CONTROL.sub("", value))]


@pytest.mark.parametrize("value", HOSTILE)
def test_json_for_script_cannot_leave_the_script_element(value):
    payload = {"title": value, "items": [value, 1.5, None], value[:20]: True}
    encoded = json_for_script(payload)
    assert not re.search(r"[<>&\u2028\u2029]", encoded)
    assert json.loads(encoded) == payload
    parsed = parse(f"<script>const data = {encoded};</script><p>after</p>")
    assert parsed.tags == ["script", "p"]


def test_json_for_script_is_deterministic_and_plain():
    import numpy as np
    import pandas as pd

    a = json_for_script({"b": 1, "a": [float("nan"), np.int64(3), np.float32(0.5), pd.NaT, pd.Timestamp("2025-04-07")]})
    assert a == '{"a": [null, 3, 0.5, null, "2025-04-07T00:00:00"], "b": 1}'
    assert json_for_script({"a": 1, "b": 2}) == json_for_script({"b": 2, "a": 1})


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "java\nscript:alert(1)", "\x01javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)", "file:///etc/passwd", "//evil.example/x", "/relative/path", "relative",
    "http:evil.example", "https:/evil.example", "ftp://example.org/", "https://", "http://exa mple.org/",
    "https://example.org:99999/", "", None, float("nan"), "mailto:a@example.org",
])
def test_safe_url_rejects_everything_but_absolute_http(url):
    assert safe_url(url) is None


@pytest.mark.parametrize(("url", "expected"), [
    ("https://example.org/a", "https://example.org/a"),
    ("HTTP://Example.org/a?b=1&c=2#d", "HTTP://Example.org/a?b=1&c=2#d"),
    ("  https://example.org/\n  ", "https://example.org/"),
    ('https://example.org/"><script>', "https://example.org/%22%3E%3Cscript%3E"),
    ("https://example.org/a b'c", "https://example.org/a%20b%27c"),
    ("https://пример.рф/путь", "https://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C"),
])
def test_safe_url_keeps_http_urls_and_encodes_dangerous_characters(url, expected):
    assert safe_url(url) == expected


@pytest.mark.parametrize("value", [v for v in HOSTILE if ":" in v])
def test_safe_url_output_never_breaks_out(value):
    url = safe_url(value)
    assert url is None or (url.lower().startswith(("http://", "https://")) and not re.search(r"[\s\"'<>`\\]", url))


@pytest.mark.browser
def test_hostile_strings_are_inert_in_chromium(tmp_path, offline_page):
    """Every helper in its context, all hostile strings on one page: nothing runs, nothing loads,
    and the browser shows exactly the original strings."""
    rows = []
    for index, value in enumerate(HOSTILE):
        url = safe_url(value)
        href = f' href="{html_attr(url)}"' if url else ""
        rows.append(f'<li id="r{index}" title="{html_attr(value)}" data-v="{html_attr(value)}">'
                    f'<a{href}>{html_text(value)}</a></li>')
    page_html = ("<!doctype html><html><head><meta charset='utf-8'><title>hostile</title></head><body><ul>"
                 + "".join(rows) + "</ul><script>window.__data = " + json_for_script(HOSTILE)
                 + ";</script></body></html>")
    path = tmp_path / "hostile.html"
    path.write_text(page_html, encoding="utf-8")
    record = offline_page()
    page = record.page
    page.goto(path.as_uri())
    for index in range(len(HOSTILE)):
        page.hover(f"#r{index}", force=True, timeout=2000)
    page.wait_for_timeout(300)
    assert record.dialogs == []
    assert record.requests == []
    assert record.errors == []
    assert page.evaluate("typeof window.__xss") == "undefined"
    shown = page.evaluate("[...document.querySelectorAll('li')].map(li => [li.textContent, li.dataset.v])")
    assert page.evaluate("window.__data") == HOSTILE
    for value, (text, attribute) in zip(HOSTILE, shown):
        assert text == attribute == CONTROL.sub("", value)
