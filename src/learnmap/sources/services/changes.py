"""Sending the changes accepted on the site back to the roadmap's repository.

An accepted proposal, an introduction fix or a revert is recorded in its own transaction
(``change_record``, the receiver of ``contributions.signals.change_accepted``) with the
roadmap's Markdown as it now is, and a sync is queued for when it commits: the moderator's
accept never waits for git. The sync (``services.sync``, holding the clone's lock) commits
each recorded change to the branch ``SOURCES_CHANGES_BRANCH`` (``changes_commit``: author the
contributor, committer Learnmap, the file exactly what the catalog exported), rebases the
branch onto the repository's head, and pushes it when the source allows it
(``changes_push``); otherwise the maintainer page offers the patch (``changes_patch``).
A failure is recorded on the source; the next sync (a webhook's, the schedule's, the next
accept's) tries again, so no accepted change is lost on the way.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from learnmap.catalog import services as catalog_services
from learnmap.core.errors import ApplicationError, NotFound
from learnmap.sources import branch, git, remote
from learnmap.sources.models import ChangesStatus, OutgoingChange, Source
from learnmap.sources.services.queue import sync_enqueue

logger = logging.getLogger(__name__)
HOST_RE = re.compile(r"\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*")  # a host name, not "*" nor [::1]


def noreply_domain() -> str:
    configured = settings.SOURCES_NOREPLY_DOMAIN.strip()
    if configured:
        return configured
    hosts = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if HOST_RE.fullmatch(h)]
    return f"users.noreply.{hosts[0] if hosts else 'localhost'}"


def committer() -> branch.Identity:
    return branch.Identity(
        name=settings.SOURCES_COMMITTER_NAME, email=f"learnmap@{noreply_domain()}"
    )


def identity_for(user) -> branch.Identity:
    """A contributor as a commit's author: their display name, and a no-reply address."""
    if user is None:
        return committer()
    username = user.get_username()
    name = (user.get_full_name() or "").strip() or username
    local = re.sub(r"[^A-Za-z0-9._+-]", "-", username).strip(".-") or f"user-{user.pk}"
    return branch.Identity(name=_one_line(name), email=f"{local}@{noreply_domain()}")


def _one_line(text: str) -> str:
    return " ".join(text.replace("<", "").replace(">", "").split())


def _shown(user) -> str:
    if user is None:
        return "a moderator"
    return _one_line((user.get_full_name() or "").strip() or user.get_username())


def _message(*, summary: str, moderator, proposal_id, change_id, reverted: bool) -> str:
    verb = "Reverted" if reverted else "Accepted"
    trailers = []
    if proposal_id:
        trailers.append(f"Learnmap-Proposal: {proposal_id}")
    if change_id:
        trailers.append(f"Learnmap-Change: {change_id}")
    body = f"{verb} by {_shown(moderator)} on Learnmap."
    return f"{_one_line(summary)}\n\n{body}\n\n" + "\n".join(trailers) + "\n"


def change_record(
    *,
    roadmap_slug: str,
    change_id: int | None,
    proposal_id: int | None,
    contributor,
    moderator,
    summary: str,
    reverted: bool = False,
) -> OutgoingChange | None:
    """Remember an accepted change of a roadmap that follows a repository (None when it does
    not), with the Markdown as it now is, and queue the sync that commits it. Runs inside the
    accept's transaction: the record commits with the change or not at all."""
    source = Source.objects.filter(roadmap__slug=roadmap_slug).only("pk").first()
    if source is None:
        return None
    author = identity_for(contributor)
    row = OutgoingChange.objects.create(
        source=source,
        change_id=change_id,
        text=catalog_services.roadmap_export(slug=roadmap_slug),
        author_name=author.name,
        author_email=author.email,
        message=_message(
            summary=summary,
            moderator=moderator,
            proposal_id=proposal_id,
            change_id=change_id,
            reverted=reverted,
        ),
    )
    sync_enqueue(source_id=source.pk)
    return row


def change_accepted_receiver(sender, **kwargs) -> None:
    """``contributions.signals.change_accepted``: the change, recorded for its repository."""
    change_record(
        roadmap_slug=kwargs["roadmap_slug"],
        change_id=kwargs.get("change_id"),
        proposal_id=kwargs.get("proposal_id"),
        contributor=kwargs.get("contributor"),
        moderator=kwargs.get("moderator"),
        summary=kwargs["summary"],
        reverted=bool(kwargs.get("reverted")),
    )


def changes_waiting(*, source: Source, slug: str) -> bool:
    """Whether a change accepted on the site is not on the branch yet, with the roadmap's row
    locked until the transaction ends: a sync imports nothing over such a change (the sync
    its accept queued commits it first)."""
    catalog_services.roadmap_source_for_update(slug=slug)
    return OutgoingChange.objects.filter(source=source, sha="").exists()


