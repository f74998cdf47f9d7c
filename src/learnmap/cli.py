"""The ``learnmap`` command: every Django management command, plus the Markdown tools.

    learnmap                      list the commands (also ``learnmap help``)
    learnmap serve                the production server (granian)
    learnmap migrate, createsuperuser, import, ...   any management command
    learnmap lint FILE..., learnmap convert FILE     pure Markdown: no Django, no database
    learnmap links check FILE     a roadmap file's links: no Django either (SLUG: the catalog's)

``lint``, ``convert`` and ``links check FILE`` never set up Django, so running them in a
roadmap repository's CI neither needs a database nor creates a data directory.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

SETTINGS_MODULE = "learnmap.config.settings"
# Handled by learnmap.roadmap_md.cli, which knows nothing about Django.
MARKDOWN_COMMANDS = ("convert", "lint")
CONFIG_ERROR = 2


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else "help"
    if command in MARKDOWN_COMMANDS:
        return _markdown(args)
    if command == "links":  # `links check FILE` runs without Django
        from learnmap.linkcheck import cli as links_cli

        if links_cli.runs_without_django(args[1:]):
            return links_cli.main(args[1:])
    if command == "help" and args[1:2] and args[1] in MARKDOWN_COMMANDS:
        return _markdown([args[1], "--help"])
    if args in (["version"], ["--version"]):
        from django import get_version

        from learnmap import __version__

        print(f"learnmap {__version__} (Django {get_version()})")
        return 0
    return _django(args)


def _markdown(args: list[str]) -> int:
    from learnmap.roadmap_md.cli import main as markdown_main

    return markdown_main(args)


def _django(args: list[str]) -> int:
    # Forced, not defaulted: a DJANGO_SETTINGS_MODULE left over from another project in the
    # shell must not turn `learnmap` into that project.
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import ManagementUtility

    class Utility(ManagementUtility):
        def main_help_text(self, commands_only: bool = False) -> str:
            return _with_markdown_commands(super().main_help_text(commands_only), commands_only)

    try:
        Utility(["learnmap", *args]).execute()
    except ImproperlyConfigured as exc:
        message = " ".join(str(exc).split())
        print(f"learnmap: configuration error: {message}", file=sys.stderr)
        return CONFIG_ERROR
    except KeyboardInterrupt:
        return 130
    return 0


def _with_markdown_commands(text: str, commands_only: bool) -> str:
    """Django's list of commands, with the Markdown ones in it."""
    if commands_only:
        return "\n".join(sorted([*text.splitlines(), *MARKDOWN_COMMANDS]))
    head, marker, rest = text.partition("Available subcommands:\n")
    section = "\n[markdown] (no database needed)\n" + "".join(
        f"    {name}\n" for name in MARKDOWN_COMMANDS
    )
    return head + marker + section + rest


if __name__ == "__main__":
    raise SystemExit(main())
