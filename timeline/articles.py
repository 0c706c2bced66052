"""Load news articles from files into the article table, and account for every input file.

``load_articles(source)`` reads a folder, a file, a glob or a list of paths and returns one row per
article with :data:`timeline.schema.ARTICLE_COLUMNS`, sorted by ``article_id``. Formats:

=================  =======================================================================
``.txt .text .md``  one article; optional front matter (a ``---`` block of ``key: value``)
``.html .htm``      one article; main text and metadata extracted with trafilatura/htmldate
``.json``           one article (an object) or many (a list, or ``{"articles": [...]}``)
``.jsonl .ndjson``  one article a line; a broken line is recorded and skipped
``.csv .tsv``       one article a row; needs a text column (``text``, ``content``, ``body``...)
``NAME.meta.json``  sidecar metadata (title, outlet, url, published) for ``NAME.*``
=================  =======================================================================

Metadata is never invented: ``published`` comes from the user (``published=``), metadata
(sidecar, front matter, record fields), HTML meta tags, or a dateline printed near the top of the
text ("Apr 7, 2025 09:34", "Published: 7 April 2025"); otherwise it is empty and
``published_basis`` is ``none``. ``url`` is kept only when it is an absolute http(s) url
(percent-encoded by :func:`timeline.escaping.safe_url`). Missing strings are ``""`` (never NaN).

Every input file is recorded exactly once in a :class:`Manifest` with a status (``ok``,
``partial``, ``error``, ``skipped``), a reason and what was kept. Hostile input never takes the
batch down: binary and empty files, unknown encodings, broken JSON lines, CSVs without a text
column, duplicates, huge files (cut at ``max_bytes``) and slow articles (``time_budget_s``) each
become a manifest entry. JSONL and CSV files are streamed: ``iter_articles(source, batch_size=1000)``
yields the same rows in article tables of ``batch_size`` rows for corpora bigger than memory. Example::

    manifest = Manifest()
    articles = load_articles("data/articles", manifest=manifest)
    print(manifest.summary())
    manifest.to_json("out/manifest.json")
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import glob
import hashlib
import io
import json
import math
import re
import signal
import sys
import threading
import time
import unicodedata
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from email.utils import parsedate_tz
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import pandas as pd

from timeline.escaping import safe_url
from timeline.schema import ARTICLE_COLUMNS

DEFAULT_MAX_BYTES = 1_000_000
"""Largest article text kept, in UTF-8 bytes (1 MB, ~160,000 words; spaCy's ``max_length`` is
1,000,000 characters). Longer texts are cut at a character boundary and marked ``partial``."""

STREAM_HEAD = 1 << 20
"""Bytes of a JSONL/CSV file read up front (encoding, binary check); the rest is streamed."""

HTML_MARKUP_FACTOR = 10
"""An HTML file may be this many times ``max_bytes`` before it is cut (markup is not text)."""

DEFAULT_TIME_BUDGET = 10.0
"""Seconds one article may take to load (a .txt/.html file, or one record of a JSON/JSONL/CSV file)."""

EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2100, 12, 31)
"""Publication times outside this range are dropped (with a manifest warning)."""

PLAUSIBLE_FROM, PLAUSIBLE_TO = date(1990, 1, 1), date(2035, 12, 31)
"""Publication times outside this range are kept but flagged. Fixed constants, not the clock, so
the same input always gives the same manifest."""

STATUSES = ("ok", "partial", "error", "skipped")
TEXT_SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "txt", ".html": "html", ".htm": "html",
                 ".xhtml": "html", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
                 ".csv": "csv", ".tsv": "tsv"}
SIDECAR_SUFFIX = ".meta.json"

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "article", "article_text", "full_text", "fulltext",
             "maintext", "story", "raw_text"),
    "html": ("html", "raw_html", "page_html"),
    "title": ("title", "headline", "heading"),
    "outlet": ("outlet", "source", "publisher", "site_name", "sitename", "source_name", "media",
               "newspaper", "source_domain", "domain"),
    "url": ("url", "link", "canonical_url", "source_url", "href", "uri"),
    "published": ("published", "published_at", "publishedat", "publication_date", "pub_date",
                  "pubdate", "date_publish", "date_published", "datepublished", "date",
                  "datetime", "timestamp", "created_at", "time"),
    "id": ("article_id", "id", "doc_id", "docid", "uuid", "guid"),
}
"""Field names (compared case-insensitively, ``-``/space as ``_``) read from metadata and records."""


class ArticleLoadError(ValueError):
    """An input could not be read. ``str(error)`` names the file and the problem."""

    def __init__(self, file: str, reason: str):
        super().__init__(f"{file}: {reason}")
        self.file, self.reason = file, reason


class TimeBudgetExceeded(BaseException):
    """Raised inside :func:`time_budget` when the time is up.

    A ``BaseException`` (like ``KeyboardInterrupt``) so that libraries' ``except Exception``
    blocks cannot swallow it; catch it by name."""


# --------------------------------------------------------------------------------------------
# Time budget


class Deadline:
    """A point in time ``seconds`` from now (monotonic clock); ``None`` means no limit."""

    def __init__(self, seconds: float | None, what: str = "work"):
        self.seconds, self.what = seconds, what
        self._end = None if not seconds or seconds <= 0 else time.monotonic() + seconds

    @property
    def expired(self) -> bool:
        return self._end is not None and time.monotonic() >= self._end

    def check(self) -> None:
        """Raise :class:`TimeBudgetExceeded` once the deadline has passed (cooperative check)."""
        if self.expired:
            raise TimeBudgetExceeded(f"time budget of {self.seconds:g} s exceeded during {self.what}")


@contextlib.contextmanager
def time_budget(seconds: float | None, what: str = "work") -> Iterator[Deadline]:
    """Limit a block to ``seconds`` of wall time; yields a :class:`Deadline`.

    In the main thread of a Unix process the block is interrupted by ``SIGALRM`` (also inside
    library code such as regexes and parsers). In other threads (dask workers) or when a timer
    is already running, the limit is cooperative: call ``deadline.check()`` between steps.
    ``None`` or ``0`` means no limit. Example::

        try:
            with time_budget(10, "article 002") as deadline:
                for doc in nlp.pipe(texts):
                    deadline.check()
        except TimeBudgetExceeded as exc:
            manifest.warn(path, str(exc))
    """
    deadline = Deadline(seconds, what)
    use_alarm = (deadline._end is not None and hasattr(signal, "setitimer")
                 and threading.current_thread() is threading.main_thread())
    if use_alarm and signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        use_alarm = False  # an outer timer is running: do not disturb it
    if not use_alarm:
        yield deadline
        return

    def on_alarm(signum, frame):
        raise TimeBudgetExceeded(f"time budget of {seconds:g} s exceeded during {what}")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield deadline
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------------------------
# Manifest


_PRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Characters escaped in terminal output (a file name must not move the cursor or reorder text)."""


@dataclass
class FileEntry:
    """What happened to one input file."""

    file: str
    status: str = "ok"
    reason: str = ""
    format: str = ""
    bytes: int = 0
    sha256: str = ""
    encoding: str = ""
    records: int = 0  # articles or records read (1 for a one-article file)
    articles: int = 0  # articles kept
    article_ids: list[str] = field(default_factory=list)
    duplicate_of: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "status": self.status, "reason": self.reason,
                "format": self.format, "bytes": self.bytes, "sha256": self.sha256,
                "encoding": self.encoding, "records": self.records, "articles": self.articles,
                "article_ids": list(self.article_ids), "duplicate_of": self.duplicate_of,
                "warnings": list(self.warnings)}


