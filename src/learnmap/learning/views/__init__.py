"""The learner's pages and the forms they post.

- ``browse``: home, a roadmap (map, outline, progress), a node, resources, search;
- ``forms``: progress states, electives, resources done, notes, default filters, marking
  what changed since the last visit as seen;
- ``progress``: My progress, export, import, the Markdown checklist;
- ``common``: 404s, where a form returns to, domain errors as sentences (one place).
"""

from learnmap.learning.views.browse import home, node, node_by_key, resources, roadmap, search
from learnmap.learning.views.forms import (
    elective_choose,
    filters_save,
    news_seen,
    node_state,
    note_save,
    resource_done,
    retired_seen,
)
from learnmap.learning.views.progress import (
    checklist,
    progress,
    progress_export,
    progress_import,
)

__all__ = [
    "checklist",
    "elective_choose",
    "filters_save",
    "home",
    "news_seen",
    "node",
    "node_by_key",
    "node_state",
    "note_save",
    "progress",
    "progress_export",
    "progress_import",
    "resource_done",
    "resources",
    "retired_seen",
    "roadmap",
    "search",
]
