"""Font Awesome 6 (free, solid) glyphs for the event types, with the font inlined as a data: URI.

The map draws an event type's icon as one character in this font (no per-icon CSS, no network).

Example::

    >>> hex(ord(glyph("bomb")))
    '0xf1e2'
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache

from timeline.vendor import read_asset, read_asset_bytes

PACKAGE = "@fortawesome/fontawesome-free"
FONT_FAMILY = "EventAtlasIcons"


@lru_cache(maxsize=1)
def _glyphs() -> dict[str, str]:
    css = read_asset(PACKAGE, "css/all.min.css")
    table: dict[str, str] = {}
    for names, code in re.findall(r"((?:\.fa-[a-z0-9-]+:before,?)+)\{content:\"\\([0-9a-f]+)\"\}", css):
        for name in re.findall(r"\.fa-([a-z0-9-]+):before", names):
            table.setdefault(name, chr(int(code, 16)))
    return table


def glyph(icon: str) -> str:
    """The character of a Font Awesome solid icon name (``"bomb"``), or ``""`` if unknown."""
    return _glyphs().get(icon, "")


@lru_cache(maxsize=1)
def icon_font_css() -> str:
    """``@font-face`` for the solid icon font (woff2 inlined) and the ``.ea-icon`` class that uses it."""
    font = base64.b64encode(read_asset_bytes(PACKAGE, "webfonts/fa-solid-900.woff2")).decode("ascii")
    return (f'@font-face{{font-family:"{FONT_FAMILY}";font-style:normal;font-weight:900;font-display:block;'
            f'src:url(data:font/woff2;base64,{font}) format("woff2")}}'
            f'.ea-icon{{font-family:"{FONT_FAMILY}";font-weight:900;font-style:normal;line-height:1;'
            '-webkit-font-smoothing:antialiased}')