class Manifest:
    """Every input file exactly once, with its status, reason and what was kept.

    ``manifest.any_errors``, ``manifest.articles_read`` and ``manifest.summary()`` are what a
    command line needs to choose its exit code and print a summary; ``to_json(path)`` writes the
    record (sorted by file, no timestamps, so identical inputs give identical bytes)."""

    def __init__(self) -> None:
        self._entries: dict[str, FileEntry] = {}

    def add(self, file: str, **fields: Any) -> FileEntry:
        """Record ``file`` (once: a second ``add`` of the same file updates the first entry)."""
        entry = self._entries.get(file)
        if entry is None:
            entry = self._entries[file] = FileEntry(file)
        for key, value in fields.items():
            setattr(entry, key, value)
        if entry.status not in STATUSES:
            raise ValueError(f"unknown manifest status {entry.status!r}")
        return entry

    def restart(self, file: str) -> FileEntry:
        """A fresh entry for ``file`` (reading it again replaces what an earlier read recorded)."""
        entry = self._entries[file] = FileEntry(file)
        return entry

    def warn(self, file: str, message: str) -> None:
        """Attach a warning to ``file`` (recorded even when the file had no entry yet)."""
        entry = self.add(file)
        if message not in entry.warnings:
            entry.warnings.append(message)

    def __getitem__(self, file: str) -> FileEntry:
        return self._entries[file]

    def __contains__(self, file: object) -> bool:
        return file in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[FileEntry]:
        return iter(self.entries)

    @property
    def entries(self) -> list[FileEntry]:
        return [self._entries[name] for name in sorted(self._entries)]

    @property
    def counts(self) -> dict[str, int]:
        """Number of files per status, e.g. ``{"ok": 5, "partial": 0, "error": 1, "skipped": 0}``."""
        counts = dict.fromkeys(STATUSES, 0)
        for entry in self._entries.values():
            counts[entry.status] += 1
        return counts

    @property
    def any_errors(self) -> bool:
        """True when any file has status ``error`` (``--strict`` turns this into exit code 1)."""
        return any(entry.status == "error" for entry in self._entries.values())

    @property
    def articles_read(self) -> int:
        """Number of articles kept over all files (0 means nothing could be read)."""
        return sum(entry.articles for entry in self._entries.values())

    @property
    def errors(self) -> list[str]:
        """``"file: reason"`` for every file with status ``error``."""
        return [f"{e.file}: {e.reason}" for e in self.entries if e.status == "error"]

    def to_dict(self, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """``{**extra, "summary": {...}, "files": [...]}``; ``extra`` holds run facts such as the
        generator and model (never a timestamp, so that identical runs give identical files)."""
        return {**(extra or {}), "summary": {"files": len(self), "articles": self.articles_read, **self.counts},
                "files": [entry.to_dict() for entry in self.entries]}

    def to_json(self, path: str | Path, extra: Mapping[str, Any] | None = None) -> Path:
        """Write the manifest as JSON (UTF-8, sorted by file, ``extra`` keys first); returns the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.to_dict(extra), ensure_ascii=False, indent=2, default=str)
        path.write_text(text + "\n", encoding="utf-8")
        return path

    def summary(self) -> str:
        """A few lines for the terminal: totals, then each file that was not simply ``ok``."""
        counts = self.counts
        lines = [f"{self.articles_read} articles from {len(self)} files: "
                 + ", ".join(f"{counts[s]} {s}" for s in STATUSES)]
        for entry in self.entries:
            if entry.status != "ok":
                lines.append(_PRINTABLE.sub(lambda m: repr(m.group(0))[1:-1],
                                            f"  {entry.status:8} {entry.file}: {entry.reason}"))
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Bytes -> text

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_SINGLE_BYTE_CANDIDATES = ("cp1252", "cp1256", "cp1251", "iso8859_7", "latin_1")
_MAGIC = ((b"%PDF", "PDF"), (b"PK\x03\x04", "ZIP/Office"), (b"\x89PNG", "PNG"), (b"GIF8", "GIF"),
          (b"\xff\xd8\xff", "JPEG"), (b"\x1f\x8b", "gzip"), (b"\x7fELF", "ELF executable"),
          (b"BZh", "bzip2"), (b"\xfd7zXZ", "xz"), (b"7z\xbc\xaf", "7-Zip"), (b"SQLite format 3", "SQLite"),
          (b"\xd0\xcf\x11\xe0", "OLE/Office"), (b"RIFF", "RIFF media"), (b"OggS", "Ogg"), (b"ID3", "MP3"))
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_HTML_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)


def binary_kind(head: bytes) -> str | None:
    """Name the kind of binary data ``head`` starts with, or None when it looks like text.

    >>> binary_kind(b"%PDF-1.7 ...")
    'PDF'
    """
    if head.startswith(tuple(bom for bom, _ in _BOMS)):
        return None
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    sample = head[:8192]
    if not sample:
        return None
    if _looks_utf16(sample):
        return None
    if sample.count(0) > max(8, 0.05 * len(sample)):
        return "binary data (NUL bytes)"
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return "binary data (control bytes)" if controls > 0.1 * len(sample) else None


def _looks_utf16(sample: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when every other byte is NUL (UTF-16 text without a BOM)."""
    even, odd = sample[0::2], sample[1::2]
    if len(sample) >= 4 and odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if len(sample) >= 4 and even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, declared: str | None = None, *, cut: bool = False) -> tuple[str, str]:
    """Decode ``data`` as text; returns ``(text, encoding)``. Never raises on any bytes.

    Order: a byte-order mark; BOM-less UTF-16 (every other byte NUL); UTF-8; a declared charset (HTML ``<meta charset>``) when it decodes;
    else the best single-byte code page (cp1252, cp1256, cp1251, Greek, latin-1)
    by charset-normalizer (deterministic for the same bytes). ``cut``: ``data`` is the start of a
    longer file, so a multi-byte character cut off at its end is dropped.

    >>> decode_bytes("café".encode("cp1252"))
    ('café', 'cp1252')
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            if name == "utf-8-sig":  # a UTF-8 BOM before bytes that are not UTF-8: trust the bytes
                try:
                    return _decode(data, name, cut, errors="strict"), name
                except UnicodeDecodeError:
                    return decode_bytes(data[len(bom):], declared, cut=cut)
            return _decode(data, name, cut), name
    utf16 = _looks_utf16(data[:8192])
    if utf16:
        return _decode(data, utf16, cut), utf16
    try:
        return _decode(data, "utf-8", cut, errors="strict"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        name = _codec_name(declared)
        if name and name not in ("utf-8", "utf-16", "utf-32"):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                pass
    name = _best_single_byte(data)
    return data.decode(name, errors="replace"), name


def _decode(data: bytes, encoding: str, cut: bool, errors: str = "replace") -> str:
    """Decode; when ``cut``, a multi-byte character cut off at the end of ``data`` is dropped."""
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    return decoder.decode(data, final=not cut)


def _codec_name(label: str) -> str | None:
    try:
        return codecs.lookup(label.strip().lower()).name
    except (LookupError, ValueError):
        return None


def _best_single_byte(data: bytes) -> str:
    """The single-byte code page that reads ``data`` most plausibly.

    Decodings that mix scripts inside a word ("cafй") are ruled out first; among the rest,
    charset-normalizer's ranking (letter frequencies per language) decides, then the order of
    ``_SINGLE_BYTE_CANDIDATES``. Deterministic for the same bytes."""
    sample = data[:100_000]
    penalties = {}
    for name in _SINGLE_BYTE_CANDIDATES:
        try:
            penalties[name] = _mixed_script_words(sample.decode(name))
        except UnicodeDecodeError:
            continue
    fewest = min(penalties.values())
    finalists = [name for name in _SINGLE_BYTE_CANDIDATES if penalties.get(name) == fewest]
    try:
        from charset_normalizer import from_bytes

        ranking = [_codec_name(m.encoding) for m in from_bytes(sample, cp_isolation=finalists)]
    except Exception:  # charset-normalizer only ranks: without it the fixed order decides
        ranking = []
    for name in ranking + finalists:
        if name in finalists:
            return name
    return "latin_1"


def _script(char: str) -> str:
    if char.isascii():
        return "LATIN"
    return unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]


def _mixed_script_words(text: str) -> int:
    """Words mixing alphabets (Latin with Cyrillic, Greek ...) plus C1 control characters."""
    count = sum(1 for c in text if "\x80" <= c <= "\x9f")
    for word in re.findall(r"[^\W\d_]{2,}", text):
        if not word.isascii() and len({_script(c) for c in word}) > 1:
            count += 1
    return count


def _cut_text(text: str, max_bytes: int) -> str:
    """``text`` cut to at most ``max_bytes`` UTF-8 bytes, at a character boundary."""
    encoded = text.encode("utf-8", errors="surrogatepass")
    if len(encoded) <= max_bytes:
        return text
    return encoded[:max_bytes].decode("utf-8", errors="ignore")


def _clean_text(text: str) -> str:
    """Unify line ends and drop NUL and lone surrogates (text stays otherwise unchanged)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\x00", "")
    return text.encode("utf-8", errors="replace").decode("utf-8") if _has_surrogates(text) else text


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


