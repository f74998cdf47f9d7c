"""learnmap sources add|list|remove|secret|patch|drop-changes: the Git repositories
roadmaps follow, and the changes accepted on the site that they lack.

    learnmap sources add SLUG URL [--branch main] [--path README.md] [--push] [--no-sync]
    learnmap sources list
    learnmap sources remove SLUG
    learnmap sources secret SLUG [--rotate]
    learnmap sources patch SLUG > changes.patch     # `git am` applies it
    learnmap sources drop-changes SLUG              # after a conflict settled upstream

``add`` fetches the branch at once (a URL, branch or path git cannot read stores nothing) and
imports the file, then prints the webhook's address part and secret. A token never goes into
the URL in clear: name an environment variable (README, "Following a Git repository").
"""

from __future__ import annotations

from django.core.management.base import CommandError

from learnmap.core.management.base import DatabaseCommand
from learnmap.sources import selectors, services


class Command(DatabaseCommand):
    help = "Add, list or remove the Git repositories that roadmaps follow."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(
            dest="action",
            required=True,
            metavar="add|list|remove|secret|patch|drop-changes",
        )
        add = actions.add_parser("add", help="make a roadmap follow a file in a Git repository")
        add.add_argument("slug", help="the roadmap's slug (imported from the file if new)")
        add.add_argument(
            "url",
            help="any URL git understands, or a local path; a token as ${LEARNMAP_GIT_...}",
        )
        add.add_argument("--branch", default="main", help="the branch to follow (main)")
        add.add_argument("--path", default="README.md", help="the file in the repository")
        add.add_argument("--push", action="store_true", help="accepted changes may be pushed")
        add.add_argument(
            "--interval", type=int, default=0, help="seconds between pulls (0: the setting)"
        )
        add.add_argument(
            "--no-sync", action="store_true", help="do not fetch now (the roadmap must exist)"
        )
        actions.add_parser("list", help="list the sources and their last sync")
        remove = actions.add_parser("remove", help="stop following (the roadmap stays)")
        remove.add_argument("slug")
        secret = actions.add_parser("secret", help="show the webhook secret")
        secret.add_argument("slug")
        secret.add_argument("--rotate", action="store_true", help="make a new one first")
        patch = actions.add_parser("patch", help="print the accepted changes upstream lacks")
        patch.add_argument("slug")
        drop = actions.add_parser(
            "drop-changes", help="forget the accepted changes upstream lacks, then sync"
        )
        drop.add_argument("slug")

    def handle(self, *args, action: str, **options):
        getattr(self, f"_{action.replace('-', '_')}")(**options)

    def _add(self, *, slug, url, branch, path, push, interval, no_sync, **options):
        if interval < 0:
            raise CommandError("--interval must not be negative.")
        added = services.source_add(
            slug=slug,
            url=url,
            branch=branch,
            path=path,
            push_allowed=push,
            interval=interval,
            sync=not no_sync,
        )
        self.stdout.write(f"{slug} now follows {added.source.url} ({branch}, {path}).")
        self._webhook(slug, added.secret)
        if added.outcome is not None:
            self._outcome(added.outcome)

    def _list(self, **options):
        sources = list(selectors.source_list())
        if not sources:
            self.stdout.write(
                "No roadmap follows a repository: add one with `learnmap sources add`."
            )
            return
        for s in sources:
            when = f"{s.last_sync_at:%Y-%m-%d %H:%M}" if s.last_sync_at else "never"
            self.stdout.write(
                f"{s.roadmap.slug}  {s.url}  {s.branch}:{s.path}"
                f"{'  (push)' if s.push_allowed else ''}  {s.last_status} {when}"
                f"{'  ' + s.synced_sha[:12] if s.synced_sha else ''}"
            )
            if s.last_status in ("refused", "error", "conflict", "waiting"):
                for line in s.last_message.splitlines():
                    self.stdout.write(f"    {line}")
            if s.changes_status:
                self.stdout.write(f"    accepted changes: {s.changes_message}")

    def _remove(self, *, slug, **options):
        services.source_remove(slug=slug)
        self.stdout.write(f"{slug} no longer follows a repository (the roadmap stays).")

    def _secret(self, *, slug, rotate, **options):
        secret = (
            services.source_secret_rotate(slug=slug)
            if rotate
            else selectors.source_get(slug=slug).webhook_secret
        )
        self._webhook(slug, secret)

    def _patch(self, *, slug, **options):
        _name, data = services.changes_patch(slug=slug)
        self.stdout.write(data.decode("utf-8", "replace"), ending="")

    def _drop_changes(self, *, slug, **options):
        dropped = services.changes_discard(slug=slug)
        self.stdout.write(
            f"{slug}: {dropped} accepted change(s) the repository lacked were dropped; the "
            "next sync imports the repository's file."
        )

    def _webhook(self, slug: str, secret: str) -> None:
        self.stdout.write(f"Webhook: POST https://<this site>/hooks/git/{slug}")
        self.stdout.write(f"Webhook secret: {secret}")

    def _outcome(self, outcome: services.SyncOutcome) -> None:
        for warning in outcome.warnings:
            self.stderr.write(warning)
        if outcome.failed:
            for line in outcome.errors[1:]:
                self.stderr.write(line)
            raise CommandError(outcome.message)
        self.stdout.write(outcome.message)
