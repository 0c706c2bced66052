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

from benchmarks.screenshots import CHROMIUM_ARGS, ROOT, chromium_path

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


def capture(html_path: Path, png_path: Path, viewport: tuple[int, int], ready: str, action: str | None) -> Path:
    """Open ``html_path`` with the network blocked, wait for ``ready``, run ``action``, save a PNG.
    Raises RuntimeError if the page made a request or threw an error."""
    from playwright.sync_api import sync_playwright

    if not html_path.is_file():
        raise FileNotFoundError(f"{html_path}: no such page (run `event-atlas build data/articles` first)")
    png_path.parent.mkdir(parents=True, exist_ok=True)
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})

            def block(route):
                if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
                    route.continue_()
                else:
                    requests.append(route.request.url)
                    route.abort()

            context.route("**/*", block)
            page = context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(html_path.resolve().as_uri())
            page.wait_for_selector(ready, state="attached", timeout=60_000)
            if action:
                page.evaluate(action)
            page.wait_for_timeout(800)  # let the redraws settle
            page.screenshot(path=str(png_path))
        finally:
            browser.close()
    if requests or errors:
        raise RuntimeError(f"{html_path}: requests {requests}, page errors {errors}")
    return png_path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else ROOT / "out"
    for page, picture, viewport, ready, action in MAP_SHOTS:
        print(f"screenshot: {capture(out / page, ROOT / picture, viewport, ready, action)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
