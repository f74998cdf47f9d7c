"""A source's sync: fetch the branch, and import its file when the head moved.

The file goes through the catalog's import, the one ``learnmap import`` uses: lint errors
refuse it and nothing changes. An import that would retire items carrying learners' marks
waits for a maintainer's yes (``confirm_retiring``; the preview is ``services.preview``).
Whatever happens is recorded on the source (its status, the commit, the message with the file
and line) for the maintainer page, and logged.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from learnmap import roadmap_md
from learnmap.catalog import services as catalog_services
from learnmap.core.errors import ApplicationError
from learnmap.sources import branch, git, remote
from learnmap.sources.models import Source, SyncStatus
from learnmap.sources.services import changes
from learnmap.sources.services.importing import source_import, source_plan

logger = logging.getLogger(__name__)

UNCHANGED = "unchanged"
MOVED = "moved"  # the branch moved after the preview a maintainer said yes to: nothing applied
MESSAGE_LINES = 20  # the refusal's first errors kept on the source


@dataclass(frozen=True)
class SyncOutcome:
    slug: str
    status: str  # SyncStatus (ok, refused, error, conflict, waiting), "unchanged" or "moved"
    sha: str = ""
    message: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    plan: Any = None  # the catalog's ImportPlan, when the sync waits for a maintainer

    @property
    def failed(self) -> bool:
        return self.status in (SyncStatus.REFUSED, SyncStatus.ERROR, SyncStatus.CONFLICT)


@dataclass(frozen=True)
class Fetched:
    sha: str
    data: bytes | None  # None: the head is the one already synced (or already refused)


def source_fetch(*, source: Source, slug: str, force: bool = False) -> Fetched:
    """Fetch the source's branch into its clone; its file at the head when the head moved."""
    resolved = remote.url_resolve(source.url)
    clone = git.clone_for(slug=slug)
    with git.clone_locked(clone):
        sha = git.fetch(clone=clone, remote=resolved, branch=source.branch, shown_url=source.url)
        seen = sha == source.synced_sha or (
            sha == source.last_sha and source.last_status == SyncStatus.REFUSED
        )
        if seen and not force:
            return Fetched(sha=sha, data=None)
        data = git.file_read(
            clone=clone,
            sha=sha,
            path=source.path,
            branch=source.branch,
            max_bytes=roadmap_md.MAX_BYTES,
        )
    return Fetched(sha=sha, data=data)


def source_sync(
    *,
    source_id: int,
    force: bool = False,
    yes: bool = False,
    expected_sha: str = "",
    renames: Sequence[str] = (),
) -> SyncOutcome | None:
    """Pull the source: import its file if the branch head moved, with the changes accepted
    on the site replayed on it; then send those changes (``services.changes``). None when
    the source is gone. Never raises for a repository or a file that is wrong: the outcome
    (and the source) say what happened.

    A file whose import would retire items carrying learners' marks waits for a maintainer
    (status "waiting", nothing imported) unless ``yes`` (or the source's or the site's
    setting says not to wait). ``expected_sha``: the branch head the maintainer previewed; a
    head that moved since is not applied (status "moved"). ``renames``: "Old=New" pins; a bad
    one raises an ApplicationError naming its title, with nothing recorded."""
    source = Source.objects.select_related("roadmap").filter(pk=source_id).first()
    if source is None:
        return None
    slug = source.roadmap.slug
    clone = git.clone_for(slug=slug)
    with git.clone_locked(clone):
        outcome = _sync_locked(
            source,
            slug=slug,
            clone=clone,
            force=force or yes,
            yes=yes,
            expected_sha=expected_sha,
            renames=renames,
        )
        try:
            changes.changes_push(source=source, clone=clone)
        except ApplicationError as exc:  # the clone itself failed: said on the source
            logger.warning("Could not send the accepted changes of %s: %s", slug, exc.message)
    return outcome


