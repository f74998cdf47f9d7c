from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "learnmap.core"
    label = "core"
    verbose_name = "Learnmap core"

    def ready(self) -> None:
        from learnmap.core.db import tune_sqlite_connection

        connection_created.connect(tune_sqlite_connection, dispatch_uid="learnmap-sqlite-limits")
