"""Same inputs and options -> byte-identical outputs: the build runs twice and the files are compared;
a third run reads a copy of the corpus written in the opposite order with other file times. The
three builds run side by side, so that they also share no state and see the same code."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, SEED_DIR

COMPARED = ("events.csv", "events.geojson", "timeline.html", "map.html", "index.html", "manifest.json")
NEEDED = ("timeline/cli.py", "timeline/view.py", "geo/frame.py", "geo/map.py", "geo/linked.py")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not all((ROOT / p).exists() for p in NEEDED),
                       reason="needs the build command, geo.frame and the views: " + ", ".join(NEEDED)),
]

EXTRA = {
    "wire.jsonl": "\n".join(json.dumps(r) for r in [
        {"id": "wire-2", "title": "Blast hits market in Kirkuk", "published": "2025-03-04T08:00",
         "text": "A car bomb exploded in a crowded market in Kirkuk on Monday, killing three people, police said."},
        {"id": "wire-1", "title": "Protest in Basra", "published": "2025-03-02",
         "text": "Hundreds of people protested in Basra on Sunday against power cuts, witnesses said. "
                 "Police led by Colonel Mary Walker arrested Ali Hassan; Captain James Walker said Walker "
                 "and Hassan met later."},
    ]) + "\n",
    "table.csv": "title,text,date\nClashes near Tikrit,\"Militants clashed with security forces near Tikrit "
                 "on 1 March 2025, officials said.\",2025-03-01\n",
    "page.html": "<html><head><meta property='article:published_time' content='2025-03-05T12:30:00Z'>"
                 "<title>Airstrike in Anbar</title></head><body><article><h1>Airstrike in Anbar</h1>"
                 "<p>An airstrike hit a weapons depot in Anbar province on 5 March 2025, the army said.</p>"
                 "</article></body></html>",
}


def make_corpus(folder, reverse=False):
    """Seeds plus one file in each other format; ``reverse`` writes them in the opposite order
    with different modification times."""
    folder.mkdir(parents=True, exist_ok=True)
    items = [(p.name, p.read_bytes()) for p in sorted(SEED_DIR.iterdir())]
    items += [(name, text.encode("utf-8")) for name, text in EXTRA.items()]
    for offset, (name, content) in enumerate(reversed(items) if reverse else items):
        path = folder / name
        path.write_bytes(content)
        os.utime(path, (1_000_000_000 + offset * 977, 1_000_000_000 + offset * 977))
    return folder


def start_build(source, out, hash_seed: int) -> tuple[subprocess.Popen, object]:
    """A build in a subprocess with its own string-hash seed, so that no output may depend on the
    iteration order of a set or of a dict built from one."""
    command = [sys.executable, "-m", "timeline", "build", "corpus", "--out", str(out), "--quiet", "--no-cache"]
    log = (out.parent / f"{out.name}.log").open("w+")
    env = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}
    return subprocess.Popen(command, cwd=source.parent, stdout=log, stderr=subprocess.STDOUT, text=True,
                            env=env), log


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Three builds at the same time (same code, no shared cache, different hash seeds): two of one
    corpus folder, one of a reordered copy in another folder."""
    first_root, second_root = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    source, shuffled = make_corpus(first_root / "corpus"), make_corpus(second_root / "corpus", reverse=True)
    outs = [first_root / "out-a", first_root / "out-b", second_root / "out-a"]
    running = [start_build(src, out, seed) for seed, (src, out) in enumerate(zip((source, source, shuffled), outs))]
    for process, log in running:
        code = process.wait(timeout=1200)
        log.seek(0)
        assert code == 0, log.read()[-3000:]
        log.close()
    return tuple(outs)


@pytest.mark.parametrize("name", COMPARED)
def test_two_builds_give_identical_bytes(builds, name):
    one, two, _ = builds
    first, second = (one / name).read_bytes(), (two / name).read_bytes()
    assert first, f"{name} is empty"
    assert first == second, f"{name} differs between two identical runs"


@pytest.mark.parametrize("name", COMPARED)
def test_file_order_and_times_do_not_matter(builds, name):
    one, _, shuffled = builds
    assert (one / name).read_bytes() == (shuffled / name).read_bytes(), f"{name} depends on file order or times"


def test_no_clock_in_the_outputs(builds):
    """No timestamp of the run in any output (the clock's year-month-day must not appear unless an
    input carries it)."""
    import datetime

    today = datetime.date.today().isoformat()
    one, _, _ = builds
    inputs = "".join(EXTRA.values()) + "".join(p.read_text(encoding="utf-8") for p in SEED_DIR.iterdir())
    if today in inputs:
        pytest.skip("an input mentions today's date")
    for name in COMPARED:
        assert today not in (one / name).read_text(encoding="utf-8"), name
