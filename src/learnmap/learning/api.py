"""The learner's API: their progress, electives and notes, export and import.

Every endpoint acts for the caller (``request.auth.user``) and nobody else: a node or resource
key names a thing in the catalog, never another learner's row, so there is no id a learner
could send to reach someone else's data.
"""

import json
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Path, Router, Status

from learnmap.catalog import selectors as catalog_selectors
from learnmap.catalog.schemas import ROADMAP_SLUG
from learnmap.core.api import LEARNER, WRITES, body_limit, conditional, problems
from learnmap.core.errors import NotFound
from learnmap.learning import selectors, services
from learnmap.learning.learners import UserLearner
from learnmap.learning.schemas import (
    ElectiveIn,
    ElectiveOut,
    ImportOut,
    NodeStateIn,
    NodeStateSetOut,
    NoteIn,
    NoteOut,
    ProgressExport,
    ResourceDoneIn,
    ResourceDoneOut,
    RoadmapProgressOut,
)
from learnmap.learning.services import portability

router = Router(tags=["Progress"], auth=LEARNER)

SLUG = ROADMAP_SLUG
NODE_KEY = Path(..., description="The section's or topic's key.")
RESOURCE_KEY = Path(..., description="The resource's key.")
READ_ERRORS = problems(401, 403, 404, 422)
WRITE_ERRORS = problems(400, 401, 403, 404, 409, 413, 422, 429)


def _learner(request: HttpRequest) -> UserLearner:
    return UserLearner(user=request.auth.user)


@router.get(
    "/me/progress/{slug}",
    response={200: RoadmapProgressOut, 304: None, **READ_ERRORS},
    summary="My progress on a roadmap",
)
def progress_get(request: HttpRequest, slug: str = SLUG):
    """The caller's states, resources done, chosen electives and which nodes have notes on one
    roadmap, with the figures the site shows."""
    roadmap = catalog_selectors.roadmap_header_get(slug=slug)
    progress = selectors.roadmap_progress_get(learner=_learner(request), roadmap=roadmap)
    state, overall = progress.state, progress.figures.overall
    return {
        "roadmap": roadmap.slug,
        "revision": roadmap.revision,
        "nodes": [{"key": k, "state": v} for k, v in sorted(state.node_states.items())],
        "resources_done": sorted(state.resources_done),
        "electives": sorted(state.electives),
        "notes": sorted(state.notes),
        "figures": {
            "total": overall.total,
            "done": overall.done,
            "in_progress": overall.in_progress,
            "skipped": overall.skipped,
            "percent": overall.percent,
            "resources_total": overall.resources_total,
            "resources_done": overall.resources_done,
        },
    }


@router.put(
    "/me/progress/nodes/{key}",
    response={200: NodeStateSetOut, **WRITE_ERRORS},
    throttle=WRITES,
    summary="Set my state on a section or topic",
)
def node_state_set(request: HttpRequest, payload: NodeStateIn, key: UUID = NODE_KEY):
    """Idempotent: setting the state it already has changes nothing. ``not_started`` clears
    it. Starting or finishing a node of an elective section also chooses that elective."""
    node = catalog_selectors.node_get_by_key(key=key)
    state = services.progress_set(learner=_learner(request), node=node, state=payload.state)
    return {"key": node.key, "state": state}


@router.put(
    "/me/progress/resources/{key}",
    response={200: ResourceDoneOut, **WRITE_ERRORS},
    throttle=WRITES,
    summary="Mark a resource done or not",
)
def resource_done_set(request: HttpRequest, payload: ResourceDoneIn, key: UUID = RESOURCE_KEY):
    """Idempotent."""
    resource = catalog_selectors.resource_get_by_key(key=key)
    done = services.resource_progress_set(
        learner=_learner(request), resource=resource, done=payload.done
    )
    return {"key": resource.key, "done": done}


@router.put(
    "/me/electives/{key}",
    response={200: ElectiveOut, **WRITE_ERRORS},
    throttle=WRITES,
    summary="Choose an elective section, or drop it",
)
def elective_set(request: HttpRequest, payload: ElectiveIn, key: UUID = NODE_KEY):
    """Only elective sections can be chosen; a chosen one counts in the figures. Dropping it
    keeps the progress made in it. Idempotent."""
    node = catalog_selectors.node_get_by_key(key=key)
    chosen = services.elective_set(learner=_learner(request), node=node, chosen=payload.chosen)
    return {"key": node.key, "chosen": chosen}


# --- notes -------------------------------------------------------------------------------------


def _note_out(node, note) -> dict[str, Any]:
    return {
        "key": node.key,
        "text": note.text if note else "",
        "html": str(note.html) if note else "",
        "updated_at": note.updated_at if note else None,
    }


@router.get(
    "/me/notes/{key}",
    response={200: NoteOut, 304: None, **READ_ERRORS},
    summary="My note on a section or topic",
)
def note_get(request: HttpRequest, key: UUID = NODE_KEY):
    """404 when the caller has no note there."""
    node = catalog_selectors.node_get_by_key(key=key)
    note = selectors.note_get(learner=_learner(request), node=node)
    if note is None:
        raise NotFound("You have no note on this section or topic.", code="no_note")
    return _note_out(node, note)


@router.put(
    "/me/notes/{key}",
    response={200: NoteOut, **WRITE_ERRORS},
    throttle=WRITES,
    summary="Write my note on a section or topic",
)
def note_put(request: HttpRequest, payload: NoteIn, key: UUID = NODE_KEY):
    """Replaces the note (Markdown). Empty text deletes it. Idempotent."""
    node = catalog_selectors.node_get_by_key(key=key)
    learner = _learner(request)
    services.note_save(learner=learner, node=node, text=payload.text)
    return _note_out(node, selectors.note_get(learner=learner, node=node))


@router.delete(
    "/me/notes/{key}",
    response={204: None, **WRITE_ERRORS},
    throttle=WRITES,
    summary="Delete my note on a section or topic",
)
def note_delete(request: HttpRequest, key: UUID = NODE_KEY):
    """Idempotent: deleting a note that is not there is fine."""
    node = catalog_selectors.node_get_by_key(key=key)
    services.note_save(learner=_learner(request), node=node, text="")
    return Status(204, None)


# --- export and import ---------------------------------------------------------------------------


@router.get(
    "/me/export",
    response={200: ProgressExport, 304: None, **READ_ERRORS},
    summary="Export my data",
)
def progress_export(request: HttpRequest):
    """Everything the caller tracked, on every roadmap (the same file as the site's export)."""
    data = services.progress_export(user=request.auth.user)
    body = json.dumps(data, ensure_ascii=False).encode()
    return conditional(request, HttpResponse(body, content_type="application/json"))


def _import_max_bytes() -> int:
    return portability.import_max_bytes()  # the site's form takes the same


@router.post(
    "/me/import",
    response={200: ImportOut, **WRITE_ERRORS},
    throttle=WRITES,
    summary="Import my data",
)
@body_limit(_import_max_bytes)
def progress_import(request: HttpRequest, payload: ProgressExport):
    """Merge an export into the caller's account: nothing already there is lost (the more
    advanced state wins, notes are merged). The whole file is checked first; any problem
    refuses it all (``errors`` lists them). Importing the same file twice changes nothing."""
    data = payload.model_dump(mode="json", exclude_unset=True)
    summary = services.progress_import(user=request.auth.user, data=data)
    total = summary.merged.total
    return {
        "changed": summary.changed,
        "roadmaps": summary.roadmaps,
        "counts": {"added": total.added, "updated": total.updated, "unchanged": total.unchanged},
        "detail": summary.message(),
    }
