from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "learnmap.sources"
    label = "sources"
    verbose_name = "Git sources"

    def ready(self) -> None:
        # The worker and the maintainer page live below this app: it plugs into their hooks,
        # and connects its task queue to its services (tasks import services, not back).
        from learnmap.contributions.signals import change_accepted
        from learnmap.core import maintainer, periodic
        from learnmap.sources import services, tasks, views

        services.sync_queue_connect(tasks.enqueue_sync)
        # A change accepted on the site is committed to the repository's changes branch.
        change_accepted.connect(services.change_accepted_receiver, dispatch_uid="sources")
        periodic.job_register(name="sources-sync", job=services.sources_schedule_tick)
        maintainer.panel_register(name="sources", panel=views.maintainer_panel)
