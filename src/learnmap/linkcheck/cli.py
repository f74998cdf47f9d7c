"""``learnmap links check FILE``: check a Markdown roadmap's links, with no Django at all.

Like ``learnmap lint`` it needs no database and writes nothing but its report, so it runs as
it is in a roadmap repository's CI. ``learnmap links check SLUG`` (a roadmap in the catalog)
and ``learnmap links recheck`` are the management command ``links``, which shares the options,
the progress display and the report with this module.

Exit codes: 0 no dead link, 1 a dead link (or, with ``--strict``, a moved or timed-out one),
2 bad input or usage.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import IO

from learnmap.linkcheck.engine import (
    DEFAULT_USER_AGENT,
    CheckConfig,
    LinkClass,
    LinkResult,
    MemoryCache,
    check_urls_sync,
    format_json,
    format_markdown,
    format_text,
)
from learnmap.linkcheck.keys import is_web_link
from learnmap.roadmap_md import RoadmapInputError, load

EXIT_OK, EXIT_BROKEN, EXIT_BAD_INPUT = 0, 1, 2
FAILING = frozenset({LinkClass.DEAD})
FAILING_STRICT = frozenset({LinkClass.DEAD, LinkClass.MOVED, LinkClass.TIMEOUT})
FORMATS = {"text": format_text, "json": format_json, "markdown": format_markdown}
# What a catalog slug looks like (catalog.services.SLUG_RE): a target that is not one, or that
# names an existing file, is a file.
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# The options of `links check` that take a value (to find the target without parsing).
VALUE_OPTIONS = frozenset({"--format", "--concurrency", "--per-host", "--timeout"})
PLAIN_PROGRESS_EVERY = 5.0  # seconds between two progress lines when not on a terminal


class BadInput(Exception):
    """Input the command cannot use: one line for standard error."""


# --- options, shared with the management command ------------------------------------------------


def add_check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="FILE|SLUG", help="a Markdown roadmap, or a slug")
    parser.add_argument("--format", choices=sorted(FORMATS), default="text", help="the report")
    parser.add_argument(
        "--concurrency", type=int, default=None, help="requests in flight in all (default: 32)"
    )
    parser.add_argument(
        "--per-host", type=int, default=None, help="requests in flight to one host (default: 4)"
    )
    parser.add_argument(
        "--timeout", type=float, default=None, help="seconds for one attempt (default: 10)"
    )
    parser.add_argument(
        "--strict", action="store_true", help="fail on moved and timed-out links too, not only dead"
    )


def target_of(args: Sequence[str]) -> str | None:
    """The FILE|SLUG of ``check ARGS...``, found without parsing (None: no target given)."""
    tokens = iter(args[1:] if args[:1] == ["check"] else ())
    for token in tokens:
        if token in VALUE_OPTIONS:
            next(tokens, None)
        elif not token.startswith("-"):
            return token
    return None


def is_file_target(target: str) -> bool:
    return os.path.exists(target) or not SLUG_RE.fullmatch(target)


def runs_without_django(args: Sequence[str]) -> bool:
    """Whether ``learnmap links ARGS`` is ``check FILE``, which this module runs by itself."""
    if "-h" in args or "--help" in args:
        return False
    target = target_of(args)
    return target is not None and is_file_target(target)


def _env_number(environ: Mapping[str, str], name: str, kind: type, default):
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError:
        raise BadInput(f"{name}={raw!r} is not a number.") from None


def config_from(
    options: argparse.Namespace, environ: Mapping[str, str] = os.environ
) -> CheckConfig:
    """The engine's settings: the options, else the LEARNMAP_LINKCHECK_* environment variables
    (as the site reads them), else the defaults."""
    allow = environ.get("LEARNMAP_LINKCHECK_ALLOW_PRIVATE", "").strip().lower()
    if allow not in ("", "0", "1", "true", "false", "yes", "no", "on", "off"):
        raise BadInput(f"LEARNMAP_LINKCHECK_ALLOW_PRIVATE={allow!r} is not a boolean.")
    values = {
        "concurrency": _env_number(environ, "LEARNMAP_LINKCHECK_CONCURRENCY", int, 32),
        "per_host": _env_number(environ, "LEARNMAP_LINKCHECK_PER_HOST", int, 4),
        "timeout": _env_number(environ, "LEARNMAP_LINKCHECK_TIMEOUT", float, 10.0),
        "user_agent": environ.get("LEARNMAP_LINKCHECK_USER_AGENT", "").strip()
        or DEFAULT_USER_AGENT,
        "allow_private": allow in ("1", "true", "yes", "on"),
    }
    for name in ("concurrency", "per_host", "timeout"):
        chosen = getattr(options, name)
        if chosen is not None:
            values[name] = chosen
    try:
        return CheckConfig(**values)
    except ValueError as exc:
        raise BadInput(f"{str(exc).replace('_', '-')}.") from None


# --- progress and report ------------------------------------------------------------------------


class Progress:
    """Progress on standard error: a live bar on a terminal (rich), else a line now and then.

    Call it with each result (the engine's ``on_result``)."""

    def __init__(self, stream: IO[str], *, live: bool | None = None) -> None:
        self.stream = stream
        self.live = stream.isatty() if live is None else live
        self._bar = None
        self._task = None
        self._last_line = time.monotonic()
        self.problems = 0

    def __enter__(self) -> Progress:
        if self.live:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            self._bar = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("checking links", total=None)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, result: LinkResult, done: int, total: int) -> None:
        if result.cls is not LinkClass.OK:
            self.problems += 1
        if self._bar is not None:
            description = f"checking links ({self.problems} not ok)"
            self._bar.update(self._task, completed=done, total=total, description=description)
            return
        now = time.monotonic()
        if done == total or now - self._last_line >= PLAIN_PROGRESS_EVERY:
            self._last_line = now
            self.stream.write(f"checked {done}/{total} links, {self.problems} not ok\n")
            self.stream.flush()


