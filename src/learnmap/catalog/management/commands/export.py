"""learnmap export SLUG [-o FILE]: write a roadmap's Markdown back, byte for byte."""

import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from learnmap.catalog import services
from learnmap.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Export a roadmap's Markdown (to standard output, or to a file with -o)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("-o", "--output", help="write to this file instead of stdout")

    def handle(self, *args, slug: str, output: str | None, **options):
        try:
            data = services.roadmap_export(slug=slug).encode("utf-8")
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        if output is None:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        target = Path(output)
        try:
            # Write beside the target, then rename: a failed export never leaves half a file.
            fd, tmp = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from None
        self.stderr.write(f"Wrote {slug!r} to {output} ({len(data)} bytes).")
