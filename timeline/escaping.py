"""Context-aware escaping for untrusted article strings that reach HTML: the one place for it.

Article text, titles, outlets, urls, actors and places come from the open web. Every view
(timeline, map popups and tooltips, legends, the linked view, TimelineJS JSON) passes them through
one of these helpers for the context they land in:

==============================  ===========================================================
element text ``<p>HERE</p>``    :func:`html_text`
quoted attribute ``title="…"``  :func:`html_attr` (always quote attributes with ``"``)
``href``/``src``                :func:`safe_url` (http/https only), then :func:`html_attr`
inside ``<script>``             :func:`json_for_script` (a JSON value, also a JS expression)
==============================  ===========================================================

Example::

    url = safe_url(row.url)
    link = f'<a href="{html_attr(url)}">{html_text(row.title)}</a>' if url else html_text(row.title)
    script = f"const items = {json_for_script(items)};"
"""

from __future__ import annotations

import html
import json
import math
import re
from typing import Any
from urllib.parse import quote, urlsplit

__all__ = ["html_text", "html_attr", "safe_url", "json_for_script"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_URL_STRIP = re.compile(r"[\t\n\r]")  # browsers delete these anywhere in a url
_URL_SAFE = "/:?#[]@!$&()*+,;=%~-._"  # kept as they are; everything else (quotes too) percent-encoded
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029]")


def _as_str(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value if isinstance(value, str) else str(value)


def html_text(value: Any) -> str:
    """``value`` as HTML element text: ``& < > " '`` escaped, control characters dropped.
    ``None`` and NaN give ``""``.

    >>> html_text('<script>alert("x")</script>')
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
    """
    return html.escape(_CONTROL.sub("", _as_str(value)), quote=True)


def html_attr(value: Any) -> str:
    """``value`` for a quoted HTML attribute (``title="…"``, ``data-x="…"``); the same escaping
    as :func:`html_text`, which also covers ``'``-quoted attributes. Never use it unquoted, and
    never for ``href``/``src``/``style``/``on*`` without :func:`safe_url` (urls) or not at all.

    >>> html_attr('" onmouseover="alert(1)')
    '&quot; onmouseover=&quot;alert(1)'
    """
    return html_text(value)


def safe_url(value: Any) -> str | None:
    """``value`` as an absolute http(s) url safe to put in ``href`` (after :func:`html_attr`), or
    None for anything else (``javascript:``, ``data:``, relative, protocol-relative, malformed).

    Tabs and newlines are removed first, as browsers do (so ``java\\tscript:`` is caught); spaces,
    quotes, ``<``, ``>``, backslashes and non-ASCII characters are percent-encoded.

    >>> safe_url("https://example.org/a b?q=<x>")
    'https://example.org/a%20b?q=%3Cx%3E'
    >>> safe_url("javascript:alert(1)") is None
    True
    """
    text = _URL_STRIP.sub("", _as_str(value)).strip(" \x00\x0b\x0c\x1f\x7f")
    if _CONTROL.search(text) or len(text) > 8192:
        return None
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    if scheme not in ("http", "https") or not text[len(scheme) + 1:].startswith("//"):
        return None
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a malformed port
        if not host.isascii():
            ascii_host = host.encode("idna").decode("ascii")
            text = text.replace(parts.netloc, parts.netloc.replace(parts.hostname, ascii_host), 1)
            host = ascii_host
    except (ValueError, UnicodeError):
        return None
    if not re.fullmatch(r"[a-z0-9.\-_]+|[0-9a-f:.]+", host) or not re.search(r"[a-z0-9]", host):
        return None
    return quote(text, safe=_URL_SAFE)


def _plain(value: Any) -> Any:
    """JSON-ready copy: NaN/inf -> None, numpy/pandas scalars -> Python values, tuples -> lists."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist") and not hasattr(value, "isoformat"):  # numpy arrays and scalars
        return _plain(value.tolist())
    try:
        if value != value:  # pandas NA and NaT
            return None
    except (TypeError, ValueError):
        return None  # pandas.NA: its comparisons are NA, whose truth value raises
    if hasattr(value, "isoformat"):  # datetime, date, pandas Timestamp
        return value.isoformat()
    return str(value)


def json_for_script(value: Any, *, indent: int | None = None) -> str:
    """``value`` as JSON that is safe inside ``<script>…</script>``: ``<``, ``>``, ``&``,
    U+2028 and U+2029 are written as ``\\uXXXX`` escapes, so no string can close the script
    element, open a comment or end a JS line. Keys are sorted (deterministic bytes); NaN and
    infinity become ``null``; numpy and pandas values become plain JSON.

    >>> json_for_script({"t": "</script><script>alert(1)</script>"})
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(_plain(value), ensure_ascii=False, sort_keys=True, allow_nan=False, indent=indent)
    return _SCRIPT_UNSAFE.sub(lambda m: _SCRIPT_ESCAPES[m.group(0)], text)
