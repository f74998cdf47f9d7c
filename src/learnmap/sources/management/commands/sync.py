"""learnmap sync [SLUG ...|--all] [--force]: pull roadmaps from their Git repositories now.

Each source's branch is fetched; when its head moved, the file is imported as ``learnmap
import`` does (lint errors refuse it and change nothing). Exits with an error when any source
could not be synced.
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

    def handle(self, *args, slugs: list[str], all: bool, force: bool, **options):
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
            outcome = services.source_sync(source_id=source.pk, force=force)
            if outcome is None:
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
