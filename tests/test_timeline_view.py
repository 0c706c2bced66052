"""The timeline view: date labels, lanes, exports, escaping, and the page in headless Chromium."""

from __future__ import annotations

import base64
import csv
import gzip
import json
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from conftest import ROOT
from timeline import vendor
from timeline.taxonomy import EVENT_STYLE, UNKNOWN_STYLE
from timeline.view import Timeline, date_label, event_frame, format_date, lane_key, lane_of, lane_style

HOSTILE = '<img src=x onerror="window.__pwned=1;alert(1)"><script>window.__pwned=2;alert(2)</script>'
DATED_ITEMS = ".vis-item.vis-point, .vis-item.vis-range"
NBCONVERT_TEMPLATE_CDN = ("https://cdnjs.cloudflare.com/ajax/libs/require.js/", "https://cdnjs.cloudflare.com/ajax/libs/mathjax/")


def source(article_id, outlet, published, sentence, url="", title=""):
    return {"article_id": article_id, "outlet": outlet, "published": published, "sentence": sentence,
            "url": url, "title": title}


def event(event_id, event_type, sub_event_type, trigger, start, end, precision, *, modifier="", basis="explicit",
          text="", place="", actor1="", actor2="", sentence="", sources=(), modality="asserted"):
    return {
        "event_id": event_id, "event_type": event_type, "sub_event_type": sub_event_type, "plover": "",
        "modality": modality, "date_start": start, "date_end": end, "date_precision": precision,
        "date_modifier": modifier, "date_value": "", "date_text": text, "date_basis": basis,
        "place_text": place, "place_name": place, "latitude": "", "longitude": "", "geo_precision": "",
        "geo_level": "", "admin1": "", "country": "", "geonameid": "", "actor1": actor1, "actor2": actor2,
        "trigger": trigger, "sentence": sentence, "article_id": sources[0]["article_id"] if sources else "",
        "sources": json.dumps(list(sources)), "source_count": len(sources),
        "independent_source_count": len({s["outlet"] for s in sources}), "story_id": "",
    }


S_DRONE = "Militias have carried out dozens of drone and rocket attacks on U.S. forces since mid-January."
S_EVACUATE = "Fighters evacuated their bases in Mosul on Friday, two security sources said."
S_TALKS = "Talks between the prime minister and militia leaders were held in Baghdad in March."
S_DISARM = "The militias are ready to disarm for the first time, commanders told reporters."
S_REFUSE = "The group has refused to lay down its weapons, a spokesman said."
S_HOSTILE = "They clashed near the border. " + HOSTILE


