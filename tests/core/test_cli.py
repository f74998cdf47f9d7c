"""The `learnmap` command: Django's commands through one entry point, Markdown ones without it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from learnmap import __version__ as learnmap_version
from tests.conftest import ROOT

SEED = ROOT / "content" / "python-backend.md"


def test_a_django_command_runs_through_learnmap(learnmap):
    result = learnmap("check")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("args", [(), ("help",)])
def test_help_lists_django_and_markdown_commands(learnmap, args):
    result = learnmap(*args)

    assert result.returncode == 0, result.stderr
    listed = {line.strip() for line in result.stdout.splitlines()}
    assert {"convert", "lint", "serve", "migrate", "createsuperuser"} <= listed


@pytest.mark.parametrize("flag", ["--version", "version"])
def test_version_is_learnmaps(learnmap, flag):
    result = learnmap(flag)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"learnmap {learnmap_version} (Django ")


def test_unknown_command_says_so(learnmap):
    result = learnmap("frobnicate")

    assert result.returncode == 1
    assert "Unknown command: 'frobnicate'" in result.stderr


def test_markdown_commands_are_dispatched_without_django(tmp_path):
    """`learnmap lint` hands its arguments over as they are and never imports Django."""
    script = (
        "import sys, types\n"
        "fake = types.ModuleType('learnmap.roadmap_md.cli')\n"
        "fake.main = lambda argv: print(list(argv)) or 3\n"
        "sys.modules[fake.__name__] = fake\n"
        "from learnmap.cli import main\n"
        "code = main(['lint', 'README.md', '--strict'])\n"
        "print('django imported' if 'django' in sys.modules else 'no django')\n"
        "raise SystemExit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 3, result.stderr
    assert result.stdout.splitlines() == ["['lint', 'README.md', '--strict']", "no django"]
    assert not (tmp_path / "var").exists()


def test_lint_runs_anywhere_without_configuration(learnmap, learnmap_env, tmp_path):
    """In another repository's CI: no data directory, no database, not even valid settings."""
    env = {k: v for k, v in learnmap_env.items() if k not in {"LEARNMAP_DATA_DIR", "SECRET_KEY"}}
    env["LEARNMAP_ENV"] = "production"

    result = learnmap("lint", str(SEED), env=env, cwd=tmp_path)

    assert result.returncode in (0, 1), result.stderr
    assert "python-backend.md" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [("help", "lint"), ("lint", "--help")])
def test_lint_help(learnmap, args):
    result = learnmap(*args)

    assert result.returncode == 0, result.stderr
    assert "usage: learnmap lint" in result.stdout
