"""A base for management commands that use the database."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from learnmap.core.db import ensure_schema
from learnmap.core.errors import ApplicationError


class DatabaseCommand(BaseCommand):
    """Sets the database up first on the embedded default, and turns a domain error into one
    clear line (``CommandError``) instead of a traceback."""

    def execute(self, *args, **options):
        try:
            note = ensure_schema()
            if note:
                self.stderr.write(note)
            return super().execute(*args, **options)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
