from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "learnmap.core"
    label = "core"
    verbose_name = "Learnmap core"
