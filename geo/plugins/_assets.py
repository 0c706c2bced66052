"""Our own scripts and style sheets (``geo/templates``), added once per page to the figure header."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from branca.element import Element, Figure

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@lru_cache(maxsize=None)
def _read(name: str) -> str:
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    if re.search(r"</(script|style)|<!--", text, re.I):
        raise ValueError(f"{TEMPLATES / name} would close its inline element early")
    return text


def add_asset(figure: Figure, name: str, extra: str = "") -> None:
    """Add ``geo/templates/<name>`` (a ``.js`` or ``.css`` file) inline to the page header, once."""
    tag = "script" if name.endswith(".js") else "style"
    figure.header.add_child(Element(f"<{tag}>{extra}{_read(name)}</{tag}>"), name=f"event_atlas_{name}")
