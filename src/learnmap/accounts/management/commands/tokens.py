"""``learnmap tokens``: personal access tokens for operators.

    learnmap tokens list [--user ada]                 tokens that are not revoked
    learnmap tokens create --user ada --name backup [--expires-in-days 90]
    learnmap tokens revoke lm_Ab3dEf9h                by its prefix (or its id)

``create`` prints the secret once; only its hash is stored.
"""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils import timezone

from learnmap.accounts import selectors, services
from learnmap.core.management.base import DatabaseCommand


class Command(DatabaseCommand):
    help = "List, make and revoke personal access tokens for the API."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", metavar="{list,create,revoke}")
        commands.required = True
        listing = commands.add_parser("list", help="tokens that are not revoked")
        listing.add_argument("--user", help="only this user's (username or email)")
        create = commands.add_parser("create", help="make a token for a user; prints it once")
        create.add_argument("--user", required=True, help="username or email")
        create.add_argument("--name", required=True, help="what the token is for")
        create.add_argument(
            "--expires-in-days", type=int, default=None, help="days until it stops working"
        )
        revoke = commands.add_parser("revoke", help="revoke a token: it stops working at once")
        revoke.add_argument("token", help="the token's prefix (lm_...) or id")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "list":
            self._list(options.get("user"))
        elif action == "create":
            self._create(options["user"], options["name"], options["expires_in_days"])
        elif action == "revoke":
            self._revoke(options["token"])
        else:  # pragma: no cover - argparse refuses others
            raise CommandError(f"Unknown action {action!r}.")

    def _list(self, reference: str | None) -> None:
        user = selectors.user_find(reference=reference) if reference else None
        tokens = list(selectors.token_list_all(user=user))
        if not tokens:
            self.stdout.write("No tokens.")
            return
        now = timezone.now()
        for token in tokens:
            if token.expires_at is None:
                expiry = "never expires"
            elif token.is_expired(now):
                expiry = f"EXPIRED {token.expires_at:%Y-%m-%d}"
            else:
                expiry = f"expires {token.expires_at:%Y-%m-%d}"
            used = (
                f"last used {token.last_used_at:%Y-%m-%d %H:%M}"
                if token.last_used_at
                else "never used"
            )
            self.stdout.write(
                f"{token.pk:>5}  {token.prefix}…  {token.user.username}  {token.name!r}  "
                f"created {token.created_at:%Y-%m-%d}, {expiry}, {used}"
            )

    def _create(self, reference: str, name: str, days: int | None) -> None:
        user = selectors.user_find(reference=reference)
        new = services.token_create(user=user, name=name, expires_in_days=days)
        self.stderr.write(
            f"Made token {new.token.pk} ({new.token.prefix}…) for {user.username}. "
            "It is shown once, here:"
        )
        self.stdout.write(new.secret)

    def _revoke(self, reference: str) -> None:
        token = selectors.token_find(reference=reference)
        services.token_revoke(user=token.user, token_id=token.pk)
        self.stdout.write(f"Revoked token {token.pk} ({token.prefix}…) of {token.user.username}.")
