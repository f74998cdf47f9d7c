"""Reading configuration from the environment (django-environ), with safe embedded defaults.

Every setting that comes from the environment is read once, through ``env`` below, in the
settings module of its concern (``config/settings/``). A value that cannot be read is
``ImproperlyConfigured`` naming the variable: the ``learnmap`` command prints it as one line
and exits with status 2 (``cli.py``), never a traceback.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Collection
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})
NOTSET = environ.Env.NOTSET


class Env(environ.Env):
    """django-environ's reader, stricter where its casts guess:

    - a boolean is one of 1/0, true/false, yes/no, on/off: django-environ reads anything else
      ("maybe", "flase") as False without a word;
    - a value of the wrong kind ("ten" for a number) is a configuration error naming the
      variable: django-environ lets Python's ValueError through, a traceback;
    - an empty variable is an unset one (``SECURE_COOKIES=`` in a compose file keeps the
      default), and a value is taken as written: django-environ would read a value starting
      with ``$`` (a password) as the name of another variable to read instead;
    - list items are stripped of surrounding blanks, and blank items dropped.
    """

    def get_value(self, var, cast=None, default=NOTSET, parse_default=False):
        raw = self.ENVIRON.get(var)
        if raw is None or not raw.strip():
            if default is NOTSET:
                raise ImproperlyConfigured(f"{var} must be set.")
            return default
        try:
            return self.parse_value(raw, cast)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{var}={raw!r} {exc}") from None

    @classmethod
    def parse_value(cls, value, cast):
        if cast is bool:
            word = value.strip().lower()
            if word not in TRUE | FALSE:
                raise ValueError("is not a boolean: use 1/0, true/false, yes/no or on/off.")
            return word in TRUE
        if cast is int:
            try:
                return int(value)
            except ValueError:
                raise ValueError("is not a whole number.") from None
        if cast is list or (isinstance(cast, list) and cast == [str]):
            return [item.strip() for item in value.split(",") if item.strip()]
        return super().parse_value(value, cast)

    def int(self, var, default=NOTSET, *, least: int | None = None) -> int:  # type: ignore[override]
        """A whole number, at least ``least`` when given."""
        value = super().int(var, default=default)
        if least is not None and value < least:
            raise ImproperlyConfigured(f"{var}={value} is too small: use {least} or more.")
        return value

    def choice(self, var: str, *, choices: Collection[str], default: str) -> str:
        """One word out of ``choices`` (case and surrounding blanks ignored), or the default."""
        value = self.str(var, default=default).strip().lower()
        if value != default and value not in choices:
            raise ImproperlyConfigured(f"{var}={value!r}: use {', '.join(choices)}.")
        return value


env = Env()


def data_dir() -> Path:
    """Where the embedded default keeps its state (SQLite file, secret key, static files)."""
    return Path(env.str("LEARNMAP_DATA_DIR", default="") or Path.cwd() / "var").resolve()


def ensure_dir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"Cannot create the data directory {path}: {exc.strerror}."
        ) from None
    return path


def secret_key(*, production: bool, directory: Path) -> str:
    """SECRET_KEY from the environment; on the embedded default, generated once and kept."""
    key = env.str("SECRET_KEY", default="").strip()
    if key:
        return key
    if production:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when LEARNMAP_ENV=production "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    key_file = ensure_dir(directory) / "secret_key"
    try:
        return key_file.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(50)
    # Written privately aside, then linked into place (which fails if the file exists): two
    # processes starting at once keep one key, and neither reads a half-written file.
    fd, draft = tempfile.mkstemp(dir=key_file.parent, prefix=".secret_key.")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key + "\n")
        os.link(draft, key_file)
    except FileExistsError:
        return key_file.read_text(encoding="ascii").strip()
    finally:
        os.unlink(draft)
    return key