# --------------------------------------------------------------------------------------------
# Publication time

_MONTHS = {m: i for i, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), start=1) for m in names}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?,?\s+)?"
_TIME = (r"(?P<hour>\d{1,2})[:.h](?P<minute>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?"
         r"(?:\s*(?P<ampm>[ap])\.?\s?m\.?)?")
_SEP = r"\s*(?:,|at|@|-|–|—|\||·|•)?\s*"
_YEAR = r"(?P<year>[12]\d\d\d)(?!\d)"
_DATE_PATTERNS = [re.compile(p, re.I) for p in (
    # 2025-04-07, 2025-04-07T09:34:00+03:00, 2025/04/07 09:34
    r"(?<!\d)" + _YEAR.replace("(?!\\d)", "") + r"[-/.](?P<mnum>[01]?\d)[-/.](?P<day>[0-3]?\d)(?!\d)"
    r"(?:(?:T|\s+|" + _SEP + r")" + _TIME + r")?",
    # Apr 7, 2025 09:34 / Monday, April 7th, 2025 at 9:34 a.m.
    r"\b" + _WEEKDAY + _MONTH + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+" + _YEAR
    + r"(?:" + _SEP + _TIME + r")?",
    # 7 April 2025 09:34 / 7th of April, 2025
    r"\b" + _WEEKDAY + r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?:\s+of)?\s+" + _MONTH + r",?\s+" + _YEAR
    + r"(?:" + _SEP + _TIME + r")?",
    # 07.04.2025 09:34 (day first, as printed across Europe)
    r"(?<![\d.])(?P<day>[0-3]?\d)\.(?P<mnum>[01]?\d)\.\s?" + _YEAR + r"(?:" + _SEP + _TIME + r")?",
    # 4/27/2025 or 27/4/2025 when one reading is impossible (ambiguous ones are rejected below)
    r"(?<![\d/])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/" + _YEAR + r"(?:" + _SEP + _TIME + r")?",
)]
_ANY_YEAR = re.compile(r"(?<!\d)[12]\d\d\d(?!\d)")
_TIME_FIRST = re.compile(r"(?<![\d:])" + _TIME + r"\s*(?:[A-Z]{2,4}\s*)?(?:,|\||·|-|–|—|on)?\s*$", re.I)


@dataclass(frozen=True)
class PublicationTime:
    """A publication time found in text: ISO ``value``, and where in the string it was."""

    value: str
    start: int
    end: int


def find_publication_time(text: str) -> PublicationTime | None:
    """The first complete date (day, month and year) in ``text``, with a time when one is printed
    next to it; ``None`` when there is none. Four-digit years only; no clock is used.

    >>> find_publication_time("Apr 7, 2025 09:34 144").value
    '2025-04-07T09:34'
    >>> find_publication_time("Published: 7 April 2025").value
    '2025-04-07'
    """
    best: PublicationTime | None = None
    if not _ANY_YEAR.search(text):
        return None
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            found = _match_to_iso(match, text)
            if found and (best is None or match.start() < best.start):
                best = PublicationTime(found, match.start(), match.end())
                break
    return best


def _match_to_iso(match: re.Match, text: str) -> str | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("a"):
        a, b = int(groups["a"]), int(groups["b"])
        if a > 12 >= b:
            day, month = a, b
        elif b > 12 >= a:
            month, day = a, b
        else:
            return None  # 04/07/2025: April 7 or 4 July? Not guessed.
    else:
        month = _MONTHS[groups["month"].lower().rstrip(".")] if groups.get("month") else int(groups["mnum"])
        day = int(groups["day"])
    try:
        day_value = date(year, month, day)
    except ValueError:
        return None
    hour, minute = groups.get("hour"), groups.get("minute")
    if hour is None:  # a time printed just before the date: "09:34, 7 April 2025"
        before = _TIME_FIRST.search(text[max(0, match.start() - 24):match.start()])
        if before:
            hour, minute, groups = before["hour"], before["minute"], {**groups, "ampm": before["ampm"]}
    if hour is not None:
        h, m = int(hour), int(minute)
        ampm = (groups.get("ampm") or "").lower()
        if ampm and not 1 <= h <= 12:
            h = 99
        elif ampm == "p" and h != 12:
            h += 12
        elif ampm == "a" and h == 12:
            h = 0
        if h <= 23:
            return f"{day_value.isoformat()}T{h:02d}:{m:02d}"
    return day_value.isoformat()


