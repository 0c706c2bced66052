"""The event table: the interface between stages, one row per real-world event.

Columns (ISO 8601 dates; empty cells are missing values, never invented):

==========================  ==================================================================
event_id                    stable id: ``ev-`` + 12 hex digits of a hash of the merged mentions
event_type, sub_event_type  ACLED spelling (``Explosions/Remote violence``, ``Air/drone strike``)
plover                      PLOVER event code (``ASSAULT``, ``MOBILIZE``, ...)
modality                    asserted, intended, hypothetical or negated
date_start, date_end        interval the event falls in (``2025-01-11``, ``2025-04-07``)
date_precision              day, week, month, quarter, season, year, decade (of the start)
date_modifier               START, MID, END, APPROX or empty
date_value                  TIMEX3 value of the date expression (``2025-01``, ``PAST_REF``)
date_text                   the expression as written ("since mid-January")
date_basis                  explicit, relative_dct, relative_text, publication, inferred, undated
place_text                  the toponym as written ("Mosul")
place_name                  gazetteer name of the resolved place
latitude, longitude         WGS84 degrees of the place (point or label point of a region)
geo_precision               1 town/point, 2 near a town or part of a region, 3 admin-1, 4 country
geo_level                   point, admin2, admin1, country
admin1, country             admin-1 name and ISO 3166-1 alpha-2 code
geonameid                   GeoNames id (or a supplement id ``supp:...``)
actor1, actor2              actors of the clause, normalised within the article
trigger                     the word(s) that express the event ("evacuated")
sentence                    evidence sentence of the first source
article_id                  article of the first source
sources                     JSON list of {article_id, outlet, published, sentence, url, title}
source_count                number of reports merged into the row
independent_source_count    reports after collapsing rewrites of one wire story
story_id                    near-duplicate group of the first source's article
==========================  ==================================================================
"""

EVENT_COLUMNS: tuple[str, ...] = (
    "event_id", "event_type", "sub_event_type", "plover", "modality",
    "date_start", "date_end", "date_precision", "date_modifier", "date_value", "date_text", "date_basis",
    "place_text", "place_name", "latitude", "longitude", "geo_precision", "geo_level", "admin1", "country",
    "geonameid", "actor1", "actor2", "trigger", "sentence", "article_id",
    "sources", "source_count", "independent_source_count", "story_id",
)

ARTICLE_COLUMNS: tuple[str, ...] = (
    "article_id", "path", "title", "outlet", "url", "published", "published_basis", "text",
)
"""The article table from :func:`timeline.load_articles`.

``published`` is ISO 8601 (``2025-04-07T09:34``) or empty; ``published_basis`` says where it came
from: metadata, dateline, html-meta, user, inferred, or none.
"""
