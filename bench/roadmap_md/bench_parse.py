"""Parse/render timings of the Markdown core. Prints figures; asserts nothing.

    python bench/roadmap_md/bench_parse.py

Targets: the seed roadmap parse+render < 5 ms (median); 10,000 resources parse < 300 ms, in
the seed's style and in an awesome list's (``###`` categories, text before links).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.roadmap_md.generate import generate_roadmap  # noqa: E402
from bench.roadmap_md.generate_styles import generate_awesome_list  # noqa: E402
from learnmap.roadmap_md import lint, parse, render  # noqa: E402


def _seed_text() -> str:
    for path in (
        ROOT / ".." / "shared" / "seeds" / "python-backend-roadmap.md",
        ROOT / "content" / "python-backend.md",
    ):
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise SystemExit("seed roadmap not found")


def _timings(fn, runs: int) -> list[float]:
    fn()  # warm up (compiled regexes, markdown-it instance)
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _report(name: str, timings: list[float], target: float | None = None) -> None:
    median = statistics.median(timings)
    line = f"{name:<44} median {median:8.2f} ms   min {min(timings):8.2f} ms   runs {len(timings)}"
    if target is not None:
        line += f"   target < {target:g} ms: {'ok' if median < target else 'MISSED'}"
    print(line)


def main() -> None:
    seed = _seed_text()
    seed_doc = parse(seed)
    print(f"seed: {len(seed.splitlines())} lines, {len(seed_doc.resources)} resources")
    _report("seed parse + render", _timings(lambda: render(parse(seed)), 300), 5)
    _report("seed parse", _timings(lambda: parse(seed), 300))
    _report("seed render", _timings(lambda: render(seed_doc), 300))
    _report("seed lint", _timings(lambda: lint(seed_doc), 300))

    for count in (1_000, 10_000):
        text = generate_roadmap(count)
        doc = parse(text)
        runs = 15 if count == 10_000 else 50
        print(
            f"generated: {len(text.splitlines())} lines, {len(doc.resources)} resources, "
            f"{len(text)} chars"
        )
        target = 300 if count == 10_000 else None
        _report(f"{count} resources parse", _timings(lambda text=text: parse(text), runs), target)
        _report(f"{count} resources render", _timings(lambda doc=doc: render(doc), runs))
        _report(f"{count} resources lint", _timings(lambda doc=doc: lint(doc), runs))

    # An awesome list: '###' categories, text before links, several links on one item.
    text = generate_awesome_list(10_000)
    doc = parse(text)
    print(
        f"awesome-style: {len(text.splitlines())} lines, {len(doc.resources)} resources, "
        f"{len(text)} chars, section level {doc.heading_levels[0]}"
    )
    _report("10000 awesome-style parse", _timings(lambda: parse(text), 15), 300)
    _report("10000 awesome-style lint", _timings(lambda: lint(doc), 15))


if __name__ == "__main__":
    main()
