from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "learnmap.catalog"
    label = "catalog"
    verbose_name = "Roadmap catalog"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from learnmap.catalog import receivers
        from learnmap.catalog.models import Roadmap

        pre_save.connect(
            receivers.roadmap_slug_before_save, sender=Roadmap, dispatch_uid="catalog.slug"
        )
        for signal in (post_save, post_delete):
            signal.connect(
                receivers.roadmap_changed, sender=Roadmap, dispatch_uid="catalog.roadmap_changed"
            )
