from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "learnmap.catalog"
    label = "catalog"
    verbose_name = "Roadmap catalog"
