from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "learnmap.sources"
    label = "sources"
    verbose_name = "Git sources"

    def ready(self) -> None:
        # The worker and the maintainer page live below this app: it plugs into their hooks,
        # and connects its task queue to its services (tasks import services, not back).
        from learnmap.core import maintainer, periodic
        from learnmap.sources import services, tasks, views

        services.sync_queue_connect(tasks.enqueue_sync)
        periodic.job_register(name="sources-sync", job=services.sources_schedule_tick)
        maintainer.panel_register(name="sources", panel=views.maintainer_panel)
