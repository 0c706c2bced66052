"""Map benchmark: 100,000 events load and become usable offline in headless Chromium, and the page
stays small; folium's plain Marker-per-event map is measured in the same run as the baseline.

``python -m benchmarks.bench_map [--events 100000] [--baseline 2000 5000] [--repeat 3]``

What is measured (median of ``--repeat`` loads, network blocked, 1280x800, Debian's Chromium):

- ``ready``: from navigation start to the first frame after the map is drawn with its handlers
  attached (our page: data decoded, clusters indexed and drawn; folium's: the ``load`` event).
- ``busy``: main-thread task time until then (Chromium's ``TaskDuration``): the CPU the page used,
  less sensitive than ``ready`` to other programs sharing the cores.
- ``zoom``: one zoom step after ready, until the redrawn frame (how usable the page is).
- HTML size, and bytes per event.

folium's plain markers (``folium.Marker`` with a Popup and a Tooltip per event, assets inlined
with :mod:`geo.offline` so both pages load offline) cannot reach 100,000 events in a sensible time,
so they are measured at the ``--baseline`` sizes and extrapolated linearly per event to 100,000:
the table says which figures are extrapolated.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from geo.map import event_map
from geo.offline import offline_html
from geo.shapes import admin1_regions
from timeline.taxonomy import EVENT_STYLE

from benchmarks.screenshots import CHROMIUM_ARGS, chromium_path, offline_page

RESULTS = Path(__file__).with_name("results") / "map.json"
ACTORS = ["Kataib Hezbollah", "Iraqi army", "police", "protesters", "the government", "militants", "residents",
          "Popular Mobilization Forces", "US forces", "Kurdish Peshmerga", "tribal fighters", "students"]
VERBS = ["attacked", "clashed with", "shelled", "detained", "met", "warned", "blocked", "evacuated", "negotiated with"]
OUTLETS = ["Reuters", "AP", "AFP", "Al Jazeera", "BBC", "Rudaw", "Shafaq News", "The National"]


def synthetic_events(n: int, seed: int = 7, places: int = 20_000) -> gpd.GeoDataFrame:
    """``n`` events at ``places`` distinct towns scattered around 3,000 real admin-1 label points
    (news geocodes to a gazetteer's town points, so places repeat; a few are very busy), 80%
    town-level, 8% near a town, 8% province, 4% country; every sentence different."""
    rng = np.random.default_rng(seed)
    regions = admin1_regions()
    anchors = regions.sample(3000, random_state=seed, replace=len(regions) < 3000).reset_index(drop=True)
    centre = anchors.geometry.representative_point()
    town_anchor = rng.integers(0, len(anchors), places)
    town_lat = np.clip(centre.y.to_numpy()[town_anchor] + rng.normal(0, 0.5, places), -80, 80).round(4)
    town_lon = np.clip(centre.x.to_numpy()[town_anchor] + rng.normal(0, 0.5, places), -179, 179).round(4)
    weights = 1.0 / np.arange(1, places + 1) ** 0.8  # Zipf-like: some towns are in the news every day
    town = rng.choice(places, n, p=weights / weights.sum())
    anchor = town_anchor[town]
    precision = rng.choice([1, 2, 3, 4], n, p=[0.80, 0.08, 0.08, 0.04])
    region_point = precision >= 3
    lat = np.where(region_point, centre.y.to_numpy()[anchor].round(4), town_lat[town])
    lon = np.where(region_point, centre.x.to_numpy()[anchor].round(4), town_lon[town])
    types = np.array(list(EVENT_STYLE)[:6], dtype=object)[rng.integers(0, 6, n)]
    start = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 730, n), unit="D")
    monthly = rng.random(n) < 0.2
    start_text = start.strftime("%Y-%m-%d")
    end_text = np.where(monthly, (start + pd.offsets.MonthEnd(0)).strftime("%Y-%m-%d"), start_text)
    actor1 = np.array(ACTORS, dtype=object)[rng.integers(0, len(ACTORS), n)]
    actor2 = np.array(ACTORS, dtype=object)[rng.integers(0, len(ACTORS), n)]
    verb = np.array(VERBS, dtype=object)[rng.integers(0, len(VERBS), n)]
    outlet = np.array(OUTLETS, dtype=object)[rng.integers(0, len(OUTLETS), n)]
    witnesses = rng.integers(2, 40, n)
    article = rng.integers(0, max(1, n // 3), n)
    names, isos = anchors.name.to_numpy(), anchors.iso_a2.to_numpy()
    levels = {1: "point", 2: "admin2", 3: "admin1", 4: "country"}
    rows = []
    for i in range(n):
        place = f"Town {town[i]}" if precision[i] <= 2 else names[anchor[i]]
        sentence = (f"{actor1[i].capitalize()} {verb[i]} {actor2[i]} near {place} on day {i % 97}, "
                    f"{outlet[i]} reported, citing {witnesses[i]} witnesses.")
        sources = [{"article_id": f"art-{article[i]}", "outlet": outlet[i], "published": start_text[i],
                    "sentence": sentence, "url": f"https://news.example.org/{article[i]}",
                    "title": f"Report {article[i]}"}]
        rows.append({
            "event_id": f"ev-{i:012x}", "event_type": types[i], "sub_event_type": "", "modality": "asserted",
            "date_start": start_text[i], "date_end": end_text[i], "date_precision": "month" if monthly[i] else "day",
            "date_text": "", "date_basis": "explicit", "place_text": place, "place_name": place,
            "geo_precision": int(precision[i]), "geo_level": levels[int(precision[i])],
            "admin1": names[anchor[i]], "country": isos[anchor[i]], "actor1": actor1[i], "actor2": actor2[i],
            "trigger": str(verb[i]).split()[0], "sentence": sentence, "article_id": f"art-{article[i]}",
            "sources": json.dumps(sources), "source_count": 1,
        })
    return gpd.GeoDataFrame(rows, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


def folium_markers_html(gdf: gpd.GeoDataFrame) -> str:
    """folium's documented way: one Marker with a Popup and a Tooltip per event (text escaped)."""
    m = folium.Map(location=[20, 0], zoom_start=2, tiles=None)
    # plain markers need only Leaflet: drop folium's other defaults so both pages carry the same library
    m.default_js = [js for js in m.default_js if js[0] == "leaflet"]
    m.default_css = [css for css in m.default_css if css[0] == "leaflet_css"]
    for row in gdf.itertuples():
        text = html.escape(f"{row.event_type} · {row.date_start} · {row.place_name}")
        folium.Marker([row.geometry.y, row.geometry.x], tooltip=text,
                      popup=folium.Popup(html.escape(row.sentence) + "<br>" + html.escape(row.sources), max_width=300),
                      ).add_to(m)
    return offline_html(m)


def measure(browser, path: Path, ours: bool) -> dict:
    page, requests, errors = offline_page(browser, (1280, 800))
    context = page.context
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.goto(path.as_uri(), timeout=600_000, wait_until="load")
    if ours:
        page.wait_for_function("window.eventAtlasReadyAt !== undefined", polling=100, timeout=600_000)
        ready = page.evaluate("window.eventAtlasReadyAt")
        name = "EventAtlas.views[0].map"
    else:
        ready = page.evaluate("new Promise(r => requestAnimationFrame(() => r(performance.now())))")
        name = "window[Object.keys(window).find(k => /^map_/.test(k))]"
        page.wait_for_function(f"{name} !== undefined", timeout=600_000)
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    zoom = page.evaluate(f"""() => new Promise(resolve => {{
        const map = {name}, t0 = performance.now();
        map.once('zoomend', () => requestAnimationFrame(() => resolve(performance.now() - t0)));
        map.setZoom(map.getZoom() + 1, {{animate: false}});
    }})""")
    context.close()
    return {"ready_ms": ready, "busy_ms": metrics["TaskDuration"] * 1000, "zoom_ms": zoom,
            "requests": len(requests), "errors": errors}


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, nargs="+", default=[2000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        gdf = synthetic_events(args.events)
        t0 = time.perf_counter()
        page = offline_html(event_map(gdf))
        build_s = time.perf_counter() - t0
        path = Path(tmp) / "ours.html"
        path.write_text(page, encoding="utf-8")
        runs = [measure(browser, path, ours=True) for _ in range(args.repeat)]
        size = path.stat().st_size
        rows.append({"page": "event_map (compressed columns + supercluster)", "events": args.events,
                     "html_mb": size / 1e6, "bytes_per_event": size / args.events, "build_s": build_s,
                     "ready_ms": median_of(runs, "ready_ms"), "busy_ms": median_of(runs, "busy_ms"), "zoom_ms": median_of(runs, "zoom_ms"),
                     "requests": max(r["requests"] for r in runs), "errors": sum(len(r["errors"]) for r in runs),
                     "extrapolated": False})
        # the floor: the same Leaflet, inlined, with no data at all
        path = Path(tmp) / "leaflet_empty.html"
        path.write_text(folium_markers_html(gdf.iloc[:0]), encoding="utf-8")
        runs = [measure(browser, path, ours=False) for _ in range(args.repeat)]
        rows.append({"page": "Leaflet page with no data (floor)", "events": 0, "html_mb": path.stat().st_size / 1e6,
                     "bytes_per_event": 0, "build_s": 0.0, "ready_ms": median_of(runs, "ready_ms"),
                     "busy_ms": median_of(runs, "busy_ms"), "zoom_ms": median_of(runs, "zoom_ms"),
                     "requests": max(r["requests"] for r in runs), "errors": sum(len(r["errors"]) for r in runs),
                     "extrapolated": False})
        for n in args.baseline:
            small = gdf.iloc[:n]
            t0 = time.perf_counter()
            page = folium_markers_html(small)
            build_s = time.perf_counter() - t0
            path = Path(tmp) / f"folium_{n}.html"
            path.write_text(page, encoding="utf-8")
            runs = [measure(browser, path, ours=False) for _ in range(args.repeat)]
            size = path.stat().st_size
            rows.append({"page": "folium.Marker per event", "events": n, "html_mb": size / 1e6,
                         "bytes_per_event": size / n, "build_s": build_s, "ready_ms": median_of(runs, "ready_ms"), "busy_ms": median_of(runs, "busy_ms"),
                         "zoom_ms": median_of(runs, "zoom_ms"), "requests": max(r["requests"] for r in runs),
                         "errors": sum(len(r["errors"]) for r in runs), "extrapolated": False})
        browser.close()
    # folium at the full size: its per-event cost at the largest size measured, times the events
    # (proportional, so its fixed cost is scaled too; the largest size keeps that share small)
    largest = max((r for r in rows if r["page"].startswith("folium")), key=lambda r: r["events"])
    scale = args.events / largest["events"]
    full = {key: largest[key] * scale for key in ("ready_ms", "busy_ms", "html_mb", "build_s")}
    rows.append({"page": "folium.Marker per event (extrapolated)", "events": args.events, "html_mb": full["html_mb"],
                 "bytes_per_event": full["html_mb"] * 1e6 / args.events, "build_s": full["build_s"],
                 "ready_ms": full["ready_ms"], "busy_ms": full["busy_ms"], "zoom_ms": None, "requests": None, "errors": None,
                 "extrapolated": True})
    ours, floor = rows[0], rows[1]
    ratios = {"ready": full["ready_ms"] / ours["ready_ms"], "busy": full["busy_ms"] / ours["busy_ms"],
              "html": full["html_mb"] / ours["html_mb"], "ours_over_empty_leaflet": ours["ready_ms"] / floor["ready_ms"]}
    print(f"| page | events | HTML MB | bytes/event | build s | ready ms | busy ms | zoom ms | requests |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['page']} | {r['events']:,} | {r['html_mb']:.2f} | {r['bytes_per_event']:.0f} | {r['build_s']:.1f} | "
              f"{r['ready_ms']:.0f} | {r['busy_ms']:.0f} | {'-' if r['zoom_ms'] is None else round(r['zoom_ms'])} | "
              f"{r['requests'] if r['requests'] is not None else '-'} |")
    print(f"\nfolium Marker-per-event / event_map at {args.events:,} events: ready x{ratios['ready']:.1f}, busy x{ratios['busy']:.1f}, "
          f"HTML x{ratios['html']:.1f} (folium extrapolated from {largest['events']:,} events); "
          f"event_map ready / empty Leaflet page ready: x{ratios['ours_over_empty_leaflet']:.1f}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} at the end of the run")
    RESULTS.write_text(json.dumps({"rows": rows, "ratios": ratios, "machine": platform.platform(),
                                   "cores": os.cpu_count(), "load_average": load, "repeat": args.repeat},
                                  indent=1, default=float) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