def report(
    results: Mapping[str, LinkResult],
    *,
    lines: Mapping[str, Sequence[int]],
    output_format: str,
    strict: bool,
    stdout: IO[str],
) -> int:
    """Print the report; the exit code it calls for."""
    stdout.write(FORMATS[output_format](results, lines=lines))
    stdout.flush()
    failing = FAILING_STRICT if strict else FAILING
    return EXIT_BROKEN if any(r.cls in failing for r in results.values()) else EXIT_OK


def checkable(urls_with_lines: Sequence[tuple[str, int]]) -> tuple[list[str], dict[str, list[int]]]:
    """The web links (mailto: and other schemes are not checked), and the lines of each."""
    lines: dict[str, list[int]] = {}
    for url, line in urls_with_lines:
        if is_web_link(url):
            lines.setdefault(url, []).append(line)
    return list(lines), lines


def run_and_report(
    check: Callable[[Callable[[LinkResult, int, int], None]], Mapping[str, LinkResult]],
    *,
    lines: Mapping[str, Sequence[int]],
    options: argparse.Namespace,
    stdout: IO[str],
    stderr: IO[str],
) -> int:
    """Run ``check(on_result)`` with progress on ``stderr``, then report on ``stdout``."""
    with Progress(stderr) as progress:
        results = check(progress)
    return report(
        results, lines=lines, output_format=options.format, strict=options.strict, stdout=stdout
    )


# --- FILE mode ----------------------------------------------------------------------------------


def check_file(options: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    _text, document = load(options.target)
    urls, lines = checkable([(r.url, r.line) for r in document.resources])
    config = config_from(options)
    cache = MemoryCache()
    return run_and_report(
        lambda on_result: check_urls_sync(urls, config, cache=cache, on_result=on_result),
        lines=lines,
        options=options,
        stdout=stdout,
        stderr=stderr,
    )


def build_parser(prog: str = "learnmap links") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Check a roadmap's links.")
    commands = parser.add_subparsers(dest="action", required=True)
    check = commands.add_parser("check", help="check a Markdown roadmap's links")
    add_check_arguments(check)
    return parser


def run_file(options: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    """``check_file``, with bad input said in one line (exit 2)."""
    try:
        return check_file(options, stdout, stderr)
    except (BadInput, RoadmapInputError) as exc:
        stderr.write(f"learnmap links: {exc}\n")
        stderr.flush()
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # `learnmap links check x.md | head`
        return EXIT_OK


def main(argv: Sequence[str], stdout: IO[str] | None = None, stderr: IO[str] | None = None) -> int:
    options = build_parser().parse_args(argv)
    try:
        return run_file(options, stdout or sys.stdout, stderr or sys.stderr)
    except KeyboardInterrupt:
        return 130
