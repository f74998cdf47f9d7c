"""WSGI entry point (granian serves it in WSGI mode: ``learnmap serve``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnmap.config.settings")
_django = get_wsgi_application()


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
