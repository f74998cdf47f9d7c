"""learnmap sync [SLUG ...|--all] [--force] [--yes] [--rename "Old=New" ...]: pull roadmaps
from their Git repositories now.

Each source's branch is fetched; when its head moved, the file is imported as ``learnmap
import`` does (lint errors refuse it and change nothing). Exits with an error when any source
could not be synced. A file that would retire items carrying learners' marks waits for a
maintainer (the plan is printed, exit 0): ``--yes`` imports it, with ``--rename`` pins for the
pairings the rules miss (as ``learnmap import --rename``).
"""

from __future__ import annotations

from django.core.management.base import CommandError

from learnmap.core.management.base import DatabaseCommand
from learnmap.sources import selectors, services


class Command(DatabaseCommand):
    help = "Pull roadmaps from the Git repositories they follow, and import what changed."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="the roadmaps to pull")
        parser.add_argument("--all", action="store_true", help="every roadmap with a source")
        parser.add_argument(
            "--force", action="store_true", help="import the file even if the head did not move"
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="import even if items carrying learners' marks are retired (a waiting commit)",
        )
        parser.add_argument(
            "--rename",
            action="append",
            default=[],
            metavar="OLD=NEW",
            help='pin a pairing the rules miss: "Old title=New title" (repeatable)',
        )

    def handle(
        self,
        *args,
        slugs: list[str],
        all: bool,
        force: bool,
        yes: bool,
        rename: list[str],
        **options,
    ):
        if bool(slugs) == all:
            raise CommandError("Name the roadmaps to sync (SLUG ...) or use --all, not both.")
        sources = (
            list(selectors.source_list()) if all else [selectors.source_get(slug=s) for s in slugs]
        )
        if not sources:
            self.stdout.write("No roadmap follows a repository.")
            return
        failed = []
        for source in sources:
            outcome = services.source_sync(
                source_id=source.pk, force=force, yes=yes, renames=rename
            )
            if outcome is None:
                continue
            if outcome.status == "waiting":
                for line in outcome.plan.lines() if outcome.plan else []:
                    self.stdout.write(f"    {line}")
                self.stdout.write(f"{outcome.slug}: {outcome.message}")
                continue
            for warning in outcome.warnings:
                self.stderr.write(warning)
            if outcome.failed:
                failed.append(outcome.slug)
                self.stderr.write(f"{outcome.slug}: {outcome.message}")
                for line in outcome.errors[1:]:
                    self.stderr.write(f"    {line}")
            else:
                self.stdout.write(f"{outcome.slug}: {outcome.message}")
        if failed:
            raise CommandError(f"Could not sync: {', '.join(failed)}.")
