"""Link health: every URL the catalog links to, each check of it, and the runs that checked.

- ``Link``: one row per distinct URL (the engine's normalised key: fragment, default port and
  case dropped), shared by every resource and roadmap that links there. It holds the latest
  verdict (the engine's cache: fresh verdicts cost no request) and what the site shows, which
  follows the consecutive-failures rule (``failures``, ``shown_class``).
- ``LinkCheck``: the history, one row per URL per run, unique: a run that is executed again
  (its worker was killed) never writes a verdict twice.
- ``CheckRun``: one check of one roadmap's links or of all of them, scheduled, asked for on the
  maintainer page, or run from the command line; or of a few URLs of no roadmap yet (``urls``,
  kind ``link``: a proposed resource's). A task takes its id.
- ``Schedule``: when the periodic check was last enqueued, shared by every worker so that
  several workers never schedule it twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from learnmap.core.models import BaseModel

CLASS_MAX_LENGTH = 16


class RunKind(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    MANUAL = "manual", "Asked for on the site"
    COMMAND = "command", "Command line"
    LINK = "link", "Proposed link"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class CheckRun(BaseModel):
    kind = models.CharField(max_length=10, choices=RunKind.choices)
    # None: every roadmap (the periodic check). A roadmap deleted later leaves its runs.
    roadmap = models.ForeignKey(
        "catalog.Roadmap",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="link_check_runs",
    )
    all_roadmaps = models.BooleanField(default=False)
    # Kind ``link``: the URLs checked (engine keys), in no roadmap (roadmap None, not all).
    urls = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    task_id = models.CharField(max_length=64, blank=True, help_text="The latest task enqueued.")
    attempts = models.PositiveSmallIntegerField(default=0)
    force = models.BooleanField(default=False, help_text="Check again, whatever the cache says.")
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    urls_total = models.PositiveIntegerField(default=0)
    urls_checked = models.PositiveIntegerField(default=0, help_text="Fresh checks (not cached).")
    summary = models.JSONField(default=dict, blank=True)  # class -> count
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["roadmap", "status"])]

    def __str__(self) -> str:
        return f"link check {self.pk} ({self.kind}, {self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)


class Link(BaseModel):
    url_hash = models.CharField(max_length=64, unique=True)  # sha256 of ``url``
    url = models.TextField()
    # The latest verdict, whatever run found it (LinkResult.to_dict()).
    result = models.JSONField(null=True, blank=True)
    link_class = models.CharField(max_length=CLASS_MAX_LENGTH, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    # The consecutive-failures rule: scheduled checks in a row that found the link not ok,
    # counted once per verdict (``streak_checked_at``: the last verdict counted).
    failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    streak_checked_at = models.DateTimeField(null=True, blank=True)
    # What the site shows: "" (nothing) until ``failures`` reaches the threshold.
    shown_class = models.CharField(max_length=CLASS_MAX_LENGTH, blank=True, db_index=True)

    def __str__(self) -> str:
        return self.url


class LinkCheck(models.Model):
    """One verdict on one URL, found by one run (the history)."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="checks")
    run = models.ForeignKey(CheckRun, on_delete=models.CASCADE, related_name="checks")
    link_class = models.CharField(max_length=CLASS_MAX_LENGTH)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.TextField(blank=True)
    error = models.TextField(blank=True)
    elapsed_ms = models.PositiveIntegerField(default=0)
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["-checked_at"]
        constraints = [
            models.UniqueConstraint(fields=["link", "run"], name="linkcheck_one_verdict_per_run")
        ]
        indexes = [models.Index(fields=["link", "-checked_at"])]

    def __str__(self) -> str:
        return f"{self.link_class} {self.checked_at:%Y-%m-%d %H:%M}"


class Schedule(models.Model):
    name = models.CharField(max_length=50, unique=True)
    last_enqueued_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