def sample_events() -> list[dict]:
    """Seven hand-made events: every date shape, one intended, one undated, one hostile."""
    wire = "https://news.example.org/world/militias-ready-to-disarm"
    return [
        event("ev-000000000001", "Explosions/Remote violence", "Air/drone strike", "drone and rocket attacks",
              "2025-01-11", "2025-04-07", "month", modifier="MID", basis="relative_dct", text="since mid-January",
              actor1="Militias", actor2="U.S. forces", sentence=S_DRONE,
              sources=[source("a1", "Wire Service", "2025-04-07T09:34", S_DRONE, wire, "Militias ready to disarm"),
                       source("a2", "Daily Herald", "2025-04-07T12:00", S_DRONE + " Officials said.", "javascript:alert(3)",
                              "Militias may disarm")]),
        event("ev-000000000002", "Strategic developments", "Change to group/activity", "evacuated",
              "2025-04-04", "2025-04-04", "day", basis="relative_dct", text="on Friday", place="Mosul",
              actor1="Kataib Hezbollah", sentence=S_EVACUATE,
              sources=[source("a1", "Wire Service", "2025-04-07T09:34", S_EVACUATE, wire, "Militias ready to disarm")]),
        event("ev-000000000003", "Strategic developments", "Talks", "talks", "2025-03-01", "2025-03-31", "month",
              text="in March", place="Baghdad", actor1="Prime minister", actor2="militia leaders", sentence=S_TALKS,
              sources=[source("a3", "Evening Post", "2025-04-08", S_TALKS, "https://post.example.com/talks", "Talks")]),
        event("ev-000000000004", "Strategic developments", "Disarmament", "disarm", "2025-04-07", "2025-04-07", "day",
              basis="publication", actor1="The militias", sentence=S_DISARM, modality="intended",
              sources=[source("a1", "Wire Service", "2025-04-07T09:34", S_DISARM, wire, "Militias ready to disarm")]),
        event("ev-000000000005", "Strategic developments", "Rejection", "refused", "", "", "", basis="undated",
              actor1="The group", sentence=S_REFUSE,
              sources=[source("a4", "Morning Monitor", "", S_REFUSE)]),
        event("ev-000000000006", "Battles", "Armed clash", "clashed " + HOSTILE, "2024-01-01", "2024-12-31", "year",
              text="last year", place="Anbar" + HOSTILE, actor1="Actor" + HOSTILE, sentence=S_HOSTILE,
              sources=[source("a5", "Outlet" + HOSTILE, "2025-04-07", S_HOSTILE,
                              'https://evil.example.org/"><script>alert(4)</script>', "Title" + HOSTILE)]),
        event("ev-000000000007", "Protests", "Peaceful protest", "protested", "2025-02-03", "2025-02-09", "week",
              basis="relative_dct", text="last week", place="Basra", sentence="Hundreds protested in Basra last week.",
              sources=[source("a6", "Coastal Times", "2025-02-12", "Hundreds protested in Basra last week.")]),
    ]


def dated_asserted(events) -> int:
    return sum(1 for e in events if e["date_start"] and e["modality"] == "asserted")


def page_data(html: str) -> dict:
    """The data block of a saved page, decoded as the page's script decodes it."""
    block = re.search(r'<script type="application/octet-stream" id="timeline-data"[^>]*>([^<]*)</script>', html)
    return json.loads(gzip.decompress(base64.b64decode(block.group(1))))


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize("args, expected", [
    (("2025-01-11", "2025-04-07", "month", "MID", "relative_dct"),
     "mid-January 2025 – 7 Apr 2025, month precision, relative to publication"),
    (("2025-03-01", "2025-03-31", "month", "", "explicit"), "March 2025, month precision, as written"),
    (("2025-04-04", "2025-04-04", "day", "", "relative_dct"), "4 Apr 2025, day precision, relative to publication"),
    (("2024-01-01", "2024-12-31", "year", "", "explicit"), "2024, year precision, as written"),
    (("2025-01-01", "2025-03-31", "month", "", "explicit"), "January 2025 – March 2025, month precision, as written"),
    (("2025-02-03", "2025-02-09", "week", "", ""), "week of 3 Feb 2025, week precision"),
    (("2025-04-01", "2025-06-30", "quarter", "START", ""), "early Q2 2025, quarter precision"),
    (("2020-01-01", "2029-12-31", "decade", "", ""), "2020s, decade precision"),
    (("2024-12-01", "2025-02-28", "season", "", ""), "winter 2024/25, season precision"),
    (("2025-04-07", "2025-04-07", "day", "APPROX", "publication"),
     "about 7 Apr 2025, day precision, publication date, no date in the text"),
    (("2025-04-01", "2025-04-03", "day", "", "explicit"), "1 Apr 2025 – 3 Apr 2025, day precision, as written"),
    (("", "", "", "", "undated"), "undated"),
    (("", "2025-04-07", "", "", "relative_dct"), "undated, by 7 Apr 2025"),
    (("2025-03-01", "2025-03-31", "month", "", "inferred", "last month"),
     "March 2025, month precision, relative to an inferred publication date"),
    (("2025-04-01", "2025-04-07", "month", "", "inferred"),
     "April 2025, month precision, inferred publication date, no date in the text"),
])
def test_date_label_says_precision_modifier_and_basis(args, expected):
    assert date_label(*args) == expected


