"""Reading configuration from the environment, with safe embedded defaults."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use 1/0, true/false, yes/no.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """Where the embedded default keeps its state (SQLite file, secret key, static files)."""
    path = Path(os.environ.get("LEARNMAP_DATA_DIR") or Path.cwd() / "var").resolve()
    return path


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
    key = os.environ.get("SECRET_KEY", "").strip()
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
