"""``learnmap compiletranslations``: compile every .po file of Learnmap into a .mo file.

Pure Python (Babel), so a build needs no GNU gettext; run it as a build step before packaging
or serving (translations are never compiled at request time). It refuses a catalogue whose
translations do not match their message's placeholders (``%(name)s``), which would otherwise
crash the page that shows them.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from django.core.management.base import BaseCommand, CommandError

import learnmap

PACKAGE_DIR = Path(learnmap.__file__).resolve().parent


def po_files(root: Path) -> list[Path]:
    """Every ``locale/<lang>/LC_MESSAGES/*.po`` under ``root`` (the project's and any app's)."""
    return sorted(root.glob("**/locale/*/LC_MESSAGES/*.po"))


def compile_po(po_path: Path) -> tuple[Path, int, list[str]]:
    """Write the .mo beside ``po_path``; return it, the count of translated messages and the
    problems found (nothing is written when there are problems)."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=po_path.parent.parent.name, abort_invalid=True)
    problems = [
        f"{po_path}:{message.lineno}: {message.id!r}: {error}"
        for message, errors in catalog.check()
        for error in errors
    ]
    mo_path = po_path.with_suffix(".mo")
    if problems:
        return mo_path, 0, problems
    with mo_path.open("wb") as handle:
        write_mo(handle, catalog, use_fuzzy=False)
    translated = sum(
        1 for message in catalog if message.id and message.string and not message.fuzzy
    )
    return mo_path, translated, []


class Command(BaseCommand):
    help = "Compile Learnmap's translations (.po) into the .mo files Django reads."

    def add_arguments(self, parser):
        parser.add_argument(
            "--root",
            type=Path,
            default=PACKAGE_DIR,
            help="Where to look for locale/ directories (default: the learnmap package).",
        )

    def handle(self, *args, root: Path, verbosity: int, **options):
        paths = po_files(root)
        if not paths:
            raise CommandError(f"No .po files under {root}.")
        problems: list[str] = []
        for po_path in paths:
            try:
                mo_path, translated, found = compile_po(po_path)
            except (PoFileError, OSError, ValueError) as exc:
                raise CommandError(f"{po_path}: {exc}") from None
            problems.extend(found)
            if not found and verbosity >= 1:
                self.stdout.write(f"{mo_path.relative_to(root)}: {translated} messages")
        if problems:
            raise CommandError("Translations with errors:\n" + "\n".join(problems))
