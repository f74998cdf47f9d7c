"""Proposing: a signed-in learner asks for a new resource, an edit or a removal, or a better
introduction, from the node they are on. Every proposal waits for a moderator; none changes
the roadmap by itself."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from learnmap import roadmap_md
from learnmap.catalog import selectors as catalog_selectors
from learnmap.catalog import services as catalog_services
from learnmap.contributions.models import (
    AuditEntry,
    Proposal,
    ProposalKind,
    ProposalStatus,
    ProposerBlock,
)
from learnmap.contributions.services.apply import RESOURCE_FIELDS, edit_for, intro_of
from learnmap.core import links
from learnmap.core.errors import ApplicationError, NotFound
from learnmap.roadmap_md import vocab

LIMITS = {"title": 300, "url": 2000, "author": 200, "description": 500, "kind": 60, "level": 30}
REASON_LIMIT = 2000
LANGUAGES_MAX, LANGUAGE_LIMIT = 6, 40


def _invalid(message: str, field: str) -> ApplicationError:
    return ApplicationError(message, code="invalid_proposal", extra={"field": field})


def _clean_text(name: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _invalid(f"{name.capitalize()} must be text.", name)
    value = " ".join(value.split())  # one line: a newline would end the Markdown list item
    if len(value) > LIMITS[name]:
        raise _invalid(
            f"{name.capitalize()} is too long (at most {LIMITS[name]} characters).", name
        )
    return value or None


def _clean_url(value: object) -> str:
    url = _clean_text("url", value) or ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in url:
        raise _invalid(
            "The link must be a whole web address starting with http:// or https://.", "url"
        )
    return url


def clean_fields(fields: dict, *, partial: bool) -> dict:
    """The resource fields of a proposal, checked: known names only, lengths, an http(s) URL,
    the price free or paid; for a new resource (not ``partial``) a title and a URL."""
    unknown = sorted(set(fields) - set(RESOURCE_FIELDS))
    if unknown:
        raise _invalid(f"Unknown field(s): {', '.join(unknown)}.", unknown[0])
    cleaned: dict = {}
    for name, value in fields.items():
        if name == "url":
            cleaned[name] = _clean_url(value)
        elif name == "languages":
            languages = value or []
            if not isinstance(languages, list | tuple) or len(languages) > LANGUAGES_MAX:
                raise _invalid(f"Give at most {LANGUAGES_MAX} languages.", name)
            cleaned[name] = []
            for written in (" ".join(str(v).split())[:LANGUAGE_LIMIT] for v in languages):
                if not written:
                    continue
                known = vocab.canonical_language(written)
                if known is None:  # a tag the Markdown would not read as a language
                    raise _invalid(
                        f"“{written}” is not a language the roadmap knows: write it in English "
                        "words, such as English or Persian.",
                        name,
                    )
                cleaned[name].append(known)
        elif name == "cost":
            if value not in (None, "", "free", "paid"):
                raise _invalid("The price is free or paid.", name)
            cleaned[name] = value or None
        else:
            cleaned[name] = _clean_text(name, value)
    if not partial:
        for required in ("title", "url"):
            if not cleaned.get(required):
                raise _invalid(f"A new resource needs a {required}.", required)
    return cleaned


def clean_intro(fields: dict) -> dict:
    """An introduction fix's one field: its text, line breaks kept (paragraphs), at most
    ``roadmap_md.INTRO_MAX_CHARS`` characters; empty removes the introduction."""
    unknown = sorted(set(fields) - {"intro"})
    if unknown:
        raise _invalid(f"Unknown field(s): {', '.join(unknown)}.", unknown[0])
    text = fields.get("intro")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise _invalid("The introduction must be text.", "intro")
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    if len(text) > roadmap_md.INTRO_MAX_CHARS:
        raise _invalid(
            f"The introduction is too long (at most {roadmap_md.INTRO_MAX_CHARS} characters).",
            "intro",
        )
    return {"intro": text}


def intro_current(*, node) -> str:
    """The node's introduction as the roadmap's Markdown has it now."""
    return intro_of(source=catalog_services.roadmap_export(slug=node.roadmap.slug), node=node)


def clean_for(kind: str, fields: dict) -> dict:
    """``fields`` checked for a proposal of ``kind``: a resource's fields for an introduction
    fix, or an introduction for a resource, is a mismatch with the proposal (not a typo)."""
    intro, resource = "intro" in fields, bool(set(fields) & set(RESOURCE_FIELDS))
    if (kind == ProposalKind.EDIT_INTRO and resource) or (
        kind != ProposalKind.EDIT_INTRO and intro
    ):
        raise ApplicationError(
            "These fields do not fit this proposal: an introduction fix takes an introduction, "
            "a resource proposal a resource's fields.",
            code="fields_mismatch",
        )
    if kind == ProposalKind.EDIT_INTRO:
        return clean_intro(fields)
    if kind == ProposalKind.REMOVE_RESOURCE:
        return {}
    return clean_fields(fields, partial=kind != ProposalKind.ADD_RESOURCE)


def _check_link_on_commit(url: str | None, *, was: str | None = None) -> None:
    """Once the proposal is committed, ask for its new link to be checked (the moderator sees
    the verdict); a failure to queue the check never fails the proposal."""
    if url and url != was:
        transaction.on_commit(lambda: links.check_soon(url), robust=True)


def _check_allowed(author) -> None:
    if not author.is_authenticated or not author.is_active:
        raise ApplicationError("Sign in to propose a change.", code="not_authenticated")
    if ProposerBlock.objects.filter(user=author).exists():
        raise ApplicationError(
            "Your account may not propose changes: a moderator blocked it.", code="blocked"
        )
    since = timezone.now() - timedelta(days=1)
    recent = Proposal.objects.filter(author=author, created_at__gte=since)
    if recent.count() >= settings.CONTRIBUTIONS_PER_DAY:
        oldest = recent.order_by("created_at").values_list("created_at", flat=True).first()
        wait = max(1, int((oldest + timedelta(days=1) - timezone.now()).total_seconds()))
        raise ApplicationError(
            f"You have made {settings.CONTRIBUTIONS_PER_DAY} proposals in the last day: "
            "please wait for them to be reviewed before proposing more.",
            code="rate_limited",
            extra={"retry_after": wait},
        )


@transaction.atomic
def proposal_create(
    *,
    author,
    kind: str,
    node_key=None,
    resource_key=None,
    fields: dict | None = None,
    reason: str = "",
) -> Proposal:
    """A new open proposal. A new resource or an introduction fix names its node
    (``node_key``); an edit or a removal names the resource (``resource_key``). The proposal
    must apply to the roadmap as it is now (a moderator still sees its lint errors and
    duplicates before deciding)."""
    _check_allowed(author)
    fields = fields or {}
    reason = (reason or "").strip()
    if len(reason) > REASON_LIMIT:
        raise _invalid(f"The reason is too long (at most {REASON_LIMIT} characters).", "reason")
    if kind in (ProposalKind.ADD_RESOURCE, ProposalKind.EDIT_INTRO):
        node = catalog_selectors.node_get_by_key(key=node_key)
        resource = None
    elif kind in (ProposalKind.EDIT_RESOURCE, ProposalKind.REMOVE_RESOURCE):
        resource = catalog_selectors.resource_get_by_key(key=resource_key)
        node = resource.node
        if kind == ProposalKind.REMOVE_RESOURCE and not reason:
            raise _invalid("Say why the resource should go.", "reason")
    else:
        raise _invalid(f"Unknown kind of proposal {kind!r}.", "kind")
    fields = clean_for(kind, fields)
    if node.retired_at is not None or (resource is not None and resource.retired_at is not None):
        raise ApplicationError("That is no longer in the roadmap.", code="conflict")
    roadmap = node.roadmap
    # It must apply now: a target that is gone or fields the Markdown cannot hold fail here.
    edit_for(
        source=catalog_services.roadmap_export(slug=roadmap.slug),
        kind=kind,
        node=node,
        resource=resource,
        fields=fields,
    )
    proposal = Proposal.objects.create(
        roadmap=roadmap,
        author=author,
        kind=kind,
        node=node,
        resource=resource,
        fields=fields,
        reason=reason,
        base_revision=roadmap.revision,
    )
    AuditEntry.objects.create(
        actor=author,
        action="propose",
        roadmap=roadmap,
        proposal=proposal,
        detail={"kind": kind},
    )
    _check_link_on_commit(fields.get("url"), was=resource.url if resource is not None else None)
    return proposal


@transaction.atomic
def proposal_update(
    *, proposal_id: int, author, fields: dict, reason: str | None = None
) -> Proposal:
    """The author's new version of a proposal a moderator asked changes for: open again."""
    proposal = (
        Proposal.objects.select_related("roadmap", "node", "resource")
        .filter(pk=proposal_id, author=author)
        .first()
    )
    if proposal is None:
        raise NotFound("There is no such proposal of yours.", code="unknown_proposal")
    if proposal.status not in (ProposalStatus.OPEN, ProposalStatus.CHANGES_REQUESTED):
        raise ApplicationError(
            "This proposal was decided: it cannot change.", code="already_decided"
        )
    cleaned = clean_for(proposal.kind, {**proposal.fields, **fields})
    edit_for(
        source=catalog_services.roadmap_export(slug=proposal.roadmap.slug),
        kind=proposal.kind,
        node=proposal.node,
        resource=proposal.resource,
        fields=cleaned,
    )
    was = proposal.fields.get("url") or (proposal.resource.url if proposal.resource else None)
    _check_link_on_commit(cleaned.get("url"), was=was)
    proposal.fields = cleaned
    if reason is not None:
        proposal.reason = reason.strip()[:REASON_LIMIT]
    proposal.status = ProposalStatus.OPEN
    proposal.save(update_fields=["fields", "reason", "status", "updated_at"])
    AuditEntry.objects.create(
        actor=author, action="revise", roadmap=proposal.roadmap, proposal=proposal
    )
    return proposal
