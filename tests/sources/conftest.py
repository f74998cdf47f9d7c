"""Real Git repositories for the sources' tests: a bare "upstream" in a temporary directory
and a working clone that commits and pushes to it, as a maintainer would."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

SMALL = """# Small Roadmap

## Basics

- ### Reading
  - [Book A](https://example.com/a) (English) (Free)
  - [Book B](https://example.com/b) (English) (Paid)

## More

- [Site D](https://example.com/d) (English)
"""


@dataclass
class Upstream:
    """A bare repository (``url``) and a maintainer's clone of it (``work``)."""

    url: str
    work: Path
    env: dict[str, str]

    def git(self, *args: str, cwd: Path | None = None) -> str:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd or self.work,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    def push(self, text: str, *, path: str = "README.md", branch: str = "main") -> str:
        """Commit ``text`` as ``path`` on ``branch`` and push it; the commit's sha."""
        current = self.git("symbolic-ref", "--short", "HEAD")
        if current != branch:
            self.git("checkout", "-q", "-B", branch)
        target = self.work / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        self.git("add", path)
        self.git("commit", "-q", "--allow-empty", "-m", f"Edit {path}")
        self.git("push", "-q", "origin", f"{branch}:{branch}")
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def upstream(tmp_path: Path, settings) -> Upstream:
    settings.SOURCES_DIR = str(tmp_path / "sources")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Maintainer",
        "GIT_AUTHOR_EMAIL": "maintainer@example.com",
        "GIT_COMMITTER_NAME": "Maintainer",
        "GIT_COMMITTER_EMAIL": "maintainer@example.com",
    }
    bare = tmp_path / "upstream.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], env=env, check=True)
    work = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", str(bare), str(work)], env=env, check=True)
    repo = Upstream(url=str(bare), work=work, env=env)
    repo.git("checkout", "-q", "-B", "main")
    repo.push(SMALL)
    return repo
