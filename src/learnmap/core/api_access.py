"""Moved to the ``learnmap.core.api`` package (``auth``, ``ratelimit``). These names stay here
only for the two modules that still import them from this place (``catalog/api.py``,
``learning/views/browse.py``); import them from ``learnmap.core.api`` instead."""

from learnmap.core.api.auth import ANYONE, ANYONE_SECURITY
from learnmap.core.api.ratelimit import SEARCHES, SEARCHES_WITH_Q, RateLimit

__all__ = ["ANYONE", "ANYONE_SECURITY", "SEARCHES", "SEARCHES_WITH_Q", "RateLimit"]
