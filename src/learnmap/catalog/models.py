"""The catalog: roadmaps imported from Markdown, their nodes (sections, topics) and resources.

Rows have stable identities (``key``) that survive edits to the Markdown: a re-import matches
what it parses to what is stored (see ``matching.py``) and updates rows in place, so anything
that refers to a node or a resource (a learner's progress) is never orphaned. Items removed
from the Markdown are retired (``retired_at``) while anything refers to them.

A roadmap keeps the size of its active content (``section_count``, ``topic_count``,
``resource_count``), written by the import in the transaction that writes the rows, so the
listings cost the same whatever the roadmaps hold.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from learnmap.core.models import BaseModel


class Roadmap(BaseModel):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=300)
    source = models.TextField(help_text="The Markdown of the last import, byte for byte.")
    source_sha256 = models.CharField(max_length=64)
    source_name = models.CharField(max_length=500, blank=True)
    builtin = models.BooleanField(default=False)
    electives_start = models.CharField(max_length=200, blank=True)
    revision = models.PositiveIntegerField(
        default=1, help_text="Bumped by every import that changes something (cache keys)."
    )
    imported_at = models.DateTimeField()
    # The size of the active content, written by the import with the rows (never counted per
    # request: a listing reads these instead of joining every node and resource).
    section_count = models.PositiveIntegerField(default=0, help_text="Active sections.")
    topic_count = models.PositiveIntegerField(default=0, help_text="Active topics.")
    resource_count = models.PositiveIntegerField(default=0, help_text="Active resources.")

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class NodeType(models.TextChoices):
    SECTION = "section", "Section"
    TOPIC = "topic", "Topic"


class NodeKind(models.TextChoices):
    STEP = "step", "Ordered step"
    ELECTIVE = "elective", "Elective"
    EXTRA = "extra", "Extra"
    TEXT = "text", "Text"


class Node(BaseModel):
    """A section (H2) or a topic (H3) of a roadmap: what a learner tracks progress on."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="nodes")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    node_type = models.CharField(max_length=10, choices=NodeType.choices)
    kind = models.CharField(max_length=10, choices=NodeKind.choices)
    slug = models.CharField(max_length=200)
    title = models.CharField(max_length=500)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    in_progress = models.BooleanField(default=False)
    intro = models.TextField(blank=True)
    position = models.PositiveIntegerField(help_text="Order in the document.")
    line = models.PositiveIntegerField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["roadmap", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["roadmap", "slug"],
                condition=Q(retired_at__isnull=True),
                name="catalog_node_unique_active_slug",
            )
        ]
        indexes = [models.Index(fields=["roadmap", "retired_at", "position"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class Cost(models.TextChoices):
    FREE = "free", "Free"
    PAID = "paid", "Paid"


class Resource(BaseModel):
    """A link to a book, video, course... listed under a node."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="resources")
    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="resources")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    url = models.TextField()
    link_text = models.TextField()
    title = models.TextField()
    author = models.CharField(max_length=500, blank=True)
    languages = models.JSONField(default=list, blank=True)
    # "|English|Persian|": lets SQLite and PostgreSQL filter by language the same way.
    languages_index = models.CharField(max_length=500, blank=True, db_index=True)
    cost = models.CharField(max_length=4, choices=Cost.choices, blank=True)
    kind = models.CharField(max_length=100, blank=True, db_index=True)
    level = models.CharField(max_length=50, blank=True, db_index=True)
    description = models.TextField(blank=True)
    # What the item's other "(...)" tags say: the formats it comes in by their names ("PDF",
    # "EPUB"), and the tags Learnmap gives no meaning to, as written ("Chapter 3").
    formats = models.JSONField(default=list, blank=True)
    # "|PDF|EPUB|", like ``languages_index``: a re-import compares it, a filter can use it.
    formats_index = models.CharField(max_length=500, blank=True)
    tags = models.JSONField(default=list, blank=True)
    # The tags one a line (a tag holds no line break): what a re-import compares, no JSON read.
    tags_text = models.TextField(blank=True)
    position = models.PositiveIntegerField(help_text="Order in the document.")
    line = models.PositiveIntegerField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["roadmap", "position"]
        indexes = [models.Index(fields=["roadmap", "retired_at", "position"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None