def normalize_published(value: Any) -> str | None:
    """ISO 8601 publication time from a metadata value, or None when it is not a full date.

    Accepts ISO strings, RFC 2822 (``Mon, 07 Apr 2025 09:34:00 GMT``), printed dates, ``date`` and
    ``datetime`` objects and Unix epoch seconds (or milliseconds). A printed time keeps its local
    clock time (the zone is dropped); the result has minute resolution or is a date.

    >>> normalize_published("2025-04-07T09:34:12+03:00")
    '2025-04-07T09:34'
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            return None
        seconds = value / 1000 if abs(value) > 1e11 else value
        try:
            return normalize_published(datetime.fromtimestamp(seconds, tz=timezone.utc))
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()[:200]
    if not text:
        return None
    if re.fullmatch(r"\d{9,13}(?:\.\d+)?", text):
        return normalize_published(float(text))
    rfc = parsedate_tz(text) if re.match(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d", text) else None
    if rfc:
        try:
            return normalize_published(datetime(*rfc[:5]))
        except ValueError:
            return None
    found = find_publication_time(text)
    return found.value if found else None


def _date_warning(value: str) -> tuple[str | None, str | None]:
    """``(kept value or None, warning or None)`` for a publication time."""
    day = date.fromisoformat(value[:10])
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        return None, f"publication time {value} is outside {EARLIEST_DATE.year}-{LATEST_DATE.year}; ignored"
    if not PLAUSIBLE_FROM <= day <= PLAUSIBLE_TO:
        return value, (f"publication time {value} is implausible for web news "
                       f"(outside {PLAUSIBLE_FROM.year}-{PLAUSIBLE_TO.year}); kept, check it")
    return value, None


# --------------------------------------------------------------------------------------------
# Title, outlet and dateline from the text

_HEAD_LINES, _TAIL_LINES = 30, 10
_DATELINE_KEYWORD = re.compile(
    r"^\W*(?P<kw>first published|originally published|published(?: on| at)?|posted(?: on| at)?|"
    r"publication date|date(?: published)?|updated(?: on| at)?|last updated(?: on| at)?|"
    r"modified|created)\b\s*:?", re.I)
_DATELINE_WORDS = {"by", "and", "at", "on", "of", "the", "am", "pm", "a.m", "p.m", "gmt", "utc", "est",
                   "edt", "cet", "cest", "bst", "ist", "local", "time", "min", "mins", "minute",
                   "minutes", "read", "reading", "views", "view", "comments", "comment", "share",
                   "updated", "published", "posted", "ago", "last", "in", "|", "-", "·", "•"}
_OUTLET_PATTERNS = [re.compile(p, re.I) for p in (
    r"^(?:the )?(?:latest|last|more|top) news (?:in|from|on|at|of) (?P<outlet>.+?)\W*$",
    r"^(?:read|see|view)(?: more| the (?:full|original|whole)(?: story| article| report)?| the story"
    r"| the article| it)? (?:on|at) (?P<outlet>.+?)\W*$",
    r"^(?:this (?:article|story|report) (?:was )?(?:first |originally )?(?:appeared|published|was published)"
    r"|(?:first|originally) (?:published|appeared)) (?:on|in|at|by) (?P<outlet>.+?)\W*$",
    r"^(?:source|publisher|published by)\s*:\s*(?P<outlet>.+?)\W*$",
    r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?,?\s+(?P<outlet>[^.,;|]+?)"
    r"(?:[.,;|].*)?$",
)]
_FURNITURE = re.compile(
    r"^(?:advertisement|advert|sponsored|skip to (?:main )?content|sign up|subscribe|share|share this"
    r"|follow us|read more|read next|related|listen|watch|video|photo|image|caption|menu|home)\b"
    r"|seconds of|press shift question mark|keyboard shortcuts|^[\d\s:./|-]+$", re.I)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def outlet_from_text(text: str) -> str:
    """The outlet when the text names it explicitly ("Latest news in Fakti", "Read more on
    BBC News", "This article first appeared on The Conversation", "© 2025 Example Times");
    ``""`` otherwise. Only short lines near the top or the end of the text are read.

    >>> outlet_from_text("Latest news in Fakti\\n\\nIraqi militias ...")
    'Fakti'
    """
    lines = _lines(text[:20_000])[:_HEAD_LINES] + _lines(text[-5_000:])[-_TAIL_LINES:]
    for line in lines:
        if len(line) > 120:
            continue
        for pattern in _OUTLET_PATTERNS:
            match = pattern.match(line)
            if match:
                outlet = _clean_outlet(match["outlet"])
                if outlet:
                    return outlet
    return ""


def _clean_outlet(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" \t\"'“”‘’«»:;,-–—|")
    words = name.split()
    if not 1 <= len(words) <= 6 or len(name) > 60 or not re.match(r"\w", name):
        return ""
    if words[0].lower() in {"the", "a", "an"} and len(words) == 1:
        return ""
    if not any(w[:1].isupper() or w[:1].isdigit() or "." in w for w in words):
        return ""  # "read more on this topic": not a name
    return name


def dateline_from_text(text: str) -> str | None:
    """The publication time printed as a dateline near the top (or, after a keyword such as
    "Published", near the end) of the text; None when there is none.

    A dateline is a short line that is mostly a date ("Apr 7, 2025 09:34 144", "By Jane Doe |
    7 April 2025", "Published: 2025-04-07"); a date inside a sentence ("The attack on 7 April 2025
    killed ...") is an event date, not a dateline. "Published"/"Posted" lines win over "Updated".

    >>> dateline_from_text("Title\\nApr 7, 2025 09:34 144\\nBody ...")
    '2025-04-07T09:34'
    """
    head = _lines(text[:20_000])[:_HEAD_LINES]
    tail = _lines(text[-5_000:])[-_TAIL_LINES:] if len(head) == _HEAD_LINES else []
    candidates: list[tuple[int, int, str]] = []
    for position, line in enumerate(head + tail):
        if len(line) > 140:
            continue
        keyword = _DATELINE_KEYWORD.match(line)
        found = find_publication_time(line)
        if not found:
            continue
        in_tail = position >= len(head)
        if keyword:
            rank = 2 if keyword["kw"].lower().startswith(("updated", "last updated", "modified")) else 0
        elif in_tail or not _is_mostly_date(line, found):
            continue
        else:
            rank = 1
        candidates.append((rank, position, found.value))
    return min(candidates)[2] if candidates else None


def _is_mostly_date(line: str, found: PublicationTime) -> bool:
    rest = (line[:found.start] + " " + line[found.end:]).strip()
    if rest.endswith((".", "?", "!")) and not rest.endswith(("a.m.", "p.m.")):
        return False
    for word in re.findall(r"[^\W\d_][\w'.’-]*", rest):
        lower = word.lower().rstrip(".")
        if word[:1].islower() and lower not in _DATELINE_WORDS:
            return False  # a sentence, not a dateline
    return len(rest.split()) <= 8


def title_from_text(text: str) -> str:
    """The headline: the first line near the top that is not page furniture (section names,
    outlet lines, datelines, player controls) and does not read like a paragraph; ``""`` when the
    text starts straight with its body.

    >>> title_from_text("World News\\n\\nMilitias ready to disarm after US threats\\n\\nSeveral ...")
    'Militias ready to disarm after US threats'
    """
    for line in _lines(text[:20_000])[:_HEAD_LINES]:
        words = line.split()
        if len(words) <= 3 or _FURNITURE.search(line) or any(p.match(line) for p in _OUTLET_PATTERNS):
            continue
        found = find_publication_time(line)
        if found and _is_mostly_date(line, found):
            continue
        if len(line) > 200 or len(words) > 30 or re.search(r"[.!?][\"”’]?\s+[A-Z“\"]", line):
            return ""  # the body has started: no headline printed
        return line.rstrip(".")
    return ""


# --------------------------------------------------------------------------------------------
# Metadata: sidecars, front matter, records, HTML


def _field_key(name: str) -> str:
    return re.sub(r"[\s-]+", "_", str(name).strip().lower())


def _pick(record: Mapping[str, Any], field_name: str) -> Any:
    """The first non-empty value of ``field_name``'s aliases in ``record``."""
    keys = {_field_key(k): k for k in record}
    for alias in FIELD_ALIASES[field_name]:
        if alias in keys:
            value = record[keys[alias]]
            if isinstance(value, Mapping) and field_name == "outlet":
                value = value.get("name") or value.get("title") or value.get("id")
            if value not in (None, "") and not (isinstance(value, float) and math.isnan(value)):
                return value
    return None


def _as_text(value: Any) -> str:
    """A metadata value as a one-line string (lists joined, objects dropped)."""
    if value is None or isinstance(value, (Mapping, bool)):
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_as_text(v) for v in value if _as_text(v))
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def _metadata_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """title/outlet/url/published picked from a record or metadata mapping."""
    return {key: _pick(record, key) for key in ("title", "outlet", "url", "published")}


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """``({key: value}, body)`` for text starting with a ``---`` block of ``key: value`` lines.

    >>> split_front_matter("---\\ntitle: Hi\\n---\\nBody")
    ({'title': 'Hi'}, 'Body')
    """
    if not text.startswith("---"):
        return {}, text
    lines = text.split("\n", 60)
    if lines[0].strip() != "---":
        return {}, text
    meta: dict[str, str] = {}
    for index, line in enumerate(lines[1:60], start=1):
        if line.strip() in ("---", "..."):
            return meta, "\n".join(lines[index + 1:]) if index + 1 < len(lines) else ""
        match = re.match(r"^\s*([A-Za-z_][\w -]{0,40}?)\s*:\s*(.*?)\s*$", line)
        if match:
            value = match[2]
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            meta[match[1]] = value
        elif line.strip() and not line.strip().startswith("#"):
            return {}, text  # not a front-matter block
    return {}, text


_HTML_DATE_META = (
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    "pubdate", "publishdate", "publish-date", "publish_date", "dc.date.issued", "dc.date",
    "dcterms.created", "date", "sailthru.date", "parsely-pub-date", "article.published",
    "original-publish-date", "cxenseparse:recs:publishtime")


def _html_meta(tree) -> dict[str, str]:
    """Lower-cased meta names/properties -> content, plus canonical link, from an lxml tree."""
    meta: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        content = element.get("content")
        if key and content and key not in meta:
            meta[key] = content
    for element in tree.iter("link"):
        if (element.get("rel") or "").strip().lower() == "canonical" and element.get("href"):
            meta.setdefault("canonical", element.get("href"))
    for element in tree.iter("time"):
        if element.get("datetime") and ("pubdate" in element.attrib or "published" in (element.get("class") or "")):
            meta.setdefault("pubdate", element.get("datetime"))
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            match = re.search(r'"datePublished"\s*:\s*"([^"]{6,40})"', script.text)
            if match:
                meta.setdefault("datepublished", match[1])
    return meta


def extract_html(html: str, url: str | None = None) -> dict[str, str]:
    """Main text and metadata of an HTML page: ``{"text", "title", "outlet", "url", "published"}``.

    Text and metadata by trafilatura (scripts, styles, navigation and comments dropped); the
    publication time from meta tags (``article:published_time``, JSON-LD ``datePublished`` ...),
    else htmldate limited to markup (no clock, no guessing from the text). When trafilatura finds
    no main text, all visible text is kept instead."""
    import lxml.html
    import trafilatura

    result = {"text": "", "title": "", "outlet": "", "url": "", "published": ""}
    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.LxmlError):
        tree = None
    meta = _html_meta(tree) if tree is not None else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            document = trafilatura.bare_extraction(
                html, url=url, with_metadata=True, include_comments=False, include_tables=True,
                date_extraction_params={"extensive_search": False, "original_date": True,
                                        "min_date": "1900-01-01", "max_date": "2100-12-31"})
        except (ValueError, TypeError, AttributeError, LookupError, RecursionError):
            document = None
    extracted = document.as_dict() if document is not None else {}
    result["text"] = extracted.get("text") or ""
    if not result["text"].strip():
        result["text"] = _visible_text(html)
    result["title"] = _as_text(extracted.get("title") or meta.get("og:title") or
                               (tree.findtext(".//title") if tree is not None else ""))
    result["outlet"] = _as_text(extracted.get("sitename") or meta.get("og:site_name") or "")
    result["url"] = _as_text(meta.get("canonical") or meta.get("og:url") or extracted.get("url") or "")
    for key in _HTML_DATE_META:
        value = normalize_published(meta.get(key))
        if value:
            result["published"] = value
            break
    else:
        result["published"] = normalize_published(extracted.get("date")) or ""
    return result


