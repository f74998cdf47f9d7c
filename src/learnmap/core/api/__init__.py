"""The API's plumbing that every app's router uses, and that needs no app.

- ``problems``: errors as problem details (RFC 9457); ``config/api.py`` maps every error to one.
- ``bodies``: each operation's largest body, refused (413) before it is read.
- ``conditional``: ETags and 304s, on Django's ``get_conditional_response``.
- ``paging``: ``?page=&page_size=``.
- ``auth``: who is calling (token or session): ``LEARNER``, ``ANYONE``.
- ``ratelimit``: fixed windows in Django's cache: ``WRITES``, ``SEARCHES``.
- ``docs``: Swagger UI served from django-ninja's own files.

The one ``NinjaAPI`` and its error handlers are in ``config/api.py``, which also hands
``auth`` the lookup of accounts' tokens (core imports no app). The names below are the ones
routers import (``from learnmap.core.api import problems, conditional``).
"""

from learnmap.core.api.auth import ANYONE, ANYONE_SECURITY, LEARNER, Caller
from learnmap.core.api.bodies import body_limit
from learnmap.core.api.conditional import conditional, not_modified
from learnmap.core.api.paging import PagePagination
from learnmap.core.api.problems import Problem, problems
from learnmap.core.api.ratelimit import SEARCHES, SEARCHES_WITH_Q, WRITES, RateLimit

__all__ = [
    "ANYONE",
    "ANYONE_SECURITY",
    "LEARNER",
    "SEARCHES",
    "SEARCHES_WITH_Q",
    "WRITES",
    "Caller",
    "PagePagination",
    "Problem",
    "RateLimit",
    "body_limit",
    "conditional",
    "not_modified",
    "problems",
]