def test_format_date_at_each_precision():
    import datetime as dt
    day = dt.date(2025, 1, 11)
    assert [format_date(day, p) for p in ("day", "month", "year", "decade")] == [
        "11 Jan 2025", "January 2025", "2025", "2020s"]
    assert format_date(day, "month", "END") == "late January 2025"


# ---------------------------------------------------------------- the data


def test_day_dates_are_points_and_coarser_dates_are_ranges():
    data = Timeline(sample_events())._data
    by_id = {row[0]: row for row in data["events"]}
    assert by_id["ev-000000000002"][5] & 1 == 1  # a day: point
    assert by_id["ev-000000000003"][5] & 1 == 0  # a month: range
    assert by_id["ev-000000000001"][5] & 1 == 0  # since mid-January: range
    # 2025-03-01 .. 2025-03-31 inclusive -> days since 1970, end exclusive
    assert by_id["ev-000000000003"][3:5] == [20148, 20179]
    assert by_id["ev-000000000004"][5] & 2 == 2  # dated by its publication only
    assert by_id["ev-000000000005"][3] is None  # undated


def test_lanes_follow_the_shared_style_and_extensions_get_their_own_lane():
    events = sample_events() + [event("ev-00000000000a", "", "", "happened", "2025-01-01", "2025-01-01", "day",
                                      sentence="Something happened.")]
    lanes = Timeline(events)._data["lanes"]
    names = [name for name, _ in lanes]
    assert "Talks" in names and "Disarmament" in names  # extension kinds with their own style
    assert names[-1] == "Unknown type"
    order = list(EVENT_STYLE)
    assert [order.index(n) for n in names[:-1]] == sorted(order.index(n) for n in names[:-1])
    assert dict(lanes)["Battles"] == EVENT_STYLE["Battles"]["color"]
    assert dict(lanes)["Unknown type"] == UNKNOWN_STYLE["color"]
    assert lane_of("Strategic developments", "Other") == "Strategic developments"


def test_lane_key_and_style_are_the_shared_order_and_colours():
    lanes = ["Unknown type", "Talks", "Zebra", "Battles"]
    assert sorted(lanes, key=lane_key) == ["Battles", "Talks", "Zebra", "Unknown type"]
    assert lane_style("Battles")["color"] == EVENT_STYLE["Battles"]["color"]
    assert lane_style("Zebra") == UNKNOWN_STYLE and lane_style("Unknown type")["color"] == UNKNOWN_STYLE["color"]


def test_dates_read_back_as_datetimes_become_iso_text_and_missing_cells_empty():
    # GeoJSON / GeoPackage readers give dates back as datetime64 with NaT, numbers as NaN
    frame = pd.DataFrame(sample_events())
    frame["date_start"] = pd.to_datetime(frame["date_start"].replace("", None))
    frame["date_end"] = pd.to_datetime(frame["date_end"].replace("", None))
    frame["source_count"] = frame["source_count"].astype(float)
    frame.loc[0, "source_count"] = float("nan")
    cells = event_frame(frame).set_index("event_id")
    assert cells.loc["ev-000000000003", "date_start"] == "2025-03-01"
    assert cells.loc["ev-000000000005", "date_start"] == "" and cells.loc["ev-000000000005", "date_end"] == ""
    assert cells.loc["ev-000000000001", "source_count"] == ""
    # the same page as from the text table (a missing count falls back to the number of sources)
    assert page_data(Timeline(frame).to_html()) == page_data(Timeline(sample_events()).to_html())


def test_only_asserted_events_are_shown_at_first_unless_asked():
    assert Timeline(sample_events())._data["shown_modalities"] == ["asserted"]
    shown = Timeline(sample_events(), show_modalities=("asserted", "intended"))._data["shown_modalities"]
    assert shown == ["asserted", "intended"]


def test_same_events_in_another_order_give_byte_identical_html():
    events = sample_events()
    first = Timeline(events, title="T").to_html()
    assert Timeline(list(reversed(events)), title="T").to_html() == first
    assert Timeline(pd.DataFrame(events), title="T").to_html() == first


