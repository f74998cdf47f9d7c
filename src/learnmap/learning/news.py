"""What is new on a roadmap for one learner: the nodes changed since their last visit.

The time comes from the learner's visits (``services.visits``, signed-in learners only), the
changed nodes from the catalog (``catalog.changes``). What changed after a time at a given
revision of the roadmap never changes, so the answer is kept per (revision, time) in the
worker's memory: a learner's every page view of a visit costs no query for it, and none at all
when the roadmap was not imported again since that time.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from learnmap.catalog import cache as catalog_cache
from learnmap.catalog.changes import nodes_changed_since
from learnmap.catalog.models import Roadmap
from learnmap.learning import selectors, services
from learnmap.learning.learners import Learner, UserLearner

logger = logging.getLogger(__name__)

NEWS_VERSION = 1


@dataclass(frozen=True)
class RoadmapNews:
    """The nodes of a roadmap changed since ``since`` (a topic's section with it); nothing when
    ``since`` is None (a first visit, an anonymous learner)."""

    since: datetime | None = None
    keys: frozenset[UUID] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.keys)

    def is_new(self, key: UUID) -> bool:
        return key in self.keys

    @property
    def digest(self) -> str:
        """Stands for the news in the key of a learner's own cached page ("" when none)."""
        if not self.keys:
            return ""
        text = repr((self.since.isoformat() if self.since else "", sorted(map(str, self.keys))))
        return "new:" + hashlib.sha256(text.encode()).hexdigest()[:16]


NO_NEWS = RoadmapNews()

# Changed nodes per (revision stamp, time): a few learners' visits, each a small set of keys.
_changes = catalog_cache.Memo(256)


def roadmap_news_get(*, roadmap: Roadmap, since: datetime | None) -> RoadmapNews:
    """What changed in ``roadmap`` after ``since``: no query when nothing can have (the
    roadmap last imported before then), one the first time per revision and time."""
    if since is None:
        return NO_NEWS
    if roadmap.imported_at is not None and roadmap.imported_at <= since:
        return RoadmapNews(since=since)
    key = catalog_cache.revision_key("news", NEWS_VERSION, roadmap, since.isoformat())
    keys = _changes.get(key)
    if keys is None:
        keys = _changes.put(key, nodes_changed_since(roadmap=roadmap, since=since))
    return RoadmapNews(since=since, keys=keys)


def news_for_view(*, learner: Learner, roadmap: Roadmap, record: bool = True) -> RoadmapNews:
    """The news a page shows this learner, recording the view as part of a visit (``record``;
    a form's answer only reads). Bookkeeping never breaks a page: a failure is logged and the
    page is shown without news."""
    if not isinstance(learner, UserLearner):
        return NO_NEWS
    try:
        if record:
            since = services.visit_record(learner=learner, roadmap=roadmap)
        else:
            since = selectors.visit_since_get(learner=learner, roadmap=roadmap)
        return roadmap_news_get(roadmap=roadmap, since=since)
    except Exception:
        logger.exception("Could not work out what is new on %s for a learner.", roadmap.slug)
        return NO_NEWS