class _VisibleText(HTMLParser):
    """Collects text outside script, style, template, noscript and head (a tokenizer: no depth
    limit, no tree, tolerant of any markup)."""

    HIDDEN = {"script", "style", "template", "noscript", "head", "title", "svg", "math"}
    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article", "section",
              "blockquote", "pre", "table", "header", "footer"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def _visible_text(html: str) -> str:
    """All visible text of ``html``, one block a line."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    lines = (re.sub(r"[ \t\xa0]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


# --------------------------------------------------------------------------------------------
# Files -> rows


@dataclass
class _Options:
    max_bytes: int
    time_budget: float | None
    published: Any
    sidecars: dict[str, Path] = field(default_factory=dict)


def _expand(source: Any) -> tuple[list[tuple[str, Path]], set[str]]:
    """``[(display name, path)]`` of every file named by ``source``, sorted and unique, and the
    folders that were listed whole."""
    if isinstance(source, (str, Path)):
        sources = [source]
    else:
        sources = list(source)
    found: dict[str, Path] = {}
    folders: set[str] = set()
    for item in sources:
        path = Path(item)
        if path.is_dir():
            folders.add(path.as_posix())
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(p.startswith(".") for p in child.relative_to(path).parts[:-1]):
                    found.setdefault(child.as_posix(), child)
                    folders.add(child.parent.as_posix())
        elif path.exists() or not glob.has_magic(str(item)):
            found.setdefault(path.as_posix(), path)
        else:
            for name in sorted(glob.glob(str(item), recursive=True)):
                if Path(name).is_file():
                    found.setdefault(Path(name).as_posix(), Path(name))
    return sorted(found.items()), folders


def _read_file(path: Path, limit: int) -> tuple[bytes, int, str]:
    """``(first limit bytes, size in bytes, sha256 of the whole file)``; streams, so a huge file
    never sits in memory whole."""
    digest, kept, size = hashlib.sha256(), bytearray(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            if len(kept) < limit:
                kept += chunk[:limit - len(kept)]
    return bytes(kept), size, digest.hexdigest()


def _sidecar_for(path: Path, listed: set[str] | None = None) -> Path | None:
    """``NAME.meta.json`` or ``NAME.EXT.meta.json`` next to ``path``. ``listed``: the files of a
    folder read whole, looked up instead of the disk."""
    for candidate in (path.with_name(path.stem + SIDECAR_SUFFIX), path.with_name(path.name + SIDECAR_SUFFIX)):
        if candidate.as_posix() in listed if listed is not None else candidate.is_file():
            return candidate
    return None


def _read_sidecar(path: Path) -> Mapping[str, Any]:
    """The JSON object in a sidecar file; ValueError when it is not one."""
    data = path.read_bytes()[:1_000_000]
    meta = json.loads(decode_bytes(data)[0].lstrip("\ufeff"))
    if not isinstance(meta, Mapping):
        raise ValueError("not a JSON object")
    return meta


def _file_format(path: Path) -> str | None:
    if path.name.lower().endswith(SIDECAR_SUFFIX):
        return "metadata"
    return TEXT_SUFFIXES.get(path.suffix.lower())


def _article_row(article_id: str, path: str, text: str, sources: list[tuple[str, dict]], entry: FileEntry,
                 options: _Options) -> dict[str, str] | None:
    """One article-table row; metadata from ``sources`` (``[(basis, fields)]``, best first),
    then the text itself. Returns None (and a warning) when the text is empty."""
    text = _clean_text(text)
    if len(text.encode("utf-8")) > options.max_bytes:
        text = _cut_text(text, options.max_bytes)
        entry.status = "partial"
        _add_reason(entry, f"{article_id}: text cut to max_bytes={options.max_bytes:,}")
    if not text.strip():
        return None
    row = {"article_id": article_id, "path": path, "title": "", "outlet": "", "url": "",
           "published": "", "published_basis": "none", "text": text}
    for basis, fields in sources:
        for key in ("title", "outlet", "url"):
            if not row[key] and fields.get(key):
                row[key] = _as_text(fields[key])[:1000]
        if row["published_basis"] == "none" and fields.get("published") not in (None, ""):
            value = normalize_published(fields["published"])
            if value is None:
                _warn(entry, f"{article_id}: unreadable publication time {_as_text(fields['published'])[:80]!r} "
                             f"in {basis}; ignored")
            else:
                value, warning = _date_warning(value)
                if warning:
                    _warn(entry, f"{article_id}: {warning}")
                if value:
                    row["published"], row["published_basis"] = value, basis
    if row["url"]:
        url = safe_url(row["url"])
        if url is None:
            _warn(entry, f"{article_id}: url {row['url'][:80]!r} is not an absolute http(s) url; dropped")
        row["url"] = url or ""
    named = _user_published(options.published, article_id, path)
    if named is not None:
        row["published"], row["published_basis"] = named, "user"
    if not row["title"]:
        row["title"] = title_from_text(text)
    if not row["outlet"]:
        row["outlet"] = outlet_from_text(text)
    if row["published_basis"] == "none":
        value = dateline_from_text(text)
        if value:
            value, warning = _date_warning(value)
            if warning:
                _warn(entry, f"{article_id}: {warning}")
            if value:
                row["published"], row["published_basis"] = value, "dateline"
    if row["published_basis"] == "none" and isinstance(options.published, str):
        row["published"], row["published_basis"] = options.published, "user"
    if row["published_basis"] == "none":
        _warn(entry, f"{article_id}: no publication time found (published_basis none)")
    return row


def _check_user_published(published: Any) -> Any:
    """``published`` with every value normalised; ValueError names a value that is not a date."""
    if published is None:
        return None
    values = published if isinstance(published, Mapping) else {"published": published}
    normal = {}
    for key, value in values.items():
        iso = normalize_published(value)
        if iso is None:
            raise ValueError(f"published={value!r} is not a date (use ISO 8601, e.g. 2025-04-07T09:34)")
        normal[key] = iso
    return normal if isinstance(published, Mapping) else normal["published"]


def _user_published(published: Any, article_id: str, path: str) -> str | None:
    """The user's time for this very article (a mapping names it by id, path, file name or stem)."""
    if isinstance(published, Mapping):
        for key in (article_id, path, Path(path).name, Path(path).stem):
            if key in published:
                return published[key]
    return None