def test_page_data_round_trips_and_sources_are_shared():
    html = Timeline(sample_events()).to_html()
    data = page_data(html)
    assert len(data["events"]) == 7
    strings = data["strings"]
    wire = [a for a in data["articles"] if strings[a[1]] == "Wire Service"]
    assert len(wire) == 1  # one article row, referenced by three events
    assert strings[wire[0][2]] == "7 Apr 2025 09:34"
    unsafe = [a for a in data["articles"] if strings[a[0]] == "a2"][0]
    assert strings[unsafe[3]] == ""  # javascript: url dropped


@pytest.mark.parametrize("bad, message", [
    ({"date_start": "2025-13-45"}, "date_start '2025-13-45' is not an ISO date"),
    ({"date_start": "2025-04-07", "date_end": "2025-04-01"}, "date_end 2025-04-01 is before date_start"),
    ({"sources": "[{not json"}, "sources is not JSON"),
    ({"sources": '["a"]'}, "sources must be a JSON list of objects"),
])
def test_bad_rows_raise_errors_naming_the_event(bad, message):
    row = {**sample_events()[1], **bad}
    with pytest.raises(ValueError, match=re.escape(message)) as error:
        Timeline([row])
    assert "ev-000000000002" in str(error.value)


def test_a_table_without_event_ids_is_refused():
    with pytest.raises(ValueError, match="event_id"):
        Timeline([{"date_start": "2025-01-01"}])


def test_missing_front_end_files_name_the_setup_step(monkeypatch, tmp_path):
    monkeypatch.setattr(vendor, "VENDOR_DIR", tmp_path / "nothing-here")
    vendor.read_asset.cache_clear()
    try:
        with pytest.raises(vendor.MissingAssetError, match="timeline.vendor fetch"):
            Timeline(sample_events()).to_html()
    finally:
        vendor.read_asset.cache_clear()


# ---------------------------------------------------------------- the page as HTML


class _Iframes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.frames: list[dict] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "iframe":
            self.frames.append(dict(attrs))


def test_notebook_repr_is_one_iframe_holding_the_whole_page():
    view = Timeline(sample_events(), title="Militias " + HOSTILE)
    parser = _Iframes()
    parser.feed(view._repr_html_())
    assert parser.tags == ["iframe"]  # nothing outside the iframe, no script of its own
    frame = parser.frames[0]
    assert frame["srcdoc"] == view.to_html()
    assert "allow-scripts" in frame["sandbox"] and "allow-same-origin" not in frame["sandbox"]


def test_page_is_self_contained_and_escapes_the_title():
    html = Timeline(sample_events(), title="Militias " + HOSTILE).to_html()
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", html, re.IGNORECASE)
    assert "https://" not in html.split('id="timeline-data"')[0].split("<script>")[0]  # no remote style
    assert HOSTILE not in html and "&lt;img src=x" in html
    assert "vis-timeline and vis-graph2d" in html  # the library is inlined


def test_save_writes_the_page(tmp_path):
    path = Timeline(sample_events()).save(tmp_path / "sub" / "timeline.html")
    assert path.read_text(encoding="utf-8") == Timeline(sample_events()).to_html()


# ---------------------------------------------------------------- exports


def test_timelinejs_export_has_knight_lab_dates_and_escaped_text(tmp_path):
    view = Timeline(sample_events(), title="Militias")
    data = view.to_timelinejs()
    slides = {s["unique_id"]: s for s in data["events"]}
    assert len(slides) == 6  # the undated event has no slide
    assert slides["ev-000000000002"]["start_date"] == {"year": 2025, "month": 4, "day": 4}
    assert "end_date" not in slides["ev-000000000002"]
    assert slides["ev-000000000003"]["start_date"] == {"year": 2025, "month": 3}
    assert slides["ev-000000000003"]["end_date"] == {"year": 2025, "month": 3}
    assert slides["ev-000000000001"]["end_date"] == {"year": 2025, "month": 4, "day": 7}
    assert slides["ev-000000000006"]["start_date"] == {"year": 2024}
    assert slides["ev-000000000003"]["group"] == "Talks"
    assert slides["ev-000000000001"]["display_date"].startswith("mid-January 2025")
    text = json.dumps(data)
    assert "<img" not in text and "<script" not in text and "javascript:" not in text
    assert 'href=\\"https://news.example.org/world/militias-ready-to-disarm\\"' in text
    path = view.save_timelinejs(tmp_path / "tl.json")
    assert json.loads(path.read_text(encoding="utf-8")) == data


