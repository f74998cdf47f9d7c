"""Time and peak memory of parse + lint for hostile inputs. Prints figures; asserts nothing.

    python bench/roadmap_md/bench_hostile.py            # every shape
    python bench/roadmap_md/bench_hostile.py cr lf      # some of them

Each shape is built and measured in a fresh subprocess, so its peak resident memory
(``ru_maxrss``) is its own; "base" is that process's peak before the text was made (Python,
markdown-it, the package). The texts are 5 MB (the import cap) unless the name says
otherwise; the "limit-" shapes are the worst that stay within ``roadmap_md.limits`` (lines,
lines given to markdown-it, nesting, resources) and so are parsed in full.

Target (issue 9): a 5 MB file, whatever it holds, well under 200 MB and 2 s.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIVE_MB = 5_000_000


def _repeat(unit: str, size: int = FIVE_MB) -> str:
    return unit * (size // len(unit.encode("utf-8")))


def _nested_list(levels: int) -> str:
    return "".join("  " * depth + f"- level {depth + 1}\n" for depth in range(levels))


def _shapes() -> dict[str, str]:
    """Python expressions (evaluated in the child) for each shape's text."""
    return {
        "only-cr": "_repeat('\\r')",
        "only-lf": "_repeat('\\n')",
        "only-crlf": "_repeat('\\r\\n')",
        "one-5mb-line": "_repeat('a')",
        "dash-space-5mb-line": "_repeat('- ')",
        "dash-space-lines": "_repeat('- \\n')",
        "empty-items": "_repeat('-\\n')",
        "headings": "_repeat('## h\\n')",
        "quote-100k-on-a-line": "'>' * 100_000",
        "quotes-deep-lines": "_repeat('> ' * 40 + 'x\\n')",
        "list-nested-21": "_nested_list(21) * (FIVE_MB // len(_nested_list(21)))",
        "list-nested-21-29k-lines": "_nested_list(21) * (29_000 // 21)",
        "headings-150k-long": "('## ' + 'h' * 30 + '\\n') * MAX_LINES",
        "private-use-chars": "'## S\\n\\n- [a](https://a.example)\\n' + _repeat('\\ue000')",
        "limit-150k-blank-lines": "OK + '\\n' * (MAX_LINES - 3)",
        "limit-30k-text-items": "OK + '- a\\n' * (MAX_PARSED_LINES - 2)",
        "limit-30k-headings": "OK + '## h\\n' * (MAX_PARSED_LINES - 2)",
        "limit-30k-quotes": "OK + '> a\\n\\n' * (MAX_PARSED_LINES - 2)",
        "limit-30k-paragraphs": "OK + 'a\\n\\n\\n\\n' * (MAX_PARSED_LINES - 2)",
        "limit-20-deep-list": (
            "OK + _nested_list(20) + ('  ' * 19 + '- x\\n') * (MAX_PARSED_LINES - 30)"
        ),
        "limit-20-deep-quotes": "OK + ('> ' * 20 + 'x\\n') * (MAX_PARSED_LINES - 2)",
        "limit-100k-private-use-lines": (
            "'## S\\n' + ''.join(f'- [\\ue000 {i}\\U0010fffd](https://r.example/{i})\\n' "
            "for i in range(MAX_RESOURCES))"
        ),
        "limit-100k-resources": "'## S\\n' + ''.join(f'- [R{i}](https://r.example/{i})\\n' "
        "for i in range(MAX_RESOURCES))",
        "noqa-250k-comments": "OK + ('<!-- noqa: LM301 -->' * 999 + '\\n') * 250",
        "noqa-30k-bad-comments": (
            "OK + ('<!-- noqa: ' + ' '.join(f'X{i}' for i in range(36)) + ' LM201 LM301 -->\\n')"
            " * (MAX_PARSED_LINES - 2)"
        ),
        "limit-100k-noqa-resources": "'## S\\n' + ''.join(f'- [R{i}](https://r.e/{i}) (X)"
        "<!--noqa:LM301-->\\n' for i in range(MAX_RESOURCES))",
        "seed": "(ROOT / 'content' / 'python-backend.md').read_text(encoding='utf-8')",
        "scale-85k-resources": "large_roadmap(SIZES[85_000])",
    }


CHILD = """
import json, resource, sys, time
sys.path[:0] = [{src!r}, {root!r}]
from pathlib import Path
from learnmap.roadmap_md import lint, parse
from learnmap.roadmap_md.limits import MAX_LINES, MAX_PARSED_LINES, MAX_RESOURCES, line_count
from tests.catalog.large_roadmap import SIZES, large_roadmap
from bench.roadmap_md.bench_hostile import FIVE_MB, _nested_list, _repeat
ROOT = Path({root!r})
OK = "## Step 1: Python\\n\\n- [Docs](https://docs.python.org) (English) (Free)\\n"
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
text = {expr}
start = time.perf_counter()
issues = lint(parse(text))
seconds = time.perf_counter() - start
errors = [i for i in issues if i.severity == "error"]
print(json.dumps({{
    "bytes": len(text.encode("utf-8")),
    "lines": line_count(text),
    "seconds": seconds,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "base_mb": base / 1024,
    "issues": len(issues),
    "first_error": f"{{errors[0].line}}: {{errors[0].code}}" if errors else "-",
}}))
"""


def measure(expr: str) -> dict:
    code = CHILD.format(src=str(ROOT / "src"), root=str(ROOT), expr=expr)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=False
    )
    if result.returncode != 0:
        return {"failed": result.stderr.strip().splitlines()[-1:]}
    return json.loads(result.stdout)


def main(names: list[str]) -> None:
    shapes = _shapes()
    print(f"Python {platform.python_version()}, parse + lint, one subprocess per shape")
    print(
        f"{'shape':24} {'MB':>5} {'lines':>10} {'seconds':>8} {'peak MB':>8} {'base MB':>8}"
        f"  {'issues':>7}  first error"
    )
    for name in names or shapes:
        row = measure(shapes[name])
        if "failed" in row:
            print(f"{name:24} FAILED {row['failed']}")
            continue
        print(
            f"{name:24} {row['bytes'] / 1e6:5.2f} {row['lines']:>10,} {row['seconds']:8.3f} "
            f"{row['peak_mb']:8.0f} {row['base_mb']:8.0f}  {row['issues']:>7,}  "
            f"{row['first_error']}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