def _warn(entry: FileEntry, message: str) -> None:
    if message not in entry.warnings:
        entry.warnings.append(message)


def _add_reason(entry: FileEntry, reason: str) -> None:
    entry.reason = f"{entry.reason}; {reason}" if entry.reason else reason


def _load_single(path: Path, name: str, data: bytes, fmt: str, entry: FileEntry, options: _Options) -> list[dict]:
    """Rows of a one-article file (txt, html)."""
    sources: list[tuple[str, dict]] = []
    sidecar = options.sidecars.get(name)
    if sidecar is not None:
        try:
            sources.append(("metadata", _metadata_fields(_read_sidecar(sidecar))))
        except (OSError, ValueError, RecursionError) as exc:
            _warn(entry, f"sidecar {sidecar.name} unreadable ({_short(exc)}); ignored")
    declared = None
    if fmt == "html":
        match = _HTML_CHARSET.search(data[:4096])
        declared = match.group(1).decode("ascii", "ignore") if match else None
    text, entry.encoding = decode_bytes(data, declared, cut=entry.bytes > len(data))
    if "\ufffd" in text and entry.encoding not in ("utf-8",):
        _warn(entry, f"undecodable bytes replaced with U+FFFD ({entry.encoding})")
    if fmt == "html":
        html = extract_html(text)
        sources.append(("html-meta", {k: html[k] for k in ("title", "outlet", "url", "published")}))
        text = html["text"]
    else:
        front, text = split_front_matter(text.lstrip("\ufeff"))
        if front:
            sources.insert(0 if sidecar is None else 1, ("metadata", _metadata_fields(front)))
    entry.records = 1
    row = _article_row(path.stem, name, text, sources, entry, options)
    return [row] if row else []


def _records_from_json(data: Any) -> tuple[list[Any], bool]:
    """``(records, is_single_article)`` from parsed JSON."""
    if isinstance(data, list):
        return data, False
    if isinstance(data, Mapping):
        for key in ("articles", "items", "data", "records", "documents", "docs", "results"):
            if isinstance(data.get(key), list):
                return data[key], False
        return [data], True
    return [data], True


def text_record(line: str, where: str) -> dict:
    """One JSON line that must be an object with a string ``text`` (evaluation files, ``events
    FILE``); ValueError naming ``where`` (``"file:line"``) otherwise. Example:
    ``text_record('{"text": "Troops entered Mosul."}', "a.jsonl:1")["text"]``."""
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as error:
        raise ValueError(f"{where}: not valid JSON ({getattr(error, 'msg', error)})") from None
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise ValueError(f"{where}: a JSON line without a string 'text' field")
    return record


def _iter_jsonl(path: Path, encoding: str, entry: FileEntry) -> Iterator[tuple[int, Any]]:
    """``(line number, parsed record or None)`` streamed from a JSONL file; a broken line is
    recorded in ``entry`` and gives None. Each line is decoded on its own (UTF-8, else its best
    single-byte encoding); UTF-16/32 files are decoded whole."""
    if encoding.startswith(("utf-16", "utf-32")):  # a newline is more than one byte: read whole
        lines: Iterable[bytes | str] = decode_bytes(path.read_bytes())[0].split("\n")
    else:
        lines = _binary_lines(path)
    for number, raw in enumerate(lines, start=1):
        line = raw if isinstance(raw, str) else _decode_line(raw, number, entry)
        if number == 1:
            line = line.lstrip("\ufeff")
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except (ValueError, RecursionError) as exc:
            entry.status = "partial"
            _add_reason(entry, f"line {number}: invalid JSON ({_short(exc)})")
            yield number, None


