"""``learnmap convert`` and ``learnmap lint``: pure Markdown commands, no Django, no database.

They run in a roadmap repository's CI as they are: nothing is written but their output.
Exit codes: 0 clean, 1 lint findings that fail (errors, or warnings with ``--strict``),
2 bad input (unreadable, binary, not UTF-8, too large) or bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from learnmap.roadmap_md import lint, load, render, to_dict
from learnmap.roadmap_md.declared import config_beside
from learnmap.roadmap_md.errors import RoadmapInputError

BAD_INPUT = 2


def _write(text: str) -> None:
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def convert(args: argparse.Namespace) -> int:
    _source, doc = load(args.file)
    if doc.limits:  # not parsed: there is no structure to print
        limit = doc.limits[0]
        raise RoadmapInputError(limit.format(args.file), path=args.file, line=limit.line)
    if args.to == "json":
        _write(json.dumps(to_dict(doc), ensure_ascii=False, indent=2) + "\n")
    else:
        _write(render(doc))
    return 0


def lint_files(args: argparse.Namespace) -> int:
    failed = False
    reports = []
    for name in args.files:
        _source, doc = load(name)
        config = config_beside(name)
        issues = lint(doc, extra_tags=config.tags, ignore=config.ignore)
        errors = sum(1 for i in issues if i.severity == "error")
        warnings = len(issues) - errors
        failed = failed or errors > 0 or (args.strict and warnings > 0)
        if args.format == "json":
            reports.append(
                {
                    "file": name,
                    "issues": [
                        {
                            "line": i.line,
                            "severity": i.severity,
                            "rule": i.rule,
                            "code": i.code,
                            "message": i.message,
                        }
                        for i in issues
                    ],
                    "summary": {"errors": errors, "warnings": warnings},
                }
            )
        else:
            for issue in issues:
                _write(issue.format(name) + "\n")
            sys.stderr.write(f"{name}: {errors} error(s), {warnings} warning(s)\n")
    if args.format == "json":
        _write(
            json.dumps(reports[0] if len(reports) == 1 else reports, ensure_ascii=False, indent=2)
            + "\n"
        )
    return 1 if failed else 0


def build_parser(prog: str = "learnmap") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Learnmap's Markdown tools.")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("convert", help="print a roadmap as JSON, or as Markdown again")
    p.add_argument("file", help="a Markdown roadmap")
    p.add_argument("--to", choices=["json", "markdown"], default="json")
    p.set_defaults(run=convert)

    p = commands.add_parser(
        "lint", help="check roadmaps: file:line: severity: message [LM101 unread-link]"
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="Markdown roadmaps")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.set_defaults(run=lint_files)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except RoadmapInputError as exc:
        sys.stderr.write(f"learnmap {args.command}: {exc}\n")
        return BAD_INPUT
    except BrokenPipeError:  # `learnmap convert x.md | head`
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