def changes_commit(*, source: Source, clone: git.Clone) -> int:
    """Commit each recorded change not on the branch yet, oldest first (a change the branch
    holds already makes no commit); how many commits were made. The caller holds the clone's
    lock. The branch starts at the commit whose file the catalog holds."""
    rows = list(OutgoingChange.objects.filter(source=source, sha="").order_by("pk"))
    if not rows:
        return 0
    ref = branch.local_ref(settings.SOURCES_CHANGES_BRANCH)
    tip = parent = branch.sha_of(clone, ref)
    if not parent and source.synced_sha:
        parent = branch.sha_of(clone, source.synced_sha)
    parent = parent or branch.sha_of(clone, branch.upstream_ref(source.branch))
    if not parent:
        return 0  # no clone yet: the sync fetches, then commits
    made = 0
    for row in rows:
        new = branch.commit_file(
            clone=clone,
            parent=parent,
            path=source.path,
            data=row.text.encode("utf-8"),
            author=branch.Identity(name=row.author_name, email=row.author_email),
            committer=committer(),
            message=row.message,
        )
        if new is not None:
            branch.ref_move(clone, ref=ref, new=new, old=tip)
            tip = parent = new
            made += 1
        # On the branch now: its copy of the Markdown is not needed any more.
        OutgoingChange.objects.filter(pk=row.pk).update(sha=parent, text="")
    # The catalog holds the last change's file: that commit, now.
    Source.objects.filter(pk=source.pk).update(synced_sha=parent)
    source.synced_sha = parent
    logger.info("Committed %s accepted change(s) of %s to %s.", made, source.url, ref)
    return made


def _record(source: Source, status: str, message: str, **values) -> None:
    values.update(changes_status=status, changes_message=message, changes_at=timezone.now())
    Source.objects.filter(pk=source.pk).update(**values)
    for name, value in values.items():
        setattr(source, name, value)


def changes_push(*, source: Source, clone: git.Clone) -> str:
    """Send the branch's commits the repository lacks: pushed when the source allows it, else
    left for the maintainer's patch. The status recorded on the source. The caller holds the
    clone's lock."""
    name = settings.SOURCES_CHANGES_BRANCH
    tip = branch.sha_of(clone, branch.local_ref(name))
    upstream = branch.sha_of(clone, branch.upstream_ref(source.branch))
    waiting = branch.ahead(clone, base=upstream, tip=tip) if tip else []
    if not waiting:
        if source.changes_status:
            _record(source, ChangesStatus.NONE, "")
        return ChangesStatus.NONE
    count = f"{len(waiting)} commit(s) on {name!r}"
    if not source.push_allowed:
        _record(source, ChangesStatus.LOCAL, f"{count} wait: download the patch.")
        return ChangesStatus.LOCAL
    resolved = None
    try:
        resolved = remote.url_resolve(source.url)
        there = branch.remote_head(clone=clone, remote=resolved, name=name, shown_url=source.url)
        lease = ""
        if there and there != tip and not branch.is_ancestor(clone, older=there, newer=tip):
            if there != source.pushed_sha:
                raise ApplicationError(
                    f"The repository's branch {name!r} holds commits Learnmap did not push "
                    f"(its head is {there[:12]}): merge or delete that branch in the "
                    "repository; the next sync pushes again.",
                    code="push_refused",
                )
            lease = there  # Learnmap's own last push, before the branch was rebased
        if there != tip:
            branch.push(
                clone=clone, remote=resolved, name=name, tip=tip, lease=lease, shown_url=source.url
            )
    except ApplicationError as exc:
        message = remote.scrub(exc.message, secrets=resolved.secrets if resolved else ())
        message = f"{count} not pushed: {message} The next sync tries again."
        logger.warning("Could not push the accepted changes of %s: %s", source.url, message)
        _record(source, ChangesStatus.FAILED, message)
        return ChangesStatus.FAILED
    _record(source, ChangesStatus.PUSHED, f"{count}, pushed.", pushed_sha=tip)
    logger.info("Pushed %s of %s to %s.", count, source.roadmap_id, remote.scrub(source.url))
    return ChangesStatus.PUSHED


def changes_patch(*, slug: str) -> tuple[str, bytes]:
    """The accepted changes the repository lacks, as ``git format-patch`` writes them: the
    file's name, and the patch (``git am`` applies it)."""
    source = Source.objects.select_related("roadmap").filter(roadmap__slug=slug).first()
    if source is None:
        raise NotFound(f"The roadmap {slug!r} does not follow a repository.", code="no_source")
    clone = git.clone_for(slug=slug)
    name = settings.SOURCES_CHANGES_BRANCH
    with git.clone_locked(clone):
        changes_commit(source=source, clone=clone)
        tip = branch.sha_of(clone, branch.local_ref(name))
        upstream = branch.sha_of(clone, branch.upstream_ref(source.branch))
        if not tip or not branch.ahead(clone, base=upstream, tip=tip):
            raise NotFound(
                "No accepted change waits to be sent to the repository.", code="no_changes"
            )
        data = branch.patch(clone=clone, base=upstream, tip=tip)
    return f"{slug}-{name.replace('/', '-')}.patch", data


@transaction.atomic
def changes_discard(*, slug: str) -> int:
    """Forget the accepted changes the repository lacks (after a conflict the maintainer
    settled in the repository); the next sync imports the repository's file. How many
    commits were dropped."""
    source = Source.objects.select_related("roadmap").filter(roadmap__slug=slug).first()
    if source is None:
        raise NotFound(f"The roadmap {slug!r} does not follow a repository.", code="no_source")
    clone = git.clone_for(slug=slug)
    ref = branch.local_ref(settings.SOURCES_CHANGES_BRANCH)
    with git.clone_locked(clone):
        tip = branch.sha_of(clone, ref)
        upstream = branch.sha_of(clone, branch.upstream_ref(source.branch))
        dropped = len(branch.ahead(clone, base=upstream, tip=tip)) if tip else 0
        OutgoingChange.objects.filter(source=source, sha="").update(sha="discarded", text="")
        if tip:
            branch.ref_delete(clone, ref=ref)
        Source.objects.filter(pk=source.pk).update(synced_sha="", last_sha="")
        _record(source, ChangesStatus.NONE, "")
    sync_enqueue(source_id=source.pk)
    return dropped
