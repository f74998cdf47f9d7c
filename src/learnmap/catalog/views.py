"""Catalog pages (thin: call a selector or service, render)."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import conditional_page

from learnmap.catalog import services
from learnmap.core.errors import NotFound


@conditional_page  # an ETag of the bytes, and a 304 for a matching If-None-Match
def roadmap_markdown(request, slug: str):
    """The roadmap's Markdown source, as the maintainers wrote it."""
    try:
        source = services.roadmap_export(slug=slug)
    except NotFound as exc:
        raise Http404(exc.message) from None
    response = HttpResponse(source, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{slug}.md"'
    return response
