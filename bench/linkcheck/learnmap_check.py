"""Learnmap's checker on a Markdown file, as the bench runs it (its own process, so its
wall time and peak memory are measured like the other tools').

    python bench/linkcheck/learnmap_check.py roadmap.md --out results.json

Links are taken from `- [text](url)` lines (the roadmap parser is not needed here).
Exit status 1 when a link is dead, like the future `learnmap links check`.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src")]

from learnmap.linkcheck.engine import (  # noqa: E402
    CheckConfig,
    check_urls_sync,
    format_json,
    summarize,
)

LINK = re.compile(r"^\s*[-*+] \[[^\]]*\]\((\S+?)\)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=3.0)
    parser.add_argument("--retries", type=int, default=2)
    args = parser.parse_args()

    lines: dict[str, list[int]] = defaultdict(list)
    for number, line in enumerate(args.file.read_text(encoding="utf-8").splitlines(), 1):
        match = LINK.match(line)
        if match:
            lines[match.group(1)].append(number)
    config = CheckConfig(
        concurrency=args.concurrency,
        per_host=args.per_host,
        timeout=args.timeout,
        retries=args.retries,
        allow_private=True,  # the bench's hosts are on 127.0.0.1
    )
    started = time.monotonic()
    results = check_urls_sync(lines, config)
    print(f"check_urls: {time.monotonic() - started:.2f} s", file=sys.stderr)
    args.out.write_text(format_json(results, lines=lines, indent=None), encoding="utf-8")
    summary = summarize({result.url: result for result in results.values()}.values())
    print(", ".join(f"{count} {name}" for name, count in summary.items() if count))
    return 1 if summary["dead"] else 0


if __name__ == "__main__":
    sys.exit(main())
