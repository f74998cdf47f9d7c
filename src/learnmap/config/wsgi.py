"""WSGI entry point (granian serves it in WSGI mode: ``learnmap serve``)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnmap.config.settings")
_django = get_wsgi_application()


def _settle() -> None:
    """Import every view now, then hand what start-up built (Django, the apps, the URL
    patterns: about 100,000 objects that live as long as the process) over to ``gc.freeze``.
    Python's full garbage collections walk every tracked object; without the start-up heap
    each takes well under half the time. Measured by ``bench/contributions/bench_accept.py``
    (which imports this module as a server process does): on a 3,000-resource roadmap an
    accept's median went from about 190 ms to about 120 ms, its worst from 390 to 250 ms."""
    get_resolver().url_patterns  # noqa: B018  # the URLconf imports every app's views
    gc.collect()
    gc.freeze()


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
