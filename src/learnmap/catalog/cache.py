"""Every cache key of what is built from the catalog, and the revision stamp they all carry.

The catalog owns revisions (an import bumps ``Roadmap.revision`` and ``imported_at``), so it
owns the keys: a value built from a roadmap (its structure, search index, map, outline
skeletons, filter values, API bytes, rendered pages) is kept under a key holding the roadmap's
``revision_stamp``, so it never changes under its key and is never deleted, only left behind.
The one thing kept under a key without a revision, the roadmap header by slug (what a page
asks first to learn the revision), is deleted by the import service and on every save or
delete of a roadmap (``header_forget``): a change shows on every process at once.

The mechanism (reads that treat any failure as a miss, the per-process memos) is
``learnmap.core.cache``; this module only names things.
"""

from __future__ import annotations

from learnmap.core.cache import (
    DAY,
    Memo,
    cached,
    cached_many,
    delete,
    forget_now_and_on_commit,
    get,
    key,
    memos_clear,
    put,
)

__all__ = [
    "DAY",
    "Memo",
    "cached",
    "cached_many",
    "delete",
    "forget_now_and_on_commit",
    "get",
    "header_forget",
    "header_key",
    "key",
    "memos_clear",
    "put",
    "revision_key",
    "revision_stamp",
]

HEADER_VERSION = 2  # 2: the row's fields as a tuple, not a pickled model


def revision_stamp(roadmap) -> str:
    """Changes whenever the roadmap's content does (an import), and never comes back: its id
    (a roadmap deleted and created again gets another), revision and time of import. Anything
    with ``pk``, ``revision`` and ``imported_at`` (``selectors.CatalogRevision`` for values
    built from the whole catalog)."""
    stamp = int(roadmap.imported_at.timestamp() * 1_000_000) if roadmap.imported_at else 0
    return f"{roadmap.pk}:{roadmap.revision}:{stamp}"


def revision_key(kind: str, version: object, roadmap, *extra: object) -> str:
    """The key of a value of ``kind`` (in the shape ``version``) built from ``roadmap`` as it
    is at its current revision, and from ``extra`` (language, theme, address...)."""
    return key(kind, f"v{version}", revision_stamp(roadmap), *extra)


def header_key(slug: str) -> str:
    return key("header", f"v{HEADER_VERSION}", slug)


def header_forget(*slugs: str) -> None:
    """Forget the headers of the roadmaps with ``slugs`` in the shared cache (every process):
    at once, and again when the transaction writing them commits (in between, another process
    may have read the old row and stored it again)."""
    forget_now_and_on_commit(*(header_key(slug) for slug in slugs if slug))
