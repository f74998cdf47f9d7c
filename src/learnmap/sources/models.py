"""A roadmap's Git source, and the webhook deliveries already received for it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from learnmap.core.models import BaseModel


class SyncStatus(models.TextChoices):
    NEVER = "never", _("not synced yet")
    OK = "ok", _("synced")
    REFUSED = "refused", _("refused: the file has errors")
    ERROR = "error", _("failed: the repository could not be read")


class Source(BaseModel):
    """The Git repository a roadmap follows: one per roadmap.

    ``url`` is any URL git understands (a local path too). It never holds a credential in
    clear: a password or token is a ``${LEARNMAP_GIT_...}`` placeholder, read from the
    environment when git runs (``sources.remote``). ``webhook_secret`` is kept as it was made:
    checking a webhook's HMAC needs it.
    """

    roadmap = models.OneToOneField(
        "catalog.Roadmap", on_delete=models.CASCADE, related_name="git_source"
    )
    url = models.CharField(max_length=1000)
    branch = models.CharField(max_length=255, default="main")
    path = models.CharField(max_length=1000, default="README.md")
    push_allowed = models.BooleanField(
        default=False, help_text=_("Accepted changes may be pushed to the repository.")
    )
    webhook_secret = models.CharField(max_length=100, editable=False)
    # Seconds between two scheduled pulls (0: the LEARNMAP_SOURCES_SYNC_INTERVAL setting).
    interval = models.PositiveIntegerField(default=0)
    # The commit whose file the catalog holds now.
    synced_sha = models.CharField(max_length=64, blank=True, default="")
    # The branch's head at the last sync, and what came of it.
    last_sha = models.CharField(max_length=64, blank=True, default="")
    last_status = models.CharField(
        max_length=10, choices=SyncStatus.choices, default=SyncStatus.NEVER
    )
    last_message = models.TextField(blank=True, default="")
    last_sync_at = models.DateTimeField(null=True, blank=True)
    # When a scheduled pull last started (the schedule's claim).
    scheduled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["roadmap__slug"]

    def __str__(self) -> str:
        return f"{self.roadmap_id}: {self.url} ({self.branch}, {self.path})"


class Delivery(models.Model):
    """A webhook delivery already accepted: the same id again is a replay (409)."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="deliveries")
    delivery_id = models.CharField(max_length=200)
    received_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "delivery_id"], name="sources_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} ({self.received_at:%Y-%m-%d %H:%M})"
