"""A push webhook from GitHub, Gitea or GitLab: checked, remembered, and a sync queued.

- GitHub: ``X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body with the secret>``,
  ``X-GitHub-Delivery``, ``X-GitHub-Event`` (``ping`` when the hook is made, ``push``).
- Gitea (and Forgejo, Gogs): ``X-Gitea-Signature: <hex HMAC-SHA256>`` (Gitea sends
  ``X-Hub-Signature-256`` too), ``X-Gitea-Delivery``, ``X-Gitea-Event``.
- GitLab: ``X-Gitlab-Token: <the secret itself>``, ``X-Gitlab-Event-UUID``,
  ``X-Gitlab-Event: Push Hook``.

Signatures and tokens are compared in constant time. Each delivery id is remembered
(``LEARNMAP_SOURCES_DELIVERY_DAYS``): the same delivery again is refused (409). A hook without
a delivery id is known by its body's hash. Only a push to the source's branch queues a sync.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs

from django.db import IntegrityError, transaction
from django.utils import timezone

from learnmap.core.errors import ApplicationError, NotFound
from learnmap.sources.models import Delivery, Source
from learnmap.sources.services.queue import sync_enqueue

logger = logging.getLogger(__name__)

DELIVERY_HEADERS = (
    "X-GitHub-Delivery",
    "X-Gitea-Delivery",
    "X-Gogs-Delivery",
    "X-Gitlab-Event-UUID",
)
EVENT_HEADERS = ("X-GitHub-Event", "X-Gitea-Event", "X-Gogs-Event", "X-Gitlab-Event")
PUSH_EVENTS = {"push", "push hook"}
PING_EVENTS = {"ping"}


class Unauthorized(ApplicationError):
    status = 401


class Replayed(ApplicationError):
    status = 409


@dataclass(frozen=True)
class WebhookOutcome:
    status: int  # the HTTP status to answer: 200 (nothing to do) or 202 (a sync queued)
    message: str
    queued: bool = False


def _signature_ok(*, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
    key = secret.encode()
    digest = hmac.new(key, body, hashlib.sha256).hexdigest()
    github = headers.get("X-Hub-Signature-256")
    if github is not None:
        return hmac.compare_digest(github.strip().encode(), f"sha256={digest}".encode())
    gitea = headers.get("X-Gitea-Signature") or headers.get("X-Gogs-Signature")
    if gitea is not None:
        return hmac.compare_digest(gitea.strip().lower().encode(), digest.encode())
    token = headers.get("X-Gitlab-Token")
    if token is not None:
        return hmac.compare_digest(token.encode(), key)
    return False


def _payload(body: bytes) -> dict:
    """The JSON body, or GitHub's form-encoded one (``payload=<json>``)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        form = parse_qs(body.decode("utf-8", "replace"))
        try:
            data = json.loads(form.get("payload", [""])[0])
        except ValueError:
            raise ApplicationError("The webhook's body is not JSON.", code="bad_payload") from None
    if not isinstance(data, dict):
        raise ApplicationError("The webhook's body is not a JSON object.", code="bad_payload")
    return data


def _first(headers: Mapping[str, str], names: tuple[str, ...]) -> str:
    for name in names:
        value = headers.get(name)
        if value:
            return value.strip()
    return ""


def webhook_receive(
    *, slug: str, headers: Mapping[str, str], body: bytes, now: datetime | None = None
) -> WebhookOutcome:
    """Check a webhook for roadmap ``slug`` and queue its sync when it is a push to the
    source's branch. Unknown roadmap or no source: NotFound; a missing or wrong signature:
    ``Unauthorized``; a delivery already received: ``Replayed``. ``headers`` is
    case-insensitive (Django's ``request.headers``)."""
    source = Source.objects.filter(roadmap__slug=slug).only("pk", "branch", "webhook_secret")
    source = source.first()
    if source is None:
        raise NotFound(f"No roadmap {slug!r} follows a repository.", code="no_source")
    if not _signature_ok(headers=headers, body=body, secret=source.webhook_secret):
        logger.warning("Refused a webhook for %s: missing or wrong signature.", slug)
        raise Unauthorized(
            "The webhook's signature is missing or does not match this source's secret.",
            code="bad_signature",
        )
    event = _first(headers, EVENT_HEADERS).lower()
    if event in PING_EVENTS:
        return WebhookOutcome(status=200, message="pong")
    payload = _payload(body)
    delivery = _first(headers, DELIVERY_HEADERS)[:200]
    delivery = delivery or "sha256:" + hashlib.sha256(body).hexdigest()
    try:
        with transaction.atomic():
            Delivery.objects.create(
                source=source, delivery_id=delivery, received_at=now or timezone.now()
            )
    except IntegrityError:
        logger.warning("Refused webhook delivery %s for %s: received before.", delivery, slug)
        raise Replayed(
            f"The delivery {delivery!r} was received before: it is not applied twice.",
            code="replayed",
        ) from None
    if event and event not in PUSH_EVENTS:
        return WebhookOutcome(status=200, message=f"ignored: a {event!r} event is not a push")
    ref = payload.get("ref")
    if ref != f"refs/heads/{source.branch}":
        return WebhookOutcome(
            status=200, message=f"ignored: a push to {ref!r}, not to {source.branch!r}"
        )
    sync_enqueue(source_id=source.pk)
    logger.info("Webhook delivery %s for %s: sync queued.", delivery, slug)
    return WebhookOutcome(status=202, message="sync queued", queued=True)
