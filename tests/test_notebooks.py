"""The teaching notebooks: stripped in git, run top to bottom, render in JupyterLab and in exports."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT

NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
EXPECTED = ["01_quickstart", "02_dates", "03_places", "04_events_and_sources", "05_your_corpus", "06_evaluation"]


def test_every_notebook_of_the_course_is_there():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: strip outputs"
    assert notebook.cells[0].cell_type == "markdown" and "goal" in notebook.cells[0].source.lower()


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path, tmp_path):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    client.execute()  # raises CellExecutionError on any error
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
@pytest.mark.browser
def test_nbconvert_export_of_quickstart_shows_timeline_and_map_offline(tmp_path, offline_page):
    work = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOK_DIR, work)
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--execute",
                    "--ExecutePreprocessor.timeout=300", str(work / "01_quickstart.ipynb")],
                   check=True, capture_output=True, cwd=work)
    record = offline_page()
    record.page.goto((work / "01_quickstart.html").as_uri())
    _assert_views_rendered(record.page)
    assert record.requests == [] and record.errors == []


def _assert_views_rendered(page, timeout_ms: int = 60_000) -> None:
    """The timeline (vis-timeline items) and the map (Leaflet panes with layers) are drawn in some frame."""
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        frames = page.frames
        timeline = any(f.locator(".vis-item").count() > 0 for f in frames)
        leaflet = any(f.locator(".leaflet-container .leaflet-overlay-pane, .leaflet-marker-pane > *").count() > 0
                      for f in frames)
        if timeline and leaflet:
            return
        page.wait_for_timeout(500)
    raise AssertionError("timeline and map did not both render")


@pytest.mark.slow
@pytest.mark.browser
def test_quickstart_runs_in_jupyterlab_and_renders_views_offline(tmp_path, offline_page):
    work = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOK_DIR, work)
    port, token = _free_port(), "event-atlas-test"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
         f"--port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
         "--LabApp.news_url=", "--LabServerApp.extension_manager=readonly"],
        cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        record = offline_page(viewport=(1400, 1000))
        page = record.page
        page.context.unroute("**/*")
        local = ("file:", "data:", "blob:", "about:", base, f"ws://127.0.0.1:{port}")

        def block(route):
            if route.request.url.startswith(local):
                route.continue_()
            else:
                record.requests.append(route.request.url)
                route.abort()

        page.context.route("**/*", block)
        page.goto(f"{base}/lab/tree/01_quickstart.ipynb?token={token}")
        page.wait_for_selector(".jp-Notebook", timeout=120_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
        page.click("text=Run", timeout=30_000)
        page.click("text=Run All Cells", timeout=30_000)
        _assert_views_rendered(page, timeout_ms=240_000)
        page.screenshot(path=str(tmp_path / "jupyterlab.png"))
        assert record.requests == []
    finally:
        server.terminate()
        server.wait(timeout=30)
