"""Offline pages: inline every script, style sheet, font and image a folium page references.

Folium writes ``<script src="https://cdn...">`` and ``<link href="https://cdn...">`` tags, so a
saved map is blank without network. :func:`inline_resources` replaces each with the file's content,
taken from the npm packages pinned in ``timeline/vendor.json`` (``timeline/_vendor``) or from the
files shipped inside the folium package; ``url()`` references inside style sheets become ``data:``
URIs. A reference it cannot serve raises :class:`OfflineError` naming it: nothing is left to
reach the network silently.

Example::

    >>> import folium
    >>> html = offline_html(folium.Map(tiles=None))      # doctest: +SKIP
    >>> "cdn.jsdelivr.net" in html                          # doctest: +SKIP
    False
"""

from __future__ import annotations

import base64
import mimetypes
import posixpath
import re
from functools import lru_cache
from html import escape
from pathlib import Path

import folium
from branca.element import Element, Figure

from timeline import vendor

FOLIUM_TEMPLATES = Path(folium.__file__).with_name("templates")

_NPM_URL = re.compile(
    r"^(?:https?:)?//(?:cdn\.jsdelivr\.net/npm/|unpkg\.com/)(?P<name>@[^/@]+/[^/@]+|[^/@]+)@(?P<version>[^/]+)/(?P<file>.+)$")
