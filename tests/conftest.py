"""Shared fixtures: paths, and a headless Chromium with the network unplugged."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "data" / "articles"
SHARED = ROOT.parent / "shared"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str | None:
    """Debian's Chromium binary, or None when it is not installed."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class OfflinePage:
    """A Playwright page whose network is blocked; what it tried is recorded."""

    page: object
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session. Skips without Chromium, except in CI, where it fails."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed (.ci/run installs Debian's chromium)")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def offline_page(browser):
    """Factory: ``offline_page()`` gives an :class:`OfflinePage`; every http(s)/ws request is
    aborted and counted, page errors, console errors and dialogs are recorded."""
    contexts = []

    def make(viewport=(1280, 800)) -> OfflinePage:
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        contexts.append(context)
        page = context.new_page()
        record = OfflinePage(page)

        def block(route):
            url = route.request.url
            if url.startswith(("file:", "data:", "blob:", "about:")):
                route.continue_()
            else:
                record.requests.append(url)
                route.abort()

        context.route("**/*", block)
        page.on("request", lambda r: None)
        page.on("pageerror", lambda exc: record.errors.append(str(exc)))
        page.on("console", lambda msg: record.console_errors.append(msg.text) if msg.type == "error" else None)

        def on_dialog(dialog):
            record.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        return record

    yield make
    for context in contexts:
        context.close()
