"""``learnmap proposals``: the review queue for maintainers who live in a terminal.

    learnmap proposals list [--roadmap SLUG] [--status open]
    learnmap proposals accept ID [--as USERNAME]
    learnmap proposals decline ID --reason TEXT [--as USERNAME]

A decision is made by a person: ``--as`` names the moderator (staff, or a moderator of the
proposal's roadmap), who is recorded in the history and the audit log. Without ``--as`` it is
the site's superuser when there is exactly one (a laptop install); otherwise the command
refuses and asks who.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import timezone

from learnmap.accounts import selectors as account_selectors
from learnmap.catalog import selectors as catalog_selectors
from learnmap.contributions import selectors, services
from learnmap.contributions.models import ProposalStatus
from learnmap.core.management.base import DatabaseCommand

AS_HELP = (
    "the moderator who decides: a staff member's or the roadmap's moderator's username or "
    "email; by default the only superuser, when there is exactly one"
)


def _title(proposal) -> str:
    title = proposal.fields.get("title") or (proposal.resource.title if proposal.resource else "")
    return title or "(untitled)"


class Command(DatabaseCommand):
    help = (
        "List proposals, accept or decline one. A decision is made as a moderator: --as "
        "USERNAME, or by default the site's only superuser when there is exactly one."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", metavar="{list,accept,decline}")
        commands.required = True
        listing = commands.add_parser("list", help="proposals, oldest first")
        listing.add_argument("--roadmap", metavar="SLUG", help="only this roadmap's")
        listing.add_argument(
            "--status",
            choices=ProposalStatus.values,
            default=ProposalStatus.OPEN,
            help="only the proposals in this state (default: open)",
        )
        accept = commands.add_parser("accept", help="apply a proposal to its roadmap")
        accept.add_argument("id", type=int, help="the proposal's id (see `proposals list`)")
        accept.add_argument("--as", dest="acting", metavar="USERNAME", help=AS_HELP)
        decline = commands.add_parser("decline", help="decline a proposal, with a reason")
        decline.add_argument("id", type=int, help="the proposal's id")
        decline.add_argument("--reason", required=True, help="what the contributor is told")
        decline.add_argument("--as", dest="acting", metavar="USERNAME", help=AS_HELP)

    def handle(self, *args, **options):
        action = options["action"]
        if action == "list":
            self._list(options["roadmap"], options["status"])
        elif action == "accept":
            self._accept(options["id"], self._moderator(options["acting"]))
        elif action == "decline":
            self._decline(options["id"], self._moderator(options["acting"]), options["reason"])
        else:  # pragma: no cover - argparse refuses others
            raise CommandError(f"Unknown action {action!r}.")

    def _moderator(self, reference: str | None):
        if reference:
            return account_selectors.user_find(reference=reference)
        superusers = list(get_user_model().objects.filter(is_superuser=True, is_active=True)[:2])
        if len(superusers) != 1:
            raise CommandError(
                "Say who decides: --as USERNAME (a staff member or a moderator of the "
                "roadmap); without it, the site's only superuser would, and there "
                f"{'is none' if not superusers else 'are several'}."
            )
        self.stderr.write(f"Acting as {superusers[0].get_username()} (the only superuser).")
        return superusers[0]

    def _list(self, slug: str | None, status: str) -> None:
        roadmap = catalog_selectors.roadmap_header_get(slug=slug) if slug else None
        proposals = list(selectors.proposal_list_all(roadmap=roadmap, status=status))
        if not proposals:
            self.stdout.write(f"No {status} proposals.")
            return
        for p in proposals:
            self.stdout.write(
                f"{p.pk:>5}  {timezone.localtime(p.created_at):%Y-%m-%d %H:%M %Z}  "
                f"{p.status}  {p.kind}  "
                f"{p.roadmap.slug} / {p.node.title}  “{_title(p)}”  by {p.author.get_username()}"
            )

    def _accept(self, proposal_id: int, moderator) -> None:
        change = services.proposal_accept(proposal_id=proposal_id, moderator=moderator)
        self.stdout.write(
            f"Accepted proposal {proposal_id}: {change.summary} "
            f"(revision {change.revision}, change {change.pk})."
        )

    def _decline(self, proposal_id: int, moderator, reason: str) -> None:
        services.proposal_decline(proposal_id=proposal_id, moderator=moderator, reason=reason)
        self.stdout.write(f"Declined proposal {proposal_id}: {' '.join(reason.split())}")
