"""What changed in a roadmap since a given time, read from the catalog's own timestamps.

Every change to a roadmap's rows (a maintainer's import, an accepted contribution, a revert)
goes through the import's sync, which keeps these meanings (``services/sync.py``):

- a new node or resource gets its ``created_at``;
- a row's ``updated_at`` moves on only when its content changes (title, URL, tags, intro...),
  never when an edit above it only shifts its line or position in the file;
- a row removed from the Markdown is retired (``retired_at``) while anything refers to it, and
  deleted otherwise.

So "what changed after T" needs no journal of its own. A deleted resource leaves no row, hence
no trace: the node it was listed under is not reported for it (a removed resource nobody had
tracked is the one change this cannot show; the roadmap's history does).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.db.models import Q

from learnmap.catalog.models import Node, Resource, Roadmap


def nodes_changed_since(*, roadmap: Roadmap, since: datetime) -> frozenset[UUID]:
    """The keys of the active nodes of ``roadmap`` that changed after ``since``, with the
    section of each such topic. One query, whatever the roadmap's size.

    A node changed when it was created (or restored) or its own content was updated after
    ``since``, when one of its resources was created, updated or retired after it, and, for a
    section, when one of its topics was retired after it."""
    live = Q(retired_at__isnull=True)
    touched = Q(created_at__gt=since) | Q(updated_at__gt=since)
    # The nodes whose resources changed, as a subquery (no join to sort or deduplicate).
    resources = Resource.objects.filter(roadmap=roadmap).filter(
        (live & touched) | Q(retired_at__gt=since)
    )
    rows = (
        Node.objects.filter(roadmap=roadmap)
        .filter(
            (live & (touched | Q(id__in=resources.values("node_id"))))
            | Q(retired_at__gt=since, parent__isnull=False)
        )
        .values_list("key", "parent__key", "retired_at")
        .order_by()
    )
    keys: set[UUID] = set()
    for key, parent_key, retired_at in rows:
        if retired_at is None:
            keys.add(key)
        if parent_key is not None:
            keys.add(parent_key)
    return frozenset(keys)
