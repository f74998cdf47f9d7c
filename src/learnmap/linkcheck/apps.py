from django.apps import AppConfig


class LinkcheckConfig(AppConfig):
    name = "learnmap.linkcheck"
    label = "linkcheck"
    verbose_name = "Link health"

    def ready(self) -> None:
        # The services queue their runs through tasks.DjangoTasksQueue. The tasks module
        # imports the services, never the other way round, so the two meet here.
        from learnmap.core import links
        from learnmap.linkcheck import selectors, services, tasks

        services.run_queue_connect(tasks.DjangoTasksQueue())
        # Other apps ask for a link check, and read its verdict, through the core's port.
        links.checker_connect(
            links.LinkChecker(
                check_soon=lambda url: services.link_check_request(url=url),
                verdict=lambda url: selectors.link_verdict(url=url),
            )
        )
