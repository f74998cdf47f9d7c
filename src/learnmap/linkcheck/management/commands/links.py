"""``learnmap links``: check a roadmap's links now, or queue a check for the worker.

    learnmap links check SLUG|FILE [--format text|json|markdown] [--concurrency N]
                                   [--per-host N] [--timeout S] [--strict]
    learnmap links recheck SLUG|--all
    learnmap links prune [--days N] [--dry-run]

``check FILE`` is handled before Django starts (``learnmap.linkcheck.cli``: no database);
``check SLUG`` checks a catalog roadmap's links here and now, records them like the background
check does (a re-run within the cache's TTL costs nothing) and prints the same report. Exit
codes: 0 no dead link, 1 a dead link (``--strict``: or a moved or timed-out one), 2 bad input.
``prune`` deletes the history older than ``--days`` (``LEARNMAP_LINKCHECK_HISTORY_DAYS``), as
the worker does every few hours, and prints what it removed.
"""

from __future__ import annotations

import argparse

from django.core.management.base import CommandError

from learnmap.catalog import selectors as catalog_selectors
from learnmap.core.errors import ApplicationError
from learnmap.core.management.base import DatabaseCommand
from learnmap.linkcheck import cli, selectors, services
from learnmap.linkcheck.models import RunKind


class Command(DatabaseCommand):
    help = (
        "Check a roadmap's links now (check), queue a check for the worker (recheck), or "
        "delete the old history of checks (prune)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="check|recheck|prune")
        check = actions.add_parser("check", help="check a roadmap's links now and report")
        cli.add_check_arguments(check)
        recheck = actions.add_parser("recheck", help="queue a check for the worker")
        recheck.add_argument("slug", nargs="?", help="the roadmap (default: --all)")
        recheck.add_argument("--all", action="store_true", help="every roadmap")
        prune = actions.add_parser("prune", help="delete the history of checks older than N days")
        prune.add_argument(
            "--days",
            type=int,
            default=None,
            help="keep this many days (default: LEARNMAP_LINKCHECK_HISTORY_DAYS, 90)",
        )
        prune.add_argument("--dry-run", action="store_true", help="only say what would be deleted")

    def handle(self, *args, action: str, **options):
        if action == "recheck":
            return self._recheck(options["slug"], options["all"])
        if action == "prune":
            return self._prune(options["days"], options["dry_run"])
        # Progress and reports are written as they are (a live bar writes partial lines).
        stdout = getattr(self.stdout, "_out", self.stdout)
        stderr = getattr(self.stderr, "_out", self.stderr)
        check = argparse.Namespace(**options)
        if cli.is_file_target(check.target):
            code = cli.run_file(check, stdout, stderr)
        else:
            code = self._check_slug(check, stdout, stderr)
        if code:
            raise SystemExit(code)

    def _roadmap(self, slug: str):
        try:
            return catalog_selectors.roadmap_get(slug=slug)
        except ApplicationError as exc:
            raise CommandError(exc.message, returncode=cli.EXIT_BAD_INPUT) from None

    def _check_slug(self, options: argparse.Namespace, stdout, stderr) -> int:
        roadmap = self._roadmap(options.target)
        names = ("concurrency", "per_host", "timeout")
        overrides = {name: getattr(options, name) for name in names}
        try:
            services.check_config(**overrides)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=cli.EXIT_BAD_INPUT) from None
        run = services.check_run_create(roadmap_id=roadmap.pk, kind=RunKind.COMMAND)
        return cli.run_and_report(
            lambda on_result: (
                services.check_run_execute(
                    run_id=run.pk, on_result=on_result, config_overrides=overrides
                ).results
            ),
            lines=selectors.roadmap_url_lines(roadmap=roadmap),
            options=options,
            stdout=stdout,
            stderr=stderr,
        )

    def _recheck(self, slug: str | None, every: bool) -> None:
        if bool(slug) == every:
            raise CommandError("Name one roadmap, or --all.", returncode=cli.EXIT_BAD_INPUT)
        roadmap_id = None if every else self._roadmap(slug).pk
        run, created = services.check_run_request(roadmap_id=roadmap_id, kind=RunKind.MANUAL)
        what = "every roadmap's links" if every else f"the links of {slug}"
        if created:
            self.stdout.write(f"Queued a check of {what} (run {run.pk}) for `learnmap worker`.")
        else:
            self.stdout.write(f"A check of {what} is already waiting or running (run {run.pk}).")

    def _prune(self, days: int | None, dry_run: bool) -> None:
        try:
            pruned = services.link_history_prune(days=days, dry_run=dry_run)
        except ApplicationError as exc:
            raise CommandError(exc.message, returncode=cli.EXIT_BAD_INPUT) from None
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{verb} {_count(pruned.runs, 'link-check run')} "
            f"({_count(pruned.checks, 'check')}) and "
            f"{_count(pruned.task_results, 'finished task result')} "
            f"from before {pruned.cutoff:%Y-%m-%d %H:%M %Z}."
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