def _binary_lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        yield from handle


def _decode_line(raw: bytes, number: int, entry: FileEntry) -> str:
    """A JSONL line: UTF-8 (as JSON is), else its own best encoding, said in a warning."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        text, own = decode_bytes(raw)
        _warn(entry, f"line {number}: not utf-8, read as {own}")
        return text


def _iter_csv(path: Path, encoding: str, delimiter: str, entry: FileEntry) -> Iterator[tuple[int, Any]]:
    """``(first line number, {column: cell})`` streamed from a CSV/TSV file with a text column."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, min(sys.maxsize, 2**31 - 1)))
    try:
        with path.open("rb") as binary, io.TextIOWrapper(binary, encoding=encoding, errors="replace",
                                                         newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            header = next(reader, None)
            if not header:
                return
            header = [h.strip().lstrip("\ufeff") for h in header]
            keys = {_field_key(h) for h in header}
            if not any(alias in keys for alias in FIELD_ALIASES["text"] + FIELD_ALIASES["html"]):
                raise ArticleLoadError(entry.file, "no text column (looked for "
                                       + ", ".join(FIELD_ALIASES["text"][:5]) + "...; found: "
                                       + ", ".join(header[:20]) + ")")
            line = reader.line_num
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    entry.status = "partial"
                    _add_reason(entry, f"line {reader.line_num}: broken CSV ({_short(exc)})")
                    line = reader.line_num
                    continue
                start, line = line + 1, reader.line_num
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) != len(header):
                    _warn(entry, f"line {start}: {len(cells)} cells for {len(header)} columns")
                yield start, dict(zip(header, cells))
    finally:
        csv.field_size_limit(limit)


def _load_records(path: Path, name: str, data: bytes, fmt: str, entry: FileEntry,
                  options: _Options) -> Iterator[dict]:
    """Rows of a many-article file (json, jsonl, csv, tsv), one at a time. ``data``: the whole
    file for JSON, its first bytes (for the encoding) otherwise, since JSONL and CSV are streamed.
    The time budget applies to each record."""
    single = False
    if fmt == "json":
        text, entry.encoding = decode_bytes(data)
        try:
            parsed = json.loads(text.lstrip("\ufeff"))
        except (ValueError, RecursionError) as exc:
            raise ArticleLoadError(name, f"invalid JSON ({_short(exc)})") from None
        items, single = _records_from_json(parsed)
        records: Iterable[tuple[int, Any]] = enumerate(items, start=1)
    else:
        entry.encoding = decode_bytes(data, cut=entry.bytes > len(data))[1]
        if fmt == "jsonl":
            if not entry.encoding.startswith(("utf-16", "utf-32")):
                entry.encoding = "utf-8"  # line by line; other lines are named in warnings
            records = _iter_jsonl(path, entry.encoding, entry)
        else:
            records = _iter_csv(path, entry.encoding, "\t" if fmt == "tsv" else ",", entry)
    for number, record in records:
        entry.records += 1
        if record is None:
            continue
        if not isinstance(record, Mapping):
            entry.status = "partial"
            _add_reason(entry, f"record {number}: not an object ({type(record).__name__}); skipped")
            continue
        try:
            with time_budget(options.time_budget, f"record {number} of {name}"):
                row = _record_row(record, number, path, name, single, entry, options)
        except TimeBudgetExceeded as exc:
            entry.status = "partial"
            _add_reason(entry, f"record {number}: {exc}; skipped")
            continue
        if row is None:
            entry.status = "partial"
            _add_reason(entry, f"record {number}: no text; skipped")
        else:
            yield row
    if entry.records == 0:
        raise ArticleLoadError(name, "no records")


def _record_row(record: Mapping[str, Any], number: int, path: Path, name: str, single: bool,
                entry: FileEntry, options: _Options) -> dict[str, str] | None:
    """The article row of one JSON/JSONL/CSV record (None when it has no text)."""
    body = _pick(record, "text")
    if isinstance(body, (list, tuple)):
        body = "\n\n".join(str(part) for part in body if isinstance(part, (str, int, float)))
    sources = [("metadata", _metadata_fields(record))]
    if not isinstance(body, str) or not body.strip():
        html_source = _pick(record, "html")
        if isinstance(html_source, str) and html_source.strip():
            html = extract_html(html_source[:options.max_bytes * HTML_MARKUP_FACTOR])
            sources.append(("html-meta", {k: html[k] for k in ("title", "outlet", "url", "published")}))
            body = html["text"]
    if not isinstance(body, str) or not body.strip():
        return None
    own_id = _as_text(_pick(record, "id"))[:200]
    article_id = path.stem if single else (own_id or f"{path.stem}:{number}")
    return _article_row(article_id, name, body, sources, entry, options)


def _short(exc: BaseException) -> str:
    return re.sub(r"\s+", " ", str(exc))[:160] or type(exc).__name__


def _load_one(path: Path, name: str, entry: FileEntry, data: bytes, fmt: str,
              options: _Options) -> Iterable[dict]:
    """Rows of one file whose first bytes are ``data`` (a list for a one-article file, streamed
    for a record file); ArticleLoadError when nothing is usable."""
    if not data:
        raise ArticleLoadError(name, "empty file (0 bytes)")
    kind = binary_kind(data[:8192])
    if kind:
        raise ArticleLoadError(name, f"binary file ({kind}), not text")
    if fmt in ("txt", "html"):
        rows = _load_single(path, name, data, fmt, entry, options)
        if not rows:
            raise ArticleLoadError(name, "no text" if fmt == "txt" else "no text found in the HTML")
        return rows
    return _load_records(path, name, data, fmt, entry, options)


def load_articles(source: str | Path | Iterable[str | Path], *, manifest: Manifest | None = None,
                  published: str | Mapping[str, str] | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES,
                  time_budget_s: float | None = DEFAULT_TIME_BUDGET, strict: bool = False) -> pd.DataFrame:
    """Read articles into a DataFrame with ``ARTICLE_COLUMNS``, sorted by ``article_id``.

    ``source``: a folder (read recursively, hidden folders skipped), a file, a glob
    (``"news/*.jsonl"``) or a list of these. ``published``: the user's publication time
    (``published_basis`` ``user``), either one string for every article whose files give none, or
    ``{article_id, path, file name or stem: time}`` for named articles, which wins over the files. ``max_bytes``: longest article text kept (UTF-8 bytes); longer
    ones are cut and their file marked ``partial`` (None: the default, 1 MB).
    ``time_budget_s``: seconds one article (a file, or a record of a record file) may take to load
    (None: no limit).
    ``strict``: raise :class:`ArticleLoadError` after loading when any file had an error.

    ``article_id`` is the file stem for one-article files, and the record's own id field or
    ``STEM:N`` (N = line of a JSONL/CSV record, position in a JSON list) for records; an id
    already taken by an earlier input (files in sorted order) gets the file's path instead
    (recorded as a warning). Raises ``FileNotFoundError`` when ``source`` names nothing at all;
    every other problem is recorded in ``manifest``. The same as ``pd.concat(iter_articles(...))``
    sorted by ``article_id``.

    >>> articles = load_articles("data/articles")  # doctest: +SKIP
    >>> articles.loc[articles.article_id.str.startswith("002"), "published"].item()  # doctest: +SKIP
    '2025-04-07T09:34'
    """
    manifest = manifest if manifest is not None else Manifest()
    frames = list(iter_articles(source, manifest=manifest, published=published, max_bytes=max_bytes,
                                time_budget_s=time_budget_s, batch_size=10_000))
    if strict and manifest.any_errors:
        raise ArticleLoadError("; ".join(e.file for e in manifest.entries if e.status == "error"),
                               "could not be read (strict): " + "; ".join(manifest.errors))
    frame = pd.concat(frames, ignore_index=True) if frames else _article_frame([])
    return frame.sort_values("article_id", kind="stable").reset_index(drop=True)