_CDNJS_URL = re.compile(r"^(?:https?:)?//cdnjs\.cloudflare\.com/ajax/libs/(?P<name>[^/]+)/(?P<version>[^/]+)/(?P<file>.+)$")
_JQUERY_URL = re.compile(r"^(?:https?:)?//code\.jquery\.com/jquery-(?P<version>[\d.]+)(?:\.min)?\.js$")
_FOLIUM_URL = re.compile(r"^(?:https?:)?//cdn\.jsdelivr\.net/gh/python-visualization/folium(?:@[^/]+)?/folium/templates/(?P<file>[^/]+)$")
_TAGS = re.compile(r"<script\b[^>]*?\bsrc\s*=\s*[\"'](?P<src>[^\"']+)[\"'][^>]*>\s*</script>|<link\b[^>]*>", re.I)
_HREF = re.compile(r"\bhref\s*=\s*[\"']([^\"']+)[\"']", re.I)
_REL = re.compile(r"\brel\s*=\s*[\"']?([^\"' >]+)", re.I)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")
_CSS_IMPORT = re.compile(r"@import\b", re.I)
_REMOTE = re.compile(r"^(?:https?:)?//", re.I)
_RESOURCE_ATTR = re.compile(r"<(?:img|iframe|source|video|audio|embed|input)\b[^>]*?\bsrc\s*=\s*[\"']((?:https?:)?//[^\"']+)", re.I)
_FONT_TYPES = {".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".svg": "image/svg+xml"}


class OfflineError(RuntimeError):
    """A page references a file that cannot be inlined from the pinned packages."""


@lru_cache(maxsize=1)
def _packages_by_key() -> dict[str, str]:
    """Pinned package names keyed by their lower-case name without punctuation (cdnjs spells
    ``Leaflet.awesome-markers`` where npm spells ``leaflet.awesome-markers``)."""
    return {re.sub(r"[^a-z0-9]", "", name.lower()): name for name in vendor.pins()}


def _pinned_file(package: str, wanted: str) -> str | None:
    """The pinned file of ``package`` that ``wanted`` (a CDN path) names, or None."""
    files = vendor.pins()[package]["files"]
    if wanted in files:
        return wanted
    base = posixpath.basename(wanted)
    for candidate in (base, base.replace(".min.", ".")):
        matches = [f for f in files if posixpath.basename(f) == candidate]
        if len(matches) == 1:
            return matches[0]
    return None


def resolve(url: str) -> tuple[str, str] | Path:
    """Where an external URL's content is stored: ``(package, file)`` in the pinned npm files or a
    folium package file. Versions may differ from the pin within the same major version (folium
    asks for leaflet 1.9.3, the pin is 1.9.4). Raises :class:`OfflineError` otherwise."""
    if match := _FOLIUM_URL.match(url):
        path = FOLIUM_TEMPLATES / match["file"]
        if path.is_file():
            return path
        raise OfflineError(f"cannot inline {url}: folium {folium.__version__} does not ship {match['file']}")
    if match := _JQUERY_URL.match(url):
        name, version, file = "jquery", match["version"], "dist/jquery.min.js"
    elif match := (_NPM_URL.match(url) or _CDNJS_URL.match(url)):
        name, version, file = match["name"], match["version"], match["file"]
    else:
        raise OfflineError(f"cannot inline {url}: not a known CDN address of a pinned npm package")
    package = _packages_by_key().get(re.sub(r"[^a-z0-9]", "", name.lower()))
    if package is None:
        raise OfflineError(f"cannot inline {url}: npm package {name!r} is not pinned in {vendor.PINS_FILE}")
    pinned = vendor.pins()[package]["version"]
    if version.split(".")[0] != pinned.split(".")[0]:
        raise OfflineError(f"cannot inline {url}: {package} {version} asked, {pinned} pinned (major versions differ)")
    pinned_file = _pinned_file(package, file)
    if pinned_file is None:
        raise OfflineError(f"cannot inline {url}: {file!r} is not among the pinned files of {package}")
    return package, pinned_file


def _read_text(where: tuple[str, str] | Path) -> str:
    return where.read_text(encoding="utf-8") if isinstance(where, Path) else vendor.read_asset(*where)


def _data_uri(where: tuple[str, str] | Path) -> str:
    name = where.name if isinstance(where, Path) else where[1]
    content = where.read_bytes() if isinstance(where, Path) else vendor.read_asset_bytes(*where)
    suffix = posixpath.splitext(name)[1].lower()
    mime = _FONT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def inline_css(css: str, where: tuple[str, str] | Path | None = None) -> str:
    """Style sheet with every ``url()`` turned into a ``data:`` URI, resolved relative to ``where``
    (the sheet's own pinned file). ``#fragment`` and ``data:`` URLs are kept."""
    if _CSS_IMPORT.search(css):
        raise OfflineError(f"cannot inline @import in the style sheet {where}")

    def replace(match: re.Match) -> str:
        ref = match[2].strip()
        if ref.startswith(("data:", "#")):
            return match[0]
        if _REMOTE.match(ref):
            return f"url({_data_uri(resolve(ref))})"
        if where is None:
            raise OfflineError(f"cannot inline url({ref}): relative reference in an inline style sheet")
        if isinstance(where, Path):
            target = (where.parent / ref.split("?")[0].split("#")[0]).resolve()
            if not target.is_file():
                raise OfflineError(f"cannot inline url({ref}) of {where}: no such file")
            return f"url({_data_uri(target)})"
        package, file = where
        target = posixpath.normpath(posixpath.join(posixpath.dirname(file), ref.split("?")[0].split("#")[0]))
        if target not in vendor.pins()[package]["files"]:
            raise OfflineError(f"cannot inline url({ref}) of {package}/{file}: {target} is not pinned")
        return f"url({_data_uri((package, target))})"

    return _CSS_URL.sub(replace, css)


def _script(content: str) -> str:
    return "<script>" + re.sub(r"</(script)", r"<\\/\1", content, flags=re.I) + "</script>"


def _style(content: str) -> str:
    return "<style>" + re.sub(r"</(style)", r"<\\/\1", content, flags=re.I) + "</style>"


def inline_resources(html: str) -> str:
    """The page with every external script and style sheet inlined (see the module docstring)."""
    if remote := _RESOURCE_ATTR.search(html):
        raise OfflineError(f"cannot inline the element source {remote[1]}")

    def replace(match: re.Match) -> str:
        if match["src"] is not None:
            return _script(_read_text(resolve(match["src"])))
        tag = match[0]
        href = _HREF.search(tag)
        if href is None:
            return tag
        rel = (_REL.search(tag) or [None, ""])[1].lower()
        if rel == "stylesheet":
            where = resolve(href[1])
            return _style(inline_css(_read_text(where), where))
        if _REMOTE.match(href[1]) and rel in {"icon", "preload", "prefetch", "modulepreload", "manifest", "import"}:
            raise OfflineError(f"cannot inline <link rel={rel}> to {href[1]}")
        return tag

    # one pass, so that inlined content is never scanned again
    return _TAGS.sub(replace, html)


def assign_ids(root: Element, prefix: str = "ea") -> None:
    """Replace folium's random element ids (``uuid4``) by ids counted in tree order, so the same
    map renders to the same bytes. Only the figure's element tree is numbered: what rendering adds
    to the page header is keyed by these names, so renumbering it would duplicate it."""
    count = 0
    stack = [root]
    while stack:
        element = stack.pop(0)
        element._id = f"{prefix}{count:04d}"
        count += 1
        stack[0:0] = list(element._children.values())


class OfflineFigure(Figure):
    """A branca Figure whose :meth:`render` returns a deterministic, self-contained page; used by
    ``save()`` and by the notebook view (``_repr_html_``)."""

    def render(self, **kwargs) -> str:
        assign_ids(self)
        return inline_resources(super().render(**kwargs))


def offline_html(element: Element) -> str:
    """The self-contained page of any folium element (its root figure, rendered and inlined)."""
    root = element.get_root()
    if not isinstance(root, Figure):
        figure = OfflineFigure()
        figure.add_child(element)
        try:
            return figure.render()
        finally:
            element._parent = None
    if isinstance(root, OfflineFigure):
        return root.render()
    assign_ids(root)
    return inline_resources(root.render())


def save_offline(element: Element, path: str | Path) -> Path:
    """Write :func:`offline_html` of ``element`` to ``path`` (UTF-8) and return the path."""
    path = Path(path)
    path.write_text(offline_html(element), encoding="utf-8")
    return path


def iframe_html(page: str, height: str = "600px") -> str:
    """A page wrapped for notebook output: an ``<iframe srcdoc>`` (escaped), so its scripts run."""
    return (f'<iframe srcdoc="{escape(page, quote=True)}" style="width:100%;height:{height};border:none" '
            'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"></iframe>')
