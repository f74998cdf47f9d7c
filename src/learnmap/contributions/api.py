"""The contributions API: proposing changes to a roadmap, reviewing them, and its history.

A contributor (any signed-in learner) proposes and reads their own proposals; another's is not
found. A moderator (staff, or a learner with the role for that roadmap) reads the roadmap's
queue with what each proposal would do, and accepts, declines or asks for changes. Anyone reads
a roadmap's history. Who may do what is decided by the services and selectors; the errors they
raise become problem details in ``config/api.py``.
"""

from django.http import HttpRequest
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from learnmap.catalog import selectors as catalog_selectors
from learnmap.catalog.schemas import ROADMAP_SLUG
from learnmap.contributions import selectors, services
from learnmap.contributions.schemas import (
    AcceptIn,
    DecisionIn,
    ProposalIn,
    ReviewQueueFilterIn,
)
from learnmap.contributions.schemas_out import ChangeDetailOut, ChangeOut, ProposalOut, ReviewOut
from learnmap.core.api import (
    ANYONE,
    ANYONE_SECURITY,
    LEARNER,
    WRITES,
    PagePagination,
    problems,
)

router = Router(tags=["Contributions"], auth=LEARNER)

SLUG = ROADMAP_SLUG
PROPOSAL_ID = Path(..., ge=1, le=2**63 - 1, description="The proposal's id.", examples=[1])
CHANGE_ID = Path(..., ge=1, le=2**63 - 1, description="The change's id.", examples=[1])
READ_ERRORS = problems(401, 403, 404, 422)
WRITE_ERRORS = problems(400, 401, 403, 404, 409, 413, 422, 429)


def _user(request: HttpRequest):
    return request.auth.user


# --- a contributor's proposals ------------------------------------------------------------------


@router.post(
    "/proposals",
    response={201: ProposalOut, **WRITE_ERRORS},
    throttle=WRITES,
    summary="Propose a change to a roadmap",
)
def proposal_create(request: HttpRequest, payload: ProposalIn):
    """A new resource in a section or topic (``node_key``), a better introduction for one
    (``edit_intro``, ``node_key``), or an edit or the removal of a resource
    (``resource_key``). It waits for a moderator; nothing changes until one accepts it.
    Proposals are limited per day (429 with ``Retry-After``); a blocked account gets 403."""
    fields = getattr(payload, "fields", None)
    proposal = services.proposal_create(
        author=_user(request),
        kind=payload.kind,
        node_key=getattr(payload, "node_key", None),
        resource_key=getattr(payload, "resource_key", None),
        fields=fields.model_dump(exclude_unset=True) if fields is not None else {},
        reason=payload.reason or "",
    )
    return Status(201, proposal)


@router.get(
    "/me/proposals",
    response={200: list[ProposalOut], 304: None, **READ_ERRORS},
    summary="My proposals",
)
@paginate(PagePagination)
def my_proposal_list(request: HttpRequest):
    """The caller's proposals, newest first, with their state and the moderator's reason."""
    return selectors.proposal_list_mine(author=_user(request))


@router.get(
    "/me/proposals/{proposal_id}",
    response={200: ProposalOut, 304: None, **READ_ERRORS},
    summary="One of my proposals",
)
def my_proposal_get(request: HttpRequest, proposal_id: int = PROPOSAL_ID):
    """404 for a proposal that is not the caller's."""
    return selectors.proposal_get_mine(author=_user(request), proposal_id=proposal_id)


# --- moderating ---------------------------------------------------------------------------------


@router.get(
    "/roadmaps/{slug}/proposals",
    response={200: list[ProposalOut], 304: None, **READ_ERRORS},
    summary="A roadmap's review queue",
)
@paginate(PagePagination)
def review_queue(request: HttpRequest, filters: Query[ReviewQueueFilterIn], slug: str = SLUG):
    """The proposals waiting for a decision, oldest first; by kind and by node (its key) when
    asked. Moderators of the roadmap only (403 for others)."""
    roadmap = catalog_selectors.roadmap_header_get(slug=slug)
    return selectors.review_queue(
        roadmap=roadmap, moderator=_user(request), kind=filters.kind, node_key=filters.node
    )


