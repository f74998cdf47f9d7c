"""Configuration from the environment, as a user meets it through the `learnmap` command."""

from __future__ import annotations

import stat
import subprocess

import pytest
from django.core.exceptions import ImproperlyConfigured

from learnmap.config.env import Env
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
    # Django's PostgreSQL backend, with bulk statements kept under the protocol's parameter
    # limit (core/postgresql); Django's own when the server does not bind the parameters.
    assert result.stdout.split() == ["learnmap.core.postgresql", "maps", "db.example", "6543"]
    result = learnmap(
        "shell",
        "-v",
        "0",
        "-c",
        PRINT_DATABASE,
        env={**learnmap_env, "DATABASE_URL": postgres, "DATABASE_PREPARED_STATEMENTS": "false"},
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "maps", "db.example", "6543"]


# --- reading variables (config/env.py: django-environ, stricter where its casts guess) --------


def _env(**variables: str) -> Env:
    reader = Env()
    reader.ENVIRON = variables
    return reader


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1", True), ("true", True), (" Yes ", True), ("ON", True), ("0", False), ("off", False)],
)
def test_booleans_take_the_documented_words(raw, value):
    assert _env(DEBUG=raw).bool("DEBUG", default=not value) is value


@pytest.mark.parametrize("raw", ["maybe", "flase", "2", "-1", "enabled"])
def test_any_other_boolean_is_an_error_naming_the_variable(raw):
    """django-environ alone reads "maybe" or "flase" as False and "2" as True, silently."""
    with pytest.raises(ImproperlyConfigured, match=f"^DEBUG='{raw}' is not a boolean"):
        _env(DEBUG=raw).bool("DEBUG", default=False)


def test_a_word_for_a_number_is_an_error_naming_the_variable():
    """django-environ alone lets int()'s ValueError through: a traceback."""
    with pytest.raises(ImproperlyConfigured, match=r"^EMAIL_PORT='ten' is not a whole number"):
        _env(EMAIL_PORT="ten").int("EMAIL_PORT", default=587)
    with pytest.raises(ImproperlyConfigured, match=r"^EMAIL_PORT=0 is too small: use 1 or more"):
        _env(EMAIL_PORT="0").int("EMAIL_PORT", default=587, least=1)


def test_a_value_is_taken_as_written():
    """django-environ alone reads "$..." as the name of another variable (a password lost)."""
    reader = _env(EMAIL_HOST_PASSWORD="$ecret", ecret="something else")
    assert reader.str("EMAIL_HOST_PASSWORD", default="") == "$ecret"


def test_an_empty_variable_keeps_the_default_and_lists_are_trimmed():
    reader = _env(SECURE_COOKIES="", EMAIL_PORT=" ", ALLOWED_HOSTS=" a.example , ,b.example")
    assert reader.bool("SECURE_COOKIES", default=True) is True
    assert reader.int("EMAIL_PORT", default=587) == 587
    assert reader.list("ALLOWED_HOSTS", default=[]) == ["a.example", "b.example"]


@pytest.mark.parametrize(
    ("variable", "raw"),
    [
        ("LEARNMAP_ENV", "prodution"),
        ("LOG_LEVEL", "loud"),
        ("EMAIL_PORT", "ten"),
        ("LEARNMAP_LINKCHECK_INTERVAL", "-5"),
        ("SECURE_COOKIES", "sometimes"),
        ("DATABASE_URL", "nonsense"),
        ("DATABASE_URL", "postgres://learner:pw@db:port/maps"),
    ],
)
def test_every_configuration_mistake_is_one_line_and_status_2(
    learnmap, learnmap_env, variable, raw
):
    env = {**learnmap_env, variable: raw}
    if variable == "SECURE_COOKIES":  # read in production only
        env.update(LEARNMAP_ENV="production", SECRET_KEY="s" * 50, DATABASE_URL="sqlite:///x")

    result = learnmap("check", env=env)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith(f"learnmap: configuration error: {variable}")
    assert "pw@" not in result.stderr  # a database password is not printed