def _sync_locked(
    source: Source,
    *,
    slug: str,
    clone: git.Clone,
    force: bool,
    yes: bool = False,
    expected_sha: str = "",
    renames: Sequence[str] = (),
) -> SyncOutcome:
    try:
        resolved = remote.url_resolve(source.url)
        upstream = git.fetch(
            clone=clone, remote=resolved, branch=source.branch, shown_url=source.url
        )
    except ApplicationError as exc:
        # The repository is out of reach; the accepted changes are committed all the same.
        with contextlib.suppress(ApplicationError):
            changes.changes_commit(source=source, clone=clone)
        return _record(source, slug=slug, status=SyncStatus.ERROR, message=exc.message)
    if expected_sha and upstream != expected_sha:
        message = (
            f"Branch {source.branch!r} moved to {upstream[:12]} after the preview of "
            f"{expected_sha[:12]}: nothing was applied. Look at the new plan."
        )
        return SyncOutcome(slug=slug, status=MOVED, sha=upstream, message=message)
    try:
        changes.changes_commit(source=source, clone=clone)
        target, tip = _replayed(source, clone=clone, upstream=upstream)
    except branch.RebaseConflict as exc:
        return _record(
            source, slug=slug, status=SyncStatus.CONFLICT, sha=upstream, message=exc.message
        )
    except ApplicationError as exc:
        return _record(source, slug=slug, status=SyncStatus.ERROR, message=exc.message)
    refused_before = upstream == source.last_sha and source.last_status == SyncStatus.REFUSED
    if not force and (target == source.synced_sha or (refused_before and target == upstream)):
        Source.objects.filter(pk=source.pk).update(last_sync_at=timezone.now())
        message = (
            f"Branch {source.branch!r} is still at {upstream[:12]}: nothing to import."
            if target == source.synced_sha
            else f"Commit {upstream[:12]} was refused before: {source.last_message}"
        )
        if target == source.synced_sha and source.last_status in (
            SyncStatus.CONFLICT,
            SyncStatus.ERROR,
        ):  # the repository is readable again, or the conflict went away
            _record(source, slug=slug, status=SyncStatus.OK, sha=upstream, message=message)
        return SyncOutcome(slug=slug, status=UNCHANGED, sha=upstream, message=message)
    try:
        data = git.file_read(
            clone=clone,
            sha=target,
            path=source.path,
            branch=source.branch,
            max_bytes=roadmap_md.MAX_BYTES,
        )
    except ApplicationError as exc:
        return _record(source, slug=slug, status=SyncStatus.ERROR, message=exc.message)
    outcome = source_apply(
        source=source,
        slug=slug,
        sha=target,
        data=data,
        upstream=upstream,
        yes=yes,
        renames=renames,
    )
    if outcome.status == SyncStatus.OK and tip and target != tip:
        ref = branch.local_ref(settings.SOURCES_CHANGES_BRANCH)
        try:
            if target == upstream:  # every accepted change is in the repository now
                branch.ref_delete(clone, ref=ref)
            else:
                branch.ref_move(clone, ref=ref, new=target, old=tip)
        except ApplicationError as exc:  # the next sync rebases again, to the same file
            logger.warning("Could not move %s of %s: %s", ref, slug, exc.message)
    return outcome


def _replayed(source: Source, *, clone: git.Clone, upstream: str) -> tuple[str, str]:
    """The commit whose file the catalog should hold (the upstream head, or the accepted
    changes rebased onto it: the branch itself does not move yet), and the branch's tip."""
    ref = branch.local_ref(settings.SOURCES_CHANGES_BRANCH)
    tip = branch.sha_of(clone, ref)
    if not tip:
        return upstream, ""
    if not branch.ahead(clone, base=upstream, tip=tip):
        branch.ref_delete(clone, ref=ref)  # all in the repository already
        return upstream, ""
    if branch.is_ancestor(clone, older=upstream, newer=tip):
        return tip, tip
    rebased = branch.rebase(clone=clone, tip=tip, onto=upstream, committer=changes.committer())
    return rebased, tip


def confirm_retiring(source: Source) -> bool:
    """Whether a sync of ``source`` waits for a maintainer before retiring marked items."""
    if source.confirm_retiring is not None:
        return source.confirm_retiring
    return settings.SOURCES_CONFIRM_RETIRING


