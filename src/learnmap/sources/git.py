"""Git, driven through Debian's ``git`` command line: fetch a branch, read a file at a commit.

Every command runs with a time limit (``SOURCES_GIT_TIMEOUT``; the whole process group is
stopped when it passes), in the C locale, without the system's or the user's configuration
(``GIT_CONFIG_NOSYSTEM``, ``GIT_CONFIG_GLOBAL=/dev/null``, ``HOME`` in the sources
directory), never prompting (``GIT_TERMINAL_PROMPT=0``, ssh in batch mode), with the
transports that run commands turned off. Credentials reach git through its environment only
(``remote.Resolved``), and every message git prints is scrubbed of them before it goes into
an error.

Each source has a local clone (``<SOURCES_DIR>/<slug>``): a fetch updates
``refs/remotes/origin/<branch>``; reading never depends on the working tree, which is left
to the changes sent back.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shlex
import shutil
import signal
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings

from learnmap.core.errors import ApplicationError
from learnmap.sources.remote import Resolved, scrub

SAFE_OPTIONS = (
    "-c", "protocol.ext.allow=never",
    "-c", "protocol.fd.allow=never",
    "-c", "core.askPass=",
    "-c", "http.followRedirects=initial",
    "-c", "http.lowSpeedLimit=1000",
    "-c", "http.lowSpeedTime=60",
    "-c", "core.hooksPath=/dev/null",
    "-c", "advice.detachedHead=false",
    "-c", "init.defaultBranch=main",
)  # fmt: skip
# The one-off credential helper: hands git the credentials from its own environment.
CREDENTIAL_HELPER = (
    '!f() { test "$1" = get || exit 0; '
    'printf "username=%s\\npassword=%s\\n" "$LEARNMAP_GIT_CRED_USER" "$LEARNMAP_GIT_CRED_PASS"; '
    "}; f"
)
_PASS_THROUGH = ("PATH", "SSH_AUTH_SOCK", "http_proxy", "https_proxy", "no_proxy", "HTTPS_PROXY")
SHA_RE = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


class GitError(ApplicationError):
    """Git failed; ``message`` names the problem, without any credential."""


@dataclass(frozen=True)
class Clone:
    """A source's local clone."""

    directory: Path

    @property
    def lock_path(self) -> Path:
        return self.directory.with_name(self.directory.name + ".lock")


def sources_dir() -> Path:
    return Path(settings.SOURCES_DIR)


def clone_for(*, slug: str) -> Clone:
    return Clone(directory=sources_dir() / slug)


def _environment(remote: Resolved | None) -> dict[str, str]:
    home = sources_dir() / ".home"
    home.mkdir(parents=True, exist_ok=True)
    env = {k: os.environ[k] for k in _PASS_THROUGH if k in os.environ}
    env.setdefault("PATH", "/usr/bin:/bin")
    env.update(
        HOME=str(home),
        LANG="C",
        LC_ALL="C",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_TERMINAL_PROMPT="0",
        GIT_ASKPASS="/bin/false",
        SSH_ASKPASS="/bin/false",
    )
    # ssh finds ~/.ssh through the password database, not HOME: its files are named here.
    known_hosts = home / ".ssh" / "known_hosts"
    known_hosts.parent.mkdir(mode=0o700, exist_ok=True)
    ssh = (
        "ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new "
        f"-o UserKnownHostsFile={shlex.quote(str(known_hosts))}"
    )
    key = settings.SOURCES_SSH_KEY
    if key:
        ssh += f" -o IdentitiesOnly=yes -i {shlex.quote(key)}"
    env["GIT_SSH_COMMAND"] = ssh
    # No credential helper but ours (an empty value empties the list). Set here, not with
    # -c: git reads these before the -c options, which would empty the list again.
    env.update(GIT_CONFIG_COUNT="1", GIT_CONFIG_KEY_0="credential.helper", GIT_CONFIG_VALUE_0="")
    if remote is not None and remote.password:
        env.update(
            GIT_CONFIG_COUNT="2",
            GIT_CONFIG_KEY_1="credential.helper",
            GIT_CONFIG_VALUE_1=CREDENTIAL_HELPER,
            LEARNMAP_GIT_CRED_USER=remote.username,
            LEARNMAP_GIT_CRED_PASS=remote.password,
        )
    return env


