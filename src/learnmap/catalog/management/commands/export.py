"""learnmap export SLUG [-o FILE]: write a roadmap's Markdown back, byte for byte."""

import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import CommandError

from learnmap.catalog import services
from learnmap.core.management.base import DatabaseCommand


class Command(DatabaseCommand):
    help = "Export a roadmap's Markdown (to standard output, or to a file with -o)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("-o", "--output", help="write to this file instead of stdout")

    def handle(self, *args, slug: str, output: str | None, **options):
        data = services.roadmap_export(slug=slug).encode("utf-8")
        if output is None:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        target = Path(output)
        tmp = None
        try:
            # Write beside the target, then rename: a failed export never leaves half a file.
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except OSError as exc:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from None
        self.stderr.write(f"Wrote {slug!r} to {output} ({len(data)} bytes).")
