"""The teaching notebooks: stripped in git, run top to bottom, render in JupyterLab and in exports.

01_quickstart is executed by the nbconvert export test (``jupyter nbconvert --to html --execute``
fails on any cell error) and again in JupyterLab; the others by nbclient.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT

NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
EXPECTED = ["01_quickstart", "02_dates", "03_places", "04_events_and_sources", "05_your_corpus", "06_evaluation"]
QUICKSTART = "01_quickstart.ipynb"
# Drawn views: vis-timeline items; the map's event markers and clusters (the base map has none).
TIMELINE_ITEMS = ".vis-timeline .vis-item"
MAP_EVENTS = ".leaflet-container .leaflet-marker-pane > *"
# nbconvert's own HTML template links require.js and MathJax on a CDN; offline they fail harmlessly
# (nothing in the notebook uses them). Any other request would come from the views.
NBCONVERT_TEMPLATE_CDN = ("https://cdnjs.cloudflare.com/ajax/libs/require.js/",
                          "https://cdnjs.cloudflare.com/ajax/libs/mathjax/")


def test_every_notebook_of_the_course_is_there():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: strip outputs"
    assert notebook.cells[0].cell_type == "markdown" and "learning goal" in notebook.cells[0].source.lower()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_uses_no_private_helpers(path):
    """Cells import only public names: no ``_private`` function pasted in or imported."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            for line in cell.source.splitlines():
                if line.lstrip().startswith(("from ", "import ")):
                    assert " _" not in line and "._" not in line, f"{path.name}: private import {line!r}"


def _copy_course(tmp_path: Path) -> Path:
    """The notebooks in a scratch folder with ``../data`` beside them, as in the repository."""
    work = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOK_DIR, work, ignore=shutil.ignore_patterns("out", ".ipynb_checkpoints", "*.html"))
    (tmp_path / "data").symlink_to(ROOT / "data", target_is_directory=True)
    return work


@pytest.mark.slow
@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name != QUICKSTART], ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path):
    notebook = _run(path, NOTEBOOK_DIR)  # raises CellExecutionError on any error
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []


@pytest.mark.slow
def test_evaluation_notebook_skips_cleanly_without_the_corpora(tmp_path):
    work = _copy_course(tmp_path)  # no ../../shared/eval next to the copy
    assert not (tmp_path.parent / "shared" / "eval").exists()
    notebook = _run(work / "06_evaluation.ipynb", work)
    printed = "".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs)
    assert "absent - the cells below skip" in printed and "skipped:" in printed
    assert not any(o.output_type in ("error", "display_data") for c in notebook.cells
                   if c.cell_type == "code" for o in c.outputs)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _map_markers(frame) -> int:
    """Event markers of a Leaflet map laid out at a visible size in ``frame`` (0 without one)."""
    container = frame.locator(".leaflet-container")
    if container.count() == 0:
        return 0
    box = container.first.bounding_box()
    return frame.locator(MAP_EVENTS).count() if box and box["width"] > 200 and box["height"] > 200 else 0


def _view_frames(page) -> list:
    """The page's child frames that hold a timeline or a map, in document order."""
    return [frame for frame in page.frames if frame.parent_frame is not None
            and (frame.locator(".vis-timeline").count() or frame.locator(".leaflet-container").count())]


def _drawn(page) -> tuple[int, int]:
    """(timeline items, map markers) drawn in the page's frames (the views are iframes)."""
    frames = _view_frames(page)
    return sum(frame.locator(TIMELINE_ITEMS).count() for frame in frames), sum(map(_map_markers, frames))


def _assert_views_rendered(page, shots: Path, timeout_ms: int = 60_000) -> None:
    """The timeline (vis-timeline items) and the map (Leaflet markers) are both drawn in some frame.

    Each view is scrolled into sight in turn, as a reader would: JupyterLab skips painting cells out of
    view, so a view below the fold is drawn only once it is on screen. A screenshot of each view's
    frame is saved in ``shots`` (to look at when it fails).
    """
    deadline = time.monotonic() + timeout_ms / 1000
    drawn, turn = (0, 0), 0
    while time.monotonic() < deadline:
        drawn = _drawn(page)
        if all(drawn):
            break
        frames = _view_frames(page)
        if frames:
            frames[turn % len(frames)].frame_element().scroll_into_view_if_needed()
            turn += 1
        page.wait_for_timeout(500)
    sizes = []
    for index, frame in enumerate(_view_frames(page)):
        element = frame.frame_element()
        element.scroll_into_view_if_needed()
        page.wait_for_timeout(1500)  # JupyterLab paints cells scrolled into view lazily
        element.screenshot(path=str(shots / f"view-{index}.png"))
        sizes.append(element.bounding_box())
    assert all(drawn), f"timeline items and map markers drawn: {drawn}; view frames: {sizes}"


def _run(path: Path, cwd: Path) -> nbformat.NotebookNode:
    """The notebook at ``path`` executed with ``cwd`` as its working folder; raises on a cell error."""
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    return notebook


@pytest.mark.slow
@pytest.mark.browser
def test_nbconvert_export_of_quickstart_shows_timeline_and_map_offline(tmp_path, offline_page):
    work = _copy_course(tmp_path)
    done = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--execute",
                           "--ExecutePreprocessor.timeout=300", str(work / QUICKSTART)],
                          capture_output=True, text=True, cwd=work)
    assert done.returncode == 0, done.stderr[-4000:]
    record = offline_page(viewport=(1400, 1000))
    record.page.goto((work / "01_quickstart.html").as_uri())
    _assert_views_rendered(record.page, tmp_path)
    record.page.screenshot(path=str(tmp_path / "export.png"), full_page=True)
    assert [url for url in record.requests if not url.startswith(NBCONVERT_TEMPLATE_CDN)] == []
    assert record.errors == []


@pytest.mark.slow
@pytest.mark.browser
def test_quickstart_runs_in_jupyterlab_and_renders_views_offline(tmp_path, offline_page):
    work = _copy_course(tmp_path)
    port, token = _free_port(), "event-atlas-test"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "ws")}
    log = open(tmp_path / "jupyterlab.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
         f"--port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
         "--LabApp.news_url=", "--LabServerApp.extension_manager=readonly",
         "--LabApp.expose_app_in_browser=True"],  # window.jupyterapp: run commands, read the model
        cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "jupyterlab.log").read_text()[-3000:]
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
        page.goto(f"{base}/lab/tree/{QUICKSTART}?token={token}")
        page.wait_for_selector(".jp-Notebook", timeout=120_000)
        page.wait_for_function(
            "() => { const kernel = window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel;"
            " return kernel?.status === 'idle'; }", timeout=180_000, polling=500)
        # The command's promise settles when every cell has run (or one failed).
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        cells = page.evaluate(
            "() => window.jupyterapp.shell.currentWidget.content.widgets"
            "  .filter(cell => cell.model.type === 'code')"
            "  .map(cell => ({count: cell.model.executionCount,"
            "                 errors: cell.model.outputs.toJSON().filter(o => o.output_type === 'error')"
            "                   .map(o => o.ename + ': ' + o.evalue)}))")
        assert [c["errors"] for c in cells if c["errors"]] == []
        assert all(c["count"] is not None for c in cells), cells
        _assert_views_rendered(page, tmp_path, timeout_ms=120_000)
        page.screenshot(path=str(tmp_path / "jupyterlab.png"))
        assert record.requests == [] and record.errors == []
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
