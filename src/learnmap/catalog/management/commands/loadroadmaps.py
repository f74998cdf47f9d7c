"""learnmap loadroadmaps: import the built-in roadmaps (content/*.md) that are new or changed."""

from django.core.management.base import CommandError

from learnmap.catalog import services
from learnmap.core.errors import ApplicationError
from learnmap.core.management.base import DatabaseCommand


class Command(DatabaseCommand):
    help = "Load the built-in roadmaps: every Markdown file in content/ that is new or changed."

    def handle(self, *args, **options):
        try:
            reports = services.roadmaps_load_builtin()
        except ApplicationError as exc:
            raise CommandError(f"A built-in roadmap could not be loaded: {exc}") from None
        for report in reports:
            self.stdout.write(report.summary())
