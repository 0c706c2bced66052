"""The linked view: timeline and map in one offline page, each driving the other."""

from __future__ import annotations

import pytest

from geo.linked import linked_view, save_linked_view
from map_samples import HOSTILE, SHOWN, sample_events

DAY_MS = 86_400_000


def open_linked(offline_page, tmp_path):
    path = save_linked_view(sample_events(), tmp_path / "index.html", title="Linked <b>test</b>")
    record = offline_page(viewport=(1600, 900))
    record.page.goto(path.as_uri())
    record.page.wait_for_selector("body[data-linked=true]", state="attached", timeout=30000)
    return record


def test_linked_page_is_deterministic_and_self_contained():
    first, second = linked_view(sample_events()), linked_view(sample_events())
    assert first == second
    assert "<script src" not in first and 'id="ea-timeline"' in first
    assert HOSTILE not in first  # article text is in the JSON (escaped) or compressed, never as markup


@pytest.mark.browser
def test_timeline_window_filters_the_map(offline_page, tmp_path):
    record = open_linked(offline_page, tmp_path)
    page = record.page
    visible = "EventAtlas.views[0].visible.length"
    assert page.evaluate(visible) == SHOWN
    markers = "document.querySelectorAll('.ea-marker, .ea-cluster, .ea-badge').length"
    before = page.evaluate(markers)
    # choose 4-8 April 2025 on the timeline: only the province, country and Baghdad events are in it
    page.evaluate(f"""() => document.getElementById('ea-timeline').contentWindow.eventTimeline.timeline
        .setWindow({20182 * DAY_MS}, {20186 * DAY_MS}, {{animation: false}})""")
    page.wait_for_function(f"{visible} < {SHOWN}", timeout=5000)
    shown_ids = page.evaluate("EventAtlas.views[0].visible.map(i => EventAtlas.views[0].ev.id[i])")
    assert sorted(shown_ids) == ["ev-000000000001", "ev-000000000003", "ev-000000000004", "ev-000000000005"]
    assert page.evaluate(markers) != before
    # the map's own slider follows the timeline
    assert page.evaluate("document.querySelector('.ea-from').value") == "20182"
    assert record.requests == [] and record.errors == [] and record.dialogs == []


@pytest.mark.browser
def test_selection_goes_both_ways(offline_page, tmp_path):
    record = open_linked(offline_page, tmp_path)
    page = record.page
    frame = "document.getElementById('ea-timeline').contentWindow"
    # timeline -> map: select the Mosul event's item
    item = page.evaluate(f"{frame}.eventTimeline.eventIds.indexOf('ev-000000000002')")
    assert item >= 0
    page.evaluate(f"() => {{ const tl = {frame}.eventTimeline.timeline; tl.setSelection([{item}]); "
                  f"tl.emit('select', {{items: [{item}], event: null}}); }}")
    page.wait_for_selector(".leaflet-popup .ea-popup[data-event-id='ev-000000000002']")
    assert page.locator(".ea-highlight").count() == 1
    # map -> timeline: click the Mosul marker
    page.click(".ea-marker[data-event-id='ev-000000000002']")
    selected = page.evaluate(f"{frame}.eventTimeline.timeline.getSelection()")
    assert selected == [item]
    assert record.errors == [] and record.dialogs == [] and record.requests == []


@pytest.mark.browser
def test_timeline_filters_reach_the_map(offline_page, tmp_path):
    record = open_linked(offline_page, tmp_path)
    page = record.page
    frame = page.frame_locator("#ea-timeline")
    shown = "EventAtlas.views[0].visible.map(i => EventAtlas.views[0].ev.id[i]).sort()"
    assert len(page.evaluate(shown)) == SHOWN  # the intended event is held, not shown
    frame.locator("#search").fill("nineveh")
    page.wait_for_function(f"{shown}.length === 1", timeout=5000)
    assert page.evaluate(shown) == ["ev-000000000004"]
    frame.locator("#search").fill("")
    page.wait_for_function(f"{shown}.length === {SHOWN}", timeout=5000)
    # switching "intended" on in the timeline shows the intended Baghdad event on the map
    frame.locator("input[data-modality=intended]").check()
    page.wait_for_function(f"{shown}.length === {SHOWN + 1}", timeout=5000)
    assert "ev-000000000006" in page.evaluate(shown)
    assert record.errors == [] and record.dialogs == [] and record.requests == []
