"""learnmap roadmaps: list the roadmaps in the catalog."""

from django.core.management.base import BaseCommand

from learnmap.catalog import selectors


class Command(BaseCommand):
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
                f"{r.resource_count} resources, {origin} {r.imported_at:%Y-%m-%d %H:%M})"
            )
