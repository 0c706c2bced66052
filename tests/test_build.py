"""The main job end to end on the bundled seed articles: `python -m timeline build`."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT, SEED_DIR

OUTPUTS = ("events.csv", "events.geojson", "timeline.html", "map.html", "index.html", "manifest.json")


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = subprocess.run([sys.executable, "-m", "timeline", "build", str(SEED_DIR), "--out", str(out),
                             "--quiet", "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def seed_events(seed_build):
    return pd.read_csv(seed_build / "events.csv", dtype=str, keep_default_na=False)


def test_build_writes_every_output_and_accounts_for_every_input(seed_build):
    for name in OUTPUTS:
        assert (seed_build / name).stat().st_size > 0, name
    manifest = json.loads((seed_build / "manifest.json").read_text())
    files = [entry["file"] for entry in manifest["files"]]
    assert sorted(p.split("/")[-1] for p in files) == sorted(p.name for p in SEED_DIR.iterdir())
    assert manifest["model"]
    geojson = json.loads((seed_build / "events.geojson").read_text())
    assert geojson["metadata"]["model"] == manifest["model"]
    assert set(pd.read_csv(seed_build / "events.csv")["model"]) == {manifest["model"]}
    for page in ("timeline.html", "map.html"):
        assert f'<meta name="generator" content="event-atlas ' in (seed_build / page).read_text()
        assert f"; model {manifest['model']}" in (seed_build / page).read_text()


def _asserted(events: pd.DataFrame) -> pd.DataFrame:
    return events[events["modality"] == "asserted"]


@pytest.mark.parametrize("place", ["Mosul", "Anbar"])
def test_an_evacuation_or_withdrawal_is_placed_at(seed_events, place):
    moves = _asserted(seed_events)
    moves = moves[moves["sub_event_type"] == "Non-violent transfer of territory"]
    assert place in set(moves["place_name"]) | set(moves["place_text"])


def test_a_us_airstrike_is_placed_in_yemen(seed_events):
    strikes = _asserted(seed_events)
    strikes = strikes[strikes["sub_event_type"] == "Air/drone strike"]
    assert "YE" in set(strikes["country"])


def test_outlets_and_people_are_never_places(seed_events):
    named = set(seed_events["place_text"]) | set(seed_events["place_name"])
    assert not {"Fakti", "Sudani", "al-Sudani", "Reuters"} & named


def test_sources_list_every_report(seed_events):
    for _, row in seed_events.iterrows():
        sources = json.loads(row["sources"])
        assert len(sources) == int(row["source_count"]) >= 1
        assert int(row["independent_source_count"]) <= int(row["source_count"])


@pytest.mark.browser
@pytest.mark.parametrize("page_name", ["timeline.html", "map.html", "index.html"])
def test_outputs_open_offline_without_errors(seed_build, offline_page, page_name):
    record = offline_page()
    record.page.goto((seed_build / page_name).as_uri())
    record.page.wait_for_timeout(500)
    assert record.requests == []
    assert record.errors == []
    assert record.dialogs == []
