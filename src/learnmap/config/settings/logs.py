"""Logging: plain lines on stderr."""

from __future__ import annotations

from learnmap.config.env import env

# One level for everything; unset, WARNING for libraries and INFO for Learnmap's own lines.
_LEVEL = env.choice(
    "LOG_LEVEL",
    choices=("debug", "info", "warning", "error", "critical"),
    default="",
).upper()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": _LEVEL or "WARNING"},
    "loggers": {
        "learnmap": {"handlers": ["console"], "level": _LEVEL or "INFO", "propagate": False},
    },
}
