"""learnmap import FILE [--slug SLUG] [--dry-run] [--rename "Old title=New title" ...]: import
(or update) a roadmap from Markdown, or only show what the import would do.

The dry run prints the import's plan (``services.roadmap_import_plan``): what would be added,
retired (with how many learners have marks on each retired item), restored, updated, and which
items would be paired with stored ones by which matching rule. ``--rename`` pins a pairing the
rules miss, for the dry run and the real import alike."""

from django.core.management.base import CommandError

from learnmap.catalog import services
from learnmap.core.errors import ApplicationError
from learnmap.core.management.base import DatabaseCommand


class Command(DatabaseCommand):
    help = "Import a Markdown roadmap, or update the one with the same slug in place."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the Markdown file")
        parser.add_argument("--slug", help="the roadmap's slug (default: from the file name)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="only print what the import would add, retire and match (nothing is written)",
        )
        parser.add_argument(
            "--rename",
            action="append",
            default=[],
            metavar="OLD=NEW",
            help='pair a stored item with one of the file by their titles, "Old title=New '
            'title", where the matching rules do not (repeatable)',
        )

    def handle(self, *args, file: str, slug: str | None, dry_run: bool, rename, **options):
        try:
            if dry_run:
                plan = services.roadmap_import_file_plan(path=file, slug=slug, renames=rename)
            else:
                report = services.roadmap_import_file(path=file, slug=slug, renames=rename)
        except ApplicationError as exc:
            # The first error is in the message; the others follow it, one per line.
            for line in exc.extra.get("errors", [])[1:]:
                self.stderr.write(line)
            raise CommandError(exc.message) from None
        for warning in (plan if dry_run else report).warnings:
            self.stderr.write(warning)
        if dry_run:
            self.stdout.write(f"Dry run of importing {file} (nothing was written).")
            for line in plan.lines():
                self.stdout.write(line)
            return
        self.stdout.write(report.summary())
