"""Screenshots of the map and the linked view for the README, made offline with headless Chromium.

``python -m benchmarks.map_screenshots [OUT_DIR]`` writes ``docs/img/map.png`` (the map as it
opens), ``docs/img/map-detail.png`` (zoomed to the first town-level event, else province-level, its popup open) and
``docs/img/linked.png`` from ``OUT_DIR/map.html`` and ``OUT_DIR/index.html`` (default ``out``, made
by ``event-atlas build data/articles``; run that first).

Example::

    >>> main(["out"])   # doctest: +SKIP
"""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.screenshots import ROOT, screenshot

SHOW_REGION_EVENT = """() => {
  const view = EventAtlas.views[0], ev = view.ev;
  let i = ev.kind.findIndex(k => k <= 1);
  if (i < 0) i = ev.kind.findIndex(k => k === 2);
  if (i >= 0) view.highlight(ev.id[i]);
}"""
MAP_SHOTS = (
    ("map.html", "docs/img/map.png", (1280, 760), ".folium-map[data-ready]", None),
    ("map.html", "docs/img/map-detail.png", (1280, 760), ".folium-map[data-ready]", SHOW_REGION_EVENT),
    ("index.html", "docs/img/linked.png", (1600, 860), "body[data-linked]", None),
)
"""(page in OUT_DIR, picture, viewport in CSS pixels, ready selector, JS run before the picture)."""


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else ROOT / "out"
    for page, picture, viewport, ready, action in MAP_SHOTS:
        print(f"screenshot: {screenshot(out / page, ROOT / picture, viewport, ready=ready, action=action)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
