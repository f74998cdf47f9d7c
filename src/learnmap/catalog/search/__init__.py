"""Searching every roadmap: resource titles, authors and descriptions, and node (topic) names.

Portable across SQLite and PostgreSQL because the database only hands over rows: matching
happens in Python on *normalised* text, the same way for English and Persian. By job:

- ``normalise``: folding text for matching (``normalise``, ``tokenize``).
- ``index``: a roadmap's index (``Document``, ``RoadmapIndex``, ``index_build``), kept per
  import revision in the shared cache with a per-process memo in front (``indexes_get``).
- ``rank``: a query (``Query``) scored against indexes (``search_indexes``, ``SearchResults``).
- ``highlight``: the matches wrapped in ``<mark>``, the text escaped first.

The catalog's selectors load the rows and call these (``catalog.selectors.catalog_search``).
"""

from learnmap.catalog.search.highlight import highlight
from learnmap.catalog.search.index import (
    AUTHOR,
    DESCRIPTION,
    INDEX_CACHE_SECONDS,
    INDEX_VERSION,
    MEMO_SIZE,
    TITLE,
    TOPIC,
    Document,
    RoadmapIndex,
    _memo,  # the per-process memo: tests and bench/ clear it to reach the shared cache
    index_build,
    index_cache_key,
    indexes_get,
)
from learnmap.catalog.search.normalise import normalise, tokenize
from learnmap.catalog.search.rank import (
    EXACT_BONUS,
    INSIDE,
    PHRASE_BONUS,
    PREFIX,
    QUERY_MAX_CHARS,
    QUERY_MAX_WORDS,
    RESULTS_MAX,
    WEIGHTS,
    WHOLE_WORD,
    Hit,
    Query,
    SearchResults,
    search_indexes,
)

__all__ = [
    "AUTHOR",
    "DESCRIPTION",
    "EXACT_BONUS",
    "INDEX_CACHE_SECONDS",
    "INDEX_VERSION",
    "INSIDE",
    "MEMO_SIZE",
    "PHRASE_BONUS",
    "PREFIX",
    "QUERY_MAX_CHARS",
    "QUERY_MAX_WORDS",
    "RESULTS_MAX",
    "TITLE",
    "TOPIC",
    "WEIGHTS",
    "WHOLE_WORD",
    "Document",
    "Hit",
    "Query",
    "RoadmapIndex",
    "SearchResults",
    "_memo",
    "highlight",
    "index_build",
    "index_cache_key",
    "indexes_get",
    "normalise",
    "search_indexes",
    "tokenize",
]
