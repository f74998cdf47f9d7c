"""Moved to the ``learnmap.core.api`` package (``auth``, ``ratelimit``): these names stay
here only for the modules that still import them from this place (``catalog/api.py``,
``learning/views/browse.py``)."""

from learnmap.core.api.auth import ANYONE, ANYONE_SECURITY, LEARNER, Caller
from learnmap.core.api.ratelimit import (
    RATE_SETTINGS,
    SEARCHES,
    SEARCHES_WITH_Q,
    WRITES,
    RateLimit,
    rate_parse,
)

__all__ = [
    "ANYONE",
    "ANYONE_SECURITY",
    "LEARNER",
    "RATE_SETTINGS",
    "SEARCHES",
    "SEARCHES_WITH_Q",
    "WRITES",
    "Caller",
    "RateLimit",
    "rate_parse",
]