def source_apply(
    *,
    source: Source,
    slug: str,
    sha: str,
    data: bytes,
    upstream: str = "",
    yes: bool = False,
    renames: Sequence[str] = (),
) -> SyncOutcome:
    """Import the file fetched for the source (``data``, at commit ``sha``; ``upstream``: the
    branch's head, when ``sha`` is the accepted changes rebased onto it) and record what came
    of it. A change accepted on the site meanwhile defers the import to the sync it queued.
    An import that would retire items carrying learners' marks waits for a maintainer's
    ``yes`` when ``confirm_retiring`` says so (nothing imported, status "waiting")."""
    try:
        with transaction.atomic():
            if source.pk and changes.changes_waiting(source=source, slug=slug):
                message = (
                    "A change was accepted on the site during the sync: the sync it queued "
                    "imports the repository's file after committing it."
                )
                return SyncOutcome(slug=slug, status=UNCHANGED, sha=sha, message=message)
            if source.pk and not yes and confirm_retiring(source):
                plan = source_plan(slug=slug, path=source.path, sha=sha, data=data, renames=renames)
                if plan.marks_retired:
                    return _waiting(source, slug=slug, sha=upstream or sha, plan=plan)
            report = source_import(slug=slug, path=source.path, sha=sha, data=data, renames=renames)
    except ApplicationError as exc:
        if exc.code == "bad_rename":  # the maintainer's pin, not the repository's file
            raise
        errors = list(exc.extra.get("errors", []))
        return _record(
            source,
            slug=slug,
            status=SyncStatus.REFUSED,
            sha=upstream or sha,
            message=exc.message,
            errors=errors,
        )
    return _record(
        source,
        slug=slug,
        status=SyncStatus.OK,
        sha=upstream or sha,
        synced=sha,
        message=f"Commit {sha[:12]}: {report.summary()}",
        warnings=report.warnings,
    )


def waiting_said(*, slug: str, plan: catalog_services.ImportPlan) -> str:
    """ "3 retired items carry 5 learners' marks; run ...": why a sync waits, and what to do."""
    items = sum(1 for part in (plan.nodes, plan.resources) for i in part.retired if i.marks)
    count = plan.marks_retired
    retired = "1 retired item carries" if items == 1 else f"{items} retired items carry"
    marks = "1 learner's marks" if count == 1 else f"{count} learners' marks"
    page = reverse("sources:preview", args=[slug])
    return f"{retired} {marks}; run learnmap sync {slug} --yes or apply it on {page}"


def _waiting(
    source: Source, *, slug: str, sha: str, plan: catalog_services.ImportPlan
) -> SyncOutcome:
    message = f"Commit {sha[:12]} is waiting for a maintainer: {waiting_said(slug=slug, plan=plan)}"
    outcome = _record(source, slug=slug, status=SyncStatus.WAITING, sha=sha, message=message)
    return SyncOutcome(slug=slug, status=outcome.status, sha=sha, message=message, plan=plan)


def source_record_synced(*, source: Source, sha: str, message: str) -> None:
    """Record that the catalog holds the file of commit ``sha`` (a source's first import)."""
    _record(source, slug=source.roadmap.slug, status=SyncStatus.OK, sha=sha, message=message)


def _record(
    source: Source,
    *,
    slug: str,
    status: str,
    message: str,
    sha: str = "",
    synced: str = "",
    errors: list[str] | None = None,
    warnings: list[str] | None = None,
) -> SyncOutcome:
    errors = errors or []
    shown = "\n".join([message, *errors[1:MESSAGE_LINES]])
    values = {
        "last_status": status,
        "last_message": shown,
        "last_sync_at": timezone.now(),
        "updated_at": timezone.now(),
    }
    if sha:
        values["last_sha"] = sha
    values["pending_sha"] = sha if status == SyncStatus.WAITING else ""
    if status == SyncStatus.OK:
        values["synced_sha"] = synced or sha
        source.synced_sha = values["synced_sha"]
    Source.objects.filter(pk=source.pk).update(**values)
    if status == SyncStatus.OK:
        logger.info("Synced %s from %s: %s", slug, source.url, message)
    elif status == SyncStatus.WAITING:
        logger.warning("The sync of %s from %s waits: %s", slug, source.url, message)
    else:
        logger.warning("Could not sync %s from %s: %s", slug, source.url, shown)
    return SyncOutcome(
        slug=slug,
        status=status,
        sha=sha,
        message=message,
        errors=errors,
        warnings=list(warnings or []),
    )