def iter_articles(source: str | Path | Iterable[str | Path], *, manifest: Manifest | None = None,
                  published: str | Mapping[str, str] | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES,
                  time_budget_s: float | None = DEFAULT_TIME_BUDGET, batch_size: int = 1000) -> Iterator[pd.DataFrame]:
    """Article tables (``ARTICLE_COLUMNS``) of at most ``batch_size`` rows, in file order (sorted)
    and record order, for sources bigger than memory: JSONL and CSV files are read a record at a
    time. Options, ids, metadata and manifest entries are those of :func:`load_articles`;
    duplicate files are found across the whole source (a set of content hashes is kept). Each
    file's manifest entry is complete once its last row has been yielded. Raises
    ``FileNotFoundError`` (at the call) when ``source`` names nothing at all.

    >>> for batch in iter_articles("corpus.jsonl", batch_size=1000):  # doctest: +SKIP
    ...     print(len(batch))
    """
    max_bytes = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    if max_bytes <= 0:
        raise ValueError(f"max_bytes must be positive, got {max_bytes}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    options = _Options(max_bytes, time_budget_s, _check_user_published(published))
    files, folders = _expand(source)
    if not files or (isinstance(source, (str, Path)) and not files[0][1].exists()):
        raise FileNotFoundError(f"no such file, folder or match: {source}")
    rows = _iter_rows(files, folders, manifest if manifest is not None else Manifest(), options)
    return _batches(rows, batch_size)


def _batches(rows: Iterator[dict], batch_size: int) -> Iterator[pd.DataFrame]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) == batch_size:
            yield _article_frame(batch)
            batch = []
    if batch:
        yield _article_frame(batch)


def _article_frame(rows: list[dict]) -> pd.DataFrame:
    if rows:
        return pd.DataFrame(rows, columns=list(ARTICLE_COLUMNS))
    return pd.DataFrame({column: pd.Series([], dtype=object) for column in ARTICLE_COLUMNS})


def _iter_rows(files: list[tuple[str, Path]], folders: set[str], manifest: Manifest,
               options: _Options) -> Iterator[dict]:
    """Article rows of ``files`` (``[(name, path)]``, sorted), each file recorded in ``manifest``."""
    listed = {name for name, _ in files}
    seen_hashes: dict[str, str] = {}
    used_ids: set[str] = set()
    sidecar_users: dict[str, str] = {}
    sidecars: dict[str, Path] = options.sidecars
    for name, path in files:
        fmt = _file_format(path)
        if fmt in ("txt", "html"):
            sidecar = _sidecar_for(path, listed if path.parent.as_posix() in folders else None)
            if sidecar is not None:
                sidecar_users.setdefault(sidecar.as_posix(), name)
                sidecars[name] = sidecar
    for name, path in files:
        entry = manifest.restart(name)
        fmt = _file_format(path)
        entry.format = fmt or path.suffix.lower().lstrip(".")
        if not path.exists():
            entry.status, entry.reason = "error", "file not found"
            continue
        if fmt is None:
            entry.status = "skipped"
            entry.reason = (f"unsupported file type {path.suffix or '(no extension)'}; "
                            f"readable: {', '.join(sorted(TEXT_SUFFIXES))}")
            entry.bytes = _size(path)
            continue
        if fmt == "metadata":
            user = sidecar_users.get(path.as_posix())
            entry.status = "ok" if user else "skipped"
            entry.reason = f"metadata for {user}" if user else "metadata sidecar with no article next to it"
            entry.bytes = _size(path)
            try:
                _read_sidecar(path)
            except (OSError, ValueError, RecursionError) as exc:
                entry.status, entry.reason = "error", f"unreadable metadata ({_short(exc)}); ignored"
            continue
        limit = {"html": options.max_bytes * HTML_MARKUP_FACTOR, "txt": options.max_bytes,
                 "json": sys.maxsize}.get(fmt, STREAM_HEAD)  # JSONL and CSV are streamed
        try:
            data, entry.bytes, entry.sha256 = _read_file(path, limit)
        except OSError as exc:
            entry.status, entry.reason = "error", f"unreadable: {exc.strerror or _short(exc)}"
            continue
        if entry.sha256 in seen_hashes:
            entry.status, entry.duplicate_of = "skipped", seen_hashes[entry.sha256]
            entry.reason = f"duplicate of {entry.duplicate_of} (same content)"
            continue
        seen_hashes[entry.sha256] = name
        if entry.bytes > len(data) and fmt in ("txt", "html"):
            entry.status = "partial"
            _add_reason(entry, f"file of {entry.bytes:,} bytes cut to {len(data):,} bytes (max_bytes)")
        try:
            if fmt in ("txt", "html"):
                with time_budget(options.time_budget, f"loading {name}"):
                    file_rows = _load_one(path, name, entry, data, fmt, options)
            else:  # records: read and budgeted one by one
                file_rows = _load_one(path, name, entry, data, fmt, options)
            for row in file_rows:
                _claim_id(row, used_ids, manifest)
                entry.article_ids.append(row["article_id"])
                entry.articles += 1
                yield row
        except ArticleLoadError as exc:
            _fail(entry, exc.reason)
        except TimeBudgetExceeded as exc:
            _fail(entry, str(exc))
        except (ValueError, TypeError, LookupError, RecursionError, MemoryError) as exc:
            _fail(entry, f"could not be read: {type(exc).__name__}: {_short(exc)}")
        else:
            if not entry.articles:
                entry.status = "error"
                _add_reason(entry, "no article with text")
        entry.article_ids.sort()


def _fail(entry: FileEntry, reason: str) -> None:
    """A file that stopped with ``reason``: ``error``, or ``partial`` when articles were kept."""
    if entry.articles:
        entry.status = "partial"
        _add_reason(entry, reason)
    else:
        entry.status, entry.reason = "error", reason


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _claim_id(row: dict, used: set[str], manifest: Manifest) -> None:
    """Make ``row["article_id"]`` unique among ``used`` (and add it): an id already taken becomes
    the file's path (``dir/name.txt`` or ``dir/name.jsonl:12``), then gets a ``~2`` suffix. Rows
    come in sorted file order, so the result is deterministic."""
    article_id = row["article_id"]
    if article_id in used:
        stem = Path(row["path"]).stem
        suffix = article_id[len(stem):] if article_id.startswith(stem) else ""
        base = row["path"] + suffix if suffix.startswith(":") or not suffix else f"{row['path']}:{article_id}"
        candidate, number = base, 2
        while candidate in used:
            candidate, number = f"{base}~{number}", number + 1
        manifest.warn(row["path"], f"article id {article_id!r} is already used by another input; "
                                   f"renamed {candidate!r}")
        row["article_id"] = candidate
    used.add(row["article_id"])
