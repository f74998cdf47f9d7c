"""Roadmap writes that bypass the catalog's services (the admin, a shell): the header every
process keeps in the shared cache is forgotten once the write is committed. The import
service forgets it itself (``services.roadmap_import``)."""

from __future__ import annotations

from learnmap.catalog import cache
from learnmap.catalog.models import Roadmap


def roadmap_slug_before_save(sender, instance: Roadmap, update_fields=None, **kwargs) -> None:
    """Note the slug the row had, so a rename forgets the header under the old slug too."""
    if instance.pk is None or (update_fields is not None and "slug" not in update_fields):
        instance._slug_before_save = instance.slug
        return
    old = Roadmap.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    instance._slug_before_save = old or instance.slug


def roadmap_changed(sender, instance: Roadmap, **kwargs) -> None:
    cache.header_forget(instance.slug, getattr(instance, "_slug_before_save", instance.slug))
