"""A learner's own data: progress on nodes and resources, chosen electives, notes, preferences.

Everything points at catalog rows through real foreign keys, so the catalog retires (never
deletes) a node or a resource that a learner's row refers to, and progress survives re-imports
of an edited roadmap. Rows cascade away with their user (deleting an account deletes its data).

A row exists only for something the learner did: "not started" and "not done" are the absence
of a row, so resetting removes it.

Reverse relations on the catalog models are named, never hidden (``related_name="+"``): the
catalog finds what refers to its rows through ``_meta.related_objects``, which skips hidden ones.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from learnmap.core.models import BaseModel


class NodeState(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


class NodeProgress(BaseModel):
    """Where a learner is with a section or a topic (never ``not_started``: no row means that)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="node_progress"
    )
    node = models.ForeignKey(
        "catalog.Node", on_delete=models.CASCADE, related_name="learner_progress"
    )
    state = models.CharField(max_length=12, choices=NodeState.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "node"], name="learning_nodeprogress_unique"),
            models.CheckConstraint(
                condition=~models.Q(state=NodeState.NOT_STARTED),
                name="learning_nodeprogress_started",
            ),
        ]
        indexes = [models.Index(fields=["user", "-updated_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.node_id}={self.state}"


class ResourceProgress(BaseModel):
    """A resource the learner has marked done (unchecking it deletes the row)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resource_progress"
    )
    resource = models.ForeignKey(
        "catalog.Resource", on_delete=models.CASCADE, related_name="learner_progress"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "resource"], name="learning_resourceprogress_unique"
            )
        ]
        indexes = [models.Index(fields=["user", "-updated_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.resource_id}"


class ElectiveChoice(BaseModel):
    """An elective section the learner chose: it then counts in their progress figures."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="elective_choices"
    )
    node = models.ForeignKey(
        "catalog.Node", on_delete=models.CASCADE, related_name="learner_choices"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "node"], name="learning_electivechoice_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.node_id}"


class Note(BaseModel):
    """The learner's private Markdown note on a node; rendered through a sanitiser, never raw."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_notes"
    )
    node = models.ForeignKey("catalog.Node", on_delete=models.CASCADE, related_name="learner_notes")
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "node"], name="learning_note_unique")
        ]
        indexes = [models.Index(fields=["user", "-updated_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.node_id}"


class LearnerPreferences(BaseModel):
    """Per-user defaults, such as the resource filters a signed-in learner last saved."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_preferences"
    )
    default_filters = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id}"


class RoadmapVisit(BaseModel):
    """When a signed-in learner last looked at a roadmap, and since when its changes are new
    to them (``services.visits``: what a visit is, and when this row is written).

    ``seen_at`` is the last page view of the roadmap recorded, written at most every few
    minutes (so it may be that much behind the real last view); ``news_since`` is the end of
    the learner's previous visit, or when they last marked the changes as seen: what changed
    in the catalog after it is shown as new. None on the first visit: nothing is new then."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roadmap_visits"
    )
    roadmap = models.ForeignKey(
        "catalog.Roadmap", on_delete=models.CASCADE, related_name="learner_visits"
    )
    seen_at = models.DateTimeField()
    news_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "roadmap"], name="learning_roadmapvisit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.roadmap_id}@{self.seen_at:%Y-%m-%d %H:%M}"


class RetiredMarkSeen(BaseModel):
    """A learner cleared the notice about one marked item gone from a roadmap
    (``retired_marks``): the notice leaves that item out while its row stays retired at
    ``retired_at``, the retirement they saw. When the item comes back its mark shows on the
    map again; when it is retired again later (a new ``retired_at``) the notice shows it again.

    Points at the item by its key, not a foreign key: a cleared notice is no reason for the
    catalog to keep a row the learner's marks no longer hold on to."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="retired_marks_seen"
    )
    roadmap = models.ForeignKey(
        "catalog.Roadmap", on_delete=models.CASCADE, related_name="learner_retired_marks_seen"
    )
    key = models.UUIDField()  # the node's or the resource's key
    retired_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="learning_retiredmarkseen_unique")
        ]
        indexes = [models.Index(fields=["user", "roadmap"])]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}@{self.retired_at:%Y-%m-%d %H:%M}"
