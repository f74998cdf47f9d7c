"""A repository's `.learnmap.toml` beside the roadmap counts on a sync as it does for
`learnmap lint` and `learnmap import`: its declared tags are not "unknown", its switched-off
codes are not reported, and a broken one refuses the commit, naming the file."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from learnmap.sources.models import Source, SyncStatus
from tests.sources.conftest import Upstream

pytestmark = pytest.mark.django_db

TAGGED = """\
# Small

## Step 1: Basics

- [Site A](https://example.com/a) (English) (Chapter 3)
- [Site B](https://example.com/b)
"""


def _sync(upstream: Upstream) -> Source:
    call_command(
        "sources",
        "add",
        "small",
        upstream.url,
        "--path",
        "docs/README.md",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    return Source.objects.get()


def test_without_a_config_the_warnings_are_reported(upstream: Upstream) -> None:
    upstream.push(TAGGED, path="docs/README.md")
    source = _sync(upstream)
    assert source.last_status == SyncStatus.OK and "2 warning(s)" in source.last_message


def test_the_config_beside_the_file_counts(upstream: Upstream) -> None:
    upstream.push(
        'tags = ["Chapter 3"]\n\n[lint]\nignore = ["LM302"]\n', path="docs/.learnmap.toml"
    )
    upstream.push(TAGGED, path="docs/README.md")
    source = _sync(upstream)
    assert source.last_status == SyncStatus.OK and "warning" not in source.last_message


def test_a_broken_config_refuses_the_commit_naming_it(upstream: Upstream) -> None:
    upstream.push('[lint]\nignore = ["LM999"]\n', path="docs/.learnmap.toml")
    upstream.push(TAGGED, path="docs/README.md")
    with pytest.raises(Exception, match=r"docs/\.learnmap\.toml.*LM999"):
        _sync(upstream)
    assert not Source.objects.exists()
