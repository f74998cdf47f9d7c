"""What the next sync of a source would do, worked out without applying it (the maintainer
page's preview): the branch is fetched, the accepted changes replayed on it as the sync does,
and the catalog's plan made of its file (``roadmap_import_plan``: the same plan the import
applies). Only the clone changes (the fetch); the catalog and the source stay as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from learnmap import roadmap_md
from learnmap.catalog import services as catalog_services
from learnmap.core.errors import ApplicationError
from learnmap.sources import branch, git, remote, selectors
from learnmap.sources.models import Source, SyncStatus
from learnmap.sources.services.importing import source_plan
from learnmap.sources.services.sync import _replayed, confirm_retiring


@dataclass(frozen=True)
class Preview:
    """``upstream``: the branch's head (what "Apply this commit" applies); ``sha``: the commit
    whose file is planned (the head, or the site's accepted changes rebased onto it).
    ``plan`` is None when there is nothing to plan: ``problem`` says why (the repository out
    of reach, a conflict, the file's errors). ``pin_error``: a rename pin refused (naming its
    title); the plan is then the one without pins."""

    source: Source
    upstream: str = ""
    sha: str = ""
    plan: catalog_services.ImportPlan | None = None
    problem: str = ""
    pin_error: str = ""

    @property
    def waiting(self) -> bool:
        """The source waits for a yes on this very head."""
        return (
            self.source.last_status == SyncStatus.WAITING
            and self.source.pending_sha == self.upstream
        )

    @property
    def would_wait(self) -> bool:
        """A sync of this head would wait for a maintainer (it retires marked items)."""
        return bool(self.plan and self.plan.marks_retired and confirm_retiring(self.source))


def renames_parse(text: str) -> list[str]:
    """The pins of a form's text: one "Old title=New title" a line, blank lines left out."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def source_preview(*, slug: str, renames: Sequence[str] = ()) -> Preview:
    """Fetch the source's branch and plan its file as the next sync would import it."""
    source = selectors.source_get(slug=slug)
    clone = git.clone_for(slug=slug)
    with git.clone_locked(clone):
        try:
            upstream = git.fetch(
                clone=clone,
                remote=remote.url_resolve(source.url),
                branch=source.branch,
                shown_url=source.url,
            )
        except ApplicationError as exc:
            return Preview(source=source, problem=exc.message)
        try:
            sha, _tip = _replayed(source, clone=clone, upstream=upstream)
            data = git.file_read(
                clone=clone,
                sha=sha,
                path=source.path,
                branch=source.branch,
                max_bytes=roadmap_md.MAX_BYTES,
            )
        except (branch.RebaseConflict, ApplicationError) as exc:
            return Preview(source=source, upstream=upstream, problem=exc.message)
        pin_error = ""
        try:
            plan = _plan(source, slug=slug, sha=sha, data=data, renames=renames)
        except ApplicationError as exc:
            if exc.code != "bad_rename" or not renames:
                return Preview(source=source, upstream=upstream, sha=sha, problem=exc.message)
            pin_error = exc.message
            try:
                plan = _plan(source, slug=slug, sha=sha, data=data, renames=())
            except ApplicationError as again:
                return Preview(
                    source=source,
                    upstream=upstream,
                    sha=sha,
                    problem=again.message,
                    pin_error=pin_error,
                )
    return Preview(source=source, upstream=upstream, sha=sha, plan=plan, pin_error=pin_error)


def _plan(
    source: Source, *, slug: str, sha: str, data: bytes, renames: Sequence[str]
) -> catalog_services.ImportPlan:
    return source_plan(slug=slug, path=source.path, sha=sha, data=data, renames=renames)
