"""A source's URL: which ones are accepted, where credentials come from, and scrubbing them.

Any URL git understands is accepted (``https://``, ``ssh://``, ``git://``, ``file://``,
``user@host:path`` and an absolute local path), except the transports that run commands
(``ext::``) and anything that could be read as an option.

Credentials are never stored: an http(s) URL names them as placeholders of environment
variables whose names start with ``LEARNMAP_GIT_``, read when git runs::

    https://x-access-token:${LEARNMAP_GIT_TOKEN}@github.com/org/roadmap.git
    https://oauth2:${LEARNMAP_GIT_GITLAB_TOKEN}@gitlab.com/org/roadmap.git

Git never sees them in its arguments either (another user may list processes): the URL git
gets has no user name or password, and a one-off credential helper hands them over from
git's own environment. SSH URLs use a key (``LEARNMAP_GIT_SSH_KEY``) or ssh's agent. A URL
with a password or token written in clear is refused, with the message saying how to do it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from learnmap.core.errors import ApplicationError

PLACEHOLDER = re.compile(r"\$\{(LEARNMAP_GIT_[A-Z0-9_]+)\}")
_SCHEMES = {"http", "https", "ssh", "git", "file", "git+ssh", "ssh+git"}
_HTTP = {"http", "https"}
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
# user@host:path (git's "scp-like" syntax: no slash before the first colon).
_SCP_RE = re.compile(r"^(?:(?P<user>[^@/]+)@)?(?P<host>[^@/:]+):(?P<path>.*)$")
HOW = (
    "Put the token in an environment variable and name it in the URL instead, e.g. "
    "https://x-access-token:${LEARNMAP_GIT_TOKEN}@github.com/org/repo.git (the variable's "
    "name must start with LEARNMAP_GIT_)."
)
HIDDEN = "***"


@dataclass(frozen=True)
class Resolved:
    """What git is given: the URL without credentials, and the credentials apart."""

    url: str
    username: str = ""
    password: str = ""
    secrets: tuple[str, ...] = field(default=(), repr=False)

    def scrub(self, text: str) -> str:
        return scrub(text, secrets=self.secrets)


def scrub(text: str, *, secrets: tuple[str, ...] = ()) -> str:
    """``text`` without any URL's user:password@ part nor any of ``secrets``."""
    text = re.sub(r"(?<=://)[^/@\s'\"]*:[^/@\s'\"]*@", f"{HIDDEN}@", text)
    # user:password@host:path (git's scp-like form), at the start of a word
    text = re.sub(r"(^|[\s'\"(])[^\s'\"/@:]+:[^\s'\"/@]*@", rf"\1{HIDDEN}@", text)
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, HIDDEN)
    return text


def _refuse(message: str, code: str = "bad_url") -> ApplicationError:
    return ApplicationError(message, code=code)


def url_check(url: str) -> str:
    """``url`` stripped, or an ApplicationError saying what is wrong with it (the error never
    repeats a password written in it)."""
    url = url.strip()
    shown = scrub(url)
    if not url:
        raise _refuse("The repository's URL is empty.")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise _refuse(f"The repository's URL {shown!r} contains spaces or control characters.")
    if url.startswith("-"):
        raise _refuse(f"The repository's URL {shown!r} starts with '-': it is not a URL.")
    match = _SCHEME_RE.match(url)
    if match:
        _check_scheme_url(url, match.group(1).lower(), shown)
    elif "::" in url.split("/", 1)[0]:
        raise _refuse(
            f"The repository's URL {shown!r} uses a git transport helper ('...::'), which "
            "Learnmap does not run: use an https://, ssh:// or git:// URL or a local path."
        )
    elif url.startswith("/"):
        pass  # a local path
    elif (scp := _SCP_RE.match(url)) is not None:
        if scp.group("user") and ":" in scp.group("user"):
            raise _refuse(
                f"The repository's URL {shown!r} holds a password: SSH sources use a key "
                "(LEARNMAP_GIT_SSH_KEY) or ssh's agent, never a password.",
                "credentials_in_url",
            )
    else:
        raise _refuse(
            f"{shown!r} is not a repository URL git understands: use https://..., ssh://..., "
            "user@host:path, or an absolute local path."
        )
    return url


def _check_scheme_url(url: str, scheme: str, shown: str) -> None:
    if scheme not in _SCHEMES:
        raise _refuse(
            f"The repository's URL {shown!r} uses the scheme {scheme}://, which Learnmap does "
            "not fetch from: use https://, ssh://, git:// or file://."
        )
    parts = urlsplit(url)
    if scheme == "file":
        return
    if not parts.hostname:
        raise _refuse(f"The repository's URL {shown!r} names no host.")
    if "${" in f"{parts.hostname}{parts.path}{parts.query}" and scheme in _HTTP:
        raise _refuse(
            f"The repository's URL {shown!r} has a ${{...}} placeholder outside its user "
            "name and password: only those are read from the environment."
        )
    username, password = parts.username, parts.password
    if password is not None:
        if scheme not in _HTTP:
            raise _refuse(
                f"The repository's URL {shown!r} holds a password: SSH and git:// sources "
                "use a key (LEARNMAP_GIT_SSH_KEY) or ssh's agent.",
                "credentials_in_url",
            )
        if not PLACEHOLDER.fullmatch(password):
            raise _refuse(
                f"The repository's URL holds a password or token in clear ({shown}): "
                f"Learnmap never stores one. {HOW}",
                "credentials_in_url",
            )
    elif username and scheme in _HTTP:
        raise _refuse(
            f"The repository's URL {scrub_user(url)!r} carries a user name without a "
            f"password: over https that is how a token is written, and Learnmap never stores "
            f"one. {HOW}",
            "credentials_in_url",
        )
    if username and "${" in username and not PLACEHOLDER.fullmatch(username):
        raise _refuse(f"The user name in {shown!r} is not a ${{LEARNMAP_GIT_...}} placeholder.")


def scrub_user(url: str) -> str:
    """``url`` with its whole user part hidden (a lone user name may be a token)."""
    return re.sub(r"(?<=://)[^/@\s]*@", f"{HIDDEN}@", url)


def _expand(value: str, *, environ: dict[str, str] | os._Environ[str]) -> str:
    match = PLACEHOLDER.fullmatch(value)
    if match is None:
        return value
    name = match.group(1)
    found = environ.get(name, "")
    if not found:
        raise ApplicationError(
            f"The repository's URL reads the credential from ${{{name}}}, which is not set "
            "in this process's environment: set it where Learnmap runs (the server and the "
            "worker).",
            code="credentials_missing",
        )
    return found


def url_resolve(url: str, *, environ: dict[str, str] | None = None) -> Resolved:
    """What git is given for ``url``: placeholders read from the environment."""
    url = url_check(url)
    match = _SCHEME_RE.match(url)
    if not match or match.group(1).lower() not in _HTTP:
        return Resolved(url=url)
    parts = urlsplit(url)
    if parts.password is None:
        return Resolved(url=url)
    environ = os.environ if environ is None else environ
    username = _expand(parts.username or "", environ=environ)
    password = _expand(parts.password, environ=environ)
    host = parts.hostname or ""
    if ":" in host:  # IPv6
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    secrets = tuple(s for s in (password, username if username != parts.username else "") if s)
    return Resolved(url=clean, username=username, password=password, secrets=secrets)
