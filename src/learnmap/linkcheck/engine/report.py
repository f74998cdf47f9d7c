"""Reports of a run as text (terminal), JSON (machines) and Markdown (issues, PRs).

Each formatter takes the mapping `check_urls` returns (input URL -> result) or any
iterable of results, and optionally `lines`: input URL -> the line numbers where the
URL appears. Results are reported once per checked URL, the lines of all inputs that
share it merged.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from .results import LinkClass, LinkResult, summarize

Results = Mapping[str, LinkResult] | Iterable[LinkResult]
Lines = Mapping[str, Iterable[int]]

# Worst first: what a maintainer should look at before the rest.
_ORDER = [
    LinkClass.DEAD,
    LinkClass.ERROR,
    LinkClass.TIMEOUT,
    LinkClass.RATE_LIMITED,
    LinkClass.BLOCKED,
    LinkClass.MOVED,
    LinkClass.OK,
]


def collect(results: Results, lines: Lines | None = None) -> list[tuple[LinkResult, list[int]]]:
    """One (result, sorted lines) per checked URL, worst class first, then by URL."""
    by_url: dict[str, LinkResult] = {}
    url_lines: dict[str, set[int]] = {}
    items = results.items() if isinstance(results, Mapping) else ((r.url, r) for r in results)
    for key, result in items:
        by_url.setdefault(result.url, result)
        found = url_lines.setdefault(result.url, set())
        if lines is not None:
            found.update(lines.get(key, ()))
            if key != result.url:
                found.update(lines.get(result.url, ()))
    rows = [(result, sorted(url_lines[url])) for url, result in by_url.items()]
    rows.sort(key=lambda row: (_ORDER.index(row[0].cls), row[0].url))
    return rows


def _evidence(result: LinkResult) -> str:
    parts = []
    if result.cls is LinkClass.MOVED and result.moved_to:
        parts.append(f"moved to {result.moved_to}")
    elif result.final_url and result.final_url != result.url:
        parts.append(f"ends at {result.final_url}")
    if result.error:
        parts.append(result.error)
    return "; ".join(parts)


def _summary_line(summary: Mapping[str, int]) -> str:
    total = sum(summary.values())
    counts = ", ".join(f"{count} {name}" for name, count in summary.items() if count)
    return f"{total} links: {counts}" if total else "0 links"


def format_text(results: Results, *, lines: Lines | None = None, verbose: bool = False) -> str:
    """One line per problem URL (every URL with `verbose`), then a summary line."""
    rows = collect(results, lines)
    out = []
    for result, where in rows:
        if result.cls is LinkClass.OK and not verbose:
            continue
        status = str(result.status) if result.status is not None else "---"
        line = f"{result.cls.value:<12} {status:>3}  {result.url}"
        if where:
            line += f"  (line {', '.join(map(str, where))})"
        out.append(line)
        evidence = _evidence(result)
        if evidence:
            out.append(f"{'':17}{evidence}")
    out.append(_summary_line(summarize(result for result, _ in rows)))
    return "\n".join(out) + "\n"


def format_json(results: Results, *, lines: Lines | None = None, indent: int | None = 2) -> str:
    """`{"results": [...], "summary": {class: count}}`, one result per unique URL."""
    rows = collect(results, lines)
    payload = {
        "results": [
            {
                "url": result.url,
                "class": result.cls.value,
                "status": result.status,
                "final_url": result.final_url,
                "error": result.error,
                "elapsed_ms": result.elapsed_ms,
                "lines": where,
                "moved_to": result.moved_to,
                "redirects": [{"url": hop.url, "status": hop.status} for hop in result.redirects],
                "checked_at": result.checked_at.isoformat(),
            }
            for result, where in rows
        ],
        "summary": summarize(result for result, _ in rows),
    }
    return json.dumps(payload, indent=indent, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def format_markdown(results: Results, *, lines: Lines | None = None) -> str:
    """A summary table, then a table of every URL that is not plain ok."""
    rows = collect(results, lines)
    summary = summarize(result for result, _ in rows)
    out = ["## Link check", "", "| class | links |", "| --- | ---: |"]
    out += [f"| {name} | {count} |" for name, count in summary.items()]
    problems = [(result, where) for result, where in rows if result.cls is not LinkClass.OK]
    out.append("")
    if not problems:
        out.append("All links are ok.")
        return "\n".join(out) + "\n"
    out += ["| class | status | URL | lines | evidence |", "| --- | ---: | --- | --- | --- |"]
    for result, where in problems:
        status = "" if result.status is None else str(result.status)
        out.append(
            f"| {result.cls.value} | {status} | <{_cell(result.url)}> "
            f"| {', '.join(map(str, where))} | {_cell(_evidence(result))} |"
        )
    return "\n".join(out) + "\n"
