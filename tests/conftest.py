"""Fixtures shared by every test package.

The test settings (``tests/settings.py``) point ``LEARNMAP_DATA_DIR`` at a temporary directory
before the real settings load, so no test writes into the repository's ``./var``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LEARNMAP = Path(sys.executable).with_name("learnmap")


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # whitenoise warns on every request when STATIC_ROOT is missing; tests collect nothing.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """Compile the .po files as the build does, and drop any catalogue loaded before."""
    from django.core.management import call_command
    from django.utils.translation import trans_real

    call_command("compiletranslations", verbosity=0)
    trans_real._translations = {}
    trans_real._default = None


@pytest.fixture(autouse=True)
def forget_what_processes_keep() -> None:
    """Each test starts as a fresh process would: the per-process memos empty, and no user or
    roadmap header left in the shared cache by an earlier test (a rolled-back test deletes its
    rows without the signals that forget them)."""
    from django.core.cache import cache

    from learnmap.core.cache import memos_clear

    memos_clear()
    cache.clear()


@pytest.fixture
def fresh_cache(settings) -> None:
    """This test's own empty cache (pages, maps, structures, rate counts) and per-process memos:
    nothing cached leaks between tests. Opt in with ``pytest.mark.usefixtures("fresh_cache")``."""
    import uuid

    from learnmap.core.cache import memos_clear

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4()}",
        }
    }
    memos_clear()


@pytest.fixture
def learnmap_env(tmp_path: Path) -> dict[str, str]:
    """The environment for a ``learnmap`` process: this one's, with its own data directory."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["LEARNMAP_DATA_DIR"] = str(tmp_path / "data")
    return env


@pytest.fixture
def learnmap(
    learnmap_env: dict[str, str], tmp_path: Path
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed ``learnmap`` command, as a user would, and capture what it printed."""
    if not LEARNMAP.exists():
        pytest.fail(f"{LEARNMAP} is missing: install the project first (pip install -e .).")

    def run(
        *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(LEARNMAP), *args],
            env=learnmap_env if env is None else env,
            cwd=cwd or tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


@pytest.fixture
def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (at the time of asking)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last. Playwright's sync API keeps an event loop running in the main
    thread for as long as its browser lives (a session fixture), and asyncio.run(), which the
    link checker's tests use, refuses to start inside a running loop."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