def git_run(
    args: Sequence[str],
    *,
    cwd: Path | None = None,
    remote: Resolved | None = None,
    timeout: float | None = None,
    what: str = "git",
    env: Mapping[str, str] | None = None,
) -> bytes:
    """Run ``git <args>``; its standard output. Failure: a GitError with git's message,
    scrubbed of credentials. ``env``: more variables for git (an identity, an index file)."""
    timeout = timeout or settings.SOURCES_GIT_TIMEOUT
    secrets = remote.secrets if remote else ()
    try:
        process = subprocess.Popen(
            ["git", *SAFE_OPTIONS, *args],
            cwd=cwd,
            env={**_environment(remote), **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its helpers (ssh, git-remote-https) stop with it
        )
    except FileNotFoundError:
        raise GitError(
            "The git command is not installed on this server (Debian: apt install git).",
            code="git_missing",
        ) from None
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise GitError(
            f"{what} took longer than {timeout:g} seconds and was stopped.", code="git_timeout"
        ) from None
    if process.returncode != 0:
        message = _git_message(err.decode("utf-8", "replace"))
        raise GitError(scrub(f"{what} failed: {message}", secrets=secrets), code="git_failed")
    return out


def _git_message(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    useful = [line for line in lines if line.startswith(("fatal:", "error:"))] or lines
    text = " ".join(useful)[:500]
    return text.removeprefix("fatal: ").removeprefix("error: ") or "no message"


@contextlib.contextmanager
def clone_locked(clone: Clone) -> Iterator[Clone]:
    """The clone, for this process alone until the block ends (a fetch and a read together)."""
    clone.directory.parent.mkdir(parents=True, exist_ok=True)
    with open(clone.lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield clone
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def clone_remove(clone: Clone) -> None:
    shutil.rmtree(clone.directory, ignore_errors=True)
    clone.lock_path.unlink(missing_ok=True)


def branch_check(branch: str) -> str:
    branch = branch.strip()
    if not branch or branch.startswith("-"):
        raise ApplicationError(f"{branch!r} is not a branch name.", code="bad_branch")
    try:
        git_run(["check-ref-format", "--branch", branch], what="Checking the branch name")
    except GitError:
        raise ApplicationError(
            f"{branch!r} is not a valid branch name.", code="bad_branch"
        ) from None
    return branch


def path_check(path: str) -> str:
    """A file path inside the repository, as git names it (``docs/roadmap.md``)."""
    clean = path.strip().replace("\\", "/").removeprefix("./")
    parts = PurePosixPath(clean).parts
    if not clean or clean.startswith("/") or ".." in parts or clean.endswith("/"):
        raise ApplicationError(
            f"{path!r} is not a file path inside the repository: write it relative to the "
            "repository's top, e.g. README.md or docs/roadmap.md.",
            code="bad_path",
        )
    return str(PurePosixPath(*parts))


def fetch(*, clone: Clone, remote: Resolved, branch: str, shown_url: str) -> str:
    """Fetch ``branch`` of ``remote`` into the clone; the branch head's commit sha."""
    if not (clone.directory / ".git").is_dir():
        clone.directory.mkdir(parents=True, exist_ok=True)
        git_run(["init", "--quiet", str(clone.directory)], what="Creating the local clone")
    ref = f"refs/remotes/origin/{branch}"
    try:
        git_run(
            ["fetch", "--quiet", "--no-tags", "--", remote.url, f"+refs/heads/{branch}:{ref}"],
            cwd=clone.directory,
            remote=remote,
            what=f"Fetching {shown_url}",
        )
    except GitError as exc:
        if "couldn't find remote ref" in exc.message:
            raise GitError(
                f"The branch {branch!r} does not exist in {shown_url}.", code="branch_missing"
            ) from None
        raise
    return head(clone=clone, branch=branch)


def head(*, clone: Clone, branch: str) -> str:
    out = git_run(
        ["rev-parse", "--verify", "--quiet", f"refs/remotes/origin/{branch}^{{commit}}"],
        cwd=clone.directory,
        what=f"Reading the head of {branch!r}",
    )
    return out.decode().strip()


def file_read(*, clone: Clone, sha: str, path: str, branch: str, max_bytes: int) -> bytes:
    """The bytes of ``path`` at commit ``sha``; a GitError naming the path when it is not a
    file there, or is larger than ``max_bytes``."""
    spec = f"{sha}:{path}"
    where = f"branch {branch!r} (commit {sha[:12]})"
    try:
        kind = git_run(["cat-file", "-t", spec], cwd=clone.directory, what="Reading the file")
    except GitError:
        raise GitError(f"{path} is not in {where}.", code="path_missing") from None
    if kind.decode().strip() != "blob":
        raise GitError(f"{path} in {where} is a directory, not a file.", code="path_missing")
    size = int(git_run(["cat-file", "-s", spec], cwd=clone.directory, what="Reading the file"))
    if size > max_bytes:
        raise GitError(
            f"{path} in {where} is too large ({size} bytes; at most {max_bytes}).",
            code="file_too_large",
        )
    return git_run(["cat-file", "blob", spec], cwd=clone.directory, what="Reading the file")


def file_read_if_any(*, clone: Clone, sha: str, path: str, max_bytes: int) -> bytes | None:
    """The bytes of ``path`` at commit ``sha``, or None when there is no such file."""
    spec = f"{sha}:{path}"
    try:
        kind = git_run(["cat-file", "-t", spec], cwd=clone.directory, what="Reading the file")
    except GitError:
        return None
    if kind.decode().strip() != "blob":
        return None
    size = int(git_run(["cat-file", "-s", spec], cwd=clone.directory, what="Reading the file"))
    if size > max_bytes:
        raise GitError(f"{path} is too large ({size} bytes; at most {max_bytes}).")
    return git_run(["cat-file", "blob", spec], cwd=clone.directory, what="Reading the file")
