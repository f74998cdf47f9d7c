"""``learnmap history SLUG``: a roadmap's accepted changes, newest first, one line each (time,
summary, author, moderator); ``--diff`` prints each change's diff of the Markdown under it."""

from __future__ import annotations

from django.utils import timezone

from learnmap.catalog import selectors as catalog_selectors
from learnmap.contributions import selectors
from learnmap.core.management.base import DatabaseCommand


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def _name(user) -> str:
    return user.get_username() if user is not None else "(deleted account)"


class Command(DatabaseCommand):
    help = "A roadmap's history of accepted changes, newest first (--diff: with their diffs)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the roadmap's slug (see `learnmap roadmaps`)")
        parser.add_argument("--diff", action="store_true", help="print each change's diff")
        parser.add_argument(
            "--limit", type=_positive, default=None, help="only the N newest changes"
        )

    def handle(self, *args, **options):
        roadmap = catalog_selectors.roadmap_header_get(slug=options["slug"])
        changes = list(selectors.change_list(roadmap=roadmap, limit=options["limit"]))
        if not changes:
            self.stdout.write(f"No changes to {roadmap.slug} yet.")
            return
        for change in changes:
            self.stdout.write(
                f"{timezone.localtime(change.created_at):%Y-%m-%d %H:%M %Z}  "
                f"r{change.revision}  {change.summary}  (author {_name(change.author)}, "
                f"moderator {_name(change.moderator)}, change {change.pk})"
            )
            if options["diff"]:
                self.stdout.write(change.diff, ending="" if change.diff.endswith("\n") else "\n")
