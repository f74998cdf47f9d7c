"""A source's sync: fetch the branch, and import its file when the head moved.

The file goes through the catalog's import, the one ``learnmap import`` uses: lint errors
refuse it and nothing changes. Whatever happens is recorded on the source (its status, the
commit, the message with the file and line) for the maintainer page, and logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.utils import timezone

from learnmap import roadmap_md
from learnmap.catalog import services as catalog_services
from learnmap.core.errors import ApplicationError
from learnmap.sources import git, remote
from learnmap.sources.models import Source, SyncStatus

logger = logging.getLogger(__name__)

UNCHANGED = "unchanged"
MESSAGE_LINES = 20  # the refusal's first errors kept on the source


@dataclass(frozen=True)
class SyncOutcome:
    slug: str
    status: str  # SyncStatus (ok, refused, error), or "unchanged"
    sha: str = ""
    message: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status in (SyncStatus.REFUSED, SyncStatus.ERROR)


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


def source_import(*, slug: str, path: str, sha: str, data: bytes) -> catalog_services.ImportReport:
    """Import ``data`` (the file at commit ``sha``) into roadmap ``slug``; an ApplicationError
    naming the commit, the file and the line refuses it, with nothing changed."""
    try:
        text = roadmap_md.decode(data, name=path)
        return catalog_services.roadmap_import(source=text, slug=slug, source_name=path)
    except roadmap_md.RoadmapInputError as exc:
        raise ApplicationError(
            f"Commit {sha[:12]}: refused {path}: {exc}. Nothing was changed.",
            code="bad_input",
            extra={"errors": [str(exc)]},
        ) from None
    except ApplicationError as exc:
        raise ApplicationError(
            f"Commit {sha[:12]}: {exc.message}", code=exc.code, extra=exc.extra
        ) from None


def source_sync(*, source_id: int, force: bool = False) -> SyncOutcome | None:
    """Pull the source: import its file if the branch head moved. None when the source is
    gone. Never raises for a repository or a file that is wrong: the outcome (and the source)
    say what happened."""
    source = Source.objects.select_related("roadmap").filter(pk=source_id).first()
    if source is None:
        return None
    slug = source.roadmap.slug
    try:
        fetched = source_fetch(source=source, slug=slug, force=force)
    except ApplicationError as exc:
        return _record(source, slug=slug, status=SyncStatus.ERROR, message=exc.message)
    if fetched.data is None:
        Source.objects.filter(pk=source.pk).update(last_sync_at=timezone.now())
        message = (
            f"Branch {source.branch!r} is still at {fetched.sha[:12]}: nothing to import."
            if fetched.sha == source.synced_sha
            else f"Commit {fetched.sha[:12]} was refused before: {source.last_message}"
        )
        return SyncOutcome(slug=slug, status=UNCHANGED, sha=fetched.sha, message=message)
    return source_apply(source=source, slug=slug, sha=fetched.sha, data=fetched.data)


def source_apply(*, source: Source, slug: str, sha: str, data: bytes) -> SyncOutcome:
    """Import the file fetched for the source (``data``, at commit ``sha``) and record what
    came of it."""
    try:
        report = source_import(slug=slug, path=source.path, sha=sha, data=data)
    except ApplicationError as exc:
        errors = list(exc.extra.get("errors", []))
        return _record(
            source,
            slug=slug,
            status=SyncStatus.REFUSED,
            sha=sha,
            message=exc.message,
            errors=errors,
        )
    return _record(
        source,
        slug=slug,
        status=SyncStatus.OK,
        sha=sha,
        message=f"Commit {sha[:12]}: {report.summary()}",
        warnings=report.warnings,
    )


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
    if status == SyncStatus.OK:
        values["synced_sha"] = sha
    Source.objects.filter(pk=source.pk).update(**values)
    if status == SyncStatus.OK:
        logger.info("Synced %s from %s: %s", slug, source.url, message)
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
