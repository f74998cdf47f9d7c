from django.apps import AppConfig


class LinkcheckConfig(AppConfig):
    name = "learnmap.linkcheck"
    label = "linkcheck"
    verbose_name = "Link health"

    def ready(self) -> None:
        # The services queue their runs through tasks.DjangoTasksQueue. The tasks module
        # imports the services, never the other way round, so the two meet here.
        from learnmap.linkcheck import services, tasks

        services.run_queue_connect(tasks.DjangoTasksQueue())
