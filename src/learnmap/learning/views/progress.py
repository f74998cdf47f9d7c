"""My progress: every roadmap with progress, recent activity, export and import of the
learner's own data, and the Markdown checklist of a roadmap."""

from __future__ import annotations

import json
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from learnmap.core.errors import ApplicationError
from learnmap.learning import page_cache, pages, services
from learnmap.learning.learners import learner_for_request
from learnmap.learning.services import portability
from learnmap.learning.views.common import error_text, roadmap_or_404

# --- My progress ----------------------------------------------------------------------------------


def _progress_context(request: HttpRequest) -> dict:
    page = pages.progress_page_build(learner=learner_for_request(request))
    return {"overview": page.entries, "activity": page.activity, "anonymous": page.anonymous}


@require_safe
def progress(request: HttpRequest) -> HttpResponse:
    """Every roadmap the learner has progress on, their recent activity, export and import."""
    response = render(request, "learning/progress.html", _progress_context(request))
    return page_cache.private_page(response)


@login_required
@require_safe
def progress_export(request: HttpRequest) -> HttpResponse:
    """Everything the learner tracked, as a JSON file they can import again."""
    data = services.progress_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    name = f"learnmap-progress-{date.today().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return page_cache.private_page(response)


@login_required
@require_POST
def progress_import(request: HttpRequest) -> HttpResponse:
    """Merge an exported JSON file into the account (nothing in the account is lost)."""
    upload = request.FILES.get("file")
    errors: list[str] = []
    headline = ""
    if upload is None:
        headline = _("Choose a file to import: a Learnmap progress export (.json).")
    else:
        try:
            # One byte past the limit is enough for the service to refuse a larger file.
            text = upload.read(portability.import_max_bytes() + 1)
            data = services.progress_json_load(text=text)
            summary = services.progress_import(user=request.user, data=data)
        except ApplicationError as exc:
            headline = error_text(exc)
            errors = list(exc.extra.get("errors", []))
        else:
            total = summary.merged.total
            if summary.changed:
                messages.success(
                    request,
                    _(
                        "Imported your progress on %(roadmaps)s roadmap(s): %(added)s added, "
                        "%(updated)s updated, %(unchanged)s already there."
                    )
                    % {
                        "roadmaps": len(summary.roadmaps),
                        "added": total.added,
                        "updated": total.updated,
                        "unchanged": total.unchanged,
                    },
                )
            else:
                messages.info(
                    request,
                    _("Nothing to import: your account already had everything in this file."),
                )
            return HttpResponseRedirect(_progress_url())
    context = _progress_context(request)
    context.update({"import_error": headline, "import_errors": errors})
    return page_cache.private_page(render(request, "learning/progress.html", context, status=400))


def _progress_url() -> str:
    return reverse("learning:progress")


@require_safe
def checklist(request: HttpRequest, slug: str) -> HttpResponse:
    """The roadmap as a Markdown checklist of the learner's progress."""
    roadmap = roadmap_or_404(slug)
    text = services.progress_checklist_markdown(
        learner=learner_for_request(request), roadmap=roadmap
    )
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{roadmap.slug}-checklist.md"'
    return page_cache.private_page(response)
