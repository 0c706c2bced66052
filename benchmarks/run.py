"""Run every benchmark, then assemble BENCHMARKS.md from the sections they wrote.

``python -m benchmarks.run`` (``make bench``) runs ``benchmarks/bench_*.py`` one after another;
``python -m benchmarks.run --assemble`` only rebuilds BENCHMARKS.md from ``benchmarks/sections``.
Benchmarks that need ``../shared/eval`` skip cleanly when it is absent.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ("pipeline", "dates", "geo", "events", "acled", "merging", "timeline_view", "map")
HEADER = """# Benchmarks

Measured on this project's machine (2 cores, 24 GiB). Speed figures are ratios against a baseline
measured in the same run wherever one exists, so they hold across machines better than seconds do.
Regenerate with `make bench` (each benchmark writes its section in `benchmarks/sections/` and its raw
figures in `benchmarks/results/`). Evaluation corpora come from `../shared/eval` and are not shipped.
"""


def assemble() -> Path:
    sections = sorted((HERE / "sections").glob("*.md"),
                      key=lambda p: (ORDER.index(p.stem) if p.stem in ORDER else len(ORDER), p.stem))
    text = HEADER + "".join("\n" + p.read_text(encoding="utf-8").strip() + "\n" for p in sections)
    target = HERE.parent / "BENCHMARKS.md"
    target.write_text(text, encoding="utf-8")
    return target


def main(argv: list[str]) -> int:
    if "--assemble" not in argv:
        for bench in sorted(HERE.glob("bench_*.py")):
            print(f"== {bench.stem}", flush=True)
            subprocess.run([sys.executable, "-m", f"benchmarks.{bench.stem}"], check=True)
    print(f"wrote {assemble()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
