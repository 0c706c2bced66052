"""Front-end libraries from the npm registry, pinned by version and sha256.

`python -m timeline.vendor fetch` runs `npm pack NAME@VERSION` for every package in
`vendor.json`, checks the tarball's sha256, and extracts the listed files (licence included)
into the git-ignored folder ``timeline/_vendor/NAME/``. The views read them with
:func:`asset_path` / :func:`read_asset` and inline them, so saved pages need no network.

Example::

    >>> read_asset("leaflet", "dist/leaflet.js")[:20]  # doctest: +SKIP
    '/* @preserve\\n * Leaf'
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from functools import lru_cache
from pathlib import Path

PINS_FILE = Path(__file__).with_name("vendor.json")
VENDOR_DIR = Path(__file__).with_name("_vendor")
COMPLETE_STAMP = VENDOR_DIR / ".complete"
SETUP_HINT = "run `make setup` (or `python -m timeline.vendor fetch`) to fetch the pinned front-end libraries"


class MissingAssetError(FileNotFoundError):
    """A pinned front-end file is not in ``timeline/_vendor``."""


def pins() -> dict[str, dict]:
    """The pinned packages: ``{name: {version, sha256, license, files}}``."""
    return json.loads(PINS_FILE.read_text(encoding="utf-8"))["packages"]


def asset_path(package: str, file: str) -> Path:
    """Path of one pinned file, e.g. ``asset_path("leaflet", "dist/leaflet.css")``."""
    pinned = pins().get(package)
    if pinned is None or file not in pinned["files"]:
        raise MissingAssetError(f"{package}/{file} is not pinned in {PINS_FILE}")
    path = VENDOR_DIR / package / file
    if not path.is_file():
        raise MissingAssetError(f"front-end file {path} is missing: {SETUP_HINT}")
    return path


@lru_cache(maxsize=None)
def read_asset(package: str, file: str) -> str:
    """Text of one pinned file (scripts and style sheets)."""
    return asset_path(package, file).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def read_asset_bytes(package: str, file: str) -> bytes:
    """Bytes of one pinned file (fonts and images)."""
    return asset_path(package, file).read_bytes()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(dest: Path = VENDOR_DIR) -> None:
    """Download, verify and extract every pinned package into ``dest``."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed to fetch the front-end libraries (Debian package `npm`)")
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, pin in sorted(pins().items()):
            spec = f"{name}@{pin['version']}"
            out = subprocess.run([npm, "pack", spec, "--silent", "--pack-destination", tmp],
                                 check=True, capture_output=True, text=True).stdout.strip().splitlines()
            tarball = Path(tmp) / out[-1]
            got = _sha256(tarball)
            if got != pin["sha256"]:
                raise SystemExit(f"{spec}: sha256 {got} does not match the pin {pin['sha256']}")
            target = dest / name
            shutil.rmtree(target, ignore_errors=True)
            with tarfile.open(tarball) as archive:
                for file in pin["files"]:
                    member = archive.extractfile(f"package/{file}")
                    if member is None:
                        raise SystemExit(f"{spec}: {file} not found in the tarball")
                    path = target / file
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(member.read())
            (target / "PINNED.json").write_text(json.dumps({"name": name, **pin}, indent=2), encoding="utf-8")
            print(f"vendor: {spec} ({pin['license']}) -> {target}")
    (dest / ".complete").write_text(PINS_FILE.read_text(encoding="utf-8"), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args != ["fetch"]:
        print("usage: python -m timeline.vendor fetch", file=sys.stderr)
        return 2
    fetch()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
