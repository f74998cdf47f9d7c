"""The repository's file imported, or planned: decoded, parsed and linted with the
``.learnmap.toml`` beside it at the same commit (as ``learnmap lint`` and ``learnmap import``
read it beside a file), then handed to the catalog's import or its plan. Errors name the
commit, the file and the line."""

from __future__ import annotations

import contextlib
import posixpath
from collections.abc import Sequence

from learnmap import roadmap_md
from learnmap.catalog import services as catalog_services
from learnmap.core.errors import ApplicationError
from learnmap.roadmap_md.declared import CONFIG_NAME, Config, read_config
from learnmap.sources import git


def _prepared(*, slug: str, path: str, sha: str, data: bytes):
    """The file of commit ``sha`` decoded, parsed and linted with the ``.learnmap.toml``
    beside it: ``roadmap_import``'s and ``roadmap_import_plan``'s arguments."""
    text = roadmap_md.decode(data, name=path)
    doc = roadmap_md.parse(text)
    config = _config_at(slug=slug, sha=sha, path=path)
    linted = roadmap_md.lint(doc, extra_tags=config.tags, ignore=config.ignore)
    return {"source": text, "slug": slug, "source_name": path, "parsed": doc, "linted": linted}


@contextlib.contextmanager
def _commit_errors(*, sha: str, path: str):
    """An error of the file at commit ``sha`` told with the commit, the file and the line."""
    try:
        yield
    except roadmap_md.RoadmapInputError as exc:
        raise ApplicationError(
            f"Commit {sha[:12]}: refused {path}: {exc}. Nothing was changed.",
            code="bad_input",
            extra={"errors": [str(exc)]},
        ) from None
    except ApplicationError as exc:
        raise ApplicationError(
            f"Commit {sha[:12]}: {exc.message}", code=exc.code, extra=exc.extra
        ) from None


def source_import(
    *, slug: str, path: str, sha: str, data: bytes, renames: Sequence[str] = ()
) -> catalog_services.ImportReport:
    """Import ``data`` (the file at commit ``sha``) into roadmap ``slug``; an ApplicationError
    naming the commit, the file and the line refuses it, with nothing changed. ``renames``:
    "Old title=New title" pins (``learnmap import --rename``)."""
    with _commit_errors(sha=sha, path=path):
        prepared = _prepared(slug=slug, path=path, sha=sha, data=data)
        return catalog_services.roadmap_import(**prepared, renames=renames)


def source_plan(
    *, slug: str, path: str, sha: str, data: bytes, renames: Sequence[str] = ()
) -> catalog_services.ImportPlan:
    """What ``source_import`` of the same file would do (the catalog's plan), writing nothing;
    refused the same way."""
    with _commit_errors(sha=sha, path=path):
        prepared = _prepared(slug=slug, path=path, sha=sha, data=data)
        return catalog_services.roadmap_import_plan(**prepared, renames=renames)


CONFIG_MAX_BYTES = 64 * 1024  # a .learnmap.toml is a few lines


def _config_at(*, slug: str, sha: str, path: str) -> Config:
    """The ``.learnmap.toml`` beside the roadmap at commit ``sha`` (declared tags, lint codes
    switched off), as ``learnmap lint`` and ``learnmap import`` read it beside a file."""
    config_path = posixpath.join(posixpath.dirname(path), CONFIG_NAME)
    data = git.file_read_if_any(
        clone=git.clone_for(slug=slug), sha=sha, path=config_path, max_bytes=CONFIG_MAX_BYTES
    )
    if data is None:
        return Config()
    return read_config(roadmap_md.decode(data, name=config_path), path=config_path)
