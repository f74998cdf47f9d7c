"""learnmap import FILE [--slug SLUG]: import (or update) a roadmap from Markdown."""

from django.core.management.base import CommandError

from learnmap.catalog import services
from learnmap.core.errors import ApplicationError
from learnmap.core.management.base import DatabaseCommand


class Command(DatabaseCommand):
    help = "Import a Markdown roadmap, or update the one with the same slug in place."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the Markdown file")
        parser.add_argument("--slug", help="the roadmap's slug (default: from the file name)")

    def handle(self, *args, file: str, slug: str | None, **options):
        try:
            report = services.roadmap_import_file(path=file, slug=slug)
        except ApplicationError as exc:
            # The first error is in the message; the others follow it, one per line.
            for line in exc.extra.get("errors", [])[1:]:
                self.stderr.write(line)
            raise CommandError(exc.message) from None
        for warning in report.warnings:
            self.stderr.write(warning)
        self.stdout.write(report.summary())
