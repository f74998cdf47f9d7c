"""The account's API: who am I, and my personal access tokens (make, list, revoke).

A learner only ever sees and revokes their own tokens: another learner's token id is not found.
"""

from django.http import HttpRequest
from ninja import Path, Router, Status
from ninja.pagination import paginate

from learnmap.accounts import selectors, services
from learnmap.accounts.schemas import MeOut, TokenCreatedOut, TokenIn, TokenOut
from learnmap.core.api import LEARNER, WRITES, PagePagination, problems

router = Router(tags=["Account"], auth=LEARNER)

TOKEN_ID = Path(..., ge=1, le=2**63 - 1, description="The token's id.", examples=[12])


@router.get("/me", response={200: MeOut, 304: None, **problems(401, 403)}, summary="Who am I")
def me(request: HttpRequest):
    """The caller's account, and how this request was authenticated."""
    caller = request.auth
    user = caller.user
    return {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "date_joined": user.date_joined,
        "authenticated_by": "token" if caller.token else "session",
        "token": caller.token.prefix if caller.token else None,
    }


@router.get(
    "/me/tokens",
    response={200: list[TokenOut], 304: None, **problems(401, 403, 422)},
    summary="My access tokens",
)
@paginate(PagePagination)
def token_list(request: HttpRequest):
    """The caller's tokens that are not revoked (expired ones included), newest first."""
    return selectors.token_list(user=request.auth.user)


@router.post(
    "/me/tokens",
    response={201: TokenCreatedOut, **problems(400, 401, 403, 409, 413, 422, 429)},
    throttle=WRITES,
    summary="Make an access token",
)
def token_create(request: HttpRequest, payload: TokenIn):
    """A new personal access token for the caller. Its secret (``token``) is in this response
    only: it is stored hashed and cannot be shown again."""
    new = services.token_create(
        user=request.auth.user, name=payload.name, expires_in_days=payload.expires_in_days
    )
    new.token.token = new.secret
    return Status(201, new.token)


@router.delete(
    "/me/tokens/{token_id}",
    response={204: None, **problems(401, 403, 404, 422, 429)},
    throttle=WRITES,
    summary="Revoke an access token",
)
def token_revoke(request: HttpRequest, token_id: int = TOKEN_ID):
    """The token stops working at once. Revoking it again is fine (204); a token that is not
    the caller's is not found (404)."""
    services.token_revoke(user=request.auth.user, token_id=token_id)
    return Status(204, None)