def test_csv_export_is_the_event_table_in_timeline_order_and_defuses_formulas(tmp_path):
    events = sample_events()
    events[1]["actor2"] = "=HYPERLINK(\"http://evil\")"
    path = Timeline(events).to_csv(tmp_path / "events.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["event_id"] for r in rows] == ["ev-000000000006", "ev-000000000001", "ev-000000000007",
                                             "ev-000000000003", "ev-000000000002", "ev-000000000004",
                                             "ev-000000000005"]
    assert list(rows[0])[:5] == ["event_id", "event_type", "sub_event_type", "plover", "modality"]
    assert [r["actor2"] for r in rows if r["event_id"] == "ev-000000000002"] == ["'=HYPERLINK(\"http://evil\")"]
    assert json.loads(rows[0]["sources"])[0]["outlet"] == "Outlet" + HOSTILE


# ---------------------------------------------------------------- in the browser


def _open(record, path):
    record.page.goto(path.as_uri())
    record.page.wait_for_selector("body[data-ready]", state="attached", timeout=30_000)
    return record.page


def _assert_clean(record):
    assert record.requests == [], record.requests
    assert record.errors == [] and record.console_errors == [], (record.errors, record.console_errors)
    assert record.dialogs == [], record.dialogs


@pytest.mark.browser
def test_saved_timeline_works_offline_and_shows_sources(tmp_path, offline_page):
    events = sample_events()
    path = Timeline(events, title="Militias " + HOSTILE).save(tmp_path / "timeline.html")
    record = offline_page()
    page = _open(record, path)
    assert page.locator(DATED_ITEMS).count() == dated_asserted(events) == 5
    assert page.title() == "Militias " + HOSTILE  # shown as text
    page.locator(".vis-item", has_text="Drone and rocket attacks").first.click()
    page.wait_for_selector("#detail .sources li")
    detail = page.locator("#detail")
    assert detail.locator(".sources li").count() == 2
    text = detail.inner_text()
    assert "Wire Service" in text and "7 Apr 2025 09:34" in text and "Daily Herald" in text
    assert "mid-January 2025 – 7 Apr 2025, month precision, relative to publication" in text
    assert detail.locator(".sources a").count() == 1  # the javascript: url is not a link
    assert detail.locator(".sources a").get_attribute("href") == "https://news.example.org/world/militias-ready-to-disarm"
    assert page.locator("#undated-list li").count() == 1
    _assert_clean(record)


@pytest.mark.browser
def test_hostile_article_text_stays_inert(tmp_path, offline_page):
    path = Timeline(sample_events(), title=HOSTILE).save(tmp_path / "timeline.html")
    record = offline_page()
    page = _open(record, path)
    page.locator(".vis-item", has_text="Clashed").first.hover()
    page.wait_for_selector("#tip:not([hidden])")
    page.locator(".vis-item", has_text="Clashed").first.click()
    page.wait_for_selector("#detail .sources li")
    assert HOSTILE in page.locator("#detail").inner_text()  # shown, as text
    page.fill("#search", "onerror")
    page.wait_for_timeout(400)
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('img, #detail script, .vis-item script').length") == 0
    _assert_clean(record)


