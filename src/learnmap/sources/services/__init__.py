"""The sources' services: add and remove a source, sync it, its webhook and its schedule."""

from learnmap.sources.services.changes import (
    change_accepted_receiver,
    change_record,
    changes_discard,
    changes_patch,
)
from learnmap.sources.services.preview import Preview, renames_parse, source_preview
from learnmap.sources.services.queue import sync_enqueue, sync_queue_connect
from learnmap.sources.services.schedule import deliveries_prune, sources_schedule_tick
from learnmap.sources.services.sources import (
    SourceAdded,
    secret_new,
    source_add,
    source_remove,
    source_secret_rotate,
    source_settings_check,
)
from learnmap.sources.services.sync import (
    MOVED,
    UNCHANGED,
    SyncOutcome,
    source_sync,
    waiting_said,
)
from learnmap.sources.services.webhooks import (
    Replayed,
    Unauthorized,
    WebhookOutcome,
    webhook_receive,
)

__all__ = [
    "MOVED",
    "UNCHANGED",
    "Preview",
    "Replayed",
    "SourceAdded",
    "SyncOutcome",
    "Unauthorized",
    "WebhookOutcome",
    "change_accepted_receiver",
    "change_record",
    "changes_discard",
    "changes_patch",
    "deliveries_prune",
    "renames_parse",
    "secret_new",
    "source_add",
    "source_preview",
    "source_remove",
    "source_secret_rotate",
    "source_settings_check",
    "source_sync",
    "sources_schedule_tick",
    "sync_enqueue",
    "sync_queue_connect",
    "waiting_said",
    "webhook_receive",
]
