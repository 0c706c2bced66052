"""Screenshots of the project's views for the README, made offline with headless Chromium.

``python -m benchmarks.screenshots`` (``make screenshots``) writes ``docs/img/timeline.png`` from
``out/timeline.html`` (made by ``make demo``). :func:`screenshot` is reused by tests and benchmarks.

Example::

    >>> screenshot("out/timeline.html", "docs/img/timeline.png", (1280, 720))  # doctest: +SKIP
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SHOTS = (("out/timeline.html", "docs/img/timeline.png", (1400, 760), ".vis-item.ev.vis-range, .vis-item.ev"),)
"""(page, picture, viewport in CSS pixels, what to click first or None) made by :func:`main`,
relative to the project root."""


def chromium_path() -> str:
    """Debian's Chromium (``CHROMIUM`` overrides); a clear error when it is missing."""
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise SystemExit("screenshots need Debian's chromium (apt-get install chromium)")
    return path


def offline_page(browser, viewport: tuple[int, int] = (1280, 720)):
    """A page in a fresh context of ``browser`` with the network blocked: ``(page, requests, errors)``,
    the two lists filling with every http(s) request tried and every page error."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    requests: list[str] = []
    errors: list[str] = []

    def block(route):
        if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            requests.append(route.request.url)
            route.abort()

    context.route("**/*", block)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page, requests, errors


def screenshot(html_path, png_path, viewport: tuple[int, int] = (1280, 720), *, ready: str = "body[data-ready]",
               click: str | None = None, action: str | None = None, timeout_ms: int = 60_000) -> Path:
    """Open ``html_path`` with the network blocked, wait for ``ready`` (a CSS selector), click the
    first element matching ``click`` or run the JavaScript function ``action`` if given, and save a
    PNG of the viewport (CSS pixels) to ``png_path``. Raises RuntimeError if the page made a request
    or threw an error."""
    from playwright.sync_api import sync_playwright

    html_path, png_path = Path(html_path).resolve(), Path(png_path)
    if not html_path.is_file():
        raise FileNotFoundError(f"{html_path}: no such page (run `make demo` first)")
    png_path.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page, requests, errors = offline_page(browser, viewport)
            page.goto(html_path.as_uri())
            page.wait_for_selector(ready, state="attached", timeout=timeout_ms)
            page.wait_for_timeout(600)  # let the first redraws settle
            if click:
                page.locator(click).first.click()
                page.mouse.move(0, 0)
            if action:
                page.evaluate(action)
            if click or action:
                page.wait_for_timeout(500)
            page.screenshot(path=str(png_path))
        finally:
            browser.close()
    if requests or errors:
        raise RuntimeError(f"{html_path}: requests {requests}, page errors {errors}")
    return png_path


def main(argv: list[str] | None = None) -> int:
    for page, picture, viewport, click in SHOTS:
        print(f"screenshot: {screenshot(ROOT / page, ROOT / picture, viewport, click=click)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