@pytest.mark.browser
def test_filters_search_modality_switch_and_undated_list(tmp_path, offline_page):
    events = sample_events()
    path = Timeline(events).save(tmp_path / "timeline.html")
    record = offline_page()
    page = _open(record, path)

    def shown():
        page.wait_for_timeout(300)
        return page.locator(DATED_ITEMS).count()

    assert shown() == 5
    page.check("input[data-modality='intended']")
    assert shown() == 6
    page.uncheck("input[data-modality='intended']")
    page.fill("#search", "basra")
    assert shown() == 1
    page.fill("#search", "")
    page.fill("#place", "mosul")
    assert shown() == 1
    page.fill("#place", "")
    page.fill("#actor", "militia leaders")
    assert shown() == 1
    page.fill("#actor", "")
    page.select_option("#sources", "2")
    assert shown() == 1  # only the drone attacks have two reports
    page.select_option("#sources", "1")
    page.locator(".chip", has_text="Battles").click()
    assert shown() == 4
    page.click("#reset")
    page.click("#fit")
    assert shown() == 5
    page.locator("#undated-list button").click()
    assert "Morning Monitor" in page.locator("#detail").inner_text()
    assert "publication time unknown" in page.locator("#detail").inner_text()
    _assert_clean(record)


@pytest.mark.browser
def test_many_events_are_drawn_as_counts_that_zoom_in(tmp_path, offline_page):
    events = [event(f"ev-{k:012x}", "Protests", "Peaceful protest", "protested", f"2025-{1 + k % 12:02d}-{1 + k % 28:02d}",
                    f"2025-{1 + k % 12:02d}-{1 + k % 28:02d}", "day", place=f"Town {k % 40}", sentence=f"Protest {k}.",
                    sources=[source(f"a{k}", "Herald", "2025-12-31", f"Protest {k}.")]) for k in range(1_200)]
    path = Timeline(events).save(tmp_path / "timeline.html")
    record = offline_page()
    page = _open(record, path)
    assert page.evaluate("document.body.dataset.mode") == "counts"
    counts = page.evaluate("Array.from(document.querySelectorAll('.vis-item.strip .bin'), e => e.textContent)")
    assert sum(int(c.replace(",", "")) for c in counts) == 1_200
    assert page.locator(".vis-item.strip").count() == 1  # one strip per lane, not one item per count
    page.locator(".vis-item.strip .bin").first.click()
    page.wait_for_function("document.body.dataset.mode === 'events'", timeout=10_000)
    assert 0 < page.locator(DATED_ITEMS).count() <= 300
    _assert_clean(record)


@pytest.mark.slow
@pytest.mark.browser
def test_nbconvert_export_of_a_notebook_shows_the_timeline_offline(tmp_path, offline_page):
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    events = sample_events()
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Timeline of the sample events"),
        nbformat.v4.new_code_cell(
            "import json, sys\n"
            f"sys.path.insert(0, {str(ROOT)!r})\n"
            "from timeline.view import Timeline\n"
            f"events = json.loads({json.dumps(events)!r})\n"
            "Timeline(events, title='Militias')"),
    ]
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    html, _ = HTMLExporter().from_notebook_node(notebook)
    path = tmp_path / "notebook.html"
    path.write_text(html, encoding="utf-8")

    record = offline_page()
    from_view, from_template = [], []
    record.page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "blob:", "about:")) else
                   (from_view if r.frame.parent_frame else from_template).append(r.url))
    record.page.goto(path.as_uri())
    frame = None
    for _ in range(120):
        frame = next((f for f in record.page.frames if f.parent_frame and f.locator("body[data-ready]").count()), None)
        if frame:
            break
        record.page.wait_for_timeout(250)
    assert frame is not None, "the timeline did not render inside the exported notebook"
    assert frame.locator(DATED_ITEMS).count() == dated_asserted(events)
    frame.locator(".vis-item", has_text="Evacuated").first.click()
    frame.wait_for_selector("#detail .sources li")
    assert "Wire Service" in frame.locator("#detail").inner_text()
    assert frame.evaluate("window.__pwned") is None and record.page.evaluate("window.__pwned") is None
    assert from_view == []  # the timeline's frame asks for nothing
    # nbconvert's own lab template links require.js and MathJax from a CDN (blocked here): nothing else
    assert all(url.startswith(NBCONVERT_TEMPLATE_CDN) for url in from_template), from_template
    assert sorted(record.requests) == sorted(from_template)
    assert record.errors == [] and record.dialogs == []
