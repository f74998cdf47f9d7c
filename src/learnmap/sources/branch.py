"""The branch of changes accepted on the site, in a source's local clone: git only, no models.

- A commit is made without the working tree (a temporary index): the file's bytes, the
  author, the committer and the message exactly as given.
- A rebase onto the upstream head runs on a detached HEAD: the branch itself moves only when
  the caller says so (after the rebased file was imported), and a conflict aborts it, naming
  the file and the lines, with the branch untouched.
- The patch is ``git format-patch`` of the commits upstream lacks; the push is never a plain
  force: a fast-forward, or the replacement of Learnmap's own last push after a rebase
  (``--force-with-lease`` on that commit).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path

from learnmap.sources.git import Clone, GitError, git_run
from learnmap.sources.remote import Resolved

ZERO = "0" * 40
MARKERS = re.compile(r"^(<{7}|={7}|>{7})(?: |$)")
SHOWN_LINE = 120  # characters of a conflicting line kept in the message


@dataclass(frozen=True)
class Identity:
    name: str
    email: str


class RebaseConflict(GitError):
    """The same lines changed upstream and on the site: ``message`` names them."""


def upstream_ref(branch: str) -> str:
    return f"refs/remotes/origin/{branch}"


def local_ref(name: str) -> str:
    return f"refs/heads/{name}"


def _git(clone: Clone, *args: str, what: str, **kwargs) -> str:
    return git_run(list(args), cwd=clone.directory, what=what, **kwargs).decode().strip()


def sha_of(clone: Clone, ref: str) -> str:
    """The commit ``ref`` names, or "" when there is none."""
    if not (clone.directory / ".git").is_dir():
        return ""
    try:
        return _git(clone, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", what="rev")
    except GitError:
        return ""


def ahead(clone: Clone, *, base: str, tip: str) -> list[str]:
    """The commits of ``tip`` that ``base`` lacks, oldest first."""
    if not base:
        return [tip] if tip else []
    out = _git(clone, "rev-list", "--reverse", f"{base}..{tip}", what="Listing the changes")
    return out.split()


def is_ancestor(clone: Clone, *, older: str, newer: str) -> bool:
    try:
        git_run(["merge-base", "--is-ancestor", older, newer], cwd=clone.directory)
    except GitError:
        return False
    return True


def _ident_env(author: Identity, committer: Identity) -> dict[str, str]:
    return {
        "GIT_AUTHOR_NAME": author.name,
        "GIT_AUTHOR_EMAIL": author.email,
        "GIT_COMMITTER_NAME": committer.name,
        "GIT_COMMITTER_EMAIL": committer.email,
    }


def commit_file(
    *,
    clone: Clone,
    parent: str,
    path: str,
    data: bytes,
    author: Identity,
    committer: Identity,
    message: str,
) -> str | None:
    """A commit on ``parent`` whose ``path`` holds ``data``; None when it holds it already."""
    scratch = clone.directory / ".git" / "learnmap"
    scratch.mkdir(exist_ok=True)
    (scratch / "file").write_bytes(data)
    (scratch / "message").write_text(message, encoding="utf-8")
    index = {"GIT_INDEX_FILE": str(scratch / "index")}
    what = "Committing the accepted change"
    blob = _git(clone, "hash-object", "-w", "--no-filters", str(scratch / "file"), what=what)
    listed = _git(clone, "ls-tree", parent, "--", path, what=what)
    mode = listed.split()[0] if listed and listed.split()[0] in ("100644", "100755") else "100644"
    _git(clone, "read-tree", parent, what=what, env=index)
    _git(
        clone, "update-index", "--add", "--cacheinfo", f"{mode},{blob},{path}", what=what, env=index
    )
    tree = _git(clone, "write-tree", what=what, env=index)
    (scratch / "index").unlink(missing_ok=True)
    if tree == _git(clone, "rev-parse", f"{parent}^{{tree}}", what=what):
        return None
    return _git(
        clone,
        "commit-tree",
        tree,
        "-p",
        parent,
        "-F",
        str(scratch / "message"),
        what=what,
        env=_ident_env(author, committer),
    )


def ref_move(clone: Clone, *, ref: str, new: str, old: str) -> None:
    """Point ``ref`` at ``new`` if it is still at ``old`` ("" when it did not exist)."""
    _git(clone, "update-ref", ref, new, old or ZERO, what="Moving the changes branch")


def ref_delete(clone: Clone, *, ref: str) -> None:
    _git(clone, "update-ref", "-d", ref, what="Removing the changes branch")


def _abort_leftover(clone: Clone) -> None:
    git_dir = clone.directory / ".git"
    if (git_dir / "rebase-merge").exists() or (git_dir / "rebase-apply").exists():
        with contextlib.suppress(GitError):
            _git(clone, "rebase", "--abort", what="Ending an unfinished rebase")


def rebase(*, clone: Clone, tip: str, onto: str, committer: Identity) -> str:
    """``tip``'s commits replayed onto ``onto``: the new tip (commits upstream has already
    are dropped). A conflict aborts the rebase and raises RebaseConflict; no ref moves."""
    _abort_leftover(clone)
    what = "Rebasing the accepted changes"
    _git(clone, "checkout", "-q", "-f", "--detach", tip, what=what)
    identity = ("-c", f"user.name={committer.name}", "-c", f"user.email={committer.email}")
    try:
        _git(clone, *identity, "rebase", "-q", onto, what=what)
    except GitError:
        message = _conflict_message(clone, onto=onto)
        _abort_leftover(clone)
        raise RebaseConflict(message, code="conflict") from None
    return _git(clone, "rev-parse", "HEAD", what=what)


def _conflict_message(clone: Clone, *, onto: str) -> str:
    files = _git(
        clone, "diff", "--name-only", "--diff-filter=U", what="Reading the conflict"
    ).splitlines()
    try:
        subject = _git(clone, "log", "-1", "--format=%s", "REBASE_HEAD", what="conflict")
    except GitError:
        subject = ""
    lines = [
        f"The repository's commit {onto[:12]} and the change accepted on the site"
        + (f" ({subject})" if subject else "")
        + " changed the same lines:"
    ]
    for name in files or ["(unknown file)"]:
        lines += _conflict_lines(clone.directory / name, name)
    return "\n".join(lines)


def _conflict_lines(path: Path, name: str) -> list[str]:
    """Each conflict of the file: its lines in the repository's version, and both sides."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return [f"{name}: could not be read"]
    found, line_no, side, start = [], 0, "", 0
    theirs: list[str] = []
    ours: list[str] = []
    for line in text.splitlines():
        marker = MARKERS.match(line)
        if marker and marker.group(1)[0] == "<":
            side, start, ours, theirs = "upstream", line_no + 1, [], []
        elif marker and marker.group(1)[0] == "=" and side:
            side = "site"
        elif marker and marker.group(1)[0] == ">" and side:
            end = max(start, line_no)
            where = f"line {start}" if end == start else f"lines {start}-{end}"
            found.append(f"{name} {where} (in the repository's version):")
            found += [f"  repository: {text[:SHOWN_LINE]}" for text in ours or ["(removed)"]]
            found += [f"  site:       {text[:SHOWN_LINE]}" for text in theirs or ["(removed)"]]
            side = ""
        elif side == "site":
            theirs.append(line)
        else:
            line_no += 1
            if side == "upstream":
                ours.append(line)
    return found or [f"{name}: changed on both sides"]


