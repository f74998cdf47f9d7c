"""Configuration from the environment, as a user meets it through the `learnmap` command."""

from __future__ import annotations

import stat
import subprocess

import pytest

from tests.conftest import LEARNMAP

PRINT_DATABASE = (
    "from django.conf import settings; db = settings.DATABASES['default']; "
    "print(db['ENGINE'], db['NAME'], db['HOST'], db['PORT'])"
)


@pytest.mark.parametrize("command", [["check"], ["migrate"], ["createsuperuser", "--noinput"]])
def test_production_without_secret_key_is_one_clear_line(learnmap, learnmap_env, command):
    env = {**learnmap_env, "LEARNMAP_ENV": "production", "DATABASE_URL": "postgres://x@db/x"}
    env.pop("SECRET_KEY", None)

    result = learnmap(*command, env=env)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("learnmap: configuration error: SECRET_KEY must be set")


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        (
            {"LEARNMAP_ENV": "production", "SECRET_KEY": "s" * 50, "DATABASE_URL": ""},
            "DATABASE_URL",
        ),
        ({"DEBUG": "maybe"}, "DEBUG"),
    ],
)
def test_other_configuration_errors_name_the_variable(learnmap, learnmap_env, variables, named):
    result = learnmap("check", env={**learnmap_env, **variables})

    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert named in result.stderr
    assert "Traceback" not in result.stderr


def test_secret_key_is_generated_once_and_kept(learnmap, learnmap_env, tmp_path):
    env = {k: v for k, v in learnmap_env.items() if k != "SECRET_KEY"}
    show = (
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
    )
    # Several processes starting at once on an empty data directory, then one more later.
    starting = [
        subprocess.Popen(
            [str(LEARNMAP), *show], env=env, cwd=tmp_path, stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    keys = {process.communicate(timeout=120)[0].strip() for process in starting}
    keys.add(learnmap(*show, env=env).stdout.strip())

    key_file = tmp_path / "data" / "secret_key"
    assert keys == {key_file.read_text().strip()}
    assert len(keys.pop()) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_secret_key_from_the_environment_wins(learnmap, learnmap_env, tmp_path):
    env = {**learnmap_env, "SECRET_KEY": "from-the-environment-" + "x" * 40}

    result = learnmap(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        env=env,
    )

    assert result.stdout.strip() == env["SECRET_KEY"]
    assert not (tmp_path / "data" / "secret_key").exists()


def test_embedded_default_is_sqlite_in_the_data_directory(learnmap, learnmap_env, tmp_path):
    env = {k: v for k, v in learnmap_env.items() if k != "DATABASE_URL"}

    result = learnmap("migrate", env=env)

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "learnmap.sqlite3").is_file()


def test_database_url_is_honoured(learnmap, learnmap_env, tmp_path):
    elsewhere = tmp_path / "elsewhere.sqlite3"
    env = {**learnmap_env, "DATABASE_URL": f"sqlite:///{elsewhere}"}

    result = learnmap("migrate", env=env)

    assert result.returncode == 0, result.stderr
    assert elsewhere.is_file()
    assert not (tmp_path / "data" / "learnmap.sqlite3").exists()

    postgres = "postgres://learner:pw@db.example:6543/maps"
    result = learnmap(
        "shell", "-v", "0", "-c", PRINT_DATABASE, env={**learnmap_env, "DATABASE_URL": postgres}
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "maps", "db.example", "6543"]
