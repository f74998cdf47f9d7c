"""Reports, results and the small parsers, without network."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from learnmap.linkcheck.engine import (
    CheckConfig,
    Hop,
    LinkClass,
    LinkResult,
    format_json,
    format_markdown,
    format_text,
    is_checkable,
    normalize_url,
    summarize,
)

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
OK = LinkResult(url="https://ok.example/", cls=LinkClass.OK, status=200, checked_at=WHEN)
MOVED = LinkResult(
    url="http://old.example/a",
    cls=LinkClass.MOVED,
    status=200,
    final_url="https://new.example/a",
    redirects=(Hop("http://old.example/a", 301),),
    moved_to="https://new.example/a",
    checked_at=WHEN,
)
DEAD = LinkResult(
    url="https://gone.example/x|y",
    cls=LinkClass.DEAD,
    status=404,
    final_url="https://gone.example/x|y",
    error="HTTP 404 Not Found",
    elapsed_ms=12,
    checked_at=WHEN,
)
# What check_urls returns: input URL -> result; two inputs share the dead URL.
RESULTS = {
    OK.url: OK,
    MOVED.url: MOVED,
    DEAD.url: DEAD,
    DEAD.url + "#part": DEAD,
}
LINES = {OK.url: [1], MOVED.url: [2], DEAD.url: [7], DEAD.url + "#part": [3, 7]}


def test_json_has_one_result_per_unique_url_with_merged_lines() -> None:
    payload = json.loads(format_json(RESULTS, lines=LINES))
    assert [item["url"] for item in payload["results"]] == [DEAD.url, MOVED.url, OK.url]
    dead = payload["results"][0]
    assert {key: dead[key] for key in ("class", "status", "final_url", "error", "elapsed_ms")} == {
        "class": "dead",
        "status": 404,
        "final_url": DEAD.url,
        "error": "HTTP 404 Not Found",
        "elapsed_ms": 12,
    }
    assert dead["lines"] == [3, 7]
    assert payload["results"][1]["moved_to"] == "https://new.example/a"
    assert payload["summary"] == {
        "ok": 1,
        "moved": 1,
        "blocked": 0,
        "rate-limited": 0,
        "timeout": 0,
        "error": 0,
        "dead": 1,
    }


def test_text_lists_problems_worst_first_then_a_summary() -> None:
    text = format_text(RESULTS, lines=LINES)
    lines = text.splitlines()
    assert lines[0].startswith("dead") and DEAD.url in lines[0] and "(line 3, 7)" in lines[0]
    assert "moved to https://new.example/a" in text
    assert OK.url not in text  # ok links only with verbose
    assert lines[-1] == "3 links: 1 ok, 1 moved, 1 dead"
    assert OK.url in format_text(RESULTS, verbose=True)


def test_markdown_tables_escape_pipes() -> None:
    markdown = format_markdown(RESULTS, lines=LINES)
    assert "| dead | 1 |" in markdown
    assert r"<https://gone.example/x\|y>" in markdown
    assert "| 3, 7 |" in markdown
    assert OK.url not in markdown
    assert "All links are ok." in format_markdown([OK])


def test_result_round_trips_through_a_dict() -> None:
    for result in (OK, MOVED, DEAD):
        data = json.loads(json.dumps(result.to_dict()))
        assert LinkResult.from_dict(data) == result


def test_summary_counts_every_class() -> None:
    assert summarize([]) == dict.fromkeys(
        ["ok", "moved", "blocked", "rate-limited", "timeout", "error", "dead"], 0
    )


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("HTTPS://Example.ORG:443/a#top", "https://example.org/a"),
        ("http://example.org:8080/a b", "http://example.org:8080/a%20b"),
        ("https://münchen.de/", "https://xn--mnchen-3ya.de/"),
    ],
)
def test_normalize_url(url: str, key: str) -> None:
    assert normalize_url(url) == key


def test_only_absolute_http_urls_are_checkable() -> None:
    assert is_checkable("https://example.org/")
    for url in ("mailto:a@example.org", "/relative", "ftp://example.org/", "javascript:x"):
        assert not is_checkable(url)


def test_config_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="per_host"):
        CheckConfig(per_host=0)
    with pytest.raises(ValueError, match="timeout"):
        CheckConfig(timeout=0)
    assert CheckConfig(get_only_hosts=["Example.ORG"]).get_only_hosts == {"example.org"}