@router.get(
    "/proposals/{proposal_id}",
    response={200: ReviewOut, 304: None, **READ_ERRORS},
    summary="A proposal to review, with what it would do",
)
def review_get(request: HttpRequest, proposal_id: int = PROPOSAL_ID):
    """The Markdown diff accepting it would make to the roadmap as it is now, the lint errors
    it would add, the resources it may duplicate, and why it cannot be applied when it
    cannot. 404 unless the caller moderates its roadmap."""
    proposal = selectors.proposal_get_for_review(moderator=_user(request), proposal_id=proposal_id)
    preview = services.proposal_preview(proposal=proposal)
    return {
        "proposal": proposal,
        "diff": preview.diff,
        "lint_errors": preview.lint_errors,
        "duplicates": preview.duplicates,
        "link": preview.link,
        "conflict": preview.conflict,
        "problem": preview.problem,
        "acceptable": preview.acceptable,
    }


@router.post(
    "/proposals/{proposal_id}/accept",
    response={200: ChangeOut, **WRITE_ERRORS},
    throttle=WRITES,
    summary="Accept a proposal",
)
def proposal_accept(request: HttpRequest, payload: AcceptIn, proposal_id: int = PROPOSAL_ID):
    """Apply it (with ``fields`` instead of its own, when given) to the roadmap in one
    transaction: the Markdown, the catalog and the history. 409 when another moderator
    decided it first or its target is gone (it is then marked ``conflict``); 422 when it would
    add a lint error (nothing changes: edit it first)."""
    fields = payload.fields.model_dump(exclude_unset=True) if payload.fields else None
    return services.proposal_accept(
        proposal_id=proposal_id, moderator=_user(request), fields=fields
    )


@router.post(
    "/proposals/{proposal_id}/decline",
    response={200: ProposalOut, **WRITE_ERRORS},
    throttle=WRITES,
    summary="Decline a proposal",
)
def proposal_decline(request: HttpRequest, payload: DecisionIn, proposal_id: int = PROPOSAL_ID):
    """With a reason the contributor is told. 409 when it was decided already."""
    return services.proposal_decline(
        proposal_id=proposal_id, moderator=_user(request), reason=payload.reason
    )


@router.post(
    "/proposals/{proposal_id}/request-changes",
    response={200: ProposalOut, **WRITE_ERRORS},
    throttle=WRITES,
    summary="Ask the contributor for changes",
)
def proposal_request_changes(
    request: HttpRequest, payload: DecisionIn, proposal_id: int = PROPOSAL_ID
):
    """The proposal waits for the contributor's new version; the reason says what to change."""
    return services.proposal_request_changes(
        proposal_id=proposal_id, moderator=_user(request), reason=payload.reason
    )


# --- history ------------------------------------------------------------------------------------


@router.get(
    "/roadmaps/{slug}/history",
    response={200: list[ChangeOut], 304: None, **problems(401, 404, 422)},
    auth=ANYONE,
    summary="A roadmap's history",
    openapi_extra=ANYONE_SECURITY,
)
@paginate(PagePagination)
def history_list(request: HttpRequest, slug: str = SLUG):
    """Each accepted change (and revert), newest first: who proposed it, who accepted it."""
    roadmap = catalog_selectors.roadmap_header_get(slug=slug)
    return selectors.change_list(roadmap=roadmap)


@router.get(
    "/roadmaps/{slug}/history/{change_id}",
    response={200: ChangeDetailOut, 304: None, **problems(401, 404, 422)},
    auth=ANYONE,
    summary="One change in a roadmap's history, with its diff",
    openapi_extra=ANYONE_SECURITY,
)
def history_get(request: HttpRequest, slug: str = SLUG, change_id: int = CHANGE_ID):
    """The change with the unified diff it made to the roadmap's Markdown, and whether a later
    change reverted it."""
    roadmap = catalog_selectors.roadmap_header_get(slug=slug)
    change = selectors.change_get(roadmap=roadmap, change_id=change_id)
    change.reverted = selectors.change_is_reverted(change=change)
    return change
