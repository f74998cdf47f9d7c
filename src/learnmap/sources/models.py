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
    CONFLICT = "conflict", _("conflict: the repository changed what the site changed")
    WAITING = "waiting", _("waiting for a maintainer: the commit retires marked items")


class ChangesStatus(models.TextChoices):
    """Where the changes accepted on the site stand (the branch ``SOURCES_CHANGES_BRANCH``)."""

    NONE = "", _("none")
    LOCAL = "local", _("committed, waiting for a maintainer (download the patch)")
    PUSHED = "pushed", _("pushed to the repository")
    FAILED = "failed", _("not pushed: the push failed")


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
    # The branch's head whose file waits for a maintainer's yes (status "waiting"): importing
    # it would retire items that learners have marks on.
    pending_sha = models.CharField(max_length=64, blank=True, default="")
    # Wait for a maintainer before retiring marked items (None: the
    # LEARNMAP_SOURCES_CONFIRM_RETIRING setting).
    confirm_retiring = models.BooleanField(
        null=True,
        blank=True,
        default=None,
        help_text=_(
            "Wait for a maintainer's yes before a sync retires items that learners have marks "
            "on (unknown: the site's setting)."
        ),
    )
    # When a scheduled pull last started (the schedule's claim).
    scheduled_at = models.DateTimeField(null=True, blank=True)
    # The changes accepted on the site: their branch's state, and what its last push did.
    changes_status = models.CharField(
        max_length=10, choices=ChangesStatus.choices, blank=True, default=ChangesStatus.NONE
    )
    changes_message = models.TextField(blank=True, default="")
    changes_at = models.DateTimeField(null=True, blank=True)
    # The commit Learnmap last pushed to the repository's changes branch (a later push may
    # replace it after a rebase, and nothing else: ``--force-with-lease`` on this commit).
    pushed_sha = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["roadmap__slug"]

    def __str__(self) -> str:
        return f"{self.roadmap_id}: {self.url} ({self.branch}, {self.path})"


class OutgoingChange(models.Model):
    """A change accepted on the site, to be committed to the source's changes branch.

    Recorded in the accept's own transaction (so it commits with it or not at all), with the
    roadmap's Markdown right after the change: the commit's file is exactly that text. ``sha``
    stays empty until the commit is on the branch; a failed attempt is made again by the next
    sync (the schedule's, a webhook's, the next accepted change's).
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="outgoing")
    change_id = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField()
    author_name = models.CharField(max_length=300)
    author_email = models.CharField(max_length=300)
    message = models.TextField()
    sha = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["source", "sha"])]

    def __str__(self) -> str:
        return self.message.split("\n", 1)[0]


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