def patch(*, clone: Clone, base: str, tip: str) -> bytes:
    """``git format-patch`` of the commits of ``tip`` that ``base`` lacks, in one mbox."""
    return git_run(
        ["format-patch", "--stdout", "--no-signature", f"{base}..{tip}"],
        cwd=clone.directory,
        what="Making the patch",
    )


def remote_head(*, clone: Clone, remote: Resolved, name: str, shown_url: str) -> str:
    """Fetch the repository's branch ``name`` (the changes branch); its head, "" if absent."""
    ref = upstream_ref(name)
    try:
        git_run(
            ["fetch", "--quiet", "--no-tags", "--", remote.url, f"+{local_ref(name)}:{ref}"],
            cwd=clone.directory,
            remote=remote,
            what=f"Fetching {name!r} from {shown_url}",
        )
    except GitError as exc:
        if "couldn't find remote ref" in exc.message:
            return ""
        raise
    return sha_of(clone, ref)


def push(
    *, clone: Clone, remote: Resolved, name: str, tip: str, lease: str, shown_url: str
) -> None:
    """Push ``tip`` as the repository's branch ``name``: a fast-forward, or, with ``lease``,
    the replacement of that commit only (anything else there refuses the push)."""
    args = ["push", "--quiet", "--no-verify"]
    if lease:
        args.append(f"--force-with-lease={local_ref(name)}:{lease}")
    git_run(
        [*args, "--", remote.url, f"{tip}:{local_ref(name)}"],
        cwd=clone.directory,
        remote=remote,
        what=f"Pushing {name!r} to {shown_url}",
    )
