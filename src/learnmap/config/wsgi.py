"""WSGI entry point (granian serves it in WSGI mode: ``learnmap serve``)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnmap.config.settings")
_django = get_wsgi_application()


# Collect garbage after 50,000 new container objects rather than Python's 700, and walk
# the older generations a little less often: parsing a large roadmap or syncing its catalog
# allocates hundreds of thousands of short-lived objects, and with the defaults each accept of
# a proposal on a 3,000-resource roadmap paid for a full collection or two (about 60 ms each).
GC_THRESHOLDS = (50_000, 20, 20)


def _settle() -> None:
    """Import every view now, hand what start-up built (Django, the apps, the URL patterns:
    about 100,000 objects that live as long as the process) over to ``gc.freeze``, and set
    ``GC_THRESHOLDS``. Full collections walk every tracked object, the frozen ones excepted.
    Measured by ``bench/contributions/bench_accept.py`` (which imports this module as a server
    process does), accepts on a 3,000-resource roadmap, the same hour on this machine: median
    273 ms with neither (25 full collections for 20 accepts: 1.5 s), 141 ms with both (3 full
    collections: 0.15 s); then 119-156 ms in three runs."""
    get_resolver().url_patterns  # noqa: B018  # the URLconf imports every app's views
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


_settle()


def application(environ, start_response):
    """Django, with each whole (not streamed) response handed over as a list of one body:
    granian sends a list in one go, but walks any other iterable from Python, which cost a
    fifth of the throughput of a cached page (bench/web). Streamed responses (static files,
    downloads) are passed on as they are."""
    response = _django(environ, start_response)
    if getattr(response, "streaming", True):
        return response
    try:
        return [response.content]
    finally:
        response.close()  # what the server would do after sending it: request_finished
