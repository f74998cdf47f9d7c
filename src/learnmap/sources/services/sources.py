"""Adding, changing and removing a roadmap's Git source, and its webhook secret."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction

from learnmap.catalog import selectors as catalog_selectors
from learnmap.core.errors import ApplicationError, NotFound
from learnmap.sources import git, remote
from learnmap.sources.models import Source, SyncStatus
from learnmap.sources.services.sync import (
    SyncOutcome,
    source_apply,
    source_fetch,
    source_import,
    source_record_synced,
)


def secret_new() -> str:
    """A webhook secret: 256 random bits, URL- and header-safe."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class SourceAdded:
    source: Source
    secret: str  # shown to the operator once (``learnmap sources secret`` shows it again)
    outcome: SyncOutcome | None  # the first sync (None with sync=False)


def source_settings_check(*, url: str, branch: str, path: str) -> tuple[str, str, str]:
    """The URL, branch and path as stored, or an ApplicationError naming what is wrong."""
    return remote.url_check(url), git.branch_check(branch), git.path_check(path)


def source_add(
    *,
    slug: str,
    url: str,
    branch: str = "main",
    path: str = "README.md",
    push_allowed: bool = False,
    interval: int = 0,
    sync: bool = True,
) -> SourceAdded:
    """Make roadmap ``slug`` follow the file ``path`` of ``branch`` in the repository ``url``.

    With ``sync`` (the default) the branch is fetched first: a URL, branch or path git cannot
    read stores nothing. A roadmap not in the catalog yet is imported from the file (lint
    errors refuse it and store nothing); an existing one is synced from it at once.
    """
    url, branch, path = source_settings_check(url=url, branch=branch, path=path)
    if Source.objects.filter(roadmap__slug=slug).exists():
        raise ApplicationError(
            f"The roadmap {slug!r} already follows a repository: remove that source first "
            f"(learnmap sources remove {slug}).",
            code="source_exists",
        )
    try:
        roadmap = catalog_selectors.roadmap_get(slug=slug)
    except NotFound:
        if not sync:
            raise
        roadmap = None
    draft = Source(url=url, branch=branch, path=path)
    fetched = source_fetch(source=draft, slug=slug, force=True) if sync else None
    secret = secret_new()
    outcome = None
    with transaction.atomic():
        if roadmap is None and fetched is not None:
            # A new roadmap: imported with its source, or neither (lint errors refuse both).
            data = fetched.data or b""
            report = source_import(slug=slug, path=path, sha=fetched.sha, data=data)
            roadmap = catalog_selectors.roadmap_get(slug=slug)
            outcome = SyncOutcome(
                slug=slug,
                status=SyncStatus.OK,
                sha=fetched.sha,
                message=f"Commit {fetched.sha[:12]}: {report.summary()}",
                warnings=report.warnings,
            )
        source = Source.objects.create(
            roadmap=roadmap,
            url=url,
            branch=branch,
            path=path,
            push_allowed=push_allowed,
            interval=interval,
            webhook_secret=secret,
        )
    if outcome is not None:
        source_record_synced(source=source, sha=outcome.sha, message=outcome.message)
    elif fetched is not None:
        outcome = source_apply(source=source, slug=slug, sha=fetched.sha, data=fetched.data or b"")
    source.refresh_from_db()
    return SourceAdded(source=source, secret=secret, outcome=outcome)


def source_remove(*, slug: str) -> None:
    """Stop following the repository (the roadmap stays as it is); its local clone goes."""
    deleted, _ = Source.objects.filter(roadmap__slug=slug).delete()
    if not deleted:
        raise NotFound(f"The roadmap {slug!r} does not follow a repository.", code="no_source")
    git.clone_remove(git.clone_for(slug=slug))


def source_secret_rotate(*, slug: str) -> str:
    """A new webhook secret for the source (the old one stops working at once)."""
    secret = secret_new()
    if not Source.objects.filter(roadmap__slug=slug).update(webhook_secret=secret):
        raise NotFound(f"The roadmap {slug!r} does not follow a repository.", code="no_source")
    return secret
