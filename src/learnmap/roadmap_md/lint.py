"""Checks a roadmap for what readers would trip over: unsafe or broken links, duplicates,
missing tags, empty topics, a stale table of contents, and files that are no roadmap at all.

Every finding has a stable code (``LM101``...) and a name (an :class:`.Issue`'s ``code``),
listed with its severity in :mod:`.lint_codes`. Errors (the file must not be published as is):
``unsafe-url``, ``empty-url``, ``relative-url``, ``no-sections``, ``no-resources``, and the
limits of :mod:`.limits`: ``too-many-lines``, ``line-too-long``, ``too-deeply-nested``,
``too-many-parsed-lines``, ``too-many-resources``.
Warnings: ``duplicate-url``, ``missing-language``, ``missing-price``, ``unknown-tag``,
``empty-topic``, ``empty-section``, ``toc-broken-anchor``, ``toc-missing-heading``,
``private-use-character``, ``unread-link`` (a line with an http(s) link that is not read as a
resource, and why: see :mod:`.unread`), and those about ``noqa`` comments, which switch
warnings off (see :mod:`.noqa`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote

from . import inline, limits, slug
from .declared import declared_tags, tag_key
from .model import Document, Issue, LabelGroup, Node, Resource, Section, Text, Topic
from .noqa import check_ignore, switch_off
from .parser import split_lines
from .render import render
from .unread import lines_of, link_url, unread_link_issues

__all__ = ["UNSAFE_SCHEMES", "lint", "url_scheme"]

UNSAFE_SCHEMES = frozenset({"javascript", "data", "vbscript", "file"})
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_IGNORED_IN_URL_RE = re.compile(r"[\x00-\x20\x7f]")
_TOC_LINE_RE = re.compile(
    r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[(?P<text>(?:[^\]\\]|\\.)*)\]\(#(?P<anchor>[^)\s]*)\)"
)
_TAGGED_KINDS = ("step", "elective")
_URL_PARTS_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):(//[^/?#]*)?([^?#]*)(\?[^#]*)?")
# Unicode's private-use areas: characters with no agreed meaning, shown as nothing or a box.
_PRIVATE_USE_RE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
_LINE_END_RE = re.compile(r"\r\n?|\n")
_PRIVATE_USE_LINES_SHOWN = 100
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)


def url_scheme(url: str) -> str | None:
    """The lowercase scheme of ``url`` as a browser reads it (``JaVa\\tScript:`` -> javascript)."""
    match = _SCHEME_RE.match(_IGNORED_IN_URL_RE.sub("", url))
    return match.group(1).lower() if match else None


def lint(
    doc: Document,
    *,
    extra_tags: frozenset[str] = frozenset(),
    ignore: frozenset[str] = frozenset(),
) -> list[Issue]:
    """Every finding, sorted by line (errors before warnings on the same line), but the
    warnings the file's ``noqa`` comments switch off (see :mod:`.noqa`).

    A document over one of the limits of :mod:`.limits` was not parsed: its limit is the
    only finding.
    ``extra_tags`` are tags declared beside the file (``.learnmap.toml``), as
    :func:`.declared.tag_key` gives them; those of the front matter are read here.
    ``ignore`` are codes (``LM301``) switched off beside the file (``.learnmap.toml``'s
    ``[lint] ignore``); ValueError for an unknown code or an error's.
    """
    ignore = check_ignore(ignore)
    if doc.limits:
        return list(doc.limits)
    text = render(doc)
    issues: list[Issue] = []
    resources = doc.resources
    issues.extend(_content_issues(doc, resources))
    uses_languages = any(r.languages for r in resources)
    uses_prices = any(r.cost for r in resources)
    declared = declared_tags(doc.front_matter) | extra_tags
    first_line_of: dict[str, int] = {}
    for section in doc.sections:
        for resource in section.all_resources:
            issues.extend(_link_issues(resource))
            key = _url_key(resource.url)
            if key and key in first_line_of:
                issues.append(
                    Issue(
                        resource.line,
                        "warning",
                        "duplicate-url",
                        f"duplicate URL {resource.url} (also on line {first_line_of[key]})",
                    )
                )
            elif key:
                first_line_of[key] = resource.line
            if section.kind in _TAGGED_KINDS:
                issues.extend(_tag_issues(resource, uses_languages, uses_prices, declared))
        issues.extend(_empty_issues(section))
    issues.extend(_toc_issues(doc))
    issues.extend(unread_link_issues(doc))
    issues.extend(_private_use_issues(text))
    issues = switch_off(issues, text, ignore=ignore)
    issues.sort(key=lambda issue: (issue.line, issue.severity != "error", issue.code))
    return issues


def _content_issues(doc: Document, resources: tuple[Resource, ...]) -> Iterator[Issue]:
    """A roadmap has a section and a resource, and at most ``limits.MAX_RESOURCES``."""
    if not doc.sections:
        unread = _preamble_links(doc)
        links = (
            f" ({unread[1]:,} lines with links, from line {unread[0]}, are read as no resource)"
            if unread
            else ""
        )
        yield Issue(
            1,
            "error",
            "no-sections",
            f"the roadmap has no sections{links}: add a section heading such as "
            "'## Step 1: Python' with resources under it",
        )
    elif not resources:
        yield Issue(
            doc.sections[0].line,
            "error",
            "no-resources",
            "the roadmap has no resources: add at least one list item with a link under a "
            "section, such as '- [Python docs](https://docs.python.org)'",
        )
    if len(resources) > limits.MAX_RESOURCES:
        yield Issue(
            resources[limits.MAX_RESOURCES].line,
            "error",
            "too-many-resources",
            f"the roadmap has {len(resources):,} resources; a roadmap may have at most "
            f"{limits.MAX_RESOURCES:,} (split it into several roadmaps)",
        )


def _preamble_links(doc: Document) -> tuple[int, int] | None:
    """(first line, number of lines) of the links of a document without sections."""
    found = [
        text.line + offset
        for text in doc.preamble
        if "http" in text.raw.lower()
        for offset, line in enumerate(lines_of(text.raw))
        if link_url(line)
    ]
    return (found[0], len(found)) if found else None


def _private_use_issues(text: str) -> Iterator[Issue]:
    """One warning per line holding private-use characters, naming the first one; after
    ``_PRIVATE_USE_LINES_SHOWN`` lines, one more warning says on how many more lines."""
    search = _PRIVATE_USE_RE.search
    found = search(text)
    line, counted, shown, more_from, more = 1, 0, 0, 0, 0
    while found is not None:
        start = found.start()
        line += limits.line_of(text, start, start=counted) - 1
        counted = start
        end = _LINE_END_RE.search(text, start)
        stop = end.end() if end else len(text)
        if shown == _PRIVATE_USE_LINES_SHOWN:
            more_from = more_from or line
            more += 1
        else:
            shown += 1
            count = len(_PRIVATE_USE_RE.findall(text, start, stop))
            many = f" ({count} private-use characters on this line)" if count > 1 else ""
            yield Issue(
                line,
                "warning",
                "private-use-character",
                f"private-use character U+{ord(found.group()):04X}{many}: it has no agreed "
                "meaning and most readers see nothing or a box; remove it or use a real "
                "character",
            )
        found = search(text, stop)
    if more:
        yield Issue(
            more_from,
            "warning",
            "private-use-character",
            f"private-use characters on {more:,} more lines from here on (the first "
            f"{_PRIVATE_USE_LINES_SHOWN} are listed one by one); most readers see nothing or a "
            "box for them",
        )


def _link_issues(resource: Resource) -> Iterator[Issue]:
    url = resource.url.strip()
    title = resource.title
    if not url:
        yield Issue(resource.line, "error", "empty-url", f"resource {title!r} has an empty link")
        return
    scheme = url_scheme(url)
    if scheme in UNSAFE_SCHEMES:
        yield Issue(
            resource.line,
            "error",
            "unsafe-url",
            f"resource {title!r} links to a {scheme}: URL, which is not allowed "
            "(it can run code or open local files); use an http(s) link",
        )
    elif scheme is None:
        yield Issue(
            resource.line,
            "error",
            "relative-url",
            f"resource {title!r} links to the relative path {url!r}; "
            "a resource needs an absolute URL such as https://...",
        )


def _url_key(url: str) -> str:
    """The URL as compared for duplicates: scheme and host lowercased, no trailing ``/``."""
    match = _URL_PARTS_RE.match(url.strip())
    if match is None:
        return ""
    scheme, authority, path, query = match.groups()
    return f"{scheme.lower()}:{(authority or '').lower()}{path.rstrip('/')}{query or ''}"


def _tag_issues(
    resource: Resource, uses_languages: bool, uses_prices: bool, declared: frozenset[str]
) -> Iterator[Issue]:
    title = resource.title
    if uses_languages and not resource.languages:
        yield Issue(
            resource.line,
            "warning",
            "missing-language",
            f"resource {title!r} has no language tag such as (English)",
        )
    if uses_prices and resource.cost is None:
        yield Issue(
            resource.line,
            "warning",
            "missing-price",
            f"resource {title!r} has no price tag (Free) or (Paid)",
        )
    for tag in resource.tags:
        if inline.tag_meaning(tag) is None and tag_key(tag) not in declared:
            yield Issue(
                resource.line,
                "warning",
                "unknown-tag",
                f"resource {title!r} has an unknown tag ({tag}), kept as written; "
                "known tags are languages such as (English) or (فارسی), prices (Free) or "
                "(Paid), formats such as (PDF) and kinds such as (Video); declare others in the "
                "front matter ('tags: ...')",
            )


def _has_prose(nodes: tuple[Node, ...]) -> bool:
    """Whether there is text a reader sees (an HTML comment, such as a noqa one, is none)."""
    return any(
        isinstance(node, Text)
        and (_COMMENT_RE.sub("", node.raw) if "<!--" in node.raw else node.raw).strip()
        for node in nodes
    )


def _empty_issues(section: Section) -> Iterator[Issue]:
    for topic in section.topics:
        if not topic.in_progress and not topic.resources and not _has_prose(topic.body):
            yield Issue(
                topic.line,
                "warning",
                "empty-topic",
                f"topic {topic.title!r} has no resources; add some or mark it (In Progress)",
            )
    if (
        section.kind != "text"
        and not section.in_progress
        and not section.all_resources
        and not section.topics
        and not _has_prose(section.body)
    ):
        yield Issue(
            section.line,
            "warning",
            "empty-section",
            f"section {section.title!r} has no resources; add some or mark it (In Progress)",
        )


def _texts(nodes: tuple[Node, ...]) -> Iterator[Text]:
    for node in nodes:
        if isinstance(node, Text):
            yield node
        elif isinstance(node, LabelGroup | Topic):
            yield from _texts(node.body)


def _toc_entries(text: Text) -> Iterator[tuple[int, str, str]]:
    for offset, line in enumerate(split_lines(text.raw)):
        match = _TOC_LINE_RE.match(line.lstrip("\ufeff"))
        if match:
            yield text.line + offset, inline.unescape(match.group("text")), match.group("anchor")


def _toc_issues(doc: Document) -> Iterator[Issue]:
    entries: list[tuple[int, str, str, Section | None]] = []
    for text in doc.preamble:
        entries.extend((line, label, anchor, None) for line, label, anchor in _toc_entries(text))
    for section in doc.sections:
        for text in _texts(section.body):
            entries.extend(
                (line, label, anchor, section) for line, label, anchor in _toc_entries(text)
            )
    if not entries:
        return
    # Headings may be missing only from a real table of contents: two or more entries, before
    # the first section or in a text section (awesome lists' "Contents").
    toc = [entry for entry in entries if entry[3] is None or entry[3].kind == "text"]
    anchors = {anchor.lower() for anchor in doc.anchors}
    anchors.add("top")  # browsers scroll to the top for #top when nothing has that id
    html_anchors: set[str] | None = None  # <a id>, <a name>, <h2 id>: read only when needed
    by_title: dict[str, Section | Topic] = {}
    for section in doc.sections:
        by_title.setdefault(section.title.lower(), section)
        for topic in section.topics:
            by_title.setdefault(topic.title.lower(), topic)
    listed: set[str] = set()
    for line, label, anchor, _section in entries:
        target = unquote(anchor).lower()
        if target in anchors or not target:
            listed.add(target)
            continue
        if html_anchors is None:
            html_anchors = {name.lower() for name in slug.html_anchors(render(doc))}
        if target in html_anchors:
            listed.add(target)
            continue
        heading = by_title.get(" ".join(label.split()).lower())
        if heading is not None:
            listed.add(heading.slug.lower())
            message = (
                f"table of contents links to #{anchor}, but the heading {heading.title!r} "
                f"has the anchor #{heading.slug}"
            )
        else:
            message = f"table of contents links to #{anchor}, which is no heading of this file"
        yield Issue(line, "warning", "toc-broken-anchor", message)

    if len(toc) < 2:
        return
    toc_sections = {id(section) for *_rest, section in toc if section is not None}
    sections_listed = any(section.slug.lower() in listed for section in doc.sections)
    for section in doc.sections:
        if id(section) in toc_sections:
            continue
        if sections_listed and section.slug.lower() not in listed:
            yield _missing(section)
        topics = section.topics
        if any(topic.slug.lower() in listed for topic in topics):
            for topic in topics:
                if topic.slug.lower() not in listed:
                    yield _missing(topic)


def _missing(heading: Section | Topic) -> Issue:
    return Issue(
        heading.line,
        "warning",
        "toc-missing-heading",
        f"heading {heading.title!r} is missing from the table of contents",
    )
