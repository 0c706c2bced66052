"""Hostile strings as article text, title, outlet and url, pushed through the whole build
(`python -m timeline build DIR --out OUT`) into saved HTML, then opened in headless Chromium with
the network unplugged: no dialog opens, no injected script runs, no request is made."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT

HOSTILE = json.loads((ROOT / "tests" / "hostile_strings.json").read_text(encoding="utf-8"))
PAGES = ("timeline.html", "map.html", "index.html")
SHOWS_DETAILS = {"timeline.html": True, "map.html": False, "index.html": True}
"""Pages whose detail panels put event sentences into the page once items are clicked (the map
builds its popups lazily, one at a time)."""
PLACES = ("Mosul", "Baghdad", "Basra", "Kirkuk", "Erbil", "Fallujah")
# things a view may let the user open: timeline items, map markers and clusters, list rows
CLICKABLE = (".vis-item", ".leaflet-marker-icon", "path.leaflet-interactive", ".marker-cluster",
             "[data-event-id]", "li[data-id]", "tr[data-id]", "button")
INJECTED_ATTRIBUTES = """[...document.querySelectorAll('*')].flatMap(el => [...el.attributes]
  .filter(a => a.value.includes('__xss') && (a.name.startsWith('on') || ['srcdoc', 'style'].includes(a.name)
    || (['src', 'href', 'action', 'formaction', 'xlink:href'].includes(a.name) && !/^https?:[/][/]/i.test(a.value))))
  .map(a => el.tagName + ' ' + a.name + '=' + a.value))"""
"""Attributes that would run or load a payload (an http(s) link whose query carries one is inert)."""
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

NEEDED = ("timeline/cli.py", "timeline/view.py", "geo/frame.py", "geo/map.py", "geo/linked.py")
needs_views = pytest.mark.skipif(not all((ROOT / p).exists() for p in NEEDED),
                                 reason="needs the build command, geo.frame and the views: " + ", ".join(NEEDED))


def write_hostile_corpus(folder):
    """One article per hostile string: the string in the headline, the event sentence, and the
    sidecar's title, outlet and url (as it is, and inside an otherwise valid url)."""
    for index, value in enumerate(HOSTILE):
        place = PLACES[index % len(PLACES)]
        day = 1 + index % 28
        text = (f"{value} headline about {place}\n\n"
                f"On {day} March 2025, gunmen {value} attacked a police checkpoint in {place}, "
                f"killing five officers, officials said.\n\n"
                f"Protesters marched in {place} on {day} March 2025 against {value} the attack.\n")
        (folder / f"h{index:03d}.txt").write_text(text, encoding="utf-8")
        url = value if index % 2 else "https://example.org/news?q=" + value
        meta = {"title": value, "outlet": value, "url": url, "published": f"2025-03-{day:02d}T10:00"}
        (folder / f"h{index:03d}.meta.json").write_text(json.dumps(meta), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    source = tmp_path_factory.mktemp("hostile-corpus")
    write_hostile_corpus(source)
    out = tmp_path_factory.mktemp("hostile-out")
    result = subprocess.run([sys.executable, "-m", "timeline", "build", str(source), "--out", str(out),
                             "--quiet", "--no-cache", "--model", "rules", "--all-modalities"],
                            cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return source, out


@needs_views
@pytest.mark.slow
def test_the_hostile_strings_reach_the_outputs(hostile_build):
    """Guard against a vacuous pass: the payloads must actually be in the event table."""
    source, out = hostile_build
    events = pd.read_csv(out / "events.csv", dtype=str, keep_default_na=False)
    assert len(events) >= len(HOSTILE) // 2
    assert events["sentence"].str.contains("__xss", regex=False).sum() >= 10
    assert events["sources"].str.contains("__xss", regex=False).sum() >= 10
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["files"]) == len(list(source.iterdir()))  # every input once


@needs_views
@pytest.mark.slow
@pytest.mark.parametrize("page_name", PAGES)
def test_no_hostile_string_survives_unescaped_in_the_html(hostile_build, page_name):
    _, out = hostile_build
    html = (out / page_name).read_text(encoding="utf-8")
    survivors = [v for v in HOSTILE if "<" in v and CONTROL.sub("", v) in html]
    assert survivors == []
    assert not re.search(r"(?i)href\s*=\s*[\"']?\s*javascript:", html)


def open_everything(record, path) -> tuple[int, bool]:
    """Load ``path``, hover and click everything a reader could open; returns (elements opened,
    whether a payload was ever rendered as visible text)."""
    page = record.page
    page.goto(path.as_uri())
    page.wait_for_timeout(800)
    opened, shown = 0, False
    for frame in page.frames:  # the linked view holds the timeline in a same-origin frame
        for selector in CLICKABLE:
            for index in range(40):
                # query afresh each time: a click may redraw the view and detach older handles
                elements = frame.query_selector_all(selector)
                if index >= len(elements):
                    break
                element = elements[index]
                try:
                    element.hover(force=True, timeout=500)
                    element.click(force=True, timeout=500)
                    opened += 1
                except Exception:  # detached or hidden after an earlier click: nothing to open
                    continue
                page.wait_for_timeout(20)
                shown = shown or any("window.__xss" in f.evaluate("document.body ? document.body.innerText : ''")
                                     for f in page.frames)
    page.wait_for_timeout(500)
    return opened, shown


def assert_inert(record) -> None:
    assert record.dialogs == []
    assert record.requests == []
    assert record.errors == []
    for frame in record.page.frames:
        assert frame.evaluate("typeof window.__xss") == "undefined"
        assert frame.evaluate(INJECTED_ATTRIBUTES) == []


@pytest.mark.browser
def test_the_checks_catch_a_real_injection(tmp_path, offline_page):
    """The detector itself: a page that does NOT escape must fail every check."""
    payload = HOSTILE[3]  # <img src=x onerror="window.__xss=3;alert(3)">
    path = tmp_path / "vulnerable.html"
    path.write_text(f"<!doctype html><meta charset=utf-8><button onclick=\"this.after(document.createRange()"
                    f".createContextualFragment(this.dataset.p))\" data-p='{payload}'>open</button>"
                    f"<img src='http://evil.example/x.png'>", encoding="utf-8")
    record = offline_page()
    opened, _ = open_everything(record, path)
    assert opened == 1
    with pytest.raises(AssertionError):
        assert_inert(record)
    assert record.dialogs == ["3"] and record.requests == ["http://evil.example/x.png"]
    assert record.page.evaluate("window.__xss") == 3


@needs_views
@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("page_name", PAGES)
def test_nothing_runs_and_nothing_loads_in_chromium(hostile_build, offline_page, page_name):
    _, out = hostile_build
    record = offline_page()
    opened, shown = open_everything(record, out / page_name)
    assert_inert(record)
    assert opened > 0, f"nothing to open in {page_name}"
    if SHOWS_DETAILS[page_name]:
        assert shown, f"no payload was ever shown as text in {page_name}: the test would be vacuous"
