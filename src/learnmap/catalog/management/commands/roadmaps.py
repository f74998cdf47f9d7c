"""learnmap roadmaps: list the roadmaps in the catalog."""

from learnmap.catalog import selectors
from learnmap.core.management.base import DatabaseCommand


class Command(DatabaseCommand):
    help = "List the roadmaps in the catalog."

    def handle(self, *args, **options):
        roadmaps = list(selectors.roadmap_list())
        if not roadmaps:
            self.stdout.write("No roadmaps yet: import one with `learnmap import FILE`.")
            return
        width = max(len(r.slug) for r in roadmaps)
        for r in roadmaps:
            origin = "built-in" if r.builtin else "imported"
            self.stdout.write(
                f"{r.slug:<{width}}  {r.title}  ({r.section_count} sections, "
                f"{r.topic_count} topics, {r.resource_count} resources, "
                f"{origin} {r.imported_at:%Y-%m-%d %H:%M})"
            )
